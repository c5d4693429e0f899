// The navigation features (definition, references, document links, hover, completion,
// symbols, code lenses) called in-process on an in-memory workspace: no server process.
// test/lsp/features-smoke.test.ts asks each of them once over stdio.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ClientCapabilities,
  CodeLens,
  CompletionList,
  DocumentLink,
  DocumentSymbol,
  Hover,
  Location,
  MarkupContent,
  Position,
  SymbolInformation,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { phaseDoc } from '../helpers/memory-workspace';
import { NEWER_RELEASE, OLDER_RELEASE, RELEASE_CYCLES } from '../helpers/release-cycles';
import { CAPABILITIES } from '../lsp/client';

function request<R>(c: InProcess, method: string, params: unknown): Promise<R> {
  return c.request<R>(method, params);
}

/** Position of `needle` (its n-th occurrence) in `text`, plus `offset` characters. */
function at(text: string, needle: string, offset = 0, nth = 0): Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.notEqual(i, -1, `"${needle}" not found`);
  }
  const before = text.slice(0, i + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function lineOf(text: string, needle: string): number {
  return at(text, needle).line;
}

/**
 * The feature handlers called in-process over an in-memory workspace holding `files`,
 * answered as the server answers them (the client's capabilities read the same way);
 * no document is open until the test opens it.
 */
async function withServer(
  files: Record<string, string>,
  fn: (c: InProcess, uri: (rel: string) => string) => Promise<void>,
  opts: { capabilities?: ClientCapabilities } = {},
): Promise<void> {
  const c = await featureContext(files, { capabilities: opts.capabilities ?? CAPABILITIES, openAll: false });
  await fn(c, c.uri);
}

const RELEASE = phaseDoc({
  title: 'Release: Ship It',
  phase: '02',
  name: 'Release',
  previous: '01-diagnose',
  body: [
    '## Overview',
    '',
    'The release ships the fix. See [[#Exit Criteria]] and [[01-diagnose#Purpose]].',
    'Then [[release-plan]].',
    '',
    '## Entry Criteria',
    '',
    '- [x] Diagnosis accepted',
    '',
    '## Exit Criteria',
    '',
    '- [x] Deployed',
    '- [ ] Announced',
    '',
    '### Notes',
    '',
    'Nothing to add.',
    '',
    '## Production Readiness Gate',
    '',
    '- [x] Load tested',
    '- [ ] Rollback rehearsed',
    '',
  ].join('\n'),
});

const DIAGNOSE = phaseDoc({
  title: 'Diagnose the Problem',
  phase: '01',
  name: 'Diagnose',
  next: '02-release',
  artifacts: ['release-plan'],
  body: '## Purpose\n\nFind out what is wrong.\n\n## Exit Criteria\n\n- [ ] Root cause named\n',
});

const PLAN = '# Release Plan\n\nWaves and dates.\n';

function cycle(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'wf/01-diagnose.md': DIAGNOSE,
    'wf/02-release.md': RELEASE,
    'wf/artifacts/release-plan.md': PLAN,
    ...extra,
  };
}

describe('definition', () => {
  it('goes from a body link to the target title, and from [[t#H]] and [[#H]] to the heading', async () => {
    await withServer(cycle(), async (c, uri) => {
      const def = (pos: Position) =>
        request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: uri('wf/02-release.md') },
          position: pos,
        });
      const plan = await def(at(RELEASE, '[[release-plan]]', 4));
      assert.deepEqual(plan, {
        uri: uri('wf/artifacts/release-plan.md'),
        range: { start: { line: 0, character: 2 }, end: { line: 0, character: 14 } },
      });
      const purpose = await def(at(RELEASE, '[[01-diagnose#Purpose]]', 16));
      assert.equal(purpose?.uri, uri('wf/01-diagnose.md'));
      assert.equal(purpose?.range.start.line, lineOf(DIAGNOSE, '## Purpose'));
      const own = await def(at(RELEASE, '[[#Exit Criteria]]', 3));
      assert.equal(own?.uri, uri('wf/02-release.md'));
      assert.equal(own?.range.start.line, lineOf(RELEASE, '## Exit Criteria'));
      assert.equal(await def(at(RELEASE, 'ships the fix')), null);
    });
  });

  it("lands a markdown link's anchor on the heading's whole line, as VS Code's markdown support does", async () => {
    const notes = '# Notes\n\n[a](01-diagnose.md#purpose) [[01-diagnose#Purpose]]\n';
    const setext = 'Spec\r\n====\r\n\r\nSteps ##\r\n-----\r\n';
    await withServer(cycle({ 'wf/notes.md': notes, 'wf/spec.md': setext }), async (c, uri) => {
      const def = (needle: string, text = notes, from = 'wf/notes.md') =>
        request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: uri(from) },
          position: at(text, needle, 4),
        });
      const line = lineOf(DIAGNOSE, '## Purpose');
      const md = await def('[a]');
      assert.deepEqual(md?.range, {
        start: { line, character: 0 },
        end: { line, character: '## Purpose'.length },
      });
      // A wikilink's heading keeps its text's range.
      const wiki = await def('[[01-diagnose#');
      assert.deepEqual(wiki?.range.start, { line, character: 3 });
      // A setext heading's text line, CRLF not counted.
      const withSteps = '# N\n\n[s](spec.md#steps-)\n';
      await c.open(uri('wf/n.md'), withSteps);
      assert.deepEqual((await def('[s]', withSteps, 'wf/n.md'))?.range, {
        start: { line: 3, character: 0 },
        end: { line: 3, character: 'Steps ##'.length },
      });
    });
  });

  it('goes to the line a GitHub line anchor names (#L3), the last line when past the end', async () => {
    const notes = '# Notes\n\n[a](../wf/01-diagnose.md#L3-L4) [b](01-diagnose.md#L999)\n';
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const def = (needle: string) =>
        request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: uri('wf/notes.md') },
          position: at(notes, needle, 4),
        });
      const third = await def('[a]');
      assert.equal(third?.uri, uri('wf/01-diagnose.md'));
      assert.deepEqual(third?.range.start, { line: 2, character: 0 });
      const last = DIAGNOSE.split('\n').length - 1;
      assert.deepEqual((await def('[b]'))?.range.start, { line: last, character: 0 });
    });
  });

  it('follows a reference-style link to where its definition leads: [text][label], [label][], [label]', async () => {
    const notes = [
      '# Notes',
      '',
      'See [the plan][Plan Ref], [plan ref][] and [PLAN  ref], also `[plan ref]` and [t](01-diagnose.md).',
      'Unknown [x][nope]; [a [b] c][plan ref].',
      '',
      '```',
      'fenced [plan ref]',
      '```',
      '<!-- a comment',
      'commented [plan ref] -->',
      '- ~~~~',
      '  listed [plan ref]',
      '  ~~~~',
      'after [plan ref]',
      '',
      '[plan ref]: ../wf/01-diagnose.md#L2',
      '',
      'And [the problem][diag].',
      '',
      '[diag]: 01-diagnose.md',
      '',
    ].join('\n');
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const def = (needle: string, offset: number, nth = 0) =>
        request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: uri('wf/notes.md') },
          position: at(notes, needle, offset, nth),
        });
      for (const [needle, offset] of [
        ['[the plan]', 2],
        ['[Plan Ref]', 3],
        ['[plan ref][]', 3],
        ['[plan ref][]', 11],
        ['[PLAN  ref]', 1],
        ['[b] c][plan', 8],
      ] as const) {
        const loc = await def(needle, offset);
        assert.equal(loc?.uri, uri('wf/01-diagnose.md'), `${needle} +${offset}`);
        assert.deepEqual(loc?.range.start, { line: 1, character: 0 }, `${needle} +${offset}`);
      }
      // In a code span, with no definition of its label, or on plain text: nothing.
      assert.equal(await def('`[plan ref]`', 3), null);
      for (const where of ['fenced [plan ref]', 'commented [plan ref]', 'listed [plan ref]'])
        assert.equal(await def(where, where.indexOf('[') + 2), null, where);
      assert.equal((await def('after [plan ref]', 8))?.uri, uri('wf/01-diagnose.md'));
      assert.equal(await def('[x][nope]', 1), null);
      assert.equal(await def('Unknown', 1), null);
      // Hover and references answer there as on the definition itself; the hover spans the
      // reference-style link.
      const on = (needle: string, offset: number) => ({
        textDocument: { uri: uri('wf/notes.md') },
        position: at(notes, needle, offset),
      });
      const hover = await request<Hover | null>(c, 'textDocument/hover', on('[the plan]', 2));
      const own = await request<Hover | null>(c, 'textDocument/hover', on('[plan ref]: ../', 14));
      assert.ok(hover && own);
      assert.equal((hover.contents as { value: string }).value, (own.contents as { value: string }).value);
      assert.deepEqual(hover.range, {
        start: at(notes, '[the plan]', 0),
        end: at(notes, '[Plan Ref]', '[Plan Ref]'.length),
      });
      assert.equal(await request<Hover | null>(c, 'textDocument/hover', on('`[plan ref]`', 3)), null);
      const refs = (needle: string, offset: number) =>
        request<Location[]>(c, 'textDocument/references', {
          ...on(needle, offset),
          context: { includeDeclaration: false },
        });
      const fromUsage = await refs('[the problem]', 2);
      assert.ok(fromUsage.some((l) => l.uri === uri('wf/notes.md')));
      assert.deepEqual(fromUsage, await refs('[diag]: 01', 10));
    });
  });

  it('follows a next_phase metadata link, and gives null for a broken link', async () => {
    const notes = '# Notes\n\nSee [[nowhere]].\n';
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const next = await request<Location | null>(c, 'textDocument/definition', {
        textDocument: { uri: uri('wf/01-diagnose.md') },
        position: at(DIAGNOSE, '[[02-release]]', 5),
      });
      assert.equal(next?.uri, uri('wf/02-release.md'));
      assert.equal(next?.range.start.line, 0);
      const broken = await request<Location | null>(c, 'textDocument/definition', {
        textDocument: { uri: uri('wf/notes.md') },
        position: at(notes, '[[nowhere]]', 3),
      });
      assert.equal(broken, null);
    });
  });
});

