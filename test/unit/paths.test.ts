import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import {
  canonicalUri,
  fileUri,
  joinRel,
  joinUri,
  normalizeRel,
  outermostFolders,
  uriToFsPath,
} from '../../server/src/core/paths';
import { check } from '../helpers/memory-workspace';

describe('paths: file URIs', () => {
  it('fileUri and uriToFsPath answer what vscode-uri answers, plain paths or not', () => {
    // Plain paths take a shortcut; everything else goes through vscode-uri. Either way
    // the answer must be the library's, both ways.
    const paths = [
      '/tmp/ws/docs/a.md',
      '/a-b/c.d_e~f/0',
      '/x',
      '/',
      '/tmp/ws/',
      '//server/share/a.md',
      '/tmp//a.md',
      '/tmp/a b.md',
      '/tmp/a%20b.md',
      '/tmp/ä.md',
      '/tmp/a#b.md',
      '/tmp/a?b.md',
      '/tmp/a:b.md',
      '/tmp/a+b.md',
      '/tmp/./a.md',
      '/tmp/../a.md',
      'relative/a.md',
      'c:\\ws\\a.md',
      '/tmp/a\\b.md',
    ];
    for (const p of paths) {
      const uri = URI.file(p).toString();
      assert.equal(fileUri(p), uri, p);
      assert.equal(uriToFsPath(uri), URI.parse(uri).fsPath, uri);
    }
    // The answer, or the error, of each.
    const outcome = (f: () => string) => {
      try {
        return f();
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    };
    for (const uri of [
      'file:///tmp/a.md',
      'file:///tmp/A%2Eb.md',
      'file://host/a.md',
      'file:////a.md',
      'untitled:a',
    ])
      assert.equal(
        outcome(() => uriToFsPath(uri)),
        outcome(() => URI.parse(uri).fsPath),
        uri,
      );
  });
});

describe('paths: canonical URIs', () => {
  it('gives every spelling of one file the same URI', () => {
    const spellings: [string, string][] = [
      ['file:///c%3A/ws/a%20b.md', 'file:///C:/ws/a%20b.md'],
      ['file:///c%3A/ws/a%20b.md', 'file:///c:/ws/a b.md'],
      ['file:///c%3A/ws/a%20b.md', 'file:///C%3a/ws/a%20b.md'],
      ['file:///c%3A/ws/a%20b.md', 'FILE:///C:/ws/a%20b.md'],
      ['file:///tmp/ws/a.md', 'File:///tmp/ws/a.md'],
      ['file:///tmp/ws/a.md', 'file://localhost/tmp/ws/a.md'],
      ['file:///tmp/ws/a.md', 'file:///tmp/ws/%61.md'],
      ['file:///tmp/ws/%C3%A4.md', 'file:///tmp/ws/%c3%a4.md'],
      ['file:///tmp/ws/%C3%A4.md', 'file:///tmp/ws/ä.md'],
      ['untitled:Untitled-1', 'untitled:Untitled-1'],
    ];
    for (const [canonical, spelled] of spellings) assert.equal(canonicalUri(spelled), canonical, spelled);
    // A server elsewhere stays elsewhere.
    assert.equal(canonicalUri('file://server/share/a.md'), 'file://server/share/a.md');
  });
});

describe('paths: relative paths', () => {
  /** The definition: segment by segment, `.` and empty ones dropped, `..` takes one back. */
  const reference = (rel: string): string | undefined => {
    const out: string[] = [];
    for (const seg of rel.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg !== '..') out.push(seg);
      else if (out.pop() === undefined) return undefined;
    }
    return out.join('/');
  };
  /** Every path of up to `n` segments drawn from `segs`. */
  const paths = (segs: string[], n: number): string[] => {
    let level = [''];
    const all = [''];
    for (let i = 0; i < n; i++) {
      level = level.flatMap((p) => segs.map((s) => (i === 0 ? s : `${p}/${s}`)));
      all.push(...level);
    }
    return all;
  };

  it('normalizeRel and joinRel answer as the segment-by-segment definition', () => {
    const segs = ['a', 'B', '.', '..', '', '...', '.x', 'x.', '..y', 'c.md'];
    const dirs = paths(['a', 'B', '.', '..', '', 'c.d'], 3);
    const rels = paths(segs, 3);
    for (const rel of rels) assert.equal(normalizeRel(rel), reference(rel), rel);
    for (const dir of dirs)
      for (const rel of rels)
        assert.equal(joinRel(dir, rel), reference(dir ? `${dir}/${rel}` : rel), `${dir} + ${rel}`);
  });

  it('joinRel steps out of the folder for each leading `..`, and never above the root', () => {
    assert.equal(joinRel('docs/helix/01-frame', '../02-design/README.md'), 'docs/helix/02-design/README.md');
    assert.equal(
      joinRel('docs/helix/01-frame', './features/FEAT-001.md'),
      'docs/helix/01-frame/features/FEAT-001.md',
    );
    assert.equal(joinRel('docs/helix', '../../a.md'), 'a.md');
    assert.equal(joinRel('docs/helix', '../../../a.md'), undefined);
    assert.equal(joinRel('docs', '..'), '');
    assert.equal(joinRel('docs', 'a//b/./c/../d.md'), 'docs/a/b/d.md');
  });
});

describe('outermostFolders', () => {
  it('drops folders inside another and repeats, keeps siblings and prefixes that are not parents', () => {
    assert.deepEqual(
      outermostFolders([
        'file:///w/repo/docs',
        'file:///w/repo',
        'file:///w/repo-two',
        'file:///w/repo',
        'file:///w/other/a%20b/c',
        'file:///w/other/a%20b',
      ]),
      ['file:///w/repo', 'file:///w/repo-two', 'file:///w/other/a%20b'],
    );
    assert.deepEqual(outermostFolders([]), []);
    // A nested folder that is a root of its own stays.
    assert.deepEqual(
      outermostFolders(['file:///w/repo', 'file:///w/repo/sub', 'file:///w/repo/docs'], (f) =>
        f.endsWith('/sub'),
      ),
      ['file:///w/repo', 'file:///w/repo/sub'],
    );
  });
});

describe('paths: joining text an editor gives', () => {
  it('a lone surrogate in a path is the replacement character, as from disk, never an error', () => {
    const folder = 'file:///ws';
    for (const rel of ['a/\uD83D.md', '\uDE00b.md', 'x/\uD83D\uD83D/y.md'])
      assert.equal(joinUri(folder, rel), joinUri(folder, rel.replace(/[\uD800-\uDFFF]/g, '\uFFFD')), rel);
    // A pair stays the character it makes.
    assert.equal(joinUri(folder, 'a/\uD83D\uDE00.md'), `${folder}/a/${encodeURIComponent('\u{1F600}')}.md`);
  });

  it('a link through a lone surrogate is a broken link like any, and the links after it are checked', async () => {
    const c = await check({ 'notes/a.md': '# A\n\n[[missing-1]] [x](\uD83D.md) [[missing-2]]\n' });
    assert.deepEqual(
      c.findings.map((f) => [f.code, f.range.start.character]),
      [
        ['broken-link', 0],
        ['broken-link', 14],
        ['broken-link', 24],
      ],
    );
  });
});
