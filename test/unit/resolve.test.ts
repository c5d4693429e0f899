import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slug } from '../../server/src/core/text';
import { check, ROOT } from '../helpers/memory-workspace';

/** Resolves `[[target]]` written in `from` and returns the target's path, or the status. */
async function resolveIn(files: Record<string, string>, from: string, target: string, heading?: string) {
  const { analysis, ws } = await check(files);
  const entry = analysis.index.get(ws.uri(from));
  assert.ok(entry, `${from} is indexed`);
  const r = analysis.index.resolve(entry, { target, heading });
  if (r.status === 'resolved') {
    return {
      to: r.target.rel,
      ambiguous: r.candidates.length > 1 ? r.candidates.map((c) => c.rel) : undefined,
      heading: r.heading?.text,
      headingMissing: r.headingMissing,
    };
  }
  return { status: r.status };
}

describe('link resolution', () => {
  it('strips .md and matches file names case-insensitively and slug-equivalently', async () => {
    const files = { 'a/phase.md': '# P\n', 'a/release-plan.md': '# Release plan\n' };
    for (const t of ['release-plan', 'release-plan.md', 'Release Plan', 'RELEASE_PLAN', 'release plan.MD']) {
      assert.equal((await resolveIn(files, 'a/phase.md', t)).to, 'a/release-plan.md', t);
    }
  });

  it('prefers the same folder, then the candidate sharing most leading folders', async () => {
    const files = {
      'x/y/doc.md': '',
      'x/y/plan.md': '',
      'x/plan.md': '',
      'z/plan.md': '',
      'x/q/plan.md': '',
      'x/y/deep/plan.md': '',
    };
    assert.equal((await resolveIn(files, 'x/y/doc.md', 'plan')).to, 'x/y/plan.md');
    const r = await resolveIn({ 'x/y/doc.md': '', 'x/plan.md': '', 'z/plan.md': '' }, 'x/y/doc.md', 'plan');
    assert.equal(r.to, 'x/plan.md');
    assert.equal(r.ambiguous, undefined);
  });

  it('finds the nearest candidates inside a folder, not in folders whose name only starts the same', async () => {
    // Sorted as plain strings, `a-x/…` and `a.b/…` fall between `a` and `a/…`.
    const files = {
      'a/b/doc.md': '',
      'a-x/plan.md': '',
      'a.b/plan.md': '',
      'a/plan/README.md': '',
      'a/c/plan.md': '',
      'a/b-c/plan.md': '',
      'plan.md': '',
    };
    const r = await resolveIn(files, 'a/b/doc.md', 'plan');
    assert.equal(r.to, 'a/b-c/plan.md');
    // A folder's README is located in the folder's parent (`a`), as near as `a/…/plan.md`.
    assert.deepEqual(r.ambiguous, ['a/b-c/plan.md', 'a/c/plan.md', 'a/plan/README.md']);
    assert.equal((await resolveIn(files, 'a-x/plan.md', 'plan')).to, 'a-x/plan.md');
    // From a folder without one, every candidate shares as many folders (none): the one
    // fewest folders down is nearest, the root's; without it, those one folder down.
    const all = ['a-x/plan.md', 'a.b/plan.md', 'a/b-c/plan.md', 'a/c/plan.md', 'a/plan/README.md', 'plan.md'];
    const top = await resolveIn({ ...files, 'top/doc.md': '' }, 'top/doc.md', 'plan');
    assert.equal(top.to, 'plan.md');
    assert.equal(top.ambiguous, undefined);
    const { 'plan.md': _root, ...below } = files;
    assert.deepEqual((await resolveIn({ ...below, 'top/doc.md': '' }, 'top/doc.md', 'plan')).ambiguous, [
      'a-x/plan.md',
      'a.b/plan.md',
    ]);
    const { analysis, ws } = await check(files);
    const folder = ws.uri('a/b/doc.md').slice(0, -'/a/b/doc.md'.length);
    assert.deepEqual(
      analysis.index.named(folder, 'plan').map((e) => e.rel),
      all,
    );
  });

  it('reports equally near matches as ambiguous and picks the first in path order', async () => {
    const files = { 'top.md': '', 'b/plan.md': '', 'a/plan.md': '' };
    const r = await resolveIn(files, 'top.md', 'plan');
    assert.equal(r.to, 'a/plan.md');
    assert.deepEqual(r.ambiguous, ['a/plan.md', 'b/plan.md']);
  });

  it('tries a path relative to the document, then to the workspace folder', async () => {
    const files = {
      'wf/phases/05-release.md': '',
      'wf/prd/README.md': '# PRD\n',
      'prd/README.md': '# Root PRD\n',
      'docs/guide.md': '',
    };
    assert.equal((await resolveIn(files, 'wf/phases/05-release.md', '../prd/README')).to, 'wf/prd/README.md');
    assert.equal((await resolveIn(files, 'wf/phases/05-release.md', 'docs/guide')).to, 'docs/guide.md');
    assert.equal((await resolveIn(files, 'wf/phases/05-release.md', 'prd/README.md')).to, 'prd/README.md');
  });

  it('resolves a folder to its README.md or index.md', async () => {
    const files = { 'w/README.md': '', 'w/examples/README.md': '# Ex\n', 'w/guides/index.md': '' };
    assert.equal((await resolveIn(files, 'w/README.md', 'examples')).to, 'w/examples/README.md');
    assert.equal((await resolveIn(files, 'w/README.md', 'examples/')).to, 'w/examples/README.md');
    assert.equal((await resolveIn(files, 'w/README.md', 'guides')).to, 'w/guides/index.md');
  });

  it('never resolves paths that leave the workspace folder, absolute paths or URLs', async () => {
    const files = { 'a/doc.md': '', 'etc/passwd.md': '' };
    for (const t of ['../../../../etc/passwd', '/etc/passwd', 'C:/x/y', '~/notes', 'https://example.com/x']) {
      assert.deepEqual(await resolveIn(files, 'a/doc.md', t), { status: 'broken' }, t);
    }
  });

  it('matches headings slug-equivalently and reports missing ones', async () => {
    const files = { 'a.md': '', 'b.md': '# B\n\n## Rollout Schedule\n\n## Exit Criteria\n' };
    assert.equal((await resolveIn(files, 'a.md', 'b', 'rollout schedule')).heading, 'Rollout Schedule');
    assert.equal((await resolveIn(files, 'a.md', 'b', 'Exit_Criteria')).heading, 'Exit Criteria');
    assert.equal((await resolveIn(files, 'a.md', 'b', 'Nope')).headingMissing, true);
    assert.equal((await resolveIn(files, 'b.md', '', 'exit-criteria')).heading, 'Exit Criteria');
  });

  it('keeps each workspace folder its own root', async () => {
    const { MemoryWorkspace } = await import('../helpers/memory-workspace');
    const { loadWorkspace } = await import('../../server/src/core/load');
    const { defaultConfig } = await import('../../server/src/core/config');
    const other = 'file:///other';
    const ws = new MemoryWorkspace({}, [ROOT, other]);
    ws.files.set(ws.uri('a.md', ROOT), '[[plan]]');
    ws.files.set(ws.uri('plan.md', other), '');
    const { index } = await loadWorkspace(ws, defaultConfig());
    const a = index.get(ws.uri('a.md', ROOT))!;
    assert.equal(index.resolve(a, { target: 'plan' }).status, 'broken');
  });
});

