// The CLI in CI use: what each format says of paths, commands, phases and limits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { readTree, tempDir, tempWorkspace } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';

const SERVER_VERSION = JSON.parse(readFileSync(join(__dirname, '..', '..', 'server', 'package.json'), 'utf8'))
  .version as string;

/** Runs `cdp` with the current folder at `cwd`. */
async function runIn(cwd: string, args: string[]) {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await run(args);
  } finally {
    process.chdir(before);
  }
}

const phase = (n: string, name: string, ticked: boolean[], extra = '') =>
  phaseDoc({
    title: name,
    phase: n,
    name,
    body: `## Exit Criteria\n\n${ticked.map((t, i) => `- [${t ? 'x' : ' '}] ${name} item ${i + 1}\n`).join('')}${extra}`,
  });

describe('a path that holds no phase document', () => {
  const files = { 'proj/01-plan.md': phase('01', 'Plan', [true]), 'other/notes.md': '# Notes\n\nText.\n' };

  it('is named by every format and on standard error, and the exit code stays', async () => {
    const root = tempWorkspace(files);
    const args = ['check', join(root, 'proj'), join(root, 'other'), '--root', root];
    const text = await run(args);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^No phase document in \S*other: no phase or gate was checked there\.$/m);
    assert.match(text.stderr, /^cdp: no phase documents in \S*other: no phase or gate was checked there$/m);
    assert.doesNotMatch(text.stderr, /proj/);

    const github = await run([...args, '--format', 'github']);
    assert.equal(github.code, 0);
    assert.match(github.stdout, /^::warning title=cdp%3A no phase documents::No phase documents in other: /m);

    const sarif = JSON.parse((await run([...args, '--format', 'sarif'])).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    assert.deepEqual(
      notes.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]),
      [['warning', 'No phase documents in other: no phase or gate was checked there.']],
    );

    const junit = await run([...args, '--format', 'junit']);
    assert.equal(junit.code, 0);
    assert.match(
      junit.stdout,
      /<testsuite name="cdp paths"[^>]*tests="1" failures="0"[^>]*skipped="1"[^>]*>\s*<testcase name="other" classname="cdp.paths"><skipped message="no phase documents in other"\/><\/testcase>\s*<system-err>No phase documents in other: no phase or gate was checked there\.<\/system-err>/,
    );
    assert.match(junit.stdout, /<testsuites name="cdp check" tests="2" failures="0"/);

    const json = JSON.parse((await run([...args, '--format', 'json'])).stdout);
    assert.deepEqual(json.withoutPhases, ['other']);
    // Left out when every path holds some.
    const whole = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
    assert.equal('withoutPhases' in whole, false);
  });

  it('an empty folder alone is named in the CI formats too', async () => {
    const root = tempWorkspace({ 'empty/.keep': '' });
    const at = join(root, 'empty');
    const github = await run(['check', at, '--format', 'github']);
    assert.equal(github.code, 0);
    assert.match(
      github.stdout,
      /::warning [^\n]*::No phase documents in \.: no phase or gate was checked there\./,
    );
    assert.match(github.stderr, /no phase documents in/);
    const json = JSON.parse((await run(['check', at, '--format', 'json'])).stdout);
    assert.deepEqual(json.withoutPhases, ['.']);
    const summaryFile = join(root, 'summary.md');
    await run(['check', at, '--format', 'json', '--summary', summaryFile]);
    assert.match(readFileSync(summaryFile, 'utf8'), /No phase documents in ` \. `/);
  });

  it('a gate file named as a path checks its phase and is not called excluded', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nText.\n',
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: Notes\n    evidence: docs/nowhere.md\n',
      'notes.txt': 'plain\n',
    });
    const r = await run(['check', join(root, 'docs/helix/01-frame/exit-gates.yml'), '--root', root]);
    assert.doesNotMatch(r.stdout, /Not read|excluded/);
    assert.doesNotMatch(r.stderr, /no phase documents/);
    assert.match(r.stdout, /Notes — docs\/nowhere\.md does not exist/);
    assert.match(r.stdout, /^Workflow docs\/helix: current phase 01 Frame$/m, 'its phase is reported');
    assert.match(r.stdout, /1 workflow, 1 phase;/);
    const json = await run(['check', join(root, 'docs/helix/01-frame/exit-gates.yml'), '--format', 'json']);
    const report = JSON.parse(json.stdout) as { workflows: { phases: { file: string }[] }[] };
    // Without --root the root is the phase folder's parent (docs/helix).
    assert.deepEqual(
      report.workflows.map((w) => w.phases.map((p) => p.file)),
      [['01-frame/README.md']],
      'without --root too',
    );
    const only = await run(['check', join(root, 'docs/helix/01-frame/exit-gates.yml'), '--phase', '01']);
    assert.equal(only.code, 1, `the gate of 01 is checked (and fails): ${only.stderr}`);
    // A file that is no markdown is said to be one, not excluded.
    const txt = await run(['check', join(root, 'notes.txt'), '--root', root]);
    assert.doesNotMatch(txt.stdout, /excluded/);
    assert.match(
      txt.stdout,
      /^Not a document: \S*notes\.txt \(only markdown files and gate files are read\)\.$/m,
    );
  });
});

