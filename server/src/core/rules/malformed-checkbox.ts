import type { MalformedKind } from '../types';
import type { Rule } from './rule';

const WHAT: Record<MalformedKind, string> = {
  'empty-box': 'has no space inside the brackets',
  'padded-box': 'has extra spaces inside the brackets',
  'no-space-after-marker': 'needs a space between the list marker and the box',
  'no-marker': 'has no list marker, so it is not a checklist item',
  'other-mark': 'has a mark GFM does not read (only a space or x)',
  'other-space':
    'has a space inside the brackets that GFM does not read as one (a no-break, full-width or zero-width space, or `&nbsp;`)',
  'no-space-after-box': 'needs a space after the box',
  'glued-box': 'is not a box GFM reads (one space or x inside), and needs a space after it',
  'symbol-box': 'is a symbol, not a box GFM reads',
};

/** Forms also written on purpose outside checklists (legends, notation): reported under criteria only. */
const CRITERIA_ONLY = new Set<MalformedKind>(['other-mark', 'no-space-after-box', 'glued-box', 'symbol-box']);

/** A checkbox that GFM does not read as a task item. */
export const malformedCheckbox: Rule = {
  id: 'malformed-checkbox',
  check(_analysis, entry, report) {
    // Most documents have none: their groups are not built for this (groups are kept).
    if (entry.doc.malformed.length === 0) return;
    const headings = entry.doc.headings;
    const criteriaLines = new Set(entry.ownGroups.filter((g) => g.kind !== 'checklist').map((g) => g.line));
    /** Whether line `n` lies under an entry, exit or gate heading of the document. */
    const underCriteria = (n: number): boolean => {
      let h = -1;
      for (const x of headings) {
        if (x.line >= n) break;
        h = x.line;
      }
      return h !== -1 && criteriaLines.has(h);
    };
    for (const m of entry.doc.malformed) {
      const criteria = underCriteria(m.line);
      if (!criteria && CRITERIA_ONLY.has(m.kind)) continue;
      report({
        message: `This checkbox ${WHAT[m.kind]}; it is not counted${criteria ? ', and its group cannot pass until it is fixed' : ''}. Write \`${m.replacement.trimEnd()}\`.`,
        range: m.range,
        fixes: [
          {
            kind: 'edit',
            title: `Change to \`${m.replacement}\``,
            uri: entry.uri,
            edits: [{ range: m.range, newText: m.replacement }],
            preferred: true,
          },
        ],
      });
    }
  },
};
