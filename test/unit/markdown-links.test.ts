import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import GithubSlugger from 'github-slugger';
import type { DocEntry } from '../../server/src/core/index';
import { parseDocument } from '../../server/src/core/parse/document';
import { isUrl } from '../../server/src/core/parse/mdlink';
import { headingAnchors, PathTable, pathKeys } from '../../server/src/core/resolve';
import { linkUpdates } from '../../server/src/features/rename';
import { applyText } from '../helpers/disk-edits';
import { check } from '../helpers/memory-workspace';

/** Every link of `from` as `raw → path` (`#heading` when resolved to one), or `raw → status`. */
async function resolved(files: Record<string, string>, from: string): Promise<string[]> {
  const { analysis, ws } = await check(files);
  const entry = analysis.index.get(ws.uri(from));
  assert.ok(entry, `${from} is indexed`);
  return entry.doc.links.map((l) => {
    const r = analysis.index.resolve(entry, l);
    if (r.status === 'resolved') {
      const at = r.heading ? `#${r.heading.text}@${r.heading.line}` : r.headingMissing ? '#missing' : '';
      return `${l.raw} → ${r.target.rel}${at}`;
    }
    return `${l.raw} → ${r.status === 'file' ? `file ${r.rel}` : 'broken'}`;
  });
}

