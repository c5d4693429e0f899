/**
 * Text as XML 1.0 character data or attribute value: markup characters as entities, and
 * characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
 * as U+FFFD. In attributes, tab and line breaks are written as character references so
 * that attribute normalisation keeps them.
 */
export function xmlEscape(s: string, attribute = false): string {
  return s.replace(
    /[&<>"'\t\n\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => {
      switch (c) {
        case '&':
          return '&amp;';
        case '<':
          return '&lt;';
        case '>':
          return '&gt;';
        case '"':
          return attribute ? '&quot;' : c;
        case "'":
          return attribute ? '&apos;' : c;
        case '\t':
          return attribute ? '&#9;' : c;
        case '\n':
          return attribute ? '&#10;' : c;
        case '\r':
          return '&#13;';
        default:
          return '\uFFFD';
      }
    },
  );
}

/** An element with attributes (undefined ones left out) and optional inner XML. */
export function element(
  name: string,
  attrs: Record<string, string | number | undefined>,
  inner?: string,
): string {
  let s = `<${name}`;
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined) s += ` ${k}="${xmlEscape(String(v), true)}"`;
  return inner === undefined ? `${s}/>` : `${s}>${inner}</${name}>`;
}
