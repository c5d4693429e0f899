// End-to-end harness: runs extensions in a real VS Code workbench (code-server, the VS Code
// server with its web workbench) driven by headless Chromium through playwright-core.
//
// Two kinds of end-to-end tests use it:
//   - in-host suites: mocha suites that run inside the real extension host, started through
//     the workbench's development options (extensionDevelopmentPath + extensionTestsPath);
//     see runInHostSuite() and test/e2e/in-host/index.ts;
//   - UI tests: drive the workbench like a person (command palette, notifications, views,
//     status bar) and keep screenshots under test-results/e2e/.
//
// ensureE2E() prepares the machine once per process (scripts/e2e-setup.sh); e2eSkip() tells a
// test file whether to skip (CDP_SKIP_E2E=1, quick local runs only).
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');
export const CHROMIUM = process.env.CDP_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
/** Environment variable, set on code-server, naming the file the in-host entry writes results to. */
export const RESULTS_ENV = 'CDP_E2E_RESULTS';
/** Environment variable, set on code-server, listing the compiled suite files (JSON array). */
export const SUITES_ENV = 'CDP_E2E_SUITES';
/**
 * Environment variable, set on code-server, naming a folder where an in-host suite asks for a
 * screenshot of the workbench: it writes `<name>.req` and waits for `<name>.done`, which the
 * harness writes once test-results/e2e/<name>.png is taken (see in-host/common.ts).
 */
export const SNAPSHOTS_ENV = 'CDP_E2E_SNAPSHOTS';
/** The in-host entry module (mocha runner) shared by every in-host suite. */
export const IN_HOST_ENTRY = join(REPO_ROOT, 'test', 'e2e', 'in-host', 'index.ts');

const SETUP_SCRIPT = join(REPO_ROOT, 'scripts', 'e2e-setup.sh');
/** Default wait of the UI helpers; generous, since CI machines run two test files at once. */
export const UI_TIMEOUT = 30_000;

const started = Date.now();
/** With CDP_E2E_TRACE=1, prints the harness's steps with the seconds since it was loaded. */
export function trace(msg: string): void {
  if (process.env.CDP_E2E_TRACE === '1')
    console.error(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

// ---------------------------------------------------------------------------------------------
// Machine setup

let setup: Promise<string> | undefined;

/** Why end-to-end tests are skipped in this run, or false. Use as `{ skip: e2eSkip() }`. */
export function e2eSkip(): string | false {
  if (process.env.CDP_SKIP_E2E === '1') {
    const msg = 'end-to-end tests skipped: CDP_SKIP_E2E=1';
    console.log(msg);
    return msg;
  }
  return false;
}

/**
 * Runs scripts/e2e-setup.sh (once per process; a no-op of about a second when everything is
 * installed), then waits for the machine's one VS Code test slot (see `e2eSlot`), and
 * resolves to the code-server executable.
 */
export function ensureE2E(): Promise<string> {
  setup ??= installed().then(async (bin) => {
    await e2eSlot();
    return bin;
  });
  return setup;
}

const SLOT = join(tmpdir(), 'cdp-workflow-e2e.slot');

/**
 * One test file drives a real VS Code at a time on this machine: the test runner runs two
 * files at once, and two workbenches (each a code-server, a Chromium and a language server
 * indexing its workspace) on a small machine made the UI waits time out. The slot is a
 * folder holding the owner's pid, taken until this process exits; a slot whose owner is gone
 * is taken over.
 */
async function e2eSlot(): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(SLOT);
      writeFileSync(join(SLOT, 'pid'), String(process.pid));
      process.once('exit', () => rmSync(SLOT, { recursive: true, force: true }));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!slotOwnerAlive()) rmSync(SLOT, { recursive: true, force: true });
    else if (Date.now() > deadline) {
      console.log('e2e: waited 30 min for another VS Code test to end; going ahead beside it');
      return;
    } else await new Promise((r) => setTimeout(r, 1000));
  }
}

function slotOwnerAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(SLOT, 'pid'), 'utf8'));
  } catch {
    // Just made, its pid not written yet: alive, unless the folder is old.
    try {
      return Date.now() - statSync(SLOT).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installed(): Promise<string> {
  return new Promise<string>((ok, fail) => {
    const child = spawn('bash', [SETUP_SCRIPT, '--print-bin'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      const bin = out.trim().split('\n').pop() ?? '';
      if (code === 0 && existsSync(bin)) ok(bin);
      else fail(new Error(`scripts/e2e-setup.sh failed (exit ${code}); see its output above`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: every process group we start is ended when this process ends.

const liveGroups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

process.once('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/** Resolves when `check` returns a value other than undefined; rejects after `timeoutMs`. */
async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => T | undefined | Promise<T | undefined>,
  wake: (poke: () => void) => () => void = (poke) => {
    const t = setInterval(poke, 100);
    return () => clearInterval(t);
  },
): Promise<T> {
  return new Promise<T>((ok, fail) => {
    let done = false;
    let busy = false;
    const finish = (err: Error | undefined, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop();
      if (err) fail(err);
      else ok(value as T);
    };
    const poke = () => {
      if (done || busy) return;
      busy = true;
      Promise.resolve()
        .then(check)
        .then(
          (v) => {
            busy = false;
            if (v !== undefined) finish(undefined, v);
          },
          (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
        );
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
    const stop = wake(poke);
    poke();
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((ok) => {
    const req = request(url, { timeout: 2000 }, (res) => {
      res.resume();
      ok(res.statusCode);
    });
    req.on('error', () => ok(undefined));
    req.on('timeout', () => {
      req.destroy();
      ok(undefined);
    });
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
// code-server

/** Pairs of the workbench's `payload` URL parameter, e.g. [['extensionDevelopmentPath', uri]]. */
export type Payload = Array<[string, string]>;

export interface CodeServer {
  port: number;
  /**
   * Workbench URL opening `folder` (absolute path; a `.code-workspace` file opens that
   * multi-root workspace), with an optional development payload.
   */
  url(folder: string, payload?: Payload): string;
  /** `vscode-remote://` URI of a path on this machine, for payload entries. */
  remoteUri(path: string): string;
  /** The user-data-dir (settings, logs) of this server. */
  userDataDir: string;
  /** Everything code-server printed so far (for error messages). */
  output(): string;
  /** Resolves when the process has exited (e.g. crashed). */
  exited: Promise<number | null>;
  /** Whether the process is still running. */
  running(): boolean;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder or `.code-workspace` file to open. */
  workspace: string;
  /** Extensions folder; an empty temporary one when omitted. */
  extensionsDir?: string;
  /** Environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Milliseconds to wait for the HTTP endpoint (default 60 s). */
  timeoutMs?: number;
}

/** User settings that keep the workbench quiet and deterministic. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'files.hotExit': 'off',
  'editor.minimap.enabled': false,
  // no slide-in animations: screenshots show what a person would see once things settle
  'workbench.reduceMotion': 'on',
};

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cdp-e2e-${prefix}-`));
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const bin = await ensureE2E();
  const home = tempDir('cs');
  const userDataDir = join(home, 'user-data');
  const extensionsDir = opts.extensionsDir ?? join(home, 'extensions');
  for (const d of ['User', 'Machine']) {
    mkdirSync(join(userDataDir, d), { recursive: true });
    writeFileSync(join(userDataDir, d, 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  }
  mkdirSync(extensionsDir, { recursive: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    ...opts.env,
  };
  // inside a VS Code terminal these would make code-server hand the folder to that window
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') && !(k in (opts.env ?? {}))) delete env[k];
  delete env.PORT; // code-server would use it instead of --bind-addr
  delete env.NODE_OPTIONS; // e.g. `--import tsx` from the test runner must not reach the server
  const args = [
    '--config',
    '/dev/null',
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    opts.workspace,
  ];
  trace(`starting code-server for ${opts.workspace}`);
  const child: ChildProcess = spawn(bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start code-server');
  liveGroups.add(pid);

  let log = '';
  const append = (d: Buffer) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((ok) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      liveGroups.delete(pid);
      ok(code);
    });
  });

  const stop = async () => {
    if (exitCode !== undefined) return;
    trace('stopping code-server');
    killGroup(pid, 'SIGTERM');
    const t = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    killGroup(pid, 'SIGKILL'); // stragglers of the group (extension host, language servers)
    liveGroups.delete(pid);
    if (process.env.CDP_E2E_KEEP !== '1') rmSync(home, { recursive: true, force: true });
    trace('code-server stopped');
  };

  try {
    const port = await until(`code-server to listen\n${log}`, opts.timeoutMs ?? 60_000, () => {
      if (exitCode !== undefined) throw new Error(`code-server exited (${exitCode}):\n${log}`);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      return m ? Number(m[1]) : undefined;
    });
    await until('code-server /healthz', opts.timeoutMs ?? 60_000, async () => {
      if (exitCode !== undefined) throw new Error(`code-server exited (${exitCode}):\n${log}`);
      return (await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200 ? true : undefined;
    });
    trace(`code-server ready on port ${port}`);
    const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${encodeURI(resolve(path))}`;
    return {
      port,
      userDataDir,
      remoteUri,
      url(folder, payload) {
        const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
        let u = `http://127.0.0.1:${port}/?${kind}=${encodeURIComponent(resolve(folder))}`;
        if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        return u;
      },
      output: () => log,
      exited,
      running: () => exitCode === undefined,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium

export interface Workbench {
  browser: Browser;
  page: Page;
  /** Browser console messages and page errors seen so far. */
  console: string[];
  close(): Promise<void>;
}

export async function openWorkbench(
  server: CodeServer,
  opts: { folder: string; payload?: Payload; timeoutMs?: number },
): Promise<Workbench> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const messages: string[] = [];
  let page: Page | undefined;
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('console', (m) => {
      messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => {
      messages.push(`pageerror: ${e.message}`);
    });
    trace('browser started');
    // Not waiting for the page's load event: on a busy machine the workbench's scripts take
    // longer than navigation's default limit; the workbench element is the readiness signal.
    await page.goto(server.url(opts.folder, opts.payload), { waitUntil: 'commit', timeout: timeoutMs });
    await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    trace('workbench shown');
    return {
      browser,
      page,
      console: messages,
      close: () => browser.close(),
    };
  } catch (e) {
    if (page) await screenshot(page, `workbench-${server.port}-failed`).catch(() => undefined);
    await browser.close();
    const err = e instanceof Error ? e : new Error(String(e));
    err.message += `\n--- browser console (tail) ---\n${messages.slice(-30).join('\n')}`;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// In-host suites

export interface InHostTest {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}
export interface InHostResults {
  passed: number;
  failed: number;
  pending: number;
  tests: InHostTest[];
}

/**
 * Bundles the in-host entry and the suite files (TypeScript) with esbuild into `outDir`
 * (CommonJS for the extension host; `vscode` and `mocha` stay external and resolve from the
 * repository's node_modules). Returns the compiled entry and suite paths.
 */
export async function buildInHostTests(opts: {
  suites: string[];
  entry?: string;
  outDir?: string;
}): Promise<{ entry: string; suites: string[]; outDir: string }> {
  const outDir = opts.outDir ?? join(REPO_ROOT, 'out', 'e2e-in-host');
  mkdirSync(outDir, { recursive: true });
  const entry = resolve(opts.entry ?? IN_HOST_ENTRY);
  const dir = mkdtempSync(join(outDir, 'run-'));
  const inputs = [entry, ...opts.suites.map((s) => resolve(s))];
  const names = inputs.map((p, i) =>
    i === 0 ? 'index' : `${i}-${basename(p).replace(/\.[cm]?[jt]s$/, '')}`,
  );
  await esbuild.build({
    entryPoints: inputs.map((p, i) => ({ in: p, out: names[i] })),
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
    absWorkingDir: REPO_ROOT,
    // the suites may live outside the repository (e.g. generated in a temp folder)
    nodePaths: [join(REPO_ROOT, 'node_modules')],
  });
  const js = names.map((n) => join(dir, `${n}.js`));
  return { entry: js[0], suites: js.slice(1), outDir: dir };
}

export interface InHostOptions {
  /** Folder of the extension under test (its package.json). */
  extensionPath: string;
  /** Suite files (TypeScript or JavaScript, mocha `tdd` interface: suite/test/setup/teardown). */
  suites: string[];
  /** Entry module exporting `run()`; defaults to test/e2e/in-host/index.ts. */
  testsModule?: string;
  /** Folder opened in the workbench, or a `.code-workspace` file (a multi-root workspace). */
  workspace: string;
  /** Milliseconds to wait for the results once the workbench is shown (default 120 s). */
  timeoutMs?: number;
  /** Per-test mocha timeout in milliseconds (default 20 s). */
  testTimeoutMs?: number;
  /** Extra environment for the extension host. */
  env?: Record<string, string>;
  /** Extensions folder (e.g. with dependencies); empty by default. */
  extensionsDir?: string;
  /** Name used for the screenshot and log kept on failure (default: basename of the first suite). */
  name?: string;
}

/**
 * Runs mocha suites inside a real extension host with the extension under development
 * loaded from `extensionPath`. Resolves to the results the in-host entry wrote; rejects
 * when no results arrive in time (a screenshot and the server log are kept).
 */
export async function runInHostSuite(opts: InHostOptions): Promise<InHostResults> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const name = opts.name ?? basename(opts.suites[0] ?? 'in-host').replace(/\.[cm]?[jt]s$/, '');
  const built = await buildInHostTests({ suites: opts.suites, entry: opts.testsModule });
  trace(`in-host suites compiled into ${built.outDir}`);
  const resultsFile = join(built.outDir, 'results.json');
  const snapshots = join(built.outDir, 'snapshots');
  mkdirSync(snapshots, { recursive: true });
  const server = await startCodeServer({
    workspace: opts.workspace,
    extensionsDir: opts.extensionsDir,
    env: {
      ...opts.env,
      [RESULTS_ENV]: resultsFile,
      [SUITES_ENV]: JSON.stringify(built.suites),
      [SNAPSHOTS_ENV]: snapshots,
      CDP_E2E_TEST_TIMEOUT: String(opts.testTimeoutMs ?? 20_000),
    },
  });
  let wb: Workbench | undefined;
  try {
    wb = await openWorkbench(server, {
      folder: opts.workspace,
      payload: [
        ['extensionDevelopmentPath', server.remoteUri(opts.extensionPath)],
        ['extensionTestsPath', server.remoteUri(built.entry)],
      ],
    });
    const text = await until(
      `in-host results in ${resultsFile}`,
      timeoutMs,
      async () => {
        if (wb) await takeRequestedScreenshots(wb.page, snapshots);
        if (existsSync(resultsFile)) return readFileSync(resultsFile, 'utf8');
        // run() writes the file before it returns, so an extension host that has exited
        // without it crashed or was killed: fail now rather than at the timeout
        if (allExtensionHostsExited(server.output())) {
          throw new Error('the extension host exited without writing in-host results');
        }
        if (!server.running()) throw new Error('code-server exited before the in-host results arrived');
        return undefined;
      },
      (poke) => {
        // woken by the file appearing; a slow poll covers file systems without events
        const w = watch(dirname(resultsFile), poke);
        const ws = watch(snapshots, poke);
        const t = setInterval(poke, 500);
        server.exited.then(poke);
        return () => {
          w.close();
          ws.close();
          clearInterval(t);
        };
      },
    );
    const results = JSON.parse(text) as InHostResults;
    trace(`in-host results: ${results.passed} passed, ${results.failed} failed`);
    if (results.failed > 0) await keepEvidence(wb.page, server, name);
    return results;
  } catch (e) {
    if (wb) await keepEvidence(wb.page, server, name);
    const err = e instanceof Error ? e : new Error(String(e));
    err.message += `\n--- code-server output (tail) ---\n${server.output().slice(-4000)}`;
    if (wb) err.message += `\n--- browser console (tail) ---\n${wb.console.slice(-30).join('\n')}`;
    throw err;
  } finally {
    await wb?.close();
    await server.stop();
    if (process.env.CDP_E2E_KEEP !== '1') rmSync(built.outDir, { recursive: true, force: true });
  }
}

/** Takes the screenshots an in-host suite asked for (`<name>.req` in `dir`) and answers each with `<name>.done`. */
async function takeRequestedScreenshots(page: Page, dir: string): Promise<void> {
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.req')) continue;
    const name = f.slice(0, -'.req'.length);
    rmSync(join(dir, f), { force: true });
    let answer = 'ok';
    try {
      await screenshot(page, name);
      trace(`screenshot ${name} taken for the in-host suite`);
    } catch (e) {
      answer = e instanceof Error ? e.message : String(e);
    }
    writeFileSync(join(dir, `${name}.done`), answer);
  }
}

/** Whether code-server's log shows extension hosts launched and every one of them exited. */
function allExtensionHostsExited(log: string): boolean {
  const launched = new Set([...log.matchAll(/<(\d+)> Launched Extension Host Process/g)].map((m) => m[1]));
  const exited = new Set([...log.matchAll(/<(\d+)> Extension Host Process exited/g)].map((m) => m[1]));
  return launched.size > 0 && [...launched].every((pid) => exited.has(pid));
}

async function keepEvidence(page: Page, server: CodeServer, name: string): Promise<void> {
  try {
    await screenshot(page, `${name}-failed`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, `${name}-code-server.log`), server.output());
  } catch {
    // evidence is best effort
  }
}

// ---------------------------------------------------------------------------------------------
// UI helpers

function exact(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * Runs a command from the command palette like a person: F1, type the title as shown in the
 * palette (e.g. "CDP: Check Workspace"), Enter.
 */
export async function runCommand(page: Page, title: string, timeoutMs = UI_TIMEOUT): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const match = rows.filter({ has: page.locator('.label-name', { hasText: exact(title) }) }).first();
  // The palette lists the commands enabled when it opens: one that depends on the editor
  // just opened (a Markdown command) may be missing if the editor's context came a moment
  // later. Then the palette is closed and opened again.
  for (let attempt = 1; ; attempt++) {
    // focus the workbench (not the page chrome) so F1 reaches its keybinding service
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`>${title}`);
    if (attempt === 3) break;
    const found = await match
      .waitFor({ state: 'visible', timeout: timeoutMs / 3 })
      .then(() => true)
      .catch(() => false);
    if (found) break;
    await page.keyboard.press('Escape');
  }
  await match.waitFor({ state: 'visible', timeout: timeoutMs });
  const focused = rows
    .filter({ has: page.locator('.label-name', { hasText: exact(title) }) })
    .and(page.locator('.monaco-list-row.focused'));
  if ((await focused.count()) > 0) await input.press('Enter');
  else await match.click();
  // The palette closes, or the command opens a quick pick of its own at once (then the
  // widget stays visible with the command's own input, no longer in `>` command mode).
  await page.waitForFunction(
    `(() => {
      const box = document.querySelector('.quick-input-widget input');
      return !box || box.getClientRects().length === 0 || !box.value.startsWith('>');
    })()`,
    undefined,
    { timeout: timeoutMs },
  );
}

/** Waits for a notification toast containing `text`; resolves to its message. */
export async function waitForNotification(
  page: Page,
  text: string | RegExp,
  timeoutMs = UI_TIMEOUT,
): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return ((await toast.locator('.notification-list-item-message').textContent()) ?? '').trim();
}

export interface TreeRow {
  label: string;
  level: number;
  expanded?: boolean;
}

/**
 * Rows of the tree/list views currently rendered (`.pane-body .monaco-list-row`), optionally
 * only those of the view whose header title contains `viewTitle`.
 */
export async function treeRows(page: Page, viewTitle?: string): Promise<TreeRow[]> {
  const scope = viewTitle
    ? page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: viewTitle }) })
    : page;
  const rows = scope.locator('.pane-body .monaco-list-row');
  return rows.evaluateAll((els) =>
    els.map((el) => {
      const exp = el.getAttribute('aria-expanded');
      return {
        label: (el.querySelector('.label-name')?.textContent ?? el.textContent ?? '').trim(),
        level: Number(el.getAttribute('aria-level') ?? '1'),
        ...(exp === null ? {} : { expanded: exp === 'true' }),
      };
    }),
  );
}

/** Waits until the view titled `viewTitle` shows a row labelled `label`; resolves to all rows. */
export async function waitForTreeRow(
  page: Page,
  viewTitle: string,
  label: string | RegExp,
  timeoutMs = UI_TIMEOUT,
): Promise<TreeRow[]> {
  await page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: viewTitle }) })
    .locator('.pane-body .monaco-list-row', { hasText: label })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
  return treeRows(page, viewTitle);
}

export interface StatusBarItem {
  id: string;
  text: string;
  ariaLabel: string;
}

/** Status bar items currently shown (id is `publisher.name.itemId` for extension items). */
export async function statusBarItems(page: Page): Promise<StatusBarItem[]> {
  return page.locator('.statusbar-item').evaluateAll((els) =>
    els.map((el) => ({
      id: el.id,
      text: (el.textContent ?? '').trim(),
      ariaLabel:
        el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
    })),
  );
}

/**
 * Waits for a status bar item whose text contains `text`; resolves to it. The item is
 * read again once shown: the workbench re-renders an item when its extension updates it,
 * so a read that falls in between waits for it again (until the same deadline).
 */
export async function waitForStatusBarItem(
  page: Page,
  text: string | RegExp,
  timeoutMs = UI_TIMEOUT,
): Promise<StatusBarItem> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page
      .locator('.statusbar-item', { hasText: text })
      .first()
      .waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    const items = await statusBarItems(page);
    const found = items.find((i) => (typeof text === 'string' ? i.text.includes(text) : text.test(i.text)));
    if (found) return found;
    if (Date.now() >= deadline) throw new Error(`status bar item ${text} vanished`);
    await page.waitForTimeout(50);
  }
}

/** Saves a PNG of the page as test-results/e2e/<name>.png; resolves to its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Packaged extensions

/** Installs a .vsix into `extensionsDir` with code-server's CLI. */
export async function installVsix(vsixPath: string, extensionsDir: string): Promise<void> {
  const bin = await ensureE2E();
  trace(`installing ${vsixPath}`);
  const home = tempDir('install');
  mkdirSync(extensionsDir, { recursive: true });
  try {
    await new Promise<void>((ok, fail) => {
      execFile(
        bin,
        [
          '--config',
          '/dev/null',
          '--user-data-dir',
          join(home, 'user-data'),
          '--extensions-dir',
          extensionsDir,
          '--install-extension',
          resolve(vsixPath),
        ],
        { env: { ...process.env, XDG_DATA_HOME: join(home, 'data'), NODE_OPTIONS: '' }, timeout: 120_000 },
        (err, stdout, stderr) => {
          if (err) fail(new Error(`installing ${vsixPath} failed: ${err.message}\n${stdout}\n${stderr}`));
          else ok();
        },
      );
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  trace(`installed ${vsixPath}`);
}

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/**
 * Builds the bundles unless they are newer than every source (scripts/test.mjs has just built
 * them; rebuilding then would rewrite files other test files are reading).
 */
export function ensureBundles(): void {
  const bundles = ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js'].map((f) =>
    join(REPO_ROOT, f),
  );
  const built = Math.min(...bundles.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const sources = Math.max(
    ...['client/src', 'server/src'].map((d) => newest(join(REPO_ROOT, d))),
    statSync(join(REPO_ROOT, 'package.json')).mtimeMs,
  );
  if (built > sources) return;
  trace('building the bundles');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node scripts/build.mjs failed:\n${r.stdout}\n${r.stderr}`);
}
