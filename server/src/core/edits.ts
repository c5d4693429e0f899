import { decodeDestination, isBareValueLink, readsAsBareName } from './parse/mdlink';
import { clipped, LineIndex, plural, sameRange } from './text';
import type { Heading, ParsedDocument, Range, TaskItem, TextEdit, WikiLink } from './types';

/** Ticks or unticks a task item: exactly one character, inside its brackets. */
export function toggleEdit(item: TaskItem): TextEdit {
  const { start } = item.checkboxRange;
  return {
    range: {
      start: { line: start.line, character: start.character + 1 },
      end: { line: start.line, character: start.character + 2 },
    },
    newText: item.checked ? ' ' : 'x',
  };
}

/**
 * The edit that writes `text` as `link`'s target (its name, path or id; the rest of the
 * link stays). A chain key's bare value (`next_phase: 02-prescribe`) stays bare when the
 * text still reads as a phase's name there; otherwise the value becomes a quoted wikilink
 * (`next_phase: "[[docs/helix/02-design]]"`), as a bare `docs/x/README` would be no link.
 */
export function linkTargetEdit(link: WikiLink, text: string): TextEdit {
  if (isBareValueLink(link) && !readsAsBareName(text))
    return { range: link.range, newText: `"[[${text.replace(/["\\]/g, (c) => `\\${c}`)}]]"` };
  return { range: link.targetRange, newText: text };
}

/**
 * Where `linkTargetEdit` wrote a bare value anew as a quoted wikilink, that edit's
 * wikilink as YAML reads it (`[[prescribe]]`, the quotes' escapes undone); else undefined.
 */
function bareRewritten(link: WikiLink, edits: readonly TextEdit[]): string | undefined {
  if (!isBareValueLink(link)) return undefined;
  const e = editsAt(edits, link.range).find((x) => x.newText.startsWith('"[['));
  return e?.newText.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/**
 * A list of edits found by range and by line: asked for each link and heading of a
 * document, a search of the list each time made a rename of 50,000 links take minutes.
 * Kept per list (by identity) and built again when the list has grown.
 */
interface EditIndex {
  size: number;
  byRange: Map<string, TextEdit[]>;
  /** Edits within one line, by that line. */
  byLine: Map<number, TextEdit[]>;
  /** Edits over more than one line. */
  multiLine: TextEdit[];
}

const editIndexes = new WeakMap<readonly TextEdit[], EditIndex>();

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
}

function indexOfEdits(edits: readonly TextEdit[]): EditIndex {
  let x = editIndexes.get(edits);
  if (x && x.size === edits.length) return x;
  x = { size: edits.length, byRange: new Map(), byLine: new Map(), multiLine: [] };
  for (const e of edits) {
    const k = rangeKey(e.range);
    const same = x.byRange.get(k);
    if (same) same.push(e);
    else x.byRange.set(k, [e]);
    if (e.range.start.line !== e.range.end.line) x.multiLine.push(e);
    else {
      const line = x.byLine.get(e.range.start.line);
      if (line) line.push(e);
      else x.byLine.set(e.range.start.line, [e]);
    }
  }
  editIndexes.set(edits, x);
  return x;
}

/** The edits whose range is `r`, in their order in the list. */
export function editsAt(edits: readonly TextEdit[], r: Range): readonly TextEdit[] {
  return indexOfEdits(edits).byRange.get(rangeKey(r)) ?? [];
}

/** The edits that may lie within line `line`'s range: those within it, and those over several lines. */
function editsNear(edits: readonly TextEdit[], line: number): readonly TextEdit[] {
  const x = indexOfEdits(edits);
  const on = x.byLine.get(line) ?? [];
  return x.multiLine.length === 0 ? on : [...on, ...x.multiLine];
}

/** A text with non-overlapping edits applied (positions as everywhere in the core). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const at = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  for (const e of at) {
    out += text.slice(last, e.start) + e.text;
    last = Math.max(last, e.end);
  }
  return out + text.slice(last);
}

/**
 * Whether two parses of a document agree on everything edits are placed by: each
 * link's target and heading with their ranges, and each heading's text and range.
 * When they agree, edits computed on one land on the same text in the other.
 */
