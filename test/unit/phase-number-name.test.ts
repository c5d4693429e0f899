import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';

const phaseDoc = (n: string, name: string) =>
  `---\nphase: ${n}\nname: ${name}\n---\n# ${name}\n\n## Exit Criteria\n\n- [x] done\n`;

/** A CDP cycle whose release, phase 05 named Release, is written in `release.md`. */
function cycle(): string {
  return tempWorkspace({
    'releases/v2/01-diagnose.md': phaseDoc('01', 'Diagnose'),
    'releases/v2/02-prescribe.md': phaseDoc('02', 'Prescribe'),
    'releases/v2/03-treat.md': phaseDoc('03', 'Treat'),
    'releases/v2/04-monitor.md': phaseDoc('04', 'Monitor'),
    'releases/v2/release.md': phaseDoc('05', 'Release'),
  });
}

describe('--phase <number>-<name>', () => {
  it('selects the phase whose number and name are both those asked, whatever its file is named', async () => {
    const root = cycle();
    for (const asked of ['05-release', '05_Release', '05-RELEASE', '5 release']) {
      const r = await run(['check', root, '--phase', asked]);
      assert.equal(r.code, 0, `${asked}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^ {2}PASSED releases\/v2 05 Release: Exit Criteria \(1\/1\)$/m, asked);
      assert.doesNotMatch(r.stdout + r.stderr, /is named Release/, asked);
    }
    // A number and a name of different phases is none of them.
    const mixed = await run(['check', root, '--phase', '04-release']);
    assert.equal(mixed.code, 2);
    assert.equal(mixed.stdout, '');
  });

  it('says where the phase of the name asked is when the number asked is not its own', async () => {
    const r = await run(['check', cycle(), '--phase', '06-release']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /workflow releases\/v2 has no phase "06-release": its Release phase is 05$/m);
    assert.doesNotMatch(r.stderr, /is named Release/);
  });
});
