// The jobs the pool manager hands the devices: the pool's own, or a copy with a target the
// submission cap can bear (made again when the rig's hashrate outgrows it). Each remembers the
// pool it came from, so a share found for one pool's job is never sent to another.
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

  /** Why a share found for `work` may not go to the active pool (undefined: it may). */
  dropReason(work: WorkPackage, active: PoolUri | undefined): string | undefined {
    if (active === undefined) return 'not connected to any pool';
    const origin = this.origins.get(work);
    return origin !== undefined && origin !== active ? 'the job came from a pool that is no longer active' : undefined;
  }

  /** The pool a searched job came from. */
  originOf(work: WorkPackage): PoolUri | undefined {
    return this.origins.get(work);
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
