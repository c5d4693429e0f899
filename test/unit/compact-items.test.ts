// Tasks, headings and links are kept with their columns packed into small integers;
// an item whose columns do not fit keeps its plain form. Either way every range must be
// exactly what the parser found, also after crossing to another thread (pack / unpack).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { own, type PackSink, packItems, unpackItems } from '../../server/src/core/parse/compact';
import { parseDocument } from '../../server/src/core/parse/document';
import type { ParsedDocument, Range } from '../../server/src/core/types';

const r = (line: number, from: number, to: number): Range => ({
  start: { line, character: from },
  end: { line, character: to },
});

/** The items as plain data (getters read), for comparing. */
function plain(doc: ParsedDocument) {
  return {
    tasks: doc.tasks.map((t) => ({
      line: t.line,
      checked: t.checked,
      text: t.text,
      depth: t.depth,
      range: t.range,
      checkboxRange: t.checkboxRange,
    })),
    headings: doc.headings.map((h) => ({ level: h.level, text: h.text, line: h.line, range: h.range })),
    links: doc.links.map((l) => ({
      raw: l.raw,
      target: l.target,
      heading: l.heading,
      alias: l.alias,
      embed: l.embed,
      source: l.source,
      syntax: l.syntax,
      range: l.range,
      targetRange: l.targetRange,
      headingRange: l.headingRange,
    })),
  };
}

function roundTrip(doc: ParsedDocument): ParsedDocument {
  const sink: PackSink = { nums: [], strs: [], plain: [] };
  const rest = packItems(doc, sink);
  return unpackItems(structuredClone(rest), { ...structuredClone(sink), n: 0, s: 0, p: 0 });
}

describe('lean tasks, headings and links', () => {
  it('keep their exact ranges, nested and checked, and after a round trip to a worker', () => {
    const text = [
      '# Plan',
      '',
      '- [x] top [[a#Scope|the scope]]',
      '  - [ ] nested ![[b]] and [c](c.md#part)',
      '',
      '### Deep *heading*',
    ].join('\n');
    const doc = parseDocument('file:///w/x.md', text);
    const got = plain(doc);
    assert.deepEqual(got.tasks, [
      {
        line: 2,
        checked: true,
        text: 'top [[a#Scope|the scope]]',
        depth: 0,
        range: r(2, 0, 31),
        checkboxRange: r(2, 2, 5),
      },
      {
        line: 3,
        checked: false,
        text: 'nested ![[b]] and [c](c.md#part)',
        depth: 1,
        range: r(3, 2, 40),
        checkboxRange: r(3, 4, 7),
      },
    ]);
    assert.deepEqual(got.headings, [
      { level: 1, text: 'Plan', line: 0, range: r(0, 2, 6) },
      { level: 3, text: 'Deep *heading*', line: 5, range: r(5, 4, 18) },
    ]);
    assert.deepEqual(
      got.links.map((l) => [l.raw, l.embed, l.syntax, l.range, l.targetRange, l.headingRange]),
      [
        ['[[a#Scope|the scope]]', false, undefined, r(2, 10, 31), r(2, 12, 13), r(2, 14, 19)],
        ['![[b]]', true, undefined, r(3, 15, 21), r(3, 18, 19), undefined],
        ['[c](c.md#part)', false, 'markdown', r(3, 26, 40), r(3, 30, 34), r(3, 35, 39)],
      ],
    );
    assert.deepEqual(plain(roundTrip(doc)), got);
  });

  it('on lines too long for the packed columns keep the plain form, exactly', () => {
    const pad = 'x'.repeat(70_000);
    const text = [`- [ ] ${pad} [[far#There]]`, `# ${pad}`, `${' '.repeat(3)}- [x] ok [[near]] ${pad}`].join(
      '\n',
    );
    const doc = parseDocument('file:///w/long.md', text);
    const got = plain(doc);
    assert.deepEqual(
      got.tasks.map((t) => [t.line, t.checked, t.range, t.checkboxRange]),
      [
        [0, false, r(0, 0, 70_020), r(0, 2, 5)],
        [2, true, r(2, 3, 70_021), r(2, 5, 8)],
      ],
    );
    assert.deepEqual(got.headings[0].range, r(1, 2, 70_002));
    assert.deepEqual(
      got.links.map((l) => [l.raw, l.range, l.targetRange, l.headingRange]),
      [
        ['[[far#There]]', r(0, 70_007, 70_020), r(0, 70_009, 70_012), r(0, 70_013, 70_018)],
        ['[[near]]', r(2, 12, 20), r(2, 14, 18), undefined],
      ],
    );
    assert.deepEqual(plain(roundTrip(doc)), got);
  });
});

