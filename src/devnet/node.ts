// The devnet node: hands out work, verifies every solution with the light hash, runs the PoS
// lottery of each block candidate, appends confirmed blocks and writes them to the store.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { toHex, bytesToBigInt } from '../pow/hex.js';
import { type Logger } from '../net/log.js';
import { WorkFeed, type HashrateReport, type SubmitContext, type SubmitOutcome, type SubmittedShare, type WorkProvider } from '../net/provider.js';
import { height as heightOf, blockHash, nonceHex, type ChainBlock } from './chain/block.js';
import type { Chain } from './chain/chain.js';
import type { BlockTemplate } from './chain/template.js';
import { Candidate } from './candidate.js';
import type { AccountVoter } from './account-voter.js';
import type { PowVerifier } from './pow-verifier.js';
import type { DevnetStore, StateImage } from './store.js';
import type { StakeChain } from './stake/chain.js';
import { hashPos } from './stake/hashes.js';
import { voteWindowMs } from '../chain/confirmation.js';
import { powCredit } from '../chain/rewards.js';
import { bytesToHex, hexToBytes, type Hex } from './stake/hex.js';
import type { Population } from './stake/population.js';
import type { StakeTx, Vote } from './stake/types.js';
import type { WorkBook } from './work-book.js';

export interface DevnetState {
  readonly chain: Chain;
  readonly stake: StakeChain;
  readonly population: Population;
  /** Stake transactions waiting for the next block. */
  mempool: StakeTx[];
}

export interface DevnetNodeOptions {
  readonly state: DevnetState;
  readonly store: DevnetStore;
  readonly verifier: PowVerifier;
  readonly work: WorkBook;
  readonly accountVoter: AccountVoter;
  /** Account credited for solutions that name none (getwork over RPC without a path). */
  readonly defaultFinder: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface CandidateInfo {
  readonly height: number;
  readonly headerHash: string;
  readonly nonce: bigint;
  readonly posHash: Hex;
  readonly finder: string;
  readonly tickets: number;
  readonly requiredVotes: number;
}

export interface DevnetEvents {
  work: [template: BlockTemplate];
  candidate: [candidate: CandidateInfo];
  vote: [candidate: CandidateInfo, vote: Vote, votes: number];
  block: [block: ChainBlock, hash: string];
  orphan: [candidate: CandidateInfo, reason: string, votes: number];
  error: [error: Error];
}

/** How long a reported hashrate counts towards the total. */
const HASHRATE_TTL_MS = 2 * 60_000;

export class DevnetNode extends EventEmitter<DevnetEvents> {
  /** Jobs for the stratum pool (share target). */
  readonly poolFeed = new WorkFeed();
  /** Work for node RPC getwork (block boundary). */
  readonly nodeFeed = new WorkFeed();
  private readonly candidates = new Map<Hex, Candidate>();
  /** mainnet: votes for the head that came after it was published, for its child's ParentVotes. */
  private lateVotes: Vote[] = [];
  private readonly hashrates = new Map<string, { rate: bigint; at: number }>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Store writes run one after another, in the order the state changed. */
  private writes: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: DevnetNodeOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.log = options.logger;
  }

  get state(): DevnetState {
    return this.options.state;
  }

  get currentTemplate(): BlockTemplate | undefined {
    return this.options.work.current;
  }

  /** Publishes the first work and keeps the template's difficulty following the clock. */
  start(): void {
    this.refreshTemplate();
  }

  readonly poolProvider: WorkProvider = {
    currentWork: () => this.poolFeed.currentWork(),
    onWork: (listener) => this.poolFeed.onWork(listener),
    submit: (share, context) => this.judge(share, context, 'pool'),
    submitHashrate: (report) => this.recordHashrate(report),
  };

  readonly nodeProvider: WorkProvider = {
    currentWork: () => this.nodeFeed.currentWork(),
    onWork: (listener) => this.nodeFeed.onWork(listener),
    submit: (share, context) => this.judge(share, context, 'node'),
    submitHashrate: (report) => this.recordHashrate(report),
  };

  /** Sum of hashrates reported in the last two minutes, by reporter id. */
  reportedHashrate(): bigint {
    const cutoff = this.now() - HASHRATE_TTL_MS;
    let total = 0n;
    for (const [id, report] of this.hashrates) {
      if (report.at < cutoff) this.hashrates.delete(id);
      else total += report.rate;
    }
    return total;
  }

  pendingCandidates(): { info: CandidateInfo; votes: Vote[]; openedAt: number }[] {
    return [...this.candidates.values()].filter((c) => !c.settled).map((c) => ({ info: infoOf(c), votes: c.collector.votes(), openedAt: c.openedAt }));
  }

