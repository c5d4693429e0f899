import assert from 'node:assert/strict';
import { fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
  SocketMessageReader,
  SocketMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { InitializeResult } from 'vscode-languageserver-protocol';
import { tempWorkspace, uriOf } from './client';

/** The `cdp-language-server` command over each transport it offers. */

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'server', 'bin', 'cdp-language-server.js');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'server', 'package.json'), 'utf8')).version;

async function handshake(connection: MessageConnection): Promise<InitializeResult> {
  connection.listen();
  const folder = tempWorkspace({ 'a.md': '# A\n' });
  const result = await connection.sendRequest<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    workspaceFolders: [{ uri: uriOf(folder), name: 'a' }],
  });
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  return result;
}

function assertServer(r: InitializeResult): void {
  assert.equal(r.serverInfo?.name, 'cdp-workflow');
  assert.deepEqual(r.capabilities.executeCommandProvider?.commands, [
    'cdp.server.checkGate',
    'cdp.server.revealGroup',
  ]);
}

describe('cdp-language-server', () => {
  it('prints its version and its usage, and refuses unknown arguments', () => {
    const v = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `cdp-language-server ${VERSION}\n`);
    const h = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    assert.equal(h.status, 0);
    for (const flag of ['--stdio', '--node-ipc', '--socket=PORT', '--version'])
      assert.ok(h.stdout.includes(flag));
    const bad = spawnSync(process.execPath, [BIN, '--tcp'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown argument --tcp/);
  });

  it('serves over stdio, also when no transport is named', async () => {
    for (const args of [['--stdio'], []]) {
      const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      const c = createMessageConnection(
        new StreamMessageReader(proc.stdout),
        new StreamMessageWriter(proc.stdin),
      );
      assertServer(await handshake(c));
      await new Promise((r) => proc.once('exit', r));
      c.dispose();
    }
  });

  it('serves over Node IPC', async () => {
    const proc = fork(BIN, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const c = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    assertServer(await handshake(c));
    await new Promise((r) => proc.once('exit', r));
    c.dispose();
  });

  it('serves over a socket it connects to (--socket=PORT)', async () => {
    const connected = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        server.close();
        resolve(socket);
      });
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        spawn(process.execPath, [BIN, `--socket=${port}`], { stdio: 'ignore' });
      });
    });
    const socket = await connected;
    const c = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    assertServer(await handshake(c));
    c.dispose();
    socket.destroy();
  });
});
