import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { Analysis } from '../../server/src/core/analysis';
import { defaultConfig } from '../../server/src/core/config';
import { phaseStates } from '../../server/src/core/dashboard';
import { applyEdits, checkboxEdits } from '../../server/src/core/edits';
import { selectGroups, verdict } from '../../server/src/core/gate';
import { filesFor, inOtherCase, isGateItem } from '../../server/src/core/gates/evaluate';
import { loadGateInputs } from '../../server/src/core/gates/inputs';
import { KNOWN_CHECKS, nearMiss, parseGateFile } from '../../server/src/core/gates/parse';
import {
  freeAnswers,
  grepText,
  keepSearches,
  MAX_SEARCH_CHARS,
  MAX_SEARCH_STEPS,
  searchFile,
  searchText,
} from '../../server/src/core/gates/regex';
import { GateStore } from '../../server/src/core/gates/store';
import type { DocEntry, WorkspaceIndex } from '../../server/src/core/index';
import { loadWorkspace } from '../../server/src/core/load';
import { parseDocument } from '../../server/src/core/parse/document';
import { basename, fileUri, relativePath } from '../../server/src/core/paths';
import { workflowJson } from '../../server/src/core/report';
import { compileSafeRegex } from '../../server/src/core/safe-regex';
import { currentPhase, phaseProgress } from '../../server/src/core/workflow';
import { NodeFsWorkspace } from '../../server/src/node/fs-workspace';
import { poolLoader } from '../../server/src/node/parse-pool';
import { tempDir } from '../helpers/files';
import { type Checked, check, MemoryWorkspace, ROOT } from '../helpers/memory-workspace';

const rel = (uri: string) => relativePath(ROOT, uri) ?? uri;

/** A phase folder README with no metadata, as HELIX writes them. */
const readme = (n: string, name: string) => `# Phase ${n}: ${name}\n\nWhat happens in ${name}.\n`;

/** A GATE.yaml with one exit check (and a manual item). */
const gate = (checks: string, manual: string[] = []) =>
  `phase: x\nexit_requirements:\n  automated:\n${checks}\n  manual:\n${manual.map((m) => `    - "${m}"`).join('\n') || '    []'}\n`;

const phaseOf = (c: Checked, dir: string): DocEntry => {
  for (const w of c.analysis.workflows()) for (const p of w.phases) if (p.dir === dir) return p;
  throw new Error(`no phase in ${dir}`);
};

/** The gate items of a phase as `state text (reason)` strings. */
const items = (c: Checked, dir: string): string[] =>
  phaseOf(c, dir)
    .groups.filter((g) => g.file !== undefined)
    .flatMap((g) => g.items)
    .map((i) => (isGateItem(i) ? `${i.state} ${i.text}${i.reason ? ` (${i.reason})` : ''}` : `? ${i.text}`));

/** One check in a one-phase workspace, with extra files; returns the item's state line. */
async function one(checkYaml: string, files: Record<string, string> = {}): Promise<string> {
  const c = await check({
    'p/01-a/README.md': readme('01', 'A'),
    'p/01-a/GATE.yaml': gate(checkYaml),
    ...files,
  });
  const list = items(c, 'p/01-a');
  assert.equal(list.length, 1, list.join('\n'));
  return list[0];
}

