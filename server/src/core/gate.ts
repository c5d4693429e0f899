import { isOptional } from './gates/evaluate';
import { type DocEntry, standsForFolder } from './index';
import {
  firstRequiredPhase,
  followedKnownWorkflow,
  type Group,
  groupReason,
  KNOWN_WORKFLOW_NAMES,
  KNOWN_WORKFLOWS,
  keyOf,
  notWrittenYet,
  phaseId,
  plainHeading,
  skipsKnownPhase,
} from './model';
import { basename, stripMdExtension } from './paths';
import { slug } from './text';
import type { Heading, TaskItem } from './types';
import {
  gated,
  knownNamesOf,
  missingPhases,
  NO_CRITERIA,
  optionalPhase,
  phaseStem,
  type UnreadPhase,
  type WorkflowInstance,
} from './workflow';

/** What gate selection reads: the workflow instances (`Analysis` provides them). */
export interface WorkflowSource {
  workflows(): WorkflowInstance[];
}

/**
 * What a gate check looks at. `phase` is a number ("05", "5"), a name ("Release") or a
 * file name ("05-release"; for a README or index, its phase folder's name). `group` is a
 * heading ("Production Readiness Gate" or "Production Readiness"), a kind (`entry`,
 * `exit`, `gates`) or `all`; without it the entry, exit and gate groups are checked.
 */
export interface GateSelection {
  workflow?: string;
  phase?: string;
  group?: string;
  /**
   * With `group`: the line of the one heading meant (a code lens's, a tree item's), whose
   * own items and sections under it are judged, not every heading of that name.
   */
  line?: number;
  /** Every phase of the workflow up to the selected one, not the selected one alone. */
  upTo?: boolean;
  /**
   * A phase named `release` that a workflow lacks is its deploy phase, as release
   * readiness reads it (`matchReleasePhase`): HELIX has `05-deploy`, no release.
   */
  releaseFallback?: boolean;
  /**
   * Release readiness (implies `upTo`): `phase` names the release phase ("release" when
   * omitted), and a workflow with no phase of that name is checked over every phase, as
   * the dashboard's readiness is (`releaseScope`).
   */
  readiness?: boolean;
  /**
   * With `phase` alone (not `upTo`, not `readiness`): also judge the workflows without a
   * verdict for it, as `cdp check --phase` does (`lackingWorkflows`), in `lacking` and
   * `leftOut` of the answer.
   */
  judgeLacking?: boolean;
}

/** Which phases of one workflow a readiness verdict covers. */
export interface ReadinessCover {
  workflow: WorkflowInstance;
  /** The last phase covered: the release phase, or the workflow's last when none matched. */
  upTo: DocEntry | undefined;
  /** Set when no phase matched: readiness then covers every phase. */
  note?: string;
}

export interface GateSelected {
  verdicts: GateVerdict[];
  /** For a readiness selection: per workflow, the phases it covers. */
  covers?: ReadinessCover[];
  /** Why nothing was selected (no workflow, phase or group matched), when nothing was. */
  nothing?: string;
  /**
   * For a selection of one phase (not up to it, not readiness): the workflows without it
   * whose gate fails for it, as `cdp check --phase` fails them (`lackingWorkflows`).
   */
  lacking?: LackingWorkflow[];
  /** For such a selection: why workflows without the phase were left out (`lackingWorkflows`). */
  leftOut?: string[];
}

/** A workflow lacking the phase a gate check names, whose gate fails for it. */
export interface LackingWorkflow {
  workflow: WorkflowInstance;
  /** Why (`lackingPhase`): "Workflow wf has no phase 02: the workflow skips it". */
  reason: string;
  /** Where the failed gate is shown: the phase's file when it was not read, else the workflow's last phase. */
  uri: string;
}

/** What a gate check of one phase says of the workflows without a verdict for it. */
export interface LackingSelected {
  /** The workflows whose gate fails for want of the phase. */
  lacking: LackingWorkflow[];
  /** Why others were left out (a phase of another known workflow, an optional 00, a group they lack). */
  leftOut: string[];
  /** No workflow has a verdict and none lacks the phase as one it skips or has not written yet: nothing to judge. */
  none: boolean;
}

export interface GateUnmet {
  group: Group;
  item: TaskItem;
}

export interface GateVerdict {
  workflow: WorkflowInstance;
  phase: DocEntry;
  groups: Group[];
  passed: boolean;
  total: number;
  checked: number;
  unmet: GateUnmet[];
  /** Why it failed, one line per group not passed ("Security Sign-off Gate has no criteria"). */
  reasons: string[];
}

/**
 * The phases release readiness is checked up to: those `name` matches; for the default
 * name "release" in a workflow without a release phase, its "deploy" phase (HELIX's
 * 05-deploy).
 */
export function matchReleasePhase(w: WorkflowInstance, name: string): DocEntry[] {
  const m = matchPhase(w, name);
  return m.length === 0 && namesRelease(name) ? matchPhase(w, 'deploy') : m;
}

