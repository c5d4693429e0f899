import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  createMessageConnection,
  type MessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { phaseDoc } from '../helpers/memory-workspace';
import { SERVER_JS, TestClient, tempWorkspace, uriOf } from './client';

const clients: TestClient[] = [];
const procs: ChildProcess[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill();
});

const release = phaseDoc({
  title: 'Release',
  phase: '05',
  name: 'Release',
  body: '## Exit Criteria\n\n- [ ] shipped\n\nSee [[nowhere]].\n',
});

async function start(root: string, settings?: Record<string, unknown>): Promise<TestClient> {
  const c = await TestClient.start([root], { settings });
  clients.push(c);
  await c.ready();
  return c;
}

/** The server process without any client logic: raw JSON-RPC, nothing sent yet. */
function rawServer(): { proc: ChildProcess; conn: MessageConnection; stderr: () => string } {
  const proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  procs.push(proc);
  let err = '';
  proc.stderr!.on('data', (d) => {
    err += String(d);
  });
  const conn = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  conn.listen();
  return { proc, conn, stderr: () => err };
}

/** Initializes a raw server on a new folder holding `files`, answering its configuration requests with defaults. */
function initializeOn(
  conn: MessageConnection,
  files: Record<string, string>,
  root = tempWorkspace(files),
): Promise<{ capabilities: object }> {
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  return conn.sendRequest<{ capabilities: object }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    workspaceFolders: [{ uri: uriOf(root), name: 'ws' }],
  });
}

async function errorOf(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
      }),
    ]);
  } catch (e) {
    assert.ok(e instanceof ResponseError, `expected an error response, got ${String(e)}`);
    return e;
  } finally {
    clearTimeout(timer);
  }
  assert.fail('expected the request to be refused');
}

