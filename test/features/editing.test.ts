// Rename, file moves, code actions and the custom requests, called in-process on an
// in-memory workspace (the map is the disk; documents are open only when a test opens
// them): no server process. test/lsp/features-smoke.test.ts asks each over stdio.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  Location,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { requests as renameRequests } from '../../server/src/features/rename';
import type { CheckGateResult, ToggleCriterionResult, WorkflowsResult } from '../../server/src/protocol';
import { applyText, posOf } from '../helpers/disk-edits';
import { featureContext, type InProcess } from '../helpers/feature-context';
import { check, phaseDoc } from '../helpers/memory-workspace';
import { cycleRelease, NEWER_RELEASE, OLDER_RELEASE, RELEASE_CYCLES } from '../helpers/release-cycles';
import { CAPABILITIES } from '../lsp/client';

/** The features over `files`, in-process, with the test client's capabilities (or `capabilities`). */
async function start(files: Record<string, string>, capabilities: ClientCapabilities = CAPABILITIES) {
  const client = await featureContext(files, { capabilities, openAll: false });
  return { client, uri: client.uri, rel: client.rel };
}

/**
 * Applies a WorkspaceEdit to `files` (folder-relative path → text) the way an editor
 * does: text edits in order, refusing stale versions, renames and creations that never
 * overwrite.
 */
function applyEdit(
  files: Record<string, string>,
  edit: WorkspaceEdit,
  rel: (u: string) => string,
  versions: Record<string, number> = {},
): Record<string, string> {
  const out = { ...files };
  const has = (r: string) => Object.keys(out).some((k) => k.toLowerCase() === r.toLowerCase());
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'rename') {
        const from = rel(change.oldUri);
        const to = rel(change.newUri);
        assert.equal(change.options?.overwrite, false);
        assert.ok(from in out, `${from} exists`);
        assert.ok(!has(to), `${to} does not exist yet`);
        out[to] = out[from];
        delete out[from];
      } else if (change.kind === 'create') {
        const to = rel(change.uri);
        assert.equal(change.options?.overwrite, false);
        assert.ok(!has(to), `${to} does not exist yet`);
        out[to] = '';
      } else assert.fail(`unexpected ${change.kind}`);
      continue;
    }
    const r = rel(change.textDocument.uri);
    assert.ok(r in out, `${r} exists`);
    assert.equal(change.textDocument.version, versions[r] ?? null, `version of ${r}`);
    out[r] = applyText(out[r], change.edits as { range: Range; newText: string }[]);
  }
  for (const [u, edits] of Object.entries(edit.changes ?? {})) out[rel(u)] = applyText(out[rel(u)], edits);
  return out;
}

/** Every link of the files resolves (checked with the core on the new texts). */
async function assertLinksResolve(files: Record<string, string>): Promise<void> {
  const c = await check(files);
  assert.deepEqual([...c.of('broken-link'), ...c.of('broken-heading'), ...c.of('ambiguous-link')], []);
}

function req<R>(client: InProcess, method: string, params: unknown): Promise<R> {
  return client.request<R>(method, params);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('the request was not refused');
}

const plan = phaseDoc({
  title: 'Plan',
  phase: '01',
  name: 'Plan',
  next: '02-build',
  body: '## Exit Criteria\n\n- [x] planned\n',
});
const build = phaseDoc({
  title: 'Build',
  phase: '02',
  name: 'Build',
  previous: '01-plan',
  body: '## Entry Criteria\n\n- [x] plan approved, see [[01-plan#Exit Criteria|the plan]]\n\n## Exit Criteria\n\n- [ ] built\n- [ ] tested\n',
});

describe('rename', () => {
  it('renames a linked document and updates every link to it, metadata and path links included', async () => {
    const files: Record<string, string> = {
      'wf/01-plan.md': plan,
      'wf/02-build.md': build,
      'notes/n.md': '# N\n\nSee [[02-build]], [[wf/02-build.md#Entry Criteria|entry]] and [[02-Build|b]].\n',
    };
    const { client, uri, rel } = await start(files);
    // An open, edited document: its edit must carry the editor's version.
    const planText = `${plan}\nMore.\n`;
    await client.open(uri('wf/01-plan.md'), plan);
    const v = await client.change(uri('wf/01-plan.md'), [
      {
        range: { start: posOf(plan, '- [x] planned\n', 14), end: posOf(plan, '- [x] planned\n', 14) },
        text: '\nMore.\n',
      },
    ]);
    files['wf/01-plan.md'] = planText;
    const pos = posOf(planText, '[[02-build]]', 4);
    const prep = await req<{ range: Range; placeholder: string }>(client, 'textDocument/prepareRename', {
      textDocument: { uri: uri('wf/01-plan.md') },
      position: pos,
    });
    assert.equal(prep.placeholder, '02-build');
    assert.deepEqual(prep.range, { start: posOf(planText, '02-build]]'), end: posOf(planText, ']]', 0, 0) });
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('wf/01-plan.md') },
      position: pos,
      newName: '02-construct',
    });
    const changes = edit.documentChanges ?? [];
    const rename = changes.find((c) => 'kind' in c && c.kind === 'rename');
    assert.deepEqual(rename, {
      kind: 'rename',
      oldUri: uri('wf/02-build.md'),
      newUri: uri('wf/02-construct.md'),
      options: { overwrite: false, ignoreIfExists: false },
    });
    assert.equal(changes[changes.length - 1], rename, 'text edits come before the rename');
    const after = applyEdit(files, edit, rel, { 'wf/01-plan.md': v });
    assert.deepEqual(Object.keys(after).sort(), ['notes/n.md', 'wf/01-plan.md', 'wf/02-construct.md']);
    assert.match(after['wf/01-plan.md'], /next_phase: "\[\[02-construct\]\]"/);
    assert.equal(
      after['notes/n.md'],
      '# N\n\nSee [[02-construct]], [[wf/02-construct.md#Entry Criteria|entry]] and [[02-construct|b]].\n',
    );
    assert.equal(after['wf/02-construct.md'], build, 'the renamed document itself is unchanged');
    await assertLinksResolve(after);
    const c = await check(after);
    assert.deepEqual(c.of('phase-chain'), []);
  });

  it('renames a phase named by a bare chain value: bare while the new name reads as a phase name, else a quoted wikilink', async () => {
    const files: Record<string, string> = {
      'c/01-diagnose.md': '# D\n\n---\nphase: 01\nnext_phase: 02-prescribe # next\n---\n',
      'c/02-prescribe.md': '# P\n\n---\nphase: 02\nprevious_phase: "01-diagnose"\n---\n',
    };
    const { client, uri, rel } = await start(files);
    const text = files['c/01-diagnose.md'];
    const rename = (newName: string) =>
      req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('c/01-diagnose.md') },
        position: posOf(text, '02-prescribe', 3),
        newName,
      });
    const bare = applyEdit(files, await rename('02-plan'), rel);
    assert.equal(bare['c/01-diagnose.md'], text.replace('02-prescribe', '02-plan'));
    // (a bare `prescribe` would be no link: refused before, "1 links into 0")
    const plain = applyEdit(files, await rename('prescribe'), rel);
    assert.equal(plain['c/01-diagnose.md'], text.replace('02-prescribe', '"[[prescribe]]"'));
    assert.deepEqual(Object.keys(plain).sort(), ['c/01-diagnose.md', 'c/prescribe.md']);
    await assertLinksResolve(plain);
    const c = await check(plain);
    assert.deepEqual([...c.of('broken-link'), ...c.of('phase-chain')], []);
  });

  it('renames a heading and every link to it, in other documents and in its own', async () => {
    const a = '# A\n\n## Exit Criteria\n\n- [ ] done, see [[#Exit Criteria]]\n\n## Other\n';
    const files = {
      'a.md': a,
      'b.md': '# B\n\n[[a#exit criteria]] and [[a#Exit Criteria|exit]] and [[a#Other]].\n',
    };
    const { client, uri, rel } = await start(files);
    const pos = posOf(a, 'Exit Criteria', 2);
    const prep = await req<{ range: Range; placeholder: string }>(client, 'textDocument/prepareRename', {
      textDocument: { uri: uri('a.md') },
      position: pos,
    });
    assert.equal(prep.placeholder, 'Exit Criteria');
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('a.md') },
      position: pos,
      newName: 'Done Criteria',
    });
    assert.ok(!(edit.documentChanges ?? []).some((c) => 'kind' in c), 'no file operation');
    const after = applyEdit(files, edit, rel);
    assert.equal(
      after['a.md'],
      '# A\n\n## Done Criteria\n\n- [ ] done, see [[#Done Criteria]]\n\n## Other\n',
    );
    assert.equal(after['b.md'], '# B\n\n[[a#Done Criteria]] and [[a#Done Criteria|exit]] and [[a#Other]].\n');
    await assertLinksResolve(after);
    // Renaming from a link's heading part renames the same heading.
    const b = files['b.md'];
    const fromLink = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('b.md') },
      position: posOf(b, '#Other', 2),
      newName: 'Others',
    });
    assert.equal(applyEdit(files, fromLink, rel)['a.md'], a.replace('## Other', '## Others'));
    const clash = await refusal(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('a.md') },
        position: pos,
        newName: 'other',
      }),
    );
    assert.match(clash, /already has a heading "Other"/);
  });

  it('renames a heading to one holding "/" (an API contract\'s `POST /login`), links and anchors with it', async () => {
    const api = '# API\n\n## POST /login\n\nBody.\n';
    const files = {
      'api.md': api,
      'notes.md': '# N\n\n[[api#POST /login]] and [login](api.md#post-login).\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('api.md') },
      position: posOf(api, 'POST /login', 2),
      newName: 'POST /session',
    });
    const after = applyEdit(files, edit, rel);
    assert.equal(after['api.md'], api.replace('POST /login', 'POST /session'));
    assert.equal(after['notes.md'], '# N\n\n[[api#POST /session]] and [login](api.md#post-session).\n');
    await assertLinksResolve(after);
    // `#`, `|` and brackets are still refused: a link could not hold them.
    const refused = await refusal(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('api.md') },
        position: posOf(api, 'POST /login', 2),
        newName: 'POST #1',
      }),
    );
    assert.match(refused, /must not contain "#"/);
  });

  it('renames a heading to one with markup: wikilinks name it in plain words, in the body and in metadata', async () => {
    const target = '# Target\n\n## Use `x` here ###\n\nBody.\n';
    const files = {
      'target.md': target,
      'links.md':
        '---\ntags: ["[[target#Use x here]]"]\n---\n# L\n\n[[target#Use x here]] and [a](target.md#use-x-here).\n',
    };
    const { client, uri, rel } = await start(files);
    for (const [name, plain, anchor] of [
      ['Use `y` there', 'Use y there', 'use-y-there'],
      ['Go *Live* now', 'Go Live now', 'go-live-now'],
    ]) {
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('target.md') },
        position: posOf(target, 'Use `x`', 1),
        newName: name,
      });
      const after = applyEdit(files, edit, rel);
      assert.equal(after['target.md'], target.replace('Use `x` here', name), name);
      assert.equal(
        after['links.md'],
        `---\ntags: ["[[target#${plain}]]"]\n---\n# L\n\n[[target#${plain}]] and [a](target.md#${anchor}).\n`,
        name,
      );
      await assertLinksResolve(after);
    }
  });

  it('refuses a heading rename that would drop a link written in the heading, and says so', async () => {
    const t = '# T\n\n## Link [[other]] in heading\n\nSee [[#Link other in heading]].\n';
    const { client, uri } = await start({ 't.md': t, 'other.md': '# Other\n' });
    const message = await refusal(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('t.md') },
        position: posOf(t, 'Link [[', 1),
        newName: 'Linked Now',
      }),
    );
    assert.match(
      message,
      /it would replace the link \[\[other\]\] on line 3, written in the text it renames/,
    );
  });

  it('renames a title: the heading, the file (slug of the title) and the links', async () => {
    const doc = '# Release Plan\n\nText.\n';
    const files = {
      'wf/release-plan.md': doc,
      'wf/other.md':
        '# Other\n\n[[release-plan]] [[Release Plan#Release Plan|the plan]] [[wf/release-plan]]\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('wf/release-plan.md') },
      position: posOf(doc, 'Plan'),
      newName: 'Launch Plan',
    });
    const after = applyEdit(files, edit, rel);
    assert.deepEqual(Object.keys(after).sort(), ['wf/launch-plan.md', 'wf/other.md']);
    assert.equal(after['wf/launch-plan.md'], '# Launch Plan\n\nText.\n');
    assert.equal(
      after['wf/other.md'],
      // a readable link stays readable
      '# Other\n\n[[launch-plan]] [[Launch Plan#Launch Plan|the plan]] [[wf/launch-plan]]\n',
    );
    await assertLinksResolve(after);
  });

  it('a readable link takes the new title as typed, not the file name capitalised', async () => {
    const doc = '# Rollback Plan\n\nText.\n';
    const files = {
      'wf/rollback-plan.md': doc,
      'wf/other.md': '# Other\n\n[[Rollback Plan]] [[rollback-plan]]\n',
    };
    for (const [newName, link, file] of [
      ['Recovery for iOS', 'Recovery for iOS', 'recovery-for-ios'],
      ['Rollback Plan v2', 'Rollback Plan v2', 'rollback-plan-v2'],
    ]) {
      const { client, uri, rel } = await start(files);
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('wf/rollback-plan.md') },
        position: posOf(doc, 'Plan'),
        newName,
      });
      const after = applyEdit(files, edit, rel);
      assert.equal(after['wf/other.md'], `# Other\n\n[[${link}]] [[${file}]]\n`);
      await assertLinksResolve(after);
    }
  });

  it('renames the title of a phase document: a file named after its title follows it, number kept; a CDP name stays', async () => {
    for (const meta of ['---\nphase: "01"\nname: Diagnose\n---\n', '']) {
      const doc = `# Diagnose Phase\n\n${meta}## Exit Criteria\n\n- [ ] a\n`;
      for (const [file, renamed] of [
        // Named after its title: renamed with it.
        ['wf/01-diagnose-phase.md', 'wf/01-discovery-phase.md'],
        // Named as CDP phase documents are (not after the title "Diagnose Phase"): kept.
        ['wf/01-diagnose.md', 'wf/01-diagnose.md'],
      ]) {
        const stem = (f: string) => f.slice(3, -3);
        const files = {
          [file]: doc,
          'wf/02-treat.md': `# Treat\n\n[[${stem(file)}]] [[${stem(file)}#Diagnose Phase]]\n`,
        };
        const { client, uri, rel } = await start(files);
        const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
          textDocument: { uri: uri(file) },
          position: posOf(doc, 'Diagnose Phase', 1),
          newName: 'Discovery Phase',
        });
        const after = applyEdit(files, edit, rel);
        assert.deepEqual(Object.keys(after).sort(), [renamed, 'wf/02-treat.md'], meta + file);
        assert.equal(after[renamed], doc.replace('Diagnose Phase', 'Discovery Phase'));
        assert.equal(
          after['wf/02-treat.md'],
          `# Treat\n\n[[${stem(renamed)}]] [[${stem(renamed)}#Discovery Phase]]\n`,
          meta + file,
        );
        await assertLinksResolve(after);
      }
    }
  });

  it('renames a file named after its title in capitals to the new title in its letter case', async () => {
    const doc = '# Release Plan\n\nText.\n';
    const files = {
      'wf/Release-Plan.md': doc,
      'wf/notes.md': '# Notes\n\n[[Release-Plan]] [[release-plan]]\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('wf/Release-Plan.md') },
      position: posOf(doc, 'Release Plan', 1),
      newName: 'Release Schedule',
    });
    const after = applyEdit(files, edit, rel);
    assert.deepEqual(Object.keys(after).sort(), ['wf/Release-Schedule.md', 'wf/notes.md']);
    // Each link keeps its letter case: a name written in lower case stays so.
    assert.equal(after['wf/notes.md'], '# Notes\n\n[[Release-Schedule]] [[release-schedule]]\n');
    await assertLinksResolve(after);
  });

  it('a link written in slug form to a file named with spaces stays in slug form', async () => {
    const doc = '# Rollback Plan\n\nText.\n';
    const files = {
      'wf/Rollback Plan.md': doc,
      'wf/notes.md': '# Notes\n\n[[rollback-plan]] [[Rollback Plan]] [[rollback plan#Rollback Plan]]\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('wf/Rollback Plan.md') },
      position: posOf(doc, 'Rollback Plan', 1),
      newName: 'Runbook Neu',
    });
    const after = applyEdit(files, edit, rel);
    assert.deepEqual(Object.keys(after).sort(), ['wf/Runbook Neu.md', 'wf/notes.md']);
    assert.equal(
      after['wf/notes.md'],
      '# Notes\n\n[[runbook-neu]] [[Runbook Neu]] [[Runbook Neu#Runbook Neu]]\n',
    );
    await assertLinksResolve(after);
  });

  it('renames a file named after its title with spaces or underscores in the same style', async () => {
    for (const [file, title, newTitle, renamed] of [
      ['wf/Rollback Plan.md', 'Rollback Plan', 'Rollback Runbook', 'wf/Rollback Runbook.md'],
      ['wf/rollback_plan.md', 'Rollback Plan', 'Rollback Runbook', 'wf/rollback_runbook.md'],
      // One word after the number: the number's separator.
      ['wf/01 Diagnose.md', 'Diagnose', 'Root Cause', 'wf/01 Root Cause.md'],
      ['wf/01_diagnose.md', 'Diagnose', 'Root Cause', 'wf/01_root_cause.md'],
      // Named exactly after a title with a number or a hyphen.
      ['wf/3 Whys.md', '3 Whys', '5 Whys', 'wf/5 Whys.md'],
      ['wf/Go-Live Plan.md', 'Go-Live Plan', 'Go-Live Checklist', 'wf/Go-Live Checklist.md'],
      // A README stands for its folder, the workspace root's too: it keeps its name.
      ['README.md', 'README', 'Project Overview', 'README.md'],
      // An ordering number the title repeats stays when the new title has none.
      ['wf/01-discovery.md', '01 Discovery', 'Research', 'wf/01-research.md'],
      // Words joined by `_`: the title's `-` too.
      ['wf/follow_up_plan.md', 'Follow-up Plan', 'Follow-up Schedule', 'wf/follow_up_schedule.md'],
      // The title's own number gives way to the new title's; with none, the number stays.
      ['wf/1-intro.md', '1. Intro', '2. Setup', 'wf/2-setup.md'],
      ['wf/3 Whys.md', '3 Whys', 'Five Whys', 'wf/3 Five Whys.md'],
      ['wf/3-whys.md', '3 Whys', 'Five Whys', 'wf/3-five-whys.md'],
      ['wf/01 Discovery.md', '01 Discovery', 'Research', 'wf/01 Research.md'],
      // The number joined by ` - ` stays so; the words of a one-word name then by spaces.
      ['wf/01 - Kickoff.md', 'Kickoff', 'Kick-off', 'wf/01 - Kick-off.md'],
      ['wf/01 - Discovery.md', 'Discovery', 'User Research', 'wf/01 - User Research.md'],
      ['wf/1 - intro.md', '1 - Intro', '2 - Setup', 'wf/2 - setup.md'],
    ]) {
      const doc = `# ${title}\n\nText.\n`;
      const link = file.startsWith('wf/') ? file.slice(3) : `../${file}`;
      const files = { [file]: doc, 'wf/notes.md': `# Notes\n\n[x](<${link}>)\n` };
      const { client, uri, rel } = await start(files);
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri(file) },
        position: posOf(doc, title, 1),
        newName: newTitle,
      });
      const after = applyEdit(files, edit, rel);
      assert.deepEqual(Object.keys(after).sort(), [renamed, 'wf/notes.md'].sort(), file);
      assert.equal(after[renamed], `# ${newTitle}\n\nText.\n`, file);
      await assertLinksResolve(after);
    }
  });

  it('renames the title of a phase document to one starting with a number: the phase number stays', async () => {
    const doc = '# Diagnose\n\nText.\n';
    const files = { 'wf/01-diagnose.md': doc, 'wf/02-treat.md': '# Treat\n\n[[01-diagnose]]\n' };
    for (const [newName, file] of [
      ['5 Whys Diagnosis', 'wf/01-5-whys-diagnosis.md'],
      ['02 Diagnose', 'wf/01-02-diagnose.md'],
      ['01 Discovery', 'wf/01-discovery.md'],
    ]) {
      const { client, uri, rel } = await start(files);
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('wf/01-diagnose.md') },
        position: posOf(doc, 'Diagnose', 1),
        newName,
      });
      const after = applyEdit(files, edit, rel);
      assert.deepEqual(Object.keys(after).sort(), [file, 'wf/02-treat.md'], newName);
      assert.equal(after[file], `# ${newName}\n\nText.\n`);
      await assertLinksResolve(after);
    }
  });

  it('refuses a name that unquoted YAML metadata would read as something else, with the reason', async () => {
    const a = '# A\n\n---\nnext_phase: [[plan]]\n---\n\nBody [[plan]]\n';
    const files = { 'a.md': a, 'plan.md': '# Plan\n' };
    const { client, uri, rel } = await start(files);
    const rename = (newName: string) =>
      req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('a.md') },
        position: posOf(a, 'Body [[plan', 8),
        newName,
      });
    for (const newName of ['a: b', 'x, y', '&anchor', '!tag', '{x}', '? q', '123'])
      assert.match(
        await refusal(rename(newName)),
        /in "a\.md", the metadata "next_phase" \(line 4\) would (no longer read as the same YAML value|not read "!tag" as written in YAML); write the value in quotes/,
        newName,
      );
    const after = applyEdit(files, await rename('Sched v2'), rel);
    assert.equal(after['a.md'], '# A\n\n---\nnext_phase: [[Sched v2]]\n---\n\nBody [[Sched v2]]\n');
    // Quoted, the same names are plain text.
    const quoted = { 'a.md': a.replace('[[plan]]\n---', '"[[plan]]"\n---'), 'plan.md': '# Plan\n' };
    const q = await start(quoted);
    for (const newName of ['a: b', 'x, y', '&anchor', '!tag']) {
      const edit = await req<WorkspaceEdit>(q.client, 'textDocument/rename', {
        textDocument: { uri: q.uri('a.md') },
        position: posOf(quoted['a.md'], 'Body [[plan', 8),
        newName,
      });
      assert.match(
        applyEdit(quoted, edit, q.rel)['a.md'],
        new RegExp(`next_phase: "\\[\\[${newName}\\]\\]"`),
      );
    }
  });

  it('refuses names that exist (in any case, with or without .md), invalid names and places with nothing to rename', async () => {
    const a = '# A\n\n[[b]] [[missing]] plain text\n';
    const { client, uri } = await start({ 'a.md': a, 'b.md': '# B\n', 'Other.md': '# Other\n' });
    // Not indexed (the server was not told), but on disk: still taken.
    client.writeFile('NOTES.md', '# Notes\n');
    const rename = (position: Position, newName: string) =>
      refusal(req(client, 'textDocument/rename', { textDocument: { uri: uri('a.md') }, position, newName }));
    const onB = posOf(a, '[[b]]', 2);
    assert.match(await rename(onB, 'other'), /"Other\.md" already exists/);
    assert.match(await rename(onB, 'OTHER.md'), /"Other\.md" already exists/);
    assert.match(await rename(onB, 'notes'), /"NOTES\.md" already exists/);
    assert.match(await rename(onB, '  '), /empty/);
    assert.match(await rename(onB, '.md'), /empty/);
    for (const bad of ['x/y', 'x[y', 'x]y', 'x|y', 'x#y'])
      assert.match(await rename(onB, bad), /must not contain/);
    assert.match(await rename(posOf(a, 'missing', 1), 'found'), /\[\[missing\]\] is broken/);
    assert.match(await rename(posOf(a, 'plain', 1), 'x'), /Nothing to rename here/);
    const prep = await refusal(
      req(client, 'textDocument/prepareRename', {
        textDocument: { uri: uri('a.md') },
        position: posOf(a, 'plain', 1),
      }),
    );
    assert.match(prep, /Nothing to rename here/);
  });

  it('refuses a document rename when the client cannot rename files, but still renames headings', async () => {
    const a = '# A\n\n## Section\n\n[[b]]\n';
    const files = { 'a.md': a, 'b.md': '# B\n\n[[a#Section]]\n' };
    const { client, uri, rel } = await start(files, {
      workspace: { workspaceEdit: { documentChanges: true } },
      textDocument: { rename: { prepareSupport: true } },
    });
    const message = await refusal(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('a.md') },
        position: posOf(a, '[[b]]', 2),
        newName: 'c',
      }),
    );
    assert.match(message, /cannot rename files/);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('a.md') },
      position: posOf(a, 'Section'),
      newName: 'Part',
    });
    assert.equal(applyEdit(files, edit, rel)['b.md'], '# B\n\n[[a#Part]]\n');
  });
});

