// In-host suite: the language server's editing help as VS Code shows it: the quick fixes
// under the cursor (Mark as done once; the preferred fix of a broken phase chain repairs it;
// Create document opens what it created in a tab that stays), completion of a title typed
// with spaces, rename keeping each link's style, and the preview's wikilinks resolved as the
// server resolves them. Runs on a copy of examples/; every file it adds or changes is put back.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';
import { activateExtension, codeOf, WAIT_MS } from './common';

let api: CdpApi;
let root: vscode.Uri;

function doc(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}

/** Resolves with the diagnostics of `uri` once `ready` accepts them. */
function diagnosticsOf(
  uri: vscode.Uri,
  ready: (d: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (!ready(d)) return false;
      clearTimeout(timer);
      sub.dispose();
      resolve(d);
      return true;
    };
    const timer = setTimeout(() => {
      sub.dispose();
      reject(
        new Error(
          `timed out after ${WAIT_MS} ms waiting for the diagnostics of ${uri.path}: ${JSON.stringify(
            vscode.languages.getDiagnostics(uri).map((d) => `${codeOf(d)}: ${d.message}`),
          )}`,
        ),
      );
    }, WAIT_MS);
    const sub = vscode.languages.onDidChangeDiagnostics(() => check());
    check();
  });
}

/** Polls `check` (the state lives in the server or on disk) until it returns something. */
async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  seen?: () => string,
): Promise<T> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end)
      throw new Error(
        `timed out after ${WAIT_MS} ms waiting for ${what}${seen ? `; last seen: ${seen()}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Writes fixture files under the workspace; returns a function that removes them again. */
function fixture(files: Record<string, string>): () => void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(doc(rel).fsPath.replace(/[/\\][^/\\]+$/, ''), { recursive: true });
    writeFileSync(doc(rel).fsPath, text);
  }
  return () => {
    for (const rel of Object.keys(files)) rmSync(doc(rel).fsPath, { force: true });
  };
}

function phaseDoc(title: string, phase: string, previous?: string, next?: string): string {
  const meta = [
    `phase: "${phase}"`,
    `name: "${title}"`,
    previous ? `previous_phase: "[[${previous}]]"` : undefined,
    next ? `next_phase: "[[${next}]]"` : undefined,
  ].filter(Boolean);
  return `# ${title}\n---\n${meta.join('\n')}\n---\n\n## Exit Criteria\n\n- [x] done\n`;
}

