// What `bench --backend webgpu` reports besides the hash rate: the DAG build on the GPU, the
// launch the tuning chose and the adapter.
import { dagBuildFigures, type DagBuildFigures } from '../measure.js';
import { describeAdapter } from './gpu-context.js';
import type { WebgpuBackend } from './webgpu-backend.js';

export interface WebgpuBenchFigures {
  readonly dagBytes: number;
  readonly dagBuffers: number;
  readonly dagBuild: DagBuildFigures;
  readonly launch: { readonly exchange: string; readonly workgroupSize: number; readonly threadsPerHash: number; readonly workgroups: number; readonly batch: number };
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
    dagBuffers: build.buffers,
    dagBuild: dagBuildFigures(build),
    launch: {
      exchange: tuning.config.exchange,
      workgroupSize: tuning.config.workgroupSize,
      threadsPerHash: tuning.config.threadsPerHash,
      workgroups: tuning.shape.groups,
      batch: tuning.shape.batch,
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
