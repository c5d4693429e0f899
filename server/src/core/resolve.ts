import { slug as slugOf } from 'github-slugger';
import { cmp, pull } from './collections';
import { intern } from './parse/compact';
import { decodeDestination, isUrl } from './parse/mdlink';
import { isPrintableAscii, SLASH } from './parse/scanner/chars';
import {
  basename,
  dirname,
  hasMdExtension,
  joinRel,
  nearestTo,
  normalizeRel,
  stripMdExtension,
} from './paths';
import { shownHeading } from './shown-text';
import { editDistance, shownInvisible, slug, trimEndSlashes } from './text';
import type { Heading, ParsedDocument, Position, Range, WikiLink } from './types';

/**
 * Link resolution, the one implementation (see README, "Link resolution"). A
 * `PathTable` holds where the documents and other files of one workspace folder sit;
 * the index keeps one per folder for the workspace as it is, and rename builds one for
 * the workspace as it will be after files move, so both answer the same question the
 * same way.
 */

/** What resolution knows of a document from its folder-relative path. */
export interface PathKeys {
  /** The folder-relative path. */
  rel: string;
  /** The folder the document sits in (`''` at the root). */
  dir: string;
  /** Slug of the file name without `.md`. */
  nameKey: string;
  /** For README.md / index.md: slug of the folder name (a link to the folder lands here). */
  folderKey: string | undefined;
  /** Slugged path without `.md`, per segment. */
  pathKey: string;
}

export function pathKeys(rel: string): PathKeys {
  const dir = dirname(rel);
  const stem = stripMdExtension(basename(rel));
  return {
    rel,
    dir,
    nameKey: slug(stem),
    folderKey: /^(readme|index)$/i.test(stem) && dir ? slug(basename(dir)) : undefined,
    pathKey: slugPath(stripMdExtension(rel)),
  };
}

export function slugPath(p: string): string {
  return p
    .split('/')
    .filter(Boolean)
    .map((s) => slug(s))
    .join('/');
}

/**
 * Whether the documents of folder `dir` are workspace templates: it is named `templates`
 * (`templates/release-plan.md`, the template the "create" fix copies for a missing
 * `release-plan`), or lies in the `templates/` folder at the top of the workspace folder
 * (`templates/reports/`). A template is not the document it is a template for: a bare
 * name or title never reaches it, only a path does (`[[templates/release-plan]]`). (A
 * folder inside another `templates` folder, `services/templates/docs/`, may be a service
 * of that name: its documents are not.)
 */
export function isTemplateFolder(dir: string): boolean {
  return dir === 'templates' || dir.endsWith('/templates') || dir.startsWith('templates/');
}

/**
 * Whether a folder is a `templates/` folder or lies in one at any depth (`x/templates/adr`):
 * findings about ids and dependencies are not made there (`isTemplateFolder` is what name
 * resolution leaves out).
 */
export function inTemplateFolder(dir: string): boolean {
  return isTemplateFolder(dir) || dir.startsWith('templates/') || dir.includes('/templates/');
}

/** A target with `\` as `/`, trimmed, without trailing slashes. */
export function cleanTarget(target: string): string {
  // Most targets are clean already (`../01-frame/README.md`): every link is keyed.
  const n = target.length;
  const last = target.charCodeAt(n - 1);
  if (
    isPrintableAscii(target.charCodeAt(0)) &&
    isPrintableAscii(last) &&
    last !== SLASH &&
    !target.includes('\\')
  )
    return target;
  return trimEndSlashes(target.replace(/\\/g, '/').trim());
}

/** The name key a link target points at: the slug of its last path segment (`''` for none). */
export function linkKey(target: string): string {
  return slug(basename(stripMdExtension(cleanTarget(target))));
}

/** Absolute paths, home paths, drive paths and URLs: never resolved. */
export function isExternal(target: string): boolean {
  return /^([/~]|[A-Za-z]:[/\\]|[a-z][a-z0-9+.-]*:\/\/)/i.test(target);
}

/** Named character references a heading may hold, as the renderer shows them. */
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};

/** Text ending, or starting, with a letter or digit (two UTF-16 units: a letter beyond the BMP too). */
const WORD_END = /[\p{L}\p{N}]$/u;
const WORD_START = /^[\p{L}\p{N}]/u;

/**
 * Plain text of a heading as a renderer shows it (links → their text, markup removed,
 * character references decoded: `Tom &amp; Jerry` reads `Tom & Jerry`).
 */
function renderedText(text: string): string {
  if (!/[[<_&]/.test(text)) return text;
  return (
    text
      .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/<[^<>]*>/g, '')
      // Emphasis underscores go, those inside a word (`snake_case`) stay: a run is kept only
      // between two letters or digits (read run by run: a lookahead after each `_` of a long
      // run took time growing with its square).
      .replace(/_+/g, (run: string, at: number, s: string) =>
        WORD_END.test(s.slice(Math.max(0, at - 2), at)) &&
        WORD_START.test(s.slice(at + run.length, at + run.length + 2))
          ? run
          : '',
      )
      .replace(/&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z]{2,8}));/g, (all, dec, hex, name) => {
        if (name) return ENTITIES[name] ?? all;
        const cp = dec ? Number(dec) : Number.parseInt(hex, 16);
        return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
      })
  );
}

/**
 * The anchors of a document's headings as GitHub makes them: lower case, punctuation
 * removed, spaces as `-`; a repeated anchor gets `-1`, `-2`, … in document order. With
 * `replace`, heading `replace.index` is taken to read `replace.text`.
 */
