import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { phaseDoc } from '../helpers/memory-workspace';
import { CancellationTokenSource, TestClient, tempWorkspace, uriOf, writeFiles } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(files: Record<string, string>, settings: Record<string, unknown> = {}) {
  const root = tempWorkspace(files);
  const client = await TestClient.start([root], { settings });
  clients.push(client);
  await client.ready();
  return { root, client, uri: (rel: string) => uriOf(join(root, rel)) };
}

const codes = (d: Diagnostic[]) => d.map((x) => x.code).sort();

const release = phaseDoc({
  title: 'Release',
  phase: '05',
  name: 'Release',
  previous: '04-monitor',
  artifacts: ['release-plan'],
  body: '## Exit Criteria\n\n- [ ] shipped\n\nSee [[launch-plan]].\n',
});
const monitor = phaseDoc({
  title: 'Monitor',
  phase: '04',
  name: 'Monitor',
  next: '05-release',
  body: '## Exit Criteria\n\n- [x] watched\n',
});

describe('language server over stdio', () => {
  it('ends every indexing progress it begins, also a load that a settings change supersedes', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`docs/n${i}.md`] = `# Note ${i}\n\nSee [[n${i + 1}]].\n`;
    const root = tempWorkspace(files);
    const client = await TestClient.start([root]);
    clients.push(client);
    // Changed settings arrive while the first load is still reading: it is superseded.
    await client.notify('workspace/didChangeConfiguration', {
      settings: { cdp: { files: { maxFileSizeKB: 1000 } } },
    });
    await client.ready();
    const begun = () => client.progress.filter((p) => p.value.kind === 'begin').map((p) => p.token);
    const ended = () => new Set(client.progress.filter((p) => p.value.kind === 'end').map((p) => p.token));
    await client.waitFor(
      () => begun().length >= 2 && begun().every((t) => ended().has(t)),
      'every begun indexing progress to end',
    );
    assert.ok(begun().length >= 2, 'two loads were begun');
  });

  it('lets its indexing progress through while it reads, not all at once at the end', async () => {
    // Reads finish synchronously; a load that never yields sends every progress message in
    // one burst when it ends (the editor's view then shows 1/N until the documents appear).
    const files: Record<string, string> = {};
    for (let i = 0; i < 8000; i++)
      files[`d${i % 40}/doc${i}.md`] = `# Doc ${i}\n\n- [ ] item [[doc${i + 1}]]\n`;
    const root = tempWorkspace(files);
    const client = await TestClient.start([root]);
    clients.push(client);
    const partial = () =>
      client.progress.some(
        (p) =>
          p.value.kind === 'report' &&
          /^(\d+)\/(\d+)$/.test(p.value.message ?? '') &&
          Number(p.value.message!.split('/')[0]) < Number(p.value.message!.split('/')[1]),
      );
    const ended = () => client.progress.some((p) => p.value.kind === 'end');
    // Asked as the first part is reported: a load that lets messages through answers it
    // while it reads, before its progress ends; one that never yields answers it after
    // (an order of messages, whatever the speed of either process).
    let asked = false;
    let answeredBeforeEnd: boolean | undefined;
    const limit = Date.now() + 120_000;
    while ((!asked || !ended()) && Date.now() < limit) {
      if (!asked && partial()) {
        asked = true;
        assert.equal(ended(), false, 'the first part came with the end');
        void client.request('cdp/serverProcess', undefined).then(() => {
          answeredBeforeEnd = !ended();
        });
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.ok(asked, 'a progress report with a part of the documents read');
    assert.ok(ended(), 'the progress ended');
    await client.ready();
    assert.equal(answeredBeforeEnd, true, 'a request asked while indexing was answered before it ended');
  });

  it('initializes with the features it serves, indexes with work-done progress and publishes diagnostics', async () => {
    const files: Record<string, string> = { 'wf/04-monitor.md': monitor, 'wf/05-release.md': release };
    for (let i = 0; i < 30; i++) files[`notes/n${i}.md`] = `# Note ${i}\n\nSee [[04-monitor]].\n`;
    const { client, uri } = await start(files);
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(caps.workspace?.fileOperations?.willRename);
    // Every file: links to images and other files follow them when they move.
    assert.ok(caps.workspace.fileOperations.willRename.filters.some((f) => f.pattern.glob === '**/*'));
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const last = client.progress.filter((p) => p.value.kind === 'report').pop();
    // shown after the title ("Indexing CDP documents: 32/32"), so it does not repeat it
    assert.equal(
      client.progress.find((p) => p.value.kind === 'begin')?.value.title,
      'Indexing CDP documents',
    );
    assert.equal(last?.value.message, '32/32');
    const d = await client.waitForDiagnostics(uri('wf/05-release.md'), (x) => x.length >= 3);
    assert.deepEqual(codes(d), ['broken-link', 'missing-artifact', 'unmet-criterion']);
    const broken = d.find((x) => x.code === 'broken-link')!;
    assert.equal(broken.source, 'cdp');
    // The rule's section of the bundled rules.md, by line (editors open a file there; VS
    // Code ignores a heading's anchor in a file).
    const href = new URL(broken.codeDescription!.href);
    assert.equal(href.protocol, 'file:');
    const line = Number(/^#L(\d+)$/.exec(href.hash)?.[1]);
    assert.equal(readFileSync(fileURLToPath(href), 'utf8').split('\n')[line - 1], '## broken-link');
    assert.deepEqual(broken.range, { start: { line: 13, character: 4 }, end: { line: 13, character: 19 } });
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
  });

  it('re-checks on typing: the edited document and the documents that link to it', async () => {
    const { client, uri } = await start({
      'wf/04-monitor.md': monitor,
      'wf/05-release.md': release,
      'other.md': '# Other\n\n[[05-release#Rollout]]\n',
    });
    const rel = uri('wf/05-release.md');
    await client.waitForDiagnostics(uri('other.md'), (d) => codes(d).includes('broken-heading'));
    await client.open(rel, release);
    // Add a "## Rollout" heading and fix the broken link, in two incremental changes.
    const lines = release.split('\n');
    const at = lines.findIndex((l) => l.startsWith('See [[launch-plan]]'));
    await client.change(rel, [
      { range: { start: { line: at, character: 6 }, end: { line: at, character: 17 } }, text: '04-monitor' },
    ]);
    await client.change(rel, [
      {
        range: { start: { line: at + 1, character: 0 }, end: { line: at + 1, character: 0 } },
        text: '\n## Rollout\n',
      },
    ]);
    await client.waitForDiagnostics(rel, (d) => !codes(d).includes('broken-link'), 'no broken link');
    await client.waitForDiagnostics(uri('other.md'), (d) => d.length === 0, 'heading now found');
  });

  it('follows files created, changed and deleted on disk', async () => {
    const { client, uri, root } = await start({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const rel = uri('wf/05-release.md');
    await client.waitForDiagnostics(rel, (d) => codes(d).includes('broken-link'));
    writeFiles(root, { 'wf/launch-plan.md': '# Launch plan\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('wf/launch-plan.md'), type: 1 }],
    });
    await client.waitForDiagnostics(rel, (d) => !codes(d).includes('broken-link'), 'created target');
    writeFileSync(join(root, 'wf/05-release.md'), release.replace('- [ ] shipped', '- [] shipped'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: rel, type: 2 }] });
    await client.waitForDiagnostics(rel, (d) => codes(d).includes('malformed-checkbox'), 'changed on disk');
    rmSync(join(root, 'wf/launch-plan.md'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('wf/launch-plan.md'), type: 3 }],
    });
    await client.waitForDiagnostics(rel, (d) => codes(d).includes('broken-link'), 'deleted target');
    rmSync(join(root, 'wf/05-release.md'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: rel, type: 3 }] });
    await client.waitForDiagnostics(rel, (d) => d.length === 0, 'deleted document cleared');
  });

  it('applies settings live, without a restart', async () => {
    const { client, uri } = await start({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const rel = uri('wf/05-release.md');
    await client.waitForDiagnostics(rel, (d) => codes(d).includes('broken-link'));
    await client.setSettings({ cdp: { rules: { 'broken-link': 'error', 'unmet-criterion': 'off' } } });
    const d = await client.waitForDiagnostics(
      rel,
      (x) =>
        x.some((y) => y.code === 'broken-link' && y.severity === 1) && !codes(x).includes('unmet-criterion'),
      'new severities',
    );
    assert.ok(d.length >= 2);
    await client.setSettings({ cdp: { files: { exclude: ['wf/**'] } } });
    await client.waitForDiagnostics(rel, (x) => x.length === 0, 'excluded folder cleared');
  });

  it('answers a cancelled request with RequestCancelled', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`d/doc${i}.md`] = `# Doc ${i}\n\n- [ ] item [[doc${i + 1}]]\n`;
    const root = tempWorkspace(files);
    const client = await TestClient.start([root]);
    clients.push(client);
    // Sent while the server is still indexing, so it is pending when the cancellation arrives.
    const source = new CancellationTokenSource();
    const pending = client.request(
      'textDocument/documentSymbol',
      { textDocument: { uri: uriOf(join(root, 'd/doc1.md')) } },
      source,
    );
    source.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    await client.ready();
  });

  it('serves several workspace folders, each its own root', async () => {
    const a = tempWorkspace({ 'x.md': '[[plan]]\n' });
    const b = tempWorkspace({ 'plan.md': '# Plan\n', 'y.md': '[[plan]]\n' });
    const client = await TestClient.start([a, b]);
    clients.push(client);
    await client.ready();
    await client.waitForDiagnostics(uriOf(join(a, 'x.md')), (d) => codes(d).includes('broken-link'));
    assert.deepEqual(client.diagnosticsOf(uriOf(join(b, 'y.md'))), []);
  });
});
