import * as vscode from 'vscode';
import { checkItemNote } from '../../server/src/protocol';
import { displayPath } from './navigation';
import {
  type ManualItem,
  manualItemAt,
  phaseLabel,
  unconfirmedManualItems,
  workflowName,
} from './progress-model';
import { criterionNode, type ProgressNode, type ProgressTree } from './progress-tree';
import { sameUri, type WorkflowStore } from './workflow-store';

/**
 * "Confirm Gate Item": records a manual item of a gate file (`GATE.yaml`, `exit-gates.yml`, …)
 * as confirmed, through the server (`cdp/toggleCriterion`), which appends who and when to the
 * folder's `.cdp/confirmations.yml`. The item is the tree row it is run on (context menu),
 * else the manual item on the cursor's line of a gate file, else one picked from the
 * workspace's unconfirmed items. True when the confirmation was recorded.
 */
export async function confirmGateItem(
  tree: ProgressTree,
  store: WorkflowStore,
  node?: ProgressNode,
): Promise<boolean> {
  let target: ManualItem | undefined;
  if (node?.kind === 'criterion') {
    if (!node.group.file || !node.criterion.manual) {
      void vscode.window.showInformationMessage(
        node.group.file
          ? checkItemNote(node.criterion.text)
          : `"${node.criterion.text}" is not a manual gate item: checks are met by the workspace, criteria are ticked.`,
      );
      return false;
    }
    target = node;
  }
  const workflows = await store.workflows();
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      target = manualItemAt(workflows, editor.document.uri.toString(), editor.selection.active.line, sameUri);
    }
  }
  if (!target) target = await pick(workflows);
  if (!target) return false;
  if (target.criterion.checked) {
    void vscode.window.showInformationMessage(`"${target.criterion.text}" is already confirmed.`);
    return false;
  }
  return tree.setCriterion(
    criterionNode(target.workflow, target.phase, target.group, target.criterion),
    true,
  );
}

async function pick(
  workflows: Parameters<typeof unconfirmedManualItems>[0],
): Promise<ManualItem | undefined> {
  const items = unconfirmedManualItems(workflows);
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No manual gate item waits for confirmation.');
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    items.map((m) => ({
      label: m.criterion.text,
      description: `${workflowName(m.workflow)} › ${phaseLabel(m.phase)} › ${m.group.heading}`,
      detail: `${displayPath(m.group.file!)}:${m.criterion.line + 1}`,
      item: m,
    })),
    { title: 'Confirm Gate Item', placeHolder: 'The manual item you confirm', matchOnDescription: true },
  );
  return chosen?.item;
}
