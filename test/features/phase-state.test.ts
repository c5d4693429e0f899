// One state per phase, in the same words everywhere: the Progress tree's rows (from
// `cdp/workflows`), the `cdp check` text, its JSON report and job summary, the dashboard of
// `cdp/dashboard` and of `cdp report`, and the exported gate report. The requests are
// answered in-process on the files the CLI reads from a temporary folder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { phaseView } from '../../client/src/progress-model';
import { gateReportMarkdown } from '../../client/src/report-markdown';
import type { DashboardView } from '../../server/src/core/dashboard';
import type { JsonReport } from '../../server/src/core/report';
import { renderDashboardBody } from '../../server/src/dashboard/render';
import type { DashboardResult, WorkflowsResult } from '../../server/src/protocol';
import { run } from '../helpers/cli';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { tempWorkspace } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';
import { uriOf } from '../lsp/client';

const exit = (ticked: number, open: number) =>
  `## Exit Criteria\n\n${[
    ...Array.from({ length: ticked }, (_, i) => `- [x] done ${i + 1}`),
    ...Array.from({ length: open }, (_, i) => `- [ ] open ${i + 1}`),
  ].join('\n')}\n`;

const files = {
  'README.md': '# Product\n',
  // HELIX: the current phase whose met items are checks that pass by themselves, and a
  // later phase whose check passes too while nobody worked on it.
  'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
  'docs/helix/01-frame/GATE.yaml': [
    'exit_requirements:',
    '  automated:',
    '    - check: file_exists',
    '      path: README.md',
    '    - check: file_exists',
    '      path: docs/helix/01-frame/README.md',
    '  manual:',
    '    - "PRD signed off"',
    '',
  ].join('\n'),
  'docs/helix/02-design/README.md': '# Phase 02: Design\n',
  'docs/helix/02-design/GATE.yaml': [
    'entry_requirements:',
    '  automated:',
    '    - check: file_exists',
    '      path: README.md',
    '  manual:',
    '    - "Design kickoff held"',
    '',
  ].join('\n'),
  // CDP: work moved on to 03 while 01 (current) and 02 are open.
  'wf/01-diagnose.md': phaseDoc({ title: 'Diagnose', phase: '01', name: 'Diagnose', body: exit(3, 2) }),
  'wf/02-prescribe.md': phaseDoc({ title: 'Prescribe', phase: '02', name: 'Prescribe', body: exit(0, 4) }),
  'wf/03-treat.md': phaseDoc({ title: 'Treat', phase: '03', name: 'Treat', body: exit(1, 2) }),
  'wf/04-monitor.md': phaseDoc({ title: 'Monitor', phase: '04', name: 'Monitor', body: exit(0, 2) }),
};

/** The words expected for each phase, by workflow and phase id. */
const EXPECTED: Record<string, string> = {
  'docs/helix 01': 'current',
  'docs/helix 02': 'not started',
  'wf 01': 'current · failing gates',
  'wf 02': 'not started · failing gates',
  'wf 03': 'in progress',
  'wf 04': 'not started',
};

/** The phase states of a dashboard's HTML: workflow and phase id → the words shown. */
function fromHtml(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const section of html.split('<section').slice(1)) {
    const workflow = /data-workflow="([^"]+)"/.exec(section)![1];
    for (const m of section.matchAll(
      /<li class="phase [^"]*" data-phase="(\d+)"[^>]*>.*?<span class="state">([^<]*)<\/span>/g,
    ))
      out[`${workflow} ${m[1]}`] = m[2]!;
  }
  return out;
}

