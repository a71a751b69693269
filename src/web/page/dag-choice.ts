// The benchmark's default block and DAG: the newest epoch (up to SERO's estimated height) whose
// DAG the chosen backends can hold, never one before ProgPoW (940410), else the small DAG. "Can hold" is estimated from what the
// browser tells; the backends still check for themselves when the DAG is built.
import { todaysBlock } from '../../chain/height-estimate.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../../chain/forks.js';
import { DAG_ENTRY_BYTES, DATASET_BYTES_GROWTH, DATASET_BYTES_INIT, datasetSize, EPOCH_LENGTH, epochOf, type DagMode } from '../../pow/epoch.js';
import type { PageEnvironment } from './environment.js';

/** A browser tab should not take more than this share of the machine's memory for a WASM DAG. */
const WASM_MEMORY_SHARE = 0.5;
/** The WebGPU backend refuses a DAG above this share of host memory on a software adapter (dag-builder.ts). */
const SOFTWARE_ADAPTER_MEMORY_SHARE = 0.75;
/** Where the browser does not say, assume a modest machine. */
const UNKNOWN_MEMORY_GIB = 4;

export interface DagChoice {
  readonly block: number;
  readonly mode: DagMode;
  /** Why this is the default, for the page. */
  readonly reason: string;
}

export interface BackendSelection {
  readonly webgpu: boolean;
  readonly wasm: boolean;
}

/** Largest DAG (bytes) the selected backends are expected to hold here. */
export function dagCapacity(env: PageEnvironment, selection: BackendSelection): number {
  const hostBytes = (env.memoryGiB ?? UNKNOWN_MEMORY_GIB) * 2 ** 30;
  const caps: number[] = [];
  if (selection.webgpu && 'adapter' in env.webgpu) {
    const { limits, isFallbackAdapter } = env.webgpu.adapter;
    const binding = Math.min(limits.maxStorageBufferBindingSize ?? 0, limits.maxBufferSize ?? 0);
    // one storage binding per DAG buffer, next to the search's output buffer (webgpu-backend.ts)
    let cap = Math.floor(binding / DAG_ENTRY_BYTES) * DAG_ENTRY_BYTES * Math.max(0, (limits.maxStorageBuffersPerShaderStage ?? 1) - 1);
    if (isFallbackAdapter) cap = Math.min(cap, SOFTWARE_ADAPTER_MEMORY_SHARE * hostBytes);
    caps.push(cap);
  }
  if (selection.wasm || caps.length === 0) caps.push(WASM_MEMORY_SHARE * hostBytes);
  return Math.min(...caps);
}

/** The newest epoch up to `maxEpoch` whose dataset fits in `capacity` bytes; -1 when none does. */
export function newestEpochWithin(capacity: number, maxEpoch: number): number {
  let epoch = Math.min(maxEpoch, Math.floor((capacity - DATASET_BYTES_INIT) / DATASET_BYTES_GROWTH) + 1);
  while (epoch >= 0 && datasetSize(epoch) > capacity) epoch--;
  return epoch;
}

export function formatGiB(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(bytes >= 10 * 2 ** 30 ? 1 : 2)} GiB`;
}

export function defaultDag(env: PageEnvironment, selection: BackendSelection, nowMs = Date.now()): DagChoice {
  const tip = todaysBlock(nowMs);
  const tipEpoch = epochOf(tip);
  const capacity = dagCapacity(env, selection);
  const epoch = newestEpochWithin(capacity, tipEpoch);
  const firstEpoch = epochOf(PROGPOW_ACTIVATION_HEIGHT);
  if (epoch < firstEpoch) {
    return { block: tip, mode: 'small', reason: `this device is not expected to hold a DAG miners mine (${formatGiB(datasetSize(firstEpoch))} or more), so the small one` };
  }
  // an epoch's first block may come before ProgPoW (epoch 31 starts at 930000): its first ProgPoW block then
  const block = epoch === tipEpoch ? tip : Math.max(epoch * EPOCH_LENGTH, PROGPOW_ACTIVATION_HEIGHT);
  const reason = epoch === tipEpoch
    ? `SERO's current epoch (the chain is near block ${tip.toLocaleString('en-US')})`
    : `the newest epoch this device is expected to hold (SERO's current one, ${tipEpoch}, needs ${formatGiB(datasetSize(tipEpoch))})`;
  return { block, mode: 'full', reason };
}
