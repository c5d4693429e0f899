// What the in-host suites share: the extension's id, the bound of every wait, and
// activating the extension against the open workspace folder. Not a suite itself (only
// *.suite.ts files are run).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';

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
