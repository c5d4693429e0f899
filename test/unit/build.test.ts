import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
