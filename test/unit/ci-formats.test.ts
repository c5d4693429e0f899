import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { TestCase, TestSuite, TestSuites } from 'junit2json';
import {
  escapeData,
  escapeFileProperty,
  escapeProperty,
  toGithub,
} from '../../server/src/cli/formats/github';
import { junitPieces } from '../../server/src/cli/formats/junit';
import { RULE_META } from '../../server/src/cli/formats/rules';
import { sarifPieces } from '../../server/src/cli/formats/sarif';
import { cutAtLine, mdText, toSummary } from '../../server/src/cli/formats/summary';
import type { JsonDiagnostic } from '../../server/src/core/report';
import { run } from '../helpers/cli';
import { tempDir, tempWorkspace } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';

const REPO = join(__dirname, '..', '..');
const EXAMPLES = join(REPO, 'examples');
const CORPUS = join(REPO, '..', 'shared', 'corpus', 'ddx-cdp');
const corpusSkip = existsSync(CORPUS) ? false : `corpus not present at ${CORPUS}`;

/**
 * The SARIF 2.1.0 schema as the SARIF SDK (the reference implementation kept by the
 * standard's editors) ships it in its npm package: a dev dependency, never fetched at test time.
 */
const SCHEMA_FILE = require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json');

let validator: ReturnType<Ajv['compile']> | undefined;
function validateSarif(log: unknown): void {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    assert.match(schema.title, /SARIF\) Version 2\.1\.0 JSON Schema/, 'the SARIF 2.1.0 schema');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  const ok = validator(log);
  assert.ok(ok, JSON.stringify(validator.errors?.slice(0, 5), null, 2));
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; helpUri: string; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
        };
      }[];
    }[];
  }[];
}

/** Checks a SARIF log against the schema, and that every location names an existing file. */
function checkSarif(stdout: string, diagnostics: number): SarifLog {
  const log = JSON.parse(stdout) as SarifLog;
  validateSarif(log);
  const run0 = log.runs[0];
  const base = run0.originalUriBaseIds['%SRCROOT%'].uri;
  assert.match(base, /^file:\/\/.*\/$/);
  const fromRules = run0.results.filter((r) => r.ruleId !== 'gate-failed');
  assert.equal(fromRules.length, diagnostics);
  for (const r of run0.results) {
    assert.equal(run0.tool.driver.rules[r.ruleIndex!].id, r.ruleId);
    const loc = r.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(!loc.artifactLocation.uri.startsWith('/'), 'relative URI');
    assert.ok(loc.region.startLine >= 1);
    assert.ok(existsSync(fileURLToPath(new URL(loc.artifactLocation.uri, base))), loc.artifactLocation.uri);
  }
  return log;
}

/** The documented form of a workflow command, with escaped properties and message. */
const COMMAND =
  /^::(error|warning|notice)(?: ((?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*(?:,(?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*)*))?::([^\r\n]*)$/;
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

function parseCommands(stdout: string) {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = COMMAND.exec(line);
      assert.ok(m, `not a workflow command: ${line}`);
      const props: Record<string, string> = {};
      for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
        const eq = kv.indexOf('=');
        props[kv.slice(0, eq)] = unescapeProperty(kv.slice(eq + 1));
      }
      return { command: m[1], props, message: unescapeData(m[3]) };
    });
}

async function parseJunit(xml: string): Promise<TestSuite[]> {
  // Characters XML 1.0 cannot hold at all must never be written.
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  const { parse } = await import('junit2json');
  const doc = (await parse(xml)) as TestSuites;
  assert.ok(doc && Array.isArray(doc.testsuite), 'a <testsuites> root');
  return doc.testsuite!;
}

const allCases = (suites: TestSuite[]) => suites.flatMap((s) => s.testcase ?? []);
const failed = (c: TestCase) => (c.failure?.length ?? 0) > 0;

const hostile = phaseDoc({
  title: 'Release',
  phase: '05',
  name: "Release <b>&amp; 'go' | x",
  body:
    '## Exit Criteria\n\n- [ ] Sign <off> & ship "now" ]]> \u0001\u001b[31m red | pipe\n- [x] 100% done: yes, really\n\n' +
    '## Security Gate\n\n[[missing 100% & "more"]]\n',
});

