import type {
  DdxMeta,
  Heading,
  IdRef,
  LinkSource,
  MetadataEntry,
  ParsedDocument,
  Range,
  TaskItem,
  Title,
  WikiLink,
} from '../types';

/**
 * Memory-lean forms of the parse results the index keeps for every document. Ranges of
 * these items lie on one line, so they are stored as numbers and built on access:
 * a 10,000-document workspace holds hundreds of thousands of them.
 */

function r(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

const oneLine = (x: Range) => x.start.line === x.end.line;

// Two columns in one small integer (a V8 Smi, stored in the object itself): `a` in the
// low 16 bits, `b` in the 15 above. An item whose columns do not fit (a line longer than
// 32,767 characters) keeps the plain form with its ranges.
const fits = (a: number, b: number) => a >= 0 && a <= 0xffff && b >= 0 && b <= 0x7fff;
const two = (a: number, b: number) => a | (b << 16);
const low = (x: number) => x & 0xffff;
const high = (x: number) => x >>> 16;

/**
 * A task item on one line: `cols` holds the marker's column and the box's distance from
 * it, `bits` whether it is checked, its depth (up to 255) and the end's distance from the box.
 */
class CompactTask implements TaskItem {
  constructor(
    public text: string,
    readonly line: number,
    private readonly cols: number,
    private readonly bits: number,
  ) {}
  get checked(): boolean {
    return (this.bits & 1) === 1;
  }
  get depth(): number {
    return (this.bits >>> 1) & 0xff;
  }
  private get box(): number {
    return low(this.cols) + high(this.cols);
  }
  get checkboxRange(): Range {
    const box = this.box;
    return r(this.line, box, box + 3);
  }
  get range(): Range {
    return r(this.line, low(this.cols), this.box + (this.bits >>> 9));
  }
  pack(p: PackSink): void {
    const box = this.box;
    p.nums.push(this.line, this.bits & 1, this.depth, box, low(this.cols), box + (this.bits >>> 9));
    p.strs.push(this.text);
  }
}

/** A task item in its lean form when its columns fit (`text` is kept as given). */
function leanTask(
  line: number,
  checked: boolean,
  text: string,
  depth: number,
  box: number,
  from: number,
  to: number,
): TaskItem {
  if (fits(from, box - from) && depth >= 0 && depth <= 0xff && to - box >= 0 && to - box <= 0x3fffff)
    return new CompactTask(
      text,
      line,
      two(from, box - from),
      (checked ? 1 : 0) | (depth << 1) | ((to - box) << 9),
    );
  return { line, checked, text, depth, range: r(line, from, to), checkboxRange: r(line, box, box + 3) };
}

/** A heading on one line: `cols` holds its level, the text's column (up to 4,095) and length. */
class CompactHeading implements Heading {
  constructor(
    public text: string,
    readonly line: number,
    private readonly cols: number,
  ) {}
  get level(): number {
    return this.cols & 7;
  }
  get range(): Range {
    const from = (this.cols >>> 3) & 0xfff;
    return r(this.line, from, from + (this.cols >>> 15));
  }
  pack(p: PackSink): void {
    const { start, end } = this.range;
    p.nums.push(this.level, this.line, start.character, end.character);
    p.strs.push(this.text);
  }
}

/** A heading in its lean form when its columns fit (`text` is kept as given). */
function leanHeading(level: number, text: string, line: number, from: number, to: number): Heading {
  if (level >= 0 && level <= 7 && from >= 0 && from <= 0xfff && to - from >= 0 && to - from <= 0xffff)
    return new CompactHeading(text, line, level | (from << 3) | ((to - from) << 15));
  return { level, text, line, range: r(line, from, to) };
}

/**
 * A metadata entry from its key to the end of its value: `cols` holds the key's column
 * and the value's end column, `lines` how many lines the value runs below the key.
 * Written as JSON (the server's index cache) in its plain form.
 */
class CompactEntry implements MetadataEntry {
  constructor(
    readonly key: string,
    readonly line: number,
    private readonly lines: number,
    private readonly cols: number,
  ) {}
  get range(): Range {
    return {
      start: { line: this.line, character: low(this.cols) },
      end: { line: this.line + this.lines, character: high(this.cols) },
    };
  }
  toJSON(): MetadataEntry {
    return { key: this.key, line: this.line, range: this.range };
  }
  pack(p: PackSink): void {
    p.nums.push(this.line, this.lines, this.cols);
    p.strs.push(this.key);
  }
}

/** A metadata entry in its lean form when its columns fit (`key` is kept as given). */
export function leanEntry(key: string, line: number, range: Range): MetadataEntry {
  const { start, end } = range;
  if (start.line === line && end.line >= line && fits(start.character, end.character))
    return new CompactEntry(key, line, end.line - line, two(start.character, end.character));
  return { key, line, range };
}

/**
 * The title a document's first heading gives (level 1): its text, line and range are the
 * heading's, read from it. Written as JSON (the server's index cache) in its plain form.
 */
class HeadingTitle implements Title {
  constructor(private readonly heading: Heading) {}
  get text(): string {
    return this.heading.text;
  }
  get line(): number {
    return this.heading.line;
  }
  get range(): Range {
    return this.heading.range;
  }
  toJSON(): Title {
    return { text: this.text, line: this.line, range: this.range };
  }
}

/** The title of a document whose first heading `h` (of level 1) is its title. */
export function headingTitle(h: Heading): Title {
  return new HeadingTitle(h);
}

const LINK_EMBED = 1 << 28;
const LINK_METADATA = 1 << 29;

/**
 * A link on one line. `at`: the link's column and length (14 bits each), whether it is
 * an embed and whether it is written in metadata; `target` and `heading`: the target's
 * and the heading's column (from the link's) and length (-1: no heading).
 */
class CompactLink implements WikiLink {
  heading?: string;
  alias?: string;
  key?: string;
  constructor(
    public raw: string,
    public target: string,
    private readonly line: number,
    private readonly at: number,
    private readonly targetAt: number,
    private readonly headingAt: number,
  ) {}
  get embed(): boolean {
    return (this.at & LINK_EMBED) !== 0;
  }
  get source(): LinkSource {
    return this.at & LINK_METADATA ? 'metadata' : 'body';
  }
  private get from(): number {
    return this.at & 0x3fff;
  }
  get range(): Range {
    const from = this.from;
    return r(this.line, from, from + ((this.at >>> 14) & 0x3fff));
  }
  get targetRange(): Range {
    const from = this.from + low(this.targetAt);
    return r(this.line, from, from + high(this.targetAt));
  }
  get headingRange(): Range | undefined {
    if (this.headingAt < 0) return undefined;
    const from = this.from + low(this.headingAt);
    return r(this.line, from, from + high(this.headingAt));
  }
  pack(p: PackSink): void {
    const md = this instanceof CompactMarkdownLink ? this : undefined;
    const flags =
      (this.embed ? L_EMBED : 0) |
      (this.source === 'metadata' ? L_METADATA : 0) |
      (md ? L_MARKDOWN : 0) |
      (md?.angle ? L_ANGLE : 0) |
      (this.heading !== undefined ? L_HEADING : 0) |
      (this.alias !== undefined ? L_ALIAS : 0) |
      (this.key !== undefined ? L_KEY : 0) |
      (md?.written !== undefined ? L_WRITTEN : 0);
    const range = this.range;
    const target = this.targetRange;
    const heading = this.headingRange;
    p.nums.push(
      flags,
      this.line,
      range.start.character,
      range.end.character,
      target.start.character,
      target.end.character,
      heading ? heading.start.character : -1,
      heading ? heading.end.character : -1,
    );
    p.strs.push(this.raw, this.target);
    if (this.heading !== undefined) p.strs.push(this.heading);
    if (this.alias !== undefined) p.strs.push(this.alias);
    if (this.key !== undefined) p.strs.push(this.key);
    if (md?.written !== undefined) p.strs.push(md.written);
  }
}

/** A DDX id as written (`id:` or a `depends_on` entry): always on one line. */
class CompactIdRef implements IdRef {
  constructor(
    readonly id: string,
    private readonly line: number,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get range(): Range {
    return r(this.line, this.from, this.to);
  }
  pack(p: PackSink): void {
    p.nums.push(this.line, this.from, this.to);
    p.strs.push(this.id);
  }
}

/** An id reference in its lean form when its range lies on one line. */
export function makeIdRef(id: string, range: Range): IdRef {
  return oneLine(range)
    ? new CompactIdRef(own(id), range.start.line, range.start.character, range.end.character)
    : { id: own(id), range };
}

/** An id reference written on `line` between columns `from` and `to`. */
export function makeIdRefAt(id: string, line: number, from: number, to: number): IdRef {
  return new CompactIdRef(own(id), line, from, to);
}

/** The plain form of an id reference (what JSON or another thread can carry as it is). */
export function plainIdRef(ref: IdRef): IdRef {
  return { id: ref.id, range: ref.range };
}

/** A markdown link: the few fields wikilinks do not need live only here. */
class CompactMarkdownLink extends CompactLink {
  readonly syntax = 'markdown';
  written?: string;
  angle?: boolean;
}

/**
 * Substrings share their parent's memory: a 20-character task text would keep the whole
 * document text alive in the index. Joining two pieces of it yields a flat string of its
 * own, a quarter of the cost of a JSON round trip (concatenating and slicing is as fast,
 * but yields a slice of a fresh copy: a second string object for every kept text, 16 MB
 * at 10,000 documents).
 */
export function own(s: string): string {
  return s.length < 13 || fresh ? s : [s.slice(0, 1), s.slice(1)].join('');
}

/** Set while `fromFreshStrings` runs. */
let fresh = false;

/**
 * Runs `build` with `own` copying nothing: for facts built from strings that share no
 * memory already (JSON.parse makes flat strings of its own), where copying
 * each again costs a third of decoding them.
 */
export function fromFreshStrings<T>(build: () => T): T {
  fresh = true;
  try {
    return build();
  } finally {
    fresh = false;
  }
}

/** How many distinct strings `intern` remembers before it starts over. */
const MAX_INTERNED = 65_536;
let interned = new Map<string, string>();

/**
 * One shared copy of a string that many documents repeat: link targets and keys, heading
 * texts and their slugs ("Exit Criteria" in every phase document). The first copy seen
 * is kept (as an `own` string) and given back for every equal one. The table is bounded:
 * when full it starts over, which only stops later copies from being shared.
 */
export function intern(s: string): string {
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) interned = new Map();
  const kept = own(s);
  interned.set(kept, kept);
  return kept;
}

/**
 * A copy of parsed data (metadata values: strings, numbers, lists, maps) whose strings,
 * keys included, are `own` strings. Shared and cyclic parts (YAML aliases) stay shared.
 * `leaveOut`: a key of the top-level map not to copy.
 */
export function ownData<T>(value: T, seen = new Map<object, unknown>(), leaveOut?: string): T {
  if (typeof value === 'string') return own(value) as T;
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const v of value) copy.push(ownData(v, seen));
    return copy as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
    return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [k, v] of Object.entries(value)) {
    if (k === leaveOut) continue;
    setData(copy, k, ownData(v, seen));
  }
  return copy as T;
}

