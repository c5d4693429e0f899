import type { ClientCapabilities, FeatureState, StaticFeature } from 'vscode-languageclient';
import { type CdpClientExtensions, RUN_GATE_COMMANDS_COMMAND } from '../../server/src/protocol';

/** The commands this extension registers itself and wants code lenses to name. */
export const CLIENT_RUN_COMMANDS = ['cdp.checkGate', 'cdp.revealGroup', RUN_GATE_COMMANDS_COMMAND];

/**
 * Tells the server what this client handles beyond the LSP specification
 * (`capabilities.experimental.cdp`): `#L` line fragments in document links, the gate
 * check and group reveal commands, which it runs with its own richer UI, and *Run Gate
 * Commands…*, which the server's reasons and quick fixes then name, and the paths of
 * markdown links, which VS Code's markdown support completes. The server
 * then keeps its own command ids (`cdp.server.*`, which vscode-languageclient registers
 * from `executeCommandProvider`) apart from ours, so no id is registered twice.
 */
export class CdpClientExtensionsFeature implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    const cdp: CdpClientExtensions = {
      lineFragmentLinks: true,
      commands: CLIENT_RUN_COMMANDS,
      // VS Code's markdown support completes paths after `](`: the server's would repeat them.
      markdownPathCompletion: true,
    };
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), cdp };
  }

  initialize(): void {}

  getState(): FeatureState {
    return { kind: 'static' };
  }

  clear(): void {}
}
