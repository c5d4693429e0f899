import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cmp } from '../../server/src/core/collections';
import type { DocEntry, WorkspaceIndex } from '../../server/src/core/index';
import { namesPhase } from '../../server/src/core/model';
import { basename } from '../../server/src/core/paths';
import { phaseHome, type WorkflowInstance } from '../../server/src/core/workflow';
import { check } from '../helpers/memory-workspace';

/**
 * The rule `buildWorkflows` follows to attach artifacts, written the plain way: every
 * artifact compared with every phase of every instance of its workspace folder.
 */
function plainArtifacts(index: WorkspaceIndex, instances: WorkflowInstance[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const namesStem = (value: string, p: DocEntry) => {
    const stem = p.phase!.folder ? basename(p.dir) : basename(p.rel).replace(/\.md$/i, '');
    return value.trim().toLowerCase() === stem.toLowerCase();
  };
  for (const e of index.all()) {
    const named = e.artifactPhase;
    if (named === undefined) {
      // Without it: the deepest folder phase of an instance (not a definition) holding it.
      if (e.phase) continue;
      let deepest: { w: WorkflowInstance; phase: DocEntry } | undefined;
      for (const w of instances) {
        if (w.definition || w.folder !== e.folder) continue;
        for (const p of w.phases) {
          if (!p.phase!.folder || p.dir === '' || !(e.dir === p.dir || e.dir.startsWith(`${p.dir}/`)))
            continue;
          if (!deepest || p.dir.length > deepest.phase.dir.length) deepest = { w, phase: p };
        }
      }
      if (deepest) {
        const key = `${deepest.w.id} ${deepest.phase.rel}`;
        out.set(key, [...(out.get(key) ?? []), e.rel].sort(cmp));
      }
      continue;
    }
    let best: { phase: DocEntry; depth: number } | undefined;
    const any: DocEntry[] = [];
    for (const w of instances) {
      if (w.folder !== e.folder) continue;
      const match = w.phases.filter((p) => namesPhase(named, p.phase!) || namesStem(named, p));
      if (match.length === 0) continue;
      any.push(...match);
      const home = phaseHome(w.phases[0]);
      if (home === '' || e.dir === home || e.dir.startsWith(`${home}/`)) {
        const depth = home === '' ? 0 : home.split('/').length;
        const own = match.find((p) => p.phase!.folder && (e.dir === p.dir || e.dir.startsWith(`${p.dir}/`)));
        if (!best || depth > best.depth) best = { phase: own ?? match[0], depth };
      }
    }
    const phase = best?.phase ?? (any.length === 1 ? any[0] : undefined);
    if (!phase) continue;
    const w = instances.find((x) => x.phases.includes(phase))!;
    const key = `${w.id} ${phase.rel}`;
    out.set(key, [...(out.get(key) ?? []), e.rel].sort(cmp));
  }
  return out;
}

const attached = (instances: WorkflowInstance[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const w of instances)
    for (const p of w.phases) {
      const list = w.artifacts.get(p.uri);
      if (list)
        out.set(
          `${w.id} ${p.rel}`,
          list.map((a) => a.rel),
        );
    }
  return out;
};

const sorted = (m: Map<string, string[]>) => [...m].sort((a, b) => cmp(a[0], b[0]));

describe('artifacts of phases', () => {
  it('attaches every artifact where comparing it with every phase would', async () => {
    const files: Record<string, string> = {};
    // Folder phases (HELIX), nested instances, flat phase files, a phase named like a
    // number, and phase names that only a stem or a slug reaches.
    for (const root of ['a/docs/helix', 'a/docs/helix/nested/wf', 'b/docs/helix']) {
      for (const [dir, title] of [
        ['01-frame', 'Phase 01: Frame'],
        ['02-design', 'Phase 02: Design Work'],
        ['03-test', 'Phase 03: 7 Checks'],
      ]) {
        files[`${root}/${dir}/README.md`] = `# ${title}\n\nText.\n`;
        files[`${root}/${dir}/GATE.yaml`] = 'exit_requirements:\n  manual: ["done"]\n';
      }
    }
    files['c/01-plan.md'] = '---\nphase: 1\n---\n# Plan\n\n## Exit Criteria\n\n- [ ] planned\n';
    files['c/02-ship.md'] =
      '---\nphase: 2\nname: Ship It\n---\n# Ship\n\n## Exit Criteria\n\n- [ ] shipped\n';
    // A phase whose file stem is not its name: only the stem reaches it by that word.
    files['d/kickoff.md'] = '---\nphase: 1\n---\n# Start\n\n## Exit Criteria\n\n- [ ] started\n';
    // Two chains in one folder: two instances with the same home (the first one wins).
    const flat = (phase: number, title: string, link: string) =>
      `---\nphase: ${phase}\n${link}\n---\n# ${title}\n\n## Exit Criteria\n\n- [ ] done\n`;
    files['e/01-a.md'] = flat(1, 'A', 'next_phase: "[[02-b]]"');
    files['e/02-b.md'] = flat(2, 'B', 'previous_phase: "[[01-a]]"');
    files['e/01-x.md'] = flat(1, 'X', 'next_phase: "[[02-y]]"');
    files['e/02-y.md'] = flat(2, 'Y', 'previous_phase: "[[01-x]]"');
    const values = [
      'kickoff',
      '" KickOff"',
      '"01-frame"',
      'frame',
      'Frame',
      '"1"',
      '"01"',
      'design work',
      'Design-Work',
      '02-design',
      '"02-DESIGN"',
      '" 03-test "',
      '7 checks',
      '"7-checks"',
      'ship it',
      '01-plan',
      '02-ship',
      'plan',
      '"99"',
      'nowhere',
      '"!!"',
      'FRAME ',
    ];
    const places = [
      'a/docs/helix/01-frame',
      'a/docs/helix/02-design/adr',
      'a/docs/helix/nested/wf/03-test',
      'a/docs/helix',
      'a',
      'b/docs/helix/01-frame/features',
      'c',
      'c/notes',
      'd',
      'e',
      'e/sub',
      'elsewhere',
    ];
    let n = 0;
    for (const v of values)
      for (const place of places)
        files[`${place}/art-${n++}.md`] = `---\nphase: ${v}\n---\n# Artifact ${n}\n`;
    // And documents that do not name a phase: those in an instance's phase folder (at any
    // depth, the deepest phase folder's) are its artifacts; a definition's are not.
    for (const place of [...places, 'a/docs/helix/nested/wf/03-test/deep/er', 'lib/phases/01-a/artifacts/x'])
      files[`${place}/plain-${n++}.md`] = `# Plain ${n}\n`;
    files['lib/workflow.yml'] = 'name: lib\n';
    files['lib/phases/01-a/README.md'] = '# Phase 01: A\n\n## Exit Criteria\n\n- [ ] a\n';
    const c = await check(files);
    const instances = c.analysis.workflows();
    assert.ok(instances.length >= 6, instances.map((w) => w.id).join(', '));
    assert.ok(
      instances.some((w) => w.id === 'e#2'),
      instances.map((w) => w.id).join(', '),
    );
    const expected = plainArtifacts(c.analysis.index, instances);
    // The workspace exercises attachment (some artifacts attached, some not).
    const count = [...expected.values()].reduce((s, l) => s + l.length, 0);
    assert.ok(count > 40 && count < n, `${count} of ${n}`);
    assert.deepEqual(sorted(attached(instances)), sorted(expected));
    // The rule itself, for documents without phase metadata.
    const holder = (dir: string) =>
      [...attached(instances)]
        .filter(([, list]) => list.some((r) => r.startsWith(`${dir}/plain-`)))
        .map(([k]) => k);
    assert.deepEqual(holder('a/docs/helix/nested/wf/03-test/deep/er'), [
      'a/docs/helix/nested/wf a/docs/helix/nested/wf/03-test/README.md',
    ]);
    assert.deepEqual(holder('b/docs/helix/01-frame/features'), [
      'b/docs/helix b/docs/helix/01-frame/README.md',
    ]);
    assert.deepEqual(holder('a/docs/helix'), []);
    assert.deepEqual(holder('lib/phases/01-a/artifacts/x'), []);
    assert.ok(instances.some((w) => w.definition && w.id === 'lib/phases'));
  });
});