export function sameAnchors(a: ParsedDocument, b: ParsedDocument): boolean {
  if (a.lineCount !== b.lineCount || a.links.length !== b.links.length) return false;
  if (a.headings.length !== b.headings.length || a.tasks.length !== b.tasks.length) return false;
  for (let i = 0; i < a.links.length; i++) {
    const x = a.links[i];
    const y = b.links[i];
    if (x.target !== y.target || x.heading !== y.heading || !sameRange(x.targetRange, y.targetRange))
      return false;
    if ((x.headingRange === undefined) !== (y.headingRange === undefined)) return false;
    if (x.headingRange && y.headingRange && !sameRange(x.headingRange, y.headingRange)) return false;
  }
  for (let i = 0; i < a.headings.length; i++) {
    if (a.headings[i].text !== b.headings[i].text || !sameRange(a.headings[i].range, b.headings[i].range))
      return false;
  }
  for (let i = 0; i < a.tasks.length; i++) {
    const x = a.tasks[i];
    const y = b.tasks[i];
    if (x.text !== y.text || x.checked !== y.checked || !sameRange(x.checkboxRange, y.checkboxRange))
      return false;
  }
  return true;
}

/**
 * A wikilink's heading with the edits inside its range applied (the segments of a nested
 * heading link, `Parent#Child`, renamed one by one), where the range holds the heading as
 * it reads (one line, no escapes); else the heading as it is.
 */
function headingWithin(x: WikiLink, edits: readonly TextEdit[]): string | undefined {
  const r = x.headingRange;
  const h = x.heading;
  if (!r || h === undefined || x.syntax === 'markdown' || r.start.line !== r.end.line) return h;
  if (r.end.character - r.start.character !== h.length) return h;
  const from = r.start.character;
  const inside = editsNear(edits, r.start.line)
    .filter(
      (e) =>
        e.range.start.line === r.start.line &&
        e.range.end.line === r.start.line &&
        e.range.start.character >= from &&
        e.range.end.character <= r.end.character,
    )
    .sort((a, b) => b.range.start.character - a.range.start.character);
  let out = h;
  for (const e of inside)
    out = out.slice(0, e.range.start.character - from) + e.newText + out.slice(e.range.end.character - from);
  return out;
}

/**
 * What goes wrong when `edits`, which replace link targets, link headings and heading
 * texts of the document parsed as `before`, give the document parsed as `after`:
 * undefined when the result reads exactly as intended (every link, heading, task and
 * metadata key the same except the replaced texts); else a short description.
 */
