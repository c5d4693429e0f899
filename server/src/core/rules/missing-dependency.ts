import type { Rule } from './rule';

/** A `depends_on` entry that names no id known in the workspace folder (outside definitions: none of a definition's). */
export const missingDependency: Rule = {
  id: 'missing-dependency',
  check(analysis, entry, report) {
    const deps = entry.doc.ddx?.dependsOn;
    if (!deps?.length) return;
    const ids = analysis.index.ids;
    for (const i of ids.missingDependencies(entry)) {
      const dep = deps[i];
      // Declared only where this document may not name it: a workflow definition's template
      // (for a project's document), a project's document (for a definition's template).
      const elsewhere = ids.get(entry.folder, dep.id).length > 0;
      const where = analysis.isDefinitionDocument(entry)
        ? "a project's document declares it; a workflow definition's templates name only their own ids"
        : "only a workflow definition's template declares it";
      report({
        message: elsewhere
          ? `depends_on "${dep.id}": no document has this id (${where}).`
          : /\]\].*\[\[/.test(dep.id)
            ? `depends_on "${dep.id}": one text holding several wikilinks names no id; write each as an entry of a list (depends_on: ["[[A]]", "[[B]]"]).`
            : `depends_on "${dep.id}": no document has this id.`,
        range: dep.range,
      });
    }
  },
};
