// The diagnostics a running server publishes after each burst of edits equal those of a
// fresh `cdp check` of the same texts: the server re-checks only what an edit can change,
// and this is what guards that it re-checks enough. The workspace is HELIX-shaped: phase
// folders with gate files (file_exists, an evidence anchor, previous_phase_complete),
// documents with ids and dependencies, and markdown links between them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { run } from '../helpers/cli';
import { TestClient, tempWorkspace, uriOf, writeFiles } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const FRAME = 'docs/helix/01-frame';
const DESIGN = 'docs/helix/02-design';
const BUILD = 'docs/helix/03-build';

const files: Record<string, string> = {
  [`${FRAME}/README.md`]: '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] Scope agreed\n- [ ] Users named\n',
  [`${FRAME}/GATE.yaml`]: [
    'exit_requirements:',
    '  automated:',
    '    - check: file_exists',
    `      path: ${FRAME}/prd.md`,
    '      description: "PRD written"',
    '',
  ].join('\n'),
  [`${FRAME}/prd.md`]: [
    '---',
    'ddx:',
    '  id: PRD-1',
    '---',
    '# Product requirements',
    '',
    '## Users',
    '',
    'See the [architecture](../02-design/arch.md) and [risks](risks.md).',
    '',
  ].join('\n'),
  [`${FRAME}/risks.md`]: '---\nddx:\n  id: RISK-1\n  depends_on:\n    - PRD-1\n---\n# Risks\n\nNone yet.\n',
  [`${DESIGN}/README.md`]: '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] Architecture reviewed\n',
  [`${DESIGN}/input-gates.yml`]: [
    'input_gates:',
    '  - criteria: "Users are known"',
    '    required: true',
    `    evidence: ${FRAME}/prd.md#users`,
    '',
  ].join('\n'),
  [`${DESIGN}/GATE.yaml`]: [
    'entry_requirements:',
    '  automated:',
    '    - check: previous_phase_complete',
    'exit_requirements:',
    '  automated:',
    '    - check: file_exists',
    `      path: ${DESIGN}/arch.md`,
    '',
  ].join('\n'),
  [`${DESIGN}/arch.md`]: [
    '---',
    'ddx:',
    '  id: ARCH-1',
    '  depends_on:',
    '    - PRD-1',
    '---',
    '# Architecture',
    '',
    'Serves the [users](../01-frame/prd.md#users).',
    '',
  ].join('\n'),
  [`${BUILD}/README.md`]: '# Phase 03: Build\n\n## Exit Criteria\n\n- [ ] Built\n',
  [`${BUILD}/GATE.yaml`]: 'entry_requirements:\n  automated:\n    - check: previous_phase_complete\n',
};

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** One line per diagnostic: file, 1-based range, severity, code, message (sorted). */
function fromServer(root: string, published: Map<string, Diagnostic[]>): string[] {
  const prefix = `${uriOf(root)}/`;
  const out: string[] = [];
  for (const [uri, list] of published) {
    assert.ok(uri.startsWith(prefix), uri);
    const file = decodeURIComponent(uri.slice(prefix.length));
    for (const d of list)
      out.push(
        `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${
          d.range.end.character + 1
        } ${SEVERITY[d.severity ?? 1]} ${d.code} ${d.message}`,
      );
  }
  return out.sort();
}

async function freshCheck(root: string): Promise<string[]> {
  const r = await run(['check', root, '--format', 'json']);
  const data = JSON.parse(r.stdout) as {
    diagnostics: {
      file: string;
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
      severity: string;
      code: string;
      message: string;
    }[];
  };
  return data.diagnostics
    .map(
      (d) =>
        `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.code} ${d.message}`,
    )
    .sort();
}

