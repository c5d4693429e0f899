// The Markdown preview plugin on a real markdown-it, and the editor's "toggle at cursor" parsing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import {
  cdpPreviewPlugin,
  headingSlug,
  metadataRows,
  parseWikilink,
  wikilinkTargets,
} from '../../client/src/preview-plugin';
import { criterionText } from '../../client/src/progress-model';
import type { LinkItemDto } from '../../server/src/protocol';

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

/** The server's cdp/links answer for 05-release.md: its resolved links as written. */
const item = (link: string, uri: string): LinkItemDto => ({
  uri,
  link,
  label: '',
  rel: '',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
});
const outgoing = [
  item('[[04-monitor]]', 'file:///ws/wf/04-monitor.md'),
  item('[[Release Plan]]', 'file:///ws/wf/artifacts/release-plan.md'),
  item('[[rollback-plan]]', 'file:///ws/wf/artifacts/rollback-plan.md'),
  item('[[Release Plan#Approvals|the approvers]]', 'file:///ws/wf/artifacts/release-plan.md'),
  item('[[#Entry Criteria]]', 'file:///ws/wf/05-release.md'),
  item('[t](notes.md)', 'file:///ws/wf/notes.md'),
];

function render(src: string): { html: string; md: MarkdownIt } {
  const targets = wikilinkTargets(outgoing);
  const md = cdpPreviewPlugin(new MarkdownIt(), (from, target) =>
    from === 'file:///ws/wf/05-release.md' ? targets.get(target) : undefined,
  );
  return { html: md.render(src, { currentDocument: 'file:///ws/wf/05-release.md' }), md };
}

function links(html: string): [string, string][] {
  return [...html.matchAll(/<a href="([^"]*)" class="cdp-wikilink[^"]*"[^>]*>([^<]*)<\/a>/g)].map((m) => [
    m[1]!,
    m[2]!,
  ]);
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

  it('renders the block after a setext title below an HTML comment as a table too', () => {
    const text =
      '<!-- markdownlint-disable MD025 -->\n\nDiagnose Phase\n==============\n\n---\nphase: 01\n---\n\n## Exit Criteria\n';
    const { html } = render(text);
    assert.match(html, /<h1>Diagnose Phase<\/h1>/);
    assert.match(html, /<table class="cdp-metadata"><tbody><tr><th>phase<\/th><td>01<\/td><\/tr>/);
    assert.doesNotMatch(html, /<hr>/);
  });

  it('renders every wikilink form, in the body and in the metadata, as a link to its file and heading', () => {
    const { html } = render(phase);
    assert.deepEqual(links(html), [
      ['04-monitor.md', '04-monitor'],
      ['artifacts/release-plan.md', 'Release Plan'],
      ['artifacts/rollback-plan.md', 'rollback-plan'],
      ['artifacts/release-plan.md#approvals', 'the approvers'],
      ['#entry-criteria', 'Entry Criteria'],
    ]);
    // an embed of nothing known is shown, marked, not as a dead link
    assert.match(
      html,
      /<span class="cdp-wikilink cdp-unresolved" title="does not resolve">📎 diagram<\/span>/,
    );
    assert.doesNotMatch(html, /\[\[/);
    const embed = render('# T\n\n![[Release Plan]]\n').html;
    assert.match(
      embed,
      /<a href="artifacts\/release-plan\.md" class="cdp-wikilink cdp-embed"[^>]*>📎 Release Plan<\/a>/,
    );
  });

  it("takes each wikilink target from the server's answer, by the target as written", () => {
    assert.deepEqual(
      [...wikilinkTargets(outgoing)],
      [
        ['04-monitor', 'file:///ws/wf/04-monitor.md'],
        ['Release Plan', 'file:///ws/wf/artifacts/release-plan.md'],
        ['rollback-plan', 'file:///ws/wf/artifacts/rollback-plan.md'],
      ],
    );
    // embeds, aliases in tables (`\|`) and markdown links
    assert.deepEqual(
      [
        ...wikilinkTargets([
          item('![[diagram.png]]', 'file:///ws/diagram.png'),
          item('[[Plan\\|the plan]]', 'file:///ws/plan.md'),
          item('[x](y.md)', 'file:///ws/y.md'),
        ]),
      ],
      [
        ['diagram.png', 'file:///ws/diagram.png'],
        ['Plan', 'file:///ws/plan.md'],
      ],
    );
    assert.equal(headingSlug('Data Migration: Reversal!'), 'data-migration-reversal');
  });

  it('resolves a wikilink when rendering, so tokens parsed before the server answered show the answer', () => {
    // VS Code keeps a document's tokens until it changes; the targets arrive later
    const answers = new Map<string, string>();
    const md = cdpPreviewPlugin(new MarkdownIt(), (_from, target) => answers.get(target));
    const env = { currentDocument: 'file:///ws/wf/05-release.md' };
    const tokens = md.parse('See [[Release Plan]].', env);
    assert.match(md.renderer.render(tokens, md.options, env), /<span class="cdp-wikilink cdp-unresolved"/);
    answers.set('Release Plan', 'file:///ws/wf/artifacts/release-plan.md');
    assert.match(
      md.renderer.render(tokens, md.options, env),
      /<a href="artifacts\/release-plan\.md" class="cdp-wikilink" title="Release Plan" data-href="artifacts\/release-plan\.md">Release Plan<\/a>/,
    );
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
