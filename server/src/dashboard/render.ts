/**
 * The release dashboard as HTML: a pure function of the view model (no DOM, no I/O), so
 * the `cdp report` file and a webview render the same markup. It needs no script: links,
 * `<details>` and `<progress>` give navigation, folding and bars; charts are inline SVG.
 */
import type { BlockingItem, DashboardView, HistoryView, PhaseView, WorkflowView } from '../core/dashboard';
import { phaseStatusMark, phaseStatusText } from '../core/phase-state';
import { escapeControls, isFolderPath, plural } from '../core/text';

export type { DashboardView, HistoryView } from '../core/dashboard';
// The words of a phase's state, for the editor's other views (the client imports no core):
// `core/phase-state` is a module of its own, importing nothing.
export { phaseStatusEmoji, phaseStatusText } from '../core/phase-state';

export interface RenderOptions {
  /** The link of a file:line (default: the file, relative, with `#L<line>`). */
  hrefOf?: (file: string, line: number) => string;
}

export interface PageOptions extends RenderOptions {
  /** The CSP source that allows the page's stylesheet: `'sha256-…'` of DASHBOARD_CSS, or `'nonce-…'`. */
  styleSource: string;
  /** A nonce attribute for the `<style>` element, when styleSource is a nonce. */
  styleNonce?: string;
  title?: string;
}

/**
 * Text as HTML text or as a double-quoted attribute value; control characters (but tab and
 * line breaks) shown as `\uXXXX`, as the text report shows them.
 */
export function esc(s: string | number): string {
  return escapeControls(String(s)).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  );
}

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators as such. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// A folder (a phase that stands for its folder) has no lines.
const defaultHref = (file: string, line: number) =>
  `${file.split('/').map(encodeURIComponent).join('/')}${isFolderPath(file) ? '' : `#L${line}`}`;

/** A bar; with nothing to check it is full when that counts as done, else empty. */
function progress(checked: number, total: number, label: string, emptyDone = true): string {
  const value = total === 0 ? (emptyDone ? 1 : 0) : checked;
  return `<progress max="${Math.max(total, 1)}" value="${value}" aria-label="${esc(label)}">${checked}/${total}</progress>`;
}

function loc(
  file: string,
  line: number,
  opts: RenderOptions,
  text = isFolderPath(file) ? file : `${file}:${line}`,
): string {
  const href = (opts.hrefOf ?? defaultHref)(file, line);
  return `<a class="loc" href="${esc(href)}" data-file="${esc(file)}" data-line="${line}">${esc(text)}</a>`;
}

function pipeline(w: WorkflowView, key: string): string {
  const items = w.phases.map(
    (p) =>
      `<li class="phase state-${p.state}${failing(p)}" data-phase="${esc(p.id)}" data-state="${p.state}"${p.failingGates ? ' data-failing-gates="true"' : ''}>` +
      `<a href="#${key}-p${esc(p.id)}"><span class="mark" aria-hidden="true">${phaseStatusMark(p)}</span> ` +
      `<span class="phase-id">${esc(p.id)}</span> <span class="phase-name">${esc(p.name)}</span></a>` +
      `<span class="state">${phaseStatusText(p)}</span>` +
      progress(p.checked, p.total, `${p.id} ${p.name}: ${p.checked} of ${p.total} checked`) +
      `<span class="count" data-checked="${p.checked}" data-total="${p.total}">${p.checked}/${p.total}</span>` +
      `</li>`,
  );
  return `<ol class="pipeline" aria-label="Phases">${items.join('')}</ol>`;
}

/** The class of a phase with failing gates, shown over its state's colour. */
const failing = (p: PhaseView) => (p.failingGates ? ' failing-gates' : '');

