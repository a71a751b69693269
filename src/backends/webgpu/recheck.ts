// Every GPU candidate is recomputed on the CPU from the light cache before it becomes a
// solution: the full 256-bit target test happens here, and a hash the GPU got wrong is
// caught instead of being submitted.
import type { SearchJob, Solution } from '../backend.js';
import type { DagSpec } from '../../pow/epoch.js';
import { lightDag, progpowHash, type ProgpowResult } from '../../pow/progpow.js';
import { bytesToBigInt } from '../../pow/hex.js';
import { meetsTarget } from '../../pow/target.js';
import type { Candidate } from './search-runner.js';

type LightHash = (headerHash: Uint8Array, nonce: bigint, block: number) => ProgpowResult;

/** The WASM light hasher when the build has it (much faster), else the TypeScript reference. */
async function lightHasher(spec: DagSpec, cache: Uint32Array): Promise<LightHash> {
  try {
    const specifier = '../wasm/index.js';
    const wasm = (await import(specifier)) as typeof import('../wasm/index.js');
    const hasher = new wasm.WasmLightHasher(spec, cache);
    return (header, nonce, block) => hasher.hash(header, nonce, block);
  } catch {
    const dag = lightDag(cache, spec.datasetSize);
    return (header, nonce, block) => progpowHash(header, nonce, block, dag);
  }
}

export type RecheckVerdict = { readonly solution: Solution } | { readonly solution?: undefined; readonly gpuMismatch: boolean };

export class SolutionChecker {
  private constructor(private readonly hash: LightHash) {}

  static async create(spec: DagSpec, cache: Uint32Array): Promise<SolutionChecker> {
    return new SolutionChecker(await lightHasher(spec, cache));
  }

  /**
   * A solution when the nonce really meets the full target. Otherwise says whether the
   * GPU's hash disagreed with the CPU's (a fault) or was only a 64-bit near miss.
   */
  check(job: SearchJob, candidate: Candidate): RecheckVerdict {
    const { mixDigest, finalHash } = this.hash(job.headerHash, candidate.nonce, job.height);
    if (bytesToBigInt(finalHash.subarray(0, 8)) !== candidate.finalTop) return { gpuMismatch: true };
    if (!meetsTarget(finalHash, job.target)) return { gpuMismatch: false };
    return { solution: { nonce: candidate.nonce, mixDigest, finalHash } };
  }
}
