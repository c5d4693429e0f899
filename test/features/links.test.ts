// cdp/links, called in-process (no server process): what the Links view shows for a document with
// dependencies both ways, outgoing links and backlinks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LinkItemDto, LinksResult } from '../../server/src/protocol';
import { featureContext } from '../helpers/feature-context';

const prd = '---\nddx:\n  id: helix.prd\n---\n# Product Requirements\n\n## Goals\n';
const feat = [
  '---',
  'ddx:',
  '  id: FEAT-004',
  '  depends_on:',
  '    - helix.prd',
  "    - 'ADR-003'",
  '    - NOPE-1',
  '---',
  '# Login',
  '',
  'Built on [[helix.prd#Goals]] and [[ADR-003|the decision]], not [[missing]].',
  '',
].join('\n');
const adr = '---\ndun:\n  id: ADR-003\n  depends_on: helix.prd\n---\n# Use tokens\n\nSee [[FEAT-004]].\n';
const story = '---\nddx:\n  id: US-1\n  depends_on: [FEAT-004]\n---\n# Story\n\nPart of [[login]].\n';
const plain = '# Notes\n\nNothing here.\n';

async function start() {
  const client = await featureContext(
    {
      'docs/prd.md': prd,
      'docs/login.md': feat,
      'docs/adr.md': adr,
      'docs/story.md': story,
      'docs/notes.md': plain,
    },
    { openAll: false },
  );
  const uri = client.uri;
  const links = (rel: string) => client.request<LinksResult>('cdp/links', { uri: uri(rel) });
  return { uri, links };
}

const brief = (items: LinkItemDto[]) =>
  items.map((i) => ({ rel: i.rel, id: i.id, line: i.range.start.line, label: i.label, link: i.link }));

describe('cdp/links', () => {
  it('lists outgoing links, backlinks, dependencies and dependents of a document', async () => {
    const { uri, links } = await start();
    const r = await links('docs/login.md');
    assert.equal(r.ready, true);
    assert.equal(r.known, true);
    // outgoing: resolved links in order, landing on the heading a link names; the broken one is left out
    assert.deepEqual(brief(r.outgoing), [
      {
        rel: 'docs/prd.md',
        id: 'helix.prd',
        line: 6,
        label: 'Product Requirements',
        link: '[[helix.prd#Goals]]',
      },
      { rel: 'docs/adr.md', id: 'ADR-003', line: 5, label: 'Use tokens', link: '[[ADR-003|the decision]]' },
    ]);
    assert.equal(r.outgoing[0].uri, uri('docs/prd.md'));
    // and the line each link is written on in login.md, to tell repeated links apart
    assert.deepEqual(
      r.outgoing.map((i) => i.line),
      [10, 10],
    );
    // backlinks: by id from adr.md and by name from story.md, each at the link's own line
    assert.deepEqual(brief(r.backlinks), [
      { rel: 'docs/adr.md', id: 'ADR-003', line: 7, label: 'Use tokens', link: '[[FEAT-004]]' },
      { rel: 'docs/story.md', id: 'US-1', line: 7, label: 'Story', link: '[[login]]' },
    ]);
    assert.equal(r.backlinks[1].uri, uri('docs/story.md'));
    assert.equal(r.backlinks[1].range.start.character, 'Part of '.length);
    // depends on: each known id once, in order; the unknown NOPE-1 is no row
    assert.deepEqual(
      r.dependsOn.map((i) => [i.id, i.uri]),
      [
        ['helix.prd', uri('docs/prd.md')],
        ['ADR-003', uri('docs/adr.md')],
      ],
    );
    // depended on by: the `depends_on` entry that names it
    assert.deepEqual(brief(r.dependents), [
      { rel: 'docs/story.md', id: 'US-1', line: 3, label: 'Story', link: undefined },
    ]);
  });

  it('gives the dependents of a shared dependency and nothing for a document without links', async () => {
    const { links } = await start();
    const prdLinks = await links('docs/prd.md');
    assert.deepEqual(
      prdLinks.dependents.map((i) => i.rel),
      ['docs/adr.md', 'docs/login.md'],
    );
    assert.deepEqual(prdLinks.dependsOn, []);
    assert.deepEqual(
      prdLinks.backlinks.map((i) => i.rel),
      ['docs/login.md'],
    );
    const none = await links('docs/notes.md');
    assert.equal(none.known, true);
    assert.deepEqual([none.outgoing, none.backlinks, none.dependsOn, none.dependents], [[], [], [], []]);
    // a file outside the workspace folder is no CDP document
    const outside = await links('../elsewhere.md');
    assert.equal(outside.known, false);
    assert.deepEqual(outside.outgoing, []);
  });

  it('says which outgoing links reach a folder (the view shows it in the Explorer: it cannot be opened)', async () => {
    const client = await featureContext(
      {
        'docs/index.md':
          '# Index\n\n- [designs](design/)\n- [the spec](design/spec.md)\n- [logo](img/logo.png)\n',
        'docs/design/spec.md': '# Spec\n',
        'docs/img/logo.png': 'png',
      },
      { openAll: false },
    );
    const r = await client.request<LinksResult>('cdp/links', { uri: client.uri('docs/index.md') });
    assert.deepEqual(
      r.outgoing.map((i) => ({ rel: i.rel, folder: i.folder, line: i.line })),
      [
        { rel: 'docs/design', folder: true, line: 2 },
        { rel: 'docs/design/spec.md', folder: undefined, line: 3 },
        { rel: 'docs/img/logo.png', folder: undefined, line: 4 },
      ],
    );
  });
});
