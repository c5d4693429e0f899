// One meaning of a gate everywhere: `cdp check --format json`, `cdp/checkGate`, the tree rows
// built from `cdp/workflows` (client/src/progress-model.ts) and the readiness report agree,
// group by group, on empty, partial, full and ordinary-checklist groups. The requests are
// answered in-process (no server process) on the files the CLI reads from a temporary folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver';
import { groupView, phaseView, verdictMessage, verdictReport } from '../../client/src/progress-model';
import { main } from '../../server/src/cli/main';
import type { DashboardView } from '../../server/src/core/dashboard';
import type { JsonReport } from '../../server/src/core/report';
import { verdictMessage as serverVerdictMessage } from '../../server/src/features/execute-command';
import type { CheckGateResult, DashboardResult, WorkflowsResult } from '../../server/src/protocol';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { tempWorkspace } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';
import { uriOf } from '../lsp/client';

const files = {
  'wf/01-diagnose.md': phaseDoc({
    title: 'Diagnose',
    phase: '01',
    name: 'Diagnose',
    next: '02-design',
    body: '## Exit Criteria\n\n- [x] found\n\n## Security Sign-off Gate\n\nNothing here yet.\n',
  }),
  'wf/02-design.md': phaseDoc({
    title: 'Design',
    phase: '02',
    name: 'Design',
    previous: '01-diagnose',
    next: '03-build',
    body: '## Exit Criteria\n\n- [x] drawn\n- [ ] reviewed\n',
  }),
  'wf/03-build.md': phaseDoc({
    title: 'Build',
    phase: '03',
    name: 'Build',
    previous: '02-design',
    next: '04-release',
    body: '## Exit Criteria\n\n- [x] built\n\n## Readiness Checklist\n\n- [x] one\n- [ ] two\n- [ ] three\n',
  }),
  'wf/04-release.md': phaseDoc({
    title: 'Release',
    phase: '04',
    name: 'Release',
    previous: '03-build',
    body: '## Production Readiness Gate\n\n- [x] green\n- [x] signed\n',
  }),
};

interface GroupLine {
  phase: string;
  heading: string;
  passed: boolean;
  reason?: string;
}

type CliJson = JsonReport & { gates: { phase: string; passed: boolean; reasons: string[] }[] };

async function cli(args: string[]): Promise<{ code: number; json: CliJson }> {
  let out = '';
  const code = await main(
    args,
    (s) => {
      out += `${s}\n`;
    },
    () => undefined,
  );
  return { code, json: JSON.parse(out) };
}

