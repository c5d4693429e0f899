import picomatch from 'picomatch';
import { globMatcher } from '../glob';
import type { Group, GroupKind } from '../model';
import { basename, dirname, normalizeRel, uriPath } from '../paths';
import { fileKey, sameCase } from '../resolve';
import { editDistance, trimEndSlashes } from '../text';
import type { Range, TaskItem } from '../types';
import {
  COMMAND_CHECKS,
  DECLARATIVE_CHECKS,
  GATE_FILE_NAME,
  type GateItemDef,
  KNOWN_CHECKS,
  nearMiss,
} from './parse';
import { MAX_SEARCH_CHARS, SEARCHED_SIZE, type SearchResult, searchBudget, searchFile } from './regex';
import {
  CLI_COMMAND_WORDING,
  type CommandResult,
  type CommandWording,
  type Confirmation,
  type GateFileEntry,
} from './store';

/** unchecked: a markdown checkbox; the others: gate-file items. */
export type ItemState = 'passed' | 'unchecked' | 'failed' | 'not-evaluated' | 'unconfirmed';

/** A criterion read from a gate file: a task item located on its YAML line, with its state. */
export interface GateItem extends TaskItem {
  state: ItemState;
  /** Why it is not met (or who confirmed it). */
  reason?: string;
  /** Output of its command, when it was run. */
  output?: string;
  def: GateItemDef;
  /** The gate file (URI). */
  file: string;
  /** Written `required: false`: shown, never blocks its group. */
  optional?: true;
  /** A path of it that names what lies beside the gate file (see `besideGateFile`), when it failed. */
  beside?: BesideGate;
}

/**
 * A gate path written relative to its gate file (`test-plan.md`, `./specs`) that names
 * nothing from the workspace folder but a file or folder beside the gate file: `written`
 * as the check has it, `path` the one meant, from the workspace folder.
 */
export interface BesideGate {
  readonly written: string;
  readonly path: string;
  readonly folder?: true;
}

export function isGateItem(t: TaskItem): t is GateItem {
  return (t as GateItem).def !== undefined;
}

/**
 * The command a check is met by running, if any: its `command`, unless it is a declarative
 * check (`file_exists`, `grep_*`, …), which reads the workspace and never runs it.
 */
export function commandOf(d: GateItemDef): string | undefined {
  if (d.kind === 'manual' || d.kind === 'evidence' || d.command === undefined) return undefined;
  return DECLARATIVE_CHECKS.has(d.check ?? 'command') ? undefined : d.command;
}

/** An item whose group passes without it (a gate-file item written `required: false`). */
export function isOptional(t: TaskItem): boolean {
  return (t as GateItem).optional === true;
}

/** What gate checks look at; implemented over the index. Paths are folder-relative. */
export interface GateEnv {
  /** Every file of the workspace folder (relative paths). */
  files(): readonly string[];
  /**
   * A file exists at `rel`, letter case included (`fileKey` of the path: Unicode normal
   * forms are one), or at a path a URI join normalises to it.
   */
  isFile(rel: string): boolean;
  /**
   * Optional, a quicker first answer: false only when no file has the path `rel` in any
   * case (lower-cased, or as `fileKey`), so that `isFile(rel)` is false too.
   */
  inAnyCase?(rel: string): boolean;
  /**
   * Optional, in place of `isFile` where given: the path as it is on disk of the file whose
   * path is `rel` when letter case is ignored (another Unicode normal form, `//`, `./`),
   * undefined when there is none. The check then decides: only a file whose path differs
   * from `rel` in normal form alone is the file (a grep check searches the text the index
   * keeps for it); one in other letter case is named in the reason why the check failed.
   */
  onDisk?(rel: string): string | undefined;
  /**
   * Whether an evidence `#anchor`, as written, lands in the markdown document at `rel`
   * (`evidenceLanding`: as a markdown link's would; undefined: no such document). Where it
   * does not, the heading it clearly means (`meantAnchor`) may be told instead of false,
   * as a message names it: `"#success-metrics--kpis" (heading "Success Metrics & KPIs")`.
   */
  hasAnchor(rel: string, anchor: string): boolean | string | undefined;
  /** The text of a file a grep check searches (undefined: not read). */
  text(rel: string): string | undefined;
  /**
   * Optional: whether `text(rel)` is only the first MAX_SEARCH_CHARS characters of a
   * longer file (what is kept of it), so that a pattern not found there may lie further on.
   */
  truncated?(rel: string): boolean;
  /**
   * What a search of `pattern` in a file found, when that is kept instead of its text
   * (plain-text patterns: see `freeSearch`).
   */
  answer?(rel: string, pattern: string): SearchResult | undefined;
  /** Why a file a grep check searches has no text (`text`), when known. */
  unreadReason?(rel: string): string | undefined;
  /**
   * Whether the phase before this one (or the one named) is complete; undefined when there
   * is none; `self` when the one named is the gate file's own phase.
   */
  phaseComplete(
    named?: string,
  ): { complete: boolean; label: string; self?: true; missing?: true } | undefined;
  confirmation(fileRel: string, item: string): Confirmation | undefined;
  commandResult(uri: string, line: number): CommandResult | undefined;
  /** How commands not run and timeouts are worded (`cdp check`'s flags when absent). */
  commandWording?: CommandWording;
}

export const GLOB = /[*?[\]{}!]/;

/** What a gate path's lookup reads. */
export type FilesEnv = Pick<GateEnv, 'files' | 'isFile' | 'inAnyCase' | 'onDisk'>;

/** A compiled glob: the folder its matches lie under (`dir/`, or '') and a test of a path under it. */
interface Matcher {
  base: string;
  /** Tests the path without `base`. */
  isMatch: (rest: string) => boolean;
}

const matchers = new Map<string, Matcher>();
/** Compiled tails of globs (what follows the base): gate files of many phases name the same one. */
const tails = new Map<string, (rest: string) => boolean>();

/** A base picomatch reads literally (no escapes, extglobs or `.`/`..` segments): safe to cut off. */
const PLAIN_BASE = /^[A-Za-z0-9_ .-]+(?:\/[A-Za-z0-9_ .-]+)*$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

function matcher(glob: string): Matcher {
  let m = matchers.get(glob);
  if (!m) {
    const base = picomatch.scan(glob).base;
    const dir = base && base !== '.' ? `${base}/` : '';
    // Under a plain base, the glob's tail matched against the rest of a path answers as
    // the whole glob does against the path (test/unit/gates.test.ts compares the two):
    // the tail is compiled once for every gate file that names it.
    const tail =
      dir !== '' && glob.startsWith(dir) && PLAIN_BASE.test(base) && !DOT_SEGMENT.test(base)
        ? glob.slice(dir.length)
        : undefined;
    let isMatch: (rest: string) => boolean;
    if (tail !== undefined && tail !== '') {
      let t = tails.get(tail);
      if (!t) {
        t = globMatcher(tail, { dot: true });
        if (tails.size >= 1000) tails.clear();
        tails.set(tail, t);
      }
      isMatch = t;
    } else {
      const whole = globMatcher(glob, { dot: true });
      isMatch = dir === '' ? whole : (rest) => whole(dir + rest);
    }
    m = { base: dir, isMatch };
    if (matchers.size >= 10000) matchers.clear();
    matchers.set(glob, m);
  }
  return m;
}

