// cdp/planInstance, called in-process: what "New Workflow…" writes for a copy of a workflow
// definition, and the folders it refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionName } from '../../client/src/progress-model';
import { gateReportMarkdown } from '../../client/src/report-markdown';
import type { PlanInstanceResult, WorkflowsResult } from '../../server/src/protocol';
import { featureContext } from '../helpers/feature-context';

const LIB = 'lib/workflows/helix';
const library = {
  [`${LIB}/workflow.yml`]: 'name: helix\nphases: [01-frame, 02-design]\n',
  [`${LIB}/phases/01-frame/README.md`]:
    '# Frame\n\nSee [[docs/glossary]] and [design](../02-design/README.md).\n\n## Exit Criteria\n\n- [x] PRD written\n',
  [`${LIB}/phases/01-frame/exit-gates.yml`]:
    'exit_gates:\n  - criteria: PRD\n    evidence: docs/helix/01-frame/prd.md\n',
  [`${LIB}/phases/02-design/README.md`]: '# Design\n\n## Exit Criteria\n\n- [ ] Designed\n',
  [`${LIB}/phases/02-design/GATE.yaml`]:
    'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/02-design/design.md\n',
  'docs/glossary.md': '# Glossary\n',
};

async function start(files: Record<string, string>, settings?: unknown) {
  const c = await featureContext(files, { settings, openAll: false });
  const { workflows } = await c.request<WorkflowsResult>('cdp/workflows', {});
  const plan = (definition: string, folder: string) =>
    c.request<PlanInstanceResult>('cdp/planInstance', { definition, folder: c.uri(folder) });
  return { c, workflows, plan };
}

describe('New Workflow from a definition (cdp/planInstance)', () => {
  it('names a definition by its workflow.yml, else by the folder holding its phases/', async () => {
    const { workflows } = await start(library);
    const def = workflows.find((w) => w.definition)!;
    // the workflow is named after its phases folder; the definition by its own name
    assert.equal(def.name, 'phases');
    assert.equal(def.definitionName, 'helix');
    assert.equal(definitionName(def), 'helix');
    const unnamed = Object.fromEntries(
      Object.entries(library).map(([k, v]) => [
        k.replace(LIB, 'library/workflows/mini'),
        k.endsWith('workflow.yml') ? '# no name\nphases: [01-frame]\n' : v,
      ]),
    );
    const other = (await start(unnamed)).workflows.find((w) => w.definition)!;
    assert.equal(definitionName(other), 'mini');
    // quoted, with a comment
    const quoted = { ...library, [`${LIB}/workflow.yml`]: 'name: "HELIX core" # the contract\n' };
    assert.equal((await start(quoted)).workflows.find((w) => w.definition)!.definitionName, 'HELIX core');
  });

  it('refuses a definition whose phases are folders of documents: nothing to copy, and it says so', async () => {
    const { workflows, plan } = await start({
      'lib/helix/workflow.yml': 'name: folders\n',
      'lib/helix/phases/01-frame/prd-template.md': '---\nddx:\n  id: helix.prd\n---\n# PRD template\n',
      'lib/helix/phases/02-design/architecture-template.md': '# Architecture template\n',
    });
    const def = workflows.find((w) => w.definition)!;
    assert.ok(def.phases.every((p) => p.uri.endsWith('/')));
    const r = await plan(def.id, 'q1');
    assert.deepEqual(r.files, []);
    assert.match(r.refused ?? '', /has no phase documents to copy \(its phases are folders of documents\)/);
  });

  it("a definition's phases carry no state, failing gates or unmet items, over the protocol and in the gate report", async () => {
    const { workflows } = await start(library);
    const def = workflows.find((w) => w.definition)!;
    assert.equal(def.current, undefined);
    assert.deepEqual(
      def.phases.map((p) => [p.phase, p.state, p.failingGates]),
      [
        ['01', undefined, false],
        ['02', undefined, false],
      ],
    );
    const md = gateReportMarkdown([def], { path: (u) => u.replace(/^.*\/lib\//, 'lib/') });
    assert.match(md, /\| lib\/workflows\/helix\/phases \| definition \| 4 items \| — \|/);
    assert.match(md, /- \*\*Exit Gates\*\* \(exit criteria\): 1 item\n/);
    assert.match(md, /### 01 Frame — 2 items \(definition\)/);
    assert.doesNotMatch(md, /current|not started|✗|❌/);
  });

  it('copies the phases with their gates checking the copy, links leading where they led', async () => {
    const { c, workflows, plan } = await start(library);
    const def = workflows.find((w) => w.definition)!;
    const r = await plan(def.id, 'docs/new1');
    assert.equal(r.refused, undefined);
    const text = (rel: string) => r.files.find((f) => f.uri === c.uri(rel))?.text;
    assert.equal(
      text('docs/new1/01-frame/README.md'),
      // a wikilink path from the workspace folder's root, read as the resolver reads it
      '# Frame\n\nSee [[../../glossary]] and [design](../02-design/README.md).\n\n## Exit Criteria\n\n- [ ] PRD written\n',
    );
    assert.equal(
      text('docs/new1/01-frame/exit-gates.yml'),
      'exit_gates:\n  - criteria: PRD\n    evidence: docs/new1/01-frame/prd.md\n',
    );
    assert.equal(
      text('docs/new1/02-design/GATE.yaml'),
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/new1/02-design/design.md\n',
    );
    assert.deepEqual(r.unmapped, []);
  });

  it('refuses a folder inside a workflow library', async () => {
    const { workflows, plan } = await start(library);
    const def = workflows.find((w) => w.definition)!;
    for (const folder of [`${LIB}/inst`, `${LIB}/phases/03-build`]) {
      const r = await plan(def.id, folder);
      assert.deepEqual(r.files, []);
      assert.match(
        r.refused ?? '',
        /lies inside the workflow definition lib\/workflows\/helix: a copy there would be part of the definition/,
      );
    }
  });

  it('refuses a folder where cdp.definitions names definitions', async () => {
    const flow = (n: string) =>
      `# ${n}\n---\nphase: "0${n === 'Plan' ? 1 : 2}"\n---\n\n## Exit Criteria\n\n- [x] done\n`;
    const { workflows, plan } = await start(
      { 'templates/flow/01-plan.md': flow('Plan'), 'templates/flow/02-ship.md': flow('Ship') },
      { 'cdp.definitions': ['templates/**'] },
    );
    const def = workflows.find((w) => w.definition)!;
    const r = await plan(def.id, 'templates/r2');
    assert.deepEqual(r.files, []);
    assert.match(
      r.refused ?? '',
      /templates\/r2 lies inside the workflow definitions that cdp\.definitions names/,
    );
    const ok = await plan(def.id, 'work/r2');
    assert.equal(ok.refused, undefined);
    assert.equal(ok.files.length, 2);
    assert.match(ok.files[0]!.text, /- \[ \] done/);
  });
});
