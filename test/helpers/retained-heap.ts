// Run with `node --expose-gc --import tsx`: parses many large documents, keeps what the
// index keeps of each (the ParsedDocument) and prints the heap that stays in use, in bytes.
import { parseDocument } from '../../server/src/core/parse/document';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const documents = Number(process.argv[2] ?? 200);
const size = Number(process.argv[3] ?? 250_000);

function documentText(i: number): string {
  // Every kind of kept string at 13+ characters: metadata keys and values (plain, quoted,
  // in lists and maps), title, headings, tasks (one over two lines), links, a malformed checkbox, a YAML error.
  const head =
    `# The title of document number ${i}\n\n---\n` +
    `phase: 0${1 + (i % 6)}\nname: "A phase name of document ${i}"\nowner: someone.with.a.long.name-${i}\n` +
    `previous_phase: "[[previous-document-${i}]]"\n` +
    `reviewers: ["first reviewer ${i}", "second reviewer ${i}"]\n` +
    `details: { area: "clinical operations ${i}", site: "a site with a long name" }\n` +
    `a_rather_long_metadata_key_${i}: a rather long metadata value ${i}\n---\n\n` +
    `## Entry Criteria of document ${i}\n\n- [ ] a criterion with a long text ${i}\n- [ ] a criterion written\n  over two lines ${i}\n-[x] glued box with text ${i}\n\n` +
    `See [[some-other-document-${i}#A heading in it|an alias for the link]].\n\n`;
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n';
  return head + filler.repeat(Math.ceil((size - head.length) / filler.length));
}

gc();
const before = process.memoryUsage().heapUsed;
const kept: unknown[] = [];
for (let i = 0; i < documents; i++) {
  // A fresh string per document, as read from disk (not a constant the script holds).
  const text = documentText(i);
  kept.push(parseDocument(`file:///w/doc-${i}.md`, text));
}
gc();
const after = process.memoryUsage().heapUsed;
process.stdout.write(`${JSON.stringify({ retained: after - before, documents, size, kept: kept.length })}\n`);
