import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { isConfirmed, lotteryStatus, requiredVotes, voteWindowMs } from '../src/chain/confirmation.js';
import { createProfile, profileFromJson, profileToJson } from '../src/chain/profile.js';
import { describeProfile } from '../src/chain/profile-summary.js';

const seed = createProfile('seed');
const mainnet = createProfile('mainnet');

test('votes needed: seed all 3, mainnet 2 while NeedTwoVote holds, nothing without a draw', () => {
  assert.equal(requiredVotes(seed), 3);
  assert.equal(requiredVotes(mainnet), 2);
  assert.equal(requiredVotes(mainnet, { votesRequired: false }), 0);
  assert.equal(requiredVotes(seed, { votesRequired: false }), 3, 'NeedTwoVote is a mainnet rule');
  assert.equal(requiredVotes(seed, { selectionDrawn: false }), 0);
  assert.deepEqual([0, 1, 2, 3].map((votes) => isConfirmed(seed, votes)), [false, false, false, true]);
  assert.deepEqual([0, 1, 2, 3].map((votes) => isConfirmed(mainnet, votes)), [false, false, true, true]);
  assert.equal(isConfirmed(mainnet, 0, { votesRequired: false }), true);
});

test('vote window: 5 minutes by default, configurable', () => {
  assert.equal(voteWindowMs(seed), 300_000);
  assert.equal(voteWindowMs(createProfile('seed', { voteWindowMs: 20_000 })), 20_000);
});

test('vote window: mainnet waits 5 minutes as go-sero does, on either time scale', () => {
  assert.equal(voteWindowMs(mainnet), 300_000);
  assert.equal(voteWindowMs(createProfile('mainnet', { timeScale: 'real' })), 300_000);
  assert.equal(voteWindowMs(createProfile('seed', { timeScale: 'real' })), 300_000);
});

test('seed: a found block is confirmed with its third vote and orphaned once the window passes', () => {
  const at = (votesReceived: number, elapsedMs: number, headMoved = false) => lotteryStatus(seed, { votesReceived, elapsedMs, headMoved });
  assert.equal(at(2, 299_999), 'pending');
  assert.equal(at(2, 300_000), 'pending');
  assert.equal(at(2, 300_001), 'orphaned');
  assert.equal(at(3, 10), 'confirmed');
  assert.equal(at(3, 10, true), 'orphaned', 'another block took the height');
  assert.equal(lotteryStatus(seed, { votesReceived: 0, elapsedMs: 0, selectionDrawn: false }), 'confirmed');
});

test('mainnet producer: waits for all 3 when votes are required, else publishes after ~1 s', () => {
  assert.equal(lotteryStatus(mainnet, { votesReceived: 2, elapsedMs: 299_000 }), 'pending');
  assert.equal(lotteryStatus(mainnet, { votesReceived: 2, elapsedMs: 300_001 }), 'orphaned');
  assert.equal(lotteryStatus(mainnet, { votesReceived: 3, elapsedMs: 5 }), 'confirmed');
  assert.equal(lotteryStatus(mainnet, { votesReceived: 1, elapsedMs: 999, votesRequired: false }), 'pending');
  assert.equal(lotteryStatus(mainnet, { votesReceived: 1, elapsedMs: 1_000, votesRequired: false }), 'confirmed');
});

test('profiles differ only where chain-profiles.md says', () => {
  assert.deepEqual(seed.windows, { outOfDate: 100, missVoted: 105, pay: 5, locking: 10, statistics: 10 });
  assert.deepEqual(seed.windows, mainnet.windows);
  assert.equal(seed.pledge, sero(200_000));
  assert.equal(mainnet.pledge, sero(200_000));
  assert.deepEqual(seed.pricing, mainnet.pricing);
  assert.equal(seed.name === 'seed' && seed.blockReward, sero(72));
  const real = createProfile('mainnet', { timeScale: 'real' });
  assert.deepEqual(real.windows, { outOfDate: 198_720, missVoted: 596_160, pay: 42_336, locking: 198_720, statistics: 6_048 });
  assert.equal(real.name === 'mainnet' && real.minPoolTicketsForVotes, 20_000);
  assert.throws(() => createProfile('mainnet', { blockReward: sero(72) }), /seed-only/);
  assert.throws(() => createProfile('seed', { windows: { pay: 0 } }), RangeError);
  assert.throws(() => createProfile('seed', { windows: { outOfDate: 200 } }), /missVoted/);
});

test('profiles round-trip through JSON and describe their values', () => {
  const custom = createProfile('seed', { blockReward: sero(48), windows: { pay: 7 }, voteWindowMs: 30_000 });
  const json = JSON.parse(JSON.stringify(profileToJson(custom)));
  assert.deepEqual(profileFromJson(json), custom);
  const described = describeProfile(custom);
  assert.equal(described.minerPartSero, '30');
  assert.equal(described.voterPartPerVoteSero, '4');
  assert.equal(described.nodePartPerVoteSero, '2');
  assert.equal(described.payWindow, 7);
  assert.equal(describeProfile(mainnet).votesNeeded, '2 of 3 while NeedTwoVote holds, else 0');
});
