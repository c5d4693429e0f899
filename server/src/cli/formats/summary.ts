import { buildDashboard, type PhaseView, viewNames } from '../../core/dashboard';
import { firstRequiredPhase, notWrittenYet } from '../../core/model';
import { phaseStatusEmoji, phaseStatusText } from '../../core/phase-state';
import type { JsonWorkflow } from '../../core/report';
import { escapeControls, plural } from '../../core/text';
import type { Severity } from '../../core/types';
import { allComplete } from '../../core/workflow';
import { type CheckData, fileAndLine, gateTitle, groupAndText, unmetReason } from './data';

/**
 * Text for a markdown table cell or line: characters markdown or HTML would read as
 * syntax are escaped, line breaks become spaces, other control characters `\uXXXX`.
 */
export function mdText(s: string): string {
  return escapeControls(s)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/** A file:line as inline code (backticks inside the name are widened around). */
function code(s: string): string {
  const clean = escapeControls(s).replace(/[\r\n]+/g, ' ');
  const ticks = '`'.repeat((clean.match(/`+/g) ?? []).reduce((n, t) => Math.max(n, t.length), 0) + 1);
  return `${ticks} ${clean} ${ticks}`;
}

/** "▶️ current", "❌ current · failing gates": the words every front end shows, with an emoji. */
const stateCell = (p: PhaseView) => `${phaseStatusEmoji(p)} ${phaseStatusText(p)}`;

/** Items listed per list; the rest are counted. */
const MAX_ITEMS = 100;
/** GitHub refuses a job summary over 1 MiB: a UTF-16 unit is at most 3 bytes of UTF-8. */
const MAX_CHARS = 340_000;

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** Characters of a criterion's text shown in the summary; a longer one ends in an ellipsis. */
const MAX_TEXT = 300;

/** A criterion's text cut to MAX_TEXT characters (not inside a surrogate pair), with `…` when cut. */
function shortText(s: string, max = MAX_TEXT): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}

/**
 * A markdown summary of the report for a CI job summary: per workflow its phases and
 * their state, the gates of the current phase (or of the selected gates) and the items
 * that block the release. `fileOf` maps a report file (relative to the root) to the file
 * shown.
 */
export function toSummary(
  data: CheckData,
  release: (w: JsonWorkflow) => number | undefined,
  releaseName = 'release',
  fileOf: (file: string) => string = (f) => f,
): string {
  const view = buildDashboard(data.root, data.workflows, release, releaseName);
  const out: string[] = ['## CDP check', ''];
  if (view.workflows.length === 0) out.push('No phase documents found.', '');
  if (data.withoutPhases?.length)
    out.push(
      `No phase documents in ${data.withoutPhases.map((p) => code(p)).join(', ')}: no phase or gate was checked there.`,
      '',
    );
  for (const w of view.workflows) {
    if (w.definition) {
      // A definition is templates, not work: its sizes, as the text report gives them.
      const items = w.phases.reduce((n, p) => n + p.total, 0);
      out.push(
        `### Workflow definition ${mdText(w.id)}: ${plural(w.phases.length, 'phase')}, ${plural(items, 'item')}`,
        '',
        row(['Phase', 'Items', 'Groups']),
        row(['---', '---:', '---:']),
      );
      for (const p of w.phases) out.push(row([mdText(`${p.id} ${p.name}`), p.total, p.gates.length]));
      out.push('');
      continue;
    }
    const current = w.phases.find((p) => p.id === w.current);
    // With a gate check, readiness is named as the other check it is: the gate judges the
    // selected phase's groups, readiness every phase up to the release phase.
    const scope = w.readiness.upTo
      ? data.gates
        ? ` (every phase up to ${w.readiness.upTo}, not only the phase the gate check below judges)`
        : ` (up to phase ${w.readiness.upTo})`
      : '';
    out.push(
      `### Workflow ${mdText(w.id)}: ${
        current
          ? `current phase ${mdText(`${current.id} ${current.name}`)}`
          : allComplete(
              w.phases.map((p) => p.id),
              notWrittenYet(viewNames(w.phases, w.unreadPhases)),
              (w.unreadPhases ?? []).map((u) => u.phase),
              firstRequiredPhase(viewNames(w.phases)),
            )
      }`,
      '',
      `Release readiness${scope}: ${w.readiness.ready ? '**ready**' : `**not ready**, ${plural(w.blocking.length, 'blocking item')}`}${w.readiness.note ? ` (${mdText(w.readiness.note)})` : ''}`,
      '',
      row(['Phase', 'Checked', 'Gates passed', 'State']),
      row(['---', '---:', '---:', '---']),
    );
    for (const p of w.phases)
      out.push(
        row([
          mdText(`${p.id} ${p.name}`),
          `${p.checked}/${p.total}`,
          `${p.gates.length - p.gatesNotPassed}/${p.gates.length}`,
          stateCell(p),
        ]),
      );
    out.push('');
    if (!data.gates && current && current.gates.length > 0) {
      out.push(`Gates of ${mdText(`${current.id} ${current.name}`)}:`, '');
      out.push(row(['Gate', 'Kind', 'Checked', 'Result']), row(['---', '---', '---:', '---']));
      for (const g of current.gates)
        out.push(row([mdText(g.heading), g.kind, `${g.checked}/${g.total}`, g.passed ? '✅' : '❌']));
      out.push('');
    }
    if (w.blocking.length > 0) {
      out.push('<details><summary>Blocking items</summary>', '');
      for (const b of w.blocking.slice(0, MAX_ITEMS))
        out.push(
          `- ${code(fileAndLine(fileOf(b.file), b.line))} ${mdText(`${b.phase} ${groupAndText(b.group, shortText(b.text))} (${shortText(b.reason)})`)}`,
        );
      if (w.blocking.length > MAX_ITEMS) out.push(`- … and ${w.blocking.length - MAX_ITEMS} more`);
      out.push('', '</details>', '');
    }
  }
  // The verdict of the selected gates: kept whole when the rest is cut.
  const verdict: string[] = [];
  if (data.gates) {
    const out = verdict;
    out.push('### Gate check', '');
    out.push(
      row(['Workflow', 'Phase', 'Groups', 'Checked', 'Result']),
      row(['---', '---', '---', '---:', '---']),
    );
    for (const g of data.gates)
      out.push(
        row([
          mdText(g.workflow),
          g.missing ? `${mdText(g.phase)}: no such phase` : mdText(`${g.phase} ${g.name}`),
          mdText(g.groups.join(', ') || 'no groups'),
          `${g.checked}/${g.total}`,
          g.passed ? '✅ passed' : '❌ failed',
        ]),
      );
    out.push('');
    const failed = data.gates.filter((g) => !g.passed);
    out.push(
      failed.length === 0
        ? `Gate check: **passed**, ${plural(data.gates.length, 'gate')} met.`
        : `Gate check: **failed**, ${failed.length} of ${plural(data.gates.length, 'gate')} not met.`,
    );
    for (const g of data.gates.filter((x) => x.missing))
      out.push(`- ${mdText(g.reasons?.[0] ?? `${gateTitle(g)}: no such phase`)}`);
    // A passed gate beside a workflow not ready: both verdicts stand, each on what it covers.
    const notReady = view.workflows.filter(
      (w) => !w.definition && !w.readiness.ready && data.gates!.some((g) => g.workflow === w.id && g.passed),
    );
    if (notReady.length > 0)
      out.push(
        '',
        `The gate check judges the selected phase's groups only; release readiness counts every phase up to the release phase, and ${notReady.map((w) => mdText(w.id)).join(', ')} ${notReady.length === 1 ? 'is' : 'are'} **not ready** (blocking items above).`,
      );
    out.push('');
    const unmet = data.gates.flatMap((g) => g.unmet.map((u) => ({ g, u })));
    if (unmet.length > 0) {
      out.push('Unmet criteria:', '');
      for (const { g, u } of unmet.slice(0, MAX_ITEMS))
        out.push(
          `- ${code(fileAndLine(fileOf(u.file ?? g.file), u.line))} ${mdText(`${groupAndText(u.group, shortText(u.text))} (${shortText(unmetReason(u))})`)}`,
        );
      if (unmet.length > MAX_ITEMS) out.push(`- … and ${unmet.length - MAX_ITEMS} more`);
      out.push('');
    }
  }
  const counts = data.counts ?? countFindings(data.diagnostics);
  const findings = `Findings: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information.`;
  const tail = [...verdict, findings, ''].join('\n');
  const text = out.join('\n');
  if (text.length + 1 + tail.length <= MAX_CHARS) return `${text}\n${tail}`;
  // Cut the workflows' part at a line, close a fold left open (the note must show), and
  // keep the gate verdict and the findings line whole after it.
  const room = Math.max(0, MAX_CHARS - tail.length - 400);
  let head = cutAtLine(text, room);
  if (head.lastIndexOf('<details>') > head.lastIndexOf('</details>')) head += '\n\n</details>';
  return `${head}\n\n_The summary is cut here: a job summary holds at most 1 MiB. The other formats have the whole report._\n\n${tail}`;
}

/** The findings counted by severity, taken one at a time (none kept). */
export function countFindings(diagnostics: Iterable<{ severity: Severity }>): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/**
 * `text` cut at the last line break at or before `room`; a table left without a row (its
 * header, with or without its separator) goes too.
 */
export function cutAtLine(text: string, room: number): string {
  const lines = text.slice(0, Math.max(0, text.lastIndexOf('\n', room))).split('\n');
  const isRow = (l: string | undefined) => l?.startsWith('|') === true;
  if (lines.length > 0 && /^\|(?:[ \t]*:?-+:?[ \t]*\|)+$/.test(lines[lines.length - 1])) lines.pop();
  if (isRow(lines[lines.length - 1]) && !isRow(lines[lines.length - 2])) lines.pop();
  return lines.join('\n');
}
