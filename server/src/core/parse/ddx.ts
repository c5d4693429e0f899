import type { LineIndex } from '../text';
import type { DdxMeta, IdRef, Metadata, MetadataEntry, MetadataError, Range } from '../types';
import { makeIdRef, makeIdRefAt, own } from './compact';
import { DQUOTE, isPrintableAscii, isSpaceOrTab, LBRACKET, SQUOTE } from './scanner/chars';
import type { NestedKey } from './simple-yaml';

/**
 * Reads the DDX block of a document's metadata (`ddx:`, older files `dun:`): the
 * values come from the parsed YAML, their positions from the block's lines (nested
 * `key: value` lines at one indentation, `- item` lines and `[a, b]` flow lists).
 * A value whose text cannot be found is placed on its key (or the block's key).
 * A block, `id` or `depends_on` of a shape that holds no id (`ddx: "text"`, `id: [a, b]`,
 * `depends_on: {x: y}`) is appended to `problems`, on its key; an empty one is none.
 */
export function parseDdx(
  lines: LineIndex,
  meta: Metadata,
  nested?: ReadonlyMap<string, readonly NestedKey[]>,
  problems?: MetadataError[],
): DdxMeta | undefined {
  // Plain loops and no closures: this runs once per document, mostly before the engine
  // has optimised it, where every closure made and called is paid in full.
  const entry = entryOf(meta.entries, 'ddx') ?? entryOf(meta.entries, 'dun');
  if (!entry) return undefined;
  const value = meta.data[entry.key];
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    if (problems && value !== null && value !== undefined)
      problems.push({
        message: `\`${entry.key}\` must be a mapping of DDX fields (\`id\`, \`depends_on\`, …), not ${shapeOf(value)}: none of it is read.`,
        range: keyRange(undefined, entry),
      });
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const keys = nested?.get(entry.key);
  const fields = (keys && fieldsAt(lines, keys)) ?? scanFields(lines, entry);
  if (problems) {
    if (!isIdValue(v.id))
      problems.push({
        message: `\`${entry.key}.id\` must be one id, not ${shapeOf(v.id)}: the document has no id.`,
        range: keyRange(fields.id, entry),
      });
    const deps = v.depends_on;
    if (Array.isArray(deps)) {
      const bad: string[] = [];
      for (let i = 0; i < deps.length; i++)
        if (!isDependencyValue(deps[i]) && !nestedIds(deps[i], 0))
          bad.push(`item ${i + 1} is ${shapeOf(deps[i])}`);
      if (bad.length > 0)
        problems.push({
          message: `\`${entry.key}.depends_on\` must list ids, but ${bad.join(', ')}: ${bad.length > 1 ? 'they are' : 'it is'} not read.`,
          range: keyRange(fields.dependsOn, entry),
        });
    } else if (!isDependencyValue(deps))
      problems.push({
        message: `\`${entry.key}.depends_on\` must be an id or a list of ids, not ${shapeOf(deps)}: no dependency is read.`,
        range: keyRange(fields.dependsOn, entry),
      });
  }

  const out: DdxMeta = {
    block: entry.key as 'ddx' | 'dun',
    range: entry.range,
    dependsOn: [],
    supersedes: [],
    parkingLot: v.parking_lot === true || v.parking_lot === 'true',
  };
  const id = literal(v.id, lines, fields.id?.values, 0);
  if (id !== undefined) {
    const w = writtenAs(lines, fields.id?.values, id, 0);
    out.id = w >= 0 ? refAt(id, fields.id!.values, w) : refOnKey(id, fields.id, entry);
  }
  const deps = v.depends_on;
  const written = fields.dependsOn?.values;
  let next = 0;
  const depList = dependencyValues(deps);
  for (let i = 0; i < depList.length; i++) {
    const d = dependencyId(literal(depList[i], lines, written, next));
    if (d === undefined) continue;
    const r = placed(lines, written, d, next);
    if (r) {
      out.dependsOn.push(r.ref);
      next = r.next;
    } else out.dependsOn.push(refOnKey(d, fields.dependsOn, entry));
  }
  // Optional fields are set only when written: an absent field costs nothing to copy to
  // another thread, to cache or to keep.
  let s = scalar(v.status);
  if (s !== undefined) out.status = own(s);
  // An id written as a wikilink (`superseded_by: "[[ADR-002]]"`) is the id inside it.
  s = dependencyId(scalar(v.superseded_by));
  if (s !== undefined) out.supersededBy = own(s);
  const sup = v.supersedes;
  for (const x of Array.isArray(sup) ? sup : sup === undefined || sup === null ? NO_VALUES : [sup]) {
    const t = dependencyId(scalar(x));
    if (t !== undefined) out.supersedes.push(own(t));
  }
  s = scalar(v.type);
  if (s !== undefined) out.type = own(s);
  s = scalar(v.activity);
  if (s !== undefined) out.activity = own(s);
  s = scalar(v.phase);
  if (s !== undefined) out.phase = own(s);
  const review = fields.review;
  if (review && v.review !== undefined && v.review !== null) out.review = own(review.written);
  else if (v.review !== undefined && v.review !== null && typeof v.review !== 'object')
    out.review = own(String(v.review));
  // Where the ids of `superseded_by` and `supersedes` are written: a rename of an id edits them.
  let lineage: IdRef[] | undefined;
  if (out.supersededBy !== undefined) {
    const r = placed(lines, fields.supersededBy?.values, out.supersededBy, 0);
    if (r) (lineage ??= []).push(r.ref);
  }
  next = 0;
  for (let i = 0; i < out.supersedes.length; i++) {
    const r = placed(lines, fields.supersedes?.values, out.supersedes[i], next);
    if (!r) continue;
    (lineage ??= []).push(r.ref);
    next = r.next;
  }
  if (lineage) out.lineage = lineage;
  return out;
}

