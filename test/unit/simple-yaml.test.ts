import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { locateMetadata, parseMetadata } from '../../server/src/core/parse/metadata';
import { parseSimpleYaml } from '../../server/src/core/parse/simple-yaml';
import { LineIndex } from '../../server/src/core/text';
import type { WikiLink } from '../../server/src/core/types';

/** The metadata of a document through the fast path (when it answers) and through the full YAML parser. */
function both(yaml: string) {
  const text = `# Title\n\n---\n${yaml}\n---\n\nBody\n`;
  const lines = new LineIndex(text);
  const block = locateMetadata(lines);
  const fast = parseMetadata(text, lines, block, [] as WikiLink[]);
  const full = parseMetadata(text, lines, block, [] as WikiLink[], { fullYaml: true });
  return { fast, full, simple: parseSimpleYaml(`${yaml}\n`) };
}

const scalars = [
  '05',
  '5',
  '-3',
  'Release',
  '"Release"',
  "'it''s'",
  '"[[04-monitor]]"',
  'true',
  'False',
  'null',
  '~',
  '',
  '2025-01-12',
  '1.5',
  '+1',
  '0x1F',
  '.inf',
  'a b c',
  'x # comment',
  '"[[a|b]]"',
  "'[[x#H]]'",
  'über',
  '"a: b"',
  'a: b',
  '&anchor x',
  '*ref',
  '!tag x',
  '|',
  '>',
  '"esc \\" q"',
  '-0',
  '007',
  '12345678901234567890',
  'yes',
  'No',
];
const seqItems = ['"[[release-plan]]"', 'cdp', "'q'", '1', 'a b', '"x, y"', '[[06-follow-up]]', '', 'k: v'];
const keys = [
  'phase',
  'name',
  'tags',
  'previous_phase',
  'next_phase',
  'artifacts',
  'created',
  'owner_2',
  'x-y',
];

const line = fc.oneof(
  fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...scalars)).map(([k, v]) => `${k}: ${v}`),
  fc
    .tuple(fc.constantFrom(...keys), fc.array(fc.constantFrom(...seqItems), { maxLength: 4 }))
    .map(([k, items]) => `${k}: [${items.join(', ')}]`),
  fc.constantFrom('# a comment', '', '  - item', 'tags:', '  nested: 1', 'key:value', 'dup: 1'),
);

/** Lines of a nested block (a DDX block and shapes near it). */
const nestedLine = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom('id', 'status', 'type', 'x-y'),
        fc.constantFrom('FEAT-1', 'helix.prd', '"q"', '05'),
      )
      .map(([k, v]) => `  ${k}: ${v}`),
  },
  { weight: 6, arbitrary: fc.constantFrom('  depends_on:', '    - helix.prd', '    - "ADR-3"', '  - x') },
  fc
    .tuple(fc.constantFrom('id', 'status', 'type', 'x-y', 'id'), fc.constantFrom(...scalars))
    .map(([k, v]) => `  ${k}: ${v}`),
  fc.constantFrom(...seqItems).map((v) => `    - ${v}`),
  fc.constantFrom(...seqItems).map((v) => `  - ${v}`),
  fc.constantFrom(
    '  depends_on:',
    '  depends_on: # c',
    '  review:',
    '    at: 1',
    '   odd: 1',
    '  # comment',
    '',
    '      - deep',
    '    -',
    '  - - a',
    '  flow: [a, b]',
    '  k:value',
  ),
);
const nestedBlock = fc
  .tuple(
    fc.constantFrom('ddx:', 'dun:', 'ddx: # c', 'ddx:  '),
    fc.array(nestedLine, { minLength: 1, maxLength: 7 }),
  )
  .map(([head, ls]) => [head, ...ls].join('\n'));

