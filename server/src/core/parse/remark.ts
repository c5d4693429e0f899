import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { type Processor, unified } from 'unified';
import { LineIndex } from '../text';
import type { BodySummary, Heading, TaskItem, WikiLink } from '../types';
import { markdownLink, scanDestination } from './mdlink';
import { headingText } from './scanner';
import { autolinkEnd } from './scanner/autolinks';
import { InlineHtml } from './scanner/inline-html';
import { ForwardSearch } from './scanner/search';
import { startsNotApplicable } from './scanner/tasks';
import { scanWikiLinks } from './wikilink';

/** The few mdast fields read here. */
interface MdNode {
  type: string;
  depth?: number;
  checked?: boolean | null;
  children?: MdNode[];
  position?: { start: { offset?: number; line: number }; end: { offset?: number } };
}

/**
 * Where the block quote prefixes (`>` and the white space after it) of the text parsed
 * last end, in order: a task item's continuation lines start after them (`taskOf`).
 */
let quotePrefixEnds: number[] = [];

/** A plugin recording `quotePrefixEnds` from micromark's tokens as remark reads them. */
function recordQuotePrefixes(this: Processor): void {
  const data = this.data() as { fromMarkdownExtensions?: unknown[] };
  const list = (data.fromMarkdownExtensions ??= []);
  list.push({
    exit: {
      blockQuotePrefix(token: { end: { offset: number } }) {
        quotePrefixEnds.push(token.end.offset);
      },
    },
  });
}

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter).use(recordQuotePrefixes);

function startOf(n: MdNode): number {
  return n.position?.start.offset ?? 0;
}

function endOf(n: MdNode): number {
  return n.position?.end.offset ?? 0;
}

/**
 * Reference body parser: CommonMark + GFM through remark. Slow and recursive (it throws on
 * extremely deep nesting; callers decide what to do); the fast scanner must agree with it.
 * Reports no malformed checkboxes (`parseDocument` adds them).
 */
/**
 * The text with a first line `---` that no later `---` closes written as spaces: such a
 * line is a thematic break, nothing more, yet remark-frontmatter, having tried front
 * matter there and failed, reads the rest of the document without lists, block quotes
 * or footnote definitions (micromark-extension-frontmatter's open issue #5), where
 * GitHub and CommonMark read them. Offsets stay the same.
 */
function unfencedStart(text: string): string {
  const m = /^---[ \t]*(?:\r\n|\n|\r|$)/.exec(text);
  if (!m || /(?:\r\n|\n|\r)---[ \t]*(?:\r\n|\n|\r|$)/.test(text.slice(m[0].length - 1))) return text;
  return `   ${text.slice(3)}`;
}

