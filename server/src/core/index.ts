import { AliasTable, aliasKeys } from './aliases';
import { cmp } from './collections';
import type { CdpConfig } from './config';
import { parseConfirmations } from './gates/confirmations';
import { GATE_FILE_NAME, type ParsedGateFile } from './gates/parse';
import { CONFIRMATIONS_FILE, GateStore } from './gates/store';
import { type DefinitionScope, IdTable, idOf, idStructureKey } from './ids';
import {
  artifactLinks,
  artifactPhaseOf,
  chainLinks,
  compilePatterns,
  computeGroups,
  countedBesideGates,
  fileNamePhaseNumber,
  type Group,
  hasPhaseMetadata,
  knownPhaseFolder,
  namedAsKnownPhase,
  namedAsWorkflow,
  numberedPhaseFile,
  type Patterns,
  type PhaseInfo,
  parsePhaseNumber,
  phaseId,
  phaseOf,
  phaseOfFolderName,
  showsPhase,
  untrackedLines,
} from './model';
import { intern } from './parse/compact';
import { type ParserKind, parseDocument } from './parse/document';
import {
  basename,
  dirname,
  joinRel,
  joinUri,
  normalizeRel,
  relativePath,
  stripMdExtension,
  uriName,
} from './paths';
import {
  anchorLanding,
  type HeadingPath,
  headingAnchors,
  headingPath,
  headingSegments,
  type Landing,
  type Lookup,
  linkKey,
  type PathKeys,
  PathTable,
  pathKeys,
  slugPath,
} from './resolve';
import { withLinkTexts } from './shown-text';
import { slug, trimEndSlashes } from './text';
import type { Heading, ParsedDocument, Range, WikiLink } from './types';

/** What a document's derived data needs from the index beyond its own text. */
export interface EntryContext {
  readonly patterns: Patterns;
  readonly gates: GateStore;
  /** The evaluated gate-file groups of a phase document (none when no analysis evaluates them). */
  gateGroups(e: DocEntry): Group[];
  /** Whether a document in `dir` is named as phase `n` and stands for it (`numberedPhaseFile`). */
  numberedFileAt(folder: string, dir: string, n: number): boolean;
  /** Whether an `artifacts` list in the workspace folder names a document `nameKey` (by name). */
  listedAsArtifact(folder: string, nameKey: string): boolean;
  /** Changes whenever `numberedFileAt` or `listedAsArtifact` may answer otherwise. */
  readonly numberedFilesVersion: number;
}

/** One indexed document and what is derived from it (computed once per version). */
export class DocEntry implements PathKeys {
  readonly dir: string;
  /** Slug of the file name without `.md`. */
  readonly nameKey: string;
  /** For README.md / index.md: slug of the folder name (a link to the folder lands here). */
  readonly folderKey: string | undefined;
  /** Slugged path without `.md`, per segment. */
  readonly pathKey: string;
  /** The name keys of the aliases its front matter gives it (bare wikilinks may name it by them). */
  readonly aliasKeys: readonly string[];
  /** The DDX id the document declares, if any (wikilinks may name it). */
  readonly id: string | undefined;
  private _groups?: Group[];
  private _gateGroups?: Group[];
  private _allGroups?: Group[];
  /** The own groups in `_allGroups` (see `countedOwnGroups`). */
  private _countedGroups?: Group[];
  private _phase?: PhaseInfo | null;
  /** The `numberedFilesVersion` the phase was read at, when it depends on it; else -1. */
  private _phaseBeside = -1;
  private _phaseFor = -1;
  private _shows?: boolean;
  private _showsFor = -1;
  private _artifacts?: WikiLink[];
  private _dependencyLinks?: ReadonlySet<WikiLink>;
  /** The slug of each heading, in order (shared strings: see `intern`). */
  private _headingSlugs?: HeadingKeys;
  /** The headings' keys with their links read as their text; null when no heading holds a link. */
  private _linkedHeadingSlugs?: HeadingKeys | null;
  /** The GitHub anchor of each heading, in order. */
  private _anchors?: HeadingKeys;
  private _linkKeys?: string[];
  private _structureKey?: string;

  constructor(
    readonly uri: string,
    readonly folder: string,
    readonly rel: string,
    readonly doc: ParsedDocument,
    private readonly ctx: EntryContext,
  ) {
    const keys = pathKeys(rel);
    this.dir = keys.dir;
    this.nameKey = keys.nameKey;
    this.folderKey = keys.folderKey;
    this.pathKey = keys.pathKey;
    this.id = idOf(this);
    this.aliasKeys = aliasKeys(doc);
  }

  /**
   * The name keys links may reach the document by: its file name, its folder's (for a
   * README), its id, its aliases.
   */
  targetKeys(): Set<string> {
    const keys = new Set<string>([this.nameKey]);
    if (this.folderKey !== undefined) keys.add(this.folderKey);
    if (this.id !== undefined) keys.add(linkKey(this.id));
    for (const k of this.aliasKeys) keys.add(k);
    return keys;
  }

  /** The document's own checklist groups, then (for a folder phase) the groups of its gate files. */
  get groups(): Group[] {
    const own = this.ownGroups;
    if (!this.ctx.gates.size || !this.phase?.folder) return own;
    const gates = this.ctx.gateGroups(this);
    if (gates.length === 0) return own;
    if (this._gateGroups !== gates || !this._allGroups) {
      this._gateGroups = gates;
      const tracked = countedBesideGates(own);
      this._countedGroups = tracked;
      this._allGroups = tracked.concat(gates);
    }
    return this._allGroups;
  }

  /**
   * The groups written in the document itself that count: `groups` without the gate
   * files' (beside gate files, a list of criteria without checkboxes does not count).
   */
  get countedOwnGroups(): Group[] {
    const all = this.groups;
    return all === this.ownGroups ? all : this._countedGroups!;
  }

  /** The checklist groups written in the document itself. */
  get ownGroups(): Group[] {
    this._groups ??= computeGroups(this.doc, this.ctx.patterns);
    return this._groups;
  }

  /** The lines of the criteria without checkboxes of its group on `line` (see `untrackedLines`). */
  untrackedLines(line: number): number[] {
    return untrackedLines(this.doc, line, this.ctx.patterns);
  }

  get phase(): PhaseInfo | undefined {
    const v = this.ctx.gates.dirsVersion;
    if (
      this._phase === undefined ||
      this._phaseFor !== v ||
      (this._phaseBeside !== -1 && this._phaseBeside !== this.ctx.numberedFilesVersion)
    ) {
      this._phaseFor = v;
      this._phaseBeside = -1;
      this._phase =
        phaseOf(
          this.doc,
          this.rel,
          this.ctx.patterns,
          () => this.ownGroups,
          (dir) => this.ctx.gates.hasDir(this.folder, dir),
          (n) => {
            // (asked only of a document numbered by its metadata alone: it depends on the others)
            this._phaseBeside = this.ctx.numberedFilesVersion;
            return (
              this.ctx.numberedFileAt(this.folder, this.dir, n) ||
              this.ctx.listedAsArtifact(this.folder, this.nameKey)
            );
          },
        ) ?? null;
    }
    return this._phase ?? undefined;
  }

  /**
   * Whether the document shows by itself that it is a phase (`showsPhase`: always for
   * metadata and folder phases, for a flat `NN-name.md` by its metadata, groups, title,
   * chain links or gate files; see `namedAsPhase`); false for a document that is none.
   */
  get showsPhase(): boolean {
    const v = this.ctx.gates.dirsVersion;
    if (this._shows === undefined || this._showsFor !== v) {
      const ph = this.phase;
      this._showsFor = v;
      this._shows =
        ph !== undefined &&
        showsPhase(
          this.doc,
          ph,
          this.rel,
          () => this.ownGroups,
          (dir) => this.ctx.gates.hasDir(this.folder, dir),
        );
    }
    return this._shows;
  }

  /**
   * Whether it is a flat phase document (`NN-name.md`) with what a page about a phase does
   * not have: `phase`, `previous_phase` or `next_phase` metadata, a checklist item or gate
   * files beside it. True for every other phase (metadata or folder phases).
   */
  get recordsPhase(): boolean {
    const ph = this.phase;
    if (ph === undefined) return false;
    if (ph.source !== 'file-name' || ph.folder) return true;
    const d = this.doc;
    return (
      d.tasks.length > 0 ||
      d.malformed.length > 0 ||
      hasPhaseMetadata(d) ||
      this.ctx.gates.hasDir(this.folder, dirname(this.rel))
    );
  }

