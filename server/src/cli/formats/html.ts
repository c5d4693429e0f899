import { createHash } from 'node:crypto';
import type { DashboardView } from '../../core/dashboard';
import { DASHBOARD_CSS, type RenderOptions, renderDashboardPage } from '../../dashboard/render';

/**
 * The dashboard as one standalone HTML file: its stylesheet allowed by hash in a strict
 * Content-Security-Policy, no script, no remote resources.
 */
export function renderReport(view: DashboardView, opts: RenderOptions = {}): string {
  const hash = createHash('sha256').update(DASHBOARD_CSS, 'utf8').digest('base64');
  return renderDashboardPage(view, { ...opts, styleSource: `'sha256-${hash}'` });
}
