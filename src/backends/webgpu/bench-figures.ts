// What `bench --backend webgpu` reports besides the hash rate: the DAG build on the GPU, the
// launch the tuning chose and the adapter.
import { describeAdapter } from './gpu-context.js';
import type { WebgpuBackend } from './webgpu-backend.js';

export interface WebgpuBenchFigures {
  readonly dagBytes: number;
  readonly dagBuffers: number;
  readonly dagBuild: { readonly seconds: number; readonly itemsPerSecond: number; readonly mibPerSecond: number; readonly cacheSeconds: number };
  readonly launch: { readonly exchange: string; readonly workgroupSize: number; readonly threadsPerHash: number; readonly workgroups: number; readonly batch: number };
  readonly adapter: { readonly name: string; readonly vendor: string; readonly architecture: string; readonly isFallbackAdapter: boolean; readonly maxStorageBufferBindingSize?: number };
}

/** Figures of a prepared backend (after prepare(), so the DAG build and tuning happened). */
export function webgpuBenchFigures(backend: WebgpuBackend): WebgpuBenchFigures {
  const build = backend.lastBuild;
  const tuning = backend.tuning;
  if (!build || !tuning) throw new Error('prepare() the backend before reading its figures');
  const round = (x: number, digits = 0) => Number(x.toFixed(digits));
  const summary = backend.ctx.summary;
  return {
    dagBytes: build.dagBytes,
    dagBuffers: build.buffers,
    dagBuild: {
      seconds: round(build.dagSeconds, 3),
      itemsPerSecond: round(build.dagBytes / 64 / build.dagSeconds),
      mibPerSecond: round(build.dagBytes / 2 ** 20 / build.dagSeconds, 2),
      cacheSeconds: round(build.cacheSeconds, 3),
    },
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
