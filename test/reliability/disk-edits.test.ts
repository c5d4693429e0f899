import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CodeAction, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { ToggleCriterionResult } from '../../server/src/protocol';
import { applyText, applyToDisk, posOf } from '../helpers/disk-edits';
import { tempDir } from '../helpers/files';
import { check, phaseDoc } from '../helpers/memory-workspace';
import { type TestClient, tempWorkspace, trackedServers, uriOf } from '../lsp/client';

const startOn = trackedServers();
const start = (root: string): Promise<TestClient> => startOn([root]);

function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

const noteText = (n: number, heading: string, target = '02-b') =>
  `# Note ${n}\n\nSee [[${target}#${heading}]] then [[${target}]].\n`;

/**
 * A repository two editor windows have open: four closed notes link to a heading of
 * `02-b` and to `02-b` itself.
 */
function twoWindowsWorkspace(): string {
  const files: Record<string, string> = {
    'wf/01-a.md': '# A\n\nNext: [[02-b]]\n',
    'wf/02-b.md': '# B\n\n## Exit Criteria\n\n- [ ] done\n',
  };
  for (let n = 1; n <= 4; n++) files[`notes/n${n}.md`] = noteText(n, 'Exit Criteria');
  return tempWorkspace(files);
}

/** Window A renames the heading "Exit Criteria" of 02-b; its edits are written to disk. */
async function windowARenamesHeading(root: string, a: TestClient): Promise<void> {
  const b = read(root, 'wf/02-b.md');
  const edit = await a.request<WorkspaceEdit>('textDocument/rename', {
    textDocument: { uri: uriOf(join(root, 'wf/02-b.md')) },
    position: posOf(b, 'Exit Criteria', 2),
    newName: 'Go-No-Go Exit Criteria',
  });
  applyToDisk(edit);
  for (let n = 1; n <= 4; n++)
    assert.equal(read(root, `notes/n${n}.md`), noteText(n, 'Go-No-Go Exit Criteria'));
}

/** Every note reads as renamed, with nothing else changed, and every link resolves. */
async function assertNotesRenamed(root: string): Promise<void> {
  const files: Record<string, string> = {
    'wf/01-a.md': read(root, 'wf/01-a.md'),
    'wf/02-bravo.md': read(root, 'wf/02-bravo.md'),
  };
  for (let n = 1; n <= 4; n++) {
    files[`notes/n${n}.md`] = read(root, `notes/n${n}.md`);
    assert.equal(files[`notes/n${n}.md`], noteText(n, 'Go-No-Go Exit Criteria', '02-bravo'));
  }
  assert.equal(files['wf/01-a.md'], '# A\n\nNext: [[02-bravo]]\n');
  const c = await check(files);
  assert.deepEqual([...c.of('broken-link'), ...c.of('broken-heading')], []);
}

