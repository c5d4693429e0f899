// Workspace templates (`templates/<name>.md`, the files the "create" fix copies): a bare
// name or title never reaches them, a path does. Asked in-process of the same core the
// CLI runs, and through the features (definition, references, completion, rename).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Location,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { posOf } from '../helpers/disk-edits';
import { featureContext } from '../helpers/feature-context';
import { check, phaseDoc } from '../helpers/memory-workspace';
import { CAPABILITIES } from '../lsp/client';

const releaseTemplate = '# Release Plan\n\n## Risks\n';
const runbookTemplate = '# Runbook\n\n## Steps\n';
const release = phaseDoc({
  title: 'Release',
  phase: '05',
  artifacts: ['release-plan'],
  body: 'Follow [[runbook]] and [the runbook](runbook.md).\n\nBlank forms: [[templates/release-plan]], [t](../../templates/runbook.md).\n',
});
const files = {
  'cycles/q3/05-release.md': release,
  'templates/release-plan.md': releaseTemplate,
  'templates/runbook.md': runbookTemplate,
};

/** The text a create fix writes into the new file (its one text edit after the create). */
function created(a: CodeAction): { uri: string; text: string } {
  const changes = a.edit?.documentChanges ?? [];
  const create = changes.find((c) => 'kind' in c && c.kind === 'create') as { uri: string } | undefined;
  assert.ok(create, `${a.title} creates a file`);
  const edit = changes.find((c) => !('kind' in c)) as TextDocumentEdit;
  return { uri: create.uri, text: edit.edits.map((e) => e.newText).join('') };
}

