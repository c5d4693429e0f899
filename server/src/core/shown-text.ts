/*
 * A heading's text as a reader sees it rendered: without the markers of emphasis
 * (`**Exit Criteria**`, `_Exit_ Criteria`), of code spans and of backslash escapes, read
 * by the CommonMark rules for them, so `snake_case_name`, `2 * 3` and an unclosed `**`
 * keep their characters. HTML comments are left out (`## Exit Criteria <!-- omit in toc -->`
 * is "Exit Criteria"), and so are HTML tags (`<a name="exit"></a>Exit Criteria`); a
 * character reference is its character (`Exit&nbsp;Criteria`, a no-break space read as a
 * space). Links are left as written, and a link's destination, an autolink and a
 * wikilink are read as text (the markers in `[a](x/_y_)` or `<span class="_a_">` are none).
 */
import { characterReferenceAt } from './parse/mdlink';

/** Characters that may start markup this reads; text without any is shown as written. */
const MARKUP = /[*_`\\&]|<[!A-Za-z/]/;
/** An HTML tag (not an autolink, `<https://…>`): not shown. */
const TAG = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>$/;
/** What is kept as written: a link's destination, a tag or autolink, a wikilink. */
const OPAQUE = /\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"]*")?\)|<[A-Za-z/!?][^<>]*>/y;
/** A line break tag: `<br>`, `<br/>`, `<BR />`. */
const BREAK = /^<br\s*\/?>$/i;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;

/** A run of `*` or `_` that may open or close emphasis (CommonMark "delimiter run"). */
interface Run {
  char: string;
  /** Characters of the run not yet used by emphasis. */
  count: number;
  canOpen: boolean;
  canClose: boolean;
  /** Index of its piece in the output. */
  piece: number;
  /** Still on the delimiter stack. */
  active: boolean;
}

/** The text of a heading as rendered, without emphasis, code span and escape markers. */
export function shownHeading(text: string): string {
  if (!MARKUP.test(text)) return text;
  const pieces: string[] = [];
  const runs: Run[] = [];
  const n = text.length;
  let i = 0;
  let plain = 0;
  const flush = (to: number) => {
    if (to > plain) pieces.push(text.slice(plain, to));
  };
  // The next `]` at or after a position, found once for every `[[` before it (each
  // looking for it anew would take quadratic time on a heading of many `[[`).
  let close = -1;
  const nextClose = (from: number) => {
    if (close < from && close !== n) {
      close = text.indexOf(']', from);
      if (close === -1) close = n;
    }
    return close;
  };
  // Backtick run lengths with no closing run after the place they were looked for.
  const unclosed = new Set<number>();
  // No `-->` after the last `<!--` looked at: no later one closes either.
  let commentsClosed = true;
  let tags = false;
  while (i < n) {
    const c = text[i];
    const close = c === '<' && commentsClosed && text.startsWith('<!--', i) ? text.indexOf('-->', i + 4) : -2;
    if (close === -1) commentsClosed = false;
    if (close >= 0) {
      // An HTML comment is not shown: one space where it stood, none at either end.
      flush(i);
      const last = pieces.length - 1;
      const trimmed = last >= 0 ? pieces[last].trimEnd() : '';
      let spaced = last >= 0 && trimmed !== pieces[last];
      if (last >= 0) pieces[last] = trimmed;
      i = close + 3;
      const from = i;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      spaced ||= i > from;
      // (A piece before it is text: the heading's text starts with no space.)
      if (i < n && last >= 0 && spaced) pieces.push(' ');
      plain = i;
    } else if (c === '[' && text[i + 1] === '[') {
      // A wikilink is read as text: `[[a_b_]]`.
      const end = nextClose(i + 2);
      i = end < n && text[end + 1] === ']' ? end + 2 : i + 1;
    } else if (c === ']' || c === '<') {
      OPAQUE.lastIndex = i;
      if (!OPAQUE.test(text)) i++;
      else if (c === '<' && TAG.test(text.slice(i, OPAQUE.lastIndex))) {
        // A tag (`<a name="x"></a>`, `<span>`) renders as nothing, a line break
        // (`Exit<br>Criteria`) as the space between the words it parts.
        tags = true;
        flush(i);
        const end = OPAQUE.lastIndex;
        const shownLast = pieces.length > 0 ? pieces[pieces.length - 1] : '';
        if (BREAK.test(text.slice(i, end)) && /\S$/.test(shownLast) && end < n && !WHITESPACE.test(text[end]))
          pieces.push(' ');
        i = end;
        plain = i;
      } else i = OPAQUE.lastIndex;
    } else if (c === '&') {
      // A character reference is the character (a no-break space a space): `Entry&nbsp;Criteria`.
      const ref = characterReferenceAt(text, i);
      if (ref) {
        flush(i);
        pieces.push(ref.value === '\u00a0' ? ' ' : ref.value);
        i += ref.length;
        plain = i;
      } else i++;
    } else if (c === '\\' && i + 1 < n && isAsciiPunctuation(text.charCodeAt(i + 1))) {
      flush(i);
      pieces.push(text[i + 1]);
      i += 2;
      plain = i;
    } else if (c === '`') {
      const { j, end } = codeSpanAt(text, i, unclosed);
      if (end === -1) {
        // No code span: the backticks are text (and so are the ones in the run).
        i = j;
        continue;
      }
      flush(i);
      pieces.push(codeContent(text.slice(j, end)));
      i = end + (j - i);
      plain = i;
    } else if (c === '*' || c === '_') {
      let j = i;
      while (j < n && text[j] === c) j++;
      flush(i);
      const before = charBefore(text, i);
      const after = j < n ? String.fromCodePoint(text.codePointAt(j)!) : ' ';
      const left = leftFlanking(before, after);
      const right = leftFlanking(after, before);
      const canOpen = c === '*' ? left : left && (!right || PUNCTUATION.test(before));
      const canClose = c === '*' ? right : right && (!left || PUNCTUATION.test(after));
      pieces.push(text.slice(i, j));
      if (canOpen || canClose)
        runs.push({ char: c, count: j - i, canOpen, canClose, piece: pieces.length - 1, active: true });
      i = j;
      plain = i;
    } else i++;
  }
  flush(n);
  matchEmphasis(runs);
  for (const r of runs) pieces[r.piece] = r.char.repeat(r.count);
  const shown = pieces.join('');
  // (a tag dropped at either end leaves no space there)
  return tags ? shown.trim() : shown;
}

