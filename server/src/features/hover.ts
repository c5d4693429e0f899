import type { Connection } from 'vscode-languageserver';
import type { FeatureContext } from '../lsp/context';

// Not implemented yet: registers no handler.
export function register(_connection: Connection, _ctx: FeatureContext): void {}
