import {
  type CancellationToken,
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  CodeActionRequest,
  type Command,
  type Diagnostic,
  TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { checkboxEdits, toggleEdit } from '../core/edits';
import { withdrawalEdits } from '../core/gates/confirmations';
import type { DocEntry } from '../core/index';
import { parseDocument } from '../core/parse/document';
import { basename, dirname, stripMdExtension } from '../core/paths';
import { rangesOverlap, taskOnLine } from '../core/query';
import { LineIndex, lineBreakOf, sameRange, slug, withLineBreak } from '../core/text';
import type { Finding, Fix, Range } from '../core/types';
import { commandId, SERVER_COMMANDS } from './client-support';
import { confirmEdit } from './confirm';
import { type FeatureContext, throwIfCancelled } from './context';
import { createFileEdit, textEdits, toDiagnostic } from './convert';
import { runCommandActions } from './gate-commands';
import { namesOnDisk } from './rename';
import { computeOnDisk, request, theDocument } from './requests';

/** At most this many lines of a selection get a "Mark criterion" action each. */
const MAX_TOGGLE_LINES = 200;

/**
 * Quick fixes from the rules' findings, and ticking a criterion on the cursor's line.
 * Edits for closed documents are computed from the disk as it is now: the documents
 * they touch are read again, and when one changed the actions are computed again on
 * its new text (none are offered if it keeps changing). A client that reads no
 * CodeAction literals gets each as a Command (see `forClient`).
 */
export const requests = [
  request<CodeActionParams, (CodeAction | Command)[]>({
    type: CodeActionRequest.type,
    fromDisk: theDocument,
    run: async (ctx, params, token) => await forClient(ctx, params, await codeActions(ctx, params, token)),
  }),
];

/** The actions as CodeAction literals whatever the client reads (what `cdp.server.applyCodeAction` looks up). */
export const literalActions = request<CodeActionParams, CodeAction[]>({
  type: CodeActionRequest.type,
  fromDisk: theDocument,
  run: codeActions,
});

/**
 * What names one action again when its Command is run: the request narrowed to the
 * action (its diagnostic, or the line its edit changes) and its kind and title.
 */
export interface ActionKey {
  uri: string;
  range: Range;
  kind: string;
  title: string;
  diagnostic?: Diagnostic;
  /**
   * The lines the action's edits change, as they read when it was offered: run later, it
   * applies only while they still read so (a line inserted above must not make "Mark as
   * done" tick the criterion that moved onto that line).
   */
  lines?: { uri: string; line: number; text: string }[];
}

/** The lines each text edit of `a` starts on, as they read now (see `ActionKey.lines`). */
export async function editedLines(
  ctx: FeatureContext,
  a: CodeAction,
): Promise<{ uri: string; line: number; text: string }[]> {
  const out: { uri: string; line: number; text: string }[] = [];
  const e = a.edit;
  const per: [string, { range: Range }[]][] = e?.changes ? Object.entries(e.changes) : [];
  for (const c of e?.documentChanges ?? [])
    if (TextDocumentEdit.is(c)) per.push([c.textDocument.uri, c.edits]);
  for (const [uri, edits] of per) {
    const text = await ctx.readText(ctx.canonical(uri));
    if (text === undefined) continue;
    const lines = text.split(/\r\n|\r|\n/);
    for (const edit of edits) {
      const line = edit.range.start.line;
      if (!out.some((x) => x.uri === uri && x.line === line))
        out.push({ uri, line, text: lines[line] ?? '' });
    }
  }
  return out;
}

/**
 * The actions as the client reads them. CodeAction literals where it announced
 * `codeActionLiteralSupport`; else (the spec then allows Command literals only) one
 * Command per action, run by the server, which computes the action again on the text as
 * it is then and applies its edit with `workspace/applyEdit` (none when the client
 * cannot apply edits).
 */
async function forClient(
  ctx: FeatureContext,
  params: CodeActionParams,
  actions: CodeAction[],
): Promise<(CodeAction | Command)[]> {
  if (ctx.clientCapabilities.codeActionLiterals) {
    // `isPreferred` only for a client that announced it reads it.
    if (!ctx.clientCapabilities.preferredActions) for (const a of actions) delete a.isPreferred;
    return actions;
  }
  if (!ctx.clientCapabilities.applyEdit) return [];
  const out: Command[] = [];
  for (const a of actions) {
    const diagnostic = a.diagnostics?.[0];
    const key: ActionKey = {
      uri: params.textDocument.uri,
      range: diagnostic?.range ?? firstEditRange(a) ?? params.range,
      kind: a.kind ?? CodeActionKind.QuickFix,
      title: a.title,
    };
    if (diagnostic) key.diagnostic = diagnostic;
    const lines = await editedLines(ctx, a);
    if (lines.length > 0) key.lines = lines;
    out.push({ title: a.title, command: SERVER_COMMANDS.applyCodeAction, arguments: [key] });
  }
  return out;
}

/** The range of an action's first text edit (a toggle's: the criterion's checkbox). */
function firstEditRange(a: CodeAction): Range | undefined {
  const e = a.edit;
  if (e?.changes) return Object.values(e.changes)[0]?.[0]?.range;
  const first = e?.documentChanges?.find((c) => TextDocumentEdit.is(c));
  const edit = first && TextDocumentEdit.is(first) ? first.edits[0] : undefined;
  return edit?.range;
}

/** The ActionKey a Command carries, checked (undefined when it is not one). */
export function actionKey(arg: unknown): ActionKey | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Record<string, unknown>;
  const isPos = (p: unknown) =>
    !!p &&
    typeof p === 'object' &&
    Number.isInteger((p as { line?: unknown }).line) &&
    Number.isInteger((p as { character?: unknown }).character);
  const r = a.range as { start?: unknown; end?: unknown } | undefined;
  if (typeof a.uri !== 'string' || typeof a.kind !== 'string' || typeof a.title !== 'string')
    return undefined;
  if (!r || !isPos(r.start) || !isPos(r.end)) return undefined;
  const key: ActionKey = { uri: a.uri, range: a.range as Range, kind: a.kind, title: a.title };
  const d = a.diagnostic as Diagnostic | undefined;
  if (d && typeof d === 'object' && d.range && typeof d.message === 'string') key.diagnostic = d;
  if (Array.isArray(a.lines)) {
    const lines = a.lines.filter(
      (l): l is { uri: string; line: number; text: string } =>
        !!l &&
        typeof l === 'object' &&
        typeof (l as { uri?: unknown }).uri === 'string' &&
        Number.isInteger((l as { line?: unknown }).line) &&
        typeof (l as { text?: unknown }).text === 'string',
    );
    if (lines.length !== a.lines.length) return undefined;
    key.lines = lines;
  }
  return key;
}

