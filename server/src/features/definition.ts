import {
  type CancellationToken,
  DefinitionRequest,
  type Location,
  type Range,
  type TextDocumentPositionParams,
} from 'vscode-languageserver';
import { cmp } from '../core/collections';
import type { DocEntry, Resolution } from '../core/index';
import { joinUri } from '../core/paths';
import { refersToTarget } from '../core/rules/cross-instance-link';
import type { FeatureContext } from './context';
import { gateLanding, gateTargetAt } from './gate-links';
import { byId, idAt, landingOf } from './ids';
import { linkUnder } from './link-under';
import { request } from './requests';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Where a resolved link lands: the heading or line it names, else where its target is shown. */
function landing(r: Extract<Resolution, { status: 'resolved' }>): Range {
  if (r.heading) return r.heading.range;
  if (r.line !== undefined) {
    // A line anchor (`#L22`) past the end lands on the last line.
    const line = Math.min(r.line, Math.max(0, r.target.doc.lineCount - 1));
    return { start: { line, character: 0 }, end: { line, character: 0 } };
  }
  return landingOf(r.target);
}

/**
 * Go to definition: a wikilink (body or metadata) → the document, heading or file it names
 * (a folder: its documents); a gate file's path value → the file it names.
 */
export const requests = [
  request<TextDocumentPositionParams, Location | Location[] | null>({
    type: DefinitionRequest.type,
    run: definition,
  }),
];

export async function definition(
  ctx: FeatureContext,
  params: TextDocumentPositionParams,
  token?: CancellationToken,
): Promise<Location | Location[] | null> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) {
    // A gate file's path value → the file (and heading) it names.
    const t = await gateTargetAt(ctx, params.textDocument.uri, params.position, token);
    return t ? { uri: ctx.clientUri(t.uri), range: gateLanding(t) } : null;
  }
  const spot = idAt(entry, params.position);
  if (spot) {
    // A depends_on entry (or the id itself) → the document that declares the id.
    const t = spot.kind === 'declaration' ? entry : byId(ctx.index, entry, spot.ref.id);
    return t ? { uri: ctx.clientUri(t.uri), range: landingOf(t) } : null;
  }
  // (a reference-style link, `[text][label]`: where its definition leads)
  const link = (await linkUnder(ctx, entry, params.position, token))?.link;
  if (!link) return null;
  const r = ctx.index.resolve(entry, link);
  // An artifact entry naming this cycle's own, not written yet, leads to no other cycle's.
  if (!refersToTarget(ctx.analysis, entry, link, r)) return null;
  if (r.status === 'resolved' && r.heading && link.syntax === 'markdown') {
    // The heading's whole line, as VS Code's own markdown support answers for the same
    // link: the editor then merges the two answers and jumps, instead of offering both.
    const line = r.heading.line;
    const text = (await ctx.readText(r.target.uri))?.split(/\r\n|\r|\n/, line + 1)[line];
    if (text !== undefined)
      return {
        uri: ctx.clientUri(r.target.uri),
        range: { start: { line, character: 0 }, end: { line, character: text.length } },
      };
  }
  if (r.status === 'resolved') return { uri: ctx.clientUri(r.target.uri), range: landing(r) };
  if (r.status === 'file') {
    // A folder is no place to open in an editor: its documents (those directly in it, else
    // those below it), each at its title.
    if (r.folder) return folderDocuments(ctx, entry.folder, r.rel);
    return { uri: ctx.clientUri(joinUri(entry.folder, r.rel)), range: START };
  }
  return null;
}

/** At most this many documents answer for a folder. */
const MAX_FOLDER_DOCUMENTS = 50;

function folderDocuments(ctx: FeatureContext, folder: string, dir: string): Location[] | null {
  const direct: DocEntry[] = [];
  const below: DocEntry[] = [];
  for (const e of ctx.index.all()) {
    if (e.folder !== folder) continue;
    if (e.dir === dir) direct.push(e);
    else if (e.dir.startsWith(`${dir}/`)) below.push(e);
  }
  const docs = (direct.length > 0 ? direct : below)
    .sort((a, b) => cmp(a.rel, b.rel))
    .slice(0, MAX_FOLDER_DOCUMENTS);
  return docs.length > 0 ? docs.map((e) => ({ uri: ctx.clientUri(e.uri), range: landingOf(e) })) : null;
}