describe('references', () => {
  const refs = (c: InProcess, docUri: string, position: Position, includeDeclaration = false) =>
    request<Location[]>(c, 'textDocument/references', {
      textDocument: { uri: docUri },
      position,
      context: { includeDeclaration },
    });
  const where = (locs: Location[], root: (rel: string) => string) =>
    locs.map((l) => {
      const rel = [
        'wf/01-diagnose.md',
        'wf/02-release.md',
        'wf/notes.md',
        'wf/artifacts/release-plan.md',
      ].find((r) => root(r) === l.uri);
      return `${rel}:${l.range.start.line}`;
    });

  it('from a title: every link to the document, metadata links included', async () => {
    const notes = '# Notes\n\nSee [[02-release]] and [[02-release#Exit Criteria|exit]].\n';
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const found = await refs(c, uri('wf/02-release.md'), { line: 0, character: 3 });
      assert.deepEqual(where(found, uri), [
        `wf/01-diagnose.md:${lineOf(DIAGNOSE, 'next_phase')}`,
        `wf/02-release.md:${lineOf(RELEASE, '[[#Exit Criteria]]')}`,
        `wf/notes.md:2`,
        `wf/notes.md:2`,
      ]);
      const withDecl = await refs(c, uri('wf/02-release.md'), { line: 0, character: 3 }, true);
      assert.equal(withDecl.length, 5);
      assert.deepEqual(withDecl[0], {
        uri: uri('wf/02-release.md'),
        range: { start: { line: 0, character: 2 }, end: { line: 0, character: 18 } },
      });
    });
  });

  it("gate files' paths and evidence naming the document or its heading, as a rename edits them", async () => {
    const prd = '# PRD\n\n## Goals\n\nText.\n\n## Success Metrics\n\nMore.\n';
    const files = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nSee [the PRD](prd.md#success-metrics).\n',
      'docs/helix/01-frame/prd.md': prd,
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: Metrics set\n    evidence: "docs/helix/01-frame/prd.md#success-metrics"\n  - criteria: Goals\n    evidence: docs/helix/01-frame/prd.md#goals\n',
      'docs/helix/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/other.md\n      fallback_paths: [docs/helix/01-frame/prd.md]\n',
    };
    await withServer(files, async (c, uri) => {
      const at = (l: Location) =>
        `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}:${l.range.start.character}`;
      const doc = await refs(c, uri('docs/helix/01-frame/prd.md'), { line: 0, character: 3 });
      assert.deepEqual(doc.map(at), [
        'README.md:2:4',
        'GATE.yaml:4:23',
        'exit-gates.yml:2:15',
        'exit-gates.yml:4:14',
      ]);
      const heading = await refs(c, uri('docs/helix/01-frame/prd.md'), {
        line: lineOf(prd, '## Success Metrics'),
        character: 4,
      });
      assert.deepEqual(heading.map(at), ['README.md:2:4', 'exit-gates.yml:2:15']);
    });
  });

  it("a validation rule's path is a reference of the file it names, also a rule for a person", async () => {
    const files = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
      'docs/helix/01-frame/registry.md': '# Registry\n',
      'docs/helix/01-frame/exit-gates.yml':
        'validation_rules:\n  - rule: unique\n    description: Ids are unique\n    path: docs/helix/01-frame/registry.md\n    check: unique_ids\n  - rule: todo\n    path: docs/helix/01-frame/other.md\n    pattern: TODO\n    expected: 0\n',
    };
    await withServer(files, async (c, uri) => {
      const found = await refs(c, uri('docs/helix/01-frame/registry.md'), { line: 0, character: 3 });
      assert.deepEqual(
        found.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}`),
        ['exit-gates.yml:3'],
      );
    });
  });

  it('from a heading: only links naming that heading', async () => {
    const notes = '# Notes\n\nSee [[02-release]] and [[02-release#exit criteria|exit]].\n';
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const found = await refs(c, uri('wf/02-release.md'), at(RELEASE, '## Exit Criteria', 4));
      assert.deepEqual(where(found, uri), [
        `wf/02-release.md:${lineOf(RELEASE, '[[#Exit Criteria]]')}`,
        'wf/notes.md:2',
      ]);
      assert.equal(found[1].range.start.character, notes.split('\n')[2].indexOf('[[02-release#'));
    });
  });

  it('from a link: references of its target, including the metadata link of another document', async () => {
    await withServer(cycle(), async (c, uri) => {
      // From the previous_phase link: both links of 02-release to 01-diagnose (metadata and body).
      const fromMeta = await refs(c, uri('wf/02-release.md'), at(RELEASE, '[[01-diagnose]]', 3));
      assert.deepEqual(where(fromMeta, uri), [
        `wf/02-release.md:${lineOf(RELEASE, 'previous_phase')}`,
        `wf/02-release.md:${lineOf(RELEASE, '[[01-diagnose#Purpose]]')}`,
      ]);
      // From a link with a heading: only the links to that heading.
      const purpose = await refs(c, uri('wf/02-release.md'), at(RELEASE, '[[01-diagnose#Purpose]]', 16));
      assert.deepEqual(where(purpose, uri), [
        `wf/02-release.md:${lineOf(RELEASE, '[[01-diagnose#Purpose]]')}`,
      ]);
      // The artifact link in 01-diagnose's metadata is a reference to the release plan.
      const toPlan = await refs(c, uri('wf/02-release.md'), at(RELEASE, '[[release-plan]]', 3), true);
      assert.deepEqual(where(toPlan, uri), [
        'wf/artifacts/release-plan.md:0',
        `wf/01-diagnose.md:${lineOf(DIAGNOSE, 'artifacts:')}`,
        `wf/02-release.md:${lineOf(RELEASE, '[[release-plan]]')}`,
      ]);
    });
  });
});

describe('references across release cycles kept alike', () => {
  const older = OLDER_RELEASE;
  const newer = NEWER_RELEASE;
  const files = RELEASE_CYCLES;

  it("the later cycle's artifact entry naming its own, not written yet, is no reference of the earlier cycle's", async () => {
    await withServer(files, async (c, uri) => {
      const found = await request<Location[]>(c, 'textDocument/references', {
        textDocument: { uri: uri('releases/release-2026.1/05-release.md') },
        position: at(older, '[[rollback-plan|Rollback]]', 4),
        context: { includeDeclaration: false },
      });
      const cycle = (u: string) => u.slice(u.indexOf('/release-20') + 1);
      assert.deepEqual(
        found.map((l) => `${cycle(l.uri)}:${l.range.start.line}`),
        [
          // The earlier cycle's artifact entry and link; the later cycle's link in its text.
          `release-2026.1/05-release.md:${lineOf(older, '"[[rollback-plan]]"')}`,
          `release-2026.1/05-release.md:${lineOf(older, '[[rollback-plan|Rollback]]')}`,
          `release-2026.2/05-release.md:${lineOf(newer, 'Until then')}`,
        ],
      );
      // The Links view's backlinks agree.
      const links = await request<{ backlinks: { uri: string; range: { start: { line: number } } }[] }>(
        c,
        'cdp/links',
        {
          uri: uri('releases/release-2026.1/artifacts/rollback-plan.md'),
        },
      );
      assert.deepEqual(
        links.backlinks.map((b) => `${cycle(b.uri)}:${b.range.start.line}`),
        found.map((l) => `${cycle(l.uri)}:${l.range.start.line}`),
      );
    });
  });

  it("the later cycle's own artifact entry, not written yet, leads to no document of the earlier cycle", async () => {
    await withServer(files, async (c, uri) => {
      const doc = { uri: uri('releases/release-2026.2/05-release.md') };
      const position = at(newer, '"[[rollback-plan]]"', 4);
      const found = await request<Location[]>(c, 'textDocument/references', {
        textDocument: doc,
        position,
        context: { includeDeclaration: true },
      });
      assert.deepEqual(found, []);
      assert.equal(await request(c, 'textDocument/definition', { textDocument: doc, position }), null);
      // Its document links: the link in its text (cross-instance-link's), not the entry.
      const links = await request<DocumentLink[]>(c, 'textDocument/documentLink', { textDocument: doc });
      assert.deepEqual(
        links.map((l) => l.range.start.line),
        [lineOf(newer, 'Until then')],
      );
      // Its hover says so, instead of describing the earlier cycle's document.
      const hover = await request<{ contents: { value: string } }>(c, 'textDocument/hover', {
        textDocument: doc,
        position,
      });
      assert.equal(
        hover.contents.value,
        "\\[\\[rollback-plan\\]\\]: this cycle's own artifact, not written yet (releases/release-2026.1 has its own).",
      );
    });
  });
});

describe('references of a phase across release cycles kept alike', () => {
  const phase = (title: string, id: string, chain: string) =>
    `# ${title}\n\n---\nphase: ${id}\nname: "${title}"\n${chain}\n---\n\n## Exit Criteria\n\n- [x] Done\n`;
  const monitor = phase('Monitor', '04', 'previous_phase: "[[03-treat]]"');
  // The later cycle's 04-monitor points back at 03-treat, the earlier cycle's (phase-chain:
  // it leads into workflow release-2026.1), where its own phase 03 is 03-implement.
  const files = {
    'release-2026.1/03-treat.md': phase('Treat', '03', 'next_phase: "[[04-monitor]]"'),
    'release-2026.1/04-monitor.md': monitor,
    'release-2026.2/03-implement.md': phase('Implement', '03', 'next_phase: "[[04-monitor]]"'),
    'release-2026.2/04-monitor.md': monitor,
  };
  const line = lineOf(monitor, 'previous_phase');

  it("a chain link leading into another cycle is no reference of that cycle's phase", async () => {
    await withServer(files, async (c, uri) => {
      // From the earlier cycle's own chain link: its 04-monitor's alone.
      const found = await request<Location[]>(c, 'textDocument/references', {
        textDocument: { uri: uri('release-2026.1/04-monitor.md') },
        position: at(monitor, '[[03-treat]]', 4),
        context: { includeDeclaration: false },
      });
      const rel = (u: string) => u.slice(u.indexOf('/release-20') + 1);
      assert.deepEqual(
        found.map((l) => `${rel(l.uri)}:${l.range.start.line}`),
        [`release-2026.1/04-monitor.md:${line}`],
      );
      // The Links view's backlinks agree.
      const links = await request<{ backlinks: { uri: string; range: { start: { line: number } } }[] }>(
        c,
        'cdp/links',
        { uri: uri('release-2026.1/03-treat.md') },
      );
      assert.deepEqual(
        links.backlinks.map((b) => `${rel(b.uri)}:${b.range.start.line}`),
        [`release-2026.1/04-monitor.md:${line}`],
      );
      // From the later cycle's link itself: no reference of the earlier cycle's phase.
      const fromLater = await request<Location[]>(c, 'textDocument/references', {
        textDocument: { uri: uri('release-2026.2/04-monitor.md') },
        position: at(monitor, '[[03-treat]]', 4),
        context: { includeDeclaration: true },
      });
      assert.deepEqual(fromLater, []);
    });
  });
});

describe('document links', () => {
  for (const fragments of [false, true]) {
    const how = fragments ? 'a #L fragment for a client that accepts one' : 'a plain file URI (LSP)';
    it(`links every resolved link to its document, headings with ${how}`, async () => {
      await withServer(
        cycle({ 'wf/notes.md': '# N\n\n[[gone]] [[02-release#Exit Criteria]]\n' }),
        async (c, uri) => {
          const links = await request<DocumentLink[]>(c, 'textDocument/documentLink', {
            textDocument: { uri: uri('wf/02-release.md') },
          });
          const exitLine = lineOf(RELEASE, '## Exit Criteria') + 1;
          const purposeLine = lineOf(DIAGNOSE, '## Purpose') + 1;
          const line = (n: number) => (fragments ? `#L${n}` : '');
          assert.deepEqual(
            links.map((l) => [l.range.start.line, l.target, l.tooltip]),
            [
              [lineOf(RELEASE, 'previous_phase'), uri('wf/01-diagnose.md'), 'Open wf/01-diagnose.md'],
              [
                lineOf(RELEASE, '[[#Exit'),
                `${uri('wf/02-release.md')}${line(exitLine)}`,
                'Open wf/02-release.md',
              ],
              [
                lineOf(RELEASE, '[[#Exit'),
                `${uri('wf/01-diagnose.md')}${line(purposeLine)}`,
                'Open wf/01-diagnose.md',
              ],
              [
                lineOf(RELEASE, '[[release-plan]]'),
                uri('wf/artifacts/release-plan.md'),
                'Open wf/artifacts/release-plan.md',
              ],
            ],
          );
          // The clickable range is the target text; for [[#H]] (no target) the whole link.
          const plan = links[3].range;
          assert.deepEqual(plan.start, at(RELEASE, '[[release-plan]]', 2));
          assert.deepEqual(plan.end, at(RELEASE, '[[release-plan]]', 14));
          assert.deepEqual(links[1].range.start, at(RELEASE, '[[#Exit Criteria]]'));
          const notes = await request<DocumentLink[]>(c, 'textDocument/documentLink', {
            textDocument: { uri: uri('wf/notes.md') },
          });
          assert.equal(notes.length, 1, 'the broken link gets no document link');
        },
        {
          capabilities: fragments
            ? { ...CAPABILITIES, experimental: { cdp: { lineFragmentLinks: true } } }
            : CAPABILITIES,
        },
      );
    });
  }
});

function hoverText(h: Hover | null): string {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

describe('hover', () => {
  const hover = (c: InProcess, docUri: string, position: Position) =>
    request<Hover | null>(c, 'textDocument/hover', { textDocument: { uri: docUri }, position });

  it('says which phase an artifact belongs to, by its folder or its phase metadata', async () => {
    const files = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nSee [[runbook]] and [[prd]].\n',
      'docs/helix/01-frame/runbook.md': '# Runbook\n',
      'docs/prd.md': '---\nphase: "01-frame"\n---\n# Product requirements\n',
    };
    const readme = files['docs/helix/01-frame/README.md'];
    await withServer(files, async (c, uri) => {
      for (const name of ['[[runbook]]', '[[prd]]']) {
        const value = hoverText(await hover(c, uri('docs/helix/01-frame/README.md'), at(readme, name, 3)));
        assert.match(value, /Artifact of phase 01 — Frame/, name);
      }
      // Opened in the editor (a new entry of the same document), and edited: the same.
      await c.open(uri('docs/prd.md'), files['docs/prd.md']);
      await c.change(uri('docs/prd.md'), [{ text: `${files['docs/prd.md']}\nText.\n` }]);
      for (const name of ['[[runbook]]', '[[prd]]']) {
        const value = hoverText(await hover(c, uri('docs/helix/01-frame/README.md'), at(readme, name, 3)));
        assert.match(value, /Artifact of phase 01 — Frame/, `${name}, opened`);
      }
    });
  });

  it('workspace symbols list a folder phase’s documents, not the folder (nothing to open)', async () => {
    const files = {
      'docs/helix/01-frame/prd.md': '# Frame Requirements\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    };
    await withServer(files, async (c, uri) => {
      const symbols = await request<SymbolInformation[]>(c, 'workspace/symbol', { query: 'frame' });
      assert.deepEqual(
        symbols.map((x) => [x.name, x.location.uri]),
        [['Frame Requirements', uri('docs/helix/01-frame/prd.md')]],
      );
    });
  });

  it('names a folder as a folder, and the phase a folder of documents stands for', async () => {
    const readme =
      '# Product\n\n[design](docs/helix/02-design/) and [notes](docs/notes) and [PRD](docs/helix/01-frame/prd.md)\n';
    const files = {
      'README.md': readme,
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
      'docs/notes/a.md': '# A\n',
    };
    await withServer(files, async (c, uri) => {
      assert.equal(
        hoverText(await hover(c, uri('README.md'), at(readme, '[design]', 2))),
        '**docs/helix/02-design/**\n\nPhase 02 — Design (workflow docs/helix)',
      );
      assert.equal(
        hoverText(await hover(c, uri('README.md'), at(readme, '[notes]', 2))),
        'Folder docs/notes/',
      );
    });
  });

  it('shows title, phase, group progress and an excerpt of the target', async () => {
    const notes = '# Notes\n\nSee [[02-release]] and [[nowhere]].\n';
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const h = await hover(c, uri('wf/notes.md'), at(notes, '[[02-release]]', 4));
      const value = hoverText(h);
      assert.equal((h?.contents as MarkupContent | undefined)?.kind, 'markdown');
      assert.match(value, /\*\*Release: Ship It\*\*/);
      assert.match(value, /Phase 02 — Release/);
      assert.match(value, /Entry Criteria 1\/1/);
      assert.match(value, /Exit Criteria 1\/2/);
      assert.match(value, /Production Readiness Gate 1\/2/);
      assert.match(value, /```markdown\n## Overview\nThe release ships the fix/);
      assert.ok(!value.includes('previous_phase'), 'the metadata is not part of the excerpt');
      assert.deepEqual(h?.range?.start, at(notes, '[[02-release]]'));

      const broken = await hover(c, uri('wf/notes.md'), at(notes, '[[nowhere]]', 3));
      assert.match(hoverText(broken), /does not resolve: no document with that name/);
      assert.equal(await hover(c, uri('wf/notes.md'), at(notes, 'See')), null);
    });
  });

  it("an excerpt after a setext heading leaves out the heading's underline", async () => {
    const setext = 'Setext Title\n============\n\nBody text.\n\nSub Part\n--------\n\nSub text.\n';
    const linker = '# Linker\n\nSee [[setext]] and [[setext#Sub Part]].\n';
    await withServer(cycle({ 'wf/setext.md': setext, 'wf/linker.md': linker }), async (c, uri) => {
      const doc = hoverText(await hover(c, uri('wf/linker.md'), at(linker, '[[setext]]', 3)));
      assert.match(doc, /```markdown\nBody text\.\nSub Part/);
      const section = hoverText(await hover(c, uri('wf/linker.md'), at(linker, '[[setext#Sub Part]]', 3)));
      assert.match(section, /```markdown\nSub text\./);
      // (a later heading's underline is the excerpt's markdown, as written)
      assert.doesNotMatch(doc + section, /```markdown\n(=+|-+)\n/);
    });
  });

  it("a heading's excerpt is its section: up to the next heading of its level or above", async () => {
    const log =
      '# Risk Log\n\n## Open Risks\n\n- Double charges.\n\n### Detail\n\nRetries.\n\n## Closed Risks\n\n- Old.\n';
    const linker = '# Linker\n\nSee [[risk-log#Open Risks]] and [[risk-log#Detail]].\n';
    await withServer(cycle({ 'wf/risk-log.md': log, 'wf/linker.md': linker }), async (c, uri) => {
      const open = hoverText(await hover(c, uri('wf/linker.md'), at(linker, '[[risk-log#Open Risks]]', 3)));
      assert.match(open, /```markdown\n- Double charges\.\n### Detail\nRetries\.\n```/);
      assert.doesNotMatch(open, /Closed Risks/);
      const detail = hoverText(await hover(c, uri('wf/linker.md'), at(linker, '[[risk-log#Detail]]', 3)));
      assert.match(detail, /```markdown\nRetries\.\n```/);
    });
  });

  it('never turns document content into a command link outside a code fence', async () => {
    const evil =
      '# Evil [x](command:foo)\n\nClick [x](command:foo) or ```` ``` ```` [y](command:bar)\n```\n[z](command:baz)\n';
    const notes = '# Notes\n\n[[evil]]\n';
    await withServer({ 'evil.md': evil, 'notes.md': notes }, async (c, uri) => {
      const h = await hover(c, uri('notes.md'), { line: 2, character: 3 });
      const value = hoverText(h);
      assert.ok(value.includes('command:foo'), 'the excerpt is shown');
      // Remove well-formed fenced blocks (closing fence at least as long as the opening one).
      const outside = value.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1`*$/gm, '');
      assert.ok(!/\]\(command:/.test(outside), `command link outside a fence:\n${outside}`);
      const fence = /^(`{3,})markdown$/m.exec(value)?.[1] ?? '';
      assert.ok(fence.length > 4, 'the fence is longer than any backtick run of the excerpt');
    });
  });
});

