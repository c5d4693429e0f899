import type { CancellationToken } from 'vscode-languageserver';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/analysis';
import type { CdpConfig } from '../core/config';
import type { HistoryView } from '../core/dashboard';
import type { CommandResult } from '../core/gates/store';
import type { DocEntry, WorkspaceIndex } from '../core/index';
import type { WorkflowInstance } from '../core/workflow';
import type { ClientSupport } from './client-support';

/**
 * What every LSP feature module is given: the current index and analysis (replaced
 * when settings change, so read them per request), the editor's open documents, and
 * reads that honour the workspace boundary.
 */
export interface FeatureContext {
  readonly index: WorkspaceIndex;
  readonly analysis: Analysis;
  readonly config: CdpConfig;
  /** The open document with this URI, if the editor has it open. */
  openDocument(uri: string): TextDocument | undefined;
  /** A document's text: the editor's when open, else the disk's; undefined when unreadable. */
  readText(uri: string): Promise<string | undefined>;
  /**
   * Whether `uri` is closed and its text on disk is not UTF-8 (as last read: the decoding
   * replaced bytes with U+FFFD). An edit applied to that text would write the replacement
   * characters over the file's own: such edits are refused, or left out.
   */
  notUtf8(uri: string): boolean;
  /** Whether a file exists at `uri` on disk. */
  exists(uri: string): Promise<boolean>;
  /** Names of the entries of a folder on disk ([] when it cannot be listed). */
  listNames(dirUri: string): Promise<string[]>;
  /**
   * Whether a new file may be created at `uri`: nothing exists there (not even a
   * dangling link) and the real path of its nearest existing folder is inside the
   * workspace folder.
   */
  canCreate(uri: string): Promise<boolean>;
  /**
   * Brings the index up to date with the disk for the closed documents among `uris`
   * (file events already received are processed first): each is read again and
   * re-indexed when its text is not the one the index holds. Returns the URIs that
   * changed. Edits for closed documents are computed after this, never from older text.
   */
  syncFromDisk(uris: Iterable<string>, token?: CancellationToken): Promise<string[]>;
  /** The indexed entry of a URI as the client sent it (normalised). */
  entry(uri: string): DocEntry | undefined;
  /** The canonical form of a URI from the client. */
  canonical(uri: string): string;
  /** The URI to send to the client for a canonical URI. */
  clientUri(uri: string): string;
  /** What the client supports (relatedInformation, document changes, file operations, …). */
  readonly clientCapabilities: ClientSupport;
  /** Resolves once indexing is done; throws RequestCancelled if `token` is (or gets) cancelled. */
  ready(token?: CancellationToken): Promise<void>;
  /** `ready(token)`, then the indexed entry of a URI as the client sent it. */
  readyEntry(uri: string, token?: CancellationToken): Promise<DocEntry | undefined>;
  /** Re-checks queued documents immediately (after an edit the server made itself). */
  flush(): void;
  /** Tells the user something the answer to a request cannot carry (a warning shown by the editor). */
  warn(message: string): void;
  /** Who confirms manual gate items from this editor (git user.name, else the OS user). */
  identity(): string;
  /**
   * Progress over time of a workspace folder's workflows, from the last `limit` commits
   * of its repository; a note when it has no history to read.
   */
  history(folder: string, workflows: WorkflowInstance[], limit: number): HistoryView;
  /** Base URL of the rule documentation (`#rule-id` is appended). */
  readonly ruleDocs: string;
  /**
   * For rule documentation read from a file (the extension's own `rules.md`): the 1-based
   * line of each rule's heading, linked as `#L<line>` (what editors open a file at; VS
   * Code ignores a heading's `#rule-id` in a file).
   */
  readonly ruleLines?: ReadonlyMap<string, number>;
  /**
   * The document is served alone (outside every workspace folder, or `untitled:`): the
   * index holds it and nothing else, so links to other documents are not resolved.
   */
  readonly singleDocument?: boolean;
  /**
   * What runs gate-file commands (`cdp/runGateCommand`); absent where nothing may run (a
   * document served alone).
   */
  readonly gateCommands?: GateCommandHost;
}

/** Runs the commands of gate-file checks for the server (node/commands.ts), one at a time. */
export interface GateCommandHost {
  /** The client said the workspace is trusted (initializationOptions or cdp/workspaceTrusted). */
  readonly trusted: boolean;
  /** How long a command may run, in milliseconds (`cdp.gates.commandTimeout`). */
  readonly timeoutMs: number;
  /**
   * Runs a command line with the shell in a folder (a file-system path), after the commands
   * asked for before it have ended; cancelling `token` stops it with its process group.
   */
  run(
    command: string,
    cwd: string,
    timeoutMs: number,
    token: CancellationToken,
  ): Promise<CommandResult & { cancelled?: true }>;
  /** A result was recorded for the gate file: it, its phase and the views are brought up to date now. */
  recorded(gateUri: string): void;
}

/** Why an edit of a closed file that is not UTF-8 is not made (see `FeatureContext.notUtf8`). */
export function notUtf8Reason(rel: string): string {
  return `"${rel}" is not UTF-8 text; open it in the editor to change it`;
}

/** Thrown by feature handlers when their request was cancelled. */
export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/** A request refused with the reason for the user (RequestFailed: the client shows the message). */
export function refuse(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw cancelled();
}