describe('an empty gate, a partial one, a full one and an ordinary checklist', () => {
  let root: string;
  let client: InProcess;
  before(async () => {
    root = tempWorkspace(files);
    client = await featureContext(files, { root: uriOf(root), openAll: false });
  });
  it('read the same in the CLI JSON, cdp/workflows, the tree rows and cdp/checkGate', async () => {
    const { json } = await cli(['check', '--format', 'json', '--root', root, join(root, 'wf')]);
    const fromCli: GroupLine[] = json.workflows[0]!.phases.flatMap((p) =>
      p.groups.map((g) => ({ phase: p.phase, heading: g.heading, passed: g.passed, reason: g.reason })),
    );
    const workflows = await client.request<WorkflowsResult>('cdp/workflows', {});
    const phases = workflows.workflows[0]!.phases;
    const fromServer: GroupLine[] = phases.flatMap((p) =>
      p.groups.map((g) => ({ phase: p.phase, heading: g.heading, passed: g.passed, reason: g.reason })),
    );
    const fromTree: GroupLine[] = phases.flatMap((p) =>
      p.groups.map((g) => {
        const v = groupView(g);
        return { phase: p.phase, heading: v.label, passed: v.state === 'passed', reason: g.reason };
      }),
    );
    const fromGate: GroupLine[] = [];
    for (const p of phases) {
      const r = await client.request<CheckGateResult>('cdp/checkGate', { phase: p.phase, group: 'all' });
      for (const v of r.verdicts)
        for (const g of v.groups)
          fromGate.push({ phase: v.phase, heading: g.heading, passed: g.passed, reason: g.reason });
    }
    const expected: GroupLine[] = [
      { phase: '01', heading: 'Exit Criteria', passed: true, reason: undefined },
      {
        phase: '01',
        heading: 'Security Sign-off Gate',
        passed: false,
        reason: 'Security Sign-off Gate has no criteria',
      },
      { phase: '02', heading: 'Exit Criteria', passed: false, reason: 'Exit Criteria: 1 of 2 unticked' },
      { phase: '03', heading: 'Exit Criteria', passed: true, reason: undefined },
      {
        phase: '03',
        heading: 'Readiness Checklist',
        passed: false,
        reason: 'Readiness Checklist: 2 of 3 unticked',
      },
      { phase: '04', heading: 'Production Readiness Gate', passed: true, reason: undefined },
    ];
    assert.deepEqual(fromCli, expected);
    assert.deepEqual(fromServer, expected);
    assert.deepEqual(fromTree, expected);
    assert.deepEqual(fromGate, expected);

    // phase completeness: the empty gate keeps 01 current, everywhere
    const cliComplete = json.workflows[0]!.phases.map((p) => [p.phase, p.complete, p.reasons]);
    const serverComplete = phases.map((p) => [p.phase, p.complete, p.reasons]);
    assert.deepEqual(cliComplete, serverComplete);
    assert.deepEqual(
      serverComplete.map((x) => x.slice(0, 2)),
      [
        ['01', false],
        ['02', false],
        ['03', false],
        ['04', true],
      ],
    );
    assert.equal(workflows.workflows[0]!.current, '01');
    // the tree's phase row is not "passed" and its tooltip names the reason
    const diagnose = phaseView(phases[0]!);
    assert.notEqual(diagnose.state, 'passed');
    assert.match(diagnose.tooltip, /Security Sign-off Gate has no criteria/);
    assert.equal(groupView(phases[0]!.groups[1]!).state, 'empty');
    assert.match(groupView(phases[0]!.groups[1]!).accessibilityLabel, /not passed: .*has no criteria/);
  });

  it('the readiness verdict, its report and the CLI gate check name the empty gate as the reason', async () => {
    const readiness = await client.request<CheckGateResult>('cdp/checkGate', { phase: '04', upTo: true });
    assert.equal(readiness.passed, false);
    assert.deepEqual(
      readiness.verdicts.map((v) => [v.phase, v.passed, v.reasons]),
      [
        ['01', false, ['Security Sign-off Gate has no criteria']],
        ['02', false, ['Exit Criteria: 1 of 2 unticked']],
        ['03', true, []],
        ['04', true, []],
      ],
    );
    const message = verdictMessage(readiness, 'Release readiness');
    // every phase that failed names its groups and why, with its number
    assert.match(
      message,
      /^Release readiness failed: 01 Security Sign-off Gate has no criteria; 02 Exit Criteria: 1 of 2 unticked — /,
    );
    const report = verdictReport({ phase: '04', upTo: true }, readiness, 'Release readiness', (u) => u);
    assert.ok(report.includes('      ✘ Security Sign-off Gate: 0/0 — has no criteria'), report.join('\n'));
    assert.ok(!report.some((l) => /✔ Security Sign-off Gate/.test(l)));

    const gate = await client.request<CheckGateResult>('cdp/checkGate', { phase: '01' });
    assert.equal(gate.passed, false);
    assert.equal(gate.verdicts[0]!.unmet.length, 0);
    assert.match(verdictMessage(gate, 'Gate'), /^Gate failed: Security Sign-off Gate has no criteria — /);

    // a gate that passes while an ordinary checklist keeps the phase from being complete
    // says so: 03 is not the current phase (01 is), so it "is not complete"
    const build = await client.request<CheckGateResult>('cdp/checkGate', { phase: '03' });
    const { workflows } = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.equal(build.passed, true);
    assert.equal(
      verdictMessage(build, 'Gate', workflows[0]!.phases),
      'Gate passed: wf › 03 Build › Exit Criteria (1/1) — 03 Build is not complete: Readiness Checklist: 2 of 3 unticked',
    );
    // the current phase "stays current"
    const asCurrent = workflows[0]!.phases.map((p) =>
      p.phase === '03' ? { ...p, state: 'current' as const } : p,
    );
    assert.match(verdictMessage(build, 'Gate', asCurrent), / — 03 Build stays current: Readiness Checklist/);

    const { code, json } = await cli(['check', '--format', 'json', '--root', root, '--phase', '01', root]);
    assert.equal(code, 1);
    assert.deepEqual(
      json.gates.map((g) => [g.phase, g.passed, g.reasons]),
      gate.verdicts.map((v) => [v.phase, v.passed, v.reasons]),
    );
    let text = '';
    await main(
      ['check', '--root', root, '--phase', '01', root],
      (s) => {
        text += `${s}\n`;
      },
      () => undefined,
    );
    assert.match(text, /FAILED wf 01 Diagnose: .*\n {6}Security Sign-off Gate has no criteria\n/);
    assert.match(text, / {6} Security Sign-off Gate \(gate\) 0\/0 \(no criteria\)/);
  });
});