export function headingAnchors(
  headings: readonly Heading[],
  replace?: { index: number; text: string },
): string[] {
  const seen = new Map<string, number>();
  return headings.map((h, i) => {
    const base = i === replace?.index ? githubSlug(renderedText(replace.text)) : anchorOf(h.text);
    // As GitHub numbers repeats: `a`, `a-1`, `a-2`, skipping anchors already taken.
    let anchor = base;
    while (seen.has(anchor)) {
      const n = seen.get(base)! + 1;
      seen.set(base, n);
      anchor = `${base}-${n}`;
    }
    seen.set(anchor, 0);
    return anchor;
  });
}

/** A document as `#anchor`s are looked up in it (a `DocEntry`, or `anchorsIn` of a parsed text). */
export interface Anchored {
  /** The heading whose GitHub anchor this is, letter case ignored (of equal ones the last). */
  anchor(fragment: string): Heading | undefined;
  /** The heading whose text slugs as this does (of equal ones the first): how wikilinks name headings. */
  heading(fragment: string): Heading | undefined;
  readonly doc: Pick<ParsedDocument, 'htmlAnchors' | 'headings'>;
}

/** Where an `#anchor` lands: a heading, an anchor HTML sets (no heading), or a GitHub line anchor. */
export type Landing = { heading: Heading } | { html: true } | { line: number };

/**
 * Where a markdown link's `#anchor` (decoded) lands in a document, the one rule (README,
 * "Link resolution" 5): a heading's GitHub anchor (repeats numbered `-1`, `-2`, …), an
 * anchor HTML sets (`<a name="x">`), or a line anchor (`#L22`, `#L22-L30`).
 */
export function anchorLanding(target: Anchored, fragment: string): Landing | undefined {
  const h = target.anchor(fragment);
  if (h) return { heading: h };
  if (target.doc.htmlAnchors?.includes(fragment)) return { html: true };
  const line = lineAnchor(fragment);
  return line === undefined ? undefined : { line };
}

/**
 * Where a gate evidence's `#anchor` (as written in the gate file) lands: as a markdown
 * link's, percent-encoding decoded (`#%C3%BCbersicht`); failing that, on the heading whose
 * text it is, exactly (`#User Personas`). Nothing looser: `#success-metrics-kpis` does not
 * land on `Success Metrics & KPIs` (GitHub's anchor `success-metrics--kpis`), as a
 * markdown link to it would not.
 */
export function evidenceLanding(target: Anchored, written: string): Landing | undefined {
  const fragment = decodeDestination(written);
  const landing = anchorLanding(target, fragment);
  if (landing) return landing;
  const h = target.doc.headings.find((x) => x.text === fragment);
  return h ? { heading: h } : undefined;
}

/**
 * The heading an `#anchor` that lands nowhere clearly means, compared as markdown links'
 * anchors are (with the GitHub anchors, letter case ignored; see `nearestKey`), with its
 * anchor; undefined when none is.
 */
export function meantAnchor(
  headings: readonly Heading[],
  fragment: string,
): { heading: Heading; anchor: string } | undefined {
  const anchors = headingAnchors(headings);
  const i = nearestKey(anchors, fragment.toLowerCase());
  return i === undefined ? undefined : { heading: headings[i], anchor: anchors[i] };
}

/**
 * Of `keys` (a document's headings as links compare them), the index of the one a
 * `written` key that matches none clearly means: a key that starts with it (`exit` →
 * `exit-criteria`), or is within one edit of it (two from eight characters on:
 * `entry-criterion` → `entry-criteria`), nearer ones first. Undefined unless exactly one
 * is nearest, or for a written key under three characters. `allowed`: the indexes it may
 * mean, else all; of equal keys, the first counts.
 */
export function nearestKey(
  keys: readonly string[],
  written: string,
  allowed?: Iterable<number>,
): number | undefined {
  if (written.length < 3) return undefined;
  const near = written.length >= 8 ? 2 : 1;
  const seen = new Set<string>();
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  let tied = false;
  for (const i of allowed ?? keys.keys()) {
    const key = keys[i];
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    const d = editDistance(written, key);
    const score = d <= near ? d : key.startsWith(written) ? near + 1 : Number.POSITIVE_INFINITY;
    if (score < bestScore) {
      best = i;
      bestScore = score;
      tied = false;
    } else if (score === bestScore && score !== Number.POSITIVE_INFINITY) tied = true;
  }
  return best < 0 || tied ? undefined : best;
}

/**
 * What a gate check is told of an evidence `#anchor` in a document (`GateEnv.hasAnchor`):
 * true where it lands; else the heading it clearly means, as a message names it
 * (`"#success-metrics--kpis" (heading "Success Metrics & KPIs")`), or false.
 */
export function evidenceAnswer(target: Anchored, written: string): boolean | string {
  if (evidenceLanding(target, written) !== undefined) return true;
  const meant = meantAnchor(target.doc.headings, decodeDestination(written));
  return meant ? anchorHint(meant.anchor, shownInvisible(shownHeading(meant.heading.text))) : false;
}

/**
 * How a message names the heading a broken `#anchor` means: `"#success-metrics--kpis"
 * (heading "Success Metrics & KPIs")`. An anchor may keep a character that shows nothing
 * (the U+FE0F of `⚠️`, whose symbol GitHub drops): escaped, or the hint would look like
 * the anchor written.
 */
export function anchorHint(anchor: string, heading: string): string {
  return `"#${shownInvisible(anchor)}" (heading "${heading}")`;
}

