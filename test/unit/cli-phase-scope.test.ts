import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';

const doc = (title: string, id: string, body: string) => `# ${title}\n\n---\nphase: ${id}\n---\n\n${body}`;

/** Two release cycles: q1 released, q2 still in its treat phase (no release document yet). */
const cycles = {
  'cycles/q1/05-release.md': doc('Release', '05', '## Exit Criteria\n\n- [x] shipped\n'),
  'cycles/q2/03-treat.md': doc('Treat', '03', '## Exit Criteria\n\n- [ ] merged\n'),
};

interface Gate {
  workflow: string;
  phase: string;
  passed: boolean;
  missing?: boolean;
  reasons: string[];
}

describe('cdp check --phase over several workflows', () => {
  it('fails a workflow that has no phase of the name asked for, in every format', async () => {
    const root = tempWorkspace(cycles);
    const json = await run(['check', root, '--phase', 'release', '--format', 'json']);
    assert.equal(json.code, 1, json.stderr);
    const gates: Gate[] = JSON.parse(json.stdout).gates;
    assert.deepEqual(
      gates.map((g) => [g.workflow, g.phase, g.passed, g.missing ?? false]),
      [
        ['cycles/q1', '05', true, false],
        ['cycles/q2', 'release', false, true],
      ],
    );
    assert.match(
      gates[1].reasons[0],
      /cycles\/q2 has no phase "release" yet \(nor a deploy phase\).*03 Treat/,
    );
    assert.match(json.stderr, /^cdp: Workflow cycles\/q2 has no phase "release"/m);

    const text = await run(['check', root, '--phase', 'release']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^ {2}PASSED cycles\/q1 05 Release/m);
    assert.match(text.stdout, /^ {2}FAILED Workflow cycles\/q2 has no phase "release"/m);
    // Checked alone, the cycle without its release yet fails the same way (a report, exit 1);
    // a misspelt phase is still a usage error.
    const alone = await run(['check', join(root, 'cycles/q2'), '--root', root, '--phase', 'release']);
    assert.equal(alone.code, 1, alone.stderr);
    assert.match(alone.stdout, /^ {2}FAILED Workflow cycles\/q2 has no phase "release" yet/m);
    const aloneJson = JSON.parse(
      (
        await run([
          'check',
          join(root, 'cycles/q2'),
          '--root',
          root,
          '--phase',
          'release',
          '--format',
          'json',
        ])
      ).stdout,
    );
    assert.deepEqual(
      aloneJson.gates.map((g: Gate) => [g.workflow, g.passed, g.missing ?? false]),
      [['cycles/q2', false, true]],
    );
    const typo = await run(['check', join(root, 'cycles/q2'), '--root', root, '--phase', 'relase']);
    assert.equal(typo.code, 2);
    assert.equal(typo.stdout, '');
    // With a group, or by its number, the same: a failed gate.
    for (const args of [
      ['--phase', 'release', '--gate', 'exit'],
      ['--phase', '05'],
    ]) {
      const r = await run(['check', join(root, 'cycles/q2'), '--root', root, ...args]);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /^ {2}FAILED Workflow cycles\/q2 has no phase/m, args.join(' '));
    }

    const summaryFile = join(root, 's.md');
    const github = await run([
      'check',
      root,
      '--phase',
      'release',
      '--format',
      'github',
      '--summary',
      summaryFile,
    ]);
    assert.equal(github.code, 1);
    assert.match(
      github.stdout,
      /^::error file=cycles\/q2\/03-treat\.md,line=1,title=Gate failed%3A cycles\/q2 \(no phase release\)::Workflow cycles\/q2 has no phase/m,
    );
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, /^\| cycles\/q2 \| release: no such phase \| no groups \| 0\/0 \| ❌ failed \|$/m);
    assert.match(summary, /^Gate check: \*\*failed\*\*, 1 of 2 gates not met\.$/m);

    const junit = await run(['check', root, '--phase', 'release', '--format', 'junit']);
    assert.match(junit.stdout, /<testsuite name="cycles\/q2 \/ release \/ \(no phase\)"[^>]* failures="1"/);
    assert.match(
      junit.stdout,
      /<failure message="Workflow cycles\/q2 has no phase [^"]*" type="missing-phase">/,
    );

    const sarif = JSON.parse((await run(['check', root, '--phase', 'release', '--format', 'sarif'])).stdout);
    const failed = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'gate-failed');
    assert.equal(failed.length, 1);
    assert.match(
      failed[0].message.text,
      /^cycles\/q2 \(no phase release\): Workflow cycles\/q2 has no phase/,
    );
  });

  it('keeps exit 2 when no workflow has the phase, and reads release as deploy and numbers as numbers', async () => {
    // A CDP cycle without its release yet: its gate fails (exit 1, reported); a workflow of
    // its own names has no release to write: no phase of that name (exit 2).
    const q2 = { 'cycles/q2/03-treat.md': cycles['cycles/q2/03-treat.md'] };
    const alone = await run(['check', tempWorkspace(q2), '--phase', 'release']);
    assert.equal(alone.code, 1, alone.stderr);
    assert.match(alone.stdout, /^ {2}FAILED Workflow cycles\/q2 has no phase "release" yet/m);
    const own = await run([
      'check',
      tempWorkspace({ 'own/03-build.md': doc('Build', '03', '## Exit Criteria\n\n- [ ] built\n') }),
      '--phase',
      'release',
    ]);
    assert.equal(own.code, 2);
    assert.match(own.stderr, /^cdp: no phase "release" found$/m);

    // A HELIX workflow's deploy phase stands for release: it does not lack the phase.
    const helix = tempWorkspace({
      ...cycles,
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [x] deployed\n',
    });
    const h = JSON.parse((await run(['check', helix, '--phase', 'release', '--format', 'json'])).stdout);
    // (a workflow lacking the phase comes after the verdicts of those that have it)
    assert.deepEqual(
      h.gates.map((g: Gate) => [g.workflow, g.phase, g.missing ?? false]),
      [
        ['cycles/q1', '05', false],
        ['docs/helix', '05', false],
        ['cycles/q2', 'release', true],
      ],
    );

    // By number: the earlier cycle lacks 03 (a phase below its last one: skipped, not to come).
    const root = tempWorkspace(cycles);
    const byNumber = await run(['check', root, '--phase', '03']);
    assert.equal(byNumber.code, 1);
    assert.match(byNumber.stdout, /^ {2}FAILED Workflow cycles\/q1 has no phase 03: the workflow skips it$/m);
    // So by a name meaning that number (it said "no phase … yet: its last phase is 05").
    for (const name of ['03-treat', 'treat']) {
      const byName = await run(['check', root, '--phase', name]);
      assert.match(
        byName.stdout,
        new RegExp(`^ {2}FAILED Workflow cycles/q1 has no phase "${name}": the workflow skips it$`, 'm'),
      );
    }
    // The only workflow skipping the phase fails its gate alike (it was "no phase found", a usage error).
    const onlyOne = tempWorkspace({
      'c1/01-diagnose.md': '# Diagnose\n\n## Exit Criteria\n\n- [ ] x\n',
      'c1/03-treat.md': '# Treat\n\n## Exit Criteria\n\n- [ ] y\n',
    });
    for (const name of ['02', 'prescribe', '02-prescribe']) {
      const skipped = await run(['check', onlyOne, '--phase', name]);
      assert.equal(skipped.code, 1, `${name}: ${skipped.stderr}`);
      assert.match(skipped.stderr, /the workflow skips it$/m, name);
    }
    // A gate that passes while a checklist keeps its phase current says so.
    const current = await run([
      'check',
      tempWorkspace({
        'c/01-diagnose.md': '# Diagnose\n\n## Exit Criteria\n\n- [x] a\n',
        'c/02-prescribe.md':
          '# Prescribe\n\n## Exit Criteria\n\n- [x] b\n\n## Production Readiness Checklist\n\n### Operations\n\n- [ ] On-call briefed\n',
      }),
      '--phase',
      '02',
    ]);
    assert.equal(current.code, 0, current.stderr);
    assert.match(
      current.stdout,
      /^ {2}PASSED c 02 Prescribe: Exit Criteria \(1\/1\)\n {6}02 Prescribe stays current: Operations: 1 of 1 unticked$/m,
    );
    // A later phase whose gate passes is not "current", and an optional 00 is neither.
    const later = tempWorkspace({
      'c/01-diagnose.md': '# Diagnose\n\n## Exit Criteria\n\n- [ ] a\n',
      'c/02-prescribe.md':
        '# Prescribe\n\n## Exit Criteria\n\n- [x] b\n\n## Production Readiness Checklist\n\n### Operations\n\n- [ ] On-call briefed\n',
      'h/docs/helix/00-discover/README.md': '# Phase 00: Discover\n\nNotes on the market.\n',
      'h/docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD written\n',
    });
    const second = await run(['check', join(later, 'c'), '--phase', '02']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      /^ {2}PASSED c 02 Prescribe: Exit Criteria \(1\/1\)\n {6}02 Prescribe is not complete: Operations: 1 of 1 unticked$/m,
    );
    const discover = await run(['check', join(later, 'h'), '--phase', '00']);
    assert.equal(discover.code, 0, discover.stderr);
    assert.match(discover.stdout, /^ {2}PASSED docs\/helix 00 Discover: no groups \(0\/0\)\n\n/m);
    assert.doesNotMatch(discover.stdout, /stays current|is not complete/);
    const unknown = await run(['check', onlyOne, '--phase', '07']);
    assert.equal(unknown.code, 2);
    // A path names one document: the other workflow is not asked for it.
    const byPath = await run(['check', root, '--phase', 'cycles/q1/05-release.md', '--format', 'json']);
    assert.equal(byPath.code, 0, byPath.stderr);
    assert.deepEqual(
      JSON.parse(byPath.stdout).gates.map((g: Gate) => g.workflow),
      ['cycles/q1'],
    );
    // A file name alone (the usage says `--phase 05-release.md`) is a name as `05-release`
    // is: the cycle without it fails (an earlier cycle's passed gate cannot pass the run).
    for (const name of ['05-release.md', '05-release']) {
      const byName = await run(['check', root, '--phase', name, '--format', 'json']);
      assert.equal(byName.code, 1, name);
      assert.deepEqual(
        JSON.parse(byName.stdout).gates.map((g: Gate) => [g.workflow, g.passed]),
        [
          ['cycles/q1', true],
          ['cycles/q2', false],
        ],
        name,
      );
    }
    // A file the shell sees, given from its folder, is a path: that document alone.
    const cli = join(import.meta.dirname, '../../server/out/cli.js');
    const fromFolder = spawnSync(
      process.execPath,
      [cli, 'check', root, '--phase', '05-release.md', '--format', 'json'],
      { cwd: join(root, 'cycles/q1'), encoding: 'utf8' },
    );
    assert.equal(fromFolder.status, 0, fromFolder.stderr);
    assert.deepEqual(
      JSON.parse(fromFolder.stdout).gates.map((g: Gate) => g.workflow),
      ['cycles/q1'],
    );
    // The file name reads as release too: a HELIX workflow is judged by its deploy phase.
    const withHelix = tempWorkspace({
      ...cycles,
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [ ] deployed\n',
    });
    for (const name of ['05-release.md', '05-release']) {
      const r = await run(['check', withHelix, '--phase', name, '--format', 'json']);
      assert.equal(r.code, 1, name);
      const helixGate = (JSON.parse(r.stdout).gates as Gate[]).find((g) => g.workflow === 'docs/helix');
      assert.deepEqual([helixGate?.phase, helixGate?.passed], ['05', false], name);
    }
    // A group the deploy phase lacks: said of the deploy phase, not "no phase release".
    const entry = await run(['check', withHelix, '--phase', 'release', '--gate', 'entry']);
    assert.doesNotMatch(entry.stderr, /which has no phase "release"/, entry.stderr);
    assert.match(entry.stderr, /phase 05 Deploy has the groups Exit Criteria/);
    // With a release that has the group: the deploy phase is named as lacking it.
    const both = tempWorkspace({
      'cycles/q1/05-release.md':
        '---\nphase: "05"\nname: Release\n---\n# Release\n\n## Entry Criteria\n\n- [x] a\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [ ] deployed\n',
    });
    const lacking = await run(['check', both, '--phase', 'release', '--gate', 'entry']);
    assert.equal(
      lacking.stderr,
      'cdp: Workflow docs/helix has no group "entry" in phase 05 Deploy: left out of the gate check.\n',
    );
    // Paths given narrow the workflows judged.
    assert.equal((await run(['check', join(root, 'cycles/q1'), '--phase', 'release'])).code, 0);
  });

  it('states in the summary what the gate judged beside release readiness', async () => {
    const root = tempWorkspace({
      '04-monitor.md': doc('Monitor', '04', '## Exit Criteria\n\n- [ ] watched\n'),
      '05-release.md': doc('Release', '05', '## Exit Criteria\n\n- [x] shipped\n'),
    });
    const summaryFile = join(root, 's.md');
    const r = await run([
      'check',
      join(root, '05-release.md'),
      '--root',
      root,
      '--phase',
      'release',
      '--summary',
      summaryFile,
    ]);
    // The gate's verdict is unchanged: the release phase's own groups pass.
    assert.equal(r.code, 0, r.stderr);
    const summary = readFileSync(summaryFile, 'utf8');
    // (blocking: the unticked box of 04, and the cycle's 01–03, skipped before it)
    assert.match(
      summary,
      /^Release readiness \(every phase up to 05, not only the phase the gate check below judges\): \*\*not ready\*\*, 4 blocking items$/m,
    );
    assert.match(summary, /^Gate check: \*\*passed\*\*, 1 gate met\.$/m);
    assert.match(
      summary,
      /release readiness counts every phase up to the release phase, and \S+ is \*\*not ready\*\*/,
    );
    // Without a gate check the readiness line is as before.
    const plain = join(root, 'plain.md');
    await run(['check', root, '--summary', plain]);
    assert.match(readFileSync(plain, 'utf8'), /^Release readiness \(up to phase 05\): \*\*not ready\*\*/m);
  });

  it('selects the groups under a parent heading, and names the groups there when none matches', async () => {
    const root = tempWorkspace({
      '05-release.md': doc(
        'Release',
        '05',
        '## Exit Criteria\n\n- [x] shipped\n\n## Production Readiness Checklist\n\n### Infrastructure\n\n- [x] capacity\n\n### Operations\n\n- [ ] runbook\n\n## Notes\n\n### Later\n\n- [ ] not part of it\n',
      ),
    });
    const r = await run([
      'check',
      root,
      '--phase',
      'release',
      '--gate',
      'Production Readiness Checklist',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const [g] = JSON.parse(r.stdout).gates;
    assert.deepEqual(g.groups, ['Infrastructure', 'Operations']);
    assert.deepEqual(
      g.unmet.map((u: { text: string }) => u.text),
      ['runbook'],
    );
    const none = await run(['check', root, '--phase', 'release', '--gate', 'Security']);
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /^cdp: no phase "release" with group "Security" found; phase 05 Release has the groups Exit Criteria, Infrastructure, Operations, Later$/m,
    );
    // The title `# Release` is the phase, not a "Release Gate": no such group (it passed
    // with the phase's other groups).
    const title = await run(['check', root, '--phase', 'release', '--gate', 'Release Gate']);
    assert.equal(title.code, 2, title.stdout);
    assert.match(title.stderr, /^cdp: no phase "release" with group "Release Gate" found/m);
    // Nor a title naming it in full: `# Release Gate` is the phase document's title.
    const full = tempWorkspace({
      '05-release.md': doc(
        'Release Gate',
        '05',
        '## Entry Criteria\n\n- [x] a\n\n## Exit Criteria\n\n- [x] b\n',
      ),
    });
    const named = await run(['check', full, '--phase', '05', '--gate', 'Release Gate']);
    assert.equal(named.code, 2, named.stdout);
    // A level-1 heading that is no title is a section like any: its sub-sections count.
    const sections = tempWorkspace({
      '01-release.md':
        '# Release Phase\n\n---\nphase: 01\n---\n\n# Production Readiness Gate\n\n- [x] sign-off\n\n## Security\n\n- [ ] pen test\n',
    });
    const gate = await run([
      'check',
      sections,
      '--phase',
      '01',
      '--gate',
      'Production Readiness Gate',
      '--format',
      'json',
    ]);
    assert.equal(gate.code, 1, gate.stderr);
    assert.deepEqual(
      JSON.parse(gate.stdout).gates[0].unmet.map((u: { text: string }) => u.text),
      ['pen test'],
    );
  });

  it('--phase release where every cycle calls its 05 otherwise names that phase in the usage error', async () => {
    const cdp = (n: string, name: string) => doc(name, n, '## Exit Criteria\n\n- [x] done\n');
    const root = tempWorkspace({
      'rel/01-diagnose.md': cdp('01', 'Diagnose'),
      'rel/02-prescribe.md': cdp('02', 'Prescribe'),
      'rel/03-treat.md': cdp('03', 'Treat'),
      'rel/04-monitor.md': cdp('04', 'Monitor'),
      'rel/05-ship.md': cdp('05', 'Ship'),
    });
    const r = await run(['check', root, '--phase', 'release']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^cdp: no phase "release" found; workflow rel has no phase "release": its phase 05 is named Ship$/m,
    );
  });

  it('leaves a workflow of another kind out of a gate check of a phase only the other kind has', async () => {
    const root = tempWorkspace({
      'process/01-diagnose.md': doc('Diagnose', '01', '## Exit Criteria\n\n- [x] found\n'),
      'process/02-prescribe.md': doc('Prescribe', '02', '## Exit Criteria\n\n- [ ] planned\n'),
      'svc/docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'svc/docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] designed\n',
    });
    for (const phase of ['design', '02-design']) {
      const r = await run(['check', root, '--phase', phase, '--format', 'json']);
      assert.equal(r.code, 0, `${phase}: ${r.stderr}`);
      assert.deepEqual(
        JSON.parse(r.stdout).gates.map((g: { workflow: string; passed: boolean }) => [g.workflow, g.passed]),
        [['svc/docs/helix', true]],
      );
      assert.match(
        r.stderr,
        new RegExp(
          `^cdp: Workflow process follows CDP, which has no phase "${phase}" \\(a HELIX phase\\): left out of the gate check\\.$`,
          'm',
        ),
      );
    }
    // A phase the other kind has not written yet: that one fails, this one is left out, said so.
    for (const phase of ['build', 'iterate']) {
      const r = await run(['check', root, '--phase', phase]);
      assert.equal(r.code, 1, `${phase}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^cdp: Workflow svc/docs/helix has no phase "${phase}" yet`, 'm'));
      // (it was dropped without a word)
      assert.match(
        r.stderr,
        new RegExp(
          `^cdp: Workflow process follows CDP, which has no phase "${phase}" \\(a HELIX phase\\)`,
          'm',
        ),
      );
    }
    // A release is every workflow's, written with its number too: HELIX's deploy stands for it.
    const shipped = tempWorkspace({
      'cdp/01-diagnose.md': doc('Diagnose', '01', '## Exit Criteria\n\n- [x] done\n'),
      'cdp/05-release.md': doc('Release', '05', '## Exit Criteria\n\n- [x] done\n'),
      'hx/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] done\n',
      'hx/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [ ] deployed\n',
    });
    for (const phase of ['release', '05-release', '05 Release']) {
      const r = await run(['check', shipped, '--phase', phase, '--format', 'json']);
      assert.equal(r.code, 1, phase);
      assert.deepEqual(
        JSON.parse(r.stdout).gates.map((g: { workflow: string; phase: string; passed: boolean }) => [
          g.workflow,
          g.phase,
          g.passed,
        ]),
        [
          ['cdp', '05', true],
          ['hx', '05', false],
        ],
        phase,
      );
    }
    // A number is every workflow's: the CDP workflow's phase 02 is judged (and fails).
    const byNumber = await run(['check', root, '--phase', '02', '--format', 'json']);
    assert.equal(byNumber.code, 1);
    assert.deepEqual(
      JSON.parse(byNumber.stdout).gates.map((g: { workflow: string; passed: boolean }) => [
        g.workflow,
        g.passed,
      ]),
      [
        ['process', false],
        ['svc/docs/helix', true],
      ],
    );
  });

  it('names the phase a workflow has at the number a name means, when it is named otherwise', async () => {
    const files: Record<string, string> = {};
    for (const [cycle, third] of [
      ['r1', 'treat'],
      ['r2', 'implement'],
    ])
      for (const [n, name] of [
        ['01', 'diagnose'],
        ['02', 'prescribe'],
        ['03', third],
      ])
        files[`${cycle}/${n}-${name}.md`] =
          `---\nphase: "${n}"\nname: ${name}\n---\n# ${name}\n\n## Exit Criteria\n\n- [x] done\n`;
    const root = tempWorkspace(files);
    for (const asked of ['treat', '03-treat']) {
      const r = await run(['check', root, '--phase', asked]);
      assert.equal(r.code, 1, asked);
      assert.match(
        r.stdout,
        new RegExp(`FAILED Workflow r2 has no phase "${asked}": its phase 03 is named implement$`, 'm'),
      );
    }
    // The release too: a cycle whose 05 is named otherwise has it there, not "yet" to come.
    const named: Record<string, string> = {};
    // (beside a cycle that has a release: a workflow lacking it is named, not the run refused)
    for (const [n, name] of [
      ['01', 'diagnose'],
      ['02', 'prescribe'],
      ['03', 'treat'],
      ['04', 'monitor'],
      ['05', 'liberacao'],
    ])
      for (const [cycle, as] of [
        ['pt', name],
        ['en', n === '05' ? 'release' : name],
      ])
        named[`${cycle}/${n}-${as}.md`] =
          `---\nphase: "${n}"\nname: ${as}\n---\n# ${as}\n\n## Exit Criteria\n\n- [x] done\n`;
    const r = await run(['check', tempWorkspace(named), '--phase', 'release']);
    assert.match(r.stdout + r.stderr, /Workflow pt has no phase "release": its phase 05 is named liberacao/);
    assert.doesNotMatch(r.stdout + r.stderr, /"release" yet/);
  });

  it('says on stderr which workflow is left out of --phase --gate for having the phase but not the group', async () => {
    const doc = (entry: string) =>
      `---\nphase: "01"\nname: Diagnose\n---\n# Diagnose\n\n## Entry Criteria\n\n${entry}\n\n## Exit Criteria\n\n- [x] x\n`;
    const root = tempWorkspace({
      'r1/01-diagnose.md': doc('None: the first phase.'),
      'r2/01-diagnose.md': doc('- [x] y'),
    });
    const r = await run(['check', root, '--phase', '01', '--gate', 'entry']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /PASSED r2 01 Diagnose: Entry Criteria/);
    assert.match(
      r.stderr,
      /^cdp: Workflow r1 has no group "entry" in phase 01 Diagnose: left out of the gate check\.$/m,
    );
    assert.doesNotMatch(r.stderr, /Workflow r2/);
  });

  it('says when the phase asked for lies only in a workflow definition left out beside workflows under way', async () => {
    const root = tempWorkspace({
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD written\n',
      'lib/phases/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] designed\n',
      'proj/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD written\n',
      'proj/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] designed\n',
    });
    const r = await run(['check', join(root, 'lib'), '--root', root, '--phase', '01']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^cdp: no phase "01" found; it lies only in the workflow definition lib\/phases, left out beside the workflows under way in the workspace \(a definition's gates are checked only in a workspace that holds nothing but definitions\)$/m,
    );
    // A phase no workflow has at all: the message as before.
    const none = await run(['check', join(root, 'lib'), '--root', root, '--phase', '05']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^cdp: no phase "05" found$/m);
    // The phase is under way too, only the group asked for is nowhere: the groups, no word of the definition.
    const group = await run(['check', root, '--phase', '01', '--gate', 'nothing']);
    assert.equal(group.code, 2);
    assert.match(group.stderr, /^cdp: no phase "01" with group "nothing" found; phase 01 Frame has/m);
    assert.doesNotMatch(group.stderr, /definition/);
  });

  it('names the groups of every phase when --gate matches none and no --phase narrows them', async () => {
    const cdpDoc = (id: string, name: string, link: string, group: string) =>
      `---\nphase: ${id}\n${link}\n---\n# ${name}\n\n## Exit Criteria\n\n- [x] done\n\n## ${group}\n\n- [ ] more\n`;
    const root = tempWorkspace({
      'cdp/01-diagnose.md': cdpDoc(
        '01-diagnose',
        'Diagnose',
        'next_phase: "[[02-prescribe]]"',
        'Symptom Gate',
      ),
      'cdp/02-prescribe.md': cdpDoc(
        '02-prescribe',
        'Prescribe',
        'previous_phase: "[[01-diagnose]]"',
        'Contract Gate',
      ),
    });
    const r = await run(['check', root, '--gate', 'Exit Criterion']);
    assert.equal(r.code, 2);
    // Each name once, in the order the phases give them.
    assert.match(
      r.stderr,
      /^cdp: no phase with group "Exit Criterion" found; the phases have the groups Exit Criteria, Symptom Gate, Contract Gate$/m,
    );
    // Many groups: the first few named, the rest counted.
    const many: Record<string, string> = {};
    for (let i = 1; i <= 15; i++) {
      const id = String(i).padStart(2, '0');
      many[`w/${id}-p${id}.md`] = doc(`P${id}`, id, `## Group ${id} Gate\n\n- [ ] item\n`);
    }
    const capped = await run(['check', tempWorkspace(many), '--gate', 'Exit Criterion']);
    assert.equal(capped.code, 2);
    const named = Array.from({ length: 12 }, (_, i) => `Group ${String(i + 1).padStart(2, '0')} Gate`);
    assert.match(
      capped.stderr,
      new RegExp(`; the phases have the groups ${named.join(', ')}, and 3 more$`, 'm'),
    );
  });

  it('says when the group asked for lies only in a workflow definition left out beside workflows under way', async () => {
    const root = tempWorkspace({
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md':
        '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD written\n\n### Quality Assurance Gate\n\n- [ ] reviewed\n',
      'proj/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD written\n',
    });
    const note =
      'group "Quality Assurance Gate" lies only in the workflow definition lib/phases, left out beside the workflows under way in the workspace';
    for (const phase of [[], ['--phase', '01']]) {
      const r = await run(['check', root, ...phase, '--gate', 'Quality Assurance Gate']);
      assert.equal(r.code, 2, phase.join(' '));
      assert.match(r.stderr, /the groups Exit Criteria; /, phase.join(' '));
      assert.ok(r.stderr.includes(note), r.stderr);
    }
  });

  it("selects a heading's own items together with the sections under it: an unticked one fails the gate", async () => {
    const root = tempWorkspace({
      '05-release.md': doc(
        'Release',
        '05',
        '## Exit Criteria\n\n- [x] shipped\n\n<details>\n<summary>More</summary>\n\n- [ ] hidden exit item\n\n</details>\n\n### Production Readiness Gate\n\n- [x] runbook reviewed\n\n#### Security\n\n- [ ] pen test done\n\n## Notes\n\n- [ ] not part of it\n',
      ),
    });
    const gate = async (name: string) => {
      const r = await run(['check', root, '--phase', 'release', '--gate', name, '--format', 'json']);
      const [g] = JSON.parse(r.stdout).gates;
      return { code: r.code, groups: g.groups, unmet: g.unmet.map((u: { text: string }) => u.text) };
    };
    assert.deepEqual(await gate('Production Readiness Gate'), {
      code: 1,
      groups: ['Production Readiness Gate', 'Security'],
      unmet: ['pen test done'],
    });
    // Its exit items, the <details> block's included; the gate under it is a gate of its own.
    assert.deepEqual(await gate('Exit Criteria'), {
      code: 1,
      groups: ['Exit Criteria', 'More'],
      unmet: ['hidden exit item'],
    });
    // A section's own group alone, named by its own heading.
    assert.deepEqual(await gate('Security'), { code: 1, groups: ['Security'], unmet: ['pen test done'] });
  });

  it('selects the entry criteria without an exit group in a <details> block under them', async () => {
    const root = tempWorkspace({
      '03-treat.md': doc(
        'Treat',
        '03',
        '## Entry Criteria\n\n- [x] plan approved\n\n<details>\n<summary>Exit Criteria</summary>\n\n- [ ] fix deployed\n\n</details>\n',
      ),
    });
    const r = await run(['check', root, '--phase', '03', '--gate', 'Entry Criteria', '--format', 'json']);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout).gates[0].groups, ['Entry Criteria']);
  });

  it('fails the gate of a phase whose file was not read, and of the phases after it', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `- [ ] open criterion ${i}\n`).join('');
    const root = tempWorkspace({
      '.vscode/settings.json': '{ "cdp.files.maxFileSizeKB": 1 }',
      'cyc/01-diagnose.md': doc('Diagnose', '01', '## Exit Criteria\n\n- [x] done\n'),
      'cyc/02-prescribe.md': doc('Prescribe', '02', `## Exit Criteria\n\n${many}`),
      'cyc/03-treat.md': doc('Treat', '03', '## Exit Criteria\n\n- [x] shipped\n'),
      // NUL bytes: not read either.
      'bin/01-diagnose.md': doc('Diagnose', '01', '## Exit Criteria\n\n- [x] done\n'),
      'bin/02-prescribe.md': `${doc('Prescribe', '02', '## Exit Criteria\n\n- [x] a\n')}\u0000`,
    });
    // (each passed, exit 0: the phase read as one the workflow skips)
    for (const q of ['03', '02', '02-prescribe.md', join(root, 'cyc/02-prescribe.md'), 'prescribe']) {
      const r = await run(['check', join(root, 'cyc'), '--root', root, '--phase', q]);
      assert.equal(r.code, 1, `${q}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /cyc\/02-prescribe\.md was not read/, q);
    }
    const bin = await run(['check', join(root, 'bin'), '--root', root, '--phase', '02']);
    assert.equal(bin.code, 1, bin.stdout);
    const text = await run(['check', join(root, 'cyc'), '--root', root]);
    assert.match(
      text.stdout,
      /✗ 02 \(cyc\/02-prescribe\.md was not read: larger than cdp\.files\.maxFileSizeKB \(1 KB\)\)/,
    );
    // The phase before it is not concerned.
    assert.equal((await run(['check', join(root, 'cyc'), '--root', root, '--phase', '01'])).code, 0);
  });

  it('fails the gates from a HELIX phase folder whose README was not read, saying which and why', async () => {
    const readme = (n: string, name: string, extra = '') =>
      `# Phase ${n}: ${name}\n\n## Exit Criteria\n\n- [x] ${name} done\n${extra}`;
    const big = Array.from({ length: 60 }, (_, i) => `- [x] item ${i} of the design\n`).join('');
    const helix = (top: string, two: string) => ({
      [`${top}/docs/helix/01-frame/README.md`]: readme('01', 'Frame'),
      [`${top}/docs/helix/02-design/README.md`]: two,
      [`${top}/docs/helix/03-test/README.md`]: readme('03', 'Test'),
    });
    const root = tempWorkspace({
      '.vscode/settings.json': '{ "cdp.files.maxFileSizeKB": 1 }',
      // The README alone makes 02-design a phase: NUL bytes, or over the size limit.
      ...helix('bin', readme('02', 'Design', '\u0000')),
      ...helix('big', readme('02', 'Design', big)),
      // A phase by its gate files anyway: its README is said not to be read, the phase is there.
      ...helix('gated', readme('02', 'Design', big)),
      'gated/docs/helix/02-design/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: gated/docs/helix/01-frame/README.md\n',
      // Documents beside the README: the folder stays no phase, for that reason.
      ...helix('docs', readme('02', 'Design', '\u0000')),
      'docs/docs/helix/02-design/architecture.md': '# Architecture\n\nText.\n',
    });
    const reasons: Record<string, string> = {
      bin: 'binary content (NUL bytes), not a markdown document',
      big: 'larger than cdp.files.maxFileSizeKB (1 KB)',
      docs: 'binary content (NUL bytes), not a markdown document',
    };
    for (const [top, reason] of Object.entries(reasons)) {
      const file = `${top}/docs/helix/02-design/README.md`;
      const at = (q: string, ...more: string[]) =>
        run(['check', join(root, top), '--root', root, '--phase', q, ...more]);
      // (each passed, exit 0: the folder read as a phase the workflow skips)
      for (const q of ['02', '03']) {
        const r = await at(q);
        assert.equal(r.code, 1, `${top} ${q}\n${r.stdout}\n${r.stderr}`);
        assert.ok(r.stdout.includes(`${file} was not read (${reason})`), `${top} ${q}\n${r.stdout}`);
      }
      assert.equal((await at('01')).code, 0, top);
      const text = await run(['check', join(root, top), '--root', root]);
      assert.ok(text.stdout.includes(`✗ 02 (${file} was not read: ${reason})`), text.stdout);
      assert.doesNotMatch(text.stdout, /skips this phase|02 has no document/);
      const json = JSON.parse(
        (await run(['check', join(root, top), '--root', root, '--format', 'json'])).stdout,
      );
      assert.deepEqual(json.workflows[0].unreadPhases, [{ phase: '02', file, reason }], top);
    }
    const docs = await run(['check', join(root, 'docs'), '--root', root]);
    assert.match(
      docs.stdout,
      /phase-chain "docs\/docs\/helix\/02-design" holds documents, but its README\.md was not read \(binary content/,
    );

    const gated = (...more: string[]) => run(['check', join(root, 'gated'), '--root', root, ...more]);
    const file = 'gated/docs/helix/02-design/README.md';
    const json = JSON.parse((await gated('--format', 'json')).stdout);
    assert.deepEqual(
      json.workflows[0].phases.map((p: { phase: string }) => p.phase),
      ['01', '02', '03'],
    );
    assert.equal(json.workflows[0].unreadPhases, undefined);
    assert.deepEqual(json.workflows[0].unreadReadmes, [{ phase: '02', file, reason: reasons.big }]);
    const text = await gated();
    assert.ok(
      text.stdout.includes(
        `✗ ${file} was not read (${reasons.big}): the criteria written in it cannot be checked`,
      ),
      text.stdout,
    );
    assert.doesNotMatch(text.stdout, /skips this phase|no document|has no phase/);
    // Its gate passed on the gate file alone.
    const gate = await gated('--phase', '02');
    assert.equal(gate.code, 1, gate.stdout);
    assert.ok(
      gate.stdout.includes(
        `${file} was not read (${reasons.big}), so the criteria written in it cannot be checked`,
      ),
    );
    const github = await gated('--phase', '02', '--format', 'github');
    assert.match(github.stdout, /^::error file=gated\/docs\/helix\/02-design\/README\.md,line=1,/m);
  });

  it('selects the sections under a heading whose items are in a <details> block named like it', async () => {
    const root = tempWorkspace({
      '01-diagnose.md': doc(
        'Diagnose',
        '01',
        '## Exit Criteria\n<details><summary>Exit Criteria</summary>\n\n- [x] a\n\n</details>\n\n### Security\n- [ ] b\n',
      ),
    });
    const r = await run(['check', root, '--phase', '01', '--gate', 'Exit Criteria', '--format', 'json']);
    // (it passed on the <details> block alone, the section under the heading left out)
    assert.equal(r.code, 1, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout).gates[0].groups, ['Exit Criteria', 'Security']);
  });

  it('selects a named gate, not the sections of a title that reads like it without "Gate"', async () => {
    const root = tempWorkspace({
      '05-release.md': doc(
        'Release',
        '05',
        '## Entry Criteria\n\n- [ ] budget approved\n\n## Exit Criteria\n\n- [x] done\n\n### Release Gate\n\n- [x] canary healthy\n',
      ),
    });
    const r = await run(['check', root, '--phase', 'release', '--gate', 'Release Gate', '--format', 'json']);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout).gates[0].groups, ['Release Gate']);
  });

  it('shows a workflow definition in the summary and the report as the text report does, with counts in the singular', async () => {
    const root = tempWorkspace({
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md':
        '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD written\n- [ ] reviewed\n',
      'lib/phases/05-release/README.md': '# Phase 05: Release\n\n## Exit Criteria\n\n- [ ] shipped\n',
    });
    const text = await run(['check', root]);
    const id = /^Workflow definition (\S+): 2 phases, 3 items$/m.exec(text.stdout)?.[1];
    assert.ok(id, text.stdout);
    const summaryFile = join(root, 's.md');
    await run(['check', root, '--summary', summaryFile]);
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, new RegExp(`^### Workflow definition ${id}: 2 phases, 3 items$`, 'm'));
    assert.match(summary, /^\| 05 Release \| 1 \| 1 \|$/m);
    assert.doesNotMatch(summary, /current phase|Release readiness|not started|Blocking items/);
    // "1 warning", never "1 warnings".
    assert.doesNotMatch(summary, /\b1 (errors|warnings)\b/);
    const report = (await run(['report', root])).stdout;
    assert.match(report, new RegExp(`<h2 id="wf0-title">Workflow definition ${id}</h2>`));
    assert.match(report, /<p class="current">2 phases, 3 items<\/p>/);
    assert.doesNotMatch(report, /Current phase|ready for release|class="state"|Blocking items/i);
  });

  it('writes one finding as 1 warning in the summary', async () => {
    const root = tempWorkspace({
      '05-release.md': doc('Release', '05', '## Exit Criteria\n\n- [x] shipped, see [[nowhere]]\n'),
    });
    const summaryFile = join(root, 's.md');
    await run(['check', root, '--summary', summaryFile]);
    assert.match(readFileSync(summaryFile, 'utf8'), /^Findings: 0 errors, 1 warning, 0 information\.$/m);
  });
});

