import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';

/**
 * Parses JSON with comments and trailing commas, as VS Code's settings.json allows.
 * Throws on a syntax error, naming the first one and its offset.
 */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0];
    throw new Error(`${printParseErrorCode(e.error)} at offset ${e.offset}`);
  }
  return value;
}