/** `Anchored` over a parsed document, computed on each call (for a document read once). */
export function anchorsIn(doc: ParsedDocument): Anchored {
  let anchors: string[] | undefined;
  return {
    doc,
    anchor: (fragment) => {
      anchors ??= headingAnchors(doc.headings);
      const i = anchors.lastIndexOf(fragment.toLowerCase());
      return i < 0 ? undefined : doc.headings[i];
    },
    heading: (fragment) => {
      const want = slug(fragment);
      return doc.headings.find((h) => slug(h.text) === want);
    },
  };
}

/** The first line (0-based) of a GitHub line anchor `L<n>` or `L<n>-L<m>` (n ≥ 1), else undefined. */
function lineAnchor(fragment: string): number | undefined {
  const m = /^L([1-9]\d{0,8})(?:-L([1-9]\d{0,8}))?$/.exec(fragment);
  return m ? Number(m[1]) - 1 : undefined;
}

/** How many heading texts `anchorOf` remembers before it starts over. */
const MAX_ANCHORS = 16_384;
let anchors = new Map<string, string>();

/**
 * The anchor of a heading text before repeats are numbered, shared: thousands of
 * documents repeat the same headings ("Exit Criteria"), each made into anchors once
 * per document that a link with an `#anchor` reaches.
 */
function anchorOf(text: string): string {
  let a = anchors.get(text);
  if (a === undefined) {
    if (anchors.size >= MAX_ANCHORS) anchors = new Map();
    a = intern(githubSlug(renderedText(text)));
    anchors.set(text, a);
  }
  return a;
}

/** GitHub's anchor of a heading text (plain ASCII without the Unicode tables: the common case, fast). */
function githubSlug(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text))
    return text
      .toLowerCase()
      .replace(/[^a-z0-9 _-]/g, '')
      .replace(/ /g, '-');
  return slugOf(text);
}

/** Whether a link target reaches a README/index document through its folder's name. */
export function namesFolder(target: string, doc: PathKeys): boolean {
  return doc.folderKey !== undefined && linkKey(target) !== doc.nameKey;
}

export const FILE_EXTENSION =
  /\.(png|jpe?g|gif|svg|webp|bmp|pdf|ya?ml|json|txt|csv|tsv|xlsx?|docx?|pptx?|html?|zip|mp4|mov|drawio|excalidraw)$/i;

/**
 * Where a wikilink target written with a path (`[[../prd/README]]`,
 * `[[.ddx/library/phases/01-frame/README]]`) may lead from a document in `fromDir`, as
 * `PathTable.lookup` reads it (`\\` as `/`, trimmed, without `.md`): the path relative to
 * the document, then to the workspace folder. Empty for a target without a path, one
 * naming another kind of file (`namesOtherFile`), an external one, or a path that leaves
 * the folder.
 */
export function wikiPathStems(fromDir: string, target: string): string[] {
  const raw = target.replace(/\\/g, '/').trim();
  if (isExternal(raw)) return [];
  const path = trimEndSlashes(raw);
  if (FILE_EXTENSION.test(path)) return [];
  const stem = stripMdExtension(path);
  if (!stem.includes('/')) return [];
  const out: string[] = [];
  for (const rel of [joinRel(fromDir, stem), normalizeRel(stem)])
    if (rel !== undefined && !out.includes(rel)) out.push(rel);
  return out;
}

/** Whether a link target names a file that is not a document (`plan.pdf`), by its extension. */
export function namesOtherFile(target: string): boolean {
  return FILE_EXTENSION.test(target);
}

/**
 * Whether a bare link target is written the way DDX ids usually are: capitals, a hyphen and
 * a number (`FEAT-004`, `ADR-003`, `US-12a`), or dotted names (`helix.prd`,
 * `helix.frame-review`). Only the wording of a broken link's finding depends on it: every
 * bare target is tried as an id, whatever its shape.
 */
export function looksLikeId(target: string): boolean {
  return ID_SHAPE.test(target) && !/\.md$/i.test(target);
}

const ID_SHAPE = /^(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Za-z0-9]*|[A-Za-z][\w-]*(?:\.[\w-]+)+)$/;

/** Why a link whose path climbs above the workspace folder (`../../other-repo/x.md`) resolves to nothing. */
export const LEAVES_FOLDER = 'the path leaves the workspace folder';

export type Lookup<T> =
  | {
      status: 'resolved' /** Equally near candidates, sorted by path: the choice first. */;
      candidates: T[];
      /** A path that reaches its document only when letter case is ignored. */
      caseDiffers?: true;
    }
  /**
   * A non-markdown file that exists (an image, a PDF…), or a folder without README or
   * index (`folder`, reached by a markdown link's path); `caseDiffers` as above.
   */
  | { status: 'file'; rel: string; caseDiffers?: true; folder?: true }
  | { status: 'broken'; reason: string };

/** Where the documents and other files of one workspace folder sit, for link lookups. */
export class PathTable<T> {
  /**
   * Name → its documents with the folder each is located in (a file's folder; for a
   * folder's README, the folder's parent), sorted by that folder with `/` before every
   * other character: the documents located in a folder or below it are one run of the
   * list, found by binary search (`under`). One entry per document and name, not one per
   * ancestor folder (helix documents sit five folders deep).
   */
  private readonly byName = new Map<string, Located<T>[]>();
  /**
   * The answers of `under` (`name \0 folder`), dropped when documents come or go (a new
   * map: a cleared one would keep its old table, and what it held, until a full collection).
   */
  private answers = new Map<string, T[]>();
  /** `name \0 folder` → documents of that name located exactly in the folder. */
  private readonly byNameIn = new Map<string, T[]>();
  private readonly byPath = new Map<string, T[]>();
  private readonly byFolderPath = new Map<string, T[]>();
  /** Lower-cased path → the path as it is on disk, for files that are not markdown. */
  private readonly otherFiles = new Map<string, string>();
  /** The markdown documents among `otherFiles` not indexed (too large, binary), by the name `[[name]]` writes. */
  private readonly otherMdByName = new Map<string, Set<string>>();

