// DDX ids: definition, references, hover, document links, completion and rename on
// `[[ID]]` links, `id:` values and `depends_on` entries, called in-process (no server
// process). The re-check of dependent documents after an edit is tested over stdio in
// test/lsp/ids.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CompletionItem,
  CompletionList,
  DocumentLink,
  Hover,
  Location,
  MarkupContent,
  Range,
  SymbolInformation,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyText, posOf } from '../helpers/disk-edits';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { check } from '../helpers/memory-workspace';
import { CAPABILITIES } from '../lsp/client';

async function start(files: Record<string, string>) {
  const client = await featureContext(files, { capabilities: CAPABILITIES, openAll: false });
  return { client, uri: client.uri, rel: client.rel };
}

function req<R>(client: InProcess, method: string, params: unknown): Promise<R> {
  return client.request<R>(method, params);
}

const prd =
  '---\nddx:\n  id: helix.prd\n  type: prd\n  status: approved\n  review:\n    at: 2026-01-01\n---\n# Product Requirements\n\n## Goals\n';
const feat = [
  '---',
  'ddx:',
  '  id: FEAT-004',
  '  depends_on:',
  '    - helix.prd',
  "    - 'ADR-003'",
  '---',
  '# Login',
  '',
  'Built on [[helix.prd#Goals]] and [[ADR-003|the decision]].',
  '',
].join('\n');
const adr = '---\ndun:\n  id: ADR-003\n  depends_on: helix.prd\n---\n# Use tokens\n\nSee [[FEAT-004]].\n';
// A file named like an id: the id wins.
const decoy = '# Not the PRD\n';

/** The files after a rename's text edits (`rel` maps a URI to its file). */
function applied(
  files: Record<string, string>,
  edit: WorkspaceEdit,
  rel: (uri: string) => string,
): Record<string, string> {
  const after = { ...files };
  for (const c of (edit.documentChanges ?? []) as TextDocumentEdit[])
    after[rel(c.textDocument.uri)] = applyText(after[rel(c.textDocument.uri)], c.edits);
  return after;
}

const files = {
  'docs/prd.md': prd,
  'docs/features/login.md': feat,
  'docs/adr/003-tokens.md': adr,
  'notes/helix.prd.md': decoy,
};

/** Two products each declaring FEAT-001 and helix.prd, and a third declaring neither (QUILL-001 its own). */
function threeProducts(): Record<string, string> {
  const mono: Record<string, string> = {};
  for (const p of ['ledger', 'beacon']) {
    mono[`products/${p}/docs/helix/01-frame/prd.md`] = `---\nddx:\n  id: helix.prd\n---\n# ${p} PRD\n`;
    mono[`products/${p}/docs/helix/01-frame/features/FEAT-001-login.md`] =
      `---\nddx:\n  id: FEAT-001\n  depends_on:\n    - helix.prd\n---\n# ${p} login\n`;
  }
  mono['products/quill/docs/notes.md'] = '# Notes\n';
  mono['products/quill/docs/spec.md'] = '---\nddx:\n  id: QUILL-001\n---\n# Spec\n';
  return mono;
}

