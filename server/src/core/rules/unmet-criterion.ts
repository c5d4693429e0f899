import { toggleEdit } from '../edits';
import { type GroupKind, noCheckboxText } from '../model';
import { currentPhase, phaseProgress } from '../workflow';
import type { Rule } from './rule';

export const LABEL: Partial<Record<GroupKind, string>> = {
  entry: 'entry criterion',
  exit: 'exit criterion',
  gate: 'gate criterion',
};

/**
 * One finding per unchecked item of an entry, exit or gate group, in the instance's
 * current phase (its first incomplete one) and in any phase with progress. Phases
 * nobody has started stay quiet.
 */
export const unmetCriterion: Rule = {
  id: 'unmet-criterion',
  check(analysis, entry, report) {
    const w = analysis.workflowOf(entry.uri);
    if (!entry.phase || !w || w.definition) return;
    const progress = phaseProgress(entry);
    if (!progress.started && currentPhase(w) !== entry) return;
    for (const g of progress.groups) {
      const label = LABEL[g.kind];
      // Items of gate files are reported in the gate file (Analysis.checkGateFile).
      if (!label || g.file !== undefined) continue;
      if (g.untracked && g.headingRange) {
        report({
          message:
            g.untracked === 1
              ? `Unmet ${label} (${g.heading}): its list item has no checkbox, so it cannot be ticked off. Write it as a \`- [ ]\` item.`
              : `Unmet ${label.replace(/criterion$/, 'criteria')} (${g.heading}): ${noCheckboxText(g.untracked)}, so none can be ticked off. Write them as \`- [ ]\` items.`,
          range: g.headingRange,
        });
        continue;
      }
      if (g.prose && g.headingRange) {
        report({
          message: `Unmet ${label.replace(/criterion$/, 'criteria')} (${g.heading}): no checklist items (criteria in prose or a table, or none written yet), nothing can be ticked off, so the phase cannot be complete. Write them as \`- [ ]\` items.`,
          range: g.headingRange,
        });
        continue;
      }
      for (const item of g.items) {
        if (item.checked) continue;
        report({
          message: `Unmet ${label} (${g.heading}): ${item.text}`,
          range: item.range,
          fixes: analysis.detail
            ? [{ kind: 'edit', title: 'Mark as done', uri: entry.uri, edits: [toggleEdit(item)] }]
            : undefined,
        });
      }
    }
  },
};
