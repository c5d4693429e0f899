import { isMap as isYamlMap, isScalar as isYamlScalar, LineCounter, parseAllDocuments } from 'yaml';
import { own } from '../parse/compact';
import { checkYamlLimits, parseYamlDocument, YAML_LIMITS, yamlLineBreaks } from '../parse/yaml-guard';
import { editDistance } from '../text';
import type { Range } from '../types';
import { fastGateTree } from './fast-yaml';
import {
  fromYaml,
  type GateMap,
  type GateNode,
  type GatePair,
  type GateScalar,
  isGateAlias as isAlias,
  isGateMap as isMap,
  isGateScalar as isScalar,
  isGateSeq as isSeq,
  mapGet,
  mergedPairs,
} from './yaml-tree';

/** File names (case-insensitive) that hold a phase's gates, beside the phase's README. */
export const GATE_FILE_NAME = /^(input-gates|exit-gates|entry-gates|gate)\.ya?ml$/i;

/** Gate files larger than this are one `invalid-gate-file` finding, never parsed. */
export const MAX_GATE_FILE_BYTES = 1024 * 1024;

/** Check types evaluated against the workspace folder without running anything. */
export const DECLARATIVE_CHECKS = new Set([
  'file_exists',
  'dir_not_empty',
  'tests_exist',
  'grep_present',
  'grep_absent',
  'previous_phase_complete',
]);

/** Check types that need a command run (never by default). */
export const COMMAND_CHECKS = new Set([
  'tests_passing',
  'coverage_threshold',
  'security_scan_clean',
  'lint_clean',
  'build_passing',
  'build_succeeds',
  'type_check',
  'typecheck_clean',
  'command',
  'tests_failing',
]);

export type GateItemKind = 'check' | 'evidence' | 'manual';

/** One criterion of a gate file, with its line. */
export interface GateItemDef {
  kind: GateItemKind;
  /** What the item says: the criteria, the check's description, the manual entry. */
  text: string;
  /** 0-based line of the item in the gate file. */
  line: number;
  /** The item's text on its line (for diagnostics). */
  range: Range;
  required: boolean;
  /** For `check` items: the check's type as written (`file_exists`, …). */
  check?: string;
  /**
   * The `check` value's text in the file, when it is written in place (plain or quoted on
   * one line, reading exactly as `check`): an edit of this range changes only the type.
   */
  checkRange?: Range;
  path?: string;
  fallbackPaths?: string[];
  pattern?: string;
  command?: string;
  /** For previous_phase_complete: the phase named, if any. */
  phase?: string;
  /**
   * Keys of a check that are near misses of the keys a check is read by, the key meant not
   * given (`paht:`, `patern:`, `fallback_path:`), each with the key's range in the file.
   */
  keyTypos?: { key: string; meant: string; range: Range }[];
  /**
   * A `required:` value that is neither a true nor a false spelling (`required: optional`):
   * as said (`"optional"` in quotes, `a list`, `a mapping`), and where (the value's text when it
   * is written in place, else the `required` key). The item counts as required.
   */
  unreadRequired?: { value: string; range: Range };
  /** For coverage_threshold: the percentage the command's output must reach. */
  threshold?: number;
  /**
   * Where the path values are written in the file, when in place (see `checkRange`):
   * `path`, each `fallback_paths` entry (null where it is not, and none in a list written
   * in brackets), the path of an `evidence`. An edit of one changes only that path.
   */
  pathRange?: Range;
  fallbackRanges?: (Range | null)[];
  evidenceRange?: Range;
  /**
   * How the value at each of those ranges is written (`'` single-quoted, `"` double-quoted,
   * `p` plain), in their order: `path`, each `fallback_paths` entry (`-` where no range is),
   * the evidence; an edit inside one writes its text so.
   */
  pathStyles?: string;
  /** For `evidence` items: a workspace path and optional heading anchor. */
  evidencePath?: string;
  anchor?: string;
}

export interface GateGroupDef {
  heading: string;
  kind: 'entry' | 'exit';
  /** 0-based line of the group's key. */
  line: number;
  /** The key itself (`entry_requirements`), for groups read from one. */
  keyRange?: Range;
  items: GateItemDef[];
}

/**
 * The phase a gate file's `transition:` mapping hands over to (`to_phase: 02-design`, as
 * HELIX writes it beside its exit gates).
 */
export interface GateTransition {
  /**
   * The value as written (trimmed; a number as its digits, `02`); undefined when it is no
   * text (`problem` says what it is).
   */
  toPhase?: string;
  /** Where the value is written in place (plain, or inside its quotes, on one line); see `textRange`. */
  range?: Range;
  /** The `to_phase` key. */
  keyRange: Range;
  /** What the value is when it names no phase by its shape: `empty`, `a list`, `a mapping`. */
  problem?: string;
}

/**
 * A top-level `phase:` or `number:` of a gate file (`phase: frame`, `number: "01"`, as
 * HELIX writes them), when its value is a text or a number: the phase the file says it is
 * of (phase-chain checks it against its folder's).
 */
export interface GatePhaseKey {
  key: 'phase' | 'number';
  /** The value as written (trimmed; a number as its digits, `01`). */
  value: string;
  /** Where the value is written in place (plain, or inside its quotes, on one line). */
  range?: Range;
}

export interface ParsedGateFile {
  groups: GateGroupDef[];
  /** `transition.to_phase`, when the file has one (phase-chain checks what it names). */
  transition?: GateTransition;
  /** Its top-level `phase:` and `number:`, when it has them (see `GatePhaseKey`). */
  phaseKeys?: GatePhaseKey[];
  /**
   * Set when the file cannot be used: then it has no groups. `range`: the key the error
   * is about (`critera:`), when it is one; `meant`: the key it is a near miss of, when
   * there is one (a fix writes it).
   */
  error?: { message: string; line: number; range?: Range; meant?: string };
}

/** The keys a gate file may hold its groups under, and what each becomes. */
// Maps, not object literals: a file's own keys (`constructor:`, `toString:`) must not find
// an object's inherited properties.
const LIST_KEYS = new Map<string, { heading: string; kind: 'entry' | 'exit' }>([
  ['input_gates', { heading: 'Input Gates', kind: 'entry' }],
  ['entry_gates', { heading: 'Entry Gates', kind: 'entry' }],
  ['exit_gates', { heading: 'Exit Gates', kind: 'exit' }],
]);
const REQUIREMENT_KEYS = new Map<string, { heading: string; kind: 'entry' | 'exit' }>([
  ['entry_requirements', { heading: 'Entry Requirements', kind: 'entry' }],
  ['exit_requirements', { heading: 'Exit Requirements', kind: 'exit' }],
]);

