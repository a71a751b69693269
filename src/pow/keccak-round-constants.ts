// The Keccak round constants, generated once from their definition (FIPS 202 3.2.5: the bits of
// the LFSR x^8 + x^6 + x^5 + x^4 + 1) for both permutations the miner runs: Keccak-f[1600] with
// 24 rounds of 64-bit constants, and ProgPoW's Keccak-f[800] with the low 32 bits of the first 22.
// The WGSL and AssemblyScript kernels get these rendered in (backends/kernel-constants.ts).

export const KECCAK_F1600_ROUNDS = 24;
/** ProgPoW 0.9.2 runs 22 rounds of Keccak-f[800] (pow.md 3.3). */
export const KECCAK_F800_ROUNDS = 22;

function generate(): bigint[] {
  const constants: bigint[] = [];
  let lfsr = 0x01;
  for (let round = 0; round < KECCAK_F1600_ROUNDS; round++) {
    let rc = 0n;
    // bit 2^j - 1 of the constant is the LFSR's output at step 7·round + j
    for (let j = 0; j < 7; j++) {
      if (lfsr & 0x01) rc |= 1n << BigInt((1 << j) - 1);
      lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x71) & 0xff : (lfsr << 1) & 0xff;
    }
    constants.push(rc);
  }
  return constants;
}

/** The 24 round constants of Keccak-f[1600]. */
export const KECCAK_F1600_RC: readonly bigint[] = Object.freeze(generate());

/** Keccak-f[800]'s round constants: the low 32 bits of the first 22 of Keccak-f[1600]'s. */
export const KECCAK_F800_RC: readonly number[] = Object.freeze(KECCAK_F1600_RC.slice(0, KECCAK_F800_ROUNDS).map((rc) => Number(rc & 0xffffffffn)));