export function parseBodyRemark(text: string): BodySummary {
  const lines = new LineIndex(text);
  quotePrefixEnds = [];
  const tree = processor.parse(unfencedStart(text)) as MdNode;
  const prefixEnds = quotePrefixEnds;
  quotePrefixEnds = [];
  const headings: Heading[] = [];
  const tasks: TaskItem[] = [];
  const links: WikiLink[] = [];
  const plain: number[] = [];
  const html: number[] = [];
  const quotes: number[] = [];
  for (const node of tree.children ?? [])
    if (node.type === 'blockquote')
      quotes.push(lines.lineOf(startOf(node)), lines.lineOf(Math.max(startOf(node), endOf(node) - 1)));

  // Iterative walk in document order, tracking the list-item depth of each node.
  const stack: [MdNode, number][] = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    switch (node.type) {
      case 'heading': {
        const kids = node.children ?? [];
        const { from, to } =
          kids.length === 0
            ? emptyHeadingAt(text, startOf(node))
            : kids.every((k) => k.position)
              ? { from: startOf(kids[0]), to: endOf(kids[kids.length - 1]) }
              : headingContent(text, lines, node);
        headings.push({
          level: node.depth ?? 1,
          text: headingText(text, from, to),
          // The line of the text (a setext heading's node may start at a definition before it).
          line: lines.lineOf(kids.length > 0 ? from : startOf(node)),
          range: lines.rangeOf(from, to),
        });
        // From the text: a setext heading's node may start at a definition before it.
        scanInline(text, node, lines, links, from);
        continue;
      }
      case 'paragraph':
      case 'tableCell':
        scanInline(text, node, lines, links);
        continue;
      case 'listItem': {
        // micromark also reads a box split by a line break (`- [` then `] text`) as a
        // check box; GitHub shows none, and the scanner reads none: no task here either.
        const task =
          typeof node.checked === 'boolean' ? taskOf(text, lines, node, depth, prefixEnds) : undefined;
        if (task) tasks.push(task);
        else if (depth === 0 && node.children?.[0]?.type === 'paragraph') {
          const at = startOf(node.children[0]);
          if (!startsNotApplicable(text, at, lines.lineEnd(lines.lineOf(at))))
            plain.push(lines.lineOf(startOf(node)));
        }
        break;
      }
      case 'html':
        // Inline HTML is inside paragraphs, headings and cells, never walked: a block.
        html.push(lines.lineOf(startOf(node)), lines.lineOf(Math.max(startOf(node), endOf(node) - 1)));
        continue;
      case 'definition': {
        const link = definitionLink(text, lines, node);
        if (link) links.push(link);
        continue;
      }
    }
    const kids = node.children;
    if (!kids) continue;
    const childDepth = node.type === 'listItem' ? depth + 1 : depth;
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], childDepth]);
  }
  links.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { headings, links, tasks, malformed: [], plain, html, quotes };
}

/**
 * Where a heading's text lies, read from its source lines: remark-gfm's literal autolinks
 * can leave a heading's inline nodes without positions (`[http://e.` split into three).
 */
/** An empty ATX heading (`#`, `## ##`): the empty point after its opening `#` run and the white space after it, as the scanner has it. */
function emptyHeadingAt(text: string, start: number): { from: number; to: number } {
  let p = start;
  while (text.charCodeAt(p) === 35) p++;
  while (text[p] === ' ' || text[p] === '\t') p++;
  return { from: p, to: p };
}

function headingContent(text: string, lines: LineIndex, node: MdNode): { from: number; to: number } {
  const start = startOf(node);
  const first = lines.lineOf(start);
  const last = lines.lineOf(Math.max(start, endOf(node) - 1));
  let from = start;
  while (text[from] === ' ' || text[from] === '\t') from++;
  if (last > first && /^[ \t>]*(=+|-+)[ \t]*$/.test(text.slice(lines.starts[last], lines.lineEnd(last)))) {
    // setext: the lines above the underline, after the link reference definitions the
    // node may start with, without trailing white space
    let line = first;
    while (
      line < last - 1 &&
      /^[ \t>]*\[[^\]\r\n]+\]:[ \t]*\S/.test(text.slice(lines.starts[line], lines.lineEnd(line)))
    )
      line++;
    if (line > first) {
      from = lines.starts[line];
      while (text[from] === ' ' || text[from] === '\t') from++;
    }
    let to = lines.lineEnd(last - 1);
    while (to > from && (text[to - 1] === ' ' || text[to - 1] === '\t')) to--;
    return { from, to };
  }
  const open = /^#{1,6}(?:[ \t]+|$)/.exec(text.slice(from, lines.lineEnd(first)));
  if (open) from += open[0].length;
  let to = lines.lineEnd(first);
  const close = /(?:^|[ \t]+)#+[ \t]*$/.exec(text.slice(from, to));
  if (close) to = from + close.index;
  return { from, to: Math.max(from, to) };
}

