/**
 * Custom requests and notifications between the CDP language server and its clients.
 * Imported by the server and by the VS Code client; depends on nothing but the LSP
 * type definitions, so any editor can implement the same calls.
 */
import {
  NotificationType,
  type Range,
  RequestType,
  RequestType0,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export type GroupKind = 'entry' | 'exit' | 'gate' | 'checklist';

export interface CriterionDto {
  /** 0-based line of the item. */
  line: number;
  checked: boolean;
  /** The item's text as written (markdown). */
  text: string;
  /** The text as rendered (links as their text, no emphasis markers), where it differs. */
  shown?: string;
  range: Range;
  /** Items of gate files: passed, failed, not-evaluated (a command), unconfirmed (manual). */
  state?: 'passed' | 'unchecked' | 'failed' | 'not-evaluated' | 'unconfirmed';
  /** Why it is not met, or who confirmed it. */
  reason?: string;
  /** A manual item: ticking it records a confirmation. */
  manual?: boolean;
  /** A gate-file item written `required: false`: its group passes without it. */
  optional?: boolean;
  /** A gate file's check: its type (`file_exists`, …; `command` for a bare command). */
  check?: string;
  /** A gate file's check: the path it looks at, as written. */
  path?: string;
  /** A gate-file check that runs a command: the command line as written (see RunGateCommandRequest). */
  command?: string;
}

export interface GroupDto {
  heading: string;
  kind: GroupKind;
  /** 0-based line of the heading (-1 for items before any heading). */
  line: number;
  total: number;
  checked: number;
  /** Every item ticked and at least one item: an empty group is never passed. */
  passed: boolean;
  /** Why it is not passed ("Security Sign-off Gate has no criteria"); absent when passed. */
  reason?: string;
  items: CriterionDto[];
  /** The gate file the group was read from (its items' lines are lines of that file). */
  file?: string;
  /**
   * The group's criteria are list items without checkboxes, this many: `total` counts them,
   * `items` is empty, none can be ticked.
   */
  untracked?: number;
  /** With `untracked`: the 0-based lines of those list items in the phase document. */
  untrackedLines?: number[];
  /** With `untrackedLines`: each item's text as rendered (markup and link targets left out), in the same order. */
  untrackedShown?: string[];
  /** The gate file `file` cannot be read (invalid-gate-file): no items, never passed. */
  unreadable?: boolean;
}

/**
 * Where a phase stands, as every front end says it (`server/src/core/phase-state.ts`):
 * passed, current (the workflow's first phase not complete), in progress (a later phase
 * someone worked on), not started.
 */
export type PhaseState = 'passed' | 'current' | 'in-progress' | 'not-started';

export interface PhaseDto {
  /**
   * The phase document; for a phase that stands for a folder of documents (no phase
   * document, no gate files), the folder's URI, ending in `/`.
   */
  uri: string;
  /** "05" */
  phase: string;
  name: string;
  title: string;
  total: number;
  checked: number;
  complete: boolean;
  started: boolean;
  /** The phase document has error-severity diagnostics (shown beside the state). */
  hasErrors: boolean;
  /**
   * A gate of the phase is failing (shown beside the state): an entry, exit or gate group
   * that can never pass as written, or one unmet while a later phase was started.
   */
  failingGates: boolean;
  /** What keeps the phase current: one line per group that is not passed. */
  reasons: string[];
  /** The phase's state; none for a definition's phases (templates, not work under way). */
  state?: PhaseState;
  groups: GroupDto[];
  /** Documents whose `phase` metadata names this phase. */
  artifacts?: { uri: string; title: string }[];
  /** The version of the phase document these rows were read from, while it is open in the editor. */
  version?: number;
}

export interface WorkflowDto {
  id: string;
  name: string;
  /** URI of the workspace folder it lives in. */
  folder: string;
  /** Phase id of the first incomplete phase, if any (never for a definition). */
  current?: string;
  phases: PhaseDto[];
  /** A workflow definition (templates): shown with item counts, not progress. */
  definition?: boolean;
  /**
   * A definition's own name where `name` is its `phases/` (or `activities/`) folder's: the
   * `name:` of the `workflow.yml` beside that folder, else the folder holding it.
   */
  definitionName?: string;
  /**
   * Phases whose file was not read (larger than `cdp.files.maxFileSizeKB`, binary content,
   * permission denied, a name not valid UTF-8) and that no other document stands for: not in `phases`, their criteria unknown, so no
   * gate from them on passes. Absent when there are none.
   */
  unreadPhases?: UnreadPhaseDto[];
}

/** A phase file that was not read (see `WorkflowDto.unreadPhases`). */
export interface UnreadPhaseDto {
  /** The phase's id ("02"). */
  phase: string;
  uri: string;
  /** Why it was not read ("larger than cdp.files.maxFileSizeKB (2048 KB)"). */
  reason: string;
}

export interface WorkflowsParams {
  /** Only the workflow containing this document. */
  uri?: string;
}

export interface WorkflowsResult {
  /** False while the workspace is still being indexed. */
  ready: boolean;
  workflows: WorkflowDto[];
}

export const WorkflowsRequest = new RequestType<WorkflowsParams, WorkflowsResult, void>('cdp/workflows');

export interface CheckGateParams {
  /** Workflow id (see WorkflowDto.id); all workflows when omitted. */
  workflow?: string;
  /** Phase number ("05") or name ("Release"). Every phase when omitted. */
  phase?: string;
  /** A group heading, `entry`, `exit`, `gates` or `all`; entry, exit and gate groups when omitted. */
  group?: string;
  /**
   * With `group`: the 0-based line of the one heading meant (a code lens's), whose own
   * items and the sections under it are judged; every heading of that name when omitted.
   */
  line?: number;
  /** With `phase`: every phase up to and including it. */
  upTo?: boolean;
  /**
   * Release readiness: every phase up to the release phase (`phase`, else the server's
   * `cdp.phases.releasePhase`); every phase of a workflow that has none, as the dashboard.
   */
  readiness?: boolean;
}

/** Which phases a readiness verdict covers, per workflow. */
export interface ReadinessCoverDto {
  workflow: string;
  /** The last phase covered ("05"): the release phase, or the last phase when none matched. */
  upTo?: string;
  /** Set when no phase matched the release phase: readiness covers every phase. */
  note?: string;
}

export interface GateUnmetDto {
  /** The phase document, or the gate file the item is written in. */
  uri: string;
  line: number;
  text: string;
  /** The text as rendered, where it differs (see CriterionDto). */
  shown?: string;
  group: string;
  state?: CriterionDto['state'];
  reason?: string;
}

export interface GateVerdictDto {
  workflow: string;
  phase: string;
  name: string;
  uri: string;
  groups: {
    heading: string;
    kind: GroupKind;
    total: number;
    checked: number;
    passed: boolean;
    reason?: string;
    /** A gate file that cannot be read (never passed). */
    unreadable?: boolean;
    /** Criteria written as list items without checkboxes, this many (see GroupDto). */
    untracked?: number;
  }[];
  passed: boolean;
  /** Why it failed: one line per group not passed ("Security Sign-off Gate has no criteria"). */
  reasons: string[];
  total: number;
  checked: number;
  unmet: GateUnmetDto[];
  /**
   * Set on the failed verdict of a workflow that has no phase `phase` names (one it skips,
   * one not written yet, its file not read), as `cdp check --phase` fails it: `phase` is
   * the phase asked for, `name` is empty, `uri` the workflow's last phase document (or the
   * phase's file not read) and `reasons` says why ("Workflow wf has no phase 02: the
   * workflow skips it"); it has no groups and no criteria.
   */
  missing?: boolean;
}

export interface CheckGateResult {
  /** True when every verdict passed (and there is at least one). */
  passed: boolean;
  verdicts: GateVerdictDto[];
  /** Set when nothing matched the selection. */
  message?: string;
  /** For a readiness check: the phases each workflow's verdict covers. */
  covers?: ReadinessCoverDto[];
  /**
   * For a check of one phase: why workflows without it were left out rather than failed
   * (it is optional, a 00; a phase only another known workflow has; a group their phase
   * lacks), as `cdp check --phase` says on standard error.
   */
  leftOut?: string[];
}

export const CheckGateRequest = new RequestType<CheckGateParams, CheckGateResult, void>('cdp/checkGate');

export interface ToggleCriterionParams {
  uri: string;
  /** 0-based line of the criterion. */
  line: number;
  /**
   * The criterion's text as the caller saw it: as written (`CriterionDto.text`) or as shown
   * (`CriterionDto.shown`); the toggle is refused if the line no longer holds it.
   */
  expectedText: string;
  /** The state wanted; toggles when omitted. */
  checked?: boolean;
  /**
   * The version of the open document the caller's line and text come from (`PhaseDto.version`):
   * when the document changed since, refused if the criterion's text stands on more than one
   * line, or stood on more than one in that version, so that of two criteria with the same
   * text the one shown is ticked; a text found on one line alone, now and in the version
   * shown, is the criterion shown, moved or not. A version the server did not give (or no
   * longer remembers) follows no moved criterion: the line must still hold it. Without it
   * only the line and text are checked.
   */
  version?: number;
}

export interface ToggleCriterionResult {
  /** The edit to apply (one character), when the criterion is still there. */
  edit?: WorkspaceEdit;
  /** Why nothing is to be done. */
  refused?: string;
  /**
   * With `refused`: where the user can act on it, e.g. the entry of an already confirmed
   * manual item in `.cdp/confirmations.yml` (0-based line).
   */
  location?: { uri: string; line: number };
}

export const ToggleCriterionRequest = new RequestType<ToggleCriterionParams, ToggleCriterionResult, void>(
  'cdp/toggleCriterion',
);

export interface ProgressChangedParams {
  /** Increases with every change of any workflow's progress or shape. */
  version: number;
  /** True once the initial indexing is finished. */
  ready: boolean;
}

export const ProgressChangedNotification = new NotificationType<ProgressChangedParams>('cdp/progressChanged');

export interface IndexingParams {
  /** False while the server lists and reads the documents; true once the index is complete. */
  ready: boolean;
  /** Documents read so far. */
  done: number;
  /** Documents to read (0 while the files are still being listed). */
  total: number;
}

/**
 * Sent when indexing starts, as it goes (at most every 100 ms) and when it ends, so a view can
 * say "Indexing 268/3300" instead of "nothing found" while the workspace is being read.
 */
export const IndexingNotification = new NotificationType<IndexingParams>('cdp/indexing');

export interface ServerProcessResult {
  /** The operating-system process id of the language server. */
  pid: number;
}

/**
 * Which process is serving this connection: tells one server process from the next after a
 * crash and restart, and names the process to inspect when the server hangs.
 */
export const ServerProcessRequest = new RequestType0<ServerProcessResult, void>('cdp/serverProcess');

/**
 * What a client adds beyond the LSP specification, sent in `initialize` as
 * `capabilities.experimental.cdp`. The VS Code client sends
 * `{ lineFragmentLinks: true, commands: ['cdp.checkGate', 'cdp.revealGroup', 'cdp.runGateCommands'],
 *   markdownPathCompletion: true }`;
 * other editors send nothing and get the specification's behaviour.
 */
export interface CdpClientExtensions {
  /** Document links to a heading may end in `#L<line>` (1-based). */
  lineFragmentLinks?: boolean;
  /**
   * Command ids the client runs itself; code lenses then name these instead of `cdp.server.*`.
   * `cdp.runGateCommands` (arguments `[{ uri, line }]`): the client asks the user, then runs
   * gate commands with `cdp/runGateCommand`; the server then offers it as a quick fix on
   * commands not run and names it in their reasons.
   */
  commands?: string[];
  /**
   * The client completes the paths of markdown links itself (VS Code's markdown support
   * does, after `](`): the server then offers none there.
   */
  markdownPathCompletion?: boolean;
}

/**
 * Initialization options the server reads besides settings (`initializationOptions`):
 * `workspaceTrusted: true` tells it that the user trusts the workspace, so that it may
 * run the commands of gate files when asked (`cdp/runGateCommand`). A client that does
 * not send it (or sends anything but `true`) is taken as untrusted: nothing is run.
 */
export interface CdpInitializationOptions {
  /** Where the server may keep its index cache. */
  storagePath?: string;
  /** The server watches the workspace folders itself, even when the client offers to. */
  watchFiles?: boolean;
  /** The user trusts the workspace: gate commands may be run on request. */
  workspaceTrusted?: boolean;
}

/**
 * The user granted trust to the workspace after the server started (VS Code's workspace
 * trust): from now on `cdp/runGateCommand` may run commands. There is no way back: a
 * client whose workspace loses trust restarts the server (VS Code reloads the window).
 */
export const WorkspaceTrustedNotification = new NotificationType<Record<string, never>>(
  'cdp/workspaceTrusted',
);

/**
 * The client command that asks the user and runs gate commands (arguments: none, or
 * `[{ uri, line }]` for the check on a line of a gate file), when the client names it in
 * CdpClientExtensions.commands.
 */
export const RUN_GATE_COMMANDS_COMMAND = 'cdp.runGateCommands';

export interface RunGateCommandParams {
  /** The gate file. */
  uri: string;
  /** 0-based line of the check. */
  line: number;
  /**
   * The command line as the user was shown it: refused when the check on that line now
   * runs anything else (the file changed since).
   */
  command: string;
}

export interface RunGateCommandResult {
  /** Why nothing ran (the workspace is not trusted, the check changed, …); nothing else is set then. */
  refused?: string;
  /** Set with `refused` when the reason is that the workspace is not trusted (no command will run). */
  untrusted?: true;
  /** The check's state with this result. */
  state?: CriterionDto['state'];
  /** Why it is not met (or what it met). */
  reason?: string;
  /** The end of the command's output. */
  output?: string;
  /** The exit code, when it ran to its end. */
  exit?: number;
  /** Seconds after which it was stopped, when it ran too long. */
  timedOutAfter?: number;
  /** The folder it ran in (a file-system path). */
  cwd?: string;
  /** How long it ran, in milliseconds. */
  ms?: number;
  /** The result was not kept: the gate file changed while the command ran. */
  discarded?: string;
}

/**
 * Runs the command of one gate-file check (in its workspace folder, stopped after
 * `cdp.gates.commandTimeout` seconds) and keeps its result for the session: diagnostics,
 * `cdp/workflows` and hover then show the check passed or failed. Runs nothing unless the
 * client said the workspace is trusted (CdpInitializationOptions, WorkspaceTrustedNotification);
 * one command at a time; cancelling the request stops the command's process group.
 */
export const RunGateCommandRequest = new RequestType<RunGateCommandParams, RunGateCommandResult, void>(
  'cdp/runGateCommand',
);

export interface DashboardParams {
  /**
   * Read progress over time from git: at most this many commits that touched the phase
   * documents, per workflow. 0 or absent: no history (the answer has none).
   */
  historyCommits?: number;
}

export interface DashboardResult {
  /** False while the workspace is still being indexed. */
  ready: boolean;
  /**
   * The release dashboard's view model (`DashboardView` of `server/src/core/dashboard.ts`,
   * rendered by `server/src/dashboard/render.ts`): files are shown as paths relative to
   * their workspace folder (prefixed with the folder's name in a multi-root workspace),
   * lines are 1-based.
   */
  view: unknown;
  /** The URI of each file the view names: the only documents the dashboard opens. */
  uris: Record<string, string>;
}

export const DashboardRequest = new RequestType<DashboardParams, DashboardResult, void>('cdp/dashboard');

export interface LinksParams {
  /** The document whose links are asked for. */
  uri: string;
}

/** One row of the Links view: a document, and where in it to land. */
export interface LinkItemDto {
  /** The document to open. */
  uri: string;
  /**
   * Where to land in `uri`: the link's own range for an outgoing link or a backlink (in
   * the linking document for a backlink), the dependency entry for "depended on by", the
   * target's title otherwise.
   */
  range: Range;
  /** The document's title, else its path relative to its workspace folder. */
  label: string;
  /** Its path relative to its workspace folder. */
  rel: string;
  /** Its DDX id, when it declares one. */
  id?: string;
  /** For a link: the link as written (`[[FEAT-004#Scope]]`). */
  link?: string;
  /** For an outgoing link: the 0-based line it is written on in the document shown. */
  line?: number;
  /** For an outgoing link to a folder: `uri` is the folder (shown in the Explorer, not opened). */
  folder?: true;
}

export interface LinksResult {
  /** False while the workspace is still being indexed (then the lists are empty). */
  ready: boolean;
  /** Whether the document is part of a CDP workspace folder. */
  known: boolean;
  /** Resolved wikilinks of the document (body and metadata), in document order. */
  outgoing: LinkItemDto[];
  /** Links of other documents (and of itself, to its own headings) that resolve to it. */
  backlinks: LinkItemDto[];
  /** The documents its `depends_on` entries name, in order, without repeats. */
  dependsOn: LinkItemDto[];
  /** The documents whose `depends_on` names its id. */
  dependents: LinkItemDto[];
}

export const LinksRequest = new RequestType<LinksParams, LinksResult, void>('cdp/links');

export interface PlanInstanceParams {
  /** Id of a workflow definition (`WorkflowDto.id` with `definition: true`). */
  definition: string;
  /** URI of the folder the new workflow goes into (the folder itself, not yet existing). */
  folder: string;
}

export interface PlanInstanceResult {
  /** Why no workflow can be made there (the folder lies inside a definition, …); then no files. */
  refused?: string;
  /** The files to write: the definition's phase documents and gate files, as the copy has them. */
  files: { uri: string; text: string }[];
  /**
   * Path values of the copied gate files that name the definition's phases' files but have
   * no place in the copy: kept as written (0-based line).
   */
  unmapped: { uri: string; line: number; value: string }[];
}

/**
 * What "New Workflow…" writes for a copy of a workflow definition in `folder` (see
 * core/instance.ts): computed on the server, which reads the links and gate files. Writes nothing.
 */
export const PlanInstanceRequest = new RequestType<PlanInstanceParams, PlanInstanceResult, void>(
  'cdp/planInstance',
);

/** Why a gate file's check is not ticked or confirmed: the server's refusal and the editor's note say it alike. */
export function checkItemNote(text: string): string {
  return `"${text}" is a check, not a manual gate item: it is met when the workspace satisfies it, not ticked.`;
}
