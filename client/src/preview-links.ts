import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LinksRequest } from '../../server/src/protocol';
import { type LinkResolver, wikilinkTargets } from './preview-plugin';

/** Documents whose answers are kept; a preview shows one document at a time. */
const MAX_DOCUMENTS = 50;
/** Edits of a previewed document are answered again after this pause in typing. */
const EDIT_PAUSE_MS = 300;
/**
 * A preview with an update already scheduled ignores a refresh, and that update, unforced,
 * skips a document whose version it has rendered: refreshed once more after it.
 */
const REFRESH_AGAIN_MS = 1000;

function same(a: Map<string, string> | undefined, b: Map<string, string>): boolean {
  if (!a || a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}

/**
 * The preview's link resolver. The preview renders synchronously, so it reads answers the
 * server gave before: a document rendered for the first time shows its wikilinks as plain
 * text, asks the server, and the previews are refreshed once the answer is in. Answers are
 * asked again when the server announces a change and when a previewed document is edited;
 * the previews are refreshed only when an answer changed.
 */
export class PreviewLinks implements vscode.Disposable {
  /** Most recently rendered last. */
  private readonly answers = new Map<string, Map<string, string>>();
  private readonly asking = new Map<string, Promise<void>>();
  /** Asked while the server was still indexing: asked again on its next change. */
  private readonly waiting = new Set<string>();
  /** Documents the preview has rendered: only their answers refresh the previews. */
  private readonly rendered = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private editTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly client: LanguageClient,
    changed: vscode.Event<unknown>,
  ) {
    this.disposables.push(
      // the rendered ones; an answer asked on opening is asked again on its first render
      changed(() => this.askAgain([...this.rendered, ...this.waiting])),
      // asked as soon as a markdown document is opened, so that its preview, usually opened
      // from its editor, has the answer for its first render
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId === 'markdown' && d.uri.scheme === 'file') void this.ask(d.uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        if (!this.answers.has(key)) return;
        clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.askAgain([key]), EDIT_PAUSE_MS);
      }),
    );
  }

  readonly resolve: LinkResolver = (from, target) => {
    if (!from) return undefined;
    const first = !this.rendered.has(from);
    if (first) {
      if (this.rendered.size >= MAX_DOCUMENTS) this.rendered.delete(this.rendered.values().next().value!);
      this.rendered.add(from);
    }
    const known = this.answers.get(from);
    if (!known || first) void this.ask(from);
    if (!known) return undefined;
    // used again: kept longest
    this.answers.delete(from);
    this.answers.set(from, known);
    return known.get(target.trim());
  };

  /** Settles once the answer for `uri` is in (for tests: the next render resolves its links). */
  ask(uri: string): Promise<void> {
    const running = this.asking.get(uri);
    if (running) return running;
    const p = this.fetch(uri).finally(() => this.asking.delete(uri));
    this.asking.set(uri, p);
    return p;
  }

  private askAgain(uris: string[]): void {
    for (const u of uris) void this.ask(u);
  }

  private async fetch(uri: string): Promise<void> {
    let targets: Map<string, string>;
    try {
      const r = await this.client.sendRequest(LinksRequest, { uri });
      if (!r.ready) {
        this.waiting.add(uri);
        return;
      }
      this.waiting.delete(uri);
      targets = wikilinkTargets(r.outgoing);
    } catch {
      return; // server not running: the links stay text
    }
    if (this.disposed || same(this.answers.get(uri), targets)) return;
    this.answers.delete(uri);
    this.answers.set(uri, targets);
    while (this.answers.size > MAX_DOCUMENTS) this.answers.delete(this.answers.keys().next().value!);
    if (!this.rendered.has(uri)) return;
    const refresh = () =>
      vscode.commands.executeCommand('markdown.preview.refresh').then(undefined, () => undefined);
    await refresh();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      if (!this.disposed) void refresh();
    }, REFRESH_AGAIN_MS);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.editTimer);
    clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
