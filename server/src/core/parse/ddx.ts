import type { LineIndex } from '../text';
import type { DdxMeta, Metadata, MetadataEntry, Range } from '../types';
import { makeIdRef, own } from './compact';

/**
 * Reads the DDX block of a document's metadata (`ddx:`, older files `dun:`): the
 * values come from the parsed YAML, their positions from the block's lines (nested
 * `key: value` lines at one indentation, `- item` lines and `[a, b]` flow lists).
 * A value whose text cannot be found is placed on its key (or the block's key).
 */
export function parseDdx(text: string, lines: LineIndex, meta: Metadata): DdxMeta | undefined {
  const entry = meta.entries.find((e) => e.key === 'ddx') ?? meta.entries.find((e) => e.key === 'dun');
  if (!entry) return undefined;
  const value = meta.data[entry.key];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const fields = scanFields(text, lines, entry);
  const blockKeyRange: Range = {
    start: entry.range.start,
    end: { line: entry.line, character: entry.range.start.character + entry.key.length },
  };
  const at = (key: string) => fields.get(key)?.keyRange ?? blockKeyRange;

  const out: DdxMeta = {
    block: entry.key as 'ddx' | 'dun',
    range: entry.range,
    dependsOn: [],
    supersedes: [],
    parkingLot: v.parking_lot === true || v.parking_lot === 'true',
  };
  const id = scalar(v.id);
  if (id !== undefined) {
    const f = fields.get('id');
    const written = f?.values.find((x) => x.text === id);
    out.id = makeIdRef(id, written?.range ?? at('id'));
  }
  const deps = v.depends_on;
  const wanted = (Array.isArray(deps) ? deps : deps === undefined || deps === null ? [] : [deps])
    .map(scalar)
    .filter((s): s is string => s !== undefined);
  const written = fields.get('depends_on')?.values ?? [];
  let next = 0;
  for (const d of wanted) {
    let k = next;
    while (k < written.length && written[k].text !== d) k++;
    if (k < written.length) {
      out.dependsOn.push(makeIdRef(d, written[k].range));
      next = k + 1;
    } else out.dependsOn.push(makeIdRef(d, at('depends_on')));
  }
  // Optional fields are set only when written: an absent field costs nothing to copy to
  // another thread, to cache or to keep.
  const set = (field: 'status' | 'supersededBy' | 'type' | 'activity' | 'phase', key: string) => {
    const s = scalar(v[key]);
    if (s !== undefined) out[field] = own(s);
  };
  set('status', 'status');
  set('supersededBy', 'superseded_by');
  const sup = v.supersedes;
  out.supersedes = (Array.isArray(sup) ? sup : sup === undefined || sup === null ? [] : [sup])
    .map(scalar)
    .filter((s): s is string => s !== undefined)
    .map(own);
  set('type', 'type');
  set('activity', 'activity');
  set('phase', 'phase');
  const review = fields.get('review');
  if (review && v.review !== undefined && v.review !== null) out.review = own(review.written);
  else if (v.review !== undefined && v.review !== null && typeof v.review !== 'object')
    out.review = own(String(v.review));
  return out;
}

/** A string or number value as text, trimmed; undefined for anything else or empty. */
function scalar(x: unknown): string | undefined {
  if (typeof x === 'string') return x.trim() || undefined;
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  return undefined;
}

interface Written {
  text: string;
  range: Range;
}

interface Field {
  keyRange: Range;
  /** Scalar values written for the key: its inline value, flow list items or `- item` lines. */
  values: Written[];
  /** The value as written: the inline text, or the following lines with their indentation removed. */
  written: string;
}

