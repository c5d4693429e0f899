import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FileEvent } from 'vscode-languageserver';
import { defaultConfig } from '../../server/src/core/config';
import { FileFilter } from '../../server/src/core/load';
import { FolderWatcher } from '../../server/src/lsp/watcher';
import { tempWorkspace, uriOf } from './client';

/** The server's own folder watcher, for clients that cannot watch files. */

const watchers: FolderWatcher[] = [];
after(async () => {
  await Promise.all(watchers.map((w) => w.stop()));
});

function watcher(root: string, opts: ConstructorParameters<typeof FolderWatcher>[4] = {}) {
  const batches: FileEvent[][] = [];
  const warnings: string[] = [];
  let wake = () => {};
  const w = new FolderWatcher(
    [root],
    () => new FileFilter(defaultConfig()),
    (changes) => {
      batches.push(changes);
      wake();
    },
    (m) => warnings.push(m),
    opts,
  );
  watchers.push(w);
  const until = (test: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        resolve();
      };
      wake = check;
      check();
    });
  const seen = (uri: string) => batches.flat().filter((c) => c.uri === uri);
  return { w, batches, warnings, until, seen };
}

describe('folder watcher', () => {
  it('reports files created, changed and deleted, coalesced per path in debounced batches', async () => {
    const root = tempWorkspace({ 'a.md': '# A\n' });
    const { w, batches, until, seen } = watcher(root);
    await w.start();
    for (let i = 0; i < 20; i++) writeFileSync(join(root, 'b.md'), `# B ${i}\n`);
    await until(() => seen(uriOf(join(root, 'b.md'))).length > 0, 'b.md');
    assert.equal(
      batches[0].filter((c) => c.uri === uriOf(join(root, 'b.md'))).length,
      1,
      'one entry per path',
    );
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'sub', 'deeper', 'c.md'), '# C\n');
    await until(() => seen(uriOf(join(root, 'sub', 'deeper', 'c.md'))).length > 0, 'a file in a new folder');
  });

  it('never enters excluded folders', async () => {
    const root = tempWorkspace({ 'a.md': '# A\n', 'node_modules/p/x.md': '', '.history/y.md': '' });
    const { w, until, seen, batches } = watcher(root);
    await w.start();
    writeFileSync(join(root, 'node_modules', 'p', 'x.md'), '# changed\n');
    writeFileSync(join(root, '.history', 'y.md'), '# changed\n');
    writeFileSync(join(root, '.history', 'z.md'), '# new\n');
    writeFileSync(join(root, 'sync.md'), '# after them\n');
    await until(() => seen(uriOf(join(root, 'sync.md'))).length > 0, 'sync.md');
    const all = batches.flat().map((c) => c.uri);
    assert.deepEqual(all, [uriOf(join(root, 'sync.md'))]);
  });

  it('watches the confirmations of manual gate items, in .cdp, and nothing else there', async () => {
    const root = tempWorkspace({ 'a.md': '# A\n' });
    const { w, until, seen, batches } = watcher(root);
    await w.start();
    mkdirSync(join(root, '.cdp'), { recursive: true });
    writeFileSync(join(root, '.cdp', 'notes.yml'), 'x: 1\n');
    writeFileSync(join(root, '.cdp', 'confirmations.yml'), '- file: "GATE.yaml"\n  item: "Done"\n');
    const file = uriOf(join(root, '.cdp', 'confirmations.yml'));
    await until(() => seen(file).length > 0, '.cdp/confirmations.yml');
    assert.ok(!batches.flat().some((c) => c.uri.endsWith('notes.yml')));
  });

  it('watches at most maxFolders folders and says so', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`d${i}/n.md`] = '# N\n';
    const root = tempWorkspace(files);
    const { w, warnings } = watcher(root, { maxFolders: 3 });
    await w.start();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /More than 3 folders to watch/);
  });
});
