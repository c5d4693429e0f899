import { isSpaceOrTab, SPACE, TAB } from './chars';

/**
 * Where the block scanner stands on the current line: the offset and the column it has
 * consumed (container markers, indentation), and the first non-space character after it.
 * Columns count tabs to the next multiple of 4; a tab consumed only in part leaves
 * `partialTab` set. Every block part reads the line through this one cursor.
 */
export class LineCursor {
  /** Line number, start offset, and end offset (before the line break) of the current line. */
  lineNo = 0;
  lineStart = 0;
  lineEnd = 0;
  /** Consumed up to here: offset and column. */
  offset = 0;
  column = 0;
  partialTab = false;
  /** The first non-space character from `offset` (`lineEnd` if none) and its column. */
  nextNonspace = 0;
  nextNonspaceColumn = 0;
  /** Columns from `column` to `nextNonspaceColumn`. */
  indent = 0;
  /** Nothing but spaces and tabs from `offset` to the end of the line. */
  blank = false;
  /** Start of the last whitespace run searched on this line (-1: none yet). */
  private spaceRunFrom = -1;

  constructor(private readonly text: string) {}

  /** Moves to the start of line `lineNo`, `[start, end)`. */
  startLine(lineNo: number, start: number, end: number): void {
    this.lineNo = lineNo;
    this.lineStart = start;
    this.lineEnd = end;
    this.offset = start;
    this.column = 0;
    this.partialTab = false;
    this.spaceRunFrom = -1;
  }

  /** Sets `nextNonspace`, `nextNonspaceColumn`, `indent` and `blank` for the current offset. */
  findNextNonspace(): void {
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
    const le = this.lineEnd;
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

  advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partialTab = false;
  }

  /**
   * Consumes `count` characters, or with `columns` `count` columns (a tab then counts by
   * the columns it spans, and may be consumed in part).
   */
  advanceOffset(count: number, columns: boolean): void {
    const t = this.text;
    while (count > 0 && this.offset < this.lineEnd) {
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

  /** Consumes a `>` at `nextNonspace` and the one space or tab column after it. */
  advancePastBlockQuoteMarker(): void {
    this.advanceNextNonspace();
    this.advanceOffset(1, false);
    if (isSpaceOrTab(this.peek(this.offset))) this.advanceOffset(1, true);
  }

  /** The character at `i` of the current line, or -1 past its end. */
  peek(i: number): number {
    return i < this.lineEnd ? this.text.charCodeAt(i) : -1;
  }

  /** Offset of the first character at or after `i` that is no space or tab (or the line end). */
  skipSpaces(i: number): number {
    const t = this.text;
    const le = this.lineEnd;
    while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
    return i;
  }

  /** Offset after the trailing spaces and tabs before `e` are dropped (not before `s`). */
  trimEnd(s: number, e: number): number {
    const t = this.text;
    while (e > s && isSpaceOrTab(t.charCodeAt(e - 1))) e--;
    return e;
  }
}
