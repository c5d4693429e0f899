import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { checkYamlLimits, withoutStacks, YAML_LIMITS, yamlLineBreaks } from '../parse/yaml-guard';
import { LineIndex, lineBreakOf } from '../text';
import type { TextEdit } from '../types';
import { nearMiss } from './parse';
import { type Confirmation, confirmationKey } from './store';

/**
 * `.cdp/confirmations.yml`: the manual gate items someone confirmed, committed with the
 * repository so that CI sees what the editor sees. A YAML list, one entry per item,
 * appended at the end (so a diff shows one new entry):
 *
 *     - file: docs/helix/05-deploy/GATE.yaml
 *       item: "Staging deployment verified successful"
 *       by: "Jane Doe"
 *       at: "2026-11-29T04:12:00Z"
 *
 * Remove an entry to withdraw the confirmation. An entry without a `file` or an `item`
 * confirms nothing: it is kept aside (see `incompleteConfirmations`) to be reported.
 */
export function parseConfirmations(text: string): Map<string, Confirmation> {
  const out = new Map<string, Confirmation>();
  const entries = confirmationEntries(text);
  if (entries.length === 0) return out;
  // Each entry's line (the text's line breaks: `\n`, `\r\n`, a lone `\r`).
  const lines = new LineIndex(text);
  for (const e of entries)
    out.set(confirmationKey(e.file, e.item), {
      by: e.by ?? 'unknown',
      at: e.at ?? '',
      line: lines.lineOf(e.from),
    });
  return out;
}

/** One entry of the confirmations file as written, with where it is. */
export interface ConfirmationEntry {
  file: string;
  item: string;
  by?: string;
  at?: string;
  /** Offsets of the entry's mapping in the text: its first key to the end of its last value. */
  from: number;
  to: number;
}

/** The two keys an entry cannot do without. */
export type ConfirmationKey = 'file' | 'item';

/** An entry of a confirmations file that confirms nothing for want of a `file` or an `item`. */
export interface IncompleteConfirmation {
  /** Offsets of the entry in the text (of its mapping, or of what is written in its place). */
  from: number;
  to: number;
  /** Its `item`, when it has one. */
  item?: string;
  /** False for an entry that is no mapping at all (`- docs/helix/01-frame/GATE.yaml`). */
  mapping: boolean;
  /** The keys it lacks: not written, or written with no text (`file:` alone, a list). */
  missing: ConfirmationKey[];
  /** Of those, the ones written with no text as their value (empty, a list, a mapping). */
  notText: ConfirmationKey[];
  /**
   * Keys written in their place, never read (`path:` for `file:`, `Item:` for `item:`),
   * each with the offsets of the key and whether its value is text (the key meant would read
   * it as it is).
   */
  misses: { key: string; meant: ConfirmationKey; from: number; to: number; text: boolean }[];
}

/**
 * Keys that can only have been meant as `file` or `item` in a confirmation: the names of a
 * gate file's path (`path`, `gate`) and of a manual item's text (`criterion`), squashed as
 * `nearMiss` compares (any case, no `-`, `_` or blanks); near misses (`files`, `items`,
 * `Item`, `fiel`) are found besides.
 */
const KEY_ALIASES: ReadonlyMap<string, ConfirmationKey> = new Map([
  ['path', 'file'],
  ['gate', 'file'],
  ['gatefile', 'file'],
  ['gatepath', 'file'],
  ['filepath', 'file'],
  ['filename', 'file'],
  ['criterion', 'item'],
  ['criteria', 'item'],
  ['manual', 'item'],
  ['manualitem', 'item'],
]);

const ENTRY_KEYS: readonly ConfirmationKey[] = ['file', 'item'];

/** The key of an entry that `key` (not one of them) was meant as, if any. */
function meantKey(key: string): ConfirmationKey | undefined {
  const alias = KEY_ALIASES.get(key.toLowerCase().replace(/[\s_-]+/g, ''));
  if (alias) return alias;
  const near = nearMiss(key, ENTRY_KEYS);
  return near === 'file' || near === 'item' ? near : undefined;
}

/**
 * The entries of a confirmations file that confirm nothing for want of a `file` or an
 * `item` (or that are no mapping), in file order; none for a file that cannot be read.
 */
