import type { DocEntry } from '../index';
import { linkTextTo } from '../link-text';
import { decodeDestination, encodeAsWritten, recaseWritten } from '../parse/mdlink';
import { basename, dirname, nearestTo, normalizeRel, relativeTo, stripMdExtension } from '../paths';
import { LEAVES_FOLDER } from '../resolve';
import { slug } from '../text';
import type { Fix, WikiLink } from '../types';
import { chainDirection, renamedPhase, setChainLinkTitle } from './chain';
import { nearIdHint, nearIdsInOrder } from './missing-dependency';
import type { Rule } from './rule';
import {
  brokenMessage,
  createDocumentFix,
  createDocumentFixes,
  linkLabel,
  movedFix,
  movedTo,
  retargetFix,
  thenCreate,
} from './util';

/**
 * A link (body or metadata) that resolves to nothing. Artifact links are reported as
 * missing-artifact, `depends_on` entries written as wikilinks as missing-dependency. A markdown link whose path reaches its file only when letter case is
 * ignored is broken too where case counts (GitHub, Linux): reported, with a fix that
 * writes the path as the file is named. A link with a path whose file name is that of one
 * document elsewhere (moved there) says so, with a preferred fix that points it there.
 */
export const brokenLink: Rule = {
  id: 'broken-link',
  check(analysis, entry, report) {
    const artifacts = new Set(entry.artifacts);
    const createFix = createDocumentFixes(analysis.index, entry, 'document');
    const template = analysis.index.ids.isLooseTemplate(entry);
    for (const link of entry.doc.links) {
      const r = analysis.index.resolve(entry, link);
      if ((r.status === 'resolved' || r.status === 'file') && r.caseDiffers) {
        const actual = r.status === 'resolved' ? r.target.rel : r.rel;
        const fixed = analysis.detail ? casedPath(link, actual) : undefined;
        report({
          message: `${linkLabel(link)} reaches ${actual} only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.`,
          range: link.range,
          fixes:
            fixed === undefined
              ? undefined
              : [retargetFix(entry, link, `Write the path as the file is named: ${fixed}`, fixed, true)],
        });
        continue;
      }
      if (artifacts.has(link) || entry.dependencyLinks.has(link)) continue;
      if (r.status !== 'broken') continue;
      // A template outside the definitions (`templates/feature-template.md`) links where the
      // documents made from it will lie: `[[FEAT-YYY]]`, `../prd.md` lead nowhere from here.
      if (template) continue;
      const dir = chainDirection(entry, link);
      if (dir !== undefined) {
        reportChainLink(analysis, entry, link, dir, brokenMessage(link, r), report);
        continue;
      }
      const block = blockReferenceMeant(analysis, entry, link);
      if (block) {
        report({
          message: `${brokenMessage(link, r)} A block reference is written after \`#\`: [[${block.text}]].`,
          range: link.range,
          fixes: analysis.detail
            ? [
                {
                  kind: 'edit',
                  title: `Write the block reference as [[${block.text}]]`,
                  uri: entry.uri,
                  edits: [{ range: { start: block.at, end: block.at }, newText: '#' }],
                  preferred: true,
                },
              ]
            : undefined,
        });
        continue;
      }
      if (placeholder(link) && analysis.isDefinitionDocument(entry)) continue;
      if (githubPage(entry, link)) continue;
      if (link.syntax === 'markdown' && link.target.includes('\\')) {
        reportBackslashes(analysis, entry, link, brokenMessage(link, r), report);
        continue;
      }
      // A path that climbs out of the folder (a package checked alone linking its
      // neighbour) means a document there: no namesake here is that one.
      const spelled = r.reason === LEAVES_FOLDER ? undefined : namedOtherwise(analysis, entry, link);
      const create = analysis.detail ? createFix(link) : undefined;
      // A wikilink naming an id in other letter case or zero padding (`[[feat-002]]`, `[[FEAT-2]]`): ids match exactly.
      // Written with `.md` or as a path (`[[FEAT-02.md]]`, `[[features/FEAT-02]]`): its name.
      const id = link.syntax === 'markdown' ? '' : idWritten(link.target);
      // Or the id itself, written with a folder or `.md` (`[[../features/FEAT-002]]`): ids are written bare.
      const exact = id === '' ? undefined : exactId(analysis, entry, link, id);
      const found =
        r.reason === LEAVES_FOLDER || spelled ? undefined : movedTo(analysis.index, entry, link, true);
      // The document the id names, found by its file name too: said once, reached by the id.
      const moved = exact !== undefined && found?.target === exact.by ? undefined : found;
      const cased = id === '' ? undefined : (exact?.hint ?? nearIdHint(analysis, entry, id));
      // …fixed by writing the id as declared, in the link's place (its alias and heading
      // kept; without `.md`, which would look it up as a file name, and without the path,
      // as ids are written): a document created under the name written would leave the
      // link naming a stub, or declare a second id differing from the first only so.
      const near =
        cased === undefined || !analysis.detail ? [] : exact ? [id] : nearIdsInOrder(analysis, entry, id);
      const message = brokenMessage(
        link,
        r,
        cased ??
          (spelled &&
            `a document "${relativeTo(entry.dir, spelled.target.rel).replace(/^\.\//, '')}" has this name written otherwise`),
      );
      report({
        message: moved === undefined ? message : `${message} ${moved.said}`,
        range: link.range,
        fixes: !analysis.detail
          ? undefined
          : near.length > 0
            ? [
                ...near.map((id) => retargetFix(entry, link, `Write [[${id}]]`, id, near.length === 1)),
                ...(moved ? [{ ...movedFix(entry, link, moved), preferred: false }] : []),
              ]
            : spelled
              ? thenCreate(
                  spelled.fixed === undefined
                    ? undefined
                    : retargetFix(
                        entry,
                        link,
                        `Write the path as the file is named: ${spelled.fixed}`,
                        spelled.fixed,
                        true,
                      ),
                  create,
                )
              : moved?.guess
                ? // A document declaring the id the name starts with may be it renamed, or not
                  // (a new `FEAT-003-api-notes` beside `FEAT-003-reset-password`): offered after creating.
                  [...(create ? [create] : []), movedFix(entry, link, moved)]
                : thenCreate(moved && movedFix(entry, link, moved), create),
      });
    }
  },
};

