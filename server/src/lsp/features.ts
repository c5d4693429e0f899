import type { Connection } from 'vscode-languageserver';
import type { FeatureContext } from '../features/context';
import * as custom from '../features/custom-requests';
import * as executeCommand from '../features/execute-command';
import { answer } from '../features/requests';
import { FEATURE_REQUESTS } from '../features/table';

/**
 * Registers every feature request (features/table.ts) on the connection, each answered
 * through `answer` (which reads the documents it edits from disk first), and the two
 * handlers that speak to the client themselves: commands and the server's process id.
 */
export function registerFeatures(connection: Connection, ctx: FeatureContext): void {
  for (const r of FEATURE_REQUESTS) {
    connection.onRequest(r.type, (params, token) => answer(ctx, r, params, token));
  }
  executeCommand.register(connection, ctx);
  custom.register(connection);
}
