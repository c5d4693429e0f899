import {
  appendFileSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { Analysis } from '../core/analysis';
import { defaultConfig, resolveConfig } from '../core/config';
import { buildDashboard } from '../core/dashboard';
import {
  checkGate,
  type GateVerdict,
  knownNames,
  type LackingWorkflow,
  lackingPhase,
  lackingWorkflows,
  matchPhase,
  matchReleasePhase,
  releaseScope,
  selectGroups,
} from '../core/gate';
import { fixedPart, isGateItem } from '../core/gates/evaluate';
import { reasonText } from '../core/gates/findings';
import { GATE_FILE_NAME } from '../core/gates/parse';
import { CONFIRMATIONS_FILE } from '../core/gates/store';
import { buildGraph, toDot, toMermaid } from '../core/graph';
import type { WorkspaceIndex } from '../core/index';
import { FileFilter, loadWorkspace } from '../core/load';
import {
  compilePatterns,
  firstRequiredPhase,
  knownPhaseFolder,
  namedAsPhaseDocument,
  namedAsWorkflow,
  notWrittenYet,
  phaseId,
  phaseOfFolderName,
} from '../core/model';
import {
  joinRel,
  joinUri,
  normalizeRel,
  relativePath,
  dirname as relDirname,
  stripMdExtension,
} from '../core/paths';
import { phaseStatusMark, phaseStatusText } from '../core/phase-state';
import { type JsonDiagnostic, jsonReportPieces, toJsonDiagnostic } from '../core/report';
import { isExternal } from '../core/resolve';
import { escapeControls, isFolderPath, plural, trimEndSlashes } from '../core/text';
import type { Notice } from '../core/types';
import {
  allComplete,
  currentPhase,
  gated,
  missingPhases,
  NO_CRITERIA,
  optionalPhase,
  phaseProgress,
  type WorkflowInstance,
  workflowPhaseStatuses,
} from '../core/workflow';
import { DEFAULT_COMMAND_TIMEOUT_S, MAX_COMMAND_TIMEOUT_S, runGateCommands } from '../node/commands';
import { NodeFsWorkspace } from '../node/fs-workspace';
import { readHistory } from '../node/git-history';
import { delayOptimization } from '../node/optimization-budget';
import { poolLoader } from '../node/parse-pool';
import { collectGarbage, YoungGenerationCap } from '../node/young-generation';
import { type CheckData, ciWorkflow, isUri, type JsonGate } from './formats/data';
import { toGithub } from './formats/github';
import { renderReport } from './formats/html';
import { junitPieces } from './formats/junit';
import { sarifPieces } from './formats/sarif';
import { toSummary } from './formats/summary';
import { parseJsonc } from './jsonc';

const USAGE = `Usage: cdp check [paths…] [--phase ID|NAME] [--gate NAME] [--format FORMAT] [--summary FILE] [--config FILE] [--root DIR] [--jobs N] [--run-commands [--command-timeout SEC]]
       cdp report [paths…] [--format html] [--out FILE] [--history N] [--config FILE] [--root DIR] [--jobs N]
       cdp graph [paths…] [--id ID] [--depth N] [--format json|dot|mermaid] [--config FILE] [--root DIR] [--jobs N]

cdp check: progress of every workflow, and diagnostics.
  paths          folders or files to report on (default: the current folder)
  --phase        select a phase by number, name, file name or path (e.g. 05, release, 05-release.md);
                 release is the deploy phase in a workflow that has no release phase
  --gate         select a group: a heading ("Production Readiness Gate"), entry, exit, gates or all
  --format       text (default), json (version 1), sarif (SARIF 2.1.0), junit (JUnit XML),
                 github (GitHub Actions annotations)
  --summary FILE append a markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --config FILE  settings (JSON with cdp.* keys); default: <root>/.vscode/settings.json
  --root DIR     workspace folder for links, gate-file paths, settings and confirmations
                 (default: the common folder of the paths; above it when that is a phase folder,
                 or when the gate files' paths are relative to a folder above it)
  --jobs N, -j N threads reading and parsing documents (default: the cores, for workspaces
                 of 2,000 documents or more on 3 cores or more; else 1); 1 keeps to one thread
  --run-commands run the commands of gate-file checks (tests_passing, …) in the root folder
                 (with --phase, that phase's only); without it they are "not evaluated"
  --command-timeout SEC  stop each command after SEC seconds (default ${DEFAULT_COMMAND_TIMEOUT_S})
Exit code: 0 passed, 1 a selected gate failed or an error was found, 2 usage error.

cdp report: the release dashboard as one standalone HTML file.
  --out FILE     write it to FILE (default: standard output, linking from the current folder)
  --history N    progress over the last N commits that touched the phase documents, when
                 the root is in a git repository (default 50; 0 leaves it out)
Exit code: 0 written, 2 usage error.

cdp graph: the document graph: documents (by DDX id, else path), depends_on edges and
links (dashed in dot, dotted in mermaid).
  --id ID        start from the document with this id (or path), following outgoing edges
  --depth N      at most N edges from --id (default: all); only with --id
  --format       json (default), dot (Graphviz) or mermaid
Exit code: 0 written, 2 usage error or unknown id.`;

class UsageError extends Error {}

/**
 * The product's version: the server package's, written into the bundle by the build;
 * read from that package when run from the sources.
 */
function productVersion(): string | undefined {
  const built = process.env.CDP_VERSION;
  if (built) return built;
  try {
    return JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const CHECK_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
const GRAPH_FORMATS = ['json', 'dot', 'mermaid'] as const;
type Format = (typeof CHECK_FORMATS)[number] | (typeof GRAPH_FORMATS)[number] | 'html';

interface Options {
  command: 'check' | 'report' | 'graph';
  id?: string;
  depth?: number;
  paths: string[];
  phase?: string;
  gate?: string;
  format: Format;
  summary?: string;
  out?: string;
  history: number;
  config?: string;
  root?: string;
  runCommands: boolean;
  commandTimeout: number;
  /** Threads reading and parsing documents; 0: as many as pay off. */
  jobs: number;
}

const COMMON_OPTIONS = {
  format: { type: 'string' },
  config: { type: 'string' },
  root: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  help: { type: 'boolean', short: 'h' },
} as const;
const CHECK_OPTIONS = {
  ...COMMON_OPTIONS,
  phase: { type: 'string' },
  gate: { type: 'string' },
  summary: { type: 'string' },
  'run-commands': { type: 'boolean' },
  'command-timeout': { type: 'string' },
} as const;
const REPORT_OPTIONS = { ...COMMON_OPTIONS, out: { type: 'string' }, history: { type: 'string' } } as const;
/** The options' short names (`-j`, `-h`). */
const SHORT_OPTIONS = new Set(
  Object.values(COMMON_OPTIONS).flatMap((o) => ('short' in o ? [`-${o.short}`] : [])),
);
const GRAPH_OPTIONS = { ...COMMON_OPTIONS, id: { type: 'string' }, depth: { type: 'string' } } as const;

function parseOptions(argv: string[]): Options {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') throw new UsageError('');
  if (cmd !== 'check' && cmd !== 'report' && cmd !== 'graph')
    throw new UsageError(`unknown command "${cmd}"`);
  const report = cmd === 'report';
  const graph = cmd === 'graph';
  let values: { [name: string]: unknown };
  let positionals: string[];
  let tokens: { kind: string; name?: string; rawName?: string }[];
  try {
    ({ values, positionals, tokens } = parseArgs({
      args: rest,
      options: graph ? GRAPH_OPTIONS : report ? REPORT_OPTIONS : CHECK_OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    }));
  } catch (e) {
    // A request for help wins over a faulty option next to it.
    if (rest.includes('--help') || rest.includes('-h')) throw new UsageError('');
    throw new UsageError(argumentError(e, rest));
  }
  if (values.help) throw new UsageError('');
  // An option with a value given twice (`--phase 01 --phase 03`) would keep only the last.
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined || typeof values[t.name] !== 'string') continue;
    if (seen.has(t.name)) throw new UsageError(`--${t.name} is given twice`);
    seen.add(t.name);
  }
  const text = (name: string) => values[name] as string | undefined;
  const o: Options = {
    command: cmd,
    paths: positionals,
    format: graph ? 'json' : report ? 'html' : 'text',
    history: 50,
    phase: text('phase'),
    gate: text('gate'),
    summary: text('summary'),
    out: text('out'),
    config: text('config'),
    root: text('root'),
    id: text('id'),
    runCommands: values['run-commands'] === true,
    commandTimeout: DEFAULT_COMMAND_TIMEOUT_S,
    jobs: 0,
  };
  /** A whole-number option of at most six digits; `unit` names what it counts. */
  const count = (name: string, unit: string): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,6}$/.test(v)) throw new UsageError(`--${name} must be a number of ${unit}, not "${v}"`);
    return Number(v);
  };
  for (const name of ['phase', 'gate'] as const) {
    // An empty value (an unset CI variable) would select every phase or group.
    if (o[name] !== undefined && o[name]!.trim() === '') throw new UsageError(`--${name} needs a value`);
  }
  for (const name of ['summary', 'out', 'config', 'root', 'id'] as const) {
    // Empty (`--summary "$GITHUB_STEP_SUMMARY"` outside GitHub), it would be taken as not
    // given: no summary, the report on standard output, the folder's own settings.
    if (o[name] === '') throw new UsageError(`--${name} needs a value`);
  }
  o.depth = count('depth', 'edges');
  // The depth counts edges from --id: without a start it would be ignored.
  if (o.depth !== undefined && o.id === undefined) throw new UsageError('--depth only applies with --id');
  const jobs = count('jobs', 'threads');
  if (jobs !== undefined && (jobs < 1 || jobs > 64)) throw new UsageError('--jobs must be between 1 and 64');
  o.jobs = jobs ?? 0;
  const timeout = text('command-timeout');
  if (timeout !== undefined) {
    // Alone it would change nothing: the commands run only with --run-commands.
    if (!o.runCommands) throw new UsageError('--command-timeout only applies with --run-commands');
    const v = Number(timeout);
    if (!Number.isFinite(v) || timeout.trim() === '')
      throw new UsageError(`--command-timeout must be a number of seconds, not "${timeout}"`);
    if (!(v > 0 && v <= MAX_COMMAND_TIMEOUT_S))
      throw new UsageError(
        `--command-timeout must be greater than 0 and at most ${MAX_COMMAND_TIMEOUT_S} seconds, not "${timeout}"`,
      );
    o.commandTimeout = v;
  }
  o.history = count('history', 'commits') ?? o.history;
  const format = text('format');
  if (format !== undefined) {
    const allowed: readonly string[] = graph ? GRAPH_FORMATS : report ? ['html'] : CHECK_FORMATS;
    if (!allowed.includes(format))
      throw new UsageError(`--format must be ${allowed.join(', ')}, not "${format}"`);
    o.format = format as Format;
  }
  return o;
}