  /** Adds or removes a skipped document of `otherMdByName`; whether it was there (removing). */
  private otherMd(rel: string, add: boolean): boolean {
    if (!/\.md$/i.test(rel)) return false;
    const key = slug(basename(rel).slice(0, -3));
    const set = this.otherMdByName.get(key);
    if (add) {
      if (set) set.add(rel);
      else this.otherMdByName.set(key, new Set([rel]));
      return false;
    }
    const was = set?.delete(rel) ?? false;
    if (set && set.size === 0) this.otherMdByName.delete(key);
    return was;
  }
  /** Name → the workspace templates of that name (`isTemplateFolder`), which `lookup` never reaches by it. */
  private readonly templatesByName = new Map<string, T[]>();
  /** Path as `fileKey` → documents (markdown links name exact paths). */
  private readonly byRel = new Map<string, T[]>();
  /** Folder as `fileKey` → how many documents and files lie below it (the folder exists). */
  private readonly dirs = new Map<string, number>();
  /**
   * Folder as `fileKey` → its path as on disk: the first spelling seen, or every one when
   * folders differ only in letter case (`Guide/` beside `guide/`).
   */
  private readonly dirNames = new Map<string, string | string[]>();
  /**
   * @param relOf where a document sits (sorts equally near candidates).
   * @param declaring the documents of this folder that declare a DDX id and that a
   *   document in `fromDir` may name by it, sorted by path (the index's one id table,
   *   `core/ids.ts`): wikilinks may name them.
   * @param aliased the documents of this folder whose front matter gives them an alias
   *   slugging to `key` that a document in `fromDir` reaches (the nearest, sorted by path:
   *   `core/aliases.ts`): a bare name no file has reaches them.
   * @param folderChanged hears of each folder that comes to exist (its first document or
   *   file) or ceases to (its last one gone): links to it change their answer.
   */
  constructor(
    private readonly relOf: (doc: T) => string,
    private readonly declaring: (id: string, fromDir: string) => readonly T[] = () => [],
    private readonly aliased: (key: string, fromDir: string) => readonly T[] = () => [],
    private readonly folderChanged: (dir: string) => void = () => {},
  ) {}

  add(doc: T, keys: PathKeys): void {
    for (const [name, loc] of locations(keys)) {
      this.insert(this.byNameIn, `${name}\u0000${loc}`, doc);
      this.locate(name, loc, doc);
    }
    if (isTemplateFolder(keys.dir)) this.insert(this.templatesByName, keys.nameKey, doc);
    this.insert(this.byPath, keys.pathKey, doc);
    if (keys.folderKey !== undefined) this.insert(this.byFolderPath, slugPath(keys.dir), doc);
    this.insert(this.byRel, fileKey(keys.rel), doc);
    this.countDirs(keys.rel, 1);
  }

  remove(doc: T, keys: PathKeys): void {
    for (const [name, loc] of locations(keys)) {
      this.pull(this.byNameIn, `${name}\u0000${loc}`, doc);
      this.unlocate(name, loc, doc);
    }
    if (isTemplateFolder(keys.dir)) this.pull(this.templatesByName, keys.nameKey, doc);
    this.pull(this.byPath, keys.pathKey, doc);
    if (keys.folderKey !== undefined) this.pull(this.byFolderPath, slugPath(keys.dir), doc);
    this.pull(this.byRel, fileKey(keys.rel), doc);
    this.countDirs(keys.rel, -1);
  }

  /** The markdown documents not indexed (too large, binary), by path. */
  skippedMarkdown(): string[] {
    const out: string[] = [];
    for (const set of this.otherMdByName.values()) for (const rel of set) out.push(rel);
    return out;
  }

  /** `skipped`: a markdown document not indexed (too large, binary), which `[[name]]` reaches. */
  addFile(rel: string, skipped = false): void {
    const key = fileKey(rel);
    const had = this.otherFiles.get(key);
    // The same file in other letter case (a case-only rename, its creation reported
    // before the old name's deletion): the name as it is now.
    if (had !== undefined) {
      if (had !== rel) {
        this.otherFiles.set(key, rel);
        const was = this.otherMd(had, false);
        if (was || skipped) this.otherMd(rel, true);
      } else if (skipped) this.otherMd(rel, true);
      return;
    }
    this.otherFiles.set(key, rel);
    if (skipped) this.otherMd(rel, true);
    this.countDirs(rel, 1);
  }

  /** Forgets the file named exactly `rel` (not one that has taken its name in other case). */
  removeFile(rel: string): void {
    const key = fileKey(rel);
    if (this.otherFiles.get(key) !== rel) return;
    this.otherFiles.delete(key);
    this.otherMd(rel, false);
    this.countDirs(rel, -1);
  }

  private countDirs(rel: string, delta: number): void {
    for (let d = dirname(rel); d !== ''; d = dirname(d)) {
      const key = fileKey(d);
      const had = this.dirs.get(key) ?? 0;
      const n = had + delta;
      if (had > 0 !== n > 0) this.folderChanged(d);
      if (n > 0) {
        this.dirs.set(key, n);
        const had = this.dirNames.get(key);
        if (had === undefined) this.dirNames.set(key, d);
        else if (typeof had === 'string' ? had !== d : !had.includes(d))
          this.dirNames.set(key, typeof had === 'string' ? [had, d] : [...had, d]);
      } else {
        this.dirs.delete(key);
        this.dirNames.delete(key);
      }
    }
  }

