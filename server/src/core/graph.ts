import { cmp } from './collections';
import { idOf } from './ids';
import type { DocEntry, WorkspaceIndex } from './index';

/**
 * The document graph of `cdp graph`: documents as nodes (named by their DDX id, else
 * their path), `depends_on` entries and resolved wikilinks as edges.
 */
export interface GraphNode {
  /** The id, or the folder-relative path for a document without one. */
  key: string;
  id?: string;
  file: string;
  title: string;
  type?: string;
  status?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'depends_on' | 'link';
}

export interface DocumentGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphOptions {
  /** Start from the document with this id (or path) and follow outgoing edges only. */
  root?: string;
  /** How many edges away from `root` (default: all). */
  depth?: number;
  /** Which documents count (the CLI's paths). */
  include?: (e: DocEntry) => boolean;
  fileOf: (e: DocEntry) => string;
}

export type GraphResult = { graph: DocumentGraph } | { error: string };

export function buildGraph(index: WorkspaceIndex, o: GraphOptions): GraphResult {
  const all = [...index.all()].sort((a, b) => cmp(o.fileOf(a), o.fileOf(b)));
  // Every node its own key: the id for the first document (in path order, the one links and
  // dependencies by that id reach) that declares it, unless it is another document's path;
  // the path otherwise (a second document with the same id, or one without an id).
  const paths = new Set(all.map((e) => o.fileOf(e)));
  const keys = new Map<DocEntry, string>();
  const taken = new Set<string>();
  for (const e of all) {
    const id = idOf(e);
    const file = o.fileOf(e);
    const key = id !== undefined && !taken.has(id) && (!paths.has(id) || id === file) ? id : file;
    taken.add(key);
    keys.set(e, key);
  }
  const keyOf = (e: DocEntry) => keys.get(e) ?? o.fileOf(e);
  const out = (e: DocEntry): GraphEdge[] => {
    const edges: GraphEdge[] = [];
    const seen = new Set<string>();
    const add = (t: DocEntry, kind: GraphEdge['kind']) => {
      const k = `${kind}\u0000${t.uri}`;
      // A document linking itself is no edge; one depending on itself is (a cycle of one).
      if ((t === e && kind === 'link') || seen.has(k)) return;
      seen.add(k);
      edges.push({ from: keyOf(e), to: keyOf(t), kind });
    };
    for (const r of e.doc.ddx?.dependsOn ?? []) {
      const t = index.ids.nearest(e, r.id);
      if (t) add(t, 'depends_on');
    }
    for (const l of e.doc.links) {
      // A `depends_on` entry written as a wikilink is the dependency above, not a link too.
      if (l.target === '' || e.dependencyLinks.has(l)) continue;
      const r = index.resolve(e, l);
      if (r.status === 'resolved') add(r.target, 'link');
    }
    return edges;
  };
  const byKey = new Map<string, DocEntry>();
  for (const e of all) byKey.set(keyOf(e), e);
  let chosen: DocEntry[];
  if (o.root === undefined) chosen = all.filter((e) => o.include?.(e) ?? true);
  else {
    const start = startOf(index, all, byKey, o.root, o.fileOf);
    if ('error' in start) return start;
    const depth = new Map<DocEntry, number>([[start.doc, 0]]);
    const queue = [start.doc];
    for (let q = 0; q < queue.length; q++) {
      const e = queue[q];
      const d = depth.get(e)!;
      if (o.depth !== undefined && d >= o.depth) continue;
      for (const edge of out(e)) {
        const t = byKey.get(edge.to);
        if (t && !depth.has(t)) {
          depth.set(t, d + 1);
          queue.push(t);
        }
      }
    }
    chosen = queue;
  }
  const inGraph = new Set(chosen.map(keyOf));
  const nodes = chosen.map((e): GraphNode => {
    const d = e.doc.ddx;
    const n: GraphNode = { key: keyOf(e), file: o.fileOf(e), title: e.displayName };
    if (d?.id) n.id = d.id.id;
    if (d?.type) n.type = d.type;
    if (d?.status) n.status = d.status;
    return n;
  });
  const edges = chosen.flatMap(out).filter((x) => inGraph.has(x.to));
  return { graph: { nodes, edges } };
}

/** How many documents an ambiguous `root` names by path before "and N more". */
const NAMED = 10;

/**
 * The document `root` names: the one at that path, else the one declaring that id. An id
 * several documents declare (each product of a monorepo its own `helix.arch`) names none
 * of them: the error lists them, to be named by path.
 */
