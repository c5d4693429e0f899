import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = join(__dirname, '..', '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (n.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g,
    ),
  ].map((m) => m[1] ?? m[2]);
}

/**
 * The layering of ARCHITECTURE.md, checked on every import. `inside`: relative imports
 * must resolve to a file in the layer's own folder (at any depth).
 */
const LAYERS: { dir: string; forbidden: RegExp; inside?: boolean; why: string }[] = [
  {
    dir: 'server/src/core',
    forbidden: /^(node:|fs$|path$|vscode$|vscode-language)/,
    inside: true,
    why: 'the core is editor- and I/O-independent',
  },
  {
    dir: 'server/src/node',
    forbidden: /^(vscode|\.\.\/(lsp|cli|features)\b)/,
    why: 'disk access knows nothing of LSP',
  },
  {
    dir: 'server/src/cli',
    forbidden: /^(vscode|\.\.\/(lsp|features)\b)/,
    why: 'the CLI does not depend on LSP',
  },
  {
    dir: 'server/src/dashboard',
    forbidden:
      /^(node:|vscode|\.\.\/(lsp|cli|node|features)\b|\.\.\/core\/(?!(dashboard|phase-state|text)$))/,
    why: 'the dashboard renderer is pure: the view model in, HTML out (a webview reuses it)',
  },
  {
    dir: 'server/src/features',
    forbidden: /^(node:|vscode$|\.\.\/(cli|lsp|node)\b)/,
    why: 'features reach files and git only through the FeatureContext (their own folder), never lsp/ or node/',
  },
  {
    dir: 'server/src/lsp',
    forbidden: /^(vscode$|\.\.\/cli\b)/,
    why: 'the server does not depend on the CLI or the editor API',
  },
  {
    dir: 'client/src',
    forbidden: /\.\.\/\.\.\/server\/src\/(core|lsp|features|node|cli)\b/,
    why: 'the client talks to the server only through protocol.ts',
  },
];

describe('architecture', () => {
  for (const layer of LAYERS) {
    it(`${layer.dir}: ${layer.why}`, () => {
      const dir = join(SRC, layer.dir);
      let all: string[];
      try {
        all = files(dir);
      } catch {
        all = [];
      }
      if (layer.dir !== 'client/src') assert.ok(all.length > 0, `${layer.dir} has sources`);
      const root = join(SRC, layer.dir);
      const leaves = (f: string, i: string) =>
        layer.inside === true && i.startsWith('.') && relative(root, resolve(dirname(f), i)).startsWith('..');
      const bad = all.flatMap((f) =>
        imports(f)
          .filter((i) => layer.forbidden.test(i) || leaves(f, i))
          .map((i) => `${relative(SRC, f)} imports ${i}`),
      );
      assert.deepEqual(bad, []);
    });
  }

  it('the phase-state words the renderer (and so the client) takes import no other module', () => {
    // What the client bundles of the core: these modules and nothing they would pull in.
    assert.deepEqual(imports(join(SRC, 'server/src/core/phase-state.ts')), []);
    const render = imports(join(SRC, 'server/src/dashboard/render.ts')).filter(
      (i) => !i.startsWith('../core/dashboard'),
    );
    assert.deepEqual(render.sort(), ['../core/phase-state', '../core/phase-state', '../core/text']);
  });

  it('every import goes where the layer table of ARCHITECTURE.md lets it', () => {
    // Layers (folders) and packages each layer may import; relative imports are resolved,
    // so `../../lsp/x` from a subfolder counts as lsp too. Dynamic `import()` is counted.
    const ALLOWED: Record<string, { layers: string[]; packages: RegExp }> = {
      core: {
        layers: ['core'],
        packages:
          /^(yaml|re2js|unified|remark-[\w-]+|picomatch|vscode-uri|github-slugger|decode-named-character-reference)$/,
      },
      node: { layers: ['node', 'core'], packages: /^(node:.*|yaml|re2js|tsx\/cjs)$/ },
      cli: { layers: ['cli', 'core', 'node', 'dashboard'], packages: /^(node:.*|jsonc-parser)$/ },
      dashboard: { layers: ['dashboard', 'core'], packages: /^$/ },
      protocol: { layers: [], packages: /^vscode-languageserver-protocol$/ },
      features: {
        layers: ['features', 'core', 'protocol'],
        packages: /^vscode-languageserver(-textdocument)?$/,
      },
      lsp: {
        layers: ['lsp', 'core', 'node', 'protocol', 'features'],
        packages: /^(node:.*|vscode-languageserver(-textdocument|\/node)?|chokidar)$/,
      },
      client: {
        layers: ['client', 'protocol', 'dashboard'],
        packages:
          /^(node:.*|vscode|vscode-languageclient(\/node)?|vscode-languageserver-textdocument|markdown-it(\/.*)?)$/,
      },
    };
    const layerOf = (p: string) => {
      const r = relative(SRC, p).replace(/\\/g, '/');
      if (r.startsWith('client/src/')) return 'client';
      if (/^server\/src\/protocol(\.ts)?$/.test(r)) return 'protocol';
      return /^server\/src\/([^/]+)\//.exec(r)?.[1] ?? r;
    };
    const bad: string[] = [];
    for (const f of [...files(join(SRC, 'server/src')), ...files(join(SRC, 'client/src'))]) {
      const layer = layerOf(f);
      const allowed = ALLOWED[layer];
      assert.ok(allowed, `${relative(SRC, f)}: a layer of the table`);
      const text = readFileSync(f, 'utf8');
      for (const spec of [
        ...imports(f),
        ...[...text.matchAll(/\bimport\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]),
      ]) {
        const ok = spec.startsWith('.')
          ? allowed.layers.includes(layerOf(resolve(dirname(f), spec)))
          : allowed.packages.test(spec);
        if (!ok) bad.push(`${relative(SRC, f)} (${layer}) imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('protocol.ts depends on protocol types only', () => {
    const deps = imports(join(SRC, 'server/src/protocol.ts'));
    assert.deepEqual(deps, ['vscode-languageserver-protocol']);
  });

  it('server/src has no import cycles', () => {
    const cycles = importCycles(join(SRC, 'server/src'));
    assert.deepEqual(cycles, []);
  });

  it('the cycle check finds a cycle', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    assert.deepEqual(findCycles(graph), [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('server/src/core uses no Node globals (it is also compiled without Node types)', () => {
    const bad = files(join(SRC, 'server/src/core')).flatMap((f) =>
      /\b(setImmediate|process\.|Buffer\.|__dirname|require\()/.test(
        readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      )
        ? [relative(SRC, f)]
        : [],
    );
    assert.deepEqual(bad, []);
    const tsconfig = JSON.parse(readFileSync(join(SRC, 'server/tsconfig.core.json'), 'utf8'));
    assert.deepEqual(tsconfig.compilerOptions.types, []);
  });
});

/** The relative imports of every `.ts` file under `dir`, as a graph of absolute paths. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files(dir)) {
    const deps: string[] = [];
    for (const spec of imports(f)) {
      if (!spec.startsWith('.')) continue;
      const base = resolve(dirname(f), spec);
      const hit = [`${base}.ts`, join(base, 'index.ts'), base].find(
        (c) => c.endsWith('.ts') && existsSync(c),
      );
      if (hit) deps.push(hit);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** One cycle (closed: first = last) per back edge found by a depth-first walk. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const out: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    path.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') out.push([...path.slice(path.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    path.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return out;
}

function importCycles(dir: string): string[] {
  return findCycles(importGraph(dir)).map((c) => c.map((f) => relative(dir, f)).join(' → '));
}