/** The top-level keys read, for near misses (`entry_requirments`). */
const TOP_KEYS = [...LIST_KEYS.keys(), ...REQUIREMENT_KEYS.keys(), 'validation_rules'];

/** Every key above, as a message lists them. */
const ALL_KEYS = TOP_KEYS.map((k) => `\`${k}\``).join(', ');
/**
 * Top-level keys that can only have been meant as one of ours: a side (input, entry, exit)
 * alone or with gate(s)/requirement(s), in any case and with any separator (`exit_gate`,
 * `Exit-Gates`, `exit`, `input_requirements`). Keys of a file's own (`next_gate`,
 * `quality_gates`) are left alone.
 */
const GATE_LIKE_KEY = /^(input|entry|exit)s?([\s_-]*(gates?|requirements?))?$/i;

/**
 * Whether a value could be what top-level key `key` holds: gates a list of mappings,
 * validation rules a list of mappings or texts, requirements a mapping with an
 * `automated` or `manual` list (or a key a letter or two off one).
 */
function holdsLike(key: string, value: unknown, deref: (n: unknown) => unknown): boolean {
  if (REQUIREMENT_KEYS.has(key))
    return (
      isMap(value) &&
      value.pairs.some((p) => {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        const lower = k.toLowerCase();
        return (
          lower === 'automated' ||
          lower === 'manual' ||
          nearMiss(lower, ['automated', 'manual'], 2) !== undefined
        );
      })
    );
  if (!isSeq(value) || value.items.length === 0) return false;
  return value.items.every((raw) => {
    const node = deref(raw);
    return isMap(node) || (key === 'validation_rules' && isScalar(node) && typeof node.value === 'string');
  });
}

/** ` (did you mean `exit_gates`?)` for a key that names the same side as one of ours, with the key meant. */
function suggestKey(key: string): { hint: string; meant?: string } {
  const k = key.toLowerCase().replace(/[\s-]+/g, '_');
  const side = /^(input|entry|exit)/.exec(k)?.[1];
  if (!side) return { hint: `; the keys read are ${ALL_KEYS}` };
  const wanted = /requirement/.test(k)
    ? `${side === 'input' ? 'entry' : side}_requirements`
    : `${side}_gates`;
  return { hint: ` (did you mean \`${wanted}\`?)`, meant: wanted };
}

/** Every check type the reader knows. */
export const KNOWN_CHECKS: readonly string[] = [...DECLARATIVE_CHECKS, ...COMMAND_CHECKS];

/**
 * The name of `known` that `word` is a near miss of, when it is not one of them: the same
 * in any case and with `-`, `_` or spaces between words (or none), else within one edit
 * (two for names of eight characters or more: a letter added, dropped, changed, or two
 * swapped; at most `max` edits when given). The nearest; undefined when none is near
 * (`file_contains` is no miss of `file_exists`: a type of its own).
 */
export function nearMiss(word: string, known: readonly string[], max?: number): string | undefined {
  if (known.includes(word) || word.length > 64) return undefined;
  // Gate files repeat the same few keys thousands of times: each answer is remembered.
  let answers = nearMisses.get(known);
  if (!answers) nearMisses.set(known, (answers = new Map()));
  const asked = max === undefined ? word : `${max}\u0000${word}`;
  const hit = answers.get(asked);
  if (hit !== undefined) return hit === '' ? undefined : hit;
  const found = nearest(word, known, max);
  if (answers.size >= 10_000) answers.clear();
  answers.set(asked, found ?? '');
  return found;
}

const nearMisses = new WeakMap<readonly string[], Map<string, string>>();

function nearest(word: string, known: readonly string[], max?: number): string | undefined {
  const squash = (w: string) => w.toLowerCase().replace(/[\s_-]+/g, '');
  const w = squash(word);
  if (w === '') return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(w, squash(k));
    if (d < bestDistance && d <= (max ?? (k.length >= 8 ? 2 : 1))) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** The keys an automated check is read by. */
const CHECK_KEYS = [
  'check',
  'command',
  'path',
  'fallback_paths',
  'pattern',
  'phase',
  'threshold',
  'description',
  'required',
];

/** The keys of a check whose value is lost to a slip in the key (`paht:`): said as near misses. */
const TYPO_KEYS = ['check', 'command', 'path', 'fallback_paths', 'pattern', 'phase', 'threshold'];

/** The keys an entry of `input_gates`/`entry_gates`/`exit_gates` is read by. */
const ENTRY_KEYS = ['criteria', 'required', 'validation', 'evidence'];

/**
 * Whether a value reads as what `evidence`, `check` or `command` hold: text that is no
 * flag or number (`evidenced: yes`, `checks: 2` are a team's own keys).
 */
function readsAsValue(v: unknown): boolean {
  if (!isScalar(v) || typeof v.value !== 'string') return false;
  const t = v.value.trim();
  return t !== '' && !/^(yes|no|y|n|true|false|on|off|\d+(\.\d+)?)$/i.test(t);
}

/** The keys of an entry that make it checked rather than confirmed by a person. */
const CHECKED_ENTRY_KEYS = ['evidence', 'check', 'command'];

/** The lists under `entry_requirements`/`exit_requirements`. */
const LISTS = ['automated', 'manual'];

/**
 * Keys under `entry_requirements`/`exit_requirements` that can only have been meant as
 * `automated` or `manual`: `automatic`, `auto`, `checks`, `manual_checks`, `Automated`…
 * (`required_reviewers` and other keys of a file's own are left alone).
 */
const CHECK_LIKE_KEY = /^(auto(mat(ed|ic))?([\s_-]*checks?)?|checks|manual([\s_-]*(checks?|items?))?)$/i;

const MAX_ALIASES = 100;
const MAX_ITEMS = 5000;

class GateFileError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** The key the error is about, written at `offset`. */
    readonly key?: string,
    /** The key meant, when the error is a near miss of one. */
    readonly meant?: string,
  ) {
    super(message);
  }
}

/** The `required:` values read as optional (YAML false; the same as text, in any letter case). */
const OPTIONAL_WORDS = /^(false|no|off|0)$/i;
/** The `required:` values read as required. */
const REQUIRED_WORDS = /^(true|yes|on|1)$/i;

/**
 * What a `required:` value says: false when it is one of the false spellings (`false`,
 * `no`, `off`, `0`, quoted or not, any case), true when it is absent, empty or one of the
 * true spellings; undefined for any other value (`optional`, `2`, a list), which counts
 * as required and is said (see `GateItemDef.requiredValue`).
 */
