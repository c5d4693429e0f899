// What the Progress tree shows for each row, and what the gate verdicts say, without
// the editor API: the tree (progress-tree.ts) and the gate commands (gate-check.ts) render
// these, and the unit tests compare them with `cdp check` and `cdp/checkGate`.

import { phaseStatusText } from '../../server/src/dashboard/render';
import type {
  CheckGateParams,
  CheckGateResult,
  CriterionDto,
  GateVerdictDto,
  GroupDto,
  PhaseDto,
  UnreadPhaseDto,
  WorkflowDto,
} from '../../server/src/protocol';

/**
 * A row's state, the same words everywhere (icon, tooltip, screen reader). A phase row's
 * is its phase's state (`PhaseDto.state`, computed by the server as for `cdp check` and
 * the dashboard).
 */
export type RowState = 'passed' | 'current' | 'empty' | 'in-progress' | 'not-started' | 'errors';

export interface RowView {
  label: string;
  description: string;
  state: RowState;
  /** A codicon id. */
  icon: string;
  /** A theme color id for the icon, if any. */
  color?: string;
  /** Plain text: what the row is and its state, for the tooltip. */
  tooltip: string;
  /** What a screen reader says for the row: its label and its state. */
  accessibilityLabel: string;
  /** True when the row is done (passed): shown dimmed. Never for a row with a checkbox (see criterionView). */
  done: boolean;
}

const PASSED_COLOR = 'testing.iconPassed';

/**
 * The name a workflow goes by wherever it is shown: its id (`docs/helix`, `checkout-v2`),
 * which the dashboard, \`cdp check\`, its JSON and SARIF print and \`--workflow\` takes, and
 * which, unlike the folder name (`helix`), no other workflow of the workspace shares.
 */
export function workflowName(w: Pick<WorkflowDto, 'id'>): string {
  return w.id;
}

/** "05 Release" */
export function phaseLabel(p: PhaseDto): string {
  return `${p.phase} ${p.name}`.trim();
}

/** The phase the workflow is at: its first incomplete phase (a definition has none). */
export function currentPhaseOf(w: WorkflowDto): PhaseDto | undefined {
  if (w.definition) return undefined;
  return w.phases.find((p) => p.phase === w.current) ?? w.phases.find((p) => !p.complete);
}

/** "3 workflows · 2 current": how many workflow instances, how many still have a current phase. */
export function workflowsSummary(workflows: readonly WorkflowDto[]): string {
  const instances = workflows.filter((w) => !w.definition);
  const open = instances.filter((w) => currentPhaseOf(w) !== undefined).length;
  return `${instances.length} workflow${instances.length === 1 ? '' : 's'} · ${open} current`;
}

/**
 * The workflows a picker of work offers (the status bar's, *Check Gate…*): definitions are
 * templates with no current phase, which gate checks leave out, so they are left out here
 * too, unless there are only definitions (a workflow library).
 */
export function workflowsToPick<W extends Pick<WorkflowDto, 'definition'>>(workflows: readonly W[]): W[] {
  const work = workflows.filter((w) => !w.definition);
  return work.length > 0 ? work : [...workflows];
}

/** A workflow's description in a picker: "current: 05 Release", "complete", or a definition's size. */
export function workflowPickDescription(w: WorkflowDto): string {
  if (w.definition) return `definition · ${plural(w.phases.length, 'phase')}`;
  const cur = w.phases.find((p) => p.phase === w.current);
  return cur ? `current: ${phaseLabel(cur)}` : noCurrentText(w);
}

/**
 * What a workflow whose phases are all complete reads: "complete", or, where a phase file
 * was not read (`unreadPhases`), "phase 02 not read" (its gate and the later ones fail).
 */
export function noCurrentText(w: Pick<WorkflowDto, 'unreadPhases'>): string {
  const unread = w.unreadPhases ?? [];
  return unread.length === 0 ? 'complete' : `phase ${unread.map((u) => u.phase).join(', ')} not read`;
}

