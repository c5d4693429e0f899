import { RULE_DEFAULTS } from './config';
import { matchPhase } from './gate';
import { confirmationsProblem } from './gates/confirmations';
import { evaluateGateFiles, type GateEnv } from './gates/evaluate';
import { gateFileFindings } from './gates/findings';
import { folderFiles } from './gates/inputs';
import { staleConfirmations } from './gates/stale-confirmations';
import type { GateFileEntry } from './gates/store';
import { type DocEntry, FolderPhaseEntry, type WorkspaceIndex } from './index';
import { type Group, type PhaseInfo, phaseOfFolderName } from './model';
import { basename, dirname, joinUri } from './paths';
import { evidenceAnswer } from './resolve';
import { RULES } from './rules';
import type { Report, RuleContext } from './rules/rule';
import { LineIndex } from './text';
import type { Finding, RuleId, Severity } from './types';
import {
  buildWorkflows,
  DefinitionPlaces,
  followedDefinition,
  instanceRoot,
  optionalPhase,
  phaseProgress,
  type WorkflowInstance,
} from './workflow';

/** Severities from the least to the most severe (a rule's `atMost` caps a finding's). */
const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/**
 * The workspace as the rules see it: the index plus the workflow instances derived
 * from it (rebuilt only when the index's structure changes).
 */
/** A phase's last gate evaluation, with the answers about other documents it depended on. */
interface GateMemo {
  /** Files, gate files and workflows it was evaluated against (their versions). */
  paths: number;
  gateFiles: number;
  structure: number;
  gates: GateFileEntry[];
  /** The index version it was last known valid at. */
  checkedAt: number;
  groups: Group[];
  anchors: { rel: string; anchor: string; has: boolean | string | undefined }[];
  phases: { named: string | undefined; answer: { complete: boolean; label: string } | undefined }[];
  /** Documents (URIs) those answers came from. */
  reads: Set<string>;
}

const NO_READERS: ReadonlySet<string> = new Set();

/** Where documents lie, for one build of the workflows (see `Analysis.placeMemo`). */
interface PlaceMemo {
  workflows: WorkflowInstance[];
  scope: WeakMap<DocEntry, string>;
}

/** Thrown by a rule's `report` past `Analysis.perRule`: the rule stops there. */
const ENOUGH = Symbol('enough findings');
/** The finding lists `check` cut short (`Analysis.perRule`). */
const CUT_SHORT = new WeakSet<readonly Finding[]>();

/** Whether `check` stopped a rule of this list at `Analysis.perRule`: there are more findings. */
export function cutShort(findings: readonly Finding[]): boolean {
  return CUT_SHORT.has(findings);
}

export class Analysis implements RuleContext {
  private builtFor = -1;
  private refreshedFor = -1;
  private _workflows: WorkflowInstance[] = [];
  private byUri = new Map<string, WorkflowInstance>();
  /** The workflow whose phase a document is an artifact of (`phase` metadata naming it), by URI. */
  private artifactOwners = new Map<string, WorkflowInstance>();
  /** The phase (its URI) a document is an artifact of, by URI: the first, for one listed under several. */
  private artifactPhases = new Map<string, string>();
  /** The folder gaps (`WorkflowInstance.folderGaps`) by the document each is reported on. */
  private gapsByUri = new Map<string, { workflow: WorkflowInstance; dir: string }[]>();
  private folderPhasesOn = new Map<string, FolderPhaseEntry>();

  /**
   * @param detail keep fixes and related locations on findings (the editor needs them;
   *   a report does not, and 10,000 documents can have 100,000 findings).
   * @param perRule at most this many findings of one rule in one document (`check`), the
   *   rule stopped at the next one and the list marked (`cutShort`): an editor shows a
   *   thousand per document, and a document of 300,000 broken links took half a minute
   *   and gigabytes on every keystroke to build every finding with its fixes. A report
   *   lists them all (no limit).
   */
  constructor(
    readonly index: WorkspaceIndex,
    readonly detail = true,
    readonly perRule = Number.POSITIVE_INFINITY,
  ) {
    index.gateEvaluator = (e) => this.gateGroupsOf(e);
    index.definitionSource = {
      version: () => {
        if (!this.building) this.workflows();
        return this.definitionsVersion;
      },
      contains: (folder, dir) => {
        if (!this.building) this.workflows();
        return this.definitionPlaces.ownerOf(folder, dir) !== undefined;
      },
      any: (folder) => {
        if (!this.building) this.workflows();
        return this.definitionPlaces.any(folder);
      },
    };
  }

