import { isPlainStringKey, simpleValue } from '../parse/simple-yaml';
import type { GateMap, GateNode, GateScalar, GateSeq } from './yaml-tree';

/**
 * A fast path for gate files as they are written: block mappings and block sequences
 * (`- item`, `- key: value` then the item's other keys), one-line plain, quoted and
 * double-quoted (with the one-character escapes) scalars, flat flow sequences and
 * comments. It builds the gate nodes the `yaml` package's would convert to (with each
 * node's start, so lines come out the same) and returns undefined for anything else
 * (anchors, tags, multi-line scalars, empty values, flow maps, tabs, CR, document
 * markers…): then the full parser decides. `test/unit/gate-yaml-fast.test.ts` holds the
 * two equal.
 */
export function fastGateTree(text: string): GateMap | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const lines: Line[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    const s = text.slice(pos, eol);
    const indent = indentOf(s);
    if (indent === -1) return undefined;
    if (indent < s.length && s[indent] !== '#') {
      // Document markers and directives: the full parser.
      if (indent === 0 && (s.startsWith('---') || s.startsWith('...') || s.startsWith('%'))) return undefined;
      lines.push({ s, start: pos, indent });
    }
    pos = eol + 1;
  }
  if (lines.length === 0) return undefined;
  const p = new FastParser(lines);
  if (lines[0].indent !== 0) return undefined;
  const root = p.map(0, 0);
  if (!root || p.i !== lines.length) return undefined;
  return root.node;
}

/**
 * The spaces a line starts with; -1 when other white space follows them (a form feed,
 * a no-break or ideographic space…): YAML indents with spaces only and reads those as
 * content, so the full parser decides. (Tabs and CR never get here.)
 */
function indentOf(s: string): number {
  // (Within bounds: a read past the end throws the optimized code away, once per line kind.)
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 32) i++;
  const c = i < s.length ? s.charCodeAt(i) : -1;
  if (c === 0x0b || c === 0x0c || (c > 0x7f && /\s/.test(s[i]))) return -1;
  return i;
}

interface Line {
  s: string;
  /** Offset of the line in the text. */
  start: number;
  indent: number;
}

/** A key at `lastIndex` (sticky: no copy of the rest of the line to match it). */
const KEY = /([A-Za-z_][\w-]*)[ \t]*:(?: +|$)/y;

function keyAt(s: string, at: number): RegExpExecArray | null {
  KEY.lastIndex = at;
  return KEY.exec(s);
}

/** Keys are few and repeat in every file: whether each reads as itself, remembered. */
const plainKeys = new Map<string, boolean>();

function isPlainKey(key: string): boolean {
  let ok = plainKeys.get(key);
  if (ok === undefined) {
    ok = isPlainStringKey(key);
    if (plainKeys.size >= 1000) plainKeys.clear();
    plainKeys.set(key, ok);
  }
  return ok;
}
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/**
 * Block nesting the fast path reads: well below what the shared YAML guard refuses
 * (`checkYamlLimits`, 100 levels). A level here opens at most one indentation level, one
 * `- ` and one flat flow sequence there, so whatever the fast path reads the guard lets
 * through, and the guard need not run first; anything deeper goes to the guard and the
 * full parser.
 */
export const FAST_MAX_DEPTH = 30;

class FastParser {
  /** The next line to read. */
  i = 0;
  /** Open block nodes. */
  private depth = 0;
  constructor(private readonly lines: Line[]) {}

  /**
   * A block mapping whose keys sit at column `col`; its first key is on line `this.i`
   * at column `first` (after `- ` for a sequence item), the others at `col`.
   */
  map(col: number, first: number): { node: GateMap } | undefined {
    if (this.depth >= FAST_MAX_DEPTH) return undefined;
    this.depth++;
    const node = this.mapAt(col, first);
    this.depth--;
    return node && { node };
  }

