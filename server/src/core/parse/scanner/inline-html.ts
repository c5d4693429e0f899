import {
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
  LBRACKET,
  LF,
  LT,
  QUESTION,
  SLASH,
  SPACE,
  SQUOTE,
  TAB,
  UNDERSCORE,
} from './chars';
import type { ForwardSearch } from './search';

/**
 * Raw HTML in inline content (tags, comments, processing instructions, declarations,
 * CDATA), which may run over the lines of a paragraph: read through a cursor over its
 * segments, with the line ending between two segments read as a line feed.
 */
export class InlineHtml {
  // A construct with no end in the rest of the text is not searched again (in one scan).
  private noCommentEnd = false;
  private noPiEnd = false;
  private noCdataEnd = false;
  private noDeclEnd = false;

  constructor(
    private readonly text: string,
    private readonly search: ForwardSearch,
  ) {}

  /** Starts the scan of a new piece of inline content. */
  reset(): void {
    this.noCommentEnd = this.noPiEnd = this.noCdataEnd = this.noDeclEnd = false;
  }

  // A cursor over the segments of the content: offset `at` in segment `segment`.
  private at = 0;
  private segment = 0;
  private segmentStarts: number[] = [];
  private segmentEnds: number[] = [];
  private segmentCount = 0;

  /** Current character: a line ending between segments reads as LF; -1 at the end. */
  private current(): number {
    if (this.at < this.segmentEnds[this.segment]) return this.text.charCodeAt(this.at);
    return this.segment + 1 < this.segmentCount ? LF : -1;
  }

  private advance(): void {
    if (this.at < this.segmentEnds[this.segment]) this.at++;
    else if (this.segment + 1 < this.segmentCount) {
      this.segment++;
      this.at = this.segmentStarts[this.segment];
    }
  }

  /** Searches `needle` (no line break in it) from the cursor; moves past it, or returns false. */
  private skipPast(needle: string): boolean {
    const len = needle.length;
    for (;;) {
      const i = this.search.indexOf(needle, this.at);
      if (i === -1) return false;
      while (this.segment < this.segmentCount && this.segmentEnds[this.segment] < i + len) this.segment++;
      if (this.segment >= this.segmentCount) return false;
      if (i >= this.segmentStarts[this.segment]) {
        this.at = i + len;
        return true;
      }
      // Found across a container prefix: not a match; look further.
      this.at = Math.max(i + 1, this.segmentStarts[this.segment]);
    }
  }

  /** End of raw HTML starting at `p` (a `<`) in segment `k`, or -1. */
  tagEnd(p: number, k: number, starts: number[], ends: number[], n: number): number {
    const t = this.text;
    this.segmentStarts = starts;
    this.segmentEnds = ends;
    this.segmentCount = n;
    this.segment = k;
    this.at = p + 1;
    const c1 = this.current();
    if (c1 === BANG) {
      this.advance();
      const c2 = this.current();
      if (c2 === DASH) {
        this.advance();
        if (this.current() !== DASH) return -1;
        // `<!-->` and `<!--->` are comments too: search `-->` from the opening dashes.
        if (this.noCommentEnd) return -1;
        this.at -= 2;
        if (!this.skipPast('-->')) {
          this.noCommentEnd = true;
          return -1;
        }
        return this.at;
      }
      if (c2 === LBRACKET) {
        if (!t.startsWith('[CDATA[', this.at) || this.at + 7 > this.segmentEnds[this.segment]) return -1;
        if (this.noCdataEnd) return -1;
        this.at += 7;
        if (!this.skipPast(']]>')) {
          this.noCdataEnd = true;
          return -1;
        }
        return this.at;
      }
      if (isAsciiAlpha(c2)) {
        if (this.noDeclEnd) return -1;
        if (!this.skipPast('>')) {
          this.noDeclEnd = true;
          return -1;
        }
        return this.at;
      }
      return -1;
    }
    if (c1 === QUESTION) {
      if (this.noPiEnd) return -1;
      this.advance();
      if (!this.skipPast('?>')) {
        this.noPiEnd = true;
        return -1;
      }
      return this.at;
    }
    if (c1 === SLASH) {
      this.advance();
      if (!isAsciiAlpha(this.current())) return -1;
      while (isAsciiAlnum(this.current()) || this.current() === DASH) this.advance();
      for (;;) {
        const c = this.current();
        if (c === SPACE || c === TAB || c === LF) this.advance();
        else break;
      }
      if (this.current() !== GT) return -1;
      this.advance();
      return this.at;
    }
    if (!isAsciiAlpha(c1)) return -1;
    while (isAsciiAlnum(this.current()) || this.current() === DASH) this.advance();
    // Attributes.
    for (;;) {
      let ws = false;
      for (;;) {
        const c = this.current();
        if (c === SPACE || c === TAB || c === LF) {
          ws = true;
          this.advance();
        } else break;
      }
      let c = this.current();
      if (c === SLASH) {
        this.advance();
        if (this.current() !== GT) return -1;
        this.advance();
        return this.at;
      }
      if (c === GT) {
        this.advance();
        return this.at;
      }
      if (!ws || !(isAsciiAlpha(c) || c === UNDERSCORE || c === COLON)) return -1;
      this.advance();
      for (;;) {
        c = this.current();
        if (isAsciiAlnum(c) || c === UNDERSCORE || c === DOT || c === COLON || c === DASH) this.advance();
        else break;
      }
      // Optional value.
      const saveP = this.at;
      const saveK = this.segment;
      for (;;) {
        c = this.current();
        if (c === SPACE || c === TAB || c === LF) this.advance();
        else break;
      }
      if (this.current() !== EQ) {
        this.at = saveP;
        this.segment = saveK;
        continue;
      }
      this.advance();
      for (;;) {
        c = this.current();
        if (c === SPACE || c === TAB || c === LF) this.advance();
        else break;
      }
      c = this.current();
      if (c === DQUOTE || c === SQUOTE) {
        this.advance();
        if (!this.skipPast(c === DQUOTE ? '"' : "'")) return -1;
        c = this.current();
        if (!(c === SPACE || c === TAB || c === LF || c === SLASH || c === GT)) return -1;
      } else {
        if (c === -1 || c === LT || c === EQ || c === GT || c === BACKTICK || c === LF) return -1;
        for (;;) {
          c = this.current();
          if (c === -1 || c === DQUOTE || c === SQUOTE || c === LT || c === EQ || c === BACKTICK) return -1;
          if (c === SPACE || c === TAB || c === LF || c === SLASH || c === GT) break;
          this.advance();
        }
      }
    }
  }
}
