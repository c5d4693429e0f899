import type { CdpConfig } from './config';
import type { HistoryPoint, HistoryView } from './dashboard';
import { parseConfirmations } from './gates/confirmations';
import { evaluateGateFiles, type GateEnv } from './gates/evaluate';
import { parseGateFile } from './gates/parse';
import { type Confirmation, confirmationKey } from './gates/store';
import { compilePatterns, computeGroups, countedBesideGates, type Group, type Patterns } from './model';
import { parseDocument } from './parse/document';
import { dirname } from './paths';
import { type Anchored, anchorsIn, evidenceAnswer, sameCase } from './resolve';
import { groupsProgress } from './workflow';

function documentGroups(text: string, patterns: Patterns): Group[] {
  return computeGroups(parseDocument('untitled:history', text, 'fast'), patterns);
}

/** The workspace folder as it was at one commit, for the checks of gate files (read when asked). */
export interface HistoryTree {
  /** Every file of the workspace folder (relative paths, sorted). */
  files(): readonly string[];
  /** A file's text (undefined when it did not exist or is too large to search). */
  text(rel: string): string | undefined;
}

export interface HistoryCommit {
  commit: string;
  date: string;
  subject: string;
  /** The text of each phase document (by phase id) at that commit; absent when it did not exist. */
  texts: Map<string, string>;
  /** The text of each gate file (by its path in the workspace folder) at that commit; absent when it did not exist. */
  gateTexts?: Map<string, string>;
  /** The folder's `.cdp/confirmations.yml` at that commit. */
  confirmations?: string;
  /** What the gate files' checks look at. */
  tree?: HistoryTree;
}

/** The gate files of a workflow's phases, for the history to count as the dashboard does. */
export interface HistoryGates {
  /** Phase id → the paths (in the workspace folder) of its gate files. */
  files: Map<string, readonly string[]>;
  /** The ids of the phases a `previous_phase_complete` check's `phase` names (`matchPhase`). */
  match(named: string): string[];
}

/**
 * One workflow's series: checked items per phase at each commit, oldest first. A phase's
 * items are its document's checklists and, as everywhere on the dashboard, the items of
 * its gate files, each checked when its check passes at that commit: a manual item when
 * that commit's confirmations file records it, a path or `grep` check against that
 * commit's files, `previous_phase_complete` by the earlier phase at that commit. Commands
 * are not run (their items count as unchecked, as in a report without `--run-commands`).
 */
export function historySeries(
  workflow: string,
  phases: string[],
  commits: HistoryCommit[],
  config: CdpConfig,
  gates?: HistoryGates,
): Exclude<HistoryView, { note: string }>[number] {
  const patterns = compilePatterns(config);
  /** Evidence documents read for their anchors, by text: most are the same from one commit to the next. */
  const anchored = new Map<string, Anchored>();
  const points: HistoryPoint[] = commits.map((c) => {
    const checked: Record<string, number> = {};
    const total: Record<string, number> = {};
    /** Phase id → whether it was complete at this commit (phases in order, earlier first). */
    const complete = new Map<string, boolean>();
    const env = gates ? commitEnv(c, phases, complete, gates, anchored) : undefined;
    for (const id of phases) {
      const text = c.texts.get(id);
      const own = text === undefined ? [] : documentGroups(text, patterns);
      const gateGroups: Group[] = [];
      if (env) {
        env.phase = id;
        for (const rel of gates!.files.get(id) ?? []) {
          const written = c.gateTexts?.get(rel);
          if (written === undefined) continue;
          const entry = { uri: rel, folder: '', rel, dir: dirname(rel), parsed: parseGateFile(written) };
          for (const g of evaluateGateFiles([entry], env)) gateGroups.push(g);
        }
      }
      // As the index counts them now (DocEntry.groups): beside gate files, a list of
      // criteria without checkboxes only describes them.
      const n = groupsProgress(gateGroups.length > 0 ? countedBesideGates(own).concat(gateGroups) : own);
      checked[id] = n.checked;
      total[id] = n.total;
      complete.set(id, n.complete);
    }
    return { commit: c.commit, date: c.date, subject: c.subject, checked, total };
  });
  return { workflow, phases, points };
}

/** What the gate checks of one commit read; `phase` is the phase whose gate files are evaluated. */
function commitEnv(
  c: HistoryCommit,
  phases: readonly string[],
  complete: ReadonlyMap<string, boolean>,
  gates: HistoryGates,
  anchored: Map<string, Anchored>,
): GateEnv & { phase: string } {
  let files: readonly string[] | undefined;
  let lower: Map<string, string> | undefined;
  const listing = () => (files ??= c.tree?.files() ?? []);
  const byLower = () => {
    if (!lower) {
      lower = new Map();
      for (const f of listing()) if (!lower.has(f.toLowerCase())) lower.set(f.toLowerCase(), f);
    }
    return lower;
  };
  let confirmed: Map<string, Confirmation> | undefined;
  const env: GateEnv & { phase: string } = {
    phase: '',
    files: listing,
    isFile: (rel) => {
      const disk = byLower().get(rel.toLowerCase());
      return disk !== undefined && sameCase(disk, rel);
    },
    inAnyCase: (rel) => byLower().has(rel.toLowerCase()),
    onDisk: (rel) => byLower().get(rel.toLowerCase()),
    hasAnchor: (rel, anchor) => {
      const on = byLower().get(rel.toLowerCase());
      const text = on === undefined ? undefined : c.tree?.text(on);
      if (text === undefined) return undefined;
      let doc = anchored.get(text);
      if (!doc) anchored.set(text, (doc = anchorsIn(parseDocument('untitled:history', text, 'fast'))));
      return evidenceAnswer(doc, anchor);
    },
    text: (rel) => c.tree?.text(rel),
    phaseComplete: (named) => {
      const own = env.phase;
      let id: string | undefined;
      if (named) {
        const ids = gates.match(named);
        id = ids.find((x) => x !== own);
        if (id === undefined && ids.includes(own))
          return { complete: false, label: `phase ${own}`, self: true };
      } else {
        const i = phases.indexOf(own);
        id = i > 0 ? phases[i - 1] : undefined;
      }
      if (id === undefined) return undefined;
      return { complete: complete.get(id) === true, label: `phase ${id}` };
    },
    confirmation: (fileRel, item) => {
      confirmed ??= parseConfirmations(c.confirmations ?? '');
      return confirmed.get(confirmationKey(fileRel, item));
    },
    commandResult: () => undefined,
  };
  return env;
}