export function requiredValue(node: unknown): boolean | undefined {
  if (node === undefined || node === null) return true;
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === true) return true;
  if (v === false) return false;
  const t = String(v).trim();
  if (t === '') return true;
  if (OPTIONAL_WORDS.test(t)) return false;
  return REQUIRED_WORDS.test(t) ? true : undefined;
}

/**
 * Reads a gate file (`input-gates.yml`, `exit-gates.yml`, `GATE.yaml`). Either form is
 * accepted in any of them: lists of `{criteria, required, validation, evidence}` under
 * `input_gates` / `entry_gates` / `exit_gates`, or `entry_requirements` /
 * `exit_requirements` with `automated` checks and `manual` entries. Never throws: a file
 * that cannot be used comes back with `error` and no groups.
 */
export function parseGateFile(written: string, opts: { fast?: boolean } = {}): ParsedGateFile {
  const text = yamlLineBreaks(written);
  if (text.length > MAX_GATE_FILE_BYTES) {
    return { groups: [], error: { message: `larger than ${MAX_GATE_FILE_BYTES / 1024} KB`, line: 0 } };
  }
  const lc = new LineCounter();
  // Gate files as they are usually written take the fast path (the same nodes, no
  // aliases), which reads only what the shared YAML guard lets through (see
  // FAST_MAX_DEPTH); for anything else the guard refuses nesting the parser could
  // overflow on, before parsing.
  let root: unknown = opts.fast === false ? undefined : fastGateTree(text);
  if (!root) {
    const refused = checkYamlLimits(text);
    if (refused) {
      const line = text.slice(0, refused.offset).split('\n').length - 1;
      return { groups: [], error: { message: refused.message, line } };
    }
  }
  const pos = (offset: number) => {
    const p = lc.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line - 1, character: p.col - 1 };
  };
  try {
    if (root) {
      lc.addNewLine(0);
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
    } else {
      // A key written twice in one mapping is an error, as DDX's YAML reader makes it
      // (checked in one pass for a long text, errors made without stacks: yaml-guard).
      const guarded = parseYamlDocument(text, YAML_LIMITS, { lineCounter: lc });
      if (!guarded.ok) {
        const line = text.slice(0, guarded.offset).split('\n').length - 1;
        return { groups: [], error: { message: guarded.error, line } };
      }
      const doc = guarded.doc;
      // Of a stream of documents the first is read, as DDX's YAML reader reads it.
      const errors = doc.errors.filter((e) => e.code !== 'MULTIPLE_DOCS');
      if (errors.length > 0) {
        const e = errors[0];
        const range = yamlErrorRange(text, e.pos, e.message, pos);
        return {
          groups: [],
          error: { message: `YAML error: ${e.message.split('\n')[0]}`, line: range.start.line, range },
        };
      }
      root = fromYaml(doc.contents, (alias) => (alias as { resolve(d: unknown): unknown }).resolve(doc));
    }
    let aliases = 0;
    const deref = (n: unknown): unknown => {
      if (isAlias(n)) {
        if (++aliases > MAX_ALIASES) throw new GateFileError('too many aliases', n.start ?? 0);
        return n.resolve();
      }
      return n;
    };
    /**
     * `scalarString` of the value of `key` in `node`: anything but text is an error on the
     * key where the mapping holds it (`path:` written as a list), else where the value is.
     */
    const keyString = (node: GateMap, key: string, trim = true): string | undefined => {
      const v = deref(mapGet(node, key));
      try {
        return scalarString(v, key, trim);
      } catch (e) {
        const pair = node.pairs.find((p) => isScalar(p.key) && p.key.value === key);
        if (!(e instanceof GateFileError) || !pair) throw e;
        throw new GateFileError(e.message, offsetOf(pair.key), key);
      }
    };
    root = deref(root);
    if (root === null || root === undefined) {
      const later = gatesInLaterDocument(text);
      if (later) throw later;
      return { groups: [] };
    }
    if (!isMap(root))
      throw (
        gatesInLaterDocument(text) ??
        new GateFileError('the file must be a mapping of keys to values', offsetOf(root))
      );
    const groups: GateGroupDef[] = [];
    let rules: GateGroupDef | undefined;
    let count = 0;
    const push = (g: GateGroupDef, item: GateItemDef) => {
      if (++count > MAX_ITEMS) throw new GateFileError(`more than ${MAX_ITEMS} items`, 0);
      g.items.push(item);
    };
    /**
     * The text of a scalar `value` written at `node` (plain, or quoted without escapes, on
     * one line), inside its quotes; undefined when the file writes it otherwise.
     */
    const textRange = (node: unknown, value: string) => rangeAt(offsetOf(node), value);
    /** How the value a range of `rangeAt` was given for is written: `'`, `"` or `p` (plain). */
    const styleAt = (r: Range | undefined | null) => (r ? (quoteOf.get(r) ?? 'p') : '-');
    const quoteOf = new WeakMap<Range, string>();
    const rangeAt = (from: number, value: string) => {
      let at = from;
      const q = text.charCodeAt(at);
      const quote = q === 34 || q === 39 ? text[at] : undefined;
      if (quote) at++;
      if (value === '' || /[\n\r\\'"]/.test(value) || text.slice(at, at + value.length) !== value)
        return undefined;
      if (quote && text[at + value.length] !== quote) return undefined;
      const r = { start: pos(at), end: pos(at + value.length) };
      if (quote) quoteOf.set(r, quote);
      return r;
    };
    /**
     * Sets the item's `required` from the `required:` value of its entry `node` (optional
     * only when also `optional`), and notes a value that is neither true nor false.
     */
    const setRequired = (item: GateItemDef, node: GateMap, optional = false) => {
      const v = deref(mapGet(node, 'required'));
      const said = requiredValue(v);
      item.required = !optional && said !== false;
      if (said !== undefined) return;
      const value = isScalar(v) ? `"${String(v.value)}"` : isSeq(v) ? 'a list' : 'a mapping';
      const pair = node.pairs.find((p) => isScalar(p.key) && p.key.value === 'required');
      const range =
        (isScalar(v) ? textRange(v, String(v.value)) : undefined) ??
        (pair ? textRange(pair.key, 'required') : undefined) ??
        item.range;
      item.unreadRequired = { value, range };
    };
    /** The item's line, from its first character (`- …`) to the end of the line. */
    const lineRange = (node: unknown) => {
      const line = pos(offsetOf(node)).line;
      const start = lc.lineStarts[line] ?? 0;
      // The line without its line break (\n, \r\n or a lone \r), measured in place.
      let end = lc.lineStarts[line + 1] ?? text.length;
      if (end > start && text.charCodeAt(end - 1) === 10) end--;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let first = start;
      while (first < end && text.charCodeAt(first) === 32) first++;
      const c = first < end ? text.charCodeAt(first) : 32;
      // Other white space (tabs, Unicode spaces): as `trimStart` counts it.
      const indent =
        c === 9 || c === 10 || c === 11 || c === 12 || c === 13 || c > 0x7f
          ? end - start - text.slice(start, end).trimStart().length
          : first - start;
      // Without a trailing comment (`- check: file_exists  # why`).
      const hash = text.indexOf('#', first);
      if (hash !== -1 && hash < end) end = beforeComment(text, start + indent, end);
      return { start: { line, character: indent }, end: { line, character: end - start } };
    };
    /**
     * An automated check (`check` and/or `command`, `path`, `fallback_paths`, `pattern`, …).
     * `named`: the entry of a gates list that carries one, by its `criteria` text and line.
     */
    const readCheck = (
      node: GateMap,
      named?: { text: string; node: unknown },
      at?: unknown,
      /** The check's type as the caller reads it (a validation rule's pattern), whatever `check` says. */
      as?: string,
    ): GateItemDef => {
      const checkNode = mapGet(node, 'check');
      // (a type the caller read it as wins over one written that no check has)
      const check = as ?? scalarString(deref(checkNode), 'check');
      const command = keyString(node, 'command');
      if (check === undefined && command === undefined)
        throw new GateFileError('an automated check has neither `check` nor `command`', offsetOf(node));
      // The item's own line: a `check` merged in from elsewhere (`<<: *base`) stands before it.
      // An entry written as an alias (`- *base`) stands where the alias is.
      const lineNode = at ?? (checkNode && offsetOf(checkNode) >= offsetOf(node) ? checkNode : node);
      const description = keyString(node, 'description');
      const path = keyString(node, 'path');
      const fallback = deref(mapGet(node, 'fallback_paths'));
      let fallbackPaths: string[] | undefined;
      if (fallback !== undefined && fallback !== null) {
        if (!isSeq(fallback)) throw new GateFileError('`fallback_paths` must be a list', offsetOf(fallback));
        fallbackPaths = fallback.items.map((f, i) => {
          const what = `\`fallback_paths\` entry ${i + 1} (line ${pos(offsetOf(f)).line + 1})`;
          const s = scalarString(deref(f), what);
          if (s === undefined) throw new GateFileError(`${what} must be a path`, offsetOf(f));
          return s;
        });
      }
      const type = check ?? 'command';
      const item: GateItemDef = {
        kind: 'check',
        text: named?.text ?? description ?? `${type}${path ? ` ${path}` : ''}`,
        line: pos(offsetOf(named?.node ?? lineNode)).line,
        range: lineRange(named?.node ?? lineNode),
        required: true,
        check: type,
      };
      setRequired(item, node);
      // Where a type no check has is written, to say so and replace it (see nearMiss).
      if (check !== undefined && lineNode === checkNode && !KNOWN_CHECKS.includes(check)) {
        const r = textRange(checkNode, check);
        if (r) item.checkRange = r;
      }
      if (path !== undefined) {
        item.path = path;
        const r = textRange(mapGet(node, 'path'), path);
        if (r) item.pathRange = r;
      }
      let styles = styleAt(item.pathRange);
      if (fallbackPaths) {
        item.fallbackPaths = fallbackPaths;
        // A list in brackets: its entries' places read from the text (the two YAML
        // readers do not give them alike), each checked to hold its entry as written.
        const flow = isSeq(fallback) && text[offsetOf(fallback)] === '[';
        const starts = flow ? flowItemStarts(text, offsetOf(fallback)) : undefined;
        if (isSeq(fallback) && (!flow || starts?.length === fallbackPaths.length)) {
          const ranges = fallback.items.map(
            (f, i) =>
              (starts ? rangeAt(starts[i], fallbackPaths![i]) : textRange(f, fallbackPaths![i])) ?? null,
          );
          if (ranges.some((r) => r !== null)) item.fallbackRanges = ranges;
        }
        for (const r of item.fallbackRanges ?? fallbackPaths.map(() => null)) styles += styleAt(r);
      }
      if (/[p'"]/.test(styles)) item.pathStyles = styles;
      // As written: its white space may be what it searches for (`"\t"`, `" TODO "`).
      const pattern = keyString(node, 'pattern', false);
      if (pattern !== undefined) item.pattern = pattern;
      if (command !== undefined) item.command = command;
      const phase = keyString(node, 'phase');
      if (phase !== undefined) item.phase = phase;
      const threshold = keyString(node, 'threshold');
      if (threshold !== undefined) {
        const n = Number(threshold.replace(/%$/, ''));
        if (!Number.isFinite(n))
          throw new GateFileError('`threshold` must be a number', offsetOf(mapGet(node, 'threshold')));
        item.threshold = n;
      }
      // A key meant as one a check is read by (`paht:`), that one not given: its value is
      // never read, and the check fails for the want of it ("names no `path`").
      // Only where the value is of the shape the key meant reads (`paths: [src, test]` is no
      // `path`, a text; `fallback_path: x.md` no `fallback_paths`, a list), and not for keys
      // whose slip costs nothing (`requires:` beside `required`).
      for (const p of node.pairs) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        if (k === '' || CHECK_KEYS.includes(k)) continue;
        const v = deref(p.value);
        if (isMap(v)) continue;
        const meant = nearMiss(k, TYPO_KEYS);
        if (meant === undefined || given(node, meant) || isSeq(v) !== (meant === 'fallback_paths')) continue;
        const r = textRange(p.key, k);
        if (r) (item.keyTypos ??= []).push({ key: k, meant, range: r });
      }
      return item;
    };
    /** Whether key `k` of `node` has a value (not empty, not null). */
    const given = (node: GateMap, k: string) => {
      const v = deref(mapGet(node, k));
      if (v === undefined || v === null) return false;
      return !isScalar(v) || (v.value !== null && !(typeof v.value === 'string' && v.value.trim() === ''));
    };
    /** Whether an entry's `evidence` is text that reads as a path (see `evidencePath`). */
    const evidenceNamesPath = (node: GateMap) => {
      const v = deref(mapGet(node, 'evidence'));
      return isScalar(v) && typeof v.value === 'string' && evidencePath(v.value) !== undefined;
    };
    /**
     * `validation_rules` (as HELIX writes them beside its gates): a rule with a known
     * `check` is that check; one with a `pattern` searches its `path` (`expected: 0`, or
     * `absent`/`none`: must not match; else must); any other (a validator of HELIX's own,
     * `check: unique_ids`, or a description alone) is a person's to confirm, by its
     * description. `severity: warning` (or `info`, `advisory`, `optional`) makes it optional.
     */
    const readRule = (raw: unknown): GateItemDef => {
      const node = deref(raw);
      // A rule written as text alone is a person's to confirm.
      if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '')
        return {
          kind: 'manual',
          text: own(node.value.trim()),
          line: pos(offsetOf(raw)).line,
          range: lineRange(raw),
          required: true,
        };
      if (!isMap(node))
        throw new GateFileError('each entry of `validation_rules` must be a mapping or text', offsetOf(raw));
      const description = keyString(node, 'description');
      const rule = keyString(node, 'rule');
      const text = description || rule;
      if (text === undefined || text === '')
        throw new GateFileError('a validation rule has neither `description` nor `rule`', offsetOf(node));
      const severity = keyString(node, 'severity');
      const optional =
        severity !== undefined && /^(warn(ing)?|info(rmation)?|advisory|optional|low|minor)$/i.test(severity);
      // Its line: where the entry starts (`- rule: …`), or the alias standing for it.
      const first = node.pairs[0]?.key;
      const lineNode = isAlias(raw)
        ? raw
        : first !== undefined && offsetOf(first) >= offsetOf(node)
          ? first
          : node;
      const check = keyString(node, 'check');
      const pattern = given(node, 'pattern');
      let item: GateItemDef;
      if (
        check !== undefined &&
        (KNOWN_CHECKS.includes(check) || nearMiss(check, KNOWN_CHECKS) !== undefined)
      ) {
        item = readCheck(node, { text, node: lineNode });
      } else if (pattern) {
        const expected = keyString(node, 'expected');
        const absent = expected !== undefined && /^(0+|none|absent|no|false|zero)$/i.test(expected);
        item = readCheck(node, { text, node: lineNode }, undefined, absent ? 'grep_absent' : 'grep_present');
      } else {
        item = {
          kind: 'manual',
          text,
          line: pos(offsetOf(lineNode)).line,
          range: lineRange(lineNode),
          required: true,
        };
        // The file it is about, for a person to look at: it follows moves and is a
        // reference of that file, as a check's path is (nothing checks it).
        const path = keyString(node, 'path');
        if (path !== undefined) {
          item.path = path;
          const r = textRange(mapGet(node, 'path'), path);
          if (r) {
            item.pathRange = r;
            item.pathStyles = styleAt(r);
          }
        }
      }
      setRequired(item, node, optional);
      return item;
    };
    /**
     * `transition.to_phase` of a `transition:` mapping; undefined for a file without one (a
     * `transition:` that is no mapping is a team's own).
     */
    const readTransition = (raw: unknown): GateTransition | undefined => {
      const node = deref(raw);
      if (!isMap(node)) return undefined;
      const isKey = (p: GatePair) => isScalar(p.key) && p.key.value === 'to_phase';
      // Its own key, else one a merge key (`<<: *defaults`) brings in: said on the `<<`,
      // where the transition reads it; its value is written elsewhere.
      const direct = node.pairs.find(isKey);
      const pair = direct ?? mergedPairs(node).find(isKey);
      if (!pair) return undefined;
      const merge = node.pairs.find((p) => isScalar(p.key) && p.key.value === '<<');
      const keyRange =
        direct === undefined && merge !== undefined
          ? (textRange(merge.key, '<<') ?? lineRange(merge.key))
          : (textRange(pair.key, 'to_phase') ?? lineRange(pair.key));
      const v = deref(pair.value);
      if (isMap(v)) return { keyRange, problem: 'a mapping' };
      if (isSeq(v)) return { keyRange, problem: 'a list' };
      if (!isScalar(v) || v.value === null || v.value === undefined) return { keyRange, problem: 'empty' };
      const read = scalarText(pair.value, v, direct !== undefined && !isAlias(raw) && !node.anchored);
      if (read === undefined) return { keyRange, problem: 'empty' };
      return read.range
        ? { toPhase: read.value, range: read.range, keyRange }
        : { toPhase: read.value, keyRange };
    };
    /**
     * A scalar value (`v`, `raw` dereferenced) that is a non-empty text, a number or a flag,
     * as written (trimmed; a number as its digits, `02`, read as 2), with where it is written
     * in place when its text is its own there; undefined for anything else. `here`: the
     * mapping holding it is written in place too (not merged in, anchored or aliased).
     */
    const scalarText = (
      raw: unknown,
      v: GateScalar,
      here = true,
    ): { value: string; range?: Range } | undefined => {
      // (a value read through an alias is its anchor's, written elsewhere; an anchored one
      // is also what its aliases read: neither is edited in place)
      const inPlace = here && !isAlias(raw) && !v.anchored;
      if (typeof v.value === 'string') {
        const s = own(v.value.trim());
        if (s === '') return undefined;
        const range = inPlace ? textRange(v, s) : undefined;
        return range ? { value: s, range } : { value: s };
      }
      if (typeof v.value !== 'number' && typeof v.value !== 'boolean') return undefined;
      // A number or flag: as written (`02`, read as 2), the plain text up to a comment.
      const at = offsetOf(v);
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      const written = text.slice(at, beforeComment(text, at, end)).trim();
      const same =
        typeof v.value === 'number'
          ? written !== '' && Number(written) === v.value
          : written === String(v.value);
      if (!same) return { value: String(v.value) };
      return inPlace ? { value: own(written), range: rangeAt(at, written) } : { value: own(written) };
    };
    const phaseKeys: GatePhaseKey[] = [];
    let transition: GateTransition | undefined;
    let known = 0;
    // Keys merged into the file's mapping (`<<: *common`) are its keys too; its own win.
    const topPairs = mergedPairs(root);
    for (const pair of topPairs) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const keyStart = pos(offsetOf(pair.key));
      const keyLine = keyStart.line;
      const keyRange: Range = {
        start: keyStart,
        end: { line: keyLine, character: keyStart.character + key.length },
      };
      if (key === 'validation_rules') {
        known++;
        const value = deref(pair.value);
        if (value === null || value === undefined || (isScalar(value) && value.value === null)) continue;
        if (!isSeq(value)) throw new GateFileError('`validation_rules` must be a list', offsetOf(value));
        if (value.items.length === 0) continue;
        const g: GateGroupDef = { heading: 'Validation Rules', kind: 'exit', line: keyLine, items: [] };
        for (const raw of value.items) push(g, readRule(raw));
        rules = g;
        continue;
      }
      if (key === 'transition') {
        transition = readTransition(pair.value);
        continue;
      }
      if (key === 'phase' || key === 'number') {
        const v = deref(pair.value);
        const read = isScalar(v) ? scalarText(pair.value, v) : undefined;
        if (read !== undefined) phaseKeys.push({ key, ...read });
        continue;
      }
      const list = LIST_KEYS.get(key);
      const req = REQUIREMENT_KEYS.get(key);
      if (!list && !req) {
        // A key meant as gates but spelled otherwise (`exit_gate`, `Exit_Gates`, `exit`)
        // would leave its items unchecked and the phase passing: say so instead.
        // (also one letter off one, holding a list or a mapping as gates do:
        // `entry_requirments`, `exit_gtaes`, `validation_rule`; `exit_notes: "weekly"` is the file's own)
        const held = deref(pair.value);
        const candidate =
          GATE_LIKE_KEY.test(key) || !(isSeq(held) || isMap(held)) ? undefined : nearMiss(key, TOP_KEYS, 1);
        // (only when it holds what the key meant holds: `exit_dates:` with a mapping of
        // dates, one letter off `exit_gates`, is the file's own)
        const near = candidate !== undefined && holdsLike(candidate, held, deref) ? candidate : undefined;
        if (GATE_LIKE_KEY.test(key) || near !== undefined) {
          const { hint, meant } =
            near !== undefined ? { hint: ` (did you mean \`${near}\`?)`, meant: near } : suggestKey(key);
          // The key meant is there already (`exit:` beside `exit_gates:`): no fix writing it twice.
          if (meant && mapGet(root, meant) !== undefined)
            throw new GateFileError(
              `unknown key \`${key}\` beside \`${meant}\` (its items would go unchecked: move them to \`${meant}\`, or name the key otherwise)`,
              offsetOf(pair.key),
              key,
            );
          throw new GateFileError(`unknown key \`${key}\`${hint}`, offsetOf(pair.key), key, meant);
        }
        continue;
      }
      known++;
      const value = deref(pair.value);
      if (value === null || (isScalar(value) && value.value === null)) {
        groups.push(newGroup((list ?? req)!, keyLine, keyRange));
        continue;
      }
      if (list) {
        if (!isSeq(value)) throw new GateFileError(`\`${key}\` must be a list`, offsetOf(value ?? pair.key));
        const g = newGroup(list, keyLine, keyRange);
        for (const raw of value.items) {
          const node = deref(raw);
          if (!isMap(node))
            throw new GateFileError(`each entry of \`${key}\` must be a mapping`, offsetOf(raw));
          const criteria = keyString(node, 'criteria');
          if (criteria === undefined || criteria.trim() === '') {
            // A key meant as `criteria` (`critera:`, `Criteria:`): said on that key.
            for (const p of node.pairs) {
              const k = isScalar(p.key) ? String(p.key.value) : '';
              if (nearMiss(k, ENTRY_KEYS) === 'criteria')
                throw new GateFileError(
                  `an entry of \`${key}\` has no \`criteria\`: unknown key \`${k}\` (did you mean \`criteria\`?)`,
                  offsetOf(p.key),
                  k,
                  'criteria',
                );
            }
            throw new GateFileError(`an entry of \`${key}\` has no \`criteria\``, offsetOf(node));
          }
          const critNode = mapGet(node, 'criteria');
          // The item's line: its criteria's, or where the entry is when the criteria stand
          // elsewhere (an entry written as an alias, `- *base`, or merged in, `<<: *base`).
          const lineNode = isAlias(raw) ? raw : offsetOf(critNode) >= offsetOf(node) ? critNode : node;
          // An entry that names a check or a command, and no evidence path, is that check
          // under its criteria's text: read as a person's item it would pass on a
          // confirmation and never run. (With an evidence path it is judged by that.)
          const namesPath = evidenceNamesPath(node);
          if (!namesPath && (given(node, 'check') || given(node, 'command'))) {
            push(g, readCheck(node, { text: criteria, node: lineNode }));
            continue;
          }
          // A key meant as `evidence`, `check` or `command` (`evidance:`) in an entry with
          // none of them given: the item would be a person's to confirm, its evidence or
          // check never looked at. Said on that key. A key of the entry's own holding a
          // list or a mapping (`checks:` of items to read), or beside those keys, is left alone.
          // (here it has no check or command; prose evidence checks nothing: a `comand:`
          // beside it is still a slip)
          for (const p of namesPath ? [] : node.pairs) {
            const k = isScalar(p.key) ? String(p.key.value) : '';
            const meant = readsAsValue(deref(p.value)) ? nearMiss(k, CHECKED_ENTRY_KEYS) : undefined;
            // (not beside the key meant: `evidenced:` beside prose `evidence:` is the team's own)
            if (meant && !given(node, meant))
              throw new GateFileError(
                `unknown key \`${k}\` in an entry of \`${key}\` (did you mean \`${meant}\`?)`,
                offsetOf(p.key),
                k,
                meant,
              );
          }
          const evidence = keyString(node, 'evidence');
          const item: GateItemDef = {
            kind: 'manual',
            text: criteria,
            line: pos(offsetOf(lineNode)).line,
            range: lineRange(lineNode),
            required: true,
          };
          setRequired(item, node);
          const ev = evidence !== undefined ? evidencePath(evidence) : undefined;
          if (ev) {
            item.kind = 'evidence';
            item.evidencePath = ev.path;
            const r = textRange(mapGet(node, 'evidence'), evidence!);
            if (r) {
              item.evidenceRange = {
                start: r.start,
                end: { line: r.start.line, character: r.start.character + ev.path.length },
              };
              item.pathStyles = styleAt(r);
            }
            if (ev.anchor) item.anchor = ev.anchor;
          }
          push(g, item);
        }
        groups.push(g);
      } else if (req) {
        if (!isMap(value))
          throw new GateFileError(
            `\`${key}\` must be a mapping with \`automated\` and \`manual\``,
            offsetOf(value),
          );
        const g = newGroup(req, keyLine, keyRange);
        // A list of checks under a key spelled otherwise (`automatic`, `checks`, `manual_checks`)
        // would go unchecked while the group passes on the rest.
        for (const p of value.pairs) {
          const k = isScalar(p.key) ? String(p.key.value) : '';
          if (k === 'automated' || k === 'manual') continue;
          // (`automatd`, `manul`: a near miss of either, said with the key meant)
          const meant = nearMiss(k, LISTS);
          // Beside the list it means (`automatd:` under `automated:`): its items would go unchecked.
          if (meant && mapGet(value, meant) !== undefined)
            throw new GateFileError(
              `unknown key \`${k}\` beside \`${meant}\` under \`${key}\` (its items would go unchecked: move them to \`${meant}\`)`,
              offsetOf(p.key),
              k,
            );
          if (!meant && !CHECK_LIKE_KEY.test(k)) continue;
          throw new GateFileError(
            `unknown key \`${k}\` under \`${key}\` (${meant ? `did you mean \`${meant}\`?` : 'the lists read there are `automated` and `manual`'})`,
            offsetOf(p.key),
            k,
            meant,
          );
        }
        const automated = deref(mapGet(value, 'automated'));
        if (
          automated !== undefined &&
          automated !== null &&
          !(isScalar(automated) && automated.value === null)
        ) {
          if (!isSeq(automated))
            throw new GateFileError('`automated` must be a list of checks', offsetOf(automated));
          for (const raw of automated.items) {
            const node = deref(raw);
            if (!isMap(node))
              throw new GateFileError('each automated check must be a mapping', offsetOf(raw));
            push(g, readCheck(node, undefined, isAlias(raw) ? raw : undefined));
          }
        }
        const manual = deref(mapGet(value, 'manual'));
        if (manual !== undefined && manual !== null && !(isScalar(manual) && manual.value === null)) {
          if (!isSeq(manual)) throw new GateFileError('`manual` must be a list', offsetOf(manual));
          for (let i = 0; i < manual.items.length; i++) {
            const raw = manual.items[i];
            const node = deref(raw);
            const what = `\`manual\` entry ${i + 1} (line ${pos(offsetOf(raw)).line + 1})`;
            // (said where the entry is: an alias's, not the anchor's)
            if (node !== null && !isScalar(node))
              throw new GateFileError(
                `${what} must be text${isMap(node) ? ', not a mapping' : isSeq(node) ? ', not a list' : ''}`,
                offsetOf(raw),
              );
            const s = scalarString(node, what);
            if (s === undefined) throw new GateFileError(`${what} must be text`, offsetOf(raw));
            // An empty item could be confirmed, and nothing would say what was.
            if (s.trim() === '') throw new GateFileError(`${what} is empty`, offsetOf(raw));
            push(g, {
              kind: 'manual',
              text: s,
              line: pos(offsetOf(raw)).line,
              range: lineRange(raw),
              required: true,
            });
          }
        }
        groups.push(g);
      }
    }
    if (known === 0 && root.pairs.length > 0) {
      throw (
        gatesInLaterDocument(text) ??
        new GateFileError(`none of its keys is one of ${ALL_KEYS}, so nothing in it is checked`, 0)
      );
    }
    if (rules) {
      // The rules of a file of entry gates only are entry criteria; else they are checked on the way out.
      if (groups.length > 0 && groups.every((g) => g.kind === 'entry')) rules.kind = 'entry';
      groups.push(rules);
    }
    const out: ParsedGateFile = { groups };
    if (transition) out.transition = transition;
    if (phaseKeys.length > 0) out.phaseKeys = phaseKeys;
    return out;
  } catch (e) {
    if (e instanceof GateFileError) {
      const error: NonNullable<ParsedGateFile['error']> = { message: e.message, line: pos(e.offset).line };
      if (e.key !== undefined && e.key !== '') {
        // (inside its quotes when it is quoted)
        const q = text[e.offset] === '"' || text[e.offset] === "'" ? 1 : 0;
        if (text.slice(e.offset + q, e.offset + q + e.key.length) === e.key && !e.key.includes('\n')) {
          const at = pos(e.offset + q);
          error.range = { start: at, end: { line: at.line, character: at.character + e.key.length } };
          if (e.meant !== undefined) error.meant = e.meant;
        }
      }
      return { groups: [], error };
    }
    return { groups: [], error: { message: e instanceof Error ? e.message : String(e), line: 0 } };
  }
}

