import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { isWhitespace, type LineIndex } from '../text';
import type { LinkSource, WikiLink } from '../types';
import { makeLink } from './compact';
import { COLON, DASH, DOT, isAsciiAlnum, isAsciiAlpha, isSpaceOrTab, PLUS, SLASH } from './scanner/chars';
import { linkDestinationEnd } from './scanner/link-destination';

/*
 * Markdown links (`[t](dest)`, `![alt](dest)`, `[ref]: dest`) as links: the one parser of
 * link destinations (the scanner, the remark reference and metadata all use it) and the
 * summary item a destination becomes.
 */

const LT = 60;

/** A link destination in the source: `[start, end)` inside the `<>` if `angle`; `next` after it. */
export interface Destination {
  start: number;
  end: number;
  next: number;
  angle: boolean;
}

/**
 * The link destination starting at `i` (before `e`, on one line), as CommonMark reads
 * it: `<…>` without `<` or a line break inside, or a run without spaces or controls
 * whose parentheses balance (backslash escapes count as text). The run may be empty.
 */
export function scanDestination(t: string, i: number, e: number): Destination | undefined {
  const next = linkDestinationEnd(t, i, e);
  if (next === -1) return undefined;
  return t.charCodeAt(i) === LT
    ? { start: i + 1, end: next - 1, next, angle: true }
    : { start: i, end: next, next, angle: false };
}

/** A destination with a scheme (`https:`, `mailto:`, `file:`), or protocol-relative: not a path. */
export function isUrl(dest: string): boolean {
  // `^([a-z][a-z0-9+.-]*:|\/\/)`, case-insensitive, read without a regex: every link asks.
  const c = dest.charCodeAt(0);
  if (c === SLASH) return dest.charCodeAt(1) === SLASH;
  if (!isAsciiAlpha(c)) return false;
  for (let i = 1; i < dest.length; i++) {
    const d = dest.charCodeAt(i);
    if (d === COLON) return true;
    if (!(isAsciiAlnum(d) || d === PLUS || d === DASH || d === DOT)) return false;
  }
  return false;
}

/**
 * A backslash escape or a character reference (`&amp;`, `&#35;`, `&#x41;`), as CommonMark
 * reads them in a destination: one pass, so `\\&amp;` is the text `&amp;` and `&#92;` no
 * escape. Groups: escaped character; hexadecimal, decimal code; name (known or not).
 */
