import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST_MAX_DEPTH, fastGateTree } from '../../server/src/core/gates/fast-yaml';
import { parseGateFile } from '../../server/src/core/gates/parse';

/** The gate file read through the fast path (when it takes it) and through the `yaml` package only. */
const both = (text: string) => ({ fast: parseGateFile(text), full: parseGateFile(text, { fast: false }) });

const GATE = `phase: frame
number: "01"

entry_requirements:
  automated:
    - check: previous_phase_complete
      description: "Previous phase is complete" # trailing comment
  manual:
    - "Scope agreed with the owner"
    - 'It''s allocated'

# Exit
exit_requirements:
  automated:
    - check: file_exists
      path: docs/helix/01-frame/prd.md
      fallback_paths: [docs/prd.md, "docs/PRD.md"]
      description: PRD must exist
    - check: grep_absent
      pattern: "\\\\[TBD\\\\]\\t\\"x\\""
      path: docs/helix/01-frame/**/*.md
    - check: tests_passing
      command: npm test
      required: false
  manual:
  - Sign-off obtained
  - 42
  - true
next_phase: design
exit_gates:
  - criteria: "Artifact reviewed"
    required: false
    evidence: docs/a.md#overview
`;

describe('gate files: the fast path reads what the yaml package reads', () => {
  it('takes the fast path for a gate file as usually written, with the same result', () => {
    assert.ok(fastGateTree(GATE), 'the usual form takes the fast path');
    const { fast, full } = both(GATE);
    assert.equal(fast.error, undefined);
    assert.deepEqual(
      fast.groups.map((g) => g.items.length),
      [3, 6, 1],
    );
    assert.deepEqual(fast, full);
  });

  it('leaves every other form to the yaml package, and agrees on edge cases', () => {
    const cases = [
      'a: &x 1\nexit_gates: *x\n',
      'exit_requirements:\n  automated:\n  manual: []\n',
      'exit_requirements:\n  manual:\n    - long\n      continued\n',
      'exit_requirements:\n  manual:\n    - "a"\n   - "b"\n',
      'exit_requirements:\n\tmanual: []\n',
      'exit_requirements:\r\n  manual: [a]\r\n',
      '---\nexit_requirements:\n  manual: [a]\n',
      'exit_requirements: {manual: [a]}\n',
      'exit_requirements:\n  manual: [a, b,]\n',
      'exit_requirements:\n  manual:\n    - "\\x41\\u00e9"\n',
      'exit_requirements:\n  manual:\n    - "unterminated\n',
      'exit_requirements:\n  manual:\n    - !!str 5\n',
      'exit_requirements:\n  manual:\n    - 0x1F\n    - 1.5\n    - +1\n    - ~\n    - null\n',
      'exit_requirements:\n  manual:\n    - a: b\n      c: d\n',
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path:\n        - x\n',
      'exit_requirements:\n  automated:\n    - check: file_exists\n    path: x\n',
      'exit_requirements:\n  automated:\n    -  check: file_exists\n       path: x\n',
      'exit_requirements:\n  automated:\n    - - check: x\n',
      'exit_requirements:\n  automated:\n    -\n      check: x\n',
      'exit_gates:\n- criteria: a\n  evidence: b.md\n- criteria: c\n',
      'exit_gates:\n  - criteria: a: b\n',
      'exit_gates:\n  - criteria: a #b\n    required: False\n',
      'exit_gates:\n  - criteria: "a"b\n',
      'exit_gates:\n  - criteria: a\n    criteria: b\n',
      'exit_gates: []\nexit_gates:\n  - criteria: x\n',
      'true: 1\nnull: 2\n1: 3\nexit_gates: [x]\n',
      'exit_gates:\n    - criteria: x\n  - criteria: y\n',
      '  exit_gates: []\n',
      '- a\n- b\n',
      '',
      '# only a comment\n',
      'exit_gates:\n  # a comment\n  - criteria: x\n# another\n    required: true\n',
      'key: value\n  more\n',
      'exit_requirements:\n  manual:\n    - "a" # c\n    - \'b\' #c\n',
      'exit_requirements:\n  manual:\n    - #x\n',
      'exit_requirements:\n  manual:\n    -x\n',
      'exit_requirements:\n  manual:\n  - a\n  automated: []\n',
      'exit_requirements :\n  manual : [a]\n',
      // Escapes anywhere in a double-quoted value, several of them, and one that ends it.
      'exit_requirements:\n  manual:\n    - "\\"a\\" \\\\ b\\t\\\\"\n    - "\\""\n    - "x\\"\n',
      'exit_requirements:\n  manual:\n    - "a\\\\"\n    - "\\n\\0\\_\\ end"\n',
      // Indentation with white space other than spaces, and items' lines with other line breaks.
      'exit_requirements:\n\u00a0 manual: [a]\n',
      'exit_requirements:\n  manual:\n  \u3000- a\n',
      'exit_requirements:\n  manual:\n    - a\r\n    - b\r\n',
      'exit_requirements:\n  manual:\n    - a\r    - b\n',
      'exit_requirements:\n  manual:\n    - a\r\r\n    - b\n',
      'exit_requirements:\n  manual:\n    -\u00a0a\n',
      'exit_requirements:\n  manual:\n    - a\v\n',
    ];
    for (const text of cases) {
      const { fast, full } = both(text);
      assert.deepEqual(fast, full, JSON.stringify(text));
    }
  });

  it('leaves merge keys and aliases at the top of a file to the yaml package, which follows them', () => {
    const common = 'x-common: &c\n  exit_requirements:\n    manual: ["From merge"]\n';
    for (const text of [`${common}<<: *c\n`, `${common}<<: [*c]\nentry_requirements:\n  manual: [k]\n`]) {
      assert.equal(fastGateTree(text), undefined, text);
      assert.equal(fastGateTree(text.replace(' &c', '')), undefined, text);
      const { fast, full } = both(text);
      assert.deepEqual(fast, full);
      assert.ok(
        fast.groups.some((g) => g.items.some((i) => i.text === 'From merge')),
        text,
      );
    }
  });

  it('agrees with the yaml package on thousands of mutated gate files', () => {
    // A seeded generator: the same mutations on every run.
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = [
      ' ',
      '  ',
      '-',
      '- ',
      ':',
      ': ',
      '#',
      ' #',
      '"',
      "'",
      '\\',
      '[',
      ']',
      ',',
      'x',
      '\n',
      '\t',
      '&a ',
      '*a',
      '|',
      '>',
      '{',
      '1',
      'true',
      '~',
    ];
    let fastTaken = 0;
    for (let n = 0; n < 3000; n++) {
      let text = GATE;
      const edits = 1 + rnd(3);
      for (let k = 0; k < edits; k++) {
        const at = rnd(text.length + 1);
        const op = rnd(3);
        if (op === 0) text = text.slice(0, at) + pieces[rnd(pieces.length)] + text.slice(at);
        else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rnd(3));
        else {
          // Re-indent a line.
          const ls = text.split('\n');
          const i = rnd(ls.length);
          ls[i] = rnd(2) ? ` ${ls[i]}` : ls[i].replace(/^ /, '');
          text = ls.join('\n');
        }
      }
      if (fastGateTree(text)) fastTaken++;
      const { fast, full } = both(text);
      assert.deepEqual(fast, full, JSON.stringify(text));
    }
    assert.ok(fastTaken > 500, `the fast path is taken for most small changes (${fastTaken})`);
  });

  it('reads only shallow nesting itself; deeper files meet the YAML guard first, as before', () => {
    // Maps nested n deep, each level one more space in: `k0:\n k1:\n  k2: v`.
    const deep = (n: number) =>
      `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} v\n`;
    const deepItems = (n: number) =>
      `exit_gates:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}- a${i}:`).join('\n')} v\n`;
    assert.ok(fastGateTree(deep(FAST_MAX_DEPTH)), 'as deep as the fast path reads');
    assert.equal(fastGateTree(deep(FAST_MAX_DEPTH + 1)), undefined);
    for (const n of [FAST_MAX_DEPTH + 1, 99, 100, 101, 150, 600]) {
      for (const text of [deep(n), deepItems(n)]) {
        const { fast, full } = both(text);
        assert.deepEqual(fast, full, `${n} levels`);
      }
    }
    // The guard's refusal, with its line, whichever path was asked for.
    assert.match(both(deep(150)).fast.error?.message ?? '', /nested more than 100 levels/);
    assert.equal(both(deep(150)).fast.error?.line, 100);
    assert.match(both(deepItems(150)).fast.error?.message ?? '', /nested more than 100 levels/);
  });
});
