import { cmp } from './collections';
import { doubleQuoted, readsPlain } from './gates/rewrite';
import type { DefinitionScope } from './ids';
import { dirname, sharedFolders } from './paths';
import {
  cleanTarget,
  FILE_EXTENSION,
  isExternal,
  isTemplateFolder,
  linkKey,
  type PathKeys,
  PathTable,
} from './resolve';
import type { ParsedDocument, Range, WikiLink } from './types';

/**
 * Aliases (see README, "Link resolution"): other names a document gives itself in its
 * front matter (`aliases: [CDP Guide, Protocol Walkthrough]`, as Obsidian writes them;
 * also `alias:`), which bare wikilinks reach when no file has the name.
 */

const NONE: readonly string[] = [];

/** The aliases a document's front matter gives it, as written (trimmed, without repeats). */
export function aliasesOf(doc: ParsedDocument): readonly string[] {
  const data = doc.metadata.data;
  if (!('aliases' in data) && !('alias' in data)) return NONE;
  // (a set: a front matter of 100,000 aliases is read in linear time, not quadratic)
  const out = new Set<string>();
  for (const key of ['aliases', 'alias']) {
    const v = data[key];
    for (const a of Array.isArray(v) ? v : [v]) {
      // Text only: YAML reads `1.10` as the number 1.1, `0x1F` as 31 (quoted, they stay as written).
      if (typeof a !== 'string') continue;
      const name = a.trim();
      if (aliasReachable(name)) out.add(name);
    }
  }
  return out.size > 0 ? [...out] : NONE;
}

/**
 * Whether `[[name]]` is looked up as a bare name (what reaches an alias): not a path or a
 * link (`/`, `#`, `|`, brackets), not a file with an extension (`Guide.pdf` is looked up
 * as that file), not an absolute or home path (`~Draft`); with letters or digits.
 */
