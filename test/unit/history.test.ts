// Progress over time (`cdp report --history N`, node/git-history.ts + core/history.ts): each
// point counts a phase's items as the rest of the dashboard does, gate files included.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import type { DashboardView } from '../../server/src/core/dashboard';
import { type HistoryCommit, historySeries } from '../../server/src/core/history';
import { run } from '../helpers/cli';
import { tempDir, tempWorkspace, writeFiles } from '../helpers/files';

const embedded = (html: string): DashboardView =>
  JSON.parse(/<script type="application\/json" id="cdp-dashboard-data">([\s\S]*?)<\/script>/.exec(html)![1]);

async function dashboard(root: string, history: number): Promise<DashboardView> {
  const out = join(tempDir('cdp-history-out-'), 'report.html');
  const r = await run(['report', root, '--out', out, '--history', String(history)]);
  assert.equal(r.code, 0, r.stderr);
  return embedded(readFileSync(out, 'utf8'));
}

const frame = (ticked: boolean) =>
  `# Phase 01: Frame\n\n## Exit Criteria\n\n- [${ticked ? 'x' : ' '}] Scope agreed\n`;
const frameGate =
  'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/wf/01-frame/spec.md\n      description: Spec written\n    - check: grep_present\n      path: docs/wf/01-frame/spec.md\n      pattern: "## Goals"\n      description: Spec has goals\n  manual:\n    - "Sponsor signed off"\n';
const design = '# Phase 02: Design\n\nDesign the thing.\n';
const designGate =
  'entry_requirements:\n  automated:\n    - check: previous_phase_complete\n      description: Frame done\n';
const confirmed =
  '- file: "./docs/wf/01-frame/GATE.yaml"\n  item: "Sponsor signed off"\n  by: "Ada"\n  at: "2026-01-03T00:00:00Z"\n';

