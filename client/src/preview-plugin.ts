// The markdown-it plugin VS Code's Markdown preview runs (contributed with
// `markdown.markdownItPlugins`, returned from `activate` as `extendMarkdownIt`). No editor API
// here: the markdown-it instance comes from VS Code, and the unit tests use their own.
//   - the metadata block after the `# Title` becomes a compact table, not a `---` rule
//     followed by a setext heading (which also drops that bogus heading from the Outline);
//   - `[[wikilinks]]` in all forms (`[[Name]]`, `[[Name#Heading]]`, `[[Name|Alias]]`,
//     `[[#Heading]]`), in the body and in the metadata, become links to the target file
//     (relative, with the heading as fragment), which the preview follows itself (it runs
//     no `command:` links); the target is the one the language server resolves the link to
//     (preview-links.ts asks it), so the preview, F12 and the diagnostics agree;
//   - `![[embeds]]` become links marked as embeds;
//   - task list items show a box, ticked or not.
import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type { LinkItemDto } from '../../server/src/protocol';
import { relativeLink } from './report-markdown';

/** The URI of the document a link names, seen from the document `from`; undefined when none. */
export type LinkResolver = (from: string | undefined, target: string) => string | undefined;

const MAX_METADATA_LINES = 200;

interface Env {
  currentDocument?: { toString(): string };
}

/** `[[target#heading|alias]]` → its parts; undefined when it is not a wikilink. */
export function parseWikilink(
  inner: string,
): { target: string; heading?: string; alias?: string } | undefined {
  if (inner.length === 0 || inner.length > 500 || /[[\]\n]/.test(inner)) return undefined;
  const bar = inner.indexOf('|');
  const ref = (bar >= 0 ? inner.slice(0, bar) : inner).trim();
  const alias = bar >= 0 ? inner.slice(bar + 1).trim() : undefined;
  const hash = ref.indexOf('#');
  const target = (hash >= 0 ? ref.slice(0, hash) : ref).trim();
  const heading = hash >= 0 ? ref.slice(hash + 1).trim() : undefined;
  if (!target && !heading) return undefined;
  return { target, heading: heading || undefined, alias: alias || undefined };
}

/**
 * What the wikilinks of one document resolve to, from the server's `cdp/links` answer (the
 * one resolver, server/src/core/resolve.ts): link target as written (`Release Plan` of
 * `[[Release Plan#Scope|the plan]]`) → URI of the document it names.
 */
export function wikilinkTargets(outgoing: readonly LinkItemDto[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of outgoing) {
    const m = item.link !== undefined ? /^!?\[\[([\s\S]*)\]\]$/.exec(item.link) : null;
    const link = m ? parseWikilink(m[1]!.replace(/\\\|/g, '|')) : undefined;
    if (link?.target && !out.has(link.target)) out.set(link.target, item.uri);
  }
  return out;
}

/** The id the Markdown preview gives a heading (GitHub style). */
export function headingSlug(heading: string): string {
  return encodeURIComponent(
    heading
      .trim()
      .toLowerCase()
      .replace(/\s+/g, '-')
      .replace(/[\][!/'"#$%&()*+,.:;<=>?@\\^{|}~`]/g, '')
      .replace(/^-+|-+$/g, ''),
  );
}

/** Installs the rules on `md` and returns it (the contract of `extendMarkdownIt`). */
export function cdpPreviewPlugin(md: MarkdownIt, resolve: LinkResolver = () => undefined): MarkdownIt {
  md.block.ruler.before('hr', 'cdp_metadata', metadataRule, { alt: ['paragraph'] });
  md.inline.ruler.before('link', 'cdp_wikilink', wikilinkRule);
  md.core.ruler.after('inline', 'cdp_tasks', taskRule);

  md.renderer.rules.cdp_metadata = (tokens, idx, _options, env) => {
    const rows = (tokens[idx]!.meta as { rows: [string, string][] }).rows;
    const body = rows
      .map(
        ([key, value]) =>
          `<tr><th>${md.utils.escapeHtml(key)}</th><td>${md.renderInline(value, env)}</td></tr>`,
      )
      .join('');
    return `<table class="cdp-metadata"><tbody>${body}</tbody></table>\n`;
  };
  md.renderer.rules.cdp_wikilink = (tokens, idx, _options, env) =>
    renderWikilink(
      md,
      tokens[idx]!.meta as WikilinkMeta,
      (env as Env | undefined)?.currentDocument?.toString(),
      resolve,
    );
  md.renderer.rules.cdp_task = (tokens, idx) => {
    const done = tokens[idx]!.meta?.checked === true;
    return `<span class="cdp-task${done ? ' cdp-task-done' : ''}" role="checkbox" aria-checked="${done}">${done ? '☑' : '☐'}</span> `;
  };
  return md;
}

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
}

/** The `---` block right after the `# Title` or a setext title (the place CDP documents keep their metadata). */
function metadataRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4 || state.blkIndent !== 0) return false;
  if (!/^-{3}\s*$/.test(lineText(state, startLine))) return false;
  // the previous non-blank line is a level-1 heading: `# Title`, or a `Title` / `===` setext one
  let prev = startLine - 1;
  while (prev >= 0 && lineText(state, prev).trim() === '') prev--;
  if (prev < 0) return false;
  const setext = /^=+\s*$/.test(lineText(state, prev)) && prev > 0 && lineText(state, prev - 1).trim() !== '';
  if (!setext && !/^#\s+\S/.test(lineText(state, prev))) return false;
  let close = -1;
  for (let l = startLine + 1; l < endLine && l <= startLine + MAX_METADATA_LINES; l++) {
    if (/^-{3}\s*$/.test(lineText(state, l)) && state.sCount[l] === 0) {
      close = l;
      break;
    }
  }
  if (close < 0) return false;
  const rows = metadataRows(
    Array.from({ length: close - startLine - 1 }, (_, i) =>
      state.src.slice(state.bMarks[startLine + 1 + i], state.eMarks[startLine + 1 + i]),
    ),
  );
  if (!rows) return false;
  if (silent) return true;
  const token = state.push('cdp_metadata', 'table', 0);
  token.map = [startLine, close + 1];
  token.block = true;
  token.meta = { rows };
  state.line = close + 1;
  return true;
}

