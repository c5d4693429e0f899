import { cmp, pull, push } from './collections';
import { dirname, nearestTo } from './paths';
import type { ParsedDocument } from './types';

/**
 * DDX document ids (see README, "Document ids and dependencies"): which documents
 * declare which id, which depend on which, and the dependency cycles. Ids are exact
 * (case-sensitive) and never reach outside their workspace folder.
 */

/** What the table needs of an indexed document. */
export interface IdDoc {
  uri: string;
  folder: string;
  rel: string;
  doc: ParsedDocument;
  /** Its metadata says `template: true` (see `IdTable.isLooseTemplate`). */
  readonly template?: boolean;
}

/**
 * An id in lower case with the leading zeros of each of its numbers dropped (`FEAT-002`,
 * `feat-2` and `Feat-02` all read `feat-2`): ids that read the same differ only in letter
 * case or zero padding, likely one meant for the other (ids match exactly).
 */
export function nearIdKey(id: string): string {
  return id.toLowerCase().replace(/(^|\D)0+(?=\d)/g, '$1');
}

/**
 * Ids that read as `id` with each of its numbers written with up to `width` digits or as
 * many as it has (`FEAT-2` → `FEAT-2`, `FEAT-02`, `FEAT-002`, `FEAT-0002`), at most 64:
 * the spellings a link naming it in other zero padding is likely written in.
 */
export function paddedSpellings(id: string, width = 4): string[] {
  const parts = id.split(/(\d+)/);
  let out = [''];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      out = out.map((x) => x + parts[i]);
      continue;
    }
    const bare = parts[i].replace(/^0+(?=\d)/, '');
    const widths: string[] = [];
    for (let w = bare.length; w <= Math.max(width, parts[i].length); w++) widths.push(bare.padStart(w, '0'));
    if (out.length * widths.length > 64) return [id];
    out = out.flatMap((x) => widths.map((n) => x + n));
  }
  return out;
}

export function idOf(e: IdDoc): string | undefined {
  return e.doc.ddx?.id?.id;
}

/** Statuses whose documents should no longer be linked to. */
export function isRetired(e: IdDoc): boolean {
  const s = e.doc.ddx?.status?.toLowerCase();
  return s === 'superseded' || s === 'deprecated';
}

/** What, if it changes, can change other documents' id findings. */
export function idStructureKey(doc: ParsedDocument): string {
  const d = doc.ddx;
  if (!d) return '';
  return `${d.id?.id ?? ''}\u0000${d.dependsOn.map((r) => r.id).join('\u0001')}\u0000${d.status ?? ''}\u0000${
    d.supersededBy ?? ''
  }\u0000${d.supersedes.join('\u0001')}\u0000${d.parkingLot}\u0000${doc.metadata.data.template === true}`;
}

/**
 * Where the workflow definitions of a workspace folder lie (see `Analysis`): a template's
 * id is the definition's own. Documents inside a definition name any document by id;
 * the others (work under way, documents outside every workflow) never name a template,
 * so a project that lacks `FEAT-001` has a missing dependency and a broken link even
 * when the library's phase documents declare one.
 */
export interface DefinitionScope {
  /** Changes whenever the definitions' folders change. */
  version(): number;
  /** Whether the documents of `dir` (relative to `folder`) belong to a workflow definition. */
  contains(folder: string, dir: string): boolean;
  /** Whether `folder` holds any workflow definition (most do not: nothing to filter then). */
  any(folder: string): boolean;
}

const NO_DEFINITIONS: DefinitionScope = { version: () => 0, contains: () => false, any: () => false };

export class IdTable<T extends IdDoc> {
  /** folder → id → documents declaring it, kept sorted by path. */
  private readonly byId = new Map<string, Map<string, T[]>>();
  /**
   * folder → id → documents whose `depends_on` names it: built on first use (a check of the
   * whole workspace never asks), then kept up to date.
   */
  private dependentsTable?: Map<string, Map<string, T[]>>;

  /**
   * @param all every document of the index (the dependents table is built from it).
   * @param definitions where the workflow definitions lie (whose ids only they name).
   */
  constructor(
    private readonly all: () => Iterable<T>,
    private readonly definitions: DefinitionScope = NO_DEFINITIONS,
  ) {}

