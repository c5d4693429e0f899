import { applyEdits, linkTargetEdit } from './edits';
import { GLOB } from './gates/evaluate';
import { evidencePath } from './gates/parse';
import { gateValueEdits, type Rewrite } from './gates/rewrite';
import { parseDocument } from './parse/document';
import { encodeAsWritten } from './parse/mdlink';
import { basename, normalizeRel } from './paths';
import { LineIndex, writtenPathParts } from './text';
import type { TextEdit, WikiLink } from './types';

/*
 * What "New Workflow…" writes for a workflow instance made from a definition in the
 * workspace (a HELIX library, `template: true` documents, `cdp.definitions` folders): the
 * phase documents and their gate files, in the same layout under the chosen folder. In
 * the documents boxes are unticked, the `template` mark is dropped and every link the
 * parser reads (inline and reference links, images, `<…>` destinations, wikilinks with a
 * path, metadata paths) leads where it led: to the copy of a copied file, else to the
 * original. In the gate files, paths into the definition's phase folders, and HELIX paths
 * `docs/helix/NN-name/…` of its phases, name the copy's phase folders. Paths are
 * absolute, `/`-separated and decoded.
 */

/** One phase of a definition: its document and the gate files read for it. */
export interface DefinitionPhase {
  doc: string;
  gateFiles: string[];
}

export interface PlannedFile {
  /** Path relative to the new workflow's folder. */
  rel: string;
  /** The file it is copied from. */
  source: string;
  text: string;
}

/** A gate file's path value the copy keeps as written though it names the definition's phases' files. */
export interface UnmappedPath {
  /** The copied gate file, relative to the new workflow's folder. */
  rel: string;
  /** 0-based line of the value. */
  line: number;
  value: string;
}

export interface InstancePlan {
  files: PlannedFile[];
  unmapped: UnmappedPath[];
}

export interface PlanOptions {
  /** The workspace folder the definition's gate paths are relative to. */
  sourceRoot: string;
  /** The workspace folder the copy's gate paths are relative to. */
  targetRoot: string;
  /**
   * Where a wikilink of a definition document written with a path (`[[../shared/glossary]]`)
   * leads, as the resolver reads it (absolute path), or undefined when it leads nowhere.
   * Without it, the path is read relative to the document.
   */
  wikiTarget?: (doc: string, link: WikiLink) => string | undefined;
  /**
   * The places the definition covers (`WorkflowInstance.definitionAreas`: folders relative
   * to the source root, `deep` with their subfolders, else the files directly in them): gate
   * paths into them that the copy has no place for are said.
   */
  areas?: readonly { dir: string; deep: boolean }[];
}

/** The HELIX layout of a workflow's documents: `docs/helix/NN-name/…` under the root gate paths are relative to. */
const HELIX_DOCS = 'docs/helix';

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** `a/b/../c` → `a/c`; undefined when `..` climbs above the root. */
function normalizePath(path: string): string | undefined {
  const rel = normalizeRel(path.replace(/^\/+/, ''));
  return rel === undefined ? undefined : `/${rel}`;
}

/** The relative path from folder `from` to `to` (both absolute). */
export function relativeAbs(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  const rel = [...up, ...b.slice(i)].join('/');
  return rel === '' ? '.' : rel;
}

/** `path` relative to folder `root`, '' for the folder itself; undefined when outside it. */
function inside(root: string, path: string): string | undefined {
  if (path === root) return '';
  if (root === '/') return path.slice(1);
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}

/** A phase document in a folder of its own (`00-discover/README.md`) rather than a flat `01-frame.md`. */
function isFolderPhase(doc: string): boolean {
  return /^(readme|index)\.md$/i.test(basename(doc));
}

/**
 * The folder the definition's phases are laid out in: the parent of its phase folders (or of
 * its flat phase documents), their deepest common folder when they differ.
 */
export function definitionRoot(phases: readonly DefinitionPhase[]): string {
  const bases = phases.map((p) => (isFolderPhase(p.doc) ? dirOf(dirOf(p.doc)) : dirOf(p.doc)));
  let root = bases[0] ?? '/';
  for (const b of bases.slice(1)) {
    while (root !== '/' && b !== root && !b.startsWith(`${root}/`)) root = dirOf(root);
  }
  return root;
}

/**
 * The files of a new instance in `target`: each phase document and gate file of the
 * definition at the same place relative to the definition's root. `texts` holds the text of
 * every source file (a file without text is left out).
 */
