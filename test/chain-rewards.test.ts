import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { createProfile, type MainnetProfile, type SeedProfile } from '../src/chain/profile.js';
import {
  forfeitsNodePart,
  halvingDivisor,
  lateVoteReward,
  poolVoteFee,
  powCredit,
  powReward,
  remedyBonus,
  seedBlockMint,
  seedRewardSplit,
  teamReward,
  voteReward,
} from '../src/chain/rewards.js';

const mainnet = createProfile('mainnet', { timeScale: 'real' }) as MainnetProfile;

test('VoteReward vectors (stake-mainnet.md 8)', () => {
  const cases: [number, number, bigint, bigint, bigint][] = [
    [20000, 1300001, 1n, 3009271506956689999n, 4012362009275586666n],
    [20000, 2764851, 2n, 1504635753478344999n, 2006181004637793333n],
    [20000, 3057600, 4n, 752317876739172499n, 1003090502318896666n],
    [326592, 3057600, 4n, 2224999999999991256n, 2966666666666655008n],
    [326593, 3057600, 4n, 2224999999999999999n, 2966666666666666666n],
    [100000, 11352000, 8n, 568294691847931249n, 757726255797241666n],
  ];
  for (const [size, height, halve, solo, total] of cases) {
    assert.equal(halvingDivisor(mainnet, height), halve, `Halve(${height})`);
    assert.deepEqual(voteReward(mainnet, height, size), { total, solo }, `size ${size}, n ${height}`);
  }
});

test('PoW reward vectors (stake-mainnet.md 8)', () => {
  assert.equal(powReward(mainnet, 1300001, 10n ** 9n), 17_600_000_000_000_000_000n);
  assert.equal(powReward(mainnet, 2764851, 10n ** 10n), 8_800_000_000_000_000_000n);
  assert.equal(powReward(mainnet, 3057600, 2n * 10n ** 10n), 4_400_000_000_000_000_000n);
  // Above the clamp: 35.6 SERO before halving.
  assert.equal(powReward(mainnet, 1300001, 10n ** 15n), sero('35.6'));
});

test('late votes earn x − ⌊x/3⌋; the team accrues 8.9 SERO / 2^k', () => {
  assert.deepEqual(lateVoteReward({ total: 10n, solo: 7n }), { total: 7n, solo: 5n });
  assert.equal(teamReward(1300001), sero('8.9'));
  assert.equal(teamReward(3057600), sero('4.45'));
});

test('seed splits R = 72 SERO as 45 to the miner, 6 per voter, 3 per node', () => {
  const seed = createProfile('seed') as SeedProfile;
  assert.deepEqual(seedRewardSplit(seed), { miner: sero(45), voterPerVote: sero(6), nodePerVote: sero(3) });
  const custom = createProfile('seed', { blockReward: 24n }) as SeedProfile;
  assert.deepEqual(seedRewardSplit(custom), { miner: 15n, voterPerVote: 2n, nodePerVote: 1n });
  assert.throws(() => createProfile('seed', { blockReward: sero(72) + 1n }), /multiple of 24/);
});

test('the PoW credit: seed 5/8 R at any height; mainnet the PoW reward, unknown without the difficulty', () => {
  const seed = createProfile('seed');
  assert.equal(powCredit(seed, 940_410), sero(45));
  assert.equal(powCredit(seed, 3_057_600, 10n ** 15n), sero(45));
  assert.equal(powCredit(mainnet, 1300001, 10n ** 9n), 17_600_000_000_000_000_000n);
  assert.equal(powCredit(mainnet, 3057600, 2n * 10n ** 10n), 4_400_000_000_000_000_000n);
  assert.equal(powCredit(mainnet, 1300001), undefined);
});

test('seed mints R less the parts of votes not cast; a node missing over 20 % of its selections forfeits its part', () => {
  const seed = createProfile('seed') as SeedProfile;
  assert.deepEqual([3, 2, 1, 0].map((votes) => seedBlockMint(seed, votes)), [sero(72), sero(63), sero(54), sero(45)]);
  assert.equal(forfeitsNodePart(seed, { missed: 2, selected: 10 }), false);
  assert.equal(forfeitsNodePart(seed, { missed: 3, selected: 10 }), true);
  assert.equal(forfeitsNodePart(seed, { missed: 0, selected: 0 }), false);
});

test('mainnet: a pool vote pays its node fee/10000 of T; a late vote earns its carrier a third', () => {
  const reward = { total: 3_000n, solo: 2_250n };
  assert.equal(poolVoteFee(reward, 2_500), 750n);
  assert.equal(poolVoteFee(reward, 0), 0n);
  assert.equal(remedyBonus(reward, true), 1_000n);
  assert.equal(remedyBonus(reward, false), 750n);
});
