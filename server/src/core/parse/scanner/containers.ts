/** What a block quote or list item open on the container stack records. */
export interface Container {
  type: number;
  /** List item: columns of content indentation (marker offset + padding). */
  contentIndent: number;
  /** List item: whether anything was added to it yet. */
  hasChild: boolean;
  /** List item: offset of the marker. */
  markerStart: number;
  markerEnd: number;
  /** List item: line of the marker; -1 once a task item was made of it. */
  markerLine: number;
  /** List item: number of list items enclosing it. */
  depth: number;
  /** Number of list items up to and including this container (so a push needs no stack walk). */
  itemsIn: number;
  /** This and every container below it are list items with content: a blank line continues them. */
  blankContinues: boolean;
}

export const BLOCK_QUOTE = 1;
export const LIST_ITEM = 2;

export type ListItem = Container;

/**
 * The open paragraph: its lines as segments of the text (container prefixes and
 * indentation left out), with what the task finder needs to know about each line.
 */
export interface Paragraph {
  /** Segment `k` is `[starts[k], ends[k])` on line `lineNumbers[k]`, `k < count`. */
  starts: number[];
  ends: number[];
  lineNumbers: number[];
  count: number;
  /** Per line: whether a list item starting there would interrupt (micromark's rules). */
  interrupting: boolean[];
  /** Per line: indentation in columns past the containers it continues. */
  indents: number[];
  /** The list item whose first content this paragraph is (it may be a task), or null. */
  openingItem: ListItem | null;
  /** Whether the last line is lazy (no table may start under it). */
  lastLazy: boolean;
  lastIndent: number;
}
