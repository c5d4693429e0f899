import type { DocEntry, WorkspaceIndex } from '../index';
import { basename, normalizeRel, stripMdExtension } from '../paths';
import { claimedBy } from '../rules/duplicate-phase';
import { outOfOrderInGateFile } from '../rules/out-of-order';
import { checkPhaseKeys, checkTransition } from '../rules/phase-chain';
import type { Report } from '../rules/rule';
import { LABEL } from '../rules/unmet-criterion';
import { humanize } from '../rules/util';
import { slug } from '../text';
import type { Finding, Fix, Range, RuleId, Severity } from '../types';
import { currentPhase, phaseProgress, stemOf, type WorkflowInstance } from '../workflow';
import {
  type BesideGate,
  cleanPath,
  type GateItem,
  GLOB,
  inOtherCase,
  isGateItem,
  nearMissPath,
} from './evaluate';
import { folderFiles } from './inputs';
import { type GateItemDef, KNOWN_CHECKS, nearMiss } from './parse';
import { doubleQuoted, readsPlain } from './rewrite';
import type { GateFileEntry } from './store';

/** What gate-file findings read (`Analysis` provides it). */
export interface GateFindingContext {
  readonly index: WorkspaceIndex;
  phaseOfGateFile(g: GateFileEntry): DocEntry | undefined;
  workflowOf(uri: string): WorkflowInstance | undefined;
  /** The workflow definition an instance under way follows (`followedDefinition`), if any. */
  definitionFollowedBy(w: WorkflowInstance): WorkflowInstance | undefined;
  /** The workflow definition the documents of `dir` (in workspace folder `folder`) belong to, if any. */
  definitionAt(folder: string, dir: string): WorkflowInstance | undefined;
  /** Whether findings keep their fixes (else they are left out, not computed). */
  readonly detail: boolean;
}

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The findings located in a gate file: `invalid-gate-file` when it cannot be used, and
 * `unmet-criterion` on the line of each item not met, in the phase under way (or
 * started), with the reason. No unmet findings in a workflow definition.
 */
