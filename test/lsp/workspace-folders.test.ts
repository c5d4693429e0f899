import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic, Location } from 'vscode-languageserver-protocol';
import { phaseDoc } from '../helpers/memory-workspace';
import { TestClient, tempWorkspace, uriOf } from './client';

/**
 * Workspace folders that change while the server runs (a multi-root workspace gains or
 * loses a folder) and folders nested in one another.
 */

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const codes = (d: Diagnostic[]) => d.map((x) => x.code);
const folder = (path: string) => ({ uri: uriOf(path), name: path });

const DIAGNOSE = phaseDoc({
  title: 'Diagnose',
  phase: '01',
  name: 'Diagnose',
  body: '## Exit Criteria\n\n- [ ] Root cause named\n\nSee [[plan]].\n',
});

interface WorkflowsAnswer {
  ready: boolean;
  workflows: { id: string; phases: { uri: string }[] }[];
}

describe('workspace folders', () => {
  it('indexes a folder added to the workspace and forgets one removed, without a restart', async () => {
    const a = tempWorkspace({ 'a.md': '# A\n\nSee [[gone]].\n' });
    const b = tempWorkspace({
      'wf/01-diagnose.md': DIAGNOSE,
      'wf/plan.md': '# Plan\n',
      'b.md': '# B\n\n[[nowhere]]\n',
    });
    const client = await TestClient.start([a]);
    clients.push(client);
    await client.ready();
    await client.waitForDiagnostics(uriOf(join(a, 'a.md')), (d) => codes(d).includes('broken-link'));
    let tree = await client.request<WorkflowsAnswer>('cdp/workflows', {});
    assert.equal(tree.workflows.length, 0, 'folder a holds no workflow');

    await client.notify('workspace/didChangeWorkspaceFolders', {
      event: { added: [folder(b)], removed: [] },
    });
    const bUri = uriOf(join(b, 'b.md'));
    await client.waitForDiagnostics(
      bUri,
      (d) => codes(d).includes('broken-link'),
      'the added folder checked',
    );
    const phaseUri = uriOf(join(b, 'wf/01-diagnose.md'));
    await client.waitForDiagnostics(phaseUri, (d) => codes(d).includes('unmet-criterion'));
    assert.ok(!codes(client.diagnosticsOf(phaseUri)).includes('broken-link'), '[[plan]] resolves in b');
    tree = await client.request<WorkflowsAnswer>('cdp/workflows', {});
    assert.deepEqual(
      tree.workflows.map((w) => w.phases.map((p) => p.uri)),
      [[phaseUri]],
      'the added folder’s workflow is in the tree',
    );
    assert.ok(
      codes(client.diagnosticsOf(uriOf(join(a, 'a.md')))).includes('broken-link'),
      'folder a keeps its findings',
    );

    await client.notify('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [folder(a)] },
    });
    await client.waitForDiagnostics(
      uriOf(join(a, 'a.md')),
      (d) => d.length === 0,
      'the removed folder’s findings withdrawn',
    );
    tree = await client.request<WorkflowsAnswer>('cdp/workflows', {});
    assert.equal(tree.workflows.length, 1);
    assert.ok(codes(client.diagnosticsOf(bUri)).includes('broken-link'), 'folder b keeps its findings');
  });

  it('keeps a nested folder that is a repository of its own a root: its gate paths are relative to it', async () => {
    const root = tempWorkspace({
      'inner/.git/HEAD': 'ref: refs/heads/main\n',
      'inner/hx/01-frame/README.md': '# Phase 01: Frame\n\nFraming.\n',
      'inner/hx/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: hx/01-frame/prd.md\n',
      'inner/hx/01-frame/prd.md': '# PRD\n',
      'top.md': '# Top\n',
    });
    const inner = join(root, 'inner');
    const client = await TestClient.start([root, inner]);
    clients.push(client);
    await client.ready();
    const tree = await client.request<{
      workflows: {
        id: string;
        folder: string;
        phases: { groups: { heading: string; passed: boolean }[] }[];
      }[];
    }>('cdp/workflows', {});
    assert.deepEqual(
      tree.workflows.map((w) => [w.id, w.folder, w.phases[0].groups.map((g) => `${g.heading} ${g.passed}`)]),
      [['inner:hx', uriOf(inner), ['Exit Requirements true']]],
    );
    assert.ok(!client.log.some((l) => l.includes('lies inside another workspace folder')));
  });

  it('serves a folder nested in another with the outer one, whose links reach into it', async () => {
    const root = tempWorkspace({
      'top.md': '# Top\n\nSee [[plan]] and [Diagnose](sub/wf/01-diagnose.md).\n',
      'sub/wf/01-diagnose.md': DIAGNOSE,
      'sub/wf/plan.md': '# Plan\n',
    });
    const sub = join(root, 'sub');
    const client = await TestClient.start([root, sub]);
    clients.push(client);
    await client.ready();
    const phaseUri = uriOf(join(sub, 'wf/01-diagnose.md'));
    await client.waitForDiagnostics(phaseUri, (d) => codes(d).includes('unmet-criterion'));
    // Everything is checked once the phase has its findings; top.md has none to wait for.
    await client.request<WorkflowsAnswer>('cdp/workflows', {});
    assert.deepEqual(
      codes(client.diagnosticsOf(uriOf(join(root, 'top.md')))),
      [],
      'links into the nested folder resolve',
    );
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uriOf(join(sub, 'wf/plan.md')) },
      position: { line: 0, character: 2 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      refs.map((r) => r.uri).sort(),
      [phaseUri, uriOf(join(root, 'top.md'))].sort(),
      'backlinks from both folders',
    );
    const tree = await client.request<WorkflowsAnswer>('cdp/workflows', {});
    assert.deepEqual(
      tree.workflows.map((w) => w.id),
      ['sub/wf'],
      'one workflow, named from the outer folder, as `cdp check` of it names it',
    );
    assert.ok(client.log.some((l) => l.includes('lies inside another workspace folder')));

    // Removing the outer folder leaves the nested one as a folder of its own.
    await client.notify('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [folder(root)] },
    });
    let ids: string[] = [];
    for (let i = 0; i < 100 && ids[0] !== 'wf'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ids = (await client.request<WorkflowsAnswer>('cdp/workflows', {})).workflows.map((w) => w.id);
    }
    assert.deepEqual(ids, ['wf'], 'the nested folder is indexed as a folder of its own');
    assert.deepEqual(codes(client.diagnosticsOf(uriOf(join(root, 'top.md')))), []);
  });
});
