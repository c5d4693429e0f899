/**
 * A hostile workspace, generated at test time in a temporary folder: malformed YAML,
 * alias bombs, oversized and binary files, broken encodings, odd line endings, huge
 * checklists, deep nesting, link floods, symlink tricks and links that try to leave the
 * folder. Each entry says what the checker must make of it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '../helpers/files';
import { phaseDoc } from '../helpers/memory-workspace';

export const CLI_JS = join(__dirname, '..', '..', 'server', 'out', 'cli.js');

/** A text the checker must never read: it lives outside the workspace folder. */
export const SECRET = 'TOP-SECRET-OUTSIDE-THE-WORKSPACE-7d1f';

export interface Expectation {
  /** A finding: file (relative), rule, 0-based line and column of its start. */
  findings: { file: string; code: string; line?: number; character?: number; message?: RegExp }[];
  /** A notice about the file, matching the message. */
  notices: { file: string; message: RegExp }[];
  /** Files that must be neither reported nor read (relative to the workspace). */
  absent: string[];
}

export interface HostileCorpus {
  /** The workspace folder. */
  root: string;
  /** A sibling folder outside the workspace (with a secret in it). */
  outside: string;
  /** The parent of both; removed by `dispose`. */
  base: string;
  expect: Expectation;
  /** The 5 MB line: how many links, the length of its repeated cell, the first link's column. */
  longLine: { links: number; cell: number; firstColumn: number };
  dispose(): void;
}

const MB = 1024 * 1024;

/** The "billion laughs" in YAML: nine levels of nine aliases. */
export function yamlAliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1];
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  // (`tags` first: a block after the title is metadata when it holds a key the checker reads)
  return `# Alias Bomb\n\n---\ntags: [bomb]\n${lines.join('\n')}\n---\n\nSee [[nowhere-bomb]].\n`;
}

/** 10,000 criteria under one exit heading; every third one is ticked. */
export function tenThousandTasks(): string {
  const items: string[] = [];
  for (let i = 0; i < 10_000; i++) items.push(`- [${i % 3 === 0 ? 'x' : ' '}] criterion ${i}`);
  return `${phaseDoc({ title: 'Checklist Flood', phase: '03', name: 'Flood' })}## Exit Criteria\n\n${items.join('\n')}\n`;
}

export const TEN_K_CHECKED = Math.ceil(10_000 / 3);

/** A line of `n` wikilinks; one of them (the last) is broken. */
export function linkFlood(n: number): { text: string; brokenColumn: number } {
  const parts: string[] = [];
  for (let i = 0; i < n - 1; i++) parts.push(i % 2 ? '[[01-intake]]' : '[[01-intake#Exit Criteria|exit]]');
  const prefix = `${parts.join(' ')} `;
  return { text: `# Link Flood\n\n${prefix}[[nowhere-flood]]\n`, brokenColumn: prefix.length };
}

