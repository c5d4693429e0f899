import {
  type CancellationToken,
  type Hover,
  HoverRequest,
  MarkupKind,
  type TextDocumentPositionParams,
} from 'vscode-languageserver';
import { aliasReached } from '../core/aliases';
import { type GateItem, isGateItem } from '../core/gates/evaluate';
import type { DocEntry, Resolution } from '../core/index';
import type { Group } from '../core/model';
import { missingHeading } from '../core/resolve';
import { othersArtifact, ownedBy } from '../core/rules/cross-instance-link';
import { clipped } from '../core/text';
import type { WikiLink } from '../core/types';
import { type FeatureContext, throwIfCancelled } from './context';
import { escapeMarkdown, fenced } from './convert';
import { byId, idAt, idHover } from './ids';
import { linkUnder } from './link-under';
import { request } from './requests';

/** How many non-empty body lines the excerpt shows, and how long each may be. */
const EXCERPT_LINES = 8;
const EXCERPT_LINE_CHARS = 200;

/** The first non-empty lines after the title and metadata (or after a heading, when given). */
export function excerpt(text: string, target: DocEntry, afterLine?: number): string {
  const lines = text.split(/\r\n|\r|\n/);
  let start = 0;
  let end = lines.length;
  const d = target.doc;
  if (afterLine !== undefined) {
    start = afterLine + 1;
    // A heading's section: up to the next heading of its level or above (not the next
    // section's title after an empty one).
    const hs = d.headings;
    const at = hs.findIndex((h) => h.line === afterLine);
    if (at !== -1)
      for (let j = at + 1; j < hs.length; j++)
        if (hs[j].level <= hs[at].level) {
          end = hs[j].line;
          break;
        }
  } else {
    if (d.title && d.title.range.end.character > 0) start = Math.max(start, d.title.line + 1);
    if (d.metadata.range) start = Math.max(start, d.metadata.range.end.line + 1);
  }
  // A setext heading's underline (`====`, `----`) right after it is part of the heading.
  if (
    start > 0 &&
    start < lines.length &&
    /^ {0,3}(=+|-+)[ \t]*$/.test(lines[start]) &&
    lines[start - 1].trim() !== ''
  )
    start++;
  const out: string[] = [];
  for (let i = start; i < end && out.length < EXCERPT_LINES; i++) {
    const l = lines[i].trimEnd();
    if (l.trim() === '') continue;
    out.push(l.length > EXCERPT_LINE_CHARS ? `${l.slice(0, EXCERPT_LINE_CHARS)}…` : l);
  }
  return out.join('\n');
}

