import type { parseBodyRemark as ParseBodyRemark } from '../core/parse/remark';
import { requireBeside } from './require-beside';

/**
 * Stands in for `core/parse/remark.ts` in the bundles (`scripts/build.mjs`): remark,
 * micromark and their parts (most of the bundle's code) are bundled on their own into
 * `remark.js` beside the bundle and loaded the first time a document is parsed with
 * `cdp.parser: "remark"`, so a start with the default parser never loads them.
 */
let loaded: typeof ParseBodyRemark | undefined;

export function parseBodyRemark(text: string): ReturnType<typeof ParseBodyRemark> {
  loaded ??= requireBeside<{ parseBodyRemark: typeof ParseBodyRemark }>(
    'remark.js',
    'the remark parser',
  ).parseBodyRemark;
  return loaded(text);
}
