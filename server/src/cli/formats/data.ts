import { unmetReason } from '../../core/dashboard';
import { unreadReasons } from '../../core/gate';
import { isGateItem, isOptional } from '../../core/gates/evaluate';
import { noCheckboxText } from '../../core/model';
import { type JsonDiagnostic, type JsonUnreadFile, type JsonWorkflow, workflowJson } from '../../core/report';
import { isFolderPath, isWhitespace, trimEndWhile } from '../../core/text';
import { NO_CRITERIA, phaseProgress, type WorkflowInstance } from '../../core/workflow';

/** A selected gate (`--phase` / `--gate`) as the JSON report writes it. */
export interface JsonGate {
  workflow: string;
  phase: string;
  name: string;
  file: string;
  groups: string[];
  passed: boolean;
  /** Why it failed: one line per group not passed ("Security Sign-off Gate has no criteria"); always written. */
  reasons?: string[];
  total: number;
  checked: number;
  unmet: { group: string; text: string; line: number; file?: string; state?: string; reason?: string }[];
  /**
   * The workflow has no phase `--phase` names: the gate fails, `phase` is the phase as
   * asked, `name` is empty, `file` the workflow's last phase document (the phase's own
   * file when that was not read) and `reasons` say so.
   */
  missing?: true;
}

/**
 * The line of a location, none for a folder (a phase that stands for its folder of
 * documents is reported at the folder, written with a trailing `/`).
 */
export function lineIn(file: string, line: number): number | undefined {
  return isFolderPath(file) ? undefined : line;
}

/** `file:line`, or the folder alone (see `lineIn`). */
/** `group: text`, a group named with a colon of its own (`Criterios de salida:`) not given a second. */
export function groupAndText(group: string, text: string): string {
  // (in linear time: a pattern for the trailing colon retried every space of a long run)
  const trimmed = trimEndWhile(group, isWhitespace);
  const name = /[:：]$/.test(trimmed) ? trimEndWhile(trimmed.slice(0, -1), isWhitespace) : group;
  return `${name}: ${text}`;
}

export function fileAndLine(file: string, line: number | string): string {
  return isFolderPath(file) ? file : `${file}:${line}`;
}

/** How a selected gate is named in messages: "q1 05 Release", or "q2 (no phase release)". */
export function gateTitle(g: JsonGate): string {
  return g.missing ? `${g.workflow} (no phase ${g.phase})` : `${g.workflow} ${g.phase} ${g.name}`;
}

/**
 * What every output format of `cdp check` is written from: the JSON report's own data
 * (files relative to the root, 1-based lines), so fields added to the report reach
 * every format.
 */
export interface CheckData {
  root: string;
  workflows: CiWorkflow[];
  /**
   * The findings, taken as they are found (a document at a time): a format writes each as
   * it comes and keeps none. A format that needs their counts before it writes them
   * (JUnit's totals) takes them twice, so this is iterable more than once.
   */
  diagnostics: Iterable<JsonDiagnostic>;
  /**
   * The findings counted by severity, when they were written already (the summary after
   * a report): the summary prints these instead of taking the findings again.
   */
  counts?: Readonly<Record<JsonDiagnostic['severity'], number>>;
  notices: { file: string; message: string }[];
  /** Set when a phase or gate was selected. */
  gates?: JsonGate[];
  /**
   * The paths given that hold no phase document (nor a phase's gate file), as the CI
   * formats name them (relative to the current folder when the root is in it); each
   * format says so, so that a wrong path does not pass silently.
   */
  withoutPhases?: string[];
}

type JsonPhase = JsonWorkflow['phases'][number];
type JsonGroup = JsonPhase['groups'][number];

/** A criterion with its state (the JSON report lists only the unmet ones). */
export interface CiItem {
  text: string;
  line: number;
  checked: boolean;
  /** The gate file the item is written in, when not the phase document. */
  file?: string;
  /** A gate-file item written `required: false`: its group passes without it. */
  optional?: boolean;
  /** The command a gate-file check runs. */
  command?: string;
}

export { unmetReason };

