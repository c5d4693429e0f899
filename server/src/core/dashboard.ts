import { coversEveryPhase, releaseNotWritten } from './gate';
import { firstRequiredPhase, notWrittenYet } from './model';
import { basename, dirname, stripMdExtension } from './paths';
import { type PhaseState, type PhaseStatus, phaseStatuses } from './phase-state';
import type { JsonUnreadFile, JsonWorkflow } from './report';
import { shownText } from './shown-text';
import { slug, trimEndSlashes } from './text';
import { allComplete, gated, missingPhases } from './workflow';

/** Why a workflow whose phases have no entry, exit or gate group is not ready. */
export const NOTHING_TO_CHECK = 'No entry, exit or gate criteria to check.';

/**
 * The release dashboard's view model: plain data built from the JSON report's workflows,
 * rendered by `server/src/dashboard/` (the `cdp report` HTML file, and a webview).
 */
export interface DashboardView {
  /** Where the workflows were read. */
  root: string;
  workflows: WorkflowView[];
  /** Checked criteria over the commits that touched the phase documents, or why there is none. */
  history?: HistoryView;
}

export interface GateView {
  heading: string;
  kind: string;
  file: string;
  line: number;
  checked: number;
  total: number;
  passed: boolean;
  /** The gate file cannot be read (it never passes). */
  unreadable?: boolean;
}

export interface PhaseView {
  id: string;
  name: string;
  file: string;
  checked: number;
  total: number;
  state: PhaseState;
  /** A gate of the phase is failing (see `PhaseStatus.failingGates`). */
  failingGates: boolean;
  /** Entry, exit and gate groups (checklists are in the counts only). */
  gates: GateView[];
  /** Criteria groups not passed. */
  gatesNotPassed: number;
}

/**
 * Phases of a view by number and the slugs they are named by (their name; their file's,
 * or a README's folder's, without the number): what `followedKnownWorkflow` reads.
 */
export function viewNames(
  phases: readonly { id: string; name: string; file: string }[],
  unread: readonly { phase: string; file: string }[] = [],
) {
  return [...phases, ...unread.map((u) => ({ id: u.phase, name: '', file: u.file }))]
    .filter((p) => /^\d+$/.test(p.id))
    .map((p) => {
      const file = stripMdExtension(basename(p.file));
      const stem = /^(readme|index)$/i.test(file) ? basename(dirname(p.file)) : file;
      return { number: Number(p.id), names: [slug(p.name), slug(stem).replace(/^\d+-/, '')] };
    });
}

export interface BlockingItem {
  phase: string;
  group: string;
  kind: string;
  text: string;
  /** A checklist item's text as rendered (links as their text), where it differs from `text`. */
  shown?: string;
  file: string;
  line: number;
  reason: string;
}

export interface WorkflowView {
  id: string;
  /**
   * A workflow definition (templates, not work under way): no current phase, no phase
   * states to show, no readiness verdict and no blocking items; only its sizes.
   */
  definition?: true;
  current?: string;
  /**
   * What the workflow reads when no phase is current, as the text report words it
   * (`allComplete`): "all phases complete", or "the phases written so far complete; 05
   * Release, 06 Follow up not written yet" for a cycle whose later phases are not written.
   */
  complete?: string;
  phases: PhaseView[];
  readiness: {
    ready: boolean;
    /** The phase readiness is checked up to (release), or undefined for all phases. */
    upTo?: string;
    note?: string;
  };
  blocking: BlockingItem[];
  /** Phases whose file was not read (the report's `unreadPhases`): not in `phases`, blocking. */
  unreadPhases?: JsonUnreadFile[];
}

export interface HistoryPoint {
  commit: string;
  date: string;
  subject: string;
  /** Checked criteria per phase id at that commit. */
  checked: Record<string, number>;
  total: Record<string, number>;
}

export type HistoryView =
  | {
      workflow: string;
      phases: string[];
      points: HistoryPoint[];
      /** What limits the history shown (a shallow clone holds only its last commits). */
      note?: string;
    }[]
  | { note: string };

type Phase = JsonWorkflow['phases'][number];
type Group = Phase['groups'][number];

const isCriteria = (g: Group) => g.kind !== 'checklist';
/** A 00 without criteria: optional, never waited for (`optionalPhase` in core/workflow.ts). */
const isOptional = (p: JsonWorkflow['phases'][number]) => Number(p.phase) === 0 && !p.groups.some(isCriteria);
/** As the report says (a group of malformed boxes, or of optional items, is judged there). */
const groupPassed = (g: Group) => g.passed;

/**
 * Why a criterion is unmet: the report's `reason` or `state` when it gives one (layouts
 * with item states), else "not checked".
 */
export function unmetReason(u: object): string {
  const r = u as { reason?: unknown; state?: unknown };
  if (typeof r.reason === 'string' && r.reason) return r.reason;
  if (typeof r.state === 'string' && r.state && r.state !== 'unchecked') return r.state;
  return 'not checked';
}

