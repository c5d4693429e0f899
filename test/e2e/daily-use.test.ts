// What a daily user does, in a real VS Code (code-server in headless Chromium), with the
// extension loaded from the repository's bundles:
//   - in host: test/e2e/in-host/daily-use.suite.ts and editing.suite.ts (quick fixes under
//     the cursor, completion, rename, the preview's link targets) on a copy of examples/;
//   - UI: the Progress view while a large workspace is being indexed (its progress, and no
//     New Workflow… button until indexing found nothing), clicking wikilinks in the Markdown
//     preview, and the Getting Started walkthrough, step by step with its links.
// Screenshots go to test-results/e2e/ (docs/images/indexing.png, walkthrough.png and
// preview.png are daily-indexing, daily-walkthrough and daily-preview of a run).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import {
  type CodeServer,
  e2eSkip,
  ensureBundles,
  ensureE2E,
  openWorkbench,
  REPO_ROOT,
  runCommand,
  runInHostSuite,
  screenshot,
  startCodeServer,
  type Workbench,
  waitForNotification,
} from './harness';
import { copyExamples, openCdpView, pick, progressView, SLOW } from './workbench-ui';

const skip = e2eSkip();
const IN_HOST = join(REPO_ROOT, 'test', 'e2e', 'in-host');

/** Polls `read` until `ready` accepts its value; rejects after `timeoutMs`. */
async function until<T>(what: string, read: () => T, ready: (v: T) => boolean, timeoutMs = SLOW): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (ready(v)) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A workspace large enough that indexing it takes a while: `workflows` workflows of six
 * phase documents, each with `notes` notes that link to each other.
 */
function largeWorkspace(dir: string, workflows: number, notes: number): string {
  const ws = join(dir, 'large');
  const names = ['plan', 'design', 'build', 'test', 'release', 'iterate'];
  for (let w = 0; w < workflows; w++) {
    const wf = join(ws, `wf-${w}`);
    mkdirSync(join(wf, 'notes'), { recursive: true });
    names.forEach((name, i) => {
      const prev = i > 0 ? `previous_phase: "[[0${i}-${names[i - 1]}]]"\n` : '';
      const next = i < 5 ? `next_phase: "[[0${i + 2}-${names[i + 1]}]]"\n` : '';
      const items = Array.from({ length: 8 }, (_, k) => `- [${k < i ? 'x' : ' '}] criterion ${k} of ${name}`);
      writeFileSync(
        join(wf, `0${i + 1}-${name}.md`),
        `# ${name} ${w}\n---\nphase: "0${i + 1}"\nname: "${name}"\n${prev}${next}---\n\n## Exit Criteria\n\n${items.join('\n')}\n`,
      );
    });
    for (let n = 0; n < notes; n++) {
      const body = Array.from(
        { length: 12 },
        (_, k) =>
          `Paragraph ${k} of note ${n}, see [[note-${(n + k + 1) % notes}]] and [[0${(k % 6) + 1}-${names[k % 6]}]] for more.`,
      ).join('\n\n');
      writeFileSync(join(wf, 'notes', `note-${n}.md`), `# Note ${n}\n\n## Section\n\n${body}\n`);
    }
  }
  return ws;
}

/** The Progress view (its pane). */
/** Ctrl+P, type `query`, wait for `name` to be the focused result, Enter. */
async function quickOpen(page: Page, query: string, name: string): Promise<void> {
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: SLOW });
  await input.fill(query);
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: name })
    .waitFor({ timeout: SLOW });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: SLOW });
}

async function activeTab(page: Page, title: RegExp): Promise<void> {
  await page
    .locator('.tabs-container .tab.active .label-name', { hasText: title })
    .waitFor({ timeout: SLOW });
}

/** The content frame of the Markdown preview. */
function previewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

