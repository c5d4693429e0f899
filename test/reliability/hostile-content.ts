/**
 * Hostile document content: long runs of markdown, wikilink and YAML punctuation in every
 * place the parser and the rules look (a line of its own, a heading, a wikilink, a link's
 * heading part, a task, a metadata value, a heading another document links to), plus
 * long lines, many headings and deep nesting. Each shape is about `size` characters, far
 * under the size limit, so it is parsed and checked. A parser or rule with a quadratic
 * path takes minutes on one of these; a linear one takes milliseconds.
 */

/** Characters whose long runs have made line scanners and trailing-trim regexes quadratic. */
export const RUN_CHARS = [
  '[',
  ']',
  '#',
  '`',
  '*',
  '_',
  '~',
  '\\',
  ' ',
  '\t',
  '|',
  '<',
  '>',
  '(',
  ')',
  '!',
  '-',
  '=',
  ':',
  '/',
  '.',
  '"',
  "'",
  '&',
  '{',
];

/** Multi-character units repeated into a run. */
export const RUN_UNITS = [
  '../',
  '[[',
  ']]',
  '- ',
  '> ',
  '1. ',
  '- [ ] ',
  ' -',
  ': ',
  '#-',
  '[ ]',
  '\\[',
  '\\[[a]]',
  '\\![[a]]',
  '<https://a/[[b]][c](d)>',
  '`a',
  '*a',
  'a ',
  '.md#',
  // A footnote's start and a link's text and opening: read as rendered in headings and
  // anchors (each once ran to the line's end from every occurrence).
  '[^',
  '[a](',
];

export interface HostileShape {
  name: string;
  /** Folder-relative path to text; `01-hostile.md` is a phase document holding the shape. */
  files: Record<string, string>;
}

/** A phase document around `body`, and a second phase document that links into it. */
function phaseWith(body: string, metadataExtra = ''): Record<string, string> {
  return {
    '01-hostile.md': `# Hostile\n\n---\nphase: 01\nnext: "[[02-next]]"${metadataExtra}\n---\n\n## Exit Criteria\n\n- [ ] one\n\n${body}\n`,
    '02-next.md':
      '# Next\n\n---\nphase: 02\nprevious: "[[01-hostile]]"\n---\n\nSee [[01-hostile#Exit Criteria]].\n',
  };
}

