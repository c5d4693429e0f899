import {
  type CancellationToken,
  type Connection,
  LSPErrorCodes,
  type Range,
  RenameFile,
  ResponseError,
  TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { DocEntry, WorkspaceIndex } from '../core/index';
import { slugPath } from '../core/index';
import { basename, dirname, normalizeRel, stripMdExtension } from '../core/paths';
import { headingAt, linkAt } from '../core/query';
import { comparePositions, rangeContains, slug } from '../core/text';
import type { TextEdit as CoreTextEdit, Heading, Position, WikiLink } from '../core/types';
import { type FeatureContext, throwIfCancelled } from '../lsp/context';
import { textEdits, versioned } from '../lsp/convert';

/**
 * Rename of a linked document, a heading or a title, and the link updates that follow
 * files and folders renamed or moved in the editor.
 */
export function register(connection: Connection, ctx: FeatureContext): void {
  connection.onPrepareRename(async (params, token) => {
    const entry = await ctx.readyEntry(params.textDocument.uri, token);
    if (!entry) throw refuse('This document is not part of a CDP workspace folder.');
    const t = findTarget(ctx.index, entry, params.position);
    return { range: t.range, placeholder: t.placeholder };
  });

  connection.onRenameRequest(async (params, token) => {
    const entry = await ctx.readyEntry(params.textDocument.uri, token);
    if (!entry) throw refuse('This document is not part of a CDP workspace folder.');
    const t = findTarget(ctx.index, entry, params.position);
    if (t.kind === 'heading') return renameHeading(ctx, t.entry, t.heading, params.newName);
    if (t.kind === 'title') return renameTitle(ctx, t.entry, t.heading, params.newName, token);
    const stem = checkName(stripMdExtension(params.newName.trim()), 'document name');
    return renameDocument(ctx, t.entry, stem, new Map(), token);
  });

  connection.workspace.onWillRenameFiles(async (params, token) => {
    await ctx.ready(token);
    const index = ctx.index;
    const byFolder = new Map<string, Map<DocEntry, string | null>>();
    const moveOf = (folder: string) => {
      let m = byFolder.get(folder);
      if (!m) byFolder.set(folder, (m = new Map()));
      return m;
    };
    for (const f of params.files) {
      const oldUri = ctx.canonical(f.oldUri);
      const newUri = ctx.canonical(f.newUri);
      const from = index.locate(oldUri);
      if (!from || from.rel === '') continue;
      const to = index.locate(newUri);
      const sameFolder = to !== undefined && to.folder === from.folder && to.rel !== '';
      const entry = index.get(oldUri);
      if (entry) {
        moveOf(from.folder).set(entry, sameFolder && /\.md$/i.test(to.rel) ? to.rel : null);
        continue;
      }
      // A folder: everything below it moves along.
      const prefix = `${from.rel}/`;
      for (const e of index.all()) {
        if (e.folder !== from.folder || !e.rel.startsWith(prefix)) continue;
        moveOf(from.folder).set(e, sameFolder ? `${to.rel}/${e.rel.slice(prefix.length)}` : null);
      }
    }
    const edits = new Map<string, CoreTextEdit[]>();
    for (const [folder, moves] of byFolder) {
      for (const [uri, list] of linkUpdates(index, folder, moves)) edits.set(uri, list);
      throwIfCancelled(token);
    }
    if (edits.size === 0) return null;
    return textEdits(ctx, sortEdits(edits));
  });
}

type Target =
  | { kind: 'document'; entry: DocEntry; range: Range; placeholder: string }
  | { kind: 'heading' | 'title'; entry: DocEntry; heading: Heading; range: Range; placeholder: string };

function refuse(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** What the cursor names: a link's target document or heading, the title, or a heading. */
function findTarget(index: WorkspaceIndex, entry: DocEntry, pos: Position): Target {
  const link = linkAt(entry.doc, pos);
  if (link) {
    const r = index.resolve(entry, link);
    if (link.headingRange && link.heading && rangeContains(link.headingRange, pos)) {
      if (r.status !== 'resolved' || !r.heading) {
        throw refuse(
          `The heading "${link.heading}" of ${link.raw} does not exist, so there is nothing to rename.`,
        );
      }
      // The range prepareRename answers is the one under the cursor, in this document.
      return { ...headingTarget(r.target, r.heading), range: link.headingRange };
    }
    if (link.target === '') {
      throw refuse('Nothing to rename here: place the cursor on the heading part of the link.');
    }
    if (r.status === 'file')
      throw refuse(`${link.raw} names a file that is not a document; rename it in the explorer.`);
    if (r.status === 'broken')
      throw refuse(`${link.raw} is broken (${r.reason}); there is no document to rename.`);
    if (namesFolder(link, r.target)) {
      throw refuse(
        `${link.raw} names the folder "${dirname(r.target.rel)}"; rename the folder in the explorer.`,
      );
    }
    return {
      kind: 'document',
      entry: r.target,
      range: link.targetRange,
      placeholder: stripMdExtension(basename(r.target.rel)),
    };
  }
  const h = headingAt(entry.doc, pos);
  if (h) return headingTarget(entry, h);
  throw refuse('Nothing to rename here: place the cursor on a [[link]], a heading or the title.');
}

function headingTarget(entry: DocEntry, h: Heading): Target {
  const isTitle = entry.doc.title !== undefined && h.level === 1 && h === entry.doc.headings[0];
  return { kind: isTitle ? 'title' : 'heading', entry, heading: h, range: h.range, placeholder: h.text };
}

/** Whether a link reaches `target` (a README/index) through its folder's name. */
function namesFolder(link: WikiLink, target: DocEntry): boolean {
  const last = basename(stripMdExtension(cleanTarget(link.target)));
  return target.folderKey !== undefined && slug(last) !== target.nameKey;
}

function cleanTarget(target: string): string {
  return target.replace(/\\/g, '/').trim().replace(/\/+$/, '');
}

const FORBIDDEN = /[/[\]|#\\]/;

function checkName(name: string, what: string): string {
  if (name === '') throw refuse(`The new ${what} is empty.`);
  const bad = FORBIDDEN.exec(name);
  if (bad) throw refuse(`The new ${what} must not contain "${bad[0]}" (it would break [[links]]).`);
  return name;
}

function renameHeading(ctx: FeatureContext, entry: DocEntry, h: Heading, newName: string): WorkspaceEdit {
  const text = checkName(newName.trim(), 'heading');
  const clash = entry.heading(text);
  if (clash && clash !== h) {
    throw refuse(`"${entry.rel}" already has a heading "${clash.text}" (line ${clash.line + 1}).`);
  }
  return textEdits(ctx, sortEdits(headingEdits(ctx.index, entry, h, text)));
}

/** The heading's text and every link that names it. */
function headingEdits(index: WorkspaceIndex, entry: DocEntry, h: Heading, text: string) {
  const edits = new Map<string, CoreTextEdit[]>();
  add(edits, entry.uri, { range: h.range, newText: text });
  // Links land on the first heading with a given slug; a later duplicate has none.
  if (entry.heading(h.text) === h) {
    for (const { from, link } of index.backlinks(entry, h.text)) {
      if (link.headingRange) add(edits, from.uri, { range: link.headingRange, newText: text });
    }
  }
  return edits;
}

async function renameTitle(
  ctx: FeatureContext,
  entry: DocEntry,
  h: Heading,
  newName: string,
  token: CancellationToken,
): Promise<WorkspaceEdit> {
  const text = checkName(newName.trim(), 'title');
  const extra = headingEdits(ctx.index, entry, h, text);
  const stem = stripMdExtension(basename(entry.rel));
  // README/index documents stand for their folder: their file name stays.
  if (entry.folderKey !== undefined) return textEdits(ctx, sortEdits(extra));
  let newStem = slug(text);
  if (newStem === '') throw refuse(`The title "${text}" gives no usable file name.`);
  const prefix = /^(\d{1,2})[-_ ]/.exec(stem);
  // A phase number taken from the file name stays in it.
  if (prefix && entry.phase?.source === 'file-name' && !/^\d/.test(newStem))
    newStem = `${prefix[1]}-${newStem}`;
  if (newStem === stem) return textEdits(ctx, sortEdits(extra));
  return renameDocument(ctx, entry, newStem, extra, token);
}

async function renameDocument(
  ctx: FeatureContext,
  entry: DocEntry,
  newStem: string,
  extra: Map<string, CoreTextEdit[]>,
  token: CancellationToken,
): Promise<WorkspaceEdit> {
  if (!ctx.clientCapabilities.resourceOperations) {
    throw refuse(
      'This editor cannot rename files through the language server; rename the file in the explorer.',
    );
  }
  const newRel = entry.dir ? `${entry.dir}/${newStem}.md` : `${newStem}.md`;
  const clash = await nameTaken(ctx, entry, newStem);
  throwIfCancelled(token);
  if (clash) throw refuse(`"${clash}" already exists in that folder; choose another name.`);
  const edits = extra;
  for (const [uri, list] of linkUpdates(ctx.index, entry.folder, new Map([[entry, newRel]]))) {
    for (const e of list) add(edits, uri, e);
  }
  const changes: (TextDocumentEdit | RenameFile)[] = [...sortEdits(edits)].map(([uri, list]) =>
    TextDocumentEdit.create(versioned(ctx, uri), list),
  );
  const newUri = ctx.index.uriFor(entry.folder, newRel);
  changes.push(
    RenameFile.create(ctx.clientUri(entry.uri), ctx.clientUri(newUri), {
      overwrite: false,
      ignoreIfExists: false,
    }),
  );
  return { documentChanges: changes };
}

/**
 * The name of a document or file in `entry`'s folder that a new file name `stem` would
 * collide with: compared case-insensitively, with or without `.md` (indexed documents
 * slug-equivalently, since links could not tell them apart).
 */
async function nameTaken(ctx: FeatureContext, entry: DocEntry, stem: string): Promise<string | undefined> {
  const key = slug(stem);
  for (const e of ctx.index.all()) {
    if (e !== entry && e.folder === entry.folder && e.dir === entry.dir && e.nameKey === key) return e.rel;
  }
  const dirUri = ctx.index.uriFor(entry.folder, entry.dir);
  const own = basename(entry.rel);
  for (const name of await namesOnDisk(ctx, dirUri, [`${stem}.md`, stem])) {
    if (name === own) continue;
    const lower = name.toLowerCase();
    if (lower === stem.toLowerCase() || lower === `${stem.toLowerCase()}.md`) return name;
  }
  return undefined;
}

/**
 * Names of the entries of a folder on disk. Where the folder cannot be listed, the
 * `probe` names that exist (found exactly).
 */
export async function namesOnDisk(ctx: FeatureContext, dirUri: string, probe: string[]): Promise<string[]> {
  const listed = await ctx.listNames(dirUri);
  if (listed.length > 0) return listed;
  const out: string[] = [];
  for (const name of probe) {
    if (await ctx.exists(`${dirUri.replace(/\/$/, '')}/${encodeURIComponent(name)}`)) out.push(name);
  }
  return out;
}

function add(m: Map<string, CoreTextEdit[]>, uri: string, e: CoreTextEdit): void {
  const list = m.get(uri);
  if (list) list.push(e);
  else m.set(uri, [e]);
}

/** Sorts each document's edits and drops any that overlap an earlier one. */
function sortEdits(m: Map<string, CoreTextEdit[]>): Map<string, CoreTextEdit[]> {
  const out = new Map<string, CoreTextEdit[]>();
  for (const [uri, list] of [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const sorted = [...list].sort((a, b) => comparePositions(a.range.start, b.range.start));
    const kept: CoreTextEdit[] = [];
    for (const e of sorted) {
      const prev = kept[kept.length - 1];
      if (prev && comparePositions(e.range.start, prev.range.end) < 0) continue;
      kept.push(e);
    }
    out.set(uri, kept);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Link updates after documents move: the workspace folder as it will be, resolved the
// way WorkspaceIndex.resolve does, so only links that would stop reaching their
// document are rewritten.

interface Placed {
  entry: DocEntry;
  /** Where the candidate sits for nearest-first matching. */
  loc: string;
}

class FutureFolder {
  private readonly rels = new Map<DocEntry, string>();
  private readonly byName = new Map<string, Placed[]>();
  private readonly byFolderName = new Map<string, Placed[]>();
  private readonly byPath = new Map<string, DocEntry[]>();
  private readonly byFolderPath = new Map<string, DocEntry[]>();

  constructor(index: WorkspaceIndex, folder: string, moves: Map<DocEntry, string | null>) {
    for (const e of index.all()) {
      if (e.folder !== folder) continue;
      const rel = moves.has(e) ? moves.get(e)! : e.rel;
      if (rel === null) continue;
      this.rels.set(e, rel);
      const dir = dirname(rel);
      const stem = stripMdExtension(basename(rel));
      push(this.byName, slug(stem), { entry: e, loc: dir });
      push(this.byPath, slugPath(stripMdExtension(rel)), e);
      if (/^(readme|index)$/i.test(stem) && dir) {
        push(this.byFolderName, slug(basename(dir)), { entry: e, loc: dirname(dir) });
        push(this.byFolderPath, slugPath(dir), e);
      }
    }
  }

  relOf(e: DocEntry): string | undefined {
    return this.rels.get(e);
  }

  /** The documents a link target written in a document in `fromDir` reaches, the choice first. */
  resolve(fromDir: string, target: string): DocEntry[] {
    const raw = cleanTarget(target);
    if (raw === '' || /^([/~]|[A-Za-z]:[/\\]|[a-z][a-z0-9+.-]*:\/\/)/i.test(raw)) return [];
    const stem = stripMdExtension(raw);
    if (stem.includes('/')) {
      for (const rel of [normalizeRel(fromDir ? `${fromDir}/${stem}` : stem), normalizeRel(stem)]) {
        if (rel === undefined) continue;
        const key = slugPath(rel);
        const hit = this.byPath.get(key) ?? this.byFolderPath.get(key);
        if (hit && hit.length > 0) return this.sorted(hit);
      }
      return [];
    }
    const key = slug(stem);
    const candidates = [...(this.byName.get(key) ?? []), ...(this.byFolderName.get(key) ?? [])];
    return this.nearest(fromDir, candidates);
  }

  private nearest(fromDir: string, candidates: Placed[]): DocEntry[] {
    const fromSegs = fromDir ? fromDir.split('/') : [];
    let best: DocEntry[] = [];
    let bestScore = -1;
    for (const { entry, loc } of candidates) {
      const segs = loc ? loc.split('/') : [];
      let shared = 0;
      while (shared < segs.length && shared < fromSegs.length && segs[shared] === fromSegs[shared]) shared++;
      const score = (loc === fromDir ? 1_000_000 : 0) + shared;
      if (score > bestScore) {
        bestScore = score;
        best = [entry];
      } else if (score === bestScore && !best.includes(entry)) best.push(entry);
    }
    return this.sorted(best);
  }

  private sorted(list: DocEntry[]): DocEntry[] {
    const rel = (e: DocEntry) => this.rels.get(e) ?? e.rel;
    return [...list].sort((a, b) => (rel(a) < rel(b) ? -1 : rel(a) > rel(b) ? 1 : 0));
  }
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * The edits (on the documents as they are now, before any file moves) that keep every
 * resolved link of `folder` pointing at the same document once `moves` are done
 * (document → new folder-relative path, or null when it leaves the folder).
 * Only a link's target text changes: its heading and alias stay as written.
 */
export function linkUpdates(
  index: WorkspaceIndex,
  folder: string,
  moves: Map<DocEntry, string | null>,
): Map<string, CoreTextEdit[]> {
  const future = new FutureFolder(index, folder, moves);
  const out = new Map<string, CoreTextEdit[]>();
  for (const from of index.all()) {
    if (from.folder !== folder) continue;
    const fromRel = future.relOf(from);
    if (fromRel === undefined) continue;
    const fromDir = dirname(fromRel);
    for (const link of from.doc.links) {
      if (link.target === '') continue;
      const r = index.resolve(from, link);
      if (r.status !== 'resolved') continue;
      const target = r.target;
      if (future.relOf(target) === undefined) continue;
      if (future.resolve(fromDir, link.target)[0] === target) continue;
      const text = newTargetText(future, from, fromDir, link, target);
      if (text !== undefined && text !== link.target)
        add(out, from.uri, { range: link.targetRange, newText: text });
    }
  }
  return out;
}

/** The target text that reaches `target` after the moves, in the link's own style where possible. */
function newTargetText(
  future: FutureFolder,
  from: DocEntry,
  fromDir: string,
  link: WikiLink,
  target: DocEntry,
): string | undefined {
  const newRel = future.relOf(target)!;
  const written = link.target.replace(/\\/g, '/').trim();
  const folderStyle = namesFolder(link, target);
  const path = folderStyle ? dirname(newRel) : stripMdExtension(newRel);
  if (path === '') return undefined;
  const suffix = (!folderStyle && /\.md\/*$/i.test(written) ? '.md' : '') + (/\/$/.test(written) ? '/' : '');
  const stem = stripMdExtension(cleanTarget(written));
  const relative = relativeTo(fromDir, path);
  const order: string[] = [];
  if (!stem.includes('/')) order.push(basename(path));
  else {
    const wasRelative =
      /^\.\.?\//.test(stem) ||
      (from.dir !== '' &&
        slugPath(normalizeRel(`${from.dir}/${stem}`) ?? '') === slugPath(stripMdExtension(target.rel)));
    order.push(...(wasRelative ? [relative, path] : [path, relative]));
  }
  order.push(basename(path), path, relative);
  const tries = [...new Set(order)].map((t) => t + suffix);
  // Prefer a text that reaches only the target; accept one where the target is the choice.
  for (const t of tries) {
    const hits = future.resolve(fromDir, t);
    if (hits.length === 1 && hits[0] === target) return t;
  }
  for (const t of tries) if (future.resolve(fromDir, t)[0] === target) return t;
  return undefined;
}

/** A `/`-path from folder `fromDir` to `path` (both folder-relative), always with a `/`. */
function relativeTo(fromDir: string, path: string): string {
  const a = fromDir ? fromDir.split('/') : [];
  const b = path.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  const rest = b.slice(i).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}
