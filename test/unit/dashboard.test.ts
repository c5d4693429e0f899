import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildDashboard, phaseStates } from '../../server/src/core/dashboard';
import { checkGate, selectGate } from '../../server/src/core/gate';
import { relativePath } from '../../server/src/core/paths';
import { type JsonReport, type JsonWorkflow, workflowJson } from '../../server/src/core/report';
import { allComplete, missingPhases } from '../../server/src/core/workflow';
import { renderDashboardBody, renderDashboardPage, scriptJson } from '../../server/src/dashboard/render';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';
import { check, phaseDoc, ROOT } from '../helpers/memory-workspace';

type Phase = JsonWorkflow['phases'][number];

/** A phase from its groups written as `kind checked/total`, e.g. `exit 1/2`. */
function phase(id: string, ...groups: string[]): Phase {
  const gs = groups.map((spec, i) => {
    const [kind, counts] = spec.split(' ');
    const [checked, total] = counts.split('/').map(Number);
    const unmet = Array.from({ length: total - checked }, (_, k) => ({
      text: `${kind} item ${k}`,
      line: 10 * i + k + 2,
    }));
    return {
      heading: `${kind} group`,
      kind,
      line: 10 * i + 1,
      total,
      checked,
      passed: checked === total,
      unmet,
    };
  });
  return {
    phase: id,
    name: `Phase ${id}`,
    file: `wf/${id}.md`,
    // as the report writes it: a group with no items never passes
    complete: gs.every((g) => g.total > 0 && g.checked === g.total),
    groups: gs,
  };
}

const wf = (...phases: Phase[]): JsonWorkflow => ({ id: 'wf', phases });

