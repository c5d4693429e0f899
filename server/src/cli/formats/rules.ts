import { RULE_DEFAULTS } from '../../core/config';
import type { RuleId, Severity } from '../../core/types';

/** Where the rules are documented; each rule has an anchor named by its id. */
export const RULES_DOC = 'https://github.com/cdp-workflow/cdp-workflow/blob/main/docs/rules.md';

export interface RuleMeta {
  id: string;
  /** One sentence (the settings' description). */
  short: string;
  /** What the rule reports, at more length. */
  full: string;
  level: Severity;
}

const TEXT: Record<RuleId, [string, string]> = {
  'broken-link': [
    'A link resolves to no document.',
    'A wikilink or markdown link in the body, or a link in a metadata value, resolves to no document or file, leaves the workspace folder, or (a markdown link) reaches its file only when letter case is ignored.',
  ],
  'broken-heading': [
    'A link names a heading the target document does not have.',
    'The linked document exists but has no heading matching the #Heading part of the wikilink or the #anchor of the markdown link.',
  ],
  'ambiguous-link': [
    'A bare link name matches several equally near documents.',
    'A bare name matches several documents that are equally near the linking document; the first in path order is used.',
  ],
  'cross-instance-link': [
    'A bare link name of one workflow instance reaches a document inside another instance.',
    "A bare-name wikilink in a workflow instance resolves, nearest by name, to a document inside another instance (an earlier release cycle), because this instance has no document of that name; documents outside every instance and those of an enclosing instance are shared and not reported, and a phase's previous_phase / next_phase is phase-chain's.",
  ],
  'missing-artifact': [
    'An artifact named in the metadata or under "Artifacts Produced" does not exist.',
    'A phase names an artifact (in its artifacts metadata or under "Artifacts Produced") that no document in the workspace is.',
  ],
  'phase-chain': [
    "`previous_phase` / `next_phase` (or a gate file's `transition.to_phase`, `phase` or `number`) do not form a consistent chain.",
    "The previous_phase / next_phase links of the phase documents do not agree with each other or with the phase numbers, or lead into another workflow instance other than one cycle handing over to the next; a gate file's transition.to_phase names no phase of the workflow, or not the next one; a gate file's phase: or number: says another phase than its folder's.",
  ],
  'duplicate-phase': [
    'Two documents of one workflow claim the same phase number.',
    'Two phase documents of one workflow instance claim the same phase number.',
  ],
  'invalid-frontmatter': [
    'The metadata block is not valid, or `phase` is a list, a map or a number outside 00–99.',
    'The YAML metadata block of a document cannot be read, or its phase cannot be used (a list, a map, a number outside 00–99).',
  ],
  'malformed-checkbox': [
    'Something looks like a checklist item but is not one.',
    'A line looks like a checklist item but is not one for GFM (`- []`, `- [ x]`, `-[ ]`, a no-break or ideographic space in the box, …; under entry, exit or gate headings also `- [/]`, `- [✓]`, `- [ ]text`, `- ☐`), so it is not counted; under criteria it keeps its group from passing.',
  ],
  'out-of-order': [
    'A phase has progress while an earlier phase still has unmet exit or gate groups.',
    'A phase has checked items while an earlier phase of its workflow still has an unmet exit or gate group.',
  ],
  'empty-gate': [
    'A gate heading or a gate file group has no criteria.',
    'A gate heading in a phase document has no checklist items under it, or a gate file group is written with nothing in it, so it can never be checked.',
  ],
  'unmet-criterion': [
    'An unchecked entry, exit or gate item in a phase that is under way, or criteria that cannot be ticked.',
    'An unchecked item of an entry, exit or gate group in the current phase or in a phase with progress; criteria written without checkboxes, or exit criteria in prose or a table, once on their heading.',
  ],
  'duplicate-id': [
    'Several documents of one workflow instance declare the same DDX id.',
    'Two or more documents of one workflow instance (or a document outside every instance and any other) declare the same id in their ddx: (or dun:) block; links by that id go to the nearest declaring document.',
  ],
  'missing-dependency': [
    'A `depends_on` entry, `superseded_by` or `supersedes` value names no known id.',
    'An entry of depends_on, or a superseded_by or supersedes value, in a ddx: (or dun:) block names an id that no document of the workspace folder declares; an id declared in other letter case is named.',
  ],
  'dependency-cycle': [
    'A document is on a `depends_on` cycle.',
    'The depends_on entries of documents lead back to the document (a cycle of any length, or a document depending on itself).',
  ],
  'superseded-link': [
    'A link or dependency names a superseded or deprecated document.',
    'A link or a depends_on entry names a document whose status is superseded or deprecated; the message names its superseded_by, or says it is not found.',
  ],
  'invalid-gate-file': [
    'A gate file cannot be read.',
    'A gate file (input-gates, entry-gates, exit-gates or GATE, .yml or .yaml, any case) has a YAML error (a key written twice included), values of the wrong type, a gate key it does not know (or none), too many aliases, or is too large; its phase cannot be complete until it is fixed. A check type that is a near miss of a known one (file_exist), or a required value that is neither true nor false (required: optional: the item stays required), is reported too, at most as a warning.',
  ],
  'stale-confirmation': [
    'A confirmation names a manual gate item that no gate file has.',
    'An entry of .cdp/confirmations.yml names a gate file that does not exist, or a manual item its gate file no longer has (renamed or removed): it confirms nothing.',
  ],
};

/** The result of a selected gate check (`--phase` / `--gate`) that did not pass. */
export const GATE_RULE: RuleMeta = {
  id: 'gate-failed',
  short: 'A criterion of a selected gate is not met.',
  full: 'cdp check --phase / --gate selected this gate, and this criterion of it is not met, so the gate check fails.',
  level: 'error',
};

/** Every rule of the checker, in the order of the docs, then the gate check. */
export const RULE_META: readonly RuleMeta[] = [
  ...(Object.keys(RULE_DEFAULTS) as RuleId[]).map((id) => ({
    id,
    short: TEXT[id][0],
    full: TEXT[id][1],
    level: RULE_DEFAULTS[id],
  })),
  GATE_RULE,
];

export const ruleHelpUri = (id: string) => `${RULES_DOC}#${id}`;
