import { spawn } from 'node:child_process';
import type { Analysis } from '../core/analysis';
import { commandOf } from '../core/gates/evaluate';
import type { CommandResult } from '../core/gates/store';
import type { DocEntry } from '../core/index';
import { uriToFsPath } from '../core/paths';

/**
 * A gate command's time limit, in seconds: its default and largest value, for
 * `cdp check --command-timeout` and `cdp.gates.commandTimeout` alike.
 */
export const DEFAULT_COMMAND_TIMEOUT_S = 300;
export const MAX_COMMAND_TIMEOUT_S = 86_400;

/** Characters of a command's output kept for the report (the end of it). */
const MAX_OUTPUT = 4000;

/**
 * Runs the `command` of every gate-file check of the workspace's workflow instances
 * (never of definitions), one at a time in the workspace folder, each stopped after
 * `timeoutMs`, and records pass (exit 0) or fail with the end of its output. Used by
 * `cdp check --run-commands` only: nothing runs by default.
 */
export async function runGateCommands(
  analysis: Analysis,
  timeoutMs: number,
  /** The phases whose commands run (`--phase`); every phase's when absent. */
  selected?: (phase: DocEntry) => boolean,
): Promise<number> {
  const index = analysis.index;
  let ran = 0;
  for (const g of [...index.gates.all()].sort((a, b) => (a.uri < b.uri ? -1 : 1))) {
    const phase = analysis.phaseOfGateFile(g);
    // Not run, and the report says why (not that the commands were not asked for).
    const notRun = !phase
      ? 'its gate file is beside no phase document'
      : analysis.workflowOf(phase.uri)?.definition
        ? "a workflow definition's commands are never run"
        : selected && !selected(phase)
          ? 'only the commands of the phase --phase selects are run'
          : undefined;
    for (const group of g.parsed.groups) {
      for (const d of group.items) {
        // A declarative check's `command:` is never read (its own check answers), so not run.
        const command = commandOf(d);
        if (command === undefined) continue;
        if (notRun !== undefined) {
          index.gates.setCommandResult(g.uri, d.line, { ok: false, output: '', notRun });
          index.version++;
          continue;
        }
        const r = await runCommand(command, uriToFsPath(g.folder), timeoutMs);
        index.gates.setCommandResult(g.uri, d.line, r);
        index.version++;
        ran++;
      }
    }
  }
  return ran;
}

/** The last `n` UTF-16 units of `s`, not starting inside a character (a surrogate pair). */
export function tailOf(s: string, n: number): string {
  if (s.length <= n) return s;
  const cut = s.length - n;
  const c = s.charCodeAt(cut);
  return s.slice(c >= 0xdc00 && c <= 0xdfff ? cut + 1 : cut);
}

/** How long the output may stay open after the shell exited (a child that left its process group holds it). */
const CLOSE_GRACE_MS = 500;

/**
 * Runs one command line with the shell in `cwd`, its output kept (the end of it). It is
 * stopped with its process group after `timeoutMs`, or when `signal` aborts (then the
 * result says `cancelled`).
 */
export function runCommand(
  command: string,
  cwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CommandResult & { cancelled?: true }> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ ok: false, output: '', cancelled: true });
      return;
    }
    let output = '';
    const keep = (b: Buffer) => {
      output += b.toString('utf8');
      if (output.length > MAX_OUTPUT * 2) output = tailOf(output, MAX_OUTPUT);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, {
        cwd,
        shell: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      resolve({ ok: false, output: message, startError: message });
      return;
    }
    let timedOut = false;
    let cancelled = false;
    const stop = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    const onAbort = () => {
      cancelled = true;
      clearTimeout(timer);
      stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (e) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const started = child.pid !== undefined;
      resolve({
        ok: false,
        output: tailOf(`${output}${e.message}`, MAX_OUTPUT),
        ...(started ? {} : { startError: e.message }),
      });
    });
    // The shell has exited: what it left running in the background (holding the output
    // open, so 'close' would wait for it) is stopped with its process group.
    let exitCode: number | null = null;
    child.on('exit', (code) => {
      exitCode = code;
      if (child.pid !== undefined && process.platform !== 'win32')
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // nothing left
        }
      // A child that left the process group (`setsid`) may hold the output open for ever:
      // after a moment the pipes are closed from this end, and the exit code stands.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, CLOSE_GRACE_MS).unref();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const tail = tailOf(output, MAX_OUTPUT);
      const exit = exitCode ?? code;
      if (cancelled) resolve({ ok: false, output: `${tail}\n(cancelled)`.trim(), cancelled: true });
      else if (timedOut) {
        const after = Number((timeoutMs / 1000).toFixed(3));
        resolve({ ok: false, output: `${tail}\n(stopped after ${after} s)`.trim(), timedOutAfter: after });
      } else if (exit === null) resolve({ ok: false, output: tail });
      else resolve({ ok: exit === 0, output: tail, exit });
    });
  });
}
