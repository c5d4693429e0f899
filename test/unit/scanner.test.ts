import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanBody } from '../../server/src/core/parse/scanner';
import { LineIndex } from '../../server/src/core/text';
import type { BodySummary } from '../../server/src/core/types';

function scan(text: string): BodySummary {
  return scanBody(text, new LineIndex(text));
}
const headings = (text: string) => scan(text).headings.map((h) => [h.level, h.text, h.line]);
const tasks = (text: string) => scan(text).tasks.map((t) => [t.line, t.checked, t.text, t.depth]);
const links = (text: string) => scan(text).links.map((l) => l.raw);
const malformed = (text: string) =>
  scan(text).malformed.map((m) => [
    m.kind,
    m.line,
    m.range.start.character,
    m.range.end.character,
    m.replacement,
  ]);

describe('scanBody: headings', () => {
  const cases: [string, (string | number)[][]][] = [
    ['# Title', [[1, 'Title', 0]]],
    ['###### six', [[6, 'six', 0]]],
    ['####### seven', []],
    ['#no space', []],
    ['   ## indented 3', [[2, 'indented 3', 0]]],
    ['    ## indented 4 is code', []],
    ['## closing ##', [[2, 'closing', 0]]],
    ['## closing#', [[2, 'closing#', 0]]],
    ['## a \\##', [[2, 'a \\##', 0]]],
    ['#', [[1, '', 0]]],
    ['# #', [[1, '', 0]]],
    ['Title\n=====', [[1, 'Title', 0]]],
    ['Sub\n---', [[2, 'Sub', 0]]],
    ['two\nlines\n===', [[1, 'two lines', 0]]],
    ['> quoted\n> ---', [[2, 'quoted', 0]]],
    ['> a\n> b\n> ===', [[1, 'a b', 0]]],
    [
      '- # in item\n  sub\n  ---',
      [
        [1, 'in item', 0],
        [2, 'sub', 1],
      ],
    ],
    ['para\n\n---', []],
    ['---\n---', []],
    ['> a\n---', []],
    ['    code\n---', []],
    ['```\n# not\n```\n# yes', [[1, 'yes', 3]]],
    ['<!--\n# not\n-->\n# yes', [[1, 'yes', 3]]],
    ['<div>\n# not\n\n# yes', [[1, 'yes', 3]]],
    [
      '# a\r\n## b\r### c',
      [
        [1, 'a', 0],
        [2, 'b', 1],
        [3, 'c', 2],
      ],
    ],
    ['#\tTab', [[1, 'Tab', 0]]],
    ['---\ntitle: x\n---\n# After front matter', [[1, 'After front matter', 3]]],
    [
      '# T\n\n---\nphase: 05\n---',
      [
        [1, 'T', 0],
        [2, 'phase: 05', 3],
      ],
    ],
    ['[ref]: /url\n===', []],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.deepEqual(headings(text), want));

  it('gives the heading text range on its line', () => {
    const [h] = scan('  ## Exit Criteria ##  ').headings;
    assert.deepEqual(h.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 18 } });
  });
});

