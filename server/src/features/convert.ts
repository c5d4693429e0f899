import {
  CreateFile,
  type Diagnostic,
  DiagnosticSeverity,
  type OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { cutShort } from '../core/analysis';
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
 * At most this many diagnostics are published for one document. VS Code shows no more than
 * 1,000 per file and drops the rest itself; a document with 100,000 broken links would
 * otherwise cost seconds of encoding, sending and decoding on every keystroke.
 */
export const MAX_DIAGNOSTICS_PER_DOCUMENT = 1000;

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * A document's findings as the diagnostics to publish: all of them, or beyond
 * `MAX_DIAGNOSTICS_PER_DOCUMENT` the most severe ones first (in the order the rules gave them
 * within a severity) and, last, one information that says how many are not shown and where
 * to see them all. `cut`: the check stopped a rule short (`Analysis.perRule`), so there are
 * more than `findings` holds (said as "at least").
 */
export function toDiagnostics(
  ctx: FeatureContext,
  findings: readonly Finding[],
  cut = cutShort(findings),
): Diagnostic[] {
  if (findings.length <= MAX_DIAGNOSTICS_PER_DOCUMENT && !cut)
    return findings.map((f) => toDiagnostic(ctx, f));
  const kept = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .slice(0, MAX_DIAGNOSTICS_PER_DOCUMENT);
  const diagnostics = kept.map(({ f }) => toDiagnostic(ctx, f));
  const hidden = findings.length - kept.length;
  const most = MAX_DIAGNOSTICS_PER_DOCUMENT.toLocaleString('en-US');
  diagnostics.push({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: 'cdp',
    message: cut
      ? `More findings in this document are not shown (at most ${most} per document, the most severe first, and no more than ${most} of one rule are looked for); \`cdp check\` lists them all.`
      : `${hidden.toLocaleString('en-US')} more findings in this document are not shown (at most ${most} per document, the most severe first); \`cdp check\` lists them all.`,
  });
  return diagnostics;
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
