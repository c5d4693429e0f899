// Language-server measurements of our own server (server/out/server.js) on a generated
// workspace. `bench/run.mjs` calls every function below once per workspace size.
//
// Each hook receives `{ workspace, docs, runs, serverPath, budgetMs, probe }` (`probe`: the
// document the editing measurements work in, from the workspace's manifest) and resolves to
// the figures named in its comment, in milliseconds. Every measurement starts its own server
// process (`node server.js --stdio`) and speaks JSON-RPC to it over stdio, as an editor does.
//
// "All diagnostics published" is defined as: the server's `cdp/progressChanged` notification
// with `ready: true` has arrived, and the number of documents whose latest published
// diagnostics are non-empty equals the number of files with findings in `cdp check --format
// json` of the same workspace (computed once per workspace, untimed). The server publishes
// its initial diagnostics before that notification, so both conditions normally hold at the
// same message; the count is the check that nothing is missing.
//
// A start also records when the last diagnostics before that point arrived (`diagnosticsMs`):
// from then on the editor shows every document's diagnostics. On a cold start that is the
// ready moment; a warm start publishes the diagnostics stored by the last check before its
// index is ready, and `measureStarts` checks that they are the cold start's, document for
// document (`sameDiagnostics`).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { run, warmFiles } from './measure.mjs';

const log = (...m) => console.error('[bench]', ...m);

/** Samples per latency figure. */
const SAMPLES = 240;
/**
 * A latency series stops early (at a whole round of edits, after at least MIN_SAMPLES)
 * once it has taken this long: on a slow server 240 samples would take many minutes.
 */
const SERIES_BUDGET_MS = 90 * 1000;
const MIN_SAMPLES = 40;
/** True when series `i` (started at `t0`) may stop after its sample `i`. */
const enough = (i, t0, round = 1) =>
  i + 1 >= MIN_SAMPLES && (i + 1) % round === 0 && performance.now() - t0 > SERIES_BUDGET_MS;
/** A quiet moment between two measured keystrokes or requests, as between keystrokes. */
const GAP_MS = 10;
/** Longest wait for a cold start or one awaited message. */
const COLD_TIMEOUT_MS = 15 * 60 * 1000;
const STEP_TIMEOUT_MS = 60 * 1000;
/** After the ready notification, how long without any publish counts as "nothing more is coming". */
const STALL_MS = 20 * 1000;
/** How long a server may take to exit after `exit` (it may write its cache then). */
const EXIT_TIMEOUT_MS = 120 * 1000;

const CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    workspaceFolders: true,
    fileOperations: { willRename: true },
    symbol: {},
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false } },
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite'] } },
    },
  },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A time limit raced against something else: it does not keep the process alive once that is done. */
const limit = (ms) => new Promise((r) => setTimeout(r, ms).unref());

export function percentile(xs, p) {
  const v = [...xs].sort((a, b) => a - b);
  if (!v.length) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

/**
 * How the storage folder reaches the server: `initializationOptions.storagePath` (and
 * `storageUri`, the same as a URI): the extension's storage folder as the client sends it. Change
 * it here if the server takes it otherwise.
 */
export function storageInitOptions(dir) {
  return dir ? { storagePath: dir, storageUri: pathToFileURL(dir).toString() } : undefined;
}

/** CPU time (user + system) of a live process so far, in ms, from /proc (Linux only). */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux the benchmark runs on. */
const CLOCK_TICKS = 100;

/** Total size of the files under `dir` (the persisted cache), in bytes. */
function treeBytes(dir) {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile()) n += statSync(join(e.parentPath ?? e.path, e.name)).size;
    }
  } catch {
    // missing folder: nothing persisted
  }
  return n;
}

/** Peak resident set size of a live process, from /proc (Linux only). */
function vmHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// Expected diagnostics: files with findings according to the CLI.

const expectedCache = new Map();

async function expectedFiles(ctx) {
  if (expectedCache.has(ctx.workspace)) return expectedCache.get(ctx.workspace);
  const cli = join(dirname(ctx.serverPath), 'cli.js');
  const r = await run(process.execPath, [cli, 'check', ctx.workspace, '--format', 'json']);
  const data = JSON.parse(r.stdout);
  const n = new Set(data.diagnostics.map((d) => d.file)).size;
  expectedCache.set(ctx.workspace, n);
  return n;
}

// ---------------------------------------------------------------------------------------
// A minimal language client.

