import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { StakeChain } from '../src/devnet/stake/stake-chain.js';
import { keccak256Hex } from '../src/devnet/stake/hashes.js';
import { Population, type PopulationConfig } from '../src/devnet/stake/population.js';
import { createProfile, type ProfileName } from '../src/chain/profile.js';
import { SeededRandom } from '../src/devnet/stake/random.js';
import { simulateBlocks } from '../src/devnet/stake/simulation.js';

function setUp(name: ProfileName, config: Partial<PopulationConfig> = {}, seed = 'pop') {
  const chain = StakeChain.create(createProfile(name), { startHeight: 500 });
  const population = Population.create(config, SeededRandom.fromSeed(seed));
  chain.applyBlock({ height: 500, posHash: keccak256Hex('open'), miner: 'miner', transactions: population.openingTransactions(chain) });
  return { chain, population };
}

test('the seeded random source is reproducible and resumable', () => {
  const a = SeededRandom.fromSeed(42);
  const first = [a.nextU32(), a.nextU32()];
  const saved = a.state();
  const next = a.nextU32();
  const b = SeededRandom.fromSeed(42);
  assert.deepEqual([b.nextU32(), b.nextU32()], first);
  assert.equal(SeededRandom.fromState(saved).nextU32(), next);
  assert.notEqual(SeededRandom.fromSeed(43).nextU32(), first[0]);
});

test('the opening block registers the nodes and gives every holder tickets', () => {
  const { chain, population } = setUp('seed');
  assert.equal(chain.listNodes().length, 2);
  for (const node of chain.listNodes()) assert.equal(node.pledge, sero(200_000));
  const holders = population.participants.filter((p) => p.role !== 'node-operator');
  assert.equal(holders.length, 16);
  for (const holder of holders) {
    const [share] = chain.sharesOf(holder.address);
    assert.ok(share && share.initialTickets > 0, holder.address);
    assert.equal(share.nodeId, holder.nodeId);
  }
  assert.equal(chain.ticketCount, holders.reduce((sum, h) => sum + chain.sharesOf(h.address)[0]!.initialTickets, 0));
});

test('planned votes come from the right voters, verify, and respect latency ranges', () => {
  const { chain, population } = setUp('seed', { soloLatencyMs: [1_000, 2_000], nodeLatencyMs: [10, 20] });
  for (let i = 0; i < 30; i++) {
    const lottery = chain.openLottery(keccak256Hex(`attempt ${i}`));
    for (const planned of population.plannedVotes(lottery, chain)) {
      assert.deepEqual(chain.verifyVote(planned.vote), { ok: true });
      const role = population.participant(planned.voter)!.role;
      assert.equal(planned.vote.isPool, role === 'node-operator');
      const [low, high] = planned.vote.isPool ? [10, 20] : [1_000, 2_000];
      assert.ok(planned.delayMs >= low && planned.delayMs <= high, `${planned.delayMs}`);
    }
  }
});

test('online probabilities: always-online nodes vote every time, never-online holders never do', () => {
  const { chain, population } = setUp('seed', { soloOnlineProbability: 0, nodeOnlineProbability: 1 });
  let delegated = 0;
  let planned = 0;
  for (let i = 0; i < 40; i++) {
    const lottery = chain.openLottery(keccak256Hex(`p${i}`));
    delegated += lottery.tickets.filter((t) => t.nodeId !== null).length;
    planned += population.plannedVotes(lottery, chain).length;
  }
  assert.ok(delegated > 0);
  assert.equal(planned, delegated);
});

test('StakingNodes miss fewer of their selections than solo holders (defaults 0.99 vs 0.9)', () => {
  const { chain, population } = setUp('seed', { soloHolders: 12, delegatingHolders: 12 });
  const seen = { node: 0, nodeVoted: 0, solo: 0, soloVoted: 0 };
  for (let i = 0; i < 300; i++) {
    const lottery = chain.openLottery(keccak256Hex(`r${i}`));
    const voted = new Set(population.plannedVotes(lottery, chain).map((p) => p.vote.ticketIndex));
    for (const ticket of lottery.tickets) {
      const kind = ticket.nodeId ? 'node' : 'solo';
      seen[kind] += 1;
      if (voted.has(ticket.ticketIndex)) seen[`${kind}Voted`] += 1;
    }
  }
  const nodeRate = seen.nodeVoted / seen.node;
  const soloRate = seen.soloVoted / seen.solo;
  assert.ok(nodeRate > 0.95, `node ${nodeRate}`);
  assert.ok(soloRate > 0.8 && soloRate < 0.97, `solo ${soloRate}`);
  assert.ok(nodeRate > soloRate);
});

