import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/core/config';
import { FileFilter } from '../../server/src/core/load';
import { check } from '../helpers/memory-workspace';

function filter(exclude: string[]): FileFilter {
  const { config, problems } = resolveConfig({ 'cdp.files.exclude': exclude });
  assert.deepEqual(problems, []);
  return new FileFilter(config);
}

describe('which files are indexed', () => {
  it('a pattern for a name skips that name, not every folder', async () => {
    const f = filter(['**/x']);
    assert.equal(f.skipDirectory('docs'), false);
    assert.equal(f.skipDirectory('docs/plans'), false);
    assert.equal(f.skipDirectory('docs/x'), true);
    assert.equal(f.isDocument('docs/plan.md'), true);
    const c = await check(
      { 'docs/plan.md': '[[nowhere]]\n', 'x/a.md': '[[nowhere]]\n' },
      { 'cdp.files.exclude': ['**/x'] },
    );
    assert.deepEqual(
      c.of('broken-link').map((s) => s.split(':')[0]),
      ['docs/plan.md'],
    );
  });

  it('the default patterns skip node_modules, .git and hidden folders, and nothing else', () => {
    const { config } = resolveConfig({});
    const f = new FileFilter(config);
    for (const dir of ['node_modules', 'a/node_modules', '.git', 'a/.cache', '.vscode'])
      assert.equal(f.skipDirectory(dir), true, dir);
    for (const dir of ['docs', 'a/b', 'x', 'node', 'git']) assert.equal(f.skipDirectory(dir), false, dir);
  });

  it('a folder pattern with or without a trailing /** skips the folder; one for files inside it filters them', () => {
    assert.equal(filter(['build']).skipDirectory('build'), true);
    assert.equal(filter(['**/build/**']).skipDirectory('a/build'), true);
    assert.equal(filter(['**/build/**/*']).skipDirectory('a/build'), true);
    const md = filter(['**/drafts/*.md']);
    assert.equal(md.skipDirectory('drafts'), false);
    assert.equal(md.isDocument('drafts/a.md'), false);
    assert.equal(md.isDocument('drafts/sub/a.md'), true);
  });
});
