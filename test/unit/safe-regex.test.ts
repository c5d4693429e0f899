import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/core/config';
import { compilePatterns } from '../../server/src/core/model';
import { compileSafeRegex } from '../../server/src/core/safe-regex';
import { check, phaseDoc } from '../helpers/memory-workspace';

/** Patterns that backtrack exponentially (or for long) on a short non-matching subject. */
const CATASTROPHIC = ['^(a+)+$', '(a|aa)+$', '^(a|a?)+$', '(\\w+\\s?)+$', '^(([a-z])+.)+[A-Z]([a-z])+$'];
const SUBJECT = `${'a'.repeat(33)}!`;

describe('safe regular expressions', () => {
  it('catastrophic patterns run in linear time and still match what they describe', () => {
    for (const p of CATASTROPHIC) {
      const c = compileSafeRegex(p);
      assert.ok(c.ok, p);
      const t = performance.now();
      assert.equal(c.regex.test(`${SUBJECT.repeat(1000)}`), false, p);
      // A bound far above the linear time (milliseconds) and far below the backtracking one (hours).
      assert.ok(performance.now() - t < 5000, p);
    }
    const c = compileSafeRegex('^(a+)+$');
    assert.ok(c.ok);
    assert.equal(c.regex.test('AAAA'), true, 'case-insensitive by default');
    const strict = compileSafeRegex('^(a+)+$', { ignoreCase: false });
    assert.ok(strict.ok);
    assert.equal(strict.regex.test('AAAA'), false);
  });

  it('groups, named groups and Unicode escapes as in JavaScript', () => {
    const c = compileSafeRegex('^(?<n>\\d{1,2})-(x)?[^/]+$');
    assert.ok(c.ok);
    assert.deepEqual(c.regex.exec('05-Release'), ['05-Release', '05', undefined]);
    assert.equal(c.regex.exec('Release'), null);
    const u = compileSafeRegex('^\\u00e9t\\u00e9 gate$');
    assert.ok(u.ok);
    assert.equal(u.regex.test('ÉTÉ Gate'), true);
  });

  it('refuses look-around, back-references, syntax errors and oversized patterns with a reason', () => {
    const cases: [string, RegExp][] = [
      ['(?<=a)b', /look-ahead, look-behind or back-references/],
      ['a(?=b)', /look-ahead, look-behind or back-references/],
      ['(a)\\1', /look-ahead, look-behind or back-references/],
      ['(a', /missing closing \)/],
      ['[z-a]', /invalid character class range/],
      ['a{2000}', /invalid repeat count/],
      ['a'.repeat(1001), /longer than 1000 characters/],
    ];
    for (const [p, why] of cases) {
      const c = compileSafeRegex(p);
      assert.equal(c.ok, false, p);
      assert.match(c.ok ? '' : c.error, why, p);
    }
  });

  it('names the look-around or back-reference it refuses, as written, outside character classes', () => {
    const why = (p: string) => {
      const c = compileSafeRegex(p, { ignoreCase: false, multiline: true });
      return c.ok ? 'compiled' : c.error.replace(/ \(patterns run in a linear-time engine: .*\)$/, '');
    };
    assert.equal(why('(?<=foo)bar'), 'not a valid regular expression: look-behind `(?<=` is not supported');
    assert.equal(why('x(?<!foo)bar'), 'not a valid regular expression: look-behind `(?<!` is not supported');
    assert.equal(why('bar(?=foo)'), 'not a valid regular expression: look-ahead `(?=` is not supported');
    assert.equal(why('bar(?!foo)'), 'not a valid regular expression: look-ahead `(?!` is not supported');
    assert.equal(why('(a)\\1'), 'not a valid regular expression: back-reference `\\1` is not supported');
    // In a class or escaped, the same characters are no such construct.
    assert.equal(
      why('[(?=]\\(?=((?<=x)'),
      'not a valid regular expression: look-behind `(?<=` is not supported',
    );
    assert.equal(why('[\\]1](a'), 'not a valid regular expression: missing closing ): `[\\]1](a`');
    // A named group is still one.
    assert.equal(why('(?<name>a)b'), 'compiled');
  });

  it('a refused pattern is quoted as written, without the flags it runs with', () => {
    for (const options of [
      {},
      { ignoreCase: false },
      { multiline: true },
      { ignoreCase: false, multiline: true },
    ]) {
      const c = compileSafeRegex('TODO(', options);
      assert.equal(c.ok, false);
      assert.equal(
        c.ok ? '' : c.error,
        'not a valid regular expression: missing closing ): `TODO(`',
        JSON.stringify(options),
      );
    }
    // A flag group the user wrote stays in the quote.
    const own = compileSafeRegex('(?i)x(', { multiline: true });
    assert.equal(own.ok ? '' : own.error, 'not a valid regular expression: missing closing ): `(?i)x(`');
  });

  it('settings: a refused pattern is named in a problem and the default is kept', () => {
    const { config, problems } = resolveConfig({
      'cdp.groups.gate': ['(?<=x)gate'],
      'cdp.groups.exit': ['(exit'],
      'cdp.phases.fileNamePattern': '^(\\d+)(?!x)',
    });
    assert.deepEqual(config.groups.gate, ['\\bgate$']);
    assert.deepEqual(config.groups.exit, ['^exit criteria$']);
    assert.equal(config.phases.fileNamePattern, '^(\\d{1,2})[-_][^/]+$');
    assert.equal(problems.length, 3);
    assert.match(
      problems[0],
      /^cdp\.groups\.exit: "\(exit" is not a valid regular expression: missing closing \)/,
    );
    assert.match(
      problems[1],
      /^cdp\.groups\.gate: "\(\?<=x\)gate" is not a valid regular expression.*; the default is used$/,
    );
    assert.match(problems[2], /^cdp\.phases\.fileNamePattern: .*look-ahead/);
  });

  it('a catastrophic pattern from settings against a 34-character heading: checked at once, with the right groups', async () => {
    const settings = {
      'cdp.groups.gate': ['^(a+)+$'],
      'cdp.phases.fileNamePattern': '^(\\d+)(-+[a-z]+)+$',
    };
    const { config } = resolveConfig(settings);
    const patterns = compilePatterns(config);
    assert.equal(patterns.gate[0].test(SUBJECT), false);
    const body = (heading: string) => `## ${heading}\n\n- [ ] one\n`;
    const t = performance.now();
    const r = await check(
      {
        // Phase from the file name (no metadata; a chain link shows it is one): one that
        // matches, one the pattern backtracks on.
        '01-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a.md': `# Alpha\n\n${body(SUBJECT)}\n## Next Phase\n\n[Bravo](02-b.md)\n`,
        '03-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1.md': `# Charlie\n\n${body('aaaa')}`,
        '02-b.md': phaseDoc({ title: 'Bravo', phase: '02', body: body('aaaa') }),
      },
      settings,
    );
    assert.ok(performance.now() - t < 10_000);
    const kinds = [...r.analysis.index.all()].map((e) => [e.rel, e.phase?.id, e.groups.map((g) => g.kind)]);
    assert.deepEqual(
      kinds.sort(),
      [
        ['01-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a.md', '01', ['checklist']],
        ['02-b.md', '02', ['gate']],
        ['03-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1.md', undefined, ['gate']],
      ].sort(),
    );
  });
});
