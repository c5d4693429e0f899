// Answers shaped by what the client announced: plain-text hovers, a flat outline and the
// spec's default symbol kinds for clients that read nothing more (vim-lsp, older eglot).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentSymbol, Hover, SymbolInformation } from 'vscode-languageserver';
import { featureContext } from '../helpers/feature-context';

const files = {
  '01-a.md':
    '---\nphase: 01\nname: A\n---\n# A\n\nSee [[b]].\n\n## Exit Criteria\n\n- [ ] Done\n\n## Release Gate\n\n- [ ] Signed\n',
  'b.md': '---\nddx:\n  id: B-1\n---\n# B plan\n\nBody with `code` and a \\[bracket].\n',
};

describe('a client that announces little', () => {
  it('gets hovers as plain text, a flat outline and symbol kinds of the default set', async () => {
    const client = await featureContext(files, {
      capabilities: { textDocument: { hover: { contentFormat: ['plaintext'] }, documentSymbol: {} } },
      openAll: false,
    });
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uri('01-a.md') },
      position: { line: 6, character: 6 },
    });
    const contents = hover.contents as { kind: string; value: string };
    assert.equal(contents.kind, 'plaintext');
    assert.doesNotMatch(contents.value, /```|\*\*/);
    // Markup of its own as text (`id B-1`, not in backticks); the excerpt is the document's
    // text as written, as a markdown client shows it in its fence.
    assert.equal(contents.value, 'B plan\n\nb.md\n\nid B-1\n\nBody with `code` and a \\[bracket].');
    const outline = await client.request<SymbolInformation[]>('textDocument/documentSymbol', {
      textDocument: { uri: client.uri('01-a.md') },
    });
    assert.ok(outline.length > 1);
    for (const s of outline) {
      assert.equal((s as unknown as DocumentSymbol).children, undefined, 'flat');
      assert.equal(s.location.uri, client.uri('01-a.md'));
      assert.ok(s.kind >= 1 && s.kind <= 18, `${s.name}: kind ${s.kind}`);
    }
    assert.ok(outline.some((s) => s.name === 'Release Gate' && s.containerName === 'A'));
    const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: '' });
    assert.ok(symbols.length > 0);
    for (const s of symbols) assert.ok(s.kind >= 1 && s.kind <= 18, `${s.name}: kind ${s.kind}`);
  });

  it('a client that announces markdown, trees and every kind gets them', async () => {
    const client = await featureContext(files, {
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: {
            hierarchicalDocumentSymbolSupport: true,
            symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as 1) },
          },
        },
      },
      openAll: false,
    });
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uri('01-a.md') },
      position: { line: 6, character: 6 },
    });
    assert.equal((hover.contents as { kind: string }).kind, 'markdown');
    const outline = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: client.uri('01-a.md') },
    });
    assert.ok(outline[0].children && outline[0].children.length > 0, 'nested');
    const gate = outline[0].children!.find((s) => s.name === 'Release Gate');
    assert.equal(gate?.kind, 24, 'a gate is an Event');
  });
});
