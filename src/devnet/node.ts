// The devnet node: hands out work, judges solutions, runs the PoS lottery of each block
// candidate, appends the confirmed ones and writes them to the store.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../util/log.js';
import type { SubmitContext, SubmitOutcome, SubmittedShare, WorkProvider } from '../net/server/provider.js';
import type { AccountVoter } from './account-voter.js';
import { appendCandidate, stateImage } from './block-commit.js';
import type { Candidate } from './candidate.js';
import { CandidateBoard, type PendingCandidate } from './candidate-board.js';
import { height as heightOf, blockHash } from './chain/block.js';
import type { BlockTemplate } from './chain/template.js';
import type { DevnetEvents } from './events.js';
import { ReportedHashrates } from './hashrate-reports.js';
import type { DevnetState } from './open-state.js';
import type { PowVerifier } from './pow-verifier.js';
import { judgeShare, type ShareJudgeSettings } from './share-judge.js';
import type { DevnetStore } from './store.js';
import { StoreWriter } from './store-writer.js';
import { bytesTo0x, type Hex } from '../util/hex.js';
import type { StakeTx } from './stake/types.js';
import type { WorkBook } from './work-book.js';
import { WorkPublisher } from './work-publisher.js';

/** Transactions waiting for a block at most; more are refused (geth: "txpool is full"). */
export const MEMPOOL_LIMIT = 10_000;

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

export class DevnetNode extends EventEmitter<DevnetEvents> {
  private readonly publisher: WorkPublisher;
  private readonly board: CandidateBoard;
  private readonly hashrates: ReportedHashrates;
  /** Store writes run one after another, in the order the state changed. */
  private readonly writer: StoreWriter;
  private readonly judging: ShareJudgeSettings;
  /** Transactions queued since the last journal write started: written together (group commit). */
  private journalBatch: StakeTx[] | undefined;
  private journalWrite: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: DevnetNodeOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.log = options.logger;
    this.publisher = new WorkPublisher(options.work, options.state.chain, this.now, (template) => this.emit('work', template));
    this.board = new CandidateBoard({
      state: options.state,
      accountVoter: options.accountVoter,
      now: this.now,
      log: this.log,
      events: this,
      onConfirmed: (candidate) => this.confirm(candidate),
    });
    this.hashrates = new ReportedHashrates(this.now);
    this.writer = new StoreWriter((err) => this.stopProducing(err));
    this.judging = {
      work: options.work,
      verifier: options.verifier,
      defaultFinder: options.defaultFinder,
      takesBlockAt: (height) => height === this.state.stake.nextHeight && !this.closed,
      hasCandidate: (posHash) => this.board.has(posHash),
    };
  }

  get state(): DevnetState {
    return this.options.state;
  }

  get currentTemplate(): BlockTemplate | undefined {
    return this.options.work.current;
  }

  /** Publishes the first work and keeps the template's difficulty following the clock. */
  start(): void {
    this.publisher.refresh();
  }

  readonly poolProvider: WorkProvider = {
    currentWork: () => this.publisher.poolFeed.currentWork(),
    onWork: (listener) => this.publisher.poolFeed.onWork(listener),
    submit: (share, context) => this.submit(share, context, 'pool'),
    submitHashrate: (report) => this.hashrates.record(report),
    sessionsChanged: (count) => this.options.work.clock.setSessions(count, this.now()),
  };

  readonly nodeProvider: WorkProvider = {
    currentWork: () => this.publisher.nodeFeed.currentWork(),
    onWork: (listener) => this.publisher.nodeFeed.onWork(listener),
    submit: (share, context) => this.submit(share, context, 'node'),
    submitHashrate: (report) => this.hashrates.record(report),
    workPolled: () => this.options.work.clock.polled(this.now()),
  };

  /** Sum of hashrates reported in the last two minutes, by reporter id. */
  reportedHashrate(): bigint {
    return this.hashrates.total();
  }

  pendingCandidates(): PendingCandidate[] {
    return this.board.pending();
  }

  /**
   * Queues a stake transaction for the next block and returns its hash once it is in the
   * journal. Transactions arriving while a journal write waits join it: one write for many.
   */
  async submitTransaction(tx: StakeTx): Promise<Hex> {
    const policy = this.state.stake.policyError(tx);
    if (policy !== null) throw new Error(policy);
    if (this.state.mempool.length >= MEMPOOL_LIMIT) throw new Error(`txpool is full (${MEMPOOL_LIMIT} transactions wait for the next block)`);
    const queued: StakeTx = { ...tx, txHash: bytesTo0x(randomBytes(32)) };
    this.state.mempool.push(queued);
    if (this.journalBatch === undefined) {
      const batch: StakeTx[] = (this.journalBatch = []);
      this.journalWrite = this.writer.write(() => {
        if (this.journalBatch === batch) this.journalBatch = undefined;
        return this.options.store.appendMempool(batch);
      });
    }
    this.journalBatch.push(queued);
    await this.journalWrite;
    return queued.txHash!;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.publisher.stop();
    this.board.closeAll();
    await this.writer.drained();
  }

  private async submit(share: SubmittedShare, context: SubmitContext, via: 'pool' | 'node'): Promise<SubmitOutcome> {
    const verdict = await judgeShare(this.judging, share, context, via);
    if (verdict.kind !== 'candidate') return verdict;
    this.board.open(verdict.solution);
    return { kind: 'accepted', block: true };
  }

  /** Appends the candidate's block; everything in memory changes at once, the store follows. */
  private confirm(candidate: Candidate): void {
    if (this.closed) return;
    if (candidate.height !== this.state.stake.nextHeight) return this.board.orphan(candidate, 'another block took the height', false);
    const appended = appendCandidate(this.state, candidate, this.board.parentVotes(), this.now);
    if (!appended.ok) return this.board.orphan(candidate, appended.reason, false);
    const { block, entries, mempoolTaken } = appended;
    this.board.settleHeight(candidate);
    const image = stateImage(this.state);
    const hash = this.state.chain.hashOf(block);
    const { solution } = candidate;
    // The chain already has the block (RPC shows it), so the next height's work goes out now:
    // work for the old height would only earn stale answers until the write below ends.
    this.publisher.refresh();
    this.writer.write(() => this.options.store.commitBlock(block, image, entries, mempoolTaken)).then(
      () => {
        this.log('info', `block ${heightOf(block)} ${hash} confirmed with ${block.currentVotes.length} votes; finder ${solution.finder}`);
        solution.context.notify({ type: 'outcome', status: 'confirmed', votes: block.currentVotes.length, blockHash: blockHash(block) });
        this.emit('block', block, hash);
      },
      () => {},
    );
  }

  /** A failed store write stops block production: the chain in memory would run ahead of the one a restart finds. */
  private stopProducing(err: Error): void {
    this.log('error', `devnet store write failed, no more blocks will be produced: ${err.message}`);
    this.closed = true;
    this.publisher.stop();
    // An 'error' event nobody listens to would throw; the log line is enough then.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}
