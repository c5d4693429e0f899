import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type {
  ClientCapabilities,
  Diagnostic,
  Location,
  SymbolInformation,
} from 'vscode-languageserver-protocol';
import { phaseDoc } from '../helpers/memory-workspace';
import { CAPABILITIES, CancellationTokenSource, TestClient, tempWorkspace, uriOf } from './client';

/**
 * The server with clients other than VS Code: one that declares nothing beyond text
 * synchronisation (no file watching, progress, configuration, dynamic registration or
 * showDocument), one that pulls settings without registering for them, and one that
 * opens documents the settings exclude.
 */

/** A client that offers only what every LSP client has. */
const BARE: ClientCapabilities = {
  textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: {} },
};

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const RELEASE = phaseDoc({
  title: 'Release',
  phase: '02',
  name: 'Release',
  previous: '01-diagnose',
  body: '## Release Gate\n\n- [x] Load tested\n- [ ] Rollback rehearsed\n',
});
const DIAGNOSE = phaseDoc({
  title: 'Diagnose',
  phase: '01',
  name: 'Diagnose',
  next: '02-release',
  body: '## Exit Criteria\n\n- [x] Root cause named\n',
});
const FILES = {
  'wf/01-diagnose.md': DIAGNOSE,
  'wf/02-release.md': RELEASE,
  'bad.md': '# Bad\n\nSee [[gone]].\n',
  'notes.md': '# Notes\n\nSee [[later]].\n',
};

async function start(opts: Parameters<typeof TestClient.start>[1] = {}) {
  const root = tempWorkspace(FILES);
  const client = await TestClient.start([root], opts);
  clients.push(client);
  await client.ready();
  const uri = (rel: string) => uriOf(join(root, rel));
  return { root, client, uri };
}

const codes = (d: Diagnostic[]) => d.map((x) => x.code).sort();
const mentions = (d: Diagnostic[], word: string) => d.some((x) => x.message.includes(word));

function request<R>(c: TestClient, method: string, params: unknown): Promise<R> {
  return c.request<R>(method, params, new CancellationTokenSource());
}

