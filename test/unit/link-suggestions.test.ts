// What a broken link says it most likely meant, and the fix that writes that: the heading
// of the linked document a missing `#heading` is near (broken-heading), the document whose
// file name a markdown link's path writes otherwise (broken-link).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/core/types';
import { applyText } from '../helpers/disk-edits';
import { check } from '../helpers/memory-workspace';

/** The document `rel` of `files` with each finding's first fix applied on its own: one text per finding. */
function fixed(files: Record<string, string>, rel: string, found: Finding[]): (string | undefined)[] {
  return found.map((f) => {
    const fix = f.fixes?.[0];
    if (fix?.kind !== 'edit') return undefined;
    assert.ok(fix.uri.endsWith(`/${rel}`), 'the fix edits the linking document');
    return applyText(files[rel], fix.edits);
  });
}

const prescribe = '# Prescribe\n\n## Entry Criteria\n\n## Exit Criteria\n\n## Exit Review\n\n## Notes\n';

describe('broken-heading: the heading meant', () => {
  it('names the one heading near the written one, and the fix writes only the anchor', async () => {
    const body = [
      '# Diagnose',
      '',
      '[bad](02-prescribe.md#exit-criterium "T") [pre](<02-prescribe.md#ent>) [[02-prescribe#Entry Criterion|the entry]]',
      '[n](02-prescribe.md#note) [[02-prescribe#  Notse ]] [[#Scope]] [[#Scop]]',
      '',
      '## Scope',
      '',
    ].join('\n');
    const files = { 'cdp/01-diagnose.md': body, 'cdp/02-prescribe.md': prescribe };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-heading');
    assert.deepEqual(
      found.map((f) => f.message),
      [
        '[bad](02-prescribe.md#exit-criterium "T"): "cdp/02-prescribe.md" has no heading "exit-criterium" — did you mean "#exit-criteria" (heading "Exit Criteria")?',
        '[pre](<02-prescribe.md#ent>): "cdp/02-prescribe.md" has no heading "ent" — did you mean "#entry-criteria" (heading "Entry Criteria")?',
        '[[02-prescribe#Entry Criterion|the entry]]: "cdp/02-prescribe.md" has no heading "Entry Criterion" — did you mean "Entry Criteria"?',
        '[n](02-prescribe.md#note): "cdp/02-prescribe.md" has no heading "note" — did you mean "#notes" (heading "Notes")?',
        '[[02-prescribe#  Notse ]]: "cdp/02-prescribe.md" has no heading "Notse" — did you mean "Notes"?',
        '[[#Scop]]: this document has no heading "Scop" — did you mean "Scope"?',
      ],
    );
    const line = (t: string | undefined) => t?.split('\n')[2];
    const texts = fixed(files, 'cdp/01-diagnose.md', found);
    assert.deepEqual(texts.slice(0, 3).map(line), [
      '[bad](02-prescribe.md#exit-criteria "T") [pre](<02-prescribe.md#ent>) [[02-prescribe#Entry Criterion|the entry]]',
      '[bad](02-prescribe.md#exit-criterium "T") [pre](<02-prescribe.md#entry-criteria>) [[02-prescribe#Entry Criterion|the entry]]',
      '[bad](02-prescribe.md#exit-criterium "T") [pre](<02-prescribe.md#ent>) [[02-prescribe#Entry Criteria|the entry]]',
    ]);
    assert.deepEqual(
      texts.slice(3).map((t) => t?.split('\n')[3]),
      [
        '[n](02-prescribe.md#notes) [[02-prescribe#  Notse ]] [[#Scope]] [[#Scop]]',
        '[n](02-prescribe.md#note) [[02-prescribe#  Notes ]] [[#Scope]] [[#Scop]]',
        '[n](02-prescribe.md#note) [[02-prescribe#  Notse ]] [[#Scope]] [[#Scope]]',
      ],
    );
    assert.ok(
      found.every((f) => f.fixes?.length === 1 && f.fixes[0].kind === 'edit' && f.fixes[0].preferred),
    );
    // Each fixed text links the heading: checked again, nothing of it is reported.
    for (const t of texts) {
      const again = await check({ ...files, 'cdp/01-diagnose.md': t! });
      assert.equal(again.of('broken-heading').length, found.length - 1);
    }
  });

  it('names a heading with markup by its words as shown, and a wikilink fix writes them', async () => {
    const files = {
      'cdp/02-prescribe.md': '# Prescribe\n\n## **Exit** Criteria\n',
      'cdp/notes.md': 'C [[02-prescribe#Exit Criterion]] bold.\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-heading');
    // (it said, and wrote, "**Exit** Criteria")
    assert.deepEqual(
      found.map((f) => f.message),
      [
        '[[02-prescribe#Exit Criterion]]: "cdp/02-prescribe.md" has no heading "Exit Criterion" — did you mean "Exit Criteria"?',
      ],
    );
    const [text] = fixed(files, 'cdp/notes.md', found);
    assert.equal(text, 'C [[02-prescribe#Exit Criteria]] bold.\n');
    // A markdown link's anchor written encoded is written encoded (it was decoded).
    const enc = {
      'cdp/02-prescribe.md': '# Prescribe\n\n## Über Ziele\n',
      'cdp/notes.md': 'C [e](02-prescribe.md#%C3%BCber-zile) enc.\n',
    };
    const e = await check(enc);
    const [encoded] = fixed(
      enc,
      'cdp/notes.md',
      e.findings.filter((f) => f.code === 'broken-heading'),
    );
    assert.equal(encoded, 'C [e](02-prescribe.md#%C3%BCber-ziele) enc.\n');
    assert.deepEqual((await check({ ...files, 'cdp/notes.md': text! })).of('broken-heading'), []);
  });

  it('names the anchor to write for a markdown link written percent-encoded or in other case', async () => {
    const files = {
      'r.md': '# R\n\n## Go or No-Go\n\n## Über Plan\n',
      'n.md': '# N\n\n[b](r.md#go%20or%20no-go) [e](r.md#Über%20Plan) [[r#Uber Plam]]\n',
    };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-heading');
    // (it said `has no heading "Über Plan" — did you mean "Über Plan"?`)
    assert.deepEqual(
      found.map((f) => f.message),
      [
        '[b](r.md#go%20or%20no-go): "r.md" has no heading "go or no-go" — did you mean "#go-or-no-go" (heading "Go or No-Go")?',
        '[e](r.md#Über%20Plan): "r.md" has no heading "Über Plan" — did you mean "#über-plan" (heading "Über Plan")?',
        '[[r#Uber Plam]]: "r.md" has no heading "Uber Plam" — did you mean "Über Plan"?',
      ],
    );
    // The anchor named is the one the fix writes.
    assert.deepEqual(
      fixed(files, 'n.md', found).map((t) => t?.split('\n')[2]),
      [
        '[b](r.md#go-or-no-go) [e](r.md#Über%20Plan) [[r#Uber Plam]]',
        '[b](r.md#go%20or%20no-go) [e](r.md#über-plan) [[r#Uber Plam]]',
        '[b](r.md#go%20or%20no-go) [e](r.md#Über%20Plan) [[r#Über Plan]]',
      ],
    );
  });

  it('says nothing of a heading when none is near, or two are as near', async () => {
    const files = {
      'cdp/01-diagnose.md':
        '# Diagnose\n\n[a](02-prescribe.md#exit) [b](02-prescribe.md#budget) [[02-prescribe#Ex]] [[02-prescribe#Exit Criteria Review]]\n',
      'cdp/02-prescribe.md': prescribe,
    };
    const c = await check(files);
    assert.deepEqual(c.of('broken-heading'), [
      'cdp/01-diagnose.md:3:21 [a](02-prescribe.md#exit): "cdp/02-prescribe.md" has no heading "exit".',
      'cdp/01-diagnose.md:3:47 [b](02-prescribe.md#budget): "cdp/02-prescribe.md" has no heading "budget".',
      'cdp/01-diagnose.md:3:70 [[02-prescribe#Ex]]: "cdp/02-prescribe.md" has no heading "Ex".',
      'cdp/01-diagnose.md:3:90 [[02-prescribe#Exit Criteria Review]]: "cdp/02-prescribe.md" has no heading "Exit Criteria Review".',
    ]);
    assert.ok(c.findings.every((f) => f.code !== 'broken-heading' || f.fixes === undefined));
  });

  it('a prefix of one heading alone is that heading', async () => {
    const files = {
      'cdp/01-diagnose.md':
        '# Diagnose\n\n[bad](01-diagnose.md#exit) [[02-prescribe#Entry Criterion]]\n\n## Exit Criteria\n',
      'cdp/02-prescribe.md': '# Prescribe\n\n## Entry Criteria\n',
    };
    const c = await check(files);
    assert.deepEqual(c.of('broken-heading'), [
      'cdp/01-diagnose.md:3:22 [bad](01-diagnose.md#exit): this document has no heading "exit" — did you mean "#exit-criteria" (heading "Exit Criteria")?',
      'cdp/01-diagnose.md:3:43 [[02-prescribe#Entry Criterion]]: "cdp/02-prescribe.md" has no heading "Entry Criterion" — did you mean "Entry Criteria"?',
    ]);
    const texts = fixed(
      files,
      'cdp/01-diagnose.md',
      c.findings.filter((f) => f.code === 'broken-heading'),
    );
    assert.deepEqual(
      texts.map((t) => t?.split('\n')[2]),
      [
        '[bad](01-diagnose.md#exit-criteria) [[02-prescribe#Entry Criterion]]',
        '[bad](01-diagnose.md#exit) [[02-prescribe#Entry Criteria]]',
      ],
    );
  });
});