/** One line for an error of `parseArgs` (its own messages span several lines). */
function argumentError(e: unknown, args: readonly string[]): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-[^' ,]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // `--depth -1`: the value was read as an option.
    const given = args[args.indexOf(option.split('=')[0]) + 1];
    const numeric = /^--(depth|history|jobs|command-timeout)$|^-j$/.test(option);
    if (numeric && given !== undefined && /^-\d/.test(given))
      return `${option} cannot be negative, not "${given}"`;
    // `--gate -x`, `--summary -s.md`: a value starting with `-` is written with `=`.
    // (not the options' own short names, `--phase -j 2`: a value forgotten)
    if (given?.startsWith('-') && given !== '-' && !given.startsWith('--') && !SHORT_OPTIONS.has(given))
      return `${option} needs a value: to give one starting with "-", write ${option}=${given}`;
    return `${option} needs a value`;
  }
  return message.split('\n')[0];
}

/**
 * What the file at `file` is in the workspace `root` when writing a report into it would
 * destroy work or feed the next run (an existing markdown document; a gate file, the
 * confirmations file or another file of the `.cdp` folder, the workspace's settings
 * file, existing or not, whose names are read in any letter case), after following
 * symbolic links (also one whose target does not exist yet: writing creates that), with
 * its path relative to the root; undefined for anything else (a new file of another
 * name, a file elsewhere).
 */
function workspaceFileAt(
  file: string,
  root: string,
): { why: string; rel: string; markdown: boolean } | undefined {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const real = realPathOf(file);
  const rel = relative(realRoot, real);
  if (rel === '' || climbsOut(rel)) return undefined;
  const name = basename(real);
  const slashed = rel.split(sep).join('/');
  const lower = slashed.toLowerCase();
  // Written through a link: where it leads is named.
  let linked = false;
  try {
    linked = lstatSync(file).isSymbolicLink();
  } catch {
    linked = false;
  }
  const is = (why: string, markdown: boolean) => ({
    why: linked ? `${why} (${slashed}, where it links)` : why,
    rel: slashed,
    markdown,
  });
  // (also one not there yet: it may name a document in other letter case)
  if (lower === CONFIRMATIONS_FILE) return is("the workspace's confirmations file", false);
  if (lower.startsWith('.cdp/')) return is("a file of the workspace's .cdp folder", false);
  if (lower === '.vscode/settings.json') return is("the workspace's settings file", false);
  if (/\.(md|markdown)$/i.test(name)) return is('a markdown document of the workspace', true);
  if (GATE_FILE_NAME.test(name)) return is('a gate file of the workspace', false);
  return undefined;
}

/**
 * The real path of `file`, or of its nearest existing folder joined with the rest when it
 * does not exist yet; a symbolic link whose target does not exist is followed to where
 * writing through it would create that.
 */
function realPathOf(file: string, links = 0): string {
  const rest: string[] = [];
  let at = file;
  for (;;) {
    try {
      return resolve(realpathSync(at), ...rest);
    } catch {
      // (a link to nothing, or a loop of links: realpath fails on both)
      let target: string | undefined;
      try {
        if (links < 40 && lstatSync(at).isSymbolicLink()) target = readlinkSync(at);
      } catch {
        target = undefined;
      }
      if (target !== undefined)
        return realPathOf(resolve(realPathOf(dirname(at), links + 1), target, ...rest), links + 1);
      if (at === dirname(at)) return file;
      rest.unshift(basename(at));
      at = dirname(at);
    }
  }
}

/**
 * Why a path given on the command line cannot be read (no such file or folder, a folder
 * that cannot be listed, a file that cannot be opened, a pipe or device), or undefined.
 * A pipe is never opened (that would wait for a writer).
 */
function unreadable(p: string): string | undefined {
  const reason = (e: unknown) => {
    const code = (e as { code?: string }).code;
    return code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'no such file or folder'
        : (code ?? String(e));
  };
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(p);
  } catch (e) {
    return reason(e);
  }
  try {
    if (st.isDirectory()) readdirSync(p);
    else if (st.isFile()) closeSync(openSync(p, 'r'));
    else return 'not a regular file or folder';
  } catch (e) {
    return reason(e);
  }
  return undefined;
}

/**
 * Whether a path `relative()` gave leads out of the folder it is relative to: `..` or
 * `../…`, or absolute (another drive). A name that only starts with dots (`..drafts`) is
 * inside.
 */
function climbsOut(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../') || isAbsolute(rel);
}

function commonFolder(paths: string[]): string {
  const dirs = paths.map((p) => (statSync(p).isDirectory() ? p : dirname(p)));
  let common = dirs[0];
  for (const d of dirs.slice(1)) {
    while (common !== dirname(common) && climbsOut(relative(common, d))) common = dirname(common);
  }
  return common;
}

/**
 * The relative links (markdown paths, wikilinks with a path) whose `..` climb out of the
 * root to a place inside the current folder (the root `rootRel` below it), where `--root .`
 * reaches them.
 */
