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
      ]),
      [
        'entry Entry  Criteria',
        'exit Exit&nbsp;Criteria',
        'exit ✅ Exit Criteria',
        'entry 1. Entry Criteria',
        'exit 2) Exit Criteria:',
        'gate 3.1 Security Gate',
        'exit Exit Criteria (must be met)',
        'entry **Entry Criteria**',
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
