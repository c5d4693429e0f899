import type { CdpConfig } from '../core/config';
import { FileFilter } from '../core/load';

/**
 * Whether a path (relative to its workspace folder) is one the server indexes: a `.md`
 * file matched by `cdp.files.include`, not matched by `cdp.files.exclude`, and not inside
 * an excluded folder. The same test for documents on disk, documents the editor opens
 * and files the watcher reports, so an excluded document opened in the editor (a
 * `.history/` copy, a `.markdown` file) is never indexed.
 */
export function isIndexedPath(filter: FileFilter | CdpConfig, rel: string): boolean {
  const f = filter instanceof FileFilter ? filter : new FileFilter(filter);
  return f.isDocument(rel) && !inSkippedFolder(f, rel);
}

/** Whether a folder above `rel` is one the walk never enters. */
export function inSkippedFolder(filter: FileFilter, rel: string): boolean {
  const segs = rel.split('/');
  for (let i = 1; i < segs.length; i++) if (filter.skipDirectory(segs.slice(0, i).join('/'))) return true;
  return false;
}
