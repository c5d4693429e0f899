import type { LineIndex } from '../../text';
import type { WikiLink } from '../../types';
import { markdownLink, scanDestination } from '../mdlink';
import { scanWikiLinks } from '../wikilink';
import { literalAutolinkSpanEnd } from './autolinks';
import { BACKSLASH, BANG, isAsciiPunct, isSpaceOrTab, LBRACKET, LPAREN, RBRACKET } from './chars';
import { CARET, footnoteLabelEnd } from './footnotes';
import { HiddenRanges } from './hidden-ranges';
import { LABEL_MAX, labelClose, labelKey, segmentsText } from './labels';
import { linkResourceEnd, linkResourceOverLines } from './link-destination';
import type { ForwardSearch } from './search';

/**
 * The end of a GFM literal autolink that starts in the word holding the `[` at `open`
 * (after `at`, outside the hidden ranges) and runs past it, or -1. `firstPrev` is -1 on the first
 * line of the content (nothing before), else that line's start (a line break before).
 */
function autolinkOver(
  t: string,
  hidden: readonly number[],
  x: number,
  firstPrev: number,
  lineStart: number,
  /** Where reading is: what lies before it was read (a link's destination, say). */
  at: number,
  open: number,
  e: number,
): number {
  let floor = at;
  for (let y = x; y < hidden.length && hidden[y] <= open; y += 2) {
    if (hidden[y + 1] > open) return -1; // the `[` is hidden: nothing to decide
    floor = Math.max(floor, hidden[y + 1]);
  }
  let w = open;
  while (w > floor && !isSpaceOrTab(t.charCodeAt(w - 1))) w--;
  for (let p = w; p < open; p++) {
    const c = t.charCodeAt(p) | 0x20;
    if (c !== 104 /* h */ && c !== 119 /* w */) continue;
    const prev = p > lineStart ? t.charCodeAt(p - 1) : firstPrev === -1 ? -1 : 10;
    const end = literalAutolinkSpanEnd(t, p, e, prev);
    if (end === -1) continue;
    if (end > open) return end;
    p = end - 1;
  }
  return -1;
}

/** Sorts `links[from…]` by position (markdown links are found before wikilinks). */
function sortLinks(links: WikiLink[], from: number): void {
  const part = links.slice(from);
  part.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  for (let i = 0; i < part.length; i++) links[from + i] = part[i];
}

/** The labels (`labelKey`) a document defines: its footnotes and its link references. */
export interface DefinedLabels {
  footnotes: ReadonlySet<string>;
  references: ReadonlySet<string>;
}

/**
 * Wikilinks and markdown links in inline content (paragraphs, headings, table cells),
 * outside code spans, autolinks and raw HTML (found by `hidden-ranges.ts`).
 */
