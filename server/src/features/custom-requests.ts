import type { CancellationToken, Connection } from 'vscode-languageserver';
import { listItemText, toggleEdit } from '../core/edits';
import { type GateVerdict, selectGate } from '../core/gate';
import { commandOf, isGateItem } from '../core/gates/evaluate';
import { CONFIRMATIONS_FILE, type GateFileEntry } from '../core/gates/store';
import type { DocEntry } from '../core/index';
import { type Group, groupReason, phaseId } from '../core/model';
import { basename, dirname, uriName } from '../core/paths';
import type { PhaseStatus } from '../core/phase-state';
import { taskOnLine } from '../core/query';
import { shownText } from '../core/shown-text';
import type { TaskItem } from '../core/types';
import {
  currentPhase,
  phaseHome,
  phaseProgress,
  type WorkflowInstance,
  workflowPhaseStatuses,
} from '../core/workflow';
import {
  type CheckGateParams,
  CheckGateRequest,
  type CheckGateResult,
  checkItemNote,
  type GateVerdictDto,
  type GroupDto,
  type PhaseDto,
  ServerProcessRequest,
  type ToggleCriterionParams,
  ToggleCriterionRequest,
  type ToggleCriterionResult,
  type WorkflowDto,
  type WorkflowsParams,
  WorkflowsRequest,
  type WorkflowsResult,
} from '../protocol';
import { checkItemOnLine, confirmEdit, manualItemOnLine } from './confirm';
import { type FeatureContext, notUtf8Reason } from './context';
import { textEdits } from './convert';
import { computeOnDisk, request } from './requests';

/** cdp/workflows, cdp/checkGate and cdp/toggleCriterion (see protocol.ts). */
export const requests = [
  request<WorkflowsParams | null, WorkflowsResult>({
    type: WorkflowsRequest,
    run: async (ctx, params, token) => {
      await ctx.ready(token);
      const result = workflows(ctx, params?.uri);
      await nameDefinitions(ctx, result);
      await showPlainItems(ctx, result);
      return result;
    },
  }),
  request<CheckGateParams | null, CheckGateResult>({
    type: CheckGateRequest,
    run: async (ctx, params, token) => {
      await ctx.ready(token);
      return checkGate(ctx, params ?? {});
    },
  }),
  request<ToggleCriterionParams, ToggleCriterionResult>({
    type: ToggleCriterionRequest,
    // A closed document is read from disk now: the expected text is checked against it.
    fromDisk: (ctx, params) => [ctx.canonical(params.uri)],
    run: toggleCriterion,
  }),
];

/** cdp/serverProcess: about the process, not the workspace; answered at once, also while indexing. */
export function register(connection: Connection): void {
  connection.onRequest(ServerProcessRequest, () => ({ pid: process.pid }));
}

export function workflows(ctx: FeatureContext, uri: string | undefined): WorkflowsResult {
  let list = ctx.analysis.workflows();
  if (uri) {
    const w = ctx.analysis.workflowOf(ctx.canonical(uri));
    list = w ? [w] : [];
  }
  return { ready: true, workflows: list.map((w) => workflowDto(ctx, w)) };
}

/**
 * Gives each definition whose phases lie in a library's `phases/` or `activities/` folder
 * its own name (`definitionName`): the `name:` of the `workflow.yml` beside that folder,
 * else the folder holding it (`mini` for `library/workflows/mini/phases`), where the
 * workflow's name is the `phases` folder's.
 */
async function nameDefinitions(ctx: FeatureContext, result: WorkflowsResult): Promise<void> {
  if (!result.workflows.some((dto) => dto.definition)) return;
  const byId = new Map(ctx.analysis.workflows().map((w) => [w.id, w]));
  for (const dto of result.workflows) {
    if (!dto.definition) continue;
    const w = byId.get(dto.id);
    const first = w?.phases[0];
    if (!w || !first) continue;
    const home = phaseHome(first);
    if (!/^(phases|activities)$/i.test(basename(home))) continue;
    const parent = dirname(home);
    let name: string | undefined;
    for (const file of ['workflow.yml', 'workflow.yaml']) {
      const rel = parent ? `${parent}/${file}` : file;
      // Read only where the index knows the file (the progress view asks at every change).
      if (!ctx.index.otherFileExists(w.folder, rel)) continue;
      name = await workflowFileName(ctx, ctx.index.uriFor(w.folder, rel));
      if (name) break;
    }
    dto.definitionName = name || (parent ? basename(parent) : uriName(w.folder)) || w.name;
  }
}

