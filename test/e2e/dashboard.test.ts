// The release dashboard in a real VS Code (code-server in headless Chromium), on a copy of
// examples/ made a git repository with two commits (so the history chart has a series):
//   - the in-host suite (test/e2e/in-host/dashboard.suite.ts): the panel, the messages
//     between the page and the extension, live updates, the history setting;
//   - the UI test: what a person sees. The dashboard opened from the Release Progress view's
//     title bar, its counts against `cdp check --format json`, a blocking item followed with
//     the keyboard to its line, an update after a tick on disk, and screenshots in a light and
//     a dark theme (test-results/e2e/dashboard-light.png, dashboard-dark.png).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { JsonReport } from '../../server/src/core/report';
import {
  type CodeServer,
  e2eSkip,
  ensureBundles,
  ensureE2E,
  openWorkbench,
  QUIET_SETTINGS,
  REPO_ROOT,
  runCommand,
  runInHostSuite,
  screenshot,
  startCodeServer,
  UI_TIMEOUT,
  type Workbench,
} from './harness';

const skip = e2eSkip();
const EXAMPLES = join(REPO_ROOT, 'examples');
const SUITE = join(REPO_ROOT, 'test', 'e2e', 'in-host', 'dashboard.suite.ts');
const SLOW = Math.max(UI_TIMEOUT, 60_000);

/** A copy of examples/ as a git repository: a first commit with 02-design unticked, then the rest. */
function exampleRepo(into: string): string {
  const ws = join(into, 'examples');
  cpSync(EXAMPLES, ws, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: ws,
      stdio: 'pipe',
    });
  const design = join(ws, 'mobile-app', '02-design.md');
  const monitor = join(ws, 'checkout-v2', '04-monitor.md');
  const texts = [design, monitor].map((f) => readFileSync(f, 'utf8'));
  writeFileSync(design, texts[0].replaceAll('- [x]', '- [ ]'));
  writeFileSync(monitor, texts[1].replaceAll('- [x]', '- [ ]'));
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'Start');
  writeFileSync(design, texts[0]);
  writeFileSync(monitor, texts[1]);
  git('commit', '-qam', 'Progress');
  return ws;
}

function cliCounts(folder: string): string[] {
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'server', 'out', 'cli.js'), 'check', '.', '--format', 'json'],
    {
      cwd: folder,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  const report = JSON.parse(r.stdout) as JsonReport;
  return report.workflows.flatMap((w) =>
    w.phases.map(
      (p) =>
        `${w.id} ${p.phase} ${p.groups.reduce((n, g) => n + g.checked, 0)}/${p.groups.reduce((n, g) => n + g.total, 0)}`,
    ),
  );
}

/** The dashboard page: the webview's inner frame holding `#cdp-root` with its workflows. */
async function dashboardFrame(page: Page): Promise<Frame> {
  const end = Date.now() + SLOW;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (await f.$('#cdp-root section.workflow').catch(() => null)) return f;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('the dashboard page did not show its workflows');
}

async function shownCounts(frame: Frame): Promise<string[]> {
  return frame.$$eval('section.workflow', (sections) =>
    sections.flatMap((s) =>
      [...s.querySelectorAll('.pipeline .phase')].map(
        (p) =>
          `${s.getAttribute('data-workflow')} ${p.getAttribute('data-phase')} ${p.querySelector('.count')?.textContent}`,
      ),
    ),
  );
}

function setTheme(server: CodeServer, theme: string): void {
  writeFileSync(
    join(server.userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, 'workbench.colorTheme': theme }, null, 2),
  );
}

