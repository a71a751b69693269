// Heights at which SERO's consensus rules change, as go-sero's SIPs set them on mainnet.

/** SIP3: SERO seals with ProgPoW from this height (pow.md 1); miners and the devnet refuse lower work. */
export const PROGPOW_ACTIVATION_HEIGHT = 940_410;

/** SIP7: an extra halving of the PoW and vote rewards from this height (stake-mainnet.md 5.1, 5.2, 7). */
export const SIP7_HEIGHT = 2_764_851;