function linksLeaving(index: WorkspaceIndex, rootRel: string): { count: number; first?: string } {
  let count = 0;
  let first: string | undefined;
  for (const e of index.all())
    for (const l of e.doc.links) {
      if (!l.target.includes('..') || joinRel(e.dir, l.target) !== undefined) continue;
      // (`../../` alone names a folder the root lies in, not anything in it)
      if (/^(?:\.\.?\/+)*\.\.?\/*$/.test(l.target.trim())) continue;
      if (joinRel(e.dir ? `${rootRel}/${e.dir}` : rootRel, l.target) === undefined) continue;
      count++;
      first ??= `${e.rel}: ${l.target}`;
    }
  return { count, first };
}

/**
 * The links written with a path from the workspace folder (`[[docs/process/guide]]`,
 * `[guide](/docs/process/guide.md)`) that resolve to nothing in the root but name a file
 * or folder in the current folder `cwd` (the root below it), where `--root .` reaches them.
 * Only links already broken are looked for on disk.
 */
function linksFromAbove(index: WorkspaceIndex, cwd: string): { count: number; first?: string } {
  let count = 0;
  let first: string | undefined;
  for (const e of index.all())
    for (const l of e.doc.links) {
      const raw = l.target.replace(/\\/g, '/').trim();
      if (raw.includes('..')) continue;
      // A wikilink's path is tried from the workspace folder (never an absolute one); a
      // markdown link's only when `/`-rooted.
      const path =
        l.syntax === 'markdown'
          ? /^\/(?!\/)/.test(raw)
            ? raw.slice(1)
            : undefined
          : raw.includes('/') && !isExternal(raw)
            ? raw
            : undefined;
      const rel = path === undefined ? undefined : normalizeRel(path.replace(/\/+$/, ''));
      if (!rel) continue;
      if (index.resolve(e, l).status !== 'broken') continue;
      const there = join(cwd, ...rel.split('/'));
      const found = existsSync(there) || existsSync(`${stripMdExtension(there)}.md`);
      if (!found) continue;
      count++;
      first ??= `${e.rel}: ${l.target}`;
    }
  return { count, first };
}

/**
 * The nearest folder above `root`, up to `cwd` (when `root` lies inside it), that has a
 * `.vscode/settings.json` while `root` has none: the workspace a user meant to check
 * (`cdp check releases/2025-q4` run in the repository), whose settings a root below it
 * does not read.
 */
function settingsAbove(root: string, cwd: string): string | undefined {
  return fileAbove(root, cwd, join('.vscode', 'settings.json'), holdsCdpSettings);
}

/**
 * The folder above `root`, up to `cwd` (inside it), holding a `file` (a path relative
 * to the folder) that `holds` accepts, when `root` holds none of its own.
 */
function fileAbove(
  root: string,
  cwd: string,
  file: string,
  holds: (path: string) => boolean = existsSync,
): string | undefined {
  const rel = relative(cwd, root);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  if (root === cwd || outside || existsSync(join(root, file))) return undefined;
  for (let d = dirname(root); ; d = dirname(d)) {
    if (holds(join(d, file))) return d;
    if (d === cwd || d === dirname(d)) return undefined;
  }
}

/** Whether a settings file names any `cdp.*` setting (others, `editor.*`, are none of ours). */
function holdsCdpSettings(file: string): boolean {
  try {
    return /"cdp[."]/.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The default root for paths whose common folder is a phase folder (`cdp check 02-design`,
 * or `.` inside it): the folder holding it, since a phase folder is a phase by its name in
 * its parent (checked as the root, its README read as an unnamed document, no phase).
 */
function workspaceAbove(folder: string): string {
  // Named as the default `cdp.phases.fileNamePattern` reads phase folders: settings are
  // read from the root, which this decides.
  const patterns = compilePatterns(defaultConfig());
  let root = folder;
  while (
    root !== dirname(root) &&
    phaseOfFolderName(basename(root), patterns) !== undefined &&
    (looksLikePhaseFolder(root) ||
      besidePhaseFolders(root, patterns) ||
      knownPhaseFolderOfDocuments(root, patterns))
  )
    root = dirname(root);
  return root;
}

/**
 * Whether a folder is named as a known workflow's phase at its number (`01-frame`) in a
 * folder named as the workflow (`docs/helix/`): a phase of filled documents
 * (`FolderPhaseEntry`), checked from its parent. (Elsewhere the index also asks for DDX
 * ids or `phase` metadata in its documents, which the root is not chosen by.)
 */
function knownPhaseFolderOfDocuments(dir: string, patterns: ReturnType<typeof compilePatterns>): boolean {
  return knownPhaseFolder(basename(dir), patterns) !== undefined && namedAsWorkflow(basename(dirname(dir)));
}

/**
 * Whether a folder named like a phase lies beside phase folders (`07-retro/` with notes
 * only, beside `00-discover/` … `06-iterate/`): checked from their parent, where it is
 * told why it is no phase of theirs, not as a root of its own that has no workflow.
 */
function besidePhaseFolders(dir: string, patterns: ReturnType<typeof compilePatterns>): boolean {
  const parent = dirname(dir);
  try {
    return readdirSync(parent, { withFileTypes: true }).some(
      (d) =>
        d.isDirectory() &&
        d.name !== basename(dir) &&
        phaseOfFolderName(d.name, patterns) !== undefined &&
        looksLikePhaseFolder(join(parent, d.name)),
    );
  } catch {
    return false;
  }
}

/**
 * The folder the gate files' paths are relative to, when it lies above `root` (the default
 * root): for a gate file in folder F whose path (`path`, `fallback_paths`, `evidence`; a
 * glob up to its first magic part) starts with the last folders of F
 * (`docs/helix/01-frame/prd.md` in `/repo/docs/helix/01-frame`), F without them (`/repo`);
 * or with two or more last folders of a folder above F (a sibling phase's file).
 * Undefined when no path says so, or every path gives `root` or a folder below it;
 * `disagree` when the paths give different folders, one of them above `root`.
 */
function rootOfGatePaths(
  index: WorkspaceIndex,
  root: string,
): { root: string } | { disagree: string[] } | undefined {
  const found = new Set<string>();
  for (const g of index.gates.all()) {
    const folder = resolve(root, ...g.dir.split('/').filter(Boolean)).split(sep);
    for (const group of g.parsed.groups) {
      for (const d of group.items) {
        for (const value of [d.evidencePath, d.path, ...(d.fallbackPaths ?? [])]) {
          if (!value) continue;
          const fixed = fixedPart(value);
          if (!fixed) continue;
          const segments = fixed.split('/').filter((x) => x !== '' && x !== '.');
          const at = folderOfPath(folder, segments);
          if (at !== undefined) found.add(at);
        }
      }
    }
  }
  const above = [...found].filter((f) => f !== root && !climbsOut(relative(f, root)));
  if (above.length === 0) return undefined;
  if (found.size > 1) return { disagree: [...found].sort() };
  return { root: above[0] };
}

/**
 * The folder a path's leading segments are relative to when they are the last folders of
 * `folder` (its parts split at the separator; the most of them), or else at least two
 * last folders of a folder above it (`docs/helix/01-frame/prd.md` in a gate file of
 * `/repo/docs/helix/02-design`: `/repo`, the nearest first); else undefined.
 */
function folderOfPath(folder: readonly string[], segments: readonly string[]): string | undefined {
  // The first part is the root of the file system ('' on POSIX, a drive on Windows).
  for (let end = folder.length; end >= 2; end--) {
    for (let k = Math.min(segments.length, end - 1); k >= (end === folder.length ? 1 : 2); k--) {
      const start = end - k;
      let ok = true;
      for (let i = 0; i < k && ok; i++) if (folder[start + i] !== segments[i]) ok = false;
      if (!ok) continue;
      const head = folder.slice(0, start).join(sep);
      return head === '' || head.endsWith(':') ? head + sep : head;
    }
  }
  return undefined;
}

/** A folder holding a README/index or a gate file: what a phase folder holds. */
function looksLikePhaseFolder(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => /^(readme|index)\.md$/i.test(n) || GATE_FILE_NAME.test(n));
  } catch {
    return false;
  }
}

/** Settings files larger than this are refused (VS Code's own are a few kilobytes). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

/**
 * Reads a settings file: only a regular file (never a device, a FIFO or a folder) of
 * at most MAX_SETTINGS_BYTES, and, when `inside` is given, only when its real path is
 * inside that folder. Errors never quote the file's content.
 */
function readSettings(file: string, required: boolean, inside?: string): unknown {
  const fail = (why: string) => new UsageError(`cannot read config ${file}: ${why}`);
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return {};
    throw fail(code === 'ENOENT' ? 'no such file' : `cannot open (${code ?? 'error'})`);
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fail('not a regular file');
    if (inside !== undefined) {
      const real = realpathSync(file);
      const root = realpathSync(inside);
      if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep))
        throw fail('it links outside the workspace folder');
    }
    if (st.size > MAX_SETTINGS_BYTES) throw fail(`larger than ${MAX_SETTINGS_BYTES / 1024} KB`);
    // Read at most one byte more than allowed: the size on disk may change or lie.
    const buf = Buffer.alloc(MAX_SETTINGS_BYTES + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) throw fail(`larger than ${MAX_SETTINGS_BYTES / 1024} KB`);
    }
    text = buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw fail(`cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    closeSync(fd);
  }
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (e) {
    // Say where and which error, never quote the text (it may not be a settings file).
    const m = e instanceof Error ? e.message : '';
    throw fail(`not valid JSON with comments${/^\w+ at offset \d+$/.test(m) ? ` (${m})` : ''}`);
  }
  // Settings are an object of keys: an array, a string or null would set nothing, silently.
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw fail(
      `not a JSON object of settings (it holds ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`})`,
    );
  return value;
}

/**
 * Runs `cdp` with these arguments. `out` writes one line of output (and may return a
 * promise to apply backpressure), `err` one line of errors. Resolves to the exit code.
 */
