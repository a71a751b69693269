import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { StakeChain } from '../src/devnet/stake/stake-chain.js';
import { keccak256Hex } from '../src/devnet/stake/hashes.js';
import type { Hex } from '../src/util/hex.js';
import { nodeIdOf } from '../src/devnet/stake/ids.js';
import type { Lottery } from '../src/devnet/stake/lottery.js';
import { SERO_TICKET_PRICING, costOfTickets, ticketPrice } from '../src/chain/ticket-pricing.js';
import { drawTicketIndices } from '../src/devnet/stake/prng.js';
import { createProfile, type ProfileOptions } from '../src/chain/profile.js';
import { StakeRuleError, type Vote } from '../src/devnet/stake/types.js';
import { voteKeyFromSecret, type VoteKeyPair } from '../src/devnet/stake/vote-keys.js';
import { signVote } from '../src/devnet/stake/votes.js';

// stake-mainnet.md section 8: HashPos of keccak256("mix") with nonce 1; draw3 on 10 tickets → [1, 3, 8].
const HASH_POS = '0xab2094f2f8c2e4cd221760173a1853356897134dd172efd301b8db86863ea367';
const START = 100;
const key = (n: number): VoteKeyPair => voteKeyFromSecret(new Uint8Array(32).fill(n));
const keys = { alice: key(1), bob: key(2), carol: key(3), operator: key(9) };
const NODE = nodeIdOf('operator');
const posHashFor = (label: string): Hex => keccak256Hex(label);
const cost = (tickets: number, outstanding: number): bigint =>
  costOfTickets(SERO_TICKET_PRICING, BigInt(tickets), ticketPrice(SERO_TICKET_PRICING, outstanding));

function newChain(options: ProfileOptions = {}): StakeChain {
  return StakeChain.create(createProfile('seed', options), { startHeight: START, parentPosHash: posHashFor('genesis') });
}

/** Signs every drawn ticket: the node for delegated shares, the owner's key otherwise. */
function allVotes(chain: StakeChain, lottery: Lottery, skipNode = false): Vote[] {
  const secretOf = new Map(Object.values(keys).map((pair) => [pair.publicKey, pair.secret]));
  return lottery.tickets.flatMap((ticket) => {
    const share = chain.getShare(ticket.shareId)!;
    const isPool = share.nodeId !== null;
    if (isPool && skipNode) return [];
    const secret = isPool ? keys.operator.secret : secretOf.get(share.voteKey!)!;
    const unsigned = { height: lottery.height, posHash: lottery.posHash, ticketIndex: ticket.ticketIndex, shareId: ticket.shareId, isPool };
    return [signVote(secret, unsigned, lottery.parentPosHash)];
  });
}

function confirmNext(chain: StakeChain, label: string) {
  const lottery = chain.openLottery(posHashFor(label));
  return chain.applyBlock({ height: lottery.height, posHash: lottery.posHash, miner: 'miner', votes: allVotes(chain, lottery) });
}

/** Block 100: a node, alice 5 solo tickets, bob 3 delegated, carol 2 solo: 10 tickets in the tree from 101. */
function chainWithTenTickets(options: ProfileOptions = {}): StakeChain {
  const chain = newChain(options);
  const result = chain.applyBlock({
    height: START,
    posHash: posHashFor('block 100'),
    miner: 'miner',
    transactions: [
      { type: 'register-node', from: 'operator', value: sero(200_000), voteKey: keys.operator.publicKey, feeRate: 0 },
      { type: 'buy-share', from: 'alice', value: cost(5, 0), voteKey: keys.alice.publicKey },
      { type: 'buy-share', from: 'bob', value: cost(3, 5), nodeId: NODE },
      { type: 'buy-share', from: 'carol', value: cost(2, 8), voteKey: keys.carol.publicKey },
    ],
  });
  assert.deepEqual(
    result.txResults.map((r) => r.ok && r.type === 'buy-share' && r.tickets),
    [false, 5, 3, 2],
  );
  return chain;
}

test('a block with nothing to draw is confirmed without votes and mints only the miner part', () => {
  const chain = chainWithTenTickets();
  assert.equal(chain.ticketCount, 10);
  const mints = chain.ledger.entries({ type: 'mint', height: START });
  assert.deepEqual(mints.map((m) => m.amount), [sero(45)]);
  assert.equal(chain.ledger.accountSummary('miner').walletDelta, sero(45));
});