/**
 * The phases' states (see `core/phase-state.ts`): as the report gives them, else (a report
 * written before `state`) computed from its counts in the same way.
 */
export function phaseStates(w: JsonWorkflow): PhaseStatus[] {
  const given = (p: JsonWorkflow['phases'][number], state: PhaseState): PhaseStatus => ({
    state,
    failingGates: p.failingGates === true,
  });
  if (w.phases.every((p) => p.state)) return w.phases.map((p) => given(p, p.state!));
  const computed = phaseStatuses(
    w.phases.map((p) => ({
      complete: p.complete,
      // Reports before `started` was written: any checked item.
      started: p.started ?? p.groups.some((g) => g.checked > 0),
      criteria: p.groups.filter(isCriteria).map((g) => ({ total: g.total, passed: groupPassed(g) })),
      optional: isOptional(p),
    })),
  );
  return w.phases.map((p, i) => (p.state ? given(p, p.state) : computed[i]));
}

/** A definition as the dashboard shows it: its phases and groups with their sizes only. */
function definitionView(w: JsonWorkflow): WorkflowView {
  return {
    id: w.id,
    definition: true,
    phases: w.phases.map((p) => {
      const gates = p.groups.filter(isCriteria).map((g) => ({
        heading: g.heading,
        kind: g.kind,
        file: g.file ?? p.file,
        line: g.line,
        checked: 0,
        total: g.total,
        passed: false,
      }));
      return {
        id: p.phase,
        name: p.name,
        file: p.file,
        checked: 0,
        total: p.groups.reduce((n, g) => n + g.total, 0),
        // Not shown for a definition (it has no current phase); a state is required by the type.
        state: 'not-started',
        failingGates: false,
        gates,
        gatesNotPassed: 0,
      };
    }),
    readiness: { ready: false, note: DEFINITION_NOTE },
    blocking: [],
  };
}

/** What a definition reads instead of a state and a readiness verdict. */
const DEFINITION_NOTE = 'A workflow definition: templates, not work under way (no state or readiness).';

/**
 * The dashboard of these workflows. `release` gives, per workflow id, the index of the
 * phase release readiness is checked up to (every phase before it included); without one
 * every phase counts.
 */
