import { cmp } from './collections';
import { isGateItem } from './gates/evaluate';
import { globMatcher } from './glob';
import { type DocEntry, FolderPhaseEntry, standsForItsFolder, type WorkspaceIndex } from './index';
import {
  chainLinks,
  fileNamePhaseNumber,
  followedKnownWorkflow,
  type Group,
  groupReason,
  KNOWN_WORKFLOWS,
  knownPhaseFolder,
  phaseOfFolderName,
} from './model';
import { basename, dirname, joinUri, stripMdExtension, uriName } from './paths';
import { type PhaseStatus, phaseStatuses } from './phase-state';
import { slug, trimEndSlashes } from './text';
import type { TaskItem } from './types';

/** One run through the phases: phase documents joined by previous/next links. */
export interface WorkflowInstance {
  /** Stable id: the folder of its first phase document (relative), `#2`… when shared. */
  id: string;
  /** Display name: the folder name. */
  name: string;
  folder: string;
  /** Phase documents in phase order (then path order). */
  phases: DocEntry[];
  /**
   * A workflow definition (templates, not work): a folder with `workflow.yml` beside its
   * `phases/` or `activities/`, phase documents with `template: true`, or a
   * `cdp.definitions` glob. Shown with counts instead of progress; no unmet-criterion,
   * missing-artifact or out-of-order findings.
   */
  definition: boolean;
  /** For a definition: the folders (relative) whose documents belong to it (see `DefinitionPlaces`). */
  definitionAreas?: DefinitionArea[];
  /** Documents that are not phases but whose `phase` metadata names one of this instance's phases, by phase URI. */
  artifacts: Map<string, DocEntry[]>;
  /**
   * Folders named like phases (`02-design`) beside this instance's phase folders that hold
   * documents but no phase document (relative, sorted): not phases, so their documents
   * belong to no phase. Absent when there are none.
   */
  folderGaps?: FolderGap[];
  /**
   * Files named as phases among its flat phases, or a phase folder's README.md or index.md
   * beside its phase folders, that were not read (too large, binary content) and that no
   * other phase stands for: the phase is there, its criteria unknown, so no gate from it
   * on can pass.
   */
  unreadPhases?: UnreadPhase[];
  /**
   * The README.md or index.md of a phase folder that is a phase without it (gate files
   * beside it) that was not read: the phase's criteria written there are unknown.
   */
  unreadReadmes?: UnreadPhase[];
  /**
   * Documents beside its flat phases (relative, sorted) whose metadata holds `phase` but
   * cannot be read (invalid YAML): meant as phases, perhaps, yet none. Absent when there
   * are none.
   */
  unreadMetadata?: string[];
}

/** A phase file that was not read (see `unreadPhases`). */
export interface UnreadPhase {
  number: number;
  /** The file, relative to the workspace folder. */
  rel: string;
  uri: string;
  /** Why it was not read, as its notice says ("larger than cdp.files.maxFileSizeKB (2048 KB)"). */
  reason: string;
}

/** Why a phase file was not read when the load did not say. */
export const UNREAD = 'too large or binary content: see the notice';

/** A folder named like a phase that holds documents but no phase document (see `folderGaps`). */
export interface FolderGap {
  /** The folder, relative to the workspace folder. */
  dir: string;
  /**
   * The document the gap is reported on: the folder's README.md or index.md when there is
   * one (it shows no phase), else the first by path of the documents directly in it, else
   * of those below it.
   */
  uri: string;
}

/**
 * Where a phase document's instance lives: for a folder phase (`x/01-frame/README.md`)
 * the folder's parent (`x`), else the document's own folder.
 */
export function phaseHome(e: DocEntry): string {
  return e.phase?.folder ? dirname(e.dir) : e.dir;
}

export interface PhaseProgress {
  total: number;
  checked: number;
  complete: boolean;
  /**
   * Someone worked on it: an item ticked or a manual item confirmed (not a check that
   * passes by itself), or it is complete.
   */
  started: boolean;
  groups: Group[];
  /** What keeps the phase from being complete, one line per group that is not passed. */
  reasons: string[];
}

/** Why a phase without entry, exit or gate groups is neither complete nor a passed gate. */
export const NO_CRITERIA = 'the phase has no entry, exit or gate group';

/**
 * A phase is complete when it has criteria (an entry, exit or gate group) and every one
 * of its groups passed; a group with no items (an
 * empty gate) keeps it current, like an unticked item does.
 */
export function phaseProgress(e: DocEntry): PhaseProgress {
  // A document's groups are a new list whenever they change: the progress of a list is
  // computed once (rules, gate files and reports all ask for it). Do not modify it.
  const groups = e.groups;
  const known = progressOf.get(groups);
  if (known) return known;
  let progress = groupsProgress(groups);
  // A phase that stands for a folder of documents (no phase document, no gate files) was
  // worked on: the documents are its work.
  if (e instanceof FolderPhaseEntry && !progress.started)
    progress = new Progress(progress.total, progress.checked, progress.complete, groups, true);
  progressOf.set(groups, progress);
  return progress;
}

/** The progress of a list of groups, computed each time (`phaseProgress` keeps a document's). */
export function groupsProgress(groups: Group[]): PhaseProgress {
  let total = 0;
  let checked = 0;
  let complete = true;
  let worked = false;
  let criteria = false;
  for (const g of groups) {
    total += g.total;
    checked += g.checked;
    if (groupReason(g) !== undefined) complete = false;
    if (!worked && g.checked > 0) worked = g.file === undefined || g.items.some(isWork);
    criteria ||= g.kind !== 'checklist';
  }
  // Nothing shows that a phase without criteria was met (as its gate check says).
  if (!criteria) complete = false;
  // A complete phase was done, however its checks came to pass.
  return new Progress(total, checked, complete, groups, worked || complete);
}

