import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { RE2JS } from 're2js';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Analysis } from '../../server/src/core/analysis';
import { IdTable } from '../../server/src/core/ids';
import { WorkspaceIndex } from '../../server/src/core/index';
import { CdpServer } from '../../server/src/lsp/server';
import { CAPABILITIES, tempWorkspace, uriOf } from './client';

/**
 * What a keystroke costs the server, counted in-process (the server and a client joined by
 * in-memory streams): the work must follow what changed, not the number of keystrokes.
 */
function startInProcess(root: string, settings: Record<string, unknown> = {}) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(toServer),
    new StreamMessageWriter(toClient),
  );
  const server = new CdpServer(connection);
  connection.listen();
  const client = createMessageConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  client.onNotification('cdp/progressChanged', (p: { ready?: boolean }) => p.ready && ready());
  client.onNotification(() => undefined);
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  client.onRequest(() => null);
  client.listen();
  return {
    async start() {
      await client.sendRequest('initialize', {
        processId: null,
        rootUri: null,
        capabilities: CAPABILITIES,
        workspaceFolders: [{ uri: uriOf(root), name: 'w' }],
      });
      await client.sendNotification('initialized', {});
      await isReady;
    },
    client,
    server,
    async stop() {
      await client.sendRequest('shutdown');
      client.dispose();
      connection.dispose();
    },
  };
}

/** Counts calls of a prototype method (private ones too, by name) while the test runs. */
function count<T extends object>(
  proto: T,
  name: (keyof T & string) | 'computeGraph' | 'evaluateGates',
  only?: (thisArg: unknown) => boolean,
): { calls: number; restore(): void } {
  const p = proto as Record<string, unknown>;
  const original = p[name] as (...a: unknown[]) => unknown;
  assert.equal(typeof original, 'function', name);
  const c = {
    calls: 0,
    restore: () => {
      p[name] = original;
    },
  };
  p[name] = function (this: unknown, ...a: unknown[]) {
    if (!only || only(this)) c.calls++;
    return original.apply(this, a);
  };
  return c;
}

const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const s of stops) await s();
});

