import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CdpConfig } from '../core/config';
import { type DocumentLoader, type LoadedDocument, readDocument } from '../core/load';
import { fromFreshStrings, type PackSink, packItems, unpackItems } from '../core/parse/compact';
import { uriToFsPath } from '../core/paths';
import type { FileEntry } from '../core/workspace';
import { NodeFsWorkspace } from './fs-workspace';

/**
 * Reading and parsing documents in worker threads, for large workspaces: the workers
 * and this thread take batches of documents from one queue, each reading and parsing
 * its batch (`readDocument`, as a single thread would), and the results are put into
 * the index in the order of the listing, so the index and every report are the same as
 * without workers. Below `POOL_MIN_DOCUMENTS` starting a worker costs more than it saves,
 * and below `POOL_MIN_CORES` a worker slows the main thread down more than it helps.
 *
 * The worker is this same file (the `cdp` bundle, or this module under a TypeScript
 * loader) started with `workerData.cdpParseWorker`: it holds its own `NodeFsWorkspace`,
 * so its reads keep the same boundary checks.
 */

const BATCH = 64;

interface WorkerSetup {
  cdpParseWorker: true;
  folders: string[];
  config: CdpConfig;
}
interface Batch {
  id: number;
  files: FileEntry[];
  /** Positions in `files` of the documents grep checks search, with their patterns (`keep` of `readDocument`). */
  keep?: [number, string[]][];
}
interface BatchDone {
  id: number;
  /** The documents without their tasks, headings and links, which are packed (see `packItems`). */
  results: LoadedDocument[];
  nums: Int32Array;
  strs: string[];
  plain: unknown[];
}

/** Documents below which one thread is faster (measured: see ARCHITECTURE.md). */
export const POOL_MIN_DOCUMENTS = 2000;
/**
 * Cores below which the pool is not used unless asked for. On two cores a worker competes
 * with the main thread, which still indexes, checks and reports every document, and with
 * V8's own background threads (garbage collection, compilers): measured at 10,000
 * documents of every benchmark shape and at 50,000 (interleaved, 3–5 pairs), one thread
 * was as fast or faster (cdp 2.44 s against 2.58 s) for 15–25% less CPU, at the same
 * peak memory; the main thread's share of the parsing took longer with a worker beside it
 * than all of it alone.
 */
export const POOL_MIN_CORES = 3;

/**
 * How many threads to use for `documents` documents when `jobs` (0: automatic) is asked,
 * on a machine with `cores` cores.
 */
export function threadsFor(documents: number, jobs: number, cores = availableParallelism()): number {
  if (jobs === 1) return 1;
  if (jobs === 0 && (documents < POOL_MIN_DOCUMENTS || cores < POOL_MIN_CORES)) return 1;
  const wanted = jobs === 0 ? cores : jobs;
  // Each thread needs a few batches to be worth starting.
  return Math.max(1, Math.min(wanted, Math.ceil(documents / (BATCH * 4))));
}

/**
 * A `DocumentLoader` that uses worker threads when the workspace is large enough (or
 * `jobs` asks for them); otherwise this thread reads alone. A worker that fails or
 * exits leaves its batches to this thread: the result is the same, only slower.
 */