export type CiGroup = JsonGroup & { items: CiItem[] };
export type CiPhase = Omit<JsonPhase, 'groups'> & { groups: CiGroup[] };
export type CiWorkflow = Omit<JsonWorkflow, 'phases'> & { phases: CiPhase[] };

/** The workflow as the JSON report writes it, each group also with all its items. */
export function ciWorkflow(w: WorkflowInstance, fileOf: (uri: string) => string): CiWorkflow {
  const json = workflowJson(w, fileOf);
  return {
    ...json,
    phases: json.phases.map((p, i) => {
      const groups = phaseProgress(w.phases[i]).groups;
      return {
        ...p,
        groups: p.groups.map((g, j) => ({
          ...g,
          items: groups[j].items.map((it) => {
            const item: CiItem = { text: it.text, line: it.line + 1, checked: it.checked };
            if (g.file) item.file = g.file;
            if (isOptional(it)) item.optional = true;
            if (isGateItem(it) && it.def.command !== undefined) item.command = it.def.command;
            return item;
          }),
        })),
      };
    }),
  };
}

/**
 * Whether a report's file is a URI (a document outside the root, `file:///…`) rather than a
 * relative path: a scheme and `//`. A file named `c:drive.md` is a path.
 */
export function isUri(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}

/** The groups of the phase that a selected gate checked. */
export function gateGroups(data: CheckData, g: JsonGate): CiGroup[] {
  const phase = data.workflows.find((w) => w.id === g.workflow)?.phases.find((p) => p.file === g.file);
  if (!phase) return [];
  const names = new Set(g.groups);
  return phase.groups.filter((x) => names.has(x.heading));
}

/**
 * The files of a selected gate's workflow that were not read and keep it from passing (an
 * earlier phase's, the phase's own README), each with the reason its verdict gives.
 */
export function unreadFailures(data: CheckData, g: JsonGate): { file: string; reason: string }[] {
  const w = data.workflows.find((x) => x.id === g.workflow);
  if (!w || g.missing || !/^\d+$/.test(g.phase)) return [];
  const unread = (list: readonly JsonUnreadFile[] | undefined) =>
    (list ?? []).map((u) => ({ number: Number(u.phase), rel: u.file, reason: u.reason }));
  return unreadReasons(
    { unreadPhases: unread(w.unreadPhases), unreadReadmes: unread(w.unreadReadmes) },
    Number(g.phase),
  ).map((u) => ({ file: u.rel, reason: u.reason }));
}

/**
 * What makes a selected gate fail: each unmet criterion, and each selected group with no
 * criteria at all (it can never pass), with the line to show it at.
 */
export function gateFailures(
  data: CheckData,
  g: JsonGate,
): { group: string; text: string; line: number; reason: string; file?: string }[] {
  const out: { group: string; text: string; line: number; reason: string; file?: string }[] = g.unmet.map(
    (u) => ({
      group: u.group,
      text: u.text,
      line: u.line,
      reason: unmetReason(u),
      ...(u.file ? { file: u.file } : {}),
    }),
  );
  if (g.missing) return [{ group: '', text: '', line: 1, reason: g.reasons?.[0] ?? 'no such phase' }];
  // Files of the workflow that were not read (an earlier phase's, the phase's README): on them.
  for (const u of unreadFailures(data, g)) out.push({ group: '', text: '', line: 1, ...u });
  for (const group of gateGroups(data, g))
    if (
      group.total === 0 ||
      group.untracked ||
      // Not passed with no unmet item to show it (boxes GFM does not read).
      (!group.passed && !g.unmet.some((u) => u.group === group.heading))
    )
      out.push({
        group: group.heading,
        text: '',
        line: Math.max(group.line, 1),
        // A group read from a gate file is shown on that file (its line is the file's).
        ...(group.file ? { file: group.file } : {}),
        reason: group.unreadable
          ? 'the gate file cannot be read'
          : group.untracked
            ? noCheckboxText(group.untracked)
            : (group.reason ?? 'the group has no criteria'),
      });
  if (out.length === 0 && !g.passed)
    out.push({
      group: '',
      text: '',
      line: 1,
      reason: g.groups.length === 0 ? NO_CRITERIA : 'no group was selected',
    });
  return out.sort((a, b) => a.line - b.line);
}