describe('a path below the folder that holds the confirmations', () => {
  it('says the confirmations above the root are not read where gate files could use them', async () => {
    const root = tempWorkspace({
      '.cdp/confirmations.yml':
        '- file: "docs/helix/01-frame/GATE.yaml"\n  item: "PRD approved"\n  by: "Ada"\n  at: "2026-01-02T03:04:05Z"\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
      'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - "PRD approved"\n',
      'docs/guide/01-plan.md': phase('01', 'Plan', [true]),
    });
    const below = await runIn(root, ['check', 'docs/helix', '--phase', '01']);
    assert.match(
      below.stderr,
      /^cdp: root \S*docs\/helix: the confirmations in \S*\.cdp\/confirmations\.yml are not read; --root \. reads them$/m,
    );
    assert.equal(below.code, 1);
    const whole = await runIn(root, ['check', 'docs/helix', '--phase', '01', '--root', '.']);
    assert.doesNotMatch(whole.stderr, /are not read/);
    assert.equal(whole.code, 0, whole.stdout);
    // No gate file in the root's scope: nothing to confirm, nothing said.
    assert.doesNotMatch((await runIn(root, ['check', 'docs/guide'])).stderr, /confirmations/);
  });
});

describe('a root below the current folder whose documents link out of it', () => {
  it('says how many relative links climb out of the root, and how to follow them', async () => {
    const root = tempWorkspace({
      'process/cdp/01-plan.md': `${phase('01', 'Plan', [true])}\nSee [the map](../artifacts/map.md), [[../artifacts/log]], [up](sub/../../artifacts/map.md), [home](../../) and [out](../../../elsewhere.md).\n`,
      'process/cdp/notes.md': '# Notes\n\n[plan](01-plan.md)\n',
      'process/artifacts/map.md': '# Map\n',
      'process/artifacts/log.md': '# Log\n',
    });
    const below = await runIn(root, ['check', 'process/cdp']);
    assert.match(
      below.stderr,
      /^cdp: root \S*process\/cdp: 3 links lead out of it \(01-plan\.md: \.\.\/artifacts\/map\.md\), not followed; --root \. \(the current folder\) follows them$/m,
    );
    for (const args of [
      ['check', 'process/cdp', '--root', '.'],
      ['check', '.'],
    ])
      assert.doesNotMatch((await runIn(root, args)).stderr, /lead out of it/, args.join(' '));
    // Run from the folder itself: above the current folder is nothing to suggest.
    assert.doesNotMatch((await runIn(join(root, 'process', 'cdp'), ['check'])).stderr, /lead out of it/);
    // A repository of its own (a folder of clones): what lies beside it is another's.
    writeFileSync(join(root, 'process', 'cdp', '.git'), 'gitdir: ../../.git/modules/cdp\n');
    assert.doesNotMatch((await runIn(root, ['check', 'process/cdp'])).stderr, /lead out of it/);
  });

  it('counts the paths from the workspace folder that name what lies in the current folder', async () => {
    const chained = (id: string, link: string, body: string) =>
      `---\nphase: ${id}\n${link}\n---\n# ${id}\n\n${body}\n\n## Exit Criteria\n\n- [x] See [[docs/process/guide#Diagnose]]\n- [x] [[docs/process/missing]]\n`;
    const root = tempWorkspace({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'services/auth/cdp/01-diagnose.md': chained(
        '01-diagnose',
        'next_phase: "[[02-prescribe]]"',
        'Diagnose.',
      ),
      'services/auth/cdp/02-prescribe.md': chained(
        '02-prescribe',
        'previous_phase: "[[01-diagnose]]"',
        'See the [process guide](../../../docs/process/guide.md#prescribe) and [the same](/docs/process/guide.md).',
      ),
      'docs/process/guide.md': '# Guide\n\n## Diagnose\n\n## Prescribe\n',
    });
    const below = await runIn(root, ['check', 'services/auth']);
    // Two wikilinks and a `/`-rooted path name the guide; the missing document is no one's.
    assert.match(
      below.stderr,
      /^cdp: root \S*services\/auth: 1 link leads out of it \(cdp\/02-prescribe\.md: \.\.\/\.\.\/\.\.\/docs\/process\/guide\.md\) and 3 name paths from the current folder \(cdp\/01-diagnose\.md: docs\/process\/guide\), not followed; --root \. \(the current folder\) follows them$/m,
    );
    // Followed from the current folder: only the missing document is broken.
    const whole = await runIn(root, ['check', 'services/auth', '--root', '.']);
    assert.doesNotMatch(whole.stderr, /not followed/);
    assert.deepEqual(
      [...whole.stdout.matchAll(/broken-link (\S+)/g)].map((m) => m[1]),
      ['[[docs/process/missing]]', '[[docs/process/missing]]'],
    );
    // Without a link climbing out: those from the current folder alone.
    writeFileSync(
      join(root, 'services/auth/cdp/02-prescribe.md'),
      chained('02-prescribe', 'previous_phase: "[[01-diagnose]]"', 'Prescribe.'),
    );
    assert.match(
      (await runIn(root, ['check', 'services/auth'])).stderr,
      /^cdp: root \S*services\/auth: 2 links name paths from the current folder \(cdp\/01-diagnose\.md: docs\/process\/guide\), not followed; --root \. \(the current folder\) follows them$/m,
    );
  });
});