/**
 * An item met by someone's work: a ticked checkbox or a confirmed manual item. A gate
 * file's automated check that passes (`file_exists README.md`, evidence already there)
 * shows the workspace's state, not that anyone started the phase.
 */
export function isWork(t: TaskItem): boolean {
  return t.checked && (!isGateItem(t) || t.def.kind === 'manual');
}

/**
 * The progress of a list of groups. Its reasons are written when asked for: every
 * document's progress is kept, and only reports read the reasons.
 */
class Progress implements PhaseProgress {
  constructor(
    readonly total: number,
    readonly checked: number,
    readonly complete: boolean,
    readonly groups: Group[],
    /** Someone worked on it: an item ticked or confirmed (see `isWork`). */
    readonly started: boolean,
  ) {}

  get reasons(): string[] {
    const out: string[] = [];
    for (const g of this.groups) {
      const r = groupReason(g);
      if (r) out.push(r);
    }
    if (!this.groups.some((g) => g.kind !== 'checklist')) out.push(NO_CRITERIA);
    return out;
  }
}

const progressOf = new WeakMap<readonly Group[], PhaseProgress>();

/**
 * A phase numbered 00 with no entry, exit or gate group: HELIX's optional discovery,
 * written as prose (or not done). Never waited for: it is never the current phase, never
 * blocks, and a workflow without a 00 does not skip one.
 */
export function optionalPhase(e: DocEntry): boolean {
  return e.phase?.number === 0 && !phaseProgress(e).groups.some((g) => g.kind !== 'checklist');
}

/**
 * The first phase of the instance that is not complete (undefined when all are), an
 * optional 00 without criteria (`optionalPhase`) left out.
 */
export function currentPhase(w: WorkflowInstance): DocEntry | undefined {
  return w.phases.find((p) => !phaseProgress(p).complete && !optionalPhase(p));
}

/**
 * The workflows whose gates count: those under way, leaving out workflow definitions
 * beside them (a definition's boxes are a template's, checked in the workflows made from
 * it). Where there are only definitions (the workflow library itself), all of them.
 */
export function gated<W extends { definition?: boolean }>(workflows: W[]): W[] {
  const work = workflows.filter((w) => !w.definition);
  return work.length > 0 ? work : workflows;
}

/**
 * The phase numbers a workflow skips between its first and last phase (`["03"]` for
 * 01, 02, 04, 05), written with as many digits as its phases are. Ids that are not
 * numbers are left out. `from`, the first phase of the known workflow it follows
 * (`firstRequiredPhase`), counts the known phases before its first written one too
 * (`["01", "02", "03"]` for a CDP cycle of 04 and 05).
 */
export function missingPhases(ids: readonly string[], from?: number): string[] {
  const nums = ids.filter((id) => /^\d+$/.test(id));
  if (nums.length < (from === undefined ? 2 : 1)) return [];
  const have = new Set(nums.map(Number));
  const width = Math.max(...nums.map((id) => id.length));
  const written = Math.min(...have);
  const first = from === undefined ? written : Math.min(from - 1, written);
  const last = Math.max(...have);
  const out: string[] = [];
  // A workflow numbers its phases in tens at most (00–99): a gap wider than that is a typo, not missing work.
  if (last - first > 99) return out;
  for (let n = first + 1; n < last; n++) if (!have.has(n)) out.push(String(n).padStart(width, '0'));
  return out;
}

/**
 * What a workflow whose phases are all complete reads: the phases it skips named, and
 * those whose file was not read (`unread`, ids as its phases write them).
 */
