import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

/**
 * The YAML a gate file is read from, as small plain nodes: built directly by the fast
 * path (`fast-yaml.ts`), or converted from the `yaml` package's document for anything
 * else. Each node keeps the offset the package gives it (`start`, undefined where it
 * has none), so lines come out the same either way.
 */
export type GateNode = GateScalar | GateSeq | GateMap | GateAlias | GateOther;

export interface GateScalar {
  kind: 'scalar';
  value: unknown;
  start: number | undefined;
  /**
   * Set when the scalar carries an anchor (`&v 02-design`): its text is also what each
   * alias of it reads, so an edit in place would change those too. (The fast path reads
   * no anchors.)
   */
  anchored?: true;
}

export interface GateSeq {
  kind: 'seq';
  items: (GateNode | null | undefined)[];
  start: number | undefined;
}

export interface GatePair {
  key: GateNode | null | undefined;
  value: GateNode | null | undefined;
}

export interface GateMap {
  kind: 'map';
  pairs: GatePair[];
  start: number | undefined;
  /** Set when the mapping carries an anchor (see `GateScalar.anchored`). */
  anchored?: true;
}

/** An alias: resolved (and counted) only where it is read. */
export interface GateAlias {
  kind: 'alias';
  start: number | undefined;
  resolve(): GateNode | null | undefined;
}

/** Anything else the `yaml` package may hold (read as neither text, list nor mapping). */
export interface GateOther {
  kind: 'other';
  start: number | undefined;
}

export function isGateMap(n: unknown): n is GateMap {
  return typeof n === 'object' && n !== null && (n as GateNode).kind === 'map';
}

export function isGateSeq(n: unknown): n is GateSeq {
  return typeof n === 'object' && n !== null && (n as GateNode).kind === 'seq';
}

export function isGateScalar(n: unknown): n is GateScalar {
  return typeof n === 'object' && n !== null && (n as GateNode).kind === 'scalar';
}

export function isGateAlias(n: unknown): n is GateAlias {
  return typeof n === 'object' && n !== null && (n as GateNode).kind === 'alias';
}

/** How deep merge keys (`<<: *base`) are followed. */
const MAX_MERGE_DEPTH = 8;

/**
 * The value of the first pair whose key is the text `key` (undefined when there is
 * none, or its value is empty): what the `yaml` package's `map.get(key, true)` answers;
 * else, as YAML's merge key has it, the value in the mapping (or the first of a list of
 * mappings) that `<<` names.
 */
export function mapGet(map: GateMap, key: string, depth = 0): GateNode | undefined {
  let merged: GateNode | null | undefined;
  for (const p of map.pairs) {
    if (!isGateScalar(p.key)) continue;
    if (p.key.value === key) return p.value ?? undefined;
    if (p.key.value === '<<' && merged === undefined) merged = p.value;
  }
  if (merged === undefined || merged === null || depth >= MAX_MERGE_DEPTH) return undefined;
  const target = isGateAlias(merged) ? merged.resolve() : merged;
  const sources = isGateSeq(target) ? target.items : [target];
  for (const s of sources) {
    const m = isGateAlias(s) ? s.resolve() : s;
    if (!isGateMap(m)) continue;
    const v = mapGet(m, key, depth + 1);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The pairs of a mapping as YAML's merge key makes them: its own pairs in order, a `<<`
 * replaced by the pairs of the mapping (or of each of a list of mappings, the first
 * winning) that it names, less those whose key the mapping has itself or took from a
 * mapping merged before; merges within those are followed up to `MAX_MERGE_DEPTH`, as
 * `mapGet` follows them.
 */
export function mergedPairs(map: GateMap, depth = 0): GatePair[] {
  const isMerge = (p: GatePair) => isGateScalar(p.key) && p.key.value === '<<';
  if (!map.pairs.some(isMerge)) return map.pairs;
  const keyOf = (p: GatePair) => (isGateScalar(p.key) ? p.key.value : undefined);
  const taken = new Set<unknown>();
  for (const p of map.pairs) if (!isMerge(p) && keyOf(p) !== undefined) taken.add(keyOf(p));
  const out: GatePair[] = [];
  for (const p of map.pairs) {
    if (!isMerge(p)) {
      out.push(p);
      continue;
    }
    if (p.value === null || p.value === undefined || depth >= MAX_MERGE_DEPTH) continue;
    const target = isGateAlias(p.value) ? p.value.resolve() : p.value;
    const sources = isGateSeq(target) ? target.items : [target];
    for (const s of sources) {
      const m = isGateAlias(s) ? s.resolve() : s;
      if (!isGateMap(m)) continue;
      for (const q of mergedPairs(m, depth + 1)) {
        const k = keyOf(q);
        if (k === undefined || taken.has(k)) continue;
        taken.add(k);
        out.push(q);
      }
    }
  }
  return out;
}

/**
 * The `yaml` package's node as a gate node. Aliases are converted when read (through
 * `resolve`), each target once.
 */
export function fromYaml(n: unknown, resolveAlias: (alias: unknown) => unknown): GateNode | null | undefined {
  const seen = new Map<unknown, GateNode | null | undefined>();
  const convert = (x: unknown): GateNode | null | undefined => {
    if (x === null || x === undefined) return x;
    const start = (x as { range?: number[] }).range?.[0];
    if (isScalar(x))
      return x.anchor
        ? { kind: 'scalar', value: x.value, start, anchored: true }
        : { kind: 'scalar', value: x.value, start };
    if (isMap(x)) {
      const pairs: GatePair[] = [];
      for (const it of x.items)
        if (isPair(it)) pairs.push({ key: convert(it.key), value: convert(it.value) });
      return x.anchor ? { kind: 'map', pairs, start, anchored: true } : { kind: 'map', pairs, start };
    }
    if (isSeq(x)) return { kind: 'seq', items: x.items.map(convert), start };
    if (isAlias(x)) {
      return {
        kind: 'alias',
        start,
        resolve: () => {
          const target = resolveAlias(x);
          if (!seen.has(target)) seen.set(target, convert(target));
          return seen.get(target);
        },
      };
    }
    return { kind: 'other', start };
  };
  return convert(n);
}
