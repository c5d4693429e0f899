// Which gate commands "Run Gate Commands…" runs for the palette, a Progress row or a gate
// file's line, and what its confirmation says (client/src/gate-commands-model.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commandResultLine,
  confirmationText,
  gateCommandsOf,
  hasGateFiles,
  rowContext,
  SHOWN_COMMANDS,
} from '../../client/src/gate-commands-model';
import { criterionContext } from '../../client/src/progress-model';
import type { CriterionDto, GroupDto, PhaseDto, WorkflowDto } from '../../server/src/protocol';

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const check = (line: number, text: string, command?: string): CriterionDto => ({
  line,
  checked: false,
  text,
  range: RANGE,
  state: 'not-evaluated',
  ...(command !== undefined ? { command } : {}),
});

const group = (file: string | undefined, heading: string, items: CriterionDto[]): GroupDto => ({
  heading,
  kind: 'exit',
  line: 0,
  total: items.length,
  checked: 0,
  passed: false,
  items,
  ...(file ? { file } : {}),
});

const phase = (dir: string, groups: GroupDto[]): PhaseDto =>
  ({
    uri: `file:///ws/docs/helix/${dir}/README.md`,
    phase: dir.slice(0, 2),
    name: dir.slice(3),
    title: dir,
    groups,
  }) as PhaseDto;

const GATE_03 = 'file:///ws/docs/helix/03-test/GATE.yaml';
const EXIT_04 = 'file:///ws/docs/helix/04-build/exit-gates.yml';
const test03 = phase('03-test', [
  group(GATE_03, 'Exit Requirements', [
    check(2, 'Tests fail first', 'npm test'),
    check(5, 'Plan written'), // file_exists: no command
  ]),
  // a phase document's own checklist: never a command
  group(undefined, 'Exit Criteria', [{ line: 9, checked: false, text: 'Reviewed', range: RANGE }]),
]);
const build04 = phase('04-build', [
  group(EXIT_04, 'Exit Gates', [check(3, 'Lint clean', 'npm run lint'), check(7, 'Tests pass', 'npm test')]),
  group(EXIT_04, 'Security', [check(12, 'Scan clean', 'npm audit')]),
]);
const workflow: WorkflowDto = { id: 'helix', name: 'helix', folder: 'file:///ws', phases: [test03, build04] };
const definition: WorkflowDto = {
  id: 'def',
  name: 'Definition',
  folder: 'file:///ws',
  definition: true,
  phases: [phase('01-frame', [group('file:///ws/def/01-frame/GATE.yaml', 'G', [check(1, 'T', 'rm -rf /')])])],
};
const all = [workflow, definition];
const lines = (l: ReturnType<typeof gateCommandsOf>) =>
  l.map((c) => `${c.phase.phase}:${c.line} ${c.command}`);

