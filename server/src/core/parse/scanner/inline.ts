import type { LineIndex } from '../../text';
import type { WikiLink } from '../../types';
import { markdownLink, scanDestination } from '../mdlink';
import { scanWikiLinks } from '../wikilink';
import {
  BACKSLASH,
  BACKTICK,
  BANG,
  COLON,
  DASH,
  DOT,
  DQUOTE,
  EQ,
  GT,
  isAsciiAlnum,
  isAsciiAlpha,
  isAsciiPunct,
  isSpaceOrTab,
  LBRACKET,
  LF,
  LPAREN,
  LT,
  PLUS,
  QUESTION,
  RBRACKET,
  SLASH,
  SPACE,
  SQUOTE,
  STAR,
  TAB,
  TILDE,
  UNDERSCORE,
} from './chars';
import { linkResourceEnd } from './link-destination';
import type { ForwardSearch } from './search';

/** Sorts `links[from…]` by position (markdown links are found before wikilinks). */
function sortLinks(links: WikiLink[], from: number): void {
  const part = links.slice(from);
  part.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  for (let i = 0; i < part.length; i++) links[from + i] = part[i];
}

const TRAIL = '!"\')*,.:;?_~';
const EMAIL_PUNCT = ".!#$%&'*+/=?^_`{|}~-";

/**
 * Wikilinks in inline content (paragraphs, headings, table cells), leaving out what hides
 * them: code spans, raw HTML, autolinks, and the destinations of ordinary links.
 */
