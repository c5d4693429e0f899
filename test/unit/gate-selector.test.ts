// The client's document selector for gate files names the files the server reads as gate files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { CONFIRMATIONS_GLOB, GATE_FILE_GLOB } from '../../client/src/gate-files';
import { GATE_FILE_NAME } from '../../server/src/core/gates/parse';
import { CONFIRMATIONS_FILE } from '../../server/src/core/gates/store';

describe('gate file selector', () => {
  it('matches, in any case, exactly the names the server reads as gate files', () => {
    const glob = picomatch(GATE_FILE_GLOB);
    const names = [
      'GATE.yaml',
      'gate.yml',
      'Gate.YAML',
      'input-gates.yml',
      'Input-Gates.yaml',
      'EXIT-GATES.YML',
      'entry-gates.yaml',
      'gates.yml',
      'my-gate.yaml',
      'input-gates.yml.bak',
      'GATE.json',
      'README.md',
    ];
    for (const name of names) {
      const server = GATE_FILE_NAME.test(name);
      assert.equal(glob(`docs/helix/01-frame/${name}`), server, name);
    }
    assert.ok(names.filter((n) => GATE_FILE_NAME.test(n)).length >= 7);
  });

  it('takes in the confirmations file the server reads, and no other', () => {
    const glob = picomatch(CONFIRMATIONS_GLOB, { dot: true });
    assert.ok(glob(CONFIRMATIONS_FILE));
    assert.ok(glob(`packages/api/${CONFIRMATIONS_FILE}`));
    assert.ok(!glob('.cdp/settings.yml'));
    assert.ok(!glob('docs/confirmations.yml'));
  });
});
