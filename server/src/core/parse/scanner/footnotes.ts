import { BACKSLASH, CR, LBRACKET, LF, RBRACKET, SPACE, TAB } from './chars';
import { LABEL_MAX } from './labels';

export const CARET = 94;

/**
 * GFM footnotes (remark-gfm, GitHub): a definition `[^label]: text` is a container, like a
 * list item, whose content goes on over lines indented by four columns and blank lines; a
 * call `[^label]` refers to a definition anywhere in the document, and is then no link
 * (`[^1](x.md)` is the call and the text `(x.md)`).
 */

/**
 * The `]` closing a footnote label that starts at `i` (`[^`) before `e`, or -1: one to
 * 999 characters, no white space or `[` (a backslash escapes `[`, `]` and `\`).
 */
export function footnoteLabelEnd(t: string, i: number, e: number): number {
  if (t.charCodeAt(i) !== LBRACKET || t.charCodeAt(i + 1) !== CARET) return -1;
  let size = 0;
  let j = i + 2;
  while (j < e) {
    if (size > LABEL_MAX) return -1;
    const c = t.charCodeAt(j);
    if (c === RBRACKET) return size > 0 ? j : -1;
    if (c === LBRACKET || c === SPACE || c === TAB || c === LF || c === CR) return -1;
    size++;
    j++;
    if (c === BACKSLASH && j < e) {
      const d = t.charCodeAt(j);
      if (d === LBRACKET || d === BACKSLASH || d === RBRACKET) {
        size++;
        j++;
      }
    }
  }
  return -1;
}