export function allComplete(
  ids: readonly string[],
  /** The phases of the known workflow it follows that come after its last (`notWrittenYet`). */
  notYet: readonly { id: string; name: string }[] = [],
  unread: readonly string[] = [],
  /** The first phase of the known workflow it follows (`missingPhases`). */
  from?: number,
): string {
  const notRead = new Set(unread.map(Number));
  const missing = missingPhases(ids, from).filter((id) => !notRead.has(Number(id)));
  const says = (list: readonly string[], one: string, many: string) =>
    `phase ${list.join(', ')} ${list.length === 1 ? one : many}`;
  const lacking = [
    ...(missing.length > 0 ? [says(missing, 'has no document', 'have no document')] : []),
    ...(unread.length > 0 ? [says(unread, 'was not read', 'were not read')] : []),
  ].join('; ');
  if (notYet.length > 0)
    return `the phases written so far complete${lacking ? ` (${lacking})` : ''}; ${notYet.map((p) => `${p.id} ${p.name}`).join(', ')} not written yet`;
  return lacking ? `all its phases complete, but ${lacking}` : 'all phases complete';
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
  phaseDocs.push(...index.gatePhases(), ...index.folderPhases());
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
  /** Phase documents a chain link of another reaches: their place in the chain shows them. */
  const chained = new Set<DocEntry>();
  /** Links between phase documents of different folders: joined after the folders (below). */
  const across: [DocEntry, DocEntry, boolean][] = [];
  /** Phase documents with such a link, either way. */
  const away = new Set<DocEntry>();
  /** Whether `to`'s link the other way (`next` for a `previous` link) reaches `from`. */
  const answered = (from: DocEntry, to: DocEntry, wasNext: boolean): boolean => {
    const back = chainLinks(to.doc)[wasNext ? 'previous' : 'next'];
    if (!back) return false;
    const r = index.resolve(to, back);
    return r.status === 'resolved' && r.target === from;
  };
  for (const e of phaseDocs) {
    const { previous, next } = chainLinks(e.doc);
    for (const l of [previous, next]) {
      if (!l) continue;
      const r = index.resolve(e, l);
      if (r.status === 'resolved' && r.target !== e && r.target.phase) {
        chained.add(r.target);
        if (r.target.folder !== e.folder || phaseHome(r.target) !== phaseHome(e)) {
          across.push([e, r.target, answered(e, r.target, l === next)]);
          away.add(e);
          away.add(r.target);
          continue;
        }
        union(e, r.target);
        linked.add(e);
        linked.add(r.target);
      }
    }
  }
  // Phase folders with the same parent are one instance, links or not. Unlinked phase
  // documents of a folder join the first linked one there (one link must not split them
  // off the chain it starts), else the first of the folder.
  const byFolder = new Map<string, DocEntry>();
  const folderPhase = new Map<string, DocEntry>();
  for (const e of phaseDocs) {
    const key = `${e.folder}\u0000${phaseHome(e)}`;
    if (e.phase!.folder) {
      const first = folderPhase.get(key);
      if (first) union(first, e);
      else folderPhase.set(key, e);
    }
    const anchor = byFolder.get(key);
    if (!anchor || (linked.has(e) && !linked.has(anchor))) byFolder.set(key, e);
  }
  joinBrokenChains(phaseDocs, linked, away, find, union);
  for (const e of phaseDocs) {
    if (linked.has(e)) continue;
    const anchor = byFolder.get(`${e.folder}\u0000${phaseHome(e)}`);
    if (anchor && anchor !== e) union(anchor, e);
  }
  // A link to another folder's phase joins the two when the other links back, or when
  // they hold different phases (a workflow spread over folders); a one-way link between
  // two folders that each hold a phase of the same number links two instances (a cycle
  // pointing back at the one before), and so does a link, either way or both, from the
  // last phase of one to the first phase of the other (one cycle handing over to the next).
  if (across.length > 0) {
    const numbers = new Map<DocEntry, Set<number>>();
    for (const e of phaseDocs) {
      const r = find(e);
      let set = numbers.get(r);
      if (!set) numbers.set(r, (set = new Set()));
      set.add(e.phase!.number);
    }
    for (const [a, b, mutual] of across) {
      const ra = find(a);
      const rb = find(b);
      if (ra === rb) continue;
      const na = numbers.get(ra)!;
      const nb = numbers.get(rb)!;
      let overlap = false;
      for (const n of nb) if (na.has(n)) overlap = true;
      if (overlap && (!mutual || handsOver(a.phase!.number, na, b.phase!.number, nb))) continue;
      union(ra, rb);
      for (const n of nb) na.add(n);
    }
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
  const definitionGlobs = definitionMatcher(index.config.definitions);
  for (let members of groups.values()) {
    // Numbered files of which none shows a phase (a guide's 01-intro.md, 02-setup.md)
    // are ordinary documents; one that does makes its stubs phases too. Names alone show
    // phases when at least half of the files are named as known phases at their numbers
    // (six stubs `01-diagnose.md` … `06-follow-up.md`; not a guide's one `04-monitor.md`).
    let shows = (e: DocEntry) => e.showsPhase || chained.has(e);
    if (!members.some(shows)) {
      const named = members.filter((e) => e.namedAsPhase).length;
      if (named === 0 || named * 2 < members.length) continue;
      shows = (e) => e.namedAsPhase;
    }
    // Numbered pages of a documentation site that describe phases (a title, `## Exit
    // Criteria` in prose, known phase names) are its pages: there a file has to record a
    // phase (metadata, a checklist item, gate files) for its folder to be a workflow.
    if (members.every((e) => index.isSitePage(e))) continue;
    // Where only folders of filled documents show phases, numbered files beside them that
    // show none (`00-overview.md`) are ordinary documents, not stubs.
    if (!members.some((e) => shows(e) && !(e instanceof FolderPhaseEntry)))
      members = members.filter((e) => e instanceof FolderPhaseEntry || shows(e));
    // A template among more live phases that show themselves (`00-template.md` with
    // `template: true` beside the phases copied from it) is a document of the folder: as a
    // phase it made the whole cycle a definition, its progress hidden and its gates
    // passing. Without it, the stubs it alone showed are no workflow.
    const templates = members.filter((e) => e.template && shows(e)).length;
    if (templates > 0 && templates < members.filter((e) => !e.template && shows(e)).length)
      members = members.filter((e) => !e.template);
    members = withoutStrays(members, shows);
    members.sort((a, b) => a.phase!.number - b.phase!.number || cmp(a.rel, b.rel));
    const first = [...members].sort((a, b) => cmp(a.rel, b.rel))[0];
    const home = phaseHome(first);
    // At the top of a workspace folder: the folder's name (not ".").
    // (the folder's name decoded: `my wf`, not `my%20wf`)
    const folderName = uriName(first.folder);
    const base = home || folderName || '.';
    const folderPrefix = home && index.folders.length > 1 ? `${folderName}:` : '';
    const n = (ids.get(folderPrefix + base) ?? 0) + 1;
    ids.set(folderPrefix + base, n);
    const w: WorkflowInstance = {
      id: folderPrefix + base + (n > 1 ? `#${n}` : ''),
      name: home ? basename(home) : folderName,
      folder: first.folder,
      phases: members,
      definition: false,
      artifacts: new Map(),
    };
    const areas = definitionAreas(index, w, home, definitionGlobs);
    if (areas !== undefined) {
      w.definition = true;
      w.definitionAreas = areas;
    }
    instances.push(w);
  }
  instances.sort((a, b) => cmp(a.id, b.id));
  attachArtifacts(index, instances);
  noteUnreadPhases(index, instances);
  noteUnreadMetadata(index, instances);
  return instances;
}

/** Sets `unreadMetadata`: documents beside an instance's flat phases whose `phase` cannot be read. */
function noteUnreadMetadata(index: WorkspaceIndex, instances: WorkflowInstance[]): void {
  const unread: DocEntry[] = [];
  for (const e of index.all())
    if (e.doc.metadata.unread && !e.phase && e.doc.metadata.entries.some((x) => x.key === 'phase'))
      unread.push(e);
  if (unread.length === 0) return;
  for (const w of instances) {
    if (w.definition) continue;
    const dirs = new Set(w.phases.filter((p) => !p.phase!.folder).map((p) => p.dir));
    for (const e of unread)
      if (e.folder === w.folder && dirs.has(e.dir)) (w.unreadMetadata ??= []).push(e.rel);
    w.unreadMetadata?.sort(cmp);
  }
}

/**
 * Sets `unreadPhases` and `unreadReadmes`: skipped files named as phases beside an
 * instance's flat phases, and skipped READMEs of phase folders beside its phase folders.
 */
function noteUnreadPhases(index: WorkspaceIndex, instances: WorkflowInstance[]): void {
  const skipped = new Map<string, string[]>();
  for (const w of instances) {
    if (w.definition) continue;
    let list = skipped.get(w.folder);
    if (list === undefined) skipped.set(w.folder, (list = index.skippedMarkdown(w.folder)));
    if (list.length === 0) continue;
    const dirs = new Set(w.phases.filter((p) => !p.phase!.folder).map((p) => p.dir));
    // The folder of each folder phase (`docs/helix/01-frame`), and where they stand.
    const phaseDirs = new Map<string, DocEntry>();
    for (const p of w.phases)
      if (p.phase!.folder) phaseDirs.set(p.rel.endsWith('/') ? trimEndSlashes(p.rel) : p.dir, p);
    const homes = new Set([...phaseDirs.keys()].map(dirname));
    const numbers = new Set(w.phases.map((p) => p.phase!.number));
    const unread = (n: number, rel: string): UnreadPhase => ({
      number: n,
      rel,
      uri: joinUri(w.folder, rel),
      reason: index.skipReason(w.folder, rel) ?? UNREAD,
    });
    for (const rel of list) {
      const dir = dirname(rel);
      if (/^(readme|index)\.md$/i.test(basename(rel))) {
        const n = phaseOfFolderName(basename(dir), index.patterns)?.number;
        if (n === undefined || !homes.has(dirname(dir))) continue;
        // A phase without it (gate files): its README is not read; another folder's: not this one's.
        if (phaseDirs.has(dir)) (w.unreadReadmes ??= []).push(unread(n, rel));
        else if (!numbers.has(n)) (w.unreadPhases ??= []).push(unread(n, rel));
        continue;
      }
      const n = fileNamePhaseNumber(rel, index.patterns);
      if (n === undefined || numbers.has(n) || !dirs.has(dir)) continue;
      (w.unreadPhases ??= []).push(unread(n, rel));
    }
    // (a folder's README.md and index.md both unread: one phase)
    if (w.unreadPhases)
      w.unreadPhases = w.unreadPhases
        .sort((a, b) => a.number - b.number || cmp(a.rel, b.rel))
        .filter(
          (u, i, all) =>
            i === 0 || all[i - 1].number !== u.number || dirname(all[i - 1].rel) !== dirname(u.rel),
        );
    w.unreadReadmes?.sort((a, b) => a.number - b.number || cmp(a.rel, b.rel));
  }
}

/** Whether `n` lies among an instance's phase numbers, or is the number right after them. */
function amongPhases(w: WorkflowInstance, n: number): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const p of w.phases) {
    const k = p.phase!.number;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  return n >= min && n <= max + 1;
}

