// Obsidian's nested heading wikilinks, `[[doc#Parent#Child]]`: the last segment names the
// heading, each earlier one an ancestor heading of it, in order. Resolution (the one
// resolver, `WorkspaceIndex.resolve`) and the broken-heading rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyText } from '../helpers/disk-edits';
import { check } from '../helpers/memory-workspace';

const SPEC = [
  '# Spec',
  '',
  '## Design',
  '',
  '### Goals',
  '',
  '## Release',
  '',
  '### Goals',
  '',
  '#### Risks',
  '',
  '## C# notes',
  '',
].join('\n');

/** The 0-based line of `needle` in `text`. */
const lineOf = (text: string, needle: string, nth = 0) => {
  const lines = text.split('\n');
  const found = lines.flatMap((l, i) => (l === needle ? [i] : []));
  assert.ok(found.length > nth, needle);
  return found[nth];
};

describe('nested heading wikilinks', () => {
  it('land on the heading the last segment names under the ancestors the others name', async () => {
    const notes = [
      '# Notes',
      '',
      '[[spec#Design#Goals]] [[spec#Release#Goals|the goals]] [[spec#Spec#Risks]] [[spec#Release#Goals#Risks]]',
      '[[spec # Release # Risks ]] [[spec#C# notes]] [[#Local#Sub]] [[spec#Spec##Design]]',
      '',
      '## Local',
      '',
      '### Sub',
      '',
    ].join('\n');
    const c = await check({ 'spec.md': SPEC, 'notes.md': notes });
    assert.deepEqual(c.of('broken-heading'), []);
    const index = c.analysis.index;
    const entry = index.get(c.ws.uri('notes.md'))!;
    const landed = entry.doc.links.map((l) => {
      const r = index.resolve(entry, l);
      assert.equal(r.status, 'resolved', l.raw);
      return r.status === 'resolved' ? `${r.target.rel}:${r.heading?.line}` : '';
    });
    assert.deepEqual(landed, [
      `spec.md:${lineOf(SPEC, '### Goals')}`,
      `spec.md:${lineOf(SPEC, '### Goals', 1)}`,
      `spec.md:${lineOf(SPEC, '#### Risks')}`,
      `spec.md:${lineOf(SPEC, '#### Risks')}`,
      `spec.md:${lineOf(SPEC, '#### Risks')}`,
      // A heading whose own text holds `#` is still named by the whole text.
      `spec.md:${lineOf(SPEC, '## C# notes')}`,
      `notes.md:${lineOf(notes, '### Sub')}`,
      `spec.md:${lineOf(SPEC, '## Design')}`,
    ]);
    // Each segment's heading, outer to inner.
    const r = index.resolve(entry, entry.doc.links[3]);
    assert.deepEqual(r.status === 'resolved' ? r.headingPath?.map((h) => h.text) : undefined, [
      'Release',
      'Goals',
      'Risks',
    ]);
  });

  it('broken-heading names the segment that breaks the chain, with the heading meant and its fix', async () => {
    const notes = [
      '# Notes',
      '',
      '[[spec#Design#Risks]] [[spec#Desing#Goals]] [[spec#Release#Goal|g]] [[spec#Goals#Release]]',
      '[[#Local#Nope]] [[spec#Nowhere#Goals]] [t](spec.md#design#goals)',
      '',
      '## Local',
      '',
    ].join('\n');
    const files = { 'spec.md': SPEC, 'notes.md': notes };
    const c = await check(files);
    assert.deepEqual(c.of('broken-heading'), [
      'notes.md:3:15 [[spec#Design#Risks]]: "spec.md" has no heading "Risks" under "Design".',
      'notes.md:3:30 [[spec#Desing#Goals]]: "spec.md" has no heading "Desing" — did you mean "Design"?',
      'notes.md:3:60 [[spec#Release#Goal|g]]: "spec.md" has no heading "Goal" under "Release" — did you mean "Goals"?',
      'notes.md:3:82 [[spec#Goals#Release]]: "spec.md" has no heading "Release" under "Goals".',
      'notes.md:4:10 [[#Local#Nope]]: this document has no heading "Nope" under "Local".',
      'notes.md:4:24 [[spec#Nowhere#Goals]]: "spec.md" has no heading "Nowhere".',
      // A markdown link's fragment is one anchor, as before.
      'notes.md:4:52 [t](spec.md#design#goals): "spec.md" has no heading "design#goals".',
    ]);
    const found = c.findings.filter((f) => f.code === 'broken-heading');
    const fixed = found.map((f) => {
      const fix = f.fixes?.[0];
      return fix?.kind === 'edit' ? applyText(notes, fix.edits).split('\n')[2] : undefined;
    });
    assert.deepEqual(fixed, [
      undefined,
      '[[spec#Design#Risks]] [[spec#Design#Goals]] [[spec#Release#Goal|g]] [[spec#Goals#Release]]',
      '[[spec#Design#Risks]] [[spec#Desing#Goals]] [[spec#Release#Goals|g]] [[spec#Goals#Release]]',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // The fixed links resolve.
    const again = await check({
      ...files,
      'notes.md': applyText(
        notes,
        [found[1].fixes![0], found[2].fixes![0]].flatMap((f) => (f.kind === 'edit' ? f.edits : [])),
      ),
    });
    assert.equal(again.of('broken-heading').length, found.length - 2);
  });
});
