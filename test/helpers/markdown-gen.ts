/**
 * Seeded generator of CDP-like markdown documents, for differential tests of the body
 * parsers. Same seed, same document.
 *
 * Deliberately not generated (the fast scanner does not model them; see scanner.ts):
 * - link reference definitions spanning several lines (one-line ones are generated);
 * - a line outside the containers of a table directly after it (micromark keeps it in the
 *   table's containers for some purposes and not others);
 * - backticks or `<` inside link titles and link destinations (`[a](b "`c`")`), which the
 *   scanner would read as code spans or HTML;
 * - brackets of a markdown link after a bare URL (`https://e.org/[t](x.md)`, a GFM
 *   literal autolink, which micromark ends by its own trailing-punctuation rules).
 */

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function chance(r: Rng, p: number): boolean {
  return r() < p;
}

const WORDS = [
  'treatment',
  'diagnosis',
  'monitor',
  'release',
  'gate',
  'criteria',
  'validated',
  'plan',
  'symptom',
  'phase',
  'rollback',
  'deploy',
  'review',
  'approve',
  'sign-off',
  'état',
  'naïve',
  '😀',
  'x',
  '1.',
  '#tag',
  '*',
  '_',
  '|',
  '\\',
  '[',
  ']',
  '!',
  '<',
  '>',
  '&amp;',
];

const TARGETS = [
  '05-release',
  '06-follow-up',
  'Release Plan',
  '../prd/README',
  'prd/examples/ddx-v1.md',
  'examples',
  'test-plan/README',
  'release-plan',
  ' spaced ',
];

export function wikilink(r: Rng, inTable = false): string {
  const t = pick(r, TARGETS);
  const sep = inTable || chance(r, 0.1) ? '\\|' : '|';
  const bang = chance(r, 0.1) ? '!' : '';
  switch (int(r, 0, 6)) {
    case 0:
      return `${bang}[[${t}]]`;
    case 1:
      return `${bang}[[${t}${sep}${pick(r, ['Alias', 'Follow-up Phase', ' x '])}]]`;
    case 2:
      return `[[${t}#${pick(r, ['Exit Criteria', 'Entry Criteria', 'Overview'])}]]`;
    case 3:
      return `[[${t}#Gate${sep}the gate]]`;
    case 4:
      return `[[#${pick(r, ['Overview', 'Purpose', 'Exit Criteria'])}]]`;
    case 5:
      return pick(r, ['[[]]', '[[ ]]', '[[a', '[[a]', '[[a[b]]', '[[[a]]', '[[a]]]', '[[x\\]]']);
    default:
      return `[[${t}]]`;
  }
}

/**
 * A markdown link or image to a path, in the shapes real documents and attacks use
 * (`breakForms`: its resource may go on over lines, not in a table's cell: text after a
 * table in a container is a micromark corner case the scanner does not follow, see
 * generateDocument).
 */
function markdownLink(r: Rng, inTable = false): string {
  const dest = pick(r, [
    'plan.md',
    '../02-design/README.md#exit-criteria',
    '<my doc.md>',
    'my%20doc.md',
    'a\\(b\\).md',
    '#overview',
    'img/a.png',
    '/docs/x.md',
    'x.md "title"',
    'x.md#a(b)',
    '<a<b>',
    '(x.md',
    '',
    'R&amp;D.md#a&#x41;',
    '&#x41;.md',
    'x&#35;y&#63;z',
    '<a&lt;b.md>',
    '&bogus;.md',
  ]);
  const text = pick(r, [
    't',
    '',
    'a [b] c',
    '`code](x.md)`',
    '[[w]]',
    'x [i](in.md) y',
    '\\]',
    ...(breakForms ? ['a [ref] b', 'ref][', '[ref][] x', 'x [t][Ref]', 'a [nope] b'] : []),
  ]);
  if (breakForms && !inTable && chance(r, 0.4)) {
    // The resource over lines: after `(`, after the destination, inside a title, before `)`.
    const broken = pick(r, [
      `(\n${dest})`,
      `(${dest}\n)`,
      `(\n  ${dest} \n)`,
      `(x.md\n"a title")`,
      `(x.md "a\nlong title")`,
      `(x.md\n\n)`,
      `(\n\nx.md)`,
      `(<x y.md>\n't')`,
    ]);
    return `${pick(r, ['', '', '!', '\\'])}[${text}]${broken}`;
  }
  return `${pick(r, ['', '', '!', '\\'])}[${text}](${dest})`;
}