/** A phase document's name, slugged: a phase folder's README or index is named by its folder ("01-frame/README.md"). */
export function phaseStem(p: DocEntry): string {
  const file = stripMdExtension(basename(p.rel));
  return slug(/^(readme|index)$/i.test(file) && p.dir ? basename(p.dir) : file);
}

/** Phases by number and the slugs they are named by (`followedKnownWorkflow`). */
export function knownNamesOf(phases: readonly DocEntry[]): { number: number; names: string[] }[] {
  return phases.map((p) => ({
    number: p.phase!.number,
    names: [phaseStem(p).replace(/^\d+-/, ''), slug(p.phase!.name)],
  }));
}

/**
 * The members without the numbered files that show no phase and stand apart from the
 * phases (`99-retro-notes.md` beside 01–02 made 03–98 phases the workflow skips): a
 * number more than 3 from every phase kept (those that show it, and stubs near them, one
 * after the other), and, where the phases follow a known workflow, more than one step
 * outside its phases. Such files are documents of the
 * folder. A stub at a number of its own (`03-treat.md`, empty, after 01–02; `07-retro.md`
 * after a CDP cycle) stays a phase; one numbered 00 only when named as a known phase (an
 * index page `00-overview.md` is none), and one at a number a showing file holds only
 * when named as the known phase there.
 */
function withoutStrays(members: DocEntry[], shows: (e: DocEntry) => boolean): DocEntry[] {
  if (members.every(shows)) return members;
  const showing = members.filter(shows);
  const known = followedKnownWorkflow(knownNamesOf(showing));
  const range = known === undefined ? undefined : KNOWN_WORKFLOWS[known].map(([k]) => k);
  // Kept: the files that show a phase, then stubs near a kept one, stub by stub (`04`,
  // `05`, `06` after a filled `03`), never stubs near only each other (`98`, `99`).
  const kept = new Set(showing);
  // Phase numbers are 00–99: the numbers kept, as flags.
  const at = new Uint8Array(100 + 4);
  for (const e of showing) at[e.phase!.number] = 1;
  // (the numbers of the files that show a phase, kept apart from the stubs added below)
  const shown = at.slice();
  const near = (n: number) => {
    for (let k = Math.max(0, n - 3); k <= n + 3; k++) if (at[k]) return true;
    return false;
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of members) {
      if (kept.has(e)) continue;
      const n = e.phase!.number;
      // A file that shows no phase at a number a showing file holds (a guide's
      // `01-getting-started.md` beside `01-diagnose.md` with metadata) is a document of the
      // folder, unless named as the known phase at that number (then both are phases, and
      // the number claimed twice).
      if (shown[n] && !e.namedAsPhase) continue;
      // Number 00 in front of the phases is where a folder's index page goes
      // (`00-overview.md`, `00-README.md`): a stub there is a phase only named as one
      // (HELIX's `00-discover.md`) or linked as one (a `previous_phase`, `shows`).
      if (n === 0 && !e.namedAsPhase) continue;
      // (one step past the known workflow's phases is a phase of its own: `07-retro.md`)
      const inRange = range !== undefined && n >= range[0] - 1 && n <= range[range.length - 1] + 1;
      if (inRange || near(n)) {
        kept.add(e);
        at[n] = 1;
        grew = true;
      }
    }
  }
  return members.filter((e) => kept.has(e));
}

