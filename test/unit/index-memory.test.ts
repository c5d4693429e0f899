// What the index and the analysis keep for every document once a workspace is checked:
// shared strings and lists instead of per-document copies, and nothing a getter can
// build from what is kept anyway. Results must be those of before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { WorkspaceIndex } from '../../server/src/core/index';
import { phaseProgress } from '../../server/src/core/workflow';

const ROOT = 'file:///w';

function indexOf(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex([ROOT], defaultConfig());
  for (const [rel, text] of Object.entries(files)) index.set(`${ROOT}/${rel}`, text);
  return index;
}

describe('memory kept per indexed document', () => {
  it('2,000 checked documents repeating headings and link targets keep under 10 KB each', () => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(__dirname, '../helpers/retained-index.ts'), '2000'],
      { encoding: 'utf8', cwd: join(__dirname, '../..') },
    );
    assert.equal(child.status, 0, child.stderr);
    const { perDocument, documents, findings } = JSON.parse(child.stdout);
    assert.equal(documents, 2000);
    assert.ok(findings > 0, 'the documents were checked');
    // Measured: 8.2–8.3 KB (from one run to the next it moves by up to 0.1 KB; 8.21 KB before
    // the tables of numbered phase files and artifact names, keyed by shared strings, and of
    // ids in lower case); with each column of a task, heading and link a field of its own
    // and room for 17 items in every group's list, 8.9 KB; with a copy of every heading
    // slug, link target and reason, and a candidate list per folder, 11.8 KB.
    assert.ok(perDocument < 8_450, `${perDocument} bytes per document`);
  });

  it('a group builds its heading range when asked and keeps no copy of it', () => {
    const index = indexOf({ '01-plan.md': '# Plan\n\n## Entry Criteria\n\n- [x] a\n- [ ] b\n' });
    const e = index.get(`${ROOT}/01-plan.md`)!;
    const g = e.ownGroups.find((x) => x.heading === 'Entry Criteria')!;
    assert.ok(!Object.hasOwn(g, 'headingRange'));
    assert.deepEqual(g.headingRange, e.doc.headings[1].range);
    assert.equal(g.line, 2);
    assert.deepEqual([g.total, g.checked, g.passed], [2, 1, false]);
  });

  it("a phase's progress writes its reasons when asked, and keeps none", () => {
    const index = indexOf({
      '01-plan.md': '# Plan\n\n## Entry Criteria\n\n- [x] a\n- [ ] b\n\n## Exit Gate\n',
    });
    const p = phaseProgress(index.get(`${ROOT}/01-plan.md`)!);
    assert.ok(!Object.hasOwn(p, 'reasons'));
    assert.deepEqual(p.reasons, ['Entry Criteria: 1 of 2 unticked', 'Exit Gate has no criteria']);
    assert.deepEqual([p.total, p.checked, p.complete, p.started], [2, 1, false, true]);
  });

  it('documents in different folders share the candidate list of an ambiguous name', () => {
    const index = indexOf({
      'a/plan.md': '',
      'b/plan.md': '',
      'x/one.md': '[[plan]]\n',
      'y/two.md': '[[plan]]\n',
    });
    const from = (rel: string) => index.get(`${ROOT}/${rel}`)!;
    const r1 = index.resolve(from('x/one.md'), { target: 'plan' });
    const r2 = index.resolve(from('y/two.md'), { target: 'plan' });
    assert.ok(r1.status === 'resolved' && r2.status === 'resolved');
    assert.deepEqual(
      r1.candidates.map((c) => c.rel),
      ['a/plan.md', 'b/plan.md'],
    );
    assert.equal(r1.candidates, r2.candidates);
    // An edit replaces a candidate's entry: both resolutions give the new one, still one list.
    index.set(`${ROOT}/a/plan.md`, '# Changed\n');
    const r3 = index.resolve(from('x/one.md'), { target: 'plan' });
    const r4 = index.resolve(from('y/two.md'), { target: 'plan' });
    assert.ok(r3.status === 'resolved' && r4.status === 'resolved');
    assert.equal(r3.target, index.get(`${ROOT}/a/plan.md`));
    assert.equal(r3.candidates, r4.candidates);
    // A new candidate changes the list.
    index.set(`${ROOT}/c/plan.md`, '');
    const r5 = index.resolve(from('x/one.md'), { target: 'plan' });
    assert.ok(r5.status === 'resolved');
    assert.deepEqual(
      r5.candidates.map((c) => c.rel),
      ['a/plan.md', 'b/plan.md', 'c/plan.md'],
    );
  });

  for (const many of [false, true]) {
    it(`headings are found as before: the first of equal slugs, GitHub's numbered anchors (${many ? 'many headings' : 'a few'})`, () => {
      const filler = many ? Array.from({ length: 40 }, (_, i) => `## Filler ${i}\n`).join('') : '';
      const text = `# Doc\n\n## Scope\n\n## scope!\n\n${filler}## Scope\n\n## Über Uns\n`;
      const e = indexOf({ 'doc.md': text }).get(`${ROOT}/doc.md`)!;
      const hs = e.doc.headings;
      const at = (h: string) => hs.find((x) => x.text === h && x.line > 0)!;
      // Wikilink headings compare slug-equivalently: the first of equal slugs.
      assert.equal(e.heading('SCOPE'), hs[1]);
      assert.equal(e.heading('über uns'), at('Über Uns'));
      assert.equal(e.heading('missing'), undefined);
      // Markdown anchors: `scope`, `scope-1`, `scope-2` in order, case-insensitive.
      assert.equal(e.anchor('scope'), hs[1]);
      assert.equal(e.anchor('scope-1'), hs[2]);
      assert.equal(e.anchor('Scope-2'), hs[hs.length - 2]);
      assert.equal(e.anchor('scope-3'), undefined);
      if (many) assert.equal(e.anchor('filler-39'), at('Filler 39'));
    });
  }
});