  private get dependents(): Map<string, Map<string, T[]>> {
    if (!this.dependentsTable) {
      const table = new Map<string, Map<string, T[]>>();
      for (const e of this.all()) addDependent(table, e);
      this.dependentsTable = table;
    }
    return this.dependentsTable;
  }
  /** How many documents have a status that links should be warned about. */
  private retired = 0;
  /** The documents whose `superseded_by` or `supersedes` names an id (few: kept as a set). */
  private readonly lineaged = new Set<T>();
  /** folder → `nearIdKey` → the ids declared that read so, for the version `lowerFor` (see `nearIds`). */
  private lowerIds?: Map<string, Map<string, string[]>>;
  private lowerFor = -1;
  /** Changes whenever an id, a dependency or a status changes. */
  private version = 0;
  /** The version `cycleOf` was computed for (see `graph`), and the definitions' version. */
  private graphFor = -1;
  private graphScope = -1;
  /** uri → the component of a document on a cycle. */
  private cycleOf = new Map<string, T[]>();

  add(e: T): void {
    const d = e.doc.ddx;
    if (!d) return;
    this.version++;
    if (isRetired(e)) this.retired++;
    if (namesLineage(e)) this.lineaged.add(e);
    if (d.id) insertSorted(inFolder(this.byId, e.folder), d.id.id, e);
    if (this.dependentsTable) addDependent(this.dependentsTable, e);
  }

  remove(e: T): void {
    const d = e.doc.ddx;
    if (!d) return;
    this.version++;
    if (isRetired(e)) this.retired--;
    this.lineaged.delete(e);
    if (d.id) {
      const ids = this.byId.get(e.folder);
      if (ids) pull(ids, d.id.id, e);
    }
    const deps = this.dependentsTable?.get(e.folder);
    if (deps) forEachDependency(d.dependsOn, (id) => pull(deps, id, e));
  }

  /**
   * Puts `next` in the place of `prev`, a version of the same document with the same
   * `idStructureKey`: the ids, dependencies and cycles stay as they are, so a keystroke
   * that leaves them alone does not make the next `cycle` search the whole graph again.
   */
  replace(prev: T, next: T): void {
    const d = next.doc.ddx;
    if (!d) return;
    if (d.id) swap(this.byId.get(next.folder)?.get(d.id.id), prev, next);
    if (this.lineaged.delete(prev)) this.lineaged.add(next);
    const deps = this.dependentsTable?.get(next.folder);
    if (deps) forEachDependency(d.dependsOn, (id) => swap(deps.get(id), prev, next));
    const members = this.cycleOf.get(prev.uri);
    // Only the graph of this version: `graph()` computes it again when the scope changed
    // (asking the scope here would build the workflows in the middle of the edit).
    if (members && this.graphFor === this.version) swap(members, prev, next);
  }

  /** The documents of a folder that declare `id`, sorted by path (do not modify). */
  get(folder: string, id: string): readonly T[] {
    return this.byId.get(folder)?.get(id) ?? NONE;
  }

  /**
   * The documents declaring `id` that a document in `fromDir` names by it, sorted by path:
   * from inside a workflow definition those inside definitions, else those outside every
   * definition (see `DefinitionScope`): a template's ids and a project's never name each
   * other's documents.
   */
  declarers(folder: string, fromDir: string, id: string): readonly T[] {
    const list = this.get(folder, id);
    if (list.length === 0) return list;
    const scoped = this.definitions.any(folder);
    const inside = scoped && this.definitions.contains(folder, fromDir);
    let out: T[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      // Outside the definitions a template is none of them (`isLooseTemplate`): never named.
      const apart = scoped
        ? this.definitions.contains(folder, dirname(x.rel)) !== inside || (!inside && x.template === true)
        : x.template === true;
      if (apart) out ??= list.slice(0, i);
      else if (out) out.push(x);
    }
    return out ?? list;
  }

  /**
   * Whether `e` is a template outside every workflow definition (`template: true` in a
   * team's `templates/feature-template.md`): the id it declares is the one each document
   * made from it will declare (`FEAT-XXX`), its `depends_on` what they will name. No
   * document names it by its id (`declarers`), and its `depends_on` make it no
   * dependent of the documents they reach (`dependentsOfDoc`).
   */
  isLooseTemplate(e: T): boolean {
    return e.template === true && !this.definitions.contains(e.folder, dirname(e.rel));
  }

