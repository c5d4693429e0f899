// Aliases in front matter, through the features (in-process): definition, references and
// rename from a link by alias or from the alias itself, and file moves leaving such links.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CompletionList,
  Location,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyText, posOf, refusal } from '../helpers/disk-edits';
import { featureContext } from '../helpers/feature-context';
import { check } from '../helpers/memory-workspace';

const guide = '---\ntitle: Guide\naliases:\n  - CDP Guide\n  - "Walkthrough"\n---\n# Guide\n\n## Steps\n';
const notes =
  '# Notes\n\nSee [[CDP Guide]], [[cdp guide#Steps|the steps]], [[Walkthrough]] and [[GUIDE]].\n\n`[[CDP Guide]]` in code.\n';
const meta = '---\nartifacts:\n  - "[[CDP Guide]]"\n---\n# Plan\n';
const FILES = { 'docs/GUIDE.md': guide, 'notes.md': notes, 'plan.md': meta };

async function start(files: Record<string, string> = FILES) {
  const client = await featureContext(files, { openAll: false });
  return client;
}

/** `files` after a WorkspaceEdit of text edits only. */
function apply(files: Record<string, string>, edit: WorkspaceEdit, rel: (u: string) => string) {
  const out = { ...files };
  for (const change of edit.documentChanges ?? []) {
    assert.ok(!('kind' in change), 'no file operation');
    out[rel(change.textDocument.uri)] = applyText(
      out[rel(change.textDocument.uri)],
      change.edits as TextEdit[],
    );
  }
  for (const [u, edits] of Object.entries(edit.changes ?? {})) out[rel(u)] = applyText(out[rel(u)], edits);
  return out;
}

async function clean(files: Record<string, string>) {
  const c = await check(files);
  assert.deepEqual([...c.of('broken-link'), ...c.of('broken-heading'), ...c.of('ambiguous-link')], []);
}