describe('cdp check --format sarif', () => {
  it('names a file whose name holds a colon relative to the source root, as any other', async () => {
    const root = tempWorkspace({ 'c:drive.md': '# C\n\n[[x]]\n', 'top:level.md': '# T\n\n[[y]]\n' });
    const log = JSON.parse((await run(['check', root, '--format', 'sarif'])).stdout) as SarifLog;
    assert.deepEqual(
      log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation),
      [
        { uri: 'c%3Adrive.md', uriBaseId: '%SRCROOT%' },
        { uri: 'top%3Alevel.md', uriBaseId: '%SRCROOT%' },
      ],
    );
  });

  it('uses a schema that rejects what SARIF 2.1.0 forbids', () => {
    const bad = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'cdp' } }, results: [{ message: {}, level: 'fatal' }] }],
    };
    assert.throws(() => validateSarif(bad));
    assert.throws(() => validateSarif({ version: '2.0.0', runs: [] }));
  });

  it('writes a SARIF 2.1.0 log the official schema accepts, for the examples', async () => {
    const json = JSON.parse((await run(['check', EXAMPLES, '--format', 'json'])).stdout);
    const r = await run(['check', EXAMPLES, '--format', 'sarif']);
    assert.equal(r.stderr, '');
    const log = checkSarif(r.stdout, json.diagnostics.length);
    const broken = log.runs[0].results.find((x) => x.ruleId === 'broken-link')!;
    const d = json.diagnostics.find((x: { code: string }) => x.code === 'broken-link');
    const loc = broken.locations[0].physicalLocation;
    // Relative to the current folder (the repository) when the root is inside it.
    assert.equal(loc.artifactLocation.uri, `examples/${d.file}`);
    assert.deepEqual(loc.region, {
      startLine: d.line,
      startColumn: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
    });
    assert.equal(broken.level, 'warning');
    const levels = new Set(log.runs[0].results.map((x) => x.level));
    assert.ok(levels.has('note'), 'information findings are notes');
  });

  it('describes every rule with its default level and a help URI whose anchor docs/rules.md has', async () => {
    const log = JSON.parse((await run(['check', EXAMPLES, '--format', 'sarif'])).stdout) as SarifLog;
    const rules = log.runs[0].tool.driver.rules;
    const doc = readFileSync(join(REPO, 'docs', 'rules.md'), 'utf8');
    const anchors = new Set(
      [...doc.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/ /g, '-')),
    );
    assert.deepEqual(
      rules.map((x) => x.id),
      RULE_META.map((x) => x.id),
    );
    for (const rule of rules) assert.ok(anchors.has(new URL(rule.helpUri).hash.slice(1)), rule.helpUri);
    assert.equal(rules.find((x) => x.id === 'duplicate-phase')!.defaultConfiguration.level, 'error');
    assert.equal(rules.find((x) => x.id === 'unmet-criterion')!.defaultConfiguration.level, 'note');
    // The short descriptions are the settings' descriptions.
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const settings = pkg.contributes.configuration[0].properties['cdp.rules'].properties;
    for (const m of RULE_META.filter((x) => x.id !== 'gate-failed'))
      assert.ok(settings[m.id].markdownDescription.startsWith(m.short), m.id);
  });

  it('reports each unmet criterion of a failed selected gate, and encodes odd file names', async () => {
    const root = tempWorkspace({ 'wf 1/05 #release%.md': hostile });
    const json = JSON.parse((await run(['check', root, '--phase', '05', '--format', 'json'])).stdout);
    const r = await run(['check', root, '--phase', '05', '--format', 'sarif']);
    assert.equal(r.code, 1);
    const log = checkSarif(r.stdout, json.diagnostics.length);
    const gate = log.runs[0].results.filter((x) => x.ruleId === 'gate-failed');
    assert.equal(gate.length, 2, 'the unchecked exit criterion and the empty gate');
    assert.equal(gate[0].locations[0].physicalLocation.artifactLocation.uri, 'wf%201/05%20%23release%25.md');
    assert.equal(gate[0].locations[0].physicalLocation.region.startLine, 10);
    assert.match(gate[0].message.text, /Sign <off> & ship/);
    // The item, then its reason as written: one sentence, one full stop.
    assert.match(gate[0].message.text, /: "Sign <off> & ship .* pipe": not checked\.$/);
    // A reason ending as a sentence keeps its own end.
    const typo = tempWorkspace({
      'w/01-a/README.md': '# Phase 01: A\n',
      'w/01-a/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exist\n      path: x.md\n  manual:\n    - Sponsor agrees\n',
    });
    const typoRun = await run(['check', typo, '--phase', '01', '--format', 'sarif']);
    const typoJson = JSON.parse((await run(['check', typo, '--format', 'json'])).stdout);
    const texts = checkSarif(typoRun.stdout, typoJson.diagnostics.length)
      .runs[0].results.filter((x) => x.ruleId === 'gate-failed')
      .map((x) => x.message.text.replace(/^[^:]*: /, ''));
    assert.deepEqual(texts, [
      '"file_exist x.md": unknown check type "file_exist" — did you mean "file_exists"?',
      '"Sponsor agrees": a person must confirm it.',
    ]);
  });

  it('writes a valid log with no results for a workspace without findings', async () => {
    const root = tempWorkspace({
      'wf/01-define.md': phaseDoc({ title: 'Define', phase: '01', body: '## Exit Criteria\n\n- [x] done\n' }),
    });
    const r = await run(['check', root, '--format', 'sarif']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(checkSarif(r.stdout, 0).runs[0].results, []);
  });

  it('is accepted by the schema for the shared corpus', { skip: corpusSkip }, async () => {
    const json = JSON.parse((await run(['check', CORPUS, '--format', 'json'])).stdout);
    checkSarif((await run(['check', CORPUS, '--format', 'sarif'])).stdout, json.diagnostics.length);
    const gated = await run(['check', CORPUS, '--phase', 'release', '--format', 'sarif']);
    checkSarif(gated.stdout, json.diagnostics.length);
  });
});

