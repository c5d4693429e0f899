import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Location } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/core/text';
import { phaseDoc } from '../helpers/memory-workspace';
import { TIMING_CHECKS } from '../helpers/timing';
import { TestClient, tempWorkspace, uriOf } from '../lsp/client';

/** How long the edits go on (CDP_SOAK_SECONDS; 8 s in the suite). */
const SECONDS = Number(process.env.CDP_SOAK_SECONDS ?? 8);

/** About 2,000 documents: 40 workflows of 10 phases, and notes linking to them. */
function soakWorkspace(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let w = 0; w < 40; w++) {
    for (let p = 1; p <= 10; p++) {
      const n = String(p).padStart(2, '0');
      const items = Array.from({ length: 8 }, (_, i) => `- [${(i + p) % 3 ? ' ' : 'x'}] item ${i} of w${w}`);
      files[`w${w}/${n}-phase-${w}-${p}.md`] = phaseDoc({
        title: `Phase ${p} of ${w}`,
        phase: n,
        name: `Phase ${p}`,
        previous: p > 1 ? `${String(p - 1).padStart(2, '0')}-phase-${w}-${p - 1}` : undefined,
        next: p < 10 ? `${String(p + 1).padStart(2, '0')}-phase-${w}-${p + 1}` : undefined,
        body: `## Entry Criteria\n\n${items.slice(0, 4).join('\n')}\n\n## Exit Criteria\n\n${items.slice(4).join('\n')}\n`,
      });
    }
  }
  for (let i = 0; i < 1600; i++) {
    const w = i % 40;
    files[`notes/n${i}.md`] =
      `# Note ${i}\n\nSee [[01-phase-${w}-1]] and [[n${(i + 1) % 1600}]] and [[05-phase-${w}-5#Exit Criteria]].\n\n` +
      `## Details\n\n${'Some prose about the release. '.repeat(4)}\n`;
  }
  return files;
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Resolves when `test` holds, checking every `everyMs`; rejects after `timeoutMs`. */
async function until(test: () => boolean, what: string, timeoutMs: number, everyMs = 250): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

describe('soak', () => {
  let client: TestClient | undefined;
  after(async () => {
    await client?.stop();
  });

  it(`rapid edits for ${SECONDS} s: responsive, final diagnostics match the final text, memory returns`, async () => {
    const files = soakWorkspace();
    const root = tempWorkspace(files);
    const started = Date.now();
    client = await TestClient.start([root]);
    await client.ready();
    const indexMs = Date.now() - started;
    const c = client;
    const pid = c.proc.pid!;
    const baseline = rssMB(pid);

    // Several open documents, edited in turn.
    const open = ['notes/n1.md', 'notes/n2.md', 'w3/05-phase-3-5.md', 'w7/01-phase-7-1.md'].map((rel) => ({
      uri: uriOf(join(root, rel)),
      text: files[rel],
    }));
    for (const d of open) await c.open(d.uri, d.text);

    let edits = 0;
    const latencies: number[] = [];
    let stop = false;
    // A definition request every ~200 ms, on the first link of a note that is not edited.
    const probeUri = uriOf(join(root, 'notes/n10.md'));
    const prober = (async () => {
      while (!stop) {
        const t = Date.now();
        const loc = await c.request<Location | Location[] | null>('textDocument/definition', {
          textDocument: { uri: probeUri },
          position: { line: 2, character: 8 },
        });
        latencies.push(Date.now() - t);
        assert.ok(loc, 'the definition is found during the soak');
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) {
      const d = open[edits % open.length];
      const lines = new LineIndex(d.text);
      const last = lines.lineCount - 1;
      const at = { line: last, character: lines.lineEnd(last) - lines.starts[last] };
      // Mostly typing; every 25th edit adds a link, so structure and linkers change too.
      const text = edits % 25 === 0 ? ` [[n${edits % 1600}]]` : 'x';
      d.text += text;
      await c.change(d.uri, [{ range: { start: at, end: at }, text }]);
      edits++;
      // Let the responses in every few edits: hundreds of edits per second.
      if (edits % 5 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    stop = true;
    await prober;
    const rate = edits / SECONDS;

    // The last edit breaks a link on purpose: its diagnostic, and only the final state, arrives.
    const target = open[0];
    const final = `# Final\n\nNow [[soak-final-broken]] only.\n`;
    await c.change(target.uri, [{ text: final }]);
    const diags = await c.waitForDiagnostics(
      target.uri,
      (x) => x.some((d) => d.message.includes('soak-final-broken')),
      'the final diagnostics',
    );
    assert.deepEqual(
      diags.map((d) => [d.code, d.range]),
      [['broken-link', { start: { line: 2, character: 4 }, end: { line: 2, character: 25 } }]],
    );
    // Every other edited document's diagnostics point inside its final text.
    for (const d of open.slice(1)) {
      const lines = new LineIndex(d.text);
      for (const x of c.diagnosticsOf(d.uri)) assert.ok(x.range.end.line < lines.lineCount);
    }

    for (const d of open) await c.close(d.uri);
    const peak = rssMB(pid);
    let settled = peak;
    await until(
      () => {
        settled = rssMB(pid);
        return settled < baseline + 150;
      },
      `memory to settle below ${baseline.toFixed(0)} + 150 MB (now ${settled.toFixed(0)} MB)`,
      30_000,
    );
    const wf = await c.request<{ ready: boolean }>('cdp/workflows', {});
    assert.equal(wf.ready, true);

    latencies.sort((a, b) => a - b);
    const max = latencies[latencies.length - 1];
    const p50 = latencies[Math.floor(latencies.length / 2)];
    console.log(
      `# soak: 2,000 documents indexed in ${indexMs} ms; ${edits} edits in ${SECONDS} s (${rate.toFixed(0)}/s); ` +
        `${latencies.length} definition requests, p50 ${p50} ms, max ${max} ms; ` +
        `RSS baseline ${baseline.toFixed(0)} MB, after the soak ${peak.toFixed(0)} MB, settled ${settled.toFixed(0)} MB`,
    );
    // Every probe is answered (above); how fast is a speed check (see TIMING_CHECKS).
    assert.ok(latencies.length > 0, 'no definition request was answered during the soak');
    if (TIMING_CHECKS) {
      assert.ok(rate >= 100, `only ${rate} edits per second`);
      assert.ok(latencies.length >= SECONDS * 2, `${latencies.length} probes`);
      assert.ok(max < 1000, `a definition request took ${max} ms`);
    }
  });
});
