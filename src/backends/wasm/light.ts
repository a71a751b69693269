// Light-mode ProgPoW in WASM: the light cache, dataset items computed on demand, and single
// hashes for share verification and for re-checking every solution before it is submitted.
import { buildProgram, packProgram, PROGPOW_CACHE_BYTES } from '../../pow/progpow-program.js';
import { dagEntries, epochOf, HASH_BYTES, periodOf, type DagSpec } from '../../pow/epoch.js';
import { meetsTarget } from '../../pow/target.js';
import { bytesEqual } from '../../util/bytes.js';
import { createSharedMemory } from './module.js';
import { PowInstance, scratchBytes, STATIC_BYTES, type RoundsEngine } from './instance.js';
import { roundsModuleBytes } from './rounds-modules.js';

const CDAG_ITEMS = PROGPOW_CACHE_BYTES / HASH_BYTES;
/** Items computed per call when handing items out to TypeScript. */
const STAGING_ITEMS = 256;

function align(n: number, to = 64): number {
  return Math.ceil(n / to) * to;
}

function cacheRows(cacheSize: number): number {
  const rows = cacheSize / HASH_BYTES;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`cache size ${cacheSize} is not a positive multiple of ${HASH_BYTES}`);
  return rows;
}

/** The Ethash light cache (pow.md 4) as u32 words, generated in WASM. */
export function makeLightCacheWasm(cacheSize: number, seedHash: Uint8Array): Uint32Array {
  const rows = cacheRows(cacheSize);
  if (seedHash.length !== 32) throw new RangeError('seed hash must be 32 bytes');
  const seedPtr = align(STATIC_BYTES + scratchBytes(1, 1));
  const cachePtr = seedPtr + 64;
  const instance = new PowInstance(createSharedMemory(cachePtr + cacheSize), STATIC_BYTES, 1, 1);
  instance.bytes(seedPtr, 32).set(seedHash);
  instance.pow.buildCache(cachePtr, rows, seedPtr);
  return instance.words(cachePtr, cacheSize / 4).slice();
}

export interface HashResult {
  readonly mixDigest: Uint8Array;
  readonly finalHash: Uint8Array;
}

export type Verdict =
  | { readonly valid: true; readonly finalHash: Uint8Array }
  | { readonly valid: false; readonly reason: 'mix digest' | 'target'; readonly mixDigest: Uint8Array; readonly finalHash: Uint8Array };

/**
 * ProgPoW of single nonces for one DAG spec, with the cache and cdag held in WASM memory. The
 * loop iterations are interpreted (the check every search result goes through) unless engine
 * is 'generated': then each period's module is compiled here, synchronously (Node only).
 */
export class WasmLightHasher {
  private readonly instance: PowInstance;
  private readonly cachePtr: number;
  private readonly cdagPtr: number;
  private readonly stagingPtr: number;
  private period = -1;

  /** cache: the light cache words when already generated (else it is built here). */
  constructor(readonly spec: DagSpec, cache?: Uint32Array, readonly engine: RoundsEngine = 'interpreter') {
    const rows = cacheRows(spec.cacheSize);
    const seedPtr = align(STATIC_BYTES + scratchBytes(1, 1));
    this.cdagPtr = seedPtr + 64;
    this.stagingPtr = this.cdagPtr + PROGPOW_CACHE_BYTES;
    this.cachePtr = this.stagingPtr + STAGING_ITEMS * HASH_BYTES;
    this.instance = new PowInstance(createSharedMemory(this.cachePtr + spec.cacheSize), STATIC_BYTES, 1, 1);
    const pow = this.instance.pow;
    if (cache) {
      if (cache.length * 4 !== spec.cacheSize) throw new RangeError('cache does not match the spec');
      this.instance.words(this.cachePtr, cache.length).set(cache);
    } else {
      this.instance.bytes(seedPtr, 32).set(spec.seedHash);
      pow.buildCache(this.cachePtr, rows, seedPtr);
    }
    pow.setCache(this.cachePtr, rows);
    pow.buildItems(this.cdagPtr, 0, CDAG_ITEMS);
    pow.setDag(this.cdagPtr, 0, dagEntries(spec.datasetSize), 0, true);
  }

  /** The light cache words (a view into WASM memory: copy before keeping). */
  cacheView(): Uint32Array {
    return this.instance.words(this.cachePtr, this.spec.cacheSize / 4);
  }

  cdag(): Uint32Array {
    return this.instance.words(this.cdagPtr, PROGPOW_CACHE_BYTES / 4).slice();
  }

  /** Dataset items first .. first+count-1 (16 words each), computed from the cache. */
  items(first: number, count: number): Uint32Array {
    const out = new Uint32Array(count * 16);
    for (let done = 0; done < count; done += STAGING_ITEMS) {
      const n = Math.min(STAGING_ITEMS, count - done);
      this.instance.pow.buildItems(this.stagingPtr, first + done, n);
      out.set(this.instance.words(this.stagingPtr, n * 16), done * 16);
    }
    return out;
  }

  /**
   * Checks a share or block solution as the node does (go-sero VerifySeal): the mix digest
   * must equal the recomputed one, then the final hash must be at or below the target.
   */
  verify(headerHash: Uint8Array, nonce: bigint, block: number, mixDigest: Uint8Array, target: bigint): Verdict {
    const r = this.hash(headerHash, nonce, block);
    if (!bytesEqual(r.mixDigest, mixDigest)) return { valid: false, reason: 'mix digest', ...r };
    if (!meetsTarget(r.finalHash, target)) return { valid: false, reason: 'target', ...r };
    return { valid: true, finalHash: r.finalHash };
  }

  hash(headerHash: Uint8Array, nonce: bigint, block: number): HashResult {
    if (epochOf(block) !== this.spec.epoch) throw new RangeError(`block ${block} is not in epoch ${this.spec.epoch}`);
    const period = periodOf(block);
    if (period !== this.period) {
      const program = buildProgram(period);
      this.instance.loadProgram(packProgram(program), program.ops.length);
      this.instance.useRounds(period, this.engine === 'generated' ? new WebAssembly.Module(roundsModuleBytes(period)) : undefined);
      this.period = period;
    }
    this.instance.writeHeader(headerHash);
    this.instance.pow.hashBatch(BigInt.asUintN(64, nonce), 1);
    return this.instance.batchResult(0);
  }
}
