// The simulated ticket holders and StakingNodes: their purchases and their signed votes with latency.
import { sero } from '../../util/sero-amount.js';
import type { StakeChain } from './stake-chain.js';
import type { Hex } from '../../util/hex.js';
import { nodeIdOf } from './ids.js';
import type { Lottery } from './lottery.js';
import { chance, randomBytes, randomInt, SeededRandom, type RandomSource, type SnapshottableRandom } from './random.js';
import type { StakeTx, Vote } from './types.js';
import { voteKeyFromSecret, type VoteKeyPair } from './vote-keys.js';
import { signVote } from './votes.js';

export interface PopulationConfig {
  soloHolders: number;
  delegatingHolders: number;
  stakingNodes: number;
  /** Spendable SERO (in ta) each holder starts with. */
  holderFunds: bigint;
  /** Value a holder spends on one purchase. */
  purchaseValue: bigint;
  /** Chance a solo holder is online for a given lottery. */
  soloOnlineProbability: number;
  /** Chance a StakingNode is online for a given lottery (they are run to stay online). */
  nodeOnlineProbability: number;
  /** Delay range, inclusive, between a lottery and a solo holder's vote. */
  soloLatencyMs: readonly [number, number];
  nodeLatencyMs: readonly [number, number];
  /** Fee rate StakingNodes register with, per 10000 (mainnet policy range 2500..7500). */
  nodeFeeRate: number;
  /** Per block, chance that a holder with no ticket at work buys again. */
  rebuyProbability: number;
  /** Prefix of the simulated accounts' addresses. */
  addressPrefix: string;
}

export const DEFAULT_POPULATION: Readonly<PopulationConfig> = Object.freeze({
  soloHolders: 8,
  delegatingHolders: 8,
  stakingNodes: 2,
  holderFunds: sero(200),
  purchaseValue: sero(20),
  soloOnlineProbability: 0.9,
  nodeOnlineProbability: 0.99,
  soloLatencyMs: [500, 4_000] as const,
  nodeLatencyMs: [100, 1_000] as const,
  nodeFeeRate: 5_000,
  rebuyProbability: 0.2,
  addressPrefix: 'sim',
});

export type ParticipantRole = 'solo' | 'delegating' | 'node-operator';

export interface Participant {
  readonly address: string;
  readonly role: ParticipantRole;
  readonly voteKey: VoteKeyPair;
  /** Node operated (node-operator) or delegated to (delegating). */
  readonly nodeId: Hex | null;
}

/** A vote a participant will deliver `delayMs` after the lottery, if the node schedules it. */
export interface PlannedVote {
  readonly delayMs: number;
  readonly voter: string;
  readonly vote: Vote;
}

export interface PopulationJson {
  config: Omit<PopulationConfig, 'holderFunds' | 'purchaseValue'> & { holderFunds: string; purchaseValue: string };
  participants: { address: string; role: ParticipantRole; secret: Hex; nodeId: Hex | null }[];
  random: number[];
}

/** Simulated ticket holders and StakingNodes that buy tickets and answer lotteries with signed votes. */
export class Population {
  private constructor(
    readonly config: Readonly<PopulationConfig>,
    readonly participants: readonly Participant[],
    private readonly random: RandomSource,
  ) {}

  /** Draws keys and roles from `random` (default: a SeededRandom seeded with "population"). */
  static create(config: Partial<PopulationConfig> = {}, random: RandomSource = SeededRandom.fromSeed('population')): Population {
    const full: PopulationConfig = { ...DEFAULT_POPULATION, ...config };
    validateConfig(full);
    const participants: Participant[] = [];
    const newKey = (): VoteKeyPair => voteKeyFromSecret(randomBytes(random, 32));
    const nodeIds: Hex[] = [];
    for (let i = 1; i <= full.stakingNodes; i++) {
      const address = `${full.addressPrefix}-node-${i}`;
      nodeIds.push(nodeIdOf(address));
      participants.push({ address, role: 'node-operator', voteKey: newKey(), nodeId: nodeIdOf(address) });
    }
    for (let i = 1; i <= full.soloHolders; i++) {
      participants.push({ address: `${full.addressPrefix}-solo-${i}`, role: 'solo', voteKey: newKey(), nodeId: null });
    }
    for (let i = 1; i <= full.delegatingHolders; i++) {
      const nodeId = nodeIds[(i - 1) % nodeIds.length] ?? null;
      participants.push({ address: `${full.addressPrefix}-delegator-${i}`, role: 'delegating', voteKey: newKey(), nodeId });
    }
    return new Population(full, participants, random);
  }

  /** Node registrations followed by every holder's first purchase (one block; registrations come first). */
  openingTransactions(chain: StakeChain): StakeTx[] {
    const registrations: StakeTx[] = this.participants
      .filter((participant) => participant.role === 'node-operator')
      .map((operator) => ({
        type: 'register-node',
        from: operator.address,
        value: chain.profile.pledge,
        voteKey: operator.voteKey.publicKey,
        feeRate: this.config.nodeFeeRate,
      }));
    const purchases = this.holders().map((holder) => this.purchase(holder, this.config.purchaseValue, true));
    return [...registrations, ...purchases];
  }

