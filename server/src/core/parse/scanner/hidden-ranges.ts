import { autolinkEnd, literalAutolinkEnd } from './autolinks';
import { BACKSLASH, BACKTICK, BANG, isAsciiPunct, LBRACKET, LF, LPAREN, LT, RBRACKET } from './chars';
import { InlineHtml } from './inline-html';
import { linkResourceEnd } from './link-destination';
import type { ForwardSearch } from './search';

/** Open label starts: a link's `[`, an image's `![`, a link's `[` with a link formed inside. */
const LINK = 1;
const IMAGE = 2;
const INACTIVE = 0;

/**
 * What hides links in inline content: code spans, autolinks (`<https://…>`, `<a@b.c>`:
 * their content is a URL) and raw HTML, as `[start, end)` pairs in `ranges` (in order),
 * found once per piece of inline content. Link resources and GFM literal autolinks are
 * read past: what they hold starts none of these.
 */
export class HiddenRanges {
  readonly ranges: number[] = [];
  private readonly html: InlineHtml;
  /** The open label starts of the content being read (`LINK`, `IMAGE`, `INACTIVE`). */
  private readonly labels: number[] = [];

  constructor(
    private readonly text: string,
    search: ForwardSearch,
  ) {
    this.html = new InlineHtml(text, search);
  }

  /** Forgets the ranges of the last piece of content. */
  clear(): void {
    const ranges = this.ranges;
    if (ranges.length > 0) ranges.length = 0;
    this.html.reset();
  }

  // Per-paragraph backtick runs, grouped by length, for linear code span matching.
  private readonly runsByLen = new Map<number, number[]>();
  private readonly runPtr = new Map<number, number>();

  /**
   * Finds what hides links in the segments `[starts[k], ends[k])`, `k` in `[from, n)`:
   * code spans, autolinks and raw HTML become ranges; a link's resource and a literal
   * autolink are read past but not left out.
   */
  find(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const ranges = this.ranges;
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
    // The label starts not closed yet, as micromark keeps them: an image's `![`, a link's
    // `[`, and a link's `[` made inactive by a link formed inside it (links hold no links),
    // whose `](…)` is text then. A GFM literal autolink starts only where none is open.
    const labels = this.labels;
    labels.length = 0;
    // Where the last backslash escape ended.
    let escaped = -1;
    while (k < n) {
      const e = ends[k];
      if (i >= e) {
        if (++k < n) i = starts[k];
        continue;
      }
      const c = t.charCodeAt(i);
      let to = -1;
      if (c === BACKSLASH) {
        if (i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1))) {
          i += 2;
          escaped = i;
        } else i++;
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
        // (`\![` starts a link: its `!` is text)
        labels.push(i > starts[k] && t.charCodeAt(i - 1) === BANG && escaped !== i ? IMAGE : LINK);
      } else if (c === RBRACKET && labels.length > 0) {
        const label = labels.pop()!;
        // A link's `(destination "title")` is not inline text (written on one line).
        if (label !== INACTIVE && i + 1 < e && t.charCodeAt(i + 1) === LPAREN) {
          const res = linkResourceEnd(t, i + 1, e);
          if (res !== -1) {
            if (label === LINK)
              for (let l = 0; l < labels.length; l++) if (labels[l] === LINK) labels[l] = INACTIVE;
            i = res;
            continue;
          }
        }
      } else if (((c | 0x20) === 104 /* h */ || (c | 0x20) === 119) /* w */ && labels.length === 0) {
        // A GFM literal autolink runs to whitespace or `<`, over backticks.
        const prev = i > starts[k] ? t.charCodeAt(i - 1) : k > from ? LF : -1;
        const lit = literalAutolinkEnd(t, i, e, prev);
        if (lit !== -1) {
          i = lit;
          continue;
        }
      } else if (c === LT) {
        // An autolink's content is a URL: no wikilink, no bracket of a markdown link.
        to = autolinkEnd(t, i, e);
        if (to === -1) to = this.html.tagEnd(i, k, starts, ends, n);
      }
      if (to === -1) {
        i++;
        continue;
      }
      ranges.push(i, to);
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
}
