// Tasks, headings and links are kept with their columns packed into small integers;
// an item whose columns do not fit keeps its plain form. Either way every range must be
// exactly what the parser found, also after crossing to another thread (pack / unpack).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PackSink, packItems, unpackItems } from '../../server/src/core/parse/compact';
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
