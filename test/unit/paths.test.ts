import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { fileUri, uriToFsPath } from '../../server/src/core/paths';

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
