import type { DocEntry } from '../index';
import { anchorAsWritten } from '../link-text';
import {
  anchorHint,
  headingAnchors,
  headingSegmentRanges,
  headingSegments,
  headingsUnder,
  missingHeading,
  nearestKey,
} from '../resolve';
import { shownHeading } from '../shown-text';
import { slug } from '../text';
import type { Fix, Heading, Range, WikiLink } from '../types';
import type { Rule } from './rule';
import { linkLabel } from './util';

/**
 * A link whose document exists but has no heading of that name. When one heading of the
 * target is clearly meant (see `meantHeading`), the message names it and the preferred
 * fix writes its anchor (markdown) or text (wikilink) in place of the one written. Of a
 * nested heading wikilink (`[[doc#Parent#Child]]`), the segment that breaks the chain is
 * named, and the meant heading sought among those its outer segments allow.
 */
export const brokenHeading: Rule = {
  id: 'broken-heading',
  check(analysis, entry, report) {
    for (const link of entry.doc.links) {
      if (link.heading === undefined) continue;
      const r = analysis.index.resolve(entry, link);
      if (r.status !== 'resolved' || !r.headingMissing) continue;
      const where = r.target === entry ? 'this document' : `"${r.target.rel}"`;
      const failed = r.headingFailed;
      const missing = missingHeading(link.heading, failed?.segment);
      const said =
        `${linkLabel(link)}: ${where} has no heading "${missing.name}"` +
        (missing.under === undefined ? '' : ` under "${missing.under}"`);
      // Only links already broken get here: the search costs nothing for those that resolve.
      let meant: { heading: Heading; text: string } | undefined;
      let fix: Fix | undefined;
      let range = link.headingRange ?? link.range;
      if (failed === undefined) {
        meant = meantHeading(r.target, link, link.heading);
        if (meant && analysis.detail) fix = headingFix(entry, link, meant, link.headingRange, link.heading);
      } else {
        // A nested link: the segment that breaks the chain, among the headings the segments
        // before it lie under (any heading for the first).
        const segment = headingSegmentRanges(link)?.[failed.segment];
        if (segment) range = segment.range;
        const allowed =
          failed.segment === 0 ? undefined : headingsUnder(r.target.doc.headings, new Set(failed.under));
        meant = meantHeading(r.target, link, missing.name, allowed);
        if (
          meant &&
          segment &&
          analysis.detail &&
          resolvesWith(r.target, link.heading, failed.segment, meant.text)
        )
          fix = headingFix(entry, link, meant, segment.range, segment.text);
      }
      report({
        message: meant ? `${said} — did you mean ${meantAs(link, meant)}?` : `${said}.`,
        range,
        related: [
          { uri: r.target.uri, range: r.target.doc.title?.range ?? zero(), message: 'the linked document' },
        ],
        fixes: fix ? [fix] : undefined,
      });
    }
  },
};

/**
 * The heading meant, as the message names it: for a markdown link the anchor to write
 * (`"#uber-plan" (heading "Über Plan")`), since its heading's text (`#Über%20Plan`) may be
 * just what was written; for a wikilink, which names headings by their text, that text.
 */
function meantAs(link: WikiLink, meant: { heading: Heading; text: string }): string {
  const shown = shownHeading(meant.heading.text);
  return link.syntax === 'markdown' ? anchorHint(meant.text, shown) : `"${shown}"`;
}

/** Whether a nested heading link reaches a heading with its segment `k` written as `text`. */
function resolvesWith(target: DocEntry, heading: string, k: number, text: string): boolean {
  const segments = headingSegments(heading).map((x) => x.text);
  segments[k] = text;
  return 'path' in target.headingPath(segments);
}

/**
 * The heading of `target` a link's missing `#heading` clearly means, with the text that
 * names it in the link's syntax (a markdown link: its GitHub anchor; a wikilink: its
 * text). Compared as the link is resolved (anchors in lower case, wikilink headings by
 * slug), by `nearestKey`. `heading` is the heading (of a nested heading
 * link, the segment) missing; `allowed`, the headings (by index) it may mean, else all.
 */
function meantHeading(
  target: DocEntry,
  link: WikiLink,
  heading: string,
  allowed?: Iterable<number>,
): { heading: Heading; text: string } | undefined {
  const markdown = link.syntax === 'markdown';
  const written = markdown ? heading.toLowerCase() : slug(heading);
  const headings = target.doc.headings;
  const keys = markdown ? headingAnchors(headings) : headings.map((h) => slug(h.text));
  const best = nearestKey(keys, written, allowed);
  if (best === undefined) return undefined;
  // (a wikilink names a heading by its words as shown: `**Exit** Criteria` is `Exit Criteria`)
  return { heading: headings[best], text: markdown ? keys[best] : shownHeading(headings[best].text) };
}

/**
 * The fix writing the meant heading's anchor or text over the link's `#heading` alone, or
 * over the segment `range` of a nested one that holds `written` (path, alias, title and
 * brackets as written); none where it could not be written there exactly as it reads.
 */
function headingFix(
  entry: DocEntry,
  link: WikiLink,
  meant: { heading: Heading; text: string },
  range: Range | undefined,
  written: string,
): Fix | undefined {
  if (!range || range.start.line !== range.end.line) return undefined;
  let text = meant.text;
  if (link.syntax === 'markdown') {
    // A GitHub anchor is letters, digits, `-` and `_`: written as it is in any destination,
    // encoded where the anchor it replaces was (`#%C3%BCber`).
    if (!/^[\p{L}\p{M}\p{N}_-]+$/u.test(text)) return undefined;
    text = anchorAsWritten(link, text);
  } else {
    // A `#`, `|` or bracket would end or split the wikilink; in metadata a quote or
    // backslash would end or change the YAML value. The range must hold the heading as
    // it reads (no escapes in it) for the edit to replace exactly that.
    if (/[#|[\]\r\n]/.test(text)) return undefined;
    if (link.source === 'metadata' && /["'\\]/.test(text)) return undefined;
    if (range.end.character - range.start.character !== written.length) return undefined;
  }
  return {
    kind: 'edit',
    title: `Link to the heading "${shownHeading(meant.heading.text)}": #${meant.text}`,
    uri: entry.uri,
    edits: [{ range, newText: text }],
    preferred: true,
  };
}

function zero() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
