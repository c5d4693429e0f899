import type { DocEntry, WorkspaceIndex } from './index';
import { chainLinks, type Group, groupReason } from './model';
import { basename } from './paths';

/** One run through the phases: phase documents joined by previous/next links. */
export interface WorkflowInstance {
  /** Stable id: the folder of its first phase document (relative), `#2`… when shared. */
  id: string;
  /** Display name: the folder name. */
  name: string;
  folder: string;
  /** Phase documents in phase order (then path order). */
  phases: DocEntry[];
}

export interface PhaseProgress {
  total: number;
  checked: number;
  complete: boolean;
  started: boolean;
  groups: Group[];
  /** What keeps the phase from being complete, one line per group that is not passed. */
  reasons: string[];
}

/**
 * A phase is complete when every one of its groups passed; a group with no items (an
 * empty gate) keeps it current, like an unticked item does.
 */
export function phaseProgress(e: DocEntry): PhaseProgress {
  let total = 0;
  let checked = 0;
  const reasons: string[] = [];
  for (const g of e.groups) {
    total += g.total;
    checked += g.checked;
    const r = groupReason(g);
    if (r) reasons.push(r);
  }
  return {
    total,
    checked,
    complete: reasons.length === 0,
    started: checked > 0,
    groups: e.groups,
    reasons,
  };
}

/** The first phase of the instance that is not complete (undefined when all are). */
export function currentPhase(w: WorkflowInstance): DocEntry | undefined {
  return w.phases.find((p) => !phaseProgress(p).complete);
}

/**
 * Builds the workflow instances of the index. Phase documents linked by a resolved
 * previous_phase / next_phase (either direction) belong together; a phase document
 * with no such link joins the other phase documents of its folder.
 */
export function buildWorkflows(index: WorkspaceIndex): WorkflowInstance[] {
  const phaseDocs: DocEntry[] = [];
  // A parked document (`parking_lot: true`) is deferred work: it counts toward no phase.
  for (const e of index.all()) if (e.phase && !e.doc.ddx?.parkingLot) phaseDocs.push(e);
  phaseDocs.sort((a, b) => cmp(a.folder, b.folder) || cmp(a.rel, b.rel));

  const parent = new Map<DocEntry, DocEntry>();
  const find = (x: DocEntry): DocEntry => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  const union = (a: DocEntry, b: DocEntry) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const e of phaseDocs) parent.set(e, e);

  const linked = new Set<DocEntry>();
  for (const e of phaseDocs) {
    const { previous, next } = chainLinks(e.doc);
    for (const l of [previous, next]) {
      if (!l) continue;
      const r = index.resolve(e, l);
      if (r.status === 'resolved' && r.target !== e && r.target.phase) {
        union(e, r.target);
        linked.add(e);
        linked.add(r.target);
      }
    }
  }
  // Unlinked phase documents fall back to their folder.
  const byFolder = new Map<string, DocEntry>();
  for (const e of phaseDocs) {
    const key = `${e.folder}\u0000${e.dir}`;
    const first = byFolder.get(key);
    if (!linked.has(e)) {
      if (first) union(first, e);
      else byFolder.set(key, e);
    } else if (!first) byFolder.set(key, e);
  }
  for (const e of phaseDocs) {
    if (linked.has(e)) continue;
    const first = byFolder.get(`${e.folder}\u0000${e.dir}`);
    if (first && first !== e) union(first, e);
  }

  const groups = new Map<DocEntry, DocEntry[]>();
  for (const e of phaseDocs) {
    const r = find(e);
    const list = groups.get(r);
    if (list) list.push(e);
    else groups.set(r, [e]);
  }
  const instances: WorkflowInstance[] = [];
  const ids = new Map<string, number>();
  for (const members of groups.values()) {
    members.sort((a, b) => a.phase!.number - b.phase!.number || cmp(a.rel, b.rel));
    const first = [...members].sort((a, b) => cmp(a.rel, b.rel))[0];
    const base = first.dir || '.';
    const folderPrefix = index.folders.length > 1 ? `${basename(first.folder)}:` : '';
    const n = (ids.get(folderPrefix + base) ?? 0) + 1;
    ids.set(folderPrefix + base, n);
    instances.push({
      id: folderPrefix + base + (n > 1 ? `#${n}` : ''),
      name: first.dir ? basename(first.dir) : basename(first.folder),
      folder: first.folder,
      phases: members,
    });
  }
  instances.sort((a, b) => cmp(a.id, b.id));
  return instances;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
