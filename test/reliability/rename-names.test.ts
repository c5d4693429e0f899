import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyText, applyToDisk, posOf, refusal } from '../helpers/disk-edits';
import { check } from '../helpers/memory-workspace';
import { TestClient, tempWorkspace, uriOf } from '../lsp/client';

const files = {
  'wf/01-plan.md':
    '# Plan\n\n---\nphase: 01\nnext_phase: "[[02-build]]"\n---\n\n## Exit Criteria\n\n- [x] planned\n',
  'wf/02-build.md':
    '# Build\n\n---\nphase: 02\nprevious_phase: \'[[01-plan]]\'\nartifacts: ["[[notes#Decisions]]"]\n---\n\n## Exit Criteria\n\n- [ ] built\n',
  'wf/notes.md':
    '# Notes\n\n## Decisions\n\n## Risks\n\nUse `[[02-build]]` literally; see [[02-build]] and `x`.\nAlso [[notes#Risks]] and `[[notes#Risks]]` in code.\n',
};
type Rel = keyof typeof files;

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

/** A fresh workspace with the fixtures and a server on it. */
async function start() {
  const root = tempWorkspace(files);
  const client = await TestClient.start([root]);
  clients.push(client);
  await client.ready();
  const uri = (rel: string) => uriOf(join(root, rel));
  const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
  /** Renames what the `at`-th character of `needle` in `rel` names. */
  const rename = (rel: Rel, needle: string, at: number, newName: string) =>
    client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri(rel) },
      position: posOf(files[rel], needle, at),
      newName,
    });
  return { root, client, uri, read, rename };
}

async function assertLinksResolve(root: string): Promise<void> {
  const now: Record<string, string> = {};
  for (const name of readdirSync(join(root, 'wf')))
    now[`wf/${name}`] = readFileSync(join(root, 'wf', name), 'utf8');
  const c = await check(now);
  assert.deepEqual([...c.of('broken-link'), ...c.of('broken-heading'), ...c.of('invalid-frontmatter')], []);
}

describe('rename refuses a new name that would break links, metadata or the file system', () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => {
    s = await start();
  });

  const refused: [string, RegExp][] = [
    ['02-"build"', /must not contain "/],
    ['02-b`x', /must not contain `/],
    ['x.md.md', /"x\.md\.md" would make the file "x\.md\.md".*file extension/],
    ['release.pdf', /"release\.pdf\.md".*"\.pdf" as a file extension/],
    ['release.txt.md', /"release\.txt\.md".*"\.txt" as a file extension/],
    ['a'.repeat(300), /longer than 255 bytes/],
    ['é'.repeat(130), /longer than 255 bytes/],
    ['a\nb', /line break or control character \(U\+000A\)/],
    ['a\u0000b', /line break or control character \(U\+0000\)/],
    ['a\tb', /line break or control character \(U\+0009\)/],
    ['a|b', /must not contain "\|"/],
    ['a]b', /must not contain "]"/],
    ['a[b', /must not contain "\["/],
    ['a#b', /must not contain "#"/],
    ['.hidden', /hidden file/],
    ['!!!', /no letters or digits/],
  ];
  for (const [name, message] of refused) {
    it(`document name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}… (${name.length})` : name)}`, async () => {
      assert.match(await refusal(s.rename('wf/01-plan.md', '[[02-build]]', 4, name)), message);
    });
  }

  it('heading names with a line break, NUL or link syntax', async () => {
    for (const [name, message] of [
      ['Risks\nand more', /line break or control character/],
      ['Ri\u0000sks', /line break or control character/],
      ['Risks|x', /must not contain "\|"/],
      ['^risks', /must not start with "\^"/],
    ] as const) {
      assert.match(await refusal(s.rename('wf/notes.md', '## Risks', 4, name)), message);
    }
  });

  it('a single quote in a name linked from single-quoted metadata', async () => {
    const message = await refusal(s.rename('wf/02-build.md', '[[01-plan]]', 4, "01-plan's"));
    assert.match(message, /in "wf\/02-build\.md", it would break the metadata \(line 5/);
  });

  it('a double quote in a heading linked from double-quoted metadata', async () => {
    const message = await refusal(s.rename('wf/notes.md', '## Decisions', 4, 'Key "Decisions"'));
    assert.match(message, /in "wf\/02-build\.md", it would break the metadata/);
  });

  it('a backtick is no part of the wikilinks naming the heading: a link in a code span stays there', async () => {
    // (Written into the link, it would have turned the link in a code span into a live one.)
    const edit = await s.rename('wf/notes.md', '## Risks', 4, 'Ri`sks');
    const texts = ((edit as WorkspaceEdit).documentChanges as TextDocumentEdit[]).flatMap((c) =>
      c.edits.map((e) => e.newText),
    );
    assert.deepEqual(texts.sort(), ['Ri`sks', 'Risks']);
  });

  it('a file or folder moved to a name links cannot hold as written: its links still follow it', async () => {
    // The editor moves the file whatever the answer: an error would leave every link behind.
    for (const [to, name] of [
      ['wf/02-build.md.md', '02-build.md.md'],
      ['wf/a#b.md', 'ab'],
      ['w|f/02-build.md', undefined],
    ] as const) {
      const edit = await s.client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
        files: [{ oldUri: s.uri('wf/02-build.md'), newUri: s.uri(to) }],
      });
      const after: Record<string, string> = { ...files };
      for (const c of (edit?.documentChanges ?? []) as TextDocumentEdit[]) {
        const rel = Object.keys(files).find((r) => s.uri(r) === c.textDocument.uri)!;
        after[rel] = applyText(after[rel], c.edits);
      }
      // `[[02-build]]` still reaches it in another folder by its name.
      const link = `[[${name ?? '02-build'}]]`;
      assert.equal(after['wf/01-plan.md'], files['wf/01-plan.md'].replace('[[02-build]]', link), to);
      assert.equal(
        after['wf/notes.md'],
        files['wf/notes.md'].replace('see [[02-build]]', `see ${link}`),
        `${to}: the link in a code span stays`,
      );
      const moved: Record<string, string> = { ...after, [to]: after['wf/02-build.md'] };
      delete moved['wf/02-build.md'];
      const c = await check(moved);
      assert.deepEqual([...c.of('broken-link'), ...c.of('invalid-frontmatter')], [], to);
    }
  });
});

