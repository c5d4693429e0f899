import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type CriterionDto,
  type GroupDto,
  type PhaseDto,
  ToggleCriterionRequest,
  type WorkflowDto,
} from '../../server/src/protocol';
import { applyFileEdits } from './file-edits';
import { displayPath, toUri } from './navigation';
import { currentPhase, phaseLabel, sameUri, type WorkflowStore } from './workflow-store';

export const VIEW_ID = 'cdp.progress';
const UNMET_ONLY_KEY = 'cdp.unmetOnly';

export type ProgressNode =
  | { kind: 'workflow'; id: string; label: string; workflow: WorkflowDto }
  | { kind: 'phase'; id: string; label: string; workflow: WorkflowDto; phase: PhaseDto }
  | { kind: 'group'; id: string; label: string; workflow: WorkflowDto; phase: PhaseDto; group: GroupDto }
  | {
      kind: 'criterion';
      id: string;
      label: string;
      workflow: WorkflowDto;
      phase: PhaseDto;
      group: GroupDto;
      criterion: CriterionDto;
    };

/**
 * "Release Progress": workflows → phases → checklist groups → criteria, the criteria with
 * checkboxes that tick the item in the document. Item ids are stable (uri#line), so a
 * refresh keeps the expansion state and does not flicker.
 */
