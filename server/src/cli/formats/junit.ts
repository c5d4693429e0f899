import { type CheckData, type CiGroup, type CiPhase, gateGroups, unmetReason } from './data';
import { element, xmlEscape } from './xml';

interface Suite {
  name: string;
  file?: string;
  cases: string[];
  failures: number;
}

function groupSuite(workflow: string, phase: Pick<CiPhase, 'phase' | 'name' | 'file'>, g: CiGroup): Suite {
  const name = `${workflow} / ${phase.phase} ${phase.name} / ${g.heading}`;
  const classname = `${workflow}.${phase.phase}-${phase.name}.${g.heading}`;
  const unmet = new Map(g.unmet.map((u) => [u.line, u]));
  const cases: string[] = [];
  let failures = 0;
  for (const it of g.items) {
    const attrs = { name: it.text, classname, file: phase.file, line: it.line };
    if (it.checked) {
      cases.push(element('testcase', attrs));
      continue;
    }
    const reason = unmetReason(unmet.get(it.line) ?? {});
    failures++;
    cases.push(
      element(
        'testcase',
        attrs,
        element(
          'failure',
          { message: reason, type: 'unmet' },
          xmlEscape(`${phase.file}:${it.line}: ${it.text} (${reason})`),
        ),
      ),
    );
  }
  if (g.items.length === 0) {
    failures++;
    const message = 'the group has no criteria, so it cannot pass';
    cases.push(
      element(
        'testcase',
        { name: '(no criteria)', classname, file: phase.file, line: g.line > 0 ? g.line : undefined },
        element('failure', { message, type: 'empty-gate' }, xmlEscape(`${phase.file}:${g.line}: ${message}`)),
      ),
    );
  }
  return { name, file: phase.file, cases, failures };
}

/**
 * The report as JUnit XML: each checklist group a test suite (only the selected gates'
 * groups when a phase or gate was selected), each criterion a test case, an unmet one
 * failed with its reason; the findings as one more suite, errors and warnings failed.
 */
export function toJunit(data: CheckData): string {
  const suites: Suite[] = [];
  if (data.gates) {
    for (const g of data.gates) {
      for (const group of gateGroups(data, g)) suites.push(groupSuite(g.workflow, g, group));
    }
  } else {
    for (const w of data.workflows)
      for (const p of w.phases) for (const group of p.groups) suites.push(groupSuite(w.id, p, group));
  }
  const findings: Suite = { name: 'cdp findings', cases: [], failures: 0 };
  for (const d of data.diagnostics) {
    const where = `${d.file}:${d.line}:${d.column}`;
    const attrs = { name: `${d.code} ${where}`, classname: `findings.${d.code}`, file: d.file, line: d.line };
    if (d.severity === 'error' || d.severity === 'warning') {
      findings.failures++;
      findings.cases.push(
        element(
          'testcase',
          attrs,
          element(
            'failure',
            { message: d.message, type: d.severity },
            xmlEscape(`${where} ${d.severity} ${d.code}: ${d.message}`),
          ),
        ),
      );
    } else {
      findings.cases.push(
        element('testcase', attrs, element('system-out', {}, xmlEscape(`${d.severity}: ${d.message}`))),
      );
    }
  }
  suites.push(findings);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="cdp check" tests="${tests}" failures="${failures}" errors="0">`);
  suites.forEach((s, id) => {
    const attrs = {
      name: s.name,
      id,
      tests: s.cases.length,
      failures: s.failures,
      errors: 0,
      skipped: 0,
      file: s.file,
    };
    if (s.cases.length === 0) lines.push(`  ${element('testsuite', attrs)}`);
    else lines.push(`  ${element('testsuite', attrs, `\n    ${s.cases.join('\n    ')}\n  `)}`);
  });
  lines.push('</testsuites>');
  return lines.join('\n');
}