/**
 * `ownData` for a tree without shared parts (what the metadata's fast path reads: plain
 * objects, arrays and scalars, each reached once), without remembering what was copied.
 */
export function ownTree<T>(value: T, leaveOut?: string): T {
  if (typeof value === 'string') return own(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => ownTree(v)) as T;
  const copy: Record<string, unknown> = {};
  for (const k in value) {
    if (k === leaveOut || !Object.hasOwn(value, k)) continue;
    setData(copy, k, ownTree((value as Record<string, unknown>)[k]));
  }
  return copy as T;
}

/**
 * `copy[k] = v` with an `own` key. An own `__proto__` key (YAML keeps it as data) stays
 * data: assigned, it would replace the copy's prototype and make its values look like
 * inherited fields.
 */
function setData(copy: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  else copy[own(k)] = v;
}

/** A task item on one line; `box`, `from` and `to` are columns. */
export function makeTask(
  line: number,
  checked: boolean,
  text: string,
  depth: number,
  box: number,
  from: number,
  to: number,
): TaskItem {
  return leanTask(line, checked, own(text), depth, box, from, to);
}

/** A heading on one line; `from` and `to` are columns. */
export function makeHeading(level: number, text: string, line: number, from: number, to: number): Heading {
  return leanHeading(level, intern(text), line, from, to);
}

