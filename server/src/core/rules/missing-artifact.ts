import type { Rule } from './rule';
import { artifactKey, createDocumentFix, linkLabel } from './util';

/**
 * An artifact (the `artifacts` metadata or a link under "Artifacts Produced") that does
 * not exist: once per artifact and document, even when both places name it. Not
 * reported in a workflow definition, whose artifacts only its instances produce.
 */
export const missingArtifact: Rule = {
  id: 'missing-artifact',
  check(analysis, entry, report) {
    if (entry.artifacts.length === 0 || analysis.isDefinitionDocument(entry)) return;
    const seen = new Set<string>();
    for (const link of entry.artifacts) {
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'broken') continue;
      const key = artifactKey(link);
      if (seen.has(key)) continue;
      seen.add(key);
      const fix = analysis.detail ? createDocumentFix(analysis.index, entry, link, 'artifact') : undefined;
      report({
        message: `Artifact ${linkLabel(link)} does not exist yet (${r.reason}).`,
        range: link.range,
        fixes: fix ? [fix] : undefined,
      });
    }
  },
};
