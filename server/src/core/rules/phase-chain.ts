import { linkTargetEdit } from '../edits';
import { knownNames, matchPhase } from '../gate';
import type { ParsedGateFile } from '../gates/parse';
import { type DocEntry, type Resolution, standsForFolder, type WorkspaceIndex } from '../index';
import { linkTextTo } from '../link-text';
import { chainLinks, namesPhase, notWrittenYet, phaseOfFolderName } from '../model';
import { basename, dirname, joinUri, stripMdExtension } from '../paths';
import { slug } from '../text';
import type { Fix, Range, WikiLink } from '../types';
import { phaseHome, type WorkflowInstance } from '../workflow';
import {
  chainDirection,
  firstPhaseOf,
  lastPhaseOf,
  linkablePhases,
  misdirected,
  renamedPhase,
  setChainLinkTitle,
  skipsOver,
} from './chain';
import type { Report, Rule, RuleContext } from './rule';
import { createDocumentFix, linkLabel, PHASE_CRITERIA, retargetFix, titleRange } from './util';

/**
 * previous_phase / next_phase must point at phase documents, be reciprocal, and step
 * one phase number at a time (the last phase may lead back to the first: a cycle).
 * An instance's first phase may point back at another instance's last phase (and the
 * workflow's last phase on at another instance's first): a new cycle after the one
 * before, which stays as it is. Any other link into another instance is this rule's, one
 * finding (cross-instance-link leaves chain links alone). One mistake is one finding: a
 * link whose numbers are wrong and whose other end does not come back is said once. A fix
 * never edits another instance's document, nor writes a link that would itself be
 * reported (a phase of its own number, the wrong direction: `misdirected`; over a phase
 * the instance has: `skipsOver`).
 */
