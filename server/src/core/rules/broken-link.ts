import type { WikiLink } from '../types';
import type { Rule } from './rule';
import { brokenMessage, createDocumentFix, linkLabel } from './util';

/**
 * A link (body or metadata) that resolves to nothing. Artifact links are reported as
 * missing-artifact, `depends_on` entries written as wikilinks as missing-dependency. A markdown link whose path reaches its file only when letter case is
 * ignored is broken too where case counts (GitHub, Linux): reported, with a fix that
 * writes the path as the file is named.
 */
export const brokenLink: Rule = {
  id: 'broken-link',
  check(analysis, entry, report) {
    const artifacts = new Set(entry.artifacts);
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
              : [
                  {
                    kind: 'edit',
                    title: `Write the path as the file is named: ${fixed}`,
                    uri: entry.uri,
                    edits: [{ range: link.targetRange, newText: fixed }],
                    preferred: true,
                  },
                ],
        });
        continue;
      }
      if (artifacts.has(link) || entry.dependencyLinks.has(link)) continue;
      if (r.status !== 'broken') continue;
      const fix = analysis.detail ? createDocumentFix(analysis.index, entry, link, 'document') : undefined;
      report({ message: brokenMessage(link, r), range: link.range, fixes: fix ? [fix] : undefined });
    }
  },
};

/**
 * The link's path with each segment in the case of the file's path (`actual`, from the
 * workspace folder), matched from the end; undefined when the path is written encoded
 * or its segments do not line up.
 */
function casedPath(link: WikiLink, actual: string): string | undefined {
  if (link.written !== undefined) return undefined;
  const written = link.target.split('/');
  const real = actual.split('/');
  let r = real.length - 1;
  // A folder's README is reached by the folder: its own name is not written.
  if (!/\.[^/]*$/.test(written[written.length - 1] ?? '') && /^(readme|index)\.md$/i.test(real[r])) r--;
  // Without `.md` the last segment is matched without it.
  const out = [...written];
  for (let w = written.length - 1; w >= 0 && r >= 0; w--) {
    const seg = written[w];
    if (seg === '' || seg === '.' || seg === '..') break;
    const name = real[r];
    if (seg.toLowerCase() === name.toLowerCase()) out[w] = name;
    else if (`${seg}.md`.toLowerCase() === name.toLowerCase()) out[w] = name.slice(0, seg.length);
    else return undefined;
    r--;
  }
  const fixed = out.join('/');
  return fixed === link.target ? undefined : fixed;
}
