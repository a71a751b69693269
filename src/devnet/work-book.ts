// The templates handed out as work: the newest one for the next height plus the recent ones a
// share may still name, and the two work packages of each (stratum.md 7.1): the pool's, with
// the share target, and the node's (sero_getWork), with the block boundary. Like a real node,
// the template is rebuilt every few seconds with a new timestamp (a recommit). The retarget
// counts the time since the parent block that the chain was mined (mining-clock.ts).
import { bytesTo0x } from '../util/hex.js';
import { bytesToBigInt } from '../util/bytes.js';
import { epochOf, seedHash } from '../pow/epoch.js';
import { difficultyToTarget, getworkBoundary } from '../pow/target.js';
import { createWorkPackage, type WorkPackage } from '../net/wire/work.js';
import { height as heightOf, type ChainBlock } from './chain/block.js';
import { nextDifficulty, type RetargetRule } from './chain/difficulty.js';
import { MiningClock } from './chain/mining-clock.js';
import { buildTemplate, type BlockTemplate } from './chain/template.js';

export interface WorkBookSettings {
  readonly retarget: RetargetRule;
  /** Fixed pool share difficulty; by default an eighth of the block difficulty. */
  readonly shareDifficulty?: bigint;
  /** Coinbase every template carries (the devnet pays the finder of a block, like a solo pool). */
  readonly coinbase: Uint8Array;
  /** Rebuild the template this often with the clock's timestamp (default 3 s); 0 only when the height or difficulty moves. */
  readonly recommitMs?: number;
  /** When the chain was mined (default: always, every pause is block time). */
  readonly clock?: MiningClock;
}

/** Shares name templates of the current height and the two before it (stratum.md 2.5). */
const HEIGHTS_KEPT = 3;
/** Templates kept at most, so recommits on a stalled height cannot pile up. */
const TEMPLATES_KEPT = 64;
export const DEFAULT_RECOMMIT_MS = 3_000;
const DEFAULT_SHARE_DIVISOR = 8n;

export class WorkBook {
  private readonly byHeader = new Map<string, BlockTemplate>();
  private newest: BlockTemplate | undefined;
  private builtAt = 0;
  private readonly recommitMs: number;
  /** When the chain was mined: the stratum server and the node's getwork tell it. */
  readonly clock: MiningClock;

  constructor(private readonly settings: WorkBookSettings) {
    this.recommitMs = settings.recommitMs ?? DEFAULT_RECOMMIT_MS;
    this.clock = settings.clock ?? new MiningClock(true);
  }

  get current(): BlockTemplate | undefined {
    return this.newest;
  }

  /** Lookup by lowercase `0x` seal hash. */
  find(headerHex: string): BlockTemplate | undefined {
    return this.byHeader.get(headerHex.toLowerCase());
  }

  /**
   * The template for the block after `parent` if it were sealed at `nowMs`; it becomes the
   * current one when it is for a new height, its difficulty moved, or the recommit is due with a
   * later timestamp. Returns it then, else undefined.
   */
  update(parent: ChainBlock, parentHash: Uint8Array, nowMs: number): BlockTemplate | undefined {
    const parentTime = parent.header.timestamp;
    const nowSeconds = BigInt(Math.floor(nowMs / 1000));
    const timestamp = nowSeconds > parentTime ? nowSeconds : parentTime + 1n;
    this.clock.forget(Number(parentTime) * 1000);
    const difficulty = nextDifficulty(parent.header.difficulty, this.blockSeconds(parentTime, timestamp, nowMs), this.settings.retarget);
    const current = this.newest;
    if (current !== undefined && current.height === heightOf(parent) + 1 && current.difficulty === difficulty) {
      const recommitDue = this.recommitMs > 0 && nowMs - this.builtAt >= this.recommitMs && timestamp > current.header.timestamp;
      if (!recommitDue) return undefined;
    }
    const template = buildTemplate(parent, parentHash, timestamp, difficulty, this.settings.coinbase);
    this.newest = template;
    this.builtAt = nowMs;
    this.byHeader.set(bytesTo0x(template.sealHash), template);
    for (const [key, kept] of this.byHeader) if (kept.height <= template.height - HEIGHTS_KEPT) this.byHeader.delete(key);
    if (this.byHeader.size > TEMPLATES_KEPT) this.byHeader.delete(this.byHeader.keys().next().value!);
    return template;
  }

  /** Milliseconds from `nowMs` until the template should be looked at again: a retarget or a recommit. */
  msUntilRefresh(parent: ChainBlock, nowMs: number): number {
    const retarget = this.msUntilRetarget(parent, nowMs);
    return this.recommitMs > 0 ? Math.min(retarget, Math.max(0, this.builtAt + this.recommitMs - nowMs)) : retarget;
  }

  /**
   * Milliseconds from `nowMs` until the next template of this height would get another
   * difficulty, if the chain is mined from now on (a pause only delays it: the refresh then
   * finds the difficulty unchanged and asks again).
   */
  msUntilRetarget(parent: ChainBlock, nowMs: number): number {
    const period = this.settings.retarget.blockTimeSeconds;
    const nowSeconds = Math.floor(nowMs / 1000);
    const elapsed = this.blockSeconds(parent.header.timestamp, BigInt(nowSeconds), nowMs);
    const steps = elapsed < 0 ? 1 : Math.floor(elapsed / period) + 1;
    return Math.max(0, (nowSeconds + steps * period - elapsed) * 1000 - nowMs);
  }

  /**
   * The seconds from the parent's timestamp to `timestamp` that count as block time: all of
   * them but the pauses beyond one block time (a pause of the chain, unlike a slow block, says
   * nothing of the hashrate; one block time of it keeps the difficulty, as a new chain starts).
   */
  private blockSeconds(parentTime: bigint, timestamp: bigint, nowMs: number): number {
    const paused = Math.floor(this.clock.pausedMs(Number(parentTime) * 1000, nowMs) / 1000);
    return Number(timestamp - parentTime) - Math.max(0, paused - this.settings.retarget.blockTimeSeconds);
  }

  shareDifficulty(template: BlockTemplate): bigint {
    const wanted = this.settings.shareDifficulty ?? template.difficulty / DEFAULT_SHARE_DIVISOR;
    // A share is never harder than a block: a block found must also count as a share (stratum.md 7.4).
    const capped = wanted > template.difficulty ? template.difficulty : wanted;
    return capped < 2n ? 2n : capped;
  }

  /** The stratum job: [header, seed, share target, height]. */
  poolWork(template: BlockTemplate): WorkPackage {
    return this.packageOf(template, difficultyToTarget(this.shareDifficulty(template)));
  }

  /** The node's sero_getWork: [header, seed, block boundary, height]. */
  nodeWork(template: BlockTemplate): WorkPackage {
    return this.packageOf(template, bytesToBigInt(getworkBoundary(template.difficulty)));
  }

  private packageOf(template: BlockTemplate, target: bigint): WorkPackage {
    return createWorkPackage({ headerHash: template.sealHash, seedHash: seedHash(epochOf(template.height)), target, height: template.height });
  }
}
