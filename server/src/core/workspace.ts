/**
 * The one way the core reaches documents. The language server backs it with the
 * editor's open documents plus the disk, the `cdp` command with the disk alone, and
 * tests with memory.
 */

export interface FileEntry {
  uri: string;
  /** Size in bytes, when the listing knows it. */
  size?: number;
  /**
   * Listed but not readable, and why: a gate file that is no regular file or a symlink
   * leading outside the folder (its phase must not pass as if it had none), a file or
   * folder whose name is not valid UTF-8. Such entries are told, never read or entered.
   */
  unusable?: string;
  /** An `unusable` entry that is a folder (one that cannot be listed, or so named). */
  folder?: true;
  /**
   * A symbolic link to a folder inside the workspace folder: listed, never entered (no
   * loops, no document twice). Links through it are looked up on disk, as links into
   * the folders the listing skips are.
   */
  folderLink?: true;
}

export interface FileStat {
  type: 'file' | 'directory';
  size: number;
}

export interface Workspace {
  /** Workspace folder URIs. Nothing outside them is ever listed or read. */
  readonly folders: readonly string[];
  /**
   * Every file under a folder, except folders the filter excludes (so the walk never
   * enters them). Symlink loops, unreadable folders and dangling links are skipped.
   */
  listFiles(
    folder: string,
    skipDirectory: (relPath: string) => boolean,
    under?: string,
  ): Promise<FileEntry[]>;
  /** The text of a document (a BOM removed); throws an Error with a readable message. */
  readText(uri: string): Promise<string>;
  stat(uri: string): Promise<FileStat | undefined>;
  /**
   * Resolves after other pending work of the host (I/O, a cancellation, a progress
   * message) has had its turn; long loops of the core call it now and then. Without it
   * the core only lets queued promise callbacks run.
   */
  yieldToHost?(): Promise<void>;
  /**
   * How long a long loop of the core may run before it calls `yieldToHost` (15 ms when
   * absent). A host asks for less while something it has to do between slices is waiting,
   * such as output the client has not taken yet.
   */
  sliceMs?(): number;
}

/** A cancellation signal the core polls between units of work. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: Cancellation = { isCancellationRequested: false };
