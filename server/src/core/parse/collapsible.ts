import type { LineIndex } from '../text';
import type { Collapsible, Heading, Range } from '../types';
import { own } from './compact';

/*
 * Collapsible sections: `<details>` … `</details>` written as HTML blocks, with the
 * `<summary>` text GitHub shows as their title. Read from the lines of the HTML blocks
 * the body parser found (start and end line of each, in order), so both parsers give the
 * same sections whenever they agree on the HTML blocks. A section runs from its
 * `<details>` line to its `</details>` line, or to the next heading when that comes first
 * (a heading ends every section, as it ends the section of a heading above it), or to the
 * end of the document. A `<details>` inside an open one is part of it.
 */

/** Longest tag read (its name and attributes); a longer one is no tag. */
const MAX_TAG = 500;
/** Longest summary text kept. */
const MAX_SUMMARY = 500;

const TAG = new RegExp(`<(/?)(details|summary)(?=[\\s/>])[^<>]{0,${MAX_TAG}}>`, 'gi');
const ANY_TAG = new RegExp(`<[^<>]{0,${MAX_TAG}}>`, 'g');

/** What GitHub shows for a `<details>` without a summary. */
export const DEFAULT_SUMMARY = 'Details';

/**
 * The collapsible sections of a body, given its HTML blocks (`html`: start and end line
 * of each, in document order) and its headings; undefined when there are none.
 */
export function collapsiblesOf(
  text: string,
  lines: LineIndex,
  html: readonly number[],
  headings: readonly Heading[],
): Collapsible[] | undefined {
  if (html.length === 0 || !/<details/i.test(text)) return undefined;
  let out: Collapsible[] | undefined;
  let open:
    | { line: number; range: Range; summary?: { text: string; line: number; range: Range } }
    | undefined;
  let depth = 0;
  let h = 0;
  /**
   * Text of a summary being read across lines, from its start tag; where its text starts
   * (-1 until a line holds some) and where it ends on that line.
   */
  let reading: { parts: string[]; line: number; from: number; to: number } | undefined;
  const close = (end: number) => {
    if (!open) return;
    const s = open.summary;
    (out ??= []).push({
      open: open.line,
      end,
      line: s ? s.line : open.line,
      text: own(s ? s.text : DEFAULT_SUMMARY),
      range: s ? s.range : open.range,
    });
    open = undefined;
    depth = 0;
    reading = undefined;
  };
  /** Ends the open section at a heading before `line`, if one comes first. */
  const headingBefore = (line: number) => {
    while (h < headings.length && headings[h].line < line) {
      if (open && headings[h].line > open.line) close(headings[h].line);
      h++;
    }
  };
  for (let b = 0; b + 1 < html.length; b += 2) {
    const first = html[b];
    const last = html[b + 1];
    headingBefore(first);
    reading = undefined;
    for (let line = first; line <= last; line++) {
      const ls = lines.starts[line];
      const le = lines.lineEnd(line);
      const s = text.slice(ls, le);
      if (s.indexOf('<') === -1 && !reading) continue;
      let at = 0;
      TAG.lastIndex = 0;
      for (let m = TAG.exec(s); ; m = TAG.exec(s)) {
        const upTo = m ? m.index : s.length;
        if (reading) {
          const part = s.slice(at, upTo);
          reading.parts.push(part);
          if (reading.line === -1 && part.trim() !== '') {
            reading.line = line;
            reading.from = ls + at + (part.length - part.trimStart().length);
            reading.to = ls + at + part.trimEnd().length;
          }
        }
        if (!m) break;
        at = m.index + m[0].length;
        const closing = m[1] === '/';
        const details = m[2].toLowerCase() === 'details';
        if (details && !closing) {
          if (depth === 0) open = { line, range: lines.rangeOf(ls + m.index, ls + at) };
          depth++;
        } else if (details) {
          if (depth === 1) close(line);
          else if (depth > 1) depth--;
        } else if (!closing && depth === 1 && open && !open.summary && !reading) {
          reading = { parts: [], line: -1, from: -1, to: -1 };
        } else if (closing && reading && open) {
          // Its range: the text on its first line with text (the tag, when it has none).
          const empty = reading.line === -1;
          open.summary = {
            text: summaryText(reading.parts.join(' ')),
            line: empty ? line : reading.line,
            range: empty ? lines.rangeOf(ls + m.index, ls + at) : lines.rangeOf(reading.from, reading.to),
          };
          reading = undefined;
        }
      }
    }
    // A summary is read within one HTML block.
    if (reading && open) reading = undefined;
  }
  if (open) {
    headingBefore(Number.POSITIVE_INFINITY);
    if (open) close(lines.lineCount);
  }
  return out;
}

/** The text of a summary: without its tags and with white space as one space. */
function summaryText(inner: string): string {
  const t = inner.replace(ANY_TAG, '').replace(/\s+/g, ' ').trim().slice(0, MAX_SUMMARY);
  return t === '' ? DEFAULT_SUMMARY : t;
}

/** A section below a heading: a collapsible section or a callout (`sectionsWith`). */
export interface Section {
  open: number;
  end: number;
}

/**
 * The section each of `lines` (ascending) lies in: -1 before the first heading, `i` under
 * heading `i` (outside its collapsible sections), `headings.length + c` inside
 * collapsible section (or callout) `c`. After a section's `</details>` (a callout's last
 * line) the heading above it goes on.
 */
export function sectionsOf(
  headings: readonly { line: number }[],
  collapsibles: readonly Section[],
  lines: readonly number[],
): number[] {
  // Where each section starts: headings, collapsible sections, and the heading above a
  // section again after its end (when its end is not a heading).
  const events: { line: number; id: number }[] = [];
  let hi = 0;
  let enclosing = -1;
  const H = headings.length;
  for (let c = 0; c < collapsibles.length; c++) {
    const col = collapsibles[c];
    while (hi < H && headings[hi].line < col.open) {
      events.push({ line: headings[hi].line, id: hi });
      enclosing = hi++;
    }
    events.push({ line: col.open, id: H + c });
    const nextHeading = hi < H ? headings[hi].line : Number.POSITIVE_INFINITY;
    if (col.end < nextHeading) events.push({ line: col.end, id: enclosing });
  }
  while (hi < H) events.push({ line: headings[hi].line, id: hi++ });
  const out: number[] = [];
  let cur = -1;
  let e = 0;
  for (const line of lines) {
    while (e < events.length && events[e].line < line) cur = events[e++].id;
    out.push(cur);
  }
  return out;
}
