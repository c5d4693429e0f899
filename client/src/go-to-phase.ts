import * as vscode from 'vscode';
import type { PhaseDto } from '../../server/src/protocol';
import { phasePick } from './gate-check';
import { displayPath, revealLine } from './navigation';
import { workflowName } from './progress-model';
import type { WorkflowStore } from './workflow-store';

/** "CDP: Go to Phase…": every phase of every workflow, grouped by workflow; opens the one picked. */
export async function goToPhase(store: WorkflowStore): Promise<void> {
  const workflows = await store.workflows();
  if (workflows.length === 0) {
    void vscode.window.showInformationMessage('No CDP phase documents found in this workspace.');
    return;
  }
  type Item = vscode.QuickPickItem & { phase?: PhaseDto };
  const items: Item[] = [];
  for (const w of workflows) {
    if (workflows.length > 1)
      items.push({ label: workflowName(w), kind: vscode.QuickPickItemKind.Separator });
    for (const p of w.phases) {
      items.push({
        ...phasePick(p, w.definition),
        detail: `${p.title ? `${p.title} — ` : ''}${displayPath(p.uri)}`,
        phase: p,
      });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Go to Phase',
    placeHolder: 'Phase document to open',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.phase) await revealLine(picked.phase.uri, 0);
}
