// Measurements of a prepared search backend, for the `bench` command and bench/: the sustained
// hash rate, the light-hash time, the DAG build rate and the machine they were taken on.
import { randomBytes } from 'node:crypto';
import { bytesToBigInt } from '../util/bytes.js';
import type { SearchBackend, SearchJob } from './backend.js';
import { cpuSecondsNow } from './machine.js';

export { machineInfo, type MachineInfo } from './machine.js';

export interface HashrateMeasurement {
  readonly hashrate: number;
  readonly hashes: number;
  readonly seconds: number;
  /** CPU seconds this process used meanwhile: hashes / cpuSeconds is the rate per busy thread, which time taken by other processes does not lower. */
  readonly cpuSeconds: number;
}

/**
 * Hashes per second over about `seconds`, after a warm-up that lets the JIT settle.
 * The target is 0, so nothing is found and only hashing is timed.
 */
export async function measureHashrate(backend: SearchBackend, height: number, seconds: number, warmupSeconds = 1): Promise<HashrateMeasurement> {
  const job: SearchJob = { headerHash: randomBytes(32), height, target: 0n };
  let nonce = bytesToBigInt(randomBytes(8));
  let count = 256;
  const run = async (n: number) => {
    const r = await backend.search(job, nonce, n);
    nonce = BigInt.asUintN(64, nonce + BigInt(n));
    return r.hashes;
  };
  // size the calls to last ~0.25 s (at least one calibrating call), warming up on the way
  const warm = performance.now();
  do {
    const t = performance.now();
    await run(count);
    const dt = (performance.now() - t) / 1000;
    count = Math.max(64, Math.round((count * 0.25) / Math.max(dt, 1e-3)));
  } while ((performance.now() - warm) / 1000 < warmupSeconds);
  let hashes = 0;
  const started = performance.now();
  const cpuStarted = cpuSecondsNow();
  while ((performance.now() - started) / 1000 < seconds) hashes += await run(count);
  const elapsed = (performance.now() - started) / 1000;
  return { hashrate: hashes / elapsed, hashes, seconds: elapsed, cpuSeconds: cpuSecondsNow() - cpuStarted };
}

/** A backend that hashes single nonces in light mode (from the cache, as when verifying a share). */
export interface LightHashing {
  lightHash(headerHash: Uint8Array, nonce: bigint, block: number): unknown;
}

/** Milliseconds per light-mode hash. */
export function measureLightHash(backend: LightHashing, height: number, hashes = 60): number {
  const header = randomBytes(32);
  for (let i = 0; i < 10; i++) backend.lightHash(header, BigInt(i), height);
  const started = performance.now();
  for (let i = 0; i < hashes; i++) backend.lightHash(header, BigInt(1000 + i), height);
  return (performance.now() - started) / hashes;
}

/** What every backend's DAG build reports. */
export interface DagBuildTimes {
  readonly dagBytes: number;
  readonly dagSeconds: number;
  readonly cacheSeconds: number;
}

export interface DagBuildFigures {
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly mibPerSecond: number;
  readonly cacheSeconds: number;
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** The DAG build as benchmarks report it: time, items (64 bytes) and MiB per second, cache time. */
export function dagBuildFigures(build: DagBuildTimes): DagBuildFigures {
  return {
    seconds: round(build.dagSeconds, 3),
    itemsPerSecond: round(build.dagBytes / 64 / build.dagSeconds),
    mibPerSecond: round(build.dagBytes / 2 ** 20 / build.dagSeconds, 2),
    cacheSeconds: round(build.cacheSeconds, 3),
  };
}
