// A phase file that is listed but not read for a reason other than its size or content
// (the read fails, its name is not valid UTF-8) is an unread phase, as a too-large one is.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Analysis } from '../../server/src/core/analysis';
import { resolveConfig } from '../../server/src/core/config';
import { loadWorkspace } from '../../server/src/core/load';
import { parseDocument } from '../../server/src/core/parse/document';
import { uriToFsPath } from '../../server/src/core/paths';
import { FileEvents } from '../../server/src/lsp/file-events';
import { NodeFsWorkspace } from '../../server/src/node/fs-workspace';
import { run } from '../helpers/cli';
import { tempWorkspace } from '../helpers/files';
import { MemoryWorkspace } from '../helpers/memory-workspace';

const phase = (n: string, name: string, extra = '') =>
  `---\nphase: ${n}\n---\n# ${name}\n\n## Exit Criteria\n\n- [x] done\n${extra}`;
const phases = {
  'phases/01-frame.md': phase('01', 'Frame', '\nSee [[03-treat]].\n'),
  'phases/02-design.md': phase('02', 'Design'),
  'phases/03-treat.md': phase('03', 'Treat'),
  'phases/04-deploy.md': phase('04', 'Deploy'),
};

describe('a phase file whose read fails', () => {
  it('is an unread phase, saying why, and links to it still resolve', async () => {
    const ws = new MemoryWorkspace(phases);
    ws.unreadable.add('phases/03-treat.md');
    const { index, notices } = await loadWorkspace(ws, resolveConfig({}).config);
    assert.deepEqual(notices, [
      { uri: ws.uri('phases/03-treat.md'), message: 'cannot read: permission denied' },
    ]);
    const analysis = new Analysis(index);
    const [w] = analysis.workflows();
    assert.deepEqual(
      w.phases.map((p) => p.rel),
      ['phases/01-frame.md', 'phases/02-design.md', 'phases/04-deploy.md'],
    );
    assert.deepEqual(
      w.unreadPhases?.map((u) => [u.number, u.rel, u.reason]),
      [[3, 'phases/03-treat.md', 'permission denied']],
    );
    const frame = index.get(ws.uri('phases/01-frame.md'))!;
    assert.deepEqual(index.resolve(frame, frame.doc.links[0]), { status: 'file', rel: 'phases/03-treat.md' });
    const findings = [...analysis.checkAll().values()].flat();
    assert.deepEqual(
      findings.filter((f) => f.code === 'broken-link').map((f) => f.message),
      [],
    );
  });

  it('deleted between the listing and the read is no file: not a phase, links to it broken', async () => {
    const ws = new MemoryWorkspace(phases);
    const listFiles = ws.listFiles.bind(ws);
    ws.listFiles = async (folder, skip) => {
      const list = await listFiles(folder, skip);
      ws.files.delete(ws.uri('phases/03-treat.md'));
      return list;
    };
    const { index } = await loadWorkspace(ws, resolveConfig({}).config, { concurrency: 1 });
    const [w] = new Analysis(index).workflows();
    assert.equal(w.unreadPhases, undefined);
    const frame = index.get(ws.uri('phases/01-frame.md'))!;
    assert.equal(index.resolve(frame, frame.doc.links[0]).status, 'broken');
  });

  it('cdp check says it was not read, and the gates from it on fail', async () => {
    const root = tempWorkspace(phases);
    const locked = join(root, 'phases/03-treat.md');
    // As a user without the permission reads it (root reads any file: the read is made to fail).
    const readText = NodeFsWorkspace.prototype.readText;
    NodeFsWorkspace.prototype.readText = function (this: NodeFsWorkspace, uri: string) {
      if (uriToFsPath(uri) === locked)
        return Promise.reject(Object.assign(new Error('permission denied'), { code: 'EACCES' }));
      return readText.call(this, uri);
    };
    try {
      const text = await run(['check', root]);
      assert.ok(
        text.stdout.includes('✗ 03 (phases/03-treat.md was not read: permission denied)'),
        text.stdout,
      );
      assert.doesNotMatch(text.stdout, /skips this phase|broken-link/);
      const json = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
      assert.deepEqual(json.workflows[0].unreadPhases, [
        { phase: '03', file: 'phases/03-treat.md', reason: 'permission denied' },
      ]);
      for (const q of ['03', '04']) {
        const r = await run(['check', root, '--phase', q]);
        assert.equal(r.code, 1, `${q}\n${r.stdout}`);
        assert.ok(r.stdout.includes('phases/03-treat.md was not read (permission denied)'), r.stdout);
        assert.doesNotMatch(r.stdout + r.stderr, /has no phase 03/);
      }
      assert.equal((await run(['check', root, '--phase', '02'])).code, 0);
    } finally {
      NodeFsWorkspace.prototype.readText = readText;
    }
  });
});

