// The Markdown preview plugin on a real markdown-it, and the editor's "toggle at cursor" parsing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import {
  cdpPreviewPlugin,
  metadataRows,
  type OpenLinkArgs,
  parseWikilink,
} from '../../client/src/preview-plugin';
import { criterionText } from '../../client/src/progress-model';

const phase = `# Release: Checkout v2

---
phase: 05
name: "Release"
previous_phase: "[[04-monitor]]"
artifacts: ["[[Release Plan]]", "[[rollback-plan]]"]
---

## Entry Criteria

- [x] Monitor gate passed
- [ ] Sign-off from [[Release Plan#Approvals|the approvers]]

See ![[diagram]] and [[#Entry Criteria]].
`;

function render(src: string): { html: string; md: MarkdownIt } {
  const md = cdpPreviewPlugin(new MarkdownIt());
  return { html: md.render(src, { currentDocument: 'file:///ws/05-release.md' }), md };
}

function linkArgs(html: string): OpenLinkArgs[] {
  return [...html.matchAll(/href="command:cdp\.openLink\?([^"]+)"/g)].map(
    (m) => (JSON.parse(decodeURIComponent(m[1]!.replace(/&amp;/g, '&'))) as OpenLinkArgs[])[0]!,
  );
}

describe('Markdown preview plugin', () => {
  it('renders the metadata block after the title as a table, not a rule and a setext heading', () => {
    const { html, md } = render(phase);
    assert.match(html, /<table class="cdp-metadata"><tbody><tr><th>phase<\/th><td>05<\/td><\/tr>/);
    assert.match(html, /<tr><th>name<\/th><td>Release<\/td><\/tr>/);
    assert.doesNotMatch(html, /<hr>/);
    assert.doesNotMatch(html, /<h2>[^<]*phase:/);
    // the headings the Outline sees: the title and the real section only
    const headings = md
      .parse(phase, {})
      .filter((t, i, all) => t.type === 'inline' && all[i - 1]?.type === 'heading_open')
      .map((t) => t.content);
    assert.deepEqual(headings, ['Release: Checkout v2', 'Entry Criteria']);
  });

  it('renders every wikilink form, in the body and in the metadata, as a link that opens it', () => {
    const { html } = render(phase);
    const args = linkArgs(html);
    assert.deepEqual(
      args.map((a) => [a.raw, a.target, a.heading]),
      [
        ['[[04-monitor]]', '04-monitor', undefined],
        ['[[Release Plan]]', 'Release Plan', undefined],
        ['[[rollback-plan]]', 'rollback-plan', undefined],
        ['[[Release Plan#Approvals|the approvers]]', 'Release Plan', 'Approvals'],
        ['[[diagram]]', 'diagram', undefined],
        ['[[#Entry Criteria]]', '', 'Entry Criteria'],
      ],
    );
    assert.ok(args.every((a) => a.uri === 'file:///ws/05-release.md'));
    assert.match(html, />the approvers<\/a>/);
    assert.match(html, /class="cdp-wikilink cdp-embed"[^>]*>📎 diagram<\/a>/);
    assert.doesNotMatch(html, /\[\[/);
  });

  it('shows task boxes, ticked and not', () => {
    const { html } = render(phase);
    assert.match(
      html,
      /<li class="cdp-task-item"><span class="cdp-task cdp-task-done"[^>]*>☑<\/span> Monitor gate passed/,
    );
    assert.match(html, /<li class="cdp-task-item"><span class="cdp-task"[^>]*>☐<\/span> Sign-off from/);
  });

  it('leaves ordinary documents alone', () => {
    const { html } = render('# Notes\n\nText\n\n---\n\nMore text\n\n- [link](x) item\n\n`[[in code]]`\n');
    assert.match(html, /<hr>/);
    assert.doesNotMatch(html, /cdp-metadata|cdp-task|cdp-wikilink/);
    assert.match(html, /<code>\[\[in code\]\]<\/code>/);
    // a `---` block of prose after a title is not metadata
    assert.doesNotMatch(render('# T\n\n---\nJust a sentence.\n---\n').html, /cdp-metadata/);
  });

  it('reads metadata lines, lists and quotes', () => {
    assert.deepEqual(metadataRows(['a: 1', 'tags:', '  - x', '  - "y"', "b: 'q'"]), [
      ['a', '1'],
      ['tags', 'x, y'],
      ['b', 'q'],
    ]);
    assert.equal(metadataRows(['not metadata']), undefined);
    assert.deepEqual(parseWikilink('a#b|c'), { target: 'a', heading: 'b', alias: 'c' });
    assert.equal(parseWikilink(''), undefined);
  });
});

describe('toggle criterion at cursor', () => {
  it('finds the criterion text of a checklist line', () => {
    assert.equal(criterionText('- [ ] Sign-off'), 'Sign-off');
    assert.equal(criterionText('  * [x]   Done  '), 'Done');
    assert.equal(criterionText('1. [X] numbered'), 'numbered');
    assert.equal(criterionText('- [] malformed'), undefined);
    assert.equal(criterionText('Plain text'), undefined);
  });
});
