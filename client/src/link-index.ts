import * as vscode from 'vscode';
import { type LinkResolver, resolveByName } from './preview-plugin';

/**
 * The markdown files of the workspace, kept by a file watcher, for the preview to turn
 * `[[Name]]` into a link to `name.md` while it renders (synchronously, so it cannot ask the
 * server). The editor's own links (F12, hover) still come from the language server.
 */
export class LinkIndex implements vscode.Disposable {
  private readonly uris = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Settles once the first listing is in. */
  readonly ready: Promise<void>;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.md', false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.uris.add(u.toString())),
      watcher.onDidDelete((u) => this.uris.delete(u.toString())),
    );
    this.ready = Promise.resolve(vscode.workspace.findFiles('**/*.md', '**/node_modules/**')).then(
      (found) => {
        for (const u of found) this.uris.add(u.toString());
      },
      () => undefined,
    );
  }

  readonly resolve: LinkResolver = (from, target) => resolveByName(from, target, [...this.uris]);

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