/**
 * When the first YAML document of a gate file holds no gates (empty, or metadata alone)
 * and a later one of the stream does: an error saying that only the first is read, on
 * the `---` line that starts the one holding them (`---` / `# Gate for Frame` / `---` /
 * `exit_requirements: …`). Undefined otherwise.
 */
function gatesInLaterDocument(text: string): GateFileError | undefined {
  if (!/^---/m.test(text)) return undefined;
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { logLevel: 'silent', prettyErrors: false });
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs)) return undefined;
  for (let i = 1; i < docs.length; i++) {
    const contents = docs[i].contents;
    if (!isYamlMap(contents)) continue;
    const gates = contents.items.some((p) => isYamlScalar(p.key) && TOP_KEYS.includes(String(p.key.value)));
    if (!gates) continue;
    const start = docs[i].range?.[0] ?? 0;
    const line = text.slice(0, start).split('\n').length;
    const marker = text.startsWith('---', start) ? `, after the \`---\` on line ${line}` : '';
    return new GateFileError(
      `only the first YAML document of a gate file is read, and its gates are in document ${i + 1}${marker}: remove the \`---\` that starts it to have them read`,
      start,
    );
  }
  return undefined;
}

/**
 * The end of a line's content before its YAML comment (` # …`, outside quotes), trailing
 * white space dropped; `end` when it has none. A quote opens a quoted scalar only where
 * one may start (after white space, `:`, `-`, `[`, `{` or `,`): `don't` is plain text.
 */