describe('markdown links: parsing', () => {
  const links = (text: string) =>
    parseDocument('file:///ws/a.md', text).links.map((l) => ({
      target: l.target,
      heading: l.heading,
      syntax: l.syntax,
      written: l.written,
      embed: l.embed,
    }));

  it('reads the path and anchor of inline links, images and reference definitions', () => {
    const got = links(
      '# A\n\n[t](b.md) [h](../x/c.md#Exit-Criteria) ![i](img/a.png) [s](<my doc.md>) [e](my%20doc.md)\n\n[ref]: d.md#h\n',
    );
    assert.deepEqual(got, [
      { target: 'b.md', heading: undefined, syntax: 'markdown', written: undefined, embed: false },
      { target: '../x/c.md', heading: 'Exit-Criteria', syntax: 'markdown', written: undefined, embed: false },
      { target: 'img/a.png', heading: undefined, syntax: 'markdown', written: undefined, embed: true },
      { target: 'my doc.md', heading: undefined, syntax: 'markdown', written: undefined, embed: false },
      { target: 'my doc.md', heading: undefined, syntax: 'markdown', written: 'my%20doc.md', embed: false },
      { target: 'd.md', heading: 'h', syntax: 'markdown', written: undefined, embed: false },
    ]);
  });

  it('reads reference definitions written over several lines, as CommonMark does', () => {
    const raws = (text: string) =>
      parseDocument('file:///ws/a.md', text).links.map((l) => `${l.raw} → ${l.target}`);
    // The destination on the line after the label, a title on the line after it, a label
    // over two lines, a title over two lines; the definitions after them still count.
    assert.deepEqual(
      raws('[a]:\n  a.md\n[b]: <b c.md>\n  "title"\n[c\nd]: d.md\n[e]: e.md "long\ntitle"\n[f]: f.md\n'),
      [
        '[a]:\n  a.md → a.md',
        '[b]: <b c.md>\n  "title" → b c.md',
        '[c\nd]: d.md → d.md',
        '[e]: e.md "long\ntitle" → e.md',
        '[f]: f.md → f.md',
      ],
    );
    // A title beside the destination with text after it: no definition. One on the next
    // line with text after it: the definition ends before that line (a paragraph follows).
    assert.deepEqual(raws('[a]: a.md "t" more\n'), []);
    assert.deepEqual(raws('[a]: a.md\n"t" more [b](b.md)\n'), ['[a]: a.md → a.md', '[b](b.md) → b.md']);
    // In a block quote the destination's line has its own prefix.
    assert.deepEqual(raws('> [a]:\n> a.md\n'), ['[a]:\n> a.md → a.md']);
  });

  it('leaves out URLs, mail links, any scheme, template placeholders and links in code', () => {
    const got = links(
      '[u](https://x.org/a.md) [m](mailto:a@b.c) [s](vscode://x) [p](//cdn/x.md) `[c](c.md)`\n\n' +
        '[Date]: [Launch]\n\n[t]({{path}}.md)\n\n```\n[f](f.md)\n```\n',
    );
    assert.deepEqual(got, []);
  });

  it('reads escapes, images and code before a bracket the way CommonMark does', () => {
    const raws = (text: string) => parseDocument('file:///ws/a.md', text).links.map((l) => [l.raw, l.embed]);
    // Text before the first bracket opens nothing; what decides the bracket comes just before it.
    assert.deepEqual(raws('long prose \\[t](a.md) and \\\\[u](b.md)'), [['[u](b.md)', false]]);
    assert.deepEqual(raws('prose ![i](a.png) \\![t](b.md) \\\\![j](c.png)'), [
      ['![i](a.png)', true],
      ['[t](b.md)', false],
      ['![j](c.png)', true],
    ]);
    assert.deepEqual(raws('`code \\`[t](a.md) and `x![`[u](b.md)'), [
      ['[t](a.md)', false],
      ['[u](b.md)', false],
    ]);
    // A `](` on a later line of the paragraph: brackets still open from earlier lines count.
    assert.deepEqual(raws('[outer\ntext [t](a.md) rest](b.md)\n'), [['[t](a.md)', false]]);
    assert.deepEqual(raws('- [a](a.md) - the rest ] [ of the item\n- [b\n  ](b.md)\n'), [
      ['[a](a.md)', false],
      ['[b\n  ](b.md)', false],
    ]);
  });

  it('code spans and raw HTML on any line of the content hide links; those of other blocks do not', () => {
    const raws = (text: string) => parseDocument('file:///ws/a.md', text).links.map((l) => l.raw);
    // On a later line of a quoted or listed paragraph (markers between the lines).
    assert.deepEqual(raws('> [a](a.md) then\n> `[b](b.md)` and\n> <span title="[c](c.md)"> [d](d.md)\n'), [
      '[a](a.md)',
      '[d](d.md)',
    ]);
    assert.deepEqual(raws('- [a](a.md)\n  more `[b](b.md)`\n  <i title="[c](c.md)">\n'), ['[a](a.md)']);
    // A backtick or `<` in the blocks before and after leaves this paragraph's links alone.
    assert.deepEqual(raws('# `x` <b>\n\n[a](a.md) [[w]]\n\n`[b](b.md)` <i title="[c](c.md)">\n'), [
      '[a](a.md)',
      '[[w]]',
    ]);
    // In a table cell and a heading.
    assert.deepEqual(
      raws('| a | b |\n|---|---|\n| [a](a.md) | `[b](b.md)` |\n\n## [h](h.md) `[i](i.md)`\n'),
      ['[a](a.md)', '[h](h.md)'],
    );
  });

  it('reads a path value of previous_phase / next_phase in metadata as a link', () => {
    const doc = parseDocument(
      'file:///ws/01-frame/README.md',
      '---\nphase: 1\nnext_phase: ../02-design/README.md\nprevious_phase: "../00-discover/README.md"\nowner: x.md\n---\n# Frame\n',
    );
    assert.deepEqual(
      doc.links.map((l) => [l.key, l.target, l.syntax, l.source]),
      [
        ['next_phase', '../02-design/README.md', 'markdown', 'metadata'],
        ['previous_phase', '../00-discover/README.md', 'markdown', 'metadata'],
      ],
    );
  });

  it("reads no wikilink in a comment of the metadata, and every one in a block scalar's text", () => {
    const links = (meta: string) =>
      parseDocument('file:///ws/wf/01-diagnose.md', `---\nphase: 01\n${meta}---\n# D\n`).links.map((l) => [
        l.key,
        l.target,
        l.range.start.line,
        l.range.start.character,
      ]);
    assert.deepEqual(
      links(
        'artifacts:\n  - "[[kept]]"\n  # - "[[dropped]]"\nnext_phase: "[[02-prescribe]]"  # was [[02-plan]]\n# [[whole-line]]\nnotes: |\n  # see [[in-text]] # and [[after-hash]]\nowner: "#1 [[quoted-hash]]" # [[c]]\nlink: [[a #b]]\n',
      ),
      [
        ['artifacts', 'kept', 3, 5],
        ['next_phase', '02-prescribe', 5, 13],
        ['notes', 'in-text', 8, 8],
        ['notes', 'after-hash', 8, 26],
        ['owner', 'quoted-hash', 9, 11],
        ['link', 'a', 10, 6],
      ],
    );
    // Block scalars at any depth and quoted values going on over lines are text, not comments.
    assert.deepEqual(
      links(
        'review:\n  notes: |\n    # Decision: see [[adr-007]]\n\n    # and [[adr-008]]\n  by: x # [[c1]]\nlist:\n  - |\n    # Heading [[x]]\n  - y # [[c2]]\ndescription: "text\n  # [[quoted]] more" # [[c3]]\n',
      ).map((l) => [l[1], l[2]]),
      [
        ['adr-007', 4],
        ['adr-008', 6],
        ['x', 10],
        ['quoted', 13],
      ],
    );
  });

  it('reads artifacts written as paths to documents, in a block list or a flow list, as links', () => {
    const links = (meta: string) =>
      parseDocument('file:///ws/wf/05-release.md', `---\nphase: "05"\n${meta}---\n# Release\n`).links.map(
        (l) => [l.key, l.target, l.syntax, l.range.start.line, l.range.start.character],
      );
    assert.deepEqual(
      links(
        'artifacts:\n  - release-plan.md\n  - "docs/run book.md"\n  - release notes\n  - https://x.org/a.md\n',
      ),
      [
        ['artifacts', 'release-plan.md', 'markdown', 3, 4],
        ['artifacts', 'docs/run book.md', 'markdown', 4, 5],
      ],
    );
    assert.deepEqual(
      links("artifacts: [release-plan.md, 'docs/run book.md', plain words, notes.txt, ./a.md]\n"),
      [
        ['artifacts', 'release-plan.md', 'markdown', 2, 12],
        ['artifacts', 'docs/run book.md', 'markdown', 2, 30],
        ['artifacts', './a.md', 'markdown', 2, 73],
      ],
    );
    // Beside wikilinks in one flow list: every entry, in the order written.
    assert.deepEqual(links('artifacts: [artifacts/one.md, "[[two|Two, too]]", "docs/three.md", four]\n'), [
      ['artifacts', 'artifacts/one.md', 'markdown', 2, 12],
      ['artifacts', 'two', undefined, 2, 31],
      ['artifacts', 'docs/three.md', 'markdown', 2, 51],
    ]);
    // A list written over several lines, comments between its items, a quoted key: every
    // path where it is written, in order with the wikilinks.
    assert.deepEqual(
      links(
        'artifacts: [\n  release-plan.md, # the plan\n  "[[runbook]]",\n  # old.md,\n  \'docs/roll back.md\'\n]\n',
      ),
      [
        ['artifacts', 'release-plan.md', 'markdown', 3, 2],
        ['artifacts', 'runbook', undefined, 4, 3],
        ['artifacts', 'docs/roll back.md', 'markdown', 6, 3],
      ],
    );
    // A quoted item that goes on over the next line: a `#` inside it is no comment, and
    // the items after it are read.
    assert.deepEqual(links('artifacts: ["notes on\n  # the plan", plan.md,\n  other.md]\n'), [
      ['artifacts', 'plan.md', 'markdown', 3, 15],
      ['artifacts', 'other.md', 'markdown', 4, 2],
    ]);
    assert.deepEqual(links('"artifacts": ["[[nope]]", "missing.md"]\n'), [
      ['artifacts', 'nope', undefined, 2, 15],
      ['artifacts', 'missing.md', 'markdown', 2, 27],
    ]);
    assert.deepEqual(links('artifacts: [\r\n  a.md,\r\n  b.md\r\n]\r\n'), [
      ['artifacts', 'a.md', 'markdown', 3, 2],
      ['artifacts', 'b.md', 'markdown', 4, 2],
    ]);
    // A quote inside an unquoted value is a character of it (YAML reads `owner's-guide.md`),
    // and the other quote inside a quoted one; `''` (an escaped quote) opens nothing.
    assert.deepEqual(
      links(
        `next_phase: 02-gone's.md\nartifacts: [notes/owner's-guide.md, "notes/q'd.md", 'a "b".md', 'it''s, x.md', notes/plain.md]\n`,
      ),
      [
        ['next_phase', "02-gone's.md", 'markdown', 2, 12],
        ['artifacts', "notes/owner's-guide.md", 'markdown', 3, 12],
        ['artifacts', "notes/q'd.md", 'markdown', 3, 37],
        ['artifacts', 'a "b".md', 'markdown', 3, 53],
        ['artifacts', 'notes/plain.md', 'markdown', 3, 79],
      ],
    );
    assert.deepEqual(links(`artifacts:\n  - owner's guide.md\n  - "q'd.md"\n  - 'a "b".md'  # c\n`), [
      ['artifacts', "owner's guide.md", 'markdown', 3, 4],
      ['artifacts', "q'd.md", 'markdown', 4, 5],
      ['artifacts', 'a "b".md', 'markdown', 5, 5],
    ]);
    // A value written as a markdown link, quoted or not: a link to its destination, the
    // whole link its range (a chain written so was left unread: a skip or a typo passed).
    const chain = parseDocument(
      'u',
      '---\nphase: 02\nprevious_phase: "[Diagnose](01-diagnose.md)"\nnext_phase: [Treat](<03 treat.md> "t")  # c\nartifacts:\n  - \'[Plan](plan.md#scope)\'\n  - "[Site](https://x.org)"\n---\n# P\n',
    ).links;
    assert.deepEqual(
      chain.map((l) => [
        l.key,
        l.target,
        l.heading,
        l.syntax,
        l.raw,
        l.range.start.line,
        l.range.start.character,
        l.targetRange.start.character,
      ]),
      [
        ['previous_phase', '01-diagnose.md', undefined, 'markdown', '[Diagnose](01-diagnose.md)', 2, 17, 28],
        ['next_phase', '03 treat.md', undefined, 'markdown', '[Treat](<03 treat.md> "t")', 3, 12, 21],
        ['artifacts', 'plan.md', 'scope', 'markdown', '[Plan](plan.md#scope)', 5, 5, 12],
      ],
    );
    // In a flow list too, beside paths and wikilinks; a title in either quote, white space around.
    assert.deepEqual(
      links(
        'artifacts: ["[Plan](plan.md)", "[H](h.md \'T\')", "[D](d.md) ", \'[R](risks.md "r")\', "[[w]]", notes.md]\n',
      ),
      [
        ['artifacts', 'plan.md', 'markdown', 2, 13],
        ['artifacts', 'h.md', 'markdown', 2, 32],
        ['artifacts', 'd.md', 'markdown', 2, 49],
        ['artifacts', 'risks.md', 'markdown', 2, 63],
        ['artifacts', 'w', undefined, 2, 84],
        ['artifacts', 'notes.md', 'markdown', 2, 92],
      ],
    );
    // Other keys' path-like values stay text; wikilinks stay wikilinks.
    assert.deepEqual(links('owner: x.md\nartifacts: ["[[plan]]"]\n'), [
      ['artifacts', 'plan', undefined, 3, 13],
    ]);
  });
});

