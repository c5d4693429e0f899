import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';

/** A release phase with ticked Entry/Exit Criteria and an Entry/Exit Gate with one box unticked. */
function release(sections: string): string {
  return tempWorkspace({
    'cycle/05-release.md': `---\nphase: "05"\nname: Release\n---\n# Release\n\n${sections}`,
  });
}

const CRITERIA = (kind: string) => `## ${kind} Criteria\n\n- [x] all done\n\n`;
const GATE = (kind: string) => `## ${kind} Gate\n\n- [x] signed off\n- [ ] approved by ops\n\n`;

describe('--gate entry / --gate exit', () => {
  for (const kind of ['Entry', 'Exit']) {
    const asked = kind.toLowerCase();
    it(`judges the ${kind} Gate beside ${kind} Criteria, as without them`, async () => {
      // (the sections, and the groups the verdict names, in the document's order)
      for (const [label, sections, judged] of [
        ['both', CRITERIA(kind) + GATE(kind), `${kind} Criteria, ${kind} Gate`],
        ['gate first', GATE(kind) + CRITERIA(kind), `${kind} Gate, ${kind} Criteria`],
        ['gate alone', GATE(kind), `${kind} Gate`],
      ]) {
        const r = await run(['check', release(sections), '--phase', '05', '--gate', asked]);
        assert.equal(r.code, 1, `${label}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^ {2}FAILED cycle 05 Release: ${judged} \\(`, 'm'), label);
        assert.match(r.stdout, new RegExp(`^ {6}${kind} Gate: 1 of 2 unticked$`, 'm'), label);
      }
      // With the gate ticked too, the gate passes judging both.
      const ticked = release(CRITERIA(kind) + GATE(kind).replace('- [ ]', '- [x]'));
      const ok = await run(['check', ticked, '--phase', '05', '--gate', asked]);
      assert.equal(ok.code, 0, ok.stdout);
      assert.match(
        ok.stdout,
        new RegExp(`^ {2}PASSED cycle 05 Release: ${kind} Criteria, ${kind} Gate \\(3/3\\)$`, 'm'),
      );
    });
  }
});