describe('rename and moves across release cycles kept alike', () => {
  const older = OLDER_RELEASE;
  const newer = NEWER_RELEASE;
  const files = { ...RELEASE_CYCLES, 'releases/notes.md': '# Notes\n\n[[rollback-plan]]\n' };
  const expected = (after: Record<string, string>) => {
    assert.equal(
      after['releases/release-2026.1/05-release.md'],
      older.replaceAll('rollback-plan', 'rollback-runbook'),
    );
    assert.equal(after['releases/notes.md'], '# Notes\n\n[[rollback-runbook]]\n');
    assert.equal(
      after['releases/release-2026.2/05-release.md'],
      cycleRelease('\nUntil then, [[rollback-runbook]].\n'),
      "the later cycle's own artifact entry is left as written",
    );
  };

  it("renaming the earlier cycle's artifact leaves the later cycle's own artifact entry alone", async () => {
    const before = await check(files);
    assert.deepEqual(before.of('missing-artifact'), [
      'releases/release-2026.2/05-release.md:5:6 Artifact [[rollback-plan]] does not exist yet in this workflow instance (releases/release-2026.2): releases/release-2026.1 has its own.',
    ]);
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('releases/release-2026.1/05-release.md') },
      position: posOf(older, '[[rollback-plan|Rollback]]', 4),
      newName: 'rollback-runbook',
    });
    const after = applyEdit(files, edit, rel);
    assert.ok('releases/release-2026.1/artifacts/rollback-runbook.md' in after);
    expected(after);
    // Still this cycle's own, missing.
    const c = await check(after);
    assert.deepEqual(c.of('missing-artifact'), [
      'releases/release-2026.2/05-release.md:5:6 Artifact [[rollback-plan]] does not exist yet (no document with that name).',
    ]);
  });

  it("moving the earlier cycle's artifact in the explorer leaves the later cycle's own artifact entry alone", async () => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [
        {
          oldUri: uri('releases/release-2026.1/artifacts/rollback-plan.md'),
          newUri: uri('releases/release-2026.1/artifacts/rollback-runbook.md'),
        },
      ],
    });
    assert.ok(edit);
    expected(applyEdit(files, edit, rel));
  });

  it("a rename from the later cycle's own artifact entry, not written yet, is refused", async () => {
    const { client, uri } = await start(files);
    const at = {
      textDocument: { uri: uri('releases/release-2026.2/05-release.md') },
      position: posOf(newer, '"[[rollback-plan]]"', 4),
    };
    const why =
      "[[rollback-plan]] names this cycle's own artifact, not written yet (releases/release-2026.1 has its own): there is no document to rename; create it first.";
    assert.equal(await refusal(req(client, 'textDocument/prepareRename', at)), why);
    assert.equal(
      await refusal(req(client, 'textDocument/rename', { ...at, newName: 'rollback-runbook' })),
      why,
    );
  });
});

describe('chain links across release cycles kept alike', () => {
  /** A CDP phase document: title, then its metadata with one chain key. */
  const phase = (title: string, id: string, name: string, chain: string) =>
    `# ${title}\n\n---\nphase: ${id}\nname: "${name}"\n${chain}\n---\n\n## Exit Criteria\n\n- [x] Done\n`;
  const treat = phase('Treat', '03', 'Treat', 'next_phase: "[[04-monitor]]"');
  const monitor = phase('Monitor', '04', 'Monitor', 'previous_phase: "[[03-treat]]"');
  const implement = phase('Implement', '03', 'Implement', 'next_phase: "[[04-monitor]]"');
  // The later cycle renamed its phase 03; its 04-monitor still points back at 03-treat,
  // which leads into the earlier cycle (phase-chain): a phase of its own cycle is meant.
  const files = {
    'release-2026.1/03-treat.md': treat,
    'release-2026.1/04-monitor.md': monitor,
    'release-2026.2/03-implement.md': implement,
    'release-2026.2/04-monitor.md': monitor,
  };
  const expected = (after: Record<string, string>) => {
    assert.equal(after['release-2026.1/04-monitor.md'], monitor.replace('[[03-treat]]', '[[03-fix]]'));
    assert.equal(
      after['release-2026.2/04-monitor.md'],
      monitor,
      "the later cycle's chain link leading into the earlier cycle is left as written",
    );
  };

  it("phase-chain reports the later cycle's link as leading into the earlier cycle", async () => {
    const c = await check(files);
    assert.deepEqual(c.of('phase-chain'), [
      'release-2026.2/04-monitor.md:6:18 previous_phase [[03-treat]] leads into workflow release-2026.1, whose "release-2026.1/03-treat.md" has next_phase [[04-monitor]], not back here. This instance (release-2026.2) has no document of that name. Phase 03 of this workflow is "release-2026.2/03-implement.md".',
    ]);
  });

  it("moving the earlier cycle's phase updates its own chain link, not the later cycle's", async () => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('release-2026.1/03-treat.md'), newUri: uri('release-2026.1/03-fix.md') }],
    });
    assert.ok(edit);
    expected(applyEdit(files, edit, rel));
  });

  it("renaming the earlier cycle's phase from its own chain link leaves the later cycle's alone", async () => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('release-2026.1/04-monitor.md') },
      position: posOf(monitor, '[[03-treat]]', 4),
      newName: '03-fix',
    });
    const after = applyEdit(files, edit, rel);
    assert.ok('release-2026.1/03-fix.md' in after);
    expected(after);
  });

  it("a rename from the later cycle's chain link leading into the earlier cycle is refused", async () => {
    const { client, uri } = await start(files);
    const at = {
      textDocument: { uri: uri('release-2026.2/04-monitor.md') },
      position: posOf(monitor, '[[03-treat]]', 4),
    };
    const why =
      '[[03-treat]] leads into workflow release-2026.1, not to a phase of this one (see phase-chain): there is nothing of this cycle to rename; correct the link first.';
    assert.equal(await refusal(req(client, 'textDocument/prepareRename', at)), why);
    assert.equal(await refusal(req(client, 'textDocument/rename', { ...at, newName: '03-fix' })), why);
  });
});

