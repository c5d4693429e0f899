/**
 * Plain data shapes shared by every layer of the core.
 *
 * Positions are 0-based lines and 0-based UTF-16 columns into the document text as
 * the editor sees it (a leading BOM is not part of the text). Line breaks are `\n`,
 * `\r\n` or `\r`, as in LSP.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Where a wikilink was written. */
export type LinkSource = 'body' | 'metadata';

/**
 * A link to a document, a heading or a file: a wikilink `[[a#b|c]]`, or (with `syntax:
 * 'markdown'`) a markdown link `[t](a.md#b)` / `![alt](a.png)`, a reference definition
 * `[ref]: a.md`, or a path value of a chain key in metadata (`next_phase: ../02/README.md`).
 */
export interface WikiLink {
  /** The whole source text, e.g. `![[a#b|c]]` (with `\|` as written) or `[t](a.md)`. */
  raw: string;
  /**
   * The target as written, trimmed; `''` for `[[#Heading]]`. Markdown links: the path
   * decoded (`my%20doc.md` → `my doc.md`, escapes removed), without `#…` and `?…`.
   */
  target: string;
  /** The heading after `#`, trimmed, if any (markdown links: the decoded anchor). */
  heading?: string;
  /** `markdown` for markdown links (paths relative to the document); absent for wikilinks. */
  syntax?: 'markdown';
  /** Markdown links: the path as written, when it differs from `target` (encoded or escaped). */
  written?: string;
  /** Markdown links: the destination is written in angle brackets `<…>`. */
  angle?: boolean;
  /** The alias after `|` (or `\|`), if any. */
  alias?: string;
  /** `![[…]]` (markdown: an image `![alt](…)`) */
  embed: boolean;
  /** The whole link including brackets (and `!`). */
  range: Range;
  /** The target text alone (empty range at `[[` + 2 for `[[#Heading]]`). */
  targetRange: Range;
  /** The heading text alone, when there is one. */
  headingRange?: Range;
  source: LinkSource;
  /** For metadata links: the top-level key whose value holds the link (`next_phase`, `artifacts`, …). */
  key?: string;
}

export interface Heading {
  /** 1..6 */
  level: number;
  /** The heading's text content (inline markup kept as written, trimmed). */
  text: string;
  /** The line of the heading (for setext headings: the text line). */
  line: number;
  /** The heading's text on its line. */
  range: Range;
}

export interface TaskItem {
  line: number;
  checked: boolean;
  /** The item's text after the checkbox, trimmed, first line only. */
  text: string;
  /** The `[ ]` / `[x]` including brackets. */
  checkboxRange: Range;
  /** From the list marker to the end of the item's first line. */
  range: Range;
  /** Nesting depth among list items (0 = top-level list). */
  depth: number;
}

export type MalformedKind =
  /** `- []` */
  | 'empty-box'
  /** `- [ x]`, `- [x ]`, `- [  ]` */
  | 'padded-box'
  /** `-[ ]` */
  | 'no-space-after-marker'
  /** `[x] text` with no list marker */
  | 'no-marker'
  /** `- [/]`, `- [?]`, `- [✓]`: a mark GFM does not read */
  | 'other-mark'
  /** `- [\u00a0]`, `- [\u3000]`: a space GFM does not read as one (no-break, ideographic…) */
  | 'other-space'
  /** `- [ ]text`: no space after the box */
  | 'no-space-after-box'
  /** `- []text`, `- [ x]text`: a box GFM does not read, glued to its text */
  | 'glued-box'
  /** `- ☐ text`, `- ☑ text`: a ballot box symbol for a box */
  | 'symbol-box';

export interface MalformedCheckbox {
  kind: MalformedKind;
  line: number;
  /** The text to replace (marker and box as written). */
  range: Range;
  /** What the range should read, e.g. `- [ ]` or `- [x]`. */
  replacement: string;
}

export type MetadataKind = 'frontmatter' | 'after-title' | 'none';

export interface MetadataError {
  message: string;
  range: Range;
}

export interface MetadataEntry {
  key: string;
  /** The line of `key:` */
  line: number;
  /** From the key to the end of its value (last line of a block value). */
  range: Range;
}

export interface Metadata {
  kind: MetadataKind;
  /** The whole block including its `---` fences. */
  range?: Range;
  /**
   * Parsed YAML mapping; `{}` when absent or invalid. A DDX block (`ddx:` / `dun:`) that
   * was read is not kept here but in `ParsedDocument.ddx`.
   */
  data: Record<string, unknown>;
  errors: MetadataError[];
  /** Top-level keys in document order. */
  entries: MetadataEntry[];
  /**
   * The opening `+++` line of TOML front matter, which is not read (only YAML is): its
   * lines are no body text, and invalid-frontmatter says so. Absent otherwise.
   */
  toml?: Range;
  /**
   * The block cannot be read (invalid YAML, or refused as too large or too deeply
   * nested; invalid-frontmatter says why): `data` is `{}`, and nothing is read from its
   * keys (`phase`, `artifacts`). Absent otherwise.
   */
  unread?: true;
}

export interface Title {
  text: string;
  line: number;
  range: Range;
}

/** What a notice is about: a document that could not be read or was skipped. */
export interface Notice {
  uri: string;
  message: string;
}

/**
 * Everything the core keeps of one document: small, no syntax tree.
 */
