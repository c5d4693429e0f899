// The whole test suite: build, lint, type-check, then every test file under test/
// with Node's test runner (unit, protocol and end-to-end suites).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

run('node', ['scripts/build.mjs']);
run('npx', ['--no-install', 'biome', 'check', '.']);
// The core is also compiled without Node's types: it must run in any host.
for (const project of ['server', 'server/tsconfig.core.json', 'client', 'test'])
  run('npx', ['--no-install', 'tsc', '-p', project]);
if (process.argv.includes('--quick')) process.exit(0);

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = only.length > 0 ? only : testFiles(join(root, 'test'));
// Node's summary counts skipped tests, not skipped suites: the second reporter lists both.
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/skip-summary.mjs',
  '--test-reporter-destination=stdout',
];
// The tests write their workspaces, caches and editor profiles under the temporary folder:
// one of its own for this run, removed afterwards, so that runs leave nothing behind.
const scratch = mkdtempSync(join(tmpdir(), 'cdp-tests-'));
const tests = spawnSync(
  'node',
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...reporters, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TMPDIR: scratch } },
);
rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
if (tests.status !== 0) {
  console.error(`\nthe tests failed (exit ${tests.status ?? tests.signal})`);
  process.exit(tests.status || 1);
}
