import { type AliasSpan, aliasReached, aliasSpans } from '../core/aliases';
import type { DocEntry } from '../core/index';
import { linkKey } from '../core/resolve';
import { referencesTo } from '../core/rules/cross-instance-link';
import type { RuleContext } from '../core/rules/rule';
import { rangeContains } from '../core/text';
import type { MetadataEntry, Position, WikiLink } from '../core/types';
import type { FeatureContext } from './context';

/**
 * The cursor on a document's own `aliases:` / `alias:` entry (rename and references
 * start there as from a link by the alias): the entry, and the alias under the cursor
 * where it is written so that it can be edited (`aliasSpans`). Undefined elsewhere.
 */
export async function aliasAt(
  ctx: FeatureContext,
  entry: DocEntry,
  pos: Position,
): Promise<{ on: MetadataEntry; span: AliasSpan | undefined } | undefined> {
  const meta = entry.doc.metadata.range;
  if (entry.aliasKeys.length === 0 || !meta || pos.line > meta.end.line) return undefined;
  const on = entry.doc.metadata.entries.find(
    (e) => (e.key === 'aliases' || e.key === 'alias') && rangeContains(e.range, pos),
  );
  if (!on) return undefined;
  const text = await ctx.readText(entry.uri);
  if (text === undefined) return undefined;
  return { on, span: aliasSpans(text, entry.doc).find((a) => rangeContains(a.range, pos)) };
}

/** The links reaching `entry` by its alias `alias` (by no other name of it) that refer to it (`referencesTo`), with their documents. */
export function linksByAlias(
  analysis: RuleContext,
  entry: DocEntry,
  alias: string,
): { from: DocEntry; link: WikiLink }[] {
  const key = linkKey(alias);
  return referencesTo(analysis, entry).filter(
    ({ link }) => aliasReached(link, entry) !== undefined && linkKey(link.target) === key,
  );
}
