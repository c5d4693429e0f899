import { type GateItem, type ItemState, isGateItem, isOptional } from './gates/evaluate';
import { groupReason, phaseId } from './model';
import type { PhaseState } from './phase-state';
import type { Finding, Notice, Severity, TaskItem } from './types';
import { phaseProgress, type UnreadPhase, type WorkflowInstance, workflowPhaseStatuses } from './workflow';

/** The JSON report of `cdp check --format json`, version 1. Lines and columns are 1-based. */
export interface JsonReport {
  version: 1;
  root: string;
  /** The paths given (relative to the root, `.` for it) that hold no phase document; only when there are some. */
  withoutPhases?: string[];
  workflows: {
    id: string;
    phases: {
      phase: string;
      name: string;
      file: string;
      complete: boolean;
      /**
       * Someone worked on it (an item ticked or a manual item confirmed; a check passing by
       * itself does not count), or it is complete.
       */
      started?: boolean;
      /**
       * Where the phase stands (see `core/phase-state.ts`): passed, current (the first
       * phase not complete), in-progress or not-started. Written for every workflow under
       * way; a definition's phases have none (a definition has no current phase).
       */
      state?: PhaseState;
      /**
       * Written (true) when a gate of the phase is failing: an entry, exit or gate group that
       * can never pass as written, or one unmet while a later phase was started.
       */
      failingGates?: true;
      /** What keeps the phase from being complete (empty groups, unticked items); always written. */
      reasons?: string[];
      groups: {
        heading: string;
        kind: string;
        line: number;
        total: number;
        checked: number;
        passed: boolean;
        /** Why the group is not passed ("… has no criteria"); absent when it passed. */
        reason?: string;
        /** The criteria not met that keep the group from passing (optional ones are in `optional`). */
        unmet: JsonUnmet[];
        /**
         * Written when the group has optional items (gate-file items with `required: false`):
         * those not met, possibly none. They never keep the group from passing.
         */
        optional?: JsonUnmet[];
        /** The gate file the group was read from, when not the phase document. */
        file?: string;
        /** Its criteria are this many list items without checkboxes (`unmet` is empty then). */
        untracked?: number;
        /** The gate file `file` cannot be read (invalid-gate-file): the group never passes. */
        unreadable?: boolean;
      }[];
    }[];
    /**
     * Phases whose file was not read (larger than `cdp.files.maxFileSizeKB`, binary
     * content) and that no other document stands for: a flat `02-prescribe.md`, or a phase
     * folder's `README.md`. They are not in `phases`; no gate from them on can pass.
     * Written only when there are some.
     */
    unreadPhases?: JsonUnreadFile[];
    /**
     * The `README.md` (or `index.md`) of a phase in `phases` (a folder that is a phase by
     * its gate files) that was not read: the criteria written there are unknown, and the
     * phase's gate cannot pass. Written only when there are some.
     */
    unreadReadmes?: JsonUnreadFile[];
    /** A workflow definition (templates), not work under way. Always written. */
    definition?: boolean;
  }[];
  diagnostics: JsonDiagnostic[];
  notices: { file: string; message: string }[];
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export interface JsonUnmet {
  text: string;
  line: number;
  /** The file the item lives in, when not the phase document (a gate file). */
  file?: string;
  /** unchecked (a checkbox), failed, not-evaluated (a command not run), unconfirmed (manual). Always written. */
  state?: Exclude<ItemState, 'passed'>;
  /** Why it is not met (gate-file items). */
  reason?: string;
  /** Output of its command, when `--run-commands` ran it. */
  output?: string;
}

/** A phase's file that was not read (see `unreadPhases`). */
export interface JsonUnreadFile {
  /** The phase's id, as `phase` writes it ("02"). */
  phase: string;
  file: string;
  /** Why it was not read, as its notice says ("larger than cdp.files.maxFileSizeKB (2048 KB)"). */
  reason: string;
}

export type JsonWorkflow = JsonReport['workflows'][number];

/** One workflow instance as the JSON report writes it. */
export function workflowJson(w: WorkflowInstance, fileOf: (uri: string) => string): JsonWorkflow {
  const unmetJson = (i: TaskItem | GateItem): JsonUnmet => {
    const u: JsonUnmet = { text: i.text, line: i.line + 1, state: 'unchecked' };
    if (isGateItem(i)) {
      u.file = fileOf(i.file);
      u.state = i.state === 'passed' ? 'unchecked' : i.state;
      if (i.reason) u.reason = i.reason;
      if (i.output !== undefined) u.output = i.output;
    }
    return u;
  };
  const statuses = workflowPhaseStatuses(w);
  return {
    id: w.id,
    phases: w.phases.map((p, i) => {
      const prog = phaseProgress(p);
      const status = statuses[i];
      return {
        phase: p.phase!.id,
        name: p.phase!.name,
        file: fileOf(p.uri),
        complete: prog.complete,
        started: prog.started,
        ...(w.definition ? {} : { state: status.state }),
        ...(status.failingGates && !w.definition ? { failingGates: true as const } : {}),
        reasons: prog.reasons,
        groups: prog.groups.map((g) => {
          const group: JsonWorkflow['phases'][number]['groups'][number] = {
            heading: g.heading,
            kind: g.kind,
            line: g.line + 1,
            total: g.total,
            checked: g.checked,
            passed: g.passed,
            reason: groupReason(g), // undefined: left out of the JSON
            unmet: g.items.filter((i) => !i.checked && !isOptional(i)).map(unmetJson),
          };
          if (g.optional) group.optional = g.items.filter((i) => !i.checked && isOptional(i)).map(unmetJson);
          if (g.file) group.file = fileOf(g.file);
          if (g.untracked) group.untracked = g.untracked;
          if (g.unreadable) group.unreadable = true;
          return group;
        }),
      };
    }),
    ...unreadJson('unreadPhases', w.unreadPhases, fileOf),
    ...unreadJson('unreadReadmes', w.unreadReadmes, fileOf),
    definition: w.definition,
  };
}

/** `{ [key]: files }` of unread phase files, or nothing when there are none. */
function unreadJson<K extends 'unreadPhases' | 'unreadReadmes'>(
  key: K,
  list: readonly UnreadPhase[] | undefined,
  fileOf: (uri: string) => string,
): { [k in K]?: JsonUnreadFile[] } {
  if (!list?.length) return {};
  const files = list.map((u) => ({ phase: phaseId(u.number), file: fileOf(u.uri), reason: u.reason }));
  return { [key]: files } as { [k in K]?: JsonUnreadFile[] };
}

/**
 * The JSON report (version 1) in pieces — one workflow, a few dozen diagnostics per piece,
 * each ending with a line break — produced as they are consumed, so a workspace of
 * 10,000 documents never holds the whole report as objects or as one string. The
 * diagnostics may be produced as they are written (an iterable read once).
 */
export function* jsonReportPieces(
  r: {
    root: string;
    workflows: WorkflowInstance[];
    diagnostics: Iterable<JsonDiagnostic>;
    notices: Notice[];
    gates?: unknown[];
    /** Paths given that hold no phase document (relative to the root); written only when there are some. */
    withoutPhases?: string[];
  },
  fileOf: (uri: string) => string,
): Generator<string> {
  // An item of a list under a key, indented as it stands in the report (after the four
  // spaces `list` writes): the native indentation of the item inside such a list, cut
  // out, instead of a second pass over the text to indent it.
  const nested = (value: unknown) => JSON.stringify({ x: [value] }, null, 2).slice(15, -6);
  function* list<T>(name: string, items: Iterable<T>, json: (item: T) => string, last = false) {
    const end = last ? '' : ',';
    let buf = `  ${JSON.stringify(name)}: [\n`;
    // One item is held back: whether a comma follows it is known only at the next.
    let pending: string | undefined;
    for (const item of items) {
      if (pending !== undefined) {
        buf += `    ${pending},\n`;
        if (buf.length > 1 << 16) {
          yield buf;
          buf = '';
        }
      }
      pending = json(item);
    }
    yield pending === undefined
      ? `  ${JSON.stringify(name)}: []${end}\n`
      : `${buf}    ${pending}\n  ]${end}\n`;
  }
  yield `{\n  "version": 1,\n  "root": ${JSON.stringify(r.root)},\n`;
  if (r.withoutPhases?.length) yield `  "withoutPhases": ${JSON.stringify(r.withoutPhases)},\n`;
  yield* list('workflows', r.workflows, (w) => nested(workflowJson(w, fileOf)));
  yield* list('notices', r.notices, (n) => JSON.stringify({ file: fileOf(n.uri), message: n.message }));
  if (r.gates) yield* list('gates', r.gates, (g) => nested(g));
  yield* list('diagnostics', r.diagnostics, (d) => JSON.stringify(d), true);
  yield '}\n';
}

/** One finding as the JSON report writes it (1-based positions, file relative to the root). */
export function toJsonDiagnostic(f: Finding, fileOf: (uri: string) => string): JsonDiagnostic {
  return {
    file: fileOf(f.uri),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
  };
}
