import picomatch from 'picomatch';
import { type CdpConfig, defaultConfig } from './config';
import {
  addSkippedGatePaths,
  addSkippedLinkTargets,
  grepTargetsBeforeLoad,
  loadGateInputs,
  skippedPathTaker,
} from './gates/inputs';
import { MAX_GATE_FILE_BYTES, type ParsedGateFile } from './gates/parse';
import { freeAnswers, type SearchResult } from './gates/regex';
import { CONFIRMATIONS_FILE } from './gates/store';
import { globMatcher } from './glob';
import { WorkspaceIndex } from './index';
import { parseDocument } from './parse/document';
import { basename, joinUri, relativePath } from './paths';
import type { Notice, ParsedDocument } from './types';
import { type Cancellation, type FileEntry, NEVER_CANCELLED, type Workspace } from './workspace';

/** How long the load runs between calls to `yieldToHost` when the host does not say. */
export const DEFAULT_SLICE_MS = 15;

/** Decides which files of a folder are indexed, from `cdp.files.include` / `exclude`. */
export class FileFilter {
  private readonly include: (p: string) => boolean;
  private readonly exclude: (p: string) => boolean;
  /** Matches a folder when an exclude pattern names everything inside it (`dir` + `/**`). */
  private readonly excludeAllInside: (p: string) => boolean;

  constructor(config: CdpConfig) {
    const opts = { dot: true, nocase: true };
    // resolveConfig reports globs picomatch refuses; here they fall back, never throw.
    const usable = (globs: string[], fallback: string[]): string[] => {
      try {
        picomatch(globs, opts);
        return globs;
      } catch {
        return fallback;
      }
    };
    const defaults = defaultConfig().files;
    const include = usable(config.files.include, defaults.include);
    const exclude = usable(config.files.exclude, defaults.exclude);
    this.include = globMatcher(include, opts);
    this.exclude = globMatcher(exclude, opts);
    const folders = usable(
      exclude.flatMap((p) => {
        const m = /^(.+?)\/\*\*(?:\/\*)?\/?$/.exec(p);
        return m ? [m[1]] : [];
      }),
      [],
    );
    this.excludeAllInside = folders.length > 0 ? globMatcher(folders, opts) : () => false;
  }

  /**
   * A folder the walk must not enter: its own path is excluded, or an exclude pattern
   * covers every path inside it. Other folders are entered and their files filtered one
   * by one (a pattern for the name x in any folder excludes x, not every folder).
   */
  skipDirectory(rel: string): boolean {
    return this.exclude(rel) || this.excludeAllInside(rel);
  }

  isDocument(rel: string): boolean {
    return /\.md$/i.test(rel) && this.include(rel) && !this.exclude(rel);
  }
}

/** Whether a text of `length` characters is over `cdp.files.maxFileSizeKB`. */
export function isTooLarge(length: number, config: CdpConfig): boolean {
  return length > config.files.maxFileSizeKB * 1024;
}

export function tooLargeReason(config: CdpConfig): string {
  return `skipped: larger than cdp.files.maxFileSizeKB (${config.files.maxFileSizeKB} KB)`;
}

/** A document's text is indexed only when it is not too large and not binary. */
export function unreadableReason(text: string, config: CdpConfig): string | undefined {
  if (isTooLarge(text.length, config)) return tooLargeReason(config);
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  if (head.includes('\u0000')) return 'skipped: binary content (NUL bytes), not a markdown document';
  return undefined;
}

export interface LoadProgress {
  done: number;
  total: number;
}

export interface LoadResult {
  index: WorkspaceIndex;
  notices: Notice[];
}

/** What the load keeps of a document grep checks search: its text, or the answers it gave. */
type KeptInput = string | ReadonlyMap<string, SearchResult>;

