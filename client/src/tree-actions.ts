import * as vscode from 'vscode';
import { explorerUri, revealLine } from './navigation';
import { setCriteria } from './progress-model';
import { type ProgressNode, type ProgressTree, phaseNode } from './progress-tree';
import { sameUri, type WorkflowStore } from './workflow-store';

/** How long a row's selection waits for a click on its box, which comes with it. */
const BOX_CLICK_MS = 150;

type CriterionNode = Extract<ProgressNode, { kind: 'criterion' }>;

/**
 * What the Progress view does besides showing: Space on a criterion ticks it and keeps the
 * focus in the view; Mark as Done / Not Done and Reveal in Explorer from the context menu; and
 * the view follows the active editor to its phase.
 */
export class TreeActions implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Set by Space and Enter just before they select the focused row (see keybindings). */
  private keyboard = false;

  constructor(
    private readonly tree: ProgressTree,
    private readonly store: WorkflowStore,
  ) {
    const view = tree.view;
    this.disposables.push(
      view.onDidChangeSelection((e) => void this.selected(e.selection)),
      vscode.window.onDidChangeActiveTextEditor((e) => void this.revealActive(e)),
      view.onDidChangeVisibility((e) => e.visible && void this.revealActive(vscode.window.activeTextEditor)),
    );
  }

  /**
   * Space: ticks or unticks the criteria the command is given, else the selected ones (Space
   * first selects the focused row: `list.select`, which opens nothing for a criterion). The
   * view keeps the focus, so the next key goes to the view again.
   */
  async toggle(node?: ProgressNode, selected?: ProgressNode[]): Promise<boolean> {
    this.keyboard = false;
    const targets = this.criteria(node, selected);
    if (targets.length === 0) return false;
    // A refusal reads the rows again (a row older than its document): the next Space works.
    return setCriteria(
      targets,
      (c) => this.tree.setCriterion(c, !c.criterion.checked),
      () => this.tree.refresh(),
    );
  }

  /** Space and Enter run this first: the selection that follows comes from the keyboard. */
  keyboardSelect(): void {
    this.keyboard = true;
  }

  /**
   * A criterion clicked with the mouse shows its line (the view keeps the focus); selected by
   * Space or Enter, the command that follows decides.
   */
  private async selected(selection: readonly ProgressNode[]): Promise<void> {
    if (this.keyboard) return;
    const [node] = selection;
    if (selection.length !== 1 || node?.kind !== 'criterion') return;
    // A click on the row's box selects the row too: that click ticks, it opens nothing
    // (the box's event may come just after the selection's).
    await new Promise((r) => setTimeout(r, BOX_CLICK_MS));
    if (this.tree.boxClickedWithin(node.id, 4 * BOX_CLICK_MS)) return;
    await revealLine(node.group.file ?? node.phase.uri, node.criterion.line, true);
  }

  /** Enter: opens the selected row's document at its line, the editor taking the focus. */
  async revealSelected(): Promise<void> {
    this.keyboard = false;
    const [node] = this.tree.view.selection;
    if (!node) return;
    if (node.kind === 'criterion') await revealLine(node.group.file ?? node.phase.uri, node.criterion.line);
    else if (node.kind === 'workflow' || node.kind === 'definitions')
      await vscode.commands.executeCommand('list.toggleExpand');
    // phase and group rows have their own command, which list.select has run
  }

  /** Mark as Done / Mark as Not Done from the context menu (or the inline action). */
  async mark(checked: boolean, node?: ProgressNode, selected?: ProgressNode[]): Promise<boolean> {
    const targets = this.criteria(node, selected);
    if (targets.length === 0) {
      // from the palette or the walkthrough with no criterion selected: say what to do
      void vscode.window.showInformationMessage(
        'Select a criterion in the CDP Progress view first, then mark it as done or not done.',
      );
      return false;
    }
    return setCriteria(
      targets.filter((c) => c.criterion.checked !== checked),
      (c) => this.tree.setCriterion(c, checked),
      () => this.tree.refresh(),
    );
  }

  /** Reveal in Explorer View: the phase document of the row. */
  async revealInExplorer(node?: ProgressNode): Promise<void> {
    const target = node ?? this.tree.view.selection[0];
    if (!target || target.kind === 'workflow' || target.kind === 'definitions') return;
    const uri =
      target.kind === 'artifact'
        ? target.artifact.uri
        : target.kind === 'unread'
          ? target.unread.uri
          : target.phase.uri;
    await vscode.commands.executeCommand('revealInExplorer', explorerUri(uri));
  }

  private criteria(node?: ProgressNode, selected?: ProgressNode[]): CriterionNode[] {
    // the row acted on, with the rest of the selection when it is part of it
    const list = node
      ? selected?.some((n) => n.id === node.id)
        ? selected
        : [node]
      : [...this.tree.view.selection];
    return list.filter((n): n is CriterionNode => n.kind === 'criterion');
  }

  /** Shows the phase of the active document in the view (without taking the focus). */
  async revealActive(editor: vscode.TextEditor | undefined): Promise<void> {
    const view = this.tree.view;
    if (!editor || !view.visible || editor.document.languageId !== 'markdown') return;
    const key = editor.document.uri.toString();
    for (const w of this.store.current) {
      const phase = w.phases.find((p) => sameUri(p.uri, key));
      if (!phase) continue;
      // a row of this phase is selected (a criterion clicked to open it): leave it so
      if (view.selection.some((n) => 'phase' in n && sameUri(n.phase.uri, key))) return;
      try {
        await view.reveal(phaseNode(w, phase), { select: true, focus: false, expand: false });
      } catch {
        // filtered out of the view (current phase only, unmet only): nothing to show
      }
      return;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
