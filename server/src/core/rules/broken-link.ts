import type { Rule } from './rule';
import { brokenMessage, createDocumentFix } from './util';

/** A link (body or metadata) that resolves to nothing. Artifact links are reported as missing-artifact. */
export const brokenLink: Rule = {
  id: 'broken-link',
  check(analysis, entry, report) {
    const artifacts = new Set(entry.artifacts);
    for (const link of entry.doc.links) {
      if (artifacts.has(link)) continue;
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'broken') continue;
      const fix = analysis.detail ? createDocumentFix(analysis.index, entry, link, 'document') : undefined;
      report({ message: brokenMessage(link, r), range: link.range, fixes: fix ? [fix] : undefined });
    }
  },
};