function phaseDetails(p: PhaseView, key: string, opts: RenderOptions): string {
  const open = p.state === 'current' || p.failingGates ? ' open' : '';
  const rows = p.gates.map(
    (g) =>
      `<tr class="gate ${g.passed ? 'ok' : 'bad'}" data-gate="${esc(g.heading)}" data-checked="${g.checked}" data-total="${g.total}">` +
      `<td>${loc(g.file, g.line > 0 ? g.line : 1, opts, g.heading)}</td><td>${esc(g.kind)}</td>` +
      `<td class="num">${g.checked}/${g.total}</td>` +
      `<td>${progress(g.checked, g.total, `${g.heading}: ${g.checked} of ${g.total} checked`, false)}</td>` +
      `<td>${g.passed ? '✓ passed' : g.unreadable ? '✗ cannot be read' : g.total === 0 ? '✗ no criteria' : '✗ unmet'}</td></tr>`,
  );
  const table =
    rows.length > 0
      ? `<table class="gates"><thead><tr><th scope="col">Gate</th><th scope="col">Kind</th><th scope="col">Checked</th><th scope="col">Progress</th><th scope="col">Result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '<p class="muted">No entry, exit or gate criteria.</p>';
  return (
    `<details class="phase-detail state-${p.state}${failing(p)}" id="${key}-p${esc(p.id)}"${open}>` +
    `<summary><span class="phase-id">${esc(p.id)}</span> ${esc(p.name)} · ${phaseStatusText(p)} · ${p.checked}/${p.total}` +
    `${p.gatesNotPassed > 0 ? ` · ${plural(p.gatesNotPassed, 'gate')} not passed` : ''}</summary>` +
    `<p class="file">${loc(p.file, 1, opts, p.file)}</p>${table}</details>`
  );
}

function blockingTable(items: BlockingItem[], opts: RenderOptions, ready: boolean): string {
  // Not ready with nothing blocking: there is nothing to check (the note above says so).
  if (items.length === 0)
    return `<p class="muted">${ready ? 'Nothing blocks the release.' : 'No item blocks the release, and none shows it ready.'}</p>`;
  const rows = items.map(
    (b) =>
      `<tr class="blocking-item"><td>${esc(b.phase)}</td><td>${esc(b.group)}</td><td${b.shown !== undefined ? ` title="${esc(b.text)}"` : ''}>${esc(b.shown ?? b.text)}</td>` +
      `<td>${esc(b.reason)}</td><td>${loc(b.file, b.line, opts)}</td></tr>`,
  );
  return `<table class="blocking"><thead><tr><th scope="col">Phase</th><th scope="col">Group</th><th scope="col">Item</th><th scope="col">Why</th><th scope="col">Where</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A line chart per phase of checked criteria over the commits, with its data as a table. */
function historyChart(h: Exclude<HistoryView, { note: string }>[number]): string {
  const n = h.points.length;
  if (n === 0) return '<p class="muted history-note">No commits touched the phase documents.</p>';
  const W = 640;
  const H = 200;
  const pad = { l: 36, r: 12, t: 12, b: 24 };
  const max = Math.max(1, ...h.points.flatMap((p) => h.phases.map((id) => p.total[id] ?? 0)));
  const x = (i: number) => pad.l + (n === 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (n - 1));
  const y = (v: number) => H - pad.b - (v * (H - pad.t - pad.b)) / max;
  const lines = h.phases.map((id, k) => {
    const values = h.points.map((p) => p.checked[id] ?? 0);
    const pts = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return (
      `<polyline class="series s${k % 8}" data-phase="${esc(id)}" data-series="${values.join(',')}" points="${pts}"/>` +
      values
        .map(
          (v, i) =>
            `<circle class="series s${k % 8}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5"/>`,
        )
        .join('')
    );
  });
  const axis =
    `<line class="axis" x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}"/>` +
    `<line class="axis" x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}"/>` +
    `<text class="tick" x="${pad.l - 4}" y="${y(max) + 4}" text-anchor="end">${max}</text>` +
    `<text class="tick" x="${pad.l - 4}" y="${H - pad.b + 4}" text-anchor="end">0</text>` +
    `<text class="tick" x="${pad.l}" y="${H - 6}">${esc(h.points[0].date.slice(0, 10))}</text>` +
    `<text class="tick" x="${W - pad.r}" y="${H - 6}" text-anchor="end">${esc(h.points[n - 1].date.slice(0, 10))}</text>`;
  const legend = h.phases
    .map(
      (id, k) =>
        `<li><svg width="14" height="4" aria-hidden="true"><line class="series s${k % 8}" x1="0" y1="2" x2="14" y2="2"/></svg> ${esc(id)}</li>`,
    )
    .join('');
  const head = h.phases.map((id) => `<th scope="col">${esc(id)}</th>`).join('');
  const rows = h.points
    .map(
      (p) =>
        `<tr><td><code>${esc(p.commit.slice(0, 8))}</code></td><td>${esc(p.date.slice(0, 10))}</td><td>${esc(p.subject)}</td>` +
        h.phases.map((id) => `<td class="num">${p.checked[id] ?? 0}/${p.total[id] ?? 0}</td>`).join('') +
        '</tr>',
    )
    .join('');
  return (
    `<figure class="history" data-workflow="${esc(h.workflow)}">` +
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Checked criteria per phase over ${plural(n, 'commit')}">${axis}${lines.join('')}</svg>` +
    `<figcaption><ul class="legend">${legend}</ul></figcaption>` +
    `<details><summary>Data</summary><table class="history-data"><thead><tr><th scope="col">Commit</th><th scope="col">Date</th><th scope="col">Subject</th>${head}</tr></thead><tbody>${rows}</tbody></table></details>` +
    `</figure>`
  );
}

/** `text` with its first letter in capitals, as a sentence starts. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function workflowSection(w: WorkflowView, i: number, view: DashboardView, opts: RenderOptions): string {
  const key = `wf${i}`;
  const r = w.readiness;
  const verdict = r.ready
    ? `<p class="verdict ready" data-ready="true"><strong>Ready for release</strong>${r.upTo ? ` (phases up to ${esc(r.upTo)})` : ''}</p>`
    : `<p class="verdict not-ready" data-ready="false"><strong>Not ready for release</strong>: ${plural(w.blocking.length, 'blocking item')}${r.upTo ? ` (phases up to ${esc(r.upTo)})` : ''}</p>`;
  const current = w.phases.find((p) => p.id === w.current);
  let history = '';
  if (view.history) {
    const h = 'note' in view.history ? undefined : view.history.find((x) => x.workflow === w.id);
    history =
      `<h3>Progress over time</h3>` +
      ('note' in view.history
        ? `<p class="muted history-note">${esc(view.history.note)}</p>`
        : h
          ? (h.note ? `<p class="muted history-note">${esc(h.note)}</p>` : '') + historyChart(h)
          : '<p class="muted history-note">No history for this workflow.</p>');
  }
  return (
    `<section class="workflow" id="${key}" data-workflow="${esc(w.id)}" aria-labelledby="${key}-title">` +
    `<h2 id="${key}-title">Workflow ${esc(w.id)}</h2>` +
    `<p class="current">${current ? `Current phase: ${esc(current.id)} ${esc(current.name)}` : esc(sentence(w.complete ?? ''))}</p>` +
    verdict +
    (r.note ? `<p class="muted">${esc(r.note)}</p>` : '') +
    pipeline(w, key) +
    `<h3>Phases and gates</h3>${w.phases.map((p) => phaseDetails(p, key, opts)).join('')}` +
    `<h3>Blocking items <span class="badge">${w.blocking.length}</span></h3>${blockingTable(w.blocking, opts, r.ready)}` +
    history +
    `</section>`
  );
}

/**
 * A workflow definition: templates, not work under way. Its phases and groups with their
 * sizes, as the text report lists them: no state, readiness or blocking items.
 */
function definitionSection(w: WorkflowView, i: number, opts: RenderOptions): string {
  const key = `wf${i}`;
  const items = w.phases.reduce((n, p) => n + p.total, 0);
  const phases = w.phases.map((p) => {
    const rows = p.gates.map(
      (g) =>
        `<tr class="gate" data-gate="${esc(g.heading)}" data-total="${g.total}">` +
        `<td>${loc(g.file, g.line > 0 ? g.line : 1, opts, g.heading)}</td><td>${esc(g.kind)}</td>` +
        `<td class="num">${plural(g.total, 'item')}</td></tr>`,
    );
    const table =
      rows.length > 0
        ? `<table class="gates"><thead><tr><th scope="col">Group</th><th scope="col">Kind</th><th scope="col">Items</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
        : '<p class="muted">No entry, exit or gate criteria.</p>';
    return (
      `<details class="phase-detail" id="${key}-p${esc(p.id)}" data-phase="${esc(p.id)}">` +
      `<summary><span class="phase-id">${esc(p.id)}</span> ${esc(p.name)} · ${plural(p.total, 'item')}</summary>` +
      `<p class="file">${loc(p.file, 1, opts, p.file)}</p>${table}</details>`
    );
  });
  return (
    `<section class="workflow definition" id="${key}" data-workflow="${esc(w.id)}" data-definition="true" aria-labelledby="${key}-title">` +
    `<h2 id="${key}-title">Workflow definition ${esc(w.id)}</h2>` +
    `<p class="current">${plural(w.phases.length, 'phase')}, ${plural(items, 'item')}</p>` +
    (w.readiness.note ? `<p class="muted">${esc(w.readiness.note)}</p>` : '') +
    `<h3>Phases and groups</h3>${phases.join('')}` +
    `</section>`
  );
}

/** The dashboard's markup (what goes in `<body>`), for a page or a webview. */
export function renderDashboardBody(view: DashboardView, opts: RenderOptions = {}): string {
  const nav =
    view.workflows.length > 1
      ? `<nav aria-label="Workflows"><ul>${view.workflows
          .map((w, i) =>
            w.definition
              ? `<li><a href="#wf${i}">${esc(w.id)}</a> <span class="muted">definition</span></li>`
              : `<li><a href="#wf${i}">${esc(w.id)}</a> <span class="${w.readiness.ready ? 'ready' : 'not-ready'}">${w.readiness.ready ? 'ready' : 'not ready'}</span></li>`,
          )
          .join('')}</ul></nav>`
      : '';
  const body =
    view.workflows.length === 0
      ? '<p class="muted">No phase documents found.</p>'
      : view.workflows
          .map((w, i) => (w.definition ? definitionSection(w, i, opts) : workflowSection(w, i, view, opts)))
          .join('');
  return `<main><header><h1>Release dashboard</h1><p class="muted root">${esc(view.root)}</p></header>${nav}${body}</main>`;
}

/** One standalone page: the dashboard, its stylesheet, a strict CSP and the data as JSON. */
export function renderDashboardPage(view: DashboardView, opts: PageOptions): string {
  const csp = `default-src 'none'; style-src ${opts.styleSource}; base-uri 'none'; form-action 'none'`;
  const nonce = opts.styleNonce ? ` nonce="${esc(opts.styleNonce)}"` : '';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${esc(opts.title ?? 'CDP release dashboard')}</title>`,
    `<style${nonce}>${DASHBOARD_CSS}</style>`,
    '</head>',
    '<body>',
    renderDashboardBody(view, opts),
    `<script type="application/json" id="cdp-dashboard-data">${scriptJson(view)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The stylesheet. Colours are CSS variables: VS Code's theme variables when the page is a
 * webview, else light or dark defaults after `prefers-color-scheme`.
 */
export const DASHBOARD_CSS = `
:root {
  --cdp-bg: var(--vscode-editor-background, #ffffff);
  --cdp-fg: var(--vscode-editor-foreground, #1f2328);
  --cdp-muted: var(--vscode-descriptionForeground, #59636e);
  --cdp-border: var(--vscode-panel-border, #d1d9e0);
  --cdp-link: var(--vscode-textLink-foreground, #0969da);
  --cdp-focus: var(--vscode-focusBorder, #0969da);
  --cdp-ok: var(--vscode-testing-iconPassed, #1a7f37);
  --cdp-bad: var(--vscode-testing-iconFailed, #cf222e);
  --cdp-current: var(--vscode-charts-blue, #0969da);
  --cdp-track: #e8ebef;
  --cdp-s0: #0969da; --cdp-s1: #1a7f37; --cdp-s2: #bf3989; --cdp-s3: #9a6700;
  --cdp-s4: #8250df; --cdp-s5: #cf222e; --cdp-s6: #1b7c83; --cdp-s7: #57606a;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --cdp-bg: var(--vscode-editor-background, #0d1117);
    --cdp-fg: var(--vscode-editor-foreground, #e6edf3);
    --cdp-muted: var(--vscode-descriptionForeground, #9198a1);
    --cdp-border: var(--vscode-panel-border, #3d444d);
    --cdp-link: var(--vscode-textLink-foreground, #4493f8);
    --cdp-focus: var(--vscode-focusBorder, #4493f8);
    --cdp-ok: var(--vscode-testing-iconPassed, #3fb950);
    --cdp-bad: var(--vscode-testing-iconFailed, #f85149);
    --cdp-current: var(--vscode-charts-blue, #4493f8);
    --cdp-track: #262c36;
    --cdp-s0: #4493f8; --cdp-s1: #3fb950; --cdp-s2: #db61a2; --cdp-s3: #d29922;
    --cdp-s4: #ab7df8; --cdp-s5: #f85149; --cdp-s6: #39c5cf; --cdp-s7: #9198a1;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--cdp-bg); color: var(--cdp-fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.25rem; border-bottom: 1px solid var(--cdp-border); padding-bottom: 0.25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 0.5rem; }
a { color: var(--cdp-link); }
a:focus-visible, summary:focus-visible { outline: 2px solid var(--cdp-focus); outline-offset: 2px; border-radius: 2px; }
.muted { color: var(--cdp-muted); }
nav ul { list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }
.ready { color: var(--cdp-ok); }
.not-ready { color: var(--cdp-bad); }
.verdict { font-size: 1.05rem; }
.pipeline { list-style: none; padding: 0; margin: 0.75rem 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: 0.5rem; }
.phase { border: 1px solid var(--cdp-border); border-top-width: 4px; border-radius: 6px; padding: 0.5rem; display: flex; flex-direction: column; gap: 0.25rem; }
.phase a { text-decoration: none; font-weight: 600; }
.phase .state { font-size: 0.85rem; color: var(--cdp-muted); }
.state-passed { border-top-color: var(--cdp-ok); }
.state-current { border-top-color: var(--cdp-current); }
.state-in-progress { border-top-color: var(--cdp-s3); }
.state-not-started { border-top-color: var(--cdp-border); }
details.state-passed { border-left-color: var(--cdp-ok); }
details.state-current { border-left-color: var(--cdp-current); }
details.state-in-progress { border-left-color: var(--cdp-s3); }
.phase.failing-gates { border-top-color: var(--cdp-bad); }
details.failing-gates { border-left-color: var(--cdp-bad); }
.count, .num { font-variant-numeric: tabular-nums; }
progress { width: 100%; height: 0.5rem; appearance: none; border: none; border-radius: 4px; background: var(--cdp-track); overflow: hidden; }
progress::-webkit-progress-bar { background: var(--cdp-track); }
progress::-webkit-progress-value { background: var(--cdp-ok); }
progress::-moz-progress-bar { background: var(--cdp-ok); }
details.phase-detail { border: 1px solid var(--cdp-border); border-left-width: 4px; border-radius: 6px; margin: 0.5rem 0; padding: 0.25rem 0.75rem; }
summary { cursor: pointer; padding: 0.25rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.25rem 0 0.5rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--cdp-border); vertical-align: top; }
td progress { min-width: 6rem; }
tr.bad td:last-child { color: var(--cdp-bad); }
tr.ok td:last-child { color: var(--cdp-ok); }
.badge { display: inline-block; min-width: 1.5rem; padding: 0 0.4rem; border-radius: 1rem; background: var(--cdp-track); text-align: center; font-size: 0.85rem; }
.chart { width: 100%; max-width: 40rem; height: auto; }
.chart .axis { stroke: var(--cdp-border); }
.chart .tick { fill: var(--cdp-muted); font-size: 11px; }
polyline.series, line.series { fill: none; stroke-width: 2; }
circle.series { stroke: none; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.s0 { stroke: var(--cdp-s0); fill: var(--cdp-s0); } .s1 { stroke: var(--cdp-s1); fill: var(--cdp-s1); }
.s2 { stroke: var(--cdp-s2); fill: var(--cdp-s2); } .s3 { stroke: var(--cdp-s3); fill: var(--cdp-s3); }
.s4 { stroke: var(--cdp-s4); fill: var(--cdp-s4); } .s5 { stroke: var(--cdp-s5); fill: var(--cdp-s5); }
.s6 { stroke: var(--cdp-s6); fill: var(--cdp-s6); } .s7 { stroke: var(--cdp-s7); fill: var(--cdp-s7); }
polyline.series { fill: none; }
@media (forced-colors: active) { progress { border: 1px solid CanvasText; } }
`;
