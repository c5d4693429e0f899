// What the index keeps of a document must not keep the document's text alive: V8 shares
// the memory of a substring with its parent, so one kept 13+ character slice of a
// metadata value, task or heading holds the whole text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('memory kept per document', () => {
  it('200 parsed documents of 250 KB keep far less than their 50 MB of text', () => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(__dirname, '../helpers/retained-heap.ts'), '200', '250000'],
      { encoding: 'utf8', cwd: join(__dirname, '../..') },
    );
    assert.equal(child.status, 0, child.stderr);
    const { retained, documents } = JSON.parse(child.stdout);
    assert.equal(documents, 200);
    // Measured: about 2.6 MB; with one slice kept per document it was 54 MB.
    assert.ok(retained < 12_000_000, `${(retained / 1e6).toFixed(1)} MB retained`);
  });
});

describe('memory kept per gate file', () => {
  it('200 parsed gate files of 100 KB keep far less than their 20 MB of text', () => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(__dirname, '../helpers/retained-gates.ts'), '200', '100000'],
      { encoding: 'utf8', cwd: join(__dirname, '../..') },
    );
    assert.equal(child.status, 0, child.stderr);
    const { retained, files } = JSON.parse(child.stdout);
    assert.equal(files, 200);
    // Measured: about 1 MB; with the check types, paths and texts sliced from the file's
    // text, every file's whole text stayed: 21 MB.
    assert.ok(retained < 6_000_000, `${(retained / 1e6).toFixed(1)} MB retained`);
  });
});
