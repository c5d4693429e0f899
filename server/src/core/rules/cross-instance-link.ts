import type { DocEntry, Resolution } from '../index';
import { linkTextTo } from '../link-text';
import type { Fix, Heading, WikiLink } from '../types';
import { chainDirection } from './chain';
import { leadsAcross } from './phase-chain';
import type { Rule, RuleContext } from './rule';
import { createDocumentFix, linkLabel, retargetFix, thenCreate } from './util';

/**
 * A bare-name wikilink of a workflow instance that resolves, by the nearest-name search,
 * to a document inside another instance: a later release cycle's `[[release-plan]]`
 * reaching the earlier cycle's file because its own is missing. Documents outside every
 * instance (`docs/architecture.md`, shared by all) and documents of an instance that
 * encloses the linking one are no other instance's; links written with a path or by an
 * id name their target on purpose; workflow definitions are left alone. A phase's chain
 * links (`previous_phase`, `next_phase`) are phase-chain's. The preferred fix writes the
 * path of the document reached (moved there, most likely); creating one here is offered too.
 */
export const crossInstanceLink: Rule = {
  id: 'cross-instance-link',
  check(analysis, entry, report) {
    if (entry.doc.links.length === 0) return;
    const own = analysis.instanceRootOf(entry);
    // At the top of the workspace folder, an instance encloses every other one.
    if (own === undefined || own === '' || analysis.isDefinitionDocument(entry)) return;
    const index = analysis.index;
    for (const link of entry.doc.links) {
      if (link.syntax === 'markdown' || !isBareName(link.target)) continue;
      const r = index.resolve(entry, link);
      // An ambiguous link is reported as such (ambiguous-link names every candidate).
      if (r.status !== 'resolved' || r.candidates.length > 1 || r.target === entry) continue;
      // The instance first (two map lookups), the id table only for the few links leaving it.
      const other = otherInstance(analysis, own, r.target);
      if (other === undefined || byId(analysis, entry, link.target)) continue;
      // An artifact another cycle has of its own is missing here (missing-artifact's).
      if (othersArtifact(analysis, entry, link, r) !== undefined) continue;
      // A phase's previous_phase / next_phase is phase-chain's: it tells a cycle's
      // hand-off from a link that leaves the instance, and reports the latter once.
      if (chainDirection(entry, link) !== undefined) continue;
      let fixes: Fix[] | undefined;
      if (analysis.detail) {
        // Most likely the document it reaches was moved there (a layout migrated): the link
        // written with its path names it on purpose, and is not reported. Preferred over
        // creating an empty namesake here, which other links would then reach unnoticed.
        const text = linkTextTo(index, entry, link, r.target, true);
        fixes = thenCreate(
          text === undefined
            ? undefined
            : retargetFix(entry, link, `Link to "${r.target.rel}" by its path: [[${text}]]`, text, true),
          createDocumentFix(index, entry, link, 'document'),
        );
      }
      report({
        message: `${linkLabel(link)} resolves to ${r.target.rel}, in the workflow instance ${other}, not in this one (${own}): this instance has no such document of its own.`,
        range: link.range,
        fixes,
        related: analysis.detail
          ? [{ uri: r.target.uri, range: r.target.doc.title?.range ?? START, message: `in ${other}` }]
          : undefined,
      });
    }
  },
};

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A target that is a name alone: no folder, no file extension other than `.md`. */
function isBareName(target: string): boolean {
  const t = target.trim();
  return t !== '' && !/[/\\]/.test(t) && !/\.(?!md$)[^.]+$/i.test(t);
}

/** Whether the link names a DDX id (ids name their document on purpose). */
function byId(analysis: RuleContext, entry: DocEntry, target: string): boolean {
  return analysis.index.ids.declarers(entry.folder, entry.dir, target.trim()).length > 0;
}

/** A document's artifact links as a set, made once per document as it is now. */
const artifactSets = new WeakMap<DocEntry, Set<WikiLink>>();
function artifactSet(entry: DocEntry): Set<WikiLink> {
  let set = artifactSets.get(entry);
  if (!set) artifactSets.set(entry, (set = new Set(entry.artifacts)));
  return set;
}

/**
 * The instances holding what an artifact link of `entry` reaches by its bare name when
 * every document it reaches lies in another instance kept alike, at the same depth under
 * the same folder (a new cycle's `[[release-plan]]` reaching the earlier cycles' own):
 * the artifact is missing in this one, not shared nor ambiguous. Undefined for any other
 * link, outside instances and in definitions.
 */
