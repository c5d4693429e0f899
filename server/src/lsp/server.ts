import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CancellationToken,
  type Connection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkDoneProgressReporter,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../core/analysis';
import { type CdpConfig, defaultConfig, resolveConfig } from '../core/config';
import type { HistoryView } from '../core/dashboard';
import { grepTargets, loadGateInputs } from '../core/gates/inputs';
import { MAX_GATE_FILE_BYTES, type ParsedGateFile } from '../core/gates/parse';
import { keepSearches } from '../core/gates/regex';
import { idStructureKey, paddedSpellings } from '../core/ids';
import { type DocEntry, FolderPhaseEntry, isSiteConfig, WorkspaceIndex } from '../core/index';
import {
  DEFAULT_SLICE_MS,
  FileFilter,
  isTooLarge,
  loadWorkspace,
  tooLargeReason,
  unreadableReason,
} from '../core/load';
import { parseDocument } from '../core/parse/document';
import { canonicalUri, dirname, fileUri, outermostFolders, uriToFsPath } from '../core/paths';
import { linkKey } from '../core/resolve';
import { plural, trimEndSlashes } from '../core/text';
import type { Notice } from '../core/types';
import { instanceRoot, type WorkflowInstance } from '../core/workflow';
import type { FileEntry, Workspace } from '../core/workspace';
import { type ClientSupport, clientSupport, SERVER_COMMANDS } from '../features/client-support';
import { type FeatureContext, type GateCommandHost, throwIfCancelled } from '../features/context';
import { MAX_DIAGNOSTICS_PER_DOCUMENT, toDiagnostics } from '../features/convert';
import { commandWording } from '../features/gate-commands';
import { DEFAULT_COMMAND_TIMEOUT_S, MAX_COMMAND_TIMEOUT_S, runCommand } from '../node/commands';
import { NodeFsWorkspace } from '../node/fs-workspace';
import { readHistory } from '../node/git-history';
import { IndexingNotification, ProgressChangedNotification, WorkspaceTrustedNotification } from '../protocol';
import { diagnosticsFileBytes, readDiagnostics } from './cache-lines';
import { inSkippedFolder, isIndexedPath } from './document-scope';
import { registerFeatures } from './features';
import {
  FILE_OPERATION_FILTERS,
  FILE_OPERATIONS,
  FileEvents,
  noteUnreadFile,
  readDiskDocument,
} from './file-events';
import {
  type CacheContents,
  type CachedFile,
  type CacheKey,
  DiagnosticsWriter,
  type DiskState,
  productKey,
  RACY_MS,
  readCache,
  readCacheInSlices,
  readDiagnosticsHeader,
  statKey,
  worldKey,
  writeCache,
} from './index-cache';
import { publishStoredInWorker, WORKER_PUBLISH_BYTES } from './publish-stored';

/** `file:///a/b.md`: a URI of characters no spelling differs in (already canonical). */
const PLAIN_FILE_URI = /^file:\/\/(?:\/[A-Za-z0-9._~-]+)+$/;

import { SettingsSources } from './settings';
import { inFolders, SingleDocuments } from './single-documents';
import { lendStdout, outputBacklog, PreEncodedJson } from './transport';
import { FolderWatcher } from './watcher';

/** The settings only the editor reads (not `cdp check`), as they may come. */
interface EditorSettings {
  diagnostics?: { debounceMs?: unknown };
  cache?: { enabled?: unknown };
  gates?: { commandTimeout?: unknown };
}

/** Diagnostics published from the last check: how many documents', and when they are written. */
interface Published {
  count: number;
  written: Promise<unknown>;
  /** Written by a worker thread (publish-stored.ts). */
  worker?: boolean;
}

/** Default delay between a keystroke and the diagnostics it causes. */
const DEFAULT_DEBOUNCE_MS = 150;
/** The server's version (also part of the index cache's key). */
const VERSION = '0.1.0';
/** After a start published the last check's diagnostics, how long before they are checked again. */
const VERIFY_DELAY_MS = 1000;
/**
 * How long a loop of the start (the load, the index cache's decoding) runs between turns of
 * the event loop while output waits for the client: each turn hands the pipe only what
 * fits, so the diagnostics published at a start reach the client while the server loads
 * only if the turns come often. The load's default otherwise.
 */
const BACKLOG_SLICE_MS = 2;
const sliceMs = (): number => (outputBacklog() > 0 ? BACKLOG_SLICE_MS : DEFAULT_SLICE_MS);
/** How long the check after such a start runs before it lets other work through. */
const VERIFY_SLICE_MS = 20;
/** The index cache is written this long after indexing, and after the last change. */
const CACHE_SAVE_AFTER_LOAD_MS = 2000;
const CACHE_SAVE_AFTER_CHANGE_MS = 30_000;

/** Diagnostics notifications a full check sends before it waits for them to be written. */
const PUBLISH_BATCH = 64;

/** How long the server waits for a client's answer it cannot go on without (settings, progress). */
const CLIENT_REPLY_MS = 5000;
const TIMED_OUT = Symbol('timed out');

/** The promise's value, or TIMED_OUT when it takes longer than `ms`. */
async function answerWithin<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Whether a workspace folder is the root of a repository (`.git`: a clone, a submodule or
 * a worktree): nested in another folder it stays a root of its own, since its gate paths
 * and confirmations are written relative to it.
 */
function repositoryRoot(folder: string): boolean {
  return existsSync(join(uriToFsPath(folder), '.git'));
}

/**
 * The language server: keeps the index in step with the editor and the disk, publishes
 * diagnostics, and hands a FeatureContext to the feature modules.
 */
/**
 * A workspace folder's URI without a trailing `/` (some clients send `file:///repo/`):
 * every path is made relative to it, and names are taken from its last segment.
 */
function folderUri(uri: string): string {
  return /^file:\/\/[^/]*\/.+\/$/.test(uri) ? trimEndSlashes(uri) : uri;
}