  /** Whether the workflows are being built (they resolve links, which ask where the definitions lie). */
  private building = false;
  /** Where the workflow definitions lie, as of the last build. */
  private definitionPlaces = new DefinitionPlaces([]);
  /** Changes when a build finds the definitions in other folders (`WorkspaceIndex.definitionSource`). */
  private definitionsVersion = 0;

  /** Notes where the definitions of `workflows` lie; a change bumps `definitionsVersion`. */
  private noteDefinitions(workflows: WorkflowInstance[]): void {
    const places = new DefinitionPlaces(workflows);
    if (places.key !== this.definitionPlaces.key) this.definitionsVersion++;
    this.definitionPlaces = places;
  }

  /** Changes whenever the folders of the workflow definitions change (a document's ids then may name other documents). */
  get definitionsStamp(): number {
    this.workflows();
    return this.definitionsVersion;
  }

  /** Phase document → its last gate evaluation and the answers that evaluation read. */
  private readonly gateMemo = new Map<string, GateMemo>();
  /** Document → the phase documents whose last gate evaluation read it. */
  private readonly gateReadersOf = new Map<string, Set<string>>();
  private readonly evaluating = new Set<string>();

  /**
   * The evaluated groups of the gate files in a folder phase's folder. An evaluation is
   * kept while the files, the gate files (with what they search) and the workflows stay
   * as they were, and is used again when each answer it read about other documents (an
   * anchor, a phase's completion) is still the same: a keystroke elsewhere evaluates no
   * gate again.
   */
  gateGroupsOf(e: DocEntry): Group[] {
    // Asked every time a phase's groups are read: the answer kept is checked first.
    const index = this.index;
    const memo = this.gateMemo.get(e.uri);
    const same =
      memo !== undefined &&
      memo.paths === index.pathsStamp &&
      memo.gateFiles === index.gates.version &&
      memo.structure === index.structureVersion;
    if (same && memo.checkedAt === index.version) return memo.groups;
    const gates = index.gates.inDir(e.folder, e.dir);
    if (gates.length === 0) return [];
    // previous_phase_complete of a phase whose previous phase leads back here: not complete.
    if (this.evaluating.has(e.uri)) return [];
    this.evaluating.add(e.uri);
    try {
      if (same && memo.gates === gates && this.stillHolds(memo, this.gateEnv(e))) {
        memo.checkedAt = index.version;
        return memo.groups;
      }
      const next: GateMemo = {
        paths: index.pathsStamp,
        gateFiles: index.gates.version,
        structure: index.structureVersion,
        gates,
        checkedAt: index.version,
        groups: [],
        anchors: [],
        phases: [],
        reads: new Set(),
      };
      next.groups = this.evaluateGates(gates, this.recordingEnv(e, next));
      this.remember(e.uri, next);
      return next.groups;
    } finally {
      this.evaluating.delete(e.uri);
    }
  }

  /** Phase documents whose gate evaluation read `uri` (an anchor in it, its completion). */
  gateReaders(uri: string): ReadonlySet<string> {
    return this.gateReadersOf.get(uri) ?? NO_READERS;
  }

  /** Runs the gate checks (one place, so that tests can count evaluations). */
  private evaluateGates(gates: GateFileEntry[], env: GateEnv): Group[] {
    return evaluateGateFiles(gates, env);
  }

  private remember(uri: string, memo: GateMemo): void {
    const before = this.gateMemo.get(uri);
    for (const r of before?.reads ?? []) this.gateReadersOf.get(r)?.delete(uri);
    this.gateMemo.set(uri, memo);
    for (const r of memo.reads) {
      let s = this.gateReadersOf.get(r);
      if (!s) this.gateReadersOf.set(r, (s = new Set()));
      s.add(uri);
    }
  }