describe('markdown links: URLs', () => {
  it('a scheme (`https:`, `mailto:`, `x+y.z-1:`) or `//` makes a URL; a path is none', () => {
    for (const d of [
      'https://x.org',
      'HTTP://X',
      'mailto:a@b',
      'file:a.md',
      'x+y.z-1:rest',
      '//host/a.md',
      'a:',
    ])
      assert.equal(isUrl(d), true, d);
    for (const d of ['a.md', '../a.md', '/a.md', 'a/b:c.md', '1a:b', '-a:b', 'a b:c', 'é:x', '', ':a', 'ſ:x'])
      assert.equal(isUrl(d), false, d);
  });
});

describe('markdown links: resolution', () => {
  it('resolves paths relative to the linking document, and `/` from the workspace folder', async () => {
    const files = {
      'docs/a/start.md': '[s](b.md) [up](../guide.md) [root](/docs/guide.md) [dot](./b.md) [no ext](b)\n',
      'docs/a/b.md': '# B\n',
      'docs/guide.md': '# Guide\n',
      'b.md': '# Root B\n',
    };
    assert.deepEqual(await resolved(files, 'docs/a/start.md'), [
      '[s](b.md) → docs/a/b.md',
      '[up](../guide.md) → docs/guide.md',
      '[root](/docs/guide.md) → docs/guide.md',
      '[dot](./b.md) → docs/a/b.md',
      '[no ext](b) → docs/a/b.md',
    ]);
  });

  it('never searches by name like a wikilink, and never leaves the workspace folder', async () => {
    const files = {
      'x/start.md': '[far](plan.md) [out](../../outside.md) [deep](../../../etc/passwd)\n',
      'y/plan.md': '# Plan\n',
    };
    assert.deepEqual(await resolved(files, 'x/start.md'), [
      '[far](plan.md) → broken',
      '[out](../../outside.md) → broken',
      '[deep](../../../etc/passwd) → broken',
    ]);
  });

  it('decodes angle-bracket and percent-encoded destinations and escapes', async () => {
    const files = {
      'start.md': '[a](<my doc.md>) [b](my%20doc.md) [c](a\\(1\\).md) [bad](100%.md)\n',
      'my doc.md': '# Mine\n',
      'a(1).md': '# Paren\n',
      '100%.md': '# Percent\n',
    };
    assert.deepEqual(await resolved(files, 'start.md'), [
      '[a](<my doc.md>) → my doc.md',
      '[b](my%20doc.md) → my doc.md',
      '[c](a\\(1\\).md) → a(1).md',
      '[bad](100%.md) → 100%.md',
    ]);
  });

  it('decodes character references in destinations as CommonMark does; the `#` of one is no anchor', async () => {
    const files = {
      'start.md':
        '[a](R&amp;D.md) [b](&#x41;.md) [c](<a&lt;b.md>) [d](R&amp;D.md#&Uuml;ber) [e](x&#35;&uuml;ber) ' +
        '[f](&bogus;.md) [g](\\&amp;.md)\n',
      'R&D.md': '# R&D\n\n## Über\n',
      'A.md': '# A\n',
      'a<b.md': '# Less\n',
      'x.md': '# Über\n',
      '&bogus;.md': '# Bogus\n',
      '&amp;.md': '# Escaped\n',
    };
    assert.deepEqual(await resolved(files, 'start.md'), [
      '[a](R&amp;D.md) → R&D.md',
      '[b](&#x41;.md) → A.md',
      '[c](<a&lt;b.md>) → a<b.md',
      '[d](R&amp;D.md#&Uuml;ber) → R&D.md#Über@2',
      // `&#35;` stands for `#`: the anchor separator, as in the URL it makes.
      '[e](x&#35;&uuml;ber) → x.md#Über@0',
      '[f](&bogus;.md) → &bogus;.md',
      '[g](\\&amp;.md) → &amp;.md',
    ]);
  });

  it('reaches files and folders named in the other Unicode form (NFC / NFD)', async () => {
    const nfd = 'cafe\u0301'; // "café" with a combining accent
    const files = {
      'start.md':
        '[a](docs/caf%C3%A9.md) [b](<docs/café.md>) [c](d\u00e9p/plan.md) [i](docs/caf\u00e9.png)\n',
      [`docs/${nfd}.md`]: '# Cafe\n',
      'de\u0301p/plan.md': '# Plan\n',
      [`docs/${nfd}.png`]: 'png',
    };
    assert.deepEqual(await resolved(files, 'start.md'), [
      `[a](docs/caf%C3%A9.md) → docs/${nfd}.md`,
      `[b](<docs/café.md>) → docs/${nfd}.md`,
      `[c](d\u00e9p/plan.md) → de\u0301p/plan.md`,
      `[i](docs/caf\u00e9.png) → file docs/${nfd}.png`,
    ]);
  });

  it('resolves reference definitions', async () => {
    const files = {
      'start.md': 'See [the plan][plan] and [gone][].\n\n[plan]: docs/plan.md#scope\n[gone]: nowhere.md\n',
      'docs/plan.md': '# Plan\n\n## Scope\n',
    };
    assert.deepEqual(await resolved(files, 'start.md'), [
      '[plan]: docs/plan.md#scope → docs/plan.md#Scope@2',
      '[gone]: nowhere.md → broken',
    ]);
  });

  it('matches anchors as GitHub slugs them, duplicates numbered -1, -2', async () => {
    const files = {
      'start.md':
        '[a](doc.md#exit-criteria) [b](doc.md#overview-1) [c](doc.md#overview-2) [d](doc.md#whats-next-v2) ' +
        '[e](doc.md#a--b) [f](doc.md#Exit-Criteria) [g](doc.md#overview-3) [h](doc.md#exit%20criteria)\n',
      'doc.md':
        "# Doc\n\n## Exit Criteria\n\n## Overview\n\n## Overview\n\n## Overview\n\n## What's next (v2)?\n\n## A & B\n",
    };
    assert.deepEqual(await resolved(files, 'start.md'), [
      '[a](doc.md#exit-criteria) → doc.md#Exit Criteria@2',
      '[b](doc.md#overview-1) → doc.md#Overview@6',
      '[c](doc.md#overview-2) → doc.md#Overview@8',
      "[d](doc.md#whats-next-v2) → doc.md#What's next (v2)?@10",
      '[e](doc.md#a--b) → doc.md#A & B@12',
      '[f](doc.md#Exit-Criteria) → doc.md#Exit Criteria@2',
      '[g](doc.md#overview-3) → doc.md#missing',
      '[h](doc.md#exit%20criteria) → doc.md#missing',
    ]);
  });

  it('an anchor alone names a heading of the same document', async () => {
    const files = { 'doc.md': '# Doc\n\n## Scope\n\n[s](#scope) [x](#nope)\n' };
    assert.deepEqual(await resolved(files, 'doc.md'), [
      '[s](#scope) → doc.md#Scope@2',
      '[x](#nope) → doc.md#missing',
    ]);
  });

  it('existing images, YAML files and folders are files; a folder with a README is its README', async () => {
    const files = {
      'start.md': '![i](img/a.png) [y](gates.yml) [f](assets/) [r](phase/) [r2](phase) [gone](img/b.png)\n',
      'img/a.png': 'PNG',
      'gates.yml': 'a: 1\n',
      'assets/x.txt': 'x',
      'phase/README.md': '# Phase\n',
    };
    assert.deepEqual(await resolved(files, 'start.md'), [
      '![i](img/a.png) → file img/a.png',
      '[y](gates.yml) → file gates.yml',
      '[f](assets/) → file assets',
      '[r](phase/) → phase/README.md',
      '[r2](phase) → phase/README.md',
      '[gone](img/b.png) → broken',
    ]);
  });

  it('a wikilink path to a folder holding files but no README is the folder, as a markdown link is', async () => {
    const files = {
      'README.md': '[[docs/notes]] [[docs/notes/]] [n](docs/notes/) [[Docs/Notes]] [[docs/nope]] [[docs]]\n',
      'docs/notes/a.md': '# A\n',
      'docs/x/README.md': '# X\n',
    };
    assert.deepEqual(await resolved(files, 'README.md'), [
      '[[docs/notes]] → file docs/notes',
      '[[docs/notes/]] → file docs/notes',
      '[n](docs/notes/) → file docs/notes',
      '[[Docs/Notes]] → file docs/notes',
      '[[docs/nope]] → broken',
      '[[docs]] → broken',
    ]);
    const c = await check(files);
    assert.deepEqual(c.of('broken-link'), [
      'README.md:1:64 [[docs/nope]] does not resolve: no document at that path.',
      'README.md:1:78 [[docs]] does not resolve: no document with that name.',
    ]);
    // A metadata value names a document: a chain or an artifact naming such a folder is broken.
    const chain = await check({
      'cdp/01-diagnose.md':
        '---\nphase: 01\nnext_phase: "[[cdp/02-prescribe]]"\n---\n# Diagnose\n\n## Exit Criteria\n\n- [ ] a\n',
      'cdp/02-prescribe/treatment-plan.md': '# Plan\n',
    });
    assert.deepEqual(chain.of('broken-link'), [
      'cdp/01-diagnose.md:3:14 [[cdp/02-prescribe]] does not resolve: it names a folder without a README.md or index.md, not a document.',
    ]);
  });

  it('wikilinks keep resolving by name', async () => {
    const files = { 'x/start.md': '[[plan]] [p](plan.md)\n', 'y/plan.md': '# Plan\n' };
    assert.deepEqual(await resolved(files, 'x/start.md'), ['[[plan]] → y/plan.md', '[p](plan.md) → broken']);
  });
});

