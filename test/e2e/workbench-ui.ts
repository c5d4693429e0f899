// Workbench steps shared by the UI tests of this extension in code-server: what a person
// does with the mouse and keyboard, each step waiting until the workbench shows its result.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT, UI_TIMEOUT } from './harness';

/** How long a workbench step may take on a loaded machine. */
export const SLOW = Math.max(UI_TIMEOUT, 60_000);

/** A fresh copy of examples/ under `into` (the tests change files in it). */
export function copyExamples(into: string): string {
  const ws = join(into, 'examples');
  cpSync(join(REPO_ROOT, 'examples'), ws, { recursive: true });
  return ws;
}

/** The Progress view (its pane). */
export function progressView(page: Page): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Progress' }) });
}

/** Opens the CDP Workflow container from the activity bar, as a person would. */
export async function openCdpView(page: Page): Promise<void> {
  const item = page.locator('.part.activitybar li.action-item:has(> a[aria-label^="CDP Workflow"])');
  await item.waitFor({ state: 'visible', timeout: SLOW });
  if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
  await progressView(page).locator('.pane-body').waitFor({ state: 'visible', timeout: SLOW });
}

/** In an open quick pick with this placeholder: types `filter`, waits for `row` to be focused, Enter. */
export async function pick(page: Page, placeholder: string, filter: string, row: string): Promise<void> {
  const input = page.locator(`.quick-input-widget input[placeholder="${placeholder}"]`);
  await input.waitFor({ state: 'visible', timeout: SLOW });
  await input.fill(filter);
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: row })
    .waitFor({ timeout: SLOW });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: SLOW });
}
