import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  type DocumentLink,
  type Location,
  type Range,
} from 'vscode-languageserver';
import { linkTargetEdit } from '../core/edits';
import { doubleQuoted, readsPlain } from '../core/gates/rewrite';
import { idOf } from '../core/ids';
import type { DocEntry, WorkspaceIndex } from '../core/index';
import { linkTextTo } from '../core/link-text';
import { sharedFolders } from '../core/paths';
import { equallyNearDeclarers } from '../core/rules/ambiguous-link';
import type { RuleContext } from '../core/rules/rule';
import { rangeContains } from '../core/text';
import type { TextEdit as CoreTextEdit, IdRef, Position } from '../core/types';
import type { FeatureContext } from './context';
import { escapeMarkdown, fenced } from './convert';
import { isSubsequence } from './fuzzy';

/**
 * DDX ids in the editor (see README, "Document ids and dependencies"): the `id:` value
 * and the `depends_on` entries of a document's `ddx:`/`dun:` block navigate, hover,
 * complete and rename like links; a `[[ID]]` link is resolved by the index.
 */

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
/** How many dependencies and dependents a hover lists. */
const HOVER_FIRST = 5;
const MAX_ITEMS = 200;

export type IdSpot = { kind: 'declaration' | 'dependency' | 'lineage'; ref: IdRef };

/** The `id:` value or `depends_on` entry under the cursor. */
export function idAt(entry: DocEntry, pos: Position): IdSpot | undefined {
  const d = entry.doc.ddx;
  if (!d) return undefined;
  if (d.id && rangeContains(d.id.range, pos)) return { kind: 'declaration', ref: d.id };
  for (const r of d.dependsOn) if (rangeContains(r.range, pos)) return { kind: 'dependency', ref: r };
  // a `superseded_by`/`supersedes` value
  for (const r of d.lineage ?? []) if (rangeContains(r.range, pos)) return { kind: 'lineage', ref: r };
  return undefined;
}

/** The document an id names from `entry` (the nearest declaring it). */
export function byId(index: WorkspaceIndex, entry: DocEntry, id: string): DocEntry | undefined {
  return index.ids.nearest(entry, id);
}

/** Where a document is shown: its title, else its start. */
export function landingOf(e: DocEntry): Range {
  return e.doc.title?.range ?? START;
}

/** Every `depends_on` entry of the folder that names the id of `target`. */
export function dependencyReferences(
  index: WorkspaceIndex,
  target: DocEntry,
): { from: DocEntry; ref: IdRef }[] {
  const id = idOf(target);
  if (id === undefined) return [];
  const out: { from: DocEntry; ref: IdRef }[] = [];
  for (const from of index.ids.dependentsOfDoc(target))
    for (const ref of from.doc.ddx?.dependsOn ?? []) if (ref.id === id) out.push({ from, ref });
  return out;
}

/** References of a document by id: its declaration (optionally) and every dependency naming it. */
export function idReferences(ctx: FeatureContext, target: DocEntry): Location[] {
  const out = dependencyReferences(ctx.index, target).map(({ from, ref }) => ({
    uri: ctx.clientUri(from.uri),
    range: ref.range,
  }));
  // `superseded_by`/`supersedes` values naming the id, as a rename edits them (those
  // written as wikilinks are links, found with the other links).
  const id = target.doc.ddx?.id?.id;
  if (id === undefined) return out;
  for (const from of ctx.index.all()) {
    if (from.folder !== target.folder) continue;
    for (const r of from.doc.ddx?.lineage ?? []) {
      if (r.id !== id || ctx.index.ids.nearest(from, id) !== target) continue;
      if (from.doc.links.some((l) => rangeContains(l.range, r.range.start))) continue;
      out.push({ uri: ctx.clientUri(from.uri), range: r.range });
    }
  }
  return out;
}

/** Document links for `depends_on` entries that name a known id. */
export function dependencyLinks(ctx: FeatureContext, entry: DocEntry): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const ref of entry.doc.ddx?.dependsOn ?? []) {
    const t = byId(ctx.index, entry, ref.id);
    if (t) out.push({ range: ref.range, target: ctx.clientUri(t.uri), tooltip: `Open ${t.rel}` });
  }
  return out;
}

