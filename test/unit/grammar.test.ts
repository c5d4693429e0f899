// Tokenizes Markdown with the CDP injection grammar (on top of small stand-in Markdown and YAML
// grammars) and checks the scopes that themes and the editor rely on; also checks the snippets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const INJECTION = 'cdp.markdown.injection';

// Stand-in Markdown: just enough structure (headings, lists, fenced code, code spans, bold) for
// the injection to be exercised in the contexts the real grammar creates.
const markdownStandIn = {
  scopeName: 'text.html.markdown',
  patterns: [{ include: '#heading' }, { include: '#fence' }, { include: '#list' }, { include: '#inline' }],
  repository: {
    heading: {
      match: '^(#{1,6})[ \\t]+(.*)$',
      name: 'markup.heading.markdown',
      captures: { '1': { name: 'punctuation.definition.heading.markdown' } },
    },
    fence: { begin: '^```.*$', end: '^```[ \\t]*$', name: 'markup.fenced_code.block.markdown' },
    list: {
      begin: '^[ \\t]*([-*+]|[0-9]+\\.)[ \\t]',
      beginCaptures: { '1': { name: 'punctuation.definition.list.begin.markdown' } },
      end: '$',
      name: 'markup.list.markdown',
      patterns: [{ include: '#inline' }],
    },
    inline: {
      patterns: [
        { match: '`[^`]*`', name: 'markup.inline.raw.string.markdown' },
        { match: '\\*\\*[^*]+\\*\\*', name: 'markup.bold.markdown' },
      ],
    },
  },
};

const yamlStandIn = {
  scopeName: 'source.yaml',
  patterns: [
    {
      match: '^[ \\t]*([A-Za-z_][\\w-]*)[ \\t]*(:)',
      captures: {
        '1': { name: 'entity.name.tag.yaml' },
        '2': { name: 'punctuation.separator.key-value.yaml' },
      },
    },
    { begin: '"', end: '"', name: 'string.quoted.double.yaml' },
    { match: '#.*$', name: 'comment.line.number-sign.yaml' },
  ],
};

type Token = { line: number; text: string; scopes: string[] };
let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammarFile = join(root, 'syntaxes/cdp-markdown.injection.tmLanguage.json');
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'text.html.markdown') return markdownStandIn as unknown as vsctm.IRawGrammar;
      if (scopeName === 'source.yaml') return yamlStandIn as unknown as vsctm.IRawGrammar;
      if (scopeName === INJECTION)
        return vsctm.parseRawGrammar(readFileSync(grammarFile, 'utf8'), grammarFile);
      return null;
    },
    getInjections: (scopeName: string) => (scopeName === 'text.html.markdown' ? [INJECTION] : undefined),
  });
  const loaded = await registry.loadGrammar('text.html.markdown');
  assert.ok(loaded, 'markdown grammar loads');
  grammar = loaded;
});

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens)
      out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}

/** Scopes of the (first) token with exactly this text, optionally on a given line. */
function scopesOf(tokens: Token[], text: string, line?: number): string[] {
  const t = tokens.find((x) => x.text === text && (line === undefined || x.line === line));
  assert.ok(
    t,
    `no token ${JSON.stringify(text)}; tokens: ${JSON.stringify(tokens.map((x) => [x.line, x.text]))}`,
  );
  return t.scopes;
}

const has = (scopes: string[], s: string) => assert.ok(scopes.includes(s), `${s} not in ${scopes.join(' ')}`);
const hasNot = (scopes: string[], s: string) => assert.ok(!scopes.includes(s), `${s} in ${scopes.join(' ')}`);
const anyCdp = (scopes: string[]) => scopes.some((s) => s.endsWith('.cdp'));

