import { CONTROL_CHARACTERS, escapeControls } from '../../core/text';
import type { Severity } from '../../core/types';
import { type CheckData, gateFailures, gateTitle, groupAndText, lineIn } from './data';

/**
 * A workflow command's message: `%`, CR and LF escaped as the runner reads them, other
 * control characters shown as `\uXXXX` (a terminal escape would restyle the log).
 */
export function escapeData(s: string): string {
  return escapeControls(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as data, and `:` and `,` too. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** What a `file` property percent-encodes. */
const FILE_ESCAPED = new RegExp(`[%\\r\\n:,]|${CONTROL_CHARACTERS.source}`, 'g');

/**
 * A workflow command's `file` property: as a property, but a control character (an
 * escape, a bell, a right-to-left override in a file name) percent-encoded as its UTF-8
 * bytes (`%1B`), as the SARIF report's URIs name that file, instead of `\u001b`.
 */
export function escapeFileProperty(s: string): string {
  // (`%`, CR, LF, `:` and `,` percent-encoded are the property's escapes already)
  return s.replace(FILE_ESCAPED, encodeURIComponent);
}

/** One workflow command line: `::name key=value,…::message`. */
export function command(
  name: string,
  props: Record<string, string | number | undefined>,
  message: string,
): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${k === 'file' ? escapeFileProperty(String(v)) : escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice' | undefined> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: undefined,
};

/**
 * The report as GitHub Actions workflow commands: an annotation per finding (hints are
 * left out, as the editor leaves them out of its problem list), per unmet criterion of a
 * failed selected gate, and per notice. `fileOf` maps a report file (relative to the
 * root) to the path the runner knows (relative to the repository). A line at a time, each
 * finding's as it comes: the findings are never held all at once.
 */
export function* toGithub(data: CheckData, fileOf: (file: string) => string = (f) => f): Generator<string> {
  for (const d of data.diagnostics) {
    const name = COMMAND[d.severity];
    if (!name) continue;
    yield command(
      name,
      {
        file: fileOf(d.file),
        line: d.line,
        col: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
        title: `cdp ${d.code}`,
      },
      d.message,
    );
  }
  for (const g of data.gates ?? []) {
    if (g.passed) continue;
    const title = `Gate failed: ${gateTitle(g)}`;
    for (const f of gateFailures(data, g)) {
      const message = f.text
        ? `${groupAndText(f.group, f.text)} (${f.reason})`
        : g.missing
          ? f.reason
          : `${f.group || 'The gate'}: ${f.reason}`;
      const file = f.file ?? g.file;
      // GitHub places annotations on files: one about a folder stands on the run alone.
      yield command(
        'error',
        lineIn(file, f.line) === undefined ? { title } : { file: fileOf(file), line: f.line, title },
        message,
      );
    }
  }
  for (const n of data.notices) yield command('notice', { file: fileOf(n.file), title: 'cdp' }, n.message);
  if (data.withoutPhases?.length)
    yield command(
      'warning',
      { title: 'cdp: no phase documents' },
      `No phase documents in ${data.withoutPhases.join(', ')}: no phase or gate was checked there.`,
    );
}
