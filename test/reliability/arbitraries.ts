/**
 * fast-check arbitraries of CDP-like documents: the seeded generator of
 * test/helpers/markdown-gen.ts, and documents assembled from lines that aim at the edges
 * (every task marker, malformed boxes, every wikilink form, fences, metadata blocks
 * valid and invalid, every line break).
 */
import fc from 'fast-check';
import { LineIndex } from '../../server/src/core/text';
import type { Range, TextEdit } from '../../server/src/core/types';
import { generateDocument } from '../helpers/markdown-gen';

const word = fc.constantFrom(
  'plan',
  'release',
  'Gate',
  'état',
  '😀',
  'x',
  '#',
  '|',
  '\\',
  '`',
  '*',
  '<b>',
  '[',
  ']',
  '!',
  '\t',
  '',
);
const target = fc.constantFrom(
  '01-intake',
  '02-diagnose',
  'notes/a',
  '../up',
  '/abs',
  'missing',
  'A Note',
  ' ',
);
const heading = fc.constantFrom('Exit Criteria', 'Entry Criteria', 'Quality Gate', 'nope', '^block');

export const wikilinkArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('', '!'), target).map(([b, t]) => `${b}[[${t}]]`),
  fc.tuple(target, heading).map(([t, h]) => `[[${t}#${h}]]`),
  fc.tuple(target, fc.constantFrom('|', '\\|'), word).map(([t, s, a]) => `[[${t}${s}${a}]]`),
  heading.map((h) => `[[#${h}]]`),
  fc.constantFrom('[[', '[[a', '[[a]', ']]', '[[]]', '[[ ]]', '[[[a]]]', '[[a|]]', '[[#]]', '![[', '[[a\\]]'),
);

const inlineArb = fc
  .array(
    fc.oneof(
      word,
      wikilinkArb,
      wikilinkArb.map((l) => `\`${l}\``),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(' '));

const marker = fc.constantFrom('-', '*', '+', '1.', '2)', '10.');
const box = fc.constantFrom('[ ]', '[x]', '[X]', '[]', '[ x]', '[x ]', '[  ]', '[\t]', '[-]', '[y]');
const indent = fc.constantFrom('', '  ', '    ', '   ', '\t', '> ', '>> ', '> - ');

const lineArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        indent,
        marker,
        fc.constantFrom(' ', '', '  ', '\t'),
        box,
        fc.constantFrom(' ', '', '\t'),
        inlineArb,
      )
      .map((p) => p.join('')),
  },
  { weight: 1, arbitrary: fc.tuple(box, inlineArb).map(([b, t]) => `${b} ${t}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 7 }), fc.constantFrom(' ', '', '\t'), fc.oneof(heading, inlineArb))
      .map(([n, s, t]) => `${'#'.repeat(n)}${s}${t}`),
  },
  { weight: 3, arbitrary: inlineArb },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '```',
      '~~~',
      '````md',
      '    code [[x]]',
      '<!-- [[y]]',
      '-->',
      '',
      ' ',
      '---',
      '***',
      '===',
      '| a | [[b]] |',
      '|---|---|',
    ),
  },
);

const metadataArb = fc.oneof(
  fc.constant([
    '---',
    'phase: 03',
    'name: "Gen"',
    'previous_phase: "[[02-diagnose]]"',
    'next_phase: "[[04-x]]"',
    '---',
  ]),
  fc.constant([
    '---',
    'phase: 01',
    'name: "Dup"',
    'artifacts: ["[[missing-artifact]]", "[[notes/a]]"]',
    '---',
  ]),
  fc.constant(['---', 'phase: [03', 'name: "unclosed', '---']),
  fc.constant([
    '---',
    'a: &a [1,1,1,1,1,1,1,1,1]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    '---',
  ]),
  fc.constant(['---', 'phase: 03', 'phase: 04', '---']),
  fc.constant(['---', '- just', '- a list', '---']),
  fc.constant(['---', 'phase: 03']),
  fc
    .array(
      fc.tuple(fc.constantFrom('phase', 'name', 'tags', 'x'), inlineArb).map(([k, v]) => `${k}: ${v}`),
      { maxLength: 4 },
    )
    .map((l) => ['---', ...l, '---']),
);

/** A document assembled from edge-case lines, with a random line break style. */
export const linesDocArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constant(undefined),
      heading.map((h) => `# ${h}`),
    ),
    fc.oneof(fc.constant(undefined), metadataArb),
    fc.array(lineArb, { maxLength: 30 }),
    fc.constantFrom('\n', '\r\n', '\r', 'mixed'),
    fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 40, maxLength: 40 }),
    fc.boolean(),
  )
  .map(([title, meta, body, eol, mixed, bom]) => {
    const lines = [...(title ? [title, ''] : []), ...(meta && title ? meta : meta ? meta : []), ...body];
    const text =
      eol === 'mixed' ? lines.map((l, i) => l + mixed[i % mixed.length]).join('') : lines.join(eol);
    return bom ? `\ufeff${text}` : text;
  });

/** The seeded document generator of the parser tests, as an arbitrary. */
export const generatedDocArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 2 ** 31 - 1 })
  .map(generateDocument);

export const documentArb: fc.Arbitrary<string> = fc.oneof(generatedDocArb, linesDocArb);

/** The text after applying non-overlapping edits. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({
      start: lines.offsetAt(e.range.start),
      end: lines.offsetAt(e.range.end),
      newText: e.newText,
    }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Why a range does not lie inside the text (undefined when it does). */
export function outside(lines: LineIndex, r: Range, what: string): string | undefined {
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0)
      return `${what}: bad position ${JSON.stringify(p)}`;
    if (p.line >= lines.lineCount) return `${what}: line ${p.line} ≥ lineCount ${lines.lineCount}`;
    const len = lines.lineEnd(p.line) - lines.starts[p.line];
    if (p.character > len) return `${what}: ${p.line}:${p.character} past the line's end (${len})`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character))
    return `${what}: start after end ${JSON.stringify(r)}`;
  return undefined;
}
