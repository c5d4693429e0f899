import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { InitializeParams } from 'vscode-languageserver-protocol';
import { CLIENT_RUN_COMMANDS } from '../../client/src/server-extensions';
import { Analysis, cutShort } from '../../server/src/core/analysis';
import {
  CLIENT_COMMANDS,
  clientSupport,
  commandId,
  SERVER_COMMANDS,
} from '../../server/src/features/client-support';
import type { FeatureContext } from '../../server/src/features/context';
import { MAX_DIAGNOSTICS_PER_DOCUMENT, toDiagnostic, toDiagnostics } from '../../server/src/features/convert';
import { SettingsSources } from '../../server/src/lsp/settings';
import { RUN_GATE_COMMANDS_COMMAND } from '../../server/src/protocol';
import { check, ROOT as WS } from '../helpers/memory-workspace';

const ROOT = join(__dirname, '..', '..');

function support(capabilities: InitializeParams['capabilities']) {
  return clientSupport({ capabilities } as InitializeParams);
}

describe('settings sources', () => {
  it('lays the latest push or pull over initializationOptions.settings, key by key', () => {
    const s = new SettingsSources({ cdp: { rules: { 'broken-link': 'error' }, parser: 'remark' } });
    assert.deepEqual(s.effective(), { cdp: { rules: { 'broken-link': 'error' }, parser: 'remark' } });
    assert.equal(s.push({ cdp: { rules: { 'empty-gate': 'off' } } }), true);
    assert.deepEqual(s.effective(), {
      cdp: { rules: { 'broken-link': 'error', 'empty-gate': 'off' }, parser: 'remark' },
    });
    // The next push replaces the previous one (not merged with it).
    s.push({ 'cdp.files.exclude': ['x/**'] });
    assert.deepEqual(s.effective(), {
      cdp: { rules: { 'broken-link': 'error' }, parser: 'remark', files: { exclude: ['x/**'] } },
    });
    s.pulled({ parser: 'fast' });
    assert.deepEqual(s.effective(), { cdp: { rules: { 'broken-link': 'error' }, parser: 'fast' } });
    s.pulled(null);
    assert.deepEqual(s.effective(), { cdp: { rules: { 'broken-link': 'error' }, parser: 'remark' } });
  });

  it('says when a push carries no settings of its own (then the server pulls)', () => {
    const s = new SettingsSources(undefined);
    for (const p of [null, undefined, {}, { other: { x: 1 } }, 'cdp', [1]]) assert.equal(s.push(p), false);
    assert.deepEqual(s.effective(), { cdp: {} });
  });

  it('never writes through __proto__ or constructor keys', () => {
    const s = new SettingsSources(
      JSON.parse('{"cdp.__proto__.polluted": true, "cdp": {"__proto__": {"x": 1}}}'),
    );
    s.push(JSON.parse('{"cdp": {"constructor": {"prototype": {"polluted": true}}}}'));
    s.effective();
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});

describe('client support', () => {
  it('reads dynamic registration per capability, never from the client name', () => {
    const bare = support({});
    assert.equal(bare.configuration, false);
    assert.equal(bare.configurationRegistration, false);
    assert.equal(bare.watchRegistration, false);
    assert.equal(bare.progress, false);
    assert.equal(bare.showDocument, false);
    assert.equal(bare.lineFragmentLinks, false);
    assert.equal(bare.codeDescription, false);
    assert.equal(
      support({ textDocument: { publishDiagnostics: { codeDescriptionSupport: true } } }).codeDescription,
      true,
    );
    const pullOnly = support({ workspace: { configuration: true, didChangeConfiguration: {} } });
    assert.equal(pullOnly.configuration, true);
    assert.equal(pullOnly.configurationRegistration, false);
    const full = support({
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
    });
    assert.deepEqual(
      [full.configurationRegistration, full.watchRegistration, full.progress, full.showDocument],
      [true, true, true, true],
    );
  });

  it('answers hovers in markdown only to a client that lists it', () => {
    assert.equal(support({}).plainHover, true);
    assert.equal(support({ textDocument: { hover: { contentFormat: ['plaintext'] } } }).plainHover, true);
    assert.equal(
      support({ textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } }).plainHover,
      false,
    );
  });

  it('advertises rename options only to a client that announced prepareSupport', () => {
    assert.equal(support({ textDocument: { rename: { prepareSupport: true } } }).prepareRename, true);
    assert.equal(support({ textDocument: { rename: {} } }).prepareRename, false);
    assert.equal(support({}).prepareRename, false);
  });

  it('creates and renames files only where the client announced that operation', () => {
    const ops = (resourceOperations: string[] | undefined, documentChanges = true) => {
      const s = support({ workspace: { workspaceEdit: { documentChanges, resourceOperations } as never } });
      return [s.createFiles, s.renameFiles];
    };
    assert.deepEqual(ops(['rename']), [false, true]);
    assert.deepEqual(ops(['create']), [true, false]);
    assert.deepEqual(ops(['create', 'rename', 'delete']), [true, true]);
    assert.deepEqual(ops(undefined), [false, false]);
    // Announcing operations is reading documentChanges (Neovim 0.7 announces only the
    // operations, and applies both).
    assert.deepEqual(ops(['create', 'rename'], false), [true, true]);
  });

  it('links a diagnostic to its rule only for a client that reads codeDescription', () => {
    const finding = {
      code: 'broken-link',
      severity: 'warning',
      message: 'no document named [[x]]',
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } },
    } as const;
    const ctx = (codeDescriptionSupport: boolean) =>
      ({
        ruleDocs: 'file:///docs/rules.md',
        clientUri: (u: string) => u,
        clientCapabilities: support({ textDocument: { publishDiagnostics: { codeDescriptionSupport } } }),
      }) as unknown as FeatureContext;
    const plain = toDiagnostic(ctx(false), finding as never);
    assert.equal('codeDescription' in plain, false);
    assert.deepEqual(
      [plain.code, plain.message, plain.range],
      [finding.code, finding.message, finding.range],
    );
    const linked = toDiagnostic(ctx(true), finding as never);
    assert.deepEqual(linked.codeDescription, { href: 'file:///docs/rules.md#broken-link' });
  });

  it('publishes at most 1,000 diagnostics per document, the most severe first, and says how many are left out', () => {
    const ctx = {
      ruleDocs: 'file:///docs/rules.md',
      clientUri: (u: string) => u,
      clientCapabilities: support({}),
    } as unknown as FeatureContext;
    const at = (line: number, severity: 'warning' | 'error' | 'hint') => ({
      uri: 'file:///a.md',
      code: 'broken-link',
      severity,
      message: `link ${line}`,
      range: { start: { line, character: 0 }, end: { line, character: 3 } },
    });
    const few = Array.from({ length: MAX_DIAGNOSTICS_PER_DOCUMENT }, (_, i) => at(i, 'warning'));
    assert.deepEqual(
      toDiagnostics(ctx, few as never),
      few.map((f) => toDiagnostic(ctx, f as never)),
    );
    // 1,200 warnings, then 3 hints, then 5 errors: the errors lead, the warnings follow in
    // their order, the hints and the last 200 warnings are left out and counted.
    const many = [
      ...Array.from({ length: 1200 }, (_, i) => at(i, 'warning')),
      ...[0, 1, 2].map((i) => at(2000 + i, 'hint')),
      ...[0, 1, 2, 3, 4].map((i) => at(3000 + i, 'error')),
    ];
    const shown = toDiagnostics(ctx, many as never);
    assert.equal(shown.length, MAX_DIAGNOSTICS_PER_DOCUMENT + 1);
    assert.deepEqual(
      shown.slice(0, 6).map((d) => d.range.start.line),
      [3000, 3001, 3002, 3003, 3004, 0],
    );
    assert.equal(shown[MAX_DIAGNOSTICS_PER_DOCUMENT - 1].range.start.line, 994);
    const note = shown[MAX_DIAGNOSTICS_PER_DOCUMENT];
    assert.equal(note.severity, 3);
    assert.equal(note.code, undefined);
    assert.match(
      note.message,
      /^208 more findings in this document are not shown .*`cdp check` lists them all/,
    );
  });

  it("stops a rule past 1,000 findings in a document when asked (the editor's check), and says more are not shown", async () => {
    const ctx = {
      ruleDocs: 'file:///docs/rules.md',
      clientUri: (u: string) => u,
      clientCapabilities: support({}),
    } as unknown as FeatureContext;
    // 3,000 broken links, then a box written wrong: another rule's finding after them.
    const text = `# Many\n\n${'[[gone]] '.repeat(3000)}\n\n- [ x] boxed\n`;
    const { analysis } = await check({ 'many.md': text });
    const entry = analysis.index.get(`${WS}/many.md`)!;
    // Without a limit (a report), every finding.
    const all = analysis.check(entry);
    assert.equal(all.filter((f) => f.code === 'broken-link').length, 3000);
    assert.equal(cutShort(all), false);
    const capped = new Analysis(analysis.index, true, MAX_DIAGNOSTICS_PER_DOCUMENT).check(entry);
    const links = capped.filter((f) => f.code === 'broken-link');
    assert.equal(links.length, MAX_DIAGNOSTICS_PER_DOCUMENT);
    // The first ones, each with its fix; the other rule's finding is still there.
    assert.deepEqual(links[0].range, all[0].range);
    assert.ok(links.every((f) => (f.fixes?.length ?? 0) > 0));
    assert.deepEqual(
      capped.filter((f) => f.code === 'malformed-checkbox').map((f) => f.range.start.line),
      [4],
    );
    assert.equal(cutShort(capped), true);
    const shown = toDiagnostics(ctx, capped);
    assert.equal(shown.length, MAX_DIAGNOSTICS_PER_DOCUMENT + 1);
    assert.match(
      shown[MAX_DIAGNOSTICS_PER_DOCUMENT].message,
      /^More findings in this document are not shown .*`cdp check` lists them all/,
    );
  });

  it('names the server commands in code lenses unless the client claims its own ids', () => {
    const bare = support({});
    assert.equal(commandId(bare, 'checkGate'), 'cdp.server.checkGate');
    assert.equal(commandId(bare, 'revealGroup'), 'cdp.server.revealGroup');
    const vscode = support({
      experimental: { cdp: { lineFragmentLinks: true, commands: CLIENT_RUN_COMMANDS } },
    });
    assert.equal(vscode.lineFragmentLinks, true);
    assert.equal(commandId(vscode, 'checkGate'), 'cdp.checkGate');
    assert.equal(commandId(vscode, 'revealGroup'), 'cdp.revealGroup');
    const odd = support({ experimental: { cdp: { commands: 'cdp.checkGate', lineFragmentLinks: 'yes' } } });
    assert.equal(commandId(odd, 'checkGate'), 'cdp.server.checkGate');
    assert.equal(odd.lineFragmentLinks, false);
  });

  it('the ids the server advertises never clash with the VS Code extension’s own commands', () => {
    // vscode-languageclient registers every executeCommandProvider id as a VS Code command:
    // one the extension registers too would fail to register.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const contributed = new Set<string>(
      manifest.contributes.commands.map((c: { command: string }) => c.command),
    );
    const extension = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    const registered = new Set([...extension.matchAll(/command\('([^']+)'/g)].map((m) => m[1]));
    for (const id of Object.values(SERVER_COMMANDS)) {
      assert.ok(!contributed.has(id) && !registered.has(id), `${id} is the server's alone`);
    }
    // …and the ids the extension claims are the ones it registers.
    for (const id of CLIENT_RUN_COMMANDS) assert.ok(registered.has(id), `${id} registered by the extension`);
    // (lenses name the first; the server words commands not run, and offers a quick fix, by the last)
    assert.deepEqual(
      [...CLIENT_RUN_COMMANDS].sort(),
      [...Object.values(CLIENT_COMMANDS), RUN_GATE_COMMANDS_COMMAND].sort(),
    );
  });
});
