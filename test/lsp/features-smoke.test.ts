// Every feature request once over stdio: the built server, started as its own process,
// answers each as the same feature answers it in-process on the same files (the feature
// logic itself is tested in-process under test/features/). Also what only a running
// server does for the features: the cdp/progressChanged notification after an edit, and
// navigation in the real corpus read from disk.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Location, Range } from 'vscode-languageserver-protocol';
import { FEATURE_REQUESTS } from '../../server/src/features/table';
import { runCommand } from '../../server/src/node/commands';
import type { CheckGateResult, ProgressChangedParams, WorkflowsResult } from '../../server/src/protocol';
import { posOf } from '../helpers/disk-edits';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { phaseDoc } from '../helpers/memory-workspace';
import {
  CAPABILITIES,
  CancellationTokenSource,
  TestClient as Client,
  serversOnTempFolders,
  type TestClient,
  uriOf,
} from './client';

const start = serversOnTempFolders();

/** A request with a token: without one the client sends `undefined` as a positional parameter. */
function request<R>(c: TestClient, method: string, params: unknown): Promise<R> {
  return c.request<R>(method, params, new CancellationTokenSource());
}

const DIAGNOSE = phaseDoc({
  title: 'Diagnose',
  phase: '01',
  name: 'Diagnose',
  next: '02-release',
  body: '## Purpose\n\nFind it.\n\n## Exit Criteria\n\n- [x] Root cause named\n',
});
const RELEASE = phaseDoc({
  title: 'Release',
  phase: '02',
  name: 'Release',
  previous: '01-diagnose',
  body: '## Exit Criteria\n\n- [ ] Deployed, see [[01-diagnose#Purpose]] and [[plan]]\n\n## Release Gate\n\n- [ ] Signed off\n',
});
const PLAN = '---\nddx:\n  id: PLAN-1\n---\n# Plan\n\nWaves.\n';
const NOTES = '# Notes\n\n[[pl';
/** A phase folder whose gate file runs a command (cdp/runGateCommand). */
const GATE =
  'exit_requirements:\n  automated:\n    - check: tests_passing\n      command: "node -e \\"process.exit(0)\\""\n      description: Tests pass\n';
const files = {
  'hx/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
  'hx/01-frame/GATE.yaml': GATE,
  'wf/01-diagnose.md': DIAGNOSE,
  'wf/02-release.md': RELEASE,
  'wf/plan.md': PLAN,
  'wf/notes.md': NOTES,
  // A workflow definition (cdp/planInstance copies it).
  'lib/workflow.yml': 'name: lib\n',
  'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD [written](prd.md)\n',
};

/** The params of one request of each feature method, on `files` in the folder `uri(rel)` names. */
function cases(uri: (rel: string) => string): Record<string, unknown> {
  const release = { textDocument: { uri: uri('wf/02-release.md') } };
  const onLink = { ...release, position: posOf(RELEASE, '[[01-diagnose#', 4) };
  const taskLine = posOf(RELEASE, '- [ ] Deployed').line;
  return {
    'textDocument/definition': onLink,
    'textDocument/references': { ...onLink, context: { includeDeclaration: true } },
    'textDocument/documentLink': release,
    'textDocument/hover': onLink,
    'textDocument/completion': {
      textDocument: { uri: uri('wf/notes.md') },
      position: posOf(NOTES, '[[pl', 4),
    },
    'textDocument/prepareRename': onLink,
    'textDocument/rename': { ...onLink, newName: '01-diagnosis' },
    'workspace/willRenameFiles': { files: [{ oldUri: uri('wf/plan.md'), newUri: uri('wf/schedule.md') }] },
    'textDocument/documentSymbol': release,
    'workspace/symbol': { query: 'rel' },
    'textDocument/codeAction': {
      ...release,
      range: { start: { line: taskLine, character: 0 }, end: { line: taskLine, character: 0 } },
      context: { diagnostics: [], only: ['refactor.rewrite'] },
    },
    'textDocument/codeLens': release,
    'cdp/workflows': {},
    'cdp/checkGate': { phase: '02', upTo: true },
    'cdp/toggleCriterion': {
      uri: uri('wf/02-release.md'),
      line: taskLine,
      expectedText: 'Deployed, see [[01-diagnose#Purpose]] and [[plan]]',
    },
    'cdp/dashboard': { historyCommits: 0 },
    'cdp/links': { uri: uri('wf/02-release.md') },
    'cdp/planInstance': { definition: 'lib/phases', folder: uri('cycles/q1') },
    'cdp/runGateCommand': {
      uri: uri('hx/01-frame/GATE.yaml'),
      line: 2,
      command: 'node -e "process.exit(0)"',
    },
  };
}

describe('each feature over stdio answers as it does in-process', () => {
  let server: Awaited<ReturnType<typeof start>>;
  let inProcess: InProcess;
  before(async () => {
    server = await start(files, { initializationOptions: { workspaceTrusted: true } });
    inProcess = await featureContext(files, {
      root: uriOf(server.root),
      capabilities: CAPABILITIES,
      openAll: false,
      gateCommands: {
        trusted: true,
        timeoutMs: 60_000,
        run: (command, cwd, timeoutMs) => runCommand(command, cwd, timeoutMs),
        recorded: () => undefined,
      },
    });
    // completion answers in open documents only
    await server.client.open(server.uri('wf/notes.md'), NOTES);
    await inProcess.open(server.uri('wf/notes.md'), NOTES);
  });

  it('has a case for every feature request', () => {
    assert.deepEqual(
      FEATURE_REQUESTS.map((r) => r.type.method).sort(),
      Object.keys(cases((rel) => rel)).sort(),
    );
  });

  for (const method of Object.keys(cases((rel) => rel))) {
    it(method, async () => {
      const params = cases(server.uri)[method];
      // (how long a command ran differs from run to run)
      const timeless = (v: unknown) =>
        method === 'cdp/runGateCommand' && v && typeof v === 'object' ? { ...v, ms: 0 } : v;
      const overStdio = timeless(await request<unknown>(server.client, method, params));
      const inProc = timeless(await inProcess.request<unknown>(method, params));
      assert.ok(
        overStdio !== null && !(Array.isArray(overStdio) && overStdio.length === 0),
        `${method} answers something: ${JSON.stringify(overStdio)}`,
      );
      // (compared as sent: JSON leaves out undefined properties)
      assert.deepEqual(overStdio, JSON.parse(JSON.stringify(inProc)));
      assert.ok(!JSON.stringify(overStdio).includes('"refused"'), JSON.stringify(overStdio));
    });
  }
});

