import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/core/edits';
import { parseConfirmations } from '../../server/src/core/gates/confirmations';
import { parseGateFile } from '../../server/src/core/gates/parse';
import { confirmationValueEdits, gateValueEdits, type Rewrite } from '../../server/src/core/gates/rewrite';
import { confirmationFile } from '../../server/src/core/gates/store';
import { gateRewrite } from '../../server/src/features/rename-gates';

/** `from` (a file or folder, relative to the workspace folder) moved to `to`. */
const moved = (from: string, to: string): Rewrite =>
  gateRewrite({ folder: 'file:///ws', moves: [{ from, to }] });

function rewritten(text: string, rewrite: Rewrite): { text: string; refused: number[] } {
  const { edits, refused } = gateValueEdits(text, rewrite);
  return { text: applyEdits(text, edits), refused };
}

const checks = (path: string, fallback: string) =>
  `exit_requirements:\n  automated:\n    - check: file_exists\n      path: ${path}\n      fallback_paths: ${fallback}\n`;

describe('gate file values after a move', () => {
  it('keeps each value in its quoting and quotes a new path YAML would read otherwise', () => {
    const rows: [string, string, string, string][] = [
      // written, new path, expected
      ['docs/a.md', 'docs/b.md', 'docs/b.md', 'plain stays plain'],
      ['"docs/a.md"', 'docs/b.md', '"docs/b.md"', 'double quotes'],
      ["'docs/a.md'", "docs/it's.md", "'docs/it''s.md'", 'single quotes double a quote'],
      ['"docs/a.md"', 'docs/a"b.md', '"docs/a\\"b.md"', 'double quotes escape one'],
      ['docs/a.md', 'docs/a: b.md', "'docs/a: b.md'", 'a colon and space would make a mapping'],
      ['docs/a.md', 'docs/a #b.md', "'docs/a #b.md'", 'space and # would start a comment'],
      ['docs/a.md', '@a.md', "'@a.md'", 'a reserved first character'],
      ['docs/a.md', 'docs/a, b.md', 'docs/a, b.md', 'a comma is plain text outside brackets'],
      ['./docs/a.md', 'docs/b.md', './docs/b.md', './ kept'],
      ['/docs/a.md', 'docs/b.md', '/docs/b.md', 'a leading / (the root) kept'],
      ['&p docs/a.md # the plan', 'docs/b.md', '&p docs/b.md # the plan', 'anchor and comment kept'],
    ];
    for (const [written, to, expected, why] of rows) {
      const text = checks(written, '[]');
      const after = rewritten(text, moved('docs/a.md', to));
      assert.equal(after.text, checks(expected, '[]'), why);
      assert.deepEqual(after.refused, [], why);
      assert.deepEqual(
        parseGateFile(after.text).groups[0].items[0].path,
        written.startsWith('./') ? `./${to}` : written.startsWith('/') ? `/${to}` : to,
        why,
      );
    }
  });

  it("a validation rule's path follows a move, as the gates' paths do", () => {
    const text =
      'exit_gates:\n  - criteria: PRD\n    evidence: docs/prd.md\nvalidation_rules:\n  - rule: metrics\n    description: Metrics quantified\n    path: docs/prd.md\n    pattern: "[0-9]+%"\n  - rule: unique\n    path: "docs/prd.md"\n    check: unique_ids\n';
    const after = rewritten(text, moved('docs/prd.md', 'docs/prd-v2.md'));
    assert.equal(after.text, text.replaceAll('docs/prd.md', 'docs/prd-v2.md'));
    assert.deepEqual(
      parseGateFile(after.text).groups[1].items.map((i) => [i.kind, i.path]),
      [
        ['check', 'docs/prd-v2.md'],
        ['manual', 'docs/prd-v2.md'],
      ],
    );
  });

  it('in a flow list a comma or bracket is quoted; globs, aliases and other paths are left alone', () => {
    const text = checks('*p', '[&p docs/a.md, docs/**/*.md, docs/a.md.bak, docs/a.md/x]');
    const after = rewritten(text, moved('docs/a.md', 'docs/a, [b].md'));
    assert.equal(
      after.text,
      checks('*p', "[&p 'docs/a, [b].md', docs/**/*.md, docs/a.md.bak, 'docs/a, [b].md/x']"),
    );
    assert.deepEqual(parseGateFile(after.text).groups[0].items[0].fallbackPaths, [
      'docs/a, [b].md',
      'docs/**/*.md',
      'docs/a.md.bak',
      'docs/a, [b].md/x',
    ]);
  });

  it('a glob moves with the folder its fixed part lies in; one above it stays; a new name that reads as a glob is refused', () => {
    const text = checks(
      'docs/02-design/adr/*.md',
      '[./docs/02-design/**/*.md, docs/**/*.md, docs/02-design*/x.md]',
    );
    const after = rewritten(text, moved('docs/02-design', 'docs/02-arch'));
    assert.equal(
      after.text,
      checks('docs/02-arch/adr/*.md', '[./docs/02-arch/**/*.md, docs/**/*.md, docs/02-design*/x.md]'),
    );
    assert.deepEqual(after.refused, []);
    const refused = rewritten(text, moved('docs/02-design', 'docs/02-[arch]'));
    assert.equal(refused.text, text);
    assert.deepEqual(refused.refused, [3, 4]);
  });

  it("a gates-list entry's `path` and `evidence` follow a move, whichever the entry is read by (its check through an alias too)", () => {
    const text =
      'exit_gates:\n  - criteria: Notes\n    check: &c file_exists\n    path: docs/a.md\n  - criteria: Other\n    check: *c\n    path: docs/a.md\n    evidence: docs/a.md#x\n';
    assert.equal(
      rewritten(text, moved('docs/a.md', 'docs/b.md')).text,
      'exit_gates:\n  - criteria: Notes\n    check: &c file_exists\n    path: docs/b.md\n  - criteria: Other\n    check: *c\n    path: docs/b.md\n    evidence: docs/b.md#x\n',
    );
  });

  it('a path written with backslashes moves and stays written with backslashes; with both separators, with /', () => {
    const text = checks(
      'docs\\helix\\01-frame\\prd.md',
      "['docs\\helix/01-frame\\prd.md', 'docs\\other.md']",
    );
    assert.equal(
      rewritten(text, moved('docs/helix/01-frame', 'docs/helix/01-scope')).text,
      checks('docs\\helix\\01-scope\\prd.md', "['docs/helix/01-scope/prd.md', 'docs\\other.md']"),
    );
    const evidence = "exit_gates:\n  - criteria: PRD\n    evidence: 'docs\\helix\\01-frame\\prd.md#prd'\n";
    assert.equal(
      rewritten(evidence, moved('docs/helix/01-frame/prd.md', 'docs/helix/01-frame/spec.md')).text,
      "exit_gates:\n  - criteria: PRD\n    evidence: 'docs\\helix\\01-frame\\spec.md#prd'\n",
    );
  });

  it('edits exact ranges in a file with CRLF line breaks; a block scalar is refused, not rewritten', () => {
    const text =
      'exit_gates:\r\n  - criteria: A\r\n    evidence: docs/a.md#goals\r\n  - criteria: B\r\n    evidence: >-\r\n      docs/a.md\r\n';
    const { edits, refused } = gateValueEdits(text, moved('docs', 'documents'));
    assert.deepEqual(edits, [
      {
        range: { start: { line: 2, character: 14 }, end: { line: 2, character: 29 } },
        newText: 'documents/a.md#goals',
      },
    ]);
    assert.deepEqual(refused, [4]);
    assert.deepEqual(
      gateValueEdits(text, moved('docs', 'documents')).blocks,
      [4],
      'said to be a block scalar',
    );
  });

  it('a path written through an alias or merged in is rewritten where it is written, once', () => {
    const text =
      'x-paths:\n  prd: &prd docs/a.md\n  base: &base\n    check: file_exists\n    path: docs/b.md\n' +
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: *prd\n    - check: file_exists\n      fallback_paths: [*prd]\n    - <<: *base\n' +
      'exit_gates:\n  - criteria: B\n    <<: *base\n';
    const after = rewritten(text, moved('docs', 'documents'));
    assert.deepEqual(after.refused, []);
    assert.equal(
      after.text,
      text
        .replace('&prd docs/a.md', '&prd documents/a.md')
        .replace('path: docs/b.md', 'path: documents/b.md'),
    );
    // The gate reader takes the new paths from there.
    assert.deepEqual(
      parseGateFile(after.text).groups.flatMap((g) => g.items.map((i) => i.path ?? i.fallbackPaths?.join())),
      ['documents/a.md', 'documents/a.md', 'documents/b.md', 'documents/b.md'],
    );
  });

  it('an evidence path that would not read back as that path (`#`) is refused; the evidence keeps its anchor', () => {
    const text = 'exit_gates:\n  - criteria: A\n    evidence: docs/a.md#goals\n';
    assert.deepEqual(rewritten(text, moved('docs/a.md', 'docs/a#1.md')), { text, refused: [2] });
    // A space is fine where the path ends in a file extension: it is read as a path still.
    assert.equal(
      rewritten(text, moved('docs/a.md', 'docs/my a.md')).text,
      'exit_gates:\n  - criteria: A\n    evidence: docs/my a.md#goals\n',
    );
    // A folder named with a space and no extension would read as prose: refused.
    const folder = 'exit_gates:\n  - criteria: A\n    evidence: docs/specs\n';
    assert.deepEqual(rewritten(folder, moved('docs/specs', 'docs/my specs')), { text: folder, refused: [2] });
    assert.equal(
      rewritten(text, moved('docs/a.md', 'docs/ü.md')).text,
      'exit_gates:\n  - criteria: A\n    evidence: docs/ü.md#goals\n',
    );
  });
});

