// The devnet as a drop-in node for a real pool (stratum.md 10, the official pool's proxy and
// block unlocker): work handed out without a gap, go-sero's block objects, a synthetic
// ancestry below the first block, balances, recommits, and the official pool's login rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Devnet } from '../src/devnet/index.js';
import type { DevnetStore } from '../src/devnet/store.js';
import { base58Encode } from '../src/util/base58.js';
import { hex0x, hexBytes, LineClient, mine, nonceParam, rpc, startTestDevnet, waitFor } from './support/devnet.js';

const quantity = (n: number | bigint) => `0x${n.toString(16)}`;

/** The node's store, to hold a block's write open (the devnet keeps it private). */
const storeOf = (devnet: Devnet): DevnetStore => (devnet.node as unknown as { options: { store: DevnetStore } }).options.store;

/** Waits until the chain's head is at `height`. */
const untilHead = (url: string, height: number) =>
  waitFor(async () => ((await rpc(url, 'sero_blockNumber')) === quantity(height) ? true : undefined), `block ${height} on chain`);

/** A devnet whose voters all answer within milliseconds, closed after `body`. */
async function withDevnet(options: Parameters<typeof startTestDevnet>[0], body: (devnet: Devnet, url: string) => Promise<void>): Promise<void> {
  const devnet = await startTestDevnet({ voterOnlineProbability: 1, voteLatencyMs: [5, 20], ...options });
  try {
    await body(devnet, devnet.endpoints.rpc);
  } finally {
    await devnet.close();
  }
}

/** Solves the node's current work and submits it; returns the work's height and the node's answer. */
async function solveNodeWork(url: string): Promise<{ height: number; accepted: boolean; nonce: string }> {
  const [header, , boundary, height] = (await rpc(url, 'sero_getWork')) as string[];
  const solution = mine(hexBytes(header!), Number(height), BigInt(boundary!));
  const accepted = (await rpc(url, 'sero_submitWork', [nonceParam(solution.nonce), header, hex0x(solution.mixDigest)])) as boolean;
  return { height: Number(height), accepted, nonce: nonceParam(solution.nonce) };
}

test('a block on chain moves the work to the next height at once, even while its store write is still running', async () => {
  const devnet = await startTestDevnet({ voterOnlineProbability: 1, voteLatencyMs: [5, 20] });
  const url = devnet.endpoints.rpc;
  const store = storeOf(devnet);
  const commitBlock = store.commitBlock.bind(store);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  store.commitBlock = async (...args) => {
    await gate;
    return commitBlock(...args);
  };
  try {
    const first = await solveNodeWork(url);
    assert.equal(first.accepted, true);
    await untilHead(url, first.height);
    // The write of block `first` is held open: the next height's work must be out already.
    const second = await solveNodeWork(url);
    assert.equal(second.height, first.height + 1, 'sero_getWork hands out the next height');
    assert.equal(second.accepted, true, 'and a solution for it is not refused as stale');
    release();
    await untilHead(url, second.height);
  } finally {
    release();
    await devnet.close();
  }
});

const FIRST_HEIGHT = 940410;
const block = (url: string, tag: number | string) => rpc(url, 'sero_getBlockByNumber', [typeof tag === 'number' ? quantity(tag) : tag, true]);

test('below the first block: a synthetic ancestry down to height 0 whose hashes chain into the chain', () =>
  withDevnet({}, async (_devnet, url) => {
    await solveNodeWork(url);
    await untilHead(url, FIRST_HEIGHT);
    // What the official pool's unlocker scans for a candidate at the first height: 16 below to 15 above.
    const window: any[] = [];
    for (let h = FIRST_HEIGHT - 16; h <= FIRST_HEIGHT; h++) window.push(await block(url, h));
    for (const [i, b] of window.entries()) {
      assert.ok(b, `block ${FIRST_HEIGHT - 16 + i} exists`);
      assert.equal(b.number, quantity(FIRST_HEIGHT - 16 + i));
      assert.match(b.hash, /^0x[0-9a-f]{64}$/);
      assert.match(b.nonce, /^0x[0-9a-f]{16}$/);
      if (i > 0) {
        assert.equal(b.parentHash, window[i - 1].hash, `block ${b.number} builds on its parent`);
        assert.equal(BigInt(b.totalDifficulty), BigInt(window[i - 1].totalDifficulty) + BigInt(b.difficulty), 'total difficulty adds up');
        assert.ok(BigInt(b.timestamp) > BigInt(window[i - 1].timestamp), 'time moves forward');
      }
    }
    assert.notEqual(window[15].hash, `0x${'00'.repeat(32)}`, 'the anchor has a real parent');
    const origin = await block(url, 0);
    assert.equal(origin.number, '0x0');
    assert.equal(origin.parentHash, `0x${'00'.repeat(32)}`);
    assert.equal(BigInt(origin.totalDifficulty), BigInt(origin.difficulty));
    assert.deepEqual(await block(url, 'earliest'), origin);
    assert.deepEqual(await block(url, FIRST_HEIGHT - 5), window[11], 'the same answer every time');
    assert.deepEqual(await rpc(url, 'sero_getBlockByHash', [window[11].hash, true]), window[11]);
    assert.equal(await block(url, FIRST_HEIGHT + 1), null, 'nothing above the head');
  }));

