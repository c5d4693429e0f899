import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis, cutShort } from '../core/analysis';
import type { CdpConfig } from '../core/config';
import type { DocEntry } from '../core/index';
import { WorkspaceIndex } from '../core/index';
import { unreadableReason } from '../core/load';
import { relativePath } from '../core/paths';
import type { RuleId } from '../core/types';
import { type FeatureContext, throwIfCancelled } from '../features/context';
import { MAX_DIAGNOSTICS_PER_DOCUMENT, toDiagnostics } from '../features/convert';

/**
 * Rules that read nothing but the document itself. The others look for other documents
 * (links, phases before and after, ids, artifacts), which a document served alone does
 * not have: they would report every link as broken.
 */
const DOCUMENT_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'invalid-frontmatter',
  'malformed-checkbox',
  'empty-gate',
  'unmet-criterion',
  'broken-heading',
]);

/** Requests answered for a document served alone; others get what a document outside the index gets. */
export const SINGLE_DOCUMENT_METHODS: ReadonlySet<string> = new Set([
  'textDocument/documentSymbol',
  'textDocument/hover',
  'textDocument/codeAction',
]);

/** One document served alone: its own index, holding it and nothing else. */
interface Single {
  /** The URI the client opened it with. */
  clientUri: string;
  /** Its URI in its own index (under a folder of its own). */
  uri: string;
  index: WorkspaceIndex;
  analysis: Analysis;
  /** The findings last published, as JSON ('' for none). */
  published: string;
}

/** What the server gives the documents served alone. */
export interface SingleHost {
  readonly config: CdpConfig;
  readonly debounceMs: number;
  /** The open document of a URI as the client spells it. */
  openDocument(clientUri: string): TextDocument | undefined;
  /** Whether the open document's text was dropped (too large). */
  untracked(doc: TextDocument): boolean;
  publish(clientUri: string, diagnostics: Diagnostic[]): void;
  /** The context the workspace's features get (client support, identity, rule docs). */
  readonly base: FeatureContext;
  log(line: string): void;
}

/**
 * Open markdown documents that belong to no workspace folder: files outside every folder
 * (or every file, for a server started without a root) and `untitled:` documents. Each is
 * parsed into an index of its own, never into the workspace's, and gets the findings of
 * the rules that need no other document, its outline, hover and code actions.
 */
export class SingleDocuments {
  /** Canonical URI → the document. */
  private readonly docs = new Map<string, Single>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private next = 0;

  constructor(private readonly host: SingleHost) {}

  /** Whether a canonical URI is a document served alone. */
  has(uri: string): boolean {
    return this.docs.has(uri);
  }

