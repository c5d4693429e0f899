import { join } from 'node:path';

/**
 * Loads a part of the bundles kept in a file of its own beside them (`remark.js`,
 * `yaml.js`, `re2js.js`; see `scripts/build.mjs`). A folder that lost it (the bundle
 * copied alone) fails with one line that says what is missing and how to get it back,
 * where the caller reports it (a notice, a diagnostic), instead of a module stack.
 */
export function requireBeside<T>(file: string, what: string): T {
  const path = join(__dirname, file);
  try {
    return require(path) as T;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' ? 'missing' : 'not loadable';
    throw new Error(
      `${what} (${path}) is ${why}: keep the bundle's folder whole, or rebuild with "npm run build"`,
    );
  }
}