function taskOf(
  text: string,
  lines: LineIndex,
  item: MdNode,
  depth: number,
  quotes: readonly number[],
): TaskItem | undefined {
  const marker = startOf(item);
  // remark moves the paragraph start past the box (and some whitespace after it), unless
  // nothing followed the box in its text node: find the box before the shifted start.
  const para = item.children?.find((c) => c.type === 'paragraph');
  const p = para ? startOf(para) : marker;
  let box = p;
  const q = text.lastIndexOf('[', p - 1);
  if (q >= marker && isBox(text, q) && /^[ \t\r\n>]*$/.test(text.slice(q + 3, p))) box = q;
  // A box split by a line break: `[` ends its line (found before the paragraph's start,
  // or at it when nothing followed the box).
  const split = (i: number) => i >= marker && /^\[(\r\n|\r|\n)/.test(text.slice(i, i + 3));
  if (box === p && (split(p) || split(q))) return undefined;
  const line = lines.lineOf(box);
  const lineEnd = lines.lineEnd(line);
  return {
    line: lines.lineOf(marker),
    checked: item.checked === true,
    text: paragraphText(text, lines, box + 3, para ? endOf(para) : lineEnd, quotes),
    checkboxRange: lines.rangeOf(box, box + 3),
    range: lines.rangeOf(marker, lineEnd),
    depth,
  };
}

/**
 * A task item's text: its paragraph's source from `from` (after the box) to `to`, its
 * lines joined with a space, each without the white space around it, and a continuation
 * line read from after its block quote prefixes (`quotes`, their ends in order) and the
 * indentation that follows (list items' and the paragraph's own).
 */
function paragraphText(
  text: string,
  lines: LineIndex,
  from: number,
  to: number,
  quotes: readonly number[],
): string {
  const first = lines.lineOf(from);
  const last = lines.lineOf(Math.max(from, to - 1));
  const parts: string[] = [];
  const add = (s: number, e: number) => {
    const part = text.slice(s, Math.min(e, to)).trim();
    if (part !== '') parts.push(part);
  };
  add(from, lines.lineEnd(first));
  for (let line = first + 1; line <= last; line++) {
    const start = lines.starts[line];
    const end = lines.lineEnd(line);
    // The end of the last block quote prefix on the line (the quotes it continues).
    let lo = 0;
    let hi = quotes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (quotes[mid] <= end) lo = mid + 1;
      else hi = mid;
    }
    const prefix = lo > 0 && quotes[lo - 1] >= start ? quotes[lo - 1] : start;
    add(prefix, end);
  }
  return parts.join(' ');
}

function isBox(text: string, i: number): boolean {
  return text[i] === '[' && text[i + 2] === ']' && /[ \txX]/.test(text[i + 1]);
}

/** Scans a block's source for wikilinks, leaving out code spans, autolinks and HTML inside it. */
function scanInline(
  text: string,
  node: MdNode,
  lines: LineIndex,
  out: WikiLink[],
  start = startOf(node),
): void {
  const excluded: [number, number][] = [];
  const walk: MdNode[] = [...(node.children ?? [])];
  while (walk.length > 0) {
    const n = walk.pop()!;
    if (n.type === 'inlineCode' || n.type === 'html' || isAutolink(text, n))
      excluded.push([startOf(n), endOf(n)]);
    else if (n.type === 'image') {
      // An image's alt text is a string, not nodes: its code spans and HTML are found in the source.
      const from = startOf(n);
      closingBracket(text, from + 2, endOf(n), excluded);
    } else if (n.children) walk.push(...n.children);
  }
  excluded.sort((a, b) => a[0] - b[0]);
  markdownLinks(text, node, lines, out);
  let from = start;
  for (const [s, e] of excluded) {
    if (s > from) scanWikiLinks(text, from, s, lines, 'body', out);
    if (e > from) from = e;
  }
  const end = endOf(node);
  if (end > from) scanWikiLinks(text, from, end, lines, 'body', out);
}

/**
 * An autolink (`<https://…>`, `<a@b.c>`): a link node written in angle brackets. Its
 * content is a URL, never a wikilink. (GFM's literal autolinks, written bare, are not
 * left out.)
 */
function isAutolink(text: string, n: MdNode): boolean {
  return n.type === 'link' && text.charCodeAt(startOf(n)) === 60 /* < */;
}

/** The inline markdown links and images of a block (`[t](dest)`, `![alt](dest)`). */
function markdownLinks(text: string, block: MdNode, lines: LineIndex, out: WikiLink[]): void {
  const walk: MdNode[] = [...(block.children ?? [])];
  while (walk.length > 0) {
    const n = walk.pop()!;
    if (n.type === 'link' || n.type === 'image') {
      const link = inlineLink(text, lines, n);
      if (link) out.push(link);
    }
    if (n.children) walk.push(...n.children);
  }
}

