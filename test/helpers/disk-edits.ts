import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

/** The position of the `at`-th character of the `skip`-th (0-based) `needle` in `text`. */
export function posOf(text: string, needle: string, at = 0, skip = 0): Position {
  let i = -1;
  for (let k = 0; k <= skip; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i !== -1, `${JSON.stringify(needle)} in text`);
  }
  const before = text.slice(0, i + at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function offsetAt(text: string, p: Position): number {
  const lines = text.split('\n');
  let o = 0;
  for (let l = 0; l < p.line; l++) o += lines[l].length + 1;
  return o + p.character;
}

/** `text` with `edits` applied (positions of the text before any edit, `\n` line breaks). */
export function applyText(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
  }
  return text;
}

/**
 * Applies a WorkspaceEdit to the files on disk the way an editor applies it to closed
 * documents: text edits to the file as it is, renames that never overwrite. `open`
 * maps URIs of documents the editor has open to their version (their edits must carry
 * it); every other edit must carry version null.
 */
export function applyToDisk(edit: WorkspaceEdit, open: Record<string, number> = {}): void {
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'rename', `unexpected ${change.kind}`);
      if (change.kind !== 'rename') continue;
      const to = fileURLToPath(change.newUri);
      assert.ok(!existsSync(to), `${to} does not exist yet`);
      renameSync(fileURLToPath(change.oldUri), to);
      continue;
    }
    assert.equal(change.textDocument.version, open[change.textDocument.uri] ?? null);
    const path = fileURLToPath(change.textDocument.uri);
    writeFileSync(path, applyText(readFileSync(path, 'utf8'), change.edits as TextEdit[]));
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const path = fileURLToPath(uri);
    writeFileSync(path, applyText(readFileSync(path, 'utf8'), edits));
  }
}

/** The message of a refused request; fails when the request was answered. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  let answer: unknown;
  try {
    answer = await p;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`the request was not refused; it answered ${JSON.stringify(answer)}`);
}
