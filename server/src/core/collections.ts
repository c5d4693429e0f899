// Small helpers over the maps and lists the indexes keep.

/** Orders strings by UTF-16 code units, the same on every machine and locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds `v` to the list kept under `k`. */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Removes `v` from the list kept under `k`, dropping the key when its list empties. */
export function pull<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (!list) return;
  const i = list.indexOf(v);
  if (i !== -1) list.splice(i, 1);
  if (list.length === 0) m.delete(k);
}
