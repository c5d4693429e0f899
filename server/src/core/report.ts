import type { Analysis } from './analysis';
import type { DocEntry } from './index';
import type { Finding, Notice, Severity } from './types';
import { phaseProgress } from './workflow';

/** The JSON report of `cdp check --format json`, version 1. Lines and columns are 1-based. */
export interface JsonReport {
  version: 1;
  root: string;
  workflows: {
    id: string;
    phases: {
      phase: string;
      name: string;
      file: string;
      complete: boolean;
      groups: {
        heading: string;
        kind: string;
        line: number;
        total: number;
        checked: number;
        passed: boolean;
        unmet: { text: string; line: number }[];
      }[];
    }[];
  }[];
  diagnostics: JsonDiagnostic[];
  notices: { file: string; message: string }[];
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function buildReport(
  analysis: Analysis,
  root: string,
  diagnostics: JsonDiagnostic[],
  notices: Notice[],
  fileOf: (uri: string) => string,
  include: (e: DocEntry) => boolean = () => true,
): JsonReport {
  const workflows = analysis
    .workflows()
    .filter((w) => w.phases.some(include))
    .map((w) => ({
      id: w.id,
      phases: w.phases.map((p) => {
        const prog = phaseProgress(p);
        return {
          phase: p.phase!.id,
          name: p.phase!.name,
          file: fileOf(p.uri),
          complete: prog.complete,
          groups: prog.groups.map((g) => ({
            heading: g.heading,
            kind: g.kind,
            line: g.line + 1,
            total: g.total,
            checked: g.checked,
            passed: g.passed,
            unmet: g.items.filter((i) => !i.checked).map((i) => ({ text: i.text, line: i.line + 1 })),
          })),
        };
      }),
    }));
  return {
    version: 1,
    root,
    workflows,
    diagnostics,
    notices: notices.map((n) => ({ file: fileOf(n.uri), message: n.message })),
  };
}

/** One finding as the JSON report writes it (1-based positions, file relative to the root). */
export function toJsonDiagnostic(f: Finding, fileOf: (uri: string) => string): JsonDiagnostic {
  return {
    file: fileOf(f.uri),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
  };
}