export function editProblem(
  before: ParsedDocument,
  edits: readonly TextEdit[],
  after: ParsedDocument,
): string | undefined {
  const replaced = (r: Range | undefined, old: string | undefined) => {
    if (!r) return old;
    const e = editsAt(edits, r)[0];
    return e ? e.newText : old;
  };
  const newErrors = after.metadata.errors.length > before.metadata.errors.length;
  if (newErrors) {
    const e = after.metadata.errors[after.metadata.errors.length - 1];
    return `it would break the metadata (line ${e.range.start.line + 1}: ${e.message})`;
  }
  const keys = (d: ParsedDocument) => d.metadata.entries.map((e) => e.key).join('\u0000');
  if (keys(before) !== keys(after)) return 'it would change the metadata keys';
  const meta = metadataProblem(before, edits, after);
  if (meta) return meta;
  if (after.lineCount !== before.lineCount) return 'it would change the number of lines';
  if (after.links.length !== before.links.length) {
    // A link written inside the text an edit replaces (a heading's text holding `[[x]]`).
    const inside = (r: Range) =>
      editsNear(edits, r.start.line).some(
        (e) =>
          !sameRange(e.range, r) &&
          comparePos(e.range.start, r.start) <= 0 &&
          comparePos(r.end, e.range.end) <= 0 &&
          comparePos(e.range.start, e.range.end) < 0,
      );
    const dropped = before.links.find((l) => inside(l.range));
    if (dropped)
      return `it would replace the link ${clipped(dropped.raw)} on line ${dropped.range.start.line + 1}, written in the text it renames`;
    return `it would turn ${plural(before.links.length, 'link')} into ${after.links.length} (a link in code or in other markup would change)`;
  }
  for (let i = 0; i < before.links.length; i++) {
    const x = before.links[i];
    const y = after.links[i];
    // A markdown link's replaced text is written encoded; the parse reads it decoded.
    const decode = (now: string | undefined, old: string | undefined) =>
      now === old || now === undefined || x.syntax !== 'markdown' ? now : decodeDestination(now);
    // A bare value written anew as a wikilink (`linkTargetEdit`): its new target is inside.
    const rewritten = bareRewritten(x, edits);
    const target =
      rewritten !== undefined
        ? rewritten.slice(2, -2)
        : (decode(replaced(x.targetRange, x.target), x.target) ?? '');
    const heading =
      x.headingRange && editsAt(edits, x.headingRange).length === 0
        ? headingWithin(x, edits)
        : decode(replaced(x.headingRange, x.heading), x.heading);
    if (
      y.target !== target ||
      y.heading !== heading ||
      y.alias !== x.alias ||
      y.source !== x.source ||
      y.key !== x.key ||
      y.embed !== x.embed ||
      y.syntax !== x.syntax
    ) {
      return `the link on line ${y.range.start.line + 1} would read ${clipped(y.raw)} instead of naming "${target}${heading !== undefined ? `#${heading}` : ''}"`;
    }
  }
  if (after.headings.length !== before.headings.length) return 'it would change the headings';
  for (let i = 0; i < before.headings.length; i++) {
    const x = before.headings[i];
    const y = after.headings[i];
    if (y.level !== x.level || y.text !== headingAfter(x, edits)) {
      return `the heading on line ${y.line + 1} would read "${y.text}"`;
    }
  }
  if (
    after.tasks.length !== before.tasks.length ||
    after.tasks.some((t, i) => t.checked !== before.tasks[i].checked)
  ) {
    return 'it would change the checklist';
  }
  // The DDX block: its id, each dependency and the ids of `superseded_by` and `supersedes`
  // read as before, but for the edited values (an edit placed on a key, where a value was
  // not found as written, would lose it).
  const ddx = (d: ParsedDocument, edited: boolean) => {
    const b = d.ddx;
    if (!b) return '';
    const value = (r: { id: string; range: Range }) => (edited ? r.id : (replaced(r.range, r.id) ?? r.id));
    return JSON.stringify([b.id ? value(b.id) : null, b.dependsOn.map(value), (b.lineage ?? []).map(value)]);
  };
  if (ddx(after, true) !== ddx(before, false)) return 'it would change the ids of the DDX block';
  return undefined;
}

/**
 * What goes wrong in the metadata's values as YAML reads them: a value of another shape
 * (`next_phase: [[plan]]` renamed to `a: b` reads as a mapping, to `x, y` as two items),
 * or an edited link whose new text no value holds (`[[!tag]]` reads as an empty tagged
 * value). Links are read from the text whatever the YAML, so their check misses these.
 */
function metadataProblem(
  before: ParsedDocument,
  edits: readonly TextEdit[],
  after: ParsedDocument,
): string | undefined {
  const quote = 'write the value in quotes to use this name';
  for (const entry of after.metadata.entries) {
    const key = entry.key;
    if (!Object.hasOwn(before.metadata.data, key)) continue;
    if (JSON.stringify(shape(before.metadata.data[key])) !== JSON.stringify(shape(after.metadata.data[key])))
      return `the metadata "${key}" (line ${entry.line + 1}) would no longer read as the same YAML value; ${quote}`;
  }
  // Whether a key's strings hold a text, per side: each key's strings joined once and each
  // text looked for once (a list of 22,000 links to one document renamed asked it of every
  // string for every link).
  const joined = new Map<string, string>();
  const answers = new Map<string, boolean>();
  const holds = (side: ParsedDocument, key: string, text: string): boolean => {
    const which = side === before ? 'b' : 'a';
    const asked = `${which}\u0000${key}\u0000${text}`;
    let hit = answers.get(asked);
    if (hit === undefined) {
      let all = joined.get(`${which}\u0000${key}`);
      if (all === undefined) {
        all = strings(side.metadata.data[key]).join('\u0000');
        joined.set(`${which}\u0000${key}`, all);
      }
      hit = all.includes(text);
      answers.set(asked, hit);
    }
    return hit;
  };
  for (const x of before.links) {
    if (x.source !== 'metadata' || x.key === undefined || !Object.hasOwn(before.metadata.data, x.key))
      continue;
    const parts = [
      [x.targetRange, x.written ?? x.target],
      [x.headingRange, x.heading],
    ] as const;
    for (const [range, old] of parts) {
      const edit = range && editsAt(edits, range)[0];
      if (!edit || old === undefined) continue;
      if (!holds(before, x.key, old)) continue;
      // (a bare value written anew as a quoted wikilink reads as the text inside its quotes)
      const written = bareRewritten(x, edits) ?? edit.newText;
      if (!holds(after, x.key, written))
        return `the metadata "${x.key}" (line ${x.range.start.line + 1}) would not read "${written}" as written in YAML; ${quote}`;
    }
  }
  return undefined;
}

