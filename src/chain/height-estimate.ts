// An estimate of SERO mainnet's height on a date, for defaults that want "the current epoch"
// where no node is asked (the benchmarks): pow.md 8 extrapolates the last dated height
// (SIP10's 5,703,394, about 2021-06-08) at the 2019-2021 average of about 6,400 blocks a day.
import { PROGPOW_ACTIVATION_HEIGHT } from './forks.js';

const ANCHOR_HEIGHT = 5_703_394;
const ANCHOR_TIME_MS = Date.UTC(2021, 5, 8);
const BLOCKS_PER_DAY = 6_400;
const DAY_MS = 86_400_000;

/** Estimated mainnet height at `nowMs` (never below the anchor). */
export function estimatedMainnetHeight(nowMs: number = Date.now()): number {
  return ANCHOR_HEIGHT + Math.max(0, Math.floor(((nowMs - ANCHOR_TIME_MS) / DAY_MS) * BLOCKS_PER_DAY));
}

/** The block a benchmark takes for "today": the estimate, never below ProgPoW's first block. */
export function todaysBlock(nowMs: number = Date.now()): number {
  return Math.max(PROGPOW_ACTIVATION_HEIGHT, estimatedMainnetHeight(nowMs));
}