/**
 * The findings of a workspace folder's confirmations file, when `uri` is one the index
 * read; their fixes only while its text (the editor's, else the disk's) is the one read:
 * their ranges are that text's.
 */
async function confirmationsFindings(ctx: FeatureContext, uri: string): Promise<Finding[] | undefined> {
  const canonical = ctx.canonical(uri);
  if (!ctx.index.isConfirmationsFile(canonical)) return undefined;
  const folder = ctx.index.locate(canonical)?.folder;
  const read = folder === undefined ? undefined : ctx.index.gates.confirmationsFile(folder);
  if (folder === undefined || read?.uri !== canonical) return undefined;
  const findings = ctx.analysis.checkConfirmations(folder);
  if ((await ctx.readText(uri)) === read.text) return findings;
  return findings.map(({ fixes: _, ...f }) => f);
}

/** The actions for a range (answered through `answer`, which first reads the document from disk). */
export async function codeActions(
  ctx: FeatureContext,
  params: CodeActionParams,
  token?: CancellationToken,
): Promise<CodeAction[]> {
  const computed = await computeOnDisk(ctx, token, 3, async () => {
    const entry = await ctx.readyEntry(params.textDocument.uri, token);
    const gateFile = entry ? undefined : ctx.index.gates.get(ctx.canonical(params.textDocument.uri));
    const confirmations =
      entry || gateFile ? undefined : await confirmationsFindings(ctx, params.textDocument.uri);
    const touched = new Set<string>();
    const actions: CodeAction[] = [];
    if (!entry && !gateFile && !confirmations) return { value: actions, touched };
    // lines whose criterion a quick fix already ticks: no second "Mark … as done" there
    const toggledByFix = new Set<number>();
    if (wants(params, CodeActionKind.QuickFix)) {
      const findings = entry
        ? ctx.analysis.check(entry)
        : gateFile
          ? ctx.analysis.checkGateFile(gateFile)
          : confirmations!;
      // One action per file created: a line linking a missing document twice, or a range
      // meeting several findings with the same fix, offers it once, for all of them.
      const creates = new Map<string, CodeAction>();
      // A document created from this one is written with its line breaks.
      let lineBreak: string | undefined;
      const lineBreakHere = async () =>
        (lineBreak ??= lineBreakOf((await ctx.readText(params.textDocument.uri)) ?? ''));
      for (const { finding, diagnostic } of relevantFindings(ctx, findings, params)) {
        for (const fix of finding.fixes ?? []) {
          const same = fix.kind === 'create' ? creates.get(ctx.canonical(fix.uri)) : undefined;
          if (same) {
            if (!same.diagnostics?.some((d) => d === diagnostic)) same.diagnostics?.push(diagnostic);
            continue;
          }
          const action = await fixAction(ctx, fix, diagnostic, lineBreakHere);
          throwIfCancelled(token);
          if (!action) continue;
          if (fix.kind === 'create') creates.set(ctx.canonical(fix.uri), action);
          actions.push(action);
          if (fix.kind === 'edit') touched.add(fix.uri);
          if (
            (finding.code === 'unmet-criterion' || finding.code === 'out-of-order') &&
            fix.kind === 'edit' &&
            fix.uri === entry?.uri
          ) {
            for (const e of fix.edits) toggledByFix.add(e.range.start.line);
          }
        }
        // (the one unmet criterion without a fix of its own: see relevantFindings)
        if (entry && finding.code === 'unmet-criterion' && !finding.fixes?.length) {
          const action = await checkboxAction(ctx, entry, finding, diagnostic);
          if (action) {
            actions.push(action);
            touched.add(entry.uri);
          }
        }
      }
    }
    if (gateFile && wants(params, CodeActionKind.QuickFix))
      actions.push(...runCommandActions(ctx, gateFile, params.range, params.context.diagnostics));
    if (entry && wants(params, CodeActionKind.RefactorRewrite)) {
      const toggles = toggleActions(ctx, entry, params.range, toggledByFix);
      if (toggles.length > 0) touched.add(entry.uri);
      actions.push(...toggles);
    }
    return { value: actions, touched };
  });
  // none when the documents they edit keep changing on disk, nor any that edits a closed
  // file that is not UTF-8 (its text would be written back with U+FFFD in it)
  return 'value' in computed ? computed.value.filter((a) => !editsNotUtf8(ctx, a.edit)) : [];
}

