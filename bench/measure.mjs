// Running one measured child process: wall time from the parent, peak RSS and CPU time
// (user + system) from `/usr/bin/time -v` when present (the whole child, whatever language
// it is written in, all its threads). The machine may be shared: CPU time is the steadier
// figure when others are busy, wall time is what a user waits.
// Children written for the benchmark also report their own VmHWM on their last stdout line,
// which is used when `/usr/bin/time` is missing.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(TIME);

/**
 * Run `cmd args` and return `{ ms, cpuMs, peakRssKb, code, stdout, stderr }`.
 * `ms` is parent-side wall time from spawn to exit; `cpuMs` is null without GNU time.
 */
export function run(cmd, args, { cwd, env, timeoutMs = 30 * 60 * 1000 } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = hasGnuTime;
    const file = useTime ? TIME : cmd;
    const argv = useTime ? ['-v', cmd, ...args] : args;
    const t0 = performance.now();
    const child = spawn(file, argv, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      let stderr = Buffer.concat(err).toString('utf8');
      const stdout = Buffer.concat(out).toString('utf8');
      let peakRssKb = null;
      let cpuMs = null;
      let childCode = code;
      if (useTime) {
        // GNU time appends its report to stderr; split it off.
        const at = stderr.lastIndexOf('\tCommand being timed:');
        const report = at >= 0 ? stderr.slice(at) : '';
        if (at >= 0) stderr = stderr.slice(0, at);
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
        if (m) peakRssKb = Number(m[1]);
        const user = /User time \(seconds\): ([\d.]+)/.exec(report);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(report);
        if (user && sys) cpuMs = (Number(user[1]) + Number(sys[1])) * 1000;
        const ex = /Exit status: (\d+)/.exec(report);
        if (ex) childCode = Number(ex[1]);
        // GNU time prints "Command exited with non-zero status N" before the report.
        stderr = stderr.replace(/Command exited with non-zero status \d+\n$/, '');
      }
      if (peakRssKb === null) {
        const self = lastJson(stdout);
        if (self && typeof self.peakRssKb === 'number') peakRssKb = self.peakRssKb;
      }
      resolve({ ms, cpuMs, peakRssKb, code: childCode, signal, stdout, stderr });
    });
  });
}

/** The last line of `text` that parses as a JSON object, or undefined. */
export function lastJson(text) {
  const lines = text.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (!l.startsWith('{')) continue;
    try {
      return JSON.parse(l);
    } catch {
      // not JSON, keep looking
    }
  }
  return undefined;
}

export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * Reads every file under `dir` (dot-folders and node_modules left out), untimed, right
 * before a measured run: every row then measures a workspace whose files are in the page
 * cache. A machine that pages out file cache left idle for a few seconds (as a memory
 * reclaimer does on the benchmark's virtual machine) otherwise makes some runs read the
 * disk and others not. Returns the number of files read.
 */
export function warmFiles(dir) {
  let n = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        readFileSync(p);
        n++;
      }
    }
  };
  walk(dir);
  return n;
}
