// A scripted stratum1 session against the embedded devnet: log in with vote notices, take the
// job, mine a real solution with the reference ProgPoW on the small DAG, submit it, follow its
// votes to the outcome, and check the rewards against the profile exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Devnet, DevnetOptions } from '../src/devnet/index.js';
import { seedHash } from '../src/pow/epoch.js';
import { VOTES_EXTENSION } from '../src/net/wire/vote-extension.js';
import type { MainnetProfile, ProfileName, SeedProfile } from '../src/chain/profile.js';
import { powReward, teamReward } from '../src/chain/rewards.js';
import { TEAM_ACCOUNT } from '../src/devnet/stake/block-rewards.js';
import { LineClient, hex0x, hexBytes, mine, nonceParam, rpc, startTestDevnet, type Message } from './support/devnet.js';

const SERO = 10n ** 18n;
const FIRST_HEIGHT = 940410;

async function smallDevnet(profile: ProfileName, extra: DevnetOptions = {}): Promise<Devnet> {
  return startTestDevnet({ profile, shareDifficulty: 2n, voterOnlineProbability: 1, voteLatencyMs: [10, 80], ...extra });
}

async function login(devnet: Devnet, name: string): Promise<LineClient> {
  const client = await LineClient.connect(devnet.endpoints.stratum);
  const reply = await client.request({ id: 1, method: 'sero_submitLogin', params: [name, 'x'], worker: 'rig1', extensions: [VOTES_EXTENSION] });
  assert.equal(reply.result, true);
  assert.deepEqual(reply.extensions, [VOTES_EXTENSION]);
  return client;
}

/** Takes the stratum job and mines a solution that also meets the node's block boundary. */
async function mineBlock(devnet: Devnet, client: LineClient): Promise<{ job: string[]; solution: ReturnType<typeof mine> }> {
  const job = (await client.request({ id: 5, method: 'sero_getWork', params: [] })).result as string[];
  const [header, , shareTarget, height] = job as [string, string, string, string];
  const nodeWork = (await rpc(devnet.endpoints.rpc, 'sero_getWork')) as string[];
  assert.equal(nodeWork[0], header, 'pool and node hand out the same header');
  assert.ok(BigInt(shareTarget) >= BigInt(nodeWork[2]!), 'the share target is never harder than the block boundary');
  return { job, solution: mine(hexBytes(header), Number(height), BigInt(nodeWork[2]!)) };
}

const notice = (method: string) => (m: Message) => m.method === method;

for (const profile of ['seed', 'mainnet'] as const) {
  test(`${profile}: a stratum session mines a block, sees its votes and the confirmation, rewards are exact`, async () => {
    const devnet = await smallDevnet(profile);
    const client = await login(devnet, `miner-${profile}`);
    try {
      const { job, solution } = await mineBlock(devnet, client);
      const [header, seed, shareTarget, height] = job as [string, string, string, string];
      assert.equal(height, String(FIRST_HEIGHT));
      assert.equal(seed, hex0x(seedHash(31)));
      assert.equal(BigInt(shareTarget), (1n << 256n) / 2n, 'share difficulty 2');

      const submitted = await client.request({ id: 40, method: 'sero_submitWork', params: [nonceParam(solution.nonce), header, hex0x(solution.mixDigest)], worker: 'rig1' });
      assert.equal(submitted.result, true);

      const votes: Message[] = [];
      for (let i = 1; i <= 3; i++) votes.push(await client.next(notice('sero_blockVote')));
      assert.deepEqual(votes.map((v) => (v.params as Message).votes), [1, 2, 3]);
      for (const vote of votes) {
        const params = vote.params as Message;
        assert.equal(params.nonce, nonceParam(solution.nonce));
        assert.equal(params.headerHash, header);
        assert.equal(params.height, FIRST_HEIGHT);
      }
      const outcome = (await client.next(notice('sero_blockOutcome'))).params as Message;
      assert.equal(outcome.status, 'confirmed');
      assert.equal(outcome.votes, 3);

      // The new head is that block, and the next job is for the next height.
      assert.equal(await rpc(devnet.endpoints.rpc, 'sero_blockNumber'), `0x${FIRST_HEIGHT.toString(16)}`);
      const block = await rpc(devnet.endpoints.rpc, 'sero_getBlockByNumber', ['latest', false]);
      assert.equal(block.hash, outcome.blockHash);
      assert.equal(block.nonce, nonceParam(solution.nonce));
      assert.equal(block.mixHash, hex0x(solution.mixDigest));
      assert.equal(block.hashPow, header);
      assert.equal(block.currentVotes.length, 3);
      const push = await client.next((m) => m.id === 0 && Array.isArray(m.result) && (m.result as string[])[3] === String(FIRST_HEIGHT + 1));
      assert.notEqual((push.result as string[])[0], header);

      const ledger = devnet.node.state.stake.ledger;
      const credited = (reason: string, account?: string) =>
        ledger.entries({ type: 'credit', height: FIRST_HEIGHT, reason, ...(account ? { account } : {}) }).reduce((sum, e) => sum + e.amount, 0n);
      const minted = ledger.entries({ type: 'mint', height: FIRST_HEIGHT }).reduce((sum, e) => sum + e.amount, 0n);
      if (profile === 'seed') {
        const reward = (devnet.node.state.stake.profile as SeedProfile).blockReward;
        assert.equal(reward, 72n * SERO);
        assert.equal(credited('miner', `miner-${profile}`), 45n * SERO, '5/8 R to the finder');
        assert.equal(credited('voter'), 3n * 6n * SERO, '2/8 R over the three voters');
        const poolVotes = (block.currentVotes as { IsPool: boolean }[]).filter((v) => v.IsPool).length;
        const burned = ledger.entries({ type: 'burn', height: FIRST_HEIGHT }).reduce((sum, e) => sum + e.amount, 0n);
        assert.equal(credited('node'), BigInt(poolVotes) * 3n * SERO, '1/24 R to the StakingNode of each pool vote');
        assert.equal(burned, BigInt(3 - poolVotes) * 3n * SERO, 'the node part of a solo vote is burned');
        assert.equal(minted, reward);
        assert.equal((await rpc(devnet.endpoints.rpc, 'sero_getBlockRewardByNumber', [block.number]))[0], `0x${(45n * SERO).toString(16)}`);
      } else {
        const mainnet = devnet.node.state.stake.profile as MainnetProfile;
        const pow = powReward(mainnet, FIRST_HEIGHT, BigInt(block.difficulty));
        assert.equal(credited('miner', `miner-${profile}`), pow, 'the PoW formula of stake-mainnet.md 5.2');
        assert.equal(credited('team', TEAM_ACCOUNT), teamReward(FIRST_HEIGHT));
        assert.equal(minted, pow + teamReward(FIRST_HEIGHT), 'vote rewards are minted with the next block');
        assert.equal((await rpc(devnet.endpoints.rpc, 'sero_getBlockRewardByNumber', [block.number]))[0], `0x${pow.toString(16)}`);
      }
      const totals = ledger.totals();
      assert.equal(totals.minted, totals.credited + totals.burned);
      ledger.verifyBalance();
    } finally {
      client.close();
      await devnet.close();
    }
  });
}

