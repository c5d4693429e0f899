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