  /** The phase number its file name gives (`02-prescribe.md`: 2), if any; its metadata may say another. */
  get fileNameNumber(): number | undefined {
    return fileNamePhaseNumber(this.rel, this.ctx.patterns);
  }

  /** Whether it is a flat phase document named as a known phase at its number (`namedAsKnownPhase`). */
  get namedAsPhase(): boolean {
    const ph = this.phase;
    return ph !== undefined && namedAsKnownPhase(ph, this.rel, this.ctx.patterns);
  }

  /** Its metadata says `template: true`: a definition's phase, never work under way. */
  get template(): boolean {
    return this.doc.metadata.data.template === true;
  }

  /** For a document that is not a phase: the phase its `phase` metadata names ("01-frame"). */
  get artifactPhase(): string | undefined {
    if (this.phase) return undefined;
    // (`phase: 01` beside the file named as phase 01: see `phaseOf`)
    const n = parsePhaseNumber(this.doc.metadata.data.phase);
    return n === undefined ? artifactPhaseOf(this.doc) : phaseId(n);
  }

  get artifacts(): WikiLink[] {
    this._artifacts ??= artifactLinks(this.doc, this.ctx.patterns);
    return this._artifacts;
  }

  /**
   * The metadata wikilinks that are `depends_on` entries (`- "[[FEAT-001]]"`): each names a
   * dependency, reported as one (missing-dependency, superseded-link on the entry), not
   * as a link besides.
   */
  get dependencyLinks(): ReadonlySet<WikiLink> {
    if (this._dependencyLinks === undefined) {
      const deps = this.doc.ddx?.dependsOn;
      const out = new Set<WikiLink>();
      if (deps?.length)
        for (const link of this.doc.links) {
          if (link.source !== 'metadata') continue;
          const r = link.range;
          const within = (d: { range: Range }) =>
            d.range.start.line === r.start.line &&
            d.range.end.line === r.end.line &&
            d.range.start.character >= r.start.character &&
            d.range.end.character <= r.end.character;
          if (deps.some(within)) out.add(link);
        }
      this._dependencyLinks = out;
    }
    return this._dependencyLinks;
  }

  /** What, if it changes, can change other documents' findings (computed once per version). */
  get structureKey(): string {
    this._structureKey ??= structureKey(this);
    return this._structureKey;
  }

  /** For each link, in order: the slug of the last segment of its target (`''` for `[[#H]]`). */
  get linkKeys(): string[] {
    this._linkKeys ??= this.doc.links.map((l) => linkKeyOf(l.target));
    return this._linkKeys;
  }

  /**
   * The heading a `#fragment` names, compared slug-equivalently (the first of equal ones).
   * The slugs are a list, not a map: a document has a few dozen headings, and thousands
   * of documents keep theirs (the same few texts, shared).
   */
  heading(fragment: string): Heading | undefined {
    this._headingSlugs ??= headingKeys(
      this.doc.headings.map((h) => slugKey(h.text)),
      false,
    );
    const key = slugKey(fragment);
    const i = findHeadingKey(this._headingSlugs, key, false);
    if (i >= 0) return this.doc.headings[i];
    // A heading holding a link, named by the link's text (`## See [link](x.md) now` by
    // `#See link now`), as it reads rendered.
    if (this._linkedHeadingSlugs === undefined) {
      const headings = this.doc.headings;
      this._linkedHeadingSlugs = headings.some((h) => h.text.includes(']('))
        ? headingKeys(
            headings.map((h) => slugKey(withLinkTexts(h.text))),
            false,
          )
        : null;
    }
    if (this._linkedHeadingSlugs === null) return undefined;
    const j = findHeadingKey(this._linkedHeadingSlugs, key, false);
    return j < 0 ? undefined : this.doc.headings[j];
  }

  /**
   * The headings a nested wikilink heading (`Parent#Child`, split by `headingSegments`)
   * names, each segment compared as `heading` compares a whole `#heading` (see
   * `resolve.ts` `headingPath`).
   */
  headingPath(segments: readonly string[]): HeadingPath {
    const headings = this.doc.headings;
    return headingPath(headings, segments, (i, segment) => {
      const key = slugKey(segment);
      const text = headings[i].text;
      return slugKey(text) === key || (text.includes('](') && slugKey(withLinkTexts(text)) === key);
    });
  }

  /** The heading a markdown link's `#anchor` names (GitHub's anchors, case-insensitive). */
  anchor(fragment: string): Heading | undefined {
    this._anchors ??= headingKeys(headingAnchors(this.doc.headings), true);
    // Anchors are unique (repeats get `-1`, `-2`); of equal ones the last, as before.
    const i = findHeadingKey(this._anchors, fragment.toLowerCase(), true);
    return i < 0 ? undefined : this.doc.headings[i];
  }

  /** Display name: the title, else the file name. */
  get displayName(): string {
    return this.doc.title?.text ?? stripMdExtension(basename(this.rel));
  }
}

/**
 * A cache of a text's key: the key shared (`intern`), and the text too (a text sliced
 * from a document would keep all of it). Documents made from one template repeat their
 * headings (7,500 texts among 148,000 headings at 10k cdp documents) and links name the
 * same few targets: each was slugged again for every document that has it.
 */
function keyCache(key: (text: string) => string): (text: string) => string {
  let known = new Map<string, string>();
  return (text) => {
    let k = known.get(text);
    if (k === undefined) {
      if (known.size >= 16_384) known = new Map();
      k = intern(key(text));
      known.set(intern(text), k);
    }
    return k;
  };
}

/** `slug` of a heading's text or of a `#fragment`, shared. */
const slugKey = keyCache(slug);

/** `linkKey` of a link's target, shared. */
const linkKeyOf = keyCache(linkKey);

/** Above this many headings a document's heading keys are a map (a search would be slow). */
const MANY_HEADINGS = 32;

/** Heading keys (slugs or anchors) in heading order: a list, or a map to the index. */
type HeadingKeys = readonly string[] | ReadonlyMap<string, number>;

/** `keys` as kept: shared strings in a list, or for many headings a map (`last`: of equal keys the last wins). */
function headingKeys(keys: string[], last: boolean): HeadingKeys {
  if (keys.length <= MANY_HEADINGS) {
    for (let i = 0; i < keys.length; i++) keys[i] = intern(keys[i]);
    return keys;
  }
  const m = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) if (last || !m.has(keys[i])) m.set(intern(keys[i]), i);
  return m;
}

/** The index of the heading with this key (the first or, with `last`, the last), or -1. */
function findHeadingKey(keys: HeadingKeys, key: string, last: boolean): number {
  if (keys instanceof Map) return keys.get(key) ?? -1;
  const list = keys as readonly string[];
  return last ? list.lastIndexOf(key) : list.indexOf(key);
}

/**
 * A phase that stands for its folder: no phase document, an empty text of its own, the
 * folder's name, never an artifact (see `GatePhaseEntry`, `FolderPhaseEntry`).
 */
export abstract class FolderStandIn extends DocEntry {
  constructor(
    uri: string,
    folder: string,
    rel: string,
    ctx: EntryContext,
    private readonly info: PhaseInfo,
  ) {
    super(uri, folder, rel, parseDocument(uri, ''), ctx);
  }

  override get phase(): PhaseInfo {
    return this.info;
  }

  override get artifactPhase(): undefined {
    return undefined;
  }

  override get displayName(): string {
    return basename(this.dir);
  }
}

/**
 * A phase folder that holds gate files but no README/index: the phase stands for its
 * folder, located at its first gate file (the file a click on the phase opens).
 */
export class GatePhaseEntry extends FolderStandIn {}

/**
 * A folder named as a known workflow's phase at its number (`docs/helix/01-frame/`) that
 * holds documents but neither a phase document nor gate files: the phase stands for the
 * folder (its URI, with a trailing `/`), its documents are its artifacts (when it is one:
 * see `WorkspaceIndex.folderPhases`).
 */
export class FolderPhaseEntry extends FolderStandIn {
  /**
   * When another folder beside it claims its phase number (`01-frame` and `01_frame`):
   * the document findings about it go on (its README or index, else its first document
   * directly in it, else below it, by path).
   */
  on?: string;

  constructor(uri: string, folder: string, dir: string, ctx: EntryContext, info: PhaseInfo) {
    // The phase is the folder itself (`dir/`), not a file in its parent.
    super(uri, folder, `${dir}/`, ctx, info);
  }
}

/**
 * Whether `a` is the document a finding about folder `dir` goes on rather than `b`: the
 * folder's README or index, else a document directly in it, else one below it; of equals,
 * the first by path.
 */