  /**
   * An open document outside the workspace was opened or edited: parsed at its latest
   * text once the edits pause. Only `.md` files and `untitled:` markdown are served.
   */
  changed(uri: string, doc: TextDocument): void {
    if (!this.docs.has(uri)) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
      const served =
        (scheme === 'file' && /\.md$/i.test(uri)) || (scheme === 'untitled' && doc.languageId === 'markdown');
      if (!served) return;
      this.docs.set(uri, this.create(uri, doc.uri));
    }
    this.dirty.add(uri);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.host.debounceMs);
  }

  private create(uri: string, clientUri: string): Single {
    let folder: string;
    let own: string;
    if (uri.startsWith('file:')) {
      // Its own folder: its name is what makes it a phase document (`01-diagnose.md`).
      folder = uri.slice(0, uri.lastIndexOf('/'));
      own = uri;
    } else {
      const name = decodeURIComponent(
        uri.slice(uri.lastIndexOf('/') + 1).replace(/^[a-z][a-z0-9+.-]*:/i, ''),
      );
      const safe = encodeURIComponent(name.replace(/\.md$/i, '') || 'untitled');
      folder = `cdp-single:/${++this.next}`;
      own = `${folder}/${safe}.md`;
    }
    const index = new WorkspaceIndex([folder], this.host.config);
    return {
      clientUri,
      uri: own,
      index,
      analysis: new Analysis(index, true, MAX_DIAGNOSTICS_PER_DOCUMENT),
      published: '',
    };
  }

  /** The document was closed: forgotten, its findings withdrawn. */
  closed(uri: string): void {
    const s = this.docs.get(uri);
    if (!s) return;
    this.docs.delete(uri);
    this.dirty.delete(uri);
    if (s.published !== '') this.host.publish(s.clientUri, []);
  }

  /** Settings changed: every document is parsed again with them. */
  reconfigure(): void {
    for (const [uri, s] of this.docs) {
      this.docs.set(uri, { ...this.create(uri, s.clientUri), published: s.published });
      this.dirty.add(uri);
    }
    this.flush();
  }

  /** Parses the edited documents and publishes their findings. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const uri of [...this.dirty]) {
      this.dirty.delete(uri);
      const s = this.docs.get(uri);
      const doc = s && this.host.openDocument(s.clientUri);
      if (!s || !doc) continue;
      const text = this.host.untracked(doc) ? undefined : doc.getText();
      const reason = text === undefined ? 'too large' : unreadableReason(text, this.host.config);
      if (reason || text === undefined) {
        this.host.log(`${s.clientUri}: ${reason}`);
        s.index.delete(s.uri);
      } else s.index.set(s.uri, text);
      const ctx = this.context(uri)!;
      const all = s.analysis.checkUri(s.uri) ?? [];
      const findings = all.filter((f) => DOCUMENT_RULES.has(f.code));
      const diagnostics = toDiagnostics(ctx, findings, cutShort(all));
      const json = diagnostics.length === 0 ? '' : JSON.stringify(diagnostics);
      if (json === s.published) continue;
      s.published = json;
      this.host.publish(s.clientUri, diagnostics);
    }
  }

  /** The features' context for a document served alone (undefined for any other URI). */
  context(uri: string): FeatureContext | undefined {
    const s = this.docs.get(uri);
    if (!s) return undefined;
    if (this.dirty.has(uri)) this.flush();
    const base = this.host.base;
    const host = this.host;
    const canonical = (u: string) => (base.canonical(u) === uri ? s.uri : base.canonical(u));
    const clientUri = (u: string) => (u === s.uri ? s.clientUri : base.clientUri(u));
    const entry = (u: string): DocEntry | undefined => s.index.get(canonical(u));
    return {
      index: s.index,
      analysis: s.analysis,
      config: host.config,
      singleDocument: true,
      openDocument: (u) => (canonical(u) === s.uri ? host.openDocument(s.clientUri) : undefined),
      readText: async (u) => {
        if (canonical(u) !== s.uri) return undefined;
        const doc = host.openDocument(s.clientUri);
        return doc && !host.untracked(doc) ? doc.getText() : undefined;
      },
      // Nothing outside the document is read, listed or created.
      exists: async () => false,
      // Only the open document is read, as the editor has it.
      notUtf8: () => false,
      listNames: async () => [],
      canCreate: async () => false,
      syncFromDisk: async () => [],
      entry,
      canonical,
      clientUri,
      clientCapabilities: base.clientCapabilities,
      // Nothing to wait for: the workspace's indexing does not concern it.
      ready: async (token) => throwIfCancelled(token),
      readyEntry: async (u) => entry(u),
      flush: () => this.flush(),
      warn: (message) => base.warn(message),
      identity: () => base.identity(),
      history: () => ({ note: 'A document outside every workspace folder has no history here.' }),
      ruleDocs: base.ruleDocs,
      ruleLines: base.ruleLines,
    };
  }
}

/** Whether a canonical URI lies in one of the workspace folders. */
export function inFolders(folders: readonly string[], uri: string): boolean {
  return folders.some((f) => relativePath(f, uri) !== undefined);
}
