// What "New Workflow…" writes for a workflow instance made from a definition in the workspace
// (a HELIX library, `template: true` documents, `cdp.definitions` folders), without the editor
// API: the phase documents and their gate files, in the same layout under the chosen folder,
// boxes unticked, the `template` mark dropped, relative links to files that are not copied
// pointed at the originals. Paths are absolute, `/`-separated and decoded.

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

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `a/b/../c` → `a/c`; undefined when `..` climbs above the root. */
export function normalizePath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** The relative path from folder `from` to `to` (both absolute). */
export function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  const rel = [...up, ...b.slice(i)].join('/');
  return rel === '' ? '.' : rel;
}

/** A phase document in a folder of its own (`00-discover/README.md`) rather than a flat `01-frame.md`. */
function isFolderPhase(doc: string): boolean {
  return /^(readme|index)\.md$/i.test(baseOf(doc));
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
): PlannedFile[] {
  const root = definitionRoot(phases);
  const sources: string[] = [];
  for (const p of phases) for (const f of [p.doc, ...p.gateFiles]) if (!sources.includes(f)) sources.push(f);
  const copied = new Set(sources);
  const out: PlannedFile[] = [];
  for (const source of sources) {
    const text = texts.get(source);
    if (text === undefined || !source.startsWith(`${root}/`)) continue;
    const rel = source.slice(root.length + 1);
    const isDoc = /\.md$/i.test(source);
    out.push({
      rel,
      source,
      text: isDoc ? instanceText(text, dirOf(source), dirOf(`${target}/${rel}`), copied) : text,
    });
  }
  return out;
}

const TASK = /^(\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s+\[)[xX](\])/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const TEMPLATE_MARK = /^template\s*:\s*["']?(?:true|yes)["']?\s*(?:#.*)?$/i;
// an inline link or image destination without spaces or angle brackets: ](dest) or ](dest "title")
const LINK = /(\]\()([^()\s<>]+)((?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\))/g;

/** A phase document's text for the instance: boxes unticked, no `template` mark, links rewired. */
export function instanceText(
  text: string,
  fromDir: string,
  toDir: string,
  copied: ReadonlySet<string>,
): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  const meta = metadataBlock(lines);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (meta && i > meta.start && i < meta.end) {
      if (!TEMPLATE_MARK.test(line.replace(/\r$/, ''))) out.push(line);
      continue;
    }
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length) fence = undefined;
      out.push(line);
      continue;
    }
    if (f) {
      fence = f[1];
      out.push(line);
      continue;
    }
    out.push(
      line.replace(TASK, '$1 $2').replace(LINK, (all, open: string, dest: string, close: string) => {
        const moved = rewire(dest, fromDir, toDir, copied);
        return moved === undefined ? all : `${open}${moved}${close}`;
      }),
    );
  }
  return out.join('\n');
}

/** The lines of the metadata block: front matter, or a `---` block right after the `# Title`. */
function metadataBlock(lines: string[]): { start: number; end: number } | undefined {
  let start = -1;
  if (/^---\s*$/.test(lines[0] ?? '')) start = 0;
  else if (/^#\s/.test(lines[0] ?? '') && /^---\s*$/.test(lines[1] ?? '')) start = 1;
  if (start < 0) return undefined;
  for (let i = start + 1; i < lines.length; i++)
    if (/^(?:---|\.\.\.)\s*$/.test(lines[i]!)) return { start, end: i };
  return undefined;
}

/** A relative link's new destination, or undefined to keep it as written. */
function rewire(
  dest: string,
  fromDir: string,
  toDir: string,
  copied: ReadonlySet<string>,
): string | undefined {
  if (dest.startsWith('#') || dest.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(dest)) return undefined;
  const hash = dest.indexOf('#');
  const pathPart = hash < 0 ? dest : dest.slice(0, hash);
  const anchor = hash < 0 ? '' : dest.slice(hash);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return undefined;
  }
  const abs = normalizePath(`${fromDir}/${decoded}`);
  // a copied file keeps its place beside the others: the link stays as written
  if (abs === undefined || copied.has(abs)) return undefined;
  const rel = relativePath(toDir, abs);
  return `${encodeURI(rel)}${anchor}`;
}

/** Why a folder name cannot hold a new instance, or undefined when it can. */
export function validateFolderName(name: string): string | undefined {
  const n = name.trim();
  if (n === '') return 'Give the folder a name.';
  if (n === '.' || n === '..' || /[\\/:*?"<>|\u0000-\u001f]/.test(n))
    return 'A folder name without / \\ : * ? " < > | (the folder goes into the folder you chose).';
  return undefined;
}
