import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');

describe('scripts/build.mjs', () => {
  it('fails, naming them, when entry points are missing (it skipped them silently)', () => {
    // A checkout with the build script and its dependencies, but without the client.
    const dir = mkdtempSync(join(tmpdir(), 'cdp-build-'));
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(root, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      cpSync(join(root, 'server'), join(dir, 'server'), {
        recursive: true,
        filter: (src) => !src.includes('node_modules') && !src.includes(`${join('server', 'out')}`),
      });
      const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /entry point missing: client\/src\/extension\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the remark reference parser in the bundles', () => {
  it('is a file of its own, loaded only when `cdp.parser: "remark"` asks for it', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdp-build-out-'));
    const ws = mkdtempSync(join(tmpdir(), 'cdp-build-ws-'));
    try {
      const b = spawnSync(process.execPath, ['scripts/build.mjs', '--out-dir', out], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(b.status, 0, b.stderr);
      const bundle = (f: string) => readFileSync(join(out, 'server', 'out', f), 'utf8');
      // micromark is remark's tokenizer: its modules are in remark.js only (esbuild marks
      // each bundled module with its path; the scanner's comments may name micromark).
      const micromark = /node_modules\/micromark/;
      assert.match(bundle('remark.js'), micromark);
      assert.doesNotMatch(bundle('server.js'), micromark);
      assert.doesNotMatch(bundle('cli.js'), micromark);

      writeFileSync(join(ws, 'a.md'), '# A\n\n- [ ] one\n- [x] two\n\nSee [[missing]].\n');
      writeFileSync(join(ws, 'remark.json'), JSON.stringify({ 'cdp.parser': 'remark' }));
      // Says at exit whether remark.js was loaded (the bundles load it with require).
      const probe = join(ws, 'probe.cjs');
      writeFileSync(
        probe,
        "process.on('exit', () => process.stderr.write(String(Object.keys(require.cache).some((k) => k.endsWith('remark.js')))));",
      );
      const check = (...args: string[]) =>
        spawnSync(
          process.execPath,
          [
            '--require',
            probe,
            join(out, 'server', 'out', 'cli.js'),
            'check',
            ws,
            '--format',
            'json',
            ...args,
          ],
          { encoding: 'utf8' },
        );
      const fast = check();
      const remark = check('--config', join(ws, 'remark.json'));
      assert.equal(fast.stderr, 'false');
      assert.equal(remark.stderr, 'true');
      assert.match(fast.stdout, /broken-link/);
      assert.equal(remark.stdout, fast.stdout);
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
