import { URI, Utils } from 'vscode-uri';
import { DOT, SLASH } from './parse/scanner/chars';

/**
 * URIs are the identity of documents everywhere in the core. They are kept in the
 * canonical string form of `vscode-uri`, so the same file has one key whether it came
 * from the editor or from a directory listing.
 */
export function canonicalUri(uri: string): string {
  // The scheme is case-insensitive (`FILE:` would keep its case and lose the empty
  // authority), and `file://localhost/` names the local file system like `file:///`.
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(uri)?.[0];
  if (scheme && scheme !== scheme.toLowerCase()) uri = scheme.toLowerCase() + uri.slice(scheme.length);
  if (/^file:\/\/localhost\//i.test(uri)) uri = `file:///${uri.slice('file://localhost/'.length)}`;
  return URI.parse(uri).toString();
}

export function fileUri(absPath: string): string {
  // The common case without building a URI: a path of characters a URI keeps as they
  // are, where the platform's file URI is `file://` + the path (checked once).
  if (PLAIN_ABSOLUTE.test(absPath) && plainFileUris()) return `file://${absPath}`;
  return URI.file(absPath).toString();
}

export function uriToFsPath(uri: string): string {
  if (PLAIN_FILE_URI.test(uri) && plainFileUris()) return uri.slice(7);
  return URI.parse(uri).fsPath;
}

/** `/a/b.md`: segments of characters that URIs never encode. */
const PLAIN_ABSOLUTE = /^(?:\/[A-Za-z0-9._~-]+)+$/;
/** `file:///a/b.md`, the same path as a URI. */
const PLAIN_FILE_URI = /^file:\/\/(?:\/[A-Za-z0-9._~-]+)+$/;

let plainFileUrisKnown: boolean | undefined;

/** Whether `file://` + a plain absolute path and back is what `vscode-uri` does (not on Windows: `\`). */
function plainFileUris(): boolean {
  if (plainFileUrisKnown === undefined) {
    const path = '/a-b/c.d_e~f/0';
    plainFileUrisKnown =
      URI.file(path).toString() === `file://${path}` && URI.parse(`file://${path}`).fsPath === path;
  }
  return plainFileUrisKnown;
}

/** `folderUri` + a `/`-separated relative path (segments must not contain `..`). */
export function joinUri(folderUri: string, rel: string): string {
  // The common case without parsing: a path of characters a URI keeps as they are,
  // under a folder whose URI is already in canonical form.
  if (PLAIN_PATH.test(rel) && !DOT_SEGMENT.test(rel)) {
    const prefix = canonicalPrefix(folderUri);
    if (prefix !== undefined) return prefix + rel;
  }
  return joinSlow(folderUri, rel);
}

function joinSlow(folderUri: string, rel: string): string {
  // A lone surrogate (an editor's text can hold half an emoji) cannot be percent-encoded:
  // it is the replacement character, as a file read from disk gives it.
  const path = LONE_SURROGATE.test(rel) ? rel.replace(LONE_SURROGATE_ALL, '\uFFFD') : rel;
  return Utils.joinPath(URI.parse(folderUri), ...path.split('/').filter(Boolean)).toString();
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/** Segments of characters that URIs never encode. */
const PLAIN_PATH = /^[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

const prefixes = new Map<string, string | undefined>();

/** `folderUri/` when joining a plain path to it is plain concatenation (else undefined). */
function canonicalPrefix(folderUri: string): string | undefined {
  if (prefixes.has(folderUri)) return prefixes.get(folderUri);
  const prefix = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
  const probe = 'a.b';
  const ok = !/[?#]/.test(folderUri) && joinSlow(folderUri, probe) === prefix + probe;
  if (prefixes.size > 100) prefixes.clear();
  prefixes.set(folderUri, ok ? prefix : undefined);
  return ok ? prefix : undefined;
}

/**
 * The path of `uri` relative to `folderUri`, with `/`, or undefined when `uri` is not
 * inside the folder.
 */
export function relativePath(folderUri: string, uri: string): string | undefined {
  // The common case without parsing: the URI starts with the folder's URI and the rest
  // has nothing to decode (no `%`), no query and no fragment.
  const prefix = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
  if (uri.length > prefix.length && uri.startsWith(prefix) && !/[?#]/.test(folderUri)) {
    const rest = uri.slice(prefix.length);
    if (!/[%?#]/.test(rest)) return rest;
  }
  const f = URI.parse(folderUri);
  const u = URI.parse(uri);
  if (f.scheme !== u.scheme || f.authority !== u.authority) return undefined;
  const base = f.path.endsWith('/') ? f.path : `${f.path}/`;
  if (!u.path.startsWith(base)) return undefined;
  return u.path.slice(base.length);
}

/**
 * The folders that lie inside no other of `folders` (each once, in their order): a folder
 * nested in another is part of the outer one's tree, whose links reach into it; unless
 * `ownRoot` says it is a root of its own (a repository: its gate paths are relative to it).
 */
export function outermostFolders(
  folders: readonly string[],
  ownRoot: (folder: string) => boolean = () => false,
): string[] {
  const unique = [...new Set(folders)];
  return unique.filter((f) => !unique.some((g) => g !== f && relativePath(g, f) !== undefined) || ownRoot(f));
}

/** How many leading folders two folder paths share (`a/b/c`, `a/b/d` → 2). */
export function sharedFolders(a: string, b: string): number {
  const x = a === '' ? [] : a.split('/');
  const y = b === '' ? [] : b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

export function dirname(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i === -1 ? '' : rel.slice(0, i);
}

export function basename(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/**
 * Normalises `a/./b/../c` to `a/c`. Returns undefined when the path climbs above its
 * start (it would leave the workspace folder).
 */
export function normalizeRel(rel: string): string | undefined {
  if (isNormalRel(rel)) return rel;
  const out: string[] = [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/**
 * `normalizeRel` of `dir/rel` (of `rel` when `dir` is empty). A link's path from its
 * document's folder: `../`, `./` at its start step within the folder, and the rest, when
 * already normal, is put after it as it is (no list of segments to split and join).
 */
export function joinRel(dir: string, rel: string): string | undefined {
  if (dir === '') return normalizeRel(rel);
  if (!isNormalRel(dir)) return normalizeRel(`${dir}/${rel}`);
  const n = rel.length;
  let keep = dir.length;
  let i = 0;
  while (i < n) {
    let j = rel.indexOf('/', i);
    if (j === -1) j = n;
    const len = j - i;
    if (len === 2 && rel.charCodeAt(i) === DOT && rel.charCodeAt(i + 1) === DOT) {
      if (keep === 0) return undefined;
      const up = dir.lastIndexOf('/', keep - 1);
      keep = up === -1 ? 0 : up;
    } else if (len !== 0 && !(len === 1 && rel.charCodeAt(i) === DOT)) break;
    i = j + 1;
  }
  const rest = i >= n ? '' : i === 0 ? rel : rel.slice(i);
  if (rest !== '' && !isNormalRel(rest)) return normalizeRel(`${dir}/${rel}`);
  const base = keep === dir.length ? dir : dir.slice(0, keep);
  return rest === '' ? base : base === '' ? rest : `${base}/${rest}`;
}

/** Whether a relative path is normal already: not empty, no empty, `.` or `..` segment. */
function isNormalRel(rel: string): boolean {
  const n = rel.length;
  if (n === 0) return false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && rel.charCodeAt(i) !== SLASH) continue;
    const len = i - start;
    if (len === 0) return false;
    if (len <= 2 && rel.charCodeAt(start) === DOT && (len === 1 || rel.charCodeAt(start + 1) === DOT))
      return false;
    start = i + 1;
  }
  return true;
}

export function stripMdExtension(name: string): string {
  return hasMdExtension(name) ? name.slice(0, -3) : name;
}

/** Whether a name ends with `.md`, in any case. */
export function hasMdExtension(name: string): boolean {
  const n = name.length;
  return (
    n >= 3 &&
    name.charCodeAt(n - 3) === DOT &&
    (name.charCodeAt(n - 2) | 32) === 109 /* m */ &&
    (name.charCodeAt(n - 1) | 32) === 100 /* d */
  );
}

/** A `/`-path from folder `fromDir` to `path` (both folder-relative), always with a `/` (`./a.md`, `../b/a.md`). */
export function relativeTo(fromDir: string, path: string): string {
  const a = fromDir ? fromDir.split('/') : [];
  const b = path.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  const rest = b.slice(i).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/**
 * The item of `list` whose folder (`dirname(relOf(item))`) shares the most leading
 * folders with `fromDir`; the first of those in list order, or with `unique` none when
 * two are as near (which is meant is not known). Undefined for an empty list.
 */
export function nearestTo<T>(
  list: readonly T[],
  fromDir: string,
  relOf: (t: T) => string,
  unique = false,
): T | undefined {
  if (list.length < 2) return list[0];
  let best: T | undefined;
  let bestShared = -1;
  let tie = false;
  for (const t of list) {
    const shared = sharedFolders(dirname(relOf(t)), fromDir);
    if (shared > bestShared) {
      best = t;
      bestShared = shared;
      tie = false;
    } else if (shared === bestShared) tie = true;
  }
  return unique && tie ? undefined : best;
}

/** The decoded path of a URI (`/a/my doc.md`), `/`-separated on every platform. */
export function uriPath(uri: string): string {
  return URI.parse(uri).path;
}

/** The decoded name of the folder or file a URI names (`file:///a/my%20wf` → `my wf`). */
export function uriName(uri: string): string {
  return basename(trimSlashEnd(uriPath(uri)));
}

function trimSlashEnd(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}