test('a solution with a wrong mix digest is rejected and opens no lottery', async () => {
  const devnet = await smallDevnet('seed');
  const client = await login(devnet, 'miner-bad');
  try {
    const { job, solution } = await mineBlock(devnet, client);
    const wrongMix = Uint8Array.from(solution.mixDigest);
    wrongMix[0] ^= 1;
    const reply = await client.request({ id: 41, method: 'sero_submitWork', params: [nonceParam(solution.nonce), job[0], hex0x(wrongMix)] });
    assert.equal(reply.result, false);
    assert.deepEqual(await rpc(devnet.endpoints.rpc, 'devnet_pendingBlocks'), []);
    assert.equal(await rpc(devnet.endpoints.rpc, 'sero_blockNumber'), `0x${(FIRST_HEIGHT - 1).toString(16)}`);
    // The correct mix for the same nonce is still accepted afterwards (no duplicate left behind).
    const good = await client.request({ id: 42, method: 'sero_submitWork', params: [nonceParam(solution.nonce), job[0], hex0x(solution.mixDigest)] });
    assert.equal(good.result, true);
  } finally {
    client.close();
    await devnet.close();
  }
});

test('a block whose voters are all offline is orphaned when the window passes, crediting nothing', async () => {
  const devnet = await smallDevnet('seed', { voterOnlineProbability: 0, voteWindowMs: 600 });
  const client = await login(devnet, 'miner-unlucky');
  try {
    const { job, solution } = await mineBlock(devnet, client);
    const started = Date.now();
    const reply = await client.request({ id: 40, method: 'sero_submitWork', params: [nonceParam(solution.nonce), job[0], hex0x(solution.mixDigest)] });
    assert.equal(reply.result, true);
    const outcome = (await client.next(notice('sero_blockOutcome'))).params as Message;
    assert.equal(outcome.status, 'orphaned');
    assert.equal(outcome.votes, 0);
    assert.match(String(outcome.reason), /window/);
    assert.ok(Date.now() - started >= 600, 'not before the vote window passed');
    assert.equal(client.backlog().filter(notice('sero_blockVote')).length, 0);
    assert.equal(await rpc(devnet.endpoints.rpc, 'sero_blockNumber'), `0x${(FIRST_HEIGHT - 1).toString(16)}`);
    const account = await rpc(devnet.endpoints.rpc, 'devnet_account', ['miner-unlucky']);
    assert.equal(account.credited, '0x0');
    assert.equal(devnet.node.state.stake.ledger.entries({ height: FIRST_HEIGHT }).length, 0);
  } finally {
    client.close();
    await devnet.close();
  }
});
