import { cmp } from '../collections';
import { linkTargetEdit } from '../edits';
import type { DocEntry, Resolution, WorkspaceIndex } from '../index';
import { linkTextFor, linkTextTo, resolvesTo, writableName } from '../link-text';
import { type PhaseInfo, phaseOfFolderName } from '../model';
import { basename, dirname, nearestTo, normalizeRel, stripMdExtension } from '../paths';
import { isTemplateFolder, looksLikeId, namesOtherFile } from '../resolve';
import { clipped, slug, trimEndSlashes } from '../text';
import type { Fix, Range, WikiLink } from '../types';
import { writtenLike } from './chain';

/** A link as messages quote it: as written, without an embed's `!`, cut when very long. */
export function linkLabel(link: WikiLink): string {
  return clipped(link.raw.replace(/^!/, ''));
}

/** Where a finding about a whole document goes: its title, else the start of the file. */
export function titleRange(e: DocEntry): Range {
  return e.doc.title?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function brokenMessage(
  link: WikiLink,
  r: Extract<Resolution, { status: 'broken' }>,
  /** Said in parentheses after the reason. */
  hint?: string,
): string {
  return `${linkLabel(link)} does not resolve: ${r.reason}${hint ? ` (${hint})` : ''}.`;
}

/**
 * What an artifact link names, to tell artifacts apart: a name as names resolve
 * (`[[Release Plan]]` is `release-plan`), a path the file it names, exactly
 * (`docs/Missing Plan.md` is not `docs/missing-plan.md`).
 */
export function artifactKey(link: WikiLink): string {
  const written = stripMdExtension(trimEndSlashes(link.target.replace(/\\/g, '/')).trim());
  return link.syntax === 'markdown' ? written.replace(/^(\.\/)+/, '') : slug(written);
}

/**
 * The document a broken link written with a path (a markdown link, a wikilink with a
 * folder) most likely means, moved since: the one document of the workspace folder with
 * the file name the path ends in (`design-notes.md`: a markdown link names it exactly, a
 * wikilink as names resolve, in any case), with the text that leads there alone (a
 * wikilink keeps a path: see `linkTextTo`). Failing that, a file named after a DDX id
 * (`FEAT-003-password-reset.md`, also a bare wikilink) renamed since: the one document
 * that declares the id. `said` is the sentence that tells it. Undefined when there is
 * none, or several.
 */
export function movedTo(
  index: WorkspaceIndex,
  entry: DocEntry,
  link: WikiLink,
  /** Also by a DDX id the file name starts with (a guess: `guess` is set). */
  byId = false,
): { target: DocEntry; said: string; text: string; guess: boolean } | undefined {
  const markdown = link.syntax === 'markdown';
  const pathed = markdown || /[/\\]/.test(link.target);
  if (!pathed && !byId) return undefined;
  const name = basename(trimEndSlashes(link.target.replace(/\\/g, '/')).trim());
  if (markdown ? !/\.md$/.test(name) : name === '' || name === '.' || name === '..') return undefined;
  const stem = stripMdExtension(name);
  // A README or index names its folder, not a document of its own name elsewhere.
  if (/^(readme|index)$/i.test(stem)) return undefined;
  let found: { target: DocEntry; said: string; guess: boolean } | undefined;
  if (pathed) {
    const namesake = onlyNamesake(index, entry, name, stem, markdown);
    if (namesake === null) return undefined;
    if (namesake) {
      // A markdown link's path is from the linking document: the way there is told as it
      // would be written (`../spec.md`), not the path in the workspace folder, which may
      // read as the broken link itself (`spec.md`). A wikilink is pointed there by its
      // path in the workspace folder, which is told.
      const text = linkTextTo(index, entry, link, namesake, pathed);
      if (text === undefined) return undefined;
      const at = markdown ? `${text} from this document` : namesake.rel;
      return {
        target: namesake,
        said: `A document named ${basename(namesake.rel)} is at ${at}.`,
        text,
        guess: false,
      };
    }
  }
  if (!found && byId) {
    const id = /^([A-Za-z][A-Za-z0-9]*-\d+)[-_. ]/.exec(stem)?.[1];
    // The one nearest (as links by id go: each project of a monorepo has its own
    // `FEAT-002`); none when two are as near, or it is this document itself.
    const nearest =
      id === undefined
        ? undefined
        : nearestTo(index.ids.declarers(entry.folder, entry.dir, id), entry.dir, (e) => e.rel, true);
    const declaring = nearest === entry ? undefined : nearest;
    if (declaring !== undefined)
      found = { target: declaring, said: `${id} is declared by ${declaring.rel}.`, guess: true };
  }
  if (!found) return undefined;
  const text = linkTextTo(index, entry, link, found.target, pathed);
  return text === undefined ? undefined : { ...found, text };
}

/**
 * The one document of a file name but the linking one (a copied cycle's `03-treat.md`
 * linking to the earlier cycle's `03-treat.md` at its old place means that one): a
 * markdown link names it exactly, a wikilink as names resolve, in any case. Null when
 * there are several (the search stops at the second: a name hundreds of folders share
 * is looked up often), undefined when none.
 */
function onlyNamesake(
  index: WorkspaceIndex,
  entry: DocEntry,
  name: string,
  stem: string,
  markdown: boolean,
): DocEntry | null | undefined {
  const lower = stem.toLowerCase();
  let one: DocEntry | undefined;
  for (const d of index.named(entry.folder, slug(stem))) {
    if (d === entry) continue;
    const file = basename(d.rel);
    if (markdown ? file !== name : stripMdExtension(file).toLowerCase() !== lower) continue;
    if (one !== undefined) return null;
    one = d;
  }
  return one;
}

/** The fix pointing `link` at the document `movedTo` found: preferred unless a guess. */
export function movedFix(
  entry: DocEntry,
  link: WikiLink,
  moved: { target: DocEntry; text: string; guess: boolean },
): EditFix {
  const shown = writtenLike(link, moved.text);
  return retargetFix(entry, link, `Link to "${moved.target.rel}": ${shown}`, moved.text, !moved.guess);
}

/** A fix that edits the document. */
type EditFix = Extract<Fix, { kind: 'edit' }>;

/** A fix writing `text` as `link`'s target (its path, name or id; the rest stays). */
export function retargetFix(
  entry: DocEntry,
  link: WikiLink,
  title: string,
  text: string,
  preferred = false,
): EditFix {
  const fix: EditFix = {
    kind: 'edit',
    title,
    uri: entry.uri,
    edits: [linkTargetEdit(link, text)],
  };
  if (preferred) fix.preferred = true;
  return fix;
}

/**
 * The fixes of a link that reaches nothing where it should: `first` (pointing it
 * somewhere), then creating the document, preferred only when it stands alone.
 */
export function thenCreate(first: Fix | undefined, create: Fix | undefined): Fix[] | undefined {
  const fixes: Fix[] = first ? [first] : [];
  if (create?.kind === 'create') fixes.push(first ? { ...create, preferred: false } : create);
  return fixes.length > 0 ? fixes : undefined;
}

/**
 * `createDocumentFix` for the links of one document, each target's fix built once: a
 * document linking one missing name 30,000 times (a generated list) built 30,000 equal
 * fixes, each resolving its back link. Each call gets its own copy, which callers may
 * change (`preferred`). Only for one rule's pass over one document: the fix depends on
 * the index as it is.
 */
export function createDocumentFixes(
  index: WorkspaceIndex,
  from: DocEntry,
  what: string,
): (link: WikiLink) => Fix | undefined {
  const built = new Map<string, Fix | undefined>();
  return (link) => {
    const key = `${link.syntax}\0${link.target}\0${link.heading}`;
    let fix = built.get(key);
    if (fix === undefined && !built.has(key)) {
      fix = createDocumentFix(index, from, link, what);
      built.set(key, fix);
    }
    return fix && { ...fix };
  };
}

/** Title Case of a name written as `release-plan` or `Release Plan`. */
export function humanize(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.replace(/(^|\s)(\p{Ll})/gu, (_m, s: string, c: string) => s + c.toUpperCase());
}

/**
 * Whether a wikilink path's folders (`segs`) are written from the workspace folder: its
 * first folder is one there and none beside the linking document (links try the path
 * from the document first, then from the workspace folder).
 */
function fromRoot(index: WorkspaceIndex, from: DocEntry, segs: readonly string[]): boolean {
  const first = segs[0];
  if (from.dir === '' || first === undefined || first === '.' || first === '..') return false;
  return (
    !index.holdsFolder(index.uriFor(from.folder, `${from.dir}/${first}`)) &&
    index.holdsFolder(index.uriFor(from.folder, first))
  );
}

/**
 * A fix that creates the document a broken link names, next to the linking document
 * (or at the link's relative path; a wikilink's path whose first folder is the workspace
 * folder's alone, from there). Never offered when the path would leave the folder.
 */
export function createDocumentFix(
  index: WorkspaceIndex,
  from: DocEntry,
  link: WikiLink,
  what: string,
  /**
   * The link is a phase's chain link (its `next_phase` or `previous_phase`): a document
   * its name makes a phase (`04-monitor`, `../04-monitor/README.md`) is written as one,
   * linking back.
   */
  chain?: 'next' | 'previous',
  /**
   * The folder a bare name (`[[rollback-plan]]`, not an id) is created in instead of the
   * linking document's (an instance's `artifacts/`), when the link then reaches the new
   * document alone and no file has that path; else beside the linking document.
   */
  into?: string,
): Fix | undefined {
  let name: string;
  let rel: string | undefined;
  let id: string | undefined;
  if (link.syntax === 'markdown') {
    // The file the path names, exactly (`.md` added to a path without extension).
    const path = link.target.trim();
    name = basename(path);
    if (!name || path.endsWith('/') || (name.includes('.') && !/\.md$/i.test(name))) return undefined;
    const file = /\.md$/i.test(name) ? path : `${path}.md`;
    rel = normalizeRel(file.startsWith('/') ? file : [from.dir, file].filter(Boolean).join('/'));
    name = stripMdExtension(name);
  } else {
    const target = stripMdExtension(trimEndSlashes(link.target.replace(/\\/g, '/')).trim());
    if (!target || /^([/~]|[A-Za-z]:)/.test(target)) return undefined;
    // `[[notes.txt]]` names a file that is no document: a document (`notestxt.md`) would
    // not satisfy it, and creating the file itself is not this fix's to do.
    if (namesOtherFile(target)) return undefined;
    const segs = target.split('/');
    name = segs.pop()!;
    // A name with no letters or digits (`[[???]]`) names no file: offer nothing rather than a made-up name.
    const key = slug(name);
    if (!key) return undefined;
    // A DDX id (`[[FEAT-012]]`) names the document declaring it: written as the id, declaring it.
    id = segs.length === 0 && looksLikeId(name) ? name : undefined;
    const file = `${id ?? key}.md`;
    const there =
      into !== undefined && into !== from.dir && segs.length === 0 && id === undefined
        ? normalizeRel([into, file].filter(Boolean).join('/'))
        : undefined;
    rel =
      there !== undefined && !index.fileInAnyCase(from.folder, there) && reachesAlone(index, from, key, there)
        ? there
        : normalizeRel(
            [fromRoot(index, from, segs) ? '' : from.dir, ...segs, file].filter(Boolean).join('/'),
          );
  }
  if (rel === undefined) return undefined;
  const title = humanize(name);
  // The heading the link names (`[[treatment-plan#Dosage]]`), so that it reaches one in
  // the new document; not a block reference (`#^id`) or a heading under a heading.
  const named = link.heading;
  const section = named && !named.startsWith('^') && !named.includes('#') ? named : 'Overview';
  const template = findTemplate(index, from, slug(name));
  const uri = index.uriFor(from.folder, rel);
  const content =
    (chain && phaseContent(index, from, link, rel, uri, name, chain)) ??
    (id !== undefined
      ? `---\nddx:\n  id: ${id}\n---\n\n# ${id}\n\n## ${section}\n\n`
      : newDocument(
          from,
          title,
          `---\ntags: [${what}]\nsource: "[[${sourceText(index, from, rel, uri)}]]"\n---\n`,
          section,
        ));
  return {
    kind: 'create',
    title: `Create ${what} "${rel}"`,
    uri,
    content,
    template: template?.uri,
    preferred: true,
  };
}

/**
 * Whether a bare name slugging to `key`, written in `from`, would reach a document created
 * at `rel` alone, as names resolve (`PathTable.lookup`): the deepest folder above `from`
 * (its own first) that holds documents of the name, the fewest folders below it. No
 * document of the name may be found as early: none in a folder above `from` deeper than
 * the one holding `rel`, none under that one as few folders down or fewer (a folder's
 * README counted in its folder and the one above, whichever is found first).
 */
function reachesAlone(index: WorkspaceIndex, from: DocEntry, key: string, rel: string): boolean {
  if (isTemplateFolder(from.dir)) return false;
  const ups: string[] = [from.dir];
  for (let d = from.dir; d !== ''; ) ups.push((d = dirname(d)));
  /** How many folders up from `from` a name in folder `dir` is first found (-1: never). */
  const level = (dir: string) => ups.findIndex((a) => a === '' || dir === a || dir.startsWith(`${a}/`));
  const depth = (path: string) => path.split('/').length;
  const mine = level(dirname(rel));
  if (mine === -1) return false;
  for (const d of index.named(from.folder, key)) {
    const at = [d.nameKey === key ? level(d.dir) : -1, d.folderKey === key ? level(dirname(d.dir)) : -1]
      .filter((n) => n !== -1)
      .sort((a, b) => a - b)[0];
    if (at === undefined) continue;
    if (at < mine || (at === mine && depth(d.rel) <= depth(rel))) return false;
  }
  return true;
}

/**
 * A new document's text: its metadata `block` where the linking document keeps its own,
 * as front matter at the top (as HELIX documents do) or after the title (as CDP's do, and
 * where the linking document has none), then a first `section` heading.
 */
function newDocument(from: DocEntry, title: string, block: string, section: string): string {
  return from.doc.metadata.kind === 'frontmatter'
    ? `${block}\n# ${title}\n\n## ${section}\n\n`
    : `# ${title}\n\n${block}\n## ${section}\n\n`;
}

/** The criteria a phase document created by a quick fix starts with, to fill in. */
export const PHASE_CRITERIA =
  '## Entry Criteria\n\n- [ ] What must be true to start\n\n## Exit Criteria\n\n- [ ] What must be true to finish\n';

/**
 * A new phase document at `rel`, when its name gives a phase: its title (`phaseTitle`),
 * its link back to `from` written as `from` links to it (metadata for a wikilink, kept
 * where `from` keeps its own as `newDocument` does; a "Previous Phase" / "Next Phase"
 * heading for a markdown link), and criteria to fill in.
 */
function phaseContent(
  index: WorkspaceIndex,
  from: DocEntry,
  link: WikiLink,
  rel: string,
  uri: string,
  name: string,
  chain: 'next' | 'previous',
): string | undefined {
  const dir = dirname(rel);
  const folder = /^(readme|index)$/i.test(name);
  const info = phaseOfFolderName(folder ? basename(dir) : name, index.patterns);
  if (!info) return undefined;
  const back = chain === 'next' ? 'previous' : 'next';
  const title = `# ${phaseTitle(from, info, folder)}\n\n`;
  if (link.syntax === 'markdown') {
    // A destination that leads back to `from` alone, encoded where it must be (`#`, `%`).
    const dest = linkTextTo(index, placeAt(from, rel, uri), { syntax: 'markdown', source: 'body' }, from);
    const label = (from.doc.title?.text ?? from.phase?.name ?? stripMdExtension(basename(from.rel))).replace(
      /[\\[\]]/g,
      '\\$&',
    );
    const heading = back === 'previous' ? 'Previous Phase' : 'Next Phase';
    const chained = dest === undefined ? '' : `\n## ${heading}\n\n[${label}](${dest})\n`;
    return `${title}${PHASE_CRITERIA}${chained}`;
  }
  const meta = `phase: ${info.id}\nname: ${JSON.stringify(info.name)}\n${back}_phase: "[[${sourceText(index, from, rel, uri)}]]"\n`;
  return from.doc.metadata.kind === 'frontmatter'
    ? `---\n${meta}---\n\n${title}${PHASE_CRITERIA}`
    : `${title}---\n${meta}---\n\n${PHASE_CRITERIA}`;
}

/**
 * A new phase's title, written as the linking phase `from` writes its own when that is its
 * number then a name (`Phase 01: Diagnose` gives `Phase 02: Prescribe`, `1. Plan` gives
 * `2. Build`): else `Phase 04: Monitor` for a phase folder's README, the name for a file.
 */
function phaseTitle(from: DocEntry, info: PhaseInfo, folder: boolean): string {
  const own = from.doc.title?.text;
  const m = own === undefined ? null : /^(|\D*\s)(\d{1,2})(?!\d)(\s*[:.)\-\u2013\u2014]\s*|\s+)\S/.exec(own);
  if (m && from.phase !== undefined && Number(m[2]) === from.phase.number)
    return `${m[1]}${String(info.number).padStart(m[2].length, '0')}${m[3]}${info.name}`;
  return folder ? `Phase ${info.id}: ${info.name}` : info.name;
}