describe('per-keystroke work of the server', () => {
  it('reads an open gate file once per burst of edits, at its latest text, not at every keystroke', async () => {
    const root = tempWorkspace({
      'docs/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/05-deploy/GATE.yaml': 'exit_requirements:\n  manual:\n    - "Staging verified"\n',
    });
    // (a debounce no stall of this process can outlast: the burst is one burst)
    const s = startInProcess(root, { diagnostics: { debounceMs: 10_000 } });
    stops.push(() => s.stop());
    await s.start();
    const gate = uriOf(join(root, 'docs/05-deploy/GATE.yaml'));
    const text = 'exit_requirements:\n  manual:\n    - "Staging verified"\n';
    const reads = count(WorkspaceIndex.prototype, 'setGateFile');
    try {
      await s.client.sendNotification('textDocument/didOpen', {
        textDocument: { uri: gate, languageId: 'yaml', version: 1, text },
      });
      for (let v = 2; v <= 11; v++) {
        await s.client.sendNotification('textDocument/didChange', {
          textDocument: { uri: gate, version: v },
          contentChanges: [
            { range: { start: { line: 2, character: 21 }, end: { line: 2, character: 21 } }, text: 'x' },
          ],
        });
      }
      // A request reads the index: the pending edits are read first.
      const symbols = await s.client.sendRequest('workspace/symbol', { query: 'Deploy' });
      assert.ok(Array.isArray(symbols));
      assert.equal(reads.calls, 1);
    } finally {
      reads.restore();
    }
  });

  it('answers a grep check again without searching while its pattern and the files it searched are unchanged', async () => {
    const readme = '# Phase 05: Deploy\n\nShip it.\n';
    const root = tempWorkspace({
      'docs/05-deploy/README.md': readme,
      'docs/05-deploy/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: grep_present\n      pattern: "ship (it|now)"\n      path: docs/05-deploy/data.md\n',
      'docs/05-deploy/data.md': `${'a'.repeat(100_000)}\nship now\n`,
    });
    const s = startInProcess(root);
    stops.push(() => s.stop());
    await s.start();
    const uri = uriOf(join(root, 'docs/05-deploy/README.md'));
    await s.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text: readme },
    });
    await s.client.sendRequest('workspace/symbol', { query: 'x' });
    s.server.flush();
    const gates = count(Analysis.prototype, 'evaluateGates');
    const searches = count(RE2JS.prototype, 'test');
    try {
      // Typing in the title changes the structure: the gate is evaluated again, its
      // search is not.
      for (let v = 2; v <= 4; v++) {
        await s.client.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [
            { range: { start: { line: 0, character: 18 }, end: { line: 0, character: 18 } }, text: 'x' },
          ],
        });
        await s.client.sendRequest('workspace/symbol', { query: 'x' });
        s.server.flush();
      }
      assert.ok(gates.calls >= 3, `${gates.calls} gate evaluations`);
      assert.equal(searches.calls, 0, 'searches');
    } finally {
      gates.restore();
      searches.restore();
    }
  });

  it('typing in the only gate file of a folder checks that phase again, not every document', async () => {
    const gate = 'exit_requirements:\n  manual:\n    - "Staging verified"\n';
    const files: Record<string, string> = {
      'docs/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/05-deploy/GATE.yaml': gate,
    };
    for (let i = 0; i < 20; i++) files[`notes/n${i}.md`] = `# N${i}\n\n[[n${i + 1}]]\n`;
    const root = tempWorkspace(files);
    const s = startInProcess(root);
    stops.push(() => s.stop());
    await s.start();
    const uri = uriOf(join(root, 'docs/05-deploy/GATE.yaml'));
    await s.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: gate },
    });
    await s.client.sendRequest('workspace/symbol', { query: 'x' });
    s.server.flush();
    const all = count(CdpServer.prototype, 'publishAll' as keyof CdpServer & string);
    try {
      for (let v = 2; v <= 4; v++) {
        await s.client.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [
            { range: { start: { line: 2, character: 20 }, end: { line: 2, character: 20 } }, text: 'x' },
          ],
        });
        await s.client.sendRequest('workspace/symbol', { query: 'x' });
        s.server.flush();
      }
      assert.equal(all.calls, 0, 'every document published again');
    } finally {
      all.restore();
    }
  });

  it('does not look up id neighbours for an edit that leaves ids, dependencies and status alone', async () => {
    const root = tempWorkspace({
      'docs/a.md': '---\nddx:\n  id: A-1\n  depends_on:\n    - B-1\n---\n# A\n\nText.\n',
      'docs/b.md': '---\nddx:\n  id: B-1\n---\n# B\n\nText.\n',
    });
    const s = startInProcess(root);
    stops.push(() => s.stop());
    await s.start();
    const a = uriOf(join(root, 'docs/a.md'));
    await s.client.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: a,
        languageId: 'markdown',
        version: 1,
        text: '---\nddx:\n  id: A-1\n  depends_on:\n    - B-1\n---\n# A\n\nText.\n',
      },
    });
    await s.client.sendRequest('workspace/symbol', { query: 'A' });
    const lookups = count(IdTable.prototype, 'neighbours');
    try {
      for (let v = 2; v <= 6; v++) {
        await s.client.sendNotification('textDocument/didChange', {
          textDocument: { uri: a, version: v },
          contentChanges: [
            { range: { start: { line: 8, character: 4 }, end: { line: 8, character: 4 } }, text: 'x' },
          ],
        });
        await s.client.sendRequest('workspace/symbol', { query: 'A' });
      }
      assert.equal(lookups.calls, 0);
      // An edit of an id still finds them (the documents that named the old id are re-checked).
      await s.client.sendNotification('textDocument/didChange', {
        textDocument: { uri: a, version: 7 },
        contentChanges: [
          { range: { start: { line: 2, character: 8 }, end: { line: 2, character: 9 } }, text: '2' },
        ],
      });
      await s.client.sendRequest('workspace/symbol', { query: 'A' });
      assert.ok(lookups.calls >= 1, `${lookups.calls} lookups`);
    } finally {
      lookups.restore();
    }
  });

  it('re-checks only the edited document for a keystroke: no cycle search, no gate evaluated again', async () => {
    // A HELIX-shaped workspace: phases with gate files, documents with ids on a dependency chain.
    const files: Record<string, string> = {};
    const names = ['frame', 'design', 'build', 'test', 'deploy'];
    names.forEach((name, i) => {
      const dir = `docs/helix/0${i + 1}-${name}`;
      files[`${dir}/README.md`] = `# Phase 0${i + 1}: ${name}\n\n## Exit Criteria\n\n- [ ] Done\n`;
      files[`${dir}/GATE.yaml`] = [
        'entry_requirements:',
        '  automated:',
        '    - check: previous_phase_complete',
        'exit_requirements:',
        '  automated:',
        '    - check: file_exists',
        `      path: ${dir}/notes.md`,
        '',
      ].join('\n');
      for (let k = 0; k < 4; k++) {
        const id = `D-${i}-${k}`;
        const dep = k > 0 ? `\n  depends_on:\n    - D-${i}-${k - 1}` : '';
        files[`${dir}/doc-${k}.md`] =
          `---\nddx:\n  id: ${id}${dep}\n---\n# Doc ${id}\n\nSee [notes](notes.md).\n`;
      }
    });
    const root = tempWorkspace(files);
    const s = startInProcess(root);
    stops.push(() => s.stop());
    await s.start();
    const rel = 'docs/helix/02-design/doc-2.md';
    const uri = uriOf(join(root, rel));
    const text = files[rel];
    await s.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text },
    });
    await s.client.sendRequest('workspace/symbol', { query: 'x' });
    s.server.flush();
    const cycles = count(IdTable.prototype, 'computeGraph');
    const gates = count(Analysis.prototype, 'evaluateGates');
    // this server's checks only: an earlier test's server may still flush its last edit
    const mine = (a: unknown) => a === (s.server as unknown as { _analysis: unknown })._analysis;
    const checks = count(Analysis.prototype, 'checkUri', mine);
    const line = text.split('\n').length - 2; // "See [notes](notes.md)."
    try {
      for (let v = 2; v <= 6; v++) {
        await s.client.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [
            { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'x' },
          ],
        });
        await s.client.sendRequest('workspace/symbol', { query: 'x' });
        s.server.flush();
      }
      assert.equal(cycles.calls, 0, 'cycle searches');
      assert.equal(gates.calls, 0, 'gate evaluations');
      assert.equal(checks.calls, 5, 'documents checked');
      // The same in a phase document, as long as no box is ticked.
      const phase = uriOf(join(root, 'docs/helix/02-design/README.md'));
      await s.client.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri: phase,
          languageId: 'markdown',
          version: 1,
          text: files['docs/helix/02-design/README.md'],
        },
      });
      await s.client.sendRequest('workspace/symbol', { query: 'x' });
      s.server.flush();
      checks.calls = 0;
      for (let v = 2; v <= 4; v++) {
        await s.client.sendNotification('textDocument/didChange', {
          textDocument: { uri: phase, version: v },
          contentChanges: [
            { range: { start: { line: 4, character: 10 }, end: { line: 4, character: 10 } }, text: 'x' },
          ],
        });
        await s.client.sendRequest('workspace/symbol', { query: 'x' });
        s.server.flush();
      }
      assert.equal(checks.calls, 3, 'documents checked for keystrokes in a phase document');
      // A ticked box re-checks its workflow's phases and gate files; the gate checks whose
      // answers did not change (phase 03 still follows an incomplete phase) are not run again.
      await s.client.sendNotification('textDocument/didChange', {
        textDocument: { uri: phase, version: 5 },
        contentChanges: [
          { range: { start: { line: 4, character: 3 }, end: { line: 4, character: 4 } }, text: 'x' },
        ],
      });
      await s.client.sendRequest('workspace/symbol', { query: 'x' });
      s.server.flush();
      assert.ok(checks.calls > 3 + 5, `${checks.calls} documents checked after a tick`);
      assert.equal(gates.calls, 0, 'gate evaluations after a tick');
      assert.equal(cycles.calls, 0, 'cycle searches after a tick');
      checks.calls = 0;
      // A new dependency still searches the cycles again (once), and re-checks its neighbours.
      await s.client.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 7 },
        contentChanges: [
          {
            range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
            text: '    - D-0-0\n',
          },
        ],
      });
      await s.client.sendRequest('workspace/symbol', { query: 'x' });
      s.server.flush();
      assert.equal(cycles.calls, 1, 'cycle searches after a dependency was added');
      assert.ok(checks.calls > 1, `${checks.calls} documents checked`);
    } finally {
      cycles.restore();
      gates.restore();
      checks.restore();
    }
  });
});
