#!/usr/bin/env node

// "What the machine can do": walk the workspace, read every .md file (bounded concurrency)
// and scan its lines, counting headings and checklist items. No parsing beyond that, so this
// is the lower bound any checker of the same workspace has to pay.
//
//   node bench/floor.mjs DIR      → prints one JSON line {ms, files, chars, headings, tasks, peakRssKb}

import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** All .md files under `dir`, skipping dot-folders and node_modules. */
export async function listMarkdown(dir) {
  const out = [];
  const walk = async (d) => {
    const entries = await readdir(d, { withFileTypes: true });
    const subdirs = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) subdirs.push(walk(p));
      else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
    }
    await Promise.all(subdirs);
  };
  await walk(dir);
  return out.sort();
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Peak resident set size of this process in KB (Linux), or null. */
export function peakRssKb() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export async function floor(dir, { concurrency = 64 } = {}) {
  const t0 = performance.now();
  const files = await listMarkdown(dir);
  let chars = 0;
  let headings = 0;
  let tasks = 0;
  await mapLimit(files, concurrency, async (f) => {
    const text = await readFile(f, 'utf8');
    chars += text.length;
    for (const line of text.split(/\r\n|\r|\n/)) {
      if (line.startsWith('#')) headings++;
      else if (line.startsWith('- [')) tasks++;
    }
  });
  const ms = performance.now() - t0;
  return { ms, files: files.length, chars, headings, tasks };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/floor.mjs DIR');
    process.exit(2);
  }
  const r = await floor(dir);
  console.log(JSON.stringify({ ...r, peakRssKb: peakRssKb() }));
}
