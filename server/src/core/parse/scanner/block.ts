import type { LineIndex } from '../../text';
import type { BodySummary, Heading, WikiLink } from '../../types';
import {
  BACKTICK,
  COLON,
  CR,
  DASH,
  EQ,
  GT,
  HASH,
  isDigit,
  LBRACKET,
  LF,
  LT,
  PLUS,
  STAR,
  TILDE,
  UNDERSCORE,
} from './chars';
import {
  advancePastListMarker,
  BLOCK_QUOTE,
  type Container,
  ContainerStack,
  FOOTNOTE,
  LIST_ITEM,
  listMarkerEnd,
} from './containers';
import { FencedCode } from './fenced-code';
import { CARET, footnoteLabelEnd } from './footnotes';
import { frontMatterEnd } from './front-matter';
import { addAtxHeading, atxHeadingLevel, isSetextUnderline } from './headings';
import { HtmlBlock } from './html-block';
import { type DefinedLabels, InlineLinkScanner } from './inline';
import { labelKey } from './labels';
import { LineCursor } from './line-cursor';
import { Paragraph } from './paragraph';
import { ForwardSearch } from './search';
import { TableRows } from './table';
import { TaskFinder } from './tasks';
import { ThematicBreakFinder } from './thematic-break';

/*
 * Block structure: a line-based CommonMark + GFM block parser that keeps no tree.
 *
 * Open containers (block quotes, list items, GFM footnote definitions) live in a flat stack and at most one leaf
 * block (paragraph, fenced or indented code, HTML block, table) is open at a time, so
 * nesting depth costs no recursion. This file decides, line by line, which containers
 * continue, which blocks start and which leaf takes the rest of the line; the parts it
 * asks own their state: the cursor on the line (`line-cursor.ts`), the container stack
 * and list markers (`containers.ts`), the open paragraph (`paragraph.ts`), fenced code
 * (`fenced-code.ts`), HTML blocks (`html-block.ts`), headings (`headings.ts`), thematic
 * breaks (`thematic-break.ts`) and tables (`table.ts`). Inline content goes to the
 * InlineLinkScanner, ended paragraphs to the TaskFinder.
 *
 * It follows the block rules of micromark (the parser behind remark), including its few
 * departures from the reference CommonMark implementation (e.g. an open indented code
 * block keeps an empty list item or an ordered item not starting at 1 from starting).
 */

/** Kinds of the open leaf block. */
const NO_LEAF = 0;
const PARAGRAPH = 1;
const FENCED_CODE = 2;
const INDENTED_CODE = 3;
const HTML_BLOCK = 4;
const TABLE = 5;

export class BlockScanner {
  readonly headings: Heading[] = [];
  readonly links: WikiLink[] = [];
  private readonly cursor: LineCursor;
  private readonly containers = new ContainerStack();
  private readonly inline: InlineLinkScanner;
  private readonly taskFinder: TaskFinder;
  private readonly paragraph: Paragraph;
  private readonly fence: FencedCode;
  private readonly html: HtmlBlock;
  private readonly tables: TableRows;
  private readonly thematicBreaks: ThematicBreakFinder;

