// "New Workflow…" from a definition in the workspace: which files the new instance gets and
// what they say (server/src/core/instance.ts), checked also by the real checker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DefinitionPhase,
  definitionRoot,
  instanceText,
  planInstance,
  relativeAbs,
} from '../../server/src/core/instance';
import { check } from '../helpers/memory-workspace';

const LIB = '/ws/library/workflows/helix/phases';
const readme = (nn: string, name: string, next?: string) =>
  [
    '---',
    'template: true',
    `name: ${name}`,
    '---',
    `# Phase ${nn}: ${name}`,
    '',
    '## Exit Criteria',
    '',
    '- [x] Done in the template',
    '- [ ] Still open',
    '',
    'See [the PRD template](../../templates/prd.md#scope) and [the gate](exit-gates.yml).',
    ...(next ? ['', '## Next Phase', '', `[Next](../${next}/README.md)`] : []),
    '',
    '```md',
    '- [x] an example in a code block',
    '[kept](../../templates/prd.md)',
    '```',
    '',
  ].join('\n');
const GATES = 'exit_gates:\n  - criteria: "Vision written"\n    evidence: docs/vision.md#goal\n';

const WS = { sourceRoot: '/ws', targetRoot: '/ws' };
const plan = (p: readonly DefinitionPhase[], t: ReadonlyMap<string, string>, target: string) =>
  planInstance(p, t, target, WS).files;

const phases: DefinitionPhase[] = [
  { doc: `${LIB}/00-discover/README.md`, gateFiles: [`${LIB}/00-discover/exit-gates.yml`] },
  { doc: `${LIB}/01-frame/README.md`, gateFiles: [] },
];
const texts = new Map([
  [`${LIB}/00-discover/README.md`, readme('00', 'Discover', '01-frame')],
  [`${LIB}/00-discover/exit-gates.yml`, GATES],
  [`${LIB}/01-frame/README.md`, readme('01', 'Frame')],
]);

describe('a new workflow from a definition', () => {
  it('copies the phase documents and gate files in the same layout under the chosen folder', () => {
    const files = plan(phases, texts, '/ws/docs/helix');
    assert.deepEqual(
      files.map((f) => [f.rel, f.source]),
      [
        ['00-discover/README.md', `${LIB}/00-discover/README.md`],
        ['00-discover/exit-gates.yml', `${LIB}/00-discover/exit-gates.yml`],
        ['01-frame/README.md', `${LIB}/01-frame/README.md`],
      ],
    );
    assert.equal(files[1]!.text, GATES, 'gate files are copied as they are');
  });

  it('unticks the boxes, drops the template mark and points links to files not copied at the originals', () => {
    const [doc] = plan(phases, texts, '/ws/docs/helix');
    const lines = doc!.text.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['---', 'name: Discover', '---']);
    assert.ok(lines.includes('- [ ] Done in the template'));
    assert.ok(lines.includes('- [ ] Still open'));
    assert.ok(
      lines.includes(
        'See [the PRD template](../../../library/workflows/helix/templates/prd.md#scope) and [the gate](exit-gates.yml).',
      ),
    );
    // links between copied documents keep working as written; code blocks are left alone
    assert.ok(lines.includes('[Next](../01-frame/README.md)'));
    assert.ok(lines.includes('- [x] an example in a code block'));
    assert.ok(lines.includes('[kept](../../templates/prd.md)'));
  });

  it('is one workflow instance for the checker, not a definition', async () => {
    const files = plan(phases, texts, '/ws/docs/helix');
    const r = await check(Object.fromEntries(files.map((f) => [`docs/helix/${f.rel}`, f.text])));
    const workflows = r.analysis.workflows();
    assert.equal(workflows.length, 1);
    assert.equal(workflows[0]!.definition, false);
    assert.deepEqual(
      workflows[0]!.phases.map((p) => p.phase!.id),
      ['00', '01'],
    );
    // and the same files where they came from are a definition (their template mark)
    const def = await check(Object.fromEntries([...texts].map(([k, v]) => [k.slice('/ws/'.length), v])));
    assert.deepEqual(
      def.analysis.workflows().map((w) => w.definition),
      [true],
    );
  });

  it('lays flat phase documents out flat, and keeps files outside the root out', () => {
    const flat: DefinitionPhase[] = [
      { doc: '/ws/def/01-plan.md', gateFiles: [] },
      { doc: '/ws/def/02-build.md', gateFiles: ['/elsewhere/GATE.yaml'] },
    ];
    assert.equal(definitionRoot(flat), '/ws/def');
    const files = plan(
      flat,
      new Map([
        ['/ws/def/01-plan.md', '# Plan\n'],
        ['/ws/def/02-build.md', '# Build\n'],
        ['/elsewhere/GATE.yaml', 'x: 1\n'],
      ]),
      '/ws/new',
    );
    assert.deepEqual(
      files.map((f) => f.rel),
      ['01-plan.md', '02-build.md'],
    );
  });

  it('leaves URLs, anchors, absolute paths and a title-line metadata block as they should be', () => {
    const text =
      '# T\n---\ntemplate: yes\nphase: "01"\n---\n[u](https://x.org/a.md) [h](#top) [a](/abs.md) [m](mailto:a@b)\n';
    assert.equal(
      instanceText(text, '/ws/a/doc.md', '/ws/b/c', new Map()),
      '# T\n---\nphase: "01"\n---\n[u](https://x.org/a.md) [h](#top) [a](/abs.md) [m](mailto:a@b)\n',
    );
    // The mark alone in its block: the block goes (no two rules left), at the top or after the title.
    assert.equal(
      instanceText('---\ntemplate: true\n---\n# Plan\n\n- [x] a\n', '/ws/a/doc.md', '/ws/a', new Map()),
      '# Plan\n\n- [ ] a\n',
    );
    assert.equal(
      instanceText(
        '# Ship\r\n\r\n---\r\ntemplate: true\r\n---\r\n\r\nText.\r\n',
        '/ws/a/doc.md',
        '/ws/a',
        new Map(),
      ),
      '# Ship\r\n\r\nText.\r\n',
    );
    assert.equal(relativeAbs('/ws/b/c', '/ws/a/x y.md'), '../../a/x y.md');
    assert.equal(
      instanceText('[s](x%20y.md "t")\n', '/ws/a/doc.md', '/ws/b', new Map()),
      '[s](../a/x%20y.md "t")\n',
    );
  });
});

