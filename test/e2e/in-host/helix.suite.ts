// In-host suite: a HELIX workflow (phase folders docs/helix/00-discover … 06-iterate with
// README.md phase documents, GATE.yaml and exit-gates.yml gate files, artifacts naming their
// phase) in the Progress view, the Problems and the confirmations file. Runs on the workspace
// test/e2e/helix.test.ts writes.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';
import type { ProgressNode } from '../../../client/src/progress-tree';
import { activateExtension, codeOf, requestScreenshot, WAIT_MS } from './common';

let api: CdpApi;
let root: vscode.Uri;

const GATE = 'docs/helix/01-frame/GATE.yaml';
const CHECK = 'Product requirements written';
const SPONSOR = 'Sponsor approved the scope';
const LEGAL = 'Legal reviewed the terms';

function doc(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}

/** The tree's rows along a path of labels (a row's label starts with the given text). */
async function find(...labels: string[]): Promise<ProgressNode | undefined> {
  let node: ProgressNode | undefined;
  for (const label of labels) {
    const children = await api.progressTree.getChildren(node);
    node = children.find((c) => c.label.startsWith(label));
    if (!node) return undefined;
  }
  return node;
}

/** Waits until the row along `labels` exists and `check` accepts it. */
async function row(
  labels: string[],
  check: (n: ProgressNode) => boolean,
  what: string,
): Promise<ProgressNode> {
  const deadline = Date.now() + WAIT_MS;
  let last: ProgressNode | undefined;
  while (Date.now() < deadline) {
    last = await find(...labels);
    if (last && check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(
    `${what}: ${labels.join(' › ')} is ${last ? JSON.stringify(api.progressTree.getTreeItem(last)) : 'not shown'}`,
  );
}

const criterion = (n: ProgressNode) => (n.kind === 'criterion' ? n.criterion : undefined);

function unmet(rel: string): string[] {
  return vscode.languages
    .getDiagnostics(doc(rel))
    .filter((d) => codeOf(d) === 'unmet-criterion')
    .map((d) => `${d.range.start.line}: ${d.message}`);
}

async function diagnostics(
  rel: string,
  check: (unmet: string[]) => boolean,
  what: string,
): Promise<string[]> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const u = unmet(rel);
    if (check(u)) return u;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: ${JSON.stringify(unmet(rel))}`);
}

async function confirmations(check: (text: string) => boolean): Promise<string> {
  const uri = doc('.cdp/confirmations.yml');
  const deadline = Date.now() + WAIT_MS;
  let text = '';
  while (Date.now() < deadline) {
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      if (check(text)) return text;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`.cdp/confirmations.yml is ${JSON.stringify(text)}`);
}

const EXIT = ['docs/helix', '01 Frame', 'Exit Requirements'];

suite('HELIX workflow', () => {
  suiteSetup(async () => {
    ({ api, root } = await activateExtension());
    // how long activate() took in this extension host, for the driver to print
    const metrics = process.env.CDP_E2E_METRICS;
    if (metrics) writeFileSync(metrics, JSON.stringify({ activationMs: api.activationMs() }));
  });

  test('shows one workflow of seven phases; a failing GATE.yaml check under its phase, with its diagnostic', async () => {
    const wf = await row(
      ['docs/helix'],
      (n) => n.kind === 'workflow' && n.workflow.phases.length === 7,
      'workflow',
    );
    assert.ok(wf.kind === 'workflow');
    assert.deepEqual(
      wf.workflow.phases.map((p) => `${p.phase} ${p.name}`),
      ['00 Discover', '01 Frame', '02 Design', '03 Test', '04 Build', '05 Deploy', '06 Iterate'],
    );
    const phase = await api.progressTree.getChildren(await find('docs/helix', '01 Frame'));
    assert.deepEqual(
      phase.map((n) => `${n.kind}: ${n.label}`),
      ['group: Entry Requirements', 'group: Exit Requirements', 'artifact: Feature List'],
    );
    const failing = await row([...EXIT, CHECK], (n) => criterion(n)?.state === 'failed', 'the failing check');
    const item = api.progressTree.getTreeItem(failing);
    assert.equal(item.description, 'failed');
    assert.equal(item.checkboxState, undefined, 'a check is met by the workspace, not ticked');
    assert.equal(item.contextValue, 'cdp.check');
    assert.match(String(item.tooltip), /docs\/helix\/01-frame\/prd\.md does not exist/);
    assert.ok(failing.kind === 'criterion');
    assert.equal(failing.group.file, doc(GATE).toString());
    const line = failing.criterion.line;
    await diagnostics(
      GATE,
      (u) => u.some((m) => m.startsWith(`${line}: `) && m.includes('prd.md does not exist')),
      'the unmet check on its line of GATE.yaml',
    );
  });

  test('criteria written as a numbered list count, none met, until they have checkboxes', async () => {
    const labels = ['docs/helix', '04 Build', 'Exit Criteria'];
    const list = await row(labels, (n) => n.kind === 'group' && n.group.total === 2, 'the list of criteria');
    const item = api.progressTree.getTreeItem(list);
    assert.equal(item.description, '0/2 · no checkboxes');
    assert.match(String(item.tooltip), /Exit Criteria: 2 items have no checkbox/);
    // its items are rows, not checkable, that say what they need
    const plain = await api.progressTree.getChildren(list);
    assert.deepEqual(
      plain.map((n) => n.kind),
      ['plain', 'plain'],
    );
    const first = api.progressTree.getTreeItem(plain[0]!);
    assert.equal(first.checkboxState, undefined);
    assert.match(String(first.tooltip), /Not checkable: it needs a checkbox/);
    const phase = await find('docs/helix', '04 Build');
    assert.ok(phase?.kind === 'phase');
    assert.equal(phase.phase.complete, false);
    // the row as a person sees it
    await vscode.commands.executeCommand('cdp.progress.focus');
    await api.view.reveal(list, { expand: true, select: true, focus: true });
    await requestScreenshot('helix-no-checkboxes');
    // what the quick fix on its diagnostic writes: the same criteria, each with a box
    await vscode.workspace.fs.writeFile(
      doc('docs/helix/04-build/README.md'),
      new TextEncoder().encode(
        '# Phase 04: Build\n\n## Exit Criteria\n\n1. [ ] Features implemented\n2. [x] Docs updated\n',
      ),
    );
    const ticked = await row(
      labels,
      (n) => n.kind === 'group' && n.group.checked === 1,
      'the criteria with boxes',
    );
    assert.equal(api.progressTree.getTreeItem(ticked).description, '1/2');
    assert.deepEqual(
      (await api.progressTree.getChildren(ticked)).map((n) => n.label),
      ['Features implemented', 'Docs updated'],
    );
  });

  test('creating the file the check asks for flips it to passed, in the tree and the Problems', async () => {
    const before = await row([...EXIT, CHECK], (n) => criterion(n)?.state === 'failed', 'the failing check');
    await vscode.workspace.fs.writeFile(
      doc('docs/helix/01-frame/prd.md'),
      new TextEncoder().encode('---\nphase: "01-frame"\n---\n# Product Requirements\n'),
    );
    const after = await row([...EXIT, CHECK], (n) => criterion(n)?.state === 'passed', 'the check, passed');
    assert.equal(api.progressTree.getTreeItem(after).description, 'passed');
    assert.ok(before.kind === 'criterion');
    const line = before.criterion.line;
    await diagnostics(GATE, (u) => !u.some((m) => m.startsWith(`${line}: `)), 'the unmet check gone');
    // the new document names its phase: an artifact under it
    await row(
      ['docs/helix', '01 Frame', 'Product Requirements'],
      (n) => n.kind === 'artifact',
      'the artifact',
    );
    // the check's path is a link in the gate file, and F12 on it opens the document
    const gate = await vscode.workspace.openTextDocument(doc(GATE));
    const at = gate.positionAt(gate.getText().indexOf('docs/helix/01-frame/prd.md') + 3);
    const prd = doc('docs/helix/01-frame/prd.md').toString();
    const deadline = Date.now() + WAIT_MS;
    let links: vscode.DocumentLink[] = [];
    while (Date.now() < deadline) {
      links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
        'vscode.executeLinkProvider',
        gate.uri,
      );
      if (links.some((l) => l.range.contains(at) && l.target?.toString().startsWith(prd))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(
      links.some((l) => l.range.contains(at) && l.target?.toString().startsWith(prd)),
      JSON.stringify(links.map((l) => [l.range.start.line, l.target?.toString()])),
    );
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      gate.uri,
      at,
    );
    assert.deepEqual(
      defs.map((d) => ('targetUri' in d ? d.targetUri : d.uri).toString()),
      [prd],
    );
  });

  test('Confirm Gate Item on a manual item records who and when in .cdp/confirmations.yml', async () => {
    const manual = await row(
      [...EXIT, SPONSOR],
      (n) => criterion(n)?.state === 'unconfirmed',
      'the manual item',
    );
    assert.equal(api.progressTree.getTreeItem(manual).contextValue, 'cdp.manual.unconfirmed');
    assert.equal(await vscode.commands.executeCommand('cdp.confirmGateItem', manual), true);
    const text = await confirmations((t) => t.includes(SPONSOR));
    assert.match(
      text,
      new RegExp(
        `- file: "docs/helix/01-frame/GATE\\.yaml"\\n {2}item: "${SPONSOR}"\\n {2}by: "[^"\\n]+"\\n {2}at: "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"\\n$`,
      ),
    );
    const done = await row([...EXIT, SPONSOR], (n) => criterion(n)?.checked === true, 'the confirmed item');
    const item = api.progressTree.getTreeItem(done);
    assert.equal(item.checkboxState, vscode.TreeItemCheckboxState.Checked);
    assert.equal(item.contextValue, 'cdp.manual.confirmed');
    assert.match(String(item.tooltip), new RegExp(SPONSOR));
    assert.ok(manual.kind === 'criterion');
    const line = manual.criterion.line;
    await diagnostics(GATE, (u) => !u.some((m) => m.startsWith(`${line}: `)), 'the unconfirmed item gone');
  });

  test('from the palette, Confirm Gate Item confirms the manual item at the cursor of the gate file', async () => {
    const before = await confirmations((t) => t.includes(SPONSOR));
    const legal = await row(
      [...EXIT, LEGAL],
      (n) => criterion(n)?.state === 'unconfirmed',
      'the second manual item',
    );
    assert.ok(legal.kind === 'criterion');
    const editor = await vscode.window.showTextDocument(doc(GATE), { preview: false });
    const at = new vscode.Position(legal.criterion.line, 6);
    editor.selection = new vscode.Selection(at, at);
    assert.equal(await vscode.commands.executeCommand('cdp.confirmGateItem'), true);
    const text = await confirmations((t) => t.includes(LEGAL));
    // appended: the first entry is left as it was
    assert.ok(text.startsWith(before), text);
    assert.match(
      text.slice(before.length),
      new RegExp(`^- file: "docs/helix/01-frame/GATE\\.yaml"\\n {2}item: "${LEGAL}"\\n`),
    );
    const group = await row(EXIT, (n) => n.kind === 'group' && n.group.passed, 'the exit group, passed');
    assert.equal(api.progressTree.getTreeItem(group).description, '3/3 · GATE.yaml');
    // the tree as a person sees it now, beside the gate file
    await vscode.commands.executeCommand('cdp.progress.focus');
    await api.view.reveal(group, { expand: true, select: true, focus: true });
    await requestScreenshot('helix-gate-confirmed');
  });

  test('New Workflow from the definition in the workspace copies its phases and gate files and opens the first', async () => {
    const top = await api.progressTree.getChildren();
    const defs = top.find((n) => n.kind === 'definitions');
    assert.ok(defs?.kind === 'definitions', top.map((n) => n.label).join(', '));
    const def = defs.workflows.find((w) => w.id.startsWith('library'));
    assert.ok(def, defs.workflows.map((w) => w.id).join(', '));
    const first = await vscode.commands.executeCommand<vscode.Uri | undefined>('cdp.newWorkflow', {
      definition: def.id,
      folder: doc('docs').toString(),
      name: 'product',
    });
    assert.equal(first?.toString(), doc('docs/product/00-discover/README.md').toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), first.toString());
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.isPreview, false);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(first));
    assert.match(text, /^- \[ \] Problem statement written$/m, 'boxes unticked');
    const gates = new TextDecoder().decode(
      await vscode.workspace.fs.readFile(doc('docs/product/01-frame/exit-gates.yml')),
    );
    assert.match(gates, /criteria: "Scope agreed"/);
    // a workflow instance of its own, with the copied gate file under its phase
    await row(
      ['docs/product', '01 Frame', 'Exit Gates'],
      (n) => n.kind === 'group' && n.group.total === 1,
      'the copy',
    );
    // nothing is overwritten: the same again is refused
    const again = await vscode.commands.executeCommand('cdp.newWorkflow', {
      definition: def.id,
      folder: doc('docs').toString(),
      name: 'product',
    });
    assert.equal(again, undefined);
  });

  test("a project's folders of filled documents are its phases; opening one shows the folder, no editor", async () => {
    const wf = await row(
      ['product/helix'],
      (n) => n.kind === 'workflow' && n.workflow.phases.length === 2,
      'the project of filled documents',
    );
    assert.ok(wf.kind === 'workflow');
    assert.deepEqual(
      wf.workflow.phases.map((p) => [`${p.phase} ${p.name}`, p.state, p.uri]),
      [
        ['01 Frame', 'current', `${doc('product/helix/01-frame').toString()}/`],
        ['02 Design', 'in-progress', `${doc('product/helix/02-design').toString()}/`],
      ],
    );
    const frame = await find('product/helix', '01 Frame');
    assert.ok(frame);
    assert.deepEqual(
      (await api.progressTree.getChildren(frame)).map((n) => `${n.kind}: ${n.label}`),
      ['artifact: Product Requirements'],
    );
    // the rows as a person sees them
    await vscode.commands.executeCommand('cdp.progress.focus');
    await api.view.reveal(frame, { expand: true, select: true, focus: true });
    await requestScreenshot('helix-folder-phases');
    // Clicking the phase runs its command: the folder is shown in the Explorer, no editor
    // tries to open it as a file (which fails with an error).
    const before = vscode.window.activeTextEditor?.document.uri.toString();
    const item = api.progressTree.getTreeItem(frame);
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    await requestScreenshot('helix-folder-phase-explorer');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), before);
    assert.ok(
      !vscode.window.tabGroups.all.some((g) =>
        g.tabs.some(
          (t) =>
            t.input instanceof vscode.TabInputText &&
            t.input.uri.path.replace(/\/+$/, '') === doc('product/helix/01-frame').path,
        ),
      ),
      'no tab for the folder',
    );
    // The folders are phases, not gaps: nothing is reported on their documents.
    assert.deepEqual(vscode.languages.getDiagnostics(doc('product/helix/01-frame/prd.md')), []);
  });
});
