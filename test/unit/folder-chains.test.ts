// Flat phase documents of one folder chained in pieces (01 → 02, then 04 → 05 after a
// missing 03) are one workflow instance when nothing else can be meant: the pieces hold
// phases in separate ranges and their file names agree apart from the phase. Pieces that
// share phases, or whose names differ otherwise (`a-…`, `b-…`), stay apart, and the answer
// depends neither on the order the files are listed in nor on which name sorts first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analysis } from '../../server/src/core/analysis';
import { resolveConfig } from '../../server/src/core/config';
import { loadWorkspace } from '../../server/src/core/load';
import { missingPhases, type WorkflowInstance } from '../../server/src/core/workflow';
import type { FileEntry } from '../../server/src/core/workspace';
import { check, MemoryWorkspace, ROOT } from '../helpers/memory-workspace';

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

/**
 * A CDP cycle 01–05 in `dir`, its files named `<prefix>NN-name.md`, each linked to the
 * phase before and after it (the links to the phases `without` lead nowhere).
 */
function cycle(dir: string, prefix: string, ...without: number[]): Record<string, string> {
  const names = ['diagnose', 'prescribe', 'treat', 'monitor', 'release'];
  const stem = (i: number) => `${prefix}0${i + 1}-${names[i]}`;
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    if (without.includes(i + 1)) continue;
    const name = names[i].charAt(0).toUpperCase() + names[i].slice(1);
    out[`${dir}/${stem(i)}.md`] = doc(`0${i + 1}`, name, {
      previous: i > 0 ? stem(i - 1) : undefined,
      next: i < names.length - 1 ? stem(i + 1) : undefined,
    });
  }
  return out;
}

const shape = (ws: readonly WorkflowInstance[]) =>
  ws.map((w) => `${w.id}: ${w.phases.map((p) => p.rel.slice(p.rel.lastIndexOf('/') + 1)).join(' ')}`);

const findings = (c: Awaited<ReturnType<typeof check>>) =>
  c.findings
    .filter((f) => f.code !== 'unmet-criterion' && f.code !== 'out-of-order')
    .map((f) => `${f.code} ${f.uri.slice(ROOT.length + 1)}:${f.range.start.line + 1}`);

