// The quick fixes of broken links that name what was meant, through the code-action
// feature (in-process): a document there with its name written otherwise, a heading near
// the one written. Each fix edits the link alone, and is the preferred one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyText } from '../helpers/disk-edits';
import { featureContext } from '../helpers/feature-context';
import { CAPABILITIES } from '../lsp/client';

/** The text edits of an action, whichever way the client gets them. */
function editsOf(a: CodeAction, uri: string): TextEdit[] {
  const changes = a.edit?.documentChanges;
  if (changes)
    return changes
      .filter((c): c is TextDocumentEdit => !('kind' in c) && c.textDocument.uri === uri)
      .flatMap((c) => c.edits.filter((e): e is TextEdit => 'range' in e));
  return a.edit?.changes?.[uri] ?? [];
}

async function actionsFor(files: Record<string, string>, rel: string, code: string) {
  const { request, uri, waitForDiagnostics } = await featureContext(files, {
    capabilities: CAPABILITIES,
    openAll: false,
  });
  const doc = uri(rel);
  const d = (await waitForDiagnostics(doc, (x) => x.some((y) => y.code === code))).filter(
    (x) => x.code === code,
  );
  assert.equal(d.length, 1);
  const actions = await request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: doc },
    range: d[0].range,
    context: { diagnostics: d },
  });
  return { diagnostic: d[0], actions, doc };
}

describe('fixes of links that name what was meant', () => {
  it('a path whose file is named with spaces and capitals: the fix writes the file’s name (no create fix)', async () => {
    const body = '# Diagnose\n\n- [ ] A: [ps](artifacts/problem-statement.md)\n';
    const files = {
      'cdp/01-diagnose.md': body,
      'cdp/artifacts/Problem Statement.md': '# Problem Statement\n',
    };
    const { diagnostic, actions, doc } = await actionsFor(files, 'cdp/01-diagnose.md', 'broken-link');
    assert.match(
      diagnostic.message,
      /\(a document "artifacts\/Problem Statement\.md" has this name written otherwise\)\.$/,
    );
    const fixes = actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length);
    assert.deepEqual(
      fixes.map((a) => [a.title, a.isPreferred]),
      [['Write the path as the file is named: artifacts/Problem%20Statement.md', true]],
    );
    assert.equal(
      applyText(body, editsOf(fixes[0], doc)),
      '# Diagnose\n\n- [ ] A: [ps](artifacts/Problem%20Statement.md)\n',
    );
  });

  it('a heading near the one written: the fix writes its anchor, or its text in a wikilink', async () => {
    const prescribe = '# Prescribe\n\n## Entry Criteria\n\n## Exit Criteria\n';
    for (const [line, want] of [
      ['[bad](02-prescribe.md#exit "T")', '[bad](02-prescribe.md#exit-criteria "T")'],
      ['[[02-prescribe#Entry Criterion|entry]]', '[[02-prescribe#Entry Criteria|entry]]'],
    ]) {
      const body = `# Diagnose\n\n${line}\n`;
      const files = { 'cdp/01-diagnose.md': body, 'cdp/02-prescribe.md': prescribe };
      const { actions, doc } = await actionsFor(files, 'cdp/01-diagnose.md', 'broken-heading');
      const fixes = actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length);
      assert.equal(fixes.length, 1, line);
      assert.equal(fixes[0].isPreferred, true);
      assert.equal(applyText(body, editsOf(fixes[0], doc)), `# Diagnose\n\n${want}\n`);
    }
  });
});

