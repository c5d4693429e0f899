import {
  type CancellationToken,
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  CompletionRequest,
  type Range,
  type TextDocumentPositionParams,
} from 'vscode-languageserver';
import { aliasesOf } from '../core/aliases';
import type { Analysis } from '../core/analysis';
import type { DocEntry, Resolution, WorkspaceIndex } from '../core/index';
import { linkTextFor, linkTextTo, resolvesTo, writable, writableName } from '../core/link-text';
import { parseDocument } from '../core/parse/document';
import { decodeDestination } from '../core/parse/mdlink';
import { basename, relativeTo, sharedFolders, stripMdExtension } from '../core/paths';
import { headingAnchors, headingSegments, headingsUnder, isTemplateFolder } from '../core/resolve';
import { leavesInstance } from '../core/rules/cross-instance-link';
import { shownHeading, withLinkTexts } from '../core/shown-text';
import { LineIndex, slug } from '../core/text';
import type { Heading, WikiLink } from '../core/types';
import type { FeatureContext } from './context';
import { isSubsequence } from './fuzzy';
import { dependsOnCompletion, withIdItems } from './ids';
import { request } from './requests';

/** At most this many items per answer; the list is marked incomplete when more matched. */
export const MAX_ITEMS = 200;

interface Names {
  uri: string;
  rel: string;
  /** The folder, as a number per distinct folder of the catalogue (compared per request). */
  dir: number;
  /** File name without `.md`. */
  stem: string;
  stemLower: string;
  /** Folder-relative path without `.md`, lower case. */
  pathLower: string;
  /** The title, when it reads differently from the file name beyond case (and fits in a link). */
  title: string | undefined;
  titleLower: string;
  /** A workspace template (`isTemplateFolder`): offered only when a path is typed, since a name does not reach it. */
  template: boolean;
  /** The aliases its front matter gives it (`core/aliases.ts`). */
  aliases: readonly string[];
}

/** Text as names are compared: one Unicode form (a name typed with `ó` finds a file named with `o` and a combining accent, as macOS writes it), any case. */
function fold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

function namesOf(e: DocEntry, c: Catalogue): Names {
  const stem = stripMdExtension(basename(e.rel));
  const n: Names = {
    uri: e.uri,
    rel: e.rel,
    dir: dirNumber(c, e.dir),
    stem,
    stemLower: fold(stem),
    pathLower: fold(stripMdExtension(e.rel)),
    title: undefined,
    titleLower: '',
    template: isTemplateFolder(e.dir),
    aliases: [],
  };
  setTitle(n, e);
  return n;
}