/** The id part of a hover: id, type, status, review stamp, what it depends on and what depends on it. */
export function idHover(index: WorkspaceIndex, t: DocEntry): string | undefined {
  const d = t.doc.ddx;
  if (!d) return undefined;
  const parts: string[] = [];
  const facts: string[] = [];
  if (d.id) facts.push(`id \`${d.id.id.replace(/`/g, "'")}\``);
  if (d.type) facts.push(`type ${escapeMarkdown(d.type)}`);
  if (d.status) facts.push(`status ${escapeMarkdown(d.status)}`);
  if (d.supersededBy) facts.push(`superseded by ${escapeMarkdown(d.supersededBy)}`);
  if (d.parkingLot) facts.push('parking lot');
  if (facts.length > 0) parts.push(facts.join(' · '));
  const list = (label: string, names: string[]) => {
    if (names.length === 0) return;
    const shown = names.slice(0, HOVER_FIRST).map(escapeMarkdown).join(', ');
    const more = names.length > HOVER_FIRST ? `, … (${names.length - HOVER_FIRST} more)` : '';
    parts.push(`${label} (${names.length}): ${shown}${more}`);
  };
  // (an entry no document declares is said so: the diagnostic is on the other document)
  const missing = new Set(index.ids.missingDependencies(t));
  list(
    'Depends on',
    d.dependsOn.map((r, i) => (missing.has(i) ? `${r.id} (no document has this id)` : r.id)),
  );
  if (d.id) {
    // Documents sharing an id (a copy not given its own) are told apart by their paths.
    const dependents = index.ids.dependentsOfDoc(t);
    const ids = dependents.map((e) => idOf(e) ?? e.rel);
    const count = new Map<string, number>();
    for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
    list(
      'Depended on by',
      dependents.map((e, i) => (count.get(ids[i])! > 1 ? `${ids[i]} (${e.rel})` : ids[i])),
    );
  }
  if (d.review !== undefined) parts.push(`Review:\n\n${fenced(d.review, 'yaml')}`);
  return parts.join('\n\n');
}

/** An id completion item and how well its id matches what was typed (0: starts with it, 1: holds it, 2: a subsequence). */
interface RankedId {
  item: CompletionItem;
  quality: number;
}

/**
 * The ids of the folder whose text matches `typed`, best first: those starting with it,
 * then holding it, then holding its characters in order; among those, the ones declared
 * nearest the document (its own project's before another's), then by id. At most MAX_ITEMS.
 */
function rankedIds(
  analysis: RuleContext,
  entry: DocEntry,
  typed: string,
  range: Range,
  suffix: string,
  /** After `[[` (else in `depends_on`): an id more than one document declares equally near is offered per document, by its path. */
  link: boolean,
): RankedId[] {
  const index = analysis.index;
  const q = typed.trim().toLowerCase();
  const found: { id: string; quality: number; near: number; e: DocEntry; text: string }[] = [];
  for (const [id] of index.ids.ids(entry.folder)) {
    const lower = id.toLowerCase();
    const quality = lower.startsWith(q) ? 0 : lower.includes(q) ? 1 : isSubsequence(q, lower) ? 2 : -1;
    if (quality < 0) continue;
    // Only the ids the document may name: a workflow definition's are its own (`IdTable.declarers`).
    if (index.ids.declarers(entry.folder, entry.dir, id).length === 0) continue;
    // The document the inserted link will reach: the nearest declaring the id.
    const e = index.ids.nearest(entry, id);
    if (!e) continue;
    // An id declared equally near by documents of several workflow instances (`FEAT-001`
    // of two products, linked from a third) would be reported as ambiguous: not offered
    // bare, but after `[[` each of those documents by the path that reaches it alone.
    const equally = equallyNearDeclarers(analysis, entry, id);
    if (equally.length === 0) {
      found.push({ id, quality, near: sharedFolders(e.dir, entry.dir), e, text: id });
      continue;
    }
    if (!link) continue;
    for (const d of equally) {
      const text = linkTextTo(index, entry, { source: 'body' }, d, true);
      if (text !== undefined) found.push({ id, quality, near: sharedFolders(d.dir, entry.dir), e: d, text });
    }
  }
  found.sort(
    (a, b) =>
      a.quality - b.quality ||
      b.near - a.near ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      (a.e.rel < b.e.rel ? -1 : a.e.rel > b.e.rel ? 1 : 0),
  );
  return found.slice(0, MAX_ITEMS).map(({ id, quality, e, text }, i) => ({
    quality,
    item: {
      label: id,
      kind: CompletionItemKind.Reference,
      detail: e.displayName,
      documentation: e.rel,
      sortText: ` ${String(i).padStart(4, '0')}`,
      filterText: id,
      textEdit: { range, newText: text + suffix },
    },
  }));
}

