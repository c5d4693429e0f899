import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
    forbidden: /^(node:|vscode|\.\.\/(lsp|cli|node|features)\b|\.\.\/core\/(?!dashboard$))/,
    why: 'the dashboard renderer is pure: the view model in, HTML out (a webview reuses it)',
  },
  {
    dir: 'server/src/features',
    forbidden: /^(node:|vscode$|\.\.\/cli\b)/,
    why: 'features reach files only through the FeatureContext',
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

  it('protocol.ts depends on protocol types only', () => {
    const deps = imports(join(SRC, 'server/src/protocol.ts'));
    assert.deepEqual(deps, ['vscode-languageserver-protocol']);
  });
});