describe('release readiness without a release phase', () => {
  // A CDP cycle of three phases and a HELIX workflow of 00–02: no phase is named "release"
  // (nor "deploy"), so readiness covers every phase, in the dashboard and in the check
  // (the release phase of their known workflow not written yet, which the note says).
  const noRelease = {
    'pay/01-diagnose.md': phaseDoc({
      title: 'Diagnose',
      phase: '01',
      name: 'Diagnose',
      next: '02-prescribe',
      body: '## Exit Criteria\n\n- [x] found\n- [ ] approved\n',
    }),
    'pay/02-prescribe.md': phaseDoc({
      title: 'Prescribe',
      phase: '02',
      name: 'Prescribe',
      previous: '01-diagnose',
      next: '03-treat',
      body: '## Exit Criteria\n\n- Plan written\n- Plan reviewed\n',
    }),
    'pay/03-treat.md': phaseDoc({
      title: 'Treat',
      phase: '03',
      name: 'Treat',
      previous: '02-prescribe',
      body: '## Exit Criteria\n\n- [ ] merged\n',
    }),
    'docs/helix/00-discover/README.md': '# Discover\n\n## Exit Criteria\n\n- [x] asked\n',
    'docs/helix/01-frame/README.md': '# Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
    'docs/helix/02-design/README.md': '# Design\n\n## Exit Criteria\n\n- [x] drawn\n',
  };

  it('covers every phase and blocks on what the dashboard lists, saying so', async () => {
    const client = await featureContext(noRelease, { openAll: false });
    const { view } = await client.request<DashboardResult>('cdp/dashboard', {});
    const dash = view as DashboardView;
    assert.deepEqual(dash.workflows.length, 2);
    for (const w of dash.workflows) {
      const r = await client.request<CheckGateResult>('cdp/checkGate', { workflow: w.id, readiness: true });
      assert.equal(r.message, undefined, `${w.id}: a verdict, not "${r.message}"`);
      assert.deepEqual(
        r.verdicts.map((v) => v.phase),
        w.phases.map((p) => p.id),
        `${w.id}: every phase`,
      );
      assert.equal(r.passed, w.readiness.ready);
      assert.equal(r.passed, false);
      // The unmet items are the dashboard's blocking items (the dashboard also lists the
      // group without checkboxes, which the verdict names as its reason).
      assert.deepEqual(
        r.verdicts.flatMap((v) => v.unmet.map((u) => `${v.phase} ${u.text}`)),
        w.blocking.filter((b) => !b.text.startsWith('(')).map((b) => `${b.phase} ${b.text}`),
      );
      assert.deepEqual(r.covers, [
        { workflow: w.id, upTo: w.phases[w.phases.length - 1]!.id, note: w.readiness.note },
      ]);
      // Both follow a known workflow whose release phase is not written yet: readiness
      // covers the phases up to it, which is every phase written.
      const note = `${w.id === 'pay' ? '05 Release' : '05 Deploy'} is not written yet: readiness covers the phases up to it.`;
      assert.equal(w.readiness.note, note);
      const message = verdictMessage(r, 'Release readiness');
      assert.ok(message.endsWith(`(${note})`), message);
      const report = verdictReport({ workflow: w.id, readiness: true }, r, 'Release readiness', (u) => u);
      assert.equal(report[0], `Release readiness check (${w.id}): FAILED`);
      assert.equal(report[1], `  ${w.id}: phases up to ${w.phases[w.phases.length - 1]!.id} — ${note}`);
    }
    // The group written without checkboxes says why it is 0/2.
    const pay = await client.request<CheckGateResult>('cdp/checkGate', { workflow: 'pay', readiness: true });
    const report = verdictReport({ workflow: 'pay', readiness: true }, pay, 'Release readiness', (u) => u);
    assert.ok(report.includes('      ✘ Exit Criteria: 0/2 — 2 items have no checkbox'), report.join('\n'));
  });

  it('stops at the release phase the settings name, as the dashboard does', async () => {
    const client = await featureContext(noRelease, {
      openAll: false,
      settings: { cdp: { phases: { releasePhase: 'Prescribe' } } },
    });
    const r = await client.request<CheckGateResult>('cdp/checkGate', { workflow: 'pay', readiness: true });
    assert.deepEqual(
      r.verdicts.map((v) => v.phase),
      ['01', '02'],
    );
    assert.deepEqual(r.covers, [{ workflow: 'pay', upTo: '02' }]);
    const { view } = await client.request<DashboardResult>('cdp/dashboard', {});
    const pay = (view as DashboardView).workflows.find((w) => w.id === 'pay')!;
    assert.equal(pay.readiness.upTo, '02');
    // A phase asked for by name that no workflow has is still no verdict (not readiness).
    const named = await client.request<CheckGateResult>('cdp/checkGate', {
      workflow: 'pay',
      phase: 'release',
      upTo: true,
    });
    assert.equal(named.message, 'No phase matches "release".');
  });
});

