import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DASHBOARD_CSS,
  type DashboardView,
  type HistoryView,
  renderDashboardBody,
} from '../../server/src/dashboard/render';
import { DashboardRequest, type DashboardResult } from '../../server/src/protocol';
import { revealLine } from './navigation';
import type { WorkflowStore } from './workflow-store';

export const DASHBOARD_VIEW_TYPE = 'cdp.dashboard';
/** The default of `cdp.dashboard.historyCommits` (package.json says the same). */
export const DEFAULT_HISTORY_COMMITS = 50;
/** Delay between a change of the workflows and the dashboard's request, coalescing bursts. */
const UPDATE_DELAY_MS = 50;

/** Messages from the webview (`media/dashboard.js`). */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'open'; file: string; line: number }
  /** After each render: what the page shows, for tests and for the state kept on reload. */
  | { type: 'rendered'; version: number; phases: { workflow: string; phase: string; count: string }[] };

/** Messages to the webview. */
export type ToWebview =
  | { type: 'render'; version: number; html: string }
  | { type: 'error'; message: string };

/** What the in-host tests see of the dashboard. */
export interface DashboardProbe {
  /** Whether a dashboard panel exists. */
  readonly open: boolean;
  /** The last model the server sent. */
  readonly result: DashboardResult | undefined;
  /** The last page the webview reported rendering. */
  readonly rendered: Extract<FromWebview, { type: 'rendered' }> | undefined;
  /** Handles a message as if the webview had sent it. */
  receive(message: FromWebview): Promise<void>;
}

/**
 * The release dashboard: one webview panel rendering the server's `cdp/dashboard` view
 * model with the same renderer as `cdp report`. The page holds only markup and a small
 * script; every update is posted to it as new markup, and it asks the client to open a
 * file, which is done only for files the server named.
 */
export class Dashboard implements vscode.Disposable, DashboardProbe {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private last: DashboardResult | undefined;
  /** The history last read, kept across updates that do not read git again. */
  private history: HistoryView | undefined;
  private lastRendered: Extract<FromWebview, { type: 'rendered' }> | undefined;
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> | undefined;
  private again: boolean | undefined;

  constructor(
    private readonly client: LanguageClient,
    store: WorkflowStore,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      store.onDidChange(() => this.schedule()),
      // Every change the server announces, also one that leaves the workflows as they were
      // but not the release scope (`cdp.phases.releasePhase`) or a gate file's state.
      store.onDidNotify(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('cdp.dashboard.historyCommits')) void this.update(true);
      }),
    );
  }

  get open(): boolean {
    return this.panel !== undefined;
  }

  get result(): DashboardResult | undefined {
    return this.last;
  }

  get rendered(): Extract<FromWebview, { type: 'rendered' }> | undefined {
    return this.lastRendered;
  }

  /** Shows the dashboard, creating its panel when there is none. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'Release Dashboard',
      vscode.ViewColumn.Active,
      this.options(),
    );
    this.attach(panel);
  }

  /** Takes over a panel: a new one, or one VS Code restored after a reload. */
  attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cdp.svg');
    panel.webview.options = this.options();
    panel.webview.html = this.shell(panel.webview);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((m: FromWebview) => this.receive(m)),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.lastRendered = undefined;
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    ];
    void this.update(true);
  }

  async receive(m: FromWebview): Promise<void> {
    switch (m?.type) {
      case 'ready':
        // A page (re)loaded: show what we have at once, then what the server has now.
        if (this.last) await this.post(this.last);
        await this.update(false);
        return;
      case 'refresh':
        await this.update(true);
        return;
      case 'open':
        await this.openFile(m.file, m.line);
        return;
      case 'rendered':
        this.lastRendered = m;
        return;
    }
  }

  /** Opens a file the server named at a 1-based line; anything else is ignored. */
  private async openFile(file: unknown, line: unknown): Promise<void> {
    if (typeof file !== 'string' || !this.last || !Object.hasOwn(this.last.uris, file)) return;
    const n = typeof line === 'number' && Number.isInteger(line) && line > 0 ? line : 1;
    try {
      await revealLine(this.last.uris[file], n - 1);
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Could not open ${file}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private schedule(): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update(false);
    }, UPDATE_DELAY_MS);
  }

  /** Asks the server for the model (with git history when `withHistory`) and posts it. */
  update(withHistory: boolean): Promise<void> {
    if (this.pending) {
      // One request at a time; the latest wish is asked for when it is done.
      this.again = (this.again ?? false) || withHistory;
      return this.pending;
    }
    const run = this.fetch(withHistory);
    this.pending = run;
    return run.finally(() => {
      this.pending = undefined;
      const again = this.again;
      this.again = undefined;
      if (again !== undefined) void this.update(again);
    });
  }

  private async fetch(withHistory: boolean): Promise<void> {
    if (!this.panel) return;
    // Git is read when asked, and until one answer brought the history.
    withHistory ||= this.history === undefined;
    let result: DashboardResult;
    try {
      if (!this.client.isRunning()) throw new Error('the language server is not running');
      const historyCommits = withHistory ? historySetting() : 0;
      result = await this.client.sendRequest(DashboardRequest, { historyCommits });
      const view = result.view as DashboardView;
      if (withHistory) this.history = historyCommits > 0 ? view.history : undefined;
      else if (this.history) view.history = this.history;
    } catch (e) {
      const message = `The dashboard could not be updated: ${e instanceof Error ? e.message : String(e)}`;
      await this.panel?.webview.postMessage({ type: 'error', message } satisfies ToWebview);
      return;
    }
    this.last = result;
    await this.post(result);
  }

  private async post(result: DashboardResult): Promise<void> {
    if (!this.panel) return;
    const html = renderDashboardBody(result.view as DashboardView, {
      // The page's script opens files by their data attributes; the link itself goes nowhere.
      hrefOf: (_file, line) => `#L${line}`,
    });
    this.version++;
    await this.panel.webview.postMessage({ type: 'render', version: this.version, html } satisfies ToWebview);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      // Only the page's own script is loaded from the extension.
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      retainContextWhenHidden: false,
    };
  }

  /** The page: a strict CSP, the renderer's stylesheet and the script, both with a nonce. */
  private shell(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'dashboard.js'));
    const csp = [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Release Dashboard</title>
<style nonce="${nonce}">${DASHBOARD_CSS}${WEBVIEW_CSS}</style>
</head>
<body>
<div class="toolbar"><button type="button" id="cdp-refresh" title="Read the documents and the git history again">Refresh</button><span id="cdp-status" role="status" aria-live="polite"></span></div>
<div id="cdp-root"><p class="muted">Loading the release dashboard…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    // The panel itself is left to VS Code, which restores it after a reload.
    for (const d of [...this.panelDisposables, ...this.disposables]) d.dispose();
    this.panel = undefined;
  }
}

