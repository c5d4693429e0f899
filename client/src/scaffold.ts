import * as vscode from 'vscode';
import { toUri } from './navigation';
import { validateWorkflowName, workflowDocuments, workflowFolderName } from './templates';

export interface NewWorkflowArgs {
  /** Folder to create the workflow's folder in. Asked for when missing. */
  folder?: vscode.Uri | string;
  /** Workflow name. Asked for when missing. */
  name?: string;
}

/**
 * "CDP: New Workflow…": six linked phase documents in a new folder. Refuses, and writes
 * nothing, when any of the documents already exists. Returns the first document's URI.
 */
export async function newWorkflow(args?: NewWorkflowArgs): Promise<vscode.Uri | undefined> {
  let parent = args?.folder !== undefined ? toUri(args.folder) : undefined;
  if (!parent) {
    const folders = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Create Workflow Here',
      title: 'New CDP Workflow: where?',
    });
    parent = folders?.[0];
    if (!parent) return undefined;
  }
  let name = args?.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'New CDP Workflow',
      prompt: 'Name of the workflow (its documents go into a folder of the same name)',
      placeHolder: 'Checkout v2',
      validateInput: (v) =>
        validateWorkflowName(v) ?? {
          message: `Creates ${workflowFolderName(v)}/01-diagnose.md … 06-follow-up.md`,
          severity: vscode.InputBoxValidationSeverity.Info,
        },
    });
    if (name === undefined) return undefined;
  }
  const problem = validateWorkflowName(name);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  const folder = vscode.Uri.joinPath(parent, workflowFolderName(name));
  const docs = workflowDocuments(name).map((d) => ({ ...d, uri: vscode.Uri.joinPath(folder, d.file) }));
  for (const d of docs) {
    if (await exists(d.uri)) {
      void vscode.window.showErrorMessage(
        `Not creating the workflow: ${vscode.workspace.asRelativePath(d.uri, true)} already exists.`,
      );
      return undefined;
    }
  }
  try {
    await vscode.workspace.fs.createDirectory(folder);
    for (const d of docs) await vscode.workspace.fs.writeFile(d.uri, new TextEncoder().encode(d.text));
  } catch (err) {
    void vscode.window.showErrorMessage(
      `Could not create the workflow: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
  const first = docs[0]!.uri;
  // a tab of its own, not a preview the next click replaces
  await vscode.window.showTextDocument(first, { preview: false });
  return first;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