describe('chains of phase documents in one folder', () => {
  it('reads a cycle whose 03 is missing as one workflow that lacks 03', async () => {
    const c = await check(cycle('c', '', 3));
    const ws = c.analysis.workflows();
    assert.deepEqual(shape(ws), ['c: 01-diagnose.md 02-prescribe.md 04-monitor.md 05-release.md']);
    assert.deepEqual(missingPhases(ws[0].phases.map((p) => p.phase!.id)), ['03']);
    // The gap is reported where the chain breaks, once per broken link; no workflow skips 01.
    assert.deepEqual(findings(c), ['broken-link c/02-prescribe.md:5', 'broken-link c/04-monitor.md:4']);
  });

  it('keeps two cycles named apart in one folder two workflows (a-01…a-03, b-04…b-05)', async () => {
    for (const [first, second] of [
      ['a-', 'b-'],
      ['b-', 'a-'],
    ]) {
      const c = await check({ ...cycle('c', first, 4, 5), ...cycle('c', second, 1, 2, 3) });
      const ws = shape(c.analysis.workflows()).map((w) => w.slice(w.indexOf(': ') + 2));
      assert.deepEqual(
        ws.sort(),
        [
          `${first}01-diagnose.md ${first}02-prescribe.md ${first}03-treat.md`,
          `${second}04-monitor.md ${second}05-release.md`,
        ].sort(),
      );
    }
  });

  it('keeps two full cycles sharing a folder two workflows, and joins only the one with the gap', async () => {
    const c = await check({ ...cycle('c', 'q1-'), ...cycle('c', 'q2-', 3) });
    assert.deepEqual(shape(c.analysis.workflows()), [
      'c: q1-01-diagnose.md q1-02-prescribe.md q1-03-treat.md q1-04-monitor.md q1-05-release.md',
      'c#2: q2-01-diagnose.md q2-02-prescribe.md q2-04-monitor.md q2-05-release.md',
    ]);
    // Two cycles named alike (no prefix to tell them apart) holding the same phases stay two.
    const same = await check({
      'e/01-a.md': doc('01', 'A', { next: '02-b' }),
      'e/02-b.md': doc('02', 'B', { previous: '01-a' }),
      'e/01-x.md': doc('01', 'X', { next: '02-y' }),
      'e/02-y.md': doc('02', 'Y', { previous: '01-x' }),
    });
    assert.deepEqual(shape(same.analysis.workflows()), ['e: 01-a.md 02-b.md', 'e#2: 01-x.md 02-y.md']);
  });

  it('leaves pieces whose phase ranges interleave apart', async () => {
    const c = await check({
      'e/01-a.md': doc('01', 'A', { next: '03-c' }),
      'e/03-c.md': doc('03', 'C', { previous: '01-a' }),
      'e/02-b.md': doc('02', 'B', { next: '04-d' }),
      'e/04-d.md': doc('04', 'D', { previous: '02-b' }),
    });
    assert.deepEqual(shape(c.analysis.workflows()), ['e: 01-a.md 03-c.md', 'e#2: 02-b.md 04-d.md']);
  });

  it('joins a gap with a doubled 04 into one workflow whose 04 is claimed twice', async () => {
    // The second 04 unlinked: before, it went with 01–02 and 04 → 05 stood apart.
    const unlinked = await check({
      'c/01-diagnose.md': doc('01', 'Diagnose', { next: '02-prescribe' }),
      'c/02-prescribe.md': doc('02', 'Prescribe', { previous: '01-diagnose' }),
      'c/04-verify.md': doc('04', 'Verify', { next: '05-release' }),
      'c/04-validate.md': doc('04', 'Validate'),
      'c/05-release.md': doc('05', 'Release', { previous: '04-verify' }),
    });
    assert.deepEqual(shape(unlinked.analysis.workflows()), [
      'c: 01-diagnose.md 02-prescribe.md 04-validate.md 04-verify.md 05-release.md',
    ]);
    assert.deepEqual(findings(unlinked), [
      'duplicate-phase c/04-validate.md:2',
      'duplicate-phase c/04-verify.md:2',
    ]);
    // Both 04s chained forward to 05: one piece 04, 04, 05 after 01 → 02.
    const chained = await check({
      'c/01-diagnose.md': doc('01', 'Diagnose', { next: '02-prescribe' }),
      'c/02-prescribe.md': doc('02', 'Prescribe', { previous: '01-diagnose', next: '03-treat' }),
      'c/04-monitor.md': doc('04', 'Monitor', { previous: '03-treat', next: '05-release' }),
      'c/04-recheck.md': doc('04', 'Recheck', { previous: '03-treat', next: '05-release' }),
      'c/05-release.md': doc('05', 'Release', { previous: '04-monitor' }),
    });
    assert.deepEqual(shape(chained.analysis.workflows()), [
      'c: 01-diagnose.md 02-prescribe.md 04-monitor.md 04-recheck.md 05-release.md',
    ]);
    assert.deepEqual(
      findings(chained).filter((f) => f.startsWith('duplicate-phase')),
      ['duplicate-phase c/04-monitor.md:2', 'duplicate-phase c/04-recheck.md:2'],
    );
  });

  it('gives the same workflows however the files are listed', async () => {
    const files: Record<string, string> = {
      ...cycle('gap', '', 3),
      ...cycle('ab', 'a-', 4, 5),
      ...cycle('ab', 'b-', 1, 2, 3),
      ...cycle('two', 'q1-'),
      ...cycle('two', 'q2-', 3),
      'doubled/01-diagnose.md': doc('01', 'Diagnose', { next: '02-prescribe' }),
      'doubled/02-prescribe.md': doc('02', 'Prescribe', { previous: '01-diagnose' }),
      'doubled/04-verify.md': doc('04', 'Verify', { next: '05-release' }),
      'doubled/04-validate.md': doc('04', 'Validate'),
      'doubled/05-release.md': doc('05', 'Release', { previous: '04-verify' }),
    };
    const built = async (order: (list: FileEntry[]) => FileEntry[]) => {
      const ws = new (class extends MemoryWorkspace {
        override async listFiles(folder: string, skip: (rel: string) => boolean, under = '') {
          return order(await super.listFiles(folder, skip, under));
        }
      })(files);
      const { index } = await loadWorkspace(ws, resolveConfig({}).config);
      return shape(new Analysis(index).workflows());
    };
    const expected = await built((l) => l);
    assert.deepEqual(expected, [
      'ab: a-01-diagnose.md a-02-prescribe.md a-03-treat.md',
      'ab#2: b-04-monitor.md b-05-release.md',
      'doubled: 01-diagnose.md 02-prescribe.md 04-validate.md 04-verify.md 05-release.md',
      'gap: 01-diagnose.md 02-prescribe.md 04-monitor.md 05-release.md',
      'two: q1-01-diagnose.md q1-02-prescribe.md q1-03-treat.md q1-04-monitor.md q1-05-release.md',
      'two#2: q2-01-diagnose.md q2-02-prescribe.md q2-04-monitor.md q2-05-release.md',
    ]);
    // Reversed, and a fixed shuffle of every rotation.
    assert.deepEqual(await built((l) => [...l].reverse()), expected);
    const n = Object.keys(files).length;
    for (let shift = 1; shift < n; shift++) {
      const order = (l: FileEntry[]) =>
        l
          .map((e, i) => ({ e, k: (i * 7 + shift) % n }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.e);
      assert.deepEqual(await built(order), expected);
    }
  });
});