export function gateFileFindings(
  analysis: GateFindingContext,
  g: GateFileEntry,
  severity: (id: RuleId) => Severity | undefined,
): Finding[] {
  const out: Finding[] = [];
  const invalid = severity('invalid-gate-file');
  if (g.parsed.error && invalid) {
    const line = g.parsed.error.line;
    out.push({
      code: 'invalid-gate-file',
      severity: invalid,
      uri: g.uri,
      // (the YAML guard's reasons end in a full stop of their own)
      message: `Gate file ${basename(g.rel)} cannot be read: ${g.parsed.error.message.replace(/\.$/, '')}. Its phase cannot be complete until it is fixed.`,
      range: g.parsed.error.range ?? { start: { line, character: 0 }, end: { line, character: 0 } },
    });
    // A key that is a near miss of one the reader knows: the fix writes the key meant.
    const { range, meant } = g.parsed.error;
    if (analysis.detail && range && meant)
      out[out.length - 1].fixes = [
        {
          kind: 'edit',
          title: `Write \`${meant}\``,
          uri: g.uri,
          edits: [{ range, newText: meant }],
          preferred: true,
        },
      ];
  }
  // At most a warning: a check type the reader does not know is never an error (a newer
  // DDX may know it), only likely a slip.
  if (invalid)
    for (const f of misspeltChecks(g, invalid === 'error' ? 'warning' : invalid, analysis.detail))
      out.push(f);
  const phase = analysis.phaseOfGateFile(g);
  // A group written with nothing in it (`automated: []`, `manual: []`) can never pass, and
  // nothing else says why its phase stays incomplete (as `empty-gate` says of a heading).
  const empty = severity('empty-gate');
  if (empty && phase && !analysis.workflowOf(phase.uri)?.definition)
    for (const group of g.parsed.groups)
      if (group.items.length === 0 && group.keyRange)
        out.push({
          code: 'empty-gate',
          severity: empty,
          uri: g.uri,
          message: `Gate file ${basename(g.rel)}: "${group.heading}" has no criteria, so it can never pass and its phase cannot be complete. Add checks or manual items, or remove the key.`,
          range: group.keyRange,
        });
  // A phase folder of gate files only stands for itself by its first gate file: the phase
  // it claims beside another folder of the same number is said there (as on a phase document).
  const duplicate = severity('duplicate-phase');
  if (duplicate && phase?.uri === g.uri) {
    const w = analysis.workflowOf(phase.uri);
    // (by URI: a folder's stand-in is made anew as the gate files change)
    const others =
      w?.phases.filter((p) => p.uri !== phase.uri && p.phase!.number === phase.phase!.number) ?? [];
    if (w && others.length > 0)
      out.push({
        code: 'duplicate-phase',
        severity: duplicate,
        uri: g.uri,
        message: claimedBy(phase, others, 'documents', w.id),
        range: ZERO,
      });
  }
  // The phase the file says it is of (`phase:`, `number:`) and the one `transition.to_phase`
  // hands over to: links of the phase chain, said as one.
  const chain = severity('phase-chain');
  if (chain && phase) {
    const report: Report = (f) => {
      const finding: Finding = {
        code: 'phase-chain',
        severity: chain,
        uri: g.uri,
        message: f.message,
        range: f.range,
      };
      if (f.related !== undefined) finding.related = f.related;
      if (f.fixes !== undefined) finding.fixes = f.fixes;
      out.push(finding);
    };
    // (the phase the file says it is of, then the one it hands over to)
    checkPhaseKeys(analysis, g, phase, report);
    checkTransition(analysis, g, phase, report);
  }
  // A phase of gate files alone, started before an earlier phase is met: no phase document
  // to say it on, so said on its confirmed item.
  const order = severity('out-of-order');
  if (order && phase) {
    const f = outOfOrderInGateFile(analysis, phase, g.uri);
    if (f) {
      const finding: Finding = {
        code: 'out-of-order',
        severity: order,
        uri: g.uri,
        message: f.message,
        range: f.range,
      };
      if (analysis.detail && f.related !== undefined) finding.related = f.related;
      out.push(finding);
    }
  }
  const unmet = severity('unmet-criterion');
  if (!unmet || !phase) return out;
  const w = analysis.workflowOf(phase.uri);
  if (!w || w.definition) return out;
  const progress = phaseProgress(phase);
  if (!progress.started && currentPhase(w) !== phase) return out;
  for (const group of progress.groups) {
    if (group.file !== g.uri) continue;
    const label = LABEL[group.kind] ?? 'criterion';
    for (const item of group.items) {
      if (item.checked || !isGateItem(item)) continue;
      const why = reasonText(item);
      const fixes = analysis.detail ? fixesFor(analysis, g, item) : [];
      const f: Finding = {
        code: 'unmet-criterion',
        severity: unmet,
        uri: g.uri,
        message: `Unmet ${item.optional ? 'optional ' : ''}${label} (${group.heading}): ${item.text}${why ? ` — ${why}` : ''}`,
        range: item.range ?? ZERO,
      };
      if (fixes.length > 0) f.fixes = fixes;
      out.push(f);
    }
  }
  return out;
}

/** Check types that read a command's outcome their own way (not exit 0 passes). */
const OUTCOME_READ = new Set(['tests_failing', 'coverage_threshold']);

/**
 * A key of a check that is a near miss of one a check is read by (`paht:`, `patern:`), on
 * that key, with a fix writing the key meant. A `required:` value that is neither a true
 * nor a false spelling (`required: optional`), on that value. And a check type that is a near miss of a
 * known one (`file_exist`, `File_Exists`, `grep-present`), on its line whatever the phase's state: its item is never evaluated,
 * so a required one keeps its phase from completing. The quick fix writes the type meant
 * in place. A type near none (`file_contains`) is a type of its own: only "not evaluated".
 */
