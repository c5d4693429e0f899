// The `helix` workspace shape: projects kept in the HELIX layout, ≈39 documents each.
//
//   projects/<P>/docs/helix/00-discover/README.md   phase README (`# Phase 00: Discover`):
//                                                  entry criteria, exit criteria (a checklist
//                                                  or a numbered list), artifact links,
//                                                  Previous / Next Phase markdown links
//   projects/<P>/docs/helix/NN-name/GATE.yaml       entry / exit requirements: file_exists,
//                                                  dir_not_empty, grep_absent / grep_present
//                                                  (one glob per project), previous_phase_
//                                                  complete, a command check, manual items
//   projects/<P>/docs/helix/NN-name/input-gates.yml every phase; exit-gates.yml in 01 and 02
//   projects/<P>/docs/helix/NN-name/<artifact>.md   artifacts (features/, user-stories/, adr/
//                                                  one folder down), some deliberately missing
//
// Every document carries a `ddx:` front-matter block with an id (`P0042.prd`,
// `P0042.phase-01`) and 3–5 `depends_on` entries naming documents written before it (so the
// graph has no cycle; a dependency on a missing artifact is a real finding), and links by
// id in its body (`[[P0042.prd#Scope]]`). Gate paths are relative to the workspace root.
//
// Options: `gates: false` writes no gate files, `mdlinks: false` writes every markdown link
// as its plain text; `subDocs: [min, max]` is how many documents each of features/, adr/ and
// user-stories/ holds (2–4 unless given). Both off (`helix-plain`) is the "before" side of what gate files and
// markdown links cost; the random sequence is the same, so the documents are otherwise
// equal.

import { AREAS, ARTIFACT_HEADINGS, checklist, paragraph, sentence, slug, title, WORDS } from './text.mjs';

const PHASES = [
  {
    dir: '00-discover',
    name: 'Discover',
    artifacts: ['product-vision', 'business-case', 'competitive-analysis'],
  },
  {
    dir: '01-frame',
    name: 'Frame',
    artifacts: ['prd', 'principles', 'feature-registry'],
    sub: ['features', 'FEAT'],
  },
  {
    dir: '02-design',
    name: 'Design',
    artifacts: ['architecture', 'api-contracts', 'data-design'],
    sub: ['adr', 'ADR'],
  },
  { dir: '03-test', name: 'Test', artifacts: ['test-plan', 'test-procedures', 'security-tests'] },
  {
    dir: '04-build',
    name: 'Build',
    artifacts: ['implementation-plan', 'build-notes'],
    sub: ['user-stories', 'US'],
  },
  {
    dir: '05-deploy',
    name: 'Deploy',
    artifacts: ['deployment-checklist', 'runbook', 'release-notes', 'monitoring-setup'],
  },
  {
    dir: '06-iterate',
    name: 'Iterate',
    artifacts: ['metrics-dashboard', 'lessons-learned', 'feedback-analysis'],
  },
];

const STATUSES = ['draft', 'review', 'approved', 'approved', 'approved'];

/**
 * A markdown link. With `mdlinks: false` the finished text loses them (plainLinks), so the
 * random sequence and the sizes the generator counts are the same either way.
 */
const mdLink = (text, dest) => `[${text}](${dest})`;

/** `text` with every inline markdown link `[t](dest)` replaced by `t` (wikilinks stay). */
export function plainLinks(text) {
  return text.replace(/(?<![!\]])\[([^[\]\n]+)\]\(([^()\s]+)\)/g, '$1');
}

/** YAML double-quoted string. */
const q = (s) => JSON.stringify(s);

