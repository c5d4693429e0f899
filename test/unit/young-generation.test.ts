import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { YoungGenerationCap } from '../../server/src/node/young-generation';

const MODULE = join(__dirname, '..', '..', 'server', 'src', 'node', 'young-generation.ts');

/**
 * A child process that keeps what it allocates (as building an index does), starts a
 * worker thread halfway (which sets V8's flags again) and prints the largest young
 * generation (MB, both semi-spaces) seen after the cap was first reached.
 */
function largestYoungGeneration(capMb: number | undefined): number {
  const script = `
    const v8 = require('node:v8');
    const { Worker } = require('node:worker_threads');
    const { YoungGenerationCap } = require(${JSON.stringify(MODULE)});
    const cap = ${capMb === undefined ? 'undefined' : `new YoungGenerationCap(${capMb})`};
    const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const keep = [];
    let largest = 0;
    let exited;
    (async () => {
      for (let round = 0; round < 300; round++) {
        for (let i = 0; i < 20000; i++) keep.push({ n: i, s: 'x' + i });
        cap?.check();
        if (round === 30) {
          const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
          exited = new Promise((r) => worker.once('exit', r));
        }
        if (round > 30) largest = Math.max(largest, size());
        await new Promise((r) => setImmediate(r));
      }
      await exited;
      process.stdout.write(String(largest / 1048576));
    })();`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  return Number(out);
}

describe('the young generation cap', () => {
  it('keeps the semi-spaces at the size asked, across a worker start', () => {
    // Without it the same allocations grow the young generation to V8's maximum.
    const free = largestYoungGeneration(undefined);
    assert.ok(free >= 16, `${free} MB`);
    // Capped at 2 MB semi-spaces (4 MB): the cap is set at the first check that finds the
    // young generation at its size, and V8 may have doubled it once more by then.
    const capped = largestYoungGeneration(2);
    assert.ok(capped <= 8 && capped < free, `${capped} MB (${free} MB without the cap)`);
  });

  it('stops its timer once the workers are done, even when the cap was never reached', async () => {
    const timers = new Set<number>();
    const destroyed = new Set<number>();
    const hook = createHook({
      init: (id, type) => {
        if (type === 'Timeout') timers.add(id);
      },
      destroy: (id) => {
        destroyed.add(id);
      },
    });
    hook.enable();
    // 1 GB semi-spaces: never reached, so only workersDone can stop the timer.
    const cap = new YoungGenerationCap(1024);
    hook.disable();
    assert.equal(timers.size, 1);
    const [timer] = timers;
    hook.enable();
    cap.workersDone();
    await new Promise((r) => setTimeout(r, 30));
    hook.disable();
    assert.ok(destroyed.has(timer), 'the interval still runs after workersDone');
  });
});
