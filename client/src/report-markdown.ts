// The markdown of "CDP: Export Gate Report". No editor API here, so it can be unit-tested.
import type { WorkflowDto } from '../../server/src/protocol';

export interface ReportOptions {
  /** Display path of a document URI. */
  path(uri: string): string;
  /** Generation time, shown in the header. */
  date?: Date;
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
      `| ${cell(w.name)} | ${cur ? cell(`${cur.phase} ${cur.name}`) : 'complete'} | ${checked}/${total} | ${passed}/${w.phases.length} |`,
    );
  }
  out.push('');
  for (const w of workflows) {
    out.push(`## ${text(w.name)}`, '');
    if (w.id !== w.name) out.push(`Workflow \`${w.id}\`.`, '');
    for (const p of w.phases) {
      const mark = p.complete ? '✅' : p.started ? '🟡' : '⚪';
      const path = opts.path(p.uri);
      out.push(
        `### ${mark} ${text(`${p.phase} ${p.name}`)} — ${p.checked}/${p.total}`,
        '',
        `[${text(path)}](${link(p.uri)})${p.hasErrors ? ' — has errors' : ''}`,
        '',
      );
      if (p.groups.length === 0) {
        out.push('No checklists.', '');
        continue;
      }
      for (const g of p.groups) {
        const kind = g.kind === 'gate' ? 'gate' : g.kind === 'checklist' ? 'checklist' : `${g.kind} criteria`;
        out.push(
          `- ${g.passed ? '✅' : '❌'} **${text(g.heading || 'Checklist')}** (${kind}): ${g.checked}/${g.total}`,
        );
        for (const c of g.items) {
          if (c.checked) continue;
          const at = `${path}:${c.line + 1}`;
          out.push(`  - [ ] ${text(c.text)} — [${text(at)}](${link(p.uri, c.line)})`);
        }
      }
      out.push('');
    }
  }
  return out.join('\n');
}

/** A link target for a document line that VS Code's markdown preview and editor follow. */
function link(uri: string, line?: number): string {
  return `<${uri.replace(/[<>]/g, encodeURIComponent)}${line !== undefined ? `#L${line + 1}` : ''}>`;
}

function text(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function cell(s: string): string {
  return text(s).replace(/\n/g, ' ');
}
