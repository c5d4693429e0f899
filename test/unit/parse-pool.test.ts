import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { loadWorkspace } from '../../server/src/core/load';
import { NodeFsWorkspace } from '../../server/src/node/fs-workspace';
import { POOL_MIN_CORES, POOL_MIN_DOCUMENTS, poolLoader, threadsFor } from '../../server/src/node/parse-pool';
import { run } from '../helpers/cli';
import { tempDir } from '../helpers/files';

const ROOT = join(__dirname, '..', '..');

describe('the parse pool (worker threads)', () => {
  const dir = tempDir('cdp-pool-');
  const outside = tempDir('cdp-pool-out-');
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  // A generated workspace (workflows, artifacts, ids, broken links), plus the files a
  // load turns into notices, and links the boundary checks refuse.
  execFileSync(process.execPath, [
    join(ROOT, 'bench', 'generate.mjs'),
    '--docs',
    '400',
    '--out',
    dir,
    '--ids',
  ]);
  // every kind of item a document packs for the trip between threads, lean and not
  writeFileSync(
    join(dir, 'kinds.md'),
    [
      '---',
      'next_phase: "[[02-b|Next]]"',
      'ddx:',
      '  id: KINDS-1',
      '  depends_on: [A-1, "B-2"]',
      '---',
      '# Kinds',
      'Setext heading',
      '==============',
      '- [x] done [[a#Head|alias]] ![[img.png]]',
      '  - [ ] nested <https://example.com>',
      'See [the plan](<my plan.md#Scope>), [enc](docs/my%20doc.md) and ![pic](p.png).',
      'A [link over',
      'two lines](two.md) and [[wiki over',
      'no]] text.',
      '- [ x] malformed',
    ].join('\n'),
  );
  // a DDX block with every field, under the older key
  writeFileSync(
    join(dir, 'kinds-dun.md'),
    [
      '---',
      'dun:',
      '  id: KINDS-2',
      '  depends_on: KINDS-1',
      '  status: superseded',
      '  superseded_by: KINDS-3',
      '  supersedes: [KINDS-0, KINDS-00]',
      '  type: spec',
      '  activity: design',
      '  phase: frame',
      '  parking_lot: true',
      '  review:',
      '    reviewed_at: 2026-01-02',
      '---',
      '# Kinds two',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'empty.md'), '   \n');
  writeFileSync(join(dir, 'binary.md'), 'a\u0000b');
  writeFileSync(join(dir, 'huge.md'), `# Huge\n${'x'.repeat(2100 * 1024)}`);
  writeFileSync(join(outside, 'secret.md'), '# Secret\n');
  symlinkSync(join(outside, 'secret.md'), join(dir, 'secret-link.md'));
  symlinkSync(outside, join(dir, 'outside-folder'));

  it('gives byte for byte the same JSON report with and without worker threads', async () => {
    const one = await run(['check', dir, '--format', 'json', '--jobs', '1']);
    const pooled = await run(['check', dir, '--format', 'json', '--jobs', '3']);
    const auto = await run(['check', dir, '--format', 'json']);
    assert.equal(one.stderr, '');
    const report = JSON.parse(one.stdout);
    assert.ok(report.workflows.length > 5 && report.diagnostics.length > 50, 'a report with content');
    assert.ok(report.notices.some((n: { file: string }) => n.file === 'binary.md'));
    assert.ok(report.notices.some((n: { file: string }) => n.file === 'empty.md'));
    assert.ok(report.notices.some((n: { file: string }) => n.file === 'huge.md'));
    assert.equal(pooled.stdout, one.stdout);
    assert.equal(pooled.code, one.code);
    assert.equal(auto.stdout, one.stdout);
  });

  it('workers read their share, the index equals a one-thread load, and links outside stay unread', async () => {
    const config = defaultConfig();
    const single = await loadWorkspace(new NodeFsWorkspace([dir]), config);
    const stats = { byWorkers: 0 };
    const ws = new NodeFsWorkspace([dir]);
    const pooled = await loadWorkspace(ws, config, {
      loader: poolLoader(ws, config, 2, { stats, shareWork: false }),
    });
    assert.ok(stats.byWorkers > 0, 'a worker read documents');
    assert.deepEqual(pooled.notices, single.notices);
    const uris = (r: typeof single) => [...r.index.all()].map((e) => e.uri).sort();
    assert.deepEqual(uris(pooled), uris(single));
    assert.ok(!uris(pooled).some((u) => u.includes('secret') || u.includes('outside-folder')));
    assert.ok(
      [...single.index.all()].some((e) => (e.doc.ddx?.dependsOn.length ?? 0) > 0),
      'documents with ids and dependencies crossed threads',
    );
    const dun = [...pooled.index.all()].find((e) => e.rel === 'kinds-dun.md')?.doc.ddx;
    assert.deepEqual(
      [dun?.block, dun?.status, dun?.supersedes, dun?.parkingLot, dun?.review, dun?.id?.range.start],
      [
        'dun',
        'superseded',
        ['KINDS-0', 'KINDS-00'],
        true,
        'reviewed_at: 2026-01-02',
        { line: 2, character: 6 },
      ],
    );
    for (const e of single.index.all()) {
      const p = pooled.index.get(e.uri)!;
      // Ranges are built on access: they exist only when the classes came back.
      assert.deepEqual(
        p.doc.links.map((l) => [l.target, l.range, l.targetRange, l.headingRange]),
        e.doc.links.map((l) => [l.target, l.range, l.targetRange, l.headingRange]),
      );
      assert.deepEqual(
        p.doc.tasks.map((t) => [t.text, t.range, t.checkboxRange]),
        e.doc.tasks.map((t) => [t.text, t.range, t.checkboxRange]),
      );
      assert.deepEqual(
        p.doc.headings.map((h) => [h.text, h.range]),
        e.doc.headings.map((h) => [h.text, h.range]),
      );
      assert.deepEqual(p.doc.metadata, e.doc.metadata);
      assert.deepEqual(p.doc.ddx, e.doc.ddx);
      // the whole document, classes included: packed items come back as they were made
      assert.deepEqual(p.doc, e.doc);
    }
  });

  it('a worker says a file was searched in its first 512 KB only, as this thread does', async () => {
    // Enough documents for two threads, and a file over 512 KB whose forbidden text lies
    // past its first 512 KB, searched with a plain-text pattern (answers kept, not the text).
    const big = tempDir('cdp-pool-big-');
    for (let i = 0; i < 300; i++) writeFileSync(join(big, `n${i}.md`), `# Note ${i}\n`);
    writeFileSync(join(big, 'big.md'), `# Big\n${'All good here.\n'.repeat(45_000)}FORBIDDEN\n`);
    mkdirSync(join(big, '01-frame'));
    writeFileSync(join(big, '01-frame/README.md'), '# Phase 01: Frame\n\nFrame it.\n');
    writeFileSync(
      join(big, '01-frame/GATE.yaml'),
      'phase: frame\nexit_requirements:\n  automated:\n    - check: grep_absent\n      pattern: FORBIDDEN\n      path: big.md\n      description: clean\n',
    );
    const config = defaultConfig();
    const stats = { byWorkers: 0 };
    const ws = new NodeFsWorkspace([big]);
    const pooled = await loadWorkspace(ws, config, {
      loader: poolLoader(ws, config, 2, { stats, shareWork: false }),
    });
    assert.ok(stats.byWorkers > 300, 'the workers read every document');
    const single = await loadWorkspace(new NodeFsWorkspace([big]), config);
    const uri = [...pooled.index.all()].find((e) => e.rel === 'big.md')!.uri;
    assert.deepEqual(pooled.index.gates.answer(uri, 'FORBIDDEN'), { matched: false, partial: true });
    assert.deepEqual(single.index.gates.answer(uri, 'FORBIDDEN'), { matched: false, partial: true });
  });

  it('stays in one thread for small workspaces and on two cores unless asked', () => {
    assert.equal(threadsFor(POOL_MIN_DOCUMENTS - 1, 0, 8), 1);
    assert.equal(threadsFor(100_000, 0, 2), 1);
    assert.equal(threadsFor(100_000, 0, POOL_MIN_CORES), POOL_MIN_CORES);
    assert.equal(threadsFor(100_000, 1, 8), 1);
    assert.equal(threadsFor(100_000, 4, 2), 4);
    // A few batches per thread: no thread started for nothing.
    assert.equal(threadsFor(300, 8), 2);
  });

  it('refuses a --jobs that is not a number of threads', async () => {
    for (const bad of ['0', 'x', '65']) {
      const r = await run(['check', dir, '--jobs', bad]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--jobs/);
    }
  });
});
