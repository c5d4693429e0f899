import type { FileOperationRegistrationOptions } from 'vscode-languageserver';
import type { CdpConfig } from '../core/config';
import { CONFIRMATIONS_FILE } from '../core/gates/store';
import type { WorkspaceIndex } from '../core/index';
import { FileFilter, unreadableReason } from '../core/load';
import { canonicalUri, joinUri } from '../core/paths';
import { linkKey } from '../core/resolve';
import { trimEndSlashes } from '../core/text';
import type { Workspace } from '../core/workspace';
import type { NodeFsWorkspace } from '../node/fs-workspace';
import { inSkippedFolder } from './document-scope';

/** What the file-event handling needs from the server. */
export interface FileEventHost {
  readonly index: WorkspaceIndex;
  readonly config: CdpConfig;
  readonly disk: NodeFsWorkspace;
  /** Changes whenever the index is rebuilt. */
  readonly generation: number;
  /** Resolves when the index is built. */
  ready(): Promise<void>;
  /** The editor has this (canonical) URI open: its text, not the disk's, counts. */
  isOpen(uri: string): boolean;
  /** Indexes a document's new text (undefined: it is gone) and queues what it affects. */
  update(uri: string, text: string | undefined): void;
  /** A non-markdown file appeared or vanished: queue the documents linking to its name. */
  otherFileChanged(uri: string): void;
  /** A non-markdown file known before changed on disk: what reads its text (gate files' searches) reads it again. */
  otherFileEdited(uri: string): void;
  log(line: string): void;
}

const MAX_URI_LENGTH = 32 * 1024;

/**
 * Applies `workspace/didChangeWatchedFiles`. An event says only "look at this path
 * again": the path is checked against the disk as it is when the event is applied, so
 * the order of events (a delete after the create that replaced it, in one batch or
 * two) does not matter, and the event type is not trusted. A path that is a folder is
 * listed with the same include/exclude rules as the initial indexing (a folder moved
 * in); documents indexed below a path that is no longer a folder are dropped (a folder
 * deleted or moved away). Events are applied one batch at a time, in order.
 * Malformed events are logged and ignored.
 */
