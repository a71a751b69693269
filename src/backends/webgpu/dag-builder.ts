// Building the DAG on the GPU: the light cache goes up once, the dataset-item kernel writes
// every item straight into the chunk buffers, and progress is reported after each dispatch.
import os from 'node:os';
import type { DagProgress } from '../backend.js';
import type { DagSpec } from '../../pow/epoch.js';
import { DAG_ENTRY_BYTES } from '../../pow/epoch.js';
import { ITEMS_PER_ENTRY, type DagLayout } from './dag-layout.js';
import { DagOutOfMemoryError, DeviceLostError } from './errors.js';
import type { GpuContext } from './gpu-context.js';
import { assembleKernel } from './kernel-source.js';
import { renderPowConstants } from './render-constants.js';
import { queueDone } from './wait.js';

const WORKGROUP_SIZE = 64;
/** Aim for dispatches of about this long: short enough for smooth progress, long enough to amortise. */
const TARGET_DISPATCH_MS = 250;
const FIRST_DISPATCH_ITEMS = 4096;
const MAX_DISPATCH_ITEMS = 1 << 22;

/** A DAG resident on the GPU, split as its layout says. */
export interface GpuDag {
  readonly spec: DagSpec;
  readonly layout: DagLayout;
  readonly buffers: readonly GPUBuffer[];
  destroy(): void;
}

/**
 * Allocate one storage buffer per chunk, turning allocation failure into DagOutOfMemoryError.
 * A software adapter allocates host memory that fails late (the OOM killer), so it is
 * checked against the machine's memory first.
 */
export async function allocateDagBuffers(ctx: GpuContext, layout: DagLayout, only?: ReadonlySet<number>): Promise<GPUBuffer[]> {
  const gib = (layout.totalBytes / 2 ** 30).toFixed(2);
  if (ctx.summary.architecture === 'software' || ctx.summary.isFallbackAdapter) {
    const wanted = only ? [...only].reduce((s, i) => s + (layout.chunkEntries[i] ?? 0) * DAG_ENTRY_BYTES, 0) : layout.totalBytes;
    if (wanted > os.totalmem() * 0.75) {
      throw new DagOutOfMemoryError(`out of memory for the DAG: ${gib} GiB on a software adapter that keeps buffers in host memory (${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM)`);
    }
  }
  const { device } = ctx;
  const buffers: GPUBuffer[] = [];
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  try {
    layout.chunkEntries.forEach((entries, i) => {
      // Chunks not asked for get a minimal placeholder so indices keep their meaning.
      const size = !only || only.has(i) ? entries * DAG_ENTRY_BYTES : DAG_ENTRY_BYTES;
      buffers.push(device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, label: `dag-chunk-${i}` }));
    });
  } finally {
    const invalid = await device.popErrorScope();
    const oom = await device.popErrorScope();
    const error = oom ?? invalid;
    if (error) {
      for (const buffer of buffers) buffer.destroy();
      throw new DagOutOfMemoryError(`out of memory for the DAG (${gib} GiB in ${layout.chunkEntries.length} buffers): ${error.message}`);
    }
  }
  return buffers;
}

/** The light cache on the GPU plus the dataset-item pipeline. */
export class DagItemKernel {
  private readonly pipeline: GPUComputePipeline;
  private readonly cacheBuffer: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly cacheRows: number;
  /** Measured items per millisecond, refined after every dispatch. */
  private rate = 0;

  constructor(
    private readonly ctx: GpuContext,
    cache: Uint32Array,
  ) {
    const { device } = ctx;
    const limit = device.limits.maxStorageBufferBindingSize;
    if (cache.byteLength > limit) {
      throw new DagOutOfMemoryError(`the light cache (${cache.byteLength} bytes) exceeds the adapter's storage binding limit (${limit} bytes)`);
    }
    this.cacheRows = cache.length / 16;
    const module = device.createShaderModule({ code: assembleKernel(['keccak-f1600.wgsl', 'dag-build.wgsl'], { POW_CONSTANTS: renderPowConstants() }), label: 'dag-build' });
    this.pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'build_items', constants: { WORKGROUP_SIZE, CACHE_ROWS: this.cacheRows } },
      label: 'dag-build',
    });
    this.cacheBuffer = device.createBuffer({ size: cache.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, label: 'light-cache' });
    device.queue.writeBuffer(this.cacheBuffer, 0, cache.buffer, cache.byteOffset, cache.byteLength);
    this.params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'dag-build-params' });
  }

  /** Compute every item of chunk `index` of the layout into `buffer`. */
  async buildChunk(layout: DagLayout, index: number, buffer: GPUBuffer, onItems?: (items: number) => void): Promise<void> {
    const { device } = this.ctx;
    const bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.params } },
        { binding: 1, resource: { buffer: this.cacheBuffer } },
        { binding: 2, resource: { buffer } },
      ],
    });
    const chunkItems = layout.chunkEntries[index]! * ITEMS_PER_ENTRY;
    const firstItem = index * layout.entriesPerChunk * ITEMS_PER_ENTRY;
    let done = 0;
    while (done < chunkItems) {
      this.throwIfLost();
      const wanted = this.rate > 0 ? Math.round(this.rate * TARGET_DISPATCH_MS) : FIRST_DISPATCH_ITEMS;
      const count = Math.min(chunkItems - done, Math.max(WORKGROUP_SIZE, Math.min(MAX_DISPATCH_ITEMS, wanted)));
      device.queue.writeBuffer(this.params, 0, new Uint32Array([firstItem + done, count, done, 0]));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, bindGroup);
      const groups = Math.ceil(count / WORKGROUP_SIZE);
      const perRow = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
      pass.dispatchWorkgroups(perRow, Math.ceil(groups / perRow));
      pass.end();
      const started = performance.now();
      device.queue.submit([encoder.finish()]);
      await queueDone(device, this.rate > 0 ? count / this.rate : 0);
      this.rate = count / Math.max(1, performance.now() - started);
      done += count;
      onItems?.(count);
    }
    this.throwIfLost();
  }

  private throwIfLost(): void {
    const lost = this.ctx.lostReason();
    if (lost) throw new DeviceLostError(`DAG build failed: ${lost}`);
  }

  destroy(): void {
    this.cacheBuffer.destroy();
    this.params.destroy();
  }
}

/** Build the whole DAG of a spec from its light cache. */
export async function buildGpuDag(
  ctx: GpuContext,
  spec: DagSpec,
  cache: Uint32Array,
  layout: DagLayout,
  onProgress?: (p: DagProgress) => void,
): Promise<GpuDag> {
  const buffers = await allocateDagBuffers(ctx, layout);
  const kernel = new DagItemKernel(ctx, cache);
  const total = layout.entries * ITEMS_PER_ENTRY;
  let done = 0;
  try {
    onProgress?.({ done, total });
    for (let i = 0; i < buffers.length; i++) {
      await kernel.buildChunk(layout, i, buffers[i]!, (items) => {
        done += items;
        onProgress?.({ done, total });
      });
    }
  } catch (error) {
    for (const buffer of buffers) buffer.destroy();
    throw error;
  } finally {
    kernel.destroy();
  }
  return {
    spec,
    layout,
    buffers,
    destroy: () => buffers.forEach((b) => b.destroy()),
  };
}