describe('markdown links: GitHub anchors', () => {
  it('equal github-slugger on plain heading texts, ASCII and not, repeats included', () => {
    const texts = [
      'Exit Criteria',
      'Overview',
      'Overview',
      'overview-1',
      'Overview',
      "What's next (v2)?",
      'A & B',
    ];
    texts.push(
      'tab\there',
      'Ünïcödé Straße',
      'emoji 🚀 go',
      'a-1',
      'A',
      'a',
      'C++ / C#',
      '  spaced  out ',
      '日本語の見出し',
    );
    texts.push('x_y-z', '', 'Ελληνικά: Τίτλος!', 'Phase 02 — Design');
    const slugger = new GithubSlugger();
    const heading = (text: string, line: number) => ({
      text,
      level: 2,
      line,
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
    });
    assert.deepEqual(
      headingAnchors(texts.map(heading)),
      texts.map((t) => slugger.slug(t)),
    );
  });

  it('numbers repeats per document: a text anchored before (in another document) starts again', () => {
    const heading = (text: string, line: number) => ({
      text,
      level: 2,
      line,
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
    });
    const doc = (...texts: string[]) => headingAnchors(texts.map(heading));
    assert.deepEqual(doc('Exit Criteria', 'Exit Criteria', 'Notes'), [
      'exit-criteria',
      'exit-criteria-1',
      'notes',
    ]);
    assert.deepEqual(doc('Exit Criteria', 'Notes', 'Exit Criteria'), [
      'exit-criteria',
      'notes',
      'exit-criteria-1',
    ]);
    assert.deepEqual(doc('Exit Criteria'), ['exit-criteria']);
    // A heading read as another text (rename's preview) takes that text, the rest as before.
    assert.deepEqual(headingAnchors(['Exit Criteria', 'Notes'].map(heading), { index: 0, text: 'Notes' }), [
      'notes',
      'notes-1',
    ]);
  });

  it('takes the rendered text: link text, no emphasis underscores or HTML', () => {
    const hs = ['__Init__ [docs](x.md) <b>now</b>', '_Scope_'].map((text, line) => ({
      text,
      level: 2,
      line,
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
    }));
    assert.deepEqual(headingAnchors(hs), ['init-docs-now', 'scope']);
    // Character references as the renderer shows them; an escaped tag is text, not a tag.
    const entities = [
      'Tom &amp; Jerry',
      'R&amp;D plan',
      '&lt;b&gt; tags',
      'Caf&#233; &#x2014; menu',
      '&bogus; kept',
    ];
    const slugger = new GithubSlugger();
    assert.deepEqual(
      headingAnchors(
        entities.map((text, line) => ({
          text,
          level: 2,
          line,
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
        })),
      ),
      ['Tom & Jerry', 'R&D plan', '<b> tags', 'Café — menu', '&bogus; kept'].map((t) => slugger.slug(t)),
    );
  });
});