export const phaseChain: Rule = {
  id: 'phase-chain',
  check(analysis, entry, report) {
    const gaps = analysis.folderGapsOn(entry.uri);
    if (gaps) reportFolderGaps(analysis.index, gaps, entry, report);
    const me = entry.phase;
    if (!me) return;
    const chain = chainLinks(entry.doc);
    const w = analysis.workflowOf(entry.uri);
    const numbers = w ? w.phases.map((p) => p.phase!.number) : [me.number];
    const first = Math.min(...numbers);
    const last = Math.max(...numbers);
    const check = (link: WikiLink | undefined, dir: 'next' | 'previous') => {
      if (!link) return;
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'resolved') return; // broken-link reports it
      const other = r.target;
      const key = dir === 'next' ? 'next_phase' : 'previous_phase';
      if (other === entry) {
        const meant = w === undefined ? undefined : phaseMeant(analysis, entry, w, dir);
        const text = meant === undefined ? undefined : linkTextTo(analysis.index, entry, link, meant);
        report({
          message: `${key} points at this document itself.`,
          range: link.range,
          fixes:
            text === undefined
              ? undefined
              : [retargetFix(entry, link, setChainLinkTitle(link, dir, text), text, true)],
        });
        return;
      }
      const them = other.phase;
      if (!them) {
        // Named as a phase (`03-build.md`, `03-build/README.md`) yet showing none: say so.
        let name = basename(other.rel).replace(/\.md$/i, '');
        if (/^(readme|index)$/i.test(name) && other.rel.includes('/')) name = basename(dirname(other.rel));
        const named = phaseOfFolderName(name, analysis.index.patterns) !== undefined;
        // Metadata that cannot be read: its `phase` is not read (the reason to give).
        const why = other.doc.metadata.unread
          ? `its metadata cannot be read, so its \`phase\` is not read: see invalid-frontmatter there${named ? '' : '; and its file name is no NN-name'}`
          : named
            ? `named as a phase, but with no entry, exit or gate group, no gate file beside it and no \`phase\` metadata`
            : 'no `phase` metadata and no NN-name file name';
        report({
          message: `${link.source === 'metadata' ? key : `The ${dir} phase link`} ${linkLabel(link)} points at "${other.rel}", which is not a phase document (${why}).`,
          range: link.range,
          related: [rel(other, 'the linked document')],
        });
        return;
      }
      const expected = dir === 'next' ? me.number + 1 : me.number - 1;
      // A link that leaves the instance is this rule's, not cross-instance-link's: a
      // cycle's hand-off to (or back at) another instance is no finding (the other
      // instance's own chain is its business); any other is one finding, said as such.
      const wo = analysis.workflowOf(other.uri);
      if (w !== undefined && wo !== undefined && wo !== w) {
        const theirs = leadsAcross(analysis, entry, link, r);
        if (theirs !== undefined)
          reportAcross(analysis, { entry, key, link, other, theirs, mine: w, expected, dir }, report);
        return;
      }
      const wraps =
        dir === 'next'
          ? me.number === last && them.number === first
          : me.number === first && them.number === last;
      // What is wrong with the link's numbers, said once with what is wrong with its other end.
      // (The wrong direction first: a previous_phase at a later phase skips no number, it
      // points the wrong way, however far.)
      let wrongNumber: string | undefined;
      if (them.number === me.number) wrongNumber = `repeats phase ${me.id}`;
      else if (them.number !== expected && !wraps)
        wrongNumber =
          dir === 'previous' && them.number > me.number
            ? `points forward from phase ${me.id} to phase ${them.id}, a later phase`
            : dir === 'next' && them.number < me.number
              ? `points back from phase ${me.id} to phase ${them.id}, an earlier phase`
              : `goes from phase ${me.id} to phase ${them.id}, skipping a phase number`;
      // A link whose number is wrong is fixed by pointing it at the one phase of the number it
      // should step to (`02`, for a 01 whose next_phase skips to 03), when the instance has one.
      const stepText = (() => {
        if (wrongNumber === undefined || w === undefined) return undefined;
        const at = linkablePhases(w, entry).filter((p) => p.phase!.number === expected);
        return at.length === 1 && at[0] !== other
          ? linkTextTo(analysis.index, entry, link, at[0])
          : undefined;
      })();
      const stepFix =
        stepText === undefined
          ? undefined
          : retargetFix(entry, link, setChainLinkTitle(link, dir, stepText), stepText, true);
      const numberFinding = () => {
        if (wrongNumber === undefined) return;
        report({
          message: `${key} ${linkLabel(link)} ${wrongNumber}.`,
          range: link.range,
          related: [rel(other, them.number === me.number ? `also phase ${them.id}` : `phase ${them.id}`)],
          fixes: stepFix === undefined ? undefined : [stepFix],
        });
      };
      // Reciprocity: the other document's opposite link, when it has one, must point back here.
      const back = dir === 'next' ? chainLinks(other.doc).previous : chainLinks(other.doc).next;
      if (!back) return numberFinding();
      const rb = analysis.index.resolve(other, back);
      if (rb.status === 'resolved' && rb.target === entry) return numberFinding();
      // Their link leaves the instance, no hand-off between cycles: reported on their
      // document (as leading into the other workflow). One finding for one mistake.
      const backTo = rb.status === 'resolved' ? analysis.workflowOf(rb.target.uri) : undefined;
      if (
        rb.status === 'resolved' &&
        w !== undefined &&
        backTo !== undefined &&
        backTo !== w &&
        !handsOver(analysis, other, rb.target, dir === 'next' ? 'previous' : 'next')
      )
        return numberFinding();
      // Their link points at their own document: reported there ("points at this document
      // itself"), with the fix that points it here. One finding for one mistake.
      if (rb.status === 'resolved' && rb.target === other) return numberFinding();
      // Their link steps wrong (skips, repeats, or points the wrong way) where this phase is
      // the step it should take: that link is the mistake, reported on their document with
      // the fix that points it here; this link, sound, gets no finding.
      if (rb.status === 'resolved' && wrongNumber === undefined && rb.target.phase !== undefined) {
        const theirs = dir === 'next' ? them.number - 1 : them.number + 1;
        const theyWrap =
          dir === 'next'
            ? them.number === first && rb.target.phase.number === last
            : them.number === last && rb.target.phase.number === first;
        if (me.number === theirs && rb.target.phase.number !== theirs && !theyWrap) return;
      }
      // Their link reaches nothing and means this phase (renamed since): broken-link says
      // so, with the fix that points it here. One finding for one mistake.
      if (
        rb.status === 'broken' &&
        renamedPhase(analysis, other, back, dir === 'next' ? 'previous' : 'next').target === entry
      )
        return numberFinding();
      // The other document is its instance's first (last) phase and points back (on) at
      // another instance's last (first): that hand-off between cycles stands beside this
      // link closing the cycle, there is nothing to reconcile.
      if (
        rb.status === 'resolved' &&
        handsOver(analysis, other, rb.target, dir === 'next' ? 'previous' : 'next')
      )
        return numberFinding();
      const backKey = dir === 'next' ? 'previous_phase' : 'next_phase';
      // Each fix writes a link text that leads to the document it means (a bare name may
      // lead to a namesake nearer the linking document), or is not offered. A phase is
      // never pointed at another instance's document, nor at a phase the link would then
      // be reported for (`misdirected`: its own number, or the wrong direction).
      const backDir = dir === 'next' ? 'previous' : 'next';
      const backText =
        misdirected(them.number, me.number, backDir, first, last) ||
        skipsOver(w, them.number, me.number, backDir, first, last)
          ? undefined
          : linkTextTo(analysis.index, other, back, entry);
      const setBack: Fix | undefined =
        backText === undefined
          ? undefined
          : {
              kind: 'edit',
              title: setChainLinkTitle(back, backDir, backText, other.rel),
              uri: other.uri,
              edits: [linkTargetEdit(back, backText)],
            };
      // Where the other document's link points at that document itself, this link already
      // leads there: pointing it "there" would change nothing.
      const text =
        rb.status === 'resolved' &&
        rb.target !== other &&
        rb.target.phase !== undefined &&
        !misdirected(me.number, rb.target.phase.number, dir, first, last) &&
        !skipsOver(w, me.number, rb.target.phase.number, dir, first, last) &&
        analysis.workflowOf(rb.target.uri) === w
          ? linkTextTo(analysis.index, entry, link, rb.target)
          : undefined;
      const setMine: Fix | undefined =
        rb.status !== 'resolved' || text === undefined
          ? undefined
          : retargetFix(entry, link, setChainLinkTitle(link, dir, text), text);
      let repairMine = false;
      if (rb.status === 'resolved') {
        // The other document's link is the better half of the chain when it is one
        // step from here and the linked document is not, or when it is reciprocal
        // itself: then this link is the one to repair, not theirs.
        const steps = (d: DocEntry) =>
          d.phase !== undefined &&
          (d.phase.number === expected ||
            (dir === 'next'
              ? me.number === last && d.phase.number === first
              : me.number === first && d.phase.number === last));
        const theirsBack =
          dir === 'next' ? chainLinks(rb.target.doc).next : chainLinks(rb.target.doc).previous;
        const pairHolds = theirsBack !== undefined && resolvesTo(analysis, rb.target, theirsBack, other);
        repairMine = !steps(other) && (steps(rb.target) || pairHolds);
      }
      const [better, worse] = repairMine ? [setMine, setBack] : [setBack, setMine];
      const fixes: Fix[] = [];
      // A link whose number is wrong is repaired by stepping it right: that fix first (the
      // other one writing the same link text is that fix).
      if (stepFix) fixes.push(stepFix);
      for (const f of [better, worse]) {
        if (f === undefined || (f === setMine && stepFix !== undefined && text === stepText)) continue;
        fixes.push(fixes.length === 0 ? { ...f, preferred: true } : f);
      }
      report({
        message: `${key} ${linkLabel(link)} ${wrongNumber === undefined ? '' : `${wrongNumber}, and `}is not reciprocal: "${other.rel}" has ${backKey} ${linkLabel(back)}.`,
        range: link.range,
        related: [
          { uri: other.uri, range: back.range, message: `${backKey} of ${other.rel}` },
          ...(wrongNumber === undefined ? [] : [rel(other, `phase ${them.id}`)]),
        ],
        fixes,
      });
    };
    check(chain.next, 'next');
    check(chain.previous, 'previous');
  },
};

