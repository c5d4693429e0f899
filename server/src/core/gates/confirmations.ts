import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { yamlLineBreaks } from '../parse/yaml-guard';
import { type Confirmation, confirmationKey } from './store';

/**
 * `.cdp/confirmations.yml`: the manual gate items someone confirmed, committed with the
 * repository so that CI sees what the editor sees. A YAML list, one entry per item,
 * appended at the end (so a diff shows one new entry):
 *
 *     - file: docs/helix/05-deploy/GATE.yaml
 *       item: "Staging deployment verified successful"
 *       by: "Jane Doe"
 *       at: "2026-11-29T04:12:00Z"
 *
 * Remove an entry to withdraw the confirmation. Entries that do not read as above are
 * ignored.
 */
export function parseConfirmations(text: string): Map<string, Confirmation> {
  const out = new Map<string, Confirmation>();
  if (text.length > 1024 * 1024) return out;
  try {
    const doc = parseDocument(yamlLineBreaks(text), { uniqueKeys: false });
    if (doc.errors.length > 0) return out;
    const root = doc.contents;
    const list = isSeq(root)
      ? root
      : isMap(root) && isSeq(root.get('confirmations', true))
        ? root.get('confirmations', true)
        : undefined;
    if (!isSeq(list)) return out;
    for (const n of list.items) {
      if (!isMap(n)) continue;
      const s = (k: string) => {
        const v = n.get(k, true);
        return isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number')
          ? String(v.value)
          : undefined;
      };
      const file = s('file');
      const item = s('item');
      if (!file || !item) continue;
      out.set(confirmationKey(file, item), { by: s('by') ?? 'unknown', at: s('at') ?? '' });
    }
  } catch {
    // unusable file: nothing confirmed
  }
  return out;
}

export const CONFIRMATIONS_HEADER =
  '# Manual gate items confirmed by people (CDP Workflow). One entry per item; delete an entry to withdraw it.\n';

/** The text that records one confirmation, appended to the file. */
export function confirmationEntry(file: string, item: string, by: string, at: string): string {
  const q = (s: string) => JSON.stringify(s);
  return `- file: ${q(file)}\n  item: ${q(item)}\n  by: ${q(by)}\n  at: ${q(at)}\n`;
}