export function incompleteConfirmations(text: string): readonly IncompleteConfirmation[] {
  return readConfirmations(text).incomplete ?? [];
}

/**
 * The entries of a confirmations file that name a `file` and an `item`, in file order
 * (entries that confirm the same item included: the last counts). None for a file that
 * cannot be read.
 */
export function confirmationEntries(text: string): readonly ConfirmationEntry[] {
  return readConfirmations(text).entries;
}

/**
 * A confirmations file grows by an entry per confirmation over a project's life: it may be
 * larger than a gate file (about 7,000 entries to a megabyte).
 */
const CONFIRMATIONS_LIMITS = { ...YAML_LIMITS, maxChars: 8 * 1024 * 1024 };

/**
 * Why no confirmation of a confirmations file counts (too large, nested too deep, not
 * YAML, not a list of entries), with where; undefined when it is read (an empty file too).
 */
export function confirmationsProblem(text: string): { message: string; offset: number } | undefined {
  return readConfirmations(text).problem;
}

type ReadConfirmations = {
  entries: readonly ConfirmationEntry[];
  incomplete?: readonly IncompleteConfirmation[];
  problem?: { message: string; offset: number };
};

/** The last file read: its entries, its problem and the gate store ask for the same text in turn. */
let lastRead: { text: string; read: ReadConfirmations } | undefined;

function readConfirmations(text: string): ReadConfirmations {
  if (lastRead?.text === text) return lastRead.read;
  const read = parseConfirmationsFile(text);
  lastRead = { text, read };
  return read;
}

function parseConfirmationsFile(text: string): ReadConfirmations {
  const out: ConfirmationEntry[] = [];
  // A lone `\r` becomes `\n`: offsets are those of `text`.
  const src = yamlLineBreaks(text);
  const refused = checkYamlLimits(src, CONFIRMATIONS_LIMITS);
  if (refused) return { entries: out, problem: refused };
  try {
    const doc = withoutStacks(() =>
      parseDocument(src, { logLevel: 'error', uniqueKeys: false, prettyErrors: false }),
    );
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      return { entries: out, problem: { message: e.message.split('\n')[0], offset: e.pos[0] } };
    }
    const root = doc.contents;
    const list = isSeq(root)
      ? root
      : isMap(root) && isSeq(root.get('confirmations', true))
        ? root.get('confirmations', true)
        : undefined;
    if (!isSeq(list)) {
      if (root === null || (isScalar(root) && (root.value === null || root.value === '')))
        return { entries: out };
      return {
        entries: out,
        problem: {
          message: 'it is neither a list of entries nor a map with a `confirmations:` list',
          offset: 0,
        },
      };
    }
    const incomplete: IncompleteConfirmation[] = [];
    /** Whether a value reads as text (a string or a number). */
    const isText = (v: unknown) =>
      isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number');
    for (const n of list.items) {
      if (!isMap(n)) {
        const range = (n as { range?: [number, number, number] } | null)?.range;
        if (range)
          incomplete.push({
            from: range[0],
            to: Math.max(range[0], range[1]),
            mapping: false,
            missing: [...ENTRY_KEYS],
            notText: [],
            misses: [],
          });
        continue;
      }
      const s = (k: string) => {
        const v = n.get(k, true);
        return isText(v) ? String((v as { value: unknown }).value) : undefined;
      };
      const file = s('file');
      const item = s('item');
      if (!file || !item) {
        const missing = ENTRY_KEYS.filter((k) => !(k === 'file' ? file : item));
        const misses: IncompleteConfirmation['misses'] = [];
        for (const p of n.items) {
          if (!isScalar(p.key) || typeof p.key.value !== 'string' || !p.key.range) continue;
          const key = p.key.value;
          if (key === 'file' || key === 'item') continue;
          const meant = meantKey(key);
          if (meant === undefined || !missing.includes(meant) || n.has(meant)) continue;
          if (misses.some((m) => m.meant === meant)) continue;
          misses.push({ key, meant, from: p.key.range[0], to: p.key.range[1], text: isText(p.value) });
        }
        const from = n.range?.[0] ?? 0;
        incomplete.push({
          ...(item ? { item } : {}),
          from,
          to: Math.max(from, n.range?.[1] ?? from),
          mapping: true,
          missing,
          notText: missing.filter((k) => n.has(k)),
          misses,
        });
        continue;
      }
      const from = n.range?.[0] ?? 0;
      const entry: ConfirmationEntry = { file, item, from, to: Math.max(from, n.range?.[1] ?? from) };
      const by = s('by');
      const at = s('at');
      if (by !== undefined) entry.by = by;
      if (at !== undefined) entry.at = at;
      out.push(entry);
    }
    if (incomplete.length > 0) return { entries: out, incomplete };
  } catch (e) {
    return { entries: out, problem: { message: e instanceof Error ? e.message : String(e), offset: 0 } };
  }
  return { entries: out };
}