export function standsForItsFolder(a: DocEntry, b: DocEntry | undefined, dir: string): boolean {
  if (!b) return true;
  const rank = (e: DocEntry) => (e.dir !== dir ? 2 : /^(readme|index)\.md$/i.test(basename(e.rel)) ? 0 : 1);
  return rank(a) < rank(b) || (rank(a) === rank(b) && cmp(a.rel, b.rel) < 0);
}

/** Whether a phase entry stands for its folder (no phase document): located at a gate file or the folder itself. */
export function standsForFolder(e: DocEntry): boolean {
  return e instanceof FolderStandIn;
}

export type Resolution =
  | {
      status: 'resolved';
      target: DocEntry;
      /** Set when the link names a heading that exists. */
      heading?: Heading;
      /** The link names a heading the target does not have. */
      headingMissing: boolean;
      /**
       * A nested heading wikilink (`[[doc#Parent#Child]]`, see `headingSegments`): the
       * heading each segment names, outer to inner (the last one is `heading`).
       */
      headingPath?: Heading[];
      /**
       * A nested heading wikilink whose chain breaks: the first segment (0-based) no
       * heading answers, and the headings (by index) the segments before it reach.
       */
      headingFailed?: { segment: number; under: number[] };
      /** A markdown link's line anchor (`#L22`, `#L22-L30`) that no heading has: its first line (0-based). */
      line?: number;
      /** Equally near candidates (the target first); length > 1 means ambiguous. */
      candidates: DocEntry[];
      /** A markdown link's path reaches it only when letter case is ignored. */
      caseDiffers?: true;
    }
  | Exclude<Lookup<DocEntry>, { status: 'resolved' }>;

/**
 * All documents of all workspace folders, with the maps that make link resolution and
 * backlinks cheap. Holds parsed summaries, never syntax trees.
 */
/** How many of the last documents set the index remembers (see `setSince`). */
const MAX_RECENT = 64;

export class WorkspaceIndex implements EntryContext {
  readonly patterns: Patterns;
  /** Gate files (`input-gates.yml`, `exit-gates.yml`, `GATE.yaml`) and what their checks read. */
  readonly gates = new GateStore();
  /** Installed by the analysis: evaluates a phase's gate files. */
  gateEvaluator: ((e: DocEntry) => Group[]) | undefined;
  private readonly docs = new Map<string, DocEntry>();
  private readonly maps = new Map<string, PathTable<DocEntry>>();
  /** name key a link points at → documents holding such links (for backlinks). */
  private readonly linkers = new Map<string, Set<string>>();
  /**
   * Where the workflow definitions lie: set by `Analysis`, which builds the workflows.
   * `version` changes when the documents they hold change; `contains` answers for a
   * folder of a workspace folder, `any` whether it holds a definition at all. Asked while
   * the workflows are being built (they resolve chain links), it answers as of the last
   * build.
   */
  definitionSource:
    | { version(): number; contains(folder: string, dir: string): boolean; any(folder: string): boolean }
    | undefined;
  /** Whether the documents of `dir` (in workspace folder `folder`) belong to a workflow definition. */
  inDefinition(folder: string, dir: string): boolean {
    return this.definitionSource?.contains(folder, dir) ?? false;
  }
  /** The version of the definitions' folders (what resolution by id depends on besides the paths). */
  private definitionsVersion(): number {
    return this.definitionSource?.version() ?? 0;
  }
  /** Where the workflow definitions lie, for the tables of names documents give themselves. */
  private readonly definitionScope: DefinitionScope = {
    version: () => this.definitionsVersion(),
    contains: (folder, dir) => this.inDefinition(folder, dir),
    any: (folder) => this.definitionSource?.any(folder) ?? false,
  };
  /** DDX ids and dependencies (`core/ids.ts`); a definition's ids are its own. */
  readonly ids = new IdTable<DocEntry>(() => this.docs.values(), this.definitionScope);
  /** Aliases in front matter (`core/aliases.ts`), scoped as ids are. */
  readonly aliases = new AliasTable<DocEntry>(this.definitionScope);
  /** Changes whenever a document is added, removed or changes its links or phase data. */
  structureVersion = 0;
  /** Changes with every set or delete. */
  version = 0;
  /** The last documents set (`setParsed`), with the version each was set at. */
  private readonly recent: { version: number; uri: string }[] = [];
  /** Every document set at this version or later is in `recent`. */
  private recentFrom = 0;
  /** Changes whenever the set of documents or other files changes (what resolution depends on). */
  private pathsVersion = 0;
  /** Changes whenever a document is added, removed, or becomes, leaves or changes a phase (`phaseSignature`). */
  private phasesVersion = 0;
  private cacheVersion = -1;
  private cacheScope = -1;
  private readonly resolveCache = new Map<string, Map<string, Map<string, CachedLookup>>>();

  constructor(
    readonly folders: readonly string[],
    readonly config: CdpConfig,
  ) {
    this.patterns = compilePatterns(config);
    for (const f of folders) {
      this.maps.set(
        f,
        new PathTable<DocEntry>(
          (e) => e.rel,
          (id, fromDir) => this.ids.declarers(f, fromDir, id),
          (key, fromDir) => this.aliases.named(f, key, fromDir),
          (dir) => this.folderChanges?.add(linkKey(basename(dir))),
        ),
      );
    }
  }

  /** The name keys of the folders that came or went since last taken, while recorded. */
  private folderChanges: Set<string> | undefined;

  /**
   * Records from now on the folders that come to exist or cease to (a folder exists while
   * it holds a document or file): a link to a folder changes its answer then, which no
   * change of a document named like it tells (`takeFolderChanges`).
   */
  recordFolderChanges(): void {
    this.folderChanges ??= new Set();
  }

  /** The name keys (`linkKey`) of the folders that came or went since the last call. */
  takeFolderChanges(): string[] {
    if (!this.folderChanges || this.folderChanges.size === 0) return [];
    const keys = [...this.folderChanges];
    this.folderChanges.clear();
    return keys;
  }

  get size(): number {
    return this.docs.size;
  }

  all(): IterableIterator<DocEntry> {
    return this.docs.values();
  }

  /** Every file that gets findings, sorted: the documents, the gate files, the confirmations files. */
  checkedUris(): string[] {
    const uris: string[] = [];
    for (const e of this.docs.values()) uris.push(e.uri);
    for (const g of this.gates.all()) uris.push(g.uri);
    uris.push(...this.gates.confirmationsUris());
    return uris.sort(cmp);
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
    if (!this.locate(uri)) return undefined;
    return this.setParsed(uri, parseDocument(uri, text, parser));
  }

  /**
   * Stores a document parsed before (by `parseDocument` with this index's parser, or read
   * back from the server's cache of parses). Returns undefined when it is outside every folder.
   */
  setParsed(uri: string, doc: ParsedDocument): DocEntry | undefined {
    const where = this.locate(uri);
    if (!where) return undefined;
    const entry = new DocEntry(uri, where.folder, where.rel, doc, this);
    const old = this.docs.get(uri);
    this.version++;
    // Typing rarely changes what a document links to: keep its backlink keys then.
    const sameKeys = old !== undefined && sameElements(old.linkKeys, entry.linkKeys);
    // Same ids, dependencies and status: the id table keeps its cycles (see IdTable.replace).
    const sameIds = old !== undefined && idStructureKey(old.doc) === idStructureKey(doc);
    if (old) this.unlink(old, !sameKeys, sameIds);
    // (the new state counted before the old one goes: a keystroke that changes neither
    // leaves `numberedFilesVersion`, and the phases read from it, as they were)
    this.countNumbered(entry, 1);
    this.countNumbered(old, -1);
    // What a link resolves to depends on the names documents give themselves as on their paths
    // (and on `template: true`: a template's id names nothing, see `IdTable.isLooseTemplate`).
    if (
      !old ||
      old.id !== entry.id ||
      old.template !== entry.template ||
      !sameElements(old.aliasKeys, entry.aliasKeys)
    )
      this.pathsVersion++;
    this.docs.set(uri, entry);
    this.link(entry, !sameKeys, sameIds);
    if (sameIds && old) this.ids.replace(old, entry);
    this.recent.push({ version: this.version, uri });
    if (this.recent.length > MAX_RECENT) this.recentFrom = this.recent.shift()!.version + 1;
    if (!old || old.structureKey !== entry.structureKey) this.structureVersion++;
    if (!old || phaseSignature(old) !== phaseSignature(entry)) this.phasesVersion++;
    return entry;
  }