describe('workspace/willRenameFiles', () => {
  const files = {
    'a.md': '# A\n\n[[spec]] [[docs/spec|S]] [[docs]] [[docs/spec.md#Scope]]\n',
    'docs/README.md': '# Docs\n\n[[spec]]\n',
    'docs/sibling.md': '# Sibling\n',
    'docs/spec.md': '# Spec\n\n## Scope\n\n[[a]] [[./sibling]] [[../a|home]] [[#Scope]]\n',
  };

  it('keeps each link readable or a file name, as it was written', async () => {
    const files = {
      'notes.md':
        '# Notes\n\n[[Rollback Plan]] [[rollback-plan]] [[Rollback Plan#Steps|steps]] [[ops/rollback-plan.md]]\n',
      'ops/rollback-plan.md': '# Rollback Plan\n\n## Steps\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('ops/rollback-plan.md'), newUri: uri('ops/rollback-runbook.md') }],
    });
    assert.ok(edit);
    const after = applyEdit(files, edit, rel);
    assert.equal(
      after['notes.md'],
      '# Notes\n\n[[Rollback Runbook]] [[rollback-runbook]] [[Rollback Runbook#Steps|steps]] [[ops/rollback-runbook.md]]\n',
    );
    const moved = { ...after, 'ops/rollback-runbook.md': after['ops/rollback-plan.md'] };
    delete (moved as Record<string, string>)['ops/rollback-plan.md'];
    await assertLinksResolve(moved);
  });

  it('keeps a path-style link in a subfolder as written, without adding ./', async () => {
    const files = {
      'team/notes.md': '# Notes\n\n[[Fallback Drill]] [[ops/fallback-drill.md]] [[./ops/fallback-drill]]\n',
      'team/ops/fallback-drill.md': '# Fallback Drill\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('team/ops/fallback-drill.md'), newUri: uri('team/ops/fallback-runbook.md') }],
    });
    assert.ok(edit);
    assert.equal(
      applyEdit(files, edit, rel)['team/notes.md'],
      '# Notes\n\n[[Fallback Runbook]] [[ops/fallback-runbook.md]] [[./ops/fallback-runbook]]\n',
    );
  });

  it('updates the links when a file is renamed and moved to another folder', async () => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/spec.md'), newUri: uri('archive/design.md') }],
    });
    assert.ok(edit);
    const after = applyEdit(files, edit, rel);
    assert.equal(
      after['a.md'],
      '# A\n\n[[design]] [[archive/design|S]] [[docs]] [[archive/design.md#Scope]]\n',
    );
    assert.equal(after['docs/README.md'], '# Docs\n\n[[design]]\n');
    // Links inside the moved document are written for the document as it was (the editor moves it after).
    assert.equal(
      after['docs/spec.md'],
      '# Spec\n\n## Scope\n\n[[a]] [[../docs/sibling]] [[../a|home]] [[#Scope]]\n',
    );
    const moved = { ...after, 'archive/design.md': after['docs/spec.md'] };
    delete (moved as Record<string, string>)['docs/spec.md'];
    await assertLinksResolve(moved);
  });

  it('updates path links when a folder is renamed and leaves links that still resolve alone', async () => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs'), newUri: uri('guides') }],
    });
    assert.ok(edit);
    const touched = (edit.documentChanges ?? []).map((c) =>
      'textDocument' in c ? rel(c.textDocument.uri) : '',
    );
    assert.deepEqual(touched, ['a.md']);
    const after = applyEdit(files, edit, rel);
    assert.equal(after['a.md'], '# A\n\n[[spec]] [[guides/spec|S]] [[guides]] [[guides/spec.md#Scope]]\n');
    const moved: Record<string, string> = {};
    for (const [k, t] of Object.entries(after)) moved[k.replace(/^docs\//, 'guides/')] = t;
    await assertLinksResolve(moved);
    const sibling = await req<WorkspaceEdit>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/sibling.md'), newUri: uri('docs/sibling-notes.md') }],
    });
    assert.equal(
      applyEdit(files, sibling, rel)['docs/spec.md'],
      '# Spec\n\n## Scope\n\n[[a]] [[./sibling-notes]] [[../a|home]] [[#Scope]]\n',
      'a relative link stays relative',
    );
    // Moving a.md: its own links still resolve from the new folder; only the path link to it changes.
    const moveA = await req<WorkspaceEdit>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('a.md'), newUri: uri('archive/a.md') }],
    });
    assert.deepEqual(
      (moveA.documentChanges ?? []).map((c) => ('textDocument' in c ? rel(c.textDocument.uri) : '')),
      ['docs/spec.md'],
    );
    assert.equal(
      applyEdit(files, moveA, rel)['docs/spec.md'],
      '# Spec\n\n## Scope\n\n[[a]] [[./sibling]] [[../archive/a|home]] [[#Scope]]\n',
    );
  });
});

describe('links inside headings', () => {
  it('renames and moves rewrite a link inside a heading: the heading changes by exactly that edit', async () => {
    const files = { 'a.md': '# A\n\n## Depends on [[plan]] and [p](plan.md)\n', 'plan.md': '# Plan\n' };
    const { client, uri, rel } = await start(files);
    const moved = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('plan.md'), newUri: uri('x/plan.md') }],
    });
    assert.ok(moved);
    assert.equal(applyEdit(files, moved, rel)['a.md'], '# A\n\n## Depends on [[plan]] and [p](x/plan.md)\n');
    const renamed = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('a.md') },
      position: posOf(files['a.md'], '[[plan', 3),
      newName: 'sched',
    });
    const after = applyEdit(files, renamed, rel);
    assert.deepEqual(Object.keys(after).sort(), ['a.md', 'sched.md']);
    assert.equal(after['a.md'], '# A\n\n## Depends on [[sched]] and [p](sched.md)\n');
    await assertLinksResolve(after);
  });

  it('a heading holding a renamed link keeps the links that name it', async () => {
    const files = {
      'a.md': '# A\n\n## See [[plan#Goals]] first\n\n[own](#see-plangoals-first)\n',
      'plan.md': '# Plan\n\n## Goals\n',
      'b.md': '# B\n\n[x](a.md#see-plangoals-first) [[a#See planGoals first]]\n',
    };
    await assertLinksResolve(files);
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('a.md') },
      position: posOf(files['a.md'], 'Goals', 1),
      newName: 'Aims',
    });
    const after = applyEdit(files, edit, rel);
    assert.equal(after['a.md'], '# A\n\n## See [[plan#Aims]] first\n\n[own](#see-planaims-first)\n');
    assert.equal(after['plan.md'], '# Plan\n\n## Aims\n');
    assert.equal(after['b.md'], '# B\n\n[x](a.md#see-planaims-first) [[a#See planAims first]]\n');
    await assertLinksResolve(after);
  });
});

describe('workspace/willRenameFiles: new names links cannot hold as written', () => {
  const files = {
    'plan.md': '# Plan\n',
    'img.png': 'png',
    'a.md':
      '---\nnext_phase: "[[plan]]"\n---\n# A\n\n[[plan]] [p](plan.md) [q](<plan.md>) [[plan.md#Plan]] ![i](img.png)\n',
    'b.md': '---\nnext_phase: [[plan]]\n---\n# B\n\n[[plan]]\n',
  };
  const move = async (from: string, to: string) => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri(from), newUri: uri(to) }],
    });
    assert.ok(edit, to);
    const after = applyEdit(files, edit, rel);
    const moved: Record<string, string> = { ...after, [to]: after[from] };
    delete moved[from];
    return moved;
  };

  it('"#", "?" and quotes: markdown links encoded, wikilinks in their slug form', async () => {
    const hash = await move('plan.md', 'x/p#1 "x".md');
    assert.equal(
      hash['a.md'],
      '---\nnext_phase: "[[p1-x]]"\n---\n# A\n\n[[p1-x]] [p](x/p%231%20"x".md) [q](<x/p%231 "x".md>) [[p1-x.md#Plan]] ![i](img.png)\n',
    );
    assert.equal(hash['b.md'], '---\nnext_phase: [[p1-x]]\n---\n# B\n\n[[p1-x]]\n');
    await assertLinksResolve(hash);
    const query = await move('plan.md', 'x/a?b.md');
    assert.match(query['a.md'], /\[p\]\(x\/a%3Fb\.md\) \[q\]\(<x\/a%3Fb\.md>\)/);
    await assertLinksResolve(query);
    // A quote is kept in the body; in a quoted metadata value, the slug form.
    const quote = await move('plan.md', 'x/sch"ed.md');
    assert.equal(
      quote['a.md'],
      '---\nnext_phase: "[[sched]]"\n---\n# A\n\n[[sch"ed]] [p](x/sch"ed.md) [q](<x/sch"ed.md>) [[sch"ed.md#Plan]] ![i](img.png)\n',
    );
    await assertLinksResolve(quote);
    const image = await move('img.png', 'x/i#1.png');
    assert.match(image['a.md'], /!\[i\]\(x\/i%231\.png\)/);
    await assertLinksResolve(image);
  });

  it('"|" in a markdown destination is encoded: a table, header row included, keeps its cells', async () => {
    const table = '# T\n\n| [plan](plan.md) | Status |\n|---|---|\n| [p](<plan.md>) | ok |\n';
    const { client, uri, rel } = await start({ 'plan.md': '# Plan\n', 't.md': table });
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('plan.md'), newUri: uri('a|b.md') }],
    });
    assert.ok(edit);
    const after = applyEdit({ 'plan.md': '# Plan\n', 't.md': table }, edit, rel);
    assert.equal(
      after['t.md'],
      '# T\n\n| [plan](a%7Cb.md) | Status |\n|---|---|\n| [p](<a%7Cb.md>) | ok |\n',
    );
    after['a|b.md'] = after['plan.md'];
    delete after['plan.md'];
    await assertLinksResolve(after);
  });

  it('a wikilink to an image moved to a name no wikilink can hold is named in a warning', async () => {
    const pictures = { 'img.png': 'png', 'a.md': '# A\n\n![[img.png]] ![i](img.png)\n' };
    for (const to of ['x/i #2.png', 'x/i|2.png', 'x/i[2].png']) {
      const { client, uri, rel } = await start(pictures);
      const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
        files: [{ oldUri: uri('img.png'), newUri: uri(to) }],
      });
      assert.ok(edit, to);
      // The markdown link follows; the wikilink stays, and the user is told.
      assert.match(
        applyEdit(pictures, edit, rel)['a.md'],
        /^# A\n\n!\[\[img\.png\]\] !\[i\]\(x\/i(%20%23|%7C|\[)2/,
        to,
      );
      assert.deepEqual(
        client.warnings,
        [
          'Left as they are, naming the old place still (the new name cannot be written there as it reads now): ![[img.png]] in a.md. Edit them to the new name.',
        ],
        to,
      );
    }
  });

  it('a link no text can be written for is left out, and every other link is still updated', async () => {
    // `[[a, b]]` would make the unquoted metadata value two items: that one link stays.
    const after = await move('plan.md', 'x/a, b.md');
    assert.equal(after['b.md'], '---\nnext_phase: [[plan]]\n---\n# B\n\n[[a, b]]\n');
    assert.match(after['a.md'], /next_phase: "\[\[a, b\]\]"/);
    assert.match(after['a.md'], /\[p\]\(x\/a,%20b\.md\)/);
  });
});

describe('markdown links: rename and moves', () => {
  const files = {
    'docs/a.md':
      '# A\n\n## Exit Criteria\n\n## Notes\n\n## Notes\n\nSee [exit](#exit-criteria) and [n2](#notes-1).\n',
    'docs/b.md':
      '# B\n\n[spec](../specs/my%20spec.md#scope) [a](a.md#exit-criteria) [a2](<./a.md#notes-1>) [[a#Exit Criteria]]\n\n[ref]: /docs/a.md#exit-criteria\n',
    'specs/my spec.md': '# My Spec\n\n## Scope\n\n[back](../docs/b.md)\n',
  };

  it('renames a heading: markdown links get the new anchor, later duplicates keep theirs', async () => {
    const { client, uri, rel } = await start(files);
    const a = files['docs/a.md'];
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/a.md') },
      position: posOf(a, 'Exit Criteria', 1),
      newName: 'Done When',
    });
    const after = applyEdit(files, edit, rel);
    assert.equal(
      after['docs/a.md'],
      a.replace('## Exit Criteria', '## Done When').replace('(#exit-criteria)', '(#done-when)'),
    );
    assert.equal(
      after['docs/b.md'],
      '# B\n\n[spec](../specs/my%20spec.md#scope) [a](a.md#done-when) [a2](<./a.md#notes-1>) [[a#Done When]]\n\n[ref]: /docs/a.md#done-when\n',
    );
    await assertLinksResolve(after);
    // Renaming the first of two "Notes" headings renumbers the second: its links follow.
    const notes = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/a.md') },
      position: posOf(a, '## Notes', 4),
      newName: 'Remarks',
    });
    const renamed = applyEdit(files, notes, rel);
    assert.match(renamed['docs/a.md'], /\[n2\]\(#notes\)/);
    assert.match(renamed['docs/b.md'], /\[a2\]\(<\.\/a\.md#notes>\)/);
    await assertLinksResolve(renamed);
  });

  it('renames a heading: an anchor written encoded stays encoded, one written as it is stays so', async () => {
    const named = {
      'h/doc.md': '# Doc\n\n## Über 😀 Größe\n\n[s](#%c3%bcber--gr%c3%b6%c3%9fe)\n',
      'h/o.md':
        '# O\n\n[a](doc.md#%C3%BCber--gr%C3%B6%C3%9Fe) [b](doc.md#über--größe) [c](<doc.md#%C3%BCber--gr%C3%B6%C3%9Fe> "t")\n\n' +
        '[ref]: ./doc.md#%C3%BCber--gr%C3%B6%C3%9Fe\n',
    };
    const { client, uri, rel } = await start(named);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('h/doc.md') },
      position: posOf(named['h/doc.md'], 'Über', 1),
      newName: 'Ärger (neu)',
    });
    const after = applyEdit(named, edit, rel);
    assert.equal(after['h/doc.md'], '# Doc\n\n## Ärger (neu)\n\n[s](#%C3%A4rger-neu)\n');
    assert.equal(
      after['h/o.md'],
      '# O\n\n[a](doc.md#%C3%A4rger-neu) [b](doc.md#ärger-neu) [c](<doc.md#%C3%A4rger-neu> "t")\n\n' +
        '[ref]: ./doc.md#%C3%A4rger-neu\n',
    );
    await assertLinksResolve(after);
  });

  it('renames a document from a markdown link: links keep their relative form and encoding', async () => {
    const { client, uri, rel } = await start(files);
    const b = files['docs/b.md'];
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/b.md') },
      position: posOf(b, 'my%20spec', 3),
      newName: 'the spec',
    });
    const after = applyEdit(files, edit, rel);
    assert.match(after['docs/b.md'], /\[spec\]\(\.\.\/specs\/the%20spec\.md#scope\)/);
    const moved = { ...after, 'specs/the spec.md': after['specs/my spec.md'] };
    delete (moved as Record<string, string>)['specs/my spec.md'];
    await assertLinksResolve(moved);
  });

  it('renames a document: letters stay as written, only what a destination cannot hold is encoded', async () => {
    const named = {
      'README.md':
        '# Home\n\n[Overview](process/cdp/Überblick.md) [a](<process/cdp/Überblick.md>) [e](process/cdp/%C3%9Cberblick.md) [s](<process/cdp/%C3%9Cberblick.md#x>)\n',
      'process/cdp/Überblick.md': '# Überblick\n\n## X\n',
      'process/cdp/plan.md': '# Plan\n\n[[Überblick]] [p](Plan%20A.md) [q](<Plan A.md>)\n',
      'process/cdp/Plan A.md': '# Plan A\n',
    };
    const renamed = async (from: string, newName: string) => {
      const { client, uri, rel } = await start(named);
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('process/cdp/plan.md') },
        position: posOf(named['process/cdp/plan.md'], from, 3),
        newName,
      });
      return applyEdit(named, edit, rel);
    };
    const after = await renamed('[[Überblick', 'Übersicht des Prozesses');
    assert.equal(
      after['README.md'],
      '# Home\n\n[Overview](process/cdp/Übersicht%20des%20Prozesses.md) [a](<process/cdp/Übersicht des Prozesses.md>) [e](process/cdp/%C3%9Cbersicht%20des%20Prozesses.md) [s](<process/cdp/%C3%9Cbersicht%20des%20Prozesses.md#x>)\n',
    );
    await assertLinksResolve(after);
    // Parentheses stay when they balance; `%`, `#` and a lone parenthesis are encoded.
    const parens = await renamed('[p](Plan', 'Plan (v2) 100%');
    assert.equal(
      parens['process/cdp/plan.md'],
      '# Plan\n\n[[Überblick]] [p](Plan%20(v2)%20100%25.md) [q](<Plan (v2) 100%25.md>)\n',
    );
    await assertLinksResolve(parens);
    const lone = await renamed('[p](Plan', 'Plan (v2');
    assert.equal(
      lone['process/cdp/plan.md'],
      '# Plan\n\n[[Überblick]] [p](Plan%20%28v2.md) [q](<Plan (v2.md>)\n',
    );
    await assertLinksResolve(lone);
  });

  it('renames to names with a colon or a percent sign: every markdown link still reaches the document', async () => {
    const named = {
      'w/plan.md': '# Plan\n',
      'w/a.md': '# A\n\n![i](plan.md) [t](plan.md "T") [c](<plan.md>) [d](./plan.md)\n',
      'w/b.md': '# B\n\n[[plan]]\n',
    };
    for (const newName of ['v1:draft', 'a: b', '%20', 'a%20b', '100%']) {
      const { client, uri, rel } = await start(named);
      const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
        textDocument: { uri: uri('w/b.md') },
        position: posOf(named['w/b.md'], '[[plan', 3),
        newName,
      });
      const after = applyEdit(named, edit, rel);
      assert.ok(after[`w/${newName}.md`] !== undefined, `${newName}: the file is renamed`);
      // Each of the four links was rewritten, and each reaches the renamed document.
      assert.doesNotMatch(after['w/a.md'], /plan\.md/, newName);
      await assertLinksResolve(after);
    }
  });

  it('moves a file to another folder: markdown links to it and in it are rewritten', async () => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/b.md'), newUri: uri('archive/old/b.md') }],
    });
    assert.ok(edit);
    const after = applyEdit(files, edit, rel);
    assert.equal(after['specs/my spec.md'], '# My Spec\n\n## Scope\n\n[back](../archive/old/b.md)\n');
    assert.equal(
      after['docs/b.md'],
      '# B\n\n[spec](../../specs/my%20spec.md#scope) [a](../../docs/a.md#exit-criteria) [a2](<../../docs/a.md#notes-1>) [[a#Exit Criteria]]\n\n[ref]: /docs/a.md#exit-criteria\n',
    );
    const moved = { ...after, 'archive/old/b.md': after['docs/b.md'] };
    delete (moved as Record<string, string>)['docs/b.md'];
    await assertLinksResolve(moved);
  });
});

