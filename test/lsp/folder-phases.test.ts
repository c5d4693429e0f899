// A HELIX project's filled documents (`docs/helix/NN-name/*.md`, no phase READMEs, no gate
// files) in the running server: the tree's rows and how they follow files created on disk.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { WorkflowsResult } from '../../server/src/protocol';
import { TestClient, tempWorkspace, uriOf, writeFiles } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

describe('phase folders of filled documents in the server', () => {
  it('are the phases the tree shows, their documents its artifacts, and follow new folders', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/prd.md': '---\nddx:\n  id: helix.prd\n---\n# Product Requirements\n',
      'docs/helix/01-frame/features/FEAT-001.md':
        '---\nddx:\n  id: FEAT-001\n  depends_on: [helix.prd]\n---\n# Login\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n\nFor [the PRD](../01-frame/prd.md).\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const rows = async () =>
      (await client.request<WorkflowsResult>('cdp/workflows', {})).workflows.map((w) => ({
        id: w.id,
        current: w.current,
        phases: w.phases.map((p) => ({
          uri: p.uri,
          title: `${p.phase} ${p.name}`,
          state: p.state,
          artifacts: (p.artifacts ?? []).map((a) => `${a.title} ${a.uri}`),
        })),
      }));
    assert.deepEqual(await rows(), [
      {
        id: 'docs/helix',
        current: '01',
        phases: [
          {
            uri: `${uri('docs/helix/01-frame')}/`,
            title: '01 Frame',
            state: 'current',
            artifacts: [
              `Login ${uri('docs/helix/01-frame/features/FEAT-001.md')}`,
              `Product Requirements ${uri('docs/helix/01-frame/prd.md')}`,
            ],
          },
          {
            uri: `${uri('docs/helix/02-design')}/`,
            title: '02 Design',
            state: 'in-progress',
            artifacts: [`Architecture ${uri('docs/helix/02-design/architecture.md')}`],
          },
        ],
      },
    ]);
    // A folder created on disk with a document: a phase more.
    writeFiles(root, { 'docs/helix/03-test/test-plan.md': '# Test Plan\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('docs/helix/03-test/test-plan.md'), type: 1 }],
    });
    let after: Awaited<ReturnType<typeof rows>> = [];
    // up to 15 s, as the client's other waits
    for (let i = 0; i < 300 && after[0]?.phases.length !== 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await rows();
    }
    assert.deepEqual(
      after[0].phases.map((p) => [p.title, p.state, p.artifacts]),
      [
        ['01 Frame', 'current', after[0].phases[0].artifacts],
        ['02 Design', 'in-progress', after[0].phases[1].artifacts],
        ['03 Test', 'in-progress', [`Test Plan ${uri('docs/helix/03-test/test-plan.md')}`]],
      ],
    );
    // Nothing in these documents is a finding (the folders are phases, not gaps).
    for (const rel of ['docs/helix/01-frame/prd.md', 'docs/helix/02-design/architecture.md'])
      assert.deepEqual(client.diagnosticsOf(uri(rel)), []);
    // A README with criteria in one folder: the others are gaps of that instance now, said
    // on their documents; gone again with it.
    const readme = 'docs/helix/01-frame/README.md';
    writeFiles(root, { [readme]: '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n' });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(readme), type: 1 }] });
    const gaps = (d: { code?: unknown; message: string }[]) =>
      d.filter((x) => x.code === 'phase-chain' && /holds documents but no phase document/.test(x.message))
        .length;
    for (const rel of ['docs/helix/02-design/architecture.md', 'docs/helix/03-test/test-plan.md'])
      await client.waitForDiagnostics(uri(rel), (d) => gaps(d) === 1, `the gap on ${rel}`);
    rmSync(join(root, readme));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(readme), type: 3 }] });
    for (const rel of ['docs/helix/02-design/architecture.md', 'docs/helix/03-test/test-plan.md'])
      await client.waitForDiagnostics(
        uri(rel),
        (d) => d.length === 0,
        `no gap on ${rel} once the README is gone`,
      );
  });

  it('a phase README deleted on disk: the gap findings on the other folders go, the folders are phases', async () => {
    const readme = 'services/billing/docs/helix/01-frame/README.md';
    const root = tempWorkspace({
      'README.md': '# Monorepo\n\n- [billing PRD](services/billing/docs/helix/01-frame/prd.md)\n',
      [readme]: '# Frame\n\n## Exit Criteria\n\n- [ ] ok\n',
      'services/billing/docs/helix/01-frame/prd.md':
        '---\nddx:\n  id: PRD-BILL\n---\n# Billing PRD\n\nSee [[FEAT-001]].\n',
      'services/billing/docs/helix/01-frame/features/FEAT-001-invoices.md':
        '---\nddx:\n  id: FEAT-001\n  depends_on: [PRD-BILL]\n---\n# FEAT-001 Invoices\n\nUses [[FEAT-101]] for email.\n',
      'services/billing/docs/helix/02-design/adr/ADR-001-stripe.md':
        '---\nddx:\n  id: ADR-001\n  depends_on: [FEAT-001]\n---\n# ADR-001 Stripe\n',
      'services/billing/docs/helix/03-test/test-plan.md':
        '# Billing test plan\n\nCovers [[FEAT-001]] and [invoices](../01-frame/features/FEAT-001-invoices.md).\n',
      'services/notify/docs/helix/01-frame/FEAT-101-email.md':
        '---\nddx:\n  id: FEAT-101\n---\n# FEAT-101 Email\n',
      'services/notify/docs/helix/02-design/architecture.md': '# Notify architecture\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const docs = [
      'services/billing/docs/helix/02-design/adr/ADR-001-stripe.md',
      'services/billing/docs/helix/03-test/test-plan.md',
    ];
    for (const rel of docs)
      await client.waitForDiagnostics(
        uri(rel),
        (d) => d.some((x) => x.code === 'phase-chain'),
        `the gap on ${rel}`,
      );
    rmSync(join(root, readme));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(readme), type: 3 }] });
    for (const rel of docs)
      await client.waitForDiagnostics(
        uri(rel),
        (d) => d.length === 0,
        `no gap on ${rel} once the README is gone`,
      );
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      wf.workflows.map((w) => `${w.id}: ${w.phases.map((p) => p.phase).join(' ')}`),
      ['services/billing/docs/helix: 01 02 03', 'services/notify/docs/helix: 01 02'],
    );
  });

  it('a workspace folder sent with a trailing slash is the same folder (its name, its phases)', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    const folder = `${join(root, 'docs', 'helix')}/`;
    assert.ok(uriOf(folder).endsWith('/helix/'), uriOf(folder));
    const client = await TestClient.start([folder]);
    clients.push(client);
    await client.ready();
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      wf.workflows.map(
        (w) => `${w.id}: ${w.phases.map((p) => `${p.phase} ${p.uri.slice(uriOf(root).length)}`).join(', ')}`,
      ),
      ['helix: 01 /docs/helix/01-frame/, 02 /docs/helix/02-design/'],
    );
  });

  it('a duplicate-phase follows the document it is said on as documents come and go', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/01_frame/b.md': '# B\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const dup = (d: { code?: unknown }[]) => d.filter((x) => x.code === 'duplicate-phase').length;
    await client.waitForDiagnostics(uri('docs/helix/01_frame/b.md'), (d) => dup(d) === 1, 'on b.md');
    // A README in the folder: the finding moves onto it, and the other side points there.
    writeFiles(root, { 'docs/helix/01_frame/README.md': '# Old frame notes\n' });
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('docs/helix/01_frame/README.md'), type: 1 }],
    });
    await client.waitForDiagnostics(
      uri('docs/helix/01_frame/README.md'),
      (d) => dup(d) === 1,
      'on the README',
    );
    await client.waitForDiagnostics(uri('docs/helix/01_frame/b.md'), (d) => dup(d) === 0, 'gone from b.md');
    const other = await client.waitForDiagnostics(
      uri('docs/helix/01-frame/prd.md'),
      (d) => d.some((x) => x.relatedInformation?.[0]?.location.uri === uri('docs/helix/01_frame/README.md')),
      'prd.md points at the README',
    );
    assert.equal(dup(other), 1);
  });

  it("a documentation site's configuration created or deleted re-checks the pages below it", async () => {
    const page = (n: string, name: string) =>
      `# Phase ${n}: ${name}\n\n## Entry Criteria\n\nThe problem is understood.\n\n## Exit Criteria\n\nWrite it down.\n`;
    const root = tempWorkspace({
      'site/01-diagnose.md': page('01', 'Diagnose'),
      'site/02-prescribe.md': page('02', 'Prescribe'),
      'site/03-treat.md': page('03', 'Treat'),
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const first = uriOf(join(root, 'site/01-diagnose.md'));
    const config = uriOf(join(root, 'site/mkdocs.yml'));
    const phaseFindings = (d: { code?: string | number }[]) => d.some((x) => x.code === 'unmet-criterion');
    await client.waitForDiagnostics(first, phaseFindings, 'phase findings');
    // (they stayed: only the documents linking to the file were checked again)
    writeFiles(root, { 'site/mkdocs.yml': 'site_name: x\n' });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 1 }] });
    await client.waitForDiagnostics(first, (d) => !phaseFindings(d), 'no phase findings');
    rmSync(join(root, 'site/mkdocs.yml'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 3 }] });
    await client.waitForDiagnostics(first, phaseFindings, 'phase findings again');
  });
});