  /** Whether a document or other file is indexed inside the folder `rel` (in any case). */
  holdsFolder(rel: string): boolean {
    return this.dirs.has(fileKey(rel));
  }

  /** The other files' paths as they are on disk. */
  fileRels(): string[] {
    return [...this.otherFiles.values()];
  }

  /** The documents at a path key (`slugPath` of the path without `.md`). */
  atPath(pathKey: string): readonly T[] {
    return this.byPath.get(pathKey) ?? [];
  }

  hasFile(rel: string): boolean {
    return this.otherFiles.has(fileKey(rel));
  }

  /** The other file at `rel` (any case, as `hasFile`), its path as on disk. */
  fileOnDisk(rel: string): string | undefined {
    return this.otherFiles.get(fileKey(rel));
  }

  /** Whether a document or another file has the path `rel` in any case (as `fileKey`). */
  inAnyCase(rel: string): boolean {
    return this.byRel.has(fileKey(rel)) || this.otherFiles.has(fileKey(rel));
  }

  /**
   * Every document whose file name (or, for a README, folder name) slugs to `key`, as a
   * bare name reaches them (workspace templates are not among them: `templates`).
   */
  named(key: string): T[] {
    return this.under(key, '') ?? [];
  }

  /** The workspace templates whose file name slugs to `key` (`isTemplateFolder`), sorted by path. */
  templates(key: string): readonly T[] {
    return this.templatesByName.get(key) ?? [];
  }

  /**
   * The documents a link target written in a document in folder `fromDir` reaches: a
   * DDX id first (exact and case-sensitive, the documents declaring it); else `.md` is
   * stripped; a target with `/` is tried relative to the document, then to the
   * workspace folder; a bare name matches file names anywhere in the folder, nearest
   * first, else aliases. Matching is case-insensitive and slug-equivalent. Nothing outside the
   * workspace folder is ever resolved. `target` must not be empty.
   */
  lookup(fromDir: string, target: string): Lookup<T> {
    const raw = target.replace(/\\/g, '/').trim();
    if (isExternal(raw)) return { status: 'broken', reason: 'absolute paths and URLs are not resolved' };
    // An id names its document before any file name does; markdown links (paths) never
    // come here (`lookupPath`).
    const byId = this.declaring(raw, fromDir);
    // The nearest declaring it (a list of its own: the id table's lists change without this
    // table knowing). An id declared twice is a duplicate-id error, not an ambiguous link.
    if (byId.length > 0) return { status: 'resolved', candidates: [nearestTo(byId, fromDir, this.relOf)!] };
    const path = trimEndSlashes(raw);
    if (FILE_EXTENSION.test(path)) return this.lookupFile(fromDir, path);
    const stem = stripMdExtension(path);
    if (stem.includes('/')) {
      const stems = wikiPathStems(fromDir, raw);
      if (stems.length === 0) return { status: 'broken', reason: LEAVES_FOLDER };
      for (const rel of stems) {
        const key = slugPath(rel);
        const hit = this.byPath.get(key) ?? this.byFolderPath.get(key);
        if (hit && hit.length > 0) return this.resolved(hit);
      }
      // A markdown file the index does not hold, in a folder it does not enter (`.ddx/`),
      // that the load found on disk (`addSkippedLinkTargets`), as for markdown links.
      for (const rel of stems) {
        const file = rel === '' ? undefined : this.otherFiles.get(fileKey(`${rel}.md`));
        if (file !== undefined) return { status: 'file', rel: file };
      }
      // A folder without README or index that holds files (`[[docs/notes]]`): it exists,
      // as a markdown link's path to it does (letter case aside, as wikilinks compare).
      for (const rel of stems) {
        const names = rel === '' ? undefined : this.dirNames.get(fileKey(rel));
        if (names !== undefined)
          return { status: 'file', rel: typeof names === 'string' ? names : names[0], folder: true };
      }
      return { status: 'broken', reason: 'no document at that path' };
    }
    const key = slug(stem);
    // Same folder first; then the deepest ancestor of the linking document's folder that
    // holds candidates: they all share exactly that many leading folders with it.
    const same = this.byNameIn.get(`${key}\u0000${fromDir}`);
    if (same && same.length > 0) return this.resolved(same);
    // Templates name each other by name in their own folder (a template linking the
    // template beside it), as any documents of one folder do.
    if (isTemplateFolder(fromDir)) {
      const beside = this.templates(key).filter((t) => dirname(this.relOf(t)) === fromDir);
      if (beside.length > 0) return this.resolved(beside);
    }
    for (const a of ancestors(fromDir)) {
      const under = this.under(key, a, true);
      // A list of its own, shared by every lookup until the name's documents change.
      if (under) return { status: 'resolved', candidates: under };
    }
    // A markdown file of the name that is no document (skipped: too large, binary): it
    // exists, as a path to it does; the nearest, as for documents.
    const skipped = this.otherMdByName.get(key);
    if (skipped && skipped.size > 0)
      return { status: 'file', rel: nearestTo([...skipped].sort(), fromDir, (rel) => rel)! };
    // No file has the name: the documents giving themselves it as an alias (the nearest).
    const byAlias = this.aliased(key, fromDir);
    if (byAlias.length > 0) return { status: 'resolved', candidates: byAlias.slice() };
    // Every bare target was tried as an id first; say so when it is written like one.
    return {
      status: 'broken',
      reason: looksLikeId(path) ? 'no document with that id or name' : 'no document with that name',
    };
  }

