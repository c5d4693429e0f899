// Proves the end-to-end harness on a throwaway extension (written below into a temp folder):
// an in-host mocha suite runs inside the real extension host and reports passes and a
// deliberate failure; the UI helpers find its command, notification, tree view and status
// bar item in the workbench.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type CodeServer,
  e2eSkip,
  ensureE2E,
  installVsix,
  openWorkbench,
  REPO_ROOT,
  runCommand,
  runInHostSuite,
  screenshot,
  startCodeServer,
  statusBarItems,
  treeRows,
  type Workbench,
  waitForNotification,
  waitForStatusBarItem,
  waitForTreeRow,
} from './harness';

const skip = e2eSkip();
const VSCE = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

const extensionManifest = {
  name: 'harness-selftest',
  publisher: 'cdp-e2e',
  version: '0.0.1',
  description: 'Throwaway extension for the end-to-end harness selftest',
  engines: { vscode: '^1.90.0' },
  main: './extension.js',
  files: ['extension.js'],
  activationEvents: ['onStartupFinished'],
  contributes: {
    commands: [{ command: 'harnessSelftest.hello', title: 'Say Hello', category: 'Harness Selftest' }],
    views: { explorer: [{ id: 'harnessSelftest.items', name: 'Selftest Items' }] },
  },
};

const extensionSource = `
const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('harnessSelftest.hello', () =>
      vscode.window.showInformationMessage('Hello from the harness selftest')),
    vscode.window.registerTreeDataProvider('harnessSelftest.items', {
      getChildren: (el) => (el ? [] : ['alpha item', 'beta item']),
      getTreeItem: (label) => new vscode.TreeItem(label),
    }),
  );
  const item = vscode.window.createStatusBarItem('harnessSelftest.status', vscode.StatusBarAlignment.Left, 100);
  item.text = 'Selftest ready';
  item.show();
  context.subscriptions.push(item);
};
`;

// An in-host suite in TypeScript, compiled by the harness like the real ones.
const suiteSource = `
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('harness selftest (in host)', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('cdp-e2e.harness-selftest')!.activate();
  });

  test('the extension command is registered', async () => {
    const commands: string[] = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('harnessSelftest.hello'));
  });

  test('the workspace folder is open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.fsPath, process.env.SELFTEST_WORKSPACE);
  });

  test('a deliberate failure is reported', () => {
    assert.equal(1 + 1, 3, 'deliberate failure');
  });
});
`;

describe('end-to-end harness selftest', { skip, timeout: 600_000 }, () => {
  let dir: string;
  let extensionPath: string;
  let workspace: string;

  before(async () => {
    await ensureE2E();
    dir = mkdtempSync(join(tmpdir(), 'cdp-e2e-selftest-'));
    extensionPath = join(dir, 'extension');
    workspace = join(dir, 'workspace');
    mkdirSync(extensionPath);
    mkdirSync(workspace);
    writeFileSync(join(extensionPath, 'package.json'), JSON.stringify(extensionManifest, null, 2));
    writeFileSync(join(extensionPath, 'extension.js'), extensionSource);
    writeFileSync(join(dir, 'selftest.suite.ts'), suiteSource);
    writeFileSync(join(workspace, 'notes.md'), '# Notes\n');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs an in-host mocha suite in the real extension host and reports each test', async () => {
    const results = await runInHostSuite({
      extensionPath,
      suites: [join(dir, 'selftest.suite.ts')],
      workspace,
      env: { SELFTEST_WORKSPACE: workspace },
      timeoutMs: 120_000,
      name: 'harness-selftest-in-host',
    });
    const byTitle = Object.fromEntries(results.tests.map((t) => [t.title, t]));
    const prefix = 'harness selftest (in host) ';
    assert.equal(
      byTitle[`${prefix}the extension command is registered`]?.state,
      'passed',
      JSON.stringify(results),
    );
    assert.equal(byTitle[`${prefix}the workspace folder is open`]?.state, 'passed', JSON.stringify(results));
    const failure = byTitle[`${prefix}a deliberate failure is reported`];
    assert.equal(failure?.state, 'failed');
    assert.match(failure.error ?? '', /deliberate failure/);
    assert.deepEqual([results.passed, results.failed], [2, 1]);
  });

  describe('UI', () => {
    let server: CodeServer;
    let wb: Workbench;
    const extensionsDir = () => join(dir, 'extensions');

    before(async () => {
      // installed the way a user gets it: packaged as a .vsix, then installed
      const vsix = join(dir, 'harness-selftest.vsix');
      execFileSync(
        process.execPath,
        [VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
        { cwd: extensionPath, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      await installVsix(vsix, extensionsDir());
      assert.ok(existsSync(join(extensionsDir(), 'cdp-e2e.harness-selftest-0.0.1', 'extension.js')));
      server = await startCodeServer({ workspace, extensionsDir: extensionsDir() });
      wb = await openWorkbench(server, { folder: workspace });
    });

    after(async () => {
      await wb?.close();
      await server?.stop();
    });

    it('shows the status bar item and the tree view of the extension', async () => {
      const item = await waitForStatusBarItem(wb.page, 'Selftest ready', 60_000);
      assert.equal(item.id, 'cdp-e2e.harness-selftest.harnessSelftest.status');
      assert.ok((await statusBarItems(wb.page)).some((i) => i.text === 'Selftest ready'));

      // the view is collapsed at the bottom of the explorer; open it by its header
      const header = wb.page.locator('.pane-header', { hasText: 'Selftest Items' });
      await header.waitFor({ state: 'visible', timeout: 15_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      const rows = await waitForTreeRow(wb.page, 'Selftest Items', 'beta item');
      assert.deepEqual(
        rows.map((r) => r.label),
        ['alpha item', 'beta item'],
      );
      assert.ok((await treeRows(wb.page)).length >= 2);
    });

    it('runs a command from the palette and sees its notification', async () => {
      await runCommand(wb.page, 'Harness Selftest: Say Hello');
      const text = await waitForNotification(wb.page, 'Hello from the harness selftest');
      assert.match(text, /Hello from the harness selftest/);
      const shot = await screenshot(wb.page, 'harness-selftest-notification');
      assert.ok(shot.endsWith('.png'));
    });
  });
});