test('block objects as go-sero writes them: size and totalDifficulty; the pending block with hash, nonce and miner null', () =>
  withDevnet({}, async (_devnet, url) => {
    await solveNodeWork(url);
    await untilHead(url, FIRST_HEIGHT);
    const mined = await block(url, FIRST_HEIGHT);
    assert.match(mined.size, /^0x[1-9a-f][0-9a-f]*$/);
    const genesis = await block(url, FIRST_HEIGHT - 1);
    assert.equal(BigInt(mined.totalDifficulty), BigInt(genesis.totalDifficulty) + BigInt(mined.difficulty));
    assert.ok(genesis.transactions.length > 0, 'the anchor carries the population\'s opening purchases');
    for (const tx of [...genesis.transactions, ...mined.transactions]) {
      // the unlocker reads every full transaction's hash and gas price, then its receipt's gas
      assert.match(tx.hash, /^0x[0-9a-f]{64}$/);
      assert.equal(tx.gasPrice, '0x0');
      assert.equal((await rpc(url, 'sero_getTransactionReceipt', [tx.hash])).gasUsed, '0x0');
    }
    const pending = await block(url, 'pending');
    const nulls = Object.entries(pending).filter(([, value]) => value === null).map(([key]) => key).sort();
    assert.deepEqual(nulls, ['currentVotes', 'hash', 'miner', 'nonce', 'parentVotes'], 'as go-sero: no identity yet, and no votes');
    assert.equal(pending.number, quantity(FIRST_HEIGHT + 1));
    assert.equal(pending.parentHash, mined.hash);
    assert.equal(pending.mixHash, `0x${'00'.repeat(32)}`);
    assert.equal(BigInt(pending.totalDifficulty), BigInt(mined.totalDifficulty) + BigInt(pending.difficulty));
    assert.match(pending.size, /^0x[1-9a-f][0-9a-f]*$/);
  }));

test('net_peerCount, and sero_getBalance in go-sero\'s shape for the accounts the devnet knows', () =>
  withDevnet({ coinbase: 'solo-finder' }, async (_devnet, url) => {
    assert.equal(await rpc(url, 'net_peerCount'), '0x0', 'a single node has no peers');
    assert.deepEqual(await rpc(url, 'sero_getBalance', ['solo-finder', 'latest']), { tkn: {}, tkt: {} }, 'nothing yet');
    await solveNodeWork(url);
    await untilHead(url, FIRST_HEIGHT);
    const reward = BigInt((await rpc(url, 'sero_getBlockRewardByNumber', [quantity(FIRST_HEIGHT)]))[0]);
    assert.deepEqual(await rpc(url, 'sero_getBalance', ['solo-finder', 'latest']), { tkn: { SERO: quantity(reward) }, tkt: {} });
    assert.deepEqual(await rpc(url, 'sero_getBalance', ['nobody-at-all']), { tkn: {}, tkt: {} });
  }));

test('the pending work is rebuilt every few seconds with a new timestamp, and earlier work of the height still counts', () =>
  withDevnet({ recommitSeconds: 1 }, async (_devnet, url) => {
    const [header] = (await rpc(url, 'sero_getWork')) as string[];
    const before = await block(url, 'pending');
    const after = await waitFor(async () => {
      const pending = await block(url, 'pending');
      return BigInt(pending.timestamp) > BigInt(before.timestamp) ? pending : undefined;
    }, 'a recommit', 5000);
    assert.equal(after.number, before.number, 'same height');
    const [newer, , boundary, height] = (await rpc(url, 'sero_getWork')) as string[];
    assert.notEqual(newer, header, 'new work');
    assert.equal(after.hashPow, newer);
    // a solution of the first work is still a block, as gero keeps recent work
    const solution = mine(hexBytes(header!), Number(height), BigInt(boundary!));
    assert.equal(await rpc(url, 'sero_submitWork', [nonceParam(solution.nonce), header, hex0x(solution.mixDigest)]), true);
  }));