describe('wikilinks', () => {
  it('scopes [[target]] punctuation and target', () => {
    const t = tokenize('See [[release-plan]] now.');
    has(scopesOf(t, '[['), 'punctuation.definition.link.begin.cdp');
    has(scopesOf(t, '[['), 'meta.link.wikilink.cdp');
    has(scopesOf(t, 'release-plan'), 'entity.name.reference.target.cdp');
    has(scopesOf(t, ']]'), 'punctuation.definition.link.end.cdp');
    assert.equal(anyCdp(scopesOf(t, 'See ')), false);
    assert.equal(anyCdp(scopesOf(t, ' now.')), false);
  });

  it('separates target, separator and alias in [[target|alias]]', () => {
    const t = tokenize('[[06-follow-up|Follow-up Phase]]');
    has(scopesOf(t, '06-follow-up'), 'entity.name.reference.target.cdp');
    has(scopesOf(t, '|'), 'punctuation.separator.alias.cdp');
    const alias = scopesOf(t, 'Follow-up Phase');
    has(alias, 'string.other.alias.cdp');
    hasNot(alias, 'entity.name.reference.target.cdp');
  });

  it('scopes the heading part of [[target#Heading]] and [[target#Heading|alias]]', () => {
    const t = tokenize('[[release-plan#Rollout Schedule]] and [[rollback-plan#Triggers|when to roll back]]');
    has(scopesOf(t, 'release-plan'), 'entity.name.reference.target.cdp');
    has(scopesOf(t, '#'), 'punctuation.separator.heading.cdp');
    has(scopesOf(t, 'Rollout Schedule'), 'entity.name.section.heading.cdp');
    has(scopesOf(t, 'Triggers'), 'entity.name.section.heading.cdp');
    has(scopesOf(t, 'when to roll back'), 'string.other.alias.cdp');
  });

  it('handles a same-document [[#Heading]] link with no target', () => {
    const t = tokenize('Back to [[#Exit Criteria]].');
    has(scopesOf(t, '#'), 'punctuation.separator.heading.cdp');
    has(scopesOf(t, 'Exit Criteria'), 'entity.name.section.heading.cdp');
    assert.equal(
      t.some((x) => x.scopes.includes('entity.name.reference.target.cdp') && x.text !== ''),
      false,
    );
  });

  it('scopes the ! of an embed separately', () => {
    const t = tokenize('![[release-notes]]');
    has(scopesOf(t, '!'), 'punctuation.definition.link.embed.cdp');
    has(scopesOf(t, '!'), 'meta.link.wikilink.embed.cdp');
    has(scopesOf(t, 'release-notes'), 'entity.name.reference.target.cdp');
  });

  it('treats an escaped pipe inside a table as the alias separator', () => {
    const t = tokenize('| Plan | [[monitoring-plan\\|Monitoring Plan]] |');
    has(scopesOf(t, 'monitoring-plan'), 'entity.name.reference.target.cdp');
    has(scopesOf(t, '\\|'), 'punctuation.separator.alias.cdp');
    has(scopesOf(t, 'Monitoring Plan'), 'string.other.alias.cdp');
  });

  it('leaves wikilinks inside code spans and fenced code alone', () => {
    const t = tokenize('Use `[[name]]` syntax.\n```text\n[[not-a-link]]\n```');
    assert.equal(anyCdp(scopesOf(t, '`[[name]]`')), false);
    const fenced = scopesOf(t, '[[not-a-link]]', 2);
    has(fenced, 'markup.fenced_code.block.markdown');
    assert.equal(anyCdp(fenced), false);
  });

  it('does not treat [] or [[]] as a wikilink', () => {
    const t = tokenize('empty [[]] here');
    assert.equal(
      t.some((x) => anyCdp(x.scopes)),
      false,
    );
  });
});

