import { toggleEdit } from '../edits';
import { type GateItem, isGateItem } from '../gates/evaluate';
import type { Range } from '../types';
import { isWork, phaseProgress } from '../workflow';
import type { Rule } from './rule';
import { titleRange } from './util';

/**
 * A phase was started (a box ticked, or a manual item of its gate files confirmed: see
 * `isWork`) while an earlier phase of its instance has an unmet exit or gate group. The
 * finding goes on the first ticked box, else (started by a confirmation alone) on the
 * phase document's title, the confirmed item related.
 */
export const outOfOrder: Rule = {
  id: 'out-of-order',
  check(analysis, entry, report) {
    const me = entry.phase;
    const w = analysis.workflowOf(entry.uri);
    if (!me || !w || w.definition) return;
    const firstChecked = entry.doc.tasks.find((t) => t.checked);
    let range: Range;
    let started: string;
    let confirmed: { uri: string; range: Range; message: string } | undefined;
    if (firstChecked) {
      range = firstChecked.range;
      started = `Work is checked off in phase ${me.id}`;
    } else {
      for (const g of phaseProgress(entry).groups) {
        const t = g.file ? g.items.find((x): x is GateItem => isGateItem(x) && isWork(x)) : undefined;
        if (t) {
          confirmed = { uri: t.file, range: t.range, message: `confirmed: ${t.text}` };
          break;
        }
      }
      if (!confirmed) return;
      range = titleRange(entry);
      started = `A gate item of phase ${me.id} is confirmed`;
    }
    for (const p of w.phases) {
      if (p.phase!.number >= me.number) break;
      const unmet = phaseProgress(p).groups.filter(
        (g) => (g.kind === 'exit' || g.kind === 'gate') && !g.passed,
      );
      if (unmet.length === 0) continue;
      report({
        message: `${started} while phase ${p.phase!.id} (${p.phase!.name}) still has ${
          unmet.length
        } unmet exit or gate group${unmet.length > 1 ? 's' : ''}: ${unmet.map((g) => `${g.heading} ${g.checked}/${g.total}`).join(', ')}.`,
        range,
        // (ticked too early: untick it)
        ...(firstChecked
          ? {
              fixes: [
                {
                  kind: 'edit' as const,
                  title: 'Mark criterion as not done',
                  uri: entry.uri,
                  edits: [toggleEdit(firstChecked)],
                },
              ],
            }
          : {}),
        related: [
          ...(confirmed ? [confirmed] : []),
          ...unmet.map((g) => ({
            uri: g.file ?? p.uri,
            range: g.headingRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            message: `${g.heading}: ${g.checked}/${g.total}`,
          })),
        ],
      });
      return;
    }
  },
};