function misspeltChecks(g: GateFileEntry, severity: Severity, detail: boolean): Finding[] {
  const out: Finding[] = [];
  /** A slip on `range`, with the fix writing `meant` there. */
  const slip = (message: string, range: Range, meant: string) => {
    const f: Finding = { code: 'invalid-gate-file', severity, uri: g.uri, message, range };
    if (detail)
      f.fixes = [
        {
          kind: 'edit',
          title: `Write "${meant}"`,
          uri: g.uri,
          edits: [{ range, newText: meant }],
          preferred: true,
        },
      ];
    out.push(f);
  };
  for (const group of g.parsed.groups) {
    for (const d of group.items) {
      for (const t of d.keyTypos ?? [])
        slip(
          `Gate file ${basename(g.rel)}: unknown key "${t.key}" in a check — did you mean "${t.meant}"? Its value is not read until it is fixed.`,
          t.range,
          t.meant,
        );
      // A `required:` value read as neither (`optional`, `2`): the item counts as required.
      if (d.unreadRequired)
        out.push({
          code: 'invalid-gate-file',
          severity,
          uri: g.uri,
          message: `Gate file ${basename(g.rel)}: \`required\` is ${d.unreadRequired.value}, neither true nor false: write true, yes, on or 1 (required), or false, no, off or 0 (optional). The item counts as required until it is fixed.`,
          range: d.unreadRequired.range,
        });
      if (d.check === undefined || d.checkRange === undefined) continue;
      const meant = nearMiss(d.check, KNOWN_CHECKS);
      if (meant === undefined) continue;
      // A check of its own type with a command runs that command (`typecheck`): only a near
      // miss of a type that reads the command's outcome its own way is worth a word.
      if (d.command !== undefined && !OUTCOME_READ.has(meant)) continue;
      slip(
        `Gate file ${basename(g.rel)}: unknown check type "${d.check}" — did you mean "${meant}"? ${
          d.command !== undefined
            ? `Its command runs as a plain command (exit 0 passes), not as "${meant}" reads it.`
            : 'The check is not evaluated until it is fixed.'
        }`,
        d.checkRange,
        meant,
      );
    }
  }
  return out;
}

export function reasonText(item: GateItem): string {
  switch (item.state) {
    case 'failed':
      return item.reason ?? 'failed';
    case 'not-evaluated':
      return `not evaluated: ${item.reason ?? 'needs a command run'}`;
    case 'unconfirmed':
      return 'not confirmed yet (manual)';
    default:
      return item.reason ?? '';
  }
}

function fixesFor(analysis: GateFindingContext, g: GateFileEntry, item: GateItem): Fix[] {
  if (item.state === 'unconfirmed') {
    return [
      {
        kind: 'confirm',
        title: `Confirm "${short(item.text)}"`,
        folder: g.folder,
        file: g.rel,
        item: item.text,
      },
    ];
  }
  if (item.state !== 'failed') return [];
  const d = item.def;
  // A path naming what lies beside the gate file: writing it from the workspace folder is
  // meant, not a file of the workspace folder's in other letter case or a slip away.
  const beside = item.beside;
  const inCase = beside ? [] : caseFixes(analysis, g, d);
  if (inCase.length > 0) return inCase;
  // A path a slip away from a file or folder beside it: writing that one comes first.
  const near = beside ? besideFixes(g, d, beside) : nearFixes(analysis, g, d);
  const path = d.kind === 'evidence' ? d.evidencePath : d.check === 'file_exists' ? d.path : undefined;
  if (!path || !/\.md$/i.test(path) || /[*?[\]{}]/.test(path)) return near;
  // As the check reads it (`\` as `/`, `./` dropped; nothing outside the folder).
  const clean = cleanPath(path);
  const rel = clean === undefined ? undefined : normalizeRel(clean);
  if (!rel) return [];
  const index = analysis.index;
  if (index.docAt(g.folder, rel)) return near;
  const stem = stripMdExtension(basename(rel));
  const phase = analysis.phaseOfGateFile(g);
  const w = phase && analysis.workflowOf(phase.uri);
  const definition = w && !w.definition ? analysis.definitionFollowedBy(w) : undefined;
  const template = definition && artifactTemplate(analysis, definition, phase!, stem);
  return [
    ...near,
    {
      kind: 'create',
      title: `Create "${rel}"${template ? ' from its template' : ''}`,
      uri: index.uriFor(g.folder, rel),
      content: `# ${humanize(stem)}\n\n`,
      template: template?.uri,
      // Not when the reason names a file or folder a slip away: writing that one is meant
      // (its fix may not be offered: a path it cannot be written in exactly).
      preferred: near.length === 0 && !beside && !namesNearMiss(analysis, g, d),
    },
  ];
}