describe('an optional 00 phase (HELIX discovery) without criteria', () => {
  const readme = (title: string, body = '') => `# ${title}\n\n${body}`;
  const ticked = '## Exit Criteria\n\n- [x] done\n';

  it('is never the current phase, never blocks readiness, and is no phase a workflow skips', async () => {
    const root = tempWorkspace({
      'p/00-discover/README.md': readme('Phase 00: Discover', 'We skipped discovery.\n'),
      'p/01-frame/README.md': readme('Phase 01: Frame', ticked),
      'p/02-design/README.md': readme('Phase 02: Design', '## Exit Criteria\n\n- [ ] reviewed\n'),
      'q/01-frame/README.md': readme('Phase 01: Frame', ticked),
    });
    const json = await run(['check', root, '--format', 'json']);
    const workflows: { id: string; phases: { phase: string; state: string }[] }[] = JSON.parse(
      json.stdout,
    ).workflows;
    const p = workflows.find((w) => w.id === 'p')!;
    assert.deepEqual(
      p.phases.map((ph) => [ph.phase, ph.state]),
      [
        ['00', 'not-started'],
        ['01', 'passed'],
        ['02', 'current'],
      ],
    );
    // Readiness up to 02 waits for 02 only: the summary names its unticked box, not 00.
    const summaryFile = join(root, 'summary.md');
    await run(['check', join(root, 'p'), '--root', root, '--phase', '02', '--summary', summaryFile]);
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, /reviewed/);
    assert.doesNotMatch(summary, /nothing to check/);
    // Asked for 00, the workflow without one is left out (said so), not failed as skipping it.
    const asked = await run(['check', root, '--phase', '00']);
    assert.doesNotMatch(asked.stdout, /Workflow q has no phase 00/);
    assert.match(asked.stderr, /Workflow q has no phase 00 \(it is optional\): left out/);
    // Its own gate passes: there is nothing to wait for.
    assert.match(asked.stdout, /PASSED p 00 Discover/);
    assert.equal(asked.code, 0, asked.stdout);
  });

  it('is complete for previous_phase_complete, named or not', async () => {
    const root = tempWorkspace({
      'p/00-discover/README.md': readme('Phase 00: Discover', 'Prose only.\n'),
      'p/01-frame/README.md': readme('Phase 01: Frame', ticked),
      'p/01-frame/GATE.yaml': [
        'entry_requirements:',
        '  automated:',
        '    - check: previous_phase_complete',
        '      description: the phase before',
        '    - check: previous_phase_complete',
        '      phase: 00-discover',
        '      description: discovery named',
        '',
      ].join('\n'),
    });
    const r = await run(['check', root, '--phase', '01']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /PASSED p 01 Frame/);
    assert.doesNotMatch(r.stdout, /is not complete/);
  });

  it('blocks nothing on the dashboard either', async () => {
    const root = tempWorkspace({
      'p/00-discover/README.md': readme('Phase 00: Discover', 'Notes only.\n'),
      'p/01-frame/README.md': readme('Phase 01: Frame', ticked),
    });
    const out = join(root, 'report.html');
    const r = await run(['report', root, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /nothing to check/);
  });
});

describe('a last phase whose file was not read', () => {
  it('is said once, as not read, never also as not written yet', async () => {
    const phase = (n: string, t: string) => `---\nphase: ${n}\n---\n# ${t}\n\n## Exit Criteria\n- [x] done\n`;
    const root = tempWorkspace({
      'phases/01-diagnose.md': phase('01', 'Diagnose'),
      'phases/02-prescribe.md': phase('02', 'Prescribe'),
      'phases/03-treat.md': 'bin\u0000ary',
    });
    const summaryFile = join(root, 'summary.md');
    const r = await run(['check', root, '--summary', summaryFile]);
    const header = r.stdout.split('\n')[0];
    assert.match(header, /phase 03 was not read/);
    assert.match(header, /04 Monitor, 05 Release, 06 Follow up not written yet/);
    assert.doesNotMatch(header, /03 Treat/);
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, /3 blocking items/);
    assert.doesNotMatch(summary, /03 Phase document: \(not written yet\)/);
    assert.match(summary, /03 Phase document: \(not read\)/);
  });
});
