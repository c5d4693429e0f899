import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { DashboardView } from '../../server/src/core/dashboard';
import { run } from '../helpers/cli';
import { tempDir, tempWorkspace, writeFiles } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';
import { buildDoc, defineDoc } from '../helpers/phase-docs';

const REPO = join(__dirname, '..', '..');
const EXAMPLES = join(REPO, 'examples');
const CHROMIUM = process.env.CDP_E2E_CHROMIUM ?? '/usr/bin/chromium';
// A new machine has no Chromium yet: the end-to-end setup installs it (the same script the
// e2e suites run). Skipped, with the reason, only where that is impossible or not wanted.
if (!existsSync(CHROMIUM) && process.env.CDP_SKIP_E2E !== '1' && !process.env.CDP_E2E_CHROMIUM) {
  spawnSync('bash', [join(__dirname, '..', '..', 'scripts', 'e2e-setup.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const CORPUS = join(REPO, '..', 'shared', 'corpus', 'ddx-cdp');
const corpusSkip = existsSync(CORPUS) ? false : `corpus not present at ${CORPUS}`;

/** Writes the report of `root` and returns its file. */
async function report(root: string, ...args: string[]): Promise<string> {
  const out = join(tempDir('cdp-report-out-'), 'report.html');
  const r = await run(['report', root, '--out', out, ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return out;
}

const embedded = (html: string): DashboardView =>
  JSON.parse(/<script type="application\/json" id="cdp-dashboard-data">([\s\S]*?)<\/script>/.exec(html)![1]);

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

describe('cdp report --format html in headless Chromium', {
  skip: existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}`,
}, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
      headless: true,
    });
  });
  after(async () => {
    await browser?.close();
  });

  async function open(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
    const context = await browser.newContext({ colorScheme, javaScriptEnabled: true });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  /**
   * Opens the report of `root` and checks it against the JSON report: per workflow the
   * phase counts, the gate rows, the blocking items up to the release phase, the verdict.
   */
  async function openAndCount(root: string): Promise<Opened> {
    const json = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
    const file = await report(root, '--history', '0');
    const opened = await open(file);
    const { page, problems, requests } = opened;
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.equal(await page.locator('section.workflow').count(), json.workflows.length);
    for (const w of json.workflows as {
      id: string;
      definition?: boolean;
      phases: {
        phase: string;
        name: string;
        groups: { kind: string; checked: number; total: number; unmet: unknown[] }[];
      }[];
    }[]) {
      const section = page.locator(`section.workflow[data-workflow="${w.id}"]`);
      if (w.definition) {
        // A definition shows its sizes only, as the text report: no states, verdict or blocking items.
        assert.equal(await section.getAttribute('data-definition'), 'true');
        assert.equal(await section.locator('.pipeline, .verdict, tr.blocking-item, .state').count(), 0);
        assert.deepEqual(
          await section.locator('details.phase-detail summary').allTextContents(),
          w.phases.map((p) => {
            const total = p.groups.reduce((n, g) => n + g.total, 0);
            return `${p.phase} ${p.name} · ${total} ${total === 1 ? 'item' : 'items'}`;
          }),
        );
        const groups = w.phases.flatMap((p) => p.groups.filter((g) => g.kind !== 'checklist'));
        assert.equal(await section.locator('tr.gate').count(), groups.length);
        continue;
      }
      const counts = await section.locator('.pipeline .count').allTextContents();
      assert.deepEqual(
        counts,
        w.phases.map((p) => {
          const checked = p.groups.reduce((n, g) => n + g.checked, 0);
          const total = p.groups.reduce((n, g) => n + g.total, 0);
          return `${checked}/${total}`;
        }),
      );
      const criteria = w.phases.flatMap((p) => p.groups.filter((g) => g.kind !== 'checklist'));
      assert.equal(await section.locator('tr.gate').count(), criteria.length);
      // Readiness covers the phases up to the one named Release (the default release phase).
      const release = w.phases.findIndex((p) => p.name.toLowerCase() === 'release');
      const upTo = release >= 0 ? release : w.phases.length - 1;
      const blocking = w.phases
        .slice(0, upTo + 1)
        .flatMap((p) => p.groups.filter((g) => g.kind !== 'checklist'))
        .reduce((n, g) => n + (g.total === 0 ? 1 : g.unmet.length), 0);
      assert.equal(await section.locator('tr.blocking-item').count(), blocking);
      assert.equal(
        await section.locator('.verdict').getAttribute('data-ready'),
        blocking === 0 ? 'true' : 'false',
      );
    }
    return opened;
  }

  it('shows the examples with the right counts, no console errors and no requests but the file', async () => {
    const { page } = await openAndCount(EXAMPLES);
    const checkout = page.locator('section.workflow[data-workflow="checkout-v2"]');
    assert.deepEqual(
      await checkout
        .locator('.pipeline .phase')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))),
      ['passed', 'passed', 'passed', 'current', 'in-progress', 'not-started'],
    );
    // 05 Release has an empty gate: its gates are failing, and the page says so in words
    assert.deepEqual(
      await checkout
        .locator('.pipeline .phase')
        .evaluateAll((els) => els.map((e) => e.querySelector('.state')?.textContent)),
      ['passed', 'passed', 'passed', 'current', 'in progress · failing gates', 'not started'],
    );
    assert.equal(
      await checkout.locator('.pipeline .phase[data-phase="05"]').getAttribute('data-failing-gates'),
      'true',
    );
    const row = checkout.locator('tr.blocking-item', { hasText: 'Follow-up review scheduled' });
    assert.equal(await row.locator('a.loc').textContent(), 'checkout-v2/05-release.md:76');
    assert.equal(await row.locator('a.loc').getAttribute('data-line'), '76');
    // The stylesheet is allowed by the CSP (a blocked one would leave the default border).
    assert.equal(
      await page.evaluate(
        `getComputedStyle(document.querySelector('[data-workflow="checkout-v2"] .pipeline .phase')).borderTopWidth`,
      ),
      '4px',
    );
    await page.context().close();
  });

  it('shows the shared corpus with the right counts', { skip: corpusSkip }, async () => {
    const { page } = await openAndCount(CORPUS);
    // The corpus holds the CDP workflow definition: its phases, with their sizes.
    assert.ok((await page.locator('section.definition details.phase-detail').count()) >= 6);
    await page.context().close();
  });

  it('has a strict CSP, no script to run and no remote resource', async () => {
    const html = readFileSync(await report(EXAMPLES, '--history', '0'), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.match(
      csp ?? '',
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/,
    );
    assert.deepEqual(
      [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
      ['<script type="application/json" id="cdp-dashboard-data">'],
    );
    assert.doesNotMatch(html, /\b(src|srcset)=|https?:\/\/(?!www\.w3\.org)|@import|url\(/);
  });

  it('shows a blocking item as rendered, links as their text, and as written in its title', async () => {
    const root = tempWorkspace({
      'wf/05-release.md': phaseDoc({
        title: 'Release',
        phase: '05',
        name: 'Release',
        body: '## Exit Criteria\n\n- [ ] Plan approved ([[plan|the plan]], [**PRD**](prd.md))\n- [ ] Signed off\n',
      }),
      'wf/plan.md': '# Plan\n',
      'wf/prd.md': '# PRD\n',
    });
    const file = await report(root, '--history', '0');
    const { page, problems } = await open(file);
    assert.deepEqual(problems, []);
    // (the release's own items: the cycle's 01–04, skipped before it, are blocking items too)
    const cells = page
      .locator('tr.blocking-item')
      .filter({ has: page.locator('td:first-child', { hasText: /^05$/ }) })
      .locator('td:nth-child(3)');
    assert.deepEqual(await cells.allTextContents(), ['Plan approved (the plan, PRD)', 'Signed off']);
    assert.equal(
      await cells.first().getAttribute('title'),
      'Plan approved ([[plan|the plan]], [**PRD**](prd.md))',
    );
    assert.equal(await cells.nth(1).getAttribute('title'), null);
    await page.context().close();
  });

  it('keeps hostile document text as text: no markup, no script, data intact', async () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const root = tempWorkspace({
      'wf/05-release.md': phaseDoc({
        title: 'Release',
        phase: '05',
        name: 'Release',
        body: `## Exit Criteria\n\n- [ ] ${evil}\n- [x] done\n\n## ${evil} Gate\n\n- [ ] \u2028<!-- x\n`,
      }),
    });
    const file = await report(root, '--history', '0');
    const html = readFileSync(file, 'utf8');
    const { page, problems, requests } = await open(file);
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.equal(await page.evaluate('document.scripts.length'), 1);
    assert.equal(await page.locator('img').count(), 0);
    const view = embedded(html);
    assert.equal(view.workflows[0].blocking[0].text, evil);
    // (shown as rendered, its tags left out, and as written in the cell's title)
    const cell = page.locator('tr.blocking-item').first().locator('td').nth(2);
    assert.equal(await cell.textContent(), 'alert(1)');
    assert.equal(await cell.getAttribute('title'), evil);
    const data = await page.locator('#cdp-dashboard-data').textContent();
    assert.deepEqual(JSON.parse(data!), view);
    await page.context().close();
  });

  it('is navigable with the keyboard, with a visible focus, and follows the dark scheme', async () => {
    const file = await report(EXAMPLES, '--history', '0');
    const light = await open(file, 'light');
    const dark = await open(file, 'dark');
    const bg = (p: Page) => p.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(await bg(light.page), 'rgb(255, 255, 255)');
    assert.equal(await bg(dark.page), 'rgb(13, 17, 23)');
    await light.page.keyboard.press('Tab');
    const focused = await light.page.evaluate(
      '(() => { const e = document.activeElement; return { tag: e.tagName, outline: getComputedStyle(e).outlineStyle }; })()',
    );
    assert.deepEqual(focused, { tag: 'A', outline: 'solid' });
    // A phase's details open from the keyboard.
    const summary = light.page.locator('details.phase-detail summary').first();
    await summary.focus();
    await light.page.keyboard.press('Enter');
    assert.equal(await light.page.locator('details.phase-detail').first().getAttribute('open'), '');
    await light.page.context().close();
    await dark.page.context().close();
  });

  it('charts checked criteria per phase over the commits that touched the phase documents', async () => {
    const root = tempWorkspace({});
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
        cwd: root,
        env: {
          ...process.env,
          GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
          GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
        },
      });
    git('init', '-q');
    writeFiles(root, { 'wf/01-define.md': defineDoc([false, false, false]) });
    git('add', '-A');
    git('commit', '-qm', 'Start');
    writeFiles(root, { 'wf/01-define.md': defineDoc([true, false, false]) });
    git('commit', '-qam', 'Tick one');
    writeFiles(root, { 'notes.md': 'unrelated\n' });
    git('add', '-A');
    git('commit', '-qm', 'Unrelated');
    writeFiles(root, {
      'wf/01-define.md': defineDoc([true, true, true]),
      'wf/02-build.md': buildDoc([true, false]),
    });
    git('add', '-A');
    git('commit', '-qm', 'Define done, build started');

    const file = await report(root, '--history', '10');
    const { page, problems } = await open(file);
    assert.deepEqual(problems, []);
    const series = await page
      .locator('figure.history polyline')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-phase'), e.getAttribute('data-series')]));
    assert.deepEqual(series, [
      ['01', '0,1,3'],
      ['02', '0,0,1'],
    ]);
    assert.equal(await page.locator('table.history-data tbody tr').count(), 3);
    assert.deepEqual(await page.locator('table.history-data tbody tr td:nth-child(3)').allTextContents(), [
      'Start',
      'Tick one',
      'Define done, build started',
    ]);
    // The points rise with the series: a higher count is drawn higher (smaller y).
    const ys = await page.locator('figure.history polyline[data-phase="01"]').evaluate((e) =>
      e
        .getAttribute('points')!
        .split(' ')
        .map((p: string) => Number(p.split(',')[1])),
    );
    assert.ok(ys[0] > ys[1] && ys[1] > ys[2], ys.join(' '));
    await page.context().close();

    // Bounded to the last N commits that touched the phase documents.
    const two = embedded(readFileSync(await report(root, '--history', '2'), 'utf8'));
    assert.ok(two.history && !('note' in two.history));
    assert.deepEqual(
      two.history[0].points.map((p) => p.checked['01']),
      [1, 3],
    );

    // Reached through a symbolic link, the documents are still found in the repository.
    const link = join(tempDir('cdp-report-link-'), 'repo');
    symlinkSync(root, link);
    const linked = embedded(readFileSync(await report(link, '--history', '10'), 'utf8'));
    assert.ok(linked.history && !('note' in linked.history));
    assert.deepEqual(
      linked.history[0].points.map((p) => p.checked['02']),
      [0, 0, 1],
    );
  });

  it('says in one line that there is no history outside a git repository', async () => {
    const saved = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = tmpdir();
    try {
      const root = tempWorkspace({
        'wf/01-define.md': phaseDoc({ title: 'Define', phase: '01', body: '- [ ] a\n' }),
      });
      const html = readFileSync(await report(root), 'utf8');
      assert.deepEqual(embedded(html).history, { note: 'Not a git repository: no progress over time.' });
      assert.match(html, /<p class="muted history-note">Not a git repository: no progress over time\.<\/p>/);
      assert.doesNotMatch(html, /<svg class="chart"/);
    } finally {
      if (saved === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = saved;
    }
  });
});

describe('cdp report: files and errors', () => {
  it('says why there is no history when git refuses the repository (an unsafe owner)', async () => {
    const root = tempWorkspace({
      'wf/01-define.md': phaseDoc({ title: 'Define', phase: '01', body: '- [ ] a\n' }),
    });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const saved = process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER;
    process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER = '1';
    try {
      const history = embedded(readFileSync(await report(root), 'utf8')).history;
      assert.ok(history && 'note' in history);
      assert.match(
        history.note,
        /^No progress over time: git says "detected dubious ownership in repository at /,
      );
    } finally {
      if (saved === undefined) delete process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER;
      else process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER = saved;
    }
  });

  it('writes to standard output without --out, and fails clearly on an unwritable --out', async () => {
    const root = tempWorkspace({
      'wf/01-define.md': phaseDoc({ title: 'Define', phase: '01', body: '- [ ] a\n' }),
    });
    const r = await run(['report', root, '--history', '0']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^<!doctype html>/);
    const bad = await run(['report', root, '--out', join(root, 'no', 'dir', 'r.html')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^cdp: cannot write /);
  });
});
