import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type PlanInstanceParams,
  PlanInstanceRequest,
  type PlanInstanceResult,
  ProgressChangedNotification,
  type WorkflowDto,
  WorkflowsRequest,
  type WorkflowsResult,
} from '../../server/src/protocol';
import { hasGateFiles } from './gate-commands-model';

/** Delay between a progress notification and the request it causes. */
const REFRESH_DELAY_MS = 100;

/**
 * The workflows as the server last reported them. Fetched on demand and again after each
 * `cdp/progressChanged` notification (coalesced), never by polling. The tree, the status
 * bar and the commands all read from here.
 */
export class WorkflowStore implements vscode.Disposable {
  private result: WorkflowsResult | undefined;
  private pending: Promise<WorkflowsResult> | undefined;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly notified = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.notified];
  /** Fires after a fetch brought new data (or the first data). */
  readonly onDidChange = this.changed.event;
  /**
   * Fires on each `cdp/progressChanged` notification, also when the workflows stay the same
   * (links or ids changed): the client keeps one handler per notification, this one.
   */
  readonly onDidNotify = this.notified.event;
  /** `cdp/progressChanged` notifications received so far. */
  notifications = 0;

  /** Settles once the client's first start finished (either way); a fetch before waits for it. */
  private started: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.OutputChannel,
  ) {
    this.disposables.push(
      client.onNotification(ProgressChangedNotification, () => {
        this.notifications++;
        this.scheduleRefresh();
        this.notified.fire();
      }),
    );
  }

  /**
   * The client is being started: fetches wait for it rather than failing with "not running"
   * (the view asks for its rows as soon as it is shown, which can be before the server runs).
   */
  startingWith(start: Promise<unknown>): void {
    this.started = start.catch(() => undefined);
  }

  /** True once the server has finished its first indexing (or could not answer at all). */
  get ready(): boolean {
    return this.result?.ready ?? false;
  }

  /** The last result, without asking the server. */
  get current(): WorkflowDto[] {
    return this.result?.workflows ?? [];
  }

  /** The workflows, fetched again when a change was announced since the last fetch. */
  async workflows(): Promise<WorkflowDto[]> {
    if (!this.stale && this.result) return this.result.workflows;
    return (await this.fetch()).workflows;
  }

  /** The files a copy of a workflow definition gets in a folder, or why not (cdp/planInstance). */
  async planInstance(params: PlanInstanceParams): Promise<PlanInstanceResult> {
    await this.started;
    if (!this.client.isRunning()) throw new Error('the language server is not running');
    return this.client.sendRequest(PlanInstanceRequest, params);
  }

  /** Fetches now and tells the listeners. */
  async refresh(): Promise<void> {
    this.stale = true;
    await this.fetch();
  }

  /** Marks the data stale and fetches again a little later, coalescing bursts of notifications. */
  scheduleRefresh(): void {
    this.stale = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fetch();
    }, REFRESH_DELAY_MS);
  }

  private fetch(): Promise<WorkflowsResult> {
    if (this.pending) return this.pending;
    this.stale = false;
    let failed = false;
    const run = (async (): Promise<WorkflowsResult> => {
      let result: WorkflowsResult;
      try {
        await this.started;
        if (!this.client.isRunning()) throw new Error('the language server is not running');
        result = await this.client.sendRequest(WorkflowsRequest, {});
      } catch (e) {
        this.log.appendLine(`Could not list the workflows: ${e instanceof Error ? e.message : String(e)}`);
        // Keep what we had; a later notification or refresh asks again.
        result = this.result ?? { ready: true, workflows: [] };
        failed = true;
      }
      const before = JSON.stringify(this.result);
      this.result = result;
      // hasWorkflows first: the welcome offering New Workflow… shows once ready && !hasWorkflows
      void vscode.commands.executeCommand('setContext', 'cdp.hasWorkflows', result.workflows.length > 0);
      void vscode.commands.executeCommand('setContext', 'cdp.ready', result.ready);
      void vscode.commands.executeCommand('setContext', 'cdp.hasGateFiles', hasGateFiles(result.workflows));
      if (before !== JSON.stringify(result)) this.changed.fire();
      return result;
    })();
    this.pending = run;
    void run.finally(() => {
      if (this.pending === run) this.pending = undefined;
      // A notification arrived while this request was on its way: ask again.
      if (failed) this.stale = true;
      else if (this.stale && !this.timer) this.scheduleRefresh();
    });
    return run;
  }

  /** The workflow a document belongs to: as a phase document, else the nearest folder, else the only one. */
  workflowFor(uri: vscode.Uri | undefined): WorkflowDto | undefined {
    const all = this.current;
    if (uri) {
      const key = uri.toString();
      const byPhase = all.find((w) => w.phases.some((p) => sameUri(p.uri, key)));
      if (byPhase) return byPhase;
      let best: WorkflowDto | undefined;
      let bestLength = -1;
      for (const w of all) {
        for (const p of w.phases) {
          const dir = folderOf(normalize(p.uri));
          if (key.startsWith(dir) && dir.length > bestLength) {
            best = w;
            bestLength = dir.length;
          }
        }
      }
      if (best) return best;
    }
    return all.length === 1 ? all[0] : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** "05 Release": one wording, kept in progress-model.ts (which has no editor API). */
export { phaseLabel } from './progress-model';

export function normalize(uri: string): string {
  try {
    return vscode.Uri.parse(uri, true).toString();
  } catch {
    return uri;
  }
}

export function sameUri(a: string, b: string): boolean {
  return a === b || normalize(a) === normalize(b);
}

function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}
