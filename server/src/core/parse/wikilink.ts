import type { LineIndex } from '../text';
import type { LinkSource, WikiLink } from '../types';
import { makeLink } from './compact';
import {
  BACKSLASH,
  BANG,
  RBRACKET as CLOSE,
  CR,
  HASH,
  LF,
  LBRACKET as OPEN,
  PIPE,
  SPACE,
  TAB,
} from './scanner/chars';

/** The parts of a wikilink's inner text (between `[[` and `]]`), with offsets into that text. */
export interface WikiLinkContent {
  target: string;
  targetStart: number;
  targetEnd: number;
  heading?: string;
  headingStart?: number;
  headingEnd?: number;
  alias?: string;
  aliasStart?: number;
  aliasEnd?: number;
}

function isTrimmable(c: number): boolean {
  return c === SPACE || c === TAB || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff;
}

function trimStart(s: string, from: number, to: number): number {
  while (from < to && isTrimmable(s.charCodeAt(from))) from++;
  return from;
}

function trimEnd(s: string, from: number, to: number): number {
  while (to > from && isTrimmable(s.charCodeAt(to - 1))) to--;
  return to;
}

/**
 * Splits the inner text of a wikilink into target, heading and alias.
 *
 * The alias starts after the first `|` (a `\|`, as written inside table cells, counts as the
 * separator and its backslash belongs to neither side). The heading starts after the first
 * `#` before the alias. Parts are trimmed of spaces and tabs; the returned offsets delimit
 * the trimmed parts. `heading`/`alias` are present whenever their separator is, even if empty.
 */
export function parseWikiLinkContent(inner: string): WikiLinkContent {
  return parseParts(inner, 0, inner.length);
}

function parseParts(s: string, from: number, to: number): WikiLinkContent {
  let sep = -1;
  let sepLen = 1;
  let hash = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === PIPE) {
      sep = i;
      if (i > from && s.charCodeAt(i - 1) === BACKSLASH) {
        sep = i - 1;
        sepLen = 2;
      }
      break;
    }
    if (c === HASH && hash === -1) hash = i;
  }
  const mainEnd = sep === -1 ? to : sep;
  const targetEnd0 = hash === -1 ? mainEnd : hash;
  const ts = trimStart(s, from, targetEnd0);
  const te = trimEnd(s, ts, targetEnd0);
  const result: WikiLinkContent = {
    target: s.slice(ts, te),
    targetStart: ts - from,
    targetEnd: te - from,
  };
  if (hash !== -1) {
    const hs = trimStart(s, hash + 1, mainEnd);
    const he = trimEnd(s, hs, mainEnd);
    result.heading = s.slice(hs, he);
    result.headingStart = hs - from;
    result.headingEnd = he - from;
  }
  if (sep !== -1) {
    const as = trimStart(s, sep + sepLen, to);
    const ae = trimEnd(s, as, to);
    result.alias = s.slice(as, ae);
    result.aliasStart = as - from;
    result.aliasEnd = ae - from;
  }
  return result;
}

/**
 * Whether the character before `i` is escaped in the markdown sense: preceded by an odd
 * run of backslashes (within `text[start, i)`).
 */
function escapedAt(text: string, start: number, i: number): boolean {
  let b = i;
  while (b > start && text.charCodeAt(b - 1) === BACKSLASH) b--;
  return (i - b) % 2 === 1;
}

/**
 * Finds wikilinks in `text[start, end)` and appends them to `out` in order.
 *
 * A wikilink is `[[…]]` (or `![[…]]`, an embed) on one line whose inner text holds no `[`
 * or `]` and names a target or a heading. In the body, a backslash escapes it as markdown
 * escapes a bracket: `\[[x]]` is text, not a link, and `\![[x]]` a link, not an embed
 * (metadata values are not markdown: a backslash there escapes nothing). Runs in linear
 * time: every character is looked at a bounded number of times, whatever the number of
 * links, unclosed `[[` or backslashes.
 */
export function scanWikiLinks(
  text: string,
  start: number,
  end: number,
  lines: LineIndex,
  source: LinkSource,
  out: WikiLink[],
  key?: string,
): void {
  let i = text.indexOf('[[', start);
  let line = -1;
  let lineStart = 0;
  let lineEndOffset = -1;
  const body = source === 'body';
  while (i !== -1 && i + 4 <= end) {
    if (body && i > start && text.charCodeAt(i - 1) === BACKSLASH && escapedAt(text, start, i)) {
      // `\[[`: the first bracket is text; the second may open a link with a third (`\[[[a]]`).
      i = text.indexOf('[[', i + 1);
      continue;
    }
    const inner = i + 2;
    let j = inner;
    let c = 0;
    while (j < end) {
      c = text.charCodeAt(j);
      if (c === OPEN || c === CLOSE || c === LF || c === CR) break;
      j++;
    }
    if (j >= end) return;
    if (c !== CLOSE || j + 1 >= end || text.charCodeAt(j + 1) !== CLOSE) {
      // Not closed on this line without brackets inside. A `[` at `j` may open the next
      // candidate, together with the `[` before it (`[[[a]]`); nothing before `j - 1` can.
      i = text.indexOf('[[', c === OPEN ? j - 1 : j + 1);
      continue;
    }
    const parts = parseParts(text, inner, j);
    // A template's placeholder (`[[FEAT-{{n}}]]`) names no document, as in markdown links.
    const placeholder = parts.target.includes('{{');
    if (!placeholder && (parts.target !== '' || (parts.heading !== undefined && parts.heading !== ''))) {
      const embed = i > start && text.charCodeAt(i - 1) === BANG && !(body && escapedAt(text, start, i - 1));
      const from = embed ? i - 1 : i;
      const to = j + 2;
      if (line === -1 || from >= lineEndOffset || from < lineStart) {
        line = lines.lineOf(from);
        lineStart = lines.starts[line];
        lineEndOffset = lines.lineEnd(line) + 1;
      }
      const base = inner - lineStart;
      const hasHeading = parts.heading !== undefined;
      const link = makeLink(
        text.slice(from, to),
        parts.target,
        embed,
        source,
        line,
        [
          from - lineStart,
          to - lineStart,
          base + parts.targetStart,
          base + parts.targetEnd,
          hasHeading ? base + parts.headingStart! : -1,
          hasHeading ? base + parts.headingEnd! : -1,
        ],
        parts.heading,
        parts.alias,
      );
      if (key !== undefined) link.key = key;
      out.push(link);
    }
    i = text.indexOf('[[', j + 2);
  }
}