/** Every hostile shape, each about `size` characters of hostile content. */
export function hostileShapes(size = 200_000): HostileShape[] {
  const shapes: HostileShape[] = [];
  const runs = [
    ...RUN_CHARS.map((c) => ({ label: JSON.stringify(c), run: c.repeat(size) })),
    ...RUN_UNITS.map((u) => ({ label: JSON.stringify(u), run: u.repeat(Math.ceil(size / u.length)) })),
  ];
  for (const { label, run } of runs) {
    const oneLine = run.replace(/[\r\n]/g, ' ');
    shapes.push({ name: `run of ${label} on a line`, files: phaseWith(`a${oneLine}b`) });
    shapes.push({ name: `run of ${label} in a heading`, files: phaseWith(`## A${oneLine}b`) });
    // A group's heading with emphasis markers: its name is read as rendered.
    shapes.push({
      name: `run of ${label} in a group heading with emphasis`,
      files: phaseWith(`## *A* \`b\` ${oneLine}b\n\n- [ ] t`),
    });
    shapes.push({
      name: `run of ${label} in a wikilink`,
      files: phaseWith(`See [[a${oneLine}b]] and [[01-hostile]].`),
    });
    shapes.push({
      name: `run of ${label} in a link's heading`,
      files: phaseWith(`See [[01-hostile#A${oneLine}b]].`),
    });
    shapes.push({ name: `run of ${label} in a task`, files: phaseWith(`- [ ] a${oneLine}b`) });
    shapes.push({
      name: `run of ${label} in a metadata value`,
      files: phaseWith('', `\nnote: a${oneLine}b`),
    });
    // Values of the keys read as links (a path, a markdown link, an artifact).
    shapes.push({
      name: `run of ${label} in a chain link's metadata value`,
      files: phaseWith('', `\nnext_phase: a${oneLine}b\nprevious_phase: "[T${oneLine}x](a.md)"`),
    });
    shapes.push({
      name: `run of ${label} in artifacts`,
      files: phaseWith('', `\nartifacts:\n  - a${oneLine}b\n  - "[A](a${oneLine}.md)"\n  - a${oneLine}b x`),
    });
    // A flow list's item and a path value with text after the run.
    shapes.push({
      name: `run of ${label} in a flow list of artifacts and a path value`,
      files: phaseWith('', `\nartifacts: [a${oneLine}b.md, "x.md"]\nnext_phase: "a${oneLine}b x"`),
    });
    // A heading another document links to by a spelling that differs only in the run.
    const linked = phaseWith(`## Gate${oneLine}Criteria\n\n- [ ] two`);
    linked['02-next.md'] += `\n[[01-hostile#Gate${oneLine.slice(1)}Criteria]]\n`;
    shapes.push({ name: `run of ${label} in a linked heading`, files: linked });
    // A heading a markdown link's anchor reaches: its anchor is made from it as rendered.
    const anchored = phaseWith(`## A${oneLine}b\n\n- [ ] three`);
    anchored['02-next.md'] += '\n[x](01-hostile.md#foo)\n';
    shapes.push({ name: `run of ${label} in a heading a markdown link's anchor reaches`, files: anchored });
  }
  // Metadata lines of brackets after a wikilink: each line's scan for a `[[` ran past its
  // end, to the end of the text.
  shapes.push({
    name: 'many metadata lines of brackets after a wikilink',
    files: phaseWith('', `\nnext_phase: "[[02-next]]"\nlist:\n${'  - "[x] [y] [z]"\n'.repeat(size / 18)}`),
  });
  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
  const words = Math.ceil(size / 6);
  shapes.push({ name: 'a very long line of words', files: phaseWith(lines(1, () => 'word '.repeat(words))) });
  shapes.push({ name: 'a very long line of links', files: phaseWith('[[01-hostile]] '.repeat(size / 15)) });
  shapes.push({ name: 'many headings', files: phaseWith(lines(size / 10, (i) => `## H ${i}`)) });
  shapes.push({ name: 'many equal headings', files: phaseWith(lines(size / 10, () => '## Exit Criteria')) });
  shapes.push({ name: 'many empty headings', files: phaseWith(lines(size / 3, () => '##')) });
  shapes.push({ name: 'many tasks', files: phaseWith(lines(size / 10, (i) => `- [ ] t${i}`)) });
  shapes.push({ name: 'many setext headings', files: phaseWith(lines(size / 6, () => 'a\n===')) });
  shapes.push({ name: 'many code fences', files: phaseWith(lines(size / 4, () => '```')) });
  shapes.push({ name: 'many unclosed code spans', files: phaseWith(lines(size / 4, () => '`a [[x]]')) });
  const depth = Math.floor(Math.sqrt(size));
  shapes.push({ name: 'deep list', files: phaseWith(lines(depth, (i) => `${'  '.repeat(i)}- [ ] d${i}`)) });
  shapes.push({ name: 'deep tab list', files: phaseWith(lines(depth * 2, (i) => `${'\t'.repeat(i)}- x`)) });
  shapes.push({
    name: 'deep block quote',
    files: phaseWith(lines(depth, (i) => `${'> '.repeat(i)}- [ ] q${i}`)),
  });
  shapes.push({
    name: 'deep ordered list',
    files: phaseWith(lines(depth, (i) => `${'   '.repeat(i)}1. [x] o${i}`)),
  });
  shapes.push({ name: 'list markers nested on one line', files: phaseWith(`${'- '.repeat(size / 2)}[ ] x`) });
  shapes.push({ name: 'block quote markers on one line', files: phaseWith(`${'>'.repeat(size)} - [ ] x`) });
  shapes.push({
    name: 'list markers nested on one line, then blank lines',
    files: phaseWith(`${'- '.repeat(size / 4)}x\n${'\n'.repeat(size / 2)}- [ ] y`),
  });
  shapes.push({
    name: 'block quotes nested on one line, then quoted lines',
    files: phaseWith(`${'>'.repeat(size / 4)} x\n${'>\n'.repeat(size / 4)}- [ ] y`),
  });
  shapes.push({ name: 'many lines of `[[`', files: phaseWith(lines(size / 4, () => '[[a')) });
  shapes.push({
    name: 'many links with `../`',
    files: phaseWith(lines(size / 30, () => '[[../../../../a/../b]]')),
  });
  shapes.push({ name: 'a long table', files: phaseWith(lines(size / 20, () => '| [[a]] | - [ ] b |')) });
  shapes.push({ name: 'a long HTML comment', files: phaseWith(`<!--${' [[a]]'.repeat(size / 6)}`) });
  // Brackets nested over many lines before a link, with a link reference defined: each
  // pair's text could be a label (it copied every pair's text: out of memory).
  shapes.push({
    name: 'brackets nested over many lines, a reference defined',
    files: phaseWith(
      `${'x [\n'.repeat(size / 8)}${'y ]\n'.repeat(size / 8)}[a](01-hostile.md)\n\n[r]: 02-next.md`,
    ),
  });
  shapes.push({
    name: 'many link resources left open over lines',
    files: phaseWith(lines(size / 12, (i) => `[a](x.md ${i % 3 === 0 ? '"' : i % 3 === 1 ? "'" : '('}`)),
  });
  return shapes;
}

/** The shapes that overflowed the parser's stack: flow 20,000 deep, block 1,000 deep. */
export function deepYaml(): Record<string, string> {
  const n = 20_000;
  const block = (f: (i: number) => string) => Array.from({ length: 1000 }, (_, i) => f(i)).join('\n');
  return {
    'flow sequences': `x: ${'['.repeat(n)}${']'.repeat(n)}`,
    'flow mappings': `x: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`,
    'flow sequences with spaces': `x: ${'[ '.repeat(n)}1${' ]'.repeat(n)}`,
    'block mappings': `x:\n${block((i) => `${' '.repeat(i + 1)}a:`)}`,
    'block sequences of mappings': `x:\n${block((i) => `${' '.repeat(i + 1)}- a:`)}`,
    'block sequences': `x:\n${block((i) => `${'  '.repeat(i + 1)}-`)}`,
    'compact sequences on one line': `x:\n${'- '.repeat(n)}a`,
  };
}
