import { idOf } from '../ids';
import type { DocEntry } from '../index';
import type { Rule } from './rule';

const MAX_NAMED = 12;

/** A document on a `depends_on` cycle (of any length; depending on itself is one). */
export const dependencyCycle: Rule = {
  id: 'dependency-cycle',
  check(analysis, entry, report) {
    const ddx = entry.doc.ddx;
    if (!ddx?.id || ddx.dependsOn.length === 0) return;
    const ids = analysis.index.ids;
    const cycle = ids.cycle(entry);
    if (!cycle) return;
    const name = (e: DocEntry) => idOf(e) ?? e.rel;
    const path = cycle.path;
    if (!path) {
      // A component of thousands of documents: named by its members.
      const shown = cycle.members.slice(0, MAX_NAMED).map(name);
      report({
        message: `Dependency cycle: "${ddx.id.id}" is one of ${cycle.members.length} documents that depend on each other (${shown.join(', ')}, …).`,
        range:
          ddx.dependsOn.find((r) => ids.get(entry.folder, r.id).some((e) => ids.sameCycle(entry, e)))
            ?.range ?? ddx.dependsOn[0].range,
      });
      return;
    }
    // The entry that continues the cycle carries the finding.
    const nextId = idOf(path.length > 1 ? path[1] : entry);
    const at = ddx.dependsOn.find((r) => r.id === nextId) ?? ddx.dependsOn[0];
    const names = path.map(name);
    const shown = names.length > MAX_NAMED ? [...names.slice(0, MAX_NAMED), '…'] : names;
    report({
      message:
        path.length === 1
          ? `"${ddx.id.id}" depends on itself.`
          : `Dependency cycle: ${[...shown, names[0]].join(' → ')}.`,
      range: at.range,
      related: path.slice(1, 1 + MAX_NAMED).map((e) => ({
        uri: e.uri,
        range: e.doc.ddx?.id?.range ?? at.range,
        message: `"${idOf(e)}" is on the cycle`,
      })),
    });
  },
};
