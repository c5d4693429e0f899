// Settings the extension does not declare: listed, never applied, with the key meant.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/core/config';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';

const declared = (): string[] => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const c = pkg.contributes.configuration;
  return (Array.isArray(c) ? c : [c])
    .flatMap((x: { properties: object }) => Object.keys(x.properties))
    .sort();
};

describe('settings: unknown keys', () => {
  it('every declared setting is known, in either written form', () => {
    const keys = declared();
    assert.ok(keys.length > 10);
    const flat = Object.fromEntries(keys.map((k) => [k, k === 'cdp.rules' ? {} : undefined]));
    assert.deepEqual(resolveConfig(flat).unknown, []);
    // Nested, as workspace/configuration returns it.
    const nested: Record<string, unknown> = {};
    for (const k of keys) {
      let at = nested;
      const parts = k.split('.');
      for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
      at[parts[parts.length - 1]] = k === 'cdp.rules' ? { 'broken-link': 'error' } : 'x';
    }
    assert.deepEqual(resolveConfig(nested).unknown, []);
  });

  it('lists a key the extension does not declare, with the declared key it resembles', () => {
    const r = resolveConfig({
      'cdp.exclude': ['**/drafts/**'],
      'cdp.Parser': 'remark',
      'cdp.files.excludes': ['x'],
      'cdp.colour': 'red',
      'editor.tabSize': 2,
      'cdp.rules.broken-link': 'error',
    });
    assert.deepEqual(r.unknown, [
      'cdp.exclude (did you mean cdp.files.exclude?)',
      'cdp.Parser (did you mean cdp.parser?)',
      'cdp.files.excludes',
      'cdp.colour',
    ]);
    // Never applied.
    assert.equal(r.config.parser, 'fast');
    assert.equal(r.config.rules['broken-link'], 'error');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(resolveConfig({ cdp: { files: { exlude: [] } } }).unknown, ['cdp.files.exlude']);
    // A bad severity is named once, whichever way the rules are written.
    assert.deepEqual(resolveConfig({ 'cdp.rules': { 'broken-link': 'loud' } }).problems, [
      'cdp.rules.broken-link: expected error, warning, information, hint or off',
    ]);
    assert.deepEqual(resolveConfig({ 'cdp.rules.broken-link': 'loud' }).problems, [
      'cdp.rules.broken-link: expected error, warning, information, hint or off',
    ]);
    // Inside a declared setting's value: part of it.
    assert.deepEqual(
      resolveConfig({ 'cdp.trace.server': { verbosity: 'verbose', format: 'json' } }).unknown,
      [],
    );
  });

  it('cdp check says which settings it ignored', async () => {
    const root = tempWorkspace({
      '.vscode/settings.json': '{ "cdp.exclude": ["drafts/**"], "cdp.files.exclude": ["x/**"] }\n',
      '01-diagnose.md':
        '---\nphase: "01"\nname: Diagnose\n---\n# Diagnose\n\n## Exit Criteria\n\n- [x] done\n',
    });
    const r = await run(['check', root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^cdp: unknown setting ignored: cdp\.exclude \(did you mean cdp\.files\.exclude\?\)$/m,
    );
    assert.doesNotMatch(r.stderr, /cdp\.files\.exclude[^?]/);
  });
});