  /** Queues a stake transaction for the next block; returns its hash. */
  async submitTransaction(tx: StakeTx): Promise<Hex> {
    const policy = this.state.stake.policyError(tx);
    if (policy !== null) throw new Error(policy);
    const queued: StakeTx = { ...tx, txHash: bytesToHex(randomBytes(32)) };
    this.state.mempool.push(queued);
    await this.write(() => this.options.store.saveMempool(this.state.mempool));
    return queued.txHash!;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    for (const candidate of this.candidates.values()) candidate.settle();
    this.candidates.clear();
    await this.writes;
  }

  private async judge(share: SubmittedShare, context: SubmitContext, via: 'pool' | 'node'): Promise<SubmitOutcome> {
    const template = this.options.work.find(toHex(share.headerHash));
    if (template === undefined) return { kind: 'stale' };
    const check = await this.options.verifier.check(share.headerHash, share.nonce, template.height, share.mixDigest);
    if (!check.ok) return { kind: 'invalid', reason: check.reason };
    const value = bytesToBigInt(check.finalHash);
    const meetsBlock = value <= template.blockTarget;
    if (via === 'pool' && value > share.work.target) return { kind: 'invalid', reason: 'final hash above the share target' };
    if (via === 'node' && !meetsBlock) return { kind: 'invalid', reason: 'final hash above the block target' };
    const forNextBlock = template.height === this.state.stake.nextHeight && !this.closed;
    // gero forgets work once its height has a block; a pool still counts the share.
    if (via === 'node' && !forNextBlock) return { kind: 'stale' };
    if (!meetsBlock || !forNextBlock) return { kind: 'accepted', block: false };
    const posHash = hashPos(bytesToHex(share.mixDigest), share.nonce);
    if (this.candidates.has(posHash)) return { kind: 'duplicate' };
    const finder = context.login !== '' ? context.login : this.options.defaultFinder;
    this.openCandidate({ template, nonce: share.nonce, mixDigest: share.mixDigest, posHash, finder, context });
    return { kind: 'accepted', block: true };
  }

  private openCandidate(solution: Candidate['solution']): void {
    const { stake, population } = this.state;
    const lottery = stake.openLottery(solution.posHash);
    const candidate = new Candidate(solution, {
      profile: stake.profile,
      lottery,
      verify: (vote) => stake.verifyVote(vote),
      now: this.now,
      hooks: {
        onVote: (c, vote) => this.onVote(c, vote),
        onLateVote: (c, vote) => this.onLateVote(c, vote),
        onRejectedVote: (c, vote, reason) => this.log('warn', `vote for block ${c.height} ticket ${vote.ticketIndex} rejected: ${reason}`),
        onDecision: (c, status) => (status === 'confirmed' ? this.confirm(c) : this.orphan(c, 'vote window passed', true)),
      },
    });
    this.candidates.set(solution.posHash, candidate);
    const info = infoOf(candidate);
    this.log(
      'info',
      `block candidate at height ${info.height} from ${info.finder} (nonce ${nonceHex(info.nonce)}): ` +
        `${lottery.tickets.length} tickets drawn, ${lottery.requiredVotes} votes needed`,
    );
    this.emit('candidate', info);
    solution.context.notify({ type: 'candidate', votesNeeded: lottery.requiredVotes, windowMs: voteWindowMs(stake.profile), reward: powCredit(stake.profile, solution.template.height, solution.template.difficulty) });
    candidate.start([...population.plannedVotes(lottery, stake), ...this.options.accountVoter.plannedVotes(lottery, stake)]);
  }

  private onVote(candidate: Candidate, vote: Vote): void {
    const votes = candidate.collector.votesReceived;
    this.log('info', `vote ${votes}/${candidate.lottery.tickets.length} for block ${candidate.height} (${vote.isPool ? 'StakingNode' : 'solo'} ticket ${vote.ticketIndex})`);
    candidate.solution.context.notify({ type: 'vote', shareId: hexToBytes(vote.shareId, 32), isPool: vote.isPool, votes });
    this.emit('vote', infoOf(candidate), vote, votes);
  }

  private onLateVote(candidate: Candidate, vote: Vote): void {
    // Only the head's child may carry a late vote, and only on mainnet (stake-mainnet.md 3.2).
    if (this.state.stake.profile.name !== 'mainnet' || candidate.height !== this.state.chain.headHeight) return;
    if (this.state.chain.head.posHash !== candidate.solution.posHash || this.lateVotes.length >= 3) return;
    if (this.lateVotes.some((late) => late.ticketIndex === vote.ticketIndex)) return;
    if (this.state.stake.verifyVote(vote).ok) this.lateVotes.push(vote);
  }

