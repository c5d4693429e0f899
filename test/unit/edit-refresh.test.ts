// After an edit the analysis swaps the edited documents' new entries into the workflow
// instances it keeps (only those when the index still knows which were set, all of them
// otherwise), and the id table keeps its cycles for an edit that leaves ids alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from '../../server/src/core/parse/document';
import { check } from '../helpers/memory-workspace';

const files: Record<string, string> = {
  'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] Scope\n',
  'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] Review\n',
  'docs/a.md': '---\nddx:\n  id: A\n  depends_on:\n    - B\n---\n# A\n',
  'docs/b.md': '---\nddx:\n  id: B\n  depends_on:\n    - A\n---\n# B\n',
};

describe('entries swapped in after edits', () => {
  for (const others of [0, 200]) {
    it(`a ticked box is seen by the workflow after ${others} other edits`, async () => {
      const { analysis, ws } = await check(files);
      const index = analysis.index;
      const frame = ws.uri('docs/helix/01-frame/README.md');
      const a = ws.uri('docs/a.md');
      assert.equal(analysis.workflowOf(frame)?.phases[0].doc.tasks[0].checked, false);
      for (let i = 0; i < others; i++)
        index.setParsed(a, parseDocument(a, `${files['docs/a.md']}\n${'x'.repeat(i)}\n`));
      const ticked = files['docs/helix/01-frame/README.md'].replace('[ ]', '[x]');
      index.setParsed(frame, parseDocument(frame, ticked));
      const phases = analysis.workflowOf(frame)?.phases ?? [];
      assert.equal(phases[0], index.get(frame));
      assert.equal(phases[0].doc.tasks[0].checked, true);
      assert.equal(phases[1], index.get(ws.uri('docs/helix/02-design/README.md')));
      // The cycle A ↔ B is still found, through the new entry of A.
      const entry = index.get(a)!;
      assert.deepEqual(
        index.ids.cycle(entry)?.members.map((e) => e.rel),
        ['docs/a.md', 'docs/b.md'],
      );
      assert.equal(index.ids.cycle(entry)?.members[0], entry);
    });
  }

  it('a ticked box in a phase document on a dependency cycle is seen by the workflow', async () => {
    const cyclic: Record<string, string> = {
      'docs/helix/01-frame/README.md':
        '---\nddx:\n  id: F\n  depends_on:\n    - G\n---\n# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] Scope\n',
      'docs/helix/02-design/README.md':
        '---\nddx:\n  id: G\n  depends_on:\n    - F\n---\n# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] Review\n',
    };
    const { analysis, ws } = await check(cyclic);
    const index = analysis.index;
    const frame = ws.uri('docs/helix/01-frame/README.md');
    assert.ok(index.ids.cycle(index.get(frame)!));
    assert.equal(analysis.workflowOf(frame)?.phases[0].doc.tasks[0].checked, false);
    index.setParsed(
      frame,
      parseDocument(frame, cyclic['docs/helix/01-frame/README.md'].replace('[ ]', '[x]')),
    );
    const phases = analysis.workflowOf(frame)?.phases ?? [];
    assert.equal(phases[0], index.get(frame));
    assert.equal(phases[0].doc.tasks[0].checked, true);
    assert.equal(index.ids.cycle(index.get(frame)!)?.members.includes(index.get(frame)!), true);
  });
});
