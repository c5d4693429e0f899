import { BACKSLASH, LBRACKET, RBRACKET } from './chars';

/**
 * Labels of link references and footnotes: `[label]` after a link's text (`[text][label]`)
 * or the text itself (`[label]`, `[label][]`), matched against the document's definitions
 * (`[label]: destination`) wherever they are.
 */

/** GFM's longest label: 999 characters. */
export const LABEL_MAX = 999;

/**
 * A label as definitions and their uses are matched (footnotes and link references alike,
 * micromark's identifiers): letter case and white space runs ignored.
 */
export function labelKey(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase();
}

/**
 * The text from offset `from` in segment `fromSeg` to offset `to` in segment `toSeg` of
 * content given as segments `[starts[k], ends[k])`, its lines joined by line breaks (the
 * containers' prefixes between them left out).
 */
export function segmentsText(
  t: string,
  starts: readonly number[],
  ends: readonly number[],
  fromSeg: number,
  from: number,
  toSeg: number,
  to: number,
): string {
  if (fromSeg === toSeg) return t.slice(from, to);
  let s = t.slice(from, ends[fromSeg]);
  for (let k = fromSeg + 1; k < toSeg; k++) s += `\n${t.slice(starts[k], ends[k])}`;
  return `${s}\n${t.slice(starts[toSeg], to)}`;
}

/**
 * The `]` closing the label whose `[` is at `i` in segment `k` (of `n`), as the segment
 * index and offset `[seg, at]`, or undefined: at most 999 characters (a line break counts
 * as one), no `[` unless escaped, not all white space.
 */
export function labelClose(
  t: string,
  starts: readonly number[],
  ends: readonly number[],
  n: number,
  k: number,
  i: number,
): [number, number] | undefined {
  let size = 0;
  let blank = true;
  let j = i + 1;
  for (;;) {
    if (j >= ends[k]) {
      if (++k >= n) return undefined;
      j = starts[k];
      size++;
      continue;
    }
    const c = t.charCodeAt(j);
    if (c === RBRACKET) return blank ? undefined : [k, j];
    if (c === LBRACKET) return undefined;
    if (c !== 32 && c !== 9) blank = false;
    const step = c === BACKSLASH && j + 1 < ends[k] ? 2 : 1;
    j += step;
    size += step;
    if (size > LABEL_MAX) return undefined;
  }
}
