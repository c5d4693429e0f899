// "New Workflow…" from a definition in the workspace: which files the new instance gets and
// what they say (client/src/definition-instance.ts), checked also by the real checker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DefinitionPhase,
  definitionRoot,
  instanceText,
  planInstance,
  relativePath,
} from '../../client/src/definition-instance';
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
    const files = planInstance(phases, texts, '/ws/docs/helix');
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
    const [doc] = planInstance(phases, texts, '/ws/docs/helix');
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
    const files = planInstance(phases, texts, '/ws/docs/helix');
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
    const files = planInstance(
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
      instanceText(text, '/ws/a', '/ws/b/c', new Set()),
      '# T\n---\nphase: "01"\n---\n[u](https://x.org/a.md) [h](#top) [a](/abs.md) [m](mailto:a@b)\n',
    );
    assert.equal(relativePath('/ws/b/c', '/ws/a/x y.md'), '../../a/x y.md');
    assert.equal(
      instanceText('[s](x%20y.md "t")\n', '/ws/a', '/ws/b', new Set()),
      '[s](../a/x%20y.md "t")\n',
    );
  });
});
