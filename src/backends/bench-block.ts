// The block `bench` hashes when none is named: one miners mine today, never one before ProgPoW.
// Today's block (SERO's height estimated from the date) where the backend holds today's DAG,
// else ProgPoW's first block, 940410 (epoch 31, a 1.2 GiB DAG).
import { PROGPOW_ACTIVATION_HEIGHT } from '../chain/forks.js';
import { todaysBlock } from '../chain/height-estimate.js';
import { datasetSize, epochOf, type DagMode } from '../pow/epoch.js';
import { WASM_HEADROOM_BYTES, WASM_LIMIT_BYTES } from './wasm/layout.js';

export interface BenchBlockChoice {
  readonly block: number;
  /** Why, in a few words, for the line bench prints. */
  readonly reason: string;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

export interface BenchBlockOptions {
  readonly backend: 'wasm' | 'webgpu';
  readonly dag: DagMode;
  /** A WebGPU adapter that renders on the CPU (lavapipe, SwiftShader). */
  readonly softwareAdapter?: boolean;
  readonly nowMs?: number;
}

/** The default block, before the device is asked (a GPU may still turn out too small: bench then falls back to the first ProgPoW block). */
export function defaultBenchBlock(o: BenchBlockOptions): BenchBlockChoice {
  const today = todaysBlock(o.nowMs);
  const todaysDag = datasetSize(epochOf(today));
  const first = (why: string): BenchBlockChoice => ({ block: PROGPOW_ACTIVATION_HEIGHT, reason: `ProgPoW's first block: ${why}` });
  if (o.dag === 'small') return { block: today, reason: `today's estimated height (epoch ${epochOf(today)}) on the small DAG` };
  if (o.backend === 'wasm' && todaysDag > WASM_LIMIT_BYTES - WASM_HEADROOM_BYTES) return first(`today's DAG (epoch ${epochOf(today)}, ${gib(todaysDag)}) is beyond the 4 GiB of wasm32 memory the CPU backend hashes from`);
  if (o.backend === 'webgpu' && o.softwareAdapter) return first(`a software adapter builds today's DAG (${gib(todaysDag)}) on the CPU`);
  return { block: today, reason: `today's estimated height (epoch ${epochOf(today)}, a ${gib(todaysDag)} DAG)` };
}
