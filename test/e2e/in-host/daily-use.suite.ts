// In-host suite: what a daily user of the extension trips over (an empty gate, indexing, the
// preview, keyboard and screen readers, the status bar, quick fixes, the report, the tree's
// menus), through the `vscode` API and the API object `activate` returns. Runs after
// extension.suite.ts on the same copy of examples/; every change it makes is undone.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';
import type { ProgressNode } from '../../../client/src/progress-tree';
import type { CheckGateResult } from '../../../server/src/protocol';
import { activateExtension, WAIT_MS } from './common';

let api: CdpApi;
let root: vscode.Uri;

function doc(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}

/** Every node of the tree, depth first. */
async function allNodes(): Promise<ProgressNode[]> {
  const out: ProgressNode[] = [];
  const walk = async (n?: ProgressNode) => {
    for (const c of await api.progressTree.getChildren(n)) {
      out.push(c);
      await walk(c);
    }
  };
  await walk();
  return out;
}

async function release05(): Promise<ProgressNode> {
  const nodes = await allNodes();
  const p = nodes.find(
    (n) => n.kind === 'phase' && n.workflow.id === 'checkout-v2' && n.phase.phase === '05',
  );
  assert.ok(p);
  return p;
}

function accessibility(n: ProgressNode): string {
  return api.progressTree.getTreeItem(n).accessibilityInformation?.label ?? '';
}

