import type { Rule } from './rule';

/** A gate heading in a phase document with no checklist items under it. */
export const emptyGate: Rule = {
  id: 'empty-gate',
  check(analysis, entry, report) {
    // A numbered file that is no workflow's phase (none of its folder shows one) is an ordinary document.
    if (!entry.phase || (!entry.showsPhase && !analysis.workflowOf(entry.uri))) return;
    for (const g of entry.ownGroups) {
      if (!g.gateHeading || g.total > 0 || !g.headingRange) continue;
      report({
        message: `Gate "${g.heading}" has no checklist items, so it can never be checked. Add \`- [ ]\` criteria.`,
        range: g.headingRange,
      });
    }
  },
};