describe("a new workflow's gate files", () => {
  const H = '/ws/lib/workflows/helix/phases';
  const hp: DefinitionPhase[] = [
    { doc: `${H}/01-frame/README.md`, gateFiles: [`${H}/01-frame/exit-gates.yml`] },
    { doc: `${H}/02-design/README.md`, gateFiles: [`${H}/02-design/GATE.yaml`] },
  ];
  const exit = [
    '# Exit gates\r',
    'exit_gates:\r',
    '  - criteria: PRD exists\r',
    '    evidence: lib/workflows/helix/phases/01-frame/prd.md#goals # in the phase\r',
    "  - criteria: 'Stories'\r",
    "    evidence: './docs/helix/01-frame/stories/'\r",
    '  - criteria: Vision\r',
    '    evidence: docs/vision.md\r',
    '',
  ].join('\n');
  const gate = [
    'exit_requirements:',
    '  automated:',
    '    - check: file_exists',
    '      path: "docs/helix/02-design/design.md"  # the design',
    '      fallback_paths: [docs/helix/01-frame/**/*.md, README.md]',
    '    - check: file_exists',
    '      path: docs/helix/**/*.md',
    '    - check: file_exists',
    '      path: docs/helix/07-other/x.md',
    '    - check: file_exists',
    '      path: lib/workflows/helix/templates/x.md',
    '  manual:',
    '    - "Architect approves"',
    '',
  ].join('\n');
  const ht = new Map([
    [`${H}/01-frame/README.md`, '# Frame\n'],
    [`${H}/01-frame/exit-gates.yml`, exit],
    [`${H}/02-design/README.md`, '# Design\n'],
    [`${H}/02-design/GATE.yaml`, gate],
  ]);

  it("point paths of the definition's phases at the copy's phase folders, written as they were", () => {
    const { files, unmapped } = planInstance(hp, ht, '/ws/docs/new1', {
      ...WS,
      areas: [{ dir: 'lib/workflows/helix', deep: true }],
    });
    const text = (rel: string) => files.find((f) => f.rel === rel)!.text;
    assert.equal(
      text('01-frame/exit-gates.yml'),
      exit
        .replace('lib/workflows/helix/phases/01-frame/prd.md#goals', 'docs/new1/01-frame/prd.md#goals')
        .replace("'./docs/helix/01-frame/stories/'", "'./docs/new1/01-frame/stories/'"),
    );
    assert.equal(
      text('02-design/GATE.yaml'),
      gate
        .replace('"docs/helix/02-design/design.md"', '"docs/new1/02-design/design.md"')
        .replace('[docs/helix/01-frame/**/*.md,', '[docs/new1/01-frame/**/*.md,'),
    );
    // what names the phases' files but has no place in the copy is kept, and said
    assert.deepEqual(unmapped, [
      { rel: '02-design/GATE.yaml', line: 6, value: 'docs/helix/**/*.md' },
      { rel: '02-design/GATE.yaml', line: 8, value: 'docs/helix/07-other/x.md' },
      { rel: '02-design/GATE.yaml', line: 10, value: 'lib/workflows/helix/templates/x.md' },
    ]);
  });

  it('of a definition at the top of the workspace folder: paths into its places are kept, and said', () => {
    const top: DefinitionPhase[] = [
      { doc: '/ws/phases/01-frame/README.md', gateFiles: ['/ws/phases/01-frame/exit-gates.yml'] },
    ];
    const gates =
      'exit_gates:\n  - criteria: tmpl\n    evidence: templates/t.md\n  - criteria: wf\n    evidence: workflow.yml\n  - criteria: project\n    evidence: src/main.ts\n';
    const { unmapped } = planInstance(
      top,
      new Map([
        ['/ws/phases/01-frame/README.md', '# Phase 01: Frame\n'],
        ['/ws/phases/01-frame/exit-gates.yml', gates],
      ]),
      '/ws/docs/new',
      {
        ...WS,
        areas: [
          { dir: '', deep: false },
          { dir: 'phases', deep: true },
          { dir: 'artifacts', deep: true },
          { dir: 'templates', deep: true },
        ],
      },
    );
    // The project's own file (src/main.ts) is no definition's: kept without a word.
    assert.deepEqual(unmapped, [
      { rel: '01-frame/exit-gates.yml', line: 2, value: 'templates/t.md' },
      { rel: '01-frame/exit-gates.yml', line: 4, value: 'workflow.yml' },
    ]);
  });

  it('name paths relative to the workspace folder the copy lies in', async () => {
    const { files } = planInstance(hp, ht, '/other/work/cycle 2', {
      sourceRoot: '/ws',
      targetRoot: '/other',
    });
    assert.match(files[1]!.text, /evidence: work\/cycle 2\/01-frame\/prd\.md#goals # in the phase/);
    // and the checker reads the copy's gates as checking the copy's files
    const r = await check(
      Object.fromEntries([
        ...files.map((f) => [`work/cycle 2/${f.rel}`, f.text]),
        ['work/cycle 2/02-design/design.md', '# Design doc\n'],
        ['docs/helix/01-frame/prd.md', '# Not this one\n'],
      ]),
    );
    const w = r.analysis.workflows()[0]!;
    assert.equal(w.definition, false);
  });
});

describe("a new workflow's links", () => {
  const P = '/ws/process';
  const doc = [
    '# Diagnose: TEMPLATE',
    '---',
    'phase: "01"',
    'template: true',
    'next_phase: ../process/02-prescribe.md',
    'previous_phase: "../shared/00-intake.md"',
    'artifacts: ["../shared/plan.md", "[[problem-statement]]"]',
    'related: "[[../shared/glossary]]"',
    '---',
    '',
    '- [x] entry done, see [g] and [the notes](<../shared/my notes.md#top> "t")',
    '- [ ] [[../shared/glossary#Terms|terms]] and [[02-prescribe]] and ![pic](../shared/pic.png)',
    '',
    '[g]: ../shared/glossary.md',
    '[next]: <02-prescribe.md>',
    '',
  ].join('\n');
  const pp: DefinitionPhase[] = [
    { doc: `${P}/01-diagnose.md`, gateFiles: [] },
    { doc: `${P}/02-prescribe.md`, gateFiles: [] },
  ];
  const pt = new Map([
    [`${P}/01-diagnose.md`, doc],
    [`${P}/02-prescribe.md`, '# Prescribe\n---\nphase: "02"\n---\n'],
  ]);

  it('lead every link form to the copy of a copied file and to the original of any other', () => {
    const { files } = planInstance(pp, pt, '/ws/work/cycle 1', WS);
    assert.equal(
      files[0]!.text,
      [
        '# Diagnose: TEMPLATE',
        '---',
        'phase: "01"',
        // a path out of the definition's folder and back in leads to the copy
        'next_phase: 02-prescribe.md',
        'previous_phase: "../../shared/00-intake.md"',
        'artifacts: ["../../shared/plan.md", "[[problem-statement]]"]',
        'related: "[[../../shared/glossary]]"',
        '---',
        '',
        '- [ ] entry done, see [g] and [the notes](<../../shared/my notes.md#top> "t")',
        '- [ ] [[../../shared/glossary#Terms|terms]] and [[02-prescribe]] and ![pic](../../shared/pic.png)',
        '',
        '[g]: ../../shared/glossary.md',
        '[next]: <02-prescribe.md>',
        '',
      ].join('\n'),
    );
  });

  it('make no broken link the definition did not have', async () => {
    const shared = {
      'shared/glossary.md': '# Glossary\n\n## Terms\n',
      'shared/my notes.md': '# Notes\n\n## Top\n',
      'shared/plan.md': '# Plan\n',
      'shared/00-intake.md': '# Intake\n',
      'shared/pic.png': 'png',
      'process/problem-statement.md': '# Problem\n',
    };
    const broken = (files: Record<string, string>) => check(files).then((r) => r.of('broken-link'));
    const def = Object.fromEntries([...pt].map(([k, v]) => [k.slice('/ws/'.length), v]));
    const { files } = planInstance(pp, pt, '/ws/work/cycle 1', WS);
    const copy = Object.fromEntries(files.map((f) => [`work/cycle 1/${f.rel}`, f.text]));
    assert.deepEqual(await broken({ ...shared, ...def }), []);
    assert.deepEqual(await broken({ ...shared, ...def, ...copy }), []);
  });
});