export async function main(
  argv: string[],
  out: (s: string) => void | Promise<void>,
  errLine: (s: string) => void,
): Promise<number> {
  // Every message is one line as `printable` writes it: a name read from the workspace
  // (a heading, a folder, a setting) holding a line break cannot forge a line, such as a
  // CI runner's `::stop-commands::` (runners read stderr too).
  const err = (s: string) => errLine(printable(s));
  let o: Options;
  try {
    o = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError && e.message === '') {
      // `--help` asked for it (stdout, 0); no command at all is a usage error (stderr, 2).
      if (argv.length === 0) {
        errLine(USAGE.trimEnd());
        return 2;
      }
      out(USAGE);
      return 0;
    }
    err(`cdp: ${(e as Error).message}. Run "cdp --help".`);
    return 2;
  }
  const cwd = process.cwd();
  const paths = (o.paths.length > 0 ? o.paths : ['.']).map((p) => resolve(cwd, p));
  for (const p of paths) {
    const why = unreadable(p);
    if (why !== undefined) {
      err(`cdp: cannot read ${p}: ${why}`);
      return 2;
    }
  }
  let root: string;
  try {
    root = o.root ? resolve(cwd, o.root) : workspaceAbove(commonFolder(paths));
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
    const why = unreadable(root);
    if (why !== undefined) throw new Error(why);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such folder' : code ? `cannot open (${code})` : (e as Error).message;
    err(`cdp: cannot read root ${o.root ?? paths[0]}: ${why}`);
    return 2;
  }
  for (const p of paths) {
    if (p !== root && climbsOut(relative(root, p))) {
      err(`cdp: ${p} is outside the root ${root}`);
      return 2;
    }
  }

  // The report replaces its file: never a document of the workspace. The summary is
  // appended (a job summary, a notes file): never to a phase document (below), a gate file
  // or the confirmations file.
  // An HTML report never goes to a markdown name: the next run would take it for a document.
  if (o.out !== undefined && /\.(md|markdown)$/i.test(o.out)) {
    err(`cdp: will not write the HTML report to ${o.out}: a markdown file name (use .html)`);
    return 2;
  }
  const refused = (root: string): string | undefined => {
    const outClash = o.out === undefined ? undefined : workspaceFileAt(resolve(cwd, o.out), root);
    const summaryClash = o.summary === undefined ? undefined : workspaceFileAt(resolve(cwd, o.summary), root);
    if (outClash) return `cdp: will not write the report to ${o.out}: it is ${outClash.why}`;
    if (summaryClash && !summaryClash.markdown)
      return `cdp: will not write the summary to ${o.summary}: it is ${summaryClash.why}`;
    // The settings read (wherever they are): the next run would fail on them.
    if (o.config !== undefined) {
      const config = realPathOf(resolve(cwd, o.config));
      if (o.out !== undefined && realPathOf(resolve(cwd, o.out)) === config)
        return `cdp: will not write the report to ${o.out}: it is the settings file given by --config`;
      if (o.summary !== undefined && realPathOf(resolve(cwd, o.summary)) === config)
        return `cdp: will not write the summary to ${o.summary}: it is the settings file given by --config`;
    }
    return undefined;
  };
  const refusal = refused(root);
  if (refusal) {
    err(refusal);
    return 2;
  }

  // A command runs once and holds the index to its end: a young generation of 8 MB
  // semi-spaces (instead of V8's 16) costs no CPU here and keeps 16 MB off the peak.
  const young = new YoungGenerationCap(8);
  /** The settings of a root (or `--config`) and its index. */
  const open = async (root: string) => {
    const settings = o.config
      ? readSettings(resolve(cwd, o.config), true)
      : readSettings(resolve(root, '.vscode', 'settings.json'), false, root);
    const resolved = resolveConfig(settings);
    const ws = new NodeFsWorkspace([root]);
    const loaded = await loadWorkspace(ws, resolved.config, {
      loader: poolLoader(ws, resolved.config, o.jobs),
      onProgress: young.check,
    });
    return { ...resolved, ...loaded, ws };
  };
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(root);
    // Gate files whose paths are relative to a folder above the default root (`cdp check
    // docs/helix` in a repository whose gate files name `docs/helix/01-frame/prd.md`): that
    // folder is the root, read once more. Only a root given by no option.
    const above = o.root ? undefined : rootOfGatePaths(opened.index, root);
    if (above && 'disagree' in above)
      err(
        `cdp: root kept at ${root}: gate files' paths are relative to different folders (${above.disagree.join(', ')}); --root sets one`,
      );
    else if (above) {
      root = above.root;
      err(`cdp: root ${root} (gate files' paths are relative to it); --root overrides`);
      const again = refused(root);
      if (again) {
        err(again);
        return 2;
      }
      opened = await open(root);
    }
  } catch (e) {
    err(`cdp: ${(e as Error).message}`);
    return 2;
  }
  const { config, problems, unknown, index, notices, ws } = opened;
  if (!o.root && !o.config) {
    const above = settingsAbove(root, cwd);
    if (above)
      err(
        `cdp: root ${root}: the settings in ${join(above, '.vscode', 'settings.json')} are not read, nor are links resolved from there; --root ${relative(cwd, above) || '.'} reads them`,
      );
  }
  if (!o.root) {
    // Relative links that climb out of a root given below the current folder (`cdp check
    // process/cdp` whose documents link `../artifacts/…`): reported as leaving the folder.
    const rel = relative(cwd, root);
    // (a repository's own root: what lies beside it is another repository's)
    const below =
      rel !== '' &&
      rel !== '..' &&
      !rel.startsWith(`..${sep}`) &&
      !isAbsolute(rel) &&
      !existsSync(join(root, '.git'));
    const out = below ? linksLeaving(index, rel.split(sep).join('/')) : { count: 0 };
    // Paths from the workspace folder that name what lies in the current folder: broken by the root too.
    const fromAbove = below ? linksFromAbove(index, cwd) : { count: 0 };
    const said: string[] = [];
    if (out.count > 0)
      said.push(`${out.count === 1 ? '1 link leads' : `${out.count} links lead`} out of it (${out.first})`);
    if (fromAbove.count > 0)
      said.push(
        `${said.length > 0 ? `${fromAbove.count}` : fromAbove.count === 1 ? '1 link' : `${fromAbove.count} links`} ${fromAbove.count === 1 ? 'names a path' : 'name paths'} from the current folder (${fromAbove.first})`,
      );
    if (said.length > 0)
      err(
        `cdp: root ${root}: ${said.join(' and ')}, not followed; --root . (the current folder) follows them`,
      );
  }
  if (!o.root && index.gates.size > 0) {
    // Gate files whose manual items the repository's confirmations may confirm.
    const above = fileAbove(root, cwd, CONFIRMATIONS_FILE);
    if (above)
      err(
        `cdp: root ${root}: the confirmations in ${join(above, CONFIRMATIONS_FILE)} are not read; --root ${relative(cwd, above) || '.'} reads them`,
      );
  }
  for (const p of problems) err(`cdp: setting ignored: ${p}`);
  for (const k of unknown) err(`cdp: unknown setting ignored: ${k}`);
  young.workersDone();
  ws.forgetFolders();
  // The load's garbage goes before the report grows the heap (see collectGarbage).
  collectGarbage();
  const summaryClash = o.summary === undefined ? undefined : workspaceFileAt(resolve(cwd, o.summary), root);
  const clashKey = summaryClash?.rel.toLowerCase();
  if (summaryClash && [...index.all()].some((e) => e.rel.toLowerCase() === clashKey && e.phase)) {
    err(`cdp: will not write the summary to ${o.summary}: it is a phase document of the workspace`);
    return 2;
  }
  // Nor one that its name would make a phase document on the next run (`03-treat.md`
  // beside the phases, `03-treat/README.md`).
  if (summaryClash?.markdown && namedAsPhaseDocument(summaryClash.rel, index.patterns)) {
    err(
      `cdp: will not write the summary to ${o.summary}: it is named as a phase document (${summaryClash.rel}), which the next check would read as one`,
    );
    return 2;
  }
  // Reports need no fixes or related locations: findings stay small.
  const analysis = new Analysis(index, false);
  // `--phase` as the gate check reads it (a file the shell sees by its path in the root).
  const asked = phaseQuery(o.phase, cwd, root);
  if (o.runCommands) {
    // With --phase, the commands of the phases it selects (another phase is not judged).
    await runGateCommands(
      analysis,
      o.commandTimeout * 1000,
      asked === undefined
        ? undefined
        : (phase) => {
            const w = analysis.workflowOf(phase.uri);
            return w !== undefined && matchReleasePhase(w, asked).includes(phase);
          },
    );
  }
  const folder = ws.folders[0];
  const fileOf = (uri: string) => relativePath(folder, uri) ?? uri;
  // A gate file given as a path reports its phase: the phase document joins the paths.
  const scopePaths = [...paths];
  for (const g of index.gates.all()) {
    const abs = resolve(root, fileOf(g.uri));
    const phase = paths.includes(abs) ? analysis.phaseOfGateFile(g) : undefined;
    if (phase) scopePaths.push(resolve(root, fileOf(phase.uri)));
  }
  const inScope = (uri: string) => {
    const abs = resolve(root, fileOf(uri));
    return scopePaths.some((p) => abs === p || abs.startsWith(p.endsWith(sep) ? p : p + sep));
  };

  if (o.command === 'graph') {
    const r = buildGraph(index, {
      root: o.id === undefined ? undefined : graphStart(o.id, cwd, root),
      depth: o.depth,
      include: (e) => inScope(e.uri),
      fileOf: (e) => fileOf(e.uri),
    });
    if ('error' in r) {
      err(`cdp: ${r.error}`);
      return 2;
    }
    const g = r.graph;
    await out(
      o.format === 'dot'
        ? toDot(g)
        : o.format === 'mermaid'
          ? toMermaid(g)
          : JSON.stringify({ version: 1, ...g }, null, 2),
    );
    return 0;
  }

  const scopedNotices = notices.filter((n) => inScope(n.uri));
  const workflows = analysis.workflows().filter((w) => w.phases.some((p) => inScope(p.uri)));
  const releaseIndex = new Map(
    workflows.map((w) => [w.id, releaseScope(w, config.phases.releasePhase).upTo]),
  );
  const release = (w: { id: string }) => releaseIndex.get(w.id);

  if (o.command === 'report') {
    const ciWorkflows = workflows.map((w) => ciWorkflow(w, fileOf));
    const view = buildDashboard(root, ciWorkflows, release, config.phases.releasePhase);
    if (o.history > 0) {
      // (a definition's items are ticked by nobody: no progress to trace)
      view.history = readHistory(
        root,
        workflows.filter((w) => !w.definition),
        o.history,
        config,
      );
      const limited = Array.isArray(view.history) ? view.history.find((h) => h.note)?.note : undefined;
      if (limited) err(`cdp: ${limited}`);
    }
    // Links are relative to where the page is read: its file, or the current folder when
    // it goes to standard output (`cdp report docs > report.html`).
    const outDir = o.out ? dirname(resolve(cwd, o.out)) : cwd;
    const html = renderReport(view, {
      // A folder (a phase standing for its folder, written with a trailing `/`) has no lines.
      hrefOf: (file, line) =>
        `${relative(outDir, resolve(root, file)).split(sep).map(encodeURIComponent).join('/')}${isFolderPath(file) ? '/' : `#L${line}`}`,
    });
    if (o.out) {
      try {
        writeFileSync(resolve(cwd, o.out), html);
      } catch (e) {
        err(`cdp: cannot write ${o.out}: ${(e as Error).message}`);
        return 2;
      }
    } else await out(html);
    return 0;
  }

  // Findings become report lines a document at a time; a large workspace has a hundred
  // thousand. Every format writes them as they are found and never holds them all.
  let errors = false;
  // The findings of the last pass over them, by severity: what a summary after the report counts.
  let counted: Record<JsonDiagnostic['severity'], number> | undefined;
  const uris = [...index.all()].map((e) => e.uri);
  for (const g of index.gates.all()) uris.push(g.uri);
  uris.push(...index.gates.confirmationsUris());
  const inScopeUris = uris.filter(inScope).sort((a, b) => (a < b ? -1 : 1));
  function* findings(): Generator<JsonDiagnostic> {
    const tally = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const uri of inScopeUris) {
      const found = analysis.checkUri(uri);
      if (!found || found.length === 0) continue;
      const file = fileOf(uri); // one string for all the findings of a document
      for (const f of found) {
        errors ||= f.severity === 'error';
        tally[f.severity]++;
        yield toJsonDiagnostic(f, () => file);
      }
    }
    counted = tally;
  }
  // The findings checked anew each time they are taken: JUnit takes them twice (its
  // totals come first), the other formats once; a job summary counts the pass before it.
  const diagnostics: Iterable<JsonDiagnostic> = { [Symbol.iterator]: findings };

  let verdicts: GateVerdict[] = [];
  const lacking: LackingWorkflow[] = [];
  const fallbacks: string[] = [];
  const selecting = o.phase !== undefined || o.gate !== undefined;
  if (selecting) {
    const phase = asked;
    verdicts = checkGate(analysis, { phase, group: o.gate, releaseFallback: true }).filter((v) =>
      inScope(v.phase.uri),
    );
    // `--phase release` in a workflow without a release phase: its deploy phase, said so.
    if (phase !== undefined)
      for (const w of new Set(verdicts.map((v) => v.workflow)))
        if (matchPhase(w, phase).length === 0) {
          const to = verdicts.find((v) => v.workflow === w)!.phase.phase!;
          fallbacks.push(
            `Workflow ${w.id} has no phase "${phase}": checking its deploy phase ${to.id} ${to.name}, as release readiness does.`,
          );
        }
    for (const f of fallbacks) err(`cdp: ${f}`);
    // A phase of the known workflow a cycle follows that it has not written yet (`release`
    // in a CDP cycle at 03), or skips: that cycle's gate fails, reported, as beside a cycle
    // that has it. Every workflow under way in scope is judged where one has the phase: one
    // without it fails (a release gate must not pass on an earlier cycle while the current
    // one has no release). The editor's gate check follows the same rule (`lackingWorkflows`).
    const found =
      phase !== undefined
        ? lackingWorkflows(workflows, phase, [...new Set(verdicts.map((v) => v.workflow))], {
            group: o.gate,
            inScope,
          })
        : { lacking: [], leftOut: [], none: verdicts.length === 0 };
    if (found.none) {
      err(
        `cdp: no ${o.phase ? `phase "${o.phase}"` : 'phase'}${o.gate ? ` with group "${o.gate}"` : ''} found${groupsThere(workflows, phase, o.gate, inScope)}${onlyInDefinitions(workflows, phase, o.gate, inScope)}${namedOtherwise(workflows, phase, inScope)}`,
      );
      return 2;
    }
    for (const note of found.leftOut) err(`cdp: ${note}`);
    lacking.push(...found.lacking);
    for (const l of lacking) err(`cdp: ${l.reason}`);
  }
  const gates: JsonGate[] | undefined = selecting
    ? verdicts.map((v) => ({
        workflow: v.workflow.id,
        phase: v.phase.phase!.id,
        name: v.phase.phase!.name,
        file: fileOf(v.phase.uri),
        groups: v.groups.map((g) => g.heading),
        passed: v.passed,
        reasons: v.reasons,
        total: v.total,
        checked: v.checked,
        unmet: v.unmet.map((u) => ({
          group: u.group.heading,
          text: u.item.text,
          line: u.item.line + 1,
          ...(isGateItem(u.item)
            ? { file: fileOf(u.item.file), state: u.item.state, reason: u.item.reason }
            : { state: 'unchecked' as const }),
        })),
      }))
    : undefined;
  // A workflow without the phase: a failed gate shown on its last phase document, or on
  // the phase's file when that was not read.
  for (const l of lacking) {
    gates!.push({
      workflow: l.workflow.id,
      phase: o.phase!,
      name: '',
      file: fileOf(l.uri),
      groups: [],
      passed: false,
      reasons: [l.reason],
      total: 0,
      checked: 0,
      unmet: [],
      missing: true,
    });
  }
  // CI tools resolve files against the repository: the current folder when the root is in it.
  const inCwd = !climbsOut(relative(cwd, root));
  const ciBase = inCwd ? cwd : root;
  const prefix = relative(ciBase, root).split(sep).filter(Boolean).join('/');
  const ciFile = (file: string) => (prefix && !isUri(file) ? `${prefix}/${file}` : file);
  // A path given that holds no phase document (nor a gate file of one) passes with nothing
  // checked: every format says so, and standard error, so that a wrong path shows.
  const empty = pathsWithoutPhases(paths, analysis, (uri) => resolve(root, fileOf(uri)));
  const slashed = (from: string, p: string) => relative(from, p).split(sep).join('/') || '.';
  // Paths as the user would write them from the current folder.
  const named = (list: readonly string[]) => list.map((p) => relative(cwd, p) || '.');
  if (empty.length > 0)
    err(`cdp: no phase documents in ${named(empty).join(', ')}: no phase or gate was checked there`);
  /** Lines written in pieces of about 64 KB: one write per finding would cost more. */
  const outLines = async (lines: Iterable<string>) => {
    let piece: string[] = [];
    let size = 0;
    for (const line of lines) {
      piece.push(line);
      size += line.length + 1;
      if (size >= 65_536) {
        young.check();
        await out(piece.join('\n'));
        piece = [];
        size = 0;
      }
    }
    if (piece.length > 0) await out(piece.join('\n'));
  };
  const data = (): CheckData => ({
    root,
    workflows: workflows.map((w) => ciWorkflow(w, fileOf)),
    diagnostics,
    ...(counted ? { counts: counted } : {}),
    notices: scopedNotices.map((n) => ({ file: fileOf(n.uri), message: n.message })),
    gates,
    ...(empty.length > 0 ? { withoutPhases: empty.map((p) => slashed(ciBase, p)) } : {}),
  });

  if (o.format === 'json') {
    // Every piece ends with a line break; `out` adds one. Waiting on `out` keeps a slow
    // reader (a pipe) from making the report pile up in memory.
    for (const piece of jsonReportPieces(
      {
        root,
        workflows,
        diagnostics,
        notices: scopedNotices,
        gates,
        withoutPhases: empty.map((p) => slashed(root, p)),
      },
      fileOf,
    )) {
      young.check();
      await out(piece.slice(0, -1));
    }
  } else if (o.format === 'sarif') {
    for (const piece of sarifPieces(data(), {
      baseUri: pathToFileURL(ciBase).href,
      fileOf: ciFile,
      version: productVersion(),
    })) {
      young.check();
      await out(piece.slice(0, -1));
    }
  } else if (o.format === 'junit') {
    for (const piece of junitPieces(data(), ciFile)) {
      young.check();
      await out(piece.slice(0, -1));
    }
  } else if (o.format === 'github') {
    await outLines(toGithub(data(), ciFile));
  } else {
    // Files as the CI formats name them (from the current folder when the root is in it).
    const textFile = (uri: string) => ciFile(fileOf(uri));
    // A documentation site's pages about phases are named apart, with the site's configuration.
    const sitePages: string[] = [];
    let siteConfig: string | undefined;
    if (workflows.length === 0)
      for (const e of index.all())
        if (inScope(e.uri) && e.phase !== undefined && index.isSitePage(e)) {
          sitePages.push(ciFile(fileOf(e.uri)));
          siteConfig ??= ciFile(
            fileOf(joinUri(e.folder, index.siteConfigAbove(e.folder, relDirname(e.rel))!)),
          );
        }
    const pages = new Set(sitePages);
    const unphased =
      workflows.length === 0
        ? numberedFoldersWithoutPhase(
            [...index.all()].filter((e) => inScope(e.uri)).map((e) => fileOf(e.uri)),
            (name) => phaseOfFolderName(name, index.patterns) !== undefined,
          )
            .map(ciFile)
            .filter((f) => !pages.has(f))
        : [];
    // Phase documents outside the paths given: the paths are what holds none.
    const elsewhere = workflows.length === 0 ? analysis.workflows().filter((w) => !w.definition) : [];
    const scope =
      elsewhere.length > 0
        ? { given: o.paths.length > 0 ? o.paths : ['.'], workflows: elsewhere.map((w) => w.id) }
        : undefined;
    // A path given that the index does not read (a dot-folder, node_modules, an exclude
    // pattern): saying "no phase document" alone would hide why.
    const unread = unreadPaths(paths, root, new FileFilter(config));
    const notRead = named(unread.excluded);
    const notMarkdown = named(unread.other);
    // Named with the workspace's own phases (scope) or as holding none at all when there are no workflows.
    const partlyEmpty =
      workflows.length > 0
        ? empty.filter((p) => !unread.excluded.includes(p) && !unread.other.includes(p))
        : [];
    await outLines(
      textReport(
        workflows,
        prefix ? mapIterable(diagnostics, (d) => ({ ...d, file: ciFile(d.file) })) : diagnostics,
        scopedNotices,
        verdicts,
        textFile,
        {
          unphased,
          sitePages: siteConfig === undefined ? undefined : { pages: sitePages.sort(), config: siteConfig },
          scope,
          notRead,
          notMarkdown,
          withoutPhases: named(partlyEmpty),
          // (the current folder needs no naming: `.`, `./`)
          searched: o.paths.filter((p) => resolve(cwd, p) !== cwd).map((p) => trimEndSlashes(p) || p),
          gateNotes: fallbacks,
          lacking,
          phaseNumberOf: (name) => phaseOfFolderName(name, index.patterns)?.number,
        },
      ),
    );
  }
  if (o.summary) {
    try {
      const file = resolve(cwd, o.summary);
      // After a last line without its line break, the heading would join that line.
      const lead = endsInLineBreak(file) ? '' : '\n';
      appendFileSync(file, lead + toSummary(data(), release, config.phases.releasePhase, ciFile));
    } catch (e) {
      err(`cdp: cannot write the summary to ${o.summary}: ${(e as Error).message}`);
      return 2;
    }
  }
  const failed = verdicts.some((v) => !v.passed) || lacking.length > 0;
  return errors || failed ? 1 : 0;
}

