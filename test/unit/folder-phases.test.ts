// Phase folders of a known workflow that hold filled documents but no phase document and no
// gate files (a HELIX project's `docs/helix/01-frame/prd.md`, …): each folder is a phase of
// its own, its documents are its artifacts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FolderPhaseEntry } from '../../server/src/core/index';
import { relativePath } from '../../server/src/core/paths';
import { workflowJson } from '../../server/src/core/report';
import { workflowPhaseStatuses } from '../../server/src/core/workflow';
import { check, ROOT } from '../helpers/memory-workspace';

const rel = (uri: string) => relativePath(ROOT, uri) ?? uri;

/** Each workflow as `id: phase folders` and each phase's artifacts. */
/** That `s` holds an instance of id `id` (whatever its phases). */
function hasInstance(s: { ids: string[] }, id: string): void {
  assert.ok(
    s.ids.some((i) => i.startsWith(`${id}:`)),
    s.ids.join(', '),
  );
}

async function shape(files: Record<string, string>) {
  const c = await check(files);
  const workflows = c.analysis.workflows();
  return {
    c,
    workflows,
    ids: workflows.map((w) => `${w.id}: ${w.phases.map((p) => `${p.phase!.id} ${rel(p.uri)}`).join(', ')}`),
    artifacts: Object.fromEntries(
      workflows.flatMap((w) =>
        w.phases.map((p) => [rel(p.uri), (w.artifacts.get(p.uri) ?? []).map((a) => a.rel)]),
      ),
    ),
  };
}

const HELIX_DOCS = {
  'docs/helix/00-discover/opportunity.md': '# Opportunity\n',
  'docs/helix/01-frame/prd.md':
    '---\nddx:\n  id: helix.prd\n---\n# PRD\n\nSee [the design](../02-design/architecture.md).\n',
  'docs/helix/01-frame/features/FEAT-001-login.md':
    '---\nddx:\n  id: FEAT-001\n  depends_on: [helix.prd]\nphase: "01-frame"\n---\n# Login\n',
  'docs/helix/02-design/architecture.md':
    '---\nddx:\n  id: helix.arch\n  depends_on: [helix.prd]\n---\n# Architecture\n',
  'docs/helix/03-test/test-plan.md': '# Test plan\n\n- [ ] write the tests\n',
  'README.md': '# Product\n',
};

