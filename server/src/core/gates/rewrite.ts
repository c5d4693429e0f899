import { isAlias, isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import { applyEdits } from '../edits';
import { checkYamlLimits, yamlLineBreaks } from '../parse/yaml-guard';
import { LineIndex } from '../text';
import type { Range, TextEdit } from '../types';
import { parseConfirmations } from './confirmations';
import { type GateItemDef, type ParsedGateFile, parseGateFile } from './parse';
import { confirmationFile } from './store';

/*
 * Exact edits to the values of gate files and of the confirmations file, for a rename
 * or a move: each value is replaced in place, in its own quoting (a plain value that
 * would no longer read as the same text is written quoted), and the file is read again
 * after the edits: it must read exactly as before but for the rewritten values.
 */

/**
 * A value of a gate file that names a path: a check's `path` or `fallback_paths` entry, or
 * an `evidence`; or, read only when asked for (`phases` of `gateValueEdits`), the phase
 * folder a `transition:` hands over to (`to_phase: 02-design`).
 */
export type GateValueKind = 'path' | 'evidence' | 'phase';

/**
 * The new text of a value (as YAML reads it, trimmed): undefined to leave it, null when
 * it would have to change but no text says the same (the value is refused).
 */
export type Rewrite = (kind: GateValueKind, value: string) => string | undefined | null;

/** The edits for one file, and the values that could not be rewritten (their 0-based lines). */
export interface ValueEdits {
  edits: TextEdit[];
  refused: number[];
  /** Those of `refused` written as block scalars (`>-`, `|`), which are not edited in place. */
  blocks?: number[];
}

interface Found {
  kind: GateValueKind;
  node: Scalar;
  /** Whether it sits in a flow collection (`[a, b]`, `{path: a}`), where `,` and brackets end it. */
  flow: boolean;
}

const GATE_LIST = /^(input|entry|exit)_gates$/;
const REQUIREMENTS = /^(entry|exit)_requirements$/;

/**
 * A parsed YAML text (line breaks as the gate reader reads them: same offsets), or
 * undefined on an error or past the YAML guard's limits (as the gate reader refuses it).
 */
function readYaml(text: string) {
  const src = yamlLineBreaks(text);
  if (checkYamlLimits(src)) return undefined;
  const doc = parseDocument(src, { logLevel: 'error', uniqueKeys: true, prettyErrors: false });
  return doc.errors.some((e) => e.code !== 'MULTIPLE_DOCS') ? undefined : doc;
}

/** The node an alias names (`*base`), or the node itself. */
type Deref = (n: unknown) => unknown;

/**
 * The value of `key` in a YAML map node (the first, as the reader takes it), else, as a
 * merge key has it, in the mapping (or the first of a list of mappings) `<<` names.
 */
function mapValue(map: unknown, key: string, deref: Deref = (n) => n, depth = 0): unknown {
  const m = deref(map);
  if (!isMap(m)) return undefined;
  let merged: unknown;
  for (const p of m.items) {
    if (!isScalar(p.key)) continue;
    if (String(p.key.value) === key) return p.value;
    if (p.key.value === '<<' && merged === undefined) merged = p.value;
  }
  if (merged === undefined || depth >= 8) return undefined;
  const target = deref(merged);
  for (const source of isSeq(target) ? target.items : [target]) {
    const v = mapValue(source, key, deref, depth + 1);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The path values of a gate file's text, as the gate reader finds them: aliases and merge
 * keys followed to the scalar written once (`&prd docs/prd.md`), which is found once.
 */
function gateValues(text: string, phases = false): Found[] | undefined {
  const doc = readYaml(text);
  if (!doc) return undefined;
  const out: Found[] = [];
  const seen = new Set<unknown>();
  const deref: Deref = (n) => (isAlias(n) ? n.resolve(doc) : n);
  const scalar = (kind: GateValueKind, raw: unknown, parent: unknown) => {
    const n = deref(raw);
    if (!isScalar(n) || typeof n.value !== 'string' || seen.has(n)) return;
    seen.add(n);
    // Reached through an alias, its own collection is not the one in hand: read as in a
    // flow one, where the fewest texts stand plain.
    const flow = n !== raw || ((isMap(parent) || isSeq(parent)) && parent.flow === true);
    out.push({ kind, node: n, flow });
  };
  const checkPaths = (check: unknown) => {
    scalar('path', mapValue(check, 'path', deref), check);
    const fallback = deref(mapValue(check, 'fallback_paths', deref));
    if (isSeq(fallback)) for (const f of fallback.items) scalar('path', f, fallback);
  };
  const root = doc.contents;
  if (!isMap(root)) return out;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = deref(pair.value);
    if (GATE_LIST.test(key) && isSeq(value)) {
      for (const item of value.items) {
        // An entry is read by its check (its paths) or by its evidence (see parseGateFile):
        // both follow a move, whichever the reader takes.
        checkPaths(item);
        scalar('evidence', mapValue(item, 'evidence', deref), item);
      }
    } else if (REQUIREMENTS.test(key)) {
      const automated = deref(mapValue(value, 'automated', deref));
      if (!isSeq(automated)) continue;
      for (const check of automated.items) checkPaths(check);
    } else if (key === 'validation_rules' && isSeq(value)) {
      // Each rule's `path` (searched by its pattern or check, or named for a person).
      for (const rule of value.items) checkPaths(rule);
    } else if (phases && key === 'transition' && isMap(value)) {
      scalar('phase', mapValue(value, 'to_phase', deref), value);
    }
  }
  return out;
}

/** The `file:` values of a confirmations file (its top-level list, or its `confirmations:` list). */
function confirmationValues(text: string): Found[] | undefined {
  const doc = readYaml(text);
  if (!doc) return undefined;
  const root = doc.contents;
  const list = isSeq(root) ? root : mapValue(root, 'confirmations');
  if (!isSeq(list)) return [];
  const out: Found[] = [];
  for (const n of list.items) {
    const v = mapValue(n, 'file');
    if (isScalar(v) && typeof v.value === 'string')
      out.push({ kind: 'path', node: v, flow: (isMap(n) && n.flow) || list.flow === true });
  }
  return out;
}

/** Characters YAML does not let stand as they are in a scalar (line breaks, controls, BOM). */
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]/;

/** Whether `value` written plain (in a flow list when `flow`) reads back as exactly that string. */
export function readsPlain(value: string, flow: boolean): boolean {
  if (value === '' || NOT_PRINTABLE.test(value)) return false;
  try {
    const doc = parseDocument(flow ? `[${value}]\n` : `k: ${value}\n`, {
      logLevel: 'error',
      prettyErrors: false,
    });
    if (doc.errors.length > 0) return false;
    const data = doc.toJS() as unknown;
    const read = flow
      ? Array.isArray(data) && data.length === 1
        ? data[0]
        : undefined
      : (data as Record<string, unknown> | null)?.k;
    return read === value;
  } catch {
    return false;
  }
}

/** `value` in double quotes, every character YAML cannot hold as it is escaped. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The source text of `value` in the style of the scalar it replaces: plain when it reads so, else quoted. */
function scalarText(value: string, type: Scalar['type'], flow: boolean): string {
  if (type === 'QUOTE_DOUBLE' || NOT_PRINTABLE.test(value)) return doubleQuoted(value);
  if (type === 'PLAIN' && readsPlain(value, flow)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The edit replacing a scalar's value with `next` (its white space kept), or undefined
 * when the scalar is not written as a one-piece plain or quoted value (a block scalar).
 */
function scalarEdit(lines: LineIndex, { node, flow }: Found, next: string): TextEdit | undefined {
  const type = node.type;
  if (type !== 'PLAIN' && type !== 'QUOTE_DOUBLE' && type !== 'QUOTE_SINGLE') return undefined;
  const [start, end] = node.range!;
  const value = String(node.value);
  const trimmed = value.trim();
  const lead = value.slice(0, value.indexOf(trimmed));
  const trail = value.slice(lead.length + trimmed.length);
  return { range: lines.rangeOf(start, end), newText: scalarText(lead + next + trail, type, flow) };
}

/** What a gate file's reading keeps of an item but its path values (and the text made of them). */
function itemShape(i: GateItemDef): unknown[] {
  return [i.kind, i.line, i.required, i.check, i.pattern, i.command, i.phase, i.threshold];
}

/** Whether two readings of a gate file agree on everything but the items' path values. */
function sameGates(before: ParsedGateFile, after: ParsedGateFile): boolean {
  if (before.error || after.error || before.groups.length !== after.groups.length) return false;
  for (let g = 0; g < before.groups.length; g++) {
    const x = before.groups[g];
    const y = after.groups[g];
    if (x.heading !== y.heading || x.line !== y.line || x.items.length !== y.items.length) return false;
    for (let i = 0; i < x.items.length; i++) {
      if (JSON.stringify(itemShape(x.items[i])) !== JSON.stringify(itemShape(y.items[i]))) return false;
      if ((x.items[i].fallbackPaths?.length ?? -1) !== (y.items[i].fallbackPaths?.length ?? -1)) return false;
    }
  }
  return true;
}

/** Whether the values found in a text read `expected` (trimmed), in order and of the same kinds. */
function valuesRead(found: Found[] | undefined, kinds: GateValueKind[], expected: string[]): boolean {
  return (
    found !== undefined &&
    found.length === expected.length &&
    found.every((f, i) => f.kind === kinds[i] && String(f.node.value).trim() === expected[i])
  );
}

/** A path value of a gate file: its kind, its value as YAML reads it (trimmed), where it stands. */
export interface GateValueSpot {
  kind: GateValueKind;
  value: string;
  /** The scalar's text, inside its quotes when it is quoted on one line. */
  range: Range;
}

/** The path values of gate file `text`, in order (none when it does not read as YAML). */
export function gateValueSpots(text: string): GateValueSpot[] {
  const found = gateValues(text);
  if (!found) return [];
  const lines = new LineIndex(text);
  return found
    .filter((f) => f.node.range)
    .map((f) => {
      let [start, end] = f.node.range!;
      const quoted = f.node.type === 'QUOTE_DOUBLE' || f.node.type === 'QUOTE_SINGLE';
      if (quoted && end - start >= 2 && !/[\r\n]/.test(text.slice(start, end))) {
        start++;
        end--;
      }
      return { kind: f.kind, value: String(f.node.value).trim(), range: lines.rangeOf(start, end) };
    });
}

/** Where the path values `pick` chooses stand in gate file `text` (inside quotes on one line). */
export function gateValueRanges(
  text: string,
  pick: (kind: GateValueKind, value: string) => boolean,
): Range[] {
  return gateValueSpots(text)
    .filter((s) => pick(s.kind, s.value))
    .map((s) => s.range);
}

/**
 * The edits that rewrite the path values of gate file `text` (`rewrite` gives each new
 * value). The file read again after the edits must give the same gates with exactly
 * those values changed; a value whose edit would change anything else (or that is
 * written as a block scalar) is left out and its line named in `refused`.
 */
export function gateValueEdits(text: string, rewrite: Rewrite, phases = false): ValueEdits {
  const found = gateValues(text, phases);
  if (!found) return { edits: [], refused: [] };
  const lines = new LineIndex(text);
  const olds = found.map((f) => String(f.node.value).trim());
  const kinds = found.map((f) => f.kind);
  const candidates: { at: number; edit: TextEdit; line: number; next: string }[] = [];
  const refused: number[] = [];
  const blocks: number[] = [];
  found.forEach((f, at) => {
    const next = rewrite(f.kind, olds[at]);
    if (next === undefined || next === olds[at]) return;
    const line = lines.positionAt(f.node.range![0]).line;
    const edit = next === null ? undefined : scalarEdit(lines, f, next);
    if (edit && next !== null) candidates.push({ at, edit, line, next });
    else {
      refused.push(line);
      if (next !== null) blocks.push(line);
    }
  });
  if (candidates.length === 0) return { edits: [], refused, blocks };
  const before = parseGateFile(text, { fast: false });
  /** Whether the file with the `kept` edits reads as intended. */
  const reads = (kept: typeof candidates) => {
    const after = applyEdits(
      text,
      kept.map((c) => c.edit),
    );
    const expected = [...olds];
    for (const c of kept) expected[c.at] = c.next;
    return (
      valuesRead(gateValues(after, phases), kinds, expected) &&
      sameGates(before, parseGateFile(after, { fast: false }))
    );
  };
  if (reads(candidates)) return { edits: candidates.map((c) => c.edit), refused, blocks };
  // Kept one at a time, each with those kept before it.
  const kept: typeof candidates = [];
  for (const c of candidates) {
    if (reads([...kept, c])) kept.push(c);
    else refused.push(c.line);
  }
  return { edits: kept.map((c) => c.edit), refused: refused.sort((a, b) => a - b), blocks };
}

/**
 * The edits that rewrite the `file:` values of a confirmations file (`rewrite` gives the
 * new path of a value, or undefined). Read again after the edits, the file must hold the
 * same confirmations, each with its new file; else no edit at all.
 */
export function confirmationValueEdits(
  text: string,
  rewrite: (file: string) => string | undefined,
): ValueEdits {
  const found = confirmationValues(text);
  if (!found) return { edits: [], refused: [] };
  const lines = new LineIndex(text);
  const edits: TextEdit[] = [];
  const refused: number[] = [];
  const expected = new Map<string, string>();
  for (const f of found) {
    const old = String(f.node.value);
    const next = rewrite(old);
    if (next === undefined || next === old) continue;
    expected.set(old, next);
    const edit = scalarEdit(lines, f, next);
    if (edit) edits.push(edit);
    else refused.push(lines.positionAt(f.node.range![0]).line);
  }
  if (edits.length === 0) return { edits, refused };
  const before = parseConfirmations(text);
  const after = parseConfirmations(applyEdits(text, edits));
  const moved = (key: string) => {
    const [file, item] = key.split('\u0000');
    for (const [old, next] of expected)
      if (confirmationFile(old) === file) return `${confirmationFile(next)}\u0000${item}`;
    return key;
  };
  const want = new Map([...before].map(([k, v]) => [moved(k), v]));
  const same =
    want.size === after.size &&
    [...want].every(([k, v]) => after.get(k)?.by === v.by && after.get(k)?.at === v.at);
  if (same) return { edits, refused };
  return { edits: [], refused: found.map((f) => lines.positionAt(f.node.range![0]).line) };
}