describe("lean metadata entries and a heading's title", () => {
  const meta = (doc: ParsedDocument) => ({
    title: doc.title && { text: doc.title.text, line: doc.title.line, range: doc.title.range },
    entries: doc.metadata.entries.map((e) => ({ key: e.key, line: e.line, range: e.range })),
  });

  it('build their ranges when asked, keep none, and read the same after a round trip and as JSON', () => {
    const pad = 'y'.repeat(40_000);
    const text = [
      '---',
      'phase: 01',
      'tags:',
      '  - a',
      '  - bb',
      `long: ${pad}`,
      '---',
      '# The Plan',
      '',
    ].join('\n');
    const doc = parseDocument('file:///w/m.md', text);
    const got = meta(doc);
    assert.deepEqual(got, {
      title: { text: 'The Plan', line: 7, range: r(7, 2, 10) },
      entries: [
        { key: 'phase', line: 1, range: r(1, 0, 9) },
        { key: 'tags', line: 2, range: { start: { line: 2, character: 0 }, end: { line: 4, character: 6 } } },
        // Its end column does not fit the packed form: kept plainly.
        { key: 'long', line: 5, range: r(5, 0, 40_006) },
      ],
    });
    // Only the entry too long for the packed columns holds a range of its own.
    assert.deepEqual(
      doc.metadata.entries.map((e) => Object.hasOwn(e, 'range')),
      [false, false, true],
    );
    assert.ok(!Object.hasOwn(doc.title!, 'range') && !Object.hasOwn(doc.title!, 'text'));
    assert.deepEqual(meta(roundTrip(doc)), got);
    // The server's index cache writes them as JSON: the plain form, getters read.
    assert.deepEqual(JSON.parse(JSON.stringify({ t: doc.title, e: doc.metadata.entries })), {
      t: got.title,
      e: got.entries,
    });
  });

  it('a title from the metadata, not a heading, stays as it was', () => {
    const doc = parseDocument('file:///w/t.md', '---\ntitle: From metadata\n---\n## Not a title\n');
    const got = meta(doc);
    assert.deepEqual(got.title, { text: 'From metadata', line: 0, range: r(0, 0, 0) });
    assert.deepEqual(meta(roundTrip(doc)), got);
  });
});

describe('own', () => {
  it('gives back every substring unchanged, whatever its characters', () => {
    const parent = `# Title\n\n- [ ] ${'plain ascii text, '.repeat(3)}\u00e9t\u00e9 \u4e2d\u6587 \ud83d\ude00 emoji\n`;
    // every cut of at least 13 characters, so a surrogate pair is split at either end and
    // at the first character (where own cuts it in two)
    let copies = 0;
    for (let a = 0; a < parent.length; a += 3)
      for (let b = a + 13; b <= parent.length; b += 5) {
        const s = parent.slice(a, b);
        const o = own(s);
        assert.equal(o, s);
        assert.equal(o.length, s.length);
        copies++;
      }
    assert.ok(copies > 100);
    // a string that starts with a character outside the BMP
    assert.equal(own('\ud83d\ude00 and more text after it'), '\ud83d\ude00 and more text after it');
    // short strings are kept as they are
    assert.equal(own('short'), 'short');
  });
});
