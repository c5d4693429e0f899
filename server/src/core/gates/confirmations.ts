import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { checkYamlLimits, yamlLineBreaks } from '../parse/yaml-guard';
import { LineIndex, lineBreakOf } from '../text';
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
 * Remove an entry to withdraw the confirmation. Entries that do not read as above are
 * ignored.
 */
export function parseConfirmations(text: string): Map<string, Confirmation> {
  const out = new Map<string, Confirmation>();
  // Past the YAML guard's limits (1 MB, nesting): read as holding nothing, as before it is parsed.
  const src = yamlLineBreaks(text);
  if (checkYamlLimits(src)) return out;
  try {
    const doc = parseDocument(src, { uniqueKeys: false });
    if (doc.errors.length > 0) return out;
    const root = doc.contents;
    const list = isSeq(root)
      ? root
      : isMap(root) && isSeq(root.get('confirmations', true))
        ? root.get('confirmations', true)
        : undefined;
    if (!isSeq(list)) return out;
    // Each entry's line (`src` has only LF and CRLF line breaks left).
    const lines = new LineIndex(src);
    for (const n of list.items) {
      if (!isMap(n)) continue;
      const s = (k: string) => {
        const v = n.get(k, true);
        return isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number')
          ? String(v.value)
          : undefined;
      };
      const file = s('file');
      const item = s('item');
      if (!file || !item) continue;
      out.set(confirmationKey(file, item), {
        by: s('by') ?? 'unknown',
        at: s('at') ?? '',
        line: lines.lineOf(n.range?.[0] ?? 0),
      });
    }
  } catch {
    // unusable file: nothing confirmed
  }
  return out;
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
    const refused = checkYamlLimits(src);
    if (refused) return { error: `${refused.message.replace(/\.$/, '')}; it cannot be added to` };
    const doc = parseDocument(src, { uniqueKeys: false });
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
        // `confirmations: []` becomes `confirmations:` and the list on the next lines (no
        // space left at the end of the key's line).
        let from = start;
        while (inMap && from > 0 && (src[from - 1] === ' ' || src[from - 1] === '\t')) from--;
        if (inMap) return { from, to, text: eol + block('  ') };
        if (column(start) !== 0) return { error: 'its empty list is not at the start of a line' };
        return { from: start, to, text: block('') };
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