  /**
   * The documents set since `version` (each once), or undefined when they are no longer
   * known: a view holding entries swaps in only those instead of looking up all of its own.
   */
  setSince(version: number): Set<string> | undefined {
    if (version + 1 < this.recentFrom) return undefined;
    const out = new Set<string>();
    for (let i = this.recent.length - 1; i >= 0 && this.recent[i].version > version; i--)
      out.add(this.recent[i].uri);
    return out;
  }

  delete(uri: string): boolean {
    const old = this.docs.get(uri);
    if (!old) return false;
    this.unlink(old);
    this.countNumbered(old, -1);
    this.version++;
    this.docs.delete(uri);
    this.structureVersion++;
    this.pathsVersion++;
    this.phasesVersion++;
    return true;
  }

  /**
   * Documents standing for a phase by their name (`numberedPhaseFile`): how many, per
   * folder, directory and number (the directory is the entry's own string: no key is
   * made per document).
   */
  private readonly numberedFiles = new Map<string, Map<string, Map<number, number>>>();
  /** The names `artifacts` lists give (by name: resolving waits for every document), per folder. */
  private readonly artifactNames = new Map<string, Map<string, number>>();
  numberedFilesVersion = 0;

  private countNumbered(e: DocEntry | undefined, by: 1 | -1): void {
    if (e === undefined) return;
    const n = numberedPhaseFile(e.doc, e.rel, this.patterns);
    if (n !== undefined) {
      let dirs = this.numberedFiles.get(e.folder);
      if (!dirs) this.numberedFiles.set(e.folder, (dirs = new Map()));
      let numbers = dirs.get(e.dir);
      if (!numbers) dirs.set(e.dir, (numbers = new Map()));
      this.count(numbers, n, by);
      if (numbers.size === 0) dirs.delete(e.dir);
    }
    for (const l of e.doc.links) {
      if (l.source !== 'metadata' || l.key !== 'artifacts') continue;
      let names = this.artifactNames.get(e.folder);
      if (!names) this.artifactNames.set(e.folder, (names = new Map()));
      // (interned: cycles list the same artifacts)
      this.count(names, intern(linkKey(l.target)), by);
    }
  }

  private count<K>(counts: Map<K, number>, key: K, by: 1 | -1): void {
    const count = (counts.get(key) ?? 0) + by;
    if (count > 0) counts.set(key, count);
    else counts.delete(key);
    // (only whether there is one matters)
    if (count === 0 || (count === 1 && by === 1)) this.numberedFilesVersion++;
  }

  numberedFileAt(folder: string, dir: string, n: number): boolean {
    return this.numberedFiles.get(folder)?.get(dir)?.has(n) === true;
  }

  listedAsArtifact(folder: string, nameKey: string): boolean {
    return this.artifactNames.get(folder)?.has(nameKey) === true;
  }

  /** The markdown files of a workspace folder not indexed (too large, binary, unreadable): relative paths. */
  skippedMarkdown(folder: string): string[] {
    return this.maps.get(folder)?.skippedMarkdown() ?? [];
  }

  /** Why a markdown file was not indexed (its notice), by folder and path, when the load said so. */
  private readonly skipReasons = new Map<string, string>();

  /** Why a file of `skippedMarkdown` was not indexed ("larger than …"), when known. */
  skipReason(folder: string, rel: string): string | undefined {
    return this.skipReasons.get(`${folder}\u0000${rel}`);
  }

  /** Changes whenever the set of files changes. */
  get pathsStamp(): number {
    return this.pathsVersion;
  }

  gateGroups(e: DocEntry): Group[] {
    return this.gateEvaluator?.(e) ?? [];
  }

  /**
   * Records a file that is no document, so links to it resolve: `skipped`, a markdown
   * document not indexed for its size or content, which `[[its name]]` reaches too;
   * `reason`, why it was not (its notice, "skipped: larger than …", "permission denied").
   */
  addOtherFile(uri: string, skipped = false, reason?: string): void {
    const where = this.locate(uri);
    if (!where) return;
    const at = `${where.folder}\u0000${where.rel}`;
    const wasUnread = this.skipReasons.get(at);
    if (skipped && reason !== undefined)
      this.skipReasons.set(at, reason.replace(/^(?:skipped|not read): /, ''));
    else this.skipReasons.delete(at);
    const m = this.maps.get(where.folder)!;
    const had = m.hasFile(where.rel);
    m.addFile(where.rel, skipped);
    this.pathsVersion++;
    this.version++;
    // (a file not read, or why, is part of the workflows: an unread phase)
    if ((!had && isWorkflowFile(where.rel)) || this.skipReasons.get(at) !== wasUnread)
      this.structureVersion++;
  }

  hasOtherFile(uri: string): boolean {
    const where = this.locate(uri);
    return !!where && this.otherFileExists(where.folder, where.rel);
  }

  removeOtherFile(uri: string): void {
    const where = this.locate(uri);
    if (!where) return;
    const wasUnread = this.skipReasons.delete(`${where.folder}\u0000${where.rel}`);
    this.maps.get(where.folder)!.removeFile(where.rel);
    this.pathsVersion++;
    this.version++;
    if (isWorkflowFile(where.rel) || wasUnread) this.structureVersion++;
  }

  /** Whether `uri` is a gate file by its name (`GATE.yaml`, `input-gates.yml`, `exit-gates.yml`). */
  isGateFile(uri: string): boolean {
    const where = this.locate(uri);
    return !!where && GATE_FILE_NAME.test(basename(where.rel));
  }

  /** Whether `uri` is a folder's `.cdp/confirmations.yml`. */
  isConfirmationsFile(uri: string): boolean {
    const where = this.locate(uri);
    return !!where && where.rel.toLowerCase() === CONFIRMATIONS_FILE;
  }

  /** Reads (or, with `undefined`, forgets) a gate file; `error` stores it as unusable without parsing. */
  setGateFile(uri: string, text: string | undefined, error?: string): void {
    this.changeGates(uri, (where) => {
      if (text === undefined && error === undefined) this.gates.delete(uri);
      else this.gates.set(uri, where.folder, where.rel, text, error);
    });
  }

  /** A gate file parsed before and known unchanged (the server's index cache). */
  setParsedGateFile(uri: string, parsed: ParsedGateFile): void {
    this.changeGates(uri, (where) => this.gates.setParsed(uri, where.folder, where.rel, parsed));
  }

  /** Changes a gate file of a workspace folder; a folder gaining or losing gate files changes the structure. */
  private changeGates(uri: string, change: (where: { folder: string; rel: string }) => void): void {
    const where = this.locate(uri);
    if (!where) return;
    const dirs = this.gates.dirsVersion;
    const count = this.gates.size;
    change(where);
    this.version++;
    // A folder gaining or losing gate files, or one more or less in a folder: which of them
    // stands for a folder of gate files only (its `GATE.yaml` first) may change.
    if (this.gates.dirsVersion !== dirs || this.gates.size !== count) {
      this.structureVersion++;
      this.gateSetVersion++;
    }
  }

  /** Changes whenever a gate file comes or goes (`gatePhases`: which file stands for its folder). */
  private gateSetVersion = 0;

  /** Reads (or forgets) a folder's confirmations file. */
  setConfirmations(uri: string, text: string | undefined): void {
    const where = this.locate(uri);
    if (!where) return;
    this.gates.setConfirmations(
      where.folder,
      parseConfirmations(text ?? ''),
      text === undefined ? undefined : { uri, text },
    );
    this.version++;
  }

  /** Every file of a workspace folder, documents and others (relative paths, sorted); cached per change of paths. */
  filesOf(folder: string): readonly string[] {
    if (this.filesCacheVersion !== this.pathsVersion) {
      this.filesCache.clear();
      this.filesCacheVersion = this.pathsVersion;
    }
    let list = this.filesCache.get(folder);
    if (!list) {
      const out: string[] = [];
      for (const e of this.docs.values()) if (e.folder === folder) out.push(e.rel);
      for (const rel of this.maps.get(folder)?.fileRels() ?? []) out.push(rel);
      list = out.sort();
      this.filesCache.set(folder, list);
    }
    return list;
  }

  private filesCacheVersion = -1;
  private readonly filesCache = new Map<string, string[]>();

  private gatePhasesKey = '';
  private gatePhasesCache: GatePhaseEntry[] = [];