  /** Whether the answers an evaluation read about other documents are still the same. */
  private stillHolds(memo: GateMemo, env: GateEnv): boolean {
    for (const a of memo.anchors) if (env.hasAnchor(a.rel, a.anchor) !== a.has) return false;
    for (const p of memo.phases) {
      const now = env.phaseComplete(p.named);
      if (now?.complete !== p.answer?.complete || now?.label !== p.answer?.label) return false;
    }
    return true;
  }

  /** The environment of a phase's gate checks, noting the answers that depend on other documents. */
  private recordingEnv(e: DocEntry, memo: GateMemo): GateEnv {
    const env = this.gateEnv(e, memo.reads);
    return {
      ...env,
      hasAnchor: (rel, anchor) => {
        const has = env.hasAnchor(rel, anchor);
        memo.anchors.push({ rel, anchor, has });
        return has;
      },
      phaseComplete: (named) => {
        const answer = env.phaseComplete(named);
        memo.phases.push({ named, answer });
        return answer;
      },
    };
  }

  private gateEnv(e: DocEntry, reads?: Set<string>): GateEnv {
    const index = this.index;
    const folder = e.folder;
    return {
      ...folderFiles(index, folder),
      hasAnchor: (rel, anchor) => {
        const d = index.docAt(folder, rel);
        if (d) reads?.add(d.uri);
        return d ? evidenceAnswer(d, anchor) : undefined;
      },
      text: (rel) => index.gates.text(joinUri(folder, rel)),
      truncated: (rel) => index.gates.truncated(joinUri(folder, rel)),
      answer: (rel, pattern) => index.gates.answer(joinUri(folder, rel), pattern),
      unreadReason: (rel) => index.gates.unreadReason(joinUri(folder, rel)),
      phaseComplete: (named) => {
        const w = this.workflowOf(e.uri);
        if (!w) return undefined;
        let p: DocEntry | undefined;
        if (named) {
          const matched = matchPhase(w, named);
          p = matched.find((x) => x !== e);
          if (!p && matched.includes(e))
            return { complete: false, label: `phase ${e.phase!.id} ${e.phase!.name}`, self: true };
        } else {
          // The phase before: the nearest one below (numbers a workflow skips are skipped),
          // unless a folder between them lacks its phase document, or none is below a
          // phase after 01 (`02-design` alone has no `01-frame` to be complete). A folder
          // numbered 00 (HELIX's optional discovery, notes kept there) is never required,
          // nor a 00 phase with nothing to check (`optionalPhase`).
          const n = e.phase!.number;
          const before = w.phases.filter((x) => x.phase!.number < n && !optionalPhase(x));
          p = before[before.length - 1];
          const below = p === undefined ? -1 : p.phase!.number;
          for (const g of w.folderGaps ?? []) {
            const k = phaseOfFolderName(basename(g.dir), index.patterns)?.number;
            if (k !== undefined && k > below && k < n && k > 0)
              return { complete: false, label: `phase ${pad2(k)} (${g.dir}/ has no phase document)` };
          }
          if (p === undefined && n > 1)
            return { complete: false, label: `phase ${pad2(n - 1)}`, missing: true };
        }
        if (!p) return undefined;
        reads?.add(p.uri);
        if (this.evaluating.has(p.uri))
          return { complete: false, label: `phase ${p.phase!.id} ${p.phase!.name}` };
        return {
          complete: phaseProgress(p).complete || optionalPhase(p),
          label: `phase ${p.phase!.id} ${p.phase!.name}`,
        };
      },
      confirmation: (fileRel, item) => index.gates.confirmation(folder, fileRel, item),
      commandResult: (uri, line) => index.gates.commandResult(uri, line),
      commandWording: index.gates.commandWording,
    };
  }

  /**
   * The phase a document is shown as (outline, hover, completion): the one its name or
   * metadata gives when it is a workflow's phase or shows one itself (criteria, a phase
   * title, gate files); a numbered file that is neither (a guide's `01-intro.md`), or a
   * documentation site's page about a phase (`isSitePage`), none.
   */
  shownPhase(e: DocEntry): PhaseInfo | undefined {
    if (!e.phase) return undefined;
    if (this.workflowOf(e.uri) !== undefined) return e.phase;
    return e.showsPhase && !this.index.isSitePage(e) ? e.phase : undefined;
  }