describe('a gate heading with a section of its kind under it', () => {
  const doc = phaseDoc({
    title: 'Review',
    phase: '01',
    name: 'Review',
    body: '### Security Review Gate\n\n- [x] Threat model written\n\n#### Security\n\n- [ ] Pen test scheduled\n',
  });

  it('its code lens counts what its Check gate judges, and the verdict names the group left', async () => {
    const c = await featureContext({ 'wf/01-review.md': doc }, { openAll: false });
    const uri = c.uri('wf/01-review.md');
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const above = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => l.command!);
    const gateLine = doc.split('\n').indexOf('### Security Review Gate');
    const [count, check] = above(gateLine);
    assert.equal(check!.title, 'Check gate');
    const gate = await c.request<CheckGateResult>('cdp/checkGate', check!.arguments![0]);
    const v = gate.verdicts[0]!;
    assert.deepEqual([v.checked, v.total], [1, 2]);
    assert.equal(count!.title, `${v.checked}/${v.total} done`);
    // the section under it keeps its own count
    assert.equal(above(doc.split('\n').indexOf('#### Security'))[0]!.title, '0/1 done');
    assert.equal(
      verdictMessage(gate, 'Gate'),
      'Gate failed: Security: 1 of 1 unticked — wf › 01 Review (1/2)',
    );
  });
});

describe('release readiness of a workflow definition', () => {
  it('is not judged: templates are no work under way, as the dashboard says', async () => {
    const client = await featureContext(
      {
        'lib/workflow.yml': 'name: lib\n',
        'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
        'lib/phases/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [ ] deployed\n',
      },
      { openAll: false },
    );
    const r = await client.request<CheckGateResult>('cdp/checkGate', {
      workflow: 'lib/phases',
      readiness: true,
    });
    assert.deepEqual(r.verdicts, []);
    assert.equal(r.passed, false);
    assert.equal(
      verdictMessage(r, 'Release readiness'),
      'lib/phases is a workflow definition: templates, not work under way, so there is no release readiness to check.',
    );
    // Its gates are still checked by phase.
    const gate = await client.request<CheckGateResult>('cdp/checkGate', {
      workflow: 'lib/phases',
      phase: '01',
    });
    assert.deepEqual(
      gate.verdicts.map((v) => [v.phase, v.passed]),
      [['01', false]],
    );
  });
});

