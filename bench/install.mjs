// Installs the benchmark's own dependencies (bench/package.json: the peer tools it
// compares against) when they are missing or older than bench/package-lock.json. The
// root `npm ci` does not install them: the product and its tests do not need them.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const installed = join(here, 'node_modules', '.package-lock.json');
const lock = join(here, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.error('[bench] installing the benchmark dependencies (bench/package.json)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[bench] npm ci in bench/ failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}
