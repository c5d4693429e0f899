/**
 * The one place gate checks run a regular expression written in a gate file
 * (`grep_present` / `grep_absent`). Patterns run in the linear-time engine of
 * `../safe-regex` (case-sensitive, `^`/`$` at line breaks: LF, CRLF or CR), so a hostile pattern cannot
 * hang the server or the command; the text searched is capped as well.
 */
import { own } from '../parse/compact';
import { compileSafeRegex, type SafeRegex, type SearchBudget } from '../safe-regex';

/** Characters of each file searched. */
export const MAX_SEARCH_CHARS = 512 * 1024;

/**
 * Steps one check may take in the engine's slow path (`SearchBudget`), over all the files
 * it searches: about a second.
 */
export const MAX_SEARCH_STEPS = 20_000_000;

/**
 * The part of a text grep checks search: all of it up to MAX_SEARCH_CHARS characters;
 * of a longer one, its first MAX_SEARCH_CHARS characters up to the last line break in
 * them, so that its last line is whole (a match there is followed by the line break, and
 * answers: see `searchText`); with no line break in them, all of them (not half a
 * surrogate pair).
 */
function partSearched(text: string): string {
  if (text.length <= MAX_SEARCH_CHARS) return text;
  const lf = text.lastIndexOf('\n', MAX_SEARCH_CHARS - 1);
  if (lf !== -1) return text.slice(0, lf + 1);
  let end = MAX_SEARCH_CHARS;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * What is kept of a file's text for grep checks: the part they search (`partSearched`),
 * however large the file (a copy, so that the whole text read is not kept alive by its
 * slice).
 */
export function grepText(text: string): string {
  return text.length <= MAX_SEARCH_CHARS ? text : own(partSearched(text));
}

/** A budget for one check. */
export function searchBudget(): SearchBudget {
  return { steps: MAX_SEARCH_STEPS };
}

/**
 * tooCostly: the search would take more steps than the budget has left; it was not run.
 * partial: the pattern was not found in the part searched of a text longer than
 * MAX_SEARCH_CHARS, or only at its very end, so whether the whole text holds it is not known.
 */
export type SearchResult = { matched: boolean; partial?: true } | { error: string } | { tooCostly: true };

/** Whether a text is longer than the part of it grep checks search. */
export function isCut(text: string): boolean {
  return text.length > MAX_SEARCH_CHARS;
}

/** How the messages name MAX_SEARCH_CHARS (characters, not bytes: an `é` is one). */
export const SEARCHED_SIZE = `${MAX_SEARCH_CHARS / 1024} K characters`;

const compiled = new Map<string, SafeRegex | string>();

/**
 * Whether a pattern looks for the carriage return itself (outside a negated class:
 * `[^\r\n]+$` only keeps it out of a line, the portable way to write one).
 */
function namesCr(pattern: string): boolean {
  return NAMES_CR.test(pattern.replace(/\[\^(?:\\.|[^\]\\])*\]/g, ''));
}