describe('a path below the folder that holds the settings', () => {
  it('says the settings above the root are not read, and how to read them', async () => {
    const root = tempWorkspace({
      '.vscode/settings.json': '{ "cdp.rules": { "unmet-criterion": "error" } }',
      'releases/q4/01-plan.md': phase('01', 'Plan', [false]),
    });
    const below = await runIn(root, ['check', 'releases/q4']);
    assert.match(
      below.stderr,
      /^cdp: root \S*releases\/q4: the settings in \S*\.vscode\/settings\.json are not read, nor are links resolved from there; --root \. reads them$/m,
    );
    assert.equal(below.code, 0, 'unmet criteria are information without the settings');
    const whole = await runIn(root, ['check', 'releases/q4', '--root', '.']);
    assert.doesNotMatch(whole.stderr, /are not read/);
    assert.equal(whole.code, 1, 'the settings make them errors');
    // Run from the folder itself: nothing above the current folder is looked at.
    const inside = await runIn(join(root, 'releases', 'q4'), ['check']);
    assert.doesNotMatch(inside.stderr, /are not read/);
    // A folder whose name starts with two dots is inside the current folder too.
    const dots = tempWorkspace({
      '.vscode/settings.json': '{ "cdp.rules": { "unmet-criterion": "error" } }',
      '..q4/01-plan.md': phase('01', 'Plan', [false]),
    });
    assert.match((await runIn(dots, ['check', '..q4'])).stderr, /are not read/);
    // Settings of other extensions only: nothing of ours is missed.
    const others = tempWorkspace({
      '.vscode/settings.json': '{ "editor.formatOnSave": true }',
      'releases/q4/01-plan.md': phase('01', 'Plan', [false]),
    });
    assert.doesNotMatch((await runIn(others, ['check', 'releases/q4'])).stderr, /are not read/);
  });
});

