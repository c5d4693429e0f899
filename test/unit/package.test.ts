// The .vsix: what vsce packs with .vscodeignore, and that the bundled server and client
// run from it without node_modules. Packs what ships: the production (minified) bundles,
// built into a staging copy of the repository's files, as `npm run package` builds them;
// the development bundles in the tree are neither used nor touched.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { tempDir } from '../helpers/files';

const root = join(__dirname, '..', '..');
const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');

describe('extension package', { timeout: 120_000 }, () => {
  let dir = '';
  let entries: string[] = [];

  before(() => {
    dir = tempDir('cdp-vsix-');
    // Every file of the repository (so .vscodeignore has sources, tests and examples to
    // leave out), then the production bundles.
    const stage = join(dir, 'stage');
    const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(files.status, 0, files.stderr);
    for (const f of files.stdout.split('\0').filter(Boolean)) {
      mkdirSync(dirname(join(stage, f)), { recursive: true });
      cpSync(join(root, f), join(stage, f));
    }
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production', '--out-dir', stage], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, `production build failed:\n${build.stderr}`);
    const vsix = join(dir, 'cdp-workflow.vsix');
    const r = spawnSync(vsce, ['package', '--no-dependencies', '--out', vsix], {
      cwd: stage,
      encoding: 'utf8',
      timeout: 90_000,
    });
    assert.equal(r.status, 0, `vsce failed:\n${r.stdout}\n${r.stderr}`);
    const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    entries = list.stdout.split('\n').filter(Boolean);
    const x = spawnSync('unzip', ['-q', vsix, '-d', join(dir, 'x')], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the bundles, grammar, snippets, media, rule docs, the README screenshots and the texts', () => {
    for (const f of [
      'extension/package.json',
      'extension/client/out/extension.js',
      'extension/server/out/server.js',
      // the remark reference parser, loaded only with cdp.parser "remark"
      'extension/server/out/remark.js',
      // the YAML parser and the regex engine, loaded on first use
      'extension/server/out/yaml.js',
      'extension/server/out/re2js.js',
      // the worker that publishes stored diagnostics at a warm start
      'extension/server/out/publish-stored-worker.js',
      'extension/syntaxes/cdp-markdown.injection.tmLanguage.json',
      'extension/snippets/cdp.code-snippets',
      'extension/media/cdp.svg',
      'extension/media/icon.png',
      // the release dashboard's page script
      'extension/media/dashboard.js',
      'extension/docs/rules.md',
      'extension/docs/images/tree.png',
      'extension/docs/images/dashboard-light.png',
      'extension/docs/images/preview.png',
      'extension/media/preview.css',
      'extension/media/walkthrough/open-tree.md',
      'extension/media/walkthrough/ci-check.md',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
    ])
      assert.ok(entries.includes(f), `${f} in ${entries.join(', ')}`);
  });

  it('holds no node_modules, sources, tests, maps or examples', () => {
    for (const e of entries) {
      assert.doesNotMatch(
        e,
        /node_modules|\/src\/|^extension\/test|\.map$|\.ts$|^extension\/examples|\.vsix$/,
        e,
      );
    }
  });

  it('holds the production bundles: minified, without source maps', () => {
    for (const file of [
      'client/out/extension.js',
      'server/out/server.js',
      'server/out/remark.js',
      'server/out/yaml.js',
      'server/out/re2js.js',
      'server/out/publish-stored-worker.js',
    ]) {
      const text = readFileSync(join(dir, 'x', 'extension', file), 'utf8');
      assert.doesNotMatch(text, /sourceMappingURL/, file);
      // Minified: few, long lines (the development bundle has one statement a line).
      const lines = text.split('\n').length;
      assert.ok(text.length / lines > 500, `${file}: ${lines} lines for ${text.length} characters`);
    }
  });

  it('bundles need nothing but Node built-ins (and vscode for the client)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const [file, allowed] of [
      ['client/out/extension.js', ['vscode']],
      ['server/out/server.js', []],
      ['server/out/remark.js', []],
      ['server/out/yaml.js', []],
      ['server/out/re2js.js', []],
      ['server/out/publish-stored-worker.js', []],
    ] as const) {
      const text = readFileSync(join(dir, 'x', 'extension', file), 'utf8');
      for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
        const name = m[1]!;
        assert.ok(
          builtins.has(name) || (allowed as readonly string[]).includes(name),
          `${file} requires ${name}`,
        );
      }
    }
  });

  it('starts the packaged language server', async () => {
    const server = join(dir, 'x', 'extension', 'server', 'out', 'server.js');
    const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(
      new StreamMessageReader(proc.stdout!),
      new StreamMessageWriter(proc.stdin!),
    );
    connection.listen();
    try {
      const result = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        workspaceFolders: [{ uri: pathToFileURL(join(dir, 'x')).toString(), name: 'x' }],
      })) as { serverInfo?: { name: string }; capabilities: { codeLensProvider?: unknown } };
      assert.equal(result.serverInfo?.name, 'cdp-workflow');
      assert.ok(result.capabilities.codeLensProvider);
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      proc.kill();
    }
  });
});