/**
 * `key: value` lines (and `- item` lines under a key) → rows with the value as markdown:
 * quotes dropped, `[a, b]` lists joined. Undefined when a line is neither (not metadata).
 */
export function metadataRows(lines: string[]): [string, string][] | undefined {
  const rows: [string, string][] = [];
  for (const line of lines) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const item = /^\s+-\s+(.*)$/.exec(line) ?? (rows.length > 0 ? /^-\s+(.*)$/.exec(line) : null);
    if (item && rows.length > 0) {
      const last = rows[rows.length - 1]!;
      last[1] = last[1] ? `${last[1]}, ${unquote(item[1]!)}` : unquote(item[1]!);
      continue;
    }
    const kv = /^([A-Za-z_][\w .-]*?)\s*:(?:\s+(.*))?$/.exec(line);
    if (!kv) return undefined;
    rows.push([kv[1]!, value(kv[2] ?? '')]);
  }
  return rows.length > 0 ? rows : undefined;
}

function value(v: string): string {
  const t = v.trim();
  if (t.startsWith('[') && t.endsWith(']') && !t.startsWith('[[')) {
    return t
      .slice(1, -1)
      .split(',')
      .map((x) => unquote(x))
      .filter(Boolean)
      .join(', ');
  }
  return unquote(t);
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

interface WikilinkMeta {
  link: { target: string; heading?: string; alias?: string };
  embed: boolean;
}

function wikilinkRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  let pos = state.pos;
  const embed = src.charCodeAt(pos) === 0x21; /* ! */
  if (embed) pos++;
  if (src.charCodeAt(pos) !== 0x5b || src.charCodeAt(pos + 1) !== 0x5b) return false;
  const end = src.indexOf(']]', pos + 2);
  if (end < 0) return false;
  const link = parseWikilink(src.slice(pos + 2, end));
  if (!link) return false;
  if (!silent) {
    // resolved when rendered, not here: VS Code keeps the tokens of a document until it
    // changes, while the link targets arrive from the server later (preview-links.ts)
    const token = state.push('cdp_wikilink', 'a', 0);
    token.meta = { link, embed } satisfies WikilinkMeta;
  }
  state.pos = end + 2;
  return true;
}

function renderWikilink(
  md: MarkdownIt,
  { link, embed }: WikilinkMeta,
  from: string | undefined,
  resolve: LinkResolver,
): string {
  const esc = md.utils.escapeHtml;
  const fragment = link.heading ? `#${headingSlug(link.heading)}` : '';
  const label =
    link.alias ?? (link.target ? `${link.target}${link.heading ? ` › ${link.heading}` : ''}` : link.heading!);
  const text = esc(embed ? `📎 ${label}` : label);
  let href: string | undefined;
  if (!link.target) href = fragment;
  else {
    const uri = resolve(from, link.target);
    if (uri) href = relativeLink(from, uri) + fragment;
  }
  if (href === undefined)
    return `<span class="cdp-wikilink cdp-unresolved" title="does not resolve">${text}</span>`;
  // as markdown-it's link rule does: the preview's normalizer makes the link one it follows
  // (relative to the document). No validation: the target is a workspace file (a `file:`
  // URI when there is no document to be relative to, which markdown-it's default validator
  // would refuse). `data-href` is what the preview's click handler reads, as on its own links.
  href = esc(md.normalizeLink(href));
  const title = esc(`${link.target}${link.heading ? `#${link.heading}` : ''}`);
  const cls = embed ? 'cdp-wikilink cdp-embed' : 'cdp-wikilink';
  return `<a href="${href}" class="${cls}" title="${title}" data-href="${href}">${text}</a>`;
}

/** `- [ ] text` / `- [x] text`: a box in front of the item's text. */
function taskRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open') continue;
    if (tokens[i - 2]!.type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    if (first?.type !== 'text') continue;
    const m = /^\[([ xX])\](?=\s|$)\s*/.exec(first.content);
    if (!m) continue;
    first.content = first.content.slice(m[0].length);
    const box = new state.Token('cdp_task', 'span', 0);
    box.meta = { checked: m[1] !== ' ' };
    inline.children!.unshift(box);
    tokens[i - 2]!.attrJoin('class', 'cdp-task-item');
  }
}
