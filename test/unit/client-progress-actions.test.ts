// What the client's actions decide without the editor API (client/src/progress-model.ts):
// Space, Mark as Done and the checkboxes read the rows again after a refusal; the workflow
// pickers offer work under way, not definitions; the status bar reads a gate file as its phase.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  setCriteria,
  workflowOfGateFile,
  workflowPickDescription,
  workflowsToPick,
} from '../../client/src/progress-model';
import type { PhaseDto, WorkflowDto } from '../../server/src/protocol';

const phase = (id: string, complete: boolean): PhaseDto =>
  ({ uri: `file:///w/${id}.md`, phase: id, name: `P${id}`, complete }) as PhaseDto;
const workflow = (id: string, definition: boolean, current?: string): WorkflowDto => ({
  id,
  name: id,
  folder: 'file:///w',
  phases: [phase('01', current !== '01'), phase('02', current === undefined)],
  ...(definition ? { definition } : {}),
  ...(current ? { current } : {}),
});

describe('setCriteria (Space, Mark as Done, checkboxes in the Progress view)', () => {
  it('reads the rows again once when a criterion was refused, so the next try uses the new version', async () => {
    const asked: string[] = [];
    let refreshed = 0;
    const ok = await setCriteria(
      ['Impact sized', 'Reviewed'],
      async (c) => {
        asked.push(c);
        return c !== 'Impact sized';
      },
      async () => {
        refreshed++;
      },
    );
    assert.equal(ok, false);
    // every criterion is still tried, the refresh comes once, after them
    assert.deepEqual(asked, ['Impact sized', 'Reviewed']);
    assert.equal(refreshed, 1);
  });

  it('leaves the rows alone when every criterion was set', async () => {
    let refreshed = 0;
    const ok = await setCriteria(
      ['a', 'b'],
      async () => true,
      async () => {
        refreshed++;
      },
    );
    assert.equal(ok, true);
    assert.equal(refreshed, 0);
  });
});

describe('workflowsToPick (status bar, Check Gate…)', () => {
  it('leaves definitions out of a picker of work, and says what each workflow is at', () => {
    const all = [workflow('phases', true), workflow('checkout', false, '01'), workflow('done', false)];
    const picked = workflowsToPick(all);
    assert.deepEqual(
      picked.map((w) => [w.id, workflowPickDescription(w)]),
      [
        ['checkout', 'current: 01 P01'],
        ['done', 'complete'],
      ],
    );
  });

  it('offers the definitions when there is nothing else (a workflow library), never as complete', () => {
    const picked = workflowsToPick([workflow('helix', true)]);
    assert.deepEqual(
      picked.map((w) => [w.id, workflowPickDescription(w)]),
      [['helix', 'definition · 2 phases']],
    );
  });
});

describe('workflowOfGateFile (the status bar over a gate file or the confirmations)', () => {
  const same = (a: string, b: string) => a === b;
  const withGate = (w: WorkflowDto, file: string): WorkflowDto => ({
    ...w,
    phases: w.phases.map((p, i) =>
      i === 1 ? { ...p, groups: [{ heading: 'Exit Gates', file } as PhaseDto['groups'][number]] } : p,
    ),
  });
  const a = {
    ...workflow('a', false, '01'),
    phases: workflow('a', false, '01').phases.map((p) => ({ ...p, groups: [] })),
  };
  const b = withGate(
    { ...workflow('b', false, '02'), folder: 'file:///other', phases: a.phases },
    'file:///other/docs/02-design/GATE.yaml',
  );

  it('is the workflow of the phase that reads the gate file', () => {
    assert.equal(workflowOfGateFile([a, b], 'file:///other/docs/02-design/GATE.yaml', same)?.id, 'b');
    assert.equal(workflowOfGateFile([a, b], 'file:///other/docs/03-build/GATE.yaml', same), undefined);
  });

  it('for .cdp/confirmations.yml, the only workflow under way in its folder', () => {
    assert.equal(workflowOfGateFile([a, b], 'file:///w/.cdp/confirmations.yml', same)?.id, 'a');
    const a2 = { ...a, id: 'a2' };
    assert.equal(workflowOfGateFile([a, a2, b], 'file:///w/.cdp/confirmations.yml', same), undefined);
    // a definition beside it does not count
    assert.equal(
      workflowOfGateFile([a, { ...a2, definition: true }], 'file:///w/.cdp/confirmations.yml', same)?.id,
      'a',
    );
  });
});
