import { LineIndex } from '../text';
import type { BodySummary, ParsedDocument, Title, WikiLink } from '../types';
import { locateMetadata, maskBlock, parseMetadata } from './metadata';
import { parseBodyRemark } from './remark';
import { scanBody } from './scanner';

export type ParserKind = 'fast' | 'remark';

/**
 * Reads one document into the small summary the index keeps. Never throws: problems
 * in the metadata become metadata errors; the body parser always returns a value.
 */
export function parseDocument(uri: string, text: string, parser: ParserKind = 'fast'): ParsedDocument {
  const lines = new LineIndex(text);
  const block = locateMetadata(lines);
  const metaLinks: WikiLink[] = [];
  const metadata = parseMetadata(text, lines, block, metaLinks);
  const bodyText = block ? maskBlock(text, lines, block) : text;
  const bodyLines = bodyText === text ? lines : new LineIndex(bodyText);
  const body = parseBody(bodyText, bodyLines, parser);

  const links = mergeByPosition(metaLinks, body.links);
  return {
    uri,
    lineCount: lines.lineCount,
    title: findTitle(body, metadata.data),
    metadata,
    headings: body.headings,
    links,
    tasks: body.tasks,
    malformed: body.malformed,
  };
}

function parseBody(text: string, lines: LineIndex, parser: ParserKind): BodySummary {
  if (parser === 'remark') {
    try {
      return parseBodyRemark(text);
    } catch {
      // remark recurses on deeply nested input; the scanner does not.
    }
  }
  return scanBody(text, lines);
}

function findTitle(body: BodySummary, data: Record<string, unknown>): Title | undefined {
  const h = body.headings[0];
  if (h && h.level === 1) return { text: h.text, line: h.line, range: h.range };
  const t = data.title;
  if (typeof t === 'string' && t.trim()) {
    return {
      text: t.trim(),
      line: 0,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
  }
  return undefined;
}

function mergeByPosition(a: WikiLink[], b: WikiLink[]): WikiLink[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = [...a, ...b];
  out.sort(
    (x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character,
  );
  return out;
}
