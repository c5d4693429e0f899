import { noCheckboxText } from '../../core/model';
import { gated, NO_CRITERIA } from '../../core/workflow';
import {
  type CheckData,
  type CiGroup,
  type CiItem,
  type CiPhase,
  fileAndLine,
  gateGroups,
  lineIn,
  unmetReason,
  unreadFailures,
} from './data';
import { element, xmlEscape } from './xml';

interface Suite {
  name: string;
  file?: string;
  cases: string[];
  failures: number;
  skipped: number;
}

/** The message of a criterion of a phase not started yet (without `--phase`): future work, not a failure. */
const NOT_STARTED = 'phase not started';

/** The stand-in group of a workflow that has no phase `--phase` names: one failed case. */
const NO_PHASE = '(no phase)';

/** The stand-in group of a file that was not read that fails a selected gate: one failed case. */
const NOT_READ = '(not read)';

/**
 * A test case's name: the criterion's text; for a gate-file check also its command and
 * where it is written (`tests_passing: npm test (GATE.yaml:3)`), since checks of one type
 * share their text; a checkbox whose text another case of the suite has gets its line.
 */
function caseNames(items: readonly CiItem[], fileOf: (file: string) => string): string[] {
  const names = items.map((it) => {
    if (it.file === undefined) return it.text;
    const cmd = it.command !== undefined && it.command !== it.text ? `: ${it.command}` : '';
    const where = fileOf(it.file);
    return `${it.text}${cmd} (${where.slice(where.lastIndexOf('/') + 1)}:${it.line})`;
  });
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => (count.get(n)! > 1 ? `${n} (line ${items[i].line})` : n));
}

function groupSuite(
  workflow: string,
  phase: Pick<CiPhase, 'phase' | 'name' | 'file'>,
  g: CiGroup,
  fileOf: (file: string) => string,
  /** The phase is not started and comes after the current one: its unmet criteria are skipped. */
  future = false,
): Suite {
  const phaseFile = fileOf(phase.file);
  const named = phase.name ? `${phase.phase} ${phase.name}` : phase.phase;
  const name = `${workflow} / ${named} / ${g.heading}`;
  const classname = `${workflow}.${phase.name ? `${phase.phase}-${phase.name}` : phase.phase}.${g.heading}`;
  const unmet = new Map(g.unmet.map((u) => [u.line, u]));
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  const optional = new Map((g.optional ?? []).map((u) => [u.line, u]));
  const names = caseNames(g.items, fileOf);
  g.items.forEach((it, i) => {
    const file = fileOf(it.file ?? phase.file);
    const attrs = { name: names[i], classname, file, line: it.line };
    if (it.checked) {
      cases.push(element('testcase', attrs));
      return;
    }
    if (it.optional || future) {
      // Not met, but its group passes without it, or it is work still to come: skipped, not failed.
      skipped++;
      const message = it.optional ? `optional: ${unmetReason(optional.get(it.line) ?? {})}` : NOT_STARTED;
      cases.push(element('testcase', attrs, element('skipped', { message })));
      return;
    }
    const u = unmet.get(it.line) ?? {};
    const reason = unmetReason(u);
    const output = 'output' in u && u.output ? `\n\nOutput (its end):\n${u.output}` : '';
    failures++;
    cases.push(
      element(
        'testcase',
        attrs,
        element(
          'failure',
          { message: reason, type: 'unmet' },
          xmlEscape(`${file}:${it.line}: ${it.text} (${reason})${output}`),
        ),
      ),
    );
  });
  if (g.items.length === 0 && future) {
    skipped++;
    cases.push(
      element(
        'testcase',
        {
          name: g.unreadable ? '(cannot be read)' : '(no criteria)',
          classname,
          file: g.file ? fileOf(g.file) : phaseFile,
          line: g.line > 0 ? lineIn(g.file ? fileOf(g.file) : phaseFile, g.line) : undefined,
        },
        element('skipped', { message: NOT_STARTED }),
      ),
    );
  } else if (g.items.length === 0) {
    failures++;
    // A group read from a gate file is shown on that file (its line is the file's).
    const groupFile = g.file ? fileOf(g.file) : phaseFile;
    const untracked = g.untracked ?? 0;
    const lacking = g.heading === NO_PHASE && g.kind === 'phase';
    const notRead = g.heading === NOT_READ && g.kind === 'phase';
    const message =
      lacking || notRead
        ? (g.reason ?? 'no such phase')
        : g.unreadable
          ? 'the gate file cannot be read, so it cannot pass'
          : g.reason === NO_CRITERIA
            ? `${NO_CRITERIA}, so it cannot pass`
            : untracked > 0
              ? `${noCheckboxText(untracked)}: none can be ticked off`
              : g.total > 0 && g.reason
                ? g.reason // criteria it has, none of which can be ticked (boxes GFM does not read)
                : 'the group has no criteria, so it cannot pass';
    cases.push(
      element(
        'testcase',
        {
          name: lacking
            ? NO_PHASE
            : notRead
              ? NOT_READ
              : g.unreadable
                ? '(cannot be read)'
                : untracked > 0
                  ? '(list items without checkboxes)'
                  : '(no criteria)',
          classname,
          file: groupFile,
          line: g.line > 0 ? lineIn(groupFile, g.line) : undefined,
        },
        element(
          'failure',
          {
            message,
            type: lacking
              ? 'missing-phase'
              : notRead
                ? 'unread-phase'
                : g.unreadable
                  ? 'invalid-gate-file'
                  : untracked > 0
                    ? 'unmet'
                    : 'empty-gate',
          },
          xmlEscape(`${fileAndLine(groupFile, g.line)}: ${message}`),
        ),
      ),
    );
  }
  // A group of a gate file is that file's suite, as its cases are.
  return { name, file: g.file ? fileOf(g.file) : phaseFile, cases, failures, skipped };
}