describe('the --summary file', () => {
  it('keeps the gate verdict and shortens long criteria when the summary is cut', async () => {
    const files: Record<string, string> = {};
    const long = (w: number, i: number) => `criterion ${w}-${i} ${'x'.repeat(600)} END`;
    for (let w = 0; w < 40; w++)
      files[`w${String(w).padStart(2, '0')}/01-plan.md`] = phaseDoc({
        title: 'Plan',
        phase: '01',
        name: 'Plan',
        body: `## Exit Criteria\n\n${Array.from({ length: 100 }, (_, i) => `- [ ] ${long(w, i)}\n`).join('')}`,
      });
    const root = tempWorkspace(files);
    const file = join(root, 'summary.md');
    const r = await run(['check', root, '--phase', '01', '--format', 'json', '--summary', file]);
    assert.equal(r.code, 1, r.stderr);
    const md = readFileSync(file, 'utf8');
    assert.ok(Buffer.byteLength(md) < 1024 * 1024, `${Buffer.byteLength(md)} bytes`);
    assert.match(md, /_The summary is cut here/);
    assert.match(md, /### Gate check\n\n\| Workflow \| Phase/);
    assert.equal((md.match(/❌ failed/g) ?? []).length, 40);
    assert.match(md, /^Findings: /m);
    assert.doesNotMatch(md, /END/);
    assert.match(md, /x…/);
  });

  it('starts on a line of its own after a file that does not end with a line break', async () => {
    const root = tempWorkspace({ 'wf/01-plan.md': phase('01', 'Plan', [true]), 'out.md': 'earlier step' });
    const file = join(root, 'out.md');
    await run(['check', join(root, 'wf'), '--root', root, '--summary', file]);
    assert.ok(readFileSync(file, 'utf8').startsWith('earlier step\n## CDP check\n'));
    // After a line break, none is added.
    const again = join(root, 'again.md');
    writeFileSync(again, 'done\n');
    await run(['check', join(root, 'wf'), '--root', root, '--summary', again]);
    assert.ok(readFileSync(again, 'utf8').startsWith('done\n## CDP check\n'));
  });

  it('never creates the confirmations file, in any letter case', async () => {
    const root = tempWorkspace({ 'wf/01-plan.md': phase('01', 'Plan', [true]) });
    for (const name of ['.cdp/confirmations.yml', '.CDP/Confirmations.YML']) {
      const target = join(root, name);
      const s = await run(['check', root, '--summary', target]);
      assert.equal(s.code, 2, name);
      assert.match(s.stderr, /will not write the summary to .*: it is the workspace's confirmations file/);
      const o = await run(['report', root, '--out', target]);
      assert.equal(o.code, 2, name);
      assert.match(o.stderr, /will not write the report to .*: it is the workspace's confirmations file/);
      assert.equal(existsSync(target), false, name);
    }
    // A new gate file would be read as one on the next run.
    const gate = join(root, 'wf', 'GATE.yaml');
    assert.equal((await run(['check', root, '--summary', gate])).code, 2);
    assert.equal(existsSync(gate), false);
  });

  it('never writes into a phase document nor creates one in other letter case', async () => {
    const root = tempWorkspace({ 'wf/01-plan.md': phase('01', 'Plan', [true]) });
    for (const name of ['wf/01-plan.md', 'wf/01-PLAN.md', 'WF/01-Plan.MD']) {
      const s = await run(['check', join(root, 'wf'), '--root', root, '--summary', join(root, name)]);
      assert.equal(s.code, 2, name);
      assert.match(
        s.stderr,
        /will not write the summary to .*: it is a phase document of the workspace/,
        name,
      );
    }
    assert.deepEqual(readdirSync(join(root, 'wf')), ['01-plan.md']);
    assert.equal(existsSync(join(root, 'WF')), false);
    // A new markdown file of another name is a summary like any other.
    const s = await run(['check', join(root, 'wf'), '--root', root, '--summary', join(root, 'summary.md')]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(readFileSync(join(root, 'summary.md'), 'utf8'), /^## CDP check/);
  });

  it('never creates a file the next run would read as a phase document or a setting', async () => {
    const root = tempWorkspace({
      'wf/01-diagnose.md': phase('01', 'Diagnose', [true]),
      'wf/02-prescribe.md': phase('02', 'Prescribe', [false]),
      '.vscode/settings.json': '{}\n',
      'cfg.json': '{}\n',
    });
    // Links to nothing yet: writing through them would create their targets.
    symlinkSync(join('wf', '03-new.md'), join(root, 'sum.md'));
    symlinkSync(join('wf', '03-new.md'), join(root, 'out.html'));
    const before = readTree(root);
    const refused = async (args: string[], why: RegExp) => {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, why, args.join(' '));
    };
    // Named as the phase after the last (by the file-name pattern), or a phase folder's README.
    for (const name of ['wf/03-treat.md', 'wf/03-treat/README.md', 'wf/04_follow/index.md'])
      await refused(
        ['check', root, '--summary', join(root, name)],
        /^cdp: will not write the summary to .*: it is named as a phase document \(wf\/0[34]/,
      );
    await refused(
      ['check', root, '--summary', join(root, 'sum.md')],
      /will not write the summary to .*sum\.md: it is named as a phase document \(wf\/03-new\.md\)/,
    );
    await refused(
      ['report', root, '--out', join(root, 'out.html')],
      /will not write the report to .*out\.html: it is a markdown document of the workspace \(wf\/03-new\.md, where it links\)/,
    );
    // The settings read: the workspace's, the file --config names, the .cdp folder's.
    await refused(
      ['check', root, '--summary', join(root, '.vscode', 'settings.json')],
      /it is the workspace's settings file/,
    );
    await refused(
      ['check', root, '--summary', join(root, '.cdp', 'notes.md')],
      /it is a file of the workspace's \.cdp folder/,
    );
    await refused(
      ['check', root, '--config', join(root, 'cfg.json'), '--summary', join(root, 'cfg.json')],
      /it is the settings file given by --config/,
    );
    await refused(
      ['report', root, '--config', join(root, 'cfg.json'), '--out', join(root, 'cfg.json')],
      /it is the settings file given by --config/,
    );
    assert.deepEqual(readTree(root), before, 'nothing written');
    assert.deepEqual(readdirSync(join(root, 'wf')).sort(), ['01-diagnose.md', '02-prescribe.md']);
    // A summary of another name in the workspace is appended to; one outside it is written.
    writeFileSync(join(root, 'summary.md'), 'earlier\n');
    const inside = await run(['check', root, '--summary', join(root, 'summary.md')]);
    assert.equal(inside.code, 0, inside.stderr);
    assert.match(readFileSync(join(root, 'summary.md'), 'utf8'), /^earlier\n## CDP check/);
    const outside = join(tempDir('cdp-summary-'), 'step-summary');
    assert.equal((await run(['check', root, '--summary', outside])).code, 0);
    assert.match(readFileSync(outside, 'utf8'), /^## CDP check/);
  });
});

describe('command checks in the CI formats', () => {
  it('have unique JUnit names and failures with the exit code and the output', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nText.\n',
      'docs/helix/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: tests_passing\n      command: "echo first; exit 3"\n    - check: tests_passing\n      command: "cdp-no-such-command-xyz"\n',
    });
    const r = await run(['check', root, '--format', 'junit', '--run-commands', '--command-timeout', '30']);
    const names = [...r.stdout.matchAll(/<testcase name="([^"]*)" classname="docs\/helix/g)].map((m) => m[1]);
    assert.deepEqual(names, [
      'tests_passing: echo first; exit 3 (GATE.yaml:3)',
      'tests_passing: cdp-no-such-command-xyz (GATE.yaml:5)',
    ]);
    assert.match(
      r.stdout,
      /<failure message="`echo first; exit 3` failed \(exit 3\)" type="unmet">[^<]*GATE\.yaml:3: tests_passing \(`echo first; exit 3` failed \(exit 3\)\)\n\nOutput \(its end\):\nfirst\n<\/failure>/,
    );
    assert.match(
      r.stdout,
      /<failure message="`cdp-no-such-command-xyz` failed: command not found \(exit 127\)"/,
    );
  });

  it('of a workflow definition say why they did not run with --run-commands', async () => {
    const root = tempWorkspace({
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\nText.\n',
      'lib/phases/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: tests_passing\n      command: "echo ran > ran.txt"\n',
    });
    const r = await run(['check', root, '--run-commands', '--format', 'json']);
    assert.match(r.stdout, /not run \(a workflow definition's commands are never run\)/);
    assert.doesNotMatch(r.stdout, /use `cdp check --run-commands`/);
    assert.equal(existsSync(join(root, 'lib/phases/01-frame/ran.txt')), false);
    const plain = await run(['check', root, '--format', 'json']);
    assert.match(plain.stdout, /not run \(use `cdp check --run-commands`\)/);
  });

  it('with --phase run only the commands of the phase it selects, the others saying why', async () => {
    const gate = (file: string) =>
      `exit_requirements:\n  automated:\n    - check: tests_passing\n      command: "echo ran > ${file}"\n`;
    const root = tempWorkspace({
      'docs/helix/03-test/README.md': '# Phase 03: Test\n\nText.\n',
      'docs/helix/03-test/GATE.yaml': gate('test.txt'),
      'docs/helix/04-build/README.md': '# Phase 04: Build\n\nText.\n',
      'docs/helix/04-build/GATE.yaml': gate('build.txt'),
    });
    const r = await run(['check', root, '--phase', '03', '--run-commands', '--format', 'json']);
    // (the root is where the commands run: the repository above docs/helix)
    const ran = (f: string) => existsSync(join(root, f));
    assert.deepEqual([ran('test.txt'), ran('build.txt')], [true, false], r.stderr);
    assert.match(r.stdout, /not run \(only the commands of the phase --phase selects are run\)/);
  });
});

describe('JUnit without --phase', () => {
  it('skips the criteria of phases not started after the current one; --phase still fails them', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phase('01', 'Plan', [true, true]),
      'wf/02-build.md': phase('02', 'Build', [true, false]),
      'wf/03-ship.md': phase('03', 'Ship', [false, false]),
      'wf/04-run.md': phaseDoc({
        title: 'Run',
        phase: '04',
        name: 'Run',
        body: '## Exit Criteria\n\nProse only.\n',
      }),
    });
    const r = await run(['check', root, '--format', 'junit']);
    assert.match(r.stdout, /<testsuites name="cdp check" tests="\d+" failures="1"/);
    assert.match(r.stdout, /<testcase name="Build item 2"[^>]*><failure /);
    for (const item of ['Ship item 1', 'Ship item 2'])
      assert.match(
        r.stdout,
        new RegExp(`<testcase name="${item}"[^>]*><skipped message="phase not started"/>`),
      );
    assert.match(r.stdout, /<testcase name="\(no criteria\)"[^>]*><skipped message="phase not started"\/>/);
    const selected = await run(['check', root, '--phase', '03', '--format', 'junit']);
    assert.match(selected.stdout, /<testcase name="Ship item 1"[^>]*><failure /);
  });

  it('fails every unmet criterion of a workflow definition: a definition has no current phase', async () => {
    const root = tempWorkspace({
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] Frame done\n',
      'lib/phases/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] Design done\n',
    });
    const r = await run(['check', root, '--format', 'junit']);
    for (const item of ['Frame done', 'Design done'])
      assert.match(r.stdout, new RegExp(`<testcase name="${item}"[^>]*><failure `));
    assert.doesNotMatch(r.stdout, /phase not started/);
  });
});

