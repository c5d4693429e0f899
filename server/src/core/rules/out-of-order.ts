import { toggleEdit } from '../edits';
import { type GateItem, isGateItem } from '../gates/evaluate';
import { type DocEntry, standsForFolder } from '../index';
import type { Range } from '../types';
import { isWork, phaseProgress } from '../workflow';
import type { Report, Rule, RuleContext } from './rule';
import { titleRange } from './util';

type Found = Parameters<Report>[0];

/**
 * A phase was started (a box ticked, or a manual item of its gate files confirmed: see
 * `isWork`) while an earlier phase of its instance has an unmet exit or gate group. The
 * finding goes on the first ticked box, else (started by a confirmation alone) on the
 * phase document's title, the confirmed item related. A phase of gate files alone (no
 * phase document) is said in its gate file, on the confirmed item (`outOfOrderInGateFile`).
 */
export const outOfOrder: Rule = {
  id: 'out-of-order',
  check(analysis, entry, report) {
    const f = outOfOrderOf(analysis, entry);
    if (f) report(f);
  },
};

/**
 * The out-of-order finding of a phase that stands for its folder of gate files (no phase
 * document to put it on), located in gate file `gateFile` when the phase's first confirmed
 * manual item is there: on that item's line.
 */
export function outOfOrderInGateFile(
  analysis: Pick<RuleContext, 'workflowOf'>,
  phase: DocEntry,
  gateFile: string,
): Found | undefined {
  if (!standsForFolder(phase)) return undefined;
  return outOfOrderOf(analysis, phase, gateFile);
}

/** The finding about `entry` (with `gateFile`, a stand-in's, only when it goes in that file). */
function outOfOrderOf(
  analysis: Pick<RuleContext, 'workflowOf'>,
  entry: DocEntry,
  gateFile?: string,
): Found | undefined {
  const me = entry.phase;
  const w = analysis.workflowOf(entry.uri);
  if (!me || !w || w.definition) return undefined;
  const firstChecked = entry.doc.tasks.find((t) => t.checked);
  let range: Range;
  let started: string;
  let confirmed: { uri: string; range: Range; message: string } | undefined;
  if (firstChecked) {
    range = firstChecked.range;
    started = `Work is checked off in phase ${me.id}`;
  } else {
    let item: GateItem | undefined;
    for (const g of phaseProgress(entry).groups) {
      item = g.file ? g.items.find((x): x is GateItem => isGateItem(x) && isWork(x)) : undefined;
      if (item) break;
    }
    if (!item) return undefined;
    started = `A gate item of phase ${me.id} is confirmed`;
    if (gateFile === undefined) {
      range = titleRange(entry);
      confirmed = { uri: item.file, range: item.range, message: `confirmed: ${item.text}` };
    } else {
      // (no title to put it on: the confirmed item itself)
      if (item.file !== gateFile) return undefined;
      range = item.range;
    }
  }
  // Every earlier phase with an unmet exit or gate group: the message says the first's
  // groups and names the others; the related information holds all their groups.
  const unmetPhases: { p: DocEntry; unmet: ReturnType<typeof phaseProgress>['groups'] }[] = [];
  for (const p of w.phases) {
    if (p.phase!.number >= me.number) break;
    const unmet = phaseProgress(p).groups.filter(
      (g) => (g.kind === 'exit' || g.kind === 'gate') && !g.passed,
    );
    if (unmet.length > 0) unmetPhases.push({ p, unmet });
  }
  if (unmetPhases.length === 0) return undefined;
  const [{ p, unmet }, ...more] = unmetPhases;
  const named = more.slice(0, MORE_NAMED).map(({ p: x }) => `${x.phase!.id} ${x.phase!.name}`);
  if (more.length > MORE_NAMED) named.push('…');
  const andMore =
    more.length === 0
      ? ''
      : ` (and ${more.length} more earlier phase${more.length > 1 ? 's' : ''} with unmet groups: ${named.join(', ')})`;
  return {
    message: `${started} while phase ${p.phase!.id} (${p.phase!.name}) still has ${
      unmet.length
    } unmet exit or gate group${unmet.length > 1 ? 's' : ''}: ${unmet.map((g) => `${g.heading} ${g.checked}/${g.total}`).join(', ')}${andMore}.`,
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
      ...unmetPhases.flatMap(({ p: x, unmet: groups }, i) =>
        groups.map((g) => ({
          uri: g.file ?? x.uri,
          range: g.headingRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          // (the first phase is the message's; the others' groups say their phase)
          message: `${g.heading}: ${g.checked}/${g.total}${i === 0 ? '' : ` (phase ${x.phase!.id} ${x.phase!.name})`}`,
        })),
      ),
    ],
  };
}

/** How many earlier phases with unmet groups besides the first the message names. */
const MORE_NAMED = 5;