/** Markdown links only: the path as written when it differs from the target, `<…>`. */
export interface MarkdownForm {
  written?: string;
  angle?: boolean;
}

/**
 * A link on one line; columns for the whole link, its target and heading (-1: none).
 * With `markdown`, a markdown link.
 */
export function makeLink(
  raw: string,
  target: string,
  embed: boolean,
  source: LinkSource,
  line: number,
  cols: [
    from: number,
    to: number,
    targetFrom: number,
    targetTo: number,
    headingFrom: number,
    headingTo: number,
  ],
  heading?: string,
  alias?: string,
  markdown?: MarkdownForm,
): WikiLink {
  // A markdown link's text (`[text](path)`) is seldom written twice: a copy of its own,
  // not one more entry in the table of shared strings. Targets and headings repeat.
  const text = markdown !== undefined ? own(raw) : intern(raw);
  const c = leanLink(text, intern(target), embed, source, line, cols, markdown !== undefined);
  if (heading !== undefined) c.heading = intern(heading);
  if (alias !== undefined) c.alias = intern(alias);
  if (markdown) {
    if (markdown.written !== undefined) c.written = own(markdown.written);
    if (markdown.angle) c.angle = true;
  }
  return c;
}

/**
 * A link in its lean form when its columns fit (link and target within 16,383 columns),
 * else in the plain form; the strings are kept as given.
 */
