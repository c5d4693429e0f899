// Adding a confirmation to `.cdp/confirmations.yml`: the file keeps every entry it held and
// its own line breaks and indentation, or is left as it is with the reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  confirmationEntry,
  insertConfirmation,
  parseConfirmations,
} from '../../server/src/core/gates/confirmations';
import { confirmationKey } from '../../server/src/core/gates/store';

const entry = confirmationEntry('docs/helix/05-deploy/GATE.yaml', 'Go', 'Ada', '2026-01-02T03:04:05Z');
const old = '- file: "a/GATE.yaml"\n  item: "Signed"\n  by: "Bo"\n';

function apply(text: string): string {
  const plan = insertConfirmation(text, entry);
  assert.ok(!('error' in plan), `refused: ${'error' in plan ? plan.error : ''}`);
  return text.slice(0, plan.from) + plan.text + text.slice(plan.to);
}

/** The confirmations a text holds, as sorted keys. */
const keys = (text: string) => [...parseConfirmations(text).keys()].sort();
const go = confirmationKey('docs/helix/05-deploy/GATE.yaml', 'Go');
const signed = confirmationKey('a/GATE.yaml', 'Signed');

describe('adding a confirmation', () => {
  it('appends to a file with no list yet, a top-level list, or one without a final line break', () => {
    for (const text of ['', '# comments only\n', '# no break at the end', old, old.trimEnd()]) {
      const after = apply(text);
      assert.ok(after.startsWith(text), JSON.stringify(text));
      assert.deepEqual(keys(after), text.includes('Signed') ? [go, signed].sort() : [go]);
    }
  });

  it('replaces an empty [] list, at the top or under confirmations:', () => {
    assert.deepEqual(keys(apply('[]\n')), [go]);
    assert.deepEqual(keys(apply('# header\n[]\n')), [go]);
    const mapped = apply('confirmations: []\nother: 1\n');
    assert.deepEqual(keys(mapped), [go]);
    assert.match(mapped, /\nother: 1\n$/);
    assert.match(mapped, /^confirmations:\n {2}- file: /, 'no space left after the key');
    for (const text of ['confirmations:\n', 'confirmations:', 'confirmations:\nother: 1\n'])
      assert.deepEqual(keys(apply(text)), [go], JSON.stringify(text));
  });

  it('a comment after an empty [] list stays on its line, the list goes under it', () => {
    const lines = (indent: string, eol: string) =>
      entry
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => indent + l + eol)
        .join('');
    for (const eol of ['\n', '\r\n', '\r']) {
      const mapped = `confirmations: []   # none yet${eol}other: 1${eol}`;
      assert.equal(apply(mapped), `confirmations:   # none yet${eol}${lines('  ', eol)}other: 1${eol}`);
      const top = `# header${eol}[]  # none yet${eol}`;
      assert.equal(apply(top), `# header${eol}  # none yet${eol}${lines('', eol)}`);
    }
    // No line break at the end of the file: still none after the list.
    assert.equal(
      apply('confirmations: [] # none'),
      `confirmations: # none\n${lines('  ', '\n').slice(0, -1)}`,
    );
    assert.equal(apply('[] # none'), ` # none\n${lines('', '\n').slice(0, -1)}`);
    assert.equal(apply('confirmations: [\n  ]  # open\n'), `confirmations:  # open\n${lines('  ', '\n')}`);
  });

  it('adds to a confirmations: list at its indentation, before keys that follow it', () => {
    const text = `version: 1\nconfirmations:\n  - file: "a/GATE.yaml"\n    item: "Signed"\n    by: "Bo"\nnotes: kept\n`;
    const after = apply(text);
    assert.deepEqual(keys(after), [go, signed].sort());
    assert.match(after, /\n {4}by: "Bo"\n {2}- file: "docs\/helix\/05-deploy\/GATE.yaml"\n {4}item: "Go"\n/);
    assert.match(after, /\nnotes: kept\n$/);
  });

  it("keeps the file's CRLF or CR line breaks", () => {
    for (const eol of ['\r\n', '\r']) {
      const text = old.replace(/\n/g, eol).trimEnd();
      const after = apply(text);
      assert.deepEqual(keys(after), [go, signed].sort(), JSON.stringify(eol));
      const other = eol === '\r\n' ? /\r(?!\n)|(?<!\r)\n/ : /\n/;
      assert.doesNotMatch(after, other, `only ${JSON.stringify(eol)} breaks`);
    }
  });

  it('refuses, with the reason, what it cannot add to without breaking or changing the file', () => {
    for (const [text, reason] of [
      ['- file: "x"\n  item: [unclosed\n', /YAML error on line \d+; fix it first/],
      ['[{file: "a", item: "b"}]\n', /brackets/],
      ['file: a\nitem: b\n', /not a list of confirmations/],
      ['"just text"\n', /not a list of confirmations/],
    ] as const) {
      const plan = insertConfirmation(text, entry);
      assert.ok('error' in plan, JSON.stringify(text));
      assert.match(plan.error, reason);
    }
  });

  it('adds to a file over a megabyte, as large as it is read (8 MB)', () => {
    const big = Array.from({ length: 20000 }, (_, i) =>
      confirmationEntry('docs/helix/01-frame/GATE.yaml', `Item ${i}`, 'Ada', '2026-01-01T00:00:00Z'),
    ).join('');
    assert.ok(big.length > 1024 * 1024);
    const added = insertConfirmation(
      big,
      confirmationEntry('docs/helix/01-frame/GATE.yaml', 'New', 'Bo', 'x'),
    );
    assert.ok(!('error' in added), 'error' in added ? added.error : '');
    const after = big.slice(0, added.from) + added.text + big.slice(added.to);
    assert.equal(parseConfirmations(after).size, 20001);
  });
});
