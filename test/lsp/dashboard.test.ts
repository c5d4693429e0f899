import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../server/src/cli/main';
import type { DashboardView } from '../../server/src/core/dashboard';
import type { DashboardResult } from '../../server/src/protocol';
import { buildDoc, defineDoc } from '../helpers/phase-docs';
import { tempWorkspace, trackedServers, uriOf, writeFiles } from './client';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

const startOn = trackedServers();

async function start(folders: string[]) {
  const client = await startOn(folders);
  const dashboard = async (historyCommits?: number) => {
    const r = (await client.connection.sendRequest('cdp/dashboard', { historyCommits })) as DashboardResult;
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
    const { dashboard } = await start([EXAMPLES]);
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

  it('reads progress over time from git, bounded to the commits asked for', async () => {
    const root = tempWorkspace({});
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
        cwd: root,
      });
    git('init', '-q');
    writeFiles(root, { 'wf/01-define.md': defineDoc([false, false]), 'wf/02-build.md': buildDoc([false]) });
    git('add', '-A');
    git('commit', '-qm', 'Start');
    writeFiles(root, { 'wf/01-define.md': defineDoc([true, false]) });
    git('commit', '-qam', 'Tick one');
    writeFiles(root, { 'wf/01-define.md': defineDoc([true, true]), 'wf/02-build.md': buildDoc([true]) });
    git('commit', '-qam', 'Tick the rest');
    const { dashboard } = await start([root]);
    const r = await dashboard(50);
    assert.ok(Array.isArray(r.view.history), JSON.stringify(r.view.history));
    const [h] = r.view.history as Exclude<DashboardView['history'], { note: string } | undefined>;
    assert.deepEqual(h.phases, ['01', '02']);
    assert.deepEqual(
      h.points.map((p) => [p.subject, p.checked['01'], p.checked['02']]),
      [
        ['Start', 0, 0],
        ['Tick one', 1, 0],
        ['Tick the rest', 2, 1],
      ],
    );
    const two = await dashboard(2);
    const [h2] = two.view.history as (typeof h)[];
    assert.deepEqual(
      h2.points.map((p) => p.subject),
      ['Tick one', 'Tick the rest'],
    );
  });

  it('says in one note that a folder without git has no history', async () => {
    const root = tempWorkspace({ 'wf/01-define.md': defineDoc([true]) });
    const { dashboard } = await start([root]);
    const r = await dashboard(50);
    assert.deepEqual(r.view.history, { note: 'Not a git repository: no progress over time.' });
  });

  it('prefixes files with their folder in a multi-root workspace', async () => {
    const a = tempWorkspace({ 'wf/01-define.md': defineDoc([false]) });
    const b = tempWorkspace({ 'wf/01-define.md': defineDoc([true]) });
    const { dashboard } = await start([a, b]);
    const r = await dashboard();
    const files = r.view.workflows.flatMap((w) => w.phases.map((p) => p.file)).sort();
    const name = (p: string) => p.split('/').pop();
    assert.deepEqual(files, [`${name(a)}/wf/01-define.md`, `${name(b)}/wf/01-define.md`].sort());
    for (const f of files) assert.ok(r.uris[f].startsWith(uriOf(f.startsWith(name(a)!) ? a : b)), f);
  });
});
