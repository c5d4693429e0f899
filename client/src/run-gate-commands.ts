import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RunGateCommandRequest, type RunGateCommandResult } from '../../server/src/protocol';
import {
  commandResultLine,
  confirmationText,
  type GateCommand,
  type GateCommandTarget,
  gateCommandsOf,
} from './gate-commands-model';
import { displayPath, toUri } from './navigation';
import { plural } from './progress-model';
import type { ProgressNode } from './progress-tree';
import { sameUri, type WorkflowStore } from './workflow-store';

/** How the run ended: what ran (with its result) and whether the user stopped it. */
export interface GateCommandsRun {
  ran: { command: GateCommand; result: RunGateCommandResult }[];
  cancelled: boolean;
}

/**
 * *Run Gate Commands…*: the commands of the gate-file checks under a Progress row (or on
 * a gate file's line, from the quick fix; or all of them, from the palette), in a trusted
 * workspace only. The user confirms the list first (a modal dialog); then the server runs
 * them one at a time (`cdp/runGateCommand`) under a cancellable progress notification,
 * each result reaching the diagnostics and the tree as it ends, and its output the output
 * channel. Cancelling stops the command running and skips the rest.
 */
export async function runGateCommands(
  client: LanguageClient,
  store: WorkflowStore,
  output: vscode.OutputChannel,
  arg?: ProgressNode | { uri: string; line: number },
): Promise<GateCommandsRun | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(
      'Gate commands are run only in a trusted workspace: trust this workspace to run them.',
    );
    return undefined;
  }
  const target = targetOf(arg);
  if (target === null) return undefined;
  const list = gateCommandsOf(await store.workflows(), target, sameUri);
  if (list.length === 0) {
    void vscode.window.showInformationMessage(
      target
        ? 'No gate-file check here runs a command.'
        : 'No gate-file check of the workspace runs a command.',
    );
    return undefined;
  }
  const { message, detail } = confirmationText(list, (uri) => toUri(uri).fsPath);
  const run = list.length === 1 ? 'Run' : `Run ${list.length}`;
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, run);
  if (answer !== run) return undefined;
  output.appendLine(`Running ${plural(list.length, 'gate command')}…`);
  const done: GateCommandsRun = { ran: [], cancelled: false };
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Gate commands', cancellable: true },
    async (progress, token) => {
      for (const [i, c] of list.entries()) {
        if (token.isCancellationRequested) break;
        progress.report({ message: `${i + 1}/${list.length}: ${c.command}` });
        let result: RunGateCommandResult;
        try {
          result = await client.sendRequest(
            RunGateCommandRequest,
            { uri: c.file, line: c.line, command: c.command },
            token,
          );
        } catch (e) {
          if (token.isCancellationRequested) break;
          result = { refused: e instanceof Error ? e.message : String(e) };
        }
        done.ran.push({ command: c, result });
        log(output, c, result);
        progress.report({ increment: 100 / list.length });
        if (result.untrusted) break;
      }
      done.cancelled = token.isCancellationRequested;
    },
  );
  if (done.cancelled) output.appendLine('Stopped: the running command was ended and the rest skipped.');
  void summarize(done, list.length, output);
  return done;
}

/** The target of an argument, undefined for all, null for an argument that is not one. */
function targetOf(arg: ProgressNode | { uri: string; line: number } | undefined): GateCommandTarget | null {
  if (!arg) return undefined;
  if ('kind' in arg) {
    switch (arg.kind) {
      case 'workflow':
      case 'phase':
      case 'group':
      case 'criterion':
        return arg as GateCommandTarget;
      default:
        return null;
    }
  }
  if (typeof arg.uri === 'string' && Number.isInteger(arg.line))
    return { kind: 'line', uri: arg.uri, line: arg.line };
  return null;
}

function log(output: vscode.OutputChannel, c: GateCommand, r: RunGateCommandResult): void {
  output.appendLine(commandResultLine(c.command, `${displayPath(c.file)}:${c.line + 1}`, r));
  if (r.refused !== undefined) return;
  if (r.output) for (const line of r.output.split(/\r?\n/)) output.appendLine(`    ${line}`);
}

async function summarize(done: GateCommandsRun, total: number, output: vscode.OutputChannel): Promise<void> {
  const notKept = done.ran.filter(
    (r) => r.result.refused !== undefined || r.result.discarded !== undefined,
  ).length;
  const passed = done.ran.filter(
    (r) => r.result.state === 'passed' && r.result.discarded === undefined,
  ).length;
  const failed = done.ran.length - passed - notKept;
  const parts = [`${passed} passed`, `${failed} failed`];
  if (notKept > 0) parts.push(`${notKept} not run or not kept`);
  if (done.ran.length < total) parts.push(`${total - done.ran.length} stopped or skipped`);
  const text = `Gate commands: ${parts.join(', ')}.`;
  const show =
    failed + notKept > 0 || done.cancelled
      ? vscode.window.showWarningMessage
      : vscode.window.showInformationMessage;
  if ((await show(text, 'Show Output')) === 'Show Output') output.show(true);
}
