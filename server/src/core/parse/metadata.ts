import { isMap, isScalar } from 'yaml';
import { isWhitespace, type LineIndex, trimEndWhile } from '../text';
import type { Metadata, MetadataEntry, MetadataError, Range, WikiLink } from '../types';
import {
  metadataFlowPathLinks,
  metadataMarkdownLink,
  metadataNameLink,
  metadataPathLink,
  yamlCommentStarts,
} from './mdlink';
import { type NestedKey, parseSimpleYaml } from './simple-yaml';
import { scanWikiLinks } from './wikilink';
import { checkYamlLimits, firstLine, parseYamlDocument, YAML_LIMITS, yamlLineBreaks } from './yaml-guard';

/** Metadata keys whose plain path values are links (they chain phases). */
const CHAIN_KEYS = new Set(['previous_phase', 'next_phase']);
/** Keys whose values may be paths to documents (`next_phase: ../02-design/README.md`, `- release-plan.md` under `artifacts`). */
const PATH_KEYS = new Set([...CHAIN_KEYS, 'artifacts']);

/** Where a metadata block sits: lines of the opening and closing fences. */
export interface MetadataBlock {
  kind: 'frontmatter' | 'after-title';
  openLine: number;
  /** The closing fence line, or -1 when the block is not closed. */
  closeLine: number;
  /**
   * The block's last line: its closing fence; when it is not closed, the line before the
   * first markdown heading after it (a forgotten `---` must not swallow the document's
   * criteria), else the document's last line.
   */
  lastLine: number;
}

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;
const ATX_H1 = /^ {0,3}#(?:[ \t]|$)/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
/**
 * Top-level metadata keys whose values the product reads as a phase, links, a template
 * mark or a DDX block (besides `name` and `tags`, which other tools' front matter uses
 * too).
 */
export const METADATA_KEYS = [
  'phase',
  'previous_phase',
  'next_phase',
  'artifacts',
  'depends_on',
  'template',
  'ddx',
  'dun',
] as const;

/**
 * A line of a key the product reads (`phase:`, `next_phase:`, `ddx:`, …) at the margin.
 * A `---` block after the title, or an unclosed one on the first line, is metadata only
 * when it holds one: CDP documents keep theirs there, while a README's rule under its
 * title is followed by its first section (`Note: …`, `## Features`), which GitHub shows.
 */
const KNOWN_KEY = keyAtMargin(['name', 'tags', ...METADATA_KEYS]);

/**
 * A key the product reads inside a flow mapping (`{phase: 03, next_phase: "[[04-monitor]]"}`),
 * after its `{` or a `,`, or at the start of a line of one written over several lines: a
 * block whose first line opens such a mapping is metadata as one with `phase:` is.
 */
const KNOWN_FLOW_KEY = new RegExp(
  `(?:^|[{,])[ \\t]*["']?(?:${['name', 'tags', ...METADATA_KEYS].join('|')})["']?[ \\t]*:(?:[ \\t]|$)`,
);

/** A line whose key (quoted or not, at the margin) is one of `keys`. */
function keyAtMargin(keys: readonly string[]): RegExp {
  return new RegExp(`^["']?(?:${keys.join('|')})["']?[ \\t]*:(?:[ \\t]|$)`);
}

