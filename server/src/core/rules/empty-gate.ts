import type { Rule } from './rule';

/** A gate heading in a phase document with no checklist items under it. */
export const emptyGate: Rule = {
  id: 'empty-gate',
  check(_analysis, entry, report) {
    if (!entry.phase) return;
    for (const g of entry.ownGroups) {
      if (!g.gateHeading || g.total > 0 || !g.headingRange) continue;
      report({
        message: `Gate "${g.heading}" has no checklist items, so it can never be checked. Add \`- [ ]\` criteria.`,
        range: g.headingRange,
      });
    }
  },
};
