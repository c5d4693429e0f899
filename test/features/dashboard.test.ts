// cdp/dashboard called in-process on workspaces held in memory (no server process).
// Reading the progress over time from git is the server's (node/git-history.ts through
// the context): tested over stdio in test/lsp/dashboard.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../server/src/cli/main';
import type { DashboardView } from '../../server/src/core/dashboard';
import type { DashboardResult, WorkflowsResult } from '../../server/src/protocol';
import { featureContext } from '../helpers/feature-context';
import { readTree } from '../helpers/files';
import { ROOT } from '../helpers/memory-workspace';
import { defineDoc } from '../helpers/phase-docs';
import { uriOf } from '../lsp/client';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

async function start(files: Record<string, string>, opts: Parameters<typeof featureContext>[1] = {}) {
  const client = await featureContext(files, { openAll: false, ...opts });
  const dashboard = async (historyCommits?: number) => {
    const r = await client.request<DashboardResult>('cdp/dashboard', { historyCommits });
    return { ...r, view: r.view as DashboardView };
  };
  return { client, dashboard };
}

/** `cdp check --format json` on a folder. */
async function checkJson(root: string) {
  let stdout = '';
  await main(
    ['check', root, '--format', 'json'],
    (s) => {
      stdout += `${s}\n`;
    },
    () => undefined,
  );
  return JSON.parse(stdout) as {
    workflows: { id: string; phases: { phase: string; groups: { checked: number; total: number }[] }[] }[];
  };
}

describe('cdp/dashboard', () => {
  it('gives the counts cdp check reports, and a URI for every file it names', async () => {
    // The examples folder read into memory, under its own URI.
    const { dashboard } = await start(readTree(EXAMPLES), { root: uriOf(EXAMPLES) });
    const r = await dashboard();
    assert.equal(r.ready, true);
    assert.equal(r.view.history, undefined, 'no history unless asked');
    const json = await checkJson(EXAMPLES);
    assert.deepEqual(
      r.view.workflows.map((w) => [w.id, w.phases.map((p) => [p.id, p.checked, p.total])]),
      json.workflows.map((w) => [
        w.id,
        w.phases.map((p) => [
          p.phase,
          p.groups.reduce((n, g) => n + g.checked, 0),
          p.groups.reduce((n, g) => n + g.total, 0),
        ]),
      ]),
    );
    const files = new Set(
      r.view.workflows.flatMap((w) => [...w.phases.map((p) => p.file), ...w.blocking.map((b) => b.file)]),
    );
    assert.ok(files.size > 0);
    for (const f of files) assert.equal(r.uris[f], uriOf(join(EXAMPLES, f)), f);
    assert.ok(
      r.view.workflows.some((w) => w.blocking.length > 0),
      'the examples have blocking items',
    );
  });

  it('asks its context for the history of each folder with workflows, bounded to the commits asked for', async () => {
    const asked: [string, number][] = [];
    const { dashboard } = await start(
      { 'wf/01-define.md': defineDoc([true]) },
      {
        history: (folder, _workflows, limit) => {
          asked.push([folder, limit]);
          return { note: 'Not a git repository: no progress over time.' };
        },
      },
    );
    assert.equal((await dashboard()).view.history, undefined, 'no history unless asked');
    const r = await dashboard(50);
    assert.deepEqual(r.view.history, { note: 'Not a git repository: no progress over time.' });
    await dashboard(5000);
    assert.deepEqual(asked, [
      [ROOT, 50],
      [ROOT, 1000],
    ]);
  });

  it('prefixes files with their folder in a multi-root workspace', async () => {
    const a = 'file:///work/a';
    const b = 'file:///work/b';
    const { dashboard } = await start(
      { 'wf/01-define.md': defineDoc([false]) },
      { root: a, folders: { [b]: { 'wf/01-define.md': defineDoc([true]) } } },
    );
    const r = await dashboard();
    const files = r.view.workflows.flatMap((w) => w.phases.map((p) => p.file)).sort();
    const name = (p: string) => p.split('/').pop();
    assert.deepEqual(files, [`${name(a)}/wf/01-define.md`, `${name(b)}/wf/01-define.md`].sort());
    for (const f of files) assert.ok(r.uris[f].startsWith(f.startsWith(name(a)!) ? a : b), f);
  });
});

describe('cdp/dashboard and cdp/workflows with a phase file that was not read', () => {
  it('blocks readiness on that file, saying why, with a URI to open it', async () => {
    const readme = (n: string, name: string, extra = '') =>
      `# Phase ${n}: ${name}\n\n## Exit Criteria\n\n- [x] ${name} done\n${extra}`;
    const { client, dashboard } = await start({
      'docs/helix/01-frame/README.md': readme('01', 'Frame'),
      'docs/helix/02-design/README.md': readme('02', 'Design', '\u0000'),
      'docs/helix/03-test/README.md': readme('03', 'Test'),
    });
    const r = await dashboard();
    const w = r.view.workflows[0];
    assert.equal(w.readiness.ready, false);
    const file = 'docs/helix/02-design/README.md';
    assert.deepEqual(
      w.blocking.filter((b) => b.phase === '02').map((b) => [b.text, b.file, b.reason]),
      [
        [
          '(not read)',
          file,
          'the phase file was not read: binary content (NUL bytes), not a markdown document',
        ],
      ],
    );
    assert.ok(r.uris[file]?.endsWith(file), JSON.stringify(r.uris));
    // The Progress view and the status bar read it from the workflows too.
    const { workflows } = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      workflows[0].phases.map((p) => p.phase),
      ['01', '03'],
    );
    assert.deepEqual(
      workflows[0].unreadPhases?.map((u) => [u.phase, u.uri.endsWith(file), u.reason]),
      [['02', true, 'binary content (NUL bytes), not a markdown document']],
    );
  });
});
