// Checks submitted solutions with the ProgPoW light evaluation (the official pool and the node
// do the same): the mix digest must match exactly and the final hash must meet the target.
// The WASM light hasher is used when the build has it (about 40x faster than the TypeScript
// reference, which matters at a few shares per second); both are exact.
import { dagSpecForBlock, epochOf, type DagMode, type DagSpec } from '../pow/epoch.js';
import { createLightHash, lightCacheFor, type LightEngine, type LightHash } from '../backends/light-hasher.js';

export type SolutionCheck =
  | { readonly ok: true; readonly finalHash: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** 'auto': WASM when built, else the reference; 'reference': always the TypeScript reference. */
export type VerifierEngine = Exclude<LightEngine, 'wasm'>;

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
    return createLightHash(spec, lightCacheFor(spec), this.engine);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
