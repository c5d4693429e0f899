// The documents "CDP: New Workflow…" writes, checked by the real checker, and the
// markdown of "CDP: Export Gate Report".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateReportMarkdown, relativeLink } from '../../client/src/report-markdown';
import {
  templateConflict,
  validateWorkflowName,
  workflowDocuments,
  workflowFolderName,
} from '../../client/src/templates';
import type { WorkflowDto } from '../../server/src/protocol';
import { check } from '../helpers/memory-workspace';

describe('new workflow documents', () => {
  const docs = workflowDocuments('Checkout v3');

  it('are the six phases 01-diagnose … 06-follow-up', () => {
    assert.deepEqual(
      docs.map((d) => d.file),
      [
        '01-diagnose.md',
        '02-prescribe.md',
        '03-treat.md',
        '04-monitor.md',
        '05-release.md',
        '06-follow-up.md',
      ],
    );
    for (const d of docs) {
      assert.match(d.text, /^# [^\n]+: Checkout v3\n---\nphase: "0\d"\n/);
      assert.match(d.text, /\n## Entry Criteria\n\n- \[ \] /);
      assert.match(d.text, /\n## Exit Criteria\n\n- \[ \] /);
      assert.match(d.text, /\n## CDP Validation Requirements\n\n### [^\n]+ Gate\n\n- \[ \] /);
      assert.match(d.text, /\n## Artifacts Produced\n/);
    }
    assert.match(docs[5]!.text, /next_phase: "\[\[01-diagnose\]\]"/);
    assert.doesNotMatch(docs[0]!.text, /previous_phase/);
  });

  it('form one workflow without findings other than unmet criteria', async () => {
    const files = Object.fromEntries(docs.map((d) => [`checkout-v3/${d.file}`, d.text]));
    const r = await check(files);
    const other = r.findings.filter((f) => f.code !== 'unmet-criterion');
    assert.deepEqual(
      other.map((f) => `${f.uri}: ${f.code} ${f.message}`),
      [],
    );
    const workflows = r.analysis.workflows();
    assert.equal(workflows.length, 1);
    assert.equal(workflows[0]!.phases.length, 6);
    for (const p of workflows[0]!.phases) {
      assert.deepEqual(
        p.groups.map((g) => g.kind),
        ['entry', 'exit', 'gate'],
        p.rel,
      );
    }
  });

  it('get a folder name from the workflow name', () => {
    assert.equal(workflowFolderName('Checkout v3'), 'checkout-v3');
    assert.equal(workflowFolderName('  Café / Über  '), 'cafe-uber');
    assert.equal(workflowFolderName('!!!'), 'workflow');
    // letters of every script stay: names without Latin letters get folders of their own
    assert.equal(workflowFolderName('日本語プロジェクト'), '日本語プロジェクト');
    assert.equal(workflowFolderName('Проект Б'), 'проект-б');
    assert.equal(workflowFolderName('Café 工作'), 'cafe-工作');
    assert.equal(workflowFolderName('한국어 계획'), '한국어-계획');
    assert.equal(workflowFolderName('हिन्दी योजना'), 'हिन्दी-योजना');
    assert.ok(validateWorkflowName(''));
    assert.ok(validateWorkflowName('a\nb'));
    assert.equal(validateWorkflowName('Mobile app'), undefined);
  });

  it('a name whose folder already holds one of the documents is refused as it is typed', async () => {
    const existing = new Set(['checkout-v2/03-treat.md']);
    const asked: string[] = [];
    const exists = async (rel: string) => {
      asked.push(rel);
      return existing.has(rel);
    };
    assert.equal(
      await templateConflict('Checkout v2', exists),
      'checkout-v2/03-treat.md already exists: choose another name or folder.',
    );
    // every document the template would write is looked for, in the new workflow's folder
    asked.length = 0;
    assert.equal(await templateConflict('Checkout v3', exists), undefined);
    assert.deepEqual(
      asked,
      workflowDocuments('Checkout v3').map((d) => `checkout-v3/${d.file}`),
    );
  });
});

describe('gate report markdown', () => {
  const workflow: WorkflowDto = {
    id: 'examples/shop',
    name: 'shop',
    folder: 'file:///ws',
    current: '02',
    phases: [
      {
        uri: 'file:///ws/examples/shop/01-diagnose.md',
        phase: '01',
        name: 'Diagnose',
        title: 'Diagnose: Shop',
        total: 1,
        checked: 1,
        complete: true,
        started: true,
        hasErrors: false,
        failingGates: false,
        reasons: [],
        state: 'passed',
        groups: [
          {
            heading: 'Exit Criteria',
            kind: 'exit',
            line: 10,
            total: 1,
            checked: 1,
            passed: true,
            items: [{ line: 12, checked: true, text: 'done', range: range(12) }],
          },
        ],
      },
      {
        uri: 'file:///ws/examples/shop/02-prescribe.md',
        phase: '02',
        name: 'Prescribe',
        title: 'Prescribe: Shop',
        total: 2,
        checked: 1,
        complete: false,
        started: true,
        hasErrors: false,
        failingGates: false,
        reasons: ['Design Gate: 1 of 2 unticked'],
        state: 'current',
        groups: [
          {
            heading: 'Design Gate',
            kind: 'gate',
            line: 20,
            total: 2,
            checked: 1,
            passed: false,
            items: [
              { line: 22, checked: true, text: 'reviewed', range: range(22) },
              { line: 23, checked: false, text: 'signed *off*', range: range(23) },
            ],
          },
        ],
      },
    ],
  };

  it('lists workflows, phases, groups with counts and unmet items with file:line links', () => {
    const md = gateReportMarkdown([workflow], { path: (u) => u.replace('file:///ws/', '') });
    assert.match(md, /^# CDP Gate Report\n/);
    // The workflow goes by its id, as in the tree, the dashboard and cdp check.
    assert.match(md, /\| examples\/shop \| 02 Prescribe \| 2\/3 \| 1\/2 \|/);
    assert.match(md, /\n## examples\/shop\n/);
    assert.match(md, /### ✅ 01 Diagnose — 1\/1 · passed\n/);
    assert.match(md, /### ▶️ 02 Prescribe — 1\/2 · current\n/);
    assert.match(md, /- ❌ \*\*Design Gate\*\* \(gate\): 1\/2/);
    assert.match(
      md,
      /- ✗ signed \\\*off\\\* — \[examples\/shop\/02-prescribe\.md:24\]\(<file:\/\/\/ws\/examples\/shop\/02-prescribe\.md#L24>\)/,
    );
    assert.doesNotMatch(md, /reviewed —/);
  });

  it('writes links relative to the report file when it has one', () => {
    const md = gateReportMarkdown([workflow], {
      path: (u) => u.replace('file:///ws/', ''),
      reportUri: 'file:///ws/reports/gate-report.md',
    });
    assert.match(md, /\[examples\/shop\/01-diagnose\.md\]\(<\.\.\/examples\/shop\/01-diagnose\.md>\)/);
    assert.match(md, /\(<\.\.\/examples\/shop\/02-prescribe\.md#L24>\)/);
    assert.doesNotMatch(md, /file:\/\//);
    assert.equal(relativeLink('file:///ws/r.md', 'file:///ws/a%20b/c.md'), 'a%20b/c.md');
    assert.equal(relativeLink('file:///ws/x/r.md', 'file:///ws/x/c.md'), 'c.md');
    assert.equal(relativeLink('file://h1/ws/r.md', 'file://h2/ws/c.md'), 'file://h2/ws/c.md');
  });

  it('says so when there is nothing', () => {
    assert.match(gateReportMarkdown([], { path: (u) => u }), /No CDP workflows/);
  });
});

function range(line: number) {
  return { start: { line, character: 0 }, end: { line, character: 5 } };
}
