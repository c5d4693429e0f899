import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  SymbolKind,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/files';

export { tempWorkspace, writeFiles } from '../helpers/files';

export const SERVER_JS = join(__dirname, '..', '..', 'server', 'out', 'server.js');

export function uriOf(path: string): string {
  return pathToFileURL(path).toString();
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    workspaceFolders: true,
    fileOperations: { willRename: true },
    symbol: { symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as SymbolKind) } },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false, labelDetailsSupport: true } },
    documentLink: { tooltipSupport: true },
    rename: { prepareSupport: true },
    documentSymbol: {
      hierarchicalDocumentSymbolSupport: true,
      symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as SymbolKind) },
    },
    codeAction: {
      isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite'] } },
    },
  },
};

/**
 * A language client for tests: starts the built server as its own process over stdio
 * and speaks real JSON-RPC to it. Records diagnostics, progress and notifications.
 */
export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly progress: { token: string | number; value: { kind: string; message?: string; title?: string } }[] =
    [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** How many times diagnostics were published per URI. */
  readonly published = new Map<string, number>();
  readonly registrations: string[] = [];
  /** Every request the server sent, by method, in order. */
  readonly requests: string[] = [];
  readonly shownDocuments: unknown[] = [];
  readonly log: string[] = [];
  settings: Record<string, unknown> = {};
  initializeResult!: InitializeResult;
  private listeners: (() => void)[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(
    folders: string[],
    opts: {
      settings?: Record<string, unknown>;
      capabilities?: ClientCapabilities;
      initializationOptions?: unknown;
      /** Send the folder as `rootUri` with `workspaceFolders: []`, as some clients do. */
      rootOnly?: boolean;
      /** Answer `workspace/configuration` this much later (a slow client). */
      configurationDelayMs?: number;
      /** `clientInfo` of `initialize`. */
      clientInfo?: { name: string; version?: string };
    } = {},
  ): Promise<TestClient> {
    if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run "npm run build" first`);
    const proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(
      new StreamMessageReader(proc.stdout!),
      new StreamMessageWriter(proc.stdin!),
    );
    const c = new TestClient(proc, connection);
    c.settings = opts.settings ?? {};
    proc.stderr!.on('data', (d) => c.log.push(String(d)));
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; diagnostics: Diagnostic[] }) => {
        c.diagnostics.set(p.uri, p.diagnostics);
        c.published.set(p.uri, (c.published.get(p.uri) ?? 0) + 1);
        c.changed();
      },
    );
    connection.onNotification('$/progress', (p: TestClient['progress'][number]) => {
      c.progress.push(p);
      c.changed();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => c.log.push(p.message));
    connection.onNotification((method: string, params: unknown) => {
      c.notifications.push({ method, params });
      c.changed();
    });
    connection.onRequest('client/registerCapability', (p: { registrations: { method: string }[] }) => {
      c.requests.push('client/registerCapability');
      for (const r of p.registrations) c.registrations.push(r.method);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => {
      c.requests.push('window/workDoneProgress/create');
      return null;
    });
    connection.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      c.requests.push('workspace/configuration');
      if (opts.configurationDelayMs) await new Promise((r) => setTimeout(r, opts.configurationDelayMs));
      return p.items.map((i) => (i.section === 'cdp' ? (c.settings.cdp ?? {}) : null));
    });
    connection.onRequest('window/showDocument', (p: unknown) => {
      c.requests.push('window/showDocument');
      c.shownDocuments.push(p);
      c.changed();
      return { success: true };
    });
    connection.onRequest((method: string) => {
      c.requests.push(method);
      return null;
    });
    connection.listen();
    c.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      ...(opts.clientInfo ? { clientInfo: opts.clientInfo } : {}),
      rootUri: opts.rootOnly ? uriOf(folders[0]!) : null,
      capabilities: opts.capabilities ?? CAPABILITIES,
      initializationOptions: opts.initializationOptions,
      workspaceFolders: opts.rootOnly ? [] : folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })),
    });
    await connection.sendNotification('initialized', {});
    return c;
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Waits until `test` returns a truthy value (checked on every message from the server). */
  waitFor<T>(test: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
    const now = test();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const v = test();
        if (v) {
          done();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}\nserver log:\n${this.log.join('\n').slice(-3000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  /** Resolves when the server reports its initial indexing finished. */
  ready(): Promise<unknown> {
    return this.waitFor(
      () =>
        this.notifications.find(
          (n) => n.method === 'cdp/progressChanged' && (n.params as { ready: boolean }).ready,
        ),
      'indexing to finish',
    );
  }

  diagnosticsOf(uri: string): Diagnostic[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** Waits for diagnostics of `uri` that satisfy `test`. */
  waitForDiagnostics(
    uri: string,
    test: (d: Diagnostic[]) => boolean,
    what = 'diagnostics',
  ): Promise<Diagnostic[]> {
    return this.waitFor(() => {
      const d = this.diagnostics.get(uri);
      return d && test(d) ? d : undefined;
    }, `${what} of ${uri}`);
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    return (
      token
        ? this.connection.sendRequest(method, params, token.token)
        : this.connection.sendRequest(method, params)
    ) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text },
    });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.notify('workspace/didChangeConfiguration', { settings: null });
  }

  /** Asks the server to shut down (waiting at most `graceMs` for its answer), then to exit. */
  async stop(graceMs = 2000): Promise<void> {
    try {
      await Promise.race([
        this.connection.sendRequest('shutdown'),
        new Promise((r) => setTimeout(r, graceMs)),
      ]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

export { CancellationTokenSource };

/** A starter of servers on `folders`, ready when it resolves, all stopped when the calling test file ends. */
export function trackedServers() {
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
  });
  return async (
    folders: string[],
    opts: Parameters<typeof TestClient.start>[1] = {},
  ): Promise<TestClient> => {
    const client = await TestClient.start(folders, opts);
    clients.push(client);
    await client.ready();
    return client;
  };
}

/**
 * A starter of servers, each on a new temporary folder holding `files`, all stopped when
 * the calling test file ends. `uri`/`rel` map a path in the folder to its URI and back.
 */
export function serversOnTempFolders() {
  const startOn = trackedServers();
  return async (
    files: Record<string, string | Buffer>,
    opts: Parameters<typeof TestClient.start>[1] = {},
  ) => {
    const root = tempWorkspace(files);
    const client = await startOn([root], opts);
    const uri = (rel: string) => uriOf(join(root, rel));
    const rel = (u: string) => {
      const base = `${uriOf(root)}/`;
      assert.ok(u.startsWith(base), `${u} is inside the workspace`);
      return decodeURIComponent(u.slice(base.length));
    };
    return { root, client, uri, rel };
  };
}
