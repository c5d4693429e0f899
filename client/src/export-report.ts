import * as vscode from 'vscode';
import type { WorkflowDto } from '../../server/src/protocol';
import { displayPath, toUri } from './navigation';
import { gateReportMarkdown } from './report-markdown';
import type { WorkflowStore } from './workflow-store';

export interface ExportOptions {
  /** Where to write the report; asked for when omitted. */
  target?: string | vscode.Uri;
  /** Only this workflow (its id). */
  workflow?: string;
}

/**
 * "CDP: Export Gate Report" (and "Export Gate Report of This Workflow" on a workflow row):
 * writes the report to a markdown file, its links relative to that file, and opens it.
 */
export async function exportGateReport(
  store: WorkflowStore,
  opts: ExportOptions = {},
): Promise<vscode.TextDocument | undefined> {
  await store.refresh();
  let workflows = await store.workflows();
  if (opts.workflow) workflows = workflows.filter((w) => w.id === opts.workflow);
  const target = opts.target ? toUri(opts.target) : await askTarget(workflows);
  if (!target) return undefined;
  const content = gateReportMarkdown(workflows, {
    path: displayPath,
    date: new Date(),
    reportUri: target.toString(),
  });
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

async function askTarget(workflows: WorkflowDto[]): Promise<vscode.Uri | undefined> {
  const only = workflows.length === 1 ? workflows[0] : undefined;
  const folder = only ? toUri(only.folder) : vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = only ? `${only.name}-gate-report.md` : 'gate-report.md';
  return vscode.window.showSaveDialog({
    title: 'Export Gate Report',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { Markdown: ['md'] },
    saveLabel: 'Export',
  });
}