test('the lottery draws tickets exactly as stake-mainnet.md section 2 (vector size 10 → [1, 3, 8])', () => {
  const chain = chainWithTenTickets();
  const lottery = chain.openLottery(HASH_POS);
  assert.equal(lottery.height, START + 1);
  assert.equal(lottery.parentPosHash, posHashFor('block 100'));
  assert.deepEqual(drawTicketIndices(10, HASH_POS), [1, 3, 8]);
  // Independent model: shares in ascending id order, each covering `tickets` consecutive indices.
  const shares = ['alice', 'bob', 'carol'].map((owner) => chain.sharesOf(owner)[0]!).sort((x, y) => (x.id < y.id ? -1 : 1));
  const owners: string[] = shares.flatMap((share) => Array<string>(share.initialTickets).fill(share.id));
  assert.deepEqual(
    lottery.tickets.map((t) => [t.ticketIndex, t.shareId]),
    [1, 3, 8].map((i) => [i, owners[i]]),
  );
  assert.equal(lottery.requiredVotes, 3);
});

test('seed pays 45 to the miner, 6 per vote to owners, 3 per vote to the node or burns it', () => {
  const chain = chainWithTenTickets();
  const lottery = chain.openLottery(HASH_POS);
  const votes = allVotes(chain, lottery);
  const result = chain.applyBlock({ height: START + 1, posHash: HASH_POS, miner: 'miner', votes });
  const minted = result.entries.filter((e) => e.height === START + 1 && (e.type === 'mint' || e.type === 'credit' || e.type === 'burn'));
  const [mint, ...rest] = minted;
  assert.equal(mint!.type === 'mint' && mint!.amount, sero(72));
  const poolVotes = votes.filter((v) => v.isPool).length;
  const sum = (pick: (e: (typeof rest)[number]) => boolean) => rest.filter(pick).reduce((s, e) => s + e.amount, 0n);
  assert.equal(sum((e) => e.type === 'credit' && e.reason === 'miner'), sero(45));
  assert.equal(sum((e) => e.type === 'credit' && e.reason === 'voter'), sero(18));
  assert.equal(sum((e) => e.type === 'credit' && e.reason === 'node'), sero(3) * BigInt(poolVotes));
  assert.equal(sum((e) => e.type === 'burn' && e.reason === 'solo-vote-node-part'), sero(3) * BigInt(3 - poolVotes));
  for (const vote of votes) {
    const owner = chain.getShare(vote.shareId)!.owner;
    const count = votes.filter((v) => chain.getShare(v.shareId)!.owner === owner).length;
    assert.equal(chain.ledger.accountSummary(owner).credited, sero(6) * BigInt(count), owner);
  }
  const totals = chain.ledger.totals();
  assert.equal(totals.minted, sero(45) + sero(72));
  assert.equal(totals.minted, totals.credited + totals.burned);
  chain.ledger.verifyBalance();
});

test('voted tickets leave the tree at the next height and their principal accrues; settlement pays it', () => {
  const chain = chainWithTenTickets();
  const lottery = chain.openLottery(HASH_POS);
  chain.applyBlock({ height: START + 1, posHash: HASH_POS, miner: 'miner', votes: allVotes(chain, lottery) });
  assert.equal(chain.ticketCount, 7);
  const drawnShare = chain.getShare(lottery.tickets[0]!.shareId)!;
  const timesDrawn = lottery.tickets.filter((t) => t.shareId === drawnShare.id).length;
  assert.equal(drawnShare.liveTickets, drawnShare.initialTickets - timesDrawn);
  assert.equal(drawnShare.owedVotes, 0);
  assert.equal(drawnShare.income, sero(6) * BigInt(timesDrawn) + drawnShare.price * BigInt(timesDrawn));
  const refunds = chain.ledger.entries({ type: 'refund', height: START + 2, holderId: drawnShare.id });
  assert.deepEqual(refunds.map((r) => r.amount), Array(timesDrawn).fill(drawnShare.price));

  // The purchase at 100 schedules a settlement check at 105 (pay window 5); by then the share has
  // accrued its rewards (101) and refunds (102). Applying block h prepares h + 1.
  for (let h = START + 2; h <= START + 3; h++) confirmNext(chain, `block ${h}`);
  assert.equal(chain.ledger.entries({ type: 'payout', holderId: drawnShare.id }).length, 0);
  const accrued = chain.getShare(drawnShare.id)!.income;
  confirmNext(chain, `block ${START + 4}`);
  const payouts = chain.ledger.entries({ type: 'payout', holderId: drawnShare.id });
  assert.deepEqual(
    payouts.map((p) => [p.height, p.account, p.amount]),
    [[START + 5, drawnShare.owner, accrued]],
  );
  assert.equal(chain.getShare(drawnShare.id)!.income, 0n);
  assert.equal(chain.getShare(drawnShare.id)!.lastPayHeight, START + 5);
  chain.ledger.verifyBalance();
});