/** Where the files of a sorted list that start with `prefix` begin (a binary search). */
function firstWithPrefix(files: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The files of a sorted list that start with `prefix`. */
function withPrefix(files: readonly string[], prefix: string): string[] {
  if (prefix === '') return [...files];
  const out: string[] = [];
  for (let i = firstWithPrefix(files, prefix); i < files.length && files[i].startsWith(prefix); i++)
    out.push(files[i]);
  return out;
}

/**
 * The files of a sorted list under a glob's base that the glob matches; when it matches
 * none, those in the folders it matches (`docs/helix/*\/features` names the files of each
 * `features/`, as the folder written out does). Each folder is matched once.
 */
function matching(files: readonly string[], m: Matcher): string[] {
  const direct = matchingFiles(files, m, false);
  return direct.length > 0 ? direct : matchingFiles(files, m, true);
}

function matchingFiles(files: readonly string[], m: Matcher, inFolders: boolean): string[] {
  const out: string[] = [];
  const n = m.base.length;
  const folders = new Map<string, boolean>();
  const inMatchedFolder = (rel: string): boolean => {
    const slash = rel.lastIndexOf('/');
    if (slash <= 0) return false;
    const dir = rel.slice(0, slash);
    let hit = folders.get(dir);
    if (hit === undefined) {
      hit = m.isMatch(dir) || inMatchedFolder(dir);
      folders.set(dir, hit);
    }
    return hit;
  };
  for (let i = n === 0 ? 0 : firstWithPrefix(files, m.base); i < files.length; i++) {
    const f = files[i];
    if (n > 0 && !f.startsWith(m.base)) break;
    const rel = n === 0 ? f : f.slice(n);
    if (inFolders ? inMatchedFolder(rel) : m.isMatch(rel)) out.push(f);
  }
  return out;
}

/**
 * Every file a gate path names: a glob's matches, a folder's files, or the file itself.
 * `env.files()` is sorted, so only the files under the path's fixed leading folders are
 * looked at. The listing is the same array until a file is added or removed, and what
 * exists is what it lists: each path's answer is remembered per listing (gate files of
 * many phases name the same paths, and every report asks again). Do not modify it.
 */
export function filesFor(env: FilesEnv, path: string): readonly string[] {
  const files = env.files();
  let answers = listings.get(files);
  if (!answers) listings.set(files, (answers = new Map()));
  let hit = answers.get(path);
  if (!hit) {
    hit = lookUp(env, files, path);
    answers.set(path, hit);
  }
  return hit;
}

function lookUp(env: FilesEnv, files: readonly string[], path: string): readonly string[] {
  const clean = cleanPath(path);
  if (clean === undefined) return [];
  // Without the empty and `.` segments a URI join drops (`a//b`, `a/./b`); `..` is gone.
  const p = normalizeRel(clean) ?? clean;
  const found = existing(env, files, p);
  if (found !== undefined) return [found];
  if (GLOB.test(p)) return inEitherForm(p, (q) => matching(files, matcher(q)));
  return p === '' ? withPrefix(files, '') : inEitherForm(p, (q) => withPrefix(files, `${q}/`));
}

/** What `find` gives for `p`, else for `p` in the other Unicode form when that finds something. */
function inEitherForm(p: string, find: (q: string) => readonly string[]): readonly string[] {
  const found = find(p);
  if (found.length > 0) return found;
  for (const form of otherForms(p)) {
    const other = find(form);
    if (other.length > 0) return other;
  }
  return found;
}

/**
 * The file at `p` (normalised) as it is on disk, letter case included, or undefined.
 * `env.onDisk(p)` (else `env.isFile(p)`) is asked only when neither the listing nor
 * `env.inAnyCase` answers: a path listed as it is written exists, and one that no file has
 * in any case does not. A file `env.onDisk` finds in other letter case is not the file:
 * GitHub and case-sensitive file systems would not find it (see `inOtherCase`).
 */
function existing(env: FilesEnv, files: readonly string[], p: string): string | undefined {
  const listed = (q: string) => {
    const i = firstWithPrefix(files, q);
    return i < files.length && files[i] === q;
  };
  if (listed(p)) return p;
  if (p === '' || (env.inAnyCase && !env.inAnyCase(p))) return undefined;
  // The same name in the other Unicode form (macOS writes `Übersicht.md` decomposed, a
  // gate file composed): the same file, as links find it.
  for (const form of otherForms(p)) if (listed(form)) return form;
  if (env.onDisk) {
    for (const q of [p, ...otherForms(p)]) {
      const disk = env.onDisk(q);
      if (disk !== undefined && sameCase(disk, q)) return disk;
    }
    return undefined;
  }
  return env.isFile(p) ? p : undefined;
}

/** `p` written in the other Unicode normalization forms (NFC, NFD), when they differ. */
function otherForms(p: string): string[] {
  if (/^[\x00-\x7f]*$/.test(p)) return [];
  const out: string[] = [];
  for (const f of [p.normalize('NFC'), p.normalize('NFD')]) if (f !== p && !out.includes(f)) out.push(f);
  return out;
}

/**
 * What a gate path that names nothing names when letter case is ignored, as it is on
 * disk: a file (`Test-Plan.md` for `test-plan.md`), a folder (`docs/helix` for
 * `DOCS/helix`) or a file a glob matches; undefined when there is none (or the path names
 * something as it is written). Remembered per listing, as `filesFor` is.
 */
export function inOtherCase(env: FilesEnv, path: string): string | undefined {
  const files = env.files();
  let answers = otherCase.get(files);
  if (!answers) otherCase.set(files, (answers = new Map()));
  let hit = answers.get(path);
  if (hit === undefined) {
    hit = filesFor(env, path).length > 0 ? null : (lookUpOtherCase(env, files, path) ?? null);
    answers.set(path, hit);
  }
  return hit ?? undefined;
}

const otherCase = new WeakMap<readonly string[], Map<string, string | null>>();

/**
 * Every folder of a listing (each file's leading folders) by its `fileKey`, with its
 * spellings; made once per listing, so that each path looked up in another case costs one
 * lookup (a walk over every file per path took 0.6 s on 10,000 documents).
 */
function foldersByKey(files: readonly string[]): Map<string, string[]> {
  let byKey = folderKeys.get(files);
  if (byKey) return byKey;
  byKey = new Map();
  const seen = new Set<string>();
  for (const f of files) {
    for (let end = f.indexOf('/'); end !== -1; end = f.indexOf('/', end + 1)) {
      const head = f.slice(0, end);
      if (seen.has(head)) continue;
      seen.add(head);
      const key = fileKey(head);
      const spellings = byKey.get(key);
      if (spellings) spellings.push(head);
      else byKey.set(key, [head]);
    }
  }
  folderKeys.set(files, byKey);
  return byKey;
}

const folderKeys = new WeakMap<readonly string[], Map<string, string[]>>();

function lookUpOtherCase(env: FilesEnv, files: readonly string[], path: string): string | undefined {
  const clean = cleanPath(path);
  if (clean === undefined) return undefined;
  // Without the empty and `.` segments a URI join drops (`a//b`, `a/./b`); `..` is gone.
  const p = normalizeRel(clean) ?? clean;
  if (p === '') return undefined;
  if (GLOB.test(p)) {
    const m = globMatcher(p, { dot: true, nocase: true });
    return files.find((f) => m(f));
  }
  if (env.onDisk && (!env.inAnyCase || env.inAnyCase(p))) {
    const disk = env.onDisk(p);
    if (disk !== undefined && !sameCase(disk, p)) return disk;
  }
  // A folder: the leading folders of a file, as many as the path has.
  for (const head of foldersByKey(files).get(fileKey(p)) ?? []) if (!sameCase(head, p)) return head;
  return undefined;
}

/**
 * The folders and file a gate path names outright: the path cleaned (see `cleanPath`),
 * a glob up to its first magic part (`docs/helix` of `docs/helix/0?-frame`); undefined
 * when it leaves the folder.
 */
export function fixedPart(path: string): string | undefined {
  const clean = cleanPath(path);
  if (clean === undefined) return undefined;
  return GLOB.test(clean) ? picomatch.scan(clean).base : clean;
}

/** A path with no white space or `\\` at all, not starting with `/` or `./`, not ending with `/`. */
const CLEAN_PATH = /^(?![./])[^\s\\]*[^\s\\/]$/;

const listings = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/**
 * A folder-relative path with `./` and trailing `/` removed; undefined when it leaves the
 * folder. A leading `/` means the workspace folder's root, as a markdown link reads it:
 * `/docs/prd.md` is `docs/prd.md`, `/` the folder itself.
 */
export function cleanPath(path: string): string | undefined {
  // Most paths are already clean: nothing to trim, replace or climb.
  if (CLEAN_PATH.test(path) && !path.includes('..') && !/^[a-z]:/i.test(path)) return path;
  const p = trimEndSlashes(path.trim().replace(/\\/g, '/').replace(/^\/+/, '').replace(/^\.\//, ''));
  if (/^[a-z]:/i.test(p) || p.split('/').includes('..')) return undefined;
  return p;
}

/**
 * The gate groups of a phase: one per group of each gate file in its folder, evaluated now.
 * Two files of one form (`GATE.yaml` beside `GATE.yml`, `exit-gates.yml` beside
 * `exit-gates.yaml`) give groups of the same name: those are named with their file too,
 * `Exit Requirements (GATE.yml)`, wherever a group's name is shown.
 */
export function evaluateGateFiles(files: readonly GateFileEntry[], env: GateEnv): Group[] {
  const out: Group[] = [];
  /** The gate file of each group of `out`. */
  const from: GateFileEntry[] = [];
  for (const f of files) {
    const error = f.parsed.error;
    if (error) {
      // Its gates are unknown: one group with no items stands for them, so the phase
      // does not pass on them (see groupReason).
      out.push({ ...fileGroup(f, basename(f.rel), kindOfGateFile(f.rel), error.line, []), unreadable: true });
      from.push(f);
      continue;
    }
    for (const g of f.parsed.groups) {
      out.push(
        fileGroup(
          f,
          g.heading,
          g.kind,
          g.line,
          g.items.map((d) => evaluateItem(f, d, env)),
        ),
      );
      from.push(f);
    }
  }
  if (files.length > 1) nameByFile(out, from);
  return out;
}

/** Adds its file's name to the name of every group whose name another group of the phase has. */
function nameByFile(groups: Group[], from: readonly GateFileEntry[]): void {
  const seen = new Map<string, number>();
  for (const g of groups) seen.set(g.heading, (seen.get(g.heading) ?? 0) + 1);
  if (seen.size === groups.length) return;
  groups.forEach((g, i) => {
    if (seen.get(g.heading)! > 1) g.heading = `${g.heading} (${basename(from[i].rel)})`;
  });
}

/** A group read from gate file `f`, headed on `line` of it. */
function fileGroup(
  f: GateFileEntry,
  heading: string,
  kind: GroupKind,
  line: number,
  items: GateItem[],
): Group {
  let checked = 0;
  let optional = 0;
  let optionalUnmet = 0;
  for (const it of items) {
    if (it.checked) checked++;
    if (it.optional) {
      optional++;
      if (!it.checked) optionalUnmet++;
    }
  }
  const g: Group = {
    heading,
    kind,
    line,
    headingRange: { start: { line, character: 0 }, end: { line, character: 0 } },
    gateHeading: false,
    items,
    checked,
    total: items.length,
    // Like a document's group: with no items nothing shows it was met. Optional items
    // (`required: false`) are shown and counted, but only the required ones must be met.
    passed: items.length > 0 && checked + optionalUnmet === items.length,
    file: f.uri,
  };
  if (optional > 0) g.optional = { total: optional, unmet: optionalUnmet };
  return g;
}

/** What a gate file's name says its gates are: entry (input-, entry-gates), exit, or both (GATE.yaml). */
function kindOfGateFile(rel: string): GroupKind {
  const name = basename(rel).toLowerCase();
  if (name.startsWith('input-') || name.startsWith('entry-')) return 'entry';
  if (name.startsWith('exit-')) return 'exit';
  return 'gate';
}

function evaluateItem(f: GateFileEntry, d: GateItemDef, env: GateEnv): GateItem {
  const { state, reason, output, beside } = stateOf(f, d, env);
  const range: Range = d.range;
  const item: GateItem = {
    line: d.line,
    checked: state === 'passed',
    text: d.text,
    checkboxRange: range,
    range,
    depth: 0,
    state,
    def: d,
    file: f.uri,
  };
  if (reason !== undefined) item.reason = reason;
  if (output !== undefined) item.output = output;
  if (beside !== undefined) item.beside = beside;
  if (!d.required) item.optional = true;
  return item;
}

type Outcome = {
  readonly state: ItemState;
  readonly reason?: string;
  readonly output?: string;
  readonly beside?: BesideGate;
};

// The outcomes most items share (read, never changed).
const PASSED: Outcome = { state: 'passed' };
const UNCONFIRMED: Outcome = { state: 'unconfirmed', reason: 'a person must confirm it' };
const NO_PATH: Outcome = { state: 'failed', reason: 'names no `path`' };
const NO_PATTERN: Outcome = { state: 'failed', reason: 'names no `pattern`' };
const NOT_EVALUATED: Outcome = { state: 'not-evaluated' };

function stateOf(f: GateFileEntry, d: GateItemDef, env: GateEnv): Outcome {
  if (d.kind === 'manual') {
    const c = env.confirmation(f.rel, d.text);
    return c ? { state: 'passed', reason: `confirmed by ${c.by}${c.at ? ` at ${c.at}` : ''}` } : UNCONFIRMED;
  }
  if (d.kind === 'evidence') {
    const paths = [d.evidencePath!];
    const beside = lazyBeside(f, paths, env);
    return besideGate(f, paths, env, evidence(d.evidencePath!, d.anchor, env, beside), beside);
  }
  const type = d.check ?? 'command';
  if (type === 'previous_phase_complete') return declarative(type, d, env);
  if (DECLARATIVE_CHECKS.has(type)) {
    const paths = [d.path ?? '', ...(d.fallbackPaths ?? [])];
    // Worked out first: where a path names what lies beside the gate file, the reason says
    // that, not which file of the workspace folder's a slip away or in other case it may be.
    const beside = lazyBeside(f, paths, env);
    const out = declarative(type, d, env, beside);
    // A search over globs that match nothing passes; not when they match the project's
    // files below the gate file's folders (`docs/helix/01-frame/**/*.md` in a gate file of
    // `products/alpha/docs/helix/01-frame/`): it searched nothing of what it was about.
    if (type === 'grep_absent' && out === PASSED) {
      const globs = paths.filter((p) => GLOB.test(p));
      if (globs.length > 0 && paths.every((p) => p.trim() === '' || filesFor(env, p).length === 0)) {
        const beside = globBesideGate(f, globs, env);
        if (beside !== undefined)
          return { state: 'failed', reason: `${named(globs)} matches no file${beside}` };
      }
    }
    return besideGate(f, paths, env, out, beside);
  }
  if (d.command !== undefined) {
    const r = env.commandResult(f.uri, d.line);
    const wording = env.commandWording ?? CLI_COMMAND_WORDING;
    if (r?.notRun !== undefined)
      return { state: 'not-evaluated', reason: `runs \`${d.command}\`: not run (${r.notRun})` };
    if (r) return commandOutcome(type, d, r, wording);
    return { state: 'not-evaluated', reason: `runs \`${d.command}\`: not run${wording.notRun}` };
  }
  if (COMMAND_CHECKS.has(type))
    return { state: 'not-evaluated', reason: `\`${type}\` needs a \`command\` to run` };
  const meant = nearMiss(type, KNOWN_CHECKS);
  return {
    state: 'not-evaluated',
    reason: meant
      ? `unknown check type "${type}" — did you mean "${meant}"?`
      : `unknown check type \`${type}\` (known: ${[...DECLARATIVE_CHECKS].join(', ')}, or a \`command\`)`,
  };
}

/** How a command failed, by its exit code (none when it did not run to its end). */
function failedHow(exit: number | undefined): string {
  if (exit === 127) return 'failed: command not found (exit 127)';
  if (exit === 126) return 'failed: it cannot be run (exit 126)';
  return exit === undefined ? 'failed' : `failed (exit ${exit})`;
}

/**
 * What a command's run says of its check: exit 0 passes, except for `tests_failing` (the
 * red phase: met when the tests fail, that is the command ran and exited non-zero) and
 * `coverage_threshold` with a `threshold` (the last percentage its output names must reach it).
 */
function commandOutcome(type: string, d: GateItemDef, r: CommandResult, wording: CommandWording): Outcome {
  const output = r.output;
  // Stopped: it neither passed nor failed on its own, whatever the check expects.
  if (r.timedOutAfter !== undefined)
    return {
      state: 'failed',
      reason: `\`${d.command}\` timed out after ${r.timedOutAfter} s (${wording.timeout})`,
      output,
    };
  if (r.startError !== undefined)
    return { state: 'failed', reason: `\`${d.command}\` could not be started: ${r.startError}`, output };
  if (type === 'tests_failing') {
    if (r.exit === undefined)
      return { state: 'failed', reason: `\`${d.command}\` did not run to its end`, output };
    // The shell's "cannot run" and "not found": no tests ran, so none failed.
    if ((r.exit === 126 || r.exit === 127) && !ranBeforeFallback(d.command!, output))
      return { state: 'failed', reason: `\`${d.command}\` could not be run (exit ${r.exit})`, output };
    if (r.exit === 126 || r.exit === 127)
      return {
        state: 'passed',
        reason: `the tests fail (exit ${r.exit}: the last fallback could not be run)`,
        output,
      };
    return r.exit !== 0
      ? { state: 'passed', reason: `the tests fail (exit ${r.exit})`, output }
      : { state: 'failed', reason: `\`${d.command}\` passed: the tests must fail first`, output };
  }
  if (!r.ok) return { state: 'failed', reason: `\`${d.command}\` ${failedHow(r.exit)}`, output };
  if (type === 'coverage_threshold' && d.threshold !== undefined) {
    const all = [...output.matchAll(/(\d+(?:\.\d+)?)\s*%/g)];
    if (all.length === 0)
      return {
        state: 'not-evaluated',
        reason: `its output names no percentage to compare with ${d.threshold}%`,
        output,
      };
    const got = Number(all[all.length - 1][1]);
    return got >= d.threshold
      ? { state: 'passed', reason: `${got}% ≥ ${d.threshold}%`, output }
      : { state: 'failed', reason: `${got}% is below ${d.threshold}%`, output };
  }
  return { state: 'passed', output };
}

/**
 * Whether a command line that ended in 126 or 127 ran something before: the exit code is
 * that of the last part the shell ran, so with fallbacks (`npm test || yarn test || make
 * test`) it says only that the last one could not be run. The earlier ones ran (and
 * failed, or the fallback would not have run) unless the shell said of each that it could
 * not run it: fewer such lines in the output (`sh: 1: yarn: not found`, `… Permission
 * denied`) than the line has parts means some part ran.
 */
function ranBeforeFallback(command: string, output: string): boolean {
  const parts = fallbackParts(command);
  if (parts < 2) return false;
  let cannot = 0;
  for (const line of output.split('\n')) if (SHELL_CANNOT_RUN.test(line)) cannot++;
  return cannot < parts;
}

/** A line in which the shell says it could not run a command (dash, bash, zsh, ksh). */
const SHELL_CANNOT_RUN =
  /\b(?:sh|bash|dash|zsh|ksh)\b[^\n]*:\s*(?:(?:command )?not found|Permission denied|cannot execute\b[^\n]*)\s*$/;

/** How many parts a command line's `||` joins at its top level (outside quotes). */
function fallbackParts(command: string): number {
  let parts = 1;
  let quote = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '\\') i++;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '|' && command[i + 1] === '|') {
      parts++;
      i++;
    }
  }
  return parts;
}