class Client {
  constructor(serverPath, settings, initializationOptions) {
    this.settings = settings;
    this.initializationOptions = initializationOptions;
    this.diagnostics = new Map();
    /** Number of documents whose latest diagnostics are non-empty. */
    this.withFindings = 0;
    this.published = 0;
    /** When the last diagnostics arrived (of any document). */
    this.lastPublishAt = null;
    this.readyAt = null;
    this.listeners = new Set();
    this.versions = new Map();
    this.stderr = [];
    // CDP_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers.
    const nodeArgs = (process.env.CDP_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.proc = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stderr.on('data', (d) => this.stderr.push(String(d)));
    const c = createMessageConnection(
      new StreamMessageReader(this.proc.stdout),
      new StreamMessageWriter(this.proc.stdin),
    );
    this.connection = c;
    c.onNotification('textDocument/publishDiagnostics', (p) => {
      const before = this.diagnostics.get(p.uri);
      if (before?.length) this.withFindings--;
      if (p.diagnostics.length) this.withFindings++;
      this.diagnostics.set(p.uri, p.diagnostics);
      this.published++;
      this.lastPublishAt = performance.now();
      this.changed({ method: 'diagnostics', uri: p.uri });
    });
    c.onNotification('cdp/progressChanged', (p) => {
      if (p?.ready && this.readyAt === null) this.readyAt = performance.now();
      this.changed({ method: 'progress' });
    });
    c.onNotification('$/progress', () => {});
    c.onNotification('window/logMessage', () => {});
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('workspace/configuration', (p) =>
      p.items.map((i) => (i.section === 'cdp' ? (this.settings ?? {}) : null)),
    );
    c.listen();
  }

  changed(event) {
    for (const l of [...this.listeners]) l(event);
  }

  /** Resolves with the first truthy `test(event)` (also tried at once with `undefined`). */
  waitFor(test, what, timeoutMs = STEP_TIMEOUT_MS) {
    try {
      const now = test(undefined);
      if (now) return Promise.resolve(now);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const listener = (e) => {
        let v;
        try {
          v = test(e);
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (v) {
          done();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`timed out waiting for ${what}; server stderr: ${this.stderr.join('').slice(-2000)}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  async initialize(folder) {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: CAPABILITIES,
      workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'bench' }],
      initializationOptions: this.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
  }

  /**
   * Resolves once the server is ready and every expected document has diagnostics. Fails
   * when, after the ready notification, nothing is published for STALL_MS while documents
   * are still missing (a server that publishes fewer files than the CLI reports).
   */
  allPublished(expected, timeoutMs = COLD_TIMEOUT_MS) {
    let last = performance.now();
    const stall = setInterval(() => {
      if (this.readyAt !== null && performance.now() - last > STALL_MS) this.changed({ method: 'stall' });
    }, 1000);
    return this.waitFor(
      (e) => {
        if (e?.method === 'diagnostics') last = performance.now();
        if (e?.method === 'stall')
          throw new Error(
            `ready, but only ${this.withFindings} of ${expected} documents with findings have diagnostics after ${STALL_MS / 1000} s without a publish`,
          );
        return this.readyAt !== null && this.withFindings === expected;
      },
      `ready + ${expected} documents with diagnostics (have ${this.withFindings})`,
      timeoutMs,
    ).finally(() => clearInterval(stall));
  }

  /** A digest of every document's latest diagnostics (empty ones left out), to compare two starts. */
  digest() {
    const h = createHash('sha1');
    for (const uri of [...this.diagnostics.keys()].sort()) {
      const d = this.diagnostics.get(uri);
      if (d.length) h.update(`${uri}\n${JSON.stringify(d)}\n`);
    }
    return h.digest('hex');
  }

  open(uri, text) {
    this.versions.set(uri, 1);
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text },
    });
  }

  change(uri, contentChanges) {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges,
    });
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  async stop(exitTimeoutMs = 3000) {
    const exited = new Promise((r) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) r();
      else this.proc.once('exit', r);
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), limit(exitTimeoutMs)]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await Promise.race([exited, limit(exitTimeoutMs)]);
    this.connection.dispose();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

/**
 * Starts a server on the workspace (with `storageDir` as its storage folder, if given) and
 * waits for its initial diagnostics. `cpuMs` is the server's CPU time (user + system) then.
 */
async function startLoaded(ctx, settings, storageDir) {
  const expected = await expectedFiles(ctx);
  warmFiles(ctx.workspace);
  const client = new Client(ctx.serverPath, settings, storageInitOptions(storageDir));
  const t0 = performance.now();
  try {
    await client.initialize(ctx.workspace);
    await client.allPublished(expected);
  } catch (e) {
    await client.stop();
    throw e;
  }
  const ms = performance.now() - t0;
  const cpuMs = cpuMsOf(client.proc.pid);
  const peakRssKb = vmHwmKb(client.proc.pid);
  return {
    client,
    ms,
    readyMs: client.readyAt - t0,
    // The editor has every document's diagnostics from the last one received on (whether
    // they are the right ones: measureStarts compares them with the cold start's).
    diagnosticsMs: (client.lastPublishAt ?? client.readyAt) - t0,
    cpuMs,
    peakRssKb,
    expected,
  };
}

// ---------------------------------------------------------------------------------------
// The document the editing measurements work in.

/**
 * The document to edit: the manifest's probe (the largest phase-5 document the generator
 * wrote), else the largest `cycles/*\/05-release.md` (workspaces of older generators).
 */
function pickDocument(workspace, probe) {
  if (probe) {
    const path = join(workspace, probe);
    const text = readFileSync(path, 'utf8');
    return { path, size: text.length, uri: pathToFileURL(path).toString(), text, lines: text.split('\n') };
  }
  const cycles = join(workspace, 'cycles');
  let best = null;
  for (const id of readdirSync(cycles)) {
    const p = join(cycles, id, '05-release.md');
    let size;
    try {
      size = statSync(p).size;
    } catch {
      continue;
    }
    if (!best || size > best.size) best = { path: p, size };
  }
  if (!best) throw new Error(`no 05-release.md under ${cycles}`);
  const text = readFileSync(best.path, 'utf8');
  return { ...best, uri: pathToFileURL(best.path).toString(), text, lines: text.split('\n') };
}

/** The document with lines appended after its end until its text has `bytes` characters. */
function padDocument(doc, bytes) {
  if (doc.text.length >= bytes) return doc;
  // Links to the documents beside it and to its own headings: they resolve, so the
  // findings stay those of the original document.
  const targets = readdirSync(dirname(doc.path))
    .filter((f) => f.endsWith('.md') && f !== basename(doc.path))
    .map((f) => basename(f, '.md'));
  for (const m of doc.text.matchAll(/^#{2,3} (.+)$/gm)) targets.push(`#${m[1].trim()}`);
  const extra = ['', '## Release Notes', ''];
  let size = doc.text.length + 20;
  for (let i = 0; size < bytes; i++) {
    const l =
      i % 3 === 2
        ? `Paragraph ${i} explains the decision recorded in [[${targets[i % targets.length]}]] in some detail.`
        : `- [${i % 2 ? 'x' : ' '}] note ${i}: confirmed against [[${targets[i % targets.length]}]]`;
    extra.push(l);
    size += l.length + 1;
  }
  const text = `${doc.text.replace(/\n?$/, '\n')}${extra.join('\n')}\n`;
  return { ...doc, text, size: text.length, lines: text.split('\n') };
}

/** Lines of the body outside metadata and fenced code: [{ line, text, section }]. */
function bodyLines(lines) {
  const out = [];
  let fence = null;
  let meta = false;
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const f = /^\s*(`{3,}|~{3,})/.exec(l);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    if (l === '---') {
      meta = !meta;
      continue;
    }
    if (meta) continue;
    const h = /^#{1,6}\s+(.*)$/.exec(l);
    if (h) section = h[1].trim();
    out.push({ line: i, text: l, section });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Hooks.

/**
 * Server cold and warm start, in pairs: a fresh server with an empty storage folder (cold:
 * the first start in a workspace; whatever it persists there is part of its cost) is timed
 * from `initialize` until all diagnostics are published (see the top of this file), shut
 * down (given EXIT_TIMEOUT_MS to write what it keeps), then a second fresh server with the
 * same storage folder and nothing changed on disk is timed the same way (warm). Medians of
 * `runs` pairs. A server that persists nothing starts warm as it starts cold: `cacheBytes`
 * (what the first server left in the folder) says which case was measured.
 * Resolves to `{ cold: {ms, cpuMs, readyMs, diagnosticsMs, peakRssKb, …}, warm: {…,
 * cacheBytes, sameDiagnostics} }`.
 */
export async function measureStarts(ctx) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < ctx.runs; i++) {
    const storage = mkdtempSync(join(tmpdir(), 'cdp-bench-storage-'));
    try {
      log(`  lsp cold + warm start ${i + 1}/${ctx.runs}`);
      const c = await startLoaded(ctx, {}, storage);
      const coldDigest = c.client.digest();
      await c.client.stop(EXIT_TIMEOUT_MS);
      const cacheBytes = treeBytes(storage);
      cold.push({ ...c, client: undefined });
      const w = await startLoaded(ctx, {}, storage);
      const sameDiagnostics = w.client.digest() === coldDigest;
      if (!sameDiagnostics) log('  the warm start published other diagnostics than the cold start');
      await w.client.stop(EXIT_TIMEOUT_MS);
      warm.push({ ...w, client: undefined, cacheBytes, sameDiagnostics });
      if (i === 0 && ctx.budgetMs && c.ms > ctx.budgetMs) break;
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  }
  const summary = (all) => {
    const med = (k) =>
      percentile(
        all.map((r) => r[k]).filter((v) => typeof v === 'number'),
        50,
      );
    return {
      ms: med('ms'),
      cpuMs: med('cpuMs'),
      readyMs: med('readyMs'),
      diagnosticsMs: med('diagnosticsMs'),
      peakRssKb: med('peakRssKb'),
      runs: all.length,
      allMs: all.map((r) => Math.round(r.ms)),
      documentsWithDiagnostics: all[0].expected,
    };
  };
  return {
    cold: summary(cold),
    warm: {
      ...summary(warm),
      // Every warm start ended with the cold start's diagnostics.
      sameDiagnostics: warm.every((r) => r.sameDiagnostics),
      cacheBytes: percentile(
        warm.map((r) => r.cacheBytes),
        50,
      ),
    },
  };
}

/**
 * Typing latency, with `cdp.diagnostics.debounceMs` = 0: in the largest `05-release.md`,
 * alternately (a) insert / delete one character inside the heading part of a wikilink in a
 * paragraph line, which breaks / mends it, and (b) tick / untick one entry criterion, which
 * removes / restores an unmet-criterion finding. Every keystroke changes the document's
 * diagnostics, so each one is answered by a publishDiagnostics for it; the time from sending
 * the didChange to that notification is one sample. Resolves to `{ p50, p95, max, samples }`.
 * With `padToBytes`, the opened document is first grown to that size with more criteria
 * and wikilinks after its last line (the large-document case: every keystroke needs a
 * parse of the whole text before the new diagnostics).
 */
export async function measureTypingLatency(ctx, { padToBytes = 0 } = {}) {
  const doc = padDocument(pickDocument(ctx.workspace, ctx.probe), padToBytes);
  const body = bodyLines(doc.lines);
  // (a) A paragraph line with a wikilink to a heading: the character goes before its `]]`.
  const para = body.find(
    (b) => /^[A-Za-z]/.test(b.text) && /\[\[[^\]|#]+#[^\]|]+\]\]/.test(b.text) && !/^\s*[-*|>]/.test(b.text),
  );
  // (b) An unticked entry criterion.
  const box = body.find((b) => /entry criteria/i.test(b.section) && /^[-*] \[ \] /.test(b.text));
  if (!para || !box) throw new Error(`${doc.path}: no paragraph wikilink or unticked entry criterion`);
  const m = /\[\[[^\]|#]+#[^\]|]+\]\]/.exec(para.text);
  const linkEnd = m.index + m[0].length - 2;
  const boxCol = box.text.indexOf('[ ]') + 1;
  const at = (line, character) => ({ line, character });
  const edits = [
    {
      kind: 'insert',
      change: { range: { start: at(para.line, linkEnd), end: at(para.line, linkEnd) }, text: 'q' },
      delta: +1,
    },
    {
      kind: 'tick',
      change: { range: { start: at(box.line, boxCol), end: at(box.line, boxCol + 1) }, text: 'x' },
      delta: -1,
    },
    {
      kind: 'delete',
      change: { range: { start: at(para.line, linkEnd), end: at(para.line, linkEnd + 1) }, text: '' },
      delta: -1,
    },
    {
      kind: 'untick',
      change: { range: { start: at(box.line, boxCol), end: at(box.line, boxCol + 1) }, text: ' ' },
      delta: +1,
    },
  ];

  const { client } = await startLoaded(ctx, { diagnostics: { debounceMs: 0 } });
  try {
    await client.open(doc.uri, doc.text);
    await client.request('textDocument/documentSymbol', { textDocument: { uri: doc.uri } }); // opened and idle
    await sleep(200);
    let count = client.diagnostics.get(doc.uri)?.length ?? 0;
    const samples = { insert: [], tick: [], delete: [], untick: [] };
    const all = [];
    const t1 = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      const e = edits[i % edits.length];
      const arrived = client.waitFor(
        (ev) => ev?.method === 'diagnostics' && ev.uri === doc.uri,
        `diagnostics after edit ${i} (${e.kind})`,
      );
      const t0 = performance.now();
      await client.change(doc.uri, [e.change]);
      await arrived;
      const ms = performance.now() - t0;
      const now = client.diagnostics.get(doc.uri)?.length ?? 0;
      if (now - count !== e.delta)
        throw new Error(`edit ${i} (${e.kind}): expected ${e.delta} findings, got ${now - count}`);
      count = now;
      samples[e.kind].push(ms);
      all.push(ms);
      await sleep(GAP_MS);
      if (enough(i, t1, edits.length)) break;
    }
    const byKind = {};
    for (const [k, v] of Object.entries(samples))
      byKind[k] = { p50: percentile(v, 50), p95: percentile(v, 95) };
    return {
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      max: Math.max(...all),
      samples: all.length,
      document: doc.path,
      bytes: doc.size,
      byKind,
    };
  } finally {
    await client.stop();
  }
}

/**
 * Navigation, default settings: go-to-definition and find-references on every wikilink of
 * the largest `05-release.md` (cycled until SAMPLES requests), and wikilink completion
 * right after `[[` typed at the end of eight paragraph lines. One request at a time; a
 * sample is the round trip of one request. Resolves to `{ definitionP95, referencesP95,
 * completionP95, … }`.
 */
export async function measureNavigation(ctx) {
  const doc = pickDocument(ctx.workspace, ctx.probe);
  const body = bodyLines(doc.lines);
  const links = [];
  for (const b of body) {
    for (const m of b.text.matchAll(/!?\[\[([^\]]+)\]\]/g)) {
      const start = m.index + m[0].indexOf('[[') + 2;
      links.push({ line: b.line, character: start + Math.floor(m[1].length / 2) });
    }
  }
  const paras = body.filter((b) => /^[A-Za-z]/.test(b.text) && b.text.length > 40).slice(0, 8);
  if (!links.length || !paras.length) throw new Error(`${doc.path}: no wikilinks or paragraphs`);

  const { client } = await startLoaded(ctx, {});
  try {
    await client.open(doc.uri, doc.text);
    const textDocument = { uri: doc.uri };
    const timed = async (method, params) => {
      const t0 = performance.now();
      const r = await client.request(method, params);
      const ms = performance.now() - t0;
      await sleep(GAP_MS);
      return { r, ms };
    };
    const def = [];
    let resolved = 0;
    const t2 = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      const { r, ms } = await timed('textDocument/definition', {
        textDocument,
        position: links[i % links.length],
      });
      def.push(ms);
      if (r) resolved++;
      if (enough(i, t2)) break;
    }
    const refs = [];
    let found = 0;
    const t3 = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      const { r, ms } = await timed('textDocument/references', {
        textDocument,
        position: links[i % links.length],
        context: { includeDeclaration: true },
      });
      refs.push(ms);
      found += r?.length ?? 0;
      if (enough(i, t3)) break;
    }
    // Type `[[` at the end of each paragraph line, as one keystroke per bracket.
    const spots = [];
    for (const p of paras) {
      const end = doc.lines[p.line].length;
      for (let k = 0; k < 2; k++) {
        const pos = { line: p.line, character: end + k };
        await client.change(doc.uri, [{ range: { start: pos, end: pos }, text: '[' }]);
      }
      spots.push({ line: p.line, character: end + 2 });
    }
    await sleep(500); // past the diagnostics debounce
    const comp = [];
    let items = 0;
    const t4 = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      const { r, ms } = await timed('textDocument/completion', {
        textDocument,
        position: spots[i % spots.length],
        context: { triggerKind: 2, triggerCharacter: '[' },
      });
      comp.push(ms);
      items += (Array.isArray(r) ? r : (r?.items ?? [])).length;
      if (enough(i, t4)) break;
    }
    if (!resolved || !items)
      throw new Error(`navigation answered nothing (definitions ${resolved}, items ${items})`);
    return {
      definitionP95: percentile(def, 95),
      definitionP50: percentile(def, 50),
      referencesP95: percentile(refs, 95),
      referencesP50: percentile(refs, 50),
      completionP95: percentile(comp, 95),
      completionP50: percentile(comp, 50),
      samples: { definition: def.length, references: refs.length, completion: comp.length },
      linkPositions: links.length,
      definitionsResolved: resolved,
      referencesPerRequest: found / refs.length,
      completionItemsPerRequest: items / comp.length,
    };
  } finally {
    await client.stop();
  }
}