/** A chain of linked phase documents in one folder (`joinBrokenChains`). */
interface FolderChain {
  root: DocEntry;
  min: number;
  max: number;
  /** What its documents' names say apart from the phase (`nameKey`), null when they differ or cannot be joined. */
  key: string | null;
}

/**
 * Joins the chains of one folder's flat phase documents that can only be one workflow
 * broken where a phase is missing (01 → 02, then 04 → 05 without a 03): chains whose
 * documents are all named alike apart from the phase (`nameKey`) are joined when their
 * phase ranges follow one another without overlapping. Chains that share or interleave
 * phase numbers (two cycles in one folder), are named otherwise (`a-01-diagnose.md` …
 * beside `b-04-monitor.md` …), hold a phase folder or link to another folder stay apart.
 * Neither the order the documents are listed in nor which name sorts first matters.
 */
function joinBrokenChains(
  docs: readonly DocEntry[],
  linked: ReadonlySet<DocEntry>,
  away: ReadonlySet<DocEntry>,
  find: (e: DocEntry) => DocEntry,
  union: (a: DocEntry, b: DocEntry) => void,
): void {
  const chains = new Map<DocEntry, FolderChain>();
  const byHome = new Map<string, FolderChain[]>();
  for (const e of docs) {
    if (!linked.has(e)) continue;
    const root = find(e);
    const n = e.phase!.number;
    const key = e.phase!.folder || away.has(e) ? null : (nameKey(e) ?? null);
    let c = chains.get(root);
    if (!c) {
      chains.set(root, (c = { root, min: n, max: n, key }));
      const home = `${e.folder}\u0000${phaseHome(e)}`;
      const list = byHome.get(home);
      if (list) list.push(c);
      else byHome.set(home, [c]);
    }
    if (n < c.min) c.min = n;
    if (n > c.max) c.max = n;
    if (c.key !== key) c.key = null;
  }
  for (const list of byHome.values()) {
    if (list.length < 2) continue;
    const byKey = new Map<string, FolderChain[]>();
    for (const c of list) {
      if (c.key === null) continue;
      const same = byKey.get(c.key);
      if (same) same.push(c);
      else byKey.set(c.key, [c]);
    }
    for (const same of byKey.values()) {
      if (same.length < 2) continue;
      same.sort((a, b) => a.min - b.min || a.max - b.max);
      if (same.some((c, i) => i > 0 && same[i - 1].max >= c.min)) continue;
      for (const c of same) union(same[0].root, c.root);
    }
  }
}

/**
 * What a flat phase document's file name says apart from its phase: the part before the
 * phase number (`a-` of `a-01-diagnose.md`) and the part after the phase's name (its
 * `name`, the known phase's at that number, else the first word: `-v2` of
 * `01-diagnose-v2.md`), lowercased; undefined when the name does not hold the number.
 */
function nameKey(e: DocEntry): string | undefined {
  const stem = stripMdExtension(basename(e.rel)).toLowerCase();
  const n = e.phase!.number;
  for (const m of stem.matchAll(/(^|[^\p{L}\p{N}])(\d+)(?!\d)/gu)) {
    if (Number(m[2]) !== n) continue;
    const at = m.index + m[1].length;
    const rest = stem
      .slice(at + m[2].length)
      .replace(/[\s_.]+/g, '-')
      .replace(/^-+/, '');
    const names = [
      slug(e.phase!.name),
      ...KNOWN_WORKFLOWS.flatMap((w) => w.filter(([k]) => k === n).map(([, s]) => s)),
    ];
    const name = names
      .filter((s) => s !== '' && (rest === s || rest.startsWith(`${s}-`)))
      .sort((a, b) => b.length - a.length)[0];
    return `${stem.slice(0, at)}\u0000${name === undefined ? rest.replace(/^[^-]*/, '') : rest.slice(name.length)}`;
  }
  return undefined;
}

/** Whether phase `a` of numbers `na` and phase `b` of `nb` are the last of one and the first of the other. */
function handsOver(a: number, na: Set<number>, b: number, nb: Set<number>): boolean {
  const min = (s: Set<number>) => Math.min(...s);
  const max = (s: Set<number>) => Math.max(...s);
  return (a === max(na) && b === min(nb)) || (a === min(na) && b === max(nb));
}

/**
 * The folders a definition covers, when the instance is one: the folder of its
 * `workflow.yml` (the library's `workflows/helix/`), or the folder that holds its phase
 * documents or phase folders. A definition at the top of the workspace folder shares it
 * with the project: it covers the documents at the top, its `phases/` or `activities/`
 * with `artifacts/` and `templates/` beside them (a `workflow.yml`), or its phase
 * folders (phase documents), never the project's other folders. `cdp.definitions`
 * naming `.` makes the whole folder a definition, as written.
 */