/**
 * The edit that withdraws entry `k` of `confirmationEntries(text)`: the whole lines it is
 * written on, line breaks included (at the end of a file without a final line break, up to
 * the end). Undefined when those lines hold anything else (another entry, a list in
 * brackets, a comment after it) or the file read back would not hold exactly the other
 * entries: no edit rather than one that changes more than that entry.
 */
export function confirmationRemoval(text: string, k: number): { from: number; to: number } | undefined {
  const before = confirmationEntries(text);
  const e = before[k];
  if (!e) return undefined;
  const lineStart = text.lastIndexOf('\n', e.from - 1) + 1;
  const crStart = text.lastIndexOf('\r', e.from - 1) + 1;
  const from = Math.max(lineStart, crStart);
  // Only the list's `- ` (and indentation) before it on its first line.
  if (!/^[ \t]*(?:-[ \t]+)?$/.test(text.slice(from, e.from))) return undefined;
  // The entry's range takes in its line break (and comments after it) when it ends its
  // line; else only blanks may follow it there, then the line break.
  let to = e.to;
  if (text[to - 1] === '\r' && text[to] === '\n') to++;
  else if (text[to - 1] !== '\n' && text[to - 1] !== '\r') {
    while (to < text.length && (text[to] === ' ' || text[to] === '\t')) to++;
    if (text[to] === '\r' && text[to + 1] === '\n') to += 2;
    else if (text[to] === '\n' || text[to] === '\r') to += 1;
    else if (to < text.length) return undefined;
  }
  // Read without the memo of the last file read: that stays the file as it is on disk.
  const after = parseConfirmationsFile(text.slice(0, from) + text.slice(to)).entries;
  const expected = before.filter((_, i) => i !== k);
  const same = (a: ConfirmationEntry, b: ConfirmationEntry) =>
    a.file === b.file && a.item === b.item && a.by === b.by && a.at === b.at;
  if (after.length !== expected.length || !after.every((a, i) => same(a, expected[i]))) return undefined;
  return { from, to };
}

/** The edits of a `withdraw` fix on `text`: entry `k`'s lines removed (see `confirmationRemoval`). */
export function withdrawalEdits(text: string, k: number): TextEdit[] | undefined {
  const removal = confirmationRemoval(text, k);
  if (!removal) return undefined;
  return [{ range: new LineIndex(text).rangeOf(removal.from, removal.to), newText: '' }];
}

export const CONFIRMATIONS_HEADER =
  '# Manual gate items confirmed by people (CDP Workflow). One entry per item; delete an entry to withdraw it.\n';

/** The text that records one confirmation, appended to the file. */
export function confirmationEntry(file: string, item: string, by: string, at: string): string {
  const q = (s: string) => JSON.stringify(s);
  return `- file: ${q(file)}\n  item: ${q(item)}\n  by: ${q(by)}\n  at: ${q(at)}\n`;
}

/** An insertion into the confirmations file: replace `[from, to)` with `text`. */
export type ConfirmationInsert = { from: number; to: number; text: string } | { error: string };

/**
 * Where and how to add `entry` (from `confirmationEntry`) to the confirmations file
 * `text`, keeping its line breaks and indentation: after the last entry of the list (the
 * file's top-level list, or its `confirmations:` list), in place of an empty `[]`, or at
 * the end of a file with no list yet. Anything else (a YAML error, a flow list with
 * entries, another shape) is an `error` naming why, never an edit that would leave the
 * file unreadable: the result is read back, and it must hold the new entry and every
 * entry the file held.
 */
