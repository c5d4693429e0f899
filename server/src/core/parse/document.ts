import { LineIndex } from '../text';
import type { BodySummary, Heading, Metadata, ParsedDocument, Title, WikiLink } from '../types';
import { calloutsOf, sectionsWith } from './callout';
import { keepFixesThatMakeTasks } from './checkbox-fixes';
import { collapsiblesOf, type Section, sectionsOf } from './collapsible';
import {
  compactHeading,
  compactLink,
  compactTask,
  headingTitle,
  leanEntry,
  own,
  ownData,
  ownTree,
} from './compact';
import { parseDdx } from './ddx';
import {
  holdsReadKey,
  locateMetadata,
  locateTomlFrontMatter,
  METADATA_KEYS,
  type MetadataBlock,
  type MetadataLayout,
  maskBlock,
  parseMetadata,
  secondBlock,
} from './metadata';
import { parseBodyRemark } from './remark';
import { scanBody, scanMalformed } from './scanner';
import { frontMatterEnd } from './scanner/front-matter';

export type ParserKind = 'fast' | 'remark';

/**
 * Reads one document into the small summary the index keeps. Never throws: problems
 * in the metadata become metadata errors; the body parser always returns a value.
 */
export function parseDocument(uri: string, text: string, parser: ParserKind = 'fast'): ParsedDocument {
  // A byte order mark an editor sends with the text (files read from disk have it
  // dropped, and VS Code drops it too) is read as a space: every position stays where the
  // editor has it, front matter still opens the document, and a title after it is one.
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = ` ${text.slice(1)}`;
  const lines = new LineIndex(text);
  const top = locateMetadata(lines, bom);
  // Front matter above a CDP document's block after its title: one of them is read, the
  // front matter unless it holds nothing this reads and the block does; the other is no
  // body text either, and a block left unread is said (invalid-frontmatter).
  const second = secondBlock(lines, top);
  const pick = second && !holdsReadKey(lines, top!) && holdsReadKey(lines, second);
  const block = pick ? second : top;
  const other = pick ? top : second;
  const metaLinks: WikiLink[] = [];
  const layout: MetadataLayout = { fast: false, nested: new Map() };
  const metadata = parseMetadata(text, lines, block, metaLinks, { layout });
  if (second && !pick)
    metadata.errors.push({
      message: `This metadata block after the title is not read: the front matter above it (line 1) holds the document's metadata. Move its keys into the front matter.`,
      range: lines.rangeOf(lines.starts[second.openLine], lines.lineEnd(second.openLine)),
    });
  // TOML front matter is not read, only masked and named (see locateTomlFrontMatter).
  const toml = block ? undefined : locateTomlFrontMatter(lines, bom);
  if (toml && tomlHoldsMetadata(lines, toml.closeLine)) metadata.toml = lines.rangeOf(0, lines.lineEnd(0));
  const masked = block && !scannerSkips(text, lines, block, parser) ? block : toml;
  let bodyText = masked ? maskBlock(text, lines, masked) : text;
  if (other && !scannerSkips(text, lines, other, parser)) bodyText = maskBlock(bodyText, lines, other);
  const bodyLines = bodyText === text ? lines : new LineIndex(bodyText, lines.starts);
  const body = parseBody(bodyText, bodyLines, parser);

  const links = mergeByPosition(metaLinks, body.links).map(compactLink);
  const headings = body.headings.map(compactHeading);
  // A DDX block of a shape that holds no id is a metadata problem like a bad `phase`.
  const ddx = parseDdx(lines, metadata, layout.nested, metadata.errors);
  // Nothing kept may share memory with the text (see `own`): metadata and findings too.
  const kept: Metadata = {
    ...metadata,
    data: layout.fast ? ownTree(metadata.data, ddx?.block) : ownData(metadata.data, undefined, ddx?.block),
    errors: metadata.errors.map((e) => ({ message: own(e.message), range: e.range })),
    entries: metadata.entries.map((e) => leanEntry(own(e.key), e.line, e.range)),
  };
  const parsed: ParsedDocument = {
    uri,
    lineCount: lines.lineCount,
    title: findTitle(headings, kept.data),
    metadata: kept,
    headings,
    links,
    tasks: body.tasks.map(compactTask),
    malformed: body.malformed.map((m) => ({ ...m, replacement: own(m.replacement) })),
  };
  const collapsibles = collapsiblesOf(bodyText, bodyLines, body.html, body.headings);
  if (collapsibles) parsed.collapsibles = collapsibles;
  const callouts = calloutsOf(bodyText, bodyLines, body.quotes, body.headings);
  if (callouts) parsed.callouts = callouts;
  // An item whose box GFM does not read (`- [x ] …`, malformed-checkbox) has a box
  // already: no plain item may be a criterion written without one.
  const plain = withoutMalformed(body);
  // Every callout counts as a section here: which titles name groups is for the
  // configuration to say, and the finer the sections, the more plain items are kept (the
  // groups count those of sections without a task item only).
  const sections = sectionsWith(collapsibles, callouts);
  const plainItems = sections ? plainCriteriaIn(body, plain, sections) : plainCriteria(body, plain);
  if (plainItems) parsed.plainItems = plainItems;
  const anchors = htmlAnchors(bodyText);
  if (anchors) parsed.htmlAnchors = anchors;
  if (ddx) parsed.ddx = ddx;
  return parsed;
}

