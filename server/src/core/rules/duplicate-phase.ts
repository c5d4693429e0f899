import type { DocEntry } from '../index';
import type { Range } from '../types';
import type { Rule } from './rule';

/** Two documents of one workflow instance claim the same phase. */
export const duplicatePhase: Rule = {
  id: 'duplicate-phase',
  check(analysis, entry, report) {
    const me = entry.phase;
    const w = analysis.workflowOf(entry.uri);
    if (!me || !w) return;
    const others = w.phases.filter((p) => p !== entry && p.phase!.number === me.number);
    if (others.length === 0) return;
    report({
      message: `Phase ${me.id} is claimed by ${others.length + 1} documents of workflow "${w.id}": ${[
        entry,
        ...others,
      ]
        .map((e) => e.rel)
        .join(', ')}.`,
      range: phaseRange(entry),
      related: others.map((o) => ({ uri: o.uri, range: phaseRange(o), message: `also phase ${me.id}` })),
    });
  },
};

export function phaseRange(e: DocEntry): Range {
  const entry = e.doc.metadata.entries.find((x) => x.key === 'phase');
  return (
    entry?.range ?? e.doc.title?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }
  );
}
