// What `bench --backend webgpu` reports besides the hash rate: the DAG build on the GPU, the
// launch the tuning chose (with every trial and its reason) and the adapter.
import { dagBuildFigures, type DagBuildFigures } from '../measure.js';
import { describeAdapter } from './gpu-context.js';
import { describeSearchConfig } from './search-shader.js';
import type { WebgpuBackend } from './webgpu-backend.js';

export interface WebgpuBenchFigures {
  readonly dagBytes: number;
  readonly dagStorage: string;
  readonly dagBuilder: string;
  readonly dagBuffers: number;
  readonly dagBuild: DagBuildFigures;
  readonly launch: {
    readonly exchange: string;
    readonly workgroupSize: number;
    readonly threadsPerHash: number;
    readonly workgroups: number;
    readonly batch: number;
    readonly tunedRate: number;
    readonly tuningSeconds: number;
    readonly reason: string;
    readonly trials: readonly { readonly variant: string; readonly workgroups: number; readonly rate: number }[];
  };
  readonly adapter: { readonly name: string; readonly vendor: string; readonly architecture: string; readonly isFallbackAdapter: boolean; readonly maxStorageBufferBindingSize?: number };
}

/** Figures of a prepared backend (after prepare(), so the DAG build and tuning happened). */
export function webgpuBenchFigures(backend: WebgpuBackend): WebgpuBenchFigures {
  const build = backend.lastBuild;
  const tuning = backend.tuning;
  if (!build || !tuning) throw new Error('prepare() the backend before reading its figures');
  const summary = backend.ctx.summary;
  return {
    dagBytes: build.dagBytes,
    dagStorage: build.storage,
    dagBuilder: build.builder,
    dagBuffers: build.buffers,
    dagBuild: dagBuildFigures(build),
    launch: {
      exchange: tuning.config.exchange,
      workgroupSize: tuning.config.workgroupSize,
      threadsPerHash: tuning.config.threadsPerHash,
      workgroups: tuning.shape.groups,
      batch: tuning.shape.batch,
      tunedRate: Math.round(tuning.rate),
      tuningSeconds: Number(tuning.seconds.toFixed(1)),
      reason: tuning.reason,
      trials: tuning.trials.map((t) => ({ variant: describeSearchConfig(t.config), workgroups: t.groups, rate: Math.round(t.rate) })),
    },
    adapter: {
      name: describeAdapter(summary),
      vendor: summary.vendor,
      architecture: summary.architecture,
      isFallbackAdapter: summary.isFallbackAdapter,
      maxStorageBufferBindingSize: summary.limits.maxStorageBufferBindingSize,
    },
  };
}
