import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';

const doc = (title: string, id: string, body: string) => `# ${title}\n\n---\nphase: ${id}\n---\n\n${body}`;

describe('cdp check --phase over several workflows', () => {
  it('selects the groups under a parent heading, and names the groups there when none matches', async () => {
    const root = tempWorkspace({
      '05-release.md': doc(
        'Release',
        '05',
        '## Exit Criteria\n\n- [x] shipped\n\n## Production Readiness Checklist\n\n### Infrastructure\n\n- [x] capacity\n\n### Operations\n\n- [ ] runbook\n\n## Notes\n\n### Later\n\n- [ ] not part of it\n',
      ),
    });
    const r = await run([
      'check',
      root,
      '--phase',
      'release',
      '--gate',
      'Production Readiness Checklist',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const [g] = JSON.parse(r.stdout).gates;
    assert.deepEqual(g.groups, ['Infrastructure', 'Operations']);
    assert.deepEqual(
      g.unmet.map((u: { text: string }) => u.text),
      ['runbook'],
    );
    const none = await run(['check', root, '--phase', 'release', '--gate', 'Security']);
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /^cdp: no phase "release" with group "Security" found; phase 05 Release has the groups Exit Criteria, Infrastructure, Operations, Later$/m,
    );
  });
});
