import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWikiLinkContent, scanWikiLinks } from '../../server/src/core/parse/wikilink';
import { LineIndex } from '../../server/src/core/text';
import type { WikiLink } from '../../server/src/core/types';

function scan(text: string, start = 0, end = text.length, key?: string): WikiLink[] {
  const out: WikiLink[] = [];
  scanWikiLinks(text, start, end, new LineIndex(text), 'body', out, key);
  return out;
}

/** The substring a range covers (single-line ranges only). */
function cut(text: string, r: { start: { line: number; character: number }; end: { character: number } }) {
  const line = text.split(/\r\n|\r|\n/)[r.start.line];
  return line.slice(r.start.character, r.end.character);
}

describe('scanWikiLinks: forms', () => {
  const cases: [
    string,
    { target: string; heading?: string; alias?: string; embed?: boolean; raw: string },
  ][] = [
    ['see [[phase]] now', { target: 'phase', raw: '[[phase]]' }],
    [
      '[[06-follow-up|Follow-up Phase]]',
      { target: '06-follow-up', alias: 'Follow-up Phase', raw: '[[06-follow-up|Follow-up Phase]]' },
    ],
    ['[[a#Exit Criteria]]', { target: 'a', heading: 'Exit Criteria', raw: '[[a#Exit Criteria]]' }],
    ['[[a#Exit|the exit]]', { target: 'a', heading: 'Exit', alias: 'the exit', raw: '[[a#Exit|the exit]]' }],
    ['[[#Local]]', { target: '', heading: 'Local', raw: '[[#Local]]' }],
    ['x ![[diagram.png]]', { target: 'diagram.png', embed: true, raw: '![[diagram.png]]' }],
    [
      '| [[test-plan/README\\|Monitoring Plan]] | Monitor |',
      { target: 'test-plan/README', alias: 'Monitoring Plan', raw: '[[test-plan/README\\|Monitoring Plan]]' },
    ],
    [
      '[[  spaced target  |  alias  ]]',
      { target: 'spaced target', alias: 'alias', raw: '[[  spaced target  |  alias  ]]' },
    ],
    [
      '[[../prd/README|PRD Documentation]]',
      { target: '../prd/README', alias: 'PRD Documentation', raw: '[[../prd/README|PRD Documentation]]' },
    ],
    ['[[a#b#c]]', { target: 'a', heading: 'b#c', raw: '[[a#b#c]]' }],
    ['[[a|b|c]]', { target: 'a', alias: 'b|c', raw: '[[a|b|c]]' }],
    ['[[a|b#c]]', { target: 'a', alias: 'b#c', raw: '[[a|b#c]]' }],
    ['[[[a]]', { target: 'a', raw: '[[a]]' }],
    ['[[a]]]', { target: 'a', raw: '[[a]]' }],
    ['[[é 😀]]', { target: 'é 😀', raw: '[[é 😀]]' }],
  ];
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => {
      const links = scan(text);
      assert.equal(links.length, 1);
      const l = links[0];
      assert.equal(l.raw, want.raw);
      assert.equal(l.target, want.target);
      assert.equal(l.heading, want.heading);
      assert.equal(l.alias, want.alias);
      assert.equal(l.embed, want.embed ?? false);
      assert.equal(l.source, 'body');
      assert.equal(cut(text, l.range), want.raw);
      assert.equal(cut(text, l.targetRange), want.target);
      if (want.heading !== undefined) assert.equal(cut(text, l.headingRange!), want.heading);
      else assert.equal(l.headingRange, undefined);
    });
  }
});

describe('scanWikiLinks: not links', () => {
  const cases = [
    '[[]]',
    '[[ ]]',
    '[[#]]',
    '[[a',
    '[[a]',
    '[a]]',
    '[[a\n]]',
    '[[a\r\nb]]',
    '[[a\rb]]',
    '[[a]b]]',
    '[[a[b]]',
    '[ [a]]',
    'plain text',
    // template placeholders name no document
    '[[FEAT-{{n}}]]',
    '[[{{name}}|Name]]',
  ];
  for (const text of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(scan(text), []));
  }
});

