import assert from 'node:assert/strict';
import { mkdirSync, promises, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { loadWorkspace } from '../../server/src/core/load';
import { fileUri } from '../../server/src/core/paths';
import { jsonReportPieces } from '../../server/src/core/report';
import { childPath, NodeFsWorkspace } from '../../server/src/node/fs-workspace';
import { run } from '../helpers/cli';
import { tempDir } from '../helpers/files';

/** Counts the realpath lookups made while `fn` runs. */
async function countRealpaths<T>(fn: () => Promise<T>): Promise<{ value: T; calls: string[] }> {
  const original = promises.realpath;
  const calls: string[] = [];
  promises.realpath = ((p: string, ...rest: unknown[]) => {
    calls.push(String(p));
    return (original as (...a: unknown[]) => Promise<string>)(p, ...rest);
  }) as typeof promises.realpath;
  try {
    return { value: await fn(), calls };
  } finally {
    promises.realpath = original;
  }
}

describe('reading a workspace from disk', () => {
  const root = tempDir('cdp-fsws-');
  const outside = tempDir('cdp-fsws-out-');
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  for (const dir of ['a', 'b', 'b/c']) {
    mkdirSync(join(root, dir), { recursive: true });
    for (let i = 0; i < 40; i++)
      writeFileSync(join(root, dir, `doc-${i}.md`), `# Doc ${i}\n\n[[doc-${i + 1}]]\n`);
  }
  writeFileSync(join(outside, 'secret.md'), '# Secret\n');
  writeFileSync(join(root, 'a', 'real.md'), '# Real\n');
  symlinkSync(outside, join(root, 'linked-out'));
  symlinkSync(join(outside, 'secret.md'), join(root, 'a', 'secret-link.md'));
  symlinkSync(join(root, 'a', 'real.md'), join(root, 'b', 'alias.md'));

  it('a loaded folder costs no realpath per document: only the symlinks found are resolved', async () => {
    const { value, calls } = await countRealpaths(() =>
      loadWorkspace(new NodeFsWorkspace([root]), defaultConfig()),
    );
    assert.equal(value.index.size, 3 * 40 + 2); // the in-folder alias is a document too
    // Only the symlinks are resolved (the listing checks where each leads, and the read
    // of the one document behind a link checks again), and the folder of the workspace
    // folder's confirmations file once (read at every load): no lookup per document or folder.
    const links = [join(root, 'a', 'secret-link.md'), join(root, 'b', 'alias.md'), join(root, 'linked-out')];
    assert.deepEqual([...new Set(calls)].sort(), [join(root, '.cdp'), ...links]);
    assert.ok(calls.length <= links.length + 2, calls.join('\n'));
  });

  it('after a listing, reads through a symlinked folder or a link outside are still refused', async () => {
    const ws = new NodeFsWorkspace([root]);
    const listed = await ws.listFiles(ws.folders[0], () => false);
    assert.ok(!listed.some((f) => f.uri.includes('/linked-out/')));
    assert.ok(!listed.some((f) => f.uri.endsWith('/secret-link.md')));
    await assert.rejects(ws.readText(fileUri(join(root, 'linked-out', 'secret.md'))), /outside/);
    await assert.rejects(ws.readText(fileUri(join(root, 'a', 'secret-link.md'))), /outside/);
    assert.equal(await ws.readText(fileUri(join(root, 'b', 'alias.md'))), '# Real\n');
  });

  it('folders looked up ahead of a batch of reads: one lookup each, and the same refusals', async () => {
    const ws = new NodeFsWorkspace([root]); // nothing listed: every folder must be looked up
    const uris = [
      ...['a', 'b', 'b/c'].flatMap((d) => [0, 1, 2].map((i) => fileUri(join(root, d, `doc-${i}.md`)))),
      fileUri(join(root, 'linked-out', 'secret.md')),
      'untitled:not-a-file',
    ];
    const { calls } = await countRealpaths(async () => {
      ws.prefetchFolders(uris);
      // The reads after it wait on the lookups already under way: none of their own.
      for (const d of ['a', 'b', 'b/c'])
        assert.equal(await ws.readText(fileUri(join(root, d, 'doc-0.md'))), '# Doc 0\n\n[[doc-1]]\n');
      await assert.rejects(ws.readText(fileUri(join(root, 'linked-out', 'secret.md'))), /outside/);
    });
    assert.deepEqual(
      calls.sort(),
      ['a', 'b', 'b/c', 'linked-out'].map((d) => join(root, d)),
    );
  });

  it('reads a file that changed size after it was opened to its end', async () => {
    const ws = new NodeFsWorkspace([root]);
    const file = join(root, 'a', 'grown.md');
    writeFileSync(file, 'x'.repeat(100_000));
    assert.equal((await ws.readText(fileUri(file))).length, 100_000);
    writeFileSync(file, 'y'.repeat(200_000));
    assert.equal(await ws.readText(fileUri(file)), 'y'.repeat(200_000));
    rmSync(file);
  });
});

describe('a symbolic link to a folder inside the workspace folder', () => {
  it('is listed and not entered, and links through it reach what is there', async () => {
    const root = tempDir('cdp-folder-link-');
    after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'shared-notes'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'shared-notes', 'notes.md'), '# Notes\n\n## Intro\n');
    writeFileSync(join(root, 'shared-notes', 'pic.png'), 'png');
    symlinkSync(join(root, 'shared-notes'), join(root, 'docs', 'shared'));
    symlinkSync(root, join(root, 'docs', 'loop'));
    writeFileSync(
      join(root, 'README.md'),
      '# Readme\n\n[n](docs/shared/notes.md#intro) [f](docs/shared/) ![p](docs/shared/pic.png) [[docs/shared/notes]]\n\n[gone](docs/shared/gone.md) [far](docs/loop/docs/loop/README.md)\n',
    );
    const ws = new NodeFsWorkspace([root]);
    const listed = await ws.listFiles(ws.folders[0], () => false);
    assert.deepEqual(
      listed.filter((f) => f.folderLink).map((f) => f.uri),
      [fileUri(join(root, 'docs', 'loop')), fileUri(join(root, 'docs', 'shared'))],
    );
    assert.ok(!listed.some((f) => f.uri.includes('/docs/shared/') || f.uri.includes('/docs/loop/')));
    const { index } = await loadWorkspace(ws, defaultConfig());
    // Each document once, from its own place.
    assert.deepEqual([...index.all()].map((e) => e.rel).sort(), ['README.md', 'shared-notes/notes.md']);
    const readme = [...index.all()].find((e) => e.rel === 'README.md')!;
    assert.deepEqual(
      readme.doc.links.map((l) => [l.target, index.resolve(readme, l).status]),
      [
        ['docs/shared/notes.md', 'file'],
        ['docs/shared/', 'file'],
        ['docs/shared/pic.png', 'file'],
        ['docs/shared/notes', 'file'],
        ['docs/shared/gone.md', 'broken'],
        ['docs/loop/docs/loop/README.md', 'file'],
      ],
    );
  });
});

