import {
  type CancellationToken,
  type DocumentLink,
  type DocumentLinkParams,
  DocumentLinkRequest,
} from 'vscode-languageserver';
import { joinUri } from '../core/paths';
import type { WikiLink } from '../core/types';
import { type FeatureContext, throwIfCancelled } from './context';
import { dependencyLinks } from './ids';
import { request } from './requests';

/** The clickable part of a link: the target text, or the whole link when it has none (`[[#H]]`). */
function clickRange(l: WikiLink) {
  const t = l.targetRange;
  const empty = t.start.line === t.end.line && t.start.character === t.end.character;
  return empty ? l.range : t;
}

/**
 * Document links: every resolved wikilink (body and metadata) opens its target. A link to
 * a heading opens the document itself (definition lands on the heading), or its line when
 * the client accepts `#L<line>` fragments (see ClientSupport.lineFragmentLinks).
 */
export const requests = [
  request<DocumentLinkParams, DocumentLink[]>({ type: DocumentLinkRequest.type, run: documentLinks }),
];

export async function documentLinks(
  ctx: FeatureContext,
  params: DocumentLinkParams,
  token?: CancellationToken,
): Promise<DocumentLink[]> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) return [];
  const out: DocumentLink[] = [];
  let n = 0;
  for (const link of entry.doc.links) {
    if (++n % 500 === 0) throwIfCancelled(token);
    const r = ctx.index.resolve(entry, link);
    if (r.status === 'resolved') {
      const base = ctx.clientUri(r.target.uri);
      out.push({
        range: clickRange(link),
        // A `#L` fragment only for a client that said it understands one (not in the LSP spec).
        target: ctx.clientCapabilities.lineFragmentLinks ? withLine(base, r.heading?.line ?? r.line) : base,
        tooltip: `Open ${r.target.rel}`,
      });
    } else if (r.status === 'file') {
      out.push({
        range: clickRange(link),
        target: ctx.clientUri(joinUri(entry.folder, r.rel)),
        tooltip: `Open ${r.rel}`,
      });
    }
  }
  out.push(...dependencyLinks(ctx, entry));
  // `tooltip` only for a client that announced it reads one.
  if (!ctx.clientCapabilities.linkTooltips) for (const l of out) delete l.tooltip;
  return out;
}

function withLine(base: string, line: number | undefined): string {
  return line === undefined ? base : `${base}#L${line + 1}`;
}
