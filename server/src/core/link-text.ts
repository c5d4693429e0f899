import type { DocEntry, Resolution, WorkspaceIndex } from './index';
import { parseDocument } from './parse/document';
import { decodeDestination, encodeAsWritten } from './parse/mdlink';
import { basename, relativeTo, stripMdExtension } from './paths';
import { slug } from './text';
import type { WikiLink } from './types';

/**
 * How to write a link to a document: the text that, written as the link's target, leads
 * to that document and no other. Completion inserts it, and the fixes that point a link
 * elsewhere write it; a fix with no such text is not offered.
 */

/** Whether link text `text` (a wikilink's target) leads from `from` to `target` alone. */
export function resolvesTo(
  index: WorkspaceIndex,
  from: DocEntry,
  text: string,
  target: DocEntry,
  cache?: Map<string, Resolution>,
): boolean {
  let r = cache?.get(text);
  if (!r) {
    r = index.resolve(from, { target: text });
    cache?.set(text, r);
  }
  return r.status === 'resolved' && r.target === target && r.candidates.length === 1;
}

/**
 * The link text that leads from `from` to `target`: the bare file name when that resolves
 * to it unambiguously (unless `withPath`: a link that must name its target on purpose),
 * else the folder-relative path without `.md`, else (when a nearer document shadows that
 * path) a path relative to `from`.
 */
export function linkTextFor(
  index: WorkspaceIndex,
  from: DocEntry,
  target: DocEntry,
  /** Resolutions of bare names from `from`, shared between calls of one request. */
  byName?: Map<string, Resolution>,
  withPath = false,
): string {
  const stem = stripMdExtension(basename(target.rel));
  if (!withPath && resolvesTo(index, from, stem, target, byName)) return stem;
  const path = stripMdExtension(target.rel);
  if (path.includes('/') && resolvesTo(index, from, path, target)) return path;
  return relativeTo(from.dir, path);
}

/** Whether `text` can stand as a wikilink's target: `#`, `|` and brackets would end or split it. */
export function writable(text: string): boolean {
  return !/[#|[\]\r\n]/.test(text);
}

/**
 * `name` when a wikilink can hold it, else its slug form (each segment), which resolution
 * reads as the same name (`c#-notes` → `c-notes`), when that still leads to `target`
 * alone; undefined when neither does.
 */
export function writableName(
  index: WorkspaceIndex,
  from: DocEntry,
  target: DocEntry,
  name: string,
  byName?: Map<string, Resolution>,
): string | undefined {
  if (writable(name)) return name;
  const slugged = name
    .split('/')
    .map((s) => (s === '.' || s === '..' ? s : slug(s)))
    .join('/');
  return slugged !== '' && writable(slugged) && resolvesTo(index, from, slugged, target, byName)
    ? slugged
    : undefined;
}

/**
 * The text to write as `link`'s target (its `targetRange`) so that it leads from `from` to
 * `target` alone, checked by reading the link as written back and resolving it: for a
 * wikilink a name or path (`linkTextFor`, slugged where a wikilink cannot hold it), for a
 * markdown link the path relative to `from`. With `withPath`, a wikilink is written with a
 * path even where its bare name would do. Undefined when no text does.
 */
export function linkTextTo(
  index: WorkspaceIndex,
  from: DocEntry,
  link: Pick<WikiLink, 'syntax' | 'angle' | 'source'>,
  target: DocEntry,
  withPath = false,
): string | undefined {
  let text: string | undefined;
  let source: string;
  if (link.syntax === 'markdown') {
    text = relativeDestination(from, target, link.angle === true);
    source = `[t](${link.angle ? `<${text}>` : text})`;
  } else {
    text = writableName(index, from, target, linkTextFor(index, from, target, undefined, withPath));
    if (withPath && text !== undefined && !/[/\\]/.test(text)) return undefined;
    source = `[[${text}]]`;
  }
  // In metadata the link sits in a quoted YAML value: a quote or backslash would end or change it.
  if (text === undefined || (link.source === 'metadata' && /["'\\]/.test(text))) return undefined;
  return leadsTo(index, from, source, target) ? text : undefined;
}

/** The path of `target` relative to `from`'s folder, encoded where a destination must be. */
function relativeDestination(from: DocEntry, target: DocEntry, angle: boolean): string {
  const path = relativeTo(from.dir, target.rel).replace(/^\.\//, '');
  if (angle)
    return path.replace(/[<>\\%#?]/g, (c) =>
      c === '%' ? '%25' : c === '#' ? '%23' : c === '?' ? '%3F' : `\\${c}`,
    );
  // Letters as they are (`Übersicht%20des%20Prozesses.md`, `要件%20定義.md`): only what the
  // destination cannot hold is encoded, as renames write it.
  return encodeAsWritten(path, '', false);
}

/** Whether `source`, parsed as a line of `from`, is one link that leads to `target` alone. */
function leadsTo(index: WorkspaceIndex, from: DocEntry, source: string, target: DocEntry): boolean {
  const links = parseDocument(from.uri, source).links;
  if (links.length !== 1 || links[0].raw !== source) return false;
  const r = index.resolve(from, { target: links[0].target, syntax: links[0].syntax });
  return r.status === 'resolved' && r.target === target && r.candidates.length === 1;
}

/**
 * A heading's new anchor written in a markdown link as the anchor it replaces was: encoded
 * when that was written with its letters encoded (`#%C3%BCber`), else as it is.
 */
export function anchorAsWritten(link: WikiLink, anchor: string): string {
  const written = writtenAnchor(link);
  return written === undefined ? anchor : encodeAsWritten(anchor, written, link.angle === true);
}

/** The anchor of a markdown link as its source writes it (`link.heading` is decoded). */
function writtenAnchor(link: WikiLink): string | undefined {
  const at = link.headingRange;
  if (!at || at.start.line !== at.end.line) return undefined;
  const k = at.start.line - link.range.start.line;
  const line = link.raw.split(/\r\n|\r|\n/)[k];
  const offset = k === 0 ? link.range.start.character : 0;
  const written = line?.slice(at.start.character - offset, at.end.character - offset);
  return written !== undefined && decodeDestination(written) === link.heading ? written : undefined;
}
