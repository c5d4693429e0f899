// A heading's text as rendered (`shownHeading`): the names groups are shown by.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { shownHeading, shownText } from '../../server/src/core/shown-text';
import { rng } from '../helpers/markdown-gen';

interface Node {
  type: string;
  value?: string;
  children?: Node[];
}

/** The text of a heading as CommonMark (remark) renders it, markup left out. */
function rendered(text: string): string {
  const tree = unified().use(remarkParse).parse(`# ${text}\n`) as Node;
  const heading = tree.children?.[0];
  assert.equal(heading?.type, 'heading');
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.type === 'text' || n.type === 'inlineCode') out.push(n.value ?? '');
    else for (const c of n.children ?? []) walk(c);
  };
  walk(heading!);
  return out.join('');
}

describe('shownHeading', () => {
  it('leaves out emphasis markers as GitHub renders them, and keeps the characters that are none', () => {
    const cases: [string, string][] = [
      ['**Exit Criteria**', 'Exit Criteria'],
      ['_Exit_ Criteria', 'Exit Criteria'],
      ['*Security* Gate', 'Security Gate'],
      ['__Security__ Gate', 'Security Gate'],
      ['***Exit Criteria***', 'Exit Criteria'],
      ['snake_case_name', 'snake_case_name'],
      ['2 * 3', '2 * 3'],
      ['a ** b ** c', 'a ** b ** c'],
      ['**unclosed', '**unclosed'],
      ['x_', 'x_'],
      ['`cdp check` Gate', 'cdp check Gate'],
      ['`` a`b `` Gate', 'a`b Gate'],
      ['`unclosed code', '`unclosed code'],
      ['\\*not emphasis\\*', '*not emphasis*'],
      ['Exit Criteria', 'Exit Criteria'],
    ];
    for (const [text, shown] of cases) assert.equal(shownHeading(text), shown, text);
  });

  it('reads no markers inside a link destination, a tag or a wikilink', () => {
    assert.equal(
      shownHeading('[**Plan**](docs/_drafts_/plan.md) Gate'),
      '[Plan](docs/_drafts_/plan.md) Gate',
    );
    // (a tag renders as nothing; its attributes are no markup)
    assert.equal(shownHeading('<span class="_a_">x</span> *b*'), 'x b');
    assert.equal(shownHeading('[[my_doc#_x_]] Gate'), '[[my_doc#_x_]] Gate');
  });

  it('shows a character reference as its character and a tag as nothing, as GitHub renders them', () => {
    const cases: [string, string][] = [
      ['Entry&nbsp;Criteria', 'Entry Criteria'],
      ['Diagnosis&#160;Gate', 'Diagnosis Gate'],
      ['R&amp;D Gate', 'R&D Gate'],
      ['<a name="entry"></a>Entry Criteria', 'Entry Criteria'],
      ['Exit Criteria <span id="x"></span>', 'Exit Criteria'],
      ['Q&A Gate', 'Q&A Gate'],
      ['`&nbsp;` in code', '&nbsp; in code'],
      ['\\&nbsp; escaped', '&nbsp; escaped'],
      ['<https://example.org> autolink', '<https://example.org> autolink'],
      ['a < b > c', 'a < b > c'],
      // (a line break parts the words it stands between, as rendered)
      ['Exit<br>Criteria', 'Exit Criteria'],
      ['Release<BR />Gate<span></span><br>', 'Release Gate'],
      ['<br>Entry Criteria', 'Entry Criteria'],
    ];
    for (const [text, shown] of cases) assert.equal(shownHeading(text), shown, text);
  });

  it('agrees with a CommonMark parser on random headings of emphasis, code spans and escapes', () => {
    const parts = ['a', 'b', ' ', '*', '**', '***', '_', '__', '`', '``', '\\', '.', '(', ')', 'é', '1', '-'];
    const r = rng(20240611);
    for (let k = 0; k < 3000; k++) {
      const n = 1 + Math.floor(r() * 12);
      let s = '';
      for (let i = 0; i < n; i++) s += parts[Math.floor(r() * parts.length)];
      const text = s.trim();
      assert.equal(shownHeading(text), rendered(text), JSON.stringify(text));
    }
  });
});

describe('a checklist item as rendered', () => {
  it('shows links as their text, keeping code spans and escaped brackets as written', () => {
    const cases: [string, string][] = [
      ['Release plan approved ([[release-plan]])', 'Release plan approved (release-plan)'],
      ['See [[plan#Scope|the scope]] and [**PRD**](docs/prd.md)', 'See the scope and PRD'],
      ['Sign-off by [QA](qa.md "QA team")', 'Sign-off by QA'],
      ['![logo](a.png) shown', 'logo shown'],
      ['`[[x]]` stays', '[[x]] stays'],
      ['\\[[x]] escaped', '[[x]] escaped'],
      ['a [b] c', 'a [b] c'],
      ['[[]] empty', '[[]] empty'],
      ['**Security** review', 'Security review'],
      ['[ref][g] style and [t][]', 'ref style and t'],
      ['*emph* _u_ ~~gone~~', 'emph u gone'],
      ['<https://e.com> and <a@b.org>', 'https://e.com and a@b.org'],
      ['a ~~ b ~~ c', 'a ~~ b ~~ c'],
      ['`~~x~~` code', '~~x~~ code'],
    ];
    for (const [text, shown] of cases) assert.equal(shownText(text), shown, text);
  });
});
