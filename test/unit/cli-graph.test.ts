// `cdp graph` and the id rules in `cdp check`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';

const doc = (id: string, deps: string[], body = '') =>
  `---\nddx:\n  id: ${id}\n  type: spec\n${deps.length ? `  depends_on:\n${deps.map((d) => `    - ${d}\n`).join('')}` : ''}---\n# Title of ${id}\n\n${body}\n`;

const files = {
  'a.md': doc('A', ['B', 'C'], 'See [[notes]].'),
  'b.md': doc('B', ['C']),
  'c.md': doc('C', []),
  'd.md': doc('D', ['A']),
  'notes.md': '# Notes "quoted"\n',
};

describe('cdp graph', () => {
  it('prints every document and edge as JSON by default', async () => {
    const root = tempWorkspace(files);
    const r = await run(['graph', root]);
    assert.equal(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout);
    assert.equal(g.version, 1);
    assert.deepEqual(
      g.nodes.map((n: { key: string }) => n.key),
      ['A', 'B', 'C', 'D', 'notes.md'],
    );
    assert.deepEqual(g.nodes[0], { key: 'A', id: 'A', file: 'a.md', title: 'Title of A', type: 'spec' });
    assert.deepEqual(
      g.edges.map((e: { from: string; to: string; kind: string }) => `${e.from}>${e.to}:${e.kind}`),
      ['A>B:depends_on', 'A>C:depends_on', 'A>notes.md:link', 'B>C:depends_on', 'D>A:depends_on'],
    );
  });

  it('draws a depends_on entry written as a wikilink once, as a dependency', async () => {
    const root = tempWorkspace({
      'a.md': doc('A', []),
      'b.md': '---\nddx:\n  id: B\n  depends_on: ["[[A]]", "[[C|see C]]"]\n---\n# B\n\nBody link to [[A]].\n',
      'c.md': doc('C', []),
    });
    const g = JSON.parse((await run(['graph', root])).stdout);
    // The body link to A is a link of its own; the metadata entries are dependencies only.
    assert.deepEqual(
      g.edges.map((e: { from: string; to: string; kind: string }) => `${e.from}>${e.to}:${e.kind}`),
      ['B>A:depends_on', 'B>C:depends_on', 'B>A:link'],
    );
    const dot = (await run(['graph', root, '--format', 'dot'])).stdout;
    assert.equal(dot.split('\n').filter((l) => l.includes('"B" -> "C"')).length, 1, dot);
  });

  it('gives every document a key of its own when ids repeat or name another document', async () => {
    const root = tempWorkspace({
      'c.md': doc('C', []),
      'c2.md': doc('C', [], 'See [[C]].'),
      'd.md': doc('b.md', ['C']),
      'b.md': '# Plain\n',
    });
    const r = await run(['graph', root]);
    assert.equal(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout);
    assert.deepEqual(
      g.nodes.map((n: { key: string; file: string }) => `${n.key}=${n.file}`),
      ['b.md=b.md', 'C=c.md', 'c2.md=c2.md', 'd.md=d.md'],
    );
    // Dependencies and links by the id reach the first document that declares it.
    assert.deepEqual(
      g.edges.map((e: { from: string; to: string }) => `${e.from}>${e.to}`),
      ['c2.md>C', 'd.md>C'],
    );
    const mermaid = (await run(['graph', root, '--format', 'mermaid'])).stdout;
    assert.equal(new Set([...mermaid.matchAll(/^ {2}(n\d+)\[/gm)].map((m) => m[1])).size, 4);
  });

  it('starts from an id and follows outgoing edges to a depth', async () => {
    const root = tempWorkspace(files);
    const one = JSON.parse((await run(['graph', root, '--id', 'D', '--depth', '1'])).stdout);
    assert.deepEqual(
      one.nodes.map((n: { key: string }) => n.key),
      ['D', 'A'],
    );
    const all = JSON.parse((await run(['graph', root, '--id=D'])).stdout);
    assert.deepEqual(
      all.nodes.map((n: { key: string }) => n.key),
      ['D', 'A', 'B', 'C', 'notes.md'],
    );
    const unknown = await run(['graph', root, '--id', 'NOPE']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no document has the id "NOPE"/);
    const bad = await run(['graph', root, '--depth', 'x']);
    assert.equal(bad.code, 2);
    assert.match(
      (await run(['graph', root, '--format', 'html'])).stderr,
      /--format must be json, dot, mermaid/,
    );
  });

  it('an id two documents declare starts nothing: it is ambiguous, and each is named by its path', async () => {
    const product = (p: string) => ({
      [`products/${p}/docs/helix/02-design/arch.md`]: doc('helix.arch', ['helix.prd']),
      [`products/${p}/docs/helix/01-frame/prd.md`]: doc('helix.prd', []),
    });
    const root = tempWorkspace({ ...product('a'), ...product('b') });
    const r = await run(['graph', root, '--id', 'helix.arch']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr.trim(),
      'cdp: the id "helix.arch" is ambiguous: 2 documents declare it (products/a/docs/helix/02-design/arch.md, products/b/docs/helix/02-design/arch.md); name the one to start from by its path',
    );
    // By its path, each product's document starts its own graph.
    const b = await run(['graph', root, '--id', 'products/b/docs/helix/02-design/arch.md']);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(
      JSON.parse(b.stdout).nodes.map((n: { file: string }) => n.file),
      ['products/b/docs/helix/02-design/arch.md', 'products/b/docs/helix/01-frame/prd.md'],
    );
  });

  it("an id a library template declares too starts from the project's document", async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/prd.md': doc('helix.prd', []),
      'docs/helix/02-design/arch.md': doc('helix.arch', ['helix.prd']),
      'workflows/helix/phases/01-frame/README.md': '# Phase 01: Frame\n',
      'workflows/helix/phases/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: PRD\n    evidence: docs/helix/01-frame/prd.md\n',
      'workflows/helix/phases/01-frame/artifacts/prd/template.md': doc('helix.prd', []),
      'workflows/helix/workflow.yml': 'name: helix\n',
    });
    const r = await run(['graph', root, '--id', 'helix.prd']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).nodes.map((n: { file: string }) => n.file),
      ['docs/helix/01-frame/prd.md'],
    );
  });

  it('writes Graphviz dot and Mermaid with quotes escaped and links marked', async () => {
    const root = tempWorkspace(files);
    const dot = (await run(['graph', root, '--format', 'dot'])).stdout;
    assert.match(dot, /^digraph documents \{/);
    assert.match(dot, /"A" \[label="A\\nTitle of A"\];/);
    assert.match(dot, /"notes\.md" \[label="Notes \\"quoted\\""\];/);
    assert.match(dot, /"A" -> "B";/);
    assert.match(dot, /"A" -> "notes\.md" \[style=dashed\];/);
    const mermaid = (await run(['graph', root, '--format', 'mermaid'])).stdout;
    assert.match(mermaid, /^flowchart LR\n/);
    assert.match(mermaid, /n4\["Notes #quot;quoted#quot;"\]/);
    assert.match(mermaid, /n0 --> n1/);
    assert.match(mermaid, /n0 -\.-> n4/);
    // Entities and markup in titles show as written, never as Mermaid entities or HTML.
    const marked = tempWorkspace({ 'x.md': '# C# #quot; <b>bold</b> & more\n' });
    const label = (await run(['graph', marked, '--format', 'mermaid'])).stdout;
    assert.match(label, /n0\["C#35; #35;quot; #lt;b#gt;bold#lt;\/b#gt; #amp; more"\]/);
    assert.doesNotMatch(label, /<b>/);
    // Graphviz reads character references in labels: a title's `&` is written as `&amp;`.
    const refs = tempWorkspace({ 'x.md': '# Q&amp;A &#10; split\n' });
    assert.match(
      (await run(['graph', refs, '--format', 'dot'])).stdout,
      /\[label="Q&amp;amp;A &amp;#10; split"\];/,
    );
    // A title between backticks is no Mermaid markdown string.
    const ticks = tempWorkspace({ 'x.md': '# `**bold** and _it_`\n' });
    assert.match(
      (await run(['graph', ticks, '--format', 'mermaid'])).stdout,
      /n0\["#96;\*\*bold\*\* and _it_#96;"\]/,
    );
    // Two documents of one title (a template and its instance) are told apart by their files.
    const twice = tempWorkspace({
      'tpl/01-plan.md': '# Plan\n',
      'work/01-plan.md': '# Plan\n',
      'x.md': '# Other\n',
    });
    const both = (await run(['graph', twice, '--format', 'mermaid'])).stdout;
    assert.match(both, /\["Plan \(tpl\/01-plan\.md\)"\]/);
    assert.match(both, /\["Plan \(work\/01-plan\.md\)"\]/);
    assert.match(both, /\["Other"\]/);
    const dotTwice = (await run(['graph', twice, '--format', 'dot'])).stdout;
    assert.match(dotTwice, /label="Plan \(tpl\/01-plan\.md\)"/);
  });

  it('draws a document depending on itself as an edge to itself; a link to itself is none', async () => {
    const root = tempWorkspace({
      'f4.md': '---\nddx:\n  id: FEAT-4\n  depends_on: [FEAT-4, FEAT-5]\n---\n# Four\n\nSee [[FEAT-4]].\n',
      'f5.md': '---\nddx:\n  id: FEAT-5\n---\n# Five\n',
    });
    const dot = (await run(['graph', root, '--format', 'dot'])).stdout;
    assert.deepEqual(
      dot
        .split('\n')
        .filter((l) => l.includes('->'))
        .map((l) => l.trim()),
      ['"FEAT-4" -> "FEAT-4";', '"FEAT-4" -> "FEAT-5";'],
    );
  });

  it('labels a node with its id once when its title begins with it', async () => {
    const root = tempWorkspace({
      'f1.md': '---\nddx:\n  id: FEAT-1\n---\n# FEAT-1: Import\n',
      'f12.md': '---\nddx:\n  id: FEAT-12\n---\n# FEAT-12 Export\n',
      'f2.md': '---\nddx:\n  id: FEAT-2\n---\n# FEAT-20 is another\n',
      'f3.md': '---\nddx:\n  id: FEAT-3\n---\n# FEAT-3\n',
    });
    const mermaid = (await run(['graph', root, '--format', 'mermaid'])).stdout;
    assert.match(mermaid, /\["FEAT-1: Import"\]/);
    assert.match(mermaid, /\["FEAT-12 Export"\]/);
    // a title that only begins with the same characters keeps the id
    assert.match(mermaid, /\["FEAT-2: FEAT-20 is another"\]/);
    assert.match(mermaid, /\["FEAT-3"\]/);
    const dot = (await run(['graph', root, '--format', 'dot'])).stdout;
    assert.match(dot, /"FEAT-1" \[label="FEAT-1: Import"\];/);
    assert.match(dot, /"FEAT-2" \[label="FEAT-2\\nFEAT-20 is another"\];/);
  });
});

describe('cdp check with ids', () => {
  it('reports the id rules', async () => {
    const root = tempWorkspace({
      'a.md': doc('A', ['B', 'GONE']),
      'b.md': doc('B', ['A']),
      'c.md': doc('A', []),
    });
    const r = await run(['check', root, '--format', 'json']);
    const codes = JSON.parse(r.stdout).diagnostics.map(
      (d: { file: string; code: string }) => `${d.file} ${d.code}`,
    );
    for (const want of [
      'a.md duplicate-id',
      'c.md duplicate-id',
      'a.md missing-dependency',
      'a.md dependency-cycle',
      'b.md dependency-cycle',
    ])
      assert.ok(codes.includes(want), `${want} in ${codes.join(', ')}`);
    assert.equal(r.code, 1, 'duplicate-id is an error');
  });
});
