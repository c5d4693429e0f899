import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  type CdpInitializationOptions,
  type CheckGateResult,
  type IndexingParams,
  WorkspaceTrustedNotification,
} from '../../server/src/protocol';
import { confirmGateItem } from './confirm-item';
import { DASHBOARD_VIEW_TYPE, Dashboard, type DashboardProbe } from './dashboard';
import { type ExportOptions, exportGateReport } from './export-report';
import { GateChecker } from './gate-check';
import { CONFIRMATIONS_GLOB, GATE_FILE_GLOB } from './gate-files';
import { goToPhase } from './go-to-phase';
import { IndexingState } from './indexing-state';
import { type LinksNode, LinksView } from './links-view';
import { revealLine } from './navigation';
import { recordingChannel } from './output-log';
import { PreviewLinks } from './preview-links';
import { cdpPreviewPlugin } from './preview-plugin';
import { DoneDecorations, type ProgressNode, ProgressTree } from './progress-tree';
import { runGateCommands } from './run-gate-commands';
import { newWorkflow } from './scaffold';
import { CdpClientExtensionsFeature } from './server-extensions';
import { ProgressStatusBar } from './status-bar';
import { toggleCriterionAtCursor } from './toggle-at-cursor';
import { TreeActions } from './tree-actions';
import { WorkflowStore } from './workflow-store';