export function aliasReachable(name: string): boolean {
  return (
    name !== '' &&
    !/[/\\[\]|#]/.test(name) &&
    !FILE_EXTENSION.test(name) &&
    !isExternal(name) &&
    linkKey(name) !== ''
  );
}

/** The name keys of a document's aliases (as `linkKey` keys a bare wikilink target), without repeats. */
export function aliasKeys(doc: ParsedDocument): readonly string[] {
  const names = aliasesOf(doc);
  if (names.length === 0) return NONE;
  const keys = [...new Set(names.map((n) => linkKey(n)))];
  return keys.length > 0 ? keys : NONE;
}

/** What `aliasReached` reads of a link's target. */
export interface AliasTarget {
  nameKey: string;
  folderKey: string | undefined;
  id: string | undefined;
  aliasKeys: readonly string[];
  doc: ParsedDocument;
}

/**
 * The alias (as its front matter gives it) by which wikilink `link` reaches `target`, when
 * it reaches it by no other name (its file name, its folder's, its id).
 */
export function aliasReached(
  link: Pick<WikiLink, 'target' | 'syntax'>,
  target: AliasTarget,
): string | undefined {
  if (link.syntax === 'markdown' || target.aliasKeys.length === 0) return undefined;
  const name = cleanTarget(link.target);
  if (name.includes('/') || name === target.id) return undefined;
  const key = linkKey(name);
  if (key === target.nameKey || key === target.folderKey || !target.aliasKeys.includes(key)) return undefined;
  // The spelling the link uses, else one in other letter case, else any reaching it.
  const aliases = aliasesOf(target.doc);
  const lower = name.toLowerCase();
  return (
    aliases.find((a) => a === name) ??
    aliases.find((a) => a.toLowerCase() === lower) ??
    aliases.find((a) => linkKey(a) === key)
  );
}

/** What the table needs of an indexed document. */
export interface AliasDoc {
  folder: string;
  rel: string;
  aliasKeys: readonly string[];
}

/** Which documents of each workspace folder an alias names. */
export class AliasTable<T extends AliasDoc> {
  /** folder → alias key → documents giving themselves that alias (sorted by path when asked). */
  private readonly byKey = new Map<string, Map<string, T[]>>();
  /** The lists added to since they were last sorted. */
  private readonly unsorted = new Set<T[]>();
  /**
   * folder → the documents located by their aliases as a name table locates documents by
   * their names: a lookup walks the linking folder's ancestors, not every holder of the
   * alias (5,000 folders linking an alias 5,000 READMEs give themselves took 12 s).
   */
  private readonly tables = new Map<string, PathTable<T>>();

  constructor(private readonly definitions: DefinitionScope) {}

  add(e: T): void {
    // A workspace template is not the document it is a template for (as for names).
    if (e.aliasKeys.length === 0 || isTemplateFolder(dirname(e.rel))) return;
    let inFolder = this.byKey.get(e.folder);
    if (!inFolder) this.byKey.set(e.folder, (inFolder = new Map()));
    let table = this.tables.get(e.folder);
    if (!table) this.tables.set(e.folder, (table = new PathTable<T>((x) => x.rel)));
    for (const k of e.aliasKeys) {
      const list = inFolder.get(k);
      if (!list) inFolder.set(k, [e]);
      else {
        // Sorted once when next asked: documents come in any order while a workspace loads.
        list.push(e);
        this.unsorted.add(list);
      }
      table.add(e, aliasKeysOf(e, k));
    }
  }

  remove(e: T): void {
    const inFolder = this.byKey.get(e.folder);
    if (!inFolder) return;
    const table = this.tables.get(e.folder);
    for (const k of e.aliasKeys) {
      const list = inFolder.get(k);
      const i = list?.indexOf(e) ?? -1;
      if (i === -1) continue;
      list!.splice(i, 1);
      table?.remove(e, aliasKeysOf(e, k));
      if (list!.length === 0) {
        inFolder.delete(k);
        this.unsorted.delete(list!);
      }
    }
  }

  /** Whether any document of workspace folder `folder` gives itself an alias. */
  any(folder: string): boolean {
    return (this.byKey.get(folder)?.size ?? 0) > 0;
  }

  /**
   * The documents a bare name `key` written in a document in folder `fromDir` reaches by
   * alias: of those giving themselves the alias (a definition's documents only from inside
   * a definition, as for ids), the nearest as for file names — in the same folder, else
   * under the deepest folder shared with `fromDir`, then fewest folders below it — sorted
   * by path.
   */
  named(folder: string, key: string, fromDir: string): T[] {
    const list = this.byKey.get(folder)?.get(key);
    if (!list) return [];
    if (!this.definitions.any(folder)) {
      const r = this.tables.get(folder)!.lookup(fromDir, key);
      return r.status === 'resolved' ? r.candidates : [];
    }
    if (this.unsorted.delete(list)) list.sort((a, b) => cmp(a.rel, b.rel));
    const inside = this.definitions.contains(folder, fromDir);
    const scoped = list.filter((x) => this.definitions.contains(folder, dirname(x.rel)) === inside);
    let out: T[] = [];
    let shared = -1;
    let depth = 0;
    for (const x of scoped) {
      const dir = dirname(x.rel);
      const s = sharedFolders(dir, fromDir);
      const d = dir === '' ? 0 : dir.split('/').length;
      if (s > shared || (s === shared && d < depth)) {
        out = [x];
        shared = s;
        depth = d;
      } else if (s === shared && d === depth) out.push(x);
    }
    return out;
  }
}

/** The keys that locate document `e` by its alias key `k` in a name table. */
function aliasKeysOf(e: AliasDoc, k: string): PathKeys {
  return {
    rel: e.rel,
    dir: dirname(e.rel),
    nameKey: k,
    folderKey: undefined,
    pathKey: `\u0000${k}\u0000${e.rel}`,
  };
}

/** More aliases than a document's front matter is searched for (rename, references). */
export const MAX_EDITABLE_ALIASES = 1000;

/** Where an alias is written in its front matter. */
export interface AliasSpan {
  /** The alias as its front matter gives it. */
  alias: string;
  /** Its text (inside the quotes when quoted). */
  range: Range;
  quote: '"' | "'" | '';
  /** An item of a flow list (`[A, B]`), where `,` and brackets end a plain scalar. */
  flow: boolean;
}

/**
 * Where each alias of `doc` is written in `text` (the document's text): found only where
 * its value is written as it reads (no escapes), once, as a whole scalar of the `aliases`
 * or `alias` entry (a list item, a flow list item or the value itself).
 */
export function aliasSpans(text: string, doc: ParsedDocument): AliasSpan[] {
  const names = aliasesOf(doc);
  // Each alias is looked for in the entry's lines: more than a person writes is not
  // searched (100,000 aliases on one line would take minutes), and none is edited.
  if (names.length === 0 || names.length > MAX_EDITABLE_ALIASES) return [];
  const lines = text.split(/\r\n|\r|\n/);
  const out: AliasSpan[] = [];
  for (const name of names) {
    const found: AliasSpan[] = [];
    for (const entry of doc.metadata.entries) {
      if (entry.key !== 'aliases' && entry.key !== 'alias') continue;
      for (let line = entry.range.start.line; line <= entry.range.end.line && line < lines.length; line++) {
        const s = lines[line];
        // the value starts after the key on the entry's first line
        const from = line === entry.line ? s.indexOf(':') + 1 : 0;
        for (let i = s.indexOf(name, from); i !== -1 && i >= from; i = s.indexOf(name, i + 1)) {
          const end = i + name.length;
          const before = s[i - 1];
          const q = before === '"' || before === "'" ? before : '';
          if (q !== '' && s[end] !== q) continue;
          // (without the value's YAML anchor or tag before it: `- &a Third Name`)
          const prev = s
            .slice(from, q ? i - 1 : i)
            .replace(/(?:(?<=^|[\s,[])[&!][^\s,[\]{}]*\s+)+$/, '')
            .trimEnd();
          const next = s.slice(q ? end + 1 : end).trimStart();
          const after = q ? end + 1 : end;
          const opens = prev === '' || /[[,]$/.test(prev) || /^\s*-$/.test(prev);
          const closes = next === '' || /^[,\]]/.test(next) || (next.startsWith('#') && /\s/.test(s[after]));
          if (!opens || !closes) continue;
          found.push({
            alias: name,
            range: { start: { line, character: i }, end: { line, character: end } },
            quote: q,
            flow: /[[,]$/.test(prev),
          });
        }
      }
    }
    if (found.length === 1) out.push(found[0]);
  }
  return out;
}

/**
 * The text replacing span `span` (an alias) so that it reads `name`: in its quotes, else
 * plain when YAML reads it so (`gates/rewrite.ts`, which edits gate files' values the same
 * way), else double-quoted.
 */
export function aliasText(span: AliasSpan, name: string): string {
  if (span.quote === "'") return name.replace(/'/g, "''");
  if (span.quote === '"') return doubleQuoted(name).slice(1, -1);
  return readsPlain(name, span.flow) ? name : doubleQuoted(name);
}
