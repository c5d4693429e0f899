import {
  COLON,
  DASH,
  DOT,
  GT,
  isAsciiAlnum,
  isAsciiAlpha,
  isAsciiPunct,
  isSpaceOrTab,
  LBRACKET,
  LF,
  LPAREN,
  LT,
  PLUS,
  RBRACKET,
  RPAREN,
  SPACE,
  STAR,
  TAB,
  TILDE,
  UNDERSCORE,
} from './chars';

/*
 * Autolinks: `<https://…>`, `<a@b.c>`, and GFM's literal ones (`https://…`, `www.…`). The
 * search for code spans and raw HTML reads past them (a backtick or `<` inside one starts
 * neither). Offsets are into `t`; `e` ends the line.
 */

const TRAIL = '!"\')*,.:;?_~';
const EMAIL_PUNCT = ".!#$%&'*+/=?^_`{|}~-";

/** End of a GFM literal autolink (`https://…`, `www.…`) at `p` (to whitespace or `<`), or -1. */
export function literalAutolinkEnd(t: string, p: number, e: number, prev: number): number {
  const j = literalAutolinkPath(t, p, e, prev);
  if (j === -1) return -1;
  // Path: to whitespace or `<`.
  let k = j;
  while (k < e) {
    const c = t.charCodeAt(k);
    if (c === SPACE || c === TAB || c === LT) break;
    k++;
  }
  return k;
}

/**
 * End of a GFM literal autolink at `p` as micromark ends it, or -1: its path stops at
 * trailing punctuation followed by an end (`https://a.b/c).` ends before `).`), and at a
 * `]` followed by `(` or `[` (`https://a.b[x](y.md)` is `https://a.b[x`, its `[` opening
 * no link). A `(` counts toward the `)` that stay in the path.
 */
export function literalAutolinkSpanEnd(t: string, p: number, e: number, prev: number): number {
  let j = literalAutolinkPath(t, p, e, prev);
  if (j === -1) return -1;
  let open = 0;
  let close = 0;
  while (j < e) {
    const c = t.charCodeAt(j);
    if (c === LPAREN) open++;
    else if (c === RPAREN && close < open) close++;
    else if (PATH_TRAIL.indexOf(t[j]) !== -1) {
      if (trailEnds(t, j, e)) return j;
      if (c === RPAREN) close++;
    } else if (isSpaceOrTab(c) || (c > 127 && /\s/.test(t[j]))) return j;
    j++;
  }
  return j;
}

/** Punctuation a path checks for a trail at (`<` among them: it always ends one). */
const PATH_TRAIL = '!"&\')*,.:;<?]_~';

/** Whether the punctuation at `j` is a trail followed by an end (micromark's `trail`). */
function trailEnds(t: string, j: number, e: number): boolean {
  while (j < e) {
    const c = t[j];
    if ('!"\')*,.:;?_~'.indexOf(c) !== -1) j++;
    else if (c === '&') {
      // `&name;` is trailing as a whole; any other `&` continues the path.
      let k = j + 1;
      while (k < e && isAsciiAlpha(t.charCodeAt(k))) k++;
      if (k === j + 1 || k >= e || t[k] !== ';') return false;
      j = k + 1;
    } else if (c === ']') {
      j++;
      if (j >= e) return true;
      const d = t.charCodeAt(j);
      if (d === LPAREN || d === LBRACKET || isSpaceOrTab(d) || (d > 127 && /\s/.test(t[j]))) return true;
    } else {
      const d = t.charCodeAt(j);
      return d === LT || isSpaceOrTab(d) || (d > 127 && /\s/.test(c));
    }
  }
  return true;
}

