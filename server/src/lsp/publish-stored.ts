import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { readDiagnostics } from './cache-lines';
import { contentLengthHeader } from './framing';

/**
 * Publishing the diagnostics of the last check from a worker thread, at a start.
 *
 * On a warm start the server sends what the last full check found (tens of megabytes of
 * JSON on a workspace of 10,000 documents) while it reads the index cache. On the main
 * thread that cost a third of the start: the file's checksum, parsing every document's
 * diagnostics to check their shape, framing each message, and turning the event loop
 * often enough for Node to move what the pipe did not take. Here a worker does all of it
 * and writes the framed messages straight to the output's file descriptor, while the main
 * thread holds back its own messages (`lendStdout` in transport.ts), so that nothing is
 * written in between and the order stays that of the calls.
 *
 * The worker loads only this file and `cache-lines.ts` (Node built-ins): it starts in a
 * few milliseconds, apart from the server's bundle.
 */

/**
 * Stored diagnostics from this size on are published by a worker thread at a start. A
 * worker takes 50–100 ms to start and check the file before its first message; the main
 * thread spends about 30 µs per document and 3–7 ms per megabyte doing it itself.
 * Measured on warm starts (medians of 4): 43 MB of 3,845 documents 1.31 → 1.12 s and a
 * peak 40 MB lower, 11 MB of 6,530 documents 1.72 → 1.66 s, 9 MB of 2,091 documents 0.91 →
 * 0.85 s (12 MB lower); 4 MB of 390 documents came out 25 ms slower.
 */
export const WORKER_PUBLISH_BYTES = 8 * 1024 * 1024;

/** What the main thread asks of the worker. */
interface Job {
  kind: 'cdp-publish-stored';
  dir: string;
  world: string;
  /** The file descriptor to write the framed messages to (1: stdout). */
  fd: number;
  /** Server uri → the uri the client knows the document by, where they differ. */
  clientUris: [string, string][];
}

/** The worker's messages: the documents published so far, then the end. */
type Report =
  | { entries: [uri: string, hash: string][] }
  | { done: true; ok: boolean; count: number }
  | { failed: string };

export interface StoredPublishResult {
  /** Every document was read and written (false: none or only some, see `count`). */
  ok: boolean;
  /** How many documents' diagnostics were written. */
  count: number;
}

/** What runs TypeScript in a worker started from the sources (never in the bundles). */
const TS_LOADER = 'tsx/cjs';

/** How many bytes of framed messages are written at a time. */
const BATCH_BYTES = 256 * 1024;

/**
 * Starts a worker that writes the stored diagnostics of `world` from `dir` to `fd`, each
 * document as a `textDocument/publishDiagnostics` notification, skipping documents whose
 * diagnostics are empty (the server starts with none published). `onEntries` gets each
 * document written, with the hash stored with its diagnostics, in the order written.
 * Resolves once the worker is done writing; rejects when it cannot start or fails.
 */
export function publishStoredInWorker(
  job: Omit<Job, 'kind'>,
  onEntries: (entries: [string, string][]) => void,
): Promise<StoredPublishResult> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    const data: Job = { kind: 'cdp-publish-stored', ...job };
    try {
      // From the sources (tests under tsx) the worker compiles its TypeScript the same way.
      worker = __filename.endsWith('.ts')
        ? new Worker(
            `require(${JSON.stringify(TS_LOADER)});require(${JSON.stringify(join(__dirname, 'publish-stored-worker.ts'))})`,
            {
              eval: true,
              workerData: data,
            },
          )
        : new Worker(join(__dirname, 'publish-stored-worker.js'), { workerData: data });
    } catch (e) {
      reject(e);
      return;
    }
    // (A promise settles once: an exit after the last message changes nothing.)
    worker.on('message', (r: Report) => {
      if ('entries' in r) onEntries(r.entries);
      else if ('done' in r) resolve({ ok: r.ok, count: r.count });
      else reject(new Error(r.failed));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the worker stopped (exit code ${code})`)));
  });
}

/** The worker's side: run when `publish-stored-worker.js` is loaded in a worker thread. */
export function runStoredPublish(): void {
  if (isMainThread || !parentPort) return;
  const job = workerData as Job;
  if (job?.kind !== 'cdp-publish-stored') return;
  const port = parentPort;
  try {
    port.postMessage(publishStored(job, (entries) => port.postMessage({ entries } satisfies Report)));
  } catch (e) {
    port.postMessage({ failed: e instanceof Error ? e.message : String(e) } satisfies Report);
  }
}

const HEAD = Buffer.from(
  '{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":',
  'utf8',
);
const MID = Buffer.from(',"diagnostics":', 'utf8');
const TAIL = Buffer.from('}}', 'utf8');

/** Writes the stored diagnostics (see publishStoredInWorker); exported for its test. */
export function publishStored(
  job: Omit<Job, 'kind'>,
  onEntries: (entries: [string, string][]) => void,
): Extract<Report, { done: true }> {
  const clientUris = new Map(job.clientUris);
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let entries: [string, string][] = [];
  let count = 0;
  const flush = () => {
    if (batchBytes > 0) writeAll(job.fd, batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes));
    batch = [];
    batchBytes = 0;
    // Reported once written: what the main thread records as published is on its way.
    if (entries.length > 0) onEntries(entries);
    entries = [];
  };
  const ok = readDiagnostics(job.dir, job.world, (uri, json, _diagnostics, hash, bytes) => {
    if (json === '[]') return;
    const u = Buffer.from(JSON.stringify(clientUris.get(uri) ?? uri), 'utf8');
    const length = HEAD.length + u.length + MID.length + bytes.length + TAIL.length;
    const header = contentLengthHeader(length);
    batch.push(header, HEAD, u, MID, bytes, TAIL);
    batchBytes += header.length + length;
    entries.push([uri, hash]);
    count++;
    if (batchBytes >= BATCH_BYTES) flush();
  });
  flush();
  return { done: true, ok, count };
}

/** A word to sleep on while the output is full. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `buf` to `fd`. The output may be a pipe in non-blocking mode (Node's own
 * stdout): when it is full the worker sleeps a fraction of a millisecond and tries again.
 */
function writeAll(fd: number, buf: Buffer): void {
  let at = 0;
  while (at < buf.length) {
    try {
      at += writeSync(fd, buf, at, buf.length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(sleeper, 0, 0, 0.2);
    }
  }
}