describe('control characters', () => {
  it('are shown escaped in annotations, the summary and the HTML report', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phase(
        '01',
        'Plan',
        [false],
        '\n## Release Gate\n\n- [ ] bell\u0007 esc\u001b[31m one\u0001\ttab\n',
      ),
    });
    const raw = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
    const github = await run(['check', root, '--phase', '01', '--format', 'github']);
    assert.doesNotMatch(github.stdout, raw);
    assert.match(github.stdout, /bell\\u0007 esc\\u001b\[31m one\\u0001\ttab/);
    const file = join(root, 'summary.md');
    await run(['check', root, '--phase', '01', '--summary', file]);
    const md = readFileSync(file, 'utf8');
    assert.doesNotMatch(md, raw);
    assert.match(md, /bell\\\\u0007 esc\\\\u001b\\\[31m one\\\\u0001\ttab/);
    const html = (await run(['report', root, '--history', '0'])).stdout;
    assert.doesNotMatch(html, raw);
    assert.match(html, /bell\\u0007 esc\\u001b\[31m one\\u0001\ttab/);
  });

  it('bidirectional overrides are shown escaped: a name cannot read reversed', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phase(
        '01',
        'Plan',
        [false],
        '\n## Release Gate\n\n- [ ] Sign-off by \u202elegal\u2066x\u2069\n',
      ),
    });
    const bidi = /[\u202a-\u202e\u2066-\u2069]/;
    for (const format of ['github', 'text']) {
      const r = await run(['check', root, '--phase', '01', '--format', format]);
      assert.doesNotMatch(r.stdout, bidi, format);
      assert.match(r.stdout, /Sign-off by \\u202elegal\\u2066x\\u2069/, format);
    }
    // (The page's data block keeps the text as written: it is data, never shown.)
    const html = (await run(['report', root, '--history', '0'])).stdout.replace(
      /<script type="application\/json"[\s\S]*?<\/script>/,
      '',
    );
    assert.doesNotMatch(html, bidi);
    assert.match(html, /Sign-off by \\u202elegal/);
  });

  it('messages on stderr are one line each: a name holding a line break forges no workflow command', async () => {
    const root = tempWorkspace({
      '.vscode/settings.json': '{ "cdp.x\\n::stop-commands::cdpoff": 1 }\n',
      'wf/01-plan.md': phase('01', 'Plan', [true]),
    });
    const r = await run(['check', root, '--format', 'github']);
    assert.doesNotMatch(r.stderr, /^::/m);
    assert.match(r.stderr, /^cdp: unknown setting ignored: cdp\.x\\n::stop-commands::cdpoff$/m);
    // The usage, on stderr when no command is given, keeps its lines.
    const usage = await run([]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^Usage: cdp check/m);
    assert.match(usage.stderr, /^ {2}--phase/m);
  });
});