describe('cdp check --format junit', () => {
  it('fails a selected phase without groups in a case of its own, and shows a gate-file group on its file', async () => {
    const root = tempWorkspace({
      'wf/01-build.md': phaseDoc({ title: 'Build', phase: '01', body: '## Exit Criteria\n\n- [x] done\n' }),
      'wf/02-release.md': phaseDoc({ title: 'Release', phase: '02', body: 'No criteria yet.\n' }),
      'docs/helix/02-design/README.md': '# Phase 02: Design\n',
      'docs/helix/02-design/GATE.yaml': 'exit_requirements:\n  automated: [\n',
    });
    const release = await run(['check', root, '--phase', 'release', '--format', 'junit']);
    assert.equal(release.code, 1);
    const cases = allCases(await parseJunit(release.stdout)).filter(
      (c) => !c.classname?.startsWith('findings'),
    );
    // docs/helix has no release phase (nor a deploy phase): a failed case of its own.
    assert.equal(cases.length, 2, release.stdout);
    assert.ok(failed(cases[0]));
    assert.match(cases[0].failure![0].message ?? '', /the phase has no entry, exit or gate group/);
    assert.ok(failed(cases[1]));
    assert.match(cases[1].failure![0].message ?? '', /^Workflow docs\/helix has no phase "release" yet/);
    const design = await run(['check', root, '--phase', 'design', '--format', 'github']);
    const gate = parseCommands(design.stdout).filter((c) => c.props.title?.startsWith('Gate failed'));
    assert.deepEqual(
      gate.map((c) => [c.props.file, c.message]),
      [
        ['docs/helix/02-design/GATE.yaml', 'GATE.yaml: the gate file cannot be read'],
        // wf has no design phase: its gate fails, shown on its last phase document.
        ['wf/02-release.md', 'Workflow wf has no phase "design" yet: its last phase is 02 Release'],
      ],
    );
  });

  it('writes a suite per group and a case per criterion, unmet ones failed, for the examples', async () => {
    const json = JSON.parse((await run(['check', EXAMPLES, '--format', 'json'])).stdout);
    const suites = await parseJunit((await run(['check', EXAMPLES, '--format', 'junit'])).stdout);
    const groups = json.workflows.flatMap(
      (w: { id: string; phases: { phase: string; name: string; groups: unknown[] }[] }) =>
        w.phases.flatMap((p) =>
          (p.groups as { heading: string; total: number; unmet: unknown[] }[]).map((g) => ({
            name: `${w.id} / ${p.phase} ${p.name} / ${g.heading}`,
            g,
          })),
        ),
    );
    assert.equal(suites.length, groups.length + 1);
    const future = new Set<string>();
    for (const w of json.workflows as {
      id: string;
      phases: { phase: string; name: string; complete: boolean; started: boolean }[];
    }[]) {
      const current = w.phases.findIndex((p) => !p.complete);
      w.phases.forEach((p, i) => {
        if (current >= 0 && i > current && !p.started) future.add(`${w.id} / ${p.phase} ${p.name}`);
      });
    }
    for (const { name, g } of groups) {
      const s = suites.find((x) => x.name === name);
      assert.ok(s, name);
      const cases = s.testcase ?? [];
      assert.equal(cases.length, Math.max(g.total, 1), name);
      // A phase after the current one that nobody started: its criteria are skipped.
      const expected = future.has(name.slice(0, name.lastIndexOf(' / ')))
        ? 0
        : g.total === 0
          ? 1
          : g.unmet.length;
      assert.equal(cases.filter(failed).length, expected, name);
      assert.equal(s.failures, cases.filter(failed).length);
      assert.equal(s.tests, cases.length);
    }
    const findings = suites[suites.length - 1];
    assert.equal(findings.name, 'cdp findings');
    assert.equal(findings.testcase?.length, json.diagnostics.length);
    const bad = json.diagnostics.filter(
      (d: { severity: string }) => d.severity === 'error' || d.severity === 'warning',
    );
    assert.equal(findings.testcase?.filter(failed).length, bad.length);
    const unmet = allCases(suites).find((c) => c.name === 'Flag on for all thirteen storefronts');
    assert.equal(unmet?.failure?.[0].message, 'not checked');
    // Files relative to the current folder (the repository) when the root is inside it, as
    // in SARIF and GitHub annotations: suites, cases and failure texts alike.
    const release = json.workflows[0].phases.find((p: { phase: string }) => p.phase === '05');
    const fileAttr = (x: object | undefined) => (x as { file?: string } | undefined)?.file;
    assert.equal(fileAttr(unmet), `examples/${release.file}`);
    assert.match(unmet?.failure?.[0].inner ?? '', new RegExp(`^examples/${release.file}:\\d+: `));
    for (const s of suites) assert.match(fileAttr(s) ?? 'examples/', /^examples\//, s.name);
    for (const c of allCases(suites)) assert.match(fileAttr(c) ?? '', /^examples\//, c.name);
    const d = json.diagnostics[0];
    assert.ok(
      findings.testcase?.some((c) => c.name === `${d.code} examples/${d.file}:${d.line}:${d.column}`),
    );
  });

  it('stays well-formed with markup, quotes and control characters in the documents', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': hostile });
    const r = await run(['check', root, '--phase', '05', '--format', 'junit']);
    assert.equal(r.code, 1);
    const suites = await parseJunit(r.stdout);
    assert.equal(suites.length, 3, 'Exit Criteria, Security Gate, findings');
    assert.equal(suites[0].name, "wf / 05 Release <b>&amp; 'go' | x / Exit Criteria");
    const [open, done] = suites[0].testcase!;
    assert.equal(open.name, 'Sign <off> & ship "now" ]]> \uFFFD\uFFFD[31m red | pipe');
    assert.ok(failed(open));
    assert.ok(!failed(done));
    assert.equal(suites[1].testcase![0].failure![0].message, 'the group has no criteria, so it cannot pass');
    const finding = suites[2].testcase!.find((c) => c.classname === 'findings.broken-link');
    assert.match(finding!.failure![0].message!, /\[\[missing 100% & "more"\]\] does not resolve/);
  });

  it('parses back for the shared corpus', { skip: corpusSkip }, async () => {
    const json = JSON.parse((await run(['check', CORPUS, '--format', 'json'])).stdout);
    const suites = await parseJunit((await run(['check', CORPUS, '--format', 'junit'])).stdout);
    const items = json.workflows
      .flatMap((w: { phases: { groups: { total: number }[] }[] }) => w.phases)
      .flatMap((p: { groups: { total: number }[] }) => p.groups)
      .reduce((n: number, g: { total: number }) => n + Math.max(g.total, 1), 0);
    assert.equal(allCases(suites).length, items + json.diagnostics.length);
  });
});

describe('cdp check --format github', () => {
  it('writes one documented workflow command per finding, for the examples', async () => {
    const json = JSON.parse((await run(['check', EXAMPLES, '--format', 'json'])).stdout);
    const r = await run(['check', EXAMPLES, '--format', 'github']);
    const commands = parseCommands(r.stdout);
    const shown = json.diagnostics.filter((d: { severity: string }) => d.severity !== 'hint');
    assert.equal(commands.length, shown.length + json.notices.length);
    const d = shown[0];
    assert.deepEqual(commands[0].props, {
      file: `examples/${d.file}`,
      line: String(d.line),
      col: String(d.column),
      endLine: String(d.endLine),
      endColumn: String(d.endColumn),
      title: `cdp ${d.code}`,
    });
    assert.equal(commands[0].message, d.message);
    const kinds = { error: 'error', warning: 'warning', information: 'notice' } as Record<string, string>;
    assert.deepEqual(
      commands.slice(0, shown.length).map((c) => c.command),
      shown.map((x: { severity: string }) => kinds[x.severity]),
    );
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', async () => {
    assert.equal(escapeData('100%\r\n: a, b'), '100%25%0D%0A: a, b');
    assert.equal(escapeProperty('100%\r\n: a, b'), '100%25%0D%0A%3A a%2C b');
    const root = tempWorkspace({ 'a,b:c%/05-release.md': hostile });
    const commands = parseCommands(
      (await run(['check', root, '--phase', '05', '--format', 'github'])).stdout,
    );
    const gate = commands.filter((c) => c.props.title?.startsWith('Gate failed'));
    assert.equal(gate.length, 2);
    assert.equal(gate[0].props.file, 'a,b:c%/05-release.md');
    assert.equal(gate[0].props.title, "Gate failed: a,b:c% 05 Release <b>&amp; 'go' | x");
    assert.equal(
      gate[0].message,
      // Control characters as the text report shows them: a terminal escape restyles no log.
      'Exit Criteria: Sign <off> & ship "now" ]]> \\u0001\\u001b[31m red | pipe (not checked)',
    );
  });

  it('percent-encodes control characters in a file name, as SARIF names the file', async () => {
    assert.equal(escapeFileProperty('a\u001bb%:,\r\n\u0007\u202e.md'), 'a%1Bb%25%3A%2C%0D%0A%07%E2%80%AE.md');
    const root = tempWorkspace({ 'wf/05-rel\u001bease.md': hostile });
    const out = (await run(['check', root, '--phase', '05', '--format', 'github'])).stdout;
    assert.doesNotMatch(out, /\u001b/);
    const files = new Set(
      parseCommands(out)
        .map((c) => c.props.file)
        .filter((f) => f !== undefined),
    );
    assert.deepEqual([...files], ['wf/05-rel%1Bease.md']);
    const sarif = JSON.parse((await run(['check', root, '--format', 'sarif'])).stdout);
    assert.equal(
      sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
      'wf/05-rel%1Bease.md',
    );
  });

  it('matches the documented syntax for the shared corpus', { skip: corpusSkip }, async () => {
    const commands = parseCommands((await run(['check', CORPUS, '--format', 'github'])).stdout);
    assert.ok(commands.length > 0);
  });
});

describe('cdp check --summary', () => {
  it('appends a markdown summary: workflow, phases, gates of the current phase, blocking items', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': hostile, 'summary.md': '# Earlier step\n' });
    const file = join(root, 'summary.md');
    const r = await run(['check', root, '--format', 'json', '--summary', file]);
    JSON.parse(r.stdout);
    const md = readFileSync(file, 'utf8');
    assert.ok(md.startsWith('# Earlier step\n## CDP check\n'), md);
    assert.match(md, /### Workflow wf: current phase 05 Release &lt;b&gt;&amp;amp; 'go' \\| x/);
    // (its two unticked boxes, and the cycle's 01–04, skipped before its 05)
    assert.match(md, /\*\*not ready\*\*, 6 blocking items/);
    // Every table row has as many cells as its header, whatever the headings hold.
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    assert.ok(rows.length >= 6);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
    assert.match(md, /\| Exit Criteria \| exit \| 1\/2 \| ❌ \|/);
    assert.match(
      md,
      /- ` wf\/05-release\.md:10 ` 05 Exit Criteria: Sign &lt;off&gt; &amp; ship "now" \\]\\]&gt; .* red \\\| pipe \(not checked\)/,
    );
    assert.equal(mdText('a|b\nc*d_[e]`'), 'a\\|b c\\*d\\_\\[e\\]\\`');
  });

  it('a group named with a colon of its own gets no second one before an item', async () => {
    const root = tempWorkspace({
      'wf/05-release.md': '---\nphase: 05\n---\n# Release\n\n## Exit Criteria:\n\n- [ ] shipped\n',
    });
    const file = join(root, 's.md');
    const r = await run(['check', root, '--format', 'github', '--summary', file]);
    assert.match(readFileSync(file, 'utf8'), /05 Exit Criteria: shipped \(not checked\)/);
    assert.doesNotMatch(readFileSync(file, 'utf8') + r.stdout, /::\s*shipped|Criteria:: /);
  });

  it('names files relative to the current folder when the root is inside it', async () => {
    const file = join(tempDir('cdp-ci-'), 'summary.md');
    const json = JSON.parse((await run(['check', EXAMPLES, '--format', 'json', '--summary', file])).stdout);
    const md = readFileSync(file, 'utf8');
    const blocking = [...md.matchAll(/^- ` (.+?):\d+ ` /gm)].map((m) => m[1]);
    assert.ok(blocking.length > 0, md);
    const files = new Set(
      json.workflows.flatMap((w: { phases: { file: string }[] }) => w.phases.map((p) => p.file)),
    );
    for (const f of blocking) {
      assert.match(f, /^examples\//, f);
      assert.ok(files.has(f.slice('examples/'.length)), f);
    }
  });

  it('writes well-formed tables for the shared corpus', { skip: corpusSkip }, async () => {
    const file = join(tempDir('cdp-ci-'), 'summary.md');
    await run(['check', CORPUS, '--phase', 'release', '--format', 'json', '--summary', file]);
    const md = readFileSync(file, 'utf8');
    assert.match(md, /^## CDP check\n\n### Workflow /);
    assert.match(md, /### Gate check/);
    let header = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        header = 0;
        continue;
      }
      const cells = line.split(/(?<!\\)\|/).length;
      if (header === 0) header = cells;
      assert.equal(cells, header, line);
    }
  });

  it('fails with a clear message when the summary file cannot be written', async () => {
    const root = tempWorkspace({ 'wf/05-release.md': hostile });
    const r = await run(['check', root, '--summary', join(root, 'no', 'such', 'dir', 'summary.md')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^cdp: cannot write the summary to /);
  });
});

describe('cdp check formats: usage', () => {
  it('refuses unknown formats and options of the other command', async () => {
    for (const args of [
      ['check', '--format', 'html'],
      ['check', '--out', 'x.html'],
      ['report', '--format', 'sarif'],
      ['report', '--phase', '05'],
      ['report', '--history', 'many'],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^cdp: /);
    }
  });
});

describe('examples/ci/github-actions.yml', () => {
  it('runs cdp commands the CLI accepts, in every format it documents', async () => {
    const { parse } = await import('yaml');
    const workflow = parse(readFileSync(join(EXAMPLES, 'ci', 'github-actions.yml'), 'utf8'));
    const steps: { run?: string }[] = workflow.jobs.cdp.steps;
    const commands = steps
      .map((s) => s.run ?? '')
      .filter((r) => r.startsWith('$CDP '))
      .map((r) => r.slice('$CDP '.length).split(/ (?:>|\|\|) /)[0]);
    assert.ok(commands.length >= 4);
    const out = tempDir('cdp-ci-example-');
    const seen = new Set<string>();
    for (const c of commands) {
      const args = c
        .split(' ')
        .map((a) => a.replace(/^"|"$/g, ''))
        .map((a) =>
          a === '$CDP_DOCS' || a === '.'
            ? EXAMPLES
            : a === '$GITHUB_STEP_SUMMARY'
              ? join(out, 'summary.md')
              : a.endsWith('.html')
                ? join(out, a)
                : a,
        );
      const r = await run(args);
      assert.ok(r.code === 0 || r.code === 1, `${c}: ${r.stderr}`);
      const f = args.indexOf('--format');
      seen.add(`${args[0]} ${f >= 0 ? args[f + 1] : ''}`);
    }
    assert.deepEqual([...seen].sort(), ['check github', 'check junit', 'check sarif', 'report ']);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /^## CDP check/);
    assert.ok(existsSync(join(out, 'cdp-dashboard.html')));
  });
});

describe('job summary size', () => {
  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => `- [ ] criterion ${i} ✓ – ünïcödé\n`).join('');

  it('lists at most 100 items per list and counts the rest', async () => {
    const root = tempWorkspace({
      // (a phase of no known workflow: no phase before it is skipped, only its items block)
      'wf/05-ship.md': phaseDoc({
        title: 'Ship',
        phase: '05',
        name: 'Ship',
        body: `## Exit Criteria\n\n${items(150)}`,
      }),
    });
    const file = join(root, 'summary.md');
    await run(['check', root, '--phase', '05', '--summary', file]);
    const md = readFileSync(file, 'utf8');
    assert.equal(
      (md.match(/^- ` wf\/05-ship\.md:\d+ `/gm) ?? []).length,
      200,
      'blocking items and unmet criteria',
    );
    assert.equal((md.match(/^- … and 50 more$/gm) ?? []).length, 2);
  });

  it('stays under the 1 MiB a job summary may hold', () => {
    const workflows = Array.from({ length: 3000 }, (_, i) => ({
      id: `cycles/${'ü'.repeat(40)}-${i}`,
      phases: [
        {
          phase: '01',
          name: 'Ünïcödé phase ✓',
          file: `cycles/${i}/01.md`,
          complete: false,
          groups: [
            {
              heading: 'Exit Criteria',
              kind: 'exit',
              line: 1,
              total: 1,
              checked: 0,
              passed: false,
              unmet: [{ text: 'x', line: 2 }],
              items: [{ text: 'x', line: 2, checked: false }],
            },
          ],
        },
      ],
    }));
    const md = toSummary({ root: '/r', workflows, diagnostics: [], notices: [] }, () => 0);
    assert.ok(Buffer.byteLength(md, 'utf8') < 1024 * 1024, `${Buffer.byteLength(md, 'utf8')} bytes`);
    assert.match(md, /The summary is cut here/);
    // The note is not inside a fold left open, and the findings line stays.
    const note = md.indexOf('The summary is cut here');
    const before = md.slice(0, note);
    assert.ok(before.lastIndexOf('<details>') < before.lastIndexOf('</details>'), 'no fold open at the note');
    assert.match(md, /\nFindings: 0 errors, 0 warnings, 0 information\.\n$/);
  });
});

