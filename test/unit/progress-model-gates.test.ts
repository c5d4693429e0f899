import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  artifactView,
  criterionContext,
  criterionLabel,
  criterionView,
  definitionsView,
  groupView,
  isUnreadPhase,
  manualItemAt,
  noCurrentText,
  phaseRows,
  phaseView,
  plainItemText,
  plainItemView,
  unconfirmedManualItems,
  unreadPhaseView,
  verdictMessage,
  verdictReport,
  workflowsSummary,
  workflowView,
} from '../../client/src/progress-model';
import type {
  CheckGateResult,
  CriterionDto,
  GroupDto,
  PhaseDto,
  WorkflowDto,
} from '../../server/src/protocol';

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const item = (c: Omit<CriterionDto, 'range'>): CriterionDto => ({ ...c, range: RANGE });

const group = (over: Partial<GroupDto>): GroupDto => ({
  heading: 'Exit Requirements',
  kind: 'exit',
  line: 3,
  total: 1,
  checked: 0,
  passed: false,
  items: [],
  ...over,
});

const phase = (groups: GroupDto[]): PhaseDto =>
  ({
    uri: 'file:///ws/w/01-a/README.md',
    phase: '01',
    name: 'A',
    title: 'Phase 01: A',
    checked: groups.reduce((n, g) => n + g.checked, 0),
    total: groups.reduce((n, g) => n + g.total, 0),
    complete: false,
    started: false,
    hasErrors: false,
    failingGates: false,
    reasons: [],
    state: 'current',
    groups,
  }) as PhaseDto;