/** What reading one document gave: its summary, or why it is not indexed. */
export type LoadedDocument =
  /**
   * For a file gate checks search (`keep` of `readDocument`), so that it is not read
   * twice: `answers`, what the patterns searched in it found, when each costs nothing
   * (`freeAnswers`); else its `text`.
   */
  | {
      uri: string;
      doc: ParsedDocument;
      empty: boolean;
      text?: string;
      answers?: Map<string, SearchResult>;
    }
  /** Not read or not a document (too large, binary): it exists, links to it resolve. */
  | { uri: string; skipped: string }
  /**
   * The read failed: `gone`, the file no longer exists (deleted since it was listed);
   * otherwise it is there but cannot be read (permission denied), and links to it resolve.
   */
  | { uri: string; error: string; gone?: true };

/**
 * Reads and parses documents somewhere else (the CLI's worker threads): answers one
 * result per file, in the order given. `loadWorkspace` uses it instead of reading the
 * documents itself; what it gives must be what `readDocument` gives.
 */
export type DocumentLoader = (
  files: readonly FileEntry[],
  onProgress: (done: number) => void,
  /** Documents grep checks search, with their patterns (`keep` of `readDocument`). */
  keep?: ReadonlyMap<string, ReadonlySet<string>>,
) => Promise<LoadedDocument[]>;

/**
 * Reads and parses one document of a listing; never throws. `keep`: the patterns grep
 * checks search in it, whose answers (or, for patterns the engine runs, the text) the
 * result carries too.
 */
export async function readDocument(
  ws: Workspace,
  f: FileEntry,
  config: CdpConfig,
  keep?: ReadonlySet<string>,
): Promise<LoadedDocument> {
  try {
    if (f.size !== undefined && isTooLarge(f.size, config))
      return { uri: f.uri, skipped: tooLargeReason(config) };
    const text = await ws.readText(f.uri);
    const reason = unreadableReason(text, config);
    if (reason) return { uri: f.uri, skipped: reason };
    const r: LoadedDocument = {
      uri: f.uri,
      doc: parseDocument(f.uri, text, config.parser),
      empty: text.trim() === '',
    };
    if (keep) {
      const answers = freeAnswers(text, keep);
      if (answers) r.answers = answers;
      else r.text = text;
    }
    return r;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { uri: f.uri, error: message(e), gone: true };
    return { uri: f.uri, error: message(e) };
  }
}

/**
 * Puts one read document into the index (and its notice, if any, into `notices`; the
 * text or answers it carries for grep checks into `kept`).
 */
function addLoaded(
  index: WorkspaceIndex,
  r: LoadedDocument,
  notices: Notice[],
  kept: Map<string, KeptInput>,
): void {
  if ('doc' in r) {
    if (r.empty) notices.push({ uri: r.uri, message: 'empty document' });
    index.setParsed(r.uri, r.doc);
    if (r.answers !== undefined) kept.set(r.uri, r.answers);
    else if (r.text !== undefined) kept.set(r.uri, r.text);
  } else if ('skipped' in r) {
    index.addOtherFile(r.uri, true, r.skipped);
    notices.push({ uri: r.uri, message: r.skipped });
  } else {
    // There but not readable (permission denied): a file not read, as one too large is.
    if (!r.gone) index.addOtherFile(r.uri, true, r.error);
    notices.push({ uri: r.uri, message: `cannot read: ${r.error}` });
  }
}

/**
 * A document the cache knows unchanged, as if it had been read; undefined when it must be
 * read (no cache, not in it, too large under today's settings, or the cache failed).
 */
