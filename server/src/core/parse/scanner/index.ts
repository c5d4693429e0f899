import type { LineIndex } from '../../text';
import type { BodySummary, MalformedCheckbox } from '../../types';
import { keepFixesThatMakeTasks } from '../checkbox-fixes';
import { BlockScanner } from './block';

/*
 * The fast body scanner, by responsibility:
 * - block.ts: block structure (containers, leaves, paragraphs, tables, HTML blocks),
 *   line by line; hands inline content and ended paragraphs to
 * - inline.ts: wikilinks in inline content outside code spans, raw HTML and autolinks;
 * - tasks.ts: task items and malformed checkboxes of a paragraph;
 * - link-destination.ts: link destinations and titles (links and definitions);
 * - chars.ts, search.ts, containers.ts: what they share.
 */

export { headingText } from './block';

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
