import { createHash } from 'node:crypto';
import type { Severity } from '../../core/types';
import { type CheckData, gateFailures, gateTitle, isUri, lineIn } from './data';
import { GATE_RULE, RULE_META, ruleHelpUri } from './rules';

/** The base every relative file of the log is resolved against (the checked root). */
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** A relative file as a relative URI reference (each segment percent-encoded). */
export function artifactLocationOf(file: string): { uri: string; uriBaseId?: string } {
  if (isUri(file)) return { uri: file };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

export interface SarifOptions {
  /** A `file:` URI of the folder the files are relative to. */
  baseUri: string;
  /** The file as the log names it, from the report's file (default: unchanged). */
  fileOf?: (file: string) => string;
  version?: string;
}

const EMPTY_RESULTS = '"results": []';

/**
 * The report as a SARIF 2.1.0 log: one run, the rules with their documentation, a result
 * per finding (and per unmet criterion of a failed selected gate), notices as tool
 * notifications. Written in pieces of whole lines (each ending with a line break), the
 * results as they are produced, so a large workspace's log is never held whole.
 */
export function* sarifPieces(data: CheckData, opts: SarifOptions): Generator<string> {
  const { log, results } = sarifParts(data, opts);
  const text = JSON.stringify(log, null, 2);
  const at = text.lastIndexOf(EMPTY_RESULTS);
  yield `${text.slice(0, at)}"results": [\n`;
  let buf = '';
  let previous: object | undefined;
  for (const r of results()) {
    if (previous) buf += `        ${JSON.stringify(previous)},\n`;
    previous = r;
    if (buf.length > 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (previous) buf += `        ${JSON.stringify(previous)}\n`;
  yield `${buf}      ]${text.slice(at + EMPTY_RESULTS.length)}\n`;
}

/** The key of the results' `partialFingerprints`. */
const FINGERPRINT_KEY = 'cdpFinding/v1';

/**
 * Fingerprints of results that stay the same across runs and edits elsewhere in the file:
 * a hash of the rule, the file, the message and how many results with those three came
 * before, never of the line number. `byFile`: the results come a file at a time (the
 * findings), so the count can start over at each file.
 */
function fingerprinter(
  byFile: boolean,
): (ruleId: string, file: string, message: string) => Record<string, string> {
  let lastFile: string | undefined;
  const seen = new Map<string, number>();
  return (ruleId, file, message) => {
    if (byFile && file !== lastFile) {
      seen.clear();
      lastFile = file;
    }
    const key = `${ruleId}\u0000${file}\u0000${message}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const hash = createHash('sha256').update(`${key}\u0000${n}`, 'utf8').digest('hex').slice(0, 32);
    return { [FINGERPRINT_KEY]: hash };
  };
}

function sarifParts(
  data: CheckData,
  opts: SarifOptions,
): { log: { runs: { results: object[] }[] }; results: () => Generator<object> } {
  const { baseUri: rootUri, version } = opts;
  const fileOf = opts.fileOf ?? ((f: string) => f);
  const artifactLocation = (file: string) => artifactLocationOf(fileOf(file));
  const index = new Map(RULE_META.map((r, i) => [r.id, i]));
  function* resultsOf(): Generator<object> {
    const fingerprint = fingerprinter(true);
    for (const d of data.diagnostics) {
      yield {
        ruleId: d.code,
        ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
        level: LEVEL[d.severity] ?? 'warning',
        message: { text: d.message },
        partialFingerprints: fingerprint(d.code, fileOf(d.file), d.message),
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(d.file),
              region: {
                startLine: d.line,
                startColumn: d.column,
                endLine: d.endLine,
                endColumn: d.endColumn,
              },
            },
          },
        ],
      };
    }
    const gateFingerprint = fingerprinter(false);
    for (const g of data.gates ?? []) {
      if (g.passed) continue;
      const where = gateTitle(g);
      const unmet = gateFailures(data, g).map((f) => ({
        // (the reason as written: "not checked", "a person must confirm it", "runs `npm test`: …")
        message: f.text
          ? `${where}, ${f.group}: "${f.text}": ${sentence(f.reason)}`
          : `${where}${f.group ? `, ${f.group}` : ''}: ${sentence(f.reason)}`,
        line: f.line,
        file: f.file ?? g.file,
      }));
      for (const u of unmet) {
        yield {
          ruleId: GATE_RULE.id,
          ruleIndex: index.get(GATE_RULE.id),
          level: 'error',
          message: { text: u.message },
          partialFingerprints: gateFingerprint(GATE_RULE.id, fileOf(u.file), u.message),
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(u.file),
                ...(lineIn(u.file, u.line) === undefined ? {} : { region: { startLine: u.line } }),
              },
            },
          ],
        };
      }
    }
  }
  const base = rootUri.endsWith('/') ? rootUri : `${rootUri}/`;
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdp',
            fullName: 'CDP Workflow checker',
            ...(version ? { version } : {}),
            informationUri: 'https://github.com/cdp-workflow/cdp-workflow',
            rules: RULE_META.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.short },
              fullDescription: { text: r.full },
              helpUri: ruleHelpUri(r.id),
              defaultConfiguration: { level: LEVEL[r.level] },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: base } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...data.notices.map((n) => ({
                level: 'note',
                message: { text: n.message },
                locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file) } }],
              })),
              // Paths given that hold no phase document: no phase or gate was checked there.
              ...(data.withoutPhases ?? []).map((p) => ({
                level: 'warning',
                descriptor: { id: 'no-phase-documents' },
                message: { text: `No phase documents in ${p}: no phase or gate was checked there.` },
              })),
            ],
          },
        ],
        results: [] as object[],
      },
    ],
  };
  return { log, results: resultsOf };
}

/** `reason` ending as a sentence: a full stop unless it ends with one, `?` or `!`. */
function sentence(reason: string): string {
  return /[.?!]$/.test(reason) ? reason : `${reason}.`;
}
