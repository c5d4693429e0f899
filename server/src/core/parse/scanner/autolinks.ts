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

/** End of a GFM literal autolink (`https://…`, `www.…`) at `p`, or -1. */
export function literalAutolinkEnd(t: string, p: number, e: number, prev: number): number {
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
  // Domain: segments separated by dots; needs a dot, no `_` in the last two segments.
  let dot = false;
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
        dot = true;
      }
      j++;
      continue;
    }
    if (c === SPACE || c === TAB) break;
    if (c < 128 ? c !== DASH && isAsciiPunct(c) : /[\s\p{P}]/u.test(t[j])) break;
    j++;
  }
  if (!dot || usLast || usLastLast) return -1;
  // Path: to whitespace or `<`.
  while (j < e) {
    const c = t.charCodeAt(j);
    if (c === SPACE || c === TAB || c === LT) break;
    j++;
  }
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
