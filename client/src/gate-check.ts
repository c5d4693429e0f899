import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type CheckGateParams,
  CheckGateRequest,
  type CheckGateResult,
  type GateUnmetDto,
  type PhaseDto,
  type WorkflowDto,
} from '../../server/src/protocol';
import { displayPath, revealLine } from './navigation';
import {
  definitionName,
  phaseView,
  verdictMessage,
  verdictReport,
  workflowName,
  workflowPickDescription,
  workflowsToPick,
} from './progress-model';
import { phaseLabel, sameUri, type WorkflowStore } from './workflow-store';

/** What the tree's "Check Gate" action receives. */
export interface GateTarget {
  workflow: WorkflowDto;
  phase?: PhaseDto;
  group?: { heading: string; line?: number; file?: string };
}

/**
 * "CDP: Check Gate…" and "CDP: Check Release Readiness": ask the server for gate verdicts
 * and show them as a notification, with the full report in the output channel.
 */
export class GateChecker {
  private last: CheckGateResult | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly store: WorkflowStore,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** The verdict of the last check, for tests. */
  lastVerdict(): CheckGateResult | undefined {
    return this.last;
  }

  /**
   * With `{workflow, phase, group}` (from a code lens, the status bar or the tree) checks
   * straight away; otherwise asks for the workflow, the phase and the group.
   */
  async checkGate(args?: CheckGateParams | GateTarget): Promise<CheckGateResult | undefined> {
    let params: CheckGateParams | undefined;
    if (args && typeof args === 'object' && typeof args.workflow === 'object') {
      const t = args as GateTarget;
      params = { workflow: t.workflow.id, phase: t.phase?.phase, group: t.group?.heading };
      // The group's own heading, not every heading of its name (a rollback section's
      // `### Exit Criteria` beside the phase's).
      if (t.group && !t.group.file && t.group.line !== undefined && t.group.line >= 0)
        params.line = t.group.line;
    } else if (args && typeof args === 'object' && (args as CheckGateParams).phase !== undefined) {
      params = args as CheckGateParams;
    } else {
      params = await this.pick((args as CheckGateParams | undefined)?.workflow);
    }
    if (!params) return undefined;
    return this.run(params, 'Gate');
  }

  /**
   * Every phase up to the release phase (setting `cdp.phases.releasePhase`); every phase
   * of a workflow that has none, as the Release Dashboard.
   */
  async checkReleaseReadiness(args?: { workflow?: string }): Promise<CheckGateResult | undefined> {
    let workflow = args?.workflow;
    if (!workflow) {
      const workflows = await this.store.workflows();
      const editor = vscode.window.activeTextEditor;
      const active = editor?.document.languageId === 'markdown' ? editor.document.uri : undefined;
      const w = (active && this.store.workflowFor(active)) ?? (await pickWorkflow(workflows));
      if (!w) return undefined;
      workflow = w.id;
    }
    // The server knows the release phase (`cdp.phases.releasePhase`) and the dashboard's rule.
    return this.run({ workflow, readiness: true }, 'Release readiness');
  }

  private async pick(workflowId?: string): Promise<CheckGateParams | undefined> {
    const workflows = await this.store.workflows();
    // The document in the editor: its workflow and phase come first in the lists.
    const editor = vscode.window.activeTextEditor;
    const active = editor?.document.languageId === 'markdown' ? editor.document.uri : undefined;
    const own = active ? this.store.workflowFor(active) : undefined;
    const w = workflowId ? workflows.find((x) => x.id === workflowId) : await pickWorkflow(workflows, own);
    if (!w) {
      if (workflowId) void vscode.window.showWarningMessage(`No CDP workflow "${workflowId}".`);
      return undefined;
    }
    type PhaseItem = vscode.QuickPickItem & { phase: PhaseDto };
    const phaseItems: PhaseItem[] = w.phases.map((p) => ({
      ...phasePick(p, w.definition),
      detail: p.title || undefined,
      phase: p,
    }));
    // The active document's phase, else the current one.
    const activeKey = active?.toString();
    const focused =
      phaseItems.find((i) => activeKey !== undefined && sameUri(i.phase.uri, activeKey)) ??
      phaseItems.find((i) => i.phase.state === 'current');
    const phase = await quickPick(
      phaseItems,
      { title: `Check Gate: ${workflowName(w)}`, placeHolder: 'Which phase?', matchOnDetail: true },
      focused,
    );
    if (!phase) return undefined;
    type GroupItem = vscode.QuickPickItem & { group?: string };
    const items: GroupItem[] = [
      { label: '$(shield) All gates of this phase', description: 'entry, exit and gate groups' },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...phase.phase.groups.map((g) => ({
        label: `${g.kind === 'gate' ? '$(shield)' : '$(checklist)'} ${g.heading || 'Checklist'}`,
        description: `${g.checked}/${g.total}`,
        group: g.heading,
      })),
    ];
    const group = await vscode.window.showQuickPick(items, {
      title: `Check Gate: ${phaseLabel(phase.phase)}`,
      placeHolder: 'All gates, or one group?',
    });
    if (!group) return undefined;
    return { workflow: w.id, phase: phase.phase.phase, group: group.group };
  }

