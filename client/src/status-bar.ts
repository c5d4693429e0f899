import * as vscode from 'vscode';
import { displayPath } from './navigation';
import { currentPhase, type WorkflowStore } from './workflow-store';

/**
 * `$(checklist) Release 12/53`: the current phase of the active editor's workflow (or of
 * the only workflow) and its progress. Clicking it checks that phase's gates.
 */
export class ProgressStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: WorkflowStore) {
    this.item = vscode.window.createStatusBarItem('cdp.progress', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'CDP Workflow Progress';
    this.disposables.push(
      this.item,
      store.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.languageId === 'markdown' ? editor.document.uri : undefined;
    const workflow = this.store.workflowFor(uri);
    if (!workflow || workflow.phases.length === 0) {
      this.item.hide();
      return;
    }
    const phase = currentPhase(workflow);
    if (!phase) {
      const last = workflow.phases[workflow.phases.length - 1]!;
      this.item.text = `$(pass-filled) ${workflow.name}: complete`;
      this.item.tooltip = `CDP workflow ${workflow.id}: every phase is complete.\nClick to check the gates of ${last.phase} ${last.name}.`;
      this.item.command = {
        command: 'cdp.checkGate',
        title: 'Check Gate',
        arguments: [{ workflow: workflow.id, phase: last.phase }],
      };
    } else {
      this.item.text = `$(checklist) ${phase.name || phase.phase} ${phase.checked}/${phase.total}`;
      this.item.tooltip = `CDP workflow ${workflow.id}\nCurrent phase: ${phase.phase} ${phase.name} (${displayPath(phase.uri)})\nClick to check its gates.`;
      this.item.command = {
        command: 'cdp.checkGate',
        title: 'Check Gate',
        arguments: [{ workflow: workflow.id, phase: phase.phase }],
      };
    }
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
