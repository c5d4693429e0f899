import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../../server/src/core/analysis';
import { resolveConfig } from '../../server/src/core/config';
import { loadWorkspace } from '../../server/src/core/load';
import { canonicalUri, relativePath } from '../../server/src/core/paths';
import type { ClientSupport } from '../../server/src/features/client-support';
import type { FeatureContext } from '../../server/src/features/context';
import { definition } from '../../server/src/features/definition';
import { documentLinks } from '../../server/src/features/document-links';
import { hover } from '../../server/src/features/hover';
import { references } from '../../server/src/features/references';
import { documentSymbols, workspaceSymbols } from '../../server/src/features/symbols';
import { MemoryWorkspace, ROOT } from './memory-workspace';

/** The marker a fixture puts where the cursor is; removed from the text before indexing. */
export const CURSOR = '$$CURSOR$$';

export interface InProcess {
  ctx: FeatureContext;
  ws: MemoryWorkspace;
  /** The URI of a folder-relative path. */
  uri(rel: string): string;
  /** The folder-relative path of a URI (the URI itself when outside the folder). */
  rel(uri: string): string;
  /** Where `$$CURSOR$$` was, when one fixture file had it. */
  cursor?: { uri: string; position: { line: number; character: number } };
}

const CLIENT: ClientSupport = {
  configuration: false,
  configurationRegistration: false,
  watchRegistration: false,
  progress: false,
  showDocument: false,
  relatedInformation: true,
  documentChanges: false,
  resourceOperations: false,
  lineFragmentLinks: false,
  clientCommands: new Set(),
};

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/**
 * A `FeatureContext` over an in-memory workspace, for calling the LSP feature handlers
 * as plain functions: every file is indexed and open in the "editor" with its text, the
 * disk is the same map (so nothing changes behind the index), and no server process runs.
 */
export async function featureContext(
  files: Record<string, string>,
  opts: { settings?: unknown; client?: Partial<ClientSupport> } = {},
): Promise<InProcess> {
  const clean: Record<string, string> = {};
  let cursor: InProcess['cursor'];
  const ws0 = new MemoryWorkspace({});
  for (const [rel, text] of Object.entries(files)) {
    const at = text.indexOf(CURSOR);
    if (at >= 0) {
      if (cursor) throw new Error(`two ${CURSOR} markers`);
      cursor = { uri: ws0.uri(rel), position: positionOf(text, at) };
    }
    clean[rel] = text.replace(CURSOR, '');
  }
  const ws = new MemoryWorkspace(clean);
  const { config, problems } = resolveConfig(opts.settings ?? {});
  if (problems.length > 0) throw new Error(problems.join('; '));
  const { index } = await loadWorkspace(ws, config);
  const analysis = new Analysis(index);
  const open = new Map<string, TextDocument>();
  for (const [uri, text] of ws.files) open.set(uri, TextDocument.create(uri, 'markdown', 1, text));
  const client: ClientSupport = { ...CLIENT, ...opts.client };
  const ctx: FeatureContext = {
    index,
    analysis,
    config,
    openDocument: (uri) => open.get(canonicalUri(uri)),
    readText: async (uri) => ws.files.get(canonicalUri(uri)),
    exists: async (uri) => ws.files.has(canonicalUri(uri)),
    listNames: async (dirUri) => {
      const names = new Set<string>();
      for (const uri of ws.files.keys()) {
        const rel = relativePath(dirUri, uri);
        if (rel !== undefined && rel !== '') names.add(rel.split('/')[0]);
      }
      return [...names];
    },
    canCreate: async (uri) => !ws.files.has(canonicalUri(uri)) && canonicalUri(uri).startsWith(`${ROOT}/`),
    syncFromDisk: async () => [],
    entry: (uri) => index.get(canonicalUri(uri)),
    canonical: canonicalUri,
    clientUri: (uri) => uri,
    clientCapabilities: client,
    ready: async () => {},
    readyEntry: async (uri) => index.get(canonicalUri(uri)),
    flush: () => {},
    identity: () => 'Test User',
    ruleDocs: 'https://example.invalid/rules',
  };
  return {
    ctx,
    ws,
    uri: (rel) => ws.uri(rel),
    rel: (uri) => relativePath(ROOT, uri) ?? uri,
    cursor,
  };
}

/** What tests need of a client: one request by LSP method name. */
export interface Requester {
  request<R>(method: string, params: unknown, token?: unknown): Promise<R>;
}

/**
 * The feature handlers behind LSP method names, called in-process: lets a test written
 * against a server (`request(method, params)`) run without one when it tests feature logic.
 */
export function inProcessRequester(ctx: FeatureContext): Requester {
  // biome-ignore lint/suspicious/noExplicitAny: the params are typed by each handler
  const handlers: Record<string, (p: any) => Promise<unknown>> = {
    'textDocument/definition': (p) => definition(ctx, p),
    'textDocument/references': (p) => references(ctx, p),
    'textDocument/hover': (p) => hover(ctx, p),
    'textDocument/documentLink': (p) => documentLinks(ctx, p),
    'textDocument/documentSymbol': (p) => documentSymbols(ctx, p),
    'workspace/symbol': async (p) => workspaceSymbols(ctx, p.query),
  };
  return {
    request: async <R>(method: string, params: unknown) => {
      const h = handlers[method];
      if (!h) throw new Error(`no in-process handler for ${method}`);
      return (await h(params)) as R;
    },
  };
}