/**
 * The workflow instance a chain link of `entry` (its `previous_phase` or `next_phase`)
 * leads into when it leaves its own instance and is no hand-off between cycles (see
 * `handsOver`): the link this rule reports as leading into that workflow, which means a
 * phase of its own cycle. It refers to no document of the other instance: references,
 * the Links view, rename and file moves leave it as written (`isReference`).
 * Undefined for any other link, and for a chain link that resolves to no phase document.
 */
export function leadsAcross(
  analysis: Pick<RuleContext, 'index' | 'workflowOf'>,
  entry: DocEntry,
  link: WikiLink,
  r: Resolution = analysis.index.resolve(entry, link),
): WorkflowInstance | undefined {
  const dir = chainDirection(entry, link);
  if (dir === undefined || r.status !== 'resolved' || r.target === entry || !r.target.phase) return undefined;
  const w = analysis.workflowOf(entry.uri);
  const wo = analysis.workflowOf(r.target.uri);
  if (w === undefined || wo === undefined || wo === w || handsOver(analysis, entry, r.target, dir))
    return undefined;
  return wo;
}

/**
 * A gate file's `transition.to_phase` (`exit-gates.yml` of `01-frame` with `to_phase:
 * 02-design`), beside the phase folder `phase` is: it must name a phase of the workflow
 * (as a gate file's `phase` does: `02-design`, `02`, `design`; or a phase of the known
 * workflow the instance follows that is not written yet), and the next one, as
 * `next_phase` must (not the phase itself, not an earlier one other than the last phase
 * closing the cycle at the first, not over a phase the workflow has or its known workflow
 * has still to come). A phase not written yet is named by its number, its name or both
 * (`04-build`), never its number with another name (`04-biuld`: no phase). A value that is
 * no text, or empty, is said on its key. Reported on the value, in the gate file; the fix
 * writes the next phase's folder name in its place (inside its quotes), when the workflow
 * has one phase of that number, or the known workflow's name for it when it is not written
 * yet (`04-build`). Nothing for a gate file beside no phase.
 */
