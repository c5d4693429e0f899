import {
  BACKSLASH,
  COLON,
  DQUOTE,
  GT,
  isAsciiPunct,
  isSpaceOrTab,
  LBRACKET,
  LPAREN,
  LT,
  RPAREN,
  SPACE,
  SQUOTE,
} from './chars';
import { labelClose } from './labels';

/*
 * Link destinations and titles, as in `[text](destination "title")` and in a definition
 * `[label]: destination "title"`: the one parser both use. Offsets are into `text`; every
 * function reads no further than `end` (the end of the line).
 */

/**
 * How deep parentheses may nest in a raw destination (CommonMark allows a limit; micromark
 * sets 32). Deeper is no destination: this also keeps a line of many unclosed `[a](` from
 * making each of them scan the rest of the line (quadratic time).
 */
const MAX_PAREN_DEPTH = 32;

/**
 * End of the destination at `i`: `<…>` (no `<` or line break inside), or a run of
 * non-space characters with balanced parentheses (`\(` and `\)` escaped), nested at most
 * `MAX_PAREN_DEPTH` deep. Returns `i` for an empty raw destination, -1 for none.
 */
export function linkDestinationEnd(text: string, i: number, end: number): number {
  if (i < end && text.charCodeAt(i) === LT) {
    i++;
    for (;;) {
      if (i >= end) return -1;
      const c = text.charCodeAt(i);
      if (c === GT) return i + 1;
      if (c === LT) return -1;
      i += c === BACKSLASH ? 2 : 1;
    }
  }
  let depth = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c <= SPACE || c === 127) break;
    if (c === BACKSLASH && i + 1 < end && isAsciiPunct(text.charCodeAt(i + 1))) {
      i += 2;
      continue;
    }
    if (c === LPAREN) {
      if (depth === MAX_PAREN_DEPTH) return -1;
      depth++;
    } else if (c === RPAREN) {
      if (depth === 0) break;
      depth--;
    }
    i++;
  }
  return depth === 0 ? i : -1;
}

/**
 * End of the title at `i` (a `"`, `'` or `(`): just past its closing character, or -1
 * when it is not closed on the line (or a `(` title holds an unescaped `(`).
 */
export function linkTitleEnd(text: string, i: number, end: number): number {
  const q = text.charCodeAt(i);
  const close = q === DQUOTE ? DQUOTE : q === SQUOTE ? SQUOTE : q === LPAREN ? RPAREN : -1;
  if (close === -1) return -1;
  i++;
  for (;;) {
    if (i >= end) return -1;
    const c = text.charCodeAt(i);
    if (c === close) return i + 1;
    if (close === RPAREN && c === LPAREN) return -1;
    i += c === BACKSLASH ? 2 : 1;
  }
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && isSpaceOrTab(text.charCodeAt(i))) i++;
  return i;
}

/** End of a link resource `(destination "title")` at `p` (a `(`), or -1. */
export function linkResourceEnd(text: string, p: number, end: number): number {
  let i = skipSpaces(text, p + 1, end);
  const afterDestination = linkDestinationEnd(text, i, end);
  if (afterDestination === -1) return -1;
  i = skipSpaces(text, afterDestination, end);
  // A title needs space before it; an unclosed one is no title (and no resource).
  if (i < end && i > afterDestination) {
    const q = text.charCodeAt(i);
    if (q === DQUOTE || q === SQUOTE || q === LPAREN) {
      const titleEnd = linkTitleEnd(text, i, end);
      if (titleEnd === -1) return -1;
      i = skipSpaces(text, titleEnd, end);
    }
  }
  return i < end && text.charCodeAt(i) === RPAREN ? i + 1 : -1;
}

/**
 * A link resource `(destination "title")` at `p` (a `(` in segment `k` of the segments
 * `[starts[j], ends[j])`, `j < n`) that goes on over lines, as CommonMark allows: a line
 * break in the white space after the `(`, after the destination or after the title, and
 * inside the title. Its end (just past the `)`), the segment it is in, and where its
 * destination starts and that line ends; undefined when it is none. (`linkResourceEnd` reads one line.)
 */
