import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IndexingNotification, type IndexingParams } from '../../server/src/protocol';

/** Least time between two updates of the view's message. */
const MESSAGE_INTERVAL_MS = 500;

/** Context key: true from activation until the server has finished indexing. */
export const INDEXING_KEY = 'cdp.indexing';

/** "Indexing CDP documents 268/3300…" while the server reads the workspace. */
export function indexingMessage(s: IndexingParams): string | undefined {
  if (s.ready) return undefined;
  return s.total > 0 ? `Indexing CDP documents ${s.done}/${s.total}…` : 'Looking for CDP documents…';
}

/**
 * Follows the server's `cdp/indexing` notifications: sets the `cdp.indexing` context key (the
 * view's welcome offers "New Workflow…" only once indexing found nothing) and shows the
 * progress as the Progress view's message.
 */
export class IndexingState implements vscode.Disposable {
  private state: IndexingParams = { ready: false, done: 0, total: 0 };
  private messageAt = 0;
  /** Every state seen, oldest first (kept short), for tests. */
  readonly seen: IndexingParams[] = [];
  private readonly changed = new vscode.EventEmitter<IndexingParams>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    client: LanguageClient,
    private readonly view: vscode.TreeView<unknown>,
  ) {
    this.disposables.push(client.onNotification(IndexingNotification, (p) => this.set(p)));
    this.set(this.state);
  }

  get current(): IndexingParams {
    return this.state;
  }

  /** The server stopped (or never started): nothing is being indexed. */
  stopped(): void {
    if (!this.state.ready) this.set({ ...this.state, ready: true });
  }

  private set(p: IndexingParams): void {
    const wasReady = this.state.ready;
    this.state = p;
    this.seen.push(p);
    if (this.seen.length > 200) this.seen.splice(0, this.seen.length - 200);
    if (wasReady !== p.ready || this.seen.length === 1)
      void vscode.commands.executeCommand('setContext', INDEXING_KEY, !p.ready);
    // VS Code passes a view's message on only once its changes pause for 200 ms, so a new
    // count every 100 ms would leave the first one showing: at most two updates a second
    const now = Date.now();
    if (p.ready || wasReady || now - this.messageAt >= MESSAGE_INTERVAL_MS) {
      this.messageAt = now;
      this.view.message = indexingMessage(p);
    }
    this.changed.fire(p);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