export function checkTransition(
  analysis: Pick<RuleContext, 'index' | 'workflowOf' | 'detail'>,
  file: { uri: string; rel: string; parsed: ParsedGateFile },
  phase: DocEntry | undefined,
  report: Report,
): void {
  const t = file.parsed.transition;
  const me = phase?.phase;
  if (!t || !phase || !me) return;
  const w = analysis.workflowOf(phase.uri);
  if (!w) return;
  const key = `Gate file ${basename(file.rel)}: transition.to_phase`;
  const numbers = w.phases.map((p) => p.phase!.number);
  const [first, last] = [Math.min(...numbers), Math.max(...numbers)];
  // The phases of the known workflow the instance follows that are not written yet.
  const coming = notWrittenYet(knownNames(w)).map((q) => ({
    number: q.number,
    id: q.id,
    known: q.name,
    name: `${q.id}-${slug(q.name)}`,
  }));
  // The phase it should name: the next the workflow has (over numbers it lacks), else the
  // next of its known workflow not written yet, else (from the last phase) the first: a cycle.
  const above = numbers.filter((n) => n > me.number);
  const expected =
    above.length > 0
      ? Math.min(...above)
      : coming.length > 0
        ? coming[0].number
        : first !== me.number
          ? first
          : undefined;
  const at = expected === undefined ? [] : w.phases.filter((p) => p.phase!.number === expected);
  const next = at.length === 1 ? at[0] : undefined;
  const nextName = next !== undefined ? folderNameOf(next) : coming.find((q) => q.number === expected)?.name;
  const fixes = (): Fix[] | undefined => {
    // (several phases of the next number: none to write; one not written yet: its name)
    if (!analysis.detail || nextName === undefined || t.range === undefined) return;
    if (nextName === t.toPhase) return;
    return gateValueFix(file.uri, 'transition.to_phase', t.range, nextName);
  };
  const range = t.range ?? t.keyRange;
  const value = t.toPhase;
  if (value === undefined) {
    report({
      message: `${key} is ${t.problem}, so it names no phase: write the phase this one hands over to${nextName === undefined ? '' : ` (${nextName}${next === undefined ? ', not written yet' : ''})`}.`,
      range,
    });
    return;
  }
  // (a folder or file name, as HELIX writes it: a renamed folder's old name names no phase,
  // even where the document inside is still titled so)
  const matched = matchPhase(w, value, false);
  const named = new Set(matched.map((p) => p.phase!.number));
  let target: number | undefined;
  let label: string | undefined;
  if (named.size === 1) {
    target = matched[0].phase!.number;
    label = folderNameOf(matched[0]);
  } else if (named.size === 0) {
    // A phase of the known workflow the instance follows that is not written yet.
    const later = coming.find((q) => namesComing(value, q));
    if (later === undefined) {
      const listed = w.phases.map(folderNameOf);
      const shown = listed.length > 12 ? [...listed.slice(0, 12), '…'] : listed;
      report({
        message: `${key} "${value}" names no phase of workflow ${w.id}: its phases are ${shown.join(', ')}${nextName === undefined ? '' : ` (the next after ${me.id} is ${nextName}${next === undefined ? ', not written yet' : ''})`}.`,
        range,
        fixes: fixes(),
      });
      return;
    }
    target = later.number;
    label = `${later.name}, not written yet`;
  }
  // (several phases of different numbers answer to it: duplicate-phase's, or a name shared)
  if (target === undefined) return;
  const id = String(target).padStart(me.id.length, '0');
  let wrong: string | undefined;
  if (target === me.number) wrong = `repeats phase ${me.id}`;
  else if (target < me.number && !(me.number === last && target === first))
    wrong = `goes from phase ${me.id} to phase ${id}, the wrong direction`;
  else if (target > me.number) {
    const between = (n: number) => n > me.number && n < target!;
    // The phases written between, then those of the known workflow still to come.
    const over = [
      ...w.phases
        .filter((p) => between(p.phase!.number))
        .map((p) => `phase ${p.phase!.id} (${folderNameOf(p)})`),
      ...coming.filter((q) => between(q.number)).map((q) => `phase ${q.id} (${q.name}, not written yet)`),
    ];
    if (over.length > 0) wrong = `goes from phase ${me.id} to phase ${id}, skipping ${over.join(', ')}`;
  }
  if (wrong === undefined) return;
  const shownLabel = label === undefined || label === value ? '' : ` (${label})`;
  report({
    message: `${key} "${value}"${shownLabel} ${wrong}${nextName === undefined ? '' : `: the next phase is ${nextName}${next === undefined ? ', not written yet' : ''}`}.`,
    range,
    related: matched.length === 1 ? [rel(matched[0], `phase ${matched[0].phase!.id}`)] : undefined,
    fixes: fixes(),
  });
}