/** What `activate` returns, for tests running inside the extension host. */
export interface CdpApi {
  /** Resolves with the client once the language server is running. */
  client: Promise<LanguageClient>;
  progressTree: {
    getChildren(element?: ProgressNode): Promise<ProgressNode[]>;
    getTreeItem(element: ProgressNode): vscode.TreeItem;
    /** What ticking a criterion's checkbox does; false when the server refused. */
    setChecked(node: ProgressNode, checked: boolean): Promise<boolean>;
  };
  lastVerdict(): CheckGateResult | undefined;
  dashboard: DashboardProbe;
  /** The indexing states the server reported, oldest first, and the view's message now. */
  indexing: { seen(): IndexingParams[]; message(): string | undefined };
  /** The tree view itself (selection, reveal, visibility), for tests. */
  view: vscode.TreeView<ProgressNode>;
  /** The Links view: the document it shows, its rows, and a promise for its latest answer. */
  linksView: {
    document(): string | undefined;
    loaded(): Promise<void>;
    getChildren(element?: LinksNode): LinksNode[];
    getTreeItem(element: LinksNode): vscode.TreeItem;
    /** How many `cdp/links` requests the view has sent. */
    requests(): number;
  };
  /** How many `cdp/progressChanged` notifications the client has received. */
  notifications(): number;
  /** How long `activate` took, in milliseconds (performance.now() around its body). */
  activationMs(): number;
  /** The status bar item (text, tooltip, command), for tests. */
  statusBar: vscode.StatusBarItem;
  /** The lines written to the output channel since activation. */
  outputLines(): string[];
  /** The preview's wikilink targets: `ask` settles once the server's answer for a document is in. */
  previewLinks: { ask(uri: string): Promise<void> };
  /** VS Code's Markdown preview calls this with its markdown-it instance. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): CdpApi {
  const activationStart = performance.now();
  const output = recordingChannel(vscode.window.createOutputChannel('CDP Workflow'));
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('server/out/server.js');
  // stdio, as every other editor: the server's stdio writer sends the stored diagnostics of
  // a warm start as the bytes they were kept as, at once (node IPC would parse and encode
  // each one again, and send one at a time).
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: {
      module: serverModule,
      transport: TransportKind.stdio,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      // Untitled markdown: served alone (the findings that need no other document).
      { scheme: 'untitled', language: 'markdown' },
      // Gate files: live diagnostics, quick fixes and hover on their items.
      { scheme: 'file', pattern: GATE_FILE_GLOB },
      // The confirmations file: its stale entries' quick fix removes them.
      { scheme: 'file', pattern: CONFIRMATIONS_GLOB },
    ],
    outputChannel: output,
    // Where the server keeps its index cache (`cdp.cache.enabled`): this workspace's storage;
    // and whether the user trusts the workspace (gate commands run only then). Read at each
    // start, so a restart tells the server the trust of the moment.
    initializationOptions: (): CdpInitializationOptions => ({
      ...(context.storageUri ? { storagePath: context.storageUri.fsPath } : {}),
      workspaceTrusted: vscode.workspace.isTrusted,
    }),
  };
  // The id `cdp` makes the client honour the `cdp.trace.server` setting.
  const lc = new LanguageClient('cdp', 'CDP Workflow', serverOptions, clientOptions);
  lc.registerFeature(new CdpClientExtensionsFeature());
  client = lc;

  const store = new WorkflowStore(lc, output);
  const tree = new ProgressTree(store, lc, context.workspaceState);
  const statusBar = new ProgressStatusBar(store);
  const gates = new GateChecker(lc, store, output);
  const indexing = new IndexingState(lc, tree.view as vscode.TreeView<unknown>);
  const actions = new TreeActions(tree, store);
  const previewLinks = new PreviewLinks(lc, store.onDidNotify);
  const linksView = new LinksView(lc, store, output);
  context.subscriptions.push(
    linksView,
    lc,
    store,
    tree,
    statusBar,
    indexing,
    actions,
    previewLinks,
    vscode.window.registerFileDecorationProvider(new DoneDecorations()),
  );
  const dashboard = new Dashboard(lc, store, context.extensionUri);
  context.subscriptions.push(
    dashboard,
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => dashboard.attach(panel),
    }),
  );

  const starting = lc.start();
  store.startingWith(starting);
  const started = starting.then(
    async () => {
      await store.refresh();
      return lc;
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      indexing.stopped();
      output.appendLine(`The CDP language server did not start: ${message}`);
      void vscode.window
        .showErrorMessage(`The CDP language server did not start: ${message}`, 'Show Output')
        .then((a) => a && output.show(true));
      throw err;
    },
  );
  // Nobody may be waiting for it: keep a failed start from being an unhandled rejection.
  started.catch(() => undefined);
  // Trust granted while the server runs: it may run gate commands from now on.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // (once started: a server still starting may have read the trust from before)
      started.then((c) => c.sendNotification(WorkspaceTrustedNotification, {})).catch(() => undefined);
    }),
  );

  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  command('cdp.checkGate', (args?: Parameters<GateChecker['checkGate']>[0]) => gates.checkGate(args));
  command('cdp.checkGateItem', (node?: ProgressNode) => (node ? gates.checkGate(node) : gates.checkGate()));
  command('cdp.checkReleaseReadiness', (args?: { workflow?: string }) => gates.checkReleaseReadiness(args));
  command('cdp.goToPhase', () => goToPhase(store));
  command('cdp.newWorkflow', (args?: Parameters<typeof newWorkflow>[1]) => newWorkflow(store, args));
  command('cdp.exportGateReport', (opts?: ExportOptions) => exportGateReport(store, opts));
  command('cdp.exportWorkflowReport', (node?: ProgressNode) =>
    exportGateReport(store, { workflow: node?.workflow?.id }),
  );
  command('cdp.toggleCriterion', (node?: ProgressNode, selected?: ProgressNode[]) =>
    actions.toggle(node, selected),
  );
  command('cdp.markDone', (node?: ProgressNode, selected?: ProgressNode[]) =>
    actions.mark(true, node, selected),
  );
  command('cdp.markUndone', (node?: ProgressNode, selected?: ProgressNode[]) =>
    actions.mark(false, node, selected),
  );
  command('cdp.confirmGateItem', (node?: ProgressNode) => confirmGateItem(tree, store, node));
  // from the palette, a Progress row or the quick fix on a gate file's line ({ uri, line })
  command('cdp.runGateCommands', (arg?: ProgressNode | { uri: string; line: number }) =>
    runGateCommands(lc, store, output, arg),
  );
  command('cdp.keyboardSelect', () => actions.keyboardSelect());
  command('cdp.revealSelected', () => actions.revealSelected());
  command('cdp.revealInExplorer', (node?: ProgressNode) => actions.revealInExplorer(node));
  command('cdp.toggleCriterionAtCursor', () => toggleCriterionAtCursor(lc));
  command('cdp.showCurrentPhaseOnly', () => tree.setCurrentPhaseOnly(true));
  command('cdp.showAllPhases', () => tree.setCurrentPhaseOnly(false));
  command('cdp.chooseWorkflow', () => statusBar.chooseWorkflow());
  command('cdp.refresh', () => store.refresh());
  command('cdp.openDashboard', () => dashboard.show());
  command('cdp.showUnmetOnly', () => tree.setUnmetOnly(true));
  command('cdp.showAll', () => tree.setUnmetOnly(false));
  // the third argument, `{ keep: true }`, opens a tab that stays (a document just created)
  command('cdp.revealGroup', (uri: string | vscode.Uri, line?: number, opts?: { keep?: boolean }) =>
    revealLine(uri, line ?? 0, false, opts?.keep === true),
  );
  command('cdp.restartServer', async () => {
    output.appendLine('Restarting the CDP language server…');
    try {
      await lc.restart();
      await store.refresh();
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Could not restart the CDP language server: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  });

  const activationMs = performance.now() - activationStart;
  output.appendLine(`Activated in ${activationMs.toFixed(1)} ms.`);
  return {
    client: started,
    activationMs: () => activationMs,
    notifications: () => store.notifications,
    progressTree: {
      getChildren: (element?: ProgressNode) => tree.getChildren(element),
      getTreeItem: (element: ProgressNode) => tree.getTreeItem(element),
      setChecked: async (node: ProgressNode, checked: boolean) =>
        node.kind === 'criterion' && (await tree.setCriterion(node, checked)),
    },
    lastVerdict: () => gates.lastVerdict(),
    dashboard,
    indexing: { seen: () => [...indexing.seen], message: () => tree.view.message },
    linksView: {
      document: () => linksView.document,
      loaded: () => linksView.loaded(),
      getChildren: (element?: LinksNode) => linksView.getChildren(element),
      getTreeItem: (element: LinksNode) => linksView.getTreeItem(element),
      requests: () => linksView.requests,
    },
    view: tree.view,
    statusBar: statusBar.item,
    outputLines: () => output.lines(),
    previewLinks: { ask: (uri: string) => previewLinks.ask(uri) },
    extendMarkdownIt: (md: MarkdownIt) => cdpPreviewPlugin(md, previewLinks.resolve),
  };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.needsStop()) await c.stop();
}