describe('links to other files: moves', () => {
  it('a moved document: its relative links to images and other files are rewritten too', async () => {
    const files = {
      'docs/design.md':
        '# Design\n\n![arch](images/arch.png) [cfg](../config.yml) [d](other.md) [[arch.png]] [[images/arch.png]]\n',
      'docs/images/arch.png': 'png',
      'config.yml': 'a: 1\n',
      'docs/other.md': '# Other\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/design.md'), newUri: uri('docs/archive/design.md') }],
    });
    assert.ok(edit);
    const after = applyEdit(files, edit, rel);
    assert.equal(
      after['docs/design.md'],
      '# Design\n\n![arch](../images/arch.png) [cfg](../../config.yml) [d](../other.md) [[arch.png]] [[../images/arch.png]]\n',
    );
    const moved: Record<string, string> = { ...after, 'docs/archive/design.md': after['docs/design.md'] };
    delete moved['docs/design.md'];
    await assertLinksResolve(moved);
  });

  it('a moved document: its links to folders that stay are written from its new place', async () => {
    const files = {
      'docs/a/one.md': '# One\n\n[sib](../b/) [here](./) [up](../a) [f](../b/x.md)\n',
      'docs/a/two.md': '# Two\n',
      'docs/b/x.md': '# X\n',
    };
    const { client, uri, rel } = await start(files);
    const move = async (to: string) => {
      const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
        files: [{ oldUri: uri('docs/a/one.md'), newUri: uri(to) }],
      });
      assert.ok(edit, to);
      const after = applyEdit(files, edit, rel);
      const moved: Record<string, string> = { ...after, [to]: after['docs/a/one.md'] };
      delete moved['docs/a/one.md'];
      // Each still reaches the folder it did (`./` left as it was led to docs/a/sub/).
      await assertLinksResolve(moved);
      return moved[to];
    };
    assert.equal(
      await move('docs/a/sub/one.md'),
      '# One\n\n[sib](../../b/) [here](../../a/) [up](../../a) [f](../../b/x.md)\n',
    );
    assert.equal(await move('docs/one.md'), '# One\n\n[sib](b/) [here](./a/) [up](a) [f](b/x.md)\n');
    // Its folder moved with it: the links into that folder follow it, the others are rewritten.
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/a'), newUri: uri('docs/x/y') }],
    });
    assert.ok(edit);
    assert.equal(
      applyEdit(files, edit, rel)['docs/a/one.md'],
      '# One\n\n[sib](../../b/) [here](./) [up](../y) [f](../../b/x.md)\n',
    );
  });

  it('a file rename reads the documents from disk again only when it moves something indexed', async () => {
    const files = { 'a.md': '# A\n\n![arch](assets/arch.png)\n', 'assets/arch.png': 'png' };
    const { client, uri } = await start(files);
    const willRename = renameRequests.find((r) => r.type.method === 'workspace/willRenameFiles')!;
    const fromDisk = (from: string) => [
      ...(willRename.fromDisk?.(client.ctx, { files: [{ oldUri: uri(from), newUri: uri(`${from}2`) }] }) ??
        []),
    ];
    // Every file rename is sent to the server: one it does not index costs no reads.
    assert.deepEqual(fromDisk('src/main.c'), []);
    assert.deepEqual(fromDisk('assets/arch.pn'), []);
    for (const moved of ['assets/arch.png', 'assets', 'a.md'])
      assert.deepEqual(fromDisk(moved), [uri('a.md')]);
  });

  it('a moved folder or file that is not a document: the links into it are rewritten', async () => {
    const files = {
      'a.md': '# A\n\n![arch](assets/arch.png) [[assets/arch.png]] [l](assets/logo.svg)\n',
      'sub/b.md': '# B\n\n![arch](../assets/arch.png)\n',
      'assets/arch.png': 'png',
      'assets/logo.svg': 'svg',
    };
    const { client, uri, rel } = await start(files);
    const folder = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('assets'), newUri: uri('media/img') }],
    });
    assert.ok(folder);
    const after = applyEdit(files, folder, rel);
    assert.equal(
      after['a.md'],
      '# A\n\n![arch](media/img/arch.png) [[media/img/arch.png]] [l](media/img/logo.svg)\n',
    );
    assert.equal(after['sub/b.md'], '# B\n\n![arch](../media/img/arch.png)\n');
    const moved: Record<string, string> = {};
    for (const [k, t] of Object.entries(after)) moved[k.replace(/^assets\//, 'media/img/')] = t;
    await assertLinksResolve(moved);
    const file = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('assets/arch.png'), newUri: uri('assets/architecture.png') }],
    });
    assert.ok(file);
    assert.equal(
      applyEdit(files, file, rel)['a.md'],
      '# A\n\n![arch](assets/architecture.png) [[assets/architecture.png]] [l](assets/logo.svg)\n',
    );
  });
});

describe('workspace/willRenameFiles: links to a folder itself', () => {
  it('follow the folder (and a folder above it) when it has no README or index', async () => {
    const files = {
      'README.md':
        '# P\n\n[frame](docs/helix/01-frame) [slash](docs/helix/01-frame/) [feat](docs/helix/01-frame/features/) [misc](docs/misc/)\n',
      'docs/helix/02-design/a.md':
        '# A\n\n[back](../01-frame/) [doc](../01-frame/prd.md) [style](./../01-frame/) [case](../01-FRAME/)\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/01-frame/features/FEAT-001.md': '# F\n',
      'docs/misc/x.md': '# X\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/helix/01-frame'), newUri: uri('docs/helix/01-framing') }],
    });
    assert.ok(edit);
    const after = applyEdit(files, edit, rel);
    assert.equal(
      after['README.md'],
      '# P\n\n[frame](docs/helix/01-framing) [slash](docs/helix/01-framing/) [feat](docs/helix/01-framing/features/) [misc](docs/misc/)\n',
    );
    // `./` before a climb is kept; a path in other letter case reaches the folder (a
    // broken-link says so) and follows it, written as on disk.
    assert.equal(
      after['docs/helix/02-design/a.md'],
      '# A\n\n[back](../01-framing/) [doc](../01-framing/prd.md) [style](./../01-framing/) [case](../01-framing/)\n',
    );
    const moved: Record<string, string> = {};
    for (const [k, t] of Object.entries(after))
      moved[k.replace(/^docs\/helix\/01-frame\//, 'docs/helix/01-framing/')] = t;
    await assertLinksResolve(moved);
    // The folder above moves: the links to the folder inside it follow too.
    const up = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs'), newUri: uri('documentation') }],
    });
    assert.ok(up);
    assert.equal(
      applyEdit(files, up, rel)['README.md'],
      '# P\n\n[frame](documentation/helix/01-frame) [slash](documentation/helix/01-frame/) [feat](documentation/helix/01-frame/features/) [misc](documentation/misc/)\n',
    );
  });
});