describe('dashboard view model', () => {
  it('gives each phase its state (passed, current, in progress, not started) and marks failing gates', () => {
    const states = (w: JsonWorkflow) =>
      phaseStates(w).map((s) => `${s.state}${s.failingGates ? ' · failing gates' : ''}`);
    assert.deepEqual(states(wf(phase('01', 'exit 2/2'), phase('02', 'exit 1/2'), phase('03', 'exit 0/1'))), [
      'passed',
      'current',
      'not-started',
    ]);
    // Work moved on while 01's exit criteria are unmet: 01 stays current, with failing gates.
    assert.deepEqual(states(wf(phase('01', 'exit 1/2'), phase('02', 'checklist 1/3'))), [
      'current · failing gates',
      'in-progress',
    ]);
    // A phase after the current one nobody started is not started, its gates failing as well.
    assert.deepEqual(states(wf(phase('01', 'exit 1/2'), phase('02', 'exit 0/1'), phase('03', 'exit 1/2'))), [
      'current · failing gates',
      'not-started · failing gates',
      'in-progress',
    ]);
    // An open checklist keeps a phase current without failing it.
    assert.deepEqual(
      states(wf(phase('01', 'exit 2/2', 'checklist 0/1'), phase('02', 'exit 1/1', 'checklist 0/1'))),
      ['current', 'in-progress'],
    );
    // A gate with no criteria can never pass, even when everything else is checked.
    assert.deepEqual(states(wf(phase('01', 'exit 1/1', 'gate 0/0'))), ['current · failing gates']);
    // The state a report gives is the one shown.
    const given = wf(
      { ...phase('01', 'exit 0/1'), state: 'current', failingGates: true },
      phase('02', 'exit 0/1'),
    );
    assert.deepEqual(states(given), ['current · failing gates', 'not-started']);
  });

  it('a phase the workflow skips blocks readiness and is named where all phases read complete', () => {
    assert.deepEqual(missingPhases(['01', '02', '04', '05']), ['03']);
    assert.deepEqual(missingPhases(['00', '03']), ['01', '02']);
    assert.deepEqual(missingPhases(['01', '02', '03']), []);
    assert.deepEqual(missingPhases(['2', '5']), ['3', '4']);
    assert.deepEqual(missingPhases(['01', 'x', '03']), ['02']);
    assert.deepEqual(missingPhases(['01']), []);
    assert.equal(allComplete(['01', '02']), 'all phases complete');
    assert.equal(allComplete(['01', '02', '04']), 'all its phases complete, but phase 03 has no document');
    const gap = wf(
      phase('01', 'exit 1/1'),
      phase('02', 'exit 1/1'),
      phase('04', 'exit 1/1'),
      phase('05', 'exit 1/1'),
    );
    const view = buildDashboard('/ws', [gap], () => 3).workflows[0];
    assert.equal(view.readiness.ready, false);
    assert.deepEqual(view.blocking, [
      {
        phase: '03',
        group: 'Phase document',
        kind: 'phase',
        text: '(missing)',
        file: 'wf/04.md',
        line: 1,
        reason: 'the workflow skips this phase: no document for it',
      },
    ]);
    // Readiness up to a phase before the gap is not held up by it.
    assert.equal(buildDashboard('/ws', [gap], () => 1).workflows[0].readiness.ready, true);
  });

  it('the report header words a complete workflow as the text report does: written so far, or all', async () => {
    const done = (n: string, name: string) =>
      `# ${name}\n---\nphase: "${n}"\n---\n\n## Exit Criteria\n\n- [x] done\n`;
    const root = tempWorkspace({
      'q4/01-diagnose.md': done('01', 'Diagnose'),
      'q4/02-prescribe.md': done('02', 'Prescribe'),
      'q4/03-treat.md': done('03', 'Treat'),
      'q4/04-monitor.md': done('04', 'Monitor'),
      'own/01-plan.md': done('01', 'Plan'),
      'own/02-ship.md': done('02', 'Ship'),
    });
    const text = (await run(['check', root])).stdout;
    const html = (await run(['report', root])).stdout;
    for (const [id, words] of [
      ['q4', 'the phases written so far complete; 05 Release, 06 Follow up not written yet'],
      ['own', 'all phases complete'],
    ]) {
      assert.ok(text.split('\n').includes(`Workflow ${id}: ${words}`), `${id} in the text report`);
      const section = html.slice(html.indexOf(`data-workflow="${id}"`));
      const header = /<p class="current">([^<]*)<\/p>/.exec(section)?.[1];
      assert.equal(header, words.charAt(0).toUpperCase() + words.slice(1), id);
    }
  });

  it('a cycle of a known workflow with its release phase not written yet is not ready, and not all complete', async () => {
    const done = (n: string, name: string) =>
      `# ${name} Phase\n---\nphase: "${n}"\n---\n\n## Exit Criteria\n\n- [x] done\n`;
    const root = tempWorkspace({
      'q3/01-diagnose.md': done('01', 'Diagnose'),
      'q3/02-prescribe.md': done('02', 'Prescribe'),
      'q3/03-treat.md': done('03', 'Treat'),
      // A workflow of other names: complete and ready as written.
      'own/01-plan.md': done('01', 'Plan'),
      'own/02-ship.md': done('02', 'Ship'),
      'docs/helix/00-discover/README.md': '# Phase 00: Discover\n\n## Exit Criteria\n\n- [x] done\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] done\n',
      // HELIX's names at numbers of its own (builds in 03): it follows none, nothing is
      // said to be missing (`04 Build` was, beside its 03-build).
      'mine/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] done\n',
      'mine/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] done\n',
      'mine/03-build/README.md': '# Phase 03: Build\n\n## Exit Criteria\n\n- [x] done\n',
    });
    const summary = join(root, 'summary.md');
    const r = await run(['check', root, '--summary', summary]);
    assert.match(
      r.stdout,
      /^Workflow q3: the phases written so far complete; 04 Monitor, 05 Release, 06 Follow up not written yet$/m,
    );
    assert.match(
      r.stdout,
      /^Workflow docs\/helix: the phases written so far complete; 02 Design, 03 Test, 04 Build, 05 Deploy, 06 Iterate not written yet$/m,
    );
    assert.match(r.stdout, /^Workflow own: all phases complete$/m);
    assert.match(r.stdout, /^Workflow mine: all phases complete$/m);
    const md = readFileSync(summary, 'utf8');
    assert.match(
      md,
      /### Workflow q3: the phases written so far complete;[^\n]*\n\nRelease readiness: \*\*not ready\*\*, 2 blocking items/,
    );
    assert.match(md, /### Workflow own: all phases complete\n\nRelease readiness: \*\*ready\*\*/);
    const c = await check({
      'q3/01-diagnose.md': done('01', 'Diagnose'),
      'q3/02-prescribe.md': done('02', 'Prescribe'),
    });
    const view = buildDashboard(
      '/ws',
      [workflowJson(c.analysis.workflows()[0], (u) => relativePath(ROOT, u) ?? u)],
      () => undefined,
    ).workflows[0];
    assert.equal(view.readiness.ready, false);
    assert.deepEqual(
      view.blocking.map((b) => [b.phase, b.text, b.reason, b.file]),
      [
        // (where it would be written: the cycle's folder, not its last phase's document)
        ['03', '(not written yet)', '03 Treat comes before the release: no document for it yet', 'q3/'],
        ['04', '(not written yet)', '04 Monitor comes before the release: no document for it yet', 'q3/'],
        ['05', '(not written yet)', '05 Release is the release: no document for it yet', 'q3/'],
      ],
    );
    // Readiness covers the phases up to the release, not every phase.
    assert.equal(view.readiness.note, '05 Release is not written yet: readiness covers the phases up to it.');
    // The editor's readiness check says the same.
    const gate = selectGate(c.analysis, { readiness: true });
    assert.deepEqual(
      gate.verdicts.map((v) => [v.phase.phase!.id, v.passed, v.reasons]),
      [
        ['01', true, []],
        ['02', false, ['03 Treat, 04 Monitor and the release, 05 Release, are not written yet']],
      ],
    );
    assert.deepEqual(
      gate.covers?.map((x) => x.note),
      ['05 Release is not written yet: readiness covers the phases up to it.'],
    );
    // A phase skipped among the ones written is named beside the ones not written yet.
    const skipping = tempWorkspace({
      'q3/01-diagnose.md': done('01', 'Diagnose'),
      'q3/03-treat.md': done('03', 'Treat'),
    });
    assert.match(
      (await run(['check', skipping])).stdout,
      /^Workflow q3: the phases written so far complete \(phase 02 has no document\); 04 Monitor, 05 Release, 06 Follow up not written yet$/m,
    );
  });

  it('a phase with no entry, exit or gate group before the release blocks readiness, as the gate check says', async () => {
    const done = (n: string, name: string) => `# Phase ${n}: ${name}\n\n## Exit Criteria\n\n- [x] done\n`;
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': done('01', 'Frame'),
      'docs/helix/02-design/README.md': done('02', 'Design'),
      'docs/helix/03-test/README.md': done('03', 'Test'),
      'docs/helix/04-build/README.md':
        '# Phase 04: Build\n\n## Next Phase\n\n[Deploy](../05-deploy/README.md)\n',
      'docs/helix/05-deploy/README.md': done('05', 'Deploy'),
    });
    const summary = join(root, 'summary.md');
    const r = await run(['check', root, '--summary', summary]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /Release readiness \(up to phase 05\): \*\*not ready\*\*, 1 blocking item/);
    assert.match(
      text,
      /04-build\/README\.md:1 ` 04 Phase document: \(nothing to check\) \(the phase has no entry, exit or gate group\)/,
    );
    // Where no phase has a group at all, the note says so and nothing is listed per phase.
    const bare = wf({ ...phase('01'), complete: false }, { ...phase('02'), complete: false });
    const view = buildDashboard('/ws', [bare], () => 1).workflows[0];
    assert.equal(view.readiness.ready, false);
    assert.equal(view.readiness.note, 'No entry, exit or gate criteria to check.');
    assert.deepEqual(view.blocking, []);
  });

  it("the editor's readiness check fails the phase after a gap; a phase's own gate check does not", async () => {
    const doc = (n: string, name: string) =>
      phaseDoc({ title: name, phase: `"${n}"`, name, body: '## Exit Criteria\n\n- [x] done\n' });
    const c = await check({
      'q/01-plan.md': doc('01', 'Plan'),
      'q/02-build.md': doc('02', 'Build'),
      'q/05-release.md': doc('05', 'Release'),
    });
    const readiness = checkGate(c.analysis, { phase: 'release', upTo: true });
    assert.deepEqual(
      readiness.map((v) => [v.phase.phase!.id, v.passed, v.reasons]),
      [
        ['01', true, []],
        ['02', true, []],
        ['05', false, ['phase 03, 04 have no document (the workflow skips them)']],
      ],
    );
    assert.deepEqual(
      checkGate(c.analysis, { phase: 'release' }).map((v) => v.passed),
      [true],
    );
  });

  it('judges release readiness up to the release phase and lists what blocks it', () => {
    const w = wf(
      phase('01', 'exit 2/2'),
      phase('02', 'entry 1/2', 'gate 0/0', 'checklist 0/4'),
      phase('03', 'exit 0/3'),
    );
    const upTo2 = buildDashboard('/r', [w], () => 1).workflows[0];
    assert.equal(upTo2.readiness.ready, false);
    assert.equal(upTo2.readiness.upTo, '02');
    assert.deepEqual(
      upTo2.blocking.map((b) => [b.phase, b.kind, b.text, b.line, b.reason]),
      [
        ['02', 'entry', 'entry item 0', 2, 'not checked'],
        ['02', 'gate', '(no criteria)', 11, 'the gate has no criteria'],
      ],
    );
    const upTo1 = buildDashboard('/r', [w], () => 0).workflows[0];
    assert.deepEqual([upTo1.readiness.ready, upTo1.blocking.length], [true, 0]);
    const all = buildDashboard('/r', [w], () => undefined, 'launch').workflows[0];
    assert.equal(all.blocking.length, 5);
    assert.match(all.readiness.note ?? '', /No phase matches "launch"/);
    // Nothing to check is not "ready".
    const none = buildDashboard('/r', [wf(phase('01', 'checklist 1/1'))], () => 0).workflows[0];
    assert.equal(none.readiness.ready, false);
  });

  it('passes a reason the report gives for an unmet item through to the blocking items', () => {
    const p = phase('01', 'exit 0/1');
    Object.assign(p.groups[0].unmet[0], { state: 'failed', reason: 'rejected by QA' });
    assert.equal(buildDashboard('/r', [wf(p)], () => 0).workflows[0].blocking[0].reason, 'rejected by QA');
  });

  it('renders text as text and embeds JSON that cannot end its script element', () => {
    const p = phase('01', 'exit 0/1');
    p.groups[0].unmet[0].text = '<img src=x onerror=alert(1)> & "q"';
    const html = renderDashboardBody(buildDashboard('/r', [wf(p)], () => 0));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;'));
    assert.ok(!html.includes('<img'));
    const json = scriptJson({ t: '</script><!-- \u2028' });
    assert.ok(!/[<>\u2028]/.test(json));
    assert.deepEqual(JSON.parse(json), { t: '</script><!-- \u2028' });
  });
});

describe('dashboard page for a webview', () => {
  it('allows its stylesheet by a nonce when given one', () => {
    const html = renderDashboardPage(
      buildDashboard('/r', [], () => 0),
      {
        styleSource: "'nonce-abc123'",
        styleNonce: 'abc123',
      },
    );
    assert.match(
      html,
      /content="default-src 'none'; style-src 'nonce-abc123'; base-uri 'none'; form-action 'none'"/,
    );
    assert.match(html, /<style nonce="abc123">/);
    assert.match(html, /No phase documents found\./);
  });
});

describe('a group whose boxes GFM does not read', () => {
  it('blocks readiness and fails the gate in every format, with its reason', async () => {
    const root = tempWorkspace({
      '01-diagnose.md': '# Phase 01: Diagnose\n\n## Exit Criteria\n\n- [ x] A done\n- [x ] B done\n',
      '02-release.md': '# Phase 02: Release\n\n## Exit Criteria\n\n- [x] C\n',
    });
    const summary = join(root, 's.md');
    const r = await run(['check', root, '--summary', summary, '--format', 'json']);
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /\*\*not ready\*\*/, text);
    assert.doesNotMatch(text, /\*\*ready\*\*/);
    const report = JSON.parse(r.stdout) as JsonReport;
    const view = buildDashboard(root, report.workflows, () => 1).workflows[0];
    assert.equal(view.readiness.ready, false);
    assert.deepEqual(
      view.blocking.map((b) => [b.phase, b.text, b.reason]),
      [['01', '(Exit Criteria)', 'Exit Criteria: 2 boxes are not checkboxes GFM reads (malformed-checkbox)']],
    );
    const github = await run(['check', root, '--phase', '01', '--format', 'github']);
    assert.equal(github.code, 1);
    assert.match(github.stdout, /Exit Criteria: 2 boxes are not checkboxes GFM reads/);
    assert.doesNotMatch(github.stdout, /no group was selected/);
    const junit = await run(['check', root, '--phase', '01', '--format', 'junit']);
    assert.match(
      junit.stdout,
      /<failure message="Exit Criteria: 2 boxes are not checkboxes GFM reads \(malformed-checkbox\)"/,
    );
  });
});

describe('gate-file groups in the dashboard', () => {
  it('link to their gate file at the group line, in an instance and in a definition', async () => {
    const gate = 'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/runbook.md\n';
    // (definitions are shown when the workspace has no work under way)
    for (const [dir, extra] of [
      ['docs/helix/05-deploy', {}],
      ['lib/phases/05-deploy', { 'lib/workflow.yml': 'name: lib\n' }],
    ] as const) {
      const root = tempWorkspace({
        [`${dir}/README.md`]: '# Phase 05: Deploy\n',
        [`${dir}/GATE.yaml`]: gate,
        ...extra,
      });
      const report = JSON.parse((await run(['check', root, '--format', 'json'])).stdout) as JsonReport;
      assert.equal(report.workflows[0].definition, dir.startsWith('lib'));
      const html = renderDashboardBody(buildDashboard(root, report.workflows, () => 0));
      const row = /<a class="loc" href="([^"]*)" data-file="([^"]*)" data-line="1">Exit Requirements<\/a>/;
      assert.deepEqual(row.exec(html)?.slice(1), [`${dir}/GATE.yaml#L1`, `${dir}/GATE.yaml`], dir);
    }
  });
});

