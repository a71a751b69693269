// The PoW constants the WGSL and AssemblyScript kernels use, by name, from their one definition
// in src/pow/: webgpu/render-constants.ts renders them into every WGSL kernel and
// wasm/assembly-constants.ts into the AssemblyScript build. The Keccak round constants are tables.
import { DATASET_PARENTS } from '../pow/ethash.js';
import { FNV_OFFSET, FNV_PRIME } from '../pow/fnv.js';
import { KECCAK_F1600_RC, KECCAK_F800_RC } from '../pow/keccak-round-constants.js';
import { PROGPOW_CACHE_WORDS, PROGPOW_CNT_DAG, PROGPOW_DAG_LOADS, PROGPOW_LANES, PROGPOW_REGS } from '../pow/progpow-program.js';

export const POW_KERNEL_CONSTANTS: Readonly<Record<string, number>> = {
  FNV_PRIME, FNV_OFFSET, DATASET_PARENTS,
  PROGPOW_LANES, PROGPOW_REGS, PROGPOW_DAG_LOADS, PROGPOW_CACHE_WORDS, PROGPOW_CNT_DAG,
};

/** The Keccak round constants: ProgPoW's f[800] (u32) and the DAG's f[1600] (u64, 24 rounds). */
export const KECCAK_TABLES = { KECCAK_F800_RC, KECCAK_F1600_RC } as const;

/** A table entry as both languages write it: `0x` and 8 (u32) or 16 (u64) hex digits. */
export function hexLiteral(value: number | bigint, digits: 8 | 16): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** A u32 as both languages write it: decimal, or 8 hex digits for the large ones (the FNV constants). */
export function u32Literal(value: number): string {
  return value > 0xffff ? `0x${value.toString(16).padStart(8, '0')}` : `${value}`;
}