describe('confirmations after a gate file moves', () => {
  it('follows entries written with ./, backslashes or // beside plain ones', () => {
    const rewrite = (f: string) =>
      confirmationFile(f) === 'docs/05/gate.yaml' ? 'docs/05-deploy/GATE.yaml' : undefined;
    const text =
      '- file: ./docs/05/GATE.yaml\n  item: a\n- file: docs/05/GATE.yaml\n  item: b\n- file: "docs\\\\05//GATE.yaml"\n  item: c\n- file: docs/06/GATE.yaml\n  item: d\n';
    const { edits, refused } = confirmationValueEdits(text, rewrite);
    assert.deepEqual(refused, []);
    assert.equal(edits.length, 3);
    assert.deepEqual(
      [...parseConfirmations(applyEdits(text, edits)).keys()],
      [
        'docs/05-deploy/gate.yaml\u0000a',
        'docs/05-deploy/gate.yaml\u0000b',
        'docs/05-deploy/gate.yaml\u0000c',
        'docs/06/gate.yaml\u0000d',
      ],
    );
    // Only entries written with ./: followed too.
    const dotted = '- file: ./docs/05/GATE.yaml\n  item: a\n';
    const only = confirmationValueEdits(dotted, rewrite);
    assert.deepEqual(only.refused, []);
    assert.equal(applyEdits(dotted, only.edits), '- file: docs/05-deploy/GATE.yaml\n  item: a\n');
  });

  it('rewrites the file of each confirmation naming it, in either list form', () => {
    const rewrite = (f: string) =>
      f.toLowerCase() === 'docs/05/gate.yaml' ? 'docs/05 deploy/GATE.yaml' : undefined;
    for (const text of [
      '- file: docs/05/GATE.yaml\n  item: "Staging ok"\n  by: "Jane"\n- file: docs/06/GATE.yaml\n  item: x\n',
      'confirmations:\n  - {file: "docs/05/GATE.yaml", item: "Staging ok", by: "Jane"}\n  - file: docs/06/GATE.yaml\n    item: x\n',
    ]) {
      const { edits, refused } = confirmationValueEdits(text, rewrite);
      assert.deepEqual(refused, []);
      assert.equal(edits.length, 1);
      const after = parseConfirmations(applyEdits(text, edits));
      assert.deepEqual(
        [...after.keys()],
        ['docs/05 deploy/gate.yaml\u0000Staging ok', 'docs/06/gate.yaml\u0000x'],
      );
      assert.equal(after.get('docs/05 deploy/gate.yaml\u0000Staging ok')?.by, 'Jane');
    }
  });
});