export function insertConfirmation(text: string, entry: string): ConfirmationInsert {
  const eol = lineBreakOf(text);
  const entryLines = entry.split('\n').filter((l) => l !== '');
  /** The entry at `indent`, its lines joined by the file's line break; `lines` ends with one. */
  const block = (indent: string) => entryLines.map((l) => indent + l).join(eol);
  const lines = (indent: string) => block(indent) + eol;
  const endsWithBreak = text === '' || /[\r\n]$/.test(text);
  const atEnd = (indent: string): ConfirmationInsert => ({
    from: text.length,
    to: text.length,
    text: (endsWithBreak ? '' : eol) + lines(indent),
  });
  let plan: ConfirmationInsert;
  try {
    const src = yamlLineBreaks(text);
    const refused = checkYamlLimits(src, CONFIRMATIONS_LIMITS);
    if (refused) return { error: `${refused.message.replace(/\.$/, '')}; it cannot be added to` };
    const doc = withoutStacks(() =>
      parseDocument(src, { logLevel: 'error', uniqueKeys: false, prettyErrors: false }),
    );
    if (doc.errors.length > 0) {
      const line = src.slice(0, doc.errors[0].pos[0]).split('\n').length;
      return { error: `it has a YAML error on line ${line}; fix it first` };
    }
    const column = (offset: number) => offset - (src.lastIndexOf('\n', offset - 1) + 1);
    /** Where the line holding `offset` ends, past its line break. */
    const lineAfter = (offset: number) => {
      const nl = src.indexOf('\n', offset);
      return nl === -1 ? src.length : nl + 1;
    };
    const list = (seq: unknown, inMap: boolean): ConfirmationInsert => {
      if (!isSeq(seq) || !seq.range) return { error: 'it is not a list of confirmations' };
      if (seq.flow) {
        if (seq.items.length > 0)
          return { error: 'its list is written in brackets; write it as a `- ` list' };
        const [start, to] = seq.range;
        // What follows `[]` on its line (`# none yet`) stays on that line, before the list.
        const nl = src.indexOf('\n', to);
        const lineEnd = nl === -1 ? src.length : src[nl - 1] === '\r' ? nl - 1 : nl;
        const rest = text.slice(to, lineEnd);
        const comment = rest.trim() !== '';
        // `confirmations: []` becomes `confirmations:` and the list on the next lines (no
        // space left at the end of the key's line).
        let from = start;
        while (inMap && from > 0 && (src[from - 1] === ' ' || src[from - 1] === '\t')) from--;
        if (inMap)
          return comment
            ? { from, to: lineEnd, text: rest + eol + block('  ') }
            : { from, to, text: eol + block('  ') };
        if (column(start) !== 0) return { error: 'its empty list is not at the start of a line' };
        // At the top the list takes the brackets' place; a comment keeps its own line above it.
        return comment
          ? { from: start, to: lineEnd, text: rest + eol + block('') }
          : { from: start, to, text: block('') };
      }
      const indent = ' '.repeat(column(seq.range[0]));
      if (inMap && indent === '' && seq.range[1] < src.trimEnd().length)
        return { error: 'its `confirmations:` list is not the end of the file' };
      const after = lineAfter(Math.max(seq.range[0], seq.range[1] - 1));
      if (after >= src.length) return atEnd(indent);
      return { from: after, to: after, text: lines(indent) };
    };
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) plan = atEnd('');
    else if (isSeq(root)) plan = list(root, false);
    else if (isMap(root) && root.has('confirmations')) {
      const v = root.get('confirmations', true);
      if (isScalar(v) && v.value === null && v.range) {
        // `confirmations:` with nothing under it yet: the list starts on the next line.
        const at = lineAfter(Math.max(0, v.range[0] - 1));
        plan = at >= src.length ? atEnd('  ') : { from: at, to: at, text: lines('  ') };
      } else plan = list(v, true);
    } else plan = { error: 'it is not a list of confirmations' };
  } catch (e) {
    return { error: `it cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
  if ('error' in plan) return plan;
  // Read back: the new entry and every old one, or no edit at all.
  const before = parseConfirmations(text);
  const after = parseConfirmations(text.slice(0, plan.from) + plan.text + text.slice(plan.to));
  const added = parseConfirmations(entry);
  const kept = [...before.keys(), ...added.keys()].every((k) => after.has(k));
  if (!kept || after.size !== new Set([...before.keys(), ...added.keys()]).size)
    return { error: 'an entry cannot be added to it without changing the others' };
  return plan;
}