describe('aliases through the features', () => {
  it('F12 on a link by alias goes to the document; its references include the links by alias', async () => {
    const client = await start();
    const def = await client.request<Location[] | Location | null>('textDocument/definition', {
      textDocument: { uri: client.uri('notes.md') },
      position: posOf(notes, 'CDP Guide]]', 2),
    });
    const first = Array.isArray(def) ? def[0] : def;
    assert.equal(first?.uri, client.uri('docs/GUIDE.md'));
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: client.uri('docs/GUIDE.md') },
      position: { line: 6, character: 2 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      refs.map((r) => `${client.rel(r.uri)}:${r.range.start.line}:${r.range.start.character}`).sort(),
      [
        ...['[[CDP Guide]],', '[[cdp guide', '[[Walkthrough]]', '[[GUIDE]]'].map(
          (l) => `notes.md:2:${posOf(notes, l).character}`,
        ),
        'plan.md:2:5',
      ].sort(),
    );
  });

  it('references on an alias in the front matter are the links by that alias', async () => {
    const client = await start();
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: client.uri('docs/GUIDE.md') },
      position: posOf(guide, 'CDP Guide', 2),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map((r) => `${client.rel(r.uri)}:${r.range.start.line}:${r.range.start.character}`),
      [
        'docs/GUIDE.md:3:4',
        `notes.md:2:${posOf(notes, '[[CDP Guide]],').character}`,
        `notes.md:2:${posOf(notes, '[[cdp guide').character}`,
        'plan.md:2:5',
      ],
    );
  });

  it('hover on a link by alias names the alias it reaches its document by; by file name, none', async () => {
    const client = await start();
    const hover = async (needle: string) => {
      const h = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri: client.uri('notes.md') },
        position: posOf(notes, needle, 3),
      });
      return h?.contents.value ?? '';
    };
    assert.match(await hover('[[cdp guide#Steps'), /docs\/GUIDE\.md · by its alias “CDP Guide”/);
    assert.match(await hover('[[Walkthrough]]'), /by its alias “Walkthrough”/);
    assert.doesNotMatch(await hover('[[GUIDE]]'), /by its alias/);
  });

  it('rename on a link by alias renames the alias and every link by it, headings and texts kept', async () => {
    const client = await start();
    const pos = posOf(notes, 'CDP Guide]]', 3);
    const prep = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: client.uri('notes.md') },
      position: pos,
    });
    assert.equal(prep.placeholder, 'CDP Guide');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: client.uri('notes.md') },
      position: pos,
      newName: 'Team Handbook',
    });
    const after = apply(FILES, edit, client.rel);
    assert.equal(after['docs/GUIDE.md'], guide.replace('- CDP Guide', '- Team Handbook'));
    assert.equal(
      after['notes.md'],
      notes
        .replace('[[CDP Guide]],', '[[Team Handbook]],')
        .replace('[[cdp guide#Steps', '[[Team Handbook#Steps'),
    );
    assert.equal(after['plan.md'], meta.replace('CDP Guide', 'Team Handbook'));
    await clean(after);
  });

  it('rename on the alias in the front matter does the same; a quoted alias stays quoted', async () => {
    const client = await start();
    const pos = posOf(guide, 'Walkthrough', 4);
    const prep = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: client.uri('docs/GUIDE.md') },
      position: pos,
    });
    assert.deepEqual(prep, {
      range: { start: { line: 4, character: 5 }, end: { line: 4, character: 16 } },
      placeholder: 'Walkthrough',
    });
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: client.uri('docs/GUIDE.md') },
      position: pos,
      newName: 'Tour: the "short" one',
    });
    const after = apply(FILES, edit, client.rel);
    assert.equal(after['docs/GUIDE.md'], guide.replace('"Walkthrough"', '"Tour: the \\"short\\" one"'));
    assert.equal(after['notes.md'], notes.replace('[[Walkthrough]]', '[[Tour: the "short" one]]'));
    await clean(after);
  });

  it('refuses a new alias that a name, an id or another alias takes, or one no link can write', async () => {
    const files = {
      ...FILES,
      'other.md': '---\naliases: [Handbook]\nddx:\n  id: DOC-1\n---\n# Other\n',
    };
    const client = await start(files);
    const at = { textDocument: { uri: client.uri('notes.md') }, position: posOf(notes, 'CDP Guide]]', 3) };
    const rename = (newName: string) => refusal(client.request('textDocument/rename', { ...at, newName }));
    assert.match(await rename('notes'), /"notes" is the name of notes\.md/);
    assert.match(await rename('DOC-1'), /"DOC-1" is the name of other\.md/);
    assert.match(await rename('handbook'), /"other\.md" has the alias "handbook" already/);
    assert.match(await rename('walkthrough'), /already has an alias like "walkthrough"/);
    assert.match(await rename('a|b'), /must not contain "\|"/);
    for (const name of ['Guide.pdf', 'Notes.txt', '~Draft', '--'])
      assert.match(await rename(name), /would not be looked up as a name/, name);
    // the same alias in other letter case is a rename of its spelling
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at, newName: 'CDP guide' });
    assert.equal(apply(files, edit, client.rel)['docs/GUIDE.md'], guide.replace('CDP Guide', 'CDP guide'));
  });

  it('renames the spelling the link uses; on an alias that cannot be edited, says so', async () => {
    const files = {
      'c.md': '---\naliases: [cdp-manual, CDP Manual]\n---\n# C\n',
      'twice.md': '---\naliases: [Twice, Twice]\n---\n# T\n',
      'n.md': '# N\n\n[[CDP Manual]] [[Twice]]\n',
    };
    const client = await start(files);
    const n = files['n.md'];
    const at = { textDocument: { uri: client.uri('n.md') }, position: posOf(n, 'CDP Manual]]', 2) };
    const prep = await client.request<{ placeholder: string }>('textDocument/prepareRename', at);
    assert.equal(prep.placeholder, 'CDP Manual');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at, newName: 'Handbook' });
    assert.equal(apply(files, edit, client.rel)['c.md'], '---\naliases: [cdp-manual, Handbook]\n---\n# C\n');
    // on the alias written twice in the front matter: why it cannot be renamed there
    const twice = files['twice.md'];
    const why = await refusal(
      client.request('textDocument/prepareRename', {
        textDocument: { uri: client.uri('twice.md') },
        position: posOf(twice, 'Twice', 2),
      }),
    );
    assert.match(why, /cannot be edited safely/);
  });

  it('a link reaching its document by file name is a rename of the document, not of an alias', async () => {
    const client = await start();
    const prep = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: client.uri('notes.md') },
      position: posOf(notes, 'GUIDE]]', 1),
    });
    assert.equal(prep.placeholder, 'GUIDE');
  });

  it('completion after [[ offers the aliases that match, after the names, each leading to its document', async () => {
    const client = await start({
      ...FILES,
      'docs/cdp-overview.md': '# CDP Overview\n',
      'elsewhere/other.md': '---\naliases: [Walkthrough]\n---\n# Other\n',
    });
    const ask = async (text: string) => {
      await client.open(client.uri('notes.md'), text);
      return client.request<CompletionList>('textDocument/completion', {
        textDocument: { uri: client.uri('notes.md') },
        position: posOf(text, '[[', 2 + text.length - text.indexOf('[[') - 2),
      });
    };
    const list = await ask('# N\n\n[[cdp');
    const labels = list.items.map((i) => i.label);
    assert.deepEqual(labels, ['CDP Overview', 'CDP Guide']);
    const alias = list.items[1];
    assert.equal(alias.documentation, 'docs/GUIDE.md');
    assert.match(alias.detail ?? '', /^alias of /);
    assert.equal((alias.textEdit as TextEdit).newText, 'CDP Guide]]');
    // an alias two documents give themselves leads nowhere alone: not offered
    assert.deepEqual(
      (await ask('# N\n\n[[walkth')).items.map((i) => i.label),
      [],
    );
    // nothing by alias for an empty query, but the list is asked for again as one types
    const empty = await ask('# N\n\n[[');
    assert.ok(!empty.items.some((i) => i.label === 'CDP Guide'));
    assert.equal(empty.isIncomplete, true);
  });

  it('moving the document leaves the links by alias as they are', async () => {
    const client = await start();
    const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri: client.uri('docs/GUIDE.md'), newUri: client.uri('docs/handbook.md') }],
    });
    const after = edit ? apply(FILES, edit, client.rel) : { ...FILES };
    // only the link by file name follows
    assert.equal(after['notes.md'], notes.replace('[[GUIDE]]', '[[handbook]]'));
    assert.equal(after['plan.md'], meta);
    after['docs/handbook.md'] = after['docs/GUIDE.md'];
    delete after['docs/GUIDE.md'];
    await clean(after);
  });
});
