// Checks submitted solutions with the ProgPoW light evaluation (the official pool and the node
// do the same): the mix digest must match exactly and the final hash must meet the target.
// The WASM light hasher is used when the build has it (about 40x faster than the TypeScript
// reference, which matters at a few shares per second); both are exact.
import { dagSpecForBlock, epochOf, type DagMode, type DagSpec } from '../pow/epoch.js';
import { lightDag, progpowHash, type ProgpowResult } from '../pow/progpow.js';
import { lightCacheFor } from '../backends/light-cache.js';

export type SolutionCheck =
  | { readonly ok: true; readonly finalHash: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** 'auto': WASM when built, else the reference; 'reference': always the TypeScript reference. */
export type VerifierEngine = 'auto' | 'reference';

type LightHash = (headerHash: Uint8Array, nonce: bigint, block: number) => ProgpowResult;

interface WasmLightModule {
  WasmLightHasher: new (spec: DagSpec, cache?: Uint32Array) => { hash: LightHash };
}

/** Light caches are tens of MB on the full DAG; an epoch boundary needs at most two at once. */
const EPOCHS_KEPT = 2;

export class PowVerifier {
  private readonly hashers = new Map<number, Promise<LightHash>>();

  constructor(readonly mode: DagMode, private readonly engine: VerifierEngine = 'auto') {}

  /** The light hasher of a height's epoch, built once and kept while the epoch is recent. */
  hasherFor(height: number): Promise<LightHash> {
    const epoch = epochOf(height);
    let hasher = this.hashers.get(epoch);
    if (hasher === undefined) {
      hasher = this.buildHasher(dagSpecForBlock(height, this.mode));
      hasher.catch(() => this.hashers.delete(epoch));
      this.hashers.set(epoch, hasher);
      for (const kept of [...this.hashers.keys()].sort((a, b) => a - b)) {
        if (this.hashers.size <= EPOCHS_KEPT) break;
        if (kept !== epoch) this.hashers.delete(kept);
      }
    }
    return hasher;
  }

  /** Recomputes the hash of (header, nonce) at `height` and compares the mix digest. */
  async check(headerHash: Uint8Array, nonce: bigint, height: number, mixDigest: Uint8Array): Promise<SolutionCheck> {
    const result = (await this.hasherFor(height))(headerHash, nonce, height);
    if (!sameBytes(result.mixDigest, mixDigest)) return { ok: false, reason: 'mix digest does not match the ProgPoW result' };
    return { ok: true, finalHash: result.finalHash };
  }

  private async buildHasher(spec: DagSpec): Promise<LightHash> {
    const cache = await lightCacheFor(spec);
    const wasm = this.engine === 'auto' ? await loadWasm() : undefined;
    if (wasm !== undefined) {
      try {
        const hasher = new wasm.WasmLightHasher(spec, cache);
        return (headerHash, nonce, block) => hasher.hash(headerHash, nonce, block);
      } catch {
        // the module loaded but could not start (no compiled .wasm): use the reference
      }
    }
    const dag = lightDag(cache, spec.datasetSize);
    return (headerHash, nonce, block) => progpowHash(headerHash, nonce, block, dag);
  }
}

async function loadWasm(): Promise<WasmLightModule | undefined> {
  try {
    const specifier = '../backends/wasm/index.js';
    const module = (await import(specifier)) as Partial<WasmLightModule>;
    return typeof module.WasmLightHasher === 'function' ? (module as WasmLightModule) : undefined;
  } catch {
    return undefined; // WASM not built: the reference verifies alone
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
