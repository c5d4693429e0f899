import * as codeActions from './code-actions';
import * as codeLens from './code-lens';
import * as completion from './completion';
import * as custom from './custom-requests';
import * as dashboard from './dashboard';
import * as definition from './definition';
import * as documentLinks from './document-links';
import * as gateCommands from './gate-commands';
import * as hover from './hover';
import * as links from './links';
import * as newWorkflow from './new-workflow';
import * as references from './references';
import * as rename from './rename';
import type { FeatureRequest } from './requests';
import * as symbols from './symbols';

/**
 * Every request a feature answers, one module per feature. The server registers each on
 * its connection; tests call them in-process through the same `answer`.
 */
export const FEATURE_REQUESTS: readonly FeatureRequest[] = [
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
  dashboard,
  links,
  gateCommands,
  newWorkflow,
].flatMap((m) => m.requests);

/** The feature request of an LSP (or `cdp/…`) method. */
export function featureRequest(method: string): FeatureRequest | undefined {
  return FEATURE_REQUESTS.find((r) => r.type.method === method);
}
