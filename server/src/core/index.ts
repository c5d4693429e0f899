import { cmp, pull, push } from './collections';
import type { CdpConfig } from './config';
import { IdTable, idOf, idStructureKey } from './ids';
import {
  artifactLinks,
  compilePatterns,
  computeGroups,
  type Group,
  type Patterns,
  type PhaseInfo,
  phaseOf,
} from './model';
import { type ParserKind, parseDocument } from './parse/document';
import { basename, dirname, joinUri, normalizeRel, relativePath, stripMdExtension } from './paths';
import { slug, trimEndSlashes } from './text';
import type { Heading, ParsedDocument, WikiLink } from './types';

/** One indexed document and what is derived from it (computed once per version). */
export class DocEntry {
  readonly dir: string;
  /** Slug of the file name without `.md`. */
  readonly nameKey: string;
  /** For README.md / index.md: slug of the folder name (a link to the folder lands here). */
  readonly folderKey: string | undefined;
  /** Slugged path without `.md`, per segment. */
  readonly pathKey: string;
  private _groups?: Group[];
  private _phase?: PhaseInfo | null;
  private _artifacts?: WikiLink[];
  private _headingSlugs?: Map<string, Heading>;
  private _linkKeys?: string[];
  private _structureKey?: string;

  constructor(
    readonly uri: string,
    readonly folder: string,
    readonly rel: string,
    readonly doc: ParsedDocument,
    private readonly patterns: Patterns,
  ) {
    this.dir = dirname(rel);
    const stem = stripMdExtension(basename(rel));
    this.nameKey = slug(stem);
    this.folderKey = /^(readme|index)$/i.test(stem) && this.dir ? slug(basename(this.dir)) : undefined;
    this.pathKey = slugPath(stripMdExtension(rel));
  }

  get groups(): Group[] {
    this._groups ??= computeGroups(this.doc, this.patterns);
    return this._groups;
  }

  get phase(): PhaseInfo | undefined {
    if (this._phase === undefined) this._phase = phaseOf(this.doc, this.rel, this.patterns) ?? null;
    return this._phase ?? undefined;
  }

  get artifacts(): WikiLink[] {
    this._artifacts ??= artifactLinks(this.doc, this.patterns);
    return this._artifacts;
  }

  /** What, if it changes, can change other documents' findings (computed once per version). */
  get structureKey(): string {
    this._structureKey ??= structureKey(this);
    return this._structureKey;
  }

  /** For each link, in order: the slug of the last segment of its target (`''` for `[[#H]]`). */
  get linkKeys(): string[] {
    this._linkKeys ??= this.doc.links.map((l) => linkKey(l.target));
    return this._linkKeys;
  }

  /** The heading a `#fragment` names, compared slug-equivalently. */
  heading(fragment: string): Heading | undefined {
    if (!this._headingSlugs) {
      this._headingSlugs = new Map();
      for (const h of this.doc.headings) {
        const k = slug(h.text);
        if (!this._headingSlugs.has(k)) this._headingSlugs.set(k, h);
      }
    }
    return this._headingSlugs.get(slug(fragment));
  }

  /** Display name: the title, else the file name. */
  get displayName(): string {
    return this.doc.title?.text ?? stripMdExtension(basename(this.rel));
  }
}

export function slugPath(p: string): string {
  return p
    .split('/')
    .filter(Boolean)
    .map((s) => slug(s))
    .join('/');
}

export type Resolution =
  | {
      status: 'resolved';
      target: DocEntry;
      /** Set when the link names a heading that exists. */
      heading?: Heading;
      /** The link names a heading the target does not have. */
      headingMissing: boolean;
      /** Equally near candidates (the target first); length > 1 means ambiguous. */
      candidates: DocEntry[];
    }
  /** A non-markdown file that exists (an image, a PDF…). */
  | { status: 'file'; rel: string }
  | { status: 'broken'; reason: string };

const FILE_EXTENSION =
  /\.(png|jpe?g|gif|svg|webp|bmp|pdf|ya?ml|json|txt|csv|tsv|xlsx?|docx?|pptx?|html?|zip|mp4|mov|drawio|excalidraw)$/i;

/** Whether a link target names a file that is not a document (`plan.pdf`), by its extension. */
export function namesOtherFile(target: string): boolean {
  return FILE_EXTENSION.test(target);
}

interface FolderMaps {
  /**
   * `name \0 folder` → documents of that name located in the folder or below it. A
   * document is registered under every ancestor of where it sits (a file's folder; for
   * a folder's README, the folder's parent), so the nearest candidates are found by
   * walking up from the linking document: cost per lookup is the folder depth.
   */
  byNameUnder: Map<string, DocEntry[]>;
  /** `name \0 folder` → documents of that name located exactly in the folder. */
  byNameIn: Map<string, DocEntry[]>;
  byPath: Map<string, DocEntry[]>;
  byFolderPath: Map<string, DocEntry[]>;
  /** `fileKey` of a path → the path as it is on disk, for files that are not markdown. */
  otherFiles: Map<string, string>;
}