describe('gate files: each declarative check passing and failing', () => {
  it('file_exists: the path, or any fallback path', async () => {
    const yaml =
      '    - check: file_exists\n      path: docs/plan.md\n      fallback_paths: [docs/alt.txt]\n      description: plan';
    assert.equal(await one(yaml), 'failed plan (docs/plan.md or docs/alt.txt does not exist)');
    assert.equal(await one(yaml, { 'docs/plan.md': '# Plan\n' }), 'passed plan');
    assert.equal(await one(yaml, { 'docs/alt.txt': 'x' }), 'passed plan');
    // A fallback that repeats the path (a copied definition's, rewired) is named once.
    const twice =
      '    - check: file_exists\n      path: docs/plan.md\n      fallback_paths: [docs/plan.md, docs/alt.txt, docs/alt.txt]\n      description: plan';
    assert.equal(await one(twice), 'failed plan (docs/plan.md or docs/alt.txt does not exist)');
  });

  it('a path written composed finds a file or folder named decomposed (macOS), and the other way round', async () => {
    const nfd = 'docs/U\u0308bersicht.md';
    const yaml = (path: string) => `    - check: file_exists\n      path: "${path}"\n      description: plan`;
    assert.equal(await one(yaml('docs/Übersicht.md'), { [nfd]: '# Übersicht\n\n## Ziele\n' }), 'passed plan');
    assert.equal(await one(yaml(nfd), { 'docs/Übersicht.md': '# Übersicht\n' }), 'passed plan');
    const folder = '    - check: dir_not_empty\n      path: docs/Entwürfe\n      description: drafts';
    assert.equal(await one(folder, { 'docs/Entwu\u0308rfe/a.md': '# A\n' }), 'passed drafts');
    const glob = '    - check: file_exists\n      path: docs/Über/*.md\n      description: any';
    assert.equal(await one(glob, { 'docs/U\u0308ber/Gro\u0308\u00dfe.md': '# G\n' }), 'passed any');
    const files = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': 'exit_gates:\n  - criteria: Goals\n    evidence: docs/Übersicht.md#ziele\n',
      [nfd]: '# Übersicht\n\n## Ziele\n',
    };
    assert.deepEqual(items(await check(files), 'p/01-a'), ['passed Goals']);
  });

  it('file_exists and evidence naming a folder with no file say it may be an empty folder', async () => {
    const folder = '    - check: file_exists\n      path: docs/interviews\n      description: notes';
    assert.equal(await one(folder), 'failed notes (docs/interviews does not exist or is an empty folder)');
    assert.equal(await one(folder, { 'docs/interviews/a.md': '# A\n' }), 'passed notes');
    const files = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': 'exit_gates:\n  - criteria: Interviews\n    evidence: docs/interviews/\n',
    };
    assert.deepEqual(items(await check(files), 'p/01-a'), [
      'failed Interviews (docs/interviews/ does not exist or is an empty folder)',
    ]);
  });

  it('file_exists: a document or file named through `//` and `./`; in other letter case it fails and says so', async () => {
    const files = { 'docs/Plan.md': '# Plan\n', 'docs/data.CSV': 'x' };
    const yaml = (path: string) => `    - check: file_exists\n      path: "${path}"\n      description: plan`;
    for (const path of [
      'docs/Plan.md',
      'docs//Plan.md',
      'docs/./Plan.md',
      './docs/Plan.md',
      'docs\\\\Plan.md',
    ])
      assert.equal(await one(yaml(path), files), 'passed plan', path);
    const note = (onDisk: string) =>
      `(only ${onDisk}, in other letter case: Linux CI and GitHub do not find it)`;
    for (const [path, onDisk] of [
      ['docs/plan.md', 'docs/Plan.md'],
      ['DOCS/PLAN.MD', 'docs/Plan.md'],
      ['docs//plan.md', 'docs/Plan.md'],
      ['docs/DATA.csv', 'docs/data.CSV'],
    ])
      assert.equal(
        await one(yaml(path), files),
        `failed plan (${path} does not exist ${note(onDisk)})`,
        path,
      );
    // fallback_paths too; each path in other case is named once
    const fallback =
      '    - check: file_exists\n      path: docs/plan.md\n      fallback_paths: [docs/PLAN.md, docs/other.md]\n      description: plan';
    assert.equal(
      await one(fallback, files),
      `failed plan (docs/plan.md or docs/PLAN.md or docs/other.md does not exist ${note('docs/Plan.md')})`,
    );
    const missing = '    - check: file_exists\n      path: docs/plans.md\n      description: plan';
    // (a slip away from a file beside it, letter case aside: that one is named)
    assert.equal(
      await one(missing, files),
      'failed plan (docs/plans.md does not exist (did you mean docs/Plan.md?))',
    );
    assert.equal(
      await one(missing.replace('plans.md', 'roadmap.md'), files),
      'failed plan (docs/roadmap.md does not exist)',
    );
  });

  it('every path check fails on a file, folder or glob that matches only in other letter case, and names it', async () => {
    const files = {
      'docs/helix/03-test/test-plan.md': '# Test plan\n\nCoverage: 80%.\n\n## Risks\n',
      'docs/helix/03-test/notes.txt': 'TODO\n',
    };
    const note = (onDisk: string) =>
      `(only ${onDisk}, in other letter case: Linux CI and GitHub do not find it)`;
    const cases: [string, string][] = [
      [
        'check: file_exists\n      path: docs/helix/03-test/Test-Plan.md',
        `docs/helix/03-test/Test-Plan.md does not exist ${note('docs/helix/03-test/test-plan.md')}`,
      ],
      [
        'check: grep_present\n      pattern: Coverage\n      path: docs/helix/03-TEST/test-plan.md',
        `docs/helix/03-TEST/test-plan.md does not exist ${note('docs/helix/03-test/test-plan.md')}`,
      ],
      [
        'check: grep_absent\n      pattern: TODO\n      path: docs/helix/03-test/NOTES.txt',
        `docs/helix/03-test/NOTES.txt does not exist ${note('docs/helix/03-test/notes.txt')}`,
      ],
      [
        'check: dir_not_empty\n      path: DOCS/helix/03-test',
        `DOCS/helix/03-test is empty or missing ${note('docs/helix/03-test')}`,
      ],
      ['check: tests_exist\n      path: docs/Helix/', `no tests in docs/Helix/ ${note('docs/helix')}`],
      [
        'check: file_exists\n      path: docs/helix/*/TEST-*.md',
        'docs/helix/*/TEST-*.md matches nothing (in other letter case it would match 1 file: docs/helix/03-test/test-plan.md; Linux CI and GitHub do not find it)',
      ],
    ];
    for (const [yaml, reason] of cases)
      assert.equal(await one(`    - ${yaml}\n      description: d`, files), `failed d (${reason})`, yaml);
    // As written, each passes.
    for (const yaml of [
      'check: file_exists\n      path: docs/helix/03-test/test-plan.md',
      'check: dir_not_empty\n      path: docs/helix/03-test',
      'check: file_exists\n      path: docs/helix/*/test-*.md',
    ])
      assert.equal(await one(`    - ${yaml}\n      description: d`, files), 'passed d', yaml);
    // evidence, with or without an anchor
    for (const evidence of ['docs/helix/03-test/Test-Plan.md', 'docs/helix/03-test/Test-Plan.md#risks']) {
      const c = await check({
        ...files,
        'p/01-a/README.md': readme('01', 'A'),
        'p/01-a/exit-gates.yml': `exit_gates:\n  - criteria: planned\n    evidence: ${evidence}\n`,
      });
      assert.deepEqual(
        items(c, 'p/01-a'),
        [
          `failed planned (docs/helix/03-test/Test-Plan.md does not exist ${note('docs/helix/03-test/test-plan.md')})`,
        ],
        evidence,
      );
    }
  });

  it('a glob that matches only in other letter case says how many files it would match, and names the first few', async () => {
    const files = {
      'docs/helix/01-frame/README.md': '# Frame\n\nScope.\n',
      'docs/helix/01-frame/prd.md': '# PRD\n\nScope.\n',
      'docs/helix/02-design/a.md': '# A\n',
      'docs/helix/02-design/b.md': '# B\n',
      'docs/helix/02-design/c.md': '# C\n',
      'docs/helix/02-design/d.md': '# D\n',
      'docs/helix/02-design/e.md': '# E\n',
    };
    const cases: [string, string][] = [
      [
        'check: grep_present\n      pattern: Scope\n      path: docs/helix/01-frame/*.MD',
        'docs/helix/01-frame/*.MD matches nothing (in other letter case it would match 2 files: docs/helix/01-frame/README.md, docs/helix/01-frame/prd.md; Linux CI and GitHub do not find them)',
      ],
      [
        'check: file_exists\n      path: docs/helix/02-design/*.MD',
        'docs/helix/02-design/*.MD matches nothing (in other letter case it would match 5 files: docs/helix/02-design/a.md, docs/helix/02-design/b.md, docs/helix/02-design/c.md, and 2 more; Linux CI and GitHub do not find them)',
      ],
      // Beside a path written out: each named, the glob by its pattern.
      [
        'check: file_exists\n      path: docs/helix/01-frame/PRD.md\n      fallback_paths: [docs/helix/01-FRAME/*.md]',
        'docs/helix/01-frame/PRD.md or docs/helix/01-FRAME/*.md does not exist (only docs/helix/01-frame/prd.md, in other letter case; docs/helix/01-FRAME/*.md would match 2 files in other letter case: docs/helix/01-frame/README.md, docs/helix/01-frame/prd.md; Linux CI and GitHub do not find them)',
      ],
      // A path written out keeps its note.
      [
        'check: file_exists\n      path: docs/helix/01-frame/PRD.md',
        'docs/helix/01-frame/PRD.md does not exist (only docs/helix/01-frame/prd.md, in other letter case: Linux CI and GitHub do not find it)',
      ],
    ];
    for (const [yaml, reason] of cases)
      assert.equal(await one(`    - ${yaml}\n      description: d`, files), `failed d (${reason})`, yaml);
  });

  it('a path outside the workspace folder or climbing with `..` is not evaluated, and says why', async () => {
    const files = { 'docs/a.md': '# A\n', 'outside.md': 'x' };
    const checkYaml = (type: string, path: string, extra = '') =>
      `    - check: ${type}\n      path: "${path}"\n${extra}      description: d`;
    for (const path of ['../outside.md', '/../outside.md', '..\\\\x.md', 'C:/x.md', '..']) {
      assert.equal(
        await one(checkYaml('file_exists', path), files),
        `not-evaluated d (${path.replace(/\\\\/g, '\\')} is outside the workspace folder (gate paths are relative to it))`,
        path,
      );
    }
    // Inside, but `..` is not taken back (through a symlinked folder it leads elsewhere).
    assert.equal(
      await one(checkYaml('grep_absent', 'docs/x/../a.md', '      pattern: A\n'), files),
      'not-evaluated d (docs/x/../a.md: a gate path names files below the workspace folder, without `..`)',
    );
    // One usable path among them: the others are only alternatives that find nothing.
    const either = checkYaml('file_exists', '../outside.md', '      fallback_paths: [docs/a.md]\n');
    assert.equal(await one(either, files), 'passed d');
    // Evidence paths too.
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml':
        'exit_gates:\n  - criteria: Shared notes\n    evidence: ../notes/shared.md#scope\n',
      ...files,
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'not-evaluated Shared notes (../notes/shared.md is outside the workspace folder (gate paths are relative to it))',
    ]);
  });

  it('a path starting with `/` names the workspace folder from its root, as a markdown link does', async () => {
    const files = { 'docs/helix/01-frame/prd.md': '# PRD\n\n## Users\n' };
    const checkYaml = (type: string, path: string, extra = '') =>
      `    - check: ${type}\n      path: "${path}"\n${extra}      description: d`;
    assert.equal(await one(checkYaml('file_exists', '/docs/helix/01-frame/prd.md'), files), 'passed d');
    assert.equal(
      await one(checkYaml('grep_present', '/docs/helix/**', '      pattern: Users\n'), files),
      'passed d',
    );
    assert.equal(await one(checkYaml('dir_not_empty', '/docs/helix/01-frame/'), files), 'passed d');
    assert.equal(
      await one(checkYaml('file_exists', '/docs/helix/01-frame/plan.md'), files),
      'failed d (/docs/helix/01-frame/plan.md does not exist)',
    );
    // `/` alone is the root, as before.
    assert.equal(await one(checkYaml('grep_present', '/', '      pattern: Users\n'), files), 'passed d');
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml':
        'exit_gates:\n  - criteria: Users\n    evidence: /docs/helix/01-frame/prd.md#users\n',
      ...files,
    });
    assert.deepEqual(items(c, 'p/01-a'), ['passed Users']);
  });

  it("file_exists: a document of a workspace folder nested in the gate file's folder", async () => {
    // The inner folder's documents belong to it, and a path through it names them still.
    const inner = `${ROOT}/inner`;
    const files = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/GATE.yaml': gate(
        '    - check: file_exists\n      path: inner/docs/plan.md\n      description: plan',
      ),
      'inner/docs/plan.md': '# Plan\n',
    };
    const ws = new MemoryWorkspace(files, [ROOT, inner]);
    const { index } = await loadWorkspace(ws, defaultConfig());
    const analysis = new Analysis(index);
    const phase = analysis
      .workflows()
      .flatMap((w) => w.phases)
      .find((p) => p.dir === 'p/01-a');
    assert.ok(phase);
    const states = phase.groups
      .flatMap((g) => g.items)
      .filter(isGateItem)
      .map((i) => `${i.state} ${i.text}`);
    assert.deepEqual(states, ['passed plan']);
  });

  it('file_exists with a glob', async () => {
    const yaml = '    - check: file_exists\n      path: "src/**/*.ts"\n      description: code';
    assert.equal(await one(yaml, { 'src/a.js': '' }), 'failed code (src/**/*.ts does not exist)');
    assert.equal(await one(yaml, { 'src/deep/a.ts': '' }), 'passed code');
  });

  it('dir_not_empty and tests_exist: a file at any depth', async () => {
    const dir = '    - check: dir_not_empty\n      path: docs/stories/\n      description: stories';
    assert.equal(await one(dir), 'failed stories (docs/stories/ is empty or missing)');
    assert.equal(await one(dir, { 'docs/stories/x/us-1.md': '# US 1\n' }), 'passed stories');
    const tests = '    - check: tests_exist\n      path: tests\n      description: tests';
    assert.equal(await one(tests), 'failed tests (no tests in tests)');
    assert.equal(await one(tests, { 'tests/unit/a.test.js': '' }), 'passed tests');
    // A file is no folder: dir_not_empty fails on it and says so; tests_exist takes a test file.
    const onFile = '    - check: dir_not_empty\n      path: docs/stories.md\n      description: stories';
    assert.equal(
      await one(onFile, { 'docs/stories.md': '# S\n' }),
      'failed stories (docs/stories.md is a file, not a folder)',
    );
    const testFile = '    - check: tests_exist\n      path: tests/a.test.js\n      description: tests';
    assert.equal(await one(testFile, { 'tests/a.test.js': '' }), 'passed tests');
  });

  it('dir_not_empty, tests_exist and evidence folders: placeholder files do not count, nor documents as tests', async () => {
    const dir = '    - check: dir_not_empty\n      path: docs/stories/\n      description: stories';
    assert.equal(
      await one(dir, { 'docs/stories/.gitkeep': '', 'docs/stories/x/.DS_Store': '' }),
      'failed stories (docs/stories/ holds only placeholder files (docs/stories/.gitkeep, docs/stories/x/.DS_Store), which do not make a folder non-empty)',
    );
    assert.equal(
      await one(dir, { 'docs/stories/.keep': '', 'docs/stories/us-1.md': '# US\n' }),
      'passed stories',
    );
    const tests = '    - check: tests_exist\n      path: tests\n      description: tests';
    assert.equal(
      await one(tests, { 'tests/.gitignore': '*.log\n' }),
      'failed tests (no tests in tests: only placeholder files (tests/.gitignore) are there)',
    );
    assert.equal(
      await one(tests, { 'tests/README.md': '# Tests\n' }),
      'failed tests (no tests in tests: only documents (tests/README.md) are there)',
    );
    assert.equal(
      await one(tests, { 'tests/README.md': '# Tests\n', 'tests/unit/.gitkeep': '' }),
      'failed tests (no tests in tests: only documents and placeholder files (tests/README.md, tests/unit/.gitkeep) are there)',
    );
    assert.equal(await one(tests, { 'tests/README.md': '# Tests\n', 'tests/a_test.py': '' }), 'passed tests');
    const folder = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': 'exit_gates:\n  - criteria: Interviews\n    evidence: docs/interviews/\n',
    };
    assert.deepEqual(items(await check({ ...folder, 'docs/interviews/.gitkeep': '' }), 'p/01-a'), [
      'failed Interviews (docs/interviews/ holds only placeholder files (docs/interviews/.gitkeep), which do not make a folder non-empty)',
    ]);
    assert.deepEqual(items(await check({ ...folder, 'docs/interviews/a.md': '# A\n' }), 'p/01-a'), [
      'passed Interviews',
    ]);
  });

  it('grep_present and grep_absent: a regular expression over the matching files', async () => {
    const present =
      '    - check: grep_present\n      pattern: "(rollback|revert)"\n      path: docs/runbook.md\n      description: rollback';
    assert.equal(await one(present), 'failed rollback (docs/runbook.md does not exist)');
    assert.equal(
      await one(present, { 'docs/runbook.md': '# Runbook\n\nDeploy.\n' }),
      'failed rollback (no match for /(rollback|revert)/ in docs/runbook.md)',
    );
    assert.equal(
      await one(present, { 'docs/runbook.md': '# Runbook\n\nTo roll back: rollback.\n' }),
      'passed rollback',
    );
    const absent =
      '    - check: grep_absent\n      pattern: "\\\\[TODO\\\\]"\n      path: "docs/**/*.md"\n      description: no todo';
    assert.equal(await one(absent, { 'docs/a.md': '# A\n\nfine\n' }), 'passed no todo');
    assert.equal(
      await one(absent, { 'docs/a.md': '# A\n\nfine\n', 'docs/sub/b.md': '# B\n\n[TODO] later\n' }),
      'failed no todo (docs/sub/b.md matches /\\[TODO\\]/)',
    );
    // A glob that matches nothing has nothing to find in: absent.
    assert.equal(await one(absent, { 'src/a.ts': 'x\n' }), 'passed no todo');
    // An absence check that searched nothing does not pass: no path at all, or a file or
    // folder named outright that does not exist (a typo in the gate, a missing document).
    const noPath = '    - check: grep_absent\n      pattern: TODO\n      description: clean';
    assert.equal(await one(noPath, { 'docs/a.md': 'fine\n' }), 'failed clean (names no `path`)');
    const named = (path: string) =>
      `    - check: grep_absent\n      pattern: TODO\n      path: ${path}\n      description: clean`;
    assert.equal(
      await one(named('docs/helx/design.md'), { 'docs/a.md': 'fine\n' }),
      'failed clean (docs/helx/design.md does not exist)',
    );
    assert.equal(
      await one(named('docs/design'), { 'docs/a.md': 'fine\n' }),
      'failed clean (docs/design does not exist or is an empty folder)',
    );
    assert.equal(await one(named('docs'), { 'docs/a.md': 'fine\n' }), 'passed clean');
  });

  it('grep_present and grep_absent search a file named through `//` and `./`, as file_exists finds it', async () => {
    const files = { 'docs/Runbook.md': '# Runbook\n\nTo roll back: rollback.\n', 'notes/Log.TXT': 'TODO\n' };
    for (const path of ['docs/Runbook.md', './docs/Runbook.md', 'docs//Runbook.md']) {
      const yaml = `    - check: grep_present\n      pattern: rollback\n      path: "${path}"\n      description: rb`;
      assert.equal(await one(yaml, files), 'passed rb', path);
    }
    // the reason names the file as it is on disk
    const absent =
      '    - check: grep_absent\n      pattern: TODO\n      path: notes//Log.TXT\n      description: clean';
    assert.equal(await one(absent, files), 'failed clean (notes/Log.TXT matches /TODO/)');
  });

  it('grep_present and grep_absent do not search gate files, whose text describes the checks, unless one is named', async () => {
    // The only "Rollback procedure" is the check's own pattern, in GATE.yaml.
    const present =
      '    - check: grep_present\n      pattern: "Rollback procedure"\n      path: p/01-a/**\n      description: rollback';
    assert.equal(await one(present), 'failed rollback (no match for /Rollback procedure/ in p/01-a/**)');
    assert.equal(
      await one(present, { 'p/01-a/runbook.md': '# Runbook\n\n## Rollback procedure\n' }),
      'passed rollback',
    );
    // The only marker is the check's description, in the gate file.
    const absent =
      '    - check: grep_absent\n      pattern: "\\\\[NEEDS CLARIFICATION\\\\]"\n      path: p/01-a/**\n      description: No [NEEDS CLARIFICATION] markers';
    assert.equal(await one(absent), 'passed No [NEEDS CLARIFICATION] markers');
    assert.equal(
      await one(absent, { 'p/01-a/prd.md': '# PRD\n\n[NEEDS CLARIFICATION] who?\n' }),
      'failed No [NEEDS CLARIFICATION] markers (p/01-a/prd.md matches /\\[NEEDS CLARIFICATION\\]/)',
    );
    // A glob that matches gate files only: nothing searched, and the reason says why.
    const gatesOnly =
      '    - check: grep_present\n      pattern: "phase: x"\n      path: "p/01-a/*.yaml"\n      description: phase';
    assert.equal(
      await one(gatesOnly),
      'failed phase (no match for /phase: x/ in p/01-a/*.yaml: only gate files are there (p/01-a/GATE.yaml), which grep checks do not search)',
    );
    // A gate file named outright is searched: the check means it.
    const itself =
      '    - check: grep_present\n      pattern: "phase: x"\n      path: p/01-a/GATE.yaml\n      description: phase';
    assert.equal(await one(itself), 'passed phase');
  });

  it('grep runs a pattern that backtracks exponentially elsewhere in linear time', async () => {
    const started = Date.now();
    const yaml =
      '    - check: grep_present\n      pattern: "(a+)+$"\n      path: docs/a.md\n      description: evil';
    const s = await one(yaml, { 'docs/a.md': `${'a'.repeat(50_000)}!` });
    assert.match(s, /^failed evil/);
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(searchText('(x+x+)+y', `${'x'.repeat(50_000)}y`), { matched: true });
    assert.deepEqual(searchText('(a|aa)*b', 'aab'), { matched: true });
    assert.deepEqual(searchText('^ready$', 'state:\nready\n'), { matched: true });
    assert.deepEqual(searchText('Ready', 'ready'), { matched: false });
    assert.deepEqual(searchText('(health|ready)', 'a ready state'), { matched: true });
    const backRef = searchText('(a)\\1', 'aa');
    assert.ok('error' in backRef && /back-references/.test(backRef.error));
  });

  it('grep searches a pattern as written: white space is what it looks for, not nothing', async () => {
    const tab =
      '    - check: grep_absent\n      pattern: "\\t"\n      path: docs/a.md\n      description: no tabs';
    assert.match(await one(tab, { 'docs/a.md': '# A\n\nplain text\n' }), /^passed no tabs/);
    assert.match(await one(tab, { 'docs/a.md': '# A\n\n\tindented\n' }), /^failed no tabs/);
    const spaced =
      '    - check: grep_present\n      pattern: " TODO "\n      path: docs/a.md\n      description: spaced';
    assert.match(await one(spaced, { 'docs/a.md': 'xTODOx\n' }), /^failed spaced/);
    assert.match(await one(spaced, { 'docs/a.md': 'a TODO b\n' }), /^passed spaced/);
  });

  it('grep reads ^ and $ at every line break: a file written with CRLF or CR answers as with LF', async () => {
    const present =
      '    - check: grep_present\n      pattern: "^## Goals$"\n      path: docs/prd.md\n      description: goals';
    const absent =
      '    - check: grep_absent\n      pattern: "^TODO$"\n      path: docs/prd.md\n      description: no todo';
    for (const br of ['\n', '\r\n', '\r']) {
      const prd = ['# PRD', '', '## Goals', '', 'TODO', ''].join(br);
      assert.match(await one(present, { 'docs/prd.md': prd }), /^passed goals/, JSON.stringify(br));
      assert.match(await one(absent, { 'docs/prd.md': prd }), /^failed no todo/, JSON.stringify(br));
      const done = prd.replace('TODO', 'Done');
      assert.match(await one(absent, { 'docs/prd.md': done }), /^passed no todo/, JSON.stringify(br));
    }
    // a literal search at the start of a line too
    assert.deepEqual(searchText('^## Goals', '# PRD\r## Goals\r'), { matched: true });
    // a guard against CRLF itself searches the text as it is
    for (const p of ['\\r$', '[\\r]', '\r', '\\x0D', '\\x{d}', '\\015'])
      assert.deepEqual(searchText(p, 'a\r\nb\r\n'), { matched: true }, p);
    assert.deepEqual(searchText('\\r$', 'a\nb\n'), { matched: false });
    // a negated class only keeps the carriage return out of the line: `$` at its end still
    assert.deepEqual(searchText('^Status: [^\\r\\n]+$', 'Status: done\r\nTODO\r\n'), { matched: true });
    // The line break ending the last line starts no empty line after it, as for grep: a
    // "no blank line" rule passes a file that ends with one.
    for (const br of ['\n', '\r\n', '\r']) {
      assert.deepEqual(searchText('^$', `a${br}b${br}`), { matched: false }, JSON.stringify(br));
      assert.deepEqual(searchText('^$', `a${br}${br}b${br}`), { matched: true }, JSON.stringify(br));
    }
    assert.deepEqual(searchText('b\\n', 'a\nb\n'), { matched: true });
  });

  it('grep refuses, without running it, a pattern the engine could only step through for every character', async () => {
    // 34 s before: the DFA needs more states than its memory allows for 2,000 repeated
    // letter classes, and the engine fell back to stepping through 2,003 instructions per character.
    const data = { 'p/01-a/data.md': 'a'.repeat(510_000) };
    const started = Date.now();
    const costly = await one(
      '    - check: grep_present\n      pattern: "\\\\p{L}{1000}\\\\p{L}{1000}\\\\d"\n      path: p/01-a/data.md\n      description: letters',
      data,
    );
    assert.equal(
      costly,
      'not-evaluated letters (the pattern is too costly for 499 KB of files (its repetitions make the engine take more than a second): search for a shorter or simpler pattern)',
    );
    assert.ok(Date.now() - started < 8_000, `${Date.now() - started} ms`);
    // As large a program the DFA runs at a few steps a character: searched, as before.
    const cheap = await one(
      '    - check: grep_present\n      pattern: "\\\\w{1000}\\\\w{1000}\\\\d"\n      path: p/01-a/data.md\n      description: words',
      data,
    );
    assert.match(cheap, /^failed words \(no match for/);
  });

  it('grep: the slow path is paid from one budget per check, across its files, and refused before it runs', (t) => {
    const budget = { steps: MAX_SEARCH_STEPS };
    const text = 'a'.repeat(4_000);
    // Each search falls back (4,000 × 2,003 steps); the budget pays for two of them.
    const pattern = '\\p{L}{1000}\\p{L}{1000}\\d';
    assert.deepEqual(searchText(pattern, text, budget), { matched: false });
    assert.equal(budget.steps, MAX_SEARCH_STEPS - 4_000 * 2_003);
    assert.deepEqual(searchText(pattern, text, budget), { matched: false });
    const left = budget.steps;
    assert.deepEqual(searchText(pattern, text, budget), { tooCostly: true });
    assert.equal(budget.steps, left, 'a refused search pays nothing');
    // A search the DFA answers pays nothing; a plain text search neither.
    const fresh = { steps: 1 };
    assert.deepEqual(searchText('\\w{1000}\\d', text, fresh), { matched: false });
    assert.deepEqual(searchText('\\[TBD\\]', `${text}[TBD]`, fresh), { matched: true });
    assert.equal(fresh.steps, 1);
    // A file searched before with the same text is answered again, paying the same steps
    // (where searches are kept: the language server keeps them, `cdp check` does not).
    keepSearches(true);
    t.after(() => keepSearches(false));
    const first = { steps: MAX_SEARCH_STEPS };
    assert.deepEqual(searchFile(pattern, 'x.md', text, first), { matched: false });
    const again = { steps: MAX_SEARCH_STEPS };
    const started = process.hrtime.bigint();
    assert.deepEqual(searchFile(pattern, 'x.md', text, again), { matched: false });
    assert.ok(process.hrtime.bigint() - started < 20_000_000n, 'answered without searching');
    assert.equal(again.steps, first.steps);
    assert.deepEqual(searchFile(pattern, 'x.md', text, { steps: 10 }), { tooCostly: true });
    assert.deepEqual(searchFile(pattern, 'x.md', `${text}1`, { steps: MAX_SEARCH_STEPS }), { matched: true });
  });

  it('gate paths: written forms of one path name the same files; paths leaving the folder name none', () => {
    const files = ['.github/ci.md', 'a b/c.md', 'docs/a.md', 'docs/b.md', 'docs/sub/c.md'].sort();
    const env = { files: () => files, isFile: (rel: string) => files.includes(rel) };
    const cases: [string, string[]][] = [
      ['docs/a.md', ['docs/a.md']],
      ['./docs/a.md', ['docs/a.md']],
      [' docs/a.md ', ['docs/a.md']],
      ['docs\\a.md', ['docs/a.md']],
      ['docs', ['docs/a.md', 'docs/b.md', 'docs/sub/c.md']],
      ['docs/', ['docs/a.md', 'docs/b.md', 'docs/sub/c.md']],
      ['docs/*.md', ['docs/a.md', 'docs/b.md']],
      ['.github/ci.md', ['.github/ci.md']],
      ['a b/c.md', ['a b/c.md']],
      ['docs/x/../a.md', []],
      ['../docs/a.md', []],
      ['docs/..', []],
      // A leading `/` is the workspace folder's root, as markdown links read it.
      ['/docs/a.md', ['docs/a.md']],
      ['//docs', ['docs/a.md', 'docs/b.md', 'docs/sub/c.md']],
      ['/docs/*.md', ['docs/a.md', 'docs/b.md']],
      ['/../docs/a.md', []],
      ['c:/docs/a.md', []],
      ['C:docs', []],
      ['docs/a.md\u00a0', ['docs/a.md']],
      ['', ['.github/ci.md', 'a b/c.md', 'docs/a.md', 'docs/b.md', 'docs/sub/c.md']],
      ['/', ['.github/ci.md', 'a b/c.md', 'docs/a.md', 'docs/b.md', 'docs/sub/c.md']],
      ['nothing.md', []],
    ];
    for (const [path, want] of cases) assert.deepEqual(filesFor(env, path), want, JSON.stringify(path));
  });

  it('gate paths: a file named in another normal form, or through `//` and `./`, is the file; in other letter case it is not', () => {
    // The index answers in any case and Unicode normal form; the check keeps letter case.
    const files = ['docs/a.md', 'docs/caf\u00e9.md', 'docs/sub/c.md'].sort();
    const key = (rel: string) =>
      rel
        .replace(/\/\.?(?=\/)/g, '')
        .normalize('NFC')
        .toLowerCase();
    const onDisk = (rel: string) => files.find((f) => key(f) === key(rel));
    const env = { files: () => [...files], isFile: (rel: string) => onDisk(rel) !== undefined, onDisk };
    const cases: [string, string[]][] = [
      ['docs/a.md', ['docs/a.md']],
      ['docs/cafe\u0301.md', ['docs/caf\u00e9.md']],
      ['docs//a.md', ['docs/a.md']],
      ['docs/./sub/c.md', ['docs/sub/c.md']],
      ['docs//sub', ['docs/sub/c.md']],
      ['DOCS/A.MD', []],
      ['docs/CAF\u00c9.md', []],
      ['docs/./sub/C.md', []],
      ['docs/b.md', []],
      ['DOCS', []],
      ['docs/*.MD', []],
      ['docs', ['docs/a.md', 'docs/caf\u00e9.md', 'docs/sub/c.md']],
    ];
    for (const [path, want] of cases) assert.deepEqual(filesFor(env, path), want, JSON.stringify(path));
    // What a path names only when letter case is ignored, as it is on disk.
    const other: [string, string | undefined][] = [
      ['DOCS/A.MD', 'docs/a.md'],
      ['docs/CAF\u00c9.md', 'docs/caf\u00e9.md'],
      ['docs/./sub/C.md', 'docs/sub/c.md'],
      ['DOCS', 'docs'],
      ['Docs/Sub/', 'docs/sub'],
      ['docs/*.MD', 'docs/a.md'],
      ['docs/a.md', undefined],
      ['docs/b.md', undefined],
      ['DOCS/B', undefined],
    ];
    for (const [path, want] of other) assert.equal(inOtherCase(env, path), want, JSON.stringify(path));
  });

  it('gate globs: each names the files the whole glob matches under its base, whatever the glob', () => {
    // Globs are matched by their tail under their base folder: every shape of glob must
    // answer as picomatch does for the whole glob and path.
    const segs = ['a', 'b.md', '.x', '.md', 'c d', 'x+y', 'x(y)', 'A', '[ab]', '{a,b}'];
    const files = new Set<string>();
    for (const x of segs) {
      files.add(x);
      for (const y of segs) {
        files.add(`${x}/${y}`);
        for (const z of segs) files.add(`${x}/${y}/${z}`);
      }
    }
    const list = [...files].sort();
    const env = { files: () => list, isFile: (rel: string) => files.has(rel) };
    const parts = [
      'a',
      'b.md',
      '.x',
      'c d',
      'x+y',
      '*',
      '**',
      '*.md',
      '?.md',
      '[ab]',
      '{a,b}',
      '!(a)',
      '@(a|b)',
      '+(a)',
      '.*',
      'a.b',
    ];
    let globs = 0;
    for (const p of parts)
      for (const q of parts)
        for (const r of ['', '/*', '/**', '/*.md', '/**/*.md', '/[ab]', '/{a,.x}/*']) {
          for (const glob of [`${p}/${q}${r}`, `!${p}/${q}${r}`]) {
            if (!/[*?[\]{}!]/.test(glob)) continue;
            const base = picomatch.scan(glob).base;
            const dir = base && base !== '.' ? `${base}/` : '';
            const whole = picomatch(glob, { dot: true });
            // (A file named as the glob is written is that file.)
            const want = files.has(glob) ? [glob] : list.filter((f) => f.startsWith(dir) && whole(f));
            assert.deepEqual(filesFor(env, glob), want, glob);
            globs++;
          }
        }
    assert.ok(globs > 1000);
  });

  it('grep answers plain-text patterns as the regular expression engine does', () => {
    // Plain text (escaped punctuation included), at a line start or anywhere, searched
    // without the engine: every answer must be the engine's.
    const patterns = [
      '\\[TBD\\]',
      '^## ',
      '^#',
      'TODO',
      'a\\.b\\/c\\-d',
      '^\\(x\\)',
      '\\$\\{x\\}',
      '^',
      'x\\q',
      '\u00e9t\u00e9',
      '\ufffd',
      '\ud83d\ude00',
      'a\\',
    ];
    const texts = [
      '',
      '## a',
      'x\n## a',
      'x\r## a',
      'x\u2028## a',
      'x\u0085## a',
      '#x',
      ' ## a',
      'see [TBD] here',
      '[tbd]',
      'todo TODO',
      'a.b/c-d',
      'axb/c-d',
      '(x)\n(x)',
      'y\n(x)',
      ['$', '{x}'].join(''),
      'x\\q xq',
      '\u00e9t\u00e9',
      '\ud83d\ude00 \ud83d',
      'lone \ud83d end',
      'a\\',
    ];
    for (const p of patterns) {
      const engine = compileSafeRegex(p, { ignoreCase: false, multiline: true });
      for (const t of texts) {
        const got = searchText(p, t);
        // (the engine's `^`/`$` know only LF: every line break is searched as one)
        const want = engine.ok ? { matched: engine.regex.test(t.replace(/\r\n?/g, '\n')) } : undefined;
        if (want) assert.deepEqual(got, want, `${JSON.stringify(p)} in ${JSON.stringify(t)}`);
        else assert.ok('error' in got, JSON.stringify(p));
      }
    }
  });

  it('gate paths and markdown links into folders the listing skips (.github, node_modules) are looked up', async () => {
    const checks = [
      '    - check: file_exists\n      path: .github/workflows/ci.yml\n      description: ci file',
      '    - check: dir_not_empty\n      path: .github/workflows\n      description: ci folder',
      '    - check: grep_present\n      pattern: "name: ci"\n      path: ".github/workflows/*.yml"\n      description: ci named',
      '    - check: file_exists\n      path: .github/workflows/release.yml\n      fallback_paths: [node_modules/tool/bin.js]\n      description: release or tool',
      '    - check: file_exists\n      path: .gitlab/nothing.yml\n      description: missing',
    ].join('\n');
    const c = await check({
      'p/01-a/README.md': `${readme('01', 'A')}\n[CI](../../.github/workflows/ci.yml) [vs](/.vscode/settings.json) [no](../../.vscode/none.json)\n`,
      'p/01-a/GATE.yaml': gate(checks),
      '.github/workflows/ci.yml': 'name: ci\n',
      '.vscode/settings.json': '{}\n',
      'node_modules/tool/bin.js': '',
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed ci file',
      'passed ci folder',
      'passed ci named',
      'passed release or tool',
      'failed missing (.gitlab/nothing.yml does not exist)',
    ]);
    // The documents there are still not indexed; links to the files there resolve.
    assert.equal(c.analysis.index.get(c.ws.uri('.github/workflows/ci.yml')), undefined);
    assert.deepEqual(
      c.of('broken-link').map((f) => f.split(' ')[1]),
      ['[no](../../.vscode/none.json)'],
    );
  });

  it('wikilinks with a path into folders the listing skips (.ddx) resolve as markdown links there do', async () => {
    const frame = '.ddx/library/workflows/helix/phases/01-frame/README';
    const c = await check({
      'docs/notes.md': [
        '# Notes',
        '',
        `[[${frame}]] [[../${frame}.md|the frame]] [[${frame}#No Such Heading]] [[../${frame.replace(/\//g, '\\')}]]`,
        `[md](../${frame}.md#no-such-heading)`,
        `[[${frame.replace('01-frame', '02-design')}]] [[.ddx/library/missing]]`,
        '',
      ].join('\n'),
      [`${frame}.md`]: '# Frame\n',
    });
    // Still not indexed; links to it resolve (an anchor there is not checked, as for markdown links).
    assert.equal(c.analysis.index.get(c.ws.uri(`${frame}.md`)), undefined);
    assert.deepEqual(c.of('broken-link'), [
      'docs/notes.md:5:1 [[.ddx/library/workflows/helix/phases/02-design/README]] does not resolve: no document at that path.',
      'docs/notes.md:5:58 [[.ddx/library/missing]] does not resolve: no document at that path.',
    ]);
    assert.deepEqual(c.of('broken-heading'), []);
  });

  it('previous_phase_complete: the phase before in the instance', async () => {
    const files = (done: boolean) => ({
      'p/01-a/README.md': `${readme('01', 'A')}\n## Exit Criteria\n\n- [${done ? 'x' : ' '}] done\n`,
      'p/02-b/README.md': readme('02', 'B'),
      'p/02-b/GATE.yaml': 'entry_requirements:\n  automated:\n    - check: previous_phase_complete\n',
    });
    let c = await check(files(false));
    assert.deepEqual(items(c, 'p/02-b'), ['failed previous_phase_complete (phase 01 A is not complete)']);
    c = await check(files(true));
    assert.deepEqual(items(c, 'p/02-b'), ['passed previous_phase_complete']);
  });

  it('a path holding a template placeholder or an environment variable is not evaluated, never passed', async () => {
    // `${ROOT}`, as a shell writes a variable (not a template string here).
    const BRACED = ['$', '{ROOT}'].join('');
    const gate = (path: string, fallback?: string) =>
      [
        'exit_requirements:',
        '  automated:',
        '    - check: grep_absent',
        '      pattern: TBD',
        `      path: "${path}"`,
        ...(fallback === undefined ? [] : [`      fallback_paths: ["${fallback}"]`]),
        '    - check: file_exists',
        `      path: "${path}"`,
        '',
      ].join('\n');
    const files = (g: string) => ({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
      'docs/helix/01-frame/prd.md': '# PRD\n\nTBD\n',
      'docs/helix/01-frame/GATE.yaml': g,
    });
    for (const [path, part, what] of [
      [
        'docs/helix/{{phase}}/*.md',
        '{{phase}}',
        "a template's placeholder left unfilled: gate paths are read as written",
      ],
      ['$DOCS/**/*.md', '$DOCS', 'an environment variable: gate paths are read as written, not expanded'],
      [
        `${BRACED}/docs/prd.md`,
        BRACED,
        'an environment variable: gate paths are read as written, not expanded',
      ],
    ]) {
      const c = await check(files(gate(path)));
      assert.deepEqual(
        items(c, 'docs/helix/01-frame'),
        ['grep_absent', 'file_exists'].map(
          (t) => `not-evaluated ${t} ${path} ("${part}" in ${path} is ${what})`,
        ),
        path,
      );
    }
    // Beside a path as written, that one is looked at alone: the TBD is found.
    const c = await check(files(gate('docs/helix/{{phase}}/*.md', 'docs/helix/01-frame/*.md')));
    assert.match(items(c, 'docs/helix/01-frame')[0], /^failed grep_absent .*no|^failed grep_absent/);
  });

  it('a glob that matches folders and no file names the files in those folders', async () => {
    const checks = (path: string) =>
      [
        'exit_requirements:',
        '  automated:',
        '    - check: dir_not_empty',
        `      path: "${path}"`,
        '    - check: file_exists',
        `      path: "${path}"`,
        '    - check: grep_present',
        `      path: "${path}"`,
        '      pattern: Login',
        '    - check: tests_exist',
        `      path: "${path}"`,
        '',
      ].join('\n');
    const files = (path: string) => ({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] a\n',
      'docs/helix/01-frame/features/FEAT-001.md': '# Feature\n\nLogin flow\n',
      // (a test beside it: tests_exist counts no document)
      'docs/helix/01-frame/features/login.test.js': '',
      'docs/helix/02-design/GATE.yaml': checks(path),
    });
    for (const path of ['docs/helix/*/features', 'docs/helix/0?-frame/features', '**/features']) {
      const c = await check(files(path));
      assert.deepEqual(
        items(c, 'docs/helix/02-design'),
        ['dir_not_empty', 'file_exists', 'grep_present', 'tests_exist'].map((t) => `passed ${t} ${path}`),
        path,
      );
    }
    const none = await check(files('docs/helix/*/nothing'));
    assert.deepEqual(
      items(none, 'docs/helix/02-design').map((i) => i.split(' ')[0]),
      ['failed', 'failed', 'failed', 'failed'],
    );
    // Where the glob matches files, those files alone (a folder's deeper files are not added).
    const both = await check({
      ...files('docs/helix/01-frame/*'),
      'docs/helix/01-frame/notes.md': '# Notes\n',
    });
    assert.deepEqual(
      items(both, 'docs/helix/02-design')[2],
      'failed grep_present docs/helix/01-frame/* (no match for /Login/ in docs/helix/01-frame/*)',
    );
  });

  it('previous_phase_complete without a phase fails where the phase before is missing', async () => {
    const gate = {
      'docs/helix/02-design/GATE.yaml':
        'entry_requirements:\n  automated:\n    - check: previous_phase_complete\n',
    };
    // Nothing before phase 02.
    let c = await check(gate);
    assert.deepEqual(items(c, 'docs/helix/02-design'), [
      'failed previous_phase_complete (this workflow has no phase 01 before this one)',
    ]);
    // A folder of phase 01's documents with no phase document: a gap, not a phase.
    const gap = { ...gate, 'docs/helix/01-frame/prd.md': '# PRD\n' };
    c = await check(gap);
    const failed = [
      'failed previous_phase_complete (phase 01 (docs/helix/01-frame/ has no phase document) is not complete)',
    ];
    assert.deepEqual(items(c, 'docs/helix/02-design'), failed);
    // The gap between it and a complete phase 00.
    c = await check({ ...gap, 'docs/helix/00-discover/GATE.yaml': 'exit_requirements:\n  manual: []\n' });
    assert.deepEqual(items(c, 'docs/helix/02-design'), failed);
    // A folder of notes numbered 00 before the first phase is not waited for.
    c = await check({
      'docs/helix/00-discover/interviews.md': '# Interview notes\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD\n',
      'docs/helix/01-frame/GATE.yaml': gate['docs/helix/02-design/GATE.yaml'],
    });
    assert.deepEqual(items(c, 'docs/helix/01-frame'), ['passed previous_phase_complete']);
    // A workflow's first phase has none to wait for; a number the workflow skips is skipped.
    c = await check({ 'p/01-a/GATE.yaml': gate['docs/helix/02-design/GATE.yaml'] });
    assert.deepEqual(items(c, 'p/01-a'), ['passed previous_phase_complete']);
    c = await check({
      'p/01-a/README.md': `${readme('01', 'A')}\n## Exit Criteria\n\n- [x] done\n`,
      'p/03-c/README.md': readme('03', 'C'),
      'p/03-c/GATE.yaml': gate['docs/helix/02-design/GATE.yaml'],
    });
    assert.deepEqual(items(c, 'p/03-c'), ['passed previous_phase_complete']);
  });

  it('previous_phase_complete naming a phase folder, its number or its name', async () => {
    for (const named of ['01-first-steps', '1', 'first steps', 'First-Steps']) {
      const c = await check({
        'p/01-first-steps/README.md': `${readme('01', 'First steps')}\n## Exit Criteria\n\n- [ ] done\n`,
        'p/02-b/README.md': readme('02', 'B'),
        'p/02-b/GATE.yaml': `entry_requirements:\n  automated:\n    - check: previous_phase_complete\n      phase: "${named}"\n`,
      });
      assert.deepEqual(
        items(c, 'p/02-b'),
        ['failed previous_phase_complete (phase 01 First steps is not complete)'],
        named,
      );
    }
    // Its own phase: said as such (it is excluded, so no phase of that name was found).
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/GATE.yaml':
        'entry_requirements:\n  automated:\n    - check: previous_phase_complete\n      phase: "01-a"\n',
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      "failed previous_phase_complete (01-a is this gate file's own phase: a phase cannot require itself)",
    ]);
  });

  it('evidence path#anchor: the file and its heading', async () => {
    const yaml =
      'exit_gates:\n  - criteria: Personas validated\n    required: true\n    evidence: docs/prd.md#users-and-personas\n  - criteria: Sponsor agreed\n    evidence: sponsor acknowledgment\n';
    const files = { 'p/01-a/README.md': readme('01', 'A'), 'p/01-a/exit-gates.yml': yaml };
    let c = await check(files);
    assert.deepEqual(items(c, 'p/01-a'), [
      'failed Personas validated (docs/prd.md does not exist)',
      'unconfirmed Sponsor agreed (a person must confirm it)',
    ]);
    c = await check({ ...files, 'docs/prd.md': '# PRD\n\n## Goals\n' });
    assert.equal(
      items(c, 'p/01-a')[0],
      'failed Personas validated (docs/prd.md has no heading #users-and-personas)',
    );
    c = await check({ ...files, 'docs/prd.md': '# PRD\n\n## Users and Personas\n' });
    assert.equal(items(c, 'p/01-a')[0], 'passed Personas validated');
    // A file the checker does not read (here in a dot-folder): its heading is not checked.
    c = await check({
      ...files,
      'p/01-a/exit-gates.yml': yaml.replace('docs/prd.md#', '.github/PR.md#'),
      '.github/PR.md': '# PR\n\n## Users and Personas\n',
    });
    assert.equal(
      items(c, 'p/01-a')[0],
      'not-evaluated Personas validated (.github/PR.md is not a document the checker reads: #users-and-personas is not checked)',
    );
  });

  it('an evidence #anchor follows the markdown-link anchor rules: repeats numbered, percent-decoded', async () => {
    const anchors = ['overview-1', '%C3%BCbersicht', 'OVERVIEW', 'overview-2', 'L3', 'kept'];
    const yaml = `exit_gates:\n${anchors.map((a) => `  - criteria: "${a}"\n    evidence: docs/prd.md#${a}\n`).join('')}`;
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': yaml,
      'docs/prd.md': '# PRD\n\n## Übersicht\n\n## Overview\n\n## Overview\n\n<a name="kept"></a>\n',
      // The markdown links to the same anchors, for comparison.
      'notes.md': anchors.map((a) => `[${a}](docs/prd.md#${a})\n`).join(''),
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed overview-1',
      'passed %C3%BCbersicht',
      'passed OVERVIEW',
      'failed overview-2 (docs/prd.md has no heading #overview-2 — did you mean "#overview-1" (heading "Overview")?)',
      'passed L3',
      'passed kept',
    ]);
    assert.deepEqual(
      c.of('broken-heading').map((f) => f.split(' ')[0]),
      ['notes.md:4:26'],
    );
  });

  it('an evidence #anchor lands only where a markdown link to it would, or on the heading text as written', async () => {
    // GitHub's anchor of `Success Metrics & KPIs` is `success-metrics--kpis`.
    const anchors = [
      'success-metrics--kpis',
      'SUCCESS-METRICS--KPIS',
      'Success Metrics & KPIs',
      'success-metrics-kpis',
      'success_metrics_kpis',
      'SUCCESS-METRICS-KPIS',
    ];
    const yaml = `exit_gates:\n${anchors.map((a) => `  - criteria: "${a}"\n    evidence: "docs/prd.md#${a}"\n`).join('')}`;
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': yaml,
      'docs/prd.md': '# PRD\n\n## Success Metrics & KPIs\n',
      'notes.md': anchors.map((a) => `[${a}](<docs/prd.md#${a}>)\n`).join(''),
    });
    const meant = ' — did you mean "#success-metrics--kpis" (heading "Success Metrics & KPIs")?';
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed success-metrics--kpis',
      'passed SUCCESS-METRICS--KPIS',
      'passed Success Metrics & KPIs',
      `failed success-metrics-kpis (docs/prd.md has no heading #success-metrics-kpis${meant})`,
      'failed success_metrics_kpis (docs/prd.md has no heading #success_metrics_kpis)',
      `failed SUCCESS-METRICS-KPIS (docs/prd.md has no heading #SUCCESS-METRICS-KPIS${meant})`,
    ]);
    // The markdown links to the anchors that fail are broken alike (and so is one naming
    // the heading's text, which only evidence may).
    assert.deepEqual(
      c.of('broken-heading').map((f) => f.split(':')[1]),
      ['3', '4', '5', '6'],
    );
  });

  it('evidence with spaces is a path when it ends like one, and prose stays for a person', async () => {
    const yaml = [
      'exit_gates:',
      '  - criteria: PRD complete',
      '    evidence: "docs/helix/01-frame/my prd.md"',
      '  - criteria: Personas written',
      '    evidence: "docs/helix/01-frame/my prd.md#User Personas"',
      '  - criteria: Notes kept',
      '    evidence: "docs/design notes/"',
      '  - criteria: Sponsor agreed',
      '    evidence: sponsor acknowledgment',
      '  - criteria: Signed off',
      '    evidence: Approved by PM/Tech lead',
      '  - criteria: Released',
      '    evidence: Release 1.2',
      '  - criteria: Sponsor signed',
      '    evidence: Sponsor sign-off recorded in docs/approvals.md',
      '  - criteria: Notes out',
      '    evidence: v1.2.3 release notes.txt',
      '',
    ].join('\n');
    const files = { 'p/01-a/README.md': readme('01', 'A'), 'p/01-a/exit-gates.yml': yaml };
    assert.deepEqual(items(await check(files), 'p/01-a'), [
      'failed PRD complete (docs/helix/01-frame/my prd.md does not exist)',
      'failed Personas written (docs/helix/01-frame/my prd.md does not exist)',
      'failed Notes kept (docs/design notes/ does not exist or is an empty folder)',
      'unconfirmed Sponsor agreed (a person must confirm it)',
      'unconfirmed Signed off (a person must confirm it)',
      'unconfirmed Released (a person must confirm it)',
      // A sentence that ends in a file name, or a name with spaces and no folder: prose.
      'unconfirmed Sponsor signed (a person must confirm it)',
      'unconfirmed Notes out (a person must confirm it)',
    ]);
    const c = await check({
      ...files,
      'docs/helix/01-frame/my prd.md': '# PRD\n\n## User Personas\n',
      'docs/design notes/log.md': '# Log\n',
    });
    assert.deepEqual(items(c, 'p/01-a').slice(0, 3), [
      'passed PRD complete',
      'passed Personas written',
      'passed Notes kept',
    ]);
  });

  it('evidence written as Windows writes paths: backslashes separate folders, a drive letter is outside the folder', async () => {
    const yaml = [
      'exit_gates:',
      '  - criteria: Launch plan',
      "    evidence: 'docs\\launch notes\\plan.md'",
      '  - criteria: Frame folder',
      "    evidence: 'docs\\helix\\01-frame\\'",
      '  - criteria: Drive letter',
      "    evidence: 'C:\\repo\\docs\\helix\\01-frame\\prd.md'",
      '  - criteria: Missing',
      "    evidence: 'docs\\helix\\01-frame\\missing.md'",
      '',
    ].join('\n');
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': yaml,
      'docs/launch notes/plan.md': '# Plan\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed Launch plan',
      'passed Frame folder',
      'not-evaluated Drive letter (C:\\repo\\docs\\helix\\01-frame\\prd.md is outside the workspace folder (gate paths are relative to it))',
      'failed Missing (docs\\helix\\01-frame\\missing.md does not exist)',
    ]);
    // The fix creates the file the check looks for, at its path with `/`.
    const missing = c.findings.find((f) => f.code === 'unmet-criterion' && f.message.includes('Missing'))!;
    const create = missing.fixes?.find((x) => x.kind === 'create');
    assert.equal(create?.uri, c.ws.uri('docs/helix/01-frame/missing.md'));
  });

  it('commands and unknown check types are not evaluated, with a hint', async () => {
    assert.equal(
      await one('    - check: tests_passing\n      command: "npm test"\n      description: tests pass'),
      'not-evaluated tests pass (runs `npm test`: not run (use `cdp check --run-commands`))',
    );
    assert.match(
      await one('    - check: spell_checked\n      description: spelling'),
      /^not-evaluated spelling \(unknown check type `spell_checked`/,
    );
  });

  it('manual items are unconfirmed until .cdp/confirmations.yml records them', async () => {
    const files = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/GATE.yaml': gate('    []', ['Staging verified']).replace(
        '  automated:\n    []\n',
        '  automated: []\n',
      ),
    };
    let c = await check(files);
    assert.deepEqual(items(c, 'p/01-a'), ['unconfirmed Staging verified (a person must confirm it)']);
    const confirm = c.findings.find((f) => f.code === 'unmet-criterion')!;
    assert.equal(rel(confirm.uri), 'p/01-a/GATE.yaml');
    assert.deepEqual(confirm.fixes?.[0], {
      kind: 'confirm',
      title: 'Confirm "Staging verified"',
      folder: ROOT,
      file: 'p/01-a/GATE.yaml',
      item: 'Staging verified',
    });
    c = await check({
      ...files,
      '.cdp/confirmations.yml':
        '- file: "p/01-a/GATE.yaml"\n  item: "Staging verified"\n  by: "Ada"\n  at: "2026-01-02T03:04:05Z"\n',
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed Staging verified (confirmed by Ada at 2026-01-02T03:04:05Z)',
    ]);
    assert.deepEqual(c.of('unmet-criterion'), []);
  });

  it('a confirmation matches its gate file however the path is written: ./, \\, //, a leading /', async () => {
    const files = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/GATE.yaml': gate('    []', ['Staging verified']).replace(
        '  automated:\n    []\n',
        '  automated: []\n',
      ),
    };
    for (const path of [
      './p/01-a/GATE.yaml',
      '.\\p\\01-a\\GATE.yaml',
      'p//01-a/./GATE.yaml',
      '/p/01-a/GATE.yaml',
    ]) {
      const c = await check({
        ...files,
        '.cdp/confirmations.yml': `- file: ${JSON.stringify(path)}\n  item: "Staging verified"\n  by: "Ada"\n`,
      });
      assert.deepEqual(items(c, 'p/01-a'), ['passed Staging verified (confirmed by Ada)'], path);
    }
    // A path that climbs out of the folder names no gate file of it.
    const c = await check({
      ...files,
      '.cdp/confirmations.yml': '- file: "../p/01-a/GATE.yaml"\n  item: "Staging verified"\n  by: "Ada"\n',
    });
    assert.deepEqual(items(c, 'p/01-a'), ['unconfirmed Staging verified (a person must confirm it)']);
  });
});

