import { basename, dirname, normalizeRel } from '../paths';
import { type ParsedGateFile, parseGateFile } from './parse';
import { freeAnswers, grepText, isCut, type SearchResult } from './regex';

/** One gate file as the index holds it. */
export interface GateFileEntry {
  uri: string;
  folder: string;
  rel: string;
  /** The folder it sits in (relative): its phase's folder. */
  dir: string;
  parsed: ParsedGateFile;
}

export interface Confirmation {
  by: string;
  at: string;
  /** 0-based line of the entry in the confirmations file (where to withdraw it). */
  line: number;
}

export interface CommandResult {
  ok: boolean;
  output: string;
  /** The exit code, when the command ran to its end (not stopped, not failed to start). */
  exit?: number;
  /** Seconds after which the command was stopped, when it ran too long. */
  timedOutAfter?: number;
  /** Why the command could not be started at all (no shell, a NUL in it). */
  startError?: string;
  /** Set when commands were run but not this one: why (a workflow definition's are never run). */
  notRun?: string;
}

/**
 * How a host words what it offers for commands that have not run, and the setting that
 * bounds their time: `cdp check`'s flags unless the host says otherwise (the editor).
 */
export interface CommandWording {
  /** Follows "not run" in the reason of a command check that has not run. */
  notRun: string;
  /** Names what set the time after which a command was stopped. */
  timeout: string;
}

export const CLI_COMMAND_WORDING: CommandWording = {
  notRun: ' (use `cdp check --run-commands`)',
  timeout: '`--command-timeout`',
};

/** Folder-relative path of the file that records confirmed manual gate items. */
export const CONFIRMATIONS_FILE = '.cdp/confirmations.yml';

/**
 * The gate files of every workspace folder, by the folder they sit in, plus what their
 * checks need that the index does not keep: the texts of the files `grep_*` checks
 * search, confirmed manual items, and results of commands run on request.
 */
export class GateStore {
  private readonly files = new Map<string, GateFileEntry>();
  private readonly byDir = new Map<string, GateFileEntry[]>();
  private readonly texts = new Map<string, string>();
  /** Files whose kept text is only their first part (`grepText`): longer than grep checks search. */
  private readonly cut = new Set<string>();
  /**
   * Files searched only by patterns whose answer costs nothing (`freeSearch`): each
   * pattern's answer, kept instead of the text (a check run once, or again, needs no more).
   */
  private readonly answers = new Map<string, ReadonlyMap<string, SearchResult>>();
  private readonly unread = new Map<string, string>();
  /** Files left unread for a reason that may pass (the limit of files read): read again when asked. */
  private readonly retry = new Set<string>();
  private readonly confirmed = new Map<string, Map<string, Confirmation>>();
  private readonly confirmationFiles = new Map<string, { uri: string; text: string }>();
  /**
   * Results of commands run on request, by gate file and line: kept while the file reads
   * the same (`setParsed` drops a file's results when its items change: a line may no
   * longer hold the item that ran), dropped with the file.
   */
  private readonly commands = new Map<string, Map<number, CommandResult>>();
  private wording: CommandWording = CLI_COMMAND_WORDING;
  /** Changes with every change to gate files, texts, confirmations or command results. */
  version = 0;
  /** Changes with every change to a gate file. */
  fileVersion = 0;
  /** Changes when a folder gains its first or loses its last gate file. */
  dirsVersion = 0;
  /**
   * Changes when the grep checks of the gate files change (a gate file with any comes or
   * goes, or one's checks, paths or patterns change): what `grepTargets` depends on. Typing
   * elsewhere in a gate file leaves it, and the files the checks search are not looked up
   * again on every keystroke (20 ms at 10,000 documents).
   */
  grepVersion = 0;

  get size(): number {
    return this.files.size;
  }

  all(): IterableIterator<GateFileEntry> {
    return this.files.values();
  }

  get(uri: string): GateFileEntry | undefined {
    return this.files.get(uri);
  }

  set(uri: string, folder: string, rel: string, text: string | undefined, error?: string): GateFileEntry {
    const parsed: ParsedGateFile =
      error !== undefined ? { groups: [], error: { message: error, line: 0 } } : parseGateFile(text ?? '');
    return this.setParsed(uri, folder, rel, parsed);
  }

