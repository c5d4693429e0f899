import type { LineIndex } from '../../text';
import type { BodySummary, MalformedCheckbox } from '../../types';
import { keepFixesThatMakeTasks } from '../checkbox-fixes';
import { BlockScanner } from './block';

/*
 * The fast body scanner, by responsibility:
 * - block.ts: block structure, line by line: which containers a line continues, which
 *   blocks start, which leaf takes the rest; it asks
 *   - line-cursor.ts: the position on the current line (offset, column, indentation);
 *   - containers.ts: the stack of open block quotes, list items and footnote
 *     definitions, list markers; footnotes.ts: footnote labels; labels.ts: the
 *     labels of footnotes and link references, matched alike;
 *   - paragraph.ts: the open paragraph, and what it yields when it ends (definitions,
 *     task item, inline content; a setext heading);
 *   - headings.ts (ATX headings, setext underlines), thematic-break.ts, fenced-code.ts,
 *     html-block.ts, table.ts, front-matter.ts: one kind of block each;
 * - inline.ts: wikilinks and markdown links in inline content, outside the code spans
 *   and raw HTML (inline-html.ts) that hidden-ranges.ts finds, reading past link
 *   resources and autolinks (autolinks.ts);
 * - tasks.ts: task items and malformed checkboxes of an ended paragraph;
 * - link-destination.ts: link destinations and titles (links and definitions), a
 *   resource over lines too;
 * - chars.ts, search.ts: what they share.
 */

export { headingText } from './headings';

/** Scans a document body. Linear in the length of the text. */
export function scanBody(text: string, lines: LineIndex): BodySummary {
  const body = new BlockScanner(text, lines).run();
  body.malformed = keepFixesThatMakeTasks(text, lines, body.malformed, (fixed, fixedLines) =>
    new BlockScanner(fixed, fixedLines).run().tasks.map((t) => t.line),
  );
  return body;
}

/** The malformed checkboxes the scanner finds before their fixes are checked (see `scanBody`). */
export function scanMalformed(text: string, lines: LineIndex): MalformedCheckbox[] {
  return new BlockScanner(text, lines).run().malformed;
}
