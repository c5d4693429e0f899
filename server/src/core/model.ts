import { type CdpConfig, defaultConfig } from './config';
import { sectionsWith } from './parse/callout';
import { sectionsOf } from './parse/collapsible';
import { own } from './parse/compact';
import { basename, dirname, stripMdExtension } from './paths';
import { builtInRegex, compileSafeRegex, type SafeRegex } from './safe-regex';
import { shownHeading } from './shown-text';
import { isWhitespace, slug, trimEndWhile } from './text';
import type { Callout, Collapsible, Heading, ParsedDocument, Range, TaskItem, WikiLink } from './types';

export type GroupKind = 'entry' | 'exit' | 'gate' | 'checklist';

/** Checklist items under one heading. */
export interface Group {
  /**
   * The group's name: its heading's text as rendered (`shownHeading`: `## **Exit
   * Criteria**` is "Exit Criteria"), a summary's text, or a gate file's group name.
   */
  heading: string;
  kind: GroupKind;
  /** Line of the heading (-1 for items before any heading). */
  line: number;
  headingRange?: Range;
  /** The heading itself reads as a gate ("… Gate"), so it must hold items. */
  gateHeading: boolean;
  items: TaskItem[];
  checked: number;
  total: number;
  /** Every item is ticked and there is at least one: a group with no items never passes. */
  passed: boolean;
  /** The gate file (URI) the group was read from; absent for the document's own checklists. */
  file?: string;
  /**
   * The group's criteria are list items without checkboxes, this many (`total` counts
   * them; `items` is empty): none can be ticked off.
   */
  untracked?: number;
  /**
   * The gate file the group stands for cannot be read (invalid-gate-file): it has no
   * items and never passes, so the phase does not pass on gates nobody could check.
   */
  unreadable?: boolean;
  /**
   * An entry or exit heading whose criteria are written in prose or a table, with no
   * list under it or its sub-sections: nothing can be ticked, so it never passes.
   */
  prose?: boolean;
  /** Boxes in its section that GFM does not read (see malformed-checkbox): it does not pass. */
  malformed?: number;
  /**
   * How many of its items are optional (gate-file items written `required: false`) and how
   * many of those are unmet: the group passes when its other items are met.
   */
  optional?: { total: number; unmet: number };
}

/**
 * Why a group is not passed, in the words every front end shows ("Security Sign-off Gate
 * has no criteria", "Readiness Checklist: 2 of 5 unticked", for a gate file's checks
 * "Exit Gates: 1 of 3 unmet"); undefined when it passed.
 */
export function groupReason(g: Group): string | undefined {
  const name = plainHeading(g.heading) || 'Checklist';
  if (g.unreadable) return `${name} cannot be read`;
  if (g.untracked)
    return `${name}: ${g.untracked} ${g.untracked === 1 ? 'item has' : 'items have'} no checkbox`;
  if (g.prose)
    return `${name}: no checklist items (criteria in prose or a table, or none written yet, cannot be ticked)`;
  if (g.malformed) {
    const boxes = `${g.malformed} ${g.malformed === 1 ? 'box is not a checkbox' : 'boxes are not checkboxes'} GFM reads (malformed-checkbox)`;
    // Its boxes that are not ticked are said too: fixing the malformed ones is not all.
    const open = g.total - g.checked;
    return open > 0 && g.items.length > 0
      ? `${name}: ${open} of ${g.total} unticked, and ${boxes}`
      : `${name}: ${boxes}`;
  }
  if (g.total === 0) return `${name} has no criteria`;
  // A gate file's items are checks and confirmations, not boxes: they are met or not.
  const open = g.file ? 'unmet' : 'unticked';
  if (g.optional) {
    const required = g.total - g.optional.total;
    const unmet = g.total - g.checked - g.optional.unmet;
    return unmet > 0 ? `${name}: ${unmet} of ${required} required ${open}` : undefined;
  }
  if (g.checked < g.total) return `${name}: ${g.total - g.checked} of ${g.total} ${open}`;
  return undefined;
}

export interface PhaseInfo {
  /** 0..99 */
  number: number;
  /** Two digits: "05". */
  id: string;
  name: string;
  /** Where the phase number came from. */
  source: 'metadata' | 'file-name';
  /**
   * The phase is a folder (`NN-name/README.md`): its workflow instance is the folder's
   * parent, and gate files in the folder belong to it.
   */
  folder: boolean;
}

/** Compiled heading patterns of a configuration. */
export interface Patterns {
  entry: SafeRegex[];
  exit: SafeRegex[];
  gate: SafeRegex[];
  gateContainer: SafeRegex[];
  artifacts: SafeRegex[];
  phaseFileName: SafeRegex;
  /**
   * Slugs of the phase names of the known workflows, each with the numbers it has there
   * (`release` → 5), and the configured release phase, at any number (see `showsPhase`).
   */
  phaseNames: ReadonlyMap<string, readonly number[] | 'any'>;
}

/** The names of the workflows in `KNOWN_WORKFLOWS`, in its order. */
export const KNOWN_WORKFLOW_NAMES = ['CDP', 'HELIX'] as const;

/**
 * The phases of the workflows the checker knows, by number and name (slug): CDP's, then
 * HELIX's (`KNOWN_WORKFLOW_NAMES`). Each ends with its last phase (06-follow-up, 06-iterate).
 */
export const KNOWN_WORKFLOWS: readonly (readonly (readonly [number, string])[])[] = [
  [
    [1, 'diagnose'],
    [2, 'prescribe'],
    [3, 'treat'],
    [4, 'monitor'],
    [5, 'release'],
    [6, 'follow-up'],
  ],
  [
    [0, 'discover'],
    [1, 'frame'],
    [2, 'design'],
    [3, 'test'],
    [4, 'build'],
    [5, 'deploy'],
    [6, 'iterate'],
  ],
];