describe('completion', () => {
  const complete = (c: InProcess, docUri: string, position: Position) =>
    request<CompletionList>(c, 'textDocument/completion', { textDocument: { uri: docUri }, position });

  /** Applies a text edit to a text. */
  function apply(text: string, e: TextEdit): string {
    const lines = text.split('\n');
    const off = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    return text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
  }

  /** Inserts `edit` into the open document and asserts that definition at its `[[` lands on `target`. */
  async function assertResolvesBack(
    c: InProcess,
    docUri: string,
    text: string,
    edit: TextEdit,
    target: string,
  ) {
    const edited = apply(text, edit);
    await c.change(docUri, [{ text: edited }]);
    const def = await request<Location | null>(c, 'textDocument/definition', {
      textDocument: { uri: docUri },
      position: at(edited, '[[', 2),
    });
    assert.equal(def?.uri, target, `${edit.newText} resolves back`);
  }

  it('a position past the end of the line is its end: no range answered reaches past it', async () => {
    const files = cycle({ 'wf/b.md': '# B\n', 'wf/notes.md': '# Notes\n' });
    await withServer(files, async (c, uri) => {
      const notesUri = uri('wf/notes.md');
      for (const text of ['# Notes\n\nSee [x](b\n', '# Notes\n\nSee [[b\n']) {
        await c.open(notesUri, text);
        const list = await complete(c, notesUri, { line: 2, character: 40 });
        assert.ok(list.items.length > 0, text);
        for (const item of list.items)
          assert.ok((item.textEdit as TextEdit).range.end.character <= text.split('\n')[2].length, text);
        await c.close(notesUri);
      }
    });
  });

  it('after [[ finds a name typed in one Unicode form when the file is named in the other', async () => {
    // (macOS writes file names decomposed: `o` and a combining accent; a keyboard types `ó`)
    const nfd = 'liberaci\u006f\u0301n';
    const files = cycle({ [`wf/${nfd}.md`]: '# Liberación\n', 'wf/notes.md': '# Notes\n' });
    await withServer(files, async (c, uri) => {
      const notesUri = uri('wf/notes.md');
      for (const typed of ['liberaci\u00f3', 'liberaci\u006f\u0301', 'LIBERACI\u00d3N']) {
        const text = `# Notes\n\nSee [[${typed}`;
        await c.open(notesUri, text);
        const list = await complete(c, notesUri, at(text, `[[${typed}`, 2 + typed.length));
        assert.deepEqual(
          list.items.map((i) => i.label),
          [nfd],
          typed,
        );
        await c.close(notesUri);
      }
    });
  });

  it('after [[ offers documents whose edits resolve back to them, and adds ]] when absent', async () => {
    const files = cycle({ 'a/plan.md': '# Plan A\n', 'b/plan.md': '# Plan B\n', 'wf/notes.md': '# Notes\n' });
    await withServer(files, async (c, uri) => {
      const notesUri = uri('wf/notes.md');
      const text = '# Notes\n\nSee [[pla';
      await c.open(notesUri, text);
      const list = await complete(c, notesUri, at(text, '[[pla', 5));
      const labels = list.items.map((i) => `${i.label}|${(i.textEdit as TextEdit).newText}`);
      // a title that leads to its document is offered and inserted as written
      assert.deepEqual(labels.sort(), ['Release Plan|Release Plan]]', 'plan|a/plan]]', 'plan|b/plan]]']);
      assert.equal(list.isIncomplete, false);
      const diagnose = (await complete(c, notesUri, at(text, '[[', 2))).items.find(
        (i) => i.label === '01-diagnose',
      );
      assert.equal(diagnose?.detail, 'Diagnose the Problem — 01 Diagnose');
      assert.equal(diagnose?.documentation, 'wf/01-diagnose.md');

      for (const item of list.items) {
        const edit = item.textEdit as TextEdit;
        assert.deepEqual(edit.range, { start: at(text, '[[pla', 2), end: at(text, '[[pla', 5) });
        await assertResolvesBack(c, notesUri, text, edit, uri(item.documentation as string));
      }
    });
  });

  it('after [[ writes a document of another workflow instance with its path: accepting it creates no cross-instance-link', async () => {
    // Two release cycles side by side (and kept under releases/): 2026.2 renamed 03-treat.md
    // 03-implement.md, and has neither the diagram nor the rollback plan 2026.1 has.
    const phases = (root: string, third: string) =>
      Object.fromEntries(
        ['01-diagnose', '02-prescribe', third, '04-monitor', '05-release', '06-follow-up'].map(
          (stem, i, all) => {
            const [n, ...name] = stem.split('-');
            const title = name.join(' ').replace(/^./, (x) => x.toUpperCase());
            return [
              `${root}/${stem}.md`,
              phaseDoc({ title, phase: n, name: title, previous: all[i - 1], next: all[i + 1] }),
            ];
          },
        ),
      );
    for (const top of ['', 'releases/']) {
      const [one, two] = [`${top}release-2026.1`, `${top}release-2026.2`];
      const files = {
        ...phases(one, '03-treat'),
        ...phases(two, '03-implement'),
        [`${one}/artifacts/diagram.md`]: '---\naliases: [Architecture sketch]\n---\n# diagram\n',
        [`${one}/artifacts/rollback-plan.md`]: '# Rollback plan\n',
        [`${one}/artifacts/release-plan.md`]: '# Release plan\n',
        [`${two}/artifacts/release-plan.md`]: '# Release plan\n',
        [`${two}/artifacts/test-report.md`]: '---\naliases: [QA sketch]\n---\n# Test report\n',
      };
      await withServer(files, async (c, uri) => {
        const docUri = uri(`${two}/03-implement.md`);
        const text = `${files[`${two}/03-implement.md`]}\nSee [[`;
        await c.open(docUri, text);
        const list = await complete(c, docUri, at(text, 'See [[', 6));
        const inserted = (rel: string) =>
          list.items
            .filter((i) => i.documentation === rel)
            .map((i) => `${i.label}|${(i.textEdit as TextEdit).newText}`);
        // The other cycle's documents, by their path, their titles beside them.
        assert.deepEqual(inserted(`${one}/artifacts/diagram.md`), [`diagram|${one}/artifacts/diagram]]`]);
        assert.deepEqual(inserted(`${one}/artifacts/rollback-plan.md`), [
          `rollback-plan|${one}/artifacts/rollback-plan]]`,
        ]);
        assert.deepEqual(inserted(`${one}/03-treat.md`), [`03-treat|${one}/03-treat]]`]);
        assert.deepEqual(inserted(`${one}/02-prescribe.md`), [`02-prescribe|${one}/02-prescribe]]`]);
        // This cycle's own, by their bare names or titles.
        assert.deepEqual(inserted(`${two}/02-prescribe.md`), ['02-prescribe|02-prescribe]]']);
        assert.deepEqual(inserted(`${two}/artifacts/test-report.md`), ['Test report|Test report]]']);
        assert.deepEqual(inserted(`${two}/artifacts/release-plan.md`), ['Release plan|Release plan]]']);
        // Typing the title still finds the other cycle's document, inserted by its path.
        const typed = `${text}Rollback`;
        await c.change(docUri, [{ text: typed }]);
        const byTitle = await complete(c, docUri, at(typed, '[[Rollback', 10));
        assert.deepEqual(
          byTitle.items.map((i) => (i.textEdit as TextEdit).newText),
          [`${one}/artifacts/rollback-plan]]`],
        );
        // An alias is a bare name: offered for this cycle's document only.
        const sketch = `${text}sketch`;
        await c.change(docUri, [{ text: sketch }]);
        const byAlias = await complete(c, docUri, at(sketch, '[[sketch', 8));
        assert.deepEqual(
          byAlias.items.map((i) => (i.textEdit as TextEdit).newText),
          [`${one}/artifacts/diagram]]`, 'QA sketch]]'],
        );
        // Whichever is accepted, it leads to its document and no finding says it leaves the cycle.
        for (const item of [...list.items, ...byAlias.items]) {
          const edit = item.textEdit as TextEdit;
          const edited = apply(text, { ...edit, range: { start: edit.range.start, end: edit.range.start } });
          await c.change(docUri, [{ text: edited }]);
          const def = await request<Location | null>(c, 'textDocument/definition', {
            textDocument: { uri: docUri },
            position: at(edited, 'See [[', 6),
          });
          assert.equal(def?.uri, uri(item.documentation as string), `${edit.newText} resolves back`);
          const codes = c.diagnosticsOf(docUri).map((d) => d.code);
          assert.ok(!codes.includes('cross-instance-link'), `${edit.newText}: ${codes.join(', ')}`);
          assert.ok(!codes.includes('ambiguous-link'), `${edit.newText}: ${codes.join(', ')}`);
        }
      });
    }
  });

  it('offers nothing where what is typed is no link: code, a code span, a comment, raw HTML', async () => {
    const files = { 'docs/plan.md': '# Plan\n\n## Goals\n', 'docs/notes.md': '# Notes\n' };
    await withServer(files, async (c, uri) => {
      const notes = uri('docs/notes.md');
      const count = async (text: string, typed: string) => {
        await c.open(notes, text);
        const list = await complete(c, notes, at(text, typed, typed.length));
        return list.items?.length ?? (list as unknown as unknown[]).length;
      };
      for (const [text, typed] of [
        ['# Notes\n\n```markdown\nSee [[pla\n```\n', '[[pla'],
        ['# Notes\n\nSee `[[pla` here.\n', '[[pla'],
        ['# Notes\n\n    [[pla\n', '[[pla'],
        ['# Notes\n\n<!-- [[pla -->\n', '[[pla'],
        ['# Notes\n\n<span title="[[pla">x</span>\n', '[[pla'],
        ['# Notes\n\n```\n[p](pla\n```\n', '](pla'],
        ['# Notes\n\n`[p](plan.md#` here\n', '](plan.md#'],
      ] as const)
        assert.equal(await count(text, typed), 0, text);
      // The same typed where it is a link: items.
      for (const [text, typed] of [
        ['# Notes\n\nSee [[pla\n', '[[pla'],
        ['# Notes\n\nSee `code` and ![[pla]] here.\n', '![[pla'],
        ['# Notes\n\n> - [[pla\n', '[[pla'],
        ['# Notes\n\nSee [p](pla\n', '](pla'],
        ['# Notes\n\nSee [p](<pla> and\n', '](<pla'],
        ['# Notes\n\nSee [p](plan.md#', '](plan.md#'],
        ['# Notes\n\n[ref]: pla\n', ']: pla'],
      ] as const)
        assert.ok((await count(text, typed)) > 0, text);
    });
  });

  it('after ]( offers paths relative to the document, nearest first, and anchors after #', async () => {
    const files = {
      'docs/02-design/README.md': '# Design\n',
      'docs/02-design/api spec.md': '# API Spec\n\n## Error Codes\n\n## Error Codes\n\n## Über uns\n',
      'docs/02-design/Über (v2) 要件.md': '# Über\n',
      'docs/01-frame/prd.md': '# PRD\n',
      'docs/01-frame/README.md': '# Frame\n',
      'notes/other.md': '# Other\n',
    };
    await withServer(files, async (c, uri) => {
      const readme = uri('docs/02-design/README.md');
      const text = '# Design\n\nSee [the spec](';
      await c.open(readme, text);
      const list = await complete(c, readme, at(text, '](', 2));
      const paths = list.items.map((i) => (i.textEdit as TextEdit).newText);
      // This folder first, then one folder up, then two; a space is encoded, letters and
      // balanced parentheses are not; not itself.
      assert.deepEqual(paths, [
        'api%20spec.md',
        'Über%20(v2)%20要件.md',
        '../01-frame/prd.md',
        '../01-frame/README.md',
        '../../notes/other.md',
      ]);
      for (const item of list.items) {
        const edited = apply(text, item.textEdit as TextEdit);
        await c.change(readme, [{ text: `${edited})` }]);
        const def = await request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: readme },
          position: at(edited, '](', 3),
        });
        assert.equal(def?.uri, uri(item.documentation as string), `${item.label} leads to its document`);
      }
      // Typed so far, and the rest of a written path after the cursor, are replaced.
      const mid = '# Design\n\n[p](../01-fr/old.md) and [q](<api)';
      await c.change(readme, [{ text: mid }]);
      const typed = await complete(c, readme, at(mid, '../01-fr', 8));
      assert.deepEqual(
        typed.items.map((i) => (i.textEdit as TextEdit).newText),
        ['../01-frame/prd.md', '../01-frame/README.md'],
      );
      assert.deepEqual((typed.items[0].textEdit as TextEdit).range, {
        start: at(mid, '../01-fr'),
        end: at(mid, ')'),
      });
      // In `<…>` a space is written as it is.
      const angle = await complete(c, readme, at(mid, '<api', 4));
      assert.deepEqual(
        angle.items.map((i) => (i.textEdit as TextEdit).newText),
        ['api spec.md'],
      );
      // After `#`: the headings' GitHub anchors, repeats numbered.
      const anchors = '# Design\n\n[e](api%20spec.md#err) [s](#)';
      await c.change(readme, [{ text: anchors }]);
      const inSpec = await complete(c, readme, at(anchors, '#err', 4));
      assert.deepEqual(
        inSpec.items.map((i) => `${i.label}|${(i.textEdit as TextEdit).newText}`),
        ['Error Codes|error-codes', 'Error Codes|error-codes-1'],
      );
      assert.deepEqual((inSpec.items[0].textEdit as TextEdit).range, {
        start: at(anchors, 'err'),
        end: at(anchors, ') [s]'),
      });
      const own = await complete(c, readme, at(anchors, '(#)', 2));
      assert.deepEqual(
        own.items.map((i) => (i.textEdit as TextEdit).newText),
        ['design'],
      );
      // A path holding balanced parentheses is one destination: its anchors are offered,
      // and completing inside it replaces all of it.
      const parens = '# Design\n\n[u](%C3%9Cber%20(v2)%20%E8%A6%81%E4%BB%B6.md#) [w](api%20(v2).md#x) y';
      await c.change(readme, [{ text: parens }]);
      const inParens = await complete(c, readme, at(parens, '.md#)', 4));
      assert.deepEqual(
        inParens.items.map((i) => (i.textEdit as TextEdit).newText),
        ['über'],
      );
      // The cursor inside the parentheses, or a reference definition: the whole path goes.
      const uber = '%C3%9Cber%20(v2)%20%E8%A6%81%E4%BB%B6.md';
      for (const [doc, needle, offset] of [
        [`[w](${uber}) y`, '(v2)', 2],
        [`[w](${uber}#x) y`, '(v2)', 1],
        [`[r]: ${uber}`, '%C3', 0],
        [`[r]: ${uber} "title"`, '%C3', 0],
      ] as const) {
        const text = `# Design\n\n${doc}`;
        await c.change(readme, [{ text }]);
        const [first] = (await complete(c, readme, at(text, needle, offset))).items;
        assert.ok(first, doc);
        assert.equal(
          apply(text, first.textEdit as TextEdit),
          `# Design\n\n${doc.replace(uber, (first.textEdit as TextEdit).newText)}`,
          doc,
        );
      }
      await c.change(readme, [{ text: parens }]);
      const [api] = (await complete(c, readme, at(parens, 'api%20(v2)', 3))).items;
      assert.equal(
        apply(parens, api.textEdit as TextEdit),
        '# Design\n\n[u](%C3%9Cber%20(v2)%20%E8%A6%81%E4%BB%B6.md#) [w](api%20spec.md#x) y',
      );
      // A reference definition's destination too.
      const ref = '# Design\n\n[spec]: ../01';
      await c.change(readme, [{ text: ref }]);
      const refItems = await complete(c, readme, at(ref, '../01', 5));
      assert.deepEqual(
        refItems.items.map((i) => (i.textEdit as TextEdit).newText),
        ['../01-frame/prd.md', '../01-frame/README.md'],
      );
      // Punctuation after the typed path belongs to the sentence: it stays.
      for (const [line, kept] of [
        ['See [p](../01-fr, and more', ', and more'],
        ['See [p](../01-fr.', '.'],
        ['| [p](../01-fr| cell |', '| cell |'],
        ['*[p](../01-fr*', '*'],
        ['[p](../01-fr**bold**', '**bold**'],
        ['[p](<../01-fr, and', ', and'],
      ]) {
        const doc = `# Design\n\n${line}`;
        await c.change(readme, [{ text: doc }]);
        const [first] = (await complete(c, readme, at(doc, '01-fr', 5))).items;
        assert.equal(
          apply(doc, first.textEdit as TextEdit),
          `# Design\n\n${line.replace(/01-fr.*$/, '')}01-frame/prd.md${kept}`,
        );
      }
      // In a closed link the whole rest of the path goes, whatever characters it holds.
      for (const line of [
        '[p](../01-fr&D/x.md) tail',
        '[p](../01-fr\'s.md "title") tail',
        '[p](../01-fr,b.md#a) tail',
      ]) {
        const doc = `# Design\n\n${line}`;
        await c.change(readme, [{ text: doc }]);
        const [first] = (await complete(c, readme, at(doc, '01-fr', 5))).items;
        const rest = line.slice(line.indexOf('01-fr') + 5).replace(/^[^#\s)]*/, '');
        assert.equal(apply(doc, first.textEdit as TextEdit), `# Design\n\n[p](../01-frame/prd.md${rest}`);
      }
      // A footnote definition is no reference definition.
      const note = '# Design\n\n[^1]: ../01';
      await c.change(readme, [{ text: note }]);
      assert.deepEqual(await complete(c, readme, at(note, '../01', 5)), []);
      // Past the destination (a title, or the link closed) nothing is offered.
      const past = '# Design\n\n[a](prd.md "t) [b](x.md) ';
      await c.change(readme, [{ text: past }]);
      assert.deepEqual(await complete(c, readme, at(past, '"t', 2)), []);
      assert.deepEqual(await complete(c, readme, { line: 2, character: past.split('\n')[2].length }), []);
    });
  });

  it('leaves markdown paths to a client that completes them itself', async () => {
    const files = { 'a/README.md': '# A\n', 'a/plan.md': '# Plan\n' };
    const capabilities = { ...CAPABILITIES, experimental: { cdp: { markdownPathCompletion: true } } };
    await withServer(
      files,
      async (c, uri) => {
        const text = '# A\n\n[p](';
        await c.open(uri('a/README.md'), text);
        assert.deepEqual(await complete(c, uri('a/README.md'), at(text, '](', 2)), []);
      },
      { capabilities },
    );
  });

  it('replaces the rest of the name after the cursor, and offers only names a link can hold', async () => {
    const files = {
      'wf/notes.md': '# Notes\n',
      'ops/rollback-plan.md': '# Rollback Plan\n',
      'wf/c#-notes.md': '# C sharp\n',
      'wf/q&a [draft].md': '# QA draft\n',
    };
    await withServer(files, async (c, uri) => {
      const notesUri = uri('wf/notes.md');
      // Completing in the middle of a closed link: the tail after the cursor goes too.
      const mid = '# Notes\n\nx [[rollback-pl]] tail';
      await c.open(notesUri, mid);
      const list = await complete(c, notesUri, at(mid, '[[rollb', 7));
      const item = list.items.find((i) => i.documentation === 'ops/rollback-plan.md')!;
      const edit = item.textEdit as TextEdit;
      assert.deepEqual(edit.range, { start: at(mid, '[[', 2), end: at(mid, ']]') });
      assert.equal(apply(mid, edit), `# Notes\n\nx [[${edit.newText}]] tail`);
      // In a table the alias separator is `\|`: the backslash stays.
      const table = '# Notes\n\n| a | b |\n| --- | --- |\n| [[rollb\\|Plan]] | x |\n';
      await c.change(notesUri, [{ text: table }]);
      const inTable = await complete(c, notesUri, at(table, '[[rollb', 7));
      const t = inTable.items.find((i) => i.documentation === 'ops/rollback-plan.md')!.textEdit as TextEdit;
      assert.match(apply(table, t), /\| \[\[[^\]|\\]+\\\|Plan\]\] \| x \|/);
      await assertResolvesBack(c, notesUri, mid, edit, uri('ops/rollback-plan.md'));
      // `#`, `|` and brackets cannot stand in a link target: the slug form is offered, which
      // resolves to the same document.
      const typed = '# Notes\n\nSee [[';
      await c.change(notesUri, [{ text: typed }]);
      const all = await complete(c, notesUri, at(typed, '[[', 2));
      for (const doc of ['wf/c#-notes.md', 'wf/q&a [draft].md']) {
        const offered = all.items.find((i) => i.documentation === doc);
        assert.ok(offered, doc);
        const e = offered.textEdit as TextEdit;
        assert.doesNotMatch(e.newText.replace(/\]\]$/, ''), /[#|[\]]/, e.newText);
        await assertResolvesBack(c, notesUri, typed, e, uri(doc));
      }
    });
  });

  it('in a link still being typed, keeps the punctuation after the cursor and takes in a lone ]', async () => {
    const files = { 'docs/notes.md': '# Notes\n', 'docs/rollback-plan.md': '# Rollback Plan\n' };
    await withServer(files, async (c, uri) => {
      const notesUri = uri('docs/notes.md');
      const cases: [string, string][] = [
        ['(see [[roll)', '(see [[Rollback Plan]])'],
        ['"[[roll" she said', '"[[Rollback Plan]]" she said'],
        ['**[[roll** bold', '**[[Rollback Plan]]** bold'],
        ['see [[roll]', 'see [[Rollback Plan]]'],
        ['see [[roll] and more', 'see [[Rollback Plan]] and more'],
        ['see [[roll.', 'see [[Rollback Plan]].'],
        ["'[[roll', she said", "'[[Rollback Plan]]', she said"],
        // the rest of a name being typed is still replaced
        ['see [[rollback-pl and more', 'see [[Rollback Plan]] and more'],
      ];
      for (const [line, expected] of cases) {
        const text = `# Notes\n\n${line}\n`;
        await c.open(notesUri, text);
        const list = await complete(c, notesUri, at(text, '[[roll', 6));
        assert.equal(apply(text, list.items[0].textEdit as TextEdit), `# Notes\n\n${expected}\n`, line);
        await c.close(notesUri);
      }
      // in metadata: the list stays valid YAML
      const meta = '# Notes\n\n---\nartifacts: ["[[roll"]\n---\n';
      await c.open(notesUri, meta);
      const list = await complete(c, notesUri, at(meta, '[[roll', 6));
      const item = list.items.find((i) => i.documentation === 'docs/rollback-plan.md')!;
      assert.equal(
        apply(meta, item.textEdit as TextEdit),
        '# Notes\n\n---\nartifacts: ["[[Rollback Plan]]"]\n---\n',
      );
    });
  });

  it('completes a title with spaces typed, inserting the title when it resolves, else the name', async () => {
    const files = {
      'wf/notes.md': '# Notes\n',
      'ops/rollback-plan.md': '# Rollback Plan\n',
      'ops/rb-2.md': '# Rollback Procedure\n',
    };
    await withServer(files, async (c, uri) => {
      const notesUri = uri('wf/notes.md');
      const text = '# Notes\n\nSee [[Rollback P';
      await c.open(notesUri, text);
      const list = await complete(c, notesUri, at(text, '[[Rollback P', 12));
      assert.deepEqual(list.items.map((i) => `${i.label}|${(i.textEdit as TextEdit).newText}`).sort(), [
        'Rollback Plan|Rollback Plan]]',
        'rb-2|rb-2]]',
      ]);
      assert.equal(
        list.items.find((i) => i.label === 'rb-2')?.labelDetails?.description,
        'Rollback Procedure',
      );
      for (const item of list.items) {
        const edit = item.textEdit as TextEdit;
        // the whole typed text, spaces included, is replaced
        assert.deepEqual(edit.range, { start: at(text, '[[', 2), end: at(text, '[[Rollback P', 12) });
        assert.match(item.filterText ?? '', /^Rollback P/);
        await assertResolvesBack(c, notesUri, text, edit, uri(item.documentation as string));
      }
    });
  });

  it('keeps an existing ]] and completes headings after [[name#', async () => {
    await withServer(cycle({ 'wf/notes.md': '# Notes\n' }), async (c, uri) => {
      const notesUri = uri('wf/notes.md');
      const text = '# Notes\n\n[[01-di]] and [[02-release#ex]]\n';
      await c.open(notesUri, text);
      const docs = await complete(c, notesUri, at(text, '[[01-di', 7));
      assert.deepEqual(
        docs.items.map((i) => (i.textEdit as TextEdit).newText),
        ['01-diagnose'],
      );
      const heads = await complete(c, notesUri, at(text, '#ex', 3));
      assert.deepEqual(
        heads.items.map((i) => i.label),
        ['Exit Criteria'],
      );
      assert.deepEqual((heads.items[0].textEdit as TextEdit).range, {
        start: at(text, '#ex', 1),
        end: at(text, '#ex', 3),
      });
      const all = await complete(c, notesUri, at(text, '#ex', 1));
      assert.deepEqual(
        all.items.map((i) => i.label),
        ['Overview', 'Entry Criteria', 'Exit Criteria', 'Notes', 'Production Readiness Gate'],
      );
    });
  });

  it('completes a heading a wikilink cannot hold as written by its slug, which leads to it', async () => {
    const plan = '# Rollback Plan\n\n## [Draft] Steps\n\n## Foo `bar`\n\n## Plain Steps\n';
    const files = { 'docs/notes.md': '# Notes\n', 'docs/rollback-plan.md': plan };
    await withServer(files, async (c, uri) => {
      const notesUri = uri('docs/notes.md');
      const text = '# Notes\n\nSee [[rollback-plan#';
      await c.open(notesUri, text);
      const list = await complete(c, notesUri, at(text, '#', 1, 1));
      assert.deepEqual(
        list.items.map((i) => `${i.label}|${(i.textEdit as TextEdit).newText}`),
        ['[Draft] Steps|draft-steps]]', 'Foo `bar`|foo-bar]]', 'Plain Steps|Plain Steps]]'],
      );
      for (const item of list.items) {
        const edited = apply(text, item.textEdit as TextEdit);
        await c.change(notesUri, [{ text: edited }]);
        const def = await request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: notesUri },
          position: at(edited, '#', 1, 1),
        });
        assert.equal(def?.uri, uri('docs/rollback-plan.md'), edited);
        assert.equal(def?.range.start.line, lineOf(plan, `## ${item.label}`), edited);
      }
    });
  });

  it('inside metadata: links in values, and phase documents for an empty next_phase', async () => {
    const files = cycle({
      'wf/03-follow-up.md': phaseDoc({ title: 'Follow Up', phase: '03', name: 'Follow Up' }),
    });
    await withServer(files, async (c, uri) => {
      const releaseUri = uri('wf/02-release.md');
      const text = RELEASE.replace(
        'previous_phase: "[[01-diagnose]]"',
        'previous_phase: "[[01-diagnose]]"\nnext_phase: ',
      );
      await c.open(releaseUri, text);
      const empty = await complete(c, releaseUri, at(text, 'next_phase: ', 12));
      assert.deepEqual(
        empty.items.map((i) => (i.textEdit as TextEdit).newText),
        ['"[[03-follow-up]]"', '"[[01-diagnose]]"'],
      );
      assert.equal(empty.items[0].preselect, true);

      const typed = text.replace('next_phase: ', 'next_phase: "[[03');
      await c.change(releaseUri, [{ text: typed }]);
      const inValue = await complete(c, releaseUri, at(typed, '"[[03', 5));
      assert.deepEqual(
        inValue.items.map((i) => (i.textEdit as TextEdit).newText),
        ['03-follow-up]]'],
      );
    });
  });

  it('a next_phase or previous_phase value already written is replaced, not added to', async () => {
    const files = {
      'docs/01-a.md': phaseDoc({ title: 'A', phase: '01', name: 'A' }),
      'docs/02-b.md': phaseDoc({ title: 'B', phase: '02', name: 'B' }),
      'docs/03-c.md': phaseDoc({ title: 'C', phase: '03', name: 'C' }),
    };
    await withServer(files, async (c, uri) => {
      const aUri = uri('docs/01-a.md');
      const cases: [string, string, number][] = [
        ['next_phase: "[[03-c]]"', 'next_phase: "[[02-b]]"', 12],
        ['next_phase: [[03-c]]', 'next_phase: "[[02-b]]"', 12],
        ['next_phase: ""', 'next_phase: "[[02-b]]"', 12],
        ['next_phase: "[[03-c]]"  # later', 'next_phase: "[[02-b]]"  # later', 12],
        ['next_phase: "[[03-c]]"', 'next_phase: "[[02-b]]"', 13],
        ["next_phase: '[[03-c]]'", 'next_phase: "[[02-b]]"', 12],
      ];
      for (const [line, expected, col] of cases) {
        const text = `# A\n\n---\nphase: 01\nname: "A"\n${line}\n---\n`;
        await c.open(aUri, text);
        const list = await complete(c, aUri, at(text, 'next_phase: ', col));
        const item = list.items.find((i) => i.documentation === 'docs/02-b.md')!;
        assert.equal(
          apply(text, item.textEdit as TextEdit),
          `# A\n\n---\nphase: 01\nname: "A"\n${expected}\n---\n`,
          line,
        );
        await c.close(aUri);
      }
    });
  });

  it('caps the list at 200 items, nearest first, and says it is incomplete', async () => {
    const files: Record<string, string> = {
      'zone/notes.md': '# Notes\n',
      'zone/doc-near.md': '# Near\n',
      'zone/other.md': '# Other\n',
      'zone/a-sub/deep.md': '# Deep\n',
    };
    for (let i = 0; i < 230; i++) files[`docs/doc-${i}.md`] = `# Doc ${i}\n`;
    await withServer(files, async (c, uri) => {
      const text = '# Notes\n\n[[doc\n[[doc-22';
      await c.open(uri('zone/notes.md'), text);
      const list = await complete(c, uri('zone/notes.md'), at(text, '[[doc', 5));
      assert.equal(list.items.length, 200);
      assert.equal(list.isIncomplete, true);
      assert.equal(list.items[0].label, 'doc-near', 'the document of the same folder comes first');
      assert.ok(list.items.every((i) => /^doc/i.test(String(i.label))));
      // Nothing typed yet: the same folder first, then the same top folder, then the others, each in path order.
      const empty = await complete(c, uri('zone/notes.md'), at(text, '[[', 2));
      assert.equal(empty.items.length, 200);
      assert.equal(empty.isIncomplete, true);
      assert.deepEqual(
        empty.items.slice(0, 5).map((i) => i.label),
        ['doc-near', 'other', 'deep', 'Doc 0', 'Doc 1'],
      );
      const narrow = await complete(c, uri('zone/notes.md'), at(text, '[[doc-22', 8));
      assert.deepEqual(
        narrow.items.map((i) => i.label),
        // Prefix matches first, then the looser (subsequence) ones.
        // (each by its title, which resolves to it: "Doc 22" is doc-22.md)
        ['Doc 22', ...Array.from({ length: 10 }, (_, k) => `Doc 22${k}`), 'Doc 122', 'Doc 202', 'Doc 212'],
      );
      assert.equal(narrow.isIncomplete, false);
    });
  });

  it('nothing typed: the same folder first, then its own product, then other products, then the rest', async () => {
    const files: Record<string, string> = {
      'README.md': '# Workspace\n',
      // Nearer than the workspace's README: its bare name reaches this one.
      'products/README.md': '# All products\n',
      'products/quill/docs/helix/01-frame/notes.md': '# Notes\n',
      'products/quill/docs/helix/01-frame/design.md': '# Design\n',
      'products/quill/docs/helix/02-design/arch.md': '# Arch\n',
      'products/quill/docs/guide.md': '# Guide\n',
    };
    // Other products, before quill in path order.
    for (const p of ['beacon', 'ledger'])
      for (let i = 0; i < 9; i++) files[`products/${p}/docs/helix/01-frame/${p}-${i}.md`] = `# ${p} ${i}\n`;
    await withServer(files, async (c, uri) => {
      const notes = uri('products/quill/docs/helix/01-frame/notes.md');
      const text = '# Notes\n\n[[';
      await c.open(notes, text);
      const list = await complete(c, notes, at(text, '[[', 2));
      const order = list.items.map((i) => String(i.documentation));
      assert.deepEqual(order.slice(0, 3), [
        'products/quill/docs/helix/01-frame/design.md',
        'products/quill/docs/helix/02-design/arch.md',
        'products/quill/docs/guide.md',
      ]);
      assert.deepEqual(
        order.slice(3, 22),
        order.filter((r) => /^products\/(?!quill\/)/.test(r)),
      );
      assert.equal(order[22], 'README.md');
      assert.equal(order.length, 23);
      assert.deepEqual(
        list.items.map((i) => i.sortText),
        list.items.map((_, i) => String(i).padStart(4, '0')),
      );
      // The workspace's README by the path climbing exactly to it, which leads to it alone (a
      // wikilink has no root-relative form: `/README` is read as an absolute path).
      const readme = list.items[22].textEdit!.newText;
      assert.equal(readme, '../../../../../README]]');
      const entry = c.ctx.index.get(notes)!;
      const r = c.ctx.index.resolve(entry, { target: readme.slice(0, -2) });
      assert.ok(r.status === 'resolved' && r.candidates.length === 1 && r.target.rel === 'README.md');
    });
  });

  it('finds any document by typing more, and follows new titles, new files and deleted files', async () => {
    const files: Record<string, string> = { 'zone/notes.md': '# Notes\n' };
    for (let i = 0; i < 300; i++) files[`docs/d${i}/entry-${i}.md`] = `# entry-${i}\n`;
    await withServer(files, async (c, uri) => {
      const notes = uri('zone/notes.md');
      const typing = async (typed: string) => {
        const text = `# Notes\n\n[[${typed}\n`;
        await c.change(notes, [{ text }]);
        return complete(c, notes, { line: 2, character: 2 + typed.length });
      };
      await c.open(notes, '# Notes\n');
      const first = await typing('');
      assert.equal(first.items.length, 200);
      assert.equal(first.isIncomplete, true);
      const offered = new Set(first.items.map((i) => i.label));
      const missing = Array.from({ length: 300 }, (_, i) => `entry-${i}`).filter((n) => !offered.has(n));
      assert.equal(missing.length, 100);
      // The list was incomplete: the client asks again as more is typed, and every document is reached.
      for (const name of missing) {
        const more = await typing(name);
        assert.equal(more.items[0]?.label, name, `${name} after typing it`);
      }
      assert.deepEqual((await typing('Zebra')).items, []);
      await c.open(uri('docs/d7/entry-7.md'), '# Zebra Crossing\n');
      // Found by its new title (which does not lead to it as a link: the name is inserted).
      assert.deepEqual(
        (await typing('Zebra')).items.map((i) => `${i.label}|${i.labelDetails?.description}`),
        ['entry-7|Zebra Crossing'],
      );
      await c.open(uri('docs/new/brand-new.md'), '# brand-new\n');
      assert.deepEqual(
        (await typing('brand')).items.map((i) => i.label),
        ['brand-new'],
      );
      // A new title and a new file between two requests.
      await c.open(uri('docs/d9/entry-9.md'), '# Yak Shaving\n');
      await c.open(uri('docs/new/yak-log.md'), '# yak-log\n');
      assert.deepEqual(
        (await typing('yak')).items.map((i) => `${i.label}|${i.labelDetails?.description}`),
        ['entry-9|Yak Shaving', 'yak-log|undefined'],
      );
      assert.ok((await typing('entry-8')).items.some((i) => i.label === 'entry-8'));
      c.ws.files.delete(uri('docs/d8/entry-8.md'));
      await c.ctx.syncFromDisk([uri('docs/d8/entry-8.md')]);
      const after = (await typing('entry-8')).items.map((i) => i.label);
      assert.ok(after.includes('entry-80') && !after.includes('entry-8'), after.join(' '));
      // Half of the documents go: what is left fits in one list again.
      const gone = Array.from({ length: 150 }, (_, k) => uri(`docs/d${100 + k}/entry-${100 + k}.md`));
      for (const u of gone) c.ws.files.delete(u);
      await c.ctx.syncFromDisk(gone);
      const rest = await typing('');
      assert.equal(rest.isIncomplete, false);
      assert.equal(rest.items.length, 300 + 2 - 1 - 150);
    });
  });
});