  /**
   * The ids declared in `folder` that `fromDir`'s documents may name (see `declarers`) and
   * that differ from `id` only in letter case, in the zero padding of their numbers or in
   * both (`nearIdKey`), sorted: what `FEAT-2` or `feat-002` was likely meant as when only
   * `FEAT-002` is declared. Looked up in a table by `nearIdKey`, built on first use after
   * the ids change.
   */
  nearIds(folder: string, fromDir: string, id: string): string[] {
    if (this.lowerFor !== this.version || !this.lowerIds) {
      const table = new Map<string, Map<string, string[]>>();
      this.byId.forEach((ids, f) => {
        const near = new Map<string, string[]>();
        ids.forEach((list, x) => {
          if (list.length === 0) return;
          const k = nearIdKey(x);
          const same = near.get(k);
          if (same) same.push(x);
          else near.set(k, [x]);
        });
        table.set(f, near);
      });
      this.lowerIds = table;
      this.lowerFor = this.version;
    }
    const same = this.lowerIds.get(folder)?.get(nearIdKey(id));
    if (!same) return [];
    return same.filter((x) => x !== id && this.declarers(folder, fromDir, x).length > 0).sort(cmp);
  }

  /**
   * The documents of `e`'s folder whose `superseded_by` or `supersedes` names its id, in
   * any letter case (their findings say whether it is found, and links to them name it).
   */
  lineageOf(e: T): T[] {
    const id = e.doc.ddx?.id?.id.toLowerCase();
    if (id === undefined || this.lineaged.size === 0) return [];
    const out: T[] = [];
    for (const x of this.lineaged) {
      if (x.folder !== e.folder) continue;
      const d = x.doc.ddx!;
      if (d.supersededBy?.toLowerCase() === id || d.supersedes.some((s) => s.toLowerCase() === id))
        out.push(x);
    }
    return out;
  }

  /** Whether any document has a `superseded` or `deprecated` status. */
  get anyRetired(): boolean {
    return this.retired > 0;
  }

  /** Every id of a folder with its documents. */
  *ids(folder: string): IterableIterator<[string, T[]]> {
    yield* this.byId.get(folder) ?? [];
  }

  /** Documents whose `depends_on` names `id`, sorted by path. */
  dependentsOf(folder: string, id: string): T[] {
    const list = this.dependents.get(folder)?.get(id);
    return list ? sortByRel(list) : [];
  }

  /**
   * Documents whose `depends_on` reaches `e` by its id: those naming it for which `e` is
   * the nearest document declaring it (another project's document with the same id is
   * theirs), sorted by path.
   */
  dependentsOfDoc(e: T): T[] {
    const id = e.doc.ddx?.id?.id;
    if (id === undefined) return [];
    return this.dependentsOf(e.folder, id).filter(
      (from) => !this.isLooseTemplate(from) && this.nearest(from, id) === e,
    );
  }

  /** The documents a document depends on (each entry's nearest match), without repeats. */
  dependenciesOf(e: T): T[] {
    const out = new Set<T>();
    for (const r of e.doc.ddx?.dependsOn ?? []) {
      const hit = this.nearest(e, r.id);
      if (hit) out.add(hit);
    }
    return [...out];
  }

  /**
   * The dependency cycle through `e`, or undefined when `e` is on no cycle: `members`
   * are all documents that depend on each other with it (sorted by path); `path` a
   * shortest cycle from `e` in order (its last document depends on `e`), left out for
   * components too large to search one per document.
   */
  cycle(e: T): { members: T[]; path?: T[] } | undefined {
    this.graph();
    const members = this.cycleOf.get(e.uri);
    if (!members) return undefined;
    const path =
      members.length > MAX_PATH_SEARCH
        ? undefined
        : shortestCycle(
            e,
            (x) => this.cycleOf.get(x.uri) === members,
            (x) => this.targets(x),
          );
    return { members, path };
  }

  /**
   * The positions in `e`'s `depends_on` of the entries that name no id of its folder (none
   * it may name: a template's id is not a project's, see `declarers`).
   */
  missingDependencies(e: T): readonly number[] {
    const deps = e.doc.ddx?.dependsOn;
    if (!deps?.length) return NONE;
    const dir = dirname(e.rel);
    let missing: number[] | undefined;
    for (let i = 0; i < deps.length; i++)
      if (this.declarers(e.folder, dir, deps[i].id).length === 0) (missing ??= []).push(i);
    return missing ?? NONE;
  }

  /**
   * The document declaring `id` nearest to `from` (sharing the most leading folders with
   * it; the first in path order among equals): what `from` names by that id. Projects of
   * one repository may use the same ids (`helix.prd`), each its own.
   */
  nearest(from: { folder: string; rel: string }, id: string): T | undefined {
    const dir = dirname(from.rel);
    return nearestTo(this.declarers(from.folder, dir, id), dir, (x) => x.rel);
  }

