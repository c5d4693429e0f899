import { BACKSLASH, COLON, DASH, isSpaceOrTab, PIPE } from './chars';
import type { InlineLinkScanner } from './inline';
import type { LineCursor } from './line-cursor';
import type { Paragraph } from './paragraph';

/**
 * GFM tables: a delimiter row under a paragraph's last line makes that line the header
 * row; each row's cells are scanned for links.
 */
export class TableRows {
  constructor(
    private readonly text: string,
    private readonly cur: LineCursor,
    private readonly inline: InlineLinkScanner,
  ) {}

  /** Whether the line from `offset` is a delimiter row for the paragraph's last line. */
  startsUnder(para: Paragraph): boolean {
    const cur = this.cur;
    if (para.lastLazy || (para.count > 1 && para.lastIndent >= 4) || cur.indent >= 4) return false;
    const t = this.text;
    const le = cur.lineEnd;
    let i = cur.offset;
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
      i = cur.skipSpaces(i);
      if (i >= le) break;
      let c = t.charCodeAt(i);
      if (c === COLON) {
        seen = true;
        i++;
        c = cur.peek(i);
      }
      if (c !== DASH) return false;
      cells++;
      while (i < le && t.charCodeAt(i) === DASH) i++;
      if (cur.peek(i) === COLON) {
        seen = true;
        i++;
      }
      i = cur.skipSpaces(i);
      if (i >= le) break;
      if (t.charCodeAt(i) !== PIPE) return false;
      seen = true;
      i++;
    }
    if (!seen) return false;
    const h = para.count - 1;
    return this.headerCells(para.starts[h], para.ends[h]) === cells;
  }

  /**
   * Starts the table under `para`: its last line is the header row, what precedes it
   * stays a paragraph.
   */
  start(para: Paragraph): void {
    const h = para.count - 1;
    const hs = para.starts[h];
    const he = para.ends[h];
    para.endBefore(h);
    this.scanRow(hs, he);
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

  /** Scans the cells of the row `[s, e)` for links. */
  scanRow(s: number, e: number): void {
    const t = this.text;
    let cellStart = s;
    let i = s;
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
        if (i > cellStart) this.inline.scanSegment(cellStart, i);
        cellStart = i + 1;
      }
      i++;
    }
  }
}