function leanLink(
  raw: string,
  target: string,
  embed: boolean,
  source: LinkSource,
  line: number,
  [from, to, targetFrom, targetTo, headingFrom, headingTo]: readonly number[],
  markdown: boolean,
): WikiLink {
  const heading = headingFrom >= 0;
  if (
    from >= 0 &&
    from <= 0x3fff &&
    to - from >= 0 &&
    to - from <= 0x3fff &&
    fits(targetFrom - from, targetTo - targetFrom) &&
    (!heading || fits(headingFrom - from, headingTo - headingFrom))
  ) {
    const at =
      from | ((to - from) << 14) | (embed ? LINK_EMBED : 0) | (source === 'metadata' ? LINK_METADATA : 0);
    const args = [
      raw,
      target,
      line,
      at,
      two(targetFrom - from, targetTo - targetFrom),
      heading ? two(headingFrom - from, headingTo - headingFrom) : -1,
    ] as const;
    return markdown ? new CompactMarkdownLink(...args) : new CompactLink(...args);
  }
  const plain: WikiLink = {
    raw,
    target,
    embed,
    range: r(line, from, to),
    targetRange: r(line, targetFrom, targetTo),
    source,
  };
  if (heading) plain.headingRange = r(line, headingFrom, headingTo);
  if (markdown) plain.syntax = 'markdown';
  return plain;
}

export function compactTask(t: TaskItem): TaskItem {
  if (t instanceof CompactTask) return t;
  const { range, checkboxRange: box } = t;
  if (!oneLine(range) || !oneLine(box) || box.start.line !== t.line) return { ...t, text: own(t.text) };
  return leanTask(
    t.line,
    t.checked,
    own(t.text),
    t.depth,
    box.start.character,
    range.start.character,
    range.end.character,
  );
}

export function compactHeading(h: Heading): Heading {
  if (h instanceof CompactHeading) return h;
  if (!oneLine(h.range)) return { ...h, text: own(h.text) };
  return leanHeading(h.level, intern(h.text), h.line, h.range.start.character, h.range.end.character);
}

export function compactLink(l: WikiLink): WikiLink {
  if (l instanceof CompactLink) return l;
  const { range, targetRange, headingRange } = l;
  const line = range.start.line;
  if (
    !oneLine(range) ||
    targetRange.start.line !== line ||
    (headingRange && headingRange.start.line !== line)
  ) {
    return { ...l, raw: own(l.raw), target: own(l.target) };
  }
  const cols: [number, number, number, number, number, number] = [
    range.start.character,
    range.end.character,
    targetRange.start.character,
    targetRange.end.character,
    headingRange ? headingRange.start.character : -1,
    headingRange ? headingRange.end.character : -1,
  ];
  const form = l.syntax === 'markdown' ? { written: l.written, angle: l.angle } : undefined;
  const c = makeLink(l.raw, l.target, l.embed, l.source, line, cols, l.heading, l.alias, form);
  if (l.key !== undefined) c.key = l.key;
  return c;
}

// --- Packing for another thread --------------------------------------------------------
// A structured clone writes every object with its field names: a document's tasks,
// headings and links cost more to clone and rebuild than to parse. Packed, their numbers
// go into one list and their strings into another; items that are not in a lean form
// (ranges over several lines) travel as they are.

