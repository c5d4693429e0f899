import {
  type CancellationToken,
  type DocumentSymbol,
  type DocumentSymbolParams,
  DocumentSymbolRequest,
  type Range,
  type SymbolInformation,
  SymbolKind,
  type WorkspaceSymbolParams,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver';
import { idOf } from '../core/ids';
import { type DocEntry, FolderPhaseEntry } from '../core/index';
import type { Group, PhaseInfo } from '../core/model';
import { sectionsWith } from '../core/parse/callout';
import { shownHeading } from '../core/shown-text';
import { type FeatureContext, throwIfCancelled } from './context';
import { isSubsequence } from './fuzzy';
import { request } from './requests';

/** At most this many workspace symbols per query. */
export const MAX_WORKSPACE_SYMBOLS = 500;

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Case-insensitive fuzzy match: the query's characters appear in `name` in order. */
export function fuzzyMatch(query: string, name: string): boolean {
  return isSubsequence(query.replace(/\s+/g, '').toLowerCase(), name.toLowerCase());
}

function kindOf(g: Group | undefined, isTitle: boolean): SymbolKind {
  if (isTitle) return SymbolKind.File;
  if (!g) return SymbolKind.String;
  return g.kind === 'gate' ? SymbolKind.Event : SymbolKind.Array;
}

/**
 * The outline of a document: headings (as rendered, see `shownHeading`) nested by level,
 * with checklist counts and the phase; a collapsible section (`<details>`) or a callout
 * (`> [!todo] Entry Criteria`) that is a checklist group of its own is a child of the
 * heading it lies under, named by its summary or title.
 */
export function outline(
  entry: DocEntry,
  text: string | undefined,
  /** The phase the document is shown as (`Analysis.shownPhase`). */
  shown: PhaseInfo | undefined,
): DocumentSymbol[] {
  const lines = text?.split(/\r\n|\r|\n/);
  const lastLine = Math.max(0, (lines?.length ?? entry.doc.lineCount) - 1);
  const lineEnd = (l: number) => lines?.[l]?.length ?? 0;
  const groups = new Map<number, Group>();
  for (const g of entry.countedOwnGroups) if (g.line >= 0) groups.set(g.line, g);
  const title = entry.doc.title;
  const hs = entry.doc.headings;
  // (the callouts that are no group have none on their line, as other sections)
  const cols = sectionsWith(entry.doc.collapsibles, entry.doc.callouts) ?? [];
  const roots: DocumentSymbol[] = [];
  const stack: { level: number; sym: DocumentSymbol }[] = [];
  /** A range from the start of line `from` to the end of line `to`, past `atLeast` on that line. */
  const span = (from: number, to: number, atLeast: Range): Range => ({
    start: { line: from, character: 0 },
    end: { line: to, character: Math.max(lineEnd(to), to === atLeast.end.line ? atLeast.end.character : 0) },
  });
  let c = 0;
  /** The collapsible sections and callouts before line `until` that are groups, as children of the heading above. */
  const collapsiblesBefore = (until: number) => {
    for (; c < cols.length && cols[c].open < until; c++) {
      const col = cols[c];
      const g = groups.get(col.line);
      if (!g) continue;
      // It ends on its `</details>` line (a callout's last line), or before the heading or
      // the end that closes it.
      const last =
        col.end >= until || col.end > lastLine
          ? Math.max(col.line, Math.min(until, lastLine + 1) - 1)
          : col.end;
      const sym: DocumentSymbol = {
        name: g.heading,
        detail: detailOf(g),
        kind: kindOf(g, false),
        range: span(col.open, last, col.range),
        selectionRange: col.range,
        children: [],
      };
      if (stack.length > 0) stack[stack.length - 1].sym.children!.push(sym);
      else roots.push(sym);
    }
  };
  collapsiblesBefore(hs.length > 0 ? hs[0].line : Number.POSITIVE_INFINITY);
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i];
    let j = i + 1;
    while (j < hs.length && hs[j].level > h.level) j++;
    const endLine = j < hs.length ? Math.max(h.line, hs[j].line - 1) : Math.max(h.line, lastLine);
    const g = groups.get(h.line);
    const isTitle = !!title && title.line === h.line && h.level === 1;
    let detail: string | undefined;
    if (isTitle && shown) detail = `Phase ${shown.id} — ${shown.name}`;
    else if (g) detail = detailOf(g);
    const sym: DocumentSymbol = {
      name: shownHeading(h.text) || '(empty heading)',
      detail,
      kind: kindOf(g, isTitle),
      range: span(h.line, endLine, h.range),
      selectionRange: h.range,
      children: [],
    };
    while (stack.length > 0 && stack[stack.length - 1].level >= h.level) stack.pop();
    if (stack.length > 0) stack[stack.length - 1].sym.children!.push(sym);
    else roots.push(sym);
    stack.push({ level: h.level, sym });
    collapsiblesBefore(i + 1 < hs.length ? hs[i + 1].line : Number.POSITIVE_INFINITY);
  }
  return roots;
}

/** A group's count as the outline shows it. */
function detailOf(g: Group): string {
  return `${g.checked}/${g.total}${g.untracked ? ' · no checkboxes' : ''}`;
}