function startOf(
  index: WorkspaceIndex,
  all: readonly DocEntry[],
  byKey: ReadonlyMap<string, DocEntry>,
  root: string,
  fileOf: (e: DocEntry) => string,
): { doc: DocEntry } | { error: string } {
  const atPath = all.find((e) => fileOf(e) === root);
  if (atPath) return { doc: atPath };
  let declaring = all.filter((e) => idOf(e) === root);
  if (declaring.length > 1) {
    // The projects' documents before a workflow definition's: a library template that
    // declares the id a project fills in (`helix.prd`) declares it for the library alone.
    const projects = declaring.filter((e) => index.ids.declarers(e.folder, '', root).includes(e));
    if (projects.length > 0) declaring = projects;
  }
  if (declaring.length > 1) {
    const files = declaring.slice(0, NAMED).map(fileOf);
    const more = declaring.length > NAMED ? `, and ${declaring.length - NAMED} more` : '';
    return {
      error: `the id "${root}" is ambiguous: ${declaring.length} documents declare it (${files.join(', ')}${more}); name the one to start from by its path`,
    };
  }
  const doc = declaring[0] ?? byKey.get(root);
  return doc ? { doc } : { error: `no document has the id "${root}"` };
}

/**
 * A node's label parts: its id, unless its title already begins with it ("FEAT-001:
 * Bank import"), and its title.
 */
/**
 * Each node's label parts, the file added to a title that another node's label shares
 * (a template's "Diagnose Phase" beside an instance's).
 */
function labelsOf(g: DocumentGraph): Map<GraphNode, { id?: string; title: string }> {
  const parts = new Map(g.nodes.map((n) => [n, labelParts(n)]));
  const seen = new Map<string, number>();
  const text = (p: { id?: string; title: string }) => `${p.id ?? ''}\u0000${p.title}`;
  for (const p of parts.values()) seen.set(text(p), (seen.get(text(p)) ?? 0) + 1);
  for (const [n, p] of parts) if ((seen.get(text(p)) ?? 0) > 1) p.title = `${p.title} (${n.file})`;
  return parts;
}

function labelParts(n: GraphNode): { id?: string; title: string } {
  const id = n.id;
  if (id === undefined) return { title: n.title };
  const rest = n.title.startsWith(id) ? n.title.slice(id.length) : undefined;
  return rest !== undefined && (rest === '' || !/^[\p{L}\p{N}_.-]/u.test(rest))
    ? { title: n.title }
    : { id, title: n.title };
}

/** Graphviz: ids as quoted node names, links dashed. */
export function toDot(g: DocumentGraph): string {
  const q = (s: string) =>
    `"${s
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/\r?\n|\r/g, ' ')}"`;
  const lines = ['digraph documents {', '  rankdir=LR;', '  node [shape=box];'];
  // Graphviz reads character references in labels (`&amp;`, `&#10;`): a title's `&` is written as one.
  const esc = (s: string) => q(s).slice(1, -1).replace(/&/g, '&amp;');
  const labels = labelsOf(g);
  for (const n of g.nodes) {
    const { id, title } = labels.get(n)!;
    lines.push(`  ${q(n.key)} [label="${id ? `${esc(id)}\\n` : ''}${esc(title)}"];`);
  }
  for (const e of g.edges)
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.kind === 'link' ? ' [style=dashed]' : ''};`);
  lines.push('}');
  return lines.join('\n');
}

const MERMAID_ENTITY: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  // A label between backticks would be a markdown string (bold, italics): written as one.
  '`': '#96;',
};

/** Mermaid flowchart: nodes numbered (ids may hold characters Mermaid reserves), labels quoted. */
export function toMermaid(g: DocumentGraph): string {
  const num = new Map(g.nodes.map((n, i) => [n.key, `n${i}`]));
  // Mermaid reads `#name;` as an entity and renders labels as HTML: `#`, quotes, `<`, `>`,
  // `&` and backticks are written as entities, so a title shows as written and adds no markup.
  const label = (s: string) => s.replace(/[#"<>&`]/g, (c) => MERMAID_ENTITY[c]).replace(/[\r\n]+/g, ' ');
  const lines = ['flowchart LR'];
  const labels = labelsOf(g);
  for (const n of g.nodes) {
    const { id, title } = labels.get(n)!;
    lines.push(`  ${num.get(n.key)}["${label(id ? `${id}: ${title}` : title)}"]`);
  }
  for (const e of g.edges)
    lines.push(`  ${num.get(e.from)} ${e.kind === 'link' ? '-.->' : '-->'} ${num.get(e.to)}`);
  return lines.join('\n');
}
