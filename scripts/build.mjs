// Bundles the language server, the `cdp` command and the VS Code client with esbuild.
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js' },
  {
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
].filter((b) => existsSync(join(root, b.entryPoints[0])));

await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
// Also runnable directly (`server/out/cli.js check …`).
if (existsSync(join(root, 'server/out/cli.js'))) chmodSync(join(root, 'server/out/cli.js'), 0o755);
