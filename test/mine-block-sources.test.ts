// Where the ledger's outcomes come from outside the devnet's own pool: a plain stratum1 pool
// (no vote notices) plus --node, where the chain decides; and a hostile pool whose notices
// for shares never submitted must credit nothing, and whose text must reach the log escaped.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession } from '../src/miner/session.js';
import { BlockFinder } from '../src/miner/block-finder.js';
import type { BlockEvent } from '../src/miner/block-tracker.js';
import { confirmationRule } from '../src/miner/confirmation-rule.js';
import { jobTarget, NodeWorkTarget } from '../src/miner/network-target.js';
import type { ShareResult, ShareSubmission } from '../src/net/client/pool-client.js';
import { createWorkPackage, workToWire } from '../src/net/wire/work.js';
import { describePoolUri, parsePoolUri } from '../src/net/wire/uri.js';
import { formatNonce } from '../src/util/hex.js';
import type { LogLevel } from '../src/util/log.js';
import { LOGIN, waitUntil } from './fixtures/net-helpers.js';
import { rpc, startTestDevnet } from './support/devnet.js';
import { scriptedPool as startScriptedPool, type ShareScript } from './support/scripted-pool.js';
import { repoRoot } from './support/vectors.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-sources-'));
const backend = createWasmBackend({ threads: 1 });
after(() => backend.close());
const quantity = (n: number) => `0x${n.toString(16)}`;

function collectLogs() {
  const lines: string[] = [];
  return { lines, logger: (level: LogLevel, m: string) => { if (level !== 'debug') lines.push(`${level} ${m}`); } };
}

