import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { CdpConfig } from '../core/config';
import type { HistoryView } from '../core/dashboard';
import { matchPhase } from '../core/gate';
import { cleanPath, GLOB, isGateItem } from '../core/gates/evaluate';
import type { GateItemDef } from '../core/gates/parse';
import { CONFIRMATIONS_FILE } from '../core/gates/store';
import { type HistoryCommit, type HistoryTree, historySeries } from '../core/history';
import { normalizeRel, relativePath, uriToFsPath } from '../core/paths';
import type { WorkflowInstance } from '../core/workflow';
import { decodeDocument } from './decode';

const MAX_BUFFER = 256 * 1024 * 1024;
/** Paths that gate checks read, watched for commits at most (a command line stays short). */
const MAX_CHECKED_PATHS = 1000;

/**
 * The paths in the workspace folder that a gate item's check reads (its `path`,
 * `fallback_paths` or `evidence`), normalised; none for those leaving the folder.
 */
function readsOf(d: GateItemDef): string[] {
  const out: string[] = [];
  // As the checks read them (`cleanPath`): a path leaving the folder reads nothing.
  const add = (p: string | undefined) => {
    const c = p === undefined ? undefined : cleanPath(p);
    const n = c === undefined ? undefined : normalizeRel(c);
    if (n && !/[\n\r]/.test(n)) out.push(n);
  };
  if (d.kind === 'evidence') add(d.evidencePath);
  else if (d.kind === 'check') {
    add(d.path);
    for (const f of d.fallbackPaths ?? []) add(f);
  }
  return out;
}

function git(cwd: string, args: string[], input?: string) {
  return spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER, windowsHide: true });
}

/**
 * Reads, per workflow, the checked items of each phase over the last `limit` commits that
 * touched its phase documents, their gate files or the confirmations file (at their
 * current paths): one `git log` and one `git cat-file --batch` per workflow, and for gate
 * checks that look at files, one listing of the folder per commit and the texts they
 * search. Without git or a repository, a note says so.
 */
export function readHistory(
  root: string,
  workflows: WorkflowInstance[],
  limit: number,
  config: CdpConfig,
): HistoryView {
  const top = git(root, ['rev-parse', '--show-toplevel']);
  if (top.error) return { note: 'Progress over time needs git, which was not found.' };
  if (top.status !== 0) {
    const why = top.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    // Anything but "not a repository" (an unsafe owner, a broken .git) is worth saying.
    return /not a git repository/i.test(why) || !why
      ? { note: 'Not a git repository: no progress over time.' }
      : { note: `No progress over time: git says "${why.replace(/^fatal:\s*/, '')}".` };
  }
  const repo = top.stdout.toString('utf8').trim();
  // A shallow clone (CI's default checkout) holds only its last commits: say so on the chart.
  const shallow =
    git(repo, ['rev-parse', '--is-shallow-repository']).stdout?.toString('utf8').trim() === 'true';
  // git names the repository by its real path; the documents may be reached through a link.
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const out: Exclude<HistoryView, { note: string }> = [];
  // Shared by every workflow: a commit's listing of a folder, and texts by blob (a file
  // unchanged over many commits is one blob, read once).
  const trees = new Map<string, HistoryTree>();
  const blobs = new Map<string, string | undefined>();
  const inRepo = (fsPath: string) => relative(real(repo), real(fsPath)).split(sep).join('/');
  const usable = (rel: string) => rel !== '..' && !rel.startsWith('../') && !/[\n\r]/.test(rel);
  for (const w of workflows) {
    const files = new Map<string, string>();
    /** Phase id → its gate files (paths in the workspace folder), and each one's path in the repository. */
    const gateFiles = new Map<string, string[]>();
    const gatePaths = new Map<string, string>();
    /** The paths (in the workspace folder) that the gate files' checks read. */
    const checked = new Set<string>();
    for (const p of w.phases) {
      const rel = inRepo(uriToFsPath(p.uri));
      if (!usable(rel)) continue;
      if (files.has(p.phase!.id)) continue;
      files.set(p.phase!.id, rel);
      const own: string[] = [];
      for (const g of p.groups) {
        if (g.file === undefined) continue;
        for (const item of g.items) if (isGateItem(item)) for (const r of readsOf(item.def)) checked.add(r);
        const inFolder = relativePath(w.folder, g.file);
        const path = inRepo(uriToFsPath(g.file));
        if (inFolder === undefined || !usable(path) || own.includes(inFolder)) continue;
        own.push(inFolder);
        gatePaths.set(inFolder, path);
      }
      gateFiles.set(p.phase!.id, own);
    }
    const paths = [...files.values()];
    const phases = [...files.keys()];
    if (paths.length === 0) continue;
    // Where the workspace folder lies in the repository ('' at its top).
    const prefix = inRepo(uriToFsPath(w.folder));
    const folderPath = (rel: string) => (prefix === '' ? rel : `${prefix}/${rel}`);
    const hasGates = gatePaths.size > 0;
    const confirmationsPath = folderPath(CONFIRMATIONS_FILE);
    const watched = hasGates ? [...paths, ...gatePaths.values(), confirmationsPath] : paths;
    // Commits that change what a check reads change its item (a file created, a pattern
    // written) without touching a phase document or gate file: they are points too.
    const reads = [...checked]
      .slice(0, MAX_CHECKED_PATHS)
      .map((r) => (GLOB.test(r) ? `:(glob)${folderPath(r)}` : `:(literal)${folderPath(r)}`));
    const log = git(repo, [
      'log',
      `-n${limit}`,
      '--format=%H%x09%cI%x09%s',
      '--',
      ...watched.map((p) => `:(literal)${p}`),
      ...reads,
    ]);
    if (log.status !== 0) return { note: `git log failed: ${log.stderr.toString('utf8').trim()}` };
    const commits: HistoryCommit[] = log.stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [commit, date, ...subject] = l.split('\t');
        const c: HistoryCommit = {
          commit,
          date,
          subject: subject.join('\t'),
          texts: new Map<string, string>(),
        };
        if (hasGates) {
          c.gateTexts = new Map();
          const key = `${commit}\0${prefix}`;
          let tree = trees.get(key);
          if (!tree) trees.set(key, (tree = commitTree(repo, commit, prefix, blobs)));
          c.tree = tree;
        }
        return c;
      })
      .reverse();
    const requests: { spec: string; take: (c: HistoryCommit, text: string) => void; c: HistoryCommit }[] = [];
    for (const c of commits) {
      for (const id of phases)
        requests.push({ c, spec: `${c.commit}:${files.get(id)}`, take: (x, t) => x.texts.set(id, t) });
      for (const [rel, path] of gatePaths)
        requests.push({ c, spec: `${c.commit}:${path}`, take: (x, t) => x.gateTexts!.set(rel, t) });
      if (hasGates)
        requests.push({
          c,
          spec: `${c.commit}:${confirmationsPath}`,
          take: (x, t) => {
            x.confirmations = t;
          },
        });
    }
    const batch = git(repo, ['cat-file', '--batch'], requests.map((r) => `${r.spec}\n`).join(''));
    if (batch.status !== 0) return { note: `git cat-file failed: ${batch.stderr.toString('utf8').trim()}` };
    const buf = batch.stdout;
    let at = 0;
    for (const r of requests) {
      const nl = buf.indexOf(10, at);
      if (nl < 0) break;
      const header = buf.toString('utf8', at, nl);
      at = nl + 1;
      const m = / blob (\d+)$/.exec(header);
      if (!m) continue; // "missing": the file did not exist at that commit
      const size = Number(m[1]);
      // (decoded as the working tree's files are: UTF-16 with its byte order mark too)
      r.take(r.c, decodeDocument(buf.subarray(at, at + size)).text);
      at += size + 1;
    }
    const series = historySeries(
      w.id,
      phases,
      commits,
      config,
      hasGates
        ? {
            files: gateFiles,
            match: (named) => [...new Set(matchPhase(w, named).map((p) => p.phase!.id))],
          }
        : undefined,
    );
    if (shallow) series.note = SHALLOW_NOTE;
    out.push(series);
  }
  return out;
}

