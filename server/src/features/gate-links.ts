import type { CancellationToken, Range } from 'vscode-languageserver';
import { cleanPath, filesFor, GLOB } from '../core/gates/evaluate';
import { folderFiles } from '../core/gates/inputs';
import { evidencePath } from '../core/gates/parse';
import { gateValueSpots } from '../core/gates/rewrite';
import { joinUri, normalizeRel } from '../core/paths';
import { evidenceLanding } from '../core/resolve';
import { rangeContains } from '../core/text';
import type { Position } from '../core/types';
import { type FeatureContext, throwIfCancelled } from './context';
import { landingOf } from './ids';

/** Where a path value of a gate file leads. */
export interface GateTarget {
  /** The value in the gate file (quotes included). */
  range: Range;
  /** The file it names (canonical URI). */
  uri: string;
  /** Its path relative to the workspace folder, as on disk. */
  rel: string;
  /** Where in a markdown document it lands: the heading of an evidence `#anchor`, else the title. */
  landing?: Range;
  /** The 0-based line of that landing, for a `#L` fragment; undefined at the start of the file. */
  line?: number;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Where the path values of a gate file lead — a check's `path`, a `fallback_paths` entry,
 * an `evidence` path and its `#anchor` — read as the checks read them: relative to the
 * workspace folder, letter case as on disk. Only a value naming one file that exists is a
 * target; a glob, a folder or a path that names nothing is not (its item's diagnostic
 * says what is missing). Undefined when `uri` is no indexed gate file.
 */
export async function gateTargets(
  ctx: FeatureContext,
  uri: string,
  token?: CancellationToken,
): Promise<GateTarget[] | undefined> {
  const g = ctx.index.gates.get(ctx.canonical(uri));
  if (!g) return undefined;
  const text = await ctx.readText(g.uri);
  throwIfCancelled(token);
  if (text === undefined) return [];
  const env = folderFiles(ctx.index, g.folder);
  const out: GateTarget[] = [];
  for (const spot of gateValueSpots(text)) {
    const named = spot.kind === 'evidence' ? evidencePath(spot.value) : { path: spot.value };
    if (!named || GLOB.test(named.path)) continue;
    const clean = cleanPath(named.path);
    if (clean === undefined || clean === '') continue;
    const rel = normalizeRel(clean) ?? clean;
    // A file as written (a folder's answer is the files in it, never the folder itself).
    if (!filesFor(env, named.path).includes(rel)) continue;
    const doc = ctx.index.docAt(g.folder, rel);
    const target: GateTarget = { range: spot.range, uri: doc?.uri ?? joinUri(g.folder, rel), rel };
    if (doc) {
      target.landing = landingOf(doc);
      const landing = named.anchor === undefined ? undefined : evidenceLanding(doc, named.anchor);
      if (landing && 'heading' in landing) {
        target.landing = landing.heading.range;
        target.line = landing.heading.line;
      } else if (landing && 'line' in landing) {
        const line = Math.min(landing.line, Math.max(0, doc.doc.lineCount - 1));
        target.landing = { start: { line, character: 0 }, end: { line, character: 0 } };
        target.line = line;
      }
    }
    out.push(target);
  }
  return out;
}

/** The target of the gate file value at `position`, if any. */
export async function gateTargetAt(
  ctx: FeatureContext,
  uri: string,
  position: Position,
  token?: CancellationToken,
): Promise<GateTarget | undefined> {
  const targets = await gateTargets(ctx, uri, token);
  return targets?.find((t) => rangeContains(t.range, position));
}

/** Where a gate target lands in its file. */
export function gateLanding(t: GateTarget): Range {
  return t.landing ?? START;
}