describe('a phase file that was not read', () => {
  const doc = (title: string, id: string, body: string) => `# ${title}\n\n---\nphase: ${id}\n---\n\n${body}`;
  const many = Array.from({ length: 60 }, (_, i) => `- [ ] open criterion ${i}\n`).join('');
  const flat = {
    '.vscode/settings.json': '{ "cdp.files.maxFileSizeKB": 1 }',
    'cyc/01-diagnose.md': doc('Diagnose', '01', '## Exit Criteria\n\n- [x] done\n'),
    'cyc/02-prescribe.md': doc('Prescribe', '02', `## Exit Criteria\n\n${many}`),
    'cyc/03-treat.md': doc('Treat', '03', '## Exit Criteria\n\n- [x] shipped\n'),
  };
  const TOO_LARGE = 'larger than cdp.files.maxFileSizeKB (1 KB)';

  it('is in the JSON report, and the dashboard and summary say it was not read and why, blocking', async () => {
    const root = tempWorkspace(flat);
    const summary = join(root, 's.md');
    const r = await run([
      'check',
      join(root, 'cyc'),
      '--root',
      root,
      '--format',
      'json',
      '--summary',
      summary,
    ]);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(report.workflows[0].unreadPhases, [
      { phase: '02', file: 'cyc/02-prescribe.md', reason: TOO_LARGE },
    ]);
    const view = buildDashboard(root, report.workflows, () => undefined).workflows[0];
    assert.equal(view.readiness.ready, false);
    const blocking = view.blocking.filter((b) => b.phase === '02');
    assert.deepEqual(blocking, [
      {
        phase: '02',
        group: 'Phase document',
        kind: 'phase',
        text: '(not read)',
        file: 'cyc/02-prescribe.md',
        line: 1,
        reason: `the phase file was not read: ${TOO_LARGE}`,
      },
    ]);
    const html = renderDashboardBody({ root, workflows: [view] });
    assert.match(html, /the phase file was not read: larger than cdp\.files\.maxFileSizeKB \(1 KB\)/);
    assert.doesNotMatch(html, /skips this phase/);
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /phase 02 was not read/);
    assert.match(
      text,
      /- ` cyc\/02-prescribe\.md:1 ` 02 Phase document: \(not read\) \(the phase file was not read: larger than/,
    );
    assert.doesNotMatch(text, /skips this phase|02 has no document/);
    // Past the phase before it, readiness is not held up by it.
    assert.equal(buildDashboard(root, report.workflows, () => 0).workflows[0].readiness.ready, true);
    assert.equal(allComplete(['01', '03'], [], ['02']), 'all its phases complete, but phase 02 was not read');
    assert.equal(
      allComplete(['01', '03', '05'], [], ['02']),
      'all its phases complete, but phase 04 has no document; phase 02 was not read',
    );
  });

  it('fails the gate after it in every format, on the file and with why', async () => {
    const root = tempWorkspace(flat);
    const args = ['check', join(root, 'cyc'), '--root', root, '--phase', '03'];
    const text = await run(args);
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      /cyc\/02-prescribe\.md was not read \(larger than cdp\.files\.maxFileSizeKB \(1 KB\)\)/,
    );
    const github = await run([...args, '--format', 'github']);
    assert.equal(github.code, 1);
    assert.match(
      github.stdout,
      /^::error file=cyc\/02-prescribe\.md,line=1,title=Gate failed%3A cyc 03 Treat::.*was not read \(larger than/m,
    );
    assert.doesNotMatch(github.stdout, /no group was selected/);
    const sarif = JSON.parse((await run([...args, '--format', 'sarif'])).stdout);
    const results = sarif.runs[0].results as { message: { text: string }; locations: unknown[] }[];
    assert.equal(results.length, 1);
    assert.match(results[0].message.text, /cyc\/02-prescribe\.md was not read \(larger than/);
    assert.match(JSON.stringify(results[0].locations), /"uri":"cyc\/02-prescribe\.md"/);
    const junit = await run([...args, '--format', 'junit']);
    assert.match(junit.stdout, /<testsuites name="cdp check" tests="2" failures="1"/);
    assert.match(
      junit.stdout,
      /<testcase name="\(not read\)"[^>]* file="cyc\/02-prescribe\.md" line="1"><failure message="cyc\/02-prescribe\.md was not read \(larger than/,
    );
    // The gate of that phase: on its file, not on the last phase document.
    const own = ['check', join(root, 'cyc'), '--root', root, '--phase', '02'];
    const ownGithub = await run([...own, '--format', 'github']);
    assert.equal(ownGithub.code, 1);
    assert.match(
      ownGithub.stdout,
      /^::error file=cyc\/02-prescribe\.md,line=1,.*was not read \(larger than/m,
    );
    const ownJson = JSON.parse((await run([...own, '--format', 'json'])).stdout);
    assert.equal(ownJson.gates[0].file, 'cyc/02-prescribe.md');
  });
});