describe('markdown links: findings', () => {
  it('a path that reaches its file only when letter case is ignored is broken where case counts, with a fix', async () => {
    const c = await check({
      'docs/a.md':
        '# A\n\n[p](PRD.md) [q](./Prd.MD#goals) [ok](prd.md) ![i](../img/arch.png) [f](../Docs/prd.md)\n',
      'docs/prd.md': '# PRD\n\n## Goals\n',
      'img/Arch.png': 'PNG',
    });
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => f.message),
      [
        '[p](PRD.md) reaches docs/prd.md only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.',
        '[q](./Prd.MD#goals) reaches docs/prd.md only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.',
        '[i](../img/arch.png) reaches img/Arch.png only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.',
        '[f](../Docs/prd.md) reaches docs/prd.md only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.',
      ],
    );
    assert.deepEqual(
      found.map((f) => (f.fixes?.[0]?.kind === 'edit' ? f.fixes[0].edits[0].newText : undefined)),
      ['prd.md', './prd.md', '../img/Arch.png', '../docs/prd.md'],
    );
  });

  it('a path to a folder (no README) in other letter case is broken too, with the fix; one in the other Unicode form is not', async () => {
    const c = await check({
      'notes.md':
        '# N\n\n[a](Docs/Helix/) [b](docs/helix) [c](docs/Gr\u00f6\u00dfe/) [d](DOCS/helix/x.yml)\n',
      'docs/helix/x.yml': 'a: 1\n',
      'docs/Gro\u0308\u00dfe/y.md': '# Y\n',
    });
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => f.message),
      [
        '[a](Docs/Helix/) reaches docs/helix only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.',
        '[d](DOCS/helix/x.yml) reaches docs/helix/x.yml only when letter case is ignored: GitHub and case-sensitive file systems (Linux) do not find it.',
      ],
    );
    assert.deepEqual(
      found.map((f) => (f.fixes?.[0]?.kind === 'edit' ? f.fixes[0].edits[0].newText : undefined)),
      ['docs/helix/', 'docs/helix/x.yml'],
    );
    // Two folders that differ only in letter case: each link reaches its own.
    const both = await check({
      'notes.md': '# N\n\n[upper](docs/Guide/) [lower](docs/guide/)\n',
      'docs/Guide/a.md': '# A\n',
      'docs/guide/b.md': '# B\n',
    });
    assert.deepEqual(both.of('broken-link'), []);
  });

  it('the letter-case fix of a path written encoded or escaped changes only the letters, in the link’s own writing', async () => {
    const line =
      '[c](./SUB/Deep%20Ünï.md "t") [d](Test%20Plan) [e](%C3%9Cber/Gr%C3%96%C3%9Fe.md#%C3%9Cber) ' +
      '[f](<./Test%20Plan.md#Über> "T") [g](../docs/SUB/deep%20%c3%bcn%c3%af.md) [h](Sub/R\\(1\\).MD)';
    const files = {
      'docs/a.md': `# A\n\n${line}\n`,
      'docs/sub/deep ünï.md': '# Deep\n',
      'docs/test plan.md': '# Test\n\n## Über\n',
      'docs/über/größe.md': '# Größe\n\n## Über\n',
      'docs/sub/r(1).md': '# R\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    const texts = found.map((f) => (f.fixes?.[0]?.kind === 'edit' ? f.fixes[0].edits[0].newText : undefined));
    assert.deepEqual(texts, [
      './sub/deep%20ünï.md',
      'test%20plan',
      '%C3%BCber/gr%C3%B6%C3%9Fe.md',
      './test%20plan.md',
      // The segment already in its case keeps its own escapes, lower-case hex and all.
      '../docs/sub/deep%20%c3%bcn%c3%af.md',
      'sub/r\\(1\\).md',
    ]);
    // Applied, each edit leaves the anchor and title alone, and every link then reaches its file as named.
    const edits = found.flatMap((f) => (f.fixes?.[0]?.kind === 'edit' ? f.fixes[0].edits : []));
    const fixed = applyText(files['docs/a.md'], edits);
    assert.equal(
      fixed,
      '# A\n\n[c](./sub/deep%20ünï.md "t") [d](test%20plan) [e](%C3%BCber/gr%C3%B6%C3%9Fe.md#%C3%9Cber) ' +
        '[f](<./test%20plan.md#Über> "T") [g](../docs/sub/deep%20%c3%bcn%c3%af.md) [h](sub/r\\(1\\).md)\n',
    );
    const again = await check({ ...files, 'docs/a.md': fixed });
    assert.deepEqual(again.of('broken-link'), []);
    assert.deepEqual(again.of('broken-heading'), []);
  });

  it('the letter-case fix of a path written with character references keeps them', async () => {
    const files = { 'a.md': '# A\n\n[p](r&amp;D.md) [q](&#x52;&amp;d.md)\n', 'R&D.md': '# R&D\n' };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    const edits = found.flatMap((f) => (f.fixes?.[0]?.kind === 'edit' ? f.fixes[0].edits : []));
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['R&amp;D.md', '&#x52;&amp;D.md'],
    );
    const again = await check({ ...files, 'a.md': applyText(files['a.md'], edits) });
    assert.deepEqual(again.of('broken-link'), []);
  });

  it('an anchor set by HTML (`<a name>`, `id=`) is reached as a heading is', async () => {
    const c = await check({
      'start.md':
        '# Start\n\n<a name="custom-anchor"></a>\n\n[here](#custom-anchor) [there](doc.md#faq) [not](doc.md#nothing)\n',
      'doc.md': "# Doc\n\n<h2 id='faq'>Questions</h2>\n",
    });
    assert.deepEqual(
      c.of('broken-heading').map((f) => f.split(' ')[0]),
      ['start.md:5:57'],
    );
  });

  it("GitHub's line anchors (#L22, #L22-L30) on a markdown link name lines, not headings", async () => {
    const c = await check({
      'start.md':
        '# Start\n\n[a](doc.md#L2) [b](doc.md#L1-L3) [c](doc.md#L0) [d](doc.md#l2) [e](doc.md#L2-) [f](doc.md#L2C4)\n' +
        '[[doc#L2]] [g](doc.md#l-one) [h](doc.md#L900)\n',
      'doc.md': '# Doc\n\n## L-one\n',
    });
    // A heading named like a line anchor is still reached as a heading; wikilinks name headings only.
    assert.deepEqual(
      c.of('broken-heading').map((f) => f.split(': ')[0]),
      [
        'start.md:3:45 [c](doc.md#L0)',
        'start.md:3:60 [d](doc.md#l2)',
        'start.md:3:75 [e](doc.md#L2-)',
        'start.md:3:91 [f](doc.md#L2C4)',
        'start.md:4:7 [[doc#L2]]',
      ],
    );
    const { analysis, ws } = await check({ 'start.md': '[a](doc.md#L3-L4)\n', 'doc.md': '# Doc\n\nx\ny\n' });
    const entry = analysis.index.get(ws.uri('start.md'))!;
    const r = analysis.index.resolve(entry, entry.doc.links[0]!);
    assert.ok(r.status === 'resolved' && !r.headingMissing && r.line === 2 && r.heading === undefined);
  });

  it('broken-link and broken-heading for markdown links; none for URLs, existing files, images', async () => {
    const c = await check({
      'start.md':
        '# Start\n\n[ok](doc.md#scope) [gone](missing.md) [h](doc.md#nope) [u](https://x.org/missing.md)\n' +
        '![img](a.png) [yml](g.yml) [m](mailto:x@y.z) [self](#start)\n',
      'doc.md': '# Doc\n\n## Scope\n',
      'a.png': 'PNG',
      'g.yml': 'a: 1\n',
    });
    assert.deepEqual(c.of('broken-link'), [
      'start.md:3:20 [gone](missing.md) does not resolve: no document at that path.',
    ]);
    assert.deepEqual(c.of('broken-heading'), [
      'start.md:3:50 [h](doc.md#nope): "doc.md" has no heading "nope".',
    ]);
  });

  it('the fix of a broken markdown link creates the file at exactly that path', async () => {
    const c = await check({ 'wf/start.md': '[d](<new doc.md>) [i](pic.png)\n' });
    const fixes = c.findings.filter((f) => f.code === 'broken-link').map((f) => f.fixes?.[0]);
    assert.equal(fixes.length, 2);
    assert.equal(fixes[0]?.kind === 'create' && fixes[0].uri, 'file:///ws/wf/new%20doc.md');
    assert.equal(fixes[1], undefined, 'no document is created for a missing image');
  });

  it('backlinks include markdown links, and a heading reference only the links to that heading', async () => {
    const c = await check({
      'a.md': '[x](doc.md) [y](doc.md#overview-1)\n',
      'b/c.md': '[z](../doc.md#overview) [[doc#Overview]]\n',
      'doc.md': '# Doc\n\n## Overview\n\n## Overview\n',
    });
    const doc = c.analysis.index.get(c.ws.uri('doc.md'))!;
    const all = c.analysis.index.backlinks(doc).map((b) => `${b.from.rel} ${b.link.raw}`);
    assert.deepEqual(all, [
      'a.md [x](doc.md)',
      'a.md [y](doc.md#overview-1)',
      'b/c.md [z](../doc.md#overview)',
      'b/c.md [[doc#Overview]]',
    ]);
    const second = c.analysis.index.backlinks(doc, doc.doc.headings[2]).map((b) => b.link.raw);
    assert.deepEqual(second, ['[y](doc.md#overview-1)']);
  });

  it('a one-word destination in a definition’s template is a placeholder, not a broken link; in an instance it is', async () => {
    const body =
      '# Runbook\n\n- [Dashboard](link) [Research](link-to-research) ![Diagram](diagram)\n' +
      '- [Plan](plan.md) [Other](other-doc) [Sub](sub/page) [Anchor](link#top) [Ext](link.txt)\n\n[ref]: URL\n\n[r][ref]\n';
    const c = await check({
      'workflows/x/workflow.yml': 'name: x\n',
      'workflows/x/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'workflows/x/phases/01-frame/artifacts/runbook/template.md': body,
      'docs/helix/01-frame/runbook.md': body,
    });
    const broken = (rel: string) =>
      c.findings
        .filter((f) => f.code === 'broken-link' && f.uri.endsWith(rel))
        .map((f) => f.message.slice(0, f.message.indexOf(' does not resolve')));
    // `other-doc` is one word too: a definition writes a document's link with its extension.
    assert.deepEqual(broken('artifacts/runbook/template.md'), [
      '[Plan](plan.md)',
      '[Sub](sub/page)',
      '[Anchor](link#top)',
      '[Ext](link.txt)',
    ]);
    assert.deepEqual(broken('docs/helix/01-frame/runbook.md'), [
      '[Dashboard](link)',
      '[Research](link-to-research)',
      '[Diagram](diagram)',
      '[Plan](plan.md)',
      '[Other](other-doc)',
      '[Sub](sub/page)',
      '[Anchor](link#top)',
      '[Ext](link.txt)',
      '[ref]: URL',
    ]);
  });

  it('a link two folders above the repository into a GitHub page (`../../issues/new`) is no broken path', async () => {
    const c = await check({
      'README.md':
        '# Tool\n\n[bug](../../issues/new?template=bug.md) [wiki](../../wiki) [x](../../elsewhere) [y](../issues)\n',
      'docs/guide.md': '# Guide\n\n[ask](../../../discussions) [near](../../issues)\n',
    });
    const broken = c.findings
      .filter((f) => f.code === 'broken-link')
      .map((f) => f.message.slice(0, f.message.indexOf(' does not resolve')));
    assert.deepEqual(broken.sort(), ['[near](../../issues)', '[x](../../elsewhere)', '[y](../issues)']);
  });

  it('a link to a file named after an id that names nothing names the document declaring the id, with a fix after creating', async () => {
    const feature = (id: string) => `---\nddx:\n  id: ${id}\n---\n# ${id}\n`;
    const c = await check({
      'docs/prd.md':
        '# PRD\n\n[reset](features/FEAT-003-password-reset.md) [[features/FEAT-003-old]] [[FEAT-003-older]]\n' +
        '[gone](features/FEAT-009-gone.md) [two](features/FEAT-004-x.md) [self](FEAT-007-me.md)\n',
      'docs/features/FEAT-003-reset-password.md': feature('FEAT-003'),
      'docs/features/FEAT-004-a.md': feature('FEAT-004'),
      'docs/features/FEAT-004-b.md': feature('FEAT-004'),
      'docs/FEAT-007.md': '---\nddx:\n  id: FEAT-007\n---\n# Seven\n',
      'wf/01-plan.md':
        '---\nphase: 1\nartifacts: ["[[FEAT-003-api-notes]]"]\n---\n# Plan\n\n## Exit Criteria\n\n- [ ] a\n',
    });
    // An artifact not written yet is no renamed document: no guess.
    assert.deepEqual(
      c.findings.filter((f) => f.code === 'missing-artifact').map((f) => [f.message, f.fixes?.length]),
      [['Artifact [[FEAT-003-api-notes]] does not exist yet (no document with that name).', 1]],
    );
    const found = c.findings.filter((f) => f.code === 'broken-link' && f.uri.endsWith('docs/prd.md'));
    const said = found.map((f) => f.message.slice(f.message.indexOf(' does not resolve')));
    assert.deepEqual(
      said.map((m) => m.match(/FEAT-\d+ is declared by \S+/)?.[0] ?? null),
      [
        'FEAT-003 is declared by docs/features/FEAT-003-reset-password.md.',
        'FEAT-003 is declared by docs/features/FEAT-003-reset-password.md.',
        'FEAT-003 is declared by docs/features/FEAT-003-reset-password.md.',
        null,
        null,
        'FEAT-007 is declared by docs/FEAT-007.md.',
      ],
    );
    // A guess: creating the document stays first and preferred (a new FEAT-003-… document
    // is as likely), pointing the link at the declaring one is offered after it.
    for (const f of found.slice(0, 3))
      assert.deepEqual(
        f.fixes?.map((x) => [x.kind, 'preferred' in x && x.preferred === true]),
        [
          ['create', true],
          ['edit', false],
        ],
      );
    const texts = found.slice(0, 3).map((f) => {
      const edit = f.fixes?.find((x) => x.kind === 'edit');
      return edit?.kind === 'edit' ? edit.edits[0].newText : undefined;
    });
    assert.deepEqual(texts, [
      'features/FEAT-003-reset-password.md',
      'docs/features/FEAT-003-reset-password',
      'FEAT-003-reset-password',
    ]);
  });

  it("the document declaring an id is the linking project's own: another project's namesake id keeps the hint", async () => {
    const feature = (id: string) => `---\nddx:\n  id: ${id}\n---\n# ${id}\n`;
    const files = {
      'a/docs/helix/01-frame/features/FEAT-002-authentication.md': feature('FEAT-002'),
      'a/docs/helix/01-frame/prd.md': '# PRD\n\n[x](features/FEAT-002-auth.md)\n',
      'b/docs/helix/01-frame/features/FEAT-002-session.md': feature('FEAT-002'),
    };
    const hint = (c: Awaited<ReturnType<typeof check>>) =>
      c.findings
        .filter((f) => f.code === 'broken-link')
        .map((f) => f.message.match(/FEAT-002 is declared by \S+/)?.[0]);
    assert.deepEqual(hint(await check(files)), [
      'FEAT-002 is declared by a/docs/helix/01-frame/features/FEAT-002-authentication.md.',
    ]);
    // Two declaring it equally near: no guess.
    const twice = await check({
      ...files,
      'a/docs/helix/01-frame/features/FEAT-002-login.md': feature('FEAT-002'),
    });
    assert.deepEqual(hint(twice), [undefined]);
  });

  it('a path leaving the workspace folder names no namesake inside it', async () => {
    const c = await check({
      'docs/helix/README.md': '# Web\n\n[API arch](../../../api/docs/helix/02-design/architecture.md)\n',
      'docs/helix/02-design/architecture.md': '# Web Architecture\n',
    });
    const [f] = c.findings.filter((x) => x.code === 'broken-link');
    assert.equal(
      f?.message,
      '[API arch](../../../api/docs/helix/02-design/architecture.md) does not resolve: the path leaves the workspace folder.',
    );
    assert.ok(!f?.fixes?.some((x) => x.kind === 'edit'), 'no fix pointing it at the namesake');
  });
});