/** The server is alive and answers: a request gets its answer. */
async function assertAnswers(c: TestClient, what: string): Promise<void> {
  const r = await Promise.race([
    c.request<{ ready: boolean }>('cdp/workflows', {}),
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no answer after ${what}\n${c.log.join('\n').slice(-2000)}`)),
        10_000,
      ),
    ),
  ]);
  assert.equal(r.ready, true, `answers after ${what}`);
  assert.equal(c.proc.exitCode, null, `alive after ${what}`);
}

/** Parameter shapes a confused or hostile client might send. */
const SHAPES: unknown[] = [
  null,
  0,
  -1,
  'text',
  true,
  [],
  [null],
  {},
  { textDocument: null },
  { textDocument: 5 },
  { textDocument: { uri: 5 } },
  { textDocument: { uri: 'a b:c' } },
  { textDocument: { uri: 'file:///nowhere.md', version: 'x', text: 7 } },
  { textDocument: { uri: 'file:///nowhere.md' }, contentChanges: null },
  { textDocument: { uri: 'file:///nowhere.md', version: 2 }, contentChanges: [null, { text: 5 }] },
  { textDocument: { uri: 'file:///nowhere.md' }, position: null },
  { textDocument: { uri: 'file:///nowhere.md' }, position: { line: -1, character: 'x' } },
  { changes: null },
  { changes: {} },
  { changes: [null] },
  { changes: [{ uri: 'a b:c', type: 1 }] },
  { changes: [{ uri: 5, type: 1 }, { uri: 'file:///x.md', type: 99 }, { type: 3 }] },
  { settings: null },
  { files: null },
  { files: [null, { oldUri: 5, newUri: null }] },
  { files: [{ uri: 'a b:c' }, { oldUri: 'file:///x.md', newUri: 'a b:c' }, { uri: 'file:///' }] },
  { uri: null, line: 'x', expectedText: 5 },
  { uri: 'a b:c', line: -5 },
  { query: null },
  { context: null, range: null },
  { id: null, value: null },
];

const NOTIFICATIONS = [
  'initialized',
  'workspace/didChangeConfiguration',
  'workspace/didChangeWatchedFiles',
  'workspace/didRenameFiles',
  'workspace/didCreateFiles',
  'workspace/didDeleteFiles',
  'workspace/didChangeWorkspaceFolders',
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'textDocument/didSave',
  'textDocument/willSave',
  '$/cancelRequest',
  '$/setTrace',
  'window/workDoneProgress/cancel',
];

const REQUESTS = [
  'textDocument/definition',
  'textDocument/references',
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/documentSymbol',
  'textDocument/documentLink',
  'textDocument/codeAction',
  'textDocument/codeLens',
  'workspace/symbol',
  'workspace/willRenameFiles',
  'cdp/workflows',
  'cdp/checkGate',
  'cdp/toggleCriterion',
  'cdp/serverProcess',
];

describe('protocol abuse', () => {
  it('malformed file-change notifications are logged and ignored; the server keeps answering', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': release });
    const c = await start(root);
    for (const p of [null, {}, { changes: null }, { changes: {} }, { changes: [null] }])
      await c.notify('workspace/didChangeWatchedFiles', p);
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'a b:c', type: 1 }] });
    await assertAnswers(c, 'malformed file events');
    await c.waitFor(() => c.log.some((l) => /Ignored a malformed file-change/.test(l)), 'a log line');
    // And well-formed events still work afterwards.
    const b = join(root, 'b.md');
    writeFileSync(b, '# B\n\n[[nowhere-b]]\n');
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(b), type: 1 }] });
    await c.waitForDiagnostics(uriOf(b), (d) => d.length === 1);
  });

  it('every notification and request with malformed params leaves the server alive and answering', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': release, 'b.md': '# B\n\n[[05-release]]\n' });
    const c = await start(root);
    for (const method of NOTIFICATIONS) for (const p of SHAPES) await c.notify(method, p);
    await assertAnswers(c, 'malformed notifications');
    for (const method of REQUESTS) {
      for (const p of SHAPES) {
        // An answer or an error response: both are fine; no answer or a dead server is not.
        await Promise.race([
          c.request(method, p).catch((e) => e),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`${method} ${JSON.stringify(p)} hung`)), 10_000),
          ),
        ]);
      }
    }
    await assertAnswers(c, 'malformed requests');
    // A request whose parameters have the wrong shape is answered as such, never with the
    // text of an internal error.
    for (const [method, p] of [
      ['textDocument/definition', { position: { line: 0, character: 0 } }],
      ['textDocument/references', {}],
      ['cdp/checkGate', { phase: 5, group: [] }],
      ['cdp/toggleCriterion', { uri: uriOf(join(root, 'wf/05-release.md')), line: 2 }],
    ] as const) {
      const e = await errorOf(c.request(method, p));
      if (e.code === -32603) assert.fail(`${method} ${JSON.stringify(p)}: internal error ${e.message}`);
      if (e.code === -32602)
        assert.match(e.message, new RegExp(`^${method.replace('/', '\\/')}: its parameters`));
    }
    const d = await c.request<unknown[]>('textDocument/documentSymbol', {
      textDocument: { uri: uriOf(join(root, 'b.md')) },
    });
    assert.equal(d.length, 1);
  });

  it('a document opened with a text that is no string is said and kept aside; a full text brings it back', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': release, 'b.md': '# B\n\n[[nowhere-b]]\n' });
    const c = await start(root);
    const b = uriOf(join(root, 'b.md'));
    await c.notify('textDocument/didOpen', {
      textDocument: { uri: b, languageId: 'markdown', version: 1, text: 42 },
    });
    await c.waitFor(
      () => c.log.some((l) => l.includes('opened with a text that is not a string (number)')),
      'said',
    );
    assert.ok(!c.log.some((l) => /internal error/.test(l)), c.log.join('\n'));
    await assertAnswers(c, 'after the bad open');
    await c.notify('textDocument/didChange', {
      textDocument: { uri: b, version: 2 },
      contentChanges: [{ text: '# B\n\n[[nowhere-c]]\n' }],
    });
    const d = await c.waitForDiagnostics(b, (x) => x.some((y) => y.message.startsWith('[[nowhere-c]]')));
    assert.equal(d.length, 1);
    const symbols = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: b } });
    assert.equal(symbols.length, 1);
  });

  it('a glob picomatch refuses, at start or changed live, is reported and ignored', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': release });
    const uri = uriOf(join(root, 'wf/05-release.md'));
    const c = await start(root, { cdp: { files: { include: [''], exclude: ['a'.repeat(70_000)] } } });
    const broken = (d: { code?: unknown }[]) => d.some((x) => x.code === 'broken-link');
    await c.waitForDiagnostics(uri, broken, 'indexed with the default globs');
    const shown = () =>
      c.notifications.filter(
        (n) =>
          n.method === 'window/showMessage' &&
          /cdp\.files\.(include|exclude)/.test((n.params as { message: string }).message),
      );
    await c.waitFor(() => shown().length === 1, 'a warning about the globs');
    assert.match((shown()[0].params as { message: string }).message, /cdp\.files\.include/);
    assert.match((shown()[0].params as { message: string }).message, /cdp\.files\.exclude/);

    await c.setSettings({ cdp: { files: { exclude: ['b'.repeat(70_000)] } } });
    await c.waitFor(() => shown().length === 2, 'a warning about the live change');
    await assertAnswers(c, 'a bad glob changed live');
    assert.ok(broken(c.diagnosticsOf(uri)), 'still indexed');
  });

  for (const registration of ['refused', 'never answered'] as const)
    it(`a client that never answers for settings or progress, and whose file-watch registration is ${registration}, still gets a live workspace`, async () => {
      const { conn } = rawServer();
      const root = tempWorkspace({ 'a.md': '# A\n\n[[later]]\n' });
      const published = new Map<string, number>();
      conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) =>
        published.set(p.uri, p.diagnostics.length),
      );
      // Never answered: the configuration pull and the progress token. Refused: the watcher.
      conn.onRequest('workspace/configuration', () => new Promise(() => {}));
      conn.onRequest('window/workDoneProgress/create', () => new Promise(() => {}));
      conn.onRequest('client/registerCapability', () => {
        if (registration === 'never answered') return new Promise(() => {});
        throw new ResponseError(-32603, 'not here');
      });
      await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {
          workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
          window: { workDoneProgress: true },
        },
        workspaceFolders: [{ uri: uriOf(root), name: 'ws' }],
      });
      await conn.sendNotification('initialized', {});
      const until = async (what: string, ok: () => boolean, ms: number) => {
        const end = Date.now() + ms;
        while (!ok()) {
          assert.ok(Date.now() < end, `waited for ${what}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const a = uriOf(join(root, 'a.md'));
      await until('the broken link', () => published.get(a) === 1, 20_000);
      // The server watches the folder itself: the file the link names, created on disk, mends it.
      await new Promise((r) => setTimeout(r, 500));
      writeFileSync(join(root, 'later.md'), '# Later\n');
      await until('the link mended', () => published.get(a) === 0, 10_000);
      conn.dispose();
    });

  it('requests before initialize get ServerNotInitialized; requests after shutdown are refused', async () => {
    const { conn, proc } = rawServer();
    const before = await errorOf(conn.sendRequest('workspace/symbol', { query: '' }));
    assert.equal(before.code, -32002);
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///x.md', languageId: 'markdown', version: 1, text: '# X' },
    });
    conn.onRequest('client/registerCapability', () => null);
    const root = tempWorkspace({ 'wf/05-release.md': release });
    const init = await initializeOn(conn, {}, root);
    assert.ok(init.capabilities);
    await conn.sendNotification('initialized', {});
    const symbols = await conn.sendRequest<unknown[]>('workspace/symbol', { query: 'Release' });
    assert.ok(symbols.length > 0, 'served once initialized');
    // A second initialize would start the workspace over: refused.
    const again = await errorOf(
      conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }),
    );
    assert.equal(again.code, -32600);
    await conn.sendRequest('shutdown');
    const afterShutdown = await errorOf(conn.sendRequest('workspace/symbol', { query: '' }));
    assert.equal(afterShutdown.code, -32600);
    // Notifications after shutdown are dropped: a document opened then is not checked.
    const published: string[] = [];
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => published.push(p.uri));
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: uriOf(join(root, 'late.md')),
        languageId: 'markdown',
        version: 1,
        text: '# Y\n[[gone]]\n',
      },
    });
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(
      published.filter((u) => u.includes('late')),
      [],
    );
    const exited = once(proc, 'exit');
    await conn.sendNotification('exit');
    const [code] = (await exited) as [number];
    assert.equal(code, 0);
    conn.dispose();
  });

  for (const [name, header] of [
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n'],
    ['a Content-Length that is not a number', 'Content-Length: five\r\n\r\n'],
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n'],
    ['a header line without a colon', 'Content-Length 12\r\n\r\n'],
  ] as const) {
    it(`bad framing (${name}) closes the connection with a log line and the process exits`, async () => {
      const { proc, conn, stderr } = rawServer();
      await initializeOn(conn, { 'a.md': '# A\n' });
      const exited = once(proc, 'exit');
      proc.stdin!.write(
        `${header}{"jsonrpc":"2.0","id":99,"method":"workspace/symbol","params":{"query":""}}`,
      );
      const [code] = (await Promise.race([
        exited,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the server stayed up, deaf')), 10_000)),
      ])) as [number | null];
      assert.equal(code, 1);
      assert.match(stderr(), /closing the connection: bad message framing/);
      conn.dispose();
    });
  }

  it('a request whose method is not a string, or whose id is neither number nor string, gets Invalid Request', async () => {
    const { proc, conn } = rawServer();
    await initializeOn(conn, { 'a.md': '# A\n' });
    await conn.sendNotification('initialized', {});
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    proc.stdin!.write(frame('{"jsonrpc":"2.0","id":501,"method":5}'));
    proc.stdin!.write(frame('{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover","params":{}}'));
    const end = Date.now() + 10_000;
    while (!(out.includes('"id":501') && out.includes('"id":null'))) {
      assert.ok(Date.now() < end, `both answered: ${out.slice(-400)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(out, /"id":501,"error":\{"code":-32600/);
    assert.match(
      out,
      /"id":null,"error":\{"code":-32600,"message":"A request id must be a number or a string/,
    );
    // And the server goes on.
    const symbols = await conn.sendRequest<unknown[]>('workspace/symbol', { query: 'A' });
    assert.ok(Array.isArray(symbols));
    conn.dispose();
  });

  it('a body that is not JSON, with good framing, is answered with a parse error and the server goes on', async () => {
    const { proc, conn } = rawServer();
    await initializeOn(conn, { 'a.md': '# A\n' });
    await conn.sendNotification('initialized', {});
    proc.stdin!.write('Content-Length: 3\r\n\r\n{{{');
    const symbols = await conn.sendRequest<unknown[]>('workspace/symbol', { query: 'A' });
    assert.ok(Array.isArray(symbols));
    assert.equal(proc.exitCode, null);
    conn.dispose();
  });
});