  /** Whether findings about unmet work are out of place in a document: it belongs to a workflow definition. */
  isDefinitionDocument(e: DocEntry): boolean {
    if (e.template) return true;
    const w = this.workflowOf(e.uri);
    if (w) return w.definition;
    return this.definitionAt(e.folder, e.dir) !== undefined;
  }

  /** Answers of `scopeOf` for the workflows as built now. */
  private placeMemo(): PlaceMemo {
    const workflows = this.workflows();
    if (this.places?.workflows !== workflows) this.places = { workflows, scope: new WeakMap() };
    return this.places;
  }

  private places: PlaceMemo | undefined;

  /** The phase document a gate file belongs to (the folder phase in the same folder), if any. */
  phaseOfGateFile(g: GateFileEntry): DocEntry | undefined {
    // A folder's gate files are checked one after another: the last answer is kept.
    const last = this.lastPhaseOf;
    if (last && last.version === this.index.version && last.folder === g.folder && last.dir === g.dir)
      return last.phase;
    const phase = this.findPhaseOfGateFile(g);
    this.lastPhaseOf = { folder: g.folder, dir: g.dir, version: this.index.version, phase };
    return phase;
  }

  private lastPhaseOf:
    | { folder: string; dir: string; version: number; phase: DocEntry | undefined }
    | undefined;

  private findPhaseOfGateFile(g: GateFileEntry): DocEntry | undefined {
    for (const name of ['README.md', 'index.md']) {
      const d = this.index.docAt(g.folder, g.dir ? `${g.dir}/${name}` : name);
      if (d?.phase?.folder) return d;
    }
    const p = this.index.gatePhases().find((x) => x.folder === g.folder && x.dir === g.dir);
    if (!p || this.building) return p;
    // The workflow's own stand-in: the index makes them anew as paths change, the workflows
    // keep theirs until the structure changes (`currentPhase(w) === phase` must hold).
    return this.workflowOf(p.uri)?.phases.find((q) => q.uri === p.uri) ?? p;
  }

  /** The findings located in a gate file, with configured severities. */
  checkGateFile(g: GateFileEntry): Finding[] {
    const settings = this.index.config.rules;
    const sev = (id: RuleId): Severity | undefined => {
      const s = settings[id] ?? RULE_DEFAULTS[id];
      return s === 'off' ? undefined : s;
    };
    const out = gateFileFindings(this, g, sev);
    // (A delete costs a call into the engine even when there is nothing to delete.)
    if (!this.detail) for (const f of out) if (f.fixes !== undefined) delete f.fixes;
    return out;
  }

  workflows(): WorkflowInstance[] {
    if (this.builtFor !== this.index.structureVersion) {
      this.building = true;
      try {
        this._workflows = buildWorkflows(this.index);
      } finally {
        this.building = false;
      }
      this.noteDefinitions(this._workflows);
      this.byUri = new Map();
      this.artifactOwners = new Map();
      this.artifactPhases = new Map();
      this.gapsByUri = new Map();
      this.folderPhasesOn = new Map();
      for (const w of this._workflows) {
        for (const p of w.phases) {
          this.byUri.set(p.uri, w);
          if (p instanceof FolderPhaseEntry && p.on) this.folderPhasesOn.set(p.on, p);
        }
        for (const [phase, list] of w.artifacts) {
          for (const a of list) {
            this.artifactOwners.set(a.uri, w);
            if (!this.artifactPhases.has(a.uri)) this.artifactPhases.set(a.uri, phase);
          }
        }
        for (const gap of w.folderGaps ?? []) {
          const list = this.gapsByUri.get(gap.uri);
          if (list) list.push({ workflow: w, dir: gap.dir });
          else this.gapsByUri.set(gap.uri, [{ workflow: w, dir: gap.dir }]);
        }
      }
      this.builtFor = this.index.structureVersion;
      this.refreshedFor = this.index.version;
    } else if (this.refreshedFor !== this.index.version) {
      // Same shape, newer texts (a box ticked): swap in the current entries (of the
      // documents set since, when the index still knows which).
      const changed = this.index.setSince(this.refreshedFor);
      const list = changed
        ? [...changed].flatMap((u) =>
            [this.byUri.get(u), this.artifactOwners.get(u)].filter((w) => w !== undefined),
          )
        : this._workflows;
      const current = (e: DocEntry) => (!changed || changed.has(e.uri) ? (this.index.get(e.uri) ?? e) : e);
      for (const w of new Set(list)) {
        for (let i = 0; i < w.phases.length; i++) w.phases[i] = current(w.phases[i]);
        // (the artifacts too: a document opened in the editor is a new entry)
        for (const docs of w.artifacts.values())
          for (let i = 0; i < docs.length; i++) docs[i] = current(docs[i]);
      }
      this.refreshedFor = this.index.version;
    }
    return this._workflows;
  }