  /** Re-purchases for the next block by holders whose tickets are all spent and who can afford one. */
  purchasesFor(chain: StakeChain): StakeTx[] {
    const price = chain.ticketPrice();
    const txs: StakeTx[] = [];
    for (const holder of this.holders()) {
      const working = chain.sharesOf(holder.address).some((share) => share.liveTickets + share.owedVotes > 0);
      if (working || !chance(this.random, this.config.rebuyProbability)) continue;
      const funds = this.config.holderFunds + chain.ledger.accountSummary(holder.address).walletDelta;
      const value = funds < this.config.purchaseValue ? funds : this.config.purchaseValue;
      if (value < price) continue;
      const nodeOpen = holder.nodeId !== null && chain.getNode(holder.nodeId)?.closed === false;
      txs.push(this.purchase(holder, value, nodeOpen));
    }
    return txs;
  }

  /**
   * Votes this population casts for a lottery. Each voter is online for the whole lottery with
   * its role's probability; every vote gets its own latency. Sorted by delay.
   */
  plannedVotes(lottery: Lottery, chain: StakeChain): PlannedVote[] {
    const online = new Map<string, boolean>();
    const planned: PlannedVote[] = [];
    for (const ticket of lottery.tickets) {
      const share = chain.getShare(ticket.shareId);
      if (!share) continue;
      const isPool = share.nodeId !== null;
      const voter = isPool
        ? this.participants.find((p) => p.role === 'node-operator' && p.nodeId === share.nodeId)
        : this.participants.find((p) => p.voteKey.publicKey === share.voteKey);
      if (!voter) continue;
      const isNode = voter.role === 'node-operator';
      if (!online.has(voter.address)) {
        online.set(voter.address, chance(this.random, isNode ? this.config.nodeOnlineProbability : this.config.soloOnlineProbability));
      }
      if (!online.get(voter.address)) continue;
      const [low, high] = isNode ? this.config.nodeLatencyMs : this.config.soloLatencyMs;
      const vote = signVote(
        voter.voteKey.secret,
        { height: lottery.height, posHash: lottery.posHash, ticketIndex: ticket.ticketIndex, shareId: ticket.shareId, isPool },
        lottery.parentPosHash,
        // the signature's nonce from the population's own randomness: a restored population replays it
        randomBytes(this.random, 32),
      );
      planned.push({ delayMs: randomInt(this.random, low, high), voter: voter.address, vote });
    }
    return planned.sort((a, b) => a.delayMs - b.delayMs);
  }

  participant(address: string): Participant | undefined {
    return this.participants.find((participant) => participant.address === address);
  }

  toJson(): PopulationJson {
    const random = this.random as Partial<SnapshottableRandom>;
    if (typeof random.state !== 'function') throw new Error('population randomness cannot be saved: its source has no state()');
    return {
      config: { ...this.config, holderFunds: this.config.holderFunds.toString(), purchaseValue: this.config.purchaseValue.toString() },
      participants: this.participants.map(({ address, role, voteKey, nodeId }) => ({ address, role, secret: voteKey.secret, nodeId })),
      random: random.state(),
    };
  }

  static fromJson(json: PopulationJson): Population {
    const config: PopulationConfig = {
      ...json.config,
      holderFunds: BigInt(json.config.holderFunds),
      purchaseValue: BigInt(json.config.purchaseValue),
    };
    const participants = json.participants.map(({ address, role, secret, nodeId }) => ({
      address,
      role,
      voteKey: voteKeyFromSecret(secret),
      nodeId,
    }));
    return new Population(config, participants, SeededRandom.fromState(json.random));
  }

  private holders(): Participant[] {
    return this.participants.filter((participant) => participant.role !== 'node-operator');
  }

  private purchase(holder: Participant, value: bigint, throughNode: boolean): StakeTx {
    return {
      type: 'buy-share',
      from: holder.address,
      value,
      voteKey: holder.voteKey.publicKey,
      ...(throughNode && holder.nodeId ? { nodeId: holder.nodeId } : {}),
    };
  }
}

function validateConfig(config: PopulationConfig): void {
  for (const key of ['soloHolders', 'delegatingHolders', 'stakingNodes'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 0) throw new RangeError(`${key} must be a non-negative integer`);
  }
  if (config.delegatingHolders > 0 && config.stakingNodes === 0) throw new RangeError('delegating holders need at least one StakingNode');
  for (const key of ['soloOnlineProbability', 'nodeOnlineProbability', 'rebuyProbability'] as const) {
    if (!(config[key] >= 0 && config[key] <= 1)) throw new RangeError(`${key} must be within 0..1`);
  }
  for (const key of ['soloLatencyMs', 'nodeLatencyMs'] as const) {
    const [low, high] = config[key];
    if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high < low) throw new RangeError(`${key} must be an integer range`);
  }
  if (config.holderFunds < 0n || config.purchaseValue <= 0n) throw new RangeError('funds must be non-negative and purchases positive');
}