describe('workspace templates', () => {
  it('a template is not the document it is a template for: findings stay, and their fixes copy it', async () => {
    const c = await check(files);
    assert.deepEqual(c.of('missing-artifact'), [
      'cycles/q3/05-release.md:5:14 Artifact [[release-plan]] does not exist yet (no document with that name).',
    ]);
    // Both ways of naming a missing runbook are reported; the links naming the templates by path are not.
    assert.deepEqual(c.of('broken-link'), [
      'cycles/q3/05-release.md:8:8 [[runbook]] does not resolve: no document with that name.',
      'cycles/q3/05-release.md:8:24 [the runbook](runbook.md) does not resolve: no document at that path.',
    ]);

    const { request, uri, waitForDiagnostics } = await featureContext(files, {
      capabilities: CAPABILITIES,
      openAll: false,
    });
    const doc = uri('cycles/q3/05-release.md');
    const d = await waitForDiagnostics(doc, (x) => x.length > 0);
    for (const code of ['missing-artifact', 'broken-link']) {
      for (const diag of d.filter((x) => x.code === code)) {
        const actions = await request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri: doc },
          range: diag.range,
          context: { diagnostics: [diag] },
        });
        const fix = created(actions[0]);
        const template = fix.uri.endsWith('release-plan.md') ? releaseTemplate : runbookTemplate;
        assert.equal(
          fix.uri,
          uri(`cycles/q3/${fix.uri.endsWith('release-plan.md') ? 'release-plan' : 'runbook'}.md`),
        );
        assert.equal(
          fix.text,
          template,
          `${code} at line ${diag.range.start.line}: copied from the template`,
        );
      }
    }

    const at = (needle: string, skip = 0) => ({
      textDocument: { uri: doc },
      position: posOf(release, needle, 3, skip),
    });
    // Go to definition: nothing for the bare name, the template for its path.
    assert.equal(await request<Location[] | null>('textDocument/definition', at('[[runbook]]')), null);
    const def = await request<Location | null>('textDocument/definition', at('[[templates/release-plan]]'));
    assert.equal(def?.uri, uri('templates/release-plan.md'));
    // References of the template: the links naming it by path, not the bare name.
    const refs = await request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('templates/runbook.md') },
      position: { line: 0, character: 3 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      refs.map((l) => [l.uri, l.range.start.line, l.range.start.character]),
      [[doc, 9, 41]],
    );
  });

  it('templates in a folder inside the top templates/ folder are templates too: no bare name reaches them', async () => {
    const diagnose = phaseDoc({
      title: 'Diagnose',
      phase: '01',
      artifacts: ['diagnose-report'],
      body: '## Exit Criteria\n\n- [ ] a\n',
    });
    const nested = {
      'cycle/01-diagnose.md': diagnose,
      'templates/reports/diagnose-report.md': '# Diagnose report\n\n_Fill in._\n',
      'templates/reports/summary.md': '# Summary\n\nSee [[diagnose-report]].\n',
      // Phase skeletons new cycles are copied from, without `template: true`.
      'templates/cdp/01-diagnose.md': phaseDoc({
        title: '{{Name}} Diagnose',
        phase: '01',
        next: '02-prescribe',
        artifacts: ['diagnose-report'],
        body: '## Exit Criteria\n\n- [ ] a\n',
      }),
      'templates/cdp/02-prescribe.md': phaseDoc({
        title: 'Prescribe',
        phase: '02',
        previous: '01-diagnose',
        body: '## Exit Criteria\n\n- [ ] b\n',
      }),
    };
    // (the skeletons are a definition when `cdp.definitions` names them, or with `template: true`)
    const c = await check(nested, { cdp: { definitions: ['templates'] } });
    assert.deepEqual(c.of('missing-artifact'), [
      'cycle/01-diagnose.md:5:14 Artifact [[diagnose-report]] does not exist yet (no document with that name).',
    ]);
    assert.deepEqual(c.of('cross-instance-link'), []);
    assert.deepEqual(
      c.analysis.workflows().map((w) => [w.id, w.definition]),
      [
        ['cycle', false],
        ['templates/cdp', true],
      ],
    );
    assert.deepEqual(
      c.findings.filter((f) => f.uri.includes('/templates/')).map((f) => f.code),
      [],
    );
    // A folder inside another folder named templates (a service of that name) holds no
    // templates: its documents are reached by name.
    const service = await check({
      'services/templates/docs/01-diagnose.md': diagnose,
      'services/templates/docs/diagnose-report.md': '# Report\n',
      'notes.md': '# Notes\n\nSee [[01-diagnose]].\n',
    });
    assert.deepEqual(service.of('missing-artifact'), []);
    assert.deepEqual(service.of('broken-link'), []);
    assert.deepEqual(
      service.analysis.workflows().map((w) => [w.id, w.definition]),
      [['services/templates/docs', false]],
    );
    // Templates of one folder name each other by name.
    const from = c.analysis.index.get(c.ws.uri('templates/reports/summary.md'))!;
    const r = c.analysis.index.resolve(from, { target: 'diagnose-report' });
    assert.equal(r.status === 'resolved' && r.target.rel, 'templates/reports/diagnose-report.md');
    // The fix creating the missing artifact copies the template.
    const { request, uri, waitForDiagnostics } = await featureContext(nested, {
      capabilities: CAPABILITIES,
      openAll: false,
    });
    const doc = uri('cycle/01-diagnose.md');
    const d = await waitForDiagnostics(doc, (x) => x.some((y) => y.code === 'missing-artifact'));
    const diag = d.find((x) => x.code === 'missing-artifact')!;
    const actions = await request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: diag.range,
      context: { diagnostics: [diag] },
    });
    assert.equal(created(actions[0]).text, '# Diagnose report\n\n_Fill in._\n');
  });

  it('templates name the template beside them by its name, as documents of one folder do', async () => {
    const c = await check({
      ...files,
      'templates/release-plan.md': `${releaseTemplate}\nSee [[runbook]] and [[checklist]].\n`,
      'docs/notes.md': '# Notes\n\n[[runbook]]\n',
    });
    assert.deepEqual(
      c.of('broken-link').filter((f) => !f.startsWith('cycles/')),
      [
        'docs/notes.md:3:1 [[runbook]] does not resolve: no document with that name.',
        'templates/release-plan.md:5:21 [[checklist]] does not resolve: no document with that name.',
      ],
    );
    const from = c.analysis.index.get(c.ws.uri('templates/release-plan.md'))!;
    const r = c.analysis.index.resolve(from, { target: 'runbook' });
    assert.equal(r.status === 'resolved' && r.target.rel, 'templates/runbook.md');
  });

  it('completion offers a template by its path only', async () => {
    const notes = '# Notes\n\n[[run\n\n[[templates/run\n';
    const { request, uri, open } = await featureContext(
      { ...files, 'notes.md': notes, 'ops/runway.md': '# Runway\n' },
      { capabilities: CAPABILITIES, openAll: false },
    );
    await open(uri('notes.md'), notes);
    const complete = async (line: number, character: number) => {
      const r = await request<CompletionList | CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: uri('notes.md') },
        position: { line, character },
      });
      return { items: Array.isArray(r) ? r : r.items };
    };
    const byName = await complete(2, 5);
    assert.deepEqual(
      byName.items.map((i) => i.textEdit?.newText),
      ['runway]]'],
    );
    const byPath = await complete(4, 15);
    assert.deepEqual(
      byPath.items.map((i) => i.textEdit?.newText),
      ['templates/runbook]]'],
    );
    const empty = await complete(2, 2);
    assert.ok(!empty.items.some((i) => i.documentation === 'templates/runbook.md'));
  });

  it('moving a document into templates/ rewrites a bare link to it as a path; moving the template rewrites its path links', async () => {
    const texts = {
      'notes.md': '# Notes\n\n[[runbook]] [[templates/checklist]]\n',
      'ops/runbook.md': '# Runbook\n',
      'templates/checklist.md': '# Checklist\n',
    };
    const { request, uri } = await featureContext(texts, { capabilities: CAPABILITIES, openAll: false });
    const edit = await request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [
        { oldUri: uri('ops/runbook.md'), newUri: uri('templates/runbook.md') },
        { oldUri: uri('templates/checklist.md'), newUri: uri('templates/review.md') },
      ],
    });
    const edits = (edit?.changes?.[uri('notes.md')] ??
      (
        edit?.documentChanges?.find((c) => 'textDocument' in c && c.textDocument.uri === uri('notes.md')) as
          | TextDocumentEdit
          | undefined
      )?.edits ??
      []) as { newText: string }[];
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['templates/runbook', 'templates/review'],
    );
  });
});
