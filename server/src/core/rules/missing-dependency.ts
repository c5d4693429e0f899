import type { Rule } from './rule';

/** A `depends_on` entry that names no id known in the workspace folder. */
export const missingDependency: Rule = {
  id: 'missing-dependency',
  check(analysis, entry, report) {
    const deps = entry.doc.ddx?.dependsOn;
    if (!deps?.length) return;
    for (const i of analysis.index.ids.missingDependencies(entry)) {
      const dep = deps[i];
      report({ message: `depends_on "${dep.id}": no document has this id.`, range: dep.range });
    }
  },
};
