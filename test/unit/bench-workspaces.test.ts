// The benchmark's generated workspaces are what bench/README.md says they are: the same
// bytes for the same arguments, the "without" variants differ only in what their cost is
// about, and `cdp check` reads the helix shape as HELIX projects (seven phases, gate groups,
// no broken gate file), so the figures measured on them mean what the tables claim.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { run } from '../helpers/cli';
import { tempDir } from '../helpers/files';

type Manifest = { docs: number; bytes: number; instances: number; probe: string | null; otherFiles: number };
type GenerateModule = {
  generate(o: { shape: string; docs: number; out: string; seed?: number }): Promise<Manifest>;
};
type HelixModule = { plainLinks(text: string): string };

const root = join(__dirname, '..', '..');
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(root, file)).href)) as T;
const base = tempDir('cdp-bench-ws-');
after(() => rmSync(base, { recursive: true, force: true }));

/** Every file under `dir` (relative path → text), without the manifest. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || e.name === 'bench-workspace.json') continue;
    const p = join(e.parentPath ?? e.path, e.name);
    out.set(relative(dir, p), readFileSync(p, 'utf8'));
  }
  return out;
}

async function make(shape: string, docs: number, name = shape): Promise<{ dir: string; m: Manifest }> {
  const { generate } = await load<GenerateModule>('bench/generate.mjs');
  const dir = join(base, name);
  return { dir, m: await generate({ shape, docs, out: dir }) };
}

describe('benchmark workspaces', () => {
  it('generates the same bytes for the same arguments, in every shape', async () => {
    for (const shape of [
      'cdp',
      'cdp-ids',
      'small',
      'helix',
      'helix-plain',
      'helix-sparse',
      'helix-sparse-plain',
    ]) {
      const a = await make(shape, 150, `${shape}-a`);
      const b = await make(shape, 150, `${shape}-b`);
      assert.equal(a.m.docs, 150, shape);
      assert.deepEqual(tree(a.dir), tree(b.dir), shape);
      assert.ok(a.m.probe && tree(a.dir).has(a.m.probe), `${shape}: the probe document exists`);
    }
  });

  for (const [shape, docs, perGateFile] of [
    ['helix', 200, [2, 3]],
    ['helix-sparse', 400, [6, 9]],
  ] as const)
    it(`${shape}-plain is ${shape} without gate files and with markdown links as plain text`, async () => {
      const { plainLinks } = await load<HelixModule>('bench/shape-helix.mjs');
      const helix = tree((await make(shape, docs)).dir);
      const plain = tree((await make(`${shape}-plain`, docs)).dir);
      const md = (t: Map<string, string>) => [...t.keys()].filter((k) => k.endsWith('.md')).sort();
      assert.deepEqual(md(helix), md(plain));
      const gates = [...helix.keys()].filter((k) => /(GATE\.yaml|-gates\.yml)$/.test(k));
      assert.ok(gates.length >= 7 * 2, `gate files: ${gates.length}`);
      // Documents per gate file: what sets the two pairs apart.
      const ratio = md(helix).length / gates.length;
      assert.ok(
        ratio >= perGateFile[0] && ratio <= perGateFile[1],
        `${shape}: ${ratio} documents per gate file`,
      );
      assert.equal([...plain.keys()].filter((k) => !k.endsWith('.md')).length, 0);
      let links = 0;
      for (const k of md(helix)) {
        links += (helix.get(k)!.match(/\]\([^)]+\)/g) ?? []).length;
        assert.equal(plainLinks(helix.get(k)!), plain.get(k), k);
        assert.doesNotMatch(plain.get(k)!, /[^!\]]\[[^[\]\n]+\]\([^()\s]+\)/, k);
      }
      assert.ok(links > 200, `markdown links in helix: ${links}`);
    });

  it('cdp check reads the helix shape as projects of seven phases with gate groups', async () => {
    const { dir, m } = await make('helix', 120, 'helix-check');
    const r = await run(['check', dir, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const report = JSON.parse(r.stdout) as {
      workflows: { phases: { phase: string; groups: { heading: string }[] }[] }[];
      diagnostics: { code: string; file: string }[];
    };
    assert.equal(report.workflows.length, m.instances);
    for (const w of report.workflows.slice(0, -1)) {
      assert.deepEqual(
        w.phases.map((p) => p.phase),
        ['00', '01', '02', '03', '04', '05', '06'],
      );
      const headings = new Set(w.phases.flatMap((p) => p.groups.map((g) => g.heading)));
      for (const h of ['Entry Criteria', 'Input Gates', 'Entry Requirements', 'Exit Requirements'])
        assert.ok(headings.has(h), h);
    }
    const codes = new Set(report.diagnostics.map((d) => d.code));
    for (const bad of ['invalid-gate-file', 'invalid-frontmatter', 'duplicate-id', 'dependency-cycle'])
      assert.ok(!codes.has(bad), bad);
    assert.ok(codes.has('unmet-criterion') && codes.has('broken-link'));
  });

  it('small documents average about 2.5 KB and share their names across folders', async () => {
    const { dir, m } = await make('small', 600);
    const avg = m.bytes / m.docs;
    assert.ok(avg > 2000 && avg < 3000, `average ${avg}`);
    const names = new Map<string, number>();
    for (const k of tree(dir).keys()) {
      const n = k.split('/').pop()!;
      names.set(n, (names.get(n) ?? 0) + 1);
    }
    assert.ok((names.get('release-plan.md') ?? 0) >= 10, `release-plan.md ×${names.get('release-plan.md')}`);
    assert.ok(m.docs / m.instances > 20 && m.docs / m.instances < 35, `${m.docs / m.instances} per workflow`);
  });
});
