import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DIAGNOSTICS_FILE, FORMAT } from '../../server/src/lsp/cache-lines';
import { DiagnosticsWriter } from '../../server/src/lsp/index-cache';
import { publishStored, publishStoredInWorker } from '../../server/src/lsp/publish-stored';
import { tempDir } from '../helpers/files';

const diag = (message: string, line: number) => ({
  range: { start: { line, character: 0 }, end: { line, character: 4 } },
  severity: 3,
  code: 'unmet-criterion',
  source: 'cdp',
  message,
});

/** A storage folder whose diagnostics file holds these documents' diagnostics for world `w`. */
function stored(docs: [string, unknown[]][]): string {
  const dir = tempDir('cdp-publish-');
  const w = new DiagnosticsWriter(dir, 'w');
  for (const [uri, d] of docs) w.add(uri, JSON.stringify(d), `h-${uri.length}-${d.length}`);
  w.commit();
  return dir;
}

/** The messages framed in `bytes` (Content-Length headers), strictly: anything else fails. */
function frames(bytes: Buffer): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    assert.ok(end > at, `a header at ${at}`);
    const m = /^Content-Length: (\d+)$/.exec(bytes.toString('ascii', at, end));
    assert.ok(m, bytes.toString('ascii', at, end));
    const start = end + 4;
    const length = Number(m[1]);
    assert.ok(start + length <= bytes.length, 'a whole body');
    out.push(JSON.parse(bytes.toString('utf8', start, start + length)));
    at = start + length;
  }
  return out;
}

/** Runs `write` with a file descriptor and returns what it wrote there. */
async function captured(write: (fd: number) => unknown): Promise<Buffer> {
  const file = join(tempDir('cdp-out-'), 'out');
  const fd = openSync(file, 'w');
  try {
    await write(fd);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file);
}

const DOCS: [string, unknown[]][] = [
  ['file:///w/a.md', [diag('Unmet exit criterion: é ☃ "quoted"', 3), diag('second', 4)]],
  ['file:///w/empty.md', []],
  ['file:///w/b%20c.md', [diag('in a folder with a space', 0)]],
];

describe('publishing stored diagnostics (publish-stored.ts)', () => {
  it('writes each document with diagnostics as one framed publishDiagnostics notification, in order', async () => {
    const dir = stored(DOCS);
    const reported: [string, string][] = [];
    let result: unknown;
    const out = await captured((fd) => {
      result = publishStored(
        { dir, world: 'w', fd, clientUris: [['file:///w/b%20c.md', 'file:///W/b%20c.md']] },
        (e) => reported.push(...e),
      );
    });
    assert.deepEqual(result, { done: true, ok: true, count: 2 });
    assert.deepEqual(frames(out), [
      {
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri: 'file:///w/a.md', diagnostics: DOCS[0]![1] },
      },
      // the uri the client knows it by
      {
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri: 'file:///W/b%20c.md', diagnostics: DOCS[2]![1] },
      },
    ]);
    // the server records the hashes stored with them, under its own uris
    assert.deepEqual(reported, [
      ['file:///w/a.md', 'h-14-2'],
      ['file:///w/b%20c.md', 'h-18-1'],
    ]);
  });

  it('writes the same bytes from a worker thread', async () => {
    const dir = stored(DOCS);
    const direct = await captured((fd) =>
      publishStored({ dir, world: 'w', fd, clientUris: [] }, () => undefined),
    );
    const reported: [string, string][] = [];
    let result: unknown;
    const viaWorker = await captured(async (fd) => {
      result = await publishStoredInWorker({ dir, world: 'w', fd, clientUris: [] }, (e) =>
        reported.push(...e),
      );
    });
    assert.deepEqual(result, { ok: true, count: 2 });
    assert.equal(reported.length, 2);
    assert.ok(direct.length > 0);
    assert.deepEqual(viaWorker, direct);
  });

  it('writes nothing for another world, a missing file or a damaged one', async () => {
    const dir = stored(DOCS);
    for (const [world, d] of [
      ['another', dir],
      ['w', tempDir('cdp-none-')],
    ] as const) {
      const out = await captured((fd) => {
        assert.deepEqual(
          publishStored({ dir: d, world, fd, clientUris: [] }, () => assert.fail('reported')),
          {
            done: true,
            ok: false,
            count: 0,
          },
        );
      });
      assert.equal(out.length, 0);
    }
    const file = join(dir, DIAGNOSTICS_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('second', 'secont'));
    const out = await captured((fd) =>
      publishStored({ dir, world: 'w', fd, clientUris: [] }, () => undefined),
    );
    assert.equal(out.length, 0, 'the checksum no longer matches');
  });

  it('never writes diagnostics of the wrong shape, even under a matching checksum', async () => {
    const dir = tempDir('cdp-publish-');
    const good = JSON.stringify([diag('m', 1)]);
    for (const bad of ['[{"range":{}}]', '[{"message":"m"}]', '{}', '[1]']) {
      const body = `"file:///w/a.md"\th\t${good}\n"file:///w/b.md"\th\t${bad}\n`;
      const sha256 = createHash('sha256').update(body).digest('hex');
      writeFileSync(
        join(dir, DIAGNOSTICS_FILE),
        `${body}${JSON.stringify({ format: FORMAT, world: 'w', sha256 })}`,
      );
      let result: { ok: boolean; count: number } | undefined;
      const out = await captured((fd) => {
        result = publishStored({ dir, world: 'w', fd, clientUris: [] }, () => undefined);
      });
      assert.deepEqual(result, { done: true, ok: false, count: 1 }, bad);
      // the document before it, whole; never the bad one
      assert.deepEqual(
        frames(out).map((m) => (m as { params: { uri: string } }).params.uri),
        ['file:///w/a.md'],
        bad,
      );
    }
  });
});
