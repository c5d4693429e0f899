// Entry module of the in-host end-to-end suites. VS Code loads it in the extension host
// (extensionTestsPath) and calls run(): under code-server through the harness
// (test/e2e/harness.ts) and under @vscode/test-electron (test/e2e/run-electron.ts).
//
// It runs mocha (tdd interface: suite/test/suiteSetup/setup/teardown) over compiled suite
// files, named by CDP_E2E_SUITES (a JSON array of paths) or else every other .js file next
// to this one, and, when CDP_E2E_RESULTS names a file, writes the results there as JSON.
// run() rejects when a test failed, which is how @vscode/test-electron learns about it.
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}

function suiteFiles(): string[] {
  const listed = process.env.CDP_E2E_SUITES;
  if (listed) return JSON.parse(listed) as string[];
  return readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .sort()
    .map((f) => join(__dirname, f));
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function writeResults(tests: TestResult[]): void {
  const file = process.env.CDP_E2E_RESULTS;
  if (!file) return;
  const results = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
  };
  // written whole and then renamed, so a watcher never reads half a file
  writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${file}.tmp`, file);
}

export async function run(): Promise<void> {
  const tests: TestResult[] = [];
  let failures: number;
  try {
    const mocha = new Mocha({
      ui: 'tdd',
      color: false,
      reporter: 'spec',
      timeout: Number(process.env.CDP_E2E_TEST_TIMEOUT ?? 20_000),
    });
    const files = suiteFiles();
    if (files.length === 0) throw new Error('no in-host suite files found');
    for (const f of files) mocha.addFile(f);
    failures = await new Promise<number>((resolve) => {
      const runner = mocha.run((n) => resolve(n));
      runner.on('pass', (t) => {
        tests.push({ title: t.fullTitle(), state: 'passed' });
      });
      runner.on('fail', (t, err) => {
        tests.push({ title: t.fullTitle(), state: 'failed', error: describe(err) });
      });
      runner.on('pending', (t) => {
        tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    });
  } catch (err) {
    // a suite that does not load (syntax error, missing module) is reported as a failed test
    tests.push({ title: 'loading the in-host suites', state: 'failed', error: describe(err) });
    failures = 1;
  }
  writeResults(tests);
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}
