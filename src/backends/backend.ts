// The interface every nonce-search backend implements (WASM on the CPU, WebGPU on a GPU).
// A backend owns its copy of the DAG for one epoch and searches nonce ranges of jobs;
// the miner and the CLI drive every backend through this interface alone.
import type { DagSpec } from '../pow/epoch.js';

export type BackendName = 'wasm' | 'webgpu' | 'reference';

/** One unit of work: what a pool or node hands out, already parsed. */
export interface SearchJob {
  /** 32-byte seal hash of the header (pow.md 6.1). */
  readonly headerHash: Uint8Array;
  /** Block number; selects the DAG epoch and the program period. */
  readonly height: number;
  /** 256-bit target: a solution has big-endian final hash <= target. */
  readonly target: bigint;
}

export interface Solution {
  readonly nonce: bigint;
  readonly mixDigest: Uint8Array;
  readonly finalHash: Uint8Array;
}

export interface SearchResult {
  /** Every solution in the range, in nonce order, each re-checked on the CPU. */
  readonly solutions: Solution[];
  /** Nonces actually hashed (less than count when stopped early). */
  readonly hashes: number;
}

export interface DagProgress {
  readonly done: number;
  readonly total: number;
}

export interface SearchBackend {
  readonly name: BackendName;
  /** Human-readable description of the device (CPU model and threads, GPU adapter). */
  readonly device: string;
  /**
   * Make the DAG of this spec resident (build or load it). Resolves once searches
   * for jobs of that epoch can run; a no-op when it is already resident.
   */
  prepare(dag: DagSpec, onProgress?: (p: DagProgress) => void): Promise<void>;
  /**
   * Hash nonces start .. start+count-1 (wrapping at 2^64) for the job and return every
   * solution. The signal stops the search early; what was already found is returned.
   */
  search(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult>;
  /**
   * Another instance of this backend on the same hardware with the same settings (WebGPU: the
   * same tuning), in which the rig builds the next epoch's DAG while this one searches, and which
   * takes over at the epoch change. Undefined when there is no room for a second DAG of `next`.
   */
  openTwin?(next: DagSpec): Promise<SearchBackend | undefined>;
  /** Release threads, devices and memory. */
  close(): Promise<void>;
}
