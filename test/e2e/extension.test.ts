// The CDP Workflow extension in a real VS Code (code-server in headless Chromium), each run
// on a fresh copy of examples/ in a temporary folder:
//   - the in-host suite (test/e2e/in-host/extension.suite.ts) runs inside the extension host
//     with the extension loaded from the repository's bundles;
//   - the UI tests install the packaged .vsix and use the workbench like a person: the
//     Release Progress view, its checkboxes, F12, hovers, the Problems panel, the command
//     palette and the status bar. Screenshots go to test-results/e2e/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  type CodeServer,
  e2eSkip,
  ensureBundles,
  ensureE2E,
  installVsix,
  openWorkbench,
  REPO_ROOT,
  runCommand,
  runInHostSuite,
  screenshot,
  startCodeServer,
  statusBarItems,
  type Workbench,
  waitForNotification,
  waitForStatusBarItem,
} from './harness';
import { copyExamples, openCdpView, pick, progressView, SLOW } from './workbench-ui';

const skip = e2eSkip();
const VSCE = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const SUITE = join(REPO_ROOT, 'test', 'e2e', 'in-host', 'extension.suite.ts');

/**
 * Resolves with `file`'s content once `ready` accepts it; rejects after `timeoutMs`. (Not just
 * "changed": a writer that truncates first shows an empty file for a moment.)
 */
