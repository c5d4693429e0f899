import { DASH, isAsciiAlnum, UNDERSCORE } from './parse/scanner/chars';
import type { Position, Range } from './types';

/** "1 warning", "2 warnings": a count with its word, in the plural unless it is one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The line break a text is written with: `\r\n` when it holds one, `\r` when it breaks
 * lines with a lone `\r` only, else `\n` (also for a text without line breaks).
 */
export function lineBreakOf(text: string): '\n' | '\r\n' | '\r' {
  return text.includes('\r\n') ? '\r\n' : text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
}

/** `text` (written with `\n`) with each `\n` as `lineBreak`. */
export function withLineBreak(text: string, lineBreak: string): string {
  return lineBreak === '\n' ? text : text.replace(/\n/g, lineBreak);
}

/**
 * Line starts of a text, for converting between offsets and positions.
 * Line breaks are `\n`, `\r\n` and a lone `\r`, as in LSP.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[];

  /** `starts` may be given when another text with the same line breaks was indexed already. */
  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    const list = [0];
    const n = text.length;
    let i = text.indexOf('\n');
    if (text.indexOf('\r') === -1) {
      // Fast path: `\n` only.
      while (i !== -1) {
        list.push(i + 1);
        i = text.indexOf('\n', i + 1);
      }
    } else {
      for (let k = 0; k < n; k++) {
        const c = text.charCodeAt(k);
        if (c === 10) list.push(k + 1);
        else if (c === 13) {
          if (text.charCodeAt(k + 1) === 10) k++;
          list.push(k + 1);
        }
      }
    }
    this.starts = list;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset just past the line's content (before its line break). */
  lineEnd(line: number): number {
    if (line >= this.starts.length - 1) return this.text.length;
    let end = this.starts[line + 1];
    const t = this.text;
    if (end > 0 && t.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && t.charCodeAt(end - 1) === 13) end--;
    return Math.max(end, this.starts[line]);
  }

  /** The line's content without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }

  /** The line that holds an offset (binary search). */
  lineOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, character: Math.min(o, this.lineEnd(line)) - this.starts[line] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

export function range(line: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line, character: startChar }, end: { line: endLine, character: endChar } };
}

export function lineRange(line: number, startChar: number, endChar: number): Range {
  return range(line, startChar, line, endChar);
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

export function rangeContains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

/**
 * A text quoted in a message, cut after `max` characters with `…` (a 200 KB link made
 * every message about it, refusals and hovers too, 200 KB long); never between the two
 * halves of a surrogate pair.
 */
export function clipped(text: string, max = 200): string {
  if (text.length <= max) return text;
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Removes a leading byte order mark: editors do not show it as text. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Slug used to compare names and headings: case-insensitive, and spaces, underscores
 * and hyphens equivalent, the NFC and NFD spellings of a letter equal. Punctuation other
 * than those is dropped.
 */
export function slug(s: string): string {
  // Most names and headings are ASCII (`release-plan`, `FEAT-001`, `Exit Criteria`):
  // read without the Unicode tables, as every link and heading is slugged.
  const ascii = asciiSlug(s);
  if (ascii !== undefined) return ascii;
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]+/gu, '')
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `slug` of an ASCII string (undefined for any other): letters and digits in lower case,
 * each run of spaces, `_` and `-` between them one `-`, the other characters dropped.
 */
function asciiSlug(s: string): string | undefined {
  // Letters and digits with single `-` between them (`FEAT-001`, `README`): the string
  // itself in lower case (`toLowerCase` gives back the same string when it is).
  let plain = s.length > 0;
  let prev = DASH;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return undefined;
    if (c === DASH ? prev === DASH : !isAsciiAlnum(c)) plain = false;
    prev = c;
  }
  if (plain && prev !== DASH) return s.toLowerCase();
  let out = '';
  let run = -1;
  let separated = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAsciiAlnum(c)) {
      if (run === -1) {
        if (separated) out += '-';
        separated = false;
        run = i;
      }
      continue;
    }
    if (run !== -1) {
      out += s.slice(run, i);
      run = -1;
    }
    // A separator counts only between letters and digits (none leads or trails).
    if (out !== '' && (c === DASH || c === UNDERSCORE || isAsciiSpace(c))) separated = true;
  }
  if (run !== -1) out += s.slice(run);
  return out.toLowerCase();
}

/** What `\s` matches below 128: tab, line feed, vertical tab, form feed, carriage return, space. */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * The end of `s` with trailing characters matching `drop` removed, in linear time.
 * Use instead of `s.replace(/x+$/, '')`: a backtracking engine retries a trailing-run
 * pattern at every position of a long run, which is quadratic in the run's length.
 */
