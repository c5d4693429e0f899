/**
 * Where a phase stands, computed here once for every place that shows it: the Progress
 * view (through `cdp/workflows`), `cdp check` (its text, JSON report and job summary), the
 * exported gate report and the dashboard of `cdp report` and the editor. Each shows these
 * words (or a mark for them), never words of its own.
 *
 * - `passed`: every group passed and the phase has criteria (it is complete);
 * - `current`: the workflow's first phase that is not complete, whether or not anyone
 *   worked on it yet (an optional 00 without criteria is never current);
 * - `in-progress`: a later phase someone worked on (a box ticked or a manual item
 *   confirmed; see `PhaseProgress.started`);
 * - `not-started`: a later phase nobody worked on (gate-file checks may pass by themselves).
 */
export type PhaseState = 'passed' | 'current' | 'in-progress' | 'not-started';

/** A phase's state and what it shows beside it. */
export interface PhaseStatus {
  state: PhaseState;
  /**
   * Failing gates: an entry, exit or gate group can never pass as written (no criteria, a
   * gate file that cannot be read), or is unmet while a later phase was started. Never
   * set on a passed phase.
   */
  failingGates: boolean;
}

/** What a phase's state is computed from. */
export interface PhaseFacts {
  complete: boolean;
  started: boolean;
  /** Its entry, exit and gate groups (checklists left out). */
  criteria: readonly { total: number; passed: boolean }[];
  /** An optional phase without criteria (a 00 written as prose): never the current one. */
  optional?: boolean;
}

const PHASE_STATE_TEXT: Readonly<Record<PhaseState, string>> = {
  passed: 'passed',
  current: 'current',
  'in-progress': 'in progress',
  'not-started': 'not started',
};

/** The mark of a state in plain text (`cdp check`, the dashboard). */
const PHASE_STATE_MARK: Readonly<Record<PhaseState, string>> = {
  passed: '✓',
  current: '▶',
  'in-progress': '◐',
  'not-started': '○',
};

/** The mark of a state in markdown (the CI job summary, the exported gate report). */
const PHASE_STATE_EMOJI: Readonly<Record<PhaseState, string>> = {
  passed: '✅',
  current: '▶️',
  'in-progress': '🔄',
  'not-started': '⚪',
};

const FAILING_GATES_TEXT = 'failing gates';
/** The mark of a phase with failing gates, instead of its state's. */
const FAILING_GATES_MARK = '✗';
const FAILING_GATES_EMOJI = '❌';

/** The states of a workflow's phases, in order. */
export function phaseStatuses(phases: readonly PhaseFacts[]): PhaseStatus[] {
  const current = phases.findIndex((p) => !p.complete && !p.optional);
  return phases.map((p, i) => {
    const state: PhaseState = p.complete
      ? 'passed'
      : i === current
        ? 'current'
        : p.started
          ? 'in-progress'
          : 'not-started';
    const failingGates =
      !p.complete &&
      (p.criteria.some((g) => g.total === 0) ||
        (phases.slice(i + 1).some((q) => q.started) && p.criteria.some((g) => !g.passed)));
    return { state, failingGates };
  });
}

/**
 * "current", "current · failing gates": the state's words and its markers, `more` (such
 * as "has errors", which only the editor knows) after them.
 */
export function phaseStatusText(s: PhaseStatus, more: readonly string[] = []): string {
  return [PHASE_STATE_TEXT[s.state], ...(s.failingGates ? [FAILING_GATES_TEXT] : []), ...more].join(' · ');
}

/** The state's mark, or ✗ for failing gates. */
export function phaseStatusMark(s: PhaseStatus): string {
  return s.failingGates ? FAILING_GATES_MARK : PHASE_STATE_MARK[s.state];
}

/** The state's emoji, or ❌ for failing gates. */
export function phaseStatusEmoji(s: PhaseStatus): string {
  return s.failingGates ? FAILING_GATES_EMOJI : PHASE_STATE_EMOJI[s.state];
}
