// Language-server measurements of our own server (server/out/server.js) on a generated
// workspace. `bench/run.mjs` calls every function below once per workspace size.
//
// Each hook receives `{ workspace, docs, runs, serverPath }` and resolves to either `null`
// (shown as "n/a" in the table) or the figures named in its comment, in milliseconds.
// They all resolve to `null` until they are implemented; the driver needs no change when
// they start returning figures.

/**
 * Server cold start: spawn the server, send `initialize` for the workspace folder and
 * measure until diagnostics have been published for every document.
 * Resolves to `{ ms, peakRssKb }` or `null`.
 */
export async function measureColdStart(_ctx) {
  return null;
}

/**
 * Typing latency: with the workspace loaded, apply single-character edits to an open phase
 * document and time each edit until its refreshed diagnostics arrive.
 * Resolves to `{ p50, p95 }` or `null`.
 */
export async function measureTypingLatency(_ctx) {
  return null;
}

/**
 * Navigation: go-to-definition on wikilinks, find-references on headings and wikilink
 * completion inside `[[`, each repeated over many positions.
 * Resolves to `{ definitionP95, referencesP95, completionP95 }` or `null`.
 */
export async function measureNavigation(_ctx) {
  return null;
}