describe('gate files: diagnostics, lines and fixes', () => {
  it('a YAML file beside a phase README named almost like a gate file is reported on the README, other YAML is not', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': `${readme('01', 'Frame')}\n## Exit Criteria\n\n- [x] a\n`,
      'docs/helix/01-frame/exit-gate.yml': 'exit_gates:\n  - criteria: Should block\n',
      'docs/helix/01-frame/Input_Gates.YAML': 'input_gates:\n  - criteria: Ready\n',
      'docs/helix/01-frame/config.yml': 'x: 1\n',
      'docs/helix/02-design/README.md': `${readme('02', 'Design')}\n## Exit Criteria\n\n- [ ] b\n`,
      'docs/helix/02-design/exit-gates.yml': 'exit_gates:\n  - criteria: Designed\n',
      // Not beside a phase: nothing to say.
      'notes/gates.yml': 'x: 1\n',
    });
    const said = (name: string) =>
      `docs/helix/01-frame/README.md:1:3 ${name} beside this phase is not read as a gate file: gate files are named input-gates.yml, entry-gates.yml, exit-gates.yml or GATE.yaml (.yml or .yaml). Rename it for its gate to count.`;
    assert.deepEqual(c.of('invalid-gate-file'), [said('Input_Gates.YAML'), said('exit-gate.yml')]);
  });

  it('reports unmet-criterion on the YAML line with the reason, and offers to create the document from its template', async () => {
    const c = await check({
      'docs/helix/05-deploy/README.md': readme('05', 'Deploy'),
      'docs/helix/05-deploy/GATE.yaml': gate(
        '    - check: file_exists\n      path: docs/helix/05-deploy/runbook.md\n      description: "Runbook must exist"',
      ),
      'lib/workflow.yml': 'name: helix\n',
      'lib/phases/05-deploy/README.md': readme('05', 'Deploy'),
      'lib/phases/05-deploy/artifacts/runbook/template.md': '# Runbook template\n',
    });
    assert.deepEqual(c.of('unmet-criterion'), [
      'docs/helix/05-deploy/GATE.yaml:4:5 Unmet exit criterion (Exit Requirements): Runbook must exist — docs/helix/05-deploy/runbook.md does not exist',
    ]);
    const fix = c.findings.find((f) => f.code === 'unmet-criterion')!.fixes![0];
    assert.equal(fix.kind, 'create');
    assert.equal(fix.kind === 'create' && rel(fix.uri), 'docs/helix/05-deploy/runbook.md');
    assert.equal(
      fix.kind === 'create' && fix.template && rel(fix.template),
      'lib/phases/05-deploy/artifacts/runbook/template.md',
    );
  });

  it("the create fix copies the template of the definition the workflow follows, never any other artifacts folder's", async () => {
    const project = {
      'docs/helix/01-frame/README.md': readme('01', 'Frame'),
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: PRD exists\n    evidence: docs/helix/01-frame/prd.md\n',
      'docs/helix/02-design/README.md': readme('02', 'Design'),
    };
    const helix = (root: string) => ({
      [`${root}/workflow.yml`]: 'name: helix\n',
      [`${root}/phases/01-frame/README.md`]: readme('01', 'Frame'),
      [`${root}/phases/01-frame/artifacts/prd/template.md`]: `# PRD of ${root}\n`,
      [`${root}/phases/02-design/README.md`]: readme('02', 'Design'),
    });
    const template = async (files: Record<string, string>) => {
      const c = await check({ ...project, ...files });
      const f = c.findings.find((x) => x.code === 'unmet-criterion' && x.uri.endsWith('exit-gates.yml'));
      assert.ok(f, c.findings.map((x) => x.message).join('\n'));
      const fix = f.fixes?.find((x) => x.kind === 'create');
      assert.equal(fix?.kind === 'create' && rel(fix.uri), 'docs/helix/01-frame/prd.md');
      return fix?.kind === 'create' && fix.template !== undefined ? rel(fix.template) : undefined;
    };
    const junk = { 'junk/artifacts/prd/template.md': '# Unrelated note\n' };
    // An artifacts folder outside every definition is no template, whatever its path.
    assert.equal(await template(junk), undefined);
    assert.equal(
      await template({ ...junk, ...helix('lib/workflows/helix') }),
      'lib/workflows/helix/phases/01-frame/artifacts/prd/template.md',
    );
    assert.equal(
      await template({ ...helix('lib/workflows/helix'), 'a/artifacts/prd/template.md': '# Unrelated\n' }),
      'lib/workflows/helix/phases/01-frame/artifacts/prd/template.md',
    );
    // Two definitions: the one whose phases the workflow's are named after.
    const cdp = {
      'lib/workflows/cdp/workflow.yml': 'name: cdp\n',
      'lib/workflows/cdp/phases/01-diagnose/README.md': readme('01', 'Diagnose'),
      'lib/workflows/cdp/phases/01-diagnose/artifacts/prd/template.md': '# PRD of cdp\n',
      'lib/workflows/cdp/phases/02-prescribe/README.md': readme('02', 'Prescribe'),
    };
    assert.equal(
      await template({ ...cdp, ...helix('lib/workflows/helix') }),
      'lib/workflows/helix/phases/01-frame/artifacts/prd/template.md',
    );
    // None rather than a wrong one: two that match alike, or several that match nothing.
    assert.equal(await template({ ...helix('a/helix'), ...helix('b/helix') }), undefined);
    assert.equal(
      await template({
        ...cdp,
        'lib/workflows/other/workflow.yml': 'name: other\n',
        'lib/workflows/other/phases/01-intake/README.md': readme('01', 'Intake'),
        'lib/workflows/other/phases/01-intake/artifacts/prd/template.md': '# PRD of other\n',
      }),
      undefined,
    );
    // Within the definition, the template of the phase named as the workflow's comes first.
    assert.equal(
      await template({
        ...helix('lib/workflows/helix'),
        'lib/workflows/helix/phases/00-discover/README.md': readme('00', 'Discover'),
        'lib/workflows/helix/phases/00-discover/artifacts/prd/template.md': '# Early PRD\n',
      }),
      'lib/workflows/helix/phases/01-frame/artifacts/prd/template.md',
    );
  });

  it('a path that names its file only in other letter case gets a fix writing it as on disk, never a new file beside it', async () => {
    const files = {
      'docs/helix/03-test/README.md': readme('03', 'Test'),
      'docs/helix/03-test/test-plan.md': '# Test plan\n\n## Risks\n',
      'docs/helix/03-test/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/03-test/Test-Plan.md\n    - check: file_exists\n      path: docs/helix/03-test/missing.md\n      fallback_paths:\n        - "docs/helix/03-TEST/test-plan.md"\n    - check: file_exists\n      path: ./docs/helix/03-test/TEST-PLAN.md\n',
      'docs/helix/03-test/exit-gates.yml':
        'exit_gates:\n  - criteria: Planned\n    evidence: docs/helix/03-test/Test-plan.md#risks\n',
    };
    const c = await check(files);
    const unmet = c.findings.filter((f) => f.code === 'unmet-criterion');
    assert.equal(unmet.length, 4, unmet.map((f) => f.message).join('\n'));
    for (const f of unmet)
      assert.match(f.message, /only docs\/helix\/03-test\/test-plan\.md, in other letter case/);
    const fixes = unmet.map((f) => (f.fixes ?? []).map((x) => [x.kind, x.title]));
    const asOnDisk = (written: string) => [
      'edit',
      `Write "${written}" as it is on disk: "docs/helix/03-test/test-plan.md"`,
    ];
    // (exit-gates.yml first, then GATE.yaml: the findings' files in path order)
    assert.deepEqual(
      fixes.map((x) => x.length),
      unmet.map((f) => (/TEST-PLAN/.test(f.message) ? 0 : 1)),
    );
    assert.deepEqual(
      fixes.filter((x) => x.length > 0),
      [
        [asOnDisk('docs/helix/03-test/Test-Plan.md')],
        [asOnDisk('docs/helix/03-TEST/test-plan.md')],
        [asOnDisk('docs/helix/03-test/Test-plan.md')],
      ],
    );
    // Each edit changes only the letters of its path, and the check then passes.
    for (const f of unmet) {
      const fix = f.fixes?.[0];
      if (fix?.kind !== 'edit') continue;
      const r = rel(fix.uri);
      const fixed = applyEdits(files[r as keyof typeof files], fix.edits);
      assert.equal(fixed.toLowerCase(), files[r as keyof typeof files].toLowerCase(), r);
      const again = await check({ ...files, [r]: fixed });
      assert.equal(
        again.findings.filter((x) => x.code === 'unmet-criterion').length,
        3,
        `${r}: ${again.findings.map((x) => x.message).join('\n')}`,
      );
    }
    // A fallback path in a list in brackets gets the same fix, on its own letters only.
    const flow = {
      ...files,
      'docs/helix/03-test/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/03-test/missing.md\n      fallback_paths: [docs/other.md, "docs/helix/03-TEST/test-plan.md"]\n',
    };
    const inFlow = (await check(flow)).findings.find(
      (f) => f.code === 'unmet-criterion' && f.uri.endsWith('GATE.yaml'),
    )!;
    const fix = inFlow.fixes?.[0];
    assert.deepEqual(fix && [fix.kind, fix.title], asOnDisk('docs/helix/03-TEST/test-plan.md'));
    assert.equal(
      fix?.kind === 'edit' && applyEdits(flow['docs/helix/03-test/GATE.yaml'], fix.edits),
      flow['docs/helix/03-test/GATE.yaml'].replace('03-TEST', '03-test'),
    );
  });

  it('a path a slip away from a file or folder beside it names that one, with a fix writing it before the one creating a file', async () => {
    const files = {
      'docs/helix/03-test/README.md': readme('03', 'Test'),
      'docs/helix/03-test/test-plan.md': '# Test plan\n',
      'docs/helix/03-test/adr/adr-001.md': '# ADR 1\n',
      // (a file a slip away from a folder's name is no folder a dir_not_empty meant)
      'docs/helix/03-test/adr1': 'x\n',
      'docs/helix/03-test/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: dir_not_empty\n      path: docs/helix/03-test/adrs\n    - check: dir_not_empty\n      path: docs/helix/03-test/adrs/\n    - check: file_exists\n      path: docs/helix/03-test/test-pln.md\n    - check: file_exists\n      path: docs/helix/03-test/nothing-like-it.md\n',
    };
    const c = await check(files);
    const unmet = c.findings.filter((f) => f.code === 'unmet-criterion');
    const reasons = unmet.map((f) => f.message.replace(/^.*— /, ''));
    assert.deepEqual(reasons, [
      'docs/helix/03-test/adrs does not exist (did you mean docs/helix/03-test/adr/?)',
      'docs/helix/03-test/adrs/ does not exist (did you mean docs/helix/03-test/adr/?)',
      'docs/helix/03-test/test-pln.md does not exist (did you mean docs/helix/03-test/test-plan.md?)',
      'docs/helix/03-test/nothing-like-it.md does not exist',
    ]);
    const fixes = unmet.map((f) =>
      (f.fixes ?? []).map((x) => [x.kind, x.title, x.kind === 'edit' && x.preferred]),
    );
    assert.deepEqual(fixes, [
      [['edit', 'Write "docs/helix/03-test/adr" in place of "docs/helix/03-test/adrs"', true]],
      [['edit', 'Write "docs/helix/03-test/adr/" in place of "docs/helix/03-test/adrs/"', true]],
      [
        [
          'edit',
          'Write "docs/helix/03-test/test-plan.md" in place of "docs/helix/03-test/test-pln.md"',
          true,
        ],
        ['create', 'Create "docs/helix/03-test/test-pln.md"', false],
      ],
      [['create', 'Create "docs/helix/03-test/nothing-like-it.md"', false]],
    ]);
    // The create fix is preferred only where no path is meant.
    assert.deepEqual(
      unmet.map((f) => f.fixes?.find((x) => x.kind === 'create')?.preferred),
      [undefined, undefined, false, true],
    );
    // Each edit rewrites the path value exactly, and the check then passes.
    for (const f of unmet) {
      const fix = f.fixes?.[0];
      if (fix?.kind !== 'edit') continue;
      const r = rel(fix.uri) as keyof typeof files;
      const fixed = applyEdits(files[r], fix.edits);
      const written = fix.title.match(/^Write "([^"]*)" in place of "([^"]*)"/)!;
      assert.equal(fixed, files[r].replace(`path: ${written[2]}\n`, `path: ${written[1]}\n`));
      const again = await check({ ...files, [r]: fixed });
      assert.equal(again.findings.filter((x) => x.code === 'unmet-criterion').length, 3, r);
    }
    // Two names equally near, or a name too short for a slip to tell: no guess.
    const tied = await check({
      ...files,
      'docs/helix/03-test/test-plen.md': '# Other\n',
      'docs/helix/03-test/ab/x.md': '# X\n',
      'docs/helix/03-test/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: dir_not_empty\n      path: docs/helix/03-test/abc\n    - check: file_exists\n      path: docs/helix/03-test/test-pln.md\n',
    });
    assert.deepEqual(
      tied.findings.filter((f) => f.code === 'unmet-criterion').map((f) => f.message.replace(/^.*— /, '')),
      ['docs/helix/03-test/abc is empty or missing', 'docs/helix/03-test/test-pln.md does not exist'],
    );
  });

  it('a check type that is a near miss of a known one is a warning on its value in any phase, with a fix writing the type meant', async () => {
    const later = (checks: string) => ({
      'w/01-a/README.md': `${readme('01', 'A')}\n## Exit Criteria\n\n- [ ] own item\n`,
      'w/02-b/README.md': readme('02', 'B'),
      'w/02-b/GATE.yaml': `exit_requirements:\n  automated:\n${checks}`,
    });
    const c = await check({
      ...later(
        [
          '    - check: file_exist\n      path: w/02-b/README.md',
          '    - check: "File_Exists"\n      path: w/02-b/README.md',
          "    - {check: 'grep-present', pattern: B, path: w/02-b/README.md}",
          '    - check: dir_notempty\n      path: w/02-b',
          '    - check: coverage_treshold\n      command: npm test\n      threshold: 80',
          // A type of its own with a command runs that command: no near miss to report.
          '    - check: typecheck\n      command: npm run typecheck',
          '    - check: test_passing\n      command: npm test',
          '    - check: file_contains\n      path: w/02-b/README.md',
          '    - check: file_exists\n      path: w/02-b/README.md',
        ].join('\n'),
      ),
    });
    // Phase 02 is not under way: no unmet criteria there, but the misspelt types are said.
    assert.equal(currentPhase(c.analysis.workflows()[0])?.phase?.id, '01');
    assert.deepEqual(c.of('unmet-criterion'), [
      'w/01-a/README.md:7:1 Unmet exit criterion (Exit Criteria): own item',
    ]);
    const misspelt = (type: string, meant: string) =>
      `Gate file GATE.yaml: unknown check type "${type}" — did you mean "${meant}"? The check is not evaluated until it is fixed.`;
    assert.deepEqual(c.of('invalid-gate-file'), [
      `w/02-b/GATE.yaml:3:14 ${misspelt('file_exist', 'file_exists')}`,
      `w/02-b/GATE.yaml:5:15 ${misspelt('File_Exists', 'file_exists')}`,
      `w/02-b/GATE.yaml:7:16 ${misspelt('grep-present', 'grep_present')}`,
      `w/02-b/GATE.yaml:8:14 ${misspelt('dir_notempty', 'dir_not_empty')}`,
      `w/02-b/GATE.yaml:10:14 Gate file GATE.yaml: unknown check type "coverage_treshold" — did you mean "coverage_threshold"? Its command runs as a plain command (exit 0 passes), not as "coverage_threshold" reads it.`,
    ]);
    const found = c.findings.filter((f) => f.code === 'invalid-gate-file');
    assert.ok(found.every((f) => f.severity === 'warning'));
    // Each fix replaces the value alone, inside its quotes; the file then reads the type meant.
    const text = c.ws.files.get(c.ws.uri('w/02-b/GATE.yaml'))!;
    for (const f of found) {
      const fix = f.fixes?.[0];
      assert.ok(fix && fix.kind === 'edit', f.message);
      const fixed = applyEdits(text, fix.edits);
      const before = parseGateFile(text).groups[0].items;
      const after = parseGateFile(fixed).groups[0].items;
      const i = before.findIndex((d) => d.line === f.range.start.line);
      assert.equal(after[i].check, /did you mean "([^"]+)"/.exec(f.message)![1]);
      assert.equal(fixed.length - text.length, after[i].check!.length - before[i].check!.length);
      assert.deepEqual(
        after.map((d) => d.check).filter((_, j) => j !== i),
        before.map((d) => d.check).filter((_, j) => j !== i),
      );
    }
    // Once the phase is under way, the item says the same.
    const now = await check({
      ...later('    - check: file_exist\n      path: w/02-b/README.md\n'),
      'w/01-a/README.md': readme('01', 'A'),
    });
    assert.ok(
      items(now, 'w/02-b').includes(
        'not-evaluated file_exist w/02-b/README.md (unknown check type "file_exist" — did you mean "file_exists"?)',
      ),
      items(now, 'w/02-b').join('\n'),
    );
    // Off with the rule; `error` for the rule keeps these a warning (an unknown type is never an error).
    const off = await check(later('    - check: file_exist\n      path: x.md\n'), {
      'cdp.rules': { 'invalid-gate-file': 'off' },
    });
    assert.deepEqual(off.of('invalid-gate-file'), []);
    const info = await check(later('    - check: file_exist\n      path: x.md\n'), {
      'cdp.rules': { 'invalid-gate-file': 'information' },
    });
    assert.deepEqual(
      info.findings.filter((f) => f.code === 'invalid-gate-file').map((f) => f.severity),
      ['information'],
    );
  });

  it('a value of a check that is not text is said on its key, on both readers', async () => {
    for (const [value, shape] of [
      ['[docs/a.md, docs/b.md]', 'a list'],
      ['\n        - docs/a.md', 'a list'],
      ['{a: 1}', 'a mapping'],
    ]) {
      const gate = `exit_requirements:\n  automated:\n    - check: file_exists\n      path: ${value}\n`;
      for (const fast of [true, false]) {
        const parsed = parseGateFile(gate, { fast });
        assert.equal(parsed.error?.message, `\`path\` must be text, not ${shape}`, `${value} ${fast}`);
        assert.deepEqual(
          parsed.error?.range,
          { start: { line: 3, character: 6 }, end: { line: 3, character: 10 } },
          value,
        );
      }
    }
  });

  it('a misspelt key of a check is a warning on the key, with a fix writing the key meant', async () => {
    const gate = [
      'exit_requirements:',
      '  automated:',
      '    - check: file_exists',
      '      paht: w/01-a/README.md',
      '    - check: grep_present',
      '      path: w/01-a/README.md',
      '      "patern": A',
      '    - check: file_exists',
      '      fallback_path: [w/01-a/README.md]',
      '    - check: file_exists',
      '      path: w/01-a/README.md',
      '      pathh: beside the key meant',
      '      timeout: 30',
      // Of another shape than the key meant reads, or a key whose slip costs nothing.
      '    - check: grep_present',
      '      paths: [src, test]',
      '      patterns: ["TODO", "TBD"]',
      '      requires: docker',
      '      fallback_path: docs/x.md',
      '',
    ].join('\n');
    // Alike on both readers.
    assert.deepEqual(parseGateFile(gate).groups, parseGateFile(gate, { fast: false }).groups);
    const c = await check({ 'w/01-a/README.md': readme('01', 'A'), 'w/02-b/GATE.yaml': gate });
    const found = c.findings.filter((f) => f.code === 'invalid-gate-file');
    assert.deepEqual(
      found.map(
        (f) => `${f.range.start.line}:${f.range.start.character}-${f.range.end.character} ${f.message}`,
      ),
      [
        '3:6-10 Gate file GATE.yaml: unknown key "paht" in a check — did you mean "path"? Its value is not read until it is fixed.',
        '6:7-13 Gate file GATE.yaml: unknown key "patern" in a check — did you mean "pattern"? Its value is not read until it is fixed.',
        '8:6-19 Gate file GATE.yaml: unknown key "fallback_path" in a check — did you mean "fallback_paths"? Its value is not read until it is fixed.',
      ],
    );
    // Each fix makes the check read its value: all three pass once fixed.
    let fixed = gate;
    for (const f of [...found].reverse()) {
      const fix = f.fixes?.[0];
      assert.ok(fix && fix.kind === 'edit', f.message);
      fixed = applyEdits(fixed, fix.edits);
    }
    const after = await check({ 'w/01-a/README.md': readme('01', 'A'), 'w/02-b/GATE.yaml': fixed });
    assert.deepEqual(after.of('invalid-gate-file'), []);
    assert.equal(
      fixed,
      gate
        .replace('paht', 'path')
        .replace('"patern"', '"pattern"')
        .replace('fallback_path:', 'fallback_paths:'),
    );
  });

  it('reads where a misspelt check type and paths are written alike on the fast path and the YAML parser', () => {
    const text =
      'exit_requirements:\n  automated:\n    - check: file_exist\n      path: a.md\n    - check:   "grep-present"   # x\n      pattern: a\n    - check: file_exists\n';
    const fast = parseGateFile(text);
    const slow = parseGateFile(text, { fast: false });
    assert.deepEqual(
      fast.groups[0].items.map((d) => d.checkRange),
      slow.groups[0].items.map((d) => d.checkRange),
    );
    assert.deepEqual(
      fast.groups[0].items.map(
        (d) =>
          d.checkRange && [d.checkRange.start.line, d.checkRange.start.character, d.checkRange.end.character],
      ),
      [[2, 13, 23], [4, 16, 28], undefined],
    );
    // Where paths are written, alike: plain, quoted, a list in brackets (read from the text,
    // an entry it cannot place as null), an evidence.
    for (const t of [
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: "a/B.md"\n      fallback_paths:\n        - c/d.md\n        - \'e/f.md\'\n    - check: file_exists\n      path: x/y.md\n      fallback_paths: [ g/h.md, "i/j k.md",\'l/m.md\' ]\n',
      'exit_requirements:\n  automated:\n    - check: file_exists\n      path: "a/B.md"\n      fallback_paths:\n        - c/d.md\n        - \'e/f.md\'\n    - check: file_exists\n      path: x/y.md\n      fallback_paths: [g/h.md, "n\\\\o.md"] # escaped\n',
      'exit_gates:\n  - criteria: planned\n    evidence: docs/Plan.md#risks\n  - criteria: signed\n    evidence: "docs/sign-off.md"\n',
    ]) {
      const f = parseGateFile(t);
      assert.deepEqual(f, parseGateFile(t, { fast: false }), t);
      const at = (
        r: { start: { line: number; character: number }; end: { character: number } } | null | undefined,
      ) => (r ? t.split('\n')[r.start.line].slice(r.start.character, r.end.character) : r);
      assert.deepEqual(
        f.groups[0].items.map((d) => [at(d.pathRange ?? d.evidenceRange), d.fallbackRanges?.map(at)]),
        t.startsWith('exit_gates')
          ? [
              ['docs/Plan.md', undefined],
              ['docs/sign-off.md', undefined],
            ]
          : [
              ['a/B.md', ['c/d.md', 'e/f.md']],
              ['x/y.md', t.includes('escaped') ? undefined : ['g/h.md', 'i/j k.md', 'l/m.md']],
            ],
      );
    }
  });

  it('near misses of check types and keys', () => {
    const cases: [string, string | undefined][] = [
      ['file_exist', 'file_exists'],
      ['File_Exists', 'file_exists'],
      ['FILE-EXISTS', 'file_exists'],
      ['grep-present', 'grep_present'],
      ['dir_notempty', 'dir_not_empty'],
      ['dir not empty', 'dir_not_empty'],
      ['tests_pasing', 'tests_passing'],
      ['grep_presnet', 'grep_present'],
      ['file_exists', undefined],
      ['file_contains', undefined],
      ['markdown_lint', undefined],
      ['', undefined],
    ];
    for (const [word, want] of cases) assert.equal(nearMiss(word, KNOWN_CHECKS), want, word);
  });

  it('a misspelt key of an entry is reported on the key, naming the key meant', async () => {
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/input-gates.yml':
        'input_gates:\n  - criteria: Problem identified\n    required: "yes"\n  - critera: Time allocated\n    required: true\n',
      'w/02-b/README.md': readme('02', 'B'),
      'w/02-b/exit-gates.yml': 'exit_gates:\n  - required: true\n    "Criteria": Done\n',
      'w/03-c/README.md': readme('03', 'C'),
      'w/03-c/exit-gates.yml': 'exit_gates:\n  - required: true\n    notes: none\n',
    });
    assert.deepEqual(c.of('invalid-gate-file'), [
      'w/01-a/input-gates.yml:4:5 Gate file input-gates.yml cannot be read: an entry of `input_gates` has no `criteria`: unknown key `critera` (did you mean `criteria`?). Its phase cannot be complete until it is fixed.',
      'w/02-b/exit-gates.yml:3:6 Gate file exit-gates.yml cannot be read: an entry of `exit_gates` has no `criteria`: unknown key `Criteria` (did you mean `criteria`?). Its phase cannot be complete until it is fixed.',
      'w/03-c/exit-gates.yml:2:1 Gate file exit-gates.yml cannot be read: an entry of `exit_gates` has no `criteria`. Its phase cannot be complete until it is fixed.',
    ]);
    const f = c.findings.find((x) => x.code === 'invalid-gate-file')!;
    assert.deepEqual(f.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 11 } });
  });

  it('a key meant as evidence, check or command, or as automated or manual, is reported on it: the gate would pass on less', async () => {
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/input-gates.yml':
        'input_gates:\n  - criteria: Vision written\n    evidance: docs/vision.md\n    source: team\n',
      'w/02-b/README.md': readme('02', 'B'),
      'w/02-b/GATE.yaml':
        'exit_requirements:\n  automatd:\n    - check: file_exists\n      path: docs/x.md\n  manual:\n    - "Signed"\n',
      'w/03-c/README.md': readme('03', 'C'),
      'w/03-c/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: README.md\n  manul:\n    - "Signed"\n',
      // Keys of a file's own, and a near miss beside the key itself, are left alone.
      'w/04-d/README.md': readme('04', 'D'),
      'w/04-d/exit-gates.yml':
        'exit_gates:\n  - criteria: Done\n    evidence: README.md\n    evidences: more\n    severity: high\n',
    });
    assert.deepEqual(c.of('invalid-gate-file'), [
      'w/01-a/input-gates.yml:3:5 Gate file input-gates.yml cannot be read: unknown key `evidance` in an entry of `input_gates` (did you mean `evidence`?). Its phase cannot be complete until it is fixed.',
      'w/02-b/GATE.yaml:2:3 Gate file GATE.yaml cannot be read: unknown key `automatd` under `exit_requirements` (did you mean `automated`?). Its phase cannot be complete until it is fixed.',
      'w/03-c/GATE.yaml:5:3 Gate file GATE.yaml cannot be read: unknown key `manul` under `exit_requirements` (did you mean `manual`?). Its phase cannot be complete until it is fixed.',
    ]);
    // Each with a fix writing the key meant, exactly over the key.
    assert.deepEqual(
      c.findings
        .filter((f) => f.code === 'invalid-gate-file')
        .map((f) => {
          const fix = f.fixes?.[0] as { title: string; edits: { range: unknown; newText: string }[] };
          return [
            fix.title,
            fix.edits[0].newText,
            JSON.stringify(fix.edits[0].range) === JSON.stringify(f.range),
          ];
        }),
      [
        ['Write `evidence`', 'evidence', true],
        ['Write `automated`', 'automated', true],
        ['Write `manual`', 'manual', true],
      ],
    );
  });

  it('a YAML error is shown where it is: the quote or bracket never closed, the duplicate key (LF and CRLF)', () => {
    const at = (text: string) => {
      const r = parseGateFile(text).error?.range;
      return r && `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
    };
    for (const eol of ['\n', '\r\n']) {
      const lines = (...l: string[]) => l.join(eol) + eol;
      const head = ['exit_requirements:', '  automated:', '    - check: grep_present'];
      assert.equal(at(lines(...head, '      pattern: "(roll', '      path: a.md')), '3:15-3:21', 'quote');
      assert.equal(at(lines(...head, '      path: a.md', '      path: b.md')), '4:6-4:10', 'duplicate key');
      assert.equal(at(lines(...head, '      fallback_paths: [docs/b.md')), '3:22-3:32', 'bracket');
      assert.equal(at(lines('exit_gates:', "  - criteria: 'open")), '1:14-1:19', 'single quote');
      // Quotes written inside the scalar are not where it opens.
      assert.equal(at(lines('exit_gates:', '  - criteria: "Unclosed \\"x\\" more')), '1:14-1:34', 'escaped');
      assert.equal(at(lines('exit_gates:', "  - criteria: 'It''s open")), '1:14-1:25', 'doubled');
      // A bracket never closed, noticed on a later key: where it opens.
      assert.equal(
        at(lines(...head, '      fallback_paths: [b.md, c.md', '  manual:', '    - ok')),
        '3:22-3:33',
        'bracket before a key',
      );
    }
  });

  it("an entry's own keys stay harmless: a list or mapping, keys beside evidence; an evidence wins over a check", async () => {
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/exit-gates.yml': [
        'exit_gates:',
        '  - criteria: PRD is complete',
        '    checks:',
        '      - Summary written',
        '    evidence: w/01-a/README.md',
        '  - criteria: Evidence beside a check',
        '    evidence: w/01-a/README.md',
        '    check: file_exists',
        '  - criteria: Empty check',
        '    check:',
        '    command: ""',
        '  - criteria: Listed checks only',
        '    checks: [a, b]',
        '',
      ].join('\n'),
    });
    assert.deepEqual(c.of('invalid-gate-file'), []);
    assert.deepEqual(items(c, 'w/01-a'), [
      'passed PRD is complete',
      'passed Evidence beside a check',
      'unconfirmed Empty check (a person must confirm it)',
      'unconfirmed Listed checks only (a person must confirm it)',
    ]);
  });

  it('an entry with a check or command that is no text is reported; an empty key hides no typo; prose evidence leaves the check to run', async () => {
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/exit-gates.yml': 'exit_gates:\n  - criteria: A command list\n    command: ["npm", "test"]\n',
      'w/02-b/README.md': readme('02', 'B'),
      'w/02-b/exit-gates.yml': 'exit_gates:\n  - criteria: Tests pass\n    evidence:\n    comand: npm test\n',
      'w/03-c/README.md': readme('03', 'C'),
      'w/03-c/exit-gates.yml':
        'exit_gates:\n  - criteria: CI green\n    evidence: CI run on main\n    check: tests_passing\n    command: "false"\n',
      'w/04-d/README.md': readme('04', 'D'),
      'w/04-d/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: README.md\n  automatd:\n    - check: grep_absent\n      pattern: TODO\n      path: README.md\n',
    });
    assert.deepEqual(
      c
        .of('invalid-gate-file')
        .map((m) => m.replace(/ Its phase cannot be complete until it is fixed\.$/, '')),
      [
        'w/01-a/exit-gates.yml:3:5 Gate file exit-gates.yml cannot be read: `command` must be text, not a list.',
        'w/02-b/exit-gates.yml:4:5 Gate file exit-gates.yml cannot be read: unknown key `comand` in an entry of `exit_gates` (did you mean `command`?).',
        'w/04-d/GATE.yaml:5:3 Gate file GATE.yaml cannot be read: unknown key `automatd` beside `automated` under `exit_requirements` (its items would go unchecked: move them to `automated`).',
      ],
    );
    // Evidence that is prose names no path: the command is what the entry runs.
    assert.deepEqual(items(c, 'w/03-c'), [
      'not-evaluated CI green (runs `false`: not run (use `cdp check --run-commands`))',
    ]);
    const more = await check({
      'w/01-a/README.md': readme('01', 'A'),
      // A slip beside prose evidence is still a slip; an abbreviation with a slash is prose.
      'w/01-a/exit-gates.yml':
        'exit_gates:\n  - criteria: Build green\n    evidence: CI run on main\n    comand: npm test\n',
      'w/02-b/README.md': readme('02', 'B'),
      'w/02-b/exit-gates.yml': [
        'exit_gates:',
        '  - criteria: CI/CD runs',
        '    evidence: CI/CD',
        '    command: "true"',
        '  - criteria: Not applicable',
        '    evidence: n/a',
        '    check: file_exists',
        '    path: CI/Dockerfile',
        '  - criteria: Flagged',
        '    evidenced: yes',
        '    checks: 2',
        '  - criteria: Sponsor agrees',
        '    evidence: sponsor acknowledgment',
        '    evidenced: signed memo',
        '  - criteria: Container builds',
        '    evidence: CI/Dockerfile',
        '  - criteria: Review',
        '    evidence: N/A',
        '  - criteria: Later',
        '    evidence: TBC/TBD',
        '  - criteria: Not needed',
        '    evidence: N/A.',
        '  - criteria: App exists',
        '    evidence: src/app',
        '    command: "false"',
        '',
      ].join('\n'),
      'src/app/main.ts': 'x\n',
      // An empty key hides no slip beside it.
      'w/03-c/README.md': readme('03', 'C'),
      'w/03-c/exit-gates.yml': 'exit_gates:\n  - criteria: Tests pass\n    command:\n    comand: npm test\n',
    });
    assert.deepEqual(
      more.of('invalid-gate-file').map((m) => m.split(' cannot be read: ')[1]),
      [
        'unknown key `comand` in an entry of `exit_gates` (did you mean `command`?). Its phase cannot be complete until it is fixed.',
        'unknown key `comand` in an entry of `exit_gates` (did you mean `command`?). Its phase cannot be complete until it is fixed.',
      ],
    );
    // (`N/A`, `CI/CD`: words, never paths; a real path under a short folder is a path)
    assert.deepEqual(items(more, 'w/02-b'), [
      'not-evaluated CI/CD runs (runs `true`: not run (use `cdp check --run-commands`))',
      'failed Not applicable (CI/Dockerfile does not exist or is an empty folder)',
      'unconfirmed Flagged (a person must confirm it)',
      'unconfirmed Sponsor agrees (a person must confirm it)',
      'failed Container builds (CI/Dockerfile does not exist or is an empty folder)',
      'unconfirmed Review (a person must confirm it)',
      'unconfirmed Later (a person must confirm it)',
      'unconfirmed Not needed (a person must confirm it)',
      'passed App exists',
    ]);
  });

  it('a top-level key meant as one the file has already is named so, with no fix writing it twice', async () => {
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/exit-gates.yml':
        'exit_gates:\n  - criteria: A\n    evidence: w/01-a/README.md\nexit:\n  approver: Jane\n',
    });
    const [f] = c.findings.filter((x) => x.code === 'invalid-gate-file');
    assert.match(
      f.message,
      /unknown key `exit` beside `exit_gates` \(its items would go unchecked: move them to `exit_gates`, or name the key otherwise\)/,
    );
    assert.deepEqual(f.fixes ?? [], []);
  });

  it('a list entry that is not text is named by its number and line, not as its key', () => {
    const error = (text: string) => {
      const e = parseGateFile(text).error;
      return e && `${e.line + 1}: ${e.message}`;
    };
    const manual = 'exit_requirements:\n  manual:\n    - Sponsor agreed\n';
    assert.equal(
      error(`${manual}    - description: Budget approved\n`),
      '4: `manual` entry 2 (line 4) must be text, not a mapping',
    );
    assert.equal(error(`${manual}    - [a, b]\n`), '4: `manual` entry 2 (line 4) must be text, not a list');
    assert.equal(error(`${manual}    - ""\n`), '4: `manual` entry 2 (line 4) is empty');
    assert.equal(
      error(
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: a.md\n      fallback_paths:\n        - b.md\n        - {x: 1}\n',
      ),
      '7: `fallback_paths` entry 2 (line 7) must be text, not a mapping',
    );
    // A key's own value is named by the key.
    assert.equal(error('exit_gates:\n  - criteria: [a]\n'), '2: `criteria` must be text, not a list');
  });

  it('a broken gate file is one invalid-gate-file finding, its phase cannot pass, and nothing else breaks', async () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nexit_gates: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
    const c = await check({
      'w/01-a/README.md': `${readme('01', 'A')}\n## Exit Criteria\n\n- [ ] own item\n`,
      'w/01-a/GATE.yaml': 'exit_requirements:\n  automated: [\n',
      'w/02-b/README.md': readme('02', 'B'),
      'w/02-b/exit-gates.yml': 'exit_gates:\n  - criteria: [not, text]\n',
      'w/03-c/README.md': readme('03', 'C'),
      'w/03-c/input-gates.yml': bomb,
      'w/04-d/README.md': readme('04', 'D'),
      'w/04-d/GATE.yaml': `exit_gates:\n${'  - criteria: x\n'.repeat(5)}# ${'x'.repeat(1100 * 1024)}\n`,
      'w/05-e/README.md': readme('05', 'E'),
      'w/05-e/GATE.yaml': 'exit_requirements: "none"\n',
    });
    const msgs = c.of('invalid-gate-file');
    assert.equal(msgs.length, 5, msgs.join('\n'));
    // At the bracket never closed.
    assert.match(msgs[0], /^w\/01-a\/GATE\.yaml:2:14 .*YAML error/);
    assert.match(msgs[1], /^w\/02-b\/exit-gates\.yml:2:5 .*`criteria` must be text/);
    assert.match(msgs[2], /^w\/03-c\/input-gates\.yml:.*(aliases|must be a mapping)/);
    assert.match(msgs[3], /^w\/04-d\/GATE\.yaml:1:1 .*larger than/);
    assert.match(msgs[4], /^w\/05-e\/GATE\.yaml:1:\d+ .*must be a mapping/);
    // The phases are still phases, with their own checklists.
    const [w] = c.analysis.workflows();
    assert.equal(w.phases.length, 5);
    assert.deepEqual(c.of('unmet-criterion'), [
      'w/01-a/README.md:7:1 Unmet exit criterion (Exit Criteria): own item',
    ]);
    // Gates nobody could read never pass: each phase names its file, with the kind its
    // name says and no items.
    const json = workflowJson(w, rel);
    assert.deepEqual(
      json.phases.map((p) => [p.phase, p.complete, p.reasons]),
      [
        ['01', false, ['Exit Criteria: 1 of 1 unticked', 'GATE.yaml cannot be read']],
        ['02', false, ['exit-gates.yml cannot be read']],
        ['03', false, ['input-gates.yml cannot be read']],
        ['04', false, ['GATE.yaml cannot be read']],
        ['05', false, ['GATE.yaml cannot be read']],
      ],
    );
    assert.deepEqual(
      w.phases.map((p) => p.groups.filter((g) => g.file).map((g) => [g.kind, g.total, g.passed])),
      [
        [['gate', 0, false]],
        [['exit', 0, false]],
        [['entry', 0, false]],
        [['gate', 0, false]],
        [['gate', 0, false]],
      ],
    );
    assert.equal(currentPhase(w), w.phases[0]);
    // A gate check of the phase fails on it, whichever gate is asked for.
    for (const gate of [undefined, 'exit', 'entry', 'gates']) {
      const v = verdict(w, w.phases[3], selectGroups(w.phases[3], gate));
      assert.equal(v.passed, false, String(gate));
      assert.ok(v.reasons.includes('GATE.yaml cannot be read'), `${gate}: ${v.reasons.join('; ')}`);
    }
    assert.deepEqual(
      selectGroups(w.phases[1], 'entry').map((g) => g.heading),
      [],
      'an unreadable exit-gates.yml is not an entry gate',
    );
  });

  it("--gate gates selects a phase's gate files, entry and exit ones alike, beside its gate headings", async () => {
    const c = await check({
      'docs/helix/01-frame/README.md':
        '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n\n### Review Gate\n\n- [ ] reviewed\n',
      'docs/helix/01-frame/input-gates.yml': 'input_gates:\n  - criteria: Sponsor named\n',
      'docs/helix/01-frame/exit-gates.yml': 'exit_gates:\n  - criteria: PRD approved\n',
    });
    const phase = c.analysis.workflows()[0].phases[0];
    assert.deepEqual(
      selectGroups(phase, 'gates').map((g) => `${g.heading} (${g.kind})`),
      ['Review Gate (gate)', 'Input Gates (entry)', 'Exit Gates (exit)'],
    );
  });

  it('a gate-file group with no items is not passed: the phase stays current and says why', async () => {
    for (const [yaml, heading] of [
      ['exit_gates: []\n', 'Exit Gates'],
      ['exit_requirements:\n  automated: []\n  manual: []\n', 'Exit Requirements'],
    ]) {
      const c = await check({ 'w/01-a/README.md': readme('01', 'A'), 'w/01-a/GATE.yaml': yaml });
      const [phase] = workflowJson(c.analysis.workflows()[0], rel).phases;
      assert.equal(phase.complete, false, yaml);
      assert.deepEqual(phase.reasons, [`${heading} has no criteria`]);
      assert.deepEqual(
        phase.groups.map((g) => [g.heading, g.file, g.total, g.passed, g.reason]),
        [[heading, 'w/01-a/GATE.yaml', 0, false, `${heading} has no criteria`]],
      );
    }
  });

  it('an item written `required: false` is shown and reported, but its group passes without it', async () => {
    const exitGates = (prd: string) =>
      `exit_gates:\n  - criteria: PRD\n    evidence: ${prd}\n  - criteria: Risk register\n    required: false\n    evidence: w/01-a/risk.md\n`;
    const base = { 'w/01-a/README.md': readme('01', 'A'), 'w/02-b/README.md': readme('02', 'B') };
    // The required item met, the optional one not: the group and the phase pass.
    let c = await check({ ...base, 'w/01-a/exit-gates.yml': exitGates('w/01-a/README.md') });
    let w = c.analysis.workflows()[0];
    let [phase] = workflowJson(w, rel).phases;
    assert.equal(phase.complete, true);
    assert.deepEqual(phase.reasons, []);
    let [g] = phase.groups;
    assert.deepEqual([g.total, g.checked, g.passed, g.reason, g.unmet], [2, 1, true, undefined, []]);
    assert.deepEqual(g.optional, [
      {
        text: 'Risk register',
        line: 4,
        state: 'failed',
        file: 'w/01-a/exit-gates.yml',
        reason: 'w/01-a/risk.md does not exist',
      },
    ]);
    assert.notEqual(currentPhase(w)?.dir, 'w/01-a');
    const exit = selectGroups(phaseOf(c, 'w/01-a'), 'exit');
    let v = verdict(w, phaseOf(c, 'w/01-a'), exit);
    assert.deepEqual([v.passed, v.unmet.length, v.reasons], [true, 0, []]);
    // Still reported where it is written, named optional.
    assert.deepEqual(
      c.findings.filter((f) => f.code === 'unmet-criterion').map((f) => [rel(f.uri), f.message]),
      [
        [
          'w/01-a/exit-gates.yml',
          'Unmet optional exit criterion (Exit Gates): Risk register — w/01-a/risk.md does not exist',
        ],
      ],
    );
    // The required item unmet: the reason counts the required items only.
    c = await check({ ...base, 'w/01-a/exit-gates.yml': exitGates('w/01-a/prd.md') });
    w = c.analysis.workflows()[0];
    [phase] = workflowJson(w, rel).phases;
    [g] = phase.groups;
    assert.deepEqual(
      [phase.complete, g.passed, g.reason],
      [false, false, 'Exit Gates: 1 of 1 required unmet'],
    );
    assert.deepEqual(
      g.unmet.map((u) => u.text),
      ['PRD'],
    );
    assert.deepEqual(
      g.optional?.map((u) => u.text),
      ['Risk register'],
    );
    v = verdict(w, phaseOf(c, 'w/01-a'), selectGroups(phaseOf(c, 'w/01-a'), 'exit'));
    assert.deepEqual(
      v.unmet.map((u) => u.item.text),
      ['PRD'],
    );
    // Both met: `optional` is written, empty.
    c = await check({
      ...base,
      'w/01-a/exit-gates.yml': exitGates('w/01-a/README.md'),
      'w/01-a/risk.md': '# Risks\n',
    });
    [g] = workflowJson(c.analysis.workflows()[0], rel).phases[0].groups;
    assert.deepEqual([g.passed, g.checked, g.optional], [true, 2, []]);
    // Only optional items, none met: nothing is required, so the group passes.
    c = await check({
      ...base,
      'w/01-a/input-gates.yml': 'input_gates:\n  - criteria: Nice to have\n    required: false\n',
    });
    [g] = workflowJson(c.analysis.workflows()[0], rel).phases[0].groups;
    assert.deepEqual([g.kind, g.passed, g.unmet, g.optional?.[0].state], ['entry', true, [], 'unconfirmed']);
    // Complete, so started, though nothing in it was ticked.
    assert.equal(workflowJson(c.analysis.workflows()[0], rel).phases[0].started, true);
    // `required: false` on a GATE.yaml check too ("no" reads as false).
    c = await check({
      ...base,
      'w/01-a/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: w/01-a/missing.md\n      required: false\n    - check: file_exists\n      path: w/01-a/README.md\n      required: "no"\n',
    });
    [g] = workflowJson(c.analysis.workflows()[0], rel).phases[0].groups;
    assert.deepEqual(
      [g.passed, g.unmet.length, g.optional?.map((u) => u.reason)],
      [true, 0, ['w/01-a/missing.md does not exist']],
    );
  });

  it('`required:` reads the usual false and true spellings; any other value is said and counts as required', async () => {
    const optional = ['false', 'no', 'off', '0', 'Off', 'NO', 'FALSE', '"off"', "'0'", '"No"'];
    const required = ['true', 'yes', 'on', '1', 'On', '"YES"', "'true'", '"1"'];
    const unread = ['optional', '2', 'maybe', '"n"'];
    const written = [...optional, ...required, ...unread];
    const text = `exit_gates:\n${written.map((v, i) => `  - criteria: C${i}\n    required: ${v}\n`).join('')}`;
    // The fast reader and the full one agree.
    for (const fast of [true, false]) {
      const items = parseGateFile(text, { fast }).groups[0].items;
      assert.deepEqual(
        items.map((i) => [i.text, i.required, i.unreadRequired?.value]),
        written.map((v, i) => [
          `C${i}`,
          !optional.includes(v),
          unread.includes(v) ? `"${v.replace(/"/g, '')}"` : undefined,
        ]),
      );
    }
    // Under `exit_requirements` and `validation_rules` too; a list is no flag either.
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: w/01-a/README.md\n      required: optional\n' +
        'validation_rules:\n  - description: Reviewed\n    required: [x]\n  - description: Signed\n    required: Off\n',
    });
    const said = (value: string) =>
      `Gate file GATE.yaml: \`required\` is ${value}, neither true nor false: write true, yes, on or 1 (required), or false, no, off or 0 (optional). The item counts as required until it is fixed.`;
    assert.deepEqual(c.of('invalid-gate-file'), [
      `w/01-a/GATE.yaml:5:17 ${said('"optional"')}`,
      `w/01-a/GATE.yaml:8:5 ${said('a list')}`,
    ]);
    assert.ok(
      c.findings.filter((f) => f.code === 'invalid-gate-file').every((f) => f.severity === 'warning'),
    );
    const items = parseGateFile(c.ws.files.get(c.ws.uri('w/01-a/GATE.yaml'))!).groups.flatMap((g) => g.items);
    assert.deepEqual(
      items.map((i) => [i.text, i.required]),
      [
        ['file_exists w/01-a/README.md', true],
        ['Reviewed', true],
        ['Signed', false],
      ],
    );
  });

  it('reads gate files, confirmations and metadata written with CR or CRLF line breaks as with LF', async () => {
    const files: Record<string, string> = {
      'w/01-a/README.md': '# Phase 01: A\n\nText.\n',
      'w/01-a/GATE.yaml': gate('    - check: file_exists\n      path: w/01-a/plan.md', ['Signed', 'Staged']),
      'w/01-a/input-gates.yml': 'input_gates:\n  - criteria: Funded\n    required: false\n',
      '.cdp/confirmations.yml': '- file: "w/01-a/GATE.yaml"\n  item: "Signed"\n  by: "Ada"\n',
      'w/01-a/plan.md': '---\nddx:\n  id: plan\n  depends_on:\n    - nothing\n---\n# Plan\n',
    };
    const seen = (c: Checked) =>
      JSON.stringify({
        items: items(c, 'w/01-a'),
        findings: c.findings.map((f) => [f.code, rel(f.uri), f.range.start.line, f.message]),
        groups: phaseOf(c, 'w/01-a').groups.map((g) => [g.heading, g.line, g.items.map((i) => i.line)]),
      });
    const lf = seen(await check(files));
    assert.match(lf, /passed Signed/);
    assert.match(lf, /missing-dependency/);
    for (const eol of ['\r', '\r\n']) {
      const written = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace(/\n/g, eol)]));
      assert.equal(seen(await check(written)), lf, JSON.stringify(eol));
    }
  });

  it('out-of-order: a phase started by confirming a manual gate item alone, before an earlier phase is met', async () => {
    const files: Record<string, string> = {
      'w/00-a/README.md': '# Phase 00: A\n\nText.\n',
      'w/00-a/exit-gates.yml': 'exit_gates:\n  - criteria: Vision approved\n    evidence: sponsor sign-off\n',
      'w/01-b/README.md': '# Phase 01: B\n\nText.\n',
      'w/01-b/GATE.yaml': gate('    - check: file_exists\n      path: w/01-b/README.md', [
        'Scope agreed',
        'Signed',
      ]),
    };
    const confirmed = '- file: "w/01-b/GATE.yaml"\n  item: "Signed"\n  by: "Ada"\n';
    // Only a passing automated check in 01: nobody started it.
    assert.deepEqual((await check(files)).of('out-of-order'), []);
    const c = await check({ ...files, '.cdp/confirmations.yml': confirmed });
    assert.deepEqual(c.of('out-of-order'), [
      'w/01-b/README.md:1:3 A gate item of phase 01 is confirmed while phase 00 (A) still has 1 unmet exit or gate group: Exit Gates 0/1.',
    ]);
    const f = c.findings.find((x) => x.code === 'out-of-order')!;
    assert.deepEqual(
      f.related?.map((r) => [rel(r.uri), r.range.start.line, r.message]),
      [
        [
          'w/01-b/GATE.yaml',
          files['w/01-b/GATE.yaml'].split('\n').findIndex((l) => l.includes('Signed')),
          'confirmed: Signed',
        ],
        ['w/00-a/exit-gates.yml', 0, 'Exit Gates: 0/1'],
      ],
    );
    // Once 00 is met too, nothing is out of order.
    const met = await check({
      ...files,
      '.cdp/confirmations.yml': `${confirmed}- file: "w/00-a/exit-gates.yml"\n  item: "Vision approved"\n  by: "Bo"\n`,
    });
    assert.deepEqual(met.of('out-of-order'), []);
  });

  it('out-of-order: a phase of gate files alone (no README) started by a confirmation is said on the confirmed item', async () => {
    const files: Record<string, string> = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
      'docs/helix/02-design/GATE.yaml':
        'exit_requirements:\n  manual:\n    - "Scope agreed"\n    - "Design review held"\n',
    };
    const confirmed = '- file: docs/helix/02-design/GATE.yaml\n  item: Design review held\n';
    assert.deepEqual((await check(files)).of('out-of-order'), []);
    const c = await check({ ...files, '.cdp/confirmations.yml': confirmed });
    assert.deepEqual(c.of('out-of-order'), [
      'docs/helix/02-design/GATE.yaml:4:5 A gate item of phase 02 is confirmed while phase 01 (Frame) still has 1 unmet exit or gate group: Exit Criteria 0/1.',
    ]);
    const f = c.findings.find((x) => x.code === 'out-of-order')!;
    assert.deepEqual(
      f.related?.map((r) => [rel(r.uri), r.range.start.line, r.message]),
      [['docs/helix/01-frame/README.md', 2, 'Exit Criteria: 0/1']],
    );
    // Written as a flow mapping on one line, as in a copied gate file: on that line.
    const flow = await check({
      ...files,
      'docs/helix/02-design/GATE.yaml': 'exit_requirements: {manual: ["Design review held"]}\n',
      '.cdp/confirmations.yml': confirmed,
    });
    assert.deepEqual(
      flow.of('out-of-order').map((s) => s.replace(/ while.*/, '')),
      ['docs/helix/02-design/GATE.yaml:1:1 A gate item of phase 02 is confirmed'],
    );
    // A second gate file of the folder that holds no confirmed item says nothing.
    const two = await check({
      ...files,
      'docs/helix/02-design/input-gates.yml': 'input_gates:\n  - criteria: Funded\n',
      '.cdp/confirmations.yml': confirmed,
    });
    assert.deepEqual(
      two.of('out-of-order').map((s) => s.split(' ')[0]),
      ['docs/helix/02-design/GATE.yaml:4:5'],
    );
    // Once 01 is met, nothing is out of order.
    const met = await check({
      ...files,
      'docs/helix/01-frame/README.md': files['docs/helix/01-frame/README.md'].replace('[ ]', '[x]'),
      '.cdp/confirmations.yml': confirmed,
    });
    assert.deepEqual(met.of('out-of-order'), []);
  });

  it("a path that exists only below the gate file's project says so: gate paths are the workspace folder's", async () => {
    const files = {
      'svc/api/docs/helix/03-build/README.md': readme('03', 'Build'),
      'svc/api/docs/helix/03-build/GATE.yaml': gate(
        '    - check: file_exists\n      path: docs/helix/03-build/notes.md\n    - check: file_exists\n      path: README.md',
      ),
      'svc/api/docs/helix/03-build/exit-gates.yml':
        'exit_gates:\n  - criteria: Notes\n    evidence: ./docs/helix/03-build/notes.md#plan\n',
      'svc/api/docs/helix/03-build/notes.md': '# Notes\n\n## Plan\n',
    };
    const c = await check(files);
    assert.deepEqual(items(c, 'svc/api/docs/helix/03-build'), [
      'failed Notes (./docs/helix/03-build/notes.md does not exist (svc/api/docs/helix/03-build/notes.md exists: gate paths are relative to the workspace folder, not to svc/api/))',
      'failed file_exists docs/helix/03-build/notes.md (docs/helix/03-build/notes.md does not exist (svc/api/docs/helix/03-build/notes.md exists: gate paths are relative to the workspace folder, not to svc/api/))',
      // A bare file name means the workspace's own (its README), not the phase folder's.
      'failed file_exists README.md (README.md does not exist)',
    ]);
  });

  it('a file name written relative to the gate file, which exists beside it, says how to write the path', async () => {
    const why = (p: string) =>
      `docs/helix/01-frame/${p} exists beside the gate file: gate paths are relative to the workspace folder, not to the gate file's; write docs/helix/01-frame/${p}`;
    const c = await check({
      'docs/helix/01-frame/README.md': readme('01', 'Frame'),
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Users\n',
      'docs/helix/notes.md': '# Notes\n',
      'docs/helix/01-frame/GATE.yaml': gate(
        [
          '    - check: file_exists\n      path: ./prd.md',
          '    - check: file_exists\n      path: prd.md',
          '    - check: grep_present\n      pattern: Users\n      path: ./prd.md',
          // Only beside the gate file, not in the folders above it.
          '    - check: file_exists\n      path: notes.md',
          // Written from the root: no hint.
          '    - check: file_exists\n      path: /prd.md',
          // A bare README is the workspace's own (every phase folder has one); `./` is not.
          '    - check: file_exists\n      path: README.md',
          '    - check: file_exists\n      path: ./README.md',
        ].join('\n'),
      ),
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: Users\n    evidence: ./prd.md#users\n',
    });
    assert.deepEqual(items(c, 'docs/helix/01-frame'), [
      `failed Users (./prd.md does not exist (${why('prd.md')}))`,
      `failed file_exists ./prd.md (./prd.md does not exist (${why('prd.md')}))`,
      `failed file_exists prd.md (prd.md does not exist (${why('prd.md')}))`,
      `failed grep_present ./prd.md (./prd.md does not exist (${why('prd.md')}))`,
      'failed file_exists notes.md (notes.md does not exist)',
      'failed file_exists /prd.md (/prd.md does not exist)',
      'failed file_exists README.md (README.md does not exist)',
      `failed file_exists ./README.md (./README.md does not exist (${why('README.md')}))`,
    ]);
  });

  it('a path that exists beside the gate file wins over a near miss or other letter case at the root, and a folder there counts', async () => {
    const why = (p: string, folder = false) =>
      `${folder ? 'the folder ' : ''}docs/helix/02-design/${p} exists beside the gate file: gate paths are relative to the workspace folder, not to the gate file's; write docs/helix/02-design/${p}`;
    const c = await check({
      'docs/helix/02-design/README.md': readme('02', 'Design'),
      'docs/helix/02-design/test-plan.md': '# Test plan\n',
      'docs/helix/02-design/architecture.md': '# Architecture\n',
      'docs/helix/02-design/specs/s.md': '# S\n',
      // Unrelated files at the root: a slip away, in other letter case, a folder a slip away.
      'test-plans.md': '# Other\n',
      'ARCHITECTURE.md': '# Other\n',
      'spec/a.md': '# A\n',
      'docs/helix/02-design/GATE.yaml': gate(
        [
          '    - check: file_exists\n      path: test-plan.md',
          '    - check: file_exists\n      path: architecture.md',
          '    - check: file_exists\n      path: specs',
          '    - check: dir_not_empty\n      path: ./specs/',
          '    - check: grep_present\n      pattern: Test\n      path: ./test-plan.md',
        ].join('\n'),
      ),
    });
    assert.deepEqual(items(c, 'docs/helix/02-design'), [
      `failed file_exists test-plan.md (test-plan.md does not exist (${why('test-plan.md')}))`,
      `failed file_exists architecture.md (architecture.md does not exist (${why('architecture.md')}))`,
      `failed file_exists specs (specs does not exist or is an empty folder (${why('specs', true)}))`,
      `failed dir_not_empty ./specs/ (./specs/ is empty or missing (${why('specs/', true)}))`,
      `failed grep_present ./test-plan.md (./test-plan.md does not exist (${why('test-plan.md')}))`,
    ]);
    // With nothing beside the gate file, the root's near miss and other letter case are said.
    const root = await check({
      'docs/helix/02-design/README.md': readme('02', 'Design'),
      'test-plans.md': '# Other\n',
      'ARCHITECTURE.md': '# Other\n',
      'spec/a.md': '# A\n',
      'docs/helix/02-design/GATE.yaml': gate(
        [
          '    - check: file_exists\n      path: test-plan.md',
          '    - check: file_exists\n      path: architecture.md',
          '    - check: file_exists\n      path: specs',
        ].join('\n'),
      ),
    });
    assert.deepEqual(items(root, 'docs/helix/02-design'), [
      'failed file_exists test-plan.md (test-plan.md does not exist (did you mean test-plans.md?))',
      'failed file_exists architecture.md (architecture.md does not exist (only ARCHITECTURE.md, in other letter case: Linux CI and GitHub do not find it))',
      'failed file_exists specs (specs does not exist (did you mean spec/?))',
    ]);
  });

  it('a gate-file group written with nothing in it is an empty-gate on its key: its phase could never be complete', async () => {
    const text =
      'entry_requirements:\n  automated: []\n  manual: []\nexit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/04-build/README.md\n';
    const c = await check({
      'docs/helix/04-build/README.md': readme('04', 'Build'),
      'docs/helix/04-build/GATE.yaml': text,
      'docs/helix/05-deploy/README.md': readme('05', 'Deploy'),
      'docs/helix/05-deploy/exit-gates.yml': 'exit_gates:\n',
    });
    assert.deepEqual(c.of('empty-gate'), [
      'docs/helix/04-build/GATE.yaml:1:1 Gate file GATE.yaml: "Entry Requirements" has no criteria, so it can never pass and its phase cannot be complete. Add checks or manual items, or remove the key.',
      'docs/helix/05-deploy/exit-gates.yml:1:1 Gate file exit-gates.yml: "Exit Gates" has no criteria, so it can never pass and its phase cannot be complete. Add checks or manual items, or remove the key.',
    ]);
    const f = c.findings.find((x) => x.code === 'empty-gate')!;
    assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 18 } });
    // A definition's empty groups are its template's: no finding.
    const def = await check(
      {
        'lib/01-frame/README.md': readme('01', 'Frame'),
        'lib/01-frame/GATE.yaml': 'entry_requirements:\n  automated: []\n',
      },
      { cdp: { definitions: ['lib'] } },
    );
    assert.deepEqual(def.of('empty-gate'), []);
  });

  it("a search over a glob that matches only the gate file's project fails, saying so: it searched nothing", async () => {
    const files = {
      'products/alpha/docs/helix/01-frame/README.md': readme('01', 'Frame'),
      'products/alpha/docs/helix/01-frame/prd.md': '# PRD\n\n[NEEDS CLARIFICATION] who is the user?\n',
      'products/alpha/docs/helix/01-frame/GATE.yaml': gate(
        [
          '    - check: grep_absent\n      pattern: "NEEDS CLARIFICATION"\n      path: docs/helix/01-frame/**/*.md',
          '    - check: grep_present\n      pattern: "PRD"\n      path: docs/helix/01-frame/prd.md',
          '    - check: grep_present\n      pattern: "PRD"\n      path: docs/helix/01-frame/*.md',
          // Matching nothing anywhere: nothing to find in, as before.
          '    - check: grep_absent\n      pattern: "TODO"\n      path: docs/helix/09-none/**/*.md',
        ].join('\n'),
      ),
    };
    const c = await check(files);
    const why = 'gate paths are relative to the workspace folder, not to products/alpha/';
    assert.deepEqual(items(c, 'products/alpha/docs/helix/01-frame'), [
      // (it passed: the marker is in prd.md)
      `failed grep_absent docs/helix/01-frame/**/*.md (docs/helix/01-frame/**/*.md matches no file (products/alpha/docs/helix/01-frame/**/*.md matches 2 files: ${why}))`,
      `failed grep_present docs/helix/01-frame/prd.md (docs/helix/01-frame/prd.md does not exist (products/alpha/docs/helix/01-frame/prd.md exists: ${why}))`,
      `failed grep_present docs/helix/01-frame/*.md (docs/helix/01-frame/*.md does not exist (products/alpha/docs/helix/01-frame/*.md matches 2 files: ${why}))`,
      'passed grep_absent docs/helix/09-none/**/*.md',
    ]);
  });

  it('a path written from a folder above the workspace folder (its own folders first) says so', async () => {
    // The workspace folder is file:///ws: a service folder opened on its own, its gate file
    // written from the repository's root (where `cdp check` puts the root).
    const c = await check({
      'docs/helix/02-design/README.md': readme('02', 'Design'),
      'docs/helix/02-design/GATE.yaml': gate(
        '    - check: file_exists\n      path: ws/docs/helix/02-design/architecture.md\n    - check: file_exists\n      path: ws/docs/helix/02-design/missing.md',
      ),
      'docs/helix/02-design/architecture.md': '# Architecture\n',
    });
    assert.deepEqual(items(c, 'docs/helix/02-design'), [
      'failed file_exists ws/docs/helix/02-design/architecture.md (ws/docs/helix/02-design/architecture.md does not exist (docs/helix/02-design/architecture.md exists: the path is written from a folder above this workspace folder, which ends in ws/; gate paths are relative to the workspace folder: open the folder above it, or write docs/helix/02-design/architecture.md))',
      'failed file_exists ws/docs/helix/02-design/missing.md (ws/docs/helix/02-design/missing.md does not exist)',
    ]);
  });

  it('a key written twice in one mapping makes the gate file unreadable, as DDX reads it', () => {
    for (const text of [
      'exit_requirements:\n  manual: ["a"]\nexit_requirements:\n  manual: ["b"]\n',
      'exit_requirements:\n  manual: ["a"]\n  manual: ["b"]\n',
      'exit_gates:\n  - criteria: A\n    criteria: B\n',
    ]) {
      const parsed = parseGateFile(text);
      assert.deepEqual(parsed.groups, [], text);
      assert.match(parsed.error?.message ?? '', /unique/i, text);
    }
    // The same key in different mappings is fine.
    const ok = parseGateFile('exit_gates:\n  - criteria: A\n  - criteria: B\n');
    assert.equal(ok.error, undefined);
    assert.equal(ok.groups[0].items.length, 2);
    // Many keys: read in one pass (a map of 50,000 keys).
    const many = `other:\n${Array.from({ length: 50_000 }, (_, i) => `  k${i}: 1\n`).join('')}exit_gates: []\n`;
    assert.equal(parseGateFile(many).error, undefined);
  });

  it('reads merge keys (<<: *base) and the first document of a stream, as DDX reads YAML', () => {
    const parsed = parseGateFile(
      'x-base: &base\n  check: file_exists\n  description: from the base\nexit_requirements:\n  automated:\n    - <<: *base\n      path: a.md\n    - <<: [*base]\n      path: b.md\n      description: its own\n---\n',
    );
    assert.equal(parsed.error, undefined, parsed.error?.message);
    const items = parsed.groups[0].items;
    assert.deepEqual(
      items.map((i) => [i.kind, i.text, i.line]),
      [
        ['check', 'from the base', 5],
        ['check', 'its own', 7],
      ],
    );
    // A second document after the first is not read.
    const two = parseGateFile('exit_gates:\n  - criteria: A\n---\nexit_gates:\n  - criteria: B\n');
    assert.equal(two.error, undefined);
    assert.deepEqual(
      two.groups.flatMap((g) => g.items.map((i) => i.text)),
      ['A'],
    );
  });

  it('a first YAML document without gates, the gates in a later one, says only the first is read and where they are', () => {
    const gates = 'exit_requirements:\n  manual: [Signed]\n';
    const cases: [string, number, number][] = [
      // (text, the document holding the gates, the line of its `---`)
      [`---\n# Gate for Frame\n---\n${gates}`, 2, 2],
      [`phase: frame\n---\n${gates}`, 2, 1],
      [`phase: frame\n---\nnotes: x\n---\n${gates}`, 3, 3],
    ];
    for (const [text, n, line] of cases) {
      for (const fast of [true, false]) {
        const parsed = parseGateFile(text, { fast });
        assert.deepEqual(parsed.groups, []);
        assert.equal(
          parsed.error?.message,
          `only the first YAML document of a gate file is read, and its gates are in document ${n}, after the \`---\` on line ${line + 1}: remove the \`---\` that starts it to have them read`,
          text,
        );
        assert.equal(parsed.error?.line, line, text);
      }
    }
    // No gates in a later document either: said as before.
    assert.match(
      parseGateFile('phase: frame\n---\nnotes: x\n').error?.message ?? '',
      /none of its keys is one of/,
    );
    assert.equal(
      parseGateFile('---\n# c\n---\n- a\n').error?.message,
      'the file must be a mapping of keys to values',
    );
  });

  it("merge keys at the top of a gate file are followed too, the file's own keys winning", () => {
    const read = (text: string) => {
      const fast = parseGateFile(text);
      // The fast path leaves anchors and merge keys to the yaml package: both read alike.
      assert.deepEqual(fast, parseGateFile(text, { fast: false }));
      assert.equal(fast.error, undefined, fast.error?.message);
      return fast.groups.map((g) => [g.heading, g.line, g.items.map((i) => i.text)]);
    };
    const common = 'x-common: &c\n  exit_requirements:\n    manual: ["From merge"]\n';
    assert.deepEqual(read(`${common}<<: [*c]\nentry_requirements:\n  manual: [k]\n`), [
      ['Exit Requirements', 1, ['From merge']],
      ['Entry Requirements', 4, ['k']],
    ]);
    assert.deepEqual(read(`${common}<<: *c\n`), [['Exit Requirements', 1, ['From merge']]]);
    // Its own key wins over the merged one; a chain of merges is followed, the nearer winning.
    assert.deepEqual(read(`${common}<<: *c\nexit_requirements:\n  manual: [own]\n`), [
      ['Exit Requirements', 4, ['own']],
    ]);
    const chain =
      'base: &b\n  exit_requirements:\n    manual: [deep]\n  entry_requirements:\n    manual: [e1]\n' +
      'x: &x\n  <<: *b\n  entry_requirements:\n    manual: [e2]\n<<: *x\n';
    assert.deepEqual(read(chain), [
      ['Exit Requirements', 1, ['deep']],
      ['Entry Requirements', 7, ['e2']],
    ]);
    // Merging nothing of a gate's: still a file with no gate key.
    assert.match(parseGateFile('<<: {a: 1}\n').error?.message ?? '', /none of its keys is one of/);
  });

  it('an entry written as an alias, or with its criteria merged in, stands on its own line, not on the anchor', () => {
    const text =
      'defaults:\n  x: &d\n    criteria: Shared check\n  y: &c\n    check: file_exists\n    path: nowhere.md\n' +
      'exit_gates:\n  - criteria: First\n  - *d\n  - <<: *d\n    required: false\n  - <<: *d\n    criteria: Other\n' +
      'entry_requirements:\n  automated:\n    - *c\n    - <<: *c\n      path: b.md\n';
    const parsed = parseGateFile(text);
    assert.equal(parsed.error, undefined, parsed.error?.message);
    const lines = text.split('\n');
    assert.deepEqual(
      parsed.groups.flatMap((g) => g.items.map((i) => [i.text, i.line, lines[i.line].trim()])),
      [
        ['First', 7, '- criteria: First'],
        ['Shared check', 8, '- *d'],
        ['Shared check', 9, '- <<: *d'],
        ['Other', 12, 'criteria: Other'],
        ['file_exists nowhere.md', 15, '- *c'],
        ['file_exists b.md', 16, '- <<: *c'],
      ],
    );
  });

  it('refuses a gate file nested deeper than the YAML guard allows, with the reason', () => {
    const p = parseGateFile(`exit_gates:\n  - criteria: ${'['.repeat(5000)}\n`);
    assert.deepEqual(p.groups, []);
    assert.match(p.error?.message ?? '', /nested more than \d+ levels/);
  });

  it('says why a gate file past the YAML guard cannot be read in sentences ending in one full stop', async () => {
    const c = await check({
      'w/01-a/README.md': readme('01', 'A'),
      'w/01-a/GATE.yaml': `exit_gates:\n  - criteria: ${'['.repeat(5000)}\n`,
    });
    assert.deepEqual(c.of('invalid-gate-file'), [
      'w/01-a/GATE.yaml:2:1 Gate file GATE.yaml cannot be read: the YAML is nested more than 100 levels deep. Its phase cannot be complete until it is fixed.',
    ]);
  });

  it('keys named like built-in object properties are unknown keys, not groups', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const p = parseGateFile(
        `${key}:\n  automated:\n    - check: file_exists\n      path: a.md\n${key}2: 3\nexit_requirements:\n  manual:\n    - "signed"\n`,
      );
      assert.equal(p.error, undefined, key);
      assert.deepEqual(
        p.groups.map((g) => [g.heading, g.items.map((i) => i.text)]),
        [['Exit Requirements', ['signed']]],
        key,
      );
    }
  });

  it('an entry of the wrong shape written as an alias is said on the alias, not on the anchor', () => {
    for (const [text, message] of [
      [
        '# shared\nx-owners: &owners ["alice", "bob"]\nexit_requirements:\n  manual:\n    - Design review held\n    - *owners\n',
        '`manual` entry 2 (line 6) must be text, not a list',
      ],
      [
        '# shared\nx: &m ["a"]\nexit_requirements:\n  automated:\n    - *m\n',
        'each automated check must be a mapping',
      ],
      [
        '# shared\nx: &m ["a"]\nexit_gates:\n  - criteria: a\n  - *m\n',
        'each entry of `exit_gates` must be a mapping',
      ],
      [
        '# shared\nx: &m ["a"]\nvalidation_rules:\n  - *m\n',
        'each entry of `validation_rules` must be a mapping or text',
      ],
    ])
      for (const fast of [true, false]) {
        const e = parseGateFile(text, { fast }).error;
        assert.deepEqual([e?.message, e?.line], [message, text.split('\n').length - 2], `${fast}: ${text}`);
      }
  });

  it('a key meant as gates but not one the reader knows makes the file unreadable, with the key to write', () => {
    const cases: [string, number, RegExp][] = [
      ['exit:\n  - id: a\n    type: grep_absent\n', 0, /unknown key `exit` \(did you mean `exit_gates`\?\)/],
      [
        'phase: 3\nentry_requirements:\n  manual: ["a"]\nexit_requirement:\n  manual: ["b"]\n',
        3,
        /unknown key `exit_requirement` \(did you mean `exit_requirements`\?\)/,
      ],
      ['Input_Gates:\n  - criteria: A\n', 0, /did you mean `input_gates`/],
      // A letter dropped or swapped: a near miss of a key read (the gate passed without it).
      [
        'entry_requirments:\n  automated:\n    - check: file_exists\n      path: x.md\nexit_requirements:\n  manual: ["b"]\n',
        0,
        /unknown key `entry_requirments` \(did you mean `entry_requirements`\?\)/,
      ],
      ['input_gates:\n  - criteria: A\nexit_gtaes:\n  - criteria: B\n', 2, /did you mean `exit_gates`/],
      ['validation_rule:\n  - description: A\n', 0, /did you mean `validation_rules`/],
      ['input_gates:\n  - criteria: A\nexit_gate:\n  - criteria: B\n', 2, /did you mean `exit_gates`/],
      ['input-requirements:\n  manual: ["a"]\n', 0, /did you mean `entry_requirements`/],
      ['exits:\n  - criteria: A\n', 0, /unknown key `exits` \(did you mean `exit_gates`\?\)/],
      [
        'exit_requirements:\n  automatic:\n    - check: file_exists\n      path: x.md\n  manual:\n    - ok\n',
        1,
        /unknown key `automatic` under `exit_requirements` \(did you mean `automated`\?\)/,
      ],
      [
        'entry_requirements:\n  manual_checks: ["a"]\n',
        1,
        /unknown key `manual_checks` under `entry_requirements`/,
      ],
      // Nothing the reader knows at all: nothing would be checked.
      ['foo: 1\nchecks:\n  - a\n', 0, /none of its keys is one of `input_gates`.*nothing in it is checked/],
    ];
    for (const [text, line, message] of cases) {
      const p = parseGateFile(text);
      assert.deepEqual(p.groups, [], text);
      assert.match(p.error?.message ?? '', message, text);
      assert.equal(p.error?.line, line, text);
    }
    // The other keys DDX's own gate files hold beside their gates stay unread and harmless
    // (validation rules are read: a rule written as text is a person's to confirm).
    const library = parseGateFile(
      'phase: "01"\nnumber: 1\nname: Frame\nentry_gates:\n  - criteria: A\nvalidation_rules:\n  - x\ntransition:\n  next: design\nnext_phase: 02-design\ncycle_complete: false\n',
    );
    assert.equal(library.error, undefined);
    assert.deepEqual(
      library.groups.map((g) => [g.heading, g.kind, g.items.map((i) => [i.kind, i.text, i.line])]),
      [
        ['Entry Gates', 'entry', [['manual', 'A', 4]]],
        ['Validation Rules', 'entry', [['manual', 'x', 6]]],
      ],
    );
    // A file's own keys two letters off a gate key, or holding text, are left alone.
    for (const own of [
      'exit_notes: "reviewed weekly"',
      'exit_notes:\n  - weekly',
      'entry_date: 2025-01-10',
      'next_gates:\n  - design',
      'exit_gates_v2:\n  - criteria: B',
      'validation_files:\n  - a.yml',
      'exit_gatez: see wiki',
      // (one letter off, holding what the key meant does not hold)
      'exit_dates:\n  planned: 2025-06-01\n  actual: 2025-06-03',
      'input_rates:\n  base: 3',
      'exit_dates:\n  - 2025-06-01',
      'exit_requirments:\n  owner: Ana',
    ]) {
      const p = parseGateFile(`exit_requirements:\n  manual:\n    - "Sponsor agrees"\n${own}\n`);
      assert.equal(p.error, undefined, `${own}: ${p.error?.message}`);
      assert.deepEqual(
        p.groups.map((g) => g.items.map((i) => i.text)),
        [['Sponsor agrees']],
        own,
      );
    }
    // A file's own keys beside the gates, and under the requirements, are left alone.
    const described = parseGateFile(
      'next_gate: design\nquality_gates: see wiki\nexit_requirements:\n  description: before release\n  owners: [ops]\n  required_reviewers: [alice, bob]\n  manual: ["b"]\n',
    );
    assert.equal(described.error, undefined, described.error?.message);
    assert.deepEqual(
      described.groups.map((g) => g.items.map((i) => i.text)),
      [['b']],
    );
    // An item with no text could be confirmed with nothing saying what was.
    assert.match(
      parseGateFile('exit_requirements:\n  manual:\n    - ""\n').error?.message ?? '',
      /`manual` entry 1 \(line 3\) is empty/,
    );
    assert.match(
      parseGateFile('exit_gates:\n  - criteria: "  "\n').error?.message ?? '',
      /has no `criteria`/,
    );
    // An empty file, or one of comments only, is no error.
    assert.equal(parseGateFile('').error, undefined);
    assert.equal(parseGateFile('# nothing yet\n').error, undefined);
  });

  it("an item's range ends before a trailing comment, never inside quotes or a word's apostrophe", () => {
    for (const fast of [true, false]) {
      const p = parseGateFile(
        'exit_requirements:\n  automated:\n    - check: file_exists   # why \u{1F680}\n      path: a.md\n  manual:\n    - "it\'s # not a comment" # but this is\n    - don\'t # panic\n    - plain#hash\n',
        { fast },
      );
      assert.deepEqual(
        p.groups[0].items.map((i) => [i.text, i.range.start.character, i.range.end.character]),
        [
          ['file_exists a.md', 4, 24],
          ["it's # not a comment", 4, 28],
          ["don't", 4, 11],
          ['plain#hash', 4, 16],
        ],
        `fast: ${fast}`,
      );
    }
  });

  it('parses both forms in any gate file, each item with its line', () => {
    const p = parseGateFile(
      '# c\ninput_gates:\n  - criteria: ready\n    source: external\nexit_requirements:\n  automated:\n    - check: file_exists\n      path: a.md\n  manual:\n    - "signed"\n',
    );
    assert.equal(p.error, undefined);
    assert.deepEqual(
      p.groups.map((g) => [g.heading, g.kind, g.line, g.items.map((i) => `${i.kind}:${i.line}:${i.text}`)]),
      [
        ['Input Gates', 'entry', 1, ['manual:2:ready']],
        ['Exit Requirements', 'exit', 4, ['check:6:file_exists a.md', 'manual:9:signed']],
      ],
    );
  });
});