/**
 * Whether a `to_phase` value names a phase of the known workflow not written yet (`q`):
 * as `namesPhase` reads it (its number, or its name), and where the value holds both, by
 * both (`04-build`, not `04-biuld`).
 */
function namesComing(value: string, q: { number: number; known: string }): boolean {
  if (!namesPhase(value, { number: q.number, name: q.known })) return false;
  const rest = /^\d{1,2}-(.+)$/.exec(slug(value))?.[1];
  return rest === undefined || rest === slug(q.known);
}

/** The name a phase is written by: its folder's (`02-design`), or its file's without `.md`. */
function folderNameOf(p: DocEntry): string {
  return p.phase!.folder || standsForFolder(p) ? basename(p.dir) : stripMdExtension(basename(p.rel));
}

/**
 * A link into another instance that is no cycle hand-off: one finding, saying where it
 * leads (with the other document's link the other way when that does not come back here,
 * else which links may join two cycles). The fix (when there is one) points this link at
 * the phase of the expected number in this document's own instance; for a bare name that
 * reaches the other instance because this one has no such document, and no phase of that
 * number, it creates the document beside this one. The message names that phase of this
 * instance when there is one (`03-treat.md` renamed `03-implement.md` in this cycle). Nothing of the other instance is edited.
 */
function reportAcross(
  analysis: Parameters<Rule['check']>[0],
  a: {
    entry: DocEntry;
    key: 'next_phase' | 'previous_phase';
    link: WikiLink;
    other: DocEntry;
    theirs: WorkflowInstance;
    mine: WorkflowInstance;
    expected: number;
    dir: 'next' | 'previous';
  },
  report: Parameters<Rule['check']>[2],
): void {
  const { entry, key, link, other, theirs, mine, expected, dir } = a;
  const them = other.phase!;
  const backKey = dir === 'next' ? 'previous_phase' : 'next_phase';
  const back = dir === 'next' ? chainLinks(other.doc).previous : chainLinks(other.doc).next;
  const bare = link.syntax !== 'markdown' && !/[/\\]/.test(link.target);
  const own = linkablePhases(mine, entry);
  const candidates = own.filter((p) => p.phase!.number === expected);
  const fixes: Fix[] = [];
  if (candidates.length === 1) {
    const text = linkTextTo(analysis.index, entry, link, candidates[0]);
    if (text !== undefined)
      fixes.push(retargetFix(entry, link, setChainLinkTitle(link, dir, text), text, true));
  } else if (
    bare &&
    analysis.detail &&
    them.number === expected &&
    !mine.phases.some((p) => p.phase!.number === them.number)
  ) {
    const create = createDocumentFix(analysis.index, entry, link, 'document', dir);
    if (create) fixes.push(create);
  }
  const last = pad(Math.max(lastPhaseOf(mine), lastPhaseOf(theirs)), them.id);
  const why =
    back !== undefined && !resolvesTo(analysis, other, back, entry)
      ? `, whose "${other.rel}" has ${backKey} ${linkLabel(back)}, not back here`
      : ` ("${other.rel}", phase ${them.id}): ${
          dir === 'next'
            ? `only a cycle's last phase (${last}) leads on to another, to its first (${pad(firstPhaseOf(theirs), them.id)})`
            : `only a cycle's first phase (${pad(firstPhaseOf(mine), them.id)}) points back at another, at its last (${last})`
        }`;
  const none = bare ? ` This instance (${mine.id}) has no document of that name.` : '';
  // The phase the link is expected to name, as broken-link names a renamed one: what the fix sets.
  const ours =
    candidates.length === 1
      ? ` Phase ${candidates[0].phase!.id} of this workflow is "${candidates[0].rel}".`
      : '';
  report({
    message: `${key} ${linkLabel(link)} leads into workflow ${theirs.id}${why}.${none}${ours}`,
    range: link.range,
    related: [
      back !== undefined
        ? { uri: other.uri, range: back.range, message: `${backKey} of ${other.rel}` }
        : rel(other, `phase ${them.id} of ${theirs.id}`),
    ],
    fixes,
  });
}

/**
 * The phase a `dir` chain link of `entry` that points at `entry` itself means, among the
 * phases beside it (its instance's, and those of instances in the same place: a link
 * pointing at itself cuts the chain, so the phases after it make an instance of their
 * own): the one whose link the other way points here, else the one of the number one step
 * away, that this link may name (see `misdirected`). Undefined when neither picks one.
 */
function phaseMeant(
  analysis: Parameters<Rule['check']>[0],
  entry: DocEntry,
  w: WorkflowInstance,
  dir: 'next' | 'previous',
): DocEntry | undefined {
  const home = phaseHome(entry);
  // (A link at its own document is rare: a pass over the index is no cost worth a map.)
  const beside: DocEntry[] = [...linkablePhases(w, entry)];
  for (const d of analysis.index.all()) {
    if (d === entry || d.phase === undefined || d.folder !== entry.folder || phaseHome(d) !== home) continue;
    const x = analysis.workflowOf(d.uri);
    if (x !== undefined && x !== w && !x.definition && linkablePhases(x, entry).includes(d)) beside.push(d);
  }
  const numbers = [entry, ...beside].map((p) => p.phase!.number);
  const [first, last] = [Math.min(...numbers), Math.max(...numbers)];
  const me = entry.phase!.number;
  const phases = beside.filter((p) => !misdirected(me, p.phase!.number, dir, first, last));
  const pointing = phases.filter((p) => {
    const back = dir === 'next' ? chainLinks(p.doc).previous : chainLinks(p.doc).next;
    return back !== undefined && resolvesTo(analysis, p, back, entry);
  });
  if (pointing.length > 0) return pointing.length === 1 ? pointing[0] : undefined;
  const step = phases.filter((p) => p.phase!.number === (dir === 'next' ? me + 1 : me - 1));
  return step.length === 1 ? step[0] : undefined;
}

/** A phase number written with as many digits as `like` (a phase id). */
function pad(n: number, like: string): string {
  return String(n).padStart(like.length, '0');
}

/**
 * A folder named like a phase beside the instance's phase folders that holds documents but
 * no phase document: reported once, in the folder itself (on its README or index, which
 * shows no phase, else on its first document by path: see `FolderGap`), whatever the
 * instance's phases are (documents or gate files alone), with a fix that writes its
 * README.md (index.md where every phase folder of the instance has one) when there is none.
 */
function reportFolderGaps(
  index: WorkspaceIndex,
  gaps: readonly { workflow: WorkflowInstance; dir: string }[],
  entry: DocEntry,
  report: Parameters<Rule['check']>[2],
): void {
  for (const { workflow: w, dir: gap } of gaps) {
    // a gap is a folder whose name gives a phase (workflow.ts)
    const named = phaseOfFolderName(basename(gap), index.patterns)!;
    // A README that is there but shows no phase (it is the document reported on): say what it lacks.
    if (entry.dir === gap && /^(readme|index)\.md$/i.test(basename(entry.rel))) {
      report({
        message: `${entry.rel} shows no phase (no entry, exit or gate criteria, no "# Phase ${named.id}: ${named.name}" title, no gate files beside it), so "${gap}" is not a phase of ${w.id} and its documents belong to no phase.`,
        range: titleRange(entry),
      });
      continue;
    }
    // Its README is there but was not read (too large, binary): that is why.
    const unread = w.unreadPhases?.find((u) => dirname(u.rel) === gap);
    if (unread) {
      report({
        message: `"${gap}" holds documents, but its ${basename(unread.rel)} was not read (${unread.reason}), so phase ${named.id} of ${w.id} cannot be checked and its documents belong to no phase.`,
        range: titleRange(entry),
      });
      continue;
    }
    // Named as the instance's phase folders name theirs (`index.md` where they all do).
    const folders = w.phases.filter((p) => p.phase!.folder);
    const name =
      folders.length > 0 && folders.every((p) => /^index\.md$/i.test(basename(p.rel)))
        ? 'index.md'
        : 'README.md';
    report({
      message: `"${gap}" holds documents but no phase document (${name}), so it is not a phase of ${w.id} and its documents belong to no phase.`,
      range: titleRange(entry),
      fixes: [
        {
          kind: 'create',
          title: `Create "${gap}/${name}"`,
          uri: joinUri(entry.folder, `${gap}/${name}`),
          content: `# Phase ${named.id}: ${named.name}\n\n${PHASE_CRITERIA}`,
        },
      ],
    });
  }
}