async function fromCache(
  cached: ((file: FileEntry) => Promise<{ doc: ParsedDocument; empty: boolean } | undefined>) | undefined,
  f: FileEntry,
  config: CdpConfig,
): Promise<LoadedDocument | undefined> {
  if (!cached || (f.size !== undefined && isTooLarge(f.size, config))) return undefined;
  try {
    const hit = await cached(f);
    return hit ? { uri: f.uri, ...hit } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lists and reads every document of every workspace folder into a new index. Never
 * throws for a bad file: unreadable, oversized or binary files become notices.
 */
export async function loadWorkspace(
  ws: Workspace,
  config: CdpConfig,
  opts: {
    onProgress?: (p: LoadProgress) => void;
    token?: Cancellation;
    concurrency?: number;
    /** Reads and parses the documents instead of this thread (when it pays off). */
    loader?: DocumentLoader;
    /**
     * A document parsed before and known unchanged (the server's index cache): used
     * instead of reading and parsing the file. `empty`: its text was only white space.
     */
    cached?: (file: FileEntry) => Promise<{ doc: ParsedDocument; empty: boolean } | undefined>;
    /** Likewise a gate file parsed before and known unchanged: used instead of reading it. */
    cachedGate?: (file: FileEntry) => ParsedGateFile | undefined;
    /**
     * Called once every file is listed and the gate files are read, before any document
     * is: `docs` are the documents to read; the index holds every other file.
     */
    listed?: (docs: readonly FileEntry[], index: WorkspaceIndex) => void;
    /**
     * Called once every file is listed, before anything is read: `docs` are the documents
     * to read, `gateFiles` the gate files; the index holds every file but the documents.
     */
    filesListed?: (
      docs: readonly FileEntry[],
      gateFiles: readonly FileEntry[],
      index: WorkspaceIndex,
    ) => void | Promise<void>;
  } = {},
): Promise<LoadResult> {
  const token = opts.token ?? NEVER_CANCELLED;
  const index = new WorkspaceIndex(ws.folders, config);
  const filter = new FileFilter(config);
  const notices: Notice[] = [];
  const docs: FileEntry[] = [];
  const gateFiles: FileEntry[] = [];
  /** The folders the listing did not enter, by workspace folder. */
  const skipped = new Map<string, Set<string>>();
  for (const folder of ws.folders) {
    let files: FileEntry[];
    const notEntered = new Set<string>();
    skipped.set(folder, notEntered);
    try {
      files = await ws.listFiles(folder, (rel) => {
        const skip = filter.skipDirectory(rel);
        if (skip) notEntered.add(rel);
        return skip;
      });
    } catch (e) {
      notices.push({ uri: folder, message: `cannot list folder: ${message(e)}` });
      continue;
    }
    for (const f of files) {
      const rel = relativePath(folder, f.uri);
      if (rel === undefined) continue;
      if (f.folderLink) {
        notEntered.add(rel);
        continue;
      }
      if (f.unusable !== undefined) {
        // An unreadable gate file is its phase's invalid-gate-file; anything else a notice,
        // and a document (a name not valid UTF-8) a file not read, as one too large is.
        if (index.isGateFile(f.uri)) gateFiles.push(f);
        else {
          if (!f.folder && filter.isDocument(rel)) index.addOtherFile(f.uri, true, f.unusable);
          notices.push({ uri: f.uri, message: f.unusable });
        }
        continue;
      }
      if (filter.isDocument(rel)) docs.push(f);
      // Other files (and markdown files that are not documents) are link targets too.
      else {
        index.addOtherFile(f.uri);
        if (index.isGateFile(f.uri)) gateFiles.push(f);
      }
    }
  }
  await opts.filesListed?.(docs, gateFiles, index);
  await readGateFiles(ws, index, gateFiles, opts.cachedGate);
  // Whether a path lies in a folder the listing did not enter (checked a segment at a time).
  const skip = (folder: string, rel: string): boolean => {
    const dirs = skipped.get(folder);
    if (!dirs || dirs.size === 0) return false;
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1))
      if (dirs.has(rel.slice(0, i))) return true;
    return dirs.has(rel);
  };
  const take = skippedPathTaker(ws, index);
  if (index.gates.size > 0) await addSkippedGatePaths(index, skip, take);
  opts.listed?.(docs, index);
  // Documents that grep checks search are kept as read, for `loadGateInputs` below.
  // Found when a document is first read (documents from the cache have no text to keep).
  let keep: Map<string, Set<string>> | undefined | null = null;
  const keepOf = () => {
    if (keep === null) keep = index.gates.size > 0 ? grepTargetsBeforeLoad(index, docs) : undefined;
    return keep;
  };
  const kept = new Map<string, KeptInput>();
  const total = docs.length;
  if (opts.loader) {
    const loaded = await opts.loader(docs, (done) => opts.onProgress?.({ done, total }), keepOf());
    for (const r of loaded) addLoaded(index, r, notices, kept);
  } else {
    let done = 0;
    let next = 0;
    let lastYield = Date.now();
    const sliceMs = () => ws.sliceMs?.() ?? DEFAULT_SLICE_MS;
    /** The turn the host is given now: every loop below waits for it, not only the one whose slice ended. */
    let yielding: Promise<void> | undefined;
    const worker = async () => {
      while (next < docs.length && !token.isCancellationRequested) {
        if (yielding) {
          await yielding;
          continue;
        }
        const f = docs[next++];
        const hit = await fromCache(opts.cached, f, config);
        addLoaded(index, hit ?? (await readDocument(ws, f, config, keepOf()?.get(f.uri))), notices, kept);
        done++;
        opts.onProgress?.({ done, total });
        // Reads may complete synchronously: let other work (a cancellation, a progress
        // message, output waiting to leave) through now and then. The loops run as one:
        // were each to yield on its own, the others would go on in the same turn and the
        // host would get one turn per slice of every loop.
        if (!yielding && Date.now() - lastYield > sliceMs()) {
          yielding = (ws.yieldToHost ? ws.yieldToHost() : Promise.resolve()).then(() => {
            yielding = undefined;
            lastYield = Date.now();
          });
          await yielding;
        }
      }
    };
    const n = Math.max(1, Math.min(opts.concurrency ?? 16, docs.length));
    await Promise.all(Array.from({ length: n }, worker));
  }
  // Only a link naming one of the skipped folders can lead into one: most are not looked at.
  const skippedNames = new Set<string>();
  for (const dirs of skipped.values()) for (const d of dirs) skippedNames.add(basename(d));
  if (skippedNames.size > 0) await addSkippedLinkTargets(index, skip, take, [...skippedNames]);
  if (index.gates.size > 0)
    await loadGateInputs(
      index,
      (uri) => {
        const text = kept.get(uri);
        return typeof text === 'string' ? Promise.resolve(text) : ws.readText(uri);
      },
      undefined,
      false,
      (uri) => {
        const answers = kept.get(uri);
        return typeof answers === 'object' ? answers : undefined;
      },
    );
  // (a closure of this call that outlives it would keep them)
  kept.clear();
  notices.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return { index, notices };
}

