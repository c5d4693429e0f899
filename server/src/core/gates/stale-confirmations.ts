import type { WorkspaceIndex } from '../index';
import { FileFilter } from '../load';
import { LineIndex } from '../text';
import type { Finding, Severity } from '../types';
import { confirmationEntries, type IncompleteConfirmation, incompleteConfirmations } from './confirmations';
import { confirmationFile, confirmationKey, type GateFileEntry } from './store';

/**
 * `stale-confirmation`: the entries of a workspace folder's confirmations file that confirm
 * nothing, each reported once on its first line. An entry is matched as the gate checks
 * match it (`confirmationKey`: the path in any case, `./` and `\` allowed, the item's text
 * trimmed). It is stale when its gate file is read and has no manual item of that text, or
 * names no gate file at all: a path outside the folder, or one the folder's listing would
 * have found but did not. An entry whose gate file cannot be read (an `invalid-gate-file`)
 * or lies in a folder the listing does not enter (`cdp.files.exclude`, dot-folders) is
 * not judged: what it confirms is unknown. With `detail`, a fix removes the entry's lines.
 * An entry without a `file` or an `item` (or no mapping at all) confirms nothing either: it
 * is reported saying which it lacks, and which key written in its place was meant
 * (`path:` for `file:`), with a fix writing that key.
 */
export function staleConfirmations(
  index: WorkspaceIndex,
  folder: string,
  severity: Severity,
  detail: boolean,
): Finding[] {
  const file = index.gates.confirmationsFile(folder);
  if (!file) return [];
  const entries = confirmationEntries(file.text);
  const incomplete = incompleteConfirmations(file.text);
  if (entries.length === 0 && incomplete.length === 0) return [];
  const gates = new Map<string, GateFileEntry>();
  const live = new Set<string>();
  /** Items of that text that are checked, not confirmed (a check, an evidence path). */
  const checked = new Set<string>();
  for (const g of index.gates.all()) {
    if (g.folder !== folder) continue;
    gates.set(g.rel.toLowerCase(), g);
    for (const group of g.parsed.groups)
      for (const item of group.items)
        (item.kind === 'manual' ? live : checked).add(confirmationKey(g.rel, item.text));
  }
  let filter: FileFilter | undefined;
  const notEntered = (rel: string): boolean => {
    filter ??= new FileFilter(index.config);
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1))
      if (filter.skipDirectory(rel.slice(0, i))) return true;
    return false;
  };
  const lines = new LineIndex(file.text);
  const out: Finding[] = [];
  entries.forEach((e, k) => {
    if (live.has(confirmationKey(e.file, e.item))) return;
    const rel = confirmationFile(e.file);
    let why: string;
    if (rel === undefined) why = `${e.file.trim()} lies outside the workspace folder`;
    else {
      const g = gates.get(rel);
      if (g?.parsed.error) return;
      if (g)
        why = checked.has(confirmationKey(e.file, e.item))
          ? `its item in ${g.rel} is checked by the checker (its check or evidence), not confirmed by hand`
          : `${g.rel} has no manual item "${e.item.trim()}" (renamed or removed?)`;
      else if (notEntered(rel)) return;
      else why = `${e.file.trim()} is not a gate file of the workspace folder (moved or deleted?)`;
    }
    const start = lines.positionAt(e.from);
    const finding: Finding = {
      code: 'stale-confirmation',
      severity,
      uri: file.uri,
      message: `This confirmation of "${e.item.trim()}" confirms nothing: ${why}.`,
      range: {
        start,
        end: { line: start.line, character: lines.lineEnd(start.line) - lines.starts[start.line] },
      },
    };
    if (detail)
      finding.fixes = [
        {
          kind: 'withdraw',
          title: `Remove the confirmation of "${e.item.trim()}"`,
          uri: file.uri,
          entry: k,
          preferred: true,
        },
      ];
    out.push(finding);
  });
  for (const e of incomplete) {
    const start = lines.positionAt(e.from);
    const finding: Finding = {
      code: 'stale-confirmation',
      severity,
      uri: file.uri,
      message: `${e.item === undefined ? 'This entry' : `This confirmation of "${e.item.trim()}"`} confirms nothing: ${incompleteReason(e)}`,
      range: {
        start,
        end: { line: start.line, character: lines.lineEnd(start.line) - lines.starts[start.line] },
      },
    };
    // A key written in place of one meant, its value text as that key reads it: write the key.
    const fixable = e.misses.filter((m) => m.text && file.text.slice(m.from, m.to) === m.key);
    if (detail && fixable.length > 0)
      finding.fixes = fixable.map((m) => ({
        kind: 'edit',
        title: `Write \`${m.meant}:\` in place of \`${m.key}:\``,
        uri: file.uri,
        edits: [{ range: lines.rangeOf(m.from, m.to), newText: m.meant }],
        preferred: true,
      }));
    out.push(finding);
  }
  if (incomplete.length > 0 && entries.length > 0)
    out.sort((a, b) => a.range.start.line - b.range.start.line);
  return out;
}

/**
 * Why an entry without a `file` or an `item` confirms nothing: what it lacks, and the keys
 * written in their place that are never read, with the key meant.
 */
function incompleteReason(e: IncompleteConfirmation): string {
  if (!e.mapping)
    return "it is not a mapping with `file:` (the gate file) and `item:` (the manual item's text).";
  const lacking = e.missing.filter((k) => !e.notText.includes(k));
  const parts: string[] = [];
  if (lacking.length > 0) parts.push(`it has no ${lacking.map((k) => `\`${k}:\``).join(' and no ')}`);
  for (const k of e.notText) parts.push(`its \`${k}:\` holds no text`);
  const said = `${parts.join(', and ')}.`;
  const hints = e.misses.map((m) => ` \`${m.key}:\` is not read: did you mean \`${m.meant}:\`?`);
  return said + hints.join('');
}