const ESCAPE_OR_REFERENCE =
  /\\([!-/:-@[-`{-~])|&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z0-9]{1,31}));/g;
/** A character reference starting at `lastIndex` (the groups of `ESCAPE_OR_REFERENCE`). */
const REFERENCE_AT = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z0-9]{1,31}));/y;

/** The text of a character reference, or undefined for a name HTML does not define (no reference). */
function referenceValue(
  hex: string | undefined,
  dec: string | undefined,
  name: string | undefined,
): string | undefined {
  if (name !== undefined) return decodeNamedCharacterReference(name) || undefined;
  const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
  // CommonMark: code point 0, a surrogate or none at all reads as U+FFFD.
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
    ? '\ufffd'
    : String.fromCodePoint(code);
}

/**
 * The character reference at `i` of `s`: its length and the text it stands for, or
 * undefined when none starts there.
 */
export function characterReferenceAt(s: string, i: number): { length: number; value: string } | undefined {
  if (s.charCodeAt(i) !== 38 /* & */) return undefined;
  REFERENCE_AT.lastIndex = i;
  const m = REFERENCE_AT.exec(s);
  if (!m) return undefined;
  const value = referenceValue(m[1], m[2], m[3]);
  return value === undefined ? undefined : { length: m[0].length, value };
}

/**
 * A destination's text as the link means it: backslash escapes removed, character
 * references decoded (`R&amp;D.md` is `R&D.md`), then `%XX` decoded (left as written
 * where the encoding is invalid).
 */
export function decodeDestination(s: string): string {
  let out =
    s.indexOf('\\') === -1 && s.indexOf('&') === -1
      ? s
      : s.replace(
          ESCAPE_OR_REFERENCE,
          (all, escaped: string | undefined, hex?: string, dec?: string, name?: string) =>
            escaped ?? referenceValue(hex, dec, name) ?? all,
        );
  if (out.indexOf('%') !== -1) {
    try {
      out = decodeURIComponent(out);
    } catch {
      // `100%.md`: not an encoding; the text stands as written.
    }
  }
  return out;
}

/**
 * `text` (a path or an anchor) written as a markdown link destination the way `written`,
 * the text it replaces, is: a link written with its letters encoded (`%C3%9C`) stays fully
 * encoded; any other keeps the letters as they are and encodes only what the destination
 * cannot hold (white space as well when `written` encoded it, or outside `<…>`).
 */
export function encodeAsWritten(text: string, written: string, angle: boolean): string {
  if (/%[89a-f][0-9a-f]/i.test(written)) return encodePath(text);
  return encodeDestination(text, angle, /%(?:20|09)/i.test(written) || !angle);
}

/**
 * `written`, a destination's text as written (`%XX` escapes, backslash escapes, plain
 * characters, character references), with the letter case of `cased`, the text it decodes to in other letter
 * case: each character stays written as it was, a letter written encoded is encoded in its
 * new case (`%C3%9C` → `%C3%BC`). Undefined when the characters do not pair up.
 */
export function recaseWritten(written: string, cased: string): string | undefined {
  const chars = [...cased];
  let k = 0;
  let out = '';
  let i = 0;
  while (i < written.length) {
    const ch = chars[k++];
    if (ch === undefined) return undefined;
    if (written[i] === '%') {
      // The escapes of one UTF-8 character: as many as its first byte says.
      const first = Number.parseInt(written.slice(i + 1, i + 3), 16);
      const n = first < 0x80 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 0;
      const escapes = written.slice(i, i + 3 * n);
      if (n === 0 || !new RegExp(`^(?:%[0-9a-f]{2}){${n}}$`, 'i').test(escapes)) return undefined;
      let was: string;
      try {
        was = decodeURIComponent(escapes);
      } catch {
        return undefined;
      }
      if (was.toLowerCase() !== ch.toLowerCase()) return undefined;
      out += was === ch ? escapes : percent(ch);
      i += escapes.length;
    } else if (characterReferenceAt(written, i) !== undefined) {
      // A reference stays as written when it stands for the same text; one for a letter in
      // other case gives way to the letter as it now is.
      const ref = characterReferenceAt(written, i)!;
      const stands = [...ref.value];
      const now = [ch, ...chars.slice(k, k + stands.length - 1)].join('');
      if (now.toLowerCase() !== ref.value.toLowerCase()) return undefined;
      k += stands.length - 1;
      out += now === ref.value ? written.slice(i, i + ref.length) : encodeDestination(now, true, true);
      i += ref.length;
    } else if (written[i] === '\\' && /^[!-/:-@[-`{-~]$/.test(written[i + 1] ?? '')) {
      // A backslash escape stands for punctuation, which has no letter case.
      if (written[i + 1] !== ch || ch === '%') return undefined;
      out += `\\${ch}`;
      i += 2;
    } else {
      const own = String.fromCodePoint(written.codePointAt(i)!);
      if (own.toLowerCase() !== ch.toLowerCase()) return undefined;
      out += ch;
      i += own.length;
    }
  }
  return k === chars.length ? out : undefined;
}