/**
 * A wikilink written as a declared id with a folder or `.md` (`[[wrong/FEAT-002]]`,
 * `[[FEAT-002.md]]`), which reaches nothing while `[[FEAT-002]]` reaches the document
 * declaring it (the nearest, as ids resolve): the hint that says so. Undefined otherwise.
 */
function exactId(
  analysis: Parameters<Rule['check']>[0],
  entry: DocEntry,
  link: WikiLink,
  id: string,
): { hint: string; by: DocEntry } | undefined {
  if (id === link.target.trim()) return undefined;
  const by = nearestTo(analysis.index.ids.declarers(entry.folder, entry.dir, id), entry.dir, (e) => e.rel);
  if (by === undefined) return undefined;
  const how = /[/\\]/.test(link.target) ? 'without a folder' : 'without .md';
  return { hint: `${id} is declared by ${by.rel}; ids are written bare, ${how}`, by };
}

/**
 * The id a wikilink's target may be meant to name: its last name, without `.md`
 * (`FEAT-02.md`, `docs/features/FEAT-02` → `FEAT-02`). Empty when it ends in a folder.
 */
function idWritten(target: string): string {
  const t = stripMdExtension(target.trim());
  return t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf('\\')) + 1).trim();
}

/**
 * A markdown link in the body whose destination is one bare word, without an extension,
 * folder, anchor or scheme (`[Support Portal](link)`, `(link-to-research)`, `(URL)`): in a
 * workflow definition's template or example it stands for a link the instance fills in,
 * not one to follow there. (In an instance it is reported: the placeholder was left.)
 */
