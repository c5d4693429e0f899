import type {
  ClientCapabilities,
  Diagnostic,
  InitializeParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../../server/src/core/analysis';
import { resolveConfig } from '../../server/src/core/config';
import type { HistoryView } from '../../server/src/core/dashboard';
import { loadWorkspace } from '../../server/src/core/load';
import { canonicalUri, relativePath } from '../../server/src/core/paths';
import type { WorkflowInstance } from '../../server/src/core/workflow';
import { type ClientSupport, clientSupport } from '../../server/src/features/client-support';
import type { FeatureContext, GateCommandHost } from '../../server/src/features/context';
import { toDiagnostic } from '../../server/src/features/convert';
import { answer } from '../../server/src/features/requests';
import { featureRequest } from '../../server/src/features/table';
import { isIndexedPath } from '../../server/src/lsp/document-scope';
import { MemoryWorkspace, ROOT } from './memory-workspace';

/** The marker a fixture puts where the cursor is; removed from the text before indexing. */
export const CURSOR = '$$CURSOR$$';

export interface InProcess {
  ctx: FeatureContext;
  ws: MemoryWorkspace;
  /** The URI of a folder-relative path (in the first folder). */
  uri(rel: string): string;
  /** The folder-relative path of a URI (the URI itself when outside the first folder). */
  rel(uri: string): string;
  /** Where `$$CURSOR$$` was, when one fixture file had it. */
  cursor?: { uri: string; position: { line: number; character: number } };
  /** A request by its LSP (or `cdp/…`) method, answered as the server answers it, in-process. */
  request<R>(method: string, params: unknown): Promise<R>;
  /** The warnings the features showed the user (`FeatureContext.warn`), in order. */
  warnings: string[];
  /** The editor opens a document with this text (version 1). */
  open(uri: string, text: string): Promise<void>;
  /** The editor changes an open document; gives its new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number>;
  /** The editor closes a document: the disk's text counts again. */
  close(uri: string): Promise<void>;
  /** Writes a file on the "disk" (not re-indexed until a request reads it from disk). */
  writeFile(rel: string, text: string): void;
  /** The diagnostics the server would publish for a document now. */
  diagnosticsOf(uri: string): Diagnostic[];
  /** `diagnosticsOf`, asserted to satisfy `test` (the in-process index is always up to date). */
  waitForDiagnostics(uri: string, test: (d: Diagnostic[]) => boolean, what?: string): Promise<Diagnostic[]>;
}

const CLIENT: ClientSupport = {
  configuration: false,
  configurationRegistration: false,
  watchRegistration: false,
  progress: false,
  showDocument: false,
  relatedInformation: true,
  codeDescription: true,
  documentChanges: false,
  createFiles: false,
  renameFiles: false,
  lineFragmentLinks: false,
  markdownPathCompletion: false,
  clientCommands: new Set(),
  plainHover: false,
  hierarchicalSymbols: true,
  prepareRename: true,
  codeActionLiterals: true,
  applyEdit: true,
  labelDetails: true,
  filterText: true,
  linkTooltips: true,
  preferredActions: true,
  symbolKinds: new Set(Array.from({ length: 26 }, (_, i) => i + 1)),
};

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/**
 * A `FeatureContext` over an in-memory workspace, for calling the LSP feature handlers
 * as plain functions, no server process. The workspace map is the disk; the editor's
 * open documents are kept apart, as in the server: with `openAll` (the default) every
 * file is open with its text, else none is until `open`. `capabilities` are the LSP
 * client capabilities (read as the server reads them), `client` overrides single ones.
 */
export async function featureContext(
  files: Record<string, string>,
  opts: {
    settings?: unknown;
    client?: Partial<ClientSupport>;
    capabilities?: ClientCapabilities;
    openAll?: boolean;
    /** The URI of the workspace folder holding `files` (`ROOT` unless given). */
    root?: string;
    /** More workspace folders (folder URI → files). */
    folders?: Record<string, Record<string, string>>;
    history?: (folder: string, workflows: WorkflowInstance[], limit: number) => HistoryView;
    /** Runs gate commands (the server's GateCommandHost); none when absent. */
    gateCommands?: GateCommandHost;
  } = {},
): Promise<InProcess> {
  const clean: Record<string, string> = {};
  let cursor: InProcess['cursor'];
  const root = opts.root ?? ROOT;
  const ws0 = new MemoryWorkspace({}, [root]);
  for (const [rel, text] of Object.entries(files)) {
    const at = text.indexOf(CURSOR);
    if (at >= 0) {
      if (cursor) throw new Error(`two ${CURSOR} markers`);
      cursor = { uri: ws0.uri(rel), position: positionOf(text, at) };
    }
    clean[rel] = text.replace(CURSOR, '');
  }
  const folders = [root, ...Object.keys(opts.folders ?? {})];
  const ws = new MemoryWorkspace(clean, folders);
  for (const [folder, more] of Object.entries(opts.folders ?? {})) {
    for (const [rel, text] of Object.entries(more)) ws.files.set(ws.uri(rel, folder), text);
  }
  const { config, problems } = resolveConfig(opts.settings ?? {});
  if (problems.length > 0) throw new Error(problems.join('; '));
  const { index } = await loadWorkspace(ws, config);
  const analysis = new Analysis(index);
  const open = new Map<string, TextDocument>();
  /** The disk text each closed document's index entry was read from. */
  const indexedDisk = new Map(ws.files);
  const client: ClientSupport = {
    ...(opts.capabilities ? clientSupport({ capabilities: opts.capabilities } as InitializeParams) : CLIENT),
    ...opts.client,
  };
  /** The index takes a document's text (undefined: gone), as the server's update does. */
  const setText = (uri: string, text: string | undefined) => {
    const where = index.locate(uri);
    if (!where) return;
    if (index.isGateFile(uri)) index.setGateFile(uri, text);
    else if (isIndexedPath(config, where.rel)) {
      if (text === undefined) index.delete(uri);
      else index.set(uri, text);
    }
  };
  const warnings: string[] = [];
  const ctx: FeatureContext = {
    index,
    analysis,
    config,
    openDocument: (uri) => open.get(canonicalUri(uri)),
    readText: async (uri) => open.get(canonicalUri(uri))?.getText() ?? ws.files.get(canonicalUri(uri)),
    // The memory disk holds decoded texts: U+FFFD in one stands for bytes that were not UTF-8.
    notUtf8: (uri) =>
      !open.has(canonicalUri(uri)) && (ws.files.get(canonicalUri(uri))?.includes('\uFFFD') ?? false),
    exists: async (uri) => ws.files.has(canonicalUri(uri)),
    listNames: async (dirUri) => {
      const names = new Set<string>();
      for (const uri of ws.files.keys()) {
        const rel = relativePath(dirUri, uri);
        if (rel !== undefined && rel !== '') names.add(rel.split('/')[0]);
      }
      return [...names];
    },
    canCreate: async (uri) =>
      !ws.files.has(canonicalUri(uri)) && folders.some((f) => canonicalUri(uri).startsWith(`${f}/`)),
    syncFromDisk: async (uris) => {
      const changed: string[] = [];
      for (const uri of new Set(uris)) {
        if (open.has(uri) || !index.locate(uri)) continue;
        const text = ws.files.get(uri);
        if (text === indexedDisk.get(uri)) continue;
        if (text === undefined) indexedDisk.delete(uri);
        else indexedDisk.set(uri, text);
        setText(uri, text);
        changed.push(uri);
      }
      return changed;
    },
    entry: (uri) => index.get(canonicalUri(uri)),
    canonical: canonicalUri,
    clientUri: (uri) => uri,
    clientCapabilities: client,
    ready: async () => {},
    readyEntry: async (uri) => index.get(canonicalUri(uri)),
    flush: () => {},
    warn: (message) => warnings.push(message),
    identity: () => 'Test User',
    history: (folder, workflows, limit) =>
      opts.history?.(folder, workflows, limit) ?? { note: 'No git history in memory.' },
    ruleDocs: 'https://example.invalid/rules',
    ...(opts.gateCommands ? { gateCommands: opts.gateCommands } : {}),
  };
  if (opts.openAll ?? true) {
    for (const [uri, text] of ws.files) open.set(uri, TextDocument.create(uri, 'markdown', 1, text));
  }
  const diagnosticsOf = (uri: string) =>
    (analysis.checkUri(canonicalUri(uri)) ?? []).map((f) => toDiagnostic(ctx, f));
  return {
    ctx,
    ws,
    warnings,
    uri: (rel) => ws.uri(rel),
    rel: (uri) => relativePath(root, uri) ?? uri,
    cursor,
    request: async <R>(method: string, params: unknown) => {
      const r = featureRequest(method);
      if (!r) throw new Error(`no feature answers ${method}`);
      return (await answer(ctx, r, params)) as R;
    },
    open: async (uri, text) => {
      const u = canonicalUri(uri);
      open.set(u, TextDocument.create(u, 'markdown', 1, text));
      setText(u, text);
    },
    change: async (uri, changes) => {
      const u = canonicalUri(uri);
      const doc = open.get(u);
      if (!doc) throw new Error(`${uri} is not open`);
      const next = TextDocument.update(doc, changes, doc.version + 1);
      open.set(u, next);
      setText(u, next.getText());
      return next.version;
    },
    close: async (uri) => {
      const u = canonicalUri(uri);
      open.delete(u);
      const disk = ws.files.get(u);
      setText(u, disk);
      if (disk === undefined) indexedDisk.delete(u);
      else indexedDisk.set(u, disk);
    },
    writeFile: (rel, text) => {
      ws.files.set(ws.uri(rel), text);
    },
    diagnosticsOf,
    waitForDiagnostics: async (uri, test, what = 'diagnostics') => {
      const d = diagnosticsOf(uri);
      if (!test(d)) throw new Error(`${what} of ${uri} do not hold: ${JSON.stringify(d)}`);
      return d;
    },
  };
}