/** The note on the history of a shallow clone. */
const SHALLOW_NOTE =
  'History is limited: the repository is a shallow clone, which holds only its last commits. Fetch the whole history to chart it (actions/checkout: fetch-depth: 0).';

/** Files larger than this are not read at a commit: a grep check naming one is not evaluated there. */
const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * The workspace folder (at `prefix` in the repository) as it was at `commit`: its files
 * listed once, with their blobs and sizes, when a check first asks; texts read as checks
 * ask, each blob once (`blobs` is shared by every commit and workflow of a history).
 */
function commitTree(
  repo: string,
  commit: string,
  prefix: string,
  blobs: Map<string, string | undefined>,
): HistoryTree {
  let listing: Map<string, { blob: string; size: number }> | undefined;
  let files: string[] | undefined;
  const list = () => {
    if (!listing) {
      listing = new Map();
      const r = git(repo, ['ls-tree', '-r', '-z', '-l', commit, ...(prefix ? ['--', prefix] : [])]);
      const cut = prefix ? prefix.length + 1 : 0;
      if (r.status === 0) {
        // `<mode> <type> <object> <size>\t<path>`, entries ended by NUL.
        for (const line of r.stdout.toString('utf8').split('\0')) {
          const tab = line.indexOf('\t');
          if (tab < 0) continue;
          const [, type, blob, size] = line.slice(0, tab).split(/ +/);
          const path = line.slice(tab + 1);
          if (type !== 'blob' || (cut > 0 && !path.startsWith(`${prefix}/`))) continue;
          listing.set(path.slice(cut), { blob, size: Number(size) });
        }
      }
      files = [...listing.keys()].sort();
    }
    return listing;
  };
  return {
    files: () => {
      list();
      return files!;
    },
    text: (rel) => {
      const f = list().get(rel);
      if (!f || !(f.size <= MAX_TEXT_BYTES)) return undefined;
      if (blobs.has(f.blob)) return blobs.get(f.blob);
      const r = git(repo, ['cat-file', 'blob', f.blob]);
      const text = r.status === 0 ? decodeDocument(r.stdout).text : undefined;
      blobs.set(f.blob, text);
      return text;
    },
  };
}