describe('a gates-list entry that names a check or a command', () => {
  it('is that check under its criteria text, on its criteria line, in both readers; its paths follow a move', async () => {
    const yaml =
      'exit_gates:\n  - criteria: Build green\n    check: tests_passing\n    command: "true"\n  - criteria: Notes written\n    check: file_exists\n    path: docs/notes.md\n  - criteria: Sponsor ok\n    evidence: sponsor acknowledgment\n';
    for (const fast of [true, false]) {
      const p = parseGateFile(yaml, { fast });
      assert.equal(p.error, undefined);
      assert.deepEqual(
        p.groups[0].items.map((i) => [i.kind, i.line, i.text, i.check, i.command, i.path]),
        [
          ['check', 1, 'Build green', 'tests_passing', 'true', undefined],
          ['check', 4, 'Notes written', 'file_exists', undefined, 'docs/notes.md'],
          ['manual', 7, 'Sponsor ok', undefined, undefined, undefined],
        ],
        `fast: ${fast}`,
      );
    }
    const c = await check({ 'p/01-a/README.md': readme('01', 'A'), 'p/01-a/exit-gates.yml': yaml });
    assert.deepEqual(items(c, 'p/01-a'), [
      'not-evaluated Build green (runs `true`: not run (use `cdp check --run-commands`))',
      'failed Notes written (docs/notes.md does not exist)',
      'unconfirmed Sponsor ok (a person must confirm it)',
    ]);
  });
});