  /** A gate file parsed before (the server's index cache), as `set` would have parsed it. */
  setParsed(uri: string, folder: string, rel: string, parsed: ParsedGateFile): GateFileEntry {
    const before = this.files.get(uri);
    if (this.commands.has(uri) && !(before && sameGateFile(before.parsed, parsed))) this.commands.delete(uri);
    // A gate file read again where it was leaves the folders of gate files as they were
    // (the last one of its folder is taken out and put back).
    const dirs = before?.folder === folder && before.dir === dirname(rel) ? this.dirsVersion : undefined;
    const greps = grepChecksOf(parsed);
    if (before ? before.folder !== folder || grepChecksOf(before.parsed) !== greps : greps !== '')
      this.grepVersion++;
    this.remove(uri, false);
    const e: GateFileEntry = { uri, folder, rel, dir: dirname(rel), parsed };
    this.files.set(uri, e);
    const key = `${folder}\u0000${e.dir}`;
    const list = this.byDir.get(key);
    if (list) {
      // In order as it goes in (a folder holds a few): input gates, exit gates, GATE.yaml, then by path.
      const rank = order(e.rel);
      let i = 0;
      while (i < list.length) {
        const r = order(list[i].rel);
        if (r > rank || (r === rank && e.rel < list[i].rel)) break;
        i++;
      }
      list.splice(i, 0, e);
    } else {
      this.byDir.set(key, [e]);
      this.dirsVersion++;
    }
    if (dirs !== undefined) this.dirsVersion = dirs;
    this.version++;
    this.fileVersion++;
    return e;
  }

  delete(uri: string): boolean {
    this.commands.delete(uri);
    return this.remove(uri, true);
  }

  private remove(uri: string, gone: boolean): boolean {
    const e = this.files.get(uri);
    if (!e) return false;
    if (gone && grepChecksOf(e.parsed) !== '') this.grepVersion++;
    this.files.delete(uri);
    const key = `${e.folder}\u0000${e.dir}`;
    const list = this.byDir.get(key)?.filter((x) => x !== e) ?? [];
    if (list.length === 0) {
      this.byDir.delete(key);
      this.dirsVersion++;
    } else this.byDir.set(key, list);
    this.version++;
    this.fileVersion++;
    return true;
  }

  /** The gate files in a folder, input gates first, then exit gates, then GATE.yaml. */
  inDir(folder: string, dir: string): GateFileEntry[] {
    return this.byDir.get(`${folder}\u0000${dir}`) ?? [];
  }

  hasDir(folder: string, dir: string): boolean {
    return this.byDir.has(`${folder}\u0000${dir}`);
  }

  /** Folders holding gate files (folder, dir). */
  dirs(): { folder: string; dir: string }[] {
    return [...this.byDir.values()].map((l) => ({ folder: l[0].folder, dir: l[0].dir }));
  }

  /**
   * `why`: for a file a grep check searches that has no text, why it was not read
   * (`unreadReason`).
   */
  setText(
    uri: string,
    text: string | undefined,
    why?: string,
    patterns?: ReadonlySet<string>,
    /** (with no text) `why` may pass: `answersAll` says the file is still to be read. */
    retry = false,
  ): void {
    const answers = text !== undefined && patterns ? freeAnswers(text, patterns) : undefined;
    if (answers) {
      this.setAnswers(uri, answers);
      return;
    }
    if (text === undefined && retry) this.retry.add(uri);
    else this.retry.delete(uri);
    if (this.answers.delete(uri)) this.version++;
    if (text === undefined) {
      if (this.texts.delete(uri)) this.version++;
      if (this.cut.delete(uri)) this.version++;
    } else {
      const kept = grepText(text);
      if (this.texts.get(uri) !== kept) {
        this.texts.set(uri, kept);
        this.version++;
      }
      if (isCut(text) !== this.cut.has(uri)) {
        if (isCut(text)) this.cut.add(uri);
        else this.cut.delete(uri);
        this.version++;
      }
    }
    const before = this.unread.get(uri);
    if (text === undefined && why !== undefined) this.unread.set(uri, why);
    else this.unread.delete(uri);
    if (this.unread.get(uri) !== before) this.version++;
  }

