import type { CdpConfig } from './config';
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
import { slug } from './text';
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

interface FolderMaps {
  byName: Map<string, DocEntry[]>;
  byFolderName: Map<string, DocEntry[]>;
  byPath: Map<string, DocEntry[]>;
  byFolderPath: Map<string, DocEntry[]>;
  otherFiles: Set<string>;
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
  /** Changes whenever a document is added, removed or changes its links or phase data. */
  structureVersion = 0;

  constructor(
    readonly folders: readonly string[],
    readonly config: CdpConfig,
  ) {
    this.patterns = compilePatterns(config);
    for (const f of folders) {
      this.maps.set(f, {
        byName: new Map(),
        byFolderName: new Map(),
        byPath: new Map(),
        byFolderPath: new Map(),
        otherFiles: new Set(),
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
    if (old) this.unlink(old);
    this.docs.set(uri, entry);
    this.link(entry);
    if (!old || structureKey(old) !== structureKey(entry)) this.structureVersion++;
    return entry;
  }

  delete(uri: string): boolean {
    const old = this.docs.get(uri);
    if (!old) return false;
    this.unlink(old);
    this.docs.delete(uri);
    this.structureVersion++;
    return true;
  }

  /** Records a non-markdown file, so links to it resolve. */
  addOtherFile(uri: string): void {
    const where = this.locate(uri);
    if (!where) return;
    this.maps.get(where.folder)!.otherFiles.add(where.rel.toLowerCase());
  }

  removeOtherFile(uri: string): void {
    const where = this.locate(uri);
    if (!where) return;
    this.maps.get(where.folder)!.otherFiles.delete(where.rel.toLowerCase());
  }

  private link(e: DocEntry): void {
    const m = this.maps.get(e.folder)!;
    push(m.byName, e.nameKey, e);
    push(m.byPath, e.pathKey, e);
    if (e.folderKey !== undefined) {
      push(m.byFolderName, e.folderKey, e);
      push(m.byFolderPath, slugPath(e.dir), e);
    }
    for (const k of linkKeys(e)) {
      let s = this.linkers.get(k);
      if (!s) this.linkers.set(k, (s = new Set()));
      s.add(e.uri);
    }
  }

  private unlink(e: DocEntry): void {
    const m = this.maps.get(e.folder)!;
    pull(m.byName, e.nameKey, e);
    pull(m.byPath, e.pathKey, e);
    if (e.folderKey !== undefined) {
      pull(m.byFolderName, e.folderKey, e);
      pull(m.byFolderPath, slugPath(e.dir), e);
    }
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
      result = this.resolveTarget(from, raw);
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
    const m = this.maps.get(from.folder)!;
    const target = raw.replace(/\/+$/, '');
    if (FILE_EXTENSION.test(target)) {
      for (const rel of [normalizeRel(from.dir ? `${from.dir}/${target}` : target), normalizeRel(target)]) {
        if (rel !== undefined && m.otherFiles.has(rel.toLowerCase())) return { status: 'file', rel };
      }
      if (!target.includes('/')) {
        const lower = target.toLowerCase();
        for (const f of m.otherFiles)
          if (f === lower || f.endsWith(`/${lower}`)) return { status: 'file', rel: f };
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
    const candidates = [
      ...(m.byName.get(key) ?? []).map((entry) => ({ entry, loc: entry.dir })),
      ...(m.byFolderName.get(key) ?? []).map((entry) => ({ entry, loc: dirname(entry.dir) })),
    ];
    if (candidates.length === 0) return { status: 'broken', reason: 'no document with that name' };
    return resolved(nearest(from, candidates));
  }

  /**
   * Every link in the workspace that resolves to `target` (and, with `heading`, to that
   * heading): backlinks, metadata included.
   */
  backlinks(target: DocEntry, heading?: string): { from: DocEntry; link: WikiLink }[] {
    const out: { from: DocEntry; link: WikiLink }[] = [];
    const keys = new Set<string>([target.nameKey, '']);
    if (target.folderKey !== undefined) keys.add(target.folderKey);
    const headingSlug = heading === undefined ? undefined : slug(heading);
    const seen = new Set<string>();
    for (const k of keys) {
      for (const uri of this.linkers.get(k) ?? []) {
        if (seen.has(uri)) continue;
        seen.add(uri);
        const from = this.docs.get(uri);
        if (!from || from.folder !== target.folder) continue;
        for (const link of from.doc.links) {
          if (k === '' && link.target !== '' && from !== target) continue;
          const r = this.resolve(from, link);
          if (r.status !== 'resolved' || r.target !== target) continue;
          if (headingSlug !== undefined && (link.heading === undefined || slug(link.heading) !== headingSlug))
            continue;
          out.push({ from, link });
        }
      }
    }
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

  /** URI for a new document at a folder-relative path. */
  uriFor(folder: string, rel: string): string {
    return joinUri(folder, rel);
  }

  otherFileExists(folder: string, rel: string): boolean {
    return this.maps.get(folder)?.otherFiles.has(rel.toLowerCase()) ?? false;
  }
}

function resolved(candidates: DocEntry[]): Resolution {
  return { status: 'resolved', target: candidates[0], headingMissing: false, candidates };
}

/**
 * The candidates nearest to `from`: same folder first, then most leading folders shared.
 * Returns every candidate tied for nearest, in path order (the first is the choice).
 * `loc` is where a candidate sits: a file's folder, or for a folder link the folder's parent.
 */
function nearest(from: DocEntry, candidates: { entry: DocEntry; loc: string }[]): DocEntry[] {
  const fromSegs = from.dir ? from.dir.split('/') : [];
  let best: DocEntry[] = [];
  let bestScore = -1;
  for (const { entry, loc } of candidates) {
    const segs = loc ? loc.split('/') : [];
    let shared = 0;
    while (shared < segs.length && shared < fromSegs.length && segs[shared] === fromSegs[shared]) shared++;
    const score = (loc === from.dir ? 1_000_000 : 0) + shared;
    if (score > bestScore) {
      bestScore = score;
      best = [entry];
    } else if (score === bestScore) best.push(entry);
  }
  return sortByPath(dedupe(best));
}

function dedupe(list: DocEntry[]): DocEntry[] {
  return [...new Set(list)];
}

function sortByPath(list: DocEntry[]): DocEntry[] {
  return [...list].sort((a, b) => cmp(a.rel, b.rel));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function pull<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (!list) return;
  const i = list.indexOf(v);
  if (i !== -1) list.splice(i, 1);
  if (list.length === 0) m.delete(k);
}

/** The name keys a document's links point at: the slug of the last path segment. */
function linkKeys(e: DocEntry): Set<string> {
  const keys = new Set<string>();
  for (const l of e.doc.links) {
    const t = stripMdExtension(l.target.replace(/\\/g, '/').replace(/\/+$/, ''));
    keys.add(slug(basename(t)));
  }
  return keys;
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
  return `${ph ? `${ph.number}:${ph.name}` : '-'}\n${chain}\n${heads}\n${d.title?.text ?? ''}`;
}
