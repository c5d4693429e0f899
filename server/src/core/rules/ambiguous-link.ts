import type { DocEntry } from '../index';
import { linkTextTo } from '../link-text';
import { sharedFolders } from '../paths';
import type { Fix, WikiLink } from '../types';
import { chainDirection } from './chain';
import { othersArtifact } from './cross-instance-link';
import type { Rule, RuleContext } from './rule';
import { linkLabel, retargetFix, titleRange } from './util';

const MAX_SHOWN = 8;

const samePosition = (a: { line: number; character: number }, b: { line: number; character: number }) =>
  a.line === b.line && a.character === b.character;

/**
 * The documents of other workflow instances that declare the id a wikilink names as
 * near to the linking document as the one it reaches (`[[helix.prd]]` in a repository's
 * README, with two products each declaring it): the link could mean any of them. Two
 * documents of one instance declaring it are a duplicate-id error instead.
 */
function equallyNearById(
  analysis: RuleContext,
  entry: DocEntry,
  link: Pick<WikiLink, 'syntax' | 'target'>,
  target: DocEntry,
): DocEntry[] {
  if (link.syntax === 'markdown' || target.doc.ddx?.id?.id !== link.target) return [];
  const dir = entry.dir;
  const all = analysis.index.ids.declarers(entry.folder, dir, link.target);
  if (all.length < 2) return [];
  const near = sharedFolders(target.dir, dir);
  // Outside every instance ('') a second declarer is a duplicate-id error too.
  const scope = analysis.scopeOf(target);
  if (scope === '') return [];
  return all.filter((e) => {
    if (e === target || sharedFolders(e.dir, dir) !== near) return false;
    const s = analysis.scopeOf(e);
    return s !== scope && s !== '';
  });
}

/**
 * The documents declaring `id` that `id` written bare in `entry` could mean, when more than
 * one does (the one it reaches first), as this rule reads it: as a `[[id]]` link or as a
 * `depends_on` entry, alike. Empty when `id` leads to one document alone. Completion
 * offers no such id bare.
 */
export function equallyNearDeclarers(analysis: RuleContext, entry: DocEntry, id: string): DocEntry[] {
  // Most ids have one declarer: nothing to weigh. A definition's links and `depends_on`
  // (a template's: `template: true`) are not weighed: they name what its instances, or the
  // documents made from it, will write (below).
  if (analysis.index.ids.get(entry.folder, id).length < 2) return [];
  if (analysis.isDefinitionDocument(entry)) return [];
  const target = analysis.index.ids.nearest(entry, id);
  const others = target ? equallyNearById(analysis, entry, { target: id }, target) : [];
  return others.length === 0 ? [] : [target!, ...others];
}

/** Whether none of `candidates` lies in the workflow instance of `entry`. */
function leavesInstance(analysis: RuleContext, entry: DocEntry, candidates: readonly DocEntry[]): boolean {
  const own = analysis.scopeOf(entry);
  return own !== '' && candidates.every((c) => analysis.scopeOf(c) !== own);
}

/**
 * A bare name that matches several documents equally near, or an id that documents of
 * several workflow instances declare equally near (a link, or a `depends_on` entry). The
 * first in path order is used. Not in a workflow definition's documents nor in a template
 * (`template: true`): what they name is what the documents made from them will write.
 */
export const ambiguousLink: Rule = {
  id: 'ambiguous-link',
  check(analysis, entry, report) {
    const deps = entry.doc.ddx?.dependsOn ?? [];
    for (const dep of deps) {
      const [target, ...others] = equallyNearDeclarers(analysis, entry, dep.id);
      // An entry written as a wikilink is that link, reported below.
      if (
        others.length === 0 ||
        entry.doc.links.some((l) => samePosition(l.targetRange.start, dep.range.start))
      )
        continue;
      const shown = [target, ...others].slice(0, MAX_SHOWN);
      const more = others.length + 1 - shown.length;
      report({
        message: `depends_on "${dep.id}" is declared equally near in ${others.length + 1} workflow instances: ${shown
          .map((c) => c.rel)
          .join(', ')}${more > 0 ? ` and ${more} more` : ''}; using ${target.rel}.`,
        range: dep.range,
        related: analysis.detail
          ? shown.map((c) => ({
              uri: c.uri,
              range: titleRange(c),
              message: c === target ? 'used' : 'also declares it',
            }))
          : undefined,
      });
    }
    // A workflow definition's links name what its instances write (`[[release-plan]]`):
    // the team's cycles holding one each make them no choice to settle.
    if (analysis.isDefinitionDocument(entry)) return;
    for (const link of entry.doc.links) {
      let r = analysis.index.resolve(entry, link);
      if (r.status === 'resolved' && r.candidates.length === 1) {
        const others = equallyNearById(analysis, entry, link, r.target);
        if (others.length > 0) r = { ...r, candidates: [r.target, ...others] };
      }
      if (r.status !== 'resolved' || r.candidates.length < 2) continue;
      // An artifact the earlier cycles each have of their own is missing here (missing-artifact's).
      if (othersArtifact(analysis, entry, link, r) !== undefined) continue;
      // A phase's previous_phase / next_phase leading only into other instances is
      // phase-chain's, which reports it once (each cycle's namesake is no choice to offer).
      if (chainDirection(entry, link) !== undefined && leavesInstance(analysis, entry, r.candidates))
        continue;
      // A name shared by hundreds of documents: offer and relate the first few.
      const shown = r.candidates.slice(0, MAX_SHOWN);
      const more = r.candidates.length - shown.length;
      const message = `${linkLabel(link)} matches ${r.candidates.length} documents equally near: ${shown
        .map((c) => c.rel)
        .join(', ')}${more > 0 ? ` and ${more} more` : ''}; using ${r.target.rel}.`;
      if (!analysis.detail) {
        report({ message, range: link.targetRange });
        continue;
      }
      // A fix per candidate some link text leads to alone (none for `plan.md` beside `Plan.md`
      // named by a wikilink, which reads names case-insensitively).
      const fixes: Fix[] = [];
      for (const c of shown) {
        const text = linkTextTo(analysis.index, entry, link, c);
        if (text === undefined) continue;
        fixes.push(retargetFix(entry, link, `Link to "${c.rel}"`, text));
      }
      report({
        message,
        range: link.targetRange,
        related: shown.map((c) => ({
          uri: c.uri,
          range: titleRange(c),
          message: c === r.target ? 'used' : 'also matches',
        })),
        fixes,
      });
    }
  },
};