describe('symbols', () => {
  it('a numbered file that is no workflow’s phase is shown as no phase: outline, hover, completion', async () => {
    const files = {
      'guide/01-intro.md': '# Intro\n\nSee [[02-setup]] and [setup](02-setup.md).\n',
      'guide/02-setup.md': '# Setup\n\nInstall it.\n',
      'notes.md': '# Notes\n\n[[\n',
    };
    await withServer(files, async (c, uri) => {
      const syms = await request<DocumentSymbol[]>(c, 'textDocument/documentSymbol', {
        textDocument: { uri: uri('guide/01-intro.md') },
      });
      assert.deepEqual(
        syms.map((s) => [s.name, s.detail]),
        [['Intro', undefined]],
      );
      const text = files['guide/01-intro.md'];
      for (const needle of ['02-setup]]', 'setup](']) {
        const hover = await request<Hover | null>(c, 'textDocument/hover', {
          textDocument: { uri: uri('guide/01-intro.md') },
          position: at(text, needle),
        });
        const value =
          hover && typeof hover.contents === 'object' && 'value' in hover.contents
            ? hover.contents.value
            : '';
        assert.match(value, /\*\*Setup\*\*/, needle);
        assert.doesNotMatch(value, /Phase/, needle);
      }
      await c.open(uri('notes.md'), files['notes.md']);
      const list = await request<CompletionList>(c, 'textDocument/completion', {
        textDocument: { uri: uri('notes.md') },
        position: { line: 2, character: 2 },
      });
      const setup = list.items.find((i) => i.label === 'Setup' || i.label === '02-setup');
      assert.ok(setup, 'offered');
      assert.doesNotMatch(`${setup.detail ?? ''} ${setup.labelDetails?.description ?? ''}`, /02 Setup/);
    });
    // A workflow's phase keeps its label.
    const phased = {
      ...files,
      'guide/01-intro.md': '# Intro\n\n## Exit Criteria\n\n- [ ] read\n\n[[02-setup]]\n',
    };
    await withServer(phased, async (c, uri) => {
      const syms = await request<DocumentSymbol[]>(c, 'textDocument/documentSymbol', {
        textDocument: { uri: uri('guide/01-intro.md') },
      });
      assert.equal(syms[0].detail, 'Phase 01 — Intro');
    });
  });

  it('outlines headings as a tree with checklist counts and the phase on the title', async () => {
    await withServer(cycle(), async (c, uri) => {
      const syms = await request<DocumentSymbol[]>(c, 'textDocument/documentSymbol', {
        textDocument: { uri: uri('wf/02-release.md') },
      });
      const show = (s: DocumentSymbol): unknown => ({
        name: s.name,
        ...(s.detail ? { detail: s.detail } : {}),
        ...(s.children && s.children.length > 0 ? { children: s.children.map(show) } : {}),
      });
      assert.deepEqual(syms.map(show), [
        {
          name: 'Release: Ship It',
          detail: 'Phase 02 — Release',
          children: [
            { name: 'Overview' },
            { name: 'Entry Criteria', detail: '1/1' },
            { name: 'Exit Criteria', detail: '1/2', children: [{ name: 'Notes' }] },
            { name: 'Production Readiness Gate', detail: '1/2' },
          ],
        },
      ]);
      const exit = syms[0].children![2];
      assert.equal(exit.range.start.line, lineOf(RELEASE, '## Exit Criteria'));
      assert.equal(exit.range.end.line, lineOf(RELEASE, '## Production Readiness Gate') - 1);
      assert.equal(exit.selectionRange.start.line, exit.range.start.line);
    });
  });

  it('finds phases, gates and artifacts across the workspace by fuzzy query', async () => {
    await withServer(cycle(), async (c, uri) => {
      const ws = (query: string) => request<SymbolInformation[]>(c, 'workspace/symbol', { query });
      const all = await ws('');
      assert.deepEqual(
        all.map((s) => [s.name, s.containerName]),
        [
          ['01 Diagnose', 'wf'],
          ['Release Plan', 'wf'],
          ['02 Release', 'wf'],
          ['Production Readiness Gate 1/2', 'wf · 02 Release'],
        ],
      );
      const gate = await ws('prodgate');
      assert.deepEqual(
        gate.map((s) => [s.name, s.location.uri, s.location.range.start.line]),
        [
          [
            'Production Readiness Gate 1/2',
            uri('wf/02-release.md'),
            lineOf(RELEASE, '## Production Readiness'),
          ],
        ],
      );
      assert.deepEqual(
        (await ws('RELPLAN')).map((s) => s.location.uri),
        [uri('wf/artifacts/release-plan.md')],
      );
      assert.deepEqual(await ws('zzz'), []);
    });
  });

  it("finds a HELIX phase's gate-file groups and the artifacts in its folder or naming it", async () => {
    const files = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
      'docs/helix/01-frame/exit-gates.yml': 'exit_gates:\n  - criteria: Scope agreed\n',
      'docs/helix/01-frame/runbook.md': '# Runbook\n',
      'docs/prd.md': '---\nphase: "01-frame"\n---\n# Product requirements\n',
    };
    await withServer(files, async (c, uri) => {
      const ws = (query: string) => request<SymbolInformation[]>(c, 'workspace/symbol', { query });
      assert.deepEqual(
        (await ws('')).map((s) => [s.name, s.location.uri]),
        [
          ['01 Frame', uri('docs/helix/01-frame/README.md')],
          ['Exit Gates 0/1', uri('docs/helix/01-frame/exit-gates.yml')],
          ['Runbook', uri('docs/helix/01-frame/runbook.md')],
          ['Product requirements', uri('docs/prd.md')],
        ],
      );
    });
  });
});

