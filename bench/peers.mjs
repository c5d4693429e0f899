#!/usr/bin/env node
// Peers: other tools that check links in a markdown workspace, run on the same generated
// workspace. Neither knows `[[wikilinks]]`; both check ordinary `[text](file.md#heading)` links,
// which the generator sprinkles in (some of them deliberately broken).
//
//   node bench/peers.mjs mdls DIR     → in this process: vscode-markdown-languageservice
//                                        diagnostics for every document, prints one JSON line
//   node bench/peers.mjs remark DIR   → measures remark-cli (see measureRemark)
//
// `measurePeer(name, dir)` runs one peer in a fresh child process and returns
// `{ ms, peakRssKb, findings, ... }`.

import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { listMarkdown, mapLimit, peakRssKb } from './floor.mjs';
import { lastJson, run, warmFiles } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The peers are dependencies of the bench package (bench/package.json), not of the product.
const require = createRequire(join(here, 'package.json'));

export const PEERS = ['mdls', 'remark'];

export const PEER_LABELS = {
  mdls: 'vscode-markdown-languageservice 0.4.0 (computeDiagnostics, all docs)',
  remark: 'remark-cli 12 + remark-validate-links 13 (+frontmatter, gfm)',
};

// ---------------------------------------------------------------------------------------
// vscode-markdown-languageservice, in process.

/**
 * Diagnostics for every markdown document of `dir`, with every link validation switched on.
 * Returns `{ ms, files, findings, byCode }`; `ms` covers listing, reading, parsing and
 * validating (not module loading).
 */
export async function runMdls(dir, { concurrency = 8 } = {}) {
  const md = require('vscode-markdown-languageservice');
  const MarkdownIt = require('markdown-it');
  const { TextDocument } = require('vscode-languageserver-textdocument');
  const { URI } = require('vscode-uri');
  const { CancellationTokenSource } = require('vscode-languageserver-protocol');

  const t0 = performance.now();
  const files = await listMarkdown(dir);
  const known = new Set(files.map((f) => URI.file(f).toString()));
  const docs = new Map(); // uri string → TextDocument

  const open = async (uri) => {
    const key = uri.toString();
    let doc = docs.get(key);
    if (doc) return doc;
    if (!known.has(key)) return undefined;
    const text = await readFile(uri.fsPath, 'utf8');
    doc = docs.get(key) ?? TextDocument.create(key, 'markdown', 1, text);
    docs.set(key, doc);
    return doc;
  };
  const noEvent = () => ({ dispose() {} });

  /** fs-backed workspace that knows every .md file of `dir` up front. */
  const workspace = {
    workspaceFolders: [URI.file(dir)],
    onDidChangeMarkdownDocument: noEvent,
    onDidCreateMarkdownDocument: noEvent,
    onDidDeleteMarkdownDocument: noEvent,
    async getAllMarkdownDocuments() {
      return (await mapLimit(files, 64, (f) => open(URI.file(f)))).filter(Boolean);
    },
    hasMarkdownDocument: (uri) => known.has(uri.toString()),
    openMarkdownDocument: (uri) => open(uri),
    async stat(uri) {
      if (known.has(uri.toString())) return { isDirectory: false };
      try {
        const s = await stat(uri.fsPath);
        return { isDirectory: s.isDirectory() };
      } catch {
        return undefined;
      }
    },
    async readDirectory(uri) {
      const entries = await readdir(uri.fsPath, { withFileTypes: true });
      return entries.map((e) => [e.name, { isDirectory: e.isDirectory() }]);
    },
  };

  const mdIt = new MarkdownIt({ html: true });
  const parser = {
    slugifier: md.githubSlugifier,
    async tokenize(doc) {
      return mdIt.parse(doc.getText(), {});
    },
  };
  const logger = { level: md.LogLevel.Off, log() {} };
  const service = md.createLanguageService({
    workspace,
    parser,
    logger,
    markdownFileExtensions: ['md'],
    excludePaths: ['**/node_modules/**'],
  });

  const W = md.DiagnosticLevel.warning;
  const options = {
    validateReferences: W,
    validateFragmentLinks: W,
    validateFileLinks: W,
    validateMarkdownFileLinkFragments: W,
    validateUnusedLinkDefinitions: W,
    validateDuplicateLinkDefinitions: W,
    ignoreLinks: [],
  };
  const token = new CancellationTokenSource().token;
  const byCode = {};
  let findings = 0;
  await mapLimit(files, concurrency, async (f) => {
    const doc = await open(URI.file(f));
    const diags = await service.computeDiagnostics(doc, options, token);
    findings += diags.length;
    for (const d of diags) byCode[d.code] = (byCode[d.code] ?? 0) + 1;
  });
  const ms = performance.now() - t0;
  service.dispose();
  return { ms, files: files.length, findings, byCode };
}

