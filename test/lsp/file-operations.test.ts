import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { JsonReport } from '../../server/src/core/report';
import type { WorkflowsResult } from '../../server/src/protocol';
import { applyText } from '../helpers/disk-edits';
import { runCli } from '../reliability/corpus';
import { serversOnTempFolders, type TestClient } from './client';

/**
 * The editor's own file operations (`workspace/didRenameFiles`, `didCreateFiles`,
 * `didDeleteFiles`) keep the index right with no watcher event at all, and agree with the
 * watcher events that may follow or precede them. The test client watches for the server
 * (dynamic registration) and sends no watcher event unless a test does.
 */

const start = serversOnTempFolders();
const fast = { settings: { cdp: { diagnostics: { debounceMs: 20 } } } };

/** The broken-link findings of a document, by the link text they name. */
function broken(d: Diagnostic[]): string[] {
  return d
    .filter((x) => x.code === 'broken-link')
    .map((x) => x.message.replace(/ does not resolve.*$/s, ''))
    .sort();
}

function move(root: string, from: string, to: string): void {
  mkdirSync(dirname(join(root, to)), { recursive: true });
  renameSync(join(root, from), join(root, to));
}

const LINKER = '# Linker\n\nSee [[Old Plan]] and [[New Plan]].\n';
const RENAMED = {
  'linker.md': `${LINKER}\n[rel](wf/old-plan.md)\n`,
  'wf/old-plan.md': '# Old Plan\n\n[[nowhere]]\n',
  'wf/gate/README.md': '# Gate\n\n[[Old Plan]]\n',
};