export function planInstance(
  phases: readonly DefinitionPhase[],
  texts: ReadonlyMap<string, string>,
  target: string,
  options: PlanOptions,
): InstancePlan {
  const root = definitionRoot(phases);
  const sources: string[] = [];
  for (const p of phases) for (const f of [p.doc, ...p.gateFiles]) if (!sources.includes(f)) sources.push(f);
  const copies = new Map<string, string>();
  for (const source of sources) {
    const rel = texts.has(source) ? inside(root, source) : undefined;
    if (rel) copies.set(source, `${target}/${rel}`);
  }
  const gatePath = gatePathMap(phases, root, target, options);
  const files: PlannedFile[] = [];
  const unmapped: UnmappedPath[] = [];
  for (const source of sources) {
    const text = texts.get(source);
    const rel = text === undefined ? undefined : inside(root, source);
    if (text === undefined || !rel) continue;
    const to = `${target}/${rel}`;
    if (/\.md$/i.test(source)) {
      files.push({ rel, source, text: instanceText(text, source, dirOf(to), copies, options.wikiTarget) });
    } else {
      const gate = instanceGateText(text, gatePath);
      files.push({ rel, source, text: gate.text });
      for (const u of gate.unmapped) unmapped.push({ rel, ...u });
    }
  }
  return { files, unmapped };
}

/**
 * How a path of the definition's gate files (relative to the source root, clean, without
 * `./`) reads in the copy's (relative to the target root): the new path; `null` when it
 * names the definition's phases' files but has no place in the copy; undefined when it
 * names something else (a project file: kept).
 */
type GatePathMap = (path: string) => string | null | undefined;

function gatePathMap(
  phases: readonly DefinitionPhase[],
  root: string,
  target: string,
  { sourceRoot, targetRoot, areas }: PlanOptions,
): GatePathMap {
  const targetRel = inside(targetRoot, target);
  /** Folder prefixes (source-root relative, lower case) → the folder's place under the target. */
  const folders: { from: string; to: string }[] = [];
  /** The definition's phase folders by name: `01-frame`. */
  const names = new Set<string>();
  for (const p of phases) {
    if (!isFolderPhase(p.doc)) continue;
    const dir = dirOf(p.doc);
    const rel = inside(root, dir);
    const from = inside(sourceRoot, dir);
    if (!rel || from === undefined || from === '') continue;
    folders.push({ from, to: rel });
    names.add(basename(dir).toLowerCase());
  }
  const under = (path: string, folder: string) =>
    path.toLowerCase() === folder.toLowerCase() || path.toLowerCase().startsWith(`${folder.toLowerCase()}/`);
  const place = (rel: string) =>
    targetRel === undefined ? null : targetRel === '' ? rel : `${targetRel}/${rel}`;
  return (path) => {
    for (const f of folders) if (under(path, f.from)) return place(f.to + path.slice(f.from.length));
    if (under(path, HELIX_DOCS)) {
      const rest = path.slice(HELIX_DOCS.length + 1);
      const slash = rest.indexOf('/');
      const name = slash === -1 ? rest : rest.slice(0, slash);
      return names.has(name.toLowerCase()) && !GLOB.test(name) ? place(rest) : null;
    }
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (
      areas?.some((a) =>
        a.deep ? a.dir === '' || under(path, a.dir) : dir.toLowerCase() === a.dir.toLowerCase(),
      )
    )
      return null;
    return undefined;
  };
}

/** A gate file's text for the copy, its path values mapped; the values left as written that could not be. */
function instanceGateText(
  text: string,
  map: GatePathMap,
): { text: string; unmapped: { line: number; value: string }[] } {
  const missed: string[] = [];
  /** A path value as written (`./` and trailing `/` kept), mapped; null when it names the phases' files but cannot be. */
  const mapWritten = (value: string): string | null | undefined => {
    const written = writtenPathParts(value.trim());
    const path = written.path;
    if (path === '' || path.startsWith('/') || path.includes('\\') || path.split('/').includes('..'))
      return undefined;
    const to = map(path);
    if (to === undefined || to === null) return to;
    return `${written.dot}${to}${written.slashes}`;
  };
  const rewrite: Rewrite = (kind, value) => {
    let next: string | null | undefined;
    if (kind === 'path') next = mapWritten(value);
    else {
      const ev = evidencePath(value);
      if (!ev) return undefined;
      const hash = value.indexOf('#');
      const path = mapWritten(hash === -1 ? value : value.slice(0, hash));
      next = typeof path === 'string' ? path + (hash === -1 ? '' : value.slice(hash)) : path;
    }
    if (next === null) missed.push(value);
    return next === null ? undefined : next;
  };
  const { edits, refused } = gateValueEdits(text, rewrite);
  const lines = new LineIndex(text);
  const unmapped: { line: number; value: string }[] = [];
  const lineOfValue = (value: string) => {
    for (let l = 0; l < lines.lineCount; l++)
      if (text.slice(lines.starts[l], lines.lineEnd(l)).includes(value)) return l;
    return 0;
  };
  for (const value of missed) unmapped.push({ line: lineOfValue(value), value });
  for (const line of refused)
    unmapped.push({ line, value: text.slice(lines.starts[line], lines.lineEnd(line)).trim() });
  unmapped.sort((a, b) => a.line - b.line);
  return { text: applyEdits(text, edits), unmapped };
}