  /** Appends the candidate's block; everything in memory changes at once, the store follows. */
  private confirm(candidate: Candidate): void {
    const { chain, stake, population } = this.state;
    if (this.closed) return;
    if (candidate.height !== stake.nextHeight) return this.orphan(candidate, 'another block took the height', false);
    const { solution } = candidate;
    const votes = candidate.collector.votes();
    const parentVotes = this.lateVotes.filter((vote) => stake.verifyVote(vote).ok);
    const transactions = [...this.state.mempool, ...population.purchasesFor(stake)];
    let applied;
    try {
      applied = stake.applyBlock({
        height: solution.template.height,
        posHash: solution.posHash,
        miner: solution.finder,
        difficulty: solution.template.difficulty,
        votes,
        parentVotes,
        transactions,
      });
    } catch (err) {
      return this.orphan(candidate, `refused by the stake rules: ${(err as Error).message}`, false);
    }
    const block: ChainBlock = {
      header: solution.template.header,
      mixDigest: solution.mixDigest,
      nonce: solution.nonce,
      currentVotes: votes,
      parentVotes,
      posHash: solution.posHash,
      selection: applied.selection,
      finder: solution.finder,
      addedAt: this.now(),
      txResults: applied.txResults,
    };
    chain.append(block);
    this.state.mempool = [];
    this.lateVotes = [];
    if (stake.profile.name === 'mainnet') candidate.settleKeepingVotes();
    else candidate.settle();
    for (const other of this.candidates.values()) {
      if (other !== candidate && !other.settled) this.orphan(other, 'another block took the height', false);
    }
    // Only the new head's lottery keeps running, to deliver its late votes.
    for (const [key, old] of this.candidates) {
      if (old === candidate) continue;
      old.cancelTimers();
      this.candidates.delete(key);
    }
    const image = this.image();
    const hash = chain.hashOf(block);
    this.write(() => this.options.store.commitBlock(block, image, applied.entries)).then(
      () => {
        this.log('info', `block ${heightOf(block)} ${hash} confirmed with ${votes.length} votes; finder ${solution.finder}`);
        solution.context.notify({ type: 'outcome', status: 'confirmed', votes: votes.length, blockHash: blockHash(block) });
        this.emit('block', block, hash);
        this.refreshTemplate();
      },
      () => {},
    );
  }

  private orphan(candidate: Candidate, reason: string, windowPassed: boolean): void {
    if (candidate.settled) return;
    candidate.settle();
    this.candidates.delete(candidate.solution.posHash);
    const votes = candidate.collector.votesReceived;
    if (windowPassed && candidate.height === this.state.stake.nextHeight) {
      this.state.stake.recordExpiredLottery(candidate.solution.posHash, candidate.collector.votes());
    }
    this.log('info', `block candidate at height ${candidate.height} orphaned (${reason}) with ${votes}/${candidate.lottery.requiredVotes} votes`);
    candidate.solution.context.notify({ type: 'outcome', status: 'orphaned', votes, reason });
    this.emit('orphan', infoOf(candidate), reason, votes);
  }

  /** Rebuilds the template for the next height when the height or the clock's difficulty moved. */
  private refreshTemplate(): void {
    clearTimeout(this.refreshTimer);
    if (this.closed) return;
    const { chain } = this.state;
    const now = this.now();
    const template = this.options.work.update(chain.head, hexToBytes(chain.headHash, 32), now);
    if (template !== undefined) {
      this.poolFeed.publish(this.options.work.poolWork(template));
      this.nodeFeed.publish(this.options.work.nodeWork(template));
      this.emit('work', template);
    }
    this.refreshTimer = setTimeout(() => this.refreshTemplate(), this.options.work.msUntilRetarget(chain.head, now) + 1);
    this.refreshTimer.unref();
  }

  private recordHashrate(report: HashrateReport): void {
    this.hashrates.set(`${report.via}:${report.login}:${report.id}`, { rate: report.rate, at: this.now() });
  }

  private image(): StateImage {
    return { stake: this.state.stake.snapshot(), population: this.state.population.toJson(), mempool: [...this.state.mempool] };
  }

  /**
   * Runs a store write after the earlier ones. A failed write stops block production: the
   * chain in memory would run ahead of the one a restart finds.
   */
  private write(action: () => Promise<void>): Promise<void> {
    const run = this.writes.then(action);
    this.writes = run.catch((err: unknown) => {
      this.log('error', `devnet store write failed, no more blocks will be produced: ${(err as Error).message}`);
      this.closed = true;
      clearTimeout(this.refreshTimer);
      // An 'error' event nobody listens to would throw; the log line is enough then.
      if (this.listenerCount('error') > 0) this.emit('error', err as Error);
    });
    return run;
  }
}

function infoOf(candidate: Candidate): CandidateInfo {
  const { solution, lottery } = candidate;
  return {
    height: candidate.height,
    headerHash: toHex(solution.template.sealHash),
    nonce: solution.nonce,
    posHash: solution.posHash,
    finder: solution.finder,
    tickets: lottery.tickets.length,
    requiredVotes: lottery.requiredVotes,
  };
}