test('same seed, same simulation; a population survives JSON', () => {
  const run = () => {
    const { chain, population } = setUp('seed', {}, 'repeat');
    const blocks = simulateBlocks(chain, population, { blocks: 15, random: SeededRandom.fromSeed('pow') });
    return { blocks: blocks.map((b) => [b.height, b.attempts, b.waitedMs]), ledger: JSON.stringify(chain.snapshot().ledger), population };
  };
  const first = run();
  const second = run();
  assert.deepEqual(first.blocks, second.blocks);
  assert.equal(first.ledger, second.ledger);
  const restored = Population.fromJson(JSON.parse(JSON.stringify(first.population.toJson())));
  assert.deepEqual(restored.toJson(), first.population.toJson());
  assert.deepEqual(restored.participants, first.population.participants);
});

for (const name of ['seed', 'mainnet'] as const) {
  test(`${name}: a simulated devnet keeps every total balanced`, () => {
    // 100 SERO buys ~49 tickets per holder: more than 100 blocks of draws, so some expire.
    const { chain, population } = setUp(name, { purchaseValue: sero(100), holderFunds: sero(300) });
    const blocks = simulateBlocks(chain, population, { blocks: 160, random: SeededRandom.fromSeed(`pow ${name}`) });
    assert.equal(chain.nextHeight, 661);
    chain.ledger.verifyBalance();
    const totals = chain.ledger.totals();
    assert.equal(totals.minted, totals.credited + totals.burned);

    const mints = chain.ledger.entries({ type: 'mint' });
    if (name === 'seed') {
      // Every block with a draw had all 3 votes and minted R; blocks without a draw minted 5/8 R.
      for (const block of blocks) {
        const drew = block.result.selection.length > 0;
        const minted = mints.filter((m) => m.block === block.height).reduce((s, m) => s + m.amount, 0n);
        assert.equal(minted, drew ? sero(72) : sero(45), `block ${block.height}`);
      }
      assert.ok(blocks.some((b) => b.attempts > 1), 'offline voters orphan some found blocks');
      assert.ok(totals.burned > 0n, 'solo votes burn the node part');
    } else {
      assert.ok(mints.some((m) => m.reason === 'vote') && mints.some((m) => m.reason === 'pow'));
      assert.equal(totals.burned, 0n);
    }

    // Income held by shares and nodes = what accrued to them − what settlement paid out.
    const heldIncome = [...population.participants]
      .flatMap((p) => [...chain.sharesOf(p.address).map((s) => s.income), chain.nodeOf(p.address)?.income ?? 0n])
      .reduce((s, x) => s + x, 0n);
    const accrued = chain.ledger
      .entries()
      .filter((e) => (e.type === 'credit' || e.type === 'refund') && e.holder.kind !== 'account')
      .reduce((s, e) => s + e.amount, 0n);
    assert.equal(heldIncome, accrued - totals.paidOut);

    // Principal: what purchases locked is either refunded or still in live/owed tickets.
    const shares = population.participants.flatMap((p) => chain.sharesOf(p.address));
    const outstanding = shares.reduce((s, share) => s + share.price * BigInt(share.liveTickets + share.owedVotes), 0n);
    const ticketLocks = chain.ledger.entries({ type: 'lock', reason: 'ticket-purchase' }).reduce((s, e) => s + e.amount, 0n);
    const ticketRefunds = chain.ledger.entries({ type: 'refund' }).filter((e) => e.reason !== 'pledge').reduce((s, e) => s + e.amount, 0n);
    assert.equal(ticketLocks, ticketRefunds + outstanding);
    assert.ok(chain.ledger.entries({ type: 'refund', reason: 'ticket-expired' }).length > 0, 'some tickets expired');
    assert.ok(shares.length > 16, 'holders bought again');
  });
}
