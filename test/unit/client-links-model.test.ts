// What a Links view row says besides its title (client/src/links-model.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkRowDescription } from '../../client/src/links-model';
import type { LinkItemDto } from '../../server/src/protocol';

const at = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 12 } });
const row = (over: Partial<LinkItemDto>): LinkItemDto => ({
  uri: 'file:///ws/docs/prd.md',
  range: at(6),
  label: 'Product Requirements',
  rel: 'docs/prd.md',
  ...over,
});

describe('Links view row descriptions', () => {
  it('give the line of each link to a document linked more than once (outgoing: in the document shown)', () => {
    const a = row({ link: '[[prd]]', line: 2 });
    const b = row({ link: '[[prd]]', line: 9 });
    const other = row({ uri: 'file:///ws/docs/adr.md', rel: 'docs/adr.md', label: 'ADR', line: 4 });
    const all = [a, b, other];
    assert.equal(linkRowDescription('outgoing', a, all), '[[prd]] · docs/prd.md · line 3');
    assert.equal(linkRowDescription('outgoing', b, all), '[[prd]] · docs/prd.md · line 10');
    // a document linked once needs no line
    assert.equal(linkRowDescription('outgoing', other, all), 'docs/adr.md');
  });

  it('give the line in the linking document for repeated backlinks', () => {
    const a = row({
      uri: 'file:///ws/docs/story.md',
      rel: 'docs/story.md',
      label: 'Story',
      range: at(7),
      link: '[[login]]',
    });
    const b = { ...a, range: at(11) };
    assert.equal(linkRowDescription('backlinks', a, [a, b]), '[[login]] · docs/story.md · line 8');
    assert.equal(linkRowDescription('backlinks', b, [a, b]), '[[login]] · docs/story.md · line 12');
  });

  it('give no line for dependencies, which are no links', () => {
    const a = row({ id: 'helix.prd' });
    assert.equal(linkRowDescription('dependsOn', a, [a, a]), 'helix.prd · docs/prd.md');
  });
});
