// The stdio writer's encoding: a value already encoded as JSON (the diagnostics a start
// publishes from the last check) is copied in as it is, and the message says exactly what
// JSON.stringify of the decoded value would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'vscode-languageserver/node';
import { encodeMessage, PreEncodedJson } from '../../server/src/lsp/transport';

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