  text(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  /** Whether the text kept of a file (`text`) is only its first part, the file being longer. */
  truncated(uri: string): boolean {
    return this.cut.has(uri);
  }

  /** Why a file grep checks search was not read (a read error, the limit of files read), when known. */
  unreadReason(uri: string): string | undefined {
    return this.unread.get(uri);
  }

  /** A file's answers to the patterns searched in it (`freeAnswers`), found as it was read. */
  setAnswers(uri: string, answers: ReadonlyMap<string, SearchResult>): void {
    this.retry.delete(uri);
    if (this.texts.delete(uri)) this.version++;
    if (this.cut.delete(uri)) this.version++;
    if (this.unread.delete(uri)) this.version++;
    if (!sameAnswers(this.answers.get(uri), answers)) {
      this.answers.set(uri, answers);
      this.version++;
    }
  }

  /** What a search of `pattern` in a file found, when that is kept instead of the file's text. */
  answer(uri: string, pattern: string): SearchResult | undefined {
    return this.answers.get(uri)?.get(pattern);
  }

  /**
   * Whether what is kept of a file answers every one of `patterns`: its text, their
   * answers, or why it could not be read (not a limit that may no longer hold).
   */
  answersAll(uri: string, patterns: ReadonlySet<string>): boolean {
    if (this.texts.has(uri) || (this.unread.has(uri) && !this.retry.has(uri))) return true;
    const kept = this.answers.get(uri);
    if (!kept) return false;
    for (const p of patterns) if (!kept.has(p)) return false;
    return true;
  }

  /** A folder's confirmations; `file`: the confirmations file's URI and text, when there is one. */
  setConfirmations(
    folder: string,
    list: Map<string, Confirmation>,
    file?: { uri: string; text: string },
  ): void {
    this.confirmed.set(folder, list);
    if (file) this.confirmationFiles.set(folder, file);
    else this.confirmationFiles.delete(folder);
    this.version++;
  }

  /** The confirmations file of a folder, as read (URI and text), when there is one. */
  confirmationsFile(folder: string): { uri: string; text: string } | undefined {
    return this.confirmationFiles.get(folder);
  }

  /** The URIs of the confirmations files read, one per workspace folder that has one. */
  confirmationsUris(): string[] {
    return [...this.confirmationFiles.values()].map((f) => f.uri);
  }

  confirmation(folder: string, file: string, item: string): Confirmation | undefined {
    return this.confirmed.get(folder)?.get(confirmationKey(file, item));
  }

  /** Records the result of the command on `line` of the gate file `uri` (as the file reads now). */
  setCommandResult(uri: string, line: number, r: CommandResult): void {
    let lines = this.commands.get(uri);
    if (!lines) this.commands.set(uri, (lines = new Map()));
    lines.set(line, r);
    this.version++;
  }

  commandResult(uri: string, line: number): CommandResult | undefined {
    return this.commands.get(uri)?.get(line);
  }

  /**
   * Takes over the command results of another store (the index built before this one)
   * for the gate files that read the same in both.
   */
  adoptCommandResults(from: GateStore): void {
    for (const [uri, lines] of from.commands) {
      const mine = this.files.get(uri);
      const theirs = from.files.get(uri);
      if (!mine || !theirs || !sameGateFile(mine.parsed, theirs.parsed)) continue;
      this.commands.set(uri, new Map(lines));
      this.version++;
    }
  }

  /** Whether any command result is kept (they are never written to the server's caches). */
  get hasCommandResults(): boolean {
    return this.commands.size > 0;
  }

  get commandWording(): CommandWording {
    return this.wording;
  }

  set commandWording(w: CommandWording) {
    if (w.notRun === this.wording.notRun && w.timeout === this.wording.timeout) return;
    this.wording = w;
    this.version++;
  }
}

/**
 * The key of a confirmation: the gate file's path as the workspace folder's (`./`, `\\`,
 * `//`, `a/../` and a leading `/` written by hand name the same file; a path climbing out
 * of the folder names none of its files), in any case, and the item's text.
 */
export function confirmationKey(file: string, item: string): string {
  return `${confirmationFile(file) ?? `\u0001${file.trim().replace(/\\/g, '/')}`}\u0000${item.trim()}`;
}

/** The gate file a confirmation's `file:` names, as confirmationKey reads it (lower case), or undefined for a path out of the folder. */
export function confirmationFile(file: string): string | undefined {
  const written = file.trim().replace(/\\/g, '/');
  return normalizeRel(written.replace(/^\/+/, ''))?.toLowerCase();
}

/** Whether two reads of a gate file give the same items on the same lines. */
export function sameGateFile(a: ParsedGateFile, b: ParsedGateFile): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function order(rel: string): number {
  const n = basename(rel).toLowerCase();
  if (n.startsWith('input') || n.startsWith('entry')) return 0;
  if (n.startsWith('exit')) return 1;
  return 2;
}

function sameAnswers(
  a: ReadonlyMap<string, SearchResult> | undefined,
  b: ReadonlyMap<string, SearchResult>,
): boolean {
  if (!a || a.size !== b.size) return false;
  for (const [p, r] of b) if (!sameResult(a.get(p), r)) return false;
  return true;
}

/**
 * Answers of `freeAnswers`: found or not (shared objects; not found in the part searched
 * of a longer file), or the pattern's error.
 */
function sameResult(a: SearchResult | undefined, b: SearchResult): boolean {
  if (a === b) return true;
  if (a === undefined) return false;
  if ('matched' in a) return 'matched' in b && a.matched === b.matched && a.partial === b.partial;
  if ('error' in a) return 'error' in b && a.error === b.error;
  return 'tooCostly' in b;
}

/** The grep checks of a gate file in order, as one string ('' for none): what tells where they search and for what. */
function grepChecksOf(parsed: ParsedGateFile): string {
  let out = '';
  for (const group of parsed.groups)
    for (const d of group.items)
      if (d.check === 'grep_present' || d.check === 'grep_absent')
        out += JSON.stringify([d.check, d.path, d.fallbackPaths, d.pattern]);
  return out;
}