describe('code actions', () => {
  const codeActions = (
    client: InProcess,
    u: string,
    range: Range,
    diagnostics: Diagnostic[] = [],
    only?: string[],
  ) =>
    req<CodeAction[]>(client, 'textDocument/codeAction', {
      textDocument: { uri: u },
      range,
      context: { diagnostics, only },
    });

  it('creates a missing artifact (from its template), and not when a file differing in case exists', async () => {
    const release = phaseDoc({ title: 'Release', phase: '05', artifacts: ['release-plan', 'runbook'] });
    const template = '# Release Plan\n\n## Risks\n';
    const { client, uri, rel } = await start({
      'wf/05-release.md': release,
      'release-plan/template.md': template,
    });
    const d = await client.waitForDiagnostics(
      uri('wf/05-release.md'),
      (x) => x.filter((y) => y.code === 'missing-artifact').length === 2,
    );
    const missing = d.filter((x) => x.code === 'missing-artifact');
    const actions = await codeActions(client, uri('wf/05-release.md'), missing[0].range, [missing[0]]);
    assert.equal(actions.length, 1);
    const [create] = actions;
    assert.equal(create.kind, 'quickfix');
    assert.equal(create.isPreferred, true);
    assert.deepEqual(create.diagnostics, [missing[0]]);
    assert.equal(create.title, 'Create artifact "wf/release-plan.md"');
    // after the edit the client opens what was created
    // (the server's own command: this client claims none of its own)
    assert.equal(create.command?.command, 'cdp.server.revealGroup');
    assert.deepEqual(create.command?.arguments, [uri('wf/release-plan.md'), 0, { keep: true }]);
    const after = applyEdit({ 'wf/05-release.md': release }, create.edit!, rel);
    assert.equal(after['wf/release-plan.md'], template);
    // Without a template: the rule's content. Found by range alone (no diagnostics sent).
    const [runbook] = await codeActions(client, uri('wf/05-release.md'), missing[1].range);
    const created = applyEdit({}, runbook.edit!, rel)['wf/runbook.md'];
    assert.match(created, /^# Runbook\n/);
    // A file that differs only in case appears on disk: no action that would create a twin.
    client.writeFile('wf/Runbook.md', '# Runbook\n');
    assert.deepEqual(await codeActions(client, uri('wf/05-release.md'), missing[1].range, [missing[1]]), []);
  });

  it("the fixes of one diagnostic the client sends are that diagnostic's alone", async () => {
    const release = phaseDoc({
      title: 'Release',
      phase: '05',
      body: '## Exit Criteria\n\n- [ ] Runbook at [[nowhere-doc]]\n',
    });
    const { client, uri } = await start({ 'wf/05-release.md': release });
    const u = uri('wf/05-release.md');
    const d = await client.waitForDiagnostics(u, (x) => x.some((y) => y.code === 'broken-link'));
    const broken = d.find((x) => x.code === 'broken-link')!;
    const unmet = d.find((x) => x.code === 'unmet-criterion')!;
    assert.ok(unmet, 'the criterion is unmet');
    // (the cursor inside the link, as an editor asks)
    const line = { start: broken.range.start, end: broken.range.start };
    const titles = async (sent: Diagnostic[]) =>
      (await codeActions(client, u, line, sent)).filter((a) => a.kind === 'quickfix').map((a) => a.title);
    // Only the broken link: its fixes, not the criterion's "Mark as done".
    assert.deepEqual(await titles([broken]), ['Create document "wf/nowhere-doc.md"']);
    // A diagnostic without fixes of its own (a heading the link names is missing): none.
    const headingText = phaseDoc({
      title: 'Release',
      phase: '05',
      body: '## Exit Criteria\n\n- [ ] Runbook at [[05-release#Nowhere]]\n',
    });
    await client.open(u, headingText);
    const missing = (
      await client.waitForDiagnostics(u, (x) => x.some((y) => y.code === 'broken-heading'))
    ).find((x) => x.code === 'broken-heading')!;
    assert.deepEqual(
      (await codeActions(client, u, missing.range, [missing])).filter((a) => a.kind === 'quickfix'),
      [],
    );
    await client.open(u, release);
    // Both (the cursor on the line): both; none sent: every finding on the range.
    assert.deepEqual((await titles([broken, unmet])).sort(), [
      'Create document "wf/nowhere-doc.md"',
      'Mark as done',
    ]);
    assert.deepEqual((await titles([])).sort(), ['Create document "wf/nowhere-doc.md"', 'Mark as done']);
    // Both sent over one's range, quick fixes alone asked for (VS Code's Problems view, for
    // that problem): that one's; an editor's selection of that range (every kind): both.
    assert.deepEqual(
      (await codeActions(client, u, unmet.range, [broken, unmet]))
        .filter((a) => a.kind === 'quickfix')
        .map((a) => a.title)
        .sort(),
      ['Create document "wf/nowhere-doc.md"', 'Mark as done'],
    );
    const over = async (range: Range) =>
      (await codeActions(client, u, range, [broken, unmet], ['quickfix']))
        .filter((a) => a.kind === 'quickfix')
        .map((a) => a.title);
    assert.deepEqual(await over(broken.range), ['Create document "wf/nowhere-doc.md"']);
    assert.deepEqual(await over(unmet.range), ['Mark as done']);
    // A broken link's diagnostic gone stale (a criterion written above it, its findings not
    // yet published): never another rule's fix on that range, ticking a criterion nobody chose.
    const stale = broken; // at line 8, now the new criterion's
    await client.open(
      u,
      release.replace('## Exit Criteria\n\n', '## Exit Criteria\n\n- [ ] release approved by someone\n'),
    );
    assert.deepEqual(
      (await codeActions(client, u, stale.range, [stale], ['quickfix'])).map((a) => a.title),
      [],
    );
    assert.deepEqual((await titles([])).sort(), ['Mark as done']);
    // The count of findings not shown names no rule: sent alone, it narrows nothing.
    const note = { range: line, severity: 3, source: 'cdp', message: '1,200 more findings …' } as Diagnostic;
    assert.deepEqual((await titles([note])).sort(), ['Mark as done']);
  });

  it('a created document takes the line breaks of the document the fix is offered in (CRLF or LF)', async () => {
    const files: Record<string, string> = {
      'wf/05-release.md': phaseDoc({ title: 'Release', phase: '05', artifacts: ['runbook'] }),
      'notes.md': '# Notes\n\n[[Missing Doc]] and [missing](other/missing-two.md)\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD approved\n',
      'docs/helix/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n',
      'docs/helix/02-solution/architecture.md': '# Architecture\n\nThe design.\n',
      'c/01-diagnose.md':
        '---\nphase: 01\nname: Diagnose\nnext_phase: "[[02-prescribe]]"\n---\n# Phase 01: Diagnose\n\n## Exit Criteria\n\n- [x] a\n',
    };
    /** Folder-relative path of each file a create fix makes → its content, from every finding of `docs`. */
    const createdIn = async (texts: Record<string, string>) => {
      const { client, uri, rel } = await start(texts);
      const out: Record<string, string> = {};
      for (const doc of Object.keys(texts)) {
        const d = await client.waitForDiagnostics(uri(doc), () => true);
        for (const diag of d)
          for (const a of await codeActions(client, uri(doc), diag.range, [diag]))
            if (a.edit?.documentChanges?.some((c) => 'kind' in c && c.kind === 'create'))
              for (const [r, t] of Object.entries(applyEdit({}, a.edit, rel))) out[r] = t;
      }
      return out;
    };
    const lf = await createdIn(files);
    // Every kind of create fix: an artifact, a linked document, a phase, a phase README, a gate's file.
    assert.deepEqual(Object.keys(lf).sort(), [
      'c/02-prescribe.md',
      'docs/helix/01-frame/prd.md',
      'docs/helix/02-solution/README.md',
      'missing-doc.md',
      'other/missing-two.md',
      'wf/runbook.md',
    ]);
    for (const t of Object.values(lf)) assert.doesNotMatch(t, /\r/);
    const crlf = await createdIn(
      Object.fromEntries(Object.entries(files).map(([k, t]) => [k, t.replace(/\n/g, '\r\n')])),
    );
    assert.deepEqual(
      crlf,
      Object.fromEntries(Object.entries(lf).map(([k, t]) => [k, t.replace(/\n/g, '\r\n')])),
    );
  });

  it('offers a create once for all the findings it fixes in the requested range', async () => {
    const text = phaseDoc({
      title: 'Plan',
      phase: '01',
      body: '## Exit Criteria\n\n- [ ] [[Missing Doc]] and [[Missing Doc]] again, see [m](missing-doc.md)\n',
    });
    const { client, uri } = await start({ 'wf/01-plan.md': text });
    const d = await client.waitForDiagnostics(
      uri('wf/01-plan.md'),
      (x) => x.filter((y) => y.code === 'broken-link').length === 3,
    );
    const links = d.filter((x) => x.code === 'broken-link');
    const unmet = d.find((x) => x.code === 'unmet-criterion')!;
    const titles = (actions: CodeAction[]) => actions.map((a) => a.title);
    // The criterion's diagnostic covers the line: asked for it alone, its fix alone; with
    // the links' diagnostics (the cursor on the line), theirs too.
    const alone = await codeActions(client, uri('wf/01-plan.md'), unmet.range, [unmet]);
    assert.deepEqual(titles(alone), ['Mark as done']);
    const cursor = { start: links[0].range.start, end: links[0].range.start };
    const onLine = await codeActions(client, uri('wf/01-plan.md'), cursor, [unmet, ...links]);
    assert.deepEqual(titles(onLine), ['Mark as done', 'Create document "wf/missing-doc.md"']);
    // All of them sent over the criterion's range, quick fixes alone (the Problems view, for
    // it): its fix alone.
    const forIt = await codeActions(
      client,
      uri('wf/01-plan.md'),
      unmet.range,
      [unmet, ...links],
      ['quickfix'],
    );
    assert.deepEqual(titles(forIt), ['Mark as done']);
    // A range over the links: one create, naming each diagnostic it fixes.
    const range = { start: links[0].range.start, end: links[2].range.end };
    const over = await codeActions(client, uri('wf/01-plan.md'), range, links, ['quickfix']);
    const creates = over.filter((a) => a.title.startsWith('Create'));
    assert.deepEqual(titles(creates), ['Create document "wf/missing-doc.md"']);
    assert.deepEqual(creates[0].diagnostics, links);
    // One link alone still gets its own create.
    const one = await codeActions(client, uri('wf/01-plan.md'), links[1].range, [links[1]], ['quickfix']);
    assert.deepEqual(
      one.filter((a) => a.title.startsWith('Create')).map((a) => a.diagnostics),
      [[links[1]]],
    );
  });

  it('fixes a malformed checkbox with an edit that carries the open document version', async () => {
    const text = '# A\n\n## Exit Criteria\n\n- [] not counted\n';
    const { client, uri, rel } = await start({ 'a.md': text });
    await client.open(uri('a.md'), text);
    const version = await client.change(uri('a.md'), [
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, text: 'bc' },
    ]);
    const now = text.replace('# A', '# Abc');
    const d = await client.waitForDiagnostics(uri('a.md'), (x) =>
      x.some((y) => y.code === 'malformed-checkbox'),
    );
    const diag = d.find((x) => x.code === 'malformed-checkbox')!;
    const actions = await codeActions(client, uri('a.md'), diag.range, [diag], ['quickfix']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Change to `- [ ]`');
    const docEdit = actions[0].edit!.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(docEdit.textDocument.version, version);
    const after = applyEdit({ 'a.md': now }, actions[0].edit!, rel, { 'a.md': version });
    assert.equal(after['a.md'], '# Abc\n\n## Exit Criteria\n\n- [ ] not counted\n');
  });

  it('makes a one-sided phase chain reciprocal', async () => {
    const files = {
      'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '01', next: '02-build' }),
      'wf/02-build.md': phaseDoc({ title: 'Build', phase: '02', previous: '03-ship', next: '03-ship' }),
      'wf/03-ship.md': phaseDoc({ title: 'Ship', phase: '03', previous: '02-build' }),
    };
    const { client, uri, rel } = await start(files);
    // 02's previous_phase points forward at 03: the finding and its fix are there, on the
    // faulty link (01's sound next_phase gets none).
    const d = await client.waitForDiagnostics(uri('wf/02-build.md'), (x) =>
      x.some((y) => y.code === 'phase-chain'),
    );
    const diag = d.find((x) => x.code === 'phase-chain' && /points forward/.test(x.message))!;
    const actions = await codeActions(client, uri('wf/02-build.md'), diag.range, [diag]);
    const fix = actions.find((a) => a.title === 'Set previous_phase to [[01-plan]]');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const after = applyEdit(files, fix.edit!, rel);
    assert.match(after['wf/02-build.md'], /previous_phase: "\[\[01-plan\]\]"/);
    const c = await check(after);
    assert.deepEqual(c.of('phase-chain'), []);
  });

  it('offers the fix that repairs a broken chain, never one that breaks a sound link', async () => {
    // 01 skips to 03, while 02 and 03 link each other: 01's link is the one to change
    // (pointing 03 back at 01 would skip 02 and break 02's pair: no such fix).
    const files = {
      'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '01', next: '03-ship' }),
      'wf/02-build.md': phaseDoc({ title: 'Build', phase: '02', previous: '01-plan', next: '03-ship' }),
      'wf/03-ship.md': phaseDoc({ title: 'Ship', phase: '03', previous: '02-build' }),
    };
    const { client, uri, rel } = await start(files);
    const d = await client.waitForDiagnostics(uri('wf/01-plan.md'), (x) =>
      x.some((y) => y.code === 'phase-chain' && /not reciprocal/.test(y.message)),
    );
    const diag = d.find((x) => x.code === 'phase-chain' && /not reciprocal/.test(x.message))!;
    const actions = await codeActions(client, uri('wf/01-plan.md'), diag.range, [diag]);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [['Set next_phase to [[02-build]]', true]],
    );
    const after = applyEdit(files, actions[0].edit!, rel);
    assert.deepEqual((await check(after)).of('phase-chain'), []);
  });

  it('points a chain link at the renamed phase it names, and never creates a second phase of that number', async () => {
    // 03-treat.md became 03-implement.md. 02 is written with CRLF and single quotes; 03
    // links its neighbours under "Previous Phase" / "Next Phase" headings.
    const prescribe =
      "# Prescribe\r\n\r\n---\r\nphase: 02\r\nprevious_phase: '[[01-diagnose]]'\r\nnext_phase: '[[03-treat]]'\r\n---\r\n\r\n## Exit Criteria\r\n\r\n- [x] plan\r\n";
    const files: Record<string, string> = {
      'cdp/01-diagnose.md': phaseDoc({
        title: 'Diagnose',
        phase: '01',
        next: '02-prescribe',
        body: '## Exit Criteria\n\n- [x] found\n',
      }),
      'cdp/02-prescribe.md': prescribe,
      'cdp/03-implement.md':
        '# Implement\n\n---\nphase: 03\n---\n\n## Exit Criteria\n\n- [x] merged\n\n## Previous Phase\n\n- [Prescribe](02-plan.md)\n\n## Next Phase\n\n- [Monitor](04-monitor.md)\n',
    };
    const { client, uri, rel } = await start(files);
    const broken = async (r: string, n: number) =>
      (
        await client.waitForDiagnostics(uri(r), (x) => x.filter((y) => y.code === 'broken-link').length === n)
      ).filter((y) => y.code === 'broken-link');
    const [toTreat] = await broken('cdp/02-prescribe.md', 1);
    assert.equal(
      toTreat.message,
      '[[03-treat]] does not resolve: no document with that name. Phase 03 of this workflow is "cdp/03-implement.md".',
    );
    const actions = await codeActions(client, uri('cdp/02-prescribe.md'), toTreat.range, [toTreat]);
    // Creating cdp/03-treat.md would make a second phase 03: not offered.
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [['Set next_phase to [[03-implement]]', true]],
    );
    let after = applyEdit(files, actions[0].edit!, rel);
    assert.equal(after['cdp/02-prescribe.md'], prescribe.replace("'[[03-treat]]'", "'[[03-implement]]'"));

    const [toPlan, toMonitor] = await broken('cdp/03-implement.md', 2);
    const back = await codeActions(client, uri('cdp/03-implement.md'), toPlan.range, [toPlan]);
    assert.deepEqual(
      back.map((a) => [a.title, a.isPreferred]),
      [['Set the previous phase link to 02-prescribe.md', true]],
    );
    after = applyEdit(after, back[0].edit!, rel);
    assert.match(after['cdp/03-implement.md'], /- \[Prescribe\]\(02-prescribe\.md\)\n/);
    // No phase 04 yet: creating it is the fix.
    const on = await codeActions(client, uri('cdp/03-implement.md'), toMonitor.range, [toMonitor]);
    assert.deepEqual(
      on.map((a) => [a.title, a.isPreferred]),
      [['Create document "cdp/04-monitor.md"', true]],
    );
    const c = await check(after);
    assert.deepEqual(
      c.findings.map((f) => f.code),
      ['broken-link'],
      c.findings.map((f) => f.message).join('\n'),
    );
    assert.match(c.of('broken-link')[0], /^cdp\/03-implement\.md:\d+:\d+ \[Monitor\]\(04-monitor\.md\)/);
    // The created document is phase 04, linking back as 03 links to it: the chain holds.
    const created = applyEdit(after, on[0].edit!, rel);
    assert.equal(
      created['cdp/04-monitor.md'],
      '# Monitor\n\n## Entry Criteria\n\n- [ ] What must be true to start\n\n## Exit Criteria\n\n- [ ] What must be true to finish\n\n## Previous Phase\n\n[Implement](03-implement.md)\n',
    );
    const whole = await check(created);
    assert.deepEqual(
      whole.findings.filter((f) => f.code !== 'unmet-criterion').map((f) => f.message),
      [],
    );
    assert.deepEqual(
      whole.analysis.workflows().map((w) => w.phases.map((p) => p.rel)),
      [['cdp/01-diagnose.md', 'cdp/02-prescribe.md', 'cdp/03-implement.md', 'cdp/04-monitor.md']],
    );
  });

  it("points a phase folder's chain link at the renamed folder, and says the mistake once", async () => {
    // docs/02-design/ became docs/02-architecture/; 01 still links ../02-design/README.md.
    const files: Record<string, string> = {
      'docs/01-frame/README.md':
        '# Phase 01: Frame\n\n## Exit Criteria\n\n- [x] framed\n\n## Next Phase\n\n[Design](../02-design/README.md)\n',
      'docs/02-architecture/README.md':
        '# Phase 02: Design\n\n## Exit Criteria\n\n- [ ] designed\n\n## Previous Phase\n\n[Frame](../01-frame/README.md)\n',
    };
    const { client, uri, rel } = await start(files);
    const d = await client.waitForDiagnostics(uri('docs/01-frame/README.md'), (x) =>
      x.some((y) => y.code === 'broken-link'),
    );
    const diag = d.find((y) => y.code === 'broken-link')!;
    assert.equal(
      diag.message,
      '[Design](../02-design/README.md) does not resolve: no document at that path. Phase 02 of this workflow is "docs/02-architecture/README.md".',
    );
    const actions = await codeActions(client, uri('docs/01-frame/README.md'), diag.range, [diag]);
    // Creating docs/02-design/README.md would make a second phase 02: not offered.
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [['Set the next phase link to ../02-architecture/README.md', true]],
    );
    const c = await check(files);
    // 02's previous_phase is sound: the broken link on 01 is the one finding.
    assert.deepEqual(c.of('phase-chain'), []);
    const after = applyEdit(files, actions[0].edit!, rel);
    assert.equal(
      after['docs/01-frame/README.md'],
      files['docs/01-frame/README.md'].replace('../02-design/README.md', '../02-architecture/README.md'),
    );
    assert.deepEqual(
      (await check(after)).findings.map((f) => f.code).filter((x) => x !== 'unmet-criterion'),
      [],
    );
  });

  it('offers "Mark as done" once for an unmet criterion', async () => {
    const text = phaseDoc({ title: 'Plan', phase: '01', body: '## Exit Criteria\n\n- [ ] reviewed\n' });
    const { client, uri } = await start({ 'wf/01-plan.md': text });
    const d = await client.waitForDiagnostics(uri('wf/01-plan.md'), (x) =>
      x.some((y) => y.code === 'unmet-criterion'),
    );
    const diag = d.find((x) => x.code === 'unmet-criterion')!;
    const actions = await codeActions(client, uri('wf/01-plan.md'), diag.range, [diag]);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Mark as done'],
    );
    // asked for rewrites only, the toggle is still there
    const rewrites = await codeActions(client, uri('wf/01-plan.md'), diag.range, [], ['refactor.rewrite']);
    assert.deepEqual(
      rewrites.map((a) => a.title),
      ['Mark criterion as done'],
    );
  });

  it('offers each candidate of an ambiguous link', async () => {
    const files = { 'note.md': '# Note\n\nSee [[x]].\n', 'a/x.md': '# X in a\n', 'b/x.md': '# X in b\n' };
    const { client, uri, rel } = await start(files);
    const d = await client.waitForDiagnostics(uri('note.md'), (x) =>
      x.some((y) => y.code === 'ambiguous-link'),
    );
    const actions = await codeActions(client, uri('note.md'), d[0].range, d);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Link to "a/x.md"', 'Link to "b/x.md"'],
    );
    assert.equal(applyEdit(files, actions[1].edit!, rel)['note.md'], '# Note\n\nSee [[b/x]].\n');
  });

  it('out-of-order: the box ticked too early is unticked by a quick fix of the finding, offered once', async () => {
    const plan = phaseDoc({ title: 'Plan', phase: '01', body: '## Exit Criteria\n\n- [ ] planned\n' });
    const ship = phaseDoc({
      title: 'Ship',
      phase: '02',
      previous: '01-plan',
      body: '## Exit Criteria\n\n- [x] shipped\n',
    });
    const { client, uri, rel } = await start({ 'wf/01-plan.md': plan, 'wf/02-ship.md': ship });
    const u = uri('wf/02-ship.md');
    const d = await client.waitForDiagnostics(u, (x) => x.some((y) => y.code === 'out-of-order'));
    const early = d.find((x) => x.code === 'out-of-order')!;
    // (as the Problems panel asks: quick fixes of that diagnostic only)
    const fixes = await codeActions(client, u, early.range, [early], ['quickfix']);
    assert.deepEqual(
      fixes.map((a) => [a.title, a.kind]),
      [['Mark criterion as not done', 'quickfix']],
    );
    assert.equal(
      applyEdit({ 'wf/02-ship.md': ship }, fixes[0].edit!, rel)['wf/02-ship.md'],
      ship.replace('- [x] shipped', '- [ ] shipped'),
    );
    // With every kind asked for, the line's own toggle is not offered beside it.
    const all = await codeActions(client, u, early.range, [early]);
    assert.equal(all.filter((a) => a.title === 'Mark criterion as not done').length, 1);
  });

  it('marks a criterion as done or not done on its line', async () => {
    const text = '# A\n\n## Exit Criteria\n\n- [ ] one\n- [x] two\n\nprose\n';
    const { client, uri, rel } = await start({ 'a.md': text });
    const line = (n: number) => ({ start: { line: n, character: 2 }, end: { line: n, character: 2 } });
    const [done] = await codeActions(client, uri('a.md'), line(4), [], ['refactor.rewrite']);
    assert.equal(done.title, 'Mark criterion as done');
    assert.equal(done.kind, 'refactor.rewrite');
    const edits = (done.edit!.documentChanges![0] as { edits: unknown[] }).edits;
    assert.deepEqual(edits, [
      { range: { start: { line: 4, character: 3 }, end: { line: 4, character: 4 } }, newText: 'x' },
    ]);
    assert.equal(
      applyEdit({ 'a.md': text }, done.edit!, rel)['a.md'],
      text.replace('- [ ] one', '- [x] one'),
    );
    const [undo] = await codeActions(client, uri('a.md'), line(5), [], ['refactor']);
    assert.equal(undo.title, 'Mark criterion as not done');
    assert.deepEqual(await codeActions(client, uri('a.md'), line(7)), []);
    assert.deepEqual(await codeActions(client, uri('a.md'), line(4), [], ['quickfix']), []);
  });
});

