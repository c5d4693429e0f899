import { RULE_DEFAULTS } from './config';
import type { DocEntry, WorkspaceIndex } from './index';
import { RULES } from './rules';
import type { RuleContext } from './rules/rule';
import type { Finding } from './types';
import { buildWorkflows, type WorkflowInstance } from './workflow';

/**
 * The workspace as the rules see it: the index plus the workflow instances derived
 * from it (rebuilt only when the index's structure changes).
 */
export class Analysis implements RuleContext {
  private builtFor = -1;
  private refreshedFor = -1;
  private _workflows: WorkflowInstance[] = [];
  private byUri = new Map<string, WorkflowInstance>();

  /**
   * @param detail keep fixes and related locations on findings (the editor needs them;
   *   a report does not, and 10,000 documents can have 100,000 findings).
   */
  constructor(
    readonly index: WorkspaceIndex,
    readonly detail = true,
  ) {}

  workflows(): WorkflowInstance[] {
    if (this.builtFor !== this.index.structureVersion) {
      this._workflows = buildWorkflows(this.index);
      this.byUri = new Map();
      for (const w of this._workflows) for (const p of w.phases) this.byUri.set(p.uri, w);
      this.builtFor = this.index.structureVersion;
      this.refreshedFor = this.index.version;
    } else if (this.refreshedFor !== this.index.version) {
      // Same shape, newer texts (a box ticked): swap in the current entries.
      for (const w of this._workflows) {
        for (let i = 0; i < w.phases.length; i++)
          w.phases[i] = this.index.get(w.phases[i].uri) ?? w.phases[i];
      }
      this.refreshedFor = this.index.version;
    }
    return this._workflows;
  }

  workflowOf(uri: string): WorkflowInstance | undefined {
    this.workflows();
    return this.byUri.get(uri);
  }

  /** The findings located in one document, with configured severities; `off` rules skipped. */
  check(entry: DocEntry): Finding[] {
    const out: Finding[] = [];
    const settings = this.index.config.rules;
    for (const rule of RULES) {
      const sev = settings[rule.id] ?? RULE_DEFAULTS[rule.id];
      if (sev === 'off') continue;
      const report = (f: Omit<Finding, 'code' | 'severity' | 'uri'>) =>
        out.push(
          this.detail
            ? { code: rule.id, severity: sev, uri: entry.uri, ...f }
            : { code: rule.id, severity: sev, uri: entry.uri, message: f.message, range: f.range },
        );
      try {
        rule.check(this, entry, report);
      } catch (e) {
        // A rule must never take the others down; surface the failure as a finding.
        out.push({
          code: rule.id,
          severity: 'error',
          uri: entry.uri,
          message: `Internal error in rule ${rule.id}: ${e instanceof Error ? e.message : String(e)}`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        });
      }
    }
    out.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
    return out;
  }

  checkAll(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    const entries = [...this.index.all()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    for (const e of entries) out.set(e.uri, this.check(e));
    return out;
  }
}
