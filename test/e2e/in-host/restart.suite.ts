// In-host suite: the language server process is killed (SIGKILL, as by the out-of-memory
// killer or a crash) while the extension is in use. The language client's default error
// handler restarts it by itself (up to 4 times in 3 minutes), and then the diagnostics and
// the Release Progress tree come back from the new process with the numbers they had.
//
// Which process serves the client is asked of the server (cdp/serverProcess), so the suite
// kills the right one and can tell the new process from the old. Every wait is on an event
// (client state, diagnostics) and bounded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CdpApi } from '../../../client/src/extension';
import {
  ServerProcessRequest,
  type ServerProcessResult,
  WorkflowsRequest,
  type WorkflowsResult,
} from '../../../server/src/protocol';
import { activateExtension, codeOf, WAIT_MS } from './common';

const MONITOR = 'checkout-v2/04-monitor.md';

let api: CdpApi;
let client: LanguageClient;
let root: vscode.Uri;

function doc(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}

function hasBrokenLink(): boolean {
  return vscode.languages.getDiagnostics(doc(MONITOR)).some((d) => codeOf(d) === 'broken-link');
}

/**
 * Resolves once `event` fires with a value `accept` takes (or at once when `now` is true);
 * rejects after `timeoutMs`.
 */
function when<E>(
  what: string,
  event: vscode.Event<E>,
  accept: (e: E) => boolean,
  now = false,
  timeoutMs = WAIT_MS,
): Promise<void> {
  if (now) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!accept(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** The process id of the server answering the client now. */
async function serverPid(): Promise<number> {
  // by method name: this bundle has its own copy of the protocol library
  const { pid } = await client.sendRequest<ServerProcessResult>(ServerProcessRequest.method);
  assert.ok(Number.isInteger(pid) && pid > 0, `a process id: ${pid}`);
  return pid;
}

/** "workflow: phase checked/total, …" for every workflow, as the progress tree shows them. */
async function treeCounts(): Promise<string[]> {
  const lines: string[] = [];
  for (const w of await api.progressTree.getChildren()) {
    const phases = await api.progressTree.getChildren(w);
    const counts = phases.map((p) =>
      p.kind === 'phase' ? `${p.label} ${p.phase.checked}/${p.phase.total}` : '?',
    );
    lines.push(`${w.workflow?.id ?? w.label}: ${counts.join(', ')}`);
  }
  return lines.sort();
}

/** The same, as the server answers cdp/workflows. */
async function serverCounts(): Promise<string[]> {
  const result = await client.sendRequest<WorkflowsResult>(WorkflowsRequest.method, {});
  assert.equal(result.ready, true);
  return result.workflows
    .map((w) => `${w.id}: ${w.phases.map((p) => `${p.phase} ${p.name} ${p.checked}/${p.total}`).join(', ')}`)
    .sort();
}

suite('CDP Workflow extension (in host): the language server is killed', () => {
  suiteSetup(async function () {
    this.timeout(WAIT_MS * 3);
    ({ api, root } = await activateExtension());
    client = await api.client;
    // the server publishes every document's findings once its first indexing is done
    await when(
      `the broken link in ${MONITOR} to be reported`,
      vscode.languages.onDidChangeDiagnostics,
      hasBrokenLink,
      hasBrokenLink(),
    );
  });

  test('the client restarts the server; diagnostics and the progress tree come back', async function () {
    this.timeout(WAIT_MS * 4);
    const before = await treeCounts();
    assert.ok(before.length >= 2, `the workflows of the examples in the tree: ${before.join('; ')}`);
    assert.deepEqual(await serverCounts(), before, 'the tree shows what the server reports');
    const oldPid = await serverPid();
    assert.notEqual(oldPid, process.pid, 'the server is a process of its own, not the extension host');

    // watching before the kill, so no change is missed
    const running = when('the client to be running again', client.onDidChangeState, () => client.isRunning());
    const monitor = doc(MONITOR).toString();
    const republished = when(
      `the diagnostics of ${MONITOR} to be published again with the broken link`,
      vscode.languages.onDidChangeDiagnostics,
      (e) => e.uris.some((u) => u.toString() === monitor) && hasBrokenLink(),
    );
    process.kill(oldPid, 'SIGKILL');

    await running;
    const newPid = await serverPid();
    assert.notEqual(newPid, oldPid, 'a new server process answers');

    await republished;
    assert.ok(hasBrokenLink());

    // the new process has indexed the workspace: same counts as before the kill, in the
    // server's answer and in the tree once it has fetched again (what the Refresh button does)
    assert.deepEqual(await serverCounts(), before);
    await vscode.commands.executeCommand('cdp.refresh');
    assert.deepEqual(await treeCounts(), before);
    assert.ok(client.isRunning());
    assert.equal(await serverPid(), newPid, 'the restarted server stays up');
  });
});
