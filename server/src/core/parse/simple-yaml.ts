import {
  DASH,
  DOT,
  HASH,
  isAsciiAlnum,
  isAsciiAlpha,
  isPrintableAscii,
  SLASH,
  SPACE,
  UNDERSCORE,
} from './scanner/chars';

/**
 * A fast path for the metadata blocks CDP documents actually write: one `key: value` per
 * line, with plain or quoted scalars and flat flow sequences (`[a, "b"]`), and one level
 * of nesting as DDX blocks write it (`ddx:` then indented `id: X` lines and `depends_on:`
 * with `- item` lines). Anything else (deeper nesting, comments inside a nested block,
 * anchors, tags, multi-line scalars, escapes, duplicate keys…) returns undefined and the full YAML parser decides. When it answers, the
 * result equals what the `yaml` package (YAML 1.2 core schema) gives; a differential
 * test holds it to that.
 */

export interface SimpleEntry {
  key: string;
  /** Offsets in the source: start of the key, end of the value (comments excluded). */
  start: number;
  end: number;
}

/**
 * Where a key of a nested block map sits (lines counted from `parseSimpleYaml`'s `firstLine`,
 * columns within the line): its name, where its inline value starts and ends, and where
 * each of its `- item` values starts and ends. No comment follows a value on its line.
 */
export interface NestedKey {
  key: string;
  line: number;
  keyFrom: number;
  keyTo: number;
  valueFrom: number;
  /** The end of the inline value (before trailing spaces); `valueFrom` when there is none. */
  valueTo: number;
  /** Line and columns of each item value, flat: line, from, to, line, from, to, … */
  items: number[];
}

export interface SimpleYaml {
  data: Record<string, unknown>;
  entries: SimpleEntry[];
  /** The keys of each top-level key whose value is a nested block map, where they sit. */
  nested?: Map<string, NestedKey[]>;
}

const KEY = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)/;

/** `firstLine`: the line number of the first line of `src` (the lines of `nested` count from it). */
export function parseSimpleYaml(src: string, firstLine = 0): SimpleYaml | undefined {
  // A plain object from the start (as the `yaml` package builds it): a prototype-less one is
  // kept in dictionary mode by V8, which made every read, write and the final copy slow.
  const data: Record<string, unknown> = {};
  const entries: SimpleEntry[] = [];
  let nested: Map<string, NestedKey[]> | undefined;
  let pos = 0;
  let lineNo = firstLine;
  const n = src.length;
  if (!tabsAndBreaksSimple(src)) return undefined;
  for (; pos < n; lineNo++) {
    let eol = src.indexOf('\n', pos);
    if (eol === -1) eol = n;
    let line = src.slice(pos, eol);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = eol + 1;
      continue;
    }
    const m = KEY.exec(line);
    if (!m) return undefined;
    const key = m[1];
    if (Object.hasOwn(data, key) || key === '__proto__') return undefined;
    const valueStart = m[0].length;
    const parsed = parseValue(line, valueStart);
    if (!parsed || parsed.value === NOT_SIMPLE) return undefined;
    // A key with nothing after it can own an indented block below: one level of `key: value`
    // lines and their `- item` lists is simple, anything else is not.
    if (parsed.empty) {
      const next = nextContentLine(src, eol + 1);
      if (next?.startsWith(' ')) {
        if (!onlyComment(line, valueStart) && line.slice(valueStart).trim() !== '') return undefined;
        const block = nestedMap(src, eol + 1, lineNo + 1);
        if (!block) return undefined;
        data[key] = block.value;
        entries.push({ key, start: pos, end: block.end });
        (nested ??= new Map()).set(key, block.keys);
        pos = block.next;
        lineNo = block.nextLine - 1;
        continue;
      }
      if (next !== undefined && /^[\t-]/.test(next)) return undefined;
    }
    data[key] = parsed.value;
    entries.push({ key, start: pos, end: pos + parsed.end });
    pos = eol + 1;
  }
  return nested ? { data, entries, nested } : { data, entries };
}

