import {
  closeSync,
  constants,
  type Dirent,
  existsSync,
  promises as fs,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
} from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { GATE_FILE_NAME } from '../core/gates/parse';
import { fileUri, relativePath, uriToFsPath } from '../core/paths';
import { trimEndSlashes } from '../core/text';
import type { FileEntry, FileStat, Workspace } from '../core/workspace';
import { decodeDocument } from './decode';

// No symlink as the last component, and never block on a FIFO named like a document.
const NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
const READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const DIR_CACHE_MS = 2000;
/** A listing reads folders for at most this long before it lets other work run. */
const LIST_SLICE_MS = 10;

/** A file's text, and whether its bytes were not valid UTF-8 (U+FFFD stands for them). */
interface DecodedText {
  text: string;
  lossy: boolean;
}

/**
 * The disk as a Workspace. Only files inside the folders are listed or read: symlinks
 * are followed only when their real path stays inside the folder, symlinked folders
 * are not entered (no loops), and reads outside the folders are refused.
 */
export class NodeFsWorkspace implements Workspace {
  readonly folders: readonly string[];
  private readonly realRoots: string[];
  private readonly dirCache = new Map<string, { real: Promise<string>; at: number }>();
  private buffer = Buffer.allocUnsafe(64 * 1024);

  constructor(folderPaths: readonly string[]) {
    this.folders = folderPaths.map((p) => fileUri(p));
    this.realRoots = folderPaths.map((p) => {
      try {
        return realpathSync(p);
      } catch {
        return p;
      }
    });
  }

