import { idOf, isRetired } from '../ids';
import type { DocEntry } from '../index';
import type { Range } from '../types';
import type { Rule } from './rule';
import { linkLabel } from './util';

/** A link or a dependency to a document whose status is `superseded` or `deprecated`. */
export const supersededLink: Rule = {
  id: 'superseded-link',
  check(analysis, entry, report) {
    const index = analysis.index;
    if (!index.ids.anyRetired) return;
    // The document that supersedes one links it as provenance ("Replaces [[ADR-001]]").
    // The document its `superseded_by` reaches (from it, as an id: exactly, nearest first).
    // Or the one whose own `supersedes` names it (from here, as an id).
    const supersedes = entry.doc.ddx?.supersedes ?? [];
    const replacedBy = (target: DocEntry) => {
      const by = target.doc.ddx?.supersededBy;
      if (by !== undefined && idOf(entry) !== undefined && index.ids.nearest(target, by) === entry)
        return true;
      return supersedes.some((id) => index.ids.nearest(entry, id) === target);
    };
    const say = (label: string, target: DocEntry, range: Range) => {
      const d = target.doc.ddx!;
      const by = d.supersededBy;
      // Its successor as the superseded document names it (the nearest declaring the id);
      // one that names nothing is no advice (a missing-dependency on that value says so).
      const successor = by
        ? index.ids.nearest(target, by)
          ? `; use "${by}" instead`
          : `; its successor "${by}" is not found`
        : '';
      report({
        message: `${label} is ${d.status!.toLowerCase()}${successor}.`,
        range,
        related: [
          {
            uri: target.uri,
            range: d.id?.range ?? d.range,
            message: `status: ${d.status}${by ? `, superseded_by: ${by}` : ''}`,
          },
        ],
      });
    };
    for (const link of entry.doc.links) {
      // A `depends_on` entry written as a wikilink: said once, as the dependency, below.
      if (entry.dependencyLinks.has(link)) continue;
      const r = index.resolve(entry, link);
      if (r.status !== 'resolved' || r.target === entry || !isRetired(r.target) || replacedBy(r.target))
        continue;
      say(linkLabel(link), r.target, link.targetRange);
    }
    for (const dep of entry.doc.ddx?.dependsOn ?? []) {
      const target = index.ids.nearest(entry, dep.id);
      if (!target || target === entry || !isRetired(target) || replacedBy(target)) continue;
      say(`depends_on "${idOf(target)}"`, target, dep.range);
    }
  },
};
