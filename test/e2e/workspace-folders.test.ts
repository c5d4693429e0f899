// Workspace folders that change while the extension runs, in a real VS Code (code-server in
// headless Chromium): the in-host suite test/e2e/in-host/workspace-folders.suite.ts on a
// multi-root workspace (a .code-workspace file, so that a folder added or removed changes
// the workspace in place) that starts with folder A and gains folder B.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { e2eSkip, ensureBundles, ensureE2E, REPO_ROOT, runInHostSuite, UI_TIMEOUT } from './harness';

const skip = e2eSkip();
const SUITE = join(REPO_ROOT, 'test', 'e2e', 'in-host', 'workspace-folders.suite.ts');
const SLOW = Math.max(UI_TIMEOUT, 60_000);

const FOLDER_A: Record<string, string> = {
  'a.md': '# A\n\nSee [[gone]].\n',
};
const FOLDER_B: Record<string, string> = {
  'wf/01-diagnose.md': [
    '# Diagnose',
    '',
    '---',
    'phase: 01',
    'name: "Diagnose"',
    '---',
    '',
    '## Exit Criteria',
    '',
    '- [ ] Root cause named',
    '',
    'See [[plan]].',
    '',
  ].join('\n'),
  'wf/plan.md': '# Plan\n',
  'b.md': '# B\n\nSee [[nowhere]].\n',
};

function write(into: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(into, rel, '..'), { recursive: true });
    writeFileSync(join(into, rel), text);
  }
  return into;
}

describe('Workspace folders changing in VS Code', { skip, timeout: 900_000 }, () => {
  let dir: string;

  before(async () => {
    await ensureE2E();
    ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'cdp-e2e-folders-'));
  });

  after(() => {
    if (dir && process.env.CDP_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('indexes a folder added to the workspace and withdraws the findings of one removed', async () => {
    const a = write(join(dir, 'folder-a'), FOLDER_A);
    const b = write(join(dir, 'folder-b'), FOLDER_B);
    const workspaceFile = join(dir, 'multi.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: a, name: 'folder-a' }] }, null, 2));
    const results = await runInHostSuite({
      extensionPath: REPO_ROOT,
      suites: [SUITE],
      workspace: workspaceFile,
      env: { CDP_E2E_FOLDER_B: b },
      timeoutMs: 300_000,
      testTimeoutMs: SLOW,
      name: 'workspace-folders-in-host',
    });
    const failed = results.tests.filter((t) => t.state !== 'passed');
    assert.deepEqual(
      failed.map((t) => `${t.title} (${t.state})\n${t.error ?? ''}`),
      [],
    );
    assert.equal(results.passed, 2, results.tests.map((t) => t.title).join('; '));
  });
});