/**
 * What is not a link though it holds one (see generateDocument's `escapes`): a wikilink
 * or a markdown link inside an autolink, whose content is a URL; a wikilink or link whose
 * first bracket, or whose `!`, is escaped by a backslash; and the near misses that are
 * links: an escaped backslash before one, and a wikilink in `<…>` that is no autolink.
 */
function escapeForm(r: Rng, inTable: boolean): string {
  switch (int(r, 0, 4)) {
    case 0:
      // A space or `<` in a markdown link would end the autolink, leaving a GFM literal
      // one (`https://…` written bare), whose brackets the scanner does not model.
      return `<${pick(r, ['https://example.org/', 'https://example.org/x/', 'mailto:a@b.co?s=', 'x+y:'])}${chance(r, 0.5) ? wikilink(r, inTable) : pick(r, ['[y](nope.md)', '![i](i.png)', '[a[b]c](x.md)', '[t](#overview)', '[[w]](x.md)', '\\[e](x.md)'])}${pick(r, ['', '', 'z'])}>`;
    case 1:
      return `${pick(r, ['\\', '\\', '\\\\', '\\\\\\', '!\\', '\\!'])}${wikilink(r, inTable)}`;
    case 2:
      return `${pick(r, ['\\', '\\\\', '\\!'])}${markdownLink(r)}`;
    case 3:
      return `<${wikilink(r, inTable)}>`;
    default:
      return `${pick(r, ['[', '![', '[[', '[a '])}<https://example.org/${pick(r, ['[[x]]', '](y.md)', '[[x]](y.md)', ']]'])}>${pick(r, ['](z.md)', ']]', ' b]] [[c]]', ''])}`;
  }
}

/** One line of inline content (no line break). */
export function inline(r: Rng, inTable = false): string {
  const n = int(r, 1, 8);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (int(r, 0, escapeForms ? 16 : markdownLinks ? 15 : 14)) {
      case 0:
      case 1:
        parts.push(wikilink(r, inTable));
        break;
      case 2:
        parts.push(`\`${wikilink(r, inTable)}\``);
        break;
      case 3:
        parts.push(`\`\`a\`${wikilink(r, inTable)}\`\``);
        break;
      case 4:
        parts.push(pick(r, ['`', '``', '\\`', '`` ` ``']));
        break;
      case 5:
        parts.push(`<span title="${wikilink(r, inTable)}">${wikilink(r, inTable)}</span>`);
        break;
      case 6:
        parts.push(`<!-- ${wikilink(r, inTable)} -->`);
        break;
      case 7:
        parts.push(`**${wikilink(r, inTable)}**`);
        break;
      case 8:
        parts.push(`[text](https://example.org/${pick(r, ['a', 'b_c'])})`);
        break;
      case 9:
        parts.push(
          pick(r, ['<https://example.org>', '<a@b.co>', '<br/>', '<b>', '</b>', '<!-->', '<?php x ?>']),
        );
        break;
      case 10:
        parts.push(`\\${wikilink(r, inTable)}`);
        break;
      case 15:
        parts.push(markdownLink(r, inTable));
        break;
      case 16:
        parts.push(escapeForm(r, inTable));
        break;
      default:
        parts.push(pick(r, WORDS));
    }
  }
  // Footnote calls, and links written like them (a call when the footnote is defined).
  if (footnoteForms && chance(r, 0.3))
    parts.splice(
      int(r, 0, parts.length),
      0,
      pick(r, [
        '[^1]',
        '[^note]',
        '[^1](x.md)',
        '[^Note](y.md)',
        '[^nope](z.md)',
        '[^a b](w.md)',
        '![^1](i.png)',
      ]),
    );
  let s = '';
  for (const p of parts) {
    let sep = s === '' ? '' : pick(r, [' ', ' ', ' ', '  ', '\t', '']);
    // A backslash escaping the `<` of `<https://…>` or the bracket of `[text](https://…)`
    // leaves the URL bare, a GFM literal autolink, which may take in the brackets after it:
    // not modelled by the scanner.
    if (escapeForms && sep === '' && s.endsWith('\\') && /^(?:<https:|\[text\]\(https:)/.test(p)) sep = ' ';
    s += sep + p;
  }
  if (inTable) s = s.replace(/(?<!\\)\|/g, '\\|');
  return s + (chance(r, 0.1) ? pick(r, [' ', '  ', '\t']) : '');
}

