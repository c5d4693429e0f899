import type { LineIndex } from '../text';
import type { Callout, Collapsible, Heading } from '../types';
import { own } from './compact';

/*
 * Obsidian callouts: a block quote whose first line is `[!type]`, an optional fold marker
 * (`+` or `-`) and an optional title (`> [!todo]- Entry Criteria`). Read from the lines of
 * the block quotes the body parser found in no other container (start and end line of
 * each, in order), so both parsers give the same callouts whenever they agree on the
 * block quotes. Only callouts with a title are kept: the type alone (`[!todo]`) names
 * nothing. The type is any word (Obsidian shows an unknown one as a note), in any case.
 */

/** Longest title kept. */
const MAX_TITLE = 500;

/**
 * The `>` of the quote's first line (up to three spaces before it), the space after it
 * and up to three more (four would make indented code), then `[!type]`, the fold marker
 * and the title. A `:` right after the `]` makes the line a link reference definition.
 */
const CALLOUT = /^ {0,3}>(?: {1,4}|\t)?\[!([^\]\s]+)\]([+-]?)(?!:)[ \t]*(.*)$/;

/**
 * The callouts with a title among the block quotes of a body (`quotes`: start and end line
 * of each, in document order), given its headings; undefined when there are none. A
 * heading inside a callout (`> ## Notes`) ends it, as a heading ends a collapsible
 * section; a callout whose first line is itself a heading (a setext one) is none.
 */
export function calloutsOf(
  text: string,
  lines: LineIndex,
  quotes: readonly number[],
  headings: readonly Heading[],
): Callout[] | undefined {
  if (quotes.length === 0 || text.indexOf('[!') === -1) return undefined;
  let out: Callout[] | undefined;
  let h = 0;
  for (let q = 0; q + 1 < quotes.length; q += 2) {
    const first = quotes[q];
    const ls = lines.starts[first];
    const line = text.slice(ls, lines.lineEnd(first));
    const m = line.indexOf('[!') === -1 ? null : CALLOUT.exec(line);
    if (!m) continue;
    const raw = m[3];
    const title = raw.trim();
    if (title === '') continue;
    while (h < headings.length && headings[h].line < first) h++;
    if (h < headings.length && headings[h].line === first) continue;
    const last = quotes[q + 1];
    const end = h < headings.length && headings[h].line <= last ? headings[h].line : last;
    const from = ls + line.length - raw.length + (raw.length - raw.trimStart().length);
    (out ??= []).push({
      open: first,
      end,
      text: own(title.slice(0, MAX_TITLE)),
      line: first,
      range: lines.rangeOf(from, from + title.length),
    });
  }
  return out;
}

/**
 * The sections a document's checklist items are grouped in besides its headings: its
 * collapsible sections and those of `callouts` that lie outside every one of them (a
 * callout in a `<details>`, or around one, is no section of its own), in order; undefined
 * when there are none.
 */
export function sectionsWith(
  collapsibles: readonly Collapsible[] | undefined,
  callouts: readonly Callout[] | undefined,
): (Collapsible | Callout)[] | undefined {
  if (!callouts || callouts.length === 0)
    return collapsibles && collapsibles.length > 0 ? [...collapsibles] : undefined;
  const cols = collapsibles ?? [];
  const out: (Collapsible | Callout)[] = [];
  let c = 0;
  for (const co of callouts) {
    while (c < cols.length && cols[c].end < co.open) out.push(cols[c++]);
    if (c < cols.length && cols[c].open <= co.end) continue;
    out.push(co);
  }
  while (c < cols.length) out.push(cols[c++]);
  return out.length > 0 ? out : undefined;
}
