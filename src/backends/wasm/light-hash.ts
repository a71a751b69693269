// `hash --backend wasm`: one light ProgPoW hash, keeping the last epoch's cache for reuse.
import type { DagSpec } from '../../pow/epoch.js';
import { WasmLightHasher, type HashResult } from './light.js';

let last: WasmLightHasher | undefined;

function sameSpec(a: DagSpec, b: DagSpec): boolean {
  return a.epoch === b.epoch && a.mode === b.mode && a.cacheSize === b.cacheSize && a.datasetSize === b.datasetSize;
}

export function wasmLightHash(headerHash: Uint8Array, nonce: bigint, block: number, spec: DagSpec): HashResult {
  if (!last || !sameSpec(last.spec, spec)) last = new WasmLightHasher(spec);
  return last.hash(headerHash, nonce, block);
}