describe('a client without watching, progress, configuration or dynamic registration', () => {
  it('gets none of them; the server watches the folders itself, with the same include/exclude', async () => {
    const { root, client, uri } = await start({
      capabilities: BARE,
      initializationOptions: { settings: { cdp: { rules: { 'broken-link': 'error' } } } },
    });
    // initializationOptions.settings apply.
    const bad = await client.waitForDiagnostics(uri('bad.md'), (d) => d.length > 0);
    assert.deepEqual(
      bad.map((d) => [d.code, d.severity]),
      [['broken-link', 1]],
    );
    await client.waitForDiagnostics(uri('notes.md'), (d) => mentions(d, 'later'));

    // Created on disk: noticed.
    writeFileSync(join(root, 'later.md'), '# Later\n');
    await client.waitForDiagnostics(uri('notes.md'), (d) => !mentions(d, 'later'), 'later.md noticed');
    // A closed document changed on disk: re-checked.
    writeFileSync(join(root, 'bad.md'), '# Bad\n\nSee [[gone]] and [[vanished]].\n');
    await client.waitForDiagnostics(uri('bad.md'), (d) => mentions(d, 'vanished'), 'bad.md re-read');
    // Deleted on disk: noticed.
    rmSync(join(root, 'later.md'));
    await client.waitForDiagnostics(uri('notes.md'), (d) => mentions(d, 'later'), 'later.md deleted');
    // A new folder with a document in it.
    mkdirSync(join(root, 'more', 'deep'), { recursive: true });
    writeFileSync(join(root, 'more', 'deep', 'gone.md'), '# Gone\n\n[[deeper-gone]]\n');
    await client.waitForDiagnostics(uri('bad.md'), (d) => !mentions(d, '"gone"') && codes(d).length === 1);
    await client.waitForDiagnostics(uri('more/deep/gone.md'), (d) => mentions(d, 'deeper-gone'));

    // Excluded folders stay out: a phase copy there would otherwise be a duplicate phase.
    mkdirSync(join(root, '.history'), { recursive: true });
    writeFileSync(join(root, '.history', '02-release_1.md'), RELEASE);
    mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'pkg', 'readme.md'), '# Pkg\n\n[[nowhere]]\n');
    // A later change to sync on: once it is reported, the ones before it were handled.
    writeFileSync(join(root, 'sync.md'), '# Sync\n\n[[sync-target]]\n');
    await client.waitForDiagnostics(uri('sync.md'), (d) => mentions(d, 'sync-target'));
    assert.ok(!client.diagnostics.has(uri('.history/02-release_1.md')));
    assert.ok(!client.diagnostics.has(uri('node_modules/pkg/readme.md')));
    assert.ok(!codes(client.diagnosticsOf(uri('wf/02-release.md'))).includes('duplicate-phase'));

    assert.deepEqual(client.requests, [], 'no registration, progress or configuration requests');
    assert.ok(client.log.some((l) => l.includes('the server watches the workspace folders')));
    assert.deepEqual(client.progress, []);
    assert.equal(client.initializeResult.capabilities.executeCommandProvider?.commands.length, 2);
  });

  it('applies settings pushed with workspace/didChangeConfiguration, nested or dotted, over initializationOptions', async () => {
    const { client, uri } = await start({
      capabilities: BARE,
      initializationOptions: { settings: { cdp: { rules: { 'unmet-criterion': 'off' } } } },
    });
    await client.waitForDiagnostics(uri('bad.md'), (d) => codes(d).includes('broken-link'));
    await client.notify('workspace/didChangeConfiguration', {
      settings: { cdp: { rules: { 'broken-link': 'off' } } },
    });
    await client.waitForDiagnostics(uri('bad.md'), (d) => d.length === 0, 'broken-link switched off');
    await client.notify('workspace/didChangeConfiguration', {
      settings: { 'cdp.rules': { 'broken-link': 'hint' } },
    });
    const hint = await client.waitForDiagnostics(
      uri('bad.md'),
      (d) => d.length === 1,
      'broken-link as a hint',
    );
    assert.equal(hint[0].severity, 4);
    // The starting values still hold under the pushed ones.
    assert.ok(!codes(client.diagnosticsOf(uri('wf/02-release.md'))).includes('unmet-criterion'));
    assert.deepEqual(client.requests, []);
  });

  it('indexes once when the client pushes the settings it is still answering a pull with (eglot)', async () => {
    const settings = { cdp: { rules: { 'broken-heading': 'information' } } };
    const root = tempWorkspace(FILES);
    const client = await TestClient.start([root], {
      capabilities: { ...BARE, workspace: { configuration: true } },
      settings,
      configurationDelayMs: 300,
    });
    clients.push(client);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings });
    await client.ready();
    await new Promise((r) => setTimeout(r, 1000));
    const indexed = client.log.filter((l) => l.startsWith('Indexed '));
    assert.equal(indexed.length, 1, indexed.join('\n'));
  });

  it('pulls settings from a client that supports workspace/configuration but registers nothing with it', async () => {
    const { client, uri } = await start({ capabilities: { ...BARE, workspace: { configuration: true } } });
    await client.waitForDiagnostics(uri('bad.md'), (d) => codes(d).includes('broken-link'));
    await client.setSettings({ cdp: { rules: { 'broken-link': 'off' } } });
    await client.waitForDiagnostics(
      uri('bad.md'),
      (d) => d.length === 0,
      'broken-link switched off by a pull',
    );
    assert.ok(client.requests.includes('workspace/configuration'));
    assert.ok(!client.requests.includes('client/registerCapability'));
  });

  it("says which of the editor's own settings it ignores: debounce, cache and command timeout of the wrong type or range", async () => {
    const { client, uri } = await start({ capabilities: BARE });
    await client.waitForDiagnostics(uri('bad.md'), (d) => codes(d).includes('broken-link'));
    await client.notify('workspace/didChangeConfiguration', {
      settings: {
        cdp: {
          diagnostics: { debounceMs: 20000 },
          cache: { enabled: 'no' },
          gates: { commandTimeout: '60' },
        },
      },
    });
    const shown = await client.waitFor(
      () =>
        client.notifications.find(
          (n) =>
            n.method === 'window/showMessage' &&
            /settings are ignored/.test((n.params as { message: string }).message),
        ),
      'the warning shown',
    );
    const message = (shown.params as { message: string }).message;
    assert.match(message, /3 settings are ignored \(the default is used\)/);
    assert.match(
      message,
      /cdp\.diagnostics\.debounceMs: expected a number of milliseconds from 0 to 10000, not 20000/,
    );
    assert.match(message, /cdp\.cache\.enabled: expected true or false, not "no"/);
    assert.match(
      message,
      /cdp\.gates\.commandTimeout: expected a number of seconds above 0 and at most 86400, not "60"/,
    );
    assert.ok(client.log.some((l) => l.includes('Setting ignored: cdp.diagnostics.debounceMs')));
  });

  it('takes rootUri as the folder when workspaceFolders is empty', async () => {
    const { client, uri } = await start({ capabilities: BARE, rootOnly: true });
    await client.waitForDiagnostics(uri('bad.md'), (d) => codes(d).includes('broken-link'));
  });

  it('registers for configuration and file changes only where the client declared dynamic registration', async () => {
    const { client } = await start({ capabilities: CAPABILITIES });
    assert.ok(
      !client.log.some((l) => l.includes('the server watches')),
      'the client watches: the server does not',
    );
    assert.deepEqual(client.registrations.sort(), [
      'workspace/didChangeConfiguration',
      'workspace/didChangeWatchedFiles',
    ]);
    const { client: watchOnly } = await start({
      capabilities: { ...BARE, workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    assert.deepEqual(watchOnly.registrations, ['workspace/didChangeWatchedFiles']);
  });
});

describe('a client that keeps no diagnostics for closed documents (Emacs eglot)', () => {
  it("gets a document's diagnostics again when it opens it, and after each edit even when they did not change", async () => {
    const { client, uri } = await start({ capabilities: BARE });
    const bad = uri('bad.md');
    const sent = () => client.published.get(bad) ?? 0;
    await client.waitFor(() => sent() > 0 || undefined, 'published at start');
    const atStart = sent();
    await client.open(bad, '# Bad\n\nSee [[gone]].\n');
    await client.waitFor(() => sent() > atStart || undefined, 'sent again on open');
    const opened = sent();
    const d = await client.waitForDiagnostics(bad, (x) => codes(x).includes('broken-link'));
    // Text added after the link on its line: the same diagnostics, sent again.
    await client.change(bad, [{ text: '# Bad\n\nSee [[gone]]. More words here.\n' }]);
    await client.waitFor(() => sent() > opened || undefined, 'sent again after the edit');
    assert.deepEqual(
      (await client.waitForDiagnostics(bad, (x) => x.length > 0)).map((x) => x.range),
      d.map((x) => x.range),
    );
  });
});

describe('workspace/executeCommand', () => {
  it('checks a gate and shows the verdict with window/showMessage', async () => {
    const { client } = await start({ capabilities: BARE });
    const result = await request<{ passed: boolean; verdicts: unknown[] }>(
      client,
      'workspace/executeCommand',
      {
        command: 'cdp.server.checkGate',
        arguments: [{ workflow: 'wf', phase: '02', group: 'Release Gate' }],
      },
    );
    assert.equal(result.passed, false);
    assert.equal(result.verdicts.length, 1);
    const shown = await client.waitFor(
      () => client.notifications.find((n) => n.method === 'window/showMessage'),
      'the verdict message',
    );
    const p = shown.params as { type: number; message: string };
    assert.equal(p.type, 2, 'a warning: the gate is not passed');
    assert.equal(
      p.message,
      `Gate check failed: 02 Release (Release Gate): not passed, 1/2 done; open: "Rollback rehearsed" (line ${
        RELEASE.split('\n').indexOf('- [ ] Rollback rehearsed') + 1
      })`,
    );
  });

  it('reveals a group with window/showDocument and a selection, or names the place when the client cannot', async () => {
    const { client, uri } = await start({
      capabilities: { ...BARE, window: { showDocument: { support: true } } },
    });
    const target = uri('wf/02-release.md');
    const location = await request<Location>(client, 'workspace/executeCommand', {
      command: 'cdp.server.revealGroup',
      arguments: [target, 7],
    });
    const at = { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } };
    assert.deepEqual(location, { uri: target, range: at });
    assert.deepEqual(client.shownDocuments, [{ uri: target, takeFocus: true, selection: at }]);
    // A line past the document's end (an old lens of a document that shrank): its last line.
    const past = await request<Location>(client, 'workspace/executeCommand', {
      command: 'cdp.server.revealGroup',
      arguments: [target, 4000],
    });
    assert.ok(past.range.start.line < 4000 && past.range.start.line > 7, JSON.stringify(past));

    const { client: bare, uri: bareUri } = await start({ capabilities: BARE });
    await request(bare, 'workspace/executeCommand', {
      command: 'cdp.server.revealGroup',
      arguments: [bareUri('wf/02-release.md'), 7],
    });
    const shown = await bare.waitFor(
      () => bare.notifications.find((n) => n.method === 'window/showMessage'),
      'the place',
    );
    assert.equal((shown.params as { message: string }).message, 'wf/02-release.md: line 8');
    assert.deepEqual(bare.requests, []);
  });

  it('refuses unknown commands and bad arguments with an error, not a crash', async () => {
    const { client } = await start({ capabilities: BARE });
    await assert.rejects(
      request(client, 'workspace/executeCommand', { command: 'cdp.nope', arguments: [] }),
      /Unknown command: cdp.nope/,
    );
    await assert.rejects(
      request(client, 'workspace/executeCommand', { command: 'cdp.server.revealGroup', arguments: [42] }),
      /expected \[uri, line\]/,
    );
    const r = await request<{ passed: boolean }>(client, 'workspace/executeCommand', {
      command: 'cdp.server.checkGate',
      arguments: ['not an object'],
    });
    assert.equal(r.passed, false, 'every gate checked; one is not passed');
  });
});

