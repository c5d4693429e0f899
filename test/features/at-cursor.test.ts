// The LSP features called in-process: each handler as a plain function over an in-memory
// context, no server process. Each case is data: the fixture (with `$$CURSOR$$` where the
// cursor is) and the result rendered compactly. The protocol itself is tested in test/lsp.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Range } from 'vscode-languageserver';
import { codeActions } from '../../server/src/features/code-actions';
import { completion } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { documentLinks } from '../../server/src/features/document-links';
import { hover } from '../../server/src/features/hover';
import { references } from '../../server/src/features/references';
import { prepareRename, rename } from '../../server/src/features/rename';
import { documentSymbols } from '../../server/src/features/symbols';
import { featureContext, type InProcess } from '../helpers/feature-context';

type Files = Record<string, string>;

/** `l:c-l:c`, 1-based. */
function span(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

async function at(files: Files, settings?: unknown, client?: object) {
  const f = await featureContext(files, { settings, client });
  if (!f.cursor) throw new Error('fixture has no $$CURSOR$$');
  const params = { textDocument: { uri: f.cursor.uri }, position: f.cursor.position };
  return { f, params };
}

/** Two documents linked to each other; most cases add to or change these. */
const BETA = '# Beta\n\n## Scope\n\nText of the scope.\n';

function loc(f: InProcess, l: { uri: string; range: Range }): string {
  return `${f.rel(l.uri)} ${span(l.range)}`;
}

describe('definition (in-process)', () => {
  async function check(files: Files, expected: string | null) {
    const { f, params } = await at(files);
    const r = await definition(f.ctx, params);
    assert.equal(r && (Array.isArray(r) ? r.map((l) => loc(f, l)).join(', ') : loc(f, r)), expected);
  }
  it('a link to a folder without README answers with its documents (directly in it, else below)', async () => {
    await check(
      {
        'a.md': '# A\n\nSee [design](docs/02-des$$CURSOR$$ign/).\n',
        'docs/02-design/b.md': '# B\n',
        'docs/02-design/a.md': '# A doc\n',
        'docs/02-design/adr/x.md': '# X\n',
      },
      'docs/02-design/a.md 1:3-1:8, docs/02-design/b.md 1:3-1:4',
    );
    await check(
      { 'a.md': '# A\n\nSee [adr](docs/des$$CURSOR$$ign/).\n', 'docs/design/adr/x.md': '# X\n' },
      'docs/design/adr/x.md 1:3-1:4',
    );
    // a folder of images only: nothing to open in an editor
    await check({ 'a.md': '# A\n\nSee [img](im$$CURSOR$$g/).\n', 'img/logo.png': 'png' }, null);
  });
  it('a link to a document lands on its title', () =>
    check({ 'a.md': '# A\n\nSee [[be$$CURSOR$$ta]].\n', 'beta.md': BETA }, 'beta.md 1:3-1:7'));
  it('a link to a heading lands on the heading', () =>
    check({ 'a.md': '# A\n\nSee [[beta#Sc$$CURSOR$$ope]].\n', 'beta.md': BETA }, 'beta.md 3:4-3:9'));
  it('a broken link has no definition', () =>
    check({ 'a.md': '# A\n\nSee [[go$$CURSOR$$ne]].\n', 'beta.md': BETA }, null));
  it('text outside a link has no definition', () =>
    check({ 'a.md': '# A\n\nS$$CURSOR$$ee [[beta]].\n', 'beta.md': BETA }, null));
});

describe('references (in-process)', () => {
  async function check(files: Files, includeDeclaration: boolean, expected: string[]) {
    const { f, params } = await at(files);
    const r = await references(f.ctx, { ...params, context: { includeDeclaration } });
    assert.deepEqual(r.map((l) => loc(f, l)).sort(), expected);
  }
  const linked = {
    'a.md': '# A\n\nSee [[beta]] and [[beta#Scope]].\n',
    'c.md': '# C\n\n- [[beta]]\n',
  };
  it('on a title: every link to the document', () =>
    check({ ...linked, 'beta.md': '# Be$$CURSOR$$ta\n\n## Scope\n' }, false, [
      'a.md 3:18-3:32',
      'a.md 3:5-3:13',
      'c.md 3:3-3:11',
    ]));
  it('on a heading, with its declaration: the heading and the links to it', () =>
    check({ ...linked, 'beta.md': '# Beta\n\n## Sco$$CURSOR$$pe\n' }, true, [
      'a.md 3:18-3:32',
      'beta.md 3:4-3:9',
    ]));
  it('on a link: the references of its target', () =>
    check({ 'a.md': '# A\n\n[[be$$CURSOR$$ta]]\n', 'c.md': '# C\n\n[[beta]]\n', 'beta.md': BETA }, false, [
      'a.md 3:1-3:9',
      'c.md 3:1-3:9',
    ]));
});

describe('hover (in-process)', () => {
  async function check(files: Files, expected: { range: string; value: RegExp } | null) {
    const { f, params } = await at(files);
    const h = await hover(f.ctx, params);
    if (expected === null) return assert.equal(h, null);
    assert.ok(h?.range && typeof h.contents === 'object' && 'value' in h.contents, 'a markdown hover');
    assert.equal(span(h.range), expected.range);
    assert.match(h.contents.value, expected.value);
  }
  it('a link: the title, path and start of the target', () =>
    check(
      { 'a.md': '# A\n\nSee [[be$$CURSOR$$ta]].\n', 'beta.md': BETA },
      { range: '3:5-3:13', value: /^\*\*Beta\*\*\n\nbeta\.md\n[\s\S]*## Scope/ },
    ));
  it('a heading link: the text under that heading', () =>
    check(
      { 'a.md': '# A\n\n[[beta#Sc$$CURSOR$$ope]]\n', 'beta.md': BETA },
      { range: '3:1-3:15', value: /```markdown\nText of the scope\.\n```/ },
    ));
  it('a broken link says so', () =>
    check(
      { 'a.md': '# A\n\n[[nowh$$CURSOR$$ere]]\n', 'beta.md': BETA },
      { range: '3:1-3:12', value: /nowhere/ },
    ));
  it('plain text: no hover', () => check({ 'a.md': '# A\n\nPl$$CURSOR$$ain.\n' }, null));
});

describe('completion (in-process)', () => {
  async function check(files: Files, expected: { label: string; insert: string }[]) {
    const { f, params } = await at(files);
    const r = await completion(f.ctx, params);
    const items = Array.isArray(r) ? r : r.items;
    assert.deepEqual(
      items.map((i) => ({
        label: i.label,
        insert: i.textEdit && 'range' in i.textEdit ? `${span(i.textEdit.range)} ${i.textEdit.newText}` : '',
      })),
      expected,
    );
  }
  const docs = { 'beta.md': BETA, 'gamma.md': '# Gamma\n' };
  it('after [[: the documents, closing the link', () =>
    check({ ...docs, 'a.md': '# A\n\n[[be$$CURSOR$$\n' }, [{ label: 'beta', insert: '3:3-3:5 beta]]' }]));
  it('after [[name#: the headings of that document', () =>
    check({ ...docs, 'a.md': '# A\n\n[[beta#$$CURSOR$$]]\n' }, [
      { label: 'Scope', insert: '3:8-3:8 Scope' },
    ]));
  it('outside a link: nothing', () => check({ ...docs, 'a.md': '# A\n\nbe$$CURSOR$$\n' }, []));
});

describe('document links (in-process)', () => {
  async function check(files: Files, expected: string[], client?: object) {
    const { f, params } = await at(files, undefined, client);
    const r = await documentLinks(f.ctx, params);
    assert.deepEqual(
      r.map((l) => `${span(l.range)} ${l.target?.replace('file:///ws/', '')}`),
      expected,
    );
  }
  it('resolved links open their target; broken ones are no links', () =>
    check({ 'a.md': '$$CURSOR$$# A\n\n[[beta]] [[gone]] [[beta#Scope]]\n', 'beta.md': BETA }, [
      '3:3-3:7 beta.md',
      '3:21-3:25 beta.md',
    ]));
  it('a heading link opens its line for a client that accepts #L', () =>
    check({ 'a.md': '$$CURSOR$$# A\n\n[[beta#Scope]]\n', 'beta.md': BETA }, ['3:3-3:7 beta.md#L3'], {
      lineFragmentLinks: true,
    }));
  it('a link to another file opens that file', () =>
    check({ 'a.md': '$$CURSOR$$# A\n\n[[notes.txt]]\n', 'notes.txt': 'n' }, ['3:3-3:12 notes.txt']));
  it('a link to a folder without README is no link to open (an editor cannot open a folder)', () =>
    check(
      {
        'a.md': '$$CURSOR$$# A\n\n[d](docs/design/) [r](docs/guide/) [[docs/design]]\n',
        'docs/design/x.md': '# X\n',
        'docs/guide/README.md': '# Guide\n',
      },
      ['3:23-3:34 docs/guide/README.md'],
    ));
});

describe('document symbols (in-process)', () => {
  type Sym = { name: string; children?: Sym[]; range: Range };
  const render = (s: Sym[]): string[] =>
    s.flatMap((x) => [`${x.name} ${span(x.range)}`, ...render(x.children ?? []).map((c) => `  ${c}`)]);
  async function check(files: Files, expected: string[]) {
    const { f, params } = await at(files);
    assert.deepEqual(render(await documentSymbols(f.ctx, params)), expected);
  }
  it('the title holds the headings, nested by level', () =>
    check({ 'a.md': '$$CURSOR$$# A\n\n## One\n\n### Deep\n\n## Two\n' }, [
      'A 1:1-8:1',
      '  One 3:1-6:1',
      '    Deep 5:1-6:1',
      '  Two 7:1-8:1',
    ]));
  it('a document without headings has no symbols', () => check({ 'a.md': '$$CURSOR$$Just text.\n' }, []));
});

describe('code actions (in-process)', () => {
  async function check(files: Files, lines: [number, number], expected: string[]) {
    const { f, params } = await at(files);
    const range = { start: { line: lines[0] - 1, character: 0 }, end: { line: lines[1] - 1, character: 0 } };
    const r = await codeActions(f.ctx, {
      textDocument: params.textDocument,
      range,
      context: { diagnostics: [] },
    });
    assert.deepEqual(
      r.map((a) => {
        const edits = Object.entries(a.edit?.changes ?? {}).flatMap(([u, es]) =>
          es.map((e) => `${f.rel(u)} ${span(e.range)} ${JSON.stringify(e.newText)}`),
        );
        return `${a.title}: ${edits.join('; ')}`;
      }),
      expected,
    );
  }
  const doc = '$$CURSOR$$# A\n\n- [ ] open task\n- [x] done task\n';
  it('an open task can be marked done', () =>
    check({ 'a.md': doc }, [3, 3], ['Mark criterion as done: a.md 3:4-3:5 "x"']));
  it('a done task can be marked not done', () =>
    check({ 'a.md': doc }, [4, 4], ['Mark criterion as not done: a.md 4:4-4:5 " "']));
  it('a line without a task offers nothing', () => check({ 'a.md': doc }, [1, 1], []));
  it("a malformed checkbox: the rule's quick fix, with its exact edit", () =>
    check(
      { 'a.md': '$$CURSOR$$# A\n\n- [] broken task\n' },
      [3, 3],
      ['Change to `- [ ]`: a.md 3:1-3:5 "- [ ]"'],
    ));
});

describe('rename (in-process)', () => {
  async function checkPrepare(files: Files, expected: string) {
    const { f, params } = await at(files);
    const r = await prepareRename(f.ctx, params);
    assert.ok(r, 'something to rename');
    assert.equal(`${span(r.range)} ${r.placeholder}`, expected);
  }
  async function check(files: Files, newName: string, expected: string[], client?: object) {
    const { f, params } = await at(files, undefined, client);
    const r = await rename(f.ctx, { ...params, newName });
    const out: string[] = [];
    for (const [u, es] of Object.entries(r.changes ?? {})) {
      for (const e of es) out.push(`${f.rel(u)} ${span(e.range)} ${e.newText}`);
    }
    for (const c of r.documentChanges ?? []) {
      if ('kind' in c && c.kind === 'rename') out.push(`move ${f.rel(c.oldUri)} → ${f.rel(c.newUri)}`);
      else if ('edits' in c) {
        for (const e of c.edits) out.push(`${f.rel(c.textDocument.uri)} ${span(e.range)} ${e.newText}`);
      }
    }
    assert.deepEqual(out.sort(), expected);
  }
  const linked = { 'a.md': '# A\n\n[[beta]] and [[beta#Scope]]\n' };

  it('prepare on a link: its target text', () =>
    checkPrepare({ 'a.md': '# A\n\n[[be$$CURSOR$$ta]]\n', 'beta.md': BETA }, '3:3-3:7 beta'));
  it('prepare on a heading: the heading text', () =>
    checkPrepare({ ...linked, 'beta.md': '# Beta\n\n## Sc$$CURSOR$$ope\n' }, '3:4-3:9 Scope'));
  it('prepare on plain text is refused', async () => {
    const { f, params } = await at({ 'a.md': '# A\n\nPl$$CURSOR$$ain.\n' });
    await assert.rejects(prepareRename(f.ctx, params));
  });
  it('a heading: the heading and every link to it', () =>
    check({ ...linked, 'beta.md': '# Beta\n\n## Sc$$CURSOR$$ope\n' }, 'Range', [
      'a.md 3:21-3:26 Range',
      'beta.md 3:4-3:9 Range',
    ]));
  it('a document: the file moves and every link follows', () =>
    check(
      { ...linked, 'beta.md': BETA, 'c.md': '# C\n\n[[be$$CURSOR$$ta]]\n' },
      'delta',
      ['a.md 3:16-3:20 delta', 'a.md 3:3-3:7 delta', 'c.md 3:3-3:7 delta', 'move beta.md → delta.md'],
      { documentChanges: true, renameFiles: true },
    ));
  it('a document in an editor that cannot rename files is refused', async () => {
    const { f, params } = await at({ 'beta.md': BETA, 'c.md': '# C\n\n[[be$$CURSOR$$ta]]\n' });
    await assert.rejects(rename(f.ctx, { ...params, newName: 'delta' }), /cannot rename files/);
  });
});
