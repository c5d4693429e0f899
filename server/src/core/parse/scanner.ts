import type { LineIndex } from '../text';
import type { BodySummary, Heading, MalformedCheckbox, MalformedKind, TaskItem, WikiLink } from '../types';
import { keepFixesThatMakeTasks } from './checkbox-fixes';
import { makeHeading, makeTask } from './compact';
import { scanWikiLinks } from './wikilink';

/*
 * Fast body scanner: a line-based CommonMark + GFM block parser that keeps no tree.
 *
 * Open containers (block quotes, list items) live in a flat stack and at most one leaf
 * block (paragraph, fenced or indented code, HTML block, table) is open at a time, so
 * nesting depth costs no recursion. Inline content (paragraphs, headings, table cells) is
 * only searched for code spans, raw HTML and autolinks, which hide wikilinks.
 *
 * It follows the block rules of micromark (the parser behind remark), including its few
 * departures from the reference CommonMark implementation (e.g. an open indented code
 * block keeps an empty list item or an ordered item not starting at 1 from starting).
 */

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const LPAREN = 40;
const STAR = 42;
const PLUS = 43;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const LT = 60;
const EQ = 61;
const GT = 62;
const QUESTION = 63;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const UNDERSCORE = 95;
const BACKTICK = 96;
const PIPE = 124;
const TILDE = 126;
const RPAREN = 41;

const BQ = 1;
const ITEM = 2;

interface Container {
  type: number;
  /** List item: columns of content indentation (marker offset + padding). */
  contentIndent: number;
  /** List item: whether anything was added to it yet. */
  hasChild: boolean;
  /** List item: offset of the marker. */
  markerStart: number;
  markerEnd: number;
  markerLine: number;
  /** List item: number of list items enclosing it. */
  depth: number;
}

const L_NONE = 0;
const L_PARA = 1;
const L_FENCE = 2;
const L_ICODE = 3;
const L_HTML = 4;
const L_TABLE = 5;

function isSpaceOrTab(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiAlnum(c: number): boolean {
  return isAsciiAlpha(c) || isDigit(c);
}

function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

const HTML_BLOCK_NAMES = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir ' +
    'div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html ' +
    'iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary ' +
    'table tbody td tfoot th thead title tr track ul'
  ).split(' '),
);
const TRAIL = '!"\')*,.:;?_~';
const EMAIL_PUNCT = ".!#$%&'*+/=?^_`{|}~-";
const HTML_RAW_NAMES = new Set(['pre', 'script', 'style', 'textarea']);

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

/** Scans a document body; see the file comment. Linear in the length of the text. */
export function scanBody(text: string, lines: LineIndex): BodySummary {
  const body = new Scanner(text, lines).run();
  body.malformed = keepFixesThatMakeTasks(text, lines, body.malformed, (fixed, fixedLines) =>
    new Scanner(fixed, fixedLines).run().tasks.map((t) => t.line),
  );
  return body;
}

/** The malformed checkboxes the scanner finds before their fixes are checked (see `scanBody`). */
export function scanMalformed(text: string, lines: LineIndex): MalformedCheckbox[] {
  return new Scanner(text, lines).run().malformed;
}

class Scanner {
  readonly headings: Heading[] = [];
  readonly links: WikiLink[] = [];
  readonly tasks: TaskItem[] = [];
  readonly malformed: MalformedCheckbox[] = [];

  private readonly stack: Container[] = [];

  // Current line.
  private lineNo = 0;
  private ls = 0;
  private le = 0;
  private offset = 0;
  private column = 0;
  private partialTab = false;
  private nextNonspace = 0;
  private nextNonspaceColumn = 0;
  private indent = 0;
  private blank = false;

  // Open leaf.
  private leaf = L_NONE;
  /** Number of containers the leaf lives in. */
  private leafDepth = 0;
  private fenceChar = 0;
  private fenceLen = 0;
  private htmlType = 0;
  private icodeLazy = false;

  // Open paragraph.
  private readonly pStart: number[] = [];
  private readonly pEnd: number[] = [];
  private readonly pLine: number[] = [];
  private pCount = 0;
  private pTaskItem: Container | null = null;
  private pLastLazy = false;
  private pLastIndent = 0;
  /** Per paragraph line: whether a list item starting on it would interrupt (micromark's rules). */
  private readonly pInterrupting: boolean[] = [];
  /** Per paragraph line: its indentation in columns past the containers it continues. */
  private readonly pIndent: number[] = [];
  /** Whether a list item starting on the current line interrupts an open block. */
  private lineInterrupting = false;

  // Inline scanning state (per block).
  private readonly excl: number[] = [];
  private noCommentEnd = false;
  private noPiEnd = false;
  private noCdataEnd = false;
  private noDeclEnd = false;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  run(): BodySummary {
    const starts = this.lines.starts;
    const t = this.text;
    const count = starts.length;
    let first = this.frontmatterEnd();
    for (; first < count; first++) {
      this.lineNo = first;
      this.ls = starts[first];
      let le = first + 1 < count ? starts[first + 1] : t.length;
      if (le > this.ls && t.charCodeAt(le - 1) === LF) le--;
      if (le > this.ls && t.charCodeAt(le - 1) === CR) le--;
      this.le = le;
      this.processLine();
    }
    this.closeLeaf();
    return { headings: this.headings, links: this.links, tasks: this.tasks, malformed: this.malformed };
  }

  /** First line after a YAML front matter block at the very start, or 0. */
  private frontmatterEnd(): number {
    const lines = this.lines;
    if (!this.isFenceLine(0)) return 0;
    for (let l = 1; l < lines.lineCount; l++) {
      if (this.isFenceLine(l)) return l + 1;
    }
    return 0;
  }

  private isFenceLine(line: number): boolean {
    const t = this.text;
    const s = this.lines.starts[line];
    const e = this.lines.lineEnd(line);
    if (e - s < 3 || t.charCodeAt(s) !== DASH || t.charCodeAt(s + 1) !== DASH || t.charCodeAt(s + 2) !== DASH)
      return false;
    for (let i = s + 3; i < e; i++) if (!isSpaceOrTab(t.charCodeAt(i))) return false;
    return true;
  }

  // ---- Line cursor -------------------------------------------------------------------

  /** Start of the last whitespace run searched on this line (-1: none yet). */
  private spaceRunFrom = -1;

  private findNextNonspace(): void {
    // Within one whitespace run the answer is the same: deeply nested containers would
    // otherwise rescan the run once per container (quadratic in the nesting depth).
    if (this.spaceRunFrom !== -1 && this.spaceRunFrom <= this.offset && this.offset <= this.nextNonspace) {
      this.indent = this.nextNonspaceColumn - this.column;
      return;
    }
    this.spaceRunFrom = this.offset;
    const t = this.text;
    let i = this.offset;
    let cols = this.column;
    const le = this.le;
    while (i < le) {
      const c = t.charCodeAt(i);
      if (c === SPACE) {
        i++;
        cols++;
      } else if (c === TAB) {
        i++;
        cols += 4 - (cols % 4);
      } else break;
    }
    this.blank = i >= le;
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = cols - this.column;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partialTab = false;
  }

