import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseGateFile } from '../../server/src/core/gates/parse';
import { parseDocument } from '../../server/src/core/parse/document';
import type { ParsedDocument } from '../../server/src/core/types';
import { DIAGNOSTICS_FILE, readDiagnostics } from '../../server/src/lsp/cache-lines';
import {
  CACHE_FILE,
  type CachedDocument,
  type CachedGateFile,
  type CacheKey,
  DiagnosticsWriter,
  readCache,
  readCacheInSlices,
  readDiagnosticsHeader,
  statKey,
  writeCache,
} from '../../server/src/lsp/index-cache';
import { tempDir } from '../helpers/files';

const KEY: CacheKey = { product: '1.2.3:45:67', parser: 'fast', folders: ['file:///w'] };
const HOUR_AGO = Date.now() - 3600_000;

/** Everything a parsed document tells, getters included (what a consumer can observe). */
function view(doc: ParsedDocument): unknown {
  const r = (x: unknown) => JSON.parse(JSON.stringify(x ?? null));
  return r({
    ...doc,
    headings: doc.headings.map((h) => ({ level: h.level, text: h.text, line: h.line, range: h.range })),
    tasks: doc.tasks.map((t) => ({
      line: t.line,
      checked: t.checked,
      text: t.text,
      depth: t.depth,
      range: t.range,
      checkboxRange: t.checkboxRange,
    })),
    links: doc.links.map((l) => ({
      raw: l.raw,
      target: l.target,
      heading: l.heading,
      alias: l.alias,
      syntax: l.syntax,
      written: l.written,
      angle: l.angle,
      embed: l.embed,
      range: l.range,
      targetRange: l.targetRange,
      headingRange: l.headingRange,
      source: l.source,
      key: l.key,
    })),
  });
}

const TEXTS = [
  '# Phase 01: Diagnose\n\n---\nphase: 01\nname: "Diagnose"\nowners: [ann, "bob b"]\ndetails: { area: ops, n: 3, ok: true, none: null }\nnext_phase: "[[02-prescribe#Entry|next]]"\n---\n\n## Exit Criteria\n\n- [ ] Root cause found\n  - [x] nested item\n-[ ] glued\n- [  ] padded\n\nSee ![[diagram.png]], [[a#B|c]], [text](<docs/a b.md#x> "t"), [r][ref].\n\n[ref]: other.md\n',
  '---\ntitle: From metadata\nddx:\n  id: FEAT-1\n  depends_on:\n    - A-1\n    - "B-2"\n  status: approved\n  supersedes: [OLD-1]\n  review:\n    at: 2026-01-01\n---\nBody text.\n\nSetext\n======\n',
  '---\nbroken: [unclosed\n---\n# T\n',
  '',
  '\ufeff# BOM\r\n\r\n- [ ] crlf task\r\n',
  '# Lists\n\n1. [x] ordered\n> - [ ] quoted\n\n| a | [[b]] |\n|---|---|\n| [[c#d]] | e |\n',
  '# Anchors\n\n<a name="setup"></a>\n\n<h2 id=\'faq\'>FAQ</h2>\n',
  '+++\ntitle = "TOML"\n[[menu.main]]\n+++\n# TOML front matter\n',
  '# Collapsible\n\n## Entry Criteria\n- [x] a\n<details>\n<summary>Exit Criteria</summary>\n\n- [ ] b\n</details>\n<details>\n\n1. c\n',
  '# Callouts\n\n## Readiness\n> [!todo] Entry Criteria\n> - [x] a\n\n> [!check]- Exit Criteria\n> 1. b\n',
];

function corpusTexts(limit: number): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= limit) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(readFileSync(p, 'utf8'));
    }
  };
  for (const c of ['ddx-cdp', 'helix-library']) {
    const dir = join(__dirname, '..', '..', '..', 'shared', 'corpus', c);
    if (existsSync(dir)) walk(dir);
  }
  return out;
}

function cached(docs: ParsedDocument[]): CachedDocument[] {
  return docs.map((doc, i) => ({
    state: { size: 100 + i, mtimeMs: HOUR_AGO, readAt: Date.now(), hash: `h${i}` },
    empty: false,
    doc,
  }));
}

