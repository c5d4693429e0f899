// The stdio writer's encoding: a value already encoded as JSON (the diagnostics a start
// publishes from the last check) is copied in as it is, and the message says exactly what
// JSON.stringify of the decoded value would; and its writing: at once, in order.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { Message } from 'vscode-languageserver/node';
import { encodeMessage, ImmediateStreamWriter, PreEncodedJson } from '../../server/src/lsp/transport';

const DIAGNOSTICS = [
  {
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } },
    severity: 2,
    code: 'broken-link',
    message: 'Ünïcödé "quoted" \\ and \u2028 🚀',
  },
];

describe('pre-encoded JSON in a message', () => {
  it('is copied in as its bytes and reads back as the value', () => {
    for (const diagnostics of [DIAGNOSTICS, []]) {
      const bytes = Buffer.from(JSON.stringify(diagnostics), 'utf8');
      const params = { uri: 'file:///w/ä b.md', diagnostics: new PreEncodedJson(bytes), version: undefined };
      const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as Message;
      const encoded = encodeMessage(msg, 'utf-8');
      assert.ok(encoded.includes(bytes), 'the bytes as they were');
      assert.deepEqual(JSON.parse(encoded.toString('utf8')), {
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri: 'file:///w/ä b.md', diagnostics },
      });
      // Whatever else serializes it (another transport, a trace) gets the same value.
      assert.equal(JSON.stringify(msg), encoded.toString('utf8'));
    }
  });

  it('leaves every other message to JSON.stringify', () => {
    const messages = [
      { jsonrpc: '2.0', id: 1, result: { a: [1, 'x'] } },
      { jsonrpc: '2.0', method: 'x', params: [1, 2] },
      { jsonrpc: '2.0', method: 'x', params: { uri: 'file:///a', n: null } },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
    ] as unknown as Message[];
    for (const m of messages) assert.equal(encodeMessage(m, 'utf-8').toString('utf8'), JSON.stringify(m));
  });
});

describe('the stdio writer', () => {
  /** A writer over a stream that records every chunk as it is written. */
  const recording = () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    return { chunks, writer: new ImmediateStreamWriter(out) };
  };

  it('writes each message at once, framed, in the order sent', async () => {
    const { chunks, writer } = recording();
    const bytes = Buffer.from(JSON.stringify(DIAGNOSTICS), 'utf8');
    const first = {
      jsonrpc: '2.0',
      method: 'textDocument/publishDiagnostics',
      params: { uri: 'file:///w/a.md', diagnostics: new PreEncodedJson(bytes) },
    } as Message;
    const second = { jsonrpc: '2.0', id: 7, result: { ok: 'ü' } } as Message;
    const sent = [writer.write(first), writer.write(second)];
    // Nothing awaited yet: both are on the stream already (a busy server's publishes
    // must not wait for the event loop).
    const body1 = encodeMessage(first, 'utf-8');
    const body2 = encodeMessage(second, 'utf-8');
    const frame = (b: Buffer) => Buffer.concat([Buffer.from(`Content-Length: ${b.byteLength}\r\n\r\n`), b]);
    assert.deepEqual(Buffer.concat(chunks), Buffer.concat([frame(body1), frame(body2)]));
    await Promise.all(sent);
  });

  it("settles a message's promise only once the stream has taken it", async () => {
    let release: (() => void) | undefined;
    const out = new Writable({
      highWaterMark: 1,
      write(_chunk: Buffer, _enc, done) {
        release = done; // the stream holds on to the bytes until released
      },
    });
    const writer = new ImmediateStreamWriter(out);
    let settled = false;
    const p = writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message).then(() => {
      settled = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'not yet written');
    while (!settled) {
      const next = release;
      release = undefined; // (the stream may hand over its next chunk inside `next`)
      next?.();
      await new Promise((r) => setImmediate(r));
    }
    await p;
  });

  it('lent out (hold), holds every message back and writes them in order on release', async () => {
    const { chunks, writer } = recording();
    const frame = (m: Message) => {
      const b = encodeMessage(m, 'utf-8');
      return Buffer.concat([Buffer.from(`Content-Length: ${b.byteLength}\r\n\r\n`), b]);
    };
    const a = { jsonrpc: '2.0', id: 1, result: 'a' } as Message;
    const b = { jsonrpc: '2.0', method: 'b', params: { n: 1 } } as Message;
    const c = { jsonrpc: '2.0', id: 3, result: 'ç' } as Message;
    await writer.write(a);
    assert.equal(writer.hold(), true);
    assert.equal(writer.hold(), false, 'held already');
    let settled = 0;
    const sent = [writer.write(b), writer.write(c)].map((p) => p.then(() => settled++));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(Buffer.concat(chunks), frame(a), 'nothing written while held');
    assert.equal(settled, 0);
    // what another writer put on the output meanwhile comes before them
    chunks.push(Buffer.from('<other>'));
    writer.release();
    await Promise.all(sent);
    assert.deepEqual(
      Buffer.concat(chunks),
      Buffer.concat([frame(a), Buffer.from('<other>'), frame(b), frame(c)]),
    );
    await writer.write(a);
    assert.deepEqual(Buffer.concat(chunks).subarray(-frame(a).length), frame(a), 'written at once again');
  });

  it('is not lent out while output is still on its way', () => {
    const out = new Writable({
      highWaterMark: 1,
      write() {
        // never done: the bytes stay in the stream
      },
    });
    const writer = new ImmediateStreamWriter(out);
    void writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message);
    assert.equal(writer.hold(), false);
  });

  it('reports a message it cannot encode and goes on with the next', async () => {
    const { chunks, writer } = recording();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(writer.write({ jsonrpc: '2.0', id: 1, result: cyclic } as Message));
    assert.equal(chunks.length, 0, 'nothing half-written');
    await writer.write({ jsonrpc: '2.0', id: 2, result: null } as Message);
    assert.match(
      Buffer.concat(chunks).toString('utf8'),
      /^Content-Length: \d+\r\n\r\n\{"jsonrpc":"2.0","id":2,"result":null\}$/,
    );
  });
});