export class CdpServer implements FeatureContext {
  /** The workspace folders that are indexed: the client's, less those inside another. */
  private folders: string[] = [];
  /** The workspace folders as the client named them (canonical `file:` URIs). */
  private requestedFolders: string[] = [];
  /** Workspace folder changes, applied one after another. */
  private folderChanges: Promise<void> = Promise.resolve();
  private fsWorkspace = new NodeFsWorkspace([]);
  private _analysis = new Analysis(new WorkspaceIndex([], defaultConfig()));
  private settings: unknown = {};
  private settingsSources = new SettingsSources(undefined);
  private watcher: FolderWatcher | undefined;
  /** Watch the workspace folders here even when the client offers to (`initializationOptions.watchFiles`). */
  private watchFilesItself = false;
  private _config: CdpConfig = defaultConfig();
  private debounceMs = DEFAULT_DEBOUNCE_MS;
  /**
   * Open documents over the size limit (a marker per version). Their text is dropped and
   * incremental edits to them are not applied: applying one to a 50 MB text copies it
   * whole, and they are never parsed anyway. A full-text change (or reopening) brings a
   * document back.
   */
  private readonly untracked = new WeakSet<TextDocument>();
  /** Of those, documents opened with a text that was no string (a client's error). */
  private readonly textless = new WeakSet<TextDocument>();
  /** Of those, documents without their text: only a change sending all of it brings one. */
  private readonly needsFullText = new WeakSet<TextDocument>();
  private readonly documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => {
      // A client's error: a text that is no string is not taken (its document is kept
      // aside, as one too large, until a full-text change brings a text).
      if (typeof content !== 'string') {
        this.connection.console.warn(
          `${uri}: opened with a text that is not a string (${content === null ? 'null' : typeof content}): its text is ignored until the editor sends all of it again.`,
        );
        const doc = this.untrackedDocument(uri, languageId, version);
        this.textless.add(doc);
        return doc;
      }
      // One too large to index keeps its text while it is not far over the limit (the
      // editor sends changes to it, and one an edit brings back under the limit, an undone
      // paste, is indexed again); further over, its changes are not followed (each would
      // cost as much as the text) until the editor sends all of it again.
      return isTooLarge(content.length, this._config)
        ? this.untrackedDocument(
            uri,
            languageId,
            version,
            this.keepsText(content.length) ? content : undefined,
          )
        : TextDocument.create(uri, languageId, version, content);
    },
    update: (doc, changes, version) => {
      let from = 0;
      if (this.needsFullText.has(doc)) {
        let full = -1;
        for (let i = changes.length - 1; i >= 0 && full === -1; i--) if (!('range' in changes[i])) full = i;
        if (full === -1 || typeof changes[full].text !== 'string') {
          const still = this.untrackedDocument(doc.uri, doc.languageId, version);
          if (this.textless.has(doc)) this.textless.add(still);
          return still;
        }
        doc = TextDocument.create(doc.uri, doc.languageId, version, changes[full].text);
        from = full + 1;
      }
      const updated = TextDocument.update(doc, changes.slice(from), version);
      const length = updated.getText().length;
      if (!isTooLarge(length, this._config)) {
        this.untracked.delete(updated);
        return updated;
      }
      if (this.keepsText(length)) {
        this.untracked.add(updated);
        return updated;
      }
      return this.untrackedDocument(doc.uri, doc.languageId, version);
    },
  });

  /**
   * An open document that is not indexed: too large, with its text when `text` is given,
   * else waiting for the editor to send all of it (too large to follow, or opened without
   * a text).
   */
  private untrackedDocument(uri: string, languageId: string, version: number, text?: string): TextDocument {
    const doc = TextDocument.create(uri, languageId, version, text ?? '');
    this.untracked.add(doc);
    if (text === undefined) this.needsFullText.add(doc);
    return doc;
  }

  /** Whether a document too large to index is kept with its text: up to 4 times the limit. */
  private keepsText(length: number): boolean {
    return length <= 4 * this._config.files.maxFileSizeKB * 1024;
  }
  private readonly fileEvents: FileEvents;
  /** Open documents outside every workspace folder, and `untitled:` ones, each served alone. */
  private readonly single: SingleDocuments;
  /** Canonical URI → its spelling in the client's last message about it (unopened documents). */
  private readonly clientUris = new Map<string, string>();
  /** Open documents: canonical URI → the URI the client opened it with. */
  private readonly openSpellings = new Map<string, string>();
  private readonly published = new Map<string, string>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private isReady = false;
  private progressVersion = 0;
  private settingProblems = '';
  private loadGeneration = 0;
  clientCapabilities: ClientSupport = clientSupport({ capabilities: {} } as InitializeParams);
  /**
   * The client said the user trusts the workspace (`initializationOptions.workspaceTrusted`,
   * `cdp/workspaceTrusted`): only then are gate commands run. Never set back: VS Code
   * restarts the extension host when a workspace loses trust.
   */
  private workspaceTrusted = false;
  private commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_S * 1000;
  /** The gate command running (or the last one): the next starts after it. */
  private commandQueue: Promise<unknown> = Promise.resolve();
  readonly gateCommands: GateCommandHost;
  ruleDocs = '';
  ruleLines: ReadonlyMap<string, number> | undefined;
  notices: Notice[] = [];

  constructor(private readonly connection: Connection) {
    const server = this;
    // Gates are evaluated again at each edit: unchanged files are not searched again.
    keepSearches(true);
    this.fileEvents = new FileEvents({
      get index() {
        return server.index;
      },
      get config() {
        return server._config;
      },
      get disk() {
        return server.fsWorkspace;
      },
      get generation() {
        return server.loadGeneration;
      },
      ready: () => this.ready(),
      isOpen: (uri) => this.openDocument(uri) !== undefined,
      update: (uri, text) => this.update(uri, text),
      otherFileChanged: (uri) => this.otherFileChanged(uri),
      otherFileEdited: (uri) => this.otherFileEdited(uri),
      log: (line) => this.connection.console.info(line),
    });
    this.gateCommands = {
      get trusted() {
        return server.workspaceTrusted;
      },
      get timeoutMs() {
        return server.commandTimeoutMs;
      },
      run: (command, cwd, timeoutMs, token) => {
        const controller = new AbortController();
        const listener = token.onCancellationRequested(() => controller.abort());
        const run = this.commandQueue.then(() => runCommand(command, cwd, timeoutMs, controller.signal));
        this.commandQueue = run.catch(() => undefined);
        return run.finally(() => listener.dispose());
      },
      recorded: (uri) => this.commandRecorded(uri),
    };
    connection.onInitialize((p) => this.initialize(p));
    connection.onNotification(WorkspaceTrustedNotification, () => this.trustGranted());
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((p) => void this.reloadConfiguration(p?.settings));
    connection.onDidChangeWatchedFiles((p) => this.fileEvents.accept(p));
    // The editor's own file operations (explorer, WorkspaceEdit): the same re-check as a watcher
    // event, so a watcher event dropped or late does not leave the index stale.
    for (const method of FILE_OPERATIONS)
      connection.onNotification(method, (p: unknown) => this.fileEvents.acceptFileOperation(method, p));
    connection.onShutdown(async () => {
      if (this.timer) clearTimeout(this.timer);
      void this.watcher?.stop();
      await this.saveCache();
    });
    // (fired before the change of content an opening also is)
    this.documents.onDidOpen((e) => this.documentOpened(e.document.uri));
    this.documents.onDidChangeContent((e) => this.documentChanged(e.document.uri));
    this.documents.onDidClose((e) => void this.documentClosed(e.document.uri));
    this.single = new SingleDocuments({
      get config() {
        return server._config;
      },
      get debounceMs() {
        return server.debounceMs;
      },
      openDocument: (u) => this.documents.get(u),
      untracked: (d) => this.untracked.has(d),
      publish: (u, diagnostics) => {
        this.connection.sendDiagnostics({ uri: u, diagnostics }).catch(() => undefined);
      },
      base: this,
      log: (line) => this.connection.console.info(line),
    });
    registerFeatures(connection, this, this.single);
    this.documents.listen(connection);
  }

  /** The index, with every edited open document parsed (features read it per request). */
  get index() {
    this.parseEdited();
    return this._analysis.index;
  }

  get analysis() {
    this.parseEdited();
    return this._analysis;
  }

  /** The index as it is, edits not yet parsed included (for the server's own bookkeeping). */
  private get current() {
    return this._analysis.index;
  }

  get config() {
    return this._config;
  }

  /** The open document of a URI however it is spelled (canonical, the client's, or another). */
  openDocument(uri: string): TextDocument | undefined {
    const spelled = this.openSpellings.get(uri);
    if (spelled !== undefined) return this.documents.get(spelled);
    const doc = this.documents.get(uri);
    if (doc || this.openSpellings.size === 0 || PLAIN_FILE_URI.test(uri)) return doc;
    const c = canonicalUri(uri);
    const open = c === uri ? undefined : this.openSpellings.get(c);
    return open === undefined ? undefined : this.documents.get(open);
  }

  /**
   * The canonical form of a URI from the client. The spelling is remembered for
   * documents that are not open (an open document keeps the one it was opened with).
   */
  canonical(uri: string): string {
    const c = canonicalUri(uri);
    if (c !== uri && !this.openSpellings.has(c)) {
      const before = this.clientUri(c);
      if (before !== uri) {
        this.clientUris.set(c, uri);
        this.respelled(c, before);
      }
    }
    return c;
  }

  /**
   * The client knows `c` by another spelling than `before` from now on: diagnostics
   * published under `before` are withdrawn there and sent again under the new one (a
   * client that compares URIs as strings would otherwise show both, or keep the old).
   */
  private respelled(c: string, before: string): void {
    if (!this.published.delete(c)) return;
    this.connection.sendDiagnostics({ uri: before, diagnostics: [] }).catch(() => undefined);
    this.pending.add(c);
    this.schedule();
  }

  /** The URI to send the client: an open document's as it was opened, else as last heard. */
  clientUri(uri: string): string {
    return this.openSpellings.get(uri) ?? this.clientUris.get(uri) ?? uri;
  }

  /** A document was opened: its spelling is the one the client knows it by from now on. */
  private documentOpened(clientUri: string): void {
    const c = canonicalUri(clientUri);
    const before = this.clientUri(c);
    this.openSpellings.set(c, clientUri);
    if (before === clientUri) return;
    this.clientUris.delete(c);
    this.respelled(c, before);
  }

  async readyEntry(uri: string, token?: CancellationToken): Promise<DocEntry | undefined> {
    await this.ready(token);
    return this.entry(uri);
  }

  entry(uri: string): DocEntry | undefined {
    return this.index.get(this.canonical(uri));
  }

  notUtf8(uri: string): boolean {
    return this.openDocument(uri) === undefined && this.fsWorkspace.notUtf8(this.canonical(uri));
  }

  /**
   * A file's text for the gate files' grep checks: the editor's while it is open, else
   * the disk's, also for one open but too large to index (`cdp check` reads it too).
   */
  private async searchedText(uri: string): Promise<string | undefined> {
    const open = this.openDocument(uri);
    if (open && !this.untracked.has(open)) return open.getText();
    try {
      return await this.fsWorkspace.readText(uri);
    } catch {
      return undefined;
    }
  }

  async readText(uri: string): Promise<string | undefined> {
    const open = this.openDocument(uri);
    if (open) return this.untracked.has(open) ? undefined : open.getText();
    try {
      return await this.fsWorkspace.readText(uri);
    } catch {
      return undefined;
    }
  }

  warn(message: string): void {
    void this.connection.window.showWarningMessage(message);
  }

  private _identity: string | undefined;

  identity(): string {
    if (this._identity === undefined) {
      let name = process.env.GIT_AUTHOR_NAME?.trim() ?? '';
      if (!name && this.folders.length > 0) {
        try {
          name = execFileSync('git', ['config', 'user.name'], {
            cwd: uriToFsPath(this.folders[0]),
            timeout: 2000,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          }).trim();
        } catch {
          name = '';
        }
      }
      if (!name) {
        try {
          name = userInfo().username;
        } catch {
          name = 'unknown';
        }
      }
      this._identity = name;
    }
    return this._identity;
  }

  history(folder: string, workflows: WorkflowInstance[], limit: number): HistoryView {
    return readHistory(uriToFsPath(folder), workflows, limit, this._config);
  }

  private grepCache: { key: string; set: Map<string, Set<string>> } | undefined;

  /** Files the gate files' grep checks search, with their patterns (cached per change of paths or grep checks). */
  private grepTargetSet(): Map<string, Set<string>> {
    const key = `${this.index.pathsStamp}:${this.index.gates.dirsVersion}:${this.index.gates.grepVersion}`;
    if (this.grepCache?.key !== key) this.grepCache = { key, set: grepTargets(this.index) };
    return this.grepCache.set;
  }

  /** Queues every gate file and the phase document it belongs to (their checks read other files). */
  private queueGates(): void {
    // The confirmations files: what they confirm follows the gate files' manual items.
    for (const uri of this.index.gates.confirmationsUris()) this.pending.add(uri);
    if (this.index.gates.size === 0) return;
    for (const g of this.index.gates.all()) {
      this.pending.add(g.uri);
      const p = this.analysis.phaseOfGateFile(g);
      if (p) {
        this.pending.add(p.uri);
        for (const q of this.analysis.workflowOf(p.uri)?.phases ?? []) this.pending.add(q.uri);
      }
    }
    this.progressDirty = true;
  }

  /**
   * After an edit that changed a document's task states and left the files, the gate
   * files and the workflows alone: queues the gate files of its workflow and of the
   * phases whose gate checks read it, with the phases of those workflows (a phase's
   * completion feeds the next one's gate).
   */
  private queueGateReaders(uri: string): void {
    const phases = new Set(this._analysis.gateReaders(uri));
    phases.add(uri);
    const affected = new Set<DocEntry>();
    for (const p of phases) {
      const w = this._analysis.workflowOf(p);
      if (w) for (const q of w.phases) affected.add(q);
      const e = this.current.get(p);
      if (e) affected.add(e);
      else if (this.current.gates.get(p)) this.pending.add(p);
    }
    for (const q of affected) {
      this.pending.add(q.uri);
      if (q.phase?.folder) for (const g of this.current.gates.inDir(q.folder, q.dir)) this.pending.add(g.uri);
    }
    this.progressDirty = true;
  }

  async listNames(dirUri: string): Promise<string[]> {
    try {
      return await this.fsWorkspace.listNames(dirUri);
    } catch {
      return [];
    }
  }

  async exists(uri: string): Promise<boolean> {
    return (await this.fsWorkspace.stat(uri)) !== undefined;
  }

  canCreate(uri: string): Promise<boolean> {
    return this.fsWorkspace.canCreate(uri);
  }

  // --- Closed documents as they are on disk, for the edits the server proposes ---

  /**
   * File events from the client (`didChangeWatchedFiles`) or the server's own watcher, one
   * batch after the other, so that edits can wait for those already received.
   */
  private receiveFileEvents(changes: FileEvent[]): void {
    this.fileEvents.accept({ changes });
  }

  /** Closed document → hash of the disk text its index entry was parsed from. */
  private readonly diskHashes = new Map<string, string>();

  async syncFromDisk(uris: Iterable<string>, token?: CancellationToken): Promise<string[]> {
    await this.ready(token);
    await this.fileEvents.settled();
    const filter = new FileFilter(this._config);
    const changed: string[] = [];
    for (const uri of new Set(uris)) {
      throwIfCancelled(token);
      const where = this.index.locate(uri);
      if (!where || this.openDocument(uri) || !isIndexedPath(filter, where.rel)) continue;
      let text: string | undefined;
      try {
        text = await this.fsWorkspace.readText(uri);
      } catch {
        text = undefined; // gone or unreadable: no longer a document
      }
      if (text !== undefined && unreadableReason(text, this._config)) text = undefined;
      if (this.openDocument(uri)) continue; // opened meanwhile: the editor's text counts
      const indexed = this.index.get(uri) !== undefined;
      if (text === undefined ? !indexed : indexed && this.diskHashes.get(uri) === hashText(text)) continue;
      this.update(uri, text);
      changed.push(uri);
    }
    if (changed.length > 0) this.connection.console.info(`Re-read from disk: ${changed.join(', ')}`);
    return changed;
  }

  /** Remembers which disk text a closed document's index entry was parsed from. */
  private recordDiskText(uri: string, text: string | undefined): void {
    if (text === undefined) this.diskHashes.delete(uri);
    else if (!this.openDocument(uri)) this.diskHashes.set(uri, hashText(text));
  }

  /** Resolves when indexing is done; rejects with RequestCancelled if the request is cancelled first. */
  async ready(token?: CancellationToken): Promise<void> {
    if (this.isReady) {
      throwIfCancelled(token);
      this.parseEdited();
      return;
    }
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      token?.onCancellationRequested(() => resolve());
    });
    throwIfCancelled(token);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.clientCapabilities = clientSupport(params);
    // Some clients send `workspaceFolders: []` (or null) with a root: the root counts then.
    const folders = params.workspaceFolders?.length
      ? params.workspaceFolders.map((f) => f.uri)
      : params.rootUri
        ? [params.rootUri]
        : params.rootPath
          ? [fileUri(params.rootPath)]
          : [];
    this.requestedFolders = folders
      .map((f) => folderUri(this.canonical(f)))
      .filter((f) => f.startsWith('file:'));
    this.folders = outermostFolders(this.requestedFolders, repositoryRoot);
    this.fsWorkspace = new NodeFsWorkspace(this.folders.map(uriToFsPath));
    // `initializationOptions.settings.cdp`, or `initializationOptions.cdp` for clients whose
    // one settings table is sent both as initializationOptions and to pulls (Helix).
    const init = params.initializationOptions as { settings?: unknown; storagePath?: unknown } | undefined;
    // Where the index cache may be kept (VS Code: the extension's workspace storage folder).
    if (typeof init?.storagePath === 'string' && init.storagePath !== '')
      this.storagePath = init.storagePath.startsWith('file:')
        ? uriToFsPath(init.storagePath)
        : init.storagePath;
    // `watchFiles: true`: watch the folders here even when the client offers to (a client
    // that reports only the changes it makes itself).
    this.watchFilesItself = (init as { watchFiles?: unknown } | undefined)?.watchFiles === true;
    // Gate commands run only for a client that says the user trusts the workspace (exactly `true`).
    this.workspaceTrusted = (init as { workspaceTrusted?: unknown } | undefined)?.workspaceTrusted === true;
    let settings = init?.settings ?? init;
    if (
      init?.settings === undefined &&
      init &&
      ('storagePath' in init || 'watchFiles' in init || 'workspaceTrusted' in init)
    ) {
      const {
        storagePath: _,
        watchFiles: __,
        workspaceTrusted: ___,
        ...rest
      } = init as Record<string, unknown>;
      settings = rest;
    }
    this.settingsSources = new SettingsSources(settings);
    this.settings = this.settingsSources.effective();
    const docs = join(__dirname, '..', '..', 'docs', 'rules.md');
    this.ruleLines = ruleHeadingLines(docs);
    this.ruleDocs = this.ruleLines
      ? pathToFileURL(docs).toString()
      : 'https://github.com/cdp-workflow/cdp-workflow/blob/main/docs/rules.md';
    return {
      capabilities: {
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          save: false,
        },
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        hoverProvider: true,
        completionProvider: {
          // `(` and `/` start or go on with a markdown link's path, unless the client completes those.
          triggerCharacters: [
            '[',
            '#',
            '|',
            '"',
            ...(this.clientCapabilities.markdownPathCompletion ? [] : ['(', '/']),
          ],
          resolveProvider: false,
        },
        // RenameOptions only for a client that announced prepareSupport (the spec's rule).
        renameProvider: this.clientCapabilities.prepareRename ? { prepareProvider: true } : true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        // (CodeActionOptions only for a client that reads CodeAction literals, as the LSP says)
        codeActionProvider: this.clientCapabilities.codeActionLiterals
          ? { codeActionKinds: ['quickfix', 'refactor.rewrite'] }
          : true,
        codeLensProvider: { resolveProvider: false },
        // The code action Command only for a client that gets code actions as Commands.
        executeCommandProvider: {
          commands: Object.values(SERVER_COMMANDS).filter(
            (c) =>
              c !== SERVER_COMMANDS.applyCodeAction ||
              (!this.clientCapabilities.codeActionLiterals && this.clientCapabilities.applyEdit),
          ),
        },
        workspace: {
          workspaceFolders: { supported: true, changeNotifications: true },
          fileOperations: {
            // Documents, folders and the other files links name (images, …): links to
            // each follow it, and a moved document's links to them.
            willRename: { filters: FILE_OPERATION_FILTERS },
            didRename: { filters: FILE_OPERATION_FILTERS },
            didCreate: { filters: FILE_OPERATION_FILTERS },
            didDelete: { filters: FILE_OPERATION_FILTERS },
          },
        },
      },
      serverInfo: { name: 'cdp-workflow', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    // Registration only where the client declared dynamic registration for it.
    if (this.clientCapabilities.configurationRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'cdp' });
    }
    const watchOurselves = (why: string) => {
      if (this.watcher) return;
      this.connection.console.info(`${why}: the server watches the workspace folders.`);
      this.watcher = this.folderWatcher();
    };
    if (this.watchFilesItself) watchOurselves('initializationOptions.watchFiles is set');
    else if (this.clientCapabilities.watchRegistration) {
      // A client that refuses the registration, or never answers it, watches nothing for us.
      answerWithin(
        this.connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*' }],
        }),
        CLIENT_REPLY_MS,
      ).then(
        (r) => {
          if (r === TIMED_OUT)
            watchOurselves('The client did not answer the file-watch registration within 5 s');
        },
        () => watchOurselves('The client refused to watch files'),
      );
    } else watchOurselves('The client does not watch files');
    await this.pullConfiguration();
    this.markConfigured();
    this.single.reconfigure();
    this.logNestedFolders();
    try {
      // One change at a time: each reads the folders the one before left.
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        this.folderChanges = this.folderChanges
          .then(() => this.foldersChanged(e))
          .catch((err) => this.connection.console.error(`Workspace folders not updated: ${String(err)}`));
      });
    } catch {
      // The client sends no folder changes (it declared no workspace folders).
    }
    await this.watchThenIndex();
  }

  private logNestedFolders(): void {
    for (const f of this.requestedFolders)
      if (!this.folders.includes(f))
        this.connection.console.info(
          `${f} lies inside another workspace folder and is no repository of its own: its documents are indexed with that folder.`,
        );
  }

  /**
   * Folders added to or removed from the workspace: the index is built again for the new
   * set (as at a start), open documents move between it and the documents served alone,
   * and the server's own watcher (if any) watches the new set.
   */
  private async foldersChanged(e: WorkspaceFoldersChangeEvent): Promise<void> {
    const removed = new Set(e.removed.map((f) => folderUri(this.canonical(f.uri))));
    const requested = [
      ...this.requestedFolders.filter((f) => !removed.has(f)),
      ...e.added.map((f) => folderUri(this.canonical(f.uri))).filter((f) => f.startsWith('file:')),
    ];
    this.requestedFolders = [...new Set(requested)];
    const folders = outermostFolders(this.requestedFolders, repositoryRoot);
    if (folders.length === this.folders.length && folders.every((f, i) => f === this.folders[i])) return;
    this.folders = folders;
    this.fsWorkspace = new NodeFsWorkspace(this.folders.map(uriToFsPath));
    this.logNestedFolders();
    // Open documents now inside a folder leave the documents served alone (their findings
    // come with the new index); those now outside every folder are served alone after it.
    for (const d of this.documents.all()) {
      const uri = this.canonical(d.uri);
      if (this.single.has(uri) && inFolders(this.folders, uri)) this.single.closed(uri);
    }
    // The findings of documents of a folder removed go now, whatever the next load publishes.
    for (const uri of [...this.published.keys()]) if (!inFolders(this.folders, uri)) this.publish(uri, []);
    if (this.watcher) {
      const old = this.watcher;
      this.watcher = this.folderWatcher();
      await old.stop();
    }
    await this.watchThenIndex();
    for (const d of this.documents.all())
      if (!inFolders(this.folders, this.canonical(d.uri))) this.documentChanged(d.uri);
  }

  private folderWatcher(): FolderWatcher {
    return new FolderWatcher(
      this.folders.map(uriToFsPath),
      () => new FileFilter(this._config),
      (changes) => this.receiveFileEvents(changes),
      (m) => this.connection.console.warn(m),
    );
  }

  /** Applies a pushed `didChangeConfiguration` payload, else pulls when the client can. */
  private async pullConfiguration(pushed?: unknown): Promise<boolean> {
    if (!this.settingsSources.push(pushed) && this.clientCapabilities.configuration) {
      try {
        // Every setting is window-scoped (package.json): one configuration for all folders.
        // A client that never answers must not keep the workspace from being indexed.
        const cdp = await answerWithin(
          this.connection.workspace.getConfiguration({ section: 'cdp' }),
          CLIENT_REPLY_MS,
        );
        if (cdp === TIMED_OUT)
          this.connection.console.warn(
            `No answer to workspace/configuration within ${CLIENT_REPLY_MS / 1000} s: using the settings given at start.`,
          );
        else this.settingsSources.pulled(cdp);
      } catch (e) {
        this.connection.console.warn(`Could not read settings: ${String(e)}`);
      }
    }
    const settings = this.settingsSources.effective();
    const before = JSON.stringify(this.settings);
    this.settings = settings;
    const { config, problems, unknown } = resolveConfig(settings);
    // The editor's own settings, read here: a wrong value is said as the others are.
    const cdp = (settings as { cdp?: EditorSettings }).cdp;
    const flat = cdp?.diagnostics?.debounceMs;
    const debounceOk = typeof flat === 'number' && flat >= 0 && flat <= 10_000;
    if (flat !== undefined && flat !== null && !debounceOk)
      problems.push(
        `cdp.diagnostics.debounceMs: expected a number of milliseconds from 0 to 10000, not ${JSON.stringify(flat)}`,
      );
    const cache = cdp?.cache?.enabled;
    if (cache !== undefined && cache !== null && typeof cache !== 'boolean')
      problems.push(`cdp.cache.enabled: expected true or false, not ${JSON.stringify(cache)}`);
    const timeout = cdp?.gates?.commandTimeout;
    const timeoutOk = typeof timeout === 'number' && timeout > 0 && timeout <= MAX_COMMAND_TIMEOUT_S;
    if (timeout !== undefined && timeout !== null && !timeoutOk)
      problems.push(
        `cdp.gates.commandTimeout: expected a number of seconds above 0 and at most ${MAX_COMMAND_TIMEOUT_S}, not ${JSON.stringify(timeout)}`,
      );
    for (const p of problems) this.connection.console.warn(`Setting ignored: ${p}`);
    // The editor marks unknown keys in settings.json itself: the log only.
    for (const k of unknown) this.connection.console.warn(`Unknown setting ignored: ${k}`);
    const shown = problems.join('\n');
    if (shown !== this.settingProblems) {
      this.settingProblems = shown;
      if (problems.length > 0)
        void this.connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning,
          message: `CDP Workflow: ${problems.length === 1 ? 'a setting is' : `${problems.length} settings are`} ignored (the default is used): ${problems.join('; ')}`,
        });
    }
    this._config = config;
    this.debounceMs = debounceOk ? flat : DEFAULT_DEBOUNCE_MS;
    this.cacheEnabled = cache !== false;
    this.commandTimeoutMs = (timeoutOk ? timeout : DEFAULT_COMMAND_TIMEOUT_S) * 1000;
    return before !== JSON.stringify(settings);
  }

  /** Resolved once `initialized` has read the settings (the first index is built from them). */
  private markConfigured: () => void = () => undefined;
  private readonly configured = new Promise<void>((resolve) => {
    this.markConfigured = resolve;
  });

  private async reloadConfiguration(pushed: unknown): Promise<void> {
    // A change sent while the first settings are read (eglot pushes what it is about to
    // answer) is compared with those, not with none: the same settings index once.
    await this.configured;
    if (!(await this.pullConfiguration(pushed))) return;
    this.single.reconfigure();
    await this.watchThenIndex();
  }

  /**
   * The server's own watcher (if any) is ready before the folders are listed: a file created
   * or changed while they are listed and read then comes as an event, re-checked on disk once
   * indexing is done. Started side by side, indexing could finish before the watcher had
   * looked at a folder, and a file written then was neither listed nor reported.
   */
  private async watchThenIndex(): Promise<void> {
    await this.watcher?.start();
    await this.reindex();
  }

  /** Lists and reads every document again, with work-done progress, then checks everything. */
  private async reindex(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.isReady = false;
    let reporter: WorkDoneProgressReporter | undefined;
    if (this.clientCapabilities.progress) {
      try {
        const created = await answerWithin(this.connection.window.createWorkDoneProgress(), CLIENT_REPLY_MS);
        reporter = created === TIMED_OUT ? undefined : created;
        reporter?.begin('Indexing CDP documents', 0, 'listing files…', false);
      } catch {
        reporter = undefined;
      }
    }
    const started = Date.now();
    let lastReport = 0;
    void this.connection.sendNotification(IndexingNotification, { ready: false, done: 0, total: 0 });
    this.diskHashes.clear();
    this.diskStats.clear();
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    const fsWorkspace = this.fsWorkspace;
    const key = this.cacheKey();
    /** Read once the files are listed (see `filesListed`). */
    let cache = undefined as CacheContents | undefined;
    let hits = 0;
    /** Every text the load read or took from the cache: uri → hash (for the diagnostics cache). */
    const texts = new Map<string, string>();
    const recording: Workspace = {
      folders: fsWorkspace.folders,
      listFiles: (folder, skip, under) => fsWorkspace.listFiles(folder, skip, under),
      stat: (uri) => fsWorkspace.stat(uri),
      // Reads and stats finish synchronously: without this the load would never let the
      // progress messages (or a cancellation) through until it ends.
      yieldToHost: () => fsWorkspace.yieldToHost(),
      sliceMs,
      readText: async (uri) => {
        // With a cache, the file's state before it is read: the cache records that.
        const state = key ? fileState(uri) : undefined;
        const readAt = Date.now();
        const text = await fsWorkspace.readText(uri);
        if (generation === this.loadGeneration) {
          // A document the cache knows, unchanged (the test a cached parse passes): its hash
          // is the one recorded (the files gate checks search are read at every start).
          const known = state && cache?.docs.get(uri)?.state;
          const hash =
            known && known.size === state.size && known.mtimeMs === state.mtimeMs
              ? known.hash
              : hashText(text);
          if (!this.openDocument(uri)) this.diskHashes.set(uri, hash);
          if (key) texts.set(uri, hash);
          if (state) this.diskStats.set(uri, { ...state, readAt, empty: text.trim() === '' });
        }
        return text;
      },
    };
    this.gateStates.clear();
    /**
     * The file's state now when it still has the size and time its cache entry `c` recorded
     * (and this load is the current one); its hash is then the recorded one.
     */
    const stillAsCached = (
      uri: string,
      c: { state: { size: number; mtimeMs: number; hash: string } } | undefined,
    ) => {
      if (!c) return undefined;
      const now = listedStates.get(uri) ?? fileState(uri);
      if (!now || now.size !== c.state.size || now.mtimeMs !== c.state.mtimeMs) return undefined;
      if (generation !== this.loadGeneration) return undefined;
      texts.set(uri, c.state.hash);
      return now;
    };
    let gateHits = 0;
    const cachedGate = key
      ? (f: { uri: string }): ParsedGateFile | undefined => {
          const c = cache?.gates.get(f.uri);
          if (!c || !stillAsCached(f.uri, c)) return undefined;
          gateHits++;
          this.gateStates.set(f.uri, { state: c.state, gate: c.gate });
          return c.gate;
        }
      : undefined;
    /** Documents' and gate files' states taken once they were listed (by publishBeforeCache or publishEarly). */
    const listedStates = new Map<string, { size: number; mtimeMs: number }>();
    /** The diagnostics of the last check, published before the documents were indexed. */
    let early: { world: string; sent: Promise<Published | undefined>; when: string } | undefined;
    // Once the files are listed: the diagnostics of the last check when the files they
    // were computed from look unchanged, then the index cache.
    const filesListed = key
      ? async (docs: readonly FileEntry[], gateFiles: readonly FileEntry[], index: WorkspaceIndex) => {
          if (generation !== this.loadGeneration) return;
          const sent = this.publishBeforeCache(key, docs, gateFiles, index, listedStates);
          if (sent) early = { ...sent, when: 'before the index cache was read' };
          // What was just sent is written while the cache is read.
          cache = await this.readCache(key, sent ? () => fsWorkspace.yieldToHost() : undefined);
        }
      : undefined;
    const listed = key
      ? (docs: readonly FileEntry[], index: WorkspaceIndex) => {
          if (cache && !early && generation === this.loadGeneration) {
            const sent = this.publishEarly(key, cache, docs, index, texts, listedStates);
            if (sent) early = { ...sent, when: 'while indexing' };
          }
        }
      : undefined;
    const cached = key
      ? async (f: { uri: string }) => {
          const c = cache?.docs.get(f.uri);
          const now = stillAsCached(f.uri, c);
          if (!c || !now) return undefined;
          hits++;
          // An open document's entry is replaced by the editor's text after the load.
          if (!this.openDocument(f.uri)) this.diskHashes.set(f.uri, c.state.hash);
          this.diskStats.set(f.uri, {
            size: now.size,
            mtimeMs: now.mtimeMs,
            readAt: c.state.readAt,
            empty: c.empty,
          });
          return { doc: c.doc, empty: c.empty };
        }
      : undefined;
    // The progress ends however this load ends: finished, superseded by a newer load (a
    // settings change while indexing) or failed; a begun progress left open stays in the
    // editor's status bar for good.
    let progressEnded = false;
    const endProgress = () => {
      if (!progressEnded) reporter?.done();
      progressEnded = true;
    };
    try {
      const { index, notices } = await loadWorkspace(recording, this._config, {
        cached,
        cachedGate,
        filesListed,
        listed,
        onProgress: ({ done, total }) => {
          const now = Date.now();
          if (generation === this.loadGeneration && (done === total || now - lastReport > 100)) {
            lastReport = now;
            // the editor shows "title: message": the title already says what is counted
            reporter?.report(Math.floor((done / Math.max(1, total)) * 100), `${done}/${total}`);
            void this.connection.sendNotification(IndexingNotification, { ready: false, done, total });
          }
        },
      });
      if (generation !== this.loadGeneration) return;
      // Gate files read from disk: their state when read, for the cache.
      let gatesRead = 0;
      if (key)
        for (const g of index.gates.all()) {
          if (this.gateStates.has(g.uri)) continue;
          const state = this.diskStats.get(g.uri);
          const hash = texts.get(g.uri);
          if (!state || hash === undefined) continue;
          gatesRead++;
          this.gateStates.set(g.uri, {
            state: { size: state.size, mtimeMs: state.mtimeMs, readAt: state.readAt, hash },
            gate: g.parsed,
          });
        }
      // Open documents: the editor's text wins over the disk's (unless too big or binary).
      this.unparsed.clear();
      let editorTextDiffers = false;
      for (const d of this.documents.all()) {
        const uri = this.canonical(d.uri);
        const where = index.locate(uri);
        if (!where) continue;
        if (key && !editorTextDiffers) {
          const disk = texts.get(uri);
          editorTextDiffers = disk === undefined || this.untracked.has(d) || hashText(d.getText()) !== disk;
        }
        if (index.isGateFile(uri)) {
          // (one in a folder the walk does not enter, `.ddx/`, `node_modules/`, is none)
          if (this.listedGateFile(uri, index)) index.setGateFile(uri, d.getText());
          continue;
        }
        if (index.isConfirmationsFile(uri)) {
          // Read from disk at the start: the editor's text instead.
          index.setConfirmations(uri, d.getText());
          continue;
        }
        if (!isIndexedPath(this._config, where.rel)) continue;
        const text = d.getText();
        if (this.untracked.has(d) || unreadableReason(text, this._config)) index.delete(uri);
        else index.set(uri, text);
      }
      // Command results of the index before (a settings change) stay for the gate files that read the same.
      index.gates.commandWording = commandWording(this.clientCapabilities, this.workspaceTrusted);
      index.gates.adoptCommandResults(this._analysis.index.gates);
      // From here on a folder coming or going re-checks the links to it (`update`).
      index.recordFolderChanges();
      this._analysis = new Analysis(index, true, MAX_DIAGNOSTICS_PER_DOCUMENT);
      this.notices = notices;
      for (const n of notices) this.connection.console.info(`${n.uri}: ${n.message}`);
      endProgress();
      this.connection.console.info(
        `Indexed ${plural(index.size, 'document')} in ${plural(this.folders.length, 'folder')} in ${Date.now() - started} ms` +
          (cache
            ? ` (${hits} unchanged since the index cache was written${gateHits > 0 ? `, and ${plural(gateHits, 'gate file')}` : ''}).`
            : '.'),
      );
      this.cacheDirty =
        !!key &&
        (hits !== index.size || hits !== cache?.docs.size || gatesRead > 0 || gateHits !== cache.gates.size);
      this.isReady = true;
      this.membershipChanges();
      this.definitionsSeen = this._analysis.definitionsStamp;
      this.scheduleCacheSave(CACHE_SAVE_AFTER_LOAD_MS);
      void this.connection.sendNotification(IndexingNotification, {
        ready: true,
        done: index.size,
        total: index.size,
      });
      for (const w of this.waiters.splice(0)) w();
      // The diagnostics of the last full check, when it saw exactly this workspace: published
      // at once, then checked again in the background (never trusted blindly).
      const files = key && !editorTextDiffers ? this.folders.flatMap((f) => [f, ...index.filesOf(f)]) : [];
      const world = key && !editorTextDiffers ? this.worldOf(key, files, texts) : undefined;
      const unchanged = world !== undefined && cache && hits === index.size && hits === cache.docs.size;
      // Published before the documents were indexed: they stand when the workspace indexed is
      // the one they were published for; otherwise the full check below corrects them.
      // Those sent early are all written before anything else is decided: what the client
      // was sent, and what the server records as published, must be the same.
      const earlySent = early ? await early.sent : undefined;
      if (generation !== this.loadGeneration) return;
      const sent = early
        ? unchanged && early.world === world
          ? earlySent
          : undefined
        : unchanged
          ? await this.publishKnown(world)
          : undefined;
      if (generation !== this.loadGeneration) return;
      if (sent) {
        this.connection.console.info(
          `Published the diagnostics of the last check (${plural(sent.count, 'document')}${early ? `, ${early.when}` : ''}${sent.worker ? ', written by a worker thread' : ''}); checking again.`,
        );
        // Checked again once they are written out (a check started before would hold them
        // in the connection's write queue until it ends) and the editor had a moment to
        // take them in, a slice at a time (requests are answered in between).
        this.verifyPending = true;
        void sent.written.then(() => {
          if (this.verifyPending && generation === this.loadGeneration)
            this.verifyTimer = setTimeout(() => this.verifyKnown(generation), VERIFY_DELAY_MS);
        });
      } else await this.publishAll(world, world ? this.statOf(key!, files, texts, index) : undefined);
      if (generation === this.loadGeneration) this.notifyProgress();
    } catch (e) {
      // A load with the caches that fails (whatever they held) is done again without them:
      // the server must not stay "indexing" for good.
      if (!key || generation !== this.loadGeneration) throw e;
      this.cacheFailed = true;
      this.connection.console.warn(
        `Index cache not used: reading with it failed (${e instanceof Error ? e.message : String(e)}); indexing again without it.`,
      );
      endProgress();
      return this.reindex();
    } finally {
      endProgress();
    }
  }

  /**
   * Checks every document and gate file, one at a time (the findings of one are garbage
   * before the next is checked), and publishes what changed. Every few documents it
   * waits until what it sent is written: tens of thousands of notifications sent at once
   * would wait in memory, as objects, for the editor to read them. A newer full check or
   * load stops it (the newer one publishes everything); edits in between are published
   * as usual, and the diagnostics cache is then not written (it would mix two states).
   */
  private async publishAll(world?: string, stat?: { key: string; extra: string[] }): Promise<void> {
    if (this.verifyTimer) clearTimeout(this.verifyTimer);
    this.verifyTimer = undefined;
    this.verifyPending = false;
    const run = ++this.publishRun;
    const generation = this.loadGeneration;
    const analysis = this.analysis;
    const version = analysis.index.version;
    const uris = analysis.index.checkedUris();
    // After a load: the diagnostics are also written for the next start (index-cache.ts).
    let writer: DiagnosticsWriter | undefined;
    try {
      writer = world && this.storagePath ? new DiagnosticsWriter(this.storagePath, world, stat) : undefined;
    } catch (e) {
      this.connection.console.warn(
        `Diagnostics cache not written: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    try {
      let unsent = 0;
      for (const uri of uris) {
        const json = this.publish(uri, analysis.checkUri(uri) ?? []);
        if (json !== undefined) writer?.add(uri, json, this.published.get(uri)!);
        if (this.lastSend && ++unsent >= PUBLISH_BATCH) {
          unsent = 0;
          // The writer sends in order: once the last is written, all before it are.
          await this.lastSend.catch(() => undefined);
          if (run !== this.publishRun || generation !== this.loadGeneration) {
            writer?.abort();
            return;
          }
          if (analysis.index.version !== version) {
            writer?.abort();
            writer = undefined;
          }
        }
      }
      writer?.commit();
    } catch (e) {
      writer?.abort();
      if (writer)
        this.connection.console.warn(
          `Diagnostics cache not written: ${e instanceof Error ? e.message : String(e)}`,
        );
      else throw e;
    }
    // Documents no longer indexed (deleted meanwhile, or before a new load) lose theirs.
    const indexed = new Set(analysis.index.checkedUris());
    for (const uri of [...this.published.keys()]) if (!indexed.has(uri)) this.publish(uri, []);
  }

  /**
   * Checks every document again after diagnostics of the last check were published at a
   * start, as publishAll does, but VERIFY_SLICE_MS at a time. Ends early when a later load
   * or a full check (publishAll) took over.
   */
  private verifyKnown(generation: number): void {
    const uris = this.current.checkedUris();
    let next = 0;
    const slice = () => {
      this.verifyTimer = undefined;
      if (!this.verifyPending || generation !== this.loadGeneration) return;
      const analysis = this.analysis;
      const until = Date.now() + (outputBacklog() > 0 ? BACKLOG_SLICE_MS : VERIFY_SLICE_MS);
      while (next < uris.length && Date.now() < until) {
        const uri = uris[next++];
        this.publish(uri, analysis.checkUri(uri) ?? []);
      }
      if (next < uris.length) {
        this.verifyTimer = setTimeout(slice, 0);
        return;
      }
      // Documents published then but gone since (checkUri above cleared those it met).
      const seen = new Set(this.current.checkedUris());
      for (const uri of [...this.published.keys()]) if (!seen.has(uri)) this.publish(uri, []);
      this.verifyPending = false;
    };
    slice();
  }

  private verifyTimer: NodeJS.Timeout | undefined;
  /** Diagnostics of the last check were published at a start and are yet to be checked again. */
  private verifyPending = false;

  /**
   * Publishes the diagnostics the last full check wrote for this `world`, one document at a
   * time as they are read (cache-lines.ts), or nothing (undefined) when there are none for
   * it. `written`: resolves once they are written to the client.
   *
   * When they are many (WORKER_PUBLISH_BYTES), with nothing published yet and the stdio
   * output free, a worker thread reads, checks and writes them (publish-stored.ts) while
   * this thread goes on with the load; the connection's own messages wait meanwhile.
   * Otherwise (fewer, another transport, a reload) they are read and sent here.
   */
  private async publishKnown(world: string): Promise<Published | undefined> {
    const lent =
      this.published.size === 0 && diagnosticsFileBytes(this.storagePath!) >= WORKER_PUBLISH_BYTES
        ? lendStdout()
        : undefined;
    if (lent) {
      try {
        const r = await publishStoredInWorker(
          {
            dir: this.storagePath!,
            world,
            fd: lent.fd,
            clientUris: [...this.clientUris, ...this.openSpellings],
          },
          (entries) => {
            for (const [uri, hash] of entries) this.published.set(uri, hash);
          },
        );
        if (!r.ok && r.count === 0) return undefined;
        return { count: r.count, written: Promise.resolve(), worker: true };
      } catch (e) {
        // Nothing or whole messages written (each batch is written whole or the output is
        // gone): what was recorded as published was sent. Checked again at once.
        this.connection.console.warn(
          `Could not publish the stored diagnostics in a worker: ${e instanceof Error ? e.message : String(e)}`,
        );
        return this.published.size > 0
          ? { count: this.published.size, written: Promise.resolve() }
          : undefined;
      } finally {
        lent.release();
      }
    }
    let written: Promise<unknown> = Promise.resolve();
    let count = 0;
    // Checked (parsed) as they are read, and sent as the JSON they were read as, not encoded again.
    const ok = readDiagnostics(this.storagePath!, world, (uri, json, _diagnostics, hash, bytes) => {
      if (this.published.get(uri) === undefined && json === '[]') return;
      this.published.set(uri, hash);
      count++;
      written = this.connection.sendDiagnostics({
        uri: this.clientUri(uri),
        diagnostics: new PreEncodedJson(bytes) as unknown as Diagnostic[],
      });
    });
    if (!ok && count === 0) return undefined;
    // Read only in part (changed while it was read): what was published is checked at once.
    return { count, written: written.catch(() => undefined) };
  }

  /** What the findings depend on besides the files: settings and what the client asked for. */
  private worldSettings() {
    return {
      settings: this.settings,
      client: [
        this.ruleDocs,
        this.clientCapabilities.relatedInformation,
        this.clientCapabilities.codeDescription,
        this.folders.map((f) => this.clientUri(f)),
        // how reasons word commands not run; diagnostics with command results (this session's only) never match a start
        commandWording(this.clientCapabilities, this.workspaceTrusted).notRun,
        this.current.gates.hasCommandResults,
      ],
    };
  }

  /** A hash of everything a full check's findings depend on (`worldKey`). */
  private worldOf(key: CacheKey, files: readonly string[], texts: ReadonlyMap<string, string>): string {
    return worldKey({ key, ...this.worldSettings(), files, texts });
  }

  /**
   * The `statKey` of the files whose texts the world holds (their states when read), and
   * those of them that are neither documents nor gate files; undefined when one has no
   * recorded state or was modified less than RACY_MS before it was read.
   */
  private statOf(
    key: CacheKey,
    files: readonly string[],
    texts: ReadonlyMap<string, string>,
    index: WorkspaceIndex,
  ): { key: string; extra: string[] } | undefined {
    const states: [string, number, number][] = [];
    const extra: string[] = [];
    for (const uri of texts.keys()) {
      const s = this.diskStats.get(uri) ?? this.gateStates.get(uri)?.state;
      if (!s || s.readAt - s.mtimeMs < RACY_MS) return undefined;
      states.push([uri, s.size, s.mtimeMs]);
      if (!index.get(uri) && !index.gates.get(uri)) extra.push(uri);
    }
    return { key: statKey({ key, ...this.worldSettings(), files, states }), extra: extra.sort() };
  }

  /**
   * At a start, once every file is listed and before the index cache is read: when no
   * document is open and every file the last full check read has the size and modification
   * time it had then (the documents, the gate files and the others it names), publishes
   * the diagnostics of that check, so the editor takes them in while the cache is read and
   * the documents indexed. They stand only when the world computed after the load is the
   * one they were written for (see reindex). `states`: the file states taken here, for the
   * load to use.
   */
  private publishBeforeCache(
    key: CacheKey,
    docs: readonly FileEntry[],
    gateFiles: readonly FileEntry[],
    index: WorkspaceIndex,
    states: Map<string, { size: number; mtimeMs: number }>,
  ): { world: string; sent: Promise<Published | undefined> } | undefined {
    if (!this.storagePath) return undefined;
    for (const d of this.documents.all()) if (index.locate(this.canonical(d.uri))) return undefined;
    const header = readDiagnosticsHeader(this.storagePath);
    if (!header?.stat) return undefined;
    const seen: [string, number, number][] = [];
    for (const uri of [...docs.map((f) => f.uri), ...gateFiles.map((f) => f.uri), ...header.extra]) {
      const now = fileState(uri);
      if (!now) return undefined;
      seen.push([uri, now.size, now.mtimeMs]);
    }
    // The documents' and gate files' states, for the load to compare with the cache.
    for (let i = 0; i < docs.length + gateFiles.length; i++)
      states.set(seen[i][0], { size: seen[i][1], mtimeMs: seen[i][2] });
    const files = this.filesOnceIndexed(index, docs);
    if (statKey({ key, ...this.worldSettings(), files, states: seen }) !== header.stat) return undefined;
    return { world: header.world, sent: this.publishKnown(header.world) };
  }

  /**
   * At a start from the cache, once every file is listed and the gate files are read: when
   * every document is unchanged since the cache was written (and none is open with another
   * text), publishes the diagnostics of the last check for this workspace right away, so
   * the editor takes them in while the documents are indexed. `states`: the documents'
   * file states taken here, for the load to use.
   */
  private publishEarly(
    key: CacheKey,
    cache: CacheContents,
    docs: readonly FileEntry[],
    index: WorkspaceIndex,
    texts: ReadonlyMap<string, string>,
    states: Map<string, { size: number; mtimeMs: number }>,
  ): { world: string; sent: Promise<Published | undefined> } | undefined {
    if (docs.length !== cache.docs.size) return undefined;
    const hashes = new Map(texts);
    for (const f of docs) {
      const c = cache.docs.get(f.uri);
      if (!c || (f.size !== undefined && isTooLarge(f.size, this._config))) return undefined;
      const now = fileState(f.uri);
      if (!now || now.size !== c.state.size || now.mtimeMs !== c.state.mtimeMs) return undefined;
      states.set(f.uri, now);
      hashes.set(f.uri, c.state.hash);
    }
    for (const d of this.documents.all()) {
      const uri = this.canonical(d.uri);
      if (!index.locate(uri)) continue;
      const disk = hashes.get(uri);
      if (disk === undefined || this.untracked.has(d) || hashText(d.getText()) !== disk) return undefined;
    }
    const world = this.worldOf(key, this.filesOnceIndexed(index, docs), hashes);
    return { world, sent: this.publishKnown(world) };
  }

  /** Every file of each folder (folder first), as the index lists them once `docs` are in it. */
  private filesOnceIndexed(index: WorkspaceIndex, docs: readonly FileEntry[]): string[] {
    return this.folders.flatMap((folder) => {
      const rels = [...index.filesOf(folder)];
      for (const f of docs) {
        const where = index.locate(f.uri);
        if (where?.folder === folder) rels.push(where.rel);
      }
      return [folder, ...rels.sort()];
    });
  }

  /** Changes with every full check (`publishAll`): an older one still running stops. */
  private publishRun = 0;
  /** The last diagnostics notification sent (resolves once written). */
  private lastSend: Promise<void> | undefined;

  /**
   * Publishes a document's diagnostics unless they are the ones published last. Only a
   * hash of those is kept: the diagnostics can be computed again, and keeping them (or
   * their JSON) for every document of a large workspace costs tens of megabytes.
   */
  private publish(uri: string, findings: import('../core/types').Finding[]): string | undefined {
    const diagnostics = toDiagnostics(this, findings);
    const before = this.published.get(uri);
    const force = this.resend.delete(uri);
    let json: string | undefined;
    if (diagnostics.length === 0) {
      if (before === undefined) return undefined;
      this.published.delete(uri);
    } else {
      json = JSON.stringify(diagnostics);
      const key = hashText(json);
      if (before === key && !force) return json;
      this.published.set(uri, key);
    }
    this.lastSend = this.connection.sendDiagnostics({ uri: this.clientUri(uri), diagnostics });
    this.lastSend.catch(() => undefined); // a closed connection: nothing more to tell
    return json;
  }

  private notifyProgress(): void {
    this.progressVersion++;
    void this.connection.sendNotification(ProgressChangedNotification, {
      version: this.progressVersion,
      ready: this.isReady,
    });
  }

  /** Updates one document and queues the documents whose findings can change with it. */
  private update(uri: string, text: string | undefined): void {
    this.unparsed.delete(uri);
    const index = this.current;
    const before = index.get(uri);
    const beforeWf = this._analysis.workflowOf(uri);
    const structure = index.structureVersion;
    const paths = index.pathsStamp;
    // Documents whose id findings (duplicates, dependencies, cycles) could change with this
    // one, as the id table was before the change. Needed only when the document's ids,
    // dependencies or status change: otherwise they are the neighbours it has after the
    // change (queued below when the structure changed), and a keystroke need not find them.
    let idNeighbours: Set<string> | undefined;
    let after: DocEntry | undefined;
    if (text === undefined) {
      if (before) idNeighbours = idNeighboursOf(index, before);
      index.delete(uri);
    } else {
      const doc = parseDocument(uri, text, this._config.parser);
      if (before && idStructureKey(before.doc) !== idStructureKey(doc))
        idNeighbours = idNeighboursOf(index, before);
      after = index.setParsed(uri, doc);
    }
    this.recordDiskText(uri, after ? text : undefined);
    this.diskStats.delete(uri);
    if (!before && !after) return;
    this.cacheDirty = true;
    this.scheduleCacheSave(CACHE_SAVE_AFTER_CHANGE_MS);
    this.pending.add(uri);
    // A folder that got its first file or lost its last: the links to it.
    for (const u of index.linkersOf(index.takeFolderChanges())) this.pending.add(u);
    // Findings of other documents point at this one's title (broken-heading's "the linked
    // document", a phase chain's): when it moves to another line, they follow.
    const titleLine = (e: DocEntry | undefined) => e?.doc.title?.range.start.line;
    if (before && after && titleLine(before) !== titleLine(after)) {
      for (const u of index.linkersOf(after.targetKeys())) this.pending.add(u);
      for (const p of this._analysis.workflowOf(uri)?.phases ?? []) this.pending.add(p.uri);
    }
    const progressChanged = progressKey(before) !== progressKey(after);
    if (index.structureVersion !== structure || progressChanged) {
      const keys = new Set<string>();
      for (const e of [before, after]) if (e) for (const k of e.targetKeys()) keys.add(k);
      if (index.structureVersion !== structure) {
        for (const u of index.linkersOf(keys)) this.pending.add(u);
        for (const u of idNeighbours ?? []) this.pending.add(u);
        if (after) for (const u of idNeighboursOf(index, after)) this.pending.add(u);
      }
      for (const w of [beforeWf, this._analysis.workflowOf(uri)])
        for (const p of w?.phases ?? []) this.pending.add(p.uri);
      // A file can move other phase documents between instances (a link now reaching a
      // nearer document): every phase whose instance changed is checked again.
      if (index.structureVersion !== structure) {
        for (const u of this.membershipChanges()) this.pending.add(u);
        this.queueIfDefinitionsMoved();
      }
    }
    // A criterion's wording alone changed: the Progress view shows it (nothing to re-check).
    this.progressDirty ||=
      progressChanged || index.structureVersion !== structure || !sameTaskTexts(before, after);
    if (index.gates.size > 0) {
      const gatesVersion = index.gates.version;
      const patterns = this.grepTargetSet().get(uri);
      if (patterns && text !== undefined) index.gates.setText(uri, text, undefined, patterns);
      // Not indexed (open but too large to be) yet searched: read as `cdp check` reads it.
      else if (patterns) this.readGateInputs([uri]);
      if (
        index.gates.version !== gatesVersion ||
        index.pathsStamp !== paths ||
        index.structureVersion !== structure
      )
        this.queueGates();
      // Otherwise only its completion can have changed what a gate check reads (anchors
      // follow its headings, part of its structure).
      else if (progressChanged) this.queueGateReaders(uri);
    }
    this.schedule();
  }

  private progressDirty = false;

  // --- The index cache (lsp/index-cache.ts) ---

  private storagePath: string | undefined;
  private cacheEnabled = true;
  /** Each phase document's instance as last checked: its id and members. */
  private membership = new Map<string, string>();

  /** The definitions' version (`Analysis.definitionsStamp`) the published findings were checked against. */
  private definitionsSeen = -1;

  /**
   * Queues every document when the workflow definitions lie elsewhere than before: a
   * definition's ids are its own, so links and dependencies by id anywhere can change.
   * Rare (a `workflow.yml`, a phase's `template: true`), so no finer search.
   */
  private queueIfDefinitionsMoved(): void {
    const stamp = this._analysis.definitionsStamp;
    if (stamp === this.definitionsSeen) return;
    const first = this.definitionsSeen === -1;
    this.definitionsSeen = stamp;
    if (first) return;
    for (const e of this.current.all()) this.pending.add(e.uri);
  }

  /**
   * The phase documents whose instance (its id or members) changed since the last call,
   * among them those that are no phase any more.
   */
  private membershipChanges(): string[] {
    const next = new Map<string, string>();
    const folderPhases = new Set<string>();
    for (const w of this._analysis.workflows()) {
      // With the documents a folder phase's findings go on (`FolderPhaseEntry.on`): a
      // duplicate-phase there moves with them.
      const members = `${w.id}\u0000${w.phases.map((p) => (p instanceof FolderPhaseEntry && p.on ? `${p.uri}>${p.on}` : p.uri)).join('\u0000')}`;
      for (const p of w.phases) {
        next.set(p.uri, members);
        if (p instanceof FolderPhaseEntry) {
          folderPhases.add(p.uri);
          if (p.on) next.set(p.on, `${members}\u0000on`);
        }
      }
      // The documents a folder gap is reported on: their finding comes and goes with it.
      for (const g of w.folderGaps ?? [])
        next.set(g.uri, `${members}\u0000${next.get(g.uri) ?? ''}\u0000gap ${g.dir}`);
    }
    const changed: string[] = [];
    // An instance that came, went or moved its folder (the one its phases share) changes the
    // scope of every document in it: links into it from elsewhere (cross-instance-link) and
    // ids shared with it (duplicate-id) are judged anew, wherever they are written. Rare:
    // every document is checked again.
    const instances = this._analysis
      .workflows()
      .map((w) => `${w.folder}\u0000${w.id}\u0000${instanceRoot(w)}${w.definition ? '\u0000definition' : ''}`)
      .sort()
      .join('\u0001');
    if (instances !== this.instances) {
      const first = this.instances === undefined;
      this.instances = instances;
      if (!first) for (const e of this._analysis.index.all()) changed.push(e.uri);
    }
    for (const [uri, members] of next) if (this.membership.get(uri) !== members) changed.push(uri);
    for (const uri of this.membership.keys()) if (!next.has(uri)) changed.push(uri);
    // A phase that is a folder of documents (its URI the folder's, ending in `/`) that
    // came, went or changed instance: the documents in it are checked again.
    const folders = changed.filter((u) => folderPhases.has(u) || this.folderPhases.has(u));
    this.membership = next;
    this.folderPhases = folderPhases;
    if (folders.length > 0)
      for (const e of this._analysis.index.all())
        if (folders.some((f) => e.uri.startsWith(f))) changed.push(e.uri);
    return changed;
  }
  /** The workflow instances of the last `membershipChanges` (folder, id, instance folder), undefined before the first. */
  private instances: string | undefined;
  /** The phases of the last `membershipChanges` that are folders of documents (their URIs). */
  private folderPhases = new Set<string>();
  /** A load with the caches failed: this process indexes without them from then on. */
  private cacheFailed = false;
  private cacheDirty = false;
  private cacheTimer: NodeJS.Timeout | undefined;
  private cacheSaving: Promise<void> = Promise.resolve();
  /**
   * Gate file → its file's state when read and what it parsed to (for the cache). Used
   * only while the index still holds that very parse: any later reading of the file
   * replaces it.
   */
  private readonly gateStates = new Map<string, { state: DiskState; gate: ParsedGateFile }>();
  /** Closed document → its file's state when the indexed text was read (for the cache). */
  private readonly diskStats = new Map<
    string,
    { size: number; mtimeMs: number; readAt: number; empty: boolean }
  >();

  /** The cache's key, or undefined when there is no cache (no storage folder, or turned off). */
  private cacheKey(): CacheKey | undefined {
    if (!this.storagePath || !this.cacheEnabled || this.cacheFailed || this.folders.length === 0)
      return undefined;
    return { product: productKey(VERSION), parser: this._config.parser, folders: this.folders };
  }

  /** The index cache; with `pause`, read a slice at a time (`readCacheInSlices`). */
  private async readCache(key: CacheKey, pause?: () => Promise<void>): Promise<CacheContents | undefined> {
    const r = pause
      ? await readCacheInSlices(this.storagePath!, key, pause, sliceMs)
      : readCache(this.storagePath!, key);
    if (r.docs) return r;
    if (r.why !== 'none') this.connection.console.info(`Index cache not used: ${r.why}.`);
    return undefined;
  }

  private scheduleCacheSave(ms: number): void {
    if (!this.isReady || !this.storagePath) return;
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => void this.saveCache(), ms);
    this.cacheTimer.unref();
  }

  /** Writes the index cache when the index changed since it was read or written. */
  saveCache(): Promise<void> {
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = undefined;
    this.cacheSaving = this.cacheSaving
      .then(() => this.writeCacheNow())
      .catch((e) => {
        this.connection.console.warn(
          `Index cache not written: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    return this.cacheSaving;
  }

  private async writeCacheNow(): Promise<void> {
    const key = this.cacheKey();
    if (!key || !this.isReady || !this.cacheDirty) return;
    const generation = this.loadGeneration;
    const docs: CachedFile[] = [];
    const unknown: DocEntry[] = [];
    for (const g of this.current.gates.all()) {
      const known = this.gateStates.get(g.uri);
      if (known?.gate === g.parsed) docs.push({ uri: g.uri, state: known.state, gate: g.parsed });
    }
    for (const e of this.current.all()) {
      if (this.openDocument(e.uri) || this.unparsed.has(e.uri)) continue; // the editor's text, not the disk's
      const state = this.diskStats.get(e.uri);
      const hash = this.diskHashes.get(e.uri);
      if (state && hash !== undefined)
        docs.push({ state: { ...state, hash }, empty: state.empty, doc: e.doc });
      else if (hash !== undefined) unknown.push(e);
    }
    // Documents re-read since the load: their state now, taken before a read that shows
    // the text is still the one indexed.
    for (const e of unknown) {
      const state = fileState(e.uri);
      const readAt = Date.now();
      let text: string;
      try {
        text = await this.fsWorkspace.readText(e.uri);
      } catch {
        continue;
      }
      const hash = hashText(text);
      if (!state || generation !== this.loadGeneration || this.current.get(e.uri) !== e) continue;
      if (this.diskHashes.get(e.uri) !== hash) continue;
      const s = { ...state, readAt, empty: text.trim() === '' };
      this.diskStats.set(e.uri, s);
      docs.push({ state: { ...s, hash }, empty: s.empty, doc: e.doc });
    }
    if (generation !== this.loadGeneration) return;
    // Cleared before the write: a change while it is written (it yields between chunks)
    // marks the index dirty again.
    this.cacheDirty = false;
    let written: number | string;
    try {
      written = await writeCache(this.storagePath!, key, docs);
    } catch (e) {
      this.cacheDirty = true;
      throw e;
    }
    this.connection.console.info(
      typeof written === 'number'
        ? `Index cache written: ${plural(written, 'file')} (documents and gate files).`
        : `Index cache not written: ${written}.`,
    );
  }

  private schedule(): void {
    if (!this.isReady) return; // the initial check publishes everything
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  /** Parses the edited open documents, then re-checks the queued documents now. */
  flush(): void {
    this.parseEdited();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    for (const uri of uris) this.publish(uri, this._analysis.checkUri(uri) ?? []);
    if (this.progressDirty) {
      this.progressDirty = false;
      this.notifyProgress();
    }
  }

  /**
   * An open document changed (opened, or edited). It is not parsed here: a burst of
   * keystrokes would re-parse the whole document once per keystroke. It is marked and
   * parsed once, at its latest version, when the debounce timer fires or as soon as a
   * request needs the index (`ready`, `index`, `analysis`), whichever comes first; an
   * edit arriving meanwhile restarts the timer, so superseded versions are never parsed.
   */
  private documentChanged(clientUri: string): void {
    const uri = this.canonical(clientUri);
    if (!inFolders(this.folders, uri)) {
      // Never indexed with the workspace: served alone.
      const doc = this.documents.get(clientUri);
      if (doc) this.single.changed(uri, doc);
      return;
    }
    const where = this.current.locate(uri);
    if (where && this.isGateInput(uri)) {
      // Like a document: read once, at its latest text, not at every keystroke.
      this.unparsed.add(uri);
      this.schedule();
      return;
    }
    // Not a document the server indexes (excluded, not matched, not .md): no findings, no trace.
    if (!where || !isIndexedPath(this._config, where.rel)) return;
    this.unparsed.add(uri);
    this.schedule();
  }

  /** Open documents whose next diagnostics are sent even when they are the ones sent last. */
  private readonly resend = new Set<string>();

  /** Open documents edited since they were last parsed (canonical URIs). */
  private readonly unparsed = new Set<string>();

  /** Parses each edited open document once, at its current text; too big or binary ones are dropped. */
  private parseEdited(): void {
    if (this.unparsed.size === 0 || !this.isReady) return;
    const uris = [...this.unparsed];
    this.unparsed.clear();
    for (const uri of uris) {
      const doc = this.openDocument(uri);
      if (!doc) continue; // closed meanwhile: documentClosed reads the disk
      // Sent again even when unchanged: a client may have dropped them while the document
      // was closed (Emacs's eglot keeps none for unopened files), or keep them at the
      // offsets they had before this edit.
      this.resend.add(uri);
      if (this.isGateInput(uri)) {
        this.gateInputText(uri, doc.getText());
        continue;
      }
      const text = doc.getText();
      const reason = this.textless.has(doc)
        ? 'not indexed while open: the editor sent no text for it'
        : this.untracked.has(doc)
          ? tooLargeReason(this._config)
          : unreadableReason(text, this._config);
      if (reason) {
        this.connection.console.info(`${uri}: ${reason}`);
        this.update(uri, undefined);
      } else this.update(uri, text);
    }
  }

  private async documentClosed(clientUri: string): Promise<void> {
    const uri = canonicalUri(clientUri);
    if (this.openSpellings.get(uri) === clientUri) {
      this.openSpellings.delete(uri);
      // Still the client's spelling of it when its findings change after the close.
      if (uri !== clientUri) this.clientUris.set(uri, clientUri);
    }
    if (this.single.has(uri)) {
      this.single.closed(uri);
      return;
    }
    this.unparsed.delete(uri);
    const where = this.current.locate(uri);
    if (!where) return;
    if (this.isGateInput(uri)) {
      // Closed unsaved or saved: what counts from now on is the disk's.
      const disk = await this.readOptional(uri);
      if (!this.openDocument(uri)) this.gateInputText(uri, disk);
      return;
    }
    if (!isIndexedPath(this._config, where.rel)) return;
    const { text, unread } = await readDiskDocument(this.fsWorkspace, uri, this._config);
    if (this.openDocument(uri)) return; // reopened meanwhile
    this.update(uri, text);
    // Not read from the disk (too large, permission denied): a phase not read, as at the start.
    if (noteUnreadFile(this.current, uri, unread)) this.otherFileChanged(uri);
  }

  /** Queues the documents whose links name this non-markdown file, and re-reads it when it is a gate file. */
  private otherFileChanged(uri: string): void {
    const where = this.index.locate(uri);
    if (!where) return;
    for (const u of this.index.linkersOf([linkKey(where.rel), ...this.index.takeFolderChanges()]))
      this.pending.add(u);
    // A `workflow.yml` makes (or unmakes) a workflow definition.
    this.queueIfDefinitionsMoved();
    // A site's configuration makes (or unmakes) the numbered pages below it a site's pages:
    // their phase findings come or go.
    if (isSiteConfig(where.rel)) {
      const dir = dirname(where.rel);
      for (const e of this.current.all())
        if (e.folder === where.folder && (dir === '' || e.rel.startsWith(`${dir}/`))) this.pending.add(e.uri);
    }
    this.schedule();
    this.gateEvents = this.gateEvents.then(() => this.gateFileEvent(uri)).catch(() => undefined);
  }

  private gateEvents: Promise<void> = Promise.resolve();

  /**
   * A file that is no document changed on disk (`src/login.ts`): a gate file's search
   * (`grep_present`, `grep_absent`, validation rules) that reads it reads it again, and the
   * gates are checked again when its text changed.
   */
  private otherFileEdited(uri: string): void {
    if (this.index.gates.size === 0 || !this.grepTargetSet().has(uri)) return;
    this.readGateInputs([uri]);
  }

  /** Reads again what grep checks search of `uris`; the gates are checked again if it changed. */
  private readGateInputs(uris: string[]): void {
    this.gateEvents = this.gateEvents
      .then(async () => {
        const version = this.index.gates.version;
        await loadGateInputs(this.index, (u) => this.searchedText(u), uris);
        if (this.index.gates.version === version) return;
        this.queueGates();
        this.schedule();
      })
      .catch(() => undefined);
  }

  /** A file changed on disk: a gate file or the confirmations are read again; gate checks re-run. */
  private async gateFileEvent(uri: string): Promise<void> {
    const gateDirs = this.index.gates.dirsVersion;
    const gatesBefore = this.index.gates.size;
    const present = this.index.hasOtherFile(uri);
    if (this.index.isConfirmationsFile(uri)) {
      // While it is open, its text is the editor's (see confirmationsText).
      if (this.openDocument(uri)) return;
      this.index.setConfirmations(uri, present ? await this.readOptional(uri) : undefined);
      this.pending.add(uri); // its findings, also when it is gone
    } else if (this.listedGateFile(uri) && !this.openDocument(uri)) {
      // Something that is no readable file (a FIFO, a symlink leading outside) is there
      // still: read, it is an unreadable gate file, not a deleted one.
      const there = present || (await this.fsWorkspace.lexists(uri));
      await this.readGateFile(uri, !there);
      // Gone: its findings are withdrawn (queueGates queues only the gate files there are).
      if (!there) this.pending.add(uri);
    }
    if (this.index.gates.size === 0 && gatesBefore === 0) return;
    await loadGateInputs(this.index, (u) => this.searchedText(u));
    if (this.index.gates.dirsVersion !== gateDirs) {
      // A folder became (or stopped being) a phase: every finding may change.
      void this.publishAll().then(() => this.notifyProgress());
    } else {
      this.queueGates();
      this.schedule();
    }
  }

  /** The client says the user now trusts the workspace: commands may run, reasons say how. */
  private trustGranted(): void {
    if (this.workspaceTrusted) return;
    this.workspaceTrusted = true;
    this.connection.console.info('The workspace is trusted: gate commands run when asked.');
    const index = this.current;
    const before = index.gates.version;
    index.gates.commandWording = commandWording(this.clientCapabilities, true);
    if (index.gates.version === before) return;
    index.version++;
    this.queueGates();
    this.schedule();
  }

  /** A gate command's result was recorded: the gate file, its phase and the views follow now. */
  private commandRecorded(uri: string): void {
    this.pending.add(uri);
    // as any change of what gate checks read: every gate file and its workflow's phases
    // (a phase's completion feeds the next one's gate)
    this.queueGates();
    this.progressDirty = true;
    this.flush();
  }

  /** A gate file's text changed in the editor (or was closed): re-read it and re-check what depends on it. */
  private gateFileText(uri: string, text: string | undefined): void {
    if (!this.isReady) return; // the initial load reads it
    const dirs = this.index.gates.dirsVersion;
    this.index.setGateFile(uri, text);
    // A gate file that grep checks search (named outright) is searched in the editor's text.
    const own = text === undefined ? undefined : this.grepTargetSet().get(uri);
    if (own) this.index.gates.setText(uri, text, undefined, own);
    const recheck = () => {
      if (this.index.gates.dirsVersion !== dirs) {
        // A folder became (or stopped being) a phase: every finding may change.
        void this.publishAll().then(() => this.notifyProgress());
        return;
      }
      this.pending.add(uri);
      this.queueGates();
      this.schedule();
    };
    // Files its grep checks search that nothing kept answers for (a new path or pattern)
    // are read first: checked before, they would be "not read".
    const gates = this.index.gates;
    for (const [u, patterns] of this.grepTargetSet())
      if (!gates.answersAll(u, patterns)) {
        this.gateEvents = this.gateEvents
          .then(() => loadGateInputs(this.index, (f) => this.searchedText(f), undefined, true))
          .catch(() => undefined)
          .then(recheck);
        return;
      }
    recheck();
  }

  /** A gate file or the confirmations file: read by its text, as a document is (open, its editor's). */
  private isGateInput(uri: string): boolean {
    return this.listedGateFile(uri) || this.current.isConfirmationsFile(uri);
  }

  /**
   * Whether `uri` is a gate file the load reads: named as one, in a folder the walk enters
   * (a library's `.ddx/…/exit-gates.yml`, a package's `node_modules/…/GATE.yaml` are none,
   * changed, opened or not).
   */
  private listedGateFile(uri: string, index: WorkspaceIndex = this.current): boolean {
    if (!index.isGateFile(uri)) return false;
    const where = index.locate(uri);
    if (!where) return false;
    if (this.gateFilter?.config !== this._config)
      this.gateFilter = { config: this._config, filter: new FileFilter(this._config) };
    return !inSkippedFolder(this.gateFilter.filter, where.rel);
  }

  private gateFilter?: { config: CdpConfig; filter: FileFilter };

  /** A gate file's or the confirmations file's text changed in the editor (or it was closed). */
  private gateInputText(uri: string, text: string | undefined): void {
    if (this.current.isGateFile(uri)) this.gateFileText(uri, text);
    else this.confirmationsText(uri, text);
  }

  /** The confirmations file's text changed in the editor (or it was closed): gate checks follow. */
  private confirmationsText(uri: string, text: string | undefined): void {
    if (!this.isReady) return; // the initial load reads it
    this.index.setConfirmations(uri, text);
    this.pending.add(uri);
    this.queueGates();
    this.schedule();
  }

  private async readOptional(uri: string): Promise<string | undefined> {
    try {
      return await this.fsWorkspace.readText(uri);
    } catch {
      return undefined;
    }
  }

  /** Reads a gate file into the index (or forgets it); the first gate file also reads the confirmations. */
  private async readGateFile(uri: string, deleted: boolean): Promise<void> {
    if (deleted) {
      this.index.setGateFile(uri, undefined);
      return;
    }
    const stat = await this.fsWorkspace.stat(uri);
    if (stat && stat.size > MAX_GATE_FILE_BYTES) {
      this.index.setGateFile(uri, undefined, `larger than ${MAX_GATE_FILE_BYTES / 1024} KB`);
    } else {
      try {
        this.index.setGateFile(uri, await this.fsWorkspace.readText(uri));
      } catch (e) {
        // Gone: no gate file. There but unreadable (no permission, a FIFO, a symlink
        // leading outside): its phase cannot pass unread, as `cdp check` has it.
        const code = (e as { code?: string }).code;
        if (code === 'ENOENT' || !(await this.fsWorkspace.lexists(uri)))
          this.index.setGateFile(uri, undefined);
        else this.index.setGateFile(uri, undefined, e instanceof Error ? e.message : String(e));
      }
    }
  }
}

/** SHA-256: faster than SHA-1 or MD5 where the processor has instructions for it (most now). */
function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/**
 * The documents whose id findings can change with `e` (`IdTable.neighbours`), those
 * linking a document whose `superseded_by` or `supersedes` names its id (their
 * superseded-link hints say whether the successor is found), and those linking its id
 * in other zero padding (`[[FEAT-2]]` for `FEAT-002`: their broken-link hints name it).
 */
function idNeighboursOf(index: WorkspaceIndex, e: DocEntry): Set<string> {
  const out = index.ids.neighbours(e);
  for (const x of index.ids.lineageOf(e)) for (const u of index.linkersOf(x.targetKeys())) out.add(u);
  const id = e.doc.ddx?.id?.id;
  if (id !== undefined && /\d/.test(id))
    for (const u of index.linkersOf(paddedSpellings(id).map(linkKey))) out.add(u);
  return out;
}

/** Whether two states of a phase document have the same checklist texts (what the Progress view labels rows with). */
function sameTaskTexts(a: DocEntry | undefined, b: DocEntry | undefined): boolean {
  if (!a?.phase || !b?.phase) return a?.phase === b?.phase;
  const x = a.doc.tasks;
  const y = b.doc.tasks;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i].text !== y[i].text) return false;
  return true;
}

/** What, when it changes, changes the progress views: the task states of a phase document. */
function progressKey(e: DocEntry | undefined): string {
  if (!e?.phase) return '';
  return `${e.phase.number}:${e.doc.tasks.map((t) => (t.checked ? 1 : 0)).join('')}:${e.groups.length}`;
}

/**
 * Size and modification time of a regular file (not followed through a symlink: a
 * symlinked document is always read, where the workspace checks its real path). Read
 * synchronously: a start from the index cache checks thousands of files, and an lstat is a
 * few microseconds where a promise and a thread-pool round trip for each cost more.
 */
function fileState(uri: string): { size: number; mtimeMs: number } | undefined {
  try {
    const s = lstatSync(uriToFsPath(uri), { throwIfNoEntry: false });
    return s?.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The 1-based line of each rule's heading (`## broken-link`) in the rule documentation at
 * `path`, or undefined when it cannot be read (the documentation is then linked online).
 */
function ruleHeadingLines(path: string): Map<string, number> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const lines = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    const m = /^## ([a-z][a-z0-9-]*)\s*$/.exec(l);
    if (m && !lines.has(m[1])) lines.set(m[1], i + 1);
  });
  return lines;
}