  /** Phases that are folders holding gate files and no README/index (see GatePhaseEntry). */
  gatePhases(): GatePhaseEntry[] {
    if (this.gates.size === 0) return [];
    // (the gate files' version too: which file of a folder stands for it follows them)
    const key = `${this.gates.dirsVersion}:${this.pathsVersion}:${this.gateSetVersion}`;
    if (key === this.gatePhasesKey) return this.gatePhasesCache;
    const out: GatePhaseEntry[] = [];
    for (const { folder, dir } of this.gates.dirs()) {
      if (dir === '') continue;
      const hasReadme = ['readme.md', 'index.md'].some(
        (n) => this.docAt(folder, `${dir}/${n}`) !== undefined,
      );
      if (hasReadme) continue;
      const name = basename(dir);
      const m = this.patterns.phaseFileName.exec(name);
      const digits = m ? /^(\d{1,2})/.exec(m[1] ?? name) : null;
      if (!digits) continue;
      const n = Number(digits[1]);
      const rest = name.replace(/^\d{1,2}[-_ ]*/, '').replace(/[-_]+/g, ' ');
      const files = this.gates.inDir(folder, dir);
      const first = files.find((g) => /^gate\./i.test(basename(g.rel))) ?? files[0];
      out.push(
        new GatePhaseEntry(first.uri, folder, first.rel, this, {
          number: n,
          id: phaseId(n),
          name: rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : name,
          source: 'file-name',
          folder: true,
        }),
      );
    }
    this.gatePhasesKey = key;
    this.gatePhasesCache = out;
    return out;
  }

  private folderPhasesKey = '';
  private folderPhasesCache: FolderPhaseEntry[] = [];

  /**
   * Phases that are folders named as a known workflow's phase at its number (`01-frame`,
   * `05-release`) holding documents at any depth but no phase document (README/index with
   * phase evidence) and no gate files (see FolderPhaseEntry): under a folder named as the
   * workflow (`helix/`), or two or more beside each other holding DDX work with no
   * numbered folder of another name among them; never beside phases written as documents
   * or gate files, nor inside a phase folder or below an instance's folder.
   */
  folderPhases(): FolderPhaseEntry[] {
    const key = `${this.phasesVersion}:${this.pathsVersion}:${this.gates.dirsVersion}`;
    if (key === this.folderPhasesKey) return this.folderPhasesCache;
    const seen = new Set<string>();
    const found: { folder: string; dir: string; info: PhaseInfo }[] = [];
    const other = new Set<string>();
    /** Phase folders (with a phase document or gate files). */
    const phaseDirs = new Set<string>();
    /**
     * The folders instances are at (holding phase folders with a phase document or gate
     * files, or flat phase documents): a numbered folder there without either is a gap
     * of that instance (`FolderGap`), or a folder of documents that are no phase's.
     */
    const homes = new Set<string>();
    /** Folders holding a document with a DDX id or `phase` metadata: work of a DDX workflow. */
    const evidenced = new Set<string>();
    for (const { folder, dir } of this.gates.dirs()) {
      phaseDirs.add(`${folder}\u0000${dir}`);
      homes.add(`${folder}\u0000${dirname(dir)}`);
    }
    // Per folder, its numbered documents and how many are named as known phases: names
    // alone show phases where they name at least half of them (as `buildWorkflows` has it).
    const numbered = new Map<string, { all: number; named: number }>();
    for (const e of this.docs.values()) {
      if (!e.phase || e.phase.folder) continue;
      const k = `${e.folder}\u0000${e.dir}`;
      const n = numbered.get(k) ?? { all: 0, named: 0 };
      n.all++;
      if (e.namedAsPhase) n.named++;
      numbered.set(k, n);
    }
    const namedShows = (e: DocEntry) => {
      const n = numbered.get(`${e.folder}\u0000${e.dir}`);
      return n !== undefined && e.namedAsPhase && n.named * 2 >= n.all;
    };
    for (const e of this.docs.values()) {
      const ph = e.phase;
      if (e.id !== undefined || e.artifactPhase !== undefined) evidenced.add(`${e.folder}\u0000${e.dir}`);
      if (ph?.folder) {
        phaseDirs.add(`${e.folder}\u0000${e.dir}`);
        homes.add(`${e.folder}\u0000${dirname(e.dir)}`);
      } else if (ph && (e.showsPhase || namedShows(e))) {
        homes.add(`${e.folder}\u0000${e.dir}`);
        // A phase document inside a numbered folder (`02-design/02-design.md`, or one with
        // `phase: 2`) makes that folder's siblings a section of a written instance too.
        if (phaseOfFolderName(basename(e.dir), this.patterns))
          homes.add(`${e.folder}\u0000${dirname(e.dir)}`);
      }
      for (let d = e.dir; d !== ''; d = dirname(d)) {
        const k = `${e.folder}\u0000${d}`;
        if (seen.has(k)) break;
        seen.add(k);
        const name = basename(d);
        const info = knownPhaseFolder(name, this.patterns);
        if (!info) {
          // A numbered folder of another name (`01-intro` beside `02-design`): a series of
          // some other kind, unless the parent is named as the workflow.
          if (phaseOfFolderName(name, this.patterns)) other.add(`${e.folder}\u0000${dirname(d)}`);
          continue;
        }
        if (this.gates.hasDir(e.folder, d)) continue;
        const own = ['README.md', 'index.md'].some((n) => this.docAt(e.folder, `${d}/${n}`)?.phase?.folder);
        if (!own) found.push({ folder: e.folder, dir: d, info });
      }
    }
    const siblings = new Map<string, number>();
    const candidates = new Set<string>();
    for (const f of found) {
      const k = `${f.folder}\u0000${dirname(f.dir)}`;
      siblings.set(k, (siblings.get(k) ?? 0) + 1);
      candidates.add(`${f.folder}\u0000${f.dir}`);
    }
    // The parents whose folders hold DDX work (a document with an id or `phase` metadata
    // in one of them, at any depth).
    const ddxParents = new Set<string>();
    for (const k of evidenced) {
      const [folder, start] = k.split('\u0000');
      for (let d = start; d !== ''; d = dirname(d))
        if (candidates.has(`${folder}\u0000${d}`)) ddxParents.add(`${folder}\u0000${dirname(d)}`);
    }
    /**
     * Inside a phase folder (one with a phase document or gate files, or another such
     * folder), or below the folder an instance is at: that instance's documents.
     */
    const inside = (folder: string, parent: string): boolean => {
      const at = (d: string) => `${folder}\u0000${d}`;
      if (phaseDirs.has(at(parent)) || candidates.has(at(parent))) return true;
      if (parent === '') return false;
      for (let a = dirname(parent); a !== ''; a = dirname(a))
        if (phaseDirs.has(at(a)) || homes.has(at(a)) || candidates.has(at(a))) return true;
      return false;
    };
    const artifactsOnly = this.artifactFolders(ddxParents, candidates);
    const out: FolderPhaseEntry[] = [];
    for (const { folder, dir, info } of found) {
      const parent = dirname(dir);
      // Beside phases written as documents or gate files: a gap of that instance (phase
      // folders), or documents that are no phase's (flat `NN-name.md` phases).
      if (homes.has(`${folder}\u0000${parent}`)) continue;
      if (inside(folder, parent)) continue;
      const key = `${folder}\u0000${parent}`;
      // Named as the workflow (`docs/helix/`), or two such folders holding DDX work and no
      // numbered folder of another name (`01-intro/` of a tutorial) beside them.
      const shown =
        namedAsWorkflow(parent ? basename(trimEndSlashes(parent)) : uriName(folder)) ||
        ((siblings.get(key) ?? 0) >= 2 && !other.has(key) && ddxParents.has(key) && !artifactsOnly(key));
      if (!shown) continue;
      // Its URI and path are the folder's, written with a trailing `/` (as a folder's URI
      // is): every report then names it as a folder, not a file.
      out.push(new FolderPhaseEntry(`${joinUri(folder, dir)}/`, folder, dir, this, info));
    }
    out.sort((a, b) => cmp(a.folder, b.folder) || cmp(a.dir, b.dir));
    this.placeDuplicates(out);
    this.folderPhasesKey = key;
    this.folderPhasesCache = out;
    return out;
  }

  /**
   * For a parent of phase-named folders holding DDX work (`ddxParents`): whether that work
   * is the artifacts of a workflow beside it, kept by phase (`process/artifacts/01-diagnose/…`
   * beside `process/cdp/01-diagnose.md`): every document there with an id or `phase`
   * metadata is named by an artifact link of a phase document whose folder shares the
   * parent's own parent (not a template's or a definition's, nor one of another part of
   * the repository), by its path, its file name (no document elsewhere having it) or its
   * id. Such a folder is no instance of its own.
   */
  private artifactFolders(ddxParents: Set<string>, candidates: Set<string>): (key: string) => boolean {
    const memo = new Map<string, boolean>();
    return (key) => {
      let v = memo.get(key);
      if (v !== undefined) return v;
      const [folder, parent] = key.split('\u0000');
      v = ddxParents.has(key) && this.namedAsArtifacts(folder, parent, candidates);
      memo.set(key, v);
      return v;
    };
  }

