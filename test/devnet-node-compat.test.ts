// The devnet as a drop-in node for a real pool (stratum.md 10, the official pool's proxy and
// block unlocker): work handed out without a gap, go-sero's block objects, a synthetic
// ancestry below the first block, balances, recommits, and the official pool's login rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Devnet } from '../src/devnet/index.js';
import type { DevnetStore } from '../src/devnet/store.js';
import { hex0x, hexBytes, mine, nonceParam, rpc, startTestDevnet, waitFor } from './support/devnet.js';

const quantity = (n: number | bigint) => `0x${n.toString(16)}`;

/** The node's store, to hold a block's write open (the devnet keeps it private). */
const storeOf = (devnet: Devnet): DevnetStore => (devnet.node as unknown as { options: { store: DevnetStore } }).options.store;

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
    await waitFor(async () => ((await rpc(url, 'sero_blockNumber')) === quantity(first.height) ? true : undefined), `block ${first.height} on chain`);
    // The write of block `first` is held open: the next height's work must be out already.
    const second = await solveNodeWork(url);
    assert.equal(second.height, first.height + 1, 'sero_getWork hands out the next height');
    assert.equal(second.accepted, true, 'and a solution for it is not refused as stale');
    release();
    await waitFor(async () => ((await rpc(url, 'sero_blockNumber')) === quantity(second.height) ? true : undefined), `block ${second.height} on chain`);
  } finally {
    release();
    await devnet.close();
  }
});