describe('the summary cut', () => {
  it('is at a line, and leaves no table without a row', () => {
    const text = 'Intro\n\n| Phase | State |\n| --- | --- |\n| 01 | done |\n| 02 | open |\n\nNext\n';
    const at = (s: string) => text.indexOf(s);
    assert.equal(cutAtLine(text, at('| 02')), text.slice(0, at('| 02') - 1));
    assert.equal(cutAtLine(text, at('Next') - 1), text.slice(0, at('Next') - 1));
    // Cut after the header or the separator: the table goes.
    for (const s of ['| --- |', '| 01 |']) assert.equal(cutAtLine(text, at(s)), 'Intro\n');
    assert.equal(cutAtLine(text, 3), '');
  });
});

describe('optional gate-file items (`required: false`) in the CI formats', () => {
  it('pass the gate without them; JUnit skips them, the summary and annotations leave them out', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nText.\n',
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: PRD\n    evidence: docs/helix/01-frame/README.md\n  - criteria: Risk register\n    required: false\n    evidence: docs/helix/01-frame/risk.md\n',
    });
    const summary = join(root, 'summary.md');
    const args = ['check', root, '--phase', '01', '--gate', 'exit'];
    const junit = await run([...args, '--format', 'junit', '--summary', summary]);
    assert.equal(junit.code, 0, junit.stdout);
    const suites = await parseJunit(junit.stdout);
    const exit = suites.find((x) => x.name?.endsWith('/ Exit Gates'))!;
    assert.deepEqual([exit.tests, exit.failures, exit.skipped], [2, 0, 1]);
    const risk = allCases(suites).find((c) => c.name === 'Risk register (exit-gates.yml:4)')!;
    assert.equal(failed(risk), false);
    assert.equal(
      (risk as { skipped?: { message?: string }[] }).skipped?.[0].message,
      'optional: docs/helix/01-frame/risk.md does not exist',
    );
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /✅ passed/);
    assert.doesNotMatch(md, /Risk register/);
    const github = await run([...args, '--format', 'github']);
    assert.equal(github.code, 0);
    assert.doesNotMatch(github.stdout, /::error[^\n]*Risk register/);
  });
});