/**
 * Whether a delimiter run between `before` and `after` is left-flanking (with the two
 * swapped: right-flanking): not followed by white space, and not followed by punctuation
 * unless preceded by white space or punctuation.
 */
function leftFlanking(before: string, after: string): boolean {
  if (WHITESPACE.test(after)) return false;
  return !PUNCTUATION.test(after) || WHITESPACE.test(before) || PUNCTUATION.test(before);
}

/** More runs than this in one heading are left as written (pairing them takes quadratic time). */
const MAX_RUNS = 1000;

/**
 * Pairs openers and closers as CommonMark's "process emphasis" does (and micromark, which
 * the remark parser uses, with the "rule of 3" read on what is left of each run), lowering
 * each run's `count` by the characters that became emphasis markers.
 */
function matchEmphasis(runs: Run[]): void {
  if (runs.length > MAX_RUNS) return;
  for (let c = 0; c < runs.length; c++) {
    const closer = runs[c];
    while (closer.count > 0 && closer.canClose) {
      let o = c - 1;
      for (; o >= 0; o--) {
        const opener = runs[o];
        if (!opener.active || opener.char !== closer.char || !opener.canOpen || opener.count === 0) continue;
        // The rule of 3: a run that can both open and close pairs with no run whose
        // length adds up with its own to a multiple of 3, unless both are multiples of 3.
        const odd =
          (opener.canClose || closer.canOpen) &&
          closer.count % 3 !== 0 &&
          (opener.count + closer.count) % 3 === 0;
        if (!odd) break;
      }
      if (o < 0) break;
      const opener = runs[o];
      const used = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      opener.count -= used;
      closer.count -= used;
      // The runs between them can pair with no run outside.
      for (let k = o + 1; k < c; k++) runs[k].active = false;
      if (opener.count === 0) opener.active = false;
    }
  }
}

/**
 * The backtick run at `i`: where it ends (`j`), and where the run closing its code span
 * starts (-1: none, and then no later run of that length has one: noted in `unclosed`).
 */
function codeSpanAt(text: string, i: number, unclosed: Set<number>): { j: number; end: number } {
  let j = i;
  while (j < text.length && text[j] === '`') j++;
  const end = unclosed.has(j - i) ? -1 : closingBackticks(text, j, j - i);
  if (end === -1) unclosed.add(j - i);
  return { j, end };
}

/** Where a run of exactly `len` backticks starts at or after `from`, or -1. */
function closingBackticks(text: string, from: number, len: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] === '`') j++;
    if (j - i === len) return i;
    i = j;
  }
  return -1;
}

