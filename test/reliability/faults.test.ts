import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { phaseDoc } from '../helpers/memory-workspace';
import { type TestClient, tempWorkspace, trackedServers, uriOf } from '../lsp/client';
import { runCli, snapshot, writeHostileCorpus } from './corpus';

const release = phaseDoc({
  title: 'Release',
  phase: '05',
  name: 'Release',
  body: '## Exit Criteria\n\n- [ ] shipped\n- [x] tested\n-[ ] glued\n\nSee [[nowhere]].\n',
});
const startOn = trackedServers();
const start = (root: string): Promise<TestClient> => startOn([root]);

describe('faults', () => {
  it('after the server is killed, a new server on the same folder indexes and publishes again', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': release, 'b.md': '# B\n\n[[gone]]\n' });
    const uri = uriOf(join(root, 'b.md'));
    const first = await start(root);
    await first.waitForDiagnostics(uri, (d) => d.length === 1);
    const exited = once(first.proc, 'exit');
    first.proc.kill('SIGKILL');
    const [code, signal] = (await Promise.race([
      exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not die')), 10_000)),
    ])) as [number | null, string | null];
    assert.equal(code, null);
    assert.equal(signal, 'SIGKILL');
    first.connection.dispose();

    const second = await start(root);
    const d = await second.waitForDiagnostics(uri, (x) => x.length === 1);
    assert.equal(d[0].code, 'broken-link');
    const wf = await second.request<{ ready: boolean }>('cdp/workflows', {});
    assert.equal(wf.ready, true);
  });

  it('toggles against a document that changed meanwhile are refused; edits for open documents carry the version', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': release });
    const uri = uriOf(join(root, 'wf/05-release.md'));
    const c = await start(root);
    const line = release.split('\n').indexOf('- [ ] shipped');
    await c.open(uri, release);
    // The line changes in the editor: "shipped" becomes "released".
    const v = await c.change(uri, [
      { range: { start: { line, character: 6 }, end: { line, character: 13 } }, text: 'released' },
    ]);
    // A request is answered after the change before it (one connection, in order).
    const stale = await c.request<{ edit?: WorkspaceEdit; refused?: string }>('cdp/toggleCriterion', {
      uri,
      line,
      expectedText: 'shipped',
    });
    assert.equal(stale.edit, undefined);
    assert.match(stale.refused ?? '', /no longer holds the criterion "shipped"/);

    const fresh = await c.request<{ edit?: WorkspaceEdit; refused?: string }>('cdp/toggleCriterion', {
      uri,
      line,
      expectedText: 'released',
    });
    assert.equal(fresh.refused, undefined);
    const change = fresh.edit?.documentChanges?.[0] as {
      textDocument: { uri: string; version: number | null };
      edits: { range: unknown; newText: string }[];
    };
    assert.deepEqual(change.textDocument, { uri, version: v });
    assert.deepEqual(change.edits, [
      { range: { start: { line, character: 3 }, end: { line, character: 4 } }, newText: 'x' },
    ]);

    // Quick fixes for an open document carry its version too.
    const glued = release.split('\n').indexOf('-[ ] glued');
    const actions = await c.request<{ title: string; edit?: WorkspaceEdit }[] | null>(
      'textDocument/codeAction',
      {
        textDocument: { uri },
        range: { start: { line: glued, character: 0 }, end: { line: glued, character: 0 } },
        context: { diagnostics: [] },
      },
    );
    const versions = (actions ?? [])
      .flatMap((a) => a.edit?.documentChanges ?? [])
      .filter((d): d is { textDocument: { uri: string; version: number | null }; edits: [] } => 'edits' in d)
      .filter((d) => d.textDocument.uri === uri)
      .map((d) => d.textDocument.version);
    assert.ok(versions.length > 0, JSON.stringify(actions));
    assert.ok(
      versions.every((x) => x === v),
      JSON.stringify(versions),
    );
    // A document that is not open: no version (the editor applies it to the file).
    await c.close(uri);
    // The server goes back to the disk's text ("shipped") once it has read it.
    let closed: { edit?: WorkspaceEdit; refused?: string } = {};
    for (let i = 0; i < 200 && !closed.edit; i++) {
      closed = await c.request('cdp/toggleCriterion', { uri, line, expectedText: 'shipped' });
    }
    const cd = closed.edit?.documentChanges?.[0] as { textDocument: { version: number | null } } | undefined;
    assert.equal(cd?.textDocument.version, null);
  });

  it('cdp check never writes to the workspace', async () => {
    const corpus = writeHostileCorpus();
    try {
      const before = snapshot(corpus.root);
      const outside = snapshot(corpus.outside);
      const r = await runCli(['check', corpus.root, '--format', 'json'], 120_000);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const text = await runCli(['check', corpus.root], 120_000);
      assert.ok(text.code === 0 || text.code === 1, text.stderr);
      assert.deepEqual(snapshot(corpus.root), before);
      assert.deepEqual(snapshot(corpus.outside), outside);
    } finally {
      corpus.dispose();
    }
  });
});
