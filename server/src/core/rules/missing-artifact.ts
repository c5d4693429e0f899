import { otherInstance, othersArtifact, ownedBy } from './cross-instance-link';
import type { Rule } from './rule';
import { artifactKey, createDocumentFix, linkLabel, movedFix, movedTo, thenCreate } from './util';

/**
 * An artifact (the `artifacts` metadata or a link under "Artifacts Produced") that does
 * not exist: once per artifact and document, even when both places name it. Not
 * reported in a workflow definition, whose artifacts only its instances produce. A
 * path whose file name is that of one document elsewhere (moved there) says so, with a
 * preferred fix that points the link there, as a broken link's.
 */
export const missingArtifact: Rule = {
  id: 'missing-artifact',
  check(analysis, entry, report) {
    if (entry.artifacts.length === 0 || analysis.isDefinitionDocument(entry)) return;
    const seen = new Set<string>();
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
          fixes: analysis.detail
            ? thenCreate(undefined, createDocumentFix(analysis.index, entry, link, 'artifact'))
            : undefined,
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
        fixes: analysis.detail
          ? thenCreate(
              moved && movedFix(entry, link, moved),
              createDocumentFix(analysis.index, entry, link, 'artifact'),
            )
          : undefined,
      });
    }
  },
};