export interface ParsedDocument {
  uri: string;
  /** Number of lines in the text. */
  lineCount: number;
  title?: Title;
  metadata: Metadata;
  headings: Heading[];
  /** Body and metadata links, in document order. */
  links: WikiLink[];
  tasks: TaskItem[];
  malformed: MalformedCheckbox[];
  /**
   * Lines of the plain list items (`BodySummary.plain`) under a heading whose section has
   * no task item: criteria written without checkboxes. Absent when there are none.
   */
  plainItems?: number[];
  /**
   * Anchors that HTML in the document sets (`<a name="x">`, `id="x"`): a markdown link's
   * `#x` reaches them as it reaches a heading. Absent when there are none.
   */
  htmlAnchors?: string[];
  /** Collapsible sections (`<details>`), in order. Absent when there are none. */
  collapsibles?: Collapsible[];
  /** Callouts with a title (`> [!todo] Entry Criteria`), in order. Absent when there are none. */
  callouts?: Callout[];
  /** The DDX `ddx:` (older: `dun:`) block of the metadata, when there is one. */
  ddx?: DdxMeta;
}

/** A document id as written in a DDX block (`id:` value or a `depends_on` entry). */
export interface IdRef {
  id: string;
  /** The id's text (inside quotes when quoted); the `depends_on:` key when it was not found. */
  range: Range;
}

/** What the core keeps of a DDX block (see README, "Document ids and dependencies"). */
export interface DdxMeta {
  /** The key the block was written under. */
  block: 'ddx' | 'dun';
  /** The block's top-level entry (`ddx:` line to the end of its value). */
  range: Range;
  id?: IdRef;
  /** `depends_on` entries in order (a list or a single string). */
  dependsOn: IdRef[];
  status?: string;
  supersededBy?: string;
  supersedes: string[];
  type?: string;
  activity?: string;
  phase?: string;
  parkingLot: boolean;
  /** The `review:` value as written (YAML text, indentation removed). */
  review?: string;
  /** The ids of `superseded_by` and `supersedes` where they are written (those found), when any. */
  lineage?: IdRef[];
}

/** Body part of a parse: what a markdown parser (fast scanner or remark) produces. */
export interface BodySummary {
  headings: Heading[];
  links: WikiLink[];
  tasks: TaskItem[];
  malformed: MalformedCheckbox[];
  /**
   * Lines of the list items of top-level lists (in no other list item) that are not task
   * items and whose first content is a paragraph (`1. PRD approved`), in order.
   */
  plain: number[];
  /** Start and end line of each HTML block, in document order (see `collapsiblesOf`). */
  html: number[];
  /**
   * Start and end line of each block quote in no other container (lazy lines and `>`
   * lines without text included), in document order (see `calloutsOf`).
   */
  quotes: number[];
}

/**
 * A collapsible section (`<details>` with its `<summary>`): for checklist groups it is a
 * section one level below the heading above it (see `computeGroups`).
 */
export interface Collapsible {
  /** The line of `<details>`. */
  open: number;
  /** The line that ends it: `</details>`, the next heading, or the line count. */
  end: number;
  /** The summary's text (`Details` without one), its line and range (else the `<details>` tag's). */
  text: string;
  line: number;
  range: Range;
}

/**
 * An Obsidian callout (`> [!todo] Entry Criteria`: a block quote in no other container
 * whose first line is `[!type]`, a fold marker `+` or `-` and a title). When its title
 * names a checklist group, the callout is a section one level below the heading above it,
 * as a collapsible section is (see `computeGroups`).
 */
export interface Callout {
  /** The line of `> [!type]`. */
  open: number;
  /** The callout's last line, or the heading inside it that ends it first. */
  end: number;
  /** The title as written (inline markup kept), trimmed; never empty. */
  text: string;
  /** The title's line (`open`) and its range there. */
  line: number;
  range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type RuleId =
  | 'broken-link'
  | 'broken-heading'
  | 'ambiguous-link'
  | 'cross-instance-link'
  | 'missing-artifact'
  | 'phase-chain'
  | 'duplicate-phase'
  | 'invalid-frontmatter'
  | 'malformed-checkbox'
  | 'out-of-order'
  | 'empty-gate'
  | 'unmet-criterion'
  | 'duplicate-id'
  | 'missing-dependency'
  | 'dependency-cycle'
  | 'superseded-link'
  | 'invalid-gate-file'
  | 'stale-confirmation';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix that travels with a finding; the editor turns it into a code action. */
export type Fix =
  | {
      kind: 'edit';
      title: string;
      uri: string;
      edits: TextEdit[];
      preferred?: boolean;
      /**
       * What the text of each edit's range reads, in order, when the rule placed the edit
       * without reading the text (a DDX value's position): the fix is offered only while
       * it does.
       */
      reads?: string[];
    }
  | {
      kind: 'create';
      title: string;
      uri: string;
      content: string;
      /** A workspace template to copy instead of `content`, when the workspace has one. */
      template?: string;
      preferred?: boolean;
    }
  /** Records a manual gate item as confirmed (who and when are filled in when the fix is applied). */
  | {
      kind: 'confirm';
      title: string;
      /** Workspace folder URI. */
      folder: string;
      /** The gate file, folder-relative. */
      file: string;
      item: string;
    }
  /**
   * Withdraws entry `entry` (its position in `confirmationEntries`) of a confirmations file:
   * the edit is worked out when the fix is asked for (`confirmationRemoval` reads the file
   * back once per entry, too costly for every stale entry at every check).
   */
  | { kind: 'withdraw'; title: string; uri: string; entry: number; preferred?: boolean };

export interface RelatedInformation {
  uri: string;
  range: Range;
  message: string;
}

export interface Finding {
  code: RuleId;
  severity: Severity;
  message: string;
  uri: string;
  range: Range;
  related?: RelatedInformation[];
  fixes?: Fix[];
}
