import type { LineIndex } from '../../text';
import type { BodySummary, Heading, WikiLink } from '../../types';
import { makeHeading } from '../compact';
import { markdownLink, scanDestination } from '../mdlink';
import {
  BACKSLASH,
  BACKTICK,
  BANG,
  COLON,
  CR,
  DASH,
  DOT,
  DQUOTE,
  EQ,
  GT,
  HASH,
  isAsciiAlnum,
  isAsciiAlpha,
  isDigit,
  isSpaceOrTab,
  LBRACKET,
  LF,
  LT,
  PIPE,
  PLUS,
  QUESTION,
  RPAREN,
  SLASH,
  SPACE,
  SQUOTE,
  STAR,
  TAB,
  TILDE,
  UNDERSCORE,
} from './chars';
import { BLOCK_QUOTE, type Container, LIST_ITEM, type Paragraph } from './containers';
import { InlineLinkScanner } from './inline';
import { definitionDestination, isDefinitionLine } from './link-destination';
import { ForwardSearch } from './search';
import { TaskFinder } from './tasks';

/*
 * Block structure: a line-based CommonMark + GFM block parser that keeps no tree.
 *
 * Open containers (block quotes, list items) live in a flat stack and at most one leaf
 * block (paragraph, fenced or indented code, HTML block, table) is open at a time, so
 * nesting depth costs no recursion. Inline content goes to the InlineLinkScanner, ended
 * paragraphs to the TaskFinder.
 *
 * It follows the block rules of micromark (the parser behind remark), including its few
 * departures from the reference CommonMark implementation (e.g. an open indented code
 * block keeps an empty list item or an ordered item not starting at 1 from starting).
 */

const L_NONE = 0;
const L_PARA = 1;
const L_FENCE = 2;
const L_ICODE = 3;
const L_HTML = 4;
const L_TABLE = 5;

const HTML_BLOCK_NAMES = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir ' +
    'div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html ' +
    'iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary ' +
    'table tbody td tfoot th thead title tr track ul'
  ).split(' '),
);
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

export class BlockScanner {
  readonly headings: Heading[] = [];
  readonly links: WikiLink[] = [];
  private readonly search: ForwardSearch;
  private readonly inline: InlineLinkScanner;
  private readonly taskFinder: TaskFinder;

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
  private readonly para: Paragraph = {
    starts: [],
    ends: [],
    lineNumbers: [],
    count: 0,
    interrupting: [],
    indents: [],
    openingItem: null,
    lastLazy: false,
    lastIndent: 0,
  };
  /** Whether a list item starting on the current line interrupts an open block. */
  private lineInterrupting = false;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {
    this.search = new ForwardSearch(text);
    this.inline = new InlineLinkScanner(text, lines, this.links, this.search);
    this.taskFinder = new TaskFinder(text, lines);
  }

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
    const { tasks, malformed } = this.taskFinder;
    return { headings: this.headings, links: this.links, tasks, malformed };
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

  // ---- Block structure ---------------------------------------------------------------

