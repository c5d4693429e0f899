import type { Rule } from './rule';
import { linkLabel } from './util';

/** A link whose document exists but has no heading of that name. */
export const brokenHeading: Rule = {
  id: 'broken-heading',
  check(analysis, entry, report) {
    for (const link of entry.doc.links) {
      if (link.heading === undefined) continue;
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'resolved' || !r.headingMissing) continue;
      const where = r.target === entry ? 'this document' : `"${r.target.rel}"`;
      report({
        message: `${linkLabel(link)}: ${where} has no heading "${link.heading}".`,
        range: link.headingRange ?? link.range,
        related: [
          { uri: r.target.uri, range: r.target.doc.title?.range ?? zero(), message: 'the linked document' },
        ],
      });
    }
  },
};

function zero() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
