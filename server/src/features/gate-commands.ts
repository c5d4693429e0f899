import {
  type CancellationToken,
  type CodeAction,
  CodeActionKind,
  type Diagnostic,
} from 'vscode-languageserver';
import { commandOf, type GateItem, isGateItem } from '../core/gates/evaluate';
import {
  CLI_COMMAND_WORDING,
  type CommandWording,
  type GateFileEntry,
  sameGateFile,
} from '../core/gates/store';
import { uriToFsPath } from '../core/paths';
import type { Range } from '../core/types';
import {
  RUN_GATE_COMMANDS_COMMAND,
  type RunGateCommandParams,
  RunGateCommandRequest,
  type RunGateCommandResult,
} from '../protocol';
import type { ClientSupport } from './client-support';
import { cancelled, type FeatureContext, throwIfCancelled } from './context';
import { request } from './requests';

/**
 * `cdp/runGateCommand`: runs the command of one gate-file check when the user asks for it
 * (the VS Code client's *Run Gate Commands…*), never by itself. The server runs nothing
 * until the client has said the workspace is trusted, and only the command the user was
 * shown: the request names the command line, and the check on that line must still run
 * exactly it. The result is kept in the index for the session (`GateStore`), so the
 * check's diagnostic, its row in the views and its hover show it passed or failed.
 */
export const requests = [
  request<RunGateCommandParams, RunGateCommandResult>({
    type: RunGateCommandRequest,
    run: runGateCommand,
  }),
];

/** The command check of a gate file's line, evaluated as the index stands now. */
interface CommandCheck {
  item: GateItem;
  command: string;
}

export async function runGateCommand(
  ctx: FeatureContext,
  params: RunGateCommandParams,
  token: CancellationToken,
): Promise<RunGateCommandResult> {
  const { uri, line, command } = params;
  if (typeof uri !== 'string' || !Number.isInteger(line) || typeof command !== 'string')
    throw new TypeError('expected { uri: string, line: integer, command: string }');
  const host = ctx.gateCommands;
  if (!host) return { refused: 'Gate commands are not run here.' };
  if (!host.trusted)
    return {
      refused: 'The workspace is not trusted: gate commands are not run. Trust the workspace to run them.',
      untrusted: true,
    };
  await ctx.ready(token);
  const g = ctx.index.gates.get(ctx.canonical(uri));
  if (!g) return { refused: `${uri} is not a gate file of the workspace.` };
  const found = commandCheckOn(ctx, g, line);
  if ('refused' in found) return found;
  if (found.command !== command)
    return {
      refused: `Line ${line + 1} of ${g.rel} no longer runs \`${command}\`; the file changed. Nothing was run.`,
    };
  const parsed = g.parsed;
  const cwd = uriToFsPath(g.folder);
  const started = Date.now();
  const r = await host.run(command, cwd, host.timeoutMs, token);
  if (r.cancelled) throw cancelled();
  const ms = Date.now() - started;
  const base = { cwd, ms, output: r.output, ...(r.exit !== undefined ? { exit: r.exit } : {}) };
  const now = ctx.index.gates.get(g.uri);
  // Edited (or gone) while it ran: the line may no longer hold the check that ran.
  if (!now || !sameGateFile(now.parsed, parsed))
    return { ...base, discarded: `${g.rel} changed while \`${command}\` ran: its result was not kept.` };
  const { timedOutAfter, cancelled: _, ...kept } = r;
  ctx.index.gates.setCommandResult(
    g.uri,
    line,
    timedOutAfter !== undefined ? { ...kept, timedOutAfter } : kept,
  );
  ctx.index.version++;
  host.recorded(g.uri);
  throwIfCancelled(token);
  const after = commandCheckOn(ctx, now, line);
  if ('refused' in after) return { ...base, discarded: after.refused };
  const out: RunGateCommandResult = { ...base, state: after.item.state };
  if (after.item.reason !== undefined) out.reason = after.item.reason;
  if (timedOutAfter !== undefined) out.timedOutAfter = timedOutAfter;
  return out;
}

/**
 * The check on `line` of a gate file that runs a command, or why there is none to run: the
 * file must belong to a phase of a workflow instance (a definition's commands are
 * templates, `cdp check --run-commands` skips them too).
 */
function commandCheckOn(
  ctx: FeatureContext,
  g: GateFileEntry,
  line: number,
): CommandCheck | { refused: string } {
  const phase = ctx.analysis.phaseOfGateFile(g);
  if (!phase) return { refused: `${g.rel} is beside no phase document: its commands are not run.` };
  if (ctx.analysis.workflowOf(phase.uri)?.definition)
    return { refused: `${g.rel} belongs to a workflow definition: its commands are not run.` };
  for (const group of phase.groups) {
    if (group.file !== g.uri) continue;
    for (const it of group.items) {
      if (!isGateItem(it) || it.line !== line) continue;
      const command = commandOf(it.def);
      if (command !== undefined) return { item: it, command };
    }
  }
  return { refused: `Line ${line + 1} of ${g.rel} holds no check that runs a command.` };
}

/** Whether the client runs `cdp.runGateCommands` itself (the VS Code client). */
function clientRunsGateCommands(support: Pick<ClientSupport, 'clientCommands'>): boolean {
  return support.clientCommands.has(RUN_GATE_COMMANDS_COMMAND);
}

/**
 * How reasons word commands not run: a client with *Run Gate Commands…* gets that command
 * named (and, while the workspace is not trusted, that trust comes first); any other keeps
 * `cdp check`'s wording.
 */
export function commandWording(
  support: Pick<ClientSupport, 'clientCommands'>,
  trusted: boolean,
): CommandWording {
  if (!clientRunsGateCommands(support)) return CLI_COMMAND_WORDING;
  return {
    notRun: trusted
      ? ' — run "CDP: Run Gate Commands…"'
      : ' — trust the workspace, then run "CDP: Run Gate Commands…"',
    timeout: '`cdp.gates.commandTimeout`',
  };
}

/** At most this many lines of a selection get a "Run this gate command" action each. */
const MAX_LINES = 200;

/**
 * Quick fixes on a gate file's command checks in `range`: "Run this gate command" (or
 * "… again" once it has a result), naming the client's `cdp.runGateCommands`, which asks
 * the user before anything runs. Offered only to a client that runs that command, and only
 * while the workspace is trusted.
 */
export function runCommandActions(
  ctx: FeatureContext,
  g: GateFileEntry,
  range: Range,
  diagnostics: readonly Diagnostic[],
): CodeAction[] {
  if (!ctx.gateCommands?.trusted || !clientRunsGateCommands(ctx.clientCapabilities)) return [];
  if (!ctx.clientCapabilities.codeActionLiterals) return [];
  const out: CodeAction[] = [];
  const last = Math.min(range.end.line, range.start.line + MAX_LINES - 1);
  for (let line = range.start.line; line <= last; line++) {
    const found = commandCheckOn(ctx, g, line);
    if ('refused' in found) continue;
    const ran = ctx.index.gates.commandResult(g.uri, line) !== undefined;
    const title = ran ? 'Run this gate command again' : 'Run this gate command';
    const action: CodeAction = {
      title,
      kind: CodeActionKind.QuickFix,
      command: {
        title,
        command: RUN_GATE_COMMANDS_COMMAND,
        arguments: [{ uri: ctx.clientUri(g.uri), line }],
      },
    };
    const on = diagnostics.filter((d) => d.code === 'unmet-criterion' && d.range.start.line === line);
    if (on.length > 0) action.diagnostics = on;
    out.push(action);
  }
  return out;
}