describe('validation_rules beside the gates', () => {
  const rules = (more = '') =>
    'exit_gates:\n  - criteria: PRD\n    evidence: docs/prd.md\n# Automated Validation Rules\nvalidation_rules:\n' +
    '  - rule: no_markers\n    description: No [NEEDS CLARIFICATION] markers\n    path: docs/features/\n    pattern: "\\\\[NEEDS CLARIFICATION"\n    expected: 0\n    severity: blocking\n' +
    '  - rule: ids_unique\n    description: All FEAT ids are unique\n    path: docs/registry.md\n    check: unique_ids\n' +
    '  - rule: story_format\n    description: Stories follow the format\n    path: docs/stories/\n    pattern: "As a .* I want"\n    expected: present\n    severity: warning\n' +
    '  - rule: runbook\n    check: file_exists\n    path: docs/runbook.md\n' +
    '  - rule: no_todo\n    description: No TODO left\n    check: no_markers\n    path: docs/prd.md\n    pattern: TODO\n    expected: 0\n' +
    more;

  it('are a group of checks and manual items, in both readers, each on the line its entry starts', () => {
    for (const fast of [true, false]) {
      const p = parseGateFile(rules(), { fast });
      assert.equal(p.error, undefined, `fast: ${fast}`);
      assert.deepEqual(
        p.groups.map((g) => [g.heading, g.kind, g.line]),
        [
          ['Exit Gates', 'exit', 0],
          ['Validation Rules', 'exit', 4],
        ],
      );
      assert.deepEqual(
        p.groups[1].items.map((i) => [i.kind, i.line, i.text, i.check, i.pattern, i.path, i.required]),
        [
          [
            'check',
            5,
            'No [NEEDS CLARIFICATION] markers',
            'grep_absent',
            '\\[NEEDS CLARIFICATION',
            'docs/features/',
            true,
          ],
          // (the file it is about kept: a reference of it, and it follows moves)
          ['manual', 11, 'All FEAT ids are unique', undefined, undefined, 'docs/registry.md', true],
          [
            'check',
            15,
            'Stories follow the format',
            'grep_present',
            'As a .* I want',
            'docs/stories/',
            false,
          ],
          ['check', 21, 'runbook', 'file_exists', undefined, 'docs/runbook.md', true],
          // (a validator of its own with a pattern: the pattern is searched)
          ['check', 24, 'No TODO left', 'grep_absent', 'TODO', 'docs/prd.md', true],
        ],
        `fast: ${fast}`,
      );
    }
    // In a file of entry gates only they are entry criteria; a file of rules alone is read.
    const entry = parseGateFile(
      'input_gates:\n  - criteria: Brief\nvalidation_rules:\n  - description: Scope agreed\n',
    );
    assert.deepEqual(
      entry.groups.map((g) => [g.heading, g.kind]),
      [
        ['Input Gates', 'entry'],
        ['Validation Rules', 'entry'],
      ],
    );
    const alone = parseGateFile('validation_rules:\n  - description: Scope agreed\n    severity: info\n');
    assert.equal(alone.error, undefined);
    assert.deepEqual(
      alone.groups[0].items.map((i) => [i.kind, i.text, i.required]),
      [['manual', 'Scope agreed', false]],
    );
    // Empty rules add no group (nothing never passing); malformed ones are said.
    assert.deepEqual(parseGateFile('exit_gates:\n  - criteria: A\nvalidation_rules: []\n').groups.length, 1);
    assert.match(
      parseGateFile('exit_gates: []\nvalidation_rules: yes\n').error?.message ?? '',
      /`validation_rules` must be a list/,
    );
    assert.match(
      parseGateFile('validation_rules:\n  - path: docs/a.md\n').error?.message ?? '',
      /neither `description` nor `rule`/,
    );
  });

  it('are evaluated with the phase: a pattern searches its path, a validator of its own waits for a person, a warning never blocks', async () => {
    const files = {
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/exit-gates.yml': rules(),
      'docs/prd.md': '# PRD\n',
      'docs/runbook.md': '# Runbook\n',
      'docs/features/f1.md': '# F1\n\n[NEEDS CLARIFICATION: who?]\n',
      'docs/stories/s1.md': '# S1\n\nAs a user I want x\n',
    };
    let c = await check(files);
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed PRD',
      'failed No [NEEDS CLARIFICATION] markers (docs/features/f1.md matches /\\[NEEDS CLARIFICATION/)',
      'unconfirmed All FEAT ids are unique (a person must confirm it)',
      'passed Stories follow the format',
      'passed runbook',
      'passed No TODO left',
    ]);
    const w = c.analysis.workflows()[0];
    const [phase] = workflowJson(w, rel).phases;
    assert.deepEqual(
      phase.groups.map((g) => [g.heading, g.passed]),
      [
        ['Exit Gates', true],
        ['Validation Rules', false],
      ],
    );
    assert.ok(
      c.findings.some(
        (f) =>
          f.code === 'unmet-criterion' &&
          rel(f.uri) === 'p/01-a/exit-gates.yml' &&
          f.range.start.line === 5 &&
          f.message.startsWith('Unmet exit criterion (Validation Rules): No [NEEDS CLARIFICATION] markers'),
      ),
      c.findings.map((f) => f.message).join('\n'),
    );
    // The marker resolved, the validator confirmed, the stories' format unmet (a warning): the group passes.
    c = await check({
      ...files,
      'docs/features/f1.md': '# F1\n\nUsers.\n',
      'docs/stories/s1.md': '# S1\n\nA story.\n',
      '.cdp/confirmations.yml':
        'confirmations:\n  - file: p/01-a/exit-gates.yml\n    item: All FEAT ids are unique\n    by: Ana\n',
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed PRD',
      'passed No [NEEDS CLARIFICATION] markers',
      'passed All FEAT ids are unique (confirmed by Ana)',
      'failed Stories follow the format (no match for /As a .* I want/ in docs/stories/)',
      'passed runbook',
      'passed No TODO left',
    ]);
    assert.equal(workflowJson(c.analysis.workflows()[0], rel).phases[0].complete, true);
  });
});

