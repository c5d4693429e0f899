// Gate commands run on request (cdp/runGateCommand) in the running server: nothing runs
// unless the client said the workspace is trusted; a result changes the check's
// diagnostic, its progress and its hover; the timeout and cancellation stop the command's
// process group; an edit of the gate file drops what it no longer matches.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import type { RunGateCommandResult, WorkflowsResult } from '../../server/src/protocol';
import { CAPABILITIES, CancellationTokenSource, TestClient, tempWorkspace, uriOf } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

/** A check of type `type` running `node -e "<js>"`, as written in YAML (0-based line of its `- check:`: see LINES). */
const check = (type: string, js: string, description: string) =>
  `    - check: ${type}\n      command: "node -e \\"${js}\\""\n      description: "${description}"\n`;

const PASS = 'process.exit(0)';
const FAIL = "console.log('3 problems'); process.exit(1)";
const SLEEP = "require('fs').writeFileSync('sleeper.pid', String(process.pid)); setTimeout(() => {}, 60000)";
const GATE = `exit_requirements:\n  automated:\n${check('tests_passing', PASS, 'Tests pass')}${check('lint_clean', FAIL, 'Lint clean')}${check('security_scan_clean', SLEEP, 'Scan clean')}`;
/** The lines of the three checks. */
const LINES = { pass: 2, fail: 5, sleep: 8 };
const command = (js: string) => `node -e "${js}"`;
const GATE_REL = 'docs/helix/04-build/GATE.yaml';

async function start(opts: { trusted?: unknown; settings?: Record<string, unknown>; vscode?: boolean } = {}) {
  const root = tempWorkspace({
    'docs/helix/04-build/README.md': '# Phase 04: Build\n\nBuild it.\n',
    [GATE_REL]: GATE,
  });
  const capabilities = opts.vscode
    ? { ...CAPABILITIES, experimental: { cdp: { commands: ['cdp.checkGate', 'cdp.runGateCommands'] } } }
    : CAPABILITIES;
  const client = await TestClient.start([root], {
    capabilities,
    settings: opts.settings,
    initializationOptions: 'trusted' in opts ? { workspaceTrusted: opts.trusted } : undefined,
  });
  clients.push(client);
  await client.ready();
  const gate = uriOf(join(root, GATE_REL));
  const run = (line: number, js: string, token?: CancellationTokenSource) =>
    client.request<RunGateCommandResult>(
      'cdp/runGateCommand',
      { uri: gate, line, command: command(js) },
      token,
    );
  return { root, client, gate, run };
}

const unmet = (d: Diagnostic[]) =>
  d.filter((x) => x.code === 'unmet-criterion').map((x) => `${x.range.start.line}: ${x.message}`);

/** The unmet-criterion message on a line, once `test` accepts it. */
async function messageOn(
  client: TestClient,
  gate: string,
  line: number,
  test: (m: string | undefined) => boolean,
  what: string,
): Promise<string | undefined> {
  let found: string | undefined;
  await client.waitForDiagnostics(
    gate,
    (d) => {
      found = unmet(d)
        .find((m) => m.startsWith(`${line}: `))
        ?.slice(`${line}: `.length);
      return test(found);
    },
    what,
  );
  return found;
}

