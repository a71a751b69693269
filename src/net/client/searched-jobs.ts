// The jobs the pool manager hands the devices: the pool's own, or a copy with a target the
// submission cap can bear (made again when the rig's hashrate outgrows it). Each remembers the
// pool it came from, so a share found for one pool's job is never sent to another; and the
// shares that are not sent at all: wasted (no pool for them) or held back by the cap.
import type { ShareResult, ShareSubmission } from './pool-client.js';
import type { SubmitRateCap } from './submit-rate-cap.js';
import { describePoolUri, type PoolUri } from '../wire/uri.js';
import type { WorkPackage } from '../wire/work.js';

/** A job is made again with a harder target at most this often. */
const RESEARCH_MS = 2000;

export class SearchedJobs {
  private readonly origins = new WeakMap<WorkPackage, PoolUri>();
  /** The job as the devices search it (the pool's, or a copy with a harder target) and when it was last made. */
  private searched: { readonly work: WorkPackage; readonly from: WorkPackage; at: number } | undefined;

  constructor(private readonly rateCap: SubmitRateCap, private readonly hashrate: () => number) {}

  /** The job the devices should search for the pool's `work` from `uri` (an absurd target is warned about once). */
  toSearch(work: WorkPackage, uri: PoolUri): WorkPackage {
    this.rateCap.checkTarget(work, describePoolUri(uri));
    const searched = this.rateCap.searchWork(work, this.hashrate());
    this.searched = { work: searched, from: work, at: Date.now() };
    this.origins.set(searched, uri);
    return searched;
  }

  /**
   * The verdict on a share that is not sent, and the pool it counts for: wasted when no pool is
   * up or its job came from another pool (`next`: the pool tried next), held back when over the
   * cap (a share known to be a block always goes out). Undefined: send it to `active`.
   */
  unsent(share: ShareSubmission, active: PoolUri | undefined, next: PoolUri): { result: ShareResult; pool: PoolUri } | undefined {
    const unsent = (message: string, throttled?: true): ShareResult => ({ status: 'dropped', work: share.work, nonce: share.nonce, message, latencyMs: 0, ...(throttled ? { throttled } : {}) });
    const origin = this.origins.get(share.work);
    if (active === undefined) return { result: unsent('not connected to any pool'), pool: origin ?? next };
    if (origin !== undefined && origin !== active) return { result: unsent('the job came from a pool that is no longer active'), pool: origin };
    if (share.block !== true && !this.rateCap.take(share.work, describePoolUri(active))) return { result: unsent('over the submission cap', true), pool: active };
    return undefined;
  }

  /** Shares over the cap while `current` is the pool's job: that job, when its searched copy is too easy for the rig's hashrate now. */
  outgrown(current: WorkPackage | undefined): WorkPackage | undefined {
    const searched = this.searched;
    if (searched === undefined || current !== searched.from || Date.now() - searched.at < RESEARCH_MS) return undefined;
    if (this.rateCap.outgrown(searched.work, searched.from, this.hashrate())) return searched.from;
    searched.at = Date.now();
    return undefined;
  }
}
