import { TextDocument, type TextEdit } from 'vscode-languageserver-textdocument';

const BOM = '\uFEFF';

/**
 * The text of a file with these edits applied. Positions are those the server computes:
 * lines broken at `\n`, `\r\n` and a lone `\r`, the byte order mark not counted (and kept
 * in the result).
 */
export function applyFileEdits(text: string, edits: readonly TextEdit[]): string {
  const bom = text.startsWith(BOM) ? BOM : '';
  const doc = TextDocument.create('file:///edited', 'markdown', 0, text.slice(bom.length));
  return bom + TextDocument.applyEdits(doc, [...edits]);
}
