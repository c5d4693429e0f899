import { phaseProgress } from '../workflow';
import type { Rule } from './rule';

/** A phase has checked items while an earlier phase of its instance has an unmet exit or gate group. */
export const outOfOrder: Rule = {
  id: 'out-of-order',
  check(analysis, entry, report) {
    const me = entry.phase;
    const w = analysis.workflowOf(entry.uri);
    if (!me || !w || w.definition) return;
    const firstChecked = entry.doc.tasks.find((t) => t.checked);
    if (!firstChecked) return;
    for (const p of w.phases) {
      if (p.phase!.number >= me.number) break;
      const unmet = phaseProgress(p).groups.filter(
        (g) => (g.kind === 'exit' || g.kind === 'gate') && !g.passed,
      );
      if (unmet.length === 0) continue;
      report({
        message: `Work is checked off in phase ${me.id} while phase ${p.phase!.id} (${p.phase!.name}) still has ${
          unmet.length
        } unmet exit or gate group${unmet.length > 1 ? 's' : ''}: ${unmet.map((g) => `${g.heading} ${g.checked}/${g.total}`).join(', ')}.`,
        range: firstChecked.range,
        related: unmet.map((g) => ({
          uri: g.file ?? p.uri,
          range: g.headingRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `${g.heading}: ${g.checked}/${g.total}`,
        })),
      });
      return;
    }
  },
};