export class InlineLinkScanner {
  // Left-out ranges of the content being scanned, as [start, end) pairs.
  private readonly excl: number[] = [];
  // A construct with no end in the rest of the text is not searched again.
  private noCommentEnd = false;
  private noPiEnd = false;
  private noCdataEnd = false;
  private noDeclEnd = false;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly links: WikiLink[],
    private readonly search: ForwardSearch,
  ) {}

  /**
   * Finds wikilinks in inline content given as line segments `[starts[k], ends[k])`,
   * `k` in `[from, n)`, leaving out code spans, raw HTML and autolinks.
   */
  scan(starts: number[], ends: number[], n: number, from = 0): void {
    const t = this.text;
    // Nothing to do without a `[[` or a `](` in the content.
    const last = ends[n - 1];
    const firstWiki = this.search.indexOf('[[', starts[from]);
    const wiki = firstWiki !== -1 && firstWiki < last;
    const firstMd = this.search.indexOf('](', starts[from]);
    const md = firstMd !== -1 && firstMd < last;
    if (!wiki && !md) return;
    const excl = this.excl;
    if (excl.length > 0) excl.length = 0;
    this.noCommentEnd = this.noPiEnd = this.noCdataEnd = this.noDeclEnd = false;
    let special = false;
    for (let k = from; k < n && !special; k++) {
      const s = starts[k];
      const e = ends[k];
      for (let i = s; i < e; i++) {
        const c = t.charCodeAt(i);
        if (c === BACKTICK || c === LT) {
          special = true;
          break;
        }
      }
    }
    if (special) this.findCodeAndHtml(starts, ends, n, from);
    const before = this.links.length;
    if (md) this.scanMarkdownLinks(starts, ends, n, from);
    const mdAdded = this.links.length > before;
    if (wiki) this.scanWikiLinks(starts, ends, n, from);
    if (mdAdded && this.links.length > before + 1) sortLinks(this.links, before);
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

  /**
   * Markdown links `[text](dest)` and images `![alt](dest)` in inline content, outside the
   * excluded ranges, with CommonMark's bracket rules: a `]` closes the nearest open `[`;
   * a link deactivates the `[`s before it (no links in links); links inside an image's
   * text are not links (the image's text is its alt text).
   */
  private scanMarkdownLinks(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const excl = this.excl;
    const pos = this.opPos;
    const image = this.opImage;
    const active = this.opActive;
    const links = this.links;
    const first = links.length;
    let top = 0;
    let x = 0;
    for (let k = from; k < n; k++) {
      const e = ends[k];
      let i = starts[k];
      let escEnd = -1;
      while (i < e) {
        while (x < excl.length && excl[x + 1] <= i) x += 2;
        if (x < excl.length && excl[x] <= i) {
          i = excl[x + 1];
          continue;
        }
        const c = t.charCodeAt(i);
        if (c === BACKSLASH) {
          i += i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1)) ? 2 : 1;
          escEnd = i;
          continue;
        }
        if (c === LBRACKET) {
          pos[top] = i;
          image[top] = i > starts[k] && t.charCodeAt(i - 1) === BANG && escEnd !== i;
          active[top] = true;
          top++;
        } else if (c === RBRACKET && top > 0) {
          top--;
          if (i + 1 < e && t.charCodeAt(i + 1) === LPAREN) {
            const res = linkResourceEnd(t, i + 1, e);
            if (res !== -1) {
              if (active[top]) {
                const o = pos[top];
                if (image[top]) {
                  while (links.length > first && this.startOf(links[links.length - 1]) > o) links.pop();
                } else for (let j = 0; j < top; j++) if (!image[j]) active[j] = false;
                let d = i + 2;
                while (d < e && isSpaceOrTab(t.charCodeAt(d))) d++;
                const dest = scanDestination(t, d, e);
                const link =
                  dest && markdownLink(t, this.lines, image[top] ? o - 1 : o, res, dest, image[top], 'body');
                if (link) links.push(link);
              }
              i = res;
              continue;
            }
          }
        }
        i++;
      }
    }
  }

  /** Offset of a link's start. */
  private startOf(l: WikiLink): number {
    const r = l.range.start;
    return this.lines.starts[r.line] + r.character;
  }

  /** Wikilinks in inline content, outside the excluded ranges. */
  private scanWikiLinks(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const excl = this.excl;
    const links = this.links;
    const lines = this.lines;
    let x = 0;
    for (let k = from; k < n; k++) {
      let s = starts[k];
      const e = ends[k];
      const next = this.search.indexOf('[[', s);
      if (next === -1) return;
      if (next + 4 >= e) continue;
      while (x < excl.length && excl[x + 1] <= s) x += 2;
      while (s < e) {
        if (x < excl.length && excl[x] < e) {
          if (excl[x] > s) scanWikiLinks(t, s, excl[x], lines, 'body', links);
          s = Math.max(s, excl[x + 1]);
          if (excl[x + 1] <= e) x += 2;
          else break;
        } else {
          scanWikiLinks(t, s, e, lines, 'body', links);
          break;
        }
      }
    }
  }

  // Per-paragraph backtick runs, grouped by length, for linear code span matching.
  private runsByLen = new Map<number, number[]>();
  private runPtr = new Map<number, number>();

  private findCodeAndHtml(starts: number[], ends: number[], n: number, from: number): void {
    const t = this.text;
    const excl = this.excl;
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
    let openBrackets = 0;
    while (k < n) {
      const e = ends[k];
      if (i >= e) {
        if (++k < n) i = starts[k];
        continue;
      }
      const c = t.charCodeAt(i);
      let to = -1;
      if (c === BACKSLASH) {
        i += i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1)) ? 2 : 1;
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
        openBrackets++;
      } else if (c === RBRACKET && openBrackets > 0) {
        openBrackets--;
        // A link's `(destination "title")` is not inline text (written on one line).
        if (i + 1 < e && t.charCodeAt(i + 1) === LPAREN) {
          const res = linkResourceEnd(t, i + 1, e);
          if (res !== -1) {
            i = res;
            continue;
          }
        }
      } else if ((c | 0x20) === 104 /* h */ || (c | 0x20) === 119 /* w */) {
        // A GFM literal autolink runs to whitespace or `<`, over backticks.
        const prev = i > starts[k] ? t.charCodeAt(i - 1) : k > from ? LF : -1;
        const lit = this.literalAutolinkEnd(i, e, prev);
        if (lit !== -1) {
          i = lit;
          continue;
        }
      } else if (c === LT) {
        // An autolink is skipped but not left out: the reference sees links in it.
        const auto = this.autolinkEnd(i, e);
        if (auto !== -1) {
          i = auto;
          continue;
        }
        to = this.inlineTagEnd(i, k, starts, ends, n);
      }
      if (to === -1) {
        i++;
        continue;
      }
      excl.push(i, to);
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

  // Cursor over paragraph segments for constructs that may span lines (raw HTML).
  private cp = 0;
  private ck = 0;
  private cStarts: number[] = [];
  private cEnds: number[] = [];
  private cN = 0;

  /** Current character: a line ending between segments reads as LF; -1 at the end. */
  private cc(): number {
    if (this.cp < this.cEnds[this.ck]) return this.text.charCodeAt(this.cp);
    return this.ck + 1 < this.cN ? LF : -1;
  }

  private cnext(): void {
    if (this.cp < this.cEnds[this.ck]) this.cp++;
    else if (this.ck + 1 < this.cN) {
      this.ck++;
      this.cp = this.cStarts[this.ck];
    }
  }

  /** Searches `needle` (no line break in it) from the cursor; moves past it. */
  private cfind(needle: string): boolean {
    const len = needle.length;
    for (;;) {
      const i = this.search.indexOf(needle, this.cp);
      if (i === -1) return false;
      while (this.ck < this.cN && this.cEnds[this.ck] < i + len) this.ck++;
      if (this.ck >= this.cN) return false;
      if (i >= this.cStarts[this.ck]) {
        this.cp = i + len;
        return true;
      }
      // Found across a container prefix: not a match; look further.
      this.cp = Math.max(i + 1, this.cStarts[this.ck]);
    }
  }

  /** End of raw HTML starting at `p` (a `<`) in segment `k`, or -1. */
  private inlineTagEnd(p: number, k: number, starts: number[], ends: number[], n: number): number {
    const t = this.text;
    this.cStarts = starts;
    this.cEnds = ends;
    this.cN = n;
    this.ck = k;
    this.cp = p + 1;
    const c1 = this.cc();
    if (c1 === BANG) {
      this.cnext();
      const c2 = this.cc();
      if (c2 === DASH) {
        this.cnext();
        if (this.cc() !== DASH) return -1;
        // `<!-->` and `<!--->` are comments too: search `-->` from the opening dashes.
        if (this.noCommentEnd) return -1;
        this.cp -= 2;
        if (!this.cfind('-->')) {
          this.noCommentEnd = true;
          return -1;
        }
        return this.cp;
      }
      if (c2 === LBRACKET) {
        if (!t.startsWith('[CDATA[', this.cp) || this.cp + 7 > this.cEnds[this.ck]) return -1;
        if (this.noCdataEnd) return -1;
        this.cp += 7;
        if (!this.cfind(']]>')) {
          this.noCdataEnd = true;
          return -1;
        }
        return this.cp;
      }
      if (isAsciiAlpha(c2)) {
        if (this.noDeclEnd) return -1;
        if (!this.cfind('>')) {
          this.noDeclEnd = true;
          return -1;
        }
        return this.cp;
      }
      return -1;
    }
    if (c1 === QUESTION) {
      if (this.noPiEnd) return -1;
      this.cnext();
      if (!this.cfind('?>')) {
        this.noPiEnd = true;
        return -1;
      }
      return this.cp;
    }
    if (c1 === SLASH) {
      this.cnext();
      if (!isAsciiAlpha(this.cc())) return -1;
      while (isAsciiAlnum(this.cc()) || this.cc() === DASH) this.cnext();
      for (;;) {
        const c = this.cc();
        if (c === SPACE || c === TAB || c === LF) this.cnext();
        else break;
      }
      if (this.cc() !== GT) return -1;
      this.cnext();
      return this.cp;
    }
    if (!isAsciiAlpha(c1)) return -1;
    while (isAsciiAlnum(this.cc()) || this.cc() === DASH) this.cnext();
    // Attributes.
    for (;;) {
      let ws = false;
      for (;;) {
        const c = this.cc();
        if (c === SPACE || c === TAB || c === LF) {
          ws = true;
          this.cnext();
        } else break;
      }
      let c = this.cc();
      if (c === SLASH) {
        this.cnext();
        if (this.cc() !== GT) return -1;
        this.cnext();
        return this.cp;
      }
      if (c === GT) {
        this.cnext();
        return this.cp;
      }
      if (!ws || !(isAsciiAlpha(c) || c === UNDERSCORE || c === COLON)) return -1;
      this.cnext();
      for (;;) {
        c = this.cc();
        if (isAsciiAlnum(c) || c === UNDERSCORE || c === DOT || c === COLON || c === DASH) this.cnext();
        else break;
      }
      // Optional value.
      const saveP = this.cp;
      const saveK = this.ck;
      for (;;) {
        c = this.cc();
        if (c === SPACE || c === TAB || c === LF) this.cnext();
        else break;
      }
      if (this.cc() !== EQ) {
        this.cp = saveP;
        this.ck = saveK;
        continue;
      }
      this.cnext();
      for (;;) {
        c = this.cc();
        if (c === SPACE || c === TAB || c === LF) this.cnext();
        else break;
      }
      c = this.cc();
      if (c === DQUOTE || c === SQUOTE) {
        this.cnext();
        if (!this.cfind(c === DQUOTE ? '"' : "'")) return -1;
        c = this.cc();
        if (!(c === SPACE || c === TAB || c === LF || c === SLASH || c === GT)) return -1;
      } else {
        if (c === -1 || c === LT || c === EQ || c === GT || c === BACKTICK || c === LF) return -1;
        for (;;) {
          c = this.cc();
          if (c === -1 || c === DQUOTE || c === SQUOTE || c === LT || c === EQ || c === BACKTICK) return -1;
          if (c === SPACE || c === TAB || c === LF || c === SLASH || c === GT) break;
          this.cnext();
        }
      }
    }
  }

  /** End of a GFM literal autolink (`https://…`, `www.…`) at `p`, or -1. */
  private literalAutolinkEnd(p: number, e: number, prev: number): number {
    const t = this.text;
    let i = p;
    if ((t.charCodeAt(p) | 0x20) === 104) {
      if (isAsciiAlpha(prev)) return -1;
      let j = p;
      while (j < e && j - p < 6 && isAsciiAlpha(t.charCodeAt(j))) j++;
      const scheme = t.slice(p, j).toLowerCase();
      if ((scheme !== 'http' && scheme !== 'https') || !t.startsWith('://', j)) return -1;
      i = j + 3;
      if (i >= e) return -1;
      const c = t.charCodeAt(i);
      if (c < 128 ? !isAsciiAlnum(c) && c !== DASH : /[\s\p{P}]/u.test(t[i])) return -1;
    } else {
      const okPrev =
        prev === -1 ||
        prev === LF ||
        isSpaceOrTab(prev) ||
        prev === LPAREN ||
        prev === STAR ||
        prev === UNDERSCORE ||
        prev === LBRACKET ||
        prev === RBRACKET ||
        prev === TILDE;
      if (!okPrev || !/^www\./i.test(t.slice(p, p + 4)) || p + 4 >= e) return -1;
    }
    // Domain: segments separated by dots; needs a dot, no `_` in the last two segments.
    let dot = false;
    let usLast = false;
    let usLastLast = false;
    let j = i;
    while (j < e) {
      const c = t.charCodeAt(j);
      if (c === DOT || c === UNDERSCORE) {
        // A run of trailing punctuation ends the domain.
        let k = j;
        while (k < e && TRAIL.indexOf(t[k]) !== -1) k++;
        if (k >= e || isSpaceOrTab(t.charCodeAt(k)) || t.charCodeAt(k) === LT) break;
        if (c === UNDERSCORE) usLast = true;
        else {
          usLastLast = usLast;
          usLast = false;
          dot = true;
        }
        j++;
        continue;
      }
      if (c === SPACE || c === TAB) break;
      if (c < 128 ? c !== DASH && isAsciiPunct(c) : /[\s\p{P}]/u.test(t[j])) break;
      j++;
    }
    if (!dot || usLast || usLastLast) return -1;
    // Path: to whitespace or `<`.
    while (j < e) {
      const c = t.charCodeAt(j);
      if (c === SPACE || c === TAB || c === LT) break;
      j++;
    }
    return j;
  }

  /** End of a URI or email autolink at `p` (a `<`) before `e`, or -1. */
  private autolinkEnd(p: number, e: number): number {
    const t = this.text;
    let i = p + 1;
    // URI: scheme (2-32 chars) `:` then no space, `<` or `>`.
    if (i < e && isAsciiAlpha(t.charCodeAt(i))) {
      let j = i + 1;
      while (j < e && j - i < 33) {
        const c = t.charCodeAt(j);
        if (isAsciiAlnum(c) || c === PLUS || c === DOT || c === DASH) j++;
        else break;
      }
      if (j < e && t.charCodeAt(j) === COLON && j - i >= 2 && j - i <= 32) {
        j++;
        while (j < e) {
          const c = t.charCodeAt(j);
          if (c === GT) return j + 1;
          if (c <= SPACE || c === LT || c === 127) break;
          j++;
        }
      }
    }
    // Email.
    i = p + 1;
    let j = i;
    while (j < e) {
      const c = t.charCodeAt(j);
      if (isAsciiAlnum(c) || (c < 128 && EMAIL_PUNCT.indexOf(String.fromCharCode(c)) !== -1)) j++;
      else break;
    }
    if (j === i || j >= e || t.charCodeAt(j) !== 64 /* @ */) return -1;
    j++;
    // Domain labels: alnum, inner hyphens, up to 63 chars, separated by dots.
    for (;;) {
      const ls = j;
      while (j < e && (isAsciiAlnum(t.charCodeAt(j)) || t.charCodeAt(j) === DASH) && j - ls < 63) j++;
      if (j === ls || t.charCodeAt(ls) === DASH || t.charCodeAt(j - 1) === DASH) return -1;
      if (j < e && t.charCodeAt(j) === DOT) {
        j++;
        continue;
      }
      break;
    }
    return j < e && t.charCodeAt(j) === GT ? j + 1 : -1;
  }
}
