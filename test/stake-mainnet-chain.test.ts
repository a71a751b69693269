import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { TEAM_ACCOUNT } from '../src/devnet/stake/block-rewards.js';
import { StakeChain } from '../src/devnet/stake/stake-chain.js';
import { keccak256Hex } from '../src/devnet/stake/hashes.js';
import type { Hex } from '../src/util/hex.js';
import { nodeIdOf } from '../src/devnet/stake/ids.js';
import type { Lottery } from '../src/devnet/stake/lottery.js';
import { SERO_TICKET_PRICING, costOfTickets, ticketPrice } from '../src/chain/ticket-pricing.js';
import { createProfile, type ProfileOptions } from '../src/chain/profile.js';
import { StakeRuleError, type StakeTx, type Vote } from '../src/devnet/stake/types.js';
import { voteKeyFromSecret, type VoteKeyPair } from '../src/devnet/stake/vote-keys.js';
import { signVote } from '../src/devnet/stake/votes.js';

const key = (n: number): VoteKeyPair => voteKeyFromSecret(new Uint8Array(32).fill(n));
const keys = { sol: key(11), del: key(12), operator: key(19) };
const NODE = nodeIdOf('operator');
const pos = (label: string): Hex => keccak256Hex(label);
const cost = (tickets: number, outstanding: number): bigint =>
  costOfTickets(SERO_TICKET_PRICING, BigInt(tickets), ticketPrice(SERO_TICKET_PRICING, outstanding));

/** T and solo per stake-mainnet.md 5.1 before any halving (devnet heights are far below 3,057,600). */
const rewardAt = (treeSize: bigint) => {
  const total = (10_500_000_000_000_000_000n + 76_854_301_391_338n * treeSize) / 3n;
  return { total, solo: (total * 3n) / 4n };
};

function signAll(chain: StakeChain, lottery: Lottery): Vote[] {
  return lottery.tickets.map((ticket) => {
    const share = chain.getShare(ticket.shareId)!;
    const isPool = share.nodeId !== null;
    const secret = isPool ? keys.operator.secret : keys.sol.secret;
    const unsigned = { height: lottery.height, posHash: lottery.posHash, ticketIndex: ticket.ticketIndex, shareId: ticket.shareId, isPool };
    return signVote(secret, unsigned, lottery.parentPosHash);
  });
}

interface BlockExtras {
  parentVotes?: Vote[];
  transactions?: StakeTx[];
  miner?: string;
}

function apply(chain: StakeChain, label: string, voteCount = 3, extra: BlockExtras = {}) {
  const lottery = chain.openLottery(pos(label));
  const votes = signAll(chain, lottery).slice(0, voteCount);
  const result = chain.applyBlock({ height: lottery.height, posHash: lottery.posHash, miner: extra.miner ?? 'miner', votes, ...extra });
  return { lottery, votes, result };
}

/** Block 1000: node (fee 25 %), sol 30 solo tickets, del 30 tickets delegated: 60 in the tree at 1001. */
function fundedChain(options: ProfileOptions = {}, start = 1000): StakeChain {
  const chain = StakeChain.create(createProfile('mainnet', options), { startHeight: start, parentPosHash: pos('genesis') });
  const result = chain.applyBlock({
    height: start,
    posHash: pos(`b${start}`),
    miner: 'miner',
    transactions: [
      { type: 'register-node', from: 'operator', value: sero(200_000), voteKey: keys.operator.publicKey, feeRate: 2500 },
      { type: 'buy-share', from: 'sol', value: cost(30, 0), voteKey: keys.sol.publicKey },
      { type: 'buy-share', from: 'del', value: cost(30, 30), voteKey: keys.del.publicKey, nodeId: NODE },
    ],
  });
  assert.deepEqual(result.txResults.map((r) => r.ok), [true, true, true]);
  assert.equal(chain.ticketCount, 60);
  return chain;
}

test('mainnet mints the PoW reward and the team accrual per block, independent of votes', () => {
  const chain = fundedChain();
  const mints = chain.ledger.entries({ type: 'mint', height: 1000 });
  assert.deepEqual(mints.map((m) => [m.reason, m.amount]), [['pow', sero('17.6')], ['team', sero('8.9')]]);
  assert.equal(chain.ledger.accountSummary(TEAM_ACCOUNT).credited, sero('8.9'));
  const big = StakeChain.create(createProfile('mainnet'), { startHeight: 1000 });
  big.applyBlock({ height: 1000, posHash: pos('x'), miner: 'm', difficulty: 10n ** 15n });
  assert.equal(big.ledger.entries({ type: 'mint', reason: 'pow' })[0]!.amount, sero('35.6'));
});

