import type { CancellationToken } from 'vscode-languageserver';
import { cmp } from '../core/collections';
import { cleanPath, fixedPart, GLOB } from '../core/gates/evaluate';
import { evidencePath, type GateItemDef } from '../core/gates/parse';
import {
  confirmationValueEdits,
  type GateValueKind,
  gateValueEdits,
  gateValueRanges,
  type Rewrite,
} from '../core/gates/rewrite';
import { CONFIRMATIONS_FILE, confirmationFile, type GateFileEntry } from '../core/gates/store';
import type { DocEntry } from '../core/index';
import { decodeDestination, encodeAsWritten } from '../core/parse/mdlink';
import { dirname, normalizeRel } from '../core/paths';
import { evidenceLanding, headingAnchors } from '../core/resolve';
import { slug, writtenPathParts } from '../core/text';
import type { TextEdit as CoreTextEdit, Heading, Range } from '../core/types';
import { type FeatureContext, notUtf8Reason, refuse, throwIfCancelled } from './context';

/**
 * What a rename changes in the gate files of a workspace folder: paths (of files or
 * folders, relative to the workspace folder) that move, and the heading of a document
 * that gets a new text. Gate files name paths relative to the workspace folder:
 * `evidence: docs/prd.md#goals`, a check's `path` and `fallback_paths`; the
 * confirmations file names gate files by their paths (`file:`).
 */
export interface GateChange {
  folder: string;
  moves: { from: string; to: string }[];
  heading?: { entry: DocEntry; heading: Heading; text: string };
}

/**
 * How a gate file's path value reads after `change`: a path naming a moved file, a moved
 * folder or something inside it gets the new path (written with `./` and a trailing `/`
 * when it was); an evidence keeps its `#anchor`, and an anchor naming the renamed
 * heading gets its new anchor. A glob whose fixed part (its folders before the first
 * wildcard) is in a moved folder gets the new folder.
 */
