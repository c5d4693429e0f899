import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';
import { check, phaseDoc, ROOT } from '../helpers/memory-workspace';

/** The workflows of a workspace as `id: phase files`, for compact assertions. */
async function workflowsOf(files: Record<string, string>): Promise<string[]> {
  const c = await check(files);
  return c.analysis.workflows().map((w) => `${w.id}: ${w.phases.map((p) => p.rel).join(' ')}`);
}

const DIAGNOSE = phaseDoc({
  title: 'Diagnose Phase',
  phase: '01',
  next: '02-prescribe',
  body: '## Exit Criteria\n\n- [x] Problem stated\n',
});

/** Phase 02 after DIAGNOSE, with one unmet exit criterion (line 10). */
const PRESCRIBE = phaseDoc({
  title: 'Prescribe Phase',
  phase: '02',
  previous: '01-diagnose',
  body: '## Exit Criteria\n\n- [ ] Plan approved\n',
});

describe('numbered files that show no phase', () => {
  it('a guide of numbered pages is no workflow and gets no phase findings', async () => {
    const files = {
      'guides/01-intro.md': '# Intro\n\nRead [setup](02-setup.md).\n',
      'guides/02-setup.md': '# Setup\n\n## Install\n\nRun npm ci.\n\n## Release Gate\n\nNothing here yet.\n',
      'guides/02-faq.md': '# FAQ\n',
      'cdp/01-diagnose.md': DIAGNOSE,
      'cdp/02-prescribe.md': phaseDoc({ title: 'Prescribe', phase: '02', previous: '01-diagnose' }),
    };
    assert.deepEqual(await workflowsOf(files), ['cdp: cdp/01-diagnose.md cdp/02-prescribe.md']);
    const c = await check(files);
    // Neither an empty gate nor a duplicate phase 02 in the guide.
    assert.deepEqual(
      c.findings.filter((f) => f.uri.includes('/guides/')).map((f) => f.code),
      [],
    );
  });

  it('stubs stay phases beside a file that shows one, and known phase names show one', async () => {
    assert.deepEqual(
      await workflowsOf({
        'w/01-diagnose.md': DIAGNOSE,
        'w/02-prescribe.md': '',
        'w/07-retro.md': '# Retro\n',
      }),
      ['w: w/01-diagnose.md w/02-prescribe.md w/07-retro.md'],
    );
    // One empty phase document a quick fix created: its name is a CDP phase's.
    assert.deepEqual(await workflowsOf({ 'w/06-follow-up.md': '' }), ['w: w/06-follow-up.md']);
    assert.deepEqual(await workflowsOf({ 'h/03-test.md': '# Tests\n' }), ['h: h/03-test.md']);
    // A configured release phase name is a known one.
    const c = await check({ 'r/04-ship.md': '' }, { cdp: { phases: { releasePhase: 'ship' } } });
    assert.deepEqual(
      c.analysis.workflows().map((w) => w.id),
      ['r'],
    );
    // A known name at another number is a guide's chapter: release is CDP's 05, deploy
    // HELIX's 05, so `3-release.md` and `03-deploy.md` show nothing.
    assert.deepEqual(
      await workflowsOf({
        'guide/1-intro.md': '# Intro\n',
        'guide/2-setup.md': '# Setup\n\n- [ ] Install node\n',
        'guide/3-release.md': '# Release\n\nHow we cut a release.\n',
        'docs/01-intro.md': '# Intro\n',
        'docs/03-deploy.md': '# Deploy\n',
      }),
      [],
    );
    assert.deepEqual(await workflowsOf({ 'r/05-release.md': '# Release\n' }), ['r: r/05-release.md']);
  });

  it('a numbered file that shows no phase, far from the phases, is a document of the folder, not 96 gaps', async () => {
    const notes = '# Retro notes\n\n- [ ] Book the room\n- [x] Send survey\n';
    // (it made phases 03–98 "skipped", 100 blocking items, and its boxes criteria)
    assert.deepEqual(
      await workflowsOf({
        'rel/01-diagnose.md': DIAGNOSE,
        'rel/02-prescribe.md': phaseDoc({ title: 'Prescribe', phase: '02', previous: '01-diagnose' }),
        'rel/99-retro-notes.md': notes,
      }),
      ['rel: rel/01-diagnose.md rel/02-prescribe.md'],
    );
    // Two such files near each other keep each other in no more than one does.
    assert.deepEqual(
      await workflowsOf({
        'two/01-diagnose.md': DIAGNOSE,
        'two/03-treat.md': '',
        'two/98-retro-notes.md': notes,
        'two/99-glossary.md': '# Glossary\n',
      }),
      ['two: two/01-diagnose.md two/03-treat.md'],
    );
    // Stubs ahead of a filled phase stay phases, one near the next.
    const own = (n: string, name: string) =>
      phaseDoc({ title: name, phase: n, body: '## Exit Criteria\n\n- [ ] x\n' });
    assert.deepEqual(
      await workflowsOf({
        'ahead/01-plan.md': own('01', 'Plan'),
        'ahead/04-build.md': '',
        'ahead/07-ship.md': '',
        'ahead/10-run.md': '',
      }),
      ['ahead: ahead/01-plan.md ahead/04-build.md ahead/07-ship.md ahead/10-run.md'],
    );
    // Of a workflow of its own: more than 3 from every other phase.
    assert.deepEqual(
      await workflowsOf({
        'p/01-plan.md': own('01', 'Plan'),
        'p/02-build.md': own('02', 'Build'),
        'p/04-ship.md': '# Ship\n',
        'p/12-notes.md': notes,
      }),
      ['p: p/01-plan.md p/02-build.md p/04-ship.md'],
    );
    const r = await run([
      'check',
      tempWorkspace({
        'rel/01-diagnose.md': DIAGNOSE,
        'rel/99-retro-notes.md': notes,
      }),
    ]);
    assert.doesNotMatch(r.stdout, /skips this phase/);
  });

  it("an index page numbered 00 in front of the phases is a document of the folder, HELIX's 00-discover a phase", async () => {
    for (const name of ['00-overview.md', '00-README.md', '00-index.md']) {
      const files = {
        'cdp/01-diagnose.md': DIAGNOSE,
        'cdp/02-prescribe.md': PRESCRIBE,
        [`cdp/${name}`]: '# Process overview\n\n1. [[01-diagnose|Diagnose]]\n2. [[02-prescribe|Prescribe]]\n',
      };
      assert.deepEqual(await workflowsOf(files), ['cdp: cdp/01-diagnose.md cdp/02-prescribe.md'], name);
      // As phase 00 it was the current phase for ever, and 02's unmet criterion was not reported.
      const c = await check(files);
      assert.deepEqual(c.of('unmet-criterion'), [
        'cdp/02-prescribe.md:10:1 Unmet exit criterion (Exit Criteria): Plan approved',
      ]);
    }
    // Named as a known phase, or linked as one, it stays a phase.
    assert.deepEqual(
      await workflowsOf({
        'h/00-discover.md': '',
        'h/01-frame.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      }),
      ['h: h/00-discover.md h/01-frame.md'],
    );
    assert.deepEqual(
      await workflowsOf({
        'k/00-kickoff.md': '',
        'k/01-plan.md': phaseDoc({
          title: 'Plan',
          phase: '01',
          previous: '00-kickoff',
          body: '## Exit Criteria\n\n- [ ] a\n',
        }),
      }),
      ['k: k/00-kickoff.md k/01-plan.md'],
    );
  });

  it('a guide page at the number of a phase that shows itself is a document of the folder, not a second phase', async () => {
    const files = {
      'docs/01-diagnose.md': DIAGNOSE,
      'docs/02-prescribe.md': PRESCRIBE,
      'docs/01-getting-started.md': '# Getting started\n\nRead the phases in order.\n',
    };
    // (it was phase 01 too: two duplicate-phase errors, and the current phase for ever)
    assert.deepEqual(await workflowsOf(files), ['docs: docs/01-diagnose.md docs/02-prescribe.md']);
    const c = await check(files);
    assert.deepEqual(c.of('duplicate-phase'), []);
    assert.deepEqual(c.of('unmet-criterion'), [
      'docs/02-prescribe.md:10:1 Unmet exit criterion (Exit Criteria): Plan approved',
    ]);
    // A stub named as the known phase at that number is a phase: the number is claimed twice.
    const twice = await check({
      'w/01-triage.md': phaseDoc({ title: 'Triage', phase: '01', body: '## Exit Criteria\n\n- [ ] a\n' }),
      'w/01-diagnose.md': '',
    });
    assert.equal(twice.of('duplicate-phase').length, 2);
  });

  it("a document numbered by its metadata alone, beside the file named as that phase, is the phase's artifact", async () => {
    const statement = '---\nphase: 01\ntitle: Problem statement\n---\n# Problem statement\n';
    const files = {
      'rel/01-diagnose.md': DIAGNOSE,
      'rel/02-prescribe.md': phaseDoc({
        title: 'Prescribe',
        phase: '02',
        previous: '01-diagnose',
        body: '## Exit Criteria\n\n- [ ] Plan approved\n',
      }),
      'rel/problem-statement.md': statement,
    };
    const c = await check(files);
    // (it was a second phase 01: two duplicate-phase errors, and the current phase)
    assert.deepEqual(await workflowsOf(files), ['rel: rel/01-diagnose.md rel/02-prescribe.md']);
    assert.deepEqual(c.of('duplicate-phase'), []);
    const w = c.analysis.workflows()[0];
    assert.deepEqual(
      w.artifacts.get(w.phases[0].uri)?.map((e) => e.rel),
      ['rel/problem-statement.md'],
    );
    // Phases named without numbers stay phases beside a numbered page that stands for none.
    assert.deepEqual(
      await workflowsOf({
        'x/diagnose.md': '---\nphase: 01\nname: Diagnose\n---\n# Diagnose\n\n## Exit Criteria\n\n- [x] a\n',
        'x/prescribe.md':
          '---\nphase: 02\nname: Prescribe\n---\n# Prescribe\n\n## Exit Criteria\n\n- [ ] b\n',
        'x/01-notes.md': '# Notes\n',
      }),
      ['x: x/diagnose.md x/prescribe.md'],
    );
    // Named by an `artifacts` list, in a folder of its own shared by cycles: no workflow.
    const shared = {
      'releases/r1/01-diagnose.md': phaseDoc({
        title: 'Diagnose',
        phase: '01',
        artifacts: ['../artifacts/release-plan'],
        body: '## Exit Criteria\n\n- [x] a\n',
      }),
      'releases/r2/01-diagnose.md': phaseDoc({
        title: 'Diagnose',
        phase: '01',
        artifacts: ['../artifacts/release-plan'],
        body: '## Exit Criteria\n\n- [x] a\n',
      }),
      'releases/artifacts/release-plan.md': '---\nphase: 01\n---\n# Release plan 2026.03\n',
    };
    assert.deepEqual(await workflowsOf(shared), [
      'releases/r1: releases/r1/01-diagnose.md',
      'releases/r2: releases/r2/01-diagnose.md',
    ]);
    // The file named as the phase gone, the document is the phase; back, an artifact again.
    const phases = () => c.analysis.workflows().flatMap((wf) => wf.phases.map((p) => p.rel));
    c.analysis.index.delete(`${ROOT}/rel/01-diagnose.md`);
    assert.deepEqual(phases(), ['rel/problem-statement.md', 'rel/02-prescribe.md']);
    c.analysis.index.set(`${ROOT}/rel/01-diagnose.md`, DIAGNOSE);
    assert.deepEqual(phases(), ['rel/01-diagnose.md', 'rel/02-prescribe.md']);
  });

  it("a duplicate phase whose metadata number is not its file name's says so", async () => {
    const c = await check({
      'c/01-diagnose.md': DIAGNOSE,
      'c/02-prescribe.md': phaseDoc({
        title: 'Prescribe',
        phase: '3',
        previous: '01-diagnose',
        next: '03-treat',
      }),
      'c/03-treat.md': phaseDoc({ title: 'Treat', phase: '03', previous: '02-prescribe' }),
    });
    const note = ' c/02-prescribe.md is named as phase 02, but its metadata says `phase: 3`.';
    assert.deepEqual(
      c.of('duplicate-phase').map((m) => m.replace(/^\S+ /, '')),
      [
        `Phase 03 is claimed by 2 documents of workflow "c": c/02-prescribe.md, c/03-treat.md.${note}`,
        `Phase 03 is claimed by 2 documents of workflow "c": c/03-treat.md, c/02-prescribe.md.${note}`,
      ],
    );
  });

  it('a template among more live phases is a document of the folder, not a phase making them a definition', async () => {
    const files = {
      'cdp/00-template.md': '---\ntemplate: true\n---\n# Phase template\n\n## Exit Criteria\n\n- [ ] x\n',
      'cdp/01-diagnose.md': DIAGNOSE,
      'cdp/02-prescribe.md': phaseDoc({
        title: 'Prescribe Phase',
        phase: '02',
        previous: '01-diagnose',
        body: '## Exit Criteria\n\n- [ ] Plan approved\n',
      }),
    };
    const c = await check(files);
    assert.deepEqual(
      c.analysis.workflows().map((w) => [w.id, w.definition, w.phases.map((p) => p.rel)]),
      [['cdp', false, ['cdp/01-diagnose.md', 'cdp/02-prescribe.md']]],
    );
    assert.deepEqual(c.of('unmet-criterion'), [
      'cdp/02-prescribe.md:10:1 Unmet exit criterion (Exit Criteria): Plan approved',
    ]);
    // A template that alone shows a phase among stubs: a definition, as before (its stubs
    // are no live workflow nothing shows).
    const alone = await check({
      'kit/00-template.md': files['cdp/00-template.md'],
      'kit/01-alpha.md': '',
      'kit/02-beta.md': '',
      'kit/03-gamma.md': '',
    });
    assert.deepEqual(
      alone.analysis.workflows().map((w) => [w.id, w.definition]),
      [['kit', true]],
    );
    // Every phase a template, or as many templates as phases: a definition, as before.
    const all = await check({
      ...files,
      'cdp/01-diagnose.md': DIAGNOSE.replace('phase: 01', 'phase: 01\ntemplate: true'),
    });
    assert.deepEqual(
      all.analysis.workflows().map((w) => [w.id, w.definition]),
      [['cdp', true]],
    );
  });

  it('known phase names show a workflow only when they name at least half of its files', async () => {
    // An operations guide whose one chapter is named as CDP's 04: no workflow.
    const guide = {
      'ops/01-overview.md': '# Overview\n',
      'ops/02-install.md': '# Install\n\n- [ ] node 20\n',
      'ops/03-configure.md': '# Configure\n',
      'ops/04-monitor.md': '# Monitor\n\nDashboards and alerts.\n',
      'ops/05-troubleshoot.md': '# Troubleshoot\n',
    };
    assert.deepEqual(await workflowsOf(guide), []);
    const c = await check(guide);
    assert.deepEqual(
      c.findings.map((f) => f.code),
      [],
    );
    // Nor does it hide the folders of filled documents of a project below it.
    const ddx = (id: string) => `---\nddx:\n  id: ${id}\n---\n# ${id}\n`;
    const below = await check({
      ...Object.fromEntries(Object.entries(guide).map(([k, v]) => [k.replace('ops/', 'docs/'), v])),
      'docs/helix/01-frame/prd.md': ddx('prd'),
      'docs/helix/02-design/arch.md': ddx('arch'),
    });
    assert.deepEqual(
      below.analysis.workflows().map((w) => [w.id, w.phases.length]),
      [['docs/helix', 2]],
    );
    // Half of them: stubs of a new instance, beside a page of their own.
    assert.deepEqual(
      await workflowsOf({
        'w/01-diagnose.md': '',
        'w/02-prescribe.md': '',
        'w/03-notes.md': '# Notes\n',
        'w/04-x.md': '',
      }),
      ['w: w/01-diagnose.md w/02-prescribe.md w/03-notes.md w/04-x.md'],
    );
    // Other evidence still makes the stubs of every name phases.
    assert.deepEqual(
      await workflowsOf({ ...guide, 'ops/01-overview.md': '# Overview\n\n## Exit Criteria\n\n- [ ] read\n' }),
      [
        'ops: ops/01-overview.md ops/02-install.md ops/03-configure.md ops/04-monitor.md ops/05-troubleshoot.md',
      ],
    );
  });

  it('each kind of phase evidence makes the numbered files of a folder a workflow', async () => {
    const plain = '# Other\n';
    const cases: Record<string, string> = {
      metadata: '---\nphase: intro\n---\n# Intro\n',
      next: '---\nnext_phase: "[[02-other]]"\n---\n# Intro\n',
      title: '# Phase 01: Intro\n',
      activity: '# Activity 01 - Intro\n',
      exit: '# Intro\n\n## Exit Criteria\n\n- [ ] done\n',
      entry: '# Intro\n\n## Entry Criteria\n\n- ready\n',
      gate: '# Intro\n\n## Review Gate\n\n- [ ] reviewed\n',
      chain: '# Intro\n\n## Next Phase\n\n[Other](02-other.md)\n',
    };
    for (const [kind, text] of Object.entries(cases)) {
      assert.deepEqual(
        await workflowsOf({ 'g/01-intro.md': text, 'g/02-other.md': plain }),
        ['g: g/01-intro.md g/02-other.md'],
        kind,
      );
    }
    const gated = await check({
      'g/01-intro.md': plain,
      'g/02-other.md': plain,
      'g/GATE.yaml': 'exit_requirements:\n  manual:\n    - criteria: reviewed\n',
    });
    assert.deepEqual(
      gated.analysis.workflows().map((w) => w.id),
      ['g'],
    );
    // A gate heading without items shows nothing (as for phase folders).
    assert.deepEqual(
      await workflowsOf({ 'g/01-intro.md': '# Intro\n\n## Release Gate\n', 'g/02-other.md': plain }),
      [],
    );
  });

  it('a numbered file that shows no phase inside a phase folder is its artifact', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
      'docs/helix/01-frame/01-notes.md': '# Notes\n',
    });
    const [w] = c.analysis.workflows();
    assert.deepEqual(
      w.phases.map((p) => p.rel),
      ['docs/helix/01-frame/README.md'],
    );
    assert.deepEqual(
      [...w.artifacts.values()].flat().map((e) => e.rel),
      ['docs/helix/01-frame/01-notes.md'],
    );
  });

  it('cdp check --phase 01 checks the workflow, not a guide', async () => {
    const root = tempWorkspace({
      'guides/01-intro.md': '# Intro\n\nRead [setup](02-setup.md).\n',
      'guides/02-setup.md': '# Setup\n\n## Install\n\nRun npm ci.\n',
      'cdp/01-diagnose.md': DIAGNOSE,
      'cdp/02-prescribe.md': phaseDoc({ title: 'Prescribe', phase: '02', previous: '01-diagnose' }),
    });
    const r = await run(['check', root, '--phase', '01']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /guides/);
    assert.match(r.stdout, /PASSED cdp 01 Diagnose/);
  });
});

