import type { DocEntry, FolderPhaseEntry, WorkspaceIndex } from '../index';
import type { Finding, RuleId, Severity } from '../types';
import type { WorkflowInstance } from '../workflow';

/** What a rule may look at: the index and the workflow instances (`Analysis` provides it). */
export interface RuleContext {
  readonly index: WorkspaceIndex;
  workflowOf(uri: string): WorkflowInstance | undefined;
  /** The folder gaps reported on a document (`WorkflowInstance.folderGaps`): one map lookup. */
  folderGapsOn(uri: string): readonly { workflow: WorkflowInstance; dir: string }[] | undefined;
  /** The phase a document that is no phase document is an artifact of (`WorkflowInstance.artifacts`), and its instance. */
  artifactOf(uri: string): { workflow: WorkflowInstance; phase: DocEntry } | undefined;
  /** The phase that is a folder of documents whose findings go on this document (`FolderPhaseEntry.on`). */
  folderPhaseOn(uri: string): FolderPhaseEntry | undefined;
  /** Whether the document belongs to a workflow definition (templates, not a live workflow). */
  isDefinitionDocument(e: DocEntry): boolean;
  /** The folder of the workflow instance a document lies in, '' outside every one (ids are unique within it). */
  scopeOf(e: DocEntry): string;
  /** The folder of the workflow instance under way a document lies in, undefined outside every one. */
  instanceRootOf(e: DocEntry): string | undefined;
  /**
   * Whether findings keep their fixes and related locations (the editor needs them, a
   * report drops them): without, rules may leave them out rather than compute them.
   */
  readonly detail: boolean;
}

/**
 * Reports a finding at the rule's configured severity; with `atMost`, at no more than that
 * (a finding that is a notice rather than an error of the rule's kind).
 */
export type Report = (f: Omit<Finding, 'code' | 'severity' | 'uri'> & { atMost?: Severity }) => void;

export interface Rule {
  id: RuleId;
  /** Reports the rule's findings located in `entry`. */
  check(analysis: RuleContext, entry: DocEntry, report: Report): void;
}