/**
 * Whether `from`'s link in direction `dir` to `to` joins two instances as one cycle after
 * another: from the first phase of its instance back to the last phase of another, or from
 * the last phase on to the first of another. The last phase is the workflow's (see
 * `lastPhaseOf`; two cycles are of one workflow, so the higher of theirs), not merely the
 * highest a cycle has written so far.
 */
function handsOver(
  analysis: Pick<RuleContext, 'workflowOf'>,
  from: DocEntry,
  to: DocEntry,
  dir: 'next' | 'previous',
): boolean {
  const wf = analysis.workflowOf(from.uri);
  const wt = analysis.workflowOf(to.uri);
  if (!wf || !wt || wf === wt || !from.phase || !to.phase) return false;
  const last = Math.max(lastPhaseOf(wf), lastPhaseOf(wt));
  return dir === 'previous'
    ? from.phase.number === firstPhaseOf(wf) && to.phase.number === last
    : from.phase.number === last && to.phase.number === firstPhaseOf(wt);
}

function resolvesTo(
  analysis: Parameters<Rule['check']>[0],
  from: DocEntry,
  link: WikiLink,
  to: DocEntry,
): boolean {
  const r = analysis.index.resolve(from, link);
  return r.status === 'resolved' && r.target === to;
}

function rel(e: DocEntry, message: string) {
  return {
    uri: e.uri,
    range: titleRange(e),
    message,
  };
}

