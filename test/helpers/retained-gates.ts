// Run with `node --expose-gc --import tsx`: parses many large gate files, keeps what the
// gate store keeps of each (the parsed file) and prints the heap that stays in use, in bytes.
import { parseGateFile } from '../../server/src/core/gates/parse';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const files = Number(process.argv[2] ?? 200);
const size = Number(process.argv[3] ?? 100_000);

function gateText(i: number): string {
  // Every kind of kept string at 13+ characters: check types, paths, patterns,
  // descriptions, manual items, criteria and evidence paths.
  const head =
    'exit_requirements:\n  automated:\n' +
    '    - check: previous_phase_complete\n      description: "Previous phase complete"\n' +
    `    - check: dir_not_empty\n      path: projects/area-${i}/docs/helix/01-frame/features\n` +
    `    - check: grep_absent\n      pattern: "\\\\[NEEDS CLARIFICATION ${i}\\\\]"\n      path: projects/area-${i}/docs/**/*.md\n` +
    `  manual:\n    - "A person confirms the scope of project ${i}"\n` +
    `exit_gates:\n  - criteria: "The requirements document of ${i} is complete"\n` +
    `    evidence: projects/area-${i}/docs/helix/01-frame/prd.md#requirements-${i}\n`;
  const filler = '# a comment line that pads the gate file to its size, as notes would\n';
  return head + filler.repeat(Math.ceil((size - head.length) / filler.length));
}

gc();
const before = process.memoryUsage().heapUsed;
const kept: unknown[] = [];
for (let i = 0; i < files; i++) {
  const parsed = parseGateFile(gateText(i));
  if (parsed.error || parsed.groups.length !== 2)
    throw new Error(`gate file ${i} not read: ${parsed.error?.message}`);
  kept.push(parsed);
}
gc();
const after = process.memoryUsage().heapUsed;
process.stdout.write(`${JSON.stringify({ retained: after - before, files, size, kept: kept.length })}\n`);
