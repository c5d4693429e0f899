import type { Rule } from './rule';
import { createDocumentFix, linkLabel } from './util';

/** An artifact (the `artifacts` metadata or a link under "Artifacts Produced") that does not exist. */
export const missingArtifact: Rule = {
  id: 'missing-artifact',
  check(analysis, entry, report) {
    for (const link of entry.artifacts) {
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'broken') continue;
      const fix = createDocumentFix(analysis.index, entry, link, 'artifact');
      report({
        message: `Artifact ${linkLabel(link)} does not exist yet (${r.reason}).`,
        range: link.range,
        fixes: fix ? [fix] : undefined,
      });
    }
  },
};