const NO_VALUES: readonly unknown[] = [];

/**
 * Where the entry naming `id` is written, from value `from` on: the next written value
 * first, as the id itself or around it (a wikilink or a map: the id inside), so that an id
 * listed twice (`["[[F-2]]", F-1, F-2]`) places each entry on its own value; else the
 * first later value that holds it. `next` is the value after it.
 */
function placed(
  lines: LineIndex,
  values: readonly number[] | undefined,
  id: string,
  from: number,
): { ref: IdRef; next: number } | undefined {
  if (!values) return undefined;
  for (const only of [true, false]) {
    const k = writtenAs(lines, values, id, from, only);
    if (k >= 0) return { ref: refAt(id, values, k), next: k + 3 };
    const inner = writtenInside(lines, values, id, from, only);
    if (inner) return { ref: makeIdRefAt(id, inner.line, inner.from, inner.to), next: inner.k + 3 };
  }
  return undefined;
}

/**
 * The entries of `depends_on` as YAML reads them: a list, or one value. An entry may be a
 * wikilink YAML reads as a nested list (`[[FEAT-1]]`, `- [[FEAT-1]]`: its items are
 * entries) or a map with an `id` (`{id: FEAT-1}`, `- id: FEAT-1`: its id is the entry).
 */
function dependencyValues(deps: unknown): readonly unknown[] {
  if (deps === undefined || deps === null) return NO_VALUES;
  const list = Array.isArray(deps) ? deps : [deps];
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (Array.isArray(x) || isMap(x)) addInner((out ??= list.slice(0, i)), x, 0);
    else if (out) out.push(x);
  }
  return out ?? list;
}

/** Adds the entries of a nested value: a block item `- [[FEAT-1]]` is a list in a list. */
function addInner(out: unknown[], x: unknown, depth: number): void {
  if (isMap(x)) {
    const id = (x as Record<string, unknown>).id;
    if (!Array.isArray(id) && !isMap(id)) out.push(id);
  } else if (!Array.isArray(x)) {
    // Text inside a list in the list is what YAML leaves of an unquoted wikilink
    // (`- [[FEAT-1|alias]]`): read as the wikilink, so `|alias` and `#heading` go.
    out.push(depth > 0 && typeof x === 'string' && !x.startsWith('[[') ? `[[${x}]]` : x);
  } else if (depth < 2) for (const y of x) addInner(out, y, depth + 1);
}

