// Checklist groups: which headings are entry, exit and gate groups, as people write them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dressed, headingKey } from '../../server/src/core/model';
import { check } from '../helpers/memory-workspace';

/** The kinds of the groups of one phase document whose sections have the given headings. */
async function kinds(headings: string[], settings: unknown = {}): Promise<string[]> {
  const body = headings.map((h) => `## ${h}\n\n- [ ] item\n`).join('\n');
  const c = await check({ 'wf/01-diagnose.md': `# Diagnose\n\n---\nphase: "01"\n---\n\n${body}` }, settings);
  const entry = c.analysis.index.get(c.ws.uri('wf/01-diagnose.md'))!;
  return entry.groups.map((g) => `${g.kind} ${g.heading}`);
}

describe('group headings', () => {
  it('reads entry, exit and gate headings dressed with spaces, numbers, symbols and remarks', async () => {
    assert.deepEqual(
      await kinds([
        'Entry  Criteria',
        'Exit&nbsp;Criteria',
        '✅ Exit Criteria',
        '1. Entry Criteria',
        '2) Exit Criteria:',
        '3.1 Security Gate',
        'Exit Criteria (must be met)',
        '**Entry Criteria**',
        'Exit Criteria <!-- omit in toc -->',
        'Entry Criteria ✅',
        '<span>Exit</span> Criteria',
        'Sign-off [Quality Gate](gate.md)',
        'Exit Criteria[^1]',
        'Quality Gate [^g]',
      ]),
      [
        'entry Entry  Criteria',
        'exit Exit Criteria',
        'exit ✅ Exit Criteria',
        'entry 1. Entry Criteria',
        'exit 2) Exit Criteria:',
        'gate 3.1 Security Gate',
        'exit Exit Criteria (must be met)',
        'entry Entry Criteria',
        'exit Exit Criteria',
        'entry Entry Criteria ✅',
        'exit Exit Criteria',
        'gate Sign-off [Quality Gate](gate.md)',
        'exit Exit Criteria[^1]',
        'gate Quality Gate [^g]',
      ],
    );
  });

  for (const parser of ['fast', 'remark'] as const) {
    it(`names a group by its heading as rendered: no emphasis or code span markers (${parser})`, async () => {
      const text = [
        '# Release',
        '',
        '## **Exit Criteria**',
        '- [x] shipped',
        '## _Entry_ Criteria #',
        '- [ ] planned',
        '### *Security* Gate ###',
        '## snake_case_name review',
        '- [ ] a',
        '## 2 * 3 checks',
        '- [ ] b',
        '## `lint` Gate',
        '- [x] c',
        '## Notes \\*draft\\*',
        '- [x] e',
        '## **unclosed Gate',
        '- [x] d',
        '## Exit Criteria <!-- omit in toc -->',
        '- [x] f',
        '## Deploy<!-- a -->ment <!-- b --> Gate ✅',
        '- [x] g',
        '',
      ].join('\n');
      const c = await check({ 'wf/02-release.md': text }, { 'cdp.parser': parser });
      const entry = c.analysis.index.get(c.ws.uri('wf/02-release.md'))!;
      assert.deepEqual(
        entry.groups.map((g) => `${g.kind} ${g.heading}`),
        [
          'exit Exit Criteria',
          'entry Entry Criteria',
          'gate Security Gate',
          'checklist snake_case_name review',
          'checklist 2 * 3 checks',
          'gate lint Gate',
          'checklist Notes *draft*',
          'gate **unclosed Gate',
          'exit Exit Criteria',
          'gate Deployment Gate ✅',
        ],
      );
      // The headings themselves keep their text as written (rename edits it), and their
      // anchors are GitHub's.
      assert.deepEqual(
        entry.doc.headings.slice(1, 3).map((h) => h.text),
        ['**Exit Criteria**', '_Entry_ Criteria'],
      );
      assert.equal(entry.anchor('exit-criteria')?.line, 2);
      assert.equal(entry.anchor('entry-criteria')?.line, 4);
      assert.equal(entry.anchor('security-gate')?.line, 6);
      assert.equal(entry.heading('Security Gate')?.line, 6);
      // Findings name it so.
      assert.deepEqual(c.of('empty-gate'), [
        'wf/02-release.md:7:5 Gate "Security Gate" has no checklist items, so it can never be checked. Add `- [ ]` criteria.',
      ]);
    });
  }

  it('reads exit headings ending in an emoji with its variation selector, a full-width colon or an invisible mark', async () => {
    assert.deepEqual(
      await kinds([
        'Exit Criteria ✔\ufe0f',
        'Exit Criteria：',
        'Exit Criteria\u200f',
        'Exit Criteria（必須）',
      ]),
      [
        'exit Exit Criteria ✔\ufe0f',
        'exit Exit Criteria：',
        'exit Exit Criteria\u200f',
        'exit Exit Criteria（必須）',
      ],
    );
  });

  it('leaves headings that only contain the words as checklists', async () => {
    assert.deepEqual(await kinds(['Exit Criteria Review', 'Notes on entry criteria', 'Gate (draft) notes']), [
      'checklist Exit Criteria Review',
      'checklist Notes on entry criteria',
      'checklist Gate (draft) notes',
    ]);
  });

  it('patterns from settings match the heading as written too', async () => {
    const settings = { cdp: { groups: { exit: ['^\\d+\\. done when$'] } } };
    assert.deepEqual(await kinds(['1. Done when', 'Done when'], settings), [
      'exit 1. Done when',
      'checklist Done when',
    ]);
  });

  it('headingKey: what is left out and what is kept', () => {
    assert.equal(headingKey('  ✅  1.2 Exit \t Criteria (v2)'), 'Exit Criteria');
    assert.equal(headingKey('Criteria (a) and (b)'), 'Criteria (a) and');
    assert.equal(headingKey('Exit Criteria 2'), 'Exit Criteria 2');
    assert.equal(headingKey('(((('.repeat(10_000)), '');
    assert.equal(headingKey('Exit Criteria <!-- omit in toc -->'), 'Exit Criteria');
    assert.equal(headingKey('<span id="x">Exit</span> Criteria'), 'Exit Criteria');
    // A word in angle brackets is no tag (in a code span it is text): the heading keeps it.
    assert.equal(headingKey('Entry criteria <draft>'), 'Entry criteria <draft>');
    for (const tag of ['div', 'center', 'tt', 'details'])
      assert.equal(headingKey(`<${tag} class="x">Exit Criteria</${tag}>`), 'Exit Criteria', tag);
    assert.equal(headingKey('Sign-off [Quality Gate](gate.md)'), 'Sign-off Quality Gate');
    assert.equal(headingKey('Exit Criteria ✅ (must be met) 🚦'), 'Exit Criteria');
    assert.equal(headingKey('Exit Criteria:-)'), 'Exit Criteria:-)');
    // Variation selectors, right-to-left marks, zero-width spaces, full-width remarks.
    assert.equal(headingKey('Exit Criteria ✔\ufe0f'), 'Exit Criteria');
    assert.equal(headingKey('Exit Criteria\u200f'), 'Exit Criteria');
    assert.equal(headingKey('Exit\u200b Criteria'), 'Exit Criteria');
    assert.equal(headingKey('完了条件（必須）'), '完了条件');
    assert.equal(headingKey('<!--'.repeat(10_000)), '');
    assert.equal(headingKey('Exit <!-- a --> Criteria <!-- b'), 'Exit Criteria <!-- b');
  });

  it('a heading its quick test calls plain is its own key (random headings)', () => {
    const parts = [
      'a',
      'B',
      'é',
      'Ж',
      '1',
      '2.',
      ' ',
      '  ',
      '\t',
      '\u00a0',
      '&',
      'nbsp;',
      '(',
      ')',
      '✅',
      '-',
      ':',
      'x',
      '\ufe0f',
      '\u200f',
      '\u200b',
      '：',
      '（',
      '）',
      '✔',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      let h = '';
      for (let n = 1 + (next() % 6); n > 0; n--) h += parts[next() % parts.length];
      h = h.trim();
      if (h === '' || dressed(h)) continue;
      plain++;
      assert.equal(headingKey(h), h, JSON.stringify(h));
    }
    assert.ok(plain > 1000, `${plain} plain headings tried`);
  });
});

