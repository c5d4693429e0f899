// The `small` workspace shape: many small documents, as in teams that keep one short note
// per artifact. About 2.5 KB per document on average, ≈29 documents per workflow (so about
// 345 workflows at 10,000 documents), and the same file names in every workflow folder:
// `release-plan.md`, `README.md`, `notes.md` … exist hundreds of times, so every bare
// `[[name]]` has hundreds of candidates and resolves by nearness. Per-document fixed costs
// (listing, reading, parsing, resolving) dominate such a workspace.
//
//   teams/<team>/README.md                       team overview; its bare links are ambiguous
//   teams/<team>/<project>/01-diagnose.md …      six CDP phase documents of 2.2–3.8 KB
//   teams/<team>/<project>/<artifact>.md         21–29 artifacts of 1.2–2.7 KB,
//   teams/<team>/<project>/artifacts/<name>.md   about a third of them one folder down

import { join } from 'node:path';
import {
  ADJ,
  AREAS,
  ARTIFACT_HEADINGS,
  ARTIFACTS,
  checklist,
  PHASES,
  paragraph,
  sentence,
  slug,
  title,
  VERBS,
  WORDS,
} from './text.mjs';

/** Artifact names: those of the cdp shape plus names every kind of folder has. */
const NAMES = [
  ...ARTIFACTS,
  'README',
  'notes',
  'status',
  'glossary',
  'risks',
  'faq',
  'timeline',
  'contacts',
  'changelog',
  'meeting-notes',
];

function smallArtifact(r, name, headings, siblings, phase) {
  const lines = [`# ${title(name)}`, '', paragraph(r, [`[[${phase}]]`]), ''];
  const target = r.int(1200, 2700);
  let size = lines.join('\n').length;
  for (let h = 0; size < target || h < headings.length; h++) {
    const heading = h < headings.length ? headings[h] : `${title(r.pick(WORDS))} Notes ${h}`;
    const extra = r.chance(0.4) ? [`[[${r.pick(siblings)}]]`] : [];
    const block = [`## ${heading}`, '', paragraph(r, extra), ''];
    if (r.chance(0.25)) block.push(checklist(r, r.int(2, 3), 0.5), '');
    lines.push(...block);
    size += block.join('\n').length + 1;
  }
  return lines.join('\n');
}

/** A short CDP phase document: metadata after the title, criteria, a gate, artifact links. */
function smallPhase(r, ctx, p) {
  const phase = PHASES[p];
  const prev = PHASES[p - 1];
  const next = PHASES[p + 1];
  const own = ctx.phaseArtifacts[p];
  const out = [`# ${phase.name} Phase`, '', '---', `phase: "0${p + 1}"`, `name: "${phase.name}"`];
  if (prev) out.push(`previous_phase: "[[${prev.file}]]"`);
  if (next) out.push(`next_phase: "[[${next.file}]]"`);
  out.push(`artifacts: [${own.map((a) => `"[[${a}]]"`).join(', ')}]`, '---', '');
  out.push('## Overview', '', paragraph(r, [`[[${own[0]}]]`]), '');
  // One item ticked and one not, at least: ticking or unticking one then changes exactly
  // one finding (the typing measurement relies on it).
  out.push('## Entry Criteria', '', checklist(r, r.int(2, 4), 0.6));
  out.push(`- [x] ${sentence(r).slice(0, -1)}`, `- [ ] ${sentence(r).slice(0, -1)}`, '');
  out.push('## Artifacts Produced', '');
  for (const a of own) {
    const hs = ctx.headings.get(a);
    const form = r.int(0, 3);
    const path = ctx.paths.get(a) ?? `${a}.md`;
    if (form === 0) out.push(`- [[${a}]] - ${sentence(r).slice(0, -1)}`);
    else if (form === 1) out.push(`- [[${a}#${r.pick(hs)}]]`);
    else if (form === 2) out.push(`- [${title(a)}](${path})`);
    else out.push(`- [${title(a)}](${path}#${slug(r.pick(hs))})`);
  }
  out.push('');
  const a = own.find((x) => ctx.paths.has(x)) ?? own[0];
  out.push(
    '## Notes',
    '',
    `${sentence(r)} See [[#Exit Criteria]] and [[${a}#${ctx.headings.get(a)[0]}]].`,
    '',
  );
  out.push('## Exit Criteria', '', checklist(r, r.int(3, 6), 0.4), '');
  out.push(`### ${title(r.pick(ADJ))} ${title(r.pick(WORDS))} Gate`, '', checklist(r, r.int(2, 4), 0.5), '');
  const target = r.int(2200, 3800);
  let size = out.join('\n').length;
  for (let k = 0; size < target; k++) {
    const block = [`## ${title(r.pick(VERBS))} ${title(r.pick(WORDS))} ${k}`, '', paragraph(r), ''];
    out.push(...block);
    size += block.join('\n').length + 1;
  }
  if (r.chance(0.2)) out.push(`The [[${r.pick(own)}#Retired Section]] moved.`, '');
  if (next) out.push('## Next Phase', '', `Proceed to [[${next.file}|${next.name}]].`, '');
  return out.join('\n');
}

/** Writes the small shape through `w` (bench/generate.mjs Writer) until `docs` documents. */
export async function smallShape(w, r, docs) {
  let workflows = 0;
  let missing = 0;
  const teams = AREAS.map((t) => ({ name: t, projects: [] }));
  for (let i = 0; w.count < docs; i++) {
    const team = teams[i % teams.length];
    // Every team has its overview document, written with its first project.
    if (team.projects.length === 0 && w.count < docs) {
      const lines = [`# ${title(team.name)} Team`, '', paragraph(r), '', '## Current Work', ''];
      // Bare names that every project of the team has: equally near, so ambiguous.
      for (const n of r.sample(['release-plan', 'README', 'notes', 'status'], 2))
        lines.push(`- [[${n}]] - ${sentence(r).slice(0, -1)}`);
      lines.push('');
      await w.doc(join('teams', team.name, 'README.md'), lines.join('\n'));
    }
    const project = `${String(i).padStart(4, '0')}-${r.pick(WORDS)}-${r.pick(WORDS)}`;
    team.projects.push(project);
    const dir = join('teams', team.name, project);
    const all = r.sample(NAMES, r.int(21, 29));
    const existing = all.filter(() => r.chance(0.92));
    const paths = new Map(existing.map((a) => [a, r.chance(0.33) ? `artifacts/${a}.md` : `${a}.md`]));
    const headings = new Map(all.map((a) => [a, r.sample(ARTIFACT_HEADINGS, r.int(2, 4))]));
    const phaseArtifacts = PHASES.map(() => r.sample(all, r.int(2, 4)));
    const phaseOf = new Map();
    phaseArtifacts.forEach((list, p) => {
      for (const a of list) if (!phaseOf.has(a)) phaseOf.set(a, PHASES[p].file);
    });
    const ctx = { phaseArtifacts, paths, headings };
    workflows++;
    missing += all.length - existing.length;
    for (let p = 0; p < 6 && w.count < docs; p++) {
      const rel = join(dir, `${PHASES[p].file}.md`);
      const text = await w.doc(rel, smallPhase(r, ctx, p));
      if (p === 4) w.offerProbe(rel, text);
    }
    for (const a of existing) {
      if (w.count >= docs) break;
      const text = smallArtifact(r, a, headings.get(a), existing, phaseOf.get(a) ?? PHASES[0].file);
      await w.doc(join(dir, paths.get(a)), text);
    }
  }
  return { instances: workflows, missingArtifacts: missing };
}
