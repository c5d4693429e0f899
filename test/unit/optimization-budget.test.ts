import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MODULE = join(__dirname, '..', '..', 'server', 'src', 'node', 'optimization-budget.ts');

/**
 * In a fresh process (with or without `delayOptimization()` first, and after a worker
 * thread has started, as the CLI's parse pool does), how many calls of a small loop it takes
 * before V8 marks the function for optimisation or optimises it.
 */
function callsBeforeOptimisation(delayed: boolean): number {
  const script = `
    const { Worker } = require('node:worker_threads');
    const { delayOptimization } = require(${JSON.stringify(MODULE)});
    if (${delayed}) delayOptimization();
    const worker = new Worker('setTimeout(() => {}, 20)', { eval: true });
    worker.once('exit', () => {
      function work(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1009; return s; }
      // Bits of %GetOptimizationStatus (V8 11): 16 optimised, 256 / 512 marked for (concurrent) optimisation, 1024 being optimised.
      const tiered = () => (%GetOptimizationStatus(work) & (16 | 256 | 512 | 1024)) !== 0;
      let calls = 0;
      while (!tiered() && calls < 1000000) { work(50); calls++; }
      process.stdout.write(String(calls));
    });`;
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--no-concurrent-recompilation', '--import', 'tsx', '-e', script],
    { encoding: 'utf8' },
  );
  return Number(out);
}

describe('the optimisation budget', () => {
  it('lets a function run longer before V8 optimises it, also after a worker thread started', () => {
    const usual = callsBeforeOptimisation(false);
    const delayed = callsBeforeOptimisation(true);
    assert.ok(usual > 0 && usual < 1000000, `${usual} calls with V8's budget`);
    assert.ok(delayed > usual * 1.5, `${delayed} calls with the raised budget, ${usual} with V8's`);
  });
});