describe('gate commands run from the editor', () => {
  it('runs nothing unless the client said the workspace is trusted; the notification grants it', async () => {
    const { client, gate, run } = await start({ trusted: 'yes' });
    const first = await messageOn(client, gate, LINES.pass, (m) => !!m, 'the check not run');
    // a client without the editor's command keeps the command line's wording
    assert.match(
      first!,
      /Tests pass — not evaluated: runs `node -e .*`: not run \(use `cdp check --run-commands`\)$/,
    );
    const refused = await run(LINES.pass, PASS);
    assert.match(refused.refused ?? '', /not trusted/);
    assert.equal(refused.state, undefined);
    assert.equal(refused.output, undefined, 'nothing ran');
    await client.notify('cdp/workspaceTrusted', {});
    const ran = await run(LINES.pass, PASS);
    assert.equal(ran.refused, undefined);
    assert.equal(ran.state, 'passed');
    await messageOn(client, gate, LINES.pass, (m) => m === undefined, 'the passed check');
  });

  it('words commands not run for the editor that runs them, trusted or not', async () => {
    const untrusted = await start({ vscode: true });
    const m1 = await messageOn(untrusted.client, untrusted.gate, LINES.pass, (m) => !!m, 'untrusted');
    assert.match(m1!, /: not run — trust the workspace, then run "CDP: Run Gate Commands…"$/);
    // no quick fix to run it while untrusted
    const none = await untrusted.client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: untrusted.gate },
      range: { start: { line: LINES.pass, character: 0 }, end: { line: LINES.pass, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(
      none.filter((a) => /gate command/.test(a.title)),
      [],
    );
    await untrusted.client.notify('cdp/workspaceTrusted', {});
    await messageOn(
      untrusted.client,
      untrusted.gate,
      LINES.pass,
      (m) => !!m?.endsWith(': not run — run "CDP: Run Gate Commands…"'),
      'the wording once trusted',
    );
    const actions = await untrusted.client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: untrusted.gate },
      range: { start: { line: LINES.fail, character: 4 }, end: { line: LINES.fail, character: 4 } },
      context: { diagnostics: untrusted.client.diagnosticsOf(untrusted.gate) },
    });
    const fix = actions.find((a) => a.title === 'Run this gate command');
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.command, {
      title: 'Run this gate command',
      command: 'cdp.runGateCommands',
      arguments: [{ uri: untrusted.gate, line: LINES.fail }],
    });
    assert.equal(fix.diagnostics?.[0]?.range.start.line, LINES.fail);
    assert.equal(fix.edit, undefined, 'it edits nothing: the client asks, then runs');
  });

  it('a passing and a failing command change their diagnostics, progress and hover', async () => {
    const { client, gate, run } = await start({ trusted: true, vscode: true });
    await messageOn(client, gate, LINES.fail, (m) => !!m?.includes('not run'), 'not run yet');
    const passed = await run(LINES.pass, PASS);
    assert.equal(passed.state, 'passed');
    assert.equal(passed.exit, 0);
    assert.ok(passed.cwd && existsSync(passed.cwd), 'it ran in the workspace folder');
    await messageOn(client, gate, LINES.pass, (m) => m === undefined, 'the passed check');
    const failed = await run(LINES.fail, FAIL);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.exit, 1);
    assert.match(failed.output ?? '', /3 problems/);
    assert.match(failed.reason ?? '', /^`node -e .*` failed \(exit 1\)$/);
    const message = await messageOn(
      client,
      gate,
      LINES.fail,
      (m) => !!m?.includes('failed'),
      'the failed check',
    );
    assert.match(
      message!,
      /^Unmet exit criterion \(Exit Requirements\): Lint clean — `node -e .*` failed \(exit 1\)$/,
    );
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const items = wf.workflows[0]!.phases[0]!.groups.flatMap((g) => g.items);
    assert.deepEqual(
      items.map((i) => [i.text, i.state, i.command]),
      [
        ['Tests pass', 'passed', command(PASS)],
        ['Lint clean', 'failed', command(FAIL)],
        ['Scan clean', 'not-evaluated', command(SLEEP)],
      ],
    );
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: gate },
      position: { line: LINES.fail, character: 6 },
    });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /Not met/);
    assert.match(text, /3 problems/, 'the output tail');
    // run again: a quick fix says so
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: gate },
      range: { start: { line: LINES.fail, character: 0 }, end: { line: LINES.fail, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.ok(actions.some((a) => a.title === 'Run this gate command again'));
    // a command line the check does not run (or a line with none) is refused, nothing runs
    const other = await client.request<RunGateCommandResult>('cdp/runGateCommand', {
      uri: gate,
      line: LINES.pass,
      command: 'echo hacked',
    });
    assert.match(other.refused ?? '', /no longer runs `echo hacked`/);
    const noCheck = await client.request<RunGateCommandResult>('cdp/runGateCommand', {
      uri: gate,
      line: 0,
      command: 'echo hacked',
    });
    assert.match(noCheck.refused ?? '', /holds no check that runs a command/);
  });

  it('stops a command that runs past cdp.gates.commandTimeout, with its process group', async () => {
    const { client, gate, run, root } = await start({
      trusted: true,
      // (long enough for the command's own node to start and write its pid on a busy machine)
      settings: { cdp: { gates: { commandTimeout: 5 } } },
    });
    const started = Date.now();
    const r = await run(LINES.sleep, SLEEP);
    assert.ok(Date.now() - started < 30_000, `stopped after ${Date.now() - started} ms`);
    assert.equal(r.state, 'failed');
    assert.equal(r.timedOutAfter, 5);
    assert.match(r.reason ?? '', /timed out after 5 s \(`--command-timeout`\)/);
    await messageOn(
      client,
      gate,
      LINES.sleep,
      (m) => !!m?.includes('timed out after 5 s'),
      'the timed-out check',
    );
    assertGone(root);
  });

  it('cancelling the request stops the running command, and nothing is recorded', async () => {
    const { client, gate, run, root } = await start({ trusted: true });
    const token = new CancellationTokenSource();
    const running = run(LINES.sleep, SLEEP, token);
    const pidFile = join(root, 'sleeper.pid');
    await waitUntil(
      () => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '',
      'the command to start',
    );
    const started = Date.now();
    token.cancel();
    await assert.rejects(running, (e: { code?: number }) => e.code === -32800);
    assert.ok(Date.now() - started < 10_000);
    assertGone(root);
    // still not run: a cancelled run records nothing
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const scan = wf.workflows[0]!.phases[0]!.groups.flatMap((g) => g.items).find(
      (i) => i.text === 'Scan clean',
    );
    assert.equal(scan?.state, 'not-evaluated');
    assert.match(scan?.reason ?? '', /not run/);
    await messageOn(client, gate, LINES.sleep, (m) => !!m?.includes('not run'), 'still not run');
    // the next command runs (the queue was not left waiting)
    assert.equal((await run(LINES.pass, PASS)).state, 'passed');
  });

  it('an edit of the gate file drops its results; an edit that leaves its items keeps them', async () => {
    const { client, gate, run } = await start({ trusted: true });
    await client.open(gate, GATE);
    assert.equal((await run(LINES.fail, FAIL)).state, 'failed');
    await messageOn(client, gate, LINES.fail, (m) => !!m?.includes('` failed'), 'the failed check');
    // trailing spaces change no item: the result stands
    await client.change(gate, [{ text: GATE.replace('automated:', 'automated:  ') }]);
    await client.request('cdp/workflows', {});
    await messageOn(client, gate, LINES.fail, (m) => !!m?.includes('` failed'), 'kept after a blank edit');
    // the two first checks swap places: line 5 now holds "Tests pass", which never ran
    const swapped = `exit_requirements:\n  automated:\n${check('lint_clean', FAIL, 'Lint clean')}${check('tests_passing', PASS, 'Tests pass')}${check('security_scan_clean', SLEEP, 'Scan clean')}`;
    await client.change(gate, [{ text: swapped }]);
    const moved = await messageOn(
      client,
      gate,
      LINES.fail,
      (m) => !!m?.includes('Tests pass'),
      'after the swap',
    );
    assert.match(moved!, /Tests pass — not evaluated: runs `node -e "process\.exit\(0\)"`: not run/);
    await messageOn(
      client,
      gate,
      LINES.pass,
      (m) => !!m?.includes('Lint clean — not evaluated'),
      'Lint clean not run',
    );
    const d = unmet(client.diagnosticsOf(gate));
    assert.equal(d.filter((m) => m.includes('` failed')).length, 0, d.join('\n'));
    // the line and command the user saw no longer go together: refused, nothing runs
    assert.match((await run(LINES.fail, FAIL)).refused ?? '', /no longer runs/);
  });
});

function assertGone(root: string): void {
  const pid = Number(readFileSync(join(root, 'sleeper.pid'), 'utf8'));
  assert.ok(pid > 0);
  // SIGKILL to the group: gone at once (a zombie is reaped by its parent, the shell, also killed)
  let alive = true;
  for (let i = 0; i < 50 && alive; i++) {
    try {
      process.kill(pid, 0);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false, `process ${pid} still runs`);
}

async function waitUntil(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
