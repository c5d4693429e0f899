// DDX document ids: the ddx:/dun: block, resolution by id, and the id rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PackSink, packItems, unpackItems } from '../../server/src/core/parse/compact';
import { parseDdx } from '../../server/src/core/parse/ddx';
import { parseDocument } from '../../server/src/core/parse/document';
import { locateMetadata, parseMetadata } from '../../server/src/core/parse/metadata';
import { LineIndex } from '../../server/src/core/text';
import { buildWorkflows } from '../../server/src/core/workflow';
import { check, phaseDoc } from '../helpers/memory-workspace';

/** A document with a `ddx:` (or `dun:`) block. */
function ddx(
  id: string | undefined,
  deps: string[] = [],
  extra: { block?: 'ddx' | 'dun'; status?: string; supersededBy?: string; body?: string } = {},
): string {
  const lines = [`---`, `${extra.block ?? 'ddx'}:`];
  if (id !== undefined) lines.push(`  id: ${id}`);
  if (deps.length > 0) lines.push('  depends_on:', ...deps.map((d) => `    - ${d}`));
  if (extra.status) lines.push(`  status: ${extra.status}`);
  if (extra.supersededBy) lines.push(`  superseded_by: ${extra.supersededBy}`);
  lines.push('---', `# Doc ${id ?? ''}`, '', extra.body ?? '');
  return lines.join('\n');
}

async function resolveIn(files: Record<string, string>, from: string, target: string) {
  const { analysis, ws } = await check(files);
  const entry = analysis.index.get(ws.uri(from))!;
  const r = analysis.index.resolve(entry, { target });
  return r.status === 'resolved' ? r.target.rel : r.status;
}