describe('scanBody: task items', () => {
  it('an ordered item not numbered 1 starts after code begun outside a block quote, blank lines between', () => {
    // micromark: the code block does not restrict the list item; the exemption lasts over
    // blank lines, up to the next line with content (generated differential seed 5533).
    assert.deepEqual(
      scan('> \t    x\n    y\n\n2) [ ] w\n').tasks.map((t) => t.line),
      [3],
    );
    assert.deepEqual(
      scan('> \t    x\n    y\n\n\n2) [ ] w\n').tasks.map((t) => t.line),
      [4],
    );
    assert.deepEqual(scan('> \t    x\n    y\n    z\n\n2) [ ] w\n').tasks, []);
    assert.deepEqual(scan('    code\n\n2) [ ] w\n').tasks, []);
  });

  const cases: [string, (string | number | boolean)[][]][] = [
    ['- [ ] open', [[0, false, 'open', 0]]],
    ['- [x] done', [[0, true, 'done', 0]]],
    ['* [X] Done', [[0, true, 'Done', 0]]],
    ['+ [ ] plus', [[0, false, 'plus', 0]]],
    ['1. [ ] one', [[0, false, 'one', 0]]],
    ['3) [x] three', [[0, true, 'three', 0]]],
    ['- [ ]\ttab after', [[0, false, 'tab after', 0]]],
    ['- [ ]   many spaces  ', [[0, false, 'many spaces', 0]]],
    ['- [ ]', []],
    ['- [ ]   ', []],
    ['- [ ]\n  more', [[0, false, 'more', 0]]],
    ['- [ ] \n- b', []],
    ['- [x]text', []],
    ['- [y] no', []],
    ['-\n  [x] late box', [[0, true, 'late box', 0]]],
    ['- a\n  [x] not first', []],
    ['- # [x] heading', []],
    ['- [ ] a\n  ---', []],
    ['[ ] no marker', []],
    ['    - [ ] indented code', []],
    ['```\n- [ ] fenced\n```', []],
    ['- ```\n  - [ ] fenced in item\n  ```', []],
    ['> - [ ] quoted', [[0, false, 'quoted', 0]]],
    [
      '- [ ] a\n  - [x] b\n    - [ ] c\n- [ ] d',
      [
        [0, false, 'a', 0],
        [1, true, 'b', 1],
        [2, false, 'c', 2],
        [3, false, 'd', 0],
      ],
    ],
    [
      '- [ ] a\r\n\t- [x] b\r- [ ] c',
      [
        [0, false, 'a', 0],
        [1, true, 'b', 1],
        [2, false, 'c', 0],
      ],
    ],
    ['1. a\n   - [x] nested under ordered', [[1, true, 'nested under ordered', 1]]],
    ['- a\n\n      - [ ] code, not item', []],
    ['- [ ] lazy\ncontinuation', [[0, false, 'lazy continuation', 0]]],
    [
      '- [ ] two\n  lines  \n- [x] b',
      [
        [0, false, 'two lines', 0],
        [2, true, 'b', 0],
      ],
    ],
    ['- [ ] x `[[code]]` [[link]]', [[0, false, 'x `[[code]]` [[link]]', 0]]],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.deepEqual(tasks(text), want));

  it('reports the checkbox range and the item range from the marker', () => {
    const [t] = scan('  > * [x] ship it').tasks;
    assert.deepEqual(t.checkboxRange, { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } });
    assert.deepEqual(t.range, { start: { line: 0, character: 4 }, end: { line: 0, character: 17 } });
  });
});

describe('scanBody: link destinations (one parser for links and definitions)', () => {
  it('a definition line is no text; its destination ends where a link destination ends', () => {
    // Wikilinks only: a definition is itself a markdown link.
    const links = (text: string) => scan(text).links.filter((l) => l.syntax === undefined).length;
    assert.equal(links('[a]: x\\a[[y]]\n'), 0); // one destination: a definition
    assert.equal(links('[a]: <x> "[[y]]"\n'), 0); // a title: a definition
    // A backslash escapes punctuation only, and DEL ends a destination (as in micromark):
    // what follows is no title, so the line is text with a link.
    assert.equal(links('[a]: x\\ [[y]]\n'), 1);
    assert.equal(links('[a]: x\x7f[[y]]\n'), 1);
    assert.equal(links('[a]: x "[[y]]\n'), 1); // an unclosed title
    assert.equal(links('See [t](x\\ "[[y]]") and [[z]].\n'), 2); // \<space> ends the destination
  });
});

describe('scanBody: tables', () => {
  it('a line leaving a list item that holds a table does not start a table (a lazy line for micromark)', () => {
    // Generated differential seed 795925455: the header row is paragraph text, so the code
    // span runs over three lines and the link after it is in code.
    assert.deepEqual(scan('- a|b\n  -|-\n``c|d|p\n-|-|-\n`` ` ``[[e]]`\n').links, []);
    assert.equal(scan('``c|d|p\n-|-|-\n`` ` ``[[e]]`\n').links.length, 1);
    assert.equal(scan('- a|b\n  -|-\n\n``c|d|p\n-|-|-\n`` ` ``[[e]]`\n').links.length, 1);
  });
});

