import type { CancellationToken } from 'vscode-languageserver';
import type { DocEntry } from '../core/index';
import { inCodeOrComment, linkAt, referenceUsageAt } from '../core/query';
import type { Position, Range, WikiLink } from '../core/types';
import { type FeatureContext, throwIfCancelled } from './context';

/**
 * The link under the cursor and the range it takes there: a link of the document, else
 * the reference definition a reference-style link uses (`[text][label]`, `[label][]`,
 * `[label]`), with the reference's own range (not in code or a comment, where nothing
 * is a link). Definition, hover and references answer on both alike.
 */
export async function linkUnder(
  ctx: FeatureContext,
  entry: DocEntry,
  pos: Position,
  token?: CancellationToken,
): Promise<{ link: WikiLink; range: Range } | undefined> {
  const link = linkAt(entry.doc, pos);
  if (link) return { link, range: link.range };
  const lines = (await ctx.readText(entry.uri))?.split(/\r\n|\r|\n/, pos.line + 1);
  throwIfCancelled(token);
  const line = lines?.[pos.line];
  if (line === undefined || inCodeOrComment(lines!, pos.line)) return undefined;
  const used = referenceUsageAt(entry.doc, line, pos.character);
  if (!used) return undefined;
  return {
    link: used.definition,
    range: { start: { line: pos.line, character: used.start }, end: { line: pos.line, character: used.end } },
  };
}