function definitionAreas(
  index: WorkspaceIndex,
  w: WorkflowInstance,
  home: string,
  globs: ((p: string) => boolean) | undefined,
): DefinitionArea[] | undefined {
  const parent = index.libraryOf(w.folder, home);
  if (parent !== undefined) {
    if (parent !== '')
      return [
        { dir: parent, deep: true },
        { dir: home, deep: true },
      ];
    return [
      { dir: '', deep: false },
      { dir: home, deep: true },
      { dir: 'artifacts', deep: true },
      { dir: 'templates', deep: true },
    ];
  }
  const named = globs !== undefined && namedByDefinitions(globs, w.phases);
  if (!named && !w.phases.some((p) => p.template)) return undefined;
  if (home !== '' || (named && globs!('.'))) return [{ dir: home, deep: true }];
  const areas: DefinitionArea[] = [{ dir: '', deep: false }];
  for (const p of w.phases)
    if (p.phase!.folder && !areas.some((a) => a.dir === p.dir)) areas.push({ dir: p.dir, deep: true });
  return areas;
}

/**
 * `cdp.definitions` as one test of folder-relative paths, or undefined when it names
 * nothing. Globs are relative to the workspace folder: a leading `/` or `./` names its
 * top, a trailing `/` a folder (`/templates/`, `./templates/**` read `templates`,
 * `templates/**`). A glob picomatch refuses names nothing.
 */
export function definitionMatcher(globs: readonly string[]): ((p: string) => boolean) | undefined {
  const written = globs
    .map((g) => g.trim())
    .filter((g) => g !== '')
    .map((g) => trimEndSlashes(g.replace(/\\/g, '/').replace(/^(\.?\/)+/, '')) || '.');
  if (written.length === 0) return undefined;
  // `.` is the workspace folder, which holds every instance; no other glob names it.
  const top = written.includes('.');
  const paths = written.filter((g) => g !== '.');
  let match: (p: string) => boolean = () => false;
  try {
    if (paths.length > 0) match = globMatcher(paths, { dot: true, nocase: true });
  } catch {
    if (!top) return undefined;
  }
  return (p) => (p === '.' ? top : match(p));
}

/**
 * Whether `cdp.definitions` names an instance: a phase document, a phase folder, or a
 * folder that holds them at any depth (`templates`, `templates/helix`,
 * `templates/helix/phases/*`), or the workspace folder itself (`.`).
 */
function namedByDefinitions(globs: (p: string) => boolean, phases: readonly DocEntry[]): boolean {
  if (globs('.')) return true;
  const seen = new Set<string>();
  for (const p of phases) {
    if (globs(p.rel)) return true;
    for (let d = dirname(p.rel); d !== '' && !seen.has(d); d = dirname(d)) {
      seen.add(d);
      if (globs(d)) return true;
    }
  }
  return false;
}

/**
 * Documents whose `phase` metadata names a phase (`"01-frame"`, `frame`) become
 * artifacts of it: of the matching phase in the nearest instance whose folder holds
 * the document, else of the only matching phase in the workspace folder. Documents
 * without it inside an instance's phase folder (`docs/helix/01-frame/prd.md`,
 * `…/01-frame/features/FEAT-001.md`) are artifacts of the nearest such phase.
 */
function attachArtifacts(index: WorkspaceIndex, instances: WorkflowInstance[]): void {
  if (instances.length === 0) return;
  const names = new PhaseNames(instances);
  const attach = (w: WorkflowInstance, phase: DocEntry, e: DocEntry) => {
    // A parking-lot document counts toward no phase: it is no phase's artifact either.
    if (e.doc.ddx?.parkingLot) return;
    const list = w.artifacts.get(phase.uri);
    if (list) list.push(e);
    else w.artifacts.set(phase.uri, [e]);
  };
  // Phase folders of instances (a definition's folders hold templates, not work).
  const folderPhases = new Map<string, { w: WorkflowInstance; phase: DocEntry }>();
  for (const w of instances) {
    if (w.definition) continue;
    for (const p of w.phases) {
      const key = `${p.folder}\u0000${p.dir}`;
      if (p.phase!.folder && p.dir !== '' && !folderPhases.has(key)) folderPhases.set(key, { w, phase: p });
    }
  }
  /** The nearest phase folder holding a folder (each folder looked up once). */
  const nearest = new Map<string, { w: WorkflowInstance; phase: DocEntry } | null>();
  const holding = (folder: string, dir: string): { w: WorkflowInstance; phase: DocEntry } | null => {
    if (dir === '') return null;
    const key = `${folder}\u0000${dir}`;
    let hit = nearest.get(key);
    if (hit === undefined) {
      hit = folderPhases.get(key) ?? holding(folder, dirname(dir));
      nearest.set(key, hit);
    }
    return hit;
  };
  // The folders holding an instance's phase folders, and its numbered folders without a
  // phase document (each folder looked up once).
  const instanceDirs = new Map<string, WorkflowInstance>();
  for (const { w, phase } of folderPhases.values()) {
    // Where the phases are folders of documents, a numbered folder of another name among
    // them (`99-archive`) lacks nothing the others have.
    if (phase instanceof FolderPhaseEntry) continue;
    const key = `${phase.folder}\u0000${dirname(phase.dir)}`;
    if (!instanceDirs.has(key)) instanceDirs.set(key, w);
  }
  const gapSeen = new Set<string>();
  const noteGap = (folder: string, dir: string): void => {
    for (let d: string | undefined = dir; d !== undefined && d !== ''; d = parentDir(d)) {
      const key = `${folder}\u0000${d}`;
      if (gapSeen.has(key)) return;
      gapSeen.add(key);
      if (folderPhases.has(key)) continue;
      const ph = phaseOfFolderName(basename(d), index.patterns);
      if (!ph) continue;
      const w = instanceDirs.get(`${folder}\u0000${dirname(d)}`);
      // A gap is a phase the instance lacks: a known phase's folder at its number, or one
      // among the instance's numbers or right after them; a numbered folder far from them
      // (`99-archive/` beside 01–03) is a folder of documents.
      if (w && (knownPhaseFolder(basename(d), index.patterns) || amongPhases(w, ph.number)))
        gaps.set(key, { w, dir: d, on: undefined });
    }
  };
  /** The gaps by folder key, with the document each is reported on. */
  const gaps = new Map<string, { w: WorkflowInstance; dir: string; on: DocEntry | undefined }>();
  /** Documents in no phase folder, where gaps are (each is looked up once they are known). */
  const unheld: DocEntry[] = [];
  // Numbered files left out of every instance (none of their folder shows a phase) are
  // ordinary documents here too.
  const placed = new Set<DocEntry>();
  for (const w of instances) for (const p of w.phases) placed.add(p);
  for (const e of index.all()) {
    const named = e.artifactPhase;
    const plain = !e.phase || (!placed.has(e) && !e.doc.ddx?.parkingLot);
    if (plain && folderPhases.size > 0) {
      const hit = holding(e.folder, e.dir);
      if (!hit) {
        noteGap(e.folder, e.dir);
        unheld.push(e);
      } else if (named === undefined) attach(hit.w, hit.phase, e);
    }
    if (named === undefined) continue;
    const found = names.named(e.folder, named);
    if (found.count === 0) continue;
    // The nearest instance whose folder holds the document (the first of equally near
    // ones) that has a matching phase: the instances at the document's folder, then at
    // each folder above it.
    let phase: DocEntry | undefined;
    for (let dir: string | undefined = e.dir; dir !== undefined && !phase; dir = parentDir(dir)) {
      for (const wi of names.at(e.folder, dir)) {
        const match = found.byInstance.get(wi);
        if (!match) continue;
        // Prefer the phase whose own folder holds the document.
        const own = match.find((p) => p.phase!.folder && (e.dir === p.dir || e.dir.startsWith(`${p.dir}/`)));
        phase = own ?? match[0];
        break;
      }
    }
    phase ??= found.count === 1 ? found.first : undefined;
    if (phase) attach(instances[names.instanceOf(phase)], phase, e);
  }
  if (gaps.size > 0) {
    // Each gap goes on its folder's README (or index), else on its first document by path.
    // Its README or index first, then the documents directly in it, then those below.
    for (const e of unheld) {
      for (let d: string | undefined = e.dir; d !== undefined && d !== ''; d = parentDir(d)) {
        const gap = gaps.get(`${e.folder}\u0000${d}`);
        if (!gap) continue;
        if (standsForItsFolder(e, gap.on, d)) gap.on = e;
      }
    }
    for (const { w, dir, on } of gaps.values()) (w.folderGaps ??= []).push({ dir, uri: on!.uri });
  }
  for (const w of instances) {
    for (const list of w.artifacts.values()) list.sort((a, b) => cmp(a.rel, b.rel));
    w.folderGaps?.sort((a, b) => cmp(a.dir, b.dir));
  }
}