describe('feature notifications of the running server', () => {
  const SHIP = phaseDoc({ title: 'Ship', phase: '03', body: '## Release Gate\n\n- [ ] signed off\n' });

  /** Opens the Ship phase, makes `change`, waits for a newer cdp/progressChanged and returns phase 03 then. */
  async function afterChange(change: (text: string) => { range: Range; text: string }) {
    const { client, uri } = await start({ ...files, 'wf/03-ship.md': SHIP });
    const versions = () =>
      client.notifications
        .filter((n) => n.method === 'cdp/progressChanged')
        .map((n) => (n.params as ProgressChangedParams).version);
    const before = Math.max(...versions());
    const u = uri('wf/03-ship.md');
    await client.open(u, SHIP);
    await client.change(u, [change(SHIP)]);
    await client.waitFor(() => versions().some((v) => v > before), 'a newer cdp/progressChanged');
    const r = await request<WorkflowsResult>(client, 'cdp/workflows', { uri: u });
    return r.workflows[0].phases.find((p) => p.phase === '03');
  }

  it('sends cdp/progressChanged with a higher version after a change ticks a box', async () => {
    const ship = await afterChange((text) => {
      const box = posOf(text, '- [ ] signed off', 3);
      return { range: { start: box, end: { line: box.line, character: box.character + 1 } }, text: 'x' };
    });
    assert.deepEqual([ship?.checked, ship?.total, ship?.complete], [1, 1, true]);
  });

  it("sends cdp/progressChanged when only a criterion's wording changes (the tree shows it)", async () => {
    const ship = await afterChange((text) => {
      const end = posOf(text, 'signed off', 10);
      return { range: { start: end, end }, text: ' by QA' };
    });
    assert.deepEqual(
      ship?.groups.flatMap((g) => g.items.map((i) => i.text)),
      ['signed off by QA'],
    );
  });
});

describe('criteria as rendered', () => {
  it('gives a checklist item written with links its rendered text beside the text as written', async () => {
    const { client, uri } = await start(files);
    const r = await request<WorkflowsResult>(client, 'cdp/workflows', { uri: uri('wf/02-release.md') });
    const release = r.workflows.flatMap((w) => w.phases).find((p) => p.phase === '02');
    const items = release?.groups.flatMap((g) => g.items) ?? [];
    const deployed = items.find((i) => i.text.startsWith('Deployed'));
    assert.equal(deployed?.text, 'Deployed, see [[01-diagnose#Purpose]] and [[plan]]');
    assert.equal(deployed?.shown, 'Deployed, see 01-diagnose#Purpose and plan');
    // (plain text has none)
    const signed = items.find((i) => i.text === 'Signed off');
    assert.ok(signed && !('shown' in signed));
    const gate = await request<CheckGateResult>(client, 'cdp/checkGate', { phase: '02' });
    const unmet = gate.verdicts.flatMap((v) => v.unmet).find((u) => u.text.startsWith('Deployed'));
    assert.equal(unmet?.shown, 'Deployed, see 01-diagnose#Purpose and plan');
  });
});

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'ddx-cdp');

describe('navigation in the DDX CDP corpus', {
  skip: existsSync(CORPUS) ? false : `corpus not present at ${CORPUS}`,
}, () => {
  const phases = join(CORPUS, 'workflows', 'cdp', 'phases');
  const rel = (name: string) => uriOf(join(phases, name));
  const lineOf = (text: string, needle: string) => posOf(text, needle).line;

  it('goes from [[04-monitor]] in 05-release to 04-monitor, and finds the chain links to 05-release', async () => {
    const c = await Client.start([CORPUS]);
    try {
      await c.ready();
      const release = readFileSync(join(phases, '05-release.md'), 'utf8');
      const def = await request<Location | null>(c, 'textDocument/definition', {
        textDocument: { uri: rel('05-release.md') },
        position: posOf(release, '[[04-monitor]]', 4),
      });
      assert.equal(def?.uri, rel('04-monitor.md'));
      assert.equal(def?.range.start.line, 0);

      const refs = await request<Location[]>(c, 'textDocument/references', {
        textDocument: { uri: rel('05-release.md') },
        position: { line: 0, character: 3 },
        context: { includeDeclaration: false },
      });
      const monitor = readFileSync(join(phases, '04-monitor.md'), 'utf8');
      const followUp = readFileSync(join(phases, '06-follow-up.md'), 'utf8');
      const has = (uri: string, line: number) =>
        refs.some((r) => r.uri === uri && r.range.start.line === line);
      assert.ok(has(rel('04-monitor.md'), lineOf(monitor, 'next_phase: "[[05-release]]"')), '04 next_phase');
      assert.ok(
        has(rel('06-follow-up.md'), lineOf(followUp, 'previous_phase: "[[05-release]]"')),
        '06 previous_phase',
      );
    } finally {
      await c.stop();
    }
  });
});
