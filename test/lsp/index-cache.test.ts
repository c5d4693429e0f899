import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DIAGNOSTICS_FILE } from '../../server/src/lsp/cache-lines';
import { CACHE_FILE } from '../../server/src/lsp/index-cache';
import { WORKER_PUBLISH_BYTES } from '../../server/src/lsp/publish-stored';
import { tempDir } from '../helpers/files';
import { TestClient, tempWorkspace, uriOf } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const FILES: Record<string, string> = {
  'cycles/c1/01-diagnose.md':
    '# Phase 01: Diagnose\n\n---\nnext_phase: "[[02-prescribe]]"\n---\n\n## Exit Criteria\n\n- [ ] Root cause found\n- [x] Data collected\n\nSee [[findings#Missing Heading]] and [[nowhere]].\n',
  'cycles/c1/02-prescribe.md':
    '# Phase 02: Prescribe\n\n---\nprevious_phase: "[[01-diagnose]]"\n---\n\n## Entry Criteria\n\n- [ ] Diagnosis approved\n\n-[ ] glued box\n',
  'cycles/c1/findings.md': '# Findings\n\n## Summary\n\nLinks to [[01-diagnose]] and [missing](gone.md).\n',
  'docs/a.md': '---\nddx:\n  id: A-1\n  depends_on:\n    - B-1\n---\n# A\n',
  'docs/b.md': '---\nddx:\n  id: B-1\n  depends_on:\n    - A-1\n---\n# B\n',
  'notes/empty.md': '   \n',
  // TOML front matter is not read: a warning on its first line (it holds a `phase`), nothing else.
  'docs/hugo.md': '+++\ntitle = "Hugo"\nphase = "01"\n[[menu.main]]\n+++\n# Hugo\n',
};

/** A workspace whose files were last modified an hour ago (recent files are not cached). */
function workspace(): string {
  const root = tempWorkspace(FILES);
  const past = new Date(Date.now() - 3600_000);
  for (const rel of Object.keys(FILES)) utimesSync(join(root, rel), past, past);
  return root;
}

/** Starts a server, waits for its initial diagnostics, stops it; returns them and its log. */
async function run(root: string, storagePath?: string, settings?: Record<string, unknown>) {
  const client = await TestClient.start([root], {
    initializationOptions: storagePath ? { storagePath } : undefined,
    settings,
  });
  clients.push(client);
  await client.ready();
  const diagnostics = new Map<string, Diagnostic[]>();
  for (const [uri, d] of client.diagnostics) if (d.length > 0) diagnostics.set(uri, d);
  // The cache is written at shutdown: its answer is waited for, however busy the machine.
  await client.stop(30_000);
  clients.splice(clients.indexOf(client), 1);
  return { diagnostics: [...diagnostics].sort(), log: client.log.join('\n') };
}