function setTitle(n: Names, e: DocEntry): void {
  const t = e.doc.title?.text.trim();
  n.title = t && fold(t) !== n.stemLower && !/[[\]|#^]/.test(t) ? t : undefined;
  n.titleLower = n.title !== undefined ? fold(n.title) : '';
  n.aliases = aliasesOf(e.doc);
}

/**
 * The names of every document, per workspace folder in path order: built when the set of
 * paths changes, and otherwise kept current by re-reading the titles of the documents
 * set since (an edit changes no path). A `[[` completion then scans one flat list.
 */
interface Catalogue {
  paths: number;
  version: number;
  byUri: Map<string, Names>;
  /** Folder path → its number. */
  dirs: Map<string, number>;
  /** Folder number → its path. */
  dirNames: string[];
  folders: Map<string, Names[]>;
  /** Per workspace folder: the folder numbers of its list, for an empty query (made when asked). */
  places: Map<string, { dirs: Int32Array; templates: number }>;
}

const catalogues = new WeakMap<WorkspaceIndex, Catalogue>();

function dirNumber(c: Catalogue, dir: string): number {
  let n = c.dirs.get(dir);
  if (n === undefined) {
    c.dirs.set(dir, (n = c.dirNames.length));
    c.dirNames.push(dir);
  }
  return n;
}

function byRel(a: { rel: string }, b: { rel: string }): number {
  return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0;
}

function catalogueOf(index: WorkspaceIndex): Catalogue {
  const c = catalogues.get(index);
  if (c && c.version === index.version) return c;
  // The documents set since the catalogue was last current (undefined: too many to say).
  const changed = c ? index.setSince(c.version) : undefined;
  if (!c || !changed) return buildCatalogue(index, c);
  if (c.paths === index.pathsStamp) {
    // Only edits since: the same documents at the same paths, titles may differ.
    for (const uri of changed) {
      const n = c.byUri.get(uri);
      const e = index.get(uri);
      if (n && e) setTitle(n, e);
    }
  } else {
    // Documents came (they are among those set) or went (the count says so).
    for (const uri of changed) {
      const e = index.get(uri);
      if (!e) continue;
      const n = c.byUri.get(uri);
      if (n) {
        setTitle(n, e);
        continue;
      }
      const fresh = namesOf(e, c);
      c.byUri.set(uri, fresh);
      const list = c.folders.get(e.folder) ?? [];
      c.folders.set(e.folder, list);
      list.splice(insertionPoint(list, fresh.rel), 0, fresh);
      c.places.delete(e.folder);
    }
    // Every document is in by now: more names than documents means some went.
    if (c.byUri.size !== index.size) {
      for (const uri of c.byUri.keys()) if (!index.get(uri)) c.byUri.delete(uri);
      c.places.clear();
      for (const [folder, list] of c.folders)
        c.folders.set(
          folder,
          list.filter((n) => c.byUri.get(n.uri) === n),
        );
    }
    if (c.byUri.size !== index.size) return buildCatalogue(index, c);
    c.paths = index.pathsStamp;
  }
  c.version = index.version;
  return c;
}

/** The catalogue made from every document (keeping the folder numbers of `old`). */
function buildCatalogue(index: WorkspaceIndex, old: Catalogue | undefined): Catalogue {
  const c: Catalogue = {
    paths: index.pathsStamp,
    version: index.version,
    byUri: new Map(),
    folders: new Map(),
    places: new Map(),
    dirs: old?.dirs ?? new Map(),
    dirNames: old?.dirNames ?? [],
  };
  for (const e of index.all()) {
    const n = namesOf(e, c);
    c.byUri.set(e.uri, n);
    let list = c.folders.get(e.folder);
    if (!list) c.folders.set(e.folder, (list = []));
    list.push(n);
  }
  for (const list of c.folders.values()) list.sort(byRel);
  catalogues.set(index, c);
  return c;
}

function placesOf(c: Catalogue, folder: string, list: readonly Names[]) {
  let p = c.places.get(folder);
  if (!p) {
    p = {
      dirs: Int32Array.from(list, (n) => n.dir),
      templates: list.filter((n) => n.template).length,
    };
    c.places.set(folder, p);
  }
  return p;
}

/** Where `rel` goes in a list sorted by path. */
function insertionPoint(list: readonly Names[], rel: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].rel < rel) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A document's name (its title, or the other of title and name) and its phase, when it shows one. */
function detailOf(analysis: Analysis, e: DocEntry, name = e.displayName): string {
  const p = analysis.shownPhase(e);
  return p ? `${name} — ${p.id} ${p.name}` : name;
}

/** What the text before the cursor asks for. */
type Context =
  | { kind: 'document'; typed: string; start: number; closed: boolean }
  | {
      kind: 'heading';
      target: string;
      typed: string;
      start: number;
      closed: boolean;
      /**
       * Of a nested heading link (`[[doc#Parent#Ch`): the segments written before the last
       * `#`, and what was typed after it, from `start`.
       */
      nested?: { outer: string; typed: string; start: number };
    }
  | { kind: 'chain'; key: 'previous_phase' | 'next_phase'; start: number; end: number };

/**
 * The length of the YAML scalar `text` starts with: a quoted one up to its closing quote
 * (the line's end when it has none), a plain one up to a comment or the line's end, with
 * trailing spaces left out.
 */
