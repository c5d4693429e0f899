#!/usr/bin/env node
// Benchmark driver: for every workspace shape and size, generates (or reuses) the workspace,
// measures the floor, our `cdp check`, what gate files / markdown links / ids cost, our
// language server (cold and warm start, typing, navigation: bench/lsp.mjs) and the peers,
// prints one markdown table per shape and a table of the targets with ✔/✘, and writes
// the same as JSON and markdown to bench/results/ (one pair per run, plus latest.*).
//
//   node bench/run.mjs [--shapes cdp,small,helix] [--sizes 1000,10000] [--runs-fast 5]
//                      [--runs-slow 3] [--only floor,ours,cost,checklist,lsp,typing,nav,mdls]
//                      [--remark [SHAPES]] [--quick] [--cache DIR] [--budget-ms 120000]
//
// Every figure is the median of N runs, each in a fresh child process (`--runs-fast` for
// ours and the floor, `--runs-slow` for the peers). Without --sizes each shape runs at its
// own sizes (SHAPE_RUNS). --quick: 1,000 documents, one run of everything.
//
// The benchmark is informational; it is not part of the test suite.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeChecklist } from './checklist.mjs';
import { ensureWorkspace, GENERATOR_VERSION, SHAPES } from './generate.mjs';
import { measureNavigation, measureStarts, measureTypingLatency } from './lsp.mjs';
import { hasGnuTime, lastJson, median, run, warmFiles } from './measure.mjs';
import { measurePeer, PEER_LABELS } from './peers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CLI = join(root, 'server', 'out', 'cli.js');
const SERVER = join(root, 'server', 'out', 'server.js');

/**
 * What runs on each shape: its default sizes, the cost it states (the same workspace with
 * and without something: interleaved `cdp check` runs of both), and shape-only extras.
 */
export const SHAPE_RUNS = {
  cdp: {
    sizes: [1000, 10000],
    cost: { name: 'ids', label: 'ids (a `ddx:` id and 3–5 `depends_on` per document)', with: 'cdp-ids' },
    checklist: true,
    typing200k: true,
  },
  small: { sizes: [1000, 10000, 50000] },
  helix: {
    sizes: [1000, 10000],
    cost: {
      name: 'gates+mdlinks',
      label: 'gate files and markdown links',
      with: 'helix',
      without: 'helix-plain',
    },
  },
};

/**
 * Shapes measured only when `--shapes` names them: what gate files and markdown links cost
 * when projects are larger, so that a gate file comes with 7–8 documents instead of 2.
 */
export const EXTRA_SHAPE_RUNS = {
  'helix-sparse': {
    sizes: [10000],
    cost: {
      name: 'gates+mdlinks, larger projects',
      label: 'gate files and markdown links, larger projects',
      with: 'helix-sparse',
      without: 'helix-sparse-plain',
    },
  },
};

/** Peers above this size are left out (no target asks for them; remark needs minutes). */
const PEER_MAX_DOCS = 10000;