function inlineLink(text: string, lines: LineIndex, n: MdNode): WikiLink | undefined {
  const from = startOf(n);
  const to = endOf(n);
  if (text.charCodeAt(to - 1) !== 41 /* ) */) return undefined; // a reference link
  const embed = n.type === 'image';
  // A link's text ends at its `]` (its children may hold HTML with brackets); an image's
  // alt text is no node: find its `]`.
  const kids = n.children ?? [];
  const close =
    !embed && kids.length > 0
      ? endOf(kids[kids.length - 1])
      : closingBracket(text, from + (embed ? 2 : 1), to);
  if (close === -1 || text.charCodeAt(close + 1) !== 40 /* ( */) return undefined;
  let line = lines.lineOf(close);
  let i = close + 2;
  let e = lines.lineEnd(line);
  while (i < e && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i >= e && lines.lineOf(to - 1) !== line) {
    // The destination on the next line, after its container prefixes (indentation, `>`).
    line++;
    i = lines.starts[line];
    e = lines.lineEnd(line);
    while (i < e && (text[i] === ' ' || text[i] === '\t' || text[i] === '>')) i++;
  }
  const dest = scanDestination(text, i, e);
  return dest ? markdownLink(text, lines, from, to, dest, embed, 'body') : undefined;
}

/**
 * The `]` that closes a bracket opened just before `i` (escapes, code spans and nested
 * pairs skipped), or -1.
 */
function closingBracket(text: string, i: number, to: number, hidden?: [number, number][]): number {
  let depth = 0;
  for (; i < to; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '`') {
      const at = i;
      let j = i + 1;
      while (j < to && text[j] === '`') j++;
      const run = text.slice(i, j);
      let k = text.indexOf(run, j);
      // The closing run has exactly the opening's length.
      while (k !== -1 && k < to && text[k + run.length] === '`') {
        let m = k;
        while (text[m] === '`') m++;
        k = text.indexOf(run, m);
      }
      i = k !== -1 && k < to ? k + run.length - 1 : j - 1;
      if (k !== -1 && k < to) hidden?.push([at, i + 1]);
    } else if (c === '<') {
      // An autolink or raw HTML is one piece: a bracket in `<a title="]">` closes nothing.
      // Both hide what is in them (as in the scanner).
      const auto = autolinkEnd(text, i, to);
      const end = auto !== -1 ? auto : inlineHtmlEnd(text, i, to);
      if (end !== -1) {
        hidden?.push([i, end]);
        i = end - 1;
      }
    } else if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The end of raw HTML starting at `i` (a `<`) before `to`, or -1: the scanner's own recognizer. */
function inlineHtmlEnd(text: string, i: number, to: number): number {
  const end = new InlineHtml(text, new ForwardSearch(text)).tagEnd(i, 0, [i], [to], 1);
  return end !== -1 && end <= to ? end : -1;
}

/** `[ref]: dest "title"`; the destination may stand on the line after the label. */
function definitionLink(text: string, lines: LineIndex, n: MdNode): WikiLink | undefined {
  const from = startOf(n);
  // micromark's definition runs over the white space after it: the link ends before.
  let to = endOf(n);
  while (to > from && (text[to - 1] === ' ' || text[to - 1] === '\t')) to--;
  // The label ends at its first bracket not escaped (a label holds no other).
  let i = from + 1;
  while (i < to && text[i] !== ']') i += text[i] === '\\' ? 2 : 1;
  if (text[i + 1] !== ':') return undefined;
  i += 2;
  while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '\n' || text[i] === '\r') {
    // On the next line, after its container prefixes (indentation, `>` of block quotes).
    i = lines.starts[lines.lineOf(i) + 1];
    while (i < to && (text[i] === ' ' || text[i] === '\t' || text[i] === '>')) i++;
  }
  const dest = scanDestination(text, i, lines.lineEnd(lines.lineOf(i)));
  return dest ? markdownLink(text, lines, from, to, dest, false, 'body') : undefined;
}
