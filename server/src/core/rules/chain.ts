import { type DocEntry, standsForFolder } from '../index';
import { chainLinks, KNOWN_WORKFLOWS, type PhaseInfo, phaseOfFolderName } from '../model';
import { isBareValueLink, readsAsBareName } from '../parse/mdlink';
import { basename, stripMdExtension } from '../paths';
import { slug, trimEndSlashes } from '../text';
import type { WikiLink } from '../types';
import type { WorkflowInstance } from '../workflow';
import type { RuleContext } from './rule';

/**
 * Which link of a phase document's chain `link` is (its `next_phase` or `previous_phase`,
 * or the link under a "Next Phase" / "Previous Phase" heading), or undefined for any other
 * link and in a document that is no phase.
 */
export function chainDirection(entry: DocEntry, link: WikiLink): 'next' | 'previous' | undefined {
  if (!entry.phase) return undefined;
  const chain = chainLinks(entry.doc);
  return link === chain.next ? 'next' : link === chain.previous ? 'previous' : undefined;
}

/** The lowest phase number of an instance: its first phase. */
export function firstPhaseOf(w: WorkflowInstance): number {
  return Math.min(...w.phases.map((p) => p.phase!.number));
}

/**
 * The number of the last phase of the workflow an instance is a cycle of: its highest
 * phase number, or the last phase of the known workflow its phases are named after
 * (CDP's 06-follow-up, HELIX's 06-iterate) when that is higher. A cycle whose later
 * phases are not written yet does not end at the highest phase it has.
 */
export function lastPhaseOf(w: WorkflowInstance): number {
  let last = Math.max(...w.phases.map((p) => p.phase!.number));
  for (const known of KNOWN_WORKFLOWS) {
    const named = w.phases.some((p) =>
      known.some(([n, name]) => n === p.phase!.number && slug(p.phase!.name) === name),
    );
    if (named) last = Math.max(last, known[known.length - 1][0]);
  }
  return last;
}

/**
 * Whether a `dir` chain link from phase number `from` to phase number `to`, in an instance
 * whose phases run from `first` to `last`, is reported for its numbers in a way no fix may
 * bring about: the same number, or against the chain's direction (a `next_phase` to an
 * earlier phase), unless it closes the cycle (last → first, first → last). A link that
 * skips numbers forward is not among them: a phase may be missing from the instance.
 */
export function misdirected(
  from: number,
  to: number,
  dir: 'next' | 'previous',
  first: number,
  last: number,
): boolean {
  if (to === from) return true;
  if (closesCycle(from, to, dir, first, last)) return false;
  return dir === 'next' ? to < from : to > from;
}

/** Whether a `dir` chain link from `from` to `to` closes the cycle (last → first, first → last). */
function closesCycle(
  from: number,
  to: number,
  dir: 'next' | 'previous',
  first: number,
  last: number,
): boolean {
  return dir === 'next' ? from === last && to === first : from === first && to === last;
}

/**
 * Whether a `dir` chain link from phase number `from` to `to` would step over a phase `w`
 * has (`previous_phase` of 03 at 01 beside 02): such a link is reported itself, so no fix
 * writes it. Over a number the instance lacks it may (that phase is not written), and the
 * link closing a cycle steps over nothing.
 */
export function skipsOver(
  w: WorkflowInstance | undefined,
  from: number,
  to: number,
  dir: 'next' | 'previous',
  first: number,
  last: number,
): boolean {
  if (w === undefined || Math.abs(from - to) < 2 || closesCycle(from, to, dir, first, last)) return false;
  const [lo, hi] = from < to ? [from, to] : [to, from];
  return w.phases.some((p) => p.phase!.number > lo && p.phase!.number < hi);
}

/** The phase documents of `w` a chain link can name (no gate-file-only phase), but `except`. */
export function linkablePhases(w: WorkflowInstance, except: DocEntry): DocEntry[] {
  return w.phases.filter((p) => p !== except && !standsForFolder(p));
}

