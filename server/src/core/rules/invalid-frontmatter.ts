import { usablePhaseValue } from '../model';
import { inTemplateFolder } from '../resolve';
import type { Rule } from './rule';

/**
 * YAML that does not parse (at the error's position), a DDX block, `id` or `depends_on`
 * that holds no id (found when the document is read), or a `phase` that cannot be used:
 * a list, a map, a flag, a number outside 00..99. A name (`"01-frame"`, `deploy`) is
 * fine: in a document that is not a phase it names the phase the document belongs to.
 */
export const invalidFrontmatter: Rule = {
  id: 'invalid-frontmatter',
  check(analysis, entry, report) {
    const m = entry.doc.metadata;
    if (m.toml)
      report({
        message:
          'TOML front matter (`+++`) is not read: its metadata (phase, links, ids) counts for nothing. Write the metadata as YAML between `---` lines.',
        range: m.toml,
        atMost: 'warning',
      });
    for (const e of m.errors) report({ message: e.message, range: e.range });
    // Metadata that could not be read has no `phase` value to judge.
    const phase = m.entries.find((e) => e.key === 'phase');
    if (phase && Object.hasOwn(m.data, 'phase') && !usablePhaseValue(m.data.phase)) {
      const unfilled = placeholderOf(m.data.phase);
      // A template's placeholder (`phase: {{NN}}`) is what a template holds; in a document
      // made from one, it was left unfilled.
      if (unfilled !== undefined) {
        if (inTemplateFolder(entry.dir) || analysis.isDefinitionDocument(entry)) return;
        report({
          message: `\`phase\` is a template's placeholder left unfilled (${unfilled}): write the phase's number (00 to 99) or name.`,
          range: phase.range,
        });
        return;
      }
      report({
        message: `\`phase\` must be a phase number from 00 to 99 or a phase's name, not ${JSON.stringify(m.data.phase ?? null)}.`,
        range: phase.range,
      });
    }
  },
};

/**
 * A placeholder written without quotes (`{{NN}}`), which YAML reads as a mapping holding a
 * mapping with no value, as it was written; undefined for any other value.
 */
function placeholderOf(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1 || (v as Record<string, unknown>)[keys[0]] !== null) return undefined;
  const inner = /^\{\s*([^{}]*?)\s*\}$/.exec(keys[0]);
  return inner ? `{{${inner[1]}}}` : undefined;
}