describe('ddx block parsing', () => {
  it('reads id, depends_on (list, flow list, single string), status and the rest, with positions', () => {
    const text = [
      '---',
      'title: X',
      'ddx:',
      '  id: "FEAT-004"',
      '  depends_on:',
      '    - helix.prd # the PRD',
      "    - 'ADR-003'",
      '  status: superseded',
      '  superseded_by: FEAT-010',
      '  supersedes: [FEAT-001, FEAT-002]',
      '  type: feature',
      '  activity: frame',
      '  parking_lot: true',
      '  review:',
      '    reviewed_at: 2026-01-02',
      '    hash: abc',
      '---',
      '# X',
    ].join('\n');
    const d = parseDocument('file:///a.md', text).ddx!;
    assert.equal(d.block, 'ddx');
    assert.equal(d.id?.id, 'FEAT-004');
    assert.deepEqual(d.id?.range, { start: { line: 3, character: 7 }, end: { line: 3, character: 15 } });
    assert.deepEqual(
      d.dependsOn.map((r) => [r.id, r.range.start.line, r.range.start.character, r.range.end.character]),
      [
        ['helix.prd', 5, 6, 15],
        ['ADR-003', 6, 7, 14],
      ],
    );
    assert.equal(d.status, 'superseded');
    assert.equal(d.supersededBy, 'FEAT-010');
    assert.deepEqual(d.supersedes, ['FEAT-001', 'FEAT-002']);
    assert.equal(d.type, 'feature');
    assert.equal(d.activity, 'frame');
    assert.equal(d.parkingLot, true);
    assert.equal(d.review, 'reviewed_at: 2026-01-02\nhash: abc');
  });

  it('reads depends_on entries written as wikilinks or maps: the id inside, placed on its text', () => {
    const text = [
      '---',
      'ddx:',
      '  id: X-1',
      '  depends_on:',
      '    - [[FEAT-1]]',
      '    - "[[FEAT-2|the feature]]"',
      '    - id: FEAT-3',
      '    - [[FEAT-4], {id: FEAT-5, note: later}, "[[FEAT-6#Goals]]"]',
      '    - plain',
      '    - [[FEAT-7|the seventh]]',
      '    - [[FEAT-8#Scope]]',
      '---',
      '# X',
    ].join('\n');
    const lines = text.split('\n');
    const d = parseDocument('file:///a.md', text).ddx!;
    const ids = ['FEAT-1', 'FEAT-2', 'FEAT-3', 'FEAT-4', 'FEAT-5', 'FEAT-6', 'plain', 'FEAT-7', 'FEAT-8'];
    assert.deepEqual(
      d.dependsOn.map((r) => r.id),
      ids,
    );
    for (const r of d.dependsOn) {
      const { start, end } = r.range;
      assert.equal(start.line, end.line);
      assert.equal(lines[start.line].slice(start.character, end.character), r.id);
    }
    for (const one of ['[[FEAT-1]]', '["[[FEAT-1]]"]', '[{id: FEAT-1}]', "'[[FEAT-1]]'"]) {
      const t = `---\nddx:\n  id: X-1\n  depends_on: ${one}\n---\n# X\n`;
      const r = parseDocument('file:///b.md', t).ddx!.dependsOn;
      assert.deepEqual(
        r.map((x) => [x.id, t.split('\n')[3].slice(x.range.start.character, x.range.end.character)]),
        [['FEAT-1', 'FEAT-1']],
        one,
      );
    }
  });

  it('reads dun: blocks, a single-string depends_on and flow lists', () => {
    const single = parseDocument(
      'file:///a.md',
      '---\ndun:\n  id: helix.prd\n  depends_on: helix.vision\n---\n',
    ).ddx!;
    assert.equal(single.block, 'dun');
    assert.deepEqual(
      single.dependsOn.map((r) => [r.id, r.range.start.line, r.range.start.character]),
      [['helix.vision', 3, 14]],
    );
    const flow = parseDocument('file:///a.md', '---\nddx:\n  id: A\n  depends_on: [B, "C"]\n---\n').ddx!;
    assert.deepEqual(
      flow.dependsOn.map((r) => [r.id, r.range.start.character, r.range.end.character]),
      [
        ['B', 15, 16],
        ['C', 19, 20],
      ],
    );
  });

  it('places a value it cannot find as written on its key, or on the block key', () => {
    const at = (yaml: string) => {
      const d = parseDocument('file:///a.md', `---\n${yaml}\n---\n`).ddx!;
      const show = (r: { id: string; range: { start: { line: number; character: number } } }) =>
        `${r.id}@${r.range.start.line}:${r.range.start.character}`;
      return [d.id ? show(d.id) : '-', ...d.dependsOn.map(show)];
    };
    // 0012 reads as the number 12, but the id is the text written, where it is written.
    assert.deepEqual(at('ddx:\n  id: 0012\n  depends_on:\n    - B\n    - 0013'), [
      '0012@2:6',
      'B@4:6',
      '0013@5:6',
    ]);
    // A flow mapping on the block's line: each value where it is written.
    assert.deepEqual(at('ddx: {id: A, depends_on: [B]}'), ['A@1:10', 'B@1:26']);
    assert.deepEqual(at('ddx: { "id" : \'A,1\' , depends_on : [B, "C]"], x: {y: 1} }'), [
      'A,1@1:15',
      'B@1:36',
      'C]@1:40',
    ]);
    // A value found nowhere as written sits on its key, or on the block's key when its key
    // is not found either (the first line of a flow mapping over several lines).
    assert.deepEqual(at('ddx:\n  id: "FE\\u0041T-1"'), ['FEAT-1@2:2']);
    // After a tag or an anchor, the value is where it is written.
    assert.deepEqual(at('ddx:\n  id: !!str 12'), ['12@2:12']);
    assert.deepEqual(at('ddx:\n  id: &i A\n  depends_on:\n    - &b !!str B'), ['A@2:9', 'B@4:15']);
    assert.deepEqual(at('ddx: {id: A,\n  depends_on: [B]}'), ['A@1:0', 'B@2:15']);
    // A flow list going on over several lines: each entry where it is written.
    assert.deepEqual(at('ddx:\n  id: A\n  depends_on: [B,\n    "C", D # note\n    , E]'), [
      'A@2:6',
      'B@3:15',
      'C@4:5',
      'D@4:9',
      'E@5:6',
    ]);
    // Comments and blank lines inside the block are skipped; tabs and CRLF read like spaces and LF.
    assert.deepEqual(at('ddx:\r\n  # note\r\n\r\n  id:\t"Q" # x\r\n  depends_on: [ R , \'S\' ]'), [
      'Q@4:7',
      'R@5:16',
      'S@5:21',
    ]);
  });

  it('reads positions alike from the fast metadata path and from the block lines', () => {
    // Every combination of the forms below, under front matter and after a title, LF and CRLF:
    // where the fast path read the block, its key positions must give what a scan of the lines gives.
    const ids = ['id: A-1', "id: 'A-1'", 'id: "A.b"', 'id: 0012', 'id:   Z  ', '# no id'];
    const deps = [
      'depends_on:\n    - B-1\n    - "C-2"\n    - 7',
      "depends_on: [B-1, 'C-2', D]",
      'depends_on: B-1',
      'depends_on: []',
      'depends_on:',
      'depends_on:\n  - B-1\n\n  - B-1',
    ];
    const reviews = ['', 'review: 2026-01-02', 'review: "x" # c', 'review:\n    - a\n    - b', 'review: x\n'];
    let fast = 0;
    let n = 0;
    for (const id of ids)
      for (const dep of deps)
        for (const review of reviews)
          for (const [before, after] of [
            ['---\n', '---\n# T\n'],
            ['# T\n\n---\ntitle: T\n', 'status: draft\n---\n'],
          ])
            for (const eol of ['\n', '\r\n']) {
              const body = ['ddx:', `  ${id}`, `  ${dep}`, review ? `  ${review}` : '', '  type: spec'].join(
                '\n',
              );
              const text = `${before}${body}\n${after}`.replace(/\n/g, eol);
              const lines = new LineIndex(text);
              const meta = parseMetadata(text, lines, locateMetadata(lines), []);
              const layout = { fast: false, nested: new Map() };
              parseMetadata(text, lines, locateMetadata(lines), [], { layout });
              if (layout.nested.has('ddx')) fast++;
              const show = (d: ReturnType<typeof parseDdx>) =>
                d && {
                  ...d,
                  id: d.id && [d.id.id, d.id.range],
                  dependsOn: d.dependsOn.map((r) => [r.id, r.range]),
                };
              assert.deepEqual(
                show(parseDocument('file:///a.md', text).ddx),
                show(parseDdx(lines, meta)),
                text,
              );
              n++;
            }
    assert.equal(n, 720);
    assert.ok(fast >= n / 2, `the fast path read ${fast} of ${n} blocks`);
  });

  it('places the ids of superseded_by and supersedes where they are written, alike on every path', () => {
    for (const text of [
      '---\nddx:\n  id: ADR-3\n  superseded_by: "ADR-4"\n  supersedes:\n    - ADR-1\n    - \'ADR-2\'\n---\n# A\n',
      '---\nddx:\n  id: ADR-3\n  superseded_by: ADR-4 # newer\n  supersedes: [ADR-1, "ADR-2"]\n---\n# A\n',
      '---\nddx: {id: ADR-3, superseded_by: ADR-4, supersedes: [ADR-1, ADR-2]}\n---\n# A\n',
    ]) {
      const lines = new LineIndex(text);
      const meta = parseMetadata(text, lines, locateMetadata(lines), []);
      const shown = (d: ReturnType<typeof parseDdx>) =>
        (d?.lineage ?? []).map((r) => [
          r.id,
          lines.lineText(r.range.start.line).slice(r.range.start.character, r.range.end.character),
        ]);
      const want = [
        ['ADR-4', 'ADR-4'],
        ['ADR-1', 'ADR-1'],
        ['ADR-2', 'ADR-2'],
      ];
      const doc = parseDocument('file:///a.md', text);
      assert.deepEqual(shown(doc.ddx), want, text);
      assert.deepEqual(shown(parseDdx(lines, meta)), want, text);
      // The same after a round trip to a parse worker.
      const sink: PackSink = { nums: [], strs: [], plain: [] };
      const rest = packItems(doc, sink);
      const back = unpackItems(structuredClone(rest), { ...structuredClone(sink), n: 0, s: 0, p: 0 });
      assert.deepEqual(shown(back.ddx), want, text);
    }
  });

  it('an inline review followed by a blank line keeps its text', () => {
    const d = parseDocument(
      'file:///a.md',
      '---\nddx:\n  id: A\n  review: 2026-01-02\n\n  status: draft\n---\n',
    ).ddx!;
    assert.equal(d.review, '2026-01-02');
  });

  it('keeps the block in doc.ddx only: metadata.data holds the other keys', () => {
    for (const yaml of ['ddx:\n  id: A-1\n  depends_on: [B-2]', 'ddx: {id: A-1, depends_on: [B-2]}']) {
      const doc = parseDocument('file:///a.md', `---\ntitle: T\n${yaml}\nphase: frame\n---\n# T\n`);
      assert.deepEqual(doc.metadata.data, { title: 'T', phase: 'frame' }, yaml);
      assert.deepEqual(
        doc.metadata.entries.map((e) => e.key),
        ['title', 'ddx', 'phase'],
        yaml,
      );
      assert.equal(doc.ddx?.id?.id, 'A-1', yaml);
      assert.deepEqual(
        doc.ddx?.dependsOn.map((r) => r.id),
        ['B-2'],
        yaml,
      );
    }
    // a ddx value that is not a block is no DDX block: it stays data
    assert.deepEqual(parseDocument('file:///a.md', '---\nddx: 3\n---\n').metadata.data, { ddx: 3 });
  });

  it('an own __proto__ key beside the block stays data and sets no prototype', () => {
    const doc = parseDocument('file:///a.md', '---\n"__proto__": {polluted: 1}\nddx:\n  id: A-1\n---\n');
    assert.equal(doc.ddx?.id?.id, 'A-1');
    assert.equal(Object.getPrototypeOf(doc.metadata.data), Object.prototype);
    assert.equal((doc.metadata.data as { polluted?: unknown }).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(doc.metadata.data, '__proto__')?.value, { polluted: 1 });
    // nor can it make a document look like a template
    const t = parseDocument('file:///a.md', '---\n"__proto__": {template: true}\nddx:\n  id: A-1\n---\n');
    assert.equal(t.metadata.data.template, undefined);
  });

  it('ignores a ddx value that is not a mapping and keeps invalid YAML a metadata error', () => {
    assert.equal(parseDocument('file:///a.md', '---\nddx: 3\n---\n').ddx, undefined);
    const bad = parseDocument('file:///a.md', '---\nddx:\n  id: [unclosed\n---\n');
    assert.equal(bad.ddx, undefined);
    assert.ok(bad.metadata.errors.length > 0);
  });

  it('keeps no string that shares memory with the document text', () => {
    // A kept id sliced from a 1 MB text would keep it alive; ids are copied (checked by value and identity of content).
    const d = parseDocument('file:///a.md', ddx('SOME-LONG-IDENTIFIER-0001', ['OTHER-LONG-IDENTIFIER-0002']))
      .ddx!;
    assert.equal(d.id?.id, 'SOME-LONG-IDENTIFIER-0001');
    assert.equal(d.dependsOn[0].id, 'OTHER-LONG-IDENTIFIER-0002');
  });
});

