import { LineIndex } from '../text';
import type { MalformedCheckbox } from '../types';

/**
 * The malformed checkboxes whose fix makes a task item of their line, as `taskLines` (the
 * body parser in use) reads the text with every fix applied. The detector already applies
 * the list rules that depend on the lines before a box (a list item that may not
 * interrupt a paragraph); this catches what depends on the lines after it (a setext
 * underline turning the fixed item's text into a heading). A box with nothing after it on
 * its line makes no task by itself and is kept as found. One extra parse, only for
 * documents that have such boxes.
 */
export function keepFixesThatMakeTasks(
  text: string,
  lines: LineIndex,
  found: MalformedCheckbox[],
  taskLines: (fixed: string, fixedLines: LineIndex) => Iterable<number>,
): MalformedCheckbox[] {
  if (found.length === 0) return found;
  let fixed = '';
  let from = 0;
  for (const m of [...found].sort((a, b) => a.line - b.line)) {
    const s = lines.offsetAt(m.range.start);
    fixed += text.slice(from, s) + m.replacement;
    from = lines.offsetAt(m.range.end);
  }
  fixed += text.slice(from);
  // The fixes stay within their lines: line numbers are those of the text.
  const tasks = new Set(taskLines(fixed, new LineIndex(fixed)));
  return found.filter((m) => {
    if (tasks.has(m.line)) return true;
    const end = lines.offsetAt(m.range.end);
    return text.slice(end, lines.lineEnd(m.line)).trim() === '';
  });
}
