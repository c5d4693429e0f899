import {
  CreateFile,
  type Diagnostic,
  DiagnosticSeverity,
  type OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextEdit as CoreTextEdit, Finding, Severity } from '../core/types';
import type { FeatureContext } from './context';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The one place findings become LSP diagnostics. */
export function toDiagnostic(ctx: FeatureContext, f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'cdp',
    message: f.message,
  };
  // Only for a client that says it reads it (LSP 3.16); the code alone names the rule.
  if (ctx.clientCapabilities.codeDescription) {
    const line = ctx.ruleLines?.get(f.code);
    d.codeDescription = { href: `${ctx.ruleDocs}#${line ? `L${line}` : f.code}` };
  }
  if (f.related && f.related.length > 0 && ctx.clientCapabilities.relatedInformation) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: ctx.clientUri(r.uri), range: r.range },
      message: r.message,
    }));
  }
  return d;
}

/**
 * Text edits for several documents as one WorkspaceEdit. Open documents carry their
 * version, so the editor refuses the edit if the document changed since it was computed.
 */
export function textEdits(ctx: FeatureContext, byUri: Map<string, CoreTextEdit[]>): WorkspaceEdit {
  if (!ctx.clientCapabilities.documentChanges) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, edits] of byUri) changes[ctx.clientUri(uri)] = edits;
    return { changes };
  }
  return {
    documentChanges: [...byUri].map(([uri, edits]) => TextDocumentEdit.create(versioned(ctx, uri), edits)),
  };
}

export function versioned(ctx: FeatureContext, uri: string): OptionalVersionedTextDocumentIdentifier {
  const open = ctx.openDocument(uri);
  return { uri: ctx.clientUri(uri), version: open ? open.version : null };
}

/** Creates a file that must not exist yet: the whole edit fails rather than overwrite. */
export function createFileEdit(ctx: FeatureContext, uri: string, content: string): WorkspaceEdit {
  const target = ctx.clientUri(uri);
  return {
    documentChanges: [
      CreateFile.create(target, { overwrite: false, ignoreIfExists: false }),
      TextDocumentEdit.create({ uri: target, version: null }, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: content },
      ]),
    ],
  };
}

/**
 * Escapes text from a document for use as inline markdown, so nothing in it becomes a
 * link, image, HTML or emphasis.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#!|~&$]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function fenced(text: string, lang = ''): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}
