// The benchmark's server starts: a warm start is judged at the moment the editor has every
// document's diagnostics, so the benchmark must know when that was and that they were the
// cold start's (bench/lsp.mjs, `measureStarts`).
import assert from 'node:assert/strict';
import { readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/files';

type Start = { ms: number; readyMs: number; diagnosticsMs: number; runs: number };
type Starts = { cold: Start; warm: Start & { cacheBytes: number; sameDiagnostics: boolean } };
type LspModule = {
  measureStarts(ctx: { workspace: string; docs: number; runs: number; serverPath: string }): Promise<Starts>;
};
type GenerateModule = { generate(o: { shape: string; docs: number; out: string }): Promise<unknown> };

const root = join(__dirname, '..', '..');
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(root, file)).href)) as T;
const base = tempDir('cdp-bench-starts-');
after(() => rmSync(base, { recursive: true, force: true }));

describe('benchmark: cold and warm server starts', () => {
  it('a warm start has all its diagnostics before its index is ready, and they are the cold start’s', async () => {
    const { generate } = await load<GenerateModule>('bench/generate.mjs');
    const workspace = join(base, 'small');
    await generate({ shape: 'small', docs: 120, out: workspace });
    // Files written a moment ago are not trusted from their size and time alone.
    const past = new Date(Date.now() - 3600_000);
    for (const e of readdirSync(workspace, { withFileTypes: true, recursive: true }))
      if (e.isFile()) utimesSync(join(e.parentPath ?? e.path, e.name), past, past);
    const { measureStarts } = await load<LspModule>('bench/lsp.mjs');
    const { cold, warm } = await measureStarts({
      workspace,
      docs: 120,
      runs: 1,
      serverPath: join(root, 'server', 'out', 'server.js'),
    });
    assert.ok(warm.cacheBytes > 0, 'the cold start left its cache');
    assert.equal(warm.sameDiagnostics, true);
    assert.ok(cold.diagnosticsMs > 0 && cold.diagnosticsMs <= cold.ms, `cold: ${JSON.stringify(cold)}`);
    // The stored diagnostics are published once the files are listed, before the index is read.
    assert.ok(warm.diagnosticsMs > 0 && warm.diagnosticsMs < warm.readyMs, `warm: ${JSON.stringify(warm)}`);
  });
});
