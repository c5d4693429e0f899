import { usablePhaseValue } from '../model';
import type { Rule } from './rule';

/**
 * YAML that does not parse (at the error's position), a DDX block, `id` or `depends_on`
 * that holds no id (found when the document is read), or a `phase` that cannot be used:
 * a list, a map, a flag, a number outside 00..99. A name (`"01-frame"`, `deploy`) is
 * fine: in a document that is not a phase it names the phase the document belongs to.
 */
export const invalidFrontmatter: Rule = {
  id: 'invalid-frontmatter',
  check(_analysis, entry, report) {
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
      report({
        message: `\`phase\` must be a phase number from 00 to 99 or a phase's name, not ${JSON.stringify(m.data.phase ?? null)}.`,
        range: phase.range,
      });
    }
  },
};
