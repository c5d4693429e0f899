import * as vscode from 'vscode';
import type { WorkflowDto } from '../../server/src/protocol';
import { pickWorkflow } from './gate-check';
import { displayPath, revealLine } from './navigation';
import {
  currentPhaseOf,
  noCurrentText,
  phaseLabel,
  workflowName,
  workflowOfGateFile,
  workflowsSummary,
} from './progress-model';
import { sameUri, type WorkflowStore } from './workflow-store';

/**
 * `$(checklist) Release 12/53`: the current phase of the active editor's workflow (or of
 * the only workflow) and its progress; its tooltip names what keeps the phase current.
 * Clicking it checks that phase's gates. With several workflows and no document of one
 * open, a summary ("3 workflows · 2 current") whose click picks a workflow.
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
    const doc = editor?.document;
    const uri = doc?.languageId === 'markdown' ? doc.uri : undefined;
    // definitions are templates: no progress, no current phase
    const all = this.store.current.filter((w) => !w.definition);
    // A gate file (or the confirmations) stands for its phase's workflow, as its phase document.
    let workflow =
      (doc && !uri && /\.ya?ml$/i.test(doc.uri.path)
        ? workflowOfGateFile(this.store.current, doc.uri.toString(), sameUri)
        : undefined) ?? this.store.workflowFor(uri);
    if (workflow?.definition) workflow = undefined;
    if (!workflow && all.length === 1) workflow = all[0];
    if (!workflow && all.length > 1) {
      this.item.text = `$(checklist) ${workflowsSummary(all)}`;
      this.item.tooltip = [
        'CDP workflows:',
        ...all.map((w) => {
          const cur = currentPhaseOf(w);
          return `• ${workflowName(w)}: ${cur ? `current ${phaseLabel(cur)} ${cur.checked}/${cur.total}` : noCurrentText(w)}`;
        }),
        'Click to choose one.',
      ].join('\n');
      this.item.command = { command: 'cdp.chooseWorkflow', title: 'Choose Workflow' };
      this.item.show();
      return;
    }
    if (!workflow || workflow.phases.length === 0) {
      this.item.hide();
      return;
    }
    const phase = currentPhaseOf(workflow);
    if (!phase) {
      const last = workflow.phases[workflow.phases.length - 1]!;
      const unread = workflow.unreadPhases ?? [];
      this.item.text = `$(${unread.length > 0 ? 'error' : 'pass-filled'}) ${workflowName(workflow)}: ${noCurrentText(workflow)}`;
      this.item.tooltip =
        unread.length > 0
          ? [
              `CDP workflow ${workflowName(workflow)}: the phases read are complete, but`,
              ...unread.map((u) => `${u.phase}: ${displayPath(u.uri)} was not read (${u.reason})`),
              `Click to check the gates of ${last.phase} ${last.name}.`,
            ].join('\n')
          : `CDP workflow ${workflowName(workflow)}: every phase is complete.\nClick to check the gates of ${last.phase} ${last.name}.`;
      this.item.command = {
        command: 'cdp.checkGate',
        title: 'Check Gate',
        arguments: [{ workflow: workflow.id, phase: last.phase }],
      };
    } else {
      this.item.text = `$(checklist) ${phase.name || phase.phase} ${phase.checked}/${phase.total}`;
      this.item.tooltip = [
        `CDP workflow ${workflowName(workflow)}`,
        `Current phase: ${phase.phase} ${phase.name} (${displayPath(phase.uri)})`,
        ...(phase.reasons ?? []).map((r) => `current because ${r}`),
        'Click to check its gates.',
      ].join('\n');
      this.item.command = {
        command: 'cdp.checkGate',
        title: 'Check Gate',
        arguments: [{ workflow: workflow.id, phase: phase.phase }],
      };
    }
    this.item.show();
  }

  /** The summary's click: pick a workflow, open its current phase (the item then shows it). */
  async chooseWorkflow(): Promise<WorkflowDto | undefined> {
    const w = await pickWorkflow(await this.store.workflows());
    if (!w) return undefined;
    const phase = currentPhaseOf(w) ?? w.phases[w.phases.length - 1];
    if (phase) await revealLine(phase.uri, 0);
    return w;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