describe('resolution by id', () => {
  it('an id names its document before a file name does', async () => {
    const files = {
      'a.md': '[[FEAT-004]]',
      'docs/feat-004.md': '# a file named like the id\n',
      'specs/login.md': ddx('FEAT-004'),
    };
    assert.equal(await resolveIn(files, 'a.md', 'FEAT-004'), 'specs/login.md');
  });

  it('ids are exact: another case falls back to names', async () => {
    const files = { 'a.md': '', 'docs/feat-004.md': '', 'specs/login.md': ddx('FEAT-004') };
    assert.equal(await resolveIn(files, 'a.md', 'feat-004'), 'docs/feat-004.md');
    assert.equal(
      await resolveIn({ 'a.md': '', 'specs/login.md': ddx('FEAT-004') }, 'a.md', 'Feat-004'),
      'broken',
    );
  });

  it('dun: ids and ids with dots resolve, with #heading and |alias', async () => {
    const { analysis, ws } = await check({
      'a.md': '[[helix.prd#Goals|the PRD]] [[helix.prd]]',
      'prd/template.md': '---\ndun:\n  id: helix.prd\n---\n# PRD\n\n## Goals\n',
    });
    const a = analysis.index.get(ws.uri('a.md'))!;
    const [withHeading, plain] = a.doc.links;
    const r = analysis.index.resolve(a, withHeading);
    assert.equal(r.status === 'resolved' && r.target.rel, 'prd/template.md');
    assert.equal(r.status === 'resolved' && r.heading?.text, 'Goals');
    const r2 = analysis.index.resolve(a, plain);
    assert.equal(r2.status === 'resolved' && r2.target.rel, 'prd/template.md');
    assert.equal(
      (await check({ 'a.md': '[[helix.prd]]', 'p.md': ddx('helix.prd') })).of('broken-link').length,
      0,
    );
  });

  it('a broken link written like an id says no document has that id or name', async () => {
    const c = await check({
      'a.md':
        '[[helix.missing]] [[FEAT-004#Scope]] [[ADR-12|decision]] [[release plan]] [[nowhere]] [[notes.md]]\n',
      'p.md': ddx('helix.prd'),
    });
    assert.deepEqual(c.of('broken-link'), [
      'a.md:1:1 [[helix.missing]] does not resolve: no document with that id or name.',
      'a.md:1:19 [[FEAT-004#Scope]] does not resolve: no document with that id or name.',
      'a.md:1:38 [[ADR-12|decision]] does not resolve: no document with that id or name.',
      'a.md:1:58 [[release plan]] does not resolve: no document with that name.',
      'a.md:1:75 [[nowhere]] does not resolve: no document with that name.',
      'a.md:1:87 [[notes.md]] does not resolve: no document with that name.',
    ]);
  });

  it('backlinks of a document include links by its id', async () => {
    const { analysis, ws } = await check({ 'a.md': 'see [[FEAT-1]]', 'x/spec.md': ddx('FEAT-1') });
    const target = analysis.index.get(ws.uri('x/spec.md'))!;
    assert.deepEqual(
      analysis.index.backlinks(target).map((b) => b.from.rel),
      ['a.md'],
    );
  });

  it('a changed id is seen by resolution at once', async () => {
    const { analysis, ws } = await check({ 'a.md': '[[NEW]]', 'b.md': ddx('OLD') });
    const a = analysis.index.get(ws.uri('a.md'))!;
    assert.equal(analysis.index.resolve(a, { target: 'NEW' }).status, 'broken');
    analysis.index.set(ws.uri('b.md'), ddx('NEW'));
    assert.equal(analysis.index.resolve(a, { target: 'NEW' }).status, 'resolved');
  });
});

