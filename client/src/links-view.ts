import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type LinkItemDto, LinksRequest, type LinksResult } from '../../server/src/protocol';
import { linkRowDescription } from './links-model';
import { explorerUri } from './navigation';
import type { WorkflowStore } from './workflow-store';

export const LINKS_VIEW_ID = 'cdp.links';

type SectionKey = 'outgoing' | 'backlinks' | 'dependsOn' | 'dependents';

const SECTIONS: { key: SectionKey; title: string; icon: string; empty: string }[] = [
  { key: 'outgoing', title: 'Outgoing links', icon: 'arrow-right', empty: 'No links to other documents' },
  { key: 'backlinks', title: 'Backlinks', icon: 'arrow-left', empty: 'No document links here' },
  { key: 'dependsOn', title: 'Depends on', icon: 'arrow-down', empty: 'No dependencies' },
  { key: 'dependents', title: 'Depended on by', icon: 'arrow-up', empty: 'Nothing depends on it' },
];

export type LinksNode =
  | { kind: 'section'; key: SectionKey; title: string; items: LinkItemDto[] }
  | { kind: 'item'; section: SectionKey; item: LinkItemDto; siblings: LinkItemDto[] };

/**
 * The Links view: for the document of the active editor, its outgoing links, backlinks,
 * what its `depends_on` names and what depends on it (`cdp/links`). It follows the active
 * editor and asks again after each `cdp/progressChanged` notification (once per notification:
 * a change of the workflows is announced by one; the store's fetch that follows asks nothing
 * more of this view, unless the view has no answer yet, as before the server was running).
 */
export class LinksView implements vscode.TreeDataProvider<LinksNode>, vscode.Disposable {
  readonly view: vscode.TreeView<LinksNode>;
  private readonly changed = new vscode.EventEmitter<LinksNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The document shown, as a client URI string. */
  private uri: string | undefined;
  private result: LinksResult | undefined;
  /** The last fetch (a later one replaces it; an answer for another document is dropped). */
  private loading: Promise<void> = Promise.resolve();
  private generation = 0;
  /** `cdp/links` requests sent so far. */
  requests = 0;

  constructor(
    private readonly client: LanguageClient,
    store: WorkflowStore,
    private readonly log: vscode.OutputChannel,
  ) {
    this.view = vscode.window.createTreeView(LINKS_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      vscode.window.onDidChangeActiveTextEditor((e) => this.follow(e)),
      store.onDidNotify(() => this.refresh()),
      store.onDidChange(() => {
        if (this.result === undefined && this.uri !== undefined) this.refresh();
      }),
    );
    this.follow(vscode.window.activeTextEditor);
  }

  /** The document the view shows, as a URI string. */
  get document(): string | undefined {
    return this.uri;
  }

  /** Settles when the answer for the document shown has arrived. */
  loaded(): Promise<void> {
    return this.loading;
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    // Focus moving to a view or panel leaves no active editor: keep what is shown.
    if (!editor) return;
    const doc = editor.document;
    const uri = doc.uri.scheme === 'file' && doc.languageId === 'markdown' ? doc.uri.toString() : undefined;
    if (uri === this.uri) return;
    this.uri = uri;
    this.result = undefined;
    this.refresh();
  }

  /** Asks the server again for the document shown. */
  refresh(): void {
    const generation = ++this.generation;
    const uri = this.uri;
    this.loading = (async () => {
      let result: LinksResult | undefined;
      if (uri !== undefined) {
        try {
          if (!this.client.isRunning()) return;
          this.requests++;
          result = await this.client.sendRequest(LinksRequest, { uri });
        } catch (e) {
          this.log.appendLine(
            `Could not list the links of ${uri}: ${e instanceof Error ? e.message : String(e)}`,
          );
          return;
        }
      }
      if (generation !== this.generation) return;
      this.result = result;
      this.view.message = this.messageFor(uri, result);
      this.view.description =
        uri === undefined ? undefined : vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
      this.changed.fire(undefined);
    })();
  }

  private messageFor(uri: string | undefined, r: LinksResult | undefined): string | undefined {
    if (uri === undefined) return 'Open a markdown document to see its links.';
    if (r && !r.known) return 'This document is not part of a CDP workspace folder.';
    return undefined;
  }

  getChildren(element?: LinksNode): LinksNode[] {
    if (!element) {
      const r = this.result;
      if (!r?.known) return [];
      return SECTIONS.map((s) => ({ kind: 'section', key: s.key, title: s.title, items: r[s.key] }));
    }
    if (element.kind === 'section')
      return element.items.map((item) => ({
        kind: 'item',
        section: element.key,
        item,
        siblings: element.items,
      }));
    return [];
  }

  getTreeItem(node: LinksNode): vscode.TreeItem {
    if (node.kind === 'section') {
      const s = SECTIONS.find((x) => x.key === node.key)!;
      const t = new vscode.TreeItem(
        node.title,
        node.items.length > 0
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.None,
      );
      t.id = `section:${node.key}`;
      t.description = node.items.length > 0 ? String(node.items.length) : s.empty;
      t.iconPath = new vscode.ThemeIcon(s.icon);
      t.contextValue = 'cdpLinksSection';
      return t;
    }
    const i = node.item;
    const t = new vscode.TreeItem(i.label, vscode.TreeItemCollapsibleState.None);
    const uri = vscode.Uri.parse(i.uri);
    t.resourceUri = i.folder ? explorerUri(uri) : uri;
    t.description = linkRowDescription(node.section, i, node.siblings);
    t.tooltip = new vscode.MarkdownString().appendText(
      [i.label, i.id && `id: ${i.id}`, i.link && `link: ${i.link}`, i.rel].filter(Boolean).join('\n'),
    );
    t.contextValue = 'cdpLink';
    // at the link for a backlink, at the dependency entry for a dependent, else at the heading or title
    // a folder (VS Code fails to open one) is shown in the Explorer
    t.command = i.folder
      ? { command: 'revealInExplorer', title: 'Reveal in Explorer', arguments: [explorerUri(uri)] }
      : {
          command: 'vscode.open',
          title: 'Open',
          arguments: [uri, { selection: toRange(i) } satisfies vscode.TextDocumentShowOptions],
        };
    // a codicon (`folder` is the file icon theme's, none in themes without folder icons,
    // Seti: the row then read as nested under the one above)
    if (i.folder) t.iconPath = new vscode.ThemeIcon('symbol-folder');
    return t;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function toRange(i: LinkItemDto): vscode.Range {
  const r = i.range;
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
