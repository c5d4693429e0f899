import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { Analysis } from '../../server/src/core/analysis';
import { defaultConfig } from '../../server/src/core/config';
import { toggleEdit } from '../../server/src/core/edits';
import { WorkspaceIndex } from '../../server/src/core/index';
import { parseDocument } from '../../server/src/core/parse/document';
import { LineIndex, stripBom } from '../../server/src/core/text';
import type { ParsedDocument, Range } from '../../server/src/core/types';
import { phaseDoc } from '../helpers/memory-workspace';
import { TestClient, tempWorkspace, uriOf } from '../lsp/client';
import { applyEdits, documentArb, generatedDocArb, linesDocArb, outside } from './arbitraries';

const SEED = 20_261_128;
const ROOT = 'file:///ws';

/** Every range a parsed document holds, named. */
function parsedRanges(d: ParsedDocument): [string, Range][] {
  const out: [string, Range][] = [];
  if (d.title) out.push(['title', d.title.range]);
  if (d.metadata.range) out.push(['metadata', d.metadata.range]);
  for (const e of d.metadata.errors) out.push([`metadata error ${e.message}`, e.range]);
  for (const e of d.metadata.entries) out.push([`metadata entry ${e.key}`, e.range]);
  for (const h of d.headings) out.push([`heading ${h.text}`, h.range]);
  for (const l of d.links) {
    out.push([`link ${l.raw}`, l.range], [`link target ${l.raw}`, l.targetRange]);
    if (l.headingRange) out.push([`link heading ${l.raw}`, l.headingRange]);
  }
  for (const t of d.tasks) out.push([`task ${t.text}`, t.range], [`task box ${t.text}`, t.checkboxRange]);
  for (const m of d.malformed) out.push([`malformed ${m.kind}`, m.range]);
  return out;
}

function workspaceFiles(): Record<string, string> {
  return {
    'wf/01-intake.md': phaseDoc({
      title: 'Intake',
      phase: '01',
      name: 'Intake',
      next: '02-diagnose',
      body: '## Exit Criteria\n\n- [x] done\n',
    }),
    'wf/02-diagnose.md': phaseDoc({
      title: 'Diagnose',
      phase: '02',
      name: 'Diagnose',
      previous: '01-intake',
      next: '03-gen',
      body: '## Entry Criteria\n\n- [ ] ready\n\n## Quality Gate\n\n- [ ] reviewed\n',
    }),
    'notes/a.md': '# A Note\n\n## Exit Criteria\n\n[[01-intake]]\n',
    'templates/missing.md': '# Missing\n',
  };
}

