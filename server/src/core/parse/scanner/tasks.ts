import type { LineIndex } from '../../text';
import type { MalformedCheckbox, MalformedKind, TaskItem } from '../../types';
import { makeTask } from '../compact';
import { characterReferenceAt } from '../mdlink';
import {
  DASH,
  DOT,
  isDigit,
  isSpaceOrTab,
  LBRACKET,
  PLUS,
  RBRACKET,
  RPAREN,
  SPACE,
  STAR,
  TAB,
} from './chars';
import type { ListItem } from './containers';

/**
 * Marks written in a box that GFM reads as no task (only a space or x): 2 reads as not
 * met (`/` in progress, `?`, `>` deferred, `<` scheduled, `!` important, crosses that say
 * "no"), 3 as ticked (check marks, the
 * full-width x of Japanese and Chinese keyboards, the circle that says "done" there).
 * `[-]` is left alone: it says "not applicable" as often as "dropped". A variation
 * selector after the mark (`✔️`, as emoji keyboards write it) is part of it.
 */
const OTHER_MARKS = new Map<number, number>([
  [0x2f, 2], // /
  [0x3f, 2], // ?
  // (task plugins' "deferred", "scheduled", "important": open, whatever they say)
  [0x3e, 2], // >
  [0x3c, 2], // <
  [0x21, 2], // !
  [0x2a, 3], // *
  [0x2713, 3], // ✓
  [0x2714, 3], // ✔
  [0x221a, 3], // √
  [0x2705, 3], // ✅
  [0x2611, 3], // ☑
  [0x2612, 3], // ☒
  [0xff58, 3], // ｘ
  [0xff38, 3], // Ｘ
  [0x3007, 3], // 〇
  [0x25cb, 3], // ○
  [0x274c, 2], // ❌
  [0x274e, 2], // ❎
  [0x2717, 2], // ✗
  [0x2718, 2], // ✘
]);

/**
 * Ballot boxes written for a box at the start of a list item, with the box they stand
 * for (check marks and emoji such as ✅ decorate lists too often to be read as boxes).
 */
const SYMBOL_BOXES = new Map<number, string>([
  [0x2610, '[ ]'], // ☐
  [0x2611, '[x]'], // ☑
  [0x2612, '[x]'], // ☒
]);

/** What the task finder reads of an ended paragraph (`Paragraph` in paragraph.ts). */
export interface ParagraphLines {
  /** Segment `k` is `[starts[k], ends[k])` on line `lineNumbers[k]`, `k < count`. */
  readonly starts: number[];
  readonly ends: number[];
  readonly lineNumbers: number[];
  readonly count: number;
  /** Per line: whether a list item starting there would interrupt (micromark's rules). */
  readonly interrupting: boolean[];
  /** Per line: indentation in columns past the containers it continues. */
  readonly indents: number[];
  /** The list item whose first content this paragraph is (it may be a task), or null. */
  readonly openingItem: ListItem | null;
}

/**
 * Task items (`- [ ] text`) and checkboxes that are almost task items (`-[ ]`, `- []`,
 * `[x] text`), found in a paragraph when it ends. The block scanner decides what the
 * paragraph is (and which list item it opens); this reads its lines.
 */
export class TaskFinder {
  readonly tasks: TaskItem[] = [];
  readonly malformed: MalformedCheckbox[] = [];
  /** Lines of top-level list items that are not task items (see `BodySummary.plain`). */
  readonly plain: number[] = [];
  private para!: ParagraphLines;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  /** Reads the paragraph's lines from `first` (the lines before are link definitions). */
  check(paragraph: ParagraphLines, first: number): void {
    this.para = paragraph;
    const item = paragraph.openingItem;
    if (!this.checkTask(first) && item && item.depth === 0 && first === 0 && !this.notApplicable())
      this.plain.push(item.markerLine);
    this.checkMalformed(first);
  }

  /**
   * Whether the paragraph's item starts with a `[-]` box (not applicable, or dropped):
   * left alone, as no criterion, and no list item without a checkbox either.
   */
  private notApplicable(): boolean {
    const s = this.para.starts[0];
    return startsNotApplicable(this.text, s, this.para.ends[0]);
  }

