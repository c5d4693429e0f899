// The run summary of scripts/test.mjs lists what was skipped, suites included.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/files';

const REPORTER = join(__dirname, '../../scripts/skip-summary.mjs');

function runWithSummary(source: string): string {
  const dir = tempDir('cdp-skip-');
  writeFileSync(join(dir, 'sample.test.mjs'), source);
  const r = spawnSync(
    process.execPath,
    ['--test', `--test-reporter=${REPORTER}`, '--test-reporter-destination=stdout', 'sample.test.mjs'],
    // Without the parent runner's context, the child reports as a run of its own.
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the run summary', () => {
  it('names each skipped suite and test with its reason', () => {
    const out = runWithSummary(
      `import { describe, it } from 'node:test';
describe('corpus facts', { skip: 'corpus absent' }, () => { it('a', () => {}); it('b', () => {}); });
it('differential on the corpus', (t) => { t.skip('folder absent'); });
it('runs', () => {});
`,
    );
    assert.match(out, /^Skipped: 2 \(1 whole suite, 1 test\)/m);
    assert.match(out, /suite "corpus facts" .*: corpus absent/);
    assert.match(out, /test "differential on the corpus" .*: folder absent/);
  });

  it('says so when nothing was skipped', () => {
    assert.match(
      runWithSummary(`import { it } from 'node:test';\nit('runs', () => {});\n`),
      /^Skipped: nothing\.$/m,
    );
  });
});
