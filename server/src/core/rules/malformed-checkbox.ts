import type { MalformedKind } from '../types';
import type { Rule } from './rule';

const WHAT: Record<MalformedKind, string> = {
  'empty-box': 'has no space inside the brackets',
  'padded-box': 'has extra spaces inside the brackets',
  'no-space-after-marker': 'needs a space between the list marker and the box',
  'no-marker': 'has no list marker, so it is not a checklist item',
  'other-mark': 'has a mark GFM does not read (only a space or x)',
  'no-space-after-box': 'needs a space after the box',
  'symbol-box': 'is a symbol, not a box GFM reads',
};

/** A checkbox that GFM does not read as a task item. */
export const malformedCheckbox: Rule = {
  id: 'malformed-checkbox',
  check(_analysis, entry, report) {
    for (const m of entry.doc.malformed) {
      report({
        message: `This checkbox ${WHAT[m.kind]}; it is not counted, and its group cannot pass until it is fixed. Write \`${m.replacement.trimEnd()}\`.`,
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