  /** A valid box `[ ]`/`[x]` at `s`: returns 1 unchecked, 2 checked, 0 none. */
  private boxAt(s: number, e: number): number {
    const t = this.text;
    if (s + 3 > e || t.charCodeAt(s) !== LBRACKET || t.charCodeAt(s + 2) !== RBRACKET) return 0;
    const v = t.charCodeAt(s + 1);
    // micromark expands tabs to their tab stop: only a tab one column wide fits in the box.
    if (v === TAB) return this.columnAt(s + 1) % 4 === 3 ? 1 : 0;
    if (v === SPACE) return 1;
    if (v === 120 || v === 88) return 2;
    return 0;
  }

  /** Visual column of an offset in its line, tabs expanded to multiples of 4. */
  private columnAt(offset: number): number {
    const t = this.text;
    let col = 0;
    for (let i = this.lines.starts[this.lines.lineOf(offset)]; i < offset; i++) {
      col += t.charCodeAt(i) === TAB ? 4 - (col % 4) : 1;
    }
    return col;
  }

  /** The task item the paragraph opens, if its first line starts with a valid box; true when there is one. */
  private checkTask(first: number): boolean {
    const item = this.para.openingItem;
    if (!item) return false;
    const t = this.text;
    const s = this.para.starts[first];
    const e = this.para.ends[first];
    const box = this.boxAt(s, e);
    if (box === 0) return false;
    let i = s + 3;
    if (i < e) {
      if (!isSpaceOrTab(t.charCodeAt(i))) return false;
      while (i < e && isSpaceOrTab(t.charCodeAt(i))) i++;
    }
    // Something must follow the box: text on its line or a further paragraph line.
    if (i >= e && this.para.count < first + 2) return false;
    const lines = this.lines;
    const boxLine = this.para.lineNumbers[first];
    // On a line after the marker's: not when only white space follows the marker there
    // (micromark reads no task in `- ` followed by `  [x] a`, but one in `-` followed by it).
    if (boxLine !== item.markerLine && blankAfter(t, item.markerEnd, lines.lineEnd(item.markerLine)))
      return false;
    const lineEnd = lines.lineEnd(boxLine);
    const text = this.paragraphText(s + 3, first);
    if (boxLine === item.markerLine) {
      const ls = lines.starts[boxLine];
      this.tasks.push(
        makeTask(boxLine, box === 2, text, item.depth, s - ls, item.markerStart - ls, lineEnd - ls),
      );
    } else {
      this.tasks.push({
        line: item.markerLine,
        checked: box === 2,
        text,
        checkboxRange: lines.rangeOf(s, s + 3),
        range: lines.rangeOf(item.markerStart, lineEnd),
        depth: item.depth,
      });
    }
    item.markerLine = -1;
    return true;
  }

  /**
   * The task item's text: its paragraph from `from` (after the box on line `first`), its
   * lines joined with a space as GitHub shows them (a continuation line, indented or lazy,
   * goes on the item), each without the white space around it. A fresh string.
   */
  private paragraphText(from: number, first: number): string {
    const t = this.text;
    const p = this.para;
    const head = t.slice(from, p.ends[first]).trim();
    if (p.count === first + 1) return head;
    const parts = head === '' ? [] : [head];
    for (let k = first + 1; k < p.count; k++) {
      const line = t.slice(p.starts[k], p.ends[k]).trim();
      if (line !== '') parts.push(line);
    }
    return parts.join(' ');
  }