describe('custom requests', () => {
  const files = {
    'wf/01-plan.md': phaseDoc({ title: 'Plan', phase: '01', body: '## Exit Criteria\n\n- [x] planned\n' }),
    'wf/02-build.md': phaseDoc({
      title: 'Build',
      phase: '02',
      body: '## Entry Criteria\n\n- [x] approved\n\n## Exit Criteria\n\n- [ ] built\n- [ ] tested\n',
    }),
    'wf/03-ship.md': phaseDoc({ title: 'Ship', phase: '03', body: '## Release Gate\n\n- [ ] signed off\n' }),
    'wf/04-broken.md': '# Broken\n\n---\nphase: [\n---\n\n## Exit Criteria\n\n- [x] fine\n',
  };

  it('cdp/workflows lists every phase with its state, groups and items', async () => {
    const { client, uri } = await start(files);
    const r = await req<WorkflowsResult>(client, 'cdp/workflows', {});
    assert.equal(r.ready, true);
    assert.equal(r.workflows.length, 1);
    const [w] = r.workflows;
    assert.equal(w.id, 'wf');
    assert.equal(w.current, '02');
    assert.deepEqual(
      w.phases.map((p) => [p.phase, p.state, p.failingGates, p.hasErrors, p.checked, p.total]),
      [
        ['01', 'passed', false, false, 1, 1],
        // 04 is done while 02 and 03 are open: their gates are failing
        ['02', 'current', true, false, 1, 3],
        ['03', 'not-started', true, false, 0, 1],
        // errors are a marker beside the state, not a state of their own
        ['04', 'passed', false, true, 1, 1],
      ],
    );
    const buildPhase = w.phases[1];
    assert.equal(buildPhase.uri, uri('wf/02-build.md'));
    assert.deepEqual(
      buildPhase.groups.map((g) => [g.heading, g.kind, g.passed, g.items.map((i) => i.text)]),
      [
        ['Entry Criteria', 'entry', true, ['approved']],
        ['Exit Criteria', 'exit', false, ['built', 'tested']],
      ],
    );
    assert.equal(w.phases[3].hasErrors, true);
    const one = await req<WorkflowsResult>(client, 'cdp/workflows', { uri: uri('wf/03-ship.md') });
    assert.equal(one.workflows.length, 1);
    const none = await req<WorkflowsResult>(client, 'cdp/workflows', { uri: uri('elsewhere.md') });
    assert.deepEqual(none.workflows, []);
  });

  it('cdp/checkGate checks one phase, every phase up to one, and says when nothing matched', async () => {
    const { client, uri } = await start(files);
    const lineOf = (rel: keyof typeof files, needle: string) => posOf(files[rel], needle).line;
    const one = await req<CheckGateResult>(client, 'cdp/checkGate', { phase: '01' });
    assert.equal(one.passed, true);
    assert.deepEqual(
      one.verdicts.map((v) => v.phase),
      ['01'],
    );
    const upTo = await req<CheckGateResult>(client, 'cdp/checkGate', { phase: 'Ship', upTo: true });
    assert.equal(upTo.passed, false);
    assert.deepEqual(
      upTo.verdicts.map((v) => [v.phase, v.passed]),
      [
        ['01', true],
        ['02', false],
        ['03', false],
      ],
    );
    assert.deepEqual(
      upTo.verdicts.flatMap((v) => v.unmet),
      [
        {
          uri: uri('wf/02-build.md'),
          line: lineOf('wf/02-build.md', '- [ ] built'),
          text: 'built',
          group: 'Exit Criteria',
        },
        {
          uri: uri('wf/02-build.md'),
          line: lineOf('wf/02-build.md', '- [ ] tested'),
          text: 'tested',
          group: 'Exit Criteria',
        },
        {
          uri: uri('wf/03-ship.md'),
          line: lineOf('wf/03-ship.md', '- [ ] signed'),
          text: 'signed off',
          group: 'Release Gate',
        },
      ],
    );
    const gates = await req<CheckGateResult>(client, 'cdp/checkGate', { group: 'gates' });
    assert.deepEqual(
      gates.verdicts.map((v) => [v.phase, v.groups.map((g) => g.heading)]),
      [['03', ['Release Gate']]],
    );
    const nothing = await req<CheckGateResult>(client, 'cdp/checkGate', { phase: '09' });
    assert.equal(nothing.passed, false);
    assert.deepEqual(nothing.verdicts, []);
    assert.match(nothing.message ?? '', /No phase matches "09"/);
    const noGroup = await req<CheckGateResult>(client, 'cdp/checkGate', {
      phase: '01',
      group: 'Security',
    });
    assert.match(noGroup.message ?? '', /No group matches "Security"/);
    // "release" in a workflow without one is its deploy phase, as `cdp check --phase release` reads it.
    const helix = await start({
      'docs/helix/04-build/README.md': '# Phase 04: Build\n\n## Exit Criteria\n\n- [x] built\n',
      'docs/helix/05-deploy/README.md': '# Phase 05: Deploy\n\n## Exit Criteria\n\n- [ ] deployed\n',
    });
    const release = await req<CheckGateResult>(helix.client, 'cdp/checkGate', { phase: 'release' });
    assert.deepEqual(
      [release.message, release.verdicts.map((v) => [v.phase, v.passed])],
      [undefined, [['05', false]]],
    );
    const noWorkflow = await req<CheckGateResult>(client, 'cdp/checkGate', { workflow: 'nope' });
    assert.match(noWorkflow.message ?? '', /No workflow matches "nope"/);
  });

  it('cdp/toggleCriterion says why a line is no checklist item: no text after the box, other spaces, no such line', async () => {
    const text = '# Doc\n\n## Exit Criteria\n\n- [ ]\n- [ ]\u3000ideographic\n😀 - [ ] m\n| - [ ] tbl |\n';
    const { client, uri } = await start({ ...files, 'wf/doc.md': text });
    const u = uri('wf/doc.md');
    await client.open(u, text);
    const refused = async (line: number, expectedText: string) =>
      (await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', { uri: u, line, expectedText }))
        .refused;
    const gfm = /^Line \d+ is no checklist item as GitHub reads it: a checkbox needs a list marker/;
    assert.match((await refused(4, '')) ?? '', gfm);
    assert.match((await refused(5, 'ideographic')) ?? '', gfm);
    assert.match((await refused(6, 'm')) ?? '', gfm);
    assert.match((await refused(7, 'tbl')) ?? '', gfm);
    assert.equal(await refused(-1, 'x'), 'There is no line 0: lines are counted from 1.');
    assert.equal(await refused(40, 'x'), 'There is no line 41: the document has fewer lines.');
  });

  it('cdp/toggleCriterion on a line that looks like a criterion inside code or a comment says so', async () => {
    const text =
      '# Notes\n\n```\n- [ ] not a task in code\n```\n\n<!--\n- [x] nor in a comment\n-->\n\n- [ ] real\n\nSee [ ] prose\n';
    const { client, uri } = await start({ ...files, 'wf/notes.md': text });
    const u = uri('wf/notes.md');
    await client.open(u, text);
    for (const [needle, expectedText] of [
      ['- [ ] not a task', 'not a task in code'],
      ['- [x] nor', 'nor in a comment'],
    ]) {
      const line = posOf(text, needle).line;
      const r = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
        uri: u,
        line,
        expectedText,
      });
      assert.equal(r.edit, undefined);
      assert.equal(
        r.refused,
        `Line ${line + 1} is no checklist item: it lies in a code block, an HTML block or a comment.`,
      );
    }
    // A line that only holds a box in its text is no list item: not said to be in code,
    // but what GitHub needs of a checklist item.
    const prose = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: posOf(text, 'See [ ] prose').line,
      expectedText: 'prose',
    });
    assert.match(
      prose.refused ?? '',
      /^Line 13 is no checklist item as GitHub reads it: a checkbox needs a list marker/,
    );
    const real = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: posOf(text, '- [ ] real').line,
      expectedText: 'real',
    });
    assert.ok(real.edit);
  });

  it('cdp/toggleCriterion gives a versioned one-character edit, and refuses when the line changed or nothing is to be done', async () => {
    const text = files['wf/02-build.md'];
    const { client, uri } = await start(files);
    const u = uri('wf/02-build.md');
    await client.open(u, text);
    const line = posOf(text, '- [ ] built').line;
    const ok = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line,
      expectedText: ' built ',
    });
    assert.equal(ok.refused, undefined);
    assert.deepEqual(ok.edit?.documentChanges, [
      {
        textDocument: { uri: u, version: 1 },
        edits: [{ range: { start: { line, character: 3 }, end: { line, character: 4 } }, newText: 'x' }],
      },
    ]);
    const already = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line,
      expectedText: 'built',
      checked: false,
    });
    assert.match(already.refused ?? '', /already not done/);
    await client.change(u, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
    ]);
    const stale = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line,
      expectedText: 'built',
    });
    assert.equal(stale.edit, undefined);
    assert.match(stale.refused ?? '', /no longer holds the criterion "built"/);
    const moved = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: line + 1,
      expectedText: 'built',
      checked: true,
    });
    const [moveEdit] = (moved.edit?.documentChanges ?? []) as { textDocument: { version: number } }[];
    assert.equal(moveEdit.textDocument.version, 2);
  });
});

describe('workspace/willRenameFiles: renames that change only letter case', () => {
  const files = {
    'notes.md':
      '# Notes\n\n[a](docs/Plan.md) [[Plan]] [[docs/Plan]] [[docs/Plan.md#Plan|p]] [d](docs/) ![img](docs/Arch.png) [[docs/Arch.png]]\n',
    'docs/README.md': '# Docs\n\n[up](../notes.md) [[./Plan]]\n',
    'docs/Plan.md': '# Plan\n\n[n](../notes.md)\n',
    'docs/Arch.png': '',
  };
  /** The texts after the edit of `from` → `to`, with the files moved as the editor moves them. */
  const renamed = async (from: string, to: string) => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri(from), newUri: uri(to) }],
    });
    assert.ok(edit, `${from} → ${to} updates links`);
    const moved: Record<string, string> = {};
    for (const [k, t] of Object.entries(applyEdit(files, edit, rel)))
      moved[k === from || k.startsWith(`${from}/`) ? to + k.slice(from.length) : k] = t;
    return moved;
  };

  it('a document: markdown links and path wikilinks follow the new case; a bare name, which names it in any case, stays', async () => {
    const after = await renamed('docs/Plan.md', 'docs/plan.md');
    assert.equal(
      after['notes.md'],
      '# Notes\n\n[a](docs/plan.md) [[Plan]] [[docs/plan]] [[docs/plan.md#Plan|p]] [d](docs/) ![img](docs/Arch.png) [[docs/Arch.png]]\n',
    );
    assert.equal(after['docs/README.md'], '# Docs\n\n[up](../notes.md) [[./plan]]\n');
    assert.equal(after['docs/plan.md'], files['docs/Plan.md']);
    await assertLinksResolve(after);
  });

  it('a folder: every path into it follows, links inside it that stay relative are left', async () => {
    const after = await renamed('docs', 'Docs');
    assert.equal(
      after['notes.md'],
      '# Notes\n\n[a](Docs/Plan.md) [[Plan]] [[Docs/Plan]] [[Docs/Plan.md#Plan|p]] [d](Docs/) ![img](Docs/Arch.png) [[Docs/Arch.png]]\n',
    );
    assert.equal(after['Docs/README.md'], files['docs/README.md']);
    assert.equal(after['Docs/Plan.md'], files['docs/Plan.md']);
    await assertLinksResolve(after);
  });

  it('another file: markdown links and path wikilinks to it follow', async () => {
    const after = await renamed('docs/Arch.png', 'docs/arch.png');
    assert.match(after['notes.md'], /!\[img\]\(docs\/arch\.png\) \[\[docs\/arch\.png\]\]\n$/);
    await assertLinksResolve(after);
  });

  it('a link that differed in case before and still reaches its document is left as written', async () => {
    const loose = { ...files, 'other.md': '# Other\n\n[a](DOCS/plan.md) [[DOCS/PLAN]]\n' };
    const { client, uri } = await start(loose);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/Plan.md'), newUri: uri('docs/plan.md') }],
    });
    assert.ok(edit, 'notes.md is edited');
    assert.ok(
      !(edit.documentChanges ?? []).some(
        (c) => 'textDocument' in c && c.textDocument.uri === uri('other.md'),
      ),
      'other.md is not edited',
    );
  });
});

describe('rename: names written decomposed (macOS)', () => {
  it('renaming the title of a document named after it in the other Unicode form renames the file; links keep their form', async () => {
    const nfd = 'docs/Gro\u0308\u00dfenma\u00df.md';
    const files = {
      [nfd]: '# Größenmaß\n\nText.\n',
      'docs/notes.md': '# Notes\n\nSee [[Größenmaß]].\n',
    };
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri(nfd) },
      position: { line: 0, character: 3 },
      newName: 'Größe und Maß',
    });
    const renames = (edit.documentChanges ?? []).filter((c) => 'kind' in c && c.kind === 'rename');
    assert.deepEqual(
      renames.map((c) => ('newUri' in c ? rel(c.newUri) : '')),
      ['docs/Größe-und-Maß.md'],
    );
    const after = applyEdit(files, edit, rel);
    assert.equal(after['docs/notes.md'], '# Notes\n\nSee [[Größe-und-Maß]].\n');
  });
});