const TARGETS = {
  coldVsFloor: 2.5,
  vsMdls: 4,
  cliRssMb: 200,
  serverRssMb: 250,
  warmOfCold: 0.4,
  scale: 5.5,
  typingP95: 25,
  navP95: 20,
  cost: 1.1,
};

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--'))
      a[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const quick = args.quick === true;
const list = (v) => String(v).split(',').filter(Boolean);
const shapes = list(args.shapes ?? Object.keys(SHAPE_RUNS).join(','));
const runsOf = (shape) => SHAPE_RUNS[shape] ?? EXTRA_SHAPE_RUNS[shape];
for (const s of shapes) {
  if (!runsOf(s)) {
    console.error(
      `unknown shape ${s}; one of: ${[...Object.keys(SHAPE_RUNS), ...Object.keys(EXTRA_SHAPE_RUNS)].join(', ')}`,
    );
    process.exit(2);
  }
}
const sizesArg = args.sizes ? list(args.sizes).map(Number) : quick ? [1000] : null;
const runsFast = Number(args['runs-fast'] ?? (quick ? 1 : 5));
const runsSlow = Number(args['runs-slow'] ?? (quick ? 1 : 3));
const only = new Set(list(args.only ?? 'floor,ours,cost,checklist,lsp,typing,nav,mdls'));
const remarkShapes = args.remark === true ? ['cdp'] : args.remark ? list(args.remark) : [];
if (only.has('remark') && !args.remark) remarkShapes.push('cdp');
const budgetMs = Number(args['budget-ms'] ?? 120000);
const cache = args.cache ?? join(os.tmpdir(), 'cdp-bench');

const log = (...m) => console.error('[bench]', ...m);

/**
 * Repeats `once` `n` times and keeps medians of ms, cpuMs and peakRssKb (plus the last
 * run's extras). A first run slower than `--budget-ms` is not repeated: `runs` says so.
 */
async function repeat(n, once) {
  const all = [];
  for (let i = 0; i < n; i++) {
    all.push(await once());
    if (all[i].failed || all[i].notBuilt) break;
    if (i === 0 && n > 1 && all[0].ms > budgetMs) {
      log(
        `    first run took ${fmtMs(all[0].ms)} (over the --budget-ms of ${fmtMs(budgetMs)}): not repeated`,
      );
      break;
    }
  }
  const last = all[all.length - 1];
  if (last.failed || last.notBuilt) return last;
  const { stdout: _o, stderr: _e, ...rest } = last;
  return {
    ...rest,
    ms: median(all.map((r) => r.ms)),
    cpuMs: median(all.map((r) => r.cpuMs)),
    peakRssKb: median(all.map((r) => r.peakRssKb)),
    runs: all.length,
    allMs: all.map((r) => Math.round(r.ms)),
    allCpuMs: all.map((r) => (r.cpuMs == null ? null : Math.round(r.cpuMs))),
  };
}

async function measureFloor(ws) {
  warmFiles(ws);
  const r = await run(process.execPath, [join(here, 'floor.mjs'), ws]);
  const self = lastJson(r.stdout);
  if (r.code !== 0 || !self) throw new Error(`floor failed: ${r.stderr.slice(-500)}`);
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    innerMs: self.ms,
    peakRssKb: r.peakRssKb ?? self.peakRssKb,
    files: self.files,
  };
}

/** Findings of `cdp check --format json` (report v1: `diagnostics`), or null. */
function countFindings(stdout) {
  try {
    const data = JSON.parse(stdout);
    return Array.isArray(data.diagnostics) ? data.diagnostics.length : null;
  } catch {
    return null;
  }
}

function oursResult(r) {
  // Exit code 1 means "findings reported"; anything else is a failure.
  if (r.signal || (r.code !== 0 && r.code !== 1))
    return { failed: true, code: r.code, ms: r.ms, error: r.stderr.slice(-500) };
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    peakRssKb: r.peakRssKb,
    code: r.code,
    findings: countFindings(r.stdout),
  };
}

async function measureOurs(ws) {
  if (!existsSync(CLI)) return { notBuilt: true };
  warmFiles(ws);
  return oursResult(await run(process.execPath, [CLI, 'check', ws, '--format', 'json']));
}

async function workspace(shape, docs) {
  const out = join(cache, `${shape}-${docs}`);
  const m = await ensureWorkspace({ shape, docs, out });
  log(
    `${shape} ${docs} docs at ${out} (${(m.bytes / 1048576).toFixed(1)} MB, ${m.reused ? 'reused' : 'generated'})`,
  );
  return { ...m, dir: out };
}

/**
 * `cdp check` of the workspace with (A) and without (B) what the cost is about, A/B
 * interleaved (A B, B A, A B, …) so that load changes hit both alike.
 */
