import * as vscode from 'vscode';
import { displayPath } from './navigation';
import { gateReportMarkdown } from './report-markdown';
import type { WorkflowStore } from './workflow-store';

/** "CDP: Export Gate Report": the report in a new untitled markdown editor. */
export async function exportGateReport(store: WorkflowStore): Promise<vscode.TextDocument> {
  await store.refresh();
  const content = gateReportMarkdown(await store.workflows(), { path: displayPath, date: new Date() });
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
