import type { InitializeParams } from 'vscode-languageserver';
import type { CdpClientExtensions } from '../protocol';

/** The server's own command ids, advertised in `executeCommandProvider` to every client. */
export const SERVER_COMMANDS = {
  checkGate: 'cdp.server.checkGate',
  revealGroup: 'cdp.server.revealGroup',
  /**
   * A code action sent as a Command (to a client that reads no CodeAction literals): the
   * server computes the action again and applies its edit with `workspace/applyEdit`.
   */
  applyCodeAction: 'cdp.server.applyCodeAction',
} as const;

/** The ids a client extension may claim to run itself (the VS Code client does). */
export const CLIENT_COMMANDS = {
  checkGate: 'cdp.checkGate',
  revealGroup: 'cdp.revealGroup',
} as const;

export type CommandName = keyof typeof CLIENT_COMMANDS;

/**
 * What the server may rely on from its client: read once from `initialize` and never
 * guessed from the client's name. A client extension states what it adds beyond the
 * specification in `capabilities.experimental.cdp` (CdpClientExtensions in protocol.ts).
 */
export interface ClientSupport {
  /** `workspace/configuration` pulls. */
  configuration: boolean;
  /** `client/registerCapability` for `workspace/didChangeConfiguration`. */
  configurationRegistration: boolean;
  /** `client/registerCapability` for `workspace/didChangeWatchedFiles`: the client watches for us. */
  watchRegistration: boolean;
  /** `window/workDoneProgress/create`. */
  progress: boolean;
  /** `window/showDocument`. */
  showDocument: boolean;
  relatedInformation: boolean;
  /** Diagnostics may carry `codeDescription` (a link to the rule's documentation). */
  codeDescription: boolean;
  documentChanges: boolean;
  /** `CreateFile` operations in a workspace edit (`resourceOperations` names 'create'). */
  createFiles: boolean;
  /** `RenameFile` operations in a workspace edit (`resourceOperations` names 'rename'). */
  renameFiles: boolean;
  lineFragmentLinks: boolean;
  /** The client completes markdown link paths itself (CdpClientExtensions.markdownPathCompletion). */
  markdownPathCompletion: boolean;
  /** Command ids the client runs itself. */
  clientCommands: ReadonlySet<string>;
  /** Hover text as plain text: the client reads no markdown in hovers. */
  plainHover: boolean;
  /** The outline as a nested tree (`hierarchicalDocumentSymbolSupport`), else a flat list. */
  hierarchicalSymbols: boolean;
  /** Symbol kinds the client knows past File…Array (1–18, the spec's default set). */
  symbolKinds: ReadonlySet<number>;
  /** `textDocument/prepareRename` (`rename.prepareSupport`): only then are RenameOptions advertised. */
  prepareRename: boolean;
  /**
   * `textDocument/codeAction` may answer CodeAction literals (`codeAction.codeActionLiteralSupport`,
   * LSP 3.8); without it only Command literals.
   */
  codeActionLiterals: boolean;
  /** `workspace/applyEdit`: the server may ask the client to apply a WorkspaceEdit. */
  applyEdit: boolean;
  /** Completion items may carry `labelDetails` (`completionItem.labelDetailsSupport`, LSP 3.17). */
  labelDetails: boolean;
  /**
   * Completion items may carry `filterText`. Neovim before 0.8 takes an item's `textEdit`
   * range only when it has none, and otherwise keeps just the items whose text starts with
   * the word under the cursor: `[[helix.v` or `](../01-frame/v` then offered nothing.
   */
  filterText: boolean;
  /** Document links may carry a `tooltip` (`documentLink.tooltipSupport`, LSP 3.15). */
  linkTooltips: boolean;
  /** Code actions may carry `isPreferred` (`codeAction.isPreferredSupport`, LSP 3.15). */
  preferredActions: boolean;
}

export function clientSupport(params: InitializeParams): ClientSupport {
  const caps = params.capabilities ?? {};
  const ext = (caps.experimental as { cdp?: unknown } | undefined)?.cdp;
  const cdp: { [K in keyof CdpClientExtensions]?: unknown } = ext && typeof ext === 'object' ? ext : {};
  const commands = Array.isArray(cdp.commands) ? cdp.commands.filter((c) => typeof c === 'string') : [];
  const edit = caps.workspace?.workspaceEdit;
  // File operations travel in `documentChanges`: a client that announces them reads those
  // (Neovim 0.7 announces resourceOperations without documentChanges, and applies both).
  const operations = Array.isArray(edit?.resourceOperations) ? edit.resourceOperations : [];
  return {
    configuration: caps.workspace?.configuration === true,
    configurationRegistration:
      caps.workspace?.configuration === true &&
      caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    watchRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    progress: caps.window?.workDoneProgress === true,
    showDocument: caps.window?.showDocument?.support === true,
    relatedInformation: !!caps.textDocument?.publishDiagnostics?.relatedInformation,
    codeDescription: !!caps.textDocument?.publishDiagnostics?.codeDescriptionSupport,
    documentChanges: !!edit?.documentChanges,
    createFiles: operations.includes('create'),
    renameFiles: operations.includes('rename'),
    lineFragmentLinks: cdp.lineFragmentLinks === true,
    markdownPathCompletion: cdp.markdownPathCompletion === true,
    clientCommands: new Set(commands),
    // Markdown only where announced (a client that says nothing gets plain text).
    plainHover: !(caps.textDocument?.hover?.contentFormat ?? []).includes('markdown'),
    hierarchicalSymbols: caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    prepareRename: caps.textDocument?.rename?.prepareSupport === true,
    codeActionLiterals: !!caps.textDocument?.codeAction?.codeActionLiteralSupport,
    applyEdit: caps.workspace?.applyEdit === true,
    labelDetails: caps.textDocument?.completion?.completionItem?.labelDetailsSupport === true,
    filterText: !(
      params.clientInfo?.name === 'Neovim' && /^0\.[0-7](?:\.|$)/.test(params.clientInfo.version ?? '')
    ),
    linkTooltips: caps.textDocument?.documentLink?.tooltipSupport === true,
    preferredActions: caps.textDocument?.codeAction?.isPreferredSupport === true,
    symbolKinds: new Set(
      [
        ...(caps.textDocument?.documentSymbol?.symbolKind?.valueSet ?? []),
        ...(caps.workspace?.symbol?.symbolKind?.valueSet ?? []),
      ].filter((k) => typeof k === 'number'),
    ),
  };
}

/** The command id a code lens names: the client's own when it claimed it, else the server's. */
export function commandId(support: Pick<ClientSupport, 'clientCommands'>, name: CommandName): string {
  const own = CLIENT_COMMANDS[name];
  return support.clientCommands.has(own) ? own : SERVER_COMMANDS[name];
}
