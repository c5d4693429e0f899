// The linear-time regex engine, bundled on its own into `server/out/re2js.js` (see
// `re2js-lazy.ts`).
export { RE2JS } from 're2js';
