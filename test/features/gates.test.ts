// Gate files (HELIX GATE.yaml) and the features on them, called in-process (no server
// process): the tree's gate items with their file and line, confirming a manual item,
// the quick fixes of an unmet item, the hover of an item.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  Range,
  ResourceOperationKind,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { criterionView, refusalAction } from '../../client/src/progress-model';
import type { CheckGateResult, ToggleCriterionResult, WorkflowsResult } from '../../server/src/protocol';
import { featureContext } from '../helpers/feature-context';
import { CAPABILITIES } from '../lsp/client';

const GATE = [
  'exit_requirements:',
  '  automated:',
  '    - check: file_exists',
  '      path: docs/helix/05-deploy/runbook.md',
  '      description: "Runbook must exist"',
  '  manual:',
  '    - "Staging deployment verified"',
  '',
].join('\n');

async function start() {
  const client = await featureContext(
    {
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': GATE,
    },
    { capabilities: CAPABILITIES, openAll: false },
  );
  return { client, uri: client.uri };
}

const unmet = (d: Diagnostic[]) =>
  d.filter((x) => x.code === 'unmet-criterion').map((x) => `${x.range.start.line}: ${x.message}`);

describe('gate files', () => {
  it('shows gate items with their file and line in cdp/workflows, and confirms a manual item', async () => {
    const { client, uri } = await start();
    const gate = uri('docs/helix/05-deploy/GATE.yaml');
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const group = wf.workflows[0].phases[0].groups[0];
    assert.equal(group.file, gate);
    assert.deepEqual(
      group.items.map((i) => [i.line, i.state, i.manual, i.text]),
      [
        [2, 'failed', false, 'Runbook must exist'],
        [6, 'unconfirmed', true, 'Staging deployment verified'],
      ],
    );
    // Ticking the manual item in the tree records the confirmation in .cdp/confirmations.yml.
    const r = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: gate,
      line: 6,
      expectedText: 'Staging deployment verified',
    });
    const ops = r.edit?.documentChanges as { kind?: string; uri?: string; edits?: { newText: string }[] }[];
    assert.ok(ops, JSON.stringify(r));
    const created = ops.find((o) => o.kind === 'create');
    assert.equal(created?.uri, uri('.cdp/confirmations.yml'));
    const text = ops
      .flatMap((o) => o.edits ?? [])
      .map((e) => e.newText)
      .join('');
    assert.match(
      text,
      /- file: "docs\/helix\/05-deploy\/GATE\.yaml"\n {2}item: "Staging deployment verified"\n {2}by: ".+"\n {2}at: "\d{4}-\d\d-\d\dT/,
    );
    // A check cannot be ticked.
    const refused = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: gate,
      line: 2,
      expectedText: 'Runbook must exist',
    });
    assert.equal(
      refused.refused,
      '"Runbook must exist" is a check, not a manual gate item: it is met when the workspace satisfies it, not ticked.',
    );
    // A line that no longer holds the item named: the file changed.
    const moved = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: gate,
      line: 2,
      expectedText: 'Staging deployment verified',
    });
    assert.match(
      moved.refused ?? '',
      /^Line 3 of .*GATE\.yaml no longer holds the manual gate item "Staging deployment verified"/,
    );
    // The quick fix on the diagnostic offers the same, and creating the file for the check.
    const d = await client.waitForDiagnostics(gate, (x) => unmet(x).length === 2);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: gate },
      range: d[0].range,
      context: { diagnostics: d },
    });
    assert.deepEqual(actions.map((a) => a.title).sort(), [
      'Confirm "Staging deployment verified"',
      'Create "docs/helix/05-deploy/runbook.md"',
    ]);
    const create = actions.find((a) => a.title.startsWith('Create'))!.edit as WorkspaceEdit;
    assert.ok(JSON.stringify(create).includes('"overwrite":false'));
  });

  it('gives a check its type and path, and a group without checkboxes the lines of its items', async () => {
    const client = await featureContext(
      {
        'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
        // Beside no gate file, criteria written without checkboxes count.
        'docs/helix/02-design/README.md':
          '# Phase 02: Design\n\n## Exit Criteria\n\n1. **Scope** agreed\n2. Risks listed in [the log](log.md)\n\n## Notes\n\n- not a criterion\n',
        'docs/helix/01-frame/GATE.yaml': [
          'exit_requirements:',
          '  automated:',
          '    - check: file_exists',
          '      path: docs/helix/01-frame/prd.md',
          '    - check: file_exists',
          '      path: docs/helix/01-frame/principles.md',
          '      description: "Principles written"',
          '',
        ].join('\n'),
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const [frame, design] = wf.workflows[0].phases;
    const exit = design?.groups.find((g) => g.heading === 'Exit Criteria');
    assert.equal(exit?.untracked, 2);
    assert.deepEqual(exit?.untrackedLines, [4, 5]);
    // Shown as rendered in the progress view, as checklist items are.
    assert.deepEqual(exit?.untrackedShown, ['Scope agreed', 'Risks listed in the log']);
    const gate = frame?.groups.find((g) => g.file !== undefined);
    assert.deepEqual(
      gate?.items.map((i) => [i.check, i.path, criterionView(i).label]),
      [
        ['file_exists', 'docs/helix/01-frame/prd.md', 'file_exists prd.md'],
        ['file_exists', 'docs/helix/01-frame/principles.md', 'Principles written'],
      ],
    );
  });

  it('refuses to untick a confirmed manual item and says where its entry is', async () => {
    const confirmations = [
      '# confirmed items',
      'confirmations:',
      '  - file: docs/helix/05-deploy/GATE.yaml',
      '    item: "Something else"',
      '    by: "A"',
      '',
      '  - file: ./docs/helix/05-deploy/GATE.yaml',
      '    item: "Staging deployment verified"',
      '    by: "B"',
      '',
    ].join('\r\n');
    const client = await featureContext(
      {
        'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
        'docs/helix/05-deploy/GATE.yaml': GATE,
        '.cdp/confirmations.yml': confirmations,
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const r = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: client.uri('docs/helix/05-deploy/GATE.yaml'),
      line: 6,
      expectedText: 'Staging deployment verified',
      checked: false,
    });
    assert.match(r.refused ?? '', /already confirmed; remove its entry/);
    assert.deepEqual(r.location, { uri: client.uri('.cdp/confirmations.yml'), line: 6 });
    assert.equal(refusalAction(r.location?.uri ?? ''), 'Open confirmations.yml');
  });

  it('never confirms an item twice: a second request before the index heard of the first is refused', async () => {
    const client = await featureContext(
      {
        'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
        'docs/helix/05-deploy/GATE.yaml': GATE,
        '.cdp/confirmations.yml': '# confirmed items\n',
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const ask = () =>
      client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
        uri: client.uri('docs/helix/05-deploy/GATE.yaml'),
        line: 6,
        expectedText: 'Staging deployment verified',
        checked: true,
      });
    const first = await ask();
    assert.equal(first.refused, undefined);
    const edits = documentEdits(first.edit as WorkspaceEdit, client.uri('.cdp/confirmations.yml'));
    assert.equal(edits.length, 1);
    // The edit is applied on disk; no watcher event reaches the index.
    client.writeFile('.cdp/confirmations.yml', `# confirmed items\n${edits[0].newText}`);
    const second = await ask();
    assert.match(
      second.refused ?? '',
      /"Staging deployment verified" is confirmed already \(by .+, \.cdp\/confirmations\.yml line 2\)\./,
    );
    assert.equal(second.edit, undefined);
  });

  it('offers to create files only to a client that announced create operations', async () => {
    const titles = async (resourceOperations: ResourceOperationKind[]) => {
      const client = await featureContext(
        {
          'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
          'docs/helix/05-deploy/GATE.yaml': GATE,
          'docs/a.md': '# A\n\n[[missing-doc]]\n',
        },
        {
          capabilities: {
            ...CAPABILITIES,
            workspace: { workspaceEdit: { documentChanges: true, resourceOperations } },
          },
          openAll: false,
        },
      );
      const out: string[] = [];
      for (const rel of ['docs/helix/05-deploy/GATE.yaml', 'docs/a.md']) {
        const d = client.diagnosticsOf(client.uri(rel));
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri: client.uri(rel) },
          range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } },
          context: { diagnostics: d },
        });
        const creates = actions.filter((a) =>
          (a.edit?.documentChanges ?? []).some((o) => 'kind' in o && o.kind === 'create'),
        );
        out.push(...creates.map((a) => a.title));
      }
      return out.sort();
    };
    assert.deepEqual(await titles(['rename']), []);
    // (confirming creates .cdp/confirmations.yml)
    assert.deepEqual(await titles(['create']), [
      'Confirm "Staging deployment verified"',
      'Create "docs/helix/05-deploy/runbook.md"',
      'Create document "docs/missing-doc.md"',
    ]);
  });

  it('a gate path a slip away from a file beside it: the fix writing that file comes first and is preferred', async () => {
    const gate = GATE.replace('runbook.md', 'runbok.md');
    const client = await featureContext(
      {
        'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
        'docs/helix/05-deploy/runbook.md': '# Runbook\n',
        'docs/helix/05-deploy/GATE.yaml': gate,
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const uri = client.uri('docs/helix/05-deploy/GATE.yaml');
    const d = client.diagnosticsOf(uri).filter((x) => x.code === 'unmet-criterion');
    assert.deepEqual(
      d.map((x) => x.message).filter((m) => /runbok/.test(m)),
      [
        'Unmet exit criterion (Exit Requirements): Runbook must exist — docs/helix/05-deploy/runbok.md does not exist (did you mean docs/helix/05-deploy/runbook.md?)',
      ],
    );
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
      context: { diagnostics: d.filter((x) => /runbok/.test(x.message)) },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred === true]),
      [
        ['Write "docs/helix/05-deploy/runbook.md" in place of "docs/helix/05-deploy/runbok.md"', true],
        ['Create "docs/helix/05-deploy/runbok.md"', false],
      ],
    );
    // The edit rewrites the name alone.
    const edits = (actions[0].edit?.documentChanges ?? []).flatMap((o) =>
      'edits' in o && o.textDocument.uri === uri ? o.edits : [],
    );
    assert.deepEqual(
      edits.map((e) => [e.range, e.newText]),
      [[{ start: { line: 3, character: 33 }, end: { line: 3, character: 42 } }, 'runbook.md']],
    );
  });

  /** The near-miss findings of a gate file and, for each, its fixes: title, preferred, edits. */
  async function nearActions(files: Record<string, string>, gateRel: string) {
    const client = await featureContext(files, { capabilities: CAPABILITIES, openAll: false });
    const uri = client.uri(gateRel);
    const out: [string, [string, boolean, [number, number, number, string][]][]][] = [];
    for (const x of client.diagnosticsOf(uri).filter((x) => x.code === 'unmet-criterion')) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: x.range,
        context: { diagnostics: [x] },
      });
      out.push([
        x.message.replace(/^.* — /, ''),
        actions.map((a) => [
          a.title,
          a.isPreferred === true,
          (a.edit?.documentChanges ?? []).flatMap((o) =>
            'edits' in o && o.textDocument.uri === uri
              ? o.edits.map((e): [number, number, number, string] => [
                  e.range.start.line,
                  e.range.start.character,
                  e.range.end.character,
                  e.newText,
                ])
              : [],
          ),
        ]),
      ]);
    }
    return out;
  }

  it("a near-miss fix writes the name in the value's own quoting, or is not offered", async () => {
    const got = await nearActions(
      {
        'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
        "docs/n/it's-plan.md": '# Plan\n',
        'docs/n/notes #1.md': '# Notes\n',
        'docs/n/test,plan.md': '# Test plan\n',
        'docs/n/say"hi.md': '# Hi\n',
        'docs/helix/01-frame/GATE.yaml': [
          'exit_requirements:',
          '  automated:',
          '    - check: file_exists',
          "      path: 'docs/n/its-plan.md'",
          '    - check: file_exists',
          '      path: docs/n/notes 1.md',
          '    - {check: file_exists, path: docs/n/testplan.md}',
          '    - check: file_exists',
          '      path: "docs/n/sayhi.md"',
          '',
        ].join('\n'),
      },
      'docs/helix/01-frame/GATE.yaml',
    );
    assert.deepEqual(got, [
      [
        "docs/n/its-plan.md does not exist (did you mean docs/n/it's-plan.md?)",
        [
          [
            'Write "docs/n/it\'s-plan.md" in place of "docs/n/its-plan.md"',
            true,
            [[3, 20, 31, "it''s-plan.md"]],
          ],
        ],
      ],
      // Written plain, `#1.md` would be a comment and `,plan.md` end the flow mapping's value.
      ['docs/n/notes 1.md does not exist (did you mean docs/n/notes #1.md?)', []],
      ['docs/n/testplan.md does not exist (did you mean docs/n/test,plan.md?)', []],
      [
        'docs/n/sayhi.md does not exist (did you mean docs/n/say"hi.md?)',
        [['Write "docs/n/say"hi.md" in place of "docs/n/sayhi.md"', true, [[8, 20, 28, 'say\\"hi.md']]]],
      ],
    ]);
  });

  it('a near-miss fix replaces only the name, and creating the file written is never preferred then', async () => {
    const got = await nearActions(
      {
        'docs/helix/03-test/README.md': '# Phase 03: Test\n',
        'docs/helix/03-test/test-plan.md': '# Test plan\n',
        'docs/helix/03-test/GATE.yaml': [
          'exit_requirements:',
          '  automated:',
          '    - check: file_exists',
          '      path: ./docs/helix/03-test/test-pln.md',
          '    - check: file_exists',
          '      path: /docs/helix/03-test/test-pln.md',
          '    - check: file_exists',
          '      path: docs/helix/./03-test/test-pln.md',
          '    - check: file_exists',
          '      path: >-',
          '        docs/helix/03-test/test-pln.md',
          '',
        ].join('\n'),
      },
      'docs/helix/03-test/GATE.yaml',
    );
    const name = (line: number, from: number) => [[line, from, from + 11, 'test-plan.md']];
    const create = ['Create "docs/helix/03-test/test-pln.md"', false, []];
    assert.deepEqual(got, [
      [
        './docs/helix/03-test/test-pln.md does not exist (did you mean docs/helix/03-test/test-plan.md?)',
        [
          [
            'Write "./docs/helix/03-test/test-plan.md" in place of "./docs/helix/03-test/test-pln.md"',
            true,
            name(3, 33),
          ],
          create,
        ],
      ],
      [
        '/docs/helix/03-test/test-pln.md does not exist (did you mean docs/helix/03-test/test-plan.md?)',
        [
          [
            'Write "/docs/helix/03-test/test-plan.md" in place of "/docs/helix/03-test/test-pln.md"',
            true,
            name(5, 32),
          ],
          create,
        ],
      ],
      [
        'docs/helix/./03-test/test-pln.md does not exist (did you mean docs/helix/03-test/test-plan.md?)',
        [
          [
            'Write "docs/helix/./03-test/test-plan.md" in place of "docs/helix/./03-test/test-pln.md"',
            true,
            name(7, 33),
          ],
          create,
        ],
      ],
      // A block scalar is not edited in place: no fix writes the name, and none is preferred.
      [
        'docs/helix/03-test/test-pln.md does not exist (did you mean docs/helix/03-test/test-plan.md?)',
        [create],
      ],
    ]);
  });

  it('a path written relative to the gate file: the preferred fix writes it from the workspace folder, not a near or other-case file at the root', async () => {
    const got = await nearActions(
      {
        'docs/helix/03-test/README.md': '# Phase 03: Test\n',
        'docs/helix/03-test/test-plan.md': '# Test plan\n',
        'docs/helix/03-test/architecture.md': '# Architecture\n',
        'docs/helix/03-test/specs/s.md': '# S\n',
        'test-plans.md': '# Other\n',
        'ARCHITECTURE.md': '# Other\n',
        'spec/a.md': '# A\n',
        'docs/helix/03-test/GATE.yaml': [
          'exit_requirements:',
          '  automated:',
          '    - check: file_exists',
          '      path: test-plan.md',
          '    - check: file_exists',
          "      path: 'architecture.md'",
          '    - check: dir_not_empty',
          '      path: "./specs"',
          '',
        ].join('\n'),
      },
      'docs/helix/03-test/GATE.yaml',
    );
    const hint = (p: string, folder = false) =>
      `(${folder ? 'the folder ' : ''}docs/helix/03-test/${p} exists beside the gate file: gate paths are relative to the workspace folder, not to the gate file's; write docs/helix/03-test/${p})`;
    assert.deepEqual(got, [
      [
        `test-plan.md does not exist ${hint('test-plan.md')}`,
        [
          [
            'Write "docs/helix/03-test/test-plan.md" in place of "test-plan.md"',
            true,
            [[3, 12, 24, 'docs/helix/03-test/test-plan.md']],
          ],
          ['Create "test-plan.md"', false, []],
        ],
      ],
      [
        `architecture.md does not exist ${hint('architecture.md')}`,
        [
          [
            'Write "docs/helix/03-test/architecture.md" in place of "architecture.md"',
            true,
            [[5, 13, 28, 'docs/helix/03-test/architecture.md']],
          ],
        ],
      ],
      [
        `./specs is empty or missing ${hint('specs', true)}`,
        [
          [
            'Write "docs/helix/03-test/specs" in place of "./specs"',
            true,
            [[7, 13, 20, 'docs/helix/03-test/specs']],
          ],
        ],
      ],
    ]);
  });

  it('a confirmation written with `path:` is a finding on its line, whose fix writes `file:`', async () => {
    const conf =
      'confirmations:\n  - path: docs/helix/05-deploy/GATE.yaml\n    item: "Staging deployment verified"\n';
    const client = await featureContext(
      {
        'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
        'docs/helix/05-deploy/GATE.yaml': GATE,
        '.cdp/confirmations.yml': conf,
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const uri = client.uri('.cdp/confirmations.yml');
    const d = client.diagnosticsOf(uri);
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line, x.message]),
      [
        [
          'stale-confirmation',
          1,
          'This confirmation of "Staging deployment verified" confirms nothing: it has no `file:`. `path:` is not read: did you mean `file:`?',
        ],
      ],
    );
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d[0].range,
      context: { diagnostics: d },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred === true]),
      [['Write `file:` in place of `path:`', true]],
    );
    const edits = (actions[0].edit?.documentChanges ?? []).flatMap((o) =>
      'edits' in o && o.textDocument.uri === uri ? o.edits : [],
    );
    assert.deepEqual(
      edits.map((e) => [e.range, e.newText]),
      [[{ start: { line: 1, character: 4 }, end: { line: 1, character: 8 } }, 'file']],
    );
  });

  it('confirming adds to an existing confirmations file in its own shape, or leaves it and says why', async () => {
    const files = (confirmations: string) => ({
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\nShip it.\n',
      'docs/helix/05-deploy/GATE.yaml': GATE,
      '.cdp/confirmations.yml': confirmations,
    });
    const toggle = async (confirmations: string) => {
      const client = await featureContext(files(confirmations), {
        capabilities: CAPABILITIES,
        openAll: false,
      });
      return client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
        uri: client.uri('docs/helix/05-deploy/GATE.yaml'),
        line: 6,
        expectedText: 'Staging deployment verified',
      });
    };
    // An empty [] list is replaced by the entry: the file stays a list the checker reads.
    const r = await toggle('[]\n');
    const [change] = (r.edit?.documentChanges ?? []) as {
      edits: { range: { start: { line: number; character: number } }; newText: string }[];
    }[];
    assert.equal(change.edits.length, 1);
    assert.deepEqual(change.edits[0].range.start, { line: 0, character: 0 });
    assert.match(
      change.edits[0].newText,
      /^- file: "docs\/helix\/05-deploy\/GATE\.yaml"\n {2}item: "Staging/,
    );
    // A list in brackets with entries is not rewritten: refused, with the reason.
    const refused = await toggle('[{file: "a", item: "b"}]\n');
    assert.equal(refused.edit, undefined);
    assert.match(
      refused.refused ?? '',
      /\.cdp\/confirmations\.yml was left as it is: its list is written in brackets/,
    );
  });

  it('hovers an optional gate item unmet: its group passes without it, as its diagnostic says', async () => {
    const ws = await featureContext(
      {
        'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n',
        'docs/helix/05-deploy/GATE.yaml':
          'exit_requirements:\n  automated:\n    - check: file_exists\n      path: x.md\n      required: false\nvalidation_rules:\n  - description: Stories follow the format\n    severity: warning\n',
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const at = async (line: number) =>
      (
        await ws.request<{ contents: { value: string } }>('textDocument/hover', {
          textDocument: { uri: ws.uri('docs/helix/05-deploy/GATE.yaml') },
          position: { line, character: 6 },
        })
      ).contents.value;
    assert.match(await at(2), /Not met: x\.md does not exist \(optional: its group passes without it\)/);
    assert.match(
      await at(6),
      /Not confirmed yet: a person must confirm it \(optional: its group passes without it\)/,
    );
  });

  it('hovers a gate item: its text and why it is not met', async () => {
    const { client, uri } = await start();
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: uri('docs/helix/05-deploy/GATE.yaml') },
      position: { line: 2, character: 8 },
    });
    assert.match(hover.contents.value, /Runbook must exist/);
    assert.match(hover.contents.value, /Not met: docs\/helix\/05-deploy\/runbook\.md does not exist/);
    // On every line of the item (its path, its description), none past it.
    const at = async (line: number) =>
      (
        await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
          textDocument: { uri: uri('docs/helix/05-deploy/GATE.yaml') },
          position: { line, character: 8 },
        })
      )?.contents.value.split('\n')[0] ?? null;
    assert.deepEqual(await Promise.all([3, 4, 5, 6].map(at)), [
      '**Runbook must exist**',
      '**Runbook must exist**',
      null,
      '**Staging deployment verified**',
    ]);
    /** The first line of the hover at `line` of a workspace of one phase with gate file `gate`. */
    const hoversOf = async (gate: string) => {
      const ws = await featureContext(
        { 'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n', 'docs/helix/05-deploy/GATE.yaml': gate },
        { capabilities: CAPABILITIES, openAll: false },
      );
      return async (line: number) =>
        (
          await ws.request<{ contents: { value: string } } | null>('textDocument/hover', {
            textDocument: { uri: ws.uri('docs/helix/05-deploy/GATE.yaml') },
            position: { line, character: 3 },
          })
        )?.contents.value.split('\n')[0] ?? null;
    };
    // An entry written with its description first: from its `-` line down.
    const hoverAt = await hoversOf(
      'exit_requirements:\n  automated:\n    - description: "Runbook"\n      check: file_exists\n      path: x.md\n\nnext_phase: 06-iterate\n',
    );
    // A manual item in a flow list claims no lines of the entries above it.
    const flowHover = await hoversOf(
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: x.md\n  manual: [Go/no-go decision]\nentry_requirements:\n  automated:\n    - description: Runbook\n      check: file_exists\n# a team note\n      path: y.md\n  manual: [\n      "Go decision", "Sponsor ok"]\n',
    );
    // (a comment inside an entry, even at column 0, ends nothing; on it, no hover)
    assert.deepEqual(await Promise.all([3, 4, 7, 8, 9, 10, 12].map(flowHover)), [
      '**file\\_exists x.md**',
      '**Go/no-go decision**',
      '**Runbook**',
      '**Runbook**',
      null,
      '**Runbook**',
      '**Go decision**',
    ]);
    // (a blank line after it is no item's)
    assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6].map(hoverAt)), [
      null,
      '**Runbook**',
      '**Runbook**',
      '**Runbook**',
      null,
      null,
    ]);
  });

  it('confirms each manual item of a flow list, the second on the line as well as the first', async () => {
    const client = await featureContext(
      {
        'docs/helix/02-design/README.md': '# Phase 02: Design\n',
        'docs/helix/02-design/GATE.yaml': 'exit_requirements:\n  manual: ["Flow item", "Another"]\n',
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const gate = client.uri('docs/helix/02-design/GATE.yaml');
    const wf = await client.request<WorkflowsResult>('cdp/workflows', {});
    const items = wf.workflows[0].phases[0].groups[0].items;
    assert.deepEqual(
      items.map((i) => [i.line, i.manual, i.text]),
      [
        [1, true, 'Flow item'],
        [1, true, 'Another'],
      ],
    );
    for (const item of ['Flow item', 'Another']) {
      const r = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
        uri: gate,
        line: 1,
        expectedText: item,
      });
      assert.equal(r.refused, undefined, item);
      const text = ((r.edit?.documentChanges ?? []) as { edits?: { newText: string }[] }[])
        .flatMap((o) => o.edits ?? [])
        .map((e) => e.newText)
        .join('');
      assert.match(text, new RegExp(`item: "${item}"`));
    }
    // An item the line does not hold is still refused.
    const none = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: gate,
      line: 1,
      expectedText: 'Third',
    });
    assert.match(none.refused ?? '', /^Line 2 of .*GATE\.yaml no longer holds the manual gate item "Third"/);
  });
});