function beforeComment(text: string, from: number, end: number): number {
  let quote = 0;
  for (let i = from; i < end; i++) {
    const ch = text.charCodeAt(i);
    const prev = i === from ? 32 : text.charCodeAt(i - 1);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (
      (ch === 34 || ch === 39) &&
      (prev === 32 || prev === 9 || ':-[{,'.includes(text[i - 1] ?? ' '))
    ) {
      quote = ch;
    } else if (ch === 35 && (prev === 32 || prev === 9)) {
      let e = i;
      while (e > from && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
      return e;
    }
  }
  return end;
}

/**
 * The offset of the last `opener` before `end` that opens rather than stands escaped
 * inside a quoted scalar: not a `\"` (after an odd run of backslashes), not either half
 * of a `''`; -1 when there is none.
 */
function lastOpener(text: string, opener: string, end: number): number {
  for (let i = text.lastIndexOf(opener, end - 1); i !== -1; i = text.lastIndexOf(opener, i - 1)) {
    if (opener === '"') {
      let slashes = 0;
      while (text[i - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) return i;
    } else if (opener === "'") {
      if (text[i - 1] === "'") {
        i--; // the pair `''` is one quote written inside the scalar
        continue;
      }
      if (text[i + 1] !== "'") return i;
    } else return i;
    if (i === 0) break;
  }
  return -1;
}

/**
 * Where a YAML parse error is shown: from where the parser names it to the end of that
 * line at most. The parser names the end of the text for a quote or bracket never closed:
 * that is shown from the last such quote or bracket opened, else on the last line written.
 */
function yamlErrorRange(
  text: string,
  [from, to]: [number, number],
  message: string,
  pos: (offset: number) => { line: number; character: number },
): Range {
  let start = Math.min(from, text.length);
  if (text.slice(start).trim() === '') {
    const opener = /closing "quote/.test(message)
      ? '"'
      : /closing 'quote/.test(message)
        ? "'"
        : /end with a \]/.test(message)
          ? '['
          : /end with a \}/.test(message)
            ? '{'
            : undefined;
    const at = opener === undefined ? -1 : lastOpener(text, opener, text.length);
    start = at === -1 ? text.trimEnd().length : at;
  } else if (/end with a [\]}]/.test(message)) {
    // A flow collection never closed, noticed where the block goes on: shown where it opens.
    const at = lastOpener(text, /\]/.test(message) ? '[' : '{', start);
    if (at !== -1) start = at;
  }
  let lineEnd = text.indexOf('\n', start);
  if (lineEnd === -1) lineEnd = text.length;
  if (lineEnd > start && text[lineEnd - 1] === '\r') lineEnd--;
  // At least the word it stands on (a duplicate key's name, not its first letter).
  const word = /^[^\s:,[\]{}#]*/.exec(text.slice(start, lineEnd))![0].length;
  const end = Math.min(Math.max(to, start + word), lineEnd);
  return { start: pos(start), end: pos(end) };
}