export function gateRewrite(change: GateChange): Rewrite {
  const movePath = (written: string): string | null | undefined => {
    if (change.moves.length === 0) return undefined;
    // A path written with `\` is read as with `/` (as the checks read it), and written
    // back with `\` when it had no `/`.
    const next = moveSlashed(written.replace(/\\/g, '/'));
    return typeof next === 'string' && !written.includes('/') && written.includes('\\')
      ? next.replace(/\//g, '\\')
      : next;
  };
  const moveSlashed = (value: string): string | null | undefined => {
    const clean = cleanPath(value);
    if (!clean) return undefined;
    // A glob moves with the folder its fixed part lies in (`docs/02-design/**/*.md`): left
    // behind, it would match nothing, and a `grep_absent` over it would pass on nothing.
    const glob = GLOB.test(clean);
    const base = glob ? fixedPart(clean) : clean;
    if (!base) return undefined;
    const to = movedPath(change, base);
    if (to === undefined) return undefined;
    // A new name that reads as a glob would match other files: refused.
    if (glob && GLOB.test(to)) return null;
    const moved = to + clean.slice(base.length);
    const written = writtenPathParts(value);
    return written.path === clean ? `${written.dot}${moved}${written.slashes}` : moved;
  };
  const h = change.heading;
  // GitHub's anchors of that document's headings before and after the rename: the renamed
  // heading's new one, and those of repeated headings whose `-1`, `-2` numbering shifts
  // (`#overview-1` is `#overview` once the first `Overview` gets another text).
  const hs = h?.entry.doc.headings ?? [];
  const at = h ? hs.indexOf(h.heading) : -1;
  const before = at === -1 ? [] : headingAnchors(hs);
  const after = at === -1 ? [] : headingAnchors(hs, { index: at, text: h!.text });
  const anchor = h && (at === -1 ? slug(h.text) : after[at]);
  return (kind, value) => {
    if (kind === 'path') return movePath(value);
    const ev = evidencePath(value);
    if (!ev) return undefined;
    const hash = value.indexOf('#');
    const path = hash === -1 ? value : value.slice(0, hash);
    let tail = hash === -1 ? '' : value.slice(hash);
    if (
      h &&
      ev.anchor !== undefined &&
      readPath(path) === h.entry.rel &&
      landsOn(h.entry, ev.anchor, h.heading) &&
      decodeDestination(ev.anchor).toLowerCase() !== anchor &&
      decodeDestination(ev.anchor) !== h.text
    )
      // Written as the heading's text when it was (`#Success Metrics`); else as GitHub's
      // anchor, encoded when the old one was (`#%C3%BCber`).
      tail = `#${
        decodeDestination(ev.anchor) === h.heading.text && ev.anchor !== before[at]
          ? h.text
          : encodeAsWritten(anchor!, ev.anchor, true)
      }`;
    else if (h && at !== -1 && ev.anchor !== undefined && readPath(path) === h.entry.rel) {
      // An anchor GitHub numbered (`#overview-1`) on a heading whose number shifts: its new
      // one (written as GitHub's anchor only: one written as the heading's text stays).
      const landing = evidenceLanding(h.entry, ev.anchor);
      const j = landing && 'heading' in landing ? hs.indexOf(landing.heading) : -1;
      if (
        j !== -1 &&
        j !== at &&
        before[j] !== after[j] &&
        decodeDestination(ev.anchor).toLowerCase() === before[j]
      )
        tail = `#${encodeAsWritten(after[j], ev.anchor, true)}`;
    }
    const moved = movePath(path);
    if (moved === null) return null;
    const newPath = moved ?? path;
    const next = newPath + tail;
    if (next === value) return undefined;
    // Read back as a path and anchor: a new name with white space or `#` is no evidence path.
    const back = evidencePath(next);
    if (!back || back.path !== newPath || back.anchor !== (tail.length > 1 ? tail.slice(1) : undefined))
      return null;
    return next;
  };
}

/**
 * Where the gate files of `entry`'s workspace folder name it (a check's `path`, a
 * `fallback_paths` entry, an `evidence` path) or, with `heading`, that heading (an
 * `evidence` anchor landing on it): the values, as a rename of them would edit them.
 */
export async function gateReferences(
  ctx: FeatureContext,
  entry: DocEntry,
  heading: Heading | undefined,
  token?: CancellationToken,
): Promise<{ uri: string; range: Range }[]> {
  const names = (kind: GateValueKind, value: string): boolean => {
    if (kind === 'phase') return false;
    if (kind === 'path') return heading === undefined && !GLOB.test(value) && readPath(value) === entry.rel;
    const ev = evidencePath(value);
    if (!ev || readPath(ev.path) !== entry.rel) return false;
    return heading === undefined || (ev.anchor !== undefined && landsOn(entry, ev.anchor, heading));
  };
  const out: { uri: string; range: Range }[] = [];
  for (const g of gateFilesIn(ctx, entry.folder)) {
    if (definitionOwn(ctx, g)?.(entry.rel) === false) continue;
    const item = (i: GateItemDef) =>
      (i.path !== undefined && names('path', i.path)) ||
      (i.fallbackPaths ?? []).some((f) => names('path', f)) ||
      (i.evidencePath !== undefined &&
        names('evidence', `${i.evidencePath}${i.anchor ? `#${i.anchor}` : ''}`));
    if (!g.parsed.groups.some((group) => group.items.some(item))) continue;
    const text = await ctx.readText(g.uri);
    throwIfCancelled(token);
    if (text === undefined) continue;
    for (const range of gateValueRanges(text, names)) out.push({ uri: g.uri, range });
  }
  return out;
}

/**
 * For a gate file of a workflow definition: which paths (relative to the workspace
 * folder) its values follow. Its paths name the layout every instance fills in
 * (`docs/helix/01-frame/prd.md`), not one project's files: a rename or move of a project's
 * document leaves them as they are; only paths of the definition's own documents, or of a
 * folder holding the gate file, are followed. Undefined for any other gate file.
 */
function definitionOwn(ctx: FeatureContext, g: GateFileEntry): ((rel: string) => boolean) | undefined {
  const d = ctx.analysis.definitionAt(g.folder, g.dir);
  if (d === undefined) return undefined;
  // A document: the definition's when its folder is; a folder (or another file): when
  // the definition holds it (a definition at the workspace folder's root holds its own
  // files there, not the project's `docs/` beside it).
  const isDocument = (rel: string) => ctx.index.get(ctx.index.uriFor(g.folder, rel)) !== undefined;
  return (rel) =>
    g.rel.startsWith(`${rel}/`) ||
    ctx.analysis.definitionAt(g.folder, isDocument(rel) ? dirname(rel) : rel) === d;
}

/** A gate path as the checks read it (`./`, `//` and `.` segments gone), or undefined. */
function readPath(value: string): string | undefined {
  const clean = cleanPath(value);
  return clean === undefined ? undefined : (normalizeRel(clean) ?? clean);
}

/** The gate files of a workspace folder, by path. */
function gateFilesIn(ctx: FeatureContext, folder: string): GateFileEntry[] {
  return [...ctx.index.gates.all()].filter((g) => g.folder === folder).sort((a, b) => cmp(a.rel, b.rel));
}

/** Whether an evidence `#anchor` names this heading (read as gate checks read it). */
function landsOn(entry: DocEntry, anchor: string, h: Heading): boolean {
  const landing = evidenceLanding(entry, anchor);
  return landing !== undefined && 'heading' in landing && landing.heading === h;
}

/** Whether any path value of a gate file (as indexed) reads otherwise after `rewrite`. */
function touches(g: GateFileEntry, rewrite: Rewrite): boolean {
  const changes = (kind: 'path' | 'evidence', v: string | undefined) => {
    if (v === undefined) return false;
    const next = rewrite(kind, v);
    return next !== undefined && next !== v;
  };
  const item = (i: GateItemDef) =>
    changes('path', i.path) ||
    (i.fallbackPaths ?? []).some((f) => changes('path', f)) ||
    changes(
      'evidence',
      i.evidencePath === undefined ? undefined : `${i.evidencePath}${i.anchor ? `#${i.anchor}` : ''}`,
    );
  return g.parsed.groups.some((group) => group.items.some(item));
}

/**
 * The edits to the gate files and the confirmations file of each changed workspace
 * folder, computed on their texts as they are now (the editor's when open). A value that
 * cannot be rewritten without changing anything else of its file refuses the rename, or
 * with `partial` (files the editor moves whatever the answer) is left as it is and named
 * in `left` (`docs/helix/01-frame/GATE.yaml line 7`).
 */
export async function gateEdits(
  ctx: FeatureContext,
  changes: readonly GateChange[],
  partial: boolean,
  token: CancellationToken,
  left?: string[],
): Promise<Map<string, CoreTextEdit[]>> {
  const out = new Map<string, CoreTextEdit[]>();
  for (const change of changes) {
    const all = gateRewrite(change);
    const files = gateFilesIn(ctx, change.folder);
    for (const g of files) {
      const own = definitionOwn(ctx, g);
      let rewrite = all;
      if (own !== undefined) {
        const mine: GateChange = {
          folder: change.folder,
          moves: change.moves.filter((m) => own(m.from)),
          heading: change.heading && own(change.heading.entry.rel) ? change.heading : undefined,
        };
        if (mine.moves.length === 0 && mine.heading === undefined) continue;
        rewrite = gateRewrite(mine);
      }
      if (g.parsed.error) {
        // A file that cannot be read has no values to rewrite: one naming a moved path is
        // left as it is, and said so.
        if (change.moves.length === 0) continue;
        const text = await ctx.readText(g.uri);
        throwIfCancelled(token);
        if (text !== undefined && change.moves.some((m) => text.replace(/\\/g, '/').includes(m.from)))
          left?.push(
            `the paths in ${g.rel} (it cannot be read: ${g.parsed.error.message.replace(/\.$/, '')})`,
          );
        continue;
      }
      // `transition.to_phase` names a phase folder beside the gate file's own by its name.
      const toPhase = phaseMoved(change, g);
      if (toPhase !== undefined) {
        const paths = rewrite;
        rewrite = (kind, value) =>
          kind === 'phase'
            ? value === g.parsed.transition?.toPhase
              ? toPhase
              : undefined
            : paths(kind, value);
      }
      if (!touches(g, rewrite) && toPhase === undefined) continue;
      const text = await ctx.readText(g.uri);
      throwIfCancelled(token);
      if (text === undefined) continue;
      if (ctx.notUtf8(g.uri)) {
        if (!partial) throw refuse(`The rename is refused: ${notUtf8Reason(g.rel)}.`);
        left?.push(`the paths in ${g.rel} (not UTF-8 text)`);
        continue;
      }
      const { edits, refused, blocks = [] } = gateValueEdits(text, rewrite, toPhase !== undefined);
      if (refused.length > 0 && !partial)
        throw refuse(
          blocks.includes(refused[0])
            ? `The rename is refused: the path on line ${refused[0] + 1} of "${g.rel}" is written as a block scalar (\`>\` or \`|\`), which is not rewritten in place. Write it on one line, then rename.`
            : `The rename is refused: the path on line ${refused[0] + 1} of "${g.rel}" cannot be rewritten to the new name and still read as the same gate item (an evidence path cannot hold "#", nor white space unless it ends in a file extension). Choose another name.`,
        );
      // (left as they are: each named, `partial` moves go on whatever the answer)
      for (const line of refused)
        left?.push(
          `${g.rel} line ${line + 1}${blocks.includes(line) ? ' (a block scalar: write it on one line)' : ''}`,
        );
      if (edits.length > 0) out.set(g.uri, edits);
    }
    // Confirmations name the gate files they confirm: those that move keep them.
    const moved = new Map<string, string>();
    for (const g of files) {
      const to = movedPath(change, g.rel);
      if (to !== undefined) moved.set(g.rel.toLowerCase(), to);
    }
    if (moved.size === 0) continue;
    // (in a folder the index does not list: read where it is, when it is there)
    const uri = ctx.index.uriFor(change.folder, CONFIRMATIONS_FILE);
    const text = await ctx.readText(uri);
    throwIfCancelled(token);
    if (text === undefined) continue;
    if (ctx.notUtf8(uri)) {
      if (!partial) throw refuse(`The rename is refused: ${notUtf8Reason(CONFIRMATIONS_FILE)}.`);
      left?.push(`${CONFIRMATIONS_FILE} (not UTF-8 text)`);
      continue;
    }
    const { edits, refused } = confirmationValueEdits(text, (file) => {
      // As the confirmations are matched: `./`, `\\` and `//` written by hand name the same file.
      const key = confirmationFile(file);
      return key === undefined ? undefined : moved.get(key);
    });
    if (refused.length > 0 && !partial)
      throw refuse(
        `The rename is refused: the confirmation on line ${refused[0] + 1} of "${CONFIRMATIONS_FILE}" cannot be rewritten to name the moved gate file. Choose another name.`,
      );
    for (const line of refused) left?.push(`${CONFIRMATIONS_FILE} line ${line + 1}`);
    if (edits.length > 0) out.set(uri, edits);
  }
  return out;
}

/**
 * The new name of the phase folder gate file `g`'s `transition.to_phase` names, when
 * `change` renames that folder in place (`02-design` beside the gate file's `01-frame/`
 * becoming `02-architecture`); undefined when it does not move, or moves elsewhere.
 */
function phaseMoved(change: GateChange, g: GateFileEntry): string | undefined {
  const to = g.parsed.transition?.toPhase;
  if (to === undefined || to.includes('/') || change.moves.length === 0) return undefined;
  const parent = dirname(dirname(g.rel));
  const from = parent ? `${parent}/${to}` : to;
  const next = change.moves.find((m) => m.from === from)?.to;
  if (next === undefined || dirname(next) !== parent) return undefined;
  const name = next.slice(parent ? parent.length + 1 : 0);
  return name === to ? undefined : name;
}

/** Where a path at `rel` (a file, or one inside a moved folder) goes with the moves of `change`, if it moves. */
function movedPath(change: GateChange, rel: string): string | undefined {
  for (const m of change.moves) {
    if (rel === m.from) return m.to;
    if (rel.startsWith(`${m.from}/`)) return m.to + rel.slice(m.from.length);
  }
  return undefined;
}
