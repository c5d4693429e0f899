import { BACKTICK } from './chars';
import type { LineCursor } from './line-cursor';

/** A fenced code block (` ``` ` or `~~~`): its opening fence, and whether a line closes it. */
export class FencedCode {
  /** The fence character (a backtick or `~`) and the length of the opening fence. */
  private marker = 0;
  private length = 0;

  constructor(private readonly text: string) {}

  /**
   * Whether a fence opens at `nextNonspace` (three or more of its character; a backtick
   * fence has no backtick after it); if so it is remembered as the open one.
   */
  opensAt(cur: LineCursor): boolean {
    const t = this.text;
    const start = cur.nextNonspace;
    const ch = t.charCodeAt(start);
    let i = start;
    const le = cur.lineEnd;
    while (i < le && t.charCodeAt(i) === ch) i++;
    const len = i - start;
    if (len < 3) return false;
    if (ch === BACKTICK) {
      for (let k = i; k < le; k++) if (t.charCodeAt(k) === BACKTICK) return false;
    }
    this.marker = ch;
    this.length = len;
    return true;
  }

  /** Whether the line from `nextNonspace` is a fence closing the open one. */
  closes(cur: LineCursor): boolean {
    const t = this.text;
    let i = cur.nextNonspace;
    const le = cur.lineEnd;
    const start = i;
    while (i < le && t.charCodeAt(i) === this.marker) i++;
    if (i - start < this.length) return false;
    return cur.skipSpaces(i) === le;
  }
}