/**
 * The index in `KNOWN_WORKFLOWS` of the one known workflow whose names some of `phases`
 * carry at their numbers and none at another number (each phase by number and the slugs
 * it may be named by: its name, its file or folder name without the number), or
 * undefined (none, or both).
 */
export function followedKnownWorkflow(
  phases: readonly { number: number; names: readonly string[] }[],
): number | undefined {
  // (one of its names at another number, `03-build` where HELIX builds in 04: numbered
  // its own way, it follows none)
  const follows = KNOWN_WORKFLOWS.map(
    (k) =>
      phases.some((p) => k.some(([n, known]) => n === p.number && p.names.includes(known))) &&
      !phases.some((p) => k.some(([n, known]) => n !== p.number && p.names.includes(known))),
  );
  const own = follows.indexOf(true);
  return own === -1 || follows.lastIndexOf(true) !== own ? undefined : own;
}

/**
 * Whether `phases` follow a known workflow (`followedKnownWorkflow`) whose phase numbered
 * `n` (or, with a name, the one it calls so: `prescribe` is CDP's 02) they skip: none of
 * them is numbered so and a later one is (`02` in a cycle of 01 and 03).
 */
export function skipsKnownPhase(
  phases: readonly { number: number; names: readonly string[] }[],
  phase: number | string,
): boolean {
  const own = followedKnownWorkflow(phases);
  if (own === undefined) return false;
  const n = typeof phase === 'number' ? phase : KNOWN_WORKFLOWS[own].find(([, k]) => k === phase)?.[0];
  if (n === undefined || !KNOWN_WORKFLOWS[own].some(([k]) => k === n)) return false;
  return !phases.some((p) => p.number === n) && phases.some((p) => p.number > n);
}

/**
 * The first phase every cycle of the known workflow `phases` follow has
 * (`followedKnownWorkflow`): CDP's 01, and HELIX's 01 too, its 00 (discovery) being
 * optional. Undefined when they follow none.
 */
export function firstRequiredPhase(
  phases: readonly { number: number; names: readonly string[] }[],
): number | undefined {
  const own = followedKnownWorkflow(phases);
  return own === undefined ? undefined : KNOWN_WORKFLOWS[own].find(([n]) => n > 0)?.[0];
}

/**
 * The phases of the known workflow `phases` follow (`followedKnownWorkflow`) after the
 * last of them, up to the one named `upTo` (`release` is HELIX's `deploy`; its last phase
 * when undefined): not written yet (`04 Monitor`, `05 Release` after a cycle's 01–03).
 */
export function notWrittenYet(
  phases: readonly { number: number; names: readonly string[] }[],
  upTo?: string,
): { number: number; id: string; name: string }[] {
  const own = followedKnownWorkflow(phases);
  if (own === undefined) return [];
  const known = KNOWN_WORKFLOWS[own];
  const last = Math.max(...phases.map((p) => p.number));
  const named = (n: string) => known.find(([, k]) => k === n)?.[0];
  const end =
    upTo === undefined
      ? known[known.length - 1][0]
      : (named(upTo) ?? (upTo === 'release' ? named('deploy') : undefined));
  if (end === undefined) return [];
  return known
    .filter(([n]) => n > last && n <= end)
    .map(([n, name]) => ({
      number: n,
      id: phaseId(n),
      name: name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, ' '),
    }));
}

/**
 * The built-in patterns run on the native engine; any other (from settings, possibly a
 * cloned repository's) in the linear-time one. `resolveConfig` has already refused the
 * ones that do not compile; one that still does not falls back to the built-in list.
 */
export function compilePatterns(config: CdpConfig): Patterns {
  const builtIn = defaultConfig();
  const list = (patterns: string[], defaults: string[]): SafeRegex[] => {
    const out: SafeRegex[] = [];
    for (const p of patterns) {
      if (defaults.includes(p)) out.push(builtInRegex(p));
      else {
        const c = compileSafeRegex(p);
        if (!c.ok) return defaults.map(builtInRegex);
        out.push(c.regex);
      }
    }
    return out;
  };
  const g = config.groups;
  const d = builtIn.groups;
  return {
    entry: list(g.entry, d.entry),
    exit: list(g.exit, d.exit),
    gate: list(g.gate, d.gate),
    gateContainer: list(g.gateContainer, d.gateContainer),
    artifacts: list(g.artifacts, d.artifacts),
    phaseFileName: list([config.phases.fileNamePattern], [builtIn.phases.fileNamePattern])[0],
    phaseNames: phaseNamesOf(config),
  };
}

/** The known phase names with their numbers, and the configured release phase when it is a name. */
function phaseNamesOf(config: CdpConfig): ReadonlyMap<string, readonly number[] | 'any'> {
  const names = new Map<string, number[] | 'any'>();
  for (const w of KNOWN_WORKFLOWS)
    for (const [n, name] of w) {
      const at = names.get(name);
      if (Array.isArray(at)) at.push(n);
      else names.set(name, [n]);
    }
  const release = slug(config.phases.releasePhase);
  if (release !== '' && !names.has(release) && parsePhaseNumber(config.phases.releasePhase) === undefined)
    names.set(release, 'any');
  return names;
}

const matches = (list: SafeRegex[], s: string) => list.some((r) => r.test(s));

