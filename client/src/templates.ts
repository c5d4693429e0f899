// The phase documents "CDP: New Workflow…" writes. No editor API here, so it can be tested
// against the checker directly.

interface PhaseTemplate {
  number: string;
  name: string;
  file: string;
  purpose: string;
  firstEntry?: string;
  exit: string[];
  gate: string;
  gateCriteria: string[];
}

const PHASES: PhaseTemplate[] = [
  {
    number: '01',
    name: 'Diagnose',
    file: '01-diagnose',
    purpose: 'Turn reports of the problem into measured symptoms and an agreed problem statement.',
    firstEntry: 'The problem has been reported and someone owns the investigation',
    exit: ['Each symptom has a metric, a baseline and a current value', 'The problem statement is agreed'],
    gate: 'Problem Definition Gate',
    gateCriteria: ['The problem is stated without naming a solution'],
  },
  {
    number: '02',
    name: 'Prescribe',
    file: '02-prescribe',
    purpose: 'Choose a solution for the diagnosed problem and agree what success means.',
    exit: ['A solution is chosen and the alternatives are recorded', 'Success thresholds are agreed'],
    gate: 'Solution Design Gate',
    gateCriteria: ['The design addresses every diagnosed symptom'],
  },
  {
    number: '03',
    name: 'Treat',
    file: '03-treat',
    purpose: 'Build the prescribed change.',
    exit: ['The change is implemented and reviewed', 'Tests cover the diagnosed symptoms'],
    gate: 'Implementation Gate',
    gateCriteria: ['The change passes its tests in a production-like environment'],
  },
  {
    number: '04',
    name: 'Monitor',
    file: '04-monitor',
    purpose: 'Watch the change on real traffic before everyone gets it.',
    exit: ['The metrics are watched on real traffic', 'No regression beyond the agreed thresholds'],
    gate: 'Observation Gate',
    gateCriteria: ['The success thresholds hold for the agreed period'],
  },
  {
    number: '05',
    name: 'Release',
    file: '05-release',
    purpose: 'Make the change available to everyone it is meant for.',
    exit: ['The change is available to everyone it is meant for', 'The rollback plan is tested'],
    gate: 'Release Gate',
    gateCriteria: ['The stakeholders approved the release'],
  },
  {
    number: '06',
    name: 'Follow-up',
    file: '06-follow-up',
    purpose: 'Check that the problem is gone and record what was learned.',
    exit: ['The outcomes are compared with the diagnosis', 'The lessons learned are recorded'],
    gate: 'Outcome Review Gate',
    gateCriteria: ['The original problem is resolved, or a new cycle is opened'],
  },
];

/**
 * A folder name for a workflow name: "Checkout v2" → "checkout-v2", "Café 工作" → "cafe-工作".
 * Letters and digits of every script stay (accents of Latin letters dropped); anything else
 * between them becomes one `-`.
 */
export function workflowFolderName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'workflow';
}

/** Why a workflow name cannot be used, or undefined. */
export function validateWorkflowName(name: string): string | undefined {
  if (!name.trim()) return 'Enter a name for the workflow.';
  if (/[\r\n]/.test(name)) return 'The name must fit on one line.';
  if (name.length > 100) return 'Use at most 100 characters.';
  return undefined;
}

/**
 * Why the built-in template cannot be written for `name`: the first of its documents (paths
 * relative to the parent folder chosen) that `exists` finds already there; undefined when
 * none is. Asked as the name is typed, so an existing folder is told before Enter.
 */
export async function templateConflict(
  name: string,
  exists: (rel: string) => Promise<boolean>,
): Promise<string | undefined> {
  const folder = workflowFolderName(name);
  for (const d of workflowDocuments(name)) {
    const rel = `${folder}/${d.file}`;
    if (await exists(rel)) return `${rel} already exists: choose another name or folder.`;
  }
  return undefined;
}

/** The six phase documents of a new workflow: file name (with `.md`) → text. */
export function workflowDocuments(name: string): { file: string; text: string }[] {
  const title = name.trim();
  return PHASES.map((p, i) => {
    const previous = i > 0 ? PHASES[i - 1] : undefined;
    const next = PHASES[(i + 1) % PHASES.length]!;
    const meta = [
      '---',
      `phase: "${p.number}"`,
      `name: "${p.name}"`,
      ...(previous ? [`previous_phase: "[[${previous.file}]]"`] : []),
      `next_phase: "[[${next.file}]]"`,
      `tags: [cdp, phase, ${p.file.slice(3)}]`,
      '---',
    ];
    const entry = previous ? `Exit criteria of [[${previous.file}]] are met` : p.firstEntry!;
    const lines = [
      `# ${p.name}: ${title}`,
      ...meta,
      '',
      '## Overview',
      '',
      p.purpose,
      '',
      '## Entry Criteria',
      '',
      `- [ ] ${entry}`,
      '',
      '## Key Activities',
      '',
      'What the team does in this phase, and what it found.',
      '',
      '## Artifacts Produced',
      '',
      'Link each document this phase produces here, as a wikilink in a list item.',
      '',
      '## Exit Criteria',
      '',
      ...p.exit.map((c) => `- [ ] ${c}`),
      '',
      '## CDP Validation Requirements',
      '',
      `### ${p.gate}`,
      '',
      ...p.gateCriteria.map((c) => `- [ ] ${c}`),
      '',
    ];
    return { file: `${p.file}.md`, text: lines.join('\n') };
  });
}