describe('progress rows of gate files and definitions', () => {
  it('labels a checklist item with its rendered text, the tooltip also giving it as written', () => {
    const row = criterionView(
      item({
        line: 4,
        checked: false,
        text: 'Plan approved ([[plan|the plan]])',
        shown: 'Plan approved (the plan)',
      }),
    );
    assert.equal(row.label, 'Plan approved (the plan)');
    // (the tree's row is labelled by criterionLabel)
    assert.equal(
      criterionLabel(
        item({
          line: 4,
          checked: false,
          text: 'Plan approved ([[plan|the plan]])',
          shown: 'Plan approved (the plan)',
        }),
      ),
      'Plan approved (the plan)',
    );
    assert.equal(row.tooltip, 'Plan approved (the plan)\nPlan approved ([[plan|the plan]])');
    assert.equal(row.accessibilityLabel, 'Plan approved (the plan), unchecked');
    const plain = criterionView(item({ line: 5, checked: true, text: 'Signed off' }));
    assert.deepEqual([plain.label, plain.tooltip], ['Signed off', 'Signed off']);
  });

  it('a gate-file check shows its state and reason, not a tick', () => {
    const failed = criterionView(
      item({
        line: 5,
        checked: false,
        text: 'file_exists docs/plan.md',
        state: 'failed',
        reason: 'docs/plan.md does not exist',
      }),
    );
    assert.equal(failed.description, 'failed');
    assert.equal(failed.icon, 'error');
    assert.match(failed.tooltip, /docs\/plan\.md does not exist/);
    assert.match(failed.accessibilityLabel, /check failed: docs\/plan\.md does not exist/);
    const open = criterionView(item({ line: 6, checked: false, text: 'npm test', state: 'not-evaluated' }));
    assert.equal(open.description, 'not evaluated');
    assert.equal(open.done, false);
    // a manual item is a checkbox like a document's criterion
    const manual = criterionView(
      item({
        line: 7,
        checked: false,
        text: 'signed',
        state: 'unconfirmed',
        manual: true,
      }),
    );
    assert.equal(manual.description, '');
    assert.equal(manual.accessibilityLabel, 'signed, unchecked');
    // optional items (`required: false`) say so, checks and manual items alike
    const optionalCheck = criterionView(
      item({ line: 8, checked: false, text: 'risks', state: 'failed', reason: 'no file', optional: true }),
    );
    assert.equal(optionalCheck.description, 'failed · optional');
    assert.match(optionalCheck.accessibilityLabel, /check failed · optional: no file/);
    const optionalManual = criterionView(
      item({ line: 9, checked: false, text: 'nice', state: 'unconfirmed', manual: true, optional: true }),
    );
    assert.equal(optionalManual.description, 'optional');
  });

  it('a check without a description leads with the check and the file name; the path stays in view', () => {
    const check = (text: string, path: string | undefined, line: number) =>
      criterionView(
        item({ line, checked: false, text, state: 'failed', reason: 'missing', check: 'file_exists', path }),
      );
    const prd = check('file_exists docs/helix/01-frame/prd.md', 'docs/helix/01-frame/prd.md', 3);
    const principles = check(
      'file_exists docs/helix/01-frame/principles.md',
      'docs/helix/01-frame/principles.md',
      5,
    );
    assert.equal(prd.label, 'file_exists prd.md');
    assert.equal(principles.label, 'file_exists principles.md');
    // What a narrow row shows (its first 20 characters) tells them apart.
    assert.notEqual(prd.label.slice(0, 20), principles.label.slice(0, 20));
    assert.equal(prd.description, 'failed · docs/helix/01-frame/prd.md');
    assert.match(prd.tooltip, /^file_exists docs\/helix\/01-frame\/prd\.md\n/);
    assert.match(
      prd.accessibilityLabel,
      /^file_exists prd\.md, docs\/helix\/01-frame\/prd\.md, check failed/,
    );
    // A folder path names the folder; a path without a folder is already short.
    assert.equal(check('file_exists docs/adr/', 'docs/adr/', 6).label, 'file_exists adr');
    assert.equal(check('file_exists prd.md', 'prd.md', 7).label, 'file_exists prd.md');
    // A description is the label; the path is in the tooltip.
    const described = check('Product requirements written', 'docs/helix/01-frame/prd.md', 8);
    assert.equal(described.label, 'Product requirements written');
    assert.equal(described.description, 'failed');
    assert.match(described.tooltip, /^Product requirements written\ndocs\/helix\/01-frame\/prd\.md\nfailed/);
    assert.equal(
      criterionLabel(item({ line: 9, checked: true, text: 'x', state: 'passed', check: 'command' })),
      'x',
    );
  });

  it('ticked and unticked checkbox rows are styled alike: neither is dimmed through a resource', () => {
    for (const c of [
      item({ line: 1, checked: true, text: 'done' }),
      item({ line: 2, checked: false, text: 'open' }),
      item({ line: 3, checked: true, text: 'signed', state: 'passed', manual: true }),
    ])
      assert.equal(criterionView(c).done, false, c.text);
  });

  it('a criterion written without a checkbox is a row that says it needs one', () => {
    assert.equal(plainItemText('1. PRD approved'), 'PRD approved');
    assert.equal(plainItemText('  - Plan reviewed  '), 'Plan reviewed');
    assert.equal(plainItemText('* a'), 'a');
    assert.equal(plainItemText('12) b'), 'b');
    const v = plainItemView('- Plan reviewed');
    assert.equal(v.label, 'Plan reviewed');
    assert.equal(v.description, 'no checkbox');
    assert.match(v.tooltip, /Not checkable: it needs a checkbox \(`- \[ \] Plan reviewed`\)/);
    assert.equal(v.accessibilityLabel, 'Plan reviewed, no checkbox, cannot be ticked');
    assert.equal(v.done, false);
    // With the text as rendered (from the server): that is the label, the written text in the tooltip.
    const r = plainItemView('1. **Scope** agreed', 'Scope agreed');
    assert.equal(r.label, 'Scope agreed');
    assert.match(
      r.tooltip,
      /^Scope agreed\n\*\*Scope\*\* agreed\nNot checkable: it needs a checkbox \(`- \[ \] \*\*Scope\*\* agreed`\)/,
    );
    assert.equal(r.accessibilityLabel, 'Scope agreed, no checkbox, cannot be ticked');
  });

  it('a gate-file group names its file, and an empty one has no criteria', () => {
    const g = group({
      file: 'file:///ws/w/01-a/GATE.yaml',
      total: 0,
      reason: 'Exit Requirements has no criteria',
    });
    const v = groupView(g);
    assert.equal(v.state, 'empty');
    assert.equal(v.description, 'no criteria · GATE.yaml');
    assert.match(v.tooltip, /not passed: Exit Requirements has no criteria/);
  });

  it('a gate file that cannot be read says so, and is not passed', () => {
    const v = groupView(
      group({
        heading: 'GATE.yaml',
        kind: 'gate',
        file: 'file:///ws/w/01-a/GATE.yaml',
        total: 0,
        reason: 'GATE.yaml cannot be read',
        unreadable: true,
      }),
    );
    assert.equal(v.state, 'empty');
    assert.equal(v.done, false);
    assert.equal(v.description, 'cannot be read · GATE.yaml');
    assert.match(v.tooltip, /not passed: GATE\.yaml cannot be read/);
  });

  it('a group whose boxes are all ticked but that does not pass says why', () => {
    const v = groupView(
      group({
        heading: 'Exit Criteria',
        total: 2,
        checked: 2,
        passed: false,
        reason: 'Exit Criteria: 1 box is not a checkbox GFM reads (malformed-checkbox)',
      }),
    );
    assert.equal(v.done, false);
    assert.match(v.tooltip, /not passed: Exit Criteria: 1 box is not a checkbox GFM reads/);
  });

  it('definitions show item counts, not progress; artifacts are rows of their own', () => {
    const p = phase([group({ total: 4 })]);
    const w = {
      id: 'lib',
      name: 'Library',
      folder: 'file:///ws',
      phases: [p],
      definition: true,
    } as WorkflowDto;
    assert.equal(workflowView(w).description, '1 phase, 4 items');
    assert.equal(workflowView(w).label, w.id, 'a workflow goes by its id everywhere');
    const helix = workflowView({ ...w, id: 'docs/helix', name: 'helix', definition: false });
    assert.equal(helix.label, 'docs/helix');
    assert.match(helix.tooltip, /^docs\/helix\n1 phase, 0\/4 criteria met\n/);
    assert.match(helix.accessibilityLabel, /^Workflow docs\/helix, /);
    assert.equal(workflowView(w).done, false);
    assert.equal(phaseView(p, true).description, '4 items');
    assert.equal(phaseView(p).description, '0/4 · current');
    // its groups too: sizes, whatever boxes the template has ticked
    const ticked = group({ total: 4, checked: 3, file: 'file:///ws/lib/01-a/GATE.yaml' });
    assert.equal(groupView(ticked, true).description, '4 items · GATE.yaml');
    assert.equal(groupView(ticked, true).state, 'not-started');
    assert.match(groupView(ticked, true).tooltip, /4 items \(definition\)/);
    assert.equal(groupView(group({ total: 1 }), true).description, '1 item');
    assert.equal(groupView(ticked).description, '3/4 · GATE.yaml');
    // criteria written without checkboxes: counted, none can be ticked, and the row says so
    const list = group({
      total: 2,
      checked: 0,
      untracked: 2,
      reason: 'Exit Criteria: 2 items have no checkbox',
    });
    assert.equal(groupView(list).description, '0/2 · no checkboxes');
    assert.match(groupView(list).tooltip, /not passed: Exit Criteria: 2 items have no checkbox/);
    assert.equal(groupView(list).done, false);
    assert.equal(definitionsView([w, w]).description, '2');
    assert.equal(definitionsView([w, w]).accessibilityLabel, 'Definitions, 2 workflow definitions');
    assert.equal(definitionsView([w]).accessibilityLabel, 'Definitions, 1 workflow definition');
    assert.equal(artifactView({ uri: 'file:///ws/a.md', title: 'Plan' }).description, 'artifact');
  });
});

