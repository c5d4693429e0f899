// In-host suite of the release dashboard: the webview panel opened by its command, the
// messages between the page and the extension (the page reports what it rendered; the
// extension opens what the page asks for, only when the server named the file), live
// updates after a tick, and the history read from git (the driver, test/e2e/dashboard.test.ts,
// makes the workspace a repository with two commits).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FromWebview } from '../../../client/src/dashboard';
import type { CdpApi } from '../../../client/src/extension';
import type { DashboardView } from '../../../server/src/core/dashboard';
import type { JsonReport } from '../../../server/src/core/report';
import { activateExtension, runCli, WAIT_MS } from './common';

type Rendered = Extract<FromWebview, { type: 'rendered' }>;

let api: CdpApi;
let root: vscode.Uri;
let cli: Pick<JsonReport, 'workflows'>;

/** Resolves once `check` returns something (checked every 50 ms); rejects after WAIT_MS. */
async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const countsOf = (r: Rendered) => r.phases.map((p) => `${p.workflow} ${p.phase} ${p.count}`);

function cliCounts(): string[] {
  return cli.workflows.flatMap((w) =>
    w.phases.map((p) => {
      const checked = p.groups.reduce((n, g) => n + g.checked, 0);
      const total = p.groups.reduce((n, g) => n + g.total, 0);
      return `${w.id} ${p.phase} ${checked}/${total}`;
    }),
  );
}

const view = () => api.dashboard.result?.view as DashboardView | undefined;

suite('Release dashboard (in host)', () => {
  suiteSetup(async function () {
    this.timeout(WAIT_MS * 3);
    const started = await activateExtension();
    ({ api, root } = started);
    cli = await runCli(started.extensionPath, root.fsPath);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('CDP: Open Release Dashboard opens a webview that shows the counts cdp check reports', async () => {
    await vscode.commands.executeCommand('cdp.openDashboard');
    assert.equal(api.dashboard.open, true);
    // the tab model reaches the extension host a moment later
    const tab = await until('a tab titled Release Dashboard', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Release Dashboard'),
    );
    assert.match(String((tab.input as { viewType?: unknown }).viewType), /cdp\.dashboard$/);
    const rendered = await until('the page to render the workflows', () => {
      const r = api.dashboard.rendered;
      return r && r.phases.length > 0 ? r : undefined;
    });
    assert.deepEqual(countsOf(rendered), cliCounts());
  });

  test('reads progress over time from git, bounded by cdp.dashboard.historyCommits', async () => {
    const history = await until('the history', () => {
      const h = view()?.history;
      return h && Array.isArray(h) && h.length > 0 ? h : undefined;
    });
    const design = history.find((h) => h.phases.includes('02') && h.points.length > 0);
    assert.ok(design, JSON.stringify(history));
    // the driver's two commits
    assert.deepEqual(
      design.points.map((p) => p.subject),
      ['Start', 'Progress'],
    );
    const config = vscode.workspace.getConfiguration('cdp');
    await config.update('dashboard.historyCommits', 1, vscode.ConfigurationTarget.Workspace);
    try {
      await until('one commit of history', () => {
        const h = view()?.history;
        return Array.isArray(h) && h.every((s) => s.points.length <= 1) ? true : undefined;
      });
      await config.update('dashboard.historyCommits', 0, vscode.ConfigurationTarget.Workspace);
      await until('no history', () => (view() && view()!.history === undefined ? true : undefined));
    } finally {
      await config.update('dashboard.historyCommits', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a blocking item opens its document at its line; a file the server did not name is not opened', async () => {
    const v = view();
    assert.ok(v);
    const item = v.workflows.flatMap((w) => w.blocking).find((b) => b.line > 1);
    assert.ok(item, 'the examples have blocking items');
    await api.dashboard.receive({ type: 'open', file: item.file, line: item.line });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(
      editor.document.uri.toString(),
      vscode.Uri.joinPath(root, ...item.file.split('/')).toString(),
    );
    assert.equal(editor.selection.active.line, item.line - 1);
    assert.ok(editor.document.lineAt(item.line - 1).text.includes(item.text));

    for (const file of ['../outside.md', '/etc/passwd', 'file:///etc/passwd', 'constructor', '__proto__']) {
      await api.dashboard.receive({ type: 'open', file, line: 1 });
      assert.equal(
        vscode.window.activeTextEditor?.document.uri.toString(),
        editor.document.uri.toString(),
        file,
      );
    }
  });

  test('follows a change of cdp.phases.releasePhase: readiness is judged up to the new release phase', async () => {
    await vscode.commands.executeCommand('cdp.openDashboard');
    // The CDP example's release scope: up to its release phase, 05, by default.
    const scope = () => view()?.workflows.find((w) => w.id.endsWith('checkout-v2'))?.readiness.upTo;
    assert.equal(await until('a render', () => (api.dashboard.rendered ? scope() : undefined)), '05');
    const config = vscode.workspace.getConfiguration('cdp');
    await config.update('phases.releasePhase', 'treat', vscode.ConfigurationTarget.Workspace);
    try {
      await until('readiness judged up to phase 03', () => (scope() === '03' ? true : undefined));
    } finally {
      await config.update('phases.releasePhase', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('readiness up to 05 again', () => (scope() === '05' ? true : undefined));
  });

  test('updates after a criterion is ticked', async () => {
    await vscode.commands.executeCommand('cdp.openDashboard');
    const before = await until('a render', () => api.dashboard.rendered);
    const v = view();
    assert.ok(v);
    const item = v.workflows.flatMap((w) => w.blocking).find((b) => b.reason === 'not checked');
    assert.ok(item);
    const workflow = v.workflows.find((w) => w.blocking.includes(item))!;
    const uri = vscode.Uri.joinPath(root, ...item.file.split('/'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.lineAt(item.line - 1).text;
    const box = line.indexOf('[ ]');
    assert.ok(box >= 0, line);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(item.line - 1, box + 1, item.line - 1, box + 2), 'x');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const was = before.phases.find((p) => p.workflow === workflow.id && p.phase === item.phase)!;
    const [checked, total] = was.count.split('/').map(Number);
    const after = await until('the page to show the tick', () => {
      const r = api.dashboard.rendered;
      const p = r?.phases.find((x) => x.workflow === workflow.id && x.phase === item.phase);
      return r && r.version > before.version && p?.count === `${checked + 1}/${total}` ? r : undefined;
    });
    assert.ok(after.version > before.version);
    // the tick is no longer a blocking item
    assert.ok(
      !view()!
        .workflows.flatMap((w) => w.blocking)
        .some((b) => b.file === item.file && b.line === item.line),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert', uri);
  });
});
