/**
 * The one place gate checks run a regular expression written in a gate file
 * (`grep_present` / `grep_absent`). Bounded so that a hostile pattern cannot hang the
 * server or the command: the pattern's length and the text searched are capped, and
 * patterns whose shape can take exponential time on the built-in engine (a quantified
 * group holding a quantifier, back-references) are refused rather than run.
 */

export const MAX_PATTERN_LENGTH = 500;
/** Characters of each file searched. */
export const MAX_SEARCH_CHARS = 512 * 1024;

export type SearchResult = { matched: boolean } | { error: string };

const compiled = new Map<string, RegExp | string>();

export function compileSearch(pattern: string): RegExp | string {
  let r = compiled.get(pattern);
  if (r !== undefined) return r;
  r = compile(pattern);
  if (compiled.size > 1000) compiled.clear();
  compiled.set(pattern, r);
  return r;
}

function compile(pattern: string): RegExp | string {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'back-references are not supported in gate patterns';
  if (nestedQuantifier(pattern))
    return 'the pattern repeats a group that itself repeats (it could run for ever)';
  try {
    return new RegExp(pattern, 'mu');
  } catch {
    try {
      return new RegExp(pattern, 'm');
    } catch (e) {
      return `not a valid regular expression (${e instanceof Error ? e.message : String(e)})`;
    }
  }
}

/** Whether a group containing a quantifier is itself quantified: `(a+)+`, `(a|aa)*`, `(.*a){20}`. */
function nestedQuantifier(p: string): boolean {
  const stack: { quantified: boolean; alternation: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ quantified: false, alternation: false });
    else if (c === '|') {
      if (stack.length > 0) stack[stack.length - 1].alternation = true;
    } else if (c === ')') {
      const g = stack.pop();
      const next = p[i + 1];
      const quantifiedAfter = next === '*' || next === '+' || next === '{' || next === '?';
      const repeats = next === '*' || next === '+' || next === '{';
      if (g && repeats && (g.quantified || g.alternation)) return true;
      if (g && (g.quantified || quantifiedAfter) && stack.length > 0)
        stack[stack.length - 1].quantified = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length > 0)
      stack[stack.length - 1].quantified = true;
  }
  return false;
}

/** Whether `pattern` matches somewhere in `text` (the first MAX_SEARCH_CHARS characters). */
export function searchText(pattern: string, text: string): SearchResult {
  const r = compileSearch(pattern);
  if (typeof r === 'string') return { error: r };
  r.lastIndex = 0;
  return { matched: r.test(text.length > MAX_SEARCH_CHARS ? text.slice(0, MAX_SEARCH_CHARS) : text) };
}