function isMap(x: unknown): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** A dependency's id: a string written as a wikilink (`[[FEAT-1]]`, `[[FEAT-1|alias]]`) is the id it names. */
function dependencyId(d: string | undefined): string | undefined {
  if (d === undefined || !d.startsWith('[[') || !d.endsWith(']]')) return d;
  const inner = d.slice(2, -2);
  // Several wikilinks in one text (`"[[A]], [[B]]"`) are no one id: said as written.
  if (inner.includes(']]') || inner.includes('[[')) return d;
  let end = inner.length;
  for (let i = 0; i < inner.length && end === inner.length; i++)
    if (inner[i] === '|' || inner[i] === '#') end = i;
  return inner.slice(0, end).trim() || undefined;
}

/**
 * Like `writtenAs`, for an entry written around its id: a wikilink (`[[id]]`, YAML's nested
 * list, or quoted, with `|alias` or `#heading`) or a map (`{id: id}`, `id: id`). Where the
 * id itself is written (its line and columns), and the value's position in `values`.
 */
function writtenInside(
  lines: LineIndex,
  values: readonly number[] | undefined,
  id: string,
  from: number,
  /** Look at value `from` alone. */
  only = false,
): { k: number; line: number; from: number; to: number } | undefined {
  if (!values) return undefined;
  const t = lines.text;
  const end = only ? Math.min(values.length, from + 3) : values.length;
  for (let k = from; k < end; k += 3) {
    const at = lines.starts[values[k]];
    const span = innerSpan(t, at + values[k + 1], at + values[k + 2]);
    if (span && span[1] - span[0] === id.length && t.startsWith(id, span[0]))
      return { k, line: values[k], from: span[0] - at, to: span[1] - at };
  }
  return undefined;
}

/** The id inside a written value (offsets `a` … `b` of `t`) of a form `writtenInside` reads, or undefined. */
function innerSpan(t: string, a: number, b: number): [number, number] | undefined {
  const trim = () => {
    while (a < b && isSpaceOrTab(t.charCodeAt(a))) a++;
    while (b > a && isSpaceOrTab(t.charCodeAt(b - 1))) b--;
  };
  const unquote = () => {
    const q = t.charCodeAt(a);
    if (b - a >= 2 && (q === DQUOTE || q === SQUOTE) && t.charCodeAt(b - 1) === q) {
      a++;
      b--;
      trim();
    }
  };
  trim();
  let found = false;
  if (t[a] === '{') {
    a++;
    found = true;
    trim();
  }
  const key = /^id[ \t]*:/.exec(t.slice(a, Math.min(b, a + 8)));
  if (key) {
    a += key[0].length;
    found = true;
    // The value ends at the map's next key or its end.
    let quote = 0;
    for (let i = a; i < b; i++) {
      const c = t.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === DQUOTE || c === SQUOTE) quote = c;
      else if (c === 44 /* , */ || c === 125 /* } */) {
        b = i;
        break;
      }
    }
    trim();
  } else if (found) return undefined;
  unquote();
  let open = 0;
  while (open < 2 && t[a] === '[') {
    a++;
    open++;
  }
  if (open > 0) {
    found = true;
    while (b > a && t[b - 1] === ']') b--;
    for (let i = a; i < b; i++)
      if (t[i] === '|' || t[i] === '#') {
        b = i;
        break;
      }
    trim();
    unquote();
  }
  return found && a < b ? [a, b] : undefined;
}

/** Whether a value can be read as an id: text or a number, or nothing written (`~`, empty). */
function isIdValue(x: unknown): boolean {
  return x === undefined || x === null || typeof x === 'string' || typeof x === 'number';
}