describe('a gate file that cannot be read, in every format', () => {
  it('is a group that never passes, named as unreadable in text, JSON, JUnit and the dashboard', async () => {
    const root = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nText.\n',
      'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - "unclosed\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Entry Criteria\n\n- [x] framed\n',
    });
    const text = await run(['check', root]);
    assert.match(text.stdout, /current phase 01 Frame/);
    // the unreadable gate can never pass: a failing gate of the current phase
    assert.match(text.stdout, /✗ 01 Frame {2}0\/0 {2}current · failing gates /);
    assert.match(text.stdout, / GATE\.yaml \(gate\) 0\/0 \(cannot be read\)/);

    const json = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
    const [frame] = json.workflows[0].phases;
    assert.equal(frame.complete, false);
    assert.deepEqual(frame.reasons, ['GATE.yaml cannot be read']);
    assert.deepEqual(frame.groups, [
      {
        heading: 'GATE.yaml',
        kind: 'gate',
        line: frame.groups[0].line,
        total: 0,
        checked: 0,
        passed: false,
        reason: 'GATE.yaml cannot be read',
        unmet: [],
        file: 'docs/helix/01-frame/GATE.yaml',
        unreadable: true,
      },
    ]);

    const gate = await run(['check', root, '--phase', '01', '--gate', 'exit', '--format', 'junit']);
    assert.equal(gate.code, 1);
    const suites = await parseJunit(gate.stdout);
    const unreadable = allCases(suites).find((c) => c.name === '(cannot be read)');
    assert.equal(unreadable?.failure?.[0].message, 'the gate file cannot be read, so it cannot pass');
    assert.equal(unreadable?.failure?.[0].type, 'invalid-gate-file');
    // The suite of a gate file's group is that file's, as its cases are.
    const suite = suites.find((x) => (x.testcase ?? []).some((c) => c.name === '(cannot be read)'));
    assert.equal((suite as { file?: string } | undefined)?.file, 'docs/helix/01-frame/GATE.yaml');

    const out = join(tempDir('cdp-dash-'), 'd.html');
    assert.equal((await run(['report', root, '--out', out])).code, 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /✗ cannot be read/);
    // Release readiness names it as unreadable, never as a gate without criteria.
    assert.doesNotMatch(html, /no criteria/);
    const summaryFile = join(tempDir('cdp-sum-'), 's.md');
    await run(['check', root, '--summary', summaryFile]);
    const summary = readFileSync(summaryFile, 'utf8');
    assert.match(summary, /\(cannot be read\) \(the gate file cannot be read\)/);
    assert.doesNotMatch(summary, /no criteria/);
    // A phase not started yet: its unreadable gate file is skipped, still named so.
    const later = tempWorkspace({
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] framed\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\nText.\n',
      'docs/helix/02-design/GATE.yaml': 'exit_requirements:\n  manual:\n    - "unclosed\n',
    });
    const future = allCases(
      await parseJunit((await run(['check', later, '--format', 'junit'])).stdout),
    ).filter((c) => c.skipped !== undefined);
    assert.deepEqual(
      future.map((c) => c.name),
      ['(cannot be read)'],
    );
  });
});

