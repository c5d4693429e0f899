import type { LineIndex } from '../../text';
import type { Heading, WikiLink } from '../../types';
import { markdownLink, scanDestination } from '../mdlink';
import { isSpaceOrTab, LBRACKET } from './chars';
import type { ListItem } from './containers';
import { headingText } from './headings';
import type { InlineLinkScanner } from './inline';
import { labelKey, segmentsText } from './labels';
import type { LineCursor } from './line-cursor';
import { definitionAt } from './link-destination';
import type { ParagraphLines, TaskFinder } from './tasks';

/**
 * The open paragraph: its lines as segments of the text (container prefixes and
 * indentation left out), with what the task finder needs to know about each line; and
 * what the paragraph yields when it ends: its leading link reference definitions become
 * links, its first line may be a task item, and its lines go to the inline scanner. One
 * object serves every paragraph of a document (its arrays are reused).
 */
export class Paragraph implements ParagraphLines {
  /** Segment `k` is `[starts[k], ends[k])` on line `lineNumbers[k]`, `k < count`. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly lineNumbers: number[] = [];
  count = 0;
  /** Per line: whether a list item starting there would interrupt (micromark's rules). */
  readonly interrupting: boolean[] = [];
  /** Per line: indentation in columns past the containers it continues. */
  readonly indents: number[] = [];
  /** The list item whose first content this paragraph is (it may be a task), or null. */
  openingItem: ListItem | null = null;
  /** Whether the last line is lazy (no table may start under it). */
  lastLazy = false;
  lastIndent = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly links: WikiLink[],
    private readonly inline: InlineLinkScanner,
    private readonly taskFinder: TaskFinder,
    /** Where the labels (`labelKey`) of the link reference definitions found go. */
    private readonly definitions: Set<string>,
  ) {}

  /** Starts a paragraph (as the first content of `openingItem`, if not null). */
  begin(openingItem: ListItem | null): void {
    this.count = 0;
    this.openingItem = openingItem;
  }

  /**
   * Adds the rest of the cursor's line. `lineInterrupting`: whether a list item starting
   * on this line would interrupt an open block (what the first line records).
   */
  addLine(cur: LineCursor, lazy: boolean, lineInterrupting: boolean): void {
    const n = this.count++;
    this.starts[n] = cur.offset;
    this.ends[n] = cur.lineEnd;
    this.lineNumbers[n] = cur.lineNo;
    this.lastLazy = lazy;
    this.lastIndent = cur.indent;
    this.indents[n] = cur.indent;
    // A list item on a line that continues the paragraph (not lazily) interrupts it.
    this.interrupting[n] = n > 0 ? !lazy : lineInterrupting;
  }

  /** Ends the paragraph: definitions, task item, malformed checkboxes, links. */
  end(): void {
    const n = this.count;
    if (n === 0) return;
    const first = this.text.charCodeAt(this.starts[0]) === LBRACKET ? this.leadingDefinitions(true) : 0;
    if (first >= n) return;
    this.taskFinder.check(this, first);
    this.inline.scan(this.starts, this.ends, n, first);
  }

  /** Ends the lines before line `k` as a paragraph of their own and empties this one. */
  endBefore(k: number): void {
    this.count = k;
    if (k > 0) this.end();
    this.count = 0;
  }

  /**
   * Ends the paragraph as a setext heading of `level` (its underline is on the current
   * line); false, and nothing changes, when it holds nothing but link reference
   * definitions (no heading text).
   */
  endAsSetextHeading(level: number, headings: Heading[]): boolean {
    const t = this.text;
    const firstSeg = this.leadingDefinitions();
    if (firstSeg >= this.count) return false;
    if (firstSeg > 0) this.leadingDefinitions(true);
    const start = this.starts[firstSeg];
    let end = this.ends[this.count - 1];
    while (end > start && isSpaceOrTab(t.charCodeAt(end - 1))) end--;
    headings.push({
      level,
      text: headingText(t, start, end),
      line: this.lineNumbers[firstSeg],
      range: this.lines.rangeOf(start, end),
    });
    this.inline.scan(this.starts, this.ends, this.count, firstSeg);
    return true;
  }

  /**
   * Number of lines at the start that are link reference definitions (one to three lines
   * each, see definitionAt); with `record`, their destinations become links.
   */
  private leadingDefinitions(record = false): number {
    const t = this.text;
    let k = 0;
    while (k < this.count) {
      const def = definitionAt(t, this.starts, this.ends, k, this.count);
      if (def === undefined) break;
      if (record) {
        const label = segmentsText(
          t,
          this.starts,
          this.ends,
          k,
          this.starts[k] + 1,
          def.labelLine,
          def.labelEnd,
        );
        this.definitions.add(labelKey(label));
        const last = k + def.lines - 1;
        let to = this.ends[last];
        while (to > this.starts[last] && isSpaceOrTab(t.charCodeAt(to - 1))) to--;
        const dest = scanDestination(t, def.dest, this.ends[def.destLine]);
        const link = dest && markdownLink(t, this.lines, this.starts[k], to, dest, false, 'body');
        if (link) this.links.push(link);
      }
      k += def.lines;
    }
    return k;
  }
}