/**
 * A heading as written, in the forms its words are commonly dressed in, for the group
 * patterns: HTML comments and tags left out (`<!-- omit in toc -->`, `<span>Exit</span>`),
 * footnote calls too (`Exit Criteria[^1]`),
 * a link read as its text (`[Quality Gate](gate.md)`), `&nbsp;` and runs of spaces as one
 * space, a leading number or symbol (`1. `, `2) `, `✅ `), a trailing symbol (` ✅`, ` 🚦`)
 * and a trailing remark in parentheses (`(must be met)`) left out.
 */
export function headingKey(plain: string): string {
  return (
    withoutComments(plain)
      // Invisible format characters (a right-to-left mark, a zero-width space) and variation selectors.
      .replace(/\p{Cf}|\p{Variation_Selector}/gu, '')
      .replace(INLINE_TAG, '')
      .replace(/\[\^[^[\]\s]+\]/g, '')
      .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/&nbsp;|&#160;|&#xa0;/gi, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[^\p{L}\p{N}]+/u, '')
      .replace(/^\d+(?:\.\d+)*[.)]? /, '')
      .replace(TRAILING_SYMBOLS, '')
      .replace(/ ?[(（][^()（）]*[)）]$/, '')
      .replace(TRAILING_SYMBOLS, '')
      .trim()
  );
}

/**
 * An HTML tag of a heading (its text kept): of an HTML element, not any `<word>`
 * (`<draft>` in a code span is text once the backticks are gone).
 */
const INLINE_TAG = new RegExp(
  `</?(?:${[
    'a abbr address article aside b bdi bdo big blockquote br caption center cite code col',
    'colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5',
    'h6 header hr i img ins kbd li main mark nav ol p picture pre q rp rt ruby s samp section',
    'small source span strike strong sub summary sup table tbody td tfoot th thead time tr tt',
    'u ul var wbr',
  ]
    .join(' ')
    .replace(/ /g, '|')})(?:[\\s/][^<>]*)?>`,
  'gi',
);

/** `text` with its HTML comments as spaces, in linear time (an unclosed `<!--` stays). */
function withoutComments(text: string): string {
  let open = text.indexOf('<!--');
  if (open === -1) return text;
  let out = '';
  let from = 0;
  while (open !== -1) {
    const close = text.indexOf('-->', open + 4);
    if (close === -1) break;
    out += `${text.slice(from, open)} `;
    from = close + 3;
    open = text.indexOf('<!--', from);
  }
  return out + text.slice(from);
}

/** Symbols at the end of a heading after a space (not a closing parenthesis: a remark's); spaces are single by then. */
const TRAILING_SYMBOLS = /(?:^|\s)[^\p{L}\p{N}()（）\s]+\s?$|\s$/u;

/** White space past ASCII (no-break and other Unicode spaces); ASCII is checked by code. */
const OTHER_SPACE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const LEADING_LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;
/** Invisible format characters and variation selectors, which `headingKey` leaves out. */
const INVISIBLE = /\p{Cf}|\p{Variation_Selector}/u;
/** A letter or digit last, with its combining marks (not a variation selector: `✔️` ends in one). */
const TRAILING_LETTER_OR_DIGIT = /[\p{L}\p{N}](?:(?!\p{Variation_Selector})\p{M})*$/u;

/**
 * Whether `headingKey` may change a heading (most headings hold none of what it removes,
 * and are their own key): checked a character at a time, every heading of every document
 * passes here.
 */
export function dressed(s: string): boolean {
  const first = s.charCodeAt(0);
  if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) {
    // A digit, a symbol or a space first; past ASCII, a letter of another script is fine.
    if (first < 128 || !LEADING_LETTER_OR_DIGIT.test(s)) return true;
  }
  const last = s.charCodeAt(s.length - 1);
  // Anything but a letter or digit last: a remark's `)`, a symbol (` ✅`), a tag's `>`.
  const asciiAlnum = (last >= 48 && last <= 57) || ((last | 32) >= 97 && (last | 32) <= 122);
  if (!asciiAlnum && (last < 128 || !TRAILING_LETTER_OR_DIGIT.test(s))) return true;
  let prev = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 38 /* & */ || c === 60 /* < */ || c === 93 /* ] */ || (c === 32 && prev === 32) || c < 32)
      return true;
    if (c >= 0xa0 && (OTHER_SPACE.test(s[i]) || INVISIBLE.test(s[i]))) return true;
    prev = c;
  }
  return false;
}

/** Keys of dressed headings already seen: documents made from one template repeat them. */
let keys = new Map<string, string>();

/** `headingKey` of a `plainHeading`, skipped for a heading it would not change, and remembered. */
export function keyOf(plain: string): string {
  if (!dressed(plain)) return plain;
  let key = keys.get(plain);
  if (key === undefined) {
    if (keys.size >= 10_000) keys = new Map();
    key = headingKey(plain);
    keys.set(plain, key);
  }
  return key;
}

/** Whether a heading (its `plainHeading` text) matches one of the patterns, as written or as `headingKey` gives it. */
function headingMatches(list: SafeRegex[], text: string, key: string): boolean {
  return matches(list, text) || (key !== text && matches(list, key));
}

const H_CONTAINER = 1;
const H_GATE = 2;
const H_ENTRY = 4;
const H_EXIT = 8;
const H_ARTIFACTS = 16;

/**
 * What the group patterns make of a heading's text, as bits (`H_…`), remembered per
 * heading text for the patterns last asked with. Documents made from one template repeat
 * their headings (7,500 texts among 148,000 headings at 10k cdp documents), and each was
 * read (`plainHeading`, `keyOf`) and matched against every list of patterns again for
 * each document's groups and for its artifacts.
 */
