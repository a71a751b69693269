// Drives the staking layer through many blocks on simulated time, as the devnet node would, for tests.
import type { BlockResult, StakeChain } from './stake-chain.js';
import { bytesTo0x } from '../../util/hex.js';
import { VoteCollector } from './lottery.js';
import type { Population } from './population.js';
import { randomBytes, type RandomSource } from './random.js';
import type { StakeTx } from './types.js';

export interface SimulationOptions {
  blocks: number;
  /** Stands in for PoW: every attempt's HashPos is 32 random bytes from it. */
  random: RandomSource;
  miner?: string;
  difficulty?: bigint;
  /** Transactions for a height; defaults to the population's re-purchases. */
  transactions?: (height: number) => StakeTx[];
  /** Gives up (throws) when a height cannot be confirmed within this many found blocks. */
  maxAttemptsPerBlock?: number;
}

export interface SimulatedBlock {
  height: number;
  /** Found blocks for this height, the confirmed one included. */
  attempts: number;
  /** Simulated milliseconds the confirmed block waited for its votes. */
  waitedMs: number;
  result: BlockResult;
}

/**
 * Runs the staking layer the way the devnet node does, on simulated time and without timers:
 * each found block opens a lottery, the population's votes arrive after their latency, and the
 * block is applied once confirmed or retried with a new HashPos once orphaned.
 */
export function simulateBlocks(chain: StakeChain, population: Population, options: SimulationOptions): SimulatedBlock[] {
  const blocks: SimulatedBlock[] = [];
  const maxAttempts = options.maxAttemptsPerBlock ?? 1_000;
  for (let i = 0; i < options.blocks; i++) {
    const height = chain.nextHeight;
    const transactions = options.transactions ? options.transactions(height) : population.purchasesFor(chain);
    for (let attempt = 1; ; attempt++) {
      if (attempt > maxAttempts) throw new Error(`height ${height} not confirmed after ${maxAttempts} found blocks`);
      const posHash = bytesTo0x(randomBytes(options.random, 32));
      const outcome = collectVotes(chain, population, posHash);
      if (outcome.status === 'orphaned') {
        chain.recordExpiredLottery(posHash, outcome.collector.votes());
        continue;
      }
      const result = chain.applyBlock({
        height,
        posHash,
        miner: options.miner ?? 'sim-miner',
        votes: outcome.collector.votes(),
        transactions,
        ...(options.difficulty !== undefined ? { difficulty: options.difficulty } : {}),
      });
      blocks.push({ height, attempts: attempt, waitedMs: outcome.atMs, result });
      break;
    }
  }
  return blocks;
}

/** Replays one lottery on simulated time: votes at their delays, status checks at the rule's deadlines. */
function collectVotes(chain: StakeChain, population: Population, posHash: string) {
  const { profile } = chain;
  const lottery = chain.openLottery(posHash);
  const collector = new VoteCollector({ profile, lottery, openedAtMs: 0, verify: (vote) => chain.verifyVote(vote) });
  const deadlines = [0, profile.voteWindowMs + 1];
  if (profile.name === 'mainnet') deadlines.splice(1, 0, profile.optionalVoteWaitMs);
  const events = [
    ...population.plannedVotes(lottery, chain).map((planned) => ({ atMs: planned.delayMs, vote: planned.vote })),
    ...deadlines.map((atMs) => ({ atMs, vote: null })),
  ].sort((a, b) => a.atMs - b.atMs || (a.vote ? 0 : 1) - (b.vote ? 0 : 1));
  for (const event of events) {
    if (event.vote) collector.offer(event.vote, event.atMs);
    const status = collector.status(event.atMs);
    if (status !== 'pending') return { collector, status, atMs: event.atMs };
  }
  throw new Error('a lottery is always decided once its window has passed');
}
