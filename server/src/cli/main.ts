import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { Analysis } from '../core/analysis';
import { resolveConfig } from '../core/config';
import { checkGate, type GateVerdict } from '../core/gate';
import { loadWorkspace } from '../core/load';
import { relativePath } from '../core/paths';
import { type JsonDiagnostic, jsonReportPieces, toJsonDiagnostic } from '../core/report';
import type { Notice } from '../core/types';
import { currentPhase, phaseProgress, type WorkflowInstance } from '../core/workflow';
import { NodeFsWorkspace } from '../node/fs-workspace';
import { parseJsonc } from './jsonc';

const USAGE = `Usage: cdp check [paths…] [--phase ID|NAME] [--gate NAME] [--format text|json] [--config FILE] [--root DIR]

Checks CDP phase documents: progress of every workflow, and diagnostics.
  paths          folders or files to report on (default: the current folder)
  --phase        select a phase by number or name (e.g. 05 or release)
  --gate         select a group: a heading ("Production Readiness Gate"), entry, exit, gates or all
  --format       text (default) or json (version 1)
  --config FILE  settings (JSON with cdp.* keys); default: <root>/.vscode/settings.json
  --root DIR     workspace folder for link resolution (default: the common folder of the paths)
Exit code: 0 passed, 1 a selected gate failed or an error was found, 2 usage error.`;

class UsageError extends Error {}

interface Options {
  paths: string[];
  phase?: string;
  gate?: string;
  format: 'text' | 'json';
  config?: string;
  root?: string;
}

function parseArgs(argv: string[]): Options {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') throw new UsageError('');
  if (cmd !== 'check') throw new UsageError(`unknown command "${cmd}"`);
  const o: Options = { paths: [], format: 'text' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const name = a.split('=')[0];
    if (name === '--phase') o.phase = value();
    else if (name === '--gate') o.gate = value();
    else if (name === '--config') o.config = value();
    else if (name === '--root') o.root = value();
    else if (name === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${f}"`);
      o.format = f;
    } else if (name === '--help' || name === '-h') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else o.paths.push(a);
  }
  return o;
}

function commonFolder(paths: string[]): string {
  const dirs = paths.map((p) => (statSync(p).isDirectory() ? p : dirname(p)));
  let common = dirs[0];
  for (const d of dirs.slice(1)) {
    while (common !== dirname(common) && relative(common, d).startsWith('..')) common = dirname(common);
  }
  return common;
}

function readSettings(file: string, required: boolean): unknown {
  if (!existsSync(file)) {
    if (required) throw new UsageError(`cannot read config ${file}: no such file`);
    return {};
  }
  try {
    return parseJsonc(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read config ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Runs `cdp` with these arguments. `out` writes one line of output (and may return a
 * promise to apply backpressure), `err` one line of errors. Resolves to the exit code.
 */
export async function main(
  argv: string[],
  out: (s: string) => void | Promise<void>,
  err: (s: string) => void,
): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError && e.message === '') {
      out(USAGE);
      return argv.length === 0 ? 2 : 0;
    }
    err(`cdp: ${(e as Error).message}. Run "cdp --help".`);
    return 2;
  }
  const cwd = process.cwd();
  const paths = (o.paths.length > 0 ? o.paths : ['.']).map((p) => resolve(cwd, p));
  for (const p of paths) {
    if (!existsSync(p)) {
      err(`cdp: cannot read ${p}: no such file or folder`);
      return 2;
    }
  }
  let root: string;
  try {
    root = o.root ? resolve(cwd, o.root) : commonFolder(paths);
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    err(`cdp: cannot read root ${o.root ?? paths[0]}: ${(e as Error).message}`);
    return 2;
  }
  for (const p of paths) {
    if (p !== root && relative(root, p).startsWith(`..`)) {
      err(`cdp: ${p} is outside the root ${root}`);
      return 2;
    }
  }

  let settings: unknown;
  try {
    settings = o.config
      ? readSettings(resolve(cwd, o.config), true)
      : readSettings(resolve(root, '.vscode', 'settings.json'), false);
  } catch (e) {
    err(`cdp: ${(e as Error).message}`);
    return 2;
  }
  const { config, problems } = resolveConfig(settings);
  for (const p of problems) err(`cdp: setting ignored: ${p}`);

  const ws = new NodeFsWorkspace([root]);
  const { index, notices } = await loadWorkspace(ws, config);
  // Reports need no fixes or related locations: findings stay small.
  const analysis = new Analysis(index, false);
  const folder = ws.folders[0];
  const fileOf = (uri: string) => relativePath(folder, uri) ?? uri;
  const inScope = (uri: string) => {
    const abs = resolve(root, fileOf(uri));
    return paths.some((p) => abs === p || abs.startsWith(p.endsWith(sep) ? p : p + sep));
  };

  // Findings become report lines right away; a large workspace has a hundred thousand.
  const diagnostics: JsonDiagnostic[] = [];
  let errors = false;
  const entries = [...index.all()].filter((e) => inScope(e.uri)).sort((a, b) => (a.uri < b.uri ? -1 : 1));
  for (const e of entries) {
    for (const f of analysis.check(e)) {
      diagnostics.push(toJsonDiagnostic(f, fileOf));
      errors ||= f.severity === 'error';
    }
  }
  const scopedNotices = notices.filter((n) => inScope(n.uri));
  const workflows = analysis.workflows().filter((w) => w.phases.some((p) => inScope(p.uri)));

  let verdicts: GateVerdict[] = [];
  const selecting = o.phase !== undefined || o.gate !== undefined;
  if (selecting) {
    verdicts = checkGate(analysis, { phase: o.phase, group: o.gate }).filter((v) => inScope(v.phase.uri));
    if (verdicts.length === 0) {
      err(
        `cdp: no ${o.phase ? `phase "${o.phase}"` : 'phase'}${o.gate ? ` with group "${o.gate}"` : ''} found`,
      );
      return 2;
    }
  }

  if (o.format === 'json') {
    const gates = selecting
      ? verdicts.map((v) => ({
          workflow: v.workflow.id,
          phase: v.phase.phase!.id,
          name: v.phase.phase!.name,
          file: fileOf(v.phase.uri),
          groups: v.groups.map((g) => g.heading),
          passed: v.passed,
          total: v.total,
          checked: v.checked,
          unmet: v.unmet.map((u) => ({ group: u.group.heading, text: u.item.text, line: u.item.line + 1 })),
        }))
      : undefined;
    // Every piece ends with a line break; `out` adds one. Waiting on `out` keeps a slow
    // reader (a pipe) from making the report pile up in memory.
    for (const piece of jsonReportPieces(
      { root, workflows, diagnostics, notices: scopedNotices, gates },
      fileOf,
    )) {
      await out(piece.slice(0, -1));
    }
  } else {
    await out(renderText(workflows, diagnostics, scopedNotices, verdicts, fileOf));
  }
  const failed = verdicts.some((v) => !v.passed);
  return errors || failed ? 1 : 0;
}

