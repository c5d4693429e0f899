/**
 * Where the server's `cdp.*` settings come from. Editors deliver settings in three ways,
 * and all three are applied the same way:
 *
 * 1. `initializationOptions.settings` in `initialize`: the starting values;
 * 2. `workspace/didChangeConfiguration` pushes that carry them (`{settings: {cdp: …}}`);
 * 3. `workspace/configuration` pulls of section `cdp`, when the client supports them: at
 *    start and after every change notification that carries no settings of ours.
 *
 * The latest push or pull replaces the one before it and is laid over the starting
 * values key by key. Both nested (`{cdp: {files: {exclude: …}}}`) and dotted
 * (`{"cdp.files.exclude": …}`) spellings are accepted.
 */
export class SettingsSources {
  private readonly initial: Record<string, unknown>;
  private latest: Record<string, unknown> = {};

  constructor(initializationSettings: unknown) {
    this.initial = cdpPart(initializationSettings) ?? {};
  }

  /** A `didChangeConfiguration` payload; false when it carries no `cdp` settings (then pull). */
  push(settings: unknown): boolean {
    const cdp = cdpPart(settings);
    if (!cdp) return false;
    this.latest = cdp;
    return true;
  }

  /** The answer to a `workspace/configuration` pull of section `cdp` (null: nothing set). */
  pulled(section: unknown): void {
    this.latest = isObject(section) ? section : {};
  }

  /** The settings in effect, as `{cdp: …}`. */
  effective(): { cdp: Record<string, unknown> } {
    return { cdp: merge(this.initial, this.latest) };
  }
}

function unsafeKey(k: string): boolean {
  return k === '__proto__' || k === 'constructor' || k === 'prototype';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The `cdp` part of a settings object, nested or dotted; undefined when there is none. */
export function cdpPart(settings: unknown): Record<string, unknown> | undefined {
  if (!isObject(settings)) return undefined;
  let out: Record<string, unknown> | undefined = isObject(settings.cdp) ? { ...settings.cdp } : undefined;
  for (const [key, value] of Object.entries(settings)) {
    if (!key.startsWith('cdp.')) continue;
    out ??= {};
    let target = out;
    const parts = key.slice(4).split('.');
    if (parts.some(unsafeKey)) continue;
    for (const p of parts.slice(0, -1)) {
      if (!isObject(target[p])) target[p] = {};
      target = target[p] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** `over` laid over `base`: objects merge key by key, anything else (lists too) replaces. */
function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  depth = 0,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (unsafeKey(k)) continue;
    const b = out[k];
    out[k] = depth < 4 && isObject(b) && isObject(v) ? merge(b, v, depth + 1) : v;
  }
  return out;
}