/** Container prefixes: first line (with marker) and continuation line. */
interface Frame {
  first: string;
  rest: string;
}

function frame(r: Rng): Frame {
  switch (int(r, 0, 9)) {
    case 0:
    case 1:
      return { first: '> ', rest: pick(r, ['> ', '>', '> ']) };
    case 2:
      return { first: '- ', rest: '  ' };
    case 3:
      return { first: '* ', rest: '  ' };
    case 4:
      return { first: '+ ', rest: '  ' };
    case 5:
      return { first: '1. ', rest: '   ' };
    case 6:
      return { first: '2) ', rest: '   ' };
    case 7:
      return { first: '-   ', rest: '    ' };
    case 8:
      return { first: '-\t', rest: '\t' };
    default:
      return { first: ' - ', rest: '   ' };
  }
}

function task(r: Rng): string {
  const box = pick(r, ['[ ]', '[x]', '[X]', '[ ]', '[x]', '[]', '[ x]', '[  ]', '[\t]']);
  const after = pick(r, [' ', ' ', '  ', '\t', '']);
  return `${box}${after}${chance(r, 0.9) ? inline(r) : ''}`;
}

/**
 * A collapsible section (`<details>` with a `<summary>`) in the forms documents write it,
 * with a checklist inside (see generateDocument's `collapsibles`).
 */
function details(r: Rng): string[] {
  const summary = pick(r, [
    'Exit Criteria',
    'Entry Criteria',
    'Quality Gate',
    'More',
    '<b>Exit Criteria</b>',
  ]);
  const open = pick(r, [
    ['<details>', `<summary>${summary}</summary>`],
    [`<details><summary>${summary}</summary>`],
    ['<DETAILS open>', '  <summary>', `    ${summary}`, '  </summary>'],
    ['<details>'],
    ['<details>', '', `<summary>${summary}</summary>`],
  ]);
  const inner = chance(r, 0.8) ? checklist(r) : [inline(r)];
  const close = pick(r, [
    ['</details>'],
    ['</details>'],
    ['', '</details>'],
    [],
    ['<details>', '', '- [ ] x', '</details>', '</details>'],
  ]);
  return [...open, pick(r, ['', '', 'text']), ...inner, ...close];
}

/**
 * An Obsidian callout (`> [!todo] Entry Criteria`) in the forms documents write it, with a
 * checklist inside, and the lines that end it or go on in it (see generateDocument's
 * `callouts`).
 */
function callout(r: Rng): string[] {
  const type = pick(r, ['todo', 'TODO', 'check', 'note', 'Success', 'x-y']);
  const fold = pick(r, ['', '', '+', '-']);
  const title = pick(r, [
    'Entry Criteria',
    'Exit Criteria',
    ' Quality **Gate**',
    'Notes',
    '',
    '  Exit Criteria  ',
  ]);
  const open = pick(r, [
    `> [!${type}]${fold} ${title}`,
    `> [!${type}]${fold}${title}`,
    `>[!${type}]${fold} ${title}`,
    `   > [!${type}] ${title}`,
    `>     [!${type}] ${title}`,
    `> [!${type}]: ${title}`,
    `> > [!${type}] ${title}`,
    `> [!${type}] ${title}`,
  ]);
  const lines = [open];
  const n = int(r, 1, 5);
  for (let i = 0; i < n; i++) {
    lines.push(
      pick(r, [
        `> - ${task(r)}`,
        `> - ${task(r)}`,
        `>   - ${task(r)}`,
        `> 1. ${inline(r)}`,
        '>',
        '',
        inline(r),
        `- ${task(r)}`,
        `> ${inline(r)}`,
        '> ## Exit Criteria',
        `> ${inline(r)}\n> ===`,
        '> ```',
        `> <details><summary>Exit Criteria</summary>`,
        '</details>',
      ]),
    );
  }
  return lines.flatMap((l) => l.split('\n'));
}

