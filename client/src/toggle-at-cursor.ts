import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ToggleCriterionRequest } from '../../server/src/protocol';
import { criterionText } from './progress-model';

/**
 * "CDP: Toggle Criterion at Cursor" (Ctrl+Alt+X / Cmd+Alt+X): ticks or unticks the checklist
 * item on each cursor's line through the server, which changes one character and refuses
 * a line that is not a criterion. The document is left unsaved, as any typing would.
 */
export async function toggleCriterionAtCursor(
  client: LanguageClient,
  editor?: vscode.TextEditor,
): Promise<boolean> {
  const ed = editor ?? vscode.window.activeTextEditor;
  if (ed?.document.languageId !== 'markdown') return false;
  const lines = [...new Set(ed.selections.map((s) => s.active.line))].sort((a, b) => a - b);
  const edit = new vscode.WorkspaceEdit();
  let changed = false;
  for (const line of lines) {
    const expectedText = criterionText(ed.document.lineAt(line).text);
    if (expectedText === undefined) continue;
    const result = await client.sendRequest(ToggleCriterionRequest, {
      uri: ed.document.uri.toString(),
      line,
      expectedText,
    });
    if (!result.edit) {
      if (result.refused) void vscode.window.showWarningMessage(result.refused);
      continue;
    }
    const e = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    for (const [uri, edits] of e.entries()) for (const te of edits) edit.replace(uri, te.range, te.newText);
    changed = true;
  }
  if (!changed) {
    if (lines.every((l) => criterionText(ed.document.lineAt(l).text) === undefined))
      vscode.window.setStatusBarMessage('No checklist item on this line.', 3000);
    return false;
  }
  return vscode.workspace.applyEdit(edit);
}