/**
 * The phase of `entry`'s instance a broken chain link means, when its target names one
 * under another file name: by the number, else the name, its last path segment gives (the
 * folder's for a phase folder's `README.md`/`index.md`). `named`: the phase the target's
 * name gives, whether or not the instance has it. No target when the link would be
 * reported once pointed there (`misdirected`), or when several phases could be meant.
 */
export function renamedPhase(
  analysis: RuleContext,
  entry: DocEntry,
  link: WikiLink,
  dir: 'next' | 'previous',
): { target?: DocEntry; named?: PhaseInfo; handOff?: boolean } {
  const path = trimEndSlashes(link.target.replace(/\\/g, '/')).trim();
  let name = stripMdExtension(basename(path));
  // A phase folder's document: the folder names the phase.
  if (/^(readme|index)$/i.test(name) && path.includes('/'))
    name = basename(path.slice(0, path.lastIndexOf('/')));
  const named = name === '' ? undefined : phaseOfFolderName(name, analysis.index.patterns);
  const w = analysis.workflowOf(entry.uri);
  if (w === undefined || name === '') return { named };
  const own = linkablePhases(w, entry);
  let candidates = named === undefined ? [] : own.filter((p) => p.phase!.number === named.number);
  if (candidates.length === 0) {
    const key = slug(named?.name ?? name);
    candidates = key === '' ? [] : own.filter((p) => slug(p.phase!.name) === key);
  }
  const numbers = w.phases.map((p) => p.phase!.number);
  // The instance's first phase's link back (its last phase's link on) hands over between
  // cycles: where a phase of another instance links here the other way, that one is meant,
  // not this cycle's own last (first) phase, which would close the cycle on itself.
  const me = entry.phase!.number;
  if (dir === 'previous' ? me === Math.min(...numbers) : me === Math.max(...numbers)) {
    const other = handingOver(analysis, entry, w, dir);
    if (other !== undefined) return { target: other, named, handOff: true };
  }
  if (
    candidates.length !== 1 ||
    misdirected(
      entry.phase!.number,
      candidates[0].phase!.number,
      dir,
      Math.min(...numbers),
      Math.max(...numbers),
    )
  )
    return { named };
  return { target: candidates[0], named };
}

/**
 * The one phase document of another instance whose chain link the other way (`next_phase`
 * for a `previous` link) reaches `entry`: the phase a broken hand-off link of `entry` means.
 */
function handingOver(
  analysis: RuleContext,
  entry: DocEntry,
  w: WorkflowInstance,
  dir: 'next' | 'previous',
): DocEntry | undefined {
  let found: DocEntry | undefined;
  // (A broken hand-off link is rare: a pass over the index is no cost worth a map.)
  for (const d of analysis.index.all()) {
    if (d.phase === undefined || d === entry || d.folder !== entry.folder) continue;
    const links = chainLinks(d.doc);
    const back = dir === 'previous' ? links.next : links.previous;
    if (back === undefined) continue;
    const r = analysis.index.resolve(d, back);
    if (r.status !== 'resolved' || r.target !== entry) continue;
    const x = analysis.workflowOf(d.uri);
    if (x === undefined || x === w || x.definition) continue;
    if (found !== undefined) return undefined;
    found = d;
  }
  return found;
}

/**
 * The title of a fix pointing a phase's chain link at `text` (in document `of`, when it
 * is another): named by its metadata key, or as the body link it is (`## Next Phase`).
 */
export function setChainLinkTitle(
  link: WikiLink,
  dir: 'next' | 'previous',
  text: string,
  of?: string,
): string {
  const name =
    link.source === 'metadata' ? (dir === 'next' ? 'next_phase' : 'previous_phase') : `the ${dir} phase link`;
  return `Set ${name}${of === undefined ? '' : ` of "${of}"`} to ${writtenLike(link, text)}`;
}

/**
 * `text` written as `link` is: a path of a markdown link or a bare name (`next_phase:
 * 02-prescribe`) as it is, a wikilink's target in brackets.
 */
export function writtenLike(link: WikiLink, text: string): string {
  return link.syntax === 'markdown' || (isBareValueLink(link) && readsAsBareName(text))
    ? text
    : `[[${text}]]`;
}