describe('a stale confirmation, in every format', () => {
  const files = {
    'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\nText.\n',
    'docs/helix/01-frame/GATE.yaml': 'exit_requirements:\n  manual:\n    - "Scope agreed"\n',
    '.cdp/confirmations.yml':
      '- file: "docs/helix/01-frame/GATE.yaml"\n  item: "Scope agreed"\n  by: "Ada"\n' +
      '- file: "docs/helix/01-frame/GATE.yaml"\n  item: "Scope agred"\n  by: "Bo"\n',
  };
  const message =
    'This confirmation of "Scope agred" confirms nothing: docs/helix/01-frame/GATE.yaml has no manual item "Scope agred" (renamed or removed?).';

  it('is one finding on its line of the confirmations file: text, JSON, SARIF and JUnit', async () => {
    const root = tempWorkspace(files);
    const text = await run(['check', root]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(
      text.stdout.includes(`.cdp/confirmations.yml:4:3 warning stale-confirmation ${message}`),
      text.stdout,
    );
    const json = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
    assert.deepEqual(
      json.diagnostics.map((d: { file: string; line: number; code: string; message: string }) => [
        d.file,
        d.line,
        d.code,
        d.message,
      ]),
      [['.cdp/confirmations.yml', 4, 'stale-confirmation', message]],
    );
    const sarif = checkSarif((await run(['check', root, '--format', 'sarif'])).stdout, 1);
    const [result] = sarif.runs[0].results;
    assert.equal(result.ruleId, 'stale-confirmation');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, '.cdp/confirmations.yml');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 4);
    const suites = await parseJunit((await run(['check', root, '--format', 'junit'])).stdout);
    const finding = allCases(suites).filter((c) => c.classname === 'findings.stale-confirmation');
    assert.equal(finding.length, 1);
    assert.ok(finding[0].failure![0].message!.includes(message));
  });

  it('is not reported when the paths checked leave the confirmations file out', async () => {
    const root = tempWorkspace(files);
    const sub = await run(['check', join(root, 'docs', 'helix'), '--root', root, '--format', 'json']);
    assert.equal(sub.code, 0, sub.stderr);
    assert.deepEqual(JSON.parse(sub.stdout).diagnostics, []);
  });
});

