// Job-switch latency of a search backend, measured as the search loop meets it: two searches of
// the old job queued (the loop keeps two ahead), then at a random moment they are aborted and
// the new job's search is issued. The time to its first hash read back is what a new job costs:
// on WASM the running chunk's stop, on WebGPU the dispatches already on the device, which a
// queue cannot take back, plus one hash and its read-back.
import { randomBytes } from 'node:crypto';
import { bytesToBigInt } from '../util/bytes.js';
import type { SearchBackend, SearchJob } from './backend.js';

export interface JobSwitchOptions {
  /** Hashes per second of the backend, to size the old job's queued searches. */
  readonly hashrate: number;
  /** Switches measured (default 8). */
  readonly trials?: number;
  /** Length of each queued search of the old job, in seconds (default 0.5). */
  readonly searchSeconds?: number;
}

export interface JobSwitchFigures {
  /** From issuing the new job's search to its first hash read back, in milliseconds. */
  readonly medianMs: number;
  readonly maxMs: number;
  readonly minMs: number;
  readonly trials: number;
  /** Nonces in each queued search of the old job. */
  readonly queuedSearch: number;
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function randomJob(height: number): SearchJob {
  return { headerHash: randomBytes(32), height, target: 0n };
}

/** Job-switch latency of a prepared backend at block `height`. */
export async function measureJobSwitch(backend: SearchBackend, height: number, options: JobSwitchOptions): Promise<JobSwitchFigures> {
  const trials = options.trials ?? 8;
  const searchSeconds = options.searchSeconds ?? 0.5;
  const queuedSearch = Math.max(64, Math.round(options.hashrate * searchSeconds));
  const times: number[] = [];
  let nonce = bytesToBigInt(randomBytes(8));
  const next = (count: number) => {
    const start = nonce;
    nonce = BigInt.asUintN(64, nonce + BigInt(count));
    return start;
  };
  for (let i = 0; i < trials; i++) {
    const old = randomJob(height);
    const stop = new AbortController();
    const queued = [backend.search(old, next(queuedSearch), queuedSearch, stop.signal), backend.search(old, next(queuedSearch), queuedSearch, stop.signal)];
    // Somewhere inside the first queued search, as a pool's new job falls anywhere.
    await sleep(searchSeconds * 1000 * (0.2 + 0.6 * Math.random()));
    const started = performance.now();
    stop.abort();
    const first = await backend.search(randomJob(height), next(1), 1);
    times.push(performance.now() - started);
    await Promise.allSettled(queued);
    if (first.hashes !== 1) throw new Error(`the new job's search hashed ${first.hashes} nonces, expected 1`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: round(sorted[Math.floor(trials / 2)]!), maxMs: round(sorted[trials - 1]!), minMs: round(sorted[0]!), trials, queuedSearch };
}
