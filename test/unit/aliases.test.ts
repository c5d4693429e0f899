// Aliases in front matter (`aliases: [CDP Guide]`): what a document gives itself, what a
// bare wikilink reaches by them, and where each is written (for renames).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aliasesOf, aliasSpans, aliasText } from '../../server/src/core/aliases';
import { parseDocument } from '../../server/src/core/parse/document';
import { applyText } from '../helpers/disk-edits';
import { check } from '../helpers/memory-workspace';

const parse = (text: string) => parseDocument('file:///ws/a.md', text, 'fast');

/** Resolves `[[target]]` written in `from`: the target's path (with the other candidates), or the status. */
async function resolveIn(files: Record<string, string>, from: string, target: string) {
  const { analysis, ws } = await check(files);
  const entry = analysis.index.get(ws.uri(from));
  assert.ok(entry, `${from} is indexed`);
  const r = analysis.index.resolve(entry, { target });
  return r.status === 'resolved' ? r.candidates.map((c) => c.rel) : r.status;
}

describe('aliasesOf', () => {
  it('reads a list, a flow list, a single value and `alias`, trimmed, without repeats', () => {
    assert.deepEqual(aliasesOf(parse('---\naliases:\n  - CDP Guide\n  - " Walkthrough "\n---\n# G\n')), [
      'CDP Guide',
      'Walkthrough',
    ]);
    assert.deepEqual(aliasesOf(parse('---\naliases: ["A", B, A]\n---\n')), ['A', 'B']);
    assert.deepEqual(aliasesOf(parse('---\naliases: Only One\n---\n')), ['Only One']);
    assert.deepEqual(aliasesOf(parse('---\nalias: Other\naliases: ["2024"]\n---\n')), ['2024', 'Other']);
    // a number is not its written form (`1.10` reads 1.1): quoted only
    assert.deepEqual(aliasesOf(parse('---\naliases: [1.10, 0x1F, 2024, "1.10"]\n---\n')), ['1.10']);
  });

  it('leaves out what a link would not look up as a name: files with an extension, home paths', () => {
    assert.deepEqual(
      aliasesOf(parse('---\naliases: [Guide.pdf, Notes.txt, ~Draft, "--", Guide.md]\n---\n')),
      ['Guide.md'],
    );
  });

  it('leaves out what no bare wikilink could write: paths, link syntax, maps, empty values', () => {
    assert.deepEqual(
      aliasesOf(parse('---\naliases: ["a/b", "[[x]]", "x|y", "h#1", "", {k: v}, null, "ok"]\n---\n')),
      ['ok'],
    );
    assert.deepEqual(aliasesOf(parse('# No front matter\n\naliases: [x]\n')), []);
  });
});

describe('links by alias', () => {
  const guide = '---\naliases: [CDP Guide, Walkthrough]\n---\n# Guide\n\n## Steps\n';

  it('reach the document giving itself the alias, in any case and slug form, with its headings', async () => {
    const files = {
      'docs/GUIDE.md': guide,
      'notes.md': '# N\n\n[[CDP Guide]] [[cdp-guide#Steps]] [[walkthrough]]\n',
    };
    for (const t of ['CDP Guide', 'cdp guide', 'CDP_GUIDE', 'Walkthrough'])
      assert.deepEqual(await resolveIn(files, 'notes.md', t), ['docs/GUIDE.md'], t);
    const c = await check(files);
    assert.deepEqual([...c.of('broken-link'), ...c.of('broken-heading'), ...c.of('ambiguous-link')], []);
    const { analysis, ws } = c;
    const target = analysis.index.get(ws.uri('docs/GUIDE.md'))!;
    assert.deepEqual(
      analysis.index.backlinks(target).map((b) => b.link.raw),
      ['[[CDP Guide]]', '[[cdp-guide#Steps]]', '[[walkthrough]]'],
    );
  });

  it('come after file names and ids: a file with the name wins', async () => {
    const files = {
      'docs/GUIDE.md': '---\naliases: [plan, FEAT-1]\n---\n# Guide\n',
      'deep/down/plan.md': '# Plan\n',
      'feat.md': '---\nddx:\n  id: FEAT-1\n---\n# F\n',
      'notes.md': '# N\n',
    };
    assert.deepEqual(await resolveIn(files, 'notes.md', 'plan'), ['deep/down/plan.md']);
    assert.deepEqual(await resolveIn(files, 'notes.md', 'FEAT-1'), ['feat.md']);
  });

  it('reach the nearest of several documents with the alias; equally near ones are ambiguous', async () => {
    const files = {
      'a/x.md': '---\naliases: [Home]\n---\n# X\n',
      'b/y.md': '---\naliases: [Home]\n---\n# Y\n',
      'b/c/z.md': '---\naliases: [home]\n---\n# Z\n',
      'b/notes.md': '# N\n',
      'top.md': '# T\n\n[[Home]]\n',
    };
    assert.deepEqual(await resolveIn(files, 'b/notes.md', 'Home'), ['b/y.md']);
    assert.deepEqual(await resolveIn(files, 'top.md', 'Home'), ['a/x.md', 'b/y.md']);
    const c = await check(files);
    assert.equal(c.of('ambiguous-link').length, 1);
    assert.match(c.of('ambiguous-link')[0], /^top\.md:3:/);
  });

  it('never reach a workspace template, and say no name when nothing has the alias', async () => {
    const files = {
      'templates/guide.md': '---\naliases: [Team Guide]\n---\n# {{title}}\n',
      'notes.md': '# N\n\n[[Team Guide]]\n',
    };
    assert.equal(await resolveIn(files, 'notes.md', 'Team Guide'), 'broken');
    const c = await check(files);
    assert.deepEqual(c.of('broken-link'), [
      'notes.md:3:1 [[Team Guide]] does not resolve: no document with that name.',
    ]);
  });

  it('reach a document by an alias written with .md, with or without it', async () => {
    const files = { 'docs/a.md': '---\naliases: [Guide.md]\n---\n# A\n', 'notes.md': '# N\n' };
    assert.deepEqual(await resolveIn(files, 'notes.md', 'Guide.md'), ['docs/a.md']);
    assert.deepEqual(await resolveIn(files, 'notes.md', 'guide'), ['docs/a.md']);
  });

  it('list equally near documents by path, whatever order they were indexed in', async () => {
    const files: Record<string, string> = { 'notes.md': '# N\n' };
    for (const n of ['z', 'c', 'm', 'a', 'q']) files[`d/${n}.md`] = '---\naliases: [Daily Note]\n---\n# D\n';
    const { analysis, ws } = await check(files);
    const index = analysis.index;
    // indexed again in reverse path order
    for (const n of ['z', 'q', 'm', 'c', 'a']) index.set(ws.uri(`d/${n}.md`), files[`d/${n}.md`]);
    const notes = index.get(ws.uri('notes.md'))!;
    const r = index.resolve(notes, { target: 'Daily Note' });
    assert.ok(r.status === 'resolved');
    assert.deepEqual(
      r.candidates.map((c) => c.rel),
      ['d/a.md', 'd/c.md', 'd/m.md', 'd/q.md', 'd/z.md'],
    );
  });

  it('follow the aliases as a document changes them', async () => {
    const { analysis, ws } = await check({ 'g.md': guide, 'notes.md': '# N\n\n[[Walkthrough]]\n' });
    const index = analysis.index;
    const notes = index.get(ws.uri('notes.md'))!;
    const link = notes.doc.links[0];
    assert.equal(index.resolve(notes, link).status, 'resolved');
    index.set(ws.uri('g.md'), '---\naliases: [CDP Guide]\n---\n# Guide\n');
    assert.equal(index.resolve(index.get(ws.uri('notes.md'))!, link).status, 'broken');
    index.set(ws.uri('g.md'), '---\nalias: walkthrough\n---\n# Guide\n');
    assert.equal(index.resolve(index.get(ws.uri('notes.md'))!, link).status, 'resolved');
  });
});

