import type { DocEntry } from '../index';
import { inTemplateFolder } from '../resolve';
import type { Rule, RuleContext } from './rule';

const MAX_RELATED = 20;

/**
 * Two or more documents of a workflow instance (or, outside every instance, of a
 * workspace folder) declare the same DDX id. The projects of a monorepo each have their
 * own ids: links by id reach the nearest declaring document. Documents of a workflow
 * definition (a template and its example) declare the id of the artifact they describe,
 * not their own: they are left out on both sides, as are a workspace's templates
 * (`templates/adr.md` and `templates/adr-lite.md` both declaring `ADR-XXX`).
 */
export const duplicateId: Rule = {
  id: 'duplicate-id',
  check(analysis, entry, report) {
    const id = entry.doc.ddx?.id;
    if (!id) return;
    // Most ids are declared once: that is settled before asking which documents are definitions.
    const declaring = analysis.index.ids.get(entry.folder, id.id);
    if (declaring.length < 2 || isTemplate(analysis, entry)) return;
    // Within one instance; a document outside every instance ('') clashes with any.
    const scope = analysis.scopeOf(entry);
    const all = declaring.filter((e) => {
      if (isTemplate(analysis, e)) return false;
      const s = analysis.scopeOf(e);
      return s === scope || s === '' || scope === '';
    });
    if (all.length < 2) return;
    const others = all.filter((e) => e !== entry);
    const shown = others.slice(0, MAX_RELATED);
    report({
      message: `Id "${id.id}" is declared by ${all.length} documents: ${all
        .slice(0, 5)
        .map((e) => e.rel)
        .join(', ')}${all.length > 5 ? ` and ${all.length - 5} more` : ''}.`,
      range: id.range,
      related: shown.map((e) => ({
        uri: e.uri,
        range: e.doc.ddx?.id?.range ?? id.range,
        message: `also declares "${id.id}"`,
      })),
    });
  },
};

/** A workflow definition's document or a workspace template (in a `templates/` folder, see `inTemplateFolder`). */
function isTemplate(analysis: RuleContext, e: DocEntry): boolean {
  return inTemplateFolder(e.dir) || analysis.isDefinitionDocument(e);
}