/**
 * Gives each group's criteria written without checkboxes (`untrackedLines`) their text as
 * rendered (`untrackedShown`: `**PRD approved**: see [the PRD](prd.md)` reads "PRD
 * approved: see the PRD"), from the phase document's text (the editor's when open). Read
 * only for phases that have such groups; a document that cannot be read leaves them out.
 */
async function showPlainItems(ctx: FeatureContext, result: WorkflowsResult): Promise<void> {
  for (const w of result.workflows)
    for (const p of w.phases) {
      const groups = p.groups.filter((g) => g.untrackedLines && g.untrackedLines.length > 0);
      if (groups.length === 0) continue;
      const doc = ctx.entry(p.uri)?.doc;
      let shown = doc && shownPlain.get(doc);
      if (!shown) {
        const wanted = groups.flatMap((g) => g.untrackedLines ?? []);
        const last = wanted.reduce((a, b) => Math.max(a, b), 0);
        const lines = (await ctx.readText(ctx.canonical(p.uri)))?.split(/\r\n|\r|\n/, last + 1);
        if (!lines) continue;
        shown = new Map(wanted.map((l) => [l, shownText(listItemText(lines[l] ?? ''))]));
        if (doc) shownPlain.set(doc, shown);
      }
      for (const g of groups) g.untrackedShown = (g.untrackedLines ?? []).map((l) => shown.get(l) ?? '');
    }
}

/** `showPlainItems`' texts by parsed document (a new parse, a new entry): read once per version of a document. */
const shownPlain = new WeakMap<object, Map<number, string>>();

/**
 * The `name:` of the workflow.yml at `uri`: from the editor's text when it is open, else
 * read from disk once per structure of the index (a workflow.yml added, removed or moved),
 * not at every change the progress view asks about.
 */
async function workflowFileName(ctx: FeatureContext, uri: string): Promise<string | undefined> {
  if (ctx.openDocument(uri)) {
    const text = await ctx.readText(uri);
    return text === undefined ? undefined : yamlName(text);
  }
  let names = readNames.get(ctx.index);
  if (!names || names.version !== ctx.index.structureVersion) {
    names = { version: ctx.index.structureVersion, byUri: new Map() };
    readNames.set(ctx.index, names);
  }
  if (!names.byUri.has(uri)) {
    const text = await ctx.readText(uri);
    names.byUri.set(uri, text === undefined ? undefined : yamlName(text));
  }
  return names.byUri.get(uri);
}

const readNames = new WeakMap<object, { version: number; byUri: Map<string, string | undefined> }>();

/** The top-level `name:` of a workflow.yml, a plain or quoted scalar on its line. */
function yamlName(text: string): string | undefined {
  const m = /^name:[ \t]*(?:"([^"\\\r\n]*)"|'([^'\r\n]*)'|([^#\r\n]*?))[ \t]*(?:#[^\r\n]*)?\r?$/m.exec(text);
  const name = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
  return name || undefined;
}

/**
 * Why line `line` of the document, as it is now, is not the criterion `expected` when no
 * checklist item is read there: no such line; a line written as one (a list marker, a
 * checkbox, text) that lies in code, HTML or a comment; one with the criterion's checkbox
 * that GitHub does not read as a checklist item; else the document changed.
 */
async function whyNoItem(ctx: FeatureContext, uri: string, line: number, expected: string): Promise<string> {
  const changed = `Line ${line + 1} no longer holds the criterion "${expected}"; the document changed.`;
  if (line < 0) return `There is no line ${line + 1}: lines are counted from 1.`;
  const all = await ctx.readText(uri);
  if (all === undefined) return changed;
  const text = all.split(/\r\n|\r|\n/, line + 1)[line];
  if (text === undefined) return `There is no line ${line + 1}: the document has fewer lines.`;
  const item = /^[ \t]*(?:>[ \t]*)*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]+(\S.*)$/.exec(text);
  if (item && item[1].trim() === expected)
    return `Line ${line + 1} is no checklist item: it lies in a code block, an HTML block or a comment.`;
  if (/\[[ xX]\]/.test(text) && text.includes(expected))
    return `Line ${line + 1} is no checklist item as GitHub reads it: a checkbox needs a list marker (-, *, + or 1.) at the start of the line before it, and a space and text after it.`;
  return changed;
}