/** A YAML value with its strings blanked: what stays when only link texts change. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === 'string') return '';
  if (v !== null && typeof v === 'object')
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, shape(x)]);
  return v === null ? null : typeof v;
}

/** The strings a YAML value holds, at any depth. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/**
 * The text heading `h` is meant to read after `edits`: the new text of an edit replacing
 * it whole, else its text with the edits inside it applied (a link's target or heading
 * renamed inside the heading's text). Edits are placed by the heading's range, so only a
 * one-line heading whose text is its range as written takes them; any other keeps its text.
 */
export function headingAfter(h: Heading, edits: readonly TextEdit[]): string {
  const r = h.range;
  const whole = editsAt(edits, r)[0];
  if (whole) return whole.newText;
  const from = r.start.character;
  if (r.start.line !== r.end.line || r.end.character - from !== h.text.length) return h.text;
  const inside = (indexOfEdits(edits).byLine.get(r.start.line) ?? [])
    .filter((e) => e.range.start.character >= from && e.range.end.character <= r.end.character)
    .sort((a, b) => a.range.start.character - b.range.start.character);
  if (inside.length === 0) return h.text;
  // Pieces joined once (one slice per edit into a growing text was quadratic in a long heading).
  const parts: string[] = [];
  let last = 0;
  for (const e of inside) {
    const start = e.range.start.character - from;
    if (start < last) continue; // (overlapping edits: the first one stands)
    parts.push(h.text.slice(last, start), e.newText);
    last = e.range.end.character - from;
  }
  parts.push(h.text.slice(last));
  return parts.join('');
}

/** A line's container prefix (block quote markers, indentation) and a list marker after it. */
const LIST_MARKER = /^(?:[ \t]*>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])/;

/** A list item's text: its line without the container prefix and list marker (`1. PRD` → `PRD`). */
export function listItemText(line: string): string {
  const m = LIST_MARKER.exec(line);
  return (m ? line.slice(m[0].length) : line).trim();
}

/**
 * Edits that give each of the list items starting on `lines` (top-level items that are not
 * tasks, as the parser found them in `text`) an unticked checkbox: ` [ ]` right after the
 * list marker (`1. PRD` → `1. [ ] PRD`). Undefined unless the edited text, parsed again,
 * reads exactly those items as unticked tasks and changes nothing else a parse keeps:
 * then no edit is offered rather than a wrong one.
 */
export function checkboxEdits(
  text: string,
  lines: readonly number[],
  parse: (text: string) => ParsedDocument,
): TextEdit[] | undefined {
  if (lines.length === 0) return undefined;
  const index = new LineIndex(text);
  const edits: TextEdit[] = [];
  for (const line of lines) {
    if (line >= index.lineCount) return undefined;
    const m = LIST_MARKER.exec(text.slice(index.starts[line], index.lineEnd(line)));
    if (!m) return undefined;
    const at = { line, character: m[0].length };
    edits.push({ range: { start: at, end: at }, newText: ' [ ]' });
  }
  const before = parse(text);
  const after = parse(applyEdits(text, edits));
  const want = new Set(lines);
  const added = after.tasks.filter((t) => want.has(t.line));
  if (
    added.length !== lines.length ||
    added.some((t) => t.checked || t.depth !== 0) ||
    after.tasks.length !== before.tasks.length + lines.length ||
    after.headings.length !== before.headings.length ||
    after.links.length !== before.links.length ||
    after.lineCount !== before.lineCount
  )
    return undefined;
  return edits;
}

/** Negative, zero or positive as position `a` is before, at or after `b`. */
function comparePos(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}
