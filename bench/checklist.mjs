#!/usr/bin/env node
// One phase document with a very long checklist, to see how checking a single document scales
// with its number of checklist items (linear would be 10× from 1,000 to 10,000 items).
//
//   node bench/checklist.mjs --items 10000 --out /tmp/list   → writes <out>/cycles/long/01-diagnose.md
//
// The document has the usual shape: title, metadata block, entry and exit criteria and gates
// under `## CDP Validation Requirements`; a tenth of the items are entry criteria, a tenth exit
// criteria, and the rest are spread over gates of 50 items. Every third item is unticked, so
// it is an unmet criterion; every seventh carries a wikilink to the next phase.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const WORDS =
  'audit baseline batch capture cohort confirm dashboard digest drift estimate evidence ledger metric panel quorum rollout sample signal threshold trace variance window'.split(
    ' ',
  );

function item(i) {
  const words = [];
  for (let k = 0; k < 8; k++) words.push(WORDS[(i * 7 + k * 13) % WORDS.length]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  const link = i % 7 === 0 ? ' (see [[02-prescribe]])' : '';
  return `- [${i % 3 === 0 ? ' ' : 'x'}] ${words.join(' ')} ${i}${link}`;
}

export function checklistDocument(items) {
  const entry = Math.floor(items / 10);
  const exit = Math.floor(items / 10);
  const lines = [
    '# Diagnose Phase',
    '',
    '---',
    'phase: "01"',
    'name: "Diagnose"',
    'next_phase: "[[02-prescribe]]"',
    '---',
    '',
    '## Overview',
    '',
    `A single phase document with ${items} checklist items.`,
    '',
    '## Entry Criteria',
    '',
  ];
  let n = 0;
  for (let i = 0; i < entry; i++) lines.push(item(n++));
  lines.push('', '## Exit Criteria', '');
  for (let i = 0; i < exit; i++) lines.push(item(n++));
  lines.push('', '## CDP Validation Requirements', '');
  for (let g = 0; n < items; g++) {
    lines.push(`### Gate ${g + 1}`, '');
    for (let i = 0; i < 50 && n < items; i++) lines.push(item(n++));
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the document under `out` and returns its path. */
export async function writeChecklist({ items, out }) {
  const dir = join(out, 'cycles', 'long');
  await mkdir(dir, { recursive: true });
  const file = join(dir, '01-diagnose.md');
  await writeFile(file, checklistDocument(items));
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const a = process.argv.slice(2);
  const get = (k, d) => (a.includes(k) ? a[a.indexOf(k) + 1] : d);
  const file = await writeChecklist({ items: Number(get('--items', 10000)), out: get('--out', 'checklist') });
  console.log(file);
}