/**
 * All documents of all workspace folders, with the maps that make link resolution and
 * backlinks cheap. Holds parsed summaries, never syntax trees.
 */
export class WorkspaceIndex {
  readonly patterns: Patterns;
  private readonly docs = new Map<string, DocEntry>();
  private readonly maps = new Map<string, FolderMaps>();
  /** name key a link points at → documents holding such links (for backlinks). */
  private readonly linkers = new Map<string, Set<string>>();
  /** DDX ids and dependencies (`core/ids.ts`). */
  readonly ids = new IdTable<DocEntry>();
  /** Changes whenever a document is added, removed or changes its links or phase data. */
  structureVersion = 0;
  /** Changes with every set or delete. */
  version = 0;
  /** Changes whenever the set of documents or other files changes (what resolution depends on). */
  private pathsVersion = 0;
  private cacheVersion = -1;
  private readonly resolveCache = new Map<
    string,
    Exclude<Resolution, { status: 'resolved' }> | { uris: string[] }
  >();

  constructor(
    readonly folders: readonly string[],
    readonly config: CdpConfig,
  ) {
    this.patterns = compilePatterns(config);
    for (const f of folders) {
      this.maps.set(f, {
        byNameUnder: new Map(),
        byNameIn: new Map(),
        byPath: new Map(),
        byFolderPath: new Map(),
        otherFiles: new Map(),
      });
    }
  }

  get size(): number {
    return this.docs.size;
  }

  all(): IterableIterator<DocEntry> {
    return this.docs.values();
  }

  get(uri: string): DocEntry | undefined {
    return this.docs.get(uri);
  }

  /** The workspace folder that holds `uri` (the innermost one), and the relative path. */
  locate(uri: string): { folder: string; rel: string } | undefined {
    let best: { folder: string; rel: string } | undefined;
    for (const f of this.folders) {
      const rel = relativePath(f, uri);
      if (rel !== undefined && (!best || rel.length < best.rel.length)) best = { folder: f, rel };
    }
    return best;
  }

  /** Parses and stores a document. Returns undefined when it is outside every folder. */
  set(uri: string, text: string, parser: ParserKind = this.config.parser): DocEntry | undefined {
    const where = this.locate(uri);
    if (!where) return undefined;
    const doc = parseDocument(uri, text, parser);
    const entry = new DocEntry(uri, where.folder, where.rel, doc, this.patterns);
    const old = this.docs.get(uri);
    this.version++;
    if (old) this.unlink(old);
    if (!old || idOf(old) !== idOf(entry)) this.pathsVersion++;
    this.docs.set(uri, entry);
    this.link(entry);
    if (!old || old.structureKey !== entry.structureKey) this.structureVersion++;
    return entry;
  }

  delete(uri: string): boolean {
    const old = this.docs.get(uri);
    if (!old) return false;
    this.unlink(old);
    this.version++;
    this.docs.delete(uri);
    this.structureVersion++;
    this.pathsVersion++;
    return true;
  }

  /** Records a non-markdown file, so links to it resolve. */
  addOtherFile(uri: string): void {
    const where = this.locate(uri);
    if (!where) return;
    this.maps.get(where.folder)!.otherFiles.set(fileKey(where.rel), where.rel);
    this.pathsVersion++;
  }

  hasOtherFile(uri: string): boolean {
    const where = this.locate(uri);
    return !!where && this.otherFileExists(where.folder, where.rel);
  }

  removeOtherFile(uri: string): void {
    const where = this.locate(uri);
    if (!where) return;
    this.maps.get(where.folder)!.otherFiles.delete(fileKey(where.rel));
    this.pathsVersion++;
  }

  /** The non-markdown files recorded in a folder, as URIs. */
  otherFileUris(folder: string): string[] {
    return [...(this.maps.get(folder)?.otherFiles.values() ?? [])].map((rel) => joinUri(folder, rel));
  }

  private link(e: DocEntry): void {
    const m = this.maps.get(e.folder)!;
    for (const [name, loc] of locations(e)) {
      push(m.byNameIn, `${name}\u0000${loc}`, e);
      for (const a of ancestors(loc)) push(m.byNameUnder, `${name}\u0000${a}`, e);
    }
    push(m.byPath, e.pathKey, e);
    if (e.folderKey !== undefined) {
      push(m.byFolderPath, slugPath(e.dir), e);
    }
    this.ids.add(e);
    for (const k of linkKeys(e)) {
      let s = this.linkers.get(k);
      if (!s) this.linkers.set(k, (s = new Set()));
      s.add(e.uri);
    }
  }