describe('SARIF', () => {
  it('names the product version and fingerprints results without their line', async () => {
    const doc = (above: string) => `# A\n\n${above}See [[nowhere]] and [[nowhere]].\n`;
    const root = tempWorkspace({ 'a.md': doc('') });
    const first = JSON.parse((await run(['check', root, '--format', 'sarif'])).stdout);
    assert.equal(first.runs[0].tool.driver.version, SERVER_VERSION);
    const prints = (log: { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }) =>
      log.runs[0].results.map((x) => x.partialFingerprints['cdpFinding/v1']);
    const before = prints(first);
    assert.equal(before.length, 2);
    assert.match(before[0], /^[0-9a-f]{32}$/);
    assert.notEqual(before[0], before[1], 'two identical findings in a file differ');
    writeFileSync(join(root, 'a.md'), doc('Text added above.\n\nMore.\n\n'));
    const after = JSON.parse((await run(['check', root, '--format', 'sarif'])).stdout);
    assert.notEqual(after.runs[0].results[0].locations[0].physicalLocation.region.startLine, 3);
    assert.deepEqual(prints(after), before);
  });
});

describe('--phase release', () => {
  it('checks the deploy phase of a workflow that has no release phase, and says so', async () => {
    const root = tempWorkspace({
      'docs/helix/04-build/README.md': '# Phase 04: Build\n\n## Exit Criteria\n\n- [x] built\n',
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [ ] deployed\n',
    });
    const r = await run(['check', root, '--phase', 'release', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).gates.map((g: { phase: string; passed: boolean }) => [g.phase, g.passed]),
      [['05', false]],
    );
    assert.match(
      r.stderr,
      /Workflow docs\/helix has no phase "release": checking its deploy phase 05 Deploy/,
    );
    const text = await run(['check', root, '--phase', 'release']);
    assert.match(
      text.stdout,
      /^Gate check:\n {2}Workflow docs\/helix has no phase "release": checking its deploy phase 05 Deploy/m,
    );
    // Another name still matches nothing.
    assert.equal((await run(['check', root, '--phase', 'launch'])).code, 2);
  });
});