suite('CDP Workflow: editing help (in host)', () => {
  suiteSetup(async function () {
    this.timeout(WAIT_MS * 2);
    ({ api, root } = await activateExtension());
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Mark as done is offered once for an unticked criterion under the cursor, and ticks it', async function () {
    this.timeout(WAIT_MS * 3);
    // 05 Release has progress, so its unticked exit criteria are reported
    const uri = doc('checkout-v2/05-release.md');
    const before = readFileSync(uri.fsPath, 'utf8');
    const d = await vscode.workspace.openTextDocument(uri);
    const unmet = (await diagnosticsOf(uri, (x) => x.some((y) => codeOf(y) === 'unmet-criterion'))).find(
      (y) => codeOf(y) === 'unmet-criterion',
    )!;
    const line = unmet.range.start.line;
    assert.match(d.lineAt(line).text, /^- \[ \] /);
    // the cursor on the criterion's text, as a person puts it there
    const at = new vscode.Range(line, 8, line, 8);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      at,
    );
    const marks = actions.filter((a) => /mark\b.*\bas done/i.test(a.title));
    assert.equal(marks.length, 1, actions.map((a) => a.title).join(' | '));
    const [mark] = marks;
    assert.ok(mark?.edit);
    try {
      assert.ok(await vscode.workspace.applyEdit(mark.edit));
      assert.equal(d.lineAt(line).text, d.lineAt(line).text.replace('- [ ] ', '- [x] '));
      assert.match(d.lineAt(line).text, /^- \[x\] /);
      // exactly one character changed
      assert.equal(d.getText().split('\n')[line]!.replace('- [x] ', '- [ ] '), before.split('\n')[line]);
      assert.equal(d.getText().length, before.length);
      // the ticked criterion is no longer reported
      await diagnosticsOf(
        uri,
        (x) => !x.some((y) => codeOf(y) === 'unmet-criterion' && y.range.start.line === line),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      if (readFileSync(uri.fsPath, 'utf8') !== before) writeFileSync(uri.fsPath, before);
    }
  });

  test('the preferred quick fix of a broken phase chain repairs it', async function () {
    this.timeout(WAIT_MS * 3);
    // 01 skips to 03 while 02 and 03 link each other: 01's next_phase is the link to change
    const remove = fixture({
      'e2e-chain/01-plan.md': phaseDoc('Plan', '01', undefined, '03-ship'),
      'e2e-chain/02-build.md': phaseDoc('Build', '02', '01-plan', '03-ship'),
      'e2e-chain/03-ship.md': phaseDoc('Ship', '03', '02-build'),
    });
    const chain = (x: vscode.Diagnostic[]) => x.filter((y) => codeOf(y) === 'phase-chain');
    try {
      const plan = doc('e2e-chain/01-plan.md');
      // all three open: the server has their text before the fixes are asked for, whichever
      // the file watcher reported first
      for (const rel of ['e2e-chain/02-build.md', 'e2e-chain/03-ship.md', 'e2e-chain/01-plan.md'])
        await vscode.workspace.openTextDocument(doc(rel));
      const broken = chain(
        await diagnosticsOf(plan, (x) => chain(x).some((y) => /not reciprocal/.test(y.message))),
      ).find((y) => /not reciprocal/.test(y.message))!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        plan,
        broken.range,
      );
      const fixes = actions.filter((a) => a.kind?.value === 'quickfix');
      const preferred = fixes.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1, fixes.map((a) => `${a.title} ${a.isPreferred}`).join(' | '));
      // the preferred fix is the first one offered
      assert.equal(fixes[0], preferred[0]);
      assert.ok(preferred[0]!.edit);
      const edit = preferred[0]!.edit;
      assert.ok(await vscode.workspace.applyEdit(edit));
      for (const [u] of edit.entries()) await (await vscode.workspace.openTextDocument(u)).save();
      // 01's link to 03 was the broken one: it now names 02
      assert.match((await vscode.workspace.openTextDocument(plan)).getText(), /^next_phase: .*02-build/m);
      // the chain is sound: no phase-chain finding on any of its documents
      for (const rel of ['e2e-chain/01-plan.md', 'e2e-chain/02-build.md', 'e2e-chain/03-ship.md'])
        await diagnosticsOf(doc(rel), (x) => chain(x).length === 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      remove();
      rmSync(doc('e2e-chain').fsPath, { recursive: true, force: true });
    }
  });

  test('Create document creates the missing artifact and opens it in a tab that stays', async function () {
    this.timeout(WAIT_MS * 3);
    const rel = 'checkout-v2/05-release.md';
    // (where the cycle keeps its other artifacts)
    const created = doc('checkout-v2/artifacts/deployment-runbook.md');
    await vscode.workspace.openTextDocument(doc(rel));
    const missing = (
      await diagnosticsOf(doc(rel), (x) => x.some((y) => codeOf(y) === 'missing-artifact'))
    ).find((y) => codeOf(y) === 'missing-artifact')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc(rel),
      missing.range,
    );
    const create = actions.filter((a) => /^Create/.test(a.title));
    assert.equal(create.length, 1, actions.map((a) => a.title).join(' | '));
    const [fix] = create;
    assert.ok(fix?.edit && fix.command && fix.isPreferred);
    try {
      // what the editor does with a chosen quick fix: the edit, then its command
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(existsSync(created.fsPath));
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputText);
      assert.equal(tab.input.uri.toString(), created.toString());
      assert.equal(tab.isPreview, false);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), created.toString());
      // the finding is gone once the document exists
      await diagnosticsOf(
        doc(rel),
        (x) => !x.some((y) => codeOf(y) === 'missing-artifact' && /deployment-runbook/.test(y.message)),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(created.fsPath, { force: true });
    }
  });

  test('completion by a title typed with spaces inserts a link that resolves to the document', async function () {
    this.timeout(WAIT_MS * 3);
    const rel = 'e2e-notes.md';
    const remove = fixture({ [rel]: '# Notes\n\nSee [[Rollback Pl\n' });
    try {
      const uri = doc(rel);
      const d = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(d);
      const pos = new vscode.Position(2, 'See [[Rollback Pl'.length);
      const list = await until('completion items', async () => {
        const l = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          uri,
          pos,
        );
        return l.items.length > 0 ? l : undefined;
      });
      const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
      const item = list.items.find((i) => label(i) === 'Rollback Plan');
      assert.ok(item, list.items.map(label).join(', '));
      const insert = typeof item.insertText === 'string' ? item.insertText : item.insertText?.value;
      assert.equal(insert, 'Rollback Plan]]');
      // the item replaces everything typed after [[, spaces included
      const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
      assert.ok(range);
      assert.equal(d.getText(range), 'Rollback Pl');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, range, insert!);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(d.lineAt(2).text, 'See [[Rollback Plan]]');
      // F12 on the inserted link lands on the document
      const target = await until('the definition of the inserted link', async () => {
        const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
          'vscode.executeDefinitionProvider',
          uri,
          new vscode.Position(2, 'See [[Roll'.length),
        );
        const first = defs[0];
        return first ? ('targetUri' in first ? first.targetUri : first.uri) : undefined;
      });
      assert.equal(target.toString(), doc('checkout-v2/artifacts/rollback-plan.md').toString());
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      remove();
    }
  });

  test('renaming a file keeps a title-style link a title and a path-style link a path', async function () {
    this.timeout(WAIT_MS * 3);
    const remove = fixture({
      'e2e-rename/notes.md':
        '# Notes\n\n[[Fallback Drill]] [[fallback-drill]] [[Fallback Drill#Steps|steps]] [[ops/fallback-drill.md]]\n',
      'e2e-rename/ops/fallback-drill.md': '# Fallback Drill\n\n## Steps\n',
    });
    const notes = doc('e2e-rename/notes.md');
    try {
      // the server has read both documents: the links resolve
      await until('the links of notes.md to resolve', async () => {
        const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
          'vscode.executeDefinitionProvider',
          notes,
          new vscode.Position(2, 4),
        );
        return defs.length > 0 ? true : undefined;
      });
      // as the Explorer renames: a workspace edit, which asks the server for the link updates
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(doc('e2e-rename/ops/fallback-drill.md'), doc('e2e-rename/ops/fallback-runbook.md'));
      assert.ok(await vscode.workspace.applyEdit(edit));
      const d = await vscode.workspace.openTextDocument(notes);
      assert.equal(
        d.getText(),
        '# Notes\n\n[[Fallback Runbook]] [[fallback-runbook]] [[Fallback Runbook#Steps|steps]] [[ops/fallback-runbook.md]]\n',
      );
      await d.save();
      // and they still resolve, to the renamed document
      await diagnosticsOf(notes, (x) => !x.some((y) => /link/.test(codeOf(y))));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      remove();
      rmSync(doc('e2e-rename').fsPath, { recursive: true, force: true });
    }
  });

  test('the preview resolves wikilinks as the server does: by name and by id, and leaves a broken one as text', async function () {
    this.timeout(WAIT_MS * 3);
    const remove = fixture({
      'e2e-preview/feature.md': '---\nddx:\n  id: FEAT-901\n---\n# Feature\n\n## Scope\n',
      'e2e-preview/notes.md': '# Notes\n\n[[FEAT-901#Scope|by id]] [[Release Plan]] [[no-such-document]]\n',
    });
    try {
      const d = await vscode.workspace.openTextDocument(doc('e2e-preview/notes.md'));
      let last = '';
      const html = await until(
        'the preview to resolve the links',
        async () => {
          await api.previewLinks.ask(d.uri.toString());
          last = await vscode.commands.executeCommand<string>('markdown.api.render', d);
          return /href="[^"]*feature\.md#scope"/.test(last) ? last : undefined;
        },
        () => last,
      );
      // by DDX id, which no file name says: only the server knows
      assert.match(html, /<a href="[^"]*feature\.md#scope"[^>]*class="cdp-wikilink"[^>]*>by id<\/a>/);
      assert.match(html, /<a href="[^"]*checkout-v2\/artifacts\/release-plan\.md"[^>]*>Release Plan<\/a>/);
      assert.match(html, /<span class="cdp-wikilink cdp-unresolved"[^>]*>no-such-document<\/span>/);
    } finally {
      remove();
      rmSync(doc('e2e-preview').fsPath, { recursive: true, force: true });
    }
  });
});
