import picomatch from 'picomatch';

/** Line terminators, which a glob's `**` (compiled to `.`) does not match. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const LINE_BREAKS = /[\n\r\u2028\u2029]/g;

/**
 * A matcher of `patterns` (picomatch's syntax and options) that also matches paths
 * holding a line break in a file or folder name, as a glob means to: picomatch's `**`
 * stops at one, so every document of a folder named `a\nb` fell outside `**\/*.md`. A
 * pattern cannot name a line break itself, so the path is matched with a space in its place.
 */
export function globMatcher(
  patterns: string | readonly string[],
  options: picomatch.PicomatchOptions,
): (path: string) => boolean {
  // A pattern too long for picomatch (over 64 K characters) or for the regular expression
  // it compiles to (V8 refuses "too large" ones, on first use) matches nothing: a gate
  // file's path from a repository must not end the check.
  let m: (path: string) => boolean;
  try {
    m = picomatch(patterns as string | string[], options);
  } catch {
    return () => false;
  }
  return (p) => {
    try {
      return m(LINE_BREAK.test(p) ? p.replace(LINE_BREAKS, ' ') : p);
    } catch {
      return false;
    }
  };
}
