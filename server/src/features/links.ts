import { idOf } from '../core/ids';
import type { DocEntry } from '../core/index';
import { joinUri } from '../core/paths';
import { referencesTo } from '../core/rules/cross-instance-link';
import type { Range } from '../core/types';
import { type LinkItemDto, type LinksParams, LinksRequest, type LinksResult } from '../protocol';
import { type FeatureContext, throwIfCancelled } from './context';
import { landingOf } from './ids';
import { request } from './requests';

/** More rows than a side bar list can show; bounds one answer for a document of many links. */
const MAX_ROWS = 500;

/**
 * cdp/links: what the Links view shows for one document (see protocol.ts): its resolved
 * links, its backlinks (the index's reverse map), what its `depends_on` names and what
 * depends on its id (core/ids.ts).
 */
export const requests = [
  request<LinksParams | null, LinksResult>({
    type: LinksRequest,
    run: async (ctx, params, token) => {
      const entry = params?.uri ? await ctx.readyEntry(params.uri, token) : undefined;
      if (!entry)
        return { ready: true, known: false, outgoing: [], backlinks: [], dependsOn: [], dependents: [] };
      const result = links(ctx, entry);
      throwIfCancelled(token);
      return result;
    },
  }),
];

export function links(ctx: FeatureContext, entry: DocEntry): LinksResult {
  const item = (e: DocEntry, range: Range, link?: string): LinkItemDto => {
    const dto: LinkItemDto = {
      uri: ctx.clientUri(e.uri),
      range,
      label: e.doc.title?.text || e.rel,
      rel: e.rel,
    };
    const id = idOf(e);
    if (id !== undefined) dto.id = id;
    if (link !== undefined) dto.link = link;
    return dto;
  };

  const outgoing: LinkItemDto[] = [];
  for (const link of entry.doc.links) {
    if (outgoing.length >= MAX_ROWS) break;
    const r = ctx.index.resolve(entry, link);
    if (r.status === 'resolved') {
      outgoing.push({
        ...item(r.target, r.heading?.range ?? landingOf(r.target), link.raw),
        line: link.range.start.line,
      });
    } else if (r.status === 'file') {
      outgoing.push({
        uri: ctx.clientUri(joinUri(entry.folder, r.rel)),
        range: START,
        label: r.rel,
        rel: r.rel,
        link: link.raw,
        line: link.range.start.line,
        ...(r.folder ? { folder: true as const } : {}),
      });
    }
  }

  const backlinks = referencesTo(ctx.analysis, entry)
    .slice(0, MAX_ROWS)
    .map(({ from, link }) => item(from, link.range, link.raw));

  const dependsOn = ctx.index.ids
    .dependenciesOf(entry)
    .slice(0, MAX_ROWS)
    .map((t) => item(t, landingOf(t)));

  const id = idOf(entry);
  const dependents: LinkItemDto[] = [];
  if (id !== undefined) {
    for (const from of ctx.index.ids.dependentsOfDoc(entry)) {
      if (dependents.length >= MAX_ROWS) break;
      const ref = from.doc.ddx?.dependsOn.find((r) => r.id === id);
      dependents.push(item(from, ref?.range ?? landingOf(from)));
    }
  }
  return { ready: true, known: true, outgoing, backlinks, dependsOn, dependents };
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
