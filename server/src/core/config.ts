import picomatch from 'picomatch';
import { compileSafeRegex } from './safe-regex';
import { SETTING_KEYS, SETTING_KEYS_LIST } from './setting-keys';
import type { RuleId, Severity } from './types';

export type RuleSetting = Severity | 'off';

/** Every rule with its default severity. The order is the order of the docs. */
export const RULE_DEFAULTS: Readonly<Record<RuleId, Severity>> = {
  'broken-link': 'warning',
  'broken-heading': 'warning',
  'ambiguous-link': 'warning',
  'cross-instance-link': 'warning',
  'missing-artifact': 'warning',
  'phase-chain': 'warning',
  'duplicate-phase': 'error',
  'invalid-frontmatter': 'error',
  'malformed-checkbox': 'warning',
  'out-of-order': 'warning',
  'empty-gate': 'warning',
  'unmet-criterion': 'information',
  'duplicate-id': 'error',
  'missing-dependency': 'warning',
  'dependency-cycle': 'warning',
  'superseded-link': 'hint',
  'invalid-gate-file': 'error',
  'stale-confirmation': 'warning',
};

export const RULE_IDS = Object.keys(RULE_DEFAULTS) as RuleId[];

export interface CdpConfig {
  /** Severity per rule, or `off`. */
  rules: Record<RuleId, RuleSetting>;
  files: {
    /** Globs (relative to each workspace folder) of documents to index. */
    include: string[];
    /** Globs of paths never indexed. */
    exclude: string[];
    /** Documents larger than this are skipped with a notice. */
    maxFileSizeKB: number;
  };
  /** Case-insensitive regular expressions matched against heading text. */
  groups: {
    entry: string[];
    exit: string[];
    gate: string[];
    /** Headings whose sub-headings are all gates ("CDP Validation Requirements", "Quality Gates"). */
    gateContainer: string[];
    /** Headings whose links are artifacts ("Artifacts Produced"). */
    artifacts: string[];
  };
  phases: {
    /** A file (without `.md`) or folder name that makes a phase document when metadata says nothing. */
    fileNamePattern: string;
    /** The phase that "Check Release Readiness" checks up to: a number or a name. */
    releasePhase: string;
  };
  /** `fast` (the scanner) or `remark` (the reference parser; slower). */
  parser: 'fast' | 'remark';
  /** Globs (relative to each workspace folder) of folders or documents that are workflow definitions. */
  definitions: string[];
}

export function defaultConfig(): CdpConfig {
  return {
    rules: { ...RULE_DEFAULTS },
    files: {
      include: ['**/*.md'],
      exclude: ['**/node_modules/**', '**/.git/**', '**/.*/**'],
      maxFileSizeKB: 2048,
    },
    groups: {
      // HELIX phase READMEs call them the input gate(s).
      entry: ['^entry criteria$', '^input gates?$'],
      exit: ['^exit criteria$'],
      gate: ['\\bgate$'],
      gateContainer: ['validation requirements$', '\\bgates$'],
      artifacts: ['^artifacts produced$'],
    },
    phases: {
      fileNamePattern: '^(\\d{1,2})[-_][^/]+$',
      releasePhase: 'release',
    },
    parser: 'fast',
    definitions: [],
  };
}