const TEMPLATE_MARK = /^template\s*:\s*["']?(?:true|yes)["']?\s*(?:#.*)?$/i;

/**
 * A phase document's text for the instance (`source` is the definition's document, `toDir`
 * the copy's folder): boxes unticked, no `template` mark, every relative link leading
 * where it led.
 */
export function instanceText(
  text: string,
  source: string,
  toDir: string,
  copies: ReadonlyMap<string, string>,
  wikiTarget?: (doc: string, link: WikiLink) => string | undefined,
): string {
  const doc = parseDocument(source, text, 'fast');
  const lines = new LineIndex(text);
  const edits: TextEdit[] = [];
  for (const t of doc.tasks) if (t.checked) edits.push({ range: t.checkboxRange, newText: '[ ]' });
  const fromDir = dirOf(source);
  for (const link of doc.links) {
    const next = rewired(link, source, fromDir, toDir, copies, wikiTarget);
    if (next !== undefined) edits.push(linkTargetEdit(link, next));
  }
  // The `template: true` line of the metadata block goes.
  const mark = doc.metadata.entries.find((e) => e.key === 'template');
  if (mark && mark.range.start.line === mark.range.end.line) {
    const l = mark.range.start.line;
    const line = text.slice(lines.starts[l], lines.lineEnd(l));
    if (TEMPLATE_MARK.test(line.trim()) && !/^\s/.test(line)) {
      // The mark alone in its block (`---`, the mark, `---`): the block goes, with a blank
      // line after it, rather than leaving two rules behind.
      const block = doc.metadata.range;
      const alone =
        doc.metadata.entries.length === 1 && block?.start.line === l - 1 && block.end.line === l + 1;
      const first = alone ? l - 1 : l;
      let last = alone ? l + 1 : l;
      if (alone && last + 1 < lines.lineCount && lines.lineText(last + 1).trim() === '') last++;
      const end = last + 1 < lines.lineCount ? lines.starts[last + 1] : text.length;
      edits.push({ range: lines.rangeOf(lines.starts[first], end), newText: '' });
    }
  }
  return applyEdits(text, edits);
}

/**
 * Where the copy has `path`: the copy of a copied file (named with or without `.md`), or of
 * a folder holding one; undefined when it is not copied.
 */
function copyOf(path: string, copies: ReadonlyMap<string, string>): string | undefined {
  const file = copies.get(path);
  if (file !== undefined) return file;
  const md = copies.get(`${path}.md`);
  if (md !== undefined) return md.slice(0, -3);
  for (const [source, copy] of copies) {
    const rest = source.startsWith(`${path}/`) ? source.slice(path.length) : undefined;
    if (rest !== undefined && copy.endsWith(rest)) return copy.slice(0, -rest.length);
  }
  return undefined;
}

/** A link's new target text, or undefined to keep it as written. */
function rewired(
  link: WikiLink,
  source: string,
  fromDir: string,
  toDir: string,
  copies: ReadonlyMap<string, string>,
  wikiTarget?: (doc: string, link: WikiLink) => string | undefined,
): string | undefined {
  const target = link.target;
  if (link.syntax === 'markdown') {
    // An anchor of the document itself, or a path from the workspace folder's root.
    if (target === '' || target.startsWith('/')) return undefined;
    const abs = normalizePath(`${fromDir}/${target}`);
    if (abs === undefined) return undefined;
    const to = copyOf(abs, copies) ?? abs;
    // Written as it was while it leads there from the copy (links between copied files).
    if (normalizePath(`${toDir}/${target}`) === to) return undefined;
    let rel = relativeAbs(toDir, to);
    if (/\/$/.test(target) && rel !== '.') rel += '/';
    const written = link.written ?? target;
    // Metadata values are YAML text, not link destinations: written plain unless they were encoded.
    if (link.source === 'metadata' && !/[%\\]/.test(written)) return /["'#]/.test(rel) ? undefined : rel;
    return encodeAsWritten(rel, written, link.angle === true);
  }
  // A wikilink written with a path; a bare name is found by name from the copy as well.
  if (!target.includes('/') && !target.includes('\\')) return undefined;
  const at = wikiTarget
    ? wikiTarget(source, link)
    : normalizePath(`${fromDir}/${target.replace(/\\/g, '/')}`);
  if (at === undefined) return undefined;
  const to = copyOf(at, copies) ?? at;
  const path = /\.md$/i.test(target) || !/\.md$/i.test(to) ? to : to.slice(0, -3);
  if (normalizePath(`${toDir}/${target.replace(/\\/g, '/')}`) === path) return undefined;
  const rel = relativeAbs(toDir, path);
  return /[|#\]]/.test(rel) ? undefined : rel;
}