/** Whether an edit changes the text of a closed file that is not UTF-8 (see `FeatureContext.notUtf8`). */
function editsNotUtf8(ctx: FeatureContext, edit: WorkspaceEdit | undefined): boolean {
  if (!edit) return false;
  for (const c of edit.documentChanges ?? [])
    if ('textDocument' in c && ctx.notUtf8(c.textDocument.uri)) return true;
  for (const uri of Object.keys(edit.changes ?? {})) if (ctx.notUtf8(uri)) return true;
  return false;
}

/** Whether the client asked for actions of `kind` (all kinds when it names none). */
function wants(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  if (!only || only.length === 0) return true;
  return only.some((k) => k === kind || kind.startsWith(`${k}.`));
}

/**
 * The findings the request is about: those matching a diagnostic the client sent (same
 * rule, same range); when none does (the client sent none of ours, or ranges it kept
 * from before an edit), those whose range meets the requested range. A client asking for
 * the quick fixes of one diagnostic (VS Code's Problems view: over its range) gets that
 * diagnostic's alone.
 */
function relevantFindings(
  ctx: FeatureContext,
  findings: Finding[],
  params: CodeActionParams,
): { finding: Finding; diagnostic: Diagnostic }[] {
  const matched: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const near: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const sent = params.context.diagnostics.filter((d) => d.source === undefined || d.source === 'cdp');
  let anyMatched = false;
  for (const finding of findings) {
    const match = sent.find((d) => d.code === finding.code && sameRange(d.range, finding.range));
    // A sent diagnostic without fixes still says which findings the request is about.
    if (match) anyMatched = true;
    // An unmet criterion without a fix of its own is a list without checkboxes: its fix
    // needs the text (checkboxAction).
    if ((!finding.fixes || finding.fixes.length === 0) && finding.code !== 'unmet-criterion') continue;
    if (match) matched.push({ finding, diagnostic: match });
    else if (rangesOverlap(finding.range, params.range))
      near.push({ finding, diagnostic: toDiagnostic(ctx, finding) });
  }
  // Diagnostics sent that no finding matches any more (the document changed on disk, its
  // new findings not yet published): a fix is asked for one of those rules, never another
  // rule's fix that now overlaps the range (a "Mark as done" for a broken link's line).
  // (The count of findings not shown, on the first line, names no rule.)
  if (!anyMatched) {
    const rules = new Set(sent.map((d) => d.code).filter((c) => c !== undefined));
    return rules.size === 0 ? near : near.filter((n) => rules.has(n.finding.code));
  }
  // Quick fixes alone, asked over the range of one of them: VS Code's Problems view asks so
  // for one problem, sending every diagnostic that meets it (a broken link inside an unmet
  // criterion's line): that one's fixes. (An editor's selection asks for every kind.)
  const only = params.context.only;
  if (only?.length !== 1 || only[0] !== CodeActionKind.QuickFix) return matched;
  const exact = matched.filter((m) => sameRange(m.finding.range, params.range));
  return exact.length > 0 ? exact : matched;
}

