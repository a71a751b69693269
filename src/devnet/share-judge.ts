// Judges a submitted share: the PoW is checked with the light hash, then the share target, the
// block target and the height decide whether it is stale, a share, or a new block candidate.
import { bytesTo0x, type Hex } from '../util/hex.js';
import { bytesToBigInt } from '../util/bytes.js';
import type { SubmitContext, SubmitOutcome, SubmittedShare } from '../net/server/provider.js';
import type { CandidateSolution } from './candidate.js';
import type { PowVerifier } from './pow-verifier.js';
import { hashPos } from './stake/hashes.js';
import type { WorkBook } from './work-book.js';

export interface ShareJudgeSettings {
  readonly work: WorkBook;
  readonly verifier: PowVerifier;
  /** Account credited for solutions that name none (getwork over RPC without a path). */
  readonly defaultFinder: string;
  /** Whether a block at `height` would be the next one; asked after the PoW check, which waits. */
  readonly takesBlockAt: (height: number) => boolean;
  /** Whether a candidate with this HashPos is already running. */
  readonly hasCandidate: (posHash: Hex) => boolean;
}

/** What the submitter is told, or a block candidate to run (the submitter hears: accepted, a block). */
export type ShareVerdict = SubmitOutcome | { readonly kind: 'candidate'; readonly solution: CandidateSolution };

/**
 * `pool` shares must meet the share target and still count for an older height; `node`
 * solutions (getwork) must meet the block target and are stale unless for the next height.
 */
export async function judgeShare(settings: ShareJudgeSettings, share: SubmittedShare, context: SubmitContext, via: 'pool' | 'node'): Promise<ShareVerdict> {
  const template = settings.work.find(bytesTo0x(share.headerHash));
  if (template === undefined) return { kind: 'stale' };
  const check = await settings.verifier.check(share.headerHash, share.nonce, template.height, share.mixDigest);
  if (!check.ok) return { kind: 'invalid', reason: check.reason };
  const value = bytesToBigInt(check.finalHash);
  const meetsBlock = value <= template.blockTarget;
  if (via === 'pool' && value > share.work.target) return { kind: 'invalid', reason: 'final hash above the share target' };
  if (via === 'node' && !meetsBlock) return { kind: 'invalid', reason: 'final hash above the block target' };
  const forNextBlock = settings.takesBlockAt(template.height);
  // gero forgets work once its height has a block; a pool still counts the share.
  if (via === 'node' && !forNextBlock) return { kind: 'stale' };
  if (!meetsBlock || !forNextBlock) return { kind: 'accepted', block: false };
  const posHash = hashPos(bytesTo0x(share.mixDigest), share.nonce);
  if (settings.hasCandidate(posHash)) return { kind: 'duplicate' };
  const finder = context.login !== '' ? context.login : settings.defaultFinder;
  return { kind: 'candidate', solution: { template, nonce: share.nonce, mixDigest: share.mixDigest, posHash, finder, context } };
}