export class FileEvents {
  private readonly queue = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly host: FileEventHost) {}

  /** Takes the params of a didChangeWatchedFiles notification. Never throws. */
  accept(params: unknown): void {
    const changes =
      params !== null && typeof params === 'object' ? (params as { changes?: unknown }).changes : undefined;
    if (!Array.isArray(changes)) {
      this.host.log(
        `Ignored a malformed file-change notification: changes is ${describe(changes)}, not a list.`,
      );
      return;
    }
    for (const c of changes) {
      const uri = eventUri(c);
      if (uri === undefined) {
        this.host.log(`Ignored a malformed file-change event: ${describe(c)}`);
        continue;
      }
      this.queue.add(uri);
    }
    this.kick();
  }

  /**
   * Takes the params of a `workspace/didRenameFiles`, `didCreateFiles` or `didDeleteFiles`
   * notification (the editor's own file operations). They are hints like watcher events:
   * each path named (both sides of a rename) is queued and checked against the disk, so
   * the watcher events for the same change, before or after, leave the same index.
   * Never throws.
   */
  acceptFileOperation(method: FileOperation, params: unknown): void {
    const files =
      params !== null && typeof params === 'object' ? (params as { files?: unknown }).files : undefined;
    if (!Array.isArray(files)) {
      this.host.log(`Ignored a malformed ${method} notification: files is ${describe(files)}, not a list.`);
      return;
    }
    for (const f of files) {
      const uris =
        f === null || typeof f !== 'object'
          ? []
          : method === 'workspace/didRenameFiles'
            ? [(f as { oldUri?: unknown }).oldUri, (f as { newUri?: unknown }).newUri]
            : [(f as { uri?: unknown }).uri];
      const canonical = uris.map(fileUriOf);
      if (canonical.length === 0 || canonical.some((u) => u === undefined)) {
        this.host.log(`Ignored a malformed ${method} entry: ${describe(f)}`);
        continue;
      }
      for (const u of canonical) this.queue.add(u as string);
    }
    this.kick();
  }

  /** Resolves once every event received so far is applied. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running || this.queue.size === 0) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.queue.size > 0) {
      await this.host.ready();
      const batch = [...this.queue];
      this.queue.clear();
      const generation = this.host.generation;
      try {
        await this.apply(batch);
      } catch (e) {
        this.host.log(`File changes not applied: ${e instanceof Error ? e.message : String(e)}`);
      }
      // Rebuilt meanwhile: the new index may have been listed before these changes.
      if (this.host.generation !== generation) for (const u of batch) this.queue.add(u);
    }
  }

  private async apply(batch: string[]): Promise<void> {
    const { index, disk } = this.host;
    const filter = new FileFilter(this.host.config);
    const onDisk = new Set<string>();
    const gone = new Set<string>(); // paths that are no file now: whatever is indexed below them goes
    const paths = new Set<string>();
    for (const uri of batch) {
      // The workspace folder itself (created after the start, deleted, or changed as a
      // whole; queued without a trailing slash): every path in it is looked at again.
      const where = index.folders.includes(uri) ? { folder: uri, rel: '' } : index.locate(uri);
      if (!where) continue;
      // The confirmations file when the event is for a folder holding it (`.cdp` created or
      // deleted as a whole, as editors report a folder): its presence is read again.
      const confirmations = joinUri(where.folder, CONFIRMATIONS_FILE);
      if (confirmations !== uri && isBelow(confirmations, new Set([trimEndSlashes(uri)]))) {
        paths.add(confirmations);
        if ((await disk.kind(confirmations)) === 'file') onDisk.add(confirmations);
      }
      // .cdp/confirmations.yml lives in a dot folder, which is not indexed, yet gate checks read it
      if (inSkippedFolder(filter, where.rel) && !index.isConfirmationsFile(uri)) {
        // A file in a folder the walk does not enter is known only as a link target (a
        // library's `.ddx/…/x.md`, found by the load for the links naming it): still a file,
        // it stays one (a change is no deletion), and a new one a link names becomes one.
        if ((await disk.kind(uri)) === 'file') {
          if (!index.hasOtherFile(uri) && index.linkersOf([linkKey(where.rel)]).size > 0) {
            index.addOtherFile(uri);
            this.host.otherFileChanged(uri);
          }
          continue;
        }
        paths.add(uri);
        gone.add(uri);
        continue;
      }
      paths.add(uri);
      const kind = await disk.kind(uri);
      if (kind === 'file') {
        onDisk.add(uri);
        // A folder turned (back) into a file: what was indexed inside it is gone.
        if (index.holdsFolder(uri)) gone.add(uri);
        continue;
      }
      gone.add(uri);
      if (kind === 'directory' && (where.rel === '' || !filter.skipDirectory(where.rel))) {
        // (a folder gone again since: nothing on disk there)
        const files = await disk
          .listFiles(where.folder, (rel) => filter.skipDirectory(rel), where.rel)
          .catch(() => []);
        for (const f of files)
          if (f.folderLink) continue;
          else if (f.unusable === undefined) onDisk.add(canonicalUri(f.uri));
          // A gate file there that cannot be read is looked at: it fails its phase.
          else if (index.isGateFile(f.uri)) paths.add(canonicalUri(f.uri));
      }
    }
    if (gone.size > 0) {
      for (const e of index.all()) if (isBelow(e.uri, gone)) paths.add(e.uri);
      for (const folder of index.folders)
        for (const u of index.otherFileUris(folder)) {
          // Files in folders the listing does not enter (`.ddx/`, found for the links that
          // name them) are not listed again: only their own events change them.
          const at = index.locate(u);
          if (isBelow(u, gone) && !(at && inSkippedFolder(filter, at.rel))) paths.add(u);
        }
    }
    for (const u of onDisk) paths.add(u);
    for (const uri of [...paths].sort()) await this.recheck(uri, onDisk.has(uri), filter);
  }

  /** Brings one path's entry in line with the disk. */
  private async recheck(uri: string, present: boolean, filter: FileFilter): Promise<void> {
    const { index, disk } = this.host;
    const where = index.locate(uri);
    if (!where) return;
    const isMd = /\.md$/i.test(where.rel);
    // An open document's text is the editor's. A file that is no document is known by
    // its presence on disk, open or not (an open gate file's or confirmations file's
    // text is the editor's too: the server reads it from there).
    if (this.host.isOpen(uri) && (isMd || index.get(uri))) return;
    if (present && isMd && filter.isDocument(where.rel)) {
      const { text, unread } = await readDiskDocument(disk, uri, this.host.config);
      if (this.host.isOpen(uri)) return; // opened meanwhile
      if (unread !== undefined) this.host.log(`${uri}: ${unread}`);
      this.host.update(uri, text);
      if (noteUnreadFile(index, uri, unread)) this.host.otherFileChanged(uri);
      return;
    }
    if (index.get(uri)) this.host.update(uri, undefined);
    if (present && !isMd) {
      // Known in other letter case only (a case-only rename, its new name seen first): the
      // file is the same, under its name as it is now.
      if (!index.hasOtherFile(uri) || index.pathOnDisk(where.folder, where.rel) !== where.rel) {
        index.addOtherFile(uri);
        this.host.otherFileChanged(uri);
      } else if (index.isGateFile(uri) || index.isConfirmationsFile(uri)) {
        // Gate files are read by their content, not only their presence.
        this.host.otherFileChanged(uri);
      } else this.host.otherFileEdited(uri);
    } else if (index.hasOtherFile(uri)) {
      index.removeOtherFile(uri);
      this.host.otherFileChanged(uri);
    } else if (!present && index.isConfirmationsFile(uri)) {
      // Read at the start without being listed (it lies in a dot-folder): its deletion
      // withdraws every confirmation all the same.
      this.host.otherFileChanged(uri);
    } else if (
      !present &&
      index.isGateFile(uri) &&
      (index.gates.get(uri) || (!inSkippedFolder(filter, where.rel) && (await disk.lexists(uri))))
    ) {
      // A gate file that is no readable file (a FIFO, a symlink leading outside: read as
      // unreadable) came, or one known unreadable went.
      this.host.otherFileChanged(uri);
    }
  }
}

