// Run with `node --expose-gc --import tsx`: indexes and checks many documents that repeat
// the same headings and link targets (as generated and real workspaces do), and prints
// the heap the index and the analysis keep per document afterwards, in bytes.
import { Analysis } from '../../server/src/core/analysis';
import { defaultConfig } from '../../server/src/core/config';
import { WorkspaceIndex } from '../../server/src/core/index';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const documents = Number(process.argv[2] ?? 2000);

function documentText(i: number): string {
  // Built piece by piece: a fresh string per document, as read from disk.
  const lines = [`# Release plan number ${i}`, ''];
  for (const h of ['Entry Criteria', 'Scope and Objectives', 'Exit Criteria', 'Open Questions']) {
    lines.push(`## ${h}`, '');
    for (let t = 0; t < 3; t++) lines.push(`- [${t === 0 ? 'x' : ' '}] item ${t} of ${h} in ${i}`);
    lines.push(
      '',
      `See [[shared-reference#${h}]] and [the plan](../f${(i + 1) % 20}/doc-${i + 1}.md#exit-criteria).`,
    );
    lines.push(
      `Also [[architecture-overview|the architecture]], [[decision-log#Open Questions]], [[doc-${i + 1}#${h}]].`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

const index = new WorkspaceIndex(['file:///w'], defaultConfig());
for (let f = 0; f < 20; f++) {
  // Names shared by several folders: links to them are ambiguous, resolved from each folder.
  for (const name of ['shared-reference', 'architecture-overview', 'decision-log'])
    index.set(`file:///w/f${f}/${name}.md`, `# ${name}\n\n## Entry Criteria\n\n## Open Questions\n`);
}
gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < documents; i++) index.set(`file:///w/f${i % 20}/doc-${i}.md`, documentText(i));
const analysis = new Analysis(index, false);
let findings = 0;
for (const e of [...index.all()]) findings += analysis.checkUri(e.uri)?.length ?? 0;
gc();
const after = process.memoryUsage().heapUsed;
process.stdout.write(
  `${JSON.stringify({ perDocument: Math.round((after - before) / documents), documents, findings, kept: index.size })}\n`,
);
