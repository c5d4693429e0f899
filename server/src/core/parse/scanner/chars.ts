// Character codes and classes the scanner reads text with (ASCII, as CommonMark defines them).

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const BANG = 33;
export const DQUOTE = 34;
export const HASH = 35;
export const SQUOTE = 39;
export const LPAREN = 40;
export const STAR = 42;
export const PLUS = 43;
export const DASH = 45;
export const DOT = 46;
export const SLASH = 47;
export const COLON = 58;
export const LT = 60;
export const EQ = 61;
export const GT = 62;
export const QUESTION = 63;
export const LBRACKET = 91;
export const BACKSLASH = 92;
export const RBRACKET = 93;
export const UNDERSCORE = 95;
export const BACKTICK = 96;
export const PIPE = 124;
export const TILDE = 126;
export const RPAREN = 41;

export function isSpaceOrTab(c: number): boolean {
  return c === SPACE || c === TAB;
}

export function isAsciiAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiAlnum(c: number): boolean {
  return isAsciiAlpha(c) || isDigit(c);
}

/** A printable ASCII character other than space (none that `trim` removes; NaN, past the end: no). */
export function isPrintableAscii(c: number): boolean {
  return c > 32 && c < 127;
}

export function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}