/**
 * The paths of an item written in the gate file, each with the range of its value and how
 * that is written (see `pathStyles`: `'`, `"`, `p`; undefined when not known).
 */
function writtenPaths(d: GateItemDef): [string, Range, string | undefined][] {
  const written: [string, Range, string | undefined][] = [];
  const style = (i: number) => {
    const c = d.pathStyles?.[i];
    return c === "'" || c === '"' || c === 'p' ? c : undefined;
  };
  if (d.kind === 'evidence') {
    if (d.evidencePath !== undefined && d.evidenceRange)
      written.push([d.evidencePath, d.evidenceRange, style(0)]);
  } else if (d.kind === 'check') {
    if (d.path !== undefined && d.pathRange) written.push([d.path, d.pathRange, style(0)]);
    d.fallbackRanges?.forEach((r, i) => {
      if (r) written.push([d.fallbackPaths![i], r, style(i + 1)]);
    });
  }
  return written;
}

/**
 * For a check that failed on paths naming nothing but a slip away from a file or folder
 * beside them (`test-pln.md` beside `test-plan.md`; see `nearMissPath`): an edit writing
 * that name in place of the one written. Only the last name changes (`./`, a leading `/`,
 * the folders and a trailing `/` stay as written), in the value's own quoting (see
 * `nameInStyle`); none when the path is a glob, or its name is not written as the check
 * reads it.
 */
function nearFixes(analysis: GateFindingContext, g: GateFileEntry, d: GateItemDef): Fix[] {
  const written = writtenPaths(d);
  if (written.length === 0) return [];
  const folders = foldersMeant(d);
  const env = folderFiles(analysis.index, g.folder);
  const out: Fix[] = [];
  for (const [path, range, style] of written) {
    if (GLOB.test(path) || style === undefined || range.start.line !== range.end.line) continue;
    if (range.end.character - range.start.character !== path.length) continue;
    const clean = cleanPath(path);
    const rel = clean === undefined ? undefined : normalizeRel(clean);
    if (!rel) continue;
    const near = nearMissPath(env, path, folders);
    if (near === undefined) continue;
    // The name as written: after the last `/` (or `\`), before one trailing `/`.
    const body = path.endsWith('/') ? path.slice(0, -1) : path;
    const from = Math.max(body.lastIndexOf('/'), body.lastIndexOf('\\')) + 1;
    const name = body.slice(from);
    if (name === '' || name !== basename(rel)) continue;
    const meant = basename(near.endsWith('/') ? near.slice(0, -1) : near);
    const newPath = path.slice(0, from) + meant + path.slice(body.length);
    const newText = nameInStyle(meant, style, newPath);
    if (newText === undefined || newPath === path) continue;
    const start = range.start.character + from;
    out.push({
      kind: 'edit',
      title: `Write "${newPath}" in place of "${path}"`,
      uri: g.uri,
      edits: [
        {
          range: {
            start: { line: range.start.line, character: start },
            end: { line: range.start.line, character: start + name.length },
          },
          newText,
        },
      ],
      preferred: true,
    });
  }
  return out;
}

/** Whether only folders are meant by an item's paths (`dir_not_empty`, `tests_exist`). */
function foldersMeant(d: GateItemDef): boolean {
  return d.kind === 'check' && (d.check === 'dir_not_empty' || d.check === 'tests_exist');
}

/**
 * Whether a path of the item names nothing but a file or folder a slip away, as its
 * reason says ("did you mean …", see `nearMissPath`), written in place or not.
 */
function namesNearMiss(analysis: GateFindingContext, g: GateFileEntry, d: GateItemDef): boolean {
  const paths = d.kind === 'evidence' ? [d.evidencePath] : [d.path, ...(d.fallbackPaths ?? [])];
  const env = folderFiles(analysis.index, g.folder);
  const folders = foldersMeant(d);
  return paths.some((p) => p !== undefined && p !== '' && nearMissPath(env, p, folders) !== undefined);
}

