import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { compilePatterns, computeGroups, groupReason, untrackedLines } from '../../server/src/core/model';
import { parseDocument } from '../../server/src/core/parse/document';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';
import { check } from '../helpers/memory-workspace';

const groupsOf = (text: string) =>
  computeGroups(parseDocument('file:///ws/01-build.md', text), compilePatterns(defaultConfig())).map(
    (g) => `${g.heading} (${g.kind}) ${g.checked}/${g.total}`,
  );

describe('criteria written in sub-sections', () => {
  it('keeps the sub-sections of an entry or exit heading its criteria', () => {
    assert.deepEqual(
      groupsOf(
        '# Build\n\n## Entry Criteria\n\n- [x] planned\n\n## Exit Criteria\n\n### Technical\n\n- [ ] compiles\n\n#### Tests\n\n- [x] green\n\n### Business\n\n- [x] demo\n\n### Release Gate\n\n- [ ] signed\n\n## Notes\n\n- [ ] tidy up\n',
      ),
      [
        'Entry Criteria (entry) 1/1',
        'Technical (exit) 0/1',
        'Tests (exit) 1/1',
        'Business (exit) 1/1',
        // a gate of its own inside the section stays a gate; a later section is no criterion
        'Release Gate (gate) 0/1',
        'Notes (checklist) 0/1',
      ],
    );
  });

  it('reads a heading parted by a line break tag as its words: its name and its kind', () => {
    assert.deepEqual(
      groupsOf(
        '# D\n\n## Entry<br>Criteria\n\n- [x] ok\n\n## Exit<BR />Criteria\n\n- [ ] not yet\n\n### Release<br>Gate\n\n- [ ] go\n',
      ),
      ['Entry Criteria (entry) 1/1', 'Exit Criteria (exit) 0/1', 'Release Gate (gate) 0/1'],
    );
  });

  it('keeps the sub-sections of a gate heading its items (the gate is not empty)', () => {
    assert.deepEqual(
      groupsOf(
        '# Release\n\n## Production Readiness Gate\n\n### Automated\n\n- [ ] SAST clean\n\n### Manual\n\n- [x] CISO sign-off\n\n## Security Gate\n\nTo be written.\n',
      ),
      ['Automated (gate) 0/1', 'Manual (gate) 1/1', 'Security Gate (gate) 0/0'],
    );
  });

  it('an entry or exit heading with its criteria in prose or a table is a group that never passes', async () => {
    const text =
      '# Monitor\n\n## Entry Criteria\n\n- [x] treated\n\n## Exit Criteria\n\nAll dashboards live for 14 days.\n\n| Criterion | Met |\n| --- | --- |\n| Error rate | ❌ |\n';
    assert.deepEqual(groupsOf(text), ['Entry Criteria (entry) 1/1', 'Exit Criteria (exit) 0/0']);
    const exit = computeGroups(
      parseDocument('file:///ws/01-build.md', text),
      compilePatterns(defaultConfig()),
    )[1];
    assert.equal(exit.passed, false);
    assert.equal(
      groupReason(exit),
      'Exit Criteria: no checklist items (criteria in prose or a table, or none written yet, cannot be ticked)',
    );
    // An empty section is said so too, not only prose (nothing is written under it).
    const empty = await check({
      '01-build.md': '---\nphase: 01\n---\n# Build\n\n## Exit Criteria\n\n## Notes\n',
    });
    assert.deepEqual(empty.of('unmet-criterion'), [
      '01-build.md:6:4 Unmet exit criteria (Exit Criteria): no checklist items (criteria in prose or a table, or none written yet), nothing can be ticked off, so the phase cannot be complete. Write them as `- [ ]` items.',
    ]);
    // With its items in sub-sections, it stands for no group of its own.
    assert.deepEqual(groupsOf('# M\n\n## Exit Criteria\n\nBelow.\n\n### Ops\n\n- [ ] paged\n'), [
      'Ops (exit) 0/1',
    ]);
  });
});

