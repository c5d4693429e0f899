import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseBodyRemark } from '../../server/src/core/parse/remark';
import { scanBody } from '../../server/src/core/parse/scanner';
import { LineIndex } from '../../server/src/core/text';
import type { BodySummary } from '../../server/src/core/types';
import { generateDocument } from '../helpers/markdown-gen';

/** What both parsers must agree on. */
function comparable(b: BodySummary) {
  return {
    headings: b.headings.map((h) => ({ level: h.level, text: h.text, line: h.line })),
    tasks: b.tasks.map((t) => ({ line: t.line, checked: t.checked, text: t.text, depth: t.depth })),
    links: b.links.map((l) => ({
      target: l.target,
      heading: l.heading,
      alias: l.alias,
      embed: l.embed,
      range: l.range,
    })),
  };
}

function compare(text: string, name: string): void {
  const fast = comparable(scanBody(text, new LineIndex(text)));
  const reference = comparable(parseBodyRemark(text));
  assert.deepEqual(fast, reference, `${name} differs:\n${JSON.stringify(text).slice(0, 2000)}`);
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const root = join(__dirname, '../..');

describe('scanner vs remark reference', () => {
  for (const [label, dir] of [
    ['CDP corpus', join(root, '../shared/corpus/ddx-cdp')],
    ['examples', join(root, 'examples')],
  ] as const) {
    it(`agrees on every .md under ${label}`, (t) => {
      if (!existsSync(dir)) {
        t.skip(`${dir} is absent: ${label} not compared`);
        return;
      }
      const files = markdownFiles(dir);
      assert.ok(files.length > 0, `no .md files under ${dir}`);
      let items = 0;
      for (const f of files) {
        const text = readFileSync(f, 'utf8').replace(/^\uFEFF/, '');
        compare(text, f);
        const b = scanBody(text, new LineIndex(text));
        items += b.headings.length + b.tasks.length + b.links.length;
      }
      t.diagnostic(`${files.length} files, ${items} headings/tasks/links compared`);
    });
  }

  it('agrees on 3,000 generated CDP-like documents', (t) => {
    let items = 0;
    for (let seed = 0; seed < 3_000; seed++) {
      const text = generateDocument(seed);
      compare(text, `seed ${seed}`);
      const b = scanBody(text, new LineIndex(text));
      items += b.headings.length + b.tasks.length + b.links.length;
    }
    // The generator must exercise what is compared.
    assert.ok(items > 100_000, `only ${items} items compared`);
    t.diagnostic(`${items} headings/tasks/links compared`);
  });

  it('generates the same document for the same seed, and different ones otherwise', () => {
    assert.equal(generateDocument(42), generateDocument(42));
    assert.notEqual(generateDocument(42), generateDocument(43));
  });
});
