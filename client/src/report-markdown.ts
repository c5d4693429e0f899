// The markdown of "CDP: Export Gate Report". No editor API here, so it can be unit-tested.
import { phaseStatusEmoji, phaseStatusText } from '../../server/src/dashboard/render';
import type { WorkflowDto } from '../../server/src/protocol';
import { noCurrentText, plural, untrackedText, workflowName } from './progress-model';

export interface ReportOptions {
  /** Display path of a document URI. */
  path(uri: string): string;
  /** Generation time, shown in the header. */
  date?: Date;
  /**
   * The report's own URI: links are then written relative to it (`../checkout-v2/05-release.md`),
   * so they keep working when the folder moves or is checked out elsewhere.
   */
  reportUri?: string;
}

/** `to` relative to the folder of `from` when both are file URIs of one authority, else `to`. */
export function relativeLink(from: string | undefined, to: string): string {
  if (!from) return to;
  const a = /^file:\/\/([^/]*)(\/.*)$/.exec(from);
  const b = /^file:\/\/([^/]*)(\/.*)$/.exec(to);
  if (!a || !b || a[1] !== b[1]) return to;
  const fromDir = a[2]!.split('/').slice(0, -1);
  const target = b[2]!.split('/');
  let i = 0;
  while (i < fromDir.length && i < target.length - 1 && fromDir[i] === target[i]) i++;
  const up = fromDir.slice(i).map(() => '..');
  return [...up, ...target.slice(i)].join('/');
}

/** All workflows → phases → groups with their counts, and every unmet item with a file:line link. */
export function gateReportMarkdown(workflows: WorkflowDto[], opts: ReportOptions): string {
  const out: string[] = ['# CDP Gate Report', ''];
  if (opts.date) out.push(`Generated ${opts.date.toISOString().replace('T', ' ').slice(0, 16)} UTC.`, '');
  if (workflows.length === 0) {
    out.push('No CDP workflows found in this workspace.', '');
    return out.join('\n');
  }
  out.push('| Workflow | Current phase | Criteria met | Phases passed |', '| --- | --- | --- | --- |');
  for (const w of workflows) {
    const cur = w.phases.find((p) => p.phase === w.current);
    const checked = w.phases.reduce((n, p) => n + p.checked, 0);
    const total = w.phases.reduce((n, p) => n + p.total, 0);
    const passed = w.phases.filter((p) => p.complete).length;
    out.push(
      w.definition
        ? `| ${cell(workflowName(w))} | definition | ${plural(total, 'item')} | — |`
        : `| ${cell(workflowName(w))} | ${cur ? cell(`${cur.phase} ${cur.name}`) : noCurrentText(w)} | ${checked}/${total} | ${passed}/${w.phases.length} |`,
    );
  }
  out.push('');
  for (const w of workflows) {
    out.push(`## ${text(workflowName(w))}`, '');
    for (const p of w.phases) {
      const path = opts.path(p.uri);
      // A definition's phases are templates: their sizes, no state and nothing unmet.
      if (w.definition || p.state === undefined) {
        out.push(
          `### ${text(`${p.phase} ${p.name}`)} — ${plural(p.total, 'item')} (definition)`,
          '',
          `[${text(path)}](${link(relativeLink(opts.reportUri, p.uri))})`,
          '',
          ...p.groups.map(
            (g) =>
              `- **${text(g.heading || 'Checklist')}** (${groupKind(g.kind)}): ${plural(g.total, 'item')}`,
          ),
          '',
        );
        continue;
      }
      const status = { ...p, state: p.state };
      out.push(
        `### ${phaseStatusEmoji(status)} ${text(`${p.phase} ${p.name}`)} — ${p.checked}/${p.total} · ${phaseStatusText(status)}`,
        '',
        `[${text(path)}](${link(relativeLink(opts.reportUri, p.uri))})${p.hasErrors ? ' — has errors' : ''}`,
        '',
      );
      if (p.groups.length === 0) {
        out.push('No checklists.', '');
        continue;
      }
      for (const g of p.groups) {
        const kind = groupKind(g.kind);
        const untracked = g.untracked ? ` — ${untrackedText(g.untracked)}` : '';
        out.push(
          `- ${g.passed ? '✅' : '❌'} **${text(g.heading || 'Checklist')}** (${kind}): ${g.checked}/${g.total}${untracked}`,
        );
        const file = g.file ?? p.uri;
        const filePath = g.file ? opts.path(g.file) : path;
        for (const c of g.items) {
          if (c.checked) continue;
          const at = `${filePath}:${c.line + 1}`;
          const why = c.reason && c.state !== 'passed' ? ` (${text(c.reason)})` : '';
          // A cross, not a task box: the report lies in the workspace, and a box would make
          // it a checklist of its own there.
          out.push(
            `  - ✗ ${text(c.text)}${why} — [${text(at)}](${link(relativeLink(opts.reportUri, file), c.line)})`,
          );
        }
      }
      out.push('');
    }
  }
  return out.join('\n');
}

function groupKind(kind: string): string {
  return kind === 'gate' ? 'gate' : kind === 'checklist' ? 'checklist' : `${kind} criteria`;
}

/** A link target (a URI or a relative path, encoded) for a document line that VS Code's markdown preview and editor follow. */
function link(uri: string, line?: number): string {
  return `<${uri.replace(/[<>]/g, encodeURIComponent)}${line !== undefined ? `#L${line + 1}` : ''}>`;
}

function text(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function cell(s: string): string {
  return text(s).replace(/\n/g, ' ');
}