/**
 * A line holding a tag of a raw-text element that is no opening one (`</pre>`, `<pre/>`),
 * which starts an HTML block of kind 7, or one that is (`<pre>`, kind 1), with lines of
 * content after it (see generateDocument's `rawTags`).
 */
function rawTagBlock(r: Rng): string[] {
  const name = pick(r, ['pre', 'script', 'style', 'textarea', 'PRE']);
  const tag = pick(r, [
    `</${name}>`,
    `</${name}>`,
    `</${name} >`,
    `<${name}/>`,
    `<${name} />`,
    `<${name}>`,
    `</${name}`,
    `</${name}> x`,
  ]);
  const lines = [pick(r, ['', ' ', '   ']) + tag];
  const n = int(r, 0, 2);
  for (let i = 0; i < n; i++) lines.push(chance(r, 0.5) ? `- ${task(r)}` : inline(r));
  return lines;
}

/**
 * A GFM footnote definition: a container whose content goes on over blank lines and lines
 * indented by four columns (paragraphs, tasks, headings, code), with lazy lines and lines
 * indented less that end it (see generateDocument's `footnotes`).
 */
function footnoteDefinition(r: Rng): string[] {
  const label = pick(r, ['1', 'note', 'Note', '2', 'a\\]b']);
  const first = pick(r, [
    () => inline(r),
    () => `- ${task(r)}`,
    () => '## Exit Criteria',
    () => '',
    () => `    ${inline(r)}`,
    () => `[^${label}x]: ${inline(r)}`,
  ])();
  const lines = [`${pick(r, ['', '', ' ', '   '])}[^${label}]:${pick(r, [' ', ' ', '', '\t'])}${first}`];
  const n = int(r, 0, 5);
  for (let i = 0; i < n; i++)
    lines.push(
      ...pick(r, [
        () => [''],
        () => [`    ${inline(r)}`],
        () => [`    - ${task(r)}`],
        () => [`        - ${task(r)}`],
        () => [`    ${pick(r, ['## Exit Criteria', '### Quality Gate', '# x'])}`],
        () => ['    ```', `    ${inline(r)}`, '    ```'],
        () => [`\t${inline(r)}`],
        () => [`  \t${inline(r)}`],
        () => [inline(r)],
        () => [`  ${inline(r)}`],
        () => [`        ${inline(r)}`],
        () => [`- ${task(r)}`],
        () => ['    <div>', `    ${inline(r)}`],
      ])(),
    );
  return lines;
}