/** A folder of its own for one cache, removed when this file's tests are done. */
const made: string[] = [];
function cacheDir(): string {
  const dir = tempDir('cdp-cache-');
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function roundTrip(texts: string[], parser: 'fast' | 'remark' = 'fast') {
  const dir = cacheDir();
  const docs = texts.map((t, i) => parseDocument(`file:///w/d${i}.md`, t, parser));
  const written = await writeCache(dir, { ...KEY, parser }, cached(docs));
  const read = readCache(dir, { ...KEY, parser });
  return { dir, docs, written, read };
}

/** The diagnostics readDiagnostics passes on: uri → their JSON and parsed; undefined when it fails. */
function known(dir: string, world: string, chunk?: number) {
  const out = new Map<string, { json: string; diagnostics: unknown[]; hash: string }>();
  const each = (uri: string, json: string, diagnostics: unknown[], hash: string, bytes: Buffer) => {
    assert.equal(bytes.toString('utf8'), json); // what is sent as it was read
    out.set(uri, { json, diagnostics, hash });
  };
  return readDiagnostics(dir, world, each, chunk) ? out : undefined;
}

describe('index cache file', () => {
  it('reads back every document exactly as parsed (written fixtures and the corpus)', async () => {
    const texts = [...TEXTS, ...corpusTexts(600)];
    const { docs, written, read } = await roundTrip(texts);
    assert.equal(written, texts.length);
    assert.ok(read.docs, 'why' in read ? read.why : '');
    for (const d of docs) {
      const back = read.docs.get(d.uri);
      assert.ok(back, d.uri);
      assert.deepEqual(view(back.doc), view(d), d.uri);
      assert.deepEqual(back.state.hash, `h${docs.indexOf(d)}`);
    }
  });

  it('reads back every gate file exactly as parsed, beside the documents; a gate entry of the wrong shape ignores the cache', async () => {
    const gateTexts = [
      'entry_requirements:\n  manual:\n    - "Kicked off"\nexit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/a.md\n      description: "A exists"\n    - check: grep_absent\n      pattern: "TBD"\n      path: "docs/**/*.md"\n    - check: previous_phase_complete\n      phase: 04\n    - check: tests_passing\n      command: npm test\n  manual:\n    - "Signed off"\n',
      'input_gates:\n  - criteria: "Plan approved"\n    required: false\n    evidence: docs/plan.md#Scope\n  - criteria: "Multi\n      line"\n',
      'exit_gates: [\n',
      'exit_requirements:\n  automated: &a\n    - check: file_exists\n      path: x.md\n  manual: *a\n',
      '',
      'exit_requirements:\n  automated:\n    - check: file_exist\n      path: x.md\n',
      'input_gates:\n  - critera: x\n',
      'exit_gates:\n  - criteria: A\ntransition:\n  to_phase: "02-design"\n',
      'exit_gates:\n  - criteria: A\ntransition:\n  to_phase: []\n',
      'phase: frame\nnumber: "01"\nexit_gates:\n  - criteria: A\n',
    ];
    const gates: CachedGateFile[] = gateTexts.map((t, i) => ({
      uri: `file:///w/g${i}/GATE.yaml`,
      state: { size: t.length, mtimeMs: HOUR_AGO, readAt: Date.now(), hash: `g${i}` },
      gate: parseGateFile(t),
    }));
    assert.ok(gates.some((g) => g.gate.error) && gates.some((g) => g.gate.groups.length > 1));
    assert.ok(
      gates.some((g) => g.gate.error?.range) && gates.some((g) => g.gate.groups[0]?.items[0]?.checkRange),
    );
    assert.ok(gates.some((g) => g.gate.transition?.range) && gates.some((g) => g.gate.transition?.problem));
    assert.ok(gates.some((g) => g.gate.phaseKeys?.length === 2 && g.gate.phaseKeys[1].range));
    const dir = cacheDir();
    const docs = cached([parseDocument('file:///w/a.md', '# A\n')]);
    assert.equal(await writeCache(dir, KEY, [...docs, ...gates]), 1 + gates.length);
    const read = readCache(dir, KEY);
    assert.ok(read.docs, 'why' in read ? read.why : '');
    assert.deepEqual([...read.docs.keys()], ['file:///w/a.md']);
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    for (const g of gates) {
      const back = read.gates.get(g.uri);
      assert.ok(back, g.uri);
      assert.deepEqual(plain(back.gate), plain(g.gate), g.uri);
      assert.deepEqual(back.state, g.state);
    }
    // Under a right checksum, a gate entry whose parse has the wrong shape.
    const text = readFileSync(join(dir, CACHE_FILE), 'utf8');
    const [header, body] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    const wrong: [RegExp, string][] = [
      [/"kind":"exit"/, '"kind":"later"'], // a group neither entry nor exit
      [/"kind":"check"/, '"kind":"maybe"'], // an item of no known kind
      [/"required":true/, '"required":"yes"'], // required not a boolean
      [/"path":"docs\/a\.md"/, '"path":3'], // a path not a string
      [/"groups":\[/, '"groups":[7,'], // a group not an object
      [/"line":(\d+),"range"/, '"line":"1","range"'], // a line not a number
      [/"g",\{"groups":/, '"g",{"groups":{},"was":'], // groups not a list
      [/"checkRange":\{/, '"checkRange":7,"was":{'], // where a check type is written, not a range
      [/"message":("[^"]*critera[^"]*"),"line":1,"range":\{/, '"message":$1,"line":1,"range":[],"was":{'], // an error's key range not a range
      [/"toPhase":"02-design"/, '"toPhase":2'], // a transition's phase not text
      [/"transition":\{"keyRange":\{/, '"transition":{"keyRange":7,"was":{'], // its key not a range
      [/"key":"number"/, '"key":"name"'], // a phase key neither phase nor number
      [/"value":"01"/, '"value":1'], // its value not text
    ];
    for (const [pattern, replacement] of wrong) {
      const bad = body.replace(pattern, replacement);
      assert.notEqual(bad, body, String(pattern));
      const sha = createHash('sha256').update(bad).digest('hex');
      writeFileSync(
        join(dir, CACHE_FILE),
        `${header.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${sha}"`)}\n${bad}`,
      );
      const r = readCache(dir, KEY);
      assert.equal(r.docs ? 'used' : r.why, 'corrupt entry', String(pattern));
    }
  });

  it('read a slice at a time, gives what it gives read at once, and refuses what that refuses', async () => {
    const { dir, docs } = await roundTrip([...TEXTS, ...corpusTexts(60)]);
    let pauses = 0;
    const pause = () => {
      pauses++;
      return new Promise<void>((r) => setImmediate(r));
    };
    const whole = readCache(dir, KEY);
    const sliced = await readCacheInSlices(dir, KEY, pause, () => 0, 1000);
    assert.ok(whole.docs && sliced.docs);
    assert.ok(pauses > 1, `${pauses} pauses`);
    assert.deepEqual([...sliced.docs.keys()], [...whole.docs.keys()]);
    for (const d of docs) assert.deepEqual(view(sliced.docs.get(d.uri)!.doc), view(d), d.uri);
    const file = join(dir, CACHE_FILE);
    const good = readFileSync(file);
    for (const damaged of [good.subarray(0, good.length - 7), Buffer.concat([good, Buffer.from('\n[]')])]) {
      writeFileSync(file, damaged);
      const r = await readCacheInSlices(dir, KEY, pause, () => 0, 1000);
      assert.equal(r.docs ? 'used' : r.why, 'corrupt (checksum)');
    }
    assert.equal((await readCacheInSlices(dir, { ...KEY, parser: 'remark' }, pause)).docs, undefined);
  });

  it('leaves out what JSON cannot hold exactly (YAML .inf, cyclic aliases) and files modified just before they were read', async () => {
    const texts = ['---\nx: .inf\n---\n# A\n', '---\na: &a [1, *a]\n---\n# B\n', '# C\n'];
    const { read } = await roundTrip(texts);
    assert.ok(read.docs);
    assert.deepEqual([...read.docs.keys()], ['file:///w/d2.md']);

    const dir = cacheDir();
    const fresh = cached([parseDocument('file:///w/f.md', '# F\n')]);
    fresh[0]!.state.mtimeMs = fresh[0]!.state.readAt - 500;
    assert.equal(await writeCache(dir, KEY, fresh), 0);
  });

  it('is ignored when truncated, corrupt, of another product version, parser or folders, or of the wrong shape', async () => {
    const { dir } = await roundTrip(TEXTS);
    const file = join(dir, CACHE_FILE);
    const good = readFileSync(file);
    const why = () => {
      const r = readCache(dir, KEY);
      return r.docs ? 'used' : r.why;
    };
    assert.equal(why(), 'used');
    writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
    assert.equal(why(), 'corrupt (checksum)');
    writeFileSync(file, good.subarray(0, 20));
    assert.equal(why(), 'truncated');
    const flipped = Buffer.from(good);
    const at = flipped.indexOf('Root cause');
    flipped[at] = 'X'.charCodeAt(0);
    writeFileSync(file, flipped);
    assert.equal(why(), 'corrupt (checksum)');
    writeFileSync(file, 'not json\n[]');
    assert.equal(why(), 'corrupt header');
    writeFileSync(file, good);
    assert.equal(readCache(dir, { ...KEY, product: '1.2.4:45:67' }).docs, undefined);
    assert.equal(readCache(dir, { ...KEY, parser: 'remark' }).docs, undefined);
    assert.equal(readCache(dir, { ...KEY, folders: ['file:///other'] }).docs, undefined);
    // A well-formed file (right checksum) whose entry has the wrong shape.
    const d = cacheDir();
    await writeCache(d, KEY, cached([parseDocument('file:///w/a.md', '# A\n\n- [ ] t\n\nSee [[b]].\n')]));
    const text = readFileSync(join(d, CACHE_FILE), 'utf8');
    const [header, body] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    const wrong: [RegExp, string][] = [
      [/"c":\[/, '"c":["x",'], // a task's line not a number
      [/"c":\[(\d+),0,/, '"c":[$1,2,'], // checked neither 0 nor 1
      [/"c":\[[^\]]*\]/, '"c":[2,0,"t"]'], // a task cut short
      [/"h":\[[^\]]*\]/, '"h":[1,"A",0,0,{}]'], // a heading's column an object
      [/"k":\[("\[\[b\]\]","b"),\d+/, '"k":[$1,"x"'], // link flags not a number
      [/"k":\[/, '"k":[null,'], // an item neither fields nor an object
    ];
    for (const [pattern, replacement] of wrong) {
      const bad = body.replace(pattern, replacement);
      assert.notEqual(bad, body, String(pattern));
      const sha = createHash('sha256').update(bad).digest('hex');
      writeFileSync(
        join(d, CACHE_FILE),
        `${header.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${sha}"`)}\n${bad}`,
      );
      const r = readCache(d, KEY);
      assert.equal(r.docs ? 'used' : r.why, 'corrupt entry', String(pattern));
    }
  });

  it('is ignored, without blocking or throwing, when a folder, a named pipe or a header nested too deep stands in its place', async () => {
    const { dir } = await roundTrip(TEXTS);
    const file = join(dir, CACHE_FILE);
    const diagnostics = join(dir, DIAGNOSTICS_FILE);
    const good = readFileSync(file, 'utf8');
    const why = async () => {
      const r = readCache(dir, KEY);
      const sliced = await readCacheInSlices(dir, KEY, async () => {});
      assert.equal(sliced.docs ? 'used' : sliced.why, r.docs ? 'used' : r.why);
      return r.docs ? 'used' : r.why;
    };
    assert.equal(await why(), 'used');
    // A header whose folders are nested 100,000 deep: comparing them overflows the stack.
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    writeFileSync(file, good.replace(/"folders":\[[^\]]*\]/, `"folders":${deep}`));
    assert.match(await why(), /^unreadable \(|^corrupt header$/);
    for (const make of [(p: string) => mkdirSync(p), (p: string) => execFileSync('mkfifo', [p])]) {
      for (const p of [file, diagnostics]) {
        rmSync(p, { recursive: true, force: true });
        make(p);
      }
      assert.equal(await why(), 'not a file');
      assert.equal(readDiagnosticsHeader(dir), undefined);
      assert.equal(
        readDiagnostics(dir, 'w', () => assert.fail('nothing is read')),
        false,
      );
    }
  });

  it('is the same file and reads back the same whatever the chunk size (entries and characters split across chunks)', async () => {
    const texts = [...TEXTS, '# Ünïcödé 🚀\n\n- [ ] naïve [[Café#Ça va]]\n', ...corpusTexts(40)];
    const docs = cached(texts.map((t, i) => parseDocument(`file:///w/d${i}.md`, t)));
    const whole = cacheDir();
    const small = cacheDir();
    assert.equal(await writeCache(whole, KEY, docs), texts.length);
    assert.equal(await writeCache(small, KEY, docs, 7), texts.length);
    const bytes = readFileSync(join(whole, CACHE_FILE));
    assert.deepEqual(readFileSync(join(small, CACHE_FILE)), bytes);
    assert.deepEqual(readdirSync(small), [CACHE_FILE], 'no temporary file left');
    const header = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString('utf8')) as { sha256: string };
    assert.equal(
      header.sha256,
      createHash('sha256')
        .update(bytes.subarray(bytes.indexOf(10) + 1))
        .digest('hex'),
    );
    for (const chunk of [1, 3, 64, 4096, 1 << 20]) {
      const r = readCache(small, KEY, chunk);
      assert.ok(r.docs, `chunk ${chunk}: ${'why' in r ? r.why : ''}`);
      assert.deepEqual(
        [...r.docs.keys()],
        docs.map((d) => d.doc.uri),
        `chunk ${chunk}`,
      );
      for (const d of docs) assert.deepEqual(view(r.docs.get(d.doc.uri)!.doc), view(d.doc), d.doc.uri);
    }
  });

  it('a damaged body is reported as failing its checksum, wherever it is cut or flipped and however it is read', async () => {
    const dir = cacheDir();
    const docs = cached(TEXTS.map((t, i) => parseDocument(`file:///w/d${i}.md`, t)));
    await writeCache(dir, KEY, docs, 5);
    const file = join(dir, CACHE_FILE);
    const good = readFileSync(file);
    const body = good.indexOf(10) + 1;
    const why = (chunk: number) => {
      const r = readCache(dir, KEY, chunk);
      return r.docs ? 'used' : r.why;
    };
    for (const at of [body, body + 1, body + 37, Math.floor((body + good.length) / 2), good.length - 1]) {
      writeFileSync(file, good.subarray(0, at));
      for (const chunk of [2, 50, 1 << 20])
        assert.equal(why(chunk), 'corrupt (checksum)', `cut at ${at}, chunk ${chunk}`);
      // A byte that breaks the entry's JSON: the checksum still decides, not the parse.
      const flipped = Buffer.from(good);
      flipped[at] = '{'.charCodeAt(0);
      writeFileSync(file, flipped);
      for (const chunk of [2, 50, 1 << 20])
        assert.equal(why(chunk), 'corrupt (checksum)', `flip at ${at}, chunk ${chunk}`);
      // Lines added after the last entry.
      writeFileSync(file, Buffer.concat([good, Buffer.from('\n[]')]));
      assert.equal(why(3), 'corrupt (checksum)');
    }
    writeFileSync(file, good);
    assert.equal(why(2), 'used');
  });

  it('diagnostics are read back only for the same world, whole', () => {
    const dir = cacheDir();
    const w = new DiagnosticsWriter(dir, 'world-1');
    const diags = JSON.stringify([
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, message: 'm' },
    ]);
    w.add('file:///w/a.md', diags, 'h1');
    w.add('file:///w/b.md', diags, 'h2');
    w.commit();
    assert.deepEqual(
      [...(known(dir, 'world-1') ?? [])].map(([u, e]) => [u, e.json, e.hash]),
      [
        ['file:///w/a.md', diags, 'h1'],
        ['file:///w/b.md', diags, 'h2'],
      ],
    );
    assert.equal(known(dir, 'world-2'), undefined);
    // Read a few bytes at a time: lines and the header split across reads.
    for (const chunk of [1, 4, 33])
      assert.deepEqual(known(dir, 'world-1', chunk), known(dir, 'world-1'), `chunk ${chunk}`);
    const file = join(dir, DIAGNOSTICS_FILE);
    const good = readFileSync(file);
    const header = good.lastIndexOf(10) + 1;
    for (const chunk of [3, 1 << 20]) {
      writeFileSync(file, good.subarray(0, good.length - 10));
      assert.equal(known(dir, 'world-1', chunk), undefined);
      writeFileSync(file, good.subarray(0, header));
      assert.equal(known(dir, 'world-1', chunk), undefined);
      writeFileSync(file, Buffer.concat([good.subarray(0, 5), Buffer.from('Z'), good.subarray(6)]));
      assert.equal(known(dir, 'world-1', chunk), undefined);
      // A changed message that is still well-formed: only the checksum tells.
      writeFileSync(file, Buffer.from(good.toString('utf8').replace('"message":"m"', '"message":"n"')));
      assert.equal(known(dir, 'world-1', chunk), undefined);
    }
    writeFileSync(file, good);
    assert.equal(known(dir, 'world-1', 2)?.size, 2);
    assert.deepEqual(known(dir, 'world-1')?.get('file:///w/b.md')?.diagnostics, JSON.parse(diags));
  });

  it('the diagnostics header names its world and, when written with one, the files it read by size and time', () => {
    const dir = cacheDir();
    assert.equal(readDiagnosticsHeader(dir), undefined);
    const parts = {
      key: KEY,
      settings: { cdp: {} },
      client: ['docs'],
      files: ['file:///w', 'a.md', 'src/x.ts'],
      states: [['file:///w/a.md', 10, HOUR_AGO] as const, ['file:///w/src/x.ts', 3, HOUR_AGO] as const],
    };
    const stat = statKey(parts);
    // Any size, time, file or setting changed: another key; the order of the states is not.
    assert.equal(statKey({ ...parts, states: [...parts.states].reverse() }), stat);
    for (const other of [
      { ...parts, states: [parts.states[0], ['file:///w/src/x.ts', 4, HOUR_AGO] as const] },
      { ...parts, states: [parts.states[0], ['file:///w/src/x.ts', 3, HOUR_AGO + 1] as const] },
      { ...parts, states: [parts.states[0]] },
      { ...parts, files: ['file:///w', 'a.md'] },
      { ...parts, settings: { cdp: { parser: 'remark' } } },
    ])
      assert.notEqual(statKey(other), stat);
    // One line longer than a read chunk: the header is found from the end whatever comes before.
    const long = JSON.stringify([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        message: 'm'.repeat(300_000),
      },
    ]);
    const w = new DiagnosticsWriter(dir, 'world-1', { key: stat, extra: ['file:///w/src/x.ts'] });
    w.add('file:///w/a.md', long, 'h');
    w.commit();
    assert.deepEqual(readDiagnosticsHeader(dir), { world: 'world-1', stat, extra: ['file:///w/src/x.ts'] });
    const plain = new DiagnosticsWriter(dir, 'world-2');
    plain.commit();
    assert.deepEqual(readDiagnosticsHeader(dir), { world: 'world-2', stat: undefined, extra: [] });
    writeFileSync(join(dir, DIAGNOSTICS_FILE), 'not a header');
    assert.equal(readDiagnosticsHeader(dir), undefined);
  });

  it('diagnostics of the wrong shape are not passed on, even under a matching checksum', () => {
    const dir = cacheDir();
    const good = JSON.stringify([
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm' },
    ]);
    // The header as the writer writes it (its format), then the same with other lines.
    const w = new DiagnosticsWriter(dir, 'w');
    w.add('file:///w/a.md', good, 'h');
    w.commit();
    const written = readFileSync(join(dir, DIAGNOSTICS_FILE), 'utf8');
    const { format } = JSON.parse(written.slice(written.lastIndexOf('\n') + 1)) as { format: number };
    for (const bad of [good, '{}', '[{"range":{}}]', '[{"message":"m"}]', '[1]', 'nope']) {
      const body = `"file:///w/a.md"\th\t${good}\n"file:///w/b.md"\th\t${bad}\n`;
      const sha256 = createHash('sha256').update(body).digest('hex');
      writeFileSync(join(dir, DIAGNOSTICS_FILE), `${body}${JSON.stringify({ format, world: 'w', sha256 })}`);
      if (bad === good) {
        assert.equal(
          readDiagnostics(dir, 'w', () => undefined),
          true,
        );
        continue;
      }
      const seen: string[] = [];
      assert.equal(
        readDiagnostics(dir, 'w', (uri) => seen.push(uri)),
        false,
        bad,
      );
      // The well-formed document before it may have been passed on; the bad one never is.
      assert.ok(!seen.includes('file:///w/b.md'), bad);
    }
  });
});