describe('Release dashboard in VS Code', { skip, timeout: 900_000 }, () => {
  let dir: string;

  before(async () => {
    await ensureE2E();
    ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'cdp-e2e-dashboard-'));
  });

  after(() => {
    if (dir && process.env.CDP_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('passes the in-host dashboard suite in the extension host', async () => {
    const workspace = exampleRepo(mkdtempSync(join(dir, 'in-host-')));
    const results = await runInHostSuite({
      extensionPath: REPO_ROOT,
      suites: [SUITE],
      workspace,
      timeoutMs: 300_000,
      testTimeoutMs: SLOW,
      name: 'dashboard-in-host',
    });
    const failed = results.tests.filter((t) => t.state !== 'passed');
    assert.deepEqual(
      failed.map((t) => `${t.title} (${t.state})\n${t.error ?? ''}`),
      [],
    );
    assert.ok(results.passed >= 4, results.tests.map((t) => t.title).join('; '));
  });

  describe('UI', () => {
    let server: CodeServer;
    let wb: Workbench;
    let page: Page;
    let workspace: string;

    before(async () => {
      workspace = exampleRepo(mkdtempSync(join(dir, 'ui-')));
      server = await startCodeServer({ workspace });
      setTheme(server, 'Default Light Modern');
      wb = await openWorkbench(server, {
        folder: workspace,
        payload: [['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)]],
      });
      page = wb.page;
      await page.locator('.monaco-workbench.vs').waitFor({ timeout: SLOW });
    });

    after(async () => {
      await wb?.close();
      await server?.stop();
    });

    it('opens from the Release Progress title bar and shows the counts cdp check reports', async () => {
      const container = page.locator('.part.activitybar li.action-item:has(> a[aria-label^="CDP Workflow"])');
      await container.waitFor({ state: 'visible', timeout: SLOW });
      if ((await container.getAttribute('aria-selected')) !== 'true') await container.click();
      // A view's title actions show while the pointer is over its pane (or the pane has focus,
      // which the Links view beside it may have taken): point at the Progress view, as a person would.
      await page.locator('.pane-header', { hasText: 'Progress' }).hover({ timeout: SLOW });
      const button = page
        .locator('.part.sidebar a.action-label[aria-label="Open Release Dashboard"]')
        .filter({ visible: true })
        .first();
      await button.waitFor({ state: 'visible', timeout: SLOW });
      await button.click();
      await page
        .locator('.tabs-container .tab.active', { hasText: 'Release Dashboard' })
        .waitFor({ timeout: SLOW });
      const frame = await dashboardFrame(page);
      // the history chart of the repository's two commits
      await frame.locator('figure.history svg.chart').first().waitFor({ timeout: SLOW });
      assert.deepEqual(await shownCounts(frame), cliCounts(workspace));
      assert.ok((await frame.locator('tr.blocking-item').count()) > 0);
      const csp = await frame.$eval('meta[http-equiv="Content-Security-Policy"]', (m) =>
        m.getAttribute('content'),
      );
      assert.match(csp ?? '', /^default-src 'none'; style-src 'nonce-[^']+'; script-src 'nonce-[^']+'/);
      // no tooltip of the title bar over the picture
      await page.mouse.move(900, 500);
      await page.locator('[role="tooltip"]').first().waitFor({ state: 'hidden' });
      await screenshot(page, 'dashboard-light');
      const problems = wb.console.filter((m) => /Content Security Policy|Refused to/i.test(m));
      assert.deepEqual(problems, []);
    });

    it('follows the theme: a dark theme recolours the page', async () => {
      const frame = await dashboardFrame(page);
      const bg = () => frame.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      const light = await bg();
      await runCommand(page, 'Preferences: Color Theme');
      const input = page.locator('.quick-input-widget input');
      await input.fill('Dark Modern');
      await page
        .locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Default Dark Modern' })
        .waitFor({ timeout: SLOW });
      await input.press('Enter');
      await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: SLOW });
      const end = Date.now() + SLOW;
      while ((await bg()) === light && Date.now() < end) await page.waitForTimeout(100);
      assert.notEqual(await bg(), light);
      await frame.locator('body.vscode-dark').waitFor({ timeout: SLOW });
      // the blocking items and the history chart of the first workflow
      await frame.evaluate(
        `document.querySelector('section.workflow table.blocking').previousElementSibling.scrollIntoView({ block: 'start' });
         window.scrollBy(0, -60);`,
      );
      await screenshot(page, 'dashboard-dark');
    });

    it('a blocking item, followed with the keyboard, opens its document at its line', async () => {
      const frame = await dashboardFrame(page);
      const link = frame.locator('tr.blocking-item a.loc').first();
      const where = (await link.textContent()) ?? '';
      const [, file, line] = /^(.*):(\d+)$/.exec(where) ?? [];
      assert.ok(file && line, where);
      await link.focus();
      await link.press('Enter');
      const name = file.split('/').pop()!;
      await page
        .locator('.tabs-container .tab.active .label-name', { hasText: name })
        .waitFor({ timeout: SLOW });
      await page
        .locator('.statusbar-item', { hasText: `Ln ${line}, Col 1` })
        .first()
        .waitFor({ timeout: SLOW });
    });

    it('updates after a criterion is ticked on disk', async () => {
      await page.locator('.tabs-container .tab', { hasText: 'Release Dashboard' }).click();
      let frame = await dashboardFrame(page);
      const phase = frame.locator(
        'section.workflow[data-workflow="checkout-v2"] .pipeline .phase[data-phase="06"] .count',
      );
      const before = (await phase.textContent()) ?? '';
      const [checked, total] = before.split('/').map(Number);
      const file = join(workspace, 'checkout-v2', '06-follow-up.md');
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes('- [ ]'));
      writeFileSync(file, text.replace('- [ ]', '- [x]'));
      frame = await dashboardFrame(page);
      await frame
        .locator('section.workflow[data-workflow="checkout-v2"] .pipeline .phase[data-phase="06"] .count', {
          hasText: `${checked + 1}/${total}`,
        })
        .waitFor({ timeout: SLOW });
      assert.ok(existsSync(file));
    });

    it('comes back after the window is reloaded (its serializer)', async () => {
      const before = await shownCounts(await dashboardFrame(page));
      // "Developer: Reload Window" reloads the window as a person does: the workbench saves
      // which editors are open on its way down (a bare page reload may beat that save on a
      // busy machine), then a new extension host starts and the editors are restored.
      const gone = page.waitForEvent('framenavigated', {
        predicate: (f) => f === page.mainFrame(),
        timeout: SLOW,
      });
      await runCommand(page, 'Developer: Reload Window').catch(() => {
        // the page may navigate away before the palette is seen to close
      });
      await gone;
      await page.locator('.monaco-workbench').waitFor({ timeout: SLOW });
      const tab = page.locator('.tabs-container .tab', { hasText: 'Release Dashboard' });
      await tab.first().waitFor({ timeout: SLOW });
      // restored editors other than the active one are resolved when shown
      if ((await page.locator('.tabs-container .tab.active', { hasText: 'Release Dashboard' }).count()) === 0)
        await tab.first().click();
      // the restored page is filled by the serializer from a freshly started server: wait for
      // the counts to settle rather than read the first paint
      const end = Date.now() + SLOW;
      let shown: string[] = [];
      while (Date.now() < end) {
        shown = await shownCounts(await dashboardFrame(page)).catch(() => []);
        if (JSON.stringify(shown) === JSON.stringify(before)) break;
        await page.waitForTimeout(250);
      }
      assert.deepEqual(shown, before);
    });
  });
});