test('seed needs all three votes: fewer is rejected and the state is untouched', () => {
  const chain = chainWithTenTickets();
  const lottery = chain.openLottery(HASH_POS);
  const votes = allVotes(chain, lottery);
  const before = JSON.stringify(chain.snapshot());
  assert.throws(() => chain.applyBlock({ height: START + 1, posHash: HASH_POS, miner: 'm', votes: votes.slice(0, 2) }), StakeRuleError);
  const repeated = [votes[0]!, votes[0]!, votes[1]!];
  assert.throws(() => chain.applyBlock({ height: START + 1, posHash: HASH_POS, miner: 'm', votes: repeated }), /same ticket/);
  assert.throws(() => chain.applyBlock({ height: START + 2, posHash: HASH_POS, miner: 'm', votes }), /expected block 101/);
  assert.equal(JSON.stringify(chain.snapshot()), before);
});

test('vote verification: right key, right kind, drawn ticket, this chain', () => {
  const chain = chainWithTenTickets();
  const lottery = chain.openLottery(HASH_POS);
  const [vote] = allVotes(chain, lottery);
  assert.deepEqual(chain.verifyVote(vote!), { ok: true });
  const share = chain.getShare(vote!.shareId)!;
  const unsigned = { height: START + 1, posHash: HASH_POS, ticketIndex: vote!.ticketIndex, shareId: vote!.shareId };
  const otherKey = share.nodeId ? keys.alice : keys.operator;
  assert.equal(chain.verifyVote(signVote(otherKey.secret, { ...unsigned, isPool: vote!.isPool }, lottery.parentPosHash)).ok, false);
  // seed: a delegated share is voted by its node only; a solo share has no node to vote for it.
  const wrongKind = chain.verifyVote(signVote(keys.bob.secret, { ...unsigned, isPool: !vote!.isPool }, lottery.parentPosHash));
  assert.equal(wrongKind.ok, false);
  // Signed over another parent: a vote from another chain.
  const ownSecret = share.nodeId ? keys.operator.secret : [keys.alice, keys.carol].find((k) => k.publicKey === share.voteKey)!.secret;
  assert.deepEqual(chain.verifyVote(signVote(ownSecret, { ...unsigned, isPool: vote!.isPool }, posHashFor('other'))), {
    ok: false,
    reason: 'bad signature',
  });
  const undrawn = [0, 2, 4, 5].find((i) => !lottery.tickets.some((t) => t.ticketIndex === i))!;
  assert.match((chain.verifyVote({ ...vote!, ticketIndex: undrawn }) as { reason: string }).reason, /not drawn/);
  assert.match((chain.verifyVote({ ...vote!, height: START + 5 }) as { reason: string }).reason, /seed has no late votes/);
});

test('unselected tickets expire after outOfDateWindow with their principal refunded, then settle', () => {
  const chain = newChain({ windows: { outOfDate: 20, missVoted: 25 } });
  const price = ticketPrice(SERO_TICKET_PRICING, 0);
  chain.applyBlock({
    height: START,
    posHash: posHashFor('b'),
    miner: 'm',
    transactions: [{ type: 'buy-share', from: 'alice', value: price * 2n + 10n ** 15n, voteKey: keys.alice.publicKey }],
  });
  const share = chain.sharesOf('alice')[0]!;
  assert.equal(share.initialTickets, 2);
  // Two tickets never reach the 3 a draw needs, so blocks confirm without votes.
  // Applying block h prepares h + 1: expiry at 120 runs when block 119 is applied.
  for (let h = START + 1; h < START + 19; h++) confirmNext(chain, `b${h}`);
  assert.equal(chain.ticketCount, 2);
  confirmNext(chain, 'b119');
  assert.equal(chain.ticketCount, 0);
  const expired = chain.getShare(share.id)!;
  assert.equal(expired.status, 'out-of-date');
  assert.equal(expired.expiredTickets, 2);
  const [refund] = chain.ledger.entries({ type: 'refund', reason: 'ticket-expired' });
  assert.equal(refund!.height, START + 20);
  assert.equal(refund!.amount, share.price * 2n);
  for (let h = START + 20; h < START + 25; h++) confirmNext(chain, `b${h}`);
  const [payout] = chain.ledger.entries({ type: 'payout', account: 'alice' });
  assert.equal(payout!.height, START + 25);
  assert.equal(payout!.amount, share.price * 2n);
  assert.equal(chain.ledger.accountSummary('alice').walletDelta, 0n - share.price * 2n + share.price * 2n);
});