const L_EMBED = 1;
const L_METADATA = 2;
const L_MARKDOWN = 4;
const L_ANGLE = 8;
const L_HEADING = 16;
const L_ALIAS = 32;
const L_KEY = 64;
const L_WRITTEN = 128;

/** Where packed items go: numbers, strings, and the items that are not in a lean form. */
export interface PackSink {
  nums: number[];
  strs: string[];
  plain: unknown[];
}

/** What `unpackItems` reads, with its positions. */
export interface PackSource {
  nums: ArrayLike<number>;
  strs: readonly string[];
  plain: readonly unknown[];
  n: number;
  s: number;
  p: number;
}

const PLAIN = 0;
const LEAN = 1;

function packList<T>(items: readonly T[], lean: (x: T) => boolean, sink: PackSink): void {
  sink.nums.push(items.length);
  for (const x of items) {
    if (lean(x)) {
      sink.nums.push(LEAN);
      (x as unknown as { pack(p: PackSink): void }).pack(sink);
    } else {
      sink.nums.push(PLAIN);
      sink.plain.push(x);
    }
  }
}

/**
 * Packs the document's tasks, headings, links, DDX block and metadata entries into `sink`
 * and returns the document without them (a shallow copy; the rest of it clones cheaply),
 * and without a title read from its first heading. `unpackItems` undoes it.
 */
export function packItems(doc: ParsedDocument, sink: PackSink): ParsedDocument {
  packList(doc.tasks, (t) => t instanceof CompactTask, sink);
  packList(doc.headings, (h) => h instanceof CompactHeading, sink);
  packList(doc.links, (l) => l instanceof CompactLink, sink);
  const out: ParsedDocument = { ...doc, tasks: [], headings: [], links: [] };
  const ddx = doc.ddx;
  if (ddx) {
    packDdx(ddx, sink);
    delete out.ddx;
  } else sink.nums.push(0);
  // The metadata's entries, and a title read from the first heading (built again from it).
  packList(doc.metadata.entries, (e) => e instanceof CompactEntry, sink);
  out.metadata = { ...doc.metadata, entries: [] };
  if (doc.title instanceof HeadingTitle) {
    sink.nums.push(1);
    delete out.title;
  } else sink.nums.push(0);
  return out;
}

const D_BLOCK = 1;
const D_DUN = 2;
const D_PARKING = 4;
/** Optional text fields of a DDX block, in the order `parseDdx` sets them; one flag each from 8 on. */
const DDX_TEXTS = ['status', 'supersededBy', 'type', 'activity', 'phase', 'review'] as const;

/**
 * A DDX block: flags, its range, its id references (lean or not) and its texts. In plain
 * loops, as `unpackDdx`: they run once per document, mostly before the engine has optimised them.
 */
function packDdx(ddx: DdxMeta, sink: PackSink): void {
  let flags = D_BLOCK | (ddx.block === 'dun' ? D_DUN : 0) | (ddx.parkingLot ? D_PARKING : 0);
  for (let i = 0; i < DDX_TEXTS.length; i++) if (ddx[DDX_TEXTS[i]] !== undefined) flags |= 8 << i;
  const { start, end } = ddx.range;
  sink.nums.push(flags, start.line, start.character, end.line, end.character);
  // `id` as a list of none or one, then `depends_on`.
  if (ddx.id) {
    sink.nums.push(1);
    packIdRef(ddx.id, sink);
  } else sink.nums.push(0);
  sink.nums.push(ddx.dependsOn.length);
  for (let i = 0; i < ddx.dependsOn.length; i++) packIdRef(ddx.dependsOn[i], sink);
  sink.nums.push(ddx.supersedes.length);
  for (const x of ddx.supersedes) sink.strs.push(x);
  for (const k of DDX_TEXTS) if (ddx[k] !== undefined) sink.strs.push(ddx[k]);
  const lineage = ddx.lineage;
  sink.nums.push(lineage?.length ?? 0);
  if (lineage) for (let i = 0; i < lineage.length; i++) packIdRef(lineage[i], sink);
}

/** One item of a packed list (see `packList`): an id reference. */
function packIdRef(x: IdRef, sink: PackSink): void {
  if (x instanceof CompactIdRef) {
    sink.nums.push(LEAN);
    x.pack(sink);
  } else {
    sink.nums.push(PLAIN);
    sink.plain.push(x);
  }
}