export function trimEndWhile(s: string, drop: (ch: string) => boolean): string {
  let end = s.length;
  while (end > 0 && drop(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

const WHITESPACE = /^\s$/;
/** Whether a character is JavaScript whitespace (what `\s` matches). */
export const isWhitespace = (ch: string): boolean => WHITESPACE.test(ch);
/** `s` without trailing `/`. */
export const trimEndSlashes = (s: string): string => trimEndWhile(s, (ch) => ch === '/');

/**
 * A path value's parts as written: a leading `./` (or `/`), the path, its trailing slashes
 * (`./docs/plan/` → `./`, `docs/plan`, `/`). Linear (a pattern with a lazy `.*?` before
 * `\/*$` took quadratic time over a run of slashes).
 */
export function writtenPathParts(value: string): { dot: string; path: string; slashes: string } {
  const dot = /^(?:\.\/|\/+)/.exec(value)?.[0] ?? '';
  const rest = value.slice(dot.length);
  const path = trimEndSlashes(rest);
  return { dot, path, slashes: rest.slice(path.length) };
}

/**
 * Whether a report's path names a folder: written with a trailing `/` (a phase that
 * stands for its folder of documents), it has no lines.
 */
export const isFolderPath = (path: string): boolean => path.endsWith('/');

/**
 * Text with its control characters (C0 but tab and line breaks, DEL, C1, the line and
 * paragraph separators, and the bidirectional controls: marks, embeddings, overrides,
 * isolates) shown as `\uXXXX`, as the text report shows them: a terminal escape or a bell
 * read from a document restyles nothing where a report is shown, and a right-to-left
 * override cannot show a name reversed. Line breaks are left to each format.
 */
export function escapeControls(s: string): string {
  return s.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text for a message with the characters that show nothing where they stand written as
 * `\u{FE0F}`: format characters (a zero-width space, a joiner, a right-to-left mark) and
 * variation selectors, except a selector or joiner right after a character past ASCII (an
 * emoji's `⚠️`, which it shapes). `#️-notes` (a selector after `#`) reads `#\u{FE0F}-notes`.
 */
export function shownInvisible(s: string): string {
  return s.replace(INVISIBLE_CHARACTERS, (c, at: number) => {
    const shapes = at > 0 && s.charCodeAt(at - 1) > 127 && !INVISIBLE_ONE.test(s[at - 1]);
    return shapes && (c === '\u200d' || VARIATION_SELECTOR.test(c))
      ? c
      : `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`;
  });
}

const INVISIBLE_CHARACTERS = /\p{Cf}|\p{Variation_Selector}/gu;
const INVISIBLE_ONE = /\p{Cf}|\p{Variation_Selector}/u;
const VARIATION_SELECTOR = /\p{Variation_Selector}/u;

/** The characters `escapeControls` escapes (global: for `replace`). */
export const CONTROL_CHARACTERS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Edits (insert, delete, change, swap of neighbours) from `a` to `b`, up to 2; 3 for more
 * (more than any caller accepts). Only the cells within two of the diagonal are computed,
 * in three rows: linear in time and memory (two headings of 200,000 characters compared
 * cell by cell took gigabytes).
 */
export function editDistance(a: string, b: string): number {
  const CAP = 3;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) >= CAP) return CAP;
  // rows[i % 3] is row i; cells outside the band read as CAP.
  const rows = [
    new Int32Array(m + 1).fill(CAP),
    new Int32Array(m + 1).fill(CAP),
    new Int32Array(m + 1).fill(CAP),
  ];
  for (let j = 0; j <= Math.min(m, CAP - 1); j++) rows[0][j] = j;
  for (let i = 1; i <= n; i++) {
    const cur = rows[i % 3];
    const prev = rows[(i - 1) % 3];
    const prev2 = rows[(i - 2 + 3) % 3];
    const lo = Math.max(1, i - (CAP - 1));
    const hi = Math.min(m, i + (CAP - 1));
    cur[lo - 1] = lo - 1 === 0 ? Math.min(i, CAP) : CAP;
    if (hi === i + (CAP - 1)) prev[hi] = CAP;
    let least = cur[lo - 1];
    for (let j = lo; j <= hi; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      )
        d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = Math.min(d, CAP);
      if (cur[j] < least) least = cur[j];
    }
    if (hi + 1 <= m) cur[hi + 1] = CAP;
    // No cell of the band within reach: the distance is over two.
    if (least >= CAP) return CAP;
  }
  return rows[n % 3][m];
}