describe('index cache (initializationOptions.storagePath)', () => {
  it('a start from the cache publishes the same diagnostics as a cold start, without reading the documents', async () => {
    const root = workspace();
    const storage = tempDir('cdp-storage-');
    const cold = await run(root);
    assert.ok(cold.diagnostics.length >= 3, JSON.stringify(cold.diagnostics));
    const first = await run(root, storage);
    assert.deepEqual(first.diagnostics, cold.diagnostics);
    assert.ok(existsSync(join(storage, CACHE_FILE)) && existsSync(join(storage, DIAGNOSTICS_FILE)));
    const warm = await run(root, storage);
    assert.match(warm.log, /7 unchanged since the index cache was written/);
    // Published as soon as the files were listed, before the cache was read and the documents indexed.
    assert.match(
      warm.log,
      /Published the diagnostics of the last check \(\d+ documents?, before the index cache was read\)/,
    );
    assert.match(warm.log, /empty document/);
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
    const hugo = warm.diagnostics.find(([uri]) => uri.endsWith('/docs/hugo.md'))?.[1];
    assert.deepEqual(
      hugo?.map((d) => [d.code, d.severity, d.range.start.line, /TOML front matter/.test(d.message)]),
      [['invalid-frontmatter', 2, 0, true]],
    );
  });

  it('a start from the cache publishes what a cold start does on generated workspaces of every shape', async () => {
    const generator = pathToFileURL(join(__dirname, '../../bench/generate.mjs')).href;
    const { generate } = (await import(generator)) as {
      generate: (o: { shape: string; docs: number; out: string }) => Promise<unknown>;
    };
    for (const shape of ['cdp-ids', 'helix', 'small']) {
      const root = join(tempDir('cdp-gen-'), shape);
      await generate({ shape, docs: 150, out: root });
      const past = new Date(Date.now() - 3600_000);
      const files = readdirSync(root, { withFileTypes: true, recursive: true }).filter((e) => e.isFile());
      for (const e of files) utimesSync(join(e.parentPath ?? e.path, e.name), past, past);
      const storage = tempDir('cdp-storage-');
      const cold = await run(root);
      assert.ok(cold.diagnostics.length > 10, `${shape}: ${cold.diagnostics.length} documents with findings`);
      await run(root, storage);
      const warm = await run(root, storage);
      assert.match(warm.log, /Published the diagnostics of the last check/, shape);
      assert.doesNotMatch(warm.log, /Index cache not used/, shape);
      assert.deepEqual(warm.diagnostics, cold.diagnostics, shape);
      if (shape !== 'helix') continue;
      // One document a gate check searches changed: the others come from the cache, it is read.
      const phase = files
        .map((e) => join(e.parentPath ?? e.path, e.name))
        .find((p) => /[\\/]01-[^\\/]+[\\/]README\.md$/.test(p));
      assert.ok(phase);
      writeFileSync(phase, `${readFileSync(phase, 'utf8')}\n[NEEDS CLARIFICATION] of the scope\n`);
      const changed = await run(root, storage);
      assert.match(changed.log, /unchanged since the index cache was written/);
      assert.doesNotMatch(changed.log, /Published the diagnostics of the last check/);
      const again = await run(root);
      assert.notDeepEqual(again.diagnostics, cold.diagnostics);
      assert.deepEqual(changed.diagnostics, again.diagnostics);
    }
  });

  it('many stored diagnostics are written by a worker thread: the same as a cold start, and what the server sends meanwhile follows them intact', async () => {
    // 150 phase documents of 400 unmet criteria each: more stored diagnostics than the
    // size from which a worker publishes them.
    const files: Record<string, string> = {};
    for (let w = 0; w < 150; w++) {
      const items = Array.from(
        { length: 400 },
        (_, i) =>
          `- [ ] Criterion ${i} of workflow ${w}: the numbers of week ${i % 52} are within their agreed thresholds`,
      );
      files[`cycles/w${w}/01-diagnose.md`] =
        `---\nphase: "01"\nname: Diagnose\n---\n# Diagnose ${w}\n\n## Exit Criteria\n\n${items.join('\n')}\n`;
    }
    const root = tempWorkspace(files);
    const past = new Date(Date.now() - 3600_000);
    for (const rel of Object.keys(files)) utimesSync(join(root, rel), past, past);
    const storage = tempDir('cdp-storage-');
    const cold = await run(root, storage);
    assert.equal(cold.diagnostics.length, 150);
    assert.ok(statSync(join(storage, DIAGNOSTICS_FILE)).size > WORKER_PUBLISH_BYTES);
    const client = await TestClient.start([root], { initializationOptions: { storagePath: storage } });
    clients.push(client);
    // Asked at once: answered after the stored diagnostics, on a stream still intact.
    const symbols = client.request<{ name: string; containerName?: string }[]>('workspace/symbol', {
      query: 'Diagnose',
    });
    await client.ready();
    const found = await symbols;
    assert.equal(found.filter((s) => s.name === '01 Diagnose').length, 150);
    assert.ok(found.some((s) => s.containerName === 'cycles/w149'));
    const warm = [...client.diagnostics].filter(([, d]) => d.length > 0).sort();
    const log = client.log.join('\n');
    await client.stop();
    clients.splice(clients.indexOf(client), 1);
    assert.match(
      log,
      /Published the diagnostics of the last check \(150 documents, [^)]*written by a worker thread\)/,
    );
    assert.deepEqual(warm, cold.diagnostics);
  });

  it('checks the diagnostics it published from the last check again, and corrects them', async () => {
    const root = workspace();
    const storage = tempDir('cdp-storage-');
    const cold = await run(root, storage);
    // The diagnostics file says something else for one document, under a right checksum
    // and the same world: as if the last check had been wrong.
    const file = join(storage, DIAGNOSTICS_FILE);
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('\n') + 1;
    const body = text.slice(0, at);
    // Its line: uri, hash of the diagnostics' JSON, the JSON (tab-separated).
    const wrong = body
      .split('\n')
      .map((line) => {
        if (!line.includes('nowhere')) return line;
        const [uri, , json] = line.split('\t');
        return [
          uri,
          'another-hash',
          json!.replace(/"message":"[^"]*nowhere[^"]*"/, '"message":"made up"'),
        ].join('\t');
      })
      .join('\n');
    assert.notEqual(wrong, body);
    const header = JSON.parse(text.slice(at)) as { sha256: string };
    header.sha256 = createHash('sha256').update(wrong).digest('hex');
    writeFileSync(file, `${wrong}${JSON.stringify(header)}`);
    const client = await TestClient.start([root], { initializationOptions: { storagePath: storage } });
    clients.push(client);
    await client.ready();
    assert.ok(client.log.some((l) => l.includes('Published the diagnostics of the last check')));
    const diagnose = uriOf(join(root, 'cycles/c1/01-diagnose.md'));
    assert.ok(client.diagnosticsOf(diagnose).some((d) => d.message === 'made up'));
    const expected = cold.diagnostics.find(([uri]) => uri === diagnose)?.[1];
    await client.waitFor(
      () => JSON.stringify(client.diagnosticsOf(diagnose)) === JSON.stringify(expected),
      'the checked diagnostics',
    );
    // Answered while it is checked (a request between its slices) and afterwards alike.
    const symbols = await client.request<unknown[]>('workspace/symbol', { query: '' });
    assert.ok(Array.isArray(symbols));
  });

  it('writes the cache after indexing, while the server runs', async () => {
    const root = workspace();
    const storage = tempDir('cdp-storage-');
    const client = await TestClient.start([root], { initializationOptions: { storagePath: storage } });
    clients.push(client);
    await client.ready();
    // Written about 2 s after indexing, then logged; waits up to 30 s (log messages wake no waiter).
    const written = () => client.log.some((l) => l.includes('Index cache written: 7 files'));
    for (let i = 0; i < 300 && !(existsSync(join(storage, CACHE_FILE)) && written()); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(join(storage, CACHE_FILE)), client.log.join('\n'));
    assert.ok(written(), client.log.join('\n'));
  });

  it('sees a file changed on disk between two starts', async () => {
    const root = workspace();
    const storage = tempDir('cdp-storage-');
    await run(root, storage);
    const findings = join(root, 'cycles/c1/findings.md');
    const before = statSync(findings);
    // Same size, other text: the modification time tells.
    writeFileSync(findings, FILES['cycles/c1/findings.md']!.replace('[[01-diagnose]]', '[[01-diagnoxe]]'));
    const past = new Date(before.mtimeMs + 60_000);
    utimesSync(findings, past, past);
    const warm = await run(root, storage);
    assert.match(warm.log, /6 unchanged since the index cache was written/);
    assert.doesNotMatch(warm.log, /Published the diagnostics of the last check/);
    const changed = warm.diagnostics.find(([uri]) => uri === uriOf(findings))?.[1] ?? [];
    assert.ok(
      changed.some((d) => d.message.includes('01-diagnoxe')),
      JSON.stringify(changed),
    );
    assert.deepEqual(warm.diagnostics, (await run(root)).diagnostics);
  });

  it('reads again at the next start a file modified just before it was read, and publishes no stored diagnostics for it', async () => {
    const root = workspace();
    const storage = tempDir('cdp-storage-');
    // Modified now: a change within the file system's time granularity could hide behind
    // the same size and time, so neither the cache nor the diagnostics' stat key holds it.
    const findings = join(root, 'cycles/c1/findings.md');
    const now = new Date();
    utimesSync(findings, now, now);
    const cold = await run(root, storage);
    assert.match(cold.log, /Index cache written: 6 files/);
    const warm = await run(root, storage);
    assert.match(warm.log, /6 unchanged since the index cache was written/);
    assert.doesNotMatch(warm.log, /Published the diagnostics of the last check/);
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
  });

  it('takes unchanged gate files from the cache and sees one edited, added or deleted between two starts', async () => {
    const gate = (path: string) =>
      [
        'exit_requirements:',
        '  automated:',
        '    - check: file_exists',
        `      path: ${path}`,
        '      description: "Runbook must exist"',
        '  manual:',
        '    - "Staging deployment verified"',
        '',
      ].join('\n');
    const files: Record<string, string> = {
      // Started (a box ticked): its unmet items are reported although 04 is current.
      'docs/helix/05-deploy/README.md':
        '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [x] Planned\n- [ ] Shipped\n',
      'docs/helix/05-deploy/GATE.yaml': gate('docs/helix/05-deploy/runbook.md'),
      'docs/helix/05-deploy/input-gates.yml':
        'input_gates:\n  - criteria: "Plan approved"\n    required: true\n    evidence: docs/helix/05-deploy/README.md#exit-criteria\n',
      'docs/helix/04-build/README.md': '# Phase 04: Build\n',
      'docs/helix/04-build/GATE.yaml': gate('docs/helix/04-build/missing.md'),
    };
    const root = tempWorkspace(files);
    const age = (rel: string, ms: number) => {
      const t = new Date(Date.now() - ms);
      utimesSync(join(root, rel), t, t);
    };
    for (const rel of Object.keys(files)) age(rel, 3600_000);
    const storage = tempDir('cdp-storage-');
    const cold = await run(root, storage);
    assert.ok(cold.diagnostics.length >= 2, JSON.stringify(cold.diagnostics));
    const warm = await run(root, storage);
    assert.match(warm.log, /2 unchanged since the index cache was written, and 3 gate files/);
    assert.match(warm.log, /Published the diagnostics of the last check/);
    assert.deepEqual(warm.diagnostics, cold.diagnostics);

    // Edited (same size, another path: only the modification time tells), added, deleted.
    const deploy = uriOf(join(root, 'docs/helix/05-deploy/GATE.yaml'));
    writeFileSync(join(root, 'docs/helix/05-deploy/GATE.yaml'), gate('docs/helix/05-deploy/runbooq.md'));
    age('docs/helix/05-deploy/GATE.yaml', 1800_000);
    const added = 'docs/helix/05-deploy/exit-gates.yml';
    writeFileSync(
      join(root, added),
      'exit_gates:\n  - criteria: "Release notes written"\n    required: true\n    evidence: docs/helix/05-deploy/notes.md\n',
    );
    age(added, 1800_000);
    rmSync(join(root, 'docs/helix/04-build/GATE.yaml'));
    const changed = await run(root, storage);
    assert.match(changed.log, /and 1 gate file\)/);
    assert.doesNotMatch(changed.log, /Published the diagnostics of the last check/);
    const messages = (uri: string) =>
      (changed.diagnostics.find(([u]) => u === uri)?.[1] ?? []).map((d) => d.message).join('\n');
    assert.match(messages(deploy), /runbooq\.md does not exist/);
    assert.match(messages(uriOf(join(root, added))), /Release notes written/);
    assert.equal(messages(uriOf(join(root, 'docs/helix/04-build/GATE.yaml'))), '');
    assert.deepEqual(changed.diagnostics, (await run(root)).diagnostics);
    // And the cache written then holds the new state.
    const again = await run(root, storage);
    assert.match(again.log, /and 3 gate files/);
    assert.deepEqual(again.diagnostics, changed.diagnostics);
  });

  it('publishes the last check at once only for the files it saw, a file a gate check searches included', async () => {
    // A grep check over a file that is not a document: its text is read after the
    // documents; the stored diagnostics name it, so a start checks its size and time first.
    const files: Record<string, string> = {
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': [
        'exit_requirements:',
        '  automated:',
        '    - check: grep_absent',
        '      pattern: "TODO"',
        '      path: src/app.ts',
        '      description: "No TODO left in the app"',
        '',
      ].join('\n'),
      'src/app.ts': '// TODO: finish\n',
    };
    const root = tempWorkspace(files);
    const past = new Date(Date.now() - 3600_000);
    for (const rel of Object.keys(files)) utimesSync(join(root, rel), past, past);
    const storage = tempDir('cdp-storage-');
    const cold = await run(root, storage);
    const todo = (r: typeof cold) => JSON.stringify(r.diagnostics).includes('No TODO left in the app');
    assert.ok(todo(cold), JSON.stringify(cold.diagnostics));
    const warm = await run(root, storage);
    assert.match(
      warm.log,
      /Published the diagnostics of the last check \(1 document, before the index cache was read\)/,
    );
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
    // The searched file changes (same size and time: only its text tells). What was
    // published before its text was read is checked again at once.
    writeFileSync(join(root, 'src/app.ts'), '// DONE: finish\n');
    utimesSync(join(root, 'src/app.ts'), past, past);
    const changed = await run(root, storage);
    assert.doesNotMatch(changed.log, /Published the diagnostics of the last check/);
    assert.ok(!todo(changed), JSON.stringify(changed.diagnostics));
    assert.deepEqual(changed.diagnostics, (await run(root)).diagnostics);
  });

  it('ignores a cache another build wrote, and writes none with cdp.cache.enabled false', async () => {
    const root = workspace();
    const storage = tempDir('cdp-storage-');
    await run(root, storage);
    const file = join(storage, CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/"product":"[^"]*"/, '"product":"0.0.0-other"'));
    const warm = await run(root, storage);
    assert.match(warm.log, /Index cache not used: another product version/);
    assert.deepEqual(warm.diagnostics, (await run(root)).diagnostics);

    const off = tempDir('cdp-storage-');
    await run(root, off, { cdp: { cache: { enabled: false } } });
    assert.deepEqual(readdirSync(off), []);
  });

  it('becomes ready with a cold start when a folder or a named pipe stands where a cache file was', async () => {
    const root = workspace();
    const cold = (await run(root)).diagnostics;
    for (const make of [(p: string) => mkdirSync(p), (p: string) => execFileSync('mkfifo', [p])]) {
      const storage = tempDir('cdp-storage-');
      await run(root, storage);
      for (const name of [CACHE_FILE, DIAGNOSTICS_FILE]) {
        rmSync(join(storage, name), { recursive: true, force: true });
        make(join(storage, name));
      }
      const warm = await run(root, storage);
      assert.match(warm.log, /Index cache not used: not a file/);
      assert.deepEqual(warm.diagnostics, cold);
    }
  });
});
