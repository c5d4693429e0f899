import type {
  CriterionDto,
  GroupDto,
  PhaseDto,
  RunGateCommandResult,
  WorkflowDto,
} from '../../server/src/protocol';
import { phaseLabel, plural } from './progress-model';

/** One gate-file check that runs a command, as *Run Gate Commands…* lists and runs it. */
export interface GateCommand {
  workflow: WorkflowDto;
  phase: PhaseDto;
  group: GroupDto;
  criterion: CriterionDto;
  /** The gate file (URI). */
  file: string;
  line: number;
  command: string;
}

/**
 * What the command runs the commands under: every workflow (the palette), a tree row
 * (workflow, phase, group, check), or the check on a line of a gate file (the quick fix).
 */
export type GateCommandTarget =
  | undefined
  | { kind: 'workflow'; workflow: WorkflowDto }
  | { kind: 'phase'; workflow: WorkflowDto; phase: PhaseDto }
  | { kind: 'group'; workflow: WorkflowDto; phase: PhaseDto; group: GroupDto }
  | { kind: 'criterion'; workflow: WorkflowDto; phase: PhaseDto; group: GroupDto; criterion: CriterionDto }
  | { kind: 'line'; uri: string; line: number };

/**
 * The gate commands under a target, in tree order (workflow, phase, file order). Never a
 * definition's: its gate files are templates. Rows are matched by identity of workflow and
 * phase ids, so a row from an older answer still finds its commands in `workflows`.
 */
export function gateCommandsOf(
  workflows: readonly WorkflowDto[],
  target: GateCommandTarget,
  same: (a: string, b: string) => boolean = (a, b) => a === b,
): GateCommand[] {
  const out: GateCommand[] = [];
  for (const workflow of workflows) {
    if (workflow.definition) continue;
    if (target && target.kind !== 'line' && !sameWorkflow(workflow, target.workflow)) continue;
    for (const phase of workflow.phases) {
      if (target && 'phase' in target && !same(phase.uri, target.phase.uri)) continue;
      for (const group of phase.groups) {
        if (!group.file) continue;
        if (
          target &&
          'group' in target &&
          !(same(group.file, target.group.file ?? '') && group.heading === target.group.heading)
        )
          continue;
        for (const criterion of group.items) {
          if (criterion.command === undefined) continue;
          if (target?.kind === 'criterion' && criterion.line !== target.criterion.line) continue;
          if (target?.kind === 'line' && !(same(group.file, target.uri) && criterion.line === target.line))
            continue;
          out.push({
            workflow,
            phase,
            group,
            criterion,
            file: group.file,
            line: criterion.line,
            command: criterion.command,
          });
        }
      }
    }
  }
  return out;
}

/**
 * The context value of a phase or group row of the Progress view (`cdp.phase`, `cdp.gate`,
 * `cdp.group`), with `.commands` appended when a gate-file check under the row runs a
 * command: only those rows offer *Run Gate Commands…* (package.json's `when` clauses).
 */
export function rowContext(workflow: WorkflowDto, phase: PhaseDto, group?: GroupDto): string {
  const base = group === undefined ? 'cdp.phase' : group.kind === 'gate' ? 'cdp.gate' : 'cdp.group';
  const target: GateCommandTarget =
    group === undefined ? { kind: 'phase', workflow, phase } : { kind: 'group', workflow, phase, group };
  return gateCommandsOf([workflow], target).length > 0 ? `${base}.commands` : base;
}

function sameWorkflow(a: WorkflowDto, b: WorkflowDto): boolean {
  return a.id === b.id && a.folder === b.folder;
}

/** How many command lines the confirmation shows before "and N more". */
export const SHOWN_COMMANDS = 5;

/**
 * Whether a live workflow has gate files (`cdp.hasGateFiles`): *Confirm Gate Item* and
 * *Run Gate Commands…* act on their items only, so the palette offers them only then.
 */
export function hasGateFiles(workflows: readonly WorkflowDto[]): boolean {
  return workflows.some(
    (w) => !w.definition && w.phases.some((p) => p.groups.some((g) => g.file !== undefined)),
  );
}

/**
 * The output channel's line for a command that ran (`where`: its gate file and line): its
 * verdict, then the exit code unless the reason already gives it, and how long it took.
 */
export function commandResultLine(command: string, where: string, r: RunGateCommandResult): string {
  if (r.refused !== undefined) return `✗ ${command} (${where}): not run — ${r.refused}`;
  const verdict =
    r.discarded ?? `${r.state === 'passed' ? 'passed' : r.state}${r.reason ? ` — ${r.reason}` : ''}`;
  const exit = r.exit !== undefined && !r.reason?.includes(`(exit ${r.exit})`) ? `exit ${r.exit}, ` : '';
  return `${r.state === 'passed' ? '✓' : '✗'} ${command} (${where}, in ${r.cwd}): ${verdict} (${exit}${r.ms} ms)`;
}

/**
 * The modal confirmation: a question naming how many commands and the folder(s) they run
 * in, and a detail listing the first command lines with where they are written.
 * `folderPath` turns a workflow's folder URI into the path shown.
 */
export function confirmationText(
  list: readonly GateCommand[],
  folderPath: (uri: string) => string,
): { message: string; detail: string } {
  const folders = [...new Set(list.map((c) => folderPath(c.workflow.folder)))];
  const where =
    folders.length === 1 ? `in ${folders[0]}` : `in ${folders.length} folders (${folders.join(', ')})`;
  const message = `Run ${plural(list.length, 'gate command')} ${where}?`;
  const lines = list
    .slice(0, SHOWN_COMMANDS)
    .map((c) => `${c.command}\n    ${phaseLabel(c.phase)} › ${c.criterion.text}`);
  if (list.length > SHOWN_COMMANDS) lines.push(`… and ${list.length - SHOWN_COMMANDS} more`);
  return {
    message,
    detail: `${lines.join('\n')}\n\nEach runs with the shell, one at a time; its result counts until the gate file changes.`,
  };
}