describe('scanBody: links only in inline text', () => {
  const cases: [string, string[]][] = [
    ['see [[a]] and ![[b|B]]', ['[[a]]', '![[b|B]]']],
    ['`[[code]]` [[x]]', ['[[x]]']],
    ['``a`[[still code]]`` [[x]]', ['[[x]]']],
    ['`unclosed [[x]]', ['[[x]]']],
    ['\\`[[x]]`', ['[[x]]']],
    ['span `across\n[[lines]]` [[x]]', ['[[x]]']],
    ['```\n[[fenced]]\n```\n[[x]]', ['[[x]]']],
    ['~~~ info\n[[fenced]]\n~~~~\n[[x]]', ['[[x]]']],
    ['```\n[[unclosed fence]]', []],
    ['    [[indented]]\n\n[[x]]', ['[[x]]']],
    ['para\n    [[continuation]]', ['[[continuation]]']],
    ['<span title="[[attr]]">[[x]]</span>', ['[[x]]']],
    ['a <!-- [[comment]] --> [[x]]', ['[[x]]']],
    ['<!-- [[comment]] --> [[html block line]]', []],
    ['a <!-- [[multi\nline]] --> [[x]]', ['[[x]]']],
    ['<!--\n[[html block]]\n-->\n[[x]]', ['[[x]]']],
    ['<div>\n[[html block]]\n\n[[x]]', ['[[x]]']],
    // An autolink's content is a URL: neither a wikilink nor a markdown link.
    ['<https://example.org/[[auto]]> [[x]]', ['[[x]]']],
    ['<https://example.com/x/[y](nope.md)> [z](z.md)', ['[z](z.md)']],
    ['<mailto:a@b.co?s=[[m]]>', []],
    ['[a <https://e.org/[[in]]> b](l.md)', ['[a <https://e.org/[[in]]> b](l.md)']],
    ['![alt <https://e.org/[[in]]>](i.png)', ['![alt <https://e.org/[[in]]>](i.png)']],
    ['[foo<https://example.com/?search=](uri)>', []],
    ['# H <https://e.org/[[h]]>', []],
    ['| <https://e.org/[[c]]> | [[d]] |\n|--|--|', ['[[d]]']],
    // Not an autolink (no scheme) nor HTML: the wikilink between `<` and `>` is one.
    ['<[[x]]>', ['[[x]]']],
    // A backslash escapes the first bracket: text, not a link (`\\` is an escaped backslash).
    ['\\[[esc]] \\\\[[x]] \\\\\\[[esc]]', ['[[x]]']],
    ['!\\[[esc]] \\[[[x]]', ['[[x]]']],
    ['\\![[x]] ![[y]]', ['[[x]]', '![[y]]']],
    ['\\[t](x.md) \\![i](i.png)', ['[i](i.png)']],
    ['`\\[[code]]` \\`[[x]]`', ['[[x]]']],
    ['| \\[[esc]] | [[x]] |\n|--|--|', ['[[x]]']],
    [
      '| a | b |\n|---|---|\n| [[test-plan/README\\|Monitoring Plan]] | `[[c]]` |',
      ['[[test-plan/README\\|Monitoring Plan]]'],
    ],
    ['| [[a|b]] |\n|--|--|', []],
    ['| [[a|b]] |\n|--|', ['[[a|b]]']],
    ['> quoted [[q]]\n> - item [[i]]', ['[[q]]', '[[i]]']],
    ['# Heading [[h]] #', ['[[h]]']],
    // The definition is a markdown link itself; the wikilink in its title is not a link.
    ['[ref]: /url "[[title]]"\n[[x]]', ['[ref]: /url "[[title]]"', '[[x]]']],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.deepEqual(links(text), want));

  it('gives positions on CRLF and lone-CR lines', () => {
    const ls = scan('a\r\n`[[no]]` [[yes]]\r[[z]]').links;
    assert.deepEqual(
      ls.map((l) => [l.range.start.line, l.range.start.character, l.source]),
      [
        [1, 9, 'body'],
        [2, 0, 'body'],
      ],
    );
  });
});

