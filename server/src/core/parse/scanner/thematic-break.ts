import { DASH, isSpaceOrTab, STAR } from './chars';
import type { LineCursor } from './line-cursor';

/**
 * Thematic breaks (`***`, `- - -`, `___`). Each line is scanned once per marker character
 * (from its end), not once per question: a line of `- - - - …` asks at every nested list
 * marker, which rescanning made quadratic.
 */
export class ThematicBreakFinder {
  /** Per marker character (`*`, `-`, `_`): the line start the answer is for. */
  private readonly lineStart = [-1, -1, -1];
  /** Per marker character: where the line's tail of that character, spaces and tabs starts. */
  private readonly tailStart = [0, 0, 0];
  /** Per marker character: the third-last marker of that tail (-1: fewer than three). */
  private readonly thirdLast = [-1, -1, -1];

  constructor(private readonly text: string) {}

  /** Whether the rest of the line from `nextNonspace` (a `*`, `-` or `_`) is a thematic break. */
  isBreakAt(cur: LineCursor): boolean {
    const t = this.text;
    const p = cur.nextNonspace;
    const ch = t.charCodeAt(p);
    const slot = ch === STAR ? 0 : ch === DASH ? 1 : 2;
    const ls = cur.lineStart;
    if (this.lineStart[slot] !== ls) {
      let q = cur.lineEnd;
      let n = 0;
      let third = -1;
      while (q > ls) {
        const c = t.charCodeAt(q - 1);
        if (c === ch) {
          if (++n === 3) third = q - 1;
        } else if (!isSpaceOrTab(c)) break;
        q--;
      }
      this.lineStart[slot] = ls;
      this.tailStart[slot] = q;
      this.thirdLast[slot] = third;
    }
    return p >= this.tailStart[slot] && p <= this.thirdLast[slot];
  }
}
