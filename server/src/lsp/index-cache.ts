import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateItemDef, ParsedGateFile } from '../core/gates/parse';
import { DEFAULT_SLICE_MS } from '../core/load';
import {
  fromFreshStrings,
  makeHeading,
  makeIdRef,
  makeLink,
  makeTask,
  plainIdRef,
} from '../core/parse/compact';
import type { Heading, IdRef, ParsedDocument, Range, TaskItem, WikiLink } from '../core/types';
import {
  arr,
  CHUNK_BYTES,
  DIAGNOSTICS_FILE,
  FORMAT,
  fileLines,
  Invalid,
  MAX_CACHE_BYTES,
  NEWLINE,
  num,
  obj,
  openCacheFile,
  range,
  readLines,
  str,
  TOO_LARGE,
} from './cache-lines';

/**
 * The server's index cache: what parsing found in each document (never its text), kept in
 * the editor's storage folder so that the next start uses it instead of reading and
 * parsing documents that did not change.
 *
 * Never trusted blindly. The file is one line of header, then one entry a line (JSON); the
 * header names the format, the product build, the parser and the workspace folders, and
 * carries a SHA-256 of the rest. Any mismatch, a truncated or corrupt file, an entry of
 * the wrong shape: the whole cache is ignored (a cold start). An entry is used only for a
 * file whose size and modification time are still those recorded, and those are recorded
 * from a stat taken before the text was read; an entry modified less than
 * `RACY_MS` before it was read is not written (a change within the file system's time
 * granularity could hide behind the same size and time).
 */

/** The cache file in the storage folder. */
export const CACHE_FILE = 'cdp-index-cache.json';
/** Files modified this recently before they were read are not cached (see above). */
export const RACY_MS = 2000;

/** The stat of a file taken before its text was read, and the hash of that text. */
export interface DiskState {
  size: number;
  mtimeMs: number;
  /** When the text was read (ms since the epoch). */
  readAt: number;
  hash: string;
}

export interface CachedDocument {
  state: DiskState;
  /** The text was only white space (the load reports an "empty document"). */
  empty: boolean;
  doc: ParsedDocument;
}

/** A gate file's parse (never its text), kept like a document's. */
export interface CachedGateFile {
  uri: string;
  state: DiskState;
  gate: ParsedGateFile;
}

/** A document's entry, or a gate file's. */
export type CachedFile = CachedDocument | CachedGateFile;

/** What a usable cache holds: documents and gate files by uri. */
export interface CacheContents {
  docs: Map<string, CachedDocument>;
  gates: Map<string, CachedGateFile>;
}

interface Header {
  format: number;
  product: string;
  parser: string;
  folders: string[];
  sha256: string;
}

type Entry = [
  uri: string,
  size: number,
  mtimeMs: number,
  readAt: number,
  hash: string,
  /** 0 or 1: a document (1: its text was only white space); `GATE`: a gate file. */
  kind: 0 | 1 | typeof GATE,
  doc: unknown,
];

/** The kind field of a gate file's entry. */
const GATE = 'g';

/** What identifies the product build: its version and the server bundle (a rebuild changes it). */
export function productKey(version: string): string {
  try {
    const s = statSync(__filename);
    return `${version}:${s.size}:${Math.trunc(s.mtimeMs)}`;
  } catch {
    return version;
  }
}

/** What must match for a cache to be used at all. */
export interface CacheKey {
  product: string;
  parser: string;
  folders: readonly string[];
}

/**
 * Reads the cache: uri → cached document. Undefined when there is none or it cannot be
 * trusted (`why` says why, for the log). The file is read `chunkBytes` at a time and
 * decoded one entry (line) at a time, so reading it costs little more memory than what it
 * holds; the entries count only once the checksum of the whole body matched.
 */