describe('properties of the core on generated documents', () => {
  const config = defaultConfig();
  const index = new WorkspaceIndex([ROOT], config);
  for (const [rel, text] of Object.entries(workspaceFiles())) index.set(`${ROOT}/${rel}`, text);
  const analysis = new Analysis(index);
  const uri = `${ROOT}/wf/03-gen.md`;
  let documents = 0;
  let fixesTried = 0;
  const fixMisses: string[][] = [];

  const checkDocument = (raw: string) => {
    documents++;
    const text = stripBom(raw);
    const lines = new LineIndex(text);
    const doc = parseDocument(uri, text);
    assert.equal(doc.lineCount, lines.lineCount);
    for (const [what, r] of parsedRanges(doc)) {
      const bad = outside(lines, r, what);
      if (bad) throw new Error(bad);
    }
    // Deterministic: the same text gives the same summary.
    assert.deepEqual(parseDocument(uri, text), doc);

    // Through the index and every rule.
    const entry = index.set(uri, text);
    assert.ok(entry, 'indexed');
    const findings = analysis.check(entry);
    for (const f of findings) {
      assert.equal(f.uri, uri);
      const bad = outside(lines, f.range, `${f.code} ${f.message}`);
      if (bad) throw new Error(bad);
      assert.doesNotMatch(f.message, /Internal error/);
      for (const fix of f.fixes ?? []) {
        if (fix.kind !== 'edit') continue;
        const target =
          fix.uri === uri
            ? text
            : index.get(fix.uri)
              ? workspaceFiles()[fix.uri.slice(ROOT.length + 1)]
              : undefined;
        assert.ok(target !== undefined, `fix for an unknown document ${fix.uri}`);
        const tl = new LineIndex(target);
        for (const e of fix.edits) {
          const bad = outside(tl, e.range, `fix ${fix.title}`);
          if (bad) throw new Error(bad);
        }
      }
    }

    // Toggling a criterion: one character on that line; the same item, flipped.
    for (const task of doc.tasks.slice(0, 4)) {
      const edit = toggleEdit(task);
      const after = applyEdits(text, [edit]);
      assert.equal(after.length, text.length);
      let diff = -1;
      for (let i = 0; i < text.length; i++) {
        if (text[i] !== after[i]) {
          assert.equal(diff, -1, 'more than one character changed');
          diff = i;
        }
      }
      if (diff === -1) assert.fail(`toggle changed nothing on line ${task.line}`);
      assert.equal(lines.lineOf(diff), task.line);
      const again = parseDocument(uri, after).tasks.find((t) => t.line === task.line);
      assert.ok(again, `no task on line ${task.line} after the toggle:\n${after}`);
      assert.equal(again.checked, !task.checked);
      assert.equal(again.text, task.text);
    }

    // The malformed-checkbox fix makes a task item of that line (when the item has text:
    // GFM does not make a task of a box with nothing after it).
    for (const f of findings.filter((x) => x.code === 'malformed-checkbox').slice(0, 4)) {
      const fix = f.fixes?.find((x) => x.kind === 'edit');
      assert.ok(fix && fix.kind === 'edit', 'a malformed checkbox comes with a fix');
      const after = applyEdits(text, fix.edits);
      const line = f.range.start.line;
      if (lines.lineText(line).slice(f.range.end.character).trim() === '') continue;
      const fixed = parseDocument(uri, after);
      fixesTried++;
      assert.ok(!fixed.malformed.some((m) => m.line === line), `still malformed on line ${line}`);
      if (!fixed.tasks.some((t) => t.line === line))
        fixMisses.push(after.split(/\r\n|\r|\n/).slice(Math.max(0, line - 3), line + 1));
    }
  };

  it('seeded generator documents: no throw, ranges inside, deterministic, exact toggles and fixes', () => {
    fc.assert(fc.property(generatedDocArb, checkDocument), {
      seed: SEED,
      numRuns: 5000,
      includeErrorInReport: true,
    });
  });

  it('edge-case line documents: no throw, ranges inside, deterministic, exact toggles and fixes', () => {
    fc.assert(fc.property(linesDocArb, checkDocument), {
      seed: SEED + 1,
      numRuns: 5000,
      includeErrorInReport: true,
    });
  });

  it('went through at least 10,000 documents; malformed-checkbox fixes make tasks', () => {
    assert.ok(documents >= 10_000, `${documents}`);
    assert.ok(fixesTried > 1000, `${fixesTried} fixes tried`);
    console.log(
      `# ${documents} documents, ${fixesTried} malformed-checkbox fixes applied, ${fixMisses.length} left no task, e.g. ${JSON.stringify(fixMisses[0])}`,
    );
    assert.deepEqual(fixMisses.slice(0, 20), [], `${fixMisses.length} of ${fixesTried} fixes made no task`);
  });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every `{ uri?, range }` pair in a response, with the document it belongs to. */
function rangesIn(
  value: unknown,
  docUri: string,
  out: { uri: string; range: Range; path: string }[],
  path = '$',
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) rangesIn(value[i], docUri, out, `${path}[${i}]`);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const o = value as Record<string, Json>;
  const uri =
    typeof o.uri === 'string'
      ? o.uri
      : typeof o.targetUri === 'string'
        ? o.targetUri
        : o.textDocument && typeof (o.textDocument as { uri?: string }).uri === 'string'
          ? (o.textDocument as { uri: string }).uri
          : docUri;
  for (const [k, v] of Object.entries(o)) {
    if (isRange(v) && k !== 'codeDescription')
      out.push({
        uri: k === 'targetRange' || k === 'targetSelectionRange' ? uri : uri,
        range: v,
        path: `${path}.${k}`,
      });
    else if (k === 'changes' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [u, edits] of Object.entries(v)) rangesIn(edits, u, out, `${path}.changes`);
    } else rangesIn(v, uri, out, `${path}.${k}`);
  }
}

function isRange(v: unknown): v is Range {
  const r = v as Range;
  return !!r && typeof r === 'object' && !!r.start && !!r.end && typeof r.start.line === 'number';
}

/** Error codes that mean "refused on purpose" (with a message), not "broke". */
const DELIBERATE = new Set([
  -32803 /* RequestFailed */, -32800 /* RequestCancelled */, -32801 /* ContentModified */,
]);