describe('metadata fast path', () => {
  it('agrees with the full YAML parser on nested blocks whenever it answers (3,000 generated blocks)', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(line, nestedBlock), { minLength: 1, maxLength: 5 }), (ls) => {
        const { fast, full, simple } = both(ls.join('\n'));
        if (simple && ls.some((l) => l.includes('\n '))) answered++;
        assert.deepEqual(fast.data, full.data);
        assert.deepEqual(fast.errors, full.errors);
        assert.deepEqual(fast.entries, full.entries);
      }),
      { numRuns: 3000, seed: 20261129 },
    );
    assert.ok(answered > 50, `fast path answered ${answered} nested blocks`);
  });

  it('takes a DDX block as DDX writes it', () => {
    const yaml = [
      'ddx:',
      '  id: FEAT-004',
      '  depends_on:',
      '    - helix.prd',
      "    - 'ADR-003'",
      '  status: draft',
      'phase: 05',
    ].join('\n');
    const { fast, full, simple } = both(yaml);
    assert.ok(simple, 'fast path answered');
    assert.deepEqual(fast, full);
    assert.deepEqual(fast.data.ddx, {
      id: 'FEAT-004',
      depends_on: ['helix.prd', 'ADR-003'],
      status: 'draft',
    });
  });

  it('agrees with the full YAML parser whenever it answers (5,000 generated blocks)', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (ls) => {
        const { fast, full, simple } = both(ls.join('\n'));
        if (simple) answered++;
        assert.deepEqual(fast.data, full.data);
        assert.deepEqual(fast.errors, full.errors);
        assert.deepEqual(fast.entries, full.entries);
      }),
      { numRuns: 5000, seed: 20261128 },
    );
    // The fast path must actually take the common cases.
    assert.ok(answered > 500, `fast path answered ${answered} times`);
  });

  it('takes the CDP phase metadata as written in real documents', () => {
    const yaml = [
      'tags: [cdp, workflow, phase, release]',
      'phase: 05',
      'name: "Release"',
      'previous_phase: "[[04-monitor]]"',
      'next_phase: "[[06-follow-up]]"',
      'artifacts: ["[[release-plan]]", "[[rollback-plan]]"]',
    ].join('\n');
    const { fast, full, simple } = both(yaml);
    assert.ok(simple, 'fast path answered');
    assert.deepEqual(fast, full);
    assert.equal(fast.data.phase, 5);
    assert.deepEqual(fast.data.artifacts, ['[[release-plan]]', '[[rollback-plan]]']);
    assert.deepEqual(
      fast.entries.map((e) => [e.key, e.line]),
      [
        ['tags', 3],
        ['phase', 4],
        ['name', 5],
        ['previous_phase', 6],
        ['next_phase', 7],
        ['artifacts', 8],
      ],
    );
  });

  it('leaves anything unusual to the full parser', () => {
    for (const yaml of [
      'a: &x 1\nb: *x',
      'a:\n  - 1',
      'a: "esc\\n"',
      'a: 1\na: 2',
      'next_phase: [[06-follow-up]]',
      'a: [1, [2]]',
    ]) {
      assert.equal(parseSimpleYaml(`${yaml}\n`), undefined, yaml);
    }
  });

  it('leaves a block with a tab or a lone carriage return on any line to the full parser, and reads CRLF', () => {
    for (const yaml of [
      'a: 1\nb:\t2',
      'ddx:\n  id: X\n  depends_on:\n    -\tY',
      'ddx:\n  id: X\n\t\nb: 1',
      'a: 1\r\nb: x\ry',
      'ddx:\n  id: X\r\r\n  type: t',
    ]) {
      assert.equal(parseSimpleYaml(`${yaml}\n`), undefined, JSON.stringify(yaml));
      const { fast, full } = both(yaml);
      assert.deepEqual(fast.data, full.data);
      assert.deepEqual(fast.errors, full.errors);
    }
    const crlf = 'ddx:\r\n  id: X\r\n  depends_on:\r\n    - Y\r\n    - Z\r\nb: 1\r';
    assert.deepEqual(parseSimpleYaml(crlf)?.data, { ddx: { id: 'X', depends_on: ['Y', 'Z'] }, b: 1 });
  });
});