async function measureCost(cost, docs, withWs) {
  const a = withWs ?? (await workspace(cost.with, docs));
  const b = await workspace(cost.without, docs);
  const runsA = [];
  const runsB = [];
  log(`  cost of ${cost.name}: cdp check with / without, ${runsFast} interleaved pairs`);
  for (let i = 0; i < runsFast; i++) {
    const order = i % 2 ? ['b', 'a'] : ['a', 'b'];
    for (const k of order) {
      const r = await measureOurs(k === 'a' ? a.dir : b.dir);
      if (r.failed || r.notBuilt) return r;
      (k === 'a' ? runsA : runsB).push(r);
    }
  }
  const sum = (rs) => ({
    ms: median(rs.map((r) => r.ms)),
    cpuMs: median(rs.map((r) => r.cpuMs)),
    peakRssKb: median(rs.map((r) => r.peakRssKb)),
    findings: rs[0].findings,
    allMs: rs.map((r) => Math.round(r.ms)),
    allCpuMs: rs.map((r) => (r.cpuMs == null ? null : Math.round(r.cpuMs))),
  });
  const A = sum(runsA);
  const B = sum(runsB);
  return {
    name: cost.name,
    label: cost.label,
    with: { shape: a.shape, mb: a.bytes / 1048576, ...A },
    without: { shape: b.shape, mb: b.bytes / 1048576, ...B },
    runs: runsA.length,
    ratioMs: A.ms / B.ms,
    ratioCpu: A.cpuMs != null && B.cpuMs ? A.cpuMs / B.cpuMs : null,
  };
}

async function measureSize(shape, docs) {
  const spec = runsOf(shape);
  const load = { before: os.loadavg() };
  const m = await workspace(shape, docs);
  const ws = m.dir;
  const res = {
    shape,
    docs: m.docs,
    mb: m.bytes / 1048576,
    workflows: m.instances,
    gateFiles: m.otherFiles ?? 0,
    workspace: ws,
    probe: m.probe,
  };

  if (only.has('floor')) {
    log(`  node start-up ×${runsFast}`);
    res.nodeStart = await repeat(runsFast, () => run(process.execPath, ['-e', '0']));
    log(`  floor ×${runsFast}`);
    res.floor = await repeat(runsFast, () => measureFloor(ws));
  }
  if (only.has('ours')) {
    log(`  ours: cdp check ×${runsFast}`);
    res.ours = await repeat(runsFast, () => measureOurs(ws));
  }
  if (only.has('cost') && spec.cost) {
    const cost = { without: shape, ...spec.cost };
    res.cost = await measureCost(cost, docs, cost.with === shape ? m : undefined);
  }
  if (only.has('checklist') && spec.checklist) {
    const file = await writeChecklist({ items: docs, out: join(cache, `checklist-${docs}`) });
    log(`  ours: cdp check of one document with ${docs} checklist items ×${runsFast}`);
    res.checklist = existsSync(CLI)
      ? await repeat(runsFast, async () =>
          oursResult(await run(process.execPath, [CLI, 'check', file, '--format', 'json'])),
        )
      : { notBuilt: true };
  }
  const ctx = { workspace: ws, docs: m.docs, runs: runsFast, serverPath: SERVER, budgetMs, probe: m.probe };
  const attempt = async (what, fn) => {
    log(`  ours: language server, ${what}`);
    if (!existsSync(SERVER)) return { notBuilt: true };
    try {
      return await fn(ctx);
    } catch (e) {
      log(`    failed: ${e.message}`);
      return { failed: true, error: String(e.message).slice(0, 500) };
    }
  };
  res.lsp = {};
  if (only.has('lsp')) {
    const starts = await attempt(`cold + warm start ×${runsFast}`, measureStarts);
    res.lsp.cold = starts.cold ?? starts;
    res.lsp.warm = starts.warm ?? starts;
  }
  if (only.has('typing')) {
    res.lsp.typing = await attempt('typing', measureTypingLatency);
    if (spec.typing200k)
      res.lsp.typing200k = await attempt('typing in a 200 KB document', (c) =>
        measureTypingLatency(c, { padToBytes: 200 * 1024 }),
      );
  }
  if (only.has('nav'))
    res.lsp.navigation = await attempt('definition / references / completion', measureNavigation);
  res.peers = {};
  for (const peer of Object.keys(PEER_LABELS)) {
    const wanted = peer === 'remark' ? remarkShapes.includes(shape) : only.has(peer);
    if (!wanted || docs > PEER_MAX_DOCS) continue;
    log(`  ${peer} ×${runsSlow}`);
    try {
      res.peers[peer] = await repeat(runsSlow, () => measurePeer(peer, ws));
    } catch (e) {
      log(`    failed: ${e.message}`);
      res.peers[peer] = { failed: true, error: String(e.message).slice(0, 500) };
    }
  }
  load.after = os.loadavg();
  res.loadAverage = load;
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
const fmtRatio = (x) =>
  x == null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(x >= 10 ? 0 : x >= 1 ? 1 : 2)}×`;
const fmtX = (a, b) => (a == null || b == null || !b ? 'n/a' : fmtRatio(a / b));
const fmtPct = (x) =>
  x == null || !Number.isFinite(x) ? 'n/a' : `${x >= 1 ? '+' : '−'}${Math.abs((x - 1) * 100).toFixed(1)}%`;
const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const ok = (e) => e && !e.notBuilt && !e.failed && typeof e.ms === 'number';
const docsLabel = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));
/** A warm start's note: when the editor had all its diagnostics, and whether they were the cold start's. */
const warmDiagnostics = (w) =>
  w.sameDiagnostics === undefined
    ? ''
    : w.sameDiagnostics
      ? `; all diagnostics shown at ${fmtMs(w.diagnosticsMs)}, the cold start's`
      : "; its diagnostics differed from the cold start's";

