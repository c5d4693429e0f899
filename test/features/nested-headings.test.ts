// Obsidian's nested heading wikilinks, `[[doc#Parent#Child]]`, followed by every feature
// that follows a heading link: definition, hover, references, rename and completion
// (in-process, on an in-memory workspace).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CompletionList,
  Hover,
  Location,
  MarkupContent,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyText, posOf } from '../helpers/disk-edits';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { check } from '../helpers/memory-workspace';
import { CAPABILITIES } from '../lsp/client';

const SPEC = [
  '# Spec',
  '',
  '## Design',
  '',
  '### Goals',
  '',
  'Design goals text.',
  '',
  '## Release',
  '',
  '### Goals',
  '',
  'Release goals text.',
  '',
  '#### Risks',
  '',
  '## C# notes',
  '',
].join('\n');

const NOTES = [
  '# Notes',
  '',
  'See [[spec#Design#Goals]] and [[spec#Release#Goals|the goals]] and [[spec#Release#Risks]].',
  'Also [[#Local#Sub]], [[spec#Goals]] and [[spec#Design#Risks]].',
  '',
  '## Local',
  '',
  '### Sub',
  '',
].join('\n');

const FILES = { 'spec.md': SPEC, 'notes.md': NOTES };

async function start(): Promise<InProcess> {
  return featureContext(FILES, { capabilities: CAPABILITIES, openAll: false });
}

/** `files` with the text edits of `edit` applied. */
function applied(c: InProcess, edit: WorkspaceEdit): Record<string, string> {
  const out: Record<string, string> = { ...FILES };
  const all: [string, { range: Range; newText: string }[]][] = Object.entries(edit.changes ?? {});
  for (const d of edit.documentChanges ?? []) if ('edits' in d) all.push([d.textDocument.uri, d.edits]);
  for (const [uri, edits] of all) out[c.rel(uri)] = applyText(out[c.rel(uri)], edits);
  return out;
}

const line = (text: string, needle: string) => posOf(text, needle).line;