describe('collapsible sections (<details>)', () => {
  const doc = [
    '# Frame',
    '',
    '---',
    'phase: "01"',
    '---',
    '',
    '## Entry Criteria',
    '- [x] scope agreed',
    '<details>',
    '<summary>Exit Criteria</summary>',
    '',
    '- [ ] plan reviewed',
    '</details>',
    '',
    '- [x] team named',
    '<details><summary><b>More</b> entry items</summary>',
    '',
    '- [ ] budget approved',
    '</details>',
    '',
    '## Notes',
    '<details>',
    '  <summary>',
    '    Quality Gate',
    '  </summary>',
    '',
    '- [ ] lint clean',
    '</details>',
    '',
  ].join('\n');

  for (const parser of ['fast', 'remark'] as const) {
    it(`a summary is a section below the heading above it, ending at </details> (${parser})`, async () => {
      const c = await check({ 'wf/01-frame.md': doc }, { 'cdp.parser': parser });
      const entry = c.analysis.index.get(c.ws.uri('wf/01-frame.md'))!;
      assert.deepEqual(
        entry.groups.map((g) => [g.kind, g.heading, g.line, g.items.map((i) => i.text)]),
        [
          // Items after </details> are the heading's again.
          ['entry', 'Entry Criteria', 6, ['scope agreed', 'team named']],
          // A summary naming a group starts that group.
          ['exit', 'Exit Criteria', 9, ['plan reviewed']],
          // Any other summary is a sub-section: its items keep the kind of the heading above.
          ['entry', 'More entry items', 15, ['budget approved']],
          // A summary over several lines, under a heading that is no group.
          ['gate', 'Quality Gate', 23, ['lint clean']],
        ],
      );
      // The exit item is reported as an unmet exit criterion, not an entry one.
      const unmet = c.findings.find((f) => f.code === 'unmet-criterion' && f.range.start.line === 11);
      assert.match(unmet?.message ?? '', /exit/i);
    });
  }

  it('criteria without checkboxes in a collapsible section are its own', async () => {
    const text = [
      '# Frame',
      '',
      '## Entry Criteria',
      '- [x] scope agreed',
      '<details>',
      '<summary>Exit Criteria</summary>',
      '',
      '- plan reviewed',
      '- risks listed',
      '</details>',
      '',
    ].join('\n');
    const c = await check({ 'wf/01-frame.md': text });
    const entry = c.analysis.index.get(c.ws.uri('wf/01-frame.md'))!;
    assert.deepEqual(
      entry.groups.map((g) => [g.kind, g.heading, g.total, g.untracked]),
      [
        ['entry', 'Entry Criteria', 1, undefined],
        ['exit', 'Exit Criteria', 2, 2],
      ],
    );
  });
});
