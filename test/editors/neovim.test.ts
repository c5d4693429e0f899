import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { phaseDoc } from '../helpers/memory-workspace';
import { tempWorkspace, uriOf } from '../lsp/client';

/**
 * The built server driven by Neovim's built-in LSP client (no plugins), the way a user of
 * that editor meets it: `nvim --headless` runs neovim-client.lua, which starts
 * `cdp-language-server --stdio`, opens, edits, renames and runs code lenses, and writes
 * what it observed; the assertions are here. Neovim 0.7 (Debian bookworm) offers neither
 * file watching nor dynamic registration, so this is also the server watching for itself.
 *
 * Neovim is installed by scripts/neovim-setup.sh when missing (apt, as root or with sudo);
 * the suite is skipped, with the reason, only when that is impossible.
 */

const ROOT_DIR = join(__dirname, '..', '..');
const SERVER_BIN = join(ROOT_DIR, 'server', 'bin', 'cdp-language-server.js');
const SCRIPT = join(__dirname, 'neovim-client.lua');

function findNeovim(): { nvim?: string; reason?: string } {
  const setup = spawnSync('bash', [join(ROOT_DIR, 'scripts', 'neovim-setup.sh')], {
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  const nvim = setup.stdout?.trim().split('\n').pop();
  if (setup.status === 0 && nvim) return { nvim };
  return { reason: `Neovim is not available: ${(setup.stderr || String(setup.error)).trim()}` };
}

const RELEASE = phaseDoc({
  title: 'Release the Fix',
  phase: '02',
  name: 'Release',
  previous: '01-diagnose',
  body: [
    'Follows [[01-diagnose#Exit Criteria]].',
    '',
    '## Exit Criteria',
    '',
    '- [x] Deployed',
    '',
    '## Release Gate',
    '',
    '- [x] Load tested',
    '- [ ] Rollback rehearsed',
    '',
  ].join('\n'),
});

const FILES: Record<string, string> = {
  'wf/01-diagnose.md': phaseDoc({
    title: 'Diagnose the Problem',
    phase: '01',
    name: 'Diagnose',
    next: '02-release',
    artifacts: ['plan'],
    body: '## Exit Criteria\n\n- [x] Root cause named\n',
  }),
  'wf/02-release.md': RELEASE,
  // A local-history copy of a phase, and a markdown file under another extension.
  '.history/02-release_20240101.md': RELEASE.replace('Release the Fix', 'Old Release Copy'),
  'draft.markdown': '# Draft\n\n[[gone-from-draft]]\n',
  'bad.md': '# Bad\n\nSee [[gone]].\n',
  'notes.md': '# Notes\n\nThe [[plan]] and, later, [[later]].\n',
  'other.md': '# Other\n\nAlso [[plan]].\n',
  'plan.md': '# Plan\n\nWaves.\n',
};

interface Observed {
  errors: string[];
  commands?: string[];
  unopened?: { codes: string[]; messages: string[] };
  definition?: { file: string; line: number };
  heading?: { file: string; line: number; text: string };
  links?: string[];
  completion?: string[];
  created?: { before: string[]; after: string[] };
  rename?: {
    old_exists: boolean;
    new_exists: boolean;
    notes: string;
    notes_codes: string[];
    other_codes: string[];
    other_messages: string[];
    diagnose_codes: string[];
  };
  codelens?: { titles: string[]; messages: string[] };
  excluded?: {
    release_codes_open: string[];
    release_codes_closed: string[];
    symbols_open: string[];
    symbols_closed: string[];
    history_published: boolean;
    markdown_published: boolean;
  };
  settings?: { before: string[]; after: string[] };
}

const found = findNeovim();

describe('Neovim built-in LSP client (headless)', { skip: found.reason }, () => {
  let root = '';
  let observed: Observed = { errors: [] };
  const uri = (rel: string) => uriOf(join(root, rel));

  before(async () => {
    assert.ok(existsSync(join(ROOT_DIR, 'server', 'out', 'server.js')), 'run "npm run build" first');
    root = tempWorkspace(FILES);
    const out = join(root, '..', `${root.split('/').pop()}-nvim.json`);
    const proc = spawn(found.nvim!, ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${SCRIPT}`], {
      env: {
        ...process.env,
        CDP_NODE: process.execPath,
        CDP_SERVER: SERVER_BIN,
        CDP_ROOT: root,
        CDP_OUT: out,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    proc.stdout.on('data', (d) => (log += d));
    proc.stderr.on('data', (d) => (log += d));
    const code = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => proc.kill('SIGKILL'), 120_000);
      proc.on('exit', (c) => {
        clearTimeout(guard);
        resolve(c);
      });
    });
    assert.ok(existsSync(out), `nvim wrote no results (exit ${code}):\n${log.slice(-3000)}`);
    observed = JSON.parse(readFileSync(out, 'utf8'));
  });

  after(() => {
    // Nothing to stop: the script stops the server and quits Neovim.
  });

  it('completes every step without a timeout or an error', () => {
    assert.deepEqual(observed.errors, []);
  });

  it('advertises its own command ids (no client extension claimed cdp.*)', () => {
    assert.deepEqual(observed.commands, ['cdp.server.checkGate', 'cdp.server.revealGroup']);
  });

  it('publishes diagnostics of documents that were never opened', () => {
    assert.deepEqual(observed.unopened?.codes, ['broken-link']);
    assert.match(observed.unopened?.messages[0] ?? '', /gone/);
  });

  it('goes from a metadata wikilink to the target title, and links headings with plain file URIs', () => {
    assert.equal(observed.definition?.file, join(root, 'wf/01-diagnose.md'));
    assert.equal(observed.definition?.line, 0);
    assert.equal(observed.heading?.file, join(root, 'wf/01-diagnose.md'));
    assert.equal(
      observed.heading?.text,
      '## Exit Criteria',
      'definition of a heading link lands on the heading',
    );
    assert.ok((observed.links ?? []).length > 0, 'document links');
    for (const l of observed.links ?? []) assert.ok(!l.includes('#'), `no fragment in ${l}`);
  });

  it('completes document names after [[', () => {
    for (const name of ['01-diagnose', '02-release', 'plan', 'other']) {
      assert.ok(observed.completion?.includes(name), `${name} in ${observed.completion?.join(', ')}`);
    }
  });

  it('notices a file created on disk outside the editor', () => {
    assert.ok(observed.created?.before.some((m) => m.includes('later')));
    assert.ok(!observed.created?.after.some((m) => m.includes('later')), observed.created?.after.join('\n'));
  });

  it('a rename applied by Neovim (file renamed, links rewritten) leaves no false findings', () => {
    const r = observed.rename;
    assert.equal(r?.old_exists, false);
    assert.equal(r?.new_exists, true);
    assert.match(r?.notes ?? '', /The \[\[launch-plan\]\] and/);
    assert.ok(!r?.notes_codes.includes('broken-link'), r?.notes_codes.join(','));
    assert.deepEqual(r?.other_codes, [], r?.other_messages.join('\n'));
    assert.deepEqual(r?.diagnose_codes, [], 'the artifact named in metadata is found under its new name');
    assert.match(readFileSync(join(root, 'other.md'), 'utf8'), /Also \[\[launch-plan\]\]/);
  });

  it('runs the "Check gate" code lens through workspace/executeCommand and shows the verdict', () => {
    assert.ok(observed.codelens?.titles.includes('Check gate'), observed.codelens?.titles.join(','));
    const text = observed.codelens?.messages.join('\n') ?? '';
    assert.match(text, /Gate check failed/);
    assert.match(text, /Release Gate/);
    assert.match(text, /1\/2 done/);
    assert.match(text, /Rollback rehearsed/);
  });

  it('an excluded document and a .markdown file, opened and closed, leave no trace', () => {
    const e = observed.excluded;
    assert.ok(e, 'the step ran');
    for (const codes of [e.release_codes_open, e.release_codes_closed]) {
      assert.ok(!codes.includes('duplicate-phase'), codes.join(','));
      assert.ok(codes.includes('broken-link'), 'the sync diagnostic is there');
    }
    for (const symbols of [e.symbols_open, e.symbols_closed]) {
      assert.ok(symbols.includes(uri('wf/02-release.md')), symbols.join('\n'));
      assert.ok(!symbols.some((s) => s.includes('.history') || s.endsWith('.markdown')), symbols.join('\n'));
    }
    assert.equal(e.history_published, false);
    assert.equal(e.markdown_published, false);
  });

  it('applies settings pushed with workspace/didChangeConfiguration', () => {
    assert.deepEqual(observed.settings?.before, ['broken-link']);
    assert.deepEqual(observed.settings?.after, []);
  });
});