describe('scanBody: malformed checkboxes', () => {
  const cases: [string, (string | number)[][]][] = [
    ['- []', [['empty-box', 0, 0, 4, '- [ ]']]],
    ['* [] text', [['empty-box', 0, 0, 4, '* [ ]']]],
    ['- [ x] text', [['padded-box', 0, 0, 6, '- [x]']]],
    ['- [x ] text', [['padded-box', 0, 0, 6, '- [x]']]],
    ['- [  ] text', [['padded-box', 0, 0, 6, '- [ ]']]],
    ['1. [ X ] text', [['padded-box', 0, 0, 8, '1. [x]']]],
    ['  - [ x]', [['padded-box', 0, 2, 8, '- [x]']]],
    ['-[ ] glued', [['no-space-after-marker', 0, 0, 4, '- [ ]']]],
    ['*[x] glued', [['no-space-after-marker', 0, 0, 4, '* [x]']]],
    ['1.[x] glued', [['no-space-after-marker', 0, 0, 5, '1. [x]']]],
    ['[ ] stray', [['no-marker', 0, 0, 3, '- [ ]']]],
    ['[X] stray', [['no-marker', 0, 0, 3, '- [x]']]],
    ['text\n[x] second line', [['no-marker', 1, 0, 3, '- [x]']]],
    ['> [ ] quoted', [['no-marker', 0, 2, 5, '- [ ]']]],
    ['- [/] in progress', [['other-mark', 0, 0, 5, '- [ ]']]],
    ['- [-] not applicable', []],
    // (task plugins' deferred, scheduled and important items: open)
    ['- [>] deferred', [['other-mark', 0, 0, 5, '- [ ]']]],
    ['- [<] scheduled', [['other-mark', 0, 0, 5, '- [ ]']]],
    ['- [!] important', [['other-mark', 0, 0, 5, '- [ ]']]],
    ['- [x], [y] are coordinates', []],
    ['- [x]_i component', []],
    ['- [✓] ticked', [['other-mark', 0, 0, 5, '- [x]']]],
    ['- [✅] release notes', [['other-mark', 0, 0, 5, '- [x]']]],
    ['- [✔\ufe0f] with a variation selector', [['other-mark', 0, 0, 6, '- [x]']]],
    ['- [✔\ufe0e] with the text selector', [['other-mark', 0, 0, 6, '- [x]']]],
    ['- [ｘ] full-width x', [['other-mark', 0, 0, 5, '- [x]']]],
    ['- [〇] maru', [['other-mark', 0, 0, 5, '- [x]']]],
    ['- [☑] ballot box', [['other-mark', 0, 0, 5, '- [x]']]],
    ['- [*] star', [['other-mark', 0, 0, 5, '- [x]']]],
    ['- [❌] no', [['other-mark', 0, 0, 5, '- [ ]']]],
    ['- [✗] no', [['other-mark', 0, 0, 5, '- [ ]']]],
    // a space GFM does not read as one inside the box (no task): read as an open box
    ['- [\u00a0] no-break space', [['other-space', 0, 0, 5, '- [ ]']]],
    ['- [\u3000] ideographic space', [['other-space', 0, 0, 5, '- [ ]']]],
    ['- [\u2003] em space', [['other-space', 0, 0, 5, '- [ ]']]],
    ['- [\u200b] zero-width space', [['other-space', 0, 0, 5, '- [ ]']]],
    ['- [\ufeff] byte order mark', [['other-space', 0, 0, 5, '- [ ]']]],
    ['- [x\u00a0] ticked', [['other-space', 0, 0, 6, '- [x]']]],
    ['* [\u202f\u205f] two', [['other-space', 0, 0, 6, '* [ ]']]],
    // …or such a space written as a character reference (HTML converted to markdown)
    ['- [&nbsp;] reference', [['other-space', 0, 0, 10, '- [ ]']]],
    ['- [x&#160;] ticked, by number', [['other-space', 0, 0, 11, '- [x]']]],
    ['+ [&NonBreakingSpace;] named otherwise', [['other-space', 0, 0, 22, '+ [ ]']]],
    ['-[\u3000] glued', [['no-space-after-marker', 0, 0, 4, '- [ ]']]],
    ['- [\u3000]Docs', [['glued-box', 0, 0, 5, '- [ ] ']]],
    ['- [ ]\u200bDocs', [['no-space-after-box', 0, 0, 6, '- [ ] ']]],
    ['* [ ]glued text', [['no-space-after-box', 0, 0, 5, '* [ ] ']]],
    ['- [x]done', [['no-space-after-box', 0, 0, 5, '- [x] ']]],
    // a no-break space after the box (GFM reads no task): replaced with a space
    ['- [ ]\u00a0Rollback rehearsed', [['no-space-after-box', 0, 0, 6, '- [ ] ']]],
    ['- [x]&nbsp;Runbook', [['no-space-after-box', 0, 0, 11, '- [x] ']]],
    ['- [ ]&#160;Runbook', [['no-space-after-box', 0, 0, 11, '- [ ] ']]],
    // (however the reference is written)
    ['- [ ]&#0160;Runbook', [['no-space-after-box', 0, 0, 12, '- [ ] ']]],
    ['- [ ]&#00160;Runbook', [['no-space-after-box', 0, 0, 13, '- [ ] ']]],
    ['- [ ]&NonBreakingSpace;Rollback', [['no-space-after-box', 0, 0, 23, '- [ ] ']]],
    ['- [x]&#32;Text', [['no-space-after-box', 0, 0, 10, '- [x] ']]],
    ['- [x]&#x20;Text', [['no-space-after-box', 0, 0, 11, '- [x] ']]],
    ['- []\u2003Docs', [['glued-box', 0, 0, 5, '- [ ] ']]],
    ['- [x]&amp; more', []],
    // a box GFM does not read, glued to its text: both mended
    ['- []Security review', [['glued-box', 0, 0, 4, '- [ ] ']]],
    ['- [ x]Legal', [['glued-box', 0, 0, 6, '- [x] ']]],
    ['* [x ]Perf', [['glued-box', 0, 0, 6, '* [x] ']]],
    ['1. [  ]Docs', [['glued-box', 0, 0, 7, '1. [ ] ']]],
    ['- [✓]Done', [['other-mark', 0, 0, 5, '- [x] ']]],
    ['- [ x](https://example.org) link', []],
    ['- [ x]_i component', []],
    ['- [](x) empty link', []],
    ['- ☐ open', [['symbol-box', 0, 0, 3, '- [ ]']]],
    ['- ☑ done', [['symbol-box', 0, 0, 3, '- [x]']]],
    ['- ✅ decoration', []],
    ['- [ ](https://example.org) empty link', []],
    ['- [x]: https://example.org', []],
    ['- [link] text', []],
    ['[x]: https://example.org', []],
    ['[x](https://example.org) link', []],
    ['- [](https://example.org)', []],
    ['- [ ] fine', []],
    ['- [x]', []],
    ['```\n- []\n-[ ] x\n[ ] y\n```', []],
    ['    [ ] indented code', []],
    [
      '- [ ] ok\n- [ x] bad\r\n-[x] bad',
      [
        ['padded-box', 1, 0, 6, '- [x]'],
        ['no-space-after-marker', 2, 0, 4, '- [x]'],
      ],
    ],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.deepEqual(malformed(text), want));
});

