import { DASH, DOT, GT, isDigit, isSpaceOrTab, PLUS, RPAREN, STAR } from './chars';
import type { LineCursor } from './line-cursor';

/** What a block quote or list item open on the container stack records. */
export interface Container {
  type: number;
  /** List item: columns of content indentation (marker offset + padding). */
  contentIndent: number;
  /** List item: whether anything was added to it yet. */
  hasChild: boolean;
  /** List item: offset of the marker. */
  markerStart: number;
  markerEnd: number;
  /** List item: line of the marker; -1 once a task item was made of it. */
  markerLine: number;
  /** List item: number of list items enclosing it. */
  depth: number;
  /** Number of list items up to and including this container (so a push needs no stack walk). */
  itemsIn: number;
  /**
   * This and every container below it are list items with content or footnote
   * definitions: a blank line continues them.
   */
  blankContinues: boolean;
}

export const BLOCK_QUOTE = 1;
export const LIST_ITEM = 2;
/** A GFM footnote definition (`[^1]: …`): its content is indented by four columns. */
export const FOOTNOTE = 3;

export type ListItem = Container;

/**
 * The open block quotes and list items, outermost first: a flat stack, so nesting depth
 * costs no recursion. The block scanner decides when to open and close them; this knows
 * which of them a line continues.
 */
export class ContainerStack {
  readonly items: Container[] = [];

  /**
   * How many open containers the current line continues, consuming their markers (`>`)
   * and indentation from the cursor.
   */
  continuedBy(cur: LineCursor): number {
    const stack = this.items;
    let matched = 0;
    cur.findNextNonspace();
    if (cur.blank && stack.length > 0) {
      // A blank line continues the leading list items that have content and footnote
      // definitions, and ends at the first block quote or empty item. `blankContinues` is true for exactly that prefix,
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
      if (matched > 0) cur.advanceNextNonspace();
    } else {
      // The container before was a footnote definition that took four columns of indentation.
      let afterFootnoteIndent = false;
      for (; matched < stack.length; matched++) {
        const c = stack[matched];
        cur.findNextNonspace();
        if (c.type === FOOTNOTE) {
          // A blank line, even in a definition with nothing yet, or four columns of
          // indentation. micromark (remark-gfm) asks whether the last prefix it read was
          // four columns of footnote indentation: right after the enclosing definition's
          // own, with no white space between, that one answers yes.
          if (cur.blank) cur.advanceNextNonspace();
          else if (cur.indent >= 4) {
            cur.advanceOffset(4, true);
            afterFootnoteIndent = true;
          } else if (!(afterFootnoteIndent && cur.indent === 0)) break;
          continue;
        }
        afterFootnoteIndent = false;
        if (c.type === BLOCK_QUOTE) {
          if (cur.indent <= 3 && cur.peek(cur.nextNonspace) === GT) cur.advancePastBlockQuoteMarker();
          else break;
        } else {
          if (cur.blank) {
            if (!c.hasChild) break;
            cur.advanceNextNonspace();
          } else if (cur.indent >= c.contentIndent) {
            cur.advanceOffset(c.contentIndent, true);
          } else break;
        }
      }
    }
    return matched;
  }

  /** Opens a container on line `line` inside the open ones. */
  push(type: number, contentIndent: number, markerStart: number, markerEnd: number, line: number): void {
    // Enclosing list items, from the top container in O(1): walking down the stack to the
    // nearest item was quadratic for a line of 100,000 `>` (each opens a block quote).
    const top = this.items.length > 0 ? this.items[this.items.length - 1] : undefined;
    const depth = top ? top.itemsIn : 0;
    this.items.push({
      type,
      contentIndent,
      hasChild: false,
      markerStart,
      markerEnd,
      markerLine: line,
      depth,
      itemsIn: depth + (type === LIST_ITEM ? 1 : 0),
      // A footnote definition goes on over blank lines from the start (a list item only
      // once it has content).
      blankContinues: type === FOOTNOTE && (!top || top.blankContinues),
    });
  }

  /** Closes the containers beyond the first `depth`. */
  popTo(depth: number): void {
    const stack = this.items;
    while (stack.length > depth) stack.pop();
  }

  /** The innermost container now has content (list items may then continue over blank lines). */
  markChild(): void {
    const s = this.items;
    if (s.length > 0) {
      const top = s[s.length - 1];
      top.hasChild = true;
      top.blankContinues =
        (top.type === LIST_ITEM || top.type === FOOTNOTE) &&
        (s.length === 1 || s[s.length - 2].blankContinues);
    }
  }

  /** The list item at `depth` (1-based) if nothing was added to it yet: a paragraph there is its first content. */
  emptyItemAt(depth: number): ListItem | null {
    const top = depth > 0 ? this.items[depth - 1] : undefined;
    return top && top.type === LIST_ITEM && !top.hasChild ? top : null;
  }
}

/**
 * End of a list marker (`-`, `*`, `+`, `1.`, `1)`) at `nextNonspace`, or -1 when none
 * starts there. When it `interrupts` an open paragraph (or indented code), micromark lets
 * only a bullet or `1` start an item, and not an empty one.
 */
export function listMarkerEnd(text: string, cur: LineCursor, interrupting: boolean): number {
  const start = cur.nextNonspace;
  const le = cur.lineEnd;
  let i = start;
  const c = text.charCodeAt(i);
  if (c === STAR || c === DASH || c === PLUS) {
    i++;
  } else {
    while (i < le && isDigit(text.charCodeAt(i)) && i - start < 10) i++;
    const digits = i - start;
    const d = cur.peek(i);
    if (digits > 9 || (d !== DOT && d !== RPAREN)) return -1;
    if (interrupting && (digits !== 1 || c !== 49)) return -1;
    i++;
  }
  const next = cur.peek(i);
  if (next !== -1 && !isSpaceOrTab(next)) return -1;
  if (interrupting && cur.skipSpaces(i) === le) return -1;
  return i;
}

/**
 * Consumes the list marker at `nextNonspace` (ending at `markerEnd`) and the spaces after
 * it that belong to the item; returns the padding in columns (marker width + spaces).
 * Five or more spaces, or none before the end of the line, leave one: the rest is content.
 */
export function advancePastListMarker(cur: LineCursor, markerEnd: number): number {
  const markerWidth = markerEnd - cur.nextNonspace;
  cur.advanceNextNonspace();
  cur.advanceOffset(markerWidth, true);
  const spacesStartCol = cur.column;
  const spacesStartOffset = cur.offset;
  const spacesStartPartial = cur.partialTab;
  let nc: number;
  do {
    cur.advanceOffset(1, true);
    nc = cur.peek(cur.offset);
  } while (cur.column - spacesStartCol < 5 && isSpaceOrTab(nc));
  const blankItem = cur.offset >= cur.lineEnd;
  const spaces = cur.column - spacesStartCol;
  if (spaces >= 5 || spaces < 1 || blankItem) {
    cur.column = spacesStartCol;
    cur.offset = spacesStartOffset;
    cur.partialTab = spacesStartPartial;
    if (isSpaceOrTab(cur.peek(cur.offset))) cur.advanceOffset(1, true);
    return markerWidth + 1;
  }
  return markerWidth + spaces;
}