describe('task boxes', () => {
  it('scopes unchecked and checked boxes differently', () => {
    const t = tokenize('- [ ] open item\n- [x] done item\n* [X] also done');
    const open = scopesOf(t, '[', 0);
    has(open, 'markup.checkbox.unchecked.cdp');
    hasNot(open, 'markup.checkbox.checked.cdp');
    has(scopesOf(t, 'x', 1), 'markup.checkbox.checked.cdp');
    hasNot(scopesOf(t, 'x', 1), 'markup.checkbox.unchecked.cdp');
    has(scopesOf(t, 'X', 2), 'markup.checkbox.checked.cdp');
  });

  it('keeps list and inline highlighting around the box', () => {
    const t = tokenize('- [ ] **Owner** signs off on [[release-plan]]');
    has(scopesOf(t, '-'), 'punctuation.definition.list.begin.markdown');
    has(scopesOf(t, '**Owner**'), 'markup.bold.markdown');
    has(scopesOf(t, 'release-plan'), 'entity.name.reference.target.cdp');
  });

  it('marks malformed boxes as invalid and does not scope them as boxes', () => {
    for (const line of ['- [ x] bad', '- [] bad', '-[ ] bad', '[x] bad']) {
      const t = tokenize(line);
      assert.ok(
        t.some((x) => x.scopes.includes('invalid.illegal.checkbox.malformed.cdp')),
        `${line} is flagged`,
      );
      assert.equal(
        t.some((x) => x.scopes.some((s) => s.startsWith('markup.checkbox.'))),
        false,
        `${line} is not a box`,
      );
    }
  });

  it('does not scope brackets in running text as a box', () => {
    const t = tokenize('An array like a[ ] or [x] in prose.');
    assert.equal(
      t.some((x) => anyCdp(x.scopes)),
      false,
    );
  });
});

describe('headings', () => {
  it('scopes a heading ending in Gate as a gate heading', () => {
    const t = tokenize('### Production Readiness Gate');
    const heading = scopesOf(t, 'Production Readiness Gate');
    has(heading, 'markup.heading.gate.cdp');
    has(heading, 'markup.heading.markdown');
    has(scopesOf(t, '###'), 'punctuation.definition.heading.markdown');
  });

  it('does not scope other headings as gates', () => {
    for (const line of ['## Exit Criteria', '### Gateway configuration', '## Gate review notes']) {
      const t = tokenize(line);
      assert.equal(
        t.some((x) => x.scopes.includes('markup.heading.gate.cdp')),
        false,
        line,
      );
    }
  });
});

describe('metadata block after the title', () => {
  const doc = [
    '# Release Phase', // 0
    '---', // 1
    'phase: 05', // 2
    'previous_phase: "[[04-monitor]]"', // 3
    '# Gate comment, not a heading', // 4
    '---', // 5
    '', // 6
    '## Overview', // 7
    'name: not yaml', // 8
    '---', // 9
    'still: markdown', // 10
  ].join('\n');

  it('embeds YAML between the fences that directly follow the H1', () => {
    const t = tokenize(doc);
    has(scopesOf(t, '---', 1), 'punctuation.definition.metadata.begin.cdp');
    const key = scopesOf(t, 'phase', 2);
    has(key, 'entity.name.tag.yaml');
    has(key, 'meta.embedded.block.metadata.cdp');
    has(scopesOf(t, '---', 5), 'punctuation.definition.metadata.end.cdp');
    hasNot(scopesOf(t, '---', 5), 'meta.embedded.block.metadata.cdp');
    has(scopesOf(t, 'Release Phase', 0), 'entity.name.section.markdown');
  });

  it('scopes wikilinks inside quoted YAML values, but no headings or gates inside the block', () => {
    const t = tokenize(doc);
    const target = scopesOf(t, '04-monitor', 3);
    has(target, 'string.quoted.double.yaml');
    has(target, 'entity.name.reference.target.cdp');
    const comment = t.filter((x) => x.line === 4).flatMap((x) => x.scopes);
    assert.ok(comment.includes('comment.line.number-sign.yaml'));
    assert.equal(comment.includes('markup.heading.gate.cdp'), false);
  });

  it('stops after the closing fence', () => {
    const t = tokenize(doc);
    for (const line of [7, 8, 9, 10]) {
      const scopes = t.filter((x) => x.line === line).flatMap((x) => x.scopes);
      assert.equal(scopes.includes('meta.embedded.block.metadata.cdp'), false, `line ${line}`);
      assert.equal(scopes.includes('entity.name.tag.yaml'), false, `line ${line}`);
    }
  });

  it('does not open a block when the title is not directly followed by ---', () => {
    const t = tokenize('# Title\n\n---\nkey: value\n---');
    assert.equal(
      t.some((x) => x.scopes.includes('meta.embedded.block.metadata.cdp')),
      false,
    );
    const t2 = tokenize('## Not a title\n---\nkey: value\n---');
    assert.equal(
      t2.some((x) => x.scopes.includes('entity.name.tag.yaml')),
      false,
    );
  });
});