describe("a documentation site's numbered pages about phases", () => {
  // Pages describing HELIX's phases, each with an exit section in prose: what a docs site
  // (MkDocs here) holds, and what a workflow of stubs just created looks like too.
  const pages = (dir: string) =>
    Object.fromEntries(
      ['00-discover', '01-frame', '02-design', '03-test', '04-build', '05-deploy', '06-iterate'].map((p) => [
        `${dir}/${p}.md`,
        `# ${p.slice(3)}\n\nWhat the team does here.\n\n## Exit Criteria\n\nThe team agrees the work is done.\n`,
      ]),
    );

  it('are pages, not a workflow, under a site configuration in their folder or above', async () => {
    for (const config of ['site/mkdocs.yml', 'site/docs/process/_config.yml', 'docusaurus.config.js']) {
      const files = { ...pages('site/docs/process'), [config]: 'site_name: Process\n' };
      assert.deepEqual(await workflowsOf(files), [], config);
      const c = await check(files);
      assert.deepEqual(
        c.findings.map((f) => `${f.code} ${f.uri}`),
        [],
        config,
      );
      // Nor shown as phases (outline, hover).
      const page = c.analysis.index.get(c.ws.uri('site/docs/process/02-design.md'))!;
      assert.equal(c.analysis.shownPhase(page), undefined, config);
    }
    // A configuration in a folder beside them is another site's.
    assert.equal(
      (await workflowsOf({ ...pages('site/docs/process'), 'blog/mkdocs.yml': 'site_name: Blog\n' })).length,
      1,
    );
    // Without a site they are a workflow (the stubs of a cycle just begun), as before.
    assert.deepEqual(await workflowsOf(pages('process')), [
      'process: process/00-discover.md process/01-frame.md process/02-design.md process/03-test.md process/04-build.md process/05-deploy.md process/06-iterate.md',
    ]);
  });

  it('are a workflow when one of them records a phase: metadata, a checklist item or gate files', async () => {
    const base = { ...pages('docs/cycle'), 'mkdocs.yml': 'site_name: Team\n' };
    const design = 'docs/cycle/02-design.md';
    for (const [what, change] of [
      ['a checklist item', { [design]: '# Design\n\n## Exit Criteria\n\n- [ ] Design reviewed\n' }],
      ['a malformed checkbox', { [design]: '# Design\n\n## Exit Criteria\n\n- [ x] Design reviewed\n' }],
      ['phase metadata', { [design]: '---\nphase: 02\n---\n# Design\n' }],
      ['next_phase metadata', { [design]: '---\nnext_phase: "[[03-test]]"\n---\n# Design\n' }],
      ['gate files', { 'docs/cycle/GATE.yaml': 'exit_requirements:\n  manual:\n    - "Shipped"\n' }],
    ] as const) {
      const ws = await workflowsOf({ ...base, ...change });
      assert.equal(ws.length, 1, what);
      assert.match(ws[0], /^docs\/cycle: docs\/cycle\/00-discover\.md .*06-iterate\.md$/, what);
    }
  });

  it('change with the site configuration and the first checklist item, as the editor reports them', async () => {
    const c = await check(pages('site/process'));
    const { index } = c.analysis;
    assert.equal(c.analysis.workflows().length, 1);
    index.addOtherFile(c.ws.uri('site/mkdocs.yml'));
    assert.equal(c.analysis.workflows().length, 0);
    const design = c.ws.uri('site/process/02-design.md');
    index.set(design, '# Design\n\n## Exit Criteria\n\n- [ ] Design reviewed\n');
    assert.equal(c.analysis.workflows().length, 1);
    index.set(design, '# Design\n\n## Exit Criteria\n\nReviewed by the team.\n');
    assert.equal(c.analysis.workflows().length, 0);
    index.removeOtherFile(c.ws.uri('site/mkdocs.yml'));
    assert.equal(c.analysis.workflows().length, 1);
  });

  it("`cdp check` names them as the site's pages", async () => {
    const root = await tempWorkspace({ ...pages('site/docs/process'), 'site/mkdocs.yml': 'site_name: x\n' });
    const r = await run(['check', root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Pages of the documentation site configured by site\/mkdocs\.yml, not phases: site\/docs\/process\/00-discover\.md, .* and 2 more\./,
    );
    assert.doesNotMatch(r.stdout, /Named like phases but showing no phase/);
  });
});
