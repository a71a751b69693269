// The shares a miner submitted, remembered so that a pool's block notice can be matched to one of
// them: the last 1,024, by height and nonce, each with the header it was submitted for and its mix
// digest. A notice for anything else is a forgery. The stratum client keeps this memory for its
// connection and hands each notice on with the share it matched (pool-client.ts OfSubmittedShare).
import { bytesToHex, formatNonce } from '../../util/hex.js';
import type { BlockRef } from '../wire/vote-extension.js';
import type { ShareSubmission, SubmittedShare } from './pool-client.js';

/** Shares remembered: a block's notices follow its share within minutes. */
export const SUBMISSIONS_KEPT = 1024;

/** The one key of a submitted share, and of the block it may be: its height and nonce. */
export function shareKey(height: number, nonce: bigint): string {
  return `${height}:${formatNonce(nonce)}`;
}

export class SubmittedShares {
  private readonly shares = new Map<string, SubmittedShare>();

  remember(share: ShareSubmission): void {
    this.shares.set(shareKey(share.work.height, share.nonce), { headerHex: bytesToHex(share.work.headerHash), mixDigest: share.mixDigest });
    if (this.shares.size > SUBMISSIONS_KEPT) this.shares.delete(this.shares.keys().next().value!);
  }

  /** The share a notice is about: one submitted with its height and nonce, for the header it names. */
  match(notice: BlockRef): SubmittedShare | undefined {
    const share = this.shares.get(shareKey(notice.height, notice.nonce));
    return share !== undefined && share.headerHex === bytesToHex(notice.headerHash) ? share : undefined;
  }
}