/** The folder above a relative folder (`''` above a top folder), undefined above `''`. */
function parentDir(dir: string): string | undefined {
  return dir === '' ? undefined : dirname(dir);
}

interface PhaseAt {
  instance: number;
  /** Position in the instance's phases. */
  at: number;
  phase: DocEntry;
}

/** The phases a `phase` value names in one workspace folder. */
interface Named {
  count: number;
  /** The first of them (in instance order, then phase order). */
  first: DocEntry | undefined;
  /** By instance (its position), in phase order. */
  byInstance: Map<number, DocEntry[]>;
}

/**
 * The phases of the instances by what a `phase` value may call them, and the instances
 * by their home folder: a few lookups per artifact instead of a comparison with every
 * phase of every instance. A value names a phase when `namesPhase` says so (its slug's
 * leading number, else the whole slug, is the key) or when it is, trimmed and in any
 * case, the phase's file stem.
 */
class PhaseNames {
  private readonly byKey = new Map<string, PhaseAt[]>();
  private readonly instances = new Map<DocEntry, number>();
  private readonly byHome = new Map<string, number[]>();
  private readonly answers = new Map<string, Named>();

  constructor(instances: WorkflowInstance[]) {
    for (let wi = 0; wi < instances.length; wi++) {
      const w = instances[wi];
      const homeKey = `${w.folder}\u0000${phaseHome(w.phases[0])}`;
      const list = this.byHome.get(homeKey);
      if (list) list.push(wi);
      else this.byHome.set(homeKey, [wi]);
      for (let at = 0; at < w.phases.length; at++) {
        const p = w.phases[at];
        const ph = p.phase!;
        if (!this.instances.has(p)) this.instances.set(p, wi);
        const entry = { instance: wi, at, phase: p };
        const keys = new Set([`#${ph.number}`, `=${slug(ph.name)}`, `~${stemOf(p).toLowerCase()}`]);
        for (const k of keys) this.add(`${w.folder}\u0000${k}`, entry);
      }
    }
  }

  /** The instances (positions, in order) whose home is `dir` of `folder`. */
  at(folder: string, dir: string): readonly number[] {
    return this.byHome.get(`${folder}\u0000${dir}`) ?? [];
  }

  /** The phases in `folder` that `value` names. */
  named(folder: string, value: string): Named {
    const cacheKey = `${folder}\u0000${value}`;
    let answer = this.answers.get(cacheKey);
    if (!answer) {
      const found = this.find(folder, value);
      const byInstance = new Map<number, DocEntry[]>();
      for (const f of found) {
        const list = byInstance.get(f.instance);
        if (list) list.push(f.phase);
        else byInstance.set(f.instance, [f.phase]);
      }
      answer = { count: found.length, first: found[0]?.phase, byInstance };
      this.answers.set(cacheKey, answer);
    }
    return answer;
  }

  /** The instance (its position) holding a phase. */
  instanceOf(p: DocEntry): number {
    return this.instances.get(p)!;
  }