/** A code span's content as shown: one space stripped from each end when both have one. */
function codeContent(s: string): string {
  if (s.length >= 2 && s[0] === ' ' && s[s.length - 1] === ' ' && s.trim() !== '') return s.slice(1, -1);
  return s;
}

/** The character (a whole code point) before index `i`; a space at the start. */
function charBefore(text: string, i: number): string {
  if (i === 0) return ' ';
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) return text.slice(i - 2, i);
  return text[i - 1];
}

function isAsciiPunctuation(c: number): boolean {
  return (
    (c >= 0x21 && c <= 0x2f) ||
    (c >= 0x3a && c <= 0x40) ||
    (c >= 0x5b && c <= 0x60) ||
    (c >= 0x7b && c <= 0x7e)
  );
}

/** A wikilink (`[[target]]`, `[[target#heading|alias]]`) at a position. */
const WIKILINK_AT = /\[\[([^[\]|\n]*)(?:\|([^[\]\n]*))?\]\]/y;
/** A full or collapsed reference link (`[text][label]`, `[text][]`) at a `[`. */
const REFERENCE_LINK_AT = /\[([^[\]\n]*)\]\[[^[\]\n]*\]/y;
/** An autolink (`<https://example.org>`, `<a@b.org>`) at a `<`: its address. */
const AUTOLINK_AT =
  /<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)|(?:[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*))>/y;
/** An inline link or image (`[text](dest "title")`, `![alt](src)`) at a `[`. */
const INLINE_LINK_AT = /\[([^[\]\n]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"\n]*")?\)/y;

/**
 * A list item's or paragraph's text as a reader sees it rendered: links shown as their
 * text (a wikilink as its alias, else its target), then as `shownHeading` reads it. Code
 * spans and escaped brackets keep what they hold.
 */
export function shownText(text: string): string {
  if (!/[[<~]/.test(text)) return shownHeading(text);
  let out = '';
  let plain = 0;
  let i = 0;
  const n = text.length;
  const unclosed = new Set<number>();
  while (i < n) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '`') {
      const { j, end } = codeSpanAt(text, i, unclosed);
      i = end === -1 ? j : end + (j - i);
    } else if (c === '[') {
      WIKILINK_AT.lastIndex = i;
      let m = WIKILINK_AT.exec(text);
      let shown: string | undefined;
      if (m) shown = (m[2] ?? m[1]).trim();
      else {
        INLINE_LINK_AT.lastIndex = i;
        m = INLINE_LINK_AT.exec(text);
        if (!m) {
          // A reference link (`[text][label]`, `[text][]`): its text.
          REFERENCE_LINK_AT.lastIndex = i;
          m = REFERENCE_LINK_AT.exec(text);
        }
        if (m) shown = m[1];
      }
      if (m && shown) {
        // (an image's `!` goes with it)
        const start =
          i > 0 && text[i - 1] === '!' && text[i - 2] !== '\\' && !m[0].startsWith('[[') ? i - 1 : i;
        out += text.slice(plain, start) + shown;
        i += m[0].length;
        plain = i;
      } else i++;
    } else if (c === '<') {
      // An autolink (`<https://example.org>`, `<a@b.org>`): its address.
      AUTOLINK_AT.lastIndex = i;
      const m = AUTOLINK_AT.exec(text);
      if (m) {
        out += text.slice(plain, i) + m[1];
        i += m[0].length;
        plain = i;
      } else i++;
    } else if (c === '~' && text[i + 1] === '~') {
      // Strikethrough (`~~gone~~`, GFM): its text, without the markers.
      const close = text.indexOf('~~', i + 2);
      if (close > i + 2 && !WHITESPACE.test(text[i + 2]) && !WHITESPACE.test(text[close - 1])) {
        out += text.slice(plain, i);
        plain = i + 2;
        out += text.slice(plain, close);
        i = close + 2;
        plain = i;
      } else i += 2;
    } else i++;
  }
  return shownHeading(out + text.slice(plain));
}

/** An inline link or image: `[text](dest)`, `![alt](src "title")`. */
const INLINE_LINK = /!?\[([^[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g;

/**
 * A heading's text with its inline links read as their text (`See [link](x.md) now` →
 * `See link now`), as it reads rendered: what a wikilink's `#heading` may name it by.
 * Long texts are left as they are (a link's text holds no bracket, so each is found in
 * one pass).
 */
export function withLinkTexts(text: string): string {
  if (!text.includes('](') || text.length > 4000) return text;
  return text.replace(INLINE_LINK, '$1');
}
