import type { DocEntry } from '../index';
import { inTemplateFolder } from '../resolve';
import type { Fix, IdRef, Range } from '../types';
import type { Rule, RuleContext } from './rule';

/**
 * A `depends_on` entry, or a `superseded_by` or `supersedes` value, that names no id known
 * in the workspace folder (outside definitions: none of a definition's).
 */
export const missingDependency: Rule = {
  id: 'missing-dependency',
  check(analysis, entry, report) {
    const d = entry.doc.ddx;
    // A workspace template's entries (`templates/feature.md`, or `template: true` outside
    // the definitions) stand for the ids its copies will name.
    if (!d || inTemplateFolder(entry.dir) || analysis.index.ids.isLooseTemplate(entry)) return;
    const deps = d.dependsOn;
    if (deps.length > 0)
      for (const i of analysis.index.ids.missingDependencies(entry)) {
        const dep = deps[i];
        report({
          message: `depends_on "${dep.id}"${why(analysis, entry, dep.id, 'depends_on')}`,
          range: dep.range,
          fixes: nearIdFixes(analysis, entry, dep),
        });
      }
    for (const ref of lineage(entry)) {
      const { key, id, range } = ref;
      if (analysis.index.ids.declarers(entry.folder, entry.dir, id).length > 0) continue;
      report({
        message: `${key} "${id}"${why(analysis, entry, id, key)}`,
        range,
        fixes: nearIdFixes(analysis, entry, ref),
      });
    }
  },
};

type Key = 'depends_on' | 'superseded_by' | 'supersedes';

/**
 * The ids of `superseded_by` and `supersedes`, each with where it is written (the DDX
 * block when it was not found). `lineage` holds those placed in that order: the first is
 * `superseded_by`'s when it reads as that id and `supersedes` does not name it too.
 */
function lineage(entry: DocEntry): { key: Key; id: string; range: Range }[] {
  const d = entry.doc.ddx!;
  if (d.supersededBy === undefined && d.supersedes.length === 0) return [];
  const placed: readonly IdRef[] = d.lineage ?? [];
  const out: { key: Key; id: string; range: Range }[] = [];
  let next = 0;
  if (d.supersededBy !== undefined) {
    const first = placed[0];
    const own = first?.id === d.supersededBy && !d.supersedes.includes(d.supersededBy);
    if (own) next = 1;
    out.push({ key: 'superseded_by', id: d.supersededBy, range: own ? first.range : d.range });
  }
  for (const id of d.supersedes) {
    // In order: each value at the next place holding it.
    let k = next;
    while (k < placed.length && placed[k].id !== id) k++;
    if (k < placed.length) next = k + 1;
    out.push({ key: 'supersedes', id, range: k < placed.length ? placed[k].range : d.range });
  }
  return out;
}

/** Why an entry naming `id` names no document, after `depends_on "id"` (or the key that names it). */
function why(analysis: RuleContext, entry: DocEntry, id: string, key: Key): string {
  const ids = analysis.index.ids;
  if (id.includes('{{'))
    return ` is a template's placeholder left unfilled: write the id of the document ${
      key === 'depends_on'
        ? 'this one depends on'
        : key === 'superseded_by'
          ? 'that supersedes this one'
          : 'this one supersedes'
    }.`;
  // Declared only where this document may not name it: a workflow definition's template
  // (for a project's document), a project's document (for a definition's template).
  if (ids.get(entry.folder, id).length > 0)
    return analysis.isDefinitionDocument(entry)
      ? ": no document has this id (a project's document declares it; a workflow definition's templates name only their own ids)."
      : ": no document has this id (only a workflow definition's template declares it).";
  if (key === 'depends_on' && /\]\].*\[\[/.test(id))
    return ': one text holding several wikilinks names no id; write each as an entry of a list (depends_on: ["[[A]]", "[[B]]"]).';
  // Ids written as one text with commas (`"helix.prd, FEAT-005"`), each of them known.
  const parts = key === 'depends_on' && id.includes(',') ? id.split(',').map((x) => x.trim()) : [];
  if (parts.length > 1 && parts.every((x) => x !== '' && ids.get(entry.folder, x).length > 0))
    return `: one text holding ${parts.length} ids separated by commas names no id; write them as a list (depends_on: [${parts.join(', ')}]).`;
  const cased = nearIdHint(analysis, entry, id);
  return `: no document has this id${cased ? ` (${cased})` : ''}.`;
}

/**
 * Says which declared ids `id` differs from only in letter case ("FEAT-002 differs only in
 * letter case; ids match exactly"), in the zero padding of its numbers (`FEAT-2`: "FEAT-002
 * differs only in zero padding; …") or in both, undefined when none does.
 */
export function nearIdHint(analysis: RuleContext, entry: DocEntry, id: string): string | undefined {
  const said = [...nearIdsByHow(analysis, entry, id)].map(
    ([h, ids]) =>
      `${ids.length === 1 ? ids[0] : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`} ${
        ids.length === 1 ? 'differs' : 'differ'
      } only in ${h}`,
  );
  return said.length === 0 ? undefined : `${said.join('; ')}; ids match exactly`;
}

/**
 * The declared ids `nearIdHint` names, nearest first: one fix each that writes it in the
 * place of the entry's value (only where the value itself is placed, not its key),
 * preferred when there is one. Undefined when none, or without `detail`.
 */
function nearIdFixes(analysis: RuleContext, entry: DocEntry, ref: IdRef): Fix[] | undefined {
  const r = ref.range;
  if (
    !analysis.detail ||
    r.start.line !== r.end.line ||
    r.end.character - r.start.character !== ref.id.length
  )
    return undefined;
  const near = nearIdsInOrder(analysis, entry, ref.id);
  if (near.length === 0) return undefined;
  return near.map((x) => {
    const fix: Fix = {
      kind: 'edit',
      title: `Write ${x}`,
      uri: entry.uri,
      edits: [{ range: r, newText: x }],
      reads: [ref.id],
    };
    if (near.length === 1) fix.preferred = true;
    return fix;
  });
}

/** The ids `nearIdHint` names, nearest first (letter case, then zero padding, then both). */
export function nearIdsInOrder(analysis: RuleContext, entry: DocEntry, id: string): string[] {
  return [...nearIdsByHow(analysis, entry, id).values()].flat();
}

/** The declared ids that differ from `id` only in letter case, zero padding or both, by how (those with any, nearest first). */
function nearIdsByHow(analysis: RuleContext, entry: DocEntry, id: string): Map<string, string[]> {
  const near = analysis.index.ids.nearIds(entry.folder, entry.dir, id);
  if (near.length === 0) return new Map();
  const lower = id.toLowerCase();
  const how = (x: string) =>
    x.toLowerCase() === lower
      ? 'letter case'
      : sameCase(x, id)
        ? 'zero padding'
        : 'letter case and zero padding';
  // (nearest first: letter case, then zero padding, then both)
  const byHow = new Map<string, string[]>([
    ['letter case', []],
    ['zero padding', []],
    ['letter case and zero padding', []],
  ]);
  for (const x of near) {
    const h = how(x);
    byHow.get(h)!.push(x);
  }
  for (const [h, ids] of byHow) if (ids.length === 0) byHow.delete(h);
  return byHow;
}

/** Whether two ids that read the same but for zero padding (`nearIdKey`) have their letters in the same case. */
function sameCase(a: string, b: string): boolean {
  return a.replace(/\d+/g, '') === b.replace(/\d+/g, '');
}
