import {
  type CancellationToken,
  type DocumentLink,
  type DocumentLinkParams,
  DocumentLinkRequest,
} from 'vscode-languageserver';
import { joinUri } from '../core/paths';
import { refersToTarget } from '../core/rules/cross-instance-link';
import type { WikiLink } from '../core/types';
import { type FeatureContext, throwIfCancelled } from './context';
import { gateTargets } from './gate-links';
import { byId, dependencyLinks } from './ids';
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
 * the client accepts `#L<line>` fragments (see ClientSupport.lineFragmentLinks). In a gate
 * file, every path value naming a file opens it.
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
  const out: DocumentLink[] = [];
  if (!entry) {
    // A gate file: its path values that name a file open it (an evidence at its heading).
    for (const t of (await gateTargets(ctx, params.textDocument.uri, token)) ?? []) {
      const base = ctx.clientUri(t.uri);
      out.push({
        range: t.range,
        target: ctx.clientCapabilities.lineFragmentLinks ? withLine(base, t.line) : base,
        tooltip: `Open ${t.rel}`,
      });
    }
    return tooltips(ctx, out);
  }
  let n = 0;
  for (const link of entry.doc.links) {
    if (++n % 500 === 0) throwIfCancelled(token);
    // A `depends_on` entry written as a wikilink opens once, as the dependency (below).
    if (entry.dependencyLinks.has(link) && byId(ctx.index, entry, link.target.trim())) continue;
    const r = ctx.index.resolve(entry, link);
    // An artifact entry naming this cycle's own, not written yet, opens no other cycle's.
    if (r.status === 'resolved' && !refersToTarget(ctx.analysis, entry, link, r)) continue;
    if (r.status === 'resolved') {
      const base = ctx.clientUri(r.target.uri);
      out.push({
        range: clickRange(link),
        // A `#L` fragment only for a client that said it understands one (not in the LSP spec).
        target: ctx.clientCapabilities.lineFragmentLinks ? withLine(base, r.heading?.line ?? r.line) : base,
        tooltip: `Open ${r.target.rel}`,
      });
    } else if (r.status === 'file') {
      // A folder is no place to open in an editor (VS Code fails on it; its own markdown
      // links reveal one in the Explorer, and Go to Definition lists its documents).
      if (r.folder) continue;
      out.push({
        range: clickRange(link),
        target: ctx.clientUri(joinUri(entry.folder, r.rel)),
        tooltip: `Open ${r.rel}`,
      });
    }
  }
  out.push(...dependencyLinks(ctx, entry));
  return tooltips(ctx, out);
}

/** `links`, with a `tooltip` only for a client that announced it reads one. */
function tooltips(ctx: FeatureContext, links: DocumentLink[]): DocumentLink[] {
  if (!ctx.clientCapabilities.linkTooltips) for (const l of links) delete l.tooltip;
  return links;
}

function withLine(base: string, line: number | undefined): string {
  return line === undefined ? base : `${base}#L${line + 1}`;
}
