import type { DocEntry } from '../index';
import { phaseOfFolderName } from '../model';
import { basename, dirname } from '../paths';
import { slug } from '../text';
import type { WikiLink } from '../types';
import { otherInstance, othersArtifact, ownedBy } from './cross-instance-link';
import type { Rule, RuleContext } from './rule';
import { artifactKey, createDocumentFix, linkLabel, movedFix, movedTo, thenCreate } from './util';

/**
 * An artifact (the `artifacts` metadata or a link under "Artifacts Produced") that does
 * not exist: once per artifact and document, even when both places name it. Not
 * reported in a workflow definition, whose artifacts only its instances produce. A
 * path whose file name is that of one document elsewhere (moved there) says so, with a
 * preferred fix that points the link there, as a broken link's. A bare name is created
 * where the phase, else its instance, keeps its artifacts (`artifactFolder`).
 */
export const missingArtifact: Rule = {
  id: 'missing-artifact',
  check(analysis, entry, report) {
    if (entry.artifacts.length === 0 || analysis.isDefinitionDocument(entry)) return;
    const seen = new Set<string>();
    // Where the phase or its instance keeps its artifacts (asked once, at the first one missing).
    let into: string | undefined | null = null;
    const create = (link: WikiLink) => {
      if (into === null) into = artifactFolder(analysis, entry);
      return createDocumentFix(analysis.index, entry, link, 'artifact', undefined, into);
    };
    for (const link of entry.artifacts) {
      const r = analysis.index.resolve(entry, link);
      // Reached by its name only in other cycles, which have their own: missing here.
      const others = r.status === 'broken' ? undefined : othersArtifact(analysis, entry, link, r);
      if (r.status !== 'broken' && others === undefined) continue;
      const key = artifactKey(link);
      if (seen.has(key)) continue;
      seen.add(key);
      if (others !== undefined) {
        report({
          message: `Artifact ${linkLabel(link)} does not exist yet in this workflow instance (${analysis.instanceRootOf(entry)}): ${ownedBy(others)}.`,
          range: link.range,
          fixes: analysis.detail ? thenCreate(undefined, create(link)) : undefined,
        });
        continue;
      }
      if (r.status !== 'broken') continue;
      // Another instance's document of that name is its own artifact (the cycle before
      // produced it; this one has not yet), not this one's moved there.
      const found = movedTo(analysis.index, entry, link);
      const own = found && analysis.instanceRootOf(entry);
      const moved =
        found && (own === undefined || otherInstance(analysis, own, found.target) === undefined)
          ? found
          : undefined;

      report({
        message:
          moved === undefined
            ? `Artifact ${linkLabel(link)} does not exist yet (${r.reason}).`
            : `Artifact ${linkLabel(link)} does not exist here (${r.reason}). ${moved.said}`,
        range: link.range,
        fixes: analysis.detail ? thenCreate(moved && movedFix(entry, link, moved), create(link)) : undefined,
      });
    }
  },
};

/**
 * The folder a bare-name artifact of `entry` is created in: the folder most (more than
 * half) of the phase's own existing artifacts are in; when it has none, the one most of
 * its workflow instance's are in (of the document alone outside instances), as a CDP
 * cycle's `artifacts/` beside its phase documents. Never another phase's folder or one
 * below it: those artifacts are that phase's, not counted. A phase's folders are its
 * document's (a HELIX phase's `01-frame/`), one beside its document named as its file
 * (`01-diagnose/` beside `01-diagnose.md`, names compared as bare names are), and one
 * inside the instance whose name reads as its number (`02-rx/`).
 * Undefined (beside the phase document) when there are none or no folder holds most.
 * Only documents of the instance count, each once: those in its folder (outside
 * instances, in the document's folder or below) and not in another instance's.
 */
function artifactFolder(analysis: RuleContext, entry: DocEntry): string | undefined {
  const w = analysis.workflowOf(entry.uri);
  const root = analysis.instanceRootOf(entry);
  const base = root ?? entry.dir;
  const phases = w !== undefined && !w.definition && root !== undefined ? w.phases : [entry];
  const self = phases.find((p) => p.uri === entry.uri) ?? entry;
  const patterns = analysis.index.patterns;
  // Whether `dir` is a folder of phase `p` (the instance's own folder only as a document's).
  const holds = (p: DocEntry, dir: string, read: number | undefined) =>
    dir === p.dir ||
    (dirname(dir) === p.dir && slug(basename(dir)) === p.nameKey) ||
    (read !== undefined && read === p.phase?.number);
  // `dir` is no other phase's: the nearest folder holding it that is a phase's, if any, is
  // the entry's own (CDP phases share the cycle folder, whose `artifacts/` is theirs all).
  const ours = (dir: string) => {
    for (let d = dir; ; d = dirname(d)) {
      const inside = d !== base && (base === '' || d.startsWith(`${base}/`));
      const read = inside ? phaseOfFolderName(basename(d), patterns)?.number : undefined;
      if (holds(self, d, read)) return true;
      if (phases.some((p) => holds(p, d, read))) return false;
      if (d === base || d === '') return true;
    }
  };
  const seen = new Set<DocEntry>();
  const most = (of: readonly DocEntry[]) => {
    const counts = new Map<string, number>();
    for (const p of of)
      for (const link of p.artifacts) {
        const r = analysis.index.resolve(p, link);
        if (r.status !== 'resolved' || r.candidates.length !== 1) continue;
        const t = r.target;
        if (seen.has(t) || phases.includes(t)) continue;
        seen.add(t);
        if (base !== '' && t.dir !== base && !t.dir.startsWith(`${base}/`)) continue;
        const own = analysis.instanceRootOf(t);
        if (own !== undefined && own !== root) continue;
        if (!ours(t.dir)) continue;
        counts.set(t.dir, (counts.get(t.dir) ?? 0) + 1);
      }
    let total = 0;
    for (const n of counts.values()) total += n;
    for (const [dir, n] of counts) if (n * 2 > total) return { dir };
    return total > 0 ? { dir: undefined } : undefined;
  };
  return (most([self]) ?? most(phases))?.dir;
}
