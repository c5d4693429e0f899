import * as vscode from 'vscode';

export function toUri(uri: string | vscode.Uri): vscode.Uri {
  return typeof uri === 'string' ? vscode.Uri.parse(uri, true) : uri;
}

/**
 * Opens a document and puts the cursor at the start of a line (0-based), scrolled into
 * view. A folder (a phase that stands for its folder of documents) is shown in the
 * Explorer instead.
 */
export async function revealLine(
  uri: string | vscode.Uri,
  line = 0,
  preserveFocus = false,
  keep = false,
): Promise<void> {
  const target = toUri(uri);
  if (await isFolder(target)) {
    await vscode.commands.executeCommand('revealInExplorer', explorerUri(target));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(target);
  const at = new vscode.Position(Math.max(0, Math.min(line, doc.lineCount - 1)), 0);
  const editor = await vscode.window.showTextDocument(doc, {
    selection: new vscode.Range(at, at),
    preserveFocus,
    // a tab that stays, not the preview tab the next file opened replaces
    ...(keep ? { preview: false } : {}),
  });
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * A URI as the Explorer and file icons know it: a folder without a trailing `/` (the
 * server writes one for a phase that stands for its folder).
 */
export function explorerUri(uri: string | vscode.Uri): vscode.Uri {
  const u = toUri(uri);
  return u.path.length > 1 && u.path.endsWith('/') ? u.with({ path: u.path.replace(/\/+$/, '') }) : u;
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

/** `examples/checkout-v2/05-release.md`: workspace-relative when possible. */
export function displayPath(uri: string | vscode.Uri): string {
  const u = toUri(uri);
  if (u.scheme !== 'file') return u.toString();
  return vscode.workspace.asRelativePath(u, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}