/** Percent-encodes every character a URI would (keeps `/`): for links written so. */
function encodePath(path: string): string {
  return encodeURI(path).replace(/[()#?]|&/g, (c, i: number, s: string) =>
    c === '&' && !startsReference(s, i) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `path` as a markdown link destination, letters as they are: percent-encoded only where
 * the destination could not hold the character as written. `%` (it would start an
 * escape), `#` and `?` (they would end the path), `|` (in a table it would end the cell,
 * breaking the table in its header row), `<`, `>`, backslashes and control
 * characters in either form; white space unless `spaces` is false (in `<…>` a space may stand);
 * parentheses outside `<…>` when they do not balance.
 */
function encodeDestination(path: string, angle: boolean, spaces: boolean): string {
  let depth = 0;
  let balanced = true;
  for (const ch of path) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) balanced = false;
  }
  const parens = !angle && (!balanced || depth !== 0);
  let out = '';
  let at = 0;
  for (const ch of path) {
    const c = ch.codePointAt(0)!;
    const encode =
      (c === 38 /* & */ && startsReference(path, at)) ||
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x2028 ||
      c === 0x2029 ||
      '%#?<>\\|'.includes(ch) ||
      (spaces && /\s/u.test(ch)) ||
      (parens && (ch === '(' || ch === ')'));
    out += encode ? percent(ch) : ch;
    at += ch.length;
  }
  return out;
}

/** Whether the `&` at `i` of a path would be read as a character reference (`R&amp;D.md`), so must be encoded. */
function startsReference(path: string, i: number): boolean {
  return characterReferenceAt(path, i) !== undefined;
}

/** A character percent-encoded as UTF-8 (a lone surrogate, which has none, as it is). */
function percent(ch: string): string {
  if (ch === '(' || ch === ')') return ch === '(' ? '%28' : '%29';
  try {
    return encodeURIComponent(ch);
  } catch {
    return ch;
  }
}

/**
 * The link a destination `[destStart, destEnd)` of a construct `[from, to)` makes, or
 * undefined when it is not a path or anchor (a URL, a mail link, a `[placeholder]` or
 * `{{placeholder}}` of a template, empty). The path part
 * ends at `?` or `#`; the anchor is what follows `#`.
 */
export function markdownLink(
  text: string,
  lines: LineIndex,
  from: number,
  to: number,
  dest: Destination,
  embed: boolean,
  source: LinkSource,
): WikiLink | undefined {
  const { start, end } = dest;
  if (start === end) return undefined;
  const pathEnd = separatorAt(text, start, end, true);
  const writtenPath = text.slice(start, pathEnd);
  // URLs; and template placeholders (`[Description]`, `{{path}}`), which name no file.
  if (isUrl(writtenPath) || writtenPath.startsWith('[') || writtenPath.includes('{{')) return undefined;
  const hashAt = separatorAt(text, pathEnd, end, false);
  const hasAnchor = hashAt < end;
  if (writtenPath === '' && !hasAnchor) return undefined;
  // The anchor starts after the `#` (or after a reference standing for one, `&#35;`).
  const hash = hasAnchor ? hashAt + (characterReferenceAt(text, hashAt)?.length ?? 1) - 1 : -1;
  const target = decodeDestination(writtenPath);
  const heading = hasAnchor ? decodeDestination(text.slice(hash + 1, end)) : undefined;
  const line = lines.lineOf(from);
  const ls = lines.starts[line];
  const toLine = lines.lineOf(to);
  const cols: [number, number, number, number, number, number] = [
    from - ls,
    toLine === line ? to - ls : lines.lineEnd(line) - ls,
    start - ls,
    pathEnd - ls,
    hasAnchor ? hash + 1 - ls : -1,
    hasAnchor ? end - ls : -1,
  ];
  const form = { written: target !== writtenPath ? writtenPath : undefined, angle: dest.angle };
  if (lines.lineOf(start) !== line || toLine !== line) {
    // A link text over several lines: keep true ranges (the summary holds them as objects).
    const plain: WikiLink = {
      raw: text.slice(from, to),
      target,
      embed,
      source,
      range: lines.rangeOf(from, to),
      targetRange: lines.rangeOf(start, pathEnd),
      syntax: 'markdown',
    };
    if (heading !== undefined) {
      plain.heading = heading;
      plain.headingRange = lines.rangeOf(hash + 1, end);
    }
    if (form.written !== undefined) plain.written = form.written;
    if (dest.angle) plain.angle = true;
    return plain;
  }
  return makeLink(text.slice(from, to), target, embed, source, line, cols, heading, undefined, form);
}

/**
 * The first `#` (with `query`, also `?`) in `[i, end)` of `text`, or `end`: a character
 * reference is one character, a separator only when it stands for one (`&#35;`), so the
 * `#` of `&#x41;` ends nothing.
 */
function separatorAt(text: string, i: number, end: number, query: boolean): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */ || (query && c === 63) /* ? */) return i;
    if (c === 38 /* & */) {
      const ref = characterReferenceAt(text, i);
      if (ref && ref.length <= end - i) {
        if (ref.value === '#' || (query && ref.value === '?')) return i;
        i += ref.length - 1;
      }
    }
  }
  return end;
}