describe('criteria boxes GFM does not read', () => {
  it('keep their group from passing, with the reason', () => {
    const text =
      '# Monitor\n\n## Exit Criteria\n\n- [x] Dashboards live\n- [ ]Alerts routed\n- [/] Load test\n- [-] Importer\n\n## Notes\n\n- [x] tidy\n- [/] later\n';
    const groups = computeGroups(
      parseDocument('file:///ws/04-monitor.md', text),
      compilePatterns(defaultConfig()),
    );
    const [exit, notes] = groups;
    assert.equal(exit.passed, false);
    assert.equal(
      groupReason(exit),
      'Exit Criteria: 2 boxes are not checkboxes GFM reads (malformed-checkbox)',
    );
    // a plain checklist is not held back by them (it holds no criteria)
    assert.equal(notes.passed, true);
    // Unticked boxes beside them are named too.
    const [both] = computeGroups(
      parseDocument(
        'file:///ws/02-prescribe.md',
        '# P\n\n## Exit Criteria\n\n- [ ] Risks named\n- [] Estimate agreed\n',
      ),
      compilePatterns(defaultConfig()),
    );
    assert.equal(
      groupReason(both),
      'Exit Criteria: 1 of 1 unticked, and 1 box is not a checkbox GFM reads (malformed-checkbox)',
    );
  });

  it('a `[-]` item (not applicable) is left alone: no criterion and no list item without a checkbox, in both parsers', () => {
    const alone = '# Monitor\n\n## Exit Criteria\n\n- [-] Alerts tuned (N/A)\n- [-]\n';
    const beside = '# Monitor\n\n## Exit Criteria\n\n- [x] Dashboards reviewed\n- [-] Alerts tuned (N/A)\n';
    const plain = '# Monitor\n\n## Exit Criteria\n\n- [-]Alerts glued\n- [--] two\n';
    for (const parser of ['fast', 'remark'] as const) {
      const p = compilePatterns(defaultConfig());
      const a = parseDocument('file:///ws/04-monitor.md', alone, parser);
      assert.equal(a.plainItems, undefined, parser);
      assert.deepEqual(a.tasks, [], parser);
      // The section reads as one without checklist items, not as items lacking a checkbox.
      const [g] = computeGroups(a, p);
      assert.equal(
        `${g.heading} ${g.total} ${g.untracked ?? 0} ${g.passed}`,
        'Exit Criteria 0 0 false',
        parser,
      );
      const [b] = computeGroups(parseDocument('file:///ws/04-monitor.md', beside, parser), p);
      assert.equal(`${b.checked}/${b.total} ${b.passed}`, '1/1 true', parser);
      // Only a `[-]` box followed by white space is one.
      assert.deepEqual(parseDocument('file:///ws/04-monitor.md', plain, parser).plainItems, [4, 5], parser);
    }
  });

  it('are no list items without a checkbox when every box of the group is one, and get no box added', async () => {
    const text =
      '# Treat\n\n---\nphase: 03\nname: Treat\n---\n\n## Exit Criteria\n\n- [x ] Flags on\n- [✓] Rolled out\n- [ ]Docs\n\n## Entry Criteria\n\n- [ ]Shipped\n- Planned\n';
    const doc = parseDocument('file:///ws/03-treat.md', text);
    assert.deepEqual(doc.plainItems, [16], 'only the item with no box at all');
    const [exit, entry] = computeGroups(doc, compilePatterns(defaultConfig()));
    assert.equal(`${exit.heading} ${exit.checked}/${exit.total} ${exit.passed}`, 'Exit Criteria 0/3 false');
    assert.equal(
      groupReason(exit),
      'Exit Criteria: 3 boxes are not checkboxes GFM reads (malformed-checkbox)',
    );
    assert.equal(entry.untracked, 1);
    assert.equal(entry.total, 2, 'the item without a box and the malformed one');
    assert.equal(entry.passed, false);
    // Under a sub-section of the criteria (a heading or a collapsible section) a plain list
    // is no list of criteria, but a malformed box still holds the gate.
    for (const sub of ['### More\n\n', '<details>\n<summary>More</summary>\n\n']) {
      const held = computeGroups(
        parseDocument(
          'file:///ws/05-release.md',
          `# Release\n\n## Exit Criteria\n\n- [x] ok\n\n${sub}- [ x] one\n- done two\n`,
        ),
        compilePatterns(defaultConfig()),
      );
      assert.deepEqual(
        held.map((g) => `${g.heading} ${g.kind} ${g.checked}/${g.total} ${g.passed}`),
        ['Exit Criteria exit 1/1 true', 'More exit 0/1 false'],
        sub,
      );
    }
    // The same inside a collapsible section.
    const folded = parseDocument(
      'file:///ws/03-treat.md',
      '# Treat\n\n## Notes\n\n<details>\n<summary>Exit Criteria</summary>\n\n- [x ] Flags on\n- Planned\n\n</details>\n',
    );
    assert.deepEqual(folded.plainItems, [8]);
    const c = await check({ 'wf/03-treat.md': text });
    assert.deepEqual(
      c.of('malformed-checkbox').map((f) => f.split(' ')[0]),
      ['wf/03-treat.md:10:1', 'wf/03-treat.md:11:1', 'wf/03-treat.md:12:1', 'wf/03-treat.md:16:1'],
    );
  });
});