/** A document to be created at `rel`, as resolution sees it: `from`'s folder, its own place. */
function placeAt(from: DocEntry, rel: string, uri: string): DocEntry {
  return Object.create(from, {
    uri: { value: uri },
    rel: { value: rel },
    dir: { value: dirname(rel) },
  }) as DocEntry;
}

/**
 * The link text that leads from the document to be created at `rel` back to `from` alone
 * (`linkTextFor`: its bare name when no namesake is as near, else a path): a phase
 * folder's `README` beside other phases' READMEs would be ambiguous. Its bare name when no
 * text a quoted YAML value and a wikilink can hold does.
 */
function sourceText(index: WorkspaceIndex, from: DocEntry, rel: string, uri: string): string {
  const name = stripMdExtension(basename(from.rel));
  const at = placeAt(from, rel, uri);
  const text = writableName(index, at, from, linkTextFor(index, at, from));
  return text !== undefined && !/["\\]/.test(text) && resolvesTo(index, at, text, from) ? text : name;
}

/** A template for a new document named `key`: `templates/<key>.md` or `<key>/template.md`. */
function findTemplate(index: WorkspaceIndex, from: DocEntry, key: string): DocEntry | undefined {
  const found = [
    ...index.templates(from.folder, key),
    ...index.named(from.folder, 'template').filter((e) => slug(basename(e.dir)) === key),
  ];
  found.sort((a, b) => cmp(a.rel, b.rel));
  return found[0];
}