  /**
   * What a markdown link's path reaches from a document in `fromDir`: the file at that
   * path relative to the document (`/`-rooted: to the workspace folder), compared
   * case-insensitively; without an extension also `path.md`; a folder is its README.md
   * or index.md, else the folder itself. Never outside the workspace folder.
   */
  lookupPath(fromDir: string, target: string): Lookup<T> {
    const raw = target.trim();
    if (isUrl(raw)) return { status: 'broken', reason: 'URLs are not resolved' };
    const rel = raw.startsWith('/') ? normalizeRel(raw) : joinRel(fromDir, raw);
    if (rel === undefined) return { status: 'broken', reason: LEAVES_FOLDER };
    const lower = fileKey(rel);
    if (!raw.endsWith('/') && lower !== '') {
      const doc = this.byRel.get(lower);
      if (doc && doc.length > 0) return this.resolvedPath(doc, rel);
      const file = this.otherFiles.get(lower);
      if (file !== undefined)
        return sameCase(file, rel)
          ? { status: 'file', rel: file }
          : { status: 'file', rel: file, caseDiffers: true };
      if (!hasMdExtension(lower)) {
        if (!basename(lower).includes('.')) {
          const md = this.byRel.get(`${lower}.md`);
          if (md && md.length > 0) return this.resolvedPath(md, `${rel}.md`);
        }
      }
    }
    const prefix = lower === '' ? '' : `${lower}/`;
    for (const name of ['readme.md', 'index.md']) {
      const doc = this.byRel.get(prefix + name);
      if (doc && doc.length > 0) return this.resolvedPath(doc, rel === '' ? '' : `${rel}/`);
    }
    if (lower === '') return { status: 'file', rel };
    if (this.dirs.has(lower)) {
      // The folder as it is named on disk; a path in other letter case reaches it only
      // when case is ignored.
      const names = this.dirNames.get(lower) ?? rel;
      const real = typeof names === 'string' ? names : (names.find((n) => sameCase(n, rel)) ?? names[0]);
      return sameCase(real, rel)
        ? { status: 'file', rel: real, folder: true }
        : { status: 'file', rel: real, caseDiffers: true, folder: true };
    }
    return {
      status: 'broken',
      reason: /\.md$/.test(lower)
        ? 'no document at that path'
        : 'no such file, nor a folder holding files, in the workspace folder',
    };
  }

  /**
   * The documents at a path compared case-insensitively: the one spelled exactly as `rel`
   * alone when there is one (`plan.md` beside `Plan.md` is `plan.md`, as on the disk),
   * else all of them; one document whose path does not start with `rel` in the same case
   * is reached only when case is ignored (`caseDiffers`).
   */
  private resolvedPath(list: T[], rel: string): Lookup<T> {
    if (list.length > 1) {
      const exact = list.filter((d) => this.relOf(d) === rel);
      if (exact.length === 1) return { status: 'resolved', candidates: exact };
    }
    const r = this.resolved(list);
    if (r.status === 'resolved' && list.length === 1 && !sameCase(this.relOf(list[0]), rel, true))
      return { ...r, caseDiffers: true };
    return r;
  }

  private lookupFile(fromDir: string, path: string): Lookup<T> {
    for (const rel of [joinRel(fromDir, path), normalizeRel(path)]) {
      const real = rel === undefined ? undefined : this.otherFiles.get(fileKey(rel));
      if (real !== undefined) return { status: 'file', rel: real };
    }
    if (!path.includes('/')) {
      const lower = fileKey(path);
      for (const [f, real] of this.otherFiles)
        if (f === lower || f.endsWith(`/${lower}`)) return { status: 'file', rel: real };
    }
    return { status: 'broken', reason: 'no such file in the workspace folder' };
  }

  /**
   * Lists are kept sorted by path, without repeats: a lookup copies, never sorts. The
   * copy is shared by every lookup until the list changes: a name linked from thousands
   * of folders (and cached per folder by the index) is one list, not thousands.
   */
  private resolved(list: T[]): Lookup<T> {
    let copy = this.copies.get(list);
    if (!copy) this.copies.set(list, (copy = list.slice()));
    return { status: 'resolved', candidates: copy };
  }