/** The criteria (line and text) of open documents at the versions `cdp/workflows` showed. */
const shownByIndex = new WeakMap<
  object,
  Map<string, { version: number; tasks: { line: number; text: string }[] }[]>
>();
/** How many versions of one document are kept: a view shows the last, a slow one the one before. */
const SHOWN_VERSIONS = 4;

function noteShown(ctx: FeatureContext, e: DocEntry, version: number): void {
  let byUri = shownByIndex.get(ctx.index);
  if (!byUri) {
    byUri = new Map();
    shownByIndex.set(ctx.index, byUri);
  }
  // Documents closed since are forgotten (opened again, their versions count anew).
  if (!byUri.has(e.uri)) for (const uri of byUri.keys()) if (!ctx.openDocument(uri)) byUri.delete(uri);
  const kept = (byUri.get(e.uri) ?? []).filter((k) => k.version !== version);
  kept.push({ version, tasks: e.doc.tasks.map((t) => ({ line: t.line, text: t.text })) });
  byUri.set(e.uri, kept.slice(-SHOWN_VERSIONS));
}

function shownTasks(
  ctx: FeatureContext,
  uri: string,
  version: number,
): { line: number; text: string }[] | undefined {
  return shownByIndex
    .get(ctx.index)
    ?.get(uri)
    ?.find((k) => k.version === version)?.tasks;
}

/**
 * The edit that ticks (or unticks) the criterion the client names, or why it is refused
 * (answered through `answer`, which first reads the document from disk when it is closed).
 */
export async function toggleCriterion(
  ctx: FeatureContext,
  params: ToggleCriterionParams,
  token?: CancellationToken,
): Promise<ToggleCriterionResult> {
  const entry = await ctx.readyEntry(params.uri, token);
  const gateFile = entry ? undefined : ctx.index.gates.get(ctx.canonical(params.uri));
  if (gateFile) return confirmGateItem(ctx, gateFile, params);
  if (!entry)
    return {
      refused: ctx.index.locate(ctx.canonical(params.uri))
        ? 'The document is not indexed: it is larger than cdp.files.maxFileSizeKB, excluded by cdp.files.exclude, or not text.'
        : 'The document is not part of a CDP workspace folder.',
    };
  const open = ctx.openDocument(params.uri);
  const expected = params.expectedText.trim();
  // Named as written or as the Progress view shows it (`CriterionDto.shown`).
  const names = (text: string) => text.trim() === expected || shownText(text).trim() === expected;
  const edited = params.version !== undefined && open !== undefined && open.version !== params.version;
  const onLine = taskOnLine(entry.doc, params.line);
  let task = onLine && names(onLine.text) ? onLine : undefined;
  // No criterion of that text here: why (the line holds none, or another).
  const notHere = async () => ({
    refused: onLine
      ? `Line ${params.line + 1} no longer holds the criterion "${expected}"; the document changed.`
      : await whyNoItem(ctx, params.uri, params.line, expected),
  });
  if (!edited) {
    // The version the caller saw is the document's: nothing changed, the caller named another criterion.
    if (!task && onLine && params.version !== undefined && open !== undefined)
      return {
        refused: `Line ${params.line + 1} holds the criterion "${onLine.text.trim()}", not "${expected}".`,
      };
  } else {
    // Edited since the row was shown: the criterion shown is followed only where it is
    // plain which one it was. The texts at the version shown, when the server still has
    // them, say whether that text stood on one line only; the text now must too.
    const alike = entry.doc.tasks.filter((t) => names(t.text));
    const then = shownTasks(ctx, entry.uri, params.version!);
    const several = `The document changed since the criterion "${expected}" was shown, and that text is on more than one line: try again once the view has caught up.`;
    if (then) {
      const shown = then.find((t) => t.line === params.line);
      if (!shown || !names(shown.text))
        return {
          refused: `Line ${params.line + 1} did not hold the criterion "${expected}" in the version shown either; try again once the view has caught up.`,
        };
      if (alike.length > 1) return { refused: several };
      if (then.filter((t) => names(t.text)).length > 1)
        return {
          refused: `The document changed since the criterion "${expected}" was shown, and that text stood on more than one line then: try again once the view has caught up.`,
        };
      if (alike.length === 0) return notHere();
      task = alike[0];
    } else if (task && alike.length > 1) {
      // Which text the caller saw is not known here: only the line itself is taken, and
      // only when no other line holds that text (one of two alike may have moved onto it).
      return { refused: several };
    }
  }
  if (!task) return notHere();
  if (params.checked !== undefined && params.checked === task.checked) {
    return { refused: `The criterion "${expected}" is already ${task.checked ? 'done' : 'not done'}.` };
  }
  // Read once more after the check: a change on disk meanwhile refuses, never guesses.
  const edit = await computeOnDisk(ctx, token, 1, async () => ({
    value: textEdits(ctx, new Map([[entry.uri, [toggleEdit(task)]]])),
    touched: [entry.uri],
  }));
  if ('changed' in edit) {
    return {
      refused: `The document changed on disk while the criterion "${expected}" was being marked; try again.`,
    };
  }
  if (ctx.notUtf8(entry.uri)) return { refused: `${notUtf8Reason(entry.rel)}.` };
  return { edit: edit.value };
}