  /** The open leaf block (`NO_LEAF`, `PARAGRAPH`, …) and the number of containers it lives in. */
  private leaf = NO_LEAF;
  private leafDepth = 0;
  /**
   * The open indented code block began on a line outside the open containers: micromark
   * then lets any list item start on the next line with content.
   */
  private codeBegunLazily = false;
  /**
   * A blank line closed an empty list item (`1.` alone): micromark closes it only on the
   * next line with content, so code begun there is begun lazily too.
   */
  private emptyItemClosedByBlank = false;
  /** The labels of the footnote definitions (`labelKey`): a call to one is no link. */
  private readonly footnotes = new Set<string>();
  /** The labels of the link reference definitions (`labelKey`): `[label]` of one is a link. */
  private readonly definitions = new Set<string>();
  /** Start and end line of each HTML block (`BodySummary.html`); the open one's last line so far. */
  private readonly htmlLines: number[] = [];
  private htmlLast = -1;
  /** Start and end line of each top-level block quote (`BodySummary.quotes`); the open one's. */
  private readonly quoteLines: number[] = [];
  private quote: Container | undefined;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    /**
     * The footnotes and link reference definitions the document has, once a first reading
     * found them (see `run`).
     */
    private readonly defined?: DefinedLabels,
  ) {
    const search = new ForwardSearch(text);
    this.cursor = new LineCursor(text);
    this.inline = new InlineLinkScanner(text, lines, this.links, search, defined);
    this.taskFinder = new TaskFinder(text, lines);
    this.paragraph = new Paragraph(text, lines, this.links, this.inline, this.taskFinder, this.definitions);
    this.fence = new FencedCode(text);
    this.html = new HtmlBlock(text, this.cursor, search);
    this.tables = new TableRows(text, this.cursor, this.inline);
    this.thematicBreaks = new ThematicBreakFinder(text);
  }

  run(): BodySummary {
    const starts = this.lines.starts;
    const t = this.text;
    const count = starts.length;
    const cur = this.cursor;
    for (let line = frontMatterEnd(t, this.lines); line < count; line++) {
      const ls = starts[line];
      let le = line + 1 < count ? starts[line + 1] : t.length;
      if (le > ls && t.charCodeAt(le - 1) === LF) le--;
      if (le > ls && t.charCodeAt(le - 1) === CR) le--;
      cur.startLine(line, ls, le);
      this.processLine();
      this.quoteGoesOn(line);
    }
    this.closeLeaf();
    // A footnote call (`[^1]`) is one only when the document defines the footnote, and a
    // reference (`[text][label]`, `[label]`) is a link only when it defines the label,
    // before or after it: the rare document where a link was read over a call of a
    // footnote or a reference it defines is read again, knowing its labels.
    if (
      !this.defined &&
      ([...this.inline.callLike].some((k) => this.footnotes.has(k)) ||
        (this.definitions.size > 0 &&
          [...this.inline.referenceLike].some((l) => this.definitions.has(labelKey(l)))))
    )
      return new BlockScanner(this.text, this.lines, {
        footnotes: this.footnotes,
        references: this.definitions,
      }).run();
    const { tasks, malformed, plain } = this.taskFinder;
    return {
      headings: this.headings,
      links: this.links,
      tasks,
      malformed,
      plain,
      html: this.htmlLines,
      quotes: this.quoteLines,
    };
  }

  /**
   * Records `line` as a line of the top-level block quote open after it (one it continued,
   * opened or lazily went on in), if any.
   */
  private quoteGoesOn(line: number): void {
    const stack = this.containers.items;
    const q = stack.length > 0 && stack[0].type === BLOCK_QUOTE ? stack[0] : undefined;
    if (q === undefined) {
      this.quote = undefined;
      return;
    }
    if (q !== this.quote) {
      this.quote = q;
      this.quoteLines.push(line, line);
    } else this.quoteLines[this.quoteLines.length - 1] = line;
  }

  private processLine(): void {
    const cur = this.cursor;
    const t = this.text;
    const stack = this.containers.items;

    // 1. Which open containers does the line continue?
    const matched = this.containers.continuedBy(cur);
    const allMatched = matched === stack.length;

    // 2. Leaves that take the line as is.
    if (allMatched && this.leaf !== NO_LEAF && this.leafDepth === matched) {
      if (this.leaf === FENCED_CODE) {
        cur.findNextNonspace();
        if (cur.indent <= 3 && this.fence.closes(cur)) this.closeLeaf();
        return;
      }
      if (this.leaf === HTML_BLOCK) {
        cur.findNextNonspace();
        if (this.html.type >= 6 && cur.blank) {
          this.closeLeaf();
          return;
        }
        this.htmlLast = cur.lineNo;
        if (this.html.type <= 5 && this.html.ends(cur.offset, false)) this.closeLeaf();
        return;
      }
    }

    const tableLeft = !allMatched && this.leaf === TABLE && this.leafDepth > matched;

    // 3. New block starts.
    let containerIsPara = allMatched && this.leaf === PARAGRAPH && this.leafDepth === matched;
    // micromark: an open paragraph or indented code block restricts which list items may start.
    const interrupting =
      allMatched &&
      (this.leaf === PARAGRAPH || (this.leaf === INDENTED_CODE && !this.codeBegunLazily)) &&
      this.leafDepth === matched;
    // (The exemption lasts over blank lines, up to the next line with content.)
    cur.findNextNonspace();
    const afterEmptyItem = this.emptyItemClosedByBlank;
    if (!cur.blank) {
      this.codeBegunLazily = false;
      this.emptyItemClosedByBlank = false;
    }
    let opened = false;
    let depth = matched;
    for (;;) {
      cur.findNextNonspace();
      const indented = cur.indent >= 4;
      const c = cur.peek(cur.nextNonspace);
      if (!indented) {
        if (c === GT) {
          this.closeUnmatched(depth);
          cur.advancePastBlockQuoteMarker();
          this.openContainer(BLOCK_QUOTE, 0, 0, 0);
          depth++;
          opened = true;
          containerIsPara = false;
          continue;
        }
        if (c === LBRACKET && cur.peek(cur.nextNonspace + 1) === CARET) {
          const close = footnoteLabelEnd(t, cur.nextNonspace, cur.lineEnd);
          if (close !== -1 && cur.peek(close + 1) === COLON) {
            this.closeUnmatched(depth);
            this.footnotes.add(labelKey(t.slice(cur.nextNonspace + 2, close)));
            // The white space after the colon belongs to the marker: no indented code here.
            cur.advanceNextNonspace();
            cur.advanceOffset(close + 2 - cur.offset, false);
            cur.findNextNonspace();
            cur.advanceNextNonspace();
            this.openContainer(FOOTNOTE, 4, 0, 0);
            depth++;
            opened = true;
            containerIsPara = false;
            continue;
          }
        }
        if (c === HASH) {
          const level = atxHeadingLevel(t, cur);
          if (level !== 0) {
            this.endBlocksBeyond(depth);
            addAtxHeading(t, cur, level, this.headings, this.inline);
            return;
          }
        }
        if ((c === BACKTICK || c === TILDE) && this.fence.opensAt(cur)) {
          this.openLeaf(FENCED_CODE, depth);
          return;
        }
        if (c === LT && this.startHtmlBlock(depth, allMatched, opened, containerIsPara)) return;
        if (
          containerIsPara &&
          (c === EQ || c === DASH) &&
          isSetextUnderline(t, cur, c) &&
          this.paragraph.endAsSetextHeading(c === EQ ? 1 : 2, this.headings)
        ) {
          this.leaf = NO_LEAF;
          return;
        }
        if ((c === STAR || c === DASH || c === UNDERSCORE) && this.thematicBreaks.isBreakAt(cur)) {
          this.endBlocksBeyond(depth);
          return;
        }
        if (c === STAR || c === DASH || c === PLUS || isDigit(c)) {
          // (micromark keeps the restriction for containers opened further on the line.)
          const markerEnd = listMarkerEnd(t, cur, interrupting);
          if (markerEnd !== -1) {
            const markerStart = cur.nextNonspace;
            const markerOffset = cur.indent;
            this.closeUnmatched(depth);
            const padding = advancePastListMarker(cur, markerEnd);
            this.openContainer(LIST_ITEM, markerOffset + padding, markerStart, markerEnd);
            depth++;
            opened = true;
            containerIsPara = false;
            continue;
          }
        }
      } else if (!cur.blank && this.leaf !== PARAGRAPH) {
        // Indented code (not inside a paragraph, even a lazy one).
        const lazy = stack.length > depth || afterEmptyItem;
        this.closeUnmatched(depth);
        if (this.leaf !== INDENTED_CODE || this.leafDepth !== depth) {
          this.closeLeaf();
          this.leaf = INDENTED_CODE;
          this.leafDepth = depth;
          // micromark: code begun on a line outside the open containers does not
          // restrict list items on the line right after it.
          this.codeBegunLazily = lazy;
          this.containers.markChild();
        }
        return;
      }
      break;
    }

    // 4. What is left is text.
    const para = this.paragraph;
    if (!opened && !allMatched && !cur.blank && this.leaf === PARAGRAPH) {
      // Lazy continuation.
      cur.advanceNextNonspace();
      para.addLine(cur, true, interrupting);
      return;
    }
    if (cur.blank && stack.length > depth && stack[depth].type === LIST_ITEM && !stack[depth].hasChild)
      this.emptyItemClosedByBlank = true;
    this.closeUnmatched(depth);
    if (cur.blank) {
      if (this.leaf === PARAGRAPH || this.leaf === TABLE) this.closeLeaf();
      else if (this.leaf === HTML_BLOCK && this.html.type >= 6) this.closeLeaf();
      return;
    }
    if (this.leaf === INDENTED_CODE && this.leafDepth === depth && cur.indent >= 4) return;
    if (this.leaf === PARAGRAPH && this.leafDepth === depth && !opened) {
      cur.advanceNextNonspace();
      if (this.tables.startsUnder(para)) {
        this.leaf = TABLE;
        this.tables.start(para);
        return;
      }
      para.addLine(cur, false, interrupting);
      return;
    }
    if (this.leaf === TABLE && this.leafDepth === depth && !opened) {
      cur.advanceNextNonspace();
      this.tables.scanRow(cur.offset, cur.lineEnd);
      return;
    }
    this.closeLeaf();
    cur.advanceNextNonspace();
    this.leaf = PARAGRAPH;
    this.leafDepth = depth;
    para.begin(this.containers.emptyItemAt(depth));
    this.containers.markChild();
    para.addLine(cur, false, interrupting);
    // micromark reads a line that leaves a table's containers without opening one as a
    // lazy line, even when it starts a new paragraph: it cannot be a table's header row.
    if (tableLeft && !opened) para.lastLazy = true;
  }

  /** An HTML block starting at `nextNonspace` (a `<`): whether one started. */
  private startHtmlBlock(
    depth: number,
    allMatched: boolean,
    opened: boolean,
    paragraphOpen: boolean,
  ): boolean {
    const cur = this.cursor;
    if (!allMatched && !opened && this.leaf === PARAGRAPH) {
      // micromark: on a lazy line, type 7 HTML ends the paragraph inside its containers,
      // unless it is the text's last line with no line break after it: then the
      // containers end there and the HTML block follows them.
      if (this.html.startType(cur.nextNonspace, false) === 7) {
        if (cur.lineEnd === this.text.length) {
          this.openLeaf(HTML_BLOCK, depth);
          this.html.type = 7;
          this.htmlStarts();
          return true;
        }
        const d = this.leafDepth;
        this.closeLeaf();
        this.leaf = HTML_BLOCK;
        this.leafDepth = d;
        this.html.type = 7;
        this.htmlStarts();
        return true;
      }
    }
    const type = this.html.startType(cur.nextNonspace, paragraphOpen);
    if (type === 0) return false;
    this.openLeaf(HTML_BLOCK, depth);
    this.html.type = type;
    this.htmlStarts();
    if (type <= 5 && this.html.ends(cur.nextNonspace, true)) this.closeLeaf();
    return true;
  }

  private htmlStarts(): void {
    this.htmlLast = this.cursor.lineNo;
    this.htmlLines.push(this.htmlLast);
  }

  private openContainer(type: number, contentIndent: number, markerStart: number, markerEnd: number): void {
    this.closeLeaf();
    this.containers.markChild();
    this.containers.push(type, contentIndent, markerStart, markerEnd, this.cursor.lineNo);
  }

  /** Closes containers beyond the first `depth` (and the leaf if it lives in them). */
  private closeUnmatched(depth: number): void {
    if (this.containers.items.length > depth) {
      if (this.leafDepth > depth) this.closeLeaf();
      this.containers.popTo(depth);
    }
  }

  /** Ends the open leaf and the containers beyond the first `depth`, for a block of one line there. */
  private endBlocksBeyond(depth: number): void {
    this.closeUnmatched(depth);
    this.closeLeaf();
    this.containers.markChild();
  }

  /** Starts a leaf block in the first `depth` containers, ending what it replaces. */
  private openLeaf(kind: number, depth: number): void {
    this.endBlocksBeyond(depth);
    this.leaf = kind;
    this.leafDepth = depth;
  }

  private closeLeaf(): void {
    if (this.leaf === PARAGRAPH) this.paragraph.end();
    else if (this.leaf === HTML_BLOCK) this.htmlLines.push(this.htmlLast);
    this.leaf = NO_LEAF;
  }
}