/** A group under one of the keys above (written out: an object spread is slow in cold code). */
function newGroup(
  def: { heading: string; kind: 'entry' | 'exit' },
  line: number,
  keyRange: Range,
): GateGroupDef {
  return { heading: def.heading, kind: def.kind, line, items: [], keyRange };
}

/**
 * Where each entry of a one-line flow list of scalars (`[a, "b c", 'd']`, `[` at `open`)
 * starts in `text` (at its opening quote, if any); undefined for anything else (nested
 * lists or maps, a comment, an escape, a list over several lines).
 */
function flowItemStarts(text: string, open: number): number[] | undefined {
  const out: number[] = [];
  let i = open + 1;
  const blank = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  blank();
  if (text[i] === ']') return out;
  for (;;) {
    blank();
    const ch = text[i];
    if (ch === undefined || ch === '\n' || ch === '\r' || ch === '[' || ch === '{' || ch === '#')
      return undefined;
    out.push(i);
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      const body = close === -1 ? '' : text.slice(i + 1, close);
      if (close === -1 || /[\n\r\\]/.test(body) || (ch === "'" && text[close + 1] === "'")) return undefined;
      i = close + 1;
    } else {
      while (i < text.length && !',]\n\r'.includes(text[i])) {
        if (text[i] === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t')) return undefined;
        if (text[i] === '[' || text[i] === '{') return undefined;
        i++;
      }
    }
    blank();
    if (text[i] === ']') return out;
    if (text[i] !== ',') return undefined;
    i++;
  }
}