/**
 * Paths that name nothing a check may look at (see cleanPath): said as such, not as files
 * that do not exist. Undefined when one of `paths` is usable (the others are then only
 * alternatives that find nothing).
 */
function unusablePaths(paths: readonly string[]): Outcome | undefined {
  if (paths.length === 0 || paths.some((p) => cleanPath(p) !== undefined)) return undefined;
  // `..` is not taken back even inside the folder: through a symlinked folder it leads
  // elsewhere on disk than it reads.
  const leaves = paths.every((p) => /^\s*[/\\]*([a-z]:|\.\.([/\\]|\s*$))/i.test(p));
  return {
    state: 'not-evaluated',
    reason: leaves
      ? `${named(paths)} ${paths.length === 1 ? 'is' : 'are'} outside the workspace folder (gate paths are relative to it)`
      : `${named(paths)}: a gate path names files below the workspace folder, without \`..\``,
  };
}

function evidence(path: string, anchor: string | undefined, env: GateEnv, beside: Beside): Outcome {
  const unusable = unusablePaths([path]);
  if (unusable) return unusable;
  const files = filesFor(env, path);
  if (files.length === 0) return { state: 'failed', reason: absent(env, [path], beside) };
  if (!(files.length === 1 && namesFile(env, path)) && files.every(isPlaceholder))
    return {
      state: 'failed',
      reason: `${path} holds only placeholder files (${shown(files)}), which do not make a folder non-empty`,
    };
  if (anchor === undefined) return PASSED;
  const has = env.hasAnchor(files[0], anchor);
  if (has === true) return PASSED;
  // A file the index does not read (not markdown, or in a folder it does not enter).
  if (has === undefined)
    return {
      state: 'not-evaluated',
      reason: `${files[0]} is not a document the checker reads: #${anchor} is not checked`,
    };
  const meant = typeof has === 'string' ? ` — did you mean ${has}?` : '';
  return { state: 'failed', reason: `${files[0]} has no heading #${anchor}${meant}` };
}

