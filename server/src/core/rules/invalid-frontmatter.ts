import { parsePhaseNumber } from '../model';
import type { Rule } from './rule';

/** YAML that does not parse (at the error's position), or a `phase` that is not 01..99. */
export const invalidFrontmatter: Rule = {
  id: 'invalid-frontmatter',
  check(_analysis, entry, report) {
    const m = entry.doc.metadata;
    for (const e of m.errors) report({ message: e.message, range: e.range });
    if (m.errors.length > 0) return;
    const phase = m.entries.find((e) => e.key === 'phase');
    if (phase && parsePhaseNumber(m.data.phase) === undefined) {
      report({
        message: `\`phase\` must be a phase number from 01 to 99, not ${JSON.stringify(m.data.phase ?? null)}.`,
        range: phase.range,
      });
    }
  },
};