describe('phase folders and instances', () => {
  const helix = (): Record<string, string> => {
    const phases = ['00-discover', '01-frame', '02-design', '03-test', '04-build', '05-deploy', '06-iterate'];
    const files: Record<string, string> = {};
    for (const p of phases) {
      const [n, name] = [p.slice(0, 2), p.slice(3)];
      files[`docs/helix/${p}/README.md`] = readme(n, name.charAt(0).toUpperCase() + name.slice(1));
      files[`docs/helix/${p}/GATE.yaml`] =
        `phase: ${name}\nexit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/${p}/done.md\n      description: "${name} done"\n  manual: []\n`;
    }
    files['docs/helix/01-frame/prd.md'] = '---\nphase: "01-frame"\n---\n# PRD\n';
    files['docs/helix/01-frame/features/feat-1.md'] = '---\nphase: frame\n---\n# FEAT-1\n';
    files['docs/helix/05-deploy/runbook.md'] = '---\nphase: deploy\n---\n# Runbook\n';
    files['docs/01-User-Guide/README.md'] = '# User Guide\n\nHow to use it.\n';
    files['docs/01-User-Guide/install.md'] = '# Install\n';
    return files;
  };

  it('an instance docs/helix/00…06 with GATE.yaml copies: one workflow, seven phases, no errors', async () => {
    const c = await check(helix());
    const wfs = c.analysis.workflows();
    assert.deepEqual(
      wfs.map((w) => [w.id, w.definition, w.phases.map((p) => `${p.phase!.id} ${p.phase!.name}`)]),
      [
        [
          'docs/helix',
          false,
          ['00 Discover', '01 Frame', '02 Design', '03 Test', '04 Build', '05 Deploy', '06 Iterate'],
        ],
      ],
    );
    assert.deepEqual(
      c.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.deepEqual(c.of('invalid-frontmatter'), []);
    // Artifacts naming their phase are shown under it.
    const w = wfs[0];
    const under = (id: string) =>
      (w.artifacts.get(w.phases.find((p) => p.phase!.id === id)!.uri) ?? []).map((a) => a.rel);
    assert.deepEqual(under('01'), ['docs/helix/01-frame/features/feat-1.md', 'docs/helix/01-frame/prd.md']);
    assert.deepEqual(under('05'), ['docs/helix/05-deploy/runbook.md']);
    // Only the current phase (00) reports its unmet item, on its YAML line.
    assert.deepEqual(c.of('unmet-criterion'), [
      'docs/helix/00-discover/GATE.yaml:4:5 Unmet exit criterion (Exit Requirements): discover done — docs/helix/00-discover/done.md does not exist',
    ]);
    // The JSON report names the gate file and the item's state and reason.
    const json = workflowJson(w, rel);
    assert.equal(json.definition, false);
    const g = json.phases[0].groups[0];
    assert.equal(g.file, 'docs/helix/00-discover/GATE.yaml');
    assert.deepEqual(g.unmet, [
      {
        text: 'discover done',
        line: 4,
        file: 'docs/helix/00-discover/GATE.yaml',
        state: 'failed',
        reason: 'docs/helix/00-discover/done.md does not exist',
      },
    ]);
  });

  it('one Next Phase link does not split phase folders, or a folder of phase files, into two instances', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] done\n',
      'docs/helix/02-design/README.md':
        '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] arch\n\n## Next Phase: Test\n\n[Test](../03-test/README.md)\n',
      'docs/helix/03-test/README.md': '# Phase 03: Test\n\n## Exit Criteria\n\n- [ ] plan\n',
      'wf/01-a.md': '# A\n\n---\nphase: "01"\n---\n\n## Exit Criteria\n\n- [x] a\n',
      'wf/02-b.md': '# B\n\n---\nphase: "02"\nnext_phase: "[[03-c]]"\n---\n\n## Exit Criteria\n\n- [ ] b\n',
      'wf/03-c.md':
        '# C\n\n---\nphase: "03"\nprevious_phase: "[[02-b]]"\n---\n\n## Exit Criteria\n\n- [ ] c\n',
    });
    assert.deepEqual(
      c.analysis
        .workflows()
        .map(
          (w) =>
            `${w.id}: ${w.phases.map((p) => p.phase!.id).join(' ')} (current ${currentPhase(w)?.phase?.id})`,
        ),
      ['docs/helix: 01 02 03 (current 02)', 'wf: 01 02 03 (current 02)'],
    );
  });

  it('a check that passes by itself does not start a phase: ticks and confirmations do', async () => {
    const files = {
      'README.md': '# App\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n',
      'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - "PRD signed off"\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n',
      'docs/helix/02-design/GATE.yaml':
        'entry_requirements:\n  automated:\n    - check: file_exists\n      path: README.md\n  manual:\n    - "Design kickoff held"\n',
    };
    let c = await check(files);
    let w = c.analysis.workflows()[0];
    let json = workflowJson(w, rel).phases;
    assert.deepEqual(
      json.map((p) => [p.phase, p.complete, p.started]),
      [
        ['01', false, false],
        ['02', false, false],
      ],
    );
    assert.deepEqual(
      phaseStates(workflowJson(w, rel)).map((s) => [s.state, s.failingGates]),
      [
        ['current', false],
        ['not-started', false],
      ],
    );
    // Phase 02 is quiet: only the current phase's unmet items are reported.
    assert.deepEqual(
      c.findings.filter((f) => f.code === 'unmet-criterion').map((f) => rel(f.uri)),
      ['docs/helix/01-frame/GATE.yaml'],
    );
    // A confirmation is work: phase 02 is started (and phase 01, still open, failing).
    c = await check({
      ...files,
      '.cdp/confirmations.yml':
        '- file: "docs/helix/02-design/GATE.yaml"\n  item: "Design kickoff held"\n  by: "Ada"\n',
    });
    w = c.analysis.workflows()[0];
    json = workflowJson(w, rel).phases;
    assert.deepEqual(
      json.map((p) => p.started),
      [false, true],
    );
    assert.deepEqual(
      phaseStates(workflowJson(w, rel)).map((s) => [s.state, s.failingGates]),
      [
        ['current', true],
        ['passed', false],
      ],
    );
  });

  it('a numbered folder without phase evidence is not a phase', async () => {
    const c = await check(helix());
    const phases = c.analysis.workflows().flatMap((w) => w.phases.map((p) => p.rel));
    assert.ok(!phases.some((p) => p.startsWith('docs/01-User-Guide')), phases.join(', '));
    assert.equal(c.analysis.index.get(c.ws.uri('docs/01-User-Guide/README.md'))!.phase, undefined);
  });

  it('criteria without checkboxes in a sub-section of a page show no phase; at the top of a README they do', async () => {
    // A docs site's test strategy: entry and exit criteria of one test level.
    const page =
      '# Test Strategy\n\n## System Testing\n\n### Entry Criteria\n\n- Build deployed\n\n### Exit Criteria\n\n1. No open critical defects\n';
    const site = {
      'docs/01-introduction/index.md': '# Introduction\n',
      'docs/02-test-strategy/index.md': page,
      'docs/03-reference/index.md': '# Reference\n',
    };
    let c = await check(site);
    assert.deepEqual(c.analysis.workflows(), []);
    assert.deepEqual(
      c.findings.map((f) => f.code),
      [],
    );
    // Nor in a collapsible section under such a sub-section (a level below its heading).
    c = await check({
      ...site,
      'docs/02-test-strategy/index.md':
        '# Testing\n\n### System Testing\n\n<details>\n<summary>Exit Criteria</summary>\n\n- No open sev1 bugs\n\n</details>\n',
    });
    assert.deepEqual(c.analysis.workflows(), []);
    // The same criteria with checkboxes, or as a section of the README itself, or a gate
    // with criteria at any level (CDP writes gates as `###` under a section): a phase.
    for (const readme of [
      page.replace('- Build deployed', '- [ ] Build deployed'),
      '# Test\n\n## Exit Criteria\n\n1. No open critical defects\n',
      '# Test\n\n## Validation Requirements\n\n### Review Gate\n\n1. Lead approved the plan\n',
    ]) {
      c = await check({ ...site, 'docs/02-test-strategy/index.md': readme });
      assert.deepEqual(
        c.analysis.workflows().flatMap((w) => w.phases.map((p) => p.rel)),
        ['docs/02-test-strategy/index.md'],
      );
    }
  });

  it('a phase folder named with an underscore is a phase of its workflow', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] PRD approved\n',
      'docs/helix/02_design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] Arch reviewed\n',
      'docs/helix/02_design/exit-gates.yml': 'exit_gates:\n  - criteria: Arch\n',
      'notes/03_later.md': '# Later\n\nNothing here shows a phase.\n',
    });
    const flows = c.analysis
      .workflows()
      .map((w) => [w.id, w.phases.map((p) => `${p.phase?.id} ${p.phase?.name}`)]);
    assert.deepEqual(flows, [['docs/helix', ['01 Frame', '02 Design']]]);
    const design = phaseOf(c, 'docs/helix/02_design');
    assert.equal(currentPhase(c.analysis.workflows()[0])?.uri, design.uri);
  });

  it('a heading read as a gate shows a phase only when it holds items', async () => {
    const site = {
      'docs/01-getting-started/README.md': '# Getting started\n\nInstall the CLI.\n',
      'docs/02-ci/README.md':
        '# CI\n\n## SonarQube Quality Gate\n\nThe build fails when the quality gate fails.\n',
    };
    const prose = await check(site);
    assert.deepEqual(prose.analysis.workflows(), []);
    assert.deepEqual(prose.of('empty-gate'), []);
    assert.deepEqual(prose.of('phase-chain'), []);
    // With items under it, or with an exit heading, the same folder is a phase.
    const gated = await check({
      ...site,
      'docs/02-ci/README.md': '# CI\n\n## SonarQube Quality Gate\n\n- [ ] coverage over 80%\n',
    });
    assert.deepEqual(
      gated.analysis.workflows().flatMap((w) => w.phases.map((p) => p.rel)),
      ['docs/02-ci/README.md'],
    );
    const exit = await check({ ...site, 'docs/02-ci/README.md': '# CI\n\n## Exit Criteria\n\nAll green.\n' });
    assert.deepEqual(
      exit.analysis.workflows().flatMap((w) => w.phases.map((p) => p.rel)),
      ['docs/02-ci/README.md'],
    );
  });

  it('Activity titles and activities/ folders work like phases; a gate file alone is evidence', async () => {
    const c = await check({
      'wf/activities/01-frame/README.md': '# Activity 01: Frame the Problem\n\nText.\n',
      'wf/activities/02-design/README.md': '# Design\n\n## Exit Criteria\n\n- [ ] designed\n',
      'wf/activities/03-build/README.md': '# Build\n\nText.\n',
      'wf/activities/03-build/input-gates.yml': 'input_gates:\n  - criteria: Design done\n',
      'wf/activities/04-ship/GATE.yaml': 'exit_requirements:\n  manual: ["Shipped"]\n',
    });
    const wfs = c.analysis.workflows();
    assert.deepEqual(
      wfs.map((w) => [w.id, w.phases.map((p) => `${p.phase!.id} ${p.phase!.name}`)]),
      [['wf/activities', ['01 Frame the Problem', '02 Design', '03 Build', '04 Ship']]],
    );
    // A folder with gate files and no README is a phase located at its gate file.
    const ship = wfs[0].phases[3];
    assert.equal(rel(ship.uri), 'wf/activities/04-ship/GATE.yaml');
    assert.deepEqual(items(c, 'wf/activities/04-ship'), ['unconfirmed Shipped (a person must confirm it)']);
  });

  it('phase metadata that is a list or a map is invalid-frontmatter; a name is not', async () => {
    const c = await check({
      'a.md': '---\nphase: [1, 2]\n---\n# A\n',
      'b.md': '---\nphase: {n: 1}\n---\n# B\n',
      'c.md': '---\nphase: "01-frame"\n---\n# C\n',
      'd.md': '---\nphase: deploy\n---\n# D\n',
      'e.md': '---\nphase: 0\n---\n# E\n',
    });
    assert.deepEqual(
      c.of('invalid-frontmatter').map((s) => s.split(' ')[0]),
      ['a.md:2:1', 'b.md:2:1'],
    );
    assert.equal(c.analysis.index.get(c.ws.uri('e.md'))!.phase?.id, '00');
  });
});

describe('workflow definitions', () => {
  const definitionAndInstance = (): Record<string, string> => ({
    'lib/helix/workflow.yml': 'name: helix\n',
    'lib/helix/phases/01-frame/README.md':
      '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] framed\n\n## Artifacts Produced\n\n- [[prd]]\n',
    'lib/helix/phases/01-frame/GATE.yaml': gate(
      '    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n      description: prd',
    ),
    'lib/helix/phases/01-frame/artifacts/prd/template.md':
      '---\nartifacts: ["[[prd-example]]"]\n---\n# PRD\n\n## Artifacts Produced\n\n- [[prd-example]]\n- [[broken-one]]\n\n## Notes\n\nSee [[nowhere]].\n',
    'lib/helix/phases/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] designed\n',
    'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
    'docs/helix/01-frame/GATE.yaml': gate(
      '    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n      description: prd',
    ),
    'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] designed\n',
  });

  it('a template and its example in a definition may declare one id; instances may not', async () => {
    const files = definitionAndInstance();
    const ddx = '---\nddx:\n  id: helix.prd\n---\n# PRD\n';
    files['lib/helix/phases/01-frame/artifacts/prd/template.md'] = ddx;
    files['lib/helix/phases/01-frame/artifacts/prd/example.md'] = ddx;
    files['docs/helix/01-frame/prd.md'] = ddx;
    files['docs/helix/01-frame/prd-copy.md'] = ddx;
    const c = await check(files);
    const msg =
      'Id "helix.prd" is declared by 2 documents: docs/helix/01-frame/prd-copy.md, docs/helix/01-frame/prd.md.';
    assert.deepEqual(c.of('duplicate-id').sort(), [
      `docs/helix/01-frame/prd-copy.md:3:7 ${msg}`,
      `docs/helix/01-frame/prd.md:3:7 ${msg}`,
    ]);
  });

  it('a definition beside an instance: marked, counted, and quiet about unmet work', async () => {
    const c = await check(definitionAndInstance());
    const wfs = c.analysis.workflows();
    assert.deepEqual(
      wfs.map((w) => [w.id, w.definition, w.phases.length]),
      [
        ['docs/helix', false, 2],
        ['lib/helix/phases', true, 2],
      ],
    );
    const inLib = (s: string) => s.startsWith('lib/');
    assert.deepEqual(c.of('unmet-criterion').filter(inLib), []);
    assert.deepEqual(c.of('missing-artifact').filter(inLib), []);
    assert.deepEqual(c.of('out-of-order').filter(inLib), []);
    // Broken links are still reported in a definition.
    assert.ok(
      c
        .of('broken-link')
        .some(
          (s) => s.startsWith('lib/helix/phases/01-frame/artifacts/prd/template.md') && s.includes('nowhere'),
        ),
    );
    // The instance beside it is checked as usual.
    assert.ok(c.of('unmet-criterion').some((s) => s.startsWith('docs/helix/01-frame/GATE.yaml')));
    assert.ok(c.of('out-of-order').some((s) => s.startsWith('docs/helix/02-design')));
    assert.equal(workflowJson(wfs[1], rel).definition, true);
  });

  it('template: true and cdp.definitions make definitions too', async () => {
    const files = {
      'tpl/01-a.md': '---\nphase: 1\ntemplate: true\n---\n# A\n\n## Exit Criteria\n\n- [ ] a\n',
      'kit/01-a.md': '---\nphase: 1\n---\n# A\n\n## Exit Criteria\n\n- [ ] a\n',
    };
    let c = await check(files);
    assert.deepEqual(
      c.analysis.workflows().map((w) => [w.id, w.definition]),
      [
        ['kit', false],
        ['tpl', true],
      ],
    );
    c = await check(files, { cdp: { definitions: ['kit/**'] } });
    assert.deepEqual(
      c.analysis.workflows().map((w) => [w.id, w.definition]),
      [
        ['kit', true],
        ['tpl', true],
      ],
    );
    assert.deepEqual(c.of('unmet-criterion'), []);
  });

  it('cdp.definitions names a definition by any folder that holds its phase documents, a phase folder or a document', async () => {
    const files = {
      'blueprints/helix/phases/01-frame/README.md':
        '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
    };
    const definitions = async (glob: string) =>
      (await check(files, { cdp: { definitions: [glob] } })).analysis
        .workflows()
        .filter((w) => w.definition)
        .map((w) => w.id);
    for (const glob of [
      'blueprints',
      'blueprints/',
      'BLUEPRINTS/helix',
      '/blueprints/**',
      './blueprints',
      'blueprints\\helix',
      'blueprints/helix/phases',
      'blueprints/helix/phases/*',
      'blueprints/helix/phases/01-frame/README.md',
      '**/blueprints/**',
    ])
      assert.deepEqual(await definitions(glob), ['blueprints/helix/phases'], glob);
    // A glob that names no folder holding them (a prefix of a name is not the folder).
    for (const glob of ['blueprints/hel', 'helix', 'docs', 'blueprints/helix/phases/01-frame/README.md/x'])
      assert.deepEqual(await definitions(glob), glob === 'docs' ? ['docs/helix'] : [], glob);
    // The workspace folder holds every instance.
    assert.deepEqual(await definitions('.'), ['blueprints/helix/phases', 'docs/helix']);
  });
});

describe('missing-artifact', () => {
  it('reports an artifact once per document when the metadata and Artifacts Produced both name it', async () => {
    const c = await check({
      'wf/01-a.md':
        '---\nphase: 1\nartifacts: ["[[release-plan]]", "[[other]]"]\n---\n# A\n\n## Artifacts Produced\n\n- [[release-plan]]\n- [[Release Plan]]\n',
    });
    assert.deepEqual(
      c.of('missing-artifact').map((s) => s.split(' ').slice(0, 2).join(' ')),
      ['wf/01-a.md:3:14 Artifact', 'wf/01-a.md:3:34 Artifact'],
    );
  });
});

