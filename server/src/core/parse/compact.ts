import type {
  DdxMeta,
  Heading,
  IdRef,
  LinkSource,
  ParsedDocument,
  Range,
  TaskItem,
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

class CompactTask implements TaskItem {
  constructor(
    readonly line: number,
    readonly checked: boolean,
    public text: string,
    readonly depth: number,
    private readonly box: number,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get checkboxRange(): Range {
    return r(this.line, this.box, this.box + 3);
  }
  get range(): Range {
    return r(this.line, this.from, this.to);
  }
  pack(p: PackSink): void {
    p.nums.push(this.line, this.checked ? 1 : 0, this.depth, this.box, this.from, this.to);
    p.strs.push(this.text);
  }
}

class CompactHeading implements Heading {
  constructor(
    readonly level: number,
    public text: string,
    readonly line: number,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get range(): Range {
    return r(this.line, this.from, this.to);
  }
  pack(p: PackSink): void {
    p.nums.push(this.level, this.line, this.from, this.to);
    p.strs.push(this.text);
  }
}

class CompactLink implements WikiLink {
  heading?: string;
  alias?: string;
  key?: string;
  constructor(
    public raw: string,
    public target: string,
    readonly embed: boolean,
    readonly source: LinkSource,
    private readonly line: number,
    private readonly from: number,
    private readonly to: number,
    private readonly targetFrom: number,
    private readonly targetTo: number,
    private readonly headingFrom: number,
    private readonly headingTo: number,
  ) {}
  get range(): Range {
    return r(this.line, this.from, this.to);
  }
  get targetRange(): Range {
    return r(this.line, this.targetFrom, this.targetTo);
  }
  get headingRange(): Range | undefined {
    return this.headingFrom < 0 ? undefined : r(this.line, this.headingFrom, this.headingTo);
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
    p.nums.push(
      flags,
      this.line,
      this.from,
      this.to,
      this.targetFrom,
      this.targetTo,
      this.headingFrom,
      this.headingTo,
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
 * document text alive in the index. A JSON round trip yields a flat string of its own
 * (concatenating and slicing did too, but as a slice of a fresh copy: a second string
 * object for every kept text, 16 MB at 10,000 documents).
 */
export function own(s: string): string {
  return s.length < 13 || fresh ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Set while `fromFreshStrings` runs. */
let fresh = false;

/**
 * Runs `build` with `own` copying nothing: for facts built from strings that share no
 * memory already (JSON.parse makes flat strings of its own, as `own` does), where copying
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
    const v = ownTree((value as Record<string, unknown>)[k]);
    if (k === '__proto__')
      Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
    else copy[own(k)] = v;
  }
  return copy as T;
}

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
    // An own `__proto__` key (YAML keeps it as data) stays data: assigned, it would
    // replace the copy's prototype and make its values look like inherited fields.
    if (k === '__proto__')
      Object.defineProperty(copy, k, {
        value: ownData(v, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[own(k)] = ownData(v, seen);
  }
  return copy as T;
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
  return new CompactTask(line, checked, own(text), depth, box, from, to);
}

/** A heading on one line; `from` and `to` are columns. */
export function makeHeading(level: number, text: string, line: number, from: number, to: number): Heading {
  return new CompactHeading(level, intern(text), line, from, to);
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
  const c = markdown
    ? new CompactMarkdownLink(intern(raw), intern(target), embed, source, line, ...cols)
    : new CompactLink(intern(raw), intern(target), embed, source, line, ...cols);
  if (heading !== undefined) c.heading = intern(heading);
  if (alias !== undefined) c.alias = intern(alias);
  if (markdown && c instanceof CompactMarkdownLink) {
    if (markdown.written !== undefined) c.written = own(markdown.written);
    if (markdown.angle) c.angle = true;
  }
  return c;
}

export function compactTask(t: TaskItem): TaskItem {
  if (t instanceof CompactTask) return t;
  const { range, checkboxRange: box } = t;
  if (!oneLine(range) || !oneLine(box) || box.start.line !== t.line) return { ...t, text: own(t.text) };
  return new CompactTask(
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
  return new CompactHeading(h.level, intern(h.text), h.line, h.range.start.character, h.range.end.character);
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
 * Packs the document's tasks, headings and links into `sink` and returns the document
 * without them (a shallow copy; the rest of it clones cheaply). `unpackItems` undoes it.
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
  return out;
}

const D_BLOCK = 1;
const D_DUN = 2;
const D_PARKING = 4;
/** Optional text fields of a DDX block, in the order `parseDdx` sets them; one flag each from 8 on. */
const DDX_TEXTS = ['status', 'supersededBy', 'type', 'activity', 'phase', 'review'] as const;

/** A DDX block: flags, its range, its id references (lean or not) and its texts. */
function packDdx(ddx: DdxMeta, sink: PackSink): void {
  let flags = D_BLOCK | (ddx.block === 'dun' ? D_DUN : 0) | (ddx.parkingLot ? D_PARKING : 0);
  DDX_TEXTS.forEach((k, i) => {
    if (ddx[k] !== undefined) flags |= 8 << i;
  });
  const { start, end } = ddx.range;
  sink.nums.push(flags, start.line, start.character, end.line, end.character);
  const lean = (x: IdRef) => x instanceof CompactIdRef;
  // `id` as a list of none or one, then `depends_on`.
  packList(ddx.id ? [ddx.id] : [], lean, sink);
  packList(ddx.dependsOn, lean, sink);
  sink.nums.push(ddx.supersedes.length);
  for (const x of ddx.supersedes) sink.strs.push(x);
  for (const k of DDX_TEXTS) if (ddx[k] !== undefined) sink.strs.push(ddx[k]);
}

/** The DDX block `packDdx` wrote, built with the fields in the order `parseDdx` gives them. */
function unpackDdx(src: PackSource, list: <T>(read: () => T) => T[]): DdxMeta | undefined {
  const { nums, strs } = src;
  const flags = nums[src.n++];
  if (flags === 0) return undefined;
  const n = src.n;
  src.n += 4;
  const ref = () => {
    const k = src.n;
    src.n += 3;
    return new CompactIdRef(strs[src.s++], nums[k], nums[k + 1], nums[k + 2]);
  };
  const id = list(ref);
  const out: DdxMeta = {
    block: flags & D_DUN ? 'dun' : 'ddx',
    range: {
      start: { line: nums[n], character: nums[n + 1] },
      end: { line: nums[n + 2], character: nums[n + 3] },
    },
    dependsOn: list(ref),
    supersedes: [],
    parkingLot: (flags & D_PARKING) !== 0,
  };
  if (id.length > 0) out.id = id[0];
  const superseded = nums[src.n++];
  for (let i = 0; i < superseded; i++) out.supersedes.push(strs[src.s++]);
  DDX_TEXTS.forEach((k, i) => {
    if (flags & (8 << i)) out[k] = strs[src.s++];
  });
  return out;
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
    return new CompactTask(
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
    return new CompactHeading(nums[n], intern(strs[src.s++]), nums[n + 1], nums[n + 2], nums[n + 3]);
  });
  doc.links = list(() => {
    const n = src.n;
    src.n += 8;
    const flags = nums[n];
    const args = [
      intern(strs[src.s++]),
      intern(strs[src.s++]),
      (flags & L_EMBED) !== 0,
      flags & L_METADATA ? 'metadata' : 'body',
      nums[n + 1],
      nums[n + 2],
      nums[n + 3],
      nums[n + 4],
      nums[n + 5],
      nums[n + 6],
      nums[n + 7],
    ] as const;
    const l = flags & L_MARKDOWN ? new CompactMarkdownLink(...args) : new CompactLink(...args);
    if (flags & L_HEADING) l.heading = intern(strs[src.s++]);
    if (flags & L_ALIAS) l.alias = intern(strs[src.s++]);
    if (flags & L_KEY) l.key = intern(strs[src.s++]);
    if (l instanceof CompactMarkdownLink) {
      if (flags & L_WRITTEN) l.written = strs[src.s++];
      if (flags & L_ANGLE) l.angle = true;
    }
    return l;
  });
  const ddx = unpackDdx(src, list);
  if (ddx) doc.ddx = ddx;
  return doc;
}