/** A definition's own name (`mini`, not its `phases` folder's), as *New Workflow…* offers it. */
export function definitionName(w: Pick<WorkflowDto, 'name' | 'definitionName'>): string {
  return w.definitionName ?? w.name;
}

/**
 * The workflow a gate file or `.cdp/confirmations.yml` stands for, for the status bar as a
 * phase document would: the workflow of the phase whose groups read the gate file; for the
 * confirmations, the only workflow under way in its workspace folder. `same` compares URIs.
 */
export function workflowOfGateFile(
  workflows: readonly WorkflowDto[],
  uri: string,
  same: (a: string, b: string) => boolean,
): WorkflowDto | undefined {
  const confirmations = /\/\.cdp\/confirmations\.yml$/i.exec(uri);
  if (confirmations) {
    const folder = uri.slice(0, confirmations.index);
    const work = workflows.filter((w) => !w.definition && same(w.folder.replace(/\/$/, ''), folder));
    return work.length === 1 ? work[0] : undefined;
  }
  return workflows.find((w) =>
    w.phases.some((p) => p.groups.some((g) => g.file !== undefined && same(g.file, uri))),
  );
}

function counted(checked: number, total: number): string {
  return `${checked} of ${total} done`;
}

/** "1 item", "4 items": a definition's sizes, never progress. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function kindText(g: GroupDto): string {
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

/**
 * A group: passed only with at least one item and every item ticked; an empty gate says so.
 * A definition's group shows its item count: a template's boxes are not progress.
 */
export function groupView(g: GroupDto, definition = false): RowView {
  const label = g.heading || 'Checklist';
  const gate = g.kind === 'gate';
  // a group read from a gate file names the file
  const file = g.file ? ` · ${g.file.slice(g.file.lastIndexOf('/') + 1)}` : '';
  if (definition && g.total > 0) {
    const items = plural(g.total, 'item');
    return {
      label,
      description: `${items}${file}`,
      state: 'not-started',
      icon: gate ? 'shield' : 'checklist',
      tooltip: `${label} (${kindText(g)}): ${items} (definition)`,
      accessibilityLabel: `${label}, ${kindText(g)}, definition, ${items}`,
      done: false,
    };
  }
  let state: RowState;
  if (g.total === 0) state = 'empty';
  else if (g.passed) state = 'passed';
  else state = g.checked > 0 ? 'in-progress' : 'not-started';
  const icon =
    state === 'empty'
      ? 'warning'
      : gate
        ? g.passed
          ? 'verified'
          : 'shield'
        : g.passed
          ? 'pass'
          : 'checklist';
  // Criteria written as a list without checkboxes: counted, but none can be ticked.
  const untracked = (g.untracked ?? 0) > 0;
  // Every box ticked and still not passed (a box GFM does not read): say why.
  const held = !g.passed && g.total > 0 && g.checked >= g.total && g.reason !== undefined;
  const stateText =
    state === 'empty' || untracked || held
      ? `not passed: ${g.reason ?? `${label} has no criteria`}`
      : state === 'passed'
        ? 'passed'
        : counted(g.checked, g.total);
  return {
    label,
    description: `${g.unreadable ? 'cannot be read' : state === 'empty' ? 'no criteria' : `${g.checked}/${g.total}`}${untracked ? ' · no checkboxes' : ''}${file}`,
    state,
    icon,
    color: state === 'passed' ? PASSED_COLOR : state === 'empty' ? 'list.warningForeground' : undefined,
    tooltip: `${label} (${kindText(g)}): ${stateText}`,
    accessibilityLabel: `${label}, ${kindText(g)}, ${stateText}`,
    done: state === 'passed',
  };
}

