/**
 * The one guarded way into the `yaml` parser, for document metadata and any YAML file
 * the checker reads. The parser recurses once per nesting level: YAML nested 20,000
 * deep (`[[[[…]]]]`, `{a: {a: …}}`) or 1,000 deep in block style overflows the stack
 * and can abort the process outright, which no `try` catches. So the text is first
 * measured by a linear scan that never recurses, and refused when it is too big or
 * nested too deep; aliases are expanded only up to a count (the "billion laughs").
 */
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  parseDocument,
  type YAMLParseError,
} from 'yaml';

export interface YamlLimits {
  /** Characters of YAML text. */
  maxChars: number;
  /** Nesting levels: block indentation levels, compact `- ` entries and flow brackets together. */
  maxDepth: number;
  /** Alias expansions while building the value. */
  maxAliasCount: number;
}

export const YAML_LIMITS: Readonly<YamlLimits> = { maxChars: 1024 * 1024, maxDepth: 100, maxAliasCount: 100 };

/**
 * `text` with each lone carriage return (a classic Mac line break) made a line feed, which
 * is the only break the YAML readers know besides CRLF; every offset stays the same.
 * Markdown already counts a lone CR as a line break, so lines agree on both sides.
 */
export function yamlLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Why a YAML text is refused, and where (an offset into it). */
export interface YamlRefusal {
  message: string;
  offset: number;
}

/**
 * Checks a YAML text against the limits before it is parsed; undefined when it may be
 * parsed. Linear in the text and non-recursive. Depth is measured as open indentation
 * levels, plus compact `- `/`? ` entries on a line, plus open flow brackets; quoted
 * scalars, comments and block scalars (`|`, `>`) are skipped, and a bracket inside a
 * plain scalar is not counted. Real metadata is a few levels deep; the parser copes with
 * several times the limit, so what this lets through cannot overflow it.
 */