/** Writes the corpus. Large files are written in chunks to keep the test's own memory low. */
export function writeHostileCorpus(opts: { big?: boolean } = {}): HostileCorpus {
  const big = opts.big ?? true;
  const base = tempDir('cdp-hostile-');
  const root = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.md'), `# Secret\n\n${SECRET}\n\n[[nowhere-secret]]\n`);

  const expect: Expectation = { findings: [], notices: [], absent: [] };
  let longLine = { links: 0, cell: 0, firstColumn: 0 };
  const put = (rel: string, data: string | Buffer) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  };

  // A small, sane workflow the hostile documents link to.
  put(
    'wf/01-intake.md',
    phaseDoc({
      title: 'Intake',
      phase: '01',
      name: 'Intake',
      next: '02-diagnose',
      body: '## Exit Criteria\n\n- [x] triaged\n\nSee [[nowhere-intake]].\n',
    }),
  );
  put(
    'wf/02-diagnose.md',
    phaseDoc({
      title: 'Diagnose',
      phase: '02',
      name: 'Diagnose',
      previous: '01-intake',
      body: '## Entry Criteria\n\n- [ ] intake done\n',
    }),
  );
  expect.findings.push({ file: 'wf/01-intake.md', code: 'broken-link', line: 12, character: 4 });

  // YAML syntax errors.
  put(
    'yaml-error.md',
    '# Bad Yaml\n\n---\nphase: [05\nname: "unclosed\n  : : :\n---\n\n- [ ] still parsed\n',
  );
  expect.findings.push({ file: 'yaml-error.md', code: 'invalid-frontmatter', message: /Invalid YAML/ });
  // Duplicate keys and a tab-indented mapping.
  put('yaml-dup.md', '# Dup\n\n---\nphase: 01\nphase: 02\n\tname: x\n---\n');
  expect.findings.push({ file: 'yaml-dup.md', code: 'invalid-frontmatter' });
  // Billion laughs.
  put('yaml-bomb.md', yamlAliasBomb());
  expect.findings.push({ file: 'yaml-bomb.md', code: 'invalid-frontmatter', message: /alias/i });
  expect.findings.push({ file: 'yaml-bomb.md', code: 'broken-link', line: 15, character: 4 });

  // Over the size limit (2048 KB by default): skipped with a notice, never parsed.
  if (big) {
    const chunk = `- [ ] filler [[nowhere-big]] ${'lorem ipsum '.repeat(6)}\n`;
    put('huge-20mb.md', Buffer.from(chunk.repeat(Math.ceil((20 * MB) / chunk.length))));
    expect.notices.push({ file: 'huge-20mb.md', message: /larger than cdp\.files\.maxFileSizeKB/ });
    const cell = `${'word [ ] `code` <b>x</b> [[ '.repeat(8)}[[nowhere-line]] `;
    const links = Math.ceil((5 * MB) / cell.length);
    put('one-line-5mb.md', `# One Line\n\n${cell.repeat(links)}`);
    longLine = { links, cell: cell.length, firstColumn: cell.indexOf('[[nowhere') };
    expect.notices.push({ file: 'one-line-5mb.md', message: /larger than cdp\.files\.maxFileSizeKB/ });
  }

  // Binary content named .md.
  const bin = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 131 + 7) & 0xff;
  bin.write('# Not Markdown\n', 0);
  put('binary.md', bin);
  expect.notices.push({ file: 'binary.md', message: /binary/ });

  // Invalid UTF-8: each bad byte becomes one U+FFFD, so the link sits at column 4.
  put(
    'invalid-utf8.md',
    Buffer.concat([
      Buffer.from('# Bad Bytes\n\n'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(' [[nowhere-utf8]]\n-[ ] glued \u00e9\n'),
    ]),
  );
  expect.findings.push({ file: 'invalid-utf8.md', code: 'broken-link', line: 2, character: 4 });
  expect.findings.push({ file: 'invalid-utf8.md', code: 'malformed-checkbox', line: 3, character: 0 });

  // A byte order mark: not part of the text, positions unchanged.
  put('bom.md', `\ufeff# With Bom\n\n[[nowhere-bom]]\n`);
  expect.findings.push({ file: 'bom.md', code: 'broken-link', line: 2, character: 0 });

  // CRLF, lone CR and mixed line endings.
  put(
    'crlf.md',
    '# Crlf\r\n\r\n## Exit Criteria\r\n\r\n- [ ] done\r\n-[ ] glued\r\n\r\nSee [[nowhere-crlf]].\r\n',
  );
  expect.findings.push({ file: 'crlf.md', code: 'broken-link', line: 7, character: 4 });
  expect.findings.push({ file: 'crlf.md', code: 'malformed-checkbox', line: 5, character: 0 });
  put('mixed-eol.md', '# Mixed\r\rtext\n-[x] glued\r\n\n  see [[nowhere-mixed]]\r');
  expect.findings.push({ file: 'mixed-eol.md', code: 'broken-link', line: 5, character: 6 });
  expect.findings.push({ file: 'mixed-eol.md', code: 'malformed-checkbox', line: 3, character: 0 });

  // 10,000 criteria.
  put('wf/03-flood.md', tenThousandTasks());

  // Nesting 5,000 deep: on one line (lists, quotes) and over many lines (quotes).
  put('nested-list.md', `# Nested List\n\n${'- '.repeat(5000)}[ ] deep task [[nowhere-deep-list]]\n`);
  expect.findings.push({ file: 'nested-list.md', code: 'broken-link', line: 2, character: 10_000 + 14 });
  const q = '>'.repeat(5000);
  put(
    'nested-quote.md',
    `# Nested Quote\n\n${`${q} deep\n`.repeat(50)}${q} - [ ] quoted [[nowhere-deep-quote]]\n`,
  );
  expect.findings.push({ file: 'nested-quote.md', code: 'broken-link', line: 52, character: 5000 + 14 });
  // A list nested 800 deep, one level per line (the file grows with the square of the depth).
  const deep: string[] = [];
  for (let i = 0; i < 800; i++) deep.push(`${'  '.repeat(i)}- level ${i}`);
  deep.push(`${'  '.repeat(800)}- [ ] bottom [[nowhere-bottom]]`);
  put('nested-lines.md', `# Nested Lines\n\n${deep.join('\n')}\n`);
  expect.findings.push({ file: 'nested-lines.md', code: 'broken-link', line: 802, character: 1600 + 13 });

  // 10,000 wikilinks on one line.
  const flood = linkFlood(10_000);
  put('links-10k.md', flood.text);
  expect.findings.push({ file: 'links-10k.md', code: 'broken-link', line: 2, character: flood.brokenColumn });

  // 100,000 unterminated `[[`, then one good link.
  put('unterminated.md', `# Unterminated\n\n${'[['.repeat(100_000)}\n[[nowhere-unterminated]]\n`);
  expect.findings.push({ file: 'unterminated.md', code: 'broken-link', line: 3, character: 0 });

  // Symlinks: loops, dangling, a folder loop, and links out of the folder.
  symlinkSync('loop-b.md', join(root, 'loop-a.md'));
  symlinkSync('loop-a.md', join(root, 'loop-b.md'));
  symlinkSync('does-not-exist.md', join(root, 'dangling.md'));
  mkdirSync(join(root, 'sub'));
  symlinkSync('..', join(root, 'sub', 'up'));
  symlinkSync(join(outside, 'secret.md'), join(root, 'secret-link.md'));
  symlinkSync(outside, join(root, 'outside-dir'));
  expect.absent.push('loop-a.md', 'loop-b.md', 'dangling.md', 'secret-link.md', 'outside-dir/secret.md');
  // A named pipe called .md: opening it for reading would block until a writer comes.
  if (spawnSync('mkfifo', [join(root, 'pipe.md')]).status === 0) expect.absent.push('pipe.md');
  // A folder named like a document.
  mkdirSync(join(root, 'folder.md'));
  put('folder.md/inner.md', '# Inner\n\n[[nowhere-inner]]\n');
  expect.findings.push({ file: 'folder.md/inner.md', code: 'broken-link', line: 2, character: 0 });
  // A symlink inside the folder to a document inside: followed.
  put('notes/target.md', '# Target\n\n[[nowhere-target]]\n');
  symlinkSync('notes/target.md', join(root, 'target-alias.md'));
  expect.findings.push({ file: 'notes/target.md', code: 'broken-link', line: 2, character: 0 });
  expect.findings.push({ file: 'target-alias.md', code: 'broken-link', line: 2, character: 0 });

  // Links that try to leave the workspace.
  put(
    'escape.md',
    '# Escape\n\n[[../../../../etc/passwd]]\n[[/etc/passwd]]\n[[../outside/secret]]\n[[secret-link]]\n[[outside-dir/secret]]\n',
  );
  for (let line = 2; line <= 6; line++)
    expect.findings.push({ file: 'escape.md', code: 'broken-link', line });

  return {
    root,
    outside,
    base,
    expect,
    longLine,
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the process, in MB. */
  peakRssMB?: number;
}

/** Prints the process's peak resident set size on exit (loaded with `--require`). */
const RSS_PRELOAD = `process.on('exit', () => {
  try { require('fs').writeSync(2, '\\n@@maxrss ' + process.resourceUsage().maxRSS + '\\n'); } catch {}
});
`;

let preload: string | undefined;

/** Runs the built `cdp` command as its own process, killed after `timeoutMs`. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<CliRun> {
  if (!preload) {
    preload = join(tempDir('cdp-rss-'), 'rss.js');
    writeFileSync(preload, RSS_PRELOAD);
  }
  const script = preload;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--require', script, CLI_JS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString();
      const m = /\n@@maxrss (\d+)\n/.exec(stderr);
      stderr = stderr.replace(/\n@@maxrss \d+\n/, '');
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString(),
        stderr,
        ms: Date.now() - started,
        peakRssMB: m ? Number(m[1]) / 1024 : undefined,
      });
    });
  });
}

/** Every file under a folder (symlinks not followed) with its mtime and content hash. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.isFile()) {
        const st = statSync(p);
        out.set(p, `${st.mtimeMs}:${st.size}:${hash(readFileSync(p))}`);
      } else out.set(p, d.isSymbolicLink() ? 'symlink' : 'other');
    }
  };
  walk(root);
  return out;
}

function hash(b: Buffer): string {
  // FNV-1a over the bytes: enough to notice any change.
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16);
}