describe('cdp report', () => {
  it('links from the current folder when written to standard output', async () => {
    const root = tempWorkspace({ 'wf/01-plan.md': phase('01', 'Plan', [false]) });
    const html = (await runIn(join(root, '..'), ['report', root, '--history', '0'])).stdout;
    const name = root.slice(root.lastIndexOf('/') + 1);
    assert.match(html, new RegExp(`href="${name}/wf/01-plan\\.md#L\\d+"`));
    const out = join(root, 'site', 'r.html');
    mkdirSync(join(root, 'site'));
    await runIn(join(root, '..'), ['report', root, '--history', '0', '--out', out]);
    assert.match(readFileSync(out, 'utf8'), /href="\.\.\/wf\/01-plan\.md#L\d+"/);
  });

  it('says when the history is limited by a shallow clone', async () => {
    const origin = tempWorkspace({ 'wf/01-plan.md': phase('01', 'Plan', [false]) });
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    const who = ['-c', 'user.name=T', '-c', 'user.email=t@example.com'];
    git(origin, 'init', '-q');
    git(origin, 'add', '.');
    git(origin, ...who, 'commit', '-qm', 'one');
    writeFileSync(join(origin, 'wf/01-plan.md'), phase('01', 'Plan', [true]));
    git(origin, ...who, 'commit', '-qam', 'two');
    const clone = join(tempDir('cdp-test-'), 'c');
    git(origin, 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    const r = await run(['report', clone, '--history', '10']);
    assert.match(
      r.stdout,
      /<p class="muted history-note">History is limited: the repository is a shallow clone/,
    );
    assert.match(r.stderr, /shallow clone/);
    const full = await run(['report', origin, '--history', '10']);
    assert.doesNotMatch(full.stdout + full.stderr, /shallow/);
  });
});

describe('options', () => {
  it('refuses what it would ignore', async () => {
    const root = tempWorkspace({ 'wf/01-plan.md': phase('01', 'Plan', [true]), 'arr.json': '[1, 2]' });
    const cases: [string[], RegExp][] = [
      [['graph', root, '--depth', '1'], /^cdp: --depth only applies with --id\./],
      [['check', root, '--phase', '01', '--phase', '03'], /^cdp: --phase is given twice\./],
      [['check', root, '--format=json', '--format', 'text'], /^cdp: --format is given twice\./],
      [
        ['check', root, '--config', join(root, 'arr.json')],
        /^cdp: cannot read config \S*arr\.json: not a JSON object of settings \(it holds an array\)/,
      ],
      [
        ['check', root, '--run-commands', '--command-timeout', '0'],
        /^cdp: --command-timeout must be greater than 0/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it('reads graph --id "./path" as the path', async () => {
    const root = tempWorkspace({ 'e space ü.md': '# E\n\n[[f]]\n', 'f.md': '# F\n' });
    const plain = await runIn(root, ['graph', '--id', 'e space ü.md']);
    assert.equal(plain.code, 0, plain.stderr);
    const dotted = await runIn(root, ['graph', '--id', './e space ü.md']);
    assert.equal(dotted.code, 0, dotted.stderr);
    assert.equal(dotted.stdout, plain.stdout);
  });
});

describe('text format paths', () => {
  it('are relative to the current folder when the root is in it, as in the CI formats', async () => {
    const root = tempWorkspace({
      'docs/wf/01-plan.md': phaseDoc({
        title: 'Plan',
        phase: '01',
        name: 'Plan',
        body: '## Exit Criteria\n\n- [ ] x\n\n[[nowhere]]\n',
      }),
    });
    const text = await runIn(root, ['check', 'docs', '--root', 'docs']);
    assert.match(text.stdout, /01 Plan {2}0\/1 {2}current {2}docs\/wf\/01-plan\.md$/m);
    assert.match(text.stdout, /\[ \] x {2}docs\/wf\/01-plan\.md:\d+$/m);
    assert.match(text.stdout, /^docs\/wf\/01-plan\.md:\d+:\d+ warning broken-link /m);
    const github = await runIn(root, ['check', 'docs', '--root', 'docs', '--format', 'github']);
    assert.match(github.stdout, /file=docs\/wf\/01-plan\.md/);
  });
});