/** Ticking a manual item of a gate file records its confirmation; checks cannot be ticked. */
async function confirmGateItem(
  ctx: FeatureContext,
  g: GateFileEntry,
  params: ToggleCriterionParams,
): Promise<ToggleCriterionResult> {
  const expected = params.expectedText.trim();
  const item = manualItemOnLine(ctx, g, params.line, expected);
  if (!item || item.text.trim() !== expected) {
    // A check: said plainly, in the words the editor uses for it.
    const check = checkItemOnLine(ctx, g, params.line, expected);
    if (check !== undefined && check.trim() === expected)
      return {
        refused: checkItemNote(expected),
      };
    return {
      refused: `Line ${params.line + 1} of ${g.rel} no longer holds the manual gate item "${expected}"; the file changed.`,
    };
  }
  if (item.confirmed) {
    const result: ToggleCriterionResult = {
      refused: `"${expected}" is already confirmed; remove its entry from ${CONFIRMATIONS_FILE} to withdraw it.`,
    };
    // Where the entry is, for the editor to open it there.
    const entry = ctx.index.gates.confirmation(g.folder, g.rel, item.text);
    if (entry)
      result.location = {
        uri: ctx.clientUri(ctx.index.uriFor(g.folder, CONFIRMATIONS_FILE)),
        line: entry.line,
      };
    return result;
  }
  if (params.checked === false) return { refused: `"${expected}" is not confirmed.` };
  const edit = await confirmEdit(ctx, g.folder, g.rel, item.text);
  return 'refused' in edit ? edit : { edit };
}

function workflowDto(ctx: FeatureContext, w: WorkflowInstance): WorkflowDto {
  const current = currentPhase(w);
  const statuses = workflowPhaseStatuses(w);
  const dto: WorkflowDto = {
    id: w.id,
    name: w.name,
    folder: ctx.clientUri(w.folder),
    phases: w.phases.map((p, i) => phaseDto(ctx, p, w, statuses[i])),
    definition: w.definition,
  };
  if (current && !w.definition) dto.current = current.phase!.id;
  if (w.unreadPhases?.length)
    dto.unreadPhases = w.unreadPhases.map((u) => ({
      phase: phaseId(u.number),
      uri: ctx.clientUri(u.uri),
      reason: u.reason,
    }));
  return dto;
}

function phaseDto(ctx: FeatureContext, e: DocEntry, w: WorkflowInstance, status: PhaseStatus): PhaseDto {
  const progress = phaseProgress(e);
  const hasErrors = ctx.analysis.check(e).some((f) => f.severity === 'error');
  const version = ctx.openDocument(e.uri)?.version;
  if (version !== undefined) noteShown(ctx, e, version);
  return {
    ...(version !== undefined ? { version } : {}),
    uri: ctx.clientUri(e.uri),
    phase: e.phase!.id,
    name: e.phase!.name,
    title: e.displayName,
    total: progress.total,
    checked: progress.checked,
    complete: progress.complete,
    started: progress.started,
    hasErrors,
    failingGates: !w.definition && status.failingGates,
    reasons: progress.reasons,
    ...(w.definition ? {} : { state: status.state }),
    groups: progress.groups.map((g) => groupDto(ctx, g, e)),
    artifacts: (w.artifacts.get(e.uri) ?? []).map((a) => ({
      uri: ctx.clientUri(a.uri),
      title: a.displayName,
    })),
  };
}

