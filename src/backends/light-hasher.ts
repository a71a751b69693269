// Light evaluation for share verification and solution re-checks: the Ethash light cache and
// single ProgPoW hashes from it, in WASM when build/progpow.wasm is built (an order of
// magnitude faster), else the TypeScript reference. Both are exact.
import type { DagSpec } from '../pow/epoch.js';
import { makeLightCache } from '../pow/ethash.js';
import { lightDag, progpowHash, type ProgpowResult } from '../pow/progpow.js';
import { makeLightCacheWasm, WasmLightHasher } from './wasm/light.js';
import { powModuleAvailable } from './wasm/module.js';

/**
 * 'auto': WASM when the module is built, else the reference; 'wasm': WASM or an error saying
 * to build it; 'reference': always the TypeScript reference.
 */
export type LightEngine = 'auto' | 'wasm' | 'reference';

export type LightHash = (headerHash: Uint8Array, nonce: bigint, block: number) => ProgpowResult;

function usesWasm(engine: LightEngine): boolean {
  return engine === 'wasm' || (engine === 'auto' && powModuleAvailable());
}

/** The Ethash light cache (pow.md 4) as u32 words. */
export function generateLightCache(cacheSize: number, seedHash: Uint8Array): Uint32Array {
  return usesWasm('auto') ? makeLightCacheWasm(cacheSize, seedHash) : makeLightCache(cacheSize, seedHash);
}

export function lightCacheFor(spec: DagSpec): Uint32Array {
  return generateLightCache(spec.cacheSize, spec.seedHash);
}

/** ProgPoW of single nonces of the spec's epoch, from its light cache (generated when not given). */
export function createLightHash(spec: DagSpec, cache?: Uint32Array, engine: LightEngine = 'auto'): LightHash {
  if (usesWasm(engine)) {
    const hasher = new WasmLightHasher(spec, cache);
    return (headerHash, nonce, block) => hasher.hash(headerHash, nonce, block);
  }
  const dag = lightDag(cache ?? lightCacheFor(spec), spec.datasetSize);
  return (headerHash, nonce, block) => progpowHash(headerHash, nonce, block, dag);
}