describe('ids', () => {
  it('definition: a [[ID]] link and a depends_on entry go to the document with that id', async () => {
    const { client, uri, rel } = await start(files);
    const fromLink = await req<Location>(client, 'textDocument/definition', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(feat, '[[ADR-003', 3),
    });
    assert.equal(rel(fromLink.uri), 'docs/adr/003-tokens.md');
    const fromDep = await req<Location>(client, 'textDocument/definition', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(feat, '- helix.prd', 4),
    });
    assert.equal(rel(fromDep.uri), 'docs/prd.md');
    assert.equal(fromDep.range.start.line, 8, 'lands on the title');
    const quoted = await req<Location>(client, 'textDocument/definition', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(feat, "'ADR-003'", 2),
    });
    assert.equal(rel(quoted.uri), 'docs/adr/003-tokens.md');
  });

  it('references: on the id: value and on a depends_on entry, links and dependencies both', async () => {
    const { client, uri, rel } = await start(files);
    const expected = ['docs/adr/003-tokens.md:3', 'docs/features/login.md:4', 'docs/features/login.md:9'];
    const list = (locs: Location[]) => locs.map((l) => `${rel(l.uri)}:${l.range.start.line}`).sort();
    const onId = await req<Location[]>(client, 'textDocument/references', {
      textDocument: { uri: uri('docs/prd.md') },
      position: posOf(prd, 'helix.prd', 2),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(list(onId), expected);
    const onDep = await req<Location[]>(client, 'textDocument/references', {
      textDocument: { uri: uri('docs/adr/003-tokens.md') },
      position: posOf(adr, 'depends_on: helix.prd', 14),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(list(onDep), [...expected, 'docs/prd.md:2']);
  });

  it('references: a depends_on entry written as a wikilink is one reference', async () => {
    const forms: Record<string, string> = {
      'f/feat2.md': '---\nddx:\n  id: FEAT-2\n---\n# Feat two\n',
      'f/a.md': '---\nddx:\n  id: A-1\n  depends_on: [helix.x, "[[FEAT-2]]"]\n---\n# A\n',
    };
    const { client, uri, rel } = await start(forms);
    const found = await req<Location[]>(client, 'textDocument/references', {
      textDocument: { uri: uri('f/feat2.md') },
      position: posOf(forms['f/feat2.md'], 'FEAT-2', 2),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      found.map((l) => `${rel(l.uri)}:${l.range.start.line}`),
      ['f/a.md:3'],
    );
  });

  it('hover on an id link: title, id, type, status, dependencies both ways and the review stamp', async () => {
    const { client, uri } = await start(files);
    const h = await req<Hover>(client, 'textDocument/hover', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(feat, '[[helix.prd', 4),
    });
    const v = (h.contents as MarkupContent).value;
    assert.match(v, /\*\*Product Requirements\*\*/);
    assert.match(v, /id `helix\.prd` · type prd · status approved/);
    assert.match(v, /Depended on by \(2\): ADR-003, FEAT-004/);
    assert.match(v, /Review:\n\n```yaml\nat: 2026-01-01\n```/);
    const onDep = await req<Hover>(client, 'textDocument/hover', {
      textDocument: { uri: uri('docs/adr/003-tokens.md') },
      position: posOf(adr, '[[FEAT-004', 4),
    });
    assert.match((onDep.contents as MarkupContent).value, /Depends on \(2\): helix\.prd, ADR-003/);
  });

  it('hover tells apart dependents sharing an id by their paths, and marks an id no document has', async () => {
    const us = '---\nddx:\n  id: US-7\n  depends_on: [FEAT-1, US-GONE]\n---\n# Story\n';
    const { client, uri } = await start({
      'docs/feat.md': '---\nddx:\n  id: FEAT-1\n---\n# Feature\n',
      'docs/us-7.md': us,
      // (a copy not given its own id)
      'docs/us-9.md': us,
      'docs/us-8.md': '---\nddx:\n  id: US-8\n  depends_on: [FEAT-1, US-GONE]\n---\n# Other story\n',
      'docs/notes.md': '# N\n\n[[FEAT-1]] [[US-8]]\n',
    });
    const hover = async (rel: string, text: string, at: string) =>
      (
        (
          await req<Hover>(client, 'textDocument/hover', {
            textDocument: { uri: uri(rel) },
            position: posOf(text, at, 3),
          })
        ).contents as MarkupContent
      ).value;
    const notes = '# N\n\n[[FEAT-1]] [[US-8]]\n';
    const feat = await hover('docs/notes.md', notes, '[[FEAT-1');
    // (parentheses escaped as markdown)
    assert.match(
      feat,
      /Depended on by \(3\): US-7 \\\(docs\/us-7\.md\\\), US-8, US-7 \\\(docs\/us-9\.md\\\)/,
    );
    const story = await hover('docs/notes.md', notes, '[[US-8');
    assert.match(story, /Depends on \(2\): FEAT-1, US-GONE \\\(no document has this id\\\)/);
  });

  it('document links for depends_on entries; workspace symbols find documents by id', async () => {
    const { client, uri, rel } = await start(files);
    const links = await req<DocumentLink[]>(client, 'textDocument/documentLink', {
      textDocument: { uri: uri('docs/features/login.md') },
    });
    const targets = links.map((l) => `${l.range.start.line}:${rel(l.target!)}`).sort();
    assert.deepEqual(targets, [
      '4:docs/prd.md',
      '5:docs/adr/003-tokens.md',
      '9:docs/adr/003-tokens.md',
      '9:docs/prd.md',
    ]);
    const symbols = await req<SymbolInformation[]>(client, 'workspace/symbol', { query: 'FEAT-004' });
    const hit = symbols.find((s) => s.name === 'FEAT-004');
    assert.ok(hit);
    assert.equal(rel(hit.location.uri), 'docs/features/login.md');
  });

  it('a depends_on entry written as a wikilink is one document link', async () => {
    const wl: Record<string, string> = {
      'd/feat5.md': '---\nddx:\n  id: FEAT-005\n---\n# Five\n',
      'd/a.md':
        '---\nddx:\n  id: A-1\n  depends_on:\n    - "[[FEAT-005]]"\n    - [[FEAT-005|five]]\n---\n# A\n\nSee [[FEAT-005]].\n',
    };
    const { client, uri, rel } = await start(wl);
    const links = await req<DocumentLink[]>(client, 'textDocument/documentLink', {
      textDocument: { uri: uri('d/a.md') },
    });
    assert.deepEqual(
      links
        .map(
          (l) =>
            `${l.range.start.line}:${l.range.start.character}-${l.range.end.character} ${rel(l.target!)}`,
        )
        .sort(),
      ['4:9-17 d/feat5.md', '5:8-16 d/feat5.md', '9:6-14 d/feat5.md'],
    );
  });

  it('completion after [[ ranks ids starting as typed first, then documents, then other ids, nearest first, 200 in all', async () => {
    const many: Record<string, string> = {
      'releases/q2/05-release.md': '# Release\n',
      'releases/q2/04-monitor.md': '# Monitor\n',
    };
    // 250 ids in other projects that hold "05" somewhere, none starting with it.
    for (let i = 0; i < 250; i++)
      many[`packages/p${i % 5}/docs/art-${i}.md`] =
        `---\nddx:\n  id: helix.p${i % 5}.art-${i}-05\n---\n# A ${i}\n`;
    many['packages/p0/docs/near.md'] = '---\nddx:\n  id: 05-near\n---\n# Near\n';
    many['releases/q2/own.md'] = '---\nddx:\n  id: 05-own\n---\n# Own\n';
    const { client, uri } = await start(many);
    const ask = async (text: string) => {
      await client.open(uri('releases/q2/04-monitor.md'), text);
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: uri('releases/q2/04-monitor.md') },
        position: posOf(text, '[[', 2 + text.length - text.indexOf('[[') - 2),
      });
      return list;
    };
    const typed = await ask('# Monitor\n\n[[05');
    const labels = typed.items.map((i) => i.label);
    // Ids that start with "05", the project's own first; then the document; then the rest.
    assert.deepEqual(labels.slice(0, 3), ['05-own', '05-near', '05-release']);
    const firstOther = labels.findIndex((l) => l.startsWith('helix.'));
    assert.ok(firstOther === -1 || firstOther > labels.indexOf('05-release'), labels.join(' '));
    assert.equal(typed.items.length, 200);
    assert.equal(typed.isIncomplete, true);
    assert.deepEqual(
      typed.items.map((i) => i.sortText),
      typed.items.map((_, i) => String(i).padStart(4, '0')),
    );
    // Nothing typed: the documents first.
    const empty = await ask('# Monitor\n\n[[');
    assert.equal(empty.items[0].label, '05-release');
    assert.equal(empty.items.length, 200);
  });

  it('completion of ids after [[ and inside depends_on', async () => {
    const { client, uri } = await start(files);
    const text = `${feat}\nAlso [[FE`;
    await client.open(uri('docs/features/login.md'), feat);
    await client.change(uri('docs/features/login.md'), [{ text }]);
    const afterBrackets = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(text, '[[FE', 4),
    });
    const first = afterBrackets.items[0];
    assert.equal(first.label, 'FEAT-004');
    assert.equal((first.textEdit as { newText: string }).newText, 'FEAT-004]]');
    const withItem = feat.replace("    - 'ADR-003'\n", "    - 'ADR-003'\n    - hel\n");
    await client.change(uri('docs/features/login.md'), [{ text: withItem }]);
    const inDeps = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(withItem, '- hel', 5),
    });
    assert.deepEqual(
      inDeps.items.map((i) => i.label),
      ['helix.prd'],
    );
    // (on the entry `- helix.prd`, the cursor after `hel`: the whole id is replaced)
    assert.deepEqual((inDeps.items[0].textEdit as { range: Range }).range, {
      start: posOf(withItem, '- hel', 2),
      end: posOf(withItem, '- hel', 11),
    });
    // The cursor inside the id: the rest of it is replaced too, in a block or a flow list.
    const inside = feat.replace("    - 'ADR-003'\n", "    - 'ADR-003'\n    - helix.XYZ\n");
    await client.change(uri('docs/features/login.md'), [{ text: inside }]);
    const mid = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(inside, '- helix.XYZ', 8),
    });
    assert.deepEqual((mid.items.find((i) => i.label === 'helix.prd')!.textEdit as { range: Range }).range, {
      start: posOf(inside, '- helix.XYZ', 2),
      end: posOf(inside, '- helix.XYZ', 11),
    });
  });

  it('completion of ids in a depends_on flow list still being typed (no YAML yet)', async () => {
    const { client, uri } = await start(files);
    for (const [line, typed] of [
      ['  depends_on: [hel', 'hel'],
      ['  depends_on: [ADR-003, hel', 'hel'],
      ['  depends_on: [ADR-003, ', ''],
      ['  depends_on: [', ''],
      // Entries written as quoted wikilinks, before it or the one typed.
      ['  depends_on: [ADR-003, "[[hel', 'hel'],
      ['  depends_on: ["[[ADR-003]]", "[[', ''],
      ['  depends_on: "[[hel', 'hel'],
    ] as const) {
      const text = feat.replace("  depends_on:\n    - helix.prd\n    - 'ADR-003'\n", `${line}\n`);
      assert.notEqual(text, feat);
      await client.open(uri('docs/features/login.md'), text);
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: uri('docs/features/login.md') },
        position: posOf(text, line, line.length),
      });
      assert.ok(
        list.items.some((i) => i.label === 'helix.prd'),
        `${line}: ${list.items.map((i) => i.label).join(', ')}`,
      );
      const edit = list.items.find((i) => i.label === 'helix.prd')!.textEdit as { range: Range };
      assert.deepEqual(edit.range.start, posOf(text, line, line.length - typed.length), line);
      // Ids only (no document by its file name or title), and not the document's own.
      for (const i of list.items)
        assert.ok(i.label === 'helix.prd' || i.label === 'ADR-003', `${line}: ${i.label}`);
    }
    // Outside the ddx block (another top-level key above), nothing.
    const other = feat.replace('ddx:\n  id: FEAT-004\n', 'ddx:\n  id: FEAT-004\nrefs:\n  depends_on: [hel\n');
    await client.open(uri('docs/features/login.md'), other);
    const none = await req<CompletionList | CompletionItem[]>(client, 'textDocument/completion', {
      textDocument: { uri: uri('docs/features/login.md') },
      position: posOf(other, 'depends_on: [hel', 16),
    });
    assert.ok(!(Array.isArray(none) ? none : none.items).some((i) => i.label === 'helix.prd'));
  });

  for (const [form, written, want] of [
    ['a quoted wikilink', '    - "[[hel|]]"', '    - "[[helix.prd]]"'],
    ['a wikilink', '    - [[hel|]]', '    - [[helix.prd]]'],
    ['a wikilink with an alias', '    - [[hel|ix.x|the PRD]]', '    - [[helix.prd|the PRD]]'],
    ['a flow map', '    - {id: hel|}', '    - {id: helix.prd}'],
    ['a quoted id in a flow map', "    - {id: 'hel|'}", "    - {id: 'helix.prd'}"],
    ['a block map', '    - id: hel|', '    - id: helix.prd'],
    // Still being typed: the link (and its quote) closed.
    ['an open quoted wikilink', '    - "[[hel|', '    - "[[helix.prd]]"'],
    ['an open wikilink in single quotes', "    - '[[hel|", "    - '[[helix.prd]]'"],
    ['an open wikilink', '    - [[hel|', '    - [[helix.prd]]'],
    ['a quoted wikilink closed by its quote only', '    - "[[hel|"', '    - "[[helix.prd]]"'],
    ['a quoted wikilink closed by its brackets only', '    - "[[hel|]]', '    - "[[helix.prd]]"'],
  ] as const) {
    it(`completion of ids in a depends_on item written as ${form}: one exact edit`, async () => {
      const { client, uri } = await start(files);
      const line = written.replace('|', '');
      const text = feat.replace("    - 'ADR-003'\n", `    - 'ADR-003'\n${line}\n`);
      await client.open(uri('docs/features/login.md'), text);
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: uri('docs/features/login.md') },
        position: posOf(text, line, written.indexOf('|')),
      });
      assert.deepEqual(
        list.items.map((i) => i.label),
        ['helix.prd'],
      );
      const after = applyText(text, [list.items[0].textEdit as { range: Range; newText: string }]);
      assert.equal(after, text.replace(line, want));
    });
  }

  it("completion offers a workflow definition's ids only inside the definition, and a project's only outside", async () => {
    const tpl = {
      'lib/01-frame.md': '---\ntemplate: true\n---\n# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'lib/feature.md': '---\nphase: 01-frame\nddx:\n  id: TPL-1\n---\n# Feature template\n\nSee [[TP',
      'docs/arch.md': '---\nddx:\n  id: ARCH-1\n---\n# Arch\n\nSee [[TP',
      'docs/own.md': '---\nddx:\n  id: TPX-2\n---\n# Own\n',
    };
    const { client, uri } = await start(tpl);
    const labels = async (rel: 'lib/feature.md' | 'docs/arch.md') => {
      await client.open(uri(rel), tpl[rel]);
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: uri(rel) },
        position: posOf(tpl[rel], '[[TP', 4),
      });
      return list.items.filter((i) => /^TP/.test(String(i.label))).map((i) => i.label);
    };
    assert.deepEqual(await labels('docs/arch.md'), ['TPX-2']);
    assert.deepEqual(await labels('lib/feature.md'), ['TPL-1']);
  });

  for (const [where, file, needle, at] of [
    ['the id: value', 'docs/prd.md', 'id: helix.prd', 6],
    ['a depends_on entry', 'docs/adr/003-tokens.md', 'depends_on: helix.prd', 14],
    ['a [[ID]] link', 'docs/features/login.md', '[[helix.prd#', 4],
    // Anywhere in the link but its heading part: the id is what the link names.
    ['the brackets of a [[ID#heading]] link', 'docs/features/login.md', 'Goals]]', 6],
    ['the opening brackets of a [[ID]] link', 'docs/features/login.md', '[[helix.prd#', 1],
  ] as const) {
    it(`rename on ${where}: the id, every [[id]] and every depends_on entry in one WorkspaceEdit`, async () => {
      const { client, uri, rel } = await start(files);
      const text = files[file];
      const prep = await req<{ range: Range; placeholder: string }>(client, 'textDocument/prepareRename', {
        textDocument: { uri: uri(file) },
        position: posOf(text, needle, at),
      });
      assert.equal(prep.placeholder, 'helix.prd');
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri(file) },
        position: posOf(text, needle, at),
        newName: 'helix.requirements',
      });
      const after: Record<string, string> = { ...files };
      const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
      assert.ok(
        changes.every((c) => 'textDocument' in c),
        'text edits only, no file rename',
      );
      for (const c of changes)
        after[rel(c.textDocument.uri)] = applyText(after[rel(c.textDocument.uri)], c.edits);
      assert.equal(after['docs/prd.md'], prd.replace('id: helix.prd', 'id: helix.requirements'));
      assert.equal(
        after['docs/features/login.md'],
        feat.replace('- helix.prd', '- helix.requirements').replace('[[helix.prd#', '[[helix.requirements#'),
      );
      assert.equal(
        after['docs/adr/003-tokens.md'],
        adr.replace('depends_on: helix.prd', 'depends_on: helix.requirements'),
      );
      assert.equal(after['notes/helix.prd.md'], decoy, 'a file named like the old id is not touched');
      // Nothing is lost: the same links and dependencies resolve after the rename.
      const c = await check(after);
      assert.deepEqual(
        [...c.of('broken-link'), ...c.of('missing-dependency'), ...c.of('broken-heading')],
        [],
      );
    });
  }

  it('rename rewrites depends_on entries written as wikilinks or maps, the id text alone, once each', async () => {
    const forms: Record<string, string> = {
      'f/feat2.md': '---\nddx:\n  id: FEAT-2\n---\n# Feat two\n',
      'f/a.md': '---\nddx:\n  id: A-1\n  depends_on: [[FEAT-2]]\n---\n# A\n',
      'f/b.md': '---\nddx:\n  id: B-1\n  depends_on: ["[[FEAT-2|two]]", {id: FEAT-2, note: x}]\n---\n# B\n',
      'f/c.md': '---\nddx:\n  id: C-1\n  depends_on:\n    - [[FEAT-2]]\n    - id: FEAT-2\n---\n# C\n',
    };
    const { client, uri, rel } = await start(forms);
    for (const f of ['f/a.md', 'f/b.md', 'f/c.md']) {
      const found = await req<Location | Location[] | null>(client, 'textDocument/definition', {
        textDocument: { uri: uri(f) },
        position: posOf(forms[f], 'FEAT-2', 2),
      });
      const first = Array.isArray(found) ? found[0] : found;
      assert.equal(first && rel(first.uri), 'f/feat2.md', f);
    }
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('f/feat2.md') },
      position: posOf(forms['f/feat2.md'], 'id: FEAT-2', 6),
      newName: 'FEAT-9',
    });
    const after = applied(forms, edit, rel);
    for (const f of Object.keys(forms)) assert.equal(after[f], forms[f].replaceAll('FEAT-2', 'FEAT-9'), f);
  });

  it('rename rewrites superseded_by and supersedes values naming the id, and the superseded-link hint follows', async () => {
    const adrs: Record<string, string> = {
      'd/adr-1.md': '---\nddx:\n  id: ADR-001\n  status: superseded\n  superseded_by: ADR-002\n---\n# Old\n',
      'd/adr-2.md':
        '---\nddx:\n  id: ADR-002\n  supersedes: [ADR-001, "ADR-000"]\n---\n# New\n\nReplaces [[ADR-001]].\n',
      'd/adr-0.md':
        "---\nddx:\n  id: ADR-000\n  status: superseded\n  superseded_by: 'ADR-002'\n---\n# Older\n",
      'd/uses.md': '---\nddx:\n  id: USE-1\n  depends_on: [ADR-001]\n---\n# Uses\n',
    };
    const { client, uri, rel } = await start(adrs);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('d/adr-2.md') },
      position: posOf(adrs['d/adr-2.md'], 'id: ADR-002', 6),
      newName: 'ADR-003',
    });
    const after = applied(adrs, edit, rel);
    assert.equal(after['d/adr-1.md'], adrs['d/adr-1.md'].replace('ADR-002', 'ADR-003'));
    assert.equal(after['d/adr-0.md'], adrs['d/adr-0.md'].replace('ADR-002', 'ADR-003'));
    assert.equal(after['d/adr-2.md'], adrs['d/adr-2.md'].replace('ADR-002', 'ADR-003'));
    assert.equal(after['d/uses.md'], adrs['d/uses.md']);
    // The hint names the id that exists now, and the superseding document's provenance link stays silent.
    const c = await check(after);
    assert.deepEqual(c.of('superseded-link'), [
      'd/uses.md:4:16 depends_on "ADR-001" is superseded; use "ADR-003" instead.',
    ]);
    // Renaming the superseded id rewrites `supersedes` in the document that replaced it.
    const back = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('d/adr-1.md') },
      position: posOf(adrs['d/adr-1.md'], 'id: ADR-001', 6),
      newName: 'ADR-010',
    });
    const renamed = applied(adrs, back, rel);
    assert.equal(renamed['d/adr-2.md'], adrs['d/adr-2.md'].replaceAll('ADR-001', 'ADR-010'));
  });

  it('references, definition and hover reach superseded_by and supersedes values as a rename edits them', async () => {
    const lineage: Record<string, string> = {
      'l/o7.md': '---\nddx:\n  id: OLD-7\n  status: deprecated\n---\n# Old 7\n',
      'l/o8.md': '---\nddx:\n  id: OLD-8\n  status: superseded\n  superseded_by: NEW-1\n---\n# Old 8\n',
      'l/o9.md': '---\nddx:\n  id: OLD-9\n  status: superseded\n---\n# Old 9\n',
      'l/new.md': '---\nddx:\n  id: NEW-1\n  supersedes: ["[[OLD-9]]", OLD-7, GONE-1]\n---\n# New\n',
    };
    const { client, uri, rel } = await start(lineage);
    const refs = async (file: string, needle: string) =>
      (
        await req<Location[]>(client, 'textDocument/references', {
          textDocument: { uri: uri(file) },
          position: posOf(lineage[file], needle, 6),
          context: { includeDeclaration: false },
        })
      )
        .map((l) => `${rel(l.uri)}:${l.range.start.line}:${l.range.start.character}`)
        .sort();
    assert.deepEqual(await refs('l/o7.md', 'id: OLD-7'), ['l/new.md:3:28']);
    assert.deepEqual(await refs('l/new.md', 'id: NEW-1'), ['l/o8.md:4:17']);
    // (one reference for a value written as a wikilink: the link's)
    assert.deepEqual(await refs('l/o9.md', 'id: OLD-9'), ['l/new.md:3:16']);
    const def = await req<Location>(client, 'textDocument/definition', {
      textDocument: { uri: uri('l/o8.md') },
      position: posOf(lineage['l/o8.md'], 'NEW-1', 2),
    });
    assert.equal(rel(def.uri), 'l/new.md');
    const hover = async (needle: string) =>
      (
        await req<{ contents: { value: string } }>(client, 'textDocument/hover', {
          textDocument: { uri: uri('l/new.md') },
          position: posOf(lineage['l/new.md'], needle, 2),
        })
      ).contents.value;
    assert.match(await hover('OLD-7, '), /Old 7/);
    assert.equal(await hover('GONE-1'), '"GONE-1": no document has this id.');
    // The superseding document's own `supersedes` entries are provenance: no hint on them.
    assert.deepEqual((await check(lineage)).of('superseded-link'), []);
  });

  it('superseded_by and supersedes written as wikilinks are ids too: renamed once, not refused', async () => {
    const docs: Record<string, string> = {
      'docs/b.md': '---\nddx:\n  id: B-1\n---\n# B\n',
      'docs/d.md': '---\nddx:\n  id: D-1\n  status: superseded\n  superseded_by: "[[B-1]]"\n---\n# D\n',
      'docs/e.md': '---\nddx:\n  id: E-1\n  supersedes: ["[[B-1|old]]", D-1]\n---\n# E\n',
    };
    const { client, uri, rel } = await start(docs);
    for (const [from, needle, offset] of [
      ['docs/b.md', 'id: B-1', 4],
      ['docs/d.md', '[[B-1]]', 3],
    ] as const) {
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri(from) },
        position: posOf(docs[from], needle, offset),
        newName: 'B-22',
      });
      const after = applied(docs, edit, rel);
      assert.equal(after['docs/b.md'], docs['docs/b.md'].replace('B-1', 'B-22'));
      assert.equal(after['docs/d.md'], docs['docs/d.md'].replace('[[B-1]]', '[[B-22]]'));
      assert.equal(after['docs/e.md'], docs['docs/e.md'].replace('[[B-1|', '[[B-22|'));
    }
    // The hint for a link to the superseded document names the id inside the wikilink.
    const c = await check({ ...docs, 'docs/u.md': '# U\n\nSee [[D-1]].\n' });
    assert.deepEqual(
      c.of('superseded-link').map((f) => f.replace(/^\S+ /, '')),
      ['[[D-1]] is superseded; use "B-1" instead.'],
    );
  });

  it('an id listed twice in depends_on places each entry on its own value', async () => {
    const text = '---\nddx:\n  id: X-1\n  depends_on: ["[[F-2]]", F-1, F-2]\n---\n# X\n';
    const c = await check({
      'd/x.md': text,
      'd/f1.md': '---\nddx:\n  id: F-1\n---\n# F1\n',
      'd/f2.md': '---\nddx:\n  id: F-2\n---\n# F2\n',
    });
    const deps = c.analysis.index.get(c.ws.uri('d/x.md'))!.doc.ddx!.dependsOn;
    const line = text.split('\n')[3];
    assert.deepEqual(
      deps.map((d) => [d.id, d.range.start.line, d.range.start.character]),
      [
        ['F-2', 3, line.indexOf('F-2')],
        ['F-1', 3, line.indexOf('F-1')],
        ['F-2', 3, line.lastIndexOf('F-2')],
      ],
    );
  });

  it('rename on one declaration of a duplicated id renames that declaration alone', async () => {
    const dup: Record<string, string> = {
      'd/one.md': '---\nddx:\n  id: FEAT-7\n---\n# One\n',
      'd/two.md': '---\nddx:\n  id: FEAT-7\n---\n# Two\n',
      'd/uses.md': '---\nddx:\n  id: USE-1\n  depends_on: [FEAT-7]\n---\n# Uses\n\nSee [[FEAT-7]].\n',
    };
    const before = await check(dup);
    assert.equal(before.of('duplicate-id').length, 2);
    const { client, uri, rel } = await start(dup);
    // Hover on a declaration describes that document, not the first declaring the id.
    const onTwo = await req<Hover>(client, 'textDocument/hover', {
      textDocument: { uri: uri('d/two.md') },
      position: posOf(dup['d/two.md'], 'id: FEAT-7', 6),
    });
    assert.match((onTwo.contents as MarkupContent).value, /\*\*Two\*\*/);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('d/two.md') },
      position: posOf(dup['d/two.md'], 'id: FEAT-7', 6),
      newName: 'FEAT-8',
    });
    const after = applied(dup, edit, rel);
    assert.deepEqual(after, { ...dup, 'd/two.md': dup['d/two.md'].replace('FEAT-7', 'FEAT-8') });
    const c = await check(after);
    assert.deepEqual(c.of('duplicate-id'), []);
    assert.deepEqual([...c.of('broken-link'), ...c.of('missing-dependency')], []);
    // From a reference, the id is renamed everywhere still (both declarations with it).
    const fromRef = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('d/uses.md') },
      position: posOf(dup['d/uses.md'], '[FEAT-7]', 2),
      newName: 'FEAT-9',
    });
    const all = applied(dup, fromRef, rel);
    for (const f of Object.keys(dup)) assert.equal(all[f], dup[f].replaceAll('FEAT-7', 'FEAT-9'), f);
  });

  it('rename under quoted keys of the block ("id":, \'depends_on\':) edits the values, never the keys', async () => {
    const quoted: Record<string, string> = {
      'q/eleven.md': '---\nddx:\n  "id": FEAT-011\n---\n# Eleven\n',
      'q/ten.md':
        '---\nddx:\n  id: FEAT-010\n  \'depends_on\': [ "FEAT-011" ]\n  "superseded_by": FEAT-011\n---\n# Ten\n',
      'q/nine.md': '---\nddx:\n  id: FEAT-009\n  "depends_on":\n    - FEAT-011\n---\n# Nine\n',
    };
    const { client, uri, rel } = await start(quoted);
    const prep = await req<{ range: Range; placeholder: string }>(client, 'textDocument/prepareRename', {
      textDocument: { uri: uri('q/eleven.md') },
      position: posOf(quoted['q/eleven.md'], 'FEAT-011', 2),
    });
    assert.deepEqual(prep, {
      range: {
        start: posOf(quoted['q/eleven.md'], 'FEAT-011'),
        end: posOf(quoted['q/eleven.md'], 'FEAT-011', 8),
      },
      placeholder: 'FEAT-011',
    });
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('q/nine.md') },
      position: posOf(quoted['q/nine.md'], '- FEAT-011', 4),
      newName: 'FEAT-012',
    });
    const after = applied(quoted, edit, rel);
    for (const f of Object.keys(quoted))
      assert.equal(after[f], quoted[f].replaceAll('FEAT-011', 'FEAT-012'), f);
    // Completion of ids under a quoted `depends_on` key, inline and on its items.
    for (const [f, needle] of [
      ['q/ten.md', '"FEAT-011" ]'],
      ['q/nine.md', '- FEAT-011'],
    ] as const) {
      await client.open(uri(f), quoted[f]);
      const at = needle.indexOf('FEAT');
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: uri(f) },
        position: posOf(quoted[f], needle, at + 6),
      });
      // (`FEAT-0` typed; ten.md is FEAT-010 itself, so not offered there)
      assert.deepEqual(
        list.items.map((i) => i.label),
        f === 'q/ten.md' ? ['FEAT-009', 'FEAT-011'] : ['FEAT-010', 'FEAT-011'],
        f,
      );
      assert.deepEqual((list.items.at(-1)!.textEdit as { range: Range }).range, {
        start: posOf(quoted[f], needle, at),
        end: posOf(quoted[f], needle, at + 8),
      });
    }
  });

  it('rename of an id or an alias written after a YAML anchor edits the value, the anchor kept', async () => {
    const anchored: Record<string, string> = {
      'a/feat.md': '---\nddx:\n  id: &i FEAT-004\n---\n# Feature\n',
      'a/g2.md': '---\naliases:\n  - &a Third Name\n---\n# G2\n',
      'a/dep.md':
        '---\nddx:\n  id: DEP-1\n  depends_on:\n    - &d FEAT-004\n---\n# Dep\n\nSee [[FEAT-004]] and [[Third Name]].\n',
    };
    const { client, uri, rel } = await start(anchored);
    const id = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('a/dep.md') },
      position: posOf(anchored['a/dep.md'], '[[FEAT-004]]', 3),
      newName: 'FEAT-009',
    });
    let after = applied(anchored, id, rel);
    assert.equal(after['a/feat.md'], anchored['a/feat.md'].replace('&i FEAT-004', '&i FEAT-009'));
    assert.equal(after['a/dep.md'], anchored['a/dep.md'].replaceAll('FEAT-004', 'FEAT-009'));
    const alias = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('a/dep.md') },
      position: posOf(anchored['a/dep.md'], '[[Third Name]]', 3),
      newName: 'Fourth Name',
    });
    after = applied(anchored, alias, rel);
    assert.equal(after['a/g2.md'], anchored['a/g2.md'].replace('&a Third Name', '&a Fourth Name'));
    assert.equal(after['a/dep.md'], anchored['a/dep.md'].replace('[[Third Name]]', '[[Fourth Name]]'));
  });

  it('completes an id as the place takes it: quoted where YAML would read it otherwise, never one a wikilink cannot name', async () => {
    const odd: Record<string, string> = {
      'o/a.md': '---\nddx:\n  id: "QQ #4"\n---\n# A\n',
      'o/b.md': '---\nddx:\n  id: "QQ, comma"\n---\n# B\n',
      'o/c.md': '---\nddx:\n  id: "QQ|pipe"\n---\n# C\n',
      'o/d.md': '---\nddx:\n  id: QQ-plain\n---\n# D\n',
      'o/e.md': '---\nddx:\n  id: "QQ: colon"\n---\n# E\n',
      'o/user.md': '---\nddx:\n  id: USER-1\n  depends_on: [QQ\n---\n# User\n\nx [[QQ\n',
    };
    const { client, uri } = await start(odd);
    const user = odd['o/user.md'];
    await client.open(uri('o/user.md'), user);
    const complete = async (needle: string, at: number) => {
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: uri('o/user.md') },
        position: posOf(user, needle, at),
      });
      return Object.fromEntries(
        list.items.map((i) => [i.label, (i.textEdit as { newText: string }).newText]),
      );
    };
    // In depends_on's flow list: plain where it reads back as the id, else double-quoted.
    assert.deepEqual(await complete('[QQ', 3), {
      'QQ #4': '"QQ #4"',
      'QQ, comma': '"QQ, comma"',
      'QQ-plain': 'QQ-plain',
      'QQ: colon': '"QQ: colon"',
      'QQ|pipe': 'QQ|pipe',
    });
    // After `[[`: no id with `#` or `|`, which would end the link's target.
    const wiki = await complete('[[QQ', 4);
    assert.deepEqual(Object.keys(wiki).sort(), ['QQ, comma', 'QQ-plain', 'QQ: colon']);
    assert.equal(wiki['QQ-plain'], 'QQ-plain]]');
  });

  it('rename reaches a depends_on entry written in a flow mapping on the block line', async () => {
    const flow: Record<string, string> = {
      'f/feat2.md': '---\nddx:\n  id: FEAT-2\n---\n# Feat two\n',
      'f/feat3.md': '---\nddx: {id: FEAT-3, depends_on: [FEAT-2, "FEAT-1"]}\n---\n# Feat three\n',
    };
    const { client, uri, rel } = await start(flow);
    const text = flow['f/feat3.md'];
    // Asked on the entry itself, in the flow mapping.
    const prep = await req<{ placeholder: string } | null>(client, 'textDocument/prepareRename', {
      textDocument: { uri: uri('f/feat3.md') },
      position: posOf(text, '[FEAT-2', 3),
    });
    assert.equal(prep?.placeholder, 'FEAT-2');
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('f/feat2.md') },
      position: posOf(flow['f/feat2.md'], 'id: FEAT-2', 6),
      newName: 'FEAT-9',
    });
    const after = applied(flow, edit, rel);
    assert.equal(after['f/feat2.md'], flow['f/feat2.md'].replace('FEAT-2', 'FEAT-9'));
    assert.equal(after['f/feat3.md'], text.replace('[FEAT-2,', '[FEAT-9,'));
  });

  it('rename reaches entries of a depends_on list written over several lines, and never edits a key', async () => {
    const files: Record<string, string> = {
      'one.md': '---\nddx:\n  id: FEAT-1\n---\n# One\n',
      'two.md': '---\nddx:\n  id: FEAT-2\n  depends_on: [FEAT-3,\n    FEAT-1]\n---\n# Two\n',
      'three.md': '---\nddx:\n  id: FEAT-3\n---\n# Three\n',
      // A flow mapping over several lines whose entries are not located: the rename is
      // refused rather than written over a key.
      'four.md': '---\nddx: { id: "FEAT-4", depends_on: ["FEAT-1",\n FEAT-3] }\n---\n# Four\n',
    };
    let { client, uri, rel } = await start(files);
    const refused = await client
      .request('textDocument/rename', {
        textDocument: { uri: uri('one.md') },
        position: posOf(files['one.md'], 'id: FEAT-1', 6),
        newName: 'FEAT-9',
      })
      .then(
        () => '',
        (e: Error) => e.message,
      );
    assert.equal(
      refused,
      'The rename is refused: four.md names FEAT-1 in its depends_on in a form that cannot be edited exactly (an escaped or block scalar, or a flow mapping over several lines); write it as a plain value there first.',
    );
    const withoutFour = { ...files };
    delete withoutFour['four.md'];
    ({ client, uri, rel } = await start(withoutFour));
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('one.md') },
      position: posOf(files['one.md'], 'id: FEAT-1', 6),
      newName: 'FEAT-9',
    });
    const after = applied(withoutFour, edit, rel);
    assert.equal(after['two.md'], files['two.md'].replace('    FEAT-1]', '    FEAT-9]'));
    assert.equal(after['one.md'], files['one.md'].replace('FEAT-1', 'FEAT-9'));
  });

  it('rename refused over a depends_on or an id written escaped or as a block scalar says where and what to do', async () => {
    const how =
      'in a form that cannot be edited exactly (an escaped or block scalar, or a flow mapping over several lines); write it as a plain value there first.';
    const one = '---\nddx:\n  id: FEAT-001\n---\n# One\n';
    const three = (deps: string) => `---\nddx:\n  id: FEAT-003\n  depends_on: ${deps}\n---\n# Three\n`;
    /** The files, the one renamed in, where in it, and what the refusal names. */
    const cases: [Record<string, string>, string, string, string][] = [
      [
        { 'docs/FEAT-001.md': one, 'docs/FEAT-003.md': three('["FEAT-\\u0030\\u0030\\u0031"]') },
        'docs/FEAT-001.md',
        'FEAT-001',
        'docs/FEAT-003.md names FEAT-001 in its depends_on',
      ],
      [
        { 'docs/FEAT-001.md': one, 'docs/FEAT-003.md': three('>-\n    FEAT-001') },
        'docs/FEAT-001.md',
        'FEAT-001',
        'docs/FEAT-003.md names FEAT-001 in its depends_on',
      ],
      [
        {
          'docs/FEAT-001.md': '---\nddx:\n  id: "FEAT-\\u0030\\u0030\\u0031"\n---\n# One\n',
          'docs/notes.md': '# Notes\n\nSee [[FEAT-001]].\n',
        },
        'docs/notes.md',
        'FEAT-001]]',
        'docs/FEAT-001.md declares its id FEAT-001',
      ],
    ];
    for (const [files, at, near, where] of cases) {
      const { client, uri } = await start(files);
      const refused = await client
        .request('textDocument/rename', {
          textDocument: { uri: uri(at) },
          position: posOf(files[at], near, 2),
          newName: 'FEAT-009',
        })
        .then(
          () => 'renamed',
          (e: Error) => e.message,
        );
      assert.equal(refused, `The rename is refused: ${where} ${how}`);
    }
  });

  it('rename in one project of a monorepo leaves the documents of the other project with that id alone', async () => {
    const mono: Record<string, string> = {};
    for (const p of ['api', 'web']) {
      const dir = `packages/${p}/docs/helix/01-frame`;
      mono[`${dir}/README.md`] = '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD [[helix.prd]]\n';
      mono[`${dir}/prd.md`] = `---\nddx:\n  id: helix.prd\n---\n# PRD ${p}\n`;
      mono[`${dir}/FEAT-001.md`] = '---\nddx:\n  id: FEAT-001\n  depends_on: [helix.prd]\n---\n# Feature\n';
    }
    const { client, uri, rel } = await start(mono);
    const readme = 'packages/api/docs/helix/01-frame/README.md';
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri(readme) },
      position: posOf(mono[readme], 'helix.prd', 2),
      newName: 'api.prd',
    });
    const after = applied(mono, edit, rel);
    const changed = Object.keys(mono).filter((f) => after[f] !== mono[f]);
    assert.deepEqual(changed.sort(), [
      'packages/api/docs/helix/01-frame/FEAT-001.md',
      'packages/api/docs/helix/01-frame/README.md',
      'packages/api/docs/helix/01-frame/prd.md',
    ]);
    assert.match(after['packages/api/docs/helix/01-frame/prd.md'], /id: api\.prd/);
    assert.match(after['packages/api/docs/helix/01-frame/FEAT-001.md'], /depends_on: \[api\.prd\]/);
  });

  it("rename of a project's id leaves a library template's link to the file of that name alone", async () => {
    const lib = '.ddx/library/workflows/helix';
    const tree: Record<string, string> = {
      [`${lib}/workflow.yml`]: 'name: helix\n',
      [`${lib}/phases/01-frame/README.md`]: '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
      [`${lib}/phases/01-frame/artifacts/feature/template.md`]: '# Feature\n\nLike [[FEAT-001]].\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] [[FEAT-001]]\n',
      'docs/helix/01-frame/features/FEAT-001.md': '---\nddx:\n  id: FEAT-001\n---\n# Login\n',
    };
    const c = await featureContext(tree, {
      capabilities: CAPABILITIES,
      openAll: false,
      settings: { cdp: { files: { exclude: ['**/node_modules/**'] } } },
    });
    const owner = 'docs/helix/01-frame/features/FEAT-001.md';
    const edit = await req<WorkspaceEdit>(c, 'textDocument/rename', {
      textDocument: { uri: c.uri(owner) },
      position: posOf(tree[owner], 'FEAT-001'),
      newName: 'FEAT-101',
    });
    const after = applied(tree, edit, (u) => c.rel(u));
    assert.deepEqual(
      Object.keys(tree)
        .filter((f) => after[f] !== tree[f])
        .sort(),
      ['docs/helix/01-frame/README.md', owner],
    );
    assert.match(after['docs/helix/01-frame/README.md'], /\[\[FEAT-101\]\]/);
  });

  it('a file move leaves links by id as written', async () => {
    const { client, uri } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/prd.md'), newUri: uri('archive/requirements.md') }],
    });
    const edits = ((edit?.documentChanges ?? []) as TextDocumentEdit[]).flatMap((c) => c.edits);
    assert.deepEqual(edits, [], 'no link by id is rewritten');
  });

  it('rename refuses an id that is the name of another document, and leaves its links alone', async () => {
    const named = {
      'feat.md': '---\nddx:\n  id: FEAT-1\n---\n# Feat\n',
      'plan.md': '# Plan\n',
      'c.md': '# C\n\n[[plan]]\n',
    };
    const { client, uri } = await start(named);
    await assert.rejects(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('feat.md') },
        position: posOf(named['feat.md'], 'FEAT-1', 2),
        newName: 'plan',
      }),
      /"plan" is the name of plan\.md: links to it by name would reach the document with the id instead; choose another id/,
    );
    // Its own name is no other document's.
    const own = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('feat.md') },
      position: posOf(named['feat.md'], 'FEAT-1', 2),
      newName: 'feat',
    });
    assert.ok((own.documentChanges ?? []).length > 0);
  });

  it("rename refuses an id that is another document's alias, whose links it would take over", async () => {
    const files = {
      'docs/01-frame/c.md': '---\nddx:\n  id: C-1\n---\n# C\n',
      'docs/02-design/aliased.md': '---\naliases: [LG-1]\n---\n# Aliased\n',
      'docs/h.md': '# H\n\nSee [[LG-1]].\n',
    };
    const { client, uri } = await start(files);
    await assert.rejects(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('docs/01-frame/c.md') },
        position: posOf(files['docs/01-frame/c.md'], 'C-1', 1),
        newName: 'LG-1',
      }),
      /"LG-1" is an alias of docs\/02-design\/aliased\.md: links by it would reach the document with the id instead/,
    );
  });

  it("rename to an id taken in several projects names the one in the renamed document's own", async () => {
    const doc = (id: string) => `---\nddx:\n  id: ${id}\n---\n# ${id}\n`;
    const mono = {
      'packages/a/docs/FEAT-001.md': doc('FEAT-001'),
      'packages/b/docs/FEAT-001.md': doc('FEAT-001'),
      'packages/b/docs/FEAT-002.md': doc('FEAT-002'),
    };
    const { client, uri } = await start(mono);
    await assert.rejects(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('packages/b/docs/FEAT-002.md') },
        position: posOf(mono['packages/b/docs/FEAT-002.md'], 'FEAT-002', 2),
        newName: 'FEAT-001',
      }),
      /"FEAT-001" is already the id of packages\/b\/docs\/FEAT-001\.md/,
    );
  });

  it('rename to another letter case or zero padding of a declared id is refused; to another form of its own id it is done', async () => {
    const doc = (id: string, more = '') => `---\nddx:\n  id: ${id}\n---\n# ${id}\n${more}`;
    const files = {
      'docs/FEAT-004.md': doc('FEAT-004'),
      'docs/FEAT-005.md': doc('FEAT-005'),
      'docs/notes.md': '# Notes\n\nSee [[FEAT-004]].\n',
    };
    const { client, uri } = await start(files);
    const at = posOf(files['docs/FEAT-004.md'], 'FEAT-004', 2);
    for (const newName of ['feat-005', 'FEAT-05'])
      await assert.rejects(
        req(client, 'textDocument/rename', {
          textDocument: { uri: uri('docs/FEAT-004.md') },
          position: at,
          newName,
        }),
        new RegExp(
          `"${newName}" differs only in letter case or zero padding from "FEAT-005", the id of docs/FEAT-005\\.md`,
        ),
      );
    const own = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/FEAT-004.md') },
      position: at,
      newName: 'feat-004',
    });
    assert.ok(JSON.stringify(own).includes('feat-004'));
  });

  it('rename to a name several projects give documents names the one nearest the renamed document', async () => {
    const doc = (id: string) => `---\nddx:\n  id: ${id}\n---\n# ${id}\n`;
    const mono = {
      'packages/a/docs/prd.md': '# A PRD\n',
      'packages/b/docs/prd.md': '# B PRD\n',
      'packages/b/docs/FEAT-002.md': doc('FEAT-002'),
    };
    const { client, uri } = await start(mono);
    await assert.rejects(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('packages/b/docs/FEAT-002.md') },
        position: posOf(mono['packages/b/docs/FEAT-002.md'], 'FEAT-002', 2),
        newName: 'prd',
      }),
      /"prd" is the name of packages\/b\/docs\/prd\.md/,
    );
  });

  it('completion of an id declared in several projects describes the one the link will reach', async () => {
    const mono = {
      'packages/a/docs/FEAT-001.md': '---\nddx:\n  id: FEAT-001\n---\n# Ledger\n',
      'packages/b/docs/FEAT-001.md': '---\nddx:\n  id: FEAT-001\n---\n# Payments\n',
      'packages/b/docs/notes.md': '# Notes\n\nSee [[FE',
    };
    const { client, uri } = await start(mono);
    await client.open(uri('packages/b/docs/notes.md'), mono['packages/b/docs/notes.md']);
    const list = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: uri('packages/b/docs/notes.md') },
      position: posOf(mono['packages/b/docs/notes.md'], '[[FE', 4),
    });
    const item = list.items.find((i) => i.label === 'FEAT-001');
    assert.equal(item?.detail, 'Payments');
    assert.equal(item?.documentation, 'packages/b/docs/FEAT-001.md');
  });

  it('completion offers an id declared equally near by two products per document, by a path that reaches it alone', async () => {
    const mono = threeProducts();
    const { client, uri, rel } = await start(mono);
    const notes = uri('products/quill/docs/notes.md');
    const entry = client.ctx.index.get(notes)!;
    const declaring = (id: string) =>
      Object.keys(mono)
        .filter((r) => mono[r].includes(`id: ${id}\n`))
        .sort();
    for (const typed of ['', 'FEA', 'helix']) {
      const text = `# Notes\n\nSee [[${typed}`;
      await client.open(notes, text);
      const list = await req<CompletionList>(client, 'textDocument/completion', {
        textDocument: { uri: notes },
        position: posOf(text, `[[${typed}`, 2 + typed.length),
      });
      for (const id of ['FEAT-001', 'helix.prd']) {
        if (!id.toLowerCase().startsWith(typed.toLowerCase())) continue;
        const items = list.items.filter((i) => i.label === id);
        // Never bare: each declaring document once, by the text that leads to it alone.
        assert.deepEqual(items.map((i) => i.documentation).sort(), declaring(id), `${id} after [[${typed}`);
        for (const item of items) {
          const inserted = applyText(text, [item.textEdit as { range: Range; newText: string }]);
          const target = inserted.slice(inserted.indexOf('[[') + 2, inserted.indexOf(']]'));
          assert.notEqual(target, id);
          const r = client.ctx.index.resolve(entry, { target });
          assert.equal(r.status, 'resolved', target);
          assert.equal(r.status === 'resolved' && rel(r.target.uri), item.documentation);
          assert.equal(r.status === 'resolved' && r.candidates.length, 1);
          await client.change(notes, [{ text: inserted }]);
          assert.deepEqual(client.diagnosticsOf(notes), [], inserted);
        }
        // Offered once: not again as the same document by its name.
        const texts = list.items.map((i) => i.textEdit?.newText);
        assert.equal(new Set(texts).size, texts.length, texts.join(' '));
      }
      await client.close(notes);
    }
    // An id only one document declares stays bare.
    const text = '# Notes\n\nSee [[QUI';
    await client.open(notes, text);
    const own = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: notes },
      position: posOf(text, '[[QUI', 5),
    });
    assert.equal(own.items.find((i) => i.label === 'QUILL-001')?.textEdit?.newText, 'QUILL-001]]');
    await client.close(notes);
    // From a product declaring it, its own is the nearest: offered bare.
    const ledger = uri('products/ledger/docs/helix/01-frame/prd.md');
    const own2 = `${mono['products/ledger/docs/helix/01-frame/prd.md']}\nSee [[FEA`;
    await client.open(ledger, own2);
    const fromLedger = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: ledger },
      position: posOf(own2, '[[FEA', 5),
    });
    assert.deepEqual(
      fromLedger.items
        .filter((i) => i.label === 'FEAT-001')
        .map((i) => [i.textEdit?.newText, i.documentation]),
      [['FEAT-001]]', 'products/ledger/docs/helix/01-frame/features/FEAT-001-login.md']],
    );
  });

  it('completion in depends_on leaves out an id declared equally near by two products', async () => {
    const { client, uri } = await start(threeProducts());
    const notes = uri('products/quill/docs/notes.md');
    // Ids only, no path: such an entry would be ambiguous.
    const deps = '---\nddx:\n  id: QUILL-002\n  depends_on:\n    - \n---\n# Notes\n';
    await client.open(notes, deps);
    const inDeps = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: notes },
      position: posOf(deps, '    - ', 6),
    });
    assert.deepEqual(
      inDeps.items.map((i) => i.label),
      ['QUILL-001'],
    );
  });

  it('rename refuses an id taken by another document or one that would break the YAML', async () => {
    const { client, uri } = await start(files);
    for (const [newName, pattern] of [
      ['ADR-003', /already the id of docs\/adr\/003-tokens\.md/],
      ['a: b', /cannot be an id/],
      ['x]]', /cannot be an id/],
      // Another document's name: [[Login]] would reach the document with the id instead.
      ['login', /"login" is the name of docs\/features\/login\.md: links to it by name would reach/],
      ['Login', /is the name of docs\/features\/login\.md/],
    ] as const) {
      await assert.rejects(
        req(client, 'textDocument/rename', {
          textDocument: { uri: uri('docs/prd.md') },
          position: posOf(prd, 'id: helix.prd', 6),
          newName,
        }),
        pattern,
      );
    }
  });
});