function frontMatter(r, doc, earlier, extra = []) {
  const lines = ['---', 'ddx:', `  id: ${doc.id}`];
  if (doc.type) lines.push(`  type: ${doc.type}`);
  lines.push(`  status: ${r.pick(STATUSES)}`);
  const want = Math.min(earlier.length, r.int(3, 5));
  if (want > 0) {
    // Mostly the documents just before it (its own project), sometimes anything earlier.
    const near = earlier.slice(-30);
    const deps = new Set();
    while (deps.size < want) deps.add(r.chance(0.85) ? r.pick(near) : r.pick(earlier));
    lines.push('  depends_on:', ...[...deps].map((d) => `    - ${d}`));
  }
  lines.push(...extra, '---');
  return lines;
}

function artifactDoc(r, doc, project, earlier) {
  const extra = r.chance(0.3) ? [`phase: ${q(doc.phase.dir)}`] : [];
  const out = [
    ...frontMatter(
      r,
      doc,
      earlier.map((d) => d.id),
      extra,
    ),
    `# ${doc.title}`,
    '',
  ];
  out.push(paragraph(r, [`[[${project.readme(doc.phase).id}]]`]), '');
  if (doc.tbd) out.push('Open point: [TBD] by the owners.', '');
  const target = r.int(1500, 4000);
  let size = out.join('\n').length;
  for (let h = 0; size < target || h < doc.headings.length; h++) {
    const heading = h < doc.headings.length ? doc.headings[h] : `${title(r.pick(WORDS))} Notes ${h}`;
    const links = [];
    const other = r.pick(earlier.slice(-20));
    if (other && r.chance(0.35)) links.push(`[[${other.id}]]`);
    if (other?.file && r.chance(0.35))
      links.push(mdLink(other.title, `${project.relative(doc, other)}#${slug(r.pick(other.headings))}`));
    const block = [`## ${heading}`, '', paragraph(r, links), ''];
    if (r.chance(0.25)) block.push(checklist(r, r.int(2, 4), 0.5), '');
    out.push(...block);
    size += block.join('\n').length + 1;
  }
  return out.join('\n');
}

