import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { JsonReport } from '../../server/src/core/report';
import { tempDir } from '../helpers/files';
import { rng } from '../helpers/markdown-gen';
import { phaseDoc } from '../helpers/memory-workspace';
import { type TestClient, tempWorkspace, trackedServers, uriOf } from '../lsp/client';
import { runCli } from './corpus';

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;
type FileEvent = { uri: string; type: number };

const startOn = trackedServers();
const start = (root: string): Promise<TestClient> =>
  startOn([root], { settings: { cdp: { diagnostics: { debounceMs: 20 } } } });

/** One finding, the same way for the server and the CLI: `file:line:column code message`. */
type Finding = string;

function serverFindings(c: TestClient, root: string): Finding[] {
  const out: Finding[] = [];
  for (const [uri, ds] of c.diagnostics) {
    const file = relative(root, fileURLToPath(uri)).split('\\').join('/');
    for (const d of ds as Diagnostic[])
      out.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
  }
  return out.sort();
}

async function cliFindings(root: string): Promise<Finding[]> {
  const r = await runCli(['check', root, '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 1, `cdp check failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as JsonReport;
  return report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).sort();
}

/** Waits until the server's diagnostics equal a fresh `cdp check`, or fails with the difference. */
async function assertMatchesFreshCheck(c: TestClient, root: string): Promise<void> {
  const expected = await cliFindings(root);
  assert.ok(expected.length > 0, 'the folder has findings to compare');
  const same = () => {
    const got = serverFindings(c, root);
    return got.length === expected.length && got.every((f, i) => f === expected[i]);
  };
  try {
    await c.waitFor(same, 'the server to match a fresh cdp check', 20_000);
  } catch {
    const got = serverFindings(c, root);
    const missing = expected.filter((f) => !got.includes(f));
    const extra = got.filter((f) => !expected.includes(f));
    assert.fail(
      `server and fresh check differ by ${missing.length + extra.length} findings\nmissing:\n${missing.slice(0, 20).join('\n')}\nextra:\n${extra.slice(0, 20).join('\n')}`,
    );
  }
}

function send(c: TestClient, events: FileEvent[]): Promise<void> {
  return c.notify('workspace/didChangeWatchedFiles', { changes: events });
}

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox trot', '01-intake', '02-plan', 'notes'];

function documentText(rnd: () => number, name: string): string {
  const pick = () => NAMES[Math.floor(rnd() * NAMES.length)];
  const links = [`[[${pick()}]]`, `[[${pick()}#Exit Criteria]]`, `[[${pick()}.md]]`, '[[logo.png]]'];
  const body = `## Exit Criteria\n\n- [ ] one\n- [x] two\n-[ ] glued\n\nSee ${links.join(' and ')}.\n`;
  const m = /^(\d\d)-(\w+)$/.exec(name);
  if (m) return phaseDoc({ title: m[2], phase: m[1], name: m[2], next: pick(), body });
  return `# ${name} ${Math.floor(rnd() * 1000)}\n\n${body}`;
}

describe('file events', () => {
  it('a folder deleted with one event drops its documents; a folder moved in with one event is indexed', async () => {
    const root = tempWorkspace({
      'index.md': '# Index\n\nSee [[inner]] and [[moved]].\n',
      'gone/inner.md': '# Inner\n\n[[nowhere-inner]]\n',
    });
    const c = await start(root);
    const index = uriOf(join(root, 'index.md'));
    const inner = uriOf(join(root, 'gone/inner.md'));
    await c.waitForDiagnostics(inner, (d) => d.length === 1);
    await c.waitForDiagnostics(index, (d) => d.length === 1 && /moved/.test(d[0].message));

    rmSync(join(root, 'gone'), { recursive: true });
    await send(c, [{ uri: uriOf(join(root, 'gone')), type: DELETED }]);
    await c.waitForDiagnostics(inner, (d) => d.length === 0, 'cleared diagnostics');
    await c.waitForDiagnostics(index, (d) => d.length === 2, 'both links broken');

    // A folder prepared elsewhere and moved in: one Created event for the folder.
    const outside = tempDir('cdp-movein-');
    mkdirSync(join(outside, 'deep/er'), { recursive: true });
    writeFileSync(join(outside, 'deep/er/moved.md'), '# Moved\n\n[[nowhere-moved]]\n');
    writeFileSync(join(outside, 'deep/inner.md'), '# Inner again\n');
    renameSync(join(outside, 'deep'), join(root, 'deep'));
    await send(c, [{ uri: uriOf(join(root, 'deep')), type: CREATED }]);
    await c.waitForDiagnostics(uriOf(join(root, 'deep/er/moved.md')), (d) => d.length === 1);
    await c.waitForDiagnostics(index, (d) => d.length === 0, 'both links resolved');
    await assertMatchesFreshCheck(c, root);
  });

  it('a file deleted and re-created is kept, whatever order the events come in', async () => {
    const root = tempWorkspace({ 'a.md': '# A\n\n[[nowhere-a]]\n', 'b.md': '# B\n\n[[a]] [[c]]\n' });
    const c = await start(root);
    const a = uriOf(join(root, 'a.md'));
    const b = uriOf(join(root, 'b.md'));
    await c.waitForDiagnostics(b, (d) => d.length === 1);
    // Deleted and written again; the events arrive in one batch, the create first.
    writeFileSync(join(root, 'a.md'), '# A\n\n[[nowhere-a2]]\n');
    await send(c, [
      { uri: a, type: CREATED },
      { uri: a, type: DELETED },
    ]);
    await c.waitForDiagnostics(a, (d) => d.length === 1 && /nowhere-a2/.test(d[0].message));
    // The same in two notifications, the delete last.
    const cUri = uriOf(join(root, 'c.md'));
    writeFileSync(join(root, 'c.md'), '# C\n\n[[nowhere-c]]\n');
    await send(c, [{ uri: cUri, type: CREATED }]);
    await send(c, [{ uri: cUri, type: DELETED }]);
    await c.waitForDiagnostics(b, (d) => d.length === 0, 'both links resolved');
    await c.waitForDiagnostics(cUri, (d) => d.length === 1, 'c.md still indexed');
    await assertMatchesFreshCheck(c, root);
  });

  it('after random churn of files and folders, the server equals a fresh cdp check', async () => {
    const seed = Number(process.env.CDP_CHURN_SEED ?? 16);
    const rnd = rng(seed);
    const root = tempDir('cdp-churn-');
    const outside = tempDir('cdp-churn-out-');
    const folders = ['', 'a', 'b', 'b/c', 'd e'];
    for (const f of folders) mkdirSync(join(root, f), { recursive: true });
    for (let i = 0; i < 30; i++) {
      const name = NAMES[i % NAMES.length];
      const file = join(root, folders[i % folders.length], `${name}.md`);
      writeFileSync(file, documentText(rnd, name));
    }
    writeFileSync(join(root, 'a', 'logo.png'), 'png');
    const c = await start(root);
    await c.waitFor(() => c.diagnostics.size > 0, 'first diagnostics');

    const files = (): string[] => {
      const out: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out.push(p);
        }
      };
      walk(root);
      return out.sort();
    };
    const dirs = (): string[] => {
      const out: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true }))
          if (e.isDirectory()) {
            out.push(join(d, e.name));
            walk(join(d, e.name));
          }
      };
      walk(root);
      return out.sort();
    };
    const pickOf = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
    const anyFolder = () => pickOf([root, ...dirs()])!;
    const newName = () => `${pickOf(NAMES)}${rnd() < 0.3 ? `-${Math.floor(rnd() * 5)}` : ''}`;

    let pending: FileEvent[] = [];
    const ops = Number(process.env.CDP_CHURN_OPS ?? 300);
    for (let step = 0; step < ops; step++) {
      const r = rnd();
      const ev = (p: string, type: number) => pending.push({ uri: uriOf(p), type });
      if (r < 0.25) {
        // Create or overwrite a document.
        const p = join(anyFolder(), `${newName()}.md`);
        const existed = existsSync(p);
        writeFileSync(p, documentText(rnd, newName()));
        ev(p, existed ? CHANGED : CREATED);
      } else if (r < 0.4) {
        const p = pickOf(files());
        if (!p) continue;
        rmSync(p);
        ev(p, DELETED);
      } else if (r < 0.55) {
        // Rename a file (maybe into another folder): delete + create.
        const p = pickOf(files());
        if (!p) continue;
        const to = join(anyFolder(), `${newName()}${p.endsWith('.png') ? '.png' : '.md'}`);
        if (existsSync(to)) continue;
        renameSync(p, to);
        ev(p, DELETED);
        ev(to, CREATED);
      } else if (r < 0.65) {
        // Delete a file and write it again at once.
        const p = pickOf(files().filter((f) => f.endsWith('.md')));
        if (!p) continue;
        rmSync(p);
        writeFileSync(p, documentText(rnd, newName()));
        ev(p, DELETED);
        ev(p, CREATED);
      } else if (r < 0.72) {
        // Delete a folder: one event.
        const d = pickOf(dirs());
        if (!d) continue;
        rmSync(d, { recursive: true });
        ev(d, DELETED);
      } else if (r < 0.8) {
        // Move a folder: two events.
        const d = pickOf(dirs());
        if (!d) continue;
        const to = join(dirname(d), `moved-${step}`);
        renameSync(d, to);
        ev(d, DELETED);
        ev(to, CREATED);
      } else if (r < 0.88) {
        // A folder prepared outside, then moved in: one event.
        const staged = join(outside, `s${step}`);
        mkdirSync(join(staged, 'inner'), { recursive: true });
        for (let k = 0; k < 3; k++)
          writeFileSync(join(staged, k ? 'inner' : '', `${newName()}.md`), documentText(rnd, newName()));
        if (rnd() < 0.5) writeFileSync(join(staged, 'logo.png'), 'png');
        const to = join(anyFolder(), `in-${step}`);
        renameSync(staged, to);
        ev(to, CREATED);
      } else if (r < 0.95) {
        const p = pickOf(files().filter((f) => f.endsWith('.md')));
        if (!p) continue;
        writeFileSync(p, documentText(rnd, newName()));
        ev(p, CHANGED);
      } else {
        const p = join(anyFolder(), 'logo.png');
        if (existsSync(p)) {
          rmSync(p);
          ev(p, DELETED);
        } else {
          writeFileSync(p, 'png');
          ev(p, CREATED);
        }
      }
      // Flush now and then; sometimes the batch arrives shuffled.
      if (rnd() < 0.3) {
        if (rnd() < 0.3) pending.sort(() => rnd() - 0.5);
        await send(c, pending);
        pending = [];
      }
    }
    await send(c, pending);
    await assertMatchesFreshCheck(c, root);
    rmSync(outside, { recursive: true, force: true });
  });
});
