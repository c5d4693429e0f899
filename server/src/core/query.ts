// (footnote and link reference labels match alike, as CommonMark matches labels)
import { labelKey } from './parse/scanner/labels';
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

/**
 * The reference definition (`[label]: path.md`, a link of the document) that a
 * reference-style link on `lineText` uses at `character`: `[text][label]`, `[label][]`
 * or `[label]` alone. Labels match as CommonMark matches them: letter case and runs of
 * white space ignored; the first definition of a label counts. With it, the columns the
 * reference-style link takes. Undefined when the position is on no such link (or inside a
 * code span), or no definition has its label.
 */
export function referenceUsageAt(
  doc: ParsedDocument,
  lineText: string,
  character: number,
): { definition: WikiLink; start: number; end: number } | undefined {
  const spans = bracketSpans(lineText);
  for (let i = 0; i < spans.length; i++) {
    const a = spans[i];
    const b = spans[i + 1];
    const full = b !== undefined && b.start === a.end;
    const end = full ? b.end : a.end;
    if (character < a.start || character > end) continue;
    const next = lineText[a.end];
    // `[t](…)` is an inline link, `[x]:` a definition: neither uses one.
    if (!full && (next === '(' || next === ':')) return undefined;
    const label =
      full && b.end - b.start > 2
        ? lineText.slice(b.start + 1, b.end - 1)
        : lineText.slice(a.start + 1, a.end - 1);
    const definition = referenceDefinition(doc, label);
    return definition && { definition, start: a.start, end };
  }
  return undefined;
}

/**
 * Whether line `line` of `lines` is inside a fenced code block (```` ``` ````, `~~~`) or an
 * HTML comment, read from the top as CommonMark opens and closes them (containers such
 * as lists and quotes taken by their markers); indented code is not told apart.
 */
export function inCodeOrComment(lines: readonly string[], line: number): boolean {
  let fence: { ch: string; len: number } | undefined;
  let comment = false;
  for (let l = 0; l <= line && l < lines.length; l++) {
    const t = lines[l].replace(/^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]))*[ \t]*/, '');
    if (comment) {
      if (l === line) return true;
      if (t.includes('-->')) comment = false;
      continue;
    }
    if (fence) {
      const close = /^(`{3,}|~{3,})[ \t]*$/.exec(t);
      if (close && close[1][0] === fence.ch && close[1].length >= fence.len) {
        fence = undefined;
        if (l === line) return true;
      } else if (l === line) return true;
      continue;
    }
    const open = /^(`{3,}|~{3,})/.exec(t);
    if (open && !(open[1][0] === '`' && t.slice(open[1].length).includes('`'))) {
      fence = { ch: open[1][0], len: open[1].length };
      if (l === line) return true;
      continue;
    }
    if (t.startsWith('<!--')) {
      const closed = t.indexOf('-->', 4) !== -1;
      if (l === line) return true;
      comment = !closed;
    }
  }
  return false;
}

function referenceDefinition(doc: ParsedDocument, label: string): WikiLink | undefined {
  const key = labelKey(label);
  if (key === '') return undefined;
  for (const l of doc.links) {
    if (l.syntax !== 'markdown' || l.source !== 'body') continue;
    const m = /^ {0,3}\[((?:[^\]\\]|\\.)+)\]:/.exec(l.raw);
    if (m && labelKey(m[1]) === key) return l;
  }
  return undefined;
}

/**
 * The `[…]` spans of a line whose text holds no unescaped bracket (`[a]`, not `[a [b]]`'s
 * outer one), outside code spans, with `end` just past the `]`.
 */
function bracketSpans(line: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let open = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      // A code span: the same run of backticks closes it; unclosed, the run is text.
      let run = 1;
      while (line[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      let close = line.indexOf(fence, i + run);
      while (close !== -1 && line[close + run] === '`') {
        let k = close;
        while (line[k] === '`') k++;
        close = line.indexOf(fence, k);
      }
      if (close === -1) i += run - 1;
      else {
        i = close + run - 1;
        open = -1;
      }
      continue;
    }
    if (c === '[') open = i;
    else if (c === ']' && open !== -1) {
      out.push({ start: open, end: i + 1 });
      open = -1;
    }
  }
  return out;
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