describe('code lenses', () => {
  for (const own of [false, true]) {
    const prefix = own ? 'cdp.' : 'cdp.server.';
    it(`shows counts above groups, and a gate check in phase documents only (commands ${prefix}*)`, async () => {
      const list = '# List\n\n## Todo\n\n- [x] one\n- [ ] two\n';
      const capabilities = own
        ? { ...CAPABILITIES, experimental: { cdp: { commands: ['cdp.checkGate', 'cdp.revealGroup'] } } }
        : CAPABILITIES;
      await withServer(
        cycle({ 'wf/list.md': list }),
        async (c, uri) => {
          const lenses = await request<CodeLens[]>(c, 'textDocument/codeLens', {
            textDocument: { uri: uri('wf/02-release.md') },
          });
          const exitLine = lineOf(RELEASE, '## Exit Criteria');
          const atExit = lenses.filter((l) => l.range.start.line === exitLine);
          assert.deepEqual(
            atExit.map((l) => l.command),
            [
              {
                title: '1/2 done',
                command: `${prefix}revealGroup`,
                arguments: [uri('wf/02-release.md'), exitLine],
              },
              {
                title: 'Check gate',
                command: `${prefix}checkGate`,
                arguments: [{ workflow: 'wf', phase: '02', group: 'Exit Criteria' }],
              },
            ],
          );
          assert.equal(lenses.length, 6, 'two lenses for each of the three groups');
          const plain = await request<CodeLens[]>(c, 'textDocument/codeLens', {
            textDocument: { uri: uri('wf/list.md') },
          });
          assert.deepEqual(
            plain.map((l) => [l.range.start.line, l.command?.title]),
            [[2, '1/2 done']],
          );
        },
        { capabilities },
      );
    });
  }

  it('a gate heading over prose: "no checklist items" in a phase, no lens on a page about the process', async () => {
    const page =
      '# Our process\n\n### Production Readiness Gate\n\nThe release manager checks the dashboard.\n';
    const phase = phaseDoc({
      title: 'Release',
      phase: '02',
      previous: '01-diagnose',
      body: '### Production Readiness Gate\n\nAsk the release manager.\n',
    });
    const template = '---\nphase: 1\ntemplate: true\n---\n# Template\n\n## Exit Criteria\n\n- [ ] x\n';
    const files = cycle({
      'docs/process.md': page,
      'wf/02-release.md': phase,
      'wf/00-template.md': template,
    });
    await withServer(files, async (c, uri) => {
      const lenses = (rel: string) =>
        request<CodeLens[]>(c, 'textDocument/codeLens', { textDocument: { uri: uri(rel) } });
      assert.deepEqual(await lenses('docs/process.md'), []);
      // A template beside live phases is none of theirs: its counts, no gate check.
      assert.deepEqual(
        (await lenses('wf/00-template.md')).map((l) => l.command?.title),
        ['0/1 done'],
      );
      assert.deepEqual(
        (await lenses('wf/02-release.md')).map((l) => [l.range.start.line, l.command?.title]),
        [
          [lineOf(phase, '### Production Readiness Gate'), 'no checklist items'],
          [lineOf(phase, '### Production Readiness Gate'), 'Check gate'],
        ],
      );
    });
  });
});

