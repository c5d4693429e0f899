// What a row of the Links view says besides its title, without the editor API (unit-tested).
import type { LinkItemDto } from '../../server/src/protocol';

/** The line a link row is written on (0-based), when the row is a link: in the document shown for an outgoing link, in the linking document for a backlink. */
export function linkLine(section: string, item: LinkItemDto): number | undefined {
  if (section === 'outgoing') return item.line;
  if (section === 'backlinks') return item.range.start.line;
  return undefined;
}

/**
 * The description of a row: its DDX id, the link as written and its path (when they say more
 * than the title), and, for a document that appears more than once in the section (a link
 * repeated in a document), the line of this link ("line 8"), so the rows can be told apart.
 */
export function linkRowDescription(
  section: string,
  item: LinkItemDto,
  siblings: readonly LinkItemDto[],
): string {
  const parts = [item.id, item.link, item.rel].filter((x) => x !== undefined && x !== item.label);
  const line = linkLine(section, item);
  if (line !== undefined && siblings.filter((s) => s.uri === item.uri).length > 1)
    parts.push(`line ${line + 1}`);
  return parts.join(' · ');
}
