// ProgPoW on WebGPU (Dawn's `webgpu` package): kernels in kernels/, rendered per period.
export { createWebgpuBackend, WebgpuBackend, type WebgpuBackendOptions, type WebgpuBuildStats, type WebgpuTuning, type DagBuilder } from './webgpu-backend.js';
export { listAdapters, listAdapterNames, summarizeAdapterNamed, hasWebgpuAdapter, describeAdapter, openGpu, type AdapterSummary, type GpuContext, type GpuOpenOptions } from './gpu-context.js';
export { WebgpuError, WebgpuUnavailableError, DagOutOfMemoryError, DeviceLostError, isGpuFailure } from './errors.js';
export { webgpuBenchFigures, type WebgpuBenchFigures } from './bench-figures.js';
