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
import { phaseLabel, type WorkflowStore } from './workflow-store';

/** What the tree's "Check Gate" action receives. */
export interface GateTarget {
  workflow: WorkflowDto;
  phase?: PhaseDto;
  group?: { heading: string };
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
    } else if (args && typeof args === 'object' && (args as CheckGateParams).phase !== undefined) {
      params = args as CheckGateParams;
    } else {
      params = await this.pick((args as CheckGateParams | undefined)?.workflow);
    }
    if (!params) return undefined;
    return this.run(params, 'Gate');
  }

  /** Every phase up to the release phase (setting `cdp.phases.releasePhase`). */
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
    const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
    const release = vscode.workspace
      .getConfiguration('cdp', scope)
      .get<string>('phases.releasePhase', 'release');
    return this.run({ workflow, phase: release, upTo: true }, 'Release readiness');
  }

  private async pick(workflowId?: string): Promise<CheckGateParams | undefined> {
    const workflows = await this.store.workflows();
    const w = workflowId ? workflows.find((x) => x.id === workflowId) : await pickWorkflow(workflows);
    if (!w) {
      if (workflowId) void vscode.window.showWarningMessage(`No CDP workflow "${workflowId}".`);
      return undefined;
    }
    type PhaseItem = vscode.QuickPickItem & { phase: PhaseDto };
    const phase = await vscode.window.showQuickPick<PhaseItem>(
      w.phases.map((p) => ({
        label: `${stateIcon(p)} ${phaseLabel(p)}`,
        description: `${p.checked}/${p.total}`,
        detail: p.title || undefined,
        phase: p,
      })),
      { title: `Check Gate: ${w.name}`, placeHolder: 'Which phase?', matchOnDetail: true },
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
    if (result.verdicts.length === 0) {
      void vscode.window.showInformationMessage(result.message ?? `${what}: nothing to check.`);
      return;
    }
    const summary = summarize(result);
    if (result.passed) {
      void vscode.window.showInformationMessage(`${what} passed: ${summary}`, 'Show Report').then((a) => {
        if (a) this.output.show(true);
      });
      return;
    }
    const unmet = result.verdicts.flatMap((v) => v.unmet);
    void vscode.window
      .showWarningMessage(`${what} failed: ${unmet.length} unmet — ${summary}`, 'Show unmet', 'Show Report')
      .then((a) => {
        if (a === 'Show unmet') void showUnmet(unmet);
        else if (a) this.output.show(true);
      });
  }

  private report(params: CheckGateParams, result: CheckGateResult, what: string): void {
    const o = this.output;
    const scope = [
      params.workflow,
      params.phase && (params.upTo ? `up to ${params.phase}` : params.phase),
      params.group,
    ]
      .filter(Boolean)
      .join(' › ');
    o.appendLine('');
    o.appendLine(`${what} check${scope ? ` (${scope})` : ''}: ${result.passed ? 'PASSED' : 'FAILED'}`);
    if (result.message) o.appendLine(`  ${result.message}`);
    for (const v of result.verdicts) {
      o.appendLine(
        `  ${v.passed ? '✔' : '✘'} ${v.workflow} › ${v.phase} ${v.name}: ${v.checked}/${v.total} (${displayPath(v.uri)})`,
      );
      for (const g of v.groups) {
        o.appendLine(`      ${g.passed ? '✔' : '✘'} ${g.heading}: ${g.checked}/${g.total}`);
      }
      for (const u of v.unmet) {
        o.appendLine(`      - [ ] ${u.text} (${u.group}, ${displayPath(u.uri)}:${u.line + 1})`);
      }
    }
  }
}

/** "checkout-v2 › 05 Release (12/53)" or, for several phases, "checkout-v2 › 01–05 (120/130)". */
function summarize(result: CheckGateResult): string {
  const vs = result.verdicts;
  const checked = vs.reduce((n, v) => n + v.checked, 0);
  const total = vs.reduce((n, v) => n + v.total, 0);
  const workflows = [...new Set(vs.map((v) => v.workflow))];
  const first = vs[0]!;
  const last = vs[vs.length - 1]!;
  let what: string;
  if (vs.length === 1) {
    const groups = first.groups.length === 1 ? ` › ${first.groups[0]!.heading}` : '';
    what = `${first.phase} ${first.name}${groups}`;
  } else if (workflows.length === 1) {
    what = `${first.phase}–${last.phase} ${last.name}`;
  } else {
    what = `${vs.length} phases`;
  }
  return `${workflows.length === 1 ? `${workflows[0]} › ` : ''}${what} (${checked}/${total})`;
}

export async function showUnmet(unmet: GateUnmetDto[]): Promise<void> {
  type Item = vscode.QuickPickItem & { unmet: GateUnmetDto };
  const picked = await vscode.window.showQuickPick<Item>(
    unmet.map((u) => ({
      label: `$(circle-large-outline) ${u.text}`,
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

export async function pickWorkflow(workflows: WorkflowDto[]): Promise<WorkflowDto | undefined> {
  if (workflows.length === 0) {
    void vscode.window.showInformationMessage('No CDP workflow found in this workspace.');
    return undefined;
  }
  if (workflows.length === 1) return workflows[0];
  type Item = vscode.QuickPickItem & { workflow: WorkflowDto };
  const picked = await vscode.window.showQuickPick<Item>(
    workflows.map((w) => {
      const cur = w.phases.find((p) => p.phase === w.current);
      return {
        label: `$(project) ${w.name}`,
        description: cur ? `current: ${phaseLabel(cur)}` : 'complete',
        detail: w.id,
        workflow: w,
      };
    }),
    { title: 'CDP Workflow', placeHolder: 'Which workflow?' },
  );
  return picked?.workflow;
}

export function stateIcon(p: PhaseDto): string {
  switch (p.state) {
    case 'passed':
      return '$(pass-filled)';
    case 'errors':
      return '$(error)';
    case 'in-progress':
      return '$(circle-large-outline)';
    default:
      return '$(circle-outline)';
  }
}