function placeholder(link: WikiLink): boolean {
  return (
    link.syntax === 'markdown' &&
    link.source === 'body' &&
    link.heading === undefined &&
    /^[A-Za-z][A-Za-z0-9_-]*$/.test(link.written ?? link.target)
  );
}

/** The pages of a repository on GitHub besides its files (`/owner/repo/issues`, …). */
const GITHUB_PAGES = new Set([
  'issues',
  'pulls',
  'pull',
  'wiki',
  'discussions',
  'actions',
  'releases',
  'tags',
  'branches',
  'commits',
  'compare',
  'security',
  'projects',
  'milestones',
  'labels',
  'network',
  'graphs',
  'pulse',
  'activity',
  'packages',
  'deployments',
  'stargazers',
  'forks',
]);

/**
 * A relative markdown link that climbs exactly two folders above the workspace folder
 * into one of GitHub's repository pages: `[report a bug](../../issues/new)` in the root
 * README, `../../../wiki` one folder down. GitHub reads a file's links from its page
 * `/owner/repo/blob/<branch>/<path>`, so two levels above the repository's root is
 * `/owner/repo/`: the link works there, and is not a broken path.
 */
function githubPage(entry: DocEntry, link: WikiLink): boolean {
  if (link.syntax !== 'markdown' || link.source !== 'body' || link.target.startsWith('/')) return false;
  const segs = link.target.split('/').filter((s) => s !== '.' && s !== '');
  let ups = 0;
  while (segs[ups] === '..') ups++;
  const depth = entry.dir === '' ? 0 : entry.dir.split('/').length;
  return ups === depth + 2 && GITHUB_PAGES.has(segs[ups] ?? '');
}

/**
 * A phase's chain link that reaches nothing. When its target names a phase of this
 * instance that has another file name (`[[03-treat]]` after `03-treat.md` became
 * `03-implement.md`: by its number, else by its name), the message says which, and the
 * preferred fix points the link at it (when that link would not be reported itself: see
 * `misdirected`). Creating the document it names is offered only when no phase of the
 * instance has the number it would bring (a second phase 03 is a `duplicate-phase`) and
 * that number is the next (previous) one (a `[[07-x]]` from 05 would skip 06), and then
 * not preferred beside that fix.
 */
function reportChainLink(
  analysis: Parameters<Rule['check']>[0],
  entry: DocEntry,
  link: WikiLink,
  dir: 'next' | 'previous',
  message: string,
  report: Parameters<Rule['check']>[2],
): void {
  const { target, named, handOff } = renamedPhase(analysis, entry, link, dir);
  const w = analysis.workflowOf(entry.uri);
  const numbered = (n: number) => (w?.phases ?? [entry]).some((p) => p.phase!.number === n);
  // The number a document created for the link would have to bring: the next (previous)
  // one. Created under another, it would leave a link that skips or points the wrong way.
  // (Or, from the last phase on, a first phase before the others, closing the cycle; from
  // the first back, a last one after them.)
  const me = entry.phase!.number;
  const written = (w?.phases ?? [entry]).map((p) => p.phase!.number);
  const steps = (n: number) =>
    dir === 'next'
      ? n === me + 1 || (me === Math.max(...written) && n < Math.min(...written))
      : n === me - 1 || (me === Math.min(...written) && n > Math.max(...written));
  let fixes: Fix[] | undefined;
  if (analysis.detail) {
    const text = target === undefined ? undefined : linkTextTo(analysis.index, entry, link, target);
    fixes = thenCreate(
      text === undefined
        ? undefined
        : retargetFix(entry, link, setChainLinkTitle(link, dir, text), text, true),
      named !== undefined && (numbered(named.number) || !steps(named.number))
        ? undefined
        : createDocumentFix(analysis.index, entry, link, 'document', dir),
    );
  }
  report({
    message:
      target === undefined
        ? message
        : handOff
          ? `${message} Phase ${target.phase!.id} of the ${dir === 'previous' ? 'cycle before' : 'next cycle'}, "${target.rel}", links here.`
          : `${message} Phase ${target.phase!.id} of this workflow is "${target.rel}".`,
    range: link.range,
    fixes,
  });
}

