import { buildDashboard, type HistoryView } from '../core/dashboard';
import { releaseScope } from '../core/gate';
import { relativePath, uriName, uriToFsPath } from '../core/paths';
import { workflowJson } from '../core/report';
import type { WorkflowInstance } from '../core/workflow';
import { type DashboardParams, DashboardRequest, type DashboardResult } from '../protocol';
import { type FeatureContext, throwIfCancelled } from './context';
import { request } from './requests';

/** More commits than a chart can show; bounds what one request makes git read. */
const MAX_HISTORY_COMMITS = 1000;

/** cdp/dashboard: the release dashboard's view model, with progress over time from git. */
export const requests = [
  request<DashboardParams | null, DashboardResult>({
    type: DashboardRequest,
    run: async (ctx, params, token) => {
      await ctx.ready(token);
      const result = dashboard(ctx, params?.historyCommits ?? 0);
      throwIfCancelled(token);
      return result;
    },
  }),
];

export function dashboard(ctx: FeatureContext, historyCommits: number): DashboardResult {
  const folders = ctx.index.folders;
  const multi = folders.length > 1;
  const uris: Record<string, string> = {};
  const fileOf = (uri: string) => {
    const folder = folders.find((f) => relativePath(f, uri) !== undefined);
    const rel = folder === undefined ? uri : relativePath(folder, uri)!;
    const file = multi && folder !== undefined ? `${uriName(folder)}/${rel}` : rel;
    uris[file] = ctx.clientUri(uri);
    return file;
  };
  const workflows = ctx.analysis.workflows();
  const release = new Map(workflows.map((w) => [w.id, releaseScope(w, ctx.config.phases.releasePhase).upTo]));
  const root = folders.map((f) => uriToFsPath(f)).join(', ');
  const view = buildDashboard(
    root,
    workflows.map((w) => workflowJson(w, fileOf)),
    (w) => release.get(w.id),
    ctx.config.phases.releasePhase,
  );
  const limit = Math.min(Math.max(0, Math.floor(historyCommits)), MAX_HISTORY_COMMITS);
  if (limit > 0) view.history = history(ctx, workflows, limit);
  return { ready: true, view, uris };
}

/** Each workspace folder's workflows read from its repository; a note when none has git history. */
function history(ctx: FeatureContext, workflows: WorkflowInstance[], limit: number): HistoryView {
  const series: Exclude<HistoryView, { note: string }> = [];
  let note: string | undefined;
  for (const folder of ctx.index.folders) {
    // (a definition's items are ticked by nobody: no progress to trace)
    const inFolder = workflows.filter((w) => w.folder === folder && !w.definition);
    if (inFolder.length === 0 || !folder.startsWith('file:')) continue;
    const h = ctx.history(folder, inFolder, limit);
    if ('note' in h) note ??= h.note;
    else series.push(...h);
  }
  if (series.length > 0 || note === undefined) return series;
  return { note };
}