describe('scanBody: tabs and indentation', () => {
  it('expands tabs to columns of 4 for list content', () => {
    assert.deepEqual(tasks('-\t[ ] tab\n\t-\t[x] nested'), [
      [0, false, 'tab', 0],
      [1, true, 'nested', 1],
    ]);
  });
  it('treats a tab-indented line after a blank as code inside a list item', () => {
    assert.deepEqual(links('- a\n\n\t\t[[code]]\n\n\t[[para]]'), ['[[para]]']);
  });
  it('counts a tab inside the box only when it is one column wide', () => {
    assert.deepEqual(tasks('- [\t] a'), [[0, false, 'a', 0]]);
    assert.deepEqual(tasks('  - [\t] a'), []);
  });
});

describe('scanBody: scale', () => {
  it('scans 10,000 task items', () => {
    const text = Array.from(
      { length: 10_000 },
      (_, i) => `- [${i % 3 === 0 ? 'x' : ' '}] item ${i} [[t${i}]]`,
    ).join('\n');
    const b = scan(text);
    assert.equal(b.tasks.length, 10_000);
    assert.equal(b.tasks.filter((t) => t.checked).length, 3_334);
    assert.equal(b.links.length, 10_000);
    assert.equal(b.tasks[9_999].line, 9_999);
  });
  it('scans a list nested 5,000 deep', () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i * 2)}- [ ] level ${i}`).join('\n');
    const b = scan(text);
    assert.equal(b.tasks.length, 5_000);
    assert.equal(b.tasks[4_999].depth, 4_999);
  });
  it('scans 5,000 nested block quotes and items on one line', () => {
    const b = scan(`${'> '.repeat(5_000)}# deep [[q]]\n${'- '.repeat(5_000)}[x] deepest`);
    assert.deepEqual(
      b.headings.map((h) => h.text),
      ['deep [[q]]'],
    );
    assert.equal(b.links.length, 1);
    assert.equal(b.tasks.length, 1);
    assert.equal(b.tasks[0].depth, 4_999);
  });
  it('scans 10,000 links on one line', () => {
    const b = scan(`${'[[a]] `x` '.repeat(10_000)}`);
    assert.equal(b.links.length, 10_000);
  });
  it('stays linear with many unclosed code spans, comments and tags', () => {
    // Backticks pair into code spans: every other repetition's link is code.
    assert.equal(scan(`${'` <!-- <a x=" [[l]] '.repeat(20_000)}`).links.length, 10_000);
    // A paragraph (not an HTML block): no comment, tag or instruction ever closes.
    assert.equal(scan(`text ${'<!-- <a x=" <? [[l]] '.repeat(20_000)}`).links.length, 20_000);
  });
});