  private async run(params: CheckGateParams, what: string): Promise<CheckGateResult | undefined> {
    let result: CheckGateResult;
    try {
      result = await this.client.sendRequest(CheckGateRequest, params);
    } catch (err) {
      void vscode.window.showErrorMessage(
        `${what} check failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    }
    this.last = result;
    this.report(params, result, what);
    this.notify(result, what);
    return result;
  }

  private notify(result: CheckGateResult, what: string): void {
    const message = verdictMessage(
      result,
      what,
      this.store.current.flatMap((w) => w.phases),
    );
    if (result.verdicts.length === 0) {
      void vscode.window.showInformationMessage(message);
      return;
    }
    if (result.passed) {
      void vscode.window.showInformationMessage(message, 'Show Report').then((a) => {
        if (a) this.output.show(true);
      });
      return;
    }
    const unmet = result.verdicts.flatMap((v) => v.unmet);
    const actions = unmet.length > 0 ? ['Show unmet', 'Show Report'] : ['Show Report'];
    void vscode.window.showWarningMessage(message, ...actions).then((a) => {
      if (a === 'Show unmet') void showUnmet(unmet);
      else if (a) this.output.show(true);
    });
  }

  private report(params: CheckGateParams, result: CheckGateResult, what: string): void {
    this.output.appendLine('');
    for (const line of verdictReport(params, result, what, displayPath)) this.output.appendLine(line);
  }
}

export async function showUnmet(unmet: GateUnmetDto[]): Promise<void> {
  type Item = vscode.QuickPickItem & { unmet: GateUnmetDto };
  const picked = await vscode.window.showQuickPick<Item>(
    unmet.map((u) => ({
      label: `$(circle-large-outline) ${u.shown ?? u.text}`,
      description: u.group,
      detail: `${displayPath(u.uri)}:${u.line + 1}`,
      unmet: u,
    })),
    {
      title: 'Unmet criteria',
      placeHolder: 'Go to a criterion',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  if (picked) await revealLine(picked.unmet.uri, picked.unmet.line);
}

/** A quick pick of `items` with `focused` (when given) the item the list starts on. */
function quickPick<T extends vscode.QuickPickItem>(
  items: T[],
  options: { title: string; placeHolder: string; matchOnDetail?: boolean },
  focused?: T,
): Promise<T | undefined> {
  if (!focused) return Promise.resolve(vscode.window.showQuickPick<T>(items, options));
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = options.title;
    qp.placeholder = options.placeHolder;
    qp.matchOnDetail = options.matchOnDetail ?? false;
    qp.items = items;
    qp.activeItems = [focused];
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems[0] ?? qp.activeItems[0]);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

export async function pickWorkflow(
  all: WorkflowDto[],
  preferred?: WorkflowDto,
): Promise<WorkflowDto | undefined> {
  // work under way only: a definition is no workflow to check or to follow
  const workflows = workflowsToPick(all);
  if (workflows.length === 0) {
    void vscode.window.showInformationMessage('No CDP workflow found in this workspace.');
    return undefined;
  }
  if (workflows.length === 1) return workflows[0];
  type Item = vscode.QuickPickItem & { workflow: WorkflowDto };
  const items: Item[] = workflows.map((w) => ({
    label: `$(project) ${w.definition ? definitionName(w) : workflowName(w)}`,
    description: workflowPickDescription(w),
    workflow: w,
  }));
  const picked = await quickPick(
    items,
    { title: 'CDP Workflow', placeHolder: 'Which workflow?' },
    items.find((i) => i.workflow.id === preferred?.id),
  );
  return picked?.workflow;
}

/** A phase in a quick pick: its row's icon (`$(pass-filled)`) and description (`12/15 · current`). */
export function phasePick(p: PhaseDto, definition = false): { label: string; description: string } {
  const v = phaseView(p, definition);
  return { label: `$(${v.icon}) ${v.label}`, description: v.description };
}