describe('phase folders of filled documents, without phase documents', () => {
  it('make one workflow whose phases are the folders, their documents (at any depth) its artifacts', async () => {
    const { c, workflows, ids, artifacts } = await shape(HELIX_DOCS);
    assert.deepEqual(ids, [
      'docs/helix: 00 docs/helix/00-discover/, 01 docs/helix/01-frame/, 02 docs/helix/02-design/, 03 docs/helix/03-test/',
    ]);
    assert.ok(workflows[0].phases.every((p) => p instanceof FolderPhaseEntry));
    assert.deepEqual(artifacts, {
      'docs/helix/00-discover/': ['docs/helix/00-discover/opportunity.md'],
      'docs/helix/01-frame/': [
        'docs/helix/01-frame/features/FEAT-001-login.md',
        'docs/helix/01-frame/prd.md',
      ],
      'docs/helix/02-design/': ['docs/helix/02-design/architecture.md'],
      'docs/helix/03-test/': ['docs/helix/03-test/test-plan.md'],
    });
    // The folder's documents are its work: the first phase is current, the others under way
    // (00, optional with nothing to check, is never the current one).
    assert.deepEqual(
      workflowPhaseStatuses(workflows[0]).map((s) => s.state),
      ['in-progress', 'current', 'in-progress', 'in-progress'],
    );
    // No finding says the folders are no phases, nor anything about chains.
    assert.deepEqual(
      c.findings.map((f) => f.code),
      [],
    );
    // The report names the folder where a phase document would be.
    const json = workflowJson(workflows[0], rel);
    assert.deepEqual(
      json.phases.map((p) => [p.phase, p.name, p.file]),
      [
        ['00', 'Discover', 'docs/helix/00-discover/'],
        ['01', 'Frame', 'docs/helix/01-frame/'],
        ['02', 'Design', 'docs/helix/02-design/'],
        ['03', 'Test', 'docs/helix/03-test/'],
      ],
    );
  });

  it('need a known phase name at its number, and a second such folder or a parent named as the workflow', async () => {
    // One folder under `helix/` is a project that has begun.
    assert.deepEqual((await shape({ 'docs/helix/01-frame/prd.md': '# PRD\n' })).ids, [
      'docs/helix: 01 docs/helix/01-frame/',
    ]);
    assert.deepEqual((await shape({ 'process/cdp/01-diagnose/findings.md': '# Findings\n' })).ids, [
      'process/cdp: 01 process/cdp/01-diagnose/',
    ]);
    // Two under any parent, holding DDX work (a document with an id or `phase` metadata).
    assert.deepEqual(
      (
        await shape({
          'work/02-design/a.md': '---\nddx:\n  id: ARCH-1\n---\n# A\n',
          'work/03-test/b.md': '# B\n',
        })
      ).ids,
      ['work: 02 work/02-design/, 03 work/03-test/'],
    );
    // One alone elsewhere, names that are no known phase's, or known names at other numbers: no phase.
    for (const files of <Record<string, string>[]>[
      { 'docs/02-design/a.md': '# A\n' },
      // a docs site's sections named like phases, without DDX work in them
      { 'docs/02-design/a.md': '# A\n', 'docs/03-test/b.md': '# B\n', 'docs/04-build/c.md': '# C\n' },
      // a tutorial series whose other numbered folders are named otherwise
      {
        'docs/01-intro/index.md': '# Intro\n',
        'docs/02-design/index.md': '# D\n',
        'docs/03-test/index.md': '# T\n',
      },
      { 'docs/01-intro/a.md': '# A\n', 'docs/02-setup/b.md': '# B\n' },
      { 'docs/03-frame/a.md': '# A\n', 'docs/04-design/b.md': '# B\n' },
      // folders named like phases but holding no document
      { 'docs/helix/01-frame/diagram.png': 'png', 'docs/helix/02-design/x.yml': 'a: 1\n' },
    ])
      assert.deepEqual((await shape(files)).ids, [], JSON.stringify(files));
  });

  it('inside a workflow (a CDP cycle keeping artifacts by phase, a phase folder) they are its documents', async () => {
    const cycle = await shape({
      'cycle/01-diagnose.md':
        '---\nphase: 1\n---\n# Diagnose\n\nSee [[rca]].\n\n## Exit Criteria\n\n- [x] done\n',
      'cycle/artifacts/01-diagnose/rca.md': '---\nddx:\n  id: RCA-1\n---\n# RCA\n',
      'cycle/artifacts/02-prescribe/plan.md': '---\nddx:\n  id: PLAN-1\n---\n# Plan\n',
    });
    assert.deepEqual(cycle.ids, ['cycle: 01 cycle/01-diagnose.md']);
    assert.deepEqual(cycle.c.findings, []);
    const nested = await shape({
      'docs/helix/00-discover/notes.md': '# Notes\n',
      'docs/helix/00-discover/research/01-frame/a.md': '# A\n',
      'docs/helix/00-discover/research/02-design/b.md': '# B\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
    });
    assert.deepEqual(nested.ids, ['docs/helix: 00 docs/helix/00-discover/, 01 docs/helix/01-frame/']);
    assert.deepEqual(nested.artifacts['docs/helix/00-discover/'], [
      'docs/helix/00-discover/notes.md',
      'docs/helix/00-discover/research/01-frame/a.md',
      'docs/helix/00-discover/research/02-design/b.md',
    ]);
  });

  it('beside a workflow, folders of its artifacts kept by phase (each named by a phase document) are no instance', async () => {
    const phase = (n: string, name: string, artifact: string, more = '') =>
      `# ${name} Phase\n---\nphase: "${n}"\n${more}artifacts: ["[[${artifact}]]"]\n---\n\n## Exit Criteria\n\n- [ ] ${name} done\n`;
    const files = {
      'process/cdp/01-diagnose.md': phase(
        '01',
        'Diagnose',
        'problem-statement',
        'next_phase: "[[02-prescribe]]"\n',
      ),
      'process/cdp/02-prescribe.md': phase(
        '02',
        'Prescribe',
        'solution-design',
        'previous_phase: "[[01-diagnose]]"\n',
      ),
      'process/artifacts/01-diagnose/problem-statement.md':
        '---\nphase: "01-diagnose"\n---\n# Problem Statement\n',
      'process/artifacts/02-prescribe/solution-design.md':
        '---\nphase: "02-prescribe"\nddx:\n  id: DES-1\n---\n# Solution Design\n',
    };
    const kept = await shape(files);
    // They made a second workflow `process/artifacts` (a gate of `--phase diagnose` failed
    // on it) and a cross-instance-link warning on every artifact link.
    assert.deepEqual(kept.ids, [
      'process/cdp: 01 process/cdp/01-diagnose.md, 02 process/cdp/02-prescribe.md',
    ]);
    assert.deepEqual(kept.artifacts, {
      'process/cdp/01-diagnose.md': ['process/artifacts/01-diagnose/problem-statement.md'],
      'process/cdp/02-prescribe.md': ['process/artifacts/02-prescribe/solution-design.md'],
    });
    assert.deepEqual(kept.c.of('cross-instance-link'), []);
    // As the artifact link is typed away and back (the editor's index follows it).
    const ids = () => kept.c.analysis.workflows().map((w) => w.id);
    kept.c.analysis.index.set(`${ROOT}/process/cdp/02-prescribe.md`, phase('02', 'Prescribe', 'other'));
    assert.deepEqual(ids(), ['process/artifacts', 'process/cdp']);
    kept.c.analysis.index.set(`${ROOT}/process/cdp/02-prescribe.md`, files['process/cdp/02-prescribe.md']);
    assert.deepEqual(ids(), ['process/cdp']);
    // Named under an artifacts heading, by title and by id, as typed (the editor follows).
    const body = (n: string, name: string, link: string, more = '') =>
      `# ${name} Phase\n---\nphase: "${n}"\n${more}---\n\n## Exit Criteria\n\n- [ ] ${name} done\n\n## Artifacts Produced\n\n- ${link}\n`;
    const byTitle = await shape({
      ...files,
      'process/cdp/01-diagnose.md': body(
        '01',
        'Diagnose',
        '[[Problem Statement]]',
        'next_phase: "[[02-prescribe]]"\n',
      ),
      'process/cdp/02-prescribe.md': body(
        '02',
        'Prescribe',
        '[[DES-1]]',
        'previous_phase: "[[01-diagnose]]"\n',
      ),
    });
    assert.deepEqual(byTitle.ids, [
      'process/cdp: 01 process/cdp/01-diagnose.md, 02 process/cdp/02-prescribe.md',
    ]);
    byTitle.c.analysis.index.set(
      `${ROOT}/process/cdp/02-prescribe.md`,
      body('02', 'Prescribe', '[[other]]', 'previous_phase: "[[01-diagnose]]"\n'),
    );
    assert.deepEqual(
      byTitle.c.analysis.workflows().map((w) => w.id),
      ['process/artifacts', 'process/cdp'],
    );
    // Named by a definition's phases, or by a workflow elsewhere in the repository: the
    // folders are an instance of their own.
    const move = (prefix: string) =>
      Object.fromEntries(
        Object.entries(files).map(([k, v]) => [
          k.startsWith('process/cdp/') ? `${prefix}${k.slice(12)}` : k,
          v,
        ]),
      );
    for (const [name, prefix, more] of [
      ['definition', 'workflows/cdp/phases/', { 'workflows/cdp/workflow.yml': 'name: cdp\n' }],
      ['template', 'process/playbook/', {}],
      ['elsewhere', 'services/a/cdp/', {}],
    ] as const) {
      const moved: Record<string, string> = { ...move(prefix), ...more };
      if (name === 'template')
        for (const k of Object.keys(moved))
          if (k.startsWith(prefix)) moved[k] = moved[k].replace('---\nphase', '---\ntemplate: true\nphase');
      const own = (await shape(moved)).ids.map((i) => i.split(':')[0]);
      assert.ok(own.includes('process/artifacts'), `${name}: ${own.join(', ')}`);
    }
    // A definition's phases beside the folders (`phases/` with a `workflow.yml`), names the
    // cycle's own documents have too, folders at the top: an instance, as before.
    const def = await shape({
      'workflows/cdp/workflow.yml': 'name: cdp\n',
      'workflows/cdp/phases/01-diagnose.md': phase('01', 'Diagnose', 'problem-statement'),
      'workflows/cdp/phases/02-prescribe.md': phase('02', 'Prescribe', 'solution-design'),
      'workflows/cdp/work/01-diagnose/problem-statement.md':
        files['process/artifacts/01-diagnose/problem-statement.md'],
      'workflows/cdp/work/02-prescribe/solution-design.md':
        files['process/artifacts/02-prescribe/solution-design.md'],
    });
    hasInstance(def, 'workflows/cdp/work');
    const ownNames = await shape({
      ...files,
      'process/cdp/problem-statement.md': '# Problem Statement\n',
      'process/cdp/solution-design.md': '# Solution Design\n',
    });
    hasInstance(ownNames, 'process/artifacts');
    const top = await shape(
      Object.fromEntries(
        Object.entries(files).map(([k, v]) => [
          k.replace('process/artifacts/', '').replace('process/', ''),
          v,
        ]),
      ),
    );
    hasInstance(top, 'ws');
    // `template: true` typed into a phase that names them, and out again (the editor follows).
    kept.c.analysis.index.set(
      `${ROOT}/process/cdp/02-prescribe.md`,
      files['process/cdp/02-prescribe.md'].replace('---\nphase', '---\ntemplate: true\nphase'),
    );
    assert.ok(ids().includes('process/artifacts'), ids().join(', '));
    kept.c.analysis.index.set(`${ROOT}/process/cdp/02-prescribe.md`, files['process/cdp/02-prescribe.md']);
    assert.deepEqual(ids(), ['process/cdp']);
    // `[[../prd/README]]` names the one README it leads to, not every README of a folder.
    const readme = await shape({
      'process/cdp/01-diagnose.md': phase('01', 'Diagnose', 'README', 'next_phase: "[[02-prescribe]]"\n'),
      'process/cdp/02-prescribe.md': phase(
        '02',
        'Prescribe',
        'README',
        'previous_phase: "[[01-diagnose]]"\n',
      ),
      'process/work/01-diagnose/README.md': '---\nddx:\n  id: W-1\n---\n# W1\n',
      'process/work/02-prescribe/README.md': '---\nddx:\n  id: W-2\n---\n# W2\n',
    });
    hasInstance(readme, 'process/work');
    // A document there that no phase names as an artifact: DDX work of its own, an instance.
    const own = await shape({
      ...files,
      'process/artifacts/02-prescribe/adr-001.md': '---\nphase: "02-prescribe"\n---\n# ADR 1\n',
    });
    assert.deepEqual(
      own.ids.map((i) => i.split(':')[0]),
      ['process/artifacts', 'process/cdp'],
    );
  });

  it('a README that shows no phase is one of the folder phase’s documents', async () => {
    const { ids, artifacts } = await shape({
      'docs/helix/01-frame/README.md': '# Frame\n\nWhat we frame.\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
    });
    assert.deepEqual(ids, ['docs/helix: 01 docs/helix/01-frame/']);
    assert.deepEqual(artifacts['docs/helix/01-frame/'], [
      'docs/helix/01-frame/README.md',
      'docs/helix/01-frame/prd.md',
    ]);
  });

  it('beside phase documents or gate files, are no phases (gaps of a folder instance, or documents of no phase)', async () => {
    // A flat phase file beside a folder of the same phase's documents: one phase 01.
    const flat = await shape({
      'wf/01-diagnose.md': '# Diagnose\n\n## Exit Criteria\n\n- [ ] done\n',
      'wf/01-diagnose/notes.md': '# Notes\n',
      'wf/02-prescribe.md': '# Prescribe\n\n## Exit Criteria\n\n- [ ] done\n',
    });
    assert.deepEqual(flat.ids, ['wf: 01 wf/01-diagnose.md, 02 wf/02-prescribe.md']);
    assert.deepEqual(flat.c.of('duplicate-phase'), []);
    // Between flat phases: documents that are no phase's (the workflow skips phase 02).
    const between = await shape({
      'docs/helix/01-frame.md': '# Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
      'docs/helix/02-design/a.md': '# A\n',
      'docs/helix/03-test.md': '# Test\n\n## Exit Criteria\n\n- [ ] tested\n',
    });
    assert.deepEqual(between.ids, ['docs/helix: 01 docs/helix/01-frame.md, 03 docs/helix/03-test.md']);
    // A phase README beside: the other folders stay gaps of that instance (with their note).
    const gap = await shape({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    assert.deepEqual(gap.ids, ['docs/helix: 01 docs/helix/01-frame/README.md']);
    assert.equal(gap.c.of('phase-chain').length, 1);
    // Gate files in one folder: that folder is the phase, the other a gap.
    const gated = await shape({
      'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - "PRD approved"\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    assert.deepEqual(gated.ids, ['docs/helix: 01 docs/helix/01-frame/GATE.yaml']);
  });

  it('beside a phase document or gate files, a numbered folder far from the phases is no gap', async () => {
    for (const phase of [
      { 'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - PM sign-off\n' } as Record<
        string,
        string
      >,
      { 'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n' },
    ]) {
      const archived = await shape({ ...phase, 'docs/helix/99-archive/old.md': '# Old notes\n' });
      assert.equal(archived.ids.length, 1);
      assert.deepEqual(archived.c.analysis.workflows()[0].folderGaps, undefined);
      assert.deepEqual(archived.c.of('phase-chain'), []);
      // A known phase's folder is a gap wherever it is; another name right after the
      // phases or among them too (a custom workflow's next phase).
      const gaps = await shape({
        ...phase,
        'docs/helix/02-sketch/s.md': '# S\n',
        'docs/helix/05-deploy/d.md': '# D\n',
        'docs/helix/07-retro/r.md': '# R\n',
      });
      assert.deepEqual(
        gaps.c.analysis.workflows()[0].folderGaps?.map((g) => g.dir),
        ['docs/helix/02-sketch', 'docs/helix/05-deploy'],
      );
    }
  });

  it('follow the documents: the last document gone takes its phase, a README with criteria makes the others gaps', async () => {
    const c = await check(HELIX_DOCS);
    const phases = () => c.analysis.workflows().flatMap((w) => w.phases.map((p) => rel(p.uri)));
    assert.equal(phases().length, 4);
    c.analysis.index.delete(`${ROOT}/docs/helix/00-discover/opportunity.md`);
    assert.deepEqual(phases(), ['docs/helix/01-frame/', 'docs/helix/02-design/', 'docs/helix/03-test/']);
    // A README with criteria in 02-design: that folder's phase is its README, and the
    // others, beside a phase document now, are gaps of its instance.
    c.analysis.index.set(
      `${ROOT}/docs/helix/02-design/README.md`,
      '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] Architecture reviewed\n',
    );
    assert.deepEqual(phases(), ['docs/helix/02-design/README.md']);
    assert.deepEqual(
      c.analysis.workflows()[0].folderGaps?.map((g) => g.dir),
      ['docs/helix/01-frame', 'docs/helix/03-test'],
    );
  });

  it('other numbered folders among them are no gaps (no folder there has a phase document to lack)', async () => {
    const { c, ids } = await shape({
      ...HELIX_DOCS,
      'docs/helix/07-retro/q3.md': '# Q3 retro\n',
      'docs/helix/99-archive/old-prd.md': '# Old PRD\n',
    });
    assert.equal(ids.length, 1);
    assert.deepEqual(c.analysis.workflows()[0].folderGaps, undefined);
    assert.deepEqual(c.of('phase-chain'), []);
  });

  it('two folders of one number are a duplicate-phase, said on a document of each', async () => {
    const { c, ids } = await shape({
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/01_frame/README.md': '# Old frame notes\n',
      'docs/helix/01_frame/a.md': '# A\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    assert.deepEqual(ids, [
      'docs/helix: 01 docs/helix/01-frame/, 01 docs/helix/01_frame/, 02 docs/helix/02-design/',
    ]);
    assert.deepEqual(c.of('duplicate-phase'), [
      'docs/helix/01-frame/prd.md:1:3 Phase 01 is claimed by 2 folders of workflow "docs/helix": docs/helix/01-frame/, docs/helix/01_frame/.',
      'docs/helix/01_frame/README.md:1:3 Phase 01 is claimed by 2 folders of workflow "docs/helix": docs/helix/01_frame/, docs/helix/01-frame/.',
    ]);
    const f = c.findings.find((x) => x.code === 'duplicate-phase' && x.uri.endsWith('/prd.md'));
    assert.deepEqual(
      f?.related?.map((r) => rel(r.uri)),
      ['docs/helix/01_frame/README.md'],
    );
  });

  it('a phase document inside one of the numbered folders keeps them out (no phase counted twice)', async () => {
    for (const files of <Record<string, string>[]>[
      {
        'docs/helix/01-frame/prd.md': '# PRD\n',
        'docs/helix/02-design/02-design.md': '# Design\n\n## Exit Criteria\n\n- [ ] reviewed\n',
        'docs/helix/03-test/plan.md': '# Plan\n',
      },
      {
        'docs/helix/01-frame/prd.md': '# PRD\n',
        'docs/helix/02-design/architecture.md': '---\nphase: 2\n---\n# Architecture\n',
        'docs/helix/03-test/plan.md': '# Plan\n',
      },
    ]) {
      const { ids } = await shape(files);
      assert.equal(ids.length, 1, JSON.stringify(ids));
      assert.match(ids[0], /^docs\/helix\/02-design: 02 docs\/helix\/02-design\/[a-z0-9-]+\.md$/);
    }
  });

  it('a numbered file beside them that shows no phase is an ordinary document, not a stub phase', async () => {
    const { ids, c } = await shape({
      'docs/helix/00-overview.md': '# Overview\n\nHow we work.\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/02-design/a.md': '# A\n',
    });
    assert.deepEqual(ids, ['docs/helix: 01 docs/helix/01-frame/, 02 docs/helix/02-design/']);
    assert.deepEqual(c.findings, []);
  });

  it('a duplicate is said on each folder, also where the chosen document is a numbered file itself', async () => {
    const { c } = await shape({
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/01_frame/notes/01-kickoff.md': '# Kickoff\n',
      'docs/helix/02-design/a.md': '# A\n',
    });
    assert.deepEqual(
      c.of('duplicate-phase').map((x) => x.split(':')[0]),
      ['docs/helix/01-frame/prd.md', 'docs/helix/01_frame/notes/01-kickoff.md'],
    );
  });

  it('follow `phase` metadata as it is typed: DDX work makes the folders phases, an artifact joins its phase', async () => {
    const c = await check({
      'work/02-design/a.md': '# A\n',
      'work/03-test/b.md': '# B\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] x\n',
      'notes/n.md': '# N\n',
    });
    const ids = () => c.analysis.workflows().map((w) => w.id);
    assert.deepEqual(ids(), ['docs/helix']);
    c.analysis.index.set(`${ROOT}/work/02-design/a.md`, '---\nphase: "02-design"\n---\n# A\n');
    assert.deepEqual(ids(), ['docs/helix', 'work']);
    c.analysis.index.set(`${ROOT}/notes/n.md`, '---\nphase: "01-frame"\n---\n# N\n');
    const helix = c.analysis.workflows().find((w) => w.id === 'docs/helix')!;
    assert.deepEqual(
      [...helix.artifacts.values()].flat().map((e) => e.rel),
      ['notes/n.md'],
    );
  });
});
