// One bad local client does not lock out the machine: a client on 127.0.0.1 that sends the
// devnet's stratum port malformed lines loses its connection, and `mine -P` on the same machine
// then mines; with --stratum-ban-loopback the official pool's rule bans 127.0.0.1 as any address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin, startCommand, type RunningCommand } from './support/cli-process.js';
import { LOGIN } from './fixtures/net-helpers.js';

const DEVNET = ['devnet', '--json', '--dag', 'small', '--stratum-port', '0', '--rpc-port', '0', '--no-stratum-tls', '--no-stratum-ws', '--difficulty', '8000'];

/** Sends one malformed line on a fresh connection and resolves with the reply line once the devnet closes it. */
function malformed(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('connect', () => socket.write('{"id":1,"method":\n'));
    socket.once('close', () => resolve(text.trim()));
    socket.once('error', reject);
  });
}

function mine(port: number, seconds: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-loopback-'));
  const child = spawn(process.execPath, [bin, 'mine', '-P', `stratum1+tcp://${LOGIN}.local@127.0.0.1:${port}`, '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir, '--duration', String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function withDevnet(args: string[], run: (port: number, devnet: RunningCommand) => Promise<void>): Promise<void> {
  const devnet = await startCommand([...DEVNET, ...args]);
  try {
    await run(Number(new URL(String(devnet.ready.stratum).replace(/^stratum1\+tcp/, 'http')).port), devnet);
  } finally {
    devnet.child.kill('SIGTERM');
    await devnet.exited;
  }
}

test('a local client sends malformed lines, then mine -P on the same machine still mines', () =>
  withDevnet([], async (port, devnet) => {
    for (let i = 0; i < 6; i++) assert.match(await malformed(port), /"message":"Malformed request"/);
    const run = await mine(port, 20);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /share 0x[0-9a-f]{16} accepted/, run.stderr);
    assert.doesNotMatch(run.stderr, /Banned/);
    assert.match(devnet.stderr(), /not banning 127\.0\.0\.1 \(loopback\), only closing this connection: 5 malformed requests/);
  }));