test('StakingNode registration needs the exact pledge; the pledge returns after close, empty and lockingWindow', () => {
  const chain = newChain();
  const result = chain.applyBlock({
    height: START,
    posHash: posHashFor('p'),
    miner: 'm',
    transactions: [
      { type: 'register-node', from: 'operator', value: sero(199_999), voteKey: keys.operator.publicKey, feeRate: 0 },
      { type: 'register-node', from: 'operator', value: sero(200_000), voteKey: keys.operator.publicKey, feeRate: 0 },
      { type: 'close-node', from: 'operator' },
    ],
  });
  assert.deepEqual(result.txResults.map((r) => r.ok), [false, true, true]);
  const { txHash } = result.txResults[2]!;
  assert.deepEqual(result.txResults[2], { ok: true, type: 'close-node', txHash, nodeId: NODE, pledgeReturned: false });
  assert.equal(chain.ledger.accountSummary('operator').locked, sero(200_000));
  for (let h = START + 1; h < START + 9; h++) confirmNext(chain, `p${h}`);
  assert.equal(chain.getNode(NODE)!.pledge, sero(200_000));
  confirmNext(chain, 'p109');
  // Prepared for 110 = registration + lockingWindow 10.
  const node = chain.getNode(NODE)!;
  assert.equal(node.pledge, 0n);
  assert.equal(node.pledgeReturnedAt, START + 10);
  assert.equal(node.income, sero(200_000));
  for (let h = START + 10; h < START + 15; h++) confirmNext(chain, `p${h}`);
  const [payout] = chain.ledger.entries({ type: 'payout', account: 'operator' });
  assert.equal(payout!.height, START + 15);
  assert.equal(payout!.amount, sero(200_000));
  assert.equal(chain.ledger.accountSummary('operator').walletDelta, 0n);
});

test('a closed node takes no delegations and keeps its pledge while delegated tickets are outstanding', () => {
  const chain = chainWithTenTickets();
  const closed = chain.applyBlock({
    height: START + 1,
    posHash: HASH_POS,
    miner: 'm',
    votes: allVotes(chain, chain.openLottery(HASH_POS)),
    transactions: [
      { type: 'close-node', from: 'operator' },
      { type: 'buy-share', from: 'dave', value: sero(10), nodeId: NODE },
    ],
  });
  assert.equal(closed.txResults[1]!.ok, false);
  assert.equal(closed.txResults[1]!.ok === false && closed.txResults[1]!.refunded, sero(10));
  const bobShare = () => chain.sharesOf('bob')[0]!;
  let h = START + 2;
  for (; bobShare().liveTickets > 0; h++) {
    assert.equal(chain.getNode(NODE)!.pledge, sero(200_000), `pledge held at ${h} while bob has tickets`);
    confirmNext(chain, `c${h}`);
  }
  const emptyFrom = h;
  for (; h < START + 10; h++) confirmNext(chain, `c${h}`);
  const node = chain.getNode(NODE)!;
  assert.equal(node.liveTickets + node.owedVotes, 0);
  // Returned at the first prepared height that is both empty and ≥ registration + lockingWindow 10.
  assert.equal(node.pledgeReturnedAt, Math.max(emptyFrom, START + 10));
  const [pledgeRefund] = chain.ledger.entries({ type: 'refund', reason: 'pledge' });
  assert.deepEqual([pledgeRefund!.height, pledgeRefund!.amount], [node.pledgeReturnedAt, sero(200_000)]);
});

test('a StakingNode that misses more than 20 % of its selections in the window has its part burned', () => {
  const chain = newChain();
  chain.applyBlock({
    height: START,
    posHash: posHashFor('n'),
    miner: 'm',
    transactions: [
      { type: 'register-node', from: 'operator', value: sero(200_000), voteKey: keys.operator.publicKey, feeRate: 0 },
      { type: 'buy-share', from: 'bob', value: sero(100), nodeId: NODE },
    ],
  });
  // Every ticket is delegated, so every lottery selects the node 3 times.
  const missed = chain.openLottery(posHashFor('missed'));
  chain.recordExpiredLottery(missed.posHash, allVotes(chain, missed, true));
  chain.recordExpiredLottery(missed.posHash, []);
  assert.deepEqual(chain.nodeVoteWindow(NODE, START + 1), { selected: 3, voted: 0, missed: 3 }, 'counted once');
  const nodeParts: string[] = [];
  for (let h = START + 1; h <= START + 4; h++) {
    const result = confirmNext(chain, `n${h}`);
    const parts = result.entries.filter((e) => e.height === h && (e.type === 'burn' || (e.type === 'credit' && e.reason === 'node')));
    assert.equal(parts.length, 3);
    nodeParts.push(parts.map((e) => e.type).join(','));
  }
  // Window tallies (selected, missed): 101 (6, 3) 50 %; 102 (9, 3) 33 %; 103 (12, 3) 25 %; 104 (15, 3) exactly 20 %.
  assert.deepEqual(nodeParts, ['burn,burn,burn', 'burn,burn,burn', 'burn,burn,burn', 'credit,credit,credit']);
  assert.equal(chain.ledger.entries({ type: 'burn', reason: 'node-penalty' }).length, 9);
  assert.equal(chain.getNode(NODE)!.profit, sero(9));
  chain.ledger.verifyBalance();
});