describe('properties of the language server on generated documents', () => {
  let client: TestClient;
  let root: string;
  const texts = new Map<string, string>();
  before(async () => {
    const files = workspaceFiles();
    root = tempWorkspace(files);
    for (const [rel, text] of Object.entries(files)) texts.set(uriOf(join(root, rel)), text);
    client = await TestClient.start([root]);
    await client.ready();
  });
  after(async () => {
    await client?.stop();
  });

  it('every feature on random positions: no unexpected errors, every range inside its document', async () => {
    const counts = new Map<string, number>();
    const refused = new Map<string, number>();
    let docs = 0;
    const prop = fc.asyncProperty(
      documentArb,
      fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 3, maxLength: 3 }),
      async (raw, picks) => {
        const text = stripBom(raw);
        const uri = uriOf(join(root, 'wf', `03-gen-${docs++ % 5}.md`));
        texts.set(uri, text);
        await client.open(uri, text);
        const lines = new LineIndex(text);
        const doc = parseDocument(uri, text);
        const positions = picks.map(([l, c]) => {
          const line = l % lines.lineCount;
          return { line, character: c % (lines.lineEnd(line) - lines.starts[line] + 1) };
        });
        // Aim some positions at links, headings and tasks, where features have most to do.
        if (doc.links.length) positions.push(doc.links[picks[0][0] % doc.links.length].targetRange.start);
        if (doc.headings.length) positions.push(doc.headings[picks[1][0] % doc.headings.length].range.start);
        const diagnostics: Diagnostic[] = [];
        const td = { textDocument: { uri } };
        const calls: [string, unknown][] = [
          ['textDocument/documentSymbol', td],
          ['textDocument/documentLink', td],
          ['textDocument/codeLens', td],
          ['cdp/workflows', { uri }],
        ];
        for (const position of positions) {
          calls.push(
            ['textDocument/definition', { ...td, position }],
            ['textDocument/references', { ...td, position, context: { includeDeclaration: true } }],
            ['textDocument/hover', { ...td, position }],
            ['textDocument/completion', { ...td, position }],
            ['textDocument/prepareRename', { ...td, position }],
            ['textDocument/rename', { ...td, position, newName: 'Renamed Thing' }],
            [
              'textDocument/codeAction',
              { ...td, range: { start: position, end: position }, context: { diagnostics } },
            ],
          );
        }
        for (const t of doc.tasks.slice(0, 2)) {
          calls.push(['cdp/toggleCriterion', { uri, line: t.line, expectedText: t.text }]);
          calls.push(['cdp/toggleCriterion', { uri, line: t.line, expectedText: `${t.text} (changed)` }]);
        }
        const results = await Promise.all(
          calls.map(([method, params]) =>
            client.request(method, params).then(
              (value) => ({
                method,
                value,
                error: undefined as undefined | { code: number; message: string },
              }),
              (error: { code: number; message: string }) => ({ method, value: undefined, error }),
            ),
          ),
        );
        for (const r of results) {
          if (r.error) {
            if (!DELIBERATE.has(r.error.code) || !r.error.message) {
              throw new Error(
                `${r.method} failed: ${r.error.code} ${r.error.message}\n${JSON.stringify(text)}`,
              );
            }
            refused.set(r.method, (refused.get(r.method) ?? 0) + 1);
            continue;
          }
          if (r.value !== null && r.value !== undefined)
            counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
          const found: { uri: string; range: Range; path: string }[] = [];
          rangesIn(r.value, uri, found);
          for (const f of found) {
            const t = texts.get(f.uri);
            if (t === undefined) continue; // a document the edit would create
            const bad = outside(new LineIndex(t), f.range, `${r.method} ${f.path}`);
            if (bad) throw new Error(`${bad}\n${JSON.stringify(text)}`);
          }
        }
        // The refusal of a stale toggle says why.
        const stale = results.filter((r) => r.method === 'cdp/toggleCriterion').filter((_, i) => i % 2 === 1);
        for (const s of stale) {
          const v = s.value as { refused?: string; edit?: unknown } | undefined;
          if (s.error) continue;
          assert.ok(v?.refused && !v.edit, 'a toggle with outdated text is refused');
        }
        await client.close(uri);
      },
    );
    await fc.assert(prop, { seed: SEED + 2, numRuns: 200, includeErrorInReport: true });
    // Still alive and answering.
    const wf = await client.request<{ ready: boolean }>('cdp/workflows', {});
    assert.equal(wf.ready, true);
    console.log(
      `# non-empty results: ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}; refusals: ${[...refused]
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    // The implemented features answer something on these documents.
    for (const m of [
      'textDocument/documentSymbol',
      'textDocument/documentLink',
      'textDocument/codeLens',
      'textDocument/hover',
      'textDocument/definition',
      'textDocument/references',
      'textDocument/completion',
      'textDocument/codeAction',
      'textDocument/prepareRename',
      'textDocument/rename',
      'cdp/workflows',
      'cdp/toggleCriterion',
    ]) {
      assert.ok((counts.get(m) ?? 0) > 0, `${m} never answered anything`);
    }
  });
});