test('currentVotes of a block whose one share was drawn for every ticket lists that share three times, as go-sero\'s does', () =>
  // One holder, one purchase: every drawn ticket is the same share. go-sero's vote signatures are
  // randomized (superzk), so each ticket's vote has its own signature and fills its own slot; its
  // CheckVotes allows a share as often as it was drawn, and refuses a signature listed twice.
  withDevnet({ population: { soloHolders: 1, delegatingHolders: 0, stakingNodes: 0, rebuyProbability: 0 } }, async (devnet, url) => {
    const votes: string[] = [];
    devnet.node.on('vote', (_candidate, vote) => votes.push(vote.signature));
    await solveNodeWork(url);
    await untilHead(url, FIRST_HEIGHT);
    const mined = await block(url, FIRST_HEIGHT);
    assert.equal(votes.length, 3, 'all three tickets voted');
    assert.equal(mined.currentVotes.length, 3);
    assert.equal(new Set(mined.currentVotes.map((v: { Id: string }) => v.Id)).size, 1, 'one share');
    assert.deepEqual(new Set(mined.currentVotes.map((v: { Sign: string }) => v.Sign)), new Set(votes), 'three signatures');
    assert.equal(votes.length, new Set(votes).size);
  }));

test('--strict-login: only base58 SERO addresses (64-byte PK, 96-byte PKr) log in; anything else is "-1 Invalid login"', async () => {
  const devnet = await startTestDevnet({ strictLogin: true });
  const login = async (name: string): Promise<Record<string, unknown>> => {
    const client = await LineClient.connect(devnet.endpoints.stratum);
    try {
      return await client.request({ id: 1, method: 'sero_submitLogin', params: [name, 'x'] });
    } finally {
      client.close();
    }
  };
  const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
  try {
    // The payout address of the official pool's example configuration: a PK.
    assert.equal((await login('38FE3kWuF2zfvvqzS7ZqjYmcSsJdFBgDrxvd9K585fiiQ93j89GTRpN9ccfhER5iVXAkrK9opCnB9AMrJWdh8RwS')).result, true);
    assert.equal((await login(base58Encode(bytes(96)))).result, true, 'a PKr');
    for (const refused of ['devnet-miner', base58Encode(bytes(65)), base58Encode(bytes(32)), '38FE3kWuF2zfvvqzS7ZqjYmcSsJdFBgDrxvd9K585fiiQ93j89GTRpN9ccfhER5iVXAkrK9opCnB9AMrJWdh8Rw0']) {
      assert.deepEqual((await login(refused)).error, { code: -1, message: 'Invalid login' }, refused);
    }
  } finally {
    await devnet.close();
  }
});

test('each devnet is a chain of its own: block 0 differs between two fresh devnets and stays the same across restarts of one datadir', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-devnet-genesis-'));
  const genesisOf = async (options: Parameters<typeof startTestDevnet>[0]) => {
    const devnet = await startTestDevnet(options);
    try {
      const origin = await block(devnet.endpoints.rpc, 0);
      // the ancestry still chains from block 0 into the anchor
      const one = await block(devnet.endpoints.rpc, 1);
      assert.equal(one.parentHash, origin.hash);
      assert.deepEqual(await rpc(devnet.endpoints.rpc, 'sero_getBlockByHash', [origin.hash, true]), origin);
      return origin.hash as string;
    } finally {
      await devnet.close();
    }
  };
  const [a, b] = [await genesisOf({}), await genesisOf({})];
  assert.notEqual(a, b, 'two fresh devnets are two chains');
  const kept = await genesisOf({ datadir });
  assert.equal(await genesisOf({ datadir }), kept, 'a datadir keeps its chain');
  assert.notEqual(kept, a);

  // a datadir written before chains had an identity of their own gets one at its next start, and keeps it
  const { ClassicLevel } = await import('classic-level');
  const db = new ClassicLevel<string, string>(path.join(datadir, 'chain'), { valueEncoding: 'utf8' });
  const meta = JSON.parse((await db.get('meta'))!) as Record<string, unknown>;
  assert.match(String(meta.chainSeed), /^0x[0-9a-f]{64}$/);
  delete meta.chainSeed;
  await db.put('meta', JSON.stringify(meta));
  await db.close();
  const migrated = await genesisOf({ datadir });
  assert.notEqual(migrated, '0x8a579a3221ccf90c9be1111d3fb537eb666f2222bece1ab60000000000000000', 'not the block 0 every devnet shared');
  assert.equal(await genesisOf({ datadir }), migrated);
});