  /**
   * Documents whose id findings can change when `e` changes: those declaring its id or
   * depending on it (in any letter case), those it depends on, those on a cycle with it,
   * and those whose `superseded_by` or `supersedes` names its id with their dependents.
   */
  neighbours(e: T): Set<string> {
    const out = new Set<string>();
    const d = e.doc.ddx;
    if (!d) return out;
    if (d.id) {
      for (const x of this.get(e.folder, d.id.id)) out.add(x.uri);
      for (const x of this.dependentsOf(e.folder, d.id.id)) out.add(x.uri);
      // Those naming it in other letter case or zero padding (told that it differs only so).
      const near = nearIdKey(d.id.id);
      this.dependents.get(e.folder)?.forEach((list, id) => {
        if (id !== d.id!.id && nearIdKey(id) === near) for (const x of list) out.add(x.uri);
      });
      // Those naming it as their successor or predecessor, and the documents depending on them.
      for (const x of this.lineageOf(e)) {
        out.add(x.uri);
        const own = idOf(x);
        if (own !== undefined) for (const y of this.dependentsOf(x.folder, own)) out.add(y.uri);
      }
    }
    for (const x of this.targets(e)) out.add(x.uri);
    for (const x of this.cycle(e)?.members ?? []) out.add(x.uri);
    return out;
  }

  /** Whether two documents are on one dependency cycle. */
  sameCycle(a: T, b: T): boolean {
    const m = this.cycle(a)?.members;
    return m !== undefined && this.cycleOf.get(b.uri) === m;
  }

  /** Every document an entry of `e` names (all that declare the id and that it may name). */
  private targets(e: T): T[] {
    const out: T[] = [];
    const dir = dirname(e.rel);
    for (const r of e.doc.ddx?.dependsOn ?? [])
      for (const x of this.declarers(e.folder, dir, r.id)) out.push(x);
    return out;
  }

  /**
   * Brings `cycleOf` up to date with the table: the strongly connected components of the
   * dependency graph (`components`); each document on a cycle maps to its component. A
   * document depending on itself is a cycle of one.
   */
  private graph(): void {
    const scope = this.definitions.version();
    if (this.graphFor !== this.version || this.graphScope !== scope) this.computeGraph(scope);
  }

  private computeGraph(scope: number): void {
    this.graphFor = this.version;
    this.graphScope = scope;
    // Documents as numbers and edges in two flat arrays. A document on a cycle declares an
    // id (something depends on it) and depends on one: the others are no nodes. The nodes
    // declaring one id get consecutive numbers, so an entry's edges are the range of its
    // id's group. Loops over arrays and `forEach`, no iterators: this runs once per check,
    // mostly before the engine has optimised it.
    const nodes: T[] = [];
    /** folder → id → its group's number; the group's nodes are groupFrom[g] … groupFrom[g + 1] - 1. */
    const groupOf = new Map<string, Map<string, number>>();
    const groupFrom: number[] = [0];
    this.byId.forEach((ids, folder) => {
      const groups = new Map<string, number>();
      groupOf.set(folder, groups);
      ids.forEach((list, id) => {
        groups.set(id, groupFrom.length - 1);
        for (let i = 0; i < list.length; i++) if (list[i].doc.ddx!.dependsOn.length > 0) nodes.push(list[i]);
        groupFrom.push(nodes.length);
      });
    });
    const n = nodes.length;
    // The edges of node v are edgeTo[edgeFrom[v]] … edgeTo[edgeFrom[v + 1] - 1].
    const edgeFrom = new Int32Array(n + 1);
    const edgeTo: number[] = [];
    for (let v = 0; v < n; v++) {
      const x = nodes[v];
      const deps = x.doc.ddx!.dependsOn;
      const groups = groupOf.get(x.folder)!;
      for (let i = 0; i < deps.length; i++) {
        const g = groups.get(deps[i].id);
        if (g === undefined) continue;
        // To the nearest declaring it (an id of the projects of a monorepo is declared in each).
        const near = this.nearest(x, deps[i].id);
        for (let k = groupFrom[g]; k < groupFrom[g + 1]; k++) if (nodes[k] === near) edgeTo.push(k);
      }
      edgeFrom[v + 1] = edgeTo.length;
    }
    const component = components(n, edgeFrom, edgeTo);
    const out = new Map<string, T[]>();
    const members = new Map<number, T[]>();
    for (let v = 0; v < n; v++) {
      const c = component[v];
      if (c < 0) continue;
      let list = members.get(c);
      if (!list) members.set(c, (list = []));
      list.push(nodes[v]);
    }
    members.forEach((scc) => {
      scc.sort((a, b) => cmp(a.rel, b.rel));
      for (const x of scc) out.set(x.uri, scc);
    });
    this.cycleOf = out;
  }
}

