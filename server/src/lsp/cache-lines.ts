import { createHash } from 'node:crypto';
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Range } from '../core/types';

/**
 * The line files of the storage folder (the index cache and the diagnostics of the last
 * check): reading them a line at a time, the checks every entry passes, and the stored
 * diagnostics. Node built-ins only: the worker that publishes stored diagnostics
 * (`publish-stored.ts`) loads this and nothing of the server.
 */

/** Bump when the entry encoding of either file changes. */
export const FORMAT = 10;
/** The largest cache written or read; a larger workspace starts cold. */
export const MAX_CACHE_BYTES = 256 * 1024 * 1024;
/** How much of the cache is written or read at a time (bounds the memory it costs). */
export const CHUNK_BYTES = 256 * 1024;
/** The diagnostics of the last full check, in the storage folder (see index-cache.ts). */
export const DIAGNOSTICS_FILE = 'cdp-diagnostics-cache.json';

/**
 * A cache file opened for reading, or why not: only a regular file of at most `maxBytes`
 * (a folder, a named pipe or a device in its place is no cache; opening a pipe would
 * block the server until something wrote to it), opened without blocking. Throws nothing.
 */
export function openCacheFile(file: string, maxBytes = MAX_CACHE_BYTES): number | string {
  try {
    const st = statSync(file);
    if (!st.isFile()) return 'not a file';
    if (st.size > maxBytes) return 'too large';
    return openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return 'none';
  }
}

/** The size of the diagnostics file in `dir` (0 when there is none). */
export function diagnosticsFileBytes(dir: string): number {
  try {
    return statSync(join(dir, DIAGNOSTICS_FILE)).size;
  } catch {
    return 0;
  }
}

/**
 * Calls `onLine` with each line of the file, without its newline (`ended`: one followed;
 * a last line without one is passed only when not empty), reading `chunkBytes` at a time
 * from the file's position, or from byte `from`.
 * Stops at the first reason `onLine` returns, or when the file grows past the size cap.
 */
export function readLines(
  fd: number,
  chunkBytes: number,
  onLine: (bytes: Buffer, ended: boolean) => string | undefined,
  from?: number,
): string | undefined {
  for (const l of fileLines(fd, chunkBytes, from)) {
    const why = l === TOO_LARGE ? l : onLine(l.bytes, l.ended);
    if (why) return why;
  }
  return undefined;
}

export const TOO_LARGE = 'too large';

/**
 * The lines of `readLines`, one at a time, or TOO_LARGE (then no more). A line's bytes
 * may be a view of a buffer the next line reuses: use them before asking for the next.
 */
export function* fileLines(
  fd: number,
  chunkBytes: number,
  from?: number,
): Generator<{ bytes: Buffer; ended: boolean } | typeof TOO_LARGE> {
  const chunk = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  /** The start of a line that continues in the next chunk. */
  let rest: Buffer[] = [];
  let total = 0;
  /** Where the next read starts (null: the file's position, which reads advance). */
  let at0: number | null = from ?? null;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, at0);
    if (at0 !== null) at0 += n;
    if (n === 0) break;
    total += n;
    if (total > MAX_CACHE_BYTES) {
      yield TOO_LARGE;
      return;
    }
    let at = 0;
    for (let nl = chunk.indexOf(10, at); nl >= 0 && nl < n; nl = chunk.indexOf(10, at)) {
      const part = chunk.subarray(at, nl);
      yield { bytes: rest.length ? Buffer.concat([...rest, part]) : part, ended: true };
      rest = [];
      at = nl + 1;
    }
    if (at < n) rest.push(Buffer.from(chunk.subarray(at, n)));
  }
  const last = Buffer.concat(rest);
  if (last.length) yield { bytes: last, ended: false };
}

export const NEWLINE = Buffer.from('\n');

export class Invalid extends Error {}

export function num(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid();
  return v;
}

export function str(v: unknown): string {
  if (typeof v !== 'string') throw new Invalid();
  return v;
}

export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid();
  return v as Record<string, unknown>;
}

export function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Invalid();
  return v;
}

export function pos(v: unknown): void {
  const p = obj(v);
  num(p.line);
  num(p.character);
}

export function range(v: unknown): Range {
  const r = obj(v);
  pos(r.start);
  pos(r.end);
  return r as unknown as Range;
}

/**
 * Calls `each` with the diagnostics written for exactly this `world` (a document's uri,
 * their JSON as written and as parsed, the hash written with it, and the JSON's UTF-8
 * bytes in a buffer of their own), in the order written. True when all were read;
 * false, without a call, when there are none for it or the file is truncated or corrupt.
 *
 * Two passes over the file: the first checks the header (the last line) and the checksum
 * of the rest, the second parses and passes on one document at a time, so nothing is used
 * before the whole file is known good and no more than a line is held at once. A line of
 * the wrong shape in the second pass (the file changed in between) ends it: false then,
 * after the calls made so far.
 */
export function readDiagnostics(
  dir: string,
  world: string,
  each: (uri: string, json: string, diagnostics: unknown[], hash: string, bytes: Buffer) => void,
  chunkBytes = CHUNK_BYTES,
): boolean {
  const fd = openCacheFile(join(dir, DIAGNOSTICS_FILE));
  if (typeof fd === 'string') return false;
  try {
    const hash = createHash('sha256');
    let header: { format?: unknown; world?: unknown; sha256?: unknown } | undefined;
    const why = readLines(fd, chunkBytes, (bytes, ended) => {
      if (!ended) {
        header = JSON.parse(bytes.toString('utf8')) as typeof header;
        return undefined;
      }
      hash.update(bytes);
      hash.update(NEWLINE);
      return undefined;
    });
    if (why || typeof header !== 'object' || header === null) return false;
    if (header.format !== FORMAT || header.world !== world) return false;
    if (hash.digest('hex') !== header.sha256) return false;
    const bad = readLines(
      fd,
      chunkBytes,
      (bytes, ended) => {
        if (!ended) return undefined; // the header
        const tab = bytes.indexOf(9);
        const tab2 = tab < 0 ? -1 : bytes.indexOf(9, tab + 1);
        if (tab2 < 0) return 'corrupt';
        const uri = JSON.parse(bytes.toString('utf8', 0, tab)) as unknown;
        const hash = bytes.toString('latin1', tab + 1, tab2);
        const json = bytes.toString('utf8', tab2 + 1);
        const diagnostics = JSON.parse(json) as unknown;
        if (typeof uri !== 'string' || hash === '' || !Array.isArray(diagnostics)) return 'corrupt';
        for (const d of diagnostics) {
          const o = obj(d);
          str(o.message);
          range(o.range);
        }
        each(uri, json, diagnostics, hash, Buffer.from(bytes.subarray(tab2 + 1)));
        return undefined;
      },
      0,
    );
    return bad === undefined;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