describe('CDP Workflow in daily use, in VS Code', { skip, timeout: 1_200_000 }, () => {
  let dir: string;

  before(async () => {
    await ensureE2E();
    ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'cdp-e2e-daily-'));
  });

  after(() => {
    if (dir && process.env.CDP_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('passes the daily-use and editing suites in the extension host', async () => {
    const workspace = copyExamples(mkdtempSync(join(dir, 'in-host-')));
    const results = await runInHostSuite({
      extensionPath: REPO_ROOT,
      suites: [join(IN_HOST, 'daily-use.suite.ts'), join(IN_HOST, 'editing.suite.ts')],
      workspace,
      timeoutMs: 400_000,
      testTimeoutMs: SLOW,
      name: 'daily-use-in-host',
    });
    const failed = results.tests.filter((t) => t.state !== 'passed');
    assert.deepEqual(
      failed.map((t) => `${t.title} (${t.state})\n${t.error ?? ''}`),
      [],
    );
    // every test of both suites ran
    const titles = results.tests.map((t) => t.title);
    assert.ok(
      titles.filter((t) => t.startsWith('CDP Workflow: editing help')).length >= 6,
      titles.join('; '),
    );
    assert.ok(titles.filter((t) => t.startsWith('CDP Workflow: daily use')).length >= 10, titles.join('; '));
  });

  describe('UI', () => {
    let server: CodeServer | undefined;
    let wb: Workbench | undefined;

    async function open(workspace: string): Promise<Page> {
      server = await startCodeServer({ workspace });
      wb = await openWorkbench(server, {
        folder: workspace,
        payload: [['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)]],
      });
      return wb.page;
    }

    async function close(): Promise<void> {
      // what the page showed last (on a failure: where it stopped)
      if (wb) await screenshot(wb.page, `daily-ui-end-${server?.port}`).catch(() => undefined);
      await wb?.close();
      await server?.stop();
      wb = undefined;
      server = undefined;
    }

    after(close);

    it('while a large workspace is indexed the view shows the progress and no New Workflow… button', async () => {
      const workspace = largeWorkspace(mkdtempSync(join(dir, 'large-')), 40, 600);
      try {
        const page = await open(workspace);
        // from now on, remember whether the view ever offered New Workflow…
        // (a string: this file is compiled without the DOM's types)
        await page.evaluate(`(() => {
          window.cdpSeen = { newWorkflow: false, indexing: false, counts: [] };
          const look = () => {
            for (const pane of document.querySelectorAll('.pane')) {
              if (!pane.querySelector('.pane-header')?.textContent?.includes('Progress')) continue;
              const text = pane.querySelector('.pane-body')?.textContent ?? '';
              if (/New Workflow/.test(text)) window.cdpSeen.newWorkflow = true;
              if (/Indexing CDP documents|Looking for CDP/.test(text)) window.cdpSeen.indexing = true;
              const count = /Indexing CDP documents (\\d+)\\//.exec(text);
              const counts = window.cdpSeen.counts;
              if (count && counts[counts.length - 1] !== Number(count[1])) counts.push(Number(count[1]));
            }
          };
          new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
          look();
        })()`);
        await openCdpView(page);
        const view = progressView(page);
        const progress = view.locator('.pane-body', { hasText: /Indexing CDP documents \d+\/\d+…/ });
        await progress.waitFor({ timeout: SLOW });
        assert.equal(await view.locator('.monaco-button, a', { hasText: 'New Workflow' }).count(), 0);
        assert.equal(await view.locator('.monaco-list-row').count(), 0, 'no rows while indexing');
        // no tooltip of the activity bar over the view in the picture
        await page.mouse.move(900, 500);
        await page.locator('[role="tooltip"]', { hasText: 'CDP Workflow' }).waitFor({ state: 'hidden' });
        await screenshot(page, 'daily-indexing');
        // indexing ends with the workflows, never having offered New Workflow…
        await view.locator('.monaco-list-row', { hasText: 'wf-0' }).first().waitFor({ timeout: 300_000 });
        await view
          .locator('.pane-body', { hasText: /Indexing CDP documents/ })
          .waitFor({ state: 'detached', timeout: SLOW })
          .catch(() => undefined);
        assert.equal(await view.locator('.pane-body', { hasText: /Indexing CDP documents/ }).count(), 0);
        const seen = (await page.evaluate('window.cdpSeen')) as {
          newWorkflow: boolean;
          indexing: boolean;
          counts: number[];
        };
        assert.equal(seen.newWorkflow, false, 'New Workflow… was offered while indexing');
        assert.equal(seen.indexing, true);
        // the count in the view moved on while indexing went on (seen by the observer: the
        // last counts can pass between two looks of the test itself, as indexing ends)
        assert.ok(seen.counts.length >= 2, `counts shown: ${seen.counts.join(', ')}`);
        assert.deepEqual(
          seen.counts,
          [...seen.counts].sort((a, b) => a - b),
          `counts shown: ${seen.counts.join(', ')}`,
        );
      } finally {
        await close();
      }
    });

    it('clicking wikilinks in the Markdown preview opens the linked document and heading', async () => {
      const workspace = copyExamples(mkdtempSync(join(dir, 'preview-')));
      writeFileSync(
        join(workspace, 'checkout-v2', 'links.md'),
        '# Links\n\n- [[Rollback Plan]]\n- [[Release Plan#Rollout Schedule|the release waves]]\n- [[no-such-document]]\n',
      );
      try {
        const page = await open(workspace);
        await openCdpView(page);
        await progressView(page)
          .locator('.monaco-list-row', { hasText: '04 Monitor' })
          .first()
          .waitFor({ timeout: SLOW });
        await quickOpen(page, 'checkout-v2/05-release.md', '05-release.md');
        await activeTab(page, /^05-release\.md$/);
        await runCommand(page, 'Markdown: Open Preview to the Side');
        let preview = previewFrame(page);
        await preview.locator('table.cdp-metadata').waitFor({ timeout: SLOW });
        // the link targets come from the server; the preview is refreshed once they are in
        const release = preview.locator('a.cdp-wikilink', { hasText: 'Release Plan' }).first();
        await release.waitFor({ timeout: SLOW });
        assert.match((await release.getAttribute('href')) ?? '', /artifacts\/release-plan\.md$/);
        await screenshot(page, 'daily-preview');
        await release.click();
        // the preview now shows the linked document
        await preview.locator('h1', { hasText: /^Release Plan/ }).waitFor({ timeout: SLOW });
        await screenshot(page, 'daily-preview-followed');
        await runCommand(page, 'View: Close All Editors');

        // a link to a heading of another document
        await quickOpen(page, 'checkout-v2/links.md', 'links.md');
        await activeTab(page, /^links\.md$/);
        await runCommand(page, 'Markdown: Open Preview to the Side');
        preview = previewFrame(page);
        const waves = preview.locator('a.cdp-wikilink', { hasText: 'the release waves' });
        await waves.waitFor({ timeout: SLOW });
        assert.match(
          (await waves.getAttribute('href')) ?? '',
          /artifacts\/release-plan\.md#rollout-schedule$/,
        );
        assert.equal(await preview.locator('.cdp-unresolved', { hasText: 'no-such-document' }).count(), 1);
        await waves.click();
        const heading = preview.locator('[id="rollout-schedule"]').first();
        await heading.waitFor({ timeout: SLOW });
        await preview.locator('h1', { hasText: /^Release Plan/ }).waitFor({ timeout: SLOW });
        await screenshot(page, 'daily-preview-heading');
      } finally {
        await close();
      }
    });

    it('the Getting Started walkthrough shows its steps and its links open the view, tick a criterion and check a gate', async () => {
      const workspace = copyExamples(mkdtempSync(join(dir, 'walkthrough-')));
      try {
        const page = await open(workspace);
        // An editor opened a moment later (a busy machine) can cover the walkthrough just
        // opened: then it is opened again.
        const openWalkthrough = async () => {
          const container = page
            .locator('.gettingStartedContainer', { hasText: 'Get Started with CDP Workflow' })
            .first();
          for (let attempt = 1; ; attempt++) {
            await runCommand(page, 'Welcome: Open Walkthrough...');
            await pick(page, 'Select a walkthrough to open', 'CDP', 'Get Started with CDP Workflow');
            const shown = await container
              .waitFor({ timeout: attempt === 3 ? SLOW : SLOW / 3 })
              .then(() => true)
              .catch((e: unknown) => {
                if (attempt === 3) throw e;
                return false;
              });
            if (shown) return;
          }
        };
        await openWalkthrough();
        const steps = page.locator('.getting-started-step .step-title');
        await steps.first().waitFor({ timeout: SLOW });
        const titles = (await steps.allTextContents()).map((t) => t.trim()).filter(Boolean);
        assert.deepEqual(titles, [
          'Open the Progress view',
          'Tick a criterion',
          'Check a gate',
          'Run cdp check in CI',
        ]);
        const step = (title: string) => page.locator('.getting-started-step', { hasText: title }).first();
        const link = (title: string, text: string) =>
          page
            .locator('.getting-started-step.expanded', { hasText: title })
            .locator('.monaco-button, a', { hasText: text })
            .first();
        // The walkthrough may render its steps again while a click waits for one to stay
        // still (a busy machine): click without that wait, and again until it is expanded.
        const expand = async (title: string) => {
          const expanded = page.locator('.getting-started-step.expanded', { hasText: title });
          for (let attempt = 0; attempt < 6 && (await expanded.count()) === 0; attempt++) {
            await step(title)
              .locator('.step-title')
              .click({ force: true, timeout: 10_000 })
              .catch(() => undefined);
            await expanded.waitFor({ timeout: 5_000 }).catch(() => undefined);
          }
          await expanded.waitFor({ timeout: SLOW });
        };

        // 1: the view opens
        await expand('Open the Progress view');
        await link('Open the Progress view', 'Open the Progress view').click({ force: true });
        const view = progressView(page);
        await view.locator('.monaco-list-row', { hasText: '04 Monitor' }).first().waitFor({ timeout: SLOW });

        // 2: a criterion selected in the view gets ticked by the step's link
        const file = join(workspace, 'checkout-v2', '04-monitor.md');
        const before = readFileSync(file, 'utf8');
        const row = async (label: string, level: number) => {
          const r = view.locator(`.monaco-list-row[aria-level="${level}"]`, { hasText: label }).first();
          await r.waitFor({ timeout: SLOW });
          if ((await r.getAttribute('aria-expanded')) === 'false')
            await r.locator('.monaco-tl-twistie').click();
          return r;
        };
        await row('04 Monitor', 2);
        await row('Extended Soak Checklist', 3);
        const criterion = view.locator('.monaco-list-row[aria-level="4"]', {
          hasText: 'Week 4 numbers within thresholds',
        });
        await criterion.locator('.label-name').click();
        await view
          .locator('.monaco-list-row.selected[aria-level="4"]', { hasText: 'Week 4 numbers' })
          .waitFor({ timeout: SLOW });
        // the click shows the criterion's line in its document (the view keeps the focus)
        await activeTab(page, /^04-monitor\.md$/);
        await openWalkthrough();
        await expand('Tick a criterion');
        const tick = link('Tick a criterion', 'Mark as Done');
        await tick.waitFor({ timeout: SLOW });
        // the step's own page, shown beside the steps (a webview)
        await page
          .frameLocator('.gettingStartedContainer iframe.webview.ready')
          .frameLocator('#active-frame')
          .locator('h1', { hasText: 'Tick a criterion' })
          .waitFor({ timeout: SLOW });
        await page.mouse.move(5, 890);
        await screenshot(page, 'daily-walkthrough');
        await tick.click({ force: true });
        const after = await until(
          'the criterion ticked on disk',
          () => readFileSync(file, 'utf8'),
          (t) => t.includes('- [x] Week 4 numbers within thresholds'),
        );
        assert.equal(after.replace('- [x] Week 4 numbers', '- [ ] Week 4 numbers'), before);

        // 3: the gate check runs
        await expand('Check a gate');
        await link('Check a gate', 'Check Gate').click({ force: true });
        await pick(page, 'Which workflow?', 'checkout', 'checkout-v2');
        await pick(page, 'Which phase?', 'Release', '05 Release');
        await pick(page, 'All gates, or one group?', 'All gates', 'All gates of this phase');
        const verdict = await waitForNotification(page, /Gate failed/, SLOW);
        assert.match(verdict, /Security Sign-off Gate has no criteria/);

        // 4: no link; what it says is there
        await expand('Run cdp check in CI');
        await page.locator('.getting-started-step.expanded', { hasText: 'Run cdp check in CI' }).waitFor();
        assert.match((await step('Run cdp check in CI').textContent()) ?? '', /cdp check --phase release/);
      } finally {
        await close();
      }
    });
  });
});
