import { setFlagsFromString } from 'node:v8';

/**
 * How much a function runs (V8's interrupt budget, in bytes of bytecode executed) before V8
 * considers optimising it. V8's default (132 KB in the Node 20 line) is tuned for pages that
 * run for seconds or longer; a `cdp check` of a thousand documents is over in under a second,
 * and much of its CPU went to optimising functions that had little left to run: on the
 * benchmark's 1,000-document workspaces a budget of about twice the default saves 14–16% of
 * all the instructions of a check. On 10,000 documents the same
 * functions still get optimised early in the run (the instruction count is unchanged).
 */
export const INTERRUPT_BUDGET = 300_000;

let applied = false;

/**
 * Raises the interrupt budget for the rest of the process (and the worker threads it starts:
 * V8's flags are the process's; a worker's start sets the heap's growth factor again, see
 * `young-generation.ts`, but not this one). Call it
 * first thing in an entry point; functions already running keep their current count.
 */
export function delayOptimization(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