describe('gate files: rename and moves', () => {
  const files: Record<string, string> = {
    'docs/helix/01-frame/README.md': '# Frame\n\n[[prd]]\n',
    'docs/helix/01-frame/prd.md': '# PRD\n\n## Success Metrics\n\n## Users\n',
    'docs/helix/01-frame/exit-gates.yml': [
      'exit_gates:',
      '  - criteria: Metrics are defined',
      '    evidence: docs/helix/01-frame/prd.md#success-metrics',
      '  - criteria: Users are named',
      '    evidence: "./docs/helix/01-frame/prd.md#users"  # quoted',
      '  - criteria: A backup',
      '    evidence: docs/helix/01-frame/prd.md.bak',
      '  - criteria: Sponsor',
      '    evidence: sponsor acknowledgment',
      '',
    ].join('\n'),
    'docs/helix/02-design/README.md': '# Design\n',
    'docs/helix/02-design/GATE.yaml': [
      'entry_requirements:',
      '  automated:',
      '    - check: file_exists',
      "      path: 'docs/helix/01-frame/prd.md'",
      '      fallback_paths: [docs/helix/01-frame/prd.md, docs/**/*.md, docs/helix/01-frame]',
      '    - check: dir_not_empty',
      '      path: docs/helix/01-frame/',
      '  manual:',
      '    - Design reviewed',
      '',
    ].join('\n'),
    '.cdp/confirmations.yml':
      '- file: docs/helix/02-design/GATE.yaml\n  item: "Design reviewed"\n  by: "Jane"\n  at: "2026-01-01"\n',
  };
  const moveEdit = async (from: string, to: string) => {
    const { client, uri, rel } = await start(files);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri(from), newUri: uri(to) }],
    });
    assert.ok(edit, to);
    return { after: applyEdit(files, edit, rel), edit, rel };
  };

  it('a phase folder renamed in place: the transition.to_phase naming it follows, in its quoting', async () => {
    for (const [written, after] of [
      ['to_phase: 02-design', 'to_phase: 02-architecture'],
      ['to_phase: "02-design"  # next', 'to_phase: "02-architecture"  # next'],
      ["{to_phase: '02-design', note: x}", "{to_phase: '02-architecture', note: x}"],
    ]) {
      const text = `exit_requirements:\n  manual:\n    - Framed\ntransition:${written.startsWith('{') ? ' ' : '\n  '}${written}\n`;
      const mine = { ...files, 'docs/helix/01-frame/GATE.yaml': text };
      const { client, uri, rel } = await start(mine);
      const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
        files: [{ oldUri: uri('docs/helix/02-design'), newUri: uri('docs/helix/02-architecture') }],
      });
      assert.ok(edit, written);
      const out = applyEdit(mine, edit, rel);
      assert.equal(out['docs/helix/01-frame/GATE.yaml'], text.replace(written, after));
    }
    // Moved into another folder, the name it had says nothing of where it went: left.
    const text = 'exit_requirements:\n  manual:\n    - Framed\ntransition:\n  to_phase: 02-design\n';
    const mine = { ...files, 'docs/helix/01-frame/GATE.yaml': text };
    const { client, uri, rel } = await start(mine);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/helix/02-design'), newUri: uri('docs/old/02-design') }],
    });
    const out = edit ? applyEdit(mine, edit, rel) : mine;
    assert.equal(out['docs/helix/01-frame/GATE.yaml'], text);
  });

  it('a gate file that cannot be read and names the moved file: left as it is, and the user is told', async () => {
    const broken = {
      ...files,
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: PRD\n    evidence: docs/helix/01-frame/prd.md#users\n  - criteria: Tests\n    comand: npm test\n',
    };
    const { client, uri, rel } = await start(broken);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/helix/01-frame/prd.md'), newUri: uri('docs/helix/01-frame/spec.md') }],
    });
    const after = edit ? applyEdit(broken, edit, rel) : broken;
    assert.equal(after['docs/helix/01-frame/exit-gates.yml'], broken['docs/helix/01-frame/exit-gates.yml']);
    assert.equal(client.warnings.length, 1);
    assert.match(
      client.warnings[0],
      /the paths in docs\/helix\/01-frame\/exit-gates\.yml \(it cannot be read: unknown key `comand`/,
    );
  });

  it('a gate file past the YAML guard that names the moved file: told why in one sentence', async () => {
    const deep = {
      ...files,
      'docs/helix/01-frame/exit-gates.yml': `exit_gates:\n  - criteria: PRD\n    evidence: docs/helix/01-frame/prd.md\n  - criteria: ${'['.repeat(5000)}\n`,
    };
    const { client, uri } = await start(deep);
    await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/helix/01-frame/prd.md'), newUri: uri('docs/helix/01-frame/spec.md') }],
    });
    assert.equal(client.warnings.length, 1);
    assert.match(
      client.warnings[0],
      /the paths in docs\/helix\/01-frame\/exit-gates\.yml \(it cannot be read: the YAML is nested more than 100 levels deep\)/,
    );
  });

  it('a folder moved to a name that reads as a glob: its globs are left, and the user is told which', async () => {
    const globbed = {
      ...files,
      'docs/helix/02-design/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: grep_absent\n      pattern: TODO\n      path: "docs/helix/01-frame/**/*.md"\n',
    };
    const { client, uri, rel } = await start(globbed);
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs/helix/01-frame'), newUri: uri('docs/helix/01-frame[v2]') }],
    });
    const after = edit ? applyEdit(globbed, edit, rel) : globbed;
    assert.equal(after['docs/helix/02-design/GATE.yaml'], globbed['docs/helix/02-design/GATE.yaml']);
    assert.deepEqual(client.warnings, [
      'Left as they are, naming the old place still (the new name cannot be written there as it reads now): docs/helix/02-design/GATE.yaml line 5. Edit them to the new name.',
    ]);
    // A name that reads as a path moves them, and nothing is said.
    const plain = await start(globbed);
    const moved = await req<WorkspaceEdit>(plain.client, 'workspace/willRenameFiles', {
      files: [{ oldUri: plain.uri('docs/helix/01-frame'), newUri: plain.uri('docs/helix/01-framing') }],
    });
    assert.match(
      applyEdit(globbed, moved, plain.rel)['docs/helix/02-design/GATE.yaml'],
      /path: "docs\/helix\/01-framing\/\*\*\/\*\.md"/,
    );
    assert.deepEqual(plain.client.warnings, []);
  });

  it('a moved document: evidence, path and fallback_paths naming it follow, in their quoting, anchors kept', async () => {
    const { after, edit, rel } = await moveEdit(
      'docs/helix/01-frame/prd.md',
      'docs/helix/01-frame/requirements.md',
    );
    // Exactly the values naming the file: not the backup, the glob, the folder or the prose.
    const gate = (edit.documentChanges ?? []).find(
      (c) => 'textDocument' in c && rel(c.textDocument.uri) === 'docs/helix/01-frame/exit-gates.yml',
    );
    assert.deepEqual(gate && 'edits' in gate ? gate.edits : undefined, [
      {
        range: { start: { line: 2, character: 14 }, end: { line: 2, character: 56 } },
        newText: 'docs/helix/01-frame/requirements.md#success-metrics',
      },
      {
        range: { start: { line: 4, character: 14 }, end: { line: 4, character: 50 } },
        newText: '"./docs/helix/01-frame/requirements.md#users"',
      },
    ]);
    assert.equal(
      after['docs/helix/02-design/GATE.yaml'],
      files['docs/helix/02-design/GATE.yaml']
        .replace("'docs/helix/01-frame/prd.md'", "'docs/helix/01-frame/requirements.md'")
        .replace('[docs/helix/01-frame/prd.md,', '[docs/helix/01-frame/requirements.md,'),
    );
    assert.equal(after['.cdp/confirmations.yml'], files['.cdp/confirmations.yml']);
  });

  it('a workflow definition’s gate file keeps the layout it names when a project’s document moves; its own paths follow', async () => {
    const lib = 'library/workflows/helix';
    const libGate = `${lib}/phases/01-frame/GATE.yaml`;
    const withLib = {
      ...files,
      [`${lib}/workflow.yml`]: 'name: helix\n',
      [`${lib}/phases/01-frame/README.md`]: '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD\n',
      [`${lib}/phases/01-frame/artifacts/prd/template.md`]: '# PRD\n\n## Users\n',
      [libGate]: [
        'exit_requirements:',
        '  automated:',
        '    - check: file_exists',
        '      path: docs/helix/01-frame/prd.md',
        '    - check: file_exists',
        `      path: ${lib}/phases/01-frame/artifacts/prd/template.md`,
        '',
      ].join('\n'),
    };
    const { client, uri, rel } = await start(withLib);
    const project = await req<WorkspaceEdit>(client, 'workspace/willRenameFiles', {
      files: [
        { oldUri: uri('docs/helix/01-frame/prd.md'), newUri: uri('docs/helix/01-frame/requirements.md') },
      ],
    });
    const after = applyEdit(withLib, project, rel);
    assert.match(after['docs/helix/02-design/GATE.yaml'], /path: 'docs\/helix\/01-frame\/requirements\.md'/);
    assert.equal(after[libGate], withLib[libGate]);
    assert.deepEqual(client.warnings, []);
    // References on the project's document: the project's gate files, not the definition's.
    const refs = await req<Location[]>(client, 'textDocument/references', {
      textDocument: { uri: uri('docs/helix/01-frame/prd.md') },
      position: { line: 0, character: 2 },
      context: { includeDeclaration: false },
    });
    assert.ok(refs.some((r) => rel(r.uri) === 'docs/helix/02-design/GATE.yaml'));
    assert.ok(!refs.some((r) => rel(r.uri) === libGate));
    // The definition's own template moved: its path in the definition follows.
    const own = await req<WorkspaceEdit>(client, 'workspace/willRenameFiles', {
      files: [
        {
          oldUri: uri(`${lib}/phases/01-frame/artifacts/prd/template.md`),
          newUri: uri(`${lib}/phases/01-frame/artifacts/prd/prd-template.md`),
        },
      ],
    });
    assert.equal(
      applyEdit(withLib, own, rel)[libGate],
      withLib[libGate].replace('prd/template.md', 'prd/prd-template.md'),
    );
  });

  it('a definition at the workspace folder’s root keeps its gate paths when the project’s folder beside it moves', async () => {
    const rootDef = {
      'workflow.yml': 'name: helix\n',
      'phases/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD\n',
      'phases/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n',
      'docs/helix/01-frame/README.md': '# Phase 01: Frame\n\n## Exit Criteria\n\n- [ ] PRD\n',
      'docs/helix/01-frame/prd.md': '# PRD\n',
      'docs/helix/01-frame/GATE.yaml':
        'exit_requirements:\n  automated:\n    - check: file_exists\n      path: docs/helix/01-frame/prd.md\n',
    };
    const { client, uri, rel } = await start(rootDef);
    const edit = await req<WorkspaceEdit>(client, 'workspace/willRenameFiles', {
      files: [{ oldUri: uri('docs'), newUri: uri('documentation') }],
    });
    const after = applyEdit(rootDef, edit, rel);
    assert.equal(after['phases/01-frame/GATE.yaml'], rootDef['phases/01-frame/GATE.yaml']);
    assert.match(after['docs/helix/01-frame/GATE.yaml'], /path: documentation\/helix\/01-frame\/prd\.md/);
  });

  it('a moved folder: every value into it follows, and confirmations name the moved gate file', async () => {
    const frame = await moveEdit('docs/helix/01-frame', 'docs/helix/01-discover');
    assert.equal(
      frame.after['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml'].replace(/01-frame\/prd\.md/g, '01-discover/prd.md'),
    );
    assert.equal(
      frame.after['docs/helix/02-design/GATE.yaml'],
      files['docs/helix/02-design/GATE.yaml']
        .replace(/01-frame\/prd\.md/g, '01-discover/prd.md')
        .replace('docs/**/*.md, docs/helix/01-frame]', 'docs/**/*.md, docs/helix/01-discover]')
        .replace('path: docs/helix/01-frame/\n', 'path: docs/helix/01-discover/\n'),
    );
    // A new path YAML would not read as written plain is quoted; the gate file's confirmation follows it.
    const design = await moveEdit('docs/helix/02-design', 'docs/helix/02: design');
    assert.equal(
      design.after['.cdp/confirmations.yml'],
      '- file: \'docs/helix/02: design/GATE.yaml\'\n  item: "Design reviewed"\n  by: "Jane"\n  at: "2026-01-01"\n',
    );
  });

  it('a rename that changes only letter case moves gate paths and confirmations like any other', async () => {
    const { after } = await moveEdit('docs/helix/01-frame/prd.md', 'docs/helix/01-frame/PRD.md');
    assert.equal(
      after['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml']
        .replace('01-frame/prd.md#success-metrics', '01-frame/PRD.md#success-metrics')
        .replace('01-frame/prd.md#users', '01-frame/PRD.md#users'),
    );
    assert.equal(
      after['docs/helix/02-design/GATE.yaml'],
      files['docs/helix/02-design/GATE.yaml']
        .replace("'docs/helix/01-frame/prd.md'", "'docs/helix/01-frame/PRD.md'")
        .replace('[docs/helix/01-frame/prd.md,', '[docs/helix/01-frame/PRD.md,'),
    );
    const design = await moveEdit('docs/helix/02-design', 'docs/helix/02-Design');
    assert.equal(
      design.after['.cdp/confirmations.yml'],
      files['.cdp/confirmations.yml'].replace('02-design/GATE.yaml', '02-Design/GATE.yaml'),
    );
  });

  it('new names YAML cannot hold plain are quoted; an evidence path cannot hold `#` and is left', async () => {
    const { after } = await moveEdit('docs/helix/01-frame/prd.md', 'docs/helix/01-frame/a: b.md');
    assert.equal(
      after['docs/helix/02-design/GATE.yaml'],
      files['docs/helix/02-design/GATE.yaml']
        .replace("'docs/helix/01-frame/prd.md'", "'docs/helix/01-frame/a: b.md'")
        .replace('[docs/helix/01-frame/prd.md,', "['docs/helix/01-frame/a: b.md',"),
    );
    // Evidence with a space is read as a path when it ends in a file extension: rewritten, quoted as YAML needs.
    assert.equal(
      after['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml']
        .replace(
          'docs/helix/01-frame/prd.md#success-metrics',
          "'docs/helix/01-frame/a: b.md#success-metrics'",
        )
        .replace('"./docs/helix/01-frame/prd.md#users"', '"./docs/helix/01-frame/a: b.md#users"'),
    );
    const hash = await moveEdit('docs/helix/01-frame/prd.md', 'docs/helix/01-frame/#prd.md');
    assert.equal(
      hash.after['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml'],
    );
    assert.match(hash.after['docs/helix/02-design/GATE.yaml'], /path: 'docs\/helix\/01-frame\/#prd\.md'/);
  });

  it('renaming the first of repeated headings renumbers the evidence anchors of the others, as links get', async () => {
    const twice = {
      ...files,
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Overview\n\n## Overview\n\n## Overview\n',
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: Second\n    evidence: docs/helix/01-frame/prd.md#overview-1\n  - criteria: Third\n    evidence: docs//helix/01-frame/prd.md#overview-2\n  - criteria: First\n    evidence: ./docs/helix/01-frame/prd.md#overview\n',
      'docs/helix/01-frame/notes.md': '# Notes\n\n[second](prd.md#overview-1)\n',
    };
    const { client, uri, rel } = await start(twice);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/helix/01-frame/prd.md') },
      position: posOf(twice['docs/helix/01-frame/prd.md'], 'Overview', 1),
      newName: 'Goals',
    });
    const after = applyEdit(twice, edit, rel);
    assert.equal(after['docs/helix/01-frame/notes.md'], '# Notes\n\n[second](prd.md#overview)\n');
    assert.equal(
      after['docs/helix/01-frame/exit-gates.yml'],
      'exit_gates:\n  - criteria: Second\n    evidence: docs/helix/01-frame/prd.md#overview\n  - criteria: Third\n    evidence: docs//helix/01-frame/prd.md#overview-1\n  - criteria: First\n    evidence: ./docs/helix/01-frame/prd.md#goals\n',
    );
  });

  it('renaming a heading to a text whose anchor is near the old one gives evidence its new anchor, as links get', async () => {
    // `Success Metrics (KPIs)` is `#success-metrics-kpis`; `Success Metrics & KPIs` is `#success-metrics--kpis`.
    const kpis = {
      ...files,
      'docs/helix/01-frame/prd.md': '# PRD\n\n## Success Metrics (KPIs)\n',
      'docs/helix/01-frame/exit-gates.yml':
        'exit_gates:\n  - criteria: KPIs\n    evidence: docs/helix/01-frame/prd.md#success-metrics-kpis\n  - criteria: Text\n    evidence: "docs/helix/01-frame/prd.md#Success Metrics (KPIs)"\n',
      'docs/helix/01-frame/notes.md': '# Notes\n\n[kpis](prd.md#success-metrics-kpis)\n',
    };
    const { client, uri, rel } = await start(kpis);
    const edit = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/helix/01-frame/prd.md') },
      position: posOf(kpis['docs/helix/01-frame/prd.md'], 'Success', 1),
      newName: 'Success Metrics & KPIs',
    });
    const after = applyEdit(kpis, edit, rel);
    assert.equal(after['docs/helix/01-frame/notes.md'], '# Notes\n\n[kpis](prd.md#success-metrics--kpis)\n');
    assert.equal(
      after['docs/helix/01-frame/exit-gates.yml'],
      'exit_gates:\n  - criteria: KPIs\n    evidence: docs/helix/01-frame/prd.md#success-metrics--kpis\n  - criteria: Text\n    evidence: "docs/helix/01-frame/prd.md#Success Metrics & KPIs"\n',
    );
  });

  it('renaming a heading or the document: evidence anchors and paths follow; a name evidence cannot hold is refused', async () => {
    const { client, uri, rel } = await start(files);
    const prd = files['docs/helix/01-frame/prd.md'];
    const heading = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/helix/01-frame/prd.md') },
      position: posOf(prd, 'Success Metrics', 2),
      newName: 'Key Results',
    });
    assert.equal(
      applyEdit(files, heading, rel)['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml'].replace('prd.md#success-metrics', 'prd.md#key-results'),
    );
    // An anchor written as the heading's text is written as the new text.
    const asText = {
      ...files,
      'docs/helix/01-frame/exit-gates.yml': files['docs/helix/01-frame/exit-gates.yml'].replace(
        'prd.md#users',
        'prd.md#Users',
      ),
    };
    const asTextStart = await start(asText);
    const people = await req<WorkspaceEdit>(asTextStart.client, 'textDocument/rename', {
      textDocument: { uri: asTextStart.uri('docs/helix/01-frame/prd.md') },
      position: posOf(prd, 'Users', 1),
      newName: 'People',
    });
    assert.equal(
      applyEdit(asText, people, asTextStart.rel)['docs/helix/01-frame/exit-gates.yml'],
      asText['docs/helix/01-frame/exit-gates.yml'].replace('prd.md#Users', 'prd.md#People'),
    );
    // An anchor written encoded is written encoded again.
    const encoded = {
      ...files,
      'docs/helix/01-frame/prd.md': prd.replace('## Users', '## Über Users'),
      'docs/helix/01-frame/exit-gates.yml': files['docs/helix/01-frame/exit-gates.yml'].replace(
        'prd.md#users',
        'prd.md#%C3%BCber-users',
      ),
    };
    const encodedStart = await start(encoded);
    const umlaut = await req<WorkspaceEdit>(encodedStart.client, 'textDocument/rename', {
      textDocument: { uri: encodedStart.uri('docs/helix/01-frame/prd.md') },
      position: posOf(encoded['docs/helix/01-frame/prd.md'], 'Über', 1),
      newName: 'Ärger',
    });
    assert.equal(
      applyEdit(encoded, umlaut, encodedStart.rel)['docs/helix/01-frame/exit-gates.yml'],
      encoded['docs/helix/01-frame/exit-gates.yml'].replace('prd.md#%C3%BCber-users', 'prd.md#%C3%A4rger'),
    );
    const title = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/helix/01-frame/prd.md') },
      position: posOf(prd, 'PRD', 1),
      newName: 'Requirements',
    });
    const renamed = applyEdit(files, title, rel);
    assert.equal(
      renamed['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml'].replace(/prd\.md#/g, 'requirements.md#'),
    );
    assert.ok(renamed['docs/helix/01-frame/requirements.md']);
    // A file name with a space: evidence ending in `.md` still names it, so it follows.
    const spaced = await req<WorkspaceEdit>(client, 'textDocument/rename', {
      textDocument: { uri: uri('docs/helix/01-frame/README.md') },
      position: posOf(files['docs/helix/01-frame/README.md'], '[[prd', 3),
      newName: 'product requirements',
    });
    assert.equal(
      applyEdit(files, spaced, rel)['docs/helix/01-frame/exit-gates.yml'],
      files['docs/helix/01-frame/exit-gates.yml'].replace(/prd\.md#/g, 'product requirements.md#'),
    );
  });
});

