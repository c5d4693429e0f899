import type { Heading } from '../../types';
import { makeHeading } from '../compact';
import { GT, HASH, isSpaceOrTab, SPACE, TAB } from './chars';
import type { InlineLinkScanner } from './inline';
import type { LineCursor } from './line-cursor';

/*
 * Headings: ATX (`## Title`) read from their line, and the underline of a setext heading
 * (`===`, `---` under a paragraph, which `Paragraph.endAsSetextHeading` turns into one).
 */

/**
 * Heading text from its source slice: lines trimmed and joined by one space; continuation
 * lines of a multi-line (setext) heading lose their container prefix (`>` and indentation).
 */
export function headingText(text: string, start: number, end: number): string {
  let s = text.slice(start, end);
  if (s.indexOf('\n') === -1 && s.indexOf('\r') === -1) return s.trim();
  const parts = s.split(/\r\n|\r|\n/);
  for (let i = 0; i < parts.length; i++) {
    let p = parts[i];
    if (i > 0) {
      let k = 0;
      while (k < p.length) {
        const c = p.charCodeAt(k);
        if (c === SPACE || c === TAB || c === GT) k++;
        else break;
      }
      p = p.slice(k);
    }
    parts[i] = p.trim();
  }
  s = parts.join(' ');
  return s;
}

/** Level (1-6) of the ATX heading opening at `nextNonspace` (a `#`), or 0 when it is none. */
export function atxHeadingLevel(text: string, cur: LineCursor): number {
  const start = cur.nextNonspace;
  const le = cur.lineEnd;
  let i = start;
  while (i < le && text.charCodeAt(i) === HASH) i++;
  const level = i - start;
  if (level > 6 || (i < le && !isSpaceOrTab(text.charCodeAt(i)))) return 0;
  return level;
}

/**
 * Adds the ATX heading of `level` at `nextNonspace` to `headings` and scans its content
 * for links. The content is trimmed, without a closing run of `#` after a space or tab.
 */
export function addAtxHeading(
  text: string,
  cur: LineCursor,
  level: number,
  headings: Heading[],
  inline: InlineLinkScanner,
): void {
  const i = cur.skipSpaces(cur.nextNonspace + level);
  let e = cur.trimEnd(i, cur.lineEnd);
  let h = e;
  while (h > i && text.charCodeAt(h - 1) === HASH) h--;
  if (h < e && (h === i || isSpaceOrTab(text.charCodeAt(h - 1)))) e = cur.trimEnd(i, h);
  const ls = cur.lineStart;
  headings.push(makeHeading(level, headingText(text, i, e), cur.lineNo, i - ls, e - ls));
  if (e > i) inline.scanSegment(i, e);
}

/** Whether the rest of the line from `nextNonspace` is a setext underline of `c` (`=` or `-`). */
export function isSetextUnderline(text: string, cur: LineCursor, c: number): boolean {
  let i = cur.nextNonspace;
  const le = cur.lineEnd;
  while (i < le && text.charCodeAt(i) === c) i++;
  return cur.skipSpaces(i) === le;
}
