import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../helpers/cli';
import { tempDir } from '../helpers/files';

const root = join(__dirname, '..', '..');

describe('scripts/build.mjs', () => {
  it('fails, naming them, when entry points are missing (it skipped them silently)', () => {
    // A checkout with the build script and its dependencies, but without the client.
    const dir = tempDir('cdp-build-');
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(root, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      cpSync(join(root, 'server'), join(dir, 'server'), {
        recursive: true,
        filter: (src) => !src.includes('node_modules') && !src.includes(`${join('server', 'out')}`),
      });
      const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /entry point missing: client\/src\/extension\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parts of the bundles loaded on first use', () => {
  let out = '';
  const bundle = (f: string) => readFileSync(join(out, 'server', 'out', f), 'utf8');
  /** `cdp check --format json` of the built CLI; stderr says which lazy files were loaded. */
  const check = (ws: string, ...args: string[]) => {
    // Says at exit which of the lazily loaded files were loaded (the bundles load them with require).
    const probe = join(out, 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write(['remark.js', 'yaml.js', 're2js.js'].filter((f) => Object.keys(require.cache).some((k) => k.endsWith('/' + f))).join(' ') || 'none'));",
    );
    const r = spawnSync(
      process.execPath,
      ['--require', probe, join(out, 'server', 'out', 'cli.js'), 'check', ws, '--format', 'json', ...args],
      { encoding: 'utf8' },
    );
    // The workspaces here hold no phase document, which the command says first.
    return { ...r, stderr: r.stderr.replace(/^cdp: no phase documents in [^\n]*\n/, '') };
  };

  before(() => {
    out = tempDir('cdp-build-out-');
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--out-dir', out], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(b.status, 0, b.stderr);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('the remark reference parser is a file of its own, loaded only when `cdp.parser: "remark"` asks for it', () => {
    const ws = tempDir('cdp-build-ws-');
    try {
      // micromark is remark's tokenizer: its modules are in remark.js only (esbuild marks
      // each bundled module with its path; the scanner's comments may name micromark).
      const micromark = /node_modules\/micromark/;
      assert.match(bundle('remark.js'), micromark);
      assert.doesNotMatch(bundle('server.js'), micromark);
      assert.doesNotMatch(bundle('cli.js'), micromark);

      writeFileSync(join(ws, 'a.md'), '# A\n\n- [ ] one\n- [x] two\n\nSee [[missing]].\n');
      writeFileSync(join(ws, 'remark.json'), JSON.stringify({ 'cdp.parser': 'remark' }));
      const fast = check(ws);
      const remark = check(ws, '--config', join(ws, 'remark.json'));
      assert.equal(fast.stderr, 'none');
      assert.equal(remark.stderr, 'remark.js');
      assert.match(fast.stdout, /broken-link/);
      assert.equal(remark.stdout, fast.stdout);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('the YAML parser and the regex engine are files of their own, loaded when a workspace needs them, with the results of the sources', async () => {
    for (const [file, module] of [
      ['yaml.js', /node_modules\/yaml\//],
      ['re2js.js', /node_modules\/re2js\//],
    ] as const) {
      assert.match(bundle(file), module);
      assert.doesNotMatch(bundle('server.js'), module);
      assert.doesNotMatch(bundle('cli.js'), module);
    }
    const ws = tempDir('cdp-build-ws-');
    try {
      // Plain phase documents: neither is needed.
      mkdirSync(join(ws, 'plain'));
      writeFileSync(
        join(ws, 'plain', '01-diagnose.md'),
        '# Diagnose\n\n**Metadata:**\n- phase: 01\n- next_phase: [[02-prescribe]]\n\n## Exit Criteria\n\n- [ ] done\n',
      );
      const plain = check(join(ws, 'plain'));
      assert.equal(plain.stderr, 'none');
      assert.match(plain.stdout, /"diagnostics"/);

      // A phase folder whose gate file the fast reader reads, one it leaves to the YAML
      // parser (an alias), a grep check, and front matter only the YAML parser reads.
      const files: Record<string, string> = {
        '01-frame/README.md': '# Phase 01: Frame\n\nSee [design](../02-design/README.md).\n',
        '01-frame/GATE.yaml':
          'phase: frame\nexit_requirements:\n  automated:\n    - check: grep_absent\n      pattern: "TODO\\\\("\n      path: "docs/**/*.md"\n      description: no open todo\n    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n      description: prd\n  manual:\n    - "Stakeholders agree"\n',
        '01-frame/prd.md':
          '---\ntitle: &t PRD\nalso: *t\ntags: {a: [1, 2]}\n---\n# PRD\n\nTODO(me) write it\n',
        '02-design/README.md': '# Phase 02: Design\n\n## Entry Criteria\n\n- [ ] frame done\n',
        '02-design/exit-gates.yml':
          'base: &b\n  required: true\nexit_gates:\n  - criteria: Design reviewed\n    <<: *b\n    validation: manual\n',
      };
      for (const [rel, text] of Object.entries(files)) {
        const path = join(ws, 'helix', 'docs', 'helix', rel);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      const built = check(join(ws, 'helix'));
      assert.equal(built.stderr, 'yaml.js re2js.js');
      const fromSources = await run(['check', join(ws, 'helix'), '--format', 'json']);
      assert.equal(built.status, fromSources.code);
      const report = JSON.parse(built.stdout);
      assert.deepEqual(report, JSON.parse(fromSources.stdout));
      // what each part found is in the report: the grep check's match, the gate file
      // with an alias (read by the YAML parser)
      assert.match(built.stdout, /prd\.md matches \/TODO\\\\\(\//);
      assert.match(built.stdout, /"text": "Design reviewed"/);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
  it('a bundle folder that lost yaml.js says so in one line, on the gate files it could not read', () => {
    const copy = tempDir('cdp-build-copy-');
    const ws = tempDir('cdp-build-ws-');
    try {
      cpSync(join(out, 'server', 'out'), copy, { recursive: true });
      rmSync(join(copy, 'yaml.js'));
      mkdirSync(join(ws, '01-frame'));
      writeFileSync(join(ws, '01-frame', 'README.md'), '# Phase 01: Frame\n');
      writeFileSync(
        join(ws, '01-frame', 'GATE.yaml'),
        'exit_requirements:\n  manual:\n    - "Stakeholders agree"\n',
      );
      const r = spawnSync(process.execPath, [join(copy, 'cli.js'), 'check', ws], { encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      const said = `${r.stdout}${r.stderr}`;
      // The gate file's finding says why, and its phase cannot pass unread.
      assert.match(
        said,
        /GATE\.yaml:1:1 error invalid-gate-file Gate file GATE\.yaml cannot be read: the YAML parser \(.*yaml\.js\) is missing: keep the bundle's folder whole, or rebuild with "npm run build"\. Its phase cannot be complete/,
      );
      assert.equal(r.status, 1);
      assert.doesNotMatch(said, /Require stack/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
