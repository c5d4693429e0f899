#!/usr/bin/env node
// Deterministic generator of the benchmark's workspaces, in several shapes.
//
//   node bench/generate.mjs --docs 1000 --out DIR [--shape cdp] [--seed 42] [--ids]
//
// Shapes (SHAPES below; bench/README.md describes each):
// - `cdp`: many workflow instances (`cycles/2024-q3-payments-007/`), each with the six
//   phase documents `01-diagnose.md` … `06-follow-up.md` (8–15 KB, title line, then a `---`
//   metadata block, criteria checklists, gates, readiness checklists, artifact link lists,
//   fenced code, tables) and artifact documents of 1–4 KB next to them. Some artifacts are
//   deliberately missing and some links point at headings that do not exist, so every
//   checker has real findings to report. Besides `[[wikilinks]]` the documents carry
//   ordinary `[text](other.md#heading)` links so checkers that do not know wikilinks still
//   have link-checking work. `cdp-ids` is the same workspace with ids (below).
// - `small`: small documents (bench/shape-small.mjs).
// - `helix`: the HELIX layout with gate files, markdown links and document ids
//   (bench/shape-helix.mjs); `helix-plain` is the same without gate files and links;
//   `helix-sparse` / `helix-sparse-plain` the same pair with larger projects (fewer gate
//   files per document).
//
// With --ids (the `cdp-ids` shape) every document also carries a DDX block (`ddx:` with an
// `id` and 3–5 `depends_on` entries naming earlier documents, so the graph has no cycle):
// inside the phase documents' metadata block, as front matter of the artifacts. The ids
// come from their own seeded generator, so the rest of the workspace is byte for byte the
// same.
//
// Everything derives from the seed: the same arguments always produce the same bytes. A
// workspace is written beside its target folder and then renamed into place, so two
// benchmark runs that share a cache never see one half written.

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helixShape } from './shape-helix.mjs';
import { smallShape } from './shape-small.mjs';
import {
  ADJ,
  AREAS,
  ARTIFACT_HEADINGS,
  ARTIFACTS,
  checklist,
  GATES,
  LANGS,
  PHASES,
  paragraph,
  prng,
  sentence,
  slug,
  TAGS,
  title,
  VERBS,
  WORDS,
} from './text.mjs';

/** Bump whenever the output for the same arguments changes (cached workspaces are rebuilt). */
export const GENERATOR_VERSION = 6;
export const MANIFEST = 'bench-workspace.json';

// ---------------------------------------------------------------------------------------
// Documents.

function artifactDoc(r, name, headings) {
  const lines = [`# ${title(name)}`, '', paragraph(r), ''];
  const target = r.int(1000, 4000);
  let size = lines.join('\n').length;
  let h = 0;
  while (size < target || h < headings.length) {
    const heading = h < headings.length ? headings[h] : `${title(r.pick(WORDS))} Notes ${h}`;
    h++;
    const block = [`## ${heading}`, '', paragraph(r), ''];
    if (r.chance(0.3)) block.push(checklist(r, r.int(2, 4), 0.5), '');
    lines.push(...block);
    size += block.join('\n').length + 1;
  }
  return lines.join('\n');
}

/**
 * One phase document. `ctx` describes the instance: which artifacts exist, their headings,
 * the neighbouring instance (for cross-folder links).
 */