describe('manual gate items to confirm', () => {
  const GATE = 'file:///ws/w/01-a/GATE.yaml';
  const check = item({ line: 3, checked: false, text: 'Plan exists', state: 'failed' });
  const waiting = item({
    line: 6,
    checked: false,
    text: 'Sponsor approved',
    state: 'unconfirmed',
    manual: true,
  });
  const confirmed = item({ line: 7, checked: true, text: 'Legal reviewed', state: 'passed', manual: true });
  const box = item({ line: 9, checked: false, text: 'Design reviewed' });
  const workflow = (definition: boolean): WorkflowDto => ({
    id: 'w',
    name: 'w',
    folder: 'file:///ws',
    definition,
    phases: [
      phase([
        group({ file: GATE, items: [check, waiting, confirmed], total: 3, checked: 1 }),
        group({ heading: 'Exit Criteria', items: [box] }),
      ]),
    ],
  });

  it('lists the unconfirmed manual items of instances, not checks, criteria or definitions', () => {
    assert.deepEqual(
      unconfirmedManualItems([workflow(false), workflow(true)]).map((m) => m.criterion.text),
      ['Sponsor approved'],
    );
  });

  it('finds the manual item on a line of a gate file (the cursor in the editor)', () => {
    const ws = [workflow(false)];
    assert.equal(manualItemAt(ws, GATE, 6)?.criterion.text, 'Sponsor approved');
    assert.equal(manualItemAt(ws, GATE, 7)?.criterion.checked, true);
    assert.equal(manualItemAt(ws, GATE, 3), undefined, 'a check is not confirmed');
    assert.equal(manualItemAt(ws, 'file:///ws/w/01-a/other.yaml', 6), undefined);
    assert.equal(manualItemAt([workflow(true)], GATE, 6), undefined, 'a definition has nothing to confirm');
  });

  it('leaves definitions out of the status bar summary: templates have no current phase', () => {
    assert.equal(workflowsSummary([workflow(false), workflow(true)]), '1 workflow · 1 current');
    assert.equal(
      workflowsSummary([workflow(false), { ...workflow(false), id: 'v' }, workflow(true)]),
      '2 workflows · 2 current',
    );
  });

  it('gives manual items, checks and checkboxes their own context menus', () => {
    assert.equal(criterionContext(waiting, true), 'cdp.manual.unconfirmed');
    assert.equal(criterionContext(confirmed, true), 'cdp.manual.confirmed');
    assert.equal(criterionContext(check, true), 'cdp.check');
    assert.equal(criterionContext(box, false), 'cdp.criterion.unchecked');
    assert.equal(criterionContext({ ...box, checked: true }, false), 'cdp.criterion.checked');
  });
  it('a failed gate counts unmet gate-file items and unticked boxes alike, naming only other reasons', () => {
    const result: CheckGateResult = {
      passed: false,
      verdicts: [
        {
          workflow: 'p',
          phase: '01',
          name: 'A',
          uri: 'file:///p/01-a/README.md',
          groups: [],
          passed: false,
          reasons: [
            'Exit Criteria: 1 of 2 unticked',
            'Exit Gates: 2 of 2 unmet',
            'Sign-off Gate has no criteria',
          ],
          total: 4,
          checked: 1,
          unmet: [
            { uri: 'file:///p/01-a/README.md', line: 5, text: 'two', group: 'Exit Criteria' },
            {
              uri: 'file:///p/01-a/exit-gates.yml',
              line: 1,
              text: 'PRD',
              group: 'Exit Gates',
              state: 'failed',
              reason: 'docs/prd.md does not exist',
            },
            {
              uri: 'file:///p/01-a/exit-gates.yml',
              line: 3,
              text: 'Sponsor',
              group: 'Exit Gates',
              state: 'unconfirmed',
            },
          ],
        },
      ],
    };
    assert.equal(
      verdictMessage(result, 'Gate'),
      'Gate failed: Exit Criteria: 1 of 2 unticked; Exit Gates: 2 of 2 unmet; Sign-off Gate has no criteria — p › 01 A (1/4)',
    );
    // The report in the output channel gives a gate-file item's reason, as `cdp check` does.
    const report = verdictReport({ phase: '01' }, result, 'Gate', (u) => u.replace('file:///', ''));
    // The heading names the phase by number and name.
    assert.equal(report[0], 'Gate check (01 A): FAILED');
    assert.ok(
      report.includes('      - [ ] PRD — docs/prd.md does not exist (Exit Gates, p/01-a/exit-gates.yml:2)'),
      report.join('\n'),
    );
    assert.ok(report.includes('      - [ ] two (Exit Criteria, p/01-a/README.md:6)'), report.join('\n'));
  });
});

