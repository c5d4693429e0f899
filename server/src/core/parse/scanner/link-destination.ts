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
  RBRACKET,
  RPAREN,
  SPACE,
  SQUOTE,
} from './chars';

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
 * Whether `[start, end)` is a whole link reference definition `[label]: destination "title"`;
 * where it is, the start of its destination.
 */
export function isDefinitionLine(text: string, start: number, end: number): boolean {
  return definitionDestination(text, start, end) !== -1;
}

/** The start of the destination of the definition `[start, end)`, or -1 when it is none. */
export function definitionDestination(text: string, start: number, end: number): number {
  return definitionAt(text, start, end);
}

function definitionAt(text: string, start: number, end: number): number {
  if (text.charCodeAt(start) !== LBRACKET) return -1;
  let i = start + 1;
  let nonBlank = false;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < end) {
      i += 2;
      nonBlank = true;
      continue;
    }
    if (c === LBRACKET) return -1;
    if (c === RBRACKET) break;
    if (!isSpaceOrTab(c)) nonBlank = true;
    i++;
  }
  if (i >= end || !nonBlank || i - start - 1 > 999) return -1;
  if (i + 1 >= end || text.charCodeAt(i + 1) !== COLON) return -1;
  if (text.charCodeAt(start + 1) === 94 /* ^ */) return -1; // a footnote definition
  i = skipSpaces(text, i + 2, end);
  if (i >= end) return -1;
  const destination = i;
  const afterDestination = linkDestinationEnd(text, i, end);
  if (afterDestination === -1 || afterDestination === i) return -1;
  i = skipSpaces(text, afterDestination, end);
  if (i >= end) return destination;
  if (i === afterDestination) return -1;
  const titleEnd = linkTitleEnd(text, i, end);
  return titleEnd !== -1 && skipSpaces(text, titleEnd, end) >= end ? destination : -1;
}