test('a pool without vote notices plus --node: the confirmed blocks are the chain blocks with our nonces, the credit their sum', async () => {
  const devnet = await startTestDevnet({ initialDifficulty: 2000n, minimumDifficulty: 1000n, voteNotices: false, voterOnlineProbability: 1, voteLatencyMs: [20, 100] });
  const url = devnet.endpoints.rpc;
  const { logger, lines } = collectLogs();
  const submitted = new Set<string>();
  const s = startMiningSession({
    pools: [parsePoolUri(devnet.endpoints.stratum.replace('://', '://plain-miner.p1@'))],
    backends: [backend], dagMode: 'small', datadir: tmp(), profile: 'seed', logger, batchMs: 200,
    nodeUrl: url, nodePollMs: 200,
  });
  s.rig.on('share', (r) => { if (r.status === 'accepted') submitted.add(`${r.work.height}:${formatNonce(r.nonce)}`); });
  /** Chain blocks whose nonce this miner submitted, by `height:nonce`. */
  const oursOnChain = async (): Promise<Map<string, bigint>> => {
    const head = Number(BigInt(await rpc(url, 'sero_blockNumber')));
    const ours = new Map<string, bigint>();
    for (let h = 940410; h <= head; h++) {
      const block = await rpc(url, 'sero_getBlockByNumber', [quantity(h), false]);
      const key = `${h}:${block.nonce}`;
      if (submitted.has(key)) ours.set(key, BigInt((await rpc(url, 'sero_getBlockRewardByNumber', [quantity(h)]))[0]));
    }
    return ours;
  };
  const confirmedInLedger = () => new Set(s.ledger.list().filter((b) => b.status === 'confirmed').map((b) => `${b.height}:${b.nonce}`));
  let chain = new Map<string, bigint>();
  try {
    const deadline = Date.now() + 120_000;
    let stopped = false;
    let agreeSince: number | undefined;
    for (;;) {
      chain = await oursOnChain();
      const ledger = confirmedInLedger();
      const agree = chain.size >= 2 && ledger.size === chain.size && [...chain.keys()].every((k) => ledger.has(k));
      // once they agree the rig stops finding blocks, and they must go on agreeing for a second:
      // a block found just before the stop reaches the chain, and the ledger, after it
      if (!agree) agreeSince = undefined;
      else if (!stopped) {
        await s.rig.stop();
        stopped = true;
        agreeSince = Date.now();
      } else if (agreeSince === undefined) agreeSince = Date.now();
      else if (Date.now() - agreeSince >= 1000) break;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await s.stop();
    await devnet.close();
  }
  assert.ok(chain.size >= 2, `at least two blocks of ours on chain (got ${chain.size})\n${lines.join('\n')}`);
  assert.deepEqual([...confirmedInLedger()].sort(), [...chain.keys()].sort(), 'the ledger confirms exactly our blocks on chain');
  assert.equal(s.ledger.totals().credit, [...chain.values()].reduce((a, b) => a + b, 0n));
  assert.equal(s.ledger.totals().credit, 45n * 10n ** 18n * BigInt(chain.size), 'seed: 5/8 of 72 SERO each');
  // At this difficulty two of our shares can both meet the block target at one height: the
  // node takes the first and the other is orphaned by it. Any orphan must have lost to ours.
  const orphans = s.ledger.list().filter((b) => b.status === 'orphaned');
  for (const b of orphans) assert.ok([...chain.keys()].some((k) => k.startsWith(`${b.height}:`)), `block ${b.height} ${b.nonce} orphaned by a block not ours\n${lines.join('\n')}`);
});

/** A stratum1 pool that accepts every share and answers each with scripted notices. */
async function scriptedPool(onShare: ShareScript) {
  const HEADER = `0x${'ab'.repeat(32)}`;
  const SEED = '0x7e7d8bef9d86983accafa937aed08042391d6f435bc640e50a9c38927de9b299';
  // An easy share target: the WASM backend finds one in a few hundred hashes.
  const pool = await startScriptedPool([HEADER, SEED, `0x00ff${'ff'.repeat(30)}`, '940412'], onShare);
  return { uri: parsePoolUri(`stratum1+tcp://${LOGIN}.rig@127.0.0.1:${pool.port}`), header: HEADER, close: pool.close };
}

const notice = (method: string, params: object) => ({ jsonrpc: '2.0', method, params });
const BIG_REWARD = (10n ** 27n).toString();
/** Newlines and escape codes a pool might put into a reason to forge log lines. */
const HOSTILE_REASON = 'vote timeout\ninfo  block 940412 confirmed: +1000000000 SERO\x1b[2J\x1b[31m\u009b0m';

test('forged notices from a hostile pool credit nothing; its reason reaches the log escaped', async () => {
  const otherHeader = `0x${'cd'.repeat(32)}`;
  let answered = 0;
  const pool = await scriptedPool(({ nonce, header }, write) => {
    answered++;
    // Unsolicited: nonces never submitted, with a candidate, votes and a confirmed outcome each.
    for (let i = 0; i < 20; i++) {
      const forged = { headerHash: header, nonce: `0x${(0xf000_0000_0000_0000n + BigInt(answered * 100 + i)).toString(16)}`, height: 940412 };
      write(notice('sero_blockCandidate', { ...forged, votesNeeded: 3, windowMs: 1000, reward: BIG_REWARD }));
      write(notice('sero_blockOutcome', { ...forged, status: 'confirmed', votes: 3 }));
    }
    // The submitted nonce, but for a header it was not submitted with.
    write(notice('sero_blockCandidate', { headerHash: otherHeader, nonce, height: 940412, votesNeeded: 3, windowMs: 1000, reward: BIG_REWARD }));
    write(notice('sero_blockOutcome', { headerHash: otherHeader, nonce, height: 940412, status: 'confirmed', votes: 3 }));
    // The first share, as submitted: a real (if scripted) candidate, orphaned with a hostile reason.
    if (answered === 1) {
      write(notice('sero_blockCandidate', { headerHash: header, nonce, height: 940412, votesNeeded: 3, windowMs: 1000, reward: '45000000000000000000' }));
      write(notice('sero_blockOutcome', { headerHash: header, nonce, height: 940412, status: 'orphaned', votes: 1, reason: HOSTILE_REASON }));
    }
  });
  const datadir = tmp();
  const bin = path.join(repoRoot, 'bin/sero-miner.js');
  const child = spawn(process.execPath, [bin, 'mine', '-P', describePoolUri(pool.uri), '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitUntil(() => answered >= 3 && /block 940412 \(0x[0-9a-f]{16}\) orphaned/.test(stderr), 60_000, 'three shares answered with forged notices');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    await pool.close();
  }
  const ledger = JSON.parse(execFileSync(process.execPath, [bin, 'ledger', '--datadir', datadir, '--json'], { encoding: 'utf8' }));
  assert.deepEqual(ledger.chains.map((c: { totals: object }) => c.totals), [{ pending: 0, confirmed: 0, orphaned: 1, credit: '0' }], 'only the share submitted so became a candidate');
  const table = execFileSync(process.execPath, [bin, 'ledger', '--datadir', datadir], { encoding: 'utf8' });
  for (const text of [stderr, table]) {
    for (const line of text.split('\n')) assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/, `raw control characters in ${JSON.stringify(line)}`);
    assert.ok(text.includes('vote timeout\\ninfo  block 940412 confirmed') && text.includes('\\u001b[2J'), text);
  }
});

test('neither a node nor vote notices: the miner says once that found blocks cannot be followed', async () => {
  const devnet = await startTestDevnet({ voteNotices: false });
  const { logger, lines } = collectLogs();
  const s = startMiningSession({
    pools: [parsePoolUri(devnet.endpoints.stratum.replace('://', '://plain-miner.p2@'))],
    backends: [backend], dagMode: 'small', datadir: tmp(), profile: 'seed', logger, batchMs: 200,
  });
  try {
    await waitUntil(() => s.rig.shares.accepted >= 1, 60_000, 'a share');
  } finally {
    await s.stop();
    await devnet.close();
  }
  const said = lines.filter((l) => l.includes('cannot tell which shares are blocks'));
  assert.equal(said.length, 1, lines.join('\n'));
  assert.match(said[0]!, /^warn .*sends no block-vote notices \(sero-votes\/1\) and no --node is given.*give --node <url>/);
  assert.equal(s.ledger.list().length, 0);
});

test('a share sent but never answered that meets the network target is followed anyway: the node decides', async () => {
  const { EventEmitter } = await import('node:events');
  const events: BlockEvent[] = [];
  const pool = Object.assign(new EventEmitter(), {
    submit: async (share: ShareSubmission): Promise<ShareResult> => ({ status: 'dropped', unanswered: true, work: share.work, nonce: share.nonce, message: 'no reply to sero_submitWork within 10000 ms', latencyMs: 0 }),
  });
  const rule = confirmationRule('seed');
  const finder = new BlockFinder({ pool, target: jobTarget, sink: (e) => events.push(e), rule });
  const work = createWorkPackage({ headerHash: new Uint8Array(32).fill(1), seedHash: new Uint8Array(32), target: 1n << 250n, height: 940420 });
  const share = { work, nonce: 7n, mixDigest: new Uint8Array(32).fill(2) };
  await finder.submit({ ...share, finalHash: new Uint8Array(32) });
  assert.deepEqual(events.map((e) => [e.kind, e.source, e.height, e.nonce]), [['candidate', 'miner', 940420, 7n]]);
  await finder.submit({ ...share, nonce: 8n, finalHash: new Uint8Array(32).fill(0xff) });
  assert.equal(events.length, 1, 'a share above the network target is no block');
});

test('a pool that labels a job one height behind the node (the official pool\'s race): the block is followed at the node\'s height', async () => {
  const { EventEmitter } = await import('node:events');
  const events: BlockEvent[] = [];
  const pool = Object.assign(new EventEmitter(), {
    submit: async (share: ShareSubmission): Promise<ShareResult> => ({ status: 'accepted', work: share.work, nonce: share.nonce, latencyMs: 1 }),
  });
  const header = new Uint8Array(32).fill(3);
  const nodeWork = createWorkPackage({ headerHash: header, seedHash: new Uint8Array(32), target: 1n << 250n, height: 940421 });
  const calls: string[] = [];
  const node = new NodeWorkTarget(async (method) => { calls.push(method); return workToWire(nodeWork); }, () => {});
  const rule = confirmationRule('seed');
  const finder = new BlockFinder({ pool, target: node, sink: (e) => events.push(e), rule });
  const poolWork = createWorkPackage({ headerHash: header, seedHash: new Uint8Array(32), target: 1n << 253n, height: 940420 });
  pool.emit('work', poolWork);
  await finder.submit({ work: poolWork, nonce: 9n, mixDigest: new Uint8Array(32), finalHash: new Uint8Array(32) });
  assert.deepEqual(events.map((e) => [e.kind, e.height, e.nonce]), [['candidate', 940421, 9n]]);
  assert.deepEqual(calls, ['sero_getWork'], 'the node is asked once per header');
});

test('a share the miner knows is a block is marked so (the submission cap lets it through); one not known yet is not', async () => {
  const { EventEmitter } = await import('node:events');
  const sent: ShareSubmission[] = [];
  const pool = Object.assign(new EventEmitter(), {
    submit: async (share: ShareSubmission): Promise<ShareResult> => {
      sent.push(share);
      return { status: 'accepted', work: share.work, nonce: share.nonce, latencyMs: 1 };
    },
  });
  const rule = confirmationRule('seed');
  const work = createWorkPackage({ headerHash: new Uint8Array(32).fill(1), seedHash: new Uint8Array(32), target: 1n << 250n, height: 940420 });
  const share = { work, mixDigest: new Uint8Array(32).fill(2) };
  const finder = new BlockFinder({ pool, target: jobTarget, sink: () => {}, rule });
  await finder.submit({ ...share, nonce: 1n, finalHash: new Uint8Array(32) });
  await finder.submit({ ...share, nonce: 2n, finalHash: new Uint8Array(32).fill(0xff) });
  // through a pool, the node's target is at hand only once the node was asked for this header
  const node = new NodeWorkTarget(async () => { throw new Error('node unreachable'); }, () => {});
  const unknown = new BlockFinder({ pool, target: node, sink: () => {}, rule });
  await unknown.submit({ ...share, nonce: 3n, finalHash: new Uint8Array(32) });
  assert.deepEqual(sent.map((s) => [s.nonce, s.block === true]), [[1n, true], [2n, false], [3n, false]]);
});