/** A checklist item's text as rendered, where it differs from what is written (gate-file items are plain text). */
function shownItemText(i: TaskItem): string | undefined {
  if (isGateItem(i)) return undefined;
  const shown = shownText(i.text);
  return shown !== i.text ? shown : undefined;
}

function groupDto(ctx: FeatureContext, g: Group, e: DocEntry): GroupDto {
  const dto: GroupDto = {
    heading: g.heading,
    kind: g.kind,
    line: g.line,
    total: g.total,
    checked: g.checked,
    passed: g.passed,
    reason: groupReason(g),
    items: g.items.map((i) => {
      const item: GroupDto['items'][number] = {
        line: i.line,
        checked: i.checked,
        text: i.text,
        range: i.range,
      };
      const shown = shownItemText(i);
      if (shown !== undefined) item.shown = shown;
      if (isGateItem(i)) {
        item.state = i.state;
        if (i.reason) item.reason = i.reason;
        item.manual = i.def.kind === 'manual';
        if (i.optional) item.optional = true;
        if (i.def.kind === 'check' && i.def.check) {
          item.check = i.def.check;
          if (i.def.path !== undefined) item.path = i.def.path;
        }
        const command = commandOf(i.def);
        if (command !== undefined) item.command = command;
      }
      return item;
    }),
  };
  if (g.file) dto.file = ctx.clientUri(g.file);
  if (g.untracked) {
    dto.untracked = g.untracked;
    // Their lines: the plain list items of the heading's section (as the group counts
    // them and the add-checkbox fix finds them).
    if (!g.file) dto.untrackedLines = e.untrackedLines(g.line);
  }
  if (g.unreadable) dto.unreadable = true;
  return dto;
}

export function checkGate(ctx: FeatureContext, params: CheckGateParams): CheckGateResult {
  // Readiness without a phase: the release phase the settings name.
  // A phase named "release" that a workflow lacks is its deploy phase, as `cdp check --phase release` reads it.
  // A phase a workflow lacks (skips, has not written yet) fails its gate, as in `cdp check --phase`.
  const sel =
    params.readiness && !params.phase
      ? { ...params, phase: ctx.config.phases.releasePhase, releaseFallback: true }
      : { ...params, releaseFallback: true, judgeLacking: true };
  const { verdicts, nothing, covers, lacking, leftOut } = selectGate(ctx.analysis, sel);
  const dtos = verdicts.map((v) => verdictDto(ctx, v));
  for (const l of lacking ?? [])
    dtos.push({
      workflow: l.workflow.id,
      phase: params.phase!.trim(),
      name: '',
      uri: ctx.clientUri(l.uri),
      groups: [],
      passed: false,
      reasons: [l.reason],
      total: 0,
      checked: 0,
      unmet: [],
      missing: true,
    });
  const result: CheckGateResult = {
    passed: dtos.length > 0 && dtos.every((v) => v.passed),
    verdicts: dtos,
  };
  if (nothing !== undefined) result.message = nothing;
  if (leftOut) result.leftOut = leftOut;
  if (covers)
    result.covers = covers.map((c) => ({
      workflow: c.workflow.id,
      ...(c.upTo ? { upTo: c.upTo.phase!.id } : {}),
      ...(c.note ? { note: c.note } : {}),
    }));
  return result;
}

function verdictDto(ctx: FeatureContext, v: GateVerdict): GateVerdictDto {
  const uri = ctx.clientUri(v.phase.uri);
  return {
    workflow: v.workflow.id,
    phase: v.phase.phase!.id,
    name: v.phase.phase!.name,
    uri,
    groups: v.groups.map((g) => ({
      heading: g.heading,
      kind: g.kind,
      total: g.total,
      checked: g.checked,
      passed: g.passed,
      reason: groupReason(g),
      ...(g.unreadable ? { unreadable: true } : {}),
      ...(g.untracked ? { untracked: g.untracked } : {}),
    })),
    passed: v.passed,
    reasons: v.reasons,
    total: v.total,
    checked: v.checked,
    unmet: v.unmet.map((u) => {
      const shown = shownItemText(u.item);
      return {
        uri: u.group.file ? ctx.clientUri(u.group.file) : uri,
        line: u.item.line,
        text: u.item.text,
        ...(shown !== undefined ? { shown } : {}),
        group: u.group.heading,
        ...(isGateItem(u.item) ? { state: u.item.state, reason: u.item.reason } : {}),
      };
    }),
  };
}