/**
 * Completion items for the ids of the folder whose text matches `typed`, best first, as a
 * `depends_on` entry names them (none that would be ambiguous there).
 */
export function idItems(
  analysis: RuleContext,
  entry: DocEntry,
  typed: string,
  range: Range,
  suffix: string,
): CompletionItem[] {
  return rankedIds(analysis, entry, typed, range, suffix, false).map((r) => r.item);
}

/**
 * Adds id items to the name items of a `[[` completion: ids that start with what was typed
 * first, then the documents, then the other ids that match; MAX_ITEMS in all.
 */
export function withIdItems(
  analysis: RuleContext,
  entry: DocEntry,
  typed: string,
  range: Range,
  suffix: string,
  list: CompletionList,
): CompletionList {
  if (/[/\\#]/.test(typed)) return list;
  // An id a wikilink cannot name (`#`, `|`, brackets, a line break in it) is not offered.
  const ids = rankedIds(analysis, entry, typed, range, suffix, true).filter(
    (r) => !NOT_IN_WIKILINK.test(r.item.label),
  );
  if (ids.length === 0) return list;
  // A document offered by its name inserts what an id item does (a file named like its
  // id, or one offered by its path): offered once, as the id.
  const inserted = new Set(ids.map((r) => r.item.textEdit?.newText));
  const docs = list.items.filter((i) => !inserted.has(i.textEdit?.newText));
  // With nothing typed every id is as good a match: the documents come first.
  const ahead = (r: RankedId) => typed.trim() !== '' && r.quality === 0;
  const first = ids.filter(ahead).map((r) => r.item);
  const rest = ids.filter((r) => !ahead(r)).map((r) => r.item);
  const all = [...first, ...docs, ...rest];
  const items = all.slice(0, MAX_ITEMS);
  items.forEach((item, i) => {
    item.sortText = String(i).padStart(4, '0');
  });
  return { isIncomplete: list.isIncomplete || ids.length >= MAX_ITEMS || all.length > MAX_ITEMS, items };
}

/** An id YAML reads back plain as it is, in a list or after a key (no parse needed). */
const PLAIN_ID = /^(?!(?:true|false|null|yes|no|on|off|y|n)$)[A-Za-z_][\w.-]*$/i;

/** Characters that end or split a wikilink's target. */
const NOT_IN_WIKILINK = /[#|[\]\r\n]/;

/** A nested `key:` line: its indentation, then the key plain or in quotes (`"depends_on":`). */
const KEY = /^([ \t]+)(?:"([^"\\]*)"|'([^']*)'|([A-Za-z_][\w.-]*))[ \t]*:/;

/** The key `KEY` found. */
function keyName(k: RegExpExecArray): string {
  return k[2] ?? k[3] ?? k[4];
}
/**
 * A `- ` item line up to the cursor, the id being typed last (group 2): plain or quoted
 * (`- FE`, `- "FE`), inside a wikilink (`- [[FE`, `- "[[FE`) or a map's id (`- id: FE`,
 * `- {id: FE`). (While a wikilink or quote is still open the YAML, and so the block, reads
 * as broken: the item is completed once it is closed.)
 */
const ITEM = /^([ \t]*)-[ \t]+(?:['"]?\[\[|(?:\{[ \t]*)?id[ \t]*:[ \t]*)?['"]?([^'"\s,[\]{}|#]*)$/;

/**
 * Completion inside `depends_on` of the DDX block: on a `- ` item line of its list, after
 * `depends_on:` or inside its `[…]`. `lineText(l)` reads the editor's text of a line.
 */
export function dependsOnCompletion(
  analysis: RuleContext,
  entry: DocEntry,
  pos: Position,
  lineText: (l: number) => string,
): CompletionList | undefined {
  const start = ddxStart(entry, pos.line, lineText);
  if (start === undefined) return undefined;
  const text = lineText(pos.line);
  const before = text.slice(0, pos.character);
  let typedFrom: number | undefined;
  const item = ITEM.exec(before);
  const key = KEY.exec(text);
  if (key && keyName(key) === 'depends_on') {
    // After the key, or in its flow list after `[` or a comma; quoted or not, a wikilink or not.
    const m = /:[ \t]*(?:\[(?:.*,)?[ \t]*)?['"]?(?:\[\[)?([^'"\s,[\]]*)$/.exec(before);
    if (m) typedFrom = pos.character - m[1].length;
  } else if (item) {
    // The item belongs to the key above it at a smaller indentation.
    const indent = item[1].length;
    for (let l = pos.line - 1; l > start; l--) {
      const k = KEY.exec(lineText(l));
      if (!k || k[1].length > indent) continue;
      if (keyName(k) === 'depends_on') typedFrom = pos.character - item[2].length;
      break;
    }
  }
  if (typedFrom === undefined) return undefined;
  const typed = before.slice(typedFrom);
  // The rest of the id after the cursor is replaced too (`FE|AT` → `FEAT-004`, not `FEAT-004AT`).
  const rest = /^[^'"\s,[\]{}|#]*/.exec(text.slice(pos.character))![0];
  const range = {
    start: { line: pos.line, character: typedFrom },
    end: { line: pos.line, character: pos.character + rest.length },
  };
  const own = idOf(entry);
  // Written as the place takes it: inside quotes as it is (an id holding that quote is not
  // offered), inside `[[` only an id a wikilink can name, else plain where YAML reads it
  // back as the id (`FEAT-004`), in double quotes where it would not (`QQ, comma`, `QQ #4`).
  const opener = text.slice(Math.max(0, typedFrom - 2), typedFrom);
  const quote = opener.endsWith('"') ? '"' : opener.endsWith("'") ? "'" : '';
  const wiki = opener === '[[';
  const flow = key !== null && keyName(key) === 'depends_on' && /:[ \t]*\[/.test(before);
  // Inside `[[`: the link is closed, and a quote opened before it (`"[[FE`), where nothing
  // after the id closes them yet.
  let close = '';
  const after = text.slice(pos.character + rest.length);
  if (wiki) {
    const closed = /^[^[\]]*\]\]/.exec(after);
    const q = text.charAt(typedFrom - 3);
    const quoted = q === '"' || q === "'";
    if (!closed) close = quoted && !after.startsWith(q) ? `]]${q}` : ']]';
    else if (quoted && !after.startsWith(q, closed[0].length)) {
      // `"[[FE|]]` (the editor closed the brackets, not the quote): the edit runs through
      // the `]]`, keeping what stands before it (`#heading`, `|alias`), and closes the quote.
      close = `${closed[0]}${q}`;
      range.end = { line: pos.line, character: range.end.character + closed[0].length };
    }
  }
  const items: CompletionItem[] = [];
  for (const i of idItems(analysis, entry, typed, range, '')) {
    const id = i.label;
    if (id === own) continue;
    if (quote !== '' ? id.includes(quote) || /[\r\n]/.test(id) : wiki && NOT_IN_WIKILINK.test(id)) continue;
    if (quote === '' && !wiki && !PLAIN_ID.test(id) && !readsPlain(id, flow))
      (i.textEdit as { newText: string }).newText = doubleQuoted(id);
    if (close) (i.textEdit as { newText: string }).newText += close;
    items.push(i);
  }
  return { isIncomplete: false, items };
}

/**
 * The line of the `ddx:` (or `dun:`) key whose block holds line `line`, or undefined. Read
 * from the block YAML gave, else (a list still being typed, `depends_on: [FE`, is no YAML
 * yet) from the lines of the metadata: the nearest top-level key above.
 */
function ddxStart(entry: DocEntry, line: number, lineText: (l: number) => string): number | undefined {
  const d = entry.doc.ddx;
  if (d) return line > d.range.start.line && line <= d.range.end.line + 1 ? d.range.start.line : undefined;
  const meta = entry.doc.metadata.range;
  if (!meta || line <= meta.start.line || line > meta.end.line) return undefined;
  for (let l = line - 1; l > meta.start.line; l--) {
    const t = lineText(l);
    if (/^[ \t]/.test(t) || t.trim() === '' || t.startsWith('#')) continue;
    return /^(?:ddx|dun)[ \t]*:/.test(t) ? l : undefined;
  }
  return undefined;
}

/** Characters an id may hold so that it stays one YAML scalar and one link target. */
const ID_TEXT = /^[\p{L}\p{N}_][\p{L}\p{N}_.\-/]*$/u;

export function checkNewId(newId: string): string | undefined {
  if (newId === '') return 'The new id is empty.';
  if (!ID_TEXT.test(newId))
    return `"${newId}" cannot be an id here: use letters, digits, "_", ".", "-" and "/" (starting with a letter, digit or "_").`;
  return undefined;
}

/** The id a rename at this position renames, with the range to show: `id:`, `depends_on` or `[[ID]]`. */
export function idRenameTarget(
  index: WorkspaceIndex,
  entry: DocEntry,
  pos: Position,
  /** The link at `pos`: anywhere in it but its heading part (`#A`), the id is what it names. */
  link: { target: string; targetRange: Range; headingRange?: Range } | undefined,
): { id: string; range: Range; owner: DocEntry | undefined; declaration: boolean } | undefined {
  const spot = idAt(entry, pos);
  if (spot) {
    const declaration = spot.kind === 'declaration';
    const owner = declaration ? entry : byId(index, entry, spot.ref.id);
    return { id: spot.ref.id, range: spot.ref.range, owner, declaration };
  }
  if (link && !(link.headingRange && rangeContains(link.headingRange, pos))) {
    const id = link.target.trim();
    const owner = byId(index, entry, id);
    if (owner) return { id, range: link.targetRange, owner, declaration: false };
  }
  return undefined;
}

/**
 * The edits of renaming `id` to `newId` in a folder: every `id:` that declares it, every
 * `[[id]]` link that reaches it by id, and every `depends_on`, `superseded_by` and
 * `supersedes` value naming it.
 */
export function idRenameEdits(
  index: WorkspaceIndex,
  folder: string,
  id: string,
  newId: string,
  /** The documents whose id is renamed (those declaring it in one workflow instance). */
  renamed: readonly DocEntry[],
): Map<string, CoreTextEdit[]> {
  const out = new Map<string, CoreTextEdit[]>();
  // One edit per place: a value that is an id and a wikilink (`superseded_by: "[[ADR-2]]"`) is both.
  const placed = new Set<string>();
  const add = (uri: string, e: CoreTextEdit) => {
    const key = `${uri}\n${e.range.start.line}:${e.range.start.character}`;
    if (placed.has(key)) return;
    placed.add(key);
    const list = out.get(uri);
    if (list) list.push(e);
    else out.set(uri, [e]);
  };
  const owners = new Set(renamed);
  for (const o of owners) add(o.uri, { range: o.doc.ddx!.id!.range, newText: newId });
  // A dependency goes to the nearest document declaring the id (another project may have its own).
  for (const o of owners)
    for (const from of index.ids.dependentsOfDoc(o))
      for (const r of from.doc.ddx!.dependsOn)
        if (r.id === id) add(from.uri, { range: r.range, newText: newId });
  for (const from of index.all()) {
    if (from.folder !== folder) continue;
    // Like a dependency, `superseded_by: ID` names the nearest document declaring the id.
    for (const r of from.doc.ddx?.lineage ?? []) {
      if (r.id !== id) continue;
      const t = index.ids.nearest(from, id);
      if (t && owners.has(t)) add(from.uri, { range: r.range, newText: newId });
    }
    for (const link of from.doc.links) {
      if (link.target.trim() !== id) continue;
      const r = index.resolve(from, link);
      // Only a link that reaches the owner by its id names the id: one that reaches it by
      // its file name (a library template's `[[FEAT-001]]`: templates reach no project id)
      // still does after the rename, and the new id would reach nothing from there.
      if (r.status === 'resolved' && owners.has(r.target) && index.ids.nearest(from, id) === r.target)
        add(from.uri, linkTargetEdit(link, newId));
    }
  }
  return out;
}