  private processLine(): void {
    const stack = this.stack;
    this.offset = this.ls;
    this.column = 0;
    this.partialTab = false;
    this.spaceRunFrom = -1;

    // 1. Which open containers does the line continue?
    let matched = 0;
    this.findNextNonspace();
    if (this.blank && stack.length > 0) {
      // A blank line continues the leading list items that have content and ends at the
      // first block quote or empty item. `blankContinues` is true for exactly that prefix,
      // so a binary search finds its end: walking the whole stack on every blank line was
      // quadratic after a line of 100,000 nested list markers.
      let lo = 0;
      let hi = stack.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (stack[mid].blankContinues) lo = mid + 1;
        else hi = mid;
      }
      matched = lo;
      if (matched > 0) this.advanceNextNonspace();
    } else
      for (; matched < stack.length; matched++) {
        const c = stack[matched];
        this.findNextNonspace();
        if (c.type === BLOCK_QUOTE) {
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
          this.openContainer(BLOCK_QUOTE, 0, 0, 0);
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
    this.para.count = 0;
    const top = depth > 0 ? this.stack[depth - 1] : undefined;
    this.para.openingItem = top && top.type === LIST_ITEM && !top.hasChild ? top : null;
    this.markChild();
    this.addParaLine(false);
    // micromark reads a line that leaves a table's containers without opening one as a
    // lazy line, even when it starts a new paragraph: it cannot be a table's header row.
    if (tableLeft && !opened) this.para.lastLazy = true;
  }

  /** The innermost container now has content (list items may then continue over blank lines). */
  private markChild(): void {
    const s = this.stack;
    if (s.length > 0) {
      const top = s[s.length - 1];
      top.hasChild = true;
      top.blankContinues = top.type === LIST_ITEM && (s.length === 1 || s[s.length - 2].blankContinues);
    }
  }

  private openContainer(type: number, contentIndent: number, markerStart: number, markerEnd: number): void {
    this.closeLeaf();
    this.markChild();
    // Enclosing list items, from the top container in O(1): walking down the stack to the
    // nearest item was quadratic for a line of 100,000 `>` (each opens a block quote).
    const top = this.stack.length > 0 ? this.stack[this.stack.length - 1] : undefined;
    const depth = top ? top.itemsIn : 0;
    this.stack.push({
      type,
      contentIndent,
      hasChild: false,
      markerStart,
      markerEnd,
      markerLine: this.lineNo,
      depth,
      itemsIn: depth + (type === LIST_ITEM ? 1 : 0),
      blankContinues: false,
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

  /** Starts a leaf block in the first `depth` containers, ending what it replaces. */
  private openLeaf(kind: number, depth: number): void {
    this.closeUnmatched(depth);
    this.closeLeaf();
    this.markChild();
    this.leaf = kind;
    this.leafDepth = depth;
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
      this.para.starts[0] = i;
      this.para.ends[0] = e;
      this.inline.scan(this.para.starts, this.para.ends, 1);
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
    this.openLeaf(L_FENCE, depth);
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
    this.openLeaf(L_HTML, depth);
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
        for (let i = this.search.indexOf('</', p); i !== -1 && i < le; i = this.search.indexOf('</', i + 2)) {
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
    const k = this.search.indexOf(needle, from);
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
    if (firstSeg >= this.para.count) return false;
    this.recordDefinitions(firstSeg);
    const start = this.para.starts[firstSeg];
    let end = this.para.ends[this.para.count - 1];
    while (end > start && isSpaceOrTab(t.charCodeAt(end - 1))) end--;
    this.headings.push({
      level: c === EQ ? 1 : 2,
      text: headingText(t, start, end),
      line: this.para.lineNumbers[firstSeg],
      range: this.lines.rangeOf(start, end),
    });
    this.inline.scan(this.para.starts, this.para.ends, this.para.count, firstSeg);
    this.leaf = L_NONE;
    return true;
  }

  /**
   * Whether the rest of the line from `nextNonspace` is a thematic break. Each line is
   * scanned once per marker character (from its end), not once per call: a line of
   * `- - - - …` asks at every nested list marker, which rescanning made quadratic.
   */
  private isThematicBreak(): boolean {
    const t = this.text;
    const p = this.nextNonspace;
    const ch = t.charCodeAt(p);
    const slot = ch === STAR ? 0 : ch === DASH ? 1 : 2;
    if (this.tbLine[slot] !== this.ls) {
      // The line's tail made of `ch`, spaces and tabs: where it starts, and where its
      // third-last `ch` is (a break needs three).
      let q = this.le;
      let n = 0;
      let third = -1;
      while (q > this.ls) {
        const c = t.charCodeAt(q - 1);
        if (c === ch) {
          if (++n === 3) third = q - 1;
        } else if (!isSpaceOrTab(c)) break;
        q--;
      }
      this.tbLine[slot] = this.ls;
      this.tbTail[slot] = q;
      this.tbThird[slot] = third;
    }
    return p >= this.tbTail[slot] && p <= this.tbThird[slot];
  }
  /** Per marker character (`*`, `-`, `_`): the line start the cache is for, tail start, third-last marker. */
  private readonly tbLine = [-1, -1, -1];
  private readonly tbTail = [0, 0, 0];
  private readonly tbThird = [-1, -1, -1];

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
    this.openContainer(LIST_ITEM, markerOffset + padding, start, i);
    return true;
  }

  // ---- Paragraphs ----------------------------------------------------------------------

  private addParaLine(lazy: boolean): void {
    const n = this.para.count++;
    this.para.starts[n] = this.offset;
    this.para.ends[n] = this.le;
    this.para.lineNumbers[n] = this.lineNo;
    this.para.lastLazy = lazy;
    this.para.lastIndent = this.indent;
    this.para.indents[n] = this.indent;
    // A list item on a line that continues the paragraph (not lazily) interrupts it.
    this.para.interrupting[n] = n > 0 ? !lazy : this.lineInterrupting;
  }

  /**
   * Index of the first paragraph line after link reference definitions written one per
   * line at the start of the paragraph (multi-line definitions are not recognised).
   */
  /** Records the definitions of the first `count` paragraph lines as links (`[ref]: path.md`). */
  private recordDefinitions(count: number): void {
    const t = this.text;
    for (let k = 0; k < count; k++) {
      const s = this.para.starts[k];
      const e = this.para.ends[k];
      const at = definitionDestination(t, s, e);
      if (at === -1) continue;
      const dest = scanDestination(t, at, e);
      let to = e;
      while (to > s && isSpaceOrTab(t.charCodeAt(to - 1))) to--;
      const link = dest && markdownLink(t, this.lines, s, to, dest, false, 'body');
      if (link) this.links.push(link);
    }
  }

  private skipDefinitions(): number {
    let k = 0;
    while (k < this.para.count && isDefinitionLine(this.text, this.para.starts[k], this.para.ends[k])) k++;
    return k;
  }

  /** GFM table: is this line a delimiter row for the paragraph's last line? */
  private tryTable(): boolean {
    if (this.para.lastLazy || (this.para.count > 1 && this.para.lastIndent >= 4) || this.indent >= 4)
      return false;
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
    const h = this.para.count - 1;
    const hs = this.para.starts[h];
    const he = this.para.ends[h];
    if (this.headerCells(hs, he) !== cells) return false;
    // The paragraph's last line is the header row: what precedes it stays a paragraph.
    this.para.count = h;
    if (h > 0) this.finishParagraph();
    this.para.count = 0;
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
    const starts = this.para.starts;
    const ends = this.para.ends;
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
          this.inline.scan(starts, ends, 1);
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
    const n = this.para.count;
    if (n === 0) return;
    const first = this.text.charCodeAt(this.para.starts[0]) === LBRACKET ? this.skipDefinitions() : 0;
    if (first > 0) this.recordDefinitions(first);
    if (first >= n) return;
    this.taskFinder.check(this.para, first);
    this.inline.scan(this.para.starts, this.para.ends, n, first);
  }
}
