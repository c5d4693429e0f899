import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { CdpServer } from './server';

// stdio, IPC or a socket, as the command line says (--stdio, --node-ipc, --socket=N).
const connection = createConnection(ProposedFeatures.all);
new CdpServer(connection);
connection.listen();