describe('gate files: the texts grep checks search', () => {
  const files = (): Record<string, string> => ({
    'p/01-a/README.md': readme('01', 'A'),
    'p/01-a/GATE.yaml': gate(
      [
        '    - check: grep_absent\n      pattern: "\\\\[TODO\\\\]"\n      path: "p/01-a/**/*.md"\n      description: no todo',
        '    - check: grep_present\n      pattern: "^## "\n      path: p/01-a/notes.md\n      description: sections',
        '    - check: grep_present\n      pattern: "x"\n      path: p/01-a/data.txt\n      description: data',
        '    - check: grep_present\n      pattern: "(One|Two)$"\n      path: p/01-a/notes.md\n      description: named',
      ].join('\n'),
    ),
    'p/01-a/notes.md': '# Notes\n\n## One\n',
    'p/01-a/sub/b.md': '# B\n\n[TODO] later\n',
    'p/01-a/data.txt': 'x',
    'p/other.md': '# Other\n',
  });

  /** What the index keeps of a file grep checks search: its text, or each pattern's answer. */
  const keptOf = (index: WorkspaceIndex, uri: string) => {
    const text = index.gates.text(uri);
    if (text !== undefined) return { text };
    const answers = ['\\[TODO\\]', '^## ', 'x', '(One|Two)$'].flatMap((p) => {
      const a = index.gates.answer(uri, p);
      return a ? [`${p} ${JSON.stringify(a)}`] : [];
    });
    return answers.length > 0 ? { answers } : undefined;
  };

  it('reads each searched document once, and what it kept is what a read gives', async () => {
    const ws = new MemoryWorkspace(files());
    const reads = new Map<string, number>();
    const readText = ws.readText.bind(ws);
    ws.readText = async (uri: string) => {
      reads.set(rel(uri), (reads.get(rel(uri)) ?? 0) + 1);
      return readText(uri);
    };
    const { index } = await loadWorkspace(ws, defaultConfig());
    const analysis = new Analysis(index);
    const checked = { ws, analysis, findings: [], notices: [], of: () => [], config: defaultConfig() };
    assert.deepEqual(items(checked, 'p/01-a'), [
      'failed no todo (p/01-a/sub/b.md matches /\\[TODO\\]/)',
      'passed sections',
      'passed data',
      'passed named',
    ]);
    for (const r of [
      'p/01-a/README.md',
      'p/01-a/notes.md',
      'p/01-a/sub/b.md',
      'p/other.md',
      'p/01-a/data.txt',
    ])
      assert.equal(reads.get(r), 1, r);
    // A file only plain-text patterns search keeps their answers, not its text; one a
    // pattern the engine runs searches keeps its text.
    const kept = () =>
      ['p/01-a/notes.md', 'p/01-a/sub/b.md', 'p/01-a/data.txt'].map((r) => keptOf(index, ws.uri(r)));
    const want = [
      { text: files()['p/01-a/notes.md'] },
      { answers: ['\\[TODO\\] {"matched":true}'] },
      { answers: ['x {"matched":true}'] },
    ];
    assert.deepEqual(kept(), want);
    // Reading the searched files again changes nothing: what was kept is what a read gives.
    const version = index.gates.version;
    await loadGateInputs(index, (uri) => readText(uri));
    assert.equal(index.gates.version, version);
    assert.deepEqual(kept(), want);
    // A file that changes is searched again: its answers follow.
    await loadGateInputs(index, async (uri) =>
      rel(uri) === 'p/01-a/sub/b.md' ? '# B\n\nfine\n' : readText(uri),
    );
    assert.notEqual(index.gates.version, version);
    assert.deepEqual(keptOf(index, ws.uri('p/01-a/sub/b.md')), { answers: ['\\[TODO\\] {"matched":false}'] });
    assert.deepEqual(items(checked, 'p/01-a'), [
      'passed no todo',
      'passed sections',
      'passed data',
      'passed named',
    ]);
  });

  it('a file left unread by the limit of files read is read again when asked for what is missing; one that could not be read is not', async () => {
    const ws = new MemoryWorkspace(files());
    const { index } = await loadWorkspace(ws, defaultConfig());
    const b = ws.uri('p/01-a/sub/b.md');
    const notes = ws.uri('p/01-a/notes.md');
    // As if the limit had left b.md out, and notes.md had failed to read.
    index.gates.setText(b, undefined, 'more than 10,000 files are read', undefined, true);
    index.gates.setText(notes, undefined, 'could not be read: EACCES');
    const reads: string[] = [];
    await loadGateInputs(
      index,
      async (uri) => {
        reads.push(rel(uri));
        return ws.readText(uri);
      },
      undefined,
      true,
    );
    assert.deepEqual(reads, ['p/01-a/sub/b.md']);
    assert.deepEqual(keptOf(index, b), { answers: ['\\[TODO\\] {"matched":true}'] });
    assert.equal(index.gates.unreadReason(notes), 'could not be read: EACCES');
  });

  it('worker threads keep the same texts as a load on this thread', async () => {
    const dir = tempDir('cdp-grep-');
    try {
      // Enough documents for two threads.
      const all = files();
      for (let i = 0; i < 300; i++) all[`p/fill/d${i}.md`] = `# D${i}\n`;
      for (const [r, text] of Object.entries(all)) {
        mkdirSync(join(dir, r, '..'), { recursive: true });
        writeFileSync(join(dir, r), text);
      }
      const config = defaultConfig();
      const single = await loadWorkspace(new NodeFsWorkspace([dir]), config);
      const ws = new NodeFsWorkspace([dir]);
      const stats = { byWorkers: 0 };
      const pooled = await loadWorkspace(ws, config, {
        loader: poolLoader(ws, config, 2, { stats, shareWork: false }),
      });
      assert.equal(stats.byWorkers, 304, 'the workers read the documents');
      const texts = (index: typeof single.index) =>
        ['p/01-a/notes.md', 'p/01-a/sub/b.md', 'p/01-a/data.txt', 'p/other.md'].map((r) =>
          keptOf(index, fileUri(join(dir, r))),
        );
      assert.deepEqual(texts(pooled.index), texts(single.index));
      assert.deepEqual(texts(pooled.index), [
        { text: files()['p/01-a/notes.md'] },
        { answers: ['\\[TODO\\] {"matched":true}'] },
        { answers: ['x {"matched":true}'] },
        undefined,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("gate files: the order of a folder's gate files", () => {
  it('input and entry gates first, then exit gates, then GATE.yaml, by path within each, whatever order they come in', () => {
    const names = [
      'GATE.yaml',
      'exit-gates.yml',
      'input-gates.yml',
      'Entry-Gates.yaml',
      'gate.yml',
      'Exit-Gates.yaml',
    ];
    const want = [
      'Entry-Gates.yaml',
      'input-gates.yml',
      'Exit-Gates.yaml',
      'exit-gates.yml',
      'GATE.yaml',
      'gate.yml',
    ];
    // Every rotation and its reverse: each name arrives first, last and in between.
    for (let k = 0; k < names.length; k++) {
      const rotated = [...names.slice(k), ...names.slice(0, k)];
      for (const order of [rotated, [...rotated].reverse()]) {
        const store = new GateStore();
        for (const n of order) store.set(`${ROOT}/p/01-a/${n}`, ROOT, `p/01-a/${n}`, 'phase: x\n');
        assert.deepEqual(
          store.inDir(ROOT, 'p/01-a').map((g) => basename(g.rel)),
          want,
          order.join(' '),
        );
        // Forgetting one keeps the others in order; setting it again puts it back in place.
        store.delete(`${ROOT}/p/01-a/exit-gates.yml`);
        store.set(`${ROOT}/p/01-a/exit-gates.yml`, ROOT, 'p/01-a/exit-gates.yml', 'phase: x\n');
        assert.deepEqual(
          store.inDir(ROOT, 'p/01-a').map((g) => basename(g.rel)),
          want,
        );
      }
    }
  });
});

describe('gate files: what the grep checks search changes only with them', () => {
  it('grepVersion changes when a grep check, its path or pattern, or a gate file having one comes or goes; not with other edits', () => {
    const store = new GateStore();
    const uri = `${ROOT}/p/01-a/GATE.yaml`;
    const put = (text: string) => store.set(uri, ROOT, 'p/01-a/GATE.yaml', text);
    const grep = (pattern: string, path: string, description = 'no todo') =>
      `phase: a\nexit_requirements:\n  automated:\n    - check: grep_absent\n      pattern: ${pattern}\n      path: ${path}\n      description: ${description}\n    - check: file_exists\n      path: x.md\n      description: x\n`;
    const steps: [string, () => void, boolean][] = [
      ['a gate file without grep checks', () => put('phase: a\n'), false],
      ['a grep check written into it', () => put(grep('TODO', 'docs/*.md')), true],
      ['its description typed', () => put(grep('TODO', 'docs/*.md', 'no open todo')), false],
      ['the same text again', () => put(grep('TODO', 'docs/*.md', 'no open todo')), false],
      ['its pattern changed', () => put(grep('FIXME', 'docs/*.md', 'no open todo')), true],
      ['its path changed', () => put(grep('FIXME', 'src/*.md', 'no open todo')), true],
      [
        'another file without grep checks',
        () => store.set(`${ROOT}/p/02-b/GATE.yaml`, ROOT, 'p/02-b/GATE.yaml', 'phase: b\n'),
        false,
      ],
      ['that one deleted', () => store.delete(`${ROOT}/p/02-b/GATE.yaml`), false],
      ['the one with the check deleted', () => store.delete(uri), true],
    ];
    for (const [what, step, changes] of steps) {
      const before = store.grepVersion;
      const files = store.fileVersion;
      step();
      assert.notEqual(store.fileVersion, files, `${what}: a change of the gate files`);
      assert.equal(store.grepVersion !== before, changes, what);
    }
  });
});

describe('gate files: the phase a gate file belongs to', () => {
  it('follows the folder of each gate file asked, and the phase document coming and going', async () => {
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/GATE.yaml': gate('    - check: file_exists\n      path: x.md\n      description: x'),
      'p/01-a/exit-gates.yml': 'exit_gates:\n  - criteria: "done"\n',
      'p/02-b/README.md': readme('02', 'B'),
      'p/02-b/GATE.yaml': gate('    - check: file_exists\n      path: y.md\n      description: y'),
    });
    const index = c.analysis.index;
    const g = (rel: string) => index.gates.get(c.ws.uri(rel))!;
    const phaseRel = (rel: string) => {
      const p = c.analysis.phaseOfGateFile(g(rel));
      return p ? relativePath(ROOT, p.uri) : undefined;
    };
    for (const [gateRel, want] of [
      ['p/01-a/GATE.yaml', 'p/01-a/README.md'],
      ['p/01-a/exit-gates.yml', 'p/01-a/README.md'],
      ['p/02-b/GATE.yaml', 'p/02-b/README.md'],
      ['p/01-a/GATE.yaml', 'p/01-a/README.md'],
    ])
      assert.equal(phaseRel(gateRel), want, gateRel);
    // Without its README the folder is a phase of its own, located at its GATE.yaml.
    index.delete(c.ws.uri('p/01-a/README.md'));
    assert.equal(phaseRel('p/01-a/exit-gates.yml'), 'p/01-a/GATE.yaml');
    assert.equal(phaseRel('p/01-a/GATE.yaml'), 'p/01-a/GATE.yaml');
  });
});

describe('gate files: the file that stands for a folder of gate files only', () => {
  it('is its GATE.yaml as gate files come and go, whenever the phases were asked for', async () => {
    const c = await check({ 'p/03-test/input-gates.yml': 'input_gates:\n  - criteria: "Design done"\n' });
    const index = c.analysis.index;
    const uri = (rel: string) => c.ws.uri(rel);
    assert.deepEqual(
      index.gatePhases().map((p) => p.rel),
      ['p/03-test/input-gates.yml'],
    );
    // the file is known (a watcher event) before it is read, and the phases are asked for between
    index.addOtherFile(uri('p/03-test/GATE.yaml'));
    assert.equal(index.gatePhases()[0].rel, 'p/03-test/input-gates.yml');
    index.setGateFile(uri('p/03-test/GATE.yaml'), 'exit_requirements:\n  manual:\n    - "Shipped"\n');
    assert.equal(index.gatePhases()[0].rel, 'p/03-test/GATE.yaml');
    // and the workflow's phase is it too
    const analysis = new Analysis(index);
    assert.equal(analysis.workflows()[0].phases[0].rel, 'p/03-test/GATE.yaml');
    index.removeOtherFile(uri('p/03-test/input-gates.yml'));
    index.setGateFile(uri('p/03-test/input-gates.yml'), undefined);
    assert.equal(analysis.workflows()[0].phases[0].rel, 'p/03-test/GATE.yaml');
    assert.equal(
      analysis.phaseOfGateFile(index.gates.get(uri('p/03-test/GATE.yaml'))!),
      analysis.workflows()[0].phases[0],
    );
  });
});

describe('gate files: a phase folder of gate files only claiming a phase twice', () => {
  it('is told duplicate-phase on its first gate file, as the phase document beside it is', async () => {
    const c = await check({
      'p/01-frame/README.md': readme('01', 'Frame'),
      'p/01_frame/exit-gates.yml': 'exit_gates:\n  - criteria: "Sponsor agrees"\n',
      'p/01_frame/GATE.yaml': gate('    - check: file_exists\n      path: x.md\n      description: x'),
      'p/02-design/exit-gates.yml': 'exit_gates:\n  - criteria: "Reviewed"\n',
    });
    assert.deepEqual(c.of('duplicate-phase'), [
      'p/01-frame/README.md:1:3 Phase 01 is claimed by 2 documents of workflow "p": p/01-frame/README.md, p/01_frame/GATE.yaml.',
      'p/01_frame/GATE.yaml:1:1 Phase 01 is claimed by 2 documents of workflow "p": p/01_frame/GATE.yaml, p/01-frame/README.md.',
    ]);
    // the rule's setting holds there too
    const off = await check(
      {
        'p/01-frame/README.md': readme('01', 'Frame'),
        'p/01_frame/exit-gates.yml': 'exit_gates:\n  - criteria: "Sponsor agrees"\n',
      },
      { cdp: { rules: { 'duplicate-phase': 'off' } } },
    );
    assert.deepEqual(off.of('duplicate-phase'), []);
  });
});

describe('gate files: answers remembered per listing', () => {
  it('a path named by several phases flips for all of them when the file comes and goes', async () => {
    const check2 = (path: string) =>
      gate(`    - check: file_exists\n      path: ${path}\n      description: shared plan`);
    const c = await check({
      'p/01-a/README.md': readme('01', 'A'),
      'p/01-a/GATE.yaml': check2('p/shared/plan.md'),
      'p/02-b/README.md': readme('02', 'B'),
      'p/02-b/GATE.yaml': check2('./p/shared/plan.md'),
      'p/03-c/README.md': readme('03', 'C'),
      'p/03-c/GATE.yaml': check2('p/shared/*.md'),
    });
    const states = () => ['p/01-a', 'p/02-b', 'p/03-c'].map((d) => items(c, d)[0].split(' ')[0]);
    assert.deepEqual(states(), ['failed', 'failed', 'failed']);
    const index = c.analysis.index;
    index.set(c.ws.uri('p/shared/plan.md'), '# Plan\n');
    assert.deepEqual(states(), ['passed', 'passed', 'passed']);
    // Edited (no path added or removed): still there.
    index.set(c.ws.uri('p/shared/plan.md'), '# Plan\n\nMore.\n');
    assert.deepEqual(states(), ['passed', 'passed', 'passed']);
    index.delete(c.ws.uri('p/shared/plan.md'));
    assert.deepEqual(states(), ['failed', 'failed', 'failed']);
    // Another kind of file at the path counts too; in other letter case only the glob,
    // which matches it as written, finds it.
    index.addOtherFile(c.ws.uri('p/shared/plan.md'));
    assert.deepEqual(states(), ['passed', 'passed', 'passed']);
    index.removeOtherFile(c.ws.uri('p/shared/plan.md'));
    assert.deepEqual(states(), ['failed', 'failed', 'failed']);
    index.addOtherFile(c.ws.uri('p/shared/PLAN.md'));
    assert.deepEqual(states(), ['failed', 'failed', 'passed']);
    index.removeOtherFile(c.ws.uri('p/shared/PLAN.md'));
    assert.deepEqual(states(), ['failed', 'failed', 'failed']);
  });
});

describe('criteria written as a list without checkboxes', () => {
  const progressOf = (c: Checked, dir: string) => {
    const p = phaseOf(c, dir);
    const prog = phaseProgress(p);
    return {
      complete: prog.complete,
      progress: `${prog.checked}/${prog.total}`,
      groups: prog.groups.map(
        (g) => `${g.heading} ${g.kind} ${g.checked}/${g.total}${g.passed ? ' passed' : ''}`,
      ),
      reasons: prog.reasons,
    };
  };

  it('count as criteria none of which is met, and say why', async () => {
    const c = await check({
      'p/01-a/README.md':
        '# Phase 01: A\n\n## Entry Criteria\n\n- Problem stated\n- Sponsor found\n   - by the board\n\n## Exit Criteria\n\n1. PRD approved\n\n   With notes.\n2) Principles written\n\n## Notes\n\n- not a criterion\n',
      'p/02-b/README.md': '# Phase 02: B\n\n## Entry Criteria\n\n- [ ] A done\n',
    });
    assert.deepEqual(progressOf(c, 'p/01-a'), {
      complete: false,
      progress: '0/4',
      // A nested item is part of its criterion; a list under any other heading is no criteria.
      groups: ['Entry Criteria entry 0/2', 'Exit Criteria exit 0/2'],
      reasons: ['Entry Criteria: 2 items have no checkbox', 'Exit Criteria: 2 items have no checkbox'],
    });
    // The phase is current (it used to be complete, and the next one current).
    assert.equal(currentPhase(c.analysis.workflows()[0])?.uri, phaseOf(c, 'p/01-a').uri);
    assert.deepEqual(c.of('unmet-criterion').slice(0, 2), [
      'p/01-a/README.md:3:4 Unmet entry criteria (Entry Criteria): 2 list items have no checkbox, so none can be ticked off. Write them as `- [ ]` items.',
      'p/01-a/README.md:9:4 Unmet exit criteria (Exit Criteria): 2 list items have no checkbox, so none can be ticked off. Write them as `- [ ]` items.',
    ]);
  });

  it('a section with a task item counts its task items only; a gate heading counts its list', async () => {
    const c = await check({
      'p/01-a/README.md':
        '# Phase 01: A\n\n## Exit Criteria\n\n- [x] PRD approved\n- a note, not a criterion\n\n### Security Gate\n\n* pen test\n',
    });
    assert.deepEqual(progressOf(c, 'p/01-a'), {
      complete: false,
      progress: '1/2',
      groups: ['Exit Criteria exit 1/1 passed', 'Security Gate gate 0/1'],
      reasons: ['Security Gate: 1 item has no checkbox'],
    });
    assert.deepEqual(c.of('empty-gate'), []);
  });

  it('the checkbox edits: after each marker, checked by parsing again; none when that reads otherwise', () => {
    const parse = (t: string) => parseDocument('file:///w/a.md', t);
    const text = '## Exit Criteria\n\n- one\n10) two\n>   + three\n\nnot an item\n';
    const edits = checkboxEdits(text, parse(text).plainItems ?? [], parse);
    assert.equal(
      applyEdits(text, edits ?? []),
      '## Exit Criteria\n\n- [ ] one\n10) [ ] two\n>   + [ ] three\n\nnot an item\n',
    );
    // A line that is not a list item, or one past the end: no edit rather than a wrong one.
    assert.equal(checkboxEdits(text, [6], parse), undefined);
    assert.equal(checkboxEdits(text, [40], parse), undefined);
    assert.equal(checkboxEdits(text, [], parse), undefined);
  });

  it('with gate files beside the README, the gate files are the criteria and its lists only describe them', async () => {
    const readmeWithList = '# Phase 01: A\n\n## Exit Criteria\n\n1. PRD approved\n2. Principles written\n';
    const c = await check({
      'p/01-a/README.md': readmeWithList,
      'p/01-a/GATE.yaml': gate('    - check: file_exists\n      path: docs/prd.md\n      description: PRD'),
      'docs/prd.md': '# PRD\n',
    });
    assert.deepEqual(progressOf(c, 'p/01-a'), {
      complete: true,
      progress: '1/1',
      groups: ['Exit Requirements exit 1/1 passed'],
      reasons: [],
    });
    assert.deepEqual(c.of('unmet-criterion'), []);
  });
});

describe('folders named like phases without a phase document', () => {
  it('are reported in the folder itself, on its first document, with a fix that writes their README', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
      'docs/helix/02-design/adr/ADR-1.md': '# ADR 1\n',
      'docs/helix/02-design/architecture.md': '---\nphase: "02-design"\n---\n# Architecture\n',
      'docs/helix/03-test/README.md': '# Phase 03: Test\n\n## Exit Criteria\n\n- [ ] Tests pass\n',
      // a numbered folder inside a phase folder belongs to that phase
      'docs/helix/03-test/01-unit/plan.md': '# Unit plan\n',
      // a definition's folders hold templates, not work
      'lib/workflow.yml': 'name: lib\n',
      'lib/phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n1. Scope\n',
      'lib/phases/02-design/artifacts/adr/template.md': '# ADR\n',
    });
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/02-design/architecture.md:4:3 "docs/helix/02-design" holds documents but no phase document (README.md), so it is not a phase of docs/helix and its documents belong to no phase.',
    ]);
    const finding = c.findings.find((f) => f.code === 'phase-chain');
    assert.deepEqual(finding?.fixes, [
      {
        kind: 'create',
        title: 'Create "docs/helix/02-design/README.md"',
        uri: c.ws.uri('docs/helix/02-design/README.md'),
        content:
          '# Phase 02: Design\n\n## Entry Criteria\n\n- [ ] What must be true to start\n\n## Exit Criteria\n\n- [ ] What must be true to finish\n',
      },
    ]);
    // a README that is there but shows no phase is named, with what it lacks (nothing to create)
    const plain = await check({
      ...Object.fromEntries([...c.ws.files.entries()].map(([u, t]) => [relativePath(ROOT, u)!, t])),
      'docs/helix/02-design/README.md': '# Design\n\nNotes.\n',
    });
    assert.deepEqual(plain.of('phase-chain'), [
      'docs/helix/02-design/README.md:1:3 docs/helix/02-design/README.md shows no phase (no entry, exit or gate criteria, no "# Phase 02: Design" title, no gate files beside it), so "docs/helix/02-design" is not a phase of docs/helix and its documents belong to no phase.',
    ]);
    assert.equal(plain.findings.find((f) => f.code === 'phase-chain')?.fixes, undefined);
    // once written, the folder is a phase and the finding is gone
    const fixed = await check({
      ...Object.fromEntries([...c.ws.files.entries()].map(([u, t]) => [relativePath(ROOT, u)!, t])),
      'docs/helix/02-design/README.md':
        finding!.fixes![0]!.kind === 'create' ? finding!.fixes![0]!.content : '',
    });
    assert.deepEqual(fixed.of('phase-chain'), []);
    assert.deepEqual(
      fixed.analysis
        .workflows()
        .find((w) => w.id === 'docs/helix')
        ?.phases.map((p) => p.phase!.id),
      ['01', '02', '03'],
    );
  });

  it("name and create the phase document as the instance's phase folders name theirs (index.md)", async () => {
    const c = await check({
      'act/01-frame/index.md': '# Activity 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'act/02-design/index.md': '# Activity 02: Design\n\n## Exit Criteria\n\n- [ ] b\n',
      'act/03-build/notes.md': '# Notes\n',
    });
    assert.deepEqual(c.of('phase-chain'), [
      'act/03-build/notes.md:1:3 "act/03-build" holds documents but no phase document (index.md), so it is not a phase of act and its documents belong to no phase.',
    ]);
    const fix = c.findings.find((f) => f.code === 'phase-chain')!.fixes![0];
    assert.equal(
      fix.kind === 'create' && [fix.title, fix.uri].join(' '),
      `Create "act/03-build/index.md" ${c.ws.uri('act/03-build/index.md')}`,
    );
  });

  it('are reported in their folder whatever the phases are, gate files alone too', async () => {
    const c = await check({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Entry Criteria\n\n- [ ] a\n',
      'docs/helix/02-test/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\n',
      'docs/helix/03-deploy/notes.md': '# Notes\n',
    });
    assert.deepEqual(
      c.analysis.workflows()[0].phases.map((p) => p.phase!.id),
      ['01', '02'],
    );
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/03-deploy/notes.md:1:3 "docs/helix/03-deploy" holds documents but no phase document (README.md), so it is not a phase of docs/helix and its documents belong to no phase.',
    ]);
    // No phase is a document: each gap is still reported, on its own folder's first document
    // (sorted by path; a document below it only when none is directly in it).
    const gated = await check({
      'docs/helix/00-discover/vision.md': '# Vision\n',
      'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\n',
      'docs/helix/02-design/GATE.yaml': 'exit_requirements:\n  manual: ["y"]\n',
      'docs/helix/03-test/z-plan.md': '# Plan\n',
      'docs/helix/03-test/a/cases.md': '# Cases\n',
      'docs/helix/03-test/b-notes.md': '# Notes\n',
      'docs/helix/05-deploy/sub/runbook.md': '# Runbook\n',
    });
    assert.deepEqual(
      gated.analysis.workflows().map((w) => `${w.id} ${w.phases.map((p) => p.phase!.id).join(',')}`),
      ['docs/helix 01,02'],
    );
    assert.deepEqual(
      gated.findings
        .filter((f) => f.code === 'phase-chain')
        .map((f) => `${relativePath(ROOT, f.uri)} ${f.fixes?.[0]?.title}`),
      [
        'docs/helix/00-discover/vision.md Create "docs/helix/00-discover/README.md"',
        'docs/helix/03-test/b-notes.md Create "docs/helix/03-test/README.md"',
        'docs/helix/05-deploy/sub/runbook.md Create "docs/helix/05-deploy/README.md"',
      ],
    );
  });
});