describe('documents opened outside the include/exclude settings', () => {
  it('an excluded or non-markdown document gets no findings, changes nobody else and leaves no trace', async () => {
    const { client, uri } = await start({ capabilities: BARE });
    await client.waitForDiagnostics(uri('notes.md'), (d) => mentions(d, 'later'));
    const history = uri('.history/02-release_20240101.md');
    const draft = uri('draft.markdown');
    await client.open(history, RELEASE.replace('# Release', '# Old Release'));
    await client.open(draft, '# Draft\n\n[[gone-from-draft]]\n');
    await client.change(history, [{ text: `${RELEASE}\nmore [[gone-again]]\n` }]);
    // Sync: an indexed document opened after them.
    await client.open(uri('notes.md'), '# Notes\n\nSee [[later]] and [[sync-one]].\n');
    await client.waitForDiagnostics(uri('notes.md'), (d) => mentions(d, 'sync-one'));
    const symbols = async () => {
      const found = await request<SymbolInformation[]>(client, 'workspace/symbol', { query: 'Release' });
      return [...new Set(found.map((s) => s.location.uri))];
    };
    assert.deepEqual(await symbols(), [uri('wf/02-release.md')]);
    assert.ok(!codes(client.diagnosticsOf(uri('wf/02-release.md'))).includes('duplicate-phase'));
    const links = await request<unknown[]>(client, 'textDocument/documentLink', {
      textDocument: { uri: history },
    });
    assert.deepEqual(links, [], 'no features on an excluded document');

    await client.close(history);
    await client.close(draft);
    await client.change(uri('notes.md'), [{ text: '# Notes\n\nSee [[later]] and [[sync-two]].\n' }]);
    await client.waitForDiagnostics(uri('notes.md'), (d) => mentions(d, 'sync-two'));
    assert.deepEqual(await symbols(), [uri('wf/02-release.md')]);
    assert.ok(!client.diagnostics.has(history));
    assert.ok(!client.diagnostics.has(draft));
  });

  it('an open document that a settings change excludes drops out of the index', async () => {
    const { client, uri } = await start({ capabilities: BARE });
    await client.open(uri('bad.md'), '# Bad\n\nSee [[gone]].\n');
    await client.waitForDiagnostics(uri('bad.md'), (d) => codes(d).includes('broken-link'));
    await client.notify('workspace/didChangeConfiguration', {
      settings: { cdp: { files: { exclude: ['bad.md'] } } },
    });
    await client.waitForDiagnostics(uri('bad.md'), (d) => d.length === 0, 'bad.md dropped');
    const symbols = await request<SymbolInformation[]>(client, 'workspace/symbol', { query: 'Bad' });
    assert.deepEqual(symbols, []);
  });
});