  private checkMalformed(first: number): void {
    const t = this.text;
    for (let k = first; k < this.para.count; k++) {
      const s = this.para.starts[k];
      const e = this.para.ends[k];
      const c = t.charCodeAt(s);
      if (c === LBRACKET && k === 0 && this.para.openingItem && first === 0) {
        // First line of a list item: a box that is not quite a GFM checkbox.
        this.checkItemBox(s, e, this.para.openingItem);
        continue;
      }
      if (k === 0 && this.para.openingItem && first === 0 && SYMBOL_BOXES.has(c)) {
        // `- ☐ text`: a symbol standing for a box.
        const item = this.para.openingItem;
        if (
          item.markerLine === this.para.lineNumbers[0] &&
          (s + 1 >= e || isSpaceOrTab(t.charCodeAt(s + 1)))
        ) {
          const marker = t.slice(item.markerStart, item.markerEnd);
          this.addMalformed(
            'symbol-box',
            this.para.lineNumbers[0],
            item.markerStart,
            s + 1,
            `${marker} ${SYMBOL_BOXES.get(c)}`,
          );
        }
        continue;
      }
      if (c === LBRACKET) {
        const box = this.boxAt(s, e);
        if (box !== 0 && s + 3 < e && isSpaceOrTab(t.charCodeAt(s + 3)) && this.itemCouldStart(k, true)) {
          this.addMalformed('no-marker', this.para.lineNumbers[k], s, s + 3, box === 2 ? '- [x]' : '- [ ]');
        }
        continue;
      }
      // `-[ ]`, `1.[x]`: a list marker glued to its box.
      let i = s;
      if (c === DASH || c === STAR || c === PLUS) i++;
      else {
        while (i < e && isDigit(t.charCodeAt(i)) && i - s < 9) i++;
        if (i === s || i >= e) continue;
        const d = t.charCodeAt(i);
        if (d !== DOT && d !== RPAREN) continue;
        i++;
      }
      if (i >= e || t.charCodeAt(i) !== LBRACKET) continue;
      const bulletOrOne = !isDigit(c) || (i === s + 2 && c === 49); /* 1 */
      if (!this.itemCouldStart(k, bulletOrOne)) continue;
      const box = this.looseBox(i, e);
      if (box === 0) continue;
      const boxEnd = this.looseBoxEnd;
      this.addMalformed(
        'no-space-after-marker',
        this.para.lineNumbers[k],
        s,
        boxEnd,
        `${t.slice(s, i)} ${box === 2 ? '[x]' : '[ ]'}`,
      );
    }
  }

  /**
   * Whether a list item written on paragraph line `k` would start there, by the rules
   * `tryListItem` applies: not indented as code, and when it interrupts the paragraph (or
   * an indented code block) only a bullet or an ordered item numbered `1` may. A fix that
   * adds the missing list syntax must make a task item, so a line where it would not is
   * no malformed checkbox: it is text.
   */
  private itemCouldStart(k: number, bulletOrOne: boolean): boolean {
    if (k > 0 && this.para.indents[k] >= 4) return false;
    return bulletOrOne || !this.para.interrupting[k];
  }

  private looseBoxEnd = 0;
  /** Whether the last box `looseBox` read holds a mark other than a space or x. */
  private looseOther = false;
  /** Whether the last box `looseBox` read holds a space GFM does not read as one (`[\u00a0]`). */
  private looseSpace = false;

