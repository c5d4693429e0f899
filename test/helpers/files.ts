import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → content) under `root`, creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** Writes files into a new temporary folder and returns its path. */
export function tempWorkspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'cdp-test-'));
  writeFiles(root, files);
  return root;
}

/** Every file under `root` (relative path with `/` → text), for loading a folder into memory. */
export function readTree(root: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) Object.assign(out, readTree(root, r));
    else if (d.isFile()) out[r] = readFileSync(join(root, r), 'utf8');
  }
  return out;
}
