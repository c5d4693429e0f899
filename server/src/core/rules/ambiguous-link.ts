import type { Rule } from '../analysis';
import { stripMdExtension } from '../paths';
import type { Fix } from '../types';
import { linkLabel } from './util';

/** A bare name that matches several documents equally near. The first in path order is used. */
export const ambiguousLink: Rule = {
  id: 'ambiguous-link',
  check(analysis, entry, report) {
    for (const link of entry.doc.links) {
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'resolved' || r.candidates.length < 2) continue;
      const fixes: Fix[] = r.candidates.map((c) => ({
        kind: 'edit',
        title: `Link to "${c.rel}"`,
        uri: entry.uri,
        edits: [{ range: link.targetRange, newText: stripMdExtension(c.rel) }],
      }));
      report({
        message: `${linkLabel(link)} matches ${r.candidates.length} documents equally near: ${r.candidates
          .map((c) => c.rel)
          .join(', ')}; using ${r.target.rel}.`,
        range: link.targetRange,
        related: r.candidates.map((c) => ({
          uri: c.uri,
          range: c.doc.title?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: c === r.target ? 'used' : 'also matches',
        })),
        fixes,
      });
    }
  },
};