/** The name a `--phase` query gives, slugged, without `.md` and a leading number (`05-Release.md` → `release`). */
export function phaseName(query: string): string {
  return slug(stripMdExtension(query.trim())).replace(/^\d{1,2}-?/, '');
}

/**
 * Whether a `--phase` query names the release phase (`release`, `05-release`, `05 Release`,
 * the file name `05-release.md`); a path (`cycles/q1/05-release.md`) names one document instead.
 */
function namesRelease(query: string): boolean {
  const q = query.trim();
  if (/[/\\]/.test(q)) return false;
  return phaseName(q) === 'release';
}

/**
 * The one rule of which phases release readiness covers (the dashboard, `cdp report`,
 * the summary and the editor's readiness check): every phase up to the last that
 * `name` names (`matchReleasePhase`); every phase when none does. `upTo` is that last
 * phase's index, undefined when none matched.
 */
export function releaseScope(
  w: WorkflowInstance,
  name: string,
): { phases: DocEntry[]; upTo: number | undefined; note?: string } {
  const m = matchReleasePhase(w, name);
  if (m.length === 0) return { phases: w.phases, upTo: undefined, note: coversEveryPhase(name) };
  const upTo = Math.max(...m.map((p) => w.phases.indexOf(p)));
  return { phases: w.phases.slice(0, upTo + 1), upTo };
}

/** What readiness says when no phase is named like the release phase. */
export function coversEveryPhase(name: string): string {
  return `No phase matches "${name}": readiness covers every phase.`;
}

/**
 * The note of a cycle of a known workflow whose release phase (the last of `notYet`, the
 * phases up to it not written yet) is not written: readiness covers the phases up to it.
 */
export function releaseNotWritten(notYet: readonly { id: string; name: string }[]): string {
  const release = notYet[notYet.length - 1];
  return `${release.id} ${release.name} is not written yet: readiness covers the phases up to it.`;
}

/** `03 Treat, 04 Monitor and the release, 05 Release, are not written yet`. */
export function notWrittenReason(notYet: readonly { id: string; name: string }[]): string {
  const named = notYet.map((q) => `${q.id} ${q.name}`);
  const release = named.pop()!;
  return named.length === 0
    ? `the release, ${release}, is not written yet`
    : `${named.join(', ')} and the release, ${release}, are not written yet`;
}

/**
 * The phases `query` names: its number, name, file or folder name (with or without its
 * number), path, or, with `numberAndName`, its number and name (`05-release` for a 05
 * named Release in `release.md`).
 */