/** Most HTML anchors kept per document. */
const MAX_HTML_ANCHORS = 1000;

/**
 * The values of `name` and `id` attributes in HTML tags of the text (`<a name="setup">`,
 * `<h2 id="faq">`), or undefined when there are none. Read from the raw text: one in a
 * code block counts too, which can only make a link resolve.
 */
function htmlAnchors(text: string): string[] | undefined {
  if (text.indexOf('<') === -1 || !/\b(?:name|id)\s*=/i.test(text)) return undefined;
  const out = new Set<string>();
  const tag = /<[A-Za-z][A-Za-z0-9-]{0,20}\s[^<>]{0,2000}?>/g;
  const attr = /\s(?:name|id)\s*=\s*(?:"([^"]{1,200})"|'([^']{1,200})'|([^\s"'=<>`]{1,200}))/gi;
  for (let m = tag.exec(text); m !== null && out.size < MAX_HTML_ANCHORS; m = tag.exec(text)) {
    for (let a = attr.exec(m[0]); a !== null; a = attr.exec(m[0])) out.add(own(a[1] ?? a[2] ?? a[3]));
  }
  return out.size > 0 ? [...out] : undefined;
}

/** The body's plain list items without those whose box GFM does not read. */
function withoutMalformed(body: BodySummary): readonly number[] {
  if (body.malformed.length === 0) return body.plain;
  const boxed = new Set(body.malformed.map((m) => m.line));
  return body.plain.filter((l) => !boxed.has(l));
}

/**
 * The plain list items (`plain`) that may be criteria written without checkboxes: those
 * under a heading whose section (to the next heading) holds no task item. Which headings
 * name criteria is for the configuration to say (`computeGroups`).
 */
function plainCriteria(body: BodySummary, plain: readonly number[]): number[] | undefined {
  const { headings, tasks } = body;
  if (plain.length === 0 || headings.length === 0) return undefined;
  let out: number[] | undefined;
  let h = -1; // the heading whose section holds plain[i]
  let t = 0;
  for (let i = 0; i < plain.length; i++) {
    const line = plain[i];
    if (line <= headings[0].line) continue;
    while (h + 1 < headings.length && headings[h + 1].line < line) h++;
    const from = headings[h].line;
    const to = h + 1 < headings.length ? headings[h + 1].line : Number.POSITIVE_INFINITY;
    while (t < tasks.length && tasks[t].line < from) t++;
    if (t < tasks.length && tasks[t].line < to) continue; // the section has a task item
    (out ??= []).push(line);
  }
  return out;
}

/**
 * `plainCriteria` for a body with collapsible sections or callouts, which are sections of
 * their own (see `sectionsOf`): the plain list items of sections without a task item.
 */
function plainCriteriaIn(
  body: BodySummary,
  plain: readonly number[],
  collapsibles: readonly Section[],
): number[] | undefined {
  const { headings, tasks } = body;
  if (plain.length === 0) return undefined;
  const withTasks = new Set(
    sectionsOf(
      headings,
      collapsibles,
      tasks.map((t) => t.line),
    ),
  );
  const sections = sectionsOf(headings, collapsibles, plain);
  let out: number[] | undefined;
  for (let i = 0; i < plain.length; i++) {
    if (sections[i] === -1 || withTasks.has(sections[i])) continue;
    (out ??= []).push(plain[i]);
  }
  return out;
}

/**
 * Whether the body scanner passes over exactly the lines of `block` by itself: front
 * matter at the top closed by `---` is skipped as remark-frontmatter skips it, so the
 * document needs no copy with the block blanked (a copy of every document that has
 * front matter, which most documents with a DDX id have).
 */
function scannerSkips(text: string, lines: LineIndex, block: MetadataBlock, parser: ParserKind): boolean {
  return (
    parser === 'fast' &&
    block.kind === 'frontmatter' &&
    block.closeLine !== -1 &&
    frontMatterEnd(text, lines) === block.closeLine + 1
  );
}

/**
 * Most inline marker characters a document may hold for remark to parse it. micromark's
 * handling of `]`, `[a]`, `*a`, `_a`, `~a` and the like grows with the square of their
 * number in a paragraph (20,000 `]` take seconds to minutes); with at most this many the
 * worst case stays well under a second, and a document with more is read by the scanner
 * (which gives the same result: test/unit/parse-differential.test.ts).
 */
export const REMARK_MAX_MARKERS = 2000;