function renderText(
  workflows: WorkflowInstance[],
  diagnostics: JsonDiagnostic[],
  notices: Notice[],
  verdicts: GateVerdict[],
  fileOf: (uri: string) => string,
): string {
  const lines: string[] = [];
  if (workflows.length === 0) lines.push('No phase documents found.');
  for (const w of workflows) {
    const cur = currentPhase(w);
    lines.push(
      `Workflow ${w.id}: ${cur ? `current phase ${cur.phase!.id} ${cur.phase!.name}` : 'all phases complete'}`,
    );
    for (const p of w.phases) {
      const prog = phaseProgress(p);
      const mark = prog.complete ? '✓' : prog.started ? '◐' : '○';
      lines.push(
        `  ${mark} ${p.phase!.id} ${p.phase!.name}  ${prog.checked}/${prog.total}  ${fileOf(p.uri)}`,
      );
      const detailed = p === cur || (prog.started && !prog.complete);
      for (const g of prog.groups) {
        lines.push(
          `      ${g.passed && g.total > 0 ? '✓' : ' '} ${g.heading} (${g.kind}) ${g.checked}/${g.total}`,
        );
        if (!detailed || g.kind === 'checklist') continue;
        for (const it of g.items) {
          if (!it.checked) lines.push(`          [ ] ${it.text}  ${fileOf(p.uri)}:${it.line + 1}`);
        }
      }
    }
    lines.push('');
  }
  if (verdicts.length > 0) {
    lines.push('Gate check:');
    for (const v of verdicts) {
      const what = v.groups.map((g) => g.heading).join(', ') || 'no groups';
      lines.push(
        `  ${v.passed ? 'PASSED' : 'FAILED'} ${v.workflow.id} ${v.phase.phase!.id} ${v.phase.phase!.name}: ${what} (${v.checked}/${v.total}${
          v.unmet.length ? `, ${v.unmet.length} unmet` : ''
        })`,
      );
      for (const u of v.unmet)
        lines.push(`      [ ] ${u.item.text}  ${fileOf(v.phase.uri)}:${u.item.line + 1}`);
    }
    lines.push('');
  }
  if (diagnostics.length > 0) {
    lines.push('Diagnostics:');
    for (const d of diagnostics)
      lines.push(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
    lines.push('');
  }
  for (const n of notices) lines.push(`notice: ${fileOf(n.uri)}: ${n.message}`);
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  lines.push(
    `${workflows.length} workflow${workflows.length === 1 ? '' : 's'}, ${workflows.reduce((n, w) => n + w.phases.length, 0)} phases; ${count('error')} errors, ${count('warning')} warnings, ${count('information')} information`,
  );
  return lines.join('\n');
}

/** Runs the command with these arguments and sets the exit code. */
export function run(argv: string[]): void {
  const out = (s: string) =>
    new Promise<void>((resolve) => {
      if (process.stdout.write(`${s}\n`)) resolve();
      else process.stdout.once('drain', resolve);
    });
  main(argv, out, (s) => process.stderr.write(`${s}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`cdp: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) run(process.argv.slice(2));