  /**
   * Files of a workspace folder, or only those below `under` (a folder-relative path,
   * which must itself be a folder reached without a symlink).
   *
   * Folders are read synchronously, in slices of LIST_SLICE_MS between which other work
   * runs: one asynchronous read per folder waits for a thread of the pool every time, and
   * a workspace of 10,000 documents in 3,700 folders listed that way took 0.2–0.3 s
   * longer (and more CPU) than reading them in turn.
   */
  async listFiles(folder: string, skipDirectory: (rel: string) => boolean, under = ''): Promise<FileEntry[]> {
    const i = this.folders.indexOf(folder);
    if (i === -1) throw new Error(`not a workspace folder: ${folder}`);
    const root = uriToFsPath(folder);
    const realRoot = this.realRoots[i];
    const out: FileEntry[] = [];
    const stack: string[] = [under];
    let slice = performance.now();
    while (stack.length > 0) {
      if (performance.now() - slice > LIST_SLICE_MS) {
        await this.yieldToHost();
        slice = performance.now();
      }
      const relDir = stack.pop()!;
      // A walk of the whole folder reaches this folder through real folders only (it
      // never enters a symlink), so its real path is known without asking the disk:
      // reads of the files listed here need no realpath of their own while it is fresh.
      const dirAbs = join(root, relDir);
      if (under === '') this.rememberDir(dirAbs, join(realRoot, relDir));
      let entries: Dirent[];
      try {
        entries = readdirSync(dirAbs, { withFileTypes: true });
      } catch (e) {
        // The folder listed itself missing or no folder: said (as "cannot list folder").
        if (relDir === under) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new Error(
            code === 'ENOENT'
              ? 'no such folder (nothing is indexed there until it is created)'
              : code === 'ENOTDIR'
                ? 'not a folder'
                : (code ?? String(e)),
          );
        }
        // A folder inside it that cannot be listed is said (its phases would vanish
        // without a word); one that vanished meanwhile is not.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR')
          out.push({
            uri: fileUri(dirAbs),
            unusable: `cannot list folder: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(e))}`,
            folder: true,
          });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const d of entries) {
        const rel = relDir ? `${relDir}/${d.name}` : d.name;
        const abs = childPath(dirAbs, d.name);
        // A name that is not valid UTF-8 comes decoded with U+FFFD, a path that names
        // nothing: said, not silently left out (a phase folder would vanish).
        if (d.name.includes('\uFFFD') && !existsSync(abs)) {
          out.push({
            uri: fileUri(abs),
            unusable: `not read: the name of this ${d.isDirectory() ? 'folder' : 'file'} is not valid UTF-8`,
            ...(d.isDirectory() ? { folder: true as const } : {}),
          });
          continue;
        }
        if (d.isDirectory()) {
          if (!skipDirectory(rel)) stack.push(rel);
        } else if (d.isFile()) {
          out.push({ uri: fileUri(abs) });
        } else if (d.isSymbolicLink()) {
          // A gate file that is not read is told: its phase would pass as if it had none.
          const gate = GATE_FILE_NAME.test(d.name);
          try {
            const real = await fs.realpath(abs);
            if (!isInside(realRoot, real)) {
              if (gate)
                out.push({
                  uri: fileUri(abs),
                  unusable: 'a symbolic link to a file outside the workspace folder, which is not read',
                });
              continue;
            }
            const st = await fs.stat(real);
            if (st.isFile()) out.push({ uri: fileUri(abs), size: st.size });
            else if (st.isDirectory()) out.push({ uri: fileUri(abs), folderLink: true });
            else if (gate) out.push({ uri: fileUri(abs), unusable: 'not a regular file' });
          } catch {
            if (gate) out.push({ uri: fileUri(abs), unusable: 'a symbolic link to nothing' });
          }
        } else if (GATE_FILE_NAME.test(d.name)) {
          out.push({ uri: fileUri(abs), unusable: 'not a regular file' });
        }
      }
    }
    return out;
  }

  /** Files whose last read was not valid UTF-8 (see `notUtf8`). */
  private readonly lossy = new Set<string>();

  /**
   * Whether the last read of `uri` was not valid UTF-8: its text has U+FFFD where the
   * bytes could not be decoded, so writing that text back would replace them (a Latin-1
   * `é`). Edits to such a file are not offered while it is closed.
   */
  notUtf8(uri: string): boolean {
    return this.lossy.has(uri);
  }

  async readText(uri: string): Promise<string> {
    this.lossy.delete(uri);
    const { text, lossy } = await this.readTextOf(uri);
    if (lossy) this.lossy.add(uri);
    return text;
  }

  private async readTextOf(uri: string): Promise<DecodedText> {
    const i = this.folderIndex(uri);
    const path = uriToFsPath(uri);
    // The folder holding the file must really be inside the workspace folder, and the
    // file itself is opened without following a symlink; a symlinked file is read only
    // when its real path stays inside.
    const dirReal = await this.realDir(dirname(path));
    if (!isInside(this.realRoots[i], dirReal)) throw new Error('the file is outside the workspace folder');
    try {
      return this.readFileText(childPath(dirReal, basename(path)), NOFOLLOW);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOOP')
        throw Object.assign(
          new Error(
            code === 'ENOENT'
              ? 'no such file'
              : code === 'EACCES' || code === 'EPERM'
                ? 'permission denied'
                : code === 'EISDIR'
                  ? 'not a regular file'
                  : (code ?? 'error'),
          ),
          { code },
        );
    }
    const real = await this.checkInside(uri);
    return this.readFileText(real, READ);
  }

  /**
   * Reads a small file into one reused buffer and decodes it: no allocation per file
   * outside the JavaScript heap (which fragments native memory over 10,000 reads).
   * Synchronous on purpose: one document is a few kilobytes; the loader yields between
   * documents. `lossy` comes with the text: reads run interleaved, so a flag kept beside
   * them could be another file's by the time it is read.
   */
  private readFileText(path: string, flags: number): DecodedText {
    const fd = openSync(path, flags);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      if (st.size > this.buffer.length)
        this.buffer = Buffer.allocUnsafe(Math.max(st.size, this.buffer.length * 2));
      let n = 0;
      for (;;) {
        if (n === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, n);
          this.buffer = bigger;
        }
        const got = readSync(fd, this.buffer, n, this.buffer.length - n, null);
        if (got === 0) break;
        n += got;
        // Reading exactly the size the file had when opened is the whole file: one read
        // call per document. Otherwise (it changed meanwhile) read on to the end.
        if (n === st.size) break;
      }
      // (UTF-16 with its byte order mark too, as an editor reads it: never written back)
      return decodeDocument(this.buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Starts the folder lookups that reads of these files will need, all at once: a batch
   * read one file after another then waits for at most one lookup round instead of one
   * per folder whose real path is no longer fresh. Nothing is trusted longer for it.
   */
  prefetchFolders(uris: readonly string[]): void {
    for (const uri of uris) {
      try {
        this.folderIndex(uri); // only files of the workspace folders, as reads
        void this.realDir(dirname(uriToFsPath(uri)));
      } catch {
        // outside the folders: its read reports that
      }
    }
  }

  /** Names of the entries of a folder inside the workspace (for case-insensitive checks). */
  async listNames(dirUri: string): Promise<string[]> {
    const i = this.folderIndex(dirUri.endsWith('/') ? dirUri : `${dirUri}/x`);
    const real = await this.realDir(uriToFsPath(dirUri));
    if (!isInside(this.realRoots[i], real)) throw new Error('the folder is outside the workspace folder');
    return fs.readdir(real);
  }

  /** Whether anything is at `uri`'s path (a file, folder, FIFO, symlink: not followed). */
  async lexists(uri: string): Promise<boolean> {
    try {
      this.folderIndex(uri);
      await fs.lstat(uriToFsPath(uri));
      return true;
    } catch {
      return false;
    }
  }

  async stat(uri: string): Promise<FileStat | undefined> {
    try {
      const path = await this.checkInside(uri);
      const st = await fs.stat(path);
      return { type: st.isDirectory() ? 'directory' : 'file', size: st.size };
    } catch {
      return undefined;
    }
  }

  /**
   * Whether a new file may be created at `uri`: nothing exists at its path (a dangling
   * symlink counts: writing through it would land elsewhere) and the real path of the
   * nearest folder on the way that exists is inside the workspace folder, so neither
   * a symlinked folder nor `..` can carry the new file outside.
   */
  async canCreate(uri: string): Promise<boolean> {
    let i: number;
    try {
      i = this.folderIndex(uri);
    } catch {
      return false;
    }
    const path = uriToFsPath(uri);
    try {
      await fs.lstat(path);
      return false; // something is there already
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      try {
        const st = await fs.lstat(dir);
        if (!st.isDirectory() && !st.isSymbolicLink()) return false;
        const real = await fs.realpath(dir);
        return isInside(this.realRoots[i], real) && (await fs.stat(real)).isDirectory();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
        // a dangling link on the way counts as something there: refuse
        if (await lexists(dir)) return false;
      }
      if (dirname(dir) === dir) return false;
    }
  }

  /**
   * What a listing of the workspace would make of this path now: `file` (a regular
   * file, or a symlink to one inside the folder), `directory` (a folder the walk
   * enters: not a symlink, nor below one), or undefined (absent, or not listed).
   */
  async kind(uri: string): Promise<'file' | 'directory' | undefined> {
    // A workspace folder itself: a folder while it exists as one.
    const root = this.folders.find((f) => f === trimEndSlashes(uri));
    if (root !== undefined) {
      const st = await fs.stat(uriToFsPath(root)).catch(() => undefined);
      return st?.isDirectory() ? 'directory' : undefined;
    }
    let i: number;
    try {
      i = this.folderIndex(uri);
    } catch {
      return undefined;
    }
    const rel = relativePath(this.folders[i], uri);
    if (rel === undefined) return undefined;
    const path = uriToFsPath(uri);
    if (rel === '') return 'directory';
    try {
      // Every folder on the way must be a real folder: the walk does not enter symlinks.
      const parentRel = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      const parentReal = await fs.realpath(dirname(path));
      if (parentReal !== join(this.realRoots[i], ...parentRel.split('/').filter(Boolean))) return undefined;
      const st = await fs.lstat(path);
      if (st.isDirectory()) return 'directory';
      if (st.isFile()) return 'file';
      if (!st.isSymbolicLink()) return undefined;
      const real = await fs.realpath(path);
      if (!isInside(this.realRoots[i], real)) return undefined;
      return (await fs.stat(real)).isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }

  yieldToHost(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  /**
   * Forgets the folders' real paths looked up so far (they are kept only briefly anyway):
   * a process that has read its documents need not hold one entry per folder (2 MB at
   * 10,000 documents) while it checks them.
   */
  forgetFolders(): void {
    this.dirCache.clear();
  }

  private folderIndex(uri: string): number {
    const i = this.folders.findIndex((f) => relativePath(f, uri) !== undefined);
    if (i === -1) throw new Error('outside the workspace folders');
    return i;
  }

  /**
   * Real path of a folder, remembered briefly (many documents share a folder). Reads
   * running at the same time share one lookup: a folder costs one realpath however
   * many of its documents are read at once.
   */
  private realDir(dir: string): Promise<string> {
    const now = Date.now();
    const hit = this.dirCache.get(dir);
    if (hit && now - hit.at < DIR_CACHE_MS) return hit.real;
    const real = realPath(dir);
    // A failed lookup is not remembered: the next read asks again.
    real.catch(() => {
      if (this.dirCache.get(dir)?.real === real) this.dirCache.delete(dir);
    });
    this.setDir(dir, real, now);
    return real;
  }

  private rememberDir(dir: string, real: string): void {
    this.setDir(dir, Promise.resolve(real), Date.now());
  }

  private setDir(dir: string, real: Promise<string>, at: number): void {
    if (this.dirCache.size > 10_000) this.dirCache.clear();
    this.dirCache.set(dir, { real, at });
  }

  private async checkInside(uri: string): Promise<string> {
    const i = this.folderIndex(uri);
    const path = uriToFsPath(uri);
    const real = await realPath(path);
    if (!isInside(this.realRoots[i], real)) throw new Error('the file links outside the workspace folder');
    return real;
  }
}

async function lexists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `join(dir, name)` for a folder path already normalised (a listing's, a real path) and
 * one entry's name: put together without normalising the whole path again (every file
 * listed and read asks).
 */
export function childPath(dir: string, name: string): string {
  if (sep !== '/' || name === '' || name === '.' || name === '..' || name.includes('/'))
    return join(dir, name);
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path (symlinks resolved), or an error that says why not in a few words. */
async function realPath(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file' : `cannot resolve path (${code ?? 'error'})`);
  }
}
