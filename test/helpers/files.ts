import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → content) under `root`, creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const made: string[] = [];
let cleanupHooked = false;

/** Removes the temporary folders this test process made when it exits. */
function removeAtExit(root: string): void {
  made.push(root);
  if (cleanupHooked) return;
  cleanupHooked = true;
  process.on('exit', () => {
    for (const dir of made) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // A folder a test made unreadable or still in use stays; nothing else depends on it.
      }
    }
  });
}

/** A new empty temporary folder whose name starts with `prefix`, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  removeAtExit(dir);
  return dir;
}

/** Writes files into a new temporary folder (removed when the test process exits) and returns its path. */
export function tempWorkspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'cdp-test-'));
  removeAtExit(root);
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