export function buildDashboard(
  root: string,
  workflows: JsonWorkflow[],
  release: (w: JsonWorkflow) => number | undefined,
  releaseName = 'release',
): DashboardView {
  return {
    root,
    workflows: gated(workflows).map((w): WorkflowView => {
      if (w.definition) return definitionView(w);
      const states = phaseStates(w);
      const phases: PhaseView[] = w.phases.map((p, i) => {
        const gates = p.groups.filter(isCriteria).map((g) => ({
          heading: g.heading,
          kind: g.kind,
          file: g.file ?? p.file,
          line: g.line,
          checked: g.checked,
          total: g.total,
          passed: groupPassed(g),
          ...(g.unreadable ? { unreadable: true } : {}),
        }));
        const checked = p.groups.reduce((n, g) => n + g.checked, 0);
        const total = p.groups.reduce((n, g) => n + g.total, 0);
        return {
          id: p.phase,
          name: p.name,
          file: p.file,
          checked,
          total,
          state: states[i].state,
          failingGates: states[i].failingGates,
          gates,
          gatesNotPassed: gates.filter((g) => !g.passed).length,
        };
      });
      const upTo = release(w);
      const checkedPhases = upTo === undefined ? w.phases : w.phases.slice(0, upTo + 1);
      const blocking: BlockingItem[] = [];
      for (const p of checkedPhases) {
        for (const g of p.groups.filter(isCriteria)) {
          const base = { phase: p.phase, group: g.heading, kind: g.kind, file: g.file ?? p.file };
          if (g.unreadable)
            blocking.push({
              ...base,
              text: '(cannot be read)',
              line: g.line,
              reason: 'the gate file cannot be read',
            });
          else if (g.total === 0)
            blocking.push({
              ...base,
              text: '(no criteria)',
              line: g.line,
              reason: 'the gate has no criteria',
            });
          if (g.untracked)
            blocking.push({
              ...base,
              text: `(${g.untracked} list ${g.untracked === 1 ? 'item' : 'items'} without a checkbox)`,
              line: g.line,
              reason: 'written without checkboxes: none can be ticked off',
            });
          for (const u of g.unmet) {
            // (a gate file's item is plain text)
            const shown = u.file === undefined ? shownText(u.text) : u.text;
            blocking.push({
              ...base,
              text: u.text,
              ...(shown !== u.text ? { shown } : {}),
              line: u.line,
              reason: unmetReason(u),
            });
          }
          // Not passed for a reason none of the above names (boxes GFM does not read).
          if (!g.passed && g.total > 0 && !g.untracked && g.unmet.length === 0)
            blocking.push({
              ...base,
              text: `(${g.heading})`,
              line: g.line,
              reason: g.reason ?? 'not passed',
            });
        }
      }
      // A phase whose file was not read: its criteria are unknown, so it cannot count as met.
      const unread = (w.unreadPhases ?? []).filter(
        (u) => upTo === undefined || Number(u.phase) <= Number(w.phases[upTo].phase),
      );
      const unreadItem = (
        u: JsonUnreadFile,
        reason = `the phase file was not read: ${u.reason}`,
      ): BlockingItem => ({
        phase: u.phase,
        group: 'Phase document',
        kind: 'phase',
        text: '(not read)',
        file: u.file,
        line: 1,
        reason,
      });
      // A phase the workflow skips is work not done, as an unmet criterion is.
      // (so is a phase of the known workflow it follows before its first: 01–03 of a cycle of 04, 05)
      const from = firstRequiredPhase(viewNames(phases));
      for (const id of missingPhases(
        checkedPhases.map((p) => p.phase),
        from,
      )) {
        const notRead = unread.find((u) => Number(u.phase) === Number(id));
        if (notRead) {
          blocking.push(unreadItem(notRead));
          continue;
        }
        const after = checkedPhases.find((p) => Number(p.phase) > Number(id))!;
        blocking.push({
          phase: id,
          group: 'Phase document',
          kind: 'phase',
          text: '(missing)',
          // Where the workflow goes on after the gap (lines are 1-based here).
          file: after.file,
          line: 1,
          reason: 'the workflow skips this phase: no document for it',
        });
      }
      const current = w.phases.find((p) => !p.complete && !isOptional(p));
      // Those before or after the phases read (not a gap between them).
      for (const u of unread)
        if (!blocking.some((b) => b.kind === 'phase' && b.phase === u.phase)) blocking.push(unreadItem(u));
      // A phase's README that was not read (the phase is there by its gate files).
      for (const u of w.unreadReadmes ?? [])
        if (checkedPhases.some((p) => Number(p.phase) === Number(u.phase)))
          blocking.push(
            unreadItem(
              u,
              `the phase's ${basename(u.file)} was not read, so the criteria written in it cannot be checked: ${u.reason}`,
            ),
          );
      const criteriaCount = checkedPhases.reduce((n, p) => n + p.groups.filter(isCriteria).length, 0);
      // A phase without any group is not complete, so not ready, as the gate check says
      // (where no phase has one, the note says so instead).
      if (criteriaCount > 0)
        for (const p of checkedPhases)
          if (!p.complete && !p.groups.some(isCriteria) && !isOptional(p))
            blocking.push({
              phase: p.phase,
              group: 'Phase document',
              kind: 'phase',
              text: '(nothing to check)',
              file: p.file,
              line: 1,
              reason: 'the phase has no entry, exit or gate group',
            });
      // A cycle of a known workflow whose release phase is not written yet is not ready
      // (`05 Release` after its 01–03): the phases up to it are work not done (where no
      // phase has criteria, the note says why it is not ready instead).
      const notYet = upTo === undefined ? notWrittenYet(viewNames(phases, w.unreadPhases), releaseName) : [];
      // Where such a phase would be written: the folder of the cycle's phases (not the
      // last phase's document, which a click would open as if it were that phase).
      // (a phase folder, `01-frame/`, or its README: the folder above it)
      const lastFile = w.phases[w.phases.length - 1].file;
      const folderPhase = lastFile.endsWith('/') || /^(readme|index)\.md$/i.test(basename(lastFile));
      const lastDir = lastFile.endsWith('/') ? trimEndSlashes(lastFile) : dirname(lastFile);
      const home = `${(folderPhase ? dirname(lastDir) : lastDir) || '.'}/`;
      if (criteriaCount > 0)
        for (const later of notYet)
          blocking.push({
            phase: later.id,
            group: 'Phase document',
            kind: 'phase',
            text: '(not written yet)',
            file: home,
            line: 1,
            reason: `${later.id} ${later.name} ${later === notYet[notYet.length - 1] ? 'is the release' : 'comes before the release'}: no document for it yet`,
          });
      // Where the release is one of those, readiness covers the phases up to it, not every phase.
      const covers = notYet.length === 0 ? coversEveryPhase(releaseName) : releaseNotWritten(notYet);
      return {
        id: w.id,
        current: current?.phase,
        ...(current
          ? {}
          : {
              complete: allComplete(
                w.phases.map((p) => p.phase),
                notWrittenYet(viewNames(phases)),
                (w.unreadPhases ?? []).map((u) => u.phase),
                from,
              ),
            }),
        phases,
        readiness: {
          ready: blocking.length === 0 && criteriaCount > 0,
          upTo: upTo === undefined ? undefined : w.phases[upTo].phase,
          // Without criteria nothing can show the workflow ready: said even where no phase is the release.
          note:
            criteriaCount === 0
              ? upTo === undefined
                ? `${covers} ${NOTHING_TO_CHECK}`
                : NOTHING_TO_CHECK
              : upTo === undefined
                ? covers
                : undefined,
        },
        blocking,
        ...(w.unreadPhases?.length ? { unreadPhases: w.unreadPhases } : {}),
      };
    }),
  };
}