function remarkMarkers(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // [ ] * _ ~ ! & < ` \
    if (
      c === 91 ||
      c === 93 ||
      c === 42 ||
      c === 95 ||
      c === 126 ||
      c === 33 ||
      c === 38 ||
      c === 60 ||
      c === 96 ||
      c === 92
    )
      n++;
  }
  return n;
}

/**
 * Most container nesting remark is given: the sum over lines of the square of how many
 * containers the line is inside: the block quote and list markers that open it, and as
 * many more as its indentation can hold (a list nested by indentation, one item more per
 * two columns, opens one marker per line yet is as deep). micromark's time grows with that
 * square (a line of 5,000 `- ` took 10 s, of 10,000 over a minute; 1,000 lines each
 * indented two columns more than the one before, over two minutes); normal documents stay
 * far below (4 levels on 5,000 lines is 80,000).
 */
const REMARK_MAX_NESTING = 1_000_000;

/**
 * The sum over lines of (container markers at the line's start, plus half the columns of
 * white space among them)², stopping past the limit.
 */
function remarkNesting(text: string): number {
  let sum = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let depth = 0;
    let columns = 0;
    for (;;) {
      for (; i < n; i++) {
        const w = text.charCodeAt(i);
        if (w === 32) columns++;
        else if (w === 9) columns += 4;
        else break;
      }
      const c = text.charCodeAt(i);
      if (c === 62 /* > */) {
        depth++;
        i++;
        continue;
      }
      let j = i;
      // `-`, `*`, `+`; else `1.` or `1)`
      if (c === 45 || c === 42 || c === 43) j = i + 1;
      else {
        while (j < n && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
        if (j === i || (text.charCodeAt(j) !== 46 && text.charCodeAt(j) !== 41)) break;
        j++;
      }
      const after = text.charCodeAt(j);
      if (j === i || !(after === 32 || after === 9)) break;
      depth++;
      i = j;
    }
    depth += columns >> 1;
    sum += depth * depth;
    if (sum > REMARK_MAX_NESTING) return sum;
    const nl = text.indexOf('\n', i);
    if (nl === -1) break;
    i = nl + 1;
  }
  return sum;
}

function parseBody(text: string, lines: LineIndex, parser: ParserKind): BodySummary {
  if (
    parser === 'remark' &&
    remarkMarkers(text) <= REMARK_MAX_MARKERS &&
    remarkNesting(text) <= REMARK_MAX_NESTING
  ) {
    try {
      const body = parseBodyRemark(text);
      // remark has no notion of a box that is almost a task: the scanner finds them, and
      // remark decides which fixes make task items.
      body.malformed = keepFixesThatMakeTasks(text, lines, scanMalformed(text, lines), (fixed) =>
        parseBodyRemark(fixed).tasks.map((t) => t.line),
      );
      return body;
    } catch {
      // remark recurses on deeply nested input; the scanner does not.
    }
  }
  return scanBody(text, lines);
}

function findTitle(headings: Heading[], data: Record<string, unknown>): Title | undefined {
  const h = headings[0];
  if (h && h.level === 1) return headingTitle(h);
  const t = data.title;
  if (typeof t === 'string' && t.trim()) {
    return {
      text: own(t.trim()),
      line: 0,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
  }
  return undefined;
}

function mergeByPosition(a: WikiLink[], b: WikiLink[]): WikiLink[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = [...a, ...b];
  out.sort(
    (x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character,
  );
  return out;
}

/** The top-level keys the product reads from metadata, when written in TOML. */
const TOML_READ = new Set<string>(METADATA_KEYS);
/** A TOML table header's first key (`[ddx]`, `[[ddx.history]]`, `["ddx"]`). */
const TOML_TABLE = /^[ \t]*\[\[?[ \t]*(?:"([^"]*)"|'([^']*)'|([\w-]+))/;
/** A TOML key line's first key (`phase =`, `"phase" =`, `ddx.id =`). */
const TOML_KEY = /^[ \t]*(?:"([^"]*)"|'([^']*)'|([\w-]+))[ \t]*[.=]/;

/**
 * Whether TOML front matter holds a key the product reads (`phase = "01-frame"`, a chain
 * link, a `[ddx]` table, `ddx.id = …`), at the top level or in such a table: a Hugo
 * page's `title`, `date`, `weight`, `[menu.main]` or `[params] phase = …` is none, and
 * its front matter is no one's lost metadata.
 */
function tomlHoldsMetadata(lines: LineIndex, closeLine: number): boolean {
  let table = '';
  for (let l = 1; l < closeLine; l++) {
    const t = lines.lineText(l);
    const header = TOML_TABLE.exec(t);
    if (header) {
      table = header[1] ?? header[2] ?? header[3];
      if (table === 'ddx' || table === 'dun') return true;
      continue;
    }
    const key = TOML_KEY.exec(t);
    if (key && table === '' && TOML_READ.has(key[1] ?? key[2] ?? key[3])) return true;
  }
  return false;
}
