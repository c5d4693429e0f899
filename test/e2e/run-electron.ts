// Runs the in-host end-to-end suites in desktop VS Code through @vscode/test-electron.
//
// Use this where a VS Code build can be downloaded (a developer machine, a CI runner with
// internet access); it is not part of `npm test`, which runs the same suites in code-server
// (see runInHostSuite in ./harness.ts). Both load test/e2e/in-host/index.ts as the
// extensionTestsPath, so a suite written once runs under either.
//
//   npm run build && node --import tsx test/e2e/run-electron.ts [suite.ts ...] [--workspace DIR]
//
// Without suite arguments it runs every test/e2e/in-host/*.suite.ts. On Linux without a
// display, run it under xvfb-run. VS Code version: $CDP_VSCODE_VERSION (default "stable").
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildInHostTests, REPO_ROOT, RESULTS_ENV, SUITES_ENV } from './harness';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wsIndex = args.indexOf('--workspace');
  const workspace = resolve(wsIndex >= 0 ? args.splice(wsIndex, 2)[1] : join(REPO_ROOT, 'examples'));
  const inHostDir = join(REPO_ROOT, 'test', 'e2e', 'in-host');
  const suites =
    args.length > 0
      ? args.map((a) => resolve(a))
      : readdirSync(inHostDir)
          .filter((f) => f.endsWith('.suite.ts'))
          .sort()
          .map((f) => join(inHostDir, f));
  if (suites.length === 0) throw new Error(`no in-host suites (*.suite.ts) in ${inHostDir}`);

  const built = await buildInHostTests({ suites });
  const resultsFile = join(built.outDir, 'results.json');
  await runTests({
    version: process.env.CDP_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: built.entry,
    extensionTestsEnv: { [SUITES_ENV]: JSON.stringify(built.suites), [RESULTS_ENV]: resultsFile },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
  });
  console.log(`in-host suites passed; results in ${resultsFile}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
