import type { Rule } from './rule';

/** A `depends_on` entry that names no id known in the workspace folder. */
export const missingDependency: Rule = {
  id: 'missing-dependency',
  check(analysis, entry, report) {
    for (const dep of entry.doc.ddx?.dependsOn ?? []) {
      if (analysis.index.ids.get(entry.folder, dep.id).length > 0) continue;
      report({ message: `depends_on "${dep.id}": no document has this id.`, range: dep.range });
    }
  },
};