const KEY_LINE = /^([ \t]+)([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+|$)/;
const ITEM_LINE = /^([ \t]*)-[ \t]+/;

/** The fields whose written values are used: where `id` and `depends_on` entries sit, `review` as written. */
const VALUES_OF = new Set(['id', 'depends_on']);
const WRITTEN_OF = 'review';

function scanFields(text: string, lines: LineIndex, entry: MetadataEntry): Map<string, Field> {
  const fields = new Map<string, Field>();
  /** Whether the current field's values / written text are wanted (no positions are built for the rest). */
  let values = false;
  let keepBody = false;
  // A flow mapping on the block's own line (`ddx: {id: X}`) has no nested lines: values sit on their keys.
  let childIndent = -1;
  let current: Field | undefined;
  let currentIndent = 0;
  let body: string[] = [];
  const finish = () => {
    if (current && keepBody && body.length > 0) {
      const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
      current.written = body
        .map((l) => l.slice(Math.min(indent, l.length)))
        .join('\n')
        .trimEnd();
    }
    body = [];
  };
  for (let l = entry.line + 1; l <= entry.range.end.line && l < lines.lineCount; l++) {
    const start = lines.starts[l];
    const line = text.slice(start, lines.lineEnd(l));
    if (line.trim() === '' || /^[ \t]*#/.test(line)) {
      if (current) body.push('');
      continue;
    }
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (childIndent === -1) childIndent = indent;
    if (indent < childIndent) break;
    const key = indent === childIndent ? KEY_LINE.exec(line) : null;
    if (key) {
      finish();
      const name = key[2];
      const keyFrom = key[1].length;
      const valueFrom = key[0].length;
      current = {
        keyRange: lines.rangeOf(start + keyFrom, start + keyFrom + name.length),
        values: [],
        written: '',
      };
      currentIndent = indent;
      values = VALUES_OF.has(name);
      keepBody = name === WRITTEN_OF;
      if (!fields.has(name)) fields.set(name, current);
      const rest = line.slice(valueFrom);
      if ((values || keepBody) && rest.trim() !== '' && !rest.trimStart().startsWith('#')) {
        if (keepBody) current.written = stripComment(rest).trim();
        if (values) current.values.push(...inlineValues(lines, start, line, valueFrom));
      }
      continue;
    }
    if (!current) continue;
    if (keepBody) body.push(line);
    if (!values) continue;
    const item = indent >= currentIndent ? ITEM_LINE.exec(line) : null;
    if (item) current.values.push(...inlineValues(lines, start, line, item[0].length));
  }
  finish();
  return fields;
}

/** `# comment` at the end of a plain value (a `#` after a space, outside quotes). */
function stripComment(s: string): string {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /[ \t]/.test(s[i - 1]))) return s.slice(0, i);
  }
  return s;
}

/** The scalar or flow-list items written from column `from` of a line. */
function inlineValues(lines: LineIndex, lineStart: number, line: string, from: number): Written[] {
  const rest = stripComment(line.slice(from));
  const trimmed = rest.trimEnd();
  const lead = rest.length - rest.trimStart().length;
  const begin = from + lead;
  const end = from + trimmed.length;
  if (begin >= end) return [];
  if (line[begin] === '[' && line[end - 1] === ']') {
    const out: Written[] = [];
    let itemFrom = begin + 1;
    let quote = '';
    for (let i = begin + 1; i <= end - 1; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === ',' || i === end - 1) {
        const w = written(lines, lineStart, line, itemFrom, i);
        if (w) out.push(w);
        itemFrom = i + 1;
      }
    }
    return out;
  }
  const w = written(lines, lineStart, line, begin, end);
  return w ? [w] : [];
}

/** One scalar between columns `from` and `to`: trimmed, quotes removed. */
function written(
  lines: LineIndex,
  lineStart: number,
  line: string,
  from: number,
  to: number,
): Written | undefined {
  while (from < to && /[ \t]/.test(line[from])) from++;
  while (to > from && /[ \t]/.test(line[to - 1])) to--;
  if (to - from >= 2 && (line[from] === '"' || line[from] === "'") && line[to - 1] === line[from]) {
    from++;
    to--;
  }
  if (from >= to) return undefined;
  return { text: line.slice(from, to).trim(), range: lines.rangeOf(lineStart + from, lineStart + to) };
}