describe('snippets', () => {
  const snippets = JSON.parse(readFileSync(join(root, 'snippets/cdp.code-snippets'), 'utf8')) as Record<
    string,
    { prefix: string | string[]; body: string | string[]; description?: string; scope?: string }
  >;
  const body = (name: string) => {
    const b = snippets[name]?.body;
    assert.ok(b, `snippet ${name} exists`);
    return Array.isArray(b) ? b.join('\n') : b;
  };

  /** Expands a snippet body the way accepting every default would. */
  function expand(text: string): string {
    const values = new Map<string, string>();
    let prev = '';
    while (prev !== text) {
      prev = text;
      text = text
        .replace(/\$\{(\d+):([^{}]*)\}/g, (_, n: string, d: string) => {
          values.set(n, d);
          return d;
        })
        .replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_, n: string, choices: string) => {
          const first = choices.split(',')[0] ?? '';
          values.set(n, first);
          return first;
        });
    }
    return text.replace(
      /\$\{(\d+)\}|\$(\d+)/g,
      (_, a?: string, b?: string) => values.get(a ?? b ?? '') ?? '',
    );
  }

  it('every snippet has a prefix, a body and a description', () => {
    assert.ok(Object.keys(snippets).length >= 5);
    for (const [name, s] of Object.entries(snippets)) {
      assert.ok(s.prefix && s.prefix.length > 0, `${name} prefix`);
      assert.ok(s.body && s.body.length > 0, `${name} body`);
      assert.ok(s.description, `${name} description`);
    }
  });

  it('the phase document expands to a title, a metadata block, criteria, a gate and artifacts', () => {
    const text = expand(body('CDP phase document'));
    assert.doesNotMatch(text, /\$\{?\d/, 'no tab stops left');
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^# \S/);
    assert.equal(lines[1], '---');
    const close = lines.indexOf('---', 2);
    assert.ok(close > 2, 'metadata block is closed');
    const meta = lines.slice(2, close).join('\n');
    assert.match(meta, /^phase: "?\d\d"?$/m);
    assert.match(meta, /^previous_phase: "\[\[[^\]]+\]\]"$/m);
    assert.match(meta, /^next_phase: "\[\[[^\]]+\]\]"$/m);
    assert.match(meta, /^artifacts: \["\[\[[^\]]+\]\]"/m);
    assert.match(text, /^## Entry Criteria$/m);
    assert.match(text, /^## Exit Criteria$/m);
    assert.match(text, /^## .*Validation Requirements$/m);
    assert.match(text, /^### .+ Gate$/m);
    assert.match(text, /^## Artifacts Produced$/m);
    assert.match(text, /^- \[ \] \S/m);
  });

  it('the phase document tokenizes with its metadata as YAML', () => {
    const t = tokenize(expand(body('CDP phase document')));
    assert.ok(t.some((x) => x.text === 'phase' && x.scopes.includes('entity.name.tag.yaml')));
    assert.ok(t.some((x) => x.scopes.includes('markup.heading.gate.cdp')));
  });

  it('criterion, gate and wikilink snippets expand to what the checker reads', () => {
    assert.equal(body('CDP criterion'), '- [ ] $1');
    assert.equal(body('CDP wikilink'), '[[$1]]$0');
    // Not offered on a typed `[[`: the editor has closed it with `]]` already, so the
    // snippet wrote `[[]]]]`; completion after `[[` comes from the language server.
    for (const [name, s] of Object.entries(snippets))
      for (const prefix of [s.prefix].flat()) assert.doesNotMatch(prefix, /[[\]]/, name);
    const gate = expand(body('CDP gate section'));
    assert.match(gate, /^### .+ Gate\n\n- \[ \] \S/);
    const artifact = expand(body('CDP artifact document'));
    assert.match(artifact, /^# \S.*\n---\n/);
    assert.doesNotMatch(artifact, /^phase:/m, 'an artifact is not a phase document');
  });
});
