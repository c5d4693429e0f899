// What the in-host suites share: the extension's id, the bound of every wait, activating
// the extension against the open workspace folder, and running its bundled `cdp check`. Not a suite itself (only
// *.suite.ts files are run).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';
import type { JsonReport } from '../../../server/src/core/report';

export const EXTENSION_ID = 'cdp-workflow.cdp-workflow';
/** Bound of every wait for the language server (the machine may be busy). */
export const WAIT_MS = Number(process.env.CDP_E2E_WAIT_MS ?? 60_000);

/** The rule id of a diagnostic. */
export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

/**
 * Activates the extension explicitly (not through a markdown document, so no editor state
 * leaks into the tests) and waits for its language client.
 */
export async function activateExtension(): Promise<{
  api: CdpApi;
  root: vscode.Uri;
  extensionPath: string;
}> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const ext = vscode.extensions.getExtension<CdpApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  const api = await ext.activate();
  await api.client;
  return { api, root: folder.uri, extensionPath: ext.extensionPath };
}

/** Runs the bundled `cdp check --format json` of the extension under test on the workspace folder. */
export function runCli(extensionPath: string, folder: string): Promise<JsonReport> {
  const cliJs = join(extensionPath, 'server', 'out', 'cli.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cliJs, 'check', '.', '--format', 'json'],
      // the extension host may be Electron: make it behave as plain Node
      { cwd: folder, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        // exit code 1 means "a gate failed or an error was found", which the examples have
        try {
          resolve(JSON.parse(stdout) as JsonReport);
        } catch {
          reject(new Error(`cdp check failed: ${err?.message ?? ''}\n${stderr}\n${stdout.slice(0, 2000)}`));
        }
      },
    );
  });
}

/**
 * Asks the harness for a screenshot of the workbench as it is now (test-results/e2e/<name>.png)
 * and waits until it is taken. Nothing happens where no harness takes them (CDP_E2E_SNAPSHOTS
 * unset, e.g. under @vscode/test-electron).
 */
export async function requestScreenshot(name: string): Promise<void> {
  const dir = process.env.CDP_E2E_SNAPSHOTS;
  if (!dir) return;
  const done = join(dir, `${name}.done`);
  rmSync(done, { force: true });
  writeFileSync(join(dir, `${name}.req`), '');
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(done)) {
    if (Date.now() > deadline) assert.fail(`the harness took no screenshot ${name}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const answer = readFileSync(done, 'utf8');
  assert.equal(answer, 'ok', `screenshot ${name}: ${answer}`);
}