/**
 * A metadata value that is a path to a document (`../02-design/README.md`, quoted or
 * not) on the line `[s, e)`, after `key:` or a `- ` list marker: a markdown-syntax link.
 */
export function metadataPathLink(text: string, lines: LineIndex, s: number, e: number): WikiLink | undefined {
  const v = scalarValueAt(text, s, e);
  if (!v) return undefined;
  const value = text.slice(v.from, v.to);
  if (isUrl(value) || !namesMarkdownFile(value)) return undefined;
  return pathValueLink(text, lines, v.from, v.to);
}

/**
 * Whether a path value names a markdown file: it ends in `.md`, or in `.md#anchor` with
 * no white space in the anchor. Linear (`/\.md(#\S*)?$/` took quadratic time over a
 * value of many `.md#`).
 */
function namesMarkdownFile(value: string): boolean {
  if (value.slice(-3).toLowerCase() === '.md') return true;
  let k = value.length;
  while (k > 0 && !isWhitespace(value[k - 1])) k--;
  return value.slice(k).toLowerCase().includes('.md#');
}

/**
 * A phase document's name as a chain key's bare value: `02-prescribe`, `03_treat`, or its
 * folder-relative path (`cycle-2/02-prescribe`, as the fixes write a name two folders share).
 */
const PHASE_NAME = /^(?:[\p{L}\p{N}._-]+\/){0,20}\d{1,2}[-_][\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/**
 * A chain key's value written as a phase document's bare name, quoted or not
 * (`next_phase: 02-prescribe`): a link to that name, as `[[02-prescribe]]` would be, its
 * range the name. Other bare values (`none`, `TBD`, `Prescribe`) are no link.
 */
export function metadataNameLink(text: string, lines: LineIndex, s: number, e: number): WikiLink | undefined {
  const v = scalarValueAt(text, s, e);
  if (!v) return undefined;
  const value = text.slice(v.from, v.to);
  if (!readsAsBareName(value)) return undefined;
  // The link is the value with its quotes, its target the name inside them.
  const q = v.quoted ? 1 : 0;
  const line = lines.lineOf(v.from);
  const c = v.from - lines.starts[line];
  const cols: [number, number, number, number, number, number] = [
    c - q,
    c + value.length + q,
    c,
    c + value.length,
    -1,
    -1,
  ];
  return makeLink(text.slice(v.from - q, v.to + q), value, false, 'metadata', line, cols);
}

/** Whether a chain key's bare value `text` is read as a link (`metadataNameLink`). */
export function readsAsBareName(text: string): boolean {
  return text.length <= 200 && PHASE_NAME.test(text);
}

/**
 * A link written as a chain key's bare value (`next_phase: 02-prescribe`), not as a
 * wikilink, a path or a markdown link.
 */
export function isBareValueLink(link: WikiLink): boolean {
  return link.source === 'metadata' && link.syntax !== 'markdown' && !link.raw.includes('[[');
}

/**
 * A metadata line's scalar value, quoted or not: where its text starts and ends (inside
 * the quotes). Quoted or not, a value may hold spaces (`"docs/run book.md"`, `plan
 * three.md`, as YAML reads them) and the other quote or, unquoted, either (`owner's
 * guide.md`); a comment starts at a `#` after white space. (Read in one pass: a pattern
 * ending in `\s+#.*` and `\s*$` took quadratic time over a run of spaces.)
 */
function scalarValueAt(
  text: string,
  s: number,
  e: number,
): { from: number; to: number; quoted: boolean } | undefined {
  const v = metadataValueAt(text, s, e);
  if (!v) return undefined;
  let from: number;
  let to: number;
  const q = text[v.from];
  if (q === '"' || q === "'") {
    from = v.from + 1;
    to = text.indexOf(q, from);
    if (to === -1 || to >= v.to || (q === '"' && text.slice(from, to).includes('\\'))) return undefined;
    if (!endsValue(text, to + 1, v.to)) return undefined;
  } else {
    from = v.from;
    to = v.comment;
    while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
  }
  if (to <= from || VALUE_FIRST_EXCLUDED.test(text[from])) return undefined;
  return { from, to, quoted: from > v.from };
}

/** Characters a path value may not start with (YAML indicators, white space). */
const VALUE_FIRST_EXCLUDED = /[\s"'#[\]{}|>&*!%@`]/;

/**
 * The value of a metadata line `[s, e)` after `key:` or a `- ` list marker: where it
 * starts, where the line's text ends (trailing white space left out), and where a plain
 * value's comment starts (a `#` after white space; the end when none). Linear in the line.
 */
function metadataValueAt(
  text: string,
  s: number,
  e: number,
): { from: number; to: number; comment: number } | undefined {
  // (a key quoted or not; YAML's anchor and tag before the value, `&n !!str 02-x`, are no part of it)
  const prefix =
    /^[ \t]*(?:(?:"[\w-]+"|'[\w-]+'|[\w-]+)[ \t]*:[ \t]*|-[ \t]+)(?:[&!][^\s]{0,100}[ \t]+){0,2}/.exec(
      text.slice(s, Math.min(e, s + 400)),
    );
  if (!prefix) return undefined;
  const from = s + prefix[0].length;
  let to = e;
  while (to > from && isWhitespace(text[to - 1])) to--;
  if (from >= to) return undefined;
  let comment = to;
  for (let i = from + 1; i < to; i++)
    if (text.charCodeAt(i) === 35 /* # */ && isWhitespace(text[i - 1])) {
      comment = i;
      break;
    }
  return { from, to, comment };
}

/** Whether `[i, to)` of `text` is nothing, or white space and a comment (`  # why`). */
function endsValue(text: string, i: number, to: number): boolean {
  if (i >= to) return true;
  if (!isWhitespace(text[i])) return false;
  while (i < to && isWhitespace(text[i])) i++;
  return text[i] === '#';
}

function pathValueLink(text: string, lines: LineIndex, start: number, end: number): WikiLink | undefined {
  const dest: Destination = { start, end, next: end, angle: false };
  return markdownLink(text, lines, start, end, dest, false, 'metadata');
}

/**
 * A metadata value on the line `[s, e)` written as a markdown link, quoted or not
 * (`next_phase: "[Treat](03-treat.md)"`, `- [Plan](release-plan.md)`): a link to its
 * destination (any path, as a link in the body; not a URL), the whole `[…](…)` its range.
 */
export function metadataMarkdownLink(
  text: string,
  lines: LineIndex,
  s: number,
  e: number,
): WikiLink | undefined {
  const v = metadataValueAt(text, s, e);
  if (!v) return undefined;
  const q = text[v.from] === '"' || text[v.from] === "'" ? text[v.from] : '';
  const start = v.from + q.length;
  if (text[start] !== '[') return undefined;
  // The value is the whole line's, or the part before a comment; quoted, up to its quote.
  for (const end of v.comment < v.to ? [v.to, v.comment] : [v.to]) {
    let to = end;
    while (to > start && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
    if (q !== '') {
      if (to - 1 <= start || text[to - 1] !== q) continue;
      to--;
    }
    const link = markdownValueLink(text, lines, start, to);
    if (link) return link;
  }
  return undefined;
}

/**
 * The link a metadata value `[from, to)` of `text` makes when it is a markdown link and
 * nothing else (white space around it aside): `[Plan](plan.md)`, `[Plan](<my plan.md> "t")`.
 */
function markdownValueLink(text: string, lines: LineIndex, from: number, to: number): WikiLink | undefined {
  const m =
    /^\s*(\[[^\]\n]*\]\(\s*(?:<([^<>\n]*)>|([^\s()<>]+))(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\))\s*$/d.exec(
      text.slice(from, to),
    );
  if (!m?.indices) return undefined;
  const at = m.indices[2] ? 2 : 3;
  const span = m.indices[at];
  if (!span || isUrl(m[at])) return undefined;
  const [a, b] = m.indices[1];
  const dest: Destination = { start: from + span[0], end: from + span[1], next: from + b, angle: at === 2 };
  return markdownLink(text, lines, from + a, from + b, dest, false, 'metadata');
}

/**
 * The value of a flow list's item `line[at, end)`: inside its quotes (a double-quoted one
 * without `\\`), or plain, white space around it left out; undefined when the item is
 * none of these (a quote left open, text after the closing quote). Linear in the item (a
 * pattern with a lazy `.*?` before `\\s*$` took quadratic time over a run of blanks).
 */
function flowItemValue(line: string, at: number, end: number): { from: number; to: number } | undefined {
  let i = at;
  while (i < end && isWhitespace(line[i])) i++;
  let j = end;
  while (j > i && isWhitespace(line[j - 1])) j--;
  if (i >= j) return undefined;
  const q = line[i];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, i + 1);
    if (close !== j - 1) return undefined;
    if (q === '"' && line.slice(i + 1, close).includes('\\')) return undefined;
    return { from: i + 1, to: close };
  }
  return { from: i, to: j };
}

/**
 * Where a YAML comment starts on the line `[s, e)` of `text` (`e` when none): a `#` at the
 * start of the line's text or after white space, outside a quoted scalar and outside a
 * wikilink's brackets (`[[02-prescribe #x]]` reads as the link it looks like). A quote
 * opens a scalar only where one starts (after `:`, `-`, `[`, `,`, `{` or at the line's
 * start): inside a plain value it is a character of it (`owner's #1`). `state.quote` is
 * the quote a scalar left open on the line before (a double-quoted value going on over
 * lines), and the one this line leaves open. Linear in the line.
 */
export function yamlCommentAt(
  text: string,
  s: number,
  e: number,
  state: { quote: number } = { quote: 0 },
): number {
  let quote = state.quote;
  let depth = 0;
  let prev = quote === 0 ? 0 : quote; // the last character before this one that is no white space (0: none)
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) {
        if (quote === 39 /* ' */ && text.charCodeAt(i + 1) === 39) i++;
        else quote = 0;
      } else if (c === 92 /* \\ */ && quote === 34) i++;
      prev = c;
      continue;
    }
    if (c === 32 || c === 9) continue;
    if (c === 35 /* # */ && depth === 0 && (i === s || isWhitespace(text[i - 1]))) {
      state.quote = 0;
      return i;
    }
    if ((c === 34 || c === 39) && (prev === 0 || ':-[,{?'.includes(String.fromCharCode(prev)))) quote = c;
    else if (c === 91 /* [ */ && text.charCodeAt(i + 1) === 91) {
      depth++;
      i++;
    } else if (c === 93 /* ] */ && depth > 0 && text.charCodeAt(i + 1) === 93) {
      depth--;
      i++;
    }
    prev = c;
  }
  state.quote = quote;
  return e;
}