  /**
   * The documents named `name` located in folder `dir` or below it, sorted by path
   * without repeats (undefined: none); with `nearest`, only those fewest folders below
   * `dir` (what a bare name reaches). Kept until the name's documents change.
   */
  private under(name: string, dir: string, nearest = false): T[] | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    const key = `${name}\u0000${dir}${nearest ? '\u0000' : ''}`;
    const known = this.answers.get(key);
    if (known) return known;
    // The run of locations equal to `dir` or inside it (all of them for the root).
    let from = 0;
    let to = list.length;
    if (dir !== '') {
      from = this.firstAt(list, dir);
      const inside = `${dir}/`;
      let hi = list.length;
      to = from;
      while (to < hi) {
        const mid = (to + hi) >>> 1;
        const at = list[mid].at;
        if (at === dir || at.startsWith(inside)) to = mid + 1;
        else hi = mid;
      }
    }
    if (from === to) return undefined;
    // Nearest: the ones whose files lie fewest folders below `dir` (a folder's README in
    // its folder), nearest in the folder tree, as every candidate shares the same leading
    // folders with the linking document (a first cycle's `artifacts/plan.md` is nearer to
    // it than a later cycle's `releases/q3/artifacts/plan.md`).
    const relOf = this.relOf;
    let docs: T[];
    if (nearest) {
      docs = [];
      let depth = Number.POSITIVE_INFINITY;
      for (let i = from; i < to; i++) {
        const d = folderDepth(relOf(list[i].doc));
        if (d < depth) {
          depth = d;
          docs.length = 0;
        }
        if (d === depth) docs.push(list[i].doc);
      }
    } else {
      docs = new Array(to - from);
      for (let i = from; i < to; i++) docs[i - from] = list[i].doc;
    }
    docs.sort((a, b) => cmp(relOf(a), relOf(b)));
    // A document located twice under the folder (as `name.md` and as the README of a
    // folder `name`) is one candidate.
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      let seen = false;
      for (let j = n - 1; j >= 0 && relOf(docs[j]) === relOf(d); j--) if (docs[j] === d) seen = true;
      if (!seen) docs[n++] = d;
    }
    docs.length = n;
    this.answers.set(key, docs);
    return docs;
  }

  /** The position of the first location not before `dir` (see `byName`). */
  private firstAt(list: readonly Located<T>[], dir: string): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpFolders(list[mid].at, dir) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `doc` to the documents of `name`, located in `dir` (once). */
  private locate(name: string, dir: string, doc: T): void {
    const list = this.byName.get(name);
    if (this.answers.size > 0) this.answers = new Map();
    if (!list) {
      this.byName.set(name, [{ at: dir, doc }]);
      return;
    }
    let i = this.firstAt(list, dir);
    for (; i < list.length && list[i].at === dir; i++) if (list[i].doc === doc) return;
    list.splice(i, 0, { at: dir, doc });
  }

  private unlocate(name: string, dir: string, doc: T): void {
    const list = this.byName.get(name);
    if (!list) return;
    if (this.answers.size > 0) this.answers = new Map();
    for (let i = this.firstAt(list, dir); i < list.length && list[i].at === dir; i++) {
      if (list[i].doc !== doc) continue;
      list.splice(i, 1);
      break;
    }
    if (list.length === 0) this.byName.delete(name);
  }

  /** The shared copy of each list looked up (see `resolved`); dropped when the list changes. */
  private readonly copies = new WeakMap<T[], T[]>();

  private pull(m: Map<string, T[]>, k: string, doc: T): void {
    const list = m.get(k);
    if (list) this.copies.delete(list);
    pull(m, k, doc);
  }

  /**
   * Adds `doc` to the list under `k` in path order (after documents of an equal path),
   * unless it is there already. A name shared by hundreds of documents is looked up from
   * every folder: sorting it once here, not per lookup.
   */
  private insert(m: Map<string, T[]>, k: string, doc: T): void {
    const list = m.get(k);
    if (!list) {
      m.set(k, [doc]);
      return;
    }
    this.copies.delete(list);
    const rel = this.relOf(doc);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.relOf(list[mid]), rel) <= 0) lo = mid + 1;
      else hi = mid;
    }
    // Already there: among the documents of an equal path just before `lo`.
    for (let i = lo - 1; i >= 0 && this.relOf(list[i]) === rel; i--) if (list[i] === doc) return;
    list.splice(lo, 0, doc);
  }
}

/** How many folders deep the file at `rel` lies (`a.md` is 0, `a/b/c.md` is 2). */
function folderDepth(rel: string): number {
  let n = 0;
  for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) n++;
  return n;
}

/** A document and the folder it is located in for one of its names. */
interface Located<T> {
  at: string;
  doc: T;
}

/**
 * Folder paths in the order of `PathTable.byName`: as strings, but with `/` before every
 * other character, so that a folder is followed by everything inside it.
 */
function cmpFolders(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === SLASH) return -1;
    if (y === SLASH) return 1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The name keys a document answers to, with the folder it sits in for each. A workspace
 * template answers to no file name (a link to it names its path); a README's folder name
 * still names its folder.
 */
function locations(k: PathKeys): [string, string][] {
  const out: [string, string][] = isTemplateFolder(k.dir) ? [] : [[k.nameKey, k.dir]];
  if (k.folderKey !== undefined) out.push([k.folderKey, dirname(k.dir)]);
  return out;
}

/** `a/b/c` → `a/b/c`, `a/b`, `a`, `` (deepest first). */
function ancestors(dir: string): string[] {
  const out = [dir];
  let d = dir;
  while (d !== '') {
    d = dirname(d);
    out.push(d);
  }
  return out;
}

/** Whether `path` is `written` (or, with `prefix`, starts with it) letter case included, in either Unicode form. */
export function sameCase(path: string, written: string, prefix = false): boolean {
  if (prefix ? path.startsWith(written) : path === written) return true;
  const p = path.normalize('NFC');
  const w = written.normalize('NFC');
  return prefix ? p.startsWith(w) : p === w;
}

/** How a file's path is compared: case-insensitively, in one Unicode form (NFC). */
export function fileKey(rel: string): string {
  return rel.normalize('NFC').toLowerCase();
}

/** One `#`-separated segment of a wikilink's heading (`Parent#Child`): its text, trimmed, and where it sits in the heading. */
export interface HeadingSegment {
  text: string;
  start: number;
  end: number;
}

/**
 * The segments of a wikilink's heading, outer to inner (`Parent#Child` → `Parent`,
 * `Child`), as Obsidian reads a nested heading link; empty segments are left out.
 */
