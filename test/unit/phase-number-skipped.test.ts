import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lackingPhase, matchPhase, phaseNotWrittenIn } from '../../server/src/core/gate';
import type { WorkflowInstance } from '../../server/src/core/workflow';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';
import { check } from '../helpers/memory-workspace';

const readme = (n: string, name: string, ticked: boolean) =>
  `# Phase ${n}: ${name}\n\n## Exit Criteria\n\n- [${ticked ? 'x' : ' '}] done\n`;

/**
 * A HELIX-like workflow of 01 and 03 whose 03 is named Build (HELIX builds in 04): numbered
 * its own way, it follows no known workflow, and it skips 02.
 */
const ownNumbering = {
  'helix/01-frame/README.md': readme('01', 'Frame', true),
  'helix/03-build/README.md': readme('03', 'Build', false),
};

async function workflowOf(files: Record<string, string>, id: string): Promise<WorkflowInstance> {
  const w = (await check(files)).analysis.workflows().find((x) => x.id === id);
  assert.ok(w, `workflow ${id}`);
  return w;
}

describe('--phase <number> that a workflow skips', () => {
  it('is a phase the workflow skips by number, whatever its phases are named', async () => {
    const w = await workflowOf(ownNumbering, 'helix');
    assert.deepEqual(matchPhase(w, '02'), []);
    assert.equal(phaseNotWrittenIn(w, '02'), true);
    assert.equal(lackingPhase(w, '02', true), 'Workflow helix has no phase 02: the workflow skips it');
    // After its last phase, a workflow of its own numbering has nothing still to write.
    assert.equal(phaseNotWrittenIn(w, '04'), false);
    // A name is matched by name: its own phase's, not the number a known workflow gives it.
    assert.deepEqual(
      matchPhase(w, 'build').map((p) => p.phase!.id),
      ['03'],
    );
    assert.equal(phaseNotWrittenIn(w, 'design'), false);
    // Named as HELIX numbers it (03 Test), the same gap reads the same.
    const helix = await workflowOf(
      {
        'helix/01-frame/README.md': readme('01', 'Frame', true),
        'helix/03-test/README.md': readme('03', 'Test', false),
      },
      'helix',
    );
    assert.equal(phaseNotWrittenIn(helix, '02'), true);
  });

  it('fails that workflow\'s gate when no workflow has the phase (it was "no phase found")', async () => {
    const root = tempWorkspace(ownNumbering);
    const text = await run(['check', root, '--phase', '02']);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^ {2}✗ 02 \(no document: the workflow skips this phase\)$/m);
    assert.match(text.stdout, /^ {2}FAILED Workflow helix has no phase 02: the workflow skips it$/m);
    assert.match(text.stderr, /^cdp: Workflow helix has no phase 02: the workflow skips it$/m);
    assert.doesNotMatch(text.stderr, /no phase "02" found/);
    const json = await run(['check', root, '--phase', '2', '--format', 'json']);
    assert.equal(json.code, 1, json.stderr);
    assert.deepEqual(
      JSON.parse(json.stdout).gates.map((g: { workflow: string; passed: boolean; missing?: boolean }) => [
        g.workflow,
        g.passed,
        g.missing,
      ]),
      [['helix', false, true]],
    );
    // Its phases by name and number still select as before; a number after its last, a
    // name it does not have and one only a known workflow numbers so remain usage errors.
    const build = await run(['check', root, '--phase', 'build']);
    assert.equal(build.code, 1, build.stderr);
    assert.match(build.stdout, /^ {2}FAILED helix 03 Build: Exit Criteria \(0\/1, 1 unmet\)$/m);
    for (const asked of ['04', 'design', 'release']) {
      const r = await run(['check', root, '--phase', asked]);
      assert.equal(r.code, 2, `${asked}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^cdp: no phase "[^"]+" found/m, asked);
    }
  });

  it('gives every workflow of a monorepo a verdict where none has the phase', async () => {
    const root = tempWorkspace({
      'a/docs/helix/01-frame/README.md': readme('01', 'Frame', true),
      'a/docs/helix/02-design/README.md': readme('02', 'Design', true),
      'a/docs/helix/03-test/README.md': readme('03', 'Test', true),
      'c/docs/helix/01-frame/README.md': readme('01', 'Frame', true),
      'c/docs/helix/02-design/README.md': readme('02', 'Design', true),
      'c/docs/helix/03-build/README.md': readme('03', 'Build', true),
      'c/docs/helix/05-deploy/README.md': readme('05', 'Deploy', true),
    });
    const r = await run(['check', root, '--phase', '04']);
    assert.equal(r.code, 1, r.stderr);
    const verdicts = r.stdout.slice(r.stdout.indexOf('Gate check:')).split('\n\n')[0];
    assert.deepEqual(verdicts.split('\n').slice(1), [
      '  FAILED Workflow a/docs/helix has no phase 04 yet: its last phase is 03 Test',
      '  FAILED Workflow c/docs/helix has no phase 04: the workflow skips it',
    ]);
  });
});