/**
 * For criteria written as a list without checkboxes (the finding on their heading): one
 * action giving every item of the list an unticked checkbox, computed on the document's
 * text as it is now (`checkboxEdits` checks the result by parsing it again).
 */
async function checkboxAction(
  ctx: FeatureContext,
  entry: DocEntry,
  finding: Finding,
  diagnostic: Diagnostic,
): Promise<CodeAction | undefined> {
  const line = finding.range.start.line;
  const group = entry.ownGroups.find((g) => g.untracked && g.line === line);
  if (!group) return undefined;
  const text = await ctx.readText(entry.uri);
  if (text === undefined) return undefined;
  // (an item that starts with `[-]`, not applicable, is none of them: the parsers leave it out)
  const lines = entry.untrackedLines(line);
  if (lines.length === 0) return undefined;
  const edits = checkboxEdits(text, lines, (t) => parseDocument(entry.uri, t, ctx.config.parser));
  if (!edits) return undefined;
  return {
    title: `Add a checkbox to ${lines.length === 1 ? 'the list item' : `the ${lines.length} list items`} of ${group.heading}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: textEdits(ctx, new Map([[entry.uri, edits]])),
  };
}

/** Whether the text of each edit's range is the one given for it (see `Fix.reads`). */
function readsAsPlaced(
  reads: readonly string[],
  edits: readonly { range: Range }[],
  text: string | undefined,
) {
  if (text === undefined || reads.length !== edits.length) return false;
  const lines = new LineIndex(text);
  return edits.every(
    (e, i) => text.slice(lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)) === reads[i],
  );
}

/**
 * The action of one fix. A document it creates gets the content of its template as it
 * is, else the fix's content written with `lineBreak()`, the line break of the document
 * the fix is offered in.
 */
async function fixAction(
  ctx: FeatureContext,
  fix: Fix,
  diagnostic: Diagnostic,
  lineBreak: () => Promise<string>,
): Promise<CodeAction | undefined> {
  const base = {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: ('preferred' in fix && fix.preferred) || false,
  };
  if (fix.kind === 'edit') {
    if (fix.reads && !readsAsPlaced(fix.reads, fix.edits, await ctx.readText(fix.uri))) return undefined;
    return { ...base, edit: textEdits(ctx, new Map([[fix.uri, fix.edits]])) };
  }
  if (fix.kind === 'confirm') {
    const edit = await confirmEdit(ctx, fix.folder, fix.file, fix.item);
    return 'refused' in edit ? undefined : { ...base, isPreferred: true, edit };
  }
  if (fix.kind === 'withdraw') {
    // The text the finding was computed on (confirmationsFindings offers fixes only then).
    const text = await ctx.readText(fix.uri);
    const edits = text === undefined ? undefined : withdrawalEdits(text, fix.entry);
    return edits && { ...base, edit: textEdits(ctx, new Map([[fix.uri, edits]])) };
  }
  if (!ctx.clientCapabilities.createFiles) return undefined;
  // Never outside the workspace folder, also not through a symlinked folder.
  if (!(await ctx.canCreate(fix.uri))) return undefined;
  if (await documentExists(ctx, fix.uri)) return undefined;
  const template = fix.template !== undefined ? await ctx.readText(fix.template) : undefined;
  return {
    ...base,
    edit: createFileEdit(ctx, fix.uri, template ?? withLineBreak(fix.content, await lineBreak())),
    // run after the edit is applied: shows the document just created, in a tab that stays
    // (the third argument; an editor's preview tab would be replaced by the next file opened)
    command: {
      title: 'Open the created document',
      command: commandId(ctx.clientCapabilities, 'revealGroup'),
      arguments: [ctx.clientUri(fix.uri), 0, { keep: true }],
    },
  };
}

/**
 * Whether a document already exists where a fix would create one: an indexed document
 * in the same folder whose name is slug-equal (case, `.md`, spaces), or any file on
 * disk with the same name up to case, with or without `.md`.
 */
async function documentExists(ctx: FeatureContext, uri: string): Promise<boolean> {
  const where = ctx.index.locate(uri);
  if (!where) return true; // outside every workspace folder: never create it
  const dir = dirname(where.rel);
  const stem = stripMdExtension(basename(where.rel));
  const key = slug(stem);
  for (const e of ctx.index.all()) {
    if (e.folder === where.folder && e.dir === dir && e.nameKey === key) return true;
  }
  if (await ctx.exists(uri)) return true;
  const lower = stem.normalize('NFC').toLowerCase();
  const dirUri = ctx.index.uriFor(where.folder, dir);
  for (const name of await namesOnDisk(ctx, dirUri, [basename(where.rel), stem])) {
    const n = name.normalize('NFC').toLowerCase();
    if (n === lower || n === `${lower}.md` || (/\.md$/.test(n) && slug(stripMdExtension(name)) === key))
      return true;
  }
  return false;
}

/** "Mark criterion as done / not done" for each task item on the requested lines. */
function toggleActions(
  ctx: FeatureContext,
  entry: DocEntry,
  range: Range,
  skipLines: ReadonlySet<number>,
): CodeAction[] {
  const out: CodeAction[] = [];
  const last = Math.min(range.end.line, range.start.line + MAX_TOGGLE_LINES - 1);
  for (let line = range.start.line; line <= last; line++) {
    const task = taskOnLine(entry.doc, line);
    if (!task || skipLines.has(line)) continue;
    out.push({
      title: task.checked ? 'Mark criterion as not done' : 'Mark criterion as done',
      kind: CodeActionKind.RefactorRewrite,
      edit: textEdits(ctx, new Map([[entry.uri, [toggleEdit(task)]]])),
    });
  }
  return out;
}