describe('markdown links', () => {
  const notes =
    '# Notes\n\nSee [release](02-release.md), [its exit](./02-release.md#exit-criteria), ' +
    '[plan](<artifacts/release-plan.md>), [gone](nowhere.md) and [web](https://example.org/02-release.md).\n\n' +
    '[diag]: /wf/01-diagnose.md#purpose\n';

  it('definition, references, hover and document links treat them like wikilinks', async () => {
    await withServer(cycle({ 'wf/notes.md': notes }), async (c, uri) => {
      const def = (pos: Position) =>
        request<Location | null>(c, 'textDocument/definition', {
          textDocument: { uri: uri('wf/notes.md') },
          position: pos,
        });
      assert.equal((await def(at(notes, '02-release.md)', 2)))?.uri, uri('wf/02-release.md'));
      const exit = await def(at(notes, '#exit-criteria', 3));
      assert.equal(exit?.uri, uri('wf/02-release.md'));
      assert.equal(exit?.range.start.line, lineOf(RELEASE, '## Exit Criteria'));
      assert.equal(
        (await def(at(notes, 'artifacts/release-plan', 2)))?.uri,
        uri('wf/artifacts/release-plan.md'),
      );
      const purpose = await def(at(notes, '01-diagnose.md#purpose', 2));
      assert.equal(purpose?.uri, uri('wf/01-diagnose.md'));
      assert.equal(purpose?.range.start.line, lineOf(DIAGNOSE, '## Purpose'));
      assert.equal(await def(at(notes, 'nowhere.md', 2)), null);
      assert.equal(await def(at(notes, 'example.org', 2)), null);

      // References of 02-release from its title include both markdown links of notes.md.
      const refs = await request<Location[]>(c, 'textDocument/references', {
        textDocument: { uri: uri('wf/02-release.md') },
        position: { line: 0, character: 3 },
        context: { includeDeclaration: false },
      });
      const fromNotes = refs.filter((l) => l.uri === uri('wf/notes.md')).map((l) => l.range.start.character);
      assert.deepEqual(fromNotes, [
        notes.split('\n')[2].indexOf('[release]'),
        notes.split('\n')[2].indexOf('[its exit]'),
      ]);
      // From the heading: only the link to that heading (and the wikilink to it).
      const toExit = await request<Location[]>(c, 'textDocument/references', {
        textDocument: { uri: uri('wf/02-release.md') },
        position: at(RELEASE, '## Exit Criteria', 4),
        context: { includeDeclaration: false },
      });
      assert.deepEqual(
        toExit.map((l) => (l.uri === uri('wf/notes.md') ? 'notes' : 'release')),
        ['release', 'notes'],
      );

      const hover = await request<Hover | null>(c, 'textDocument/hover', {
        textDocument: { uri: uri('wf/notes.md') },
        position: at(notes, '[release]', 2),
      });
      assert.match(hoverText(hover), /\*\*Release: Ship It\*\*/);
      const broken = await request<Hover | null>(c, 'textDocument/hover', {
        textDocument: { uri: uri('wf/notes.md') },
        position: at(notes, '[gone]', 2),
      });
      assert.match(hoverText(broken), /does not resolve: no document at that path/);

      const links = await request<DocumentLink[]>(c, 'textDocument/documentLink', {
        textDocument: { uri: uri('wf/notes.md') },
      });
      // (A `#L` line fragment only for clients that accept one.)
      assert.deepEqual(
        links.map((l) => l.target?.replace(/^.*\/wf\//, '').replace(/#L\d+$/, '')),
        ['02-release.md', '02-release.md', 'artifacts/release-plan.md', '01-diagnose.md'],
      );
    });
  });
});

describe('headings that hold a link', () => {
  const files = {
    'doc.md': '# Doc\n\n## See [link](x.md) now\n\n## `code` *em* [link](x.md)\n',
    'x.md': '# X\n',
    'a.md': '# A\n\n[[doc#See link now]] [[doc#See linkxmd now]] [[doc#See nothing]]\n',
  };

  it("are named by the link's text, as they read rendered: resolved, and offered so after [[doc#", async () => {
    const client = await featureContext(files, { capabilities: CAPABILITIES, openAll: false });
    const findings = await client.waitForDiagnostics(client.uri('a.md'), (d) => d.length > 0);
    assert.deepEqual(
      findings.map((d) => `${d.code} ${d.range.start.character}`),
      ['broken-heading 51'],
    );
    const text = '# N\n\n[[doc#';
    await client.open(client.uri('n.md'), text);
    const list = await client.request<{ items: { textEdit?: { newText: string } }[] }>(
      'textDocument/completion',
      {
        textDocument: { uri: client.uri('n.md') },
        position: { line: 2, character: 6 },
      },
    );
    assert.deepEqual(
      list.items.map((i) => i.textEdit?.newText),
      ['See link now]]', 'code em link]]'],
    );
  });
});
