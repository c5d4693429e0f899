import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type CriterionDto,
  type GroupDto,
  type PhaseDto,
  ToggleCriterionRequest,
  type UnreadPhaseDto,
  type WorkflowDto,
} from '../../server/src/protocol';
import { applyFileEdits } from './file-edits';
import { rowContext } from './gate-commands-model';
import { displayPath, explorerUri, revealLine, toUri } from './navigation';
import {
  artifactView,
  criterionContext,
  criterionLabel,
  criterionView,
  currentPhaseOf,
  definitionsView,
  groupView,
  isUnreadPhase,
  phaseRows,
  phaseView,
  plainItemText,
  plainItemView,
  type RowView,
  refusalAction,
  setCriteria,
  unreadPhaseView,
  workflowName,
  workflowView,
} from './progress-model';
import { phaseLabel, sameUri, type WorkflowStore } from './workflow-store';

export const VIEW_ID = 'cdp.progress';
const UNMET_ONLY_KEY = 'cdp.unmetOnly';
const CURRENT_PHASE_ONLY_KEY = 'cdp.currentPhaseOnly';

export type ProgressNode =
  | { kind: 'definitions'; id: string; label: string; workflows: WorkflowDto[]; workflow?: undefined }
  | { kind: 'workflow'; id: string; label: string; workflow: WorkflowDto }
  | {
      kind: 'artifact';
      id: string;
      label: string;
      workflow: WorkflowDto;
      phase: PhaseDto;
      artifact: { uri: string; title: string };
    }
  | { kind: 'phase'; id: string; label: string; workflow: WorkflowDto; phase: PhaseDto }
  /** A phase whose file was not read (`WorkflowDto.unreadPhases`): no children. */
  | { kind: 'unread'; id: string; label: string; workflow: WorkflowDto; unread: UnreadPhaseDto }
  | { kind: 'group'; id: string; label: string; workflow: WorkflowDto; phase: PhaseDto; group: GroupDto }
  | {
      kind: 'criterion';
      id: string;
      label: string;
      workflow: WorkflowDto;
      phase: PhaseDto;
      group: GroupDto;
      criterion: CriterionDto;
    }
  | {
      /** A criterion written without a checkbox (the group's `untrackedLines`): not checkable. */
      kind: 'plain';
      id: string;
      label: string;
      workflow: WorkflowDto;
      phase: PhaseDto;
      group: GroupDto;
      line: number;
      /** The list item's line as written. */
      text: string;
      /** Its text as rendered, from the server (`GroupDto.untrackedShown`). */
      shown?: string;
    };

/**
 * The Progress view: workflows → phases → checklist groups → criteria, the criteria with
 * checkboxes that tick the item in the document. Item ids are stable (uri#line), so a
 * refresh keeps the expansion state and does not flicker. Groups read from gate files
 * (`GATE.yaml`, …) show their items on their YAML lines: checks with their state, manual
 * items with a checkbox that records a confirmation. Workflow definitions are listed under
 * "Definitions", with item counts instead of progress; documents whose `phase` metadata
 * names a phase are listed under it.
 */