export function headingSegments(heading: string): HeadingSegment[] {
  const out: HeadingSegment[] = [];
  let from = 0;
  for (;;) {
    const hash = heading.indexOf('#', from);
    const to = hash === -1 ? heading.length : hash;
    let s = from;
    let e = to;
    while (s < e && (heading[s] === ' ' || heading[s] === '\t')) s++;
    while (e > s && (heading[e - 1] === ' ' || heading[e - 1] === '\t')) e--;
    if (e > s) out.push({ text: heading.slice(s, e), start: s, end: e });
    if (hash === -1) return out;
    from = hash + 1;
  }
}

/**
 * Where a nested heading link lands: the heading each segment names (outer to inner, the
 * last one the link's target) and every heading (by index) the last segment reaches, or
 * the first segment (0-based) no heading answers under the ones before it, with the
 * headings (by index) those reach.
 */
export type HeadingPath = { path: Heading[]; reached: number[] } | { failed: number; under: number[] };

/** For each heading, the index of the heading it lies under (the nearest earlier one of a lower level), or -1. */
export function parentHeadings(headings: readonly Heading[]): number[] {
  const parents: number[] = [];
  const open: number[] = [];
  for (let i = 0; i < headings.length; i++) {
    const level = headings[i].level;
    while (open.length > 0 && headings[open[open.length - 1]].level >= level) open.pop();
    parents.push(open.length > 0 ? open[open.length - 1] : -1);
    open.push(i);
  }
  return parents;
}

/**
 * The headings a nested heading link (`[[doc#Parent#Child]]`) names, Obsidian's way: the
 * last segment names the target heading, and each earlier one an ancestor of it, in
 * order (outer to inner; not necessarily the direct parent). `names(i, segment)` says
 * whether heading `i` is named by a segment, as a single `#heading` names one. Of several
 * headings the chain reaches, the first; of several ancestors, the nearest.
 */
export function headingPath(
  headings: readonly Heading[],
  segments: readonly string[],
  names: (i: number, segment: string) => boolean,
): HeadingPath {
  const parents = parentHeadings(headings);
  // For each heading the chain so far reaches: the ancestor the previous segment named (-1 for the first).
  let reached = new Map<number, number>();
  const steps: Map<number, number>[] = [];
  for (let k = 0; k < segments.length; k++) {
    const next = new Map<number, number>();
    for (let i = 0; i < headings.length; i++) {
      if (!names(i, segments[k])) continue;
      if (k === 0) {
        next.set(i, -1);
        continue;
      }
      let a = parents[i];
      while (a >= 0 && !reached.has(a)) a = parents[a];
      if (a >= 0) next.set(i, a);
    }
    if (next.size === 0) return { failed: k, under: [...reached.keys()] };
    steps.push(next);
    reached = next;
  }
  const path: Heading[] = [];
  let i = headings.length;
  for (const j of reached.keys()) if (j < i) i = j;
  for (let k = segments.length - 1; k >= 0; k--) {
    path.unshift(headings[i]);
    i = steps[k].get(i)!;
  }
  return { path, reached: [...reached.keys()] };
}

/**
 * The headings lying under any of the headings `above` (by index), in document order:
 * where a nested link's segment after them may point.
 */
export function headingsUnder(headings: readonly Heading[], above: ReadonlySet<number>): number[] {
  const parents = parentHeadings(headings);
  const out: number[] = [];
  for (let i = 0; i < headings.length; i++) {
    let a = parents[i];
    while (a >= 0 && !above.has(a)) a = parents[a];
    if (a >= 0) out.push(i);
  }
  return out;
}

/**
 * The segments of a wikilink's nested heading with the range of each in the document,
 * where its heading range holds the heading exactly as it reads (one line, no escapes);
 * else undefined.
 */
export function headingSegmentRanges(
  link: Pick<WikiLink, 'heading' | 'headingRange' | 'syntax'>,
): (HeadingSegment & { range: Range })[] | undefined {
  const range = link.headingRange;
  const heading = link.heading;
  if (link.syntax === 'markdown' || !range || heading === undefined) return undefined;
  if (range.start.line !== range.end.line || range.end.character - range.start.character !== heading.length)
    return undefined;
  const { line, character } = range.start;
  return headingSegments(heading).map((x) => ({
    ...x,
    range: { start: { line, character: character + x.start }, end: { line, character: character + x.end } },
  }));
}

/**
 * Of a nested heading wikilink resolved to `path` (see `Resolution.headingPath`), the
 * heading whose segment `pos` is on, with that segment's range; undefined elsewhere.
 */
export function pathHeadingAt(
  link: Pick<WikiLink, 'heading' | 'headingRange' | 'syntax'>,
  path: readonly Heading[] | undefined,
  pos: Position,
): { heading: Heading; range: Range } | undefined {
  if (!path) return undefined;
  const segments = headingSegmentRanges(link);
  if (!segments || segments.length !== path.length) return undefined;
  for (let k = 0; k < segments.length; k++) {
    const r = segments[k].range;
    if (pos.line === r.start.line && pos.character >= r.start.character && pos.character <= r.end.character)
      return { heading: path[k], range: r };
  }
  return undefined;
}

/**
 * How messages name the heading a wikilink misses: the heading as written, or for a
 * nested heading link whose chain breaks at segment `failed`, that segment and the ones
 * it must lie under (`Child` under `Parent`).
 */
export function missingHeading(
  heading: string,
  failed: number | undefined,
): { name: string; under?: string } {
  if (failed === undefined) return { name: heading };
  const segments = headingSegments(heading).map((x) => x.text);
  return failed === 0
    ? { name: segments[0] }
    : { name: segments[failed], under: segments.slice(0, failed).join('#') };
}