/**
 * What `graph --id` names: an id as written, or a document's path — from the current
 * folder when that file exists (`./docs/a.md`), else as written in the root, without
 * a leading `./` either way.
 */
function graphStart(id: string, cwd: string, root: string): string {
  if (/[/\\]|\.md$/i.test(id) && existsSync(resolve(cwd, id))) {
    const rel = relative(root, resolve(cwd, id));
    if (rel !== '' && !climbsOut(rel)) return rel.split(sep).join('/');
  }
  return id.replace(/^(\.[/\\])+/, '');
}

/** Whether `file` is missing, empty or ends with a line break (its last byte read only). */
function endsInLineBreak(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return true; // not there yet (or unreadable: the append says why)
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size === 0) return true;
    const b = Buffer.alloc(1);
    return readSync(fd, b, 0, 1, st.size - 1) === 1 && b[0] === 10;
  } catch {
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * The paths (absolute) under which no phase document of any workflow lies, nor a gate file
 * of one (`check 01-frame/GATE.yaml` checks its phase). `fsPath` maps a URI to its path.
 */
function pathsWithoutPhases(
  paths: readonly string[],
  analysis: Analysis,
  fsPath: (uri: string) => string,
): string[] {
  const holds = (files: readonly string[]) => (p: string) =>
    files.some((f) => f === p || f.startsWith(p.endsWith(sep) ? p : p + sep));
  const docs: string[] = [];
  for (const w of analysis.workflows()) for (const p of w.phases) docs.push(fsPath(p.uri));
  const left = paths.filter((p) => !holds(docs)(p));
  if (left.length === 0) return left;
  // The gate files of phases, by where they are (their groups are not evaluated for this).
  const gates: string[] = [];
  for (const g of analysis.index.gates.all()) if (analysis.phaseOfGateFile(g)) gates.push(fsPath(g.uri));
  return left.filter((p) => !holds(gates)(p));
}

/**
 * Where the phase asked for, or the group `--gate` asks for in the phases selected, lies
 * only in workflow definitions in scope, left out beside the workflows under way: said,
 * rather than leaving "no phase found" to read as a misspelt name.
 */
function onlyInDefinitions(
  workflows: WorkflowInstance[],
  phase: string | undefined,
  gate: string | undefined,
  inScope: (uri: string) => boolean,
): string {
  const leftOut = (defs: WorkflowInstance[]) =>
    `the workflow definition${defs.length > 1 ? 's' : ''} ${defs.map((w) => w.id).join(', ')}, left out beside the workflows under way in the workspace (a definition's gates are checked only in a workspace that holds nothing but definitions)`;
  const selected = (w: WorkflowInstance) =>
    (phase === undefined ? w.phases : matchReleasePhase(w, phase)).filter((p) => inScope(p.uri));
  if (phase !== undefined) {
    const has = (w: WorkflowInstance) => selected(w).length > 0;
    // A workflow under way has the phase (what it lacks is the group asked for): below.
    if (!workflows.some((w) => !w.definition && has(w))) {
      // Asked when no workflow had the phase: a definition in scope that has it was left out.
      const defs = workflows.filter((w) => w.definition && has(w));
      return defs.length > 0 ? `; it lies only in ${leftOut(defs)}` : '';
    }
  }
  if (gate === undefined) return '';
  const hasGroup = (w: WorkflowInstance) => selected(w).some((p) => selectGroups(p, gate).length > 0);
  if (workflows.some((w) => !w.definition && hasGroup(w))) return '';
  const defs = workflows.filter((w) => w.definition && hasGroup(w));
  return defs.length > 0 ? `; group "${gate}" lies only in ${leftOut(defs)}` : '';
}

/** `--phase` as the gate check reads it: a file the shell sees (`docs/helix/01-frame/README.md`) by its path in the root. */
function phaseQuery(phase: string | undefined, cwd: string, root: string): string | undefined {
  if (phase !== undefined && /[/\\]|\.md$/i.test(phase) && existsSync(resolve(cwd, phase))) {
    const rel = relative(root, resolve(cwd, phase));
    // (written with `./` at the root: a path, which names that document alone)
    if (rel !== '' && !climbsOut(rel)) return `./${rel.split(sep).join('/')}`;
  }
  return phase;
}

/**
 * When no workflow in scope has the phase asked for by name but some have a phase at its
 * number under another name (`release` where cycles call 05 "Ship"): which, for the usage
 * error (`; workflow r1 has no phase "release": its phase 05 is named Ship`; `… has no phase
 * "06-release": its Release phase is 05`).
 */
function namedOtherwise(
  workflows: WorkflowInstance[],
  phase: string | undefined,
  inScope: (uri: string) => boolean,
): string {
  if (phase === undefined) return '';
  const said = gated(workflows)
    .filter((w) => !w.definition && w.phases.some((p) => inScope(p.uri)))
    .map((w) => lackingPhase(w, phase, true))
    .filter((r): r is string => r !== undefined && / is named |: its .+ phase is \d+$/.test(r));
  if (said.length === 0) return '';
  const shown = said.slice(0, 3).map((r) => r.charAt(0).toLowerCase() + r.slice(1));
  return `; ${shown.join('; ')}${said.length > 3 ? `; and ${said.length - 3} more` : ''}`;
}

/** How many group names the usage error names when no `--phase` narrows them. */
const GROUP_NAMES_SHOWN = 12;

/**
 * When `--gate` matched no group in the phases `--phase` selects: the groups those phases
 * have (in scope), for the usage error (`; phase 05 Release has: Entry Criteria, …`).
 * Without `--phase` every phase is selected: the distinct group names, in the order the
 * workflows and their phases give them, the first few named (`; the phases have the
 * groups Entry Criteria, Exit Criteria, …, and 4 more`).
 */
function groupsThere(
  workflows: WorkflowInstance[],
  phase: string | undefined,
  gate: string | undefined,
  inScope: (uri: string) => boolean,
): string {
  if (gate === undefined) return '';
  if (phase === undefined) {
    const names = new Set<string>();
    for (const w of gated(workflows))
      for (const p of w.phases) {
        if (!inScope(p.uri)) continue;
        for (const g of selectGroups(p, 'all')) names.add(g.heading);
      }
    if (names.size === 0) return '; the phases have no groups';
    const all = [...names];
    const shown = all.slice(0, GROUP_NAMES_SHOWN).join(', ');
    const more = all.length - GROUP_NAMES_SHOWN;
    return `; the phases have the groups ${shown}${more > 0 ? `, and ${more} more` : ''}`;
  }
  const seen = new Map<string, string[]>();
  for (const w of gated(workflows))
    for (const p of matchReleasePhase(w, phase)) {
      if (!inScope(p.uri)) continue;
      const key = `${p.phase!.id} ${p.phase!.name}`;
      const names = selectGroups(p, 'all').map((g) => g.heading);
      const have = seen.get(key) ?? [];
      for (const n of names) if (!have.includes(n)) have.push(n);
      seen.set(key, have);
    }
  const parts = [...seen].map(
    ([k, names]) => `phase ${k} has ${names.length > 0 ? `the groups ${names.join(', ')}` : 'no groups'}`,
  );
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}

/**
 * Documents named like phases (`01-install.md`) and folders named like phases (`01-frame`)
 * that hold documents, none of them a phase document: what a workspace with no workflow
 * may have meant (HELIX projects keep their filled documents in such folders).
 * Workspace-relative paths, sorted. `phaseName`: whether a name is a phase's
 * (`cdp.phases.fileNamePattern`).
 */
export function numberedFoldersWithoutPhase(
  files: readonly string[],
  phaseName: (folderName: string) => boolean,
): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
    const stem = f.slice(dir.length ? dir.length + 1 : 0).replace(/\.md$/i, '');
    if (!/^(readme|index)$/i.test(stem) && phaseName(stem)) {
      out.add(f);
      continue;
    }
    const parts = dir.split('/');
    // the nearest numbered folder on the way (artifacts sit in sub-folders too)
    for (let i = parts.length - 1; i >= 0; i--) {
      if (phaseName(parts[i])) {
        out.add(parts.slice(0, i + 1).join('/'));
        break;
      }
    }
  }
  return [...out].sort();
}