export function linkResourceOverLines(
  text: string,
  starts: readonly number[],
  ends: readonly number[],
  n: number,
  k: number,
  p: number,
): { end: number; segment: number; dest: number; destLineEnd: number } | undefined {
  let i = skipSpaces(text, p + 1, ends[k]);
  let broken = false;
  /** White space up to the line's end goes on after the line break (one at most). */
  const over = (): boolean => {
    if (i < ends[k] || broken || k + 1 >= n) return false;
    broken = true;
    k++;
    i = skipSpaces(text, starts[k], ends[k]);
    return true;
  };
  over();
  const dest = i;
  const destLineEnd = ends[k];
  const afterDestination = linkDestinationEnd(text, i, ends[k]);
  if (afterDestination === -1) return undefined;
  i = skipSpaces(text, afterDestination, ends[k]);
  broken = false;
  // (white space up to the line's end, and the line break after it, are both white space)
  const spaced = over() || i > afterDestination;
  const q = text.charCodeAt(i);
  if (spaced && i < ends[k] && (q === DQUOTE || q === SQUOTE || q === LPAREN)) {
    // The title, over any number of lines.
    const close = q === LPAREN ? RPAREN : q;
    i++;
    for (;;) {
      if (i >= ends[k]) {
        if (++k >= n) return undefined;
        i = starts[k];
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === close) break;
      if (close === RPAREN && c === LPAREN) return undefined;
      i += c === BACKSLASH ? 2 : 1;
    }
    i = skipSpaces(text, i + 1, ends[k]);
    broken = false;
    over();
  }
  return i < ends[k] && text.charCodeAt(i) === RPAREN
    ? { end: i + 1, segment: k, dest, destLineEnd }
    : undefined;
}

/** Where a link reference definition is: the lines it takes and where its destination is. */
export interface DefinitionSpan {
  /** Lines (segments) it takes. */
  lines: number;
  /** Its destination starts at `dest`, in segment `destLine`. */
  dest: number;
  destLine: number;
  /** The `]` closing its label, in segment `labelLine`. */
  labelEnd: number;
  labelLine: number;
}

/**
 * The link reference definition `[label]: destination "title"` starting at segment `k`
 * of the lines `[starts[i], ends[i])`, `i < count` (a paragraph's lines, containers left
 * out), or undefined. As in CommonMark, the label and the title may go on over several
 * lines, the destination may stand on the line after the label and the title on the line
 * after the destination; a title begun on a line of its own that does not end its line
 * is no part of the definition, which then ends before that line.
 */
export function definitionAt(
  text: string,
  starts: readonly number[],
  ends: readonly number[],
  k: number,
  count: number,
): DefinitionSpan | undefined {
  // (A footnote definition, `[^1]: …`, is a container the block scanner opened before.)
  if (text.charCodeAt(starts[k]) !== LBRACKET) return undefined;
  const label = labelClose(text, starts, ends, count, k, starts[k]);
  if (!label) return undefined;
  let [line, i] = label;
  let end = ends[line];
  if (i + 1 >= end || text.charCodeAt(i + 1) !== COLON) return undefined;
  const labelEnd = i;
  const labelLine = line;
  i = skipSpaces(text, i + 2, end);
  if (i >= end) {
    // `[label]:` ends its line: the destination is on the next.
    if (++line >= count) return undefined;
    end = ends[line];
    i = skipSpaces(text, starts[line], end);
    if (i >= end) return undefined;
  }
  const destination = i;
  const afterDestination = linkDestinationEnd(text, i, end);
  if (afterDestination === -1 || afterDestination === i) return undefined;
  const span = { lines: line - k + 1, dest: destination, destLine: line, labelEnd, labelLine };
  i = skipSpaces(text, afterDestination, end);
  if (i < end) {
    // A title beside the destination: it and the rest of its line must be right.
    if (i === afterDestination) return undefined;
    const last = titleLastLine(text, starts, ends, line, i, count);
    if (last === -1) return undefined;
    span.lines = last - k + 1;
    return span;
  }
  // A title that starts the next line belongs to it when it ends its line.
  if (line + 1 < count) {
    const t = skipSpaces(text, starts[line + 1], ends[line + 1]);
    const last = t < ends[line + 1] ? titleLastLine(text, starts, ends, line + 1, t, count) : -1;
    if (last !== -1) span.lines = last - k + 1;
  }
  return span;
}

/**
 * The segment on which the title starting at `i` (segment `line`) ends, when nothing but
 * spaces follows it there; -1 when it is no title or something follows.
 */
function titleLastLine(
  text: string,
  starts: readonly number[],
  ends: readonly number[],
  line: number,
  i: number,
  count: number,
): number {
  const q = text.charCodeAt(i);
  const close = q === DQUOTE ? DQUOTE : q === SQUOTE ? SQUOTE : q === LPAREN ? RPAREN : -1;
  if (close === -1) return -1;
  let end = ends[line];
  i++;
  for (;;) {
    if (i >= end) {
      if (++line >= count) return -1;
      i = starts[line];
      end = ends[line];
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === close) return skipSpaces(text, i + 1, end) >= end ? line : -1;
    if (close === RPAREN && c === LPAREN) return -1;
    i += c === BACKSLASH ? 2 : 1;
  }
}
