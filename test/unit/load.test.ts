import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/core/config';
import { FileFilter } from '../../server/src/core/load';
import { check } from '../helpers/memory-workspace';

function filter(exclude: string[]): FileFilter {
  const { config, problems } = resolveConfig({ 'cdp.files.exclude': exclude });
  assert.deepEqual(problems, []);
  return new FileFilter(config);
}

describe('which files are indexed', () => {
  it('a pattern for a name skips that name, not every folder', async () => {
    const f = filter(['**/x']);
    assert.equal(f.skipDirectory('docs'), false);
    assert.equal(f.skipDirectory('docs/plans'), false);
    assert.equal(f.skipDirectory('docs/x'), true);
    assert.equal(f.isDocument('docs/plan.md'), true);
    const c = await check(
      { 'docs/plan.md': '[[nowhere]]\n', 'x/a.md': '[[nowhere]]\n' },
      { 'cdp.files.exclude': ['**/x'] },
    );
    assert.deepEqual(
      c.of('broken-link').map((s) => s.split(':')[0]),
      ['docs/plan.md'],
    );
  });

  it('the default patterns skip node_modules, .git and hidden folders, and nothing else', () => {
    const { config } = resolveConfig({});
    const f = new FileFilter(config);
    for (const dir of ['node_modules', 'a/node_modules', '.git', 'a/.cache', '.vscode'])
      assert.equal(f.skipDirectory(dir), true, dir);
    for (const dir of ['docs', 'a/b', 'x', 'node', 'git']) assert.equal(f.skipDirectory(dir), false, dir);
  });

  it('a folder pattern with or without a trailing /** skips the folder; one for files inside it filters them', () => {
    assert.equal(filter(['build']).skipDirectory('build'), true);
    assert.equal(filter(['**/build/**']).skipDirectory('a/build'), true);
    assert.equal(filter(['**/build/**/*']).skipDirectory('a/build'), true);
    const md = filter(['**/drafts/*.md']);
    assert.equal(md.skipDirectory('drafts'), false);
    assert.equal(md.isDocument('drafts/a.md'), false);
    assert.equal(md.isDocument('drafts/sub/a.md'), true);
  });
});

describe('the load lets the host through', () => {
  it('all its loops yield together, once a slice is over', async () => {
    const { MemoryWorkspace } = await import('../helpers/memory-workspace');
    const { loadWorkspace } = await import('../../server/src/core/load');
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`d${String(i).padStart(3, '0')}.md`] = `# D${i}\n\n- [ ] item ${i}\n`;
    const ws = new MemoryWorkspace(files);
    // A clock that a read moves on by 1 ms: a slice of 5 ms is about 5 documents.
    const realNow = Date.now;
    let clock = realNow();
    let readsSinceTurn = 0;
    let mostBetweenTurns = 0;
    let turns = 0;
    let pending = 0;
    let overlapping = 0;
    const read = ws.readText.bind(ws);
    Object.assign(ws, {
      readText: (uri: string) => {
        clock++;
        readsSinceTurn++;
        return read(uri);
      },
      sliceMs: () => 5,
      yieldToHost: () => {
        // A second turn asked for before the first is over: a loop that yielded on its own
        // while the others ran on (each then runs a whole slice per turn of the host).
        if (pending > 0) overlapping++;
        pending++;
        return new Promise<void>((r) =>
          setImmediate(() => {
            pending--;
            turns++;
            mostBetweenTurns = Math.max(mostBetweenTurns, readsSinceTurn);
            readsSinceTurn = 0;
            r();
          }),
        );
      },
    });
    const { config } = resolveConfig({});
    Date.now = () => clock;
    let count: number;
    try {
      count = [...(await loadWorkspace(ws, config, { concurrency: 16 })).index.all()].length;
    } finally {
      Date.now = realNow;
    }
    assert.equal(count, 400);
    assert.equal(overlapping, 0);
    // A slice (6 reads past its start) and the document each other loop was in the middle of.
    assert.ok(mostBetweenTurns <= 6 + 15, `${mostBetweenTurns} documents read between two turns`);
    assert.ok(turns >= 400 / (6 + 15), `${turns} turns`);
  });
});
