import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { CdpConfig } from '../core/config';
import type { HistoryView } from '../core/dashboard';
import { type HistoryCommit, historySeries } from '../core/history';
import { uriToFsPath } from '../core/paths';
import type { WorkflowInstance } from '../core/workflow';

const MAX_BUFFER = 256 * 1024 * 1024;

function git(cwd: string, args: string[], input?: string) {
  return spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER, windowsHide: true });
}

/**
 * Reads, per workflow, the checked items of each phase document over the last `limit`
 * commits that touched its phase documents (at their current paths): one `git log` and
 * one `git cat-file --batch` per workflow. Without git or a repository, a note says so.
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
  // git names the repository by its real path; the documents may be reached through a link.
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const out: Exclude<HistoryView, { note: string }> = [];
  for (const w of workflows) {
    const files = new Map<string, string>();
    for (const p of w.phases) {
      const rel = relative(real(repo), real(uriToFsPath(p.uri)))
        .split(sep)
        .join('/');
      if (rel.startsWith('..') || /[\n\r]/.test(rel)) continue;
      if (!files.has(p.phase!.id)) files.set(p.phase!.id, rel);
    }
    const paths = [...files.values()];
    const phases = [...files.keys()];
    if (paths.length === 0) continue;
    const log = git(repo, [
      'log',
      `-n${limit}`,
      '--format=%H%x09%cI%x09%s',
      '--',
      ...paths.map((p) => `:(literal)${p}`),
    ]);
    if (log.status !== 0) return { note: `git log failed: ${log.stderr.toString('utf8').trim()}` };
    const commits: HistoryCommit[] = log.stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [commit, date, ...subject] = l.split('\t');
        return { commit, date, subject: subject.join('\t'), texts: new Map<string, string>() };
      })
      .reverse();
    const requests = commits.flatMap((c) =>
      phases.map((id) => ({ c, id, spec: `${c.commit}:${files.get(id)}` })),
    );
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
      if (!m) continue; // "missing": the document did not exist at that commit
      const size = Number(m[1]);
      r.c.texts.set(r.id, buf.toString('utf8', at, at + size));
      at += size + 1;
    }
    out.push(historySeries(w.id, phases, commits, config));
  }
  return out;
}