function readmeDoc(r, doc, project, earlier) {
  const p = doc.phase;
  const i = PHASES.indexOf(p);
  const prev = PHASES[i - 1];
  const next = PHASES[i + 1];
  const own = project.docs.filter((d) => d.phase === p && !d.readme);
  const present = own.filter((d) => d.exists);
  const out = [
    ...frontMatter(
      r,
      doc,
      earlier.map((d) => d.id),
    ),
    `# Phase ${p.dir.slice(0, 2)}: ${p.name}`,
    '',
  ];
  out.push(paragraph(r), '', '## Purpose', '', paragraph(r), '');
  // One item ticked and one not, at least: ticking or unticking one then changes exactly
  // one finding (the typing measurement relies on it).
  out.push('## Entry Criteria', '', checklist(r, r.int(2, 4), 0.7));
  out.push(`- [x] ${sentence(r).slice(0, -1)}`, `- [ ] ${sentence(r).slice(0, -1)}`, '');
  out.push('## Exit Criteria', '');
  if (r.chance(0.6)) out.push(checklist(r, r.int(3, 6), 0.4), '');
  else for (let k = 1, n = r.int(3, 6); k <= n; k++) out.push(`${k}. ${sentence(r).slice(0, -1)}`);
  out.push('');
  out.push('## Artifacts', '');
  for (const a of own) {
    const form = r.int(0, 2);
    if (form === 0) out.push(`- ${mdLink(a.title, a.local)} - ${sentence(r).slice(0, -1)}`);
    else if (form === 1)
      out.push(`- ${mdLink(`${a.title}: ${r.pick(a.headings)}`, `${a.local}#${slug(r.pick(a.headings))}`)}`);
    else out.push(`- [[${a.id}]] - ${sentence(r).slice(0, -1)}`);
  }
  out.push('');
  const anchor = present[0];
  out.push(
    '## Working Notes',
    '',
    `${sentence(r)} Check [[#Entry Criteria]] first${anchor ? `, then [[${anchor.id}#${anchor.headings[0]}]]` : ''}.`,
    '',
  );
  const target = r.int(3000, 6000);
  let size = out.join('\n').length;
  for (let k = 0; size < target; k++) {
    const block = [`## ${title(r.pick(WORDS))} Practice ${k}`, '', paragraph(r), ''];
    for (let j = r.int(2, 4); j > 0; j--) block.push(`- ${sentence(r).slice(0, -1)}`);
    block.push('');
    out.push(...block);
    size += block.join('\n').length + 1;
  }
  if (r.chance(0.3)) out.push(`See also ${mdLink('the old notes', 'old-notes.md')}.`, '');
  if (prev)
    out.push(
      '## Previous Phase',
      '',
      mdLink(`Phase ${prev.dir.slice(0, 2)}: ${prev.name}`, `../${prev.dir}/README.md`),
      '',
    );
  if (next)
    out.push(
      '## Next Phase',
      '',
      mdLink(`Phase ${next.dir.slice(0, 2)}: ${next.name}`, `../${next.dir}/README.md`),
      '',
    );
  return out.join('\n');
}

function gateYaml(r, project, p, i) {
  const base = `${project.root}/${p.dir}`;
  const own = project.docs.filter((d) => d.phase === p && !d.readme && !d.sub);
  const lines = [
    `phase: ${p.name.toLowerCase()}`,
    `number: ${q(p.dir.slice(0, 2))}`,
    '',
    'entry_requirements:',
  ];
  if (i > 0) {
    lines.push(
      '  automated:',
      '    - check: previous_phase_complete',
      `      description: ${q('Previous phase complete')}`,
    );
  } else lines.push('  automated: []');
  lines.push('  manual:', `    - ${q(sentence(r).slice(0, -1))}`, `    - ${q(sentence(r).slice(0, -1))}`, '');
  lines.push('exit_requirements:', '  automated:');
  for (const a of own.slice(0, 3)) {
    lines.push(
      '    - check: file_exists',
      `      path: ${base}/${a.local}`,
      `      description: ${q(`${a.title} must exist`)}`,
    );
  }
  if (p.sub)
    lines.push(
      '    - check: dir_not_empty',
      `      path: ${base}/${p.sub[0]}`,
      `      description: ${q(`${title(p.sub[0])} written`)}`,
    );
  if (own[0]) {
    lines.push(
      '    - check: grep_absent',
      `      pattern: ${q('\\[TBD\\]')}`,
      `      path: ${base}/${own[0].local}`,
    );
    lines.push(`      description: ${q('No TBD markers')}`);
    lines.push(
      '    - check: grep_present',
      `      pattern: ${q('^## ')}`,
      `      path: ${base}/${own[0].local}`,
    );
    lines.push(`      description: ${q('Has sections')}`);
  }
  if (i === 1) {
    lines.push(
      '    - check: grep_absent',
      `      pattern: ${q('\\[NEEDS CLARIFICATION\\]')}`,
      `      path: ${base}/**/*.md`,
    );
    lines.push(`      description: ${q('No open clarifications in the phase')}`);
  }
  if (i === 3 || i === 4) {
    lines.push(
      '    - check: tests_passing',
      `      command: ${q('npm test')}`,
      `      description: ${q('Tests pass')}`,
    );
  }
  lines.push('  manual:', `    - ${q(sentence(r).slice(0, -1))}`, '');
  return lines.join('\n');
}

function inputGates(r) {
  const lines = ['input_gates:'];
  for (let k = r.int(2, 3); k > 0; k--)
    lines.push(`  - criteria: ${q(sentence(r).slice(0, -1))}`, '    required: true', '    source: external');
  return `${lines.join('\n')}\n`;
}

function exitGates(r, project, p) {
  const own = project.docs.filter((d) => d.phase === p && !d.readme && !d.sub);
  const lines = [`# Exit gates of the ${p.name} phase`, 'exit_gates:'];
  for (const a of own.slice(0, 3)) {
    lines.push(`  - criteria: ${q(`${a.title} complete`)}`, '    required: true', '    validation:');
    lines.push(`      - ${q(sentence(r).slice(0, -1))}`);
    const anchor = r.chance(0.5) ? `#${slug(r.pick(a.headings))}` : '';
    lines.push(`    evidence: ${project.root}/${p.dir}/${a.local}${anchor}`);
  }
  lines.push(
    `  - criteria: ${q('Sponsor sign-off')}`,
    '    required: true',
    `    evidence: ${q('sponsor acknowledgment')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Plans one project: every document with its id, path, headings, and whether it exists. */
function planProject(r, n, o) {
  const name = `P${String(n).padStart(4, '0')}`;
  const root = `projects/${AREAS[n % AREAS.length]}-${name}/docs/helix`;
  const docs = [];
  for (const p of PHASES) {
    docs.push({
      phase: p,
      readme: true,
      id: `${name}.phase-${p.dir.slice(0, 2)}`,
      local: 'README.md',
      exists: true,
    });
    for (const a of p.artifacts)
      docs.push({
        phase: p,
        id: `${name}.${a}`,
        type: a,
        title: title(a),
        local: `${a}.md`,
        exists: r.chance(0.92),
      });
    if (p.sub) {
      for (let k = 1, m = r.int(...(o.subDocs ?? [2, 4])); k <= m; k++) {
        const id = `${p.sub[1]}-${String(k).padStart(3, '0')}`;
        docs.push({
          phase: p,
          sub: true,
          id: `${name}.${id}`,
          type: p.sub[0],
          title: id,
          local: `${p.sub[0]}/${id}.md`,
          exists: true,
        });
      }
    }
  }
  for (const d of docs) {
    d.file = `${root}/${d.phase.dir}/${d.local}`;
    const sampled = r.sample(ARTIFACT_HEADINGS, r.int(3, 5));
    d.headings = d.readme ? ['Purpose', 'Entry Criteria', 'Exit Criteria', 'Artifacts'] : sampled;
    d.tbd = d.type && r.chance(0.1);
  }
  return {
    name,
    root,
    docs,
    readme: (p) => docs.find((d) => d.readme && d.phase === p),
    /** The path of `to` relative to the folder of `from`. */
    relative(from, to) {
      const up = from.file.split('/').length - 1;
      const parts = to.file.split('/');
      const a = from.file.split('/');
      let k = 0;
      while (k < up && a[k] === parts[k]) k++;
      return `${'../'.repeat(up - k)}${parts.slice(k).join('/')}`;
    },
  };
}

/** Writes the helix shape through `w` (bench/generate.mjs Writer) until `docs` documents. */
export async function helixShape(w, r, docs, o) {
  const earlier = [];
  let projects = 0;
  let missing = 0;
  for (let n = 0; w.count < docs; n++) {
    const project = planProject(r, n, o);
    projects++;
    // README first in each phase folder, so an artifact's own phase README is earlier.
    for (const d of project.docs) {
      if (w.count >= docs) break;
      if (!d.exists) {
        missing++;
        continue;
      }
      const text = d.readme ? readmeDoc(r, d, project, earlier) : artifactDoc(r, d, project, earlier);
      await w.doc(d.file, o.mdlinks ? `${text}\n` : `${plainLinks(text)}\n`);
      if (d.readme && d.phase.dir === '05-deploy') w.offerProbe(d.file, text);
      earlier.push(d);
    }
    // The gate files are drawn from the random sequence either way, so `gates: false`
    // changes nothing else; they are written only with `gates: true`.
    for (const [i, p] of PHASES.entries()) {
      const files = [
        ['GATE.yaml', gateYaml(r, project, p, i)],
        ['input-gates.yml', inputGates(r)],
      ];
      if (i === 1 || i === 2) files.push(['exit-gates.yml', exitGates(r, project, p)]);
      if (o.gates) for (const [f, text] of files) await w.file(`${project.root}/${p.dir}/${f}`, text);
    }
  }
  return { instances: projects, missingArtifacts: missing };
}
