import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, parseDocument as yamlDocument } from 'yaml';
import { parseDocument } from '../../server/src/core/parse/document';
import {
  checkYamlLimits,
  parseYaml,
  parseYamlDocument,
  YAML_LIMITS,
} from '../../server/src/core/parse/yaml-guard';
import { rng } from '../helpers/markdown-gen';
import { deepYaml } from '../reliability/hostile-content';

describe('YAML guard', () => {
  it('refuses YAML nested too deep, in flow and block style, without parsing it', () => {
    for (const [name, src] of Object.entries(deepYaml())) {
      const r = checkYamlLimits(src);
      assert.ok(r, name);
      assert.match(r.message, /nested more than 100 levels/, name);
      assert.ok(r.offset > 0 && r.offset < src.length, name);
      const p = parseYaml(src);
      assert.equal(p.ok, false, name);
    }
  });

  it('refuses YAML larger than the limit', () => {
    const src = `a: "${'x'.repeat(YAML_LIMITS.maxChars)}"`;
    assert.match(checkYamlLimits(src)?.message ?? '', /larger than 1024 KB/);
    assert.equal(checkYamlLimits(src, { ...YAML_LIMITS, maxChars: src.length }), undefined);
  });

  it('lets ordinary and moderately nested YAML through, and parses it like the yaml package', () => {
    const ok = [
      'phase: 05\nname: Release\nprevious: "[[04-build]]"\nnext: [[06-run]]',
      // Brackets in quoted scalars, comments, plain scalars and block scalars are not nesting.
      `title: "${'['.repeat(500)}"\nother: '${'{'.repeat(500)} it''s'`,
      `# ${'['.repeat(500)}\na: 1 # ${'{'.repeat(500)}`,
      `note: see [[x and ${'['.repeat(500)}\nnext: 1`,
      `text: |\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 2)}line`).join('\n')}\nafter: 2`,
      `folded: >-\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 + ((i * 7) % 100))}x`).join('\n')}\nafter: 2`,
      // Nesting within the limit, each style.
      `x: ${'['.repeat(90)}1${']'.repeat(90)}`,
      `x: ${'{a: '.repeat(90)}1${'}'.repeat(90)}`,
      `x:\n${Array.from({ length: 90 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1`,
      `x:\n${'- '.repeat(90)}a`,
      'multi: "a\n  [[[[[[\n  b"\nnext: [1, [2, {c: [3]}]]',
    ];
    for (const src of ok) {
      assert.equal(checkYamlLimits(src), undefined, src.slice(0, 60));
      const r = parseYaml(src);
      assert.ok(r.ok, `${src.slice(0, 60)}: ${r.ok ? '' : r.error}`);
      assert.deepEqual(r.value, parse(src), src.slice(0, 60));
    }
  });

  it('syntax errors and alias bombs are errors, never exceptions', () => {
    const bad = parseYaml('a: [1\nb: "x');
    assert.equal(bad.ok, false);
    const names = 'abcdefghi';
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < names.length; i++) {
      lines.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill(`*${names[i - 1]}`)
          .join(',')}]`,
      );
    }
    const bomb = parseYaml(lines.join('\n'));
    assert.equal(bomb.ok, false);
    assert.match(bomb.ok ? '' : bomb.error, /alias/i);
  });

  it('a phase document with metadata nested too deep: an invalid-frontmatter error at the place, the body still read', () => {
    for (const [name, yaml] of Object.entries(deepYaml())) {
      for (const text of [
        `---\nphase: 01\n${yaml}\n---\n# A\n\n- [ ] task [[b]]\n`,
        `# A\n\n---\nphase: 01\n${yaml}\n---\n\n- [ ] task [[b]]\n`,
      ]) {
        const d = parseDocument('file:///w/01-a.md', text);
        assert.equal(d.metadata.errors.length, 1, name);
        assert.match(
          d.metadata.errors[0].message,
          /^Metadata not read: the YAML is nested more than 100 levels deep/,
        );
        assert.ok(d.metadata.errors[0].range.start.line >= 2, name);
        assert.deepEqual(d.metadata.data, {}, name);
        assert.deepEqual(
          d.tasks.map((t) => t.text),
          ['task [[b]]'],
          name,
        );
      }
    }
  });

  it('a metadata block larger than the limit is refused even when every line is simple', () => {
    // one simple `key: value` per line: the fast path could read it, the size limit still holds
    const lines = Array.from({ length: 40_000 }, (_, i) => `key${i}: ${'v'.repeat(20)}`);
    const d = parseDocument('file:///w/a.md', `---\n${lines.join('\n')}\n---\n# A\n`);
    assert.equal(d.metadata.errors.length, 1);
    assert.match(d.metadata.errors[0].message, /^Metadata not read: the YAML is larger than 1024 KB/);
    assert.deepEqual(d.metadata.data, {});
    // just under the limit it is read
    const small = parseDocument('file:///w/a.md', `---\n${lines.slice(0, 100).join('\n')}\n---\n# A\n`);
    assert.equal(small.metadata.errors.length, 0);
    assert.equal(Object.keys(small.metadata.data).length, 100);
  });
});

describe('unique keys of a long YAML text', () => {
  it("are checked in one pass with the parser's own errors: the same messages at the same places", () => {
    const r = rng(20261201);
    const keys = ['a', 'b', 'c', '1', '"1"', 'x y', "'a'", 'null', '~'];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    for (let k = 0; k < 200; k++) {
      const lines: string[] = [];
      for (let i = 0; i < 6; i++) {
        const key = pick(keys);
        if (r() < 0.3) lines.push(`${key}:`, `  ${pick(keys)}: 1`, `  ${pick(keys)}: 2`);
        else if (r() < 0.2) lines.push(`${key}: {${pick(keys)}: 1, ${pick(keys)}: 2}`);
        else lines.push(`${key}: v${i}`);
      }
      // (long enough for the one-pass check: unique keys after them)
      for (let i = 0; i < 1200; i++) lines.push(`pad${i}: value ${i}`);
      const src = `${lines.join('\n')}\n`;
      const ours = parseYamlDocument(src);
      assert.ok(ours.ok);
      const theirs = yamlDocument(src, {
        logLevel: 'error',
        prettyErrors: false,
        uniqueKeys: true,
        strict: true,
      });
      assert.deepEqual(
        ours.doc.errors.map((e) => [e.message, e.pos[0]]),
        theirs.errors.map((e) => [e.message, e.pos[0]]),
        src.slice(0, 200),
      );
    }
  });
});

describe('a metadata block of many YAML errors', () => {
  it('reports the first 20 and how many more, and leaves the stack trace limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const doc = parseDocument('file:///ws/a.md', `---\nartifacts: [${'[[a]] '.repeat(60)}]\n---\n# A\n`);
    assert.equal(Error.stackTraceLimit, limit);
    const errors = doc.metadata.errors.map((e) => e.message);
    assert.equal(errors.length, 21, errors.join('\n'));
    assert.match(errors[20], /^Invalid YAML: \d+ more errors in this block \(the first 20 are reported\)\.$/);
  });
});