export function checkYamlLimits(
  src: string,
  limits: Readonly<YamlLimits> = YAML_LIMITS,
): YamlRefusal | undefined {
  if (src.length > limits.maxChars) {
    return {
      message: `the YAML is larger than ${Math.round(limits.maxChars / 1024)} KB (${Math.ceil(src.length / 1024)} KB).`,
      offset: limits.maxChars,
    };
  }
  const deep = (offset: number): YamlRefusal => ({
    message: `the YAML is nested more than ${limits.maxDepth} levels deep.`,
    offset,
  });
  const n = src.length;
  /** Indentation of the open block levels, strictly increasing. */
  const indents: number[] = [];
  let flow = 0;
  /** Lines indented deeper than this belong to a block scalar (`|`, `>`); -1: none. */
  let scalarIndent = -1;
  let i = 0;
  while (i < n) {
    // One line: [i, end).
    let end = src.indexOf('\n', i);
    if (end === -1) end = n;
    let p = i;
    while (p < end && src.charCodeAt(p) === 0x20) p++;
    const indent = p - i;
    const content = p < end && src[p] !== '\r' && src[p] !== '#';
    if (scalarIndent !== -1 && (!content || indent > scalarIndent) && flow === 0) {
      i = end + 1;
      continue;
    }
    scalarIndent = -1;
    if (content && flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      // Compact nesting on one line: `- - - x`, `? - x`.
      let compact = 0;
      while (p < end && (src[p] === '-' || src[p] === '?') && (p + 1 === end || /[ \t\r]/.test(src[p + 1]))) {
        compact++;
        p++;
        while (p < end && (src[p] === ' ' || src[p] === '\t')) p++;
      }
      if (indents.length + compact > limits.maxDepth) return deep(p);
    }
    // Flow brackets, quoted scalars and comments on the rest of the line (quotes may span lines).
    /** Last significant character before `p` on this line ('' at the start of its content). */
    let prev = '';
    for (; p < end; p++) {
      const c = src[p];
      if (c === '"' || c === "'") {
        if (prev !== '' && !' \t[{,:-?'.includes(prev)) {
          prev = c;
          continue;
        }
        // A quoted scalar: skip to its closing quote, across lines.
        let q = p + 1;
        for (; q < n; q++) {
          const d = src[q];
          if (c === '"' && d === '\\') q++;
          else if (d === c) {
            if (c === "'" && src[q + 1] === "'") q++;
            else break;
          }
        }
        if (q >= n) return undefined;
        p = q;
        if (q >= end) {
          // The line ends inside the scalar: carry on from the closing quote's line.
          end = src.indexOf('\n', q);
          if (end === -1) end = n;
        }
        prev = c;
        continue;
      }
      if (c === '#' && (prev === '' || prev === ' ' || prev === '\t')) break;
      if (c === '[' || c === '{') {
        // Outside brackets, only a value's first character opens a flow collection.
        if (flow > 0 || prev === '' || ((prev === ' ' || prev === '\t') && startsValue(src, i, p))) {
          flow++;
          if (indents.length + flow > limits.maxDepth) return deep(p);
        }
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (
        (c === '|' || c === '>') &&
        flow === 0 &&
        startsValue(src, i, p) &&
        /^[-+0-9]*[ \t]*(?:#.*)?\r?$/.test(src.slice(p + 1, Math.min(end, p + 200)))
      ) {
        scalarIndent = indent;
      }
      prev = c;
    }
    i = end + 1;
  }
  return undefined;
}

/** Whether the character at `p` starts a value: only spaces after `:`, `-`, `?` or the line's indentation. */
function startsValue(src: string, lineStart: number, p: number): boolean {
  let k = p - 1;
  while (k >= lineStart && (src[k] === ' ' || src[k] === '\t')) k--;
  return k < lineStart || src[k] === ':' || src[k] === '-' || src[k] === '?';
}

/**
 * `parse()` with the errors it makes built without stacks: the YAML parser's errors are
 * Error objects, cheap without one (a flow list of 28,000 `[[a]]` made as many, half the
 * time of reading it spent on their stacks). (`stackTraceLimit` is a V8 property: the
 * core is typed without Node's declarations.)
 */
export function withoutStacks<T>(parse: () => T): T {
  const v8Error = Error as { stackTraceLimit?: number };
  const stackLimit = v8Error.stackTraceLimit;
  v8Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    v8Error.stackTraceLimit = stackLimit;
  }
}

export type GuardedDocument =
  | { ok: true; doc: Document.Parsed }
  | { ok: false; error: string; offset: number };

/**
 * The parsed YAML document (with its own syntax errors and source ranges), or the
 * reason it was not parsed; never throws. Build values from it with
 * `doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount })`, inside a `try`.
 */
export function parseYamlDocument(
  src: string,
  limits: Readonly<YamlLimits> = YAML_LIMITS,
  /** The parser's line counter, for positions (gate files). */
  options: { lineCounter?: LineCounter } = {},
): GuardedDocument {
  const refused = checkYamlLimits(src, limits);
  if (refused) return { ok: false, error: refused.message, offset: refused.offset };
  try {
    // The parser's own check of unique keys compares each key with every key before it
    // (quadratic: 400 KB of keys took 11 s); a long text gets the same check in one pass.
    const long = src.length > UNIQUE_KEYS_IN_ONE_PASS;
    const doc = withoutStacks(() =>
      parseDocument(src, {
        logLevel: 'error',
        prettyErrors: false,
        uniqueKeys: !long,
        strict: true,
        ...options,
      }),
    );
    if (long) checkUniqueKeys(doc);
    return { ok: true, doc };
  } catch (e) {
    return { ok: false, error: firstLine(e instanceof Error ? e.message : String(e)), offset: 0 };
  }
}

export type YamlResult = { ok: true; value: unknown } | { ok: false; error: string; offset: number };

/**
 * Parses a YAML text to a plain value; never throws. Too big or too deep, a syntax
 * error, or too many aliases: an error message (its first line) and the offset it is at.
 */
export function parseYaml(src: string, limits: Readonly<YamlLimits> = YAML_LIMITS): YamlResult {
  const parsed = parseYamlDocument(src, limits);
  if (!parsed.ok) return parsed;
  const doc = parsed.doc;
  try {
    const e = doc.errors[0];
    if (e) return { ok: false, error: firstLine(e.message), offset: e.pos[0] };
    return { ok: true, value: doc.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (e) {
    // toJS throws when aliases expand beyond maxAliasCount; a stack overflow is caught here too.
    return { ok: false, error: firstLine(e instanceof Error ? e.message : String(e)), offset: 0 };
  }
}

export function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i === -1 ? s : s.slice(0, i)).trim();
}

/** Texts longer than this have their keys' uniqueness checked by `checkUniqueKeys`. */
const UNIQUE_KEYS_IN_ONE_PASS = 16 * 1024;

/**
 * Adds to `doc.errors` what the parser's `uniqueKeys` check adds, "Map keys must be
 * unique" on each key written again in its mapping (a scalar key by its value), in
 * linear time, and keeps the errors in text order.
 */
function checkUniqueKeys(doc: Document.Parsed): void {
  let added = false;
  // Every mapping and sequence of the tree, without recursion (aliases are not followed).
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) for (const item of node.items) stack.push(item);
    else if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const k = pair.key;
        stack.push(k, pair.value);
        if (!isScalar(k)) continue;
        if (seen.has(k.value)) {
          const at = k.range?.[0] ?? 0;
          // (as the parser writes it; built here, as the bundle loads only the parser's reading part)
          const error = {
            name: 'YAMLParseError',
            code: 'DUPLICATE_KEY',
            message: 'Map keys must be unique',
            pos: [at, at + 1],
          };
          doc.errors.push(error as unknown as YAMLParseError);
          added = true;
        } else seen.add(k.value);
      }
    }
  }
  if (added) doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}
