// `cdp check` on a real file larger than the part grep checks search (its first 512 KB):
// a check that does not find its pattern there is not evaluated, never passed or failed
// for what it did not see.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempWorkspace } from '../helpers/files';

const CLI = join(import.meta.dirname, '../../server/out/cli.js');

const check = (type: string, pattern: string, description: string, path = 'docs/notes/big.md') =>
  `    - check: ${type}\n      pattern: "${pattern}"\n      path: ${path}\n      description: ${description}\n`;

interface Unmet {
  text: string;
  state: string;
  reason?: string;
}

describe('cdp check: grep checks of a file over 512 KB', () => {
  // About 600 KB: the heading in its first lines, the forbidden text and the appendix at its end.
  const big = `# Overview\n\n${'All good here, nothing to see.\n'.repeat(20_000)}FORBIDDEN\n\n## Appendix\n`;
  const root = tempWorkspace({
    'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nFrame it.\n',
    'docs/helix/01-frame/GATE.yaml': [
      'phase: frame\nexit_requirements:\n  automated:\n',
      check('grep_absent', 'FORBIDDEN', 'no forbidden text'),
      check('grep_absent', 'FORBID+EN', 'no forbidden pattern'),
      check('grep_present', 'Overview', 'an overview'),
      check('grep_present', 'Appendix', 'an appendix'),
      check('grep_absent', 'nothing to see', 'no filler'),
      check('grep_absent', 'FORBIDDEN', 'small and clean', 'docs/notes/small.md'),
    ].join(''),
    'docs/notes/big.md': big,
    'docs/notes/small.md': '# Small\n\nClean.\n',
  });

  it('passes or fails on what its first 512 KB hold, and is not evaluated otherwise', () => {
    assert.ok(statSync(join(root, 'docs/notes/big.md')).size > 600 * 1024, 'a file over 600 KB');
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--phase', '01', '--format', 'json'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    const group = json.workflows[0].phases[0].groups[0];
    const partly =
      'docs/notes/big.md is longer than 512 K characters; only its first 512 K characters were searched';
    assert.deepEqual(
      group.unmet.map((u: Unmet) => [u.text, u.state, u.reason]),
      [
        ['no forbidden text', 'not-evaluated', partly],
        ['no forbidden pattern', 'not-evaluated', partly],
        ['an appendix', 'not-evaluated', partly],
        ['no filler', 'failed', 'docs/notes/big.md matches /nothing to see/'],
      ],
    );
    // The overview found in the first part, and the small file, pass.
    assert.deepEqual([group.total, group.checked], [6, 2]);
    // The phase's gate does not pass, saying why.
    assert.equal(json.gates[0].passed, false);
    assert.ok(
      json.diagnostics.some(
        (d: { message: string }) =>
          d.message ===
          `Unmet exit criterion (Exit Requirements): no forbidden text — not evaluated: ${partly}`,
      ),
      r.stdout,
    );
  });
});
