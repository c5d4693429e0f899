import type { WorkspaceIndex } from '../index';
import { joinUri, relativePath } from '../paths';
import type { FileEntry } from '../workspace';
import { type FilesEnv, filesFor } from './evaluate';

/** At most this many files are read for `grep_*` checks per workspace. */
export const MAX_GREP_FILES = 2000;
/** Files larger than this are not searched. */
export const MAX_GREP_FILE_CHARS = 1024 * 1024;

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
    isFile: (rel) => index.docAt(folder, rel) !== undefined || index.otherFileExists(folder, rel),
    inAnyCase: (rel) => index.fileInAnyCase(folder, rel),
    onDisk: (rel) => index.pathOnDisk(folder, rel),
  };
}

/** Every file (URI) a `grep_present` / `grep_absent` check of any gate file searches. */
export function grepTargets(
  index: WorkspaceIndex,
  envOf: (folder: string) => FilesEnv = (folder) => folderFiles(index, folder),
): Set<string> {
  const out = new Set<string>();
  for (const g of index.gates.all()) {
    const env = envOf(g.folder);
    for (const group of g.parsed.groups) {
      for (const d of group.items) {
        if (d.check !== 'grep_present' && d.check !== 'grep_absent') continue;
        for (const p of [d.path, ...(d.fallbackPaths ?? [])]) {
          if (!p) continue;
          for (const rel of filesFor(env, p)) {
            if (out.size >= MAX_GREP_FILES) return out;
            out.add(joinUri(g.folder, rel));
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
 * yet indexed counts as named only as it is listed (not in another case): one named in
 * another case is read again after the load.
 */
export function grepTargetsBeforeLoad(index: WorkspaceIndex, docs: readonly FileEntry[]): Set<string> {
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
  const out = new Set<string>();
  for (const d of docs) if (targets.has(d.uri)) out.add(d.uri);
  return out;
}

/**
 * Reads the files the gate files' `grep_*` checks search (all of them, or only `uris`),
 * so that checks stay synchronous. Unreadable and oversized files are left unread.
 */
export async function loadGateInputs(
  index: WorkspaceIndex,
  read: (uri: string) => Promise<string | undefined>,
  uris?: Iterable<string>,
): Promise<void> {
  if (index.gates.size === 0) return;
  const targets = grepTargets(index);
  for (const uri of uris ?? targets) {
    if (!targets.has(uri)) {
      index.gates.setText(uri, undefined);
      continue;
    }
    let text: string | undefined;
    try {
      text = await read(uri);
    } catch {
      text = undefined;
    }
    index.gates.setText(uri, text !== undefined && text.length <= MAX_GREP_FILE_CHARS ? text : undefined);
  }
}