test('votes are rewarded at the next height at T for the tree size after removal, fee split for pool votes', () => {
  const chain = fundedChain();
  const { lottery } = apply(chain, 'b1001');
  assert.equal(chain.ticketCount, 57);
  const { total, solo } = rewardAt(57n);
  const mints = chain.ledger.entries({ type: 'mint', height: 1002, reason: 'vote' });
  assert.equal(mints.length, 3);
  for (const ticket of lottery.tickets) {
    const share = chain.getShare(ticket.shareId)!;
    const credits = chain.ledger.entries({ type: 'credit', height: 1002, holderId: share.id });
    assert.ok(credits.length > 0);
    if (share.nodeId) {
      assert.equal(credits[0]!.amount, total - (total * 2500n) / 10_000n);
    } else {
      assert.equal(credits[0]!.amount, solo);
    }
  }
  const pool = lottery.tickets.filter((t) => t.nodeId !== null).length;
  assert.equal(chain.getNode(NODE)!.profit, ((total * 2500n) / 10_000n) * BigInt(pool));
  assert.equal(mints.reduce((sum, m) => sum + m.amount, 0n), total * BigInt(pool) + solo * BigInt(3 - pool));
  chain.ledger.verifyBalance();
});

test('NeedTwoVote: at least 2 current votes; the third can arrive as a late vote at 2/3 rate with a bonus for the carrier', () => {
  const chain = fundedChain();
  assert.equal(chain.votesRequired(), true);
  const lottery1001 = chain.openLottery(pos('b1001'));
  const all1001 = signAll(chain, lottery1001);
  const oneVote = { height: 1001, posHash: lottery1001.posHash, miner: 'm', votes: all1001.slice(0, 1) };
  assert.throws(() => chain.applyBlock(oneVote), StakeRuleError);
  chain.applyBlock({ height: 1001, posHash: lottery1001.posHash, miner: 'm1001', votes: all1001.slice(0, 2) });
  const late = all1001[2]!;
  assert.deepEqual(chain.verifyVote(late), { ok: true });
  assert.equal(chain.verifyVote(all1001[0]!).ok, false, 'already in the parent block');
  apply(chain, 'b1002', 3, { parentVotes: [late], miner: 'm1002' });
  // Prepared for 1003: 1001's and 1002's tickets are gone, no purchases since: 54 tickets.
  assert.equal(chain.ticketCount, 54);
  const reward = rewardAt(54n);
  const lateRate = late.isPool ? reward.total - reward.total / 3n : reward.solo - reward.solo / 3n;
  const [lateMint] = chain.ledger.entries({ type: 'mint', reason: 'late-vote' });
  assert.deepEqual([lateMint!.height, lateMint!.block, lateMint!.amount], [1003, 1001, lateRate]);
  const [remedy] = chain.ledger.entries({ type: 'credit', reason: 'remedy' });
  assert.deepEqual([remedy!.account, remedy!.amount], ['m1002', (late.isPool ? reward.total : reward.solo) / 3n]);
  const share = chain.getShare(late.shareId)!;
  assert.equal(share.owedVotes, 0);
  chain.ledger.verifyBalance();
});

test('a selected ticket never voted is written off after missVotedWindow; unselected ones expire earlier', () => {
  const chain = fundedChain({ windows: { outOfDate: 20, missVoted: 25 } });
  const { lottery } = apply(chain, 'b1001', 2);
  const missedShare = lottery.tickets[2]!.shareId;
  assert.equal(chain.getShare(missedShare)!.owedVotes >= 1, true);
  for (let height = 1002; height < 1019; height++) apply(chain, `b${height}`);
  // Applying 1019 prepares 1020 = purchase 1000 + outOfDate 20: its 3 drawn tickets leave, the rest expire.
  const leftBeforeExpiry = chain.ticketCount - 3;
  apply(chain, 'b1019');
  const expired = ['sol', 'del'].map((owner) => chain.sharesOf(owner)[0]!);
  assert.equal(expired[0]!.expiredTickets + expired[1]!.expiredTickets, leftBeforeExpiry);
  const expiryRefunds = chain.ledger.entries({ type: 'refund', reason: 'ticket-expired' });
  assert.deepEqual(
    expiryRefunds.map((r) => [r.height, r.amount]),
    expired.filter((share) => share.expiredTickets > 0).map((share) => [1020, share.price * BigInt(share.expiredTickets)]),
  );
  assert.equal(chain.ticketCount, 0);
  for (let height = 1020; height < 1025; height++) apply(chain, `b${height}`, 0);
  // Prepared for 1025 = purchase 1000 + missVoted 25.
  const writeOffs = chain.ledger.entries({ type: 'refund', reason: 'vote-written-off' });
  assert.equal(writeOffs.length, 1);
  const share = chain.getShare(missedShare)!;
  assert.deepEqual([writeOffs[0]!.height, writeOffs[0]!.amount], [1025, share.price]);
  assert.equal(share.status, 'finished');
  // All principal is accounted for: refunded (voted, expired, written off) equals what was charged.
  const refunded = chain.ledger.entries({ type: 'refund' }).filter((r) => r.reason !== 'pledge').reduce((s, r) => s + r.amount, 0n);
  const charged = chain.ledger.entries({ type: 'lock', reason: 'ticket-purchase' }).reduce((s, r) => s + r.amount, 0n);
  assert.equal(refunded, charged);
});

