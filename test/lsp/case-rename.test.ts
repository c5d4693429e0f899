// A file or folder renamed in letter case only, reported as the watcher reports it (the
// new name created, the old one deleted, in either order): the server keeps the file under
// its new name, as a fresh server reads it. The other files (images, gate files) are known
// by a case-insensitive key; the new name sorts before the old one.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { WorkflowsResult } from '../../server/src/protocol';
import { serversOnTempFolders, uriOf } from './client';

const start = serversOnTempFolders();
const CREATED = 1;
const DELETED = 3;

describe('case-only renames on disk', () => {
  it('keep an image a link names, and a phase folder’s gate files', async () => {
    const { client, root, uri } = await start({
      'a.md': '# A\n\n![logo](img/Logo.png)\n',
      'img/logo.png': 'png',
      'docs/helix/02-design/README.md': '# Phase 02: Design\n\nDesign.\n',
      'docs/helix/02-design/input-gates.yml': 'input_gates:\n  - criteria: Frame done\n',
      'docs/helix/02-design/GATE.yaml': 'exit_requirements:\n  manual:\n    - Reviewed\n',
    });
    const a = uri('a.md');
    await client.waitForDiagnostics(
      a,
      (d) => d.some((x) => x.code === 'broken-link'),
      'the link in other case',
    );

    renameSync(join(root, 'img/logo.png'), join(root, 'img/tmp.png'));
    renameSync(join(root, 'img/tmp.png'), join(root, 'img/Logo.png'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('img/logo.png'), type: DELETED },
        { uri: uri('img/Logo.png'), type: CREATED },
      ],
    });
    await client.waitForDiagnostics(a, (d) => d.length === 0, 'the link resolving to the renamed image');

    renameSync(join(root, 'docs/helix'), join(root, 'docs/tmp'));
    renameSync(join(root, 'docs/tmp'), join(root, 'docs/HELIX'));
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf(join(root, 'docs/helix')), type: DELETED },
        { uri: uriOf(join(root, 'docs/HELIX')), type: CREATED },
      ],
    });
    let names: string[] = [];
    // up to 15 s, as the client's other waits
    for (let i = 0; i < 150; i++) {
      const r = await client.request<WorkflowsResult>('cdp/workflows', {});
      const phase = r.workflows[0]?.phases[0];
      names = phase?.uri.includes('/docs/HELIX/') ? phase.groups.map((g) => g.heading) : [];
      if (names.length === 2) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual(names.sort(), ['Exit Requirements', 'Input Gates'], 'both gate files of the phase');
  });
});
