// In-host suite: the Links view (cdp.links) for a document with dependencies both ways,
// outgoing links and backlinks, through the API object `activate` returns. Runs on the
// workspace test/e2e/links.test.ts writes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';
import type { LinksNode } from '../../../client/src/links-view';
import { activateExtension, requestScreenshot, WAIT_MS } from './common';

let api: CdpApi;
let root: vscode.Uri;

function doc(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}

type Rows = Record<string, string[]>;

/** The view's sections, each with its rows as `rel` (or `rel@line` with `at`). */
function rows(at = false): Rows {
  const out: Rows = {};
  for (const s of api.linksView.getChildren()) {
    if (s.kind !== 'section') continue;
    out[s.title] = api.linksView
      .getChildren(s)
      .map((n) => (n.kind === 'item' ? (at ? `${n.item.rel}@${n.item.range.start.line}` : n.item.rel) : '?'));
  }
  return out;
}

/** Waits until the view shows `rel` and `check` accepts its rows. */
async function shown(rel: string, check: (r: Rows) => boolean = () => true): Promise<Rows> {
  const uri = doc(rel).toString();
  const deadline = Date.now() + WAIT_MS;
  let last: Rows = {};
  while (Date.now() < deadline) {
    await api.linksView.loaded();
    if (api.linksView.document() === uri) {
      last = rows();
      if (Object.keys(last).length === 4 && check(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(
    `the Links view did not show ${rel} as expected: ${api.linksView.document()} ${JSON.stringify(last)}`,
  );
}

function row(section: string, rel: string): LinksNode {
  const s = api.linksView.getChildren().find((n) => n.kind === 'section' && n.title === section);
  assert.ok(s, section);
  const r = api.linksView.getChildren(s).find((n) => n.kind === 'item' && n.item.rel === rel);
  assert.ok(r, `${section}: ${rel}`);
  return r;
}

suite('Links view', () => {
  suiteSetup(async () => {
    ({ api, root } = await activateExtension());
  });

  test('shows the four sections for the active document', async () => {
    await vscode.window.showTextDocument(doc('docs/login.md'));
    const r = await shown('docs/login.md', (x) => x.Backlinks.length === 2);
    assert.deepEqual(r, {
      'Outgoing links': ['docs/prd.md', 'docs/adr.md'],
      Backlinks: ['docs/adr.md', 'docs/story.md'],
      'Depends on': ['docs/prd.md', 'docs/adr.md'],
      'Depended on by': ['docs/story.md'],
    });
    assert.deepEqual(rows(true).Backlinks, ['docs/adr.md@7', 'docs/story.md@7']);
    const item = api.linksView.getTreeItem(row('Depends on', 'docs/adr.md'));
    assert.equal(item.label, 'Use tokens');
    assert.match(String(item.description), /ADR-003/);
  });

  test("a row's command opens its target at the link, and the view follows the editor", async () => {
    await vscode.window.showTextDocument(doc('docs/login.md'));
    await shown('docs/login.md');
    const cmd = api.linksView.getTreeItem(row('Backlinks', 'docs/story.md')).command;
    assert.ok(cmd);
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), doc('docs/story.md').toString());
    assert.equal(editor.selection.start.line, 7);
    assert.equal(
      editor.document.lineAt(7).text.slice(editor.selection.start.character).startsWith('[[login]]'),
      true,
    );
    const r = await shown('docs/story.md');
    assert.deepEqual(r['Depends on'], ['docs/login.md']);
    assert.deepEqual(r['Outgoing links'], ['docs/login.md']);
  });

  test('asks again when the server announces a change (a new dependent on disk)', async () => {
    await vscode.window.showTextDocument(doc('docs/login.md'));
    await shown('docs/login.md');
    await vscode.workspace.fs.writeFile(
      doc('docs/task.md'),
      Buffer.from('---\nddx:\n  id: TASK-9\n  depends_on: FEAT-004\n---\n# Task\n'),
    );
    try {
      const r = await shown('docs/login.md', (x) => x['Depended on by'].length === 2);
      assert.deepEqual(r['Depended on by'], ['docs/story.md', 'docs/task.md']);
    } finally {
      await vscode.workspace.fs.delete(doc('docs/task.md'));
    }
  });

  test('a row of a link to a folder shows the folder in the Explorer, opening no editor', async () => {
    await vscode.workspace.fs.writeFile(doc('docs/design/spec.md'), Buffer.from('# Spec\n'));
    await vscode.workspace.fs.writeFile(
      doc('docs/folders.md'),
      Buffer.from('# Folders\n\nSee [the designs](design/) and [the spec](design/spec.md).\n'),
    );
    try {
      await vscode.window.showTextDocument(doc('docs/folders.md'));
      const r = await shown('docs/folders.md', (x) => x['Outgoing links'].length === 2);
      assert.deepEqual(r['Outgoing links'], ['docs/design', 'docs/design/spec.md']);
      const item = api.linksView.getTreeItem(row('Outgoing links', 'docs/design'));
      assert.ok(item.command);
      assert.equal(item.command.command, 'revealInExplorer');
      assert.equal(String(item.command.arguments?.[0]), doc('docs/design').toString());
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'symbol-folder');
      // the rows as a person sees them: the folder with its icon, the document below it
      await vscode.commands.executeCommand('cdp.links.focus');
      // (the picture only: the workbench draws the rows it asks for after the focus)
      await new Promise((r) => setTimeout(r, 1500));
      await requestScreenshot('links-folder-row');
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      assert.equal(
        vscode.window.activeTextEditor?.document.uri.toString(),
        doc('docs/folders.md').toString(),
      );
      assert.ok(
        !vscode.window.tabGroups.all.some((g) =>
          g.tabs.some(
            (t) =>
              t.input instanceof vscode.TabInputText &&
              t.input.uri.path.replace(/\/+$/, '') === doc('docs/design').path,
          ),
        ),
      );
      // the document it holds still opens
      const spec = api.linksView.getTreeItem(row('Outgoing links', 'docs/design/spec.md'));
      assert.equal(spec.command?.command, 'vscode.open');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(doc('docs/folders.md'));
      await vscode.workspace.fs.delete(doc('docs/design'), { recursive: true });
    }
  });

  test('rows of a link repeated in a document show its line', async () => {
    await vscode.window.showTextDocument(doc('docs/notes.md'));
    const out = await shown('docs/notes.md', (x) => x['Outgoing links'].length === 2);
    assert.deepEqual(out['Outgoing links'], ['docs/prd.md', 'docs/prd.md']);
    const section = api.linksView.getChildren().find((n) => n.kind === 'section' && n.key === 'outgoing')!;
    assert.deepEqual(
      api.linksView.getChildren(section).map((n) => api.linksView.getTreeItem(n).description),
      [
        'helix.prd · [[helix.prd]] · docs/prd.md · line 3',
        'helix.prd · [[helix.prd]] · docs/prd.md · line 5',
      ],
    );
    await vscode.window.showTextDocument(doc('docs/prd.md'));
    await shown('docs/prd.md', (x) => x.Backlinks.filter((r) => r === 'docs/notes.md').length === 2);
    const back = api.linksView.getChildren().find((n) => n.kind === 'section' && n.key === 'backlinks')!;
    const notes = api.linksView
      .getChildren(back)
      .filter((n) => n.kind === 'item' && n.item.rel === 'docs/notes.md')
      .map((n) => api.linksView.getTreeItem(n).description);
    assert.deepEqual(notes, [
      '[[helix.prd]] · docs/notes.md · line 3',
      '[[helix.prd]] · docs/notes.md · line 5',
    ]);
  });

  test('asks the server once per change of the workflows, not once more for the new workflows', async () => {
    await vscode.window.showTextDocument(doc('docs/login.md'));
    await shown('docs/login.md');
    const requests = api.linksView.requests();
    const notifications = api.notifications();
    // a phase document: the workflows change (the store fetches them again and fires its change)
    await vscode.workspace.fs.writeFile(
      doc('plan/01-plan.md'),
      Buffer.from('# Plan\n---\nphase: "01"\n---\n\n## Exit Criteria\n\n- [ ] Scope agreed\n'),
    );
    try {
      const deadline = Date.now() + WAIT_MS;
      while ((await api.progressTree.getChildren()).length === 0) {
        if (Date.now() > deadline) assert.fail('the new workflow was never shown');
        await new Promise((r) => setTimeout(r, 100));
      }
      await api.linksView.loaded();
      const notified = api.notifications() - notifications;
      assert.ok(notified > 0);
      // one request per notification: the workflows' change asks nothing more
      assert.equal(api.linksView.requests() - requests, notified);
    } finally {
      await vscode.workspace.fs.delete(doc('plan'), { recursive: true });
    }
  });
});
