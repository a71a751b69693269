// Light caches for verification and light hashing: the WASM generator when the build has it
// (an order of magnitude faster), else the TypeScript reference. Both are exact.
import { makeLightCache } from '../pow/ethash.js';
import type { DagSpec } from '../pow/epoch.js';

type Generator = (cacheSize: number, seed: Uint8Array) => Uint32Array | Promise<Uint32Array>;

let generator: Promise<Generator> | undefined;

async function pickGenerator(): Promise<Generator> {
  try {
    const specifier = './wasm/index.js';
    const wasm = (await import(specifier)) as { makeLightCacheWasm?: Generator };
    if (wasm.makeLightCacheWasm) return wasm.makeLightCacheWasm;
  } catch {
    // WASM not built: fall through to the reference
  }
  return makeLightCache;
}

export async function generateLightCache(cacheSize: number, seedHash: Uint8Array): Promise<Uint32Array> {
  generator ??= pickGenerator();
  return (await generator)(cacheSize, seedHash);
}

export function lightCacheFor(spec: DagSpec): Promise<Uint32Array> {
  return generateLightCache(spec.cacheSize, spec.seedHash);
}