async function describe(
  ctx: FeatureContext,
  entry: DocEntry,
  link: Pick<WikiLink, 'raw' | 'target' | 'heading' | 'syntax'>,
  /** The document meant, known already (an id's own declaration: this document). */
  known?: DocEntry,
): Promise<string> {
  const r: Resolution = known
    ? { status: 'resolved', target: known, candidates: [known], headingMissing: false }
    : ctx.index.resolve(entry, link);
  // Alone, the document has no other documents to link to: its links are not checked.
  if (r.status === 'broken' && ctx.singleDocument)
    return `${escapeMarkdown(clipped(link.raw))}: links are not resolved outside a workspace folder.`;
  if (r.status === 'broken') {
    return `${escapeMarkdown(clipped(link.raw))} does not resolve: ${escapeMarkdown(r.reason)}.`;
  }
  if (r.status === 'file') {
    if (!r.folder) return `File ${escapeMarkdown(r.rel)}`;
    // A phase that stands for its folder of documents has the folder's URI with a `/`.
    const folder = `${r.rel}/`;
    const uri = `${ctx.index.uriFor(entry.folder, r.rel)}/`;
    const w = ctx.analysis.workflowOf(uri);
    const phase = w?.phases.find((p) => p.uri === uri);
    return phase
      ? `**${escapeMarkdown(folder)}**\n\nPhase ${phase.phase!.id} — ${escapeMarkdown(phase.phase!.name)} (workflow ${escapeMarkdown(w!.id)})`
      : `Folder ${escapeMarkdown(folder)}`;
  }
  // An artifact entry naming this cycle's own, not written yet: no other cycle's document.
  const others =
    known || !('range' in link) ? undefined : othersArtifact(ctx.analysis, entry, link as WikiLink, r);
  if (others)
    return `${escapeMarkdown(clipped(link.raw))}: this cycle's own artifact, not written yet (${escapeMarkdown(ownedBy(others))}).`;
  const t = r.target;
  const parts: string[] = [];
  if (r.headingMissing) {
    const missing = missingHeading(link.heading ?? '', r.headingFailed?.segment);
    parts.push(
      `${escapeMarkdown(clipped(link.raw))} does not resolve: ${escapeMarkdown(t.rel)} has no heading ` +
        `“${escapeMarkdown(missing.name)}”` +
        (missing.under === undefined ? '' : ` under “${escapeMarkdown(missing.under)}”`) +
        '.',
    );
  }
  parts.push(`**${escapeMarkdown(t.displayName)}**`);
  const about: string[] = [];
  const shown = ctx.analysis.shownPhase(t);
  if (shown) about.push(`Phase ${shown.id} — ${escapeMarkdown(shown.name)}`);
  else {
    const of = artifactPhase(ctx, t)?.phase;
    if (of) about.push(`Artifact of phase ${of.id} — ${escapeMarkdown(of.name)}`);
  }
  about.push(escapeMarkdown(t.rel));
  const alias = aliasReached(link, t);
  if (alias !== undefined) about.push(`by its alias “${escapeMarkdown(alias)}”`);
  parts.push(about.join(' · '));
  const ids = idHover(ctx.index, t);
  if (ids) parts.push(ids);
  if (r.candidates.length > 1) {
    parts.push(
      `Ambiguous: also ${r.candidates
        .slice(1)
        .map((c) => escapeMarkdown(c.rel))
        .join(', ')}`,
    );
  }
  const groups = t.groups.filter((g) => g.total > 0 || g.gateHeading);
  if (groups.length > 0) {
    parts.push(groups.map((g) => `${escapeMarkdown(g.heading)} ${g.checked}/${g.total}`).join(' · '));
  }
  const text = await ctx.readText(t.uri);
  if (text !== undefined) {
    const body = excerpt(text, t, r.heading?.line);
    if (body) parts.push(fenced(body, 'markdown'));
  }
  return parts.join('\n\n');
}

/** The phase a document is an artifact of (by its folder or `phase` metadata), if any. */
function artifactPhase(ctx: FeatureContext, e: DocEntry): DocEntry | undefined {
  for (const w of ctx.analysis.workflows())
    for (const [uri, docs] of w.artifacts) if (docs.includes(e)) return w.phases.find((p) => p.uri === uri);
  return undefined;
}

/**
 * Hover on an item of a gate file, on any line of its list entry (`- description: …`,
 * `check:`, `path:` …: the lines from its `-` down, more indented than the `-`): its
 * group, phase, state and reason.
 */
