// Every GPU candidate is recomputed on the CPU from the light cache before it becomes a
// solution: the full 256-bit target test happens here, and a hash the GPU got wrong is
// caught instead of being submitted.
import type { SearchJob, Solution } from '../backend.js';
import type { DagSpec } from '../../pow/epoch.js';
import { bytesToBigInt } from '../../util/bytes.js';
import { meetsTarget } from '../../pow/target.js';
import { createLightHash, type LightHash } from '../light-hasher.js';
import type { Candidate } from './search-io.js';

export type RecheckVerdict = { readonly solution: Solution } | { readonly solution?: undefined; readonly gpuMismatch: boolean };

export class SolutionChecker {
  private readonly hash: LightHash;

  constructor(spec: DagSpec, cache: Uint32Array) {
    this.hash = createLightHash(spec, cache);
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