describe('aliasSpans and aliasText', () => {
  const spans = (text: string) =>
    aliasSpans(text, parse(text)).map((s) => ({
      alias: s.alias,
      at: text.split('\n')[s.range.start.line].slice(s.range.start.character, s.range.end.character),
      quote: s.quote,
    }));

  it('finds each alias once where it is written: block list, flow list, quoted or not, single value', () => {
    assert.deepEqual(spans('---\naliases:\n  - CDP Guide\n  - "Walk, through"\n---\n'), [
      { alias: 'CDP Guide', at: 'CDP Guide', quote: '' },
      { alias: 'Walk, through', at: 'Walk, through', quote: '"' },
    ]);
    assert.deepEqual(spans("---\naliases: [Guide, 'It''s', Guide Two] # names\n---\n"), [
      { alias: 'Guide', at: 'Guide', quote: '' },
      { alias: 'Guide Two', at: 'Guide Two', quote: '' },
    ]);
    assert.deepEqual(spans('---\ntitle: Guide\nalias: Guide # the short one\n---\n'), [
      { alias: 'Guide', at: 'Guide', quote: '' },
    ]);
  });

  it('finds none for an alias written more than once, or not as it reads (escaped)', () => {
    assert.deepEqual(spans('---\naliases: [A, "A"]\n---\n'), []);
    assert.deepEqual(spans('---\naliases: ["Say \\"hi\\""]\n---\n'), []);
  });

  it('writes a new name that reads as itself: quoted where it must be, escaped in quotes', () => {
    const cases: [string, string, string][] = [
      ['---\naliases: [Guide, Other]\n---\n', 'New Guide', 'New Guide'],
      ['---\naliases: [Guide, Other]\n---\n', 'Guide: two, three', 'Guide: two, three'],
      ['---\naliases:\n  - Guide\n---\n', 'true', 'true'],
      ['---\naliases:\n  - Guide\n---\n', '12', '12'],
      ['---\naliases:\n  - Guide\n---\n', '- dash: {x}, y', '- dash: {x}, y'],
      ['---\naliases: ["Guide"]\n---\n', 'Say "hi" there', 'Say "hi" there'],
      ["---\naliases: ['Guide']\n---\n", "It's", "It's"],
      ['---\nalias: Guide\n---\n', '{x}', '{x}'],
    ];
    for (const [text, name, reads] of cases) {
      const span = aliasSpans(text, parse(text)).find((s) => s.alias === 'Guide');
      assert.ok(span, text);
      const after = applyText(text, [{ range: span.range, newText: aliasText(span, name) }]);
      const names = aliasesOf(parse(after));
      assert.ok(names.includes(reads), `${JSON.stringify(after)} reads ${JSON.stringify(names)}`);
      assert.equal(parse(after).metadata.errors.length, 0, after);
    }
  });
});
