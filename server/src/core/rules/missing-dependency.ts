import type { DocEntry } from '../index';
import { inTemplateFolder } from '../resolve';
import type { Rule, RuleContext } from './rule';

/** A `depends_on` entry that names no id known in the workspace folder (outside definitions: none of a definition's). */
export const missingDependency: Rule = {
  id: 'missing-dependency',
  check(analysis, entry, report) {
    const deps = entry.doc.ddx?.dependsOn;
    // A workspace template's entries (`templates/feature.md`) stand for the ids its copies will name.
    if (!deps?.length || inTemplateFolder(entry.dir)) return;
    for (const i of analysis.index.ids.missingDependencies(entry)) {
      const dep = deps[i];
      report({ message: `depends_on "${dep.id}"${why(analysis, entry, dep.id)}`, range: dep.range });
    }
  },
};

/** Why an entry naming `id` names no document, after `depends_on "id"`. */
function why(analysis: RuleContext, entry: DocEntry, id: string): string {
  const ids = analysis.index.ids;
  if (id.includes('{{'))
    return " is a template's placeholder left unfilled: write the id of the document this one depends on.";
  // Declared only where this document may not name it: a workflow definition's template
  // (for a project's document), a project's document (for a definition's template).
  if (ids.get(entry.folder, id).length > 0)
    return analysis.isDefinitionDocument(entry)
      ? ": no document has this id (a project's document declares it; a workflow definition's templates name only their own ids)."
      : ": no document has this id (only a workflow definition's template declares it).";
  if (/\]\].*\[\[/.test(id))
    return ': one text holding several wikilinks names no id; write each as an entry of a list (depends_on: ["[[A]]", "[[B]]"]).';
  // Ids written as one text with commas (`"helix.prd, FEAT-005"`), each of them known.
  const parts = id.includes(',') ? id.split(',').map((x) => x.trim()) : [];
  if (parts.length > 1 && parts.every((x) => x !== '' && ids.get(entry.folder, x).length > 0))
    return `: one text holding ${parts.length} ids separated by commas names no id; write them as a list (depends_on: [${parts.join(', ')}]).`;
  return ': no document has this id.';
}
