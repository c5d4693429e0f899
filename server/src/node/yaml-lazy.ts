import { requireBeside } from './require-beside';
import type * as Yaml from './yaml-entry';

/**
 * Stands in for `yaml` in the server and CLI bundles (`scripts/build.mjs`): the YAML
 * parser (a sixth of a bundle) is bundled on its own into `yaml.js` beside them and
 * loaded the first time a gate file or a front matter block the checker's own reader
 * leaves to it is parsed, so a workspace without either never loads it.
 */
let loaded: typeof Yaml | undefined;
const yaml = (): typeof Yaml => {
  loaded ??= requireBeside<typeof Yaml>('yaml.js', 'the YAML parser');
  return loaded;
};

export const parseDocument = ((...args: Parameters<typeof Yaml.parseDocument>) =>
  yaml().parseDocument(...args)) as typeof Yaml.parseDocument;
/** Every document of a stream (a gate file's gates written after its first `---`, to say so). */
export const parseAllDocuments = ((...args: Parameters<typeof Yaml.parseAllDocuments>) =>
  yaml().parseAllDocuments(...args)) as typeof Yaml.parseAllDocuments;
export const isAlias = ((n: unknown) => yaml().isAlias(n)) as typeof Yaml.isAlias;
export const isMap = ((n: unknown) => yaml().isMap(n)) as typeof Yaml.isMap;
export const isPair = ((n: unknown) => yaml().isPair(n)) as typeof Yaml.isPair;
export const isScalar = ((n: unknown) => yaml().isScalar(n)) as typeof Yaml.isScalar;
export const isSeq = ((n: unknown) => yaml().isSeq(n)) as typeof Yaml.isSeq;
/** `new LineCounter()` makes the parser's own line counter (a constructor returning an object). */
export const LineCounter = function LineCounter() {
  return new (yaml().LineCounter)();
} as unknown as typeof Yaml.LineCounter;
