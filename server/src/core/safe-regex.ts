/**
 * Regular expressions written by users or repositories (settings, and any pattern a
 * workspace file supplies) run here, in RE2 (the `re2js` port): matching time is linear
 * in the input, so `^(a+)+$` against a long heading cannot hang the checker the way a
 * backtracking engine does. RE2 has no look-around and no back-references; such a
 * pattern, a syntax error, or one too large is refused with a message saying why, and
 * the caller keeps its default.
 */
import { RE2JS } from 're2js';

/** A compiled pattern: the subset of `RegExp` the checker uses. */
export interface SafeRegex {
  readonly source: string;
  /** Whether the pattern matches somewhere in `s`. */
  test(s: string): boolean;
  /** The first match: the whole match, then each group (undefined when it did not take part); or null. */
  exec(s: string): (string | undefined)[] | null;
  /**
   * `test` within a budget of steps (see `SearchBudget`): 'too-costly', without running
   * it, when the engine would have to take more steps than are left.
   */
  testWithin?(s: string, budget: SearchBudget): boolean | 'too-costly';
}

/**
 * Steps a search may still take. The engine first runs a DFA it builds as it reads (a
 * few steps per character), and falls back to simulating the program (one step per
 * instruction per character, about 45 ns each) when the DFA needs more states than its
 * memory allows: `\p{L}{1000}\p{L}{1000}\d` over 500 KB of letters took 34 s that way.
 * The fallback is what the budget pays for: program size × characters, before it starts.
 */
export interface SearchBudget {
  steps: number;
}

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/** Longest pattern accepted (characters). */
export const MAX_PATTERN_LENGTH = 1000;
/** Largest compiled program accepted (RE2 instructions); matching costs input length × this. */
export const MAX_PROGRAM_SIZE = 10_000;

/**
 * Compiles a user's pattern, JavaScript syntax (named groups `(?<n>…)`, `\u00e9` are
 * translated), case-insensitive unless `ignoreCase: false`; `multiline: true` makes `^`/`$`
 * match at line breaks. Never throws.
 */
export function compileSafeRegex(
  source: string,
  options: { ignoreCase?: boolean; multiline?: boolean } = {},
): CompiledRegex {
  if (typeof source !== 'string') return { ok: false, error: 'expected a regular expression (a string)' };
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, error: `longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(
      RE2JS.translateRegExp(source),
      (options.ignoreCase === false ? 0 : RE2JS.CASE_INSENSITIVE) | (options.multiline ? RE2JS.MULTILINE : 0),
    );
  } catch (e) {
    // The engine quotes the pattern with the flags it was given written in front
    // (`(?m)(?i)…`): the message quotes what the user wrote.
    const flags = `${options.multiline ? '(?m)' : ''}${options.ignoreCase === false ? '' : '(?i)'}`;
    const why = (e instanceof Error ? e.message : String(e))
      .replace(/^error parsing regexp: /, '')
      .replace(`\`${flags}`, '`');
    const unsupported = /Perl syntax|escape sequence|named capture/.test(why)
      ? ' (patterns run in a linear-time engine: no look-ahead, look-behind or back-references)'
      : '';
    // The engine reads `(?<=` as a named group gone wrong and `\1` as a bad escape: the
    // construct is named as the user knows it.
    const construct = unsupported ? unsupportedConstruct(source) : undefined;
    return {
      ok: false,
      error: `not a valid regular expression: ${construct ? `${construct} is not supported` : why}${unsupported}`,
    };
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    return { ok: false, error: `too complex (more than ${MAX_PROGRAM_SIZE} steps per character)` };
  }
  return {
    ok: true,
    regex: {
      source,
      test: (s) => re.test(s),
      testWithin: boundedTest(re),
      exec: (s) => {
        const m = re.matcher(s);
        if (!m.find()) return null;
        const out: (string | undefined)[] = [];
        for (let g = 0; g <= m.groupCount(); g++) out.push(m.group(g) ?? undefined);
        return out;
      },
    },
  };
}

const TOO_COSTLY = new Error('too costly');

/**
 * A `test` that pays the engine's slow path from a budget. The engine (re2js) runs a
 * search in its `doExecuteNFA` when its DFA gave up (or captures are asked for, which
 * `test` never does): that method of the compiled instance is wrapped, so the cost is
 * known, and refused, before the simulation starts; whatever the DFA answers is free.
 * Should the engine not have that method, every search pays as if it fell back.
 */
function boundedTest(re: RE2JS): (s: string, budget: SearchBudget) => boolean | 'too-costly' {
  const size = re.programSize();
  let current: { budget: SearchBudget; chars: number } | undefined;
  const charge = () => {
    if (current === undefined) return;
    const cost = size * current.chars;
    if (cost > current.budget.steps) throw TOO_COSTLY;
    current.budget.steps -= cost;
    // Charged once per search, however many times the engine enters its slow path.
    current = undefined;
  };
  const inner = (re as unknown as { re2Input?: { doExecuteNFA?: (...args: unknown[]) => unknown } }).re2Input;
  const slowPath = inner?.doExecuteNFA;
  const guarded = inner !== undefined && typeof slowPath === 'function';
  if (guarded) {
    inner.doExecuteNFA = function (this: unknown, ...args: unknown[]) {
      charge();
      return slowPath.apply(this, args);
    };
  }
  return (s, budget) => {
    current = { budget, chars: s.length };
    try {
      if (!guarded) charge();
      return re.test(s);
    } catch (e) {
      if (e === TOO_COSTLY) return 'too-costly';
      throw e;
    } finally {
      current = undefined;
    }
  };
}

/**
 * The first look-around or back-reference of a pattern (outside character classes), as
 * `look-behind \`(?<=\``; undefined when it has none.
 */
function unsupportedConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (!inClass && n >= '1' && n <= '9') return `back-reference \`\\${n}\``;
      if (!inClass && n === 'k' && source[i + 2] === '<') return 'back-reference `\\k<`';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      // `[]…]` and `[^]…]`: a `]` first in a class is one of its characters.
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (c === '(' && source[i + 1] === '?') {
      const two = source.slice(i + 2, i + 4);
      if (two === '<=' || two === '<!') return `look-behind \`(?${two}\``;
      if (two[0] === '=' || two[0] === '!') return `look-ahead \`(?${two[0]}\``;
    }
  }
  return undefined;
}

/**
 * A built-in pattern (one the product ships, known to run in linear time on the
 * backtracking engine), on the native engine, which is several times faster.
 * Never use it for text from settings or workspace files.
 */
export function builtInRegex(source: string): SafeRegex {
  const re = new RegExp(source, 'iu');
  return {
    source,
    test: (s) => re.test(s),
    exec: (s) => {
      const m = re.exec(s);
      return m ? [...m] : null;
    },
  };
}