describe('markdown links: phase chains', () => {
  const phase = (n: string, name: string, body: string) =>
    `# Phase ${n}: ${name}\n\n---\nphase: ${Number(n)}\nname: ${name}\n---\n\n## Exit Criteria\n\n- [ ] done\n\n${body}`;

  it('markdown links under Next Phase / Previous Phase headings chain phases across folders', async () => {
    const c = await check({
      'a/01-frame.md': phase('01', 'Frame', '## Next Phase\n\n[Phase 2: Design](../b/02-design.md)\n'),
      'b/02-design.md': phase(
        '02',
        'Design',
        '## Previous Phase\n\n[Back](../a/01-frame.md)\n\n## Next Phase\n\n[Phase 3](../c/03-build.md)\n',
      ),
      'c/03-build.md': phase('03', 'Build', '## Previous Phase\n\n[Back](../b/02-design.md)\n'),
    });
    const ws = c.analysis.workflows();
    assert.equal(ws.length, 1, 'one workflow, not three one-phase workflows');
    assert.deepEqual(
      ws[0].phases.map((p) => p.rel),
      ['a/01-frame.md', 'b/02-design.md', 'c/03-build.md'],
    );
    assert.deepEqual(c.of('phase-chain'), []);
  });

  it('a path in next_phase metadata chains phases and phase-chain checks it', async () => {
    const c = await check({
      'x/01-frame.md': '# Frame\n\n---\nphase: 1\nnext_phase: ../y/03-build.md\n---\n',
      'y/03-build.md': '# Build\n\n---\nphase: 3\nprevious_phase: ../x/01-frame.md\n---\n',
    });
    assert.equal(c.analysis.workflows().length, 1);
    assert.equal(c.of('phase-chain').length, 2, c.of('phase-chain').join('\n'));
    assert.match(c.of('phase-chain')[0], /skipping a phase number/);
  });

  it('the fix of a markdown chain link that leads out of its workflow writes a relative path', async () => {
    const c = await check({
      'p/01-a.md': '# A\n\n---\nphase: 1\nnext_phase: ../q/02-b.md\n---\n',
      'q/02-b.md': '# B\n\n---\nphase: 2\nprevious_phase: ../r/01-z.md\n---\n',
      'r/01-z.md': '# Z\n\n---\nphase: 1\n---\n',
    });
    // One finding, on the link that is wrong (01-a's sound link gets none for it).
    const found = c.findings.filter((x) => x.code === 'phase-chain');
    assert.equal(found.length, 1, c.of('phase-chain').join('\n'));
    assert.match(found[0].message, /^previous_phase \.\.\/r\/01-z\.md leads into workflow r/);
    const fix = found[0].fixes?.[0];
    assert.ok(fix && fix.kind === 'edit', c.of('phase-chain').join('\n'));
    assert.equal(fix.edits[0].newText, '../p/01-a.md');
  });
});

