import type { WorkspaceIndex } from '../index';
import { joinUri } from '../paths';
import { filesFor } from './evaluate';

/** At most this many files are read for `grep_*` checks per workspace. */
export const MAX_GREP_FILES = 2000;
/** Files larger than this are not searched. */
export const MAX_GREP_FILE_CHARS = 1024 * 1024;

/** Every file (URI) a `grep_present` / `grep_absent` check of any gate file searches. */
export function grepTargets(index: WorkspaceIndex): Set<string> {
  const out = new Set<string>();
  for (const g of index.gates.all()) {
    const env = {
      files: () => index.filesOf(g.folder),
      isFile: (rel: string) =>
        index.docAt(g.folder, rel) !== undefined || index.otherFileExists(g.folder, rel),
    };
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
