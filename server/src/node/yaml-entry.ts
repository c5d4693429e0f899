// The part of `yaml` the checker uses, bundled on its own into `server/out/yaml.js`
// (see `yaml-lazy.ts`).
export { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