describe('paths of listed and read files', () => {
  it('a folder path and an entry name make what path.join makes of them', () => {
    const dirs = ['/', '/ws', '/ws/', '/ws/a b', '/ws/docs/helix/01-frame', 'C:\\x'];
    const names = ['README.md', 'a b.md', 'x\\y.md', '.hidden', '..x', 'x..', '.', '..', '', 'a/b'];
    for (const dir of dirs)
      for (const name of names) assert.equal(childPath(dir, name), join(dir, name), `${dir} + ${name}`);
  });

  it('a workspace folder that does not exist, or is a file, is said to be so when listed', async () => {
    const root = tempDir('cdp-missing-');
    writeFileSync(join(root, 'file.md'), '# F\n');
    try {
      for (const [path, said] of [
        [join(root, 'not-yet'), /^Error: no such folder \(nothing is indexed there until it is created\)$/],
        [join(root, 'file.md'), /^Error: not a folder$/],
      ] as const) {
        const ws = new NodeFsWorkspace([path]);
        await assert.rejects(
          ws.listFiles(ws.folders[0], () => false),
          said,
        );
      }
      // A folder inside that cannot be read is left out, the rest listed.
      const ws = new NodeFsWorkspace([root]);
      assert.deepEqual(
        (await ws.listFiles(ws.folders[0], () => false)).map((f) => f.uri),
        [fileUri(join(root, 'file.md'))],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('listed files keep their URIs and are read by them', async () => {
    const root = tempDir('cdp-child-');
    mkdirSync(join(root, 'a b', 'c'), { recursive: true });
    writeFileSync(join(root, 'a b', 'c', 'x y.md'), '# X\n');
    writeFileSync(join(root, 'top.md'), '# T\n');
    try {
      const ws = new NodeFsWorkspace([`${root}/`]);
      const files = await ws.listFiles(ws.folders[0], () => false);
      assert.deepEqual(
        files.map((f) => f.uri),
        [fileUri(join(root, 'top.md')), fileUri(join(root, 'a b', 'c', 'x y.md'))],
      );
      for (const f of files) assert.match(await ws.readText(f.uri), /^# /);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the JSON report', () => {
  it('writes diagnostics given as a generator as it reads them, with the same text as a list', () => {
    const diags = Array.from({ length: 3000 }, (_, i) => ({
      file: `f${i}.md`,
      line: i + 1,
      column: 1,
      endLine: i + 1,
      endColumn: 2,
      severity: 'warning' as const,
      code: 'broken-link',
      message: `message ${i}`,
    }));
    const report = (d: Iterable<(typeof diags)[number]>) => ({
      root: '/r',
      workflows: [],
      diagnostics: d,
      notices: [],
    });
    let produced = 0;
    function* lazily() {
      for (const d of diags) {
        produced++;
        yield d;
      }
    }
    const pieces = jsonReportPieces(report(lazily()), (u) => u);
    let text = '';
    let first: number | undefined;
    for (const p of pieces) {
      assert.ok(p.endsWith('\n'));
      if (first === undefined && produced > 0) first = produced;
      text += p;
    }
    assert.ok(
      first !== undefined && first < diags.length,
      'the first diagnostics were written before the last was made',
    );
    assert.equal(text, [...jsonReportPieces(report(diags), (u) => u)].join(''));
    const parsed = JSON.parse(text);
    assert.equal(parsed.diagnostics.length, 3000);
    assert.deepEqual(parsed.diagnostics[2999], diags[2999]);
    assert.deepEqual(JSON.parse([...jsonReportPieces(report([]), (u) => u)].join('')).diagnostics, []);
  });
});

describe('text that is not UTF-8', () => {
  it('is read leniently and known as not UTF-8 until a read finds it is', async () => {
    const root = tempDir('cdp-utf8-');
    after(() => rmSync(root, { recursive: true, force: true }));
    const ws = new NodeFsWorkspace([root]);
    const file = join(root, '01-a.md');
    const uri = fileUri(file);
    writeFileSync(file, Buffer.from('# Caf\xE9\n- [ ] r\xE9sum\xE9 ok\n', 'latin1'));
    assert.equal(await ws.readText(uri), '# Caf\uFFFD\n- [ ] r\uFFFDsum\uFFFD ok\n');
    assert.equal(ws.notUtf8(uri), true);
    // U+FFFD written as UTF-8 is text like any other.
    writeFileSync(file, '# Caf\uFFFD\n');
    assert.equal(await ws.readText(uri), '# Caf\uFFFD\n');
    assert.equal(ws.notUtf8(uri), false);
    writeFileSync(file, '# Café\n');
    assert.equal(await ws.readText(uri), '# Café\n');
    assert.equal(ws.notUtf8(uri), false);
  });

  it('saved as UTF-16 with its byte order mark is read as the editor reads it, and known as not UTF-8', async () => {
    const root = tempDir('cdp-utf16-');
    const ws = new NodeFsWorkspace([root]);
    const text = '# Monitor 🚀\n\n## Exit Criteria\n\n- [ ] stable\n';
    const le = join(root, '04-monitor.md');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.equal(await ws.readText(fileUri(le)), text);
    assert.equal(ws.notUtf8(fileUri(le)), true);
    const be = join(root, '05-release.md');
    const swapped = Buffer.from(text, 'utf16le').swap16();
    writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
    assert.equal(await ws.readText(fileUri(be)), text);
    assert.equal(ws.notUtf8(fileUri(be)), true);
    // One stray byte at the end: a replacement character there, the rest read.
    const odd = join(root, '06-odd.md');
    writeFileSync(
      odd,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le'), Buffer.from([0x41])]),
    );
    assert.equal(await ws.readText(fileUri(odd)), `${text}\uFFFD`);
    // Checked as a document, not skipped as binary.
    const r = await run(['check', root, '--format', 'json']);
    assert.deepEqual(
      JSON.parse(r.stdout).workflows[0].phases.map((p: { file: string }) => p.file),
      ['04-monitor.md', '05-release.md', '06-odd.md'],
    );
  });

  it('is known for each file when reads run interleaved, as the loader runs them', async (t) => {
    const root = tempDir('cdp-utf8-');
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const ws = new NodeFsWorkspace([root]);
    const names = Array.from({ length: 16 }, (_, i) => `${String(i).padStart(2, '0')}-doc.md`);
    for (const [i, name] of names.entries())
      writeFileSync(join(root, name), i % 2 === 0 ? Buffer.from('# Caf\xE9\n', 'latin1') : '# Café\n');
    const uris = names.map((name) => fileUri(join(root, name)));
    await Promise.all(uris.map((uri) => ws.readText(uri)));
    assert.deepEqual(
      uris.map((uri) => ws.notUtf8(uri)),
      names.map((_, i) => i % 2 === 0),
    );
  });
});
