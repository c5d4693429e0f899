import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { delayOptimization } from '../node/optimization-budget';
import { CdpServer } from './server';
import { serverTransport } from './transport';

// The start reads and checks every document once: see delayOptimization.
delayOptimization();
const log = (line: string) => process.stderr.write(`${line}\n`);
// stdio, IPC, a socket or a pipe, as the command line says (--stdio, --node-ipc, --socket=N, --pipe=NAME).
const { reader, writer } = serverTransport(process.argv.slice(2), log, (code) => process.exit(code));
// On stdio, stdout carries the protocol: nothing else may be printed there.
console.log = console.info = (...args: unknown[]) => log(args.map(String).join(' '));
// A failure inside a handler is logged; it never takes the server down.
process.on('uncaughtException', (e) => log(`cdp-workflow: internal error: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) =>
  log(`cdp-workflow: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
);
const connection = createConnection(ProposedFeatures.all, reader, writer);
new CdpServer(connection);
connection.listen();
