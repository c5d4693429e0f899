// Ticking a criterion in the tree for a document that is not open: the client applies the
// server's edit to the file's text itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFileEdits } from '../../client/src/file-edits';
import { toggleEdit } from '../../server/src/core/edits';
import { parseDocument } from '../../server/src/core/parse/document';
import { stripBom } from '../../server/src/core/text';

describe('edits to files that are not open', () => {
  const body = ['# Plan', '', '## Exit Criteria', '', '- [ ] first', '- [x] second', '- [ ] third', ''];

  for (const [name, eol, bom] of [
    ['\\n', '\n', ''],
    ['\\r\\n', '\r\n', ''],
    ['lone \\r', '\r', ''],
    ['mixed, with a byte order mark', '\r', '\uFEFF'],
  ] as const) {
    it(`toggle exactly the box of the criterion (${name} line breaks)`, () => {
      const text =
        bom +
        (name.startsWith('mixed') ? body.map((l, i) => l + (i % 2 ? '\r\n' : eol)).join('') : body.join(eol));
      // The server parses the text the way it reads files: without the byte order mark.
      const doc = parseDocument('file:///w/plan.md', stripBom(text));
      for (const task of doc.tasks) {
        const after = applyFileEdits(text, [toggleEdit(task)]);
        assert.equal(after.length, text.length);
        const changed = [...text].flatMap((c, i) => (c === after[i] ? [] : [i]));
        assert.equal(changed.length, 1, `${task.text}: ${JSON.stringify(after)}`);
        assert.equal(text[changed[0] - 1], '[');
        assert.equal(after[changed[0]], task.checked ? ' ' : 'x');
        assert.ok(after.startsWith(bom));
      }
    });
  }
});