export function matchPhase(w: WorkflowInstance, query: string, numberAndName = true): DocEntry[] {
  // A file name or path (`05-release.md`, `wf/05-release.md`, `01-frame/README.md`) names its document.
  const q = query.trim().replace(/\\/g, '/');
  const asPath = /\.md$/i.test(q) || q.includes('/') ? q.replace(/^\.\//, '').toLowerCase() : undefined;
  const n = /^\d{1,2}$/.test(q) ? Number(q) : undefined;
  const s = slug(stripMdExtension(q));
  // A number and a name (`05-release`, `05_Release`, `5 release`): the phase of both.
  const numbered = numberAndName ? /^(\d{1,2})-(.+)$/.exec(s) : null;
  return w.phases.filter((p) => {
    const ph = p.phase!;
    if (n !== undefined) return ph.number === n;
    if (numbered && ph.number === Number(numbered[1]) && slug(ph.name) === numbered[2]) return true;
    if (asPath !== undefined) {
      // The path's last segments are the document's (or, for a folder phase, its folder's).
      if (`/${p.rel.toLowerCase()}`.endsWith(`/${asPath}`)) return true;
      if (ph.folder && `/${p.dir.toLowerCase()}/`.endsWith(`/${asPath.replace(/\/?$/, '/')}`)) return true;
    }
    const stem = phaseStem(p);
    return slug(ph.name) === s || stem === s || stem.replace(/^\d+-/, '') === s || slug(p.displayName) === s;
  });
}

export function matchWorkflows(analysis: WorkflowSource, query?: string): WorkflowInstance[] {
  const all = analysis.workflows();
  if (!query) return all;
  const exact = all.filter((w) => w.id === query);
  if (exact.length > 0) return exact;
  const s = slug(query);
  return all.filter((w) => slug(w.name) === s || slug(w.id) === s);
}

export function selectGroups(phase: DocEntry, group?: string): Group[] {
  return groupSelector(phase)(group);
}

/**
 * `selectGroups` over one phase as it is now, for many names (a code lens per group): the
 * phase's headings and groups are indexed by the names they answer to once, so each name
 * costs lookups, not a pass over every heading (3,000 gate headings took 100 s). A name
 * asked again gives the answer it gave.
 */
export function groupSelector(phase: DocEntry): (group?: string) => Group[] {
  const groups = phase.groups;
  const headings = phase.doc.headings;
  let index: NameIndex | undefined;
  const answers = new Map<string, Group[]>();
  return (group) => {
    const g = group?.trim();
    if (!g) return groups.filter((x) => x.kind !== 'checklist');
    const s = slug(g);
    if (s === 'all') return groups;
    // (a gate file's groups are the phase's gates, whether entry or exit ones)
    if (s === 'gates' || s === 'gate') return groups.filter((x) => x.kind === 'gate' || x.file !== undefined);
    let answer = answers.get(g);
    if (answer) return answer;
    index ??= nameIndex(groups, headings);
    answer = namedGroups(index, groups, headings, s, bareName(g), phase.doc.title?.line);
    if (s === 'entry' || s === 'exit') {
      // Every group of the kind and the groups named so (`## Exit Gate`, a gate by its
      // kind), whichever of them the phase has: an unticked Exit Gate beside ticked Exit
      // Criteria fails the exit gate. An unreadable GATE.yaml may hold either: it stands
      // in both (it never passes).
      const named = new Set(answer);
      answer = groups.filter((x) => x.kind === s || (x.unreadable && x.kind === 'gate') || named.has(x));
    }
    answers.set(g, answer);
    return answer;
  };
}

/**
 * Of `groups` (a name's), those written at the heading on `line` or in the sections under
 * it: what that one heading judges where other headings answer to the same name (an
 * `## Exit Criteria` and a `### Exit Criteria` of a rollback section). A line that is no
 * heading's keeps the groups as they are.
 */
export function inSectionAt(phase: DocEntry, groups: Group[], line: number): Group[] {
  return sectionPicker(phase)(groups, line);
}

/**
 * `inSectionAt` for many headings of one phase as it is now (a code lens per group): the
 * headings' lines and each list's own groups by line are indexed once, so each heading
 * costs two binary searches (40,000 headings of one name filtered the list for each).
 */
export function sectionPicker(phase: DocEntry): (groups: Group[], line: number) => Group[] {
  const headings = phase.doc.headings;
  let byLine: Map<number, number> | undefined;
  const sorted = new WeakMap<Group[], { own: Group[]; lines: number[]; files: Group[] }>();
  const firstAtOrAfter = (lines: number[], n: number) => {
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (groups, line) => {
    byLine ??= new Map(headings.map((h, i) => [h.line, i]));
    const at = byLine.get(line);
    if (at === undefined) return groups;
    let end = Number.POSITIVE_INFINITY;
    const level = headings[at].level;
    for (let i = at + 1; i < headings.length; i++)
      if (headings[i].level <= level) {
        end = headings[i].line;
        break;
      }
    let s = sorted.get(groups);
    if (!s) {
      const own = groups.filter((g) => !g.file).sort((a, b) => a.line - b.line);
      s = { own, lines: own.map((g) => g.line), files: groups.filter((g) => g.file !== undefined) };
      sorted.set(groups, s);
    }
    // A gate file's groups of the name stand beside every heading of it (no place in the text).
    const mine = s.own.slice(firstAtOrAfter(s.lines, line), firstAtOrAfter(s.lines, end));
    if (mine.length === s.own.length) return groups;
    return s.files.length === 0 ? mine : mine.concat(s.files);
  };
}

/** A heading's slug without a trailing `-gate` (`Release Gate` is named `Release` too). */
function bareName(h: string): string {
  return slug(h).replace(/-gate$/, '');
}

interface NameIndex {
  /** Group indices by each name their heading answers to (slug, and slug of its key). */
  groupsBySlug: Map<string, number[]>;
  groupsByBare: Map<string, number[]>;
  /** Heading indices, the same way. */
  headingsBySlug: Map<string, number[]>;
  headingsByBare: Map<string, number[]>;
  /** For each heading, the line of the next heading at its level or above (its section's end). */
  sectionEnd: number[];
  /** The groups of the document itself (not of gate files), in line order. */
  own: Group[];
  /** Each group's place in the phase's groups (an answer lists them in that order). */
  position: Map<Group, number>;
}

function nameIndex(groups: readonly Group[], headings: readonly Heading[]): NameIndex {
  const add = (m: Map<string, number[]>, k: string, i: number) => {
    const list = m.get(k);
    if (!list) m.set(k, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  // A heading is also named without what dresses it (`## 2. Exit Criteria (must be met)`).
  const names = (text: string, i: number, bySlug: Map<string, number[]>, byBare: Map<string, number[]>) => {
    const key = keyOf(plainHeading(text));
    add(bySlug, slug(text), i);
    add(bySlug, slug(key), i);
    add(byBare, bareName(text), i);
    add(byBare, bareName(key), i);
  };
  const index: NameIndex = {
    groupsBySlug: new Map(),
    groupsByBare: new Map(),
    headingsBySlug: new Map(),
    headingsByBare: new Map(),
    sectionEnd: new Array<number>(headings.length),
    own: groups.filter((x) => !x.file).sort((a, b) => a.line - b.line),
    position: new Map(groups.map((g, i) => [g, i])),
  };
  for (let i = 0; i < groups.length; i++) names(groups[i].heading, i, index.groupsBySlug, index.groupsByBare);
  for (let i = 0; i < headings.length; i++)
    names(headings[i].text, i, index.headingsBySlug, index.headingsByBare);
  // Each heading's section ends at the next heading of its level or above.
  const open: number[] = [];
  for (let i = 0; i < headings.length; i++) {
    while (open.length > 0 && headings[open[open.length - 1]].level >= headings[i].level)
      index.sectionEnd[open.pop()!] = headings[i].line;
    open.push(i);
  }
  for (const i of open) index.sectionEnd[i] = Number.POSITIVE_INFINITY;
  return index;
}

/** The indices that answer to slug `s` or bare name `bare`, ascending. */
function answering(
  bySlug: Map<string, number[]>,
  byBare: Map<string, number[]>,
  s: string,
  bare: string,
): number[] {
  const a = bySlug.get(s) ?? [];
  const b = byBare.get(bare) ?? [];
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function namedGroups(
  index: NameIndex,
  groups: readonly Group[],
  headings: readonly Heading[],
  s: string,
  bare: string,
  /** The line of the document's title, if it has one. */
  titleLine: number | undefined,
): Group[] {
  // A heading's groups are its own items and those of the sections under it (`###
  // Security` under `### Production Readiness Gate`, a `<details>` block under `## Exit
  // Criteria`); a heading with no items of its own selects only the latter (`## Production
  // Readiness Checklist` over `### Infrastructure`, `### Operations`).
  const own = answering(index.groupsBySlug, index.groupsByBare, s, bare).map((i) => groups[i]);
  const chosen = new Set(own);
  // Only the sections of the headings of the groups named (a title `# Release` is no
  // "Release Gate"), and of them the groups of the named group's kind (an exit group in a
  // `<details>` under `## Entry Criteria`, a gate under `## Exit Criteria`, are gates of
  // their own); when no group is named, the groups under any heading named.
  const ownKinds = new Map(own.filter((x) => !x.file).map((x) => [x.line, x.kind]));
  const docGroups = index.own;
  for (const i of answering(index.headingsBySlug, index.headingsByBare, s, bare)) {
    const h = headings[i];
    // The title (`# Release`, `# Release Gate`) is the phase, not a gate of it: the groups
    // under it are every group of the phase, which a gate's name does not ask for. (Other
    // level-1 headings are sections like any: `# Production Readiness Gate` later on.)
    if (h.line === titleLine) continue;
    const next = index.sectionEnd[i];
    let kind = ownKinds.get(h.line);
    if (own.length > 0 && kind === undefined) {
      // A heading whose section holds a group named alike (`## Exit Criteria` over a
      // `<details>` summarised "Exit Criteria") is that group's too: its sections with it.
      const inside = own.find((x) => !x.file && x.line > h.line && x.line < next);
      if (inside === undefined) continue;
      kind = inside.kind;
    }
    // The document's groups below the heading, up to its section's end.
    let lo = 0;
    let hi = docGroups.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (docGroups[mid].line <= h.line) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < docGroups.length && docGroups[k].line < next; k++)
      if (kind === undefined || docGroups[k].kind === kind) chosen.add(docGroups[k]);
  }
  // In the groups' order, from the chosen alone (a pass over every group for each name
  // made the code lenses of 40,000 gate headings take 16 s).
  return [...chosen].sort((a, b) => index.position.get(a)! - index.position.get(b)!);
}

/**
 * Why a workflow has no verdict for `--phase query`: no phase of it matches (nor, with
 * `releaseFallback`, its deploy phase for "release"); undefined when one does. A path
 * (`wf/05-release.md`) names one document, not a phase every workflow should have: undefined.
 */
export function lackingPhase(
  w: WorkflowInstance,
  query: string,
  releaseFallback = false,
): string | undefined {
  const q = query.trim();
  // A phase whose file was not read (too large, binary content): there, but not checkable.
  const unread = unreadPhaseNamed(w, q);
  if (unread)
    return `Workflow ${w.id}: ${unread.rel} was not read (${unread.reason}), so phase ${phaseId(unread.number)} cannot be checked`;
  // A path (`cycles/q1/05-release.md`) names one document, as in matchPhase: the other
  // workflows are not asked for it. A file name (`05-release.md`) is a name like any.
  if (q.includes('/') || q.includes('\\')) return undefined;
  const matched = releaseFallback ? matchReleasePhase(w, q) : matchPhase(w, q);
  if (matched.length > 0) return undefined;
  // A phase of another workflow (`build` in a CDP workflow) is none it will ever have;
  // a release is every workflow's (HELIX's deploy phase stands for it).
  const release = releaseFallback && namesRelease(q);
  if (!release && otherWorkflowsPhase(w, q) !== undefined) return undefined;
  const asked = /^\d{1,2}$/.test(q) ? `phase ${q}` : `phase "${q}"`;
  // A name meaning a number the workflow has a phase at, named otherwise (`treat` after
  // 03-treat became 03-implement): that phase is named, not one "still to come".
  // (The release: the number of the known workflow's release, or of its deploy phase.)
  const meant = release ? (numberMeant(w, 'release') ?? numberMeant(w, 'deploy')) : numberMeant(w, q);
  const there = meant === undefined ? undefined : w.phases.find((p) => p.phase!.number === meant);
  // The name asked is that phase's, at another number (`06-release` where the release is 05):
  // say where it is, not that it is named as asked.
  if (there && slug(there.phase!.name) === phaseName(q))
    return `Workflow ${w.id} has no ${asked}: its ${there.phase!.name} phase is ${there.phase!.id}`;
  if (there)
    return `Workflow ${w.id} has no ${asked}: its phase ${there.phase!.id} is named ${there.phase!.name}`;
  const deploy = release ? ' (nor a deploy phase)' : '';
  const last = w.phases[w.phases.length - 1]?.phase;
  const numbers = w.phases.map((p) => p.phase!.number);
  // A number below the workflow's last one is a phase it skips, not one still to come
  // (so is a name meaning one: `01-frame`, `frame` in a HELIX workflow).
  // 00 is optional (HELIX's discovery): a workflow without one skips nothing.
  if (asksOptionalPhase(w, q)) return undefined;
  const number = /^\d{1,2}$/.test(q) ? Number(q) : meant;
  const skipped = number !== undefined && numbers.some((n) => n > number);
  return skipped
    ? `Workflow ${w.id} has no ${asked}: the workflow skips it${unreadMetadataText(w)}`
    : `Workflow ${w.id} has no ${asked} yet${deploy}${last ? `: its last phase is ${last.id} ${last.name}` : ''}${unreadMetadataText(w)}`;
}

/**
 * Whether `--phase query` names a phase of the known workflow `w` follows that it has not
 * written: one after the phases it has, up to the release, or one it skips: by name
 * (`release`, `monitor`) or number (`05`). A number is also one `w` skips whatever it
 * follows: a gap between its phases, as its tree shows it ("✗ 02 (no document: the
 * workflow skips this phase)"), also where a phase named as a known workflow's at another
 * number (`03-build`, HELIX's 04) makes it follow none. Where no workflow has the phase,
 * such a workflow's gate fails (`lackingPhase` says why) rather than the phase being unknown.
 */
export function phaseNotWrittenIn(w: WorkflowInstance, query: string): boolean {
  const q = query.trim();
  const names = knownNames(w);
  if (/^\d{1,2}$/.test(q)) {
    const n = Number(q);
    if (notWrittenYet(names).some((p) => p.number === n) || skipsKnownPhase(names, n)) return true;
    // A gap between its phases (or before its first, of the known workflow it follows).
    return missingPhases(
      w.phases.map((p) => p.phase!.id),
      firstRequiredPhase(names),
    ).some((id) => Number(id) === n);
  }
  return notWrittenYet(names, phaseName(q)).length > 0 || skipsKnownPhase(names, phaseName(q));
}

/**
 * The documents beside `w`'s phases whose `phase` metadata cannot be read, perhaps the
 * phase asked for (`c/release.md` with a tab in its YAML): said after why `w` lacks it.
 */
function unreadMetadataText(w: WorkflowInstance): string {
  const list = w.unreadMetadata;
  if (!list || list.length === 0) return '';
  const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
  return `; ${shown} ${list.length === 1 ? 'has' : 'have'} \`phase\` metadata that cannot be read, so ${list.length === 1 ? 'it is' : 'they are'} no phase (see invalid-frontmatter)`;
}

/**
 * Whether `--phase q` asks for phase 00 (`00`, `0`, `discover` in a HELIX workflow) of a
 * workflow that has none: it is optional, so such a workflow is left out of the gate
 * check rather than failed as skipping it.
 */
export function asksOptionalPhase(w: WorkflowInstance, query: string): boolean {
  const q = query.trim();
  const number = /^\d{1,2}$/.test(q) ? Number(q) : numberMeant(w, q);
  return number === 0 && !w.phases.some((p) => p.phase!.number === 0);
}

/** Why a phase file was not read, as the findings and verdicts say it. */
export const UNREAD = 'too large or binary content: see the notice';

/** The phase file of `w` that was not read that `--phase q` names, if any. */
export function unreadPhaseNamed(w: WorkflowInstance, q: string): UnreadPhase | undefined {
  return w.unreadPhases?.find((u) => namesUnread(w, u, q.trim()));
}

type UnreadFile = Pick<UnreadPhase, 'number' | 'rel' | 'reason'>;

/**
 * Why the gate of phase number `phase` cannot pass for files of its workflow that were not
 * read (`unreadPhases`, `unreadReadmes`), as verdicts say it, with the file each is about.
 */
export function unreadReasons(
  w: { unreadPhases?: readonly UnreadFile[]; unreadReadmes?: readonly UnreadFile[] },
  phase: number,
): { rel: string; reason: string }[] {
  const out: { rel: string; reason: string }[] = [];
  // An earlier phase whose file was not read: whether it was met is not known.
  for (const u of w.unreadPhases ?? [])
    if (u.number < phase)
      out.push({
        rel: u.rel,
        reason: `${u.rel} was not read (${u.reason}), so phase ${phaseId(u.number)} before it cannot be checked`,
      });
  // The phase's own README (a phase by its gate files): the criteria written there are unknown.
  for (const u of w.unreadReadmes ?? [])
    if (u.number === phase)
      out.push({
        rel: u.rel,
        reason: `${u.rel} was not read (${u.reason}), so the criteria written in it cannot be checked`,
      });
  return out;
}

/** Whether `--phase q` names the unread phase file `u` of `w`: by number, name or path. */
function namesUnread(w: WorkflowInstance, u: UnreadPhase, q: string): boolean {
  if (/^\d{1,2}$/.test(q)) return Number(q) === u.number;
  const path = q.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (path.includes('/')) return u.rel === path || u.rel.endsWith(`/${path}`) || path.endsWith(`/${u.rel}`);
  return (
    slug(stripMdExtension(path)) === slug(stripMdExtension(basename(u.rel))) ||
    numberMeant(w, path) === u.number
  );
}

/**
 * The phase number a `--phase` name means in `w`, when it is no number itself: the number
 * it starts with (`03-treat`), else the number the known workflow `w` follows gives the
 * name (`treat` → 3 in CDP); undefined for a bare number or any other name.
 */
function numberMeant(w: WorkflowInstance, query: string): number | undefined {
  if (/^\d{1,2}$/.test(query)) return undefined;
  const lead = /^(\d{1,2})[-_ ]/.exec(query);
  if (lead) return Number(lead[1]);
  const own = followedWorkflow(w);
  const name = slug(stripMdExtension(query));
  return own === undefined ? undefined : KNOWN_WORKFLOWS[own].find(([, known]) => known === name)?.[0];
}

/**
 * The index in `KNOWN_WORKFLOWS` of the one known workflow `w` follows (its phases carry
 * that workflow's names at their numbers), if any.
 */
function followedWorkflow(w: WorkflowInstance): number | undefined {
  return followedKnownWorkflow(knownNames(w));
}

/**
 * A workflow's phases by number and the slugs they are named by (`followedKnownWorkflow`),
 * those whose file was not read included (by their file's name): a phase not read is
 * there, not one "not written yet".
 */
export function knownNames(w: WorkflowInstance): { number: number; names: string[] }[] {
  const names = knownNamesOf(w.phases);
  for (const u of w.unreadPhases ?? []) names.push({ number: u.number, names: [unreadStem(u.rel)] });
  return names;
}

/** The name an unread phase file gives its phase: `treat` for `03-treat.md`, `frame` for `01-frame/README.md`. */
export function unreadStem(file: string): string {
  const name = stripMdExtension(basename(file));
  const stem = /^(readme|index)$/i.test(name) ? basename(file.slice(0, file.lastIndexOf('/'))) : name;
  return slug(stem).replace(/^\d+-/, '');
}

/**
 * When `w` follows one of the workflows the checker knows (its phases carry that
 * workflow's names at their numbers) and `query` names a phase only another known
 * workflow has (`build`, `02-design` for a CDP workflow): why `w` is left out of a gate
 * check of that phase, which it will never have. Undefined otherwise (a number, a name
 * of its own workflow's, or of none).
 */
export function otherWorkflowsPhase(w: WorkflowInstance, query: string): string | undefined {
  const name = phaseName(query);
  // A release is every workflow's (HELIX's deploy phase stands for it).
  if (name === '' || namesRelease(query)) return undefined;
  const own = followedWorkflow(w);
  if (own === undefined) return undefined;
  if (KNOWN_WORKFLOWS[own].some(([, known]) => known === name)) return undefined;
  const other = KNOWN_WORKFLOWS.findIndex((k, i) => i !== own && k.some(([, known]) => known === name));
  if (other === -1) return undefined;
  return `Workflow ${w.id} follows ${KNOWN_WORKFLOW_NAMES[own]}, which has no phase "${query.trim()}" (a ${KNOWN_WORKFLOW_NAMES[other]} phase): left out of the gate check.`;
}

export function verdict(workflow: WorkflowInstance, phase: DocEntry, groups: Group[]): GateVerdict {
  const unmet: GateUnmet[] = [];
  let total = 0;
  let checked = 0;
  for (const group of groups) {
    total += group.total;
    checked += group.checked;
    for (const item of group.items) if (!item.checked && !isOptional(item)) unmet.push({ group, item });
  }
  // A gate with no items cannot pass: there is nothing to show it was met.
  const reasons: string[] = [];
  for (const g of groups) {
    const r = groupReason(g);
    if (r) reasons.push(r);
  }
  // (an optional 00 with nothing to check is never waited for: its gate passes)
  if (groups.length === 0 && !optionalPhase(phase)) {
    reasons.push(NO_CRITERIA);
    // A HELIX phase written as a folder of documents only: where its gate would be written.
    if (standsForFolder(phase))
      reasons.push(
        `its folder ${phase.rel} has no README.md and no gate file (input-gates.yml, exit-gates.yml or GATE.yaml) saying what its gate is`,
      );
  }
  for (const u of unreadReasons(workflow, phase.phase!.number)) reasons.push(u.reason);
  return {
    workflow,
    phase,
    groups,
    passed: reasons.length === 0,
    total,
    checked,
    unmet,
    reasons,
  };
}

/**
 * The one gate selector (the CLI and the editor's gate check both use it): the selected
 * groups of the selected phase (or phases up to it) in every matching workflow.
 */
export function selectGate(analysis: WorkflowSource, sel: GateSelection): GateSelected {
  const workflows = gated(matchWorkflows(analysis, sel.workflow));
  if (workflows.length === 0) {
    const nothing = sel.workflow
      ? `No workflow matches "${sel.workflow}".`
      : 'The workspace has no phase documents.';
    return { verdicts: [], nothing };
  }
  // A definition is templates, not work under way: no release readiness to judge (its
  // gates are checked by phase where it is the only workflow).
  if (sel.readiness && workflows.every((w) => w.definition)) {
    const ids = workflows.map((w) => w.id).join(', ');
    return {
      verdicts: [],
      nothing: `${ids} ${workflows.length === 1 ? 'is a workflow definition' : 'are workflow definitions'}: templates, not work under way, so there is no release readiness to check.`,
    };
  }
  const verdicts: GateVerdict[] = [];
  const covers: ReadinessCover[] = [];
  const upToPhase = sel.upTo || sel.readiness;
  let phaseFound = false;
  for (const w of workflows) {
    let phases = w.phases;
    // Readiness of a cycle of a known workflow whose release phase is not written yet.
    let notYet: { id: string; name: string }[] = [];
    if (sel.readiness) {
      const name = sel.phase?.trim() || 'release';
      const scope = releaseScope(w, name);
      phases = scope.phases;
      if (scope.upTo === undefined) notYet = notWrittenYet(knownNames(w), slug(name));
      const cover: ReadinessCover = { workflow: w, upTo: phases[phases.length - 1] };
      if (notYet.length > 0) cover.note = releaseNotWritten(notYet);
      else if (scope.note) cover.note = scope.note;
      covers.push(cover);
    } else if (sel.phase) {
      const matched =
        sel.upTo || sel.releaseFallback ? matchReleasePhase(w, sel.phase) : matchPhase(w, sel.phase);
      if (matched.length === 0) continue;
      if (sel.upTo) {
        const last = Math.max(...matched.map((p) => w.phases.indexOf(p)));
        phases = w.phases.slice(0, last + 1);
      } else phases = matched;
    }
    phaseFound ||= phases.length > 0;
    // Readiness up to a phase: a phase the workflow skips fails the phase after the gap.
    // (so is a phase of the known workflow it follows before its first: `01`–`03` of a cycle of 04, 05)
    const skipped =
      upToPhase && !sel.group
        ? missingPhases(
            phases.map((p) => p.phase!.id),
            firstRequiredPhase(knownNames(w)),
          )
        : [];
    for (const p of phases) {
      // Readiness is not held up by an optional 00 with nothing to check.
      if (upToPhase && optionalPhase(p)) continue;
      let groups = selectGroups(p, sel.group);
      if (sel.group && sel.line !== undefined) groups = inSectionAt(p, groups, sel.line);
      if (sel.group && groups.length === 0) continue;
      const v = verdict(w, p, groups);
      // The skipped numbers between the phase before this one and this one.
      const before = skipped.length > 0 ? skippedBefore(phases, p, skipped) : [];
      if (before.length > 0) {
        v.passed = false;
        v.reasons.unshift(
          `phase ${before.join(', ')} ${before.length === 1 ? 'has' : 'have'} no document (the workflow skips ${before.length === 1 ? 'it' : 'them'})`,
        );
      }
      // After its last phase: the ones up to the release not written yet.
      if (notYet.length > 0 && p === phases[phases.length - 1]) {
        v.passed = false;
        v.reasons.push(notWrittenReason(notYet));
      }
      verdicts.push(v);
    }
  }
  if (sel.judgeLacking && sel.phase && !upToPhase) {
    // The workflows without the phase: failed, as `cdp check --phase` fails them, or left out, said why.
    const judged = [...new Set(verdicts.map((v) => v.workflow))];
    const found = lackingWorkflows(workflows, sel.phase, judged, { group: sel.group });
    if (!found.none) {
      const out: GateSelected = { verdicts };
      if (found.lacking.length > 0) out.lacking = found.lacking;
      if (found.leftOut.length > 0) out.leftOut = found.leftOut;
      return out;
    }
  }
  if (verdicts.length > 0) return sel.readiness ? { verdicts, covers } : { verdicts };
  const nothing = !phaseFound
    ? `No phase matches "${sel.phase}".`
    : `No group matches "${sel.group}" in the selected phases.`;
  return { verdicts, nothing };
}

/**
 * The one rule of what a gate check of phase `phase` (`cdp check --phase`, the editor's
 * gate check of a phase) says of the workflows among `workflows` that gave no verdict for
 * it (`judged` are those that did). Where some did, every other workflow under way fails
 * for want of the phase (`lackingPhase` says why: one it skips, one not written yet, its
 * file not read), so that an earlier cycle's passed gate cannot pass the check. Where none
 * did, only those lacking a phase of the known workflow they follow that they skip or have
 * not written yet (`phaseNotWrittenIn`), or whose file of it was not read, fail; else there
 * is nothing to judge (`none`). A workflow asked for a phase only another known workflow
 * has, for an optional 00 it does not have, or for a group its phase lacks is left out,
 * said in `leftOut`. `inScope` limits the documents looked at (the CLI's paths).
 */
export function lackingWorkflows(
  workflows: readonly WorkflowInstance[],
  phase: string,
  judged: readonly WorkflowInstance[],
  options: { group?: string; inScope?: (uri: string) => boolean } = {},
): LackingSelected {
  const inScope = options.inScope ?? (() => true);
  const group = options.group;
  const all = gated([...workflows]);
  const judging = new Set(judged);
  // (Not where a workflow in scope has the phase and lacks only the group asked for: that
  // is said as such.)
  const groupMissing =
    group !== undefined && all.some((w) => matchReleasePhase(w, phase).some((p) => inScope(p.uri)));
  const notYetFound =
    judging.size === 0 && !groupMissing
      ? all.filter(
          (w) =>
            !w.definition &&
            w.phases.some((p) => inScope(p.uri)) &&
            (phaseNotWrittenIn(w, phase) || unreadPhaseNamed(w, phase) !== undefined),
        )
      : [];
  const lacking: LackingWorkflow[] = [];
  const leftOut: string[] = [];
  if (judging.size === 0 && notYetFound.length === 0) return { lacking, leftOut, none: true };
  for (const w of judging.size > 0 ? all : notYetFound) {
    if (judging.has(w)) continue;
    const reason = lackingPhase(w, phase, true);
    if (reason) {
      const unread = unreadPhaseNamed(w, phase);
      const last = w.phases[w.phases.length - 1];
      const uri = unread?.uri ?? last?.uri;
      if (uri !== undefined) lacking.push({ workflow: w, reason, uri });
      continue;
    }
    const other = otherWorkflowsPhase(w, phase);
    if (other) {
      leftOut.push(other);
      continue;
    }
    // It has the phase, not the group asked for: left out, said so.
    const there = matchReleasePhase(w, phase).find((p) => inScope(p.uri));
    if (there && group !== undefined)
      leftOut.push(
        `Workflow ${w.id} has no group "${group}" in phase ${there.phase!.id} ${there.phase!.name}: left out of the gate check.`,
      );
    else if (!there && asksOptionalPhase(w, phase))
      leftOut.push(`Workflow ${w.id} has no phase 00 (it is optional): left out of the gate check.`);
  }
  // Where only phases not written yet are asked for, a workflow of another kind in scope
  // (a CDP cycle asked for HELIX's `deploy`) is left out as well: said so, as above.
  if (judging.size === 0)
    for (const w of all) {
      if (notYetFound.includes(w) || w.definition || !w.phases.some((p) => inScope(p.uri))) continue;
      const other = otherWorkflowsPhase(w, phase);
      if (other) leftOut.push(other);
    }
  return { lacking, leftOut, none: false };
}

/** The phase numbers of `skipped` between the phase before `p` (among `phases`) and `p`. */
function skippedBefore(phases: readonly DocEntry[], p: DocEntry, skipped: readonly string[]): string[] {
  const id = Number(p.phase!.id);
  const below = phases.map((q) => Number(q.phase!.id)).filter((n) => n < id);
  // (before the first phase: the known phases the workflow skips before it)
  const prev = below.length > 0 ? Math.max(...below) : Number.NEGATIVE_INFINITY;
  return skipped.filter((s) => Number(s) > prev && Number(s) < id);
}

/** Checks the selected groups of the selected phase in every matching workflow. */
export function checkGate(analysis: WorkflowSource, sel: GateSelection): GateVerdict[] {
  return selectGate(analysis, sel).verdicts;
}
