import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/core/edits';
import { lackingPhase } from '../../server/src/core/gate';
import type { Finding, Fix } from '../../server/src/core/types';
import { check, phaseDoc } from '../helpers/memory-workspace';

/** A finding's fix titles, the preferred one marked `* `. */
function fixTitles(f: { fixes?: readonly Fix[] }): string[] {
  return (f.fixes ?? []).map((x) => `${'preferred' in x && x.preferred ? '* ' : ''}${x.title}`);
}

/** `text` with the first fix of each finding applied (edits only). */
function firstFixesApplied(text: string, found: readonly { fixes?: readonly Fix[] }[]): string {
  return applyEdits(
    text,
    found.flatMap((f) => {
      const fix = f.fixes![0];
      return fix.kind === 'edit' ? fix.edits : [];
    }),
  );
}

const criteria = (items: [boolean, string][]) =>
  items.map(([c, t]) => `- [${c ? 'x' : ' '}] ${t}`).join('\n');

/** A HELIX phase `README.md` with its `artifacts` and one exit criterion. */
const helixPhase = (n: string, title: string, artifacts: string[], item: string) =>
  `---\nphase: "${n}"\nartifacts: [${artifacts.map((a) => `"[[${a}]]"`).join(', ')}]\n---\n# Phase ${n}: ${title}\n\n## Exit Criteria\n- [ ] ${item}\n`;

/** The preferred fix title of each `missing-artifact` finding over `files`. */
async function createdArtifacts(files: Record<string, string>): Promise<string[]> {
  return (await check(files)).findings
    .filter((f) => f.code === 'missing-artifact')
    .map((f) => fixTitles(f)[0]);
}

/** A three-phase chain in one folder, each with entry/exit/gate groups. */
function chain(progress: { [n: string]: { entry?: boolean; exit?: boolean; gate?: boolean } }) {
  const names = ['01-plan', '02-build', '03-ship'];
  const files: Record<string, string> = {};
  names.forEach((name, i) => {
    const p = progress[name] ?? {};
    files[`wf/${name}.md`] = phaseDoc({
      title: name,
      phase: `"0${i + 1}"`,
      name: name.slice(3),
      previous: i > 0 ? names[i - 1] : undefined,
      next: i < 2 ? names[i + 1] : undefined,
      body: `## Entry Criteria\n\n${criteria([[!!p.entry, `enter ${name}`]])}\n\n## Exit Criteria\n\n${criteria(
        [
          [!!p.exit, `leave ${name} a`],
          [!!p.exit, `leave ${name} b`],
        ],
      )}\n\n## Validation Requirements\n\n### Sign-off Gate\n\n${criteria([[!!p.gate, `sign ${name}`]])}\n`,
    });
  });
  return files;
}