  private unlink(e: DocEntry): void {
    const m = this.maps.get(e.folder)!;
    for (const [name, loc] of locations(e)) {
      pull(m.byNameIn, `${name}\u0000${loc}`, e);
      for (const a of ancestors(loc)) pull(m.byNameUnder, `${name}\u0000${a}`, e);
    }
    pull(m.byPath, e.pathKey, e);
    if (e.folderKey !== undefined) {
      pull(m.byFolderPath, slugPath(e.dir), e);
    }
    this.ids.remove(e);
    for (const k of linkKeys(e)) this.linkers.get(k)?.delete(e.uri);
  }

  /**
   * Resolves a link written in `from` (see README, "Link resolution"): `.md` is
   * stripped; a target with `/` is tried relative to the document, then to the
   * workspace folder; a bare name matches file names anywhere in the folder, nearest
   * first. Matching is case-insensitive and slug-equivalent. Nothing outside the
   * workspace folder is ever resolved.
   */
  resolve(from: DocEntry, link: Pick<WikiLink, 'target' | 'heading'>): Resolution {
    const raw = link.target.replace(/\\/g, '/').trim();
    let result: Resolution;
    if (raw === '') {
      result = { status: 'resolved', target: from, headingMissing: false, candidates: [from] };
    } else {
      // Resolution depends only on the linking folder and the set of paths: cache it.
      if (this.cacheVersion !== this.pathsVersion) {
        this.resolveCache.clear();
        this.cacheVersion = this.pathsVersion;
      }
      const key = `${from.folder}\u0000${from.dir}\u0000${raw}`;
      let cached = this.resolveCache.get(key);
      if (!cached) {
        const r = this.resolveTarget(from, raw);
        // Entries are replaced on every edit: remember URIs, not entries.
        cached = r.status === 'resolved' ? { uris: r.candidates.map((c) => c.uri) } : r;
        this.resolveCache.set(key, cached);
      }
      if ('uris' in cached) {
        const candidates = cached.uris.map((u) => this.docs.get(u)!);
        result = { status: 'resolved', target: candidates[0], headingMissing: false, candidates };
      } else result = cached;
    }
    if (
      result.status === 'resolved' &&
      link.heading !== undefined &&
      link.heading !== '' &&
      !link.heading.startsWith('^')
    ) {
      const h = result.target.heading(link.heading);
      if (h) result.heading = h;
      else result.headingMissing = true;
    }
    return result;
  }

  private resolveTarget(from: DocEntry, raw: string): Resolution {
    if (/^([/~]|[A-Za-z]:[/\\]|[a-z][a-z0-9+.-]*:\/\/)/i.test(raw)) {
      return { status: 'broken', reason: 'absolute paths and URLs are not resolved' };
    }
    // ID LOOKUP HOOK (interim, minimal): a DDX id names its document before any file name
    // does (exact, case-sensitive). Once the one resolver (core/resolve.ts) is on main this
    // moves there as its first step for wikilinks; markdown links (paths) never take it.
    const byId = this.ids.get(from.folder, raw);
    if (byId.length > 0) return resolved([...byId]);
    const m = this.maps.get(from.folder)!;
    const target = trimEndSlashes(raw);
    if (FILE_EXTENSION.test(target)) {
      for (const rel of [normalizeRel(from.dir ? `${from.dir}/${target}` : target), normalizeRel(target)]) {
        const real = rel === undefined ? undefined : m.otherFiles.get(fileKey(rel));
        if (real !== undefined) return { status: 'file', rel: real };
      }
      if (!target.includes('/')) {
        const lower = fileKey(target);
        for (const [f, real] of m.otherFiles)
          if (f === lower || f.endsWith(`/${lower}`)) return { status: 'file', rel: real };
      }
      return { status: 'broken', reason: 'no such file in the workspace folder' };
    }
    const stem = stripMdExtension(target);
    if (stem.includes('/')) {
      const relative = normalizeRel(from.dir ? `${from.dir}/${stem}` : stem);
      const rootRel = normalizeRel(stem);
      if (relative === undefined && rootRel === undefined) {
        return { status: 'broken', reason: 'the path leaves the workspace folder' };
      }
      for (const rel of [relative, rootRel]) {
        if (rel === undefined) continue;
        const key = slugPath(rel);
        const hit = m.byPath.get(key) ?? m.byFolderPath.get(key);
        if (hit && hit.length > 0) return resolved(sortByPath(hit));
      }
      return { status: 'broken', reason: 'no document at that path' };
    }
    const key = slug(stem);
    // Same folder first; then the deepest ancestor of the linking document's folder that
    // holds candidates: they all share exactly that many leading folders with it.
    const same = m.byNameIn.get(`${key}\u0000${from.dir}`);
    if (same && same.length > 0) return resolved(sortByPath(same));
    for (const a of ancestors(from.dir)) {
      const under = m.byNameUnder.get(`${key}\u0000${a}`);
      if (under && under.length > 0) return resolved(sortByPath(under));
    }
    return { status: 'broken', reason: 'no document with that name' };
  }

