// Two chains in one folder of flat phase documents whose phase numbers do not overlap
// (01 → 02, then 04 → 05 after a missing 03) are one workflow instance, as phase
// documents spread over folders with different phases are: the folder is not read as two
// instances, the second of which would skip the phases the first one holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../helpers/memory-workspace';

const doc = (phase: string, name: string, links: { previous?: string; next?: string } = {}) =>
  [
    '---',
    `phase: ${phase}`,
    `name: ${name}`,
    ...(links.previous ? [`previous_phase: "[[${links.previous}]]"`] : []),
    ...(links.next ? [`next_phase: "[[${links.next}]]"`] : []),
    '---',
    '',
    `# ${name}`,
    '',
    '## Entry Criteria',
    '',
    '- [x] ready',
    '',
    '## Exit Criteria',
    '',
    '- [ ] done',
    '',
  ].join('\n');

const Q1 = 'releases/2026-q1';
const Q2 = 'releases/2026-q2';
const files: Record<string, string> = {
  // A complete cycle beside it, chained 01–06.
  [`${Q1}/01-diagnose.md`]: doc('01', 'Diagnose', { next: '02-prescribe' }),
  [`${Q1}/02-prescribe.md`]: doc('02', 'Prescribe', { previous: '01-diagnose', next: '03-plan' }),
  [`${Q1}/03-plan.md`]: doc('03', 'Plan', { previous: '02-prescribe', next: '04-verify' }),
  [`${Q1}/04-verify.md`]: doc('04', 'Verify', { previous: '03-plan', next: '05-release' }),
  [`${Q1}/05-release.md`]: doc('05', 'Release', { previous: '04-verify', next: '06-learn' }),
  [`${Q1}/06-learn.md`]: doc('06', 'Learn', { previous: '05-release' }),
  // No 03; 04 claimed twice, 05 chained from one of them.
  [`${Q2}/01-diagnose.md`]: doc('01', 'Diagnose', { next: '02-prescribe' }),
  [`${Q2}/02-prescribe.md`]: doc('02', 'Prescribe', { previous: '01-diagnose' }),
  [`${Q2}/04-verify.md`]: doc('04', 'Verify', { next: '05-release' }),
  [`${Q2}/04-validate.md`]: doc('04', 'Validate'),
  [`${Q2}/05-release.md`]: doc('05', 'Release', { previous: '04-verify' }),
};

const rel = (uri: string) => uri.slice(uri.indexOf('releases/'));

describe('a cycle folder with a missing phase and a phase claimed twice', () => {
  it('is one workflow instance, with the second 04 a duplicate-phase', async () => {
    const c = await check(files);
    assert.deepEqual(
      c.analysis
        .workflows()
        .map((w) => `${w.id}: ${w.phases.map((p) => `${p.phase!.id} ${rel(p.uri)}`).join(', ')}`),
      [
        `${Q1}: ${['01-diagnose', '02-prescribe', '03-plan', '04-verify', '05-release', '06-learn']
          .map((s) => `${s.slice(0, 2)} ${Q1}/${s}.md`)
          .join(', ')}`,
        `${Q2}: 01 ${Q2}/01-diagnose.md, 02 ${Q2}/02-prescribe.md, 04 ${Q2}/04-validate.md, ` +
          `04 ${Q2}/04-verify.md, 05 ${Q2}/05-release.md`,
      ],
    );
    const findings = c.findings
      .filter((f) => f.code !== 'unmet-criterion' && f.code !== 'out-of-order')
      .map((f) => `${f.code} ${rel(f.uri)}:${f.range.start.line + 1} ${f.message}`);
    // The second 04 claims a phase the first holds, in one workflow; the chains themselves
    // are reciprocal, so phase-chain has nothing to say.
    assert.deepEqual(findings, [
      `duplicate-phase ${Q2}/04-validate.md:2 Phase 04 is claimed by 2 documents of workflow "${Q2}": ${Q2}/04-validate.md, ${Q2}/04-verify.md.`,
      `duplicate-phase ${Q2}/04-verify.md:2 Phase 04 is claimed by 2 documents of workflow "${Q2}": ${Q2}/04-verify.md, ${Q2}/04-validate.md.`,
    ]);
    // Work in 05 runs ahead of the open phases before it, 04 Verify among them: one workflow.
    const release = c.findings.find((f) => f.code === 'out-of-order' && rel(f.uri) === `${Q2}/05-release.md`);
    assert.match(release?.message ?? '', /phase 01 \(Diagnose\).*02 Prescribe, 04 Validate, 04 Verify/);
  });

  it('keeps two chains of the same phases in one folder two instances', async () => {
    const c = await check({
      'e/01-a.md': doc('01', 'A', { next: '02-b' }),
      'e/02-b.md': doc('02', 'B', { previous: '01-a' }),
      'e/01-x.md': doc('01', 'X', { next: '02-y' }),
      'e/02-y.md': doc('02', 'Y', { previous: '01-x' }),
    });
    assert.deepEqual(
      c.analysis.workflows().map((w) => `${w.id}: ${w.phases.map((p) => p.phase!.id).join(' ')}`),
      ['e: 01 02', 'e#2: 01 02'],
    );
  });
});