  private namedAsArtifacts(folder: string, parent: string, candidates: Set<string>): boolean {
    // What the phase documents beside `parent` name as their artifacts: paths, and bare names.
    // (at the top of the workspace folder, no folder stands beside the parent)
    if (parent === '') return false;
    const paths = new Set<string>();
    const names = new Set<string>();
    const above = dirname(parent);
    for (const e of this.docs.values()) {
      const ph = e.phase;
      if (!ph || e.folder !== folder || e.template) continue;
      const home = ph.folder ? dirname(e.dir) : e.dir;
      if (home === parent || home === '' || dirname(home) !== above) continue;
      // A definition's phases (`phases/` with a `workflow.yml` beside) name no one's work.
      if (this.libraryOf(folder, home) !== undefined) continue;
      for (const l of e.artifacts) {
        const t = l.target.replace(/\\/g, '/');
        if (t === '') continue;
        if (t.includes('/')) {
          for (const p of [joinRel(e.dir, t), normalizeRel(t.replace(/^\/+/, ''))])
            if (p !== undefined) paths.add(/\.[a-z0-9]{1,8}$/i.test(p) ? p : `${p}.md`);
        } else {
          const n = slug(stripMdExtension(t));
          // (`[[README]]` names no one document of a folder of them)
          if (n !== '' && n !== 'readme' && n !== 'index') names.add(n);
        }
      }
    }
    if (paths.size === 0 && names.size === 0) return false;
    // Below one of the parent's phase-named folders, at any depth.
    const within = (e: DocEntry) => {
      let d = e.dir;
      while (d !== '' && dirname(d) !== parent) d = dirname(d);
      return d !== '' && candidates.has(`${folder}\u0000${d}`);
    };
    // A name a document elsewhere has too is that one's (the phase's own `diagnosis-report.md`).
    for (const e of this.docs.values())
      if (e.folder === folder && names.size > 0 && !within(e))
        names.delete(slug(stripMdExtension(basename(e.rel))));
    let any = false;
    for (const e of this.docs.values()) {
      if (e.folder !== folder || (e.id === undefined && e.artifactPhase === undefined) || !within(e))
        continue;
      any = true;
      const named =
        paths.has(e.rel) ||
        names.has(slug(stripMdExtension(basename(e.rel)))) ||
        (e.id !== undefined && names.has(slug(e.id)));
      if (!named) return false;
    }
    return any;
  }

  /**
   * For phase documents at `home` in a folder named `phases` or `activities`: the folder
   * above it when it holds a `workflow.yml` (or `.yaml`), the DDX library's definition
   * (`workflows/helix/`); else undefined.
   */
  libraryOf(folder: string, home: string): string | undefined {
    if (!/^(phases|activities)$/i.test(basename(home))) return undefined;
    const lib = dirname(home);
    const at = (name: string) => (lib ? `${lib}/${name}` : name);
    return this.otherFileExists(folder, at('workflow.yml')) ||
      this.otherFileExists(folder, at('workflow.yaml'))
      ? lib
      : undefined;
  }

  /**
   * The configuration of a documentation site (`mkdocs.yml`, `docusaurus.config.js`,
   * Jekyll's `_config.yml`, …) in `dir` or a folder above it within the workspace folder,
   * as a path; undefined when there is none. Numbered pages of such a site that describe
   * phases are pages, not a workflow (`buildWorkflows`).
   */
  siteConfigAbove(folder: string, dir: string): string | undefined {
    for (let d: string | undefined = dir; d !== undefined; d = d === '' ? undefined : dirname(d))
      for (const name of SITE_CONFIGS) {
        const rel = d ? `${d}/${name}` : name;
        if (this.otherFileExists(folder, rel)) return rel;
      }
    return undefined;
  }

  /**
   * Whether a numbered document is a documentation site's page about a phase rather than
   * one: a flat file that does not record a phase (`DocEntry.recordsPhase`) under a site
   * configuration (`siteConfigAbove`).
   */
  isSitePage(e: DocEntry): boolean {
    return !e.recordsPhase && this.siteConfigAbove(e.folder, dirname(e.rel)) !== undefined;
  }

  /** Sets `on` for folder phases whose number another folder beside them claims too. */
  private placeDuplicates(phases: FolderPhaseEntry[]): void {
    const byNumber = new Map<string, FolderPhaseEntry[]>();
    for (const p of phases) {
      const k = `${p.folder}\u0000${dirname(p.dir)}\u0000${p.phase.number}`;
      const list = byNumber.get(k);
      if (list) list.push(p);
      else byNumber.set(k, [p]);
    }
    const dup = new Map<string, FolderPhaseEntry>();
    for (const list of byNumber.values())
      if (list.length > 1) for (const p of list) dup.set(`${p.folder}\u0000${p.dir}`, p);
    if (dup.size === 0) return;
    const best = new Map<FolderPhaseEntry, DocEntry>();
    for (const e of this.docs.values()) {
      for (let d = e.dir; d !== ''; d = dirname(d)) {
        const p = dup.get(`${e.folder}\u0000${d}`);
        if (!p) continue;
        if (standsForItsFolder(e, best.get(p), d)) best.set(p, e);
        break;
      }
    }
    for (const [p, e] of best) p.on = e.uri;
  }

  /** The document at an exact folder-relative path (any case). */
  docAt(folder: string, rel: string): DocEntry | undefined {
    const exact = this.docs.get(joinUri(folder, rel));
    if (exact) return exact;
    const lower = rel.toLowerCase();
    for (const e of this.maps.get(folder)?.atPath(slugPath(stripMdExtension(rel))) ?? [])
      if (e.rel.toLowerCase() === lower) return e;
    return undefined;
  }

  /** The non-markdown files recorded in a folder, as folder-relative paths. */
  otherFileRels(folder: string): string[] {
    return this.maps.get(folder)?.fileRels() ?? [];
  }

  /** Whether anything is indexed inside `uri` taken as a folder (a path that was one). */
  holdsFolder(uri: string): boolean {
    const where = this.locate(uri);
    return (
      where !== undefined &&
      where.rel !== '' &&
      (this.maps.get(where.folder)?.holdsFolder(where.rel) ?? false)
    );
  }

  /** The non-markdown files recorded in a folder, as URIs. */
  otherFileUris(folder: string): string[] {
    return (this.maps.get(folder)?.fileRels() ?? []).map((rel) => joinUri(folder, rel));
  }

  private link(e: DocEntry, keys = true, keepIds = false): void {
    this.maps.get(e.folder)!.add(e, e);
    this.aliases.add(e);
    if (!keepIds) this.ids.add(e);
    if (!keys) return;
    for (const k of e.linkKeys) {
      let s = this.linkers.get(k);
      if (!s) this.linkers.set(k, (s = new Set()));
      s.add(e.uri);
    }
  }

  private unlink(e: DocEntry, keys = true, keepIds = false): void {
    this.maps.get(e.folder)!.remove(e, e);
    this.aliases.remove(e);
    if (!keepIds) this.ids.remove(e);
    if (!keys) return;
    for (const k of e.linkKeys) this.linkers.get(k)?.delete(e.uri);
  }

  /**
   * Resolves a link written in `from` (see README, "Link resolution", and
   * `PathTable.lookup`), and the heading it names.
   */
  resolve(from: DocEntry, link: LinkToResolve): Resolution {
    // Every rule asks about the same links of the document it checks: answer each once
    // per document and index version (any change to the index starts over).
    const scope = this.definitionsVersion();
    if (this.memoFrom !== from || this.memoVersion !== this.version || this.memoScope !== scope) {
      // A new map, not `clear()`: a cleared map's old table stays in the old generation
      // until a full collection, and what it held (a document's answers) is promoted
      // there with it: at 10,000 documents a check piled up 20 MB of such garbage.
      this.memo = new Map();
      this.memoFrom = from;
      this.memoVersion = this.version;
      this.memoScope = scope;
    }
    const known = this.memo.get(link);
    if (
      known !== undefined &&
      known.target === link.target &&
      known.heading === link.heading &&
      known.syntax === link.syntax
    )
      return known.result;
    const result = this.resolveNow(from, link);
    this.memo.set(link, { target: link.target, heading: link.heading, syntax: link.syntax, result });
    return result;
  }

