// Gate files in the running server: diagnostics that follow the files a gate tests as
// they change on disk, and a gate file edited in the editor. The gate features (the tree's
// gate items, confirming a manual item, quick fixes, hover) are tested in-process in
// test/features/gates.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { WorkflowsResult } from '../../server/src/protocol';
import { TestClient, tempWorkspace, uriOf, writeFiles } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const GATE = [
  'exit_requirements:',
  '  automated:',
  '    - check: file_exists',
  '      path: docs/helix/05-deploy/runbook.md',
  '      description: "Runbook must exist"',
  '  manual:',
  '    - "Staging deployment verified"',
  '',
].join('\n');

async function start() {
  const root = tempWorkspace({
    'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
    'docs/helix/05-deploy/GATE.yaml': GATE,
  });
  const client = await TestClient.start([root]);
  clients.push(client);
  await client.ready();
  const uri = (rel: string) => uriOf(join(root, rel));
  return { root, client, uri };
}

const unmet = (d: Diagnostic[]) =>
  d.filter((x) => x.code === 'unmet-criterion').map((x) => `${x.range.start.line}: ${x.message}`);

const CONFIRMED = [
  '- file: "docs/helix/05-deploy/GATE.yaml"',
  '  item: "Staging deployment verified"',
  '  by: "Ada"',
  '  at: "2026-01-02T03:04:05Z"',
  '',
].join('\n');

/** A workspace with the phase and its gate file, and `more` files beside them, served. */
async function startWith(more: Record<string, string>) {
  const root = tempWorkspace({
    'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
    'docs/helix/05-deploy/GATE.yaml': GATE,
    ...more,
  });
  const client = await TestClient.start([root]);
  clients.push(client);
  await client.ready();
  const uri = (rel: string) => uriOf(join(root, rel));
  return { root, client, uri };
}