describe('links to other files', () => {
  it('resolve to the file as it is named on disk, whatever the case of the link', async () => {
    const { MemoryWorkspace } = await import('../helpers/memory-workspace');
    const { loadWorkspace } = await import('../../server/src/core/load');
    const { defaultConfig } = await import('../../server/src/core/config');
    const ws = new MemoryWorkspace({
      'a.md': '![[Diagram.PNG]] ![[img/Flow.svg]] ![[missing.png]]',
      'img/Flow.svg': '<svg/>',
    });
    ws.files.set(ws.uri('Diagram.png'), 'x');
    const { index } = await loadWorkspace(ws, defaultConfig());
    const a = index.get(ws.uri('a.md'))!;
    assert.deepEqual(
      a.doc.links.map((l) => {
        const r = index.resolve(a, l);
        return r.status === 'file' ? r.rel : r.status;
      }),
      ['Diagram.png', 'img/Flow.svg', 'broken'],
    );
  });
});

describe('resolution after edits', () => {
  it('sees the current version of the target, not the one resolved first', async () => {
    const { check: load } = await import('../helpers/memory-workspace');
    const c = await load({ 'a.md': '[[b#Later]]', 'b.md': '# B\n' });
    const index = c.analysis.index;
    const a = index.get(c.ws.uri('a.md'))!;
    const first = index.resolve(a, a.doc.links[0]);
    assert.equal(first.status === 'resolved' && first.headingMissing, true);
    index.set(c.ws.uri('b.md'), '# B\n\n## Later\n');
    const r = index.resolve(a, a.doc.links[0]);
    assert.equal(r.status, 'resolved');
    assert.equal(r.status === 'resolved' && r.heading?.text, 'Later');
    assert.equal(r.status === 'resolved' && r.target, index.get(c.ws.uri('b.md')));
  });
});

describe('the index after edits', () => {
  it('keeps backlinks when an edit leaves the links alone, and drops them when it changes them', async () => {
    const { analysis, ws } = await check({
      'a.md': '# A\n\nSee [[b]].\n',
      'b.md': '# B\n',
      'c.md': '# C\n',
    });
    const index = analysis.index;
    const from = () => index.backlinks(index.get(ws.uri('b.md'))!).map((x) => x.from.rel);
    assert.deepEqual(from(), ['a.md']);
    // Text around the link changes, the link does not.
    index.set(ws.uri('a.md'), '# A\n\nSee [[b]] again, and [[B]].\n');
    assert.deepEqual(from(), ['a.md', 'a.md']);
    assert.deepEqual([...index.linkersOf(['b'])], [ws.uri('a.md')]);
    // The link now names another document: no backlink remains.
    index.set(ws.uri('a.md'), '# A\n\nSee [[c]].\n');
    assert.deepEqual(from(), []);
    assert.deepEqual([...index.linkersOf(['b'])], []);
    assert.deepEqual([...index.linkersOf(['c'])], [ws.uri('a.md')]);
    // Resolutions follow the edit (answers are kept per document and index version).
    const a = index.get(ws.uri('a.md'))!;
    const r = index.resolve(a, a.doc.links[0]);
    assert.equal(r.status === 'resolved' && r.target.rel, 'c.md');
    index.delete(ws.uri('c.md'));
    assert.equal(index.resolve(a, a.doc.links[0]).status, 'broken');
  });
});

