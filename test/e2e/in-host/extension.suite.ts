// In-host suite of the CDP Workflow extension: runs inside a real extension host (code-server
// through test/e2e/extension.test.ts, or desktop VS Code through test/e2e/run-electron.ts)
// with a copy of examples/ as the workspace, and talks to the extension only through the
// `vscode` API and the API object `activate` returns.
//
// Nothing here polls: the suite waits for the server through diagnostics events, and every
// wait is bounded. The expected progress comes from the `cdp check --format json` command of
// the same build, so the tree and the command line are held to the same numbers.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CdpApi } from '../../../client/src/extension';
import type { ProgressNode } from '../../../client/src/progress-tree';
import type { JsonReport } from '../../../server/src/core/report';
import type { CheckGateResult } from '../../../server/src/protocol';
import { activateExtension, codeOf, runCli, WAIT_MS } from './common';

/** What `cdp check --format json` reports, as far as this suite reads it. */
type CliReport = Pick<JsonReport, 'workflows' | 'diagnostics'>;

let api: CdpApi;
let root: vscode.Uri;
let cli: CliReport;

function doc(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}

/**
 * Resolves once `check` returns something for the current diagnostics, checking now and on
 * every diagnostics change; rejects after `timeoutMs`.
 */
function whenDiagnostics<T>(what: string, check: () => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = check();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

function brokenLink(): vscode.Diagnostic | undefined {
  return vscode.languages
    .getDiagnostics(doc('checkout-v2/04-monitor.md'))
    .find((d) => codeOf(d) === 'broken-link');
}

function locationTarget(l: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in l ? { uri: l.targetUri, range: l.targetRange } : { uri: l.uri, range: l.range };
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The 0-based line and character of the first occurrence of `needle` in a document on disk. */
function find(rel: string, needle: string): vscode.Position {
  const lines = readFileSync(doc(rel).fsPath, 'utf8').split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `"${needle}" not found in ${rel}`);
  return new vscode.Position(line, lines[line]!.indexOf(needle));
}

async function phaseNodes(workflowId: string): Promise<ProgressNode[]> {
  const workflows = await api.progressTree.getChildren();
  const w = workflows.find((n) => n.workflow?.id === workflowId);
  assert.ok(
    w,
    `workflow ${workflowId} in the tree: ${workflows.map((n) => n.workflow?.id ?? n.label).join(', ')}`,
  );
  return api.progressTree.getChildren(w);
}

suite('CDP Workflow extension (in host)', () => {
  suiteSetup(async function () {
    this.timeout(WAIT_MS * 3);
    const started = await activateExtension();
    ({ api, root } = started);
    // the server publishes every document's findings once its first indexing is done
    await whenDiagnostics('the broken link in 04-monitor.md to be reported', brokenLink);
    cli = await runCli(started.extensionPath, root.fsPath);
  });

  test('the broken link in 04-monitor.md is a diagnostic at line 63', () => {
    const d = brokenLink();
    assert.ok(d);
    assert.equal(d.range.start.line, 62);
    assert.match(d.message, /launch-checklist/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    // the same finding the command line reports (1-based there)
    const fromCli = cli.diagnostics.filter(
      (x) => x.file === 'checkout-v2/04-monitor.md' && x.code === 'broken-link',
    );
    assert.deepEqual(
      fromCli.map((x) => x.line),
      [63],
    );
  });

  // Before any test opens a document: the findings of the freshly indexed workspace.
  test('every deliberate problem of the examples is reported, as by the command line', () => {
    const expected = cli.diagnostics
      .filter((x) => x.code !== 'unmet-criterion')
      .map((x) => `${x.file}:${x.line} ${x.code}`)
      .sort();
    assert.deepEqual(expected, [
      'checkout-v2/04-monitor.md:63 broken-link',
      'checkout-v2/05-release.md:7 missing-artifact',
      'checkout-v2/05-release.md:90 malformed-checkbox',
      'checkout-v2/05-release.md:94 empty-gate',
      'checkout-v2/06-follow-up.md:48 broken-heading',
    ]);
    const actual: string[] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      if (!uri.toString().startsWith(root.toString())) continue;
      const rel = uri.path.slice(root.path.length + 1);
      for (const d of diagnostics) {
        if (codeOf(d) !== 'unmet-criterion') actual.push(`${rel}:${d.range.start.line + 1} ${codeOf(d)}`);
      }
    }
    assert.deepEqual(actual.sort(), expected);
  });

  test('go to definition on a wikilink opens the linked document of the same workflow', async () => {
    const uri = doc('checkout-v2/05-release.md');
    const at = find('checkout-v2/05-release.md', '[[Release Plan]]').translate(0, 4);
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      uri,
      at,
    );
    assert.equal(locations.length, 1, JSON.stringify(locations));
    const target = locationTarget(locations[0]!);
    assert.equal(target.uri.toString(), doc('checkout-v2/artifacts/release-plan.md').toString());

    // a phase file name that also exists in mobile-app/ resolves in the same folder
    const prev = find('checkout-v2/05-release.md', '[[04-monitor]]').translate(0, 3);
    const [monitor] = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      uri,
      prev,
    );
    assert.ok(monitor);
    assert.equal(locationTarget(monitor).uri.toString(), doc('checkout-v2/04-monitor.md').toString());
  });

  test('code lenses name the extension commands; the server command ids are registered apart from them', async () => {
    const uri = doc('checkout-v2/05-release.md');
    // lenses and links are asked of an open document (the workbench needs its text model)
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    const ids = new Set(lenses.map((l) => l.command?.command));
    assert.ok(ids.has('cdp.checkGate') && ids.has('cdp.revealGroup'), [...ids].join(', '));
    assert.ok(!ids.has('cdp.server.checkGate'));
    // vscode-languageclient registers the ids of executeCommandProvider as commands: the
    // server's, which differ from the extension's, so both are there and neither failed.
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['cdp.checkGate', 'cdp.revealGroup', 'cdp.server.checkGate', 'cdp.server.revealGroup']) {
      assert.ok(commands.includes(id), id);
    }
    // This client accepts #L fragments: a link to a heading opens at its line.
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      uri,
    );
    assert.ok(
      links.some((l) => /^L\d+$/.test(l.target?.fragment ?? '')),
      links.map((l) => l.target?.toString()).join('\n'),
    );
  });

  test('cdp.checkGate returns a failed verdict with the unmet criteria of 05 Release', async () => {
    const result = await vscode.commands.executeCommand<CheckGateResult>('cdp.checkGate', {
      workflow: 'checkout-v2',
      phase: '05',
    });
    assert.ok(result, 'a result');
    assert.equal(result.passed, false);
    assert.equal(result.verdicts.length, 1);
    const v = result.verdicts[0]!;
    assert.equal(v.phase, '05');
    assert.equal(v.workflow, 'checkout-v2');
    // entry, exit and gate groups count; a plain checklist does not
    const release = cli.workflows.find((w) => w.id === 'checkout-v2')!.phases.find((p) => p.phase === '05')!;
    const gated = release.groups.filter((g) => g.kind !== 'checklist');
    const unmet = gated.reduce((n, g) => n + g.unmet.length, 0);
    assert.equal(unmet, 7, 'five exit criteria and two Stakeholder Acceptance items are open');
    assert.equal(v.unmet.length, unmet);
    assert.deepEqual(
      v.unmet.map((u) => u.text).sort(),
      gated.flatMap((g) => g.unmet.map((u) => u.text)).sort(),
    );
    assert.equal(api.lastVerdict()?.verdicts[0]?.unmet.length, unmet);
  });

  test('the progress tree lists the workflows and phases with the counts of cdp check', async () => {
    const workflows = await api.progressTree.getChildren();
    assert.deepEqual(workflows.map((n) => n.workflow?.id).sort(), cli.workflows.map((w) => w.id).sort());
    for (const w of cli.workflows) {
      const phases = await phaseNodes(w.id);
      const fromTree = phases.map((n) =>
        n.kind === 'phase' ? `${n.label} ${n.phase.checked}/${n.phase.total}` : '?',
      );
      const fromCli = w.phases.map((p) => {
        const checked = p.groups.reduce((s, g) => s + g.checked, 0);
        const total = p.groups.reduce((s, g) => s + g.total, 0);
        return `${p.phase} ${p.name} ${checked}/${total}`;
      });
      assert.deepEqual(fromTree, fromCli, w.id);
    }
    const checkout = (await phaseNodes('checkout-v2')).map((n) =>
      n.kind === 'phase' ? `${n.phase.checked}/${n.phase.total}` : '?',
    );
    assert.deepEqual(checkout, ['12/12', '12/12', '12/12', '12/15', '9/16', '0/11']);
  });

  test('ticking a criterion through the tree changes the file on disk', async function () {
    this.timeout(WAIT_MS * 3);
    const rel = 'checkout-v2/05-release.md';
    const file = doc(rel).fsPath;
    const before = readFileSync(file, 'utf8');
    const release = (await phaseNodes('checkout-v2')).find(
      (n) => n.kind === 'phase' && n.phase.phase === '05',
    );
    assert.ok(release);
    const groups = await api.progressTree.getChildren(release);
    const exit = groups.find((g) => g.label === 'Exit Criteria');
    assert.ok(exit, groups.map((g) => g.label).join(', '));
    const criteria = await api.progressTree.getChildren(exit);
    const first = criteria[0];
    assert.ok(first && first.kind === 'criterion', criteria.map((c) => c.label).join(', '));
    assert.equal(first.criterion.checked, false);
    const line = first.criterion.line;
    const lineText = before.split(/\r?\n/)[line]!;
    assert.equal(lineText, `- [ ] ${first.label}`);
    // an unchecked exit criterion of a phase under way is reported; a ticked one is not
    const unmet = () =>
      vscode.languages
        .getDiagnostics(doc(rel))
        .some((d) => codeOf(d) === 'unmet-criterion' && d.range.start.line === line);
    assert.ok(unmet(), 'the open criterion is reported as unmet');
    try {
      assert.equal(await api.progressTree.setChecked(first, true), true);
      const after = readFileSync(file, 'utf8');
      assert.equal(after.split(/\r?\n/)[line], `- [x] ${first.label}`);
      // one character changed, nothing else
      assert.equal(after.replace(`- [x] ${first.label}`, lineText), before);

      // the server sees the change: the finding goes, and the tree counts the tick
      await whenDiagnostics('the unmet-criterion finding of the ticked line to go', () =>
        unmet() ? undefined : true,
      );
      await vscode.commands.executeCommand('cdp.refresh');
      const r = (await phaseNodes('checkout-v2')).find((n) => n.kind === 'phase' && n.phase.phase === '05');
      assert.ok(r && r.kind === 'phase');
      assert.equal(`${r.phase.checked}/${r.phase.total}`, '10/16');

      // unticking puts the file back as it was
      assert.equal(await api.progressTree.setChecked(first, false), true);
      assert.equal(readFileSync(file, 'utf8'), before);
      await whenDiagnostics('the unmet-criterion finding to come back', () => (unmet() ? true : undefined));
    } finally {
      // never leave the workspace changed (run-electron.ts may run on the repository's examples)
      if (readFileSync(file, 'utf8') !== before) writeFileSync(file, before);
    }
  });

  test('hover on a wikilink previews the linked document', async () => {
    const uri = doc('checkout-v2/05-release.md');
    const at = find('checkout-v2/05-release.md', '[[Rollback Plan]]').translate(0, 4);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      at,
    );
    const text = hoverText(hovers);
    assert.match(text, /Rollback Plan/, text);
    assert.match(text, /rollback-plan\.md/, text);
  });

  test('references from a wikilink are every link to its target document', async () => {
    const rel = 'checkout-v2/05-release.md';
    const refs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc(rel),
      find(rel, '[[Release Plan]]').translate(0, 4),
    );
    const where = refs.map((r) => `${r.uri.path.slice(root.path.length + 1)}:${r.range.start.line + 1}`);
    // the metadata list, both [[Release Plan]] links, the links to its headings and the
    // aliased link in the table
    for (const expected of [
      'checkout-v2/05-release.md:7',
      'checkout-v2/05-release.md:16',
      'checkout-v2/05-release.md:43',
      'checkout-v2/05-release.md:44',
      'checkout-v2/05-release.md:48',
      'checkout-v2/05-release.md:66',
    ])
      assert.ok(where.includes(expected), `${expected} in ${where.join(', ')}`);
    assert.ok(
      where.every((w) => w.startsWith('checkout-v2/')),
      `nothing from mobile-app: ${where.join(', ')}`,
    );
  });

  test('the malformed checkbox in 05-release.md has a quick fix', async () => {
    const rel = 'checkout-v2/05-release.md';
    // code actions are asked of an open document (the workbench needs its text model)
    await vscode.workspace.openTextDocument(doc(rel));
    const at = find(rel, '- [ x] Finance');
    assert.equal(at.line, 89);
    const diagnostic = vscode.languages
      .getDiagnostics(doc(rel))
      .find((d) => codeOf(d) === 'malformed-checkbox');
    assert.ok(diagnostic, 'the malformed-checkbox diagnostic');
    assert.equal(diagnostic.range.start.line, 89);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc(rel),
      diagnostic.range,
    );
    const fix = actions.find((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix, `a quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.match(fix.title, /- \[x\]/);
    const edits = fix.edit?.get(doc(rel)) ?? [];
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.range.start.line, 89);
    const e = edits[0]!;
    assert.equal(e.range.end.line, 89);
    const text = readFileSync(doc(rel).fsPath, 'utf8').split(/\r?\n/)[89]!;
    const fixed = text.slice(0, e.range.start.character) + e.newText + text.slice(e.range.end.character);
    assert.match(fixed, /^- \[x\] Finance confirmed/);
  });
});