  private memoFrom: DocEntry | undefined;
  private memoVersion = -1;
  private memoScope = -1;
  private memo = new Map<
    object,
    { target: string; heading: string | undefined; syntax: WikiLink['syntax']; result: Resolution }
  >();

  private resolveNow(from: DocEntry, link: LinkToResolve): Resolution {
    const markdown = link.syntax === 'markdown';
    const raw = markdown ? link.target.trim() : wikiName(link.target);
    let result: Resolution;
    if (raw === '') {
      result = { status: 'resolved', target: from, headingMissing: false, candidates: [from] };
    } else if (markdown) {
      // An exact path: a few map lookups, cheaper than a cache key (and no cache to hold).
      const r = this.maps.get(from.folder)!.lookupPath(from.dir, raw);
      if (r.status === 'resolved') {
        result = {
          status: 'resolved',
          target: r.candidates[0],
          headingMissing: false,
          candidates: r.candidates,
        };
        if (r.caseDiffers) result.caseDiffers = true;
      } else result = r;
    } else {
      const cached = this.lookupName(from, this.namesFrom(from), raw);
      if ('entries' in cached) {
        if (cached.at !== this.version) {
          cached.entries = this.currentEntries(cached.entries);
          cached.at = this.version;
        }
        const candidates = cached.entries;
        result = { status: 'resolved', target: candidates[0], headingMissing: false, candidates };
      } else if (cached.status === 'file' && cached.folder && link.source === 'metadata') {
        // A metadata value names a document (a phase, an artifact, a dependency): a folder
        // of documents without a README is not one (`next_phase: "[[cdp/02-prescribe]]"`).
        result = {
          status: 'broken',
          reason: 'it names a folder without a README.md or index.md, not a document',
        };
      } else result = cached;
    }
    if (
      result.status === 'resolved' &&
      link.heading !== undefined &&
      link.heading !== '' &&
      !link.heading.startsWith('^')
    ) {
      // An anchor HTML sets (`<a name="x">`) has no heading to go to. A line anchor is not
      // held against the file's length: the target's line count is no part of what makes
      // other documents' findings change, and GitHub opens the file either way.
      let landing: Landing | undefined;
      if (markdown) landing = anchorLanding(result.target, link.heading);
      else {
        const h = result.target.heading(link.heading);
        if (h) landing = { heading: h };
        else {
          // Obsidian's nested heading link, `[[doc#Parent#Child]]`: read as such only when
          // the text as a whole names no heading (`## C# notes` is still `[[doc#C# notes]]`).
          const segments = headingSegments(link.heading);
          if (segments.length > 1) {
            const p = result.target.headingPath(segments.map((x) => x.text));
            if ('path' in p) {
              result.headingPath = p.path;
              landing = { heading: p.path[p.path.length - 1] };
            } else result.headingFailed = { segment: p.failed, under: p.under };
          }
        }
      }
      if (!landing) result.headingMissing = true;
      else if ('heading' in landing) result.heading = landing.heading;
      else if ('line' in landing) result.line = landing.line;
    }
    return result;
  }

  /**
   * The cached lookups of wikilink names from the folder of `from`. Resolution by name
   * depends only on the linking folder, the set of paths and where the workflow
   * definitions lie (ids they declare are theirs): kept until one of them changes.
   */
  private namesFrom(from: DocEntry): Map<string, CachedLookup> {
    const scope = this.definitionsVersion();
    if (this.cacheVersion !== this.pathsVersion || this.cacheScope !== scope) {
      this.resolveCache.clear();
      this.cacheVersion = this.pathsVersion;
      this.cacheScope = scope;
    }
    // By folder, then linking folder, then target: no key to build per link.
    let inFolder = this.resolveCache.get(from.folder);
    if (!inFolder) this.resolveCache.set(from.folder, (inFolder = new Map()));
    let fromDir = inFolder.get(from.dir);
    if (!fromDir) inFolder.set(from.dir, (fromDir = new Map()));
    return fromDir;
  }

  /** A wikilink name (`raw`, cleaned, not empty) looked up from `from`, through `fromDir` (`namesFrom`). */
  private lookupName(from: DocEntry, fromDir: Map<string, CachedLookup>, raw: string): CachedLookup {
    let cached = fromDir.get(raw);
    if (!cached) {
      const r = this.maps.get(from.folder)!.lookup(from.dir, raw);
      // Entries are replaced on every edit (a change of paths clears the cache): the
      // entries are current for the index version noted, later they give their URIs.
      cached = r.status === 'resolved' ? { entries: r.candidates, at: this.version } : r;
      fromDir.set(raw, cached);
    }
    return cached;
  }

  /**
   * The entries now current for `list` (of an older index version). A list shared by
   * many cached resolutions (see `PathTable.lookup`) gives one list again.
   */
  private currentEntries(list: DocEntry[]): DocEntry[] {
    if (this.currentAt !== this.version) {
      this.current.clear();
      this.currentAt = this.version;
    }
    let now = this.current.get(list);
    if (!now) this.current.set(list, (now = list.map((e) => this.docs.get(e.uri)!)));
    return now;
  }

  private currentAt = -1;
  private readonly current = new Map<DocEntry[], DocEntry[]>();

  /**
   * Every link in the workspace that resolves to `target` (and, with `heading`, to that
   * very heading of it): backlinks, metadata included.
   */
  backlinks(target: DocEntry, heading?: Heading): { from: DocEntry; link: WikiLink }[] {
    // Asked again and again for the same few documents (references, the Links view after
    // each edit): the last answers are kept and brought up to date by re-reading only the
    // documents set since, while the paths are unchanged. An edit of the target itself
    // keeps its answer too (its keys come from its path and id, and a new id is a new
    // path), unless the answer is about one of its headings.
    const cacheKey =
      heading === undefined ? target.uri : `${target.uri}#${target.doc.headings.indexOf(heading)}`;
    const cached = this.backlinkCache.get(cacheKey);
    if (
      cached &&
      cached.paths === this.pathsVersion &&
      cached.scope === this.definitionsVersion() &&
      cached.heading === heading &&
      (cached.target === target || (heading === undefined && cached.target.uri === target.uri))
    ) {
      const changed = cached.version === this.version ? new Set<string>() : this.setSince(cached.version);
      if (changed && (cached.target === target || changed.has(target.uri))) {
        if (changed.size > 0) {
          const keys = target.targetKeys();
          const kept = cached.links.filter((b) => !changed.has(b.from.uri));
          for (const uri of changed) {
            const from = this.docs.get(uri);
            if (!from || from.folder !== target.folder) continue;
            if (from.linkKeys.some((k) => keys.has(k)))
              this.backlinksFrom(from, target, heading, (k) => keys.has(k), kept);
            if (from === target) this.backlinksFrom(target, target, heading, (k) => k === '', kept);
          }
          cached.links = sortBacklinks(kept);
          cached.target = target;
          cached.version = this.version;
        }
        // Refreshed or not, the entry moves to the back of the eviction order.
        this.backlinkCache.delete(cacheKey);
        this.backlinkCache.set(cacheKey, cached);
        return cached.links.slice();
      }
    }
    const out: { from: DocEntry; link: WikiLink }[] = [];
    const keys = target.targetKeys();
    const accept = (key: string) => keys.has(key);
    const seen = keys.size > 1 ? new Set<string>() : undefined;
    for (const k of keys) {
      for (const uri of this.linkers.get(k) ?? []) {
        if (seen) {
          if (seen.has(uri)) continue;
          seen.add(uri);
        }
        const from = this.docs.get(uri);
        if (from && from.folder === target.folder) this.backlinksFrom(from, target, heading, accept, out);
      }
    }
    // `[[#Heading]]` and `[t](#anchor)` links reach only their own document.
    this.backlinksFrom(target, target, heading, (key) => key === '', out);
    sortBacklinks(out);
    this.backlinkCache.delete(cacheKey);
    this.backlinkCache.set(cacheKey, {
      target,
      heading,
      paths: this.pathsVersion,
      scope: this.definitionsVersion(),
      version: this.version,
      links: out,
    });
    if (this.backlinkCache.size > MAX_BACKLINK_ANSWERS)
      this.backlinkCache.delete(this.backlinkCache.keys().next().value!);
    return out.slice();
  }

  private readonly backlinkCache = new Map<
    string,
    {
      target: DocEntry;
      heading: Heading | undefined;
      paths: number;
      /** The definitions' version (`definitionSource`). */
      scope: number;
      version: number;
      links: { from: DocEntry; link: WikiLink }[];
    }
  >();