describe('diagnostics after edits equal a fresh check', () => {
  it('follows edits of ids, dependencies (a cycle made and broken), headings, links and ticked boxes', async () => {
    const root = tempWorkspace(files);
    const client = await TestClient.start([root], { settings: { diagnostics: { debounceMs: 0 } } });
    clients.push(client);
    await client.ready();
    const texts = { ...files };
    const opened = new Set<string>();

    const settle = async (step: string) => {
      // Round trips after the edits: the server parses them and re-checks on its timer.
      for (let i = 0; i < 3; i++) await client.request('workspace/symbol', { query: 'x' });
      const expected = await freshCheck(root);
      let got: string[] = [];
      try {
        await client.waitFor(() => {
          got = fromServer(root, client.diagnostics);
          return JSON.stringify(got) === JSON.stringify(expected);
        }, step);
      } catch {
        assert.deepEqual(got, expected, `after: ${step}`);
      }
      return expected;
    };

    /** Replaces `from` by `to` in a document, in the editor and on disk (the fresh check reads the disk). */
    const edit = async (rel: string, from: string, to: string) => {
      const uri = uriOf(join(root, rel));
      if (!opened.has(rel)) {
        opened.add(rel);
        await client.open(uri, texts[rel]);
      }
      const text = texts[rel];
      const at = text.indexOf(from);
      assert.ok(at >= 0, `${from} in ${rel}`);
      const before = text.slice(0, at).split('\n');
      const start = { line: before.length - 1, character: before[before.length - 1].length };
      const through = text.slice(0, at + from.length).split('\n');
      const end = { line: through.length - 1, character: through[through.length - 1].length };
      texts[rel] = text.slice(0, at) + to + text.slice(at + from.length);
      writeFiles(root, { [rel]: texts[rel] });
      await client.change(uri, [{ range: { start, end }, text: to }]);
    };

    const initial = await settle('start');
    assert.ok(
      initial.some((l) => l.includes('unmet-criterion')),
      initial.join('\n'),
    );

    // Typing in a document: one keystroke at a time.
    for (const ch of 'abc') await edit(`${DESIGN}/arch.md`, '](../01-frame', `${ch}](../01-frame`);
    await settle('typing in arch.md');

    // A dependency cycle appears (PRD-1 → ARCH-1 → PRD-1) ...
    await edit(`${FRAME}/prd.md`, '  id: PRD-1\n', '  id: PRD-1\n  depends_on:\n    - ARCH-1\n');
    const cycle = await settle('introducing a cycle');
    assert.ok(
      cycle.some((l) => l.includes('dependency-cycle')),
      cycle.join('\n'),
    );
    // ... is typed in (the cycle stays) ...
    await edit(`${FRAME}/prd.md`, 'See the', 'We see the');
    await settle('typing in a document on the cycle');
    // ... and goes away.
    await edit(`${FRAME}/prd.md`, '  depends_on:\n    - ARCH-1\n', '');
    const noCycle = await settle('removing the cycle');
    assert.ok(!noCycle.some((l) => l.includes('dependency-cycle')), noCycle.join('\n'));

    // A heading the evidence and a link name is renamed, then restored.
    await edit(`${FRAME}/prd.md`, '## Users', '## People');
    const renamed = await settle('renaming a heading');
    assert.ok(
      renamed.some((l) => l.includes('broken-heading')),
      renamed.join('\n'),
    );
    await edit(`${FRAME}/prd.md`, '## People', '## Users');
    await settle('restoring the heading');

    // An id renamed: the document depending on it loses its target.
    await edit(`${FRAME}/prd.md`, 'id: PRD-1', 'id: PRD-2');
    await settle('renaming an id');
    await edit(`${FRAME}/prd.md`, 'id: PRD-2', 'id: PRD-1');
    await settle('restoring the id');

    // Ticking phase 01's boxes completes it: phase 02's previous_phase_complete is met.
    await edit(`${FRAME}/README.md`, '- [ ] Scope', '- [x] Scope');
    await settle('ticking one box');
    await edit(`${FRAME}/README.md`, '- [ ] Users', '- [x] Users');
    const complete = await settle('ticking the last box');
    assert.ok(!complete.some((l) => l.includes('previous_phase_complete')), complete.join('\n'));
    await edit(`${DESIGN}/README.md`, '- [ ] Architecture', '- [x] Architecture');
    await settle('completing phase 02');
    await edit(`${FRAME}/README.md`, '- [x] Scope', '- [ ] Scope');
    await settle('unticking a box of phase 01');

    // A link broken and mended.
    await edit(`${FRAME}/prd.md`, '(risks.md)', '(risk.md)');
    await settle('breaking a link');
    await edit(`${FRAME}/prd.md`, '(risk.md)', '(risks.md)');
    await settle('mending the link');
  });
});