describe('what is not held against a phase', () => {
  it('entry criteria in prose, a list of links under an exit sub-section, notation outside criteria', async () => {
    const c = await check({
      'wf/01-a.md':
        '---\nphase: 1\n---\n# A\n\n## Entry Criteria\n\nNone — this is the first phase.\n\n## Exit Criteria\n\n- [x] Written\n- [-] Mobile logs (not applicable)\n\n### Related documents\n\n- [Runbook](../runbook.md)\n',
      'runbook.md': '# Runbook\n',
      'notes.md':
        '# Notes\n\n- [x], [y] are coordinates\n- [/] the root path in the legend\n- [x]_i is a component\n',
    });
    const a = c.analysis.workflows()[0].phases[0];
    assert.deepEqual(
      a.groups.map((g) => `${g.heading} (${g.kind}) ${g.checked}/${g.total} ${g.passed}`),
      ['Exit Criteria (exit) 1/1 true'],
    );
    assert.deepEqual(c.of('malformed-checkbox'), []);
    assert.deepEqual(c.of('unmet-criterion'), []);
    // Exit criteria in prose: the phase cannot be complete, and the heading says why.
    const prose = await check({
      'wf/01-a.md': '---\nphase: 1\n---\n# A\n\n## Exit Criteria\n\nAll dashboards live.\n',
    });
    assert.deepEqual(
      prose.of('unmet-criterion').map((f) => f.split(' ')[0]),
      ['wf/01-a.md:6:4'],
    );
    // The text report says so, not that the group has no criteria (an empty gate).
    const root = tempWorkspace({
      'wf/01-a.md': '---\nphase: 1\n---\n# A\n\n## Exit Criteria\n\nAll dashboards live.\n',
    });
    assert.match(
      (await run(['check', root])).stdout,
      /\n {8}Exit Criteria \(exit\) 0\/0 \(no checklist items: criteria in prose or a table, or none; nothing to tick\)\n/,
    );
  });
});