describe('rename refuses a path too long for the file system', () => {
  it('a file name under 255 bytes in a folder so deep the new path would pass 4095 bytes', async () => {
    const deep = Array.from({ length: 16 }, (_, i) => `${i}`.padEnd(250, 'd')).join('/');
    const x = '# X\n\nSee [[a]].\n';
    const root = tempWorkspace({ [`${deep}/a.md`]: '# A\n', [`${deep}/x.md`]: x });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const p = client.request('textDocument/rename', {
      textDocument: { uri: uriOf(join(root, deep, 'x.md')) },
      position: posOf(x, '[[a]]', 2),
      newName: 'b'.repeat(100),
    });
    assert.match(await refusal(p), /would be too long for the file system/);
    assert.deepEqual(readdirSync(join(root, deep)).sort(), ['a.md', 'x.md']);
  });
});

describe('rename accepts names that are safe where they land', () => {
  it('a single quote in a name linked only from double-quoted metadata and the body; links in code untouched', async () => {
    const s = await start();
    applyToDisk(await s.rename('wf/01-plan.md', '[[02-build]]', 4, "02-build's"));
    assert.equal(s.read('wf/01-plan.md'), files['wf/01-plan.md'].replace('[[02-build]]', "[[02-build's]]"));
    assert.equal(
      s.read('wf/notes.md'),
      files['wf/notes.md'].replace('see [[02-build]]', "see [[02-build's]]"),
      'the link in the code span stays as written',
    );
    await assertLinksResolve(s.root);
  });

  it('"release.md" is the file release.md, and a double quote in a heading only body links name', async () => {
    const s = await start();
    applyToDisk(await s.rename('wf/01-plan.md', '[[02-build]]', 4, 'release.md'));
    assert.match(s.read('wf/01-plan.md'), /next_phase: "\[\[release\]\]"/);
    assert.equal(s.read('wf/release.md'), files['wf/02-build.md']);
    applyToDisk(await s.rename('wf/notes.md', '## Risks', 4, 'Risks "later"'));
    assert.equal(
      s.read('wf/notes.md'),
      files['wf/notes.md']
        .replace('see [[02-build]]', 'see [[release]]')
        .replace('## Risks', '## Risks "later"')
        .replace('Also [[notes#Risks]]', 'Also [[notes#Risks "later"]]'),
    );
    await assertLinksResolve(s.root);
  });

  it('a dot that is no file extension links know ("report.draft", "v1.2")', async () => {
    const s = await start();
    applyToDisk(await s.rename('wf/01-plan.md', '[[02-build]]', 4, 'report.draft'));
    assert.match(s.read('wf/01-plan.md'), /next_phase: "\[\[report\.draft\]\]"/);
    assert.equal(s.read('wf/report.draft.md'), files['wf/02-build.md']);
    await assertLinksResolve(s.root);
    const v = await s.client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri: s.uri('wf/notes.md'), newUri: s.uri('wf/notes-v1.2.md') }],
    });
    assert.ok(v, 'links to the moved file are updated');
  });
});