describe('gate files: transition.to_phase (phase-chain)', () => {
  /** A HELIX-like folder workflow, each phase's gate file given (or none). */
  const helix = (gates: Record<string, string>, extra: Record<string, string> = {}) => {
    const files: Record<string, string> = {};
    for (const [dir, name] of [
      ['00-discover', 'Discover'],
      ['01-frame', 'Frame'],
      ['02-design', 'Design'],
      ['03-test', 'Test'],
    ])
      files[`docs/helix/${dir}/README.md`] = readme(dir.slice(0, 2), name);
    for (const [path, text] of Object.entries(gates)) files[`docs/helix/${path}`] = text;
    return { ...files, ...extra };
  };
  const exit = (transition: string) =>
    `exit_gates:\n  - criteria: Sponsor agrees\n# Phase Transition\ntransition:\n${transition}  approval_required: true\n  approvers:\n    - Sponsor\n`;
  const finding = (c: Checked) => {
    const list = c.findings.filter((f) => f.code === 'phase-chain');
    assert.equal(list.length, 1, c.of('phase-chain').join('\n'));
    return list[0];
  };

  it('reads to_phase with where its value is written, in either YAML path', () => {
    const read = (text: string) => {
      const fast = parseGateFile(text);
      assert.deepEqual(parseGateFile(text, { fast: false }), fast, text);
      return fast.transition;
    };
    const at = (line: number, from: number, to: number) => ({
      start: { line, character: from },
      end: { line, character: to },
    });
    const key = at(4, 2, 10);
    assert.deepEqual(read(exit('  to_phase: 02-design\n')), {
      toPhase: '02-design',
      range: at(4, 12, 21),
      keyRange: key,
    });
    // inside its quotes
    assert.deepEqual(read(exit('  to_phase: "02-design"  # next\n')), {
      toPhase: '02-design',
      range: at(4, 13, 22),
      keyRange: key,
    });
    assert.deepEqual(read(exit("  to_phase: 'design'\n")), {
      toPhase: 'design',
      range: at(4, 13, 19),
      keyRange: key,
    });
    // a number as written (YAML reads `02` as 2)
    assert.deepEqual(read(exit('  to_phase: 02 # design\n')), {
      toPhase: '02',
      range: at(4, 12, 14),
      keyRange: key,
    });
    // no text: what it is, on its key
    assert.deepEqual(read(exit('  to_phase: [02-design]\n')), { keyRange: key, problem: 'a list' });
    assert.deepEqual(read(exit('  to_phase:\n    name: design\n')), { keyRange: key, problem: 'a mapping' });
    assert.deepEqual(read(exit('  to_phase:\n')), { keyRange: key, problem: 'empty' });
    assert.deepEqual(read(exit('  to_phase: ""\n')), { keyRange: key, problem: 'empty' });
    // read through an alias: its text is written elsewhere (no range to edit)
    assert.deepEqual(
      read('next: &n 02-design\nexit_gates:\n  - criteria: A\ntransition:\n  to_phase: *n\n'),
      { toPhase: '02-design', keyRange: at(4, 2, 10) },
    );
    // anchored: its text is also what its aliases read (no range to edit), as is one of an
    // anchored or aliased transition mapping
    assert.deepEqual(
      read('exit_gates:\n  - criteria: A\ntransition:\n  to_phase: &v 02-desing\nother: *v\n'),
      { toPhase: '02-desing', keyRange: at(3, 2, 10) },
    );
    assert.deepEqual(read('exit_gates:\n  - criteria: A\ntransition: &t\n  to_phase: 02\nother: *t\n'), {
      toPhase: '02',
      keyRange: at(3, 2, 10),
    });
    assert.deepEqual(read('t: &t\n  to_phase: 02-design\nexit_gates:\n  - criteria: A\ntransition: *t\n'), {
      toPhase: '02-design',
      keyRange: at(1, 2, 10),
    });
    // a number read through an alias: as written there
    assert.deepEqual(read('next: &n 02\nexit_gates:\n  - criteria: A\ntransition:\n  to_phase: *n\n'), {
      toPhase: '02',
      keyRange: at(4, 2, 10),
    });
    // through a merge key: read, said on the `<<`, its value written elsewhere
    const merged =
      'd: &d\n  to_phase: 02-desing\nexit_gates:\n  - criteria: A\ntransition:\n  <<: *d\n  approval_required: true\n';
    assert.deepEqual(read(merged), { toPhase: '02-desing', keyRange: at(5, 2, 4) });
    // its own key wins over a merged one
    assert.deepEqual(read(merged.replace('  <<: *d\n', '  <<: *d\n  to_phase: 02-design\n')), {
      toPhase: '02-design',
      range: at(6, 12, 21),
      keyRange: at(6, 2, 10),
    });
    // none, or a transition of the file's own shape: nothing read
    assert.equal(read('exit_gates:\n  - criteria: A\n'), undefined);
    assert.equal(read('exit_gates:\n  - criteria: A\ntransition:\n  next: design\n'), undefined);
    assert.equal(read('exit_gates:\n  - criteria: A\ntransition: 02-design\n'), undefined);
  });

  it('a to_phase naming no phase of the workflow is said on its value, with the phases there are and a fix writing the next one', async () => {
    const text = exit('  to_phase: "02-desing"\n');
    const c = await check(helix({ '01-frame/exit-gates.yml': text }));
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/01-frame/exit-gates.yml:5:14 Gate file exit-gates.yml: transition.to_phase "02-desing" names no phase of workflow docs/helix: its phases are 00-discover, 01-frame, 02-design, 03-test (the next after 01 is 02-design).',
    ]);
    const f = finding(c);
    assert.deepEqual(f.fixes, [
      {
        kind: 'edit',
        title: 'Set transition.to_phase to 02-design',
        uri: c.ws.uri('docs/helix/01-frame/exit-gates.yml'),
        edits: [
          {
            range: { start: { line: 4, character: 13 }, end: { line: 4, character: 22 } },
            newText: '02-design',
          },
        ],
        preferred: true,
      },
    ]);
    const fixed = applyEdits(text, f.fixes![0].kind === 'edit' ? f.fixes![0].edits : []);
    assert.equal(fixed, exit('  to_phase: "02-design"\n'));
    // a renamed folder: the value that named it names nothing now
    const moved = await check({
      ...Object.fromEntries(
        Object.entries(helix({ '01-frame/exit-gates.yml': exit('  to_phase: 02-design # next\n') })).map(
          ([k, v]) => [k.replace('02-design', '02-architecture'), v],
        ),
      ),
    });
    assert.deepEqual(moved.of('phase-chain'), [
      'docs/helix/01-frame/exit-gates.yml:5:13 Gate file exit-gates.yml: transition.to_phase "02-design" names no phase of workflow docs/helix: its phases are 00-discover, 01-frame, 02-architecture, 03-test (the next after 01 is 02-architecture).',
    ]);
    const fix = finding(moved).fixes![0];
    assert.equal(
      fix.kind === 'edit' && applyEdits(exit('  to_phase: 02-design # next\n'), fix.edits),
      exit('  to_phase: 02-architecture # next\n'),
    );
  });

  it('a to_phase that is not the next phase is said as next_phase would be: the same phase, backwards, over a phase', async () => {
    const c = await check(
      helix({
        '00-discover/GATE.yaml': `exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase: 00-discover\n`,
        '01-frame/exit-gates.yml': exit('  to_phase: 03\n'),
        '02-design/GATE.yaml': `exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase: frame\n`,
      }),
    );
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/00-discover/GATE.yaml:4:13 Gate file GATE.yaml: transition.to_phase "00-discover" repeats phase 00: the next phase is 01-frame.',
      'docs/helix/01-frame/exit-gates.yml:5:13 Gate file exit-gates.yml: transition.to_phase "03" (03-test) goes from phase 01 to phase 03, skipping phase 02 (02-design): the next phase is 02-design.',
      'docs/helix/02-design/GATE.yaml:4:13 Gate file GATE.yaml: transition.to_phase "frame" (01-frame) goes from phase 02 to phase 01, the wrong direction: the next phase is 03-test.',
    ]);
    const titles = c.findings
      .filter((f) => f.code === 'phase-chain')
      .map((f) => f.fixes?.map((x) => x.title).join());
    assert.deepEqual(titles, [
      'Set transition.to_phase to 01-frame',
      'Set transition.to_phase to 02-design',
      'Set transition.to_phase to 03-test',
    ]);
    // each phase is named by its folder's name, its number or its name; the last phase leads
    // back to the first (a cycle); a number the workflow lacks is no phase skipped
    const ok = await check({
      'p/01-frame/README.md': readme('01', 'Frame'),
      'p/01-frame/exit-gates.yml': exit('  to_phase: 02\n'),
      'p/02-design/README.md': readme('02', 'Design'),
      'p/02-design/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase: Build\n',
      'p/04-build/README.md': readme('04', 'Build'),
      'p/04-build/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase: "01-frame"\n',
    });
    assert.deepEqual(ok.of('phase-chain'), []);
  });

  it('a to_phase naming a phase not written yet is read by number and name, and over the phases still to come', async () => {
    const at = async (value: string) => {
      const text = exit(`  to_phase: ${value}\n`);
      const c = await check(helix({ '03-test/exit-gates.yml': text }));
      const list = c.findings.filter((f) => f.code === 'phase-chain');
      return {
        said: c.of('phase-chain'),
        fixed: list.map((f) => {
          const fix = f.fixes?.[0];
          return fix?.kind === 'edit' ? applyEdits(text, fix.edits).split('\n')[4] : undefined;
        }),
      };
    };
    // the next phase of HELIX by its number, its name or both: nothing to say
    for (const ok of ['04-build', '04', 'build', '"04-Build"']) assert.deepEqual((await at(ok)).said, [], ok);
    // its number with another name names no phase, as a misspelt written phase does
    assert.deepEqual(await at('04-biuld'), {
      said: [
        'docs/helix/03-test/exit-gates.yml:5:13 Gate file exit-gates.yml: transition.to_phase "04-biuld" names no phase of workflow docs/helix: its phases are 00-discover, 01-frame, 02-design, 03-test (the next after 03 is 04-build, not written yet).',
      ],
      fixed: ['  to_phase: 04-build'],
    });
    // over a phase still to come
    assert.deepEqual(await at('05-deploy'), {
      said: [
        'docs/helix/03-test/exit-gates.yml:5:13 Gate file exit-gates.yml: transition.to_phase "05-deploy" (05-deploy, not written yet) goes from phase 03 to phase 05, skipping phase 04 (04-build, not written yet): the next phase is 04-build, not written yet.',
      ],
      fixed: ['  to_phase: 04-build'],
    });
    assert.deepEqual((await at('iterate')).said, [
      'docs/helix/03-test/exit-gates.yml:5:13 Gate file exit-gates.yml: transition.to_phase "iterate" (06-iterate, not written yet) goes from phase 03 to phase 06, skipping phase 04 (04-build, not written yet), phase 05 (05-deploy, not written yet): the next phase is 04-build, not written yet.',
    ]);
    // over a written phase, to one still to come
    const early = await check(helix({ '02-design/GATE.yaml': exit('  to_phase: 04-build\n') }));
    assert.deepEqual(early.of('phase-chain'), [
      'docs/helix/02-design/GATE.yaml:5:13 Gate file GATE.yaml: transition.to_phase "04-build" (04-build, not written yet) goes from phase 02 to phase 04, skipping phase 03 (03-test): the next phase is 03-test.',
    ]);
  });

  it('a to_phase whose text is not its own alone (anchored, or merged in) is checked with no fix', async () => {
    const anchored = `exit_gates:\n  - criteria: A\n    evidence: *v\ntransition:\n  to_phase: &v 02-desing\n`;
    const c = await check(helix({ '01-frame/exit-gates.yml': anchored }));
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/01-frame/exit-gates.yml:5:3 Gate file exit-gates.yml: transition.to_phase "02-desing" names no phase of workflow docs/helix: its phases are 00-discover, 01-frame, 02-design, 03-test (the next after 01 is 02-design).',
    ]);
    assert.equal(finding(c).fixes, undefined);
    const merged = await check(
      helix({
        '01-frame/exit-gates.yml':
          'd: &d\n  to_phase: 03-test\nexit_gates:\n  - criteria: A\ntransition:\n  <<: *d\n  approval_required: true\n',
      }),
    );
    assert.deepEqual(merged.of('phase-chain'), [
      'docs/helix/01-frame/exit-gates.yml:6:3 Gate file exit-gates.yml: transition.to_phase "03-test" goes from phase 01 to phase 03, skipping phase 02 (02-design): the next phase is 02-design.',
    ]);
    assert.equal(finding(merged).fixes, undefined);
  });

  it('a to_phase that is no text or empty is said on its key, without a crash', async () => {
    const c = await check(
      helix({
        '01-frame/exit-gates.yml': exit('  to_phase:\n    - 02-design\n'),
        '02-design/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase:\n',
      }),
    );
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/01-frame/exit-gates.yml:5:3 Gate file exit-gates.yml: transition.to_phase is a list, so it names no phase: write the phase this one hands over to (02-design).',
      // HELIX's phases after the last written are to come
      'docs/helix/02-design/GATE.yaml:4:3 Gate file GATE.yaml: transition.to_phase is empty, so it names no phase: write the phase this one hands over to (03-test).',
    ]);
    assert.deepEqual(
      c.findings.filter((f) => f.code === 'phase-chain').map((f) => f.fixes),
      [undefined, undefined],
    );
  });

  it('nothing for the HELIX library as written, a phase not written yet, a gate file beside no phase, or the rule off', async () => {
    const library = helix({
      '00-discover/GATE.yaml':
        'exit_requirements:\n  manual: ["Go decision"]\n# Phase Transition\ntransition:\n  to_phase: 01-frame\n  approval_required: true\n  approvers:\n    - Sponsor\n  pre_transition_tasks:\n    - Archive discovery artifacts\n',
      '01-frame/exit-gates.yml': exit('  to_phase: 02-design\n'),
      '01-frame/input-gates.yml':
        'input_gates:\n  - criteria: Discovery done\ntransition:\n  to_phase: 02-design\n',
      // the next phase of HELIX, not written yet
      '03-test/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase: 04-build\n',
    });
    const c = await check(library);
    assert.deepEqual(c.of('phase-chain'), []);
    // an input-gates.yml's transition is read as the others' are
    const input = await check({
      ...library,
      'docs/helix/01-frame/input-gates.yml':
        'input_gates:\n  - criteria: A\ntransition:\n  to_phase: 01-frame\n',
    });
    assert.deepEqual(input.of('phase-chain'), [
      'docs/helix/01-frame/input-gates.yml:4:13 Gate file input-gates.yml: transition.to_phase "01-frame" repeats phase 01: the next phase is 02-design.',
    ]);
    // beside no phase folder
    const none = await check({
      'notes/GATE.yaml': 'exit_requirements:\n  manual: ["x"]\ntransition:\n  to_phase: nowhere\n',
    });
    assert.deepEqual(none.of('phase-chain'), []);
    // the rule's setting holds
    const off = await check(helix({ '01-frame/exit-gates.yml': exit('  to_phase: 09-nowhere\n') }), {
      cdp: { rules: { 'phase-chain': 'off' } },
    });
    assert.deepEqual(
      off.findings.filter((f) => f.code === 'phase-chain'),
      [],
    );
  });
});

describe('gate files: files a grep check names but does not search', () => {
  const frame = {
    'p/01-a/README.md': readme('01', 'A'),
  };
  const pages = (n: number): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let i = 0; i < n; i++) out[`p/pages/p${String(i).padStart(4, '0')}.md`] = `# Page ${i}\n`;
    return out;
  };
  const todo =
    '    - check: grep_absent\n      pattern: "\\\\[TODO\\\\]"\n      path: "p/**/*.md"\n      description: no todo';

  it('a check over more files than it searches is not evaluated, and does not starve the next', async () => {
    const c = await check({
      ...frame,
      ...pages(2100),
      'p/pages/zz-last.md': '# Z\n[TODO] write this\n',
      'p/01-a/GATE.yaml': gate(
        [
          todo,
          '    - check: grep_present\n      pattern: "write this"\n      path: p/pages/zz-last.md\n      description: last',
          '    - check: grep_present\n      pattern: "Page 7"\n      path: "p/pages/*.md"\n      description: found early',
          '    - check: grep_present\n      pattern: "nowhere"\n      path: "p/pages/*.md"\n      description: found nowhere',
        ].join('\n'),
      ),
    });
    assert.deepEqual(items(c, 'p/01-a'), [
      'not-evaluated no todo (102 of 2,102 files not searched: a check searches at most 2,000 files, so p/pages/p1999.md and those after it were not (narrow its path, or split it into checks of fewer files))',
      'passed last',
      'passed found early',
      'not-evaluated found nowhere (101 of 2,101 files not searched: a check searches at most 2,000 files, so p/pages/p2000.md and those after it were not (narrow its path, or split it into checks of fewer files))',
    ]);
  });

  it('a file over 512 KB is searched in its first 512 KB; a match not found there is not evaluated', async () => {
    const big = `[TODO] first line\n${'x'.repeat(99)}\n`.repeat(1) + `${'y'.repeat(99)}\n`.repeat(15_000);
    const exact =
      '    - check: grep_absent\n      pattern: "\\\\[TODO\\\\]"\n      path: p/exact/all.txt\n      description: exact';
    const c = await check({
      ...frame,
      'p/data/big.txt': big,
      // Plain-text patterns only: answers kept, found in the same first 512 KB.
      'p/late/big.txt': `${big}[TODO] too late\n`,
      // Exactly the part searched: all of it is seen.
      'p/exact/all.txt': 'z'.repeat(MAX_SEARCH_CHARS),
      'p/01-a/GATE.yaml': gate(
        [
          '    - check: grep_absent\n      pattern: "\\\\[TODO\\\\]"\n      path: "p/data/*"\n      description: no todo',
          '    - check: grep_present\n      pattern: "first (line|row)"\n      path: p/data/big.txt\n      description: first',
          '    - check: grep_absent\n      pattern: "too late"\n      path: p/late/big.txt\n      description: late',
          '    - check: grep_present\n      pattern: "first line"\n      path: p/late/big.txt\n      description: early',
          '    - check: grep_present\n      pattern: "too late"\n      path: p/late/big.txt\n      description: late present',
          // Patterns the engine runs: searched in the text kept, its first part.
          '    - check: grep_absent\n      pattern: "y{3}z"\n      path: p/data/big.txt\n      description: engine absent',
          '    - check: grep_present\n      pattern: "too (late|early)"\n      path: "p/data/*"\n      description: engine present',
          '    - check: grep_absent\n      pattern: "nowhere"\n      path: "p/*/big.txt"\n      description: both',
          exact,
        ].join('\n'),
      ),
    });
    const partly = (f: string) =>
      `${f} is longer than 512 K characters; only its first 512 K characters were searched`;
    assert.deepEqual(items(c, 'p/01-a'), [
      'failed no todo (p/data/big.txt matches /\\[TODO\\]/)',
      'passed first',
      `not-evaluated late (${partly('p/late/big.txt')})`,
      'passed early',
      `not-evaluated late present (${partly('p/late/big.txt')})`,
      `not-evaluated engine absent (${partly('p/data/big.txt')})`,
      `not-evaluated engine present (${partly('p/data/big.txt')})`,
      'not-evaluated both (p/data/big.txt, p/late/big.txt are longer than 512 K characters; only their first 512 K characters were searched)',
      'passed exact',
    ]);
    const gates = c.analysis.index.gates;
    // (its first 512 K characters, cut back to the last line break in them)
    const kept = big.slice(0, 512 * 1024);
    assert.equal(gates.text(c.ws.uri('p/data/big.txt')), kept.slice(0, kept.lastIndexOf('\n') + 1));
    assert.equal(gates.truncated(c.ws.uri('p/data/big.txt')), true);
    assert.equal(gates.truncated(c.ws.uri('p/exact/all.txt')), false);
    assert.equal(gates.text(c.ws.uri('p/late/big.txt')), undefined);
    assert.deepEqual(gates.answer(c.ws.uri('p/late/big.txt'), 'too late'), { matched: false, partial: true });
    assert.deepEqual(gates.answer(c.ws.uri('p/late/big.txt'), 'first line'), { matched: true });
  });

  it('a match in the part searched of a longer text stands only where it holds whatever follows that part', async () => {
    const MAX = MAX_SEARCH_CHARS;
    // No line break in the part: `a$` and `ERROR\b` would match at the cut, inside a line.
    const oneLine = `${'a'.repeat(MAX)}b\n`;
    const cutWord = `${'x'.repeat(MAX - 5)}ERROR_CODE\n`;
    for (const p of ['a$', 'ERROR$', 'ERROR\\b', 'ERROR\\z'])
      assert.deepEqual(
        searchText(p, p.startsWith('a') ? oneLine : cutWord),
        { matched: false, partial: true },
        p,
      );
    // …while what asserts nothing past its match stands, and `\$` is a dollar sign.
    assert.deepEqual(searchText('^a+', oneLine), { matched: true });
    assert.deepEqual(searchText('ERROR', cutWord), { matched: true });
    assert.deepEqual(searchText('a\\$?', oneLine), { matched: true });
    // A match inside the part stands however its pattern ends (a minified one-line file).
    assert.deepEqual(searchText('\\baa\\B', oneLine), { matched: true });
    assert.deepEqual(searchText('\\bversion\\b', `aaa version ${'z'.repeat(MAX)}`), { matched: true });
    // The part cut back to a line break never ends the file: `\z` and `$` outside
    // multi-line mode find the end of the part, not of the file.
    const ends = `${'x'.repeat(100)}\nEND\n${'y'.repeat(MAX)}\nlast\n`;
    for (const p of ['END\\z', 'END\\s*\\z', 'END\\n\\z', '(?-m)END$', 'END\\n.'])
      assert.deepEqual(searchText(p, ends), { matched: false, partial: true }, p);
    assert.deepEqual(searchText('^END$', ends), { matched: true });
    // …nor does a pattern that takes the end of the part for the end of the text or for a
    // character of another kind (`\S` or `\z`: a blank line follows the heading in the file).
    const heading = `${'x'.repeat(MAX - 10)}\n## Scope\n\nText under scope.\n`;
    for (const p of ['^## .*\\n(?:\\S|\\z)', 'Scope\\n(?:[^E]|\\z)', 'Scope[[:space:]](?:\\S|\\z)'])
      assert.deepEqual(searchText(p, heading), { matched: false, partial: true }, p);
    assert.deepEqual(searchText('^## Scope$', heading), { matched: true });
    // What is kept of such a text (`grepText`) answers alike, told it is a part.
    const part = grepText(ends);
    assert.ok(part.endsWith('END\n'));
    assert.deepEqual(searchText('END\\z', part, undefined, true), { matched: false, partial: true });
    assert.deepEqual(searchText('^END$', part, undefined, true), { matched: true });
    assert.deepEqual(searchText('END\\z', part), { matched: true });
    // A part cut back to a line break: `$` there ends a line in the whole text too.
    const lines = `${'y'.repeat(MAX - 100)}\nlast whole line\n${'z'.repeat(200)}`;
    assert.deepEqual(searchText('whole line$', lines), { matched: true });
    assert.deepEqual(searchText('line\\b', lines), { matched: true });
    assert.deepEqual(searchText('z$', lines), { matched: false, partial: true });
    // The same through a gate file, for a text kept (patterns the engine runs) and searched whole.
    const c = await check({
      ...frame,
      'p/data/cut.md': oneLine,
      'p/data/cut2.md': cutWord,
      'p/01-a/GATE.yaml': gate(
        [
          '    - check: grep_absent\n      pattern: "a$"\n      path: p/data/cut.md\n      description: absent end',
          '    - check: grep_present\n      pattern: "a$"\n      path: p/data/cut.md\n      description: present end',
          '    - check: grep_present\n      pattern: "ERROR\\\\b"\n      path: p/data/cut2.md\n      description: present word',
          '    - check: grep_present\n      pattern: "^a+"\n      path: p/data/cut.md\n      description: present start',
        ].join('\n'),
      ),
    });
    const partly = (f: string) =>
      `${f} is longer than 512 K characters; only its first 512 K characters were searched`;
    assert.deepEqual(items(c, 'p/01-a'), [
      `not-evaluated absent end (${partly('p/data/cut.md')})`,
      `not-evaluated present end (${partly('p/data/cut.md')})`,
      `not-evaluated present word (${partly('p/data/cut2.md')})`,
      'passed present start',
    ]);
  });

  it('a search of a text longer than the part searched says so when it finds nothing there', () => {
    const long = `${'a'.repeat(MAX_SEARCH_CHARS)}[TODO]`;
    assert.deepEqual(searchText('\\[TODO\\]', long), { matched: false, partial: true });
    assert.deepEqual(searchText('\\[TO+DO\\]', long), { matched: false, partial: true });
    assert.deepEqual(searchText('^a', long), { matched: true });
    assert.deepEqual(searchText('\\[TODO\\]', long.slice(0, MAX_SEARCH_CHARS)), { matched: false });
    assert.deepEqual(
      freeAnswers(long, new Set(['\\[TODO\\]', 'aaa'])),
      new Map([
        ['\\[TODO\\]', { matched: false, partial: true }],
        ['aaa', { matched: true }],
      ]),
    );
  });

  it('a file that could not be read among those searched leaves the check not evaluated, naming it', async () => {
    const ws = new MemoryWorkspace({
      ...frame,
      'p/01-a/GATE.yaml': gate(
        '    - check: grep_absent\n      pattern: "\\\\[TODO\\\\]"\n      path: "p/notes/*"\n      description: no todo',
      ),
      'p/notes/a.txt': 'A\n',
      'p/notes/b.txt': 'B\n[TODO]\n',
      'p/notes/c.txt': 'C\n',
    });
    ws.unreadable.add('p/notes/b.txt');
    const { index } = await loadWorkspace(ws, defaultConfig());
    const analysis = new Analysis(index);
    const checked = { ws, analysis, findings: [], notices: [], of: () => [], config: defaultConfig() };
    assert.deepEqual(items(checked, 'p/01-a'), [
      'not-evaluated no todo (1 of 3 files not searched: p/notes/b.txt was not read (could not be read: permission denied))',
    ]);
  });
});

describe('gate files: the files all grep checks of a workspace read together', () => {
  it('a check whose files are past the limit of all checks is not evaluated, saying so', async () => {
    const files: Record<string, string> = { 'p/01-a/README.md': readme('01', 'A') };
    const checks: string[] = [];
    // Six checks of 2,000 files each: the sixth is past the 10,000 files read in all.
    for (let d = 0; d < 6; d++) {
      for (let i = 0; i < 2000; i++) files[`p/d${d}/f${String(i).padStart(4, '0')}.txt`] = 'ok\n';
      checks.push(
        `    - check: grep_absent\n      pattern: "TODO"\n      path: "p/d${d}/*"\n      description: d${d}`,
      );
    }
    const c = await check({ ...files, 'p/01-a/GATE.yaml': gate(checks.join('\n')) });
    assert.deepEqual(items(c, 'p/01-a'), [
      'passed d0',
      'passed d1',
      'passed d2',
      'passed d3',
      'passed d4',
      'not-evaluated d5 (2,000 of 2,000 files not searched: p/d5/f0000.txt, p/d5/f0001.txt, p/d5/f0002.txt, and 1997 more were not read (more than 10,000 files are read for the grep checks of the workspace together))',
    ]);
  });
});

describe('gate files: phase and number keys (phase-chain)', () => {
  const files = (design: string): Record<string, string> => ({
    'docs/helix/01-frame/README.md': readme('01', 'Frame'),
    'docs/helix/01-frame/GATE.yaml': 'phase: frame\nnumber: "01"\nexit_requirements:\n  manual: ["PRD ok"]\n',
    'docs/helix/02-design/README.md': readme('02', 'Design'),
    'docs/helix/02-design/GATE.yaml': `${design}exit_requirements:\n  manual: ["Design ok"]\n`,
  });

  it('reads them with where their values are written, in either YAML path', () => {
    const text = 'phase: "frame"  # copied\nnumber: 01\nname: Frame\nexit_gates:\n  - criteria: A\n';
    const fast = parseGateFile(text);
    assert.deepEqual(parseGateFile(text, { fast: false }), fast);
    assert.deepEqual(fast.phaseKeys, [
      {
        key: 'phase',
        value: 'frame',
        range: { start: { line: 0, character: 8 }, end: { line: 0, character: 13 } },
      },
      {
        key: 'number',
        value: '01',
        range: { start: { line: 1, character: 8 }, end: { line: 1, character: 10 } },
      },
    ]);
  });

  it("a gate file copied from another phase is said on the value naming it, with a fix writing its folder's", async () => {
    const c = await check(files('phase: frame\nnumber: "01"\n'));
    assert.deepEqual(c.of('phase-chain'), [
      'docs/helix/02-design/GATE.yaml:1:8 Gate file GATE.yaml: phase "frame" is not the phase of its folder, 02-design (phase 02): copied from another phase? Write design.',
      'docs/helix/02-design/GATE.yaml:2:10 Gate file GATE.yaml: number "01" is not the phase of its folder, 02-design (phase 02): copied from another phase? Write 02.',
    ]);
    let text = files('phase: frame\nnumber: "01"\n')['docs/helix/02-design/GATE.yaml'];
    for (const f of c.findings.filter((x) => x.code === 'phase-chain').reverse()) {
      const fix = f.fixes?.[0];
      assert.ok(fix?.kind === 'edit', f.message);
      text = applyEdits(text, fix.edits);
    }
    assert.equal(text, 'phase: design\nnumber: "02"\nexit_requirements:\n  manual: ["Design ok"]\n');
    assert.deepEqual((await check(files('phase: design\nnumber: "02"\n'))).of('phase-chain'), []);
    // A folder's name is written back as one.
    const named = await check(files('phase: 01-frame\n'));
    assert.deepEqual(
      named.findings.filter((x) => x.code === 'phase-chain').map((f) => f.fixes?.[0]?.title),
      ['Set phase to 02-design'],
    );
  });

  it("every way of naming the folder's phase agrees; a number that is no number and a gate file beside no phase are left alone", async () => {
    for (const ok of [
      'phase: design\n',
      'phase: Design\n',
      'phase: 02-design\n',
      'phase: "02"\n',
      'phase: 2\n',
      'number: 2\n',
      'number: "02"\n',
      'number: second\n',
      'phase: [design]\n',
    ])
      assert.deepEqual((await check(files(ok))).of('phase-chain'), [], ok);
    const none = await check({
      'notes/GATE.yaml': 'phase: frame\nnumber: 1\nexit_requirements:\n  manual: ["x"]\n',
    });
    assert.deepEqual(none.of('phase-chain'), []);
    const off = await check(files('phase: frame\n'), { cdp: { rules: { 'phase-chain': 'off' } } });
    assert.deepEqual(off.of('phase-chain'), []);
  });
});