describe('id rules', () => {
  it('duplicate-id: an id shared by three documents is an error on each, related to the others', async () => {
    const c = await check({
      'a.md': ddx('X-1'),
      'b.md': ddx('X-1'),
      'c/d.md': ddx('X-1'),
      'e.md': ddx('X-2'),
    });
    assert.deepEqual(c.of('duplicate-id'), [
      'a.md:3:7 Id "X-1" is declared by 3 documents: a.md, b.md, c/d.md.',
      'b.md:3:7 Id "X-1" is declared by 3 documents: a.md, b.md, c/d.md.',
      'c/d.md:3:7 Id "X-1" is declared by 3 documents: a.md, b.md, c/d.md.',
    ]);
    const f = c.findings.find((x) => x.code === 'duplicate-id' && x.uri === c.ws.uri('a.md'))!;
    assert.equal(f.severity, 'error');
    assert.deepEqual(
      f.related!.map((r) => r.uri),
      [c.ws.uri('b.md'), c.ws.uri('c/d.md')],
    );
    // A link by that id goes to the first in path order: no ambiguous-link beside the error.
    const linked = await check({ 'a.md': ddx('X-1'), 'b.md': ddx('X-1'), 'n.md': '# N\n\n[[X-1]]\n' });
    assert.deepEqual(linked.of('ambiguous-link'), []);
    const n = linked.analysis.index.get(linked.ws.uri('n.md'))!;
    const r = linked.analysis.index.resolve(n, n.doc.links[0]);
    assert.equal(r.status === 'resolved' && r.target.rel, 'a.md');
  });

  it('projects of one repository keep their own ids: no duplicate-id, links and depends_on reach their own', async () => {
    const files: Record<string, string> = {};
    for (const p of ['api', 'web']) {
      const dir = `packages/${p}/docs/helix/01-frame`;
      files[`${dir}/README.md`] = '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD [[helix.prd]]\n';
      files[`${dir}/prd.md`] = ddx('helix.prd', [], { body: '[[FEAT-001]]' });
      files[`${dir}/FEAT-001.md`] = ddx('FEAT-001', ['helix.prd']);
    }
    // Outside every project, a second declaration in the same place is still a duplicate.
    files['notes/a.md'] = ddx('N-1');
    files['notes/b.md'] = ddx('N-1');
    const c = await check(files);
    assert.deepEqual(
      c.of('duplicate-id').map((f) => f.split(' ')[0]),
      ['notes/a.md:3:7', 'notes/b.md:3:7'],
    );
    for (const p of ['api', 'web']) {
      const dir = `packages/${p}/docs/helix/01-frame`;
      for (const [from, target] of [
        ['README.md', 'helix.prd'],
        ['prd.md', 'FEAT-001'],
      ]) {
        const e = c.analysis.index.get(c.ws.uri(`${dir}/${from}`))!;
        const r = c.analysis.index.resolve(e, { target });
        assert.equal(
          r.status === 'resolved' && r.target.rel,
          `${dir}/${target === 'helix.prd' ? 'prd' : target}.md`,
        );
      }
      const feat = c.analysis.index.get(c.ws.uri(`${dir}/FEAT-001.md`))!;
      assert.equal(c.analysis.index.ids.nearest(feat, 'helix.prd')?.rel, `${dir}/prd.md`);
    }
    assert.deepEqual(c.of('ambiguous-link'), [], 'each project names its own');
    // From outside both projects the id could mean either: said, with a fix per project.
    const root = await check({
      ...files,
      'README.md': '# Index\n\nSee [[helix.prd]].\n',
      'packages/api/NOTES.md': '[[helix.prd]]\n',
      // A dependency from there too (one written as a wikilink is that link, said once).
      'roadmap.md': ddx('R-1', ['helix.prd', '"[[helix.prd]]"']),
      'packages/web/plan.md': ddx('P-1', ['helix.prd']),
    });
    assert.deepEqual(root.of('ambiguous-link'), [
      'README.md:3:7 [[helix.prd]] matches 2 documents equally near: packages/api/docs/helix/01-frame/prd.md, packages/web/docs/helix/01-frame/prd.md; using packages/api/docs/helix/01-frame/prd.md.',
      'roadmap.md:5:7 depends_on "helix.prd" is declared equally near in 2 workflow instances: packages/api/docs/helix/01-frame/prd.md, packages/web/docs/helix/01-frame/prd.md; using packages/api/docs/helix/01-frame/prd.md.',
      'roadmap.md:6:10 [[helix.prd]] matches 2 documents equally near: packages/api/docs/helix/01-frame/prd.md, packages/web/docs/helix/01-frame/prd.md; using packages/api/docs/helix/01-frame/prd.md.',
    ]);
    const f = root.findings.find((x) => x.code === 'ambiguous-link')!;
    assert.deepEqual(
      f.fixes?.map((x) => (x.kind === 'edit' ? x.edits[0].newText : x.kind)),
      ['packages/api/docs/helix/01-frame/prd', 'packages/web/docs/helix/01-frame/prd'],
    );
  });

  it('projects without phase documents keep their own ids too; dependencies, dependents and cycles stay in the project', async () => {
    const files: Record<string, string> = {};
    for (const p of ['api', 'web']) {
      const dir = `packages/${p}/docs/helix/02-design`;
      files[`${dir}/architecture.md`] = ddx('helix.architecture', p === 'web' ? ['ADR-001'] : []);
      files[`${dir}/adr/ADR-001.md`] = ddx('ADR-001', p === 'api' ? ['helix.architecture'] : []);
    }
    const c = await check(files);
    assert.deepEqual(c.of('duplicate-id'), []);
    assert.deepEqual(c.of('dependency-cycle'), [], 'no cycle across the two projects');
    const at = (rel: string) => c.analysis.index.get(c.ws.uri(rel))!;
    const apiArch = at('packages/api/docs/helix/02-design/architecture.md');
    const apiAdr = at('packages/api/docs/helix/02-design/adr/ADR-001.md');
    assert.deepEqual(
      c.analysis.index.ids.dependentsOfDoc(apiArch).map((e) => e.rel),
      ['packages/api/docs/helix/02-design/adr/ADR-001.md'],
    );
    assert.deepEqual(
      c.analysis.index.ids
        .dependenciesOf(at('packages/web/docs/helix/02-design/architecture.md'))
        .map((e) => e.rel),
      ['packages/web/docs/helix/02-design/adr/ADR-001.md'],
    );
    assert.deepEqual(c.analysis.index.ids.dependentsOfDoc(apiAdr), []);
  });

  it("a workspace's templates declare no id and name no missing one; a placeholder left in a document is said", async () => {
    const files: Record<string, string> = {
      'templates/adr.md': ddx('ADR-{{number}}'),
      'templates/adr-lite.md': ddx('ADR-{{number}}'),
      'templates/feature.md': ddx('FEAT-XXX', ['helix.prd', 'ADR-XXX']),
      'templates/feature/lite.md': ddx('FEAT-XXX', ['"[[{{prd}}]]"']),
      'docs/helix/01-frame/prd.md': ddx('helix.prd'),
      'docs/helix/01-frame/FEAT-001.md': ddx('FEAT-001', ['"{{depends_on}}"', 'helix.prd', 'GONE-1']),
    };
    const c = await check(files);
    assert.deepEqual(c.of('duplicate-id'), []);
    assert.deepEqual(c.of('missing-dependency'), [
      'docs/helix/01-frame/FEAT-001.md:5:8 depends_on "{{depends_on}}" is a template\'s placeholder left unfilled: write the id of the document this one depends on.',
      'docs/helix/01-frame/FEAT-001.md:7:7 depends_on "GONE-1": no document has this id.',
    ]);
    // Outside a templates folder, an id declared twice still clashes (a placeholder too).
    const twice = await check({
      ...files,
      'notes/a.md': ddx('ADR-1'),
      'notes/b.md': ddx('ADR-1'),
      'docs/c.md': ddx('X-{{n}}'),
      'docs/d.md': ddx('X-{{n}}'),
    });
    assert.equal(twice.of('duplicate-id').length, 4);
  });

  it("a workflow definition's ids are its own: work under way never reaches a template by id", async () => {
    const lib = 'library/workflows/helix';
    const files: Record<string, string> = {
      [`${lib}/workflow.yml`]: 'name: helix\n',
      [`${lib}/phases/01-frame/README.md`]: '# Frame\n\n## Exit Criteria\n\n- [ ] Feature [[FEAT-001]]\n',
      [`${lib}/phases/01-frame/feature.md`]: ddx('FEAT-001'),
      [`${lib}/phases/02-design/README.md`]: '# Design\n\n## Exit Criteria\n\n- [ ] Design\n',
      [`${lib}/phases/02-design/design.md`]: ddx('DES-001', ['FEAT-001'], { body: 'See [[FEAT-001]].' }),
      'docs/helix/01-frame/README.md': '# Frame\n\n## Exit Criteria\n\n- [x] Framed\n',
      'docs/helix/02-design/README.md': '# Design\n\n## Exit Criteria\n\n- [ ] Designed\n',
      'docs/helix/02-design/arch.md': ddx('ARCH-001', ['FEAT-001'], { body: 'Builds on [[FEAT-001]].' }),
      'notes/idea.md': ddx('IDEA-1', ['DES-001']),
    };
    const c = await check(files);
    assert.deepEqual(c.of('missing-dependency'), [
      'docs/helix/02-design/arch.md:5:7 depends_on "FEAT-001": no document has this id (only a workflow definition\'s template declares it).',
      'notes/idea.md:5:7 depends_on "DES-001": no document has this id (only a workflow definition\'s template declares it).',
    ]);
    assert.deepEqual(
      c.of('broken-link').map((f) => f.split(' ')[0]),
      ['docs/helix/02-design/arch.md:9:11'],
    );
    const at = (rel: string) => c.analysis.index.get(c.ws.uri(rel))!;
    const feature = at(`${lib}/phases/01-frame/feature.md`);
    // Inside the definition, links and dependencies keep reaching its documents.
    for (const from of [`${lib}/phases/02-design/design.md`, `${lib}/phases/01-frame/README.md`]) {
      const r = c.analysis.index.resolve(at(from), { target: 'FEAT-001' });
      assert.equal(r.status === 'resolved' && r.target, feature, from);
    }
    assert.deepEqual(
      c.analysis.index.ids.dependentsOfDoc(feature).map((e) => e.rel),
      [`${lib}/phases/02-design/design.md`],
    );
    assert.equal(c.analysis.index.ids.nearest(at('docs/helix/02-design/arch.md'), 'FEAT-001'), undefined);
    // The project's own FEAT-001 is what its documents reach.
    const own = await check({ ...files, 'docs/helix/01-frame/FEAT-001.md': ddx('FEAT-001') });
    assert.deepEqual(
      own.of('missing-dependency').map((f) => f.split(' ')[0]),
      ['notes/idea.md:5:7'],
    );
    assert.deepEqual(own.of('broken-link'), []);
    // A template naming an id only a project declares is told so, not that a template declares it.
    const reverse = await check({
      ...files,
      [`${lib}/phases/02-design/login.md`]: ddx('LOGIN-TPL', ['LOGIN-1']),
      'docs/helix/01-frame/login.md': ddx('LOGIN-1'),
    });
    assert.deepEqual(
      reverse.of('missing-dependency').filter((m) => m.includes('LOGIN-1')),
      [
        `${lib}/phases/02-design/login.md:5:7 depends_on "LOGIN-1": no document has this id (a project's document declares it; a workflow definition's templates name only their own ids).`,
      ],
    );
    const arch = own.analysis.index.get(own.ws.uri('docs/helix/02-design/arch.md'))!;
    const r = own.analysis.index.resolve(arch, { target: 'FEAT-001' });
    assert.equal(r.status === 'resolved' && r.target.rel, 'docs/helix/01-frame/FEAT-001.md');
    // Nor does a template reach the project's: the project's id has only project dependents.
    const ownIndex = own.analysis.index;
    const projectFeature = ownIndex.get(own.ws.uri('docs/helix/01-frame/FEAT-001.md'))!;
    assert.deepEqual(
      ownIndex.ids.dependentsOfDoc(projectFeature).map((e) => e.rel),
      ['docs/helix/02-design/arch.md'],
    );
    const design = ownIndex.get(own.ws.uri(`${lib}/phases/02-design/design.md`))!;
    assert.equal(ownIndex.ids.nearest(design, 'FEAT-001')?.rel, `${lib}/phases/01-frame/feature.md`);
    const noTemplate = await check({
      ...files,
      [`${lib}/phases/01-frame/feature.md`]: '# Feature template\n',
      'docs/helix/01-frame/FEAT-001.md': ddx('FEAT-001'),
    });
    const design2 = noTemplate.analysis.index.get(noTemplate.ws.uri(`${lib}/phases/02-design/design.md`))!;
    assert.equal(noTemplate.analysis.index.ids.nearest(design2, 'FEAT-001'), undefined);
  });

  it('a definition at the top of the workspace folder covers its own folders, never the project beside it', async () => {
    const project = {
      'docs/helix/01-frame/README.md':
        '# Phase 01: Frame\n\nSee [[helix.prd]].\n\n## Exit Criteria\n\n- [ ] a\n',
      'docs/helix/01-frame/a.md': ddx('FEAT-1'),
      'docs/helix/01-frame/b.md': ddx('FEAT-1'),
      'docs/helix/02-design/README.md': ddx('helix.design', ['helix.prd']),
      'notes/x.md': ddx('NOTE-1', [], { body: 'See [[helix.prd]].' }),
      'notes/y.md': ddx('NOTE-1'),
    };
    const expected = {
      duplicate: [
        'docs/helix/01-frame/a.md:3:7',
        'docs/helix/01-frame/b.md:3:7',
        'notes/x.md:3:7',
        'notes/y.md:3:7',
      ],
      missing: ['docs/helix/02-design/README.md:5:7'],
      broken: ['docs/helix/01-frame/README.md:3:5', 'notes/x.md:7:5'],
    };
    const findings = (c: Awaited<ReturnType<typeof check>>) => ({
      duplicate: c.of('duplicate-id').map((f) => f.split(' ')[0]),
      missing: c.of('missing-dependency').map((f) => f.split(' ')[0]),
      broken: c.of('broken-link').map((f) => f.split(' ')[0]),
    });
    // A workflow.yml beside phases/: its phases, artifacts and templates are the definition's.
    const library = {
      'workflow.yml': 'name: helix\n',
      'README.md': ddx('helix.workflow', ['helix.prd']),
      'phases/01-frame/README.md': '# Phase 01: Frame\n\nSee [[helix.prd]].\n\n## Exit Criteria\n\n- [ ] a\n',
      'phases/01-frame/artifacts/prd/template.md': ddx('helix.prd'),
      'phases/01-frame/artifacts/prd/example.md': ddx('helix.prd.example'),
      'phases/01-frame/artifacts/feature/template.md': ddx('helix.feature'),
      'phases/01-frame/artifacts/feature/other.md': ddx('helix.feature'),
      'phases/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] b\n',
      'templates/review.md': ddx('helix.review', ['helix.prd']),
    };
    const withYml = await check({ ...project, ...library });
    assert.deepEqual(
      withYml.analysis.workflows().map((w) => [w.id, w.definition]),
      [
        ['docs/helix', false],
        ['phases', true],
      ],
    );
    assert.deepEqual(findings(withYml), expected);
    // The definition's documents still reach its ids, and its own clashes are not reported.
    const at = (rel: string) => withYml.analysis.index.get(withYml.ws.uri(rel))!;
    for (const from of ['README.md', 'phases/01-frame/README.md', 'templates/review.md'])
      assert.equal(
        withYml.analysis.index.ids.nearest(at(from), 'helix.prd')?.rel,
        'phases/01-frame/artifacts/prd/template.md',
        from,
      );
    for (const rel of ['docs/helix/01-frame/a.md', 'notes/x.md'])
      assert.equal(withYml.analysis.isDefinitionDocument(at(rel)), false, rel);
    for (const rel of ['README.md', 'phases/01-frame/artifacts/prd/example.md', 'templates/review.md'])
      assert.equal(withYml.analysis.isDefinitionDocument(at(rel)), true, rel);
    // Phase documents marked `template: true` at the top: the documents there are the definition's.
    const marked = (n: string, name: string) =>
      `---\ntemplate: true\nddx:\n  id: helix.${name.toLowerCase()}\n---\n# Phase ${n}: ${name}\n\n## Exit Criteria\n\n- [ ] a\n`;
    const withMarks = await check({
      ...project,
      '01-frame.md': marked('01', 'Frame'),
      '02-design.md': marked('02', 'Design'),
      'prd.md': ddx('helix.prd'),
    });
    assert.deepEqual(
      withMarks.analysis.workflows().map((w) => [w.id, w.definition]),
      [
        ['docs/helix', false],
        [withMarks.analysis.workflows()[1].id, true],
      ],
    );
    assert.deepEqual(findings(withMarks), expected);
  });

  it("work under way inside the folder of a definition is the project's, not the definition's", async () => {
    const c = await check({
      'kit/workflow.yml': 'name: helix\n',
      'kit/README.md': ddx('helix.workflow', ['helix.prd']),
      'kit/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'kit/phases/01-frame/artifacts/prd/template.md': ddx('helix.prd'),
      'kit/actions/check.md': ddx('helix.action.check', ['helix.prd']),
      'kit/docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'kit/docs/helix/01-frame/a.md': ddx('FEAT-1', ['helix.prd']),
      'kit/docs/helix/01-frame/b.md': ddx('FEAT-1'),
    });
    assert.deepEqual(
      c.of('duplicate-id').map((f) => f.split(' ')[0]),
      ['kit/docs/helix/01-frame/a.md:3:7', 'kit/docs/helix/01-frame/b.md:3:7'],
    );
    assert.deepEqual(
      c.of('missing-dependency').map((f) => f.split(' ')[0]),
      ['kit/docs/helix/01-frame/a.md:5:7'],
    );
  });

  it('a phase that becomes a template takes its ids out of reach at once, and back', async () => {
    const phase = (template: boolean) =>
      `---\n${template ? 'template: true\n' : ''}ddx:\n  id: FEAT-001\n---\n# Frame\n\n## Exit Criteria\n\n- [ ] a\n`;
    const c = await check({
      'wf/01-frame.md': phase(false),
      'docs/arch.md': ddx('ARCH-001', ['FEAT-001'], { body: 'See [[FEAT-001]].' }),
    });
    const index = c.analysis.index;
    const arch = () => index.get(c.ws.uri('docs/arch.md'))!;
    const codes = () =>
      c.analysis
        .check(arch())
        .map((f) => f.code)
        .filter((code) => code === 'broken-link' || code === 'missing-dependency');
    assert.deepEqual(codes(), []);
    assert.equal(index.backlinks(index.get(c.ws.uri('wf/01-frame.md'))!).length, 1);
    index.set(c.ws.uri('wf/01-frame.md'), phase(true));
    assert.deepEqual(codes(), ['missing-dependency', 'broken-link']);
    assert.deepEqual(index.backlinks(index.get(c.ws.uri('wf/01-frame.md'))!), []);
    assert.deepEqual(index.ids.dependenciesOf(arch()), []);
    index.set(c.ws.uri('wf/01-frame.md'), phase(false));
    assert.deepEqual(codes(), []);
    assert.equal(index.ids.dependenciesOf(arch())[0]?.rel, 'wf/01-frame.md');
  });

  it('a document outside every instance clashes with an instance declaring the same id', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'docs/helix/01-frame/feat-login.md': ddx('FEAT-001'),
      'docs/features/feat-search.md': ddx('FEAT-001'),
    });
    assert.deepEqual(
      c.of('duplicate-id').map((f) => f.split(' ')[0]),
      ['docs/features/feat-search.md:3:7', 'docs/helix/01-frame/feat-login.md:3:7'],
    );
  });

  it('ids YAML would read as numbers are the text written: 1.10 is not 1.1, 0x1F is not 31', async () => {
    const c = await check({
      'a.md': ddx('1.10'),
      'b.md': ddx('1.1'),
      'c.md': ddx('0x1F', ['010', '1.10', '1.1'], { body: '[[1.10]] [[0x1F]]' }),
      'd.md': '---\nddx: {id: "2", depends_on: [1.10, 0x1F, 1.0]}\n---\n',
    });
    assert.deepEqual(c.of('duplicate-id'), []);
    assert.deepEqual(c.of('broken-link'), []);
    assert.deepEqual(c.of('missing-dependency'), [
      'c.md:5:7 depends_on "010": no document has this id.',
      'd.md:2:41 depends_on "1.0": no document has this id.',
    ]);
    const ids = (rel: string) => {
      const e = c.analysis.index.get(c.ws.uri(rel))!;
      return [e.doc.ddx?.id?.id, ...(e.doc.ddx?.dependsOn ?? []).map((d) => d.id)];
    };
    assert.deepEqual(ids('a.md'), ['1.10']);
    assert.deepEqual(ids('c.md'), ['0x1F', '010', '1.10', '1.1']);
    assert.deepEqual(ids('d.md'), ['2', '1.10', '0x1F', '1.0']);
  });

  it('missing-dependency: on the entry line, for a list and for a single string', async () => {
    const c = await check({
      'a.md': ddx('A', ['B', 'NOPE']),
      'b.md': ddx('B'),
      'c.md': '---\ndun:\n  id: C\n  depends_on: GONE\n---\n',
      // no id of its own: its entries are checked all the same
      'd.md': '---\nddx:\n  depends_on: [B, GONE, A]\n---\n',
    });
    assert.deepEqual(c.of('missing-dependency'), [
      'a.md:6:7 depends_on "NOPE": no document has this id.',
      'c.md:4:15 depends_on "GONE": no document has this id.',
      'd.md:3:19 depends_on "GONE": no document has this id.',
    ]);
    assert.equal(c.findings.find((f) => f.code === 'missing-dependency')!.severity, 'warning');
  });

  it('a depends_on entry written as a wikilink is one dependency: one finding, not a link finding besides', async () => {
    const c = await check({
      'arch.md':
        '---\nddx:\n  id: ARCH-1\n  depends_on:\n    - "[[FEAT-001]]"\n    - "[[FEAT-002]]"\n    - "[[FEAT-003|the feature]]"\n---\n# Arch\n\nSee [[FEAT-009]].\n',
      'f2.md': '---\nddx:\n  id: FEAT-002\n  status: superseded\n---\n# F2\n',
      'f3.md': ddx('FEAT-003'),
      'flow.md': '---\nddx: {id: FLOW, depends_on: ["[[GONE]]", FEAT-003]}\n---\n',
    });
    const codes = c.findings.map((f) => `${f.code} ${f.range.start.line + 1}:${f.range.start.character + 1}`);
    assert.deepEqual(codes, [
      'missing-dependency 5:10',
      'superseded-link 6:10',
      // A wikilink in the body is a link, as ever.
      'broken-link 11:5',
      'missing-dependency 2:33',
    ]);
    // Still links: a dependency written as one leads to its document.
    const arch = c.analysis.index.get(c.ws.uri('arch.md'))!;
    const r = c.analysis.index.resolve(arch, arch.doc.links.find((l) => l.target === 'FEAT-003')!);
    assert.equal(r.status === 'resolved' && r.target.rel, 'f3.md');
  });

  it('dependency-cycle: every document of a cycle of three, named in order', async () => {
    const c = await check({
      'a.md': ddx('A', ['B']),
      'b.md': ddx('B', ['C']),
      'c.md': ddx('C', ['A']),
      'd.md': ddx('D', ['A']),
    });
    assert.deepEqual(c.of('dependency-cycle'), [
      'a.md:5:7 Dependency cycle: A → B → C → A.',
      'b.md:5:7 Dependency cycle: B → C → A → B.',
      'c.md:5:7 Dependency cycle: C → A → B → C.',
    ]);
  });

  it('dependency-cycle: a document depending on itself', async () => {
    const c = await check({ 'a.md': ddx('A', ['B', 'A']), 'b.md': ddx('B') });
    assert.deepEqual(c.of('dependency-cycle'), ['a.md:6:7 "A" depends on itself.']);
  });

  it('dependency-cycle: a cycle of 5,000 documents is found without exhausting the stack', async () => {
    const files: Record<string, string> = {};
    const n = 5000;
    for (let i = 0; i < n; i++) files[`d${i}.md`] = ddx(`N${i}`, [`N${(i + 1) % n}`]);
    files['tail.md'] = ddx('TAIL', ['N0']);
    const c = await check(files);
    const found = c.of('dependency-cycle');
    assert.equal(found.length, n);
    assert.match(
      found[0],
      /^d0\.md:5:7 Dependency cycle: "N0" is one of 5000 documents that depend on each other \(N0, N1, N10, /,
    );
    assert.ok(!found.some((f) => f.startsWith('tail.md')));
  });

  it('dependency-cycle: a long chain without a cycle reports nothing', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`d${i}.md`] = ddx(`N${i}`, i > 0 ? [`N${i - 1}`] : []);
    assert.deepEqual((await check(files)).of('dependency-cycle'), []);
  });

  it('superseded-link: a link or dependency to a superseded document names its successor', async () => {
    const c = await check({
      'a.md': ddx('A', ['OLD'], { body: 'See [[OLD]] and [[DEP]].' }),
      'old.md': ddx('OLD', [], { status: 'superseded', supersededBy: 'NEW' }),
      'dep.md': ddx('DEP', [], { status: 'Deprecated' }),
      // The successor links what it replaces: provenance, not a link to fix.
      'new.md': ddx('NEW', ['OLD'], { body: 'Replaces [[OLD]]; see also [[DEP]].' }),
    });
    assert.deepEqual(c.of('superseded-link'), [
      'a.md:5:7 depends_on "OLD" is superseded; use "NEW" instead.',
      'a.md:9:7 [[OLD]] is superseded; use "NEW" instead.',
      'a.md:9:19 [[DEP]] is deprecated.',
      'new.md:9:30 [[DEP]] is deprecated.',
    ]);
    assert.equal(c.findings.find((f) => f.code === 'superseded-link')!.severity, 'hint');
    // Only the document superseded_by reaches is its successor: not one whose id differs
    // in case, nor another product's document with the same id.
    const other = await check({
      'old.md': ddx('OLD', [], { status: 'superseded', supersededBy: 'NEW' }),
      'new.md': ddx('NEW', ['OLD']),
      'x/case.md': ddx('new', ['OLD']),
      'b/old-b.md': ddx('OLD-B', [], { status: 'superseded', supersededBy: 'NEW-B' }),
      'b/new-b.md': ddx('NEW-B'),
      'c/new-b.md': ddx('NEW-B', ['OLD-B']),
    });
    assert.deepEqual(other.of('superseded-link'), [
      'c/new-b.md:5:7 depends_on "OLD-B" is superseded; use "NEW-B" instead.',
      'x/case.md:5:7 depends_on "OLD" is superseded; use "NEW" instead.',
    ]);
  });

  it('a superseded_by or supersedes value naming no id is a missing-dependency, and no successor to use', async () => {
    const c = await check({
      'f1.md': '---\nddx: {id: FEAT-001, status: Superseded, superseded_by: FEAT-099}\n---\n# F1\n',
      'f3.md': '---\nddx: {id: FEAT-003, depends_on: ["[[ FEAT-001 ]]"]}\n---\n# F3\n\nSee [[FEAT-001]].\n',
      'f4.md':
        '---\nddx:\n  id: FEAT-004\n  superseded_by: "[[FEAT-003]]"\n  supersedes:\n    - FEAT-001\n    - "FEAT-077"\n---\n# F4\n',
      'f5.md':
        '---\nddx:\n  id: FEAT-005\n  status: deprecated\n  superseded_by: "{{successor}}"\n---\n# F5\n',
    });
    assert.deepEqual(c.of('missing-dependency'), [
      'f1.md:2:56 superseded_by "FEAT-099": no document has this id.',
      'f4.md:7:8 supersedes "FEAT-077": no document has this id.',
      `f5.md:5:19 superseded_by "{{successor}}" is a template's placeholder left unfilled: write the id of the document that supersedes this one.`,
    ]);
    // Superseded all the same, but "use FEAT-099 instead" would send the reader nowhere.
    assert.deepEqual(c.of('superseded-link'), [
      'f3.md:2:38 depends_on "FEAT-001" is superseded; its successor "FEAT-099" is not found.',
      'f3.md:6:7 [[FEAT-001]] is superseded; its successor "FEAT-099" is not found.',
    ]);
    // Once declared, the successor is named again.
    const ok = await check({
      'f1.md': '---\nddx: {id: FEAT-001, status: Superseded, superseded_by: FEAT-099}\n---\n# F1\n',
      'f3.md': '---\nddx: {id: FEAT-003, depends_on: ["[[ FEAT-001 ]]"]}\n---\n# F3\n',
      'f9.md': ddx('FEAT-099'),
    });
    assert.deepEqual(ok.of('missing-dependency'), []);
    assert.deepEqual(ok.of('superseded-link'), [
      'f3.md:2:38 depends_on "FEAT-001" is superseded; use "FEAT-099" instead.',
    ]);
  });

  it('an id naming a declared one in other letter case says so: ids match exactly', async () => {
    const c = await check({
      'f2.md': ddx('FEAT-002'),
      'f2b.md': ddx('Feat-002'),
      'a.md': ddx('A', ['feat-002', 'adr-1', 'FEAT-002'], {
        body: 'See [[Feat-002]], [[feat-002]] and [[adr-1]].',
      }),
      'old.md': ddx('OLD', [], { status: 'superseded', supersededBy: 'adr-1' }),
      'adr.md': ddx('ADR-1'),
    });
    assert.deepEqual(c.of('missing-dependency'), [
      'a.md:5:7 depends_on "feat-002": no document has this id (FEAT-002 and Feat-002 differ only in letter case; ids match exactly).',
      'a.md:6:7 depends_on "adr-1": no document has this id (ADR-1 differs only in letter case; ids match exactly).',
      'old.md:5:18 superseded_by "adr-1": no document has this id (ADR-1 differs only in letter case; ids match exactly).',
    ]);
    assert.deepEqual(c.of('broken-link'), [
      'a.md:11:19 [[feat-002]] does not resolve: no document with that name (FEAT-002 and Feat-002 differ only in letter case; ids match exactly).',
      'a.md:11:36 [[adr-1]] does not resolve: no document with that name (ADR-1 differs only in letter case; ids match exactly).',
    ]);
    // Without a case variant, the message stays as it was.
    const plain = await check({
      'a.md': ddx('A', ['feat-009'], { body: '[[Feat-009]]' }),
      'f.md': ddx('FEAT-002'),
    });
    assert.deepEqual(plain.of('missing-dependency'), [
      'a.md:5:7 depends_on "feat-009": no document has this id.',
    ]);
    assert.deepEqual(plain.of('broken-link'), [
      'a.md:9:1 [[Feat-009]] does not resolve: no document with that name.',
    ]);
  });

  it('an id naming a declared one in other zero padding says so, both ways: ids match exactly', async () => {
    const c = await check({
      'f2.md': ddx('FEAT-002'),
      'adr.md': ddx('ADR-1'),
      'a.md': ddx('A', ['FEAT-2', 'FEAT-02', 'feat-2', 'ADR-001', 'FEAT-002'], {
        body: 'See [[FEAT-2]], [[adr-01]] and [[ADR-0001]].',
      }),
      'old.md': ddx('OLD', [], { status: 'superseded', supersededBy: 'FEAT-0002' }),
    });
    assert.deepEqual(c.of('missing-dependency'), [
      'a.md:5:7 depends_on "FEAT-2": no document has this id (FEAT-002 differs only in zero padding; ids match exactly).',
      'a.md:6:7 depends_on "FEAT-02": no document has this id (FEAT-002 differs only in zero padding; ids match exactly).',
      'a.md:7:7 depends_on "feat-2": no document has this id (FEAT-002 differs only in letter case and zero padding; ids match exactly).',
      'a.md:8:7 depends_on "ADR-001": no document has this id (ADR-1 differs only in zero padding; ids match exactly).',
      'old.md:5:18 superseded_by "FEAT-0002": no document has this id (FEAT-002 differs only in zero padding; ids match exactly).',
    ]);
    assert.deepEqual(
      c.of('broken-link').map((s) => s.replace(/^a\.md:\d+:\d+ /, '')),
      [
        '[[FEAT-2]] does not resolve: no document with that id or name (FEAT-002 differs only in zero padding; ids match exactly).',
        '[[adr-01]] does not resolve: no document with that name (ADR-1 differs only in letter case and zero padding; ids match exactly).',
        '[[ADR-0001]] does not resolve: no document with that id or name (ADR-1 differs only in zero padding; ids match exactly).',
      ],
    );
    // Both spellings declared: each one named, by how it differs.
    const both = await check({
      'f2.md': ddx('FEAT-002'),
      'f2b.md': ddx('feat-2'),
      'a.md': ddx('A', ['FEAT-2']),
    });
    assert.deepEqual(both.of('missing-dependency'), [
      'a.md:5:7 depends_on "FEAT-2": no document has this id (feat-2 differs only in letter case; FEAT-002 differs only in zero padding; ids match exactly).',
    ]);
    // Another number is no near miss: the message stays as it was.
    const plain = await check({ 'f.md': ddx('FEAT-002'), 'a.md': ddx('A', ['FEAT-20', 'FEAT-0020']) });
    assert.deepEqual(plain.of('missing-dependency'), [
      'a.md:5:7 depends_on "FEAT-20": no document has this id.',
      'a.md:6:7 depends_on "FEAT-0020": no document has this id.',
    ]);
  });

  it('a depends_on text holding several wikilinks is said so, not cut into a garbled id', async () => {
    const c = await check({
      'u3.md': '---\nddx:\n  id: U3\n  depends_on: "[[A]], [[B]]"\n---\n# U3\n',
      'a.md': ddx('A'),
      'b.md': ddx('B'),
    });
    assert.deepEqual(c.of('missing-dependency'), [
      'u3.md:4:16 depends_on "[[A]], [[B]]": one text holding several wikilinks names no id; write each as an entry of a list (depends_on: ["[[A]]", "[[B]]"]).',
    ]);
  });

  it('a depends_on text of ids separated by commas is said so, with the list to write', async () => {
    const c = await check({
      'u4.md': '---\nddx:\n  id: U4\n  depends_on: "A, B"\n---\n# U4\n',
      'u5.md': '---\nddx:\n  id: U5\n  depends_on: "A, NOPE"\n---\n# U5\n',
      'a.md': ddx('A'),
      'b.md': ddx('B'),
    });
    assert.deepEqual(c.of('missing-dependency'), [
      'u4.md:4:16 depends_on "A, B": one text holding 2 ids separated by commas names no id; write them as a list (depends_on: [A, B]).',
      // (one of them unknown: no document has the text as an id, as before)
      'u5.md:4:16 depends_on "A, NOPE": no document has this id.',
    ]);
  });

  it('severities are configurable and off turns a rule off', async () => {
    const c = await check(
      { 'a.md': ddx('A', ['NOPE']), 'b.md': ddx('A') },
      { cdp: { rules: { 'missing-dependency': 'off', 'duplicate-id': 'warning' } } },
    );
    assert.equal(c.of('missing-dependency').length, 0);
    assert.ok(c.findings.filter((f) => f.code === 'duplicate-id').every((f) => f.severity === 'warning'));
  });

  it('parking_lot documents do not count toward phase progress', async () => {
    const parked = phaseDoc({
      title: 'Parked',
      phase: '"02"',
      name: 'parked',
      body: '- [ ] later\n',
    }).replace('---\n', '---\nddx:\n  parking_lot: true\n');
    const c = await check({
      'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '"01"', name: 'plan', body: '- [x] done\n' }),
      'wf/02-parked.md': parked,
    });
    assert.ok(c.analysis.index.get(c.ws.uri('wf/02-parked.md'))!.doc.ddx?.parkingLot);
    const wfs = buildWorkflows(c.analysis.index);
    assert.deepEqual(
      wfs.flatMap((w) => w.phases.map((p) => p.rel)),
      ['wf/01-plan.md'],
    );
  });

  it('parking_lot documents are no artifact of a phase, by folder or by phase metadata', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/01-frame/parking-lot.md':
        '---\nddx:\n  id: helix.parking-lot\n  parking_lot: true\n---\n# Parking Lot\n',
      'docs/idea.md': '---\nphase: frame\nddx:\n  id: X-1\n  parking_lot: true\n---\n# Idea\n',
      'docs/plan.md': '---\nphase: frame\n---\n# Plan\n',
    });
    const [w] = c.analysis.workflows();
    assert.deepEqual(
      [...w.artifacts.values()]
        .flat()
        .map((e) => e.rel)
        .sort(),
      ['docs/helix/01-frame/prd.md', 'docs/plan.md'],
    );
  });
});