  /** Adds to `out` the links of `from` whose key passes `accept` and that resolve to `target` (and `heading`). */
  private backlinksFrom(
    from: DocEntry,
    target: DocEntry,
    heading: Heading | undefined,
    accept: (key: string) => boolean,
    out: { from: DocEntry; link: WikiLink }[],
  ): void {
    const linkKeys = from.linkKeys;
    const links = from.doc.links;
    let names: Map<string, CachedLookup> | undefined;
    for (let i = 0; i < links.length; i++) {
      // Only links whose name could reach the target are resolved.
      if (!accept(linkKeys[i])) continue;
      const link = links[i];
      if (link.syntax !== 'markdown') {
        // Most names lead to a nearer namesake: ruled out by the cached lookup alone,
        // before a full resolution (with its heading) is made.
        const raw = wikiName(link.target);
        if (raw !== '') {
          names ??= this.namesFrom(from);
          const cached = this.lookupName(from, names, raw);
          if (!('entries' in cached) || cached.entries[0].uri !== target.uri) continue;
        }
      }
      const r = this.resolve(from, link);
      if (r.status !== 'resolved' || r.target !== target) continue;
      // (a nested heading link names each heading of its path: `[[doc#Parent#Child]]` both)
      if (heading !== undefined && r.heading !== heading && !r.headingPath?.includes(heading)) continue;
      out.push({ from, link });
    }
  }

  /** Documents whose links could resolve to a document named like `uri` (for re-checking). */
  linkersOf(nameKeys: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const k of nameKeys) for (const u of this.linkers.get(k) ?? []) out.add(u);
    return out;
  }

  /**
   * Every document of a folder whose file name (or, for a README, folder name) slugs to
   * `key`, workspace templates aside (a bare name does not reach them).
   */
  named(folder: string, key: string): DocEntry[] {
    return this.maps.get(folder)?.named(key) ?? [];
  }

  /** The workspace templates of a folder (`templates/<key>.md`, `templates/reports/<key>.md`, see `isTemplateFolder`), sorted by path. */
  templates(folder: string, key: string): readonly DocEntry[] {
    return this.maps.get(folder)?.templates(key) ?? [];
  }

  /** URI for a new document at a folder-relative path. */
  uriFor(folder: string, rel: string): string {
    return joinUri(folder, rel);
  }

  /**
   * The folder-relative path, as on disk, of the document or other file `docAt` or
   * `otherFileExists` finds at `rel` (any case); undefined when neither does.
   */
  pathOnDisk(folder: string, rel: string): string | undefined {
    const doc = this.docAt(folder, rel);
    if (doc) return relativePath(folder, doc.uri);
    return this.maps.get(folder)?.fileOnDisk(rel);
  }

  otherFileExists(folder: string, rel: string): boolean {
    return this.maps.get(folder)?.hasFile(rel) ?? false;
  }

  /**
   * Whether a document or other file of a folder has the path `rel` in any case: false
   * means neither `docAt` nor `otherFileExists` finds one (unless `rel` holds `//` or
   * `.` segments, which a URI join normalises). Always true in a folder holding another
   * workspace folder: `docAt` finds that folder's documents by their URI too.
   */
  fileInAnyCase(folder: string, rel: string): boolean {
    if (this.holdsFolders(folder)) return true;
    return this.maps.get(folder)?.inAnyCase(rel) ?? false;
  }

  private holding: Map<string, boolean> | undefined;

  private holdsFolders(folder: string): boolean {
    this.holding ??= new Map();
    let h = this.holding.get(folder);
    if (h === undefined) {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      h = this.folders.some((f) => f !== folder && f.startsWith(prefix));
      this.holding.set(folder, h);
    }
    return h;
  }
}

/** How many `backlinks` answers the index keeps up to date. */
const MAX_BACKLINK_ANSWERS = 32;

/** Backlinks in path order, then by position. */
function sortBacklinks(out: { from: DocEntry; link: WikiLink }[]): { from: DocEntry; link: WikiLink }[] {
  return out.sort(
    (a, b) =>
      cmp(a.from.rel, b.from.rel) ||
      a.link.range.start.line - b.link.range.start.line ||
      a.link.range.start.character - b.link.range.start.character,
  );
}

/** A wikilink name lookup as cached: URIs of the candidates (entries of one index version), or why none. */
type CachedLookup = Exclude<Resolution, { status: 'resolved' }> | { entries: DocEntry[]; at: number };

/** A wikilink target as it is looked up: `\\` as `/`, trimmed. */
function wikiName(target: string): string {
  return (target.includes('\\') ? target.replace(/\\/g, '/') : target).trim();
}

/** The configuration files of documentation site generators (`siteConfigAbove`). */
const SITE_CONFIGS = [
  'mkdocs.yml',
  'mkdocs.yaml',
  'docusaurus.config.js',
  'docusaurus.config.ts',
  'docusaurus.config.mjs',
  'docusaurus.config.cjs',
  '_config.yml',
  '_config.yaml',
  'hugo.toml',
  'hugo.yaml',
  'hugo.yml',
  'hugo.json',
  'book.toml',
  'antora.yml',
  'docfx.json',
  '_quarto.yml',
  '_quarto.yaml',
  'astro.config.mjs',
  'astro.config.ts',
  'astro.config.js',
  'conf.py',
];
const SITE_CONFIG_NAMES = new Set(SITE_CONFIGS);

/** Whether a file is a documentation site's configuration (`mkdocs.yml`, `conf.py`, …): see `isSitePage`. */
export function isSiteConfig(rel: string): boolean {
  return SITE_CONFIG_NAMES.has(basename(rel));
}

function isWorkflowFile(rel: string): boolean {
  return /^workflow\.ya?ml$/i.test(basename(rel)) || SITE_CONFIG_NAMES.has(basename(rel));
}

/** Whether two lists hold the same strings, ignoring order and repeats. */
function sameElements(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (i === a.length) return true;
  }
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const k of sa) if (!sb.has(k)) return false;
  return true;
}

/**
 * What `folderPhases` reads of a document: whether it is a phase (its number, flat or
 * folder, whether it shows it), and the phase its `phase` metadata names (DDX work).
 */
function phaseSignature(e: DocEntry): string {
  const ph = e.phase;
  if (!ph) return `-${e.artifactPhase ?? ''}`;
  // A phase's artifact links decide whether folders of its artifacts kept by phase are an
  // instance of their own (`artifactFolders`).
  return `${ph.number}${ph.folder ? '/' : ''}${e.showsPhase ? '' : '?'}${e.recordsPhase ? '' : '~'}${e.template ? 't' : ''}\u0000${artifactTargets(e)}`;
}

/** A phase's artifact link targets, as the signatures compare them. */
function artifactTargets(e: DocEntry): string {
  return e.artifacts.map((l) => l.target).join('|');
}

/** What `resolve` reads of a link: a `WikiLink`, or as much of one as a lookup needs. */
export type LinkToResolve = Pick<WikiLink, 'target' | 'heading' | 'syntax'> & { source?: WikiLink['source'] };

/** What, if it changes, can change other documents' findings or the workflow model. */
function structureKey(e: DocEntry): string {
  const d = e.doc;
  const ph = e.phase;
  const { previous, next } = chainLinks(d);
  const chain = [
    ...d.links.filter((l) => l.source === 'metadata'),
    ...[previous, next].filter((l) => l !== undefined && l.source === 'body'),
  ]
    .map((l) => `${l!.key}:${l!.target}#${l!.heading ?? ''}`)
    .join('|');
  // The text itself: markdown anchors change with punctuation that slugs ignore.
  const heads = d.headings.map((h) => h.text.toLowerCase()).join('|');
  // `template: true` makes a phase's workflow a definition.
  const template = ph && e.template ? 'template' : '';
  // A phase's artifact links, in the metadata or under an artifacts heading, decide
  // whether folders of its artifacts kept by phase are an instance (`artifactFolders`).
  const artifacts = ph ? artifactTargets(e) : '';
  // Whether a flat phase shows it decides whether its folder's numbered files are a workflow
  // (in a documentation site, whether it records a phase: `siteConfigAbove`).
  const shows = ph ? `${e.showsPhase ? '' : '?'}${e.recordsPhase ? '' : '~'}` : '';
  // A document's `phase` metadata naming a phase makes it that phase's artifact.
  return `${ph ? `${ph.number}:${ph.name}${shows}` : `-${e.artifactPhase ?? ''}`}\n${chain}\n${heads}\n${d.title?.text ?? ''}\n${idStructureKey(d)}\n${template}\n${e.aliasKeys.join('|')}\n${artifacts}`;
}
