import {
  type CancellationToken,
  type CodeAction,
  type Connection,
  ErrorCodes,
  type Location,
  MessageType,
  ResponseError,
  ShowMessageNotification,
} from 'vscode-languageserver';
import type { CheckGateParams, CheckGateResult } from '../protocol';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from './client-support';
import { actionKey, editedLines, literalActions } from './code-actions';
import type { FeatureContext } from './context';
import { checkGate } from './custom-requests';
import { answer } from './requests';

/** Every command id the server runs: its own, and the client's ids when a client sends those. */
export const EXECUTABLE_COMMANDS = [...Object.values(SERVER_COMMANDS), ...Object.values(CLIENT_COMMANDS)];

/**
 * `workspace/executeCommand` for the commands the server puts in code lenses, for editors
 * without the VS Code client: the gate check shows its verdict with `window/showMessage`
 * (and returns the CheckGateResult); revealing a group opens it with
 * `window/showDocument` when the client supports that (else names the place in a
 * message) and returns its Location. A code action sent as a Command is computed again
 * and its edit applied with `workspace/applyEdit` (then the command it carries is run).
 */
export function register(
  connection: Connection,
  ctx: FeatureContext,
  contextOf: (uri: string) => FeatureContext = () => ctx,
): void {
  connection.onExecuteCommand((params, token) =>
    run(connection, ctx, contextOf, params.command, params.arguments ?? [], token),
  );
}

async function run(
  connection: Connection,
  ctx: FeatureContext,
  contextOf: (uri: string) => FeatureContext,
  command: string,
  args: unknown[],
  token: CancellationToken,
): Promise<unknown> {
  switch (command) {
    case SERVER_COMMANDS.checkGate:
    case CLIENT_COMMANDS.checkGate: {
      await ctx.ready(token);
      const result = checkGate(ctx, gateParams(args[0]));
      const text = verdictMessage(result);
      // A notification, not window/showMessageRequest: there is nothing to answer.
      const type = result.passed ? MessageType.Info : MessageType.Warning;
      void connection.sendNotification(ShowMessageNotification.type, { type, message: text });
      return result;
    }
    case SERVER_COMMANDS.revealGroup:
    case CLIENT_COMMANDS.revealGroup: {
      const uri = args[0];
      const line = typeof args[1] === 'number' && Number.isInteger(args[1]) && args[1] >= 0 ? args[1] : 0;
      if (typeof uri !== 'string' || !/^file:/i.test(uri)) {
        throw new ResponseError(ErrorCodes.InvalidParams, `${command}: expected [uri, line]`);
      }
      await ctx.ready(token);
      // Within the document (a line past its end, from an old lens, is its last line).
      const lines = ctx.entry(uri)?.doc.lineCount;
      const pos = { line: lines === undefined ? line : Math.max(0, Math.min(line, lines - 1)), character: 0 };
      const location: Location = { uri, range: { start: pos, end: pos } };
      if (ctx.clientCapabilities.showDocument) {
        await connection.window.showDocument({ uri, takeFocus: true, selection: location.range });
      } else {
        const entry = ctx.entry(uri);
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Info,
          message: `${entry?.rel ?? uri}: line ${pos.line + 1}`,
        });
      }
      return location;
    }
    case SERVER_COMMANDS.applyCodeAction: {
      const key = actionKey(args[0]);
      if (!key) throw new ResponseError(ErrorCodes.InvalidParams, `${command}: expected a code action`);
      // Computed again: the edit applied is the one for the text as it is now.
      const actions = (await answer(
        contextOf(key.uri),
        literalActions,
        {
          textDocument: { uri: key.uri },
          range: key.range,
          context: { diagnostics: key.diagnostic ? [key.diagnostic] : [], only: [key.kind] },
        },
        token,
      )) as CodeAction[];
      const action = actions.find((a) => a.title === key.title && a.edit);
      // The lines it edits must read as when it was offered (else it would change others).
      const now = action && key.lines ? await editedLines(contextOf(key.uri), action) : [];
      const moved =
        key.lines !== undefined &&
        (now.length !== key.lines.length ||
          key.lines.some((l, i) => now[i].uri !== l.uri || now[i].line !== l.line || now[i].text !== l.text));
      if (!action?.edit || moved) {
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning,
          message: `"${key.title}" no longer applies: the document changed.`,
        });
        return { applied: false };
      }
      const result = await connection.workspace.applyEdit({ label: action.title, edit: action.edit });
      if (!result.applied) {
        // The client refused it (a read-only file, a document changed meanwhile): say so.
        const why = typeof result.failureReason === 'string' && result.failureReason.trim();
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning,
          message: `"${action.title}" was not applied${why ? `: ${why}` : ' (the editor refused the edit)'}.`,
        });
      }
      if (result.applied && action.command)
        await run(connection, ctx, contextOf, action.command.command, action.command.arguments ?? [], token);
      return { applied: result.applied };
    }
    default:
      throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command: ${command}`);
  }
}

function gateParams(arg: unknown): CheckGateParams {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const out: CheckGateParams = {};
  if (typeof a.workflow === 'string') out.workflow = a.workflow;
  if (typeof a.phase === 'string') out.phase = a.phase;
  if (typeof a.group === 'string') out.group = a.group;
  if (a.upTo === true) out.upTo = true;
  if (a.readiness === true) out.readiness = true;
  return out;
}

const MAX_LISTED = 3;

/** One line per verdict: phase, groups, count, and the first open criteria. */
export function verdictMessage(r: CheckGateResult): string {
  if (r.verdicts.length === 0) return `Gate check: ${r.message ?? 'nothing to check.'}`;
  const lines = r.verdicts.map((v) => {
    // A workflow without the phase asked for: its reason says which and why.
    if (v.missing) return `${v.workflow} ${v.phase}: not passed, ${v.reasons.join('; ')}`;
    const groups = v.groups.map((g) => g.heading).join(', ');
    let s = `${v.phase} ${v.name}${groups ? ` (${groups})` : ''}: ${v.passed ? 'passed' : 'not passed'}, ${v.checked}/${v.total} done`;
    if (v.unmet.length > 0) {
      const open = v.unmet.slice(0, MAX_LISTED).map((u) => `"${u.text}" (line ${u.line + 1})`);
      const more = v.unmet.length > MAX_LISTED ? ` and ${v.unmet.length - MAX_LISTED} more` : '';
      s += `; open: ${open.join(', ')}${more}`;
    }
    return s;
  });
  return `Gate check ${r.passed ? 'passed' : 'failed'}: ${lines.join('\n')}`;
}