  /**
   * Every link in the workspace that resolves to `target` (and, with `heading`, to that
   * heading): backlinks, metadata included.
   */
  backlinks(target: DocEntry, heading?: string): { from: DocEntry; link: WikiLink }[] {
    const out: { from: DocEntry; link: WikiLink }[] = [];
    const keys = new Set<string>([target.nameKey]);
    if (target.folderKey !== undefined) keys.add(target.folderKey);
    const id = idOf(target);
    if (id !== undefined) keys.add(linkKey(id));
    const headingSlug = heading === undefined ? undefined : slug(heading);
    const consider = (from: DocEntry, accept: (key: string) => boolean) => {
      const linkKeys = from.linkKeys;
      for (let i = 0; i < from.doc.links.length; i++) {
        // Only links whose name could reach the target are resolved.
        if (!accept(linkKeys[i])) continue;
        const link = from.doc.links[i];
        const r = this.resolve(from, link);
        if (r.status !== 'resolved' || r.target !== target) continue;
        if (headingSlug !== undefined && (link.heading === undefined || slug(link.heading) !== headingSlug))
          continue;
        out.push({ from, link });
      }
    };
    const seen = new Set<string>();
    for (const k of keys) {
      for (const uri of this.linkers.get(k) ?? []) {
        if (seen.has(uri)) continue;
        seen.add(uri);
        const from = this.docs.get(uri);
        if (from && from.folder === target.folder) consider(from, (key) => keys.has(key));
      }
    }
    // `[[#Heading]]` links reach only their own document.
    consider(target, (key) => key === '');
    out.sort(
      (a, b) =>
        cmp(a.from.rel, b.from.rel) ||
        a.link.range.start.line - b.link.range.start.line ||
        a.link.range.start.character - b.link.range.start.character,
    );
    return out;
  }

  /** Documents whose links could resolve to a document named like `uri` (for re-checking). */
  linkersOf(nameKeys: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const k of nameKeys) for (const u of this.linkers.get(k) ?? []) out.add(u);
    return out;
  }

  /** Every document of a folder whose file name (or, for a README, folder name) slugs to `key`. */
  named(folder: string, key: string): DocEntry[] {
    return this.maps.get(folder)?.byNameUnder.get(`${key}\u0000`) ?? [];
  }

  /** URI for a new document at a folder-relative path. */
  uriFor(folder: string, rel: string): string {
    return joinUri(folder, rel);
  }

  otherFileExists(folder: string, rel: string): boolean {
    return this.maps.get(folder)?.otherFiles.has(fileKey(rel)) ?? false;
  }
}

function resolved(candidates: DocEntry[]): Resolution {
  return { status: 'resolved', target: candidates[0], headingMissing: false, candidates };
}

function sortByPath(list: DocEntry[]): DocEntry[] {
  return [...new Set(list)].sort((a, b) => cmp(a.rel, b.rel));
}

/** The name keys a document answers to, with the folder it sits in for each. */
function locations(e: DocEntry): [string, string][] {
  const out: [string, string][] = [[e.nameKey, e.dir]];
  if (e.folderKey !== undefined) out.push([e.folderKey, dirname(e.dir)]);
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

/** How a non-markdown file's path is matched: up to case and Unicode normalization (NFC). */
function fileKey(rel: string): string {
  return rel.normalize('NFC').toLowerCase();
}

/** The name key a link target points at: the slug of its last path segment. */
export function linkKey(target: string): string {
  return slug(basename(stripMdExtension(trimEndSlashes(target.replace(/\\/g, '/')))));
}

/** The name keys a document's links point at. */
function linkKeys(e: DocEntry): Set<string> {
  return new Set(e.linkKeys);
}

/** What, if it changes, can change other documents' findings or the workflow model. */
function structureKey(e: DocEntry): string {
  const d = e.doc;
  const ph = e.phase;
  const chain = d.links
    .filter((l) => l.source === 'metadata')
    .map((l) => `${l.key}:${l.target}#${l.heading ?? ''}`)
    .join('|');
  const heads = d.headings.map((h) => slug(h.text)).join('|');
  return `${ph ? `${ph.number}:${ph.name}` : '-'}\n${chain}\n${heads}\n${d.title?.text ?? ''}\n${idStructureKey(d)}`;
}
