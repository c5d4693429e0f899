import {
  type CancellationToken,
  type CodeLens,
  type CodeLensParams,
  CodeLensRequest,
} from 'vscode-languageserver';
import { groupSelector, sectionPicker } from '../core/gate';
import type { Group } from '../core/model';
import { gated } from '../core/workflow';
import { commandId } from './client-support';
import type { FeatureContext } from './context';
import { request } from './requests';

/** Above each checklist group heading: its count, and in phase documents a gate check. */
export const requests = [
  request<CodeLensParams, CodeLens[]>({ type: CodeLensRequest.type, run: codeLenses }),
];

interface Count {
  checked: number;
  total: number;
  untracked: boolean;
}

/**
 * What groups count together; remembered per answer of the group selector, which gives
 * headings of one name the same list (40,000 `## Exit Criteria` would sum it for each).
 */
const groupCounts = new WeakMap<readonly Group[], Count>();

function countOf(groups: readonly Group[]): Count {
  let c = groupCounts.get(groups);
  if (!c) {
    c = { checked: 0, total: 0, untracked: false };
    for (const x of groups) {
      c.checked += x.checked;
      c.total += x.total;
      c.untracked ||= x.untracked !== undefined && x.untracked > 0;
    }
    groupCounts.set(groups, c);
  }
  return c;
}

export async function codeLenses(
  ctx: FeatureContext,
  params: CodeLensParams,
  token?: CancellationToken,
): Promise<CodeLens[]> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) return [];
  const uri = ctx.clientUri(entry.uri);
  const workflow = entry.phase ? ctx.analysis.workflowOf(entry.uri) : undefined;
  // A numbered file that is no workflow's phase has no gate to check, nor has a
  // definition's phase beside workflows under way (gate checks leave it out: `gated`).
  const counts = !workflow?.definition || gated(ctx.analysis.workflows()).includes(workflow);
  // (a template beside live phases is none of theirs: no gate of its own to check)
  const phase = (workflow || (entry.showsPhase && !entry.template)) && counts ? entry.phase : undefined;
  // Reveal a group: arguments [uri, line]. Check a gate: arguments [CheckGateParams].
  const revealGroup = commandId(ctx.clientCapabilities, 'revealGroup');
  const checkGate = commandId(ctx.clientCapabilities, 'checkGate');
  const out: CodeLens[] = [];
  const select = phase ? groupSelector(entry) : undefined;
  let section: ReturnType<typeof sectionPicker> | undefined;
  for (const g of entry.countedOwnGroups) {
    if (g.line < 0) continue;
    const range = g.headingRange ?? {
      start: { line: g.line, character: 0 },
      end: { line: g.line, character: 0 },
    };
    // With a gate check beside it, the count is of what that check judges: the heading's
    // own items and those of the sections under it (`#### Security` under `### Security
    // Review Gate`), as `selectGroups` picks them for the check.
    // Where other headings answer to the same name (an `## Exit Criteria` and a rollback
    // section's `### Exit Criteria`), what this heading's section holds, and its check
    // judges that alone (`line`).
    const named = select ? select(g.heading) : [g];
    if (select && named.length > 1) section ??= sectionPicker(entry);
    const judged = section && named.length > 1 ? section(named, g.line) : named;
    const { checked, total, untracked } = judged.length > 0 ? countOf(judged) : countOf([g]);
    // A gate or criteria heading over prose: in a phase, "no checklist items" (it cannot
    // pass); elsewhere (a page describing the process) nothing to count.
    if (total === 0 && !phase) continue;
    out.push({
      range,
      command: {
        title:
          total === 0
            ? 'no checklist items'
            : `${checked}/${total} done${untracked ? ' · no checkboxes' : ''}`,
        command: revealGroup,
        arguments: [uri, g.line],
      },
    });
    if (phase) {
      out.push({
        range,
        command: {
          title: 'Check gate',
          command: checkGate,
          arguments: [
            judged === named
              ? { workflow: workflow?.id, phase: phase.id, group: g.heading }
              : { workflow: workflow?.id, phase: phase.id, group: g.heading, line: g.line },
          ],
        },
      });
    }
  }
  return out;
}