describe('a phase whose file was not read, in the Progress view', () => {
  const at = (id: string): PhaseDto => ({
    ...phase([]),
    uri: `file:///ws/docs/helix/${id}/README.md`,
    phase: id,
    complete: true,
    state: 'passed',
  });
  const unread = {
    phase: '02',
    uri: 'file:///ws/docs/helix/02-design/README.md',
    reason: 'binary content (NUL bytes), not a markdown document',
  };
  const w: WorkflowDto = {
    id: 'docs/helix',
    name: 'helix',
    folder: 'file:///ws',
    phases: [at('01'), at('03')],
    unreadPhases: [unread],
  };

  it('stands among the phases where its number does, saying it was not read and why', () => {
    assert.deepEqual(
      phaseRows(w, w.phases).map((p) => [p.phase, isUnreadPhase(p)]),
      [
        ['01', false],
        ['02', true],
        ['03', false],
      ],
    );
    // Beside the current phase alone, it is not shown.
    assert.deepEqual(
      phaseRows(w, [w.phases[1]]).map((p) => p.phase),
      ['03'],
    );
    const row = unreadPhaseView(unread);
    assert.equal(row.label, '02 README.md');
    assert.equal(row.description, `not read · ${unread.reason}`);
    assert.equal(row.state, 'errors');
    assert.equal(row.done, false);
    assert.match(row.tooltip, /^README\.md was not read: binary content/);
    assert.match(row.accessibilityLabel, /Phase 02, README\.md was not read: binary content/);
  });

  it('keeps the workflow from reading complete', () => {
    assert.equal(noCurrentText(w), 'phase 02 not read');
    assert.equal(noCurrentText({}), 'complete');
    const row = workflowView(w);
    assert.equal(row.description, 'phase 02 not read');
    assert.equal(row.state, 'errors');
    assert.equal(row.done, false);
    assert.doesNotMatch(row.tooltip, /all phases complete/);
    assert.equal(workflowView({ ...w, unreadPhases: undefined }).description, 'all phases complete');
  });
});