describe('code actions for a client that reads no CodeAction literals', () => {
  const LINE = RELEASE.split('\n').indexOf('- [ ] Rollback rehearsed');
  const at = { start: { line: LINE, character: 3 }, end: { line: LINE, character: 3 } };
  const codeActions = (c: TestClient, uri: string) =>
    request<Record<string, unknown>[]>(c, 'textDocument/codeAction', {
      textDocument: { uri },
      range: at,
      context: { diagnostics: [] },
    });

  it('gets Commands the server runs: the action computed again, its edit sent with workspace/applyEdit', async () => {
    const { client, uri } = await start({ capabilities: { ...BARE, workspace: { applyEdit: true } } });
    const edits: {
      label?: string;
      edit: { changes?: Record<string, { range: unknown; newText: string }[]> };
    }[] = [];
    client.connection.onRequest('workspace/applyEdit', (p: (typeof edits)[number]) => {
      edits.push(p);
      return { applied: true };
    });
    const target = uri('wf/02-release.md');
    const actions = await codeActions(client, target);
    assert.equal(actions.length, 1);
    const [command] = actions;
    assert.equal(command.title, 'Mark as done');
    assert.equal(command.command, 'cdp.server.applyCodeAction', 'a Command literal');
    assert.ok(!('edit' in command) && !('kind' in command), 'no CodeAction fields');
    const caps = client.initializeResult.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(caps.includes('cdp.server.applyCodeAction'), 'the command is advertised');
    // CodeActionOptions are for a client that reads literals only (LSP): here `true`.
    assert.equal(client.initializeResult.capabilities.codeActionProvider, true);

    const r = await request(client, 'workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    });
    assert.deepEqual(r, { applied: true });
    assert.equal(edits.length, 1);
    assert.equal(edits[0].label, 'Mark as done');
    const box = RELEASE.split('\n')[LINE].indexOf('[ ]') + 1;
    assert.deepEqual(edits[0].edit.changes, {
      [target]: [
        {
          range: { start: { line: LINE, character: box }, end: { line: LINE, character: box + 1 } },
          newText: 'x',
        },
      ],
    });

    // The document changed before the Command ran: nothing is applied from the old text.
    await client.open(target, RELEASE.replace('- [ ] Rollback rehearsed', 'Rollback rehearsed'));
    const stale = await request(client, 'workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    });
    assert.deepEqual(stale, { applied: false });
    assert.equal(edits.length, 1, 'no second edit');
  });

  it('never ticks another criterion that moved onto the line since the Command was given', async () => {
    const { client, uri } = await start({ capabilities: { ...BARE, workspace: { applyEdit: true } } });
    const edits: unknown[] = [];
    client.connection.onRequest('workspace/applyEdit', (p: unknown) => {
      edits.push(p);
      return { applied: true };
    });
    const target = uri('wf/02-release.md');
    await client.open(target, RELEASE);
    const [command] = await codeActions(client, target);
    assert.equal(command.title, 'Mark as done');
    // A criterion typed above it: "Pager rota set" now stands on that line, unticked.
    await client.change(target, [
      { text: RELEASE.replace('- [ ] Rollback rehearsed', '- [ ] Pager rota set\n- [ ] Rollback rehearsed') },
    ]);
    const r = await request(client, 'workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    });
    assert.deepEqual(r, { applied: false });
    assert.deepEqual(edits, [], 'nothing ticked');
  });

  it('says so when the client refuses the edit, with its reason', async () => {
    const { client, uri } = await start({ capabilities: { ...BARE, workspace: { applyEdit: true } } });
    let reason: string | undefined = 'file is read-only';
    client.connection.onRequest('workspace/applyEdit', () => ({ applied: false, failureReason: reason }));
    const target = uri('wf/02-release.md');
    const messages = () =>
      client.notifications
        .filter((n) => n.method === 'window/showMessage')
        .map((n) => (n.params as { type: number; message: string }).message);
    for (const expected of [
      '"Mark as done" was not applied: file is read-only.',
      '"Mark as done" was not applied (the editor refused the edit).',
    ]) {
      const [command] = await codeActions(client, target);
      const r = await request(client, 'workspace/executeCommand', {
        command: command.command,
        arguments: command.arguments,
      });
      assert.deepEqual(r, { applied: false });
      await client.waitFor(() => messages().includes(expected) || undefined, expected);
      reason = undefined;
    }
  });

  it('gets none when it cannot apply edits either; a client with literals gets CodeActions as before', async () => {
    const { client, uri } = await start({ capabilities: BARE });
    assert.deepEqual(await codeActions(client, uri('wf/02-release.md')), []);
    const { client: full, uri: fullUri } = await start({ capabilities: CAPABILITIES });
    const literal = await codeActions(full, fullUri('wf/02-release.md'));
    assert.deepEqual(full.initializeResult.capabilities.codeActionProvider, {
      codeActionKinds: ['quickfix', 'refactor.rewrite'],
    });
    assert.equal(literal.length, 1);
    assert.equal(literal[0].kind, 'quickfix');
    assert.ok(literal[0].edit, 'the edit itself');
    for (const c of [client, full])
      assert.ok(
        !c.initializeResult.capabilities.executeCommandProvider?.commands.includes(
          'cdp.server.applyCodeAction',
        ),
        'advertised only to a client that gets Commands',
      );
  });
});

describe('documents outside every workspace folder, untitled documents, a server without a root', () => {
  const ALONE = [
    '# Phase 01: Alone',
    '',
    '## Exit Criteria',
    '',
    '- [ x] Spaced box',
    '- [ ] Open item',
    '',
    'See [[gone]] and [[#Exit Criteria]] and [[#Nowhere]].',
    '',
  ].join('\n');
  const LINK = ALONE.split('\n').findIndex((l) => l.startsWith('See'));

  /** A file named `01-alone.md` is a phase document (its open item unmet); an untitled one is not. */
  async function checkServedAlone(client: TestClient, docUri: string, phase: boolean) {
    await client.open(docUri, ALONE);
    const d = await client.waitForDiagnostics(docUri, (x) => codes(x).includes('malformed-checkbox'));
    assert.deepEqual(
      [...new Set(codes(d))].sort(),
      phase
        ? ['broken-heading', 'malformed-checkbox', 'unmet-criterion']
        : ['broken-heading', 'malformed-checkbox'],
      'findings of the document itself; its link to another document is not called broken',
    );
    assert.ok(mentions(d, 'Nowhere'));
    const symbols = await request<{ name: string }[]>(client, 'textDocument/documentSymbol', {
      textDocument: { uri: docUri },
    });
    assert.ok(
      symbols.some((s) => s.name.includes('Exit Criteria')),
      JSON.stringify(symbols),
    );
    const hover = await request<{ contents: unknown } | null>(client, 'textDocument/hover', {
      textDocument: { uri: docUri },
      position: { line: LINK, character: ALONE.split('\n')[LINK].indexOf('gone') },
    });
    assert.match(JSON.stringify(hover?.contents), /not resolved outside a workspace folder/);
    const line = ALONE.split('\n').indexOf('- [ ] Open item');
    const actions = await request<{ title: string; edit: { changes?: Record<string, unknown> } }[]>(
      client,
      'textDocument/codeAction',
      {
        textDocument: { uri: docUri },
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        context: { diagnostics: [] },
      },
    );
    // The unmet criterion's quick fix, or (not a phase document) the plain toggle.
    const toggle = actions.find((a) => a.title === (phase ? 'Mark as done' : 'Mark criterion as done'));
    assert.ok(toggle, JSON.stringify(actions));
    const box = ALONE.split('\n')[line].indexOf('[ ]') + 1;
    assert.deepEqual(toggle.edit, {
      changes: {
        [docUri]: [
          { range: { start: { line, character: box }, end: { line, character: box + 1 } }, newText: 'x' },
        ],
      },
    });
    await client.change(docUri, [{ text: ALONE.replace('- [ x]', '- [x]') }]);
    await client.waitForDiagnostics(docUri, (x) => !codes(x).includes('malformed-checkbox'), 'the box fixed');
    await client.close(docUri);
    await client.waitForDiagnostics(docUri, (x) => x.length === 0, 'withdrawn when closed');
  }

  const CLIENT: ClientCapabilities = {
    ...BARE,
    textDocument: { ...BARE.textDocument, codeAction: CAPABILITIES.textDocument?.codeAction },
  };

  it('a file outside the folders is served alone and never joins the workspace index', async () => {
    const { client } = await start({ capabilities: CLIENT });
    const outside = tempWorkspace({ '01-alone.md': ALONE });
    const docUri = uriOf(join(outside, '01-alone.md'));
    await checkServedAlone(client, docUri, true);
    const found = await request<SymbolInformation[]>(client, 'workspace/symbol', { query: 'Alone' });
    assert.deepEqual(found, [], 'not in the workspace symbols');
    const flows = await request<{ workflows: { phases: { uri: string }[] }[] }>(client, 'cdp/workflows', {});
    assert.ok(!JSON.stringify(flows).includes('01-alone'), 'no workflow of the workspace holds it');
  });

  it('an untitled document is served alone', async () => {
    const { client } = await start({ capabilities: CLIENT });
    await checkServedAlone(client, 'untitled:Untitled-1', false);
  });

  it('a code action sent as a Command is run on the document served alone', async () => {
    const { client } = await start({ capabilities: { ...BARE, workspace: { applyEdit: true } } });
    const edits: { edit: unknown }[] = [];
    client.connection.onRequest('workspace/applyEdit', (p: { edit: unknown }) => {
      edits.push(p);
      return { applied: true };
    });
    const docUri = 'untitled:Untitled-2';
    await client.open(docUri, ALONE);
    const line = ALONE.split('\n').indexOf('- [ ] Open item');
    const [command] = await request<{ command: string; arguments: unknown[] }[]>(
      client,
      'textDocument/codeAction',
      {
        textDocument: { uri: docUri },
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        context: { diagnostics: [] },
      },
    );
    assert.equal(command?.command, 'cdp.server.applyCodeAction');
    const r = await request(client, 'workspace/executeCommand', command);
    assert.deepEqual(r, { applied: true });
    const box = ALONE.split('\n')[line].indexOf('[ ]') + 1;
    assert.deepEqual(edits, [
      {
        label: 'Mark criterion as done',
        edit: {
          changes: {
            [docUri]: [
              { range: { start: { line, character: box }, end: { line, character: box + 1 } }, newText: 'x' },
            ],
          },
        },
      },
    ]);
  });

  it('a server started without a root or folders serves every document alone', async () => {
    const client = await TestClient.start([], { capabilities: CLIENT });
    clients.push(client);
    const dir = tempWorkspace({ '01-alone.md': ALONE });
    await checkServedAlone(client, uriOf(join(dir, '01-alone.md')), true);
  });
});

describe('optional fields only where the client announced them', () => {
  const NOTES = '# Notes\n\nSee [[Rel';
  async function ask(capabilities: ClientCapabilities) {
    const { client, uri } = await start({ capabilities });
    await client.open(uri('notes.md'), NOTES);
    const list = await request<{ items: { label: string; labelDetails?: unknown; detail?: string }[] }>(
      client,
      'textDocument/completion',
      {
        textDocument: { uri: uri('notes.md') },
        position: { line: 2, character: NOTES.split('\n')[2].length },
      },
    );
    const release = list.items.find((i) => i.label === '02-release');
    const links = await request<{ tooltip?: string }[]>(client, 'textDocument/documentLink', {
      textDocument: { uri: uri('wf/01-diagnose.md') },
    });
    const line = RELEASE.split('\n').indexOf('- [ ] Rollback rehearsed');
    const actions = await request<{ title: string; isPreferred?: boolean }[]>(
      client,
      'textDocument/codeAction',
      {
        textDocument: { uri: uri('wf/02-release.md') },
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        context: { diagnostics: [] },
      },
    );
    return { client, release, links, actions };
  }

  it('labelDetails, link tooltips, isPreferred and prepareProvider are left out for a client that did not', async () => {
    const literals = { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } };
    const { client, release, links, actions } = await ask({
      ...BARE,
      textDocument: { ...BARE.textDocument, codeAction: literals },
    });
    assert.ok(release, 'the document offered by its name, its title beside it');
    assert.ok(!('labelDetails' in release));
    // its title in the detail instead, once, then its phase
    assert.equal(release.detail, 'Release — 02 Release');
    assert.ok(links.length > 0);
    for (const l of links) assert.ok(!('tooltip' in l), JSON.stringify(l));
    assert.ok(actions.length > 0);
    for (const a of actions) assert.ok(!('isPreferred' in a), JSON.stringify(a));
    assert.equal(client.initializeResult.capabilities.renameProvider, true);

    const full = await ask(CAPABILITIES);
    assert.deepEqual(full.release?.labelDetails, { description: 'Release' });
    assert.ok(full.links.every((l) => typeof l.tooltip === 'string'));
    assert.ok(full.actions.every((a) => typeof a.isPreferred === 'boolean'));
    assert.deepEqual(full.client.initializeResult.capabilities.renameProvider, { prepareProvider: true });
  });

  it('completion items carry no filterText for Neovim before 0.8, which then drops them', async () => {
    const items = async (clientInfo?: { name: string; version?: string }) => {
      const root = tempWorkspace(FILES);
      const client = await TestClient.start([root], { capabilities: BARE, clientInfo });
      clients.push(client);
      await client.ready();
      const u = uriOf(join(root, 'notes.md'));
      await client.open(u, NOTES);
      const list = await request<{ items: { label: string; filterText?: string }[] }>(
        client,
        'textDocument/completion',
        { textDocument: { uri: u }, position: { line: 2, character: NOTES.split('\n')[2].length } },
      );
      assert.ok(list.items.length > 0);
      return list.items.filter((i) => 'filterText' in i).length;
    };
    assert.equal(await items({ name: 'Neovim', version: '0.7.2' }), 0);
    assert.ok((await items({ name: 'Neovim', version: '0.9.5' })) > 0);
    assert.ok((await items()) > 0);
  });

  it('for Neovim before 0.8 the inserted text starts with what was typed: the name or a heading slug, where the title does not', async () => {
    const files = {
      'incident-report.md': '# Incident Report\n\n## Timeline\n',
      'notes.md': '# Notes\n\nSee [[inc\nSee [[incident-report#ti\n',
    };
    const complete = async (clientInfo: { name: string; version?: string }) => {
      const root = tempWorkspace(files);
      const client = await TestClient.start([root], { capabilities: BARE, clientInfo });
      clients.push(client);
      await client.ready();
      const u = uriOf(join(root, 'notes.md'));
      await client.open(u, files['notes.md']);
      const at = async (line: number) =>
        (
          await request<{ items: { textEdit: { newText: string } }[] }>(client, 'textDocument/completion', {
            textDocument: { uri: u },
            position: { line, character: files['notes.md'].split('\n')[line].length },
          })
        ).items.map((i) => i.textEdit.newText);
      return [await at(2), await at(3)];
    };
    assert.deepEqual(await complete({ name: 'Neovim', version: '0.7.2' }), [
      ['incident-report]]'],
      ['timeline]]'],
    ]);
    // Clients that filter by filterText get the title and the heading as written.
    assert.deepEqual(await complete({ name: 'Neovim', version: '0.9.5' }), [
      ['Incident Report]]'],
      ['Timeline]]'],
    ]);
  });

  it('completion starts at ( and / only for a client that does not complete markdown paths itself', async () => {
    const triggers = (c: TestClient) =>
      c.initializeResult.capabilities.completionProvider?.triggerCharacters ?? [];
    const { client: plain } = await start({ capabilities: BARE });
    assert.deepEqual(triggers(plain), ['[', '#', '|', '"', '(', '/']);
    const { client: own } = await start({
      capabilities: { ...BARE, experimental: { cdp: { markdownPathCompletion: true } } },
    });
    assert.deepEqual(triggers(own), ['[', '#', '|', '"']);
  });
});

describe('a document the client spells differently from the server', () => {
  it('is one document, published under the spelling the client opened it with', async () => {
    const root = tempWorkspace({ ...FILES, 'my docs/bad.md': '# Bad\n\nSee [[gone]].\n' });
    const client = await TestClient.start([root], { capabilities: BARE });
    clients.push(client);
    await client.ready();
    const canonical = uriOf(join(root, 'my docs', 'bad.md'));
    assert.match(canonical, /my%20docs\/bad\.md$/);
    await client.waitForDiagnostics(canonical, (d) => mentions(d, 'gone'));
    // Another client's spelling: a raw space, a letter percent-encoded, an upper-case scheme.
    const spelled = `FILE${canonical.slice(4).replace('my%20docs', 'my docs').replace('bad.md', 'b%61d.md')}`;
    await client.open(spelled, '# Opened\n\nSee [[gone]] and [[gone-too]].\n');
    await client.waitForDiagnostics(spelled, (d) => mentions(d, 'gone-too'));
    await client.waitForDiagnostics(canonical, (d) => d.length === 0, 'the other spelling withdrawn');

    // Requests in other spellings read the open document, not the disk, and do not change
    // the spelling its findings go to.
    for (const other of [canonical, canonical.replace('bad.md', 'ba%64.md')]) {
      const symbols = await request<{ name: string }[]>(client, 'textDocument/documentSymbol', {
        textDocument: { uri: other },
      });
      assert.ok(
        symbols.some((s) => s.name === 'Opened'),
        JSON.stringify(symbols),
      );
    }
    await client.change(spelled, [{ text: '# Opened\n\nSee [[gone]] and [[gone-three]].\n' }]);
    await client.waitForDiagnostics(spelled, (d) => mentions(d, 'gone-three'));
    assert.deepEqual(client.diagnosticsOf(canonical), []);

    // Closed: the disk's text counts again, still under the client's spelling.
    await client.close(spelled);
    await client.waitForDiagnostics(spelled, (d) => mentions(d, 'gone') && !mentions(d, 'gone-three'));
    assert.deepEqual(client.diagnosticsOf(canonical), []);
  });
});