function headingClass(p: Patterns, heading: string): number {
  if (p !== classesOf || headingClasses.size >= 10_000) {
    classesOf = p;
    headingClasses = new Map();
  }
  let c = headingClasses.get(heading);
  if (c === undefined) {
    const text = plainHeading(heading);
    const key = keyOf(text);
    c =
      (headingMatches(p.gateContainer, text, key) ? H_CONTAINER : 0) |
      (headingMatches(p.gate, text, key) ? H_GATE : 0) |
      (headingMatches(p.entry, text, key) ? H_ENTRY : 0) |
      (headingMatches(p.exit, text, key) ? H_EXIT : 0) |
      (headingMatches(p.artifacts, text, key) ? H_ARTIFACTS : 0);
    // (its own copy: a heading sliced from a document's text would keep all of it)
    headingClasses.set(own(heading), c);
  }
  return c;
}

let classesOf: Patterns | undefined;
let headingClasses = new Map<string, number>();

/** Heading text without inline emphasis or trailing colon, for pattern matching. */
export function plainHeading(text: string): string {
  // (a line break parts the words it stands between, as shownHeading reads it)
  const plain = (text.includes('<') ? text.replace(/<br\s*\/?>/gi, ' ') : text).replace(/[*_`]+/g, '');
  // Trailing colons and spaces, in linear time (not `/[:\s]+$/`).
  return trimEndWhile(plain, (ch) => ch === ':' || ch === '：' || isWhitespace(ch)).trim();
}

/**
 * Groups the document's checklist items by their nearest heading and gives each group
 * its kind. Headings without items are kept only when they read as gates (to report
 * empty gates).
 */
export function computeGroups(doc: ParsedDocument, p: Patterns): Group[] {
  const groups: Group[] = [];
  // Open headings: whether each reads as a gate container, the kind of an entry, exit or
  // gate heading (its sub-sections hold its criteria), and the empty group it stands as
  // until a sub-section holds items.
  const stack: { level: number; container: boolean; criteria?: GroupKind; empty?: Group }[] = [];
  /** Empty groups of headings whose sub-sections turned out to hold the items. */
  const filled = new Set<Group>();
  const tasks = doc.tasks;
  let ti = 0;
  // A slice is exactly as long as the group (a list grown by push keeps room for 17
  // items: every phase document keeps its groups).
  const take = (until: number): TaskItem[] => {
    const from = ti;
    while (ti < tasks.length && tasks[ti].line < until) ti++;
    return tasks.slice(from, ti);
  };
  const plain = doc.plainItems ?? [];
  let pi = 0;
  /** Plain list items (criteria without checkboxes) before line `until`, from where the last call stopped. */
  const plainBefore = (until: number): number => {
    const from = pi;
    while (pi < plain.length && plain[pi] < until) pi++;
    return pi - from;
  };
  const malformed = doc.malformed;
  let mi = 0;
  /** Malformed boxes before line `until`, from where the last call stopped. */
  const malformedBefore = (until: number): number => {
    const from = mi;
    while (mi < malformed.length && malformed[mi].line < until) mi++;
    return mi - from;
  };
  /**
   * The group (if any) of the section of heading `h`, holding these items, named
   * `shown` (the heading's text as rendered, see `shownHeading`).
   */
  const visit = (h: Heading, items: TaskItem[], untracked: number, misses: number, named?: string) => {
    // Read as rendered only for a group (most headings make none; this runs per keystroke).
    const shown = () => named ?? shownHeading(h.text);
    while (stack.length > 0 && stack[stack.length - 1].level >= h.level) stack.pop();
    const c = headingClass(p, h.text);
    const underContainer = stack.some((s) => s.container);
    // The nearest open entry, exit or gate heading: its sub-sections (`### Technical`) hold its criteria.
    let under: GroupKind | undefined;
    for (let k = stack.length - 1; k >= 0 && under === undefined; k--) under = stack[k].criteria;
    const container = (c & H_CONTAINER) !== 0;
    const gateHeading = (c & H_GATE) !== 0;
    let kind: GroupKind = 'checklist';
    // A sub-section inherits its criteria kind: only checkboxes there are criteria (a
    // list of related links under `### Related` is no list of criteria).
    let inherited = false;
    if (c & H_ENTRY) kind = 'entry';
    else if (c & H_EXIT) kind = 'exit';
    else if (gateHeading || underContainer || (container && items.length > 0)) kind = 'gate';
    else if (under !== undefined) {
      kind = under;
      inherited = true;
    }
    const entry: (typeof stack)[number] = {
      level: h.level,
      container,
      criteria: kind === 'entry' || kind === 'exit' || gateHeading ? kind : undefined,
    };
    stack.push(entry);
    // A sub-section's plain list is no list of criteria (`### Related`), but boxes GFM does
    // not read are criteria nobody can tick wherever they are.
    const holds = items.length > 0 || (kind !== 'checklist' && ((untracked > 0 && !inherited) || misses > 0));
    // The headings above whose criteria these are stand for no empty group of their own.
    if (holds && kind !== 'checklist') for (const s of stack) if (s.empty && s !== entry) filled.add(s.empty);
    if (items.length > 0) {
      const g = makeGroup(shown(), kind, h.line, h, gateHeading, items);
      if (misses > 0 && kind !== 'checklist') (g as OwnGroup).malformed = misses;
      groups.push(g);
    }
    // Criteria written as a plain or numbered list: a group none of whose items can be
    // ticked, so never passed (it used to be no group at all, and the phase complete).
    else if (untracked > 0 && kind !== 'checklist' && !inherited)
      groups.push(new UntrackedGroup(shown(), kind, h.line, h, gateHeading, untracked, misses));
    // Criteria whose every box is one GFM does not read: none of them can be ticked until
    // it is fixed, so they count as criteria not met (as a list without boxes does).
    else if (misses > 0 && kind !== 'checklist')
      groups.push(new UntrackedGroup(shown(), kind, h.line, h, gateHeading, 0, misses));
    else if (gateHeading || (kind === 'exit' && under === undefined)) {
      // An empty gate, or an exit heading with prose or a table under it: never passed.
      // (Entry criteria in prose are no group: "None — this is the first phase.")
      const g = makeGroup(shown(), kind, h.line, h, gateHeading, items);
      if (!gateHeading) g.prose = true;
      entry.empty = g;
      groups.push(g);
    }
  };

  const sections = groupSections(doc, p);
  if (sections) {
    sectionGroups(doc, sections, groups, visit);
    return filled.size > 0 ? groups.filter((g) => !filled.has(g)) : groups;
  }
  const first = doc.headings.length > 0 ? doc.headings[0].line : Number.POSITIVE_INFINITY;
  const before = take(first);
  malformedBefore(first);
  if (before.length > 0) groups.push(makeGroup('Checklist', 'checklist', -1, undefined, false, before));
  for (let i = 0; i < doc.headings.length; i++) {
    const next = i + 1 < doc.headings.length ? doc.headings[i + 1].line : Number.POSITIVE_INFINITY;
    visit(doc.headings[i], take(next), plainBefore(next), malformedBefore(next));
  }
  return filled.size > 0 ? groups.filter((g) => !filled.has(g)) : groups;
}

/** What makes a heading a group of criteria of its own: entry, exit, gate or gate container. */
const H_CRITERIA = H_CONTAINER | H_GATE | H_ENTRY | H_EXIT;

/**
 * The sections besides headings a document's items are grouped in (see `sectionGroups`):
 * its collapsible sections, and its callouts whose title reads as a heading of entry or
 * exit criteria, a gate or gate container would (`> [!todo] Entry Criteria`); any other
 * callout is part of the section it lies in, as any block quote is. Undefined when there
 * are none.
 */
function groupSections(doc: ParsedDocument, p: Patterns): (Collapsible | Callout)[] | undefined {
  const callouts = doc.callouts?.filter((c) => (headingClass(p, c.text) & H_CRITERIA) !== 0);
  return sectionsWith(doc.collapsibles, callouts);
}

/**
 * `computeGroups` for a document with collapsible sections (`<details>`) or callouts
 * naming groups (`groupSections`): each is a section one level below the heading above it
 * (level 1 before the first heading), named by its summary or title, so one that reads as
 * entry or exit criteria or a gate makes a group of that kind, and any other collapsible
 * section's items are a sub-section of the heading above (inheriting its criteria kind, as
 * `### Technical` under `## Exit Criteria` does). The items after its `</details>` (after a
 * callout) are the heading's again.
 */
function sectionGroups(
  doc: ParsedDocument,
  collapsibles: readonly (Collapsible | Callout)[],
  groups: Group[],
  visit: (h: Heading, items: TaskItem[], untracked: number, misses: number, shown?: string) => void,
): void {
  const H = doc.headings.length;
  const sections = H + collapsibles.length;
  const items: TaskItem[][] = Array.from({ length: sections + 1 }, () => []);
  const untracked = new Array<number>(sections + 1).fill(0);
  const misses = new Array<number>(sections + 1).fill(0);
  // Index 0 holds what lies before the first heading (section -1).
  const taskSections = sectionsOf(
    doc.headings,
    collapsibles,
    doc.tasks.map((t) => t.line),
  );
  for (let i = 0; i < doc.tasks.length; i++) items[taskSections[i] + 1].push(doc.tasks[i]);
  const plain = doc.plainItems ?? [];
  for (const s of sectionsOf(doc.headings, collapsibles, plain)) untracked[s + 1]++;
  const malformed = doc.malformed.map((m) => m.line);
  for (const s of sectionsOf(doc.headings, collapsibles, malformed)) misses[s + 1]++;
  if (items[0].length > 0) groups.push(makeGroup('Checklist', 'checklist', -1, undefined, false, items[0]));
  const callouts = doc.callouts ? new Set<Collapsible | Callout>(doc.callouts) : undefined;
  let c = 0;
  const visitCollapsibles = (until: number, level: number) => {
    for (; c < collapsibles.length && collapsibles[c].open < until; c++) {
      const col = collapsibles[c];
      const s = H + c + 1;
      // A summary is HTML: its text is shown as written; a callout's title is markdown,
      // shown as a heading's text is.
      const named = callouts?.has(col) ? undefined : col.text;
      visit(collapsibleHeading(col, level), items[s], untracked[s], misses[s], named);
    }
  };
  visitCollapsibles(H > 0 ? doc.headings[0].line : Number.POSITIVE_INFINITY, 1);
  for (let i = 0; i < H; i++) {
    const h = doc.headings[i];
    visit(h, items[i + 1], untracked[i + 1], misses[i + 1]);
    visitCollapsibles(i + 1 < H ? doc.headings[i + 1].line : Number.POSITIVE_INFINITY, h.level + 1);
  }
}

/** A collapsible section (or callout) as the heading of its section, `level` deep. */
function collapsibleHeading(c: Collapsible | Callout, level: number): Heading {
  return { level, text: c.text, line: c.line, range: c.range };
}

/**
 * The lines of a group's criteria written without checkboxes (`Group.untracked`): the
 * plain list items of the section of the heading (or collapsible summary, or callout
 * title) on `line`.
 */
export function untrackedLines(doc: ParsedDocument, line: number, p: Patterns): number[] {
  const plain = doc.plainItems ?? [];
  const headings = doc.headings;
  const cols = groupSections(doc, p);
  if (!cols) {
    const next = headings.find((h) => h.line > line)?.line ?? Number.POSITIVE_INFINITY;
    return plain.filter((l) => l > line && l < next);
  }
  let id = headings.findIndex((h) => h.line === line);
  if (id === -1) {
    const c = cols.findIndex((x) => x.line === line);
    if (c === -1) return [];
    id = headings.length + c;
  }
  const sections = sectionsOf(headings, cols, plain);
  return plain.filter((_, i) => sections[i] === id);
}

function makeGroup(
  heading: string,
  kind: GroupKind,
  line: number,
  of: Heading | undefined,
  gateHeading: boolean,
  items: TaskItem[],
): Group {
  let checked = 0;
  for (const it of items) if (it.checked) checked++;
  return new OwnGroup(heading, kind, line, of, gateHeading, items, checked);
}

/**
 * A checklist group of the document itself. Every document's groups are kept: the
 * heading's range is built when asked for (from the heading), not held.
 */
class OwnGroup implements Group {
  constructor(
    readonly heading: string,
    readonly kind: GroupKind,
    readonly line: number,
    private readonly of: Heading | undefined,
    readonly gateHeading: boolean,
    readonly items: TaskItem[],
    readonly checked: number,
  ) {}

  get headingRange(): Range | undefined {
    return this.of?.range;
  }

  get total(): number {
    return this.items.length;
  }

  /**
   * Boxes in its section that GFM does not read (malformed-checkbox): criteria nobody can
   * tick as written, so the group does not pass while there are any. Declared only: set on
   * the few groups that have them (every group keeps no slot for it).
   */
  declare malformed?: number;

  /** An empty group is not passed: nothing shows it was met (see groupReason). */
  get passed(): boolean {
    return this.items.length > 0 && this.checked === this.items.length && !this.malformed;
  }
}

/**
 * A criteria heading whose items are a plain or numbered list (`1. PRD approved`), or
 * boxes GFM does not read (`- [x ] …`): they count as criteria, none of them met, since
 * none can be ticked until it has a checkbox GFM reads.
 */
class UntrackedGroup implements Group {
  readonly items: TaskItem[] = [];
  readonly checked = 0;
  readonly passed = false;

  constructor(
    readonly heading: string,
    readonly kind: GroupKind,
    readonly line: number,
    private readonly of: Heading,
    readonly gateHeading: boolean,
    /** How many list items have no checkbox. */
    readonly untracked: number,
    /** How many items have a box GFM does not read (see `Group.malformed`). */
    readonly malformed = 0,
  ) {}

  get headingRange(): Range {
    return this.of.range;
  }

  get total(): number {
    return this.untracked + this.malformed;
  }
}

/**
 * A phase document's own groups that count beside gate files, which are its criteria that
 * can be checked: its lists of criteria without checkboxes, or criteria in prose, only
 * describe them (as HELIX phase READMEs do).
 */
export function countedBesideGates(own: Group[]): Group[] {
  return own.some((g) => g.untracked || g.prose) ? own.filter((g) => !g.untracked && !g.prose) : own;
}

/**
 * The phase a document claims: its metadata `phase` (a number), else a `NN-name` file
 * name, else a `NN-name` folder whose README/index shows it is a phase: entry or exit
 * groups, gate groups with items, gate files beside it (`hasGateFiles`), `phase` metadata naming it, or a
 * `# Phase NN: Name` title. A numbered folder without any of these is not a phase.
 */
export function phaseOf(
  doc: ParsedDocument,
  rel: string,
  p: Patterns,
  groups: () => Group[],
  hasGateFiles: (dir: string) => boolean,
  numberedBeside: (n: number) => boolean = () => false,
): PhaseInfo | undefined {
  const data = doc.metadata.data;
  const n = parsePhaseNumber(data.phase);
  const fromName = phaseFromPath(rel, p);
  const titled = titlePhase(doc);
  const metaName = typeof data.name === 'string' && data.name.trim() ? data.name.trim() : undefined;
  // `phase: 01` on a document not named by a number, beside the file named as phase 01
  // (`problem-statement.md` beside `01-diagnose.md`) or named by an `artifacts` list, is
  // that phase's artifact.
  if (n !== undefined && (fromName !== undefined || !numberedBeside(n))) {
    const name = metaName ?? titled?.name ?? fromName?.name ?? '';
    return {
      number: n,
      id: phaseId(n),
      name: name || doc.title?.text || '',
      source: 'metadata',
      folder: fromName?.folder ?? false,
    };
  }
  if (!fromName) return undefined;
  // A numbered file is a phase by its name (as CDP writes them); a numbered folder's
  // README only when it shows it (`docs/01-User-Guide/` is no phase).
  if (fromName.folder) {
    const shown =
      hasGateFiles(dirname(rel)) ||
      (typeof data.phase === 'string' && namesPhase(data.phase, fromName)) ||
      (titled !== undefined && titled.number === fromName.number) ||
      groupsShowPhase(doc, groups());
    if (!shown) return undefined;
  }
  return { ...fromName, name: metaName ?? titled?.name ?? fromName.name };
}

/**
 * Entry or exit groups show a phase; a group read as a gate ("SonarQube Quality Gate",
 * common in any documentation) only when it holds items. An entry or exit group without a
 * checkbox (criteria written as plain lists or prose) shows one only as a section of the
 * document itself (its heading at level 1 or 2): a test strategy's "### Entry Criteria"
 * under "## System Testing" is the content of a page, not a phase's.
 */
function groupsShowPhase(doc: ParsedDocument, groups: readonly Group[]): boolean {
  return groups.some((g) => {
    if (g.kind === 'checklist') return false;
    if (g.items.length > 0 || (g.malformed ?? 0) > 0 || g.file !== undefined) return true;
    if (g.kind === 'gate') return g.total > 0;
    return groupLevel(doc, g) <= 2;
  });
}

/**
 * The heading level of a group: its heading's, or for a collapsible section's summary one
 * below the heading above it (1 with none).
 */
function groupLevel(doc: ParsedDocument, g: Group): number {
  let above: number | undefined;
  for (const h of doc.headings) {
    if (h.line === g.line) return h.level;
    if (h.line > g.line) break;
    above = h.level;
  }
  return above === undefined ? 1 : above + 1;
}

/** Whether the metadata says the document is a phase: `phase`, `previous_phase` or `next_phase`. */
export function hasPhaseMetadata(doc: ParsedDocument): boolean {
  const data = doc.metadata.data;
  return (
    Object.hasOwn(data, 'phase') || Object.hasOwn(data, 'previous_phase') || Object.hasOwn(data, 'next_phase')
  );
}

/**
 * Whether a phase document shows that it is one by itself. Phases from metadata and
 * phase folders always do (a folder's README is a phase only when it shows it); a flat
 * `NN-name.md` file does by `phase`, `previous_phase` or `next_phase` metadata, a
 * "Previous Phase"/"Next Phase" link, entry, exit or gate groups (`groupsShowPhase`), a
 * `# Phase NN` title or gate files beside it. Flat files that would form one instance
 * are a workflow when one of them shows it, or when at least half of them are named as
 * known phases (`namedAsKnownPhase`; `buildWorkflows`): a stub phase beside filled ones
 * stays a phase, a guide's `01-intro.md` and `02-setup.md` are ordinary documents, and
 * so is its `04-monitor.md` among four chapters of other names.
 */
export function showsPhase(
  doc: ParsedDocument,
  ph: PhaseInfo,
  rel: string,
  groups: () => readonly Group[],
  hasGateFiles: (dir: string) => boolean,
): boolean {
  if (ph.source !== 'file-name' || ph.folder) return true;
  if (hasPhaseMetadata(doc)) return true;
  if (titlePhase(doc) !== undefined) return true;
  const { previous, next } = chainLinks(doc);
  if (previous !== undefined || next !== undefined) return true;
  return hasGateFiles(dirname(rel)) || groupsShowPhase(doc, groups());
}

/**
 * Whether a flat phase document's file name is a known phase's name at its own number
 * there (`Patterns.phaseNames`: `05-release.md`, not a guide's `3-release.md`).
 */
export function namedAsKnownPhase(ph: PhaseInfo, rel: string, p: Patterns): boolean {
  if (ph.source !== 'file-name' || ph.folder) return false;
  const named = phaseFromPath(rel, p)?.name;
  return named !== undefined && knownAt(p, named, ph.number);
}

/** Whether `name` is a known phase's name at number `n` (`Patterns.phaseNames`). */
function knownAt(p: Patterns, name: string, n: number): boolean {
  const numbers = p.phaseNames.get(slug(name));
  return numbers === 'any' || numbers?.includes(n) === true;
}

/**
 * Whether a markdown file at `rel` would be named as a phase document: a file named as
 * `cdp.phases.fileNamePattern` reads phases (`03-treat.md`), or the README or index of a
 * folder named so (`03-treat/README.md`).
 */
export function namedAsPhaseDocument(rel: string, p: Patterns): boolean {
  return phaseFromPath(rel, p) !== undefined;
}

/** The phase number a flat document's file name gives (`02-prescribe.md`: 2), if any. */
export function fileNamePhaseNumber(rel: string, p: Patterns): number | undefined {
  const named = phaseFromPath(rel, p);
  return named === undefined || named.folder ? undefined : named.number;
}

/**
 * The number a flat document named as a phase (`01-diagnose.md`) stands for as one: its
 * `phase` metadata says that number, or its name is the known phase's at it. Undefined
 * for any other document.
 */
export function numberedPhaseFile(doc: ParsedDocument, rel: string, p: Patterns): number | undefined {
  const named = phaseFromPath(rel, p);
  if (named === undefined || named.folder) return undefined;
  return parsePhaseNumber(doc.metadata.data.phase) === named.number || knownAt(p, named.name, named.number)
    ? named.number
    : undefined;
}

/** `# Phase 05: Deploy` / `# Activity 05 - Deploy` → 5, "Deploy". */
export function titlePhase(doc: ParsedDocument): { number: number; name: string } | undefined {
  const t = doc.title?.text;
  if (!t) return undefined;
  const m = /^(?:phase|activity)\s+(\d{1,2})\s*(?:[:.\-\u2013\u2014]\s*(.*))?$/iu.exec(plainHeading(t));
  if (!m) return undefined;
  const name = (m[2] ?? '').trim();
  return { number: Number(m[1]), name: name || t };
}

/** Whether a `phase` value ("01-frame", "frame", "1", "Frame") names this phase. */
export function namesPhase(value: string, ph: Pick<PhaseInfo, 'number' | 'name'>): boolean {
  const s = slug(value);
  if (s === '') return false;
  const num = /^(\d{1,2})(?:-|$)/.exec(s);
  if (num) return Number(num[1]) === ph.number;
  return s === slug(ph.name);
}

/**
 * A `phase` value that does not make the document a phase document but names the phase
 * it belongs to (`"01-frame"`, `frame`, `deploy`): the document is an artifact of it.
 */
export function artifactPhaseOf(doc: ParsedDocument): string | undefined {
  const v = doc.metadata.data.phase;
  return typeof v === 'string' && v.trim() !== '' && parsePhaseNumber(v) === undefined ? v.trim() : undefined;
}

/** Whether a `phase` value is usable: a number 0..99 or a name; not a list, a map or a flag. */
export function usablePhaseValue(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  return parsePhaseNumber(v) !== undefined;
}

export function parsePhaseNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 99) return v;
  if (typeof v === 'string' && /^\s*\d{1,2}\s*$/.test(v)) {
    const n = Number(v);
    return n >= 0 && n <= 99 ? n : undefined;
  }
  return undefined;
}

