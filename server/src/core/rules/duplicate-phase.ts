import { type DocEntry, FolderPhaseEntry, standsForFolder } from '../index';
import { phaseId } from '../model';
import { basename, dirname, stripMdExtension } from '../paths';
import type { Range } from '../types';
import type { Report, Rule, RuleContext } from './rule';

/** Two documents of one workflow instance claim the same phase. */
export const duplicatePhase: Rule = {
  id: 'duplicate-phase',
  check(analysis, entry, report) {
    // The document's own phase, and a phase that is a folder of documents reported on it.
    const folderPhase = analysis.folderPhaseOn(entry.uri);
    // Where a phase is said: its document, or the document a folder phase's findings go on.
    const where = (p: DocEntry) => (p instanceof FolderPhaseEntry && p.on ? analysis.index.get(p.on) : p);
    for (const phase of [entry.phase ? entry : undefined, folderPhase]) {
      if (!phase) continue;
      const me = phase.phase!;
      const w = analysis.workflowOf(phase.uri);
      if (!w) continue;
      const others = w.phases.filter((p) => p.uri !== phase.uri && p.phase!.number === me.number);
      if (others.length === 0) continue;
      const claims =
        phase === folderPhase && others.every((o) => o instanceof FolderPhaseEntry) ? 'folders' : 'documents';
      report({
        message: claimedBy(phase, others, claims, w.id),
        range: phase === folderPhase ? titleRange(entry) : phaseRange(entry),
        related: others.flatMap((o) => {
          const at = where(o);
          if (!at) return [];
          return [
            {
              uri: at.uri,
              range: at === o ? phaseRange(o) : titleRange(at),
              message: `also phase ${me.id}`,
            },
          ];
        }),
      });
    }
    artifactCriteria(analysis, entry, report);
  },
};

/**
 * A document whose `phase` metadata makes it an artifact of a phase (`release-checklist.md`
 * with `phase: 05` beside `05-release.md`) claims the phase, yet its entry, exit and gate
 * groups are not the phase's: their items count for nothing. Said on each such heading,
 * with where the items would count.
 */
function artifactCriteria(analysis: RuleContext, entry: DocEntry, report: Report): void {
  if (entry.phase || entry.artifactPhase === undefined || entry.template) return;
  const groups = entry.ownGroups.filter((g) => g.kind !== 'checklist' && g.total > 0 && g.headingRange);
  if (groups.length === 0) return;
  const owner = analysis.artifactOf(entry.uri);
  if (!owner || owner.workflow.definition || analysis.isDefinitionDocument(entry)) return;
  const { phase } = owner;
  const id = phase.phase!.id;
  // A phase standing for its folder (documents or gate files only) has no document.
  const folder = standsForFolder(phase);
  const where = folder ? `${phase.dir}/` : phase.rel;
  const how = folder
    ? `To count them, write them in a README.md of ${where} (the phase's document).`
    : `To count them, move them into ${where} (or make this document phase ${id}'s document in its place).`;
  for (const g of groups) {
    const n = g.total === 1 ? 'its item does' : `its ${g.total} items do`;
    report({
      message: `${g.heading} is not counted: this document is an artifact of phase ${id} (its \`phase\` metadata), not the phase's document, ${where}, whose criteria alone count, so ${n} not. ${how}`,
      range: g.headingRange!,
      atMost: 'warning',
      related: folder ? [] : [{ uri: phase.uri, range: titleRange(phase), message: `phase ${id}` }],
    });
  }
}

/** The message of a phase claimed by `phase` and `others` in workflow `workflow`. */
export function claimedBy(
  phase: DocEntry,
  others: readonly DocEntry[],
  claims: string,
  workflow: string,
): string {
  const all = [phase, ...others];
  // Files of one folder whose names extend one another's (`05-release.md` and
  // `05-release-checklist.md`): a phase split in two, which one document must hold.
  const flat = all.every((e) => !e.phase!.folder && !(e instanceof FolderPhaseEntry));
  const stems = all.map((e) => stripMdExtension(basename(e.rel)).toLowerCase());
  const split =
    flat &&
    all.every((e) => dirname(e.rel) === dirname(phase.rel)) &&
    stems.some((a) => stems.some((b) => a !== b && b.startsWith(`${a}-`)));
  let hint = split
    ? " A phase is one document: move the other's criteria into it, or name the other without the phase's number (a document of the phase, its criteria not the phase's)."
    : '';
  // A `phase` number that is not its file name's (`02-prescribe.md` with `phase: 3`): the
  // likelier slip, said first.
  const slips = all.flatMap((e) => {
    const named = e.phase!.source === 'metadata' ? e.fileNameNumber : undefined;
    return named !== undefined && named !== e.phase!.number
      ? [
          ` ${e.rel} is named as phase ${phaseId(named)}, but its metadata says \`phase: ${String(e.doc.metadata.data.phase).trim()}\`.`,
        ]
      : [];
  });
  if (slips.length > 0) hint = slips.join('') + hint;
  return `Phase ${phase.phase!.id} is claimed by ${others.length + 1} ${claims} of workflow "${workflow}": ${all
    .map((e) => e.rel)
    .join(', ')}.${hint}`;
}

/** A document's title, else its start. */
function titleRange(e: DocEntry): Range {
  return e.doc.title?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function phaseRange(e: DocEntry): Range {
  return e.doc.metadata.entries.find((x) => x.key === 'phase')?.range ?? titleRange(e);
}