export class ProgressTree implements vscode.TreeDataProvider<ProgressNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProgressNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ProgressNode>;
  private unmetOnly: boolean;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly store: WorkflowStore,
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
  ) {
    this.unmetOnly = state.get<boolean>(UNMET_ONLY_KEY, false);
    void vscode.commands.executeCommand('setContext', UNMET_ONLY_KEY, this.unmetOnly);
    this.view = vscode.window.createTreeView(VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
      manageCheckboxStateManually: true,
    });
    this.disposables.push(
      this.view,
      store.onDidChange(() => this.changed.fire(undefined)),
      this.view.onDidChangeCheckboxState((e) => void this.checkboxesChanged(e)),
    );
  }

  get showingUnmetOnly(): boolean {
    return this.unmetOnly;
  }

  async setUnmetOnly(value: boolean): Promise<void> {
    this.unmetOnly = value;
    await this.state.update(UNMET_ONLY_KEY, value);
    await vscode.commands.executeCommand('setContext', UNMET_ONLY_KEY, value);
    this.changed.fire(undefined);
  }

  async getChildren(element?: ProgressNode): Promise<ProgressNode[]> {
    if (!element) {
      const workflows = await this.store.workflows();
      this.view.message = this.store.ready ? undefined : 'Indexing CDP documents…';
      return workflows.map((w) => ({
        kind: 'workflow',
        id: `workflow:${w.folder}:${w.id}`,
        label: w.name,
        workflow: w,
      }));
    }
    const unmetOnly = this.unmetOnly;
    switch (element.kind) {
      case 'workflow':
        return element.workflow.phases
          .filter((p) => !unmetOnly || p.checked < p.total)
          .map((p) => ({
            kind: 'phase',
            id: p.uri,
            label: phaseLabel(p),
            workflow: element.workflow,
            phase: p,
          }));
      case 'phase':
        return element.phase.groups
          .filter((g) => !unmetOnly || g.checked < g.total)
          .map((g) => ({
            kind: 'group',
            id: `${element.phase.uri}#${g.line}`,
            label: g.heading || 'Checklist',
            workflow: element.workflow,
            phase: element.phase,
            group: g,
          }));
      case 'group':
        return element.group.items
          .filter((c) => !unmetOnly || !c.checked)
          .map((c) => ({
            kind: 'criterion',
            id: `${element.phase.uri}#${c.line}`,
            label: c.text,
            workflow: element.workflow,
            phase: element.phase,
            group: element.group,
            criterion: c,
          }));
      default:
        return [];
    }
  }

  getParent(element: ProgressNode): ProgressNode | undefined {
    const w = element.workflow;
    switch (element.kind) {
      case 'workflow':
        return undefined;
      case 'phase':
        return { kind: 'workflow', id: `workflow:${w.folder}:${w.id}`, label: w.name, workflow: w };
      case 'group':
        return {
          kind: 'phase',
          id: element.phase.uri,
          label: phaseLabel(element.phase),
          workflow: w,
          phase: element.phase,
        };
      case 'criterion':
        return {
          kind: 'group',
          id: `${element.phase.uri}#${element.group.line}`,
          label: element.group.heading || 'Checklist',
          workflow: w,
          phase: element.phase,
          group: element.group,
        };
    }
  }

  getTreeItem(node: ProgressNode): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (node.kind) {
      case 'workflow': {
        const w = node.workflow;
        const item = new vscode.TreeItem(node.label, Expanded);
        const cur = currentPhase(w);
        const checked = w.phases.reduce((n, p) => n + p.checked, 0);
        const total = w.phases.reduce((n, p) => n + p.total, 0);
        item.description = cur ? `current: ${phaseLabel(cur)}` : 'all phases complete';
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMd(w.name)}** \`${escapeMd(w.id)}\`\n\n${w.phases.length} phases, ${checked}/${total} criteria met`,
        );
        item.iconPath = new vscode.ThemeIcon(cur ? 'project' : 'pass-filled');
        item.contextValue = 'cdp.workflow';
        item.id = node.id;
        return item;
      }
      case 'phase': {
        const p = node.phase;
        const item = new vscode.TreeItem(
          node.label,
          p.groups.length > 0 ? Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.description = `${p.checked}/${p.total}`;
        item.iconPath = phaseIcon(p);
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMd(p.title || node.label)}**\n\n${escapeMd(displayPath(p.uri))}\n\n${stateText(p)}: ${p.checked}/${p.total} criteria met`,
        );
        item.resourceUri = toUri(p.uri);
        item.command = { command: 'cdp.revealGroup', title: 'Open Phase Document', arguments: [p.uri, 0] };
        item.contextValue = 'cdp.phase';
        item.id = node.id;
        return item;
      }
      case 'group': {
        const g = node.group;
        const item = new vscode.TreeItem(
          node.label,
          g.items.length > 0 ? Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.description = `${g.checked}/${g.total}`;
        item.iconPath = groupIcon(g);
        item.tooltip = `${node.label} (${kindText(g)}): ${g.checked}/${g.total} met${g.passed ? ', passed' : ''}`;
        item.command = {
          command: 'cdp.revealGroup',
          title: 'Reveal Group',
          arguments: [node.phase.uri, Math.max(0, g.line)],
        };
        item.contextValue = g.kind === 'gate' ? 'cdp.gate' : 'cdp.group';
        item.id = node.id;
        return item;
      }
      case 'criterion': {
        const c = node.criterion;
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.checkboxState = c.checked
          ? vscode.TreeItemCheckboxState.Checked
          : vscode.TreeItemCheckboxState.Unchecked;
        item.tooltip = `${c.text}\n${displayPath(node.phase.uri)}:${c.line + 1}`;
        item.command = {
          command: 'cdp.revealGroup',
          title: 'Reveal Criterion',
          arguments: [node.phase.uri, c.line],
        };
        item.contextValue = c.checked ? 'cdp.criterion.checked' : 'cdp.criterion.unchecked';
        item.id = node.id;
        return item;
      }
    }
  }

  /** Ticks or unticks criteria in their documents, one after the other. */
  private async checkboxesChanged(e: vscode.TreeCheckboxChangeEvent<ProgressNode>): Promise<void> {
    let refused = false;
    for (const [node, state] of e.items) {
      if (node.kind !== 'criterion') continue;
      const ok = await this.setCriterion(node, state === vscode.TreeItemCheckboxState.Checked);
      refused ||= !ok;
    }
    // Put the boxes back the way the documents say.
    if (refused) await this.store.refresh().then(() => this.changed.fire(undefined));
  }

  /**
   * Sets a criterion in its document through the server (which refuses when the line no
   * longer holds the text shown) and saves the document unless it had unsaved changes of
   * its own, so ticking in the tree changes the file. False when nothing was changed.
   */
  async setCriterion(node: Extract<ProgressNode, { kind: 'criterion' }>, checked: boolean): Promise<boolean> {
    const uri = node.phase.uri;
    try {
      const result = await this.client.sendRequest(ToggleCriterionRequest, {
        uri,
        line: node.criterion.line,
        expectedText: node.criterion.text,
        checked,
      });
      if (!result.edit) {
        if (result.refused) {
          void vscode.window.showWarningMessage(
            `Could not change "${node.criterion.text}": ${result.refused}`,
          );
          return false;
        }
        return true; // already in that state
      }
      const edit = await this.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
      const open = vscode.workspace.textDocuments.find((d) => sameUri(d.uri.toString(), uri));
      if (!open) {
        // Not open anywhere: change the file itself, so the disk holds the tick at once.
        await writeEdits(edit);
        return true;
      }
      const wasDirty = open.isDirty;
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage(
          `Could not change "${node.criterion.text}": the edit was not applied.`,
        );
        return false;
      }
      if (!wasDirty) await saveOrWait(open);
      return true;
    } catch (err) {
      void vscode.window.showWarningMessage(
        `Could not change "${node.criterion.text}": ${err instanceof Error ? err.message : String(err)}`,
      );
      return false;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Saves a document an edit made dirty. `save()` can answer false while a save of the same
 * document is under way; then wait (briefly) until the document is clean.
 */
async function saveOrWait(doc: vscode.TextDocument, timeoutMs = 3000): Promise<void> {
  if (!doc.isDirty || (await doc.save()) || !doc.isDirty) return;
  const end = Date.now() + timeoutMs;
  while (doc.isDirty && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

/** Applies text edits to files that are not open, reading and writing them with workspace.fs. */
async function writeEdits(edit: vscode.WorkspaceEdit): Promise<void> {
  for (const [uri, edits] of edit.entries()) {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      await vscode.workspace.fs.readFile(uri),
    );
    const out = applyFileEdits(text, edits);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(out));
  }
}

function phaseIcon(p: PhaseDto): vscode.ThemeIcon {
  switch (p.state) {
    case 'passed':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'errors':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'in-progress':
      return new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('charts.yellow'));
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

function groupIcon(g: GroupDto): vscode.ThemeIcon {
  const color = g.passed ? new vscode.ThemeColor('testing.iconPassed') : undefined;
  if (g.kind === 'gate') return new vscode.ThemeIcon(g.passed ? 'verified' : 'shield', color);
  return new vscode.ThemeIcon(g.passed ? 'pass' : 'checklist', color);
}

function stateText(p: PhaseDto): string {
  switch (p.state) {
    case 'passed':
      return 'Passed';
    case 'errors':
      return 'Has errors';
    case 'in-progress':
      return 'In progress';
    default:
      return 'Not started';
  }
}

function kindText(g: GroupDto): string {
  switch (g.kind) {
    case 'entry':
      return 'entry criteria';
    case 'exit':
      return 'exit criteria';
    case 'gate':
      return 'gate';
    default:
      return 'checklist';
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