export function phaseView(p: PhaseDto, definition = false): RowView {
  const label = phaseLabel(p);
  if (definition) {
    // a definition's phase: its item count, no progress
    const items = plural(p.total, 'item');
    return {
      label,
      description: items,
      state: 'not-started',
      icon: 'library',
      tooltip: `${p.title || label}: ${items} (definition)`,
      accessibilityLabel: `Phase ${label}, definition, ${items}`,
      done: false,
    };
  }
  const state: RowState = p.state ?? 'not-started';
  // A marker outshines the state in the icon; the words name both.
  const icon = p.hasErrors
    ? 'error'
    : p.failingGates
      ? 'warning'
      : state === 'passed'
        ? 'pass-filled'
        : state === 'current'
          ? 'play-circle'
          : state === 'in-progress'
            ? 'circle-large-outline'
            : 'circle-outline';
  const color = p.hasErrors
    ? 'list.errorForeground'
    : p.failingGates
      ? 'list.warningForeground'
      : state === 'passed'
        ? PASSED_COLOR
        : state === 'current'
          ? 'charts.blue'
          : state === 'in-progress'
            ? 'charts.yellow'
            : undefined;
  const words = phaseStatusText({ ...p, state }, p.hasErrors ? ['has errors'] : []);
  // Checks of gate files that pass by themselves are met items, yet nobody started the phase.
  const byChecks = state === 'not-started' && p.checked > 0 ? ', met by gate checks alone' : '';
  const stateText =
    state === 'passed' && words === 'passed' ? words : `${words}, ${counted(p.checked, p.total)}${byChecks}`;
  const reasons = p.complete ? [] : (p.reasons ?? []);
  return {
    label,
    description: `${p.checked}/${p.total} · ${words}`,
    state,
    icon,
    color,
    tooltip: [`${p.title || label}: ${stateText}`, ...reasons.map((r) => `• ${r}`)].join('\n'),
    accessibilityLabel: `Phase ${label}, ${stateText}`,
    done: state === 'passed' && !p.hasErrors,
  };
}

/**
 * The rows of a workflow's phases: `phases` (all or the current one), with each phase whose
 * file was not read (`unreadPhases`) where its number stands among them.
 */
export function phaseRows(w: WorkflowDto, phases: readonly PhaseDto[]): (PhaseDto | UnreadPhaseDto)[] {
  const rows: (PhaseDto | UnreadPhaseDto)[] = [...phases];
  // (shown with all the phases only, not beside the current phase alone)
  if (phases.length === w.phases.length)
    for (const u of w.unreadPhases ?? []) {
      const at = rows.findIndex((p) => Number(p.phase) > Number(u.phase));
      rows.splice(at === -1 ? rows.length : at, 0, u);
    }
  return rows;
}

/** Whether a row of `phaseRows` is a phase whose file was not read. */
export function isUnreadPhase(p: PhaseDto | UnreadPhaseDto): p is UnreadPhaseDto {
  return 'reason' in p;
}