  /** Per workspace folder, the folders of the workflow instances under way (`scopeOf`). */
  private rootsFor?: {
    workflows: WorkflowInstance[];
    roots: Map<string, Set<string>>;
    /** Answers by folder, then dir: every link of every document asks for its target's. */
    memo: Map<string, Map<string, string | undefined>>;
  };

  /**
   * The folder of the workflow instance a document lies in (the deepest such folder: the
   * one its phases share), or '' outside every instance. Ids are unique within it: the
   * projects of a monorepo each use their own `helix.prd`.
   */
  scopeOf(e: DocEntry): string {
    const memo = this.placeMemo();
    let scope = memo.scope.get(e);
    if (scope === undefined) memo.scope.set(e, (scope = this.findScope(e)));
    return scope;
  }

  private findScope(e: DocEntry): string {
    const root = this.instanceRootOf(e);
    if (root !== undefined) return root;
    // Outside every instance, a folder named like a phase (`docs/helix/01-frame/`) still
    // tells the project: the folder that holds it.
    const segs = e.dir === '' ? [] : e.dir.split('/');
    for (let i = segs.length - 1; i >= 0; i--)
      if (phaseOfFolderName(segs[i], this.index.patterns)) return segs.slice(0, i).join('/');
    return '';
  }

  /**
   * The folder of the workflow instance under way a document lies in (the deepest such
   * folder: the one its phases share; '' for an instance at the top of the workspace
   * folder), or undefined outside every instance.
   */
  instanceRootOf(e: { folder: string; dir: string }): string | undefined {
    const workflows = this.workflows();
    if (this.rootsFor?.workflows !== workflows) {
      const roots = new Map<string, Set<string>>();
      for (const w of workflows) {
        if (w.definition || w.phases.length === 0) continue;
        const root = instanceRoot(w);
        const set = roots.get(w.folder);
        if (set) set.add(root);
        else roots.set(w.folder, new Set([root]));
      }
      this.rootsFor = { workflows, roots, memo: new Map() };
    }
    let memo = this.rootsFor.memo.get(e.folder);
    if (!memo) this.rootsFor.memo.set(e.folder, (memo = new Map()));
    const known = memo.get(e.dir);
    if (known !== undefined || memo.has(e.dir)) return known;
    // The deepest root the dir lies in: its own folder, else the nearest folder above it
    // (a root of '' holds the documents at the top of the workspace folder only).
    const set = this.rootsFor.roots.get(e.folder);
    let best: string | undefined;
    if (set) {
      for (let d = e.dir; ; d = dirname(d)) {
        if (set.has(d) && (d !== '' || e.dir === '')) {
          best = d;
          break;
        }
        if (d === '') break;
      }
    }
    memo.set(e.dir, best);
    return best;
  }

  /** The workflow definition an instance under way follows (`followedDefinition`), if any. */
  definitionFollowedBy(w: WorkflowInstance): WorkflowInstance | undefined {
    return followedDefinition(this.workflows(), w);
  }

  /** The workflow definition the documents of `dir` (in workspace folder `folder`) belong to, if any. */
  definitionAt(folder: string, dir: string): WorkflowInstance | undefined {
    this.workflows();
    return this.definitionPlaces.ownerOf(folder, dir);
  }

  workflowOf(uri: string): WorkflowInstance | undefined {
    this.workflows();
    return this.byUri.get(uri);
  }

