// The one step every feature request goes through (server/src/features/requests.ts):
// `answer` reads the documents a request edits from disk before the feature runs, and
// `computeOnDisk` computes an edit again when a document it touches changed meanwhile.
// In-process, on an in-memory workspace whose map is the disk; the same over stdio with
// real files is test/reliability/disk-edits.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeAction, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { FeatureContext } from '../../server/src/features/context';
import { computeOnDisk } from '../../server/src/features/requests';
import type { ToggleCriterionResult } from '../../server/src/protocol';
import { featureContext } from '../helpers/feature-context';

const A = '# A\n\n## Exit Criteria\n\n- [ ] one\n';
const MOVED = '# A\n\nA paragraph added on disk.\n\n## Exit Criteria\n\n- [ ] one\n';

describe('answer: the documents a request edits are read from disk first', () => {
  it('cdp/toggleCriterion ticks the line the criterion is on now, not where the index had it', async () => {
    const c = await featureContext({ 'a.md': A }, { openAll: false });
    c.writeFile('a.md', MOVED);
    const r = await c.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: c.uri('a.md'),
      line: 6,
      expectedText: 'one',
    });
    assert.equal(r.refused, undefined);
    assert.deepEqual(r.edit?.changes?.[c.uri('a.md')], [
      { range: { start: { line: 6, character: 3 }, end: { line: 6, character: 4 } }, newText: 'x' },
    ]);
  });

  it('cdp/toggleCriterion ticks an item written over several lines, named by its whole text, at its box', async () => {
    const text =
      '# A\n\n## Exit Criteria\n\n- [ ] Safety impact assessed by the\n  clinical safety officer\n- [ ] Findings shared\nwith the wider team\n';
    const c = await featureContext({ 'a.md': text }, { openAll: false });
    const r = await c.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: c.uri('a.md'),
      line: 6,
      expectedText: 'Findings shared with the wider team',
    });
    assert.equal(r.refused, undefined);
    assert.deepEqual(r.edit?.changes?.[c.uri('a.md')], [
      { range: { start: { line: 6, character: 3 }, end: { line: 6, character: 4 } }, newText: 'x' },
    ]);
  });

  it('textDocument/codeAction offers the toggle on the line as it is on disk', async () => {
    const c = await featureContext({ 'a.md': A }, { openAll: false });
    c.writeFile('a.md', MOVED);
    const line = (n: number) => ({ start: { line: n, character: 0 }, end: { line: n, character: 0 } });
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: c.uri('a.md') },
      range: line(6),
      context: { diagnostics: [], only: ['refactor.rewrite'] },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Mark criterion as done'],
    );
  });

  it('textDocument/rename also edits a link written on disk into a closed document of the folder', async () => {
    const c = await featureContext(
      { 'a.md': '# A\n\n[[b]]\n', 'b.md': '# B\n', 'c.md': '# C\n' },
      { openAll: false, client: { documentChanges: true, renameFiles: true } },
    );
    c.writeFile('c.md', '# C\n\nSee [[b]].\n');
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: c.uri('a.md') },
      position: { line: 2, character: 3 },
      newName: 'bee',
    });
    const edited = (edit.documentChanges ?? []).flatMap((d) =>
      'edits' in d ? [`${c.rel(d.textDocument.uri)} ${d.edits.map((e) => e.newText).join(',')}`] : [],
    );
    assert.deepEqual(edited.sort(), ['a.md bee', 'c.md bee']);
  });

  it('an open document is the editor’s: the disk is not read for it', async () => {
    const c = await featureContext({ 'a.md': A }, { openAll: false });
    await c.open(c.uri('a.md'), A);
    c.writeFile('a.md', MOVED);
    const r = await c.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: c.uri('a.md'),
      line: 4,
      expectedText: 'one',
    });
    assert.equal(r.refused, undefined);
  });
});

describe('computeOnDisk', () => {
  /** A context whose disk reads report a change for the first `changes` syncs. */
  function ctxChanging(changes: number): { ctx: FeatureContext; synced: string[][] } {
    const synced: string[][] = [];
    const ctx = {
      syncFromDisk: async (uris: Iterable<string>) => {
        synced.push([...uris]);
        return synced.length <= changes ? ['file:///ws/a.md'] : [];
      },
    } as unknown as FeatureContext;
    return { ctx, synced };
  }

  it('computes again while a touched document changed, then gives the value', async () => {
    const { ctx, synced } = ctxChanging(2);
    let runs = 0;
    const r = await computeOnDisk(ctx, undefined, 3, async () => ({
      value: ++runs,
      touched: ['file:///ws/a.md'],
    }));
    assert.deepEqual(r, { value: 3 });
    assert.deepEqual(synced, [['file:///ws/a.md'], ['file:///ws/a.md'], ['file:///ws/a.md']]);
  });

  it('gives the documents that kept changing after the last attempt, never a stale value', async () => {
    const { ctx } = ctxChanging(5);
    let runs = 0;
    const r = await computeOnDisk(ctx, undefined, 3, async () => ({
      value: ++runs,
      touched: ['file:///ws/a.md'],
    }));
    assert.deepEqual(r, { changed: ['file:///ws/a.md'] });
    assert.equal(runs, 3);
  });
});