describe('scanBody: CDP corpus', () => {
  const dir = join(__dirname, '../../../shared/corpus/ddx-cdp/workflows/cdp');
  const present = existsSync(dir);
  it('reads the checklist of 05-release.md, the escaped pipe in README.md and skips code', (t) => {
    if (!present) {
      t.skip(`corpus folder ${dir} is absent: corpus facts not checked`);
      return;
    }
    const release = readFileSync(join(dir, 'phases/05-release.md'), 'utf8');
    assert.equal(scan(release).tasks.length, 53);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const link = scan(readme).links.find((l) => l.raw === '[[test-plan/README\\|Monitoring Plan]]');
    assert.ok(link, 'escaped-pipe link found');
    assert.equal(link.target, 'test-plan/README');
    assert.equal(link.alias, 'Monitoring Plan');
    // Every link the scanner reports lies outside fenced code and code spans of its file.
    for (const file of ['GUIDE.md', 'README.md', 'phases/03-treat.md']) {
      assertLinksOutsideCode(readFileSync(join(dir, file), 'utf8'), file);
    }
  });

  it('the check of links outside code has something to find in its own fixture', () => {
    const text = readFileSync(join(__dirname, '../fixtures/links-in-code/03-build.md'), 'utf8');
    assert.equal(assertLinksOutsideCode(text, '03-build.md'), 4);
  });
});

/**
 * Asserts that no link the scanner reports lies in fenced code or a code span (counted by
 * backticks before it on its line); returns how many fenced lines hold `[[`.
 */
function assertLinksOutsideCode(text: string, file: string): number {
  const lines = text.split(/\r\n|\r|\n/);
  let inFence = false;
  const fenced = new Set<number>();
  lines.forEach((l, i) => {
    if (/^[\s>]*(```|~~~)/.test(l)) {
      inFence = !inFence;
      fenced.add(i);
    } else if (inFence) fenced.add(i);
  });
  for (const l of scan(text).links) {
    assert.ok(!fenced.has(l.range.start.line), `${file}:${l.range.start.line} is in a fence`);
    const before = lines[l.range.start.line].slice(0, l.range.start.character);
    assert.equal((before.match(/`/g) ?? []).length % 2, 0, `${file}:${l.range.start.line} is in a code span`);
  }
  return [...fenced].filter((i) => lines[i].includes('[[')).length;
}