  artifactOf(uri: string): { workflow: WorkflowInstance; phase: DocEntry } | undefined {
    this.workflows();
    const workflow = this.artifactOwners.get(uri);
    const at = this.artifactPhases.get(uri);
    const phase = workflow?.phases.find((p) => p.uri === at);
    return workflow && phase ? { workflow, phase } : undefined;
  }

  /** The folder phase whose findings go on this document (see `FolderPhaseEntry.on`). */
  folderPhaseOn(uri: string): FolderPhaseEntry | undefined {
    this.workflows();
    return this.folderPhasesOn.get(uri);
  }

  folderGapsOn(uri: string): readonly { workflow: WorkflowInstance; dir: string }[] | undefined {
    this.workflows();
    return this.gapsByUri.get(uri);
  }

  /** The findings located in one document, with configured severities; `off` rules skipped. */
  check(entry: DocEntry): Finding[] {
    const out: Finding[] = [];
    const settings = this.index.config.rules;
    const limit = this.perRule;
    let cut = false;
    for (const rule of RULES) {
      const sev = settings[rule.id] ?? RULE_DEFAULTS[rule.id];
      if (sev === 'off') continue;
      let count = 0;
      const report: Report = ({ atMost, ...f }) => {
        if (++count > limit) throw ENOUGH;
        const severity = atMost !== undefined && SEVERITY_RANK[atMost] < SEVERITY_RANK[sev] ? atMost : sev;
        out.push(
          this.detail
            ? { code: rule.id, severity, uri: entry.uri, ...f }
            : { code: rule.id, severity, uri: entry.uri, message: f.message, range: f.range },
        );
      };
      try {
        rule.check(this, entry, report);
      } catch (e) {
        if (e === ENOUGH) {
          cut = true;
          continue;
        }
        // A rule must never take the others down; surface the failure as a finding.
        out.push({
          code: rule.id,
          severity: 'error',
          uri: entry.uri,
          message: `Internal error in rule ${rule.id}: ${e instanceof Error ? e.message : String(e)}`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        });
      }
    }
    out.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
    if (cut) CUT_SHORT.add(out);
    return out;
  }

  /** The findings located in a folder's confirmations file (`stale-confirmation`), with the configured severity. */
  checkConfirmations(folder: string): Finding[] {
    // A file none of whose entries can be read confirms nothing: said, or every manual item
    // it confirmed is "not confirmed yet" without a word.
    const file = this.index.gates.confirmationsFile(folder);
    const problem = file && confirmationsProblem(file.text);
    if (file && problem) {
      const invalid = this.index.config.rules['invalid-gate-file'] ?? RULE_DEFAULTS['invalid-gate-file'];
      if (invalid === 'off') return [];
      const lines = new LineIndex(file.text);
      const at = lines.positionAt(Math.min(problem.offset, file.text.length));
      return [
        {
          code: 'invalid-gate-file',
          severity: invalid,
          uri: file.uri,
          message: `The confirmations file cannot be read: ${problem.message.replace(/\.$/, '')}. None of its confirmations counts until it is fixed.`,
          range: { start: at, end: at },
        },
      ];
    }
    const sev = this.index.config.rules['stale-confirmation'] ?? RULE_DEFAULTS['stale-confirmation'];
    return sev === 'off' ? [] : staleConfirmations(this.index, folder, sev, this.detail);
  }

  /** The findings of a document, a gate file or a confirmations file read (undefined when the index knows none). */
  checkUri(uri: string): Finding[] | undefined {
    const e = this.index.get(uri);
    if (e) return this.check(e);
    const g = this.index.gates.get(uri);
    if (g) return this.checkGateFile(g);
    const folder = this.index.isConfirmationsFile(uri) ? this.index.locate(uri)?.folder : undefined;
    return folder !== undefined && this.index.gates.confirmationsFile(folder)?.uri === uri
      ? this.checkConfirmations(folder)
      : undefined;
  }

  checkAll(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const uri of this.index.checkedUris()) out.set(uri, this.checkUri(uri) ?? []);
    return out;
  }
}

/** `5` → `05`: a phase number as phases are written. */
function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