/** `cdp.dashboard.historyCommits`: a whole number of commits, 0 for none. */
export function historySetting(): number {
  const v = vscode.workspace.getConfiguration('cdp').get<unknown>('dashboard.historyCommits');
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : DEFAULT_HISTORY_COMMITS;
}

/**
 * The webview's colours: VS Code's theme variables (light, dark and high contrast themes
 * define them), over the renderer's defaults.
 */
const WEBVIEW_CSS = `
body {
  --cdp-bg: var(--vscode-editor-background);
  --cdp-fg: var(--vscode-foreground);
  --cdp-muted: var(--vscode-descriptionForeground);
  --cdp-border: var(--vscode-panel-border, var(--vscode-widget-border, #8884));
  --cdp-link: var(--vscode-textLink-foreground);
  --cdp-focus: var(--vscode-focusBorder);
  --cdp-ok: var(--vscode-charts-green);
  --cdp-bad: var(--vscode-charts-red);
  --cdp-current: var(--vscode-charts-blue);
  --cdp-track: var(--vscode-scrollbarSlider-background, #8884);
  --cdp-s0: var(--vscode-charts-blue); --cdp-s1: var(--vscode-charts-orange);
  --cdp-s2: var(--vscode-charts-green); --cdp-s3: var(--vscode-charts-purple);
  --cdp-s4: var(--vscode-charts-yellow); --cdp-s5: var(--vscode-charts-red);
  --cdp-s6: var(--vscode-terminal-ansiCyan, var(--vscode-charts-blue)); --cdp-s7: var(--vscode-charts-foreground);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
}
body.vscode-high-contrast, body.vscode-high-contrast-light { --cdp-border: var(--vscode-contrastBorder); }
body.vscode-high-contrast progress, body.vscode-high-contrast-light progress { border: 1px solid var(--vscode-contrastBorder); }
.toolbar { position: sticky; top: 0; z-index: 1; display: flex; gap: 0.75rem; align-items: center; padding: 0.5rem 1.5rem; background: var(--cdp-bg); border-bottom: 1px solid var(--cdp-border); }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 0.25rem 0.75rem; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button:focus-visible, a:focus-visible, summary:focus-visible { outline: 1px solid var(--cdp-focus); outline-offset: 2px; }
#cdp-status { color: var(--cdp-muted); }
#cdp-status.error { color: var(--vscode-errorForeground); }
`;