describe('workflow instances across folders', () => {
  const doc = (n: string, name: string, links: string, box = ' ') =>
    `---\nphase: ${n}\nname: ${name}\n${links}---\n# ${name}\n\n## Exit Criteria\n\n- [${box}] done\n`;

  it('a cycle that points back at the one before stays an instance of its own', async () => {
    const files: Record<string, string> = {};
    for (const q of ['q1', 'q2']) {
      files[`${q}/01-diagnose.md`] = doc('01', 'Diagnose', 'next_phase: "[[02-treat]]"\n', 'x');
      files[`${q}/02-treat.md`] = doc('02', 'Treat', 'previous_phase: "[[01-diagnose]]"\n');
    }
    files['q2/01-diagnose.md'] = doc(
      '01',
      'Diagnose',
      'previous_phase: "[[../q1/02-treat]]"\nnext_phase: "[[02-treat]]"\n',
      'x',
    );
    const c = await check(files);
    assert.deepEqual(
      c.analysis.workflows().map((w) => `${w.id}: ${w.phases.map((p) => p.rel).join(', ')}`),
      ['q1: q1/01-diagnose.md, q1/02-treat.md', 'q2: q2/01-diagnose.md, q2/02-treat.md'],
    );
    assert.deepEqual(c.of('duplicate-phase'), []);
  });

  it('a workflow spread over folders with a phase written twice stays one, with duplicate-phase', async () => {
    const c = await check({
      'plan/01-diagnose.md': doc('01', 'Diagnose', 'next_phase: "[[02-prescribe]]"\n', 'x'),
      'plan/02-prescribe.md': doc(
        '02',
        'Prescribe',
        'previous_phase: "[[01-diagnose]]"\nnext_phase: "[[../build/03-treat]]"\n',
      ),
      'build/03-treat.md': doc('03', 'Treat', 'previous_phase: "[[../plan/02-prescribe]]"\n'),
      'build/02-prescribe-v2.md': doc('02', 'Prescribe again', ''),
    });
    assert.equal(c.analysis.workflows().length, 1);
    assert.equal(c.of('duplicate-phase').length, 2);
  });

  it('a workflow spread over folders is still joined by its links', async () => {
    const c = await check({
      'a/01-diagnose.md': doc('01', 'Diagnose', 'next_phase: "[[../b/02-treat]]"\n', 'x'),
      'b/02-treat.md': doc('02', 'Treat', 'previous_phase: "[[../a/01-diagnose]]"\n'),
    });
    assert.deepEqual(
      c.analysis.workflows().map((w) => w.phases.map((p) => p.rel).join(', ')),
      ['a/01-diagnose.md, b/02-treat.md'],
    );
  });
});