describe('nested heading wikilinks in the editor', () => {
  it('definition goes to the heading the last segment names under its ancestors', async () => {
    const c = await start();
    const def = (needle: string, at: number) =>
      c.request<Location | null>('textDocument/definition', {
        textDocument: { uri: c.uri('notes.md') },
        position: posOf(NOTES, needle, at),
      });
    const design = await def('[[spec#Design#Goals]]', 16);
    assert.equal(design?.uri, c.uri('spec.md'));
    assert.equal(design?.range.start.line, line(SPEC, '### Goals'));
    const release = await def('[[spec#Release#Goals', 17);
    assert.equal(release?.range.start.line, posOf(SPEC, '### Goals', 0, 1).line);
    assert.equal((await def('[[spec#Release#Risks]]', 8))?.range.start.line, line(SPEC, '#### Risks'));
    const own = await def('[[#Local#Sub]]', 9);
    assert.equal(own?.uri, c.uri('notes.md'));
    assert.equal(own?.range.start.line, line(NOTES, '### Sub'));
  });

  it('hover shows the section the link lands on, and names the segment a broken one misses', async () => {
    const c = await start();
    const hover = async (needle: string, at: number) => {
      const h = await c.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: c.uri('notes.md') },
        position: posOf(NOTES, needle, at),
      });
      assert.ok(h);
      return (h.contents as MarkupContent).value;
    };
    const release = await hover('[[spec#Release#Goals', 17);
    assert.match(release, /Release goals text\./);
    assert.doesNotMatch(release, /Design goals text|does not resolve/);
    assert.match(await hover('[[spec#Design#Goals]]', 16), /Design goals text\./);
    assert.match(
      await hover('[[spec#Design#Risks]]', 16),
      /does not resolve: spec\.md has no heading “Risks” under “Design”\./,
    );
  });

  it('references of a heading include the nested links naming it, as child or as ancestor', async () => {
    const c = await start();
    const refs = async (uri: string, position: Position) =>
      (
        await c.request<Location[]>('textDocument/references', {
          textDocument: { uri },
          position,
          context: { includeDeclaration: false },
        })
      ).map((l) => `${c.rel(l.uri)}:${l.range.start.line}:${l.range.start.character}`);
    const from = (needle: string) =>
      `notes.md:${line(NOTES, needle)}:${NOTES.split('\n')[line(NOTES, needle)].indexOf(needle)}`;
    // The second "Goals", under Release: only the link through Release.
    assert.deepEqual(await refs(c.uri('spec.md'), posOf(SPEC, '### Goals', 5, 1)), [
      from('[[spec#Release#Goals|the goals]]'),
    ]);
    const underRelease = [from('[[spec#Release#Goals|the goals]]'), from('[[spec#Release#Risks]]')];
    assert.deepEqual(await refs(c.uri('spec.md'), posOf(SPEC, '## Release', 4)), underRelease);
    // On a link's segment: the heading that segment names.
    assert.deepEqual(await refs(c.uri('notes.md'), posOf(NOTES, '[[spec#Release#Risks]]', 9)), underRelease);
    assert.deepEqual(await refs(c.uri('notes.md'), posOf(NOTES, '[[spec#Release#Risks]]', 17)), [
      from('[[spec#Release#Risks]]'),
    ]);
  });

  it('renaming the child edits the last segment, renaming the ancestor its segment', async () => {
    const c = await start();
    const rename = (uri: string, position: Position, newName: string) =>
      c.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName });
    const child = applied(c, await rename(c.uri('spec.md'), posOf(SPEC, '### Goals', 5, 1), 'Aims'));
    assert.equal(child['spec.md'], SPEC.replace('### Goals\n\nRelease', '### Aims\n\nRelease'));
    assert.equal(
      child['notes.md'].split('\n')[2],
      'See [[spec#Design#Goals]] and [[spec#Release#Aims|the goals]] and [[spec#Release#Risks]].',
    );
    assert.equal(child['notes.md'].split('\n')[3], NOTES.split('\n')[3]);
    const parent = applied(c, await rename(c.uri('spec.md'), posOf(SPEC, '## Release', 4), 'Shipping'));
    assert.equal(
      parent['notes.md'].split('\n')[2],
      'See [[spec#Design#Goals]] and [[spec#Shipping#Goals|the goals]] and [[spec#Shipping#Risks]].',
    );
    for (const files of [child, parent])
      assert.deepEqual((await check(files)).of('broken-heading'), [
        (await check(FILES)).of('broken-heading')[0],
      ]);
    // From a link: the segment under the cursor is what is renamed.
    const at = posOf(NOTES, '[[spec#Release#Risks]]', 9);
    const prep = await c.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: c.uri('notes.md') },
      position: at,
    });
    assert.equal(prep.placeholder, 'Release');
    assert.deepEqual(prep.range, {
      start: posOf(NOTES, 'Release#Risks]]'),
      end: posOf(NOTES, 'Release#Risks]]', 'Release'.length),
    });
    assert.deepEqual(applied(c, await rename(c.uri('notes.md'), at, 'Shipping')), parent);
    const own = applied(c, await rename(c.uri('notes.md'), posOf(NOTES, '[[#Local#Sub]]', 10), 'Part'));
    assert.equal(
      own['notes.md'],
      NOTES.replace('[[#Local#Sub]]', '[[#Local#Part]]').replace('### Sub', '### Part'),
    );
  });

  it('a heading holding a renamed link keeps the nested links through it: only its segment changes', async () => {
    const files = {
      'a.md': '# A\n\n## See [[plan]] first\n\n### Goals\n',
      'plan.md': '# Plan\n',
      'b.md': '# B\n\n[[a#See plan first#Goals]]\n',
    };
    const c = await featureContext(files, { capabilities: CAPABILITIES, openAll: false });
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: c.uri('a.md') },
      position: posOf(files['a.md'], '[[plan', 3),
      newName: 'sched',
    });
    const after: Record<string, string> = {};
    for (const d of edit.documentChanges ?? [])
      if ('edits' in d)
        after[c.rel(d.textDocument.uri)] = applyText(
          files[c.rel(d.textDocument.uri) as keyof typeof files],
          d.edits,
        );
    for (const [uri, edits] of Object.entries(edit.changes ?? {}))
      after[c.rel(uri)] = applyText(files[c.rel(uri) as keyof typeof files], edits);
    assert.equal(after['a.md'], '# A\n\n## See [[sched]] first\n\n### Goals\n');
    assert.equal(after['b.md'], '# B\n\n[[a#See sched first#Goals]]\n');
  });

  it('completion after a further # offers the headings under the ones written, each resolving back', async () => {
    const typing = '# Draft\n\n[[spec#Release#\n';
    const c = await featureContext({ ...FILES, 'draft.md': typing }, { capabilities: CAPABILITIES });
    const complete = async (text: string) => {
      await c.close(c.uri('draft.md'));
      await c.open(c.uri('draft.md'), text);
      const list = await c.request<CompletionList>('textDocument/completion', {
        textDocument: { uri: c.uri('draft.md') },
        position: { line: 2, character: text.split('\n')[2].length },
      });
      return list.items.map((i) => {
        const edit = i.textEdit as { range: Range; newText: string };
        return applyText(text, [edit]).split('\n')[2];
      });
    };
    assert.deepEqual(await complete(typing), ['[[spec#Release#Goals]]', '[[spec#Release#Risks]]']);
    assert.deepEqual(await complete('# Draft\n\n[[spec#Design#'), ['[[spec#Design#Goals]]']);
    assert.deepEqual(await complete('# Draft\n\n[[spec#Release#Goals#R'), ['[[spec#Release#Goals#Risks]]']);
    assert.deepEqual(await complete('# Draft\n\n[[spec#Nowhere#'), []);
    // A heading whose text holds `#` is still offered for the whole text typed.
    assert.deepEqual(await complete('# Draft\n\n[[spec#C# n'), ['[[spec#C# notes]]']);
    // Each offered link lands where it says.
    const written = {
      ...FILES,
      'draft.md': '# Draft\n\n[[spec#Release#Goals]] [[spec#Release#Goals#Risks]]\n',
    };
    assert.deepEqual(
      (await check(written)).of('broken-heading').filter((f) => f.startsWith('draft')),
      [],
    );
  });

  it('completion inside a closed nested heading link replaces only the segment under the cursor', async () => {
    const spec = '# Spec\n## Design\n### Risks\n### Rivals\n## Build\n### Rigging\n';
    const text =
      'D [[spec#De#Risks|alias]] E [[spec#Design#Ri#Deep]] F [[spec#De#Risks]] G [[spec#C# notes]]';
    const c = await featureContext(
      { 'spec.md': `${spec}## C# notes\n`, 'draft.md': `# Draft\n\n${text}\n` },
      { capabilities: CAPABILITIES },
    );
    /** The line once the item labelled `label` is chosen with the cursor after `needle` in `text`. */
    const chosen = async (needle: string, at: number, label: string) => {
      const character = text.indexOf(needle) + at;
      const list = await c.request<CompletionList>('textDocument/completion', {
        textDocument: { uri: c.uri('draft.md') },
        position: { line: 2, character },
      });
      const item = list.items.find((i) => i.label === label);
      assert.ok(item, `${label} offered after ${needle.slice(0, at)}`);
      return applyText(`# Draft\n\n${text}\n`, [item.textEdit as { range: Range; newText: string }]).split(
        '\n',
      )[2];
    };
    assert.equal(
      await chosen('[[spec#De#Risks]]', 9, 'Design'),
      text.replace('F [[spec#De#Risks]]', 'F [[spec#Design#Risks]]'),
    );
    assert.equal(
      await chosen('[[spec#De#Risks|alias]]', 9, 'Design'),
      text.replace('[[spec#De#Risks|alias]]', '[[spec#Design#Risks|alias]]'),
    );
    assert.equal(
      await chosen('[[spec#Design#Ri#Deep]]', 16, 'Rivals'),
      text.replace('[[spec#Design#Ri#Deep]]', '[[spec#Design#Rivals#Deep]]'),
    );
    // A heading whose text holds `#` is one heading: the whole of it is replaced.
    assert.equal(await chosen('[[spec#C# notes]]', 8, 'C# notes'), text);
  });
});