/** How many quotes and backslashes a text holds (each would end or change a quoted YAML value). */
function quotesIn(t: string): number {
  return t.replace(/[^"'\\]/g, '').length;
}

/**
 * The link's path, as written, with each segment in the case of the file's path (`actual`,
 * from the workspace folder), matched from the end; undefined when its segments do not
 * line up. Only the letters' case changes: each character stays written as it was (`%20`
 * stays `%20`, a letter written encoded is encoded in its new case, `%C3%9C` → `%C3%BC`).
 */
function casedPath(link: WikiLink, actual: string): string | undefined {
  const as = link.written ?? link.target;
  const raw = as.split('/');
  const decoded = link.written === undefined ? raw : raw.map(decodeDestination);
  // An encoded `/` (`%2F`) would make the segments differ from the path's.
  if (decoded.join('/') !== link.target) return undefined;
  const real = actual.split('/');
  let r = real.length - 1;
  // A folder's README is reached by the folder: its own name is not written.
  if (!/\.[^/]*$/.test(decoded[decoded.length - 1] ?? '') && /^(readme|index)\.md$/i.test(real[r])) r--;
  // Without `.md` the last segment is matched without it.
  const out = [...raw];
  const path = [...decoded];
  // A folder written with its trailing `/`: matched from the segment before it.
  const last =
    decoded.length > 1 && decoded[decoded.length - 1] === '' ? decoded.length - 2 : decoded.length - 1;
  for (let w = last; w >= 0 && r >= 0; w--) {
    const seg = decoded[w];
    if (seg === '' || seg === '.' || seg === '..') break;
    const name = real[r];
    if (seg.toLowerCase() === name.toLowerCase()) path[w] = name;
    else if (`${seg}.md`.toLowerCase() === name.toLowerCase()) path[w] = name.slice(0, seg.length);
    else return undefined;
    if (path[w] !== seg && link.written !== undefined) {
      out[w] = recaseWritten(raw[w], path[w]) ?? encodeAsWritten(path[w], link.written, link.angle === true);
      // In metadata the link sits in a quoted YAML value: a new quote or backslash would end or change it.
      if (link.source === 'metadata' && quotesIn(out[w]) > quotesIn(raw[w])) return undefined;
    } else if (path[w] !== seg) out[w] = path[w];
    r--;
  }
  const fixed = out.join('/');
  // Read back: the text must name the file's path and nothing else.
  if (fixed === as || decodeDestination(fixed) !== path.join('/')) return undefined;
  return fixed;
}

/**
 * The one document in the folder a markdown link's path points into whose file name is
 * the one written with spaces, letter case or separators (`-`, `_`) written otherwise
 * (`artifacts/problem-statement.md` for `artifacts/Problem Statement.md`: names that slug
 * alike), with the path as written with that name in place of the one written (`fixed`,
 * encoded as the link writes its destination; undefined when it cannot be written so
 * that it reaches the document). Undefined when no document, or several, match so.
 */
function namedOtherwise(
  analysis: Parameters<Rule['check']>[0],
  entry: DocEntry,
  link: WikiLink,
): { target: DocEntry; fixed: string | undefined } | undefined {
  if (link.syntax !== 'markdown') return undefined;
  const path = link.target;
  const name = basename(path);
  const md = /\.md$/i.test(name);
  if (name === '' || (!md && name.includes('.'))) return undefined;
  const rel = normalizeRel(path.startsWith('/') ? path : [entry.dir, path].filter(Boolean).join('/'));
  if (rel === undefined) return undefined;
  const dir = dirname(rel);
  const key = slug(stripMdExtension(name));
  if (key === '') return undefined;
  let target: DocEntry | undefined;
  for (const d of analysis.index.named(entry.folder, key)) {
    if (d.dir !== dir || d.nameKey !== key || basename(d.rel) === name) continue;
    if (target !== undefined) return undefined;
    target = d;
  }
  if (target === undefined) return undefined;
  // Only the file name changes: the rest of the path stays as written.
  const as = link.written ?? link.target;
  const raw = as.split('/');
  const file = basename(target.rel);
  const meant = md ? file : stripMdExtension(file);
  let fixed: string | undefined = [
    ...raw.slice(0, -1),
    encodeAsWritten(meant, raw[raw.length - 1], link.angle === true),
  ].join('/');
  const decoded = decodeDestination(fixed);
  const reaches = analysis.index.resolve(entry, { ...link, target: decoded, heading: undefined });
  if (
    // An encoded `/` (`%2F`) would make the segments differ from the path's.
    raw.map(decodeDestination).join('/') !== link.target ||
    decoded !== [...path.split('/').slice(0, -1), meant].join('/') ||
    reaches.status !== 'resolved' ||
    reaches.target !== target ||
    reaches.caseDiffers ||
    // In metadata the link sits in a quoted YAML value: a new quote or backslash would end or change it.
    (link.source === 'metadata' && quotesIn(fixed) > quotesIn(as))
  )
    fixed = undefined;
  return { target, fixed };
}

/**
 * A wikilink `[[name^id]]` whose name reaches a document: meant as the block reference
 * `[[name#^id]]` (creating a document `name^id` is not what was meant). Its text, and
 * where the `#` goes; undefined otherwise.
 */
function blockReferenceMeant(
  analysis: Parameters<Rule['check']>[0],
  entry: DocEntry,
  link: WikiLink,
): { text: string; at: { line: number; character: number } } | undefined {
  if (link.syntax === 'markdown' || link.heading !== undefined) return undefined;
  const caret = link.target.indexOf('^');
  if (caret <= 0 || link.range.start.line !== link.range.end.line) return undefined;
  const name = link.target.slice(0, caret).trimEnd();
  if (analysis.index.resolve(entry, { ...link, target: name }).status !== 'resolved') return undefined;
  // The `^` as written in the link's source (the target is trimmed; an alias may follow).
  const from = link.targetRange.start.character - link.range.start.character;
  const inRaw = link.raw.indexOf('^', from);
  if (inRaw === -1) return undefined;
  return {
    text: `${name}#${link.target.slice(caret)}`,
    at: { line: link.range.start.line, character: link.range.start.character + inRaw },
  };
}

/**
 * A markdown link whose path is written with `\` (`..\02-design\README.md`, as Windows
 * writes paths): GitHub and Linux read the backslash as part of a name, so it reaches
 * nothing there. Said so; the fix writes `/` where the path then reaches its target
 * (only the backslashes change, escapes kept). No document is created under a name
 * holding backslashes.
 */
function reportBackslashes(
  analysis: Parameters<Rule['check']>[0],
  entry: DocEntry,
  link: WikiLink,
  message: string,
  report: Parameters<Rule['check']>[2],
): void {
  const hint = ' A `\\` is part of a name on GitHub and Linux, not a folder separator: write `/`.';
  const slashed = link.target.replace(/\\/g, '/');
  const r = analysis.index.resolve(entry, { ...link, target: slashed });
  const written = link.written ?? link.target;
  // Each backslash of the path a `/`: one alone, or one written escaped (two); the other
  // escapes (`\_`) stay as they are.
  const newText = written.replace(/\\(\\|(?![!-/:-@[-`{-~]))/g, '/');
  const t = link.targetRange;
  const fixes: Fix[] = [];
  if (
    analysis.detail &&
    (r.status === 'resolved' || r.status === 'file') &&
    newText !== written &&
    t.start.line === t.end.line &&
    t.end.character - t.start.character === written.length
  )
    fixes.push({
      kind: 'edit',
      title: `Write the path with /: ${newText}`,
      uri: entry.uri,
      edits: [{ range: t, newText }],
      preferred: true,
    });
  report({ message: message + hint, range: link.range, fixes: fixes.length > 0 ? fixes : undefined });
}