describe('scanWikiLinks: positions and ranges', () => {
  it('reports 0-based lines and UTF-16 columns across all line break kinds', () => {
    const text = 'a\r\n😀 [[x]]\rb\n  ![[y#h|z]]';
    const links = scan(text);
    assert.deepEqual(
      links.map((l) => [l.range.start, l.range.end]),
      [
        [
          { line: 1, character: 3 },
          { line: 1, character: 8 },
        ],
        [
          { line: 3, character: 2 },
          { line: 3, character: 12 },
        ],
      ],
    );
    assert.deepEqual(links[1].targetRange, {
      start: { line: 3, character: 5 },
      end: { line: 3, character: 6 },
    });
    assert.deepEqual(links[1].headingRange, {
      start: { line: 3, character: 7 },
      end: { line: 3, character: 8 },
    });
  });

  it('gives an empty target range just inside the brackets for [[#Heading]]', () => {
    const [l] = scan('x [[#Goals]]');
    assert.deepEqual(l.targetRange, { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } });
  });

  it('only scans the given slice, and does not see a `!` before it', () => {
    const text = '[[a]] ![[b]] [[c]]';
    assert.deepEqual(
      scan(text, 7, 12).map((l) => [l.raw, l.embed]),
      [['[[b]]', false]],
    );
    assert.deepEqual(scan(text, 0, 11), [scan(text)[0]]);
  });

  it('sets the metadata key when given', () => {
    const out: WikiLink[] = [];
    const text = 'next_phase: "[[06-follow-up]]"';
    scanWikiLinks(text, 0, text.length, new LineIndex(text), 'metadata', out, 'next_phase');
    assert.equal(out[0].key, 'next_phase');
    assert.equal(out[0].source, 'metadata');
  });

  it('in the body, a backslash escapes the first bracket or the `!`; in metadata nothing', () => {
    const text = '\\[[a]] \\\\[[b]] \\![[c]] x\\[[[d]] \\\\\\[[e]]';
    assert.deepEqual(
      scan(text).map((l) => [l.raw, l.embed]),
      [
        ['[[b]]', false],
        ['[[c]]', false],
        ['[[d]]', false],
      ],
    );
    // The escaping backslash lies before the slice: the slice is read as given.
    assert.deepEqual(
      scan(text, 1).map((l) => l.raw),
      ['[[a]]', '[[b]]', '[[c]]', '[[d]]'],
    );
    const out: WikiLink[] = [];
    scanWikiLinks(text, 0, text.length, new LineIndex(text), 'metadata', out);
    assert.deepEqual(
      out.map((l) => [l.raw, l.embed]),
      [
        ['[[a]]', false],
        ['[[b]]', false],
        ['![[c]]', true],
        ['[[d]]', false],
        ['[[e]]', false],
      ],
    );
  });

  it('finds several links per line in order', () => {
    assert.deepEqual(
      scan('[[a]][[b]] [[c|d]]![[e]]').map((l) => l.raw),
      ['[[a]]', '[[b]]', '[[c|d]]', '![[e]]'],
    );
  });
});

describe('parseWikiLinkContent', () => {
  it('splits and trims, with offsets into the inner text', () => {
    const inner = ' a b # H |  x ';
    const p = parseWikiLinkContent(inner);
    assert.equal(p.target, 'a b');
    assert.equal(inner.slice(p.targetStart, p.targetEnd), 'a b');
    assert.equal(p.heading, 'H');
    assert.equal(inner.slice(p.headingStart, p.headingEnd), 'H');
    assert.equal(p.alias, 'x');
    assert.equal(inner.slice(p.aliasStart, p.aliasEnd), 'x');
  });
  it('treats \\| as the alias separator and keeps its backslash out of the target', () => {
    const p = parseWikiLinkContent('t\\|A');
    assert.equal(p.target, 't');
    assert.equal(p.alias, 'A');
  });
  it('keeps empty heading and alias when their separators are present', () => {
    const p = parseWikiLinkContent('t#|');
    assert.equal(p.heading, '');
    assert.equal(p.alias, '');
  });
});

describe('scanWikiLinks: scale', () => {
  it('handles 10,000 links on one line', () => {
    const text = '[[n|a]] '.repeat(10_000);
    const links = scan(text);
    assert.equal(links.length, 10_000);
    assert.equal(links[9_999].range.start.character, 8 * 9_999);
  });
  it('handles 100,000 unterminated [[ on one line', () => {
    assert.equal(scan('[[a '.repeat(100_000)).length, 0);
    assert.equal(scan('[['.repeat(100_000)).length, 0);
    assert.equal(scan(`${'[[a'.repeat(100_000)}]]`).length, 1);
  });
  it('handles 100,000 links over 100,000 lines', () => {
    const links = scan('[[x]]\n'.repeat(100_000));
    assert.equal(links.length, 100_000);
    assert.equal(links[99_999].range.start.line, 99_999);
  });
});
