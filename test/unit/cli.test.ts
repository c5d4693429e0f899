import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseJsonc } from '../../server/src/cli/jsonc';
import { main } from '../../server/src/cli/main';
import { Analysis } from '../../server/src/core/analysis';
import { run } from '../helpers/cli';
import { readTree, tempDir, tempWorkspace } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';

const release = phaseDoc({
  title: 'Release',
  phase: '05',
  name: 'Release',
  previous: '04-monitor',
  body: '## Entry Criteria\n\n- [x] ready\n- [ ] signed\n\n## Exit Criteria\n\n- [ ] shipped\n\nSee [[nowhere]].\n',
});
const monitor = phaseDoc({
  title: 'Monitor',
  phase: '04',
  name: 'Monitor',
  next: '05-release',
  body: '## Exit Criteria\n\n- [x] watched\n',
});

describe('cdp check', () => {
  it('prints nothing of the YAML parser on stderr: a key written as a list, in front matter and a gate file', async () => {
    const root = tempWorkspace({
      'wf/01-diagnose.md':
        '# Diagnose Phase\n\n---\nphase: 01\n[draft]: yes\n---\n\n## Exit Criteria\n\n- [ ] done\n',
      'h/01-frame/README.md': '# Phase 01: Frame\n',
      'h/01-frame/exit-gates.yml': '[x]: 1\nexit_gates:\n  - criteria: A\n',
    });
    // (the built CLI in a process of its own: Node prints warnings on the process's stderr)
    const r = spawnSync(
      process.execPath,
      [join(__dirname, '..', '..', 'server', 'out', 'cli.js'), 'check', root, '--format', 'json'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.stderr, '');
    assert.equal(JSON.parse(r.stdout).workflows.length, 2);
  });
  it('marks a group of criteria written without checkboxes in the text report, in every phase', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '01', body: '## Exit Criteria\n\n- [ ] a\n' }),
      'wf/02-build.md': phaseDoc({
        title: 'Build',
        phase: '02',
        body: '## Entry Criteria\n\n1. Design approved\n2. Plan reviewed\n',
      }),
    });
    const r = await run(['check', root]);
    assert.match(r.stdout, /^ {8}Entry Criteria \(entry\) 0\/2 · no checkboxes$/m);
  });

  it('says in the text report why a group with every box ticked has not passed: boxes GFM does not read', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phaseDoc({
        title: 'Plan',
        phase: '01',
        body: '## Exit Criteria\n\n- [x] a\n- []b glued\n- [ x]c glued\n',
      }),
    });
    const r = await run(['check', root]);
    assert.match(
      r.stdout,
      /^ {8}Exit Criteria \(exit\) 1\/1 · 2 boxes are not checkboxes GFM reads \(malformed-checkbox\)$/m,
    );
    const gate = await run(['check', root, '--phase', '01']);
    assert.equal(gate.code, 1);
  });

  it("lists a checklist's unticked items in the text report: the phase is complete only when they are ticked", async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phaseDoc({
        title: 'Plan',
        phase: '01',
        body: '## Exit Criteria\n\n- [x] a\n\n## Tasks\n\n- [x] done task\n- [ ] open task\n',
      }),
      'wf/02-build.md': phaseDoc({ title: 'Build', phase: '02', body: '## Exit Criteria\n\n- [ ] b\n' }),
    });
    const r = await run(['check', root]);
    assert.match(r.stdout, /^ {2}▶ 01 Plan {2}2\/3 {2}current/m);
    assert.match(r.stdout, /^ {8}Tasks \(checklist\) 1\/2\n {10}\[ \] open task {2}wf\/01-plan\.md:\d+$/m);
    assert.doesNotMatch(r.stdout, /\[ \] done task/);
  });

  it('shows a phase number the workflow skips where it would stand in the text report', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '01', body: '## Exit Criteria\n\n- [x] a\n' }),
      'wf/02-build.md': phaseDoc({ title: 'Build', phase: '02', body: '## Exit Criteria\n\n- [x] b\n' }),
      'wf/05-ship.md': phaseDoc({ title: 'Ship', phase: '05', body: '## Exit Criteria\n\n- [ ] c\n' }),
    });
    const r = await run(['check', root]);
    const phases = r.stdout.split('\n').filter((l) => /^ {2}\S/.test(l));
    assert.deepEqual(
      phases.map((l) => l.replace(/ {2}wf\/.*$/, '')),
      [
        '  ✓ 01 Plan  1/1  passed',
        '  ✓ 02 Build  1/1  passed',
        '  ✗ 03 (no document: the workflow skips this phase)',
        '  ✗ 04 (no document: the workflow skips this phase)',
        '  ▶ 05 Ship  0/1  current',
      ],
    );
  });

  it('a phase folder holding documents but no phase document is named where the phase would stand, also before and after', async () => {
    const readme = (n: string) => `# Phase ${n}\n\n## Exit Criteria\n\n- [ ] done\n`;
    const root = tempWorkspace({
      'docs/helix/00-discover/vision.md': '# Vision\n',
      'docs/helix/01-frame/README.md': readme('01: Frame'),
      'docs/helix/02-design/arch.md': '# Architecture\n',
      'docs/helix/03-test/README.md': readme('03: Test'),
      'docs/helix/04-build/plan.md': '# Plan\n',
    });
    const r = await run(['check', root]);
    const phases = r.stdout.split('\n').filter((l) => /^ {2}\S/.test(l));
    assert.deepEqual(
      phases.map((l) => l.replace(/ {2}docs\/helix\/\d\d-\w+\/README\.md$/, '')),
      [
        '  · 00 (no phase document: docs/helix/00-discover/ holds documents, which belong to no phase)',
        '  ▶ 01 Frame  0/1  current',
        '  ✗ 02 (no phase document: docs/helix/02-design/ holds documents, which belong to no phase)',
        '  ○ 03 Test  0/1  not started',
        '  · 04 (no phase document: docs/helix/04-build/ holds documents, which belong to no phase)',
      ],
    );
  });

  it('prints a JSON report, version 1, with 1-based positions and relative files', async () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const r = await run(['check', root, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.version, 1);
    assert.equal(j.root, root);
    assert.equal(j.workflows.length, 1);
    const [p4, p5] = j.workflows[0].phases;
    assert.deepEqual([p4.phase, p4.name, p4.file, p4.complete], ['04', 'Monitor', 'wf/04-monitor.md', true]);
    assert.equal(p5.complete, false);
    assert.deepEqual(p5.groups[0], {
      heading: 'Entry Criteria',
      kind: 'entry',
      line: 9,
      total: 2,
      checked: 1,
      passed: false,
      reason: 'Entry Criteria: 1 of 2 unticked',
      unmet: [{ text: 'signed', line: 12, state: 'unchecked' }],
    });
    const broken = j.diagnostics.find((d: { code: string }) => d.code === 'broken-link');
    assert.deepEqual(
      [broken.file, broken.line, broken.column, broken.endLine, broken.endColumn, broken.severity],
      ['wf/05-release.md', 18, 5, 18, 16, 'warning'],
    );
  });

  it('prints a readable text report with file:line:col diagnostics', async () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const r = await run(['check', root]);
    assert.match(r.stdout, /Workflow wf: current phase 05 Release/);
    assert.match(r.stdout, /^ {2}▶ 05 Release {2}1\/3 {2}current {2}wf\/05-release\.md$/m);
    assert.match(r.stdout, /^ {2}✓ 04 Monitor {2}1\/1 {2}passed {2}wf\/04-monitor\.md$/m);
    assert.match(r.stdout, /\[ \] signed {2}wf\/05-release\.md:12/);
    assert.match(r.stdout, /^wf\/05-release\.md:18:5 warning broken-link /m);
    // A group is selected by its heading without what dresses it.
    const dressed = tempWorkspace({
      'p/05-release.md':
        '# Release Phase\n\n---\nphase: 05\nname: Release\n---\n\n## 2. Exit Criteria (must be met)\n\n- [x] b\n\n## Release Gate (2)\n\n- [ ] c\n',
    });
    const exit = await run(['check', dressed, '--phase', 'release', '--gate', 'Exit Criteria']);
    assert.equal(exit.code, 0, exit.stderr);
    const gate = await run(['check', dressed, '--phase', 'release', '--gate', 'Release Gate']);
    assert.equal(gate.code, 1, gate.stderr);
    assert.match(gate.stdout, /FAILED .*Release Gate \(2\)/);
    // Checked from the workflow's own folder: the workflow is named after it, not ".".
    const own = await run(['check', join(root, 'wf')]);
    assert.match(own.stdout, /^Workflow wf: current phase 05 Release/m);
  });

  it('prints a definition with its sizes, not progress, beside an instance', async () => {
    const root = tempWorkspace({
      'wf/04-monitor.md': monitor,
      'wf/05-release.md': release,
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-plan.md':
        '---\nphase: "01"\nname: Plan\n---\n# Plan\n\n## Entry Criteria\n\n- [x] asked\n\n## Exit Criteria\n\n- [ ] planned\n- [ ] agreed\n',
    });
    const r = await run(['check', root]);
    assert.match(r.stdout, /^Workflow definition lib\/phases: 1 phase, 3 items$/m);
    assert.match(r.stdout, /^ {2}· 01 Plan {2}3 items {2}lib\/phases\/01-plan\.md$/m);
    assert.match(r.stdout, /^ {8}Exit Criteria \(exit\) 2 items$/m);
    // no progress marks or ticked counts for the definition, and its boxes are not listed
    assert.doesNotMatch(r.stdout, /01 Plan {2}1\/3/);
    assert.doesNotMatch(r.stdout, /\[ \] planned/);
    // the instance keeps its progress
    assert.match(r.stdout, /▶ 05 Release {2}1\/3 {2}current /);
    assert.match(r.stdout, /^2 workflows, 3 phases; 0 errors, 1 warning, /m);
  });

  it('leaves definitions beside workflows under way out of gate checks, JUnit, the summary and the dashboard', async () => {
    const files = {
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD written\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD written\n',
    };
    const root = tempWorkspace(files);
    // The template's unticked box fails no gate: only the instance's phase is checked.
    const gate = await run(['check', root, '--phase', 'frame', '--format', 'json']);
    assert.equal(gate.code, 0, gate.stderr);
    assert.deepEqual(
      JSON.parse(gate.stdout).gates.map((g: { workflow: string; passed: boolean }) => [g.workflow, g.passed]),
      [['docs/helix', true]],
    );
    const junit = await run(['check', root, '--format', 'junit']);
    assert.equal((junit.stdout.match(/<testcase /g) ?? []).length, 1);
    assert.doesNotMatch(junit.stdout, /lib\/phases/);
    const summaryFile = join(root, 'summary.md');
    await run(['check', root, '--summary', summaryFile]);
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, /### Workflow docs\/helix: the phases written so far complete; 02 Design, /);
    assert.doesNotMatch(summary, /lib\/phases/);
    const report = await run(['report', root]);
    assert.doesNotMatch(report.stdout, /lib\/phases\/01-frame/);
    // The workflow library alone: its definitions are what there is to check.
    const lib = await run(['check', join(root, 'lib'), '--phase', 'frame', '--format', 'json']);
    assert.equal(lib.code, 1);
    assert.deepEqual(
      JSON.parse(lib.stdout).gates.map((g: { workflow: string; passed: boolean }) => [g.workflow, g.passed]),
      [['phases', false]],
    );
  });

  it('checks HELIX readiness up to the deploy phase when there is no release phase', async () => {
    const phase = (n: string, name: string, box: string) =>
      `# Phase ${n}: ${name}\n\n## Exit Criteria\n\n- [${box}] ${name.toLowerCase()} done\n`;
    const root = tempWorkspace({
      // (its 01–03 written: a phase skipped before the first would block readiness)
      'docs/helix/01-frame/README.md': phase('01', 'Frame', 'x'),
      'docs/helix/02-design/README.md': phase('02', 'Design', 'x'),
      'docs/helix/03-test/README.md': phase('03', 'Test', 'x'),
      'docs/helix/04-build/README.md': phase('04', 'Build', 'x'),
      'docs/helix/05-deploy/README.md': phase('05', 'Deploy', 'x'),
      'docs/helix/06-iterate/README.md': phase('06', 'Iterate', ' '),
    });
    const summary = join(root, 'summary.md');
    await run(['check', root, '--summary', summary]);
    assert.match(readFileSync(summary, 'utf8'), /Release readiness \(up to phase 05\): \*\*ready\*\*/);
    // A release phase named in the settings is taken as named.
    writeFileSync(join(root, 'settings.json'), '{ "cdp.phases.releasePhase": "iterate" }');
    const named = join(root, 'named.md');
    await run(['check', root, '--summary', named, '--config', join(root, 'settings.json')]);
    assert.match(readFileSync(named, 'utf8'), /Release readiness \(up to phase 06\): \*\*not ready\*\*/);
  });

  it('never writes a report or summary over a document, a gate file or the confirmations file', async () => {
    const root = tempWorkspace({
      'wf/04-monitor.md': monitor,
      'wf/05-release.md': release,
      'wf/GATE.yaml': 'exit_requirements:\n  manual: ["ok"]\n',
      '.cdp/confirmations.yml': 'confirmations: []\n',
    });
    symlinkSync(join(root, 'wf', '05-release.md'), join(root, 'link.html'));
    const before = readTree(root);
    for (const [args, target] of [
      [['report', root, '--out'], 'wf/05-release.md'],
      [['report', root, '--out'], 'link.html'],
      [['check', root, '--summary'], 'wf/04-monitor.md'], // a phase document
      [['check', root, '--summary'], 'wf/GATE.yaml'],
      [['check', root, '--summary'], '.cdp/confirmations.yml'],
    ] as const) {
      const r = await run([...args, join(root, target)]);
      assert.equal(r.code, 2, `${args.join(' ')} ${target}`);
      assert.match(
        r.stderr,
        /^cdp: will not write the (HTML )?(report|summary) to .*: (it is |a markdown file name)/,
      );
    }
    assert.deepEqual(readTree(root), before, 'nothing written');
    // Nor to a new file with a markdown name (the next run would read it as a document).
    const md = await run(['report', root, '--out', join(root, 'dash.md')]);
    assert.equal(md.code, 2);
    assert.match(md.stderr, /a markdown file name \(use \.html\)/);
    assert.deepEqual(readTree(root), before, 'nothing written');
    // A new file, or one that is not the workspace's, is written.
    assert.equal((await run(['report', root, '--out', join(root, 'dashboard.html')])).code, 0);
  });

  it('exits 1 when a selected gate fails, 0 when it passes', async () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    assert.equal((await run(['check', root, '--phase', 'release', '--gate', 'entry'])).code, 1);
    assert.equal((await run(['check', root, '--phase', '04', '--gate', 'Exit Criteria'])).code, 0);
    const j = JSON.parse((await run(['check', root, '--phase', '05', '--format=json'])).stdout);
    assert.equal(j.gates[0].passed, false);
    assert.equal(j.gates[0].unmet.length, 2);
    // A file name or path names the phase too (as the shell sees it or in the root).
    for (const phase of [
      '05-release.md',
      'wf/05-release.md',
      '05-RELEASE.md',
      join(root, 'wf', '05-release.md'),
    ]) {
      const byFile = JSON.parse((await run(['check', root, '--phase', phase, '--format=json'])).stdout);
      assert.deepEqual(
        byFile.gates.map((g: { phase: string }) => g.phase),
        ['05'],
        phase,
      );
    }
    // every unmet item has a state, boxes too (as the README lists)
    assert.deepEqual(
      j.gates[0].unmet.map((u: { state: string }) => u.state),
      ['unchecked', 'unchecked'],
    );
  });

  it('exits 1 when an error-severity diagnostic exists', async () => {
    const root = tempWorkspace({
      'wf/04-monitor.md': monitor,
      'wf/04-other.md': monitor.replace('Monitor', 'Other'),
    });
    const r = await run(['check', root]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error duplicate-phase/);
  });

  it('exits 2 with one line on stderr for usage errors and unreadable roots', async () => {
    for (const args of [
      ['check', '--format', 'xml'],
      ['frobnicate'],
      ['check', '/definitely/not/here'],
      ['check', '--bogus'],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^cdp: /);
    }
    const root = tempWorkspace({ 'a.md': '' });
    assert.equal((await run(['check', root, '--phase', '09'])).code, 2);
    assert.equal((await run(['check', root, '--config', join(root, 'nope.json')])).code, 2);
  });

  it('parses options in both spellings and names the faulty one on a single line', async () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const spaced = await run(['check', root, '--phase', '05', '--format', 'json']);
    const joined = await run(['check', root, '--phase=05', '--format=json']);
    assert.equal(joined.code, spaced.code);
    assert.equal(joined.stdout, spaced.stdout);
    assert.equal(JSON.parse(joined.stdout).gates[0].phase, '05');
    for (const [args, message] of [
      [['check', root, '--phase'], /^cdp: --phase needs a value\. Run "cdp --help"\.$/],
      [['check', '--phase', '--gate', 'x'], /^cdp: --phase needs a value\./],
      [['check', '--bogus=1'], /^cdp: unknown option --bogus\./],
      [['check', '-x'], /^cdp: unknown option -x\./],
      [['check', '--out', 'f.html'], /^cdp: unknown option --out\./],
      [['report', '--history=many'], /^cdp: --history must be a number of commits, not "many"\./],
      [['report', '--phase', '05'], /^cdp: unknown option --phase\./],
      [['check', '--format=xml'], /^cdp: --format must be text, json, .*, not "xml"\./],
      [['graph', root, '--depth', '-1'], /^cdp: --depth cannot be negative, not "-1"\./],
      // A value starting with `-` for an option that takes text: how to write it.
      [
        ['check', root, '--gate', '-x'],
        /^cdp: --gate needs a value: to give one starting with "-", write --gate=-x\./,
      ],
      [
        ['check', root, '--phase', '-01'],
        /^cdp: --phase needs a value: to give one starting with "-", write --phase=-01\./,
      ],
      [
        ['check', root, '--summary', '-s.md'],
        /^cdp: --summary needs a value: to give one starting with "-", write --summary=-s\.md\./,
      ],
      // An option's own short name after it: the value was forgotten.
      [['check', root, '--phase', '-j', '2'], /^cdp: --phase needs a value\. Run/],
      [['check', root, '--command-timeout', '-5'], /^cdp: --command-timeout cannot be negative, not "-5"\./],
      [
        ['check', root, '--command-timeout', '60'],
        /^cdp: --command-timeout only applies with --run-commands\./,
      ],
      [
        ['check', root, '--run-commands', '--command-timeout', '0'],
        /^cdp: --command-timeout must be greater than 0 and at most 86400 seconds, not "0"\./,
      ],
      [['check', root, '--phase', ''], /^cdp: --phase needs a value\./],
      [['check', root, '--gate= '], /^cdp: --gate needs a value\./],
      // An empty path (an unset CI variable) is not "not given".
      [['check', root, '--summary', ''], /^cdp: --summary needs a value\./],
      [['check', root, '--config='], /^cdp: --config needs a value\./],
      [['check', root, '--root', ''], /^cdp: --root needs a value\./],
      [['report', root, '--out', ''], /^cdp: --out needs a value\./],
      [['graph', root, '--id', ''], /^cdp: --id needs a value\./],
      [['check', root, '-j'], /^cdp: -j needs a value\./],
      [['check', root, '--root', join(root, 'nope')], /^cdp: cannot read root .*nope: no such folder$/],
    ] as const) {
      const r = await run([...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trim(), message);
    }
    for (const args of [['--help'], ['check', root, '-h'], ['check', '--help', '--bogus']]) {
      const r = await run(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: cdp check/);
    }
    const bare = await run([]);
    assert.deepEqual([bare.code, bare.stdout], [2, ''], 'no command: a usage error, nothing on stdout');
    assert.match(bare.stderr, /^Usage: cdp check/);
  });

  it('reads JSON with comments without changing string contents', () => {
    assert.deepEqual(
      parseJsonc(
        '{\n  // a comment\n  "a": "x,}", "b": ["y,]", "// not a comment", "/* nor this */"], /* c */\n}\n',
      ),
      { a: 'x,}', b: ['y,]', '// not a comment', '/* nor this */'] },
    );
    assert.throws(() => parseJsonc('{ "a": }'), /ValueExpected/);
  });

  it('reads cdp.* settings from .vscode/settings.json (with comments) or --config', async () => {
    const root = tempWorkspace({
      'a.md': '[[nowhere]]\n',
      '.vscode/settings.json': '{\n  // quiet\n  "cdp.rules": { "broken-link": "off" },\n}\n',
      'strict.json': '{ "cdp": { "rules": { "broken-link": "error" } } }',
    });
    assert.doesNotMatch((await run(['check', root])).stdout, /broken-link/);
    const r = await run(['check', root, '--config', join(root, 'strict.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error broken-link/);
  });

  it('never crashes on bad input: YAML error, binary .md, empty file, a file of only ---', async () => {
    const root = tempWorkspace({
      'yaml.md': '# T\n\n---\nphase: [1\n---\n',
      'binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a, 0xff, 0xfe]),
      'empty.md': '',
      'dashes.md': '---\n',
    });
    const r = await run(['check', root, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    const by = (file: string) => [
      ...j.diagnostics.filter((d: { file: string }) => d.file === file).map((d: { code: string }) => d.code),
      ...j.notices
        .filter((n: { file: string }) => n.file === file)
        .map((n: { message: string }) => n.message),
    ];
    assert.deepEqual(by('yaml.md'), ['invalid-frontmatter']);
    assert.match(by('binary.md')[0], /binary/);
    assert.deepEqual(by('empty.md'), ['empty document']);
    assert.deepEqual(by('dashes.md'), ['invalid-frontmatter']);
  });

  it('never writes to the workspace', async () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const snapshot = () =>
      readdirSync(root, { recursive: true })
        .map(String)
        .sort()
        .map(
          (p) =>
            `${p}:${statSync(join(root, p)).mtimeMs}:${statSync(join(root, p)).isFile() ? readFileSync(join(root, p), 'utf8') : ''}`,
        );
    const before = snapshot();
    await run(['check', root, '--format', 'json']);
    await run(['check', root, '--phase', '05']);
    assert.deepEqual(snapshot(), before);
  });

  it('runs as the built bin', () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const bin = join(__dirname, '..', '..', 'server', 'out', 'cli.js');
    const r = spawnSync(process.execPath, [bin, 'check', root, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).workflows[0].phases.length, 2);
  });

  it('exits 2 when the report cannot be written to standard output (a full disk)', {
    skip: !existsSync('/dev/full') && 'no /dev/full',
  }, () => {
    const root = tempWorkspace({ 'wf/04-monitor.md': monitor, 'wf/05-release.md': release });
    const bin = join(__dirname, '..', '..', 'server', 'out', 'cli.js');
    const full = openSync('/dev/full', 'w');
    try {
      for (const format of ['sarif', 'json', 'text']) {
        const r = spawnSync(process.execPath, [bin, 'check', root, '--format', format], {
          encoding: 'utf8',
          stdio: ['ignore', full, 'pipe'],
        });
        assert.equal(r.status, 2, format);
        assert.match(r.stderr, /^cdp: cannot write the report: ENOSPC/);
      }
    } finally {
      closeSync(full);
    }
  });

  describe('settings file', () => {
    const bin = join(__dirname, '..', '..', 'server', 'out', 'cli.js');
    /** Runs the built command with a wall-clock guard (a FIFO used to block it for ever). */
    const runBin = (args: string[]) =>
      spawnSync(process.execPath, ['--max-old-space-size=256', bin, ...args], {
        encoding: 'utf8',
        timeout: 20_000,
      });

    it('a link to a file outside the workspace is refused without quoting it', () => {
      const outside = tempWorkspace({ 'secret.txt': 'root:x:0:0:SECRET-LINE\n' });
      const root = tempWorkspace({ 'a.md': '# A\n' });
      mkdirSync(join(root, '.vscode'));
      symlinkSync(join(outside, 'secret.txt'), join(root, '.vscode', 'settings.json'));
      const r = runBin(['check', root]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /links outside the workspace folder/);
      assert.doesNotMatch(r.stderr + r.stdout, /SECRET-LINE|root:x/);
    });

    it('a link to /dev/zero, a FIFO or a folder is refused at once', {
      skip: process.platform === 'win32',
    }, () => {
      const root = tempWorkspace({ 'a.md': '# A\n' });
      mkdirSync(join(root, '.vscode'));
      const settings = join(root, '.vscode', 'settings.json');
      symlinkSync('/dev/zero', settings);
      let r = runBin(['check', root]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /settings\.json: not a regular file/);
      rmSync(settings);
      assert.equal(spawnSync('mkfifo', [settings]).status, 0);
      r = runBin(['check', root]);
      assert.equal(r.signal, null, 'finished without being killed');
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /not a regular file/);
      r = runBin(['check', root, '--config', join(root, '.vscode')]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /not a regular file/);
    });

    it('gate files that cannot be read fail their phase; folders with line breaks or names not UTF-8 are read or told', {
      skip: process.platform === 'win32',
    }, async () => {
      const phase = (criterion: string) =>
        `# Phase 05: Deploy\n\n## Exit Criteria\n\n- [${criterion}] all done\n`;
      const outside = tempWorkspace({ 'exit-gates.yml': 'exit_gates:\n  - criteria: Security sign-off\n' });
      const root = tempWorkspace({
        'a/05-deploy/README.md': phase('x'),
        'b/05-deploy/README.md': phase('x'),
        'd/rel\n2/05-deploy/README.md': phase(' '),
      });
      // A symlink to a gate file outside the workspace folder (not read) and a FIFO.
      symlinkSync(join(outside, 'exit-gates.yml'), join(root, 'a', '05-deploy', 'exit-gates.yml'));
      assert.equal(spawnSync('mkfifo', [join(root, 'b', '05-deploy', 'GATE.yaml')]).status, 0);
      // A folder whose name is Latin-1, not UTF-8.
      const latin = Buffer.concat([
        Buffer.from(join(root, 'c', '05-d')),
        Buffer.from([0xe9]),
        Buffer.from('ploy'),
      ]);
      mkdirSync(latin, { recursive: true });
      writeFileSync(Buffer.concat([latin, Buffer.from('/README.md')]), phase(' '));
      const r = await run(['check', root, '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout);
      const invalid = report.diagnostics
        .filter((f: { code: string }) => f.code === 'invalid-gate-file')
        .map((f: { file: string; message: string }) => `${f.file}: ${f.message}`);
      assert.deepEqual(invalid, [
        'a/05-deploy/exit-gates.yml: Gate file exit-gates.yml cannot be read: a symbolic link to a file outside the workspace folder, which is not read. Its phase cannot be complete until it is fixed.',
        'b/05-deploy/GATE.yaml: Gate file GATE.yaml cannot be read: not a regular file. Its phase cannot be complete until it is fixed.',
      ]);
      for (const w of ['a', 'b'])
        assert.equal(
          report.workflows.find((x: { id: string }) => x.id === w).phases[0].state,
          'current',
          `${w}: an unread gate file keeps its phase open`,
        );
      // The folder named with a line break is read: its workflow and unmet criterion.
      const d = report.workflows.find((x: { id: string }) => x.id === 'd/rel\n2');
      assert.ok(d, JSON.stringify(report.workflows.map((x: { id: string }) => x.id)));
      assert.deepEqual(
        d.phases[0].groups[0].unmet.map((u: { text: string }) => u.text),
        ['all done'],
      );
      // The Latin-1 folder is named in a notice, not silently left out.
      assert.deepEqual(
        report.notices.map((n: { file: string; message: string }) => n.message),
        ['not read: the name of this folder is not valid UTF-8'],
      );
      assert.match(report.notices[0].file, /^c\/05-d\uFFFDploy$/);
    });

    it('a settings file over 1 MB is refused; a file that is not JSON is not quoted', async () => {
      const root = tempWorkspace({ 'a.md': '# A\n', 'big.json': `{"x": "${'y'.repeat(1_100_000)}"}` });
      let r = await run(['check', root, '--config', join(root, 'big.json')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /larger than 1024 KB/);
      writeFileSync(join(root, 'notes.json'), 'PRIVATE-WORDS are not json');
      r = await run(['check', root, '--config', join(root, 'notes.json')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not valid JSON/);
      assert.doesNotMatch(r.stderr, /PRIVATE/);
    });
  });

  it('a reader that stops early (cdp check | head) ends it quietly', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`d${i}.md`] = `# D${i}\n\n[[nowhere-${i}]] [[gone-${i}]]\n`;
    const root = tempWorkspace(files);
    const bin = join(__dirname, '..', '..', 'server', 'out', 'cli.js');
    const child = spawn(process.execPath, [bin, 'check', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'exit')) as [number | null];
    // Nothing but the note that the folder holds no phase document.
    assert.equal(
      stderr.replace(/^cdp: no phase documents in .*: no phase or gate was checked there\n/, ''),
      '',
    );
    assert.equal(code, 0, 'the exit code says what the check found (warnings only)');
  });

  it('control characters in file names cannot forge report lines', async () => {
    const evil = 'evil\nforged.md:1:1 error broken-link fake\u001b[2J.md';
    const root = tempWorkspace({ 'a.md': '# A\n', [evil]: '# Evil\n\n[[nowhere]]\n' });
    const r = await run(['check', root]);
    const lines = r.stdout.split('\n');
    assert.ok(!lines.some((l) => l.startsWith('forged.md')), 'no forged line');
    assert.ok(!r.stdout.includes('\u001b'), 'no terminal escape');
    assert.ok(
      lines.some((l) =>
        l.startsWith('evil\\nforged.md:1:1 error broken-link fake\\u001b[2J.md:3:1 warning broken-link'),
      ),
      r.stdout,
    );
  });

  it('a heading cannot start a line a CI runner reads as a workflow command', async () => {
    const root = tempWorkspace({
      'wf/01-a.md':
        '---\nphase: 1\n---\n# A\n\n## ::error file=README.md,line=1::Forged Gate\n\n## Exit Criteria\n\n- [ ] x\n',
    });
    const r = await run(['check', root, '--phase', '1']);
    const lines = r.stdout.split('\n');
    assert.ok(
      lines.some((l) => l.includes('::error file=README.md')),
      'the heading is shown',
    );
    assert.deepEqual(
      lines.filter((l) => /^\s*::/.test(l)),
      [],
    );
  });
});

describe('cdp check writes its findings as they are found', () => {
  it('every format writes the first findings before the last document is checked, also with a summary', async () => {
    const files: Record<string, string> = {
      'wf/01-diagnose.md': '---\nphase: 01\nname: diagnose\n---\n# Diagnose\n\n## Exit Criteria\n\n- [ ] x\n',
    };
    const docs = 1500;
    for (let i = 0; i < docs; i++)
      files[`notes/note-${String(i).padStart(4, '0')}.md`] =
        `# Note ${i}\n\nSee [[a-page-nobody-has-written-${i}]].\n`;
    const root = tempWorkspace(files);
    const summary = join(tempDir('cdp-summary-'), 'summary.md');
    const runs: { format: string; summary?: boolean; passes?: number }[] = [
      { format: 'text' },
      { format: 'json' },
      { format: 'sarif' },
      { format: 'github' },
      // JUnit's totals come first: it counts the findings in a pass of its own, then writes them.
      { format: 'junit', passes: 2 },
      { format: 'text', summary: true },
      { format: 'json', summary: true },
      { format: 'sarif', summary: true },
    ];
    // The findings line a summary should end with, counted from the JSON report.
    let findingsLine = '';
    for (const { format, summary: withSummary, passes = 1 } of runs) {
      const label = `${format}${withSummary ? ' --summary' : ''}`;
      let checked = 0;
      const original = Analysis.prototype.checkUri;
      Analysis.prototype.checkUri = function (this: Analysis, uri: string) {
        checked++;
        return original.call(this, uri);
      };
      // How many documents were checked when the first finding was written.
      let atFirst: number | undefined;
      let output = '';
      try {
        const code = await main(
          ['check', root, '--format', format, ...(withSummary ? ['--summary', summary] : [])],
          (s) => {
            if (atFirst === undefined && s.includes('a-page-nobody-has-written-')) atFirst = checked;
            output += `${s}\n`;
          },
          () => undefined,
        );
        assert.equal(code, 0, label);
      } finally {
        Analysis.prototype.checkUri = original;
      }
      assert.equal((output.match(/a-page-nobody-has-written-\d+/g) ?? []).length >= docs, true, label);
      // The documents checked in the pass that writes: the first finding came early in it.
      const perPass = checked / passes;
      assert.ok(
        atFirst !== undefined && atFirst - perPass * (passes - 1) < perPass / 2,
        `${label}: ${atFirst} of ${checked} checked first`,
      );
      if (format === 'json' && !withSummary) {
        const n = (severity: string) =>
          (JSON.parse(output) as { diagnostics: { severity: string }[] }).diagnostics.filter(
            (d) => d.severity === severity,
          ).length;
        assert.equal(n('warning'), docs);
        findingsLine = `Findings: ${n('error')} errors, ${n('warning')} warnings, ${n('information')} information.\n`;
      }
      if (withSummary) {
        // The summary counts the findings the report wrote, without checking them again.
        assert.equal(checked, docs + 1, `${label}: each document checked once`);
        assert.ok(readFileSync(summary, 'utf8').endsWith(findingsLine), label);
      }
    }
  });
});

describe('cdp check of a workspace without phase documents', () => {
  it('says what a phase document is, and names the folders named like phases that hold documents', async () => {
    const root = tempWorkspace({
      'docs/guide/01-intro/start.md': '---\nddx:\n  id: guide.start\n---\n# Start\n',
      'docs/guide/01-intro/more/next.md': '# Next\n',
      'docs/guide/02-usage/usage.md': '# Usage\n',
      'notes/todo.md': '# Todo\n',
    });
    const r = await run(['check', root]);
    assert.equal(r.code, 0, r.stderr);
    // (naming the path given, as every other format does)
    assert.ok(
      r.stdout.startsWith(
        `No phase documents found in ${root}. A phase document is a markdown file named like 01-diagnose.md, or the README.md of a phase folder`,
      ),
      r.stdout,
    );
    const cwd = process.cwd();
    try {
      process.chdir(root);
      assert.match((await run(['check'])).stdout, /^No phase documents found\. A phase document/);
      // (the current folder is not named, and a name ending in `.` gets no second one)
      for (const here of ['.', './'])
        assert.match((await run(['check', here])).stdout, /^No phase documents found\. A phase document/);
      assert.match(
        (await run(['check', 'docs/guide/'])).stdout,
        /^No phase documents found in docs\/guide\. A phase/,
      );
      assert.match(
        (await run(['check', 'docs/guide/.'])).stdout,
        /^No phase documents found in docs\/guide\/\. A phase/,
      );
    } finally {
      process.chdir(cwd);
    }
    assert.match(
      r.stdout,
      /\nNamed like phases but showing no phase \(no criteria, title or chain\): docs\/guide\/01-intro, docs\/guide\/02-usage\.\n/,
    );
    // Folders named as a known workflow's phases (HELIX's filled documents) are its phases.
    const helixRoot = tempWorkspace({
      'docs/helix/01-frame/prd.md': '# PRD\n\nFor [the design](../02-design/architecture.md).\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    const helix = await run(['check', helixRoot]);
    assert.equal(helix.code, 0, helix.stderr);
    assert.match(
      helix.stdout,
      /^Workflow docs\/helix: current phase 01 Frame\n {2}▶ 01 Frame {2}0\/0 {2}current {2}docs\/helix\/01-frame\/\n.*\n {2}◐ 02 Design {2}0\/0 {2}in progress {2}docs\/helix\/02-design\/\n/,
    );
    // One of those folders checked alone: the root is the folder holding them, where the
    // link to the other folder resolves.
    const one = await run(['check', join(helixRoot, 'docs/helix/01-frame'), '--format', 'json']);
    assert.equal(one.code, 0, one.stderr);
    const report = JSON.parse(one.stdout);
    assert.equal(report.root, join(helixRoot, 'docs/helix'));
    assert.deepEqual(report.diagnostics, []);
    assert.deepEqual(
      report.workflows[0].phases.map((p: { file: string }) => p.file),
      ['01-frame/', '02-design/'],
    );
    // A gate of such a phase fails (no criteria) at the folder, which has no lines: GitHub's
    // annotation stands on the run, JUnit and SARIF name the folder without a line.
    const github = await run(['check', helixRoot, '--phase', '02', '--format', 'github']);
    assert.equal(github.code, 1);
    assert.match(github.stdout, /^::error title=Gate failed%3A docs\/helix 02 Design::/m);
    assert.doesNotMatch(github.stdout, /file=docs\/helix\/02-design/);
    const junit = await run(['check', helixRoot, '--phase', '02', '--format', 'junit']);
    assert.match(junit.stdout, /<testcase name="\(no criteria\)" [^>]*file="docs\/helix\/02-design\/">/);
    const sarif = JSON.parse((await run(['check', helixRoot, '--phase', '02', '--format', 'sarif'])).stdout);
    const location = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'gate-failed')
      .locations[0];
    assert.deepEqual(location.physicalLocation, {
      artifactLocation: { uri: 'docs/helix/02-design/', uriBaseId: '%SRCROOT%' },
    });
    const html = await run(['report', helixRoot, '--out', join(helixRoot, 'report.html')]);
    assert.equal(html.code, 0, html.stderr);
    const page = readFileSync(join(helixRoot, 'report.html'), 'utf8');
    assert.match(page, /href="docs\/helix\/01-frame\/"/);
    // Not ready, and why: nothing to check (the release, HELIX's 05 Deploy, is not written yet).
    assert.match(
      page,
      /05 Deploy is not written yet: readiness covers the phases up to it\. No entry, exit or gate criteria to check\./,
    );
    assert.match(page, /No item blocks the release, and none shows it ready\./);
    assert.doesNotMatch(page, /Nothing blocks the release/);
    // Not beside a numbered folder of another name (a tutorial's `01-intro/`): checked as itself.
    const tutorial = tempWorkspace({
      'docs/01-intro/start.md': '# Start\n',
      'docs/02-design/shapes.md': '# Shapes\n',
      'docs/03-test/quiz.md': '# Quiz\n',
    });
    const lesson = await run(['check', join(tutorial, 'docs/02-design'), '--format', 'json']);
    assert.equal(JSON.parse(lesson.stdout).root, join(tutorial, 'docs/02-design'));
    const none = await run(['check', tempWorkspace({ 'notes/todo.md': '# Todo\n' })]);
    assert.doesNotMatch(none.stdout, /Named like phases/);
    // A numbered file is a phase by its name, criteria or not.
    const chained = await run([
      'check',
      tempWorkspace({
        'wf/01-start.md': '# Start\n\n## Next Phase\n\n[Finish](02-finish.md)\n',
        'wf/02-finish.md': '# Finish\n\n## Exit Criteria\n\n- [ ] shipped\n',
      }),
    ]);
    // With no criteria it is not complete: it says so (as its gate check does).
    assert.match(
      chained.stdout,
      /^Workflow wf: current phase 01 Start\n {2}▶ 01 Start {2}0\/0 {2}current {2}wf\/01-start\.md\n {8}\(the phase has no entry, exit or gate group\)$/m,
    );
    // A HELIX phase folder of documents only: its gate check says where a gate would be written.
    const folders = await run([
      'check',
      tempWorkspace({
        'docs/helix/01-frame/prd.md': '# PRD\n',
        'docs/helix/02-design/architecture.md': '# Architecture\n',
      }),
      '--phase',
      '01',
    ]);
    assert.match(
      folders.stdout,
      /FAILED docs\/helix 01 Frame: no groups \(0\/0\)\n {6}the phase has no entry, exit or gate group\n {6}its folder docs\/helix\/01-frame\/ has no README\.md and no gate file \(input-gates\.yml, exit-gates\.yml or GATE\.yaml\) saying what its gate is\n/,
    );
    // Checklists under headings of another language: where to name them is said.
    const german = await run([
      'check',
      tempWorkspace({
        'de/01-diagnose.md':
          '---\nphase: "01"\n---\n# Diagnose\n\n## Eingangskriterien\n\n- [x] a\n\n## Ausgangskriterien\n\n- [ ] b\n',
      }),
    ]);
    assert.match(
      german.stdout,
      /\(the phase has no entry, exit or gate group; to count the checklists under "Eingangskriterien", "Ausgangskriterien" as criteria, add their headings to cdp\.groups\.entry, cdp\.groups\.exit or cdp\.groups\.gate\)/,
    );
  });

  it('paths that hold no phase document of a workspace that has some are named as what holds none', async () => {
    const root = tempWorkspace({
      'wf/01-plan.md': '# Plan\n\n## Exit Criteria\n\n- [ ] planned\n',
      'wf/notes.md': '# Notes\n',
      'misc/todo.md': '# Todo\n',
    });
    const r = await run(['check', join(root, 'wf/notes.md'), join(root, 'misc'), '--root', root]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout.split('\n')[0],
      `No phase document in ${join(root, 'wf/notes.md')}, ${join(root, 'misc')}: the workspace's phase documents are elsewhere (workflow wf). Name a phase document or a folder that holds some; with no path, the whole folder is checked.`,
    );
    assert.doesNotMatch(r.stdout, /No phase documents found/);
  });

  it('a path given inside a folder the index does not read says so', async () => {
    const root = tempWorkspace({
      'docs/01-plan.md': '# Plan\n\n## Exit Criteria\n\n- [ ] planned\n',
      '.github/docs/01-ci.md': '# CI\n\n## Exit Criteria\n\n- [ ] green\n',
    });
    const r = await run(['check', join(root, '.github/docs/01-ci.md'), '--root', root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Not read: .*\.github\/docs\/01-ci\.md \(excluded by cdp\.files\.exclude; dot-folders and node_modules are by default\)/,
    );
    // A path that is read: no such line.
    const ok = await run(['check', join(root, 'docs'), '--root', root]);
    assert.doesNotMatch(ok.stdout, /Not read/);
  });

  it('a phase folder given as the path is checked in the folder that holds it', async () => {
    const root = tempWorkspace({
      'proj/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD written\n',
      'proj/02-design/README.md':
        '# Design\n\nAfter [frame](../01-frame/README.md).\n\n## Exit Criteria\n\n- [ ] ADR\n',
    });
    for (const path of ['proj/02-design', 'proj/02-design/README.md']) {
      const r = await run(['check', join(root, path), '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.root, join(root, 'proj'), path);
      assert.deepEqual(
        report.workflows[0].phases.map((p: { phase: string }) => p.phase),
        ['01', '02'],
        path,
      );
      // The link out of the phase folder is inside the workspace now.
      assert.deepEqual(
        report.diagnostics.map((d: { code: string }) => d.code),
        ['unmet-criterion'],
        path,
      );
    }
    // A numbered folder that is no phase folder (nothing a phase folder holds) stays the root.
    const notes = tempWorkspace({ '2026-notes/a.md': '# A\n' });
    const r = await run(['check', join(notes, '2026-notes'), '--format', 'json']);
    assert.equal(JSON.parse(r.stdout).root, join(notes, '2026-notes'));
    // Unless it lies beside phase folders: checked from there, it is told why it is no
    // phase (the phase after them lacks its phase document); one far from them is a folder
    // of documents.
    const retro = tempWorkspace({
      'proj/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD written\n',
      'proj/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] ADR\n',
      'proj/03-build/b.md': '# Build notes\n',
      'proj/07-retro/summary.md': '# Summary\n',
    });
    for (const [dir, codes] of [
      ['03-build', ['phase-chain 03-build/b.md']],
      ['07-retro', []],
    ] as const) {
      const beside = await run(['check', join(retro, 'proj', dir), '--format', 'json']);
      const report = JSON.parse(beside.stdout);
      assert.equal(report.root, join(retro, 'proj'));
      assert.deepEqual(
        report.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`),
        codes,
      );
    }
  });
});

describe('cdp check, report and graph of a folder whose gate files name paths from above it', () => {
  const repo = () =>
    tempWorkspace({
      '.vscode/settings.json': '{ "cdp.rules": { "unmet-criterion": "warning" } }',
      '.cdp/confirmations.yml':
        '- file: docs/helix/01-frame/exit-gates.yml\n  item: Sponsor agrees\n  by: Ada\n',
      'notes/elsewhere.md': '# Elsewhere\n\n[gone](missing.md)\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Goals\n',
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: PRD written\n    evidence: docs/helix/01-frame/prd.md#goals\n  - criteria: Sponsor agrees\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n',
      'docs/helix/02-design/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/02-design/adr.md\n    - check: file_exists\n      path: "docs/helix/**/prd.md"\n',
    });
  const said = (root: string) =>
    `cdp: root ${root} (gate files' paths are relative to it); --root overrides\n`;

  it('cdp check takes the folder the paths are relative to as the root, and reports only on the paths given', async () => {
    const root = repo();
    const r = await run(['check', join(root, 'docs/helix'), '--format', 'json']);
    assert.equal(r.stderr, said(root));
    const report = JSON.parse(r.stdout);
    assert.equal(report.root, root);
    // The evidence and the confirmation (from the root) pass: phase 01 is complete.
    assert.deepEqual(
      report.workflows[0].phases.map((p: { phase: string; complete: boolean }) => [p.phase, p.complete]),
      [
        ['01', true],
        ['02', false],
      ],
    );
    // Settings from the root; nothing of notes/ (outside the path given).
    assert.deepEqual(
      report.diagnostics.map((d: { file: string; code: string; severity: string; message: string }) => [
        d.file,
        d.code,
        d.severity,
        d.message.replace(/^.* — /, ''),
      ]),
      [
        [
          'docs/helix/02-design/GATE.yaml',
          'unmet-criterion',
          'warning',
          'docs/helix/02-design/adr.md does not exist',
        ],
      ],
    );
    // `.` inside the folder too.
    const cwd = process.cwd();
    try {
      process.chdir(join(root, 'docs/helix'));
      const here = await run(['check', '.', '--format', 'json']);
      assert.equal(here.stderr, said(root));
      assert.equal(JSON.parse(here.stdout).root, root);
    } finally {
      process.chdir(cwd);
    }
  });

  it('--root keeps the root given, and gate files naming different roots keep the default, saying so', async () => {
    const root = repo();
    const given = await run([
      'check',
      join(root, 'docs/helix'),
      '--root',
      join(root, 'docs/helix'),
      '--format',
      'json',
    ]);
    assert.equal(given.stderr, '');
    assert.equal(JSON.parse(given.stdout).root, join(root, 'docs/helix'));
    assert.match(given.stdout, /docs\/helix\/01-frame\/prd\.md does not exist/);
    // A gate file whose path is relative to docs/helix itself.
    writeFileSync(
      join(root, 'docs/helix/02-design/GATE.yaml'),
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: 02-design/adr.md\n',
    );
    const mixed = await run(['check', join(root, 'docs/helix'), '--format', 'json']);
    assert.equal(
      mixed.stderr,
      `cdp: root kept at ${join(root, 'docs/helix')}: gate files' paths are relative to different folders (${root}, ${join(root, 'docs/helix')}); --root sets one\n`,
    );
    assert.equal(JSON.parse(mixed.stdout).root, join(root, 'docs/helix'));
  });

  it("takes the root from a gate path into a sibling phase's folder, as from its own", async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n',
      'docs/helix/02-design/GATE.yaml':
        'entry_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n',
    });
    const r = await run(['check', join(root, 'docs/helix'), '--phase', '02', '--format', 'json']);
    assert.equal(r.stderr, said(root));
    assert.equal(r.code, 0, r.stdout);
    assert.equal(JSON.parse(r.stdout).root, root);
  });

  it('cdp report and cdp graph take the same root', async () => {
    const root = repo();
    const out = join(tempDir('cdp-report-'), 'report.html');
    const report = await run(['report', join(root, 'docs/helix'), '--out', out, '--history', '0']);
    assert.equal(report.code, 0, report.stderr);
    assert.equal(report.stderr, said(root));
    assert.match(readFileSync(out, 'utf8'), /docs\/helix\/02-design\/adr\.md does not exist/);
    const graph = await run(['graph', join(root, 'docs/helix')]);
    assert.equal(graph.code, 0, graph.stderr);
    assert.equal(graph.stderr, said(root));
    const files = JSON.parse(graph.stdout).nodes.map((n: { file: string }) => n.file);
    assert.ok(files.length > 0 && files.every((f: string) => f.startsWith('docs/helix/')), files.join(' '));
  });
});

describe('cdp check with gate files', () => {
  const files = {
    'docs/helix/04-build/README.md': '# Phase 04: Build\n',
    'docs/helix/04-build/GATE.yaml': [
      'exit_requirements:',
      '  automated:',
      '    - check: tests_passing',
      '      command: "node -e \\"console.log(\'all green\')\\""',
      '      description: "Tests pass"',
      '    - check: lint_clean',
      '      command: "node -e \\"console.error(\'3 problems\'); process.exit(2)\\""',
      '      description: "Lint clean"',
      '    - check: file_exists',
      '      path: docs/helix/04-build/notes.md',
      '      description: "Build notes"',
      '',
    ].join('\n'),
  };

  it('reports commands as not evaluated by default, with the gate file, state and reason in JSON', async () => {
    const root = tempWorkspace(files);
    const r = await run(['check', root, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const w = report.workflows[0];
    assert.equal(w.definition, false);
    const g = w.phases[0].groups[0];
    assert.equal(g.file, 'docs/helix/04-build/GATE.yaml');
    assert.deepEqual(
      g.unmet.map((u: { line: number; state: string; file: string }) => [u.line, u.state, u.file]),
      [
        [3, 'not-evaluated', 'docs/helix/04-build/GATE.yaml'],
        [6, 'not-evaluated', 'docs/helix/04-build/GATE.yaml'],
        [9, 'failed', 'docs/helix/04-build/GATE.yaml'],
      ],
    );
    assert.equal(g.unmet[2].reason, 'docs/helix/04-build/notes.md does not exist');
    const d = report.diagnostics.filter((x: { code: string }) => x.code === 'unmet-criterion');
    assert.deepEqual(
      d.map((x: { file: string; line: number }) => `${x.file}:${x.line}`),
      [
        'docs/helix/04-build/GATE.yaml:3',
        'docs/helix/04-build/GATE.yaml:6',
        'docs/helix/04-build/GATE.yaml:9',
      ],
    );
  });

  it('points CI formats at the gate file line of a failed gate item', async () => {
    const root = tempWorkspace(files);
    const gh = await run(['check', root, '--root', root, '--phase', '04', '--format', 'github']);
    assert.equal(gh.code, 1);
    assert.match(
      gh.stdout,
      /::error file=[^,]*docs\/helix\/04-build\/GATE\.yaml,line=9,title=Gate failed[^:]*::Exit Requirements: Build notes \(docs\/helix\/04-build\/notes\.md does not exist\)/,
    );
    const junit = await run(['check', root, '--format', 'junit']);
    assert.match(
      junit.stdout,
      /<testcase name="Build notes \(GATE\.yaml:9\)"[^>]*file="docs\/helix\/04-build\/GATE\.yaml" line="9"/,
    );
  });

  it('--run-commands runs them, each with its output in the report', async () => {
    const root = tempWorkspace(files);
    const r = await run(['check', root, '--format', 'json', '--run-commands', '--command-timeout', '60']);
    const g = JSON.parse(r.stdout).workflows[0].phases[0].groups[0];
    assert.equal(g.checked, 1, JSON.stringify(g));
    const lint = g.unmet.find((u: { text: string }) => u.text === 'Lint clean');
    assert.equal(lint.state, 'failed');
    assert.match(lint.output, /3 problems/);
    const text = await run(['check', root, '--run-commands']);
    assert.match(
      text.stdout,
      /\[ \] Lint clean — `node -e .*` failed \(exit 2\)\s+docs\/helix\/04-build\/GATE\.yaml:6/,
    );
    assert.match(text.stdout, /\| 3 problems/);
  });

  it("--run-commands runs no command a declarative check holds: its own check answers, the command's result would be read by nothing", async () => {
    const root = tempWorkspace({
      'p/01-a/README.md': '# Phase 01: A\n',
      'p/01-a/GATE.yaml':
        "exit_requirements:\n  automated:\n    - check: file_exists\n      path: p/01-a/README.md\n      command: \"node -e \\\"require('fs').writeFileSync('declared.txt', 'ran')\\\"\"\n    - check: tests_passing\n      command: \"node -e \\\"require('fs').writeFileSync('tests.txt', 'ran')\\\"\"\n",
    });
    const r = await run(['check', root, '--format', 'json', '--run-commands']);
    const items = JSON.parse(r.stdout).workflows[0].phases[0].groups[0];
    assert.equal(items.checked, 2, JSON.stringify(items));
    assert.equal(existsSync(join(root, 'tests.txt')), true, 'the command check ran');
    assert.equal(existsSync(join(root, 'declared.txt')), false, "file_exists's command did not run");
  });

  it('--run-commands: tests_failing is met by failing tests, coverage_threshold compares the percentage, a background child does not hold the run', async () => {
    const node = (js: string) => `node -e \\"${js}\\"`;
    const check = (type: string, command: string, extra = '') =>
      `    - check: ${type}\n      command: "${command}"\n${extra}      description: "${type} ${command.length}"\n`;
    const root = tempWorkspace({
      'p/01-a/README.md': '# Phase 01: A\n',
      'p/01-a/GATE.yaml': `exit_requirements:\n  automated:\n${[
        check('tests_failing', node('process.exit(1)')),
        check('tests_failing', node('process.exit(0)')),
        check(
          'coverage_threshold',
          node("console.log('lines 42.5% statements 91%')"),
          '      threshold: 80\n',
        ),
        check('coverage_threshold', node("console.log('coverage 42%')"), '      threshold: 80\n'),
        check('coverage_threshold', node("console.log('no figures')"), '      threshold: 80\n'),
        check('tests_passing', 'sleep 30 & echo started'),
        // a child of a session of its own (out of reach of the process group) holds the output open
        check('tests_passing', 'setsid sleep 25 & sleep 0.2; echo started'),
        check('tests_failing', 'no-such-command-cdp-test'),
        // The tests ran and failed; only the last fallback is missing.
        check('tests_failing', `${node('process.exit(1)')} || no-such-command-cdp-test`),
        // No part could be run.
        check('tests_failing', 'no-such-command-cdp-test || no-such-command-cdp-other'),
        // Quoted, `||` is no fallback.
        check('tests_failing', "no-such-command-cdp-test '||' x"),
        // A NUL (YAML's `\0`): no shell can be started with it.
        check('tests_passing', 'echo hi\\0there'),
      ].join('')}`,
    });
    const started = Date.now();
    const r = await run(['check', root, '--format', 'json', '--run-commands', '--command-timeout', '20']);
    assert.ok(Date.now() - started < 15_000, 'the background sleep did not hold the run');
    const g = JSON.parse(r.stdout).workflows[0].phases[0].groups[0];
    const unmet = g.unmet.map((u: { state: string; reason: string }) => `${u.state}: ${u.reason}`);
    // Node's own words for the NUL: only that it names it.
    assert.match(unmet.pop(), /^failed: `echo hi\u0000there` could not be started: .*null bytes/);
    assert.deepEqual(unmet, [
      'failed: `node -e "process.exit(0)"` passed: the tests must fail first',
      'failed: 42% is below 80%',
      'not-evaluated: its output names no percentage to compare with 80%',
      'failed: `no-such-command-cdp-test` could not be run (exit 127)',
      'failed: `no-such-command-cdp-test || no-such-command-cdp-other` could not be run (exit 127)',
      "failed: `no-such-command-cdp-test '||' x` could not be run (exit 127)",
    ]);
    // The fallback whose tests ran and failed is met.
    assert.equal(g.checked, 5, JSON.stringify(g));
  });

  it('a gate file group is "unmet" and a checklist "unticked", in the JSON reasons and the text of a gate check', async () => {
    const root = tempWorkspace({
      'p/01-a/README.md': '# Phase 01: A\n\n## Exit Criteria\n\n- [x] one\n- [ ] two\n',
      'p/01-a/exit-gates.yml':
        'exit_gates:\n  - criteria: PRD\n    evidence: docs/prd.md\n  - criteria: Sponsor\n    evidence: sponsor ok\n  - criteria: Risks\n    required: false\n    evidence: docs/risks.md\n',
    });
    const r = await run(['check', root, '--format', 'json']);
    const [phase] = JSON.parse(r.stdout).workflows[0].phases;
    assert.deepEqual(phase.reasons, ['Exit Criteria: 1 of 2 unticked', 'Exit Gates: 2 of 2 required unmet']);
    assert.deepEqual(
      phase.groups.map((g: { reason: string }) => g.reason),
      ['Exit Criteria: 1 of 2 unticked', 'Exit Gates: 2 of 2 required unmet'],
    );
    const text = (await run(['check', root, '--gate', 'exit'])).stdout;
    assert.match(text, /^ {6}Exit Criteria: 1 of 2 unticked$/m);
    assert.match(text, /^ {6}Exit Gates: 2 of 2 required unmet$/m);
  });

  it('--run-commands stops a command that runs too long', async () => {
    const root = tempWorkspace({
      'p/01-a/README.md': '# Phase 01: A\n',
      'p/01-a/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: tests_passing\n      command: "node -e \\"setTimeout(() => {}, 60000)\\""\n',
    });
    const started = Date.now();
    const r = await run(['check', root, '--format', 'json', '--run-commands', '--command-timeout', '1']);
    assert.ok(Date.now() - started < 30_000);
    const u = JSON.parse(r.stdout).workflows[0].phases[0].groups[0].unmet[0];
    assert.equal(u.state, 'failed');
    assert.match(u.output, /stopped after 1 s/);
    // Said as a time-out, not as the command failing.
    assert.equal(
      u.reason,
      '`node -e "setTimeout(() => {}, 60000)"` timed out after 1 s (`--command-timeout`)',
    );
  });
});

describe('cdp check: two gate files of one form in a phase folder', () => {
  const files = {
    'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
    'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual: ["Sponsor agrees"]\n',
    'docs/helix/01-frame/GATE.yml': 'exit_requirements:\n  manual: ["Budget approved", "Team named"]\n',
    'docs/helix/01-frame/input-gates.yml': 'input_gates:\n  - criteria: Charter written\n',
    'docs/helix/02-design/README.md': '# Phase 02: Design\n',
    'docs/helix/02-design/exit-gates.yml': 'exit_gates:\n  - criteria: Design reviewed\n',
  };

  it('names their groups with their file in text and JSON; a name no other group has stays as it was', async () => {
    const root = tempWorkspace(files);
    const text = await run(['check', root]);
    assert.match(text.stdout, /\n {8}Exit Requirements \(GATE\.yaml\) \(exit\) 0\/1\n/);
    assert.match(text.stdout, /\n {8}Exit Requirements \(GATE\.yml\) \(exit\) 0\/2\n/);
    assert.match(text.stdout, /\n {8}Input Gates \(entry\) 0\/1\n/);
    assert.doesNotMatch(text.stdout, /Exit Requirements \(exit\)/);
    assert.match(text.stdout, /Unmet exit criterion \(Exit Requirements \(GATE\.yml\)\): Team named/);
    const json = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
    const groups = (n: number) =>
      json.workflows[0].phases[n].groups.map((g: { heading: string; file?: string }) => [g.heading, g.file]);
    assert.deepEqual(groups(0), [
      ['Input Gates', 'docs/helix/01-frame/input-gates.yml'],
      ['Exit Requirements (GATE.yaml)', 'docs/helix/01-frame/GATE.yaml'],
      ['Exit Requirements (GATE.yml)', 'docs/helix/01-frame/GATE.yml'],
    ]);
    assert.deepEqual(groups(1), [['Exit Gates', 'docs/helix/02-design/exit-gates.yml']]);
    // Either is selected by its name, both by the name they share.
    const gate = async (g: string) =>
      JSON.parse((await run(['check', root, '--phase', '01', '--gate', g, '--format', 'json'])).stdout);
    const selected = (r: { gates: { groups: string[] }[] }) => r.gates.flatMap((v) => v.groups);
    assert.deepEqual(selected(await gate('Exit Requirements (GATE.yml)')), ['Exit Requirements (GATE.yml)']);
    assert.deepEqual(selected(await gate('Exit Requirements')), [
      'Exit Requirements (GATE.yaml)',
      'Exit Requirements (GATE.yml)',
    ]);
  });
});

describe('cdp check of a workflow at the top of the folder checked', () => {
  it('names it by the folder as written, not as its URI encodes it', async () => {
    const doc = phaseDoc({ title: 'Diagnose', phase: '01', body: '## Exit Criteria\n\n- [ ] x\n' });
    for (const name of ['my wf', 'café ✓', '100%']) {
      const root = tempWorkspace({ [`${name}/01-diagnose.md`]: doc });
      const text = await run(['check', join(root, name)]);
      assert.match(
        text.stdout,
        new RegExp(`^Workflow ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: current phase 01`, 'm'),
        name,
      );
      const json = JSON.parse((await run(['check', join(root, name), '--format', 'json'])).stdout);
      assert.deepEqual(
        json.workflows.map((w: { id: string }) => w.id),
        [name],
        name,
      );
      // The same id as from the folder above, where it is a sub-folder.
      const above = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
      assert.deepEqual(
        above.workflows.map((w: { id: string }) => w.id),
        [name],
        name,
      );
    }
  });
});

describe('cdp check of paths that cannot be read', () => {
  const doc = phaseDoc({ title: 'Diagnose', phase: '01', body: '## Exit Criteria\n\n- [ ] x\n' });
  const bin = join(__dirname, '..', '..', 'server', 'out', 'cli.js');
  /**
   * The built CLI as a user the modes below bind (root reads any file): `setpriv` to nobody
   * when root, running a copy of the bundle at `copy` (the checkout's folders may be closed
   * to other users).
   */
  const asUserIn = (args: string[], cwd: string, copy: string) => {
    const root = process.getuid?.() === 0;
    const cli = root ? join(copy, 'cli.js') : bin;
    const cmd = root ? 'setpriv' : process.execPath;
    const argv = root
      ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, ...args]
      : [cli, ...args];
    return spawnSync(cmd, argv, { cwd, encoding: 'utf8' });
  };

  it('a folder inside that cannot be listed is a notice; one given or the root is an error (exit 2)', () => {
    const root = tempWorkspace({ 'ok/01-diagnose.md': doc, 'locked/01-diagnose.md': doc });
    chmodSync(root, 0o755);
    // The other user passes through the folders above it (a test runner's scratch folder is
    // its owner's alone): allowed to pass, not to list, for the test's time.
    const opened: [string, number][] = [];
    for (let d = dirname(root); d !== dirname(d); d = dirname(d)) {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        chmodSync(d, mode | 0o001);
        opened.push([d, mode]);
      }
    }
    for (const d of ['ok', 'locked']) chmodSync(join(root, d), 0o755);
    for (const f of ['ok/01-diagnose.md', 'locked/01-diagnose.md']) chmodSync(join(root, f), 0o644);
    chmodSync(join(root, 'locked'), 0o700);
    const copy = `${root}-cli`;
    cpSync(dirname(bin), copy, { recursive: true });
    chmodSync(copy, 0o755);
    const asUser = (args: string[], cwd: string) => asUserIn(args, cwd, copy);
    try {
      const probe = asUser(['--help'], root);
      assert.equal(probe.status, 0, `the CLI runs as another user: ${probe.stderr}${probe.error ?? ''}`);
      const whole = asUser(['check', '.', '--format', 'json'], root);
      assert.equal(whole.status, 0, whole.stderr);
      const report = JSON.parse(whole.stdout);
      assert.deepEqual(
        report.workflows.map((w: { id: string }) => w.id),
        ['ok'],
      );
      assert.deepEqual(report.notices, [
        { file: 'locked', message: 'cannot list folder: permission denied' },
      ]);
      for (const args of [
        ['check', 'locked'],
        ['check', '--root', '.', 'locked'],
      ]) {
        const r = asUser(args, root);
        assert.equal(r.status, 2, args.join(' '));
        assert.match(r.stderr, /^cdp: cannot read .*locked: permission denied$/m, args.join(' '));
      }
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
      for (const [d, mode] of opened) chmodSync(d, mode);
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a pipe given as a path is refused, never opened', () => {
    const root = tempWorkspace({ 'wf/01-diagnose.md': doc });
    assert.equal(spawnSync('mkfifo', [join(root, 'wf', '03-treat.md')]).status, 0);
    const r = spawnSync(process.execPath, [bin, 'check', join(root, 'wf', '03-treat.md')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*03-treat\.md: not a regular file or folder/);
  });

  it('a folder whose name starts with two dots is inside the root', async () => {
    const root = tempWorkspace({ 'dd/main/01-diagnose.md': doc, 'dd/..drafts/01-diagnose.md': doc });
    const settings = { 'cdp.files.exclude': [] };
    const config = join(root, 'settings.json');
    writeFileSync(config, JSON.stringify(settings));
    const r = await run([
      'check',
      '--root',
      join(root, 'dd'),
      join(root, 'dd', '..drafts'),
      '--config',
      config,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Workflow \.\.drafts: current phase 01/m);
    // Without --root the common folder of the two is theirs, not the one above it.
    const both = await run([
      'check',
      join(root, 'dd', 'main'),
      join(root, 'dd', '..drafts'),
      '--config',
      config,
      '--format',
      'json',
    ]);
    assert.equal(JSON.parse(both.stdout).root, join(root, 'dd'));
  });
});
