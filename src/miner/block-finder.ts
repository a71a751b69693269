// The miner's own block source: every share goes to the pool through here, and one the pool
// accepted whose final hash meets the network target is a block candidate, whether or not the
// pool speaks sero-votes/1. So is one that went out and got no answer: a busy pool may have
// taken it (and sent it on to the node), and the node tells.
import type { ShareResult, ShareSubmission } from '../net/client/pool-client.js';
import type { WorkPackage } from '../net/wire/work.js';
import { meetsTarget } from '../pow/target.js';
import type { BlockEventSink, ConfirmationRule } from './block-tracker.js';
import type { WorkSource } from './rig.js';
import type { NetworkTarget } from './network-target.js';

export interface BlockFinderOptions {
  /** Where shares go and jobs come from (the pool manager). */
  readonly pool: WorkSource;
  /** The network target, when a node (or getwork) tells it; without one only the pool's notices find blocks. */
  readonly target: NetworkTarget | undefined;
  readonly sink: BlockEventSink;
  readonly rule: ConfirmationRule;
  /** The pool a share goes to now, as described to the user (its block is recorded as found there). */
  readonly activePool?: () => string | undefined;
}

export class BlockFinder implements WorkSource {
  constructor(private readonly options: BlockFinderOptions) {
    options.pool.on('work', (work) => options.target?.observe(work));
  }

  on(event: 'work', listener: (work: WorkPackage) => void): this;
  on(event: 'share', listener: (result: ShareResult) => void): this;
  on(event: 'work' | 'share', listener: (value: never) => void): this {
    this.options.pool.on(event as 'work', listener as (work: WorkPackage) => void);
    return this;
  }

  async submit(share: ShareSubmission): Promise<ShareResult> {
    const { pool, target, sink, rule } = this.options;
    // a share known to be a block goes out whatever the submission cap says
    const known = share.finalHash === undefined ? undefined : target?.known(share.work);
    const isBlock = known !== undefined && meetsTarget(share.finalHash!, known.target);
    const sentTo = this.options.activePool?.();
    const result = await pool.submit(isBlock ? { ...share, block: true } : share);
    const mayBeTaken = result.status === 'accepted' || result.unanswered === true;
    if (!mayBeTaken || share.finalHash === undefined || target === undefined) return result;
    const block = await target.blockTarget(share.work);
    if (block !== undefined && meetsTarget(share.finalHash, block.target)) {
      const { work, nonce, mixDigest } = share;
      const height = block.height ?? work.height;
      sink({
        kind: 'candidate', source: 'miner', height, nonce, headerHash: work.headerHash, mixDigest,
        votesNeeded: rule.votesNeeded, reward: rule.powCredit(height, block.difficulty), ...(sentTo === undefined ? {} : { pool: sentTo }),
      });
    }
    return result;
  }
}
