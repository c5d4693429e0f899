// Aliases in the running server: an edit that gives a document an alias, or takes it away,
// re-publishes the diagnostics of the documents linking by it (the server's re-check queue).
// Resolution by alias is tested in test/unit/aliases.test.ts, the features in
// test/features/aliases.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serversOnTempFolders } from './client';

const start = serversOnTempFolders();

const guide = '---\ntitle: Guide\n---\n# Guide\n';
const notes = '# Notes\n\nSee [[CDP Guide]].\n';

describe('aliases in the server', () => {
  it('a link by alias is broken until its document gives itself the alias, and again once it drops it', async () => {
    const { client, uri } = await start({ 'docs/guide.md': guide, 'notes.md': notes });
    const broken = (x: { code?: string | number }[]) => x.some((y) => y.code === 'broken-link');
    await client.waitForDiagnostics(uri('notes.md'), broken);
    await client.open(uri('docs/guide.md'), guide);
    await client.change(uri('docs/guide.md'), [
      { text: guide.replace('title: Guide', 'aliases: [CDP Guide]') },
    ]);
    await client.waitForDiagnostics(uri('notes.md'), (x) => !broken(x));
    await client.change(uri('docs/guide.md'), [
      { text: guide.replace('title: Guide', 'aliases: [Handbook]') },
    ]);
    const d = await client.waitForDiagnostics(uri('notes.md'), broken);
    assert.match(d.find((x) => x.code === 'broken-link')!.message, /\[\[CDP Guide\]\]/);
  });
});
