// What the tuning tries on an adapter: the search kernel variants (lane exchange: one invocation
// per hash, subgroup, workgroup; workgroup sizes) that suit it, those its limits and the DAG's
// storage allow, or the one variant the options force; and how far it sweeps the launch.
import { PROGPOW_LANES } from '../../pow/progpow-program.js';
import { softwareAdapterThreads } from '../machine.js';
import type { TuneOptions } from './autotune.js';
import { floorPow2, type GpuDagLayout } from './dag-layout.js';
import { WebgpuError } from './errors.js';
import { describeAdapter, isSoftwareAdapter, type GpuContext } from './gpu-context.js';
import { describeSearchConfig, loopsOverLanes, searchWorkgroupBytes, type LaneExchange, type SearchKernelConfig } from './search-shader.js';

/** The backend options the choice reads (webgpu-backend.ts documents them). */
export interface SearchVariantOptions {
  readonly exchange?: 'auto' | LaneExchange;
  readonly launch?: { readonly workgroupSize: number };
  readonly maxCandidates?: number;
}

const MAX_CANDIDATES = 1024;
const TUNING_WORKGROUP_SIZES = [64, 256];
/** A hash's invocations share a subgroup; with fewer than 4 each would hold 8 or more lanes. */
const MIN_SUBGROUP_THREADS = 4;

/**
 * Whether a kernel variant may read a DAG texture. lavapipe (Mesa 25.0) gets the subgroup
 * exchange wrong there (no candidates at all with 16-lane subgroups) and crashes the process
 * on looped lanes, while both are right from buffers; those variants read buffers only.
 */
function readsTextures(config: SearchKernelConfig): boolean {
  return config.exchange !== 'subgroup' && !loopsOverLanes(config);
}

/**
 * Kernel variants worth trying on this adapter. Software adapters get one invocation per
 * hash (a SIMD vector of independent hashes) and, from DAG buffers, the subgroup exchange;
 * GPUs get the cooperative kernel with either exchange. Forcing an exchange tries only that one.
 */
export function searchVariants(ctx: GpuContext, layout: GpuDagLayout, options: SearchVariantOptions): SearchKernelConfig[] {
  const wanted = options.exchange ?? 'auto';
  const { summary } = ctx;
  const software = isSoftwareAdapter(summary);
  const sizes = options.launch ? [options.launch.workgroupSize] : TUNING_WORKGROUP_SIZES;
  const maxCandidates = options.maxCandidates ?? MAX_CANDIDATES;
  // A hash's invocations must fit in the smallest subgroup the adapter may use.
  const subgroupThreads = ctx.subgroups ? floorPow2(Math.min(PROGPOW_LANES, summary.subgroupMinSize ?? 0)) : 0;
  const subgroupsFit = subgroupThreads >= MIN_SUBGROUP_THREADS;
  if (wanted === 'subgroup' && !subgroupsFit) {
    throw new WebgpuError(`adapter ${describeAdapter(summary)} has no subgroups of at least ${MIN_SUBGROUP_THREADS} invocations`);
  }
  const variants: { exchange: LaneExchange; threadsPerHash: number; sizes: readonly number[] }[] = [];
  // On a software adapter a workgroup is a loop over SIMD vectors on one thread, so its size
  // barely matters: one size per variant halves the tuning (each variant costs a JIT compile).
  const one = (size: number) => (options.launch || !software ? sizes : [size]);
  if (wanted === 'none' || (wanted === 'auto' && software)) variants.push({ exchange: 'none', threadsPerHash: 1, sizes: one(64) });
  if (wanted === 'subgroup' || (wanted === 'auto' && subgroupsFit)) variants.push({ exchange: 'subgroup', threadsPerHash: subgroupThreads, sizes: one(256) });
  if (wanted === 'workgroup' || (wanted === 'auto' && !(software && subgroupsFit))) variants.push({ exchange: 'workgroup', threadsPerHash: PROGPOW_LANES, sizes: one(256) });
  const all = variants.flatMap(({ sizes: own, ...v }) => own.map((workgroupSize) => ({ workgroupSize, ...v, maxCandidates })));
  const configs = layout.kind === 'texture' ? all.filter(readsTextures) : all;
  if (configs.length === 0) {
    throw new WebgpuError(`the ${describeSearchConfig(all[0]!)} kernel needs the DAG in storage buffers, not a texture (dagStorage 'buffers')`);
  }
  const storage = ctx.device.limits.maxComputeWorkgroupStorageSize;
  const invocations = ctx.device.limits.maxComputeInvocationsPerWorkgroup;
  const usable = configs.filter((c) => searchWorkgroupBytes(c) <= storage && c.workgroupSize <= invocations);
  if (usable.length === 0) throw new WebgpuError(`adapter ${describeAdapter(summary)} lacks the workgroup memory (${storage} bytes) the search kernel needs`);
  return usable;
}

/** Dispatch length on GPUs and on software adapters (see the backend's batchMs). */
const GPU_BATCH_MS = 40;
// A new job queues behind the dispatch running: on lavapipe 60 ms dispatches hash within a few
// percent of 250 ms ones, and 30 ms ones as fast as 60 ms ones (bench:sustained's steady
// windows) while a new job's first hash comes in 27 ms rather than 42 (median).
const SOFTWARE_BATCH_MS = 30;
/** Workgroups a GPU is always tuned up to before a flat rate ends the sweep: several per compute unit. */
const GPU_MIN_GROUPS = 64;

/** How the tuning sweeps launches on this adapter, timing a job of `period`. */
export function tuneOptions(ctx: GpuContext, period: number, batchMs: number | undefined): TuneOptions {
  const software = isSoftwareAdapter(ctx.summary);
  const threads = softwareAdapterThreads();
  return {
    period,
    batchMs: batchMs ?? (software ? SOFTWARE_BATCH_MS : GPU_BATCH_MS),
    maxGroups: ctx.device.limits.maxComputeWorkgroupsPerDimension,
    minGroups: software ? threads : GPU_MIN_GROUPS,
    minGroupsWhy: software ? `a software adapter runs one workgroup per thread, ${threads} threads` : 'several per compute unit of a GPU',
    chooseBelowMinGroups: !software,
  };
}
