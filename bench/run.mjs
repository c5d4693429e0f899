#!/usr/bin/env node
// Benchmark driver: generates (or reuses) workspaces of 1k and 10k documents, measures the
// floor, our `cdp check`, our language server (bench/lsp.mjs) and two peers, and prints one
// markdown table. Every figure is the median of N runs, each in a fresh child process.
// Results also go to bench/results/latest.json.
//
//   node bench/run.mjs [--sizes 1000,10000] [--runs-fast 5] [--runs-slow 3]
//                      [--only floor,ours,checklist,lsp,mdls,remark] [--cache DIR] [--budget-ms 120000]
//
// `checklist` checks one document holding as many checklist items as the workspace has
// documents (bench/checklist.mjs).
//
// The benchmark is informational; it is not part of the test suite.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeChecklist } from './checklist.mjs';
import { ensureWorkspace, GENERATOR_VERSION } from './generate.mjs';
import { measureColdStart, measureNavigation, measureTypingLatency } from './lsp.mjs';
import { hasGnuTime, lastJson, median, run } from './measure.mjs';
import { measurePeer, PEER_LABELS } from './peers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CLI = join(root, 'server', 'out', 'cli.js');
const SERVER = join(root, 'server', 'out', 'server.js');

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--'))
      a[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const sizes = String(args.sizes ?? '1000,10000')
  .split(',')
  .map(Number);
const runsFast = Number(args['runs-fast'] ?? 5);
const runsSlow = Number(args['runs-slow'] ?? 3);
const only = new Set(String(args.only ?? 'floor,ours,checklist,lsp,mdls,remark').split(','));
const budgetMs = Number(args['budget-ms'] ?? 120000);
const cache = args.cache ?? join(os.tmpdir(), 'cdp-bench');

const log = (...m) => console.error('[bench]', ...m);

/**
 * Repeats `once` `n` times and keeps medians of ms and peakRssKb (plus the last run's extras).
 * A first run slower than `--budget-ms` (default 120 s) is not repeated: `runs` says so.
 */
async function repeat(n, once) {
  const all = [];
  for (let i = 0; i < n; i++) {
    all.push(await once());
    if (i === 0 && n > 1 && all[0].ms > budgetMs) {
      log(
        `    first run took ${fmtMs(all[0].ms)} (over the --budget-ms of ${fmtMs(budgetMs)}): not repeated`,
      );
      break;
    }
  }
  const last = all[all.length - 1];
  const { stdout: _o, stderr: _e, ...rest } = last;
  return {
    ...rest,
    ms: median(all.map((r) => r.ms)),
    peakRssKb: median(all.map((r) => r.peakRssKb)),
    runs: all.length,
    allMs: all.map((r) => Math.round(r.ms)),
  };
}

async function measureFloor(ws) {
  const r = await run(process.execPath, [join(here, 'floor.mjs'), ws]);
  const self = lastJson(r.stdout);
  if (r.code !== 0 || !self) throw new Error(`floor failed: ${r.stderr.slice(-500)}`);
  return { ms: r.ms, innerMs: self.ms, peakRssKb: r.peakRssKb ?? self.peakRssKb, files: self.files };
}

/** Counts findings in whatever JSON shape `cdp check --format json` prints. */
function countFindings(stdout) {
  let data;
  try {
    data = JSON.parse(stdout);
  } catch {
    return null;
  }
  const count = (v) => {
    if (Array.isArray(v)) {
      // Either a flat list of findings or a list of per-file entries holding lists.
      return v.reduce((s, x) => s + (x && typeof x === 'object' && !('message' in x) ? count(x) || 0 : 1), 0);
    }
    if (v && typeof v === 'object') {
      for (const k of ['diagnostics', 'findings', 'problems', 'files', 'results'])
        if (k in v) return count(v[k]);
    }
    return 0;
  };
  return count(data);
}

async function measureOurs(ws) {
  if (!existsSync(CLI)) return { notBuilt: true };
  const r = await run(process.execPath, [CLI, 'check', ws, '--format', 'json']);
  return oursResult(r);
}

function oursResult(r) {
  // Exit code 1 conventionally means "findings reported"; anything else is a failure.
  if (r.signal || (r.code !== 0 && r.code !== 1))
    return { failed: true, code: r.code, ms: r.ms, error: r.stderr.slice(-500) };
  return { ms: r.ms, peakRssKb: r.peakRssKb, code: r.code, findings: countFindings(r.stdout) };
}

async function measureSize(docs) {
  const ws = join(cache, `ws-${docs}`);
  const m = await ensureWorkspace({ docs, out: ws });
  log(`${docs} docs at ${ws} (${(m.bytes / 1048576).toFixed(1)} MB, ${m.reused ? 'reused' : 'generated'})`);
  const res = { docs: m.docs, mb: m.bytes / 1048576, workspace: ws };

  if (only.has('floor')) {
    log(`  node start-up ×${runsFast}`);
    res.nodeStart = await repeat(runsFast, () => run(process.execPath, ['-e', '0']));
    log(`  floor ×${runsFast}`);
    res.floor = await repeat(runsFast, () => measureFloor(ws));
  }
  if (only.has('ours')) {
    log(`  ours: cdp check ×${runsFast}`);
    // The first run counts as one of the N; a missing build or a crash ends the series.
    let first = await measureOurs(ws);
    res.ours =
      first.notBuilt || first.failed
        ? first
        : await repeat(runsFast, async () => {
            if (first) {
              const r = first;
              first = undefined;
              return r;
            }
            return measureOurs(ws);
          });
  }
  if (only.has('checklist')) {
    const file = await writeChecklist({ items: docs, out: join(cache, `checklist-${docs}`) });
    log(`  ours: cdp check of one document with ${docs} checklist items ×${runsFast}`);
    res.checklist = existsSync(CLI)
      ? await repeat(runsFast, async () =>
          oursResult(await run(process.execPath, [CLI, 'check', file, '--format', 'json'])),
        )
      : { notBuilt: true };
  }
  if (only.has('lsp')) {
    const ctx = { workspace: ws, docs: m.docs, runs: runsFast, serverPath: SERVER, budgetMs };
    log('  ours: language server (cold start, typing, navigation)');
    const attempt = async (fn) => {
      try {
        return await fn(ctx);
      } catch (e) {
        log(`    failed: ${e.message}`);
        return { failed: true, error: String(e.message).slice(0, 500) };
      }
    };
    res.lsp = {
      coldStart: await attempt(measureColdStart),
      typing: await attempt(measureTypingLatency),
      typing200k: await attempt((c) => measureTypingLatency(c, { padToBytes: 200 * 1024 })),
      navigation: await attempt(measureNavigation),
    };
  }
  res.peers = {};
  for (const peer of Object.keys(PEER_LABELS)) {
    if (!only.has(peer)) continue;
    log(`  ${peer} ×${runsSlow}`);
    res.peers[peer] = await repeat(runsSlow, () => measurePeer(peer, ws));
  }
  return res;
}

// ---------------------------------------------------------------------------------------
// Formatting.

const fmtMs = (ms) =>
  ms == null
    ? 'n/a'
    : ms >= 10000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms < 10
        ? `${ms.toFixed(1)} ms`
        : `${Math.round(ms)} ms`;
const fmtMb = (kb) => (kb == null ? 'n/a' : `${Math.round(kb / 1024)} MB`);
const fmtX = (a, b) => (a == null || b == null || !b ? 'n/a' : `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`);

/** One table cell pair (time, rss) for a measured entry, or "not built"/"failed"/"n/a". */
function cells(e) {
  if (!e) return ['n/a', 'n/a'];
  if (e.notBuilt) return ['not built', 'not built'];
  if (e.failed) return [`failed (exit ${e.code})`, 'n/a'];
  return [`${fmtMs(e.ms)}${e.runs === 1 ? ' (1 run)' : ''}`, fmtMb(e.peakRssKb)];
}
const ok = (e) => e && !e.notBuilt && !e.failed && typeof e.ms === 'number';

function table(results) {
  const [a, b] = [results[0], results[results.length - 1]];
  const two = results.length > 1;
  const head = ['Measure'];
  for (const r of results) head.push(`${r.docs} docs: time`, `${r.docs} docs: peak RSS`);
  if (two) head.push(`${b.docs}/${a.docs} time`);
  head.push('Ratio', 'Findings');
  const rows = [];
  const row = (label, pick, ratio, findings) => {
    const es = results.map(pick);
    const line = [label];
    for (const e of es) line.push(...cells(e));
    if (two) line.push(ok(es[0]) && ok(es[es.length - 1]) ? fmtX(es[es.length - 1].ms, es[0].ms) : 'n/a');
    line.push(ratio ?? '', findings ?? '');
    rows.push(line);
  };
  const perSize = (fn) => results.map(fn).join(' / ');

  row('Node start-up (`node -e 0`)', (r) => r.nodeStart, '', '');
  row(
    'Floor: read + scan all .md',
    (r) => r.floor,
    '',
    perSize((r) => (r.floor ? `${r.floor.files} files` : '')),
  );
  row(
    'Ours: `cdp check --format json`',
    (r) => r.ours,
    `vs floor ${perSize((r) => (ok(r.ours) && ok(r.floor) ? fmtX(r.ours.ms, r.floor.ms) : 'n/a'))}`,
    perSize((r) => (ok(r.ours) ? String(r.ours.findings ?? '?') : 'n/a')),
  );
  row(
    'Ours: `cdp check` of one document with N checklist items (N = docs)',
    (r) => r.checklist,
    '',
    perSize((r) => (ok(r.checklist) ? String(r.checklist.findings ?? '?') : 'n/a')),
  );
  /** Latency figures have no ms/peakRssKb entry of their own: a number, or a failed hook. */
  const lspRow = (label, pick, note = '') => {
    const line = [label];
    const vs = results.map((r) => {
      const v = r.lsp ? pick(r.lsp) : null;
      return typeof v === 'number' ? { ms: v } : v;
    });
    for (const v of vs) {
      if (v?.failed) line.push('failed', 'n/a');
      else line.push(v?.ms == null ? 'n/a' : fmtMs(v.ms), v?.peakRssKb != null ? fmtMb(v.peakRssKb) : 'n/a');
    }
    if (two) line.push(ok(vs[0]) && ok(vs[vs.length - 1]) ? fmtX(vs[vs.length - 1].ms, vs[0].ms) : 'n/a');
    line.push(note, '');
    rows.push(line);
  };
  const failedOr = (o, v) => (o?.failed ? o : v);
  lspRow(
    'Ours LSP: cold start → all diagnostics',
    (l) => l.coldStart,
    `vs \`cdp check\` ${perSize((r) => (ok(r.lsp?.coldStart) && ok(r.ours) ? fmtX(r.lsp.coldStart.ms, r.ours.ms) : 'n/a'))}`,
  );
  lspRow('Ours LSP: typing latency p50', (l) => failedOr(l.typing, l.typing?.p50));
  lspRow('Ours LSP: typing latency p95', (l) => failedOr(l.typing, l.typing?.p95));
  lspRow('Ours LSP: typing latency p95, 200 KB document', (l) => failedOr(l.typing200k, l.typing200k?.p95));
  lspRow('Ours LSP: definition p95', (l) => failedOr(l.navigation, l.navigation?.definitionP95));
  lspRow('Ours LSP: references p95', (l) => failedOr(l.navigation, l.navigation?.referencesP95));
  lspRow('Ours LSP: completion p95', (l) => failedOr(l.navigation, l.navigation?.completionP95));
  for (const [peer, label] of Object.entries(PEER_LABELS)) {
    if (!results.some((r) => r.peers[peer])) continue;
    row(
      `Peer: ${label}`,
      (r) => r.peers[peer],
      `vs ours ${perSize((r) => (ok(r.peers[peer]) && ok(r.ours) ? fmtX(r.peers[peer].ms, r.ours.ms) : 'n/a'))}`,
      perSize((r) => String(r.peers[peer]?.findings ?? 'n/a')),
    );
  }
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const l of rows) out.push(`| ${l.join(' | ')} |`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model?.trim() ?? 'unknown',
  cores: cpus.length,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  rssSource: hasGnuTime ? '/usr/bin/time -v (max RSS of the child)' : 'VmHWM reported by the child',
};

const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const loadBefore = os.loadavg();
const results = [];
for (const docs of sizes) results.push(await measureSize(docs));
const loadAfter = os.loadavg();

const md = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}`,
  `Load average (1 / 5 / 15 min): ${fmtLoad(loadBefore)} at the start, ${fmtLoad(loadAfter)} at the end.`,
  `Median of ${runsFast} runs (floor, ours) / ${runsSlow} runs (peers); time is wall time of a fresh child process including Node start-up; peak RSS from ${machine.rssSource}. LSP: cold start is the median of ${runsFast} fresh servers (from \`initialize\` to the ready notification with every document's diagnostics published; peak RSS = the server's VmHWM then); latencies are percentiles of 240 sequential samples in one fresh server each. Generator v${GENERATOR_VERSION}: ${results.map((r) => `${r.docs} docs = ${r.mb.toFixed(1)} MB`).join(', ')}.`,
  '',
  table(results),
  '',
].join('\n');
console.log(md);

const outDir = join(here, 'results');
await mkdir(outDir, { recursive: true });
const json = {
  date: new Date().toISOString(),
  machine,
  generatorVersion: GENERATOR_VERSION,
  runsFast,
  runsSlow,
  loadAverage: { before: loadBefore, after: loadAfter },
  results,
  table: md,
};
await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
log(`wrote ${join(outDir, 'latest.json')}`);