describe('group names with emphasis, in every format', () => {
  const body = [
    '## **Exit Criteria**',
    '- [x] Shipped',
    '',
    '## _Entry_ Criteria #',
    '- [ ] Planned',
    '',
    '### *Security* Gate ###',
    '',
  ].join('\n');
  const root = () => tempWorkspace({ 'wf/02-release.md': phaseDoc({ title: 'Release', phase: '02', body }) });
  const NAMES = ['Exit Criteria', 'Entry Criteria', 'Security Gate'];

  it('the text report, JUnit, JSON and the dashboard name the groups as rendered', async () => {
    const dir = root();
    const text = (await run(['check', dir])).stdout;
    for (const name of NAMES) assert.ok(text.includes(`${name} (`), text);
    assert.ok(text.includes('Gate "Security Gate" has no checklist items'), text);
    assert.ok(
      !/[*_]/.test(text.replace(/wf\/02-release\.md|empty-gate|unmet-criterion|`- \[ \]`/g, '')),
      text,
    );
    const suites = await parseJunit((await run(['check', dir, '--format', 'junit'])).stdout);
    assert.deepEqual(
      suites.filter((s) => s.name !== 'cdp findings').map((s) => s.name),
      NAMES.map((n) => `wf / 02 Release / ${n}`),
    );
    const json = JSON.parse((await run(['check', dir, '--format', 'json'])).stdout);
    assert.deepEqual(
      json.workflows[0].phases[0].groups.map((g: { heading: string }) => g.heading),
      NAMES,
    );
    const html = (await run(['report', dir])).stdout;
    assert.deepEqual(
      [...html.matchAll(/data-gate="([^"]*)"/g)].map((m) => m[1]),
      NAMES,
    );
  });

  it('a gate is selected by its name as rendered or as written', async () => {
    const dir = root();
    for (const name of ['Security Gate', '*Security* Gate']) {
      const r = await run(['check', dir, '--gate', name]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /FAILED wf 02 Release: Security Gate \(0\/0\)/);
    }
  });
});

