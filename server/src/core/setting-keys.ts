// The settings the extension declares, apart from those the core reads (config.ts):
// what tells a misspelt or retired key from a real one.

/**
 * Every `cdp.*` setting the extension declares (package.json), those only the editor reads
 * included: a key outside this list is a misspelling or a setting of another version.
 */
export const SETTING_KEYS_LIST = [
  'cdp.rules',
  'cdp.files.include',
  'cdp.files.exclude',
  'cdp.files.maxFileSizeKB',
  'cdp.groups.entry',
  'cdp.groups.exit',
  'cdp.groups.gate',
  'cdp.groups.gateContainer',
  'cdp.groups.artifacts',
  'cdp.phases.fileNamePattern',
  'cdp.phases.releasePhase',
  'cdp.definitions',
  'cdp.parser',
  'cdp.diagnostics.debounceMs',
  'cdp.cache.enabled',
  'cdp.trace.server',
  'cdp.dashboard.historyCommits',
  'cdp.gates.commandTimeout',
];
export const SETTING_KEYS = new Set(SETTING_KEYS_LIST);
