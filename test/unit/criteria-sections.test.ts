import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { compilePatterns, computeGroups } from '../../server/src/core/model';
import { parseDocument } from '../../server/src/core/parse/document';

const groupsOf = (text: string) =>
  computeGroups(parseDocument('file:///ws/01-build.md', text), compilePatterns(defaultConfig())).map(
    (g) => `${g.heading} (${g.kind}) ${g.checked}/${g.total}`,
  );

describe('criteria written in sub-sections', () => {
  it('keeps the sub-sections of an entry or exit heading its criteria', () => {
    assert.deepEqual(
      groupsOf(
        '# Build\n\n## Entry Criteria\n\n- [x] planned\n\n## Exit Criteria\n\n### Technical\n\n- [ ] compiles\n\n#### Tests\n\n- [x] green\n\n### Business\n\n- [x] demo\n\n### Release Gate\n\n- [ ] signed\n\n## Notes\n\n- [ ] tidy up\n',
      ),
      [
        'Entry Criteria (entry) 1/1',
        'Technical (exit) 0/1',
        'Tests (exit) 1/1',
        'Business (exit) 1/1',
        // a gate of its own inside the section stays a gate; a later section is no criterion
        'Release Gate (gate) 0/1',
        'Notes (checklist) 0/1',
      ],
    );
  });
});