/** Whether a pattern names the line feed (`\n`, `\s` or the character itself), outside a negated class. */
function namesLf(pattern: string): boolean {
  return /\\n|\n|\\s|\\x0?[aA](?![\da-fA-F])|\\u000[aA]|\\0?12(?!\d)|\[\^/.test(pattern);
}

/** A pattern naming the carriage return: `\r`, the character itself, `\x0D`, `\x{D}`, `\u000D`, `\015`. */
const NAMES_CR = /\\r|\r|\\x0?[dD](?![\da-fA-F])|\\x\{0*[dD]\}|\\u000[dD]|\\0?15(?!\d)/;

export function compileSearch(pattern: string): SafeRegex | string {
  let r = compiled.get(pattern);
  if (r !== undefined) return r;
  const c = compileSafeRegex(pattern, { ignoreCase: false, multiline: true });
  r = c.ok ? (literalSearch(pattern, c.regex) ?? c.regex) : c.error;
  if (compiled.size > 1000) compiled.clear();
  compiled.set(pattern, r);
  return r;
}

/**
 * Whether `pattern` matches somewhere in `text` (its part searched, `partSearched`),
 * the steps it takes paid from `budget` (one for each check).
 */
export function searchText(
  pattern: string,
  text: string,
  budget: SearchBudget = searchBudget(),
  /** `text` is already the part searched of a longer text (what is kept of it: `grepText`). */
  kept = false,
): SearchResult {
  const r = compileSearch(pattern);
  if (typeof r === 'string') return { error: r };
  const cut = kept || isCut(text);
  const part = partSearched(text);
  let searched = part;
  // `^`/`$` at every line break, as the documents are read: RE2's multi-line mode knows
  // only the line feed (`^## Goals$` found no heading of a file written with CRLF). A
  // pattern that looks for the carriage return itself (a guard against CRLF) searches
  // the text as it is.
  if (searched.includes('\r') && !namesCr(pattern)) searched = searched.replace(/\r\n?/g, '\n');
  const run = (re: SafeRegex, t: string) =>
    re.testWithin === undefined ? re.test(t) : re.testWithin(t, budget);
  if (!cut) {
    // The line break that ends the last line starts no line after it, as for grep (`^$`,
    // no blank line, matched every file that ends with one), unless the pattern looks for it.
    if (searched.endsWith('\n') && !namesLf(pattern)) searched = searched.slice(0, -1);
    const m = run(r, searched);
    return m === 'too-costly' ? { tooCostly: true } : { matched: m };
  }
  // The first part of a longer text: only a match that ends before the part does stands,
  // since every assertion of the engine (`$`, `\b`, `\z`) looks one character ahead, and
  // there that character is the text's own. At the very end of the part it would be
  // answered as the end of the text, which goes on (`END\z`, `(?-m)END$`, `ERROR\b` at a
  // cut inside a line, `\n(?:\S|\z)` after the part's last line break). Whatever the
  // pattern, one character more after its match says so. A plain text needs none.
  const within = r.testWithin === undefined ? r : compileSearch(`(?:${pattern})[\\s\\S]`);
  if (typeof within === 'string') return { matched: false, partial: true };
  const m = run(within, searched);
  if (m === 'too-costly') return { tooCostly: true };
  // Not found there: what lies further on was not seen.
  return m ? { matched: true } : { matched: false, partial: true };
}

/**
 * `searchText`'s answer when it costs no steps of a check's budget, whatever the text:
 * a plain-text pattern (`literalSearch`) or one that does not compile. Undefined for
 * a pattern the engine runs, whose answer depends on what a check has left to pay.
 */
export function freeSearch(pattern: string, text: string): SearchResult | undefined {
  const r = compileSearch(pattern);
  if (typeof r !== 'string' && r.testWithin !== undefined) return undefined;
  return searchText(pattern, text);
}

/**
 * Each pattern's answer in `text`, when every one of them costs nothing (`freeSearch`):
 * what a file's grep checks need of it, kept instead of its text.
 */
export function freeAnswers(
  text: string,
  patterns: ReadonlySet<string>,
): Map<string, SearchResult> | undefined {
  const out = new Map<string, SearchResult>();
  for (const p of patterns) {
    const r = freeSearch(p, text);
    if (r === undefined) return undefined;
    out.set(p, 'matched' in r ? (r.matched ? FOUND : r.partial ? NOT_FOUND_IN_PART : NOT_FOUND) : r);
  }
  return out;
}

const FOUND: SearchResult = Object.freeze({ matched: true });
const NOT_FOUND: SearchResult = Object.freeze({ matched: false });
const NOT_FOUND_IN_PART: SearchResult = Object.freeze({ matched: false, partial: true });

/** The last search of each pattern in each file: the text searched, the answer and the steps it paid. */
const kept_ = new Map<
  string,
  { text: string; kept: boolean; result: SearchResult & { matched: boolean }; steps: number }
>();
/**
 * Whether `searchFile` keeps its searches: for a process that evaluates gates again (the
 * language server, at each edit). A check run once (`cdp check`) gains nothing from it,
 * and the texts it would keep are memory the check no longer needs.
 */
let keeping = false;

/** Makes `searchFile` keep its searches (`on`), or forget them and stop keeping. */
export function keepSearches(on: boolean): void {
  keeping = on;
  if (!on) kept_.clear();
}

/**
 * `searchText` of a file (`file` names it, for the lookup only), answered again without
 * searching while the pattern and the file's text are those of its last search: a gate
 * evaluated again after an edit elsewhere searches nothing again. The steps the search
 * paid are paid again, so the check answers as it would searching.
 */
export function searchFile(
  pattern: string,
  file: string,
  text: string,
  budget: SearchBudget,
  /** `text` is the part kept of a longer text (see `searchText`). */
  kept = false,
): SearchResult {
  if (!keeping) return searchText(pattern, text, budget, kept);
  const key = `${pattern}\u0000${file}`;
  const last = kept_.get(key);
  if (last !== undefined && last.text === text && last.kept === kept) {
    if (last.steps > budget.steps) return { tooCostly: true };
    budget.steps -= last.steps;
    return last.result;
  }
  const before = budget.steps;
  const r = searchText(pattern, text, budget, kept);
  if ('matched' in r) {
    if (kept_.size >= 10_000) kept_.clear();
    kept_.set(key, { text, kept, result: r, steps: before - budget.steps });
  } else kept_.delete(key);
  return r;
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