/**
 * For a check that failed on a path written relative to its gate file (`test-plan.md`
 * beside it, see `BesideGate`): an edit writing the path from the workspace folder in
 * place of the value, in the value's own quoting (see `nameInStyle`); none when the value
 * is not written in place as the check reads it.
 */
function besideFixes(g: GateFileEntry, d: GateItemDef, beside: BesideGate): Fix[] {
  for (const [path, range, style] of writtenPaths(d)) {
    if (path !== beside.written || style === undefined || range.start.line !== range.end.line) continue;
    if (range.end.character - range.start.character !== path.length) continue;
    const newText = nameInStyle(beside.path, style, beside.path);
    if (newText === undefined) continue;
    return [
      {
        kind: 'edit',
        title: `Write "${beside.path}" in place of "${path}"`,
        uri: g.uri,
        edits: [{ range, newText }],
        preferred: true,
      },
    ];
  }
  return [];
}

/**
 * A name as the text inside a value written in `style` holds it: `''` for `'` in single
 * quotes, escaped in double quotes; in a plain value only when the whole new value (`value`)
 * still reads as exactly that text, in a block or a flow collection (no ` #`, `: `, `,`,
 * brackets, edge spaces…). Undefined when it cannot be written so.
 */
function nameInStyle(name: string, style: string, value: string): string | undefined {
  if (NOT_PRINTABLE.test(name)) return undefined;
  if (style === "'") return name.replace(/'/g, "''");
  if (style === '"') return doubleQuoted(name).slice(1, -1);
  return readsPlain(value, false) && readsPlain(value, true) ? name : undefined;
}

/** Characters a gate path's name is not written with in place (line breaks, controls). */
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

/**
 * For a check that failed on paths naming files only in other letter case: an edit
 * writing each such path as it is on disk, when it is written in place and as it reads
 * (no `./`, `//` or `\\`, no glob) and differs from the file's path in letter case alone.
 */
function caseFixes(analysis: GateFindingContext, g: GateFileEntry, d: GateItemDef): Fix[] {
  const written = writtenPaths(d);
  if (written.length === 0) return [];
  const env = folderFiles(analysis.index, g.folder);
  const out: Fix[] = [];
  for (const [path, range] of written) {
    if (GLOB.test(path) || cleanPath(path) !== path || path.includes('//') || !/[/.]/.test(path)) continue;
    const onDisk = inOtherCase(env, path);
    if (onDisk === undefined || onDisk.length !== path.length || onDisk.toLowerCase() !== path.toLowerCase())
      continue;
    out.push({
      kind: 'edit',
      // (an item may have several such paths: each fix names the one it writes)
      title: `Write "${path}" as it is on disk: "${onDisk}"`,
      uri: g.uri,
      edits: [{ range, newText: onDisk }],
      preferred: true,
    });
  }
  return out;
}

/**
 * The template a workflow definition has for an artifact type, `…/artifacts/<type>/template.md`
 * among its own documents: the one in its phase named as `phase` (`01-frame`) first,
 * else the first by path.
 */
export function artifactTemplate(
  analysis: GateFindingContext,
  definition: WorkflowInstance,
  phase: DocEntry,
  type: string,
): DocEntry | undefined {
  const key = slug(type);
  const stem = stemOf(phase).toLowerCase();
  const inPhase = (e: DocEntry) => {
    const dirs = e.dir.split('/');
    return dirs.length >= 3 && dirs[dirs.length - 3].toLowerCase() === stem;
  };
  const found = analysis.index
    .named(definition.folder, 'template')
    .filter(
      (e) =>
        /(^|\/)artifacts\/[^/]+$/i.test(e.dir) &&
        slug(basename(e.dir)) === key &&
        analysis.definitionAt(e.folder, e.dir) === definition,
    );
  found.sort(
    (a, b) => Number(inPhase(b)) - Number(inPhase(a)) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0),
  );
  return found[0];
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