describe('fixes of ids written in other letter case or zero padding', () => {
  const feature = (id: string, title: string) => `---\nddx:\n  id: ${id}\n---\n# ${title}\n`;
  const declared = {
    'docs/helix/01-frame/features/FEAT-001-sign-in.md': feature('FEAT-001', 'Sign in'),
    'docs/helix/01-frame/features/FEAT-002-delivery-alerts.md': feature('FEAT-002', 'Delivery alerts'),
  };

  it('a wikilink naming an id so: the preferred fix writes the id as declared (alias and heading kept), no document created', async () => {
    for (const [line, want] of [
      ['- [[feat-002]] Delivery alerts', '- [[FEAT-002]] Delivery alerts'],
      ['Covers [[FEAT-02]]', 'Covers [[FEAT-002]]'],
      ['See [[Feat-2#Scope|the alerts]].', 'See [[FEAT-002#Scope|the alerts]].'],
      // `.md` is dropped before a target is matched: the id is written without it (with
      // it, the target would be looked up as a file name, not as the id).
      ['Covers [[FEAT-02.md]]', 'Covers [[FEAT-002]]'],
      ['See [[feat-2.MD#Scope|the alerts]].', 'See [[FEAT-002#Scope|the alerts]].'],
      // Written as a path, from the workspace folder or from here: its last name is the id.
      ['Covers [[docs/helix/01-frame/features/FEAT-02]]', 'Covers [[FEAT-002]]'],
      ['Covers [[../01-frame/features/FEAT-02.md|alerts]]', 'Covers [[FEAT-002|alerts]]'],
    ]) {
      const body = `# Plan\n\n${line}\n`;
      const files = { ...declared, 'docs/helix/03-test/test-plan.md': body };
      const { diagnostic, actions, doc } = await actionsFor(
        files,
        'docs/helix/03-test/test-plan.md',
        'broken-link',
      );
      assert.match(diagnostic.message, /FEAT-002 differs only in/, line);
      const fixes = actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length);
      assert.deepEqual(
        fixes.map((a) => [a.title, a.isPreferred]),
        [['Write [[FEAT-002]]', true]],
        line,
      );
      assert.equal(applyText(body, editsOf(fixes[0], doc)), `# Plan\n\n${want}\n`, line);
    }
  });

  it('a depends_on entry naming an id so: the preferred fix writes the id as declared, quotes kept', async () => {
    for (const [deps, want] of [
      ['[Feat-001]', '[FEAT-001]'],
      ['["feat-1", FEAT-002]', '["FEAT-001", FEAT-002]'],
      ["\n    - 'FEAT-01'", "\n    - 'FEAT-001'"],
      ['["[[feat-001|sign in]]"]', '["[[FEAT-001|sign in]]"]'],
    ]) {
      const body = `---\nddx:\n  id: FEAT-003\n  depends_on: ${deps}\n---\n# Reports\n`;
      const files = { ...declared, 'docs/helix/01-frame/features/FEAT-003-reports.md': body };
      const { diagnostic, actions, doc } = await actionsFor(
        files,
        'docs/helix/01-frame/features/FEAT-003-reports.md',
        'missing-dependency',
      );
      assert.match(diagnostic.message, /FEAT-001 differs only in/, deps);
      const fixes = actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length);
      assert.deepEqual(
        fixes.map((a) => [a.title, a.isPreferred]),
        [['Write FEAT-001', true]],
        deps,
      );
      assert.equal(
        applyText(body, editsOf(fixes[0], doc)),
        `---\nddx:\n  id: FEAT-003\n  depends_on: ${want}\n---\n# Reports\n`,
        deps,
      );
    }
  });
});

describe('a superseded_by value naming an id in other letter case', () => {
  it('the preferred fix writes the id as declared', async () => {
    const body = '---\nddx:\n  id: FEAT-003\n  status: superseded\n  superseded_by: "feat-1"\n---\n# Old\n';
    const files = {
      'docs/FEAT-001-new.md': '---\nddx:\n  id: FEAT-001\n---\n# New\n',
      'docs/FEAT-003-old.md': body,
    };
    const { actions, doc } = await actionsFor(files, 'docs/FEAT-003-old.md', 'missing-dependency');
    const fixes = actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length);
    assert.deepEqual(
      fixes.map((a) => [a.title, a.isPreferred]),
      [['Write FEAT-001', true]],
    );
    assert.equal(applyText(body, editsOf(fixes[0], doc)), body.replace('"feat-1"', '"FEAT-001"'));
  });
});

describe('a fix of an id placed where its text was not found', () => {
  it('a depends_on value written with a YAML escape, placed on its key: no fix rewrites the key', async () => {
    const body = '---\nddx:\n  id: FEAT-00003\n  depends_on: "Feat\\x2d00001"\n---\n# Reports\n';
    const files = {
      'docs/FEAT-00001-sign-in.md': '---\nddx:\n  id: FEAT-00001\n---\n# Sign in\n',
      'docs/FEAT-00003-reports.md': body,
    };
    const { diagnostic, actions } = await actionsFor(
      files,
      'docs/FEAT-00003-reports.md',
      'missing-dependency',
    );
    // (the key `depends_on` is as long as the id: only the text tells them apart)
    assert.deepEqual(
      [diagnostic.message, diagnostic.range.start.character, diagnostic.range.end.character],
      [
        'depends_on "Feat-00001": no document has this id (FEAT-00001 differs only in letter case; ids match exactly).',
        2,
        12,
      ],
    );
    assert.deepEqual(
      actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length).map((a) => a.title),
      [],
    );
  });
});
