// The devnet's node RPC: solo mining over getwork, blocks with signed votes in go-sero's shape,
// newHeads, the difficulty retarget, stake transactions and the values in force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Devnet } from '../src/devnet/index.js';
import { nextDifficulty } from '../src/devnet/chain/difficulty.js';
import { hashPos, stakeHash } from '../src/devnet/stake/hashes.js';
import { verifySignature } from '../src/devnet/stake/vote-keys.js';
import { mineOverRpc, rpc, startTestDevnet, waitFor } from './support/devnet.js';

const FIRST_HEIGHT = 940410;
const quantity = (n: number | bigint) => `0x${n.toString(16)}`;

async function withDevnet(run: (devnet: Devnet, url: string) => Promise<void>): Promise<void> {
  const devnet = await startTestDevnet({ voterOnlineProbability: 1, voteLatencyMs: [5, 40], coinbase: 'solo-miner' });
  try {
    await run(devnet, devnet.endpoints.rpc);
  } finally {
    await devnet.close();
  }
}

test('getwork mining: the block carries three votes whose signatures verify, newHeads announces it', () =>
  withDevnet(async (devnet, url) => {
    const ws = new WebSocket(devnet.endpoints.ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const heads: any[] = [];
    ws.on('message', (data) => heads.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sero_subscribe', params: ['newHeads'] }));
    const subscription = (await waitFor(async () => heads.find((m) => m.id === 1), 'subscription')).result as string;

    const pending = await rpc(url, 'sero_getBlockByNumber', ['pending', false]);
    assert.equal(pending.number, quantity(FIRST_HEIGHT));
    assert.equal(pending.hash, null);
    assert.equal(pending.nonce, null);

    const signatures = new Set<string>();
    devnet.node.on('vote', (_candidate, vote) => signatures.add(vote.signature));
    const block = await mineOverRpc(url);
    const parent = await rpc(url, 'sero_getBlockByNumber', [quantity(FIRST_HEIGHT - 1), false]);
    assert.equal(block.parentHash, parent.hash);
    assert.deepEqual(await rpc(url, 'sero_getBlockByHash', [block.hash, true]), block);
    assert.equal(block.finder, 'solo-miner');
    assert.equal(block.miner.length, 2 + 192, '96-byte coinbase');
    assert.equal(block.parentVotes, null);

    const posHash = hashPos(block.mixHash, BigInt(block.nonce));
    const parentPosHash = hashPos(parent.mixHash, BigInt(parent.nonce));
    assert.equal(block.posHash, posHash);
    // three tickets voted; a share drawn for two of them signs once, and the header lists each signature once
    assert.equal(block.currentVotes.length, signatures.size);
    assert.deepEqual(new Set(block.currentVotes.map((v: any) => v.Sign)), signatures);
    for (const vote of block.currentVotes) {
      assert.deepEqual(Object.keys(vote).sort(), ['Id', 'IsPool', 'Sign']);
      assert.match(vote.Id, /^0x[0-9a-f]{64}$/);
      assert.match(vote.Sign, /^0x[0-9a-f]{128}$/);
      const share = await rpc(url, 'stake_getShare', [vote.Id]);
      const key = vote.IsPool ? (await rpc(url, 'stake_poolState', [share.pool])).voteAddress : share.voteAddr;
      assert.equal(verifySignature(key, stakeHash(posHash, parentPosHash, vote.IsPool), vote.Sign), true, `signature of ${vote.Id}`);
      assert.equal(verifySignature(key, stakeHash(posHash, parentPosHash, !vote.IsPool), vote.Sign), false, 'bound to the vote kind');
    }

    const head = await waitFor(async () => heads.find((m) => m.method === 'sero_subscription'), 'newHeads');
    assert.equal(head.params.subscription, subscription);
    assert.equal(head.params.result.hash, block.hash);
    assert.equal(head.params.result.number, block.number);
    assert.equal(head.params.result.currentVotes, undefined, 'newHeads carries no votes');
    ws.close();
  }));

test('difficulty follows the retarget rule from block to block', () =>
  withDevnet(async (_devnet, url) => {
    const first = await mineOverRpc(url);
    const second = await mineOverRpc(url);
    assert.equal(BigInt(first.difficulty), 4n, 'the first block has the initial difficulty');
    const dt = Number(BigInt(second.timestamp) - BigInt(first.timestamp));
    const rule = { blockTimeSeconds: 10, quotient: 8n, minimumDifficulty: 2n };
    assert.equal(BigInt(second.difficulty), nextDifficulty(4n, dt, rule));
    assert.equal(BigInt(second.difficulty), 5n, 'a fast block raises the difficulty');
  }));

test('stake RPC: tickets, StakingNodes and receipts go through blocks; devnet_info gives the values in force', () =>
  withDevnet(async (_devnet, url) => {
    const info = await rpc(url, 'devnet_info');
    assert.equal(info.profile.profile, 'seed');
    assert.equal(info.profile.blockRewardSero, '72');
    assert.equal(info.profile.minerPartSero, '45');
    assert.equal(info.profile.payWindow, 5);
    assert.equal(info.profile.outOfDateWindow, 100);
    assert.equal(info.chain.nextHeight, FIRST_HEIGHT);
    assert.equal(info.chain.dag, 'small');
    assert.ok(info.stake.tickets >= 3, 'the simulated population bought tickets before the first block');
    assert.equal(quantity(info.stake.tickets), await rpc(url, 'stake_sharePoolSize'));

    const price = BigInt(await rpc(url, 'stake_sharePrice'));
    const estimate = await rpc(url, 'stake_estimateShares', [{ value: quantity(10n * price) }]);
    assert.ok(estimate.total >= 9 && estimate.total <= 10);
    const buy = await rpc(url, 'stake_buyShare', [{ from: 'alice', value: quantity(10n * price) }]);
    const register = await rpc(url, 'stake_registStakePool', [{ from: 'bob', fee: 2500 }]);
    assert.equal(await rpc(url, 'sero_getTransactionReceipt', [buy]), null, 'not in a block yet');

    const block = await mineOverRpc(url);
    assert.ok(block.transactions.some((tx: any) => tx.transactionHash === buy));
    const bought = await rpc(url, 'sero_getTransactionReceipt', [buy]);
    assert.equal(bought.status, '0x1');
    assert.equal(bought.blockNumber, block.number);
    assert.equal(bought.tickets, estimate.total);
    const share = await rpc(url, 'stake_getShare', [bought.shareId]);
    assert.equal(share.addr, 'alice');
    assert.equal(share.voteAddr, (await rpc(url, 'devnet_voteKey', ['alice'])).voteKey);
    assert.equal(share.total, estimate.total);
    assert.equal(share.price, bought.averagePrice);
    assert.equal((await rpc(url, 'stake_getShareByPkr', ['alice']))[0].id, bought.shareId);

    const registered = await rpc(url, 'sero_getTransactionReceipt', [register]);
    assert.equal(registered.status, '0x1');
    const poolId = (await rpc(url, 'devnet_voteKey', ['bob'])).poolId;
    assert.equal(registered.poolId, poolId);
    const pool = await rpc(url, 'stake_poolState', [poolId]);
    assert.equal(pool.own, 'bob');
    assert.equal(pool.fee, 2500);
    assert.equal(BigInt(pool.pledge), 200_000n * 10n ** 18n);
    assert.ok((await rpc(url, 'stake_stakePools')).some((p: any) => p.id === poolId));

    const delegated = await rpc(url, 'stake_buyShare', [{ from: 'carol', value: quantity(3n * price), pool: poolId }]);
    const close = await rpc(url, 'stake_closeStakePool', ['bob']);
    await mineOverRpc(url);
    const carol = await rpc(url, 'stake_getShare', [(await rpc(url, 'sero_getTransactionReceipt', [delegated])).shareId]);
    assert.equal(carol.pool, poolId);
    assert.equal(carol.voteAddr, null, 'seed: a delegated ticket is voted by its StakingNode');
    assert.equal((await rpc(url, 'sero_getTransactionReceipt', [close])).status, '0x1');
    assert.equal((await rpc(url, 'stake_poolState', [poolId])).closed, true);

    await assert.rejects(rpc(url, 'stake_buyShare', [{ from: 'dave', value: 'lots' }]), /value/);
    const totals = await rpc(url, 'devnet_ledgerTotals');
    assert.equal(BigInt(totals.minted), BigInt(totals.credited) + BigInt(totals.burned));
  }));
