import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tailOf } from '../../server/src/node/commands';

describe('the kept end of a command output', () => {
  it('never starts inside a surrogate pair', () => {
    const party = '🎉'.repeat(2000);
    for (const n of [1, 2, 3, 3999, 4000]) {
      const t = tailOf(`${party}a`, n);
      assert.ok(t.length <= n && t.length >= n - 1, `${n}: ${t.length}`);
      assert.equal(t, Buffer.from(t, 'utf8').toString('utf8'), `${n}: a well-formed string`);
      assert.ok(t.endsWith('a'));
    }
    assert.equal(tailOf('short', 10), 'short');
    assert.equal(tailOf('abcdef', 3), 'def');
  });
});
