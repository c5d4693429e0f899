import { GATE_FILE_NAME } from '../gates/parse';
import { basename, dirname } from '../paths';
import type { Rule } from './rule';
import { titleRange } from './util';

/**
 * A YAML file named almost like a gate file (`exit-gate.yml`, `exit_gates.yaml`,
 * `gates.yml`): read by no DDX tool, and so by nothing here either, while its author
 * meant it to hold the phase's gate.
 */
const NEAR_GATE_FILE_NAME = /^(?:(?:input|exit|entry)[-_ .]?gates?|gates?|gate[-_ .]?file)\.ya?ml$/i;

/** File names by folder (relative paths), per listing of the workspace folder. */
const byFolder = new WeakMap<readonly string[], Map<string, string[]>>();

function namesIn(files: readonly string[], dir: string): readonly string[] {
  let map = byFolder.get(files);
  if (!map) {
    map = new Map();
    for (const f of files) {
      const name = basename(f);
      // Only the names this rule looks for are kept.
      if (!NEAR_GATE_FILE_NAME.test(name) || GATE_FILE_NAME.test(name)) continue;
      const names = map.get(dirname(f));
      if (names) names.push(name);
      else map.set(dirname(f), [name]);
    }
    byFolder.set(files, map);
  }
  return map.get(dir) ?? [];
}

/** On a folder phase's README: the YAML files beside it that are named almost like a gate file. */
export const misnamedGateFile: Rule = {
  id: 'invalid-gate-file',
  check(analysis, entry, report) {
    if (!entry.phase?.folder) return;
    const names = namesIn(analysis.index.filesOf(entry.folder), entry.dir);
    for (const name of names)
      report({
        message: `${name} beside this phase is not read as a gate file: gate files are named input-gates.yml, entry-gates.yml, exit-gates.yml or GATE.yaml (.yml or .yaml). Rename it for its gate to count.`,
        range: titleRange(entry),
      });
  },
};
