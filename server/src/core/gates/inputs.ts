import type { WorkspaceIndex } from '../index';
import { isUrl } from '../parse/mdlink';
import { joinRel, joinUri, normalizeRel, relativePath } from '../paths';
import { sameCase, wikiPathStems } from '../resolve';
import { trimEndSlashes } from '../text';
import type { FileEntry, Workspace } from '../workspace';
import { type FilesEnv, fixedPart, grepFiles, MAX_GREP_FILES } from './evaluate';
import type { SearchResult } from './regex';

export { MAX_GREP_FILES };

/**
 * At most this many files are read for the `grep_*` checks of a workspace together (each
 * check's first MAX_GREP_FILES files, in the order of the gate files): what the checks need
 * of each is kept (`GateStore.setText`: the answers of plain-text patterns, else the text
 * searched) so that the editor checks again without reading again. A check whose files are
 * left out is "not evaluated", saying so.
 */
export const MAX_GREP_TOTAL_FILES = 10_000;

/** Why a file a grep check searches is left out by MAX_GREP_TOTAL_FILES. */
const TOTAL_REASON = `more than ${MAX_GREP_TOTAL_FILES.toLocaleString('en-US')} files are read for the grep checks of the workspace together`;

/**
 * What a gate path's lookup reads in one folder of the index: its files (the index's
 * listing unless given), and whether a path names a document or another file.
 */
export function folderFiles(
  index: WorkspaceIndex,
  folder: string,
  files: () => readonly string[] = () => index.filesOf(folder),
): FilesEnv {
  return {
    files,
    isFile: (rel) => {
      const disk = index.pathOnDisk(folder, rel);
      return disk !== undefined && sameCase(disk, rel);
    },
    inAnyCase: (rel) => index.fileInAnyCase(folder, rel),
    onDisk: (rel) => index.pathOnDisk(folder, rel),
  };
}

/** At most this many files are taken from folders the listing skips, for gate paths into them. */
export const MAX_SKIPPED_FILES = 5000;

/**
 * Gate paths into folders the listing skips (`.github/workflows/ci.yml`: dot-folders and
 * `node_modules` are not entered, so no document there is indexed) are looked up on disk,
 * and what they name joins the index's files: a check of such a path answers as for any
 * other file (the HELIX library's own gates check `.github/workflows/`). Only the paths
 * gate files name are looked at (a file, a folder listed without its `.git` and
 * `node_modules`, or the folder a glob starts at), at most MAX_SKIPPED_FILES files.
 */
export async function addSkippedGatePaths(
  index: WorkspaceIndex,
  skipped: (folder: string, rel: string) => boolean,
  take: (folder: string, rel: string) => Promise<void>,
): Promise<void> {
  for (const g of index.gates.all()) {
    for (const group of g.parsed.groups) {
      for (const d of group.items) {
        const paths =
          d.kind === 'evidence'
            ? [d.evidencePath]
            : d.check && PATH_CHECKS.has(d.check)
              ? [d.path, ...(d.fallbackPaths ?? [])]
              : [];
        for (const p of paths) {
          const rel = p ? fixedPart(p) : undefined;
          if (!rel || rel === '.' || !skipped(g.folder, rel)) continue;
          await take(g.folder, rel);
        }
      }
    }
  }
}

/**
 * What a path in a folder the listing skips names, added to the index's files once: the
 * file, or the files of the folder (without its `.git` and `node_modules`), up to the
 * limit shared by one load.
 */
export function skippedPathTaker(
  ws: Pick<Workspace, 'stat' | 'listFiles'>,
  index: WorkspaceIndex,
): (folder: string, rel: string) => Promise<void> {
  const seen = new Set<string>();
  let added = 0;
  return async (folder, rel) => {
    const key = `${folder}\u0000${rel}`;
    if (seen.has(key) || added >= MAX_SKIPPED_FILES) return;
    seen.add(key);
    const uri = joinUri(folder, rel);
    const stat = await ws.stat(uri).catch(() => undefined);
    if (stat?.type === 'file') {
      added++;
      index.addOtherFile(uri);
    } else if (stat?.type === 'directory') {
      const inner = (r: string) => /(^|\/)(\.git|node_modules)$/.test(r) && r !== rel;
      const files = await ws.listFiles(folder, inner, rel).catch(() => []);
      for (const f of files)
        if (f.unusable === undefined && !f.folderLink && added++ < MAX_SKIPPED_FILES)
          index.addOtherFile(f.uri);
    }
  };
}

/**
 * Markdown links into folders the listing skips (`[CI](../.github/workflows/ci.yml)`),
 * and wikilinks with a path there (`[[.ddx/library/phases/01-frame/README]]`): their
 * targets are looked up on disk like gate paths, so an existing file there is a valid
 * target as any other file is. `skipped(folder, rel)`: whether the listing did not
 * enter a folder holding `rel` (a set of the folders it passed by, so no pattern is matched
 * per link).
 */
export async function addSkippedLinkTargets(
  index: WorkspaceIndex,
  skipped: (folder: string, rel: string) => boolean,
  take: (folder: string, rel: string) => Promise<void>,
  /** The names of the folders the listing skipped: a path into one names it. */
  names: readonly string[],
): Promise<void> {
  for (const e of index.all()) {
    for (const l of e.doc.links) {
      if (l.syntax !== 'markdown') {
        // A wikilink with a path: the markdown files the resolver reads it as (`wikiPathStems`).
        if (!l.target.includes('/') && !l.target.includes('\\')) continue;
        if (!names.some((n) => l.target.includes(n))) continue;
        for (const stem of wikiPathStems(e.dir, l.target))
          if (stem !== '' && skipped(e.folder, `${stem}.md`)) await take(e.folder, `${stem}.md`);
        continue;
      }
      const raw = l.target.trim();
      if (raw === '' || !names.some((n) => raw.includes(n)) || isUrl(raw)) continue;
      const rel = raw.startsWith('/') ? normalizeRel(raw) : joinRel(e.dir, raw);
      if (rel === undefined || rel === '') continue;
      const path = trimEndSlashes(rel);
      if (skipped(e.folder, path)) await take(e.folder, path);
    }
  }
}

