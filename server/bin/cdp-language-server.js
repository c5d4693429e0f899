#!/usr/bin/env node
// The CDP language server for any LSP client. The bundle is built by `npm run build`
// (scripts/build.mjs).
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const USAGE = `Usage: cdp-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]

The CDP Workflow language server (phase documents of the Clinical Development Process).
Speaks the Language Server Protocol over standard input and output (the default), Node
IPC, a TCP socket on PORT, or a named pipe.

  --stdio          stdin/stdout (default when no transport is given)
  --node-ipc       Node IPC channel (the parent process must fork with an IPC channel)
  --socket=PORT    connect to a TCP socket on PORT
  --pipe=NAME      connect to a named pipe / Unix socket
  --version        print the version and exit
  --help           print this help and exit
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.includes('--version') || args.includes('-v')) {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`cdp-language-server ${pkg.version}\n`);
  process.exit(0);
}
const transports = /^--(stdio|node-ipc|socket=\d+|pipe=.+|clientProcessId=\d+)$/;
const unknown = args.filter((a) => !transports.test(a));
if (unknown.length > 0) {
  process.stderr.write(`cdp-language-server: unknown argument ${unknown[0]}\n\n${USAGE}`);
  process.exit(2);
}
if (!args.some((a) => /^--(stdio|node-ipc|socket=|pipe=)/.test(a))) process.argv.push('--stdio');

const bundle = join(__dirname, '..', 'out', 'server.js');
if (!existsSync(bundle)) {
  process.stderr.write('cdp-language-server: not built yet; run "npm run build" in the repository first\n');
  process.exit(2);
}
require(bundle);