/** Why picomatch would refuse this glob, or undefined when it takes it. */
function globProblem(glob: string): string | undefined {
  if (glob === '') return 'an empty glob matches nothing';
  try {
    picomatch(glob, { dot: true, nocase: true });
    return undefined;
  } catch (e) {
    return `not a usable glob (${e instanceof Error ? e.message : String(e)})`;
  }
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Reads `cdp.*` settings as VS Code stores them: either nested (`{ "cdp": { "rules": … } }`,
 * as workspace/configuration returns it) or flat dotted keys (`"cdp.files.exclude": […]`,
 * as settings.json holds them). Unknown `cdp.*` keys are ignored and listed in `unknown`; bad values are reported and the
 * default kept.
 */
export function resolveConfig(settings: unknown): {
  config: CdpConfig;
  problems: string[];
  unknown: string[];
} {
  const config = defaultConfig();
  const problems: string[] = [];
  const flat = flatten(settings);
  const unknown: string[] = [];
  for (const key of flat.keys()) {
    if (!key.startsWith('cdp.') || key.startsWith('cdp.rules.') || SETTING_KEYS.has(key)) continue;
    // A key on the way to a declared one, or inside one's value (`cdp.trace.server` may be
    // an object `{ verbosity, format }`): not a setting of its own.
    if (SETTING_KEYS_LIST.some((k) => k.startsWith(`${key}.`) || key.startsWith(`${k}.`))) continue;
    unknown.push(`${key}${suggestSetting(key)}`);
  }

  const strings = (key: string, target: string[]): string[] => {
    const v = flat.get(key);
    if (v === undefined) return target;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`${key}: expected a list of strings`);
    return target;
  };
  const patterns = (key: string, target: string[]): string[] => {
    const list = strings(key, target);
    if (list === target) return target;
    for (const p of list) {
      const c = compileSafeRegex(p);
      if (!c.ok) {
        problems.push(`${key}: ${JSON.stringify(p)} is ${c.error}; the default is used`);
        return target;
      }
    }
    return list;
  };

  const rules = flat.get('cdp.rules');
  if (rules !== undefined) {
    if (rules && typeof rules === 'object' && !Array.isArray(rules)) {
      for (const [id, sev] of Object.entries(rules)) {
        if (!(id in RULE_DEFAULTS)) problems.push(`cdp.rules: unknown rule "${id}"`);
        else if (typeof sev !== 'string' || !SEVERITIES.has(sev))
          problems.push(`cdp.rules.${id}: expected error, warning, information, hint or off`);
        else config.rules[id as RuleId] = sev as RuleSetting;
      }
    } else problems.push('cdp.rules: expected an object of rule ids to severities');
  }
  for (const [key, v] of flat) {
    const m = /^cdp\.rules\.(.+)$/.exec(key);
    if (!m) continue;
    // Read above already, as an entry of the `cdp.rules` object.
    if (rules && typeof rules === 'object' && !Array.isArray(rules) && Object.hasOwn(rules, m[1])) continue;
    if (!(m[1] in RULE_DEFAULTS)) problems.push(`cdp.rules: unknown rule "${m[1]}"`);
    else if (typeof v !== 'string' || !SEVERITIES.has(v))
      problems.push(`${key}: expected error, warning, information, hint or off`);
    else config.rules[m[1] as RuleId] = v as RuleSetting;
  }

  const globs = (key: string, target: string[]): string[] => {
    const list = strings(key, target);
    if (list === target) return target;
    for (const g of list) {
      const why = globProblem(g);
      if (why) {
        problems.push(`${key}: ${why}: ${JSON.stringify(g.length > 80 ? `${g.slice(0, 80)}…` : g)}`);
        return target;
      }
    }
    return list;
  };
  config.files.include = globs('cdp.files.include', config.files.include);
  config.files.exclude = globs('cdp.files.exclude', config.files.exclude);
  const max = flat.get('cdp.files.maxFileSizeKB');
  if (max !== undefined) {
    if (typeof max === 'number' && Number.isFinite(max) && max > 0) config.files.maxFileSizeKB = max;
    else problems.push('cdp.files.maxFileSizeKB: expected a positive number');
  }
  config.groups.entry = patterns('cdp.groups.entry', config.groups.entry);
  config.groups.exit = patterns('cdp.groups.exit', config.groups.exit);
  config.groups.gate = patterns('cdp.groups.gate', config.groups.gate);
  config.groups.gateContainer = patterns('cdp.groups.gateContainer', config.groups.gateContainer);
  config.groups.artifacts = patterns('cdp.groups.artifacts', config.groups.artifacts);
  const fileNamePattern = flat.get('cdp.phases.fileNamePattern');
  if (fileNamePattern !== undefined) {
    const c = typeof fileNamePattern === 'string' ? compileSafeRegex(fileNamePattern) : undefined;
    if (c?.ok) config.phases.fileNamePattern = fileNamePattern as string;
    else if (c)
      problems.push(
        `cdp.phases.fileNamePattern: ${JSON.stringify(fileNamePattern)} is ${c.error}; the default is used`,
      );
    else problems.push('cdp.phases.fileNamePattern: expected a regular expression');
  }
  const release = flat.get('cdp.phases.releasePhase');
  if (release !== undefined) {
    if (typeof release === 'string' && release.trim()) config.phases.releasePhase = release.trim();
    else problems.push('cdp.phases.releasePhase: expected a phase number or name');
  }
  config.definitions = strings('cdp.definitions', config.definitions);
  const parser = flat.get('cdp.parser');
  if (parser !== undefined) {
    if (parser === 'fast' || parser === 'remark') config.parser = parser;
    else problems.push('cdp.parser: expected "fast" or "remark"');
  }
  return { config, problems, unknown };
}

/** ` (did you mean cdp.files.exclude?)` when a declared key ends the same way, in any case. */
function suggestSetting(key: string): string {
  const last = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const whole = key.toLowerCase();
  const near = SETTING_KEYS_LIST.find(
    (k) => k.toLowerCase() === whole || k.slice(k.lastIndexOf('.') + 1).toLowerCase() === last,
  );
  return near ? ` (did you mean ${near}?)` : '';
}

/** `{a: {b: 1}}` and `{"a.b": 1}` both become `a.b → 1`; `cdp.rules` stays an object too. */
function flatten(settings: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (prefix: string, v: unknown, depth: number): void => {
    if (prefix) out.set(prefix, v);
    if (depth > 4 || !v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      walk(prefix ? `${prefix}.${k}` : k, child, depth + 1);
    }
  };
  walk('', settings, 0);
  return out;
}
