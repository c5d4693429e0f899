import {
  CancellationToken,
  PrepareRenameRequest,
  type Range,
  RenameFile,
  type RenameFilesParams,
  type RenameParams,
  RenameRequest,
  TextDocumentEdit,
  type TextDocumentPositionParams,
  WillRenameFilesRequest,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { AliasTable, aliasesOf, aliasReachable, aliasReached, aliasSpans, aliasText } from '../core/aliases';
import { cmp, push } from '../core/collections';
import { applyEdits, editProblem, editsAt, headingAfter, linkTargetEdit, sameAnchors } from '../core/edits';
import type { DocEntry, Resolution, WorkspaceIndex } from '../core/index';
import { anchorAsWritten } from '../core/link-text';
import { parseDocument } from '../core/parse/document';
import { decodeDestination, encodeAsWritten, isBareValueLink, readsAsBareName } from '../core/parse/mdlink';
import {
  basename,
  dirname,
  joinRel,
  nearestTo,
  normalizeRel,
  relativeTo,
  stripMdExtension,
  uriToFsPath,
} from '../core/paths';
import { headingAt, linkAt } from '../core/query';
import {
  cleanTarget,
  headingAnchors,
  headingSegmentRanges,
  headingSegments,
  linkKey,
  namesFolder,
  namesOtherFile,
  PathTable,
  pathHeadingAt,
  pathKeys,
  sameCase,
  slugPath,
  wikiPathStems,
} from '../core/resolve';
import { isReference, othersArtifact, ownedBy, referencesTo } from '../core/rules/cross-instance-link';
import { leadsAcross } from '../core/rules/phase-chain';
import type { RuleContext } from '../core/rules/rule';
import { clipped, comparePositions, LineIndex, rangeContains, slug, trimEndSlashes } from '../core/text';
import type { TextEdit as CoreTextEdit, Heading, IdRef, Position, WikiLink } from '../core/types';
import { aliasAt, linksByAlias } from './alias-spots';
import { type FeatureContext, notUtf8Reason, refuse, throwIfCancelled } from './context';
import { textEdits, versioned } from './convert';
import { checkNewId, idRenameEdits, idRenameTarget } from './ids';
import { type GateChange, gateEdits } from './rename-gates';
import { computeOnDisk, documentsOfFolders, request, theDocument } from './requests';

/**
 * Rename of a linked document, a heading or a title, and the link updates that follow
 * files and folders renamed or moved in the editor.
 *
 * Every rename is computed on the documents as they are now: closed documents are read
 * from disk first, and read again once the edits are known; an edit whose document
 * changed meanwhile is computed again or refused, never guessed. The new name is
 * checked before any edit, and every edited document is parsed as it would read after
 * the edits: a rename that would change anything but the renamed text is refused.
 */
export const requests = [
  request<TextDocumentPositionParams, { range: Range; placeholder: string } | null>({
    type: PrepareRenameRequest.type,
    fromDisk: theDocument,
    run: prepareRename,
  }),
  request<RenameParams, WorkspaceEdit>({
    type: RenameRequest.type,
    // any document of the folder may hold a link to what is renamed
    fromDisk: (ctx, params) => documentsOfFolders(ctx, [params.textDocument.uri]),
    run: rename,
  }),
  request<RenameFilesParams, WorkspaceEdit | null>({
    type: WillRenameFilesRequest.type,
    // Every file rename is sent (images are linked too): only one that moves an indexed
    // document, file or folder reads the folder's documents again.
    fromDisk: (ctx, params) =>
      documentsOfFolders(
        ctx,
        params.files.map((f) => f.oldUri).filter((u) => movesIndexed(ctx, u)),
      ),
    run: async (ctx, params, token) => {
      const plan = await settle(ctx, token, async () => fileMoveEdits(ctx, params.files, token), true);
      return plan.documentChanges?.length || Object.keys(plan.changes ?? {}).length ? plan : null;
    },
  }),
];

/** Whether `uri` is an indexed document or other file, or a folder holding one. */
function movesIndexed(ctx: FeatureContext, uri: string): boolean {
  const where = ctx.index.locate(ctx.canonical(uri));
  if (!where || where.rel === '') return false;
  const prefix = `${where.rel}/`;
  return ctx.index.filesOf(where.folder).some((r) => r === where.rel || r.startsWith(prefix));
}

/**
 * The range and placeholder of what a rename at the cursor would rename; throws when nothing
 * can be. Null in a file of a workspace folder that is no document (a gate file, the
 * confirmations file): nothing in it is renamed from there, its paths follow the documents.
 */
export async function prepareRename(
  ctx: FeatureContext,
  params: TextDocumentPositionParams,
  token: CancellationToken = CancellationToken.None,
): Promise<{ range: Range; placeholder: string } | null> {
  const entry = await ctx.readyEntry(params.textDocument.uri, token);
  if (!entry) {
    if (ctx.index.locate(ctx.canonical(params.textDocument.uri))) return null;
    throw refuse('This document is not part of a CDP workspace folder.');
  }
  const byId = idRenameTarget(ctx.index, entry, params.position, linkAt(entry.doc, params.position));
  if (byId) return { range: byId.range, placeholder: byId.id };
  const t =
    (await aliasAtCursor(ctx, entry, params.position)) ?? findTarget(ctx.analysis, entry, params.position);
  return { range: t.range, placeholder: t.placeholder };
}

/**
 * The workspace edit of a rename at the cursor; throws with the reason when it is refused.
 * (Answered through `answer`, which first reads the folder's closed documents from disk.)
 */
export async function rename(
  ctx: FeatureContext,
  params: RenameParams,
  token: CancellationToken = CancellationToken.None,
): Promise<WorkspaceEdit> {
  return settle(ctx, token, async () => {
    const entry = await ctx.readyEntry(params.textDocument.uri, token);
    if (!entry) throw refuse(notADocument(ctx, params.textDocument.uri));
    const byId = idRenameTarget(ctx.index, entry, params.position, linkAt(entry.doc, params.position));
    if (byId) return renameId(ctx, entry, byId.id, params.newName.trim(), byId.declaration);
    const t =
      (await aliasAtCursor(ctx, entry, params.position)) ?? findTarget(ctx.analysis, entry, params.position);
    if (t.kind === 'alias') return renameAlias(ctx, t.entry, t.alias, params.newName);
    if (t.kind === 'heading') return renameHeading(ctx.analysis, t.entry, t.heading, params.newName);
    if (t.kind === 'title') return renameTitle(ctx, t.entry, t.heading, params.newName, token);
    const stem = checkFileStem(ctx, t.entry, stripMdExtension(params.newName.trim()), params.newName.trim());
    return renameDocument(ctx, t.entry, stem, new Map(), token);
  });
}

/** Why a rename in a file that is no indexed document is refused. */
function notADocument(ctx: FeatureContext, uri: string): string {
  const canonical = ctx.canonical(uri);
  if (!ctx.index.locate(canonical)) return 'This document is not part of a CDP workspace folder.';
  if (ctx.index.isGateFile(canonical) || ctx.index.isConfirmationsFile(canonical))
    return 'Nothing to rename in a gate file: the paths it names follow when their documents or folders are renamed or moved.';
  return 'Nothing to rename here: only the links, headings and titles of CDP documents are renamed.';
}

/** The link (and gate file path) updates for files and folders the editor renames or moves. */
function fileMoveEdits(
  ctx: FeatureContext,
  files: readonly { oldUri: string; newUri: string }[],
  token: CancellationToken,
): Plan {
  const index = ctx.index;
  const byFolder = new Map<
    string,
    { docs: Map<DocEntry, string | null>; files: Map<string, string | null> }
  >();
  const movesOf = (folder: string) => {
    let m = byFolder.get(folder);
    if (!m) byFolder.set(folder, (m = { docs: new Map(), files: new Map() }));
    return m;
  };
  const moveOf = (folder: string) => movesOf(folder).docs;
  /** Folders that move (path now → after, or null): links to a folder itself follow it. */
  const folderMoves = new Map<string, Map<string, string | null>>();
  const gates = new Map<string, GateChange>();
  for (const f of files) {
    const oldUri = ctx.canonical(f.oldUri);
    const newUri = ctx.canonical(f.newUri);
    const from = index.locate(oldUri);
    if (!from || from.rel === '') continue;
    const to = index.locate(newUri);
    // The editor moves the file whatever the answer: a new path some links cannot name
    // (`#`, `"`, …) is no reason to refuse the updates of the others (`linkUpdates` and
    // `checkOutcome` leave out only the links it breaks).
    const sameFolder = to !== undefined && to.folder === from.folder && to.rel !== '';
    if (sameFolder) {
      let g = gates.get(from.folder);
      if (!g) gates.set(from.folder, (g = { folder: from.folder, moves: [] }));
      g.moves.push({ from: from.rel, to: to.rel });
    }
    const entry = index.get(oldUri);
    if (entry) {
      moveOf(from.folder).set(entry, sameFolder && /\.md$/i.test(to.rel) ? to.rel : null);
      continue;
    }
    // Another file (an image, …), or a folder: everything below it moves along.
    const prefix = `${from.rel}/`;
    if (index.holdsFolder(oldUri)) {
      let m = folderMoves.get(from.folder);
      if (!m) folderMoves.set(from.folder, (m = new Map()));
      m.set(from.rel, sameFolder ? to.rel : null);
    }
    for (const e of index.all()) {
      if (e.folder !== from.folder || !e.rel.startsWith(prefix)) continue;
      moveOf(from.folder).set(e, sameFolder ? `${to.rel}/${e.rel.slice(prefix.length)}` : null);
    }
    for (const rel of index.otherFileRels(from.folder)) {
      const newRel =
        rel === from.rel
          ? to?.rel
          : rel.startsWith(prefix)
            ? `${to?.rel}/${rel.slice(prefix.length)}`
            : undefined;
      if (newRel !== undefined) movesOf(from.folder).files.set(rel, sameFolder ? newRel : null);
    }
  }
  const edits = new Map<string, CoreTextEdit[]>();
  const left: string[] = [];
  for (const [folder, moves] of byFolder) {
    for (const [uri, list] of linkUpdates(index, folder, moves.docs, {
      fileMoves: moves.files,
      folderMoves: folderMoves.get(folder),
      moved: true,
      analysis: ctx.analysis,
      // No link text reaches the new name (a wikilink to an image renamed `a #2.png`).
      missed: (from, link) => left.push(`${clipped(link.raw)} in ${from.rel}`),
    }))
      edits.set(uri, list);
    throwIfCancelled(token);
  }
  return { edits, gates: [...gates.values()], left };
}

/** What a rename does: text edits, at most one document renamed, and what changes for gate files. */
interface Plan {
  edits: Map<string, CoreTextEdit[]>;
  move?: { entry: DocEntry; newRel: string };
  /** Paths and headings that gate files (and confirmations) may name: their edits are added last. */
  gates?: GateChange[];
  /** Links no text could be written for (files the editor moves whatever the answer). */
  left?: string[];
}

/**
 * Plans a rename on the current index, then reads the closed documents it edits once
 * more: when one changed, the index takes the disk's text and the plan is made again.
 * The edits are then checked against each document's text as it is now.
 */
async function settle(
  ctx: FeatureContext,
  token: CancellationToken,
  make: () => Promise<Plan>,
  partial = false,
): Promise<WorkspaceEdit> {
  const left: string[] = [];
  const planned = await computeOnDisk(ctx, token, 3, async () => {
    const plan = await make();
    followHeadings(ctx.analysis, plan.edits);
    plan.edits = sortEdits(plan.edits);
    return { value: plan, touched: plan.edits.keys() };
  });
  if ('changed' in planned) {
    const names = planned.changed.map((u) => ctx.index.locate(u)?.rel ?? u).join(', ');
    throw refuse(`${names} keep changing on disk; rename again once they are saved.`);
  }
  left.push(...(planned.value.left ?? []));
  await checkOutcome(ctx, planned.value.edits, token, partial, left);
  // Gate files are read as they are now and each edit checked on its own text.
  if (planned.value.gates?.length)
    for (const [uri, list] of await gateEdits(ctx, planned.value.gates, partial, token, left))
      planned.value.edits.set(uri, list);
  // What a move leaves behind names the old place still (a glob over it matches no file).
  if (left.length > 0)
    ctx.warn(
      `Left as they are, naming the old place still (the new name cannot be written there as it reads now): ${left.join(', ')}. Edit them to the new name.`,
    );
  return workspaceEdit(ctx, planned.value);
}

/**
 * Parses each edited document as it would read after the edits and refuses the rename
 * when anything but the renamed text would change (a quote breaking the metadata, a
 * backtick turning code into a link, …), or when a document no longer holds the text
 * the edits were computed on. With `partial` (files the editor moves whatever the
 * answer), the edits that would do harm are left out instead, each on its own (and named
 * in `left`): the others still keep their links.
 */
async function checkOutcome(
  ctx: FeatureContext,
  edits: Map<string, CoreTextEdit[]>,
  token: CancellationToken,
  partial = false,
  left: string[] = [],
): Promise<void> {
  for (const [uri, list] of edits) {
    const entry = ctx.index.get(uri);
    const text = await ctx.readText(uri);
    throwIfCancelled(token);
    const rel = entry?.rel ?? uri;
    if (!entry || text === undefined) throw refuse(`"${rel}" can no longer be read; nothing was changed.`);
    if (ctx.notUtf8(uri)) {
      // Its links are left as they are when files move anyway.
      if (!partial) throw refuse(`The rename is refused: ${notUtf8Reason(rel)}.`);
      edits.delete(uri);
      left.push(`the links in ${rel} (not UTF-8 text)`);
      continue;
    }
    const now = parseDocument(uri, text, ctx.config.parser);
    if (!sameAnchors(entry.doc, now))
      throw refuse(`"${rel}" changed while the rename was computed; nothing was changed, try again.`);
    const problemOf = (l: CoreTextEdit[]) =>
      editProblem(now, l, parseDocument(uri, applyEdits(text, l), ctx.config.parser));
    const problem = problemOf(list);
    if (!problem) continue;
    if (!partial) throw refuse(`The rename is refused: in "${rel}", ${problem}. Choose another name.`);
    const kept = await harmlessEdits(list, text.length, problemOf, token);
    if (kept.length > 0) edits.set(uri, kept);
    else edits.delete(uri);
    const dropped = list.length - kept.length;
    left.push(`${dropped === 1 ? 'a link' : `${dropped} links`} in ${rel}`);
  }
}

/** How many characters the search for harmless edits may parse in one document (about a second). */
const TRIAL_PARSE_CHARS = 20_000_000;

/**
 * The edits of `list` (in its order) that do no harm with those kept before them, found
 * by halves: a half that does no harm is kept whole, one that does is split, down to the
 * single edits that do harm. A few harmful edits among thousands cost a few dozen parses
 * of the document, not one per edit (1,600 links took 17 s, 6,400 minutes). Past a budget
 * of parsed text the edits not yet judged are left out too, as harmful ones are. Each parse
 * waits for the event loop's next turn, so a cancelled request stops.
 */
async function harmlessEdits(
  list: readonly CoreTextEdit[],
  chars: number,
  problemOf: (l: CoreTextEdit[]) => string | undefined,
  token: CancellationToken,
): Promise<CoreTextEdit[]> {
  const kept: CoreTextEdit[] = [];
  let budget = Math.max(16, Math.floor(TRIAL_PARSE_CHARS / Math.max(1, chars)));
  // `part` is known to do harm with what is kept.
  const split = async (part: readonly CoreTextEdit[]): Promise<void> => {
    if (part.length < 2) return;
    const mid = part.length >> 1;
    for (const half of [part.slice(0, mid), part.slice(mid)]) {
      if (budget <= 0) return;
      budget--;
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfCancelled(token);
      if (!problemOf([...kept, ...half])) kept.push(...half);
      else await split(half);
    }
  };
  await split(list);
  return kept;
}

function workspaceEdit(ctx: FeatureContext, plan: Plan): WorkspaceEdit {
  if (!plan.move) return textEdits(ctx, plan.edits);
  const { entry, newRel } = plan.move;
  const changes: (TextDocumentEdit | RenameFile)[] = [...plan.edits].map(([uri, list]) =>
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

type Target =
  | { kind: 'document'; entry: DocEntry; range: Range; placeholder: string }
  | { kind: 'alias'; entry: DocEntry; alias: string; range: Range; placeholder: string }
  | { kind: 'heading' | 'title'; entry: DocEntry; heading: Heading; range: Range; placeholder: string };

/**
 * Renames a DDX id: its declarations, `[[id]]` links and `depends_on` entries, in one edit.
 * On the `id:` of one of several documents declaring the id in one workflow instance (a
 * duplicate-id), only that document's `id:`: what names the id keeps naming the others.
 */
async function renameId(
  ctx: FeatureContext,
  entry: DocEntry,
  id: string,
  newId: string,
  declaration: boolean,
): Promise<Plan> {
  if (newId === id) return { edits: new Map() };
  const problem = checkNewId(newId);
  if (problem) throw refuse(problem);
  const taken = ctx.index.ids.get(entry.folder, newId);
  if (taken.length > 0) {
    // Name the declaration nearest to the renamed document: in a monorepo, its own project's.
    const near = nearestDoc(taken, dirname(entry.rel));
    throw refuse(`"${newId}" is already the id of ${near.rel}; choose another id.`);
  }
  // Nor one differing from a declared id only in letter case or zero padding (`feat-005`
  // beside `FEAT-005`): ids match exactly, and the checker reads such a pair as one meant
  // for the other. Renaming an id to another form of itself is what it is asked for.
  const alike = ctx.index.ids.nearIds(entry.folder, dirname(entry.rel), newId).filter((x) => x !== id);
  if (alike.length > 0) {
    const declarers = ctx.index.ids.get(entry.folder, alike[0]);
    const near = nearestDoc(declarers, dirname(entry.rel));
    throw refuse(
      `"${newId}" differs only in letter case or zero padding from "${alike[0]}", the id of ${near.rel}: ids match exactly, and links and depends_on written one way would be read as meaning the other. Choose another id.`,
    );
  }
  // The document the id names from here, with any declaring it beside it in its workflow
  // instance (a duplicate-id); other projects' documents with that id keep theirs.
  const target = ctx.index.ids.nearest(entry, id);
  if (!target) throw refuse(`No document has the id "${id}", so there is nothing to rename.`);
  const scope = ctx.analysis.scopeOf(target);
  let owners = ctx.index.ids.get(entry.folder, id).filter((d) => ctx.analysis.scopeOf(d) === scope);
  const alone = declaration && owners.length > 1 && owners.includes(entry);
  if (alone) owners = [entry];
  // `[[id]]` reaches the documents declaring the id before any name lookup: an id that
  // is another document's (or file's) name would take over the links to it.
  const named = namedLike(ctx.index, entry.folder, newId, owners, dirname(entry.rel));
  if (named !== undefined)
    throw refuse(
      `"${newId}" is the name of ${named}: links to it by name would reach the document with the id instead; choose another id.`,
    );
  // Nor another document's alias (`aliases: [LG-1]`): its links would reach the id's document.
  const aliased = ctx.index.aliases
    .named(entry.folder, linkKey(newId), dirname(entry.rel))
    .find((x) => !owners.includes(x));
  if (aliased)
    throw refuse(
      `"${newId}" is an alias of ${aliased.rel}: links by it would reach the document with the id instead; choose another id.`,
    );
  const unwritable = await idNotWrittenAsIs(ctx, alone ? [entry] : owners, id, !alone);
  if (unwritable) throw refuse(unwritable);
  if (alone) return { edits: new Map([[entry.uri, [{ range: entry.doc.ddx!.id!.range, newText: newId }]]]) };
  return { edits: idRenameEdits(ctx.index, entry.folder, id, newId, owners) };
}

/**
 * Why renaming `id` is refused where a DDX block writes it in a form its text does not
 * hold as it reads (an escaped double-quoted scalar, `"FEAT-\u0030\u0030\u0031"`, a
 * block scalar, `>-` and the id on the next line, or a flow mapping over several lines
 * whose values are not located): the declaration of an owner, or, with
 * `dependents`, a `depends_on` naming it. Such a value is found on its key, where an edit
 * would replace the key: no edit can put the new id there exactly.
 */
async function idNotWrittenAsIs(
  ctx: FeatureContext,
  owners: readonly DocEntry[],
  id: string,
  dependents: boolean,
): Promise<string | undefined> {
  const asIs = async (e: DocEntry, r: IdRef) => {
    if (r.range.start.line !== r.range.end.line) return false;
    const text = await ctx.readText(e.uri);
    // (a document that can no longer be read is said so when the edits are checked)
    if (text === undefined) return true;
    return (
      new LineIndex(text)
        .lineText(r.range.start.line)
        .slice(r.range.start.character, r.range.end.character) === id
    );
  };
  const how =
    'in a form that cannot be edited exactly (an escaped or block scalar, or a flow mapping over several lines); write it as a plain value there first';
  for (const o of owners) {
    const own = o.doc.ddx?.id;
    if (own && own.id === id && !(await asIs(o, own)))
      return `The rename is refused: ${o.rel} declares its id ${id} ${how}.`;
  }
  if (!dependents) return undefined;
  const seen = new Set<DocEntry>();
  for (const o of owners)
    for (const from of ctx.index.ids.dependentsOfDoc(o)) {
      if (seen.has(from)) continue;
      seen.add(from);
      for (const r of from.doc.ddx?.dependsOn ?? [])
        if (r.id === id && !(await asIs(from, r)))
          return `The rename is refused: ${from.rel} names ${id} in its depends_on ${how}.`;
    }
  return undefined;
}

/** A document or other file of the folder (not one of `except`) that `[[name]]` could name. */
/** Of `docs` (not empty), the one nearest `fromDir`, a refusal names (the first of equals). */
function nearestDoc(docs: readonly DocEntry[], fromDir: string): DocEntry {
  return nearestTo(docs, fromDir, (x) => x.rel) ?? docs[0];
}

function namedLike(
  index: WorkspaceIndex,
  folder: string,
  name: string,
  except: readonly DocEntry[],
  /** The renamed document's folder: of several documents so named, the nearest is said. */
  fromDir: string,
): string | undefined {
  const key = slug(stripMdExtension(name));
  const path = slugPath(stripMdExtension(name));
  const found: DocEntry[] = [];
  for (const e of index.all()) {
    if (e.folder !== folder || except.includes(e)) continue;
    if (e.nameKey === key || e.folderKey === key || e.pathKey === path) found.push(e);
  }
  if (found.length > 0) return nearestDoc(found, fromDir).rel;
  const lower = name.toLowerCase();
  for (const rel of index.otherFileRels(folder)) {
    const r = rel.toLowerCase();
    if (r === lower || r.endsWith(`/${lower}`)) return rel;
  }
  return undefined;
}

/**
 * The alias under the cursor in a document's own front matter (`aliases: [CDP Guide]`),
 * where it is written so that it can be renamed.
 */
async function aliasAtCursor(
  ctx: FeatureContext,
  entry: DocEntry,
  pos: Position,
): Promise<Target | undefined> {
  const at = await aliasAt(ctx, entry, pos);
  if (!at) return undefined;
  const { on, span } = at;
  if (span) return { kind: 'alias', entry, alias: span.alias, range: span.range, placeholder: span.alias };
  // On the value, not on the key: an alias written so that it cannot be edited safely.
  if (pos.line > on.line || pos.character > on.range.start.character + on.key.length)
    throw refuse(
      'This alias cannot be renamed here: it is written escaped or more than once (it cannot be edited safely), or it is no alias a link reaches (a file name with an extension, a path, a number); edit it by hand.',
    );
  return undefined;
}

/**
 * Renames an alias that front matter gives a document: the alias there and every wikilink
 * reaching the document by it (their headings and shown texts stay).
 */
async function renameAlias(
  ctx: FeatureContext,
  entry: DocEntry,
  alias: string,
  newName: string,
): Promise<Plan> {
  const name = checkName(newName.trim(), 'alias');
  if (name === alias) return { edits: new Map() };
  const key = linkKey(alias);
  const newKey = linkKey(name);
  if (!aliasReachable(name))
    throw refuse(
      `[[${name}]] would not be looked up as a name (a file with an extension, a path, or no letters or digits): choose another alias.`,
    );
  const index = ctx.index;
  if (newKey !== key) {
    if (entry.aliasKeys.includes(newKey)) throw refuse(`"${entry.rel}" already has an alias like "${name}".`);
    // Names and ids come before aliases: links would reach that document instead.
    const named =
      namedLike(index, entry.folder, name, [entry], dirname(entry.rel)) ??
      index.ids.get(entry.folder, name)[0]?.rel;
    if (named !== undefined || newKey === entry.nameKey || newKey === entry.folderKey)
      throw refuse(
        `"${name}" is the name of ${named ?? `"${entry.rel}"`}: links by the alias would reach it by that name; choose another alias.`,
      );
    const other = index.aliases.named(entry.folder, newKey, dirname(entry.rel)).find((x) => x !== entry);
    if (other) throw refuse(`"${other.rel}" has the alias "${name}" already; choose another alias.`);
  }
  const text = await ctx.readText(entry.uri);
  if (text === undefined) throw refuse(`"${entry.rel}" can no longer be read; nothing was changed.`);
  const span = aliasSpans(text, entry.doc).find((a) => a.alias === alias);
  if (!span)
    throw refuse(
      `The alias "${alias}" of "${entry.rel}" is written in a form that cannot be edited safely (escaped, or written more than once); rename it there by hand.`,
    );
  const own: CoreTextEdit = { range: span.range, newText: aliasText(span, name) };
  // The front matter must read the same aliases, but this one, and nothing else differently.
  const after = parseDocument(entry.uri, applyEdits(text, [own]), ctx.config.parser);
  const expected = aliasesOf(entry.doc).map((a) => (a === alias ? name : a));
  if (JSON.stringify(aliasesOf(after)) !== JSON.stringify(expected))
    throw refuse(
      `The alias "${name}" cannot be written in the front matter of "${entry.rel}" as it reads; choose another alias.`,
    );
  const edits = new Map<string, CoreTextEdit[]>();
  add(edits, entry.uri, own);
  for (const { from, link } of linksByAlias(ctx.analysis, entry, alias))
    add(edits, from.uri, linkTargetEdit(link, name));
  return { edits };
}

/** What the cursor names: a link's target document or heading, the title, or a heading. */
function findTarget(analysis: RuleContext, entry: DocEntry, pos: Position): Target {
  const link = linkAt(entry.doc, pos);
  if (link) {
    const r = analysis.index.resolve(entry, link);
    // An artifact entry naming this cycle's own, not written yet (missing-artifact), names
    // no document: renaming the other cycle's that its name reaches would be a surprise.
    const others = othersArtifact(analysis, entry, link, r);
    if (others !== undefined)
      throw refuse(
        `${clipped(link.raw)} names this cycle's own artifact, not written yet (${ownedBy(others)}): there is no document to rename; create it first.`,
      );
    // A chain link leaving its cycle (phase-chain: it leads into another workflow) means a
    // phase of its own cycle: renaming the other cycle's phase from here would be a surprise.
    const theirs = leadsAcross(analysis, entry, link, r);
    if (theirs !== undefined)
      throw refuse(
        `${clipped(link.raw)} leads into workflow ${theirs.id}, not to a phase of this one (see phase-chain): there is nothing of this cycle to rename; correct the link first.`,
      );
    if (link.headingRange && link.heading && rangeContains(link.headingRange, pos)) {
      if (r.status !== 'resolved' || !r.heading) {
        throw refuse(
          `The heading "${link.heading}" of ${clipped(link.raw)} does not exist, so there is nothing to rename.`,
        );
      }
      // The range prepareRename answers is the one under the cursor, in this document: of
      // a nested heading link (`[[doc#Parent#Child]]`) the segment's, naming its heading
      // (between segments, the last).
      const segments = r.headingPath && headingSegmentRanges(link);
      if (r.headingPath && segments && segments.length === r.headingPath.length) {
        const at = pathHeadingAt(link, r.headingPath, pos) ?? {
          heading: r.heading,
          range: segments[segments.length - 1].range,
        };
        return { ...headingTarget(r.target, at.heading), range: at.range };
      }
      return { ...headingTarget(r.target, r.heading), range: link.headingRange };
    }
    if (link.target === '') {
      throw refuse('Nothing to rename here: place the cursor on the heading part of the link.');
    }
    if (r.status === 'file')
      throw refuse(`${clipped(link.raw)} names a file that is not a document; rename it in the explorer.`);
    if (r.status === 'broken')
      throw refuse(`${clipped(link.raw)} is broken (${r.reason}); there is no document to rename.`);
    if (namesFolder(link.target, r.target)) {
      throw refuse(
        `${clipped(link.raw)} names the folder "${dirname(r.target.rel)}"; rename the folder in the explorer.`,
      );
    }
    const alias = aliasReached(link, r.target);
    if (alias !== undefined)
      return { kind: 'alias', entry: r.target, alias, range: link.targetRange, placeholder: alias };
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

/** Characters that end or split a `[[target#heading|alias]]`. */
const FORBIDDEN = /[/[\]|#\\]/;
const FORBIDDEN_IN_HEADING = /[[\]|#\\]/;
/** Line breaks, NUL and other control characters: never part of a name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Longest file name most file systems accept, in bytes (UTF-8). */
const MAX_NAME_BYTES = 255;
/** Longest path Linux accepts, in bytes. */
const MAX_PATH_BYTES = 4095;

/** Checks a new heading, title or link name; refuses it with the reason. */
function checkName(name: string, what: string): string {
  if (name === '') throw refuse(`The new ${what} is empty.`);
  const control = CONTROL.exec(name);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw refuse(`The new ${what} must not contain a line break or control character (${code}).`);
  }
  // (a heading may hold `/`: `[[api#POST /login]]` reads it, and its anchor drops it)
  const bad = (what === 'heading' ? FORBIDDEN_IN_HEADING : FORBIDDEN).exec(name);
  if (bad) throw refuse(`The new ${what} must not contain "${bad[0]}" (it would break [[links]]).`);
  if (name.startsWith('^'))
    throw refuse(`The new ${what} must not start with "^" (links read it as a block id).`);
  return name;
}

/**
 * Checks the new file name (without `.md`) of `entry`: a name links can reach, that
 * the file system accepts, and that ends in `.md` only once. `typed` is the name as
 * the user gave it, for the messages.
 */
function checkFileStem(ctx: FeatureContext, entry: DocEntry, stem: string, typed: string): string {
  checkStemText(stem, typed);
  const newRel = entry.dir ? `${entry.dir}/${stem}.md` : `${stem}.md`;
  const path = uriToFsPath(ctx.index.uriFor(entry.folder, newRel));
  if (utf8Length(path) > MAX_PATH_BYTES)
    throw refuse(`The path of "${typed}" would be too long for the file system.`);
  return stem;
}

function checkStemText(stem: string, typed: string): void {
  checkName(stem, 'document name');
  const file = `${stem}.md`;
  const quote = /["`]/.exec(stem);
  if (quote)
    throw refuse(
      `The new document name must not contain ${quote[0]} (it would break quoted metadata or code).`,
    );
  if (stem.startsWith('.'))
    throw refuse(`"${file}" would be a hidden file; choose a name that does not start with ".".`);
  if (/[. ]$/.test(stem)) throw refuse(`"${typed}" must not end with "." or a space.`);
  // `x.md` would be the file `x.md.md`, and `[[release.pdf]]` names a PDF file: links
  // written with such a name never reach the document.
  const ext = /\.md$/i.test(stem) || namesOtherFile(stem) ? /\.[^.]*$/.exec(stem) : null;
  if (ext) {
    throw refuse(
      `"${typed}" would make the file "${file}": links to "${stem}" would read "${ext[0]}" as a file extension and break. Choose a name without an extension.`,
    );
  }
  if (slug(stem) === '') throw refuse(`"${typed}" has no letters or digits, so no link can name it.`);
  if (utf8Length(file) > MAX_NAME_BYTES)
    throw refuse(`"${file}" is longer than ${MAX_NAME_BYTES} bytes, too long for the file system.`);
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function renameHeading(analysis: RuleContext, entry: DocEntry, h: Heading, newName: string): Plan {
  const text = checkName(newName.trim(), 'heading');
  const clash = entry.heading(text);
  if (clash && clash !== h) {
    throw refuse(`"${entry.rel}" already has a heading "${clash.text}" (line ${clash.line + 1}).`);
  }
  return {
    edits: headingEdits(analysis, entry, h, text),
    gates: [{ folder: entry.folder, moves: [], heading: { entry, heading: h, text } }],
  };
}

/**
 * The heading's text and every link that names it: a wikilink's heading becomes the new
 * text; a markdown link's anchor becomes the heading's new anchor (and links to later
 * headings of the same name follow when their `-1`, `-2` numbering shifts).
 */
function headingEdits(analysis: RuleContext, entry: DocEntry, h: Heading, text: string) {
  const index = analysis.index;
  const edits = new Map<string, CoreTextEdit[]>();
  add(edits, entry.uri, { range: h.range, newText: text });
  const headings = entry.doc.headings;
  const i = headings.indexOf(h);
  const before = headingAnchors(headings);
  const after = headingAnchors(headings, { index: i, text });
  for (const { from, link } of referencesTo(analysis, entry)) {
    if (!link.headingRange || link.heading === undefined) continue;
    const r = index.resolve(from, link);
    if (r.status !== 'resolved' || !r.heading) continue;
    if (link.syntax === 'markdown') {
      const j = headings.indexOf(r.heading);
      if (j !== -1 && before[j] !== after[j])
        add(edits, from.uri, { range: link.headingRange, newText: anchorAsWritten(link, after[j]) });
    } else
      for (const e of wikiHeadingEdits(link, r, (x) => (x === h ? wikiHeading(text) : undefined)))
        add(edits, from.uri, e);
  }
  return edits;
}

/**
 * The edits of a wikilink's heading when headings it names are renamed (`textOf`: a
 * heading's new text as the link writes it, given the text written for it now; undefined
 * to keep it): the heading, or of a nested heading link (`[[doc#Parent#Child]]`) each
 * segment naming a renamed heading, the rest kept as written.
 */
function wikiHeadingEdits(
  link: WikiLink,
  r: Extract<Resolution, { status: 'resolved' }>,
  textOf: (h: Heading, written: string) => string | undefined,
): CoreTextEdit[] {
  const range = link.headingRange;
  if (!range || link.heading === undefined || !r.heading) return [];
  const path = r.headingPath;
  if (!path) {
    const newText = textOf(r.heading, link.heading);
    return newText === undefined ? [] : [{ range, newText }];
  }
  const segments = headingSegmentRanges(link);
  if (segments && segments.length === path.length) {
    const out: CoreTextEdit[] = [];
    for (let k = 0; k < path.length; k++) {
      const newText = textOf(path[k], segments[k].text);
      if (newText !== undefined) out.push({ range: segments[k].range, newText });
    }
    return out;
  }
  // A heading not written as it reads (escapes, line breaks): written anew, segment by segment.
  const written = headingSegments(link.heading).map((x) => x.text);
  if (written.length !== path.length) return [];
  let changed = false;
  const newText = written
    .map((w, k) => {
      const t = textOf(path[k], w);
      if (t !== undefined) changed = true;
      return t ?? w;
    })
    .join('#');
  return changed ? [{ range, newText }] : [];
}

/**
 * A heading's text as a wikilink names it: without the markup that would change the link
 * (a backtick opening a code span, emphasis, a backslash: ``Use `y` here`` is named `Use y
 * here`), where that names the same heading (the same slug); else as it is. (`[`, `]`, `|`
 * and `#` are refused in a heading's new name; a quote is kept, and refused where it
 * would break a quoted metadata value.)
 */
function wikiHeading(text: string): string {
  if (!/[\\^`*]/.test(text)) return text;
  const plain = text
    .replace(/[\\^`*]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain && slug(plain) === slug(text) ? plain : text;
}

/**
 * Links naming a heading that the edits change from inside (a link in the heading renamed
 * or moved, `## Depends on [[plan]]`): a markdown link's anchor becomes the heading's new
 * anchor (with the `-1`, `-2` numbering of repeats), a wikilink's heading the new text
 * without the link markup, which names it the same way. Repeated for the headings those
 * edits change in turn.
 */
function followHeadings(analysis: RuleContext, edits: Map<string, CoreTextEdit[]>): void {
  const index = analysis.index;
  const seen = new Set<string>();
  for (let round = 0; round < 8; round++) {
    let added = false;
    for (const [uri, list] of [...edits]) {
      const entry = index.get(uri);
      if (!entry) continue;
      const headings = entry.doc.headings;
      const changed = new Map<Heading, string>();
      for (const h of headings) {
        if (editsAt(list, h.range).length > 0) continue; // renamed itself: headingEdits
        const text = headingAfter(h, list);
        if (text !== h.text) changed.set(h, text);
      }
      if (changed.size === 0) continue;
      const before = headingAnchors(headings);
      const after = headingAnchors(headings.map((h) => ({ ...h, text: changed.get(h) ?? h.text })));
      for (const { from, link } of referencesTo(analysis, entry)) {
        if (!link.headingRange || link.heading === undefined) continue;
        const r = index.resolve(from, link);
        if (r.status !== 'resolved' || r.target !== entry || !r.heading) continue;
        const at = link.headingRange.start;
        const key = `${from.uri}\u0000${at.line}:${at.character}`;
        if (seen.has(key)) continue;
        let found: CoreTextEdit[] = [];
        if (link.syntax === 'markdown') {
          const j = headings.indexOf(r.heading);
          if (j !== -1 && before[j] !== after[j])
            found = [{ range: link.headingRange, newText: anchorAsWritten(link, after[j]) }];
        } else {
          found = wikiHeadingEdits(link, r, (h, written) => {
            const text = changed.get(h);
            const plain = text?.replace(/[[\]|#\\^/]+/g, '').trim();
            return plain && slug(plain) === slug(text!) && slug(plain) !== slug(written) ? plain : undefined;
          });
        }
        if (found.length === 0) continue;
        seen.add(key);
        for (const e of found) add(edits, from.uri, e);
        added = true;
      }
    }
    if (!added) return;
  }
}

async function renameTitle(
  ctx: FeatureContext,
  entry: DocEntry,
  h: Heading,
  newName: string,
  token: CancellationToken,
): Promise<Plan> {
  const text = checkName(newName.trim(), 'title');
  const extra = headingEdits(ctx.analysis, entry, h, text);
  const stem = stripMdExtension(basename(entry.rel));
  const heading = { entry, heading: h, text };
  const gates: GateChange[] = [{ folder: entry.folder, moves: [], heading }];
  // README/index documents stand for their folder: their file name stays. So does a name
  // that does not follow the title (`05-release.md` titled "Release Phase", as CDP phase
  // documents are named): only a file named after its title is renamed with it.
  if (
    entry.folderKey !== undefined ||
    /^(readme|index)$/i.test(stem) ||
    looseNameKey(stemOfTitle(h.text, h.text, stem)) !== looseNameKey(stem)
  )
    return { edits: extra, gates };
  const newStem = stemOfTitle(text, h.text, stem);
  if (newStem === '') throw refuse(`The title "${text}" gives no usable file name.`);
  if (newStem === stem) return { edits: extra, gates };
  checkFileStem(ctx, entry, newStem, newStem);
  const plan = await renameDocument(ctx, entry, newStem, extra, token, text);
  for (const g of plan.gates ?? []) g.heading = heading;
  return plan;
}

/**
 * The file name (without `.md`) title `title` gives a document named `stem` after its old
 * title `old`, written as `stem` is: its words joined by `-` (the title's slug), by `_`
 * (the title's `-` too) or by spaces (its `-` kept), as `stem`'s are (a one-word name: as
 * its number is joined, spaces for ` - `), in the title's letter case when `stem` has
 * capitals; `''` when the title has no letters or digits. A number `stem` starts with
 * stays, joined as it was (`01-diagnose.md`: phase documents are named so), also when the
 * title starts with another number (`5 Whys Diagnosis` → `01-5-whys-diagnosis`), once
 * when the title starts with it (`01 Discovery` → `01-discovery`). When the old title
 * started with that number as its own and the new one brings another (`1. Intro` →
 * `2. Setup`), the new title's number takes its place (`2-setup`).
 */
function stemOfTitle(title: string, old: string, stem: string): string {
  const prefix = NUMBER_PREFIX.exec(stem);
  const name = prefix ? stem.slice(prefix[0].length) : stem;
  const join = prefix?.[2] ?? '-';
  const sep = /\s/.test(name)
    ? ' '
    : name.includes('_')
      ? '_'
      : name.includes('-')
        ? '-'
        : /\s/.test(join)
          ? ' '
          : join;
  const words = (t: string) =>
    t
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}\s_-]+/gu, '')
      .trim();
  let text = words(title);
  if (!/[\p{L}\p{N}]/u.test(text)) return '';
  let number = prefix?.[1];
  const lead = /^(\d{1,2})(?:[\s_-]+|$)(.*)$/su;
  const titleNumber = lead.exec(text);
  if (number !== undefined && titleNumber) {
    // The new title's number: in place of the file's when the old title had that one as
    // its own; else the file's number, once when they are the same.
    if (lead.exec(words(old))?.[1] === number || titleNumber[1] === number) {
      number = titleNumber[1];
      text = titleNumber[2];
    }
  }
  const cased = name === name.toLowerCase() ? text.toLowerCase() : text;
  const named =
    sep === '-'
      ? name === name.toLowerCase()
        ? slug(text)
        : cased.replace(/[\s_-]+/g, '-').replace(/^-+|-+$/g, '')
      : cased.replace(sep === '_' && !name.includes('-') ? /[\s-]+/g : /\s+/g, sep);
  if (number === undefined) return named;
  return named === '' ? number : `${number}${join}${named}`;
}

/** A number a file name starts with, and what joins it to the rest: `01-`, `01_`, `3 `, `01 - `. */
const NUMBER_PREFIX = /^(\d{1,2})(\s*[-_]\s*|\s+)/;

/** A name compared in any case, with `-`, `_` and spaces alike. */
function looseNameKey(name: string): string {
  // (in one Unicode form: macOS writes `Größenmaß.md` decomposed, titles are composed)
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '-');
}

async function renameDocument(
  ctx: FeatureContext,
  entry: DocEntry,
  newStem: string,
  extra: Map<string, CoreTextEdit[]>,
  token: CancellationToken,
  /** The document's new title, when its title is renamed (readable links take it). */
  newTitle?: string,
): Promise<Plan> {
  if (!ctx.clientCapabilities.renameFiles) {
    throw refuse(
      'This editor cannot rename files through the language server (its workspace edits hold no file renames): rename the file yourself, and the links to it by hand.',
    );
  }
  const newRel = entry.dir ? `${entry.dir}/${newStem}.md` : `${newStem}.md`;
  const clash = await nameTaken(ctx, entry, newStem);
  throwIfCancelled(token);
  if (clash) throw refuse(`"${clash}" already exists in that folder; choose another name.`);
  const edits = extra;
  let lost: string | undefined;
  const updates = linkUpdates(ctx.index, entry.folder, new Map([[entry, newRel]]), {
    newTitle,
    analysis: ctx.analysis,
    missed: (from, link) => {
      lost ??= `${clipped(link.raw)} in "${from.rel}"`;
    },
  });
  if (lost !== undefined)
    throw refuse(
      `The rename is refused: no link text reaches "${newStem}" for ${lost}. Choose another name.`,
    );
  for (const [uri, list] of updates) {
    for (const e of list) add(edits, uri, e);
  }
  return {
    edits,
    move: { entry, newRel },
    gates: [{ folder: entry.folder, moves: [{ from: entry.rel, to: newRel }] }],
  };
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

/** The workspace folder as it will be after `moves`, in the resolver's own table. */
class FutureFolder {
  private readonly rels = new Map<DocEntry, string>();
  /** DDX id → the documents declaring it, sorted by their paths after the moves. */
  private readonly ids = new Map<string, DocEntry[]>();
  private readonly table = new PathTable<DocEntry>(
    (e) => this.rels.get(e) ?? e.rel,
    // A workflow definition's ids are its own (`IdTable.declarers`), where the definitions lie now.
    (id, fromDir) => {
      const list = this.ids.get(id) ?? [];
      if (list.length === 0 || this.inDefinition(fromDir)) return list;
      return list.filter((e) => !this.inDefinition(dirname(this.rels.get(e) ?? e.rel)));
    },
    (key, fromDir) => this.aliases.named(this.folder, key, fromDir).map((a) => a.entry),
  );
  /** The documents' aliases, where the documents will be. */
  private readonly aliases: AliasTable<{
    folder: string;
    rel: string;
    aliasKeys: readonly string[];
    entry: DocEntry;
  }>;
  private readonly inDefinition: (dir: string) => boolean;

  /** Each other file's path now → its path after the moves (absent when it leaves the folder). */
  private readonly files = new Map<string, string>();

  constructor(
    index: WorkspaceIndex,
    private readonly folder: string,
    moves: Map<DocEntry, string | null>,
    fileMoves: ReadonlyMap<string, string | null> = new Map(),
    /** Folders that move: path now → path after (null: it leaves the workspace folder). */
    private readonly folderMoves: ReadonlyMap<string, string | null> = new Map(),
  ) {
    this.inDefinition = (dir) => index.inDefinition(folder, dir);
    this.aliases = new AliasTable({
      version: () => 0,
      contains: (_f, dir) => this.inDefinition(dir),
      any: () => true,
    });
    for (const e of index.all()) {
      if (e.folder !== folder) continue;
      const rel = moves.has(e) ? moves.get(e)! : e.rel;
      if (rel === null) continue;
      this.rels.set(e, rel);
      this.table.add(e, pathKeys(rel));
      if (e.id !== undefined) push(this.ids, e.id, e);
      this.aliases.add({ folder, rel, aliasKeys: e.aliasKeys, entry: e });
    }
    for (const list of this.ids.values()) list.sort((a, b) => cmp(this.rels.get(a)!, this.rels.get(b)!));
    for (const rel of index.otherFileRels(folder)) {
      const now = fileMoves.has(rel) ? fileMoves.get(rel)! : rel;
      if (now === null) continue;
      this.files.set(rel, now);
      this.table.addFile(now);
    }
  }

  relOf(e: DocEntry): string | undefined {
    return this.rels.get(e);
  }

  /**
   * Where the other file, or the folder (`folder`), now at `rel` will be: undefined for a
   * file leaving or a folder deleted; a folder that neither moves nor lies in one that does
   * stays (a moved document's links to it are written from its new place).
   */
  fileRelOf(rel: string, folder = false): string | undefined {
    const file = this.files.get(rel);
    if (file !== undefined) return file;
    for (const [from, to] of this.folderMoves)
      if (rel === from || rel.startsWith(`${from}/`))
        return to === null ? undefined : to + rel.slice(from.length);
    return folder ? rel : undefined;
  }

  /**
   * The other file a link target written in a document in `fromDir` reaches after the
   * moves (`exactCase`: a markdown path only when it spells the file's letter case).
   */
  resolveFile(fromDir: string, target: string, markdown = false, exactCase = false): string | undefined {
    if (cleanTarget(target) === '') return undefined;
    const r = markdown ? this.table.lookupPath(fromDir, target) : this.table.lookup(fromDir, target);
    return r.status === 'file' && !(exactCase && r.caseDiffers) ? r.rel : undefined;
  }

  /**
   * The documents a link target written in a document in `fromDir` reaches, the choice
   * first (`exactCase`: a markdown path only when it spells the document's letter case).
   */
  resolve(fromDir: string, target: string, markdown = false, exactCase = false): DocEntry[] {
    if (cleanTarget(target) === '') return [];
    const r = markdown ? this.table.lookupPath(fromDir, target) : this.table.lookup(fromDir, target);
    return r.status === 'resolved' && !(exactCase && r.caseDiffers) ? r.candidates : [];
  }
}

/**
 * The edits (on the documents as they are now, before any file moves) that keep every
 * resolved link of `folder` pointing at the same document once `moves` are done
 * (document → new folder-relative path, or null when it leaves the folder).
 * Only a link's target text changes: its heading and alias stay as written. `missed` hears
 * of each link no text could be written for that reaches its document after the moves.
 */
export function linkUpdates(
  index: WorkspaceIndex,
  folder: string,
  moves: Map<DocEntry, string | null>,
  options: {
    missed?: (from: DocEntry, link: WikiLink) => void;
    /** Other files (images, …) that move: path now → path after, or null. */
    fileMoves?: ReadonlyMap<string, string | null>;
    /** Folders that move: path now → path after, or null (links to the folder itself follow it). */
    folderMoves?: ReadonlyMap<string, string | null>;
    /**
     * Files the editor moves whatever the answer: a wikilink in metadata whose name holds
     * a quote is written in its slug form rather than left out.
     */
    moved?: boolean;
    /** The new title of the one document moved, when its title is renamed. */
    newTitle?: string;
    /**
     * The workflow instances: an artifact entry naming its own cycle's, not written yet,
     * and a chain link leaving its cycle refer to no other cycle's document
     * (`isReference`) and are left as written.
     */
    analysis?: RuleContext;
  } = {},
): Map<string, CoreTextEdit[]> {
  const { missed, fileMoves, folderMoves, moved = false, newTitle, analysis } = options;
  const future = new FutureFolder(index, folder, moves, fileMoves, folderMoves);
  const out = new Map<string, CoreTextEdit[]>();
  for (const from of index.all()) {
    if (from.folder !== folder) continue;
    const fromRel = future.relOf(from);
    if (fromRel === undefined) continue;
    const fromDir = dirname(fromRel);
    for (const link of from.doc.links) {
      if (link.target === '') continue;
      const r = index.resolve(from, link);
      if (r.status === 'file') {
        // An image, a configuration file, …: found by its path, which may change too.
        const newRel = future.fileRelOf(r.rel, r.folder === true);
        const markdown = link.syntax === 'markdown';
        // A markdown path in the file's letter case keeps it (a case-only rename is a move).
        const exact = markdown && !r.caseDiffers;
        if (
          newRel === undefined ||
          (future.resolveFile(fromDir, link.target, markdown, exact) === newRel &&
            !loosesCase(filePaths(from.dir, link.target), r.rel, filePaths(fromDir, link.target), newRel))
        )
          continue;
        const reaches = (t: string) => future.resolveFile(fromDir, t, markdown, markdown) === newRel;
        let text = markdown
          ? newPathText(fromDir, link, newRel, false, reaches)
          : newFileTargetText(from, fromDir, link, r.rel, newRel, reaches);
        // A folder written with its trailing `/` keeps it.
        if (text !== undefined && markdown && link.target.trim().endsWith('/') && !text.endsWith('/'))
          text += '/';
        if (text === undefined) missed?.(from, link);
        else if (text !== (link.written ?? link.target)) add(out, from.uri, linkTargetEdit(link, text));
        continue;
      }
      if (r.status !== 'resolved') continue;
      const target = r.target;
      if (future.relOf(target) === undefined) continue;
      const markdown = link.syntax === 'markdown';
      if (
        future.resolve(fromDir, link.target, markdown, markdown && !r.caseDiffers)[0] === target &&
        (markdown || !wikiPathLoosesCase(link, from.dir, fromDir, target, future.relOf(target)!))
      )
        continue;
      if (analysis && !isReference(analysis, from, link, r)) continue;
      const text = markdown
        ? newPathText(
            fromDir,
            link,
            future.relOf(target)!,
            link.target.trim().endsWith('/') || namesFolder(link.target.trim(), target),
            (t) => future.resolve(fromDir, t, true, true)[0] === target,
          )
        : newTargetText(future, from, fromDir, link, target, moved, newTitle);
      if (text === undefined) missed?.(from, link);
      else if (text !== (link.written ?? link.target)) add(out, from.uri, linkTargetEdit(link, text));
    }
  }
  return out;
}

/**
 * Whether a link whose path (one of `before`, as read from where its document is now)
 * spells `oldRel` in its letter case spells `newRel` in none of `after` (as read from
 * where its document will be): a rename that changes only letter case, which the link
 * still reaches when case is ignored, is followed as any other move.
 */
function loosesCase(before: string[], oldRel: string, after: string[], newRel: string): boolean {
  return before.some((p) => sameCase(oldRel, p)) && !after.some((p) => sameCase(newRel, p));
}

/** The folder-relative paths a wikilink's target to another file may name from `dir` (none for a bare name). */
function filePaths(dir: string, target: string): string[] {
  const path = cleanTarget(target);
  if (!path.includes('/')) return [];
  const out: string[] = [];
  for (const rel of [joinRel(dir, path), normalizeRel(path)]) if (rel !== undefined) out.push(rel);
  return out;
}

/**
 * `loosesCase` for a wikilink with a path (`[[docs/Plan]]`) to `target`, now at its
 * path and after the moves at `newRel`; a bare name (`[[Plan]]`) names the document in
 * any case and keeps its text.
 */
function wikiPathLoosesCase(
  link: WikiLink,
  dirNow: string,
  dirAfter: string,
  target: DocEntry,
  newRel: string,
): boolean {
  const folder = namesFolder(link.target, target);
  const named = (rel: string) => (folder ? dirname(rel) : stripMdExtension(rel));
  return loosesCase(
    wikiPathStems(dirNow, link.target),
    named(target.rel),
    wikiPathStems(dirAfter, link.target),
    named(newRel),
  );
}

/** The target text that reaches `target` after the moves, in the link's own style where possible. */
function newTargetText(
  future: FutureFolder,
  from: DocEntry,
  fromDir: string,
  link: WikiLink,
  target: DocEntry,
  moved: boolean,
  /** The target's title after the rename, when it is renamed. */
  newTitle?: string,
): string | undefined {
  const newRel = future.relOf(target)!;
  const written = link.target.replace(/\\/g, '/').trim();
  const folderStyle = namesFolder(link.target, target);
  const path = folderStyle ? dirname(newRel) : stripMdExtension(newRel);
  if (path === '') return undefined;
  const suffix =
    (!folderStyle && /\.md$/i.test(trimEndSlashes(written)) ? '.md' : '') + (/\/$/.test(written) ? '/' : '');
  const stem = stripMdExtension(cleanTarget(written));
  let relative = relativeTo(fromDir, path);
  // `./` only when the link was written with it (`[[ops/plan]]` stays without)
  if (!stem.startsWith('./') && relative.startsWith('./')) relative = relative.slice(2);
  const order: string[] = [];
  if (!stem.includes('/')) {
    order.push(...readableNames(stem, target, basename(path), newTitle ?? target.doc.title?.text));
    // A name written in lower case where the file has capitals (`[[release-plan]]` for
    // `Release-Plan.md`) stays in lower case.
    const lower = basename(path).toLowerCase();
    if (stem === stem.toLowerCase() && stem !== stripMdExtension(basename(target.rel))) {
      // Written in slug form (`[[rollback-plan]]` for `Rollback Plan.md`): so the new name.
      if (!/\s/.test(stem) && /\s/.test(basename(target.rel))) order.push(lower.replace(/\s+/g, '-'));
      order.push(lower);
    }
    order.push(basename(path));
  } else {
    const wasRelative =
      /^\.\.?\//.test(stem) ||
      (from.dir !== '' &&
        slugPath(normalizeRel(`${from.dir}/${stem}`) ?? '') === slugPath(stripMdExtension(target.rel)));
    order.push(...(wasRelative ? [relative, path] : [path, relative]));
  }
  order.push(basename(path), path, relative);
  // A name with characters a wikilink splits at (`#`, `|`, brackets) in its slug form,
  // which names the document the same way (`[[plan]]` for `pl#an.md`).
  // In metadata, a quote would end a quoted value too (for a rename, the name is refused).
  const metadata = moved && link.source === 'metadata';
  const tries = [...new Set(order.map((t) => linkable(t, metadata)))].map((t) => t + suffix);
  // A file name that ends in `.md` once more (`02-build.md.md`) is named with it written out.
  if (!folderStyle && /\.md$/i.test(path))
    for (const t of [basename(newRel), newRel, relativeTo(fromDir, newRel)])
      tries.push(linkable(t, metadata));
  // A chain key's bare value keeps a text that reads as a phase's name there, if one
  // reaches the target (else it is written as a wikilink, see linkTargetEdit).
  if (isBareValueLink(link)) tries.sort((a, b) => Number(!readsAsBareName(a)) - Number(!readsAsBareName(b)));
  // Prefer a text that reaches only the target; accept one where the target is the choice.
  for (const t of tries) {
    const hits = future.resolve(fromDir, t);
    if (hits.length === 1 && hits[0] === target) return t;
  }
  for (const t of tries) if (future.resolve(fromDir, t)[0] === target) return t;
  return undefined;
}

/** Characters a wikilink's target cannot hold. */
const SPLITS_WIKILINK = /[[\]|#\\^\n\r]/;

/** Quotes, which end a quoted YAML value. */
const QUOTE = /["']/;

/**
 * A wikilink target path with each segment a link cannot hold as written in its slug
 * form (`metadata`: quotes neither).
 */
function linkable(path: string, metadata: boolean): string {
  const bad = (seg: string) => SPLITS_WIKILINK.test(seg) || (metadata && QUOTE.test(seg));
  if (!bad(path)) return path;
  return path
    .split('/')
    .map((seg) => (bad(seg) ? slug(seg) : seg))
    .join('/');
}

/**
 * For a bare name written readably (`[[Rollback Plan]]` rather than the file name
 * `rollback-plan`): the target's title (the new one when the title is renamed), then the new file name written the same way
 * (spaces for `-`/`_`, words capitalised when they were). The caller keeps only a text
 * that still reaches the target.
 */
function readableNames(written: string, target: DocEntry, newStem: string, targetTitle?: string): string[] {
  const oldStem = stripMdExtension(basename(target.rel));
  if (written.normalize('NFC') === oldStem.normalize('NFC') || !/[\s\p{Lu}]/u.test(written)) return [];
  const out: string[] = [];
  const title = targetTitle?.trim();
  if (title && !/[[\]|#^\n]/.test(title)) out.push(title);
  const words = newStem.split(/[-_\s]+/).filter(Boolean);
  const capitalised = written
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => /^\P{Ll}/u.test(w));
  const spaced = /\s/.test(written) ? words.join(' ') : newStem;
  out.push(
    capitalised
      ? spaced.replace(/(^|\s)(\p{Ll})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase())
      : spaced,
  );
  return out;
}

/**
 * The path text of a markdown link that reaches `target` after the moves, in the link's
 * own form: relative (`./` kept if written) or `/`-rooted, with or without `.md`, to the
 * folder when it named the folder, percent-encoded when it was (or must be).
 */
function newPathText(
  fromDir: string,
  link: WikiLink,
  newRel: string,
  toFolder: boolean,
  reaches: (decoded: string) => boolean,
): string | undefined {
  const written = link.written ?? link.target;
  const old = link.target.trim();
  let path = toFolder ? dirname(newRel) : newRel;
  if (!toFolder && !/\.md$/i.test(old)) path = stripMdExtension(path);
  let text: string;
  if (old.startsWith('/')) text = `/${path}${toFolder && path && old.endsWith('/') ? '/' : ''}`;
  else if (toFolder) {
    // The folder with a trailing `/` (`./`, `../` for the folder itself or above).
    text = relativeTo(fromDir, `${path ? `${path}/` : ''}x`).slice(0, -1);
    if (!old.endsWith('/') && !/(^|\/)\.\.?\/$/.test(text)) text = text.slice(0, -1);
  } else text = relativeTo(fromDir, path);
  // A first segment with a colon reads as a URL scheme (`v1:draft.md`): keep `./` then.
  if (!old.startsWith('./') && text.startsWith('./') && text !== './' && !/^\.\/[^/]*:/.test(text))
    text = text.slice(2);
  // Written `./../design/`: the `./` before a climb is kept, as the style of the link.
  else if (old.startsWith('./../') && text.startsWith('../')) text = `./${text}`;
  text = encodeAsWritten(text, written, link.angle === true);
  return reaches(decodeDestination(text)) ? text : undefined;
}

/**
 * The target text of a wikilink to another file (`[[arch.png]]`, `[[images/arch.png]]`)
 * that reaches it at `newRel` after the moves: its name when written bare, else its path
 * relative to the document or to the workspace folder, as it was written.
 */
function newFileTargetText(
  from: DocEntry,
  fromDir: string,
  link: WikiLink,
  oldRel: string,
  newRel: string,
  reaches: (t: string) => boolean,
): string | undefined {
  const written = link.target.replace(/\\/g, '/').trim();
  let relative = relativeTo(fromDir, newRel);
  if (!written.startsWith('./') && relative.startsWith('./')) relative = relative.slice(2);
  const order = !written.includes('/')
    ? [basename(newRel), relative, newRel]
    : /^\.\.?\//.test(written) ||
        (from.dir !== '' && normalizeRel(`${from.dir}/${written}`)?.toLowerCase() === oldRel.toLowerCase())
      ? [relative, newRel]
      : [newRel, relative];
  return [...new Set(order)].find((t) => !SPLITS_WIKILINK.test(t) && reaches(t));
}
