import type { MalformedKind } from '../types';
import type { Rule } from './rule';

const WHAT: Record<MalformedKind, string> = {
  'empty-box': 'has no space inside the brackets',
  'padded-box': 'has extra spaces inside the brackets',
  'no-space-after-marker': 'needs a space between the list marker and the box',
  'no-marker': 'has no list marker, so it is not a checklist item',
};

/** A checkbox that GFM does not read as a task item. */
export const malformedCheckbox: Rule = {
  id: 'malformed-checkbox',
  check(_analysis, entry, report) {
    for (const m of entry.doc.malformed) {
      report({
        message: `This checkbox ${WHAT[m.kind]}; it is not counted. Write \`${m.replacement}\`.`,
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