describe('closed files that are not UTF-8 are never rewritten', () => {
  // The memory disk holds decoded texts: U+FFFD marks bytes that were not UTF-8 (Latin-1 é).
  const files = {
    '01-a.md':
      '---\nphase: "01"\nname: "A"\n---\n# Caf\uFFFD\n\n## Exit Criteria\n\n- [ ] r\uFFFDsum\uFFFD ok\n',
    'notes.md': '# Notes\n\n[a](docs/plan.md) [[docs/plan]]\n',
    'old.md': '# Old\n\n[p](docs/plan.md) caf\uFFFD\n',
    'docs/plan.md': '# Plan\n',
  };

  it('cdp/toggleCriterion refuses with the reason; the same file open in the editor is changed there', async () => {
    const { client, uri } = await start(files);
    const u = uri('01-a.md');
    const params = { uri: u, line: 8, expectedText: 'r\uFFFDsum\uFFFD ok', checked: true };
    const r = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', params);
    assert.equal(r.edit, undefined);
    assert.equal(r.refused, '"01-a.md" is not UTF-8 text; open it in the editor to change it.');
    await client.open(u, files['01-a.md']);
    const open = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', params);
    assert.equal(open.refused, undefined);
    assert.ok(open.edit);
  });

  it('a rename is refused; files moved anyway leave that file out and still rewrite the others', async () => {
    const { client, uri, rel } = await start(files);
    const move = { files: [{ oldUri: uri('docs/plan.md'), newUri: uri('docs/roadmap.md') }] };
    const edit = await req<WorkspaceEdit | null>(client, 'workspace/willRenameFiles', move);
    assert.ok(edit);
    const touched = (edit.documentChanges ?? []).flatMap((c) =>
      'textDocument' in c ? [rel(c.textDocument.uri)] : [],
    );
    assert.deepEqual(touched, ['notes.md']);
    assert.equal(
      applyEdit(files, edit, rel)['notes.md'],
      '# Notes\n\n[a](docs/roadmap.md) [[docs/roadmap]]\n',
    );
    // The user is told which file's links still name the old place.
    assert.deepEqual(client.warnings, [
      'Left as they are, naming the old place still (the new name cannot be written there as it reads now): the links in old.md (not UTF-8 text). Edit them to the new name.',
    ]);
    await assert.rejects(
      req(client, 'textDocument/rename', {
        textDocument: { uri: uri('docs/plan.md') },
        position: { line: 0, character: 3 },
        newName: 'Roadmap',
      }),
      /The rename is refused: "old\.md" is not UTF-8 text; open it in the editor to change it\./,
    );
  });
});

describe('cdp/toggleCriterion with the version the caller saw', () => {
  it('refuses when the open document changed since, even where the line still holds the same text', async () => {
    const text = '---\nphase: "01"\nname: "A"\n---\n# A\n## Exit Criteria\n- [ ] Reviewed\n- [ ] Reviewed\n';
    const { client, uri } = await start({ '01-a.md': text });
    const u = uri('01-a.md');
    await client.open(u, text);
    const wf = await req<WorkflowsResult>(client, 'cdp/workflows', {});
    const phase = wf.workflows[0].phases[0];
    assert.equal(phase.version, 1);
    const second = phase.groups[0].items[1];
    assert.equal(second.line, 7);
    // A line inserted above: line 7 now holds the first "Reviewed".
    await client.change(u, [
      {
        range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } },
        text: '- [x] New first\n',
      },
    ]);
    const params = { uri: u, line: second.line, expectedText: second.text, checked: true };
    const stale = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', { ...params, version: 1 });
    assert.equal(stale.edit, undefined);
    assert.match(
      stale.refused ?? '',
      /^The document changed since the criterion "Reviewed" was shown, and that text is on more than one line: try again once the view has caught up\.$/,
    );
    // Without a version, as before: the line and text are all that is checked.
    const unversioned = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', params);
    assert.ok(unversioned.edit);
    const current = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      ...params,
      line: 8,
      version: 2,
    });
    assert.ok(current.edit);
  });

  it('ticks the line shown after an edit elsewhere that left progress as it was', async () => {
    const text =
      '---\nphase: "01"\nname: "A"\n---\n# A\n## Exit Criteria\n- [ ] Impact sized\n- [ ] Reviewed\n';
    const { client, uri } = await start({ '01-a.md': text });
    const u = uri('01-a.md');
    await client.open(u, text);
    const wf = await req<WorkflowsResult>(client, 'cdp/workflows', {});
    const phase = wf.workflows[0].phases[0];
    const item = phase.groups[0].items[0];
    assert.equal(item.line, 6);
    // A word added to the title: no box changed, the rows keep version 1.
    await client.change(u, [
      { range: { start: { line: 4, character: 3 }, end: { line: 4, character: 3 } }, text: ' draft' },
    ]);
    const r = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: item.line,
      expectedText: item.text,
      checked: true,
      version: phase.version,
    });
    assert.equal(r.refused, undefined);
    const [change] = (r.edit?.documentChanges ?? []) as {
      textDocument: { version: number };
      edits: { range: { start: { line: number; character: number } }; newText: string }[];
    }[];
    // Against the text as it is now (version 2), inside the brackets of line 7.
    assert.equal(change!.textDocument.version, 2);
    assert.deepEqual(
      change!.edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]),
      [[6, 3, 'x']],
    );
    // A line inserted above: the one "Impact sized" moved to line 8, and is the one ticked.
    await client.change(u, [
      { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '- [ ] Scoped\n' },
    ]);
    const ask = { uri: u, line: item.line, expectedText: item.text, checked: true, version: phase.version };
    const moved = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', ask);
    assert.equal(moved.refused, undefined);
    const [there] = (moved.edit?.documentChanges ?? []) as {
      edits: { range: { start: { line: number; character: number } }; newText: string }[];
    }[];
    assert.deepEqual(
      there!.edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]),
      [[7, 3, 'x']],
    );
    // Its text changed as well: no criterion of that text, refused.
    await client.change(u, [
      { range: { start: { line: 7, character: 6 }, end: { line: 7, character: 12 } }, text: 'Effort' },
    ]);
    const gone = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', ask);
    assert.equal(gone.edit, undefined);
    assert.match(gone.refused ?? '', /Line 7 no longer holds the criterion "Impact sized"/);
  });

  it('refuses when the criterion shown was edited and its old text stood on another line too', async () => {
    const text =
      '---\nphase: "01"\nname: "A"\n---\n# A\n## Entry Criteria\n- [ ] Tests pass\n## Exit Criteria\n- [ ] Tests pass\n';
    const { client, uri } = await start({ '01-a.md': text });
    const u = uri('01-a.md');
    await client.open(u, text);
    const wf = await req<WorkflowsResult>(client, 'cdp/workflows', {});
    const phase = wf.workflows[0].phases[0];
    const entry = phase.groups[0].items[0];
    assert.deepEqual([entry.line, entry.text, phase.version], [6, 'Tests pass', 1]);
    // The entry criterion's text edited: the exit criterion alone now reads "Tests pass".
    await client.change(u, [
      { range: { start: { line: 6, character: 16 }, end: { line: 6, character: 16 } }, text: ' on CI' },
    ]);
    const r = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: entry.line,
      expectedText: entry.text,
      checked: true,
      version: phase.version,
    });
    assert.equal(r.edit, undefined);
    assert.equal(
      r.refused,
      'The document changed since the criterion "Tests pass" was shown, and that text stood on more than one line then: try again once the view has caught up.',
    );
    // A version the server never showed: the line itself must still hold the criterion.
    const unknown = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: entry.line,
      expectedText: entry.text,
      checked: true,
      version: 0,
    });
    assert.equal(unknown.edit, undefined);
    assert.match(
      unknown.refused ?? '',
      /^Line 7 no longer holds the criterion "Tests pass"; the document changed\.$/,
    );
  });

  it('takes the criterion as shown (rendered) as well as written, and says when the line holds another', async () => {
    const text =
      '---\nphase: "01"\nname: "A"\n---\n# A\n## Exit Criteria\n- [ ] Notes _published_ on the [blog](https://example.com)\n- [ ] Reviewed\n';
    const { client, uri } = await start({ '01-a.md': text });
    const u = uri('01-a.md');
    await client.open(u, text);
    const wf = await req<WorkflowsResult>(client, 'cdp/workflows', {});
    const phase = wf.workflows[0].phases[0];
    const item = phase.groups[0].items[0];
    assert.equal(item.shown, 'Notes published on the blog');
    const r = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: item.line,
      expectedText: item.shown,
      checked: true,
      version: phase.version,
    });
    assert.equal(r.refused, undefined);
    const [change] = (r.edit?.documentChanges ?? []) as {
      edits: { range: { start: { line: number; character: number } }; newText: string }[];
    }[];
    assert.deepEqual(
      change!.edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]),
      [[6, 3, 'x']],
    );
    // Another criterion named on an unchanged document: said so, not "the document changed".
    const other = await req<ToggleCriterionResult>(client, 'cdp/toggleCriterion', {
      uri: u,
      line: 7,
      expectedText: 'Approved',
      version: phase.version,
    });
    assert.equal(other.refused, 'Line 8 holds the criterion "Reviewed", not "Approved".');
  });
});

describe('documents an editor opens with a byte order mark', () => {
  // Files read from disk have the mark dropped; an editor that keeps it in the text it
  // sends must get the same reading, at the positions of its own text.
  const shifted = (d: Diagnostic[], by: number) =>
    d.map(
      (x) =>
        `${x.code} ${x.range.start.line}:${x.range.start.line === 0 ? x.range.start.character + by : x.range.start.character} ${x.message}`,
    );

  it('reads front matter, a CDP block after the title and the title as without the mark', async () => {
    const feat = '---\nddx:\n  id: FEAT-001\n---\n# Feat\n\n## Goals\n';
    const files: Record<string, string> = {
      'docs/feat.md': feat,
      'docs/us.md': '# US\n\nSee [[FEAT-001#Goals]] and [[wf/01-plan]].\n',
      'wf/01-plan.md': plan,
      'wf/02-build.md': build,
      'wf/03-ship.md':
        '# Ship\n\n---\nphase: "03"\nname: Ship\nprevious_phase: "[[02-build]]"\n---\n\n## Entry Criteria\n\n- [ ] x\n',
    };
    const { client, uri } = await start(files);
    const before = Object.fromEntries(Object.keys(files).map((r) => [r, client.diagnosticsOf(uri(r))]));
    for (const r of Object.keys(files)) await client.open(uri(r), `\ufeff${files[r]}`);
    for (const r of Object.keys(files))
      assert.deepEqual(shifted(client.diagnosticsOf(uri(r)), 0), shifted(before[r], 1), r);
    // The title on the first line: its range is where the editor's text has it.
    const title = '\ufeff# Ship Notes\n\nText.\n';
    await client.open(uri('docs/notes.md'), title);
    const prep = await req<{ range: Range; placeholder: string }>(client, 'textDocument/prepareRename', {
      textDocument: { uri: uri('docs/notes.md') },
      position: { line: 0, character: 5 },
    });
    assert.equal(prep.placeholder, 'Ship Notes');
    assert.deepEqual(prep.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 13 } });
    const symbols = await req<{ name: string; range: Range }[]>(client, 'textDocument/documentSymbol', {
      textDocument: { uri: uri('wf/03-ship.md') },
    });
    assert.ok(
      symbols.some((s) => s.name === 'Ship'),
      JSON.stringify(symbols.map((s) => s.name)),
    );
  });
});