async function gateItemHover(ctx: FeatureContext, uri: string, line: number): Promise<Hover | null> {
  const g = ctx.index.gates.get(ctx.canonical(uri));
  if (!g) return null;
  const phase = ctx.analysis.phaseOfGateFile(g);
  if (!phase) return null;
  // The file's items, each with its group.
  const items: { it: GateItem; group: Group }[] = [];
  for (const group of phase.groups)
    if (group.file === g.uri) for (const it of group.items) if (isGateItem(it)) items.push({ it, group });
  let found = items.find((x) => x.it.line === line);
  if (!found) {
    const text = await ctx.readText(g.uri);
    const lines = text?.split(/\r\n|\r|\n/) ?? [];
    // A blank line or a comment is no item's.
    const here = (lines[line] ?? '').trim();
    if (here === '' || here.startsWith('#')) return null;
    const indent = (l: string) => l.length - l.trimStart().length;
    const entry = /^\s*-(\s|$)/;
    for (const x of items) {
      const it = x.it;
      let dash = it.line;
      while (dash > 0 && !entry.test(lines[dash] ?? '')) dash--;
      // The entry's `-` stands left of its keys (a flow list's item, `manual: [a]`, has none).
      if (!entry.test(lines[dash] ?? '') || dash > line) continue;
      if (dash !== it.line && indent(lines[dash]) >= indent(lines[it.line] ?? '')) continue;
      const base = indent(lines[dash]);
      // Every line from the `-` down to the hovered line and to the item's own line is more
      // indented than the `-` (a flow-list item on a later line is no line of this entry).
      let inside = true;
      for (let k = dash + 1; k <= Math.max(line, it.line) && inside; k++) {
        const l = lines[k] ?? '';
        // (blank lines and comments, wherever they start, end no entry)
        inside = l.trim() === '' || l.trimStart().startsWith('#') || indent(l) > base;
      }
      if (inside) found = x;
    }
  }
  if (!found) return null;
  const { it, group } = found;
  const parts = [
    `**${escapeMarkdown(it.text)}**`,
    `${escapeMarkdown(group.heading)} · Phase ${phase.phase!.id} — ${escapeMarkdown(phase.phase!.name)}`,
    `${STATE_TEXT[it.state]}${it.reason ? `: ${escapeMarkdown(it.reason)}` : ''}${
      // (an optional item's group passes without it: said, as the diagnostic says it)
      it.optional && it.state !== 'passed' ? ' (optional: its group passes without it)' : ''
    }`,
  ];
  if (it.output) parts.push(fenced(it.output));
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: it.range };
}

const STATE_TEXT: Record<string, string> = {
  passed: '✅ Met',
  failed: '❌ Not met',
  'not-evaluated': '❔ Not evaluated',
  unconfirmed: '☐ Not confirmed yet',
  unchecked: '☐ Not checked',
};

/** Hover on a wikilink: what it points at, its phase and progress, and the start of its text. */
export const requests = [
  request<TextDocumentPositionParams, Hover | null>({
    type: HoverRequest.type,
    run: async (ctx, params, token) => {
      const h = await hover(ctx, params, token);
      if (!h || !ctx.clientCapabilities.plainHover) return h;
      const c = h.contents as { kind: string; value: string };
      return { ...h, contents: { kind: MarkupKind.PlainText, value: plainText(c.value) } };
    },
  }),
];

/**
 * Hover markdown as plain text, for a client that shows no markdown: code fences, bold
 * markers and backslash escapes left out, a link as its text and target.
 */
export function plainText(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    // A fenced excerpt is the document's own text: kept as it is.
    if (fence !== undefined) {
      out.push(line);
      continue;
    }
    out.push(
      line
        .replace(/\*\*/g, '')
        .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_, text: string, href: string) =>
          href ? `${text} (${href})` : text,
        )
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\\([!-/:-@[-`{-~])/g, '$1'),
    );
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

export async function hover(
  ctx: FeatureContext,
  params: TextDocumentPositionParams,
  token?: CancellationToken,
): Promise<Hover | null> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) return await gateItemHover(ctx, params.textDocument.uri, params.position.line);
  const spot = idAt(entry, params.position);
  if (spot) {
    const t = spot.kind === 'declaration' ? entry : byId(ctx.index, entry, spot.ref.id);
    const value = t
      ? await describe(
          ctx,
          entry,
          { raw: spot.ref.id, target: spot.ref.id },
          spot.kind === 'declaration' ? entry : undefined,
        )
      : `${spot.kind === 'lineage' ? '' : 'depends_on '}"${escapeMarkdown(spot.ref.id)}": no document has this id.`;
    throwIfCancelled(token);
    return { contents: { kind: MarkupKind.Markdown, value }, range: spot.ref.range };
  }
  const under = await linkUnder(ctx, entry, params.position, token);
  if (!under) return null;
  const value = await describe(ctx, entry, under.link);
  throwIfCancelled(token);
  return { contents: { kind: MarkupKind.Markdown, value }, range: under.range };
}