/** Cells time | CPU | peak RSS of a measured entry, or why there is none. */
function cells(e) {
  if (!e) return ['', '', ''];
  if (e.notBuilt) return ['not built', '', ''];
  if (e.failed) return [`failed${e.code != null ? ` (exit ${e.code})` : ''}`, '', ''];
  const one = e.runs === 1 ? ' (1 run)' : '';
  return [
    `${fmtMs(e.ms)}${one}`,
    e.cpuMs == null ? '' : fmtMs(e.cpuMs),
    e.peakRssKb == null ? '' : fmtMb(e.peakRssKb),
  ];
}

/** One table per shape: a row per measure, time / CPU / peak RSS per size. */
function shapeTable(shape, results) {
  const rs = results.filter((r) => r.shape === shape).sort((a, b) => a.docs - b.docs);
  if (!rs.length) return '';
  const head = ['Measure'];
  for (const r of rs) head.push(`${docsLabel(r.docs)}: time`, 'CPU', 'peak RSS');
  head.push('Notes');
  const rows = [];
  const row = (label, pick, note = () => '') => {
    const es = rs.map(pick);
    if (es.every((e) => e == null)) return;
    const line = [label];
    for (const e of es) line.push(...cells(e));
    line.push(
      rs
        .map((r, i) => note(r, es[i]))
        .filter(Boolean)
        .join(' · '),
    );
    rows.push(line);
  };
  const latency = (label, pick) =>
    row(label, (r) => {
      const v = r.lsp && pick(r.lsp);
      return v == null ? undefined : typeof v === 'number' ? { ms: v } : v;
    });
  row('Node start-up (`node -e 0`)', (r) => r.nodeStart);
  row(
    'Floor: read + scan all .md',
    (r) => r.floor,
    (r, e) => (ok(e) ? `${docsLabel(r.docs)}: ${e.files} files` : ''),
  );
  row(
    '`cdp check --format json`',
    (r) => r.ours,
    (r, e) =>
      ok(e) && ok(r.floor)
        ? `${docsLabel(r.docs)}: ${fmtX(e.ms, r.floor.ms)} the floor (CPU ${fmtX(e.cpuMs, r.floor.cpuMs)}), ${e.findings} findings`
        : '',
  );
  row('`cdp check` of one document with N checklist items (N = docs)', (r) => r.checklist);
  const costLabel = rs.find((r) => r.cost)?.cost;
  if (costLabel && !costLabel.failed) {
    row(
      `\`cdp check\` with ${costLabel.label} (${costLabel.with.shape})`,
      (r) => r.cost?.with,
      (r) => (ok(r.cost?.with) ? `${docsLabel(r.docs)}: ${r.cost.runs} pairs interleaved` : ''),
    );
    row(
      `\`cdp check\` without (${costLabel.without.shape})`,
      (r) => r.cost?.without,
      (r) =>
        r.cost?.ratioMs
          ? `${docsLabel(r.docs)}: cost ${fmtPct(r.cost.ratioMs)} time, ${fmtPct(r.cost.ratioCpu)} CPU`
          : '',
    );
  }
  row(
    'LSP cold start → all diagnostics',
    (r) => r.lsp?.cold,
    (r, e) => (ok(e) && ok(r.ours) ? `${docsLabel(r.docs)}: ${fmtX(e.ms, r.ours.ms)} \`cdp check\`` : ''),
  );
  row(
    'LSP warm start (same storage, nothing changed)',
    (r) => r.lsp?.warm,
    (r, e) =>
      ok(e)
        ? `${docsLabel(r.docs)}: ${fmtX(e.ms, r.lsp.cold.ms)} cold${e.cacheBytes ? `, cache ${fmtMb(e.cacheBytes / 1024)}` : ', nothing persisted'}${warmDiagnostics(e)}`
        : '',
  );
  const failedOr = (o, v) => (o?.failed || o?.notBuilt ? o : v);
  latency('LSP typing p50', (l) => failedOr(l.typing, l.typing?.p50));
  latency('LSP typing p95', (l) => failedOr(l.typing, l.typing?.p95));
  latency('LSP typing p95, 200 KB document', (l) => failedOr(l.typing200k, l.typing200k?.p95));
  latency('LSP definition p95', (l) => failedOr(l.navigation, l.navigation?.definitionP95));
  latency('LSP references p95', (l) => failedOr(l.navigation, l.navigation?.referencesP95));
  latency('LSP completion p95', (l) => failedOr(l.navigation, l.navigation?.completionP95));
  for (const [peer, label] of Object.entries(PEER_LABELS)) {
    row(
      `Peer: ${label}`,
      (r) => r.peers?.[peer],
      (r, e) =>
        ok(e) && ok(r.ours)
          ? `${docsLabel(r.docs)}: ours faster ${fmtX(e.ms, r.ours.ms)} (CPU ${fmtX(e.cpuMs, r.ours.cpuMs)}), ${e.findings} findings`
          : '',
    );
  }
  const first = rs[0];
  const desc = `**${shape}** — ${SHAPES[shape].describe}. ${rs
    .map(
      (r) =>
        `${docsLabel(r.docs)}: ${r.mb.toFixed(1)} MB, ${r.workflows} workflows${r.gateFiles ? `, ${r.gateFiles} gate files` : ''}`,
    )
    .join('; ')}. Editing in \`${first.probe ?? '?'}\` (at ${docsLabel(first.docs)}).`;
  const out = [desc, '', `| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const l of rows) out.push(`| ${l.join(' | ')} |`);
  return out.join('\n');
}

/** Every target with its figure and ✔ / ✘ (or "n/a" when its figures are missing). */
function targetRows(results) {
  const rows = [];
  const add = (target, where, figure, pass) =>
    rows.push([target, where, figure, pass == null ? 'n/a' : pass ? '✔' : '✘']);
  const at = (r) => `${r.shape} ${docsLabel(r.docs)}`;
  const sorted = [...results].sort((a, b) => a.shape.localeCompare(b.shape) || a.docs - b.docs);
  for (const r of sorted) {
    if (ok(r.ours) && ok(r.floor)) {
      const x = r.ours.ms / r.floor.ms;
      add(
        `Cold \`cdp check\` ≤ ${TARGETS.coldVsFloor}× the floor`,
        at(r),
        `${fmtRatio(x)} (CPU ${fmtX(r.ours.cpuMs, r.floor.cpuMs)})`,
        x <= TARGETS.coldVsFloor,
      );
    }
  }
  for (const r of sorted) {
    const p = r.peers?.mdls;
    if (ok(p) && ok(r.ours) && r.docs <= PEER_MAX_DOCS) {
      const x = p.ms / r.ours.ms;
      add(
        `≥ ${TARGETS.vsMdls}× faster than vscode-markdown-languageservice`,
        at(r),
        `${fmtRatio(x)} (CPU ${fmtX(p.cpuMs, r.ours.cpuMs)})`,
        x >= TARGETS.vsMdls,
      );
    }
  }
  for (const r of sorted.filter((x) => x.docs === 10000)) {
    if (ok(r.ours))
      add(
        `Peak RSS at 10k: CLI ≤ ${TARGETS.cliRssMb} MB`,
        at(r),
        fmtMb(r.ours.peakRssKb),
        r.ours.peakRssKb / 1024 <= TARGETS.cliRssMb,
      );
    if (ok(r.lsp?.cold))
      add(
        `Peak RSS at 10k: server ≤ ${TARGETS.serverRssMb} MB`,
        at(r),
        fmtMb(r.lsp.cold.peakRssKb),
        r.lsp.cold.peakRssKb / 1024 <= TARGETS.serverRssMb,
      );
  }
  for (const r of sorted) {
    const c = r.lsp?.cold;
    const w = r.lsp?.warm;
    if (ok(c) && ok(w)) {
      // Judged at the moment the editor has all diagnostics, when they are the cold
      // start's; else (or from results without that figure) at the index's ready moment.
      const shown = w.sameDiagnostics === true && w.diagnosticsMs && c.diagnosticsMs;
      const x = shown ? w.diagnosticsMs / c.diagnosticsMs : w.ms / c.ms;
      add(
        `Server warm start ≤ ${TARGETS.warmOfCold * 100}% of cold (to all diagnostics)`,
        at(r),
        shown
          ? `${(x * 100).toFixed(0)}% (${fmtMs(w.diagnosticsMs)} of ${fmtMs(c.diagnosticsMs)}; index ready at ${(
              (w.ms / c.ms) * 100
            ).toFixed(0)}%)`
          : `${(x * 100).toFixed(0)}% (${fmtMs(w.ms)} of ${fmtMs(c.ms)}${w.cacheBytes ? '' : '; nothing persisted'}${
              w.sameDiagnostics === false ? "; its diagnostics differed from the cold start's" : ''
            })`,
        x <= TARGETS.warmOfCold,
      );
    }
  }
  for (const shape of new Set(sorted.map((r) => r.shape))) {
    const a = sorted.find((r) => r.shape === shape && r.docs === 10000);
    const b = sorted.find((r) => r.shape === shape && r.docs === 50000);
    if (!a || !b) continue;
    const pair = (label, pick, rss) => {
      const x = pick(a);
      const y = pick(b);
      if (x == null || y == null) return;
      add(
        `50k / 10k ≤ ${TARGETS.scale}: ${label}`,
        shape,
        `${fmtRatio(y / x)} (${rss ? fmtMb(x) : fmtMs(x)} → ${rss ? fmtMb(y) : fmtMs(y)})`,
        y / x <= TARGETS.scale,
      );
    };
    pair('`cdp check` time', (r) => (ok(r.ours) ? r.ours.ms : null));
    pair('`cdp check` CPU', (r) => (ok(r.ours) ? r.ours.cpuMs : null));
    pair('`cdp check` peak RSS', (r) => (ok(r.ours) ? r.ours.peakRssKb : null), true);
    pair('server cold start', (r) => (ok(r.lsp?.cold) ? r.lsp.cold.ms : null));
    pair('server peak RSS', (r) => (ok(r.lsp?.cold) ? r.lsp.cold.peakRssKb : null), true);
  }
  for (const r of sorted.filter((x) => x.docs >= 10000)) {
    const judged = r.docs >= 50000 ? '' : ' (judged at 50k; shown)';
    const t = r.lsp?.typing;
    if (t && !t.failed && !t.notBuilt)
      add(
        `Typing p95 ≤ ${TARGETS.typingP95} ms`,
        at(r) + judged,
        fmtMs(t.p95),
        r.docs >= 50000 ? t.p95 <= TARGETS.typingP95 : null,
      );
    const n = r.lsp?.navigation;
    if (n && !n.failed && !n.notBuilt) {
      const worst = Math.max(n.definitionP95, n.referencesP95, n.completionP95);
      add(
        `Definition / references / completion p95 ≤ ${TARGETS.navP95} ms`,
        at(r) + judged,
        `${fmtMs(n.definitionP95)} / ${fmtMs(n.referencesP95)} / ${fmtMs(n.completionP95)}`,
        r.docs >= 50000 ? worst <= TARGETS.navP95 : null,
      );
    }
  }
  for (const r of sorted) {
    const c = r.cost;
    if (!c || c.failed || c.notBuilt) continue;
    const x = c.ratioCpu ?? c.ratioMs;
    add(
      `Cost of ${c.label} ≤ +${Math.round((TARGETS.cost - 1) * 100)}% (CPU; wall in brackets)`,
      at(r),
      `${fmtPct(c.ratioCpu)} (${fmtPct(c.ratioMs)})`,
      x <= TARGETS.cost,
    );
  }
  return rows;
}

