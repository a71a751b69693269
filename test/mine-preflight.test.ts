// What `mine` cannot run with is found before it starts anything: a taken --api-port, a
// --devices index the machine does not have, a --log-file that cannot be opened stop it in a
// second with its exit code (1 for a bad argument, 2 for the machine's state), before the
// embedded devnet starts, a DAG is built or a pool is connected to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin } from './support/cli-process.js';
import { LOGIN } from './fixtures/net-helpers.js';

const MINE = ['mine', '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--duration', '60'];
/** Anything that shows a start: the devnet, a DAG, a pool connection, mining. */
const STARTED = /embedded devnet|devnet ready|DAG|connected to|logged in|device 0:|share 0x/;

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-preflight-'));

function run(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += String(c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stderr, ms: Date.now() - started });
  }));
}

/** A TCP port that counts the connections made to it: the pool `mine` must not reach. */
async function countingPool(): Promise<{ uri: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = net.createServer((socket) => { connections += 1; socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { uri: `stratum1+tcp://${LOGIN}.rig@127.0.0.1:${port}`, connections: () => connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function check(args: string[], code: number, message: RegExp): Promise<void> {
  const pool = await countingPool();
  try {
    for (const pools of [[], ['-P', pool.uri]]) {
      const r = await run([...MINE, ...pools, '--datadir', tmp(), ...args]);
      const what = `${[...pools, ...args].join(' ')}:\n${r.stderr}`;
      assert.equal(r.code, code, what);
      assert.match(r.stderr, message, what);
      assert.doesNotMatch(r.stderr, STARTED, what);
      assert.ok(r.ms < 20_000, `${r.ms} ms to stop: ${what}`);
    }
    assert.equal(pool.connections(), 0, 'the pool was never connected to');
  } finally {
    await pool.close();
  }
}

test('a taken --api-port stops mine with exit 2 before the devnet or a pool starts', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as net.AddressInfo;
  try {
    await check(['--api-port', String(port)], 2, new RegExp(`^error: cannot serve the API on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`, 'm'));
    await check(['--api-port', String(-port)], 2, new RegExp(`cannot serve the API on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

test('--devices 7 on a machine without a device 7 stops mine with exit 1 before anything starts', async () => {
  await check(['--devices', '7'], 1, /^error: no device 7: `sero-miner devices` lists \d/m);
});

test('a --log-file that cannot be opened stops mine with exit 2 before anything starts', async () => {
  const dir = tmp();
  const file = path.join(dir, 'a-file');
  writeFileSync(file, 'not a directory\n');
  await check(['--log-file', path.join(dir, 'no-such-dir', 'miner.log')], 2, /^error: cannot open the log file: ENOENT.*no-such-dir/m);
  await check(['--log-file', path.join(file, 'miner.log')], 2, /^error: cannot open the log file: ENOTDIR/m);
  await check(['--log-file', dir], 2, /^error: cannot open the log file: EISDIR/m);
});
