import type { CdpConfig } from './config';
import type { HistoryPoint, HistoryView } from './dashboard';
import { compilePatterns, computeGroups } from './model';
import { parseDocument } from './parse/document';

/** Checked and total checklist items of a phase document's text. */
export function countItems(text: string, config: CdpConfig): { checked: number; total: number } {
  const groups = computeGroups(parseDocument('untitled:history', text, 'fast'), compilePatterns(config));
  let checked = 0;
  let total = 0;
  for (const g of groups) {
    checked += g.checked;
    total += g.total;
  }
  return { checked, total };
}

export interface HistoryCommit {
  commit: string;
  date: string;
  subject: string;
  /** The text of each phase document (by phase id) at that commit; absent when it did not exist. */
  texts: Map<string, string>;
}

/** One workflow's series: checked items per phase at each commit, oldest first. */
export function historySeries(
  workflow: string,
  phases: string[],
  commits: HistoryCommit[],
  config: CdpConfig,
): Exclude<HistoryView, { note: string }>[number] {
  const points: HistoryPoint[] = commits.map((c) => {
    const checked: Record<string, number> = {};
    const total: Record<string, number> = {};
    for (const id of phases) {
      const text = c.texts.get(id);
      const n = text === undefined ? { checked: 0, total: 0 } : countItems(text, config);
      checked[id] = n.checked;
      total[id] = n.total;
    }
    return { commit: c.commit, date: c.date, subject: c.subject, checked, total };
  });
  return { workflow, phases, points };
}