/** A dependency entry: an id, or a map naming one (`{id: FEAT-1}`, `- id: FEAT-1`). */
function isDependencyValue(x: unknown): boolean {
  return (
    isIdValue(x) ||
    (isMap(x) && (x as Record<string, unknown>).id != null && isIdValue((x as Record<string, unknown>).id))
  );
}

/**
 * A list in the list whose entries `dependencyValues` reads as ids: what YAML makes of an
 * unquoted wikilink (`- [[FEAT-1]]`), or ids grouped in a flow list (`- [A, {id: B}]`).
 */
function nestedIds(x: unknown, depth: number): boolean {
  return (
    Array.isArray(x) &&
    x.length > 0 &&
    depth < 2 &&
    x.every((y) => (isDependencyValue(y) && y !== null && y !== undefined) || nestedIds(y, depth + 1))
  );
}

/** What a value that is no id is, for a message. */
function shapeOf(x: unknown): string {
  if (Array.isArray(x)) return 'a list';
  if (x !== null && typeof x === 'object') return 'a mapping';
  if (typeof x === 'string') return `the text ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  return String(x);
}

/** A field's key, else the block's key. */
function keyRange(f: Field | undefined, entry: MetadataEntry): Range {
  return f
    ? { start: { line: f.line, character: f.keyFrom }, end: { line: f.line, character: f.keyTo } }
    : {
        start: entry.range.start,
        end: { line: entry.line, character: entry.range.start.character + entry.key.length },
      };
}

function entryOf(entries: readonly MetadataEntry[], key: string): MetadataEntry | undefined {
  for (const e of entries) if (e.key === key) return e;
  return undefined;
}

/**
 * The position in `values` (line, from, to, …) of the first value from position `from` on
 * whose written text (trimmed) is `text`, or -1. The text is compared where it is written.
 */
function writtenAs(
  lines: LineIndex,
  values: readonly number[] | undefined,
  text: string,
  from: number,
  /** Look at value `from` alone. */
  only = false,
): number {
  if (!values) return -1;
  const t = lines.text;
  const end = only ? Math.min(values.length, from + 3) : values.length;
  for (let k = from; k < end; k += 3) {
    const at = lines.starts[values[k]];
    const a = at + values[k + 1];
    const b = at + values[k + 2];
    const first = t.charCodeAt(a);
    const last = t.charCodeAt(b - 1);
    // Ends `trim` keeps (printable ASCII): the text is the written span itself.
    if (isPrintableAscii(first) && isPrintableAscii(last)) {
      if (b - a === text.length && t.startsWith(text, a)) return k;
    } else if (t.slice(a, b).trim() === text) return k;
  }
  return -1;
}

function refAt(id: string, values: readonly number[], k: number): IdRef {
  return makeIdRefAt(id, values[k], values[k + 1], values[k + 2]);
}

/** A reference placed on its field's key, else on the block's key. */
function refOnKey(id: string, f: Field | undefined, entry: MetadataEntry): IdRef {
  return f
    ? makeIdRefAt(id, f.line, f.keyFrom, f.keyTo)
    : makeIdRef(id, {
        start: entry.range.start,
        end: { line: entry.line, character: entry.range.start.character + entry.key.length },
      });
}

/**
 * An id as written: YAML reads `1.10`, `0x1F` or `010` as numbers (1.1, 31, 10), but an id
 * is the text. For a number, the first written value from position `from` on that reads as
 * that number; otherwise (or when none is found) as `scalar` gives it.
 */
function literal(
  x: unknown,
  lines: LineIndex,
  values: readonly number[] | undefined,
  from: number,
): string | undefined {
  if (typeof x === 'number' && values) {
    const t = lines.text;
    for (let k = from; k < values.length; k += 3) {
      const at = lines.starts[values[k]];
      const w = t.slice(at + values[k + 1], at + values[k + 2]).trim();
      if (w !== '' && Number(w.replace(/^0o/i, '0o')) === x) return w;
    }
  }
  return scalar(x);
}

/** A string or number value as text, trimmed; undefined for anything else or empty. */
function scalar(x: unknown): string | undefined {
  if (typeof x === 'string') return x.trim() || undefined;
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  return undefined;
}

interface Field {
  /** The key's line and columns. */
  line: number;
  keyFrom: number;
  keyTo: number;
  /**
   * Where the scalar values written for the key sit (its inline value, flow list items or
   * `- item` lines, quotes removed): line, from, to, line, from, to, … (columns of one line).
   */
  values: number[];
  /** The value as written: the inline text, or the following lines with their indentation removed. */
  written: string;
  /** A flow list (`[a,`) not closed on the key's line: its items go on over the next lines. */
  open?: boolean;
}

/** A nested `key:` line: its indentation, then the key plain (group 4) or in quotes (`"id":`, `'id':`). */
const KEY_LINE = /^([ \t]+)(?:"([^"\\]*)"|'([^']*)'|([A-Za-z_][\w.-]*))[ \t]*:(?:[ \t]+|$)/;
const ITEM_LINE = /^([ \t]*)-[ \t]+/;

/**
 * The fields whose written form is used: where the ids of `id`, `depends_on`,
 * `superseded_by` and `supersedes` sit, `review` as written (the first of each).
 */
interface Fields {
  id?: Field;
  dependsOn?: Field;
  supersededBy?: Field;
  supersedes?: Field;
  review?: Field;
}

/** Whether the positions of a field's values are kept: the fields that hold ids. */
function holdsIds(name: string): boolean {
  return name === 'id' || name === 'depends_on' || name === 'superseded_by' || name === 'supersedes';
}

/** Records `f`, the field of key `name`, unless an earlier field of that name was. */
function keep(fields: Fields, name: string, f: Field): void {
  if (name === 'id') fields.id ??= f;
  else if (name === 'depends_on') fields.dependsOn ??= f;
  else if (name === 'superseded_by') fields.supersededBy ??= f;
  else if (name === 'supersedes') fields.supersedes ??= f;
  else if (name === 'review') fields.review ??= f;
}

/** Width of the spaces and tabs that start `line`. */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && isSpaceOrTab(line.charCodeAt(i))) i++;
  return i;
}

/**
 * The fields of a flow mapping written whole on the block's own line
 * (`ddx: {id: FEAT-3, depends_on: [FEAT-2]}`), from column `from` on; undefined when the
 * line holds none.
 */
function flowFields(line: string, lineNo: number, from: number): Fields | undefined {
  let open = from;
  while (open < line.length && line[open] !== '{') {
    if (line[open] !== ':' && !isSpaceOrTab(line.charCodeAt(open))) return undefined;
    open++;
  }
  if (open >= line.length) return undefined;
  const fields: Fields = {};
  let start = open + 1;
  let depth = 0;
  let quote = '';
  let colon = -1;
  for (let i = open + 1; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ':' && depth === 0 && colon === -1) colon = i;
    else if ((c === ',' || c === '}') && depth === 0) {
      if (colon !== -1) {
        let keyFrom = start;
        while (keyFrom < colon && isSpaceOrTab(line.charCodeAt(keyFrom))) keyFrom++;
        let keyTo = colon;
        while (keyTo > keyFrom && isSpaceOrTab(line.charCodeAt(keyTo - 1))) keyTo--;
        const quoted = keyTo - keyFrom >= 2 && (line[keyFrom] === '"' || line[keyFrom] === "'");
        const name =
          quoted && line[keyTo - 1] === line[keyFrom]
            ? line.slice(keyFrom + 1, keyTo - 1)
            : line.slice(keyFrom, keyTo);
        const f: Field = { line: lineNo, keyFrom, keyTo, values: [], written: '' };
        if (holdsIds(name)) inlineValues(lineNo, line.slice(0, i), colon + 1, f.values);
        else if (name === 'review') f.written = line.slice(colon + 1, i).trim();
        keep(fields, name, f);
      }
      if (c === '}') return fields;
      start = i + 1;
      colon = -1;
    }
  }
  return undefined;
}

function scanFields(lines: LineIndex, entry: MetadataEntry): Fields {
  const flow = flowFields(
    lines.lineText(entry.line),
    entry.line,
    entry.range.start.character + entry.key.length,
  );
  if (flow) return flow;
  const fields: Fields = {};
  /** Whether the current field's values / written text are wanted (no positions are kept for the rest). */
  let values = false;
  let keepBody = false;
  // A flow mapping on the block's own line (`ddx: {id: X}`) has no nested lines: values sit on their keys.
  let childIndent = -1;
  let current: Field | undefined;
  let currentIndent = 0;
  let body: string[] = [];
  const finish = () => {
    // Blank lines after an inline value are no body of its own.
    if (current && keepBody && body.some((l) => l.trim() !== '')) {
      const indent = Math.min(...body.filter((l) => l.trim()).map(indentOf));
      current.written = body
        .map((l) => l.slice(Math.min(indent, l.length)))
        .join('\n')
        .trimEnd();
    }
    body = [];
  };
  for (let l = entry.line + 1; l <= entry.range.end.line && l < lines.lineCount; l++) {
    const line = lines.lineText(l);
    const indent = indentOf(line);
    if (line.charCodeAt(indent) === 35 /* # */ || line.trim() === '') {
      if (current) body.push('');
      continue;
    }
    if (childIndent === -1) childIndent = indent;
    if (indent < childIndent) break;
    const key = indent === childIndent ? KEY_LINE.exec(line) : null;
    if (key) {
      finish();
      const name = key[2] ?? key[3] ?? key[4];
      const keyFrom = key[1].length;
      const valueFrom = key[0].length;
      const keyTo = keyFrom + (key[4] === undefined ? name.length + 2 : name.length);
      current = { line: l, keyFrom, keyTo, values: [], written: '' };
      currentIndent = indent;
      values = holdsIds(name);
      keepBody = name === 'review';
      keep(fields, name, current);
      if (values || keepBody) readInline(current, l, line, valueFrom, values);
      continue;
    }
    if (!current) continue;
    if (keepBody) body.push(line);
    if (!values) continue;
    if (current.open) {
      current.open = flowItems(l, line, indent, current.values);
      continue;
    }
    const item = indent >= currentIndent ? ITEM_LINE.exec(line) : null;
    if (item) inlineValues(l, line, item[0].length, current.values);
  }
  finish();
  return fields;
}

/**
 * The fields `scanFields` would find, from where the metadata's fast path saw the block's
 * keys and items (each key once, no comment after a value): only the lines holding wanted
 * values are read. Undefined when `review` is written over several lines (its text is then
 * gathered by `scanFields`).
 */
function fieldsAt(lines: LineIndex, keys: readonly NestedKey[]): Fields | undefined {
  const fields: Fields = {};
  for (const k of keys) {
    const values = holdsIds(k.key);
    if (!values && k.key !== 'review') continue;
    const f: Field = { line: k.line, keyFrom: k.keyFrom, keyTo: k.keyTo, values: [], written: '' };
    if (values) keep(fields, k.key, f);
    else {
      if (k.items.length > 0) return undefined;
      fields.review = f;
      readInline(f, k.line, lines.lineText(k.line), k.valueFrom, false);
      continue;
    }
    // The inline value, then the items. With no comment after it, a value that is no flow
    // list (`[`) and starts with nothing `trim` removes (at or below 32, or from 0xa0 on) is
    // the one scalar written there, as `inlineValues` would read it.
    for (let i = -3; i < k.items.length; i += 3) {
      const lineNo = i < 0 ? k.line : k.items[i];
      const from = i < 0 ? k.valueFrom : k.items[i + 1];
      const to = i < 0 ? k.valueTo : k.items[i + 2];
      if (from === to) continue;
      const at = lines.starts[lineNo];
      const c = lines.text.charCodeAt(at + from);
      if (c === LBRACKET || c <= 32 || c >= 0xa0)
        inlineValues(lineNo, lines.lineText(lineNo), from, f.values);
      else written(lines.text, at, lineNo, from, to, f.values);
    }
  }
  return fields;
}

/** A key's inline value (unless empty or a comment): its scalars when `values`, else its text. */
function readInline(f: Field, lineNo: number, line: string, valueFrom: number, values: boolean): void {
  const rest = line.slice(valueFrom);
  if (rest.trim() === '' || rest.trimStart().startsWith('#')) return;
  if (!values) f.written = stripComment(rest).trim();
  else {
    const lead = valueFrom + rest.length - rest.trimStart().length;
    // `[a,` with the list going on over the next lines: its items where they are written.
    if (line[lead] === '[' && !stripComment(rest).trimEnd().endsWith(']'))
      f.open = flowItems(lineNo, line, lead + 1, f.values);
    else inlineValues(lineNo, line, valueFrom, f.values);
  }
}

/**
 * The items of a flow list written from column `from` of a line (the list's `[` before it,
 * or an earlier line), each where it is written; whether the list goes on after the line
 * (no `]` yet).
 */
function flowItems(lineNo: number, line: string, from: number, out: number[]): boolean {
  const text = stripComment(line);
  let itemFrom = from;
  let quote = '';
  // Inside an item's own brackets or braces (`[[FEAT-1], [FEAT-2]]`, `[{id: A, note: b}]`).
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (depth > 0) continue;
    else if (c === ',' || c === ']') {
      written(text, 0, lineNo, itemFrom, i, out);
      if (c === ']') return false;
      itemFrom = i + 1;
    }
  }
  written(text, 0, lineNo, itemFrom, text.length, out);
  return true;
}

/** `# comment` at the end of a plain value (a `#` after a space, outside quotes). */
function stripComment(s: string): string {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /[ \t]/.test(s[i - 1]))) return s.slice(0, i);
  }
  return s;
}

/** Appends to `out` the scalar or flow-list items written from column `from` of a line. */
function inlineValues(lineNo: number, line: string, from: number, out: number[]): void {
  const rest = stripComment(line.slice(from));
  const trimmed = rest.trimEnd();
  const lead = rest.length - rest.trimStart().length;
  const begin = from + lead;
  const end = from + trimmed.length;
  if (begin >= end) return;
  if (line[begin] === '[' && line[end - 1] === ']') flowItems(lineNo, line.slice(0, end), begin + 1, out);
  else written(line, 0, lineNo, begin, end, out);
}

/**
 * Appends where the scalar between columns `from` and `to` of line `lineNo` sits (spaces and
 * tabs around it and its quotes removed), if anything is left. The line starts at offset
 * `at` of `text` (the line itself, or the document).
 */
function written(text: string, at: number, lineNo: number, from: number, to: number, out: number[]): void {
  while (from < to && isSpaceOrTab(text.charCodeAt(at + from))) from++;
  while (to > from && isSpaceOrTab(text.charCodeAt(at + to - 1))) to--;
  from = afterProperties(text, at, from, to);
  const q = text.charCodeAt(at + from);
  if (to - from >= 2 && (q === DQUOTE || q === SQUOTE) && text.charCodeAt(at + to - 1) === q) {
    from++;
    to--;
  }
  if (from < to) out.push(lineNo, from, to);
}

/**
 * Where a scalar starts after its YAML properties, an anchor and a tag (`&i FEAT-004`,
 * `!!str 010`), written before it with white space between: the value is what follows
 * (which an edit of the value changes, the properties kept). `from` when there are none.
 */
export function afterProperties(text: string, at: number, from: number, to: number): number {
  let i = from;
  for (let n = 0; n < 2; n++) {
    const c = text.charCodeAt(at + i);
    if (c !== 38 /* & */ && c !== 33 /* ! */) break;
    let j = i + 1;
    while (j < to && !isSpaceOrTab(text.charCodeAt(at + j))) j++;
    if (j >= to) break;
    while (j < to && isSpaceOrTab(text.charCodeAt(at + j))) j++;
    i = j;
  }
  return i;
}
