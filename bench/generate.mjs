#!/usr/bin/env node
// Deterministic generator of synthetic CDP workspaces for the benchmark.
//
//   node bench/generate.mjs --docs 1000 --out DIR [--seed 42] [--ids]
//
// With --ids every document also carries a DDX block (`ddx:` with an `id` and 3–5
// `depends_on` entries naming earlier documents, so the graph has no cycle): inside the
// phase documents' metadata block, as front matter of the artifacts. The ids come from
// their own seeded generator, so the rest of the workspace is byte for byte the same.
//
// A workspace holds many workflow instances (`cycles/2024-q3-payments-007/`), each with
// the six phase documents `01-diagnose.md` … `06-follow-up.md` (8–15 KB, title line,
// then a `---` metadata block, criteria checklists, gates, readiness checklists,
// artifact link lists, fenced code, tables) and artifact documents of 1–4 KB next to
// them. Some artifacts are deliberately missing and some links point at headings that
// do not exist, so every checker has real findings to report. Besides `[[wikilinks]]`
// the documents carry ordinary `[text](other.md#heading)` links so checkers that do
// not know wikilinks still have link-checking work.
//
// Everything derives from the seed: the same arguments always produce the same bytes.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump whenever the output for the same arguments changes (cached workspaces are rebuilt). */
export const GENERATOR_VERSION = 5;
export const MANIFEST = 'bench-workspace.json';

// ---------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers.

function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  const sample = (arr, n) => {
    const copy = arr.slice();
    const out = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
    return out;
  };
  return { next, int, pick, chance, sample };
}

// ---------------------------------------------------------------------------------------
// Vocabulary (written for this benchmark).

const PHASES = [
  { file: '01-diagnose', name: 'Diagnose', noun: 'finding' },
  { file: '02-prescribe', name: 'Prescribe', noun: 'remedy' },
  { file: '03-treat', name: 'Treat', noun: 'change' },
  { file: '04-monitor', name: 'Monitor', noun: 'signal' },
  { file: '05-release', name: 'Release', noun: 'rollout' },
  { file: '06-follow-up', name: 'Follow-up', noun: 'lesson' },
];

const AREAS = [
  'payments',
  'onboarding',
  'billing',
  'search',
  'checkout',
  'ledger',
  'identity',
  'reporting',
  'notifications',
  'catalog',
  'scheduling',
  'inventory',
  'messaging',
  'analytics',
  'exports',
  'permissions',
  'pricing',
  'shipping',
  'support-desk',
  'audit-trail',
];

const ARTIFACTS = [
  'symptom-log',
  'problem-statement',
  'baseline-metrics',
  'impact-map',
  'remedy-options',
  'decision-record',
  'acceptance-thresholds',
  'change-outline',
  'test-matrix',
  'review-notes',
  'signal-dashboard',
  'alert-rules',
  'release-plan',
  'rollout-steps',
  'rollback-plan',
  'release-notes',
  'outcome-review',
  'lessons-learned',
  'follow-up-backlog',
  'risk-register',
];

const ARTIFACT_HEADINGS = [
  'Scope',
  'Owners',
  'Assumptions',
  'Measurements',
  'Open Questions',
  'Rollback Steps',
  'Acceptance Thresholds',
  'Timeline',
  'Dependencies',
  'Sign-off',
];

const GATES = [
  'Evidence Quality Gate',
  'Scope Agreement Gate',
  'Safety Review Gate',
  'Readiness Gate',
  'Stakeholder Sign-off Gate',
  'Signal Integrity Gate',
  'Rollback Drill Gate',
];