function fileContent(file: string, ready: (text: string) => boolean, timeoutMs = SLOW): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      let now: string;
      try {
        now = readFileSync(file, 'utf8');
      } catch {
        return; // being replaced
      }
      if (!ready(now)) return;
      finish();
      resolve(now);
    };
    // woken by the file system; the interval covers a rename that replaces the watched file
    const w = watch(join(file, '..'), check);
    const t = setInterval(check, 250);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the expected content of ${file}`));
    }, timeoutMs);
    const finish = () => {
      w.close();
      clearInterval(t);
      clearTimeout(timer);
    };
    check();
  });
}

describe('CDP Workflow in VS Code', { skip, timeout: 900_000 }, () => {
  let dir: string;

  before(async () => {
    await ensureE2E();
    ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'cdp-e2e-extension-'));
  });

  after(() => {
    if (dir && process.env.CDP_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('passes the in-host suite in the extension host', async () => {
    const workspace = copyExamples(mkdtempSync(join(dir, 'in-host-')));
    const results = await runInHostSuite({
      extensionPath: REPO_ROOT,
      suites: [
        SUITE,
        // daily-use.suite.ts runs in daily-use.test.ts
        join(REPO_ROOT, 'test', 'e2e', 'in-host', 'restart.suite.ts'),
      ],
      workspace,
      timeoutMs: 300_000,
      testTimeoutMs: SLOW,
      name: 'extension-in-host',
    });
    const failed = results.tests.filter((t) => t.state !== 'passed');
    assert.deepEqual(
      failed.map((t) => `${t.title} (${t.state})\n${t.error ?? ''}`),
      [],
      `in-host tests not passed:\n${failed.map((t) => `${t.title}\n${t.error ?? ''}`).join('\n\n')}`,
    );
    assert.ok(
      results.passed >= 9,
      `at least 9 in-host tests ran: ${results.tests.map((t) => t.title).join('; ')}`,
    );
    assert.equal(results.failed, 0);
  });

  describe('UI, with the packaged extension installed', () => {
    let server: CodeServer;
    let wb: Workbench;
    let page: Page;
    let workspace: string;

    before(async () => {
      const base = mkdtempSync(join(dir, 'ui-'));
      workspace = copyExamples(base);
      // installed the way a user gets it: packaged as a .vsix, then installed
      const vsix = join(base, 'cdp-workflow.vsix');
      const r = spawnSync(process.execPath, [VSCE, 'package', '--no-dependencies', '--out', vsix], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 180_000,
      });
      assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
      const extensionsDir = join(base, 'extensions');
      await installVsix(vsix, extensionsDir);
      const version = (
        JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
      ).version;
      assert.ok(
        existsSync(
          join(extensionsDir, `cdp-workflow.cdp-workflow-${version}`, 'client', 'out', 'extension.js'),
        ),
      );
      server = await startCodeServer({ workspace, extensionsDir });
      wb = await openWorkbench(server, { folder: workspace });
      page = wb.page;
    });

    after(async () => {
      await wb?.close();
      await server?.stop();
    });

    it('lists the findings in the Problems panel before any document is opened', async () => {
      // activated by the phase documents in the workspace, not by opening markdown
      await page.locator('.monaco-workbench').focus();
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'launch-checklist' }).first();
      await row.waitFor({ state: 'visible', timeout: SLOW });
      assert.equal(await page.locator('.tabs-container .tab').count(), 0, 'no editor is open');
      // hide the panel again (Ctrl+J toggles it), as the later tests expect
      await page.locator('.monaco-workbench').focus();
      await page.keyboard.press('Control+J');
      await row.waitFor({ state: 'hidden', timeout: SLOW });
    });

    it('shows the workflows and phases with their counts in the Progress view', async () => {
      await openCdpView(page);
      const view = progressView(page);
      // the workflows are expanded; the phases show checked/total and their state as their description
      await view.locator('.monaco-list-row', { hasText: '06 Iterate' }).waitFor({ timeout: SLOW });
      const rows = await rowTexts(view);
      assert.deepEqual(
        rows.filter((r) => r.level === 2).map((r) => `${r.label} ${r.description}`),
        [
          '01 Diagnose 12/12 · passed',
          '02 Prescribe 12/12 · passed',
          '03 Treat 12/12 · passed',
          '04 Monitor 12/15 · current',
          '05 Release 9/16 · in progress · failing gates',
          '06 Follow-up 0/11 · not started',
          '01 Define 7/7 · passed',
          '02 Design 4/7 · current',
          '03 Implement 0/4 · not started',
          '04 Test 0/4 · not started',
          '05 Release 0/4 · not started',
          '06 Iterate 0/4 · not started',
        ],
        JSON.stringify(rows),
      );
      assert.equal(rows.filter((r) => r.level === 1).length, 2);
      // no tooltip of the activity bar over the tree in the picture
      await page.mouse.move(900, 500);
      await page.locator('[role="tooltip"]', { hasText: 'CDP Workflow' }).waitFor({ state: 'hidden' });
      await screenshot(page, 'extension-tree');
    });

    it('ticking a criterion checkbox in the tree changes the file on disk', async () => {
      const view = progressView(page);
      const file = join(workspace, 'checkout-v2', '04-monitor.md');
      const before = readFileSync(file, 'utf8');
      await expandRow(view, '04 Monitor', 2);
      await expandRow(view, 'Extended Soak Checklist', 3);
      const row = view.locator('.monaco-list-row[aria-level="4"]', {
        hasText: 'Week 4 numbers within thresholds',
      });
      await row.waitFor({ timeout: SLOW });
      const box = row.locator('.custom-view-tree-node-item-checkbox');
      assert.equal(await box.getAttribute('aria-checked'), 'false');
      const tabs = await page.locator('.tabs-container .tab').count();
      await box.click();
      const after = await fileContent(file, (t) => t.includes('- [x] Week 4 numbers within thresholds'));
      assert.equal(after.replace('- [x] Week 4 numbers', '- [ ] Week 4 numbers'), before);
      // The click ticks; it opens no editor (it selects the row too, which a click on the
      // row's text does to show its line).
      await page.waitForTimeout(1500);
      assert.equal(await page.locator('.tabs-container .tab').count(), tabs);
      // the tree follows the document
      await view
        .locator('.monaco-list-row[aria-level="2"]', { hasText: '04 Monitor' })
        .filter({ hasText: '13/15' })
        .waitFor({ timeout: SLOW });
      await view
        .locator('.monaco-list-row[aria-level="4"]', { hasText: 'Week 4 numbers within thresholds' })
        .locator('.custom-view-tree-node-item-checkbox[aria-checked="true"]')
        .waitFor({ timeout: SLOW });
      await collapseRow(view, '04 Monitor', 2);
    });

    it('Space on a focused criterion ticks it and keeps the focus in the view', async () => {
      const view = progressView(page);
      const file = join(workspace, 'checkout-v2', '04-monitor.md');
      const before = readFileSync(file, 'utf8');
      const tabs = await page.locator('.tabs-container .tab').count();
      await expandRow(view, '04 Monitor', 2);
      await expandRow(view, 'Extended Soak Checklist', 3);
      // the keyboard is in the view (the twistie was clicked): arrow down to the criterion
      assert.ok(
        await view.evaluate((el) => el.contains(el.ownerDocument.activeElement)),
        'focus in the view',
      );
      const focused = view.locator('.monaco-list-row.focused');
      for (let i = 0; i < 40; i++) {
        const text = (await focused.count()) > 0 ? await focused.first().textContent() : '';
        if ((text ?? '').includes('Chargeback rate on treated storefronts')) break;
        await page.keyboard.press('ArrowDown');
      }
      const row = view.locator('.monaco-list-row.focused[aria-level="4"]', {
        hasText: 'Chargeback rate on treated storefronts',
      });
      await row.waitFor({ timeout: SLOW });
      // what a screen reader hears
      assert.match(
        (await row.getAttribute('aria-label')) ?? '',
        /Chargeback rate on treated storefronts.*, unchecked$/,
      );
      await page.keyboard.press('Space');
      const after = await fileContent(file, (t) =>
        t.includes('- [x] Chargeback rate on treated storefronts'),
      );
      assert.equal(after.replace('- [x] Chargeback rate', '- [ ] Chargeback rate'), before);
      await view
        .locator('.monaco-list-row.focused[aria-level="4"]', {
          hasText: 'Chargeback rate on treated storefronts',
        })
        .locator('.custom-view-tree-node-item-checkbox[aria-checked="true"]')
        .waitFor({ timeout: SLOW });
      // the focus stayed in the view and no editor was opened
      assert.ok(
        await view.evaluate((el) => el.contains(el.ownerDocument.activeElement)),
        'focus in the view',
      );
      assert.equal(await page.locator('.tabs-container .tab').count(), tabs);
      await screenshot(page, 'extension-space-in-tree');
      // Space again unticks it: the file is as it was
      await page.keyboard.press('Space');
      await fileContent(file, (t) => t === before);
      await collapseRow(view, '04 Monitor', 2);
    });

    it('F12 on a wikilink opens the linked document', async () => {
      await quickOpen(page, 'checkout-v2/05-release.md', '05-release.md');
      await activeTab(page, '05-release.md');
      // the extension knows the document: its status bar item shows the workflow's progress
      await waitForStatusBarItem(page, /Monitor \d+\/\d+/, SLOW);
      // line 16: "[[Release Plan]] owns the dates; …"
      await goToLine(page, '16:4');
      await page.keyboard.press('F12');
      await activeTab(page, 'release-plan.md');
      // the target is the artifact of the same workflow
      await page
        .locator('.monaco-editor .view-line', { hasText: 'Turn on `checkout.idempotent_attempts`' })
        .first()
        .waitFor({ timeout: SLOW });
    });

    it('hovering a wikilink shows a preview of its target', async () => {
      // in release-plan.md: "[[Rollback Plan]]." (the editor renders the space as U+00A0)
      const token = page
        .locator('.monaco-editor .view-line span span', { hasText: /^Rollback\s+Plan$/ })
        .first();
      await token.waitFor({ timeout: SLOW });
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'rollback-plan.md' });
      await token.hover();
      await hover.waitFor({ state: 'visible', timeout: SLOW });
      await screenshot(page, 'extension-hover');
      await page.mouse.move(5, 890);
      await page.keyboard.press('Escape');
    });

    it('the status bar shows the progress of the current phase', async () => {
      // release-plan.md belongs to checkout-v2, whose current phase is 04 Monitor
      // (the exact count waited for: a refresh after the test before may still be on its way)
      const item = await waitForStatusBarItem(page, /Monitor 13\/15/, SLOW);
      assert.match(item.text, /^Monitor 13\/15$/);
      assert.equal(
        await page.locator('.statusbar-item', { hasText: item.text }).locator('.codicon-checklist').count(),
        1,
      );
      assert.ok((await statusBarItems(page)).some((i) => i.id.startsWith('cdp-workflow.cdp-workflow')));
      // its verdict says why the phase is still current although its gates passed
      await page.locator('.statusbar-item', { hasText: item.text }).first().click();
      const verdict = await waitForNotification(page, /Gate passed/, SLOW);
      assert.match(
        verdict,
        /^Gate passed: checkout-v2 › 04 Monitor \(11\/11\) — 04 Monitor stays current: Extended Soak Checklist: 2 of 4 unticked$/,
      );
      await screenshot(page, 'extension-status-verdict');
      await page.keyboard.press('Escape');
    });

    it('the Markdown preview shows the metadata as a table and wikilinks as links', async () => {
      await quickOpen(page, 'checkout-v2/05-release.md', '05-release.md');
      await activeTab(page, '05-release.md');
      await runCommand(page, 'Markdown: Open Preview to the Side');
      const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const table = preview.locator('table.cdp-metadata');
      await table.waitFor({ timeout: SLOW });
      assert.match((await table.textContent()) ?? '', /previous_phase\s*04-monitor/);
      // the link targets are the language server's answer; the preview is refreshed once it is in
      await preview.locator('a.cdp-wikilink', { hasText: 'Release Plan' }).first().waitFor({ timeout: SLOW });
      assert.ok((await preview.locator('.cdp-task-done').count()) > 0);
      assert.equal(await preview.locator('h2', { hasText: /^phase:/ }).count(), 0);
      await screenshot(page, 'extension-preview');
      // a wikilink links to the file its name resolves to, as the preview writes file links
      const href = await preview
        .locator('a.cdp-wikilink', { hasText: 'Release Plan' })
        .first()
        .getAttribute('href');
      assert.match(href ?? '', /artifacts\/release-plan\.md$/, href ?? '');
      await runCommand(page, 'View: Close All Editors');
    });

    it('the Problems panel lists the broken link of the example', async () => {
      await page.locator('.monaco-workbench').focus();
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'launch-checklist' }).first();
      await row.waitFor({ state: 'visible', timeout: SLOW });
      assert.match((await row.textContent()) ?? '', /does not resolve/);
      await screenshot(page, 'extension-problems');
      await page.keyboard.press('Control+Shift+M');
    });

    it('CDP: Check Gate… from the palette shows the verdict', async () => {
      await runCommand(page, 'CDP: Check Gate…');
      await pick(page, 'Which workflow?', 'checkout', 'checkout-v2');
      await pick(page, 'Which phase?', 'Release', '05 Release');
      await pick(page, 'All gates, or one group?', 'All gates', 'All gates of this phase');
      const text = await waitForNotification(page, /Gate failed/, SLOW);
      // the malformed box of the Stakeholder Acceptance Gate and the empty Security
      // Sign-off Gate are named as reasons
      assert.match(
        text,
        /^Gate failed: Exit Criteria: 5 of 5 unticked; Stakeholder Acceptance Gate: 2 of 3 unticked, and 1 box is not a checkbox GFM reads \(malformed-checkbox\); Security Sign-off Gate has no criteria — checkout-v2 › 05 Release \(9\/16\)$/,
      );
      await screenshot(page, 'extension-gate-verdict');
    });

    it('CDP: Check Gate… starts on the open document: its workflow, then its phase', async () => {
      await quickOpen(page, 'checkout-v2/02-prescribe.md', '02-prescribe.md');
      await activeTab(page, '02-prescribe.md');
      await runCommand(page, 'CDP: Check Gate…');
      const focused = page.locator('.quick-input-widget .monaco-list-row.focused');
      // Enter on the row each list starts on: nothing typed.
      for (const [placeholder, row] of [
        ['Which workflow?', 'checkout-v2'],
        ['Which phase?', '02 Prescribe'],
        ['All gates, or one group?', 'All gates of this phase'],
      ]) {
        const input = page.locator(`.quick-input-widget input[placeholder="${placeholder}"]`);
        await input.waitFor({ state: 'visible', timeout: SLOW });
        await focused.filter({ hasText: row }).waitFor({ timeout: SLOW });
        await input.press('Enter');
      }
      const text = await waitForNotification(page, /checkout-v2 › 02 Prescribe/, SLOW);
      assert.match(text, /checkout-v2 › 02 Prescribe/);
      await runCommand(page, 'View: Close All Editors');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Workbench helpers for this extension

interface Row {
  label: string;
  description: string;
  level: number;
}

async function rowTexts(view: Locator): Promise<Row[]> {
  return view.locator('.monaco-list-row').evaluateAll((els) =>
    els.map((el) => ({
      label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
      level: Number(el.getAttribute('aria-level') ?? '1'),
    })),
  );
}

function treeRow(view: Locator, label: string, level: number): Locator {
  return view
    .locator(`.monaco-list-row[aria-level="${level}"]`)
    .filter({ has: view.page().locator('.label-name', { hasText: label }) })
    .first();
}

/** Expands a collapsed row by its twistie (a click on the label would open the document). */
async function expandRow(view: Locator, label: string, level: number): Promise<void> {
  const row = treeRow(view, label, level);
  await row.waitFor({ timeout: SLOW });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await view
    .locator(`${rowSelector(level)}[aria-expanded="true"]`, { hasText: label })
    .first()
    .waitFor();
}

async function collapseRow(view: Locator, label: string, level: number): Promise<void> {
  const row = treeRow(view, label, level);
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  await view
    .locator(`${rowSelector(level)}[aria-expanded="false"]`, { hasText: label })
    .first()
    .waitFor();
}

function rowSelector(level: number): string {
  return `.monaco-list-row[aria-level="${level}"]`;
}

/** Ctrl+P, type `query`, wait for a result named `name` to be the focused one, Enter. */
async function quickOpen(page: Page, query: string, name: string): Promise<void> {
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: SLOW });
  await input.fill(query);
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: name })
    .filter({ hasText: 'checkout-v2' })
    .waitFor({ timeout: SLOW });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: SLOW });
}

/** Waits until the active editor tab is titled `title`. */
async function activeTab(page: Page, title: string): Promise<void> {
  await page
    .locator('.tabs-container .tab.active .label-name', {
      hasText: new RegExp(`^${title.replace('.', '\\.')}$`),
    })
    .waitFor({ timeout: SLOW });
  // the editor has its text (and so the language server has the document)
  await page.locator('.editor-group-container.active .monaco-editor .view-line').first().waitFor();
}

/** Ctrl+G with "line:column" in the active editor. */
async function goToLine(page: Page, where: string): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: SLOW });
  await input.fill(`:${where}`);
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: SLOW });
  const [line, column] = where.split(':');
  await page
    .locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` })
    .first()
    .waitFor({ timeout: SLOW });
}
