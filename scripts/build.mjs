// Bundles the language server, the `cdp` command and the VS Code client with esbuild.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
// `--out-dir DIR`: write the bundles under DIR (DIR/server/out/…) instead of the tree.
const outDirAt = process.argv.indexOf('--out-dir');
const outRoot = outDirAt === -1 ? root : resolve(process.argv[outDirAt + 1] ?? '');
if (outDirAt !== -1 && !process.argv[outDirAt + 1]) {
  console.error('build: --out-dir needs a folder');
  process.exit(2);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // jsonc-parser's default (UMD) build loads its parts with a require esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

// Code most workspaces never run is bundled on its own beside the server and the CLI,
// which import a stand-in under server/src/node/ that loads it on first use:
// - the remark reference parser (`cdp.parser: "remark"`): `remark.js`, for `core/parse/remark.ts`;
// - the YAML parser (gate files, front matter the checker's own reader leaves to it): `yaml.js`;
// - the linear-time regex engine (patterns from settings and gate files): `re2js.js`.
const lazyParts = {
  name: 'lazy-parts',
  setup(build) {
    build.onResolve({ filter: /^\.\/remark$/ }, (args) =>
      /[\\/]core[\\/]parse[\\/]document\.ts$/.test(args.importer)
        ? { path: join(root, 'server/src/node/remark-lazy.ts') }
        : undefined,
    );
    build.onResolve({ filter: /^(yaml|re2js)$/ }, (args) =>
      /[\\/]server[\\/]src[\\/]/.test(args.importer) && !/-entry\.ts$/.test(args.importer)
        ? { path: join(root, `server/src/node/${args.path}-lazy.ts`) }
        : undefined,
    );
  },
};

/** The server package's version (undefined when its package.json cannot be read). */
function serverVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const builds = [
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js', plugins: [lazyParts] },
  {
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [lazyParts],
    // The product's version, for SARIF's tool.driver.version.
    define: { 'process.env.CDP_VERSION': JSON.stringify(serverVersion() ?? '') },
  },
  { entryPoints: ['server/src/core/parse/remark.ts'], outfile: 'server/out/remark.js' },
  { entryPoints: ['server/src/node/yaml-entry.ts'], outfile: 'server/out/yaml.js' },
  { entryPoints: ['server/src/node/re2js-entry.ts'], outfile: 'server/out/re2js.js' },
  // the worker that publishes the stored diagnostics at a warm start (lsp/publish-stored.ts)
  {
    entryPoints: ['server/src/lsp/publish-stored-worker.ts'],
    outfile: 'server/out/publish-stored-worker.js',
  },
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
];

// A missing entry point is an error: a build without the server or the client is no build.
const missing = builds.map((b) => b.entryPoints[0]).filter((e) => !existsSync(join(root, e)));
if (missing.length > 0) {
  console.error(`build: entry point${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`);
  process.exit(1);
}

await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b, outfile: join(outRoot, b.outfile) })));
// Also runnable directly (`server/out/cli.js check …`).
chmodSync(join(outRoot, 'server/out/cli.js'), 0o755);
