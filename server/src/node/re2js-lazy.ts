import type { RE2JS as Engine } from './re2js-entry';
import { requireBeside } from './require-beside';

/**
 * Stands in for `re2js` in the server and CLI bundles (`scripts/build.mjs`): the regex
 * engine is bundled on its own into `re2js.js` beside them and loaded the first time a
 * pattern from a setting or a workspace file is compiled, so a check that compiles none
 * never loads it. Only `RE2JS`'s static members are used (`core/safe-regex.ts`).
 */
let loaded: typeof Engine | undefined;
const engine = (): typeof Engine => {
  loaded ??= requireBeside<{ RE2JS: typeof Engine }>('re2js.js', 'the regex engine').RE2JS;
  return loaded;
};

export const RE2JS = new Proxy({} as typeof Engine, {
  get(_, key) {
    const e = engine();
    const value = Reflect.get(e, key, e);
    return typeof value === 'function' ? value.bind(e) : value;
  },
});