function targetTable(results) {
  const rows = targetRows(results);
  const out = ['| Target | Where | Figure | |', '| --- | --- | --- | --- |'];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  out.push('| Extension activation ≤ 50 ms | VS Code | measured by the e2e suite, not here | |');
  return { md: out.join('\n'), rows };
}

// ---------------------------------------------------------------------------------------

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model?.trim() ?? 'unknown',
  cores: cpus.length,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  rssSource: hasGnuTime
    ? '/usr/bin/time -v (max RSS and user + sys time of the child)'
    : 'VmHWM reported by the child (no CPU time without /usr/bin/time)',
};

const started = new Date();
const loadBefore = os.loadavg();
const results = [];
for (const shape of shapes) {
  for (const docs of sizesArg ?? runsOf(shape).sizes) results.push(await measureSize(shape, docs));
}
const loadAfter = os.loadavg();
const targets = targetTable(results);

const md = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}`,
  `Load average (1 / 5 / 15 min): ${fmtLoad(loadBefore)} at the start, ${fmtLoad(loadAfter)} at the end (${started.toISOString()} → ${new Date().toISOString()}).`,
  `Median of ${runsFast} runs (floor, ours, LSP starts) / ${runsSlow} runs (peers). Time: wall time of a fresh child process, Node start-up included; CPU: its user + sys time; peak RSS from ${machine.rssSource}. LSP: from \`initialize\` to the ready notification with every document's diagnostics published (server CPU from /proc, peak RSS = its VmHWM then); warm = a second server on the same storage folder, which shows the diagnostics the last check stored before its index is ready: its target is judged when the last of them arrived, provided they equal the cold start's; latencies: percentiles of up to 240 sequential samples in a fresh server. Generator v${GENERATOR_VERSION}.`,
  '',
  ...shapes.flatMap((s) => [shapeTable(s, results), '']),
  '**Targets** (issue #15; costs: #9 gate files + markdown links, #10 ids)',
  '',
  targets.md,
  '',
].join('\n');
console.log(md);

const outDir = join(here, 'results');
await mkdir(outDir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
const json = {
  date: started.toISOString(),
  machine,
  generatorVersion: GENERATOR_VERSION,
  args: process.argv.slice(2),
  runsFast,
  runsSlow,
  loadAverage: { before: loadBefore, after: loadAfter },
  targets: Object.fromEntries(Object.entries(TARGETS)),
  verdicts: targets.rows.map(([target, where, figure, pass]) => ({ target, where, figure, pass })),
  results,
  table: md,
};
const text = `${JSON.stringify(json, null, 2)}\n`;
await writeFile(join(outDir, `${stamp}.json`), text);
await writeFile(join(outDir, `${stamp}.md`), md);
await writeFile(join(outDir, 'latest.json'), text);
await writeFile(join(outDir, 'latest.md'), md);
log(`wrote ${join(outDir, `${stamp}.json`)} (and .md, latest.json, latest.md)`);