export class InlineLinkScanner {
  private readonly hidden: HiddenRanges;
  /**
   * The labels (`labelKey`) of links written like a footnote call (`[^1](x.md)`): no
   * links when the document defines that footnote, anywhere (see `BlockScanner.run`).
   */
  readonly callLike = new Set<string>();
  /**
   * While the labels are not known: the labels (as written) that would have made a
   * bracket read before a markdown link a link reference (`[text][label]`, `[label][]`,
   * `[label]`), which ends it there and, for a link, leaves no link around it: when the
   * document defines one, it is read again (see `BlockScanner.run`).
   */
  readonly referenceLike = new Set<string>();
  /** The footnotes the document defines, when known: `[^label]` of one is a call, no bracket. */
  private readonly footnotes?: ReadonlySet<string>;
  /** The link references the document defines, when known. */
  private readonly references?: ReadonlySet<string>;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly links: WikiLink[],
    private readonly search: ForwardSearch,
    defined?: DefinedLabels,
  ) {
    this.hidden = new HiddenRanges(text, search);
    this.footnotes = defined?.footnotes;
    this.references = defined?.references;
  }

  /**
   * Finds wikilinks in inline content given as line segments `[starts[k], ends[k])`,
   * `k` in `[from, n)`, leaving out code spans, raw HTML and autolinks.
   */
  scan(starts: number[], ends: number[], n: number, from = 0): void {
    // Nothing to do without a `[[` or a `](` in the content.
    const last = ends[n - 1];
    const firstWiki = this.search.indexOf('[[', starts[from]);
    const wiki = firstWiki !== -1 && firstWiki < last;
    const firstMd = this.search.indexOf('](', starts[from]);
    const md = firstMd !== -1 && firstMd < last;
    if (!wiki && !md) return;
    this.hidden.clear();
    if (this.inSegments('`', starts, ends, n, from) || this.inSegments('<', starts, ends, n, from))
      this.hidden.find(starts, ends, n, from);
    const before = this.links.length;
    if (md) this.scanMarkdownLinks(starts, ends, n, from);
    const mdAdded = this.links.length > before;
    if (wiki) this.scanWikiLinks(starts, ends, n, from);
    if (mdAdded && this.links.length > before + 1) sortLinks(this.links, before);
  }

  /**
   * Whether `ch` occurs in one of the segments `[starts[k], ends[k])`, `k` in `[from, n)`
   * (sorted, not overlapping): found by the text's search rather than read character by
   * character, since most content holds neither a backtick nor a `<`.
   */
  private inSegments(ch: string, starts: number[], ends: number[], n: number, from: number): boolean {
    if (from >= n) return false;
    let k = from;
    let at = this.search.indexOf(ch, starts[k]);
    while (at !== -1) {
      while (k < n && ends[k] <= at) k++;
      if (k === n) return false;
      if (at >= starts[k]) return true;
      // Between segments (a container's marker): search on from the next segment.
      at = this.search.indexOf(ch, starts[k]);
    }
    return false;
  }

  // The one segment `scanSegment` hands to `scan`.
  private readonly segmentStart = [0];
  private readonly segmentEnd = [0];

  /** `scan` of the one segment `[s, e)` (a heading's content, a table cell). */
  scanSegment(s: number, e: number): void {
    this.segmentStart[0] = s;
    this.segmentEnd[0] = e;
    this.scan(this.segmentStart, this.segmentEnd, 1);
  }

  // Open brackets of the markdown link pass: position, `![`, still able to open a link.
  private readonly opPos: number[] = [];
  private readonly opImage: boolean[] = [];
  private readonly opActive: boolean[] = [];
  private readonly opSegment: number[] = [];

  /**
   * Markdown links `[text](dest)` and images `![alt](dest)` in inline content, outside the
   * excluded ranges, with CommonMark's bracket rules: a `]` closes the nearest open `[`;
   * a link deactivates the `[`s before it (no links in links); links inside an image's
   * text are not links (the image's text is its alt text).
   */
  private scanMarkdownLinks(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const hidden = this.hidden.ranges;
    const pos = this.opPos;
    const image = this.opImage;
    const active = this.opActive;
    const links = this.links;
    const search = this.search;
    const first = links.length;
    const last = ends[n - 1];
    let top = 0;
    let x = 0;
    // The next `](` (every link has one): none left in the content, no link is left either.
    let next = -1;
    for (let k = from; k < n; k++) {
      let e = ends[k];
      let i = starts[k];
      let escEnd = -1;
      while (i < e) {
        if (i > next) {
          next = search.indexOf('](', i);
          if (next === -1 || next >= last) return;
        }
        if (top === 0) {
          // Nothing open: the text up to the next `[` opens nothing (a `]` closes nothing);
          // reading resumes at the `!` and backslashes just before it, which decide
          // whether it is escaped and whether it opens an image.
          const open = search.indexOf('[', i);
          if (open === -1 || open >= e) break;
          // A GFM literal autolink before it in the same word may run over it (micromark
          // starts one only where no `[` is open): its `[` and `]` are the URL's.
          const over = autolinkOver(t, hidden, x, k > from ? starts[k] : -1, starts[k], i, open, e);
          if (over !== -1) {
            i = over;
            continue;
          }
          let r = open;
          if (r > i && t.charCodeAt(r - 1) === BANG) r--;
          while (r > i && t.charCodeAt(r - 1) === BACKSLASH) r--;
          i = r;
        }
        while (x < hidden.length && hidden[x + 1] <= i) x += 2;
        if (x < hidden.length && hidden[x] <= i) {
          i = hidden[x + 1];
          continue;
        }
        const c = t.charCodeAt(i);
        if (c === BACKSLASH) {
          i += i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1)) ? 2 : 1;
          escEnd = i;
          continue;
        }
        if (c === LBRACKET) {
          const bang = i > starts[k] && t.charCodeAt(i - 1) === BANG && escEnd !== i;
          if (!bang && this.footnotes && t.charCodeAt(i + 1) === CARET) {
            // A call of a defined footnote is one piece, no link text (an image stays one).
            const close = footnoteLabelEnd(t, i, e);
            if (close !== -1 && this.footnotes.has(labelKey(t.slice(i + 2, close)))) {
              i = close + 1;
              continue;
            }
          }
          pos[top] = i;
          image[top] = bang;
          active[top] = true;
          this.opSegment[top] = k;
          top++;
        } else if (c === RBRACKET && top > 0) {
          top--;
          let res = -1;
          // Where the destination starts, the end of its line, and the resource's last segment.
          let destAt = i + 2;
          let destEnd = e;
          let resSegment = k;
          if (i + 1 < e && t.charCodeAt(i + 1) === LPAREN) {
            res = linkResourceEnd(t, i + 1, e);
            if (res === -1 && k + 1 < n) {
              const over = linkResourceOverLines(t, starts, ends, n, k, i + 1);
              if (over) {
                res = over.end;
                destAt = over.dest;
                destEnd = over.destLineEnd;
                resSegment = over.segment;
              }
            }
          }
          // Where reading goes on: past the resource, or past a reference.
          let end = res;
          let endSegment = resSegment;
          if (res !== -1) {
            if (active[top]) {
              const o = pos[top];
              this.closeLink(top, first);
              let d = destAt;
              while (d < destEnd && isSpaceOrTab(t.charCodeAt(d))) d++;
              const dest = scanDestination(t, d, destEnd);
              const link =
                dest && markdownLink(t, this.lines, image[top] ? o - 1 : o, res, dest, image[top], 'body');
              if (link) {
                links.push(link);
                if (!image[top] && footnoteLabelEnd(t, o, e) === i)
                  this.callLike.add(labelKey(t.slice(o + 2, i)));
              }
            }
          } else if (active[top]) {
            // No resource: a reference when the label is defined (micromark's order).
            end = this.referenceEnd(starts, ends, n, k, i, top);
            if (end !== -1) {
              this.closeLink(top, first);
              // (its label may end on a later line)
              while (endSegment < n - 1 && end > ends[endSegment]) endSegment++;
            }
          }
          if (end !== -1) {
            i = end;
            if (endSegment !== k) {
              k = endSegment;
              e = ends[k];
              escEnd = -1;
            }
            continue;
          }
        }
        i++;
      }
    }
  }

  /**
   * Where the link reference whose text the `]` at `i` (segment `k` of `n`) closes ends,
   * when the document defines its label: after `[label]` (`[text][label]`), after `[]`
   * (`[text][]`) or right after the `]` (`[text]`), as micromark tries them; -1 when it is
   * none. While the defined labels are not known, it records the labels that would make
   * it one (`referenceLike`) and answers -1.
   */
  private referenceEnd(
    starts: number[],
    ends: number[],
    n: number,
    k: number,
    i: number,
    top: number,
  ): number {
    const t = this.text;
    const o = this.opPos[top];
    // A label holds at most 999 characters: longer text, even with the containers'
    // prefixes of its lines, is none, and is not copied (brackets nested over thousands
    // of lines would copy each pair's text).
    const joined =
      i - o - 1 <= LABEL_MAX * 8
        ? segmentsText(t, starts, ends, this.opSegment[top], o + 1, k, i)
        : undefined;
    const text = joined !== undefined && joined.length <= LABEL_MAX ? joined : undefined;
    const bracket = i + 1 < ends[k] && t.charCodeAt(i + 1) === LBRACKET;
    const full = bracket ? labelClose(t, starts, ends, n, k, i + 1) : undefined;
    const fullText = full && segmentsText(t, starts, ends, k, i + 2, full[0], full[1]);
    const references = this.references;
    if (!references) {
      if (text !== undefined) this.referenceLike.add(text);
      if (fullText !== undefined) this.referenceLike.add(fullText);
      return -1;
    }
    const defined = text !== undefined && references.has(labelKey(text));
    if (!bracket) return defined ? i + 1 : -1;
    if (full && fullText !== undefined && references.has(labelKey(fullText))) return full[1] + 1;
    return defined && i + 2 < ends[k] && t.charCodeAt(i + 2) === RBRACKET ? i + 3 : -1;
  }

  /**
   * The bracket open at `top` closes a link or a reference: the links read inside an
   * image's text are none (its alt text), and a link leaves the brackets before it unable
   * to open one (no links in links).
   */
  private closeLink(top: number, first: number): void {
    const links = this.links;
    if (this.opImage[top]) {
      const o = this.opPos[top];
      while (links.length > first && this.startOf(links[links.length - 1]) > o) links.pop();
    } else for (let j = 0; j < top; j++) if (!this.opImage[j]) this.opActive[j] = false;
  }

  /** Offset of a link's start. */
  private startOf(l: WikiLink): number {
    const r = l.range.start;
    return this.lines.starts[r.line] + r.character;
  }

  /** Wikilinks in inline content, outside the excluded ranges. */
  private scanWikiLinks(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const hidden = this.hidden.ranges;
    const links = this.links;
    const lines = this.lines;
    let x = 0;
    for (let k = from; k < n; k++) {
      let s = starts[k];
      const e = ends[k];
      const next = this.search.indexOf('[[', s);
      if (next === -1) return;
      if (next + 4 >= e) continue;
      while (x < hidden.length && hidden[x + 1] <= s) x += 2;
      while (s < e) {
        if (x < hidden.length && hidden[x] < e) {
          if (hidden[x] > s) scanWikiLinks(t, s, hidden[x], lines, 'body', links);
          s = Math.max(s, hidden[x + 1]);
          if (hidden[x + 1] <= e) x += 2;
          else break;
        } else {
          scanWikiLinks(t, s, e, lines, 'body', links);
          break;
        }
      }
    }
  }
}