/**
 * Reads the gate files found (or takes them from `cached`), and each folder's
 * confirmations file.
 */
async function readGateFiles(
  ws: Workspace,
  index: WorkspaceIndex,
  files: FileEntry[],
  cached: ((file: FileEntry) => ParsedGateFile | undefined) | undefined,
): Promise<void> {
  for (const f of files) {
    if (f.unusable !== undefined) {
      index.setGateFile(f.uri, undefined, f.unusable);
      continue;
    }
    if (f.size !== undefined && f.size > MAX_GATE_FILE_BYTES) {
      index.setGateFile(f.uri, undefined, `larger than ${MAX_GATE_FILE_BYTES / 1024} KB`);
      continue;
    }
    let hit: ParsedGateFile | undefined;
    try {
      hit = cached?.(f);
    } catch {
      hit = undefined;
    }
    if (hit) {
      index.setParsedGateFile(f.uri, hit);
      continue;
    }
    try {
      const text = await ws.readText(f.uri);
      index.setGateFile(f.uri, text);
    } catch (e) {
      // Gone since it was listed: no gate file. Otherwise its phase cannot pass unread.
      if ((e as { code?: string }).code !== 'ENOENT') index.setGateFile(f.uri, undefined, message(e));
    }
  }
  // Read with or without gate files: its entries naming gate files no longer there are stale.
  for (const folder of ws.folders) {
    const uri = joinUri(folder, CONFIRMATIONS_FILE);
    let text: string | undefined;
    try {
      text = await ws.readText(uri);
    } catch {
      text = undefined; // no confirmations yet
    }
    if (text !== undefined) index.setConfirmations(uri, text);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
