// `sero-miner devnet` as a user runs it: the --json ready line, every endpoint it names,
// a clean SIGTERM, the start-height refusal, and a restart after kill -9 with state intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { bin, startCommand, type RunningCommand } from './support/cli-process.js';
import { LineClient, mineOverRpc, rpc, useRpcToken } from './support/devnet.js';

const FAST = ['--dag', 'small', '--stratum-port', '0', '--rpc-port', '0', '--difficulty', '4', '--min-difficulty', '2', '--voters-online', '1', '--vote-latency', '5-40'];

type Running = RunningCommand;

/** Starts the devnet command and resolves with its parsed ready line. */
async function startCli(args: string[]): Promise<Running> {
  const run = await startCommand(['devnet', '--json', ...args]);
  // The operator's token, from the file the devnet wrote beside its data.
  if (typeof run.ready.rpcTokenFile === 'string') useRpcToken(run.ready.rpc as string, readFileSync(run.ready.rpcTokenFile, 'utf8').trim());
  return run;
}

test('devnet --json prints one ready line naming every endpoint, each of them serves, SIGTERM stops it cleanly', async () => {
  const run = await startCli(FAST);
  try {
    const ready = run.ready as Record<string, string>;
    assert.match(ready.stratum!, /^stratum1\+tcp:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.stratumTls!, /^stratum1\+tls:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.stratumWs!, /^stratum1\+ws:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.rpc!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.ws!, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.profile, 'seed');
    assert.equal(ready.dag, 'small');
    assert.equal(ready.height, 940410);

    for (const uri of [ready.stratum!, ready.stratumTls!]) {
      const client = await LineClient.connect(uri);
      assert.equal((await client.request({ id: 1, method: 'sero_submitLogin', params: ['cli-miner', 'x'] })).result, true);
      const job = (await client.request({ id: 5, method: 'sero_getWork', params: [] })).result as string[];
      assert.equal(job[3], '940410');
      client.close();
    }
    const ws = new WebSocket(ready.stratumWs!.replace('stratum1+', ''));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    ws.send(`${JSON.stringify({ id: 1, method: 'sero_submitLogin', params: ['ws-miner', 'x'] })}\n`);
    assert.equal(JSON.parse(await reply).result, true);
    ws.close();
    assert.equal((await rpc(ready.rpc!, 'devnet_info')).endpoints.stratum, ready.stratum);
    assert.match(run.stderr(), /blockRewardSero=72/, 'the values in force are printed at start');

    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    assert.equal(code, 0);
    assert.equal(run.stdout().trim().split('\n').length, 1, 'stdout holds only the ready line');
  } finally {
    run.child.kill('SIGKILL');
  }
});

test('devnet refuses a start height below the ProgPoW activation height', async () => {
  const child = spawn(process.execPath, [bin, 'devnet', '--start-height', '940409', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /start height 940409 refused: SERO seals with ProgPoW only from height 940410/);
});

test('a devnet killed with SIGKILL restarts from its datadir with chain, rewards and queued transactions intact', async () => {
  const datadir = await mkdtemp(path.join(os.tmpdir(), 'sero-devnet-test-'));
  let run: Running | undefined;
  try {
    run = await startCli([...FAST, '--datadir', datadir, '--coinbase', 'crash-miner']);
    const url = run.ready.rpc as string;
    const first = await mineOverRpc(url);
    const second = await mineOverRpc(url);
    const queued = await rpc(url, 'stake_buyShare', [{ from: 'alice', value: `0x${(10n ** 19n).toString(16)}` }]);
    const before = {
      head: await rpc(url, 'sero_getBlockByNumber', ['latest', true]),
      account: await rpc(url, 'devnet_account', ['crash-miner']),
      totals: await rpc(url, 'devnet_ledgerTotals'),
      tickets: await rpc(url, 'stake_sharePoolSize'),
    };
    assert.equal(before.head.hash, second.hash);
    assert.equal(BigInt(before.account.credited), 2n * 45n * 10n ** 18n, 'two confirmed blocks at 45 SERO each');

    run.child.kill('SIGKILL');
    assert.equal((await run.exited).signal, 'SIGKILL');

    run = await startCli([...FAST, '--datadir', datadir, '--coinbase', 'crash-miner']);
    const url2 = run.ready.rpc as string;
    assert.equal(run.ready.height, 940412, 'mining resumes above the last committed block');
    assert.deepEqual(await rpc(url2, 'sero_getBlockByNumber', ['latest', true]), before.head);
    assert.deepEqual(await rpc(url2, 'sero_getBlockByNumber', [first.number, true]), first);
    assert.deepEqual(await rpc(url2, 'devnet_account', ['crash-miner']), before.account);
    assert.deepEqual(await rpc(url2, 'devnet_ledgerTotals'), before.totals);
    assert.equal(await rpc(url2, 'stake_sharePoolSize'), before.tickets);
    assert.equal((await rpc(url2, 'devnet_info')).stake.pendingTransactions, 1);

    const third = await mineOverRpc(url2);
    assert.equal(third.parentHash, second.hash);
    assert.equal((await rpc(url2, 'sero_getTransactionReceipt', [queued])).status, '0x1', 'the queued purchase survived the crash');
    run.child.kill('SIGTERM');
    assert.equal((await run.exited).code, 0);
  } finally {
    run?.child.kill('SIGKILL');
    await rm(datadir, { recursive: true, force: true });
  }
});