/**
 * Where the comment of each line `first`..`last` of a YAML block starts (lines without one
 * are left out): `yamlCommentAt` line after line, a quoted scalar carried over lines, and
 * no comment in a block scalar's text (`notes: |`, `- >-` at any depth: the lines indented
 * more than its own line, and blank ones, until one that is not).
 */
export function yamlCommentStarts(
  text: string,
  lines: LineIndex,
  first: number,
  last: number,
): Map<number, number> {
  const out = new Map<number, number>();
  const state = { quote: 0 };
  let blockIndent = -1;
  for (let l = first; l <= last; l++) {
    const s = lines.starts[l];
    const e = lines.lineEnd(l);
    let i = s;
    while (i < e && text.charCodeAt(i) === 32) i++;
    if (blockIndent >= 0) {
      if (i === e || i - s > blockIndent) continue;
      blockIndent = -1;
    }
    const c = yamlCommentAt(text, s, e, state);
    if (c < e) out.set(l, c);
    if (state.quote === 0 && BLOCK_SCALAR_START.test(text.slice(s, c).trimEnd())) blockIndent = i - s;
  }
  return out;
}

/** A line whose value starts a block scalar (`notes: |`, `- >-`, `key: |2`). */
const BLOCK_SCALAR_START = /(?::|(?:^|\s)-)[ \t]+[|>][-+0-9]{0,3}$/;