describe('templates (`template: true`) outside the workflow definitions', () => {
  const prd = '---\nddx:\n  id: helix.prd\n---\n# Alpha PRD\n';
  const login = '---\nddx:\n  id: FEAT-001\n  depends_on:\n    - helix.prd\n---\n# Login\n\nSee [[FE\n';
  const template =
    '---\nddx:\n  id: FEAT-XXX\n  depends_on:\n    - helix.prd\ntemplate: true\n---\n# FEAT-XXX: [Feature name]\n\nLinks to [[FEAT-YYY]] and [PRD](../prd.md).\n';
  const files: Record<string, string> = {
    'products/alpha/docs/helix/01-frame/README.md': '---\nphase: 01\n---\n# Frame\n',
    'products/alpha/docs/helix/01-frame/prd.md': prd,
    'products/alpha/docs/helix/01-frame/features/FEAT-001.md': login,
    'team/forms/feature.md': template,
  };

  it('its id is offered by no completion nor listed as a symbol, and its depends_on count in no hover or references', async () => {
    const { client, uri, rel } = await start(files);
    const doc = uri('products/alpha/docs/helix/01-frame/features/FEAT-001.md');
    await client.open(doc, login);
    const afterBrackets = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: doc },
      position: posOf(login, '[[FE', 4),
    });
    assert.deepEqual(
      afterBrackets.items.map((i) => i.label).filter((l) => l.startsWith('FEAT')),
      ['FEAT-001'],
    );
    const withItem = login.replace('    - helix.prd\n', '    - helix.prd\n    - FEAT\n');
    await client.change(doc, [{ text: withItem }]);
    const inDeps = await req<CompletionList>(client, 'textDocument/completion', {
      textDocument: { uri: doc },
      position: posOf(withItem, '- FEAT', 6),
    });
    assert.ok(!inDeps.items.some((i) => i.label === 'FEAT-XXX'), 'the template id is no dependency to offer');
    const symbols = await req<SymbolInformation[]>(client, 'workspace/symbol', { query: 'FEAT' });
    assert.deepEqual(
      symbols.filter((s) => s.name.startsWith('FEAT-')).map((s) => `${s.name} ${rel(s.location.uri)}`),
      ['FEAT-001 products/alpha/docs/helix/01-frame/features/FEAT-001.md'],
    );
    const h = await req<Hover>(client, 'textDocument/hover', {
      textDocument: { uri: uri('products/alpha/docs/helix/01-frame/prd.md') },
      position: posOf(prd, 'helix.prd', 2),
    });
    assert.match((h.contents as MarkupContent).value, /Depended on by \(1\): FEAT-001(?!,)/);
    const refs = await req<Location[]>(client, 'textDocument/references', {
      textDocument: { uri: uri('products/alpha/docs/helix/01-frame/prd.md') },
      position: posOf(prd, 'helix.prd', 2),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      refs.map((l) => rel(l.uri)),
      ['products/alpha/docs/helix/01-frame/features/FEAT-001.md'],
    );
  });
});

describe('a document that becomes a template while open', () => {
  it('the documents naming its id get their findings at once, and lose them when it is a document again', async () => {
    const form = (template: boolean) =>
      `---\n${template ? 'template: true\n' : ''}ddx:\n  id: FEAT-001\n---\n# Feature form\n`;
    const notes = '---\nddx:\n  id: N-1\n  depends_on: [FEAT-001]\n---\n# Notes\n\nSee [[FEAT-001]].\n';
    const { client, uri } = await start({ 'forms/feature.md': form(false), 'notes.md': notes });
    const codes = (d: { code?: string | number }[]) => d.map((x) => String(x.code)).sort();
    await client.open(uri('forms/feature.md'), form(false));
    await client.open(uri('notes.md'), notes);
    await client.waitForDiagnostics(uri('notes.md'), (d) => d.length === 0);
    await client.change(uri('forms/feature.md'), [{ text: form(true) }]);
    const d = await client.waitForDiagnostics(uri('notes.md'), (x) => x.length === 2);
    assert.deepEqual(codes(d), ['broken-link', 'missing-dependency']);
    await client.change(uri('forms/feature.md'), [{ text: form(false) }]);
    await client.waitForDiagnostics(uri('notes.md'), (x) => x.length === 0);
  });
});