export class ProgressTree implements vscode.TreeDataProvider<ProgressNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProgressNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ProgressNode>;
  private unmetOnly: boolean;
  private currentPhaseOnly: boolean;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly store: WorkflowStore,
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
  ) {
    this.unmetOnly = state.get<boolean>(UNMET_ONLY_KEY, false);
    void vscode.commands.executeCommand('setContext', UNMET_ONLY_KEY, this.unmetOnly);
    this.currentPhaseOnly = state.get<boolean>(CURRENT_PHASE_ONLY_KEY, false);
    void vscode.commands.executeCommand('setContext', CURRENT_PHASE_ONLY_KEY, this.currentPhaseOnly);
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

  get showingCurrentPhaseOnly(): boolean {
    return this.currentPhaseOnly;
  }

  /** "Show Only the Current Phase": each workflow lists its current phase alone. */
  async setCurrentPhaseOnly(value: boolean): Promise<void> {
    this.currentPhaseOnly = value;
    await this.state.update(CURRENT_PHASE_ONLY_KEY, value);
    await vscode.commands.executeCommand('setContext', CURRENT_PHASE_ONLY_KEY, value);
    this.changed.fire(undefined);
  }

  async getChildren(element?: ProgressNode): Promise<ProgressNode[]> {
    if (!element) {
      const workflows = await this.store.workflows();
      const nodes: ProgressNode[] = workflows.filter((w) => !w.definition).map(workflowNode);
      const definitions = workflows.filter((w) => w.definition);
      if (definitions.length > 0) nodes.push(definitionsNode(definitions));
      return nodes;
    }
    const unmetOnly = this.unmetOnly;
    switch (element.kind) {
      case 'definitions':
        return element.workflows.map(workflowNode);
      case 'workflow': {
        const w = element.workflow;
        const shown = shownPhases(w, this.currentPhaseOnly);
        return (
          phaseRows(w, shown)
            // (a phase or group that cannot pass as written, an empty gate, is unmet too)
            .filter(
              (p) => isUnreadPhase(p) || !unmetOnly || p.checked < p.total || (!p.complete && !w.definition),
            )
            .map((p): ProgressNode => (isUnreadPhase(p) ? unreadNode(w, p) : phaseNode(w, p)))
        );
      }
      case 'phase': {
        const groups: ProgressNode[] = element.phase.groups
          .filter((g) => !unmetOnly || g.checked < g.total || (!g.passed && !element.workflow.definition))
          .map((g) => ({
            kind: 'group',
            id: `${g.file ?? element.phase.uri}#${g.line}`,
            label: g.heading || 'Checklist',
            workflow: element.workflow,
            phase: element.phase,
            group: g,
          }));
        const artifacts: ProgressNode[] = (element.phase.artifacts ?? []).map((a) => ({
          kind: 'artifact',
          id: `artifact:${a.uri}`,
          label: a.title,
          workflow: element.workflow,
          phase: element.phase,
          artifact: a,
        }));
        return unmetOnly ? groups : [...groups, ...artifacts];
      }
      case 'group': {
        const g = element.group;
        if (g.untrackedLines && g.untrackedLines.length > 0) return plainNodes(element);
        return g.items
          .filter((c) => !unmetOnly || !c.checked)
          .map((c) => criterionNode(element.workflow, element.phase, g, c));
      }
      default:
        return [];
    }
  }

  getParent(element: ProgressNode): ProgressNode | undefined {
    if (element.kind === 'definitions') return undefined;
    const w = element.workflow;
    switch (element.kind) {
      case 'workflow':
        // the node's workflows are not needed to find it again: its id is fixed
        return w.definition ? definitionsNode([]) : undefined;
      case 'phase':
      case 'unread':
        return workflowNode(w);
      case 'artifact':
      case 'group':
        return phaseNode(w, element.phase);
      case 'criterion':
      case 'plain':
        return {
          kind: 'group',
          id: `${element.group.file ?? element.phase.uri}#${element.group.line}`,
          label: element.group.heading || 'Checklist',
          workflow: w,
          phase: element.phase,
          group: element.group,
        };
    }
  }

  getTreeItem(node: ProgressNode): vscode.TreeItem {
    const item = treeItemOf(node);
    item.id = node.id;
    return item;
  }

  /** Ticks or unticks criteria in their documents, one after the other. */
  /** The rows whose box was clicked last, and when (a click on a box also selects its row). */
  private boxClicked: { ids: Set<string>; at: number } = { ids: new Set(), at: 0 };

  /** Whether the box of row `id` was clicked within the last `ms` milliseconds. */
  boxClickedWithin(id: string, ms: number): boolean {
    return this.boxClicked.ids.has(id) && Date.now() - this.boxClicked.at <= ms;
  }

  private async checkboxesChanged(e: vscode.TreeCheckboxChangeEvent<ProgressNode>): Promise<void> {
    this.boxClicked = { ids: new Set(e.items.map(([n]) => n.id)), at: Date.now() };
    const targets = e.items.filter(
      (x): x is [Extract<ProgressNode, { kind: 'criterion' }>, vscode.TreeItemCheckboxState] =>
        x[0].kind === 'criterion',
    );
    // Refused: the boxes are put back the way the documents say.
    await setCriteria(
      targets,
      async ([node, state]) => {
        const ok = await this.setCriterion(node, state === vscode.TreeItemCheckboxState.Checked);
        // The walkthrough's "Tick a criterion" step completes on this (no command runs).
        if (ok) void vscode.commands.executeCommand('setContext', 'cdp.criterionTicked', true);
        return ok;
      },
      () => this.refresh(),
    );
  }

  /** Reads the rows again (after a refusal: they may hold an older version of a document). */
  async refresh(): Promise<void> {
    await this.store.refresh();
    this.changed.fire(undefined);
  }

  /**
   * Sets a criterion in its document through the server (which refuses when the line no
   * longer holds the text shown) and saves the document unless it had unsaved changes of
   * its own, so ticking in the tree changes the file. False when nothing was changed.
   */
  async setCriterion(node: Extract<ProgressNode, { kind: 'criterion' }>, checked: boolean): Promise<boolean> {
    const uri = node.group.file ?? node.phase.uri;
    try {
      const result = await this.client.sendRequest(ToggleCriterionRequest, {
        uri,
        line: node.criterion.line,
        expectedText: node.criterion.text,
        checked,
        // The document's version the row was read from: refused if it changed since.
        ...(node.group.file || node.phase.version === undefined ? {} : { version: node.phase.version }),
      });
      if (!result.edit) {
        if (result.refused) {
          const at = result.location;
          const open = at ? refusalAction(at.uri) : undefined;
          const message = `Could not change "${node.criterion.text}": ${result.refused}`;
          // An already confirmed item: a button opens its entry in .cdp/confirmations.yml.
          void (
            open ? vscode.window.showWarningMessage(message, open) : vscode.window.showWarningMessage(message)
          ).then((chosen) => {
            if (at && chosen === open) void revealLine(at.uri, at.line, false, true);
          });
          return false;
        }
        return true; // already in that state
      }
      const edit = await this.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
      // a manual gate item: the edit appends its confirmation (perhaps creating the file)
      if (node.group.file) return await applyAndSave(edit);
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

/** Applies an edit that may create a file (a confirmation), then saves what it changed. */
async function applyAndSave(edit: vscode.WorkspaceEdit): Promise<boolean> {
  const dirty = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  for (const [uri] of edit.entries()) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && !dirty.has(uri.toString())) await saveOrWait(doc);
  }
  return true;
}

function workflowNode(w: WorkflowDto): ProgressNode {
  return { kind: 'workflow', id: `workflow:${w.folder}:${w.id}`, label: workflowName(w), workflow: w };
}

function definitionsNode(workflows: WorkflowDto[]): ProgressNode {
  return { kind: 'definitions', id: 'definitions', label: 'Definitions', workflows };
}

/**
 * Applies text edits to files that are not open, reading and writing them with workspace.fs.
 * A file that is not UTF-8 is left as it is (decoded leniently and written back, each byte
 * that is not UTF-8 would become U+FFFD): the error says to open it.
 */
async function writeEdits(edit: vscode.WorkspaceEdit): Promise<void> {
  for (const [uri, edits] of edit.entries()) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(
        await vscode.workspace.fs.readFile(uri),
      );
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      throw new Error(
        `${vscode.workspace.asRelativePath(uri, false)} is not UTF-8 text; open it in the editor to change it.`,
      );
    }
    const out = applyFileEdits(text, edits);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(out));
  }
}