export function othersArtifact(
  analysis: RuleContext,
  entry: DocEntry,
  link: WikiLink,
  r: Resolution,
): string[] | undefined {
  if (r.status !== 'resolved' || link.syntax === 'markdown' || !isBareName(link.target)) return undefined;
  if (!artifactSet(entry).has(link)) return undefined;
  const own = analysis.instanceRootOf(entry);
  if (own === undefined || own === '' || analysis.isDefinitionDocument(entry)) return undefined;
  if (r.candidates.includes(entry) || byId(analysis, entry, link.target)) return undefined;
  // The candidates' instances, found once per list (every cycle's link to a name shares
  // the list of the documents of that name: 300 cycles asked it of 300 documents each).
  const version = analysis.index.structureVersion;
  let held = instancesOf.get(r.candidates);
  if (!held || held.version !== version) {
    const roots = new Set<string>();
    let outside = false;
    for (const c of r.candidates) {
      const root = analysis.instanceRootOf(c);
      if (root === undefined || root === '') outside = true;
      else roots.add(root);
    }
    const sorted = [...roots].sort();
    // Where they are kept: one depth under one top folder, or none ('' when they differ).
    const shapes = new Set(sorted.map(shapeOf));
    held = {
      version,
      roots,
      sorted,
      outside,
      shape: shapes.size === 1 ? (sorted.length > 0 ? shapeOf(sorted[0]) : '') : '',
    };
    instancesOf.set(r.candidates, held);
  }
  if (held.outside) return undefined;
  // None in this instance nor in one enclosing it.
  for (let a = own; ; a = a.slice(0, a.lastIndexOf('/'))) {
    if (held.roots.has(a)) return undefined;
    if (!a.includes('/')) break;
  }
  // Only cycles kept alike (`cdp/2025-q3` beside `cdp/2026-q1`, `cdp/2025/q3`): a document
  // of an instance kept elsewhere (another project's `docs/helix/`) may be this one's
  // moved there (cross-instance-link's).
  if (held.shape === '' || held.shape !== shapeOf(own)) return undefined;
  return held.sorted;
}

/** Who has their own of an artifact missing here (`othersArtifact`): `a, b has its own` / `… have their own`. */
export function ownedBy(others: readonly string[]): string {
  const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
  return `${shown} ${others.length === 1 ? 'has its' : 'have their'} own`;
}

/**
 * Whether `link` of `entry` refers to the document it resolves to: not when it is an
 * artifact entry that other cycles kept alike have of their own (`othersArtifact`), which
 * names this cycle's own artifact, not written yet, whatever document its bare name reaches
 * now. missing-artifact reports it so; references, the Links view, rename and file moves
 * read it the same way: no reference of the other cycle's document, left as it is.
 */
export function refersToTarget(
  analysis: RuleContext,
  entry: DocEntry,
  link: WikiLink,
  r: Resolution = analysis.index.resolve(entry, link),
): boolean {
  return othersArtifact(analysis, entry, link, r) === undefined;
}

/**
 * Whether `link` of `entry` is a reference of the document it resolves to, for references,
 * the Links view, rename and file moves: it refers to it (`refersToTarget`), and it is no
 * chain link leaving its cycle (phase-chain's `leadsAcross`: a `previous_phase` reported as
 * leading into another workflow means a phase of its own cycle), which a move or rename of
 * the other cycle's document leaves as written, as reported.
 */
export function isReference(
  analysis: RuleContext,
  entry: DocEntry,
  link: WikiLink,
  r: Resolution = analysis.index.resolve(entry, link),
): boolean {
  return refersToTarget(analysis, entry, link, r) && leadsAcross(analysis, entry, link, r) === undefined;
}

/**
 * The links that refer to `target` (with `heading`, to that heading of it): its backlinks
 * (`WorkspaceIndex.backlinks`) but those naming another cycle's own artifact
 * (`refersToTarget`) and chain links leaving their cycle (`isReference`).
 */
export function referencesTo(
  analysis: RuleContext,
  target: DocEntry,
  heading?: Heading,
): { from: DocEntry; link: WikiLink }[] {
  return analysis.index
    .backlinks(target, heading)
    .filter(({ from, link }) => isReference(analysis, from, link));
}

/**
 * An instance folder's depth and the top folder it lies under (`cdp/2025-q3` → `2 cdp`);
 * an instance at the top of the workspace folder lies under none (`release-2026.1` →
 * `1 `), so two cycles kept side by side there are kept alike.
 */
function shapeOf(root: string): string {
  let depth = 1;
  for (let i = root.indexOf('/'); i !== -1; i = root.indexOf('/', i + 1)) depth++;
  const slash = root.indexOf('/');
  return `${depth} ${slash === -1 ? '' : root.slice(0, slash)}`;
}

/** The instances a list of candidates lies in (`othersArtifact`), for the index's structure as it was. */
const instancesOf = new WeakMap<
  readonly DocEntry[],
  { version: number; roots: Set<string>; sorted: string[]; outside: boolean; shape: string }
>();

/**
 * Whether a link from `entry` to `target` leaves `entry`'s workflow instance as this rule
 * reads it: `target` lies in another instance, neither this one nor one enclosing it, and
 * `entry` is no definition's. Such a link written by its bare name is reported (completion
 * writes it with its path, as this rule's fix does).
 */
export function leavesInstance(analysis: RuleContext, entry: DocEntry, target: DocEntry): boolean {
  const own = analysis.instanceRootOf(entry);
  if (own === undefined || own === '' || analysis.isDefinitionDocument(entry)) return false;
  return otherInstance(analysis, own, target) !== undefined;
}

/** The folder of the instance `target` lies in when it is neither `own` nor one enclosing it. */
export function otherInstance(analysis: RuleContext, own: string, target: DocEntry): string | undefined {
  const theirs = analysis.instanceRootOf(target);
  if (theirs === undefined || theirs === own) return undefined;
  if (theirs === '' || own.startsWith(`${theirs}/`)) return undefined;
  return theirs;
}
