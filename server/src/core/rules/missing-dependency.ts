import { inTemplateFolder } from '../resolve';
import type { Rule } from './rule';

/** A `depends_on` entry that names no id known in the workspace folder (outside definitions: none of a definition's). */
export const missingDependency: Rule = {
  id: 'missing-dependency',
  check(analysis, entry, report) {
    const deps = entry.doc.ddx?.dependsOn;
    // A workspace template's entries (`templates/feature.md`) stand for the ids its copies will name.
    if (!deps?.length || inTemplateFolder(entry.dir)) return;
    const ids = analysis.index.ids;
    for (const i of ids.missingDependencies(entry)) {
      const dep = deps[i];
      // Declared only where this document may not name it: a workflow definition's template
      // (for a project's document), a project's document (for a definition's template).
      const elsewhere = ids.get(entry.folder, dep.id).length > 0;
      const where = analysis.isDefinitionDocument(entry)
        ? "a project's document declares it; a workflow definition's templates name only their own ids"
        : "only a workflow definition's template declares it";
      // Ids written as one text with commas (`"helix.prd, FEAT-005"`), each of them known.
      const parts = dep.id.includes(',') ? dep.id.split(',').map((x) => x.trim()) : [];
      const listed = parts.length > 1 && parts.every((x) => x !== '' && ids.get(entry.folder, x).length > 0);
      report({
        message: dep.id.includes('{{')
          ? `depends_on "${dep.id}" is a template's placeholder left unfilled: write the id of the document this one depends on.`
          : elsewhere
            ? `depends_on "${dep.id}": no document has this id (${where}).`
            : /\]\].*\[\[/.test(dep.id)
              ? `depends_on "${dep.id}": one text holding several wikilinks names no id; write each as an entry of a list (depends_on: ["[[A]]", "[[B]]"]).`
              : listed
                ? `depends_on "${dep.id}": one text holding ${parts.length} ids separated by commas names no id; write them as a list (depends_on: [${parts.join(', ')}]).`
                : `depends_on "${dep.id}": no document has this id.`,
        range: dep.range,
      });
    }
  },
};