describe('the state of a phase', () => {
  let root: string;
  let client: InProcess;
  before(async () => {
    root = tempWorkspace(files);
    client = await featureContext(files, { root: uriOf(root), openAll: false });
  });

  it('reads the same in the tree, cdp check (text, JSON, summary), the dashboard and cdp report', async () => {
    const { workflows } = await client.request<WorkflowsResult>('cdp/workflows', {});
    const tree: Record<string, string> = {};
    for (const w of workflows)
      for (const p of w.phases)
        tree[`${w.id} ${p.phase}`] = phaseView(p).description.replace(/^\d+\/\d+ · /, '');
    assert.deepEqual(tree, EXPECTED);

    const text = await run(['check', '--root', root, root]);
    const cliText: Record<string, string> = {};
    let workflow = '';
    for (const line of text.stdout.split('\n')) {
      const head = /^Workflow (\S+):/.exec(line);
      if (head) workflow = head[1]!;
      const m = /^ {2}\S (\d+) \S+ {2}\d+\/\d+ {2}(.+?) {2}\S+$/.exec(line);
      if (m) cliText[`${workflow} ${m[1]}`] = m[2]!;
    }
    assert.deepEqual(cliText, EXPECTED);
    // the marks of the text: ▶ current, ○ not started, ◐ in progress, ✗ failing gates
    assert.match(text.stdout, /^ {2}▶ 01 Frame {2}2\/3 {2}current {2}docs\/helix\/01-frame\/README\.md$/m);
    assert.match(text.stdout, /^ {2}✗ 01 Diagnose {2}3\/5 {2}current · failing gates /m);
    assert.match(text.stdout, /^ {2}◐ 03 Treat {2}1\/3 {2}in progress /m);
    assert.match(text.stdout, /^ {2}○ 04 Monitor {2}0\/2 {2}not started /m);

    const json: JsonReport = JSON.parse(
      (await run(['check', '--root', root, '--format', 'json', root])).stdout,
    );
    const fromJson: Record<string, string> = {};
    for (const w of json.workflows)
      for (const p of w.phases)
        fromJson[`${w.id} ${p.phase}`] =
          `${p.state?.replace('-', ' ')}${p.failingGates ? ' · failing gates' : ''}`;
    assert.deepEqual(fromJson, EXPECTED);
    // `failingGates` is written only when true; `started` keeps its meaning
    const helix = json.workflows.find((w) => w.id === 'docs/helix')!;
    assert.deepEqual(
      helix.phases.map((p) => [p.phase, p.started, p.state, 'failingGates' in p]),
      [
        ['01', false, 'current', false],
        ['02', false, 'not-started', false],
      ],
    );

    const dashboard = await client.request<DashboardResult>('cdp/dashboard', {});
    assert.deepEqual(fromHtml(renderDashboardBody(dashboard.view as DashboardView)), EXPECTED);
    const report = await run(['report', '--root', root, root]);
    assert.deepEqual(fromHtml(report.stdout), EXPECTED);

    const summaryFile = join(root, 'summary.md');
    await run(['check', '--root', root, '--summary', summaryFile, root]);
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, /^\| 01 Diagnose \| 3\/5 \| 0\/1 \| ❌ current · failing gates \|$/m);
    assert.match(summary, /^\| 03 Treat \| 1\/3 \| 0\/1 \| 🔄 in progress \|$/m);
    assert.match(summary, /^\| 01 Frame \| 2\/3 \| 0\/1 \| ▶️ current \|$/m);

    const md = gateReportMarkdown(workflows, { path: client.rel });
    assert.match(md, /^### ▶️ 01 Frame — 2\/3 · current$/m);
    assert.match(md, /^### ❌ 02 Prescribe — 0\/4 · not started · failing gates$/m);
  });

  it('says in the tree why a phase with met checks is not started, and marks errors beside the state', async () => {
    const { workflows } = await client.request<WorkflowsResult>('cdp/workflows', {});
    const helix = workflows.find((w) => w.id === 'docs/helix')!;
    const [frame, design] = helix.phases.map((p) => phaseView(p));
    assert.equal(frame!.state, 'current');
    assert.equal(frame!.icon, 'play-circle');
    assert.match(frame!.tooltip, /^Phase 01: Frame: current, 2 of 3 done\n/);
    assert.equal(design!.state, 'not-started');
    assert.equal(
      design!.accessibilityLabel,
      'Phase 02 Design, not started, 1 of 2 done, met by gate checks alone',
    );
    const wf = workflows.find((w) => w.id === 'wf')!;
    const diagnose = phaseView(wf.phases[0]!);
    assert.equal(diagnose.state, 'current');
    assert.equal(diagnose.icon, 'warning');
    // error diagnostics in the phase document: a marker after the state's words
    const broken = phaseView({ ...wf.phases[2]!, hasErrors: true });
    assert.equal(broken.state, 'in-progress');
    assert.equal(broken.icon, 'error');
    assert.equal(broken.description, '1/3 · in progress · has errors');
  });
});