/** A phase whose file was not read: not a phase the workflow skips; its gate and the later ones fail. */
export function unreadPhaseView(u: UnreadPhaseDto): RowView {
  const path = u.uri.replace(/[?#].*$/, '');
  let file = path.slice(path.lastIndexOf('/') + 1);
  try {
    file = decodeURIComponent(file);
  } catch {
    // (as written)
  }
  const label = `${u.phase} ${file}`;
  return {
    label,
    description: `not read · ${u.reason}`,
    state: 'errors',
    icon: 'error',
    color: 'list.errorForeground',
    tooltip: `${file} was not read: ${u.reason}\nIts criteria are unknown, so the gate of phase ${u.phase} and of every later phase fails.`,
    accessibilityLabel: `Phase ${u.phase}, ${file} was not read: ${u.reason}`,
    done: false,
  };
}

export function workflowView(w: WorkflowDto): RowView {
  const cur = currentPhaseOf(w);
  const checked = w.phases.reduce((n, p) => n + p.checked, 0);
  const total = w.phases.reduce((n, p) => n + p.total, 0);
  if (w.definition) {
    const counts = `${plural(w.phases.length, 'phase')}, ${plural(total, 'item')}`;
    return {
      label: workflowName(w),
      description: counts,
      state: 'not-started',
      icon: 'library',
      tooltip: `${workflowName(w)} (definition)\n${counts}`,
      accessibilityLabel: `Workflow definition ${workflowName(w)}, ${counts}`,
      done: false,
    };
  }
  // Every phase read complete, but a phase file was not read: not done.
  const unread = !cur && (w.unreadPhases?.length ?? 0) > 0;
  const stateText = cur
    ? `current phase ${phaseLabel(cur)}`
    : unread
      ? `the phases read are complete; ${noCurrentText(w)}`
      : 'all phases complete';
  return {
    label: workflowName(w),
    description: cur ? `current: ${phaseLabel(cur)}` : unread ? noCurrentText(w) : 'all phases complete',
    state: cur ? (checked > 0 ? 'in-progress' : 'not-started') : unread ? 'errors' : 'passed',
    icon: cur ? 'project' : unread ? 'error' : 'pass-filled',
    color: cur ? undefined : unread ? 'list.errorForeground' : PASSED_COLOR,
    // plain text: a workflow id such as checkout-v2 must read as written
    tooltip: `${workflowName(w)}\n${plural(w.phases.length, 'phase')}, ${checked}/${total} criteria met\n${stateText}`,
    accessibilityLabel: `Workflow ${workflowName(w)}, ${stateText}, ${counted(checked, total)}`,
    done: !cur && !unread,
  };
}

/** The "Definitions" row: workflow definitions (templates), not checked for progress. */
export function definitionsView(workflows: WorkflowDto[]): RowView {
  return {
    label: 'Definitions',
    description: `${workflows.length}`,
    state: 'not-started',
    icon: 'library',
    tooltip: 'Workflow definitions: the templates instances are made from. Not checked for progress.',
    accessibilityLabel: `Definitions, ${plural(workflows.length, 'workflow definition')}`,
    done: false,
  };
}

/** A document whose `phase` metadata names the phase it is listed under. */
export function artifactView(a: { uri: string; title: string }): RowView {
  return {
    label: a.title,
    description: 'artifact',
    state: 'not-started',
    icon: 'file',
    tooltip: a.title,
    accessibilityLabel: `${a.title}, artifact`,
    done: false,
  };
}

/**
 * The label of a criterion row: its text as rendered; for a gate file's check without a description
 * (its text is then `file_exists docs/helix/01-frame/prd.md`), the check and the file's
 * name (`file_exists prd.md`), so that checks of files in one folder differ where a
 * narrow row cuts them off. The full path stays in the row's description and tooltip.
 */
export function criterionLabel(c: CriterionDto): string {
  if (c.check === undefined || !c.path || c.text !== `${c.check} ${c.path}`) return c.shown ?? c.text;
  const trimmed = c.path.replace(/[\\/]+$/, '');
  const name = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  return name && name !== trimmed ? `${c.check} ${name}` : c.text;
}

export function criterionView(c: CriterionDto): RowView {
  if (c.state !== undefined && !c.manual) {
    // a gate file's check: met by the workspace, not ticked
    const stateText = `${c.state.replace('-', ' ')}${c.optional ? ' · optional' : ''}`;
    const why = c.reason ? `: ${c.reason}` : '';
    const label = criterionLabel(c);
    // The path in full: in the description where the label was shortened, in the tooltip
    // also beside a description.
    const path = c.path && !c.text.includes(c.path) ? c.path : undefined;
    const shortened = label !== c.text;
    return {
      label,
      description: `${stateText}${shortened ? ` · ${c.path}` : ''}`,
      state: c.state === 'passed' ? 'passed' : c.state === 'failed' ? 'errors' : 'not-started',
      icon: c.state === 'passed' ? 'pass' : c.state === 'failed' ? 'error' : 'question',
      color: c.state === 'passed' ? PASSED_COLOR : c.state === 'failed' ? 'testing.iconFailed' : undefined,
      tooltip: `${c.text}${path ? `\n${path}` : ''}\n${stateText}${why}${c.command !== undefined ? `\nruns: ${c.command}` : ''}`,
      accessibilityLabel: `${label}, ${shortened ? `${c.path}, ` : ''}check ${stateText}${why}`,
      done: c.state === 'passed',
    };
  }
  const why = c.reason && !c.checked ? `\n${c.reason}` : '';
  // As rendered (`[[release-plan]]` reads "release-plan"); the tooltip also as written.
  const label = criterionLabel(c);
  return {
    label,
    description: c.optional ? 'optional' : '',
    state: c.checked ? 'passed' : 'not-started',
    icon: c.checked ? 'pass' : 'circle-large-outline',
    tooltip: `${label}${c.shown !== undefined ? `\n${c.text}` : ''}${why}`,
    accessibilityLabel: `${label}, ${c.checked ? 'checked' : 'unchecked'}`,
    // The ticked box says it is done. Not dimmed: dimming takes a resource URI, and with
    // one VS Code puts a file icon between the box and the label of ticked rows only,
    // which then no longer line up with the unticked ones.
    done: false,
  };
}

/**
 * A criterion written as a list item without a checkbox (`- PRD approved`), shown under
 * its group: it counts, but cannot be ticked until it has a `- [ ]` box. `line` is the
 * list item's line as written, `shown` its text as rendered (from the server) when known.
 */
export function plainItemView(line: string, shown?: string): RowView {
  const text = plainItemText(line);
  const label = shown || text;
  return {
    label,
    description: 'no checkbox',
    state: 'not-started',
    icon: 'circle-slash',
    tooltip: `${label}${label !== text ? `\n${text}` : ''}\nNot checkable: it needs a checkbox (\`- [ ] ${text}\`) to be ticked. The quick fix on the group's heading adds one to each item.`,
    accessibilityLabel: `${label}, no checkbox, cannot be ticked`,
    done: false,
  };
}

/** The text of a list item's line without its indentation and marker (`- `, `* `, `+ `, `1. `, `2) `). */
export function plainItemText(line: string): string {
  return line.replace(/^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+/, '').trim();
}

/**
 * The button of a refused tick that names where to act on it (the entry of a confirmed
 * manual item): "Open confirmations.yml".
 */
export function refusalAction(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  let shown = name;
  try {
    shown = decodeURIComponent(name);
  } catch {
    // not percent-encoded as a URI would be: shown as it is
  }
  return `Open ${shown}`;
}

/** "checkout-v2 › 05 Release (12/53)" or, for several phases, "checkout-v2 › 01–05 Release (120/130)". */
export function summarize(result: CheckGateResult): string {
  // A workflow without the phase asked for (`missing`) has no phase to count: named apart.
  const lacking = result.verdicts.filter((v) => v.missing);
  if (lacking.length === result.verdicts.length) {
    const names = [...new Set(lacking.map((v) => v.workflow))].join(', ');
    return `${names} › ${lacking[0]!.phase} (no phase to check)`;
  }
  const without =
    lacking.length > 0
      ? `; ${lacking.length} ${lacking.length === 1 ? 'workflow' : 'workflows'} without it`
      : '';
  const vs = result.verdicts.filter((v) => !v.missing);
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
  return `${workflows.length === 1 ? `${workflows[0]} › ` : ''}${what} (${checked}/${total})${without}`;
}

/**
 * The notification of a gate or readiness check: passed, or failed with its reasons first
 * ("Gate failed: Security Sign-off Gate has no criteria — …").
 */
export function verdictMessage(result: CheckGateResult, what: string, phases: PhaseDto[] = []): string {
  if (result.verdicts.length === 0) return result.message ?? `${what}: nothing to check.`;
  const summary = summarize(result);
  if (result.passed) {
    // The gates passed, yet an ordinary checklist (or an empty group) keeps the phase from
    // being complete: the current phase "stays current", a later one "is not complete"; an
    // optional 00 without criteria is neither.
    const current: string[] = [];
    for (const v of result.verdicts) {
      const p = phases.find((x) => x.uri === v.uri);
      if (!p || p.complete || (p.reasons ?? []).length === 0) continue;
      const optional = Number(p.phase) === 0 && !p.groups.some((g) => g.kind !== 'checklist');
      if (optional) continue;
      current.push(
        `${v.phase} ${v.name} ${p.state === 'current' ? 'stays current' : 'is not complete'}: ${p.reasons.join('; ')}`,
      );
    }
    return `${what} passed: ${summary}${current.length > 0 ? ` — ${current.join(' · ')}` : ''}${coverNote(result)}`;
  }
  // Every group that failed, and why ("Security: 1 of 1 unticked", "Sign-off Gate has no
  // criteria"); over several phases, each with its phase's number.
  const several = result.verdicts.length > 1;
  // (a workflow without the phase names it in its reason: "Workflow q2 has no phase 02: …")
  const reasons = result.verdicts.flatMap((v) =>
    v.passed ? [] : (v.reasons ?? []).map((r) => (several && !v.missing ? `${v.phase} ${r}` : r)),
  );
  const unmet = result.verdicts.reduce((n, v) => n + v.unmet.length, 0);
  const parts =
    reasons.length > MAX_REASONS
      ? [...reasons.slice(0, MAX_REASONS), `${reasons.length - MAX_REASONS} more`]
      : reasons;
  if (parts.length === 0 && unmet > 0) parts.push(`${unmet} unmet`);
  return `${what} failed: ${parts.join('; ')} — ${summary}${coverNote(result)}`;
}

/** How many reasons a failed verdict's notification names; the output channel has them all. */
const MAX_REASONS = 4;

/** A readiness check over every phase, for want of a release phase, says so. */
function coverNote(result: CheckGateResult): string {
  const notes = [...new Set((result.covers ?? []).flatMap((c) => (c.note ? [c.note] : [])))];
  return notes.length > 0 ? ` (${notes.join(' ')})` : '';
}

/** The full report written to the output channel, one line per verdict, group and unmet item. */
export function verdictReport(
  params: CheckGateParams,
  result: CheckGateResult,
  what: string,
  path: (uri: string) => string,
): string[] {
  // The phase by number and name ("01 Frame") when the verdicts name it.
  const name = params.phase && result.verdicts.find((v) => !v.missing && v.phase === params.phase)?.name;
  const phase = params.phase && (name ? `${params.phase} ${name}` : params.phase);
  const scope = [
    params.workflow,
    params.readiness ? undefined : phase && (params.upTo ? `up to ${phase}` : phase),
    params.group,
  ]
    .filter(Boolean)
    .join(' › ');
  const out = [`${what} check${scope ? ` (${scope})` : ''}: ${result.passed ? 'PASSED' : 'FAILED'}`];
  if (result.message) out.push(`  ${result.message}`);
  // Workflows left out (an optional 00 they do not have), as `cdp check --phase` says.
  for (const note of result.leftOut ?? []) out.push(`  ${note}`);
  // A readiness check says which phases it covers, per workflow.
  for (const c of result.covers ?? [])
    out.push(`  ${c.workflow}: phases up to ${c.upTo ?? '(none)'}${c.note ? ` — ${c.note}` : ''}`);
  for (const v of result.verdicts) {
    // A workflow without the phase: failed, why, and the document it is shown on.
    if (v.missing) {
      out.push(`  ✘ ${v.workflow} › ${v.phase}: no phase to check (${path(v.uri)})`);
      for (const r of v.reasons) out.push(`      ${r}`);
      continue;
    }
    out.push(
      `  ${v.passed ? '✔' : '✘'} ${v.workflow} › ${v.phase} ${v.name}: ${v.checked}/${v.total} (${path(v.uri)})`,
    );
    for (const g of v.groups) {
      out.push(`      ${g.passed ? '✔' : '✘'} ${g.heading}: ${g.checked}/${g.total}${groupNote(g)}`);
    }
    // A gate-file item says why it is not met, as `cdp check` and the dashboard do.
    for (const u of v.unmet)
      out.push(
        `      - [ ] ${u.text}${u.reason ? ` — ${u.reason}` : ''} (${u.group}, ${path(u.uri)}:${u.line + 1})`,
      );
  }
  return out;
}

/** Why a group of a verdict is not what its counts suggest: unreadable, empty, no checkboxes. */
function groupNote(g: GateVerdictDto['groups'][number]): string {
  if (g.unreadable) return ' — cannot be read';
  if (g.total === 0) return ' — has no criteria';
  if (g.untracked) return ` — ${untrackedText(g.untracked)}`;
  return '';
}

/** "2 items have no checkbox" (criteria written as plain list items). */
export function untrackedText(n: number): string {
  return `${n === 1 ? '1 item has' : `${n} items have`} no checkbox`;
}

/** `- [ ] text`, `* [x] text`, `1. [ ] text`: the criterion's text, or undefined. */
export function criterionText(line: string): string | undefined {
  const m = /^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+\[[ xX]\](?:\s+(.*))?$/.exec(line);
  return m ? (m[1] ?? '').trim() : undefined;
}

/** A manual item of a gate file, with the workflow, phase and group it is shown under. */
export interface ManualItem {
  workflow: WorkflowDto;
  phase: PhaseDto;
  group: GroupDto;
  criterion: CriterionDto;
}

/** The manual items of gate files not yet confirmed, in tree order (definitions have none to confirm). */
export function unconfirmedManualItems(workflows: readonly WorkflowDto[]): ManualItem[] {
  const out: ManualItem[] = [];
  for (const workflow of workflows) {
    if (workflow.definition) continue;
    for (const phase of workflow.phases)
      for (const group of phase.groups)
        for (const criterion of group.items)
          if (group.file && criterion.manual && !criterion.checked)
            out.push({ workflow, phase, group, criterion });
  }
  return out;
}

/** The manual item written on `line` of the gate file `file` (confirmed or not), if any. */
export function manualItemAt(
  workflows: readonly WorkflowDto[],
  file: string,
  line: number,
  same: (a: string, b: string) => boolean = (a, b) => a === b,
): ManualItem | undefined {
  for (const workflow of workflows) {
    if (workflow.definition) continue;
    for (const phase of workflow.phases)
      for (const group of phase.groups) {
        if (!group.file || !same(group.file, file)) continue;
        const criterion = group.items.find((c) => c.manual && c.line === line);
        if (criterion) return { workflow, phase, group, criterion };
      }
  }
  return undefined;
}

/** A criterion row's context value: a manual gate item (to confirm), a check, or a checkbox. */
export function criterionContext(c: CriterionDto, inGateFile: boolean): string {
  if (inGateFile && c.manual) return c.checked ? 'cdp.manual.confirmed' : 'cdp.manual.unconfirmed';
  if (inGateFile && c.command !== undefined) return 'cdp.check.command';
  if (inGateFile || (c.state !== undefined && !c.manual)) return 'cdp.check';
  return c.checked ? 'cdp.criterion.checked' : 'cdp.criterion.unchecked';
}

/**
 * Sets criteria one after the other (`set` is false when the server refused or nothing
 * changed); when any was not set, the rows are read again once (`refresh`): a row refused
 * as out of date shows the document as it is now, so the next try can succeed. True when
 * every one was set.
 */
export async function setCriteria<T>(
  targets: readonly T[],
  set: (target: T) => Promise<boolean>,
  refresh: () => Promise<void>,
): Promise<boolean> {
  let ok = true;
  for (const t of targets) ok = (await set(t)) && ok;
  if (!ok) await refresh();
  return ok;
}
