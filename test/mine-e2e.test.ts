// Mining end to end on loopback: the WASM backend against the embedded devnet (small DAG).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet, type Devnet } from '../src/devnet/index.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession, type MiningSession } from '../src/miner/session.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { formatSero } from '../src/util/sero-amount.js';
import type { LogLevel } from '../src/util/log.js';
import { LOGIN, waitUntil } from './fixtures/net-helpers.js';
import { rpc, startTestDevnet, waitFor } from './support/devnet.js';
import { repoRoot } from './support/vectors.js';
import { Ledger } from '../src/miner/reward-ledger.js';
import { createProfile, type MainnetProfile } from '../src/chain/profile.js';
import { powReward } from '../src/chain/rewards.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-mine-'));
const backend = createWasmBackend({ threads: 1 });
after(() => backend.close());

function collectLogs() {
  const lines: string[] = [];
  return { lines, logger: (level: LogLevel, m: string) => { if (level !== 'debug') lines.push(`${level} ${m}`); } };
}

function session(devnet: Devnet, datadir: string, logger: (l: LogLevel, m: string) => void): MiningSession {
  return startMiningSession({
    pools: [parsePoolUri(devnet.endpoints.stratum.replace('://', '://devnet-miner.e2e@'))],
    backends: [backend], dagMode: 'small', datadir, profile: 'seed', logger, batchMs: 200,
  });
}

test('mine → votes → confirmed block → ledger credit is exactly 5/8 R per block', async () => {
  const devnet = await startDevnet({
    dag: 'small', initialDifficulty: 2000n, blockTimeSeconds: 3, voterOnlineProbability: 1, voteLatencyMs: [20, 100],
    stratumTlsPort: null, stratumWsPort: null, logger: () => {},
  });
  const datadir = tmp();
  const { logger, lines } = collectLogs();
  const s = session(devnet, datadir, logger);
  try {
    await waitUntil(() => s.ledger.totals().confirmed >= 1, 90_000, 'a confirmed block');
  } finally {
    await s.stop();
    await devnet.close();
  }
  const confirmed = s.ledger.list().filter((b) => b.status === 'confirmed');
  for (const b of confirmed) {
    assert.equal(formatSero(b.credit), '45');
    assert.equal(b.voters.length, 3);
  }
  assert.equal(s.ledger.totals().credit, 45n * 10n ** 18n * BigInt(confirmed.length));
  assert.ok(s.rig.shares.accepted >= 1);
  assert.equal(s.rig.shares.rejected, 0, lines.join('\n'));
});

test('a block whose voters are offline ends orphaned and credits nothing', async () => {
  const devnet = await startDevnet({
    dag: 'small', initialDifficulty: 2000n, voterOnlineProbability: 0, voteWindowMs: 1500,
    stratumTlsPort: null, stratumWsPort: null, logger: () => {},
  });
  const { logger } = collectLogs();
  const s = session(devnet, tmp(), logger);
  const events: string[] = [];
  s.tracker.on('pending', (b) => events.push(`pending ${b.nonce}`));
  s.tracker.on('orphaned', (b) => events.push(`orphaned ${b.nonce}`));
  try {
    await waitUntil(() => s.ledger.totals().orphaned >= 1, 90_000, 'an orphaned block');
  } finally {
    await s.stop();
    await devnet.close();
  }
  assert.equal(s.ledger.totals().confirmed, 0);
  assert.equal(s.ledger.totals().credit, 0n);
  const orphan = s.ledger.list().find((b) => b.status === 'orphaned')!;
  assert.equal(formatSero(orphan.credit), '0');
  // the pool's candidate notice made it pending at once, before any vote could come
  const pendingAt = events.indexOf(`pending ${orphan.nonce}`);
  assert.ok(pendingAt >= 0 && pendingAt < events.indexOf(`orphaned ${orphan.nonce}`), events.join(', '));
  assert.equal(formatSero(orphan.expectedCredit), '45');
});

test('mine --profile mainnet: blocks confirmed with at least 2 of 3 votes, credited the mainnet PoW reward', async () => {
  const devnet = await startTestDevnet({ profile: 'mainnet', initialDifficulty: 2000n, minimumDifficulty: 1000n, voterOnlineProbability: 1, voteLatencyMs: [20, 100] });
  const url = devnet.endpoints.rpc;
  const datadir = tmp();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/sero-miner.js'), 'mine', '--profile', 'mainnet', '-P', devnet.endpoints.stratum.replace('://', `://${LOGIN}.main@`),
    '--node', url, '--node-poll', '1', '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const confirmed = () => {
    const ledger = new Ledger(datadir);
    const blocks = ledger.list().filter((b) => b.status === 'confirmed');
    ledger.close();
    return blocks;
  };
  try {
    await waitFor(async () => (confirmed().length >= 2 ? true : undefined), 'two confirmed blocks', 120_000).catch((err: Error) => { throw new Error(`${err.message}\n${stderr}`); });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
  try {
    const profile = createProfile('mainnet') as MainnetProfile;
    const ledger = new Ledger(datadir);
    for (const b of ledger.list().filter((b) => b.status === 'confirmed')) {
      const onChain = await rpc(url, 'sero_getBlockByNumber', [`0x${b.height.toString(16)}`, false]);
      assert.equal(onChain.nonce, b.nonce, 'the block on chain is ours');
      assert.ok(onChain.currentVotes.length >= 2, `block ${b.height} carries ${onChain.currentVotes.length} votes`);
      assert.ok(b.votesNeeded === 2 && b.voters.length >= 2, `the ledger saw ${b.voters.length} of the ${b.votesNeeded} votes needed`);
      assert.equal(b.credit, powReward(profile, b.height, BigInt(onChain.difficulty)), 'the mainnet PoW reward of its difficulty');
      assert.equal(b.credit, BigInt((await rpc(url, 'sero_getBlockRewardByNumber', [onChain.number]))[0]));
    }
    const heights = ledger.list().filter((b) => b.status === 'confirmed').map((b) => b.height);
    assert.equal(new Set(heights).size, heights.length, 'never two confirmed blocks at one height');
    ledger.close();
  } finally {
    await devnet.close();
  }
});
