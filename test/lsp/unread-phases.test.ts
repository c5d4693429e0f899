// A phase file that stops being readable while the server runs (binary content, too
// large, or a read that fails) is a phase not read, as it is when the server starts with it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { WorkflowsResult } from '../../server/src/protocol';
import { TestClient, tempWorkspace, uriOf } from './client';

const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const phase = (n: string, name: string, extra = '') =>
  `---\nphase: ${n}\n---\n# ${name}\n\n## Exit Criteria\n\n- [x] done\n${extra}`;

describe('a phase file changed on disk so that it is not read', () => {
  it('is an unread phase, saying why, links to it still resolve, and read again it is a phase again', async () => {
    const root = tempWorkspace({
      'phases/01-frame.md': phase('01', 'Frame', '\nSee [[03-treat]] and [[nowhere]].\n'),
      'phases/02-design.md': phase('02', 'Design'),
      'phases/03-treat.md': phase('03', 'Treat'),
      'phases/04-deploy.md': phase('04', 'Deploy'),
    });
    const client = await TestClient.start([root]);
    clients.push(client);
    await client.ready();
    const uri = (rel: string) => uriOf(join(root, rel));
    const treat = uri('phases/03-treat.md');
    const frame = uri('phases/01-frame.md');
    const broken = (d: { code?: string | number; message: string }[]) =>
      d.filter((x) => x.code === 'broken-link').map((x) => x.message);
    await client.waitForDiagnostics(frame, (d) => broken(d).length === 1);
    /** The workflow once `test` holds of it (asked again after each message from the server). */
    const workflowWhen = async (test: (w: WorkflowsResult['workflows'][number]) => boolean, what: string) => {
      for (let i = 0; i < 100; i++) {
        const [w] = (await client.request<WorkflowsResult>('cdp/workflows', {})).workflows;
        if (w && test(w)) return w;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`the workflow never showed ${what}`);
    };

    writeFileSync(join(root, 'phases/03-treat.md'), `${phase('03', 'Treat')}\u0000`);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: treat, type: 2 }] });
    const w = await workflowWhen((x) => x.unreadPhases !== undefined, 'phase 03 not read');
    assert.deepEqual(
      w.unreadPhases?.map((u) => [u.phase, u.uri, u.reason]),
      [['03', treat, 'binary content (NUL bytes), not a markdown document']],
    );
    assert.deepEqual(
      w.phases.map((p) => p.phase),
      ['01', '02', '04'],
    );
    // (the link to the file not read is not broken: the other one says the findings are current)
    assert.deepEqual(broken(client.diagnosticsOf(frame)), [
      '[[nowhere]] does not resolve: no document with that name.',
    ]);

    writeFileSync(join(root, 'phases/03-treat.md'), phase('03', 'Treat'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: treat, type: 2 }] });
    const again = await workflowWhen((x) => x.unreadPhases === undefined, 'phase 03 read again');
    assert.deepEqual(
      again.phases.map((p) => p.phase),
      ['01', '02', '03', '04'],
    );

    // Open in the editor, made binary on disk meanwhile, then closed: the disk's file counts.
    await client.open(treat, phase('03', 'Treat'));
    writeFileSync(join(root, 'phases/03-treat.md'), `${phase('03', 'Treat')}\u0000`);
    await client.close(treat);
    const closed = await workflowWhen(
      (x) => x.unreadPhases !== undefined,
      'phase 03 not read after the close',
    );
    assert.deepEqual(
      closed.unreadPhases?.map((u) => [u.phase, u.reason]),
      [['03', 'binary content (NUL bytes), not a markdown document']],
    );
  });
});