const WORDS = (
  'baseline cohort signal threshold owner review rollout remedy finding measure impact ' +
  'workload latency backlog sample dashboard incident budget estimate constraint outcome ' +
  'variance drift deadline handoff runbook checkpoint escalation tolerance dependency ' +
  'pipeline release schedule capacity ticket trace evidence exposure window metric panel ' +
  'agreement scope stage cadence retro batch queue digest ledger archive audit quorum'
).split(' ');
const VERBS = (
  'record confirm compare agree publish measure verify document schedule rehearse retire ' +
  'review capture estimate isolate tighten reconcile announce approve track stage'
).split(' ');
const ADJ = (
  'measurable agreed visible stable narrow early shared written repeatable quiet reversible ' +
  'critical minor noisy slow partial steady explicit'
).split(' ');
const TAGS = ['cdp', 'workflow', 'phase', 'cycle', 'quality', 'evidence', 'rollout', 'review'];
const LANGS = ['bash', 'yaml', 'json', 'text'];

function sentence(r, extra = []) {
  const n = r.int(8, 18);
  const words = [];
  for (let i = 0; i < n; i++) {
    const k = r.next();
    words.push(k < 0.2 ? r.pick(VERBS) : k < 0.35 ? r.pick(ADJ) : r.pick(WORDS));
  }
  for (const e of extra) words.splice(r.int(1, words.length - 1), 0, e);
  const s = words.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

function paragraph(r, extra = []) {
  const n = r.int(2, 5);
  const out = [];
  for (let i = 0; i < n; i++) out.push(sentence(r, i === 0 ? extra : []));
  return out.join(' ');
}

function title(s) {
  return s
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function slug(heading) {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

function checklist(r, n, pChecked) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const box = r.chance(pChecked) ? 'x' : ' ';
    out.push(`- [${box}] ${sentence(r).slice(0, -1)}`);
  }
  return out.join('\n');
}

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
// Workspace.

/**
 * Generate a workspace. Returns `{ docs, bytes, instances, missingArtifacts }`.
 * The directory is wiped first.
 */
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

export async function generate({ docs = 1000, out, seed = 42, ids: withIds = false } = {}) {
  if (!out) throw new Error('generate: `out` is required');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const r = prng(seed);

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

  let count = 0;
  let bytes = 0;
  let missing = 0;
  const idRandom = prng(seed + 1);
  const write = async (path, text) => {
    if (withIds) text = withDdx(idRandom, count, text);
    await writeFile(path, text);
    count++;
    bytes += Buffer.byteLength(text);
  };
  for (let i = 0; i < plans.length && count < docs; i++) {
    const plan = plans[i];
    const dir = join(out, 'cycles', plan.id);
    await mkdir(dir, { recursive: true });
    const ctx = { ...plan, neighbour: i > 0 ? ids[i - 1] : ids[1] };
    const batch = [];
    for (let p = 0; p < 6 && count + batch.length < docs; p++) {
      batch.push([join(dir, `${PHASES[p].file}.md`), phaseDoc(r, ctx, p)]);
    }
    for (const a of plan.existing) {
      if (count + batch.length >= docs) break;
      batch.push([join(dir, `${a}.md`), artifactDoc(r, a, plan.headings.get(a))]);
    }
    missing += plan.allArtifacts.length - plan.existing.length;
    for (const [path, text] of batch) await write(path, text);
  }

  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    docs: count,
    seed,
    ids: withIds,
    bytes,
    instances: plans.length,
    missingArtifacts: missing,
  };
  await writeFile(join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
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
export async function ensureWorkspace({ docs, out, seed = 42, ids = false }) {
  const m = await readManifest(out);
  if (m && m.generatorVersion === GENERATOR_VERSION && m.docs === docs && m.seed === seed && !!m.ids === ids)
    return { ...m, reused: true };
  return { ...(await generate({ docs, out, seed, ids })), reused: false };
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
  const out = args.out ?? join(dirname(fileURLToPath(import.meta.url)), '.cache', `ws-${args.docs ?? 1000}`);
  const m = await generate({
    docs: Number(args.docs ?? 1000),
    out,
    seed: Number(args.seed ?? 42),
    ids: args.ids === true,
  });
  console.log(
    `${out}: ${m.docs} documents, ${(m.bytes / 1048576).toFixed(1)} MB, ${m.instances} instances, ${m.missingArtifacts} missing artifacts`,
  );
}
