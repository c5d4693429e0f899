/**
 * The one place gate checks run a regular expression written in a gate file
 * (`grep_present` / `grep_absent`). Patterns run in the linear-time engine of
 * `../safe-regex` (case-sensitive, `^`/`$` at line breaks), so a hostile pattern cannot
 * hang the server or the command; the text searched is capped as well.
 */
import { compileSafeRegex, type SafeRegex } from '../safe-regex';

/** Characters of each file searched. */
export const MAX_SEARCH_CHARS = 512 * 1024;

export type SearchResult = { matched: boolean } | { error: string };

const compiled = new Map<string, SafeRegex | string>();

export function compileSearch(pattern: string): SafeRegex | string {
  let r = compiled.get(pattern);
  if (r !== undefined) return r;
  const c = compileSafeRegex(pattern, { ignoreCase: false, multiline: true });
  r = c.ok ? (literalSearch(pattern, c.regex) ?? c.regex) : c.error;
  if (compiled.size > 1000) compiled.clear();
  compiled.set(pattern, r);
  return r;
}

/** Whether `pattern` matches somewhere in `text` (the first MAX_SEARCH_CHARS characters). */
export function searchText(pattern: string, text: string): SearchResult {
  const r = compileSearch(pattern);
  if (typeof r === 'string') return { error: r };
  return { matched: r.test(text.length > MAX_SEARCH_CHARS ? text.slice(0, MAX_SEARCH_CHARS) : text) };
}

/** Punctuation a pattern may escape to mean the character itself (in JavaScript and RE2 alike). */
const ESCAPED_LITERAL = new Set('\\^$.|?*+()[]{}/-');
/** Characters that are not themselves in a pattern. */
const SPECIAL = new Set('\\^$.|?*+()[]{}');

/**
 * A pattern that is plain text (`\[TBD\]`), or plain text at the start of a line
 * (`^## `), searched with `indexOf` instead of the regular expression engine: the same
 * answer (case-sensitive; `^` at the start or after a line feed, as RE2's multi-line mode
 * reads it), without running the engine over every file. Undefined for anything else.
 */
function literalSearch(pattern: string, engine: SafeRegex): SafeRegex | undefined {
  const atLineStart = pattern.startsWith('^');
  let text = '';
  for (let i = atLineStart ? 1 : 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const code = pattern.charCodeAt(i);
    // Surrogates and the replacement character: how the engine reads code points matters.
    if ((code >= 0xd800 && code <= 0xdfff) || code === 0xfffd) return undefined;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !ESCAPED_LITERAL.has(next)) return undefined;
      text += next;
      i++;
    } else if (SPECIAL.has(ch)) return undefined;
    else text += ch;
  }
  if (text === '') return undefined;
  const afterLineFeed = `\n${text}`;
  const test = atLineStart
    ? (s: string) => s.startsWith(text) || s.includes(afterLineFeed)
    : (s: string) => s.includes(text);
  return { source: pattern, test, exec: engine.exec };
}