describe('gate files in the language server', () => {
  it('withdraws the confirmations of a confirmations file present at the start once it is deleted', async () => {
    const { client, uri, root } = await startWith({ '.cdp/confirmations.yml': CONFIRMED });
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'confirmed at the start');
    rmSync(join(root, '.cdp/confirmations.yml'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.cdp/confirmations.yml'), type: 3 }],
    });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2, 'the confirmation withdrawn');
  });

  it('follows the .cdp folder deleted or created as a whole, as editors report a folder', async () => {
    const { client, uri, root } = await startWith({ '.cdp/confirmations.yml': CONFIRMED });
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'confirmed at the start');
    // (an event for the folder alone: the confirmation stayed)
    rmSync(join(root, '.cdp'), { recursive: true });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.cdp'), type: 3 }] });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2, 'the confirmation withdrawn');
    writeFiles(root, { '.cdp/confirmations.yml': CONFIRMED });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.cdp'), type: 1 }] });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'confirmed again');
  });

  it("reads the confirmations file open in the editor from the editor's text, and the disk's once closed", async () => {
    const { client, uri } = await startWith({ '.cdp/confirmations.yml': '# none yet\n' });
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    const file = uri('.cdp/confirmations.yml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    await client.open(file, '# none yet\n');
    // An entry typed in (not saved): confirmed, as the editor's text of a gate file counts.
    await client.change(file, [{ text: `# none yet\n${CONFIRMED}` }]);
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'confirmed in the editor');
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const manual = wf.workflows[0].phases[0].groups[0].items.find((i) => i.manual);
    assert.deepEqual([manual?.checked, manual?.state], [true, 'passed']);
    // Indexed again (a settings change): the editor's text still counts.
    await client.notify('workspace/didChangeConfiguration', {
      settings: { cdp: { rules: { 'broken-link': 'hint' } } },
    });
    // (the request waits for the new index)
    const again = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.equal(again.workflows[0].phases[0].groups[0].items.find((i) => i.manual)?.checked, true);
    // Closed without saving: the disk has no entry.
    await client.close(file);
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2, 'the disk once closed');
  });

  it("the workspace's first gate file, written after the start, reads the confirmations open in the editor", async () => {
    const root = tempWorkspace({
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      '.cdp/confirmations.yml': '# none yet\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const file = uri('.cdp/confirmations.yml');
    await client.open(file, '# none yet\n');
    await client.change(file, [{ text: `# none yet\n${CONFIRMED}` }]);
    writeFiles(root, { 'docs/helix/05-deploy/GATE.yaml': GATE });
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: gate, type: 1 }] });
    // Only the runbook is unmet: the editor's entry confirms the manual item.
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'confirmed in the editor');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(unmet(client.diagnosticsOf(gate)).length, 1);
    assert.deepEqual(client.diagnosticsOf(file), []);
  });

  it('a confirmations file written after the start confirms an item of a folder of gate files only, and nothing else changes', async () => {
    const root = tempWorkspace({
      'docs/helix/03-test/input-gates.yml': 'input_gates:\n  - criteria: Design done\n    required: true\n',
      'docs/helix/04-build/GATE.yaml': 'exit_requirements:\n  manual:\n    - "Shipped"\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const test = uri('docs/helix/03-test/input-gates.yml');
    const build = uri('docs/helix/04-build/GATE.yaml');
    const codes = (u: string) => client.diagnosticsOf(u).map((d) => d.code);
    await client.waitForDiagnostics(test, (x) => x.some((y) => y.code === 'unmet-criterion'));
    writeFiles(root, {
      '.cdp/confirmations.yml':
        '- file: "docs/helix/03-test/input-gates.yml"\n  item: "Design done"\n  by: "Jane"\n  at: "2026-03-02T10:15:00Z"\n',
    });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.cdp/confirmations.yml'), type: 1 }],
    });
    // 03 is complete: 04 is under way, its manual item unmet; no phase claimed twice
    await client.waitForDiagnostics(
      build,
      (x) => x.some((y) => y.code === 'unmet-criterion'),
      '04 under way',
    );
    await client.waitForDiagnostics(test, (x) => x.length === 0, '03 confirmed');
    assert.deepEqual(codes(build), ['unmet-criterion']);
  });

  it('a gate file in a folder the walk does not enter (.ddx/, node_modules/) is none, changed on disk or opened', async () => {
    const { client, uri, root } = await start();
    const before = await client.request<WorkflowsResult>('cdp/workflows', {});
    const lib = '.ddx/library/workflows/helix/phases/01-frame/exit-gates.yml';
    const pkg = 'node_modules/pkg/02-x/GATE.yaml';
    writeFiles(root, { [lib]: 'exit_gates:\n  - criteria: PRD approved\n', [pkg]: 'exit_requirements: [' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri(lib), type: 1 },
        { uri: uri(pkg), type: 1 },
      ],
    });
    await client.open(uri(lib), 'exit_gates:\n  - criteria: PRD approved\n');
    // a change the server does see, to know the events before it were handled
    await client.open(uri('docs/helix/05-deploy/README.md'), '# Phase 05: Deploy\n\nShip it now.\n');
    await client.waitForDiagnostics(uri('docs/helix/05-deploy/GATE.yaml'), () => true);
    const after = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      after.workflows.map((w) => w.id),
      before.workflows.map((w) => w.id),
    );
    assert.deepEqual(client.diagnosticsOf(uri(lib)), []);
    assert.deepEqual(client.diagnosticsOf(uri(pkg)), []);
  });

  it('tells duplicate-phase on a folder of gate files only, and not once the other claimant is gone', async () => {
    const { client, uri, root } = await startWith({
      'docs/helix/05_deploy/exit-gates.yml': 'exit_gates:\n  - criteria: Rollback tested\n',
    });
    const gate = uri('docs/helix/05_deploy/exit-gates.yml');
    const dup = (x: Diagnostic[]) => x.some((y) => y.code === 'duplicate-phase');
    await client.waitForDiagnostics(gate, dup, 'duplicate-phase on the gate file');
    rmSync(join(root, 'docs/helix/05-deploy'), { recursive: true });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('docs/helix/05-deploy/README.md'), type: 3 },
        { uri: uri('docs/helix/05-deploy/GATE.yaml'), type: 3 },
      ],
    });
    await client.waitForDiagnostics(gate, (x) => !dup(x), 'no duplicate-phase once alone');
  });

  it('keeps a gate file created while open in the editor as a file links reach', async () => {
    const { client, uri, root } = await startWith({
      'notes.md': '# Notes\n\nSee [the deploy gate](docs/helix/05-deploy/exit-gates.yml).\n',
    });
    const notes = uri('notes.md');
    const created = uri('docs/helix/05-deploy/exit-gates.yml');
    const text = 'exit_gates:\n  - criteria: Rollback tested\n';
    await client.waitForDiagnostics(notes, (x) => x.some((y) => y.code === 'broken-link'));
    // Written by the editor: open first, then on disk (a save), the watcher reporting it.
    await client.open(created, text);
    writeFiles(root, { 'docs/helix/05-deploy/exit-gates.yml': text });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 1 }] });
    await client.waitForDiagnostics(notes, (x) => x.length === 0, 'the link reaches the created file');
    await client.close(created);
    // Closed: still there.
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 2 }] });
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      wf.workflows[0].phases[0].groups.map((g) => g.heading),
      ['Exit Gates', 'Exit Requirements'],
    );
    assert.deepEqual(client.diagnosticsOf(notes), []);
  });

  it('reports unmet items on their YAML lines and follows the files they test', async () => {
    const { client, uri, root } = await start();
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    const d = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    assert.deepEqual(unmet(d), [
      '2: Unmet exit criterion (Exit Requirements): Runbook must exist — docs/helix/05-deploy/runbook.md does not exist',
      '6: Unmet exit criterion (Exit Requirements): Staging deployment verified — not confirmed yet (manual)',
    ]);
    // Creating the file the check asks for flips the item.
    writeFiles(root, { 'docs/helix/05-deploy/runbook.md': '# Runbook\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('docs/helix/05-deploy/runbook.md'), type: 1 }],
    });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'the created runbook');
    // Editing the YAML is seen too.
    writeFileSync(join(root, 'docs/helix/05-deploy/GATE.yaml'), GATE.replace('runbook.md', 'playbook.md'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: gate, type: 2 }] });
    await client.waitForDiagnostics(
      gate,
      (x) => unmet(x).some((m) => m.includes('playbook.md does not exist')),
      'the edited gate file',
    );
    // A broken edit is one invalid-gate-file finding.
    writeFileSync(join(root, 'docs/helix/05-deploy/GATE.yaml'), 'exit_requirements: [\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: gate, type: 2 }] });
    const broken = await client.waitForDiagnostics(gate, (x) =>
      x.some((y) => y.code === 'invalid-gate-file'),
    );
    assert.equal(broken.length, 1);
    // Its phase does not pass on gates nobody could read: the progress names the file.
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const [phase] = wf.workflows[0].phases;
    assert.equal(phase.complete, false);
    assert.deepEqual(
      phase.groups.map((g) => [g.heading, g.total, g.passed, g.reason, g.unreadable, g.file]),
      [['GATE.yaml', 0, false, 'GATE.yaml cannot be read', true, gate]],
    );
  });

  it("clears a deleted gate file's diagnostics while the phase keeps another gate file", async () => {
    const { client, uri, root } = await startWith({
      'docs/helix/05-deploy/exit-gates.yml':
        'exit_gates:\n  - criteria: Notes\n    evidence: docs/notes.md\n',
    });
    const exit = uri('docs/helix/05-deploy/exit-gates.yml');
    await client.waitForDiagnostics(exit, (x) => unmet(x).length === 1);
    rmSync(join(root, 'docs/helix/05-deploy/exit-gates.yml'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: exit, type: 3 }] });
    await client.waitForDiagnostics(exit, (x) => x.length === 0, 'the deleted gate file');
    // The phase's other gate file keeps its findings.
    const gate = await client.waitForDiagnostics(
      uri('docs/helix/05-deploy/GATE.yaml'),
      (x) => unmet(x).length === 2,
    );
    assert.equal(unmet(gate).length, 2);
  });

  it('a gate file that becomes unreadable while the server runs fails its phase with the reason, as cdp check does', async () => {
    const { client, uri, root } = await startWith({
      'docs/helix/05-deploy/exit-gates.yml':
        'exit_gates:\n  - criteria: Notes\n    evidence: docs/notes.md\n',
    });
    const exit = uri('docs/helix/05-deploy/exit-gates.yml');
    await client.waitForDiagnostics(exit, (x) => unmet(x).length === 1);
    const outside = tempWorkspace({ 'exit-gates.yml': 'exit_gates: []\n' });
    rmSync(join(root, 'docs/helix/05-deploy/exit-gates.yml'));
    symlinkSync(join(outside, 'exit-gates.yml'), join(root, 'docs/helix/05-deploy/exit-gates.yml'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: exit, type: 2 }] });
    const d = await client.waitForDiagnostics(exit, (x) => x.some((y) => y.code === 'invalid-gate-file'));
    assert.match(
      d.find((y) => y.code === 'invalid-gate-file')!.message,
      /^Gate file exit-gates\.yml cannot be read: the file links outside the workspace folder\. Its phase cannot be complete/,
    );
  });

  it('an unreadable gate file created while the server runs fails its phase; one there at the start goes when deleted', async () => {
    const { client, uri, root } = await startWith({});
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    // A new phase folder whose exit gates are a FIFO: one event for the folder.
    writeFileSync(join(root, 'docs/helix/06-iterate.md'), '');
    rmSync(join(root, 'docs/helix/06-iterate.md'));
    writeFiles(root, {
      'docs/helix/06-iterate/README.md': '# Phase 06: Iterate\n\n## Exit Criteria\n\n- [x] done\n',
    });
    const fifo = join(root, 'docs/helix/06-iterate/exit-gates.yml');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('docs/helix/06-iterate'), type: 1 }],
    });
    const exit = uri('docs/helix/06-iterate/exit-gates.yml');
    const d = await client.waitForDiagnostics(exit, (x) => x.some((y) => y.code === 'invalid-gate-file'));
    assert.match(d[0].message, /cannot be read: not a regular file/);
    // Deleted: its finding goes.
    rmSync(fifo);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: exit, type: 3 }] });
    await client.waitForDiagnostics(exit, (x) => x.length === 0, 'the deleted FIFO');
  });

  it('an event for a folder holding a dot-folder keeps the links into it', async () => {
    const { client, uri, root } = await startWith({
      'docs/notes.md': '# Notes\n\n[guide](../.ddx/lib/guide.md) and [[.ddx/lib/guide]], not [[nowhere]]\n',
      '.ddx/lib/guide.md': '# Guide\n',
    });
    const notes = uri('docs/notes.md');
    const links = (x: Diagnostic[]) =>
      x.filter((y) => y.code === 'broken-link').map((y) => y.message.split(' ')[0]);
    await client.waitForDiagnostics(notes, (x) => links(x).join() === '[[nowhere]]');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(''), type: 2 }] });
    writeFiles(root, { 'docs/marker.md': '# M\n\n[[nowhere-marker]]\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('docs/marker.md'), type: 1 }],
    });
    await client.waitForDiagnostics(uri('docs/marker.md'), (x) => x.length === 1, 'the events applied');
    // (what the events queued is published within a few debounce periods)
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(links(client.diagnostics.get(notes) ?? []), ['[[nowhere]]']);
  });

  it('searches a source file again when it changes on disk: a grep check follows it both ways', async () => {
    const grep = [
      'exit_requirements:',
      '  automated:',
      '    - check: grep_absent',
      '      pattern: "console\\\\.log"',
      '      path: "src/**/*.ts"',
      '      description: "No console.log left"',
      '',
    ].join('\n');
    const root = tempWorkspace({
      'docs/helix/04-build/README.md': '# Phase 04: Build\n\nBuild it.\n',
      'docs/helix/04-build/GATE.yaml': grep,
      'src/email.ts': 'export function send() {\n  console.log("sent");\n}\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const gate = uri('docs/helix/04-build/GATE.yaml');
    const failing = (x: Diagnostic[]) => unmet(x).some((m) => /No console\.log left/.test(m));
    await client.waitForDiagnostics(gate, failing, 'the console.log found');
    // (it stayed "found" until the server restarted)
    writeFiles(root, { 'src/email.ts': 'export function send() {\n  return true;\n}\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('src/email.ts'), type: 2 }],
    });
    await client.waitForDiagnostics(gate, (x) => !failing(x), 'the console.log gone');
    writeFiles(root, { 'src/email.ts': 'console.log(1);\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('src/email.ts'), type: 2 }],
    });
    await client.waitForDiagnostics(gate, failing, 'the console.log back');
  });

  it('searches a document edited past 1 MB in its first 512 KB, as cdp check does', async () => {
    const grep = [
      'exit_requirements:',
      '  automated:',
      '    - check: grep_absent',
      '      pattern: "\\\\[TODO\\\\]"',
      '      path: "docs/notes/*.md"',
      '      description: "No TODO left"',
      '',
    ].join('\n');
    const root = tempWorkspace({
      'docs/helix/04-build/README.md': '# Phase 04: Build\n\nBuild it.\n',
      'docs/helix/04-build/GATE.yaml': grep,
      'docs/notes/big.md': '# Big\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const gate = uriOf(join(root, 'docs/helix/04-build/GATE.yaml'));
    const doc = uriOf(join(root, 'docs/notes/big.md'));
    const todo = (x: Diagnostic[]) =>
      unmet(x).some((m) => /No TODO left — docs\/notes\/big\.md matches/.test(m));
    await client.open(doc, '# Big\n');
    // (a text over 1 MB was left unsearched, and the check said the file could not be read)
    await client.change(doc, [{ text: `# Big\n\n[TODO] finish\n\n${'All good here.\n'.repeat(80_000)}` }]);
    await client.waitForDiagnostics(gate, todo, 'the TODO in the first line found');
  });

  it('a document over 512 KB whose first 512 KB hold no match: not evaluated, on the gate file and in the tree', async () => {
    const grep = [
      'exit_requirements:',
      '  automated:',
      '    - check: grep_absent',
      '      pattern: "\\\\[TODO\\\\]"',
      '      path: docs/notes/big.md',
      '      description: "No TODO left"',
      '    - check: grep_present',
      '      pattern: "(Appendix|Annex)"',
      '      path: docs/notes/big.md',
      '      description: "An appendix"',
      '',
    ].join('\n');
    const root = tempWorkspace({
      'docs/helix/04-build/README.md': '# Phase 04: Build\n\nBuild it.\n',
      'docs/helix/04-build/GATE.yaml': grep,
      'docs/notes/big.md': '# Big\n\n## Appendix\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const gate = uriOf(join(root, 'docs/helix/04-build/GATE.yaml'));
    const doc = uriOf(join(root, 'docs/notes/big.md'));
    const partly =
      'docs/notes/big.md is longer than 512 K characters; only its first 512 K characters were searched';
    const states = async () =>
      (await client.request<WorkflowsResult>('cdp/workflows', {})).workflows[0].phases[0].groups[0].items.map(
        (i) => [i.text, i.state, i.reason],
      );
    assert.deepEqual(await states(), [
      ['No TODO left', 'passed', undefined],
      ['An appendix', 'passed', undefined],
    ]);
    await client.open(doc, '# Big\n\n## Appendix\n');
    // The TODO and the appendix past the first 512 KB: neither is seen, so neither is known.
    await client.change(doc, [
      { text: `# Big\n\n${'All good here.\n'.repeat(40_000)}[TODO] finish\n\n## Appendix\n` },
    ]);
    const d = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2, 'both not evaluated');
    assert.deepEqual(unmet(d), [
      `2: Unmet exit criterion (Exit Requirements): No TODO left — not evaluated: ${partly}`,
      `6: Unmet exit criterion (Exit Requirements): An appendix — not evaluated: ${partly}`,
    ]);
    assert.deepEqual(await states(), [
      ['No TODO left', 'not-evaluated', partly],
      ['An appendix', 'not-evaluated', partly],
    ]);
  });

  it('reads .cdp/confirmations.yml again when it is written, although dot folders are not indexed', async () => {
    const { client, uri, root } = await start();
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    writeFiles(root, { '.cdp/confirmations.yml': CONFIRMED });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.cdp/confirmations.yml'), type: 1 }],
    });
    const d = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'the confirmation');
    assert.match(unmet(d)[0] ?? '', /Runbook must exist/);
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const manual = wf.workflows[0].phases[0].groups[0].items.find((i) => i.manual);
    assert.deepEqual([manual?.checked, manual?.state], [true, 'passed']);
    assert.match(manual?.reason ?? '', /confirmed by Ada/);
    // Withdrawn (the file deleted): unconfirmed again.
    rmSync(join(root, '.cdp/confirmations.yml'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.cdp/confirmations.yml'), type: 3 }],
    });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2, 'the confirmation withdrawn');
  });

  it('reports a confirmation whose item was renamed on the confirmations file, with a fix removing it', async () => {
    const { client, uri, root } = await start();
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    const file = uri('.cdp/confirmations.yml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    const confirmations =
      '# confirmed\r\n- file: "docs/helix/05-deploy/GATE.yaml"\r\n  item: "Staging deployment verified"\r\n  by: "Ada"\r\n';
    writeFiles(root, { '.cdp/confirmations.yml': confirmations });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: file, type: 1 }] });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'the confirmation');
    // The item renamed in the gate file: the confirmation confirms nothing now.
    writeFileSync(
      join(root, 'docs/helix/05-deploy/GATE.yaml'),
      GATE.replace('deployment verified', 'verified'),
    );
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: gate, type: 2 }] });
    const [d] = await client.waitForDiagnostics(file, (x) => x.length === 1, 'the stale confirmation');
    assert.equal(d.code, 'stale-confirmation');
    assert.equal(d.range.start.line, 1);
    assert.match(
      d.message,
      /"Staging deployment verified" confirms nothing: docs\/helix\/05-deploy\/GATE\.yaml has no manual item/,
    );
    const actions = await client.request<
      {
        title: string;
        edit?: {
          documentChanges?: {
            textDocument: { uri: string };
            edits: { range: Diagnostic['range']; newText: string }[];
          }[];
        };
      }[]
    >('textDocument/codeAction', {
      textDocument: { uri: file },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    const remove = actions.find(
      (a) => a.title === 'Remove the confirmation of "Staging deployment verified"',
    );
    assert.ok(remove, JSON.stringify(actions.map((a) => a.title)));
    const edits = remove.edit?.documentChanges?.find((c) => c.textDocument.uri === file)?.edits;
    assert.deepEqual(edits, [
      { range: { start: { line: 1, character: 0 }, end: { line: 4, character: 0 } }, newText: '' },
    ]);
    // The file deleted: its finding goes with it.
    rmSync(join(root, '.cdp/confirmations.yml'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: file, type: 3 }] });
    await client.waitForDiagnostics(file, (x) => x.length === 0, 'the file deleted');
  });

  it('follows a gate file edited in the editor', async () => {
    const { client, uri } = await start();
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    await client.open(gate, GATE);
    await client.change(gate, [{ text: GATE.replace('    - "Staging deployment verified"\n', '') }]);
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'the manual item removed');
    // The open gate file is not read as a markdown document.
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      wf.workflows.flatMap((w) => w.phases.map((p) => p.uri)),
      [uri('docs/helix/05-deploy/README.md')],
    );
  });

  it('a grep check typed into an open gate file searches its files at once, before the gate file is saved', async () => {
    const { client, uri } = await startWith({
      'docs/helix/05-deploy/notes.md': '# Notes\n\nRollback: drill done.\n',
      'src/app.ts': 'export const x = 1; // TODO tidy\n',
    });
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    await client.open(gate, GATE);
    const withCheck = (check: string) => GATE.replace('  manual:\n', `${check}  manual:\n`);
    // Neither file was searched before: a plain-text pattern and one the engine runs.
    const typed = withCheck(
      [
        '    - check: grep_present',
        '      pattern: "Rollback"',
        '      path: docs/helix/05-deploy/notes.md',
        '      description: "Rollback noted"',
        '    - check: grep_absent',
        '      pattern: "TODO|FIXME"',
        '      path: "src/**/*.ts"',
        '      description: "No TODO in the code"',
        '',
      ].join('\n'),
    );
    await client.change(gate, [{ text: typed }]);
    const d = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 3, 'the checks typed in');
    assert.deepEqual(
      unmet(d)
        .filter((m) => /Rollback|TODO/.test(m))
        .map((m) => m.replace(/^\d+: /, '')),
      ['Unmet exit criterion (Exit Requirements): No TODO in the code — src/app.ts matches /TODO|FIXME/'],
    );
    // Another pattern over the same file: searched too.
    await client.change(gate, [{ text: typed.replace('"Rollback"', '"Roll forward"') }]);
    const again = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 4, 'the pattern changed');
    assert.ok(
      unmet(again).some((m) =>
        m.includes('Rollback noted — no match for /Roll forward/ in docs/helix/05-deploy/notes.md'),
      ),
      unmet(again).join('\n'),
    );
  });

  it('a document open in the editor but too large to index is still searched, from disk', async () => {
    const grepGate = [
      'exit_requirements:',
      '  automated:',
      '    - check: grep_present',
      '      pattern: "EARLY"',
      '      path: docs/big/huge.md',
      '      description: "Huge has EARLY"',
      '  manual:',
      '    - "Staging verified"',
      '',
    ].join('\n');
    // (over 2 MB, `cdp.files.maxFileSizeKB`: too large to index)
    const huge = `# Huge\n\nEARLY\n${`${'x'.repeat(99)}\n`.repeat(22_000)}`;
    const root = tempWorkspace({
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': grepGate,
      'docs/big/huge.md': huge,
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const gate = uriOf(join(root, 'docs/helix/05-deploy/GATE.yaml'));
    const doc = uriOf(join(root, 'docs/big/huge.md'));
    const manualOnly = (d: Diagnostic[]) => unmet(d).map((m) => m.replace(/^\d+: /, ''));
    const d0 = await client.waitForDiagnostics(gate, (x) => unmet(x).length > 0, 'checked at the start');
    assert.deepEqual(manualOnly(d0), [
      'Unmet exit criterion (Exit Requirements): Staging verified — not confirmed yet (manual)',
    ]);
    await client.open(doc, huge);
    await client.change(doc, [{ text: `${huge}more\n` }]);
    // A file created elsewhere, then another manual item added on disk: its finding comes
    // after what they read again.
    writeFileSync(join(root, 'docs/other.txt'), 'other\n');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(join(root, 'docs/other.txt')), type: 1 }],
    });
    writeFileSync(join(root, 'docs/helix/05-deploy/GATE.yaml'), `${grepGate}    - "Deploy approved"\n`);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: gate, type: 2 }] });
    const d = await client.waitForDiagnostics(gate, (x) =>
      unmet(x).some((m) => m.includes('Deploy approved')),
    );
    assert.deepEqual(manualOnly(d), [
      'Unmet exit criterion (Exit Requirements): Staging verified — not confirmed yet (manual)',
      'Unmet exit criterion (Exit Requirements): Deploy approved — not confirmed yet (manual)',
    ]);
  });

  it('a grep check naming a gate file searches the text it has in the editor', async () => {
    const grepGate = [
      'exit_requirements:',
      '  automated:',
      '    - check: grep_absent',
      '      pattern: "TBD"',
      '      path: docs/helix/05-deploy/exit-gates.yml',
      '      description: "No TBD in the exit gates"',
      '',
    ].join('\n');
    const exitGates =
      'exit_gates:\n  - criteria: Runbook written\n    evidence: docs/helix/05-deploy/README.md\n';
    const withTbd = `${exitGates}  - criteria: Owner TBD\n`;
    const root = tempWorkspace({
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': grepGate,
      'docs/helix/05-deploy/exit-gates.yml': withTbd,
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const gate = uriOf(join(root, 'docs/helix/05-deploy/GATE.yaml'));
    const exits = uriOf(join(root, 'docs/helix/05-deploy/exit-gates.yml'));
    const tbd = (x: Diagnostic[]) => unmet(x).some((m) => /exit-gates.yml matches \/TBD\//.test(m));
    await client.waitForDiagnostics(gate, tbd, 'the TBD on disk');
    await client.open(exits, withTbd);
    await client.change(exits, [{ text: exitGates }]);
    await client.waitForDiagnostics(gate, (x) => !tbd(x), 'the TBD taken out in the editor');
    await client.change(exits, [{ text: withTbd }]);
    await client.waitForDiagnostics(gate, tbd, 'the TBD typed in again');
  });

  it('a grep check over a document read at start follows the document as it changes on disk', async () => {
    const grepGate = [
      'exit_requirements:',
      '  automated:',
      '    - check: grep_absent',
      '      pattern: "\\\\[TBD\\\\]"',
      '      path: docs/helix/05-deploy/runbook.md',
      '      description: "No TBD in the runbook"',
      '',
    ].join('\n');
    const root = tempWorkspace({
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': grepGate,
      'docs/helix/05-deploy/runbook.md': '# Runbook\n\nRoll back with [TBD].\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const gate = uriOf(join(root, 'docs/helix/05-deploy/GATE.yaml'));
    const runbook = uriOf(join(root, 'docs/helix/05-deploy/runbook.md'));
    const d = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1);
    assert.match(unmet(d)[0], /No TBD in the runbook — docs\/helix\/05-deploy\/runbook.md matches/);
    writeFileSync(join(root, 'docs/helix/05-deploy/runbook.md'), '# Runbook\n\nRoll back with the script.\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: runbook, type: 2 }] });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 0, 'the TBD removed');
    writeFileSync(join(root, 'docs/helix/05-deploy/runbook.md'), '# Runbook\n\n[TBD] again.\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: runbook, type: 2 }] });
    await client.waitForDiagnostics(gate, (x) => unmet(x).length === 1, 'the TBD back');
  });

  it('prepareRename in an open gate file answers null at every position, and rename says why', async () => {
    const files = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
      'docs/helix/01-frame/input-gates.yml':
        'input_gates:\n  - criteria: "Problem stated"\n    required: true\n    source: docs/helix/01-frame/README.md\n',
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: "Goals agreed"\n    evidence: docs/helix/01-frame/README.md#phase-01-frame\n',
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': GATE,
    };
    const root = tempWorkspace(files);
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    for (const rel of [
      'docs/helix/05-deploy/GATE.yaml',
      'docs/helix/01-frame/input-gates.yml',
      'docs/helix/01-frame/exit-gates.yml',
    ]) {
      const uri = uriOf(join(root, rel));
      const text = files[rel as keyof typeof files];
      await client.open(uri, text);
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++)
        for (const character of [0, Math.floor(lines[line].length / 2), lines[line].length]) {
          const r = await client.request('textDocument/prepareRename', {
            textDocument: { uri },
            position: { line, character },
          });
          assert.equal(r, null, `${rel} ${line}:${character}`);
        }
      await assert.rejects(
        client.request('textDocument/rename', {
          textDocument: { uri },
          position: { line: 3, character: 12 },
          newName: 'x',
        }),
        /Nothing to rename in a gate file/,
      );
    }
    // A document of the same folder still answers, and a file outside every folder is still refused.
    const readme = uriOf(join(root, 'docs/helix/05-deploy/README.md'));
    const r = await client.request<{ placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: readme },
      position: { line: 0, character: 4 },
    });
    assert.equal(r.placeholder, 'Phase 05: Deploy');
    const outside = tempWorkspace({ 'GATE.yaml': GATE });
    await assert.rejects(
      client.request('textDocument/prepareRename', {
        textDocument: { uri: uriOf(join(outside, 'GATE.yaml')) },
        position: { line: 0, character: 0 },
      }),
      /not part of a CDP workspace folder/,
    );
  });
});
