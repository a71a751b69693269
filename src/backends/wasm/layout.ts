// The shared memory map of a backend: low static data, then one scratch area per instance
// (index 0 is the main thread, 1.. the workers), a control block, the cdag and the light
// cache, then the DAG, or as much of it as fits in wasm32 memory.
import { scratchBytes, STATIC_BYTES } from './instance.js';
import { MAX_PAGES, PAGE_BYTES } from './module.js';
import { PROGPOW_CACHE_BYTES } from '../../pow/progpow-program.js';

export const CONTROL_BYTES = 64;
/** Control block: i32 stop flag at +0, i64 next-nonce offset at +8. */
export const CONTROL_STOP = 0;
export const CONTROL_COUNTER = 8;
/** Items one DAG build task computes (1 MiB, the smallest outside chunk); items bound outside wasm memory are staged through this many bytes per worker. */
export const TASK_ITEMS = 16384;
export const STAGING_BYTES = TASK_ITEMS * 64;
/** Headroom kept free under 4 GiB when deciding whether a DAG fits inside wasm memory. */
export const WASM_HEADROOM_BYTES = 64 * 1024 * 1024;
export const WASM_LIMIT_BYTES = MAX_PAGES * PAGE_BYTES;

export interface InstanceLayout {
  readonly scratch: number;
  readonly staging: number;
}

export interface FixedLayout {
  readonly batch: number;
  readonly results: number;
  readonly instances: InstanceLayout[];
  readonly control: number;
  readonly seed: number;
  readonly cdag: number;
  readonly end: number;
}

export interface EpochLayout {
  readonly cache: number;
  readonly cacheBytes: number;
  /** Start of the part of the DAG held in wasm memory. */
  readonly dag: number;
  readonly wasmDagBytes: number;
  readonly end: number;
}

function align(n: number, to = 64): number {
  return Math.ceil(n / to) * to;
}

export function fixedLayout(workers: number, batch: number, results: number): FixedLayout {
  const scratch = align(scratchBytes(batch, results));
  let p = STATIC_BYTES;
  const instances: InstanceLayout[] = [];
  for (let i = 0; i <= workers; i++) {
    const own = { scratch: p, staging: p + scratch };
    instances.push(own);
    p = own.staging + STAGING_BYTES;
  }
  const control = p;
  const seed = control + CONTROL_BYTES;
  const cdag = seed + 64;
  return { batch, results, instances, control, seed, cdag, end: cdag + PROGPOW_CACHE_BYTES };
}

function alignDown(n: number, to: number): number {
  return Math.floor(n / to) * to;
}

/** Bytes of DAG that fit in wasm memory next to the fixed part and the cache (whole MiB). */
export function wasmDagCapacity(fixed: FixedLayout, cacheBytes: number): number {
  const dagBase = align(align(fixed.end) + cacheBytes, 4096);
  return Math.max(0, alignDown(WASM_LIMIT_BYTES - WASM_HEADROOM_BYTES - dagBase, 1 << 20));
}

/** wasmDagBytes: the part of the DAG held in wasm memory (0 when it is all outside). */
export function epochLayout(fixed: FixedLayout, cacheBytes: number, wasmDagBytes: number): EpochLayout {
  const cache = align(fixed.end);
  const dag = align(cache + cacheBytes, 4096);
  return { cache, cacheBytes, dag, wasmDagBytes, end: dag + wasmDagBytes };
}
