// The Markdown preview's wikilinks resolve as the server resolves them: the preview plugin
// renders the targets of the server's cdp/links answer (client/src/preview-links.ts), so a
// link by DDX id, a link to one of two files of the same name and a broken one read the same
// in the preview as in F12 and the diagnostics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { cdpPreviewPlugin, wikilinkTargets } from '../../client/src/preview-plugin';
import type { LinksResult } from '../../server/src/protocol';
import { serversOnTempFolders } from './client';

const startServer = serversOnTempFolders();

describe('preview links from the server', () => {
  it('renders the target the server resolves each wikilink to (also by id), and text for a broken one', async () => {
    const { client, uri } = await startServer({
      'docs/login.md': '---\nddx:\n  id: FEAT-004\n---\n# Login\n\n## Scope\n',
      'notes/n.md':
        '# N\n\nBy id [[FEAT-004]], by name [[login#Scope|scope]], twice named [[x]], broken [[missing]].\n',
      'a/x.md': '# X in a\n',
      'b/x.md': '# X in b\n',
    });
    const from = uri('notes/n.md');
    const r = (await client.connection.sendRequest('cdp/links', { uri: from })) as LinksResult;
    assert.equal(r.ready, true);
    const targets = wikilinkTargets(r.outgoing);
    const md = cdpPreviewPlugin(new MarkdownIt(), (f, target) =>
      f === from ? targets.get(target) : undefined,
    );
    const html = md.render(
      'By id [[FEAT-004]], by name [[login#Scope|scope]], twice named [[x]], broken [[missing]].',
      {
        currentDocument: from,
      },
    );
    const links = [...html.matchAll(/<a href="([^"]*)" class="cdp-wikilink"[^>]*>([^<]*)<\/a>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    assert.deepEqual(links, [
      ['../docs/login.md', 'FEAT-004'],
      ['../docs/login.md#scope', 'scope'],
      // of two x.md the one the server picks (its ambiguity warning names both)
      ['../a/x.md', 'x'],
    ]);
    // the broken link is text, as the server leaves it unresolved
    assert.match(html, /<span class="cdp-wikilink cdp-unresolved"[^>]*>missing<\/span>/);
  });
});