/**
 * `text[s, e)` with its YAML comments (`yamlCommentAt`, line by line, a quoted scalar
 * carried over lines) blanked out, its length and line breaks kept: offsets into it are
 * offsets into `text`.
 */
function withoutYamlComments(text: string, s: number, e: number): string {
  let out = '';
  let at = s;
  const state = { quote: 0 };
  while (at < e) {
    let nl = text.indexOf('\n', at);
    if (nl === -1 || nl > e) nl = e;
    const c = yamlCommentAt(text, at, nl, state);
    out += text.slice(at, c) + ' '.repeat(nl - c) + (nl < e ? '\n' : '');
    at = nl + 1;
  }
  return out;
}

/**
 * The document paths of a flow list on the line `[s, e)` (`artifacts: [plan.md, "docs/run book.md"]`),
 * or on the lines of `[s, e)` when it is written over several,
 * each item a markdown-syntax link as `metadataPathLink` makes one; items that are not
 * paths to documents (words, URLs, wikilinks) are left out.
 */
export function metadataFlowPathLinks(
  text: string,
  lines: LineIndex,
  s: number,
  e: number,
  out: WikiLink[],
): void {
  // (a list written over several lines may hold comments between its items)
  const line = text.indexOf('\n', s) < e ? withoutYamlComments(text, s, e) : text.slice(s, e);
  const open = /^\s*(?:"[\w-]+"|'[\w-]+'|[\w-]+)\s*:\s*\[/.exec(line);
  if (!open) return;
  // Items between commas, a comma inside quotes or inside a wikilink's brackets not
  // counting: each item is looked at on its own, whatever the items beside it are. A
  // quote opens a quoted item only where the item starts: inside a plain one it is a
  // character of it (`owner's-guide.md`).
  let at = open[0].length;
  while (at < line.length) {
    let end = at;
    let quote = '';
    let depth = 0;
    let started = false;
    for (; end < line.length; end++) {
      const c = line[end];
      if (quote) {
        if (c === quote) {
          // `''` is a quote inside a single-quoted item.
          if (quote === "'" && line[end + 1] === "'") end++;
          else quote = '';
        } else if (c === '\\' && quote === '"') end++;
        continue;
      }
      const first = !started && c !== ' ' && c !== '\t';
      if (first) started = true;
      if (first && (c === '"' || c === "'")) quote = c;
      else if (c === '[') depth++;
      else if (c === ']') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    const item = flowItemValue(line, at, end);
    const value = item && line.slice(item.from, item.to);
    if (item && value && !/^[[{#]/.test(value) && !isUrl(value) && /\.md$/i.test(value.trim())) {
      const start = s + item.from;
      const link = pathValueLink(text, lines, start, start + value.length);
      if (link) out.push(link);
    } else if (item && value?.startsWith('[') && !value.startsWith('[[')) {
      // An item written as a markdown link (`"[Plan](plan.md)"`).
      const start = s + item.from;
      const link = markdownValueLink(text, lines, start, start + value.length);
      if (link) out.push(link);
    }
    if (end >= line.length || line[end] === ']') break;
    at = end + 1;
  }
}
