import { CancellationToken, ErrorCodes, type RequestType, ResponseError } from 'vscode-languageserver';
import type { FeatureContext } from './context';

/**
 * One request a feature answers: its LSP (or `cdp/…`) method and a plain function from
 * (context, params, token) to the result. The server registers these on its connection
 * and the tests call them in-process; both go through `answer`, so what happens before
 * a feature runs happens the same way for every feature and in both.
 */
export interface FeatureRequest<P = unknown, R = unknown> {
  /** The request's type: its method, and how its parameters are sent (checked by the connection). */
  readonly type: RequestType<P, unknown, unknown>;
  /**
   * The closed documents the answer is computed from, when it proposes edits: they are
   * read again from disk before `run` (see FeatureContext.syncFromDisk), so that no
   * edit is computed from a text older than the disk's. Called once indexing is done.
   */
  fromDisk?(ctx: FeatureContext, params: P): Iterable<string>;
  run(ctx: FeatureContext, params: P, token: CancellationToken): Promise<R> | R;
}

/** A request of the table below, its parameter and result types checked where it is written. */
export function request<P, R>(r: FeatureRequest<P, R>): FeatureRequest {
  return r as unknown as FeatureRequest;
}

/** Runs a feature request: reads the documents it names from disk again, then answers it. */
export async function answer<R>(
  ctx: FeatureContext,
  r: FeatureRequest<unknown, R>,
  params: unknown,
  token: CancellationToken = CancellationToken.None,
): Promise<R> {
  const method = r.type.method;
  // None given: as an empty object (requests whose parameters are all optional answer).
  const p = params ?? {};
  if (typeof p !== 'object')
    throw new ResponseError(ErrorCodes.InvalidParams, `${method}: its parameters must be an object.`);
  try {
    if (r.fromDisk) {
      await ctx.ready(token);
      await ctx.syncFromDisk(r.fromDisk(ctx, p), token);
    }
    return await r.run(ctx, p, token);
  } catch (e) {
    // Parameters of the wrong shape (a field missing, a number for a string) end in a
    // TypeError: said as invalid parameters, with what was wrong.
    if (e instanceof TypeError)
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `${method}: its parameters are not of the expected shape (${e.message}).`,
      );
    throw e;
  }
}

/** `fromDisk` for a request about one document: that document. */
export function theDocument(ctx: FeatureContext, params: { textDocument: { uri: string } }): string[] {
  return [ctx.canonical(params.textDocument.uri)];
}

/** Every indexed document of the workspace folders holding `uris` (a rename edits any of them). */
export function documentsOfFolders(ctx: FeatureContext, uris: Iterable<string>): string[] {
  const folders = new Set<string>();
  for (const u of uris) {
    const f = ctx.index.locate(ctx.canonical(u))?.folder;
    if (f !== undefined) folders.add(f);
  }
  const out: string[] = [];
  if (folders.size > 0) for (const e of ctx.index.all()) if (folders.has(e.folder)) out.push(e.uri);
  return out;
}

/**
 * Computes an answer that edits closed documents on their text as it is on disk: after
 * `compute`, the documents it `touched` are read again; when one changed, the index now
 * holds its new text and the answer is computed again, up to `attempts` times. Gives the
 * value, or the documents that kept changing.
 */
export async function computeOnDisk<T>(
  ctx: FeatureContext,
  token: CancellationToken | undefined,
  attempts: number,
  compute: () => Promise<{ value: T; touched: Iterable<string> }>,
): Promise<{ value: T } | { changed: string[] }> {
  let changed: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { value, touched } = await compute();
    changed = await ctx.syncFromDisk(touched, token);
    if (changed.length === 0) return { value };
  }
  return { changed };
}
