// Difficulty retarget with the shape of SERO's rule (pow.md 6.3):
//   D' = D + floor(D/q) · max(1 − floor(dt/T), −99),  D' ≥ minimum
// Mainnet uses q = 2048 and T = 9 s; the devnet takes a much smaller q so a change of hashrate
// (one CPU, a GPU joining) is absorbed within a few blocks.

export interface RetargetRule {
  /** Target block time T in whole seconds. */
  readonly blockTimeSeconds: number;
  /** Adjustment quotient q: one step moves D by D/q. */
  readonly quotient: bigint;
  readonly minimumDifficulty: bigint;
}

export const DEFAULT_BLOCK_TIME_SECONDS = 10;
export const DEVNET_DIFFICULTY_QUOTIENT = 8n;
const MAX_DOWN_STEPS = -99n;

export function validateRule(rule: RetargetRule): void {
  if (!Number.isSafeInteger(rule.blockTimeSeconds) || rule.blockTimeSeconds < 1) {
    throw new RangeError(`block time must be a whole number of seconds >= 1, got ${rule.blockTimeSeconds}`);
  }
  if (rule.quotient < 1n) throw new RangeError(`difficulty quotient must be >= 1, got ${rule.quotient}`);
  // Difficulty 1 has no 32-byte getwork boundary (stratum.md 7.3).
  if (rule.minimumDifficulty < 2n) throw new RangeError(`minimum difficulty must be >= 2, got ${rule.minimumDifficulty}`);
}

/**
 * Difficulty of a block whose timestamp is `dtSeconds` after its parent's. Below q the step
 * would round to 0 and the rule would stall, so a step is at least 1.
 */
export function nextDifficulty(parentDifficulty: bigint, dtSeconds: number, rule: RetargetRule): bigint {
  const dt = BigInt(Math.max(0, Math.floor(dtSeconds)));
  let factor = 1n - dt / BigInt(rule.blockTimeSeconds);
  if (factor < MAX_DOWN_STEPS) factor = MAX_DOWN_STEPS;
  let step = parentDifficulty / rule.quotient;
  if (step < 1n) step = 1n;
  const next = parentDifficulty + step * factor;
  return next < rule.minimumDifficulty ? rule.minimumDifficulty : next;
}