function scalarLength(text: string): number {
  const q = text[0];
  if (q === '"' || q === "'") {
    for (let i = 1; i < text.length; i++) {
      if (q === '"' && text[i] === '\\') i++;
      else if (text[i] === q) {
        if (q === "'" && text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
  }
  const comment = text.search(/(^|[ \t])#/);
  return (comment === -1 ? text : text.slice(0, comment)).trimEnd().length;
}

export function completionContext(before: string, after: string, inMetadata: boolean): Context | undefined {
  if (inMetadata) {
    const m = /^(previous_phase|next_phase)[ \t]*:[ \t]*("?)$/.exec(before);
    if (m) {
      // The value already there is replaced (`next_phase: "[[03-c]]"` completed after the
      // colon), not written in front of.
      const start = before.length - m[2].length;
      return {
        kind: 'chain',
        key: m[1] as 'previous_phase' | 'next_phase',
        start,
        end: start + scalarLength(m[2] + after),
      };
    }
  }
  const open = before.lastIndexOf('[[');
  if (open === -1) return undefined;
  const typed = before.slice(open + 2);
  if (/\]\]|\||\[/.test(typed)) return undefined;
  const closed = /^[^[\]\r\n]*\]\]/.test(after);
  const hash = typed.indexOf('#');
  if (hash !== -1) {
    // After a further `#` (`[[doc#Parent#`), the heading under the ones written before it.
    const last = typed.lastIndexOf('#');
    return {
      kind: 'heading',
      target: typed.slice(0, hash).trim(),
      typed: typed.slice(hash + 1),
      start: open + 3 + hash,
      closed,
      ...(last > hash
        ? {
            nested: {
              outer: typed.slice(hash + 1, last),
              typed: typed.slice(last + 1),
              start: open + 3 + last,
            },
          }
        : {}),
    };
  }
  return { kind: 'document', typed, start: open + 2, closed };
}

/**
 * The rest of a name in a closed link: up to `]`, `|`, `\` (not `\|`), a line break, and
 * `#` for a name (or a nested heading link's segment).
 */
const REST_OF_NAME = /^(?:[^\]|\\#\r\n]|\\(?!\|))*/;
const REST_OF_HEADING = /^(?:[^\]|\\\r\n]|\\(?!\|))*/;

/**
 * How many characters after the cursor belong to the name (or heading) being completed,
 * and are replaced with it. In a closed link everything up to `]]`, `|` (not `\|`) or,
 * for a name, `#`. In a link still being typed only what can be part of a name: letters,
 * digits, `-`, `_`, `/`, `\` and `.` inside it (a `.` ending it is a full stop); quotes,
 * brackets, emphasis and other punctuation around the link stay, and a single `]` right
 * after it (a closing bracket half typed) is taken in, as the `]]` inserted replaces it.
 */
export function restOfName(after: string, heading: boolean, closed: boolean): number {
  if (closed) return (heading ? REST_OF_HEADING : REST_OF_NAME).exec(after)![0].length;
  let n = /^(?:[\p{L}\p{M}\p{N}_\-/.]|\\(?!\|))*/u.exec(after)![0].length;
  while (n > 0 && after[n - 1] === '.') n--;
  if (after[n] === ']') n++;
  return n;
}

/**
 * How many characters after the cursor a heading completed in a closed link replaces:
 * the rest of the heading (`restOfName`), or where the segments after the cursor go on
 * (`[[doc#De|#Risks]]`, `[[doc#Design#Ri|#Deep]]`) only the rest of the segment under
 * the cursor, so that they stay. A heading whose text holds `#` (`## C# notes`, reached
 * by `[[doc#C|# notes]]`) is one heading, replaced whole, as links name it.
 */
export function restOfHeading(
  index: WorkspaceIndex,
  entry: DocEntry,
  /** The link's target (`''` for the document itself) and its heading up to the cursor. */
  target: string,
  typed: string,
  after: string,
): number {
  const whole = REST_OF_HEADING.exec(after)![0].length;
  const segment = REST_OF_NAME.exec(after)![0].length;
  if (segment === whole) return whole;
  let doc: DocEntry | undefined = entry;
  if (target !== '') {
    const r = index.resolve(entry, { target });
    doc = r.status === 'resolved' ? r.target : undefined;
  }
  const heading = (typed + after.slice(0, whole)).trim();
  return doc?.heading(heading) ? whole : segment;
}

export function documentItems(
  analysis: Analysis,
  entry: DocEntry,
  typed: string,
  range: Range,
  suffix: string,
  /** The client shows `labelDetails` (`completionItem.labelDetailsSupport`). */
  labelDetails = true,
  /**
   * The client keeps only items whose inserted text starts with what was typed (Neovim
   * before 0.8): the title or the name is inserted, whichever starts so.
   */
  byInsertedText = false,
): CompletionList {
  const index = analysis.index;
  const q = fold(typed.trim().replace(/\\/g, '/'));
  // What a client filtering by inserted text compares each item with (see `byInsertedText`).
  const prefix = typed.trimStart();
  // Names are matched without the spaces typed (`rollback p` finds rollback-plan), titles with them.
  const qName = q.replace(/\s+/g, '');
  // Buckets by match quality (stem prefix, path prefix, stem contains, subsequence) and
  // nearness (`nearOf`), filled from the catalogue in path order: no sort per request, and
  // each bucket keeps at most MAX_ITEMS documents.
  const catalogue = catalogueOf(index);
  const self = catalogue.byUri.get(entry.uri);
  const dir = catalogue.dirs.get(entry.dir) ?? -1;
  const depth = entry.dir === '' ? 0 : entry.dir.split('/').length;
  const levels = depth + 2;
  const buckets: Names[][] = Array.from({ length: 4 * levels }, () => []);
  // Nearness, per folder number (worked out once per folder met): 0 for this document's
  // folder; else 1 + how many of its folders a path from here climbs out of, so that the
  // documents of its own workflow instance or product come before another product's
  // (`products/quill/…` before `products/ledger/…`), and those before the rest.
  const nearness = new Int32Array(catalogue.dirNames.length).fill(-1);
  const nearOf = (d: number): number => {
    let k = nearness[d];
    if (k < 0) nearness[d] = k = d === dir ? 0 : 1 + depth - sharedFolders(catalogue.dirNames[d], entry.dir);
    return k;
  };
  let matched = 0;
  const list = catalogue.folders.get(entry.folder) ?? [];
  if (q === '') {
    // Everything matches, equally well: only nearness sorts, read from an array of folder
    // numbers; a name is looked at only when its bucket takes it.
    const { dirs, templates } = placesOf(catalogue, entry.folder, list);
    for (let i = 0; i < list.length; i++) {
      const b = buckets[nearOf(dirs[i])];
      if (b.length < MAX_ITEMS && list[i] !== self && !list[i].template) b.push(list[i]);
    }
    matched = list.length - templates - (self === undefined || self.template ? 0 : 1);
  }
  for (const n of q === '' ? [] : list) {
    if (n === self || (self === undefined && n.uri === entry.uri)) continue;
    // A workspace template is reached by its path only: offered when a path is typed.
    if (n.template && !q.includes('/')) continue;
    const byTitle = n.title !== undefined && q !== '' && isSubsequence(q, n.titleLower);
    if (q !== '' && !byTitle && !isSubsequence(qName, n.pathLower)) continue;
    let quality = 3;
    if (n.stemLower.startsWith(q) || n.titleLower.startsWith(q)) quality = 0;
    else if (n.pathLower.startsWith(q)) quality = 1;
    else if (n.stemLower.includes(q) || n.titleLower.includes(q)) quality = 2;
    matched++;
    const b = buckets[quality * levels + nearOf(n.dir)];
    if (b.length < MAX_ITEMS) b.push(n);
  }
  const chosen: Names[] = [];
  for (const b of buckets) {
    if (chosen.length >= MAX_ITEMS) break;
    for (let i = 0; i < b.length && chosen.length < MAX_ITEMS; i++) chosen.push(b[i]);
  }
  // Aliases are offered once something is typed: asked again as it is (not filtered away).
  const isIncomplete = matched > MAX_ITEMS || (q === '' && index.aliases.any(entry.folder));
  const items: CompletionItem[] = [];
  const byPath = q.includes('/');
  const byName = new Map<string, Resolution>();
  for (const n of chosen) {
    const e = index.get(n.uri);
    if (!e) continue;
    // A document of another workflow instance (an earlier release cycle's) is written with
    // its path, as cross-instance-link's fix writes it: by its bare name or title the link
    // would be reported as leaving this instance.
    const across = leavesInstance(analysis, entry, e);
    const name = writableName(index, entry, e, linkTextFor(index, entry, e, byName, across), byName);
    // A document no link text can name (`c#.md` has no other name that reaches it) is not offered.
    if (name === undefined) continue;
    // Offered by title and by name: the title is inserted when it leads to this document
    // alone (`[[Rollback Plan]]`), else the name, with the title shown and matched.
    const title = n.title !== undefined && !byPath ? n.title : undefined;
    const titleLinks =
      title !== undefined && !across && writable(title) && resolvesTo(index, entry, title, e, byName);
    const shown = titleLinks ? title! : name;
    const text = byInsertedText && !shown.startsWith(prefix) && name.startsWith(prefix) ? name : shown;
    items.push({
      label: titleLinks ? title! : n.stem,
      // The other of title and name beside the label, where the client shows labelDetails;
      // else first in the detail.
      ...(title === undefined
        ? { detail: detailOf(analysis, e) }
        : labelDetails
          ? { labelDetails: { description: titleLinks ? n.stem : title }, detail: detailOf(analysis, e) }
          : { detail: detailOf(analysis, e, titleLinks ? n.stem : title) }),
      kind: CompletionItemKind.File,
      documentation: e.rel,
      sortText: String(items.length).padStart(4, '0'),
      filterText: byPath ? stripMdExtension(e.rel) : title !== undefined ? `${title} ${name}` : name,
      textEdit: { range, newText: text + suffix },
    });
  }
  // Then the aliases that match what was typed (a bare name), each where it leads to its
  // document: `[[CDP Guide]]`.
  if (q !== '' && !byPath)
    for (const n of list) {
      if (items.length >= MAX_ITEMS) break;
      if (n.aliases.length === 0 || n === self || n.template) continue;
      for (const alias of n.aliases) {
        if (items.length >= MAX_ITEMS || !isSubsequence(q, fold(alias))) continue;
        const e = index.get(n.uri);
        if (!e || !writable(alias) || !resolvesTo(index, entry, alias, e, byName)) continue;
        // An alias is a bare name: a document of another instance is written with its path (as above).
        const text = leavesInstance(analysis, entry, e)
          ? writableName(index, entry, e, linkTextFor(index, entry, e, byName, true), byName)
          : alias;
        if (text === undefined || (byInsertedText && !text.startsWith(prefix))) continue;
        items.push({
          label: alias,
          ...(labelDetails
            ? { labelDetails: { description: n.stem }, detail: `alias of ${detailOf(analysis, e)}` }
            : { detail: `alias of ${detailOf(analysis, e)}` }),
          kind: CompletionItemKind.File,
          documentation: e.rel,
          sortText: String(items.length).padStart(4, '0'),
          filterText: alias,
          textEdit: { range, newText: text + suffix },
        });
      }
    }
  return { isIncomplete, items };
}

/**
 * What to write after `#` for heading `h` of `doc`: its text when a wikilink holds it as
 * written, else its slug (`[Draft] Steps` → `draft-steps`, ``Foo `bar` `` → `foo-bar`),
 * which names the heading as well; either only when it parses as the link's heading and
 * names this heading (not an earlier one of the same slug). Undefined when neither does.
 */
function headingLinkText(
  doc: DocEntry,
  h: Heading,
  prefix?: string,
  /** The heading a text after `#` names (a nested heading link's last segment: under its outer ones). */
  named: (text: string) => Heading | undefined = (text) => doc.heading(text),
): string | undefined {
  // A client that keeps only items starting with what was typed: the slug first when
  // only it starts so (`ti` for "Timeline": `timeline`).
  // A heading holding a link is named by the link's text first (`See link now`).
  const shown = h.text.includes('](') ? shownHeading(withLinkTexts(h.text)) : h.text;
  const forms =
    prefix && !h.text.startsWith(prefix) && slug(h.text).startsWith(prefix)
      ? [slug(h.text)]
      : shown !== h.text
        ? [shown, h.text, slug(h.text)]
        : [h.text, slug(h.text)];
  for (const text of forms) {
    if (text === '' || text.startsWith('^') || named(text)?.line !== h.line) continue;
    // Words and plain punctuation stand in a link as written: only other text is read back.
    if (/^[\p{L}\p{M}\p{N} _\-.,:;'"()/?!+=%@]*$/u.test(text)) return text;
    const link = `[[x#${text}]]`;
    const parsed = parseDocument('untitled:heading', link).links;
    if (parsed.length === 1 && parsed[0].raw === link && parsed[0].heading === text) return text;
  }
  return undefined;
}

export function headingItems(
  index: WorkspaceIndex,
  entry: DocEntry,
  target: string,
  typed: string,
  range: Range,
  suffix: string,
  /** The client keeps only items whose inserted text starts with what was typed (see documentItems). */
  byInsertedText = false,
  /** Of a nested heading link (`[[doc#Parent#`), the segments before the last `#`: headings under them are offered. */
  outer?: string,
): CompletionList {
  let doc = entry;
  if (target !== '') {
    const r = index.resolve(entry, { target });
    if (r.status !== 'resolved') return { isIncomplete: false, items: [] };
    doc = r.target;
  }
  let under: Set<number> | undefined;
  let named: ((text: string) => Heading | undefined) | undefined;
  const segments = outer === undefined ? [] : headingSegments(outer).map((x) => x.text);
  if (segments.length > 0) {
    const p = doc.headingPath(segments);
    if (!('path' in p)) return { isIncomplete: false, items: [] };
    under = new Set(headingsUnder(doc.doc.headings, new Set(p.reached)));
    // Each text offered resolves, as the whole link, to its heading.
    named = (text) => {
      const r = index.resolve(entry, { target, heading: `${outer}#${text}` });
      return r.status === 'resolved' ? r.heading : undefined;
    };
  }
  const q = fold(typed.trim());
  const title = doc.doc.title;
  const items: CompletionItem[] = [];
  let matched = 0;
  const headings = doc.doc.headings;
  for (let i = 0; i < headings.length; i++) {
    const h = headings[i];
    if (under && !under.has(i)) continue;
    if (title && h.line === title.line && title.range.end.character > 0) continue;
    if (q !== '' && !isSubsequence(q, fold(h.text))) continue;
    // Past the cap only counted (a heading no link can name may be among them).
    if (matched >= MAX_ITEMS) {
      matched++;
      continue;
    }
    const text = headingLinkText(doc, h, byInsertedText ? typed.trimStart() : undefined, named);
    if (text === undefined) continue;
    matched++;
    items.push({
      label: h.text,
      kind: CompletionItemKind.Reference,
      detail: `${'#'.repeat(h.level)} in ${doc.rel}`,
      sortText: String(items.length).padStart(4, '0'),
      filterText: h.text,
      textEdit: { range, newText: text + suffix },
    });
  }
  return { isIncomplete: matched > MAX_ITEMS, items };
}

function chainItems(
  ctx: FeatureContext,
  entry: DocEntry,
  key: 'previous_phase' | 'next_phase',
  range: Range,
): CompletionList {
  const byUri = new Map<string, DocEntry>();
  for (const p of ctx.analysis.workflowOf(entry.uri)?.phases ?? []) if (p.phase) byUri.set(p.uri, p);
  for (const e of ctx.index.all())
    if (e.phase && e.folder === entry.folder && e.dir === entry.dir) byUri.set(e.uri, e);
  byUri.delete(entry.uri);
  const phases = byUri.values();
  const own = entry.phase?.number;
  const wanted = own === undefined ? undefined : key === 'next_phase' ? own + 1 : own - 1;
  const list = [...phases].sort(
    (a, b) =>
      (wanted === undefined ? 0 : Math.abs(a.phase!.number - wanted) - Math.abs(b.phase!.number - wanted)) ||
      a.phase!.number - b.phase!.number ||
      (a.rel < b.rel ? -1 : 1),
  );
  const byName = new Map<string, Resolution>();
  const items: CompletionItem[] = [];
  for (const e of list.slice(0, MAX_ITEMS)) {
    const name = writableName(ctx.index, entry, e, linkTextFor(ctx.index, entry, e, byName), byName);
    if (name === undefined || name.includes('"')) continue;
    const value = `"[[${name}]]"`;
    const i = items.length;
    items.push({
      label: value,
      kind: CompletionItemKind.File,
      detail: detailOf(ctx.analysis, e),
      documentation: e.rel,
      sortText: String(i).padStart(4, '0'),
      filterText: value,
      preselect: wanted !== undefined && e.phase!.number === wanted ? true : undefined,
      textEdit: { range, newText: value },
    });
  }
  return { isIncomplete: list.length > MAX_ITEMS, items };
}

/** A markdown link's destination being typed: after `](` or in a reference definition `[ref]: `. */
interface PathContext {
  /** The destination typed so far (before the cursor), `#…` included. */
  typed: string;
  /** Where the destination starts on the line. */
  start: number;
  /** Written in `<…>`. */
  angle: boolean;
}

/**
 * Whether a link (`markdown`: a markdown link whose target starts at column `from` of
 * `line`; else a wikilink whose `[[` is there, after a `!` or not) is read there: in the
 * document as it is (a closed link), else in its `text` with `[from, to)` of `line`
 * replaced by `probe` (the link being typed, completed: `[[x]]`, `x)`). Not so in code,
 * a comment or raw HTML.
 */
function readsAsLink(
  entry: DocEntry,
  text: string,
  line: number,
  from: number,
  to: number,
  probe: string,
  markdown: boolean,
): boolean {
  const at = (links: readonly WikiLink[]) =>
    links.some((l) =>
      markdown
        ? l.syntax === 'markdown' &&
          l.targetRange.start.line === line &&
          l.targetRange.start.character === from
        : l.syntax !== 'markdown' &&
          l.range.start.line === line &&
          (l.range.start.character === from || (l.embed && l.range.start.character === from - 1)),
    );
  if (at(entry.doc.links)) return true;
  const start = new LineIndex(text).starts[line];
  return at(parseDocument(entry.uri, text.slice(0, start + from) + probe + text.slice(start + to)).links);
}

export function markdownPathContext(before: string): PathContext | undefined {
  // Outside `<…>` a destination holds no white space and only balanced parentheses
  // (`release%20plan%20(v2).md`; one still open while it is typed): past others it has
  // ended. (`[^1]: ` is a footnote, no reference definition.)
  const m =
    /(?:\]\(|^ {0,3}\[(?!\^)(?:[^\]\\]|\\.)+\]:)[ \t]*<([^<>\r\n]*)$/.exec(before) ??
    /(?:\]\(|^ {0,3}\[(?!\^)(?:[^\]\\]|\\.)+\]:)[ \t]*((?:[^\s()<>]|\([^\s()<>]*\))*(?:\([^\s()<>]*)?)$/.exec(
      before,
    );
  if (!m) return undefined;
  const typed = m[1];
  return { typed, start: before.length - typed.length, angle: m[0].endsWith(`<${typed}`) };
}

/**
 * How many characters after the cursor are the rest of the path (or of the anchor) being
 * completed. `open`: parentheses the typed part left open (`(v|2).md`), closed first;
 * `definition`: a reference definition's destination, which ends with its line.
 */
function restOfDestination(
  after: string,
  angle: boolean,
  anchor: boolean,
  open: number,
  definition: boolean,
): number {
  // In a closed `<…>` everything up to `>` (or `#`) is the destination.
  if (angle) {
    const n = (anchor ? /^[^<>\r\n]*/ : /^[^<>#\r\n]*/).exec(after)![0].length;
    if (after[n] === '>' || after[n] === '#') return n;
  } else {
    // The parentheses the typed part opened, closed where the rest closes them.
    let k = 0;
    for (let depth = open; depth > 0 && k < after.length && !/[\s<>]/.test(after[k]); k++)
      if (after[k] === '(') depth++;
      else if (after[k] === ')') depth--;
    // In a closed link (`)` or a title follows, or the line ends a reference definition)
    // the whole rest of the path, whatever it holds.
    const n = k + (anchor ? DEST_REST : PATH_REST).exec(after.slice(k))![0].length;
    if ((definition ? DEFINITION_CLOSED : LINK_CLOSED).test(after.slice(n))) return n;
  }
  // Else only what a path (or an anchor) is made of: punctuation after it (`,`, `*`, `|`,
  // a quote, a full stop) belongs to the text around the link and stays.
  let n = (anchor ? /^[\p{L}\p{M}\p{N}_\-%]*/u : /^[\p{L}\p{M}\p{N}_\-./%~+]*/u).exec(after)![0].length;
  while (n > 0 && after[n - 1] === '.') n--;
  return n;
}

/** The rest of a destination (an anchor's), and of a path: balanced parentheses in them. */
const DEST_REST = /^(?:[^\s()<>]|\([^\s()<>]*\))*/;
const PATH_REST = /^(?:[^\s()<>#]|\([^\s()<>#]*\))*/;
/** After a destination's path: its anchor, a title, then the link's `)`; or a definition's line end. */
const LINK_CLOSED =
  /^(?:#(?:[^\s()<>]|\([^\s()<>]*\))*)?(?:[ \t]+(?:"[^"\r\n]*"|'[^'\r\n]*'|\([^()\r\n]*\)))?[ \t]*\)/;
const DEFINITION_CLOSED = /^(?:#(?:[^\s()<>]|\([^\s()<>]*\))*)?(?:$|[ \t])/;

/**
 * The documents of `entry`'s workspace folder as paths relative to it, for a markdown link:
 * those whose path starts as typed first, then those it is a subsequence of; nearer folders
 * first, then by path. Each path is the one that leads to that document alone.
 */
export function pathItems(analysis: Analysis, entry: DocEntry, c: PathContext, range: Range): CompletionList {
  const index = analysis.index;
  const q = fold(decodeDestination(c.typed).replace(/^\.\//, ''));
  const catalogue = catalogueOf(index);
  const found: { n: Names; lower: string; rank: number }[] = [];
  for (const n of catalogue.folders.get(entry.folder) ?? []) {
    if (n.uri === entry.uri) continue;
    const path = relativeTo(entry.dir, n.rel).replace(/^\.\//, '');
    const lower = fold(path);
    const prefix = lower.startsWith(q);
    if (!prefix && !isSubsequence(q, lower)) continue;
    // Nearness: how many folders up the path climbs.
    const ups = (path.match(/\.\.\//g) ?? []).length;
    found.push({ n, lower, rank: (prefix ? 0 : 1000) + ups });
  }
  found.sort((a, b) => a.rank - b.rank || (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
  const items: CompletionItem[] = [];
  for (const { n } of found.slice(0, MAX_ITEMS)) {
    const e = index.get(n.uri);
    const text = e && linkTextTo(index, entry, { syntax: 'markdown', angle: c.angle, source: 'body' }, e);
    if (!e || text === undefined) continue;
    items.push({
      label: text,
      kind: CompletionItemKind.File,
      detail: detailOf(analysis, e),
      documentation: e.rel,
      sortText: String(items.length).padStart(4, '0'),
      filterText: text,
      textEdit: { range, newText: text },
    });
  }
  return { isIncomplete: found.length > MAX_ITEMS, items };
}

/** The headings of the document a markdown link's path names (this one for `#…` alone), as GitHub anchors. */
export function anchorItems(
  index: WorkspaceIndex,
  entry: DocEntry,
  path: string,
  typed: string,
  range: Range,
): CompletionList {
  let doc = entry;
  if (path !== '') {
    const r = index.resolve(entry, { target: decodeDestination(path), syntax: 'markdown' });
    if (r.status !== 'resolved') return { isIncomplete: false, items: [] };
    doc = r.target;
  }
  const q = fold(decodeDestination(typed));
  const anchors = headingAnchors(doc.doc.headings);
  const items: CompletionItem[] = [];
  let matched = 0;
  doc.doc.headings.forEach((h, i) => {
    const anchor = anchors[i];
    if (anchor === '' || (q !== '' && !isSubsequence(q, anchor) && !isSubsequence(q, fold(h.text)))) return;
    if (++matched > MAX_ITEMS) return;
    items.push({
      label: h.text,
      kind: CompletionItemKind.Reference,
      detail: `#${anchor} — ${'#'.repeat(h.level)} in ${doc.rel}`,
      sortText: String(items.length).padStart(4, '0'),
      filterText: anchor,
      textEdit: { range, newText: anchor },
    });
  });
  return { isIncomplete: matched > MAX_ITEMS, items };
}

/**
 * Completion of link targets after `[[`, of headings after `[[name#`, of markdown link
 * paths and anchors after `](` (unless the client completes those itself), and of the
 * phase chain keys in the metadata. Works from the editor's text of the open document.
 */
export const requests = [
  request<TextDocumentPositionParams, CompletionList | CompletionItem[]>({
    type: CompletionRequest.type,
    run: async (ctx, params, token) => {
      const answer = await completion(ctx, params, token);
      if (ctx.clientCapabilities.filterText) return answer;
      // A client that filters by `filterText` wrongly gets the items without it.
      for (const item of Array.isArray(answer) ? answer : answer.items) delete item.filterText;
      return answer;
    },
  }),
];

export async function completion(
  ctx: FeatureContext,
  params: TextDocumentPositionParams,
  token?: CancellationToken,
): Promise<CompletionList | CompletionItem[]> {
  await ctx.ready(token);
  const uri = ctx.canonical(params.textDocument.uri);
  const open = ctx.openDocument(uri);
  const entry = ctx.index.get(uri);
  if (!open || !entry) return [];
  const { line } = params.position;
  const lineText = open
    .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
    .replace(/\r?\n$|\r$/, '');
  // A character past the line's end means its end (as the protocol reads it): ranges
  // answered never reach past it.
  const character = Math.min(params.position.character, lineText.length);
  const position = { line, character };
  const before = lineText.slice(0, character);
  const after = lineText.slice(character);
  const meta = entry.doc.metadata.range;
  const inMetadata = !!meta && line > meta.start.line && line <= meta.end.line;
  if (inMetadata) {
    const lineOf = (l: number) =>
      open
        .getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } })
        .replace(/\r?\n$|\r$/, '');
    const deps = dependsOnCompletion(ctx.analysis, entry, position, lineOf);
    if (deps) return deps;
  }
  const md = ctx.clientCapabilities.markdownPathCompletion ? undefined : markdownPathContext(before);
  if (md) {
    // In code (a fence, an indented block, a code span), a comment or raw HTML, what is
    // typed is no link: nothing to complete.
    const inline = /\]\([ \t]*<?$/.test(before.slice(0, md.start));
    const probe = `x${md.angle ? '>' : ''}${inline ? ')' : ''}`;
    if (!inMetadata && !readsAsLink(entry, open.getText(), line, md.start, character, probe, true)) return [];
    const hash = md.typed.indexOf('#');
    const start = hash === -1 ? md.start : md.start + hash + 1;
    // Parentheses the typed path left open (`(v|2).md`): the rest closes them.
    let unclosed = 0;
    for (const ch of md.typed.slice(0, hash === -1 ? undefined : hash))
      unclosed += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    const range = {
      start: { line, character: start },
      end: {
        line,
        character:
          character + restOfDestination(after, md.angle, hash !== -1, Math.max(0, unclosed), !inline),
      },
    };
    return hash === -1
      ? pathItems(ctx.analysis, entry, md, range)
      : anchorItems(ctx.index, entry, md.typed.slice(0, hash), md.typed.slice(hash + 1), range);
  }
  const c = completionContext(before, after, inMetadata);
  if (!c) return [];
  if (c.kind === 'chain') {
    const range = { start: { line, character: c.start }, end: { line, character: c.end } };
    return chainItems(ctx, entry, c.key, range);
  }
  if (!inMetadata) {
    const at = before.lastIndexOf('[[');
    if (!readsAsLink(entry, open.getText(), line, at, character, `[[x${c.closed ? '' : ']]'}`, false))
      return [];
  }
  // The rest of the name or heading after the cursor is replaced too (completing inside
  // `[[rollb|ack-plan]]` leaves no `ack-plan` behind): in a closed link up to `]]`, `|` or
  // `#` (a heading: `]]` or `|`, or `#` where further segments follow, see
  // `restOfHeading`); a `\|` (the alias separator in a table) stays.
  const rest =
    c.kind === 'heading' && c.closed
      ? restOfHeading(ctx.index, entry, c.target, c.typed, after)
      : restOfName(after, c.kind === 'heading', c.closed);
  const range = {
    start: { line, character: c.start },
    end: { line, character: character + rest },
  };
  const suffix = c.closed ? '' : ']]';
  if (c.kind === 'heading') {
    const byInsertedText = !ctx.clientCapabilities.filterText;
    if (c.nested) {
      // The headings under the outer segments; where none are (`[[doc#C# no` for a heading
      // `C# notes`), the headings the whole text may start.
      const { outer, typed, start } = c.nested;
      const under = { start: { line, character: start }, end: range.end };
      const list = headingItems(ctx.index, entry, c.target, typed, under, suffix, byInsertedText, outer);
      if (list.items.length > 0) return list;
    }
    return headingItems(ctx.index, entry, c.target, c.typed, range, suffix, byInsertedText);
  }
  return withIdItems(
    ctx.analysis,
    entry,
    c.typed,
    range,
    suffix,
    documentItems(
      ctx.analysis,
      entry,
      c.typed,
      range,
      suffix,
      ctx.clientCapabilities.labelDetails,
      !ctx.clientCapabilities.filterText,
    ),
  );
}
