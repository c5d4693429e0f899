// The edit distance near-miss suggestions use (gate-file keys, link headings): the same
// answers as the full table, up to 2, in linear time and memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance } from '../../server/src/core/text';

/** Optimal string alignment distance by the full table, capped at 3 as `editDistance` answers. */
function byTable(a: string, b: string): number {
  const r: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    r.push(new Array<number>(b.length + 1).fill(0));
    r[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) r[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(r[i - 1][j] + 1, r[i][j - 1] + 1, r[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, r[i - 2][j - 2] + 1);
      r[i][j] = d;
    }
  return Math.min(r[a.length][b.length], 3);
}

describe('editDistance', () => {
  it('answers as the full table on 50,000 pairs of short words a few edits apart', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const letter = () => 'abc'[Math.floor(rnd() * 3)];
    let near = 0;
    for (let k = 0; k < 50_000; k++) {
      const a = Array.from({ length: Math.floor(rnd() * 9) }, letter).join('');
      const b = a.split('');
      for (let o = Math.floor(rnd() * 4); o > 0; o--) {
        const p = Math.floor(rnd() * (b.length + 1));
        const t = rnd();
        if (t < 0.33) b.splice(p, 0, letter());
        else if (t < 0.66) b.splice(p, 1);
        else if (p + 1 < b.length) [b[p], b[p + 1]] = [b[p + 1], b[p]];
      }
      const d = editDistance(a, b.join(''));
      assert.equal(d, byTable(a, b.join('')), `${a} ${b.join('')}`);
      if (d > 0 && d < 3) near++;
    }
    assert.ok(near > 10_000, `only ${near} pairs one or two edits apart`);
    assert.deepEqual(
      [
        editDistance('entry-criterion', 'entry-criteria'),
        editDistance('paht', 'path'),
        editDistance('ab', 'abcdef'),
      ],
      [2, 1, 3],
    );
  });

  it('compares two texts of 200,000 characters (it built a table of their product: gigabytes)', () => {
    const long = 'x'.repeat(200_000);
    assert.equal(editDistance(long, `${long}y`), 1);
    assert.equal(editDistance(`a${long}`, `b${long}c`), 2);
    assert.equal(editDistance(long, `ab${long.slice(2)}`), 2);
    assert.equal(editDistance(`abc${long}`, `${long}abc`), 3);
  });
});
