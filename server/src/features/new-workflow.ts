import { FolderPhaseEntry } from '../core/index';
import { type DefinitionPhase, planInstance } from '../core/instance';
import { dirname, joinUri, uriPath } from '../core/paths';
import type { WikiLink } from '../core/types';
import { definitionMatcher, phaseHome, phaseProgress, type WorkflowInstance } from '../core/workflow';
import { type PlanInstanceParams, PlanInstanceRequest, type PlanInstanceResult } from '../protocol';
import { type FeatureContext, notUtf8Reason, throwIfCancelled } from './context';
import { request } from './requests';

/**
 * cdp/planInstance: the files "New Workflow…" writes for a copy of a workflow definition
 * (core/instance.ts), or why it refuses the folder. The client writes them.
 */
export const requests = [
  request<PlanInstanceParams, PlanInstanceResult>({
    type: PlanInstanceRequest,
    run: async (ctx, params, token) => {
      await ctx.ready(token);
      const result = await planNewInstance(ctx, params);
      throwIfCancelled(token);
      return result;
    },
  }),
];

const refused = (why: string): PlanInstanceResult => ({ refused: why, files: [], unmapped: [] });

/** Whether folder-relative `path` is `folder` or lies inside it ('' holds everything). */
function under(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

async function planNewInstance(ctx: FeatureContext, params: PlanInstanceParams): Promise<PlanInstanceResult> {
  const workflows = ctx.analysis.workflows();
  const def = workflows.find((w) => w.definition && w.id === params.definition);
  if (!def) return refused(`There is no workflow definition "${params.definition}" in the workspace.`);
  if (def.phases.every((p) => p instanceof FolderPhaseEntry))
    return refused(
      `Not creating the workflow: the definition ${def.name} has no phase documents to copy (its phases are folders of documents).`,
    );
  const target = ctx.canonical(params.folder);
  const where = ctx.index.locate(target);
  if (!where || where.rel === '')
    return refused(
      'Not creating the workflow: choose a folder inside a workspace folder (its gate files name paths relative to it).',
    );
  const why = insideDefinition(ctx, workflows, where.folder, where.rel);
  if (why) return refused(`Not creating the workflow: ${why}`);

  const entries = new Map(def.phases.map((e) => [uriPath(e.uri), e]));
  const uris = new Map<string, string>();
  const phases: DefinitionPhase[] = def.phases.map((e) => {
    uris.set(uriPath(e.uri), e.uri);
    const gateFiles: string[] = [];
    for (const g of phaseProgress(e).groups) {
      if (!g.file) continue;
      const path = uriPath(g.file);
      uris.set(path, g.file);
      if (!gateFiles.includes(path)) gateFiles.push(path);
    }
    return { doc: uriPath(e.uri), gateFiles };
  });
  const texts = new Map<string, string>();
  for (const [path, uri] of uris) {
    const text = await ctx.readText(uri);
    if (text === undefined) continue;
    if (ctx.notUtf8(uri))
      return refused(
        `Could not read the definition ${def.name}: ${notUtf8Reason(ctx.index.locate(uri)?.rel ?? path)}.`,
      );
    texts.set(path, text);
  }
  // A wikilink written with a path leads where the resolver takes it (the document's
  // folder first, then the workspace folder's root).
  const wikiTarget = (doc: string, link: WikiLink): string | undefined => {
    const entry = entries.get(doc);
    if (!entry) return undefined;
    const r = ctx.index.resolve(entry, link);
    if (r.status === 'resolved') return uriPath(r.target.uri);
    if (r.status === 'file') return uriPath(joinUri(entry.folder, r.rel));
    return undefined;
  };
  const plan = planInstance(phases, texts, uriPath(target), {
    sourceRoot: uriPath(def.folder),
    targetRoot: uriPath(where.folder),
    wikiTarget,
    areas: def.definitionAreas,
  });
  return {
    files: plan.files.map((f) => ({ uri: ctx.clientUri(joinUri(target, f.rel)), text: f.text })),
    unmapped: plan.unmapped.map((u) => ({
      uri: ctx.clientUri(joinUri(target, u.rel)),
      line: u.line,
      value: u.value,
    })),
  };
}

/**
 * The folder (relative) a definition's documents lie in: the first of its areas (the
 * library folder holding `workflow.yml`, else its phases' folder); undefined for no
 * definition.
 */
function libraryOf(w: WorkflowInstance): string | undefined {
  return w.definitionAreas?.[0]?.dir;
}

/**
 * Why a new workflow in folder `rel` of workspace folder `folder` would not be a workflow
 * of its own: the folder lies inside a workflow library (beside its `workflow.yml`), in the
 * phases of a definition, or where `cdp.definitions` names definitions.
 */
function insideDefinition(
  ctx: FeatureContext,
  workflows: readonly WorkflowInstance[],
  folder: string,
  rel: string,
): string | undefined {
  for (const w of workflows) {
    if (!w.definition || w.folder !== folder || w.phases.length === 0) continue;
    const home = phaseHome(w.phases[0]!);
    const root = libraryOf(w) ?? home;
    const inPhase = w.phases.some((p) => p.phase?.folder && p.dir !== '' && under(rel, p.dir));
    if (inPhase || (home !== '' && under(rel, home)) || (root !== '' && under(rel, root)))
      return `${rel} lies inside the workflow definition ${root || w.id}: a copy there would be part of the definition, not a workflow of its own. Choose a folder outside it.`;
  }
  const globs = ctx.config.definitions;
  const named = definitionMatcher(globs);
  if (named) {
    for (let d = rel; d !== ''; d = dirname(d))
      if (named(d))
        return `${rel} lies inside the workflow definitions that cdp.definitions names (${globs.map((g) => `"${g}"`).join(', ')}): a copy there would be a definition, not a workflow. Choose a folder outside them.`;
  }
  return undefined;
}
