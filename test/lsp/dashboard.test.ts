// cdp/dashboard in the running server: progress over time read from git (the server's
// history, node/git-history.ts). The dashboard itself is tested in-process in
// test/features/dashboard.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { DashboardView } from '../../server/src/core/dashboard';
import type { DashboardResult } from '../../server/src/protocol';
import { buildDoc, defineDoc } from '../helpers/phase-docs';
import { tempWorkspace, trackedServers, writeFiles } from './client';

const startOn = trackedServers();

async function start(folders: string[]) {
  const client = await startOn(folders);
  const dashboard = async (historyCommits?: number) => {
    const r = (await client.connection.sendRequest('cdp/dashboard', { historyCommits })) as DashboardResult;
    return { ...r, view: r.view as DashboardView };
  };
  return { client, dashboard };
}

describe('cdp/dashboard', () => {
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
});