  /** The phases in `folder` that `value` names, ordered by instance, then phase. */
  private find(folder: string, value: string): PhaseAt[] {
    const s = slug(value);
    const num = /^(\d{1,2})(?:-|$)/.exec(s);
    const byName =
      s === '' ? undefined : this.byKey.get(`${folder}\u0000${num ? `#${Number(num[1])}` : `=${s}`}`);
    const byStem = this.byKey.get(`${folder}\u0000~${value.trim().toLowerCase()}`);
    if (!byStem) return byName ?? [];
    if (!byName) return byStem;
    const out = [...new Set([...byName, ...byStem])];
    return out.sort((a, b) => a.instance - b.instance || a.at - b.at);
  }

  private add(key: string, entry: PhaseAt): void {
    const list = this.byKey.get(key);
    if (list) list.push(entry);
    else this.byKey.set(key, [entry]);
  }
}

/** A phase's file stem: the folder of a folder phase, else the file name without `.md`. */
export function stemOf(p: DocEntry): string {
  return p.phase!.folder ? basename(p.dir) : basename(p.rel).replace(/\.md$/i, '');
}

/** A folder of a workflow definition: with everything under it (`deep`), or only the documents directly in it. */
export interface DefinitionArea {
  dir: string;
  deep: boolean;
}

/**
 * The folder of a workflow instance: the deepest folder holding all its phases (the
 * folder of its phase folders or phase documents).
 */
export function instanceRoot(w: WorkflowInstance): string {
  let root = phaseHome(w.phases[0]);
  for (const p of w.phases) {
    const home = phaseHome(p);
    while (root !== '' && home !== root && !home.startsWith(`${root}/`)) root = dirname(root);
  }
  return root;
}

interface PlacedArea extends DefinitionArea {
  /** The definition, or undefined for the folder of a workflow under way. */
  owner: WorkflowInstance | undefined;
  depth: number;
}

/**
 * Where the workflow definitions of a workspace lie, for one build of the workflows. A
 * document belongs to the definition of the deepest area holding it (see
 * `WorkflowInstance.definitionAreas`), unless the folder of a workflow under way lies as
 * deep or deeper: an instance inside a definition's folder (`docs/helix/` beside a
 * `workflow.yml` at the top) is the project's work, never the definition's.
 */
export class DefinitionPlaces {
  private readonly byFolder = new Map<string, PlacedArea[]>();
  private readonly answers = new Map<string, Map<string, WorkflowInstance | undefined>>();
  /** Changes exactly when some document's answer may change. */
  readonly key: string;

  constructor(instances: readonly WorkflowInstance[]) {
    const place = (folder: string, area: DefinitionArea, owner: WorkflowInstance | undefined) => {
      const placed = { ...area, owner, depth: area.dir === '' ? 0 : area.dir.split('/').length };
      const list = this.byFolder.get(folder);
      if (list) list.push(placed);
      else this.byFolder.set(folder, [placed]);
    };
    for (const w of instances)
      if (w.definition) for (const a of w.definitionAreas ?? [{ dir: '', deep: true }]) place(w.folder, a, w);
    // Work under way matters only where there are definitions; one at the top of the
    // workspace folder holds the documents there (its phase folders aside).
    for (const w of instances) {
      if (w.definition || w.phases.length === 0 || !this.byFolder.has(w.folder)) continue;
      const root = instanceRoot(w);
      place(w.folder, { dir: root, deep: root !== '' }, undefined);
    }
    this.key = [...this.byFolder]
      .map(([folder, list]) => {
        const areas = list.map((a) => `${a.owner ? a.owner.id : ''}\u0002${a.dir}\u0002${a.deep}`);
        return `${folder}\u0000${areas.sort().join('\u0000')}`;
      })
      .sort()
      .join('\u0001');
  }

  /** Whether `folder` holds any workflow definition. */
  any(folder: string): boolean {
    return this.byFolder.has(folder);
  }

  /** The definition the documents of `dir` (in workspace folder `folder`) belong to, if any. */
  ownerOf(folder: string, dir: string): WorkflowInstance | undefined {
    const list = this.byFolder.get(folder);
    if (!list) return undefined;
    let memo = this.answers.get(folder);
    if (!memo) this.answers.set(folder, (memo = new Map()));
    if (memo.has(dir)) return memo.get(dir);
    let best: PlacedArea | undefined;
    for (const a of list) {
      const holds = a.deep ? a.dir === '' || dir === a.dir || dir.startsWith(`${a.dir}/`) : dir === a.dir;
      if (!holds) continue;
      // The deepest wins; at one depth, work under way over a definition.
      if (!best || a.depth > best.depth || (a.depth === best.depth && best.owner && !a.owner)) best = a;
    }
    const owner = best?.owner;
    memo.set(dir, owner);
    return owner;
  }
}

/**
 * The workflow definition an instance under way follows: the only definition of its
 * workspace folder, else the one with the most phases named as the instance's
 * (`01-frame`, `02-design.md`) when no other has as many; undefined when none matches.
 */
export function followedDefinition(
  instances: readonly WorkflowInstance[],
  w: WorkflowInstance,
): WorkflowInstance | undefined {
  const definitions = instances.filter((d) => d.definition && d.folder === w.folder && d !== w);
  if (definitions.length <= 1) return definitions[0];
  const own = new Set(w.phases.map((p) => stemOf(p).toLowerCase()));
  let best: WorkflowInstance | undefined;
  let bestCount = 0;
  let tied = false;
  for (const d of definitions) {
    const count = new Set(d.phases.map((p) => stemOf(p).toLowerCase()).filter((s) => own.has(s))).size;
    if (count > bestCount) {
      best = d;
      bestCount = count;
      tied = false;
    } else if (count === bestCount && count > 0) tied = true;
  }
  return tied ? undefined : best;
}

/** The states of a workflow instance's phases, in order. */
export function workflowPhaseStatuses(w: WorkflowInstance): PhaseStatus[] {
  return phaseStatuses(
    w.phases.map((p) => {
      const prog = phaseProgress(p);
      return {
        complete: prog.complete,
        started: prog.started,
        criteria: prog.groups.filter((g) => g.kind !== 'checklist'),
        optional: optionalPhase(p),
      };
    }),
  );
}