  private mapAt(col: number, first: number): GateMap | undefined {
    const node: GateMap = { kind: 'map', pairs: [], start: undefined };
    const keys = new Set<string>();
    let at = first;
    for (;;) {
      const line = this.lines[this.i];
      const m = keyAt(line.s, at);
      if (!m || m[1].length > 1000 || !isPlainKey(m[1])) return undefined;
      // A key written twice: the full parser reports it.
      if (keys.has(m[1])) return undefined;
      keys.add(m[1]);
      const key: GateScalar = { kind: 'scalar', value: m[1], start: line.start + at };
      if (node.pairs.length === 0) node.start = line.start + at;
      const valueAt = at + m[0].length;
      let value: GateNode | undefined;
      if (valueAt < line.s.length && line.s[valueAt] !== '#') {
        value = this.scalarOrFlow(line, valueAt);
        if (!value) return undefined;
        this.i++;
        // A deeper line after a one-line value would continue it: not simple.
        const next = this.lines[this.i];
        if (next && next.indent > col) return undefined;
      } else {
        if (line.s.slice(valueAt).trim() !== '') return undefined; // a comment after the key
        this.i++;
        const next = this.lines[this.i];
        if (!next) return undefined; // an empty value
        if (next.indent > col) {
          value = this.block(next.indent);
        } else if (next.indent === col && isItem(next.s, col)) {
          value = this.seq(col);
        } else return undefined; // an empty value
        if (!value) return undefined;
      }
      node.pairs.push({ key, value });
      const next = this.lines[this.i];
      if (!next || next.indent < col) return node;
      if (next.indent > col || isItem(next.s, col)) return undefined;
      at = col;
    }
  }

  /** A block node starting on line `this.i` at column `col`. */
  private block(col: number): GateMap | GateSeq | undefined {
    const line = this.lines[this.i];
    if (isItem(line.s, col)) return this.seq(col);
    return this.map(col, col)?.node;
  }

  /** A block sequence whose `-` sit at column `col`. */
  private seq(col: number): GateSeq | undefined {
    if (this.depth >= FAST_MAX_DEPTH) return undefined;
    this.depth++;
    const node = this.seqAt(col);
    this.depth--;
    return node;
  }

  private seqAt(col: number): GateSeq | undefined {
    const startLine = this.lines[this.i];
    const node: GateSeq = { kind: 'seq', items: [], start: startLine.start + col };
    for (;;) {
      const line = this.lines[this.i];
      // `- ` then the item on the same line.
      let at = col + 1;
      while (line.s[at] === ' ') at++;
      if (at === col + 1 || at >= line.s.length || line.s[at] === '#' || line.s[at] === '-') return undefined;
      if (keyAt(line.s, at)) {
        const m = this.map(at, at);
        if (!m) return undefined;
        node.items.push(m.node);
      } else {
        const v = this.scalarOrFlow(line, at);
        if (!v) return undefined;
        node.items.push(v);
        this.i++;
        const next = this.lines[this.i];
        if (next && next.indent > col) return undefined; // a continuation line
      }
      const next = this.lines[this.i];
      if (!next || next.indent < col) return node;
      if (next.indent > col) return undefined;
      if (!isItem(next.s, col)) return node; // the parent mapping's next key
    }
  }

  /** A one-line value at column `at`: a scalar or a flat flow sequence of scalars. */
  private scalarOrFlow(line: Line, at: number): GateScalar | GateSeq | undefined {
    const offset = line.start + at;
    if (line.s[at] === '"') {
      const q = doubleQuoted(line.s, at);
      if (!q || !onlyComment(line.s, q.next)) return undefined;
      return { kind: 'scalar', value: q.value, start: offset };
    }
    const v = simpleValue(line.s, at);
    if (!v || v.empty) return undefined;
    if (Array.isArray(v.value)) {
      // Items of a flow sequence on one line: their lines are the line's.
      const items: GateNode[] = v.value.map((x) => ({ kind: 'scalar', value: x, start: offset }));
      return { kind: 'seq', items, start: offset };
    }
    return { kind: 'scalar', value: v.value, start: offset };
  }
}

function isItem(s: string, col: number): boolean {
  return s[col] === '-' && (s.length === col + 1 || s[col + 1] === ' ');
}

function onlyComment(s: string, from: number): boolean {
  const tail = s.slice(from);
  return tail.trim() === '' || /^ +#/.test(tail);
}

/** A one-line double-quoted scalar with one-character escapes; undefined for anything else. */
function doubleQuoted(s: string, at: number): { value: string; next: number } | undefined {
  let out = '';
  // Runs of plain characters are copied at once (most values have no backslash at all).
  let from = at + 1;
  for (;;) {
    const quote = s.indexOf('"', from);
    if (quote === -1) return undefined;
    const backslash = s.indexOf('\\', from);
    if (backslash === -1 || backslash > quote) return { value: out + s.slice(from, quote), next: quote + 1 };
    const e = ESCAPES[s[backslash + 1]];
    if (e === undefined) return undefined; // \x, \u, \U, a line break: the full parser
    out += s.slice(from, backslash) + e;
    from = backslash + 2;
  }
}