/** A template placeholder (`{{phase}}`) or an environment variable (`$DOCS`, `${ROOT}`) in a path. */
const UNEXPANDED = /\{\{[^{}]*\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/;

/** Why a path holding a placeholder or a variable (`UNEXPANDED`) is not looked up. */
function unexpandedReason(path: string): string {
  const part = UNEXPANDED.exec(path)![0];
  return part.startsWith('{{')
    ? `"${part}" in ${path} is a template's placeholder left unfilled: gate paths are read as written`
    : `"${part}" in ${path} is an environment variable: gate paths are read as written, not expanded`;
}

/**
 * The files a grep check over `path` searches: those it names (`filesFor`) but gate files,
 * whose text describes the checks (a pattern found in its own `pattern:` line is no
 * evidence), unless the path names a gate file itself, written out without a glob.
 */
export function grepFiles(env: FilesEnv, path: string): readonly string[] {
  const files = filesFor(env, path);
  if (!files.some((f) => GATE_FILE_NAME.test(basename(f)))) return files;
  if (files.length === 1 && namesFile(env, path)) return files;
  return files.filter((f) => !GATE_FILE_NAME.test(basename(f)));
}

/** Whether a path (no glob) names a file itself, not a folder. */
function namesFile(env: FilesEnv, path: string): boolean {
  return (
    !GLOB.test(path) && existing(env, env.files(), normalizeRel(cleanPath(path) ?? '') ?? '') !== undefined
  );
}

/**
 * Files kept only so that a folder exists in git or written by the system: they do not make
 * a folder non-empty (`dir_not_empty`, `tests_exist`, an evidence folder).
 */
export const PLACEHOLDER_FILES = new Set(['.gitkeep', '.keep', '.gitignore', '.ds_store']);

function isPlaceholder(rel: string): boolean {
  return PLACEHOLDER_FILES.has(basename(rel).toLowerCase());
}

/** A markdown document: no test, for `tests_exist`. */
function isDocument(rel: string): boolean {
  return /\.(md|markdown)$/i.test(rel);
}

/** The first few of `files`, the others counted. */
function shown(files: readonly string[]): string {
  const more = files.length - OTHER_CASE_SHOWN;
  return files.slice(0, OTHER_CASE_SHOWN).join(', ') + (more > 0 ? `, and ${more} more` : '');
}

function declarative(type: string, d: GateItemDef, env: GateEnv, beside?: Beside): Outcome {
  let paths: string[] = [];
  if (d.path !== undefined && d.path !== '') paths.push(d.path);
  if (d.fallbackPaths) for (const p of d.fallbackPaths) if (p !== '') paths.push(p);
  if (type !== 'previous_phase_complete') {
    // A path holding a placeholder or a variable names nothing as written: not a glob that
    // matches nothing (a grep_absent over it passed), and not a file that is missing.
    const unexpanded = paths.filter((p) => UNEXPANDED.test(p));
    if (unexpanded.length > 0) {
      if (unexpanded.length === paths.length)
        return { state: 'not-evaluated', reason: unexpandedReason(unexpanded[0]) };
      paths = paths.filter((p) => !UNEXPANDED.test(p));
    }
    const unusable = unusablePaths(paths);
    if (unusable) return unusable;
  }
  switch (type) {
    case 'file_exists': {
      if (paths.length === 0) return NO_PATH;
      for (const p of paths) if (filesFor(env, p).length > 0) return PASSED;
      return { state: 'failed', reason: absent(env, paths, beside) };
    }
    case 'dir_not_empty':
    case 'tests_exist': {
      if (paths.length === 0) return NO_PATH;
      let file: string | undefined;
      /** Files found that do not count (placeholders; documents, for tests). */
      const uncounted: string[] = [];
      for (const p of paths) {
        const files = filesFor(env, p);
        if (files.length === 1 && namesFile(env, p)) {
          // A path naming a file itself (not a glob): no folder, so not one with files in
          // it; tests_exist takes the test file it names.
          if (type === 'tests_exist') return PASSED;
          file ??= files[0];
          continue;
        }
        for (const f of files) {
          if (isPlaceholder(f) || (type === 'tests_exist' && isDocument(f))) uncounted.push(f);
          else return PASSED;
        }
      }
      if (file !== undefined && uncounted.length === 0)
        return { state: 'failed', reason: `${file} is a file, not a folder` };
      if (uncounted.length > 0) {
        const docs = uncounted.some((f) => !isPlaceholder(f));
        const what = !docs
          ? 'placeholder files'
          : uncounted.some(isPlaceholder)
            ? 'documents and placeholder files'
            : 'documents';
        const only = `only ${what} (${shown(uncounted)})`;
        return {
          state: 'failed',
          reason:
            type === 'tests_exist'
              ? `no tests in ${named(paths)}: ${only} are there`
              : `${named(paths)} holds ${only}, which do not make a folder non-empty`,
        };
      }
      const { note } = beside?.() ? NO_NOTE : caseNote(env, paths);
      // A folder of a name a slip away holds files: the one written is missing, not empty.
      const near = note === '' && !beside?.() ? nearNote(env, paths, true) : '';
      return {
        state: 'failed',
        reason:
          type === 'tests_exist'
            ? `no tests in ${named(paths)}${note || near}`
            : near !== ''
              ? `${named(paths)} does not exist${near}`
              : `${named(paths)} is empty or missing${note}`,
      };
    }
    case 'grep_present':
    case 'grep_absent': {
      if (d.pattern === undefined) return NO_PATTERN;
      // Without a path an absence check would pass having searched nothing.
      if (paths.length === 0) return NO_PATH;
      // One path's files are distinct already (a listing's, or the path itself).
      const listed =
        paths.length === 1 ? filesFor(env, paths[0]) : [...new Set(paths.flatMap((p) => filesFor(env, p)))];
      const files =
        paths.length === 1 ? grepFiles(env, paths[0]) : [...new Set(paths.flatMap((p) => grepFiles(env, p)))];
      // Only gate files there: the check's own text is no match (see grepFiles).
      const onlyGates = files.length === 0 && listed.length > 0;
      // A check searches its first MAX_GREP_FILES files (as listed, in order).
      const searched = files.length > MAX_GREP_FILES ? files.slice(0, MAX_GREP_FILES) : files;
      const unread: string[] = [];
      /** Files larger than the part searched, whose first part holds no match. */
      const partly: string[] = [];
      const budget = searchBudget();
      for (const rel of searched) {
        let r = env.answer?.(rel, d.pattern);
        if (r === undefined) {
          const text = env.text(rel);
          if (text === undefined) {
            unread.push(rel);
            continue;
          }
          // (a part kept of a longer file answers `partial` where it proves nothing)
          r = searchFile(d.pattern, rel, text, budget, env.truncated?.(rel) === true);
        }
        if ('error' in r) return { state: 'not-evaluated', reason: `pattern not run: ${r.error}` };
        if ('tooCostly' in r) return tooCostly(files, env);
        if (r.matched) {
          return type === 'grep_present'
            ? PASSED
            : { state: 'failed', reason: `${rel} matches /${d.pattern}/` };
        }
        if (r.partial) partly.push(rel);
      }
      // Files left out, or searched in part: no match found says nothing of what was not seen.
      if (unread.length > 0 || searched.length < files.length || partly.length > 0)
        return notSearched(files, files.length - searched.length, unread, env, partly);
      // A glob that matches nothing has nothing to find in; a file or folder named outright
      // that does not exist is a mistake of the gate (or a missing document), not an absence.
      if (type === 'grep_absent' && (files.length > 0 || onlyGates || paths.some((p) => GLOB.test(p))))
        return PASSED;
      if (onlyGates)
        return {
          state: 'failed',
          reason: `no match for /${d.pattern}/ in ${named(paths)}: only gate files are there (${listed.join(', ')}), which grep checks do not search`,
        };
      return {
        state: 'failed',
        reason:
          files.length === 0 ? absent(env, paths, beside) : `no match for /${d.pattern}/ in ${named(paths)}`,
      };
    }
    case 'previous_phase_complete': {
      const r = env.phaseComplete(d.phase);
      if (!r) return d.phase ? { state: 'failed', reason: `no phase ${d.phase} in this workflow` } : PASSED;
      if (r.self)
        return {
          state: 'failed',
          reason: `${d.phase} is this gate file's own phase: a phase cannot require itself`,
        };
      if (r.missing) return { state: 'failed', reason: `this workflow has no ${r.label} before this one` };
      return r.complete ? PASSED : { state: 'failed', reason: `${r.label} is not complete` };
    }
  }
  return NOT_EVALUATED;
}

/** A workspace folder's path as its folder names (decoded once per folder, not per failed check). */
const folderNamesOf = new Map<string, string[]>();

function folderNames(folder: string): string[] {
  let names = folderNamesOf.get(folder);
  if (!names) folderNamesOf.set(folder, (names = uriPath(folder).split('/').filter(Boolean)));
  return names;
}

/**
 * A failed check of paths none of which exists, where one of them exists below a folder
 * the gate file lies in (`docs/helix/03-build/notes.md` in `services/api/`, a gate file
 * of `services/api/docs/helix/03-build/`): its reason says so, since gate paths are
 * relative to the workspace folder, not to the project the gate file belongs to.
 */
function besideGate(
  f: GateFileEntry,
  paths: readonly string[],
  env: GateEnv,
  out: Outcome,
  beside: Beside,
): Outcome {
  if (out.state !== 'failed') return out;
  const hint = beside();
  if (hint !== undefined)
    return {
      ...out,
      reason: `${out.reason} (${hint.folder ? 'the folder ' : ''}${hint.path} exists beside the gate file: gate paths are relative to the workspace folder, not to the gate file's; write ${hint.path})`,
      beside: hint,
    };
  // Not from the root (`/docs/x.md`): the workspace's, said so.
  const relative = paths
    .map((p) => p.trim())
    .filter((p) => !p.startsWith('/'))
    .map((p) => p.replace(/^(\.\/)+/, ''));
  // Paths with folders, below.
  const written = relative.filter((p) => p.includes('/'));
  const plain = written.filter((p) => !GLOB.test(p));
  const globs = written.filter((p) => GLOB.test(p));
  if (plain.length === 0) {
    // Globs that match nothing here but below a folder of the gate file.
    const beside =
      globs.length > 0 && globs.every((p) => filesFor(env, p).length === 0)
        ? globBesideGate(f, globs, env)
        : undefined;
    return beside === undefined ? out : { ...out, reason: out.reason + beside };
  }
  if (plain.some((p) => env.isFile(p))) return out;
  for (let dir = f.dir; dir !== ''; dir = dirname(dir))
    for (const p of plain)
      if (env.isFile(`${dir}/${p}`))
        return {
          ...out,
          reason: `${out.reason} (${dir}/${p} exists: gate paths are relative to the workspace folder, not to ${dir}/)`,
        };
  // Written from a folder above the workspace folder (`services/billing/docs/…` with
  // `services/billing` open): the path's first folders are the workspace folder's last.
  const names = folderNames(f.folder);
  for (const p of plain) {
    const parts = p.split('/');
    for (let k = Math.min(names.length, parts.length - 1); k >= 1; k--) {
      let same = true;
      for (let i = 0; i < k && same; i++) same = names[names.length - k + i] === parts[i];
      const rest = parts.slice(k).join('/');
      if (same && env.isFile(rest))
        return {
          ...out,
          reason: `${out.reason} (${rest} exists: the path is written from a folder above this workspace folder, which ends in ${parts.slice(0, k).join('/')}/; gate paths are relative to the workspace folder: open the folder above it, or write ${rest})`,
        };
    }
  }
  return out;
}

/** The path of a check that names what lies beside its gate file, worked out when first asked. */
type Beside = () => BesideGate | undefined;

function lazyBeside(f: GateFileEntry, paths: readonly string[], env: FilesEnv): Beside {
  let known = false;
  let hint: BesideGate | undefined;
  return () => {
    if (!known) {
      hint = besideGateFile(f, paths, env);
      known = true;
    }
    return hint;
  };
}

/**
 * The first of a check's paths written as a name alone (`prd.md`, `./prd.md`, `specs`)
 * that names the file or folder of that name beside the gate file: such a name is the
 * workspace folder's, not the gate file's folder's. Only when no path names a file (and
 * that one not a folder) from the workspace folder. The folders above are not looked in,
 * and a bare `README.md` (or `index.md`) is the workspace's own: every phase folder has
 * one beside its gate file.
 */
function besideGateFile(f: GateFileEntry, paths: readonly string[], env: FilesEnv): BesideGate | undefined {
  if (f.dir === '') return undefined;
  // Not from the root (`/docs/x.md`): the workspace's, said so.
  const written = paths.filter((p) => !p.trim().startsWith('/'));
  const relative = written.map((p) => p.trim().replace(/^(\.\/)+/, ''));
  if (relative.some((p) => !GLOB.test(p) && env.isFile(p))) return undefined;
  for (let i = 0; i < written.length; i++) {
    const p = relative[i];
    if (p === '' || GLOB.test(p) || /^(readme|index)\.md$/i.test(written[i].trim())) continue;
    const at = `${f.dir}/${p}`;
    if (!p.includes('/') && env.isFile(at)) return { written: written[i], path: at };
    // A folder (`specs`, `specs/`) with files in it, when the one written holds none.
    const name = trimEndSlashes(p);
    if (name === '' || name.includes('/')) continue;
    if (filesFor(env, at).length > 0 && filesFor(env, p).length === 0)
      return { written: written[i], path: at, folder: true };
  }
  return undefined;
}

/**
 * ` (products/alpha/docs/helix/01-frame/*.md matches 2 files: …)` when one of `globs`
 * matches files below a folder the gate file lies in, though none here.
 */
function globBesideGate(f: GateFileEntry, globs: readonly string[], env: GateEnv): string | undefined {
  for (let dir = f.dir; dir !== ''; dir = dirname(dir))
    for (const g of globs) {
      const p = g.trim().replace(/^(\.\/)+/, '');
      if (!p.includes('/') || p.startsWith('/') || p.startsWith('../')) continue;
      const n = filesFor(env, `${dir}/${p}`).length;
      if (n > 0)
        return ` (${dir}/${p} matches ${n === 1 ? '1 file' : `${n} files`}: gate paths are relative to the workspace folder, not to ${dir}/)`;
    }
  return undefined;
}

/** Files one `grep_*` check searches at most: the first of the files its paths name, in order. */
export const MAX_GREP_FILES = 2000;

/**
 * A grep check that found nothing in the files it searched while others it names were not
 * searched (`over`: those past MAX_GREP_FILES; `unread`: files with no text), or were
 * searched in their first MAX_SEARCH_CHARS characters only (`partly`): it is not
 * evaluated, as neither an absence nor a missing match is known.
 */
function notSearched(
  files: readonly string[],
  over: number,
  unread: readonly string[],
  env: GateEnv,
  partly: readonly string[] = [],
): Outcome {
  // Larger than the part searched: said of each such file, after what was not searched at all.
  const cut =
    partly.length === 0
      ? ''
      : partly.length === 1
        ? `${partly[0]} is longer than ${SEARCHED_SIZE}; only its first ${SEARCHED_SIZE} were searched`
        : `${shown(partly)} are longer than ${SEARCHED_SIZE}; only their first ${SEARCHED_SIZE} were searched`;
  if (over === 0 && unread.length === 0) return { state: 'not-evaluated', reason: cut };
  const whys: string[] = [];
  if (over > 0)
    whys.push(
      `a check searches at most ${count(MAX_GREP_FILES)} files, so ${files[MAX_GREP_FILES]} and those after it were not (narrow its path, or split it into checks of fewer files)`,
    );
  if (unread.length > 0) {
    // Each reason once (most often one: the same read error, or the limit of files read).
    const reasons = new Set<string>();
    for (const rel of unread) reasons.add(env.unreadReason?.(rel) ?? 'could not be read');
    const why = [...reasons].join('; ');
    whys.push(
      files.length === 1 ? why : `${shown(unread)} ${unread.length === 1 ? 'was' : 'were'} not read (${why})`,
    );
  }
  const left = over + unread.length;
  const reason =
    files.length === 1
      ? `${files[0]} not searched (${whys.join('; ')})`
      : `${count(left)} of ${count(files.length)} files not searched: ${whys.join('; ')}`;
  return { state: 'not-evaluated', reason: cut === '' ? reason : `${reason}; ${cut}` };
}

/** A number as the messages write it: 2,000. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A pattern the engine could match only by stepping through its whole program for every
 * character of more text than one check may take (`MAX_SEARCH_STEPS`).
 */
function tooCostly(files: readonly string[], env: GateEnv): Outcome {
  let chars = 0;
  for (const rel of files) chars += Math.min(env.text(rel)?.length ?? 0, MAX_SEARCH_CHARS);
  return {
    state: 'not-evaluated',
    reason: `the pattern is too costly for ${Math.ceil(chars / 1024)} KB of files (its repetitions make the engine take more than a second): search for a shorter or simpler pattern`,
  };
}

/**
 * Why paths named no file. The index lists files, not folders: a path that may name a
 * folder (no file extension, or a trailing `/`) may name one that exists but holds no file.
 * A path that names a file or folder only when letter case is ignored says so.
 */
function absent(env: FilesEnv, paths: readonly string[], beside?: Beside): string {
  // A path naming what lies beside the gate file: that is said (see `besideGate`), not
  // what it may name in other letter case or a slip away from the workspace folder.
  const { note, all, globs } = beside?.() ? NO_NOTE : caseNote(env, paths);
  // (globs that match only in other letter case: the files they would match follow)
  if (globs && paths.every((p) => GLOB.test(p))) return `${named(paths)} matches nothing${note}`;
  const near = note === '' && !beside?.() ? nearNote(env, paths, false) : '';
  if (near !== '') return `${named(paths)} does not exist${near}`;
  const folder =
    !all && paths.some((p) => !GLOB.test(p) && (/\/\s*$/.test(p) || !/\.[a-z0-9]{1,8}\s*$/i.test(p)));
  return `${named(paths)} does not exist${folder ? ' or is an empty folder' : ''}${note}`;
}

/**
 * ` (did you mean docs/helix/03-test/test-plan.md?)` for paths naming nothing, in no letter
 * case either, whose folder holds a file or folder of a name a slip away (see `nearMissPath`);
 * '' when none does. `folders`: only folders are meant (`dir_not_empty`).
 */
function nearNote(env: FilesEnv, paths: readonly string[], folders: boolean): string {
  const meant: string[] = [];
  for (const p of new Set(paths)) {
    const near = nearMissPath(env, p, folders);
    if (near !== undefined && !meant.includes(near)) meant.push(near);
  }
  return meant.length === 0 ? '' : ` (did you mean ${meant.join(' or ')}?)`;
}

/**
 * What a gate path that names nothing (in no letter case either) was likely meant to name:
 * the file or folder of its folder whose name is nearest to the one written, within two
 * edits (a letter added, dropped, changed, or two swapped; letter case aside) and fewer
 * than a third of the name's letters (`test-pln.md` for `test-plan.md`, `adrs` for `adr`),
 * as the folder's path is written with that name (a folder with a trailing `/`); undefined
 * when none is, when two are equally near, or for a glob. `folders`: folders only. Only the
 * one folder's entries are looked at, and each answer is remembered per listing.
 */
export function nearMissPath(env: FilesEnv, path: string, folders = false): string | undefined {
  if (GLOB.test(path)) return undefined;
  const files = env.files();
  let answers = nearMisses.get(files);
  if (!answers) nearMisses.set(files, (answers = new Map()));
  const key = `${folders ? 'd' : 'f'}\u0000${path}`;
  let hit = answers.get(key);
  if (hit === undefined) {
    hit = lookUpNearMiss(env, files, path, folders) ?? null;
    if (answers.size >= 10_000) answers.clear();
    answers.set(key, hit);
  }
  return hit ?? undefined;
}

const nearMisses = new WeakMap<readonly string[], Map<string, string | null>>();

function lookUpNearMiss(
  env: FilesEnv,
  files: readonly string[],
  path: string,
  folders: boolean,
): string | undefined {
  const clean = cleanPath(path);
  if (clean === undefined) return undefined;
  const p = normalizeRel(clean) ?? clean;
  if (p === '' || filesFor(env, p).length > 0 || inOtherCase(env, p) !== undefined) return undefined;
  const slash = p.lastIndexOf('/');
  const dir = slash === -1 ? '' : p.slice(0, slash + 1);
  const name = p.slice(slash + 1).toLowerCase();
  const most = Math.min(2, Math.ceil(name.length / 3) - 1);
  if (most < 1) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  // The folder's entries from the sorted listing: each file in it, and each folder once (the
  // files below one are skipped with a search: `dir/sub/…` all sort before `dir/sub0`).
  let i = dir === '' ? 0 : firstWithPrefix(files, dir);
  while (i < files.length && files[i].startsWith(dir)) {
    const rest = files[i].slice(dir.length);
    const end = rest.indexOf('/');
    const entry = end === -1 ? rest : rest.slice(0, end);
    if (end === -1) i++;
    else i = firstWithPrefix(files, `${dir}${entry}0`);
    if (folders && end === -1) continue;
    if (Math.abs(entry.length - name.length) > most) continue;
    const d = editDistance(name, entry.toLowerCase());
    if (d === 0 || d > most) continue;
    if (d < bestDistance) {
      best = end === -1 ? dir + entry : `${dir}${entry}/`;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

const NO_NOTE = { note: '', all: false, globs: false } as const;

/** How many files a glob matching only in other letter case names (the rest counted). */
const OTHER_CASE_SHOWN = 3;

/**
 * ` (only docs/Plan.md, in other letter case: …)` for paths that name something only when
 * letter case is ignored (as markdown links are reported, see broken-link); for a glob, how
 * many files it would match so and the first few (` (in other letter case it would match
 * 2 files: docs/README.md, docs/prd.md; …)`). `all` when every path names something so;
 * `globs` when those that do are all globs.
 */
function caseNote(env: FilesEnv, paths: readonly string[]): { note: string; all: boolean; globs: boolean } {
  const found: string[] = [];
  const globbed: string[] = [];
  let count = 0;
  let all = paths.length > 0;
  const distinct = [...new Set(paths)];
  for (const p of distinct) {
    if (GLOB.test(p)) {
      const matched = globInOtherCase(env, p);
      if (matched.length === 0) {
        all = false;
        continue;
      }
      count += matched.length;
      const shown = matched.slice(0, OTHER_CASE_SHOWN).join(', ');
      const more = matched.length - OTHER_CASE_SHOWN;
      globbed.push(
        `${distinct.length === 1 ? 'in other letter case it' : p} would match ${matched.length === 1 ? '1 file' : `${matched.length} files`}${distinct.length === 1 ? '' : ' in other letter case'}: ${shown}${more > 0 ? `, and ${more} more` : ''}`,
      );
      continue;
    }
    const other = inOtherCase(env, p);
    if (other === undefined) all = false;
    else if (!found.includes(other)) {
      found.push(other);
      count++;
    }
  }
  if (found.length === 0 && globbed.length === 0) return { note: '', all: false, globs: false };
  const it = count === 1 ? 'it' : 'them';
  const only = found.length > 0 ? `only ${found.join(' and ')}, in other letter case` : undefined;
  if (globbed.length === 0)
    return { note: ` (${only}: Linux CI and GitHub do not find ${it})`, all, globs: false };
  const parts = only ? [only, ...globbed] : globbed;
  return {
    note: ` (${parts.join('; ')}; Linux CI and GitHub do not find ${it})`,
    all,
    globs: found.length === 0,
  };
}

/**
 * The files a glob that matches nothing as written would match when letter case is
 * ignored, as they are on disk; empty when it matches as written, or nothing in any case.
 */
function globInOtherCase(env: FilesEnv, glob: string): string[] {
  // Remembered per listing, as `inOtherCase` is: each answer is a walk over every file.
  const files = env.files();
  let answers = otherCaseGlobs.get(files);
  if (!answers) otherCaseGlobs.set(files, (answers = new Map()));
  let hit = answers.get(glob);
  if (hit === undefined) {
    const clean = cleanPath(glob);
    const p = clean === undefined ? '' : (normalizeRel(clean) ?? clean);
    if (p === '' || filesFor(env, glob).length > 0) hit = [];
    else {
      const m = globMatcher(p, { dot: true, nocase: true });
      hit = files.filter((f) => m(f));
    }
    answers.set(glob, hit);
  }
  return hit;
}

const otherCaseGlobs = new WeakMap<readonly string[], Map<string, string[]>>();

/** The paths of a check, as its reasons name them, each once (written only for checks not met). */
function named(paths: readonly string[]): string {
  return [...new Set(paths)].join(' or ');
}
