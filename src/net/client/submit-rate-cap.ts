// Caps share submissions per second, whatever a pool's target: a job whose target almost
// every hash meets (2^256 - 1, say) would otherwise turn the miner into a flood of submits.
// Shares over the cap are dropped without being sent, except one the miner knows is a block;
// the operator is told once per target and then by one counted summary per window. Such an
// absurd job is also searched with a harder target (a share of it is a share of the pool's),
// so the devices do not spend their time producing and checking solutions that would only be
// dropped. An ordinary target is searched as it is: a harder one would cost the pool's credit
// for every share not found, and could pass over a block.
import { MAX_TARGET, difficultyToTarget } from '../../pow/target.js';
import { LogFolder } from '../../util/log-fold.js';
import type { Logger } from '../../util/log.js';
import type { WorkPackage } from '../wire/work.js';

/** Share difficulty under which a pool's target is absurd: a sixteenth of all hashes or more are shares. */
const ABSURD_DIFFICULTY = 16n;

export interface SubmitRateSettings {
  /** Submissions per second, sustained (default 20). */
  readonly perSecond?: number;
  /** Submissions allowed in a burst (default: two seconds' worth). */
  readonly burst?: number;
}

export class SubmitRateCap {
  private readonly perSecond: number;
  private readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  private readonly folder: LogFolder;
  private readonly warnedTargets = new Set<bigint>();

  constructor(settings: SubmitRateSettings, private readonly log: Logger, private readonly now: () => number = Date.now) {
    this.perSecond = settings.perSecond ?? 20;
    if (!(this.perSecond > 0)) throw new RangeError('the submission cap must be above 0 per second');
    this.burst = Math.max(1, settings.burst ?? 2 * this.perSecond);
    this.tokens = this.burst;
    this.refilledAt = now();
    this.folder = new LogFolder(log, 10_000);
  }

  /** Takes one submission slot; false (and a folded warning) when the cap is reached. */
  take(work: WorkPackage, pool: string): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.folder.log(pool, 'share over the submission cap', 'warn', `shares come faster than ${this.perSecond}/s from ${pool} (share difficulty ${difficultyOf(work.target)}): only ${this.perSecond}/s are sent, the rest dropped`);
    return false;
  }

  /**
   * The job the devices should search: `work` itself, or for an absurdly easy target a copy
   * whose target gives about half the cap's rate at `hashrate` (H/s; 0 when not known yet).
   */
  searchWork(work: WorkPackage, hashrate: number): WorkPackage {
    const difficulty = difficultyOf(work.target);
    const floor = this.difficultyFloor(hashrate);
    return difficulty >= ABSURD_DIFFICULTY || difficulty >= floor ? work : { ...work, target: difficultyToTarget(floor) };
  }

  /** Whether `searched` (searchWork's answer for the absurd job `from`) is now far too easy for `hashrate`, so it should be searched again. */
  outgrown(searched: WorkPackage, from: WorkPackage, hashrate: number): boolean {
    return difficultyOf(from.target) < ABSURD_DIFFICULTY && this.difficultyFloor(hashrate) > 4n * difficultyOf(searched.target);
  }

  private difficultyFloor(hashrate: number): bigint {
    const byRate = BigInt(Math.ceil((2 * Math.max(0, hashrate)) / this.perSecond));
    return byRate > ABSURD_DIFFICULTY ? byRate : ABSURD_DIFFICULTY;
  }

  /** Warns once per target when a job's target is absurdly easy. */
  checkTarget(work: WorkPackage, pool: string): void {
    const difficulty = difficultyOf(work.target);
    if (difficulty >= ABSURD_DIFFICULTY || this.warnedTargets.has(work.target)) return;
    if (this.warnedTargets.size > 64) this.warnedTargets.clear();
    this.warnedTargets.add(work.target);
    this.log('warn', `${pool} sends a job with share difficulty ${difficulty} (target 0x${work.target.toString(16)}): nearly every hash is a share; submissions are capped at ${this.perSecond}/s`);
  }

  close(): void {
    this.folder.close();
  }
}

/** floor(2^256 / (target + 1)), at least 1: the share difficulty a target stands for. */
function difficultyOf(target: bigint): bigint {
  const difficulty = (MAX_TARGET + 1n) / (target + 1n);
  return difficulty < 1n ? 1n : difficulty;
}
