// `stale-confirmation`: entries of `.cdp/confirmations.yml` that confirm no manual item of
// any gate file, reported on their line, with a fix that removes exactly their lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/core/edits';
import { withdrawalEdits } from '../../server/src/core/gates/confirmations';
import { LineIndex } from '../../server/src/core/text';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { check } from '../helpers/memory-workspace';

const README = '# Phase 01: A\n\nWhat happens in A.\n';
const GATE =
  'phase: x\nexit_requirements:\n  automated: []\n  manual:\n    - "Staging verified"\n    - "Docs signed"\n';
const files = { 'p/01-a/README.md': README, 'p/01-a/GATE.yaml': GATE };

const entry = (file: string, item: string, by = 'Ada') =>
  `- file: ${JSON.stringify(file)}\n  item: ${JSON.stringify(item)}\n  by: "${by}"\n`;

/** The edits of the finding's only fix on `text`, worked out as the code action does. */
function fixEdits(text: string, f: Finding): TextEdit[] | undefined {
  assert.equal(f.fixes?.length, 1, f.message);
  const fix = f.fixes![0];
  assert.equal(fix.kind, 'withdraw');
  if (fix.kind !== 'withdraw') return undefined;
  assert.equal(fix.uri, f.uri);
  return withdrawalEdits(text, fix.entry);
}

/** The text after the finding's only fix is applied to `text`. */
function applyFix(text: string, f: Finding): string {
  const edits = fixEdits(text, f);
  assert.ok(edits, 'the fix has an edit');
  const lines = new LineIndex(text);
  let out = text;
  for (const e of [...edits].reverse())
    out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}

const stale = (c: Awaited<ReturnType<typeof check>>) =>
  c.findings.filter((f) => f.code === 'stale-confirmation');

