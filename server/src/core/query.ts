import { comparePositions, rangeContains } from './text';
import type { Heading, ParsedDocument, Position, TaskItem, Title, WikiLink } from './types';

/** The link under the cursor (brackets included). */
export function linkAt(doc: ParsedDocument, pos: Position): WikiLink | undefined {
  for (const l of doc.links) {
    if (l.range.start.line > pos.line) break;
    if (rangeContains(l.range, pos)) return l;
  }
  return undefined;
}

/** The heading whose line holds the cursor. */
export function headingAt(doc: ParsedDocument, pos: Position): Heading | undefined {
  return doc.headings.find((h) => h.line === pos.line);
}

/** The title (first-level heading) when the cursor is on it. */
export function titleAt(doc: ParsedDocument, pos: Position): Title | undefined {
  return doc.title && doc.title.line === pos.line ? doc.title : undefined;
}

/** The task item that starts on a line. */
export function taskOnLine(doc: ParsedDocument, line: number): TaskItem | undefined {
  let lo = 0;
  let hi = doc.tasks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = doc.tasks[mid];
    if (t.line === line) return t;
    if (t.line < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export function rangesOverlap(
  a: { start: Position; end: Position },
  b: { start: Position; end: Position },
): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}
