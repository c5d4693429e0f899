import { linkTextTo } from '../link-text';
import type { Fix } from '../types';
import type { Rule } from './rule';
import { linkLabel, titleRange } from './util';

const MAX_SHOWN = 8;

/** A bare name that matches several documents equally near. The first in path order is used. */
export const ambiguousLink: Rule = {
  id: 'ambiguous-link',
  check(analysis, entry, report) {
    for (const link of entry.doc.links) {
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'resolved' || r.candidates.length < 2) continue;
      // A name shared by hundreds of documents: offer and relate the first few.
      const shown = r.candidates.slice(0, MAX_SHOWN);
      const more = r.candidates.length - shown.length;
      const message = `${linkLabel(link)} matches ${r.candidates.length} documents equally near: ${shown
        .map((c) => c.rel)
        .join(', ')}${more > 0 ? ` and ${more} more` : ''}; using ${r.target.rel}.`;
      if (!analysis.detail) {
        report({ message, range: link.targetRange });
        continue;
      }
      // A fix per candidate some link text leads to alone (none for `plan.md` beside `Plan.md`
      // named by a wikilink, which reads names case-insensitively).
      const fixes: Fix[] = [];
      for (const c of shown) {
        const text = linkTextTo(analysis.index, entry, link, c);
        if (text === undefined) continue;
        fixes.push({
          kind: 'edit',
          title: `Link to "${c.rel}"`,
          uri: entry.uri,
          edits: [{ range: link.targetRange, newText: text }],
        });
      }
      report({
        message,
        range: link.targetRange,
        related: shown.map((c) => ({
          uri: c.uri,
          range: titleRange(c),
          message: c === r.target ? 'used' : 'also matches',
        })),
        fixes,
      });
    }
  },
};