const ITEM = /^( +)-(?: +|$)/;
/** `KEY` from `lastIndex` on (a nested key after its indentation). */
const KEY_AT = /([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)/y;

/**
 * Whether `src` has no tab and no carriage return but before a line feed or at its end:
 * the fast path reads no line holding one (checked once for the block, not line by line).
 */
function tabsAndBreaksSimple(src: string): boolean {
  if (src.indexOf('\t') !== -1) return false;
  for (let r = src.indexOf('\r'); r !== -1; r = src.indexOf('\r', r + 1))
    if (r + 1 < src.length && src.charCodeAt(r + 1) !== 10) return false;
  return true;
}

/**
 * An indented block map of simple values and `- item` lists, from offset `from` to the
 * next line that is not indented. `end` is the end of its last value, `next` where the
 * next top-level line starts. Undefined when anything in it is not simple.
 */
function nestedMap(
  src: string,
  from: number,
  fromLine: number,
):
  | { value: Record<string, unknown>; end: number; next: number; nextLine: number; keys: NestedKey[] }
  | undefined {
  const value: Record<string, unknown> = {};
  const keys: NestedKey[] = [];
  let indent = -1;
  let pos = from;
  let lineNo = fromLine - 1;
  let end = from;
  // The key whose value is an open `- item` list (or still empty), its items and their indent.
  let openKey: string | undefined;
  let items: unknown[] | undefined;
  let itemIndent = -1;
  while (pos < src.length) {
    lineNo++;
    let eol = src.indexOf('\n', pos);
    if (eol === -1) eol = src.length;
    let line = src.slice(pos, eol);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // The indentation, counted without a copy of the line when the first character after
    // the spaces is printable ASCII (else as `trim` reads it: other whitespace counts too).
    let lineIndent = 0;
    while (line.charCodeAt(lineIndent) === SPACE) lineIndent++;
    const first = line.charCodeAt(lineIndent);
    const plain = isPrintableAscii(first);
    if (!plain) {
      const trimmed = line.trim();
      if (trimmed === '') {
        pos = eol + 1;
        continue;
      }
      // Comments around a nested block change where YAML ends it: not simple.
      if (trimmed.startsWith('#')) return undefined;
      lineIndent = line.length - line.trimStart().length;
    } else if (first === HASH) return undefined;
    if (line.charCodeAt(0) !== SPACE) {
      lineNo--;
      break;
    }
    if (indent === -1) indent = lineIndent;
    if (lineIndent < indent) return undefined;
    let itemLength = -1;
    if (!plain) {
      const item = ITEM.exec(line);
      if (item) itemLength = item[0].length;
    } else if (
      first === DASH &&
      (lineIndent + 1 === line.length || line.charCodeAt(lineIndent + 1) === SPACE)
    ) {
      itemLength = lineIndent + 1;
      while (line.charCodeAt(itemLength) === SPACE) itemLength++;
    }
    if (itemLength !== -1) {
      // Items of the open key: at its indent or deeper, all at one indent.
      if (openKey === undefined) return undefined;
      if (items === undefined) {
        items = [];
        itemIndent = lineIndent;
      } else if (lineIndent !== itemIndent) return undefined;
      const from = itemLength;
      // A plain word (what ids are) reads as itself: no need for the general value reader.
      let to = plainWordEnd(line, from);
      if (to !== -1) items.push(line.slice(from));
      else {
        const v = parseValue(line, from);
        if (!v || v.empty || v.value === NOT_SIMPLE || /[ \t]#/.test(line)) return undefined;
        items.push(v.value);
        to = v.end;
      }
      keys[keys.length - 1].items.push(lineNo, from, to);
      end = pos + to;
      pos = eol + 1;
      continue;
    }
    if (lineIndent !== indent) return undefined;
    KEY_AT.lastIndex = indent;
    const m = KEY_AT.exec(line);
    if (!m) return undefined;
    if (openKey !== undefined) value[openKey] = items ?? null;
    openKey = undefined;
    const key = m[1];
    if (Object.hasOwn(value, key) || key === '__proto__') return undefined;
    const start = indent + m[0].length;
    const word = plainWordEnd(line, start);
    const v = word !== -1 ? { value: line.slice(start), end: word, empty: false } : parseValue(line, start);
    if (!v || v.value === NOT_SIMPLE) return undefined;
    keys.push({
      key,
      line: lineNo,
      keyFrom: indent,
      keyTo: indent + key.length,
      valueFrom: start,
      valueTo: v.empty ? start : v.end,
      items: [],
    });
    if (v.empty) {
      if (line.slice(start).trim() !== '') return undefined; // a comment after the key
      openKey = key;
      items = undefined;
      end = pos + trimEndAt(line, start);
    } else {
      if (/[ \t]#/.test(line.slice(start))) return undefined;
      value[key] = v.value;
      end = pos + v.end;
    }
    pos = eol + 1;
  }
  if (openKey !== undefined) value[openKey] = items ?? null;
  if (indent === -1) return undefined;
  return { value, end, next: pos, nextLine: lineNo + 1, keys };
}

/**
 * The end of `line` when from `start` to its end it holds one plain word that the YAML core
 * schema reads as that string (a letter, then letters, digits, `.`, `_`, `/` or `-`: no number,
 * no comment, no indicator), else -1. `parseValue` gives the same for such a word.
 */
function plainWordEnd(line: string, start: number): number {
  const n = line.length;
  if (start >= n || !isAsciiAlpha(line.charCodeAt(start))) return -1;
  for (let i = start + 1; i < n; i++) {
    const c = line.charCodeAt(i);
    if (!(isAsciiAlnum(c) || c === DASH || c === DOT || c === SLASH || c === UNDERSCORE)) return -1;
  }
  // The words the core schema reads as null or a boolean.
  if (n - start <= 5) {
    // Lower-cased first letter: n(ull), t(rue) or f(alse).
    const c0 = line.charCodeAt(start) | 0x20;
    if ((c0 === 110 || c0 === 116 || c0 === 102) && !isPlainStringKey(line.slice(start))) return -1;
  }
  return n;
}

function nextContentLine(src: string, from: number): string | undefined {
  let pos = from;
  while (pos < src.length) {
    let eol = src.indexOf('\n', pos);
    if (eol === -1) eol = src.length;
    const line = src.slice(pos, eol);
    if (line.trim() !== '' && !line.trim().startsWith('#')) return line;
    pos = eol + 1;
  }
  return undefined;
}

interface Parsed {
  value: unknown;
  /** End of the value in the line (before trailing spaces and comment). */
  end: number;
  empty: boolean;
}

/** Parses the rest of the line as a value; undefined when it is not simple. */
function parseValue(line: string, start: number): Parsed | undefined {
  const rest = line.slice(start);
  const c = rest[0];
  if (c === undefined || c === '#')
    return { value: null, end: start === 0 ? 0 : trimEndAt(line, start), empty: true };
  if (c === '"' || c === "'") {
    const q = quoted(rest, 0);
    if (!q || !onlyComment(rest, q.next)) return undefined;
    return { value: q.value, end: start + q.next, empty: false };
  }
  if (c === '[') {
    const s = flowSeq(rest);
    if (!s || !onlyComment(rest, s.next)) return undefined;
    return { value: s.value, end: start + s.next, empty: false };
  }
  if ('{]},&*!|>%@`'.includes(c) || (c === '-' && (rest[1] === ' ' || rest.length === 1))) return undefined;
  if (c === '?' || c === ':') return undefined;
  // Plain scalar up to a comment.
  let end = rest.length;
  const hash = rest.search(/[ \t]#/);
  if (hash !== -1) end = hash;
  const text = rest.slice(0, end).trimEnd();
  if (/:[ \t]|:$/.test(text)) return undefined;
  return { value: plainScalar(text), end: start + text.length, empty: false };
}

/**
 * The value of `line` from `start` when the fast path reads it exactly as the `yaml`
 * package does (a quoted or plain scalar, a flat flow sequence, or nothing), with
 * where it ends; undefined when the full parser must decide.
 */
export function simpleValue(
  line: string,
  start: number,
): { value: unknown; end: number; empty: boolean } | undefined {
  const v = parseValue(line, start);
  return v && v.value !== NOT_SIMPLE ? v : undefined;
}

/** Whether a plain key reads as the string it is written as (not `null`, `true`, a number). */
export function isPlainStringKey(key: string): boolean {
  return plainScalar(key) === key;
}

function trimEndAt(line: string, start: number): number {
  let e = start;
  while (e > 0 && (line[e - 1] === ' ' || line[e - 1] === '\t')) e--;
  return e;
}

function onlyComment(s: string, from: number): boolean {
  const tail = s.slice(from);
  return tail.trim() === '' || /^[ \t]+#/.test(tail);
}

function quoted(s: string, at: number): { value: string; next: number } | undefined {
  const q = s[at];
  let out = '';
  let i = at + 1;
  while (i < s.length) {
    const ch = s[i];
    if (q === "'" && ch === "'") {
      if (s[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, next: i + 1 };
    }
    if (q === '"') {
      if (ch === '\\') return undefined; // escapes: let the full parser do them
      if (ch === '"') return { value: out, next: i + 1 };
    }
    out += ch;
    i++;
  }
  return undefined; // unterminated (or multi-line)
}

/** A flat flow sequence of scalars: `[a, "b", 'c']`. */
function flowSeq(s: string): { value: unknown[]; next: number } | undefined {
  const out: unknown[] = [];
  let i = 1;
  const skip = () => {
    while (s[i] === ' ') i++;
  };
  skip();
  if (s[i] === ']') return { value: out, next: i + 1 };
  for (;;) {
    skip();
    const ch = s[i];
    if (ch === undefined) return undefined;
    if (ch === '"' || ch === "'") {
      const q = quoted(s, i);
      if (!q) return undefined;
      out.push(q.value);
      i = q.next;
    } else {
      if ('[]{},&*!|>%@`#?:-'.includes(ch)) return undefined;
      let j = i;
      while (j < s.length && s[j] !== ',' && s[j] !== ']') {
        if (s[j] === ':' || s[j] === '#' || s[j] === '[' || s[j] === '{' || s[j] === '}') return undefined;
        j++;
      }
      const text = s.slice(i, j).trim();
      if (text === '') return undefined;
      const v = plainScalar(text);
      if (v === NOT_SIMPLE) return undefined;
      out.push(v);
      i = j;
    }
    skip();
    if (s[i] === ',') {
      i++;
      skip();
      if (s[i] === ']') return undefined; // trailing comma: leave it to the full parser
      continue;
    }
    if (s[i] === ']') return { value: out, next: i + 1 };
    return undefined;
  }
}

/** Marks a plain scalar the fast path does not type itself (unusual numbers). */
const NOT_SIMPLE = Symbol('not simple');

/** YAML 1.2 core schema resolution of a plain scalar. */
function plainScalar(t: string): unknown {
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (t === 'true' || t === 'True' || t === 'TRUE') return true;
  if (t === 'false' || t === 'False' || t === 'FALSE') return false;
  // Every number of the core schema starts with a digit, a sign or a dot.
  const c = t.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return t;
  if (/^-?[0-9]{1,15}$/.test(t)) return Number(t);
  // Other numbers of the core schema (+1, 0x1F, 0o17, 1.5, 1e3, .inf, .nan): not simple.
  if (
    /^[-+]?[0-9]+$/.test(t) ||
    /^0o[0-7]+$/.test(t) ||
    /^0x[0-9a-fA-F]+$/.test(t) ||
    /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(t) ||
    /^[-+]?\.(inf|Inf|INF)$/.test(t) ||
    /^\.(nan|NaN|NAN)$/.test(t)
  ) {
    return NOT_SIMPLE;
  }
  return t;
}