describe('Run Gate Commands… targets', () => {
  it('from the palette: every command of every workflow, in tree order, never a definition’s', () => {
    assert.deepEqual(lines(gateCommandsOf(all, undefined)), [
      '03:2 npm test',
      '04:3 npm run lint',
      '04:7 npm test',
      '04:12 npm audit',
    ]);
  });

  it('from a row: the commands under that phase, group or check', () => {
    assert.deepEqual(lines(gateCommandsOf(all, { kind: 'phase', workflow, phase: build04 })), [
      '04:3 npm run lint',
      '04:7 npm test',
      '04:12 npm audit',
    ]);
    const security = build04.groups[1]!;
    assert.deepEqual(
      lines(gateCommandsOf(all, { kind: 'group', workflow, phase: build04, group: security })),
      ['04:12 npm audit'],
    );
    const lint = build04.groups[0]!.items[0]!;
    assert.deepEqual(
      lines(
        gateCommandsOf(all, {
          kind: 'criterion',
          workflow,
          phase: build04,
          group: build04.groups[0]!,
          criterion: lint,
        }),
      ),
      ['04:3 npm run lint'],
    );
    const plan = test03.groups[0]!.items[1]!;
    assert.deepEqual(
      gateCommandsOf(all, {
        kind: 'criterion',
        workflow,
        phase: test03,
        group: test03.groups[0]!,
        criterion: plan,
      }),
      [],
      'a check without a command runs nothing',
    );
    assert.deepEqual(
      gateCommandsOf(all, { kind: 'workflow', workflow: definition }),
      [],
      'a definition runs nothing',
    );
  });

  it('from the quick fix: the check on that line of that gate file, however the URI is spelled', () => {
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    assert.deepEqual(
      lines(gateCommandsOf(all, { kind: 'line', uri: EXIT_04.toUpperCase(), line: 7 }, same)),
      ['04:7 npm test'],
    );
    assert.deepEqual(gateCommandsOf(all, { kind: 'line', uri: EXIT_04, line: 8 }), []);
    assert.deepEqual(
      gateCommandsOf(all, { kind: 'line', uri: 'file:///ws/def/01-frame/GATE.yaml', line: 1 }),
      [],
    );
  });

  it('confirms with the count, the folder and the first command lines', () => {
    const list = gateCommandsOf(all, undefined);
    const { message, detail } = confirmationText(list, (u) => u.replace('file://', ''));
    assert.equal(message, 'Run 4 gate commands in /ws?');
    assert.match(detail, /^npm test\n {4}03 test › Tests fail first\nnpm run lint\n/);
    assert.ok(detail.includes('npm audit'));
    const many = Array.from({ length: SHOWN_COMMANDS + 3 }, () => list[0]!);
    assert.match(confirmationText(many, (u) => u).detail, /… and 3 more/);
    const one = confirmationText(list.slice(0, 1), (u) => u);
    assert.equal(one.message, 'Run 1 gate command in file:///ws?');
    const two = confirmationText(
      [list[0]!, { ...list[1]!, workflow: { ...workflow, folder: 'file:///other' } }],
      (u) => u.replace('file://', ''),
    );
    assert.equal(two.message, 'Run 2 gate commands in 2 folders (/ws, /other)?');
  });

  it('gives checks that run a command their own row context', () => {
    assert.equal(criterionContext(check(3, 'Lint clean', 'npm run lint'), true), 'cdp.check.command');
    assert.equal(criterionContext(check(5, 'Plan written'), true), 'cdp.check');
  });

  it('marks the phase and group rows that have a command to run, and only those', () => {
    const [gate03, own03] = test03.groups;
    const [exit04, security04] = build04.groups;
    assert.equal(rowContext(workflow, test03), 'cdp.phase.commands');
    assert.equal(rowContext(workflow, build04), 'cdp.phase.commands');
    assert.equal(rowContext(workflow, test03, gate03!), 'cdp.group.commands');
    assert.equal(rowContext(workflow, build04, security04!), 'cdp.group.commands');
    assert.equal(rowContext(workflow, build04, { ...exit04!, kind: 'gate' }), 'cdp.gate.commands');
    // a phase document's own checklist, a gate file group of declarative checks only
    assert.equal(rowContext(workflow, test03, own03!), 'cdp.group');
    const declarative = group(GATE_03, 'Inputs', [check(8, 'Plan written')]);
    const plain = phase('05-deploy', [{ ...declarative, kind: 'gate' }]);
    const w = { ...workflow, phases: [plain] };
    assert.equal(rowContext(w, plain), 'cdp.phase');
    assert.equal(rowContext(w, plain, plain.groups[0]!), 'cdp.gate');
    // a definition's gate files are templates: nothing is run there
    assert.equal(rowContext(definition, definition.phases[0]!), 'cdp.phase');
    assert.equal(
      rowContext(definition, definition.phases[0]!, definition.phases[0]!.groups[0]!),
      'cdp.group',
    );
  });

  it('logs a run once: the exit code only where the reason does not give it', () => {
    const base = { cwd: '/ws', ms: 2 };
    assert.equal(
      commandResultLine('exit 3', 'GATE.yaml:7', {
        ...base,
        state: 'failed',
        exit: 3,
        reason: '`exit 3` failed (exit 3)',
      }),
      '✗ exit 3 (GATE.yaml:7, in /ws): failed — `exit 3` failed (exit 3) (2 ms)',
    );
    assert.equal(
      commandResultLine('npm test', 'GATE.yaml:3', { ...base, state: 'passed', exit: 0 }),
      '✓ npm test (GATE.yaml:3, in /ws): passed (exit 0, 2 ms)',
    );
    assert.equal(
      commandResultLine('npm test', 'GATE.yaml:3', { refused: 'the workspace is not trusted' }),
      '✗ npm test (GATE.yaml:3): not run — the workspace is not trusted',
    );
  });

  it('knows whether a live workflow has gate files (the palette offers the gate-file commands then)', () => {
    const wf = (definition: boolean, file?: string) =>
      ({
        id: 'w',
        name: 'w',
        folder: 'file:///ws',
        definition,
        phases: [{ groups: [{ heading: 'Exit Criteria', ...(file ? { file } : {}) }] }],
      }) as unknown as WorkflowDto;
    assert.equal(hasGateFiles([]), false);
    assert.equal(hasGateFiles([wf(false)]), false, 'checklists of its own only');
    assert.equal(hasGateFiles([wf(true, 'file:///ws/lib/GATE.yaml')]), false, 'a definition’s gate files');
    assert.equal(hasGateFiles([wf(false), wf(false, 'file:///ws/01-frame/GATE.yaml')]), true);
  });
});