/** Lines of one leaf block, without container prefixes. */
function leaf(r: Rng, title: string): string[] {
  if (collapsibleForms && chance(r, 0.2)) return details(r);
  if (calloutForms && chance(r, 0.3)) return callout(r);
  if (rawTagForms && chance(r, 0.2)) return rawTagBlock(r);
  if (footnoteForms && chance(r, 0.25)) return footnoteDefinition(r);
  switch (int(r, 0, 16)) {
    case 0:
      return [
        `${'#'.repeat(int(r, 1, 7))}${pick(r, [' ', '  ', '\t', ''])}${inline(r)}${pick(r, ['', ' #', ' ###', '#'])}`,
      ];
    case 1: {
      const lines = [inline(r)];
      if (chance(r, 0.3)) lines.push(inline(r));
      lines.push(pick(r, ['===', '---', '  ---  ', '=']));
      return lines;
    }
    case 2:
    case 3: {
      const lines: string[] = [];
      const n = int(r, 1, 3);
      for (let i = 0; i < n; i++) lines.push(pick(r, ['', ' ', '  ', '    ']) + inline(r));
      return lines;
    }
    case 4: {
      const fence = pick(r, ['```', '~~~', '````', '``` md', '~~~~ yaml']);
      const lines = [fence];
      const n = int(r, 0, 3);
      for (let i = 0; i < n; i++) lines.push(pick(r, ['', '  ']) + inline(r));
      if (chance(r, 0.9)) lines.push(fence.split(' ')[0]);
      return lines;
    }
    case 5:
      return [`    ${inline(r)}`, chance(r, 0.5) ? `\t${inline(r)}` : `    ${wikilink(r)}`];
    case 6:
      return chance(r, 0.5)
        ? [`<!-- ${wikilink(r)}`, inline(r), '-->']
        : [`<div class="note">`, inline(r), '</div>'];
    case 7: {
      const cols = int(r, 1, 3);
      const row = () => `| ${Array.from({ length: cols }, () => inline(r, true)).join(' | ')} |`;
      const lines = [
        row(),
        `|${Array.from({ length: cols }, () => pick(r, ['---', ':--', '--:', ':-:'])).join('|')}|`,
      ];
      const n = int(r, 0, 3);
      for (let i = 0; i < n; i++) lines.push(row());
      return lines;
    }
    case 8:
      return [pick(r, ['---', '***', '- - -', '___'])];
    case 9:
      // The metadata block that follows the title in phase documents.
      return [
        '---',
        `tags: [cdp, workflow, ${title}]`,
        'phase: 05',
        `previous_phase: "${wikilink(r)}"`,
        `artifacts: ["${wikilink(r)}", "${wikilink(r)}"]`,
        '---',
      ];
    case 10:
      return [pick(r, ['## Entry Criteria', '## Exit Criteria', '### Quality Gate', '#### Validation Gate'])];
    case 11:
      return [
        pick(r, ['[ ] stray box', '[x] done without marker', '-[ ] glued', '*[x] glued', '1.[ ] glued']),
      ];
    case 12:
      if (chance(r, 0.5))
        return [`[ref]: https://example.org/${pick(r, ['a', '[[b]]'])}${pick(r, ['', ' "t"'])}`];
      // A definition of a path, with the destination or the title on a line of its own.
      return pick(r, [
        ['[ref]: doc.md#h "t"'],
        ['[ref]:', '  doc.md'],
        ['[ref]: <my doc.md>', '  "t"'],
        ['[ref]:', 'doc.md', "'t'"],
        ['[ref]: doc.md', '"t" trailing'],
        ['[ref]: doc.md "t', 'more"'],
        ['[ref', 'x]: doc.md'],
      ]);
    default:
      return [inline(r)];
  }
}

/** A list of tasks with nesting, as in checklists. */
function checklist(r: Rng): string[] {
  const lines: string[] = [];
  const n = int(r, 1, 6);
  const marker = pick(r, ['-', '*', '+', '1.']);
  let level = 0;
  for (let i = 0; i < n; i++) {
    level = Math.max(0, Math.min(level + int(r, -1, 1), 3));
    const indent = ' '.repeat(level * (marker === '1.' ? 3 : 2));
    lines.push(`${indent}${marker} ${task(r)}`);
    if (chance(r, 0.1)) lines.push(`${indent}  ${inline(r)}`);
    if (chance(r, 0.05))
      lines.push(`${indent}  \`\`\``, `${indent}  - [ ] ${wikilink(r)}`, `${indent}  \`\`\``);
  }
  return lines;
}

/**
 * The lines up to a title as documents write them (see `generateDocument`'s `titleForms`):
 * blank lines and HTML comments (one line or several, `-->` with text around it), then a
 * `# Title` or a setext `Title` / `===`.
 */
function titleLines(r: Rng, title: string): string[] {
  const lines: string[] = [];
  const comments = int(r, 0, 3);
  for (let i = 0; i < comments; i++) {
    if (chance(r, 0.3)) lines.push('');
    const indent = pick(r, ['', '', ' ', '   ']);
    lines.push(
      ...pick(r, [
        [`${indent}<!-- markdownlint-disable MD025 -->`],
        [`${indent}<!-->`],
        [`${indent}<!--`, `  ${title} [[hidden]]`, '-->'],
        [`${indent}<!-- prettier-ignore`, '- [ ] not a task', `--> after`],
      ]),
    );
  }
  if (chance(r, 0.3)) lines.push('');
  if (chance(r, 0.5)) lines.push(`# ${title}`);
  else lines.push(title, pick(r, ['=', '====', '  ==  ', '='.repeat(title.length)]));
  return lines;
}