/** Phases, gates and artifacts of every workflow instance whose names match `query`. */
export function workspaceSymbols(ctx: FeatureContext, query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const seenArtifacts = new Set<DocEntry>();
  const add = (name: string, kind: SymbolKind, uri: string, range: Range, containerName: string) => {
    if (out.length >= MAX_WORKSPACE_SYMBOLS || !fuzzyMatch(query, name)) return;
    out.push({ name, kind, location: { uri: ctx.clientUri(uri), range }, containerName });
  };
  for (const w of ctx.analysis.workflows()) {
    if (out.length >= MAX_WORKSPACE_SYMBOLS) break;
    for (const p of w.phases) {
      const ph = p.phase;
      if (!ph) continue;
      const phaseName = `${ph.id} ${ph.name}`;
      // A phase that is a folder of documents has no place to open (its documents are listed below).
      if (!(p instanceof FolderPhaseEntry))
        add(phaseName, SymbolKind.Module, p.uri, p.doc.title?.range ?? START, w.id);
      for (const g of p.groups) {
        // Gates: the "… Gate" groups, and every group of a gate file (its entry and exit gates).
        if (g.kind !== 'gate' && g.file === undefined) continue;
        const at = g.headingRange ?? {
          start: { line: Math.max(0, g.line), character: 0 },
          end: { line: Math.max(0, g.line), character: 0 },
        };
        add(
          `${g.heading} ${g.checked}/${g.total}`,
          SymbolKind.Event,
          g.file ?? p.uri,
          at,
          `${w.id} · ${phaseName}`,
        );
      }
      const artifact = (e: DocEntry) => {
        if (seenArtifacts.has(e)) return;
        seenArtifacts.add(e);
        add(e.displayName, SymbolKind.File, e.uri, e.doc.title?.range ?? START, w.id);
      };
      for (const l of p.artifacts) {
        const r = ctx.index.resolve(p, l);
        if (r.status === 'resolved') artifact(r.target);
      }
      // Documents that are the phase's artifacts by their `phase` metadata or their place.
      for (const e of w.artifacts.get(p.uri) ?? []) artifact(e);
    }
  }
  // Documents by their DDX id, the id matched exactly before fuzzily.
  const byId: DocEntry[] = [];
  // A template's id (`FEAT-XXX` in `template: true`) is no document's: found by its name only.
  for (const folder of ctx.index.folders)
    for (const [, docs] of ctx.index.ids.ids(folder))
      for (const e of docs) if (!ctx.index.ids.isLooseTemplate(e)) byId.push(e);
  byId.sort((a, b) => Number(idOf(b) === query) - Number(idOf(a) === query) || (a.rel < b.rel ? -1 : 1));
  for (const e of byId) {
    if (out.length >= MAX_WORKSPACE_SYMBOLS) break;
    add(idOf(e)!, SymbolKind.Key, e.uri, e.doc.ddx?.id?.range ?? START, e.displayName);
  }
  return out;
}

/**
 * A kind the client knows: past File…Array (1–18) only those it announced; the others
 * as the nearest of those (a gate, an Event, as an Interface; an id, a Key, as a Constant).
 */
function knownKind(ctx: FeatureContext, kind: SymbolKind): SymbolKind {
  if (kind <= SymbolKind.Array || ctx.clientCapabilities.symbolKinds.has(kind)) return kind;
  return kind === SymbolKind.Key ? SymbolKind.Constant : SymbolKind.Interface;
}

/** The outline for this client: nested, or flat with container names where it reads no trees. */
function forClient(
  ctx: FeatureContext,
  uri: string,
  symbols: DocumentSymbol[],
): DocumentSymbol[] | SymbolInformation[] {
  if (ctx.clientCapabilities.hierarchicalSymbols) {
    // Most clients (VS Code) know every kind: the outline as built.
    const known = (s: DocumentSymbol): boolean =>
      knownKind(ctx, s.kind) === s.kind && (s.children ?? []).every(known);
    if (symbols.every(known)) return symbols;
    const fix = (s: DocumentSymbol): DocumentSymbol => ({
      ...s,
      kind: knownKind(ctx, s.kind),
      ...(s.children ? { children: s.children.map(fix) } : {}),
    });
    return symbols.map(fix);
  }
  const flat: SymbolInformation[] = [];
  const walk = (s: DocumentSymbol, container?: string) => {
    flat.push({
      name: s.name,
      kind: knownKind(ctx, s.kind),
      location: { uri, range: s.range },
      ...(container !== undefined ? { containerName: container } : {}),
    });
    for (const c of s.children ?? []) walk(c, s.name);
  };
  for (const s of symbols) walk(s);
  return flat;
}

/** Document outline and workspace symbols (phases, gates, artifacts). */
export const requests = [
  request<DocumentSymbolParams, DocumentSymbol[] | SymbolInformation[]>({
    type: DocumentSymbolRequest.type,
    run: async (ctx, params, token) =>
      forClient(ctx, params.textDocument.uri, await documentSymbols(ctx, params, token)),
  }),
  request<WorkspaceSymbolParams, SymbolInformation[]>({
    type: WorkspaceSymbolRequest.type,
    run: async (ctx, params, token) => {
      await ctx.ready(token);
      return workspaceSymbols(ctx, params.query).map((s) => ({ ...s, kind: knownKind(ctx, s.kind) }));
    },
  }),
];

export async function documentSymbols(
  ctx: FeatureContext,
  params: DocumentSymbolParams,
  token?: CancellationToken,
): Promise<DocumentSymbol[]> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) return [];
  const text = await ctx.readText(entry.uri);
  throwIfCancelled(token);
  const current = ctx.entry(params.textDocument.uri);
  if (!current) return [];
  return outline(current, text, ctx.analysis.shownPhase(current));
}
