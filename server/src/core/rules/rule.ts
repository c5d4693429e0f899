import type { DocEntry, WorkspaceIndex } from '../index';
import type { Finding, RuleId } from '../types';
import type { WorkflowInstance } from '../workflow';

/** What a rule may look at: the index and the workflow instances (`Analysis` provides it). */
export interface RuleContext {
  readonly index: WorkspaceIndex;
  workflowOf(uri: string): WorkflowInstance | undefined;
}

export type Report = (f: Omit<Finding, 'code' | 'severity' | 'uri'>) => void;

export interface Rule {
  id: RuleId;
  /** Reports the rule's findings located in `entry`. */
  check(analysis: RuleContext, entry: DocEntry, report: Report): void;
}
