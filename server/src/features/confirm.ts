import type { WorkspaceEdit } from 'vscode-languageserver';
import {
  CONFIRMATIONS_HEADER,
  confirmationEntry,
  insertConfirmation,
  parseConfirmations,
} from '../core/gates/confirmations';
import { isGateItem } from '../core/gates/evaluate';
import { CONFIRMATIONS_FILE, confirmationKey, type GateFileEntry } from '../core/gates/store';
import { joinUri } from '../core/paths';
import { LineIndex } from '../core/text';
import { type FeatureContext, notUtf8Reason } from './context';
import { createFileEdit, textEdits } from './convert';

/**
 * The edit that records a manual gate item as confirmed: one entry added to the folder's
 * `.cdp/confirmations.yml` (created when absent), with who and when; or why it cannot be
 * (`refused`), in which case the file is left as it is.
 */
export async function confirmEdit(
  ctx: FeatureContext,
  folder: string,
  file: string,
  item: string,
): Promise<WorkspaceEdit | { refused: string }> {
  const uri = joinUri(folder, CONFIRMATIONS_FILE);
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const entry = confirmationEntry(file, item, ctx.identity(), at);
  const text = await ctx.readText(uri);
  if (text === undefined) {
    if (!ctx.clientCapabilities.createFiles)
      return { refused: `The editor cannot create ${CONFIRMATIONS_FILE}; create it, then try again.` };
    return createFileEdit(ctx, uri, CONFIRMATIONS_HEADER + entry);
  }
  if (ctx.notUtf8(uri)) return { refused: `${notUtf8Reason(CONFIRMATIONS_FILE)}.` };
  // Confirmed already, on disk, though the index has not heard of it yet (a second click
  // before the file watcher reported the first): never a second entry.
  const already = parseConfirmations(text).get(confirmationKey(file, item));
  if (already)
    return {
      refused: `"${item}" is confirmed already (by ${already.by}, ${CONFIRMATIONS_FILE} line ${already.line + 1}).`,
    };
  const plan = insertConfirmation(text, entry);
  if ('error' in plan) return { refused: `${CONFIRMATIONS_FILE} was left as it is: ${plan.error}.` };
  const lines = new LineIndex(text);
  const range = { start: lines.positionAt(plan.from), end: lines.positionAt(plan.to) };
  return textEdits(ctx, new Map([[uri, [{ range, newText: plan.text }]]]));
}

/** The text of the check (not a manual item) a gate file's line holds, if any. */
export function checkItemOnLine(
  ctx: FeatureContext,
  g: GateFileEntry,
  line: number,
  text: string,
): string | undefined {
  const it = gateItemOnLine(ctx, g, line, text);
  return it && it.kind !== 'manual' ? it.text : undefined;
}

/**
 * The manual item on a line of a gate file, if there is one and it is not yet confirmed:
 * of several on the line (a flow list, `manual: ["A", "B"]`), the one of text `text`.
 */
export function manualItemOnLine(
  ctx: FeatureContext,
  g: GateFileEntry,
  line: number,
  text: string,
): { text: string; confirmed: boolean } | undefined {
  const it = gateItemOnLine(ctx, g, line, text);
  return it && it.kind === 'manual' ? { text: it.text, confirmed: it.checked } : undefined;
}

/**
 * The item on a line of a gate file: as its phase evaluates it, else (no phase) as the
 * file reads, unconfirmed. Of several items on the line (a flow list), the one whose text
 * is `text`, else the first.
 */
function gateItemOnLine(
  ctx: FeatureContext,
  g: GateFileEntry,
  line: number,
  text: string,
): { kind: string; text: string; checked: boolean } | undefined {
  const found: { kind: string; text: string; checked: boolean }[] = [];
  const phase = ctx.analysis.phaseOfGateFile(g);
  if (!phase) {
    for (const group of g.parsed.groups)
      for (const d of group.items)
        if (d.line === line) found.push({ kind: d.kind, text: d.text, checked: false });
  } else {
    for (const group of phase.groups) {
      if (group.file !== g.uri) continue;
      for (const it of group.items)
        if (isGateItem(it) && it.line === line)
          found.push({ kind: it.def.kind, text: it.text, checked: it.checked });
    }
  }
  return found.find((f) => f.text.trim() === text) ?? found[0];
}
