import * as vscode from 'vscode';
import type { PlanInstanceResult, WorkflowDto } from '../../server/src/protocol';
import { validateFolderName } from './definition-instance';
import { displayPath, toUri } from './navigation';
import { definitionName, plural, workflowPickDescription } from './progress-model';
import { templateConflict, validateWorkflowName, workflowDocuments, workflowFolderName } from './templates';
import type { WorkflowStore } from './workflow-store';

export interface NewWorkflowArgs {
  /** Folder to create the workflow's folder in. Asked for when missing. */
  folder?: vscode.Uri | string;
  /** Workflow name (with a definition: the new folder's name). Asked for when missing. */
  name?: string;
  /** Id of a workflow definition in the workspace to copy; the built-in template when missing. */
  definition?: string;
}

/**
 * "CDP: New Workflow…": from a workflow definition of the workspace (a HELIX library,
 * `template: true` documents, `cdp.definitions`), picked when there is one, or else from the
 * built-in template (six linked phase documents). Refuses, and writes nothing, when anything
 * it would write already exists. Returns the first document's URI, opened in a tab of its own.
 */
export async function newWorkflow(
  store: WorkflowStore,
  args?: NewWorkflowArgs,
): Promise<vscode.Uri | undefined> {
  let definition: WorkflowDto | undefined;
  // Definitions with phase documents to copy (a phase that is a folder of documents, its
  // URI ending in `/`, has none).
  const definitions = (await store.workflows()).filter(
    (w) => w.definition && w.phases.some((p) => !p.uri.endsWith('/')),
  );
  if (args?.definition !== undefined) {
    definition = definitions.find((w) => w.id === args.definition);
    if (!definition) {
      void vscode.window.showErrorMessage(
        `There is no workflow definition "${args.definition}" in the workspace.`,
      );
      return undefined;
    }
  } else if (args?.folder === undefined && args?.name === undefined && definitions.length > 0) {
    const builtIn = {
      label: 'CDP workflow',
      description: 'built-in template',
      detail: '01-diagnose.md … 06-follow-up.md',
      definition: undefined as WorkflowDto | undefined,
    };
    const chosen = await vscode.window.showQuickPick(
      [
        ...definitions.map((d) => ({
          label: definitionName(d),
          description: workflowPickDescription(d),
          detail: d.phases[0] ? displayPath(d.phases[0].uri) : undefined,
          definition: d as WorkflowDto | undefined,
        })),
        builtIn,
      ],
      { title: 'New Workflow', placeHolder: 'Create the new workflow from' },
    );
    if (!chosen) return undefined;
    definition = chosen.definition;
  }
  if (definition) return fromDefinition(store, definition, args);
  return fromTemplate(args);
}

async function askParent(args: NewWorkflowArgs | undefined, title: string): Promise<vscode.Uri | undefined> {
  if (args?.folder !== undefined) return toUri(args.folder);
  const folders = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Create Workflow Here',
    title,
  });
  return folders?.[0];
}

/** A copy of a definition's phase documents and gate files in a new folder, as the server plans it (cdp/planInstance). */
async function fromDefinition(
  store: WorkflowStore,
  def: WorkflowDto,
  args?: NewWorkflowArgs,
): Promise<vscode.Uri | undefined> {
  const parent = await askParent(args, `New Workflow from ${definitionName(def)}: where?`);
  if (!parent) return undefined;
  let name = args?.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: `New Workflow from ${definitionName(def)}`,
      prompt: 'Name of the folder that gets the phase documents and gate files',
      value: definitionName(def),
      // Checked as it is typed: an existing folder is told before Enter.
      validateInput: async (v) => {
        const problem = validateFolderName(v);
        if (problem) return problem;
        const folder = vscode.Uri.joinPath(parent, v.trim());
        const shown = vscode.workspace.asRelativePath(folder, true);
        if (await exists(folder)) return `${shown} already exists: choose another name.`;
        return {
          message: `Creates ${shown}/ with ${plural(def.phases.length, 'phase')}`,
          severity: vscode.InputBoxValidationSeverity.Info,
        };
      },
    });
    if (name === undefined) return undefined;
  }
  const problem = validateFolderName(name);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  const folder = vscode.Uri.joinPath(parent, name.trim());
  if (await exists(folder)) {
    void vscode.window.showErrorMessage(
      `Not creating the workflow: ${vscode.workspace.asRelativePath(folder, true)} already exists.`,
    );
    return undefined;
  }
  let plan: PlanInstanceResult;
  try {
    plan = await store.planInstance({ definition: def.id, folder: folder.toString() });
  } catch (err) {
    void vscode.window.showErrorMessage(
      `Could not copy the definition ${definitionName(def)}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
  if (plan.refused !== undefined) {
    void vscode.window.showErrorMessage(plan.refused);
    return undefined;
  }
  const files = plan.files.map((f) => ({ uri: vscode.Uri.parse(f.uri), text: f.text }));
  const first = await writeAll(folder, files);
  if (first && plan.unmapped.length > 0) {
    // Said once the files are written: the copy's gates may still check the definition's files.
    const where = plan.unmapped
      .map(
        (u) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(u.uri), true)}:${u.line + 1} (${u.value})`,
      )
      .join('; ');
    void vscode.window.showWarningMessage(
      `Created ${vscode.workspace.asRelativePath(folder, true)}/; ${plural(plan.unmapped.length, 'gate path')} could not be pointed at the new workflow's files and still name${plan.unmapped.length === 1 ? 's' : ''} the definition's: ${where}.`,
    );
  }
  return first;
}

/** Writes new files (refusing, before writing anything, when one exists) and opens the first. */
async function writeAll(
  folder: vscode.Uri,
  files: { uri: vscode.Uri; text: string }[],
): Promise<vscode.Uri | undefined> {
  for (const d of files) {
    if (await exists(d.uri)) {
      void vscode.window.showErrorMessage(
        `Not creating the workflow: ${vscode.workspace.asRelativePath(d.uri, true)} already exists.`,
      );
      return undefined;
    }
  }
  if (files.length === 0) {
    void vscode.window.showErrorMessage(
      'Not creating the workflow: the definition has no phase documents to copy.',
    );
    return undefined;
  }
  try {
    await vscode.workspace.fs.createDirectory(folder);
    for (const d of files) {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(d.uri, '..'));
      await vscode.workspace.fs.writeFile(d.uri, new TextEncoder().encode(d.text));
    }
  } catch (err) {
    void vscode.window.showErrorMessage(
      `Could not create the workflow: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
  const first = files.find((f) => f.uri.path.toLowerCase().endsWith('.md'))?.uri ?? files[0]!.uri;
  // a tab of its own, not a preview the next click replaces
  await vscode.window.showTextDocument(first, { preview: false });
  return first;
}

/** The built-in CDP template: six linked phase documents in a folder named after the workflow. */
async function fromTemplate(args?: NewWorkflowArgs): Promise<vscode.Uri | undefined> {
  const parent = await askParent(args, 'New CDP Workflow: where?');
  if (!parent) return undefined;
  let name = args?.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'New CDP Workflow',
      prompt: 'Name of the workflow (its documents go into a folder of the same name)',
      placeHolder: 'Checkout v2',
      // Checked as it is typed: a folder whose documents exist is told before Enter.
      validateInput: async (v) =>
        validateWorkflowName(v) ??
        (await templateConflict(v, (rel) => exists(vscode.Uri.joinPath(parent, rel)))) ?? {
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
  return writeAll(folder, docs);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
