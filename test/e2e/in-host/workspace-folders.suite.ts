// In-host suite: a multi-root workspace (a .code-workspace file) gains a folder and loses
// one while the extension runs. VS Code's language client forwards each change to the
// server (workspace/didChangeWorkspaceFolders), which indexes the new set of folders without
// a restart: the added folder's findings and workflow appear, the removed folder's findings
// are withdrawn. Runs on the folders test/e2e/workspace-folders.test.ts writes; the folder
// added is named by CDP_E2E_FOLDER_B.
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

let api: CdpApi;
let client: LanguageClient;
let folderA: vscode.Uri;
let folderB: vscode.Uri;

const file = (folder: vscode.Uri, rel: string) => vscode.Uri.joinPath(folder, ...rel.split('/'));
const codes = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).map(codeOf);

/**
 * Resolves with the first value other than undefined `check` returns, asked at once, on every
 * event of `wake` and every 200 ms; fails after WAIT_MS saying what was awaited and what
 * `describe` reports of the state then.
 */
async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  describe: () => string | Promise<string>,
  wake: vscode.Event<unknown> = vscode.languages.onDidChangeDiagnostics,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let poke: () => void = () => undefined;
  const sub = wake(() => poke());
  try {
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline)
        assert.fail(`timed out after ${WAIT_MS} ms waiting for ${what}; now: ${await describe()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        poke = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    sub.dispose();
  }
}

/** Waits until `uri` has diagnostics that `accept` takes. */
function diagnosticsOf(uri: vscode.Uri, what: string, accept: (codes: string[]) => boolean): Promise<true> {
  return eventually(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    () => (accept(codes(uri)) ? true : undefined),
    () => `diagnostics [${codes(uri).join(', ')}]`,
  );
}

/** Calls updateWorkspaceFolders and waits for VS Code to report the change. */
async function updateFolders(
  what: string,
  start: number,
  deleteCount: number,
  ...add: { uri: vscode.Uri; name: string }[]
): Promise<void> {
  let seen = false;
  const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
    seen = true;
  });
  try {
    assert.ok(
      vscode.workspace.updateWorkspaceFolders(start, deleteCount, ...add),
      `VS Code accepts: ${what}`,
    );
    await eventually(
      `VS Code to report the workspace folders changed (${what})`,
      () => (seen ? true : undefined),
      () => folderList().join(', '),
      vscode.workspace.onDidChangeWorkspaceFolders,
    );
  } finally {
    sub.dispose();
  }
}

function folderList(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

async function workflows(): Promise<WorkflowsResult> {
  // by method name: this bundle has its own copy of the protocol library
  return client.sendRequest<WorkflowsResult>(WorkflowsRequest.method, {});
}

/** The fs paths of every workflow's phase documents, as the server answers cdp/workflows. */
async function serverPhases(): Promise<string[]> {
  const r = await workflows();
  return r.workflows.flatMap((w) => w.phases.map((p) => vscode.Uri.parse(p.uri).fsPath)).sort();
}

/** The fs paths of the phase documents the Progress tree shows. */
async function treePhases(): Promise<string[]> {
  const out: string[] = [];
  for (const w of await api.progressTree.getChildren())
    for (const p of await api.progressTree.getChildren(w))
      if (p.kind === 'phase') out.push(vscode.Uri.parse(p.phase.uri).fsPath);
  return out.sort();
}

async function serverPid(): Promise<number> {
  return (await client.sendRequest<ServerProcessResult>(ServerProcessRequest.method)).pid;
}

suite('Workspace folders added and removed while the extension runs', () => {
  let pid: number;

  suiteSetup(async function () {
    this.timeout(WAIT_MS * 3);
    assert.ok(
      vscode.workspace.workspaceFile?.path.endsWith('.code-workspace'),
      `a .code-workspace file is open: ${vscode.workspace.workspaceFile?.toString()}`,
    );
    assert.equal(folderList().length, 1, `one folder at the start: ${folderList().join(', ')}`);
    ({ api, root: folderA } = await activateExtension());
    client = await api.client;
    const b = process.env.CDP_E2E_FOLDER_B;
    assert.ok(b, 'CDP_E2E_FOLDER_B names the folder to add');
    folderB = vscode.Uri.file(b);
    await diagnosticsOf(file(folderA, 'a.md'), "folder A's broken link to be reported", (c) =>
      c.includes('broken-link'),
    );
    assert.deepEqual(await serverPhases(), [], 'folder A holds no workflow');
    assert.deepEqual(codes(file(folderB, 'b.md')), [], 'nothing is reported for folder B before it is added');
    pid = await serverPid();
  });

  test('a folder added is indexed: its findings and its workflow appear, the first folder keeps its own', async function () {
    this.timeout(WAIT_MS * 4);
    await updateFolders('add folder B', 1, 0, { uri: folderB, name: 'folder-b' });
    assert.deepEqual(folderList(), [folderA.fsPath, folderB.fsPath]);

    await diagnosticsOf(file(folderB, 'b.md'), "folder B's broken link to be reported", (c) =>
      c.includes('broken-link'),
    );
    const phase = file(folderB, 'wf/01-diagnose.md');
    await diagnosticsOf(phase, "the unmet criterion of folder B's phase to be reported", (c) =>
      c.includes('unmet-criterion'),
    );
    assert.ok(!codes(phase).includes('broken-link'), '[[plan]] resolves to wf/plan.md in folder B');

    await eventually(
      "folder B's workflow in the server's cdp/workflows answer",
      async () => ((await serverPhases()).includes(phase.fsPath) ? true : undefined),
      async () => JSON.stringify(await workflows()),
    );
    assert.deepEqual(await serverPhases(), [phase.fsPath]);
    const owners = (await workflows()).workflows.map((w) => vscode.Uri.parse(w.folder).fsPath);
    assert.deepEqual(owners, [folderB.fsPath], 'the workflow belongs to folder B');
    await eventually(
      "folder B's workflow in the Progress tree",
      async () => ((await treePhases()).includes(phase.fsPath) ? true : undefined),
      async () => (await treePhases()).join(', ') || '(empty tree)',
      // the tree fetches the workflows again when the server announces a change
      vscode.languages.onDidChangeDiagnostics,
    );

    assert.ok(codes(file(folderA, 'a.md')).includes('broken-link'), 'folder A keeps its findings');
    assert.equal(await serverPid(), pid, 'the same server process: no restart');
  });

  test("a folder removed: its findings are withdrawn, the other folder's stay", async function () {
    this.timeout(WAIT_MS * 3);
    const a = file(folderA, 'a.md');
    await updateFolders('remove folder A', 0, 1);
    assert.deepEqual(folderList(), [folderB.fsPath]);

    await diagnosticsOf(a, "folder A's findings to be withdrawn", (c) => c.length === 0);
    assert.ok(codes(file(folderB, 'b.md')).includes('broken-link'), 'folder B keeps its findings');
    assert.deepEqual(await serverPhases(), [file(folderB, 'wf/01-diagnose.md').fsPath]);
    assert.equal(await serverPid(), pid, 'the same server process: no restart');
  });
});