/** A line opening (or closing) fenced code. */
const CODE_FENCE = /^ {0,3}(?:`{3,}|~{3,})/;

/** Upper bound on how far the YAML block after the title may run (lines). */
const MAX_BLOCK_LINES = 2000;

/**
 * Finds the metadata block: front matter at the very top, or (as every CDP phase
 * document writes it) a `---` block directly after the `# Title` line. remark reads
 * the latter as a thematic break and a setext heading, so it is located here and
 * masked before the body is parsed.
 */
export function locateMetadata(lines: LineIndex, bom = false): MetadataBlock | undefined {
  const n = lines.lineCount;
  if (n === 0) return undefined;
  if (FENCE.test(openingLine(lines, bom))) {
    const close = findClose(lines, 1, n);
    if (close !== -1) return { kind: 'frontmatter', openLine: 0, closeLine: close, lastLine: close };
    // Unclosed: front matter someone started (nothing else, or metadata follows), else a thematic break.
    const first = nextNonBlank(lines, 1, n);
    if (first === -1) return { kind: 'frontmatter', openLine: 0, closeLine: -1, lastLine: n - 1 };
    const last = unclosedEnd(lines, first, n);
    return holdsKnownKey(lines, first, last + 1)
      ? { kind: 'frontmatter', openLine: 0, closeLine: -1, lastLine: last }
      : undefined;
  }
  return locateAfterTitle(lines, 0);
}

/**
 * The first line, without the space a byte order mark was read as (`bom`, see
 * `parseDocument`): front matter opens at the very start of the text.
 */
function openingLine(lines: LineIndex, bom: boolean): string {
  const t = lines.lineText(0);
  return bom ? t.slice(1) : t;
}

/**
 * A metadata block directly after the `# Title` the document starts with from line `from`
 * (after front matter, for `secondBlock`), or undefined.
 */
function locateAfterTitle(lines: LineIndex, from: number): MetadataBlock | undefined {
  const n = lines.lineCount;
  let l = titleEnd(lines, n, from);
  if (l === -1) return undefined;
  const open = nextNonBlank(lines, l + 1, n);
  if (open === -1 || !FENCE.test(lines.lineText(open))) return undefined;
  const first = nextNonBlank(lines, open + 1, n);
  if (first === -1) return undefined;
  l = findClose(lines, open + 1, Math.min(n, open + 1 + MAX_BLOCK_LINES));
  if (l !== -1 && !FENCE.test(lines.lineText(l))) l = -1;
  const last = l !== -1 ? l : unclosedEnd(lines, first, n);
  if (!holdsKnownKey(lines, first, l !== -1 ? l : last + 1)) return undefined;
  return { kind: 'after-title', openLine: open, closeLine: l, lastLine: last };
}

/**
 * A second metadata block: one after the title below closed front matter (a team put
 * front matter of its own above a CDP document's block), or undefined.
 */
export function secondBlock(lines: LineIndex, first: MetadataBlock | undefined): MetadataBlock | undefined {
  if (first?.kind !== 'frontmatter' || first.closeLine === -1) return undefined;
  return locateAfterTitle(lines, first.closeLine + 1);
}

/**
 * Keys the checker reads that a capital letter hides (`Phase:`): said so. Not `name`,
 * `tags` or `template`, which other tools write capitalised for their own use.
 */
const HIDDEN_BY_CAPITALS = new Set<string>(METADATA_KEYS.filter((k) => k !== 'template'));

/**
 * Whether a value under a capitalised key is what the key in lower case holds here: a
 * phase number or `NN-name`, a link, ids, a DDX block. `Phase: Beta` or `Artifacts:
 * Slides, demo` (another tool's fields) are left alone.
 */
function readsAsOurs(key: string, value: unknown): boolean {
  // (`[[x]]` unquoted is YAML's list in a list: a link, as the checker reads it)
  if (Array.isArray(value) && value.some(Array.isArray))
    return key !== 'phase' && key !== 'ddx' && key !== 'dun';
  const texts = (Array.isArray(value) ? value : [value]).filter(
    (v) => typeof v === 'string' || typeof v === 'number',
  );
  const any = (test: (t: string) => boolean) => texts.some((t) => test(String(t)));
  switch (key) {
    case 'phase':
      return any((t) => /^\d{1,2}(?:[-_ ].*)?$/.test(t.trim()));
    case 'previous_phase':
    case 'next_phase':
    case 'artifacts':
      return any(
        (t) => t.includes('[[') || /\.md(?:#.*)?$/i.test(t.trim()) || /^\d{1,2}[-_]\S+$/.test(t.trim()),
      );
    case 'depends_on':
      return any((t) => t.includes('[[') || /^[A-Za-z][\w.]*-\d+$/.test(t.trim()));
    default:
      // `ddx`/`dun`: a block of its own
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

/** Most YAML errors of one metadata block reported one by one. */
const MAX_YAML_ERRORS = 20;

/** Where a top-level entry's key is written on its line. */
function keyRange(lines: LineIndex, e: MetadataEntry): Range {
  const at = Math.max(0, lines.lineText(e.line).indexOf(e.key));
  return lines.rangeOf(lines.starts[e.line] + at, lines.starts[e.line] + at + e.key.length);
}

/** A key at the margin the product reads from metadata, besides `name` and `tags`: what makes a block this document's. */
const READ_KEY = keyAtMargin([...METADATA_KEYS, 'aliases', 'alias']);

/** Whether a block holds a key the product reads (`READ_KEY`) on a line of its own. */
export function holdsReadKey(lines: LineIndex, block: MetadataBlock): boolean {
  const end = block.closeLine !== -1 ? block.closeLine : block.lastLine + 1;
  for (let k = block.openLine + 1; k < end; k++) if (READ_KEY.test(lines.lineText(k))) return true;
  return false;
}

/**
 * Whether a line of `[from, to)` is a key the product reads (`KNOWN_KEY`); a code fence
 * among them (a README's example between two rules) makes it no metadata.
 */
function holdsKnownKey(lines: LineIndex, from: number, to: number): boolean {
  let known = false;
  const flow = from < to && lines.lineText(from).startsWith('{');
  for (let k = from; k < to; k++) {
    const t = lines.lineText(k);
    if (CODE_FENCE.test(t)) return false;
    known ||= KNOWN_KEY.test(t) || (flow && KNOWN_FLOW_KEY.test(t));
  }
  return known;
}

const TOML_FENCE = /^\+\+\+[ \t]*$/;

/**
 * TOML front matter (`+++` … `+++` at the very top, as Hugo writes it), closed: it is not
 * read as metadata (only YAML is), but it is no body text either (`[[menu.main]]` is no
 * wikilink), so it is masked like a metadata block and reported (invalid-frontmatter).
 */
export function locateTomlFrontMatter(lines: LineIndex, bom = false): MetadataBlock | undefined {
  const n = lines.lineCount;
  if (n === 0 || !TOML_FENCE.test(openingLine(lines, bom))) return undefined;
  for (let l = 1; l < n; l++)
    if (TOML_FENCE.test(lines.lineText(l)))
      return { kind: 'frontmatter', openLine: 0, closeLine: l, lastLine: l };
  return undefined;
}

/** A line that opens an HTML comment block (CommonMark's HTML block kind 2). */
const COMMENT_START = /^ {0,3}<!--/;
/** A setext level-1 underline. */
const SETEXT_H1 = /^ {0,3}=+[ \t]*$/;
/**
 * A line that starts some other block, so it cannot be the text of a setext title: a
 * heading, block quote, HTML, fence, list item, thematic break, indented code.
 */
const NOT_SETEXT_TEXT =
  /^(?: {4}|\t| {0,3}(?:[#>=<`~|]|[-*+_](?:[ \t]|$|[-*_ \t]*$)|\d{1,9}[.)](?:[ \t]|$)))/;

/**
 * The last line of the title a block after the title follows: the first content line
 * when it is a `# Title`, or the underline of a `Title` / `===` setext title. Blank lines
 * and HTML comments (`<!-- markdownlint-disable MD025 -->`, one or several, over one
 * line or more) may come before it. -1 when the document does not start so.
 */
function titleEnd(lines: LineIndex, n: number, from = 0): number {
  let l = nextNonBlank(lines, from, n);
  while (l !== -1 && COMMENT_START.test(lines.lineText(l))) {
    // The comment block ends on the first line holding `-->` (the opening line included).
    let end = l;
    while (end < n && !lines.lineText(end).includes('-->')) end++;
    if (end === n) return -1;
    l = nextNonBlank(lines, end + 1, n);
  }
  if (l === -1) return -1;
  const text = lines.lineText(l);
  if (ATX_H1.test(text)) return l;
  if (l + 1 < n && !NOT_SETEXT_TEXT.test(text) && SETEXT_H1.test(lines.lineText(l + 1))) return l + 1;
  return -1;
}

/** The last line of a block left open whose first content line is `first` (-1: none). */
function unclosedEnd(lines: LineIndex, first: number, n: number): number {
  if (first !== -1) for (let l = first + 1; l < n; l++) if (ATX_HEADING.test(lines.lineText(l))) return l - 1;
  return n - 1;
}

function nextNonBlank(lines: LineIndex, from: number, n: number): number {
  for (let l = from; l < n; l++) if (lines.lineText(l).trim() !== '') return l;
  return -1;
}

function findClose(lines: LineIndex, from: number, to: number): number {
  for (let l = from; l < to; l++) if (CLOSE.test(lines.lineText(l))) return l;
  return -1;
}

/** The text with the block's lines blanked (same length, same line breaks). */
export function maskBlock(text: string, lines: LineIndex, block: MetadataBlock): string {
  const last = block.lastLine;
  const parts = [text.slice(0, lines.starts[block.openLine])];
  for (let l = block.openLine; l <= last; l++) {
    const from = lines.starts[l];
    const to = lines.lineEnd(l);
    parts.push(blanks(to - from));
    // The line break as it is (`\n`, `\r\n` or `\r`).
    parts.push(text.slice(to, l < last ? lines.starts[l + 1] : to));
  }
  parts.push(text.slice(lines.lineEnd(last)));
  return parts.join('');
}

const SPACES = ' '.repeat(256);

function blanks(n: number): string {
  return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}

/** How a metadata block was read (see `parseMetadata`). */
export interface MetadataLayout {
  fast: boolean;
  nested: Map<string, NestedKey[]>;
}

/** Parses the YAML of a block; never throws. Links are appended to `links`. */
export function parseMetadata(
  text: string,
  lines: LineIndex,
  block: MetadataBlock | undefined,
  links: WikiLink[],
  options: {
    fullYaml?: boolean;
    /**
     * Given when the caller wants to know how the block was read: `fast` when the fast path
     * read it (its data is then a tree without shared parts), and where the keys of its
     * nested block maps sit (lines of the document; `parseDdx` uses them).
     */
    layout?: MetadataLayout;
  } = {},
): Metadata {
  if (!block) return { kind: 'none', data: {}, errors: [], entries: [] };
  const errors: MetadataError[] = [];
  const lastLine = block.lastLine;
  const range = {
    start: { line: block.openLine, character: 0 },
    end: { line: lastLine, character: lines.lineEnd(lastLine) - lines.starts[lastLine] },
  };
  const contentStart = lines.starts[Math.min(block.openLine + 1, lines.lineCount - 1)];
  const endLine = block.closeLine !== -1 ? block.closeLine : block.lastLine + 1;
  const contentEnd = endLine < lines.lineCount ? lines.starts[endLine] : text.length;
  const src = block.openLine + 1 > lastLine ? '' : yamlLineBreaks(text.slice(contentStart, contentEnd));

  if (block.closeLine === -1) {
    errors.push({
      message: 'The metadata block has no closing `---` line.',
      range: lines.rangeOf(lines.starts[block.openLine], lines.lineEnd(block.openLine)),
    });
  }

  const entries: MetadataEntry[] = [];
  let data: Record<string, unknown> = {};
  // Set when the block cannot be read (invalid YAML, or refused): nothing is read from it.
  let unread = false;
  // The fast path reads one level of nesting at most and never recurses: a block it
  // reads needs no depth check, only the size limit (checked first, as by the guard).
  const fast =
    !options.fullYaml && block.closeLine !== -1 && src.length <= YAML_LIMITS.maxChars
      ? parseSimpleYaml(src, block.openLine + 1)
      : undefined;
  const refused = fast ? undefined : checkYamlLimits(src);
  if (refused) {
    // Too big or nested too deep for the YAML parser: a finding, and no data.
    const at = contentStart + Math.min(refused.offset, src.length);
    errors.push({ message: `Metadata not read: ${refused.message}`, range: lines.rangeOf(at, at) });
    unread = true;
  } else if (fast) {
    data = fast.data;
    const layout = options.layout;
    if (layout) layout.fast = true;
    if (fast.nested && layout) layout.nested = fast.nested;
    for (const e of fast.entries) {
      const r = lines.rangeOf(contentStart + e.start, contentStart + e.end);
      entries.push({ key: e.key, line: r.start.line, range: r });
    }
  } else {
    const read = readFullYaml(text, lines, src, contentStart, range, errors, entries);
    if (read === undefined) unread = true;
    else data = read;
  }

  metadataLinks(text, lines, block, entries, contentStart, contentEnd, links);
  // A key the checker reads written in capitals (`Phase: 1`, `Next_Phase:`): not read, said.
  for (const e of entries) {
    const lower = e.key.toLowerCase();
    if (
      lower !== e.key &&
      HIDDEN_BY_CAPITALS.has(lower) &&
      !Object.hasOwn(data, lower) &&
      readsAsOurs(lower, data[e.key])
    )
      errors.push({
        message: `\`${e.key}\` is not read: metadata keys are lower case; write \`${lower}\`.`,
        range: keyRange(lines, e),
      });
  }
  const metadata: Metadata = { kind: block.kind, range, data, errors, entries };
  if (unread) metadata.unread = true;
  return metadata;
}

/**
 * The block read by the `yaml` package (anything the fast path leaves): its data, with its
 * errors and top-level entries appended to `errors` and `entries`.
 */
function readFullYaml(
  text: string,
  lines: LineIndex,
  src: string,
  contentStart: number,
  range: Range,
  errors: MetadataError[],
  entries: MetadataEntry[],
): Record<string, unknown> | undefined {
  let data: Record<string, unknown> | undefined = {};
  try {
    const parsed = parseYamlDocument(src);
    if (!parsed.ok) throw new Error(parsed.error);
    const doc = parsed.doc;
    // An error at the very end of the block (an unclosed bracket) is shown at the last content line.
    // (Computed once, in linear time: `/\s+$/` per error was quadratic in long blank runs.)
    const end = contentStart + trimEndWhile(src, isWhitespace).length;
    // The first errors are what to fix; a block of thousands (a flow list of `[[a]]`
    // written unquoted) says how many more there are instead.
    const shown = doc.errors.slice(0, MAX_YAML_ERRORS);
    for (const e of shown) {
      const at = Math.min(contentStart + e.pos[0], end);
      const to = Math.max(at, Math.min(contentStart + e.pos[1], end));
      errors.push({ message: `Invalid YAML: ${firstLine(e.message)}`, range: lines.rangeOf(at, to) });
    }
    if (doc.errors.length > shown.length) {
      const last = errors[errors.length - 1].range;
      errors.push({
        message: `Invalid YAML: ${doc.errors.length - shown.length} more errors in this block (the first ${shown.length} are reported).`,
        range: last,
      });
    }
    const contents = doc.contents;
    if (isMap(contents)) {
      for (const item of contents.items) {
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        const kr = (item.key as { range?: [number, number, number] } | null)?.range;
        if (key === undefined || !kr) continue;
        const vr = (item.value as { range?: [number, number, number] } | null)?.range;
        const start = contentStart + kr[0];
        const end = contentStart + Math.max(kr[1], vr ? vr[1] : kr[1]);
        const r = lines.rangeOf(start, trimEnd(text, start, end));
        entries.push({ key, line: r.start.line, range: r });
      }
    } else if (contents !== null && errors.length === 0) {
      errors.push({ message: 'Metadata must be a mapping of keys to values.', range });
    }
    if (doc.errors.length === 0) {
      const js = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
      if (js && typeof js === 'object' && !Array.isArray(js)) data = js as Record<string, unknown>;
    } else data = undefined;
  } catch (e) {
    // toJS throws when aliases expand beyond maxAliasCount (a "billion laughs" block).
    errors.push({
      message: `Invalid YAML: ${e instanceof Error ? firstLine(e.message) : String(e)}`,
      range,
    });
    data = undefined;
  }
  return data;
}

/**
 * Appends the links of the block's values to `links`: wikilinks in any value, and the paths
 * of the keys that chain phases (`next_phase: ../02-design/README.md`).
 */
function metadataLinks(
  text: string,
  lines: LineIndex,
  block: MetadataBlock,
  entries: readonly MetadataEntry[],
  contentStart: number,
  contentEnd: number,
  links: WikiLink[],
): void {
  // Any wikilink in any metadata value is a link; the YAML shape does not matter.
  const firstContent = block.openLine + 1;
  // Most blocks hold no `[[`: their lines are not scanned one by one for wikilinks, and
  // without a key that chains phases there is nothing to read.
  const anyWikiLink = text.lastIndexOf('[[', contentEnd - 2) >= contentStart;
  if (!anyWikiLink && !entries.some((e) => PATH_KEYS.has(e.key))) return;
  const keyOfLine: string[] = [];
  // `artifacts: [` with the list's items on the lines after it: its lines, as one piece.
  let flowList: { from: number; to: number; first: number; last: number } | undefined;
  let flowStart = 0;
  for (const entry of entries) {
    const { start, end } = entry.range;
    for (let l = start.line; l <= end.line; l++) keyOfLine[l] = entry.key;
    if (end.line === start.line) continue;
    const head = text.slice(lines.starts[start.line], lines.lineEnd(start.line));
    if (entry.key === 'artifacts' && /:[ \t]*\[/.test(head))
      flowList = {
        from: lines.starts[start.line],
        to: lines.lineEnd(end.line),
        first: start.line,
        last: end.line,
      };
  }
  const lastContent = block.closeLine === -1 ? block.lastLine : block.closeLine - 1;
  // Where comments start (a wikilink in one, `# - "[[dropped-doc]]"`, is no value's).
  const comments = anyWikiLink ? yamlCommentStarts(text, lines, firstContent, lastContent) : undefined;
  // The next `[[` at or after the line read: a line before it holds none and is not
  // scanned (a scan looking for one past its line's end, line after line, took time
  // growing with the square of the block).
  let nextOpen = -1;
  for (let l = firstContent; l <= lastContent; l++) {
    const key = keyOfLine[l];
    if (!anyWikiLink && (key === undefined || !PATH_KEYS.has(key))) continue;
    const before = links.length;
    if (anyWikiLink) {
      const from = lines.starts[l];
      if (nextOpen !== -2 && nextOpen < from) nextOpen = text.indexOf('[[', from);
      if (nextOpen === -1) nextOpen = -2; // none left in the text
      if (nextOpen >= 0 && nextOpen < lines.lineEnd(l)) {
        const end = comments?.get(l) ?? lines.lineEnd(l);
        if (nextOpen < end) scanWikiLinks(text, from, end, lines, 'metadata', links);
      }
    }
    if (flowList !== undefined && l >= flowList.first && l <= flowList.last) {
      // A list written over several lines: its paths read with its last line, then all its
      // links in order.
      if (l === flowList.first) flowStart = before;
      if (l === flowList.last) {
        const at = links.length;
        metadataFlowPathLinks(text, lines, flowList.from, flowList.to, links);
        if (links.length > at) {
          const mine = links
            .splice(flowStart)
            .sort(
              (a, b) =>
                a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
            );
          links.push(...mine);
          for (const k of mine) k.key = 'artifacts';
        }
      }
    } else if (links.length > before && key === 'artifacts') {
      // A flow list holding wikilinks and paths: the paths too, the line's links in order.
      const wiki = links.length;
      metadataFlowPathLinks(text, lines, lines.starts[l], lines.lineEnd(l), links);
      if (links.length > wiki) {
        const mine = links.splice(before).sort((a, b) => a.range.start.character - b.range.start.character);
        links.push(...mine);
      }
    } else if (links.length === before && key !== undefined && PATH_KEYS.has(key)) {
      // `next_phase: ../02-design/README.md`: a path chains phases like a wikilink; an
      // artifact written as a path (`- release-plan.md`) is a link to it likewise.
      const path =
        metadataPathLink(text, lines, lines.starts[l], lines.lineEnd(l)) ??
        metadataMarkdownLink(text, lines, lines.starts[l], lines.lineEnd(l)) ??
        (CHAIN_KEYS.has(key) ? metadataNameLink(text, lines, lines.starts[l], lines.lineEnd(l)) : undefined);
      if (path) links.push(path);
      else if (key === 'artifacts')
        metadataFlowPathLinks(text, lines, lines.starts[l], lines.lineEnd(l), links);
    }
    if (key !== undefined)
      for (let i = before; i < links.length; i++) links[i].key = keyAt(entries, links[i]) ?? key;
  }
}

/**
 * The key of the entry whose range holds `link`'s start, where several entries share its
 * line (a flow mapping, `{previous_phase: "[[02-prescribe]]", next_phase: "[[04-monitor]]"}`:
 * each link is its own key's, not the line's last). Undefined when none holds it.
 */
function keyAt(entries: readonly MetadataEntry[], link: WikiLink): string | undefined {
  const { line, character } = link.range.start;
  let found: string | undefined;
  let touching = 0;
  for (const e of entries) {
    const { start, end } = e.range;
    if (line < start.line || line > end.line) continue;
    touching++;
    const after = line > start.line || character >= start.character;
    const before = line < end.line || character < end.character;
    if (after && before) found = e.key;
  }
  return touching > 1 ? found : undefined;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}