/** Resolves once `check` returns something, checking on every change of the given event. */
function when<T>(what: string, event: vscode.Event<unknown>, check: () => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = check();
    if (first !== undefined) return resolve(first);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
    }, WAIT_MS);
    const sub = event(() => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

suite('CDP Workflow: daily use (in host)', () => {
  suiteSetup(async function () {
    this.timeout(WAIT_MS * 2);
    ({ api, root } = await activateExtension());
    await vscode.commands.executeCommand('cdp.refresh');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an empty gate is not passed: tree row, phase, gate verdict and readiness name it', async () => {
    const phase = await release05();
    const groups = await api.progressTree.getChildren(phase);
    const empty = groups.find((g) => g.label === 'Security Sign-off Gate');
    assert.ok(empty && empty.kind === 'group');
    const item = api.progressTree.getTreeItem(empty);
    assert.equal(item.description, 'no criteria');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(accessibility(empty), /not passed: Security Sign-off Gate has no criteria/);
    assert.equal(empty.group.passed, false);
    const gate = await vscode.commands.executeCommand<CheckGateResult>('cdp.checkGate', {
      workflow: 'checkout-v2',
      phase: '05',
      group: 'Security Sign-off Gate',
    });
    assert.equal(gate.passed, false);
    assert.deepEqual(gate.verdicts[0]!.reasons, ['Security Sign-off Gate has no criteria']);
    const ready = await vscode.commands.executeCommand<CheckGateResult>('cdp.checkReleaseReadiness', {
      workflow: 'checkout-v2',
    });
    assert.equal(ready.passed, false);
    assert.ok(ready.verdicts.some((v) => v.reasons.includes('Security Sign-off Gate has no criteria')));
    // every verdict that failed says why
    for (const v of ready.verdicts)
      assert.equal(v.passed, v.reasons.length === 0, `${v.phase}: ${v.reasons}`);
  });

  test('indexing was reported to the view, which shows no message once it is done', () => {
    const seen = api.indexing.seen();
    // the server's progress while it read the documents, then the end
    assert.ok(
      seen.some((s) => !s.ready && s.total > 0),
      JSON.stringify(seen),
    );
    const last = seen[seen.length - 1]!;
    assert.equal(last.ready, true);
    assert.ok(last.total > 0 && last.done === last.total, JSON.stringify(last));
    assert.equal(api.indexing.message(), undefined);
  });

  test('a normal start writes no error line to the output channel', () => {
    const lines = api.outputLines();
    // the client's log lines ("[Error - …]") and its own complaints; gate reports say FAILED
    const bad = lines.filter(
      (l) => /^\[(Error|Warn)/.test(l) || /could not|not running|did not start/i.test(l),
    );
    assert.deepEqual(bad, [], lines.join('\n'));
  });

  test('every tree row tells a screen reader its state; ticked and unticked rows line up', async () => {
    const nodes = await allNodes();
    assert.ok(nodes.length > 50);
    for (const n of nodes) {
      const a = accessibility(n);
      assert.ok(
        a.startsWith(n.kind === 'phase' ? `Phase ${n.label}` : n.kind === 'workflow' ? 'Workflow' : n.label),
        a,
      );
      assert.match(a, /passed|done|checked|unchecked|no criteria|no checkbox|complete|current/, a);
    }
    const criteria = nodes.filter((n) => n.kind === 'criterion');
    const ticked = criteria.find((n) => n.kind === 'criterion' && n.criterion.checked)!;
    const open = criteria.find((n) => n.kind === 'criterion' && !n.criterion.checked)!;
    assert.match(accessibility(ticked), /, checked$/);
    assert.match(accessibility(open), /, unchecked$/);
    // No resource on either: with one, VS Code puts a file icon between the box and the
    // label of ticked rows only.
    assert.equal(api.progressTree.getTreeItem(ticked).resourceUri, undefined);
    assert.equal(api.progressTree.getTreeItem(open).resourceUri, undefined);
    assert.equal(api.progressTree.getTreeItem(ticked).iconPath, api.progressTree.getTreeItem(open).iconPath);
    // the phase's state in the words of cdp check and the dashboard
    const phaseNode = (id: string) =>
      nodes.find((n) => n.kind === 'phase' && n.workflow.id === 'checkout-v2' && n.phase.phase === id)!;
    assert.match(accessibility(phaseNode('04')), /^Phase 04 Monitor, current, \d+ of \d+ done$/);
    assert.match(
      accessibility(phaseNode('05')),
      /^Phase 05 Release, in progress · failing gates, \d+ of \d+ done$/,
    );
    assert.match(String(api.progressTree.getTreeItem(phaseNode('06')).description), /^0\/\d+ · not started$/);
    // the workflow tooltip is plain text: the id reads as written
    const wf = nodes.find((n) => n.kind === 'workflow' && n.workflow.id === 'checkout-v2')!;
    const tooltip = api.progressTree.getTreeItem(wf).tooltip;
    assert.equal(typeof tooltip, 'string');
    assert.match(tooltip as string, /^checkout-v2\n/);
    assert.doesNotMatch(tooltip as string, /\\-/);
  });

  test('Space in the view, Mark as Done / Not Done and Ctrl+Alt+X in the editor toggle one criterion', async function () {
    this.timeout(WAIT_MS * 3);
    const rel = 'checkout-v2/05-release.md';
    const file = doc(rel).fsPath;
    const before = readFileSync(file, 'utf8');
    try {
      const exit = (await api.progressTree.getChildren(await release05())).find(
        (g) => g.label === 'Exit Criteria',
      )!;
      const [first] = await api.progressTree.getChildren(exit);
      assert.ok(first?.kind === 'criterion' && !first.criterion.checked);
      const line = first.criterion.line;
      // the command Space runs, on the selection
      assert.equal(await vscode.commands.executeCommand('cdp.toggleCriterion', first), true);
      assert.equal(readFileSync(file, 'utf8').split('\n')[line], `- [x] ${first.label}`);
      // the tree follows once the server has read the change (on a busy machine, a moment)
      let ticked: ProgressNode | undefined;
      for (const end = Date.now() + WAIT_MS; Date.now() < end; ) {
        await vscode.commands.executeCommand('cdp.refresh');
        const exit2 = (await api.progressTree.getChildren(await release05())).find(
          (g) => g.label === 'Exit Criteria',
        )!;
        [ticked] = await api.progressTree.getChildren(exit2);
        if (ticked?.kind === 'criterion' && ticked.criterion.checked) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(ticked?.kind === 'criterion' && ticked.criterion.checked);
      assert.equal(await vscode.commands.executeCommand('cdp.markUndone', ticked), true);
      assert.equal(readFileSync(file, 'utf8'), before);
      assert.equal(await vscode.commands.executeCommand('cdp.markDone', first), true);
      assert.equal(readFileSync(file, 'utf8').split('\n')[line], `- [x] ${first.label}`);
      writeFileSync(file, before);

      // the editor keybinding's command, on the cursor's line
      const d = await vscode.workspace.openTextDocument(doc(rel));
      await when('the document to be read again', vscode.workspace.onDidChangeTextDocument, () =>
        d.getText() === before ? true : undefined,
      );
      const editor = await vscode.window.showTextDocument(d);
      editor.selection = new vscode.Selection(line, 3, line, 3);
      assert.equal(await vscode.commands.executeCommand('cdp.toggleCriterionAtCursor'), true);
      assert.equal(d.lineAt(line).text, `- [x] ${first.label}`);
      assert.equal(d.getText().replace(`- [x] ${first.label}`, `- [ ] ${first.label}`), before);
      assert.equal(await vscode.commands.executeCommand('cdp.toggleCriterionAtCursor'), true);
      assert.equal(d.getText(), before);
      await d.save();
    } finally {
      if (readFileSync(file, 'utf8') !== before) writeFileSync(file, before);
    }
  });

  test('the Markdown preview renders metadata as a table, wikilinks and embeds as links, task boxes', async () => {
    const d = await vscode.workspace.openTextDocument(doc('checkout-v2/05-release.md'));
    // the link targets are the server's answer, asked for on the first render
    await api.previewLinks.ask(d.uri.toString());
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', d);
    assert.match(html, /<table class="cdp-metadata">/);
    assert.match(html, /<th>previous_phase<\/th><td><a [^>]*class="cdp-wikilink"/);
    assert.match(html, /class="cdp-wikilink"[^>]*>Release Plan<\/a>/);
    assert.match(html, /class="cdp-task cdp-task-done"/);
    assert.doesNotMatch(html, /<h2[^>]*>phase:/);
    assert.doesNotMatch(html, /\[\[Release Plan\]\]/);
    // links to the files the names resolve to, which the preview follows itself
    // relative to the document, as the preview writes links it follows
    assert.match(html, /<a href="artifacts\/release-plan\.md" class="cdp-wikilink"[^>]*>Release Plan<\/a>/);
    assert.match(html, /<a href="04-monitor\.md" class="cdp-wikilink"/);
  });

  test('the Outline of a phase document has no "phase:" heading', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      doc('checkout-v2/04-monitor.md'),
    );
    const names: string[] = [];
    const walk = (list: vscode.DocumentSymbol[]) => {
      for (const s of list ?? []) {
        names.push(s.name);
        walk(s.children);
      }
    };
    walk(symbols);
    assert.ok(names.length > 3, names.join(', '));
    assert.ok(!names.some((n) => /^(#+\s*)?phase:/.test(n)), names.join(', '));
  });

  test('the status bar explains what keeps the phase current; several workflows get a summary', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await when('the summary', vscode.window.onDidChangeActiveTextEditor, () =>
      /2 workflows · 2 current/.test(api.statusBar.text) ? true : undefined,
    );
    assert.match(api.statusBar.text, /2 workflows · 2 current/);
    assert.equal((api.statusBar.command as vscode.Command).command, 'cdp.chooseWorkflow');
    await vscode.window.showTextDocument(doc('checkout-v2/04-monitor.md'));
    await when('the phase in the status bar', vscode.window.onDidChangeActiveTextEditor, () =>
      /Monitor/.test(api.statusBar.text) ? true : undefined,
    );
    assert.match(api.statusBar.text, /Monitor 12\/15/);
    assert.match(String(api.statusBar.tooltip), /current because Extended Soak Checklist: 3 of \d+ unticked/);
  });

  test('opening a phase document reveals its phase in the view; the filter shows the current phase only', async () => {
    await vscode.commands.executeCommand('cdp.progress.focus');
    await when('the view to be visible', api.view.onDidChangeVisibility, () =>
      api.view.visible ? true : undefined,
    );
    await vscode.window.showTextDocument(doc('checkout-v2/02-prescribe.md'));
    const selected = await when('the phase to be selected', api.view.onDidChangeSelection, () =>
      api.view.selection[0]?.kind === 'phase' ? api.view.selection[0] : undefined,
    );
    assert.equal(selected.id, doc('checkout-v2/02-prescribe.md').toString());
    await vscode.commands.executeCommand('cdp.showCurrentPhaseOnly');
    try {
      const [wf] = (await api.progressTree.getChildren()).filter((n) => n.workflow?.id === 'checkout-v2');
      const phases = await api.progressTree.getChildren(wf);
      assert.deepEqual(
        phases.map((p) => p.label),
        ['04 Monitor'],
      );
    } finally {
      await vscode.commands.executeCommand('cdp.showAllPhases');
    }
    assert.equal((await api.progressTree.getChildren((await api.progressTree.getChildren())[0])).length, 6);
  });

  test('Show Only Unmet Criteria keeps a gate that has no criteria: it blocks the release', async () => {
    await vscode.commands.executeCommand('cdp.showUnmetOnly');
    try {
      const [wf] = (await api.progressTree.getChildren()).filter((n) => n.workflow?.id === 'checkout-v2');
      const release = (await api.progressTree.getChildren(wf)).find(
        (n) => n.kind === 'phase' && n.phase.phase === '05',
      );
      assert.ok(release);
      const groups = (await api.progressTree.getChildren(release)).map((g) => g.label);
      assert.ok(groups.includes('Security Sign-off Gate'), groups.join(', '));
      assert.ok(groups.includes('Exit Criteria'), groups.join(', '));
    } finally {
      await vscode.commands.executeCommand('cdp.showAll');
    }
  });

  test('Export Gate Report writes links relative to the report file', async () => {
    const target = doc('reports/gate-report.md');
    try {
      await vscode.workspace.fs.createDirectory(doc('reports'));
      await vscode.commands.executeCommand('cdp.exportGateReport', { target: target.toString() });
      const md = readFileSync(target.fsPath, 'utf8');
      assert.doesNotMatch(md, /file:\/\//);
      assert.match(md, /\]\(<\.\.\/checkout-v2\/05-release\.md>\)/);
      assert.match(md, /\]\(<\.\.\/checkout-v2\/05-release\.md#L\d+>\)/);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString());
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(doc('reports').fsPath, { recursive: true, force: true });
    }
  });

  test('a new workflow opens its first document in a tab of its own, not a preview', async () => {
    // outside the workspace folder, so the other suites' workflows stay as they are
    const parent = vscode.Uri.file(mkdtempSync(join(tmpdir(), 'cdp-new-workflow-')));
    try {
      await vscode.commands.executeCommand('cdp.newWorkflow', { folder: parent.toString(), name: 'Trial' });
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab);
      assert.equal(tab.isPreview, false);
      assert.match((tab.input as vscode.TabInputText).uri.path, /\/01-[^/]+\.md$/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(parent.fsPath, { recursive: true, force: true });
    }
  });
});
