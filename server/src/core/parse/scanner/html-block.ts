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
  isSpaceOrTab,
  LBRACKET,
  LT,
  QUESTION,
  SLASH,
  SPACE,
  SQUOTE,
  TAB,
  UNDERSCORE,
} from './chars';
import type { LineCursor } from './line-cursor';
import type { ForwardSearch } from './search';

const HTML_BLOCK_NAMES = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir ' +
    'div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html ' +
    'iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary ' +
    'table tbody td tfoot th thead title tr track ul'
  ).split(' '),
);
const HTML_RAW_NAMES = new Set(['pre', 'script', 'style', 'textarea']);

/**
 * HTML blocks, by CommonMark's seven kinds: how one starts on a line, and (kinds 1-5) the
 * end condition the open one waits for. Kinds 6 and 7 end at a blank line.
 */
export class HtmlBlock {
  /** Kind (1-7) of the open HTML block. */
  type = 0;

  constructor(
    private readonly text: string,
    private readonly cur: LineCursor,
    private readonly search: ForwardSearch,
  ) {}

  /** HTML block start condition (1..7) at `p` (a `<`), or 0. */
  startType(p: number, paragraphOpen: boolean): number {
    const t = this.text;
    const cur = this.cur;
    const le = cur.lineEnd;
    const c1 = cur.peek(p + 1);
    if (c1 === BANG) {
      const c2 = cur.peek(p + 2);
      if (c2 === DASH && cur.peek(p + 3) === DASH) return 2;
      if (isAsciiAlpha(c2)) return 4;
      if (c2 === LBRACKET && t.startsWith('CDATA[', p + 3)) return 5;
      return 0;
    }
    if (c1 === QUESTION) return 3;
    let i = p + 1;
    const closing = c1 === SLASH;
    if (closing) i++;
    const nameStart = i;
    if (!isAsciiAlpha(cur.peek(i))) return 0;
    while (i < le && (isAsciiAlnum(t.charCodeAt(i)) || t.charCodeAt(i) === DASH)) i++;
    const name = t.slice(nameStart, i).toLowerCase();
    const after = cur.peek(i);
    const ends = after === -1 || isSpaceOrTab(after) || after === GT;
    if (!closing && HTML_RAW_NAMES.has(name) && ends) return 1;
    if (HTML_BLOCK_NAMES.has(name) && (ends || (after === SLASH && cur.peek(i + 1) === GT))) return 6;
    if (paragraphOpen) return 0;
    // Type 7: a complete open or closing tag alone on its line; as in micromark, that
    // takes the raw-text names too when they are no start of kind 1 (`</pre>`, `<pre/>`).
    const end = closing ? this.closingTagEnd(i) : this.openTagEnd(i);
    if (end === -1) return 0;
    for (let k = end; k < le; k++) if (!isSpaceOrTab(t.charCodeAt(k))) return 0;
    return 7;
  }

  /** Single-line open tag remainder after the name at `i`; end offset or -1. */
  private openTagEnd(i: number): number {
    const t = this.text;
    const cur = this.cur;
    const le = cur.lineEnd;
    for (;;) {
      const ws = i;
      while (i < le && isSpaceOrTab(t.charCodeAt(i))) i++;
      const c = cur.peek(i);
      if (c === SLASH) return cur.peek(i + 1) === GT ? i + 2 : -1;
      if (c === GT) return i + 1;
      if (i === ws) return -1;
      if (!(isAsciiAlpha(c) || c === UNDERSCORE || c === COLON)) return -1;
      i++;
      while (i < le) {
        const d = t.charCodeAt(i);
        if (isAsciiAlnum(d) || d === UNDERSCORE || d === DOT || d === COLON || d === DASH) i++;
        else break;
      }
      let j = i;
      while (j < le && isSpaceOrTab(t.charCodeAt(j))) j++;
      if (cur.peek(j) !== EQ) continue;
      j++;
      while (j < le && isSpaceOrTab(t.charCodeAt(j))) j++;
      const q = cur.peek(j);
      if (q === DQUOTE || q === SQUOTE) {
        const close = t.indexOf(q === DQUOTE ? '"' : "'", j + 1);
        if (close === -1 || close >= le) return -1;
        i = close + 1;
      } else {
        const vs = j;
        while (j < le) {
          const d = t.charCodeAt(j);
          if (
            d === SPACE ||
            d === TAB ||
            d === DQUOTE ||
            d === SQUOTE ||
            d === EQ ||
            d === LT ||
            d === GT ||
            d === BACKTICK
          )
            break;
          j++;
        }
        if (j === vs) return -1;
        i = j;
      }
    }
  }

  private closingTagEnd(i: number): number {
    const cur = this.cur;
    i = cur.skipSpaces(i);
    return cur.peek(i) === GT ? i + 1 : -1;
  }

  /**
   * Whether the end condition of the open block (kinds 1-5) occurs on the line from `p`;
   * on its `startLine` the opening `<!--`, `<?` or `<![CDATA[` is not part of the end.
   */
  ends(p: number, startLine: boolean): boolean {
    const t = this.text;
    const le = this.cur.lineEnd;
    let needle: string;
    let from = p;
    switch (this.type) {
      case 1: {
        for (let i = this.search.indexOf('</', p); i !== -1 && i < le; i = this.search.indexOf('</', i + 2)) {
          for (const name of HTML_RAW_NAMES) {
            if (i + 2 + name.length < le && t.charCodeAt(i + 2 + name.length) === GT) {
              if (t.slice(i + 2, i + 2 + name.length).toLowerCase() === name) return true;
            }
          }
        }
        return false;
      }
      case 2:
        needle = '-->';
        if (startLine) from = p + 2;
        break;
      case 3:
        needle = '?>';
        if (startLine) from = p + 2;
        break;
      case 4:
        needle = '>';
        break;
      default:
        needle = ']]>';
        if (startLine) from = p + 9;
        break;
    }
    const k = this.search.indexOf(needle, from);
    return k !== -1 && k + needle.length <= le;
  }
}