describe('the Check gate lens of a workflow definition', () => {
  const definition = {
    'lib/workflow.yml': 'name: lib\n',
    'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
  };
  const lensTitles = async (files: Record<string, string>) => {
    const c = await featureContext(files, { openAll: false });
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: c.uri('lib/phases/01-frame/README.md') },
    });
    return lenses.map((l) => l.command!.title);
  };

  it('is shown where gate checks judge the definition (the library itself), not beside work under way', async () => {
    assert.deepEqual(await lensTitles(definition), ['0/1 done', 'Check gate']);
    assert.deepEqual(
      await lensTitles({
        ...definition,
        'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      }),
      ['0/1 done'],
    );
  });
});

describe('a gate check of a phase a workflow skips', () => {
  // CDP cycles in the flat layout (q1 has 02; q2 has 01 and 03) and a HELIX workflow in
  // its folder layout (01-frame/ and 03-test/, no 02-design/): `cdp check --phase 02` and
  // the editor's gate check fail the two that skip 02, for the same reason.
  const cycle = (dir: string, numbers: string[]) => {
    const names: Record<string, string> = { '01': 'Diagnose', '02': 'Prescribe', '03': 'Treat' };
    return Object.fromEntries(
      numbers.map((n) => [
        `${dir}/${n}-${names[n]!.toLowerCase()}.md`,
        phaseDoc({ title: names[n]!, phase: n, name: names[n]!, body: '## Exit Criteria\n\n- [x] done\n' }),
      ]),
    );
  };
  const helix = {
    'docs/helix/01-frame/README.md': '# Frame\n\n## Exit Criteria\n\n- [x] framed\n',
    'docs/helix/03-test/README.md': '# Test\n\n## Exit Criteria\n\n- [ ] tested\n',
  };
  const skipping = { ...cycle('q1', ['01', '02', '03']), ...cycle('q2', ['01', '03']), ...helix };

  type Row = [
    workflow: string,
    phase: string,
    passed: boolean,
    reasons: string[],
    missing: boolean,
    file: string,
  ];
  const fromCli = (json: CliJson): Row[] =>
    (json.gates as (CliJson['gates'][number] & { workflow: string; file: string; missing?: boolean })[])
      .map((g): Row => [g.workflow, g.phase, g.passed, g.reasons, g.missing === true, g.file])
      .sort();
  const fromEditor = (r: CheckGateResult, root: string): Row[] =>
    r.verdicts
      .map((v): Row => {
        const file = decodeURIComponent(v.uri).slice(decodeURIComponent(uriOf(root)).length + 1);
        return [v.workflow, v.phase, v.passed, v.reasons, v.missing === true, file];
      })
      .sort();
  async function both(files: Record<string, string>, phase: string) {
    const root = tempWorkspace(files);
    let stderr = '';
    let out = '';
    const code = await main(
      ['check', '--format', 'json', '--root', root, '--phase', phase, root],
      (s) => {
        out += `${s}\n`;
      },
      (s) => {
        stderr += `${s}\n`;
      },
    );
    const client = await featureContext(files, { root: uriOf(root), openAll: false });
    const editor = await client.request<CheckGateResult>('cdp/checkGate', { phase });
    return { root, code, json: (code === 2 ? undefined : JSON.parse(out)) as CliJson, stderr, editor };
  }

  it('fails each workflow that skips it, flat or in folders, as cdp check --phase does', async () => {
    const { root, code, json, editor } = await both(skipping, '02');
    assert.equal(code, 1);
    const expected: Row[] = [
      [
        'docs/helix',
        '02',
        false,
        ['Workflow docs/helix has no phase 02: the workflow skips it'],
        true,
        'docs/helix/03-test/README.md',
      ],
      ['q1', '02', true, [], false, 'q1/02-prescribe.md'],
      ['q2', '02', false, ['Workflow q2 has no phase 02: the workflow skips it'], true, 'q2/03-treat.md'],
    ];
    assert.deepEqual(fromCli(json), expected);
    assert.deepEqual(fromEditor(editor, root), expected);
    assert.equal(editor.passed, false);
    assert.equal(editor.message, undefined);
    // The notification and the report name why, once each.
    const message = verdictMessage(editor, 'Gate');
    assert.match(
      message,
      /^Gate failed: Workflow docs\/helix has no phase 02: the workflow skips it; Workflow q2 has no phase 02: the workflow skips it — /,
    );
    assert.ok(
      message.endsWith(' — q1 › 02 Prescribe › Exit Criteria (1/1); 2 workflows without it'),
      message,
    );
    const report = verdictReport({ phase: '02' }, editor, 'Gate', (u) => u.slice(u.lastIndexOf('/q2/') + 1));
    assert.equal(report[0], 'Gate check (02 Prescribe): FAILED');
    const at = report.findIndex((l) => l.startsWith('  ✘ q2 › 02: no phase to check ('));
    assert.ok(at > 0, report.join('\n'));
    assert.equal(report[at + 1], '      Workflow q2 has no phase 02: the workflow skips it');
    // So does the message of a client without the extension's UI (`cdp.server.checkGate`).
    assert.ok(
      serverVerdictMessage(editor).includes(
        '\nq2 02: not passed, Workflow q2 has no phase 02: the workflow skips it',
      ),
      serverVerdictMessage(editor),
    );
  });

  it('fails a workflow that skips it where no workflow has it, instead of finding nothing', async () => {
    const files = { ...cycle('q2', ['01', '03']), ...helix };
    const { root, code, json, editor } = await both(files, '02');
    assert.equal(code, 1);
    assert.deepEqual(fromEditor(editor, root), fromCli(json));
    assert.deepEqual(editor.verdicts.map((v) => [v.workflow, v.passed, v.missing]).sort(), [
      ['docs/helix', false, true],
      ['q2', false, true],
    ]);
    assert.equal(editor.passed, false);
    assert.equal(editor.message, undefined);
    assert.equal(
      verdictMessage({ ...editor, verdicts: editor.verdicts.filter((v) => v.workflow === 'q2') }, 'Gate'),
      'Gate failed: Workflow q2 has no phase 02: the workflow skips it — q2 › 02 (no phase to check)',
    );
  });

  it('leaves out a workflow without the optional 00, saying so, as cdp check --phase 00 does', async () => {
    const files = {
      'docs/helix/00-discover/README.md': '# Discover\n\n## Exit Criteria\n\n- [x] asked\n',
      'docs/helix/01-frame/README.md': '# Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'other/helix/01-frame/README.md': '# Frame\n\n## Exit Criteria\n\n- [x] framed\n',
      'other/helix/02-design/README.md': '# Design\n\n## Exit Criteria\n\n- [ ] drawn\n',
      ...cycle('q2', ['01', '03']),
    };
    const { root, code, json, stderr, editor } = await both(files, '00');
    assert.equal(code, 0);
    const expected: Row[] = [['docs/helix', '00', true, [], false, 'docs/helix/00-discover/README.md']];
    assert.deepEqual(fromCli(json), expected);
    assert.deepEqual(fromEditor(editor, root), expected);
    assert.equal(editor.passed, true);
    const leftOut = [
      'Workflow other/helix has no phase 00 (it is optional): left out of the gate check.',
      'Workflow q2 has no phase 00 (it is optional): left out of the gate check.',
    ];
    assert.deepEqual([...(editor.leftOut ?? [])].sort(), leftOut);
    for (const note of leftOut) assert.ok(stderr.includes(`cdp: ${note}\n`), stderr);
    const report = verdictReport({ phase: '00' }, editor, 'Gate', (u) => u);
    for (const note of leftOut) assert.ok(report.includes(`  ${note}`), report.join('\n'));
  });
});