/** The node of a phase row (its id is the document's URI). */
function unreadNode(workflow: WorkflowDto, unread: UnreadPhaseDto): ProgressNode {
  return {
    kind: 'unread',
    id: `unread:${unread.uri}`,
    label: unreadPhaseView(unread).label,
    workflow,
    unread,
  };
}

export function phaseNode(workflow: WorkflowDto, phase: PhaseDto): Extract<ProgressNode, { kind: 'phase' }> {
  return { kind: 'phase', id: phase.uri, label: phaseLabel(phase), workflow, phase };
}

/** The row of one criterion; its id is what `reveal` and the tree's selection match on. */
export function criterionNode(
  workflow: WorkflowDto,
  phase: PhaseDto,
  group: GroupDto,
  criterion: CriterionDto,
): Extract<ProgressNode, { kind: 'criterion' }> {
  return {
    kind: 'criterion',
    id: `${group.file ?? phase.uri}#${criterion.line}`,
    label: criterionLabel(criterion),
    workflow,
    phase,
    group,
    criterion,
  };
}

/**
 * The rows of a group's criteria written without checkboxes, their text read from the
 * phase document (the editor's text when open).
 */
async function plainNodes(group: Extract<ProgressNode, { kind: 'group' }>): Promise<ProgressNode[]> {
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(toUri(group.phase.uri));
  } catch {
    return [];
  }
  const shown = group.group.untrackedShown;
  return (group.group.untrackedLines ?? [])
    .map((line, i) => ({ line, shown: shown?.[i] }))
    .filter(({ line }) => line < doc.lineCount)
    .map(({ line, shown }) => ({
      kind: 'plain',
      id: `${group.phase.uri}#${line}`,
      label: shown || plainItemText(doc.lineAt(line).text),
      shown,
      workflow: group.workflow,
      phase: group.phase,
      group: group.group,
      line,
      text: doc.lineAt(line).text,
    }));
}