/** Where the path of a GFM literal autolink at `p` starts (after its domain), or -1. */
function literalAutolinkPath(t: string, p: number, e: number, prev: number): number {
  let i = p;
  if ((t.charCodeAt(p) | 0x20) === 104) {
    if (isAsciiAlpha(prev)) return -1;
    let j = p;
    while (j < e && j - p < 6 && isAsciiAlpha(t.charCodeAt(j))) j++;
    const scheme = t.slice(p, j).toLowerCase();
    if ((scheme !== 'http' && scheme !== 'https') || !t.startsWith('://', j)) return -1;
    i = j + 3;
    if (i >= e) return -1;
    const c = t.charCodeAt(i);
    if (c < 128 ? !isAsciiAlnum(c) && c !== DASH : /[\s\p{P}]/u.test(t[i])) return -1;
  } else {
    const okPrev =
      prev === -1 ||
      prev === LF ||
      isSpaceOrTab(prev) ||
      prev === LPAREN ||
      prev === STAR ||
      prev === UNDERSCORE ||
      prev === LBRACKET ||
      prev === RBRACKET ||
      prev === TILDE;
    if (!okPrev || !/^www\./i.test(t.slice(p, p + 4)) || p + 4 >= e) return -1;
  }
  // Domain: segments separated by dots (micromark needs none, only a character other
  // than `.` and `_`: `http://localhost`), no `_` in the last two segments.
  let seen = false;
  let usLast = false;
  let usLastLast = false;
  let j = i;
  while (j < e) {
    const c = t.charCodeAt(j);
    if (c === DOT || c === UNDERSCORE) {
      // A run of trailing punctuation ends the domain.
      let k = j;
      while (k < e && TRAIL.indexOf(t[k]) !== -1) k++;
      if (k >= e || isSpaceOrTab(t.charCodeAt(k)) || t.charCodeAt(k) === LT) break;
      if (c === UNDERSCORE) usLast = true;
      else {
        usLastLast = usLast;
        usLast = false;
      }
      j++;
      continue;
    }
    if (c === SPACE || c === TAB) break;
    if (c < 128 ? c !== DASH && isAsciiPunct(c) : /[\s\p{P}]/u.test(t[j])) break;
    seen = true;
    j++;
  }
  if (!seen || usLast || usLastLast) return -1;
  return j;
}

/** End of a URI or email autolink at `p` (a `<`) before `e`, or -1. */
export function autolinkEnd(t: string, p: number, e: number): number {
  let i = p + 1;
  // URI: scheme (2-32 chars) `:` then no space, `<` or `>`.
  if (i < e && isAsciiAlpha(t.charCodeAt(i))) {
    let j = i + 1;
    while (j < e && j - i < 33) {
      const c = t.charCodeAt(j);
      if (isAsciiAlnum(c) || c === PLUS || c === DOT || c === DASH) j++;
      else break;
    }
    if (j < e && t.charCodeAt(j) === COLON && j - i >= 2 && j - i <= 32) {
      j++;
      while (j < e) {
        const c = t.charCodeAt(j);
        if (c === GT) return j + 1;
        if (c <= SPACE || c === LT || c === 127) break;
        j++;
      }
    }
  }
  // Email.
  i = p + 1;
  let j = i;
  while (j < e) {
    const c = t.charCodeAt(j);
    if (isAsciiAlnum(c) || (c < 128 && EMAIL_PUNCT.indexOf(String.fromCharCode(c)) !== -1)) j++;
    else break;
  }
  if (j === i || j >= e || t.charCodeAt(j) !== 64 /* @ */) return -1;
  j++;
  // Domain labels: alnum, inner hyphens, up to 63 chars, separated by dots.
  for (;;) {
    const ls = j;
    while (j < e && (isAsciiAlnum(t.charCodeAt(j)) || t.charCodeAt(j) === DASH) && j - ls < 63) j++;
    if (j === ls || t.charCodeAt(ls) === DASH || t.charCodeAt(j - 1) === DASH) return -1;
    if (j < e && t.charCodeAt(j) === DOT) {
      j++;
      continue;
    }
    break;
  }
  return j < e && t.charCodeAt(j) === GT ? j + 1 : -1;
}