describe('backlinks kept between questions', () => {
  it('answer after every kind of change as a freshly loaded index does', async () => {
    const files: Record<string, string> = {
      'x/plan.md': '# Plan\n\n## Steps\n\n## Risks\n',
      'x/a.md': '# A\n\nSee [[plan]] and [[plan#Steps]] and [the risks](plan.md#risks).\n',
      'x/sub/d.md': '# D\n\n[[plan]]\n',
      'y/plan.md': '# Other plan\n',
      'y/b.md': '# B\n\n[[plan]] is the nearer namesake.\n',
      'x/c.md': '# C\n',
    };
    const { analysis, ws } = await check(files);
    const index = analysis.index;
    const show = (i: typeof index, heading?: string) => {
      const t = i.get(ws.uri('x/plan.md'))!;
      const h = heading === undefined ? undefined : t.doc.headings.find((x) => x.text === heading);
      return i.backlinks(t, h).map((b) => `${b.from.rel} ${b.link.raw}`);
    };
    const set = (rel: string, text: string) => {
      files[rel] = text;
      index.set(ws.uri(rel), text);
    };
    /** Asks the kept answers (whole document and one heading), then a fresh index of the same files. */
    const same = async (what: string, heading: string) => {
      const fresh = (await check(files)).analysis.index;
      assert.deepEqual(show(index), show(fresh), what);
      assert.deepEqual(show(index, heading), show(fresh, heading), `${what} (#${heading})`);
    };
    await same('at first', 'Steps');
    assert.deepEqual(show(index, 'Steps'), ['x/a.md [[plan#Steps]]']);
    // A caller may change what it was given; the next answer is whole.
    show(index).length = 0;
    index.backlinks(index.get(ws.uri('x/plan.md'))!).pop();
    await same('after the caller changed an answer', 'Steps');
    set('x/c.md', '# C\n\n[[Plan]] and [[plan#steps]].\n');
    await same('another document links to it', 'Steps');
    set('x/a.md', '# A\n\nNo links any more.\n');
    await same('a document drops its links', 'Steps');
    set('x/plan.md', '# Plan\n\n## Stages\n\n## Risks\n\n## Steps\n');
    await same('the target moves its headings', 'Steps');
    set(
      'x/plan.md',
      '# Plan\n\n## Stages\n\nSee [[#Risks]], [[plan]] and [[#Steps]].\n\n## Risks\n\n## Steps\n',
    );
    await same('the target links to itself', 'Risks');
    set('x/plan.md', '# Plan\n\n## Stages\n\nSee [[#Steps]].\n\n## Risks\n\n## Steps\n');
    await same('the target drops links to itself', 'Steps');
    files['x/sub/plan.md'] = '# Nearer\n';
    index.set(ws.uri('x/sub/plan.md'), files['x/sub/plan.md']);
    await same('a nearer namesake appears', 'Steps');
    for (let i = 0; i < 70; i++) set('y/b.md', `# B\n\n[[plan]] edit ${i}\n`);
    set('x/c.md', '# C\n\n[[plan]] once.\n');
    await same('after more edits than the index remembers', 'Risks');
    delete files['x/c.md'];
    index.delete(ws.uri('x/c.md'));
    await same('a linking document is deleted', 'Steps');
  });
});

describe('slugs', () => {
  /** The definition: NFC, lower case, other punctuation dropped, runs of spaces, `_` and `-` one `-`, none at the ends. */
  const reference = (s: string) =>
    s
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]+/gu, '')
      .replace(/[\s_-]+/g, '-')
      .replace(/^-+|-+$/g, '');

  it('of every short text of letters, digits, separators and punctuation are the definition', () => {
    // ASCII texts are read without the Unicode tables; the others with them.
    const chars = [
      'a',
      'Z',
      '7',
      '-',
      '_',
      ' ',
      '\t',
      '\r',
      '\v',
      '.',
      "'",
      '/',
      '\u001c',
      '\u007f',
      'é',
      'e\u0301',
      '\u00a0',
    ];
    let texts = [''];
    for (let n = 0; n < 4; n++) {
      texts = texts.flatMap((t) => chars.map((c) => t + c));
      for (const t of texts) assert.equal(slug(t), reference(t), JSON.stringify(t));
    }
    for (const t of ['FEAT-001', 'README', 'Exit Criteria', "What's next (v2)?", '__init__', 'release-plan'])
      assert.equal(slug(t), reference(t), t);
    assert.equal(slug('FEAT-001'), 'feat-001');
    assert.equal(slug(' Exit  Criteria: '), 'exit-criteria');
  });
});