function phaseDoc(r, ctx, p) {
  const phase = PHASES[p];
  const prev = PHASES[p - 1];
  const next = PHASES[p + 1];
  const own = ctx.phaseArtifacts[p];
  const out = [];
  const push = (...l) => out.push(...l);

  // Title, then the metadata block (after the title, as in the real CDP documents).
  push(`# ${phase.name} Phase`, '', '---');
  push(`tags: [${r.sample(TAGS, r.int(3, 6)).join(', ')}]`);
  push(`phase: ${r.chance(0.5) ? `"0${p + 1}"` : `0${p + 1}`}`);
  push(`name: "${phase.name}"`);
  if (prev) push(`previous_phase: "[[${prev.file}]]"`);
  if (next) push(`next_phase: "[[${next.file}]]"`);
  push(`artifacts: [${own.map((a) => `"[[${a}]]"`).join(', ')}]`);
  if (r.chance(0.3)) push(`owner: "${r.pick(WORDS)}-team"`);
  push('---', '');

  push('## Overview', '', paragraph(r, [`[[${own[0]}]]`]), '', paragraph(r), '');
  push('## Purpose', '');
  for (let i = r.int(4, 7); i > 0; i--) push(`- ${sentence(r).slice(0, -1)}`);
  push('');

  push('## Entry Criteria', '', `Before entering the ${phase.name} phase, ensure:`, '');
  push(checklist(r, r.int(4, 8), p === 0 ? 0.9 : 0.6), '');
  if (prev) push(`See [the previous phase](./${prev.file}.md) and [[${prev.file}#Exit Criteria]].`, '');

  push('## Key Activities', '');
  for (let i = 1, n = r.int(3, 5); i <= n; i++) {
    push(`### ${i}. ${title(r.pick(VERBS))} the ${r.pick(WORDS)}`, '');
    for (let j = r.int(3, 6); j > 0; j--) push(`- ${sentence(r).slice(0, -1)}`);
    push('');
  }

  // Artifacts Produced: link lists in every form.
  push('## Artifacts Produced', '', '### Primary Artifacts', '');
  for (const a of own) push(`- **[[${title(a)}]]** - ${sentence(r).slice(0, -1)}`);
  push('', '### Supporting Artifacts', '');
  for (const a of own) {
    const form = r.int(0, 4);
    const hs = ctx.headings.get(a) ?? ARTIFACT_HEADINGS;
    if (form === 0) push(`- [[${a}|${title(a)} (current)]] - ${sentence(r).slice(0, -1)}`);
    else if (form === 1) push(`- [[${a}#${r.pick(hs)}]] - ${sentence(r).slice(0, -1)}`);
    else if (form === 2) push(`- ![[${a}]]`);
    else if (form === 3) push(`- [${title(a)}](${a}.md) - ${sentence(r).slice(0, -1)}`);
    else push(`- [${title(a)} ${r.pick(hs).toLowerCase()}](${a}.md#${slug(r.pick(hs))})`);
  }
  push('');

  // A tracking table with escaped pipes inside wikilinks.
  push('| Artifact | Owner | Status |', '| --- | --- | --- |');
  for (const a of own)
    push(`| [[${a}\\|${title(a)}]] | ${r.pick(WORDS)} | ${r.pick(['draft', 'review', 'done'])} |`);
  push('');

  push('## Exit Criteria', '', `The ${phase.name} phase is complete when:`, '');
  push(checklist(r, r.int(5, 9), 0.4));
  if (next) push(`- [ ] Next phase ([[${next.file}|${next.name}]]) entry criteria satisfied`);
  push('');

  push('## CDP Validation Requirements', '');
  for (const g of r.sample(GATES, r.int(2, 4))) {
    push(`### ${g}`, '', checklist(r, r.int(3, 5), 0.5), '');
  }

  push('## DDX Integration', '', paragraph(r, ['[[#Exit Criteria]]']), '');
  push(`\`\`\`${r.pick(LANGS)}`);
  push(`ddx apply patterns/${phase.file}/${r.pick(WORDS)}`);
  push(`# links inside code are not links: [[${r.pick(ARTIFACTS)}]] [x](nowhere.md)`);
  push(`ddx diagnose --phase ${phase.name.toLowerCase()} --artifact ${own[0]}`);
  push('```', '');

  // Padding sections until the target size, with readiness checklists among them.
  const target = r.int(8000, 15000);
  let size = out.join('\n').length;
  let k = 0;
  while (size < target) {
    const block = [];
    const kind = k % 4;
    if (kind === 0) {
      block.push(`## ${title(r.pick(WORDS))} Readiness Checklist ${k}`, '');
      for (let g = r.int(2, 3); g > 0; g--) {
        block.push(
          `### ${title(r.pick(ADJ))} ${title(r.pick(WORDS))}`,
          '',
          checklist(r, r.int(4, 6), 0.45),
          '',
        );
      }
    } else if (kind === 1) {
      block.push(`## Common Challenges ${k}`, '');
      block.push(`### Challenge: ${title(r.pick(ADJ))} ${r.pick(WORDS)}`, '', '**Solutions:**');
      for (let j = r.int(3, 5); j > 0; j--) block.push(`- ${sentence(r).slice(0, -1)}`);
      block.push('');
    } else if (kind === 2) {
      const a = r.pick(ctx.allArtifacts);
      const links = [`[[${a}]]`];
      if (ctx.neighbour) {
        const np = PHASES[r.int(0, 5)];
        links.push(
          `[${ctx.neighbour} ${np.name.toLowerCase()}](../${ctx.neighbour}/${np.file}.md#exit-criteria)`,
        );
      }
      block.push(`## Notes ${k}`, '', paragraph(r, links), '', paragraph(r), '');
    } else {
      block.push(`## Tips ${k}`, '');
      for (let j = r.int(3, 6); j > 0; j--) block.push(`- ${sentence(r).slice(0, -1)}`);
      block.push(
        '',
        `\`\`\`${r.pick(LANGS)}`,
        `${r.pick(WORDS)}: ${r.pick(WORDS)}`,
        `see: "[[${r.pick(own)}]]"`,
        '```',
        '',
      );
    }
    out.push(...block);
    size += block.join('\n').length + 1;
    k++;
  }

  // A few deliberately broken links.
  if (r.chance(0.3)) push(`Also compare [an old draft](./${r.pick(WORDS)}-draft.md).`, '');
  if (r.chance(0.3)) push(`The [[${r.pick(own)}#No Such Section]] section was removed.`, '');
  if (r.chance(0.2)) push(`Jump to [a missing heading](#no-such-heading).`, '');
  if (r.chance(0.3)) push(`The [retired section](./${r.pick(PHASES).file}.md#retired-section) moved.`, '');

  push('## Next Phase', '');
  if (next)
    push(
      `Upon completion, proceed to **[[${next.file}|${next.name} Phase]]** ([next](${next.file}.md#overview)).`,
      '',
    );
  else push(`This closes the cycle; start again at [[01-diagnose]] in the next cycle.`, '');
  push('---', '', `*Generated ${ctx.id} phase ${p + 1} for benchmarking.*`, '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------
// The DDX block that `--ids` adds to the documents of the cdp and small shapes.

/** The DDX block of document `n`: its id and 3–5 dependencies on earlier documents. */
function ddxBlock(r, n) {
  const deps = new Set();
  const want = Math.min(n, r.int(3, 5));
  while (deps.size < want) deps.add(r.int(0, n - 1));
  const lines = ['ddx:', `  id: DOC-${String(n).padStart(5, '0')}`];
  if (deps.size > 0)
    lines.push('  depends_on:', ...[...deps].map((d) => `    - DOC-${String(d).padStart(5, '0')}`));
  return `${lines.join('\n')}\n`;
}

/** `text` with the DDX block of document `n` in its metadata (or as front matter). */
function withDdx(r, n, text) {
  const block = ddxBlock(r, n);
  const at = text.indexOf('\n\n---\n');
  if (text.startsWith('# ') && at !== -1 && at < text.indexOf('\n') + 2)
    return `${text.slice(0, at + 6)}${block}${text.slice(at + 6)}`;
  return `---\n${block}---\n${text}`;
}

// ---------------------------------------------------------------------------------------
// Writing a workspace.

/**
 * Writes the files of one workspace under `root` and counts them. `doc()` writes a
 * markdown document (with the DDX block of `--ids` when asked), `file()` anything else
 * (gate files). `offerProbe()` keeps the largest candidate for the editing measurements.
 */
export class Writer {
  constructor(root, { ids = false, seed = 42 } = {}) {
    this.root = root;
    this.ids = ids;
    this.idRandom = prng(seed + 1);
    this.count = 0;
    this.bytes = 0;
    this.files = 0;
    this.fileBytes = 0;
    this.probe = null;
    this.dirs = new Set();
  }

  async ensureDir(rel) {
    const d = dirname(rel);
    if (this.dirs.has(d)) return;
    await mkdir(join(this.root, d), { recursive: true });
    this.dirs.add(d);
  }

  async doc(rel, text) {
    if (this.ids) text = withDdx(this.idRandom, this.count, text);
    await this.ensureDir(rel);
    await writeFile(join(this.root, rel), text);
    this.count++;
    this.bytes += Buffer.byteLength(text);
    return text;
  }

  async file(rel, text) {
    await this.ensureDir(rel);
    await writeFile(join(this.root, rel), text);
    this.files++;
    this.fileBytes += Buffer.byteLength(text);
  }

  offerProbe(rel, text) {
    if (!this.probe || text.length > this.probe.chars) this.probe = { path: rel, chars: text.length };
  }
}

// ---------------------------------------------------------------------------------------
// The cdp shape: today's larger documents.

async function cdpShape(w, r, docs) {
  // Plan instances first so cross-instance links can point at real folders.
  const ids = [];
  const plans = [];
  let planned = 0;
  for (let i = 0; planned < docs; i++) {
    const year = 2021 + (i % 5);
    const id = `${year}-q${1 + (Math.floor(i / 5) % 4)}-${AREAS[i % AREAS.length]}-${String(i).padStart(3, '0')}`;
    const allArtifacts = r.sample(ARTIFACTS, r.int(8, 14));
    const phaseArtifacts = PHASES.map(() => r.sample(allArtifacts, r.int(2, 4)));
    const existing = allArtifacts.filter(() => r.chance(0.88));
    const headings = new Map(allArtifacts.map((a) => [a, r.sample(ARTIFACT_HEADINGS, r.int(3, 6))]));
    ids.push(id);
    plans.push({ id, allArtifacts, phaseArtifacts, existing, headings });
    planned += 6 + existing.length;
  }

  let missing = 0;
  for (let i = 0; i < plans.length && w.count < docs; i++) {
    const plan = plans[i];
    const dir = join('cycles', plan.id);
    const ctx = { ...plan, neighbour: i > 0 ? ids[i - 1] : ids[1] };
    const batch = [];
    for (let p = 0; p < 6 && w.count + batch.length < docs; p++) {
      batch.push([join(dir, `${PHASES[p].file}.md`), phaseDoc(r, ctx, p), p === 4]);
    }
    for (const a of plan.existing) {
      if (w.count + batch.length >= docs) break;
      batch.push([join(dir, `${a}.md`), artifactDoc(r, a, plan.headings.get(a)), false]);
    }
    missing += plan.allArtifacts.length - plan.existing.length;
    for (const [path, text, probe] of batch) {
      const written = await w.doc(path, text);
      if (probe) w.offerProbe(path, written);
    }
  }
  return { instances: plans.length, missingArtifacts: missing };
}

// ---------------------------------------------------------------------------------------
// Shapes and their variants.

/**
 * Every workspace shape the benchmark knows. `options` are the generator options of the
 * shape; a variant is the same shape with other options (the "without" side of a cost).
 */
/** A shape of the helix family (its documents carry their own ids). */
function helixDef(describe, options) {
  return {
    describe,
    options: { ids: false, ...options },
    ownIds: true,
    generate: (w, r, docs, o) => helixShape(w, r, docs, o),
  };
}

export const SHAPES = {
  cdp: {
    describe: 'CDP cycles: six phase documents of 8–15 KB and artifacts of 1–4 KB per cycle',
    options: { ids: false },
    generate: (w, r, docs) => cdpShape(w, r, docs),
  },
  'cdp-ids': {
    describe: 'the cdp shape where every document also has a `ddx:` id and 3–5 `depends_on`',
    options: { ids: true },
    generate: (w, r, docs) => cdpShape(w, r, docs),
  },
  small: {
    describe: 'small documents (≈2.5 KB on average), ≈29 per workflow, the same names in every folder',
    options: { ids: false },
    generate: (w, r, docs) => smallShape(w, r, docs),
  },
  helix: helixDef(
    'HELIX projects: phase folders NN-name/README.md with gate files, markdown links, `ddx:` ids with 3–5 `depends_on`',
    { gates: true, mdlinks: true },
  ),
  'helix-plain': helixDef(
    'the helix shape without its gate files and with every markdown link written as plain text',
    { gates: false, mdlinks: false },
  ),
  'helix-sparse': helixDef(
    'the helix shape with larger projects: 24–36 documents in each of features/, adr/ and user-stories/ (about 120 a project, a gate file per 7–8 documents)',
    { gates: true, mdlinks: true, subDocs: [24, 36] },
  ),
  'helix-sparse-plain': helixDef(
    'the helix-sparse shape without its gate files and with every markdown link written as plain text',
    { gates: false, mdlinks: false, subDocs: [24, 36] },
  ),
};

/**
 * Generate a workspace of `shape` into `out` (written beside it, then moved into place, so
 * a half-written workspace is never seen). Returns its manifest.
 */
export async function generate({ shape = 'cdp', docs = 1000, out, seed = 42, ids } = {}) {
  if (!out) throw new Error('generate: `out` is required');
  const def = SHAPES[shape];
  if (!def) throw new Error(`generate: unknown shape ${shape} (${Object.keys(SHAPES).join(', ')})`);
  const options = { ...def.options, ...(ids === undefined ? {} : { ids }) };
  const tmp = `${out}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const w = new Writer(tmp, { ids: options.ids, seed });
  const extra = await def.generate(w, prng(seed), docs, options);
  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    shape,
    options,
    docs: w.count,
    seed,
    ids: !!(options.ids || def.ownIds),
    bytes: w.bytes,
    otherFiles: w.files,
    otherBytes: w.fileBytes,
    probe: w.probe?.path ?? null,
    ...extra,
  };
  await writeFile(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(out, { recursive: true, force: true });
  await mkdir(dirname(out), { recursive: true });
  await rename(tmp, out);
  return manifest;
}

/** The manifest of an existing workspace, or undefined. */
export async function readManifest(dir) {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Generate unless `dir` already holds a workspace made by this generator version with the same arguments. */
export async function ensureWorkspace({ shape = 'cdp', docs, out, seed = 42, ids }) {
  const m = await readManifest(out);
  const options = { ...SHAPES[shape]?.options, ...(ids === undefined ? {} : { ids }) };
  if (
    m &&
    m.generatorVersion === GENERATOR_VERSION &&
    m.shape === shape &&
    m.docs === docs &&
    m.seed === seed &&
    JSON.stringify(m.options) === JSON.stringify(options)
  )
    return { ...m, reused: true };
  return { ...(await generate({ shape, docs, out, seed, ids })), reused: false };
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--'))
      args[a.slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  }
  return args;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs(process.argv.slice(2));
  const shape = String(args.shape ?? 'cdp');
  if (!SHAPES[shape]) {
    console.error(`unknown --shape ${shape}; one of: ${Object.keys(SHAPES).join(', ')}`);
    process.exit(2);
  }
  const docs = Number(args.docs ?? 1000);
  const out = args.out ?? join(dirname(fileURLToPath(import.meta.url)), '.cache', `${shape}-${docs}`);
  const m = await generate({
    shape,
    docs,
    out,
    seed: Number(args.seed ?? 42),
    ids: args.ids === true ? true : undefined,
  });
  console.log(
    `${out}: ${m.shape}, ${m.docs} documents, ${(m.bytes / 1048576).toFixed(1)} MB (${Math.round(m.bytes / m.docs)} bytes on average), ${m.instances} workflows` +
      (m.otherFiles ? `, ${m.otherFiles} gate files` : '') +
      (m.missingArtifacts != null ? `, ${m.missingArtifacts} missing artifacts` : ''),
  );
}
