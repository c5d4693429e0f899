// What the editor's gate check shows of a workflow without the phase asked for (a verdict
// marked `missing`, as `cdp check --phase` fails it) and of one left out (`leftOut`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize, verdictMessage, verdictReport } from '../../client/src/progress-model';
import type { CheckGateResult, GateVerdictDto } from '../../server/src/protocol';

const met: GateVerdictDto = {
  workflow: 'q1',
  phase: '02',
  name: 'Prescribe',
  uri: 'file:///ws/q1/02-prescribe.md',
  groups: [{ heading: 'Exit Criteria', kind: 'exit', total: 2, checked: 2, passed: true }],
  passed: true,
  reasons: [],
  total: 2,
  checked: 2,
  unmet: [],
};

const skips = (workflow: string, last: string): GateVerdictDto => ({
  workflow,
  phase: '02',
  name: '',
  uri: `file:///ws/${workflow}/${last}`,
  groups: [],
  passed: false,
  reasons: [`Workflow ${workflow} has no phase 02: the workflow skips it`],
  total: 0,
  checked: 0,
  unmet: [],
  missing: true,
});

const path = (uri: string) => uri.replace('file:///ws/', '');

describe('a gate check of a phase some workflows lack', () => {
  it('fails, naming each workflow without it once, beside the verdicts of those that have it', () => {
    const result: CheckGateResult = {
      passed: false,
      verdicts: [met, skips('q2', '03-treat.md'), skips('docs/helix', '03-test/README.md')],
    };
    assert.equal(summarize(result), 'q1 › 02 Prescribe › Exit Criteria (2/2); 2 workflows without it');
    assert.equal(
      verdictMessage(result, 'Gate'),
      'Gate failed: Workflow q2 has no phase 02: the workflow skips it; Workflow docs/helix has no phase 02: the workflow skips it — q1 › 02 Prescribe › Exit Criteria (2/2); 2 workflows without it',
    );
    assert.deepEqual(verdictReport({ phase: '02' }, result, 'Gate', path), [
      'Gate check (02 Prescribe): FAILED',
      '  ✔ q1 › 02 Prescribe: 2/2 (q1/02-prescribe.md)',
      '      ✔ Exit Criteria: 2/2',
      '  ✘ q2 › 02: no phase to check (q2/03-treat.md)',
      '      Workflow q2 has no phase 02: the workflow skips it',
      '  ✘ docs/helix › 02: no phase to check (docs/helix/03-test/README.md)',
      '      Workflow docs/helix has no phase 02: the workflow skips it',
    ]);
  });

  it('where no workflow has it, names the phase asked for, not a count of nothing', () => {
    const result: CheckGateResult = { passed: false, verdicts: [skips('q2', '03-treat.md')] };
    assert.equal(summarize(result), 'q2 › 02 (no phase to check)');
    assert.equal(
      verdictMessage(result, 'Gate'),
      'Gate failed: Workflow q2 has no phase 02: the workflow skips it — q2 › 02 (no phase to check)',
    );
  });

  it('lists the workflows left out in the report', () => {
    const note = 'Workflow other has no phase 00 (it is optional): left out of the gate check.';
    const result: CheckGateResult = {
      passed: true,
      verdicts: [{ ...met, phase: '00', name: 'Discover' }],
      leftOut: [note],
    };
    assert.deepEqual(verdictReport({ phase: '00' }, result, 'Gate', path).slice(0, 2), [
      'Gate check (00 Discover): PASSED',
      `  ${note}`,
    ]);
  });
});
