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
  r = c.ok ? c.regex : c.error;
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
