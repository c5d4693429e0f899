import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { selectGate } from '../../server/src/core/gate';
import { missingPhases } from '../../server/src/core/workflow';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';
import { check } from '../helpers/memory-workspace';

const done = (n: string, name: string) =>
  `---\nphase: "${n}"\nname: ${name}\n---\n# ${name}\n\n## Exit Criteria\n\n- [x] done\n`;

describe('the phases of a known workflow before the first one written', () => {
  it('are counted as skipped from the first phase the known workflow requires', () => {
    assert.deepEqual(missingPhases(['04', '05'], 1), ['01', '02', '03']);
    assert.deepEqual(missingPhases(['05'], 1), ['01', '02', '03', '04']);
    assert.deepEqual(missingPhases(['01', '03'], 1), ['02']);
    // HELIX's 00 is optional: never required, whether written or not.
    assert.deepEqual(missingPhases(['01', '02'], 1), []);
    assert.deepEqual(missingPhases(['00', '02'], 1), ['01']);
    // A workflow of its own numbering: only the gaps between its phases.
    assert.deepEqual(missingPhases(['04', '05']), []);
  });

  it('block readiness of a CDP cycle whose first phases were never written', async () => {
    const root = tempWorkspace({
      'cycles/late/04-monitor.md': done('04', 'Monitor'),
      'cycles/late/05-release.md': done('05', 'Release'),
    });
    const summary = join(root, 'summary.md');
    const text = await run(['check', root, '--summary', summary]);
    assert.match(
      text.stdout,
      /^Workflow cycles\/late: the phases written so far complete \(phase 01, 02, 03 have no document\); 06 Follow up not written yet$/m,
    );
    assert.match(
      text.stdout,
      /^ {2}✗ 01 \(no document: the workflow skips this phase\)\n {2}✗ 02 .*\n {2}✗ 03 .*\n {2}✓ 04 Monitor/m,
    );
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /^Release readiness \(up to phase 05\): \*\*not ready\*\*, 3 blocking items$/m);
    assert.match(md, /` cycles\/late\/04-monitor\.md:1 ` 01 Phase document: \(missing\)/);
    const html = (await run(['report', root])).stdout;
    assert.match(html, /data-ready="false"><strong>Not ready for release<\/strong>: 3 blocking items/);
    // The editor's readiness check: the first phase written fails for the phases before it.
    const c = await check({
      'late/04-monitor.md': done('04', 'Monitor'),
      'late/05-release.md': done('05', 'Release'),
    });
    assert.deepEqual(
      selectGate(c.analysis, { readiness: true }).verdicts.map((v) => [
        v.phase.phase!.id,
        v.passed,
        v.reasons,
      ]),
      [
        ['04', false, ['phase 01, 02, 03 have no document (the workflow skips them)']],
        ['05', true, []],
      ],
    );
  });

  it('never require HELIX’s optional 00', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] done\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] done\n',
    });
    const summary = join(root, 'summary.md');
    const text = await run(['check', root, '--summary', summary]);
    assert.doesNotMatch(text.stdout, /✗ 00|phase 00/);
    assert.doesNotMatch(readFileSync(summary, 'utf8'), /00 Phase document/);
  });
});
