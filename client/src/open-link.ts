import * as vscode from 'vscode';
import { toUri } from './navigation';
import type { OpenLinkArgs } from './preview-plugin';

/**
 * `cdp.openLink`, run by a wikilink in the Markdown preview: finds the link as written in its
 * document and opens what the language server's definition gives for it (the target
 * document, at the heading when the link names one). True when something was opened.
 */
export async function openLink(args?: OpenLinkArgs): Promise<boolean> {
  if (!args?.raw || !args.uri) return false;
  const doc = await vscode.workspace.openTextDocument(toUri(args.uri));
  const text = doc.getText();
  for (let at = text.indexOf(args.raw); at >= 0; at = text.indexOf(args.raw, at + 1)) {
    // inside the brackets, where the server reads the link
    const pos = doc.positionAt(at + 2);
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      pos,
    );
    const first = found?.[0];
    if (!first) continue; // e.g. the same text in a code span: try the next one
    const uri = 'targetUri' in first ? first.targetUri : first.uri;
    const range = 'targetUri' in first ? (first.targetSelectionRange ?? first.targetRange) : first.range;
    await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(range.start, range.start),
      preview: false,
    });
    return true;
  }
  void vscode.window.showWarningMessage(`The link ${args.raw} does not resolve to a document.`);
  return false;
}
