#!/usr/bin/env node
// The `cdp` command. The bundle is built by `npm run build` (scripts/build.mjs).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('cdp: not built yet; run "npm run build" in the repository first\n');
  process.exit(2);
}
require(bundle).run(process.argv.slice(2));
