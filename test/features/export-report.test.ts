// The exported gate report lies in the workspace it reports on: written from the server's
// own answer (cdp/workflows), then checked by every rule, it must add no finding and no
// checklist of its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateReportMarkdown } from '../../client/src/report-markdown';
import type { WorkflowsResult } from '../../server/src/protocol';
import { featureContext } from '../helpers/feature-context';
import { check, phaseDoc, ROOT } from '../helpers/memory-workspace';

const FILES: Record<string, string> = {
  'payments/01-diagnose.md': phaseDoc({
    title: 'Diagnose: Payments',
    phase: '"01"',
    next: '02-prescribe',
    body:
      '## Entry Criteria\n\n- [x] Incident opened\n\n## Exit Criteria\n\n' +
      '- [x] Root cause named\n- [ ] Problem statement approved by product\n- [ ] Success metric agreed\n',
  }),
  'payments/02-prescribe.md': phaseDoc({
    title: 'Prescribe: Payments',
    phase: '"02"',
    previous: '01-diagnose',
    body:
      '## Entry Criteria\n\n- [ ] Diagnose exit criteria met\n\n## Exit Criteria\n\n- Plan written\n- Plan reviewed\n\n' +
      '### Release Gate\n\n- [ ] Change advisory board approved\n',
  }),
  'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
  'docs/helix/01-frame/exit-gates.yml': [
    'exit_requirements:',
    '  automated:',
    '    - check: file_exists',
    '      path: docs/helix/01-frame/prd.md',
    '  manual:',
    '    - "Stakeholders agree"',
    '',
  ].join('\n'),
};

describe('exported gate report', () => {
  it('is read by the checker as no checklist and with no finding', async () => {
    const client = await featureContext(FILES);
    const { workflows } = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.equal(workflows.length, 2);
    const reportUri = `${ROOT}/payments-gate-report.md`;
    const md = gateReportMarkdown(workflows, { path: client.rel, reportUri });
    // The report links unmet items to their lines, phase documents and gate files alike.
    assert.match(md, /\(<payments\/01-diagnose\.md#L\d+>\)/);
    assert.match(md, /\(<docs\/helix\/01-frame\/exit-gates\.yml#L\d+>\)/);
    assert.match(md, /\*\*Exit Criteria\*\* \(exit criteria\): 0\/2 — 2 items have no checkbox/);

    const c = await check({ ...FILES, 'payments-gate-report.md': md });
    const own = c.findings.filter((f) => f.uri === reportUri);
    assert.deepEqual(
      own.map((f) => `${f.code}: ${f.message}`),
      [],
    );
    const entry = c.analysis.index.get(reportUri);
    assert.ok(entry, 'the report is indexed');
    assert.deepEqual(entry.doc.tasks, [], 'the report holds no task item');
    assert.deepEqual(entry.groups, [], 'the report holds no checklist');
  });
});