describe('broken-link: a file name written otherwise', () => {
  const statement = '# Problem Statement\n';

  it('names the document whose name is written with other spaces, case or separators, and the fix writes its name', async () => {
    const body = [
      '# Diagnose',
      '',
      '- [ ] A: [ps](artifacts/problem-statement.md)',
      '- [ ] B: [ps](<./artifacts/problem_statement.md#goals> "T")',
      '- [ ] C: [ps](artifacts/Problem-Statement)',
      '',
    ].join('\n');
    const files = { 'cdp/01-diagnose.md': body, 'cdp/artifacts/Problem Statement.md': statement };
    const c = await check(files);
    const found = c.findings.filter((f) => f.code === 'broken-link');
    const hint = '(a document "artifacts/Problem Statement.md" has this name written otherwise)';
    assert.deepEqual(
      found.map((f) => f.message),
      [
        `[ps](artifacts/problem-statement.md) does not resolve: no document at that path ${hint}.`,
        `[ps](<./artifacts/problem_statement.md#goals> "T") does not resolve: no document at that path ${hint}.`,
        `[ps](artifacts/Problem-Statement) does not resolve: no such file, nor a folder holding files, in the workspace folder ${hint}.`,
      ],
    );
    const texts = fixed(files, 'cdp/01-diagnose.md', found);
    assert.deepEqual(
      texts.map((t, i) => t?.split('\n')[2 + i]),
      [
        '- [ ] A: [ps](artifacts/Problem%20Statement.md)',
        '- [ ] B: [ps](<./artifacts/Problem Statement.md#goals> "T")',
        '- [ ] C: [ps](artifacts/Problem%20Statement)',
      ],
    );
    assert.ok(found.every((f) => f.fixes?.[0]?.kind === 'edit' && f.fixes[0].preferred));
    // Fixed, the link reaches the document.
    for (const t of texts) {
      const again = await check({ ...files, 'cdp/01-diagnose.md': t! });
      assert.equal(again.of('broken-link').length, found.length - 1);
    }
  });

  it('says nothing of it when two documents match, or the one that does is in another folder', async () => {
    const two = await check({
      'cdp/01-diagnose.md': '# Diagnose\n\n[ps](artifacts/problem-statement.md)\n',
      'cdp/artifacts/Problem Statement.md': statement,
      'cdp/artifacts/problem_statement.md': statement,
    });
    assert.deepEqual(two.of('broken-link'), [
      'cdp/01-diagnose.md:3:1 [ps](artifacts/problem-statement.md) does not resolve: no document at that path.',
    ]);
    const elsewhere = await check({
      'cdp/01-diagnose.md': '# Diagnose\n\n[ps](artifacts/problem-statement.md)\n',
      'cdp/other/Problem Statement.md': statement,
    });
    assert.deepEqual(elsewhere.of('broken-link'), [
      'cdp/01-diagnose.md:3:1 [ps](artifacts/problem-statement.md) does not resolve: no document at that path.',
    ]);
  });
});
