import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Analysis } from '../../server/src/core/analysis';
import { defaultConfig } from '../../server/src/core/config';
import type { WorkspaceIndex } from '../../server/src/core/index';
import { loadWorkspace } from '../../server/src/core/load';
import { NodeFsWorkspace } from '../../server/src/node/fs-workspace';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'ddx-cdp');
const FIXTURE = join(__dirname, '..', 'fixtures', 'links-in-code');

/** No link read from code: code in these documents writes its wikilink syntax as `[[ddx …]]`. */
function assertNoCodeLinks(index: WorkspaceIndex): void {
  for (const e of index.all()) {
    for (const l of e.doc.links) assert.ok(!/^ddx /.test(l.target), `${e.rel}: ${l.raw}`);
  }
}

// The corpus has no wikilinks in code, so the check above cannot fail on it: this fixture
// has them in every kind of code.
describe('links in code (own fixture)', () => {
  it('are not links: fences, indented code, code spans, HTML, in quotes and list items', async () => {
    const ws = new NodeFsWorkspace([FIXTURE]);
    const { index } = await loadWorkspace(ws, defaultConfig());
    const texts = readdirSync(FIXTURE).map((f) => readFileSync(join(FIXTURE, f), 'utf8'));
    const inCode = texts.join('\n').match(/\[\[ddx /g) ?? [];
    assert.ok(inCode.length >= 10, `${inCode.length} wikilinks in code in the fixture`);
    assertNoCodeLinks(index);
    const links = [...index.all()]
      .sort((a, b) => (a.rel < b.rel ? -1 : 1))
      .flatMap((e) => e.doc.links.map((l) => `${e.rel}:${l.range.start.line + 1} ${l.raw}`));
    assert.deepEqual(links, [
      '03-build.md:6 [[02-plan]]',
      '03-build.md:9 [[02-plan]]',
      '03-build.md:9 [[guide#Commands|the commands]]',
      '03-build.md:13 [[02-plan#Exit Criteria]]',
      '03-build.md:14 [[guide]]',
      'guide.md:5 [[03-build]]',
    ]);
  });
});

describe('the DDX CDP corpus', {
  skip: existsSync(CORPUS) ? false : `corpus not present at ${CORPUS}`,
}, () => {
  const load = async () => {
    const ws = new NodeFsWorkspace([CORPUS]);
    const { index, notices } = await loadWorkspace(ws, defaultConfig());
    return { ws, index, notices, analysis: new Analysis(index) };
  };

  it('has six phase documents in one instance chained 01→…→06→01', async () => {
    const { analysis, index } = await load();
    const wfs = analysis.workflows();
    assert.equal(wfs.length, 1);
    const ids = wfs[0].phases.map((p) => p.phase!.id);
    assert.deepEqual(ids, ['01', '02', '03', '04', '05', '06']);
    for (let i = 0; i < 6; i++) {
      const p = wfs[0].phases[i];
      const nextLink = p.doc.links.find((l) => l.key === 'next_phase')!;
      const r = index.resolve(p, nextLink);
      assert.equal(r.status, 'resolved');
      assert.equal(r.status === 'resolved' && r.target, wfs[0].phases[(i + 1) % 6], `${p.rel} next_phase`);
    }
    const findings = [...analysis.checkAll().values()].flat();
    assert.deepEqual(
      findings.filter((f) => f.code === 'phase-chain' || f.code === 'duplicate-phase'),
      [],
    );
  });

  it('reads 05-release: 53 items in 9 groups (entry 8, exit 9, three gates of 4, four checklists of 6)', async () => {
    const { analysis } = await load();
    const release = analysis.workflows()[0].phases.find((p) => p.phase!.id === '05')!;
    assert.equal(release.phase!.name, 'Release');
    const groups = release.groups;
    assert.equal(groups.length, 9);
    assert.equal(
      groups.reduce((n, g) => n + g.total, 0),
      53,
    );
    const shape = groups.map((g) => `${g.kind}:${g.total}`);
    assert.deepEqual(shape, [
      'entry:8',
      'exit:9',
      'gate:4',
      'gate:4',
      'gate:4',
      'checklist:6',
      'checklist:6',
      'checklist:6',
      'checklist:6',
    ]);
    assert.ok(groups.filter((g) => g.kind === 'gate').every((g) => g.heading.endsWith('Gate')));
  });

  it('does not read links inside code as links', async () => {
    const { index, ws } = await load();
    assertNoCodeLinks(index);
    const release = index.get(`${ws.folders[0]}/workflows/cdp/phases/05-release.md`)!;
    assert.ok(release, 'release phase indexed');
    const inCode = release.doc.links.filter((l) => l.range.start.line > 200 && l.range.start.line < 230);
    assert.deepEqual(inCode, []);
  });

  it('resolves [[test-plan/README\\|Monitoring Plan]] in the README table', async () => {
    const { index, ws } = await load();
    const readme = index.get(`${ws.folders[0]}/workflows/cdp/README.md`)!;
    const link = readme.doc.links.find((l) => l.alias === 'Monitoring Plan')!;
    assert.ok(link, 'link found');
    assert.equal(link.target, 'test-plan/README');
    assert.ok(link.raw.includes('\\|'));
    const r = index.resolve(readme, link);
    assert.equal(r.status === 'resolved' && r.target.rel, 'workflows/cdp/test-plan/README.md');
  });

  it('resolves the corpus link forms: title, relative path, extension, folder', async () => {
    const { index, ws } = await load();
    const release = index.get(`${ws.folders[0]}/workflows/cdp/phases/05-release.md`)!;
    const back = release.doc.links.find((l) => l.target === '04-monitor')!;
    const r = index.resolve(release, back);
    assert.equal(r.status === 'resolved' && r.target.rel, 'workflows/cdp/phases/04-monitor.md');
    const readme = index.get(`${ws.folders[0]}/workflows/cdp/README.md`)!;
    const guide = readme.doc.links.find((l) => l.target === 'GUIDE')!;
    assert.equal(index.resolve(readme, guide).status, 'resolved');
  });
});

const HELIX = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'helix-library');

describe('the DDX HELIX library corpus', {
  skip: existsSync(HELIX) ? false : `corpus not present at ${HELIX}`,
}, () => {
  const load = async () => {
    const { index, notices } = await loadWorkspace(new NodeFsWorkspace([HELIX]), defaultConfig());
    return { index, notices, analysis: new Analysis(index) };
  };

  it('is one workflow, a definition, with seven phases 00–06 named by their titles', async () => {
    const { analysis } = await load();
    const wfs = analysis.workflows();
    assert.deepEqual(
      wfs.map((w) => [w.id, w.definition]),
      [['workflows/helix/phases', true]],
    );
    assert.deepEqual(
      wfs[0].phases.map((p) => `${p.phase!.id} ${p.phase!.name}`),
      ['00 Discover', '01 Frame', '02 Design', '03 Test', '04 Build', '05 Deploy', '06 Iterate'],
    );
    // A definition: nothing is unmet, missing or out of order; no errors.
    const findings = [...analysis.checkAll().values()].flat();
    for (const code of [
      'unmet-criterion',
      'missing-artifact',
      'out-of-order',
      'invalid-gate-file',
      'invalid-frontmatter',
    ])
      assert.deepEqual(
        findings.filter((f) => f.code === code),
        [],
        code,
      );
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error'),
      [],
    );
    // Broken links: only the two that name real paths this folder lacks; the templates'
    // one-word placeholders (`[Support Portal](link)`) are left for instances to fill in.
    const rel = (u: string) => u.slice(u.indexOf('/workflows/helix/') + 1);
    assert.deepEqual(
      findings
        .filter((f) => f.code === 'broken-link')
        .map((f) => `${rel(f.uri)}:${f.range.start.line + 1}`)
        .sort(),
      ['workflows/helix/phases/02-design/README.md:274', 'workflows/helix/ratchets.md:243'],
    );
  });

  it('reads every gate file as groups with the items counted by hand from the YAML', async () => {
    const { analysis } = await load();
    const shape = analysis
      .workflows()[0]
      .phases.map((p) => [
        p.phase!.id,
        p.groups
          .filter((g) => g.file !== undefined)
          .map((g) => `${g.file!.slice(g.file!.lastIndexOf('/') + 1)} ${g.heading} ${g.kind}:${g.total}`),
      ]);
    // GATE.yaml: one item per `automated` check and per `manual` entry; the list forms:
    // one item per `criteria`; one per entry of `validation_rules`.
    assert.deepEqual(shape, [
      [
        '00',
        ['GATE.yaml Entry Gates entry:2', 'GATE.yaml Exit Gates exit:5', 'GATE.yaml Validation Rules exit:3'],
      ],
      [
        '01',
        [
          'input-gates.yml Input Gates entry:2',
          'exit-gates.yml Exit Gates exit:17',
          'exit-gates.yml Validation Rules exit:4',
          'GATE.yaml Entry Requirements entry:2',
          'GATE.yaml Exit Requirements exit:13',
        ],
      ],
      [
        '02',
        [
          'input-gates.yml Input Gates entry:3',
          'GATE.yaml Entry Requirements entry:6',
          'GATE.yaml Exit Requirements exit:13',
        ],
      ],
      [
        '03',
        [
          'input-gates.yml Input Gates entry:3',
          'GATE.yaml Entry Requirements entry:6',
          'GATE.yaml Exit Requirements exit:12',
        ],
      ],
      [
        '04',
        [
          'input-gates.yml Input Gates entry:4',
          'GATE.yaml Entry Requirements entry:7',
          'GATE.yaml Exit Requirements exit:12',
        ],
      ],
      [
        '05',
        [
          'input-gates.yml Input Gates entry:4',
          'GATE.yaml Entry Requirements entry:8',
          'GATE.yaml Exit Requirements exit:12',
        ],
      ],
      [
        '06',
        [
          'input-gates.yml Input Gates entry:3',
          'GATE.yaml Entry Requirements entry:6',
          'GATE.yaml Exit Requirements exit:17',
        ],
      ],
    ]);
  });
});