describe('edits for closed documents are computed from the disk', () => {
  it('two servers on one folder: a rename in window B after a heading rename in window A is exact', async () => {
    const root = twoWindowsWorkspace();
    const a = await start(root);
    const b = await start(root);
    await windowARenamesHeading(root, a);
    // Window B has heard of nothing (no file events): its index is stale.
    const oneA = read(root, 'wf/01-a.md');
    const aUri = uriOf(join(root, 'wf/01-a.md'));
    await b.open(aUri, oneA);
    const edit = await b.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: aUri },
      position: posOf(oneA, '[[02-b]]', 3),
      newName: '02-bravo',
    });
    applyToDisk(edit, { [aUri]: 1 });
    await assertNotesRenamed(root);
  });

  it('two servers on one folder: link updates of window B for a file moved after window A edited are exact', async () => {
    const root = twoWindowsWorkspace();
    const a = await start(root);
    const b = await start(root);
    await windowARenamesHeading(root, a);
    const oldUri = uriOf(join(root, 'wf/02-b.md'));
    const newUri = uriOf(join(root, 'wf/02-bravo.md'));
    const edit = await b.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri, newUri }],
    });
    assert.ok(edit, 'links are updated');
    applyToDisk(edit);
    applyToDisk({ documentChanges: [{ kind: 'rename', oldUri, newUri }] });
    await assertNotesRenamed(root);
  });

  const plan = phaseDoc({
    title: 'Plan',
    phase: '01',
    body: '## Exit Criteria\n\n- [ ] alpha\n- [ ] beta\n',
  });
  const pulled = plan.replace('- [ ] alpha\n', '- [ ] zero\n- [ ] alpha\n');

  for (const event of [false, true]) {
    it(`cdp/toggleCriterion after a pull inserted a line ${event ? 'with' : 'without'} the file event first: never another criterion`, async () => {
      // The pull changed many files; the plan comes last in the batch of file events.
      const others: Record<string, string> = {};
      for (let i = 0; i < 300; i++) others[`notes/n${i}.md`] = `# N${i}\n`;
      const root = tempWorkspace({ 'wf/01-plan.md': plan, ...others });
      const client = await start(root);
      const uri = uriOf(join(root, 'wf/01-plan.md'));
      const alphaLine = posOf(plan, '- [ ] alpha').line;
      for (const rel of Object.keys(others)) writeFileSync(join(root, rel), `# Changed ${rel}\n`);
      writeFileSync(join(root, 'wf/01-plan.md'), pulled);
      const changes = [...Object.keys(others), 'wf/01-plan.md'].map((rel) => ({
        uri: uriOf(join(root, rel)),
        type: 2,
      }));
      // As in a real pull, some time after the folders were read (the server remembers a
      // folder's real path for 2 s; reading after that waits for the disk).
      if (event) await new Promise((r) => setTimeout(r, 2500));
      // The event is sent first, the request right behind it.
      if (event) void client.notify('workspace/didChangeWatchedFiles', { changes });
      const stale = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
        uri,
        line: alphaLine,
        expectedText: 'alpha',
        checked: true,
      });
      assert.ok(stale.refused, `refused, not ${JSON.stringify(stale)}`);
      assert.match(stale.refused, /no longer holds the criterion "alpha"/);
      // On the line it now holds, "alpha" is ticked, and only "alpha".
      const now = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
        uri,
        line: posOf(pulled, '- [ ] alpha').line,
        expectedText: 'alpha',
        checked: true,
      });
      assert.ok(now.edit, `an edit, not ${JSON.stringify(now)}`);
      applyToDisk(now.edit);
      assert.equal(read(root, 'wf/01-plan.md'), pulled.replace('- [ ] alpha', '- [x] alpha'));
    });
  }

  it('a quick fix for a closed document is computed on its text on disk, not on the one indexed', async () => {
    const text = '# Doc\n\n- [ ] fine\n-[ ] glued\n';
    const root = tempWorkspace({ 'doc.md': text });
    const client = await start(root);
    const uri = uriOf(join(root, 'doc.md'));
    const glued = posOf(text, '-[ ] glued').line;
    const changed = '# Doc\n\nIntro.\n- [ ] fine\n-[ ] glued\n';
    writeFileSync(join(root, 'doc.md'), changed);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: glued, character: 0 }, end: { line: glued + 2, character: 0 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    const fixes = actions.filter((x) => x.edit?.documentChanges);
    assert.ok(fixes.length > 0, 'the malformed checkbox is still offered a fix');
    for (const fix of fixes) {
      const [change] = fix.edit!.documentChanges!;
      assert.ok('edits' in change);
      const result = applyText(changed, change.edits as { range: never; newText: string }[]);
      assert.equal(result, '# Doc\n\nIntro.\n- [ ] fine\n- [ ] glued\n', fix.title);
    }
  });
});

describe('nothing is created outside the workspace folder', () => {
  it('no create fix for a link into a folder symlinked outside, nor onto a dangling symlink', async () => {
    const outside = tempDir('cdp-outside-');
    const root = tempWorkspace({
      'a.md': '# A\n\nSee [[ext/newdoc]], [[inside/newdoc]] and [[dangling]].\n',
      'inside/keep.md': '# Keep\n',
    });
    symlinkSync(outside, join(root, 'ext'));
    mkdirSync(join(outside, 'sub'));
    symlinkSync(join(outside, 'nowhere.md'), join(root, 'dangling.md'));
    const client = await start(root);
    const uri = uriOf(join(root, 'a.md'));
    await client.open(uri, read(root, 'a.md'));
    const diags = await client.waitForDiagnostics(
      uri,
      (d) => d.filter((x) => x.code === 'broken-link').length >= 2,
    );
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } },
      context: { diagnostics: diags, only: ['quickfix'] },
    });
    const created = actions.flatMap((x) =>
      (x.edit?.documentChanges ?? []).flatMap((c) => ('kind' in c && c.kind === 'create' ? [c.uri] : [])),
    );
    // The fix is offered where it may be (the test would prove nothing otherwise) …
    assert.ok(created.includes(uriOf(join(root, 'inside/newdoc.md'))), `created: ${created.join(', ')}`);
    // … and never through the symlinked folder or onto the dangling link.
    assert.deepEqual(
      created.filter((c) => !c.endsWith('/inside/newdoc.md')),
      [],
    );
  });
});