export function readCache(
  dir: string,
  key: CacheKey,
  chunkBytes = CHUNK_BYTES,
): CacheContents | { docs?: undefined; why: string } {
  const fd = openCache(dir);
  if (typeof fd === 'string') return { why: fd };
  try {
    const entries = entryReader(key);
    return entries.result(readLines(fd, chunkBytes, entries.line));
  } catch (e) {
    // Whatever the file holds (a read error, a header nested too deep to compare): no cache.
    return { why: `unreadable (${e instanceof Error ? e.message : String(e)})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * `readCache`, letting other work through (`pause`) every `sliceMs()` of decoding: what the
 * server sends meanwhile (the stored diagnostics) is written while the cache is read.
 */
export async function readCacheInSlices(
  dir: string,
  key: CacheKey,
  pause: () => Promise<void>,
  sliceMs: () => number = () => DEFAULT_SLICE_MS,
  chunkBytes = CHUNK_BYTES,
): Promise<CacheContents | { docs?: undefined; why: string }> {
  const fd = openCache(dir);
  if (typeof fd === 'string') return { why: fd };
  try {
    const entries = entryReader(key);
    let why: string | undefined;
    let last = Date.now();
    for (const l of fileLines(fd, chunkBytes)) {
      why = l === TOO_LARGE ? l : entries.line(l.bytes, l.ended);
      if (why) break;
      if (Date.now() - last > sliceMs()) {
        await pause();
        last = Date.now();
      }
    }
    return entries.result(why);
  } catch (e) {
    return { why: `unreadable (${e instanceof Error ? e.message : String(e)})` };
  } finally {
    closeSync(fd);
  }
}

/** The cache file opened for reading, or why not. */
function openCache(dir: string): number | string {
  return openCacheFile(join(dir, CACHE_FILE));
}

/** Decodes the cache's lines one at a time (`line`), then says what they gave (`result`). */
function entryReader(key: CacheKey): {
  line: (bytes: Buffer, ended: boolean) => string | undefined;
  result: (why: string | undefined) => CacheContents | { docs?: undefined; why: string };
} {
  const hash = createHash('sha256');
  const docs = new Map<string, CachedDocument>();
  const gates = new Map<string, CachedGateFile>();
  let header: Header | undefined;
  /** Why the entries cannot be used, found before the checksum was known. */
  let bad: string | undefined;
  const line = (bytes: Buffer, ended: boolean): string | undefined => {
    if (!header) {
      if (!ended) return 'truncated';
      try {
        header = JSON.parse(bytes.toString('utf8')) as Header;
      } catch {
        return 'corrupt header';
      }
      if (typeof header !== 'object' || header === null || header.format !== FORMAT) return 'another format';
      if (header.product !== key.product) return 'another product version';
      if (header.parser !== key.parser) return 'another parser';
      if (JSON.stringify(header.folders) !== JSON.stringify(key.folders)) return 'other folders';
      return undefined;
    }
    hash.update(bytes);
    if (ended) hash.update(NEWLINE);
    if (bad) return undefined; // still hashed: a damaged file says so rather than its first bad entry
    try {
      const d = fromFreshStrings(() => decodeEntry(JSON.parse(bytes.toString('utf8'))));
      if (!d) bad = 'corrupt entry';
      else if ('gate' in d) gates.set(d.uri, d);
      else docs.set(d.doc.uri, d);
    } catch {
      bad = 'corrupt';
    }
    return undefined;
  };
  const result = (why: string | undefined): CacheContents | { docs?: undefined; why: string } => {
    if (why) return { why };
    if (!header) return { why: 'truncated' };
    if (hash.digest('hex') !== header.sha256) return { why: 'corrupt (checksum)' };
    return bad ? { why: bad } : { docs, gates };
  };
  return { line, result };
}

/**
 * Writes the cache atomically (a temporary file renamed over the old one). Documents
 * that cannot be encoded exactly are left out (they are read at the next start). Returns
 * the number of documents written, or a reason it wrote nothing.
 *
 * Entries are encoded and written `chunkBytes` at a time, the checksum updated with each
 * chunk, and the event loop gets a turn between chunks: writing costs a chunk of memory,
 * not the cache's size, and requests are answered meanwhile. The header goes first with a
 * placeholder checksum of the same length, overwritten in place once the body is written.
 */
export async function writeCache(
  dir: string,
  key: CacheKey,
  docs: Iterable<CachedFile>,
  chunkBytes = CHUNK_BYTES,
): Promise<number | string> {
  const header: Header = {
    format: FORMAT,
    product: key.product,
    parser: key.parser,
    folders: [...key.folders],
    sha256: '0'.repeat(64),
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CACHE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const out = await open(tmp, 'w');
  let closed = false;
  try {
    const hash = createHash('sha256');
    await out.write(Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'));
    let parts: string[] = [];
    let pending = 0;
    let bytes = 0;
    let count = 0;
    const flush = async () => {
      const chunk = Buffer.from(parts.join(''), 'utf8');
      parts = [];
      pending = 0;
      hash.update(chunk);
      await out.write(chunk);
    };
    for (const d of docs) {
      if (d.state.readAt - d.state.mtimeMs < RACY_MS) continue;
      const e = 'gate' in d ? encodeGateEntry(d) : encodeEntry(d);
      if (e === undefined) continue;
      const line = count === 0 ? e : `\n${e}`;
      const n = Buffer.byteLength(line, 'utf8');
      bytes += n;
      if (bytes > MAX_CACHE_BYTES) {
        await out.close();
        closed = true;
        rmSync(tmp, { force: true });
        rmSync(file, { force: true });
        return `larger than ${MAX_CACHE_BYTES / 1024 / 1024} MB`;
      }
      parts.push(line);
      pending += n;
      count++;
      if (pending >= chunkBytes) await flush();
    }
    if (pending > 0) await flush();
    header.sha256 = hash.digest('hex');
    await out.write(Buffer.from(JSON.stringify(header), 'utf8'), 0, undefined, 0);
    await out.close();
    closed = true;
    renameSync(tmp, file);
    return count;
  } catch (e) {
    if (!closed) await out.close().catch(() => undefined);
    rmSync(tmp, { force: true });
    throw e;
  }
}

// --- Encoding of a parsed document -------------------------------------------------------
// Tasks, headings and links (most of a document's facts) as numbers and strings, each
// list in one array (see `flat`); the rest as the plain data it is. Decoding checks every
// field's type.

function oneLine(r: Range): boolean {
  return r.start.line === r.end.line;
}

function encodeEntry(d: CachedDocument): string | undefined {
  const { doc, state } = d;
  try {
    const encoded = {
      l: doc.lineCount,
      t: doc.title,
      m: doc.metadata,
      h: flat(doc.headings, encodeHeading),
      k: flat(doc.links, encodeLink),
      c: flat(doc.tasks, encodeTask),
      x: doc.malformed,
      p: doc.plainItems,
      a: doc.htmlAnchors,
      o: doc.collapsibles,
      q: doc.callouts,
      // id references are kept in a lean form whose range is built on access: written out plainly
      d: doc.ddx && {
        ...doc.ddx,
        id: doc.ddx.id && plainIdRef(doc.ddx.id),
        dependsOn: doc.ddx.dependsOn.map(plainIdRef),
        lineage: doc.ddx.lineage?.map(plainIdRef),
      },
    };
    const entry: Entry = [
      doc.uri,
      state.size,
      state.mtimeMs,
      state.readAt,
      state.hash,
      d.empty ? 1 : 0,
      encoded,
    ];
    // Values JSON cannot hold exactly (NaN, ±Infinity from YAML's `.nan`/`.inf`, cyclic
    // YAML aliases): the document is not cached.
    let exact = true;
    const json = JSON.stringify(entry, (_k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
      else if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') exact = false;
      else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const p = Object.getPrototypeOf(v);
        if (p !== Object.prototype && p !== null) exact = false;
      }
      return v;
    });
    return exact ? json : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Items as one array: a compact item's fields in a row (its encoder returns them as an
 * array), an item that needs the plain form as one object. One array a list instead of
 * one an item: decoding allocates half as much.
 */
function flat<T>(items: readonly T[], encode: (item: T) => unknown[] | object): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const e = encode(item);
    if (Array.isArray(e)) for (const v of e) out.push(v);
    else out.push(e);
  }
  return out;
}

/** The items of a `flat` array: `fields` values a compact item, an object a plain one. */
function unflat<T>(v: unknown, fields: number, decode: (at: unknown[] | object, i: number) => T): T[] {
  const a = arr(v);
  const out: T[] = [];
  for (let i = 0; i < a.length; ) {
    const x = a[i];
    if (typeof x === 'object' && x !== null) {
      out.push(decode(x, -1));
      i++;
    } else {
      if (i + fields > a.length) throw new Invalid();
      out.push(decode(a, i));
      i += fields;
    }
  }
  return out;
}

const HEADING_FIELDS = 5;
const TASK_FIELDS = 7;
const LINK_FIELDS = 14;

function encodeHeading(h: Heading): unknown[] | object {
  return oneLine(h.range) && h.range.start.line === h.line
    ? [h.level, h.text, h.line, h.range.start.character, h.range.end.character]
    : { ...h };
}

function encodeTask(t: TaskItem): unknown[] | object {
  const { range, checkboxRange: box } = t;
  return oneLine(range) && oneLine(box) && box.start.line === t.line && range.start.line === t.line
    ? [
        t.line,
        t.checked ? 1 : 0,
        t.text,
        t.depth,
        box.start.character,
        range.start.character,
        range.end.character,
      ]
    : { line: t.line, checked: t.checked, text: t.text, depth: t.depth, range, checkboxRange: box };
}

/** Bits of a compact link's flags field. */
const EMBED = 1;
const METADATA = 2;
const MARKDOWN = 4;
const ANGLE = 8;

function encodeLink(l: WikiLink): unknown[] | object {
  const { range, targetRange, headingRange } = l;
  const line = range.start.line;
  const compact =
    oneLine(range) &&
    oneLine(targetRange) &&
    targetRange.start.line === line &&
    (!headingRange || (oneLine(headingRange) && headingRange.start.line === line));
  if (!compact) {
    const plain: Record<string, unknown> = { ...l, range, targetRange };
    if (headingRange) plain.headingRange = headingRange;
    return plain;
  }
  const markdown = l.syntax === 'markdown';
  const flags =
    (l.embed ? EMBED : 0) |
    (l.source === 'metadata' ? METADATA : 0) |
    (markdown ? MARKDOWN : 0) |
    (markdown && l.angle ? ANGLE : 0);
  return [
    l.raw,
    l.target,
    flags,
    line,
    range.start.character,
    range.end.character,
    targetRange.start.character,
    targetRange.end.character,
    headingRange ? headingRange.start.character : -1,
    headingRange ? headingRange.end.character : -1,
    l.heading ?? null,
    l.alias ?? null,
    l.key ?? null,
    markdown ? (l.written ?? null) : null,
  ];
}

/** Checks that each listed field is a range (or absent, when optional). */
function ranges(o: Record<string, unknown>, required: string[], optional: string[] = []): void {
  for (const k of required) range(o[k]);
  for (const k of optional) if (o[k] !== undefined) range(o[k]);
}

/** The fields an object of the cache must have, by kind; `range?` ones may be absent. */
interface Shape {
  str?: string[];
  num?: string[];
  bool?: string[];
  range?: string[];
  'range?'?: string[];
}

/** `v` as an object with the fields `shape` names, each of its kind; else Invalid. */
function shaped(v: unknown, shape: Shape): Record<string, unknown> {
  const o = obj(v);
  for (const k of shape.str ?? []) str(o[k]);
  for (const k of shape.num ?? []) num(o[k]);
  for (const k of shape.bool ?? []) if (typeof o[k] !== 'boolean') throw new Invalid();
  ranges(o, shape.range ?? [], shape['range?'] ?? []);
  return o;
}

function decodeEntry(v: unknown): CachedFile | undefined {
  try {
    const e = arr(v);
    if (e.length !== 7) return undefined;
    const uri = str(e[0]);
    const state: DiskState = { size: num(e[1]), mtimeMs: num(e[2]), readAt: num(e[3]), hash: str(e[4]) };
    if (e[5] === GATE) return { uri, state, gate: decodeGate(e[6]) };
    if (e[5] !== 0 && e[5] !== 1) return undefined;
    const empty = e[5] === 1;
    const d = obj(e[6]);
    const doc: ParsedDocument = {
      uri,
      lineCount: num(d.l),
      metadata: decodeMetadata(d.m),
      headings: unflat(d.h, HEADING_FIELDS, decodeHeading),
      links: unflat(d.k, LINK_FIELDS, decodeLink),
      tasks: unflat(d.c, TASK_FIELDS, decodeTask),
      malformed: arr(d.x).map(
        (m) => shaped(m, { str: ['kind', 'replacement'], num: ['line'], range: ['range'] }) as never,
      ),
    };
    if (d.t !== undefined)
      doc.title = shaped(d.t, { str: ['text'], num: ['line'], range: ['range'] }) as never;
    if (d.d !== undefined) doc.ddx = decodeDdx(d.d);
    if (d.p !== undefined) {
      const lines = arr(d.p);
      for (const l of lines) if (!Number.isInteger(l) || (l as number) < 0) throw new Invalid();
      if (lines.length > 0) doc.plainItems = lines as number[];
    }
    if (d.a !== undefined) {
      const anchors = arr(d.a);
      for (const a of anchors) if (typeof a !== 'string') throw new Invalid();
      if (anchors.length > 0) doc.htmlAnchors = anchors as string[];
    }
    if (d.o !== undefined) {
      const cols = arr(d.o).map(
        (c) => shaped(c, { str: ['text'], num: ['open', 'end', 'line'], range: ['range'] }) as never,
      );
      if (cols.length > 0) doc.collapsibles = cols;
    }
    if (d.q !== undefined) {
      const callouts = arr(d.q).map(
        (c) => shaped(c, { str: ['text'], num: ['open', 'end', 'line'], range: ['range'] }) as never,
      );
      if (callouts.length > 0) doc.callouts = callouts;
    }
    return { state, empty, doc };
  } catch (err) {
    if (err instanceof Invalid) return undefined;
    throw err;
  }
}

function decodeMetadata(v: unknown): ParsedDocument['metadata'] {
  const m = shaped(v, { str: ['kind'], 'range?': ['range', 'toml'] });
  obj(m.data);
  for (const e of arr(m.errors)) shaped(e, { str: ['message'], range: ['range'] });
  for (const e of arr(m.entries)) shaped(e, { str: ['key'], num: ['line'], range: ['range'] });
  if (m.unread !== undefined && m.unread !== true) throw new Invalid();
  return m as never;
}

function decodeDdx(v: unknown): ParsedDocument['ddx'] {
  const d = shaped(v, { str: ['block'], range: ['range'] });
  const ref = (r: unknown) => {
    const x = shaped(r, { str: ['id'], range: ['range'] }) as unknown as IdRef;
    return makeIdRef(x.id, x.range);
  };
  if (d.id !== undefined) d.id = ref(d.id);
  d.dependsOn = arr(d.dependsOn).map(ref);
  if (d.lineage !== undefined) d.lineage = arr(d.lineage).map(ref);
  for (const s of arr(d.supersedes)) str(s);
  if (typeof d.parkingLot !== 'boolean') throw new Invalid();
  for (const k of ['status', 'supersededBy', 'type', 'activity', 'phase', 'review'])
    if (d[k] !== undefined) str(d[k]);
  return d as never;
}

function decodeHeading(v: unknown[] | object, i: number): Heading {
  if (i < 0) return shaped(v, { str: ['text'], num: ['level', 'line'], range: ['range'] }) as never;
  const a = v as unknown[];
  return makeHeading(num(a[i]), str(a[i + 1]), num(a[i + 2]), num(a[i + 3]), num(a[i + 4]));
}

function decodeTask(v: unknown[] | object, i: number): TaskItem {
  if (i < 0)
    return shaped(v, {
      str: ['text'],
      num: ['line', 'depth'],
      bool: ['checked'],
      range: ['range', 'checkboxRange'],
    }) as never;
  const a = v as unknown[];
  const checked = a[i + 1];
  if (checked !== 0 && checked !== 1) throw new Invalid();
  return makeTask(
    num(a[i]),
    checked === 1,
    str(a[i + 2]),
    num(a[i + 3]),
    num(a[i + 4]),
    num(a[i + 5]),
    num(a[i + 6]),
  );
}

/** A string or null (absent). */
function opt(v: unknown): string | undefined {
  return v === null ? undefined : str(v);
}

function decodeLink(v: unknown[] | object, i: number): WikiLink {
  if (i < 0)
    return shaped(v, {
      str: ['raw', 'target', 'source'],
      bool: ['embed'],
      range: ['range', 'targetRange'],
      'range?': ['headingRange'],
    }) as never;
  const a = v as unknown[];
  const flags = num(a[i + 2]);
  const link = makeLink(
    str(a[i]),
    str(a[i + 1]),
    (flags & EMBED) !== 0,
    flags & METADATA ? 'metadata' : 'body',
    num(a[i + 3]),
    [num(a[i + 4]), num(a[i + 5]), num(a[i + 6]), num(a[i + 7]), num(a[i + 8]), num(a[i + 9])],
    opt(a[i + 10]),
    opt(a[i + 11]),
    flags & MARKDOWN ? { written: opt(a[i + 13]), angle: (flags & ANGLE) !== 0 } : undefined,
  );
  const key = opt(a[i + 12]);
  if (key !== undefined) link.key = key;
  return link;
}

// --- Gate files ------------------------------------------------------------------------
// A gate file's parse is plain data (groups of items with ranges): written as it is, its
// absent optional fields left out; decoding checks every field's type.

function encodeGateEntry(g: CachedGateFile): string | undefined {
  const { state } = g;
  const entry: Entry = [g.uri, state.size, state.mtimeMs, state.readAt, state.hash, GATE, g.gate];
  try {
    let exact = true;
    const json = JSON.stringify(entry, (_k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
      return v;
    });
    return exact ? json : undefined;
  } catch {
    return undefined;
  }
}

const GATE_ITEM_KINDS = new Set(['check', 'evidence', 'manual']);
const GATE_ITEM_STRINGS = [
  'check',
  'path',
  'pathStyles',
  'pattern',
  'command',
  'phase',
  'evidencePath',
  'anchor',
] as const;

function decodeGate(v: unknown): ParsedGateFile {
  const g = obj(v);
  const groups = arr(g.groups).map((x) => {
    const group = shaped(x, { str: ['heading', 'kind'], num: ['line'] });
    if (group.kind !== 'entry' && group.kind !== 'exit') throw new Invalid();
    return { ...group, items: arr(group.items).map(decodeGateItem) } as ParsedGateFile['groups'][number];
  });
  const out: ParsedGateFile = { groups };
  if (g.error !== undefined) {
    const error = shaped(g.error, { str: ['message'], num: ['line'], 'range?': ['range'] });
    if (error.meant !== undefined) str(error.meant);
    out.error = error as never;
  }
  if (g.transition !== undefined) {
    const t = shaped(g.transition, { range: ['keyRange'], 'range?': ['range'] });
    if (t.toPhase !== undefined) str(t.toPhase);
    if (t.problem !== undefined) str(t.problem);
    out.transition = t as never;
  }
  if (g.phaseKeys !== undefined)
    out.phaseKeys = arr(g.phaseKeys).map((x) => {
      const k = shaped(x, { str: ['key', 'value'], 'range?': ['range'] });
      if (k.key !== 'phase' && k.key !== 'number') throw new Invalid();
      return k as never;
    });
  return out;
}

function decodeGateItem(v: unknown): GateItemDef {
  const item = shaped(v, {
    str: ['kind', 'text'],
    num: ['line'],
    bool: ['required'],
    range: ['range'],
    'range?': ['checkRange', 'pathRange', 'evidenceRange'],
  });
  if (item.fallbackRanges !== undefined) for (const r of arr(item.fallbackRanges)) if (r !== null) range(r);
  if (!GATE_ITEM_KINDS.has(item.kind as string)) throw new Invalid();
  for (const k of GATE_ITEM_STRINGS) if (item[k] !== undefined) str(item[k]);
  if (item.fallbackPaths !== undefined) for (const p of arr(item.fallbackPaths)) str(p);
  if (item.threshold !== undefined) num(item.threshold);
  if (item.keyTypos !== undefined)
    for (const t of arr(item.keyTypos)) shaped(t, { str: ['key', 'meant'], range: ['range'] });
  if (item.unreadRequired !== undefined) shaped(item.unreadRequired, { str: ['value'], range: ['range'] });
  return item as unknown as GateItemDef;
}

// --- The diagnostics of the last full check -------------------------------------------
// Written while the server checks every document after a load, next to the index cache:
// one line per document with diagnostics (its uri as JSON, the hash of the diagnostics'
// JSON, the JSON, separated by tabs), then a last line (the header) naming the
// `world` they were computed from (a hash of the settings, every file's path and every
// text's hash) and the SHA-256 of the lines before it. A start whose world hashes the
// same publishes them at once; the server still checks everything afterwards.

/** Writes the diagnostics file as they are published; `commit` renames it into place. */
export class DiagnosticsWriter {
  private readonly file: string;
  private readonly tmp: string;
  private fd: number | undefined;
  private readonly hash = createHash('sha256');
  private bytes = 0;

  /**
   * `stat`: what a start can check before it reads the index cache (see `statKey`), and
   * the files besides the documents and gate files whose texts the world holds.
   */
  constructor(
    dir: string,
    private readonly world: string,
    private readonly stat?: { key: string; extra: readonly string[] },
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, DIAGNOSTICS_FILE);
    this.tmp = `${this.file}.${process.pid}.tmp`;
    this.fd = openSync(this.tmp, 'w');
  }

  /**
   * `json`: the document's diagnostics as JSON (as published); `hash`: the server's hash of
   * that JSON (kept so that a start need not compute it again).
   */
  add(uri: string, json: string, hash: string): void {
    if (this.fd === undefined) return;
    if (/[\t\n]/.test(hash)) throw new Error('a hash with a tab or newline');
    const line = Buffer.from(`${JSON.stringify(uri)}\t${hash}\t${json}\n`, 'utf8');
    this.bytes += line.length;
    if (this.bytes > MAX_CACHE_BYTES) {
      this.abort();
      return;
    }
    this.hash.update(line);
    writeSync(this.fd, line);
  }

  commit(): void {
    if (this.fd === undefined) return;
    const header: DiagnosticsHeader = { format: FORMAT, world: this.world, sha256: this.hash.digest('hex') };
    if (this.stat) {
      header.stat = this.stat.key;
      header.extra = [...this.stat.extra];
    }
    writeSync(this.fd, JSON.stringify(header));
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.tmp, this.file);
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}

interface DiagnosticsHeader {
  format: number;
  world: string;
  sha256: string;
  stat?: string;
  extra?: string[];
}

/**
 * The header of the diagnostics file (its last line), read from the end of the file:
 * the world they were computed for, and when written with one, the `statKey` of the
 * files then and the other files it covers. Undefined when there is none usable; nothing
 * in it is trusted beyond choosing whether to read the file (`readDiagnostics` checks it all).
 */
export function readDiagnosticsHeader(
  dir: string,
): { world: string; stat?: string; extra: string[] } | undefined {
  const fd = openCacheFile(join(dir, DIAGNOSTICS_FILE));
  if (typeof fd === 'string') return undefined;
  try {
    const size = fstatSync(fd).size;
    let tail = Buffer.alloc(0);
    for (let end = size; end > 0 && tail.length <= MAX_HEADER_BYTES; ) {
      const n = Math.min(CHUNK_BYTES, end);
      const chunk = Buffer.allocUnsafe(n);
      readSync(fd, chunk, 0, n, end - n);
      end -= n;
      tail = Buffer.concat([chunk, tail]);
      const nl = tail.lastIndexOf(10);
      if (nl >= 0 || end === 0) {
        const h = JSON.parse(tail.toString('utf8', nl + 1)) as Partial<DiagnosticsHeader> | null;
        if (typeof h !== 'object' || h === null || h.format !== FORMAT || typeof h.world !== 'string')
          return undefined;
        const extra = Array.isArray(h.extra) && h.extra.every((x) => typeof x === 'string') ? h.extra : [];
        return { world: h.world, stat: typeof h.stat === 'string' ? h.stat : undefined, extra };
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The longest header `readDiagnosticsHeader` reads. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/**
 * A hash of what a full check's findings depend on as a start can see it before reading
 * any text or the index cache: the settings, every file's path, and the size and
 * modification time of every file whose text the check read (`states`: uri, size,
 * modification time). Written only when none of those was modified less than `RACY_MS`
 * before it was read, so a match says what a cache entry's does.
 */
export function statKey(parts: {
  key: CacheKey;
  settings: unknown;
  client: unknown;
  files: readonly string[];
  states: Iterable<readonly [string, number, number]>;
}): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(['stat', FORMAT, parts.key, parts.settings, parts.client]));
  for (const f of parts.files) h.update(`\n${f}`);
  h.update('\n\n');
  const states = [...parts.states].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [uri, size, mtimeMs] of states) h.update(`${uri}\t${size}\t${mtimeMs}\n`);
  return h.digest('hex');
}

/** A hash of everything a full check's findings depend on (see DIAGNOSTICS_FILE). */
export function worldKey(parts: {
  key: CacheKey;
  settings: unknown;
  client: unknown;
  files: readonly string[];
  texts: ReadonlyMap<string, string>;
}): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([FORMAT, parts.key, parts.settings, parts.client]));
  for (const f of parts.files) h.update(`\n${f}`);
  h.update('\n\n');
  for (const [uri, hash] of [...parts.texts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
    h.update(`${uri}\t${hash}\n`);
  return h.digest('hex');
}