describe('gate file paths as links', () => {
  const files = {
    'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
    'docs/helix/01-frame/prd.md': '# PRD\n\n## Scope\n\nText.\n',
    'docs/helix/01-frame/exit-gates.yml': [
      'exit_gates:',
      '  - criteria: "Scope written"',
      '    evidence: "docs/helix/01-frame/prd.md#scope"',
      '  - criteria: "Sponsor agreed"',
      '    evidence: "sponsor acknowledgment"',
      '',
    ].join('\n'),
    'docs/helix/01-frame/GATE.yaml': [
      'exit_requirements:',
      '  automated:',
      '    - check: file_exists',
      '      path: ./docs/helix/01-frame/missing.md',
      '      fallback_paths: [scripts/build.sh, docs/helix/01-frame/*.md]',
      '    - check: dir_not_empty',
      '      path: docs/helix/01-frame/',
      '',
    ].join('\n'),
    'scripts/build.sh': 'echo build\n',
  };

  it('opens the file a path value names, at the heading of an evidence anchor; globs, folders, prose and missing paths lead nowhere', async () => {
    for (const fragments of [false, true]) {
      const client = await featureContext(files, {
        capabilities: fragments
          ? { ...CAPABILITIES, experimental: { cdp: { lineFragmentLinks: true } } }
          : CAPABILITIES,
        openAll: false,
      });
      const { uri } = client;
      const exit = uri('docs/helix/01-frame/exit-gates.yml');
      const gate = uri('docs/helix/01-frame/GATE.yaml');
      const links = async (u: string) =>
        (
          await client.request<{ range: Range; target: string }[]>('textDocument/documentLink', {
            textDocument: { uri: u },
          })
        ).map((l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character} ${l.target}`);
      const prd = uri('docs/helix/01-frame/prd.md');
      assert.deepEqual(await links(exit), [`2:15-47 ${prd}${fragments ? '#L3' : ''}`]);
      assert.deepEqual(await links(gate), [`4:23-39 ${uri('scripts/build.sh')}`]);
      // Definition lands on the heading the anchor names, or at the start of a file.
      const def = (u: string, line: number, character: number) =>
        client.request<{ uri: string; range: Range } | null>('textDocument/definition', {
          textDocument: { uri: u },
          position: { line, character },
        });
      assert.deepEqual(await def(exit, 2, 30), {
        uri: prd,
        range: { start: { line: 2, character: 3 }, end: { line: 2, character: 8 } },
      });
      assert.deepEqual(await def(gate, 4, 30), {
        uri: uri('scripts/build.sh'),
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
      for (const [u, line, character] of [
        [exit, 4, 20], // prose evidence
        [gate, 3, 20], // a path naming nothing
        [gate, 4, 50], // a glob
        [gate, 6, 20], // a folder
      ] as const)
        assert.equal(await def(u, line, character), null, `${line}:${character}`);
    }
  });
});

describe('criteria written without checkboxes', () => {
  it('one finding on the heading; its quick fix gives every item a checkbox, and nothing else', async () => {
    const readme = [
      '# Phase 01: Frame',
      '',
      '## Exit Criteria',
      '',
      '1. PRD approved',
      '   - by the sponsor',
      '2) Principles [written](principles.md)',
      '',
      '> * quoted item',
      '',
      '## Notes',
      '',
      '- not a criterion',
      '',
    ].join('\n');
    const client = await featureContext(
      { 'docs/helix/01-frame/README.md': readme, 'docs/helix/01-frame/principles.md': '# P\n' },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const doc = client.uri('docs/helix/01-frame/README.md');
    const d = await client.waitForDiagnostics(doc, (x) => unmet(x).length === 1);
    assert.deepEqual(unmet(d), [
      '2: Unmet exit criteria (Exit Criteria): 3 list items have no checkbox, so none can be ticked off. Write them as `- [ ]` items.',
    ]);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: d[0].range,
      context: { diagnostics: d.filter((x) => x.code === 'unmet-criterion') },
    });
    const fix = actions.find((a) => a.title.startsWith('Add a checkbox'));
    assert.equal(fix?.title, 'Add a checkbox to the 3 list items of Exit Criteria');
    const edits =
      (fix!.edit as WorkspaceEdit).changes?.[doc] ?? documentEdits(fix!.edit as WorkspaceEdit, doc);
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]),
      [
        [4, 2, 2, ' [ ]'],
        [6, 2, 2, ' [ ]'],
        [8, 3, 3, ' [ ]'],
      ],
    );
  });

  it('boxes GFM does not read get their own fix only, never a second box', async () => {
    const text = [
      '# Treat',
      '',
      '---',
      'phase: 03',
      'name: Treat',
      '---',
      '',
      '## Exit Criteria',
      '',
      '- [x ] Flags on',
      '- [ ]Docs',
      '',
      '## Entry Criteria',
      '',
      '- [ ]Shipped',
      '- Planned',
      '- [-] Vendor sign-off (not applicable)',
      '- [PRD](prd.md) approved',
      '- [[UX]] reviewed',
      '',
    ].join('\n');
    const client = await featureContext(
      { 'wf/03-treat.md': text },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const doc = client.uri('wf/03-treat.md');
    const d = await client.waitForDiagnostics(doc, (x) => unmet(x).length === 1);
    // The exit group's boxes are malformed-checkbox findings (each says the group cannot
    // pass); "no checkbox" is said only of the items that have none (`- [-]` is left alone).
    assert.deepEqual(unmet(d), [
      '12: Unmet entry criteria (Entry Criteria): 3 list items have no checkbox, so none can be ticked off. Write them as `- [ ]` items.',
    ]);
    assert.deepEqual(
      d.filter((x) => x.code === 'malformed-checkbox').map((x) => x.range.start.line),
      [9, 10, 14],
    );
    const titles: string[] = [];
    const edits: [number, number, string][] = [];
    for (const diagnostic of d) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: doc },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      for (const a of actions) {
        titles.push(a.title);
        const e = (a.edit as WorkspaceEdit).changes?.[doc] ?? documentEdits(a.edit as WorkspaceEdit, doc);
        for (const x of e) edits.push([x.range.start.line, x.range.start.character, x.newText]);
      }
    }
    assert.ok(
      !titles.some((t) => t.includes('Exit Criteria') && t.startsWith('Add a checkbox')),
      titles.join('; '),
    );
    assert.ok(titles.includes('Add a checkbox to the 3 list items of Entry Criteria'), titles.join('; '));
    // A box is added to "- Planned" and the items led by a link: never in front of a box
    // already there, nor of `- [-]` (not applicable), which is left alone.
    const added = edits.filter(([, , t]) => t === ' [ ]');
    assert.deepEqual(added, [
      [15, 1, ' [ ]'],
      [17, 1, ' [ ]'],
      [18, 1, ' [ ]'],
    ]);
  });

  it('the code lens of such a list says so; beside gate files the list has none (it does not count)', async () => {
    const readme = '# Phase 01: Frame\n\n## Exit Criteria\n\n1. PRD approved\n2. Principles written\n';
    const lensTitles = async (files: Record<string, string>) => {
      const client = await featureContext(files, { capabilities: CAPABILITIES, openAll: false });
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', {
        textDocument: { uri: client.uri('docs/helix/01-frame/README.md') },
      });
      return lenses.filter((l) => l.command?.title.includes('done')).map((l) => l.command!.title);
    };
    assert.deepEqual(await lensTitles({ 'docs/helix/01-frame/README.md': readme }), [
      '0/2 done · no checkboxes',
    ]);
    // the outline says the same
    const outlined = await featureContext(
      { 'docs/helix/01-frame/README.md': readme },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const symbols = await outlined.request<
      { name: string; detail?: string; children?: { name: string; detail?: string }[] }[]
    >('textDocument/documentSymbol', {
      textDocument: { uri: outlined.uri('docs/helix/01-frame/README.md') },
    });
    const exit = symbols.flatMap((s) => [s, ...(s.children ?? [])]).find((s) => s.name === 'Exit Criteria');
    assert.equal(exit?.detail, '0/2 · no checkboxes');
    assert.deepEqual(
      await lensTitles({
        'docs/helix/01-frame/README.md': readme,
        'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - "Sponsor agreed"\n',
      }),
      [],
    );
  });
});

describe('criteria in collapsible sections (<details>)', () => {
  const readme = [
    '# Phase 01: Frame',
    '',
    '## Entry Criteria',
    '- [x] scope agreed',
    '<details>',
    '<summary>Exit Criteria</summary>',
    '',
    '- [ ] plan reviewed',
    '</details>',
    '',
    '- [x] team named',
    '',
    '## Notes',
    '<details><summary>Quality Gate</summary>',
    '',
    '1. lint clean',
    '2. tests green',
    '</details>',
    '',
    '- not a criterion',
    '',
  ].join('\n');
  const path = 'docs/helix/01-frame/README.md';

  it('the tree shows the summary as its group, and ticking its item edits exactly that box', async () => {
    const client = await featureContext({ [path]: readme }, { capabilities: CAPABILITIES, openAll: false });
    const doc = client.uri(path);
    const r = await client.request<WorkflowsResult>('cdp/workflows', {});
    const groups = r.workflows[0].phases[0].groups;
    assert.deepEqual(
      groups.map((g) => [g.heading, g.kind, g.line, g.items.map((i) => [i.line, i.text]), g.untrackedLines]),
      [
        [
          'Entry Criteria',
          'entry',
          2,
          [
            [3, 'scope agreed'],
            [10, 'team named'],
          ],
          undefined,
        ],
        ['Exit Criteria', 'exit', 5, [[7, 'plan reviewed']], undefined],
        ['Quality Gate', 'gate', 13, [], [15, 16]],
      ],
    );
    const item = groups[1].items[0];
    const toggled = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: doc,
      line: item.line,
      expectedText: item.text,
      checked: true,
    });
    assert.equal(toggled.refused, undefined);
    assert.deepEqual(
      documentEdits(toggled.edit as WorkspaceEdit, doc).map((e) => [e.range, e.newText]),
      [[{ start: { line: 7, character: 3 }, end: { line: 7, character: 4 } }, 'x']],
    );
  });

  it('the add-checkbox fix of a list under a summary gives a box to its items only', async () => {
    const client = await featureContext({ [path]: readme }, { capabilities: CAPABILITIES, openAll: false });
    const doc = client.uri(path);
    const d = await client.waitForDiagnostics(doc, (x) => unmet(x).some((m) => m.startsWith('13:')));
    const finding = d.find((x) => x.code === 'unmet-criterion' && x.range.start.line === 13)!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: finding.range,
      context: { diagnostics: [finding] },
    });
    const fix = actions.find((a) => a.title.startsWith('Add a checkbox'));
    assert.equal(fix?.title, 'Add a checkbox to the 2 list items of Quality Gate');
    const edits =
      (fix!.edit as WorkspaceEdit).changes?.[doc] ?? documentEdits(fix!.edit as WorkspaceEdit, doc);
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.newText]),
      [
        [15, ' [ ]'],
        [16, ' [ ]'],
      ],
    );
  });
});

describe('the outline of collapsible groups', () => {
  const release = [
    '# Release',
    '',
    '## Exit Criteria',
    '- [x] Shipped',
    '<details>',
    '<summary>More</summary>',
    '',
    '- [ ] Hidden unchecked exit item',
    '',
    '</details>',
    '',
    '### Production Readiness Gate',
    '- [x] Runbook reviewed',
    '<details><summary>Rollback</summary>',
    '',
    '- [x] Rollback rehearsed',
    '- [ ] Rollback owner named',
    '',
    '## Notes',
    '<details><summary>Background</summary>',
    '',
    'Nothing to tick here.',
    '</details>',
    '',
  ].join('\n');
  const path = 'wf/02-release.md';

  it('lists every group the checker counts, a <details> one under the heading it lies in', async () => {
    const client = await featureContext({ [path]: release }, { capabilities: CAPABILITIES, openAll: false });
    const doc = client.uri(path);
    type Sym = { name: string; detail?: string; range: Range; selectionRange: Range; children?: Sym[] };
    const symbols = await client.request<Sym[]>('textDocument/documentSymbol', {
      textDocument: { uri: doc },
    });
    const show = (s: Sym): unknown => [
      s.name,
      s.detail,
      s.range.start.line,
      s.range.end.line,
      (s.children ?? []).map(show),
    ];
    assert.deepEqual(symbols.map(show), [
      [
        'Release',
        'Phase 02 — Release',
        0,
        23,
        [
          [
            'Exit Criteria',
            '1/1',
            2,
            17,
            [
              ['More', '0/1', 4, 9, []],
              ['Production Readiness Gate', '1/1', 11, 17, [['Rollback', '1/2', 13, 17, []]]],
            ],
          ],
          ['Notes', undefined, 18, 23, []],
        ],
      ],
    ]);
    const more = symbols[0].children![0].children![0];
    // The whole block, from its <details> line to the end of its </details> line; selected: the summary's text.
    assert.deepEqual(more.range, { start: { line: 4, character: 0 }, end: { line: 9, character: 10 } });
    assert.deepEqual(more.selectionRange, {
      start: { line: 5, character: 9 },
      end: { line: 5, character: 13 },
    });
    // The same groups as the checker counts.
    const r = await client.request<WorkflowsResult>('cdp/workflows', {});
    const counted = r.workflows
      .flatMap((w) => w.phases)
      .flatMap((p) => p.groups)
      .map((g) => `${g.heading} ${g.checked}/${g.total}`);
    const outlined: string[] = [];
    const walk = (s: Sym) => {
      if (s.detail && /^\d+\/\d+$/.test(s.detail)) outlined.push(`${s.name} ${s.detail}`);
      for (const c of s.children ?? []) walk(c);
    };
    for (const s of symbols) walk(s);
    assert.deepEqual(outlined.sort(), counted.sort());
    assert.equal(counted.length, 4);
  });
});

describe('criteria in Obsidian callouts', () => {
  const readme = [
    '# Phase 05: Release',
    '',
    '## Release Readiness',
    '> [!todo] Entry Criteria',
    '> - [ ] Release plan approved',
    '> - [x] Rollback plan written',
    '',
    '> [!CHECK]- Exit Criteria',
    '> - [ ] Deployed to production',
    '',
    '- [x] Announced',
    '> [!note] Background',
    '> - [ ] Read the notes',
    '',
    '> [!todo]+ Quality Gate',
    '> 1. lint clean',
    '> 2. tests green',
    '',
  ].join('\n');
  const path = 'docs/helix/05-release/README.md';
  const start = () => featureContext({ [path]: readme }, { capabilities: CAPABILITIES, openAll: false });

  it('the tree shows each callout naming a group as that group, and ticking its item edits exactly its box', async () => {
    const client = await start();
    const doc = client.uri(path);
    const r = await client.request<WorkflowsResult>('cdp/workflows', {});
    const groups = r.workflows[0].phases[0].groups;
    assert.deepEqual(
      groups.map((g) => [g.heading, g.kind, g.line, g.items.map((i) => [i.line, i.text]), g.untrackedLines]),
      [
        // The items after the callouts, and those of a callout naming no group, are the heading's.
        [
          'Release Readiness',
          'checklist',
          2,
          [
            [10, 'Announced'],
            [12, 'Read the notes'],
          ],
          undefined,
        ],
        [
          'Entry Criteria',
          'entry',
          3,
          [
            [4, 'Release plan approved'],
            [5, 'Rollback plan written'],
          ],
          undefined,
        ],
        ['Exit Criteria', 'exit', 7, [[8, 'Deployed to production']], undefined],
        ['Quality Gate', 'gate', 14, [], [15, 16]],
      ],
    );
    const item = groups[1].items[0];
    const toggled = await client.request<ToggleCriterionResult>('cdp/toggleCriterion', {
      uri: doc,
      line: item.line,
      expectedText: item.text,
      checked: true,
    });
    assert.equal(toggled.refused, undefined);
    const edits = documentEdits(toggled.edit as WorkspaceEdit, doc);
    assert.deepEqual(
      edits.map((e) => [e.range, e.newText]),
      [[{ start: { line: 4, character: 5 }, end: { line: 4, character: 6 } }, 'x']],
    );
    // Applied, the line keeps its `> ` and the group is met.
    const lines = readme.split('\n');
    const l = lines[4];
    lines[4] =
      l.slice(0, edits[0].range.start.character) + edits[0].newText + l.slice(edits[0].range.end.character);
    assert.equal(lines[4], '> - [x] Release plan approved');
    const after = await featureContext(
      { [path]: lines.join('\n') },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const again = await after.request<WorkflowsResult>('cdp/workflows', {});
    const entry = again.workflows[0].phases[0].groups.find((g) => g.heading === 'Entry Criteria');
    assert.deepEqual([entry?.checked, entry?.total, entry?.passed], [2, 2, true]);
  });

  it('diagnostics and the add-checkbox fix name the callout group', async () => {
    const client = await start();
    const doc = client.uri(path);
    const d = await client.waitForDiagnostics(doc, (x) => unmet(x).some((m) => m.startsWith('14:')));
    assert.deepEqual(unmet(d), [
      '4: Unmet entry criterion (Entry Criteria): Release plan approved',
      '8: Unmet exit criterion (Exit Criteria): Deployed to production',
      '14: Unmet gate criteria (Quality Gate): 2 list items have no checkbox, so none can be ticked off. Write them as `- [ ]` items.',
    ]);
    const finding = d.find((x) => x.code === 'unmet-criterion' && x.range.start.line === 14)!;
    // Its range is the callout's title.
    assert.deepEqual(finding.range, { start: { line: 14, character: 11 }, end: { line: 14, character: 23 } });
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: doc },
      range: finding.range,
      context: { diagnostics: [finding] },
    });
    const fix = actions.find((a) => a.title.startsWith('Add a checkbox'));
    assert.equal(fix?.title, 'Add a checkbox to the 2 list items of Quality Gate');
    const edits =
      (fix!.edit as WorkspaceEdit).changes?.[doc] ?? documentEdits(fix!.edit as WorkspaceEdit, doc);
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.newText]),
      [
        [15, ' [ ]'],
        [16, ' [ ]'],
      ],
    );
  });

  it("the outline lists a callout group under the heading it lies in, over the callout's lines", async () => {
    const client = await start();
    const doc = client.uri(path);
    type Sym = { name: string; detail?: string; range: Range; selectionRange: Range; children?: Sym[] };
    const symbols = await client.request<Sym[]>('textDocument/documentSymbol', {
      textDocument: { uri: doc },
    });
    const show = (s: Sym): unknown => [
      s.name,
      s.detail,
      s.range.start.line,
      s.range.end.line,
      (s.children ?? []).map(show),
    ];
    assert.deepEqual(symbols.map(show), [
      [
        'Phase 05: Release',
        'Phase 05 — Release',
        0,
        17,
        [
          [
            'Release Readiness',
            '1/2',
            2,
            17,
            [
              ['Entry Criteria', '1/2', 3, 5, []],
              ['Exit Criteria', '0/1', 7, 8, []],
              ['Quality Gate', '0/2 · no checkboxes', 14, 16, []],
            ],
          ],
        ],
      ],
    ]);
    const entry = symbols[0].children![0].children![0];
    assert.deepEqual(entry.selectionRange, {
      start: { line: 3, character: 10 },
      end: { line: 3, character: 24 },
    });
  });
});

describe('groups whose headings have emphasis', () => {
  const path = 'wf/02-release.md';
  const text = [
    '# Release',
    '',
    '---',
    'phase: "02"',
    '---',
    '',
    '## **Exit Criteria**',
    '- [x] Shipped',
    '',
    '## _Entry_ Criteria #',
    '- [ ] Planned',
    '',
    '### *Security* Gate ###',
    '- [ ] Reviewed',
    '',
  ].join('\n');

  it('the outline and the code lenses name them as rendered; their selection is the heading as written', async () => {
    const client = await featureContext({ [path]: text }, { capabilities: CAPABILITIES, openAll: false });
    const doc = client.uri(path);
    type Sym = { name: string; detail?: string; selectionRange: Range; children?: Sym[] };
    const symbols = await client.request<Sym[]>('textDocument/documentSymbol', {
      textDocument: { uri: doc },
    });
    const names = symbols[0]
      .children!.flatMap((s) => [s, ...(s.children ?? [])])
      .map((s) => [s.name, s.detail]);
    assert.deepEqual(names, [
      ['Exit Criteria', '1/1'],
      ['Entry Criteria', '0/1'],
      ['Security Gate', '0/1'],
    ]);
    // The selection is the heading's text in the source, markers included.
    assert.deepEqual(symbols[0].children![0].selectionRange, {
      start: { line: 6, character: 3 },
      end: { line: 6, character: 20 },
    });
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: doc } });
    const checks = lenses.filter((l) => l.command?.title === 'Check gate');
    assert.deepEqual(
      checks.map((l) => (l.command!.arguments![0] as { group: string }).group),
      ['Exit Criteria', 'Entry Criteria', 'Security Gate'],
    );
    // The argument selects its group.
    const verdict = await client.request<CheckGateResult>('cdp/checkGate', checks[2].command!.arguments![0]);
    assert.deepEqual(
      verdict.verdicts.flatMap((v) => v.groups.map((g) => g.heading)),
      ['Security Gate'],
    );
  });
});

describe('headings of one name in different sections', () => {
  const path = 'wf/05-release.md';
  const text = [
    '# Release',
    '',
    '---',
    'phase: 05',
    '---',
    '',
    '## Exit Criteria',
    '',
    '- [x] shipped',
    '- [x] announced',
    '',
    '## Rollback Plan',
    '',
    '### Exit Criteria',
    '',
    '- [ ] rollback rehearsed',
    '',
  ].join('\n');

  it('each code lens counts and checks its own section, as the outline counts it', async () => {
    const client = await featureContext({ [path]: text }, { capabilities: CAPABILITIES, openAll: false });
    const doc = client.uri(path);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: doc } });
    assert.deepEqual(
      lenses
        .filter((l) => l.command?.title !== 'Check gate')
        .map((l) => [l.range.start.line, l.command!.title]),
      [
        [6, '2/2 done'],
        [13, '0/1 done'],
      ],
    );
    const checks = lenses.filter((l) => l.command?.title === 'Check gate');
    const passed: boolean[] = [];
    const judged: number[] = [];
    for (const lens of checks) {
      const verdict = await client.request<CheckGateResult>('cdp/checkGate', lens.command!.arguments![0]);
      passed.push(verdict.passed);
      judged.push(verdict.verdicts.reduce((n, v) => n + v.total, 0));
    }
    assert.deepEqual(passed, [true, false]);
    assert.deepEqual(judged, [2, 1]);
    // By name alone, the check still judges every heading of that name (`--gate`).
    const byName = await client.request<CheckGateResult>('cdp/checkGate', {
      workflow: 'wf',
      phase: '05',
      group: 'Exit Criteria',
    });
    assert.equal(byName.verdicts[0].total, 3);
  });

  it("a gate file's group of the heading's name stays in the heading's count and check", async () => {
    const files = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Gates\n\n- [x] PRD written\n',
      'docs/helix/01-frame/exit-gates.yml': 'exit_gates:\n  - criteria: PRD approved\n    required: true\n',
    };
    const client = await featureContext(files, { capabilities: CAPABILITIES, openAll: false });
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: client.uri('docs/helix/01-frame/README.md') },
    });
    assert.deepEqual(
      lenses.filter((l) => l.command?.title !== 'Check gate').map((l) => l.command!.title),
      ['1/2 done'],
    );
    const check = lenses.find((l) => l.command?.title === 'Check gate')!;
    const verdict = await client.request<CheckGateResult>('cdp/checkGate', check.command!.arguments![0]);
    assert.equal(verdict.passed, false);
    assert.equal(verdict.verdicts[0].total, 2);
    // Asked for the heading's line (as the Progress view asks), the same.
    const atLine = await client.request<CheckGateResult>('cdp/checkGate', {
      workflow: 'docs/helix',
      phase: '01',
      group: 'Exit Gates',
      line: 2,
    });
    assert.equal(atLine.verdicts[0].total, 2);
    assert.equal(atLine.passed, false);
  });
});

describe('two gate files of one form in a phase folder', () => {
  it('the tree names their groups with their file; a name no other group has stays as it was', async () => {
    const client = await featureContext(
      {
        'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
        'docs/helix/01-frame/exit-gates.yml': 'exit_gates:\n  - criteria: PRD written\n',
        'docs/helix/01-frame/exit-gates.yaml': 'exit_gates:\n  - criteria: Sponsor agrees\n',
        'docs/helix/02-design/README.md': '# Phase 02: Design\n',
        'docs/helix/02-design/exit-gates.yml': 'exit_gates:\n  - criteria: Design reviewed\n',
      },
      { capabilities: CAPABILITIES, openAll: false },
    );
    const r = await client.request<WorkflowsResult>('cdp/workflows', {});
    assert.deepEqual(
      r.workflows[0].phases.map((p) => p.groups.map((g) => [g.heading, g.file?.split('/').pop()])),
      [
        [
          ['Exit Gates (exit-gates.yaml)', 'exit-gates.yaml'],
          ['Exit Gates (exit-gates.yml)', 'exit-gates.yml'],
        ],
        [['Exit Gates', 'exit-gates.yml']],
      ],
    );
  });
});

function documentEdits(edit: WorkspaceEdit, uri: string) {
  const change = (edit.documentChanges ?? []).find(
    (c) => 'textDocument' in c && c.textDocument.uri === uri,
  ) as
    | {
        edits: {
          range: { start: { line: number; character: number }; end: { line: number; character: number } };
          newText: string;
        }[];
      }
    | undefined;
  return change?.edits ?? [];
}
