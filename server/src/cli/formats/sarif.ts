import type { Severity } from '../../core/types';
import { type CheckData, gateFailures } from './data';
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
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return { uri: file };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * The report as a SARIF 2.1.0 log: one run, the rules with their documentation, a result
 * per finding (and per unmet criterion of a failed selected gate), notices as tool
 * notifications. Files are `fileOf(file)` relative to `baseUri` (a `file:` URI of a folder).
 */
export function toSarif(
  data: CheckData,
  opts: { baseUri: string; fileOf?: (file: string) => string; version?: string },
): object {
  const { baseUri: rootUri, version } = opts;
  const fileOf = opts.fileOf ?? ((f: string) => f);
  const artifactLocation = (file: string) => artifactLocationOf(fileOf(file));
  const index = new Map(RULE_META.map((r, i) => [r.id, i]));
  const results: object[] = [];
  for (const d of data.diagnostics) {
    results.push({
      ruleId: d.code,
      ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
      level: LEVEL[d.severity] ?? 'warning',
      message: { text: d.message },
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
    });
  }
  for (const g of data.gates ?? []) {
    if (g.passed) continue;
    const where = `${g.workflow} ${g.phase} ${g.name}`;
    const unmet = gateFailures(data, g).map((f) => ({
      message: f.text
        ? `${where}, ${f.group}: "${f.text}" is ${f.reason}.`
        : `${where}${f.group ? `, ${f.group}` : ''}: ${f.reason}.`,
      line: f.line,
    }));
    for (const u of unmet) {
      results.push({
        ruleId: GATE_RULE.id,
        ruleIndex: index.get(GATE_RULE.id),
        level: 'error',
        message: { text: u.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(g.file),
              region: { startLine: u.line },
            },
          },
        ],
      });
    }
  }
  const base = rootUri.endsWith('/') ? rootUri : `${rootUri}/`;
  return {
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
            toolExecutionNotifications: data.notices.map((n) => ({
              level: 'note',
              message: { text: n.message },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
}