describe('markdown links: rename and moves (one resolver for now and after the move)', () => {
  it('a moved document: markdown links keep their form (relative, ./, rooted, encoded, anchor)', async () => {
    const c = await check({
      'docs/start.md':
        '[a](plan.md) [b](./plan.md#scope) [c](/docs/plan.md) [d](<plan.md>) [e](../README.md) [[plan]]\n',
      'docs/plan.md': '# Plan\n\n## Scope\n',
      'README.md': '[p](docs/plan.md)\n',
    });
    const index = c.analysis.index;
    const plan = index.get(c.ws.uri('docs/plan.md'))!;
    const edits = linkUpdates(
      index,
      plan.folder,
      new Map<DocEntry, string | null>([[plan, 'docs/my plans/plan.md']]),
    );
    const text = (rel: string) => (edits.get(c.ws.uri(rel)) ?? []).map((e) => e.newText);
    assert.deepEqual(text('docs/start.md'), [
      'my%20plans/plan.md',
      './my%20plans/plan.md',
      '/docs/my%20plans/plan.md',
      'my plans/plan.md',
    ]);
    assert.deepEqual(text('README.md'), ['docs/my%20plans/plan.md']);
  });

  it('a renamed phase: a chain key naming it bare (`next_phase: 02-prescribe`) gets its new name, bare', async () => {
    const files = {
      'rel/01-diagnose.md': '# D\n\n---\nphase: 1\nnext_phase: 02-prescribe  # next\n---\n',
      'rel/02-prescribe.md': '# P\n\n---\nphase: 2\nprevious_phase: 01-diagnose\n---\n',
      'rel/03-treat.md': '# T\n\n---\nphase: 3\nprevious_phase: "02-prescribe"\n---\n',
    };
    const c = await check(files);
    const index = c.analysis.index;
    const moved = index.get(c.ws.uri('rel/02-prescribe.md'))!;
    const edits = linkUpdates(
      index,
      moved.folder,
      new Map<DocEntry, string | null>([[moved, 'rel/02-prescription.md']]),
    );
    const updated = (rel: keyof typeof files) => applyText(files[rel], edits.get(c.ws.uri(rel)) ?? []);
    assert.match(updated('rel/01-diagnose.md'), /\nnext_phase: 02-prescription {2}# next\n/);
    assert.match(updated('rel/03-treat.md'), /\nprevious_phase: "02-prescription"\n/);
    // To a name that reads as no phase name bare: written as a wikilink, still a link.
    const plain = linkUpdates(
      index,
      moved.folder,
      new Map<DocEntry, string | null>([[moved, 'rel/prescribe.md']]),
    );
    const renamed = (rel: keyof typeof files) => applyText(files[rel], plain.get(c.ws.uri(rel)) ?? []);
    assert.match(renamed('rel/01-diagnose.md'), /\nnext_phase: "\[\[prescribe\]\]" {2}# next\n/);
    assert.match(renamed('rel/03-treat.md'), /\nprevious_phase: "\[\[prescribe\]\]"\n/);
    const out = await check({
      'rel/01-diagnose.md': renamed('rel/01-diagnose.md'),
      'rel/prescribe.md': files['rel/02-prescribe.md'],
      'rel/03-treat.md': renamed('rel/03-treat.md'),
    });
    assert.deepEqual(out.of('broken-link'), []);
    assert.equal(
      out.analysis.index
        .get(out.ws.uri('rel/01-diagnose.md'))!
        .doc.links.filter((l) => l.key === 'next_phase').length,
      1,
    );
  });

  it('a moved linking document: its relative markdown links are rewritten, encoded ones stay encoded', async () => {
    const c = await check({
      'a/start.md': '[x](../b/my%20doc.md) [y](../b/my%20doc.md#top) [[my doc]]\n',
      'b/my doc.md': '# Top\n',
    });
    const index = c.analysis.index;
    const start = index.get(c.ws.uri('a/start.md'))!;
    const edits = linkUpdates(
      index,
      start.folder,
      new Map<DocEntry, string | null>([[start, 'a/deep/start.md']]),
    );
    assert.deepEqual(
      (edits.get(c.ws.uri('a/start.md')) ?? []).map((e) => e.newText),
      ['../../b/my%20doc.md', '../../b/my%20doc.md'],
    );
  });

  it('a link written with character references stays exact when its document moves', async () => {
    const c = await check({
      'docs/start.md': '[a](R&amp;D.md) [b](./R&amp;D.md#&uuml;ber) [c](R&#x26;D.md)\n',
      'docs/R&D.md': '# R&D\n\n## Über\n',
    });
    const index = c.analysis.index;
    const doc = index.get(c.ws.uri('docs/R&D.md'))!;
    // A name that would read as a reference (`&amp;`, `&copy;`) is encoded where it is one.
    const edits = linkUpdates(
      index,
      doc.folder,
      new Map<DocEntry, string | null>([[doc, 'docs/new/R&amp;D & Q&copy;.md']]),
    );
    const changed = edits.get(c.ws.uri('docs/start.md')) ?? [];
    assert.deepEqual(
      changed.map((e) => e.newText),
      [
        'new/R%26amp;D%20&%20Q%26copy;.md',
        './new/R%26amp;D%20&%20Q%26copy;.md',
        'new/R%26amp;D%20&%20Q%26copy;.md',
      ],
    );
    const text = applyText('[a](R&amp;D.md) [b](./R&amp;D.md#&uuml;ber) [c](R&#x26;D.md)\n', changed);
    const moved = await check({
      'docs/start.md': text,
      'docs/new/R&amp;D & Q&copy;.md': '# R&D\n\n## Über\n',
    });
    assert.deepEqual(moved.of('broken-link'), []);
    assert.deepEqual(moved.of('broken-heading'), []);
  });

  it('PathTable answers the same for the workspace now and as it will be', () => {
    const now = new PathTable<string>((x) => x);
    for (const rel of ['a/plan.md', 'b/plan.md', 'a/README.md']) now.add(rel, pathKeys(rel));
    const r = now.lookup('a', 'plan');
    assert.deepEqual(r.status === 'resolved' && r.candidates, ['a/plan.md']);
    const p = now.lookupPath('a', '../b/plan.md');
    assert.deepEqual(p.status === 'resolved' && p.candidates, ['b/plan.md']);
    now.remove('b/plan.md', pathKeys('b/plan.md'));
    assert.equal(now.lookupPath('a', '../b/plan.md').status, 'broken');
    assert.deepEqual(
      now.lookupPath('', 'a/').status === 'resolved' &&
        (now.lookupPath('', 'a/') as { candidates: string[] }).candidates,
      ['a/README.md'],
    );
  });
  it('PathTable: a declared id is the first step for wikilinks only, exact, and moves with its document', () => {
    const ids = new Map<string, string[]>();
    const table = new PathTable<string>(
      (x) => x,
      (id) => ids.get(id) ?? [],
    );
    table.add('docs/feat-004.md', pathKeys('docs/feat-004.md'));
    table.add('specs/login.md', pathKeys('specs/login.md'));
    ids.set('FEAT-004', ['specs/login.md']);
    const byId = table.lookup('', 'FEAT-004');
    assert.deepEqual(byId.status === 'resolved' && byId.candidates, ['specs/login.md']);
    const otherCase = table.lookup('', 'feat-004');
    assert.deepEqual(otherCase.status === 'resolved' && otherCase.candidates, ['docs/feat-004.md']);
    assert.equal(table.lookupPath('', 'FEAT-004').status, 'broken');
    // The id table changes under the path table: the next lookup follows it. An id two
    // documents declare names the first (duplicate-id reports both), so no ambiguity.
    ids.set('FEAT-004', ['archive/login.md', 'specs/login.md']);
    const two = table.lookup('x/y', 'FEAT-004');
    assert.deepEqual(two.status === 'resolved' && two.candidates, ['archive/login.md']);
    ids.delete('FEAT-004');
    const gone = table.lookup('', 'FEAT-004');
    assert.deepEqual(gone.status === 'resolved' && gone.candidates, ['docs/feat-004.md']);
  });

  it('a markdown link whose path is a declared id is a path, not the id', async () => {
    const c = await check({
      'start.md': '[spec](FEAT-004) [[FEAT-004]]\n',
      'specs/login.md': '---\nddx:\n  id: FEAT-004\n---\n# Login\n',
    });
    assert.deepEqual(c.of('broken-link'), [
      'start.md:1:1 [spec](FEAT-004) does not resolve: no such file, nor a folder holding files, in the workspace folder.',
    ]);
  });
});

describe('markdown links: files that are not documents', () => {
  it('a markdown file outside cdp.files.include, or skipped for its size, is a file, not broken', async () => {
    const big = `# Big\n\n${'x'.repeat(3 * 1024)}\n`;
    const c = await check(
      {
        'docs/start.md': '[c](../CHANGELOG.md) [b](big.md) [g](gone.md)\n',
        'docs/big.md': big,
        'CHANGELOG.md': '# Changes\n',
      },
      { 'cdp.files.include': ['docs/**/*.md'], 'cdp.files.maxFileSizeKB': 1 },
    );
    assert.deepEqual(c.of('broken-link'), [
      'docs/start.md:1:34 [g](gone.md) does not resolve: no document at that path.',
    ]);
  });

  it('a wikilink by the name of a markdown file skipped (too large, binary) reaches it, the nearest first', async () => {
    const big = `# Big\n\n${'x'.repeat(3 * 1024)}\n`;
    const c = await check(
      {
        'docs/start.md': '[[big]] [[Big]] [[bin]] [[gone]]\n',
        'docs/big.md': big,
        'other/big.md': big,
        'docs/sub/bin.md': '# Bin\n\u0000\u0000\n',
      },
      { 'cdp.files.maxFileSizeKB': 1 },
    );
    assert.deepEqual(c.of('broken-link'), [
      'docs/start.md:1:25 [[gone]] does not resolve: no document with that name.',
    ]);
    const start = c.analysis.index.get(c.ws.uri('docs/start.md'))!;
    assert.deepEqual(
      start.doc.links.map((l) => {
        const r = c.analysis.index.resolve(start, l);
        return r.status === 'file' ? r.rel : r.status;
      }),
      ['docs/big.md', 'docs/big.md', 'docs/sub/bin.md', 'broken'],
    );
    // A file the settings leave out is no document skipped: `[[name]]` does not reach it
    // (a path does), nor a file in a folder the listing skips.
    const left = await check(
      {
        'docs/start.md': '[[CHANGELOG]] [c](../CHANGELOG.md) [[prd]] [p](../.ddx/prd.md)\n',
        'CHANGELOG.md': '# Changes\n',
        '.ddx/prd.md': '# PRD\n',
      },
      { 'cdp.files.include': ['docs/**/*.md'] },
    );
    assert.deepEqual(
      left.of('broken-link').map((m) => m.replace(/ does not resolve.*/, '')),
      ['docs/start.md:1:1 [[CHANGELOG]]', 'docs/start.md:1:36 [[prd]]'],
    );
  });
});