describe('rules', () => {
  it('broken-link: body and metadata links that resolve to nothing, with a create fix', async () => {
    const c = await check({
      'a.md': '# A\n\nSee [[missing-doc]] and [[b]] and `[[in-code]]`.\n\n```\n[[fenced]]\n```\n',
      'b.md': '# B\n\n---\nrelated: "[[nowhere]]"\n---\n',
    });
    assert.deepEqual(c.of('broken-link'), [
      'a.md:3:5 [[missing-doc]] does not resolve: no document with that name.',
      'b.md:4:11 [[nowhere]] does not resolve: no document with that name.',
    ]);
    const fix = c.findings.find((f) => f.code === 'broken-link')!.fixes![0];
    assert.equal(fix.kind, 'create');
    assert.equal(fix.uri, c.ws.uri('missing-doc.md'));
  });

  it("broken-link: a created document's source links back to the linking document alone", async () => {
    const files: Record<string, string> = {
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n- [ ] a [[../notes/plan]]\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\n- [ ] b [[../notes/design-plan]] [[sketch]]\n',
      'docs/one.md': '# One\n\n[[solo]]\n',
    };
    const c = await check(files);
    const relOf = (uri: string) => uri.slice(uri.indexOf('/docs/') + 1);
    /** Each created document → its content and the document whose link asked for it. */
    const created = new Map<string, string>();
    const askedBy = new Map<string, string>();
    for (const f of c.findings)
      for (const x of f.fixes ?? [])
        if (x.kind === 'create') {
          created.set(relOf(x.uri), x.content);
          askedBy.set(relOf(x.uri), relOf(f.uri));
        }
    const source = (rel: string) => /^source: "\[\[(.*)\]\]"$/m.exec(created.get(rel) ?? '')?.[1];
    // Two READMEs equally near notes/: a path, each to the one that asked.
    assert.equal(source('docs/helix/notes/plan.md'), 'docs/helix/01-frame/README');
    assert.equal(source('docs/helix/notes/design-plan.md'), 'docs/helix/02-design/README');
    // Beside it, its README is the nearest: the bare name leads there.
    assert.equal(source('docs/helix/02-design/sketch.md'), 'README');
    assert.equal(source('docs/solo.md'), 'one');
    // Each created document's source resolves to the document that asked for it.
    for (const [rel, content] of created) {
      const after = await check({ ...files, [rel]: content });
      const entry = [...after.analysis.index.all()].find((e) => e.rel === rel)!;
      const link = entry.doc.links.find((l) => l.source === 'metadata')!;
      const r = after.analysis.index.resolve(entry, link);
      assert.ok(r.status === 'resolved' && r.candidates.length === 1, rel);
      assert.equal(r.target.rel, askedBy.get(rel), rel);
    }
  });

  it('broken-link: a created document keeps its metadata where the linking document keeps its own', async () => {
    const c = await check({
      'docs/helix/01-frame/prd.md': '---\nddx:\n  id: helix.prd\n---\n# PRD\n\n[[missing-doc]]\n',
      'cdp/05-release.md': '# Release\n\n---\nphase: 05\n---\n\n[[release-notes]]\n',
    });
    const content = (name: string) =>
      c.findings.flatMap((f) => f.fixes ?? []).find((x) => x.kind === 'create' && x.uri.endsWith(name));
    const top = content('/missing-doc.md');
    assert.equal(
      top?.kind === 'create' && top.content,
      '---\ntags: [document]\nsource: "[[prd]]"\n---\n\n# Missing Doc\n\n## Overview\n\n',
    );
    const after = content('/release-notes.md');
    assert.equal(
      after?.kind === 'create' && after.content,
      '# Release Notes\n\n---\ntags: [document]\nsource: "[[05-release]]"\n---\n\n## Overview\n\n',
    );
  });

  it('broken-link: the document a broken chain link names is created as that phase, linking back', async () => {
    const files: Record<string, string> = {
      'wf/01-plan.md': phaseDoc({
        title: 'Plan',
        phase: '01',
        next: '02-build',
        body: '## Exit Criteria\n\n- [x] a\n',
      }),
      'h/01-frame/README.md':
        '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] a\n\n## Next Phase\n\n[Design](../02-design/README.md)\n',
    };
    const c = await check(files);
    const contents = c.findings.flatMap((f) => (f.fixes ?? []).filter((x) => x.kind === 'create'));
    assert.deepEqual(
      contents.map((x) => x.kind === 'create' && [x.uri.replace(/^.*\/(wf|h)\//, '$1/'), x.content]),
      [
        [
          'h/02-design/README.md',
          '# Phase 02: Design\n\n## Entry Criteria\n\n- [ ] What must be true to start\n\n## Exit Criteria\n\n- [ ] What must be true to finish\n\n## Previous Phase\n\n[Phase 01: Frame](../01-frame/README.md)\n',
        ],
        [
          'wf/02-build.md',
          '# Build\n\n---\nphase: 02\nname: "Build"\nprevious_phase: "[[01-plan]]"\n---\n\n## Entry Criteria\n\n- [ ] What must be true to start\n\n## Exit Criteria\n\n- [ ] What must be true to finish\n',
        ],
      ],
    );
    // Created, each is the next phase of its workflow and the chain has nothing to report.
    const after = await check({
      ...files,
      'wf/02-build.md': contents[1].kind === 'create' ? contents[1].content : '',
      'h/02-design/README.md': contents[0].kind === 'create' ? contents[0].content : '',
    });
    assert.deepEqual([...after.of('phase-chain'), ...after.of('broken-link')], []);
    assert.deepEqual(
      after.analysis.workflows().map((w) => w.phases.map((p) => p.rel)),
      [
        ['h/01-frame/README.md', 'h/02-design/README.md'],
        ['wf/01-plan.md', 'wf/02-build.md'],
      ],
    );
  });

  it('broken-link: a created phase keeps its metadata where the linking phase keeps its own, its title written as that phase writes its own', async () => {
    const criteria =
      '## Entry Criteria\n\n- [ ] What must be true to start\n\n## Exit Criteria\n\n- [ ] What must be true to finish\n';
    /** The documents the create fixes of a workspace holding `rel` alone make, with their text; its chain once created. */
    const created = async (rel: string, text: string) => {
      const c = await check({ [rel]: text });
      const out = Object.fromEntries(
        c.findings
          .flatMap((f) => f.fixes ?? [])
          .flatMap((x) => (x.kind === 'create' ? [[x.uri.slice(x.uri.indexOf('/c/') + 1), x.content]] : [])),
      );
      const after = await check({ [rel]: text, ...out });
      assert.deepEqual([...after.of('phase-chain'), ...after.of('broken-link')], []);
      assert.deepEqual(
        after.analysis.workflows().map((w) => w.phases.map((p) => p.rel)),
        [['c/01-diagnose.md', 'c/02-prescribe.md']],
      );
      return out;
    };
    // front matter at the top, a numbered title
    assert.deepEqual(
      await created(
        'c/01-diagnose.md',
        '---\nphase: 01\nname: Diagnose\nnext_phase: "[[02-prescribe]]"\n---\n# Phase 01: Diagnose\n\n## Exit Criteria\n\n- [x] a\n',
      ),
      {
        'c/02-prescribe.md': `---\nphase: 02\nname: "Prescribe"\nprevious_phase: "[[01-diagnose]]"\n---\n\n# Phase 02: Prescribe\n\n${criteria}`,
      },
    );
    // front matter at the top, a plain title
    assert.deepEqual(
      await created(
        'c/01-diagnose.md',
        '---\nphase: 01\nname: Diagnose\nnext_phase: "[[02-prescribe]]"\n---\n# Diagnose\n\n## Exit Criteria\n\n- [x] a\n',
      ),
      {
        'c/02-prescribe.md': `---\nphase: 02\nname: "Prescribe"\nprevious_phase: "[[01-diagnose]]"\n---\n\n# Prescribe\n\n${criteria}`,
      },
    );
    // metadata after the title, a numbered title (its number written as the phase writes it)
    assert.deepEqual(
      await created(
        'c/02-prescribe.md',
        '# 2. Prescribe\n\n---\nphase: 02\nprevious_phase: "[[01-diagnose]]"\n---\n\n## Exit Criteria\n\n- [x] a\n',
      ),
      {
        'c/01-diagnose.md': `# 1. Diagnose\n\n---\nphase: 01\nname: "Diagnose"\nnext_phase: "[[02-prescribe]]"\n---\n\n${criteria}`,
      },
    );
    // metadata after the title, a plain title
    assert.deepEqual(
      await created(
        'c/01-diagnose.md',
        '# Diagnose\n\n---\nphase: 01\nnext_phase: "[[02-prescribe]]"\n---\n\n## Exit Criteria\n\n- [x] a\n',
      ),
      {
        'c/02-prescribe.md': `# Prescribe\n\n---\nphase: 02\nname: "Prescribe"\nprevious_phase: "[[01-diagnose]]"\n---\n\n${criteria}`,
      },
    );
    // a number in the title that is not the phase's: the plain title
    assert.deepEqual(
      await created(
        'c/01-diagnose.md',
        '---\nphase: 01\nnext_phase: "[[02-prescribe]]"\n---\n# Step 3: Diagnose\n\n## Exit Criteria\n\n- [x] a\n',
      ),
      {
        'c/02-prescribe.md': `---\nphase: 02\nname: "Prescribe"\nprevious_phase: "[[01-diagnose]]"\n---\n\n# Prescribe\n\n${criteria}`,
      },
    );
  });

  it("broken-link: a created phase's link back is written so that it reaches the linking phase (`#` in its folder, `\\` in its title)", async () => {
    const files: Record<string, string> = {
      'k/01-c#-port/README.md':
        '# Phase 01: Port \\\n\n## Exit Criteria\n\n- [x] a\n\n## Next Phase\n\n[Design](../02-design/README.md)\n',
    };
    const c = await check(files);
    const create = c.findings.flatMap((f) => f.fixes ?? []).find((x) => x.kind === 'create');
    assert.ok(create?.kind === 'create');
    assert.match(create.content, /^\[Phase 01: Port \\\\\]\(\.\.\/01-c%23-port\/README\.md\)$/m);
    const after = await check({ ...files, 'k/02-design/README.md': create.content });
    assert.deepEqual([...after.of('broken-link'), ...after.of('phase-chain')], []);
    const [w] = after.analysis.workflows();
    assert.deepEqual(
      w.phases.map((p) => p.rel),
      ['k/01-c#-port/README.md', 'k/02-design/README.md'],
    );
  });

  it('missing-artifact: path entries with spaces, quoted or not, each a finding of its own', async () => {
    const c = await check({
      '05-release.md':
        '---\nphase: 05\nname: Release\nartifacts:\n  - "plan two.md"\n  - plan three.md\n  - docs/Missing Plan.md # the plan\n  - docs/missing-plan.md\n---\n# Release\n\n## Exit Criteria\n\n- [ ] x\n',
    });
    assert.deepEqual(
      c.of('missing-artifact').map((m) => m.replace(/ does not exist yet.*$/, '')),
      [
        '05-release.md:5:6 Artifact plan two.md',
        '05-release.md:6:5 Artifact plan three.md',
        '05-release.md:7:5 Artifact docs/Missing Plan.md',
        '05-release.md:8:5 Artifact docs/missing-plan.md',
      ],
    );
  });

  it('broken-link: NFC and NFD spellings of one name match (files, headings and other files)', async () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    const c = await check({
      [`${nfd}.md`]: `# Menu\n\n## ${nfd} Exit\n`,
      [`${nfc}-plan.md`]: '# Plan\n',
      [`img/${nfd}.png`]: 'png',
      'a.md': `[[${nfc}]] [[${nfc}#${nfc} Exit]] [[${nfd}-plan]] [[${nfc}.png]]\n`,
    });
    assert.deepEqual(c.of('broken-link'), []);
    assert.deepEqual(c.of('broken-heading'), []);
  });

  it('broken-link: a name with no letters or digits gets no create fix (not "untitled.md")', async () => {
    const c = await check({ 'a.md': '# A\n\n[[???]] and [[new doc]]\n' });
    const [odd, plain] = c.findings.filter((f) => f.code === 'broken-link');
    assert.match(odd.message, /\[\[\?\?\?\]\]/);
    assert.deepEqual(odd.fixes ?? [], []);
    assert.equal(plain.fixes?.[0].kind, 'create');
    assert.equal(plain.fixes?.[0].uri, c.ws.uri('new-doc.md'));
  });

  it('broken-link: [[name^id]] whose name reaches a document is told it is a block reference, fixed by writing #', async () => {
    const text = '# N\n\nSee [[rollback-plan^abc|the step]] and ![[ rollback-plan^x ]] and [[nothing^y]].\n';
    const c = await check({ 'rollback-plan.md': '# Plan\n\nDo it. ^abc\n', 'n.md': text });
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => [
        f.message.replace(/^.*?does not resolve: no document with that name\. ?/, ''),
        f.fixes?.[0]?.title,
      ]),
      [
        [
          'A block reference is written after `#`: [[rollback-plan#^abc]].',
          'Write the block reference as [[rollback-plan#^abc]]',
        ],
        [
          'A block reference is written after `#`: [[rollback-plan#^x]].',
          'Write the block reference as [[rollback-plan#^x]]',
        ],
        ['', 'Create document "nothingy.md"'],
      ],
    );
    let fixed = text;
    for (const f of found.slice(0, 2).reverse())
      fixed = applyEdits(fixed, (f.fixes![0] as { edits: Parameters<typeof applyEdits>[1] }).edits);
    assert.equal(
      fixed,
      '# N\n\nSee [[rollback-plan#^abc|the step]] and ![[ rollback-plan#^x ]] and [[nothing^y]].\n',
    );
  });

  it('broken-link: the document a DDX id names is created named as the id, declaring it', async () => {
    const c = await check({
      'docs/FEAT-001.md': '# F\n\nNeeds [[FEAT-02]], [[helix.prd]] and [[design notes]].\n',
    });
    const created = c.findings
      .filter((f) => f.code === 'broken-link')
      .map((f) => f.fixes?.find((x) => x.kind === 'create') as { uri: string; content: string } | undefined);
    assert.deepEqual(
      created.map((x) => x && [x.uri.slice(x.uri.lastIndexOf('/docs/') + 1), x.content.split('\n---\n')[0]]),
      [
        ['docs/FEAT-02.md', '---\nddx:\n  id: FEAT-02'],
        ['docs/helix.prd.md', '---\nddx:\n  id: helix.prd'],
        ['docs/design-notes.md', '# Design Notes\n'],
      ],
    );
    // Written, the id is declared: the links resolve to it by id.
    const done = await check({
      'docs/FEAT-001.md': '# F\n\nNeeds [[FEAT-02]] and [[helix.prd]].\n',
      'docs/FEAT-02.md': created[0]!.content,
      'docs/helix.prd.md': created[1]!.content,
    });
    assert.deepEqual(done.of('broken-link'), []);
    assert.deepEqual(
      ['FEAT-02', 'helix.prd'].map((id) => {
        const from = done.analysis.index.get(done.ws.uri('docs/FEAT-001.md'))!;
        return done.analysis.index.ids.get(from.folder, id).map((e) => e.rel);
      }),
      [['docs/FEAT-02.md'], ['docs/helix.prd.md']],
    );
  });

  it('broken-link: a declared id written with a wrong folder or .md: the preferred fix writes the id bare, alias and heading kept', async () => {
    const rel = 'docs/plans/plan.md';
    const text =
      '# Plan\n\n' +
      '- [[wrong/FEAT-002]]\n' +
      '- [[../specs/FEAT-002#Scope|the alerts]]\n' +
      '- [[FEAT-001.md]]\n' +
      '- [[docs/plans/FEAT-001|sign in]]\n' +
      // Not an id: a document named so is still created.
      '- [[wrong/FEAT-009]]\n';
    const files = {
      'docs/features/FEAT-002.md': '---\nddx:\n  id: FEAT-002\n---\n# Delivery alerts\n\n## Scope\n',
      'docs/features/FEAT-001-sign-in.md': '---\nddx:\n  id: FEAT-001\n---\n# Sign in\n',
      [rel]: text,
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => [f.message, ...fixTitles(f)]),
      [
        [
          // The document the id names, found by its file name too: said once.
          '[[wrong/FEAT-002]] does not resolve: no document at that path (FEAT-002 is declared by docs/features/FEAT-002.md; ids are written bare, without a folder).',
          '* Write [[FEAT-002]]',
        ],
        [
          '[[../specs/FEAT-002#Scope|the alerts]] does not resolve: no document at that path (FEAT-002 is declared by docs/features/FEAT-002.md; ids are written bare, without a folder).',
          '* Write [[FEAT-002]]',
        ],
        [
          '[[FEAT-001.md]] does not resolve: no document with that name (FEAT-001 is declared by docs/features/FEAT-001-sign-in.md; ids are written bare, without .md).',
          '* Write [[FEAT-001]]',
        ],
        [
          '[[docs/plans/FEAT-001|sign in]] does not resolve: no document at that path (FEAT-001 is declared by docs/features/FEAT-001-sign-in.md; ids are written bare, without a folder).',
          '* Write [[FEAT-001]]',
        ],
        [
          '[[wrong/FEAT-009]] does not resolve: no document at that path.',
          '* Create document "docs/plans/wrong/feat-009.md"',
        ],
      ],
    );
    const fixed = firstFixesApplied(text, found.slice(0, 4));
    assert.equal(
      fixed,
      '# Plan\n\n' +
        '- [[FEAT-002]]\n' +
        '- [[FEAT-002#Scope|the alerts]]\n' +
        '- [[FEAT-001]]\n' +
        '- [[FEAT-001|sign in]]\n' +
        '- [[wrong/FEAT-009]]\n',
    );
    const after = await check({ ...files, [rel]: fixed });
    assert.deepEqual(
      after.findings.filter((f) => /link|heading/.test(f.code)).map((f) => f.message),
      ['[[wrong/FEAT-009]] does not resolve: no document at that path.'],
    );
  });

  it('broken-link: a markdown path written with backslashes says so; the fix writes / where that reaches it, no document is created', async () => {
    const text =
      '# N\n\n[Design](..\\02-design\\README.md) [N](..\\nowhere\\x.md) [E](a\\_b.md) [D](..\\\\02-design\\\\README.md)\n';
    const c = await check({
      'docs/01-frame/notes.md': text,
      'docs/02-design/README.md': '# Design\n',
      'docs/01-frame/a_b.md': '# AB\n',
    });
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => [
        f.message.endsWith('not a folder separator: write `/`.'),
        (f.fixes ?? []).map((x) => x.title),
      ]),
      [
        [true, ['Write the path with /: ../02-design/README.md']],
        [true, []],
        // (each backslash written escaped is one `/`)
        [true, ['Write the path with /: ../02-design/README.md']],
      ],
    );
    const fix = found[0].fixes![0] as { edits: Parameters<typeof applyEdits>[1] };
    const escaped = found[2].fixes![0] as { edits: Parameters<typeof applyEdits>[1] };
    assert.equal(
      applyEdits(text, [...fix.edits, ...escaped.edits]),
      '# N\n\n[Design](../02-design/README.md) [N](..\\nowhere\\x.md) [E](a\\_b.md) [D](../02-design/README.md)\n',
    );
  });

  it('broken-link: a name with a file extension other than .md gets no create fix', async () => {
    const c = await check({
      'docs/a.md': '# A\n\n[[notes.txt]] [[data.csv]] [[plan.md]]\n',
      'docs/b.md': '# B\n\n---\nartifacts: ["[[report.pdf]]"]\n---\n',
    });
    const fixes = (code: string) =>
      c.findings
        .filter((f) => f.code === code)
        .map(
          (f) => `${/\[\[[^\]]*\]\]/.exec(f.message)![0]}: ${(f.fixes ?? []).map((x) => x.title).join(', ')}`,
        );
    assert.deepEqual(fixes('broken-link'), [
      '[[notes.txt]]: ',
      '[[data.csv]]: ',
      '[[plan.md]]: Create document "docs/plan.md"',
    ]);
    assert.deepEqual(fixes('missing-artifact'), ['[[report.pdf]]: ']);
  });

  it('broken-link: a path written from the workspace folder is created there, not repeated under the linking folder', async () => {
    const c = await check({
      'docs/specs/a.md':
        '# A\n\n[[docs/specs/new-idea]] [[drafts/plan]] [[notes/later]] [[../specs/other]] [[docs/fresh/x]]\n',
      'docs/specs/drafts/old.md': '# Old\n',
      'notes/n.md': '# N\n',
    });
    assert.deepEqual(
      c.findings
        .filter((f) => f.code === 'broken-link')
        .map((f) => (f.fixes ?? []).map((x) => x.title).join(', ')),
      [
        // Its first folder is the workspace folder's, not one beside the linking document.
        'Create document "docs/specs/new-idea.md"',
        // A folder beside the linking document comes first, as links resolve.
        'Create document "docs/specs/drafts/plan.md"',
        'Create document "notes/later.md"',
        'Create document "docs/specs/other.md"',
        'Create document "docs/fresh/x.md"',
      ],
    );
  });

  it('broken-heading: the document exists but not the heading', async () => {
    const c = await check({
      'a.md': '[[b#Exit Criteria]] [[b#Nope]] [[#Local]] [[#Gone]]\n\n## Local\n',
      'b.md': '## Exit Criteria\n',
    });
    assert.deepEqual(
      c.of('broken-heading').map((s) => s.split(' ')[0]),
      ['a.md:1:25', 'a.md:1:46'],
    );
    assert.equal(c.of('broken-link').length, 0);
  });

  it('broken-heading: a hint whose anchor keeps a character that shows nothing escapes it', async () => {
    const c = await check({
      'a.md': '[x](b.md#-security-notes)\n',
      'b.md': '## \u26a0\ufe0f Security Notes\n',
    });
    const [m] = c.of('broken-heading');
    assert.match(m, /did you mean "#\\u\{FE0F\}-security-notes" \(heading "\u26a0\ufe0f Security Notes"\)/);
    // The fix still writes the anchor as GitHub makes it.
    const f = c.findings.find((x) => x.code === 'broken-heading')!;
    assert.ok(
      f.fixes?.some((x) => x.kind === 'edit' && JSON.stringify(x).includes('\ufe0f-security-notes')),
      JSON.stringify(f.fixes),
    );
  });

  it('cross-instance-link: the preferred fix writes the path of the document the name reached, moved to another instance; creating one stays, not preferred', async () => {
    const files: Record<string, string> = {
      'releases/2025-q4/01-diagnose.md': phaseDoc({ title: 'D', phase: '01', next: '02-prescribe' }),
      'releases/2025-q4/02-prescribe.md': phaseDoc({
        title: 'P',
        phase: '02',
        previous: '01-diagnose',
        artifacts: ['prd', 'design-notes'],
        body: '## Exit Criteria\n\n- [x] PRD written, see [[prd#Goals|the PRD]]\n',
      }),
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] a\n',
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Goals\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] b\n',
      'docs/helix/02-design/design-notes.md': '# Design notes\n',
    };
    const rel = 'releases/2025-q4/02-prescribe.md';
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'cross-instance-link');
    assert.equal(found.length, 3);
    const fixes = found.map((f) => fixTitles(f));
    assert.deepEqual(fixes, [
      [
        '* Link to "docs/helix/01-frame/prd.md" by its path: [[docs/helix/01-frame/prd]]',
        'Create document "releases/2025-q4/prd.md"',
      ],
      [
        '* Link to "docs/helix/02-design/design-notes.md" by its path: [[docs/helix/02-design/design-notes]]',
        'Create document "releases/2025-q4/design-notes.md"',
      ],
      [
        '* Link to "docs/helix/01-frame/prd.md" by its path: [[docs/helix/01-frame/prd]]',
        'Create document "releases/2025-q4/prd.md"',
      ],
    ]);
    // Applied, each changes only its link's target, which then reaches that document and
    // is no finding of any link rule.
    const text = firstFixesApplied(files[rel], found);
    assert.match(
      text,
      /artifacts: \["\[\[docs\/helix\/01-frame\/prd\]\]", "\[\[docs\/helix\/02-design\/design-notes\]\]"\]/,
    );
    assert.match(text, /see \[\[docs\/helix\/01-frame\/prd#Goals\|the PRD\]\]/);
    const after = await check({ ...files, [rel]: text });
    const mine = after.findings.filter((f) => f.uri === after.ws.uri(rel));
    assert.deepEqual(
      mine.filter((f) => /link|artifact|heading/.test(f.code)).map((f) => f.message),
      [],
    );
    const entry = after.analysis.index.get(after.ws.uri(rel))!;
    assert.deepEqual(
      entry.doc.links.map((l) => {
        const r = after.analysis.index.resolve(entry, l);
        return r.status === 'resolved' ? r.target.rel : r.status;
      }),
      [
        'releases/2025-q4/01-diagnose.md',
        'docs/helix/01-frame/prd.md',
        'docs/helix/02-design/design-notes.md',
        'docs/helix/01-frame/prd.md',
      ],
    );
  });

  it('broken-link: a link with a path to a document moved elsewhere is pointed at the one document of that file name, preferred over creating it', async () => {
    const files: Record<string, string> = {
      'releases/2025-q4/02-prescribe.md':
        '# Prescribe\n\n- [x] Notes: [design notes](design-notes.md#decisions "t"), <[plan](<old/Test Plan.md>)>, [spec](old/My%20Spec.md)\n' +
        '- [x] [[../old/prd#Goals|PRD]] and [[old/readme-notes]]\n- [ ] [twice](old/twice.md), [none](old/none.md)\n',
      'docs/helix/02-design/design-notes.md': '# Design notes\n\n## Decisions\n',
      'docs/helix/03-test/Test Plan.md': '# Test plan\n',
      'docs/helix/03-test/My Spec.md': '# Spec\n',
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Goals\n',
      'docs/helix/01-frame/README-notes.md': '# Notes\n',
      'docs/a/twice.md': '# A\n',
      'docs/b/twice.md': '# B\n',
    };
    const rel = 'releases/2025-q4/02-prescribe.md';
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => [f.message, ...fixTitles(f)]),
      [
        [
          '[design notes](design-notes.md#decisions "t") does not resolve: no document at that path. A document named design-notes.md is at ../../docs/helix/02-design/design-notes.md from this document.',
          '* Link to "docs/helix/02-design/design-notes.md": ../../docs/helix/02-design/design-notes.md',
          'Create document "releases/2025-q4/design-notes.md"',
        ],
        [
          '[plan](<old/Test Plan.md>) does not resolve: no document at that path. A document named Test Plan.md is at ../../docs/helix/03-test/Test Plan.md from this document.',
          '* Link to "docs/helix/03-test/Test Plan.md": ../../docs/helix/03-test/Test Plan.md',
          'Create document "releases/2025-q4/old/Test Plan.md"',
        ],
        [
          '[spec](old/My%20Spec.md) does not resolve: no document at that path. A document named My Spec.md is at ../../docs/helix/03-test/My%20Spec.md from this document.',
          '* Link to "docs/helix/03-test/My Spec.md": ../../docs/helix/03-test/My%20Spec.md',
          'Create document "releases/2025-q4/old/My Spec.md"',
        ],
        [
          '[[../old/prd#Goals|PRD]] does not resolve: no document at that path. A document named prd.md is at docs/helix/01-frame/prd.md.',
          '* Link to "docs/helix/01-frame/prd.md": [[docs/helix/01-frame/prd]]',
          'Create document "releases/old/prd.md"',
        ],
        [
          '[[old/readme-notes]] does not resolve: no document at that path. A document named README-notes.md is at docs/helix/01-frame/README-notes.md.',
          '* Link to "docs/helix/01-frame/README-notes.md": [[docs/helix/01-frame/README-notes]]',
          'Create document "releases/2025-q4/old/readme-notes.md"',
        ],
        // Two of that name: which one is meant is not known.
        [
          '[twice](old/twice.md) does not resolve: no document at that path.',
          '* Create document "releases/2025-q4/old/twice.md"',
        ],
        [
          '[none](old/none.md) does not resolve: no document at that path.',
          '* Create document "releases/2025-q4/old/none.md"',
        ],
      ],
    );
    // Applied, only the paths change (anchor, title, alias and angle brackets kept), and
    // each link then reaches the document named.
    const text = firstFixesApplied(files[rel], found);
    assert.equal(
      text,
      '# Prescribe\n\n- [x] Notes: [design notes](../../docs/helix/02-design/design-notes.md#decisions "t"), <[plan](<../../docs/helix/03-test/Test Plan.md>)>, [spec](../../docs/helix/03-test/My%20Spec.md)\n' +
        '- [x] [[docs/helix/01-frame/prd#Goals|PRD]] and [[docs/helix/01-frame/README-notes]]\n- [ ] [twice](old/twice.md), [none](old/none.md)\n',
    );
    const after = await check({ ...files, [rel]: text });
    assert.deepEqual(
      after.findings.filter((f) => /link|heading/.test(f.code)).map((f) => f.message),
      [
        '[twice](old/twice.md) does not resolve: no document at that path.',
        '[none](old/none.md) does not resolve: no document at that path.',
      ],
    );
  });

  it('broken-link: where a document moved is told as a markdown link from the linking document writes it, a wikilink from the workspace folder', async () => {
    // `spec.md` at the root, linked as `spec.md` from `phases/`: its path in the workspace
    // folder is what the broken link says, the way from the document is not.
    const c = await check({
      'phases/02-prescribe.md': '# Prescribe\n\n- [ ] See [x](spec.md) and [[old/notes]]\n',
      'spec.md': '# Spec\n',
      'notes.md': '# Notes\n',
    });
    assert.deepEqual(
      c.findings.filter((f) => f.code === 'broken-link').map((f) => [f.message, ...fixTitles(f)]),
      [
        [
          '[x](spec.md) does not resolve: no document at that path. A document named spec.md is at ../spec.md from this document.',
          '* Link to "spec.md": ../spec.md',
          'Create document "phases/spec.md"',
        ],
        [
          '[[old/notes]] does not resolve: no document at that path. A document named notes.md is at notes.md.',
          '* Link to "notes.md": [[../notes]]',
          'Create document "phases/old/notes.md"',
        ],
      ],
    );
  });

  it('broken-link: the linking document is no namesake: a copied cycle linking to the earlier one at its old place is pointed there', async () => {
    const rel = 'payments/releases/2026-q3/03-treat.md';
    const files: Record<string, string> = {
      [rel]: '# Treat\n\n- [x] As [the Q2 load test](../../03-treat.md#load) showed\n',
      'payments/releases/2026-q2/03-treat.md': '# Treat\n\n## Load\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => [f.message, ...fixTitles(f)]),
      [
        [
          '[the Q2 load test](../../03-treat.md#load) does not resolve: no document at that path. A document named 03-treat.md is at ../2026-q2/03-treat.md from this document.',
          '* Link to "payments/releases/2026-q2/03-treat.md": ../2026-q2/03-treat.md',
          'Create document "payments/03-treat.md"',
        ],
      ],
    );
    // A README (or index) names its folder: another README elsewhere is not it, moved.
    const readme = await check({
      'docs/guide/README.md': '# Guide\n\nSee [[prd/README|the PRD]] and [notes](old/index.md).\n',
      'workflows/cdp/README.md': '# CDP\n',
      'workflows/cdp/index.md': '# CDP index\n',
    });
    assert.deepEqual(
      readme.findings.filter((f) => f.code === 'broken-link').map((f) => f.message),
      [
        '[[prd/README|the PRD]] does not resolve: no document at that path.',
        '[notes](old/index.md) does not resolve: no document at that path.',
      ],
    );
  });

  it("broken-link: a first phase's broken link back means the earlier cycle's last phase that links here, not its own last", async () => {
    const cycle = (q: string, meta: (n: string) => string) =>
      Object.fromEntries(
        ['01-diagnose', '02-prescribe', '03-treat', '04-monitor', '05-release', '06-follow-up'].map(
          (name, i, all) => [
            `releases/${q}/${name}.md`,
            phaseDoc({
              title: name,
              phase: name.slice(0, 2),
              previous: i > 0 ? all[i - 1] : undefined,
              next: i < 5 ? all[i + 1] : undefined,
              body: `${meta(name)}## Exit Criteria\n\n- [x] done\n`,
            }),
          ],
        ),
      );
    const files: Record<string, string> = { ...cycle('2026-q2', () => ''), ...cycle('2026-q3', () => '') };
    files['releases/2026-q2/06-follow-up.md'] = files['releases/2026-q2/06-follow-up.md'].replace(
      'previous_phase',
      'next_phase: "[[../2026-q3/01-diagnose]]"\nprevious_phase',
    );
    const rel = 'releases/2026-q3/01-diagnose.md';
    files[rel] = files[rel].replace('next_phase', 'previous_phase: "[[../../06-follow-up]]"\nnext_phase');
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.deepEqual(
      found.map((f) => [f.message, ...fixTitles(f)]),
      [
        [
          '[[../../06-follow-up]] does not resolve: no document at that path. Phase 06 of the cycle before, "releases/2026-q2/06-follow-up.md", links here.',
          '* Set previous_phase to [[releases/2026-q2/06-follow-up]]',
        ],
      ],
    );
    const text = applyEdits(files[rel], found[0].fixes![0].kind === 'edit' ? found[0].fixes![0].edits : []);
    const after = await check({ ...files, [rel]: text });
    assert.deepEqual(
      after.findings.filter((f) => /link|chain/.test(f.code)).map((f) => `${f.code} ${f.message}`),
      [],
    );
    // Without a phase linking here, the cycle's own last phase is still what the name gives.
    const alone = { ...files };
    alone['releases/2026-q2/06-follow-up.md'] = cycle('2026-q2', () => '')[
      'releases/2026-q2/06-follow-up.md'
    ];
    const c2 = await check(alone);
    assert.match(
      c2.findings.find((f) => f.code === 'broken-link')!.message,
      /Phase 06 of this workflow is "releases\/2026-q3\/06-follow-up\.md"\.$/,
    );
  });

  it('ambiguous-link: of names sharing as many leading folders, the one fewest folders below them is nearer', async () => {
    const c = await check({
      'services/payments/01-diagnose.md': '# Diagnose\n\n[[problem-statement]] [[plan]]\n',
      'services/payments/artifacts/problem-statement.md': '# P\n',
      'services/payments/releases/2026-q3/artifacts/problem-statement.md': '# P3\n',
      // equally deep: still ambiguous
      'services/payments/a/plan.md': '# A\n',
      'services/payments/b/plan.md': '# B\n',
    });
    assert.deepEqual(
      c.of('ambiguous-link').map((m) => m.split(' matches')[0]),
      ['services/payments/01-diagnose.md:3:25 [[plan]]'],
    );
    const entry = c.analysis.index.get(c.ws.uri('services/payments/01-diagnose.md'))!;
    const r = c.analysis.index.resolve(entry, entry.doc.links[0]);
    assert.equal(
      r.status === 'resolved' ? r.target.rel : r.status,
      'services/payments/artifacts/problem-statement.md',
    );
  });

  it('ambiguous-link: one finding with a fix per candidate', async () => {
    const c = await check({ 'index.md': '[[plan]]', 'x/plan.md': '', 'y/plan.md': '' });
    assert.equal(c.of('ambiguous-link').length, 1);
    const f = c.findings.find((x) => x.code === 'ambiguous-link')!;
    assert.deepEqual(
      f.fixes!.map((x) => (x.kind === 'edit' ? x.edits[0].newText : '')),
      ['x/plan', 'y/plan'],
    );
  });

  it("ambiguous-link: none in a workflow definition, whose names are what the team's cycles each write", async () => {
    const phase = (n: string) =>
      phaseDoc({
        title: `Phase ${n}`,
        phase: n,
        artifacts: ['release-plan'],
        body: 'See [[release-plan]].\n',
      });
    const c = await check({
      'library/workflows/cdp/workflow.yml': 'name: cdp\n',
      'library/workflows/cdp/phases/02-prescribe.md': phase('02'),
      'cdp/2025-q3/02-prescribe.md': phase('02'),
      'cdp/2025-q3/release-plan.md': '# Plan\n',
      'cdp/2025-q4/02-prescribe.md': phase('02'),
      'cdp/2025-q4/release-plan.md': '# Plan\n',
      'cdp/2026-q1/02-prescribe.md': phase('02'),
    });
    assert.deepEqual(
      c.findings.filter((f) => f.uri.includes('/library/')).map((f) => f.code),
      [],
    );
    // The new cycle's artifact is missing; its link in the text is ambiguous.
    assert.deepEqual(
      c.findings
        .filter((f) => f.uri.includes('/2026-q1/') && f.code !== 'unmet-criterion')
        .map((f) => f.code),
      ['missing-artifact', 'ambiguous-link'],
    );
  });

  it("cross-instance-link: a later cycle's bare name reaching an earlier cycle's document; shared documents, paths and enclosing instances are not reported", async () => {
    const cycle = (q: string, extra: Record<string, string> = {}) => ({
      [`releases/${q}/01-diagnose.md`]: phaseDoc({
        title: 'Phase 01: Diagnose',
        phase: '01-diagnose',
        next: '02-prescribe',
        body: '## Exit Criteria\n\n- [x] Read [[architecture]]\n',
      }),
      [`releases/${q}/02-prescribe.md`]: phaseDoc({
        title: 'Phase 02: Prescribe',
        phase: '02-prescribe',
        previous: '01-diagnose',
        artifacts: ['release-plan'],
        body: '## Exit Criteria\n\n- [ ] Agreed: [[release-plan]], [[../2026-q1/release-plan]], [[notes]]\n',
      }),
      ...extra,
    });
    const files = {
      ...cycle('2026-q1', { 'releases/2026-q1/release-plan.md': '# Plan Q1\n' }),
      ...cycle('2026-q2'),
      // Shared by every cycle: outside every instance.
      'docs/architecture.md': '# Architecture\n',
      'releases/notes.md': '# Notes\n',
    };
    const c = await check(files);
    // The phase's artifact is this cycle's to produce: missing here (the earlier cycle's
    // is its own), with the fix creating it; a link in the text reaching it is this rule's.
    assert.deepEqual(
      c.of('cross-instance-link').map((f) => f.split(' ').slice(0, 5).join(' ')),
      [
        'releases/2026-q2/02-prescribe.md:11:15 [[release-plan]] resolves to releases/2026-q1/release-plan.md,',
      ],
    );
    assert.deepEqual(c.of('missing-artifact'), [
      'releases/2026-q2/02-prescribe.md:6:14 Artifact [[release-plan]] does not exist yet in this workflow instance (releases/2026-q2): releases/2026-q1 has its own.',
    ]);
    assert.deepEqual(fixTitles(c.findings.find((x) => x.code === 'missing-artifact')!), [
      '* Create artifact "releases/2026-q2/release-plan.md"',
    ]);
    const f = c.findings.find((x) => x.code === 'cross-instance-link')!;
    // Preferred: the earlier cycle's document by its path; else create this cycle's own.
    assert.deepEqual(
      f.fixes?.map((x) => [
        x.kind,
        x.kind === 'edit' ? x.edits[0].newText : x.kind === 'create' ? x.uri : '',
      ]),
      [
        ['edit', 'releases/2026-q1/release-plan'],
        ['create', c.ws.uri('releases/2026-q2/release-plan.md')],
      ],
    );
    // The cycle's own document: nothing to report.
    const own = await check({ ...files, 'releases/2026-q2/release-plan.md': '# Plan Q2\n' });
    assert.deepEqual(own.of('cross-instance-link'), []);
    // Equally near in two other cycles: ambiguous-link reports the link in the text, once;
    // the artifact is missing here.
    const two = await check({
      ...files,
      ...cycle('2026-q3', { 'releases/2026-q3/release-plan.md': '# Plan Q3\n' }),
    });
    assert.deepEqual(
      two.of('ambiguous-link').map((f) => f.split(' ')[0]),
      ['releases/2026-q2/02-prescribe.md:11:17'],
    );
    assert.deepEqual(
      two.of('missing-artifact').map((f) => f.split(' (')[1]),
      ['releases/2026-q2): releases/2026-q1, releases/2026-q3 have their own.'],
    );
    assert.deepEqual(two.of('cross-instance-link'), []);
    // An instance at the top encloses the others: the cycles reaching its documents share them.
    const top = await check({
      ...cycle('2026-q2'),
      '01-diagnose.md': phaseDoc({
        title: 'Phase 01: Diagnose',
        phase: '01-diagnose',
        body: '## Exit Criteria\n\n- [ ] a\n',
      }),
      'release-plan.md': '# Plan\n',
      'architecture.md': '# Architecture\n',
    });
    assert.deepEqual(top.of('cross-instance-link'), []);
    assert.deepEqual(
      top.of('broken-link').filter((x) => /\[\[(release-plan|architecture)\]\]/.test(x)),
      [],
      'the bare names reached the top',
    );
  });

  it('missing-artifact: two cycles side by side at the top of the workspace folder are kept alike, as they are one folder down', async () => {
    const release = phaseDoc({
      title: 'Release',
      phase: '05',
      name: 'Release',
      artifacts: ['rollback-plan'],
      body: '## Exit Criteria\n\n* [x] Tagged\n',
    });
    for (const top of ['', 'sub/']) {
      const c = await check({
        [`${top}release-2026.1/05-release.md`]: release,
        [`${top}release-2026.1/artifacts/rollback-plan.md`]: '# Rollback plan\n',
        [`${top}release-2026.2/05-release.md`]: release,
      });
      assert.deepEqual(c.of('cross-instance-link'), [], top);
      assert.deepEqual(
        c.of('missing-artifact'),
        [
          `${top}release-2026.2/05-release.md:6:14 Artifact [[rollback-plan]] does not exist yet in this workflow instance (${top}release-2026.2): ${top}release-2026.1 has its own.`,
        ],
        top,
      );
      // Creating this cycle's own, not linking to the earlier cycle's.
      assert.deepEqual(fixTitles(c.findings.find((x) => x.code === 'missing-artifact')!), [
        `* Create artifact "${top}release-2026.2/rollback-plan.md"`,
      ]);
    }
  });

  it("missing-artifact: a bare name is created in the folder the instance's artifacts are in, and reached there", async () => {
    const cycle = (q: string, extra: Record<string, string> = {}) => ({
      [`releases/${q}/01-diagnose.md`]: phaseDoc({
        title: 'Diagnose',
        phase: '01',
        next: '02-release',
        artifacts: ['release-plan', 'notes'],
      }),
      [`releases/${q}/02-release.md`]: phaseDoc({
        title: 'Release',
        phase: '02',
        previous: '01-diagnose',
        artifacts: ['rollback-plan'],
        body: '## Artifacts Produced\n\n- [[Runbook]]\n- [[ops/checklist]]\n- [Log](log.md)\n',
      }),
      ...extra,
    });
    const files = {
      ...cycle('2026-q2', {
        'releases/2026-q2/artifacts/release-plan.md': '# Release plan\n',
        'releases/2026-q2/artifacts/notes.md': '# Notes\n',
      }),
      // The cycle before has its own rollback plan: this one's is still missing.
      ...cycle('2026-q1', {
        'releases/2026-q1/artifacts/release-plan.md': '# Release plan\n',
        'releases/2026-q1/artifacts/notes.md': '# Notes\n',
        'releases/2026-q1/artifacts/rollback-plan.md': '# Rollback plan\n',
        'releases/2026-q1/artifacts/runbook.md': '# Runbook\n',
        'releases/2026-q1/ops/checklist.md': '# Checklist\n',
        'releases/2026-q1/log.md': '# Log\n',
      }),
    };
    const c = await check(files);
    const relOf = (uri: string) => uri.slice(uri.indexOf('/releases/') + 1);
    const found = c.findings.filter((f) => f.code === 'missing-artifact');
    assert.deepEqual(
      found.map((f) => [relOf(f.uri), ...fixTitles(f)]),
      [
        ['releases/2026-q2/02-release.md', '* Create artifact "releases/2026-q2/artifacts/rollback-plan.md"'],
        ['releases/2026-q2/02-release.md', '* Create artifact "releases/2026-q2/artifacts/runbook.md"'],
        // Written with a path, or as a markdown link: exactly what it names.
        ['releases/2026-q2/02-release.md', '* Create artifact "releases/2026-q2/ops/checklist.md"'],
        ['releases/2026-q2/02-release.md', '* Create artifact "releases/2026-q2/log.md"'],
      ],
    );
    const created: Record<string, string> = {};
    for (const f of found) {
      const fix = f.fixes![0];
      assert.equal(fix.kind, 'create');
      if (fix.kind === 'create') created[relOf(fix.uri)] = fix.content;
    }
    assert.equal(
      created['releases/2026-q2/artifacts/rollback-plan.md'],
      '# Rollback Plan\n\n---\ntags: [artifact]\nsource: "[[02-release]]"\n---\n\n## Overview\n\n',
    );
    // Once created, each link reaches its new document alone, and nothing is missing.
    const after = await check({ ...files, ...created });
    assert.deepEqual(
      after.findings.filter((f) => /link|artifact/.test(f.code)).map((f) => f.message),
      [],
    );
    const release = after.analysis.index.get(after.ws.uri('releases/2026-q2/02-release.md'))!;
    assert.deepEqual(
      release.artifacts.map((l) => {
        const r = after.analysis.index.resolve(release, l);
        return r.status === 'resolved' ? `${r.target.rel} (${r.candidates.length})` : r.status;
      }),
      [
        'releases/2026-q2/artifacts/rollback-plan.md (1)',
        'releases/2026-q2/artifacts/runbook.md (1)',
        'releases/2026-q2/ops/checklist.md (1)',
        'releases/2026-q2/log.md (1)',
      ],
    );
    // Alone (no other cycle has the names): the same.
    const alone = await check(
      Object.fromEntries(Object.entries(files).filter(([rel]) => rel.startsWith('releases/2026-q2/'))),
    );
    assert.deepEqual(
      alone.findings.filter((f) => f.code === 'missing-artifact').map((f) => fixTitles(f)[0]),
      found.map((f) => fixTitles(f)[0]),
    );
    // No folder holds most of the instance's artifacts: beside the phase document, as before.
    const split = await check({
      ...cycle('2026-q2', {
        'releases/2026-q2/artifacts/release-plan.md': '# Release plan\n',
        'releases/2026-q2/notes.md': '# Notes\n',
      }),
    });
    assert.deepEqual(
      split.findings.filter((f) => f.code === 'missing-artifact').map((f) => fixTitles(f)[0]),
      [
        '* Create artifact "releases/2026-q2/rollback-plan.md"',
        '* Create artifact "releases/2026-q2/runbook.md"',
        '* Create artifact "releases/2026-q2/ops/checklist.md"',
        '* Create artifact "releases/2026-q2/log.md"',
      ],
    );
  });

  it("missing-artifact: a bare name is never created in another phase's folder (HELIX)", async () => {
    const files = {
      'docs/helix/01-frame/README.md': helixPhase('01', 'Frame', ['prd', 'personas', 'risks'], 'x'),
      'docs/helix/01-frame/prd.md': '# prd\n',
      'docs/helix/01-frame/personas.md': '# personas\n',
      'docs/helix/01-frame/risks.md': '# risks\n',
      'docs/helix/02-design/README.md': helixPhase('02', 'Design', ['architecture'], 'y'),
    };
    // Phase 01's artifacts are in its own folder: phase 02's is created beside its own document.
    assert.deepEqual(await createdArtifacts(files), [
      '* Create artifact "docs/helix/02-design/architecture.md"',
    ]);
  });

  it("missing-artifact: a bare name is created where the linking phase's own artifacts are (HELIX)", async () => {
    const files = {
      'docs/helix/01-frame/README.md': helixPhase('01', 'Frame', ['prd', 'personas', 'risks'], 'x'),
      'docs/helix/01-frame/prd.md': '# prd\n',
      'docs/helix/01-frame/personas.md': '# personas\n',
      'docs/helix/01-frame/risks.md': '# risks\n',
    };
    // Phase 02's own existing artifacts decide, not the instance's (most of them in 01-frame).
    assert.deepEqual(
      await createdArtifacts({
        ...files,
        'docs/helix/02-design/README.md': helixPhase(
          '02',
          'Design',
          ['architecture', 'data-model', 'api'],
          'y',
        ),
        'docs/helix/02-design/artifacts/data-model.md': '# data-model\n',
        'docs/helix/02-design/artifacts/api.md': '# api\n',
      }),
      ['* Create artifact "docs/helix/02-design/artifacts/architecture.md"'],
    );
  });

  it('a document created for a link naming a heading holds that heading, so the link reaches it', async () => {
    const files = {
      'c/02-prescribe.md': phaseDoc({
        title: 'Prescribe',
        phase: '02',
        artifacts: ['Treatment Plan#Dosage', 'notes#^block1', 'log#A#B'],
        body: '## Exit Criteria\n\n- [ ] done\n\nSee [[Runbook#Roll back|the runbook]].\n',
      }),
    };
    const c = await check(files);
    const created = new Map<string, string>();
    for (const f of c.findings)
      for (const fix of f.fixes ?? [])
        if (fix.kind === 'create')
          created.set(fix.uri.slice(fix.uri.lastIndexOf('/') + 1), fix.content ?? '');
    // The heading named, as the first section; a block reference or a nested heading: none.
    assert.match(created.get('treatment-plan.md') ?? '', /\n## Dosage\n\n$/);
    assert.match(created.get('runbook.md') ?? '', /\n## Roll back\n\n$/);
    assert.match(created.get('notes.md') ?? '', /\n## Overview\n\n$/);
    assert.match(created.get('log.md') ?? '', /\n## Overview\n\n$/);
    // Created, the links to the headings are whole: no broken heading, no broken link.
    const after = await check({
      ...files,
      'c/treatment-plan.md': created.get('treatment-plan.md')!,
      'c/runbook.md': created.get('runbook.md')!,
    });
    const left = after.findings
      .filter((f) => /Treatment Plan|Runbook/.test(f.message))
      .map((f) => `${f.code}: ${f.message}`);
    assert.deepEqual(left, []);
  });

  it('missing-artifact: a bare name is never created in the folder beside another flat phase file (CDP)', async () => {
    const files = {
      'cdp/2026-q1/01-diagnose.md': phaseDoc({
        title: 'Diagnose Phase',
        phase: '01',
        next: '02-prescribe',
        artifacts: ['problem-spec', 'root-cause'],
        body: '## Exit Criteria\n\n- [ ] done\n',
      }),
      'cdp/2026-q1/02-prescribe.md': phaseDoc({
        title: 'Prescribe Phase',
        phase: '02',
        previous: '01-diagnose',
        next: '03-treat',
        artifacts: ['treatment-plan'],
        body: '## Exit Criteria\n\n- [ ] done\n',
      }),
      'cdp/2026-q1/03-treat.md': phaseDoc({
        title: 'Treat Phase',
        phase: '03',
        previous: '02-prescribe',
        // The shared problem spec lies in phase 01's folder: not phase 03's own.
        artifacts: ['build-log', 'problem-spec'],
        body: '## Exit Criteria\n\n- [ ] done\n',
      }),
      'cdp/2026-q1/01-diagnose/problem-spec.md': '# Problem spec\n',
      'cdp/2026-q1/01-diagnose/root-cause.md': '# Root cause\n',
    };
    // `01-diagnose/` is phase 01's (named as its file): 02 and 03 create theirs beside them.
    assert.deepEqual(await createdArtifacts(files), [
      '* Create artifact "cdp/2026-q1/treatment-plan.md"',
      '* Create artifact "cdp/2026-q1/build-log.md"',
    ]);
    // Phase 01's folder read as its number (not named as its file): the same.
    assert.deepEqual(
      await createdArtifacts(
        Object.fromEntries(
          Object.entries(files).map(([rel, text]) => [rel.replace('/01-diagnose/', '/01-dx/'), text]),
        ),
      ),
      ['* Create artifact "cdp/2026-q1/treatment-plan.md"', '* Create artifact "cdp/2026-q1/build-log.md"'],
    );
    // A folder named as phase 02's file (in other letter case), or read as phase 02,
    // holding its own artifacts: there; phase 03 still beside its document.
    for (const own of ['02-Prescribe', '02-rx']) {
      assert.deepEqual(
        await createdArtifacts({
          ...files,
          'cdp/2026-q1/02-prescribe.md': files['cdp/2026-q1/02-prescribe.md'].replace(
            '"[[treatment-plan]]"',
            '"[[treatment-plan]]", "[[dosage]]", "[[schedule]]"',
          ),
          [`cdp/2026-q1/${own}/dosage.md`]: '# Dosage\n',
          [`cdp/2026-q1/${own}/schedule.md`]: '# Schedule\n',
        }),
        [
          `* Create artifact "cdp/2026-q1/${own}/treatment-plan.md"`,
          '* Create artifact "cdp/2026-q1/build-log.md"',
        ],
        own,
      );
    }
  });

  /**
   * Each edit fix of `finding` applied to `files`, then the edited link resolved again:
   * `fix title → link → rel it reaches (candidates)` per fix.
   */
  async function afterFixes(files: Record<string, string>, finding: Finding): Promise<string[]> {
    const out: string[] = [];
    for (const fix of finding.fixes ?? []) {
      if (fix.kind !== 'edit') continue;
      const rel = Object.keys(files).find((r) => fix.uri.endsWith(`/${encodeURI(r).replace(/#/g, '%23')}`))!;
      const edited = { ...files, [rel]: applyEdits(files[rel], fix.edits) };
      const c = await check(edited);
      const entry = c.analysis.index.get(fix.uri)!;
      const link = entry.doc.links.find((l) => l.range.start.line === fix.edits[0].range.start.line)!;
      const r = c.analysis.index.resolve(entry, link);
      out.push(
        `${fix.title} → ${link.raw} ${r.status === 'resolved' ? `${r.target.rel} (${r.candidates.length})` : r.status}`,
      );
    }
    return out;
  }

  it('ambiguous-link: every fix writes a link that reaches the document it names, alone', async () => {
    const wiki = { 'x.md': '[[plan]]\n', 'c#/plan.md': '# C\n', 'd/plan.md': '# D\n' };
    const w = await check(wiki);
    assert.deepEqual(await afterFixes(wiki, w.findings.find((f) => f.code === 'ambiguous-link')!), [
      'Link to "c#/plan.md" → [[c/plan]] c#/plan.md (1)',
      'Link to "d/plan.md" → [[d/plan]] d/plan.md (1)',
    ]);
    // A markdown link spelled as one of two files differing in case reaches that one alone.
    const exact = await check({
      'docs/a.md': '[t](plan.md)\n',
      'docs/plan.md': '# p\n',
      'docs/Plan.md': '# P\n',
    });
    assert.deepEqual(exact.of('ambiguous-link'), []);
    const a = exact.analysis.index.get(exact.ws.uri('docs/a.md'))!;
    const r = exact.analysis.index.resolve(a, a.doc.links[0]);
    assert.equal(r.status === 'resolved' && `${r.target.rel} ${r.candidates.length}`, 'docs/plan.md 1');
    // Spelled as neither: the fixes write paths relative to the document, with `.md`.
    const md = {
      'docs/a.md': '[t](PLAN.md)\n',
      'docs/sub/b.md': '[t](../PLAN.md#steps)\n',
      'docs/c.md': '[t](<PLAN.md>)\n',
      'docs/plan.md': '# p\n',
      'docs/Plan.md': '# P\n',
    };
    const m = await check(md);
    const [inA, inC, inB] = m.findings.filter((f) => f.code === 'ambiguous-link');
    assert.deepEqual(await afterFixes(md, inA), [
      'Link to "docs/Plan.md" → [t](Plan.md) docs/Plan.md (1)',
      'Link to "docs/plan.md" → [t](plan.md) docs/plan.md (1)',
    ]);
    assert.deepEqual(await afterFixes(md, inB), [
      'Link to "docs/Plan.md" → [t](../Plan.md#steps) docs/Plan.md (1)',
      'Link to "docs/plan.md" → [t](../plan.md#steps) docs/plan.md (1)',
    ]);
    assert.deepEqual(await afterFixes(md, inC), [
      'Link to "docs/Plan.md" → [t](<Plan.md>) docs/Plan.md (1)',
      'Link to "docs/plan.md" → [t](<plan.md>) docs/plan.md (1)',
    ]);
    // No text tells two names apart that a wikilink reads alike: no fix rather than a wrong one.
    const alike = await check({
      'docs/a.md': '[[plan]]\n',
      'docs/plan.md': '# p\n',
      'docs/Plan.md': '# P\n',
    });
    assert.deepEqual(alike.findings.find((f) => f.code === 'ambiguous-link')!.fixes, []);
  });

  it('missing-artifact: on the metadata entry and under Artifacts Produced, not as broken-link', async () => {
    const c = await check({
      '05-release.md': phaseDoc({
        title: 'Release',
        phase: '05',
        artifacts: ['release-plan', 'rollback-plan'],
        body: '## Artifacts Produced\n\n- **[[Release Plan]]** - plan\n- [[Runbook]]\n\n## Other\n\n[[Runbook]]\n',
      }),
      'release-plan.md': '# Release plan\n',
    });
    assert.deepEqual(
      c.of('missing-artifact').map((s) => s.split(' ')[0]),
      ['05-release.md:5:34', '05-release.md:11:3'],
    );
    assert.deepEqual(
      c.of('broken-link').map((s) => s.split(' ')[0]),
      ['05-release.md:15:1'],
    );
  });

  it('missing-artifact: an artifact path to a document moved elsewhere says where it is, with a preferred fix pointing there', async () => {
    const rel = 'releases/q3/05-release.md';
    const files: Record<string, string> = {
      [rel]: phaseDoc({
        title: 'Release',
        phase: '05',
        artifacts: ['old/release-plan', 'rollback-plan'],
        body: '## Artifacts Produced\n\n- [Runbook](artifacts/runbook.md#steps)\n- [Twice](old/twice.md)\n',
      }),
      'docs/ops/deploy/release-plan.md': '# Release plan\n',
      'docs/ops/deploy/runbook.md': '# Runbook\n\n## Steps\n',
      'docs/a/twice.md': '# A\n',
      'docs/b/twice.md': '# B\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'missing-artifact');
    assert.deepEqual(
      found.map((f) => [f.message, ...fixTitles(f)]),
      [
        [
          'Artifact [[old/release-plan]] does not exist here (no document at that path). A document named release-plan.md is at docs/ops/deploy/release-plan.md.',
          '* Link to "docs/ops/deploy/release-plan.md": [[docs/ops/deploy/release-plan]]',
          'Create artifact "releases/q3/old/release-plan.md"',
        ],
        [
          'Artifact [[rollback-plan]] does not exist yet (no document with that name).',
          '* Create artifact "releases/q3/rollback-plan.md"',
        ],
        [
          'Artifact [Runbook](artifacts/runbook.md#steps) does not exist here (no document at that path). A document named runbook.md is at ../../docs/ops/deploy/runbook.md from this document.',
          '* Link to "docs/ops/deploy/runbook.md": ../../docs/ops/deploy/runbook.md',
          'Create artifact "releases/q3/artifacts/runbook.md"',
        ],
        // Two of that name: which one is meant is not known.
        [
          'Artifact [Twice](old/twice.md) does not exist yet (no document at that path).',
          '* Create artifact "releases/q3/old/twice.md"',
        ],
      ],
    );
    const text = firstFixesApplied(files[rel], found);
    assert.equal(
      text,
      files[rel]
        .replace('[[old/release-plan]]', '[[docs/ops/deploy/release-plan]]')
        .replace('(artifacts/runbook.md#steps)', '(../../docs/ops/deploy/runbook.md#steps)'),
    );
    const after = await check({ ...files, [rel]: text });
    assert.deepEqual(
      after.findings.filter((f) => /link|artifact|heading/.test(f.code)).map((f) => f.message),
      [
        'Artifact [[rollback-plan]] does not exist yet (no document with that name).',
        'Artifact [Twice](old/twice.md) does not exist yet (no document at that path).',
      ],
    );
  });

  it("missing-artifact: another cycle's artifact of that name is its own, not this one moved: create stays the fix", async () => {
    const cycle = (q: string) => ({
      [`releases/${q}/01-plan.md`]: phaseDoc({
        title: 'Plan',
        phase: '01',
        next: '02-build',
        artifacts: ['artifacts/plan'],
      }),
      [`releases/${q}/02-build.md`]: phaseDoc({ title: 'Build', phase: '02', previous: '01-plan' }),
    });
    const c = await check({
      ...cycle('2026-q2'),
      ...cycle('2026-q3'),
      'releases/2026-q2/artifacts/plan.md': '# Plan\n',
    });
    const f = c.findings.filter((x) => x.code === 'missing-artifact');
    assert.deepEqual(
      f.map((x) => [x.message, ...fixTitles(x)]),
      [
        [
          'Artifact [[artifacts/plan]] does not exist yet (no document at that path).',
          '* Create artifact "releases/2026-q3/artifacts/plan.md"',
        ],
      ],
    );
  });

  it('phase-chain: non-reciprocal, skipped, repeated and non-phase targets; a cycle back to the first is fine', async () => {
    const good = chain({});
    good['wf/03-ship.md'] = good['wf/03-ship.md'].replace(
      'previous_phase',
      'next_phase: "[[01-plan]]"\nprevious_phase',
    );
    assert.deepEqual((await check(good)).of('phase-chain'), []);

    const files = chain({});
    files['wf/02-build.md'] = files['wf/02-build.md'].replace(
      'previous_phase: "[[01-plan]]"',
      'previous_phase: "[[notes]]"',
    );
    files['wf/notes.md'] = '# Notes\n';
    files['wf/01-plan.md'] = files['wf/01-plan.md'].replace(
      'next_phase: "[[02-build]]"',
      'next_phase: "[[03-ship]]"',
    );
    const c = await check(files);
    const msgs = c.of('phase-chain');
    assert.ok(
      msgs.some((m) => m.startsWith('wf/01-plan.md') && m.includes('skipping a phase number')),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => m.startsWith('wf/01-plan.md') && m.includes('not reciprocal')),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => m.startsWith('wf/02-build.md') && m.includes('not a phase document')),
      msgs.join('\n'),
    );

    const rep = chain({});
    rep['wf/02-build.md'] = rep['wf/02-build.md'].replace('phase: "02"', 'phase: "01"');
    assert.ok((await check(rep)).of('phase-chain').some((m) => m.includes('repeats phase 01')));
  });

  it('phase-chain: a body link to a README of a phase-named folder that shows no phase says why, as the link it is', async () => {
    const c = await check({
      'wf/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] a\n',
      'wf/02-design/README.md':
        '# Phase 02: Design\n\n## Exit Criteria\n\n- [x] b\n\n## Next Phase\n\n[Build](../03-build/README.md)\n',
      'wf/03-build/README.md': '# Build\n\nNotes only.\n',
      'wf/04-notes.md':
        '---\nphase: 04\nprevious_phase: "[[notes]]"\n---\n# Four\n\n## Exit Criteria\n\n- [ ] c\n',
      'wf/notes.md': '# Notes\n',
    });
    assert.deepEqual(
      c.of('phase-chain').filter((m) => m.includes('not a phase document')),
      [
        'wf/02-design/README.md:9:1 The next phase link [Build](../03-build/README.md) points at "wf/03-build/README.md", which is not a phase document (named as a phase, but with no entry, exit or gate group, no gate file beside it and no `phase` metadata).',
        'wf/04-notes.md:3:18 previous_phase [[notes]] points at "wf/notes.md", which is not a phase document (no `phase` metadata and no NN-name file name).',
      ],
    );
  });

  it('phase-chain: a link back that skips a sound phase is one finding, fixed where it is written', async () => {
    const files = chain({});
    files['wf/03-ship.md'] = files['wf/03-ship.md'].replace(
      'previous_phase: "[[02-build]]"',
      'previous_phase: "[[01-plan]]"',
    );
    const c = await check(files);
    // 03's link back skips 02, whose own links are sound: one finding, on 03, whose
    // preferred fix sets that link back to 02.
    assert.deepEqual(
      c.findings.filter((x) => x.code === 'phase-chain').map((x) => c.analysis.index.get(x.uri)?.rel),
      ['wf/03-ship.md'],
    );
    const f = c.findings.find((x) => x.code === 'phase-chain')!;
    const fix = f.fixes!.find((x) => x.kind === 'edit' && x.preferred)!;
    assert.equal(fix.kind === 'edit' && fix.uri, c.ws.uri('wf/03-ship.md'));
    assert.equal(fix.kind === 'edit' && fix.edits[0].newText, '02-build');
  });

  it('phase-chain: a link into another instance fixes this link toward its own instance, never the other', async () => {
    const files = {
      'a/01-diagnose.md': phaseDoc({ title: 'A1', phase: '01', next: 'b/02-prescribe' }),
      'a/02-prescribe.md': phaseDoc({ title: 'A2', phase: '02' }),
      'b/01-diagnose.md': phaseDoc({ title: 'B1', phase: '01', next: '02-prescribe' }),
      'b/02-prescribe.md': phaseDoc({ title: 'B2', phase: '02', previous: '01-diagnose' }),
    };
    const c = await check(files);
    assert.equal(c.analysis.workflows().length, 2);
    const f = c.findings.find((x) => x.code === 'phase-chain')!;
    assert.equal(c.analysis.index.get(f.uri)?.rel, 'a/01-diagnose.md');
    assert.equal(
      f.message,
      'next_phase [[b/02-prescribe]] leads into workflow b, whose "b/02-prescribe.md" has previous_phase [[01-diagnose]], not back here. Phase 02 of this workflow is "a/02-prescribe.md".',
    );
    // The one fix points the link at phase 02 of its own instance, by a text that reaches it.
    assert.deepEqual(await afterFixes(files, f), [
      'Set next_phase to [[02-prescribe]] → [[02-prescribe]] a/02-prescribe.md (1)',
    ]);
    assert.equal(f.fixes![0].kind === 'edit' && f.fixes![0].preferred, true);
  });

  it('phase-chain fixes write link texts that reach the document they name, not a nearer namesake', async () => {
    // One instance spread over w/ and v/, and another one in v/u/ whose 01-plan is the
    // namesake nearer v/02-build than w/01-plan.
    const files = {
      'w/01-plan.md': phaseDoc({ title: 'P', phase: '01', next: 'v/02-build' }),
      'v/02-build.md': phaseDoc({ title: 'B', phase: '02', previous: 'w/03-ship', next: 'w/03-ship' }),
      'w/03-ship.md': phaseDoc({ title: 'S', phase: '03', previous: 'v/02-build' }),
      'v/u/01-plan.md': phaseDoc({ title: 'U1', phase: '01', next: '02-build' }),
      'v/u/02-build.md': phaseDoc({ title: 'U2', phase: '02', previous: '01-plan' }),
    };
    const c = await check(files);
    assert.equal(c.analysis.workflows().length, 2);
    // v/02-build's previous_phase points forward at 03: that link is the one finding (01's
    // sound next_phase gets none), and its fix points it back at 01.
    const found = c.findings.filter((x) => x.code === 'phase-chain');
    assert.deepEqual(
      found.map((x) => c.analysis.index.get(x.uri)?.rel),
      ['v/02-build.md'],
      c.of('phase-chain').join('\n'),
    );
    assert.deepEqual(await afterFixes(files, found[0]), [
      // the previous_phase of v/02-build now reaches w/01-plan, not v/u/01-plan
      'Set previous_phase to [[w/01-plan]] → [[w/01-plan]] w/01-plan.md (1)',
    ]);
  });

  it('phase-chain: a fix never points a phase at another of its own number', async () => {
    const files = {
      'wf/01-plan.md': phaseDoc({ title: 'P', phase: '01', next: '02-build' }),
      'wf/02-build.md': phaseDoc({ title: 'B', phase: '02', previous: '01-plan' }),
      'wf/02-alt.md': phaseDoc({ title: 'A', phase: '02', previous: '01-plan' }),
    };
    const c = await check(files);
    const f = c.findings.find((x) => x.code === 'phase-chain' && x.uri === c.ws.uri('wf/02-alt.md'))!;
    assert.match(f.message, /not reciprocal/);
    // Setting previous_phase to [[02-build]] would point phase 02 at phase 02: only the
    // other document's link back is offered.
    assert.deepEqual(
      f.fixes!.map((x) => x.title),
      ['Set next_phase of "wf/01-plan.md" to [[02-alt]]'],
    );
  });

  it('phase-chain: a next_phase pointing at its own document is fixed toward the phase after it; no fix changes nothing', async () => {
    // 02's next_phase is a copy of its own name; 03 points back at 02.
    const files = {
      'wf/01-diagnose.md': phaseDoc({ title: 'D', phase: '01', next: '02-prescribe' }),
      'wf/02-prescribe.md': phaseDoc({
        title: 'P',
        phase: '02',
        previous: '01-diagnose',
        next: '02-prescribe',
      }),
      'wf/03-treat.md': phaseDoc({ title: 'T', phase: '03', previous: '02-prescribe', next: '04-monitor' }),
      'wf/04-monitor.md': phaseDoc({ title: 'M', phase: '04', previous: '03-treat' }),
    };
    const c = await check(files);
    const titles = (rel: string) =>
      c.findings
        .filter((f) => f.code === 'phase-chain' && f.uri === c.ws.uri(rel))
        .flatMap((f) => fixTitles(f));
    assert.deepEqual(titles('wf/02-prescribe.md'), ['* Set next_phase to [[03-treat]]']);
    // On 03, whose previous_phase is sound: nothing. 02's link is the one mistake, said there.
    assert.deepEqual(titles('wf/03-treat.md'), []);
    assert.deepEqual(c.of('phase-chain'), [
      'wf/02-prescribe.md:6:14 next_phase points at this document itself.',
    ]);
    // Each fix edits its document, and applied leaves no phase-chain finding.
    for (const f of c.findings.filter((x) => x.code === 'phase-chain'))
      for (const fix of f.fixes ?? []) {
        if (fix.kind !== 'edit') continue;
        const rel = Object.keys(files).find((r) => fix.uri.endsWith(`/${r}`)) as keyof typeof files;
        const text = applyEdits(files[rel], fix.edits);
        assert.notEqual(text, files[rel], fix.title);
        assert.deepEqual((await check({ ...files, [rel]: text })).of('phase-chain'), [], fix.title);
      }
    // No phase after it to name (03 neither exists nor points back): no fix.
    const alone = await check({
      'wf/01-diagnose.md': files['wf/01-diagnose.md'],
      'wf/02-prescribe.md': files['wf/02-prescribe.md'],
    });
    const f = alone.findings.find((x) => x.code === 'phase-chain')!;
    assert.equal(f.message, 'next_phase points at this document itself.');
    assert.equal(f.fixes, undefined);
    // No link back, but one phase of the next number: that one.
    const numbered = await check({
      ...files,
      'wf/03-treat.md': phaseDoc({ title: 'T', phase: '03', next: '04-monitor' }),
    });
    assert.deepEqual(
      numbered.findings
        .filter((x) => x.code === 'phase-chain' && x.uri === numbered.ws.uri('wf/02-prescribe.md'))
        .flatMap((x) => (x.fixes ?? []).map((y) => y.title)),
      ['Set next_phase to [[03-treat]]'],
    );
  });

  it('phase-chain: no fix writes a link that would be reported for its direction or number', async () => {
    // 04 skips to 06, whose previous_phase is 05; 05 points back at 04. Setting 05's
    // previous_phase to where 04 points (06) would point phase 05 back at a later phase.
    const files = {
      'wf/04-monitor.md': phaseDoc({ title: 'M', phase: '04', next: '06-follow-up' }),
      'wf/05-release.md': phaseDoc({ title: 'R', phase: '05', previous: '04-monitor', next: '06-follow-up' }),
      'wf/06-follow-up.md': phaseDoc({ title: 'F', phase: '06', previous: '05-release' }),
    };
    const c = await check(files);
    const fixesOf = (rel: string) =>
      c.findings
        .filter((f) => f.code === 'phase-chain' && f.uri === c.ws.uri(rel))
        .flatMap((f) => (f.fixes ?? []).map((x) => x.title));
    // 05's links are sound: 04's skip is the one mistake, said once, on 04.
    assert.deepEqual(
      c.of('phase-chain').filter((m) => m.startsWith('wf/05-release.md')),
      [],
    );
    // 04's own finding offers its link to 05; not 06's link back to 04, which would skip
    // 05 (written, and linked both ways) and be reported itself.
    assert.deepEqual(fixesOf('wf/04-monitor.md'), ['Set next_phase to [[05-release]]']);
    // Every fix offered, applied, leaves no link reported for its direction or number.
    for (const f of c.findings.filter((x) => x.code === 'phase-chain'))
      for (const fix of f.fixes ?? []) {
        assert.equal(fix.kind, 'edit');
        if (fix.kind !== 'edit') continue;
        const rel = Object.keys(files).find((r) => fix.uri.endsWith(`/${r}`))!;
        const after = await check({
          ...files,
          [rel]: applyEdits(files[rel as keyof typeof files], fix.edits),
        });
        assert.deepEqual(
          after.of('phase-chain').filter((m) => /wrong direction|repeats phase/.test(m)),
          [],
          fix.title,
        );
      }
  });

  it('phase-chain: a release cycle pointing back at the previous cycle stays its own instance, with no finding', async () => {
    const cycle = (dir: string, done: boolean, previous?: string, wrap = true) => ({
      [`${dir}/01-plan.md`]: phaseDoc({ title: 'P', phase: '01', previous, next: '02-build' }),
      [`${dir}/02-build.md`]: phaseDoc({ title: 'B', phase: '02', previous: '01-plan', next: '03-ship' }),
      [`${dir}/03-ship.md`]: phaseDoc({
        title: 'S',
        phase: '03',
        previous: '02-build',
        next: wrap ? '01-plan' : undefined,
        body: `## Exit Criteria\n\n- [${done ? 'x' : ' '}] shipped\n`,
      }),
    });
    // q1 closes its cycle (03 → 01); q2's first phase points back at q1's last (phase 03,
    // which is neither one step from 01 nor this instance's last phase, 02 being q2's last).
    const files = { ...cycle('q1', true), ...cycle('q2', false, '../q1/03-ship') };
    delete files['q2/03-ship.md'];
    files['q2/02-build.md'] = files['q2/02-build.md'].replace('next_phase: "[[03-ship]]"\n', '');
    const c = await check(files);
    assert.deepEqual(
      c.analysis.workflows().map((w) => `${w.id}: ${w.phases.map((p) => p.rel).join(' ')}`),
      ['q1: q1/01-plan.md q1/02-build.md q1/03-ship.md', 'q2: q2/01-plan.md q2/02-build.md'],
    );
    assert.deepEqual(c.of('phase-chain'), []);
    assert.deepEqual(c.of('duplicate-phase'), []);

    // Handed over both ways (q1's last phase leads on to q2's first, which points back):
    // still two cycles, and nothing to reconcile.
    const both = { ...cycle('q1', true, undefined, false), ...cycle('q2', false, '../q1/03-ship') };
    both['q1/03-ship.md'] = both['q1/03-ship.md'].replace(
      'previous_phase',
      'next_phase: "[[q2/01-plan]]"\nprevious_phase',
    );
    const d = await check(both);
    assert.deepEqual(
      d.analysis.workflows().map((w) => w.id),
      ['q1', 'q2'],
    );
    assert.deepEqual(d.of('phase-chain'), []);
    assert.deepEqual(d.of('duplicate-phase'), []);
  });

  it("phase-chain: a cycle hands over only from the workflow's last phase, not from the highest it has written", async () => {
    // CDP's cycles: q2 has written 01 and 02 so far; its 02 leading on to q1's 01 goes
    // back into the cycle before (02 is no last phase: CDP's is 06-follow-up).
    const phase = (rel: string, previous?: string, next?: string) => {
      const [n, ...name] = rel.split('/').pop()!.split('-');
      return { [rel]: phaseDoc({ title: name.join(' '), phase: n, previous, next }) };
    };
    const files = {
      ...phase('cycles/q1/01-diagnose.md', undefined, '02-prescribe'),
      ...phase('cycles/q1/02-prescribe.md', '01-diagnose'),
      ...phase('cycles/q2/01-diagnose.md', undefined, '02-prescribe'),
      ...phase('cycles/q2/02-prescribe.md', '01-diagnose', '../q1/01-diagnose'),
    };
    const c = await check(files);
    assert.deepEqual(c.of('phase-chain'), [
      `cycles/q2/02-prescribe.md:6:14 next_phase [[../q1/01-diagnose]] leads into workflow cycles/q1 ("cycles/q1/01-diagnose.md", phase 01): only a cycle's last phase (06) leads on to another, to its first (01).`,
    ]);
    // HELIX's last phase is 06-iterate.
    const helix = {
      ...phase('h/q1/01-frame.md', undefined, '02-design'),
      ...phase('h/q1/02-design.md', '01-frame'),
      ...phase('h/q2/01-frame.md', undefined, '02-design'),
      ...phase('h/q2/02-design.md', '01-frame', '../q1/01-frame'),
    };
    assert.deepEqual(
      (await check(helix)).of('phase-chain').map((m) => m.replace(/ \(".*/, '')),
      ['h/q2/02-design.md:6:14 next_phase [[../q1/01-frame]] leads into workflow h/q1'],
    );
    // The hand-off itself stands, both ways: q1's 06-follow-up leads on to q2's first phase,
    // which points back at it, while q1's 03–05 are not written.
    const handOff = {
      ...phase('cycles/q1/01-diagnose.md', undefined, '02-prescribe'),
      ...phase('cycles/q1/02-prescribe.md', '01-diagnose'),
      ...phase('cycles/q1/06-follow-up.md', undefined, '../q2/01-diagnose'),
      ...phase('cycles/q2/01-diagnose.md', '../q1/06-follow-up', '02-prescribe'),
      ...phase('cycles/q2/02-prescribe.md', '01-diagnose'),
    };
    const h = await check(handOff);
    assert.deepEqual(
      h.analysis.workflows().map((w) => w.id),
      ['cycles/q1', 'cycles/q2'],
    );
    assert.deepEqual(h.of('phase-chain'), []);
  });

  it('phase-chain: a chain key written as a bare phase name is a link, checked and fixed as one', async () => {
    const doc = (n: string, name: string, meta: string) =>
      `# ${name}\n\n---\nphase: ${n}\nname: ${name}\n${meta}---\n\n## Exit Criteria\n\n- [ ] done\n`;
    const files = (next: string) => ({
      'rel/01-diagnose.md': doc('01', 'Diagnose', `previous_phase: none\nnext_phase: ${next}\n`),
      'rel/02-prescribe.md': doc(
        '02',
        'Prescribe',
        'previous_phase: "01-diagnose"\nnext_phase: 03-treat  # then\n',
      ),
      'rel/03-treat.md': doc('03', 'Treat', 'previous_phase: 02-prescribe\nnext_phase: TBD\n'),
    });
    const sound = await check(files('02-prescribe'));
    assert.deepEqual([...sound.of('phase-chain'), ...sound.of('broken-link')], []);
    assert.deepEqual(
      sound.analysis.workflows()[0].phases.map((p) => p.rel),
      ['rel/01-diagnose.md', 'rel/02-prescribe.md', 'rel/03-treat.md'],
    );
    // A typo reaches nothing, a skip is a chain mistake; `none`, `TBD` are no links.
    const typo = await check(files('02-prescrib'));
    assert.deepEqual(typo.of('broken-link'), [
      'rel/01-diagnose.md:7:13 02-prescrib does not resolve: no document with that name. Phase 02 of this workflow is "rel/02-prescribe.md".',
    ]);
    const text = files('03-treat')['rel/01-diagnose.md'];
    const skip = await check(files('03-treat'));
    const found = skip.findings.filter((f) => f.code === 'phase-chain');
    assert.equal(found.length, 1, skip.of('phase-chain').join('\n'));
    assert.match(
      found[0].message,
      /^next_phase 03-treat goes from phase 01 to phase 03, skipping a phase number/,
    );
    // A quoted key, an anchor or a tag before the value: the value is the link all the same.
    for (const written of ['"next_phase": 02-prescrib', 'next_phase: &n !!str 02-prescrib # c']) {
      const other = await check({
        ...files('x'),
        'rel/01-diagnose.md': files('x')['rel/01-diagnose.md'].replace('next_phase: x', written),
      });
      assert.equal(other.of('broken-link').length, 1, written);
    }
    // The fix keeps the value bare, and says so.
    assert.deepEqual(fixTitles(found[0]), ['* Set next_phase to 02-prescribe']);
    assert.match(firstFixesApplied(text, found), /\nnext_phase: 02-prescribe\n/);
  });

  it('two links that skip a phase together are each reported with the fix that points it at the skipped phase', async () => {
    const files = {
      'c/01-diagnose.md':
        '---\nphase: 01\nnext_phase: "[[03-treat]]"\n---\n# Diagnose Phase\n\n## Exit Criteria\n\n- [ ] a\n',
      'c/02-prescribe.md': '---\nphase: 02\n---\n# Prescribe Phase\n\n## Exit Criteria\n\n- [ ] b\n',
      'c/03-treat.md':
        '# Treat Phase\n\n---\nphase: 03\nprevious_phase: 01-diagnose\n---\n\n## Exit Criteria\n\n- [ ] c\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'phase-chain');
    assert.deepEqual(
      found.map((f) => [f.uri.slice(f.uri.indexOf('/c/') + 1), f.message.split(',')[0], fixTitles(f)]),
      [
        [
          'c/01-diagnose.md',
          'next_phase [[03-treat]] goes from phase 01 to phase 03',
          ['* Set next_phase to [[02-prescribe]]'],
        ],
        [
          'c/03-treat.md',
          'previous_phase 01-diagnose goes from phase 03 to phase 01',
          ['* Set previous_phase to 02-prescribe'],
        ],
      ],
    );
    assert.match(
      firstFixesApplied(files['c/01-diagnose.md'], [found[0]]),
      /\nnext_phase: "\[\[02-prescribe\]\]"\n/,
    );
    assert.match(firstFixesApplied(files['c/03-treat.md'], [found[1]]), /\nprevious_phase: 02-prescribe\n/);
  });

  it('a fix of a bare chain value writes a quoted wikilink where the text it needs reads as no phase name', async () => {
    // A HELIX typo: the fix names the folder's README by path, no phase name.
    const helix = {
      'docs/helix/01-frame/README.md':
        '# Phase 01: Frame\n\n---\nnext_phase: 02-desgn  # typo\n---\n\n## Exit Criteria\n\n- [ ] a\n',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] b\n',
    };
    const c = await check(helix);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    assert.equal(found.length, 1, c.of('broken-link').join('\n'));
    const fix = found[0].fixes?.[0];
    assert.ok(fix?.kind === 'edit');
    assert.match(fix.title, /\[\[docs\/helix\/02-design\/README\]\]$/);
    const text = helix['docs/helix/01-frame/README.md'];
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /\nnext_phase: "\[\[docs\/helix\/02-design\/README\]\]" {2}# typo\n/);
    const after = await check({ ...helix, 'docs/helix/01-frame/README.md': fixed });
    assert.deepEqual(after.of('broken-link'), []);
    // A phase file not named NN-name: its name, as a wikilink.
    const plain = {
      'c/01-diagnose.md': '# D\n\n---\nphase: 01\nnext_phase: "02-prescribe"\n---\n',
      'c/prescribe.md': '# P\n\n---\nphase: 02\nprevious_phase: 01-diagnose\n---\n',
    };
    const p = await check(plain);
    const broken = p.findings.filter((f) => f.code === 'broken-link' && f.fixes?.[0]?.kind === 'edit');
    assert.equal(broken.length, 1, p.of('broken-link').join('\n'));
    const first = broken[0].fixes?.[0];
    assert.ok(first?.kind === 'edit');
    const edited = applyEdits(plain['c/01-diagnose.md'], first.edits);
    assert.match(edited, /\nnext_phase: "\[\[prescribe\]\]"\n/);
    const again = await check({ ...plain, 'c/01-diagnose.md': edited });
    assert.deepEqual([...again.of('broken-link'), ...again.of('phase-chain')], []);
  });

  it('phase-chain: a link pointing the wrong way is one finding, on that link, fixed there', async () => {
    const phase = (rel: string, previous?: string, next?: string) => {
      const [n, ...name] = rel.split('/').pop()!.split('-');
      return { [rel]: phaseDoc({ title: name.join(' '), phase: n, previous, next }) };
    };
    // 02's previous_phase points forward at 04 (written as a bare name); 01's next_phase,
    // at 02, is sound: the one finding is 02's, its fix pointing it back at 01 as written.
    const files = {
      'wf/01-diagnose.md': '---\nphase: 01\nnext_phase: "02-prescribe"\n---\n# Diagnose\n',
      'wf/02-prescribe.md':
        '---\nphase: 02\nprevious_phase: "04-monitor"\nnext_phase: ./03-treat.md\n---\n# Prescribe\n',
      ...phase('wf/03-treat.md', '02-prescribe', '04-monitor'),
      ...phase('wf/04-monitor.md', '03-treat', '05-release'),
      ...phase('wf/05-release.md', '04-monitor'),
    };
    const c = await check(files);
    assert.deepEqual(c.of('phase-chain'), [
      'wf/02-prescribe.md:3:17 previous_phase "04-monitor" points forward from phase 02 to phase 04, a later phase, and is not reciprocal: "wf/04-monitor.md" has next_phase [[05-release]].',
    ]);
    const f = c.findings.find((x) => x.code === 'phase-chain')!;
    assert.deepEqual(
      f.fixes!.map((x) => [x.title, x.kind === 'confirm' ? undefined : x.preferred]),
      [['Set previous_phase to 01-diagnose', true]],
    );
    const fix = f.fixes![0];
    assert.ok(fix.kind === 'edit');
    const edited = applyEdits(files['wf/02-prescribe.md'], fix.edits);
    assert.match(edited, /\nprevious_phase: "01-diagnose"\n/);
    assert.deepEqual((await check({ ...files, 'wf/02-prescribe.md': edited })).of('phase-chain'), []);
    // A next_phase pointing back two phases is said so too, not as skipping a number.
    const back = await check({
      ...phase('wf/03-treat.md', undefined, '04-monitor'),
      ...phase('wf/04-monitor.md', '03-treat', '05-release'),
      ...phase('wf/05-release.md', '04-monitor', '03-treat'),
      ...phase('wf/06-follow-up.md', '05-release'),
    });
    assert.deepEqual(back.of('phase-chain'), [
      'wf/05-release.md:6:14 next_phase [[03-treat]] points back from phase 05 to phase 03, an earlier phase.',
    ]);
    assert.deepEqual(
      back.findings.find((x) => x.code === 'phase-chain')!.fixes!.map((x) => x.title),
      ['Set next_phase to [[06-follow-up]]'],
    );
  });

  it('a broken chain link is fixed toward the phase it means, and no fix creates a phase the chain would skip to', async () => {
    const phase = (rel: string, previous?: string, next?: string) => {
      const [n, ...name] = rel.split('/').pop()!.split('-');
      return { [rel]: phaseDoc({ title: name.join(' '), phase: n, previous, next }) };
    };
    // A near miss of 02's name: pointed at 02-prescribe, never a second phase 02 created.
    const typo = await check({
      ...phase('wf/01-diagnose.md', undefined, '02-prescibe'),
      ...phase('wf/02-prescribe.md', '01-diagnose'),
    });
    const t = typo.findings.filter((x) => x.code === 'broken-link');
    assert.equal(t.length, 1, typo.of('broken-link').join('\n'));
    assert.deepEqual(fixTitles(t[0]), ['* Set next_phase to [[02-prescribe]]']);
    // From 05, a [[07-x]] that reaches nothing: creating it would leave 05 skipping 06.
    const far = await check({
      ...phase('wf/04-monitor.md', undefined, '05-release'),
      ...phase('wf/05-release.md', '04-monitor', '07-x'),
    });
    assert.deepEqual(far.of('broken-link'), [
      'wf/05-release.md:6:14 [[07-x]] does not resolve: no document with that name.',
    ]);
    assert.deepEqual(fixTitles(far.findings.find((x) => x.code === 'broken-link')!), []);
    // The next number's document is still offered; and from the last phase, the first one
    // before the others, closing the cycle.
    const near = await check({
      ...phase('wf/04-monitor.md', undefined, '05-release'),
      ...phase('wf/05-release.md', '04-monitor', '06-x'),
    });
    assert.deepEqual(fixTitles(near.findings.find((x) => x.code === 'broken-link')!), [
      '* Create document "wf/06-x.md"',
    ]);
    const wrap = await check({
      ...phase('wf/02-prescribe.md', undefined, '03-treat'),
      ...phase('wf/03-treat.md', '02-prescribe', '01-x'),
    });
    assert.deepEqual(fixTitles(wrap.findings.find((x) => x.code === 'broken-link')!), [
      '* Create document "wf/01-x.md"',
    ]);
  });

  it('phase-chain: chain links in a flow mapping are checked as in block style, each under its own key', async () => {
    const phase = (rel: string, previous?: string, next?: string) => {
      const [n, ...name] = rel.split('/').pop()!.split('-');
      return { [rel]: phaseDoc({ title: name.join(' '), phase: n, previous, next }) };
    };
    const others = {
      ...phase('wf/02-prescribe.md', undefined, '03-treat'),
      ...phase('wf/04-monitor.md', '03-treat', '05-refine'),
      ...phase('wf/05-refine.md', '04-monitor'),
    };
    const mapping =
      '{phase: 03, name: Treat, previous_phase: "[[02-prescribe]]", next_phase: "[[05-refine]]"}';
    const block = await check({
      ...others,
      'wf/03-treat.md':
        '# Treat\n\n---\nphase: 03\nname: Treat\nprevious_phase: "[[02-prescribe]]"\nnext_phase: "[[05-refine]]"\n---\n',
    });
    const said = (c: Awaited<ReturnType<typeof check>>) =>
      c.of('phase-chain').map((m) => m.replace(/^(\S+):\d+:\d+ /, '$1 '));
    assert.deepEqual(said(block), [
      'wf/03-treat.md next_phase [[05-refine]] goes from phase 03 to phase 05, skipping a phase number, and is not reciprocal: "wf/05-refine.md" has previous_phase [[04-monitor]].',
    ]);
    // After the title, as CDP documents write their block, and as front matter.
    for (const text of [`# Treat\n\n---\n${mapping}\n---\n`, `---\n${mapping}\n---\n# Treat\n`]) {
      const flow = await check({ ...others, 'wf/03-treat.md': text });
      assert.deepEqual(said(flow), said(block), text);
      const f = flow.findings.find((x) => x.code === 'phase-chain')!;
      const line = text.split('\n').indexOf(mapping);
      assert.deepEqual(f.range.start, { line, character: mapping.indexOf('[[05-refine]]') });
      // Its fix edits the next_phase value inside the mapping, and leaves no finding.
      const fix = f.fixes![0];
      assert.ok(fix.kind === 'edit');
      const edited = applyEdits(text, fix.edits);
      assert.ok(edited.includes('previous_phase: "[[02-prescribe]]", next_phase: "[[04-monitor]]"}'), edited);
      assert.deepEqual((await check({ ...others, 'wf/03-treat.md': edited })).of('phase-chain'), []);
    }
  });

  it('phase-chain: one finding per chain mistake, said rightly, and a link leaving the instance is its own', async () => {
    const phase = (rel: string, previous?: string, next?: string) => {
      const [n, ...name] = rel.split('/').pop()!.split('-');
      return { [rel]: phaseDoc({ title: name.join(' '), phase: n, previous, next }) };
    };
    // 05 skips back over 04 to 03, whose next_phase is 04: one finding, saying both.
    const skip = await check({
      ...phase('wf/03-treat.md', undefined, '04-monitor'),
      ...phase('wf/04-monitor.md', '03-treat'),
      ...phase('wf/05-release.md', '03-treat'),
    });
    assert.deepEqual(skip.of('phase-chain'), [
      'wf/05-release.md:5:18 previous_phase [[03-treat]] goes from phase 05 to phase 03, skipping a phase number, and is not reciprocal: "wf/03-treat.md" has next_phase [[04-monitor]].',
    ]);
    const f = skip.findings.find((x) => x.code === 'phase-chain')!;
    // (No fix points 03 on at 05: that link would skip 04, and be reported itself.)
    assert.deepEqual(
      f.fixes!.map((x) => [x.title, x.kind === 'confirm' ? undefined : x.preferred]),
      [['Set previous_phase to [[04-monitor]]', true]],
    );
    // 01 skips on over 02 to 03, whose previous_phase is 02 (and 02's next is 03): the one
    // fix points 01 at 02; none points 03 back at 01, over 02.
    const forward = await check({
      ...phase('wf/01-diagnose.md', undefined, '03-treat'),
      ...phase('wf/02-prescribe.md', '01-diagnose', '03-treat'),
      ...phase('wf/03-treat.md', '02-prescribe'),
    });
    assert.deepEqual(forward.of('phase-chain'), [
      'wf/01-diagnose.md:5:14 next_phase [[03-treat]] goes from phase 01 to phase 03, skipping a phase number, and is not reciprocal: "wf/03-treat.md" has previous_phase [[02-prescribe]].',
    ]);
    assert.deepEqual(
      forward.findings
        .find((x) => x.code === 'phase-chain')!
        .fixes!.map((x) => [x.title, x.kind === 'confirm' ? undefined : x.preferred]),
      [['Set next_phase to [[02-prescribe]]', true]],
    );
    // Over a phase the instance lacks a fix may still skip (04 is not written): 03 → 05.
    const lacking = await check({
      ...phase('wf/03-treat.md', '02-prescribe'),
      ...phase('wf/02-prescribe.md', undefined, '03-treat'),
      ...phase('wf/05-release.md', '02-prescribe'),
    });
    assert.ok(
      lacking.findings
        .filter((x) => x.code === 'phase-chain')
        .some((x) => x.fixes?.some((y) => y.title === 'Set previous_phase to [[03-treat]]')),
      lacking.of('phase-chain').join('\n'),
    );
    // A bare name that reaches another cycle (this one has no 04 yet): phase-chain says
    // so, once; cross-instance-link leaves the chain link alone.
    const cycles = {
      ...phase('cycles/a/01-diagnose.md', undefined, '02-prescribe'),
      ...phase('cycles/a/02-prescribe.md', '01-diagnose', '03-treat'),
      ...phase('cycles/a/03-treat.md', '02-prescribe', '04-monitor'),
      ...phase('cycles/a/04-monitor.md', '03-treat', '05-release'),
      ...phase('cycles/a/05-release.md', '04-monitor', '06-follow-up'),
      ...phase('cycles/a/06-follow-up.md', '05-release'),
      ...phase('cycles/b/02-prescribe.md', undefined, '03-treat'),
      ...phase('cycles/b/03-treat.md', '02-prescribe', '04-monitor'),
    };
    const bare = await check(cycles);
    assert.deepEqual(bare.of('cross-instance-link'), []);
    assert.deepEqual(bare.of('phase-chain'), [
      'cycles/b/03-treat.md:6:14 next_phase [[04-monitor]] leads into workflow cycles/a, whose "cycles/a/04-monitor.md" has previous_phase [[03-treat]], not back here. This instance (cycles/b) has no document of that name.',
    ]);
    const g = bare.findings.find((x) => x.code === 'phase-chain')!;
    assert.deepEqual(
      g.fixes!.map((x) => [x.title, x.kind === 'confirm' ? undefined : x.preferred]),
      [['Create document "cycles/b/04-monitor.md"', true]],
    );
    // Two earlier cycles each with a 04: still phase-chain's alone, not also an
    // ambiguous-link offering to link into either of them.
    const twoBefore = await check({
      ...cycles,
      ...Object.fromEntries(
        Object.entries(cycles)
          .filter(([k]) => k.startsWith('cycles/a/'))
          .map(([k, v]) => [k.replace('cycles/a/', 'cycles/a2/'), v]),
      ),
    });
    assert.deepEqual(twoBefore.of('ambiguous-link'), []);
    const twoChain = twoBefore.findings.filter(
      (x) => x.code === 'phase-chain' && x.uri.endsWith('cycles/b/03-treat.md'),
    );
    assert.equal(twoChain.length, 1, twoBefore.of('phase-chain').join('\n'));
    assert.deepEqual(
      twoChain[0].fixes!.map((x) => x.title),
      ['Create document "cycles/b/04-monitor.md"'],
    );
    // Its neighbour in this cycle, whose own link back is sound, gets no finding for it.
    const renamed = await check({
      ...Object.fromEntries(Object.entries(cycles).filter(([k]) => k !== 'cycles/b/03-treat.md')),
      ...phase('cycles/b/03-implement.md', '02-prescribe', '04-monitor'),
    });
    assert.deepEqual(
      renamed.of('phase-chain').filter((m) => m.startsWith('cycles/b/03-implement.md:5:')),
      [],
    );
    assert.equal(renamed.of('phase-chain').filter((m) => m.startsWith('cycles/b/02-prescribe.md')).length, 1);
    // The cycle renamed its 03-treat.md 03-implement.md, and the links both ways still name
    // 03-treat, which reaches the cycle before: the message names this cycle's phase 03,
    // which the fix sets.
    const implement = await check({
      ...Object.fromEntries(Object.entries(cycles).filter(([k]) => k !== 'cycles/b/03-treat.md')),
      ...phase('cycles/b/03-implement.md', '02-prescribe', '04-monitor'),
      ...phase('cycles/b/04-monitor.md', '03-treat'),
    });
    assert.deepEqual(
      implement.of('phase-chain').filter((m) => m.startsWith('cycles/b/')),
      [
        'cycles/b/02-prescribe.md:5:14 next_phase [[03-treat]] leads into workflow cycles/a, whose "cycles/a/03-treat.md" has previous_phase [[02-prescribe]], not back here. This instance (cycles/b) has no document of that name. Phase 03 of this workflow is "cycles/b/03-implement.md".',
        'cycles/b/04-monitor.md:5:18 previous_phase [[03-treat]] leads into workflow cycles/a, whose "cycles/a/03-treat.md" has next_phase [[04-monitor]], not back here. This instance (cycles/b) has no document of that name. Phase 03 of this workflow is "cycles/b/03-implement.md".',
      ],
    );
    assert.deepEqual(
      implement.findings
        .filter((x) => x.code === 'phase-chain' && x.uri.includes('/cycles/b/'))
        .map((x) => x.fixes!.map((y) => y.title)),
      [['Set next_phase to [[03-implement]]'], ['Set previous_phase to [[03-implement]]']],
    );
    // A first phase pointing back at the cycle before, at a phase that is not its last:
    // it leads into that cycle (not "skipping a phase number" besides).
    const back = await check({
      ...cycles,
      ...phase('cycles/c/01-diagnose.md', '../a/05-release', '02-prescribe'),
      ...phase('cycles/c/02-prescribe.md', '01-diagnose'),
    });
    assert.deepEqual(
      back.of('phase-chain').filter((m) => m.startsWith('cycles/c/')),
      [
        'cycles/c/01-diagnose.md:5:18 previous_phase [[../a/05-release]] leads into workflow cycles/a, whose "cycles/a/05-release.md" has next_phase [[06-follow-up]], not back here.',
      ],
    );
  });

  it('duplicate-phase: an error on both documents of one instance', async () => {
    const c = await check({
      'wf/01-a.md': phaseDoc({ title: 'A', phase: '01' }),
      'wf/01-b.md': phaseDoc({ title: 'B', phase: '01' }),
      'other/01-c.md': phaseDoc({ title: 'C', phase: '01' }),
    });
    assert.deepEqual(
      c.of('duplicate-phase').map((s) => s.split(' ')[0]),
      ['wf/01-a.md:4:1', 'wf/01-b.md:4:1'],
    );
    assert.ok(c.findings.filter((f) => f.code === 'duplicate-phase').every((f) => f.severity === 'error'));
    // (no hint for two phases of one number: it is for a phase split in two files)
    assert.ok(c.of('duplicate-phase').every((m) => !m.includes('A phase is one document')));
    const split = await check({
      'wf/05-release.md': phaseDoc({
        title: 'Release',
        phase: '05',
        body: '## Exit Criteria\n\n- [ ] shipped\n',
      }),
      'wf/05-release-checklist.md':
        '# Checklist\n\nPart of [[05-release]].\n\n#### Release Gate\n\n- [ ] signed\n',
    });
    assert.deepEqual(
      split.of('duplicate-phase').map((m) => m.slice(m.indexOf(' ') + 1)),
      [
        "Phase 05 is claimed by 2 documents of workflow \"wf\": wf/05-release-checklist.md, wf/05-release.md. A phase is one document: move the other's criteria into it, or name the other without the phase's number (a document of the phase, its criteria not the phase's).",
        "Phase 05 is claimed by 2 documents of workflow \"wf\": wf/05-release.md, wf/05-release-checklist.md. A phase is one document: move the other's criteria into it, or name the other without the phase's number (a document of the phase, its criteria not the phase's).",
      ],
    );
  });

  it("duplicate-phase: an artifact's entry, exit and gate groups, which count for nothing, are told where to go", async () => {
    const release = (body: string) =>
      phaseDoc({ title: 'Phase 05: Release', phase: '05', previous: '04-monitor', body });
    const files = {
      'rel/04-monitor.md': phaseDoc({
        title: 'Phase 04: Monitor',
        phase: '04',
        next: '05-release',
        body: '## Exit Criteria\n\n- [x] monitored\n',
      }),
      'rel/05-release.md': release('## Exit Criteria\n\n- [x] released\n'),
      'rel/release-checklist.md':
        '---\nphase: 05\n---\n# Release checklist\n\n### Release Gate\n\n- [ ] Sign-off obtained\n- [ ] Notes published\n\n## Exit Criteria\n\n- [x] one\n\n## Notes\n\n- [ ] a plain checklist\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'duplicate-phase');
    assert.deepEqual(c.of('duplicate-phase'), [
      "rel/release-checklist.md:6:5 Release Gate is not counted: this document is an artifact of phase 05 (its `phase` metadata), not the phase's document, rel/05-release.md, whose criteria alone count, so its 2 items do not. To count them, move them into rel/05-release.md (or make this document phase 05's document in its place).",
      "rel/release-checklist.md:11:4 Exit Criteria is not counted: this document is an artifact of phase 05 (its `phase` metadata), not the phase's document, rel/05-release.md, whose criteria alone count, so its item does not. To count them, move them into rel/05-release.md (or make this document phase 05's document in its place).",
    ]);
    assert.ok(found.every((f) => f.severity === 'warning'));
    assert.deepEqual(
      found[0].related?.map((r) => [r.uri.endsWith('rel/05-release.md'), r.range.start.line]),
      [[true, 0]],
    );
    // Its `phase` names the phase: the same. A phase document of its own, or a document of
    // the phase by folder or link (no `phase` metadata), is told nothing.
    const named = await check({
      ...files,
      'rel/release-checklist.md': '---\nphase: release\n---\n# Checklist\n\n## Release Gate\n\n- [ ] x\n',
    });
    assert.equal(named.of('duplicate-phase').length, 1, named.of('duplicate-phase').join('\n'));
    const plain = await check({
      ...files,
      'rel/release-checklist.md': '# Checklist\n\nFor [[05-release]].\n\n## Release Gate\n\n- [ ] x\n',
    });
    assert.deepEqual(plain.of('duplicate-phase'), []);
  });

  it('a phase document whose metadata cannot be read (no NN- name): the chain link and the gate check say so, and its artifacts are not read', async () => {
    const files = {
      'c/04-monitor.md': phaseDoc({
        title: 'Phase 04: Monitor',
        phase: '04',
        next: 'release',
        body: '## Exit Criteria\n\n- [x] monitored\n',
      }),
      // `artifacts:` indented with a tab: invalid YAML.
      'c/release.md':
        '---\nphase: 05\nprevious_phase: "[[04-monitor]]"\nartifacts:\n\t- "[[missing-plan]]"\n---\n# Phase 05: Release\n\n## Exit Criteria\n\n- [ ] released\n',
    };
    const c = await check(files);
    assert.equal(c.of('invalid-frontmatter').length, 1, c.of('invalid-frontmatter').join('\n'));
    assert.deepEqual(c.of('phase-chain'), [
      'c/04-monitor.md:5:14 next_phase [[release]] points at "c/release.md", which is not a phase document (its metadata cannot be read, so its `phase` is not read: see invalid-frontmatter there; and its file name is no NN-name).',
    ]);
    // Its `artifacts` are not read either: no missing artifact (the link is a link still).
    assert.deepEqual(c.of('missing-artifact'), []);
    assert.equal(c.analysis.index.get(c.ws.uri('c/release.md'))!.artifacts.length, 0);
    const [w] = c.analysis.workflows();
    assert.equal(
      lackingPhase(w, 'release', true),
      'Workflow c has no phase "release" yet (nor a deploy phase): its last phase is 04 Monitor; c/release.md has `phase` metadata that cannot be read, so it is no phase (see invalid-frontmatter)',
    );
    // Valid, it is the phase, its artifact missing.
    const valid = await check({
      ...files,
      'c/release.md': files['c/release.md'].replace('\t- ', '  - '),
    });
    assert.deepEqual(valid.of('phase-chain'), []);
    assert.equal(valid.of('missing-artifact').length, 1);
    assert.equal(lackingPhase(valid.analysis.workflows()[0], 'release', true), undefined);
  });

  it('invalid-frontmatter: at the YAML error position, and for a bad phase number', async () => {
    const c = await check({
      'a.md': '# A\n\n---\nphase: 05\nname: [unclosed\n---\n',
      'b.md': '---\nphase: 150\n---\n# B\n',
      'c.md': '---\nkey: 1\nkey: 2\n---\n',
    });
    const msgs = c.of('invalid-frontmatter');
    assert.equal(msgs.length, 3, msgs.join('\n'));
    assert.ok(msgs[0].startsWith('a.md:5:16 '), msgs[0]);
    assert.ok(msgs[1].startsWith('b.md:2:1') && msgs[1].includes('00 to 99'), msgs[1]);
    assert.ok(msgs[2].startsWith('c.md:3:'), msgs[2]);
  });

  it('invalid-frontmatter: a DDX block, id or depends_on that holds no id, on its key; empty and numeric are fine', async () => {
    const c = await check({
      'a.md': '---\nddx:\n  id: [a, b]\n  depends_on: {x: y}\n---\n# A\n',
      'b.md': '---\nddx: "just a string"\n---\n# B\n',
      'c.md': '---\nddx:\n  id: 123\n  depends_on: ~\n---\n# C\n',
      // Ids grouped in a list in the list are read; `true` is no id.
      'd.md': '---\nddx:\n  id: D\n  depends_on: [123, [x, y], true]\n---\n# D\n',
      // An unquoted wikilink is a list in a list to YAML: a link, not a wrong shape.
      'g.md': '---\nddx:\n  id: G\n  depends_on: [[D]]\n---\n# G\n',
      'h.md': '---\nddx:\n  id: H\n  depends_on:\n    - [[D]]\n    - [[G]]\n---\n# H\n',
      'e.md': '---\nddx: {id: {x: 1}, depends_on: true}\n---\n# E\n',
      'f.md': '---\nphase: 150\nddx:\n  id: [F]\n---\n# F\n',
    });
    assert.deepEqual(c.of('invalid-frontmatter'), [
      'a.md:3:3 `ddx.id` must be one id, not a list: the document has no id.',
      'a.md:4:3 `ddx.depends_on` must be an id or a list of ids, not a mapping: no dependency is read.',
      'b.md:2:1 `ddx` must be a mapping of DDX fields (`id`, `depends_on`, …), not the text "just a string": none of it is read.',
      'd.md:4:3 `ddx.depends_on` must list ids, but item 3 is true: it is not read.',
      'e.md:2:7 `ddx.id` must be one id, not a mapping: the document has no id.',
      'e.md:2:19 `ddx.depends_on` must be an id or a list of ids, not true: no dependency is read.',
      // the DDX problem does not hide the phase's
      "f.md:2:1 `phase` must be a phase number from 00 to 99 or a phase's name, not 150.",
      'f.md:4:3 `ddx.id` must be one id, not a list: the document has no id.',
    ]);
    // A number is the id as written; `depends_on: ~` is no dependency.
    const ddx = c.analysis.index.get(c.ws.uri('c.md'))?.doc.ddx;
    assert.equal(ddx?.id?.id, '123');
    assert.deepEqual(ddx?.dependsOn, []);
    assert.deepEqual(
      c.analysis.index.get(c.ws.uri('d.md'))?.doc.ddx?.dependsOn.map((d) => d.id),
      ['123', 'x', 'y'],
    );
  });

  it('invalid-frontmatter: an unquoted template placeholder in `phase` is named so, and is no finding in a template', async () => {
    const doc = '# {{Name}} Phase\n\n---\nphase: {{NN}}\n---\n';
    const c = await check({
      'templates/phase.md': doc,
      'templates/reports/phase.md': doc,
      'wf/notes.md': doc,
      'wf/other.md': '---\nphase: {a: 1}\n---\n# O\n',
    });
    assert.deepEqual(c.of('invalid-frontmatter'), [
      "wf/notes.md:4:1 `phase` is a template's placeholder left unfilled ({{NN}}): write the phase's number (00 to 99) or name.",
      'wf/other.md:2:1 `phase` must be a phase number from 00 to 99 or a phase\'s name, not {"a":1}.',
    ]);
  });

  it('invalid-frontmatter: a block left open ends before the first heading, so the criteria still count', async () => {
    const c = await check({
      'w/01-diagnose.md':
        '# Diagnose Phase\n---\nphase: "01"\nname: Diagnose\n\n## Entry Criteria\n\n- [ ] a\n- [x] b\n\n## Exit Criteria\n\n- [ ] c\n',
      'w/02-treat.md': '---\nddx:\n  id: T2\nphase: "02"\n## Exit Criteria\n\n- [x] d\n',
    });
    assert.deepEqual(c.of('invalid-frontmatter'), [
      'w/01-diagnose.md:2:1 The metadata block has no closing `---` line.',
      'w/02-treat.md:1:1 The metadata block has no closing `---` line.',
    ]);
    const [w] = c.analysis.workflows();
    const phases = w.phases.map((p) => [
      p.phase?.id,
      p.phase?.name,
      p.groups.map((g) => `${g.heading} ${g.checked}/${g.total}`),
    ]);
    assert.deepEqual(phases, [
      ['01', 'Diagnose', ['Entry Criteria 1/2', 'Exit Criteria 0/1']],
      ['02', 'Treat', ['Exit Criteria 1/1']],
    ]);
    // The YAML before the heading is still read.
    assert.equal(c.analysis.index.get(c.ws.uri('w/02-treat.md'))?.doc.ddx?.id?.id, 'T2');
  });

  it('malformed-checkbox: each malformed kind with an exact fix', async () => {
    const c = await check({ 'a.md': '# A\n\n- [] one\n- [ x] two\n-[ ] three\n\n[x] four\n\n- [ ] fine\n' });
    assert.deepEqual(
      c.of('malformed-checkbox').map((s) => s.split(' ')[0]),
      ['a.md:3:1', 'a.md:4:1', 'a.md:5:1', 'a.md:7:1'],
    );
    const fixes = c.findings.filter((f) => f.code === 'malformed-checkbox').map((f) => f.fixes![0]);
    assert.deepEqual(
      fixes.map((f) => (f.kind === 'edit' ? f.edits[0].newText : '')),
      ['- [ ]', '- [x]', '- [ ]', '- [x]'],
    );
  });

  it('malformed-checkbox: a box GFM does not read glued to its text, under criteria only (`- []byte` is Go)', async () => {
    const body = '- [x] a\n- []Security review\n- [ x]Legal\n';
    for (const parser of ['fast', 'remark']) {
      const c = await check(
        {
          'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '01', body: `## Exit Criteria\n\n${body}` }),
          'README.md':
            '# fastbuf\n\n## Supported types\n\n- []byte slices are copied once\n- [ x]Legacy mode\n',
        },
        { 'cdp.parser': parser },
      );
      const found = c.findings.filter((f) => f.code === 'malformed-checkbox');
      // on the phase's two glued boxes only, not on the README's Go types
      assert.deepEqual(
        found.map((f) => [f.uri.endsWith('/wf/01-plan.md'), (f.fixes![0] as { title: string }).title]),
        [
          [true, 'Change to `- [ ] `'],
          [true, 'Change to `- [x] `'],
        ],
        parser,
      );
      assert.match(found[0].message, /is not a box GFM reads .* its group cannot pass/);
    }
  });

  it('malformed-checkbox: a no-break, ideographic or zero-width space in the box keeps its group from passing', async () => {
    const body =
      '- [x] done\n- [\u00a0] nbsp\n- [\u3000] ideographic\n- [\u200b] zero-width\n- [x\u2003] em\n';
    const text = phaseDoc({ title: 'Diagnose', phase: '01', body: `## Exit Criteria\n\n${body}` });
    for (const parser of ['fast', 'remark']) {
      const c = await check({ 'wf/01-diagnose.md': text }, { 'cdp.parser': parser });
      const found = c.findings.filter((f) => f.code === 'malformed-checkbox');
      const lines = text.split('\n');
      assert.deepEqual(
        found.map((f) => [
          lines[f.range.start.line].slice(f.range.end.character).trim(),
          (f.fixes![0] as { title: string }).title,
        ]),
        [
          ['nbsp', 'Change to `- [ ]`'],
          ['ideographic', 'Change to `- [ ]`'],
          ['zero-width', 'Change to `- [ ]`'],
          ['em', 'Change to `- [x]`'],
        ],
        parser,
      );
      assert.match(
        found[0].message,
        /a space inside the brackets that GFM does not read .* its group cannot pass/,
      );
      const group = c.analysis.workflows()[0].phases[0].groups[0];
      assert.equal(group.malformed, 4, parser);
      assert.equal(group.passed, false, parser);
      // Each fix makes a task item of its line.
      for (const f of found) {
        const fix = f.fixes![0];
        assert.ok(fix.kind === 'edit');
        const e = fix.edits[0];
        const fixedLines = [...lines];
        const line = fixedLines[e.range.start.line];
        fixedLines[e.range.start.line] =
          line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
        const fixed = await check({ 'wf/01-diagnose.md': fixedLines.join('\n') }, { 'cdp.parser': parser });
        const tasks = fixed.analysis.index
          .get(fixed.ws.uri('wf/01-diagnose.md'))!
          .doc.tasks.map((t) => t.line);
        assert.ok(tasks.includes(e.range.start.line), `${parser}: fix of line ${e.range.start.line + 1}`);
      }
    }
  });

  it('malformed-checkbox: both parsers report it, and every fix makes a task item', async () => {
    const text =
      '# A\n\n' +
      // A bullet and an ordered item numbered 1 may interrupt a paragraph: reported.
      'Some text\n-[x] bullet\n\nSome text\n1)[ ] one\n\n' +
      // Another number may not, nor may a line indented as code: no task would come of it.
      'Some text\n2)[x] two\n\nSome text\n    -[x] indented\n\n' +
      // Nothing open before it: any number starts a list.
      '2)[x] fresh\n\n' +
      // Fixed, the line would start an item whose text the `---` makes a setext heading:
      // no task either (as it stands, the `---` is a thematic break in the first item).
      '- [x] a\n  - [  ]\n-[ ] heading\n  ---\n';
    for (const parser of ['fast', 'remark']) {
      const c = await check({ 'a.md': text }, { 'cdp.parser': parser });
      const found = c.findings.filter((f) => f.code === 'malformed-checkbox');
      assert.deepEqual(
        found.map((f) => f.range.start.line + 1),
        [4, 7, 15, 18],
        parser,
      );
      for (const f of found) {
        const fix = f.fixes![0];
        assert.ok(fix.kind === 'edit');
        const lines = text.split('\n');
        const e = fix.edits[0];
        const line = lines[e.range.start.line];
        if (line.slice(e.range.end.character).trim() === '') continue; // a box alone is no task
        lines[e.range.start.line] =
          line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
        const fixed = await check({ 'a.md': lines.join('\n') }, { 'cdp.parser': parser });
        const tasks = fixed.analysis.index.get(fixed.ws.uri('a.md'))!.doc.tasks.map((t) => t.line);
        assert.ok(tasks.includes(e.range.start.line), `${parser}: fix of line ${e.range.start.line + 1}`);
      }
    }
  });

  it('out-of-order: checked items while an earlier phase has an unmet exit or gate group', async () => {
    const c = await check(chain({ '01-plan': { entry: true, exit: true }, '03-ship': { entry: true } }));
    const msgs = c.of('out-of-order');
    assert.equal(msgs.length, 1, msgs.join('\n'));
    assert.ok(msgs[0].startsWith('wf/03-ship.md') && msgs[0].includes('phase 01'), msgs[0]);
    const ok = await check(
      chain({ '01-plan': { entry: true, exit: true, gate: true }, '02-build': { entry: true } }),
    );
    assert.deepEqual(ok.of('out-of-order'), []);
  });

  it('out-of-order: every earlier phase with unmet groups is named, with related information for each', async () => {
    const c = await check(chain({ '03-ship': { entry: true } }));
    assert.deepEqual(c.of('out-of-order'), [
      'wf/03-ship.md:11:1 Work is checked off in phase 03 while phase 01 (plan) still has 2 unmet exit or gate groups: Exit Criteria 0/2, Sign-off Gate 0/1 (and 1 more earlier phase with unmet groups: 02 build).',
    ]);
    const f = c.findings.find((x) => x.code === 'out-of-order')!;
    assert.deepEqual(
      f.related!.map((r) => [r.uri.slice(r.uri.lastIndexOf('/') + 1), r.range.start.line + 1, r.message]),
      [
        ['01-plan.md', 13, 'Exit Criteria: 0/2'],
        ['01-plan.md', 20, 'Sign-off Gate: 0/1'],
        ['02-build.md', 14, 'Exit Criteria: 0/2 (phase 02 build)'],
        ['02-build.md', 21, 'Sign-off Gate: 0/1 (phase 02 build)'],
      ],
    );
    // 01 met: the warning names 02 alone.
    const later = await check(chain({ '01-plan': { exit: true, gate: true }, '03-ship': { entry: true } }));
    assert.deepEqual(later.of('out-of-order'), [
      'wf/03-ship.md:11:1 Work is checked off in phase 03 while phase 02 (build) still has 2 unmet exit or gate groups: Exit Criteria 0/2, Sign-off Gate 0/1.',
    ]);
  });

  it('empty-gate: a gate heading with no items, only in phase documents', async () => {
    const c = await check({
      '01-x.md': phaseDoc({
        title: 'X',
        phase: '01',
        body: '### Security Sign-off Gate\n\nText only.\n\n### Other Gate\n\n- [ ] a\n',
      }),
      'notes.md': '# Notes\n\n### Pre-Release Gate\n\n- plain bullet\n',
    });
    assert.deepEqual(
      c.of('empty-gate').map((s) => s.split(' ')[0]),
      ['01-x.md:7:5'],
    );
  });

  it('unmet-criterion: current phase and started phases only; untouched phases stay quiet', async () => {
    const c = await check(
      chain({ '01-plan': { entry: true, exit: true, gate: true }, '02-build': { entry: true } }),
    );
    const msgs = c.of('unmet-criterion');
    // 02 is current (and started): 2 exit + 1 gate unmet; 03 untouched: quiet.
    assert.equal(msgs.length, 3, msgs.join('\n'));
    assert.ok(msgs.every((m) => m.startsWith('wf/02-build.md')));
    assert.ok(
      c.findings.filter((f) => f.code === 'unmet-criterion').every((f) => f.severity === 'information'),
    );
    const fresh = await check(chain({}));
    assert.ok(fresh.of('unmet-criterion').every((m) => m.startsWith('wf/01-plan.md')));
    assert.equal(fresh.of('unmet-criterion').length, 4);
  });

  it('keeps workflow instances current when a box is ticked (no stale entries)', async () => {
    const c = await check(chain({}));
    const uri = c.ws.uri('wf/01-plan.md');
    const before = c.analysis.index.get(uri)!;
    const text = c.ws.files.get(uri)!.replace('- [ ] enter 01-plan', '- [x] enter 01-plan');
    c.analysis.index.set(uri, text);
    const after = c.analysis.index.get(uri)!;
    assert.notEqual(before, after);
    const findings = c.analysis.check(after);
    assert.deepEqual(
      findings.filter((f) => f.code === 'duplicate-phase'),
      [],
    );
    assert.equal(c.analysis.workflowOf(uri)!.phases[0], after);
    assert.equal(c.analysis.workflowOf(uri)!.phases[0].groups[0].checked, 1);
  });

  it('every rule can be turned off or given another severity', async () => {
    const files = { 'a.md': '[[nope]]\n\n- [] x\n' };
    const off = await check(files, { cdp: { rules: { 'broken-link': 'off' } } });
    assert.equal(off.of('broken-link').length, 0);
    assert.equal(off.of('malformed-checkbox').length, 1);
    const err = await check(files, { 'cdp.rules.malformed-checkbox': 'error' });
    assert.equal(err.findings.find((f) => f.code === 'malformed-checkbox')!.severity, 'error');
  });
});

describe('TOML front matter (+++)', () => {
  const toml = [
    '+++',
    'title = "Frame"',
    'phase = "01"',
    'next_phase = "[[02-design]]"',
    '[[menu.main]]',
    'name = "Frame"',
    '- [ ] not a task',
    '+++',
    '',
    '# Frame',
    '',
    'Body [[frame-notes]].',
    '',
  ].join('\n');

  for (const parser of ['fast', 'remark'] as const) {
    it(`is not read, and says so at most as a warning on its opening line; its lines are no body (${parser})`, async () => {
      const files = { 'docs/frame.md': toml, 'docs/frame-notes.md': '# Notes\n' };
      const c = await check(files, { 'cdp.parser': parser });
      assert.deepEqual(
        c.findings.map((f) => [f.code, f.severity, f.range.start.line, f.range.end.character]),
        [['invalid-frontmatter', 'warning', 0, 3]],
      );
      assert.match(c.findings[0].message, /TOML front matter .* not read.*YAML between `---` lines/);
      const doc = c.analysis.index.get(c.ws.uri('docs/frame.md'))!.doc;
      // Nothing of it is metadata, a link, a task or the title.
      assert.deepEqual(doc.metadata.data, {});
      assert.deepEqual(
        doc.links.map((l) => l.target),
        ['frame-notes'],
      );
      assert.deepEqual(doc.tasks, []);
      assert.equal(doc.title?.text, 'Frame');
      assert.equal(doc.title?.line, 9);
      // A rule set to error keeps it a warning; lower settings and off apply.
      const sev = async (s: string) =>
        (
          await check(files, { 'cdp.parser': parser, 'cdp.rules': { 'invalid-frontmatter': s } })
        ).findings.map((f) => f.severity);
      assert.deepEqual(await sev('error'), ['warning']);
      assert.deepEqual(await sev('information'), ['information']);
      assert.deepEqual(await sev('off'), []);
    });
  }

  it('a Hugo page whose TOML holds nothing the checker reads is not told; its lines are still no body', async () => {
    const hugo =
      '+++\ntitle = "Install"\ndate = 2024-01-01\nweight = 2\ntags = ["a"]\n[[menu.main]]\nname = "Install"\n+++\n\n# Install\n';
    const withId = '+++\ntitle = "Spec"\n[ddx]\nid = "FEAT-1"\n+++\n# Spec\n';
    const dotted = '+++\nddx.id = "FEAT-2"\n+++\n# Spec\n';
    const params = '+++\ntitle = "Beta"\n[params]\nphase = "beta"\n+++\n# Beta\n';
    const quoted = '+++\n"phase" = "05"\n+++\n# Five\n';
    const history = '+++\ntitle = "x"\n[[ddx.history]]\nat = 1\n+++\n# X\n';
    const c = await check({
      'content/install.md': hugo,
      'content/spec.md': withId,
      'content/dotted.md': dotted,
      'content/params.md': params,
      'content/quoted.md': quoted,
      'content/history.md': history,
    });
    assert.deepEqual(
      c.of('invalid-frontmatter').map((f) => f.slice(0, f.indexOf(':'))),
      ['content/dotted.md', 'content/history.md', 'content/quoted.md', 'content/spec.md'],
    );
    const doc = c.analysis.index.get(c.ws.uri('content/install.md'))!.doc;
    assert.deepEqual(doc.links, []);
    assert.equal(doc.title?.line, 9);
  });

  it('only a closed block at the very top is TOML front matter', async () => {
    const c = await check({
      'a.md': '# A\n\n+++\nx = 1\n+++\n',
      'b.md': '+++\nnever closed\n',
      'c.md': '---\ntitle: "YAML"\n---\n+++\n',
    });
    assert.deepEqual(c.of('invalid-frontmatter'), []);
  });
});

describe('front matter above a metadata block after the title', () => {
  const front = (keys: string) =>
    `---\n${keys}---\n# Prescribe Phase\n\n---\nphase: 02\nname: "Prescribe v2"\nnext_phase: "[[03-treat]]"\nartifacts: ["[[plan]]"]\n---\n\n## Exit Criteria\n\n- [ ] Plan approved\n`;

  for (const parser of ['fast', 'remark'] as const) {
    it(`reads the block after the title when the front matter holds nothing read (${parser})`, async () => {
      const c = await check(
        { 'cyc/02-prescribe.md': front('status: draft\ntitle: x\n'), 'cyc/03-treat.md': '# T\n' },
        { 'cdp.parser': parser },
      );
      const e = c.analysis.index.get(c.ws.uri('cyc/02-prescribe.md'))!;
      assert.equal(e.phase?.name, 'Prescribe v2');
      assert.deepEqual(
        e.doc.links.map((l) => [l.key, l.target]),
        [
          ['next_phase', '03-treat'],
          ['artifacts', 'plan'],
        ],
      );
      // Neither block is a heading of the outline (remark read it as a setext heading).
      assert.deepEqual(
        e.doc.headings.map((h) => h.text),
        ['Prescribe Phase', 'Exit Criteria'],
      );
      assert.deepEqual(c.of('invalid-frontmatter'), []);
      assert.deepEqual(c.of('missing-artifact').length, 1);
    });

    it(`reads the front matter when it holds keys read, and says the block after the title is not (${parser})`, async () => {
      const c = await check({ 'cyc/02-prescribe.md': front('aliases: [Rx]\n') }, { 'cdp.parser': parser });
      assert.deepEqual(c.of('invalid-frontmatter'), [
        "cyc/02-prescribe.md:6:1 This metadata block after the title is not read: the front matter above it (line 1) holds the document's metadata. Move its keys into the front matter.",
      ]);
      const e = c.analysis.index.get(c.ws.uri('cyc/02-prescribe.md'))!;
      assert.deepEqual(
        e.doc.headings.map((h) => h.text),
        ['Prescribe Phase', 'Exit Criteria'],
      );
      assert.deepEqual(e.doc.links, []);
    });
  }
});

describe('metadata keys written in capitals', () => {
  it('a key the checker reads written capitalised is said not to be read, on the key', async () => {
    const c = await check({
      'cyc/diagnose.md':
        '---\nPhase: 1\nNext_Phase: "[[prescribe]]"\nName: Diagnose\nTemplate: page\n---\n# Diagnose\n',
      'cyc/prescribe.md': '---\nphase: 2\nPhase: 2\n---\n# Prescribe\n',
    });
    assert.deepEqual(c.of('invalid-frontmatter'), [
      'cyc/diagnose.md:2:1 `Phase` is not read: metadata keys are lower case; write `phase`.',
      'cyc/diagnose.md:3:1 `Next_Phase` is not read: metadata keys are lower case; write `next_phase`.',
    ]);
  });

  it("leaves another tool's capitalised fields alone: values that are no phase, link or id", async () => {
    const c = await check({
      'notes/roadmap.md':
        '---\ntitle: Roadmap\nPhase: Beta\nStatus: In progress\nArtifacts: Slides, demo\nDepends_On: budget approval\n---\n# Roadmap\n',
      'notes/next.md': '---\nNext_Phase: [[02-build]]\nDepends_On: [FEAT-1]\n---\n# Next\n',
    });
    assert.deepEqual(c.of('invalid-frontmatter'), [
      'notes/next.md:2:1 `Next_Phase` is not read: metadata keys are lower case; write `next_phase`.',
      'notes/next.md:3:1 `Depends_On` is not read: metadata keys are lower case; write `depends_on`.',
    ]);
  });
});
