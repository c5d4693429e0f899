// The Links view in a real VS Code (code-server in headless Chromium): the in-host suite
// test/e2e/in-host/links.suite.ts on a workspace of DDX documents that depend on and link
// to each other.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { e2eSkip, ensureBundles, ensureE2E, REPO_ROOT, runInHostSuite, UI_TIMEOUT } from './harness';

const skip = e2eSkip();
const SUITE = join(REPO_ROOT, 'test', 'e2e', 'in-host', 'links.suite.ts');
const SLOW = Math.max(UI_TIMEOUT, 60_000);

const FILES: Record<string, string> = {
  'docs/prd.md': '---\nddx:\n  id: helix.prd\n---\n# Product Requirements\n\n## Goals\n',
  'docs/login.md': [
    '---',
    'ddx:',
    '  id: FEAT-004',
    '  depends_on:',
    '    - helix.prd',
    '    - ADR-003',
    '---',
    '# Login',
    '',
    'Built on [[helix.prd#Goals]] and [[ADR-003|the decision]].',
    '',
  ].join('\n'),
  'docs/adr.md':
    '---\ndun:\n  id: ADR-003\n  depends_on: helix.prd\n---\n# Use tokens\n\nSee [[FEAT-004]].\n',
  'docs/story.md': '---\nddx:\n  id: US-1\n  depends_on: [FEAT-004]\n---\n# Story\n\nPart of [[login]].\n',
  // the same document linked twice: the rows tell the links apart by their line
  'docs/notes.md': '# Notes\n\nSee [[helix.prd]].\n\nAgain [[helix.prd]].\n',
};

function workspace(into: string): string {
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(join(into, rel, '..'), { recursive: true });
    writeFileSync(join(into, rel), text);
  }
  return into;
}

describe('Links view in VS Code', { skip, timeout: 900_000 }, () => {
  let dir: string;

  before(async () => {
    await ensureE2E();
    ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'cdp-e2e-links-'));
  });

  after(() => {
    if (dir && process.env.CDP_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('passes the in-host Links view suite in the extension host', async () => {
    const results = await runInHostSuite({
      extensionPath: REPO_ROOT,
      suites: [SUITE],
      workspace: workspace(mkdtempSync(join(dir, 'ws-'))),
      timeoutMs: 300_000,
      testTimeoutMs: SLOW,
      name: 'links-in-host',
    });
    const failed = results.tests.filter((t) => t.state !== 'passed');
    assert.deepEqual(
      failed.map((t) => `${t.title} (${t.state})\n${t.error ?? ''}`),
      [],
    );
    assert.equal(results.passed, 6, results.tests.map((t) => t.title).join('; '));
  });
});
