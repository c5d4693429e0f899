// DDX ids in the running server: an edit that changes an id re-publishes the diagnostics
// of the other documents it affects (the server's re-check queue). The id features
// themselves are tested in-process in test/features/ids.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serversOnTempFolders } from './client';

const start = serversOnTempFolders();

const prd = '---\nddx:\n  id: helix.prd\n  type: prd\n---\n# Product Requirements\n\n## Goals\n';
const feat =
  '---\nddx:\n  id: FEAT-004\n  depends_on:\n    - helix.prd\n---\n# Login\n\nBuilt on [[helix.prd#Goals]].\n';
const adr = '---\ndun:\n  id: ADR-003\n  depends_on: helix.prd\n---\n# Use tokens\n\nSee [[FEAT-004]].\n';
const files = { 'docs/prd.md': prd, 'docs/features/login.md': feat, 'docs/adr/003-tokens.md': adr };

describe('ids in the server', () => {
  it('changing an id re-checks the documents that depend on it and those sharing it', async () => {
    const { client, uri } = await start(files);
    const login = uri('docs/features/login.md');
    assert.ok(!client.diagnosticsOf(login).some((x) => x.code === 'missing-dependency'));
    await client.open(uri('docs/prd.md'), prd);
    const renamed = prd.replace('id: helix.prd', 'id: ADR-003');
    await client.change(uri('docs/prd.md'), [{ text: renamed }]);
    const d = await client.waitForDiagnostics(login, (x) => x.some((y) => y.code === 'missing-dependency'));
    assert.match(d.find((x) => x.code === 'missing-dependency')!.message, /"helix\.prd"/);
    const dup = await client.waitForDiagnostics(uri('docs/adr/003-tokens.md'), (x) =>
      x.some((y) => y.code === 'duplicate-id'),
    );
    assert.equal(dup.find((x) => x.code === 'duplicate-id')!.severity, 1);
    await client.change(uri('docs/prd.md'), [{ text: prd }]);
    await client.waitForDiagnostics(login, (x) => !x.some((y) => y.code === 'missing-dependency'));
    await client.waitForDiagnostics(
      uri('docs/adr/003-tokens.md'),
      (x) => !x.some((y) => y.code === 'duplicate-id'),
    );
  });

  it('an id that comes or goes re-checks the values naming it as a successor, the links to their documents, and ids in other case', async () => {
    const old = '---\nddx: {id: FEAT-001, status: Superseded, superseded_by: FEAT-099}\n---\n# Old\n';
    const next = (id: string) => `---\nddx:\n  id: ${id}\n---\n# Next\n`;
    const { client, uri } = await start({
      'docs/old.md': old,
      'docs/next.md': next('FEAT-098'),
      'docs/dep.md': '---\nddx: {id: FEAT-003, depends_on: [FEAT-001, feat-002]}\n---\n# Dep\n',
      'docs/link.md': '# Link\n\nSee [[FEAT-001]].\n',
    });
    const message = (rel: string, code: string) =>
      client.diagnosticsOf(uri(rel)).find((x) => x.code === code)?.message ?? '';
    assert.match(
      message('docs/old.md', 'missing-dependency'),
      /superseded_by "FEAT-099": no document has this id/,
    );
    assert.match(message('docs/link.md', 'superseded-link'), /its successor "FEAT-099" is not found/);
    assert.match(message('docs/dep.md', 'superseded-link'), /its successor "FEAT-099" is not found/);
    assert.doesNotMatch(message('docs/dep.md', 'missing-dependency'), /letter case/);
    const said = (rel: string, code: string, re: RegExp) =>
      client.waitForDiagnostics(uri(rel), (x) => re.test(x.find((y) => y.code === code)?.message ?? ''));
    await client.open(uri('docs/next.md'), next('FEAT-098'));
    await client.change(uri('docs/next.md'), [{ text: next('FEAT-099') }]);
    await client.waitForDiagnostics(
      uri('docs/old.md'),
      (x) => !x.some((y) => y.code === 'missing-dependency'),
    );
    await said('docs/link.md', 'superseded-link', /use "FEAT-099" instead/);
    await said('docs/dep.md', 'superseded-link', /use "FEAT-099" instead/);
    await client.change(uri('docs/next.md'), [{ text: next('FEAT-002') }]);
    await said('docs/old.md', 'missing-dependency', /superseded_by "FEAT-099"/);
    await said('docs/link.md', 'superseded-link', /its successor "FEAT-099" is not found/);
    await said(
      'docs/dep.md',
      'missing-dependency',
      /"feat-002": no document has this id \(FEAT-002 differs only in letter case/,
    );
  });

  it('an id that comes re-checks the depends_on entries and wikilinks naming it in other zero padding', async () => {
    const next = (id: string) => `---\nddx:\n  id: ${id}\n---\n# Next\n`;
    const { client, uri } = await start({
      'docs/next.md': next('FEAT-098'),
      'docs/dep.md': '---\nddx: {id: FEAT-003, depends_on: [FEAT-2]}\n---\n# Dep\n',
      'docs/link.md': '# Link\n\nSee [[FEAT-02]].\n',
    });
    const message = (rel: string, code: string) =>
      client.diagnosticsOf(uri(rel)).find((x) => x.code === code)?.message ?? '';
    assert.match(message('docs/dep.md', 'missing-dependency'), /"FEAT-2": no document has this id\.$/);
    assert.match(
      message('docs/link.md', 'broken-link'),
      /\[\[FEAT-02\]\] does not resolve: no document with that id or name\.$/,
    );
    await client.open(uri('docs/next.md'), next('FEAT-098'));
    await client.change(uri('docs/next.md'), [{ text: next('FEAT-002') }]);
    const said = (rel: string, code: string, re: RegExp) =>
      client.waitForDiagnostics(uri(rel), (x) => re.test(x.find((y) => y.code === code)?.message ?? ''));
    await said(
      'docs/dep.md',
      'missing-dependency',
      /"FEAT-2": no document has this id \(FEAT-002 differs only in zero padding/,
    );
    await said('docs/link.md', 'broken-link', /\[\[FEAT-02\]\] .*\(FEAT-002 differs only in zero padding/);
  });

  it('an id a second project declares makes a link from outside both ambiguous, and not once it is gone', async () => {
    const frame = '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD [[helix.prd]]\n';
    const { client, uri } = await start({
      'packages/api/docs/helix/01-frame/README.md': frame,
      'packages/api/docs/helix/01-frame/prd.md': prd,
      'packages/web/docs/helix/01-frame/README.md': frame,
      'packages/web/docs/helix/01-frame/prd.md': '# PRD to come\n',
      'README.md': '# Index\n\nSee [[helix.prd]].\n',
    });
    const readme = uri('README.md');
    assert.ok(!client.diagnosticsOf(readme).some((x) => x.code === 'ambiguous-link'));
    const web = uri('packages/web/docs/helix/01-frame/prd.md');
    await client.open(web, '# PRD to come\n');
    await client.change(web, [{ text: prd }]);
    const d = await client.waitForDiagnostics(readme, (x) => x.some((y) => y.code === 'ambiguous-link'));
    assert.match(d.find((x) => x.code === 'ambiguous-link')!.message, /matches 2 documents equally near/);
    await client.change(web, [{ text: '# PRD to come\n' }]);
    await client.waitForDiagnostics(readme, (x) => !x.some((y) => y.code === 'ambiguous-link'));
  });

  it('a phase made a template re-checks the documents that named an id of its folder elsewhere', async () => {
    // The phase document declares no id itself: its folder's feature.md becomes a template.
    const phase = (template: boolean) =>
      `---\n${template ? 'template: true\n' : ''}phase: 01-frame\n---\n# Frame\n\n## Exit Criteria\n\n- [ ] a\n`;
    const feature = '---\nddx:\n  id: FEAT-001\n---\n# Feature\n';
    const arch = '---\nddx:\n  id: ARCH-001\n  depends_on: [FEAT-001]\n---\n# Architecture\n';
    const { client, uri } = await start({
      'templates/01-frame.md': phase(false),
      'templates/feature.md': feature,
      'docs/arch.md': arch,
    });
    const archUri = uri('docs/arch.md');
    assert.ok(!client.diagnosticsOf(archUri).some((x) => x.code === 'missing-dependency'));
    await client.open(uri('templates/01-frame.md'), phase(false));
    await client.change(uri('templates/01-frame.md'), [{ text: phase(true) }]);
    await client.waitForDiagnostics(archUri, (x) => x.some((y) => y.code === 'missing-dependency'));
    await client.change(uri('templates/01-frame.md'), [{ text: phase(false) }]);
    await client.waitForDiagnostics(archUri, (x) => !x.some((y) => y.code === 'missing-dependency'));
  });

  it('an instance that comes or goes re-checks links into it and ids shared with it, wherever they are written', async () => {
    const phase = '# Treat Phase\n\n---\nphase: 03\nname: "Treat"\n---\n\n## Exit Criteria\n\n- [ ] done\n';
    const { client, uri, root } = await start({
      'cdp/checkout/03-treat.md': phase,
      'cdp/checkout/rollback-plan.md': '---\nddx:\n  id: helix.arch\n---\n# Rollback Plan\n',
      'product/helix/02-design/arch.md':
        '---\nddx:\n  id: helix.arch\n---\n# Arch\n\nSee [[rollback-plan]].\n',
    });
    const arch = uri('product/helix/02-design/arch.md');
    const plan = uri('cdp/checkout/rollback-plan.md');
    const has = (code: string) => (x: { code?: string | number }[]) => x.some((y) => y.code === code);
    await client.waitForDiagnostics(arch, has('cross-instance-link'));
    // the phase document goes: its instance with it, the plan is shared by all
    rmSync(join(root, 'cdp/checkout/03-treat.md'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('cdp/checkout/03-treat.md'), type: 3 }],
    });
    await client.waitForDiagnostics(arch, (x) => !has('cross-instance-link')(x), 'no cross-instance-link');
    await client.waitForDiagnostics(plan, has('duplicate-id'), 'one scope: the id is declared twice');
    // and back
    writeFileSync(join(root, 'cdp/checkout/03-treat.md'), phase);
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('cdp/checkout/03-treat.md'), type: 1 }],
    });
    await client.waitForDiagnostics(arch, has('cross-instance-link'), 'the cross-instance-link again');
    await client.waitForDiagnostics(plan, (x) => !has('duplicate-id')(x), 'two scopes again');
  });

  it('an instance whose phases move to another folder (its own folder changes) re-checks the links into it', async () => {
    const phase = (n: string, name: string, link: string) =>
      `# ${name}\n\n---\nphase: ${n}\nname: "${name}"\n${link}\n---\n\n## Exit Criteria\n\n- [ ] x\n`;
    const b = phase('02', 'B', 'previous_phase: "[[01-a]]"');
    const { client, uri, root } = await start({
      'cdp/checkout/01-a.md': phase('01', 'A', 'next_phase: "[[02-b]]"'),
      'cdp/checkout/02-b.md': b,
      'cdp/checkout/rollback-plan.md': '# Rollback\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] a\n',
      'docs/helix/02-design/arch.md': '# Arch\n\nSee [[rollback-plan]].\n',
    });
    const arch = uri('docs/helix/02-design/arch.md');
    const cross = (x: { code?: string | number }[]) => x.some((y) => y.code === 'cross-instance-link');
    await client.waitForDiagnostics(arch, cross);
    // the instance keeps its id; its folder becomes the one its phases share now
    rmSync(join(root, 'cdp/checkout/02-b.md'));
    mkdirSync(join(root, 'notes'));
    writeFileSync(join(root, 'notes/02-b.md'), b);
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('cdp/checkout/02-b.md'), type: 3 },
        { uri: uri('notes/02-b.md'), type: 1 },
      ],
    });
    await client.waitForDiagnostics(arch, (x) => !cross(x), 'as a fresh start: no cross-instance-link');
  });
});