describe('the CI formats take the findings as they come', () => {
  const severities = ['error', 'warning', 'information', 'hint'] as const;
  // Findings spread over many documents, every severity, a message repeated within a file.
  const diagnostics: JsonDiagnostic[] = [];
  for (let f = 0; f < 60; f++)
    for (let i = 0; i < 7; i++)
      diagnostics.push({
        file: `docs/area-${f % 6}/doc-${f}.md`,
        line: i + 1,
        column: 1,
        endLine: i + 1,
        endColumn: 5,
        severity: severities[(f + i) % 4],
        code: 'broken-link',
        message: `[x](missing-${i % 3}.md) does not resolve: no document at that path.`,
      });
  /** The findings as a one-pass source that counts how often it is taken. */
  const lazy = () => {
    const taken = { passes: 0 };
    const source: Iterable<JsonDiagnostic> = {
      *[Symbol.iterator]() {
        taken.passes++;
        yield* diagnostics;
      },
    };
    return { taken, data: { root: '/r', workflows: [], diagnostics: source, notices: [] } };
  };
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  const failing = count('error') + count('warning');

  it('SARIF: a result per finding in their order, fingerprints counted per file, the findings taken once', () => {
    const { taken, data } = lazy();
    const log = JSON.parse([...sarifPieces(data, { baseUri: 'file:///r/' })].join('')) as SarifLog;
    assert.equal(taken.passes, 1);
    const results = log.runs[0].results as unknown as {
      message: { text: string };
      level: string;
      partialFingerprints: Record<string, string>;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
    assert.deepEqual(
      results.map((r) => [
        r.locations[0].physicalLocation.artifactLocation.uri,
        r.locations[0].physicalLocation.region.startLine,
        r.message.text,
      ]),
      diagnostics.map((d) => [d.file, d.line, d.message]),
    );
    // Equal messages in a file have their own fingerprints; every file starts the count over.
    const prints = results.map((r) => Object.values(r.partialFingerprints)[0]);
    assert.equal(new Set(prints).size, prints.length);
    assert.equal(prints[0] === prints[7], false);
  });

  it('JUnit: totals that match the cases written, the findings counted and then written', async () => {
    const { taken, data } = lazy();
    const xml = [...junitPieces(data)].join('');
    assert.equal(taken.passes, 2);
    assert.match(
      xml,
      new RegExp(`<testsuites name="cdp check" tests="${diagnostics.length}" failures="${failing}"`),
    );
    const [suite] = await parseJunit(xml);
    assert.equal(suite.name, 'cdp findings');
    assert.equal(suite.tests, diagnostics.length);
    assert.equal(suite.failures, failing);
    assert.equal(suite.testcase?.length, diagnostics.length);
    assert.equal(suite.testcase?.filter((c) => c.failure).length, failing);
  });

  it('GitHub: an annotation per finding but hints, in order, the findings taken once', () => {
    const { taken, data } = lazy();
    const lines = [...toGithub(data)];
    assert.equal(taken.passes, 1);
    assert.deepEqual(
      lines.map((l) => /file=([^,]+),line=(\d+)/.exec(l)!.slice(1).join(':')),
      diagnostics.filter((d) => d.severity !== 'hint').map((d) => `${d.file}:${d.line}`),
    );
  });

  it('the summary counts the findings in one pass, or prints the counts given without taking them', () => {
    const { taken, data } = lazy();
    const line = `Findings: ${count('error')} errors, ${count('warning')} warnings, ${count('information')} information.\n`;
    assert.ok(toSummary(data, () => 0).endsWith(line));
    assert.equal(taken.passes, 1);
    const counts = { error: 1, warning: 2, information: 3, hint: 4 };
    assert.ok(
      toSummary({ ...data, counts }, () => 0).endsWith('Findings: 1 error, 2 warnings, 3 information.\n'),
    );
    assert.equal(taken.passes, 1);
  });
});
