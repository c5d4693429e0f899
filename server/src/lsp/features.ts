import type { Connection } from 'vscode-languageserver';
import type { FeatureContext } from '../features/context';
import * as custom from '../features/custom-requests';
import * as executeCommand from '../features/execute-command';
import { answer } from '../features/requests';
import { FEATURE_REQUESTS } from '../features/table';
import { SINGLE_DOCUMENT_METHODS, type SingleDocuments } from './single-documents';

/**
 * Registers every feature request (features/table.ts) on the connection, each answered
 * through `answer` (which reads the documents it edits from disk first), and the two
 * handlers that speak to the client themselves: commands and the server's process id.
 * A request about a document served alone (SingleDocuments) is answered in its context.
 */
export function registerFeatures(connection: Connection, ctx: FeatureContext, single: SingleDocuments): void {
  for (const r of FEATURE_REQUESTS) {
    const alone = SINGLE_DOCUMENT_METHODS.has(r.type.method);
    connection.onRequest(r.type, (params, token) =>
      answer((alone && contextOf(ctx, single, params)) || ctx, r, params, token),
    );
  }
  executeCommand.register(connection, ctx, (uri) => single.context(ctx.canonical(uri)) ?? ctx);
  custom.register(connection);
}

/** The context of the document a request names, when it is served alone. */
function contextOf(
  ctx: FeatureContext,
  single: SingleDocuments,
  params: unknown,
): FeatureContext | undefined {
  const uri = (params as { textDocument?: { uri?: unknown } } | null)?.textDocument?.uri;
  return typeof uri === 'string' ? single.context(ctx.canonical(uri)) : undefined;
}