describe('a phase file whose name is not valid UTF-8', () => {
  it('is an unread phase, saying why', async (t) => {
    const { 'phases/03-treat.md': _, ...others } = phases;
    const root = tempWorkspace(others);
    try {
      // `03-tr\xe9at.md`, Latin-1
      writeFileSync(Buffer.from(`${root}/phases/03-tr\xe9at.md`, 'latin1'), phase('03', 'Treat'));
    } catch {
      t.skip('this file system refuses names that are not valid UTF-8');
      return;
    }
    const json = JSON.parse((await run(['check', root, '--format', 'json'])).stdout);
    assert.deepEqual(json.workflows[0].unreadPhases, [
      { phase: '03', file: 'phases/03-tr\uFFFDat.md', reason: 'the name of this file is not valid UTF-8' },
    ]);
    const text = await run(['check', root]);
    assert.ok(
      text.stdout.includes(
        '✗ 03 (phases/03-tr\uFFFDat.md was not read: the name of this file is not valid UTF-8)',
      ),
      text.stdout,
    );
    assert.doesNotMatch(text.stdout, /skips this phase/);
    const gate = await run(['check', root, '--phase', '04']);
    assert.equal(gate.code, 1, gate.stdout);
  });
});

describe('the language server, a phase file whose read starts failing', () => {
  it('makes it an unread phase on the file event, saying why; read again, a phase again', async () => {
    const root = tempWorkspace(phases);
    const locked = join(root, 'phases/03-treat.md');
    let refuse = false;
    // As a user who lost the permission reads it (root reads any file: the read is made to fail).
    class Disk extends NodeFsWorkspace {
      override readText(uri: string): Promise<string> {
        if (refuse && uriToFsPath(uri) === locked)
          return Promise.reject(Object.assign(new Error('permission denied'), { code: 'EACCES' }));
        return super.readText(uri);
      }
    }
    const disk = new Disk([root]);
    const { config } = resolveConfig({});
    const { index } = await loadWorkspace(disk, config);
    const analysis = new Analysis(index);
    const changed: string[] = [];
    const events = new FileEvents({
      index,
      config,
      disk,
      generation: 0,
      ready: async () => {},
      isOpen: () => false,
      update: (uri, text) => {
        if (text === undefined) index.delete(uri);
        else index.setParsed(uri, parseDocument(uri, text));
      },
      otherFileChanged: (uri) => changed.push(uri),
      otherFileEdited: () => {},
      log: () => {},
    });
    const treat = pathToFileURL(locked).href;
    const frame = () => index.get(`${index.folders[0]}/phases/01-frame.md`)!;
    assert.equal(analysis.workflows()[0].phases.length, 4);

    refuse = true;
    events.accept({ changes: [{ uri: treat, type: 2 }] });
    await events.settled();
    const [w] = analysis.workflows();
    assert.deepEqual(
      w.unreadPhases?.map((u) => [u.number, u.rel, u.reason]),
      [[3, 'phases/03-treat.md', 'permission denied']],
    );
    assert.deepEqual(
      w.phases.map((p) => p.rel),
      ['phases/01-frame.md', 'phases/02-design.md', 'phases/04-deploy.md'],
    );
    assert.equal(index.resolve(frame(), frame().doc.links[0]).status, 'file');
    assert.equal(changed.length, 1);

    refuse = false;
    events.accept({ changes: [{ uri: treat, type: 2 }] });
    await events.settled();
    const [again] = analysis.workflows();
    assert.equal(again.unreadPhases, undefined);
    assert.equal(again.phases.length, 4);
    assert.equal(index.resolve(frame(), frame().doc.links[0]).status, 'resolved');
  });
});
