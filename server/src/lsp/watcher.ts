import { relative, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { FileChangeType, type FileEvent } from 'vscode-languageserver';
import { CONFIRMATIONS_FILE } from '../core/gates/store';
import type { FileFilter } from '../core/load';
import { fileUri } from '../core/paths';

export interface FolderWatcherOptions {
  /** Quiet time after the last event before a batch is delivered. */
  debounceMs?: number;
  /** A batch is delivered at the latest this long after its first event, however busy the disk. */
  maxDelayMs?: number;
  /** At most this many folders are watched; deeper or later ones are left out, with a warning. */
  maxFolders?: number;
  /** A batch holding more distinct paths than this is cut short and delivered as is. */
  maxBatch?: number;
}

/**
 * Watches the workspace folders on disk for a client that cannot watch for the server
 * (no dynamic registration of `workspace/didChangeWatchedFiles`). Its batches are shaped
 * like that notification's changes, so they take the same path through the server.
 *
 * Bounded: folders excluded by `cdp.files.exclude` are never entered (nor symlinked
 * folders), at most `maxFolders` folders are watched, events are coalesced per path and
 * delivered in debounced batches.
 */
export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private readonly batch = new Map<string, FileChangeType>();
  private timer: NodeJS.Timeout | undefined;
  private firstEventAt = 0;
  private readonly folders = new Set<string>();
  private warnedLimit = false;
  private readonly debounceMs: number;
  private readonly maxDelayMs: number;
  private readonly maxFolders: number;
  private readonly maxBatch: number;

  constructor(
    private readonly roots: string[],
    private readonly filter: () => FileFilter,
    private readonly onChanges: (changes: FileEvent[]) => void,
    private readonly warn: (message: string) => void,
    opts: FolderWatcherOptions = {},
  ) {
    this.debounceMs = opts.debounceMs ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 1000;
    this.maxFolders = opts.maxFolders ?? 20_000;
    this.maxBatch = opts.maxBatch ?? 10_000;
  }

  /** Starts (or, after a settings change, restarts) watching; resolves once the folders are scanned. */
  async start(): Promise<void> {
    await this.stop();
    if (this.roots.length === 0) return;
    this.folders.clear();
    this.warnedLimit = false;
    const filter = this.filter();
    const w = watch(this.roots, {
      ignoreInitial: true,
      followSymlinks: false,
      persistent: true,
      ignored: (path, stats) => this.ignored(filter, path, stats),
    });
    this.watcher = w;
    w.on('add', (p) => this.queue(p, FileChangeType.Created));
    w.on('change', (p) => this.queue(p, FileChangeType.Changed));
    w.on('unlink', (p) => this.queue(p, FileChangeType.Deleted));
    w.on('unlinkDir', (p) => this.queue(p, FileChangeType.Deleted));
    w.on('error', (e) =>
      this.warn(
        `Watching the workspace folders for changes on disk failed: ${e instanceof Error ? e.message : String(e)}. ` +
          'Changes made outside the editor may not be seen until the server restarts.',
      ),
    );
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.batch.clear();
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }

  private ignored(filter: FileFilter, path: string, stats?: { isDirectory(): boolean }): boolean {
    const root = this.roots.find((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
    if (root === undefined) return true;
    const rel = relative(root, path).split(sep).join('/');
    if (rel === '') return false;
    // the confirmations of manual gate items, in a dot folder that is otherwise not entered
    const lower = rel.toLowerCase();
    if (lower === CONFIRMATIONS_FILE || CONFIRMATIONS_FILE.startsWith(`${lower}/`)) return false;
    const segs = rel.split('/');
    for (let i = 1; i < segs.length; i++) if (filter.skipDirectory(segs.slice(0, i).join('/'))) return true;
    if (!stats?.isDirectory()) return false;
    if (filter.skipDirectory(rel)) return true;
    if (!this.folders.has(path)) {
      if (this.folders.size >= this.maxFolders) {
        if (!this.warnedLimit) {
          this.warnedLimit = true;
          this.warn(
            `More than ${this.maxFolders} folders to watch: changes on disk in the others are not seen. ` +
              'Narrow cdp.files.exclude, or use an editor that watches files for the server.',
          );
        }
        return true;
      }
      this.folders.add(path);
    }
    return false;
  }

  private queue(path: string, type: FileChangeType): void {
    const uri = fileUri(path);
    const before = this.batch.get(uri);
    // Created then changed is still a creation; anything then deleted is a deletion.
    this.batch.set(uri, before === FileChangeType.Created && type === FileChangeType.Changed ? before : type);
    const now = Date.now();
    if (!this.timer) this.firstEventAt = now;
    if (this.timer) clearTimeout(this.timer);
    if (this.batch.size >= this.maxBatch) {
      this.deliver();
      return;
    }
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstEventAt + this.maxDelayMs - now));
    this.timer = setTimeout(() => this.deliver(), wait);
  }

  private deliver(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.size === 0) return;
    const changes = [...this.batch].map(([uri, type]) => ({ uri, type }));
    this.batch.clear();
    this.onChanges(changes);
  }
}