/** The checks whose `path` names files or folders that must exist. */
const PATH_CHECKS = new Set(['file_exists', 'dir_not_empty', 'tests_exist', 'grep_present', 'grep_absent']);

/**
 * Every file (URI) a `grep_present` / `grep_absent` check of any gate file searches, with
 * the patterns searched in it: each check's first MAX_GREP_FILES files (as `declarative`
 * takes them), up to MAX_GREP_TOTAL_FILES in all; `over` gets the files of checks past that.
 */
export function grepTargets(
  index: WorkspaceIndex,
  envOf: (folder: string) => FilesEnv = (folder) => folderFiles(index, folder),
  over?: Set<string>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const g of index.gates.all()) {
    const env = envOf(g.folder);
    for (const group of g.parsed.groups) {
      for (const d of group.items) {
        if (d.check !== 'grep_present' && d.check !== 'grep_absent') continue;
        const own = new Set<string>();
        for (const p of [d.path, ...(d.fallbackPaths ?? [])]) {
          if (!p || own.size >= MAX_GREP_FILES) continue;
          for (const rel of grepFiles(env, p)) {
            if (own.size >= MAX_GREP_FILES) break;
            if (own.has(rel)) continue;
            own.add(rel);
            const uri = joinUri(g.folder, rel);
            const patterns = out.get(uri);
            if (patterns) {
              if (d.pattern !== undefined) patterns.add(d.pattern);
            } else if (out.size < MAX_GREP_TOTAL_FILES)
              out.set(uri, new Set(d.pattern === undefined ? [] : [d.pattern]));
            else if (over) over.add(uri);
            else break;
          }
        }
      }
    }
  }
  return out;
}

/**
 * The documents of a listing that `grep_*` checks will search, as far as the listing
 * tells before the documents are read (the index then holds the gate files, the other
 * files and the documents taken from a cache so far): their texts can be kept as they are
 * read instead of read again.
 * Only a hint; `loadGateInputs` decides, after loading, what is searched. A document not
 * yet indexed counts as named only as it is listed (not in another Unicode normal form):
 * one named in another form is read again after the load.
 */
export function grepTargetsBeforeLoad(
  index: WorkspaceIndex,
  docs: readonly FileEntry[],
): Map<string, Set<string>> {
  const envs = new Map<string, FilesEnv>();
  const envOf = (folder: string): FilesEnv => {
    let env = envs.get(folder);
    if (!env) {
      const files = [...index.filesOf(folder)];
      for (const d of docs) {
        const rel = relativePath(folder, d.uri);
        // (documents already indexed are among the folder's files)
        if (rel !== undefined && !index.get(d.uri)) files.push(rel);
      }
      files.sort();
      // A path listed as written exists (`filesFor` looks first); else the index answers
      // for the files it holds.
      env = folderFiles(index, folder, () => files);
      envs.set(folder, env);
    }
    return env;
  };
  const targets = grepTargets(index, envOf);
  const out = new Map<string, Set<string>>();
  for (const d of docs) {
    const patterns = targets.get(d.uri);
    if (patterns) out.set(d.uri, patterns);
  }
  return out;
}

/**
 * Reads the files the gate files' `grep_*` checks search (all of them, or only `uris`),
 * so that checks stay synchronous, keeping what they need of each (`GateStore.setText`:
 * the part searched, or only the answers of plain-text patterns). Unreadable files, and
 * those past MAX_GREP_TOTAL_FILES, are left unread, with the reason. `missing`: only
 * files whose kept answers lack a pattern now searched in them (a gate file edited).
 * `known`: answers found as a file was read (`freeAnswers`), used when they answer every
 * pattern searched in it.
 */
export async function loadGateInputs(
  index: WorkspaceIndex,
  read: (uri: string) => Promise<string | undefined>,
  uris?: Iterable<string>,
  missing = false,
  known?: (uri: string) => ReadonlyMap<string, SearchResult> | undefined,
): Promise<void> {
  if (index.gates.size === 0) return;
  const over = new Set<string>();
  const targets = grepTargets(index, undefined, over);
  for (const uri of uris ?? [...targets.keys(), ...over]) {
    const patterns = targets.get(uri);
    if (missing && patterns && index.gates.answersAll(uri, patterns)) continue;
    if (!patterns) {
      if (over.has(uri)) index.gates.setText(uri, undefined, TOTAL_REASON, undefined, true);
      else index.gates.setText(uri, undefined);
      continue;
    }
    const answers = known?.(uri);
    if (answers && [...patterns].every((p) => answers.has(p))) {
      // (answers of patterns no check searches here any more ask nothing)
      index.gates.setAnswers(uri, answers);
      continue;
    }
    let text: string | undefined;
    let why: string | undefined;
    try {
      text = await read(uri);
    } catch (e) {
      why = e instanceof Error && e.message !== '' ? `could not be read: ${e.message}` : undefined;
    }
    index.gates.setText(uri, text, why ?? (text === undefined ? 'could not be read' : undefined), patterns);
  }
}
