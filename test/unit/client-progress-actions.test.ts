// What the Progress view's actions decide without the editor API (client/src/progress-model.ts):
// Space, Mark as Done and the checkboxes read the rows again after a refusal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setCriteria } from '../../client/src/progress-model';

describe('setCriteria (Space, Mark as Done, checkboxes in the Progress view)', () => {
  it('reads the rows again once when a criterion was refused, so the next try uses the new version', async () => {
    const asked: string[] = [];
    let refreshed = 0;
    const ok = await setCriteria(
      ['Impact sized', 'Reviewed'],
      async (c) => {
        asked.push(c);
        return c !== 'Impact sized';
      },
      async () => {
        refreshed++;
      },
    );
    assert.equal(ok, false);
    // every criterion is still tried, the refresh comes once, after them
    assert.deepEqual(asked, ['Impact sized', 'Reviewed']);
    assert.equal(refreshed, 1);
  });

  it('leaves the rows alone when every criterion was set', async () => {
    let refreshed = 0;
    const ok = await setCriteria(
      ['a', 'b'],
      async () => true,
      async () => {
        refreshed++;
      },
    );
    assert.equal(ok, true);
    assert.equal(refreshed, 0);
  });
});