describe('criteria in Obsidian callouts', () => {
  const both = (text: string) =>
    (['fast', 'remark'] as const).map((parser) =>
      computeGroups(
        parseDocument('file:///ws/05-release.md', text, parser),
        compilePatterns(defaultConfig()),
      ).map((g) => `${g.heading} (${g.kind}) ${g.line} ${g.checked}/${g.total}`),
    );

  it('a callout titled as a group is that group, one level below the heading above, to its end', () => {
    const text =
      '# Release\n\n## Release Readiness\n> [!todo] Entry Criteria\n> - [ ] Release plan approved\n> - [x] Rollback plan written\n\n> [!check]- Exit Criteria\n> - [ ] Deployed to production\n\n- [x] Announced\n';
    const expected = [
      'Release Readiness (checklist) 2 1/1',
      'Entry Criteria (entry) 3 1/2',
      'Exit Criteria (exit) 7 0/1',
    ];
    assert.deepEqual(both(text), [expected, expected]);
  });

  it('any type in any case, with or without a fold marker; the title as a heading reads it', () => {
    const text =
      '# R\n\n## Checks\n\n> [!TODO]+ **Exit** criteria:\n> - [x] shipped\n\n> [!Warning] Security Gate\n> - [ ] pen test\n\n> [!x-y]-Entry Criteria\n> - [ ] planned\n';
    const expected = [
      'Exit criteria: (exit) 4 1/1',
      'Security Gate (gate) 7 0/1',
      'Entry Criteria (entry) 10 0/1',
    ];
    assert.deepEqual(both(text), [expected, expected]);
  });

  it('leaves a callout with no title, or one naming no group, and a quote that is no callout, as before', () => {
    for (const quote of [
      '> [!todo]\n> - [ ] a\n> - [x] b\n',
      '> [!todo]-\n> - [ ] a\n> - [x] b\n',
      '> [!note] Notes\n> - [ ] a\n> - [x] b\n',
      '> Entry Criteria\n> - [ ] a\n> - [x] b\n',
      '> [!todo]: Entry Criteria\n> - [ ] a\n> - [x] b\n',
      '- > [!todo] Entry Criteria\n  > - [ ] a\n  > - [x] b\n',
      '```\n> [!todo] Entry Criteria\n```\n- [ ] a\n- [x] b\n',
    ]) {
      const expected = ['Exit Criteria (exit) 2 2/2', 'Release Readiness (checklist) 6 1/2'];
      assert.deepEqual(
        both(`# R\n\n## Exit Criteria\n- [x] shipped\n- [x] tested\n\n## Release Readiness\n${quote}`),
        [expected, expected],
        quote,
      );
    }
    // Under an exit heading, a callout naming no group stays part of its criteria.
    const under = ['Exit Criteria (exit) 2 1/2'];
    assert.deepEqual(both('# R\n\n## Exit Criteria\n- [x] a\n> [!note] Details\n> - [ ] b\n'), [
      under,
      under,
    ]);
  });

  it('the callout ends at its last line: a blank line, a line with no `>` that starts a block, or a heading', () => {
    const text = [
      '# R',
      '## Readiness',
      '> [!todo] Entry Criteria',
      '> - [ ] a',
      'lazy text of a',
      '>',
      '- [ ] after the quote',
      '> [!todo] Exit Criteria',
      '> - [ ] b',
      '> ## Notes',
      '> - [ ] c',
      '',
      '- [ ] d',
    ].join('\n');
    const expected = [
      'Readiness (checklist) 1 0/1',
      'Entry Criteria (entry) 2 0/1',
      'Exit Criteria (exit) 7 0/1',
      'Notes (checklist) 9 0/2',
    ];
    assert.deepEqual(both(text), [expected, expected]);
  });

  it('a list without checkboxes in a callout is its criteria; the sections around it keep their own', () => {
    const text =
      '# R\n\n## Readiness\n\n- [x] staffed\n\n> [!todo] Exit Criteria\n> 1. shipped\n> 2. tested\n\n- more\n';
    for (const parser of ['fast', 'remark'] as const) {
      const doc = parseDocument('file:///ws/05-release.md', text, parser);
      const groups = computeGroups(doc, compilePatterns(defaultConfig()));
      assert.deepEqual(
        groups.map((g) => `${g.heading} ${g.checked}/${g.total} ${g.untracked ?? 0}`),
        ['Readiness 1/1 0', 'Exit Criteria 0/2 2'],
        parser,
      );
      assert.deepEqual(untrackedLines(doc, 6, compilePatterns(defaultConfig())), [7, 8], parser);
    }
  });

  it('a callout titled as a gate with nothing to tick is an empty gate, reported on its title', async () => {
    const c = await check({
      'wf/01-a.md':
        '---\nphase: 1\n---\n# A\n\n## Checks\n\n> [!todo] Security Gate\n> To be written.\n\n## Exit Criteria\n- [ ] x\n',
    });
    assert.deepEqual(c.of('empty-gate'), [
      'wf/01-a.md:8:11 Gate "Security Gate" has no checklist items, so it can never be checked. Add `- [ ]` criteria.',
    ]);
  });

  it('cdp check --gate selects a callout group by its title and names it', async () => {
    const root = tempWorkspace({
      '05-release.md':
        '# Release\n\n---\nphase: 05\n---\n\n## Release Readiness\n> [!todo] Entry Criteria\n> - [ ] Release plan approved\n> - [x] Rollback plan written\n\n> [!check]- Exit Criteria\n> - [x] Deployed to production\n',
    });
    const entry = await run(['check', root, '--phase', '05', '--gate', 'Entry Criteria', '--format', 'json']);
    assert.equal(entry.code, 1, entry.stderr);
    const [g] = JSON.parse(entry.stdout).gates;
    assert.deepEqual(g.groups, ['Entry Criteria']);
    assert.deepEqual(
      g.unmet.map((u: { text: string }) => u.text),
      ['Release plan approved'],
    );
    const exit = await run(['check', root, '--phase', '05', '--gate', 'Exit Criteria', '--format', 'json']);
    assert.equal(exit.code, 0, exit.stdout);
    assert.deepEqual(JSON.parse(exit.stdout).gates[0].groups, ['Exit Criteria']);
  });
});