export function phaseId(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "2 list items have no checkbox", "1 list item has no checkbox" (see `Group.untracked`). */
export function noCheckboxText(n: number): string {
  return `${n} list ${n === 1 ? 'item has' : 'items have'} no checkbox`;
}

/**
 * The phase a folder's name gives its README (`02-design` → 02 Design, as
 * `cdp.phases.fileNamePattern` reads it); undefined when the name is not a phase's.
 */
export function phaseOfFolderName(name: string, p: Patterns): PhaseInfo | undefined {
  return phaseFromPath(`${name}/README.md`, p);
}

/** Whether a folder's name is a known workflow's (`helix`, `cdp`; any letter case). */
export function namedAsWorkflow(name: string): boolean {
  const lower = name.toLowerCase();
  return KNOWN_WORKFLOW_NAMES.some((n) => n.toLowerCase() === lower);
}

/**
 * A folder name that is a known workflow's phase at its number (`01-frame`, `05-release`;
 * not `01-intro` or `03-frame`), as a folder phase.
 */
export function knownPhaseFolder(name: string, p: Patterns): PhaseInfo | undefined {
  const info = phaseOfFolderName(name, p);
  if (!info) return undefined;
  return knownAt(p, name.replace(/^\d{1,2}[-_ ]*/, ''), info.number) ? info : undefined;
}

function phaseFromPath(rel: string, p: Patterns): PhaseInfo | undefined {
  const segs = rel.split('/');
  const file = stripMdExtension(basename(rel));
  let candidate = file;
  let folder = false;
  if (/^(readme|index)$/i.test(file) && segs.length >= 2) {
    candidate = segs[segs.length - 2];
    folder = true;
  }
  const m = p.phaseFileName.exec(candidate);
  if (!m) return undefined;
  const digits = /^(\d{1,2})/.exec(m[1] ?? candidate);
  const n = digits ? Number(digits[1]) : Number.NaN;
  if (!(n >= 0 && n <= 99)) return undefined;
  const rest = candidate.replace(/^\d{1,2}[-_ ]*/, '').replace(/[-_]+/g, ' ');
  const name = rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : candidate;
  return { number: n, id: phaseId(n), name, source: 'file-name', folder };
}

/** Links that name artifacts: the `artifacts` metadata plus links under "Artifacts Produced". */
export function artifactLinks(doc: ParsedDocument, p: Patterns): WikiLink[] {
  const out: WikiLink[] = [];
  const sections: { start: number; end: number }[] = [];
  const hs = doc.headings;
  for (let i = 0; i < hs.length; i++) {
    if (!(headingClass(p, hs[i].text) & H_ARTIFACTS)) continue;
    let j = i + 1;
    while (j < hs.length && hs[j].level > hs[i].level) j++;
    sections.push({ start: hs[i].line, end: j < hs.length ? hs[j].line : Number.POSITIVE_INFINITY });
  }
  for (const l of doc.links) {
    if (l.source === 'metadata') {
      // (not from a block that cannot be read: its `phase` is not read either)
      if (l.key === 'artifacts' && !doc.metadata.unread) out.push(l);
    } else if (sections.length > 0) {
      // A compact link builds its range on each access: once per link, not per section.
      const line = l.range.start.line;
      if (sections.some((s) => line > s.start && line < s.end)) out.push(l);
    }
  }
  return out;
}

/**
 * Links that form the phase chain: `previous_phase` / `next_phase` in metadata, else the
 * first markdown link under a "Previous Phase" / "Next Phase" heading.
 */
export function chainLinks(doc: ParsedDocument): ChainLinks {
  // Asked for every link of a phase by the rules: read once per parsed document (which
  // never changes; an edit parses a new one).
  let chain = chains.get(doc);
  if (!chain) {
    chain = readChainLinks(doc);
    chains.set(doc, chain);
  }
  return chain;
}

type ChainLinks = { previous?: WikiLink; next?: WikiLink };
const chains = new WeakMap<ParsedDocument, ChainLinks>();

function readChainLinks(doc: ParsedDocument): ChainLinks {
  let previous: WikiLink | undefined;
  let next: WikiLink | undefined;
  for (const l of doc.links) {
    if (l.source !== 'metadata') continue;
    if (l.key === 'previous_phase' && !previous) previous = l;
    else if (l.key === 'next_phase' && !next) next = l;
  }
  if (previous && next) return { previous, next };
  const hs = doc.headings;
  for (let i = 0; i < hs.length; i++) {
    if (!/phase/i.test(hs[i].text)) continue;
    const m = /^(previous|prev|next)\s+phase\b/i.exec(plainHeading(hs[i].text));
    if (!m) continue;
    const isNext = m[1].toLowerCase() === 'next';
    if (isNext ? next : previous) continue;
    let j = i + 1;
    while (j < hs.length && hs[j].level > hs[i].level) j++;
    const end = j < hs.length ? hs[j].line : Number.POSITIVE_INFINITY;
    const link = doc.links.find(
      (l) =>
        l.syntax === 'markdown' &&
        l.source === 'body' &&
        !l.embed &&
        l.target !== '' &&
        l.range.start.line > hs[i].line &&
        l.range.start.line < end,
    );
    if (!link) continue;
    if (isNext) next = link;
    else previous = link;
  }
  return { previous, next };
}
