// SERO-specific rules around the PoW.

/** SERO seals with ProgPoW from this height (SIP3, pow.md section 1); lower work is refused. */
export const PROGPOW_FORK_HEIGHT = 940410;

export class WorkRefusedError extends Error {}

/** Throws a clear error for heights that SERO does not seal with ProgPoW. */
export function assertProgpowHeight(height: number): void {
  if (height < PROGPOW_FORK_HEIGHT) {
    throw new WorkRefusedError(`work for height ${height} refused: SERO seals with ProgPoW only from height ${PROGPOW_FORK_HEIGHT}`);
  }
}