// ---------------------------------------------------------------------------------------
// remark-cli with remark-validate-links.

/**
 * Writes a remark config (outside the workspace) that loads the plugins by absolute URL,
 * so the workspace needs no node_modules of its own. Returns its path.
 */
async function remarkConfig(dir) {
  const cfgDir = join(tmpdir(), 'cdp-bench-remark');
  await mkdir(cfgDir, { recursive: true });
  const url = (name) => import.meta.resolve(name);
  const file = join(cfgDir, 'remarkrc.mjs');
  const text = [
    `import frontmatter from ${JSON.stringify(url('remark-frontmatter'))};`,
    `import gfm from ${JSON.stringify(url('remark-gfm'))};`,
    `import validateLinks from ${JSON.stringify(url('remark-validate-links'))};`,
    'export default {',
    `  plugins: [frontmatter, gfm, [validateLinks, { repository: false, root: ${JSON.stringify(dir)} }]],`,
    '};',
    '',
  ].join('\n');
  await writeFile(file, text);
  return file;
}

/**
 * remark-cli over the workspace: no output files, no stdout, every warning reported.
 * Findings are counted from the reporter's summary line (`⚠ N warnings`).
 */
export async function measureRemark(dir) {
  const rc = await remarkConfig(dir);
  const cli = join(here, 'node_modules', 'remark-cli', 'cli.js');
  warmFiles(dir);
  const r = await run(
    process.execPath,
    [
      cli,
      '.',
      '--ext',
      'md',
      '--rc-path',
      rc,
      '--no-config',
      '--no-ignore',
      '--no-stdout',
      '--no-color',
      '--quiet',
    ],
    { cwd: dir },
  );
  // --no-config stops remark from looking for further config files; --rc-path still applies.
  const summary = /(\d+) warnings?/.exec(r.stderr.split('\n').slice(-5).join('\n'));
  const perMessage = (r.stderr.match(/\bwarning\b/g) ?? []).length;
  const byRule = {};
  for (const m of r.stderr.matchAll(/remark-validate-links:([\w-]+)/g)) {
    byRule[m[1]] = (byRule[m[1]] ?? 0) + 1;
  }
  // remark exits 0 (or 1 with --frail) after reporting; anything else is a crash (e.g. out of memory).
  const failed = r.signal != null || (r.code !== 0 && r.code !== 1);
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    peakRssKb: r.peakRssKb,
    code: r.code,
    failed: failed || undefined,
    findings: summary ? Number(summary[1]) : perMessage,
    byRule,
    errorTail: failed ? r.stderr.slice(-500) : undefined,
  };
}

/** vscode-markdown-languageservice in a fresh child process. */
export async function measureMdls(dir) {
  warmFiles(dir);
  const r = await run(process.execPath, [fileURLToPath(import.meta.url), 'mdls', dir]);
  const self = lastJson(r.stdout);
  if (r.code !== 0 || !self) throw new Error(`mdls child failed (${r.code}): ${r.stderr.slice(-800)}`);
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    innerMs: self.ms,
    peakRssKb: r.peakRssKb ?? self.peakRssKb,
    findings: self.findings,
    byCode: self.byCode,
  };
}

export function measurePeer(name, dir) {
  if (name === 'mdls') return measureMdls(dir);
  if (name === 'remark') return measureRemark(dir);
  throw new Error(`unknown peer ${name}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [name, dir] = process.argv.slice(2);
  if (!PEERS.includes(name) || !dir) {
    console.error(`usage: node bench/peers.mjs ${PEERS.join('|')} DIR`);
    process.exit(2);
  }
  if (name === 'mdls') {
    const r = await runMdls(dir);
    console.log(JSON.stringify({ ...r, peakRssKb: peakRssKb() }));
  } else {
    console.log(JSON.stringify(await measurePeer(name, dir)));
  }
}