describe('progress over time', () => {
  it('counts gate-file items at each commit (checks against that commit, its confirmations), as the dashboard counts them', async () => {
    // The workspace folder is a sub-folder of the repository.
    const repo = tempWorkspace({});
    const root = join(repo, 'project');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
        cwd: repo,
        env: {
          ...process.env,
          GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
          GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
        },
      });
    const commit = (files: Record<string, string>, message: string) => {
      writeFiles(root, files);
      git('add', '-A');
      git('commit', '-qm', message);
    };
    git('init', '-q');
    commit(
      {
        'docs/wf/01-frame/README.md': frame(false),
        'docs/wf/01-frame/GATE.yaml': frameGate,
        'docs/wf/02-design/README.md': design,
        'docs/wf/02-design/input-gates.yml': designGate,
        // A workflow definition beside it: no progress of its own to trace.
        'workflows/lib/workflow.yml': 'name: lib\n',
        'workflows/lib/phases/01-frame/README.md': frame(false),
        'workflows/lib/phases/01-frame/GATE.yaml': frameGate,
      },
      'Start',
    );
    commit(
      { 'docs/wf/01-frame/README.md': frame(true), 'docs/wf/01-frame/spec.md': '# Spec\n\nSoon.\n' },
      'Scope agreed, spec begun',
    );
    commit({ 'docs/wf/01-frame/spec.md': '# Spec\n\n## Goals\n' }, 'Goals');
    commit({ '.cdp/confirmations.yml': confirmed }, 'Sponsor signed off');
    // Only a file a check reads changes: a point too (the goals are dropped again).
    commit({ 'docs/wf/01-frame/spec.md': '# Spec\n\nRewritten.\n' }, 'Spec rewritten');
    commit({ 'notes.md': '# Notes\n' }, 'Unrelated');

    const view = await dashboard(root, 10);
    assert.ok(view.history && !('note' in view.history), JSON.stringify(view.history));
    assert.deepEqual(
      view.history.map((h) => h.workflow),
      ['docs/wf'],
    );
    const [series] = view.history;
    assert.deepEqual(
      series.points.map((p) => p.subject),
      ['Start', 'Scope agreed, spec begun', 'Goals', 'Sponsor signed off', 'Spec rewritten'],
    );
    // 01: its checkbox, two checks and the manual item; 02: its entry gate on 01.
    assert.deepEqual(
      series.points.map((p) => `${p.checked['01']}/${p.total['01']} ${p.checked['02']}/${p.total['02']}`),
      ['0/4 0/1', '2/4 0/1', '3/4 0/1', '4/4 1/1', '3/4 0/1'],
    );
    // The last point is the workspace as the dashboard shows it.
    const phases = view.workflows[0].phases;
    const last = series.points[series.points.length - 1];
    for (const p of phases)
      assert.deepEqual([last.checked[p.id], last.total[p.id]], [p.checked, p.total], p.id);
  });

  it('reads a document saved as UTF-16 at each commit as the working tree reads it', async () => {
    const repo = tempWorkspace({});
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
        cwd: repo,
      });
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    git('init', '-q');
    writeFiles(repo, {
      'wf/05-release.md': utf16(
        '# Release\n\n---\nphase: "05"\n---\n\n## Exit Criteria\n\n- [x] a\n- [ ] b\n',
      ),
    });
    git('add', '-A');
    git('commit', '-qm', 'One');
    writeFiles(repo, {
      'wf/05-release.md': utf16(
        '# Release\n\n---\nphase: "05"\n---\n\n## Exit Criteria\n\n- [x] a\n- [x] b\n',
      ),
    });
    git('commit', '-qam', 'Two');
    const view = await dashboard(repo, 5);
    assert.ok(view.history && !('note' in view.history), JSON.stringify(view.history));
    assert.deepEqual(
      view.history[0].points.map((p) => `${p.checked['05']}/${p.total['05']}`),
      ['1/2', '2/2'],
    );
  });

  it('a gate path that names a file only in other letter case fails at a past commit, as it does now', () => {
    const gate =
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/wf/01-frame/Spec.md\n    - check: file_exists\n      path: docs/wf/01-frame/spec.md\n    - check: dir_not_empty\n      path: DOCS/wf\n';
    const files = ['docs/wf/01-frame/GATE.yaml', 'docs/wf/01-frame/README.md', 'docs/wf/01-frame/spec.md'];
    const commit: HistoryCommit = {
      commit: 'c1',
      date: '2026-01-01T00:00:00Z',
      subject: 'Spec',
      texts: new Map([['01', '# Phase 01: Frame\n']]),
      gateTexts: new Map([['docs/wf/01-frame/GATE.yaml', gate]]),
      tree: { files: () => files, text: () => undefined },
    };
    const gates = { files: new Map([['01', ['docs/wf/01-frame/GATE.yaml']]]), match: () => [] };
    const series = historySeries('docs/wf', ['01'], [commit], defaultConfig(), gates);
    assert.deepEqual([series.points[0].checked['01'], series.points[0].total['01']], [1, 3]);
  });
  it('beside gate files a numbered list of criteria is not counted at a past commit, as it is not now', () => {
    const readme = '# Phase 01: Frame\n\n## Exit Criteria\n\n1. PRD approved\n2. Metrics agreed\n';
    const gate = 'exit_requirements:\n  manual:\n    - "PRD approved"\n';
    const commit = (gateText?: string): HistoryCommit => ({
      commit: 'c1',
      date: '2026-01-01T00:00:00Z',
      subject: 'Frame',
      texts: new Map([['01', readme]]),
      gateTexts: new Map(gateText === undefined ? [] : [['docs/wf/01-frame/GATE.yaml', gateText]]),
      tree: {
        files: () => ['docs/wf/01-frame/GATE.yaml', 'docs/wf/01-frame/README.md'],
        text: () => undefined,
      },
    });
    const gates = { files: new Map([['01', ['docs/wf/01-frame/GATE.yaml']]]), match: () => [] };
    const series = historySeries('docs/wf', ['01'], [commit(gate), commit()], defaultConfig(), gates);
    assert.deepEqual(
      series.points.map((p) => [p.checked['01'], p.total['01']]),
      [
        [0, 1],
        [0, 2],
      ],
      'the gate item alone; without the gate file (not yet written) the list counts',
    );
  });

  it('an evidence #anchor at a past commit lands as a markdown link would (repeats numbered, percent-decoded)', () => {
    const prd = '# PRD\n\n## Übersicht\n\n## Overview\n\n## Overview\n\n## User Personas\n';
    const anchors = ['overview-1', '%C3%BCbersicht', 'User Personas', 'overview-2', 'goals'];
    const gate = `exit_gates:\n${anchors.map((a, i) => `  - criteria: c${i}\n    evidence: docs/prd.md#${a}\n`).join('')}`;
    const files = ['docs/wf/01-frame/exit-gates.yml', 'docs/wf/01-frame/README.md', 'docs/prd.md'];
    const commit: HistoryCommit = {
      commit: 'c1',
      date: '2026-01-01T00:00:00Z',
      subject: 'PRD',
      texts: new Map([['01', '# Phase 01: Frame\n']]),
      gateTexts: new Map([['docs/wf/01-frame/exit-gates.yml', gate]]),
      tree: { files: () => files, text: (rel) => (rel === 'docs/prd.md' ? prd : undefined) },
    };
    const gates = { files: new Map([['01', ['docs/wf/01-frame/exit-gates.yml']]]), match: () => [] };
    const series = historySeries('docs/wf', ['01'], [commit], defaultConfig(), gates);
    // The first three land (a second "Overview", `Ü` encoded, a heading named by its text); not the last two.
    assert.deepEqual([series.points[0].checked['01'], series.points[0].total['01']], [3, 5]);
  });
});