/**
 * The report as JUnit XML, in pieces of whole lines (each ending with a line break): each
 * checklist group a test suite (only the selected gates'
 * groups when a phase or gate was selected), each criterion a test case, an unmet one
 * failed with its reason; the findings as one more suite, errors and warnings failed.
 * `fileOf` maps a report file (relative to the root) to the file the CI tool resolves.
 * The findings are taken twice (their totals head the file), written as they come.
 */
export function* junitPieces(
  data: CheckData,
  fileOf: (file: string) => string = (f) => f,
): Generator<string> {
  const groups: {
    workflow: string;
    phase: Pick<CiPhase, 'phase' | 'name' | 'file'>;
    group: CiGroup;
    future?: boolean;
  }[] = [];
  if (data.gates) {
    for (const g of data.gates) {
      if (g.missing) {
        groups.push({
          workflow: g.workflow,
          phase: { phase: g.phase, name: '', file: g.file },
          group: {
            heading: NO_PHASE,
            kind: 'phase',
            line: 1,
            total: 0,
            checked: 0,
            passed: false,
            reason: g.reasons?.[0],
            unmet: [],
            items: [],
          },
        });
        continue;
      }
      const selected = gateGroups(data, g);
      for (const group of selected) groups.push({ workflow: g.workflow, phase: g, group });
      // An earlier phase's file or the phase's README not read: a failed case on that file.
      for (const u of unreadFailures(data, g))
        groups.push({
          workflow: g.workflow,
          phase: g,
          group: {
            heading: NOT_READ,
            kind: 'phase',
            line: 1,
            total: 0,
            checked: 0,
            passed: false,
            reason: u.reason,
            unmet: [],
            items: [],
            file: u.file,
          },
        });
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
    for (const w of gated(data.workflows)) {
      // The phases not started (after the current one, nobody worked on them): their
      // criteria are work still to come, skipped rather than failed. A definition's phases
      // have no state (it has no current phase): its criteria are reported as they are.
      for (const p of w.phases) {
        const future = p.state === 'not-started';
        for (const group of p.groups) groups.push({ workflow: w.id, phase: p, group, future });
      }
    }
  }
  const paths = data.withoutPhases ?? [];
  // The totals come first in the file: counted before anything is written. The findings
  // are taken twice, counted and then written, rather than held all at once.
  const failing = (d: { severity: string }) => d.severity === 'error' || d.severity === 'warning';
  let findings = 0;
  let failedFindings = 0;
  for (const d of data.diagnostics) {
    findings++;
    if (failing(d)) failedFindings++;
  }
  let tests = findings + paths.length;
  let failures = failedFindings;
  for (const { group, future } of groups) {
    tests += Math.max(group.items.length, 1);
    if (!future)
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
  for (const { workflow, phase, group, future } of groups) {
    const s = groupSuite(workflow, phase, group, fileOf, future);
    yield `  ${open({ ...s, tests: s.cases.length }, id++)}>\n    ${s.cases.join('\n    ')}\n  </testsuite>\n`;
  }
  if (paths.length > 0) {
    // A path that holds no phase document: a skipped case each (reporters list skipped
    // cases, and none fails a run), and the note as the suite's error output.
    const note = `No phase documents in ${paths.join(', ')}: no phase or gate was checked there.`;
    const cases = paths.map((p) =>
      element(
        'testcase',
        { name: p, classname: 'cdp.paths' },
        element('skipped', { message: `no phase documents in ${p}` }),
      ),
    );
    yield `  ${open({ name: 'cdp paths', failures: 0, tests: paths.length, skipped: paths.length }, id++)}>\n    ${cases.join('\n    ')}\n    ${element('system-err', {}, xmlEscape(note))}\n  </testsuite>\n`;
  }
  const head = open({ name: 'cdp findings', failures: failedFindings, tests: findings, skipped: 0 }, id);
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