/** Starts at height 0 with 60 solo tickets; blocks up to 10 need no votes (N ≤ SIP4 + W). */
function missChain(votesPerBlock: number[]): StakeChain {
  const chain = StakeChain.create(createProfile('mainnet'), { startHeight: 0 });
  chain.applyBlock({
    height: 0,
    posHash: pos('m0'),
    miner: 'm',
    transactions: [{ type: 'buy-share', from: 'sol', value: cost(60, 0), voteKey: keys.sol.publicKey }],
  });
  for (let h = 1; h <= 10; h++) {
    assert.equal(chain.votesRequired(), false);
    apply(chain, `m${h}`, votesPerBlock[h - 1]!);
  }
  return chain;
}

test('NeedTwoVote switches off above 20 % missed votes in the statistics window (dev: 7 of 30)', () => {
  const six = missChain([0, 0, 3, 3, 3, 3, 3, 3, 3, 3]);
  assert.equal(six.votesRequired(), true);
  assert.throws(() => apply(six, 'm11', 1), /needs 2/);
  const seven = missChain([0, 0, 2, 3, 3, 3, 3, 3, 3, 3]);
  assert.equal(seven.votesRequired(), false);
  assert.equal(seven.openLottery(pos('m11')).requiredVotes, 0);
  apply(seven, 'm11', 0);
});

test('mainnet StakingNodes close only after lockingWindow; an empty node gets its pledge back at once', () => {
  const chain = StakeChain.create(createProfile('mainnet'), { startHeight: 1000 });
  const register: StakeTx = {
    type: 'register-node',
    from: 'operator',
    value: sero(200_000),
    voteKey: keys.operator.publicKey,
    feeRate: 2500,
  };
  const close: StakeTx = { type: 'close-node', from: 'operator' };
  chain.applyBlock({ height: 1000, posHash: pos('c1000'), miner: 'm', transactions: [register] });
  const early = chain.applyBlock({ height: 1001, posHash: pos('c1001'), miner: 'm', transactions: [close] });
  assert.match(early.txResults[0]!.ok === false ? early.txResults[0]!.error : '', /from height 1010/);
  for (let h = 1002; h < 1010; h++) chain.applyBlock({ height: h, posHash: pos(`c${h}`), miner: 'm' });
  const closed = chain.applyBlock({ height: 1010, posHash: pos('c1010'), miner: 'm', transactions: [close] });
  assert.equal(closed.txResults[0]!.ok && closed.txResults[0]!.type === 'close-node' && closed.txResults[0]!.pledgeReturned, true);
  assert.equal(chain.ledger.accountSummary('operator').walletDelta, 0n);
  const reopen = chain.applyBlock({ height: 1011, posHash: pos('c1011'), miner: 'm', transactions: [register] });
  assert.equal(reopen.txResults[0]!.ok, false);
});

test('re-registering changes fee and vote key; shares keep the fee they bought at', () => {
  const chain = fundedChain();
  const modify: StakeTx = { type: 'register-node', from: 'operator', value: 0n, voteKey: keys.del.publicKey, feeRate: 7500 };
  const result = apply(chain, 'b1001', 3, { transactions: [modify] }).result;
  const { txHash } = result.txResults[0]!;
  assert.deepEqual(result.txResults[0], { ok: true, type: 'register-node', txHash, nodeId: NODE, created: false, change: 0n });
  assert.equal(chain.getNode(NODE)!.feeRate, 7500);
  assert.equal(chain.sharesOf('del')[0]!.feeRate, 2500);
  assert.equal(chain.policyError({ ...modify, feeRate: 2499 }), 'fee rate must be within 2500..7500 (per 10000)');
  assert.equal(chain.policyError({ type: 'buy-share', from: 'x', value: 1n }), 'a vote key is required');
});