/**
 * A document's text on disk, or, for a file that is there but not read (too large, binary,
 * permission denied), why: as the load says it. Neither for a file that is gone.
 */
export async function readDiskDocument(
  disk: Workspace,
  uri: string,
  config: CdpConfig,
): Promise<{ text?: string; unread?: string }> {
  let text: string;
  try {
    text = await disk.readText(uri);
  } catch (e) {
    // (deleted again: nothing to tell)
    if ((e as { code?: string }).code === 'ENOENT') return {};
    return { unread: e instanceof Error ? e.message : String(e) };
  }
  const reason = unreadableReason(text, config);
  return reason ? { unread: reason } : { text };
}

/**
 * Records a markdown file that is there but not read (`unread`, why), as the load does: a
 * file links reach, a phase not read. Read again or gone (undefined), it is that no longer.
 * Whether anything changed (links to it then resolve otherwise).
 */
export function noteUnreadFile(index: WorkspaceIndex, uri: string, unread: string | undefined): boolean {
  if (unread !== undefined) {
    index.addOtherFile(uri, true, unread);
    return true;
  }
  if (!index.hasOtherFile(uri)) return false;
  index.removeOtherFile(uri);
  return true;
}

/** The file operation notifications, whose params name files rather than changes. */
export type FileOperation =
  | 'workspace/didRenameFiles'
  | 'workspace/didCreateFiles'
  | 'workspace/didDeleteFiles';
export const FILE_OPERATIONS: readonly FileOperation[] = [
  'workspace/didRenameFiles',
  'workspace/didCreateFiles',
  'workspace/didDeleteFiles',
];

/**
 * The files whose file operations (`willRename`, `didRename`, `didCreate`, `didDelete`)
 * the server wants to hear of: every path, files and folders alike (a folder moved or
 * deleted carries documents with it; links name images and other files). No filter says
 * `matches: 'file' | 'folder'`: to apply one, the client looks the path up on disk, which
 * fails for a path already gone (a deletion, the old side of a rename, a created file
 * removed again by undo) and is reported to the user as "Failed to determine file type".
 * The server sorts out what it hears itself: each path is checked against the disk and
 * the include/exclude rules (`FileEvents.apply`).
 */
export const FILE_OPERATION_FILTERS: FileOperationRegistrationOptions['filters'] = [
  { scheme: 'file', pattern: { glob: '**/*' } },
];

/** The canonical URI of a well-formed event (a `file:` URI and a known change type), else undefined. */
function eventUri(c: unknown): string | undefined {
  if (c === null || typeof c !== 'object') return undefined;
  const { uri, type } = c as { uri?: unknown; type?: unknown };
  if (type !== 1 && type !== 2 && type !== 3) return undefined;
  return fileUriOf(uri);
}

/** The canonical form of a `file:` URI, without a trailing slash; undefined for anything else. */
function fileUriOf(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI_LENGTH) return undefined;
  if (!/^file:/i.test(uri)) return undefined;
  try {
    // A folder may be named with a trailing slash; the index names it without.
    return canonicalUri(/[^/]\/+$/.test(uri) ? trimEndSlashes(uri) : uri);
  } catch {
    return undefined; // not a URI at all
  }
}

/** Whether `uri` is one of `folders`, or inside one. */
function isBelow(uri: string, folders: Set<string>): boolean {
  if (folders.has(uri)) return true;
  let u = uri;
  for (let i = u.lastIndexOf('/'); i > 'file://'.length; i = u.lastIndexOf('/')) {
    u = u.slice(0, i);
    if (folders.has(u)) return true;
  }
  return false;
}

function describe(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