describe('templates (`template: true`) outside the workflow definitions', () => {
  const prd = (p: string) => `---\nddx:\n  id: helix.prd\n---\n# PRD ${p}\n`;
  const phase = (n: string, name: string) => `---\nphase: ${n}\n---\n# ${name}\n`;
  const template = (deps: string[]) =>
    `---\nddx:\n  id: FEAT-XXX\n  depends_on:\n${deps.map((d) => `    - ${d}\n`).join('')}template: true\n---\n# FEAT-XXX: [Feature name]\n\nLinks to [[FEAT-YYY]] and [PRD](../prd.md).\n`;
  const files: Record<string, string> = {
    'products/alpha/docs/helix/01-frame/README.md': phase('01', 'Frame'),
    'products/alpha/docs/helix/01-frame/prd.md': prd('alpha'),
    'products/alpha/docs/helix/02-design/README.md': phase('02', 'Design'),
    'products/beta/docs/helix/01-frame/README.md': phase('01', 'Frame'),
    'products/beta/docs/helix/01-frame/prd.md': prd('beta'),
    'products/beta/docs/helix/02-design/README.md': phase('02', 'Design'),
    'templates/feature-template.md': template(['helix.prd']),
    // The same outside a `templates/` folder: `template: true` alone makes it one.
    'team/forms/feature.md': template(['helix.prd', 'FEAT-ZZZ']),
    'notes.md': '# Notes\n\nSee [[FEAT-XXX]].\n',
  };

  it('their depends_on and links are what the documents made from them will write: no finding', async () => {
    const c = await check(files);
    const on = (rel: string) => c.findings.filter((f) => f.uri.endsWith(rel)).map((f) => f.code);
    assert.deepEqual(on('templates/feature-template.md'), []);
    assert.deepEqual(on('team/forms/feature.md'), []);
  });

  it('their ids name nothing, and their depends_on make them no dependent', async () => {
    const c = await check(files);
    const ids = c.analysis.index.ids;
    const at = (rel: string) => c.analysis.index.get(c.ws.uri(rel))!;
    // A document outside the templates does not reach a template by its id.
    assert.deepEqual(
      ids.declarers(at('notes.md').folder, '', 'FEAT-XXX').map((e) => e.rel),
      [],
    );
    assert.deepEqual(c.of('broken-link'), [
      'notes.md:3:5 [[FEAT-XXX]] does not resolve: no document with that name.',
    ]);
    assert.equal(ids.isLooseTemplate(at('team/forms/feature.md')), true);
    assert.equal(ids.isLooseTemplate(at('products/alpha/docs/helix/01-frame/prd.md')), false);
    assert.deepEqual(
      ids.dependentsOfDoc(at('products/alpha/docs/helix/01-frame/prd.md')).map((e) => e.rel),
      [],
    );
  });

  it('a document that becomes a template takes its id out of reach at once, and back', async () => {
    const form = (template: boolean) =>
      `---\n${template ? 'template: true\n' : ''}ddx:\n  id: FEAT-001\n---\n# Feature form\n`;
    const c = await check({
      'forms/feature.md': form(false),
      'docs/arch.md': ddx('ARCH-001', ['FEAT-001'], { body: 'See [[FEAT-001]].' }),
    });
    const index = c.analysis.index;
    const arch = () => index.get(c.ws.uri('docs/arch.md'))!;
    const codes = () =>
      c.analysis
        .check(arch())
        .map((f) => f.code)
        .filter((code) => code === 'broken-link' || code === 'missing-dependency');
    assert.deepEqual(codes(), []);
    index.set(c.ws.uri('forms/feature.md'), form(true));
    assert.deepEqual(codes(), ['missing-dependency', 'broken-link']);
    assert.deepEqual(index.ids.dependenciesOf(arch()), []);
    index.set(c.ws.uri('forms/feature.md'), form(false));
    assert.deepEqual(codes(), []);
    assert.equal(index.ids.dependenciesOf(arch())[0]?.rel, 'forms/feature.md');
  });

  it('a dependency cycle through a document that becomes a template ends at once, and comes back', async () => {
    const doc = (template: boolean) =>
      `---\n${template ? 'template: true\n' : ''}ddx:\n  id: B-1\n  depends_on: [A-1]\n---\n# B\n`;
    const c = await check({ 'a.md': ddx('A-1', ['B-1']), 'b.md': doc(false) });
    const index = c.analysis.index;
    const cycles = () =>
      c.analysis
        .check(index.get(c.ws.uri('a.md'))!)
        .filter((f) => f.code === 'dependency-cycle')
        .map((f) => f.code);
    assert.deepEqual(cycles(), ['dependency-cycle']);
    index.set(c.ws.uri('b.md'), doc(true));
    assert.deepEqual(cycles(), []);
    index.set(c.ws.uri('b.md'), doc(false));
    assert.deepEqual(cycles(), ['dependency-cycle']);
  });

  it('a real document with the same metadata is still checked', async () => {
    const real = files['team/forms/feature.md'].replace('template: true\n', '');
    const c = await check({ ...files, 'team/forms/feature.md': real });
    const on = c.findings.filter((f) => f.uri.endsWith('team/forms/feature.md')).map((f) => f.code);
    assert.deepEqual(on.sort(), ['ambiguous-link', 'broken-link', 'broken-link', 'missing-dependency']);
  });
});