/** The phases a workflow row lists: all, or only its current one (the last when all are complete). */
function shownPhases(w: WorkflowDto, currentOnly: boolean): PhaseDto[] {
  if (!currentOnly || w.definition) return w.phases; // a definition has no current phase
  const cur = currentPhaseOf(w) ?? w.phases[w.phases.length - 1];
  return cur ? [cur] : [];
}

/** The row of a node: label, state, icon, tooltip and screen-reader text from progress-model.ts. */
function treeItemOf(node: ProgressNode): vscode.TreeItem {
  const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  const None = vscode.TreeItemCollapsibleState.None;
  switch (node.kind) {
    case 'definitions': {
      const item = styled(new vscode.TreeItem(node.label, Collapsed), definitionsView(node.workflows));
      item.contextValue = 'cdp.definitions';
      return item;
    }
    case 'artifact': {
      const item = styled(new vscode.TreeItem(node.label, None), artifactView(node.artifact));
      item.tooltip = `${node.artifact.title}\n${displayPath(node.artifact.uri)}`;
      item.resourceUri = toUri(node.artifact.uri);
      item.command = {
        command: 'cdp.revealGroup',
        title: 'Open Artifact',
        arguments: [node.artifact.uri, 0],
      };
      item.contextValue = 'cdp.artifact';
      return item;
    }
    case 'workflow': {
      const w = node.workflow;
      const v = workflowView(w);
      const item = styled(
        new vscode.TreeItem(node.label, w.definition ? Collapsed : vscode.TreeItemCollapsibleState.Expanded),
        v,
      );
      item.contextValue = w.definition ? 'cdp.definition' : 'cdp.workflow';
      return item;
    }
    case 'phase': {
      const p = node.phase;
      const v = phaseView(p, node.workflow.definition);
      const children = p.groups.length > 0 || (p.artifacts?.length ?? 0) > 0;
      const item = styled(new vscode.TreeItem(node.label, children ? Collapsed : None), v);
      item.tooltip = `${v.tooltip}\n${displayPath(p.uri)}`;
      item.resourceUri = explorerUri(p.uri);
      item.command = { command: 'cdp.revealGroup', title: 'Open Phase Document', arguments: [p.uri, 0] };
      item.contextValue = rowContext(node.workflow, p);
      return item;
    }
    case 'unread': {
      const v = unreadPhaseView(node.unread);
      const item = styled(new vscode.TreeItem(node.label, None), v);
      item.tooltip = `${v.tooltip}\n${displayPath(node.unread.uri)}`;
      item.resourceUri = explorerUri(node.unread.uri);
      item.contextValue = 'cdp.unreadPhase';
      return item;
    }
    case 'group': {
      const g = node.group;
      const v = groupView(g, node.workflow.definition);
      const children = g.items.length > 0 || (g.untrackedLines?.length ?? 0) > 0;
      const item = styled(new vscode.TreeItem(node.label, children ? Collapsed : None), v);
      if (g.file) item.tooltip = `${v.tooltip}\n${displayPath(g.file)}:${g.line + 1}`;
      item.command = {
        command: 'cdp.revealGroup',
        title: 'Reveal Group',
        arguments: [g.file ?? node.phase.uri, Math.max(0, g.line)],
      };
      item.contextValue = rowContext(node.workflow, node.phase, g);
      dimWhenDone(item, node.id, v);
      return item;
    }
    case 'plain': {
      const v = plainItemView(node.text, node.shown);
      const item = styled(new vscode.TreeItem(node.label, None), v);
      item.tooltip = `${v.tooltip}\n${displayPath(node.phase.uri)}:${node.line + 1}`;
      item.command = {
        command: 'cdp.revealGroup',
        title: 'Reveal Item',
        arguments: [node.phase.uri, node.line],
      };
      item.contextValue = 'cdp.plainItem';
      return item;
    }
    case 'criterion': {
      const c = node.criterion;
      const v = criterionView(c);
      const item = new vscode.TreeItem(node.label, None);
      if (c.state === undefined || c.manual) {
        item.checkboxState = c.checked
          ? vscode.TreeItemCheckboxState.Checked
          : vscode.TreeItemCheckboxState.Unchecked;
        item.accessibilityInformation = { label: v.accessibilityLabel, role: 'checkbox' };
      } else {
        // A check: met by the workspace, not ticked.
        styled(item, v);
      }
      item.tooltip = `${v.tooltip}\n${displayPath(node.group.file ?? node.phase.uri)}:${c.line + 1}`;
      // no command: Space must tick it without opening the document; a click or Enter
      // reveals it (tree-actions.ts)
      item.contextValue = criterionContext(c, node.group.file !== undefined);
      dimWhenDone(item, node.id, v);
      return item;
    }
  }
}

function styled(item: vscode.TreeItem, v: RowView): vscode.TreeItem {
  item.description = v.description;
  item.iconPath = new vscode.ThemeIcon(v.icon, v.color ? new vscode.ThemeColor(v.color) : undefined);
  item.tooltip = v.tooltip;
  item.accessibilityInformation = { label: v.accessibilityLabel };
  return item;
}

/** Done rows carry a `cdp-progress:/done/…` resource, which DoneDecorations shows dimmed. */
function dimWhenDone(item: vscode.TreeItem, id: string, v: RowView): void {
  if (v.done)
    item.resourceUri = vscode.Uri.from({ scheme: DONE_SCHEME, path: `/done/${encodeURIComponent(id)}` });
}

const DONE_SCHEME = 'cdp-progress';

/** Dims the rows of done criteria and passed groups (their resource is in DONE_SCHEME). */
export class DoneDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== DONE_SCHEME) return undefined;
    return new vscode.FileDecoration(undefined, 'done', new vscode.ThemeColor('disabledForeground'));
  }
}