describe('file operations from the editor', () => {
  it('declares willRename, didRename, didCreate and didDelete for every path, with no file-type test', async () => {
    const { client } = await start({ 'a.md': '# A\n' });
    const ops = client.initializeResult.capabilities.workspace?.fileOperations;
    // Matched the way vscode-languageclient matches them: minimatch on the path, dot files
    // included. A filter with `matches` makes it look the path up on disk, which fails
    // for a path already gone (a file deleted by undo) and shows the user an error.
    const { Minimatch } = createRequire(require.resolve('vscode-languageclient'))('minimatch') as {
      Minimatch: new (glob: string, o: object) => { match(path: string): boolean };
    };
    for (const [name, op] of Object.entries({
      willRename: ops?.willRename,
      didRename: ops?.didRename,
      didCreate: ops?.didCreate,
      didDelete: ops?.didDelete,
    })) {
      assert.ok(op, `${name} declared`);
      assert.deepEqual(
        op.filters.filter((f) => f.pattern.matches !== undefined),
        [],
        `${name}: no filter needs the file on disk`,
      );
      const wants = (path: string) =>
        op.filters.some(
          (f) =>
            f.scheme === 'file' &&
            new Minimatch(f.pattern.glob, {
              dot: true,
              nocase: f.pattern.options?.ignoreCase === true,
            }).match(path),
        );
      for (const path of [
        '/w/docs/01-frame/README.md',
        '/w/NOTES.MD',
        '/w/docs/helix/05-deploy/GATE.yaml',
        '/w/wf/02-design/input-gates.yml',
        '/w/wf/02-design/exit-gates.yaml',
        '/w/wf/workflow.yml',
        '/w/.cdp/confirmations.yml',
        '/w/img/arch.png',
        // Folders, which carry documents: no extension, or a dot in the name.
        '/w/docs/helix',
        '/w/releases/v1.2',
      ])
        assert.ok(wants(path), `${name}: ${path}`);
    }
  });

  it('a file a link names in a folder the walk does not enter (.ddx/) stays a link target as it changes, and one created becomes one', async () => {
    const { client, uri, root } = await start(
      {
        'docs/a.md': '# A\n\nSee [lib](../.ddx/lib/x.md), [[.ddx/lib/x]] and [new](../.ddx/lib/y.md).\n',
        '.ddx/lib/x.md': '# X\n',
      },
      fast,
    );
    const a = uri('docs/a.md');
    await client.waitForDiagnostics(a, (d) => broken(d).length === 1, 'only the link to y.md broken');
    writeFileSync(join(root, '.ddx/lib/x.md'), '# X, changed\n');
    writeFileSync(join(root, '.ddx/lib/y.md'), '# Y\n');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('.ddx/lib/x.md'), type: 2 },
        { uri: uri('.ddx/lib/y.md'), type: 1 },
      ],
    });
    await client.waitForDiagnostics(a, (d) => broken(d).length === 0, 'every link resolves');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(broken(client.diagnosticsOf(a)), []);
    // gone, its links break
    rmSync(join(root, '.ddx/lib/x.md'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.ddx/lib/x.md'), type: 3 }],
    });
    await client.waitForDiagnostics(a, (d) => broken(d).length === 2, 'the links to x.md broken');
  });

  it('a renamed document: links to the old name break and links to the new name resolve, with no watcher event', async () => {
    const { root, client, uri } = await start(
      { 'linker.md': LINKER, 'wf/old-plan.md': '# Old Plan\n\nSee [[nowhere]].\n' },
      fast,
    );
    await client.waitForDiagnostics(uri('linker.md'), (d) => broken(d).join() === '[[New Plan]]');
    move(root, 'wf/old-plan.md', 'wf/new-plan.md');
    await client.notify('workspace/didRenameFiles', {
      files: [{ oldUri: uri('wf/old-plan.md'), newUri: uri('wf/new-plan.md') }],
    });
    await client.waitForDiagnostics(
      uri('linker.md'),
      (d) => broken(d).join() === '[[Old Plan]]',
      'the old name broken, the new one resolved',
    );
    // The document's own findings moved with it.
    await client.waitForDiagnostics(uri('wf/old-plan.md'), (d) => d.length === 0, 'the old path cleared');
    await client.waitForDiagnostics(uri('wf/new-plan.md'), (d) => broken(d).join() === '[[nowhere]]');
  });

  for (const [from, to, planAfter] of [
    ['docs/Plan.md', 'docs/plan.md', 'docs/plan.md'],
    ['docs', 'Docs', 'Docs/Plan.md'],
  ])
    it(`a rename of ${from} to ${to}, letter case only: links follow and the document is listed once, under the new path`, async () => {
      const { root, client, uri, rel } = await start(
        {
          'notes.md': '# Notes\n\n[a](docs/Plan.md) [[Plan]] [[docs/Plan]]\n',
          'docs/Plan.md': '# Plan\n\n[n](../notes.md) [[nowhere]]\n',
        },
        fast,
      );
      const notes = uri('notes.md');
      const oldPlan = uri('docs/Plan.md');
      const newPlan = uri(planAfter);
      await client.waitForDiagnostics(oldPlan, (d) => broken(d).join() === '[[nowhere]]');
      const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
        files: [{ oldUri: uri(from), newUri: uri(to) }],
      });
      const edits = (edit?.documentChanges ?? []) as TextDocumentEdit[];
      assert.deepEqual(
        edits.map((c) => rel(c.textDocument.uri)),
        ['notes.md'],
        'the links in notes.md follow the new case',
      );
      // The editor applies the edits, then moves the file.
      const file = join(root, 'notes.md');
      writeFileSync(file, applyText(readFileSync(file, 'utf8'), edits[0].edits));
      move(root, from, to);
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: notes, type: 2 }] });
      await client.notify('workspace/didRenameFiles', { files: [{ oldUri: uri(from), newUri: uri(to) }] });
      await client.waitForDiagnostics(oldPlan, (d) => d.length === 0, 'the old path cleared');
      await client.waitForDiagnostics(newPlan, (d) => broken(d).join() === '[[nowhere]]');
      // Listed under both paths, the document would make [[Plan]] ambiguous and keep its old findings.
      await assertMatchesFreshCheck(client, root);
      assert.deepEqual(client.diagnosticsOf(notes), []);
    });

  it('a renamed folder: its documents are listed again under the new path', async () => {
    const { root, client, uri } = await start(
      {
        'linker.md': '# Linker\n\n[plan](docs/plan.md) and [moved plan](moved/deeper/plan.md)\n',
        'docs/deeper/plan.md': '# Deeper\n\n[[nowhere]]\n',
        'docs/plan.md': '# Plan\n\n[up](../linker.md)\n',
      },
      fast,
    );
    const linker = uri('linker.md');
    await client.waitForDiagnostics(linker, (d) => broken(d).join() === '[moved plan](moved/deeper/plan.md)');
    move(root, 'docs', 'moved');
    await client.notify('workspace/didRenameFiles', {
      files: [{ oldUri: uri('docs'), newUri: uri('moved') }],
    });
    await client.waitForDiagnostics(
      linker,
      (d) => broken(d).join() === '[plan](docs/plan.md)',
      'the link into the old folder broken, into the new one resolved',
    );
    await client.waitForDiagnostics(
      uri('docs/deeper/plan.md'),
      (d) => d.length === 0,
      'the old path cleared',
    );
    await client.waitForDiagnostics(uri('moved/deeper/plan.md'), (d) => broken(d).join() === '[[nowhere]]');
    assert.deepEqual(client.diagnosticsOf(uri('moved/plan.md')), [], 'its relative link still reaches up');
  });

  it('a workflow copied file by file into another folder: every phase whose instance changed is checked again', async () => {
    const names = ['01-diagnose', '02-prescribe', '03-treat', '04-monitor', '05-release', '06-follow-up'];
    const doc = (i: number) =>
      `# Phase 0${i + 1}\n\n---\nphase: "0${i + 1}"\n${i > 0 ? `previous_phase: "[[${names[i - 1]}]]"\n` : ''}${
        i < 5 ? `next_phase: "[[${names[i + 1]}]]"\n` : ''
      }---\n\n## Exit Criteria\n\n- [ ] done ${i}\n`;
    const files = Object.fromEntries(names.map((n, i) => [`a/${n}.md`, doc(i)]));
    const { root, client, uri } = await start({ ...files, 'b/readme.md': '# B\n' }, fast);
    await client.waitForDiagnostics(uri('a/01-diagnose.md'), (d) => d.length > 0);
    for (const [i, n] of names.entries()) {
      writeFileSync(join(root, `b/${n}.md`), doc(i));
      await client.notify('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uri(`b/${n}.md`), type: 1 }],
      });
      // Each file is taken in before the next comes (the first joins a's chain for a while).
      const deadline = Date.now() + 10_000;
      for (;;) {
        const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
        if (wf.workflows.some((w) => w.phases.some((p) => p.uri === uri(`b/${n}.md`)))) break;
        assert.ok(Date.now() < deadline, `b/${n}.md taken in`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await assertMatchesFreshCheck(client, root);
    assert.ok(
      !client.diagnosticsOf(uri('a/01-diagnose.md')).some((d) => d.code === 'duplicate-phase'),
      'no duplicate-phase left on a/',
    );
  });

  it('a link to a folder follows the folder as it gets its first file and loses its last', async () => {
    const { client, uri, root } = await start(
      {
        'notes/index.md': '# Index\n\nSee [a](/docs/a/) and [b](../docs/b/).\n',
        'docs/b/README.md': '# B\n',
      },
      fast,
    );
    const index = uri('notes/index.md');
    await client.waitForDiagnostics(index, (d) => broken(d).length === 1, 'the link to docs/a/ broken');
    mkdirSync(join(root, 'docs/a'));
    writeFileSync(join(root, 'docs/a/x.md'), '# X\n');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('docs/a/x.md'), type: 1 }],
    });
    await client.waitForDiagnostics(index, (d) => broken(d).length === 0, 'docs/a/ holds a document');
    // Its only file, an image, moved away: the folder is empty, and the link broken again.
    rmSync(join(root, 'docs/a/x.md'));
    writeFileSync(join(root, 'docs/a/pic.png'), 'png');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('docs/a/x.md'), type: 3 },
        { uri: uri('docs/a/pic.png'), type: 1 },
      ],
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(broken(client.diagnosticsOf(index)), []);
    renameSync(join(root, 'docs/a/pic.png'), join(root, 'docs/b/pic.png'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('docs/a/pic.png'), type: 3 },
        { uri: uri('docs/b/pic.png'), type: 1 },
      ],
    });
    await client.waitForDiagnostics(index, (d) => broken(d).length === 1, 'docs/a/ is empty');
    await assertMatchesFreshCheck(client, root);
  });

  it("a finding's related location at another document's title follows the title to its new line", async () => {
    const arch = '# Architecture\n\nText.\n';
    const { client, uri } = await start(
      { 'docs/index.md': '# Index\n\nSee [a](arch.md#overview).\n', 'docs/arch.md': arch },
      fast,
    );
    const index = uri('docs/index.md');
    const relatedLine = (d: Diagnostic[]) =>
      d.find((x) => x.code === 'broken-heading')?.relatedInformation?.[0]?.location.range.start.line;
    await client.waitForDiagnostics(index, (d) => relatedLine(d) === 0, 'at the title on line 0');
    await client.open(uri('docs/arch.md'), arch);
    await client.change(uri('docs/arch.md'), [{ text: `<!-- moved -->\n\n${arch}` }]);
    await client.waitForDiagnostics(index, (d) => relatedLine(d) === 2, 'at the title on line 2');
  });

  it('a client spelling a file name another way (an unencoded quote) sees diagnostics under that spelling only', async () => {
    const { client, uri, root } = await start(
      { "notes/Jane's plan.md": '# J\n\nSee [[nothing-here]].\n' },
      fast,
    );
    // (the server names files found on disk as VS Code does, `'` encoded)
    const raw = uri("notes/Jane's plan.md");
    const encoded = raw.replace("'", '%27');
    await client.waitForDiagnostics(encoded, (d) => broken(d).length === 1, 'published under %27');
    const renamed = uri('notes/renamed.md');
    await client.request('workspace/willRenameFiles', { files: [{ oldUri: raw, newUri: renamed }] });
    renameSync(join(root, "notes/Jane's plan.md"), join(root, 'notes/renamed.md'));
    await client.notify('workspace/didRenameFiles', { files: [{ oldUri: raw, newUri: renamed }] });
    await client.waitForDiagnostics(renamed, (d) => broken(d).length === 1, 'the renamed file');
    // Nothing left under either spelling of the old name.
    await client.waitForDiagnostics(encoded, (d) => d.length === 0, 'withdrawn under %27');
    assert.deepEqual(client.diagnosticsOf(raw), []);
  });

  it('a created and a deleted document', async () => {
    const { root, client, uri } = await start({ 'linker.md': LINKER }, fast);
    const linker = uri('linker.md');
    await client.waitForDiagnostics(linker, (d) => broken(d).length === 2);
    writeFileSync(join(root, 'new-plan.md'), '# New Plan\n');
    await client.notify('workspace/didCreateFiles', { files: [{ uri: uri('new-plan.md') }] });
    await client.waitForDiagnostics(linker, (d) => broken(d).join() === '[[Old Plan]]', 'created');
    rmSync(join(root, 'new-plan.md'));
    await client.notify('workspace/didDeleteFiles', { files: [{ uri: uri('new-plan.md') }] });
    await client.waitForDiagnostics(linker, (d) => broken(d).length === 2, 'deleted');
  });

  it('a path turned from a folder back into a file, and events naming the workspace folder itself', async () => {
    const { root, client, uri } = await start({ 'a.md': '# A\n\n[[inner]]\n', 'b.md': '# B\n' }, fast);
    const a = uri('a.md');
    await client.waitForDiagnostics(a, (d) => broken(d).join() === '[[inner]]');
    // b.md becomes a folder holding inner.md, then a file again.
    rmSync(join(root, 'b.md'));
    mkdirSync(join(root, 'b.md'));
    writeFileSync(join(root, 'b.md', 'inner.md'), '# Inner\n\n[[zzz]]\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('b.md'), type: 2 }] });
    await client.waitForDiagnostics(a, (d) => broken(d).length === 0, 'inner indexed');
    rmSync(join(root, 'b.md'), { recursive: true });
    writeFileSync(join(root, 'b.md'), '# B\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('b.md'), type: 2 }] });
    await client.waitForDiagnostics(a, (d) => broken(d).join() === '[[inner]]', 'inner gone with its folder');
    await client.waitForDiagnostics(uri('b.md/inner.md'), (d) => d.length === 0, 'its findings withdrawn');
    // A change under the root named by the root's own URI (with a trailing slash too).
    writeFileSync(join(root, 'inner.md'), '# Inner\n');
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'c.md'), '# C\n\n[[ghost]]\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `${uri('')}/`, type: 2 }] });
    await client.waitForDiagnostics(a, (d) => broken(d).length === 0, 'the root looked at again');
    await client.waitForDiagnostics(uri('sub/c.md'), (d) => broken(d).join() === '[[ghost]]');
    await assertMatchesFreshCheck(client, root);
  });

  it('the same operation twice, and notifications naming paths outside the workspace, change nothing more', async () => {
    const { root, client, uri } = await start({ 'linker.md': LINKER, 'old-plan.md': '# Old Plan\n' }, fast);
    const linker = uri('linker.md');
    await client.waitForDiagnostics(linker, (d) => broken(d).join() === '[[New Plan]]');
    move(root, 'old-plan.md', 'new-plan.md');
    const rename = { files: [{ oldUri: uri('old-plan.md'), newUri: uri('new-plan.md') }] };
    await client.notify('workspace/didRenameFiles', rename);
    await client.notify('workspace/didRenameFiles', rename);
    await client.notify('workspace/didCreateFiles', { files: [{ uri: 'file:///nowhere/else.md' }] });
    await client.waitForDiagnostics(linker, (d) => broken(d).join() === '[[Old Plan]]');
    await assertMatchesFreshCheck(client, root);
  });

  it("a rename, then the watcher's late events for it out of order: the same findings as a fresh cdp check", async () => {
    const { root, client, uri } = await start(RENAMED, fast);
    await client.waitForDiagnostics(uri('linker.md'), (d) => broken(d).join() === '[[New Plan]]');
    move(root, 'wf/old-plan.md', 'wf/new-plan.md');
    await client.notify('workspace/didRenameFiles', {
      files: [{ oldUri: uri('wf/old-plan.md'), newUri: uri('wf/new-plan.md') }],
    });
    await assertMatchesFreshCheck(client, root);
    // The create of the new path first, then the delete of the old one, in two batches.
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('wf/new-plan.md'), type: 1 }],
    });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('wf/old-plan.md'), type: 3 }],
    });
    writeFileSync(join(root, 'marker.md'), '# Marker\n\n[[nowhere-marker]]\n');
    await client.notify('workspace/didCreateFiles', { files: [{ uri: uri('marker.md') }] });
    await client.waitForDiagnostics(uri('marker.md'), (d) => d.length === 1, 'the events applied');
    await assertMatchesFreshCheck(client, root);
  });

  it("the watcher's events for a rename arriving before the rename is on disk do not hide it", async () => {
    const { root, client, uri } = await start(RENAMED, fast);
    await client.waitForDiagnostics(uri('linker.md'), (d) => broken(d).join() === '[[New Plan]]');
    writeFileSync(join(root, 'marker.md'), '# Marker\n\n[[nowhere-marker]]\n');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('wf/old-plan.md'), type: 3 },
        { uri: uri('wf/new-plan.md'), type: 1 },
        { uri: uri('marker.md'), type: 1 },
      ],
    });
    await client.waitForDiagnostics(uri('marker.md'), (d) => d.length === 1, 'the early events applied');
    move(root, 'wf/old-plan.md', 'wf/new-plan.md');
    await client.notify('workspace/didRenameFiles', {
      files: [{ oldUri: uri('wf/old-plan.md'), newUri: uri('wf/new-plan.md') }],
    });
    await assertMatchesFreshCheck(client, root);
  });

  it('malformed file operations are logged and ignored; well-formed entries beside them still count', async () => {
    const { root, client, uri } = await start({ 'linker.md': LINKER, 'old-plan.md': '# Old Plan\n' }, fast);
    const linker = uri('linker.md');
    await client.waitForDiagnostics(linker, (d) => broken(d).join() === '[[New Plan]]');
    for (const method of ['workspace/didRenameFiles', 'workspace/didCreateFiles', 'workspace/didDeleteFiles'])
      for (const p of [null, 5, {}, { files: null }, { files: {} }, { files: [null, 7, { uri: 5 }] }])
        await client.notify(method, p);
    await client.notify('workspace/didRenameFiles', {
      files: [
        { oldUri: 'a b:c', newUri: uri('x.md') },
        { oldUri: uri('y.md') },
        { newUri: 'x'.repeat(70_000) },
      ],
    });
    move(root, 'old-plan.md', 'new-plan.md');
    await client.notify('workspace/didRenameFiles', {
      files: [
        { oldUri: null, newUri: uri('z.md') },
        { oldUri: uri('old-plan.md'), newUri: uri('new-plan.md') },
      ],
    });
    await client.waitForDiagnostics(
      linker,
      (d) => broken(d).join() === '[[Old Plan]]',
      'the good entry applied',
    );
    // Logged before the diagnostics the good entry brings: each method's five notifications
    // without a list of files and three bad entries, then the three bad renames, then one.
    const ignored = client.log.filter((l) => /^Ignored a malformed workspace\/did\w+Files/.test(l));
    assert.equal(ignored.length, 28, ignored.join('\n'));
    for (const method of ['Rename', 'Create', 'Delete'])
      assert.equal(
        ignored.filter((l) => l.includes(`did${method}Files entry`)).length,
        method === 'Rename' ? 7 : 3,
      );
  });

  it('a document moved in the explorer: the gate files naming it follow, and its gate still passes', async () => {
    const gate = [
      'exit_gates:',
      '  - criteria: Metrics are defined',
      '    evidence: docs/helix/01-frame/prd.md#success-metrics',
      '',
    ].join('\n');
    const checks = [
      'entry_requirements:',
      '  automated:',
      '    - check: file_exists',
      '      path: "docs/helix/01-frame/prd.md"',
      '      fallback_paths: [docs/helix/01-frame/prd.md, docs/**/*.md]',
      '',
    ].join('\n');
    const { root, client, uri, rel } = await start({
      'docs/helix/01-frame/README.md': '# Frame\n',
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Success Metrics\n',
      'docs/helix/01-frame/exit-gates.yml': gate,
      'docs/helix/02-design/README.md': '# Design\n',
      'docs/helix/02-design/input-gates.yml': checks,
    });
    await client.ready();
    const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [
        { oldUri: uri('docs/helix/01-frame/prd.md'), newUri: uri('docs/helix/01-frame/requirements.md') },
      ],
    });
    const edits = (edit?.documentChanges ?? []) as TextDocumentEdit[];
    assert.deepEqual(
      edits.map((c) => [rel(c.textDocument.uri), c.edits]),
      [
        [
          'docs/helix/01-frame/exit-gates.yml',
          [
            {
              range: { start: { line: 2, character: 14 }, end: { line: 2, character: 56 } },
              newText: 'docs/helix/01-frame/requirements.md#success-metrics',
            },
          ],
        ],
        [
          'docs/helix/02-design/input-gates.yml',
          [
            {
              range: { start: { line: 3, character: 12 }, end: { line: 3, character: 40 } },
              newText: '"docs/helix/01-frame/requirements.md"',
            },
            {
              range: { start: { line: 4, character: 23 }, end: { line: 4, character: 49 } },
              newText: 'docs/helix/01-frame/requirements.md',
            },
          ],
        ],
      ],
    );
    // The editor applies the edits, then moves the file: the gates read the new path.
    for (const c of edits) {
      const file = join(root, rel(c.textDocument.uri));
      writeFileSync(file, applyText(readFileSync(file, 'utf8'), c.edits));
    }
    move(root, 'docs/helix/01-frame/prd.md', 'docs/helix/01-frame/requirements.md');
    const r = await runCli(['check', root, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, `cdp check failed: ${r.stderr}`);
    const groups = (
      JSON.parse(r.stdout) as { workflows: { phases: { groups: { file?: string; passed: boolean }[] }[] }[] }
    ).workflows.flatMap((w) => w.phases.flatMap((p) => p.groups));
    assert.deepEqual(
      groups.map((g) => [g.file, g.passed]),
      [
        ['docs/helix/01-frame/exit-gates.yml', true],
        ['docs/helix/02-design/input-gates.yml', true],
      ],
    );
  });
});

/** One finding, the same way for the server and the CLI: `file:line:column code message`. */
function serverFindings(c: TestClient, root: string): string[] {
  const out: string[] = [];
  for (const [uri, ds] of c.diagnostics) {
    const file = relative(root, fileURLToPath(uri)).split('\\').join('/');
    for (const d of ds)
      out.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
  }
  return out.sort();
}

async function assertMatchesFreshCheck(c: TestClient, root: string): Promise<void> {
  const r = await runCli(['check', root, '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 1, `cdp check failed: ${r.stderr}`);
  const expected = (JSON.parse(r.stdout) as JsonReport).diagnostics
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)
    .sort();
  assert.ok(expected.length > 0, 'the folder has findings to compare');
  const same = () => {
    const got = serverFindings(c, root);
    return got.length === expected.length && got.every((f, i) => f === expected[i]);
  };
  try {
    await c.waitFor(same, 'the server to match a fresh cdp check', 15_000);
  } catch {
    assert.deepEqual(serverFindings(c, root), expected);
  }
}
