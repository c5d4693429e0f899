import { type DocEntry, FolderPhaseEntry } from '../index';
import { phaseId } from '../model';
import { basename, dirname, stripMdExtension } from '../paths';
import type { Range } from '../types';
import type { Rule } from './rule';

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
  },
};

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
