import { Analysis } from '../../server/src/core/analysis';
import { type CdpConfig, resolveConfig } from '../../server/src/core/config';
import { loadWorkspace } from '../../server/src/core/load';
import { joinUri, relativePath } from '../../server/src/core/paths';
import type { Finding, Notice } from '../../server/src/core/types';
import type { FileEntry, FileStat, Workspace } from '../../server/src/core/workspace';

export const ROOT = 'file:///ws';

/** A workspace held in memory: folder-relative paths to texts. */
export class MemoryWorkspace implements Workspace {
  readonly folders: readonly string[];
  readonly files = new Map<string, string>();
  /** Paths whose reads fail, to exercise error handling. */
  readonly unreadable = new Set<string>();

  constructor(files: Record<string, string>, folders: string[] = [ROOT]) {
    this.folders = folders;
    for (const [rel, text] of Object.entries(files)) this.files.set(this.uri(rel), text);
  }

  uri(rel: string, folder = this.folders[0]): string {
    return joinUri(folder, rel);
  }

  async listFiles(folder: string, skip: (rel: string) => boolean, under = ''): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    for (const [uri, text] of this.files) {
      const rel = relativePath(folder, uri);
      if (rel === undefined || (under !== '' && !rel.startsWith(`${under}/`))) continue;
      const segs = rel.split('/');
      let skipped = false;
      for (let i = 1; i < segs.length && !skipped; i++) skipped = skip(segs.slice(0, i).join('/'));
      if (!skipped) out.push({ uri, size: Buffer.byteLength(text) });
    }
    return out.sort((a, b) => (a.uri < b.uri ? -1 : 1));
  }

  async readText(uri: string): Promise<string> {
    if ([...this.unreadable].some((rel) => this.uri(rel) === uri)) throw new Error('permission denied');
    const t = this.files.get(uri);
    // (the code an fs error has: a file gone, not one that cannot be read)
    if (t === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  }

  async stat(uri: string): Promise<FileStat | undefined> {
    const t = this.files.get(uri);
    if (t !== undefined) return { type: 'file', size: t.length };
    // A folder: some file lies below it.
    const prefix = uri.endsWith('/') ? uri : `${uri}/`;
    for (const u of this.files.keys()) if (u.startsWith(prefix)) return { type: 'directory', size: 0 };
    return undefined;
  }
}

export interface Checked {
  ws: MemoryWorkspace;
  analysis: Analysis;
  notices: Notice[];
  /** All findings of all documents, in path order. */
  findings: Finding[];
  /** Findings of one rule, as `rel:line:col message` strings (1-based) for compact assertions. */
  of(code: string): string[];
  config: CdpConfig;
}

/** Loads files into a fresh index and runs every rule. */
export async function check(files: Record<string, string>, settings: unknown = {}): Promise<Checked> {
  const ws = new MemoryWorkspace(files);
  const { config, problems } = resolveConfig(settings);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const { index, notices } = await loadWorkspace(ws, config);
  const analysis = new Analysis(index);
  const findings = [...analysis.checkAll().values()].flat();
  const rel = (uri: string) => relativePath(ROOT, uri) ?? uri;
  return {
    ws,
    analysis,
    notices,
    findings,
    config,
    of: (code) =>
      findings
        .filter((f) => f.code === code)
        .map((f) => `${rel(f.uri)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
  };
}

/** A phase document in the CDP layout: title, metadata block after it, then the body. */
export function phaseDoc(opts: {
  title: string;
  phase?: string;
  name?: string;
  previous?: string;
  next?: string;
  artifacts?: string[];
  body?: string;
}): string {
  const meta = [
    opts.phase !== undefined ? `phase: ${opts.phase}` : undefined,
    opts.name !== undefined ? `name: "${opts.name}"` : undefined,
    opts.previous ? `previous_phase: "[[${opts.previous}]]"` : undefined,
    opts.next ? `next_phase: "[[${opts.next}]]"` : undefined,
    opts.artifacts ? `artifacts: [${opts.artifacts.map((a) => `"[[${a}]]"`).join(', ')}]` : undefined,
  ].filter(Boolean);
  return `# ${opts.title}\n\n---\n${meta.join('\n')}\n---\n\n${opts.body ?? ''}`;
}