export function poolLoader(
  ws: NodeFsWorkspace,
  config: CdpConfig,
  jobs = 0,
  opts: {
    /** Counts the documents the workers read (the rest this thread read). */
    stats?: { byWorkers: number };
    /** false: this thread reads only what no worker could (tests use it). */
    shareWork?: boolean;
  } = {},
): DocumentLoader {
  const stats = opts.stats ?? { byWorkers: 0 };
  return async (files, onProgress, keepOf) => {
    const threads = threadsFor(files.length, jobs);
    const results: LoadedDocument[] = new Array(files.length);
    const batches: Batch[] = [];
    for (let i = 0; i < files.length; i += BATCH) {
      const b: Batch = { id: i / BATCH, files: files.slice(i, i + BATCH) as FileEntry[] };
      if (keepOf?.size) {
        const keep: [number, string[]][] = [];
        b.files.forEach((f, k) => {
          const patterns = keepOf.get(f.uri);
          if (patterns) keep.push([k, [...patterns]]);
        });
        if (keep.length > 0) b.keep = keep;
      }
      batches.push(b);
    }
    let next = 0;
    let done = 0;
    const store = (b: Batch, got: LoadedDocument[]) => {
      for (let i = 0; i < got.length; i++) results[b.id * BATCH + i] = got[i];
      done += got.length;
      onProgress(done);
    };
    const storePacked = (b: Batch, m: BatchDone) => {
      const src = { nums: m.nums, strs: m.strs, plain: m.plain, n: 0, s: 0, p: 0 };
      // The strings of a message are copies of their own already (a structured clone
      // makes each anew): nothing to copy again when they are kept.
      fromFreshStrings(() => {
        for (const r of m.results) if ('doc' in r) unpackItems(r.doc, src);
      });
      store(b, m.results);
    };
    const readHere = async (b: Batch) => {
      // The reads below go one after another; the folder lookups they need need not.
      ws.prefetchFolders(b.files.map((f) => f.uri));
      const got: LoadedDocument[] = [];
      const keep = keptOf(b);
      for (let k = 0; k < b.files.length; k++)
        got.push(await readDocument(ws, b.files[k], config, keep.get(k)));
      store(b, got);
    };

    const workers: Promise<void>[] = [];
    const setup: WorkerSetup = { cdpParseWorker: true, folders: ws.folders.map(uriToFsPath), config };
    for (let t = 1; t < threads; t++) {
      workers.push(
        new Promise<void>((resolve) => {
          let worker: Worker;
          try {
            worker = __filename.endsWith('.ts')
              ? // Run from the TypeScript sources (tests): load them the same way.
                new Worker(`require('tsx/cjs');require(${JSON.stringify(__filename)})`, {
                  eval: true,
                  workerData: setup,
                })
              : new Worker(__filename, { workerData: setup });
          } catch {
            resolve(); // no worker: this thread does its share
            return;
          }
          let current: Batch | undefined;
          const give = () => {
            current = next < batches.length ? batches[next++] : undefined;
            if (current) worker.postMessage(current);
            else void worker.terminate();
          };
          worker.on('message', (m: BatchDone) => {
            if (current && m.id === current.id) {
              storePacked(current, m);
              stats.byWorkers += m.results.length;
            }
            give();
          });
          const fail = () => {
            // Its unfinished batch goes back to the queue, read by whoever comes next.
            if (current && results[current.id * BATCH] === undefined) batches.push(current);
            current = undefined;
            resolve();
          };
          worker.on('error', fail);
          worker.on('exit', fail);
          worker.once('online', give);
        }),
      );
    }
    // This thread takes batches too, and lets the workers' messages in between.
    while (opts.shareWork !== false && next < batches.length) {
      await readHere(batches[next++]);
      await ws.yieldToHost();
    }
    await Promise.all(workers);
    // Batches given back by a worker that failed after this thread finished.
    while (next < batches.length) await readHere(batches[next++]);
    return results;
  };
}

/** A batch's documents grep checks search (by position), with their patterns. */
function keptOf(b: Batch): Map<number, Set<string>> {
  return new Map((b.keep ?? []).map(([k, patterns]) => [k, new Set(patterns)]));
}

/** The worker's side: read and parse the batches it is given, with its own workspace. */
function runWorker(setup: WorkerSetup): void {
  const ws = new NodeFsWorkspace(setup.folders);
  parentPort!.on('message', async (b: Batch) => {
    const results: LoadedDocument[] = [];
    const sink: PackSink = { nums: [], strs: [], plain: [] };
    const keep = keptOf(b);
    for (let k = 0; k < b.files.length; k++) {
      const r = await readDocument(ws, b.files[k], setup.config, keep.get(k));
      results.push('doc' in r ? { ...r, doc: packItems(r.doc, sink) } : r);
    }
    const nums = Int32Array.from(sink.nums);
    const done: BatchDone = { id: b.id, results, nums, strs: sink.strs, plain: sink.plain };
    parentPort!.postMessage(done, [nums.buffer]);
  });
}

if (!isMainThread && (workerData as Partial<WorkerSetup> | undefined)?.cdpParseWorker === true)
  runWorker(workerData as WorkerSetup);