/**
 * The strongly connected components of a graph of `n` nodes whose edges from node v are
 * `edgeTo[edgeFrom[v]] … edgeTo[edgeFrom[v + 1] - 1]` (Tarjan, iterative so that a chain of
 * ten thousand documents does not exhaust the stack): for each node the number of its
 * component when that is a cycle (more than one node, or a node with an edge to itself),
 * else -1.
 */
function components(n: number, edgeFrom: Int32Array, edgeTo: readonly number[]): Int32Array {
  const component = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  // The depth-first path: a node and how many of its edges were followed.
  const workNode = new Int32Array(n);
  const workEdge = new Int32Array(n);
  let depth = 0;
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    workNode[0] = root;
    workEdge[0] = edgeFrom[root];
    depth = 1;
    while (depth > 0) {
      const top = depth - 1;
      const v = workNode[top];
      if (workEdge[top] < edgeFrom[v + 1]) {
        const w = edgeTo[workEdge[top]++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          workNode[depth] = w;
          workEdge[depth] = edgeFrom[w];
          depth++;
        } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = workNode[depth - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] !== index[v]) continue;
      // v roots a component: the nodes above it on the stack.
      let from = sp - 1;
      while (stack[from] !== v) from--;
      let cycle = sp - from > 1;
      for (let k = edgeFrom[v]; !cycle && k < edgeFrom[v + 1]; k++) cycle = edgeTo[k] === v;
      for (let k = from; k < sp; k++) {
        onStack[stack[k]] = 0;
        if (cycle) component[stack[k]] = components;
      }
      if (cycle) components++;
      sp = from;
    }
  }
  return component;
}

/** Whether a document's `superseded_by` or `supersedes` names an id. */
function namesLineage(e: IdDoc): boolean {
  const d = e.doc.ddx;
  return d !== undefined && (d.supersededBy !== undefined || d.supersedes.length > 0);
}

function addDependent<T extends IdDoc>(table: Map<string, Map<string, T[]>>, e: T): void {
  const d = e.doc.ddx;
  if (!d || d.dependsOn.length === 0) return;
  const deps = inFolder(table, e.folder);
  forEachDependency(d.dependsOn, (id) => push(deps, id, e));
}

/** Calls `f` once for each id a `depends_on` list names (an id written twice counts once). */
function forEachDependency(refs: readonly { id: string }[], f: (id: string) => void): void {
  if (refs.length > 16) {
    for (const id of new Set(refs.map((r) => r.id))) f(id);
    return;
  }
  for (let i = 0; i < refs.length; i++) {
    const id = refs[i].id;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = refs[j].id === id;
    if (!seen) f(id);
  }
}

function swap<T>(list: T[] | undefined, prev: T, next: T): void {
  if (!list) return;
  const i = list.indexOf(prev);
  if (i >= 0) list[i] = next;
}

/** Components larger than this are named by their members, not by a path through them. */
const MAX_PATH_SEARCH = 2000;

/** A shortest path from `start` back to itself inside `within` (breadth first). */
function shortestCycle<T>(start: T, within: (x: T) => boolean, next: (x: T) => T[]): T[] | undefined {
  const parent = new Map<T, T>([[start, start]]);
  const queue: T[] = [start];
  for (let q = 0; q < queue.length; q++) {
    const x = queue[q];
    for (const y of next(x)) {
      if (!within(y)) continue;
      if (y === start) {
        const path: T[] = [];
        for (let c: T | undefined = x; c !== undefined && c !== start; c = parent.get(c)) path.push(c);
        path.push(start);
        return path.reverse();
      }
      if (parent.has(y)) continue;
      parent.set(y, x);
      queue.push(y);
    }
  }
  return undefined;
}

const NONE: readonly never[] = [];

function inFolder<T>(m: Map<string, Map<string, T[]>>, folder: string): Map<string, T[]> {
  let inner = m.get(folder);
  if (!inner) m.set(folder, (inner = new Map()));
  return inner;
}

/** Adds `e` to the list under `k`, keeping the list sorted by path. */
function insertSorted<T extends IdDoc>(m: Map<string, T[]>, k: string, e: T): void {
  const list = m.get(k);
  if (!list) {
    m.set(k, [e]);
    return;
  }
  let i = list.length;
  while (i > 0 && cmp(list[i - 1].rel, e.rel) > 0) i--;
  list.splice(i, 0, e);
}

function sortByRel<T extends IdDoc>(list: T[]): T[] {
  return list.length < 2 ? [...list] : [...list].sort((a, b) => cmp(a.rel, b.rel));
}