describe('stale-confirmation', () => {
  it('reports each entry whose item or gate file is gone, once, on its own line, naming what it refers to', async () => {
    const c = await check({
      ...files,
      '.cdp/confirmations.yml':
        entry('p/01-a/GATE.yaml', 'Staging verified') +
        entry('p/01-a/GATE.yaml', 'Staging verifed') + // renamed in the gate file
        entry('p/02-b/GATE.yaml', 'Design approved') + // its gate file is gone
        entry('../elsewhere/GATE.yaml', 'Outside'),
    });
    assert.deepEqual(c.of('stale-confirmation'), [
      '.cdp/confirmations.yml:4:3 This confirmation of "Staging verifed" confirms nothing: p/01-a/GATE.yaml has no manual item "Staging verifed" (renamed or removed?).',
      '.cdp/confirmations.yml:7:3 This confirmation of "Design approved" confirms nothing: p/02-b/GATE.yaml is not a gate file of the workspace folder (moved or deleted?).',
      '.cdp/confirmations.yml:10:3 This confirmation of "Outside" confirms nothing: ../elsewhere/GATE.yaml lies outside the workspace folder.',
    ]);
    assert.equal(stale(c)[0].severity, 'warning');
    assert.deepEqual(stale(c)[0].range, {
      start: { line: 3, character: 2 },
      end: { line: 3, character: 26 },
    });
  });

  it('says so when the item it names is checked, not confirmed by hand', async () => {
    const c = await check({
      'p/01-a/README.md': README,
      'p/01-a/exit-gates.yml': 'exit_gates:\n  - criteria: PRD is complete\n    evidence: p/01-a/README.md\n',
      '.cdp/confirmations.yml': entry('p/01-a/exit-gates.yml', 'PRD is complete'),
    });
    assert.deepEqual(c.of('stale-confirmation'), [
      '.cdp/confirmations.yml:1:3 This confirmation of "PRD is complete" confirms nothing: its item in p/01-a/exit-gates.yml is checked by the checker (its check or evidence), not confirmed by hand.',
    ]);
  });

  it('reports the entries when the last gate file is gone too (as the editor does after the deletion)', async () => {
    const c = await check({
      'p/01-a/README.md': README,
      '.cdp/confirmations.yml': entry('p/01-a/GATE.yaml', 'Staging verified'),
    });
    assert.deepEqual(c.of('stale-confirmation'), [
      '.cdp/confirmations.yml:1:3 This confirmation of "Staging verified" confirms nothing: p/01-a/GATE.yaml is not a gate file of the workspace folder (moved or deleted?).',
    ]);
  });

  it('is not stale for what the matching tolerates: the path in any case, ./ and \\, the item with blanks around it', async () => {
    const c = await check({
      ...files,
      '.cdp/confirmations.yml':
        entry('./P/01-A/gate.yaml', '  Staging verified ') + entry('.\\p\\01-a\\GATE.yaml', 'Docs signed'),
    });
    assert.deepEqual(c.of('stale-confirmation'), []);
    // they do confirm the items
    assert.deepEqual(c.of('unmet-criterion'), []);
    // the matching is exact otherwise: another letter case of the item is another item
    const other = await check({
      ...files,
      '.cdp/confirmations.yml': entry('p/01-a/GATE.yaml', 'staging verified'),
    });
    assert.equal(other.of('stale-confirmation').length, 1);
  });

  it('does not judge entries whose gate file was not read: in a folder not entered, or unreadable', async () => {
    const c = await check(
      {
        ...files,
        'p/02-b/README.md': '# Phase 02: B\n\nText.\n',
        'p/02-b/GATE.yaml': 'exit_requirements:\n  manual:\n    - "unclosed\n',
        'vendor/01-x/README.md': README,
        'vendor/01-x/GATE.yaml': GATE,
        '.cdp/confirmations.yml':
          entry('p/02-b/GATE.yaml', 'Anything') +
          entry('vendor/01-x/GATE.yaml', 'Whatever') +
          entry('.ddx/library/01-frame/GATE.yaml', 'Template item'),
      },
      { 'cdp.files.exclude': ['**/vendor/**', '**/.*/**'] },
    );
    assert.deepEqual(c.of('stale-confirmation'), []);
  });

  it('follows the rule setting', async () => {
    const text = entry('p/01-a/GATE.yaml', 'Gone');
    const off = await check(
      { ...files, '.cdp/confirmations.yml': text },
      { 'cdp.rules': { 'stale-confirmation': 'off' } },
    );
    assert.deepEqual(off.of('stale-confirmation'), []);
    const info = await check(
      { ...files, '.cdp/confirmations.yml': text },
      { 'cdp.rules': { 'stale-confirmation': 'information' } },
    );
    assert.deepEqual(
      stale(info).map((f) => f.severity),
      ['information'],
    );
  });

  it("offers a fix that removes exactly the entry's lines, LF or CRLF, first, middle or last", async () => {
    const keep1 = entry('p/01-a/GATE.yaml', 'Staging verified');
    const gone = entry('p/01-a/GATE.yaml', 'Gone', 'Bo');
    const keep2 = entry('p/01-a/GATE.yaml', 'Docs signed');
    const header = '# Manual gate items\n';
    for (const eol of ['\n', '\r\n']) {
      const crlf = (s: string) => s.replace(/\n/g, eol);
      for (const [before, after] of [
        [header + keep1, keep2],
        [header, keep1 + keep2],
        [header + keep1 + keep2, ''],
      ]) {
        const text = crlf(before + gone + after);
        const c = await check({ ...files, '.cdp/confirmations.yml': text });
        const [f] = stale(c);
        assert.equal(applyFix(text, f), crlf(before + after), JSON.stringify(text));
        assert.equal(f.fixes![0].title, 'Remove the confirmation of "Gone"');
      }
      // the last entry without a final line break: up to the end of the file
      const text = crlf(header + keep1 + gone.trimEnd());
      const [f] = stale(await check({ ...files, '.cdp/confirmations.yml': text }));
      assert.equal(applyFix(text, f), crlf(header + keep1));
    }
    // under `confirmations:`, indented, a comment line after it kept
    const mapped = `confirmations:\n  - file: p/01-a/GATE.yaml\n    item: Gone\n  # next\n  - file: p/01-a/GATE.yaml\n    item: Docs signed\n`;
    const [f] = stale(await check({ ...files, '.cdp/confirmations.yml': mapped }));
    assert.equal(
      applyFix(mapped, f),
      'confirmations:\n  # next\n  - file: p/01-a/GATE.yaml\n    item: Docs signed\n',
    );
  });

  it('offers no fix where removing whole lines would take more than the entry', async () => {
    const text =
      'confirmations: [{file: p/01-a/GATE.yaml, item: Gone}, {file: p/01-a/GATE.yaml, item: Docs signed}]\n';
    const c = await check({ ...files, '.cdp/confirmations.yml': text });
    assert.equal(stale(c).length, 1);
    assert.equal(fixEdits(text, stale(c)[0]), undefined, 'no edit, so no code action');
  });

  it('reports nothing for a workspace folder without a confirmations file, or one without entries', async () => {
    assert.deepEqual((await check(files)).of('stale-confirmation'), []);
    assert.deepEqual(
      (await check({ ...files, '.cdp/confirmations.yml': '# none yet\n' })).of('stale-confirmation'),
      [],
    );
    for (const empty of ['', '# none yet\n', '[]\n', 'confirmations: []\n'])
      assert.deepEqual(
        (await check({ ...files, '.cdp/confirmations.yml': empty })).of('invalid-gate-file'),
        [],
      );
  });

  it('says when the file cannot be read, where its confirmations stopped counting without a word', async () => {
    const ok = entry('p/01-a/GATE.yaml', 'Staging verified');
    const cases: [string, RegExp][] = [
      // a merge left its markers in
      [
        `<<<<<<< HEAD\n${ok}=======\n${entry('p/01-a/GATE.yaml', 'Docs signed')}>>>>>>> other\n`,
        /^\.cdp\/confirmations\.yml:\d+:\d+ The confirmations file cannot be read: .+\. None of its confirmations counts until it is fixed\.$/,
      ],
      [
        'file: p/01-a/GATE.yaml\nitem: Staging verified\n',
        /cannot be read: it is neither a list of entries nor a map with a `confirmations:` list\./,
      ],
      [`# ${'x'.repeat(9 * 1024 * 1024)}\n${ok}`, /cannot be read: the YAML is larger than 8192 KB/],
    ];
    for (const [text, message] of cases) {
      const c = await check({ ...files, '.cdp/confirmations.yml': text });
      const found = c.of('invalid-gate-file');
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], message);
      assert.deepEqual(c.of('stale-confirmation'), []);
    }
    // A file of 24,000 entries (over a megabyte) is read.
    const many = Array.from({ length: 24000 }, (_, i) =>
      entry('p/01-a/GATE.yaml', i === 0 ? 'Staging verified' : `Old ${i}`),
    ).join('');
    assert.ok(many.length > 1024 * 1024);
    const big = await check({ ...files, '.cdp/confirmations.yml': many });
    assert.deepEqual(big.of('invalid-gate-file'), []);
    assert.equal(big.of('stale-confirmation').length, 23999);
  });

  it('reports an entry without `file` or `item` on its line, naming the key a near miss was meant as, with a fix writing it', async () => {
    const text = [
      'confirmations:',
      '  - path: p/01-a/GATE.yaml',
      '    item: "Staging verified"',
      '  - path: p/01-a/GATE.yaml',
      '    item: "Stakeholders signed off"',
      '  - file: p/01-a/GATE.yaml',
      '    Item: "Docs signed"',
      '  - gate: p/01-a/GATE.yaml',
      '    items: [Docs signed]',
      '  - files: p/01-a/GATE.yaml',
      '  - file:',
      '    item: Docs signed',
      '  - p/01-a/GATE.yaml',
      '',
    ].join('\n');
    const c = await check({ ...files, '.cdp/confirmations.yml': text });
    assert.deepEqual(c.of('stale-confirmation'), [
      '.cdp/confirmations.yml:2:5 This confirmation of "Staging verified" confirms nothing: it has no `file:`. `path:` is not read: did you mean `file:`?',
      '.cdp/confirmations.yml:4:5 This confirmation of "Stakeholders signed off" confirms nothing: it has no `file:`. `path:` is not read: did you mean `file:`?',
      '.cdp/confirmations.yml:6:5 This entry confirms nothing: it has no `item:`. `Item:` is not read: did you mean `item:`?',
      '.cdp/confirmations.yml:8:5 This entry confirms nothing: it has no `file:` and no `item:`. `gate:` is not read: did you mean `file:`? `items:` is not read: did you mean `item:`?',
      '.cdp/confirmations.yml:10:5 This entry confirms nothing: it has no `file:` and no `item:`. `files:` is not read: did you mean `file:`?',
      '.cdp/confirmations.yml:11:5 This confirmation of "Docs signed" confirms nothing: its `file:` holds no text.',
      ".cdp/confirmations.yml:13:5 This entry confirms nothing: it is not a mapping with `file:` (the gate file) and `item:` (the manual item's text).",
    ]);
    // Its manual item stays unconfirmed: the entry is not read.
    assert.match(c.of('unmet-criterion').join('\n'), /Staging verified — not confirmed yet/);
    // A fix writes the key meant, where its value is text: only the key changes.
    const fixes = stale(c).map((f) =>
      (f.fixes ?? []).map((x) => [x.kind, x.title, x.kind === 'edit' ? applyEdits(text, x.edits) : '']),
    );
    const written = (line: number, from: string, to: string) => {
      const lines = text.split('\n');
      lines[line] = lines[line].replace(from, to);
      return lines.join('\n');
    };
    assert.deepEqual(fixes, [
      [['edit', 'Write `file:` in place of `path:`', written(1, 'path:', 'file:')]],
      [['edit', 'Write `file:` in place of `path:`', written(3, 'path:', 'file:')]],
      [['edit', 'Write `item:` in place of `Item:`', written(6, 'Item:', 'item:')]],
      [['edit', 'Write `file:` in place of `gate:`', written(7, 'gate:', 'file:')]],
      [['edit', 'Write `file:` in place of `files:`', written(9, 'files:', 'file:')]],
      [],
      [],
    ]);
    // Fixed, the first entry confirms its item and the second is stale for its item.
    const fixed = await check({
      ...files,
      '.cdp/confirmations.yml': written(3, 'path:', 'file:').replace('path:', 'file:'),
    });
    assert.doesNotMatch(fixed.of('unmet-criterion').join('\n'), /Staging verified/);
    assert.equal(
      fixed.of('stale-confirmation')[0],
      '.cdp/confirmations.yml:4:5 This confirmation of "Stakeholders signed off" confirms nothing: p/01-a/GATE.yaml has no manual item "Stakeholders signed off" (renamed or removed?).',
    );
    // A key of the entry's own beside both keys is left alone.
    const own = await check({
      ...files,
      '.cdp/confirmations.yml': `${entry('p/01-a/GATE.yaml', 'Docs signed')}  path: x\n  note: fine\n`,
    });
    assert.deepEqual(own.of('stale-confirmation'), []);
  });
});
