// Shares as serominer counts them, for each device and, as their sum, for the rig: accepted,
// stale, rejected by the pool, failed (sent and never answered); and apart, the shares that
// were never sent: held back by the submission cap, or wasted with no pool to send them to.
import type { ShareResult } from '../net/client/pool-client.js';

export interface ShareCounts {
  accepted: number;
  stale: number;
  rejected: number;
  /** Sent and never answered (no reply in time, or the connection closed first): serominer's failed. */
  failed: number;
  /** Held back by the submission cap, never sent. */
  held: number;
  /** Found with no pool to send them to (no connection, or the job of a pool no longer active), never sent. */
  wasted: number;
}

export function noShares(): ShareCounts {
  return { accepted: 0, stale: 0, rejected: 0, failed: 0, held: 0, wasted: 0 };
}

/** Which count a verdict goes to. */
export function shareCountOf(result: ShareResult): keyof ShareCounts {
  if (result.status !== 'dropped') return result.status;
  if (result.throttled === true) return 'held';
  return result.unanswered === true ? 'failed' : 'wasted';
}

/** Counts one pool verdict. */
export function countShare(counts: ShareCounts, result: ShareResult): void {
  counts[shareCountOf(result)]++;
}

/** The sum of several counts (the rig's, from its devices'). */
export function sumShares(counts: readonly ShareCounts[]): ShareCounts {
  const total = noShares();
  for (const c of counts) for (const key of Object.keys(total) as (keyof ShareCounts)[]) total[key] += c[key];
  return total;
}