/** The DDX block `packDdx` wrote, built with the fields in the order `parseDdx` gives them. */
function unpackDdx(src: PackSource): DdxMeta | undefined {
  const nums = src.nums;
  const flags = nums[src.n++];
  if (flags === 0) return undefined;
  const n = src.n;
  src.n += 4;
  const id = nums[src.n++] === 1 ? unpackIdRef(src) : undefined;
  const dependsOn: IdRef[] = new Array(nums[src.n++]);
  for (let i = 0; i < dependsOn.length; i++) dependsOn[i] = unpackIdRef(src);
  const out: DdxMeta = {
    block: flags & D_DUN ? 'dun' : 'ddx',
    range: {
      start: { line: nums[n], character: nums[n + 1] },
      end: { line: nums[n + 2], character: nums[n + 3] },
    },
    dependsOn,
    supersedes: [],
    parkingLot: (flags & D_PARKING) !== 0,
  };
  if (id) out.id = id;
  const superseded = nums[src.n++];
  for (let i = 0; i < superseded; i++) out.supersedes.push(src.strs[src.s++]);
  for (let i = 0; i < DDX_TEXTS.length; i++) if (flags & (8 << i)) out[DDX_TEXTS[i]] = src.strs[src.s++];
  const lineage = nums[src.n++];
  if (lineage > 0) {
    out.lineage = new Array(lineage);
    for (let i = 0; i < lineage; i++) out.lineage[i] = unpackIdRef(src);
  }
  return out;
}

/** What `packIdRef` wrote. */
function unpackIdRef(src: PackSource): IdRef {
  if (src.nums[src.n++] !== LEAN) return src.plain[src.p++] as IdRef;
  const k = src.n;
  src.n += 3;
  return new CompactIdRef(src.strs[src.s++], src.nums[k], src.nums[k + 1], src.nums[k + 2]);
}

/**
 * Puts back what `packItems` took out of `doc` (which crossed a structured clone), reading
 * `src` from its positions. Repeated strings (heading texts, link targets) are shared with
 * the other documents: the clone has copies of its own (see `intern`).
 */
export function unpackItems(doc: ParsedDocument, src: PackSource): ParsedDocument {
  const { nums, strs, plain } = src;
  const list = <T>(read: () => T): T[] => {
    const count = nums[src.n++];
    const out: T[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = nums[src.n++] === LEAN ? read() : (plain[src.p++] as T);
    return out;
  };
  doc.tasks = list(() => {
    const n = src.n;
    src.n += 6;
    return leanTask(
      nums[n],
      nums[n + 1] === 1,
      strs[src.s++],
      nums[n + 2],
      nums[n + 3],
      nums[n + 4],
      nums[n + 5],
    );
  });
  doc.headings = list(() => {
    const n = src.n;
    src.n += 4;
    return leanHeading(nums[n], intern(strs[src.s++]), nums[n + 1], nums[n + 2], nums[n + 3]);
  });
  doc.links = list(() => {
    const n = src.n;
    src.n += 8;
    const flags = nums[n];
    const raw = strs[src.s++];
    const l = leanLink(
      flags & L_MARKDOWN ? own(raw) : intern(raw),
      intern(strs[src.s++]),
      (flags & L_EMBED) !== 0,
      flags & L_METADATA ? 'metadata' : 'body',
      nums[n + 1],
      [nums[n + 2], nums[n + 3], nums[n + 4], nums[n + 5], nums[n + 6], nums[n + 7]],
      (flags & L_MARKDOWN) !== 0,
    );
    if (flags & L_HEADING) l.heading = intern(strs[src.s++]);
    if (flags & L_ALIAS) l.alias = intern(strs[src.s++]);
    if (flags & L_KEY) l.key = intern(strs[src.s++]);
    if (flags & L_MARKDOWN) {
      if (flags & L_WRITTEN) l.written = strs[src.s++];
      if (flags & L_ANGLE) l.angle = true;
    }
    return l;
  });
  const ddx = unpackDdx(src);
  if (ddx) doc.ddx = ddx;
  doc.metadata.entries = list(() => {
    const n = src.n;
    src.n += 3;
    return new CompactEntry(strs[src.s++], nums[n], nums[n + 1], nums[n + 2]);
  });
  if (nums[src.n++] === 1) doc.title = new HeadingTitle(doc.headings[0]);
  return doc;
}
