import { noCheckboxText } from '../../core/model';
import { gated, NO_CRITERIA } from '../../core/workflow';
import { type CheckData, type CiGroup, type CiPhase, gateGroups, unmetReason } from './data';
import { element, xmlEscape } from './xml';

interface Suite {
  name: string;
  file?: string;
  cases: string[];
  failures: number;
  skipped: number;
}

function groupSuite(
  workflow: string,
  phase: Pick<CiPhase, 'phase' | 'name' | 'file'>,
  g: CiGroup,
  fileOf: (file: string) => string,
): Suite {
  const phaseFile = fileOf(phase.file);
  const name = `${workflow} / ${phase.phase} ${phase.name} / ${g.heading}`;
  const classname = `${workflow}.${phase.phase}-${phase.name}.${g.heading}`;
  const unmet = new Map(g.unmet.map((u) => [u.line, u]));
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  const optional = new Map((g.optional ?? []).map((u) => [u.line, u]));
  for (const it of g.items) {
    const file = fileOf(it.file ?? phase.file);
    const attrs = { name: it.text, classname, file, line: it.line };
    if (it.checked) {
      cases.push(element('testcase', attrs));
      continue;
    }
    if (it.optional) {
      // Not met, but its group passes without it: skipped, not failed.
      skipped++;
      const why = unmetReason(optional.get(it.line) ?? {});
      cases.push(element('testcase', attrs, element('skipped', { message: `optional: ${why}` })));
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
          xmlEscape(`${file}:${it.line}: ${it.text} (${reason})`),
        ),
      ),
    );
  }
  if (g.items.length === 0) {
    failures++;
    // A group read from a gate file is shown on that file (its line is the file's).
    const groupFile = g.file ? fileOf(g.file) : phaseFile;
    const untracked = g.untracked ?? 0;
    const message = g.unreadable
      ? 'the gate file cannot be read, so it cannot pass'
      : g.reason === NO_CRITERIA
        ? `${NO_CRITERIA}, so it cannot pass`
        : untracked > 0
          ? `${noCheckboxText(untracked)}: none can be ticked off`
          : 'the group has no criteria, so it cannot pass';
    cases.push(
      element(
        'testcase',
        {
          name: g.unreadable
            ? '(cannot be read)'
            : untracked > 0
              ? '(list items without checkboxes)'
              : '(no criteria)',
          classname,
          file: groupFile,
          line: g.line > 0 ? g.line : undefined,
        },
        element(
          'failure',
          { message, type: g.unreadable ? 'invalid-gate-file' : untracked > 0 ? 'unmet' : 'empty-gate' },
          xmlEscape(`${groupFile}:${g.line}: ${message}`),
        ),
      ),
    );
  }
  return { name, file: phaseFile, cases, failures, skipped };
}

/**
 * The report as JUnit XML, in pieces of whole lines (each ending with a line break): each
 * checklist group a test suite (only the selected gates'
 * groups when a phase or gate was selected), each criterion a test case, an unmet one
 * failed with its reason; the findings as one more suite, errors and warnings failed.
 * `fileOf` maps a report file (relative to the root) to the file the CI tool resolves.
 */
export function* junitPieces(
  data: CheckData,
  fileOf: (file: string) => string = (f) => f,
): Generator<string> {
  const groups: { workflow: string; phase: Pick<CiPhase, 'phase' | 'name' | 'file'>; group: CiGroup }[] = [];
  if (data.gates) {
    for (const g of data.gates) {
      const selected = gateGroups(data, g);
      for (const group of selected) groups.push({ workflow: g.workflow, phase: g, group });
      // A phase with no entry, exit or gate group fails its gate: one failed case says so.
      if (selected.length === 0 && !g.passed)
        groups.push({
          workflow: g.workflow,
          phase: g,
          group: {
            heading: '(no groups)',
            kind: 'gate',
            line: 1,
            total: 0,
            checked: 0,
            passed: false,
            // The phase's reason, not a group's: it marks this stand-in.
            reason: NO_CRITERIA,
            unmet: [],
            items: [],
          },
        });
    }
  } else {
    for (const w of gated(data.workflows))
      for (const p of w.phases)
        for (const group of p.groups) groups.push({ workflow: w.id, phase: p, group });
  }
  // The totals come first in the file: counted before anything is written.
  const failing = (d: { severity: string }) => d.severity === 'error' || d.severity === 'warning';
  let tests = data.diagnostics.length;
  let failures = data.diagnostics.filter(failing).length;
  for (const { group } of groups) {
    tests += Math.max(group.items.length, 1);
    failures += group.items.length === 0 ? 1 : group.items.filter((i) => !i.checked && !i.optional).length;
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="cdp check" tests="${tests}" failures="${failures}" errors="0">\n`;
  const open = (s: Omit<Suite, 'cases'> & { tests: number }, id: number) =>
    element('testsuite', {
      name: s.name,
      id,
      tests: s.tests,
      failures: s.failures,
      errors: 0,
      skipped: s.skipped,
      file: s.file,
    }).slice(0, -2);
  let id = 0;
  for (const { workflow, phase, group } of groups) {
    const s = groupSuite(workflow, phase, group, fileOf);
    yield `  ${open({ ...s, tests: s.cases.length }, id++)}>\n    ${s.cases.join('\n    ')}\n  </testsuite>\n`;
  }
  const findings = data.diagnostics.length;
  const head = open(
    { name: 'cdp findings', failures: data.diagnostics.filter(failing).length, tests: findings, skipped: 0 },
    id,
  );
  if (findings === 0) yield `  ${head}/>\n`;
  else {
    yield `  ${head}>\n`;
    let buf = '';
    for (const d of data.diagnostics) {
      const file = fileOf(d.file);
      const where = `${file}:${d.line}:${d.column}`;
      const attrs = {
        name: `${d.code} ${where}`,
        classname: `findings.${d.code}`,
        file,
        line: d.line,
      };
      const inner = failing(d)
        ? element(
            'failure',
            { message: d.message, type: d.severity },
            xmlEscape(`${where} ${d.severity} ${d.code}: ${d.message}`),
          )
        : element('system-out', {}, xmlEscape(`${d.severity}: ${d.message}`));
      buf += `    ${element('testcase', attrs, inner)}\n`;
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    yield `${buf}  </testsuite>\n`;
  }
  yield '</testsuites>\n';
}
