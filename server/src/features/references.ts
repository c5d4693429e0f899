import {
  type CancellationToken,
  type Location,
  type Range,
  type ReferenceParams,
  ReferencesRequest,
} from 'vscode-languageserver';
import type { DocEntry } from '../core/index';
import { headingAt, titleAt } from '../core/query';
import { pathHeadingAt } from '../core/resolve';
import { isReference, referencesTo } from '../core/rules/cross-instance-link';
import type { Heading, WikiLink } from '../core/types';
import { aliasAt, linksByAlias } from './alias-spots';
import { type FeatureContext, throwIfCancelled } from './context';
import { byId, idAt, idReferences } from './ids';
import { linkUnder } from './link-under';
import { gateReferences } from './rename-gates';
import { request } from './requests';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What the cursor names: a document (its title), one of its headings, or a link's target. */
interface Subject {
  target: DocEntry;
  heading?: Heading;
  /** Where the thing itself is written (for includeDeclaration). */
  declaration: Range;
}

function subjectAt(
  ctx: FeatureContext,
  entry: DocEntry,
  pos: { line: number; character: number },
  link: WikiLink | undefined,
) {
  const spot = idAt(entry, pos);
  if (spot) {
    const target = spot.kind === 'declaration' ? entry : byId(ctx.index, entry, spot.ref.id);
    if (!target) return undefined;
    return { target, declaration: target.doc.ddx?.id?.range ?? target.doc.title?.range ?? START };
  }
  if (link) {
    const r = ctx.index.resolve(entry, link);
    // (an artifact entry naming this cycle's own, not written yet, or a chain link leaving
    // its cycle: no reference of another cycle's document)
    if (r.status !== 'resolved' || !isReference(ctx.analysis, entry, link, r)) return undefined;
    if (r.heading) {
      // (on a segment of a nested heading link, `[[doc#Parent#Child]]`: the heading it names)
      const heading = pathHeadingAt(link, r.headingPath, pos)?.heading ?? r.heading;
      return { target: r.target, heading, declaration: heading.range };
    }
    if (link.heading && !link.heading.startsWith('^')) return undefined; // a heading that does not exist
    return { target: r.target, declaration: r.target.doc.title?.range ?? START };
  }
  const title = titleAt(entry.doc, pos);
  if (title) return { target: entry, declaration: title.range };
  const h = headingAt(entry.doc, pos);
  if (h) return { target: entry, heading: h, declaration: h.range };
  return undefined;
}

/** Find all references: every link (body and metadata) to a document or heading. */
export const requests = [
  request<ReferenceParams, Location[]>({ type: ReferencesRequest.type, run: references }),
];

export async function references(
  ctx: FeatureContext,
  params: ReferenceParams,
  token?: CancellationToken,
): Promise<Location[]> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) return [];
  const alias = (await aliasAt(ctx, entry, params.position))?.span;
  if (alias) {
    // On an alias in the document's own front matter: the links reaching it by that alias.
    const out: Location[] = params.context.includeDeclaration
      ? [{ uri: ctx.clientUri(entry.uri), range: alias.range }]
      : [];
    for (const { from, link } of linksByAlias(ctx.analysis, entry, alias.alias))
      out.push({ uri: ctx.clientUri(from.uri), range: link.range });
    return out;
  }
  // (a reference-style link, `[text][label]`: what its definition leads to)
  const link = (await linkUnder(ctx, entry, params.position, token))?.link;
  const subject: Subject | undefined = subjectAt(ctx, entry, params.position, link);
  if (!subject) return [];
  const out: Location[] = [];
  if (params.context.includeDeclaration) {
    out.push({ uri: ctx.clientUri(subject.target.uri), range: subject.declaration });
  }
  // (an artifact entry naming its own cycle's, not written yet, is no reference: `refersToTarget`)
  for (const { from, link } of referencesTo(ctx.analysis, subject.target, subject.heading)) {
    // A `depends_on` entry written as a wikilink: one reference, its id's (below).
    if (subject.heading === undefined && from.dependencyLinks.has(link)) continue;
    out.push({ uri: ctx.clientUri(from.uri), range: link.range });
  }
  // depends_on entries that name the document's id.
  if (subject.heading === undefined) out.push(...idReferences(ctx, subject.target));
  // Gate files' paths and evidence naming the document (or its heading), as a rename edits them.
  for (const r of await gateReferences(ctx, subject.target, subject.heading, token))
    out.push({ uri: ctx.clientUri(r.uri), range: r.range });
  throwIfCancelled(token);
  return out;
}
