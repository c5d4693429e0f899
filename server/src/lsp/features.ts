import type { Connection } from 'vscode-languageserver';
import * as codeActions from '../features/code-actions';
import * as codeLens from '../features/code-lens';
import * as completion from '../features/completion';
import type { FeatureContext } from '../features/context';
import * as custom from '../features/custom-requests';
import * as dashboard from '../features/dashboard';
import * as definition from '../features/definition';
import * as documentLinks from '../features/document-links';
import * as executeCommand from '../features/execute-command';
import * as hover from '../features/hover';
import * as links from '../features/links';
import * as references from '../features/references';
import * as rename from '../features/rename';
import * as symbols from '../features/symbols';

/** Every LSP feature module registers its handlers here; each is one file under features/. */
export function registerFeatures(connection: Connection, ctx: FeatureContext): void {
  for (const f of [
    definition,
    references,
    documentLinks,
    hover,
    completion,
    rename,
    symbols,
    codeActions,
    codeLens,
    custom,
    executeCommand,
    dashboard,
    links,
  ]) {
    f.register(connection, ctx);
  }
}