  /**
   * A box written `[]`, `[ ]`, `[x]`, `[ x]`, `[x ]`, `[  ]`, `[\u3000]`, `[&nbsp;]`… at `s`, followed by
   * whitespace or the end of the line (with `glued`, by anything): 1 unchecked, 2
   * checked, 0 none.
   */
  private looseBox(s: number, e: number, glued = false): number {
    const t = this.text;
    let i = s + 1;
    let x = 0;
    let space = 0;
    this.looseOther = false;
    this.looseSpace = false;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (c === SPACE || c === TAB) i++;
      else if ((space = otherSpaceAt(t, i, e)) > 0) {
        // `[\u3000]` as CJK keyboards type it, `[\u00a0]` or `[&nbsp;]` from converted documents: empty.
        this.looseSpace = true;
        i += space;
      } else if ((c === 120 || c === 88) && x === 0) {
        x = 1;
        i++;
      } else if (x === 0 && OTHER_MARKS.has(c)) {
        // `[/]` (in progress), `[-]` (dropped): not met; `[✓]`: meant as ticked.
        x = OTHER_MARKS.get(c)!;
        this.looseOther = true;
        i++;
        // (a variation selector: `✔️` as emoji, `✔︎` as text)
        if (i < e && (t.charCodeAt(i) & 0xfff0) === 0xfe00) i++;
      } else break;
    }
    if (i >= e || t.charCodeAt(i) !== RBRACKET) return 0;
    i++;
    if (!glued && i < e && !isSpaceOrTab(t.charCodeAt(i))) return 0;
    this.looseBoxEnd = i;
    return x === 1 ? 2 : x === 2 ? 1 : x === 3 ? 2 : 1;
  }

  private checkItemBox(s: number, e: number, item: ListItem): void {
    if (item.markerLine === -1) return; // it was a task
    if (this.para.lineNumbers[0] !== item.markerLine) return;
    const box = this.looseBox(s, e);
    if (box === 0) {
      // `- [ ]text`, `- []text`, `- [ x]text`: a box glued to its text (not `- [ ](url)`
      // or `- [x]: …`, links). Only before a word: `- [x], [y] are…`, `- [x]_i`,
      // `- [ ]{.span}` are text.
      const strict = this.boxAt(s, e);
      const glued = strict !== 0 ? strict : this.looseBox(s, e, true);
      const end = strict !== 0 ? s + 3 : this.looseBoxEnd;
      // (or by a space GFM does not read as one, which the fix replaces: a no-break space,
      // written as it is or as `&nbsp;`, as documents converted from other tools have)
      const space = glued !== 0 && end < e ? otherSpaceAt(this.text, end, e) : 0;
      if (glued !== 0 && end < e && (space > 0 || /[\p{L}\p{N}]/u.test(this.text[end]))) {
        const marker = this.text.slice(item.markerStart, item.markerEnd);
        const kind: MalformedKind =
          strict !== 0 ? 'no-space-after-box' : this.looseOther ? 'other-mark' : 'glued-box';
        this.addMalformed(
          kind,
          this.para.lineNumbers[0],
          item.markerStart,
          end + space,
          `${marker} ${glued === 2 ? '[x]' : '[ ]'} `,
        );
      }
      return;
    }
    const end = this.looseBoxEnd;
    const width = end - s;
    if (width === 3 && this.boxAt(s, e) !== 0) return; // a valid box with nothing after it
    const kind: MalformedKind = this.looseOther
      ? 'other-mark'
      : this.looseSpace
        ? 'other-space'
        : width === 2
          ? 'empty-box'
          : 'padded-box';
    const marker = this.text.slice(item.markerStart, item.markerEnd);
    this.addMalformed(
      kind,
      this.para.lineNumbers[0],
      item.markerStart,
      end,
      `${marker} ${box === 2 ? '[x]' : '[ ]'}`,
    );
  }

  private addMalformed(kind: MalformedKind, line: number, s: number, e: number, replacement: string): void {
    this.malformed.push({ kind, line, range: this.lines.rangeOf(s, e), replacement });
  }
}

/**
 * The length of a space character other than a space or a tab at `i` of `t` (before `e`):
 * a no-break or other Unicode space, or a character reference for any space (`&nbsp;`,
 * `&#160;`, `&#xA0;`, `&#32;`); 0 for anything else.
 */
function otherSpaceAt(t: string, i: number, e: number): number {
  const c = t.charCodeAt(i);
  if (isOtherSpace(c)) return 1;
  if (c !== 38 /* & */) return 0;
  // Any reference to a space, however written (`&#0160;`, `&NonBreakingSpace;`, `&#32;`).
  const ref = characterReferenceAt(t, i);
  return ref && i + ref.length <= e && /^\s$/u.test(ref.value) ? ref.length : 0;
}

/**
 * Whether `c` is a space that GFM does not read as one: a no-break, em, thin, ideographic
 * (`\u3000`, what CJK keyboards type) or zero-width space, or a byte order mark.
 */
function isOtherSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether `t` from `from` to `to` is white space, at least one character of it. */
function blankAfter(t: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!isSpaceOrTab(t.charCodeAt(i))) return false;
  return true;
}

/** Whether `text` from `s` (before `e`) starts with a `[-]` box followed by white space or the end. */
export function startsNotApplicable(text: string, s: number, e: number): boolean {
  return (
    s + 3 <= e &&
    text.charCodeAt(s) === LBRACKET &&
    text.charCodeAt(s + 1) === DASH &&
    text.charCodeAt(s + 2) === RBRACKET &&
    (s + 3 === e || isSpaceOrTab(text.charCodeAt(s + 3)))
  );
}