/**
 * The paths (files or folders) under `root` that the index does not read as documents:
 * `excluded` by `filter`, and files that are no markdown (`other`). A gate file named as
 * a path is read as one, so it is neither.
 */
function unreadPaths(
  paths: readonly string[],
  root: string,
  filter: FileFilter,
): { excluded: string[]; other: string[] } {
  const excluded: string[] = [];
  const other: string[] = [];
  for (const p of paths) {
    const rel = relative(root, p).split(sep).join('/');
    if (rel === '' || climbsOut(rel)) continue;
    const segs = rel.split('/');
    const dir = statSync(p).isDirectory();
    const folders = dir ? segs.length : segs.length - 1;
    if (segs.slice(0, folders).some((_, i) => filter.skipDirectory(segs.slice(0, i + 1).join('/'))))
      excluded.push(p);
    else if (dir || GATE_FILE_NAME.test(segs[segs.length - 1])) continue;
    else if (!/\.md$/i.test(rel)) other.push(p);
    else if (!filter.isDocument(rel)) excluded.push(p);
  }
  return { excluded, other };
}

/**
 * The text report, line by line: the findings are taken from `diagnostics` as they are
 * written (a workspace with hundreds of thousands of them never holds them all), and
 * counted for the last line.
 */
function* textReport(
  workflows: WorkflowInstance[],
  diagnostics: Iterable<JsonDiagnostic>,
  notices: Notice[],
  verdicts: GateVerdict[],
  fileOf: (uri: string) => string,
  notes: {
    /** Documents and folders named like phases that show none (when there are no workflows). */
    unphased?: readonly string[];
    /** Numbered pages of a documentation site (`isSitePage`) and the site's configuration (when there are no workflows). */
    sitePages?: { pages: readonly string[]; config: string };
    /** When the workspace has workflows but none under the paths given: those paths, and the workflows. */
    scope?: { given: readonly string[]; workflows: readonly string[] };
    /** Paths given that the index does not read. */
    notRead?: readonly string[];
    /** Files given that are neither markdown nor gate files. */
    notMarkdown?: readonly string[];
    /** Paths given that hold no phase document beside others that do. */
    withoutPhases?: readonly string[];
    /** The paths given, as written, where no phase document was found at all. */
    searched?: readonly string[];
    /** How the selected phase was read (`release` as the deploy phase). */
    gateNotes?: readonly string[];
    /** Workflows without the selected phase (each a failed gate). */
    lacking?: readonly LackingWorkflow[];
    /** The phase number a folder's name gives, if any. */
    phaseNumberOf?: (folderName: string) => number | undefined;
  } = {},
): Generator<string> {
  const {
    unphased = [],
    sitePages,
    scope,
    notRead = [],
    notMarkdown = [],
    withoutPhases = [],
    searched = [],
    gateNotes = [],
    lacking = [],
  } = notes;
  const lines: string[] = [];
  if (withoutPhases.length > 0)
    lines.push(`No phase document in ${withoutPhases.join(', ')}: no phase or gate was checked there.`);
  if (notMarkdown.length > 0)
    lines.push(`Not a document: ${notMarkdown.join(', ')} (only markdown files and gate files are read).`);
  if (notRead.length > 0)
    lines.push(
      `Not read: ${notRead.join(', ')} (excluded by cdp.files.exclude; dot-folders and node_modules are by default). Set cdp.files.exclude in .vscode/settings.json or with --config to read ${notRead.length === 1 ? 'it' : 'them'}.`,
    );
  if (workflows.length === 0 && scope) {
    const shown = scope.workflows.slice(0, 5).join(', ');
    const more = scope.workflows.length > 5 ? ` and ${scope.workflows.length - 5} more` : '';
    lines.push(
      `No phase document in ${scope.given.join(', ')}: the workspace's phase documents are elsewhere (${
        scope.workflows.length === 1 ? 'workflow' : 'workflows'
      } ${shown}${more}). Name a phase document or a folder that holds some; with no path, the whole folder is checked.`,
    );
  } else if (workflows.length === 0) {
    lines.push(
      `No phase documents found${searched.length > 0 ? ` in ${searched.join(', ')}${searched[searched.length - 1].endsWith('.') ? '' : '.'}` : '.'} A phase document is a markdown file named like 01-diagnose.md, or the README.md of a phase folder (01-frame/), with entry or exit criteria, a "# Phase 01: Frame" title or gate files (GATE.yaml, input-gates.yml, exit-gates.yml) beside it; numbered files of a folder are phases when one of them shows it, or when at least half of them have known phase names (01-diagnose.md, 06-follow-up.md). Names other than NN-name or NN_name: set cdp.phases.fileNamePattern.`,
    );
    if (unphased.length > 0) {
      const shown = unphased.slice(0, 5).join(', ');
      const more = unphased.length > 5 ? ` and ${unphased.length - 5} more` : '';
      lines.push(`Named like phases but showing no phase (no criteria, title or chain): ${shown}${more}.`);
    }
    if (sitePages !== undefined) {
      const { pages, config } = sitePages;
      const shown = pages.slice(0, 5).join(', ');
      const more = pages.length > 5 ? ` and ${pages.length - 5} more` : '';
      lines.push(
        `Pages of the documentation site configured by ${config}, not phases: ${shown}${more}. In a documentation site a numbered file is a phase when one file of its folder has phase metadata (phase, previous_phase, next_phase), a checklist item or gate files beside it.`,
      );
    }
  }
  for (const w of workflows) {
    const cur = w.definition ? undefined : currentPhase(w);
    const items = w.phases.reduce((n, p) => n + phaseProgress(p).total, 0);
    const statuses = w.definition ? [] : workflowPhaseStatuses(w);
    // (and the phases of the known workflow it follows before its first: 01–03 of a cycle of 04, 05)
    const from = w.definition ? undefined : firstRequiredPhase(knownNames(w));
    const skipped = w.definition
      ? []
      : missingPhases(
          w.phases.map((p) => p.phase!.id),
          from,
        );
    lines.push(
      w.definition
        ? `Workflow definition ${w.id}: ${plural(w.phases.length, 'phase')}, ${plural(items, 'item')}`
        : `Workflow ${w.id}: ${
            cur
              ? `current phase ${cur.phase!.id} ${cur.phase!.name}`
              : allComplete(
                  w.phases.map((p) => p.phase!.id),
                  notWrittenYet(knownNames(w)),
                  (w.unreadPhases ?? []).map((u) => phaseId(u.number)),
                  from,
                )
          }`,
    );
    // Folders named like phases that hold documents but no phase document, by number:
    // said where the phase would stand.
    const gaps = new Map<number, string>();
    for (const g of w.folderGaps ?? []) {
      const n = notes.phaseNumberOf?.(basename(g.dir));
      if (n !== undefined && !gaps.has(n)) gaps.set(n, g.dir);
    }
    // (a phase folder whose README was not read: that is said instead)
    const unreadAt = new Set((w.unreadPhases ?? []).map((u) => u.number));
    const gapRow = (id: string, mark: string, fallback: string) => {
      const dir = gaps.get(Number(id));
      return dir === undefined || unreadAt.has(Number(id))
        ? fallback
        : `  ${mark} ${id} (no phase document: ${dir}/ holds documents, which belong to no phase)`;
    };
    // Folder gaps and phases not read before the first phase or after the last.
    const outside = (keep: (n: number) => boolean) => [
      ...[...gaps.keys()]
        .filter((n) => keep(n) && !unreadAt.has(n))
        .sort((a, b) => a - b)
        .map((n) => gapRow(String(n).padStart(2, '0'), '·', '')),
      ...(w.unreadPhases ?? [])
        .filter((u) => keep(u.number))
        .map((u) => `  ✗ ${phaseId(u.number)} (${gapText(w, phaseId(u.number))})`),
    ];
    // (a skipped known phase before the first is said with the others, below)
    if (!w.definition)
      lines.push(...outside((n) => n < w.phases[0].phase!.number && !skipped.some((id) => Number(id) === n)));
    for (const [i, p] of w.phases.entries()) {
      const prog = phaseProgress(p);
      if (w.definition) {
        // A definition's boxes are a template's, not progress: its sizes only.
        lines.push(`  · ${p.phase!.id} ${p.phase!.name}  ${plural(prog.total, 'item')}  ${fileOf(p.uri)}`);
        for (const g of prog.groups)
          lines.push(
            `        ${g.heading} (${g.kind}) ${g.unreadable ? 'cannot be read' : g.total === 0 ? 'no criteria' : plural(g.total, 'item')}`,
          );
        continue;
      }
      const status = statuses[i];
      // A phase number the workflow skips, where it would stand (the readiness check counts it).
      for (const id of skipped)
        if ((i === 0 || Number(id) > w.phases[i - 1].phase!.number) && Number(id) < p.phase!.number)
          lines.push(gapRow(id, '✗', `  ✗ ${id} (${gapText(w, id)})`));
      lines.push(
        `  ${phaseStatusMark(status)} ${p.phase!.id} ${p.phase!.name}  ${prog.checked}/${prog.total}  ${phaseStatusText(status)}  ${fileOf(p.uri)}`,
      );
      // Its README, not read: the phase stands by its gate files, its criteria written there unknown.
      for (const u of w.unreadReadmes ?? [])
        if (u.number === p.phase!.number)
          lines.push(
            `        ✗ ${fileOf(u.uri)} was not read (${u.reason}): the criteria written in it cannot be checked`,
          );
      const detailed = p === cur || (prog.started && !prog.complete);
      if (!prog.groups.some((g) => g.kind !== 'checklist')) {
        // Checklists under headings the settings do not read as criteria (another language,
        // a team's own words): say where to name them.
        const named = prog.groups
          .filter((g) => g.kind === 'checklist' && g.heading !== '')
          .map((g) => `"${g.heading}"`);
        lines.push(
          `        (${NO_CRITERIA}${
            named.length === 0
              ? ''
              : `; to count the checklists under ${named.slice(0, 3).join(', ')}${named.length > 3 ? ', …' : ''} as criteria, add their headings to cdp.groups.entry, cdp.groups.exit or cdp.groups.gate`
          })`,
        );
      }
      for (const g of prog.groups) {
        lines.push(
          `      ${g.passed ? '✓' : ' '} ${g.heading} (${g.kind}) ${g.checked}/${g.total}${g.unreadable ? ' (cannot be read)' : g.total === 0 ? (g.prose ? ' (no checklist items: criteria in prose or a table, or none; nothing to tick)' : ' (no criteria)') : g.untracked ? ' · no checkboxes' : ''}${
            // why a group with every box ticked has not passed
            g.malformed
              ? ` · ${g.malformed} ${g.malformed === 1 ? 'box is not a checkbox' : 'boxes are not checkboxes'} GFM reads (malformed-checkbox)`
              : ''
          }`,
        );
        // (a checklist's unticked items too: the phase is complete only when it is)
        if (!detailed) continue;
        if (g.untracked)
          lines.push(
            `          ${plural(g.untracked, 'list item')} without a checkbox (write them as \`- [ ]\` items)  ${fileOf(p.uri)}:${g.line + 1}`,
          );
        for (const it of g.items) {
          if (it.checked) continue;
          const why = isGateItem(it) ? ` — ${reasonText(it)}${it.optional ? ' (optional)' : ''}` : '';
          lines.push(
            `          [ ] ${it.text}${why}  ${fileOf(isGateItem(it) ? it.file : p.uri)}:${it.line + 1}`,
          );
          if (isGateItem(it) && it.output)
            for (const l of it.output.split('\n').slice(-10)) lines.push(`              | ${l}`);
        }
      }
    }
    if (!w.definition) lines.push(...outside((n) => n > w.phases[w.phases.length - 1].phase!.number));
    lines.push('');
    // Each workflow's lines go out as they are made.
    for (const l of lines) yield printable(l);
    lines.length = 0;
  }
  if (verdicts.length > 0 || lacking.length > 0) {
    lines.push('Gate check:');
    for (const n of gateNotes) lines.push(`  ${n}`);
    for (const v of verdicts) {
      const what = v.groups.map((g) => g.heading).join(', ') || 'no groups';
      lines.push(
        `  ${v.passed ? 'PASSED' : 'FAILED'} ${v.workflow.id} ${v.phase.phase!.id} ${v.phase.phase!.name}: ${what} (${v.checked}/${v.total}${
          v.unmet.length ? `, ${v.unmet.length} unmet` : ''
        })`,
      );
      for (const r of v.reasons) lines.push(`      ${r}`);
      // A gate that passes while other groups keep the phase from being complete says so,
      // as the editor's gate check does: the current phase "stays current", a later one
      // "is not complete"; an optional 00 without criteria is neither.
      const progress = v.passed && !optionalPhase(v.phase) ? phaseProgress(v.phase) : undefined;
      if (progress && !progress.complete) {
        const current = currentPhase(v.workflow) === v.phase;
        lines.push(
          `      ${v.phase.phase!.id} ${v.phase.phase!.name} ${current ? 'stays current' : 'is not complete'}: ${progress.reasons.join('; ')}`,
        );
      }
      for (const u of v.unmet) {
        const it = u.item;
        const why = isGateItem(it) ? ` — ${reasonText(it)}` : '';
        lines.push(
          `      [ ] ${it.text}${why}  ${fileOf(isGateItem(it) ? it.file : v.phase.uri)}:${it.line + 1}`,
        );
      }
    }
    for (const l of lacking) lines.push(`  FAILED ${l.reason}`);
    lines.push('');
  }
  for (const l of lines) yield printable(l);
  const counts = { error: 0, warning: 0, information: 0 };
  let any = false;
  for (const d of diagnostics) {
    if (!any) yield 'Diagnostics:';
    any = true;
    if (d.severity in counts) counts[d.severity as keyof typeof counts]++;
    yield printable(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
  }
  if (any) yield '';
  for (const n of notices) yield printable(`notice: ${fileOf(n.uri)}: ${n.message}`);
  const phases = workflows.reduce((n, w) => n + w.phases.length, 0);
  yield printable(
    `${plural(workflows.length, 'workflow')}, ${plural(phases, 'phase')}; ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information`,
  );
}

/**
 * A report line with control characters escaped: a file name or heading holding a
 * line break or a terminal escape cannot forge lines or restyle the terminal. A line that
 * would start with `::` (a heading `::error file=…::`) is indented by a `|`, so that a CI
 * runner reading the text report does not take it for a workflow command.
 */
export function printable(line: string): string {
  const clean = escapeControls(line).replace(/[\t\n\r]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
  return /^\s*::/.test(clean) ? clean.replace(/::/, '|::') : clean;
}

/** Runs the command with these arguments and sets the exit code. */
export function run(argv: string[]): void {
  // A command is over in seconds: V8's usual budget optimises code that has little left to run.
  delayOptimization();
  // A reader that stops early (`cdp check | head`) closes the pipe: stop writing, quietly.
  let closed = false;
  // Any other write error (a full disk) leaves a report cut short: a CI step must not pass on it.
  let failed = false;
  const waiting = new Set<() => void>();
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      process.stderr.write(`cdp: cannot write the report: ${e.message}\n`);
      failed = true;
      process.exitCode = 2;
    }
    closed = true;
    for (const w of waiting) w();
    waiting.clear();
  });
  const out = (s: string) =>
    new Promise<void>((resolve) => {
      if (closed || process.stdout.write(`${s}\n`)) return resolve();
      const done = () => {
        waiting.delete(done);
        process.stdout.off('drain', done);
        resolve();
      };
      waiting.add(done);
      process.stdout.once('drain', done);
    });
  main(argv, out, (s) => process.stderr.write(`${s}\n`)).then(
    (code) => {
      process.exitCode = failed ? 2 : code;
    },
    (e) => {
      process.stderr.write(`cdp: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

// The bundle is also the parse pool's worker script (node/parse-pool.ts): not a command there.
if (require.main === module && isMainThread) run(process.argv.slice(2));

/** Why a phase number has no phase: no document, or one that was not read (`unreadPhases`). */
function gapText(w: WorkflowInstance, id: string): string {
  const unread = w.unreadPhases?.find((u) => u.number === Number(id));
  return unread
    ? `${unread.rel} was not read: ${unread.reason}`
    : 'no document: the workflow skips this phase';
}

/** `f` of each item of `items`, as they are taken. */
function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
