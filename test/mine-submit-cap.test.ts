// A pool whose share target nearly every hash meets (2^256 - 1): the miner warns once, searches
// a harder target and sends at most its submission cap, instead of a submit per hash. The shares
// the cap holds back were never sent: they are their own count (held), never the failed ones
// (sent, never answered) that farm tools read from getstat1's invalid slot.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession } from '../src/miner/session.js';
import { StratumServer } from '../src/net/server/stratum/server.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { createWorkPackage } from '../src/net/wire/work.js';
import { MAX_TARGET, difficultyToTarget } from '../src/pow/target.js';
import { FakeProvider, LOGIN, SEED_EPOCH_31, captureLog, sleep, waitUntil } from './fixtures/net-helpers.js';
import { freePort, httpRequest, httpRpc } from './support/api-client.js';
import { bin } from './support/cli-process.js';

const backend = createWasmBackend({ threads: 1 });
after(() => backend.close());

test('a job with target 2^256 - 1: one warning, a harder search target, submissions held to the cap', async () => {
  const provider = new FakeProvider();
  provider.publish(createWorkPackage({ headerHash: new Uint8Array(32).fill(0x5a), seedHash: Buffer.from(SEED_EPOCH_31.slice(2), 'hex'), target: MAX_TARGET, height: 940410 }));
  const server = new StratumServer({ provider, logger: captureLog().logger });
  const { port } = await server.listen({ transport: 'tcp' });
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-cap-'));
  const log = captureLog();
  const session = startMiningSession({
    pools: [parsePoolUri(`stratum1+tcp://${LOGIN}.cap@127.0.0.1:${port}`)],
    backends: [backend], dagMode: 'small', datadir, profile: 'seed', logger: log.logger, batchMs: 100,
    poolOptions: { submitRate: { perSecond: 10, burst: 10 } },
  });
  const searched: bigint[] = [];
  session.pools.on('work', (work) => searched.push(work.target));
  try {
    await waitUntil(() => provider.shares.length > 0, 60_000, 'a first share');
    const start = provider.shares.length;
    const started = Date.now();
    await sleep(2000);
    const sent = provider.shares.length - start;
    const seconds = (Date.now() - started) / 1000;
    assert.ok(sent <= 10 + 10 * seconds + 2, `${sent} shares sent in ${seconds} s under a cap of 10/s`);
    // The devices search a harder target than the pool's (its shares are the pool's shares too).
    assert.ok(searched.length >= 1 && searched.every((target) => target <= (MAX_TARGET + 1n) / 16n), searched.map((t) => t.toString(16)).join(', '));
    assert.equal(log.lines.filter((l) => /nearly every hash is a share/.test(l)).length, 1, log.lines.join('\n'));
    assert.ok(log.lines.filter((l) => /faster than 10\/s/.test(l)).length <= 1, 'the over-cap warning is folded');
  } finally {
    await session.stop();
    await server.close();
    rmSync(datadir, { recursive: true, force: true });
  }
});

test('mine -P against a pool whose shares come faster than the cap: held back apart, failed stays 0 (status line, getstat1, getstatdetail, /api/status, /metrics, summary)', async () => {
  const provider = new FakeProvider();
  // share difficulty 20: not absurd (the job is searched as sent), but hundreds of shares a second for the cap of 20
  provider.publish(createWorkPackage({ headerHash: new Uint8Array(32).fill(0x5b), seedHash: Buffer.from(SEED_EPOCH_31.slice(2), 'hex'), target: difficultyToTarget(20n), height: 940410 }));
  const server = new StratumServer({ provider, logger: captureLog().logger });
  const { port } = await server.listen({ transport: 'tcp' });
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-cap-cli-'));
  const apiPort = await freePort();
  const child = spawn(process.execPath, [bin, 'mine', '-P', `stratum1+tcp://${LOGIN}.cap@127.0.0.1:${port}`, '--dag', 'small', '--backend', 'wasm', '--threads', '1',
    '--datadir', datadir, '--api-port', String(apiPort), '--duration', '25'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await waitUntil(() => /A\d+:R0:F0 held [1-9]/.test(stderr), 40_000, `a status line with shares held back: ${stderr}`);
    const stat = (await httpRpc(apiPort, { id: 1, jsonrpc: '2.0', method: 'miner_getstat1' })).result as string[];
    const [, accepted, rejected] = stat[2]!.split(';');
    assert.ok(Number(accepted) > 0 && rejected === '0', stat[2]);
    assert.equal(stat[8], '0;0;0;0', 'slot 8 (invalid shares) holds no share that was never sent');
    const detail = (await httpRpc(apiPort, { id: 2, jsonrpc: '2.0', method: 'miner_getstatdetail' })).result;
    assert.equal(detail.mining.shares[2], 0, 'getstatdetail: failed 0');
    assert.ok(detail.mining.shares_held > 0 && detail.devices[0].mining.shares_held > 0, JSON.stringify(detail.mining));
    const status = JSON.parse((await httpRequest(apiPort, '/api/status')).body);
    assert.equal(status.shares.failed, 0);
    assert.ok(status.shares.held > 0 && status.devices[0].shares.held > 0, JSON.stringify(status.shares));
    const metrics = (await httpRequest(apiPort, '/metrics')).body;
    assert.match(metrics, /^sero_miner_shares_total\{device="0",[^}]*status="failed"\} 0$/m);
    assert.match(metrics, /^sero_miner_shares_total\{device="0",[^}]*status="held"\} [1-9]\d*$/m);
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /shares \d+ accepted, \d+ stale, 0 rejected, 0 failed; [1-9]\d* held back by the submission cap \(never sent\)/);
  } finally {
    child.kill('SIGKILL');
    await server.close();
    rmSync(datadir, { recursive: true, force: true });
  }
});