  private advanceOffset(count: number, columns: boolean): void {
    const t = this.text;
    while (count > 0 && this.offset < this.le) {
      const c = t.charCodeAt(this.offset);
      if (c === TAB) {
        const toTab = 4 - (this.column % 4);
        if (columns) {
          this.partialTab = toTab > count;
          const adv = Math.min(toTab, count);
          this.column += adv;
          if (!this.partialTab) this.offset++;
          count -= adv;
        } else {
          this.partialTab = false;
          this.column += toTab;
          this.offset++;
          count--;
        }
      } else {
        this.partialTab = false;
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  private peek(i: number): number {
    return i < this.le ? this.text.charCodeAt(i) : -1;
  }

  // Next occurrence of a few needles, remembered so that repeated searches from
  // increasing offsets cost linear time in total.
  private readonly memoFrom = new Map<string, number>();
  private readonly memoAt = new Map<string, number>();

  /** `text.indexOf(needle, from)`, amortised. */
  private indexOf(needle: string, from: number): number {
    const f = this.memoFrom.get(needle);
    if (f !== undefined && f <= from) {
      const at = this.memoAt.get(needle)!;
      if (at === -1 || at >= from) return at;
    }
    const at = this.text.indexOf(needle, from);
    this.memoFrom.set(needle, from);
    this.memoAt.set(needle, at);
    return at;
  }

  // ---- Block structure ---------------------------------------------------------------

  private processLine(): void {
    const stack = this.stack;
    this.offset = this.ls;
    this.column = 0;
    this.partialTab = false;
    this.spaceRunFrom = -1;

    // 1. Which open containers does the line continue?
    let matched = 0;
    for (; matched < stack.length; matched++) {
      const c = stack[matched];
      this.findNextNonspace();
      if (c.type === BQ) {
        if (this.indent <= 3 && this.peek(this.nextNonspace) === GT) {
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
        } else break;
      } else {
        if (this.blank) {
          if (!c.hasChild) break;
          this.advanceNextNonspace();
        } else if (this.indent >= c.contentIndent) {
          this.advanceOffset(c.contentIndent, true);
        } else break;
      }
    }
    const allMatched = matched === stack.length;

    // 2. Leaves that take the line as is.
    if (allMatched && this.leaf !== L_NONE && this.leafDepth === matched) {
      if (this.leaf === L_FENCE) {
        this.findNextNonspace();
        if (this.indent <= 3 && this.isClosingFence()) this.closeLeaf();
        return;
      }
      if (this.leaf === L_HTML) {
        this.findNextNonspace();
        if (this.htmlType >= 6 && this.blank) {
          this.closeLeaf();
          return;
        }
        if (this.htmlType <= 5 && this.htmlEnds(this.offset)) this.closeLeaf();
        return;
      }
    }

    const tableLeft = !allMatched && this.leaf === L_TABLE && this.leafDepth > matched;

    // 3. New block starts.
    let containerIsPara = allMatched && this.leaf === L_PARA && this.leafDepth === matched;
    // micromark: an open paragraph or indented code block restricts which list items may start.
    const interrupting =
      allMatched &&
      (this.leaf === L_PARA || (this.leaf === L_ICODE && !this.icodeLazy)) &&
      this.leafDepth === matched;
    // (The exemption lasts over blank lines, up to the next line with content.)
    this.findNextNonspace();
    if (!this.blank) this.icodeLazy = false;
    this.lineInterrupting = interrupting;
    let opened = false;
    let depth = matched;
    for (;;) {
      this.findNextNonspace();
      const indented = this.indent >= 4;
      const c = this.peek(this.nextNonspace);
      if (!indented) {
        if (c === GT) {
          this.closeUnmatched(depth);
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
          this.openContainer(BQ, 0, 0, 0);
          depth++;
          opened = true;
          containerIsPara = false;
          continue;
        }
        if (c === HASH && this.tryAtxHeading(depth)) return;
        if ((c === BACKTICK || c === TILDE) && this.tryFence(depth)) return;
        if (c === LT) {
          if (!allMatched && !opened && this.leaf === L_PARA) {
            // micromark: on a lazy line, type 7 HTML ends the paragraph inside its containers.
            if (this.htmlStartType(this.nextNonspace, false) === 7) {
              const d = this.leafDepth;
              this.closeLeaf();
              this.leaf = L_HTML;
              this.leafDepth = d;
              this.htmlType = 7;
              return;
            }
          }
          if (this.tryHtmlBlock(depth, containerIsPara)) return;
        }
        if (containerIsPara && (c === EQ || c === DASH) && this.trySetext(c)) return;
        if ((c === STAR || c === DASH || c === UNDERSCORE) && this.isThematicBreak()) {
          this.closeUnmatched(depth);
          this.closeLeaf();
          this.markChild();
          return;
        }
        if (c === STAR || c === DASH || c === PLUS || isDigit(c)) {
          // (micromark keeps the restriction for containers opened further on the line.)
          if (this.tryListItem(depth, interrupting)) {
            depth++;
            opened = true;
            containerIsPara = false;
            continue;
          }
        }
      } else if (!this.blank && this.leaf !== L_PARA) {
        // Indented code (not inside a paragraph, even a lazy one).
        const lazy = this.stack.length > depth;
        this.closeUnmatched(depth);
        if (this.leaf !== L_ICODE || this.leafDepth !== depth) {
          this.closeLeaf();
          this.leaf = L_ICODE;
          this.leafDepth = depth;
          // micromark: code begun on a line outside the open containers does not
          // restrict list items on the line right after it.
          this.icodeLazy = lazy;
          this.markChild();
        }
        return;
      }
      break;
    }

    // 4. What is left is text.
    if (!opened && !allMatched && !this.blank && this.leaf === L_PARA) {
      // Lazy continuation.
      this.advanceNextNonspace();
      this.addParaLine(true);
      return;
    }
    this.closeUnmatched(depth);
    if (this.blank) {
      if (this.leaf === L_PARA || this.leaf === L_TABLE) this.closeLeaf();
      else if (this.leaf === L_HTML && this.htmlType >= 6) this.closeLeaf();
      return;
    }
    if (this.leaf === L_ICODE && this.leafDepth === depth && this.indent >= 4) return;
    if (this.leaf === L_PARA && this.leafDepth === depth && !opened) {
      this.advanceNextNonspace();
      if (this.tryTable()) return;
      this.addParaLine(false);
      return;
    }
    if (this.leaf === L_TABLE && this.leafDepth === depth && !opened) {
      this.advanceNextNonspace();
      this.tableRow(this.offset, this.le);
      return;
    }
    this.closeLeaf();
    this.advanceNextNonspace();
    this.leaf = L_PARA;
    this.leafDepth = depth;
    this.pCount = 0;
    const top = depth > 0 ? this.stack[depth - 1] : undefined;
    this.pTaskItem = top && top.type === ITEM && !top.hasChild ? top : null;
    this.markChild();
    this.addParaLine(false);
    // micromark reads a line that leaves a table's containers without opening one as a
    // lazy line, even when it starts a new paragraph: it cannot be a table's header row.
    if (tableLeft && !opened) this.pLastLazy = true;
  }

  /** The innermost container now has content (list items may then continue over blank lines). */
  private markChild(): void {
    const s = this.stack;
    if (s.length > 0) s[s.length - 1].hasChild = true;
  }

  private openContainer(type: number, contentIndent: number, markerStart: number, markerEnd: number): void {
    this.closeLeaf();
    this.markChild();
    let depth = 0;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (this.stack[i].type === ITEM) {
        depth = this.stack[i].depth + 1;
        break;
      }
    }
    this.stack.push({
      type,
      contentIndent,
      hasChild: false,
      markerStart,
      markerEnd,
      markerLine: this.lineNo,
      depth,
    });
  }

  /** Closes containers beyond the first `depth` (and the leaf if it lives in them). */
  private closeUnmatched(depth: number): void {
    const stack = this.stack;
    if (stack.length > depth) {
      if (this.leafDepth > depth) this.closeLeaf();
      while (stack.length > depth) stack.pop();
    }
  }

  private closeLeaf(): void {
    if (this.leaf === L_PARA) this.finishParagraph();
    this.leaf = L_NONE;
  }

  private tryAtxHeading(depth: number): boolean {
    const t = this.text;
    const start = this.nextNonspace;
    let i = start;
    const le = this.le;
    while (i < le && t.charCodeAt(i) === HASH) i++;
    const level = i - start;
    if (level > 6 || (i < le && !isSpaceOrTab(t.charCodeAt(i)))) return false;
    this.closeUnmatched(depth);
    this.closeLeaf();
    this.markChild();
    // Content: trim, then drop a closing sequence of `#` preceded by a space or tab.
    while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
    let e = le;
    while (e > i && isSpaceOrTab(t.charCodeAt(e - 1))) e--;
    let h = e;
    while (h > i && t.charCodeAt(h - 1) === HASH) h--;
    if (h < e && (h === i || isSpaceOrTab(t.charCodeAt(h - 1)))) {
      e = h;
      while (e > i && isSpaceOrTab(t.charCodeAt(e - 1))) e--;
    }
    const line = this.lineNo;
    const ls = this.ls;
    this.headings.push(makeHeading(level, headingText(t, i, e), line, i - ls, e - ls));
    if (e > i) {
      this.pStart[0] = i;
      this.pEnd[0] = e;
      this.scanInline(this.pStart, this.pEnd, 1);
    }
    return true;
  }

  private tryFence(depth: number): boolean {
    const t = this.text;
    const start = this.nextNonspace;
    const ch = t.charCodeAt(start);
    let i = start;
    const le = this.le;
    while (i < le && t.charCodeAt(i) === ch) i++;
    const len = i - start;
    if (len < 3) return false;
    if (ch === BACKTICK) {
      for (let k = i; k < le; k++) if (t.charCodeAt(k) === BACKTICK) return false;
    }
    this.closeUnmatched(depth);
    this.closeLeaf();
    this.markChild();
    this.leaf = L_FENCE;
    this.leafDepth = depth;
    this.fenceChar = ch;
    this.fenceLen = len;
    return true;
  }

  private isClosingFence(): boolean {
    const t = this.text;
    let i = this.nextNonspace;
    const le = this.le;
    const start = i;
    while (i < le && t.charCodeAt(i) === this.fenceChar) i++;
    if (i - start < this.fenceLen) return false;
    while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
    return i === le;
  }

  private tryHtmlBlock(depth: number, paragraphOpen: boolean): boolean {
    const type = this.htmlStartType(this.nextNonspace, paragraphOpen);
    if (type === 0) return false;
    this.closeUnmatched(depth);
    this.closeLeaf();
    this.markChild();
    this.leaf = L_HTML;
    this.leafDepth = depth;
    this.htmlType = type;
    if (type <= 5 && this.htmlEnds(this.nextNonspace, true)) this.leaf = L_NONE;
    return true;
  }

  /** HTML block start condition (1..7) at `p` (a `<`), or 0. */
  private htmlStartType(p: number, paragraphOpen: boolean): number {
    const t = this.text;
    const le = this.le;
    const c1 = this.peek(p + 1);
    if (c1 === BANG) {
      const c2 = this.peek(p + 2);
      if (c2 === DASH && this.peek(p + 3) === DASH) return 2;
      if (isAsciiAlpha(c2)) return 4;
      if (c2 === LBRACKET && t.startsWith('CDATA[', p + 3)) return 5;
      return 0;
    }
    if (c1 === QUESTION) return 3;
    let i = p + 1;
    const closing = c1 === SLASH;
    if (closing) i++;
    const nameStart = i;
    if (!isAsciiAlpha(this.peek(i))) return 0;
    while (i < le && (isAsciiAlnum(t.charCodeAt(i)) || t.charCodeAt(i) === DASH)) i++;
    const name = t.slice(nameStart, i).toLowerCase();
    const after = this.peek(i);
    const ends = after === -1 || isSpaceOrTab(after) || after === GT;
    if (!closing && HTML_RAW_NAMES.has(name) && ends) return 1;
    if (HTML_BLOCK_NAMES.has(name) && (ends || (after === SLASH && this.peek(i + 1) === GT))) return 6;
    if (paragraphOpen || HTML_RAW_NAMES.has(name)) return 0;
    // Type 7: a complete open or closing tag alone on its line.
    const end = closing ? this.closingTagEnd(i) : this.openTagEnd(i);
    if (end === -1) return 0;
    for (let k = end; k < le; k++) if (!isSpaceOrTab(t.charCodeAt(k))) return 0;
    return 7;
  }

  /** Single-line open tag remainder after the name at `i`; end offset or -1. */
  private openTagEnd(i: number): number {
    const t = this.text;
    const le = this.le;
    for (;;) {
      const ws = i;
      while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
      const c = this.peek(i);
      if (c === SLASH) return this.peek(i + 1) === GT ? i + 2 : -1;
      if (c === GT) return i + 1;
      if (i === ws) return -1;
      if (!(isAsciiAlpha(c) || c === UNDERSCORE || c === COLON)) return -1;
      i++;
      while (i < le) {
        const d = t.charCodeAt(i);
        if (isAsciiAlnum(d) || d === UNDERSCORE || d === DOT || d === COLON || d === DASH) i++;
        else break;
      }
      let j = i;
      while (j < le && isSpaceOrTab(t.charCodeAt(j))) j++;
      if (this.peek(j) !== EQ) continue;
      j++;
      while (j < le && isSpaceOrTab(t.charCodeAt(j))) j++;
      const q = this.peek(j);
      if (q === DQUOTE || q === SQUOTE) {
        const close = t.indexOf(q === DQUOTE ? '"' : "'", j + 1);
        if (close === -1 || close >= le) return -1;
        i = close + 1;
      } else {
        const vs = j;
        while (j < le) {
          const d = t.charCodeAt(j);
          if (
            d === SPACE ||
            d === TAB ||
            d === DQUOTE ||
            d === SQUOTE ||
            d === EQ ||
            d === LT ||
            d === GT ||
            d === BACKTICK
          )
            break;
          j++;
        }
        if (j === vs) return -1;
        i = j;
      }
    }
  }

  private closingTagEnd(i: number): number {
    const le = this.le;
    const t = this.text;
    while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
    return this.peek(i) === GT ? i + 1 : -1;
  }

  /** Whether the end condition of HTML block types 1-5 occurs on the line from `p`. */
  private htmlEnds(p: number, startLine = false): boolean {
    const t = this.text;
    const le = this.le;
    let needle: string;
    let from = p;
    switch (this.htmlType) {
      case 1: {
        for (let i = this.indexOf('</', p); i !== -1 && i < le; i = this.indexOf('</', i + 2)) {
          for (const name of HTML_RAW_NAMES) {
            if (i + 2 + name.length < le && t.charCodeAt(i + 2 + name.length) === GT) {
              if (t.slice(i + 2, i + 2 + name.length).toLowerCase() === name) return true;
            }
          }
        }
        return false;
      }
      case 2:
        needle = '-->';
        if (startLine) from = p + 2;
        break;
      case 3:
        needle = '?>';
        if (startLine) from = p + 2;
        break;
      case 4:
        needle = '>';
        break;
      default:
        needle = ']]>';
        if (startLine) from = p + 9;
        break;
    }
    const k = this.indexOf(needle, from);
    return k !== -1 && k + needle.length <= le;
  }

  private trySetext(c: number): boolean {
    const t = this.text;
    let i = this.nextNonspace;
    const le = this.le;
    while (i < le && t.charCodeAt(i) === c) i++;
    while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
    if (i !== le) return false;
    // Link reference definitions at the start of the paragraph are not heading text.
    const firstSeg = this.skipDefinitions();
    if (firstSeg >= this.pCount) return false;
    const start = this.pStart[firstSeg];
    let end = this.pEnd[this.pCount - 1];
    while (end > start && isSpaceOrTab(t.charCodeAt(end - 1))) end--;
    this.headings.push({
      level: c === EQ ? 1 : 2,
      text: headingText(t, start, end),
      line: this.pLine[firstSeg],
      range: this.lines.rangeOf(start, end),
    });
    this.scanInline(this.pStart, this.pEnd, this.pCount, firstSeg);
    this.leaf = L_NONE;
    return true;
  }

  private isThematicBreak(): boolean {
    const t = this.text;
    const ch = t.charCodeAt(this.nextNonspace);
    let n = 0;
    for (let i = this.nextNonspace; i < this.le; i++) {
      const c = t.charCodeAt(i);
      if (c === ch) n++;
      else if (!isSpaceOrTab(c)) return false;
    }
    return n >= 3;
  }

  private tryListItem(depth: number, interrupting: boolean): boolean {
    const t = this.text;
    const start = this.nextNonspace;
    const le = this.le;
    let i = start;
    const c = t.charCodeAt(i);
    let ordered = false;
    if (c === STAR || c === DASH || c === PLUS) {
      i++;
    } else {
      while (i < le && isDigit(t.charCodeAt(i)) && i - start < 10) i++;
      const digits = i - start;
      const d = this.peek(i);
      if (digits > 9 || (d !== DOT && d !== RPAREN)) return false;
      if (interrupting && (digits !== 1 || c !== 49)) return false;
      ordered = true;
      i++;
    }
    const next = this.peek(i);
    if (next !== -1 && !isSpaceOrTab(next)) return false;
    if (interrupting) {
      let k = i;
      while (k < le && isSpaceOrTab(t.charCodeAt(k))) k++;
      if (k === le) return false;
    }
    void ordered;
    const markerOffset = this.indent;
    this.closeUnmatched(depth);
    this.advanceNextNonspace();
    this.advanceOffset(i - start, true);
    const spacesStartCol = this.column;
    const spacesStartOffset = this.offset;
    const spacesStartPartial = this.partialTab;
    let nc: number;
    do {
      this.advanceOffset(1, true);
      nc = this.peek(this.offset);
    } while (this.column - spacesStartCol < 5 && isSpaceOrTab(nc));
    const blankItem = this.offset >= le;
    const spaces = this.column - spacesStartCol;
    let padding: number;
    if (spaces >= 5 || spaces < 1 || blankItem) {
      padding = i - start + 1;
      this.column = spacesStartCol;
      this.offset = spacesStartOffset;
      this.partialTab = spacesStartPartial;
      if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
    } else {
      padding = i - start + spaces;
    }
    this.openContainer(ITEM, markerOffset + padding, start, i);
    return true;
  }

  // ---- Paragraphs ----------------------------------------------------------------------

  private addParaLine(lazy: boolean): void {
    const n = this.pCount++;
    this.pStart[n] = this.offset;
    this.pEnd[n] = this.le;
    this.pLine[n] = this.lineNo;
    this.pLastLazy = lazy;
    this.pLastIndent = this.indent;
    this.pIndent[n] = this.indent;
    // A list item on a line that continues the paragraph (not lazily) interrupts it.
    this.pInterrupting[n] = n > 0 ? !lazy : this.lineInterrupting;
  }

  /**
   * Index of the first paragraph line after link reference definitions written one per
   * line at the start of the paragraph (multi-line definitions are not recognised).
   */
  private skipDefinitions(): number {
    let k = 0;
    while (k < this.pCount && this.isDefinitionLine(this.pStart[k], this.pEnd[k])) k++;
    return k;
  }

  /** `[label]: destination "title"` on one line. */
  private isDefinitionLine(s: number, e: number): boolean {
    const t = this.text;
    if (t.charCodeAt(s) !== LBRACKET) return false;
    let i = s + 1;
    let nonBlank = false;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < e) {
        i += 2;
        nonBlank = true;
        continue;
      }
      if (c === LBRACKET) return false;
      if (c === RBRACKET) break;
      if (!isSpaceOrTab(c)) nonBlank = true;
      i++;
    }
    if (i >= e || !nonBlank || i - s - 1 > 999 || this.peek2(i + 1, e) !== COLON) return false;
    if (t.charCodeAt(s + 1) === 94 /* ^ */) return false; // footnote definition
    i += 2;
    while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    if (i >= e) return false;
    // Destination.
    if (t.charCodeAt(i) === LT) {
      i++;
      for (;;) {
        if (i >= e) return false;
        const c = t.charCodeAt(i);
        if (c === GT) {
          i++;
          break;
        }
        if (c === LT) return false;
        i += c === BACKSLASH ? 2 : 1;
      }
    } else {
      let depth = 0;
      const ds = i;
      while (i < e) {
        const c = t.charCodeAt(i);
        if (c <= SPACE) break;
        if (c === BACKSLASH && i + 1 < e) {
          i += 2;
          continue;
        }
        if (c === LPAREN) depth++;
        else if (c === RPAREN) {
          if (depth === 0) break;
          depth--;
        }
        i++;
      }
      if (i === ds || depth !== 0) return false;
    }
    const afterDest = i;
    while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    if (i >= e) return true;
    if (i === afterDest) return false;
    const q = t.charCodeAt(i);
    const close = q === DQUOTE ? DQUOTE : q === SQUOTE ? SQUOTE : q === LPAREN ? RPAREN : -1;
    if (close === -1) return false;
    i++;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (c === BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === close) break;
      if (close === RPAREN && c === LPAREN) return false;
      i++;
    }
    if (i >= e) return false;
    i++;
    while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    return i >= e;
  }

  private peek2(i: number, e: number): number {
    return i < e ? this.text.charCodeAt(i) : -1;
  }

  /** GFM table: is this line a delimiter row for the paragraph's last line? */
  private tryTable(): boolean {
    if (this.pLastLazy || (this.pCount > 1 && this.pLastIndent >= 4) || this.indent >= 4) return false;
    const t = this.text;
    const le = this.le;
    let i = this.offset;
    const c0 = t.charCodeAt(i);
    if (c0 !== PIPE && c0 !== DASH && c0 !== COLON) return false;
    // Delimiter row: cells of `:?-+:?` between pipes; needs a pipe or a colon.
    let cells = 0;
    let seen = false;
    if (c0 === PIPE) {
      seen = true;
      i++;
    }
    for (;;) {
      while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
      if (i >= le) break;
      let c = t.charCodeAt(i);
      if (c === COLON) {
        seen = true;
        i++;
        c = this.peek(i);
      }
      if (c !== DASH) return false;
      cells++;
      while (i < le && t.charCodeAt(i) === DASH) i++;
      if (this.peek(i) === COLON) {
        seen = true;
        i++;
      }
      while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
      if (i >= le) break;
      if (t.charCodeAt(i) !== PIPE) return false;
      seen = true;
      i++;
    }
    if (!seen) return false;
    const h = this.pCount - 1;
    const hs = this.pStart[h];
    const he = this.pEnd[h];
    if (this.headerCells(hs, he) !== cells) return false;
    // The paragraph's last line is the header row: what precedes it stays a paragraph.
    this.pCount = h;
    if (h > 0) this.finishParagraph();
    this.pCount = 0;
    this.leaf = L_TABLE;
    this.tableRow(hs, he);
    return true;
  }

  /** Number of cells in a table header row, as GFM counts them; -1 if it cannot be one. */
  private headerCells(s: number, e: number): number {
    const t = this.text;
    let size = 0;
    let sizeB = 0;
    let seen = false;
    let i = s;
    if (i < e && t.charCodeAt(i) !== PIPE) {
      seen = true;
      sizeB = 1;
    }
    while (i < e) {
      const c = t.charCodeAt(i);
      if (isSpaceOrTab(c)) {
        i++;
        continue;
      }
      sizeB++;
      if (seen) {
        seen = false;
        size++;
      }
      if (c === PIPE) {
        seen = true;
        i++;
        continue;
      }
      // Data up to whitespace or an unescaped pipe.
      while (i < e) {
        const d = t.charCodeAt(i);
        if (d === PIPE || isSpaceOrTab(d)) break;
        if (d === BACKSLASH && i + 1 < e) {
          const n = t.charCodeAt(i + 1);
          if (n === BACKSLASH || n === PIPE) {
            i += 2;
            continue;
          }
        }
        i++;
      }
    }
    return sizeB > 1 ? size : -1;
  }

  /** Scans the cells of one table row for links. */
  private tableRow(s: number, e: number): void {
    const t = this.text;
    let cellStart = s;
    let i = s;
    const starts = this.pStart;
    const ends = this.pEnd;
    while (i <= e) {
      const c = i < e ? t.charCodeAt(i) : PIPE;
      if (c === BACKSLASH && i + 1 < e) {
        const n = t.charCodeAt(i + 1);
        if (n === BACKSLASH || n === PIPE) {
          i += 2;
          continue;
        }
      }
      if (c === PIPE) {
        if (i > cellStart) {
          starts[0] = cellStart;
          ends[0] = i;
          this.scanInline(starts, ends, 1);
        }
        cellStart = i + 1;
      }
      i++;
    }
  }

  /**
   * Ends the open paragraph: definitions, task item, malformed checkboxes, links.
   * (The paragraph lines are in pStart/pEnd[0, pCount).)
   */
  private finishParagraph(): void {
    const n = this.pCount;
    if (n === 0) return;
    const first = this.text.charCodeAt(this.pStart[0]) === LBRACKET ? this.skipDefinitions() : 0;
    if (first >= n) return;
    this.checkTask(first);
    this.checkMalformed(first);
    this.scanInline(this.pStart, this.pEnd, n, first);
  }

  /** A valid box `[ ]`/`[x]` at `s`: returns 1 unchecked, 2 checked, 0 none. */
  private boxAt(s: number, e: number): number {
    const t = this.text;
    if (s + 3 > e || t.charCodeAt(s) !== LBRACKET || t.charCodeAt(s + 2) !== RBRACKET) return 0;
    const v = t.charCodeAt(s + 1);
    // micromark expands tabs to their tab stop: only a tab one column wide fits in the box.
    if (v === TAB) return this.columnAt(s + 1) % 4 === 3 ? 1 : 0;
    if (v === SPACE) return 1;
    if (v === 120 || v === 88) return 2;
    return 0;
  }

  /** Visual column of an offset in its line, tabs expanded to multiples of 4. */
  private columnAt(offset: number): number {
    const t = this.text;
    let col = 0;
    for (let i = this.lines.starts[this.lines.lineOf(offset)]; i < offset; i++) {
      col += t.charCodeAt(i) === TAB ? 4 - (col % 4) : 1;
    }
    return col;
  }

  private checkTask(first: number): void {
    const item = this.pTaskItem;
    if (!item) return;
    const t = this.text;
    const s = this.pStart[first];
    const e = this.pEnd[first];
    const box = this.boxAt(s, e);
    if (box === 0) return;
    let i = s + 3;
    if (i < e) {
      if (!isSpaceOrTab(t.charCodeAt(i))) return;
      while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    }
    // Something must follow the box: text on its line or a further paragraph line.
    if (i >= e && this.pCount < first + 2) return;
    const lines = this.lines;
    const boxLine = this.pLine[first];
    const lineEnd = lines.lineEnd(boxLine);
    const text = t.slice(s + 3, lineEnd).trim();
    if (boxLine === item.markerLine) {
      const ls = lines.starts[boxLine];
      this.tasks.push(
        makeTask(boxLine, box === 2, text, item.depth, s - ls, item.markerStart - ls, lineEnd - ls),
      );
    } else {
      this.tasks.push({
        line: item.markerLine,
        checked: box === 2,
        text,
        checkboxRange: lines.rangeOf(s, s + 3),
        range: lines.rangeOf(item.markerStart, lineEnd),
        depth: item.depth,
      });
    }
    item.markerLine = -1;
  }

  private checkMalformed(first: number): void {
    const t = this.text;
    for (let k = first; k < this.pCount; k++) {
      const s = this.pStart[k];
      const e = this.pEnd[k];
      const c = t.charCodeAt(s);
      if (c === LBRACKET && k === 0 && this.pTaskItem && first === 0) {
        // First line of a list item: a box that is not quite a GFM checkbox.
        this.checkItemBox(s, e, this.pTaskItem);
        continue;
      }
      if (c === LBRACKET) {
        const box = this.boxAt(s, e);
        if (box !== 0 && s + 3 < e && isSpaceOrTab(t.charCodeAt(s + 3)) && this.itemCouldStart(k, true)) {
          this.addMalformed('no-marker', this.pLine[k], s, s + 3, box === 2 ? '- [x]' : '- [ ]');
        }
        continue;
      }
      // `-[ ]`, `1.[x]`: a list marker glued to its box.
      let i = s;
      if (c === DASH || c === STAR || c === PLUS) i++;
      else {
        while (i < e && isDigit(t.charCodeAt(i)) && i - s < 9) i++;
        if (i === s || i >= e) continue;
        const d = t.charCodeAt(i);
        if (d !== DOT && d !== RPAREN) continue;
        i++;
      }
      if (i >= e || t.charCodeAt(i) !== LBRACKET) continue;
      const bulletOrOne = !isDigit(c) || (i === s + 2 && c === 49); /* 1 */
      if (!this.itemCouldStart(k, bulletOrOne)) continue;
      const box = this.looseBox(i, e);
      if (box === 0) continue;
      const boxEnd = this.looseBoxEnd;
      this.addMalformed(
        'no-space-after-marker',
        this.pLine[k],
        s,
        boxEnd,
        `${t.slice(s, i)} ${box === 2 ? '[x]' : '[ ]'}`,
      );
    }
  }

  /**
   * Whether a list item written on paragraph line `k` would start there, by the rules
   * `tryListItem` applies: not indented as code, and when it interrupts the paragraph (or
   * an indented code block) only a bullet or an ordered item numbered `1` may. A fix that
   * adds the missing list syntax must make a task item, so a line where it would not is
   * no malformed checkbox: it is text.
   */
  private itemCouldStart(k: number, bulletOrOne: boolean): boolean {
    if (k > 0 && this.pIndent[k] >= 4) return false;
    return bulletOrOne || !this.pInterrupting[k];
  }

  private looseBoxEnd = 0;

  /**
   * A box written `[]`, `[ ]`, `[x]`, `[ x]`, `[x ]`, `[  ]`… at `s`, followed by
   * whitespace or the end of the line: 1 unchecked, 2 checked, 0 none.
   */
  private looseBox(s: number, e: number): number {
    const t = this.text;
    let i = s + 1;
    let x = 0;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (c === SPACE || c === TAB) i++;
      else if ((c === 120 || c === 88) && x === 0) {
        x = 1;
        i++;
      } else break;
    }
    if (i >= e || t.charCodeAt(i) !== RBRACKET) return 0;
    i++;
    if (i < e && !isSpaceOrTab(t.charCodeAt(i))) return 0;
    this.looseBoxEnd = i;
    return x ? 2 : 1;
  }

  private checkItemBox(s: number, e: number, item: Container): void {
    if (item.markerLine === -1) return; // it was a task
    if (this.pLine[0] !== item.markerLine) return;
    const box = this.looseBox(s, e);
    if (box === 0) return;
    const end = this.looseBoxEnd;
    const width = end - s;
    if (width === 3 && this.boxAt(s, e) !== 0) return; // a valid box with nothing after it
    const kind: MalformedKind = width === 2 ? 'empty-box' : 'padded-box';
    const marker = this.text.slice(item.markerStart, item.markerEnd);
    this.addMalformed(kind, this.pLine[0], item.markerStart, end, `${marker} ${box === 2 ? '[x]' : '[ ]'}`);
  }

  private addMalformed(kind: MalformedKind, line: number, s: number, e: number, replacement: string): void {
    this.malformed.push({ kind, line, range: this.lines.rangeOf(s, e), replacement });
  }

  // ---- Inline content ----------------------------------------------------------------

  /**
   * Finds wikilinks in inline content given as line segments `[starts[k], ends[k])`,
   * `k` in `[from, n)`, leaving out code spans, raw HTML and autolinks.
   */
  private scanInline(starts: number[], ends: number[], n: number, from = 0): void {
    const t = this.text;
    // Nothing to do without a `[[` in the content.
    const firstLink = this.indexOf('[[', starts[from]);
    if (firstLink === -1 || firstLink >= ends[n - 1]) return;
    const excl = this.excl;
    if (excl.length > 0) excl.length = 0;
    this.noCommentEnd = this.noPiEnd = this.noCdataEnd = this.noDeclEnd = false;
    let special = false;
    for (let k = from; k < n && !special; k++) {
      const s = starts[k];
      const e = ends[k];
      for (let i = s; i < e; i++) {
        const c = t.charCodeAt(i);
        if (c === BACKTICK || c === LT) {
          special = true;
          break;
        }
      }
    }
    if (special) this.findExcluded(starts, ends, n, from);
    const links = this.links;
    const lines = this.lines;
    let x = 0;
    for (let k = from; k < n; k++) {
      let s = starts[k];
      const e = ends[k];
      const next = this.indexOf('[[', s);
      if (next === -1) return;
      if (next + 4 >= e) continue;
      while (x < excl.length && excl[x + 1] <= s) x += 2;
      while (s < e) {
        if (x < excl.length && excl[x] < e) {
          if (excl[x] > s) scanWikiLinks(t, s, excl[x], lines, 'body', links);
          s = Math.max(s, excl[x + 1]);
          if (excl[x + 1] <= e) x += 2;
          else break;
        } else {
          scanWikiLinks(t, s, e, lines, 'body', links);
          break;
        }
      }
    }
  }

  // Per-paragraph backtick runs, grouped by length, for linear code span matching.
  private runsByLen = new Map<number, number[]>();
  private runPtr = new Map<number, number>();

  private findExcluded(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const excl = this.excl;
    // Backtick runs (maximal, escapes ignored: they are the closing candidates).
    const byLen = this.runsByLen;
    const ptr = this.runPtr;
    byLen.clear();
    ptr.clear();
    for (let k = from; k < n; k++) {
      const e = ends[k];
      let i = t.indexOf('`', starts[k]);
      while (i !== -1 && i < e) {
        let j = i + 1;
        while (j < e && t.charCodeAt(j) === BACKTICK) j++;
        const len = j - i;
        let list = byLen.get(len);
        if (!list) byLen.set(len, (list = []));
        list.push(i);
        i = t.indexOf('`', j);
      }
    }
    let k = from;
    let i = starts[k];
    let openBrackets = 0;
    while (k < n) {
      const e = ends[k];
      if (i >= e) {
        if (++k < n) i = starts[k];
        continue;
      }
      const c = t.charCodeAt(i);
      let to = -1;
      if (c === BACKSLASH) {
        i += i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1)) ? 2 : 1;
        continue;
      }
      if (c === BACKTICK) {
        let j = i + 1;
        while (j < e && t.charCodeAt(j) === BACKTICK) j++;
        const len = j - i;
        const close = this.nextRun(len, j);
        if (close === -1) {
          i = j;
          continue;
        }
        to = close + len;
      } else if (c === LBRACKET) {
        openBrackets++;
      } else if (c === RBRACKET && openBrackets > 0) {
        openBrackets--;
        // A link's `(destination "title")` is not inline text (written on one line).
        if (i + 1 < e && t.charCodeAt(i + 1) === LPAREN) {
          const res = this.resourceEnd(i + 1, e);
          if (res !== -1) {
            i = res;
            continue;
          }
        }
      } else if ((c | 0x20) === 104 /* h */ || (c | 0x20) === 119 /* w */) {
        // A GFM literal autolink runs to whitespace or `<`, over backticks.
        const prev = i > starts[k] ? t.charCodeAt(i - 1) : k > from ? LF : -1;
        const lit = this.literalAutolinkEnd(i, e, prev);
        if (lit !== -1) {
          i = lit;
          continue;
        }
      } else if (c === LT) {
        // An autolink is skipped but not left out: the reference sees links in it.
        const auto = this.autolinkEnd(i, e);
        if (auto !== -1) {
          i = auto;
          continue;
        }
        to = this.inlineTagEnd(i, k, starts, ends, n);
      }
      if (to === -1) {
        i++;
        continue;
      }
      excl.push(i, to);
      // Continue after the construct, possibly on a later line.
      while (k < n && ends[k] < to) k++;
      if (k >= n) return;
      i = Math.max(to, starts[k]);
    }
  }

  /** Start of the first backtick run of exactly `len` at or after `from`, or -1. */
  private nextRun(len: number, from: number): number {
    const list = this.runsByLen.get(len);
    if (!list) return -1;
    let p = this.runPtr.get(len) ?? 0;
    while (p < list.length && list[p] < from) p++;
    this.runPtr.set(len, p);
    return p < list.length ? list[p] : -1;
  }

  // Cursor over paragraph segments for constructs that may span lines (raw HTML).
  private cp = 0;
  private ck = 0;
  private cStarts: number[] = [];
  private cEnds: number[] = [];
  private cN = 0;

  /** Current character: a line ending between segments reads as LF; -1 at the end. */
  private cc(): number {
    if (this.cp < this.cEnds[this.ck]) return this.text.charCodeAt(this.cp);
    return this.ck + 1 < this.cN ? LF : -1;
  }

  private cnext(): void {
    if (this.cp < this.cEnds[this.ck]) this.cp++;
    else if (this.ck + 1 < this.cN) {
      this.ck++;
      this.cp = this.cStarts[this.ck];
    }
  }

  /** Searches `needle` (no line break in it) from the cursor; moves past it. */
  private cfind(needle: string): boolean {
    const len = needle.length;
    for (;;) {
      const i = this.indexOf(needle, this.cp);
      if (i === -1) return false;
      while (this.ck < this.cN && this.cEnds[this.ck] < i + len) this.ck++;
      if (this.ck >= this.cN) return false;
      if (i >= this.cStarts[this.ck]) {
        this.cp = i + len;
        return true;
      }
      // Found across a container prefix: not a match; look further.
      this.cp = Math.max(i + 1, this.cStarts[this.ck]);
    }
  }

  /** End of raw HTML starting at `p` (a `<`) in segment `k`, or -1. */
  private inlineTagEnd(p: number, k: number, starts: number[], ends: number[], n: number): number {
    const t = this.text;
    this.cStarts = starts;
    this.cEnds = ends;
    this.cN = n;
    this.ck = k;
    this.cp = p + 1;
    const c1 = this.cc();
    if (c1 === BANG) {
      this.cnext();
      const c2 = this.cc();
      if (c2 === DASH) {
        this.cnext();
        if (this.cc() !== DASH) return -1;
        // `<!-->` and `<!--->` are comments too: search `-->` from the opening dashes.
        if (this.noCommentEnd) return -1;
        this.cp -= 2;
        if (!this.cfind('-->')) {
          this.noCommentEnd = true;
          return -1;
        }
        return this.cp;
      }
      if (c2 === LBRACKET) {
        if (!t.startsWith('[CDATA[', this.cp) || this.cp + 7 > this.cEnds[this.ck]) return -1;
        if (this.noCdataEnd) return -1;
        this.cp += 7;
        if (!this.cfind(']]>')) {
          this.noCdataEnd = true;
          return -1;
        }
        return this.cp;
      }
      if (isAsciiAlpha(c2)) {
        if (this.noDeclEnd) return -1;
        if (!this.cfind('>')) {
          this.noDeclEnd = true;
          return -1;
        }
        return this.cp;
      }
      return -1;
    }
    if (c1 === QUESTION) {
      if (this.noPiEnd) return -1;
      this.cnext();
      if (!this.cfind('?>')) {
        this.noPiEnd = true;
        return -1;
      }
      return this.cp;
    }
    if (c1 === SLASH) {
      this.cnext();
      if (!isAsciiAlpha(this.cc())) return -1;
      while (isAsciiAlnum(this.cc()) || this.cc() === DASH) this.cnext();
      for (;;) {
        const c = this.cc();
        if (c === SPACE || c === TAB || c === LF) this.cnext();
        else break;
      }
      if (this.cc() !== GT) return -1;
      this.cnext();
      return this.cp;
    }
    if (!isAsciiAlpha(c1)) return -1;
    while (isAsciiAlnum(this.cc()) || this.cc() === DASH) this.cnext();
    // Attributes.
    for (;;) {
      let ws = false;
      for (;;) {
        const c = this.cc();
        if (c === SPACE || c === TAB || c === LF) {
          ws = true;
          this.cnext();
        } else break;
      }
      let c = this.cc();
      if (c === SLASH) {
        this.cnext();
        if (this.cc() !== GT) return -1;
        this.cnext();
        return this.cp;
      }
      if (c === GT) {
        this.cnext();
        return this.cp;
      }
      if (!ws || !(isAsciiAlpha(c) || c === UNDERSCORE || c === COLON)) return -1;
      this.cnext();
      for (;;) {
        c = this.cc();
        if (isAsciiAlnum(c) || c === UNDERSCORE || c === DOT || c === COLON || c === DASH) this.cnext();
        else break;
      }
      // Optional value.
      const saveP = this.cp;
      const saveK = this.ck;
      for (;;) {
        c = this.cc();
        if (c === SPACE || c === TAB || c === LF) this.cnext();
        else break;
      }
      if (this.cc() !== EQ) {
        this.cp = saveP;
        this.ck = saveK;
        continue;
      }
      this.cnext();
      for (;;) {
        c = this.cc();
        if (c === SPACE || c === TAB || c === LF) this.cnext();
        else break;
      }
      c = this.cc();
      if (c === DQUOTE || c === SQUOTE) {
        this.cnext();
        if (!this.cfind(c === DQUOTE ? '"' : "'")) return -1;
        c = this.cc();
        if (!(c === SPACE || c === TAB || c === LF || c === SLASH || c === GT)) return -1;
      } else {
        if (c === -1 || c === LT || c === EQ || c === GT || c === BACKTICK || c === LF) return -1;
        for (;;) {
          c = this.cc();
          if (c === -1 || c === DQUOTE || c === SQUOTE || c === LT || c === EQ || c === BACKTICK) return -1;
          if (c === SPACE || c === TAB || c === LF || c === SLASH || c === GT) break;
          this.cnext();
        }
      }
    }
  }

  /** End of a link resource `(dest "title")` starting at `p` (a `(`) before `e`, or -1. */
  private resourceEnd(p: number, e: number): number {
    const t = this.text;
    let i = p + 1;
    while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    if (i < e && t.charCodeAt(i) === LT) {
      i++;
      for (;;) {
        if (i >= e) return -1;
        const c = t.charCodeAt(i);
        if (c === GT) {
          i++;
          break;
        }
        if (c === LT) return -1;
        i += c === BACKSLASH ? 2 : 1;
      }
    } else {
      let depth = 0;
      while (i < e) {
        const c = t.charCodeAt(i);
        if (c <= SPACE || c === 127) break;
        if (c === BACKSLASH && i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1))) {
          i += 2;
          continue;
        }
        if (c === LPAREN) depth++;
        else if (c === RPAREN) {
          if (depth === 0) break;
          depth--;
        }
        i++;
      }
      if (depth !== 0) return -1;
    }
    const afterDest = i;
    while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    if (i < e && i > afterDest) {
      const q = t.charCodeAt(i);
      const close = q === DQUOTE ? DQUOTE : q === SQUOTE ? SQUOTE : q === LPAREN ? RPAREN : -1;
      if (close !== -1) {
        i++;
        for (;;) {
          if (i >= e) return -1;
          const c = t.charCodeAt(i);
          if (c === close) {
            i++;
            break;
          }
          if (close === RPAREN && c === LPAREN) return -1;
          i += c === BACKSLASH ? 2 : 1;
        }
        while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
      }
    }
    return i < e && t.charCodeAt(i) === RPAREN ? i + 1 : -1;
  }

  /** End of a GFM literal autolink (`https://…`, `www.…`) at `p`, or -1. */
  private literalAutolinkEnd(p: number, e: number, prev: number): number {
    const t = this.text;
    let i = p;
    if ((t.charCodeAt(p) | 0x20) === 104) {
      if (isAsciiAlpha(prev)) return -1;
      let j = p;
      while (j < e && j - p < 6 && isAsciiAlpha(t.charCodeAt(j))) j++;
      const scheme = t.slice(p, j).toLowerCase();
      if ((scheme !== 'http' && scheme !== 'https') || !t.startsWith('://', j)) return -1;
      i = j + 3;
      if (i >= e) return -1;
      const c = t.charCodeAt(i);
      if (c < 128 ? !isAsciiAlnum(c) && c !== DASH : /[\s\p{P}]/u.test(t[i])) return -1;
    } else {
      const okPrev =
        prev === -1 ||
        prev === LF ||
        isSpaceOrTab(prev) ||
        prev === LPAREN ||
        prev === STAR ||
        prev === UNDERSCORE ||
        prev === LBRACKET ||
        prev === RBRACKET ||
        prev === TILDE;
      if (!okPrev || !/^www\./i.test(t.slice(p, p + 4)) || p + 4 >= e) return -1;
    }
    // Domain: segments separated by dots; needs a dot, no `_` in the last two segments.
    let dot = false;
    let usLast = false;
    let usLastLast = false;
    let j = i;
    while (j < e) {
      const c = t.charCodeAt(j);
      if (c === DOT || c === UNDERSCORE) {
        // A run of trailing punctuation ends the domain.
        let k = j;
        while (k < e && TRAIL.indexOf(t[k]) !== -1) k++;
        if (k >= e || isSpaceOrTab(t.charCodeAt(k)) || t.charCodeAt(k) === LT) break;
        if (c === UNDERSCORE) usLast = true;
        else {
          usLastLast = usLast;
          usLast = false;
          dot = true;
        }
        j++;
        continue;
      }
      if (c === SPACE || c === TAB) break;
      if (c < 128 ? c !== DASH && isAsciiPunct(c) : /[\s\p{P}]/u.test(t[j])) break;
      j++;
    }
    if (!dot || usLast || usLastLast) return -1;
    // Path: to whitespace or `<`.
    while (j < e) {
      const c = t.charCodeAt(j);
      if (c === SPACE || c === TAB || c === LT) break;
      j++;
    }
    return j;
  }

  /** End of a URI or email autolink at `p` (a `<`) before `e`, or -1. */
  private autolinkEnd(p: number, e: number): number {
    const t = this.text;
    let i = p + 1;
    // URI: scheme (2-32 chars) `:` then no space, `<` or `>`.
    if (i < e && isAsciiAlpha(t.charCodeAt(i))) {
      let j = i + 1;
      while (j < e && j - i < 33) {
        const c = t.charCodeAt(j);
        if (isAsciiAlnum(c) || c === PLUS || c === DOT || c === DASH) j++;
        else break;
      }
      if (j < e && t.charCodeAt(j) === COLON && j - i >= 2 && j - i <= 32) {
        j++;
        while (j < e) {
          const c = t.charCodeAt(j);
          if (c === GT) return j + 1;
          if (c <= SPACE || c === LT || c === 127) break;
          j++;
        }
      }
    }
    // Email.
    i = p + 1;
    let j = i;
    while (j < e) {
      const c = t.charCodeAt(j);
      if (isAsciiAlnum(c) || (c < 128 && EMAIL_PUNCT.indexOf(String.fromCharCode(c)) !== -1)) j++;
      else break;
    }
    if (j === i || j >= e || t.charCodeAt(j) !== 64 /* @ */) return -1;
    j++;
    // Domain labels: alnum, inner hyphens, up to 63 chars, separated by dots.
    for (;;) {
      const ls = j;
      while (j < e && (isAsciiAlnum(t.charCodeAt(j)) || t.charCodeAt(j) === DASH) && j - ls < 63) j++;
      if (j === ls || t.charCodeAt(ls) === DASH || t.charCodeAt(j - 1) === DASH) return -1;
      if (j < e && t.charCodeAt(j) === DOT) {
        j++;
        continue;
      }
      break;
    }
    return j < e && t.charCodeAt(j) === GT ? j + 1 : -1;
  }
}