/** A whole document. */
/** Whether generated inline content includes markdown links to paths (see generateDocument). */
let markdownLinks = false;
/** Whether generated inline content includes escapes and autolinks holding links (see generateDocument). */
let escapeForms = false;
/** Whether generated blocks include collapsible sections (see generateDocument). */
let collapsibleForms = false;
/** Whether generated blocks include callouts (see generateDocument). */
let calloutForms = false;
/** Whether generated blocks include tags of raw-text elements (see generateDocument). */
let rawTagForms = false;
/** Whether generated documents include footnote definitions and calls (see generateDocument). */
let footnoteForms = false;
/**
 * Whether markdown links may have their resource over lines and link references of the
 * document in and around their text (see generateDocument).
 */
let breakForms = false;

/**
 * A generated document. With `opts.markdownLinks`, inline content also holds markdown
 * links and images to paths; with `opts.collapsibles`, blocks include `<details>`
 * sections; with `opts.escapes`, inline content also holds markdown links and the forms of
 * `escapeForm`; with `opts.rawTags`, blocks include lines of `rawTagBlock`; with
 * `opts.footnotes`, blocks include footnote definitions and inline content footnote calls;
 * with `opts.breaks`, markdown links (as with `markdownLinks`) may have their resource
 * over lines, and link references of the document in and around their text; with
 * `opts.callouts`, blocks include callouts (`> [!todo] Entry Criteria`), `<details>` lines
 * among their lines (the
 * documents without these options stay as they were for each seed).
 */
export function generateDocument(
  seed: number,
  opts: {
    markdownLinks?: boolean;
    titleForms?: boolean;
    collapsibles?: boolean;
    escapes?: boolean;
    rawTags?: boolean;
    footnotes?: boolean;
    breaks?: boolean;
    callouts?: boolean;
  } = {},
): string {
  breakForms = opts.breaks ?? false;
  markdownLinks = (opts.markdownLinks ?? false) || breakForms;
  escapeForms = opts.escapes ?? false;
  collapsibleForms = opts.collapsibles ?? false;
  calloutForms = opts.callouts ?? false;
  rawTagForms = opts.rawTags ?? false;
  footnoteForms = opts.footnotes ?? false;
  const r = rng(seed);
  const title = pick(r, ['Release Phase', 'Diagnose', 'Monitor']);
  const out: string[] = opts.titleForms ? titleLines(r, title) : [`# ${title}`];
  if (opts.titleForms || chance(r, 0.5))
    out.push('', '---', 'phase: 05', `next_phase: "${wikilink(r)}"`, '---');
  const blocks = int(r, 3, 25);
  for (let b = 0; b < blocks; b++) {
    if (chance(r, 0.7)) out.push(pick(r, ['', '', ' ', '\t']));
    const body = chance(r, 0.3) ? checklist(r) : leaf(r, title);
    // Wrap in 0-3 containers; continuation lines sometimes lazy.
    const frames: Frame[] = [];
    const depth = chance(r, 0.6) ? 0 : int(r, 1, 3);
    for (let i = 0; i < depth; i++) frames.push(frame(r));
    const isTable = body.length > 1 && /^\|[-:|]+\|$/.test(body[1]);
    body.forEach((line, i) => {
      let prefix = '';
      for (const f of frames) prefix += i === 0 ? f.first : f.rest;
      if (i > 0 && !isTable && chance(r, 0.05)) prefix = '';
      out.push(prefix + line);
    });
    // Text right after a table in a container, on a line outside it, is a micromark
    // corner case the scanner does not follow (see scanner.ts): keep a blank line there.
    if (isTable && frames.length > 0) out.push('');
  }
  // The labels the links use, defined (or not) somewhere.
  if (breakForms && chance(r, 0.7))
    out.splice(
      int(r, 1, out.length),
      0,
      '',
      pick(r, ['[ref]: h.md', '[REF]:  <h.md> "t"', '[other]: o.md']),
      '',
    );
  const eol = pick(r, ['\n', '\n', '\r\n', 'mixed']);
  if (eol !== 'mixed') return out.join(eol) + (chance(r, 0.5) ? eol : '');
  return out.map((l) => l + pick(r, ['\n', '\r\n', '\r'])).join('');
}
