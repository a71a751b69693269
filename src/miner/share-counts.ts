// Shares as serominer counts them, for each device and, as their sum, for the rig.
import type { ShareResult } from '../net/client/pool-client.js';

export interface ShareCounts {
  accepted: number;
  stale: number;
  rejected: number;
  /** Found but never answered (no connection). */
  dropped: number;
}

export function noShares(): ShareCounts {
  return { accepted: 0, stale: 0, rejected: 0, dropped: 0 };
}

/** Counts one pool verdict. */
export function countShare(counts: ShareCounts, result: ShareResult): void {
  counts[result.status]++;
}

/** The sum of several counts (the rig's, from its devices'). */
export function sumShares(counts: readonly ShareCounts[]): ShareCounts {
  const total = noShares();
  for (const c of counts) for (const key of Object.keys(total) as (keyof ShareCounts)[]) total[key] += c[key];
  return total;
}