function offsetOf(n: unknown): number {
  return (n as GateNode | null | undefined)?.start ?? 0;
}

/**
 * The text of a scalar value; undefined for none. Anything else is an error naming the
 * value: `key` is a key's name (`criteria`), or a list entry as said
 * (`` `manual` entry 2 (line 9) ``).
 */
function scalarString(n: unknown, key: string, trim = true): string | undefined {
  if (n === undefined || n === null) return undefined;
  if (isScalar(n)) {
    if (n.value === null || n.value === undefined) return undefined;
    const v = n.value;
    // A copy of its own: a slice of the file's text would keep the whole text alive
    // for as long as the gate file is indexed.
    if (typeof v === 'string') return own(trim ? v.trim() : v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  const what = key.startsWith('`') ? key : `\`${key}\``;
  const shape = isMap(n) ? ', not a mapping' : isSeq(n) ? ', not a list' : '';
  throw new GateFileError(`${what} must be text${shape}`, offsetOf(n));
}

/**
 * `docs/helix/01-frame/prd.md#users` → a path and anchor. Anything that does not read as
 * a workspace path ("sponsor acknowledgment") is not evidence that can be checked. A
 * value with spaces is a path when it ends like one: a file extension (before an
 * optional `#anchor`) or `/` (`docs/my prd.md`, `docs/design notes/`); prose with a
 * slash ("Approved by PM/Tech lead") or a version ("Release 1.2") stays for a person.
 */
export function evidencePath(evidence: string): { path: string; anchor?: string } | undefined {
  const s = evidence.trim();
  // A URL is no path (`https://…`, `mailto:…`); a drive letter (`C:\repo\x.md`) is one,
  // outside the workspace folder (its check says so).
  if (s === '' || (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s))) return undefined;
  // Words people write for "nothing to show" or a practice, with a slash: no paths.
  if (/^(n[\\/]a|ci[\\/]cd|tb[acd][\\/]tb[acd])\.?$/i.test(s)) return undefined;
  const hash = s.indexOf('#');
  const path = hash === -1 ? s : s.slice(0, hash);
  const anchor = hash === -1 ? undefined : s.slice(hash + 1);
  if (path === '' || /^\s|\s$/.test(path)) return undefined;
  // `\` separates folders as `/` does (as every gate path reads it).
  const p = path.replace(/\\/g, '/');
  if (/\s/.test(p)) {
    // With spaces, only what reads as a path as a whole: a first folder without spaces
    // (`docs/helix/my prd.md`), ending in a file extension or `/`. A sentence that ends in
    // a file name ("Sign-off recorded in docs/approvals.md") stays a manual item.
    const slash = p.indexOf('/');
    if (slash <= 0 || /\s/.test(p.slice(0, slash))) return undefined;
    const ext = /\.([a-z0-9]{1,8})$/i.exec(p);
    if (!p.endsWith('/') && !(ext && /[a-z]/i.test(ext[1]))) return undefined;
  } else if (!p.includes('/') && !/\.[a-z0-9]{1,8}$/i.test(p)) return undefined;
  return anchor ? { path, anchor } : { path };
}
