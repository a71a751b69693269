// How the devnet decides between block candidates: two solutions racing for one height, and
// mainnet's optional votes, where votes that miss their block ride in the child as ParentVotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VOTES_EXTENSION } from '../src/net/wire/vote-extension.js';
import { sero } from '../src/util/sero-amount.js';
import { LineClient, hex0x, hexBytes, mine, mineOverRpc, nonceParam, rpc, startTestDevnet, type Message } from './support/devnet.js';

const FIRST_HEIGHT = 940410;

test('two candidates for one height: the first with all its votes is the block, the other is orphaned', async () => {
  const devnet = await startTestDevnet({ voterOnlineProbability: 1, voteLatencyMs: [10, 120] });
  const client = await LineClient.connect(devnet.endpoints.stratum);
  try {
    await client.request({ id: 1, method: 'sero_submitLogin', params: ['racer', 'x'], extensions: [VOTES_EXTENSION] });
    const [header, , , height] = (await client.request({ id: 5, method: 'sero_getWork', params: [] })).result as string[];
    const boundary = BigInt(((await rpc(devnet.endpoints.rpc, 'sero_getWork')) as string[])[2]!);
    const first = mine(hexBytes(header!), Number(height), boundary);
    let second = mine(hexBytes(header!), Number(height), boundary);
    while (second.nonce === first.nonce) second = mine(hexBytes(header!), Number(height), boundary);
    for (const [id, solution] of [[40, first], [41, second]] as const) {
      const reply = await client.request({ id, method: 'sero_submitWork', params: [nonceParam(solution.nonce), header, hex0x(solution.mixDigest)] });
      assert.equal(reply.result, true);
    }
    const outcomes = [await client.next((m) => m.method === 'sero_blockOutcome'), await client.next((m) => m.method === 'sero_blockOutcome')].map((m) => m.params as Message);
    const confirmed = outcomes.filter((o) => o.status === 'confirmed');
    const orphaned = outcomes.filter((o) => o.status === 'orphaned');
    assert.equal(confirmed.length, 1);
    assert.equal(orphaned.length, 1);
    assert.match(String(orphaned[0]!.reason), /another block took the height/);
    const block = await rpc(devnet.endpoints.rpc, 'sero_getBlockByNumber', ['latest', false]);
    assert.equal(block.number, `0x${FIRST_HEIGHT.toString(16)}`);
    assert.equal(block.nonce, confirmed[0]!.nonce);
    assert.equal(block.hash, confirmed[0]!.blockHash);
    assert.equal(devnet.node.state.stake.ledger.entries({ type: 'credit', reason: 'miner' }).filter((e) => e.height === FIRST_HEIGHT).length, 1, 'one block, one reward');
  } finally {
    client.close();
    await devnet.close();
  }
});

test('mainnet with votes not required: the block goes out after the short wait, its late votes ride in the child', async () => {
  const devnet = await startTestDevnet({
    profile: 'mainnet',
    // 2 holders with about 9 tickets each: fewer than the 20 tickets NeedTwoVote wants.
    population: { soloHolders: 2, delegatingHolders: 0, stakingNodes: 0, purchaseValue: sero(20), soloOnlineProbability: 1, soloLatencyMs: [1_300, 1_400] },
  });
  try {
    const url = devnet.endpoints.rpc;
    assert.equal((await rpc(url, 'devnet_info')).stake.votesRequired, false);
    const started = Date.now();
    const parent = await mineOverRpc(url);
    const waited = Date.now() - started;
    assert.ok(waited >= 1_000, `published only after the optional-vote wait (${waited} ms)`);
    assert.equal(parent.currentVotes, null, 'published before any vote, all of which come after 1.3 s');

    const child = await mineOverRpc(url);
    assert.equal(child.currentVotes, null);
    assert.equal(child.parentVotes.length, 3, 'the three late votes for the parent');
    const late = devnet.node.state.stake.ledger.entries({ type: 'mint', reason: 'late-vote' });
    assert.equal(late.length, 3);
    for (const entry of late) assert.equal(entry.type === 'mint' && entry.block, Number(BigInt(parent.number)), 'minted for the parent block');
    devnet.node.state.stake.ledger.verifyBalance();
  } finally {
    await devnet.close();
  }
});