/**
 * The fix writing `text` in place of a gate file's value at `range` (`key` names it in the
 * title); none for a text YAML would read otherwise written bare (quotes, `#`, `:`, edge
 * spaces), which is left to the author.
 */
function gateValueFix(uri: string, key: string, range: Range, text: string): Fix[] | undefined {
  if (/["'\\#:]|^\s|\s$/.test(text)) return undefined;
  return [
    { kind: 'edit', title: `Set ${key} to ${text}`, uri, edits: [{ range, newText: text }], preferred: true },
  ];
}

/**
 * A gate file's top-level `phase:` and `number:` (`phase: frame`, `number: "01"`, as HELIX
 * writes them) must be its folder's phase: `phase` its folder's name (`02-design`), its
 * number or its name (`design`, or the phase document's), in any letter case; `number` its
 * number. A value that says another phase (a file copied from `01-frame` into `02-design`
 * and left as it was) is said on the value, naming the folder's phase; the fix writes the
 * folder's value in its place (inside its quotes). A `number` that is no number is a
 * team's own. Nothing for a gate file beside no phase folder.
 */
export function checkPhaseKeys(
  analysis: Pick<RuleContext, 'detail'>,
  file: { uri: string; rel: string; parsed: ParsedGateFile },
  phase: DocEntry | undefined,
  report: Report,
): void {
  const keys = file.parsed.phaseKeys;
  const me = phase?.phase;
  const dir = dirname(file.rel);
  if (!keys || !me || dir === '') return;
  const folder = basename(dir);
  const name = folder.replace(/^\d+[-_ .]*/, '');
  for (const k of keys) {
    let meant: string;
    if (k.key === 'number') {
      if (!/^\d+$/.test(k.value) || Number(k.value) === me.number) continue;
      meant = me.id;
    } else {
      const s = slug(k.value);
      if (s === slug(folder) || (name !== '' && s === slug(name)) || namesPhase(k.value, me)) continue;
      meant = /^\d/.test(k.value) || name === '' ? folder : name;
    }
    const fixes =
      analysis.detail && k.range !== undefined ? gateValueFix(file.uri, k.key, k.range, meant) : undefined;
    report({
      message: `Gate file ${basename(file.rel)}: ${k.key} "${k.value}" is not the phase of its folder, ${folder} (phase ${me.id}): copied from another phase? Write ${meant}.`,
      range: k.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      fixes,
    });
  }
}
