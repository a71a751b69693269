// Building the DAG on the GPU: the light cache goes up once, and the dataset-item kernel
// writes the items into the DAG buffers, or into a staging buffer copied into the DAG
// texture. Two dispatches are queued at a time, so the GPU never waits for the host between
// them, and progress is reported as each completes.
import os from 'node:os';
import type { DagProgress } from '../backend.js';
import type { DagSpec } from '../../pow/epoch.js';
import { DAG_ENTRY_BYTES } from '../../pow/epoch.js';
import { ITEMS_PER_ENTRY, TEXEL_BYTES, textureChunks, type DagLayout, type GpuDagLayout, type TextureDagLayout } from './dag-layout.js';
import { DagOutOfMemoryError, DeviceLostError } from './errors.js';
import { isSoftwareAdapter, type GpuContext } from './gpu-context.js';
import { assembleKernel } from './kernel-source.js';
import { renderPowConstants } from './render-constants.js';
import { mapAfter } from './wait.js';
import { DispatchPacer, type PacerLimits } from './dispatch-pacer.js';

const WORKGROUP_SIZE = 64;

/** The dataset-item kernel and its pipeline constants for a light cache of `cacheWords` words. */
export function renderDagBuildKernel(cacheWords: number): { code: string; entryPoint: string; constants: Record<string, number> } {
  return {
    code: assembleKernel(['keccak-f1600.wgsl', 'dag-build.wgsl'], { POW_CONSTANTS: renderPowConstants() }),
    entryPoint: 'build_items',
    constants: { WORKGROUP_SIZE, CACHE_ROWS: cacheWords / 16 },
  };
}
export const DAG_BUILD_PACING: PacerLimits = { targetMs: 250, firstItems: 4096, minItems: WORKGROUP_SIZE, maxItems: 1 << 22 };
/** Dispatches queued at once: one running, one waiting behind it. */
const IN_FLIGHT = 2;
/** A DAG resident on the GPU, in the form its layout says. */
export interface GpuDag {
  readonly spec: DagSpec;
  readonly layout: GpuDagLayout;
  /** The storage buffers of a 'buffers' layout (none for a texture). */
  readonly buffers: readonly GPUBuffer[];
  readonly texture: GPUTexture | undefined;
  /** The DAG's bind group entries, binding 0 upwards. */
  bindGroupEntries(): GPUBindGroupEntry[];
  destroy(): void;
}

/** A software adapter allocates host memory that fails late (the OOM killer): check the machine's memory first. */
function checkHostMemory(ctx: GpuContext, bytes: number, what: string): void {
  if (isSoftwareAdapter(ctx.summary) && bytes > os.totalmem() * 0.75) {
    throw new DagOutOfMemoryError(
      `out of memory for the DAG: ${what} on a software adapter that keeps it in host memory (${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM)`,
    );
  }
}

/** Runs allocations in error scopes and turns a failure into DagOutOfMemoryError. */
async function allocating<T extends { destroy(): void }>(device: GPUDevice, what: string, allocate: (made: T[]) => void): Promise<T[]> {
  const made: T[] = [];
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  try {
    allocate(made);
  } finally {
    const invalid = await device.popErrorScope();
    const oom = await device.popErrorScope();
    const error = oom ?? invalid;
    if (error) {
      for (const object of made) object.destroy();
      throw new DagOutOfMemoryError(`out of memory for the DAG (${what}): ${error.message}`);
    }
  }
  return made;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** Allocate one storage buffer per chunk. Chunks not in `only` get a placeholder so indices keep their meaning. */
export async function allocateDagBuffers(ctx: GpuContext, layout: DagLayout, only?: ReadonlySet<number>): Promise<GPUBuffer[]> {
  const wanted = only ? [...only].reduce((s, i) => s + (layout.chunkEntries[i] ?? 0) * DAG_ENTRY_BYTES, 0) : layout.totalBytes;
  checkHostMemory(ctx, wanted, gib(layout.totalBytes));
  return allocating<GPUBuffer>(ctx.device, `${gib(layout.totalBytes)} in ${layout.chunkEntries.length} buffers`, (made) => {
    layout.chunkEntries.forEach((entries, i) => {
      const size = !only || only.has(i) ? entries * DAG_ENTRY_BYTES : DAG_ENTRY_BYTES;
      made.push(ctx.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label: `dag-chunk-${i}` }));
    });
  });
}

export async function allocateDagTexture(ctx: GpuContext, layout: TextureDagLayout): Promise<GPUTexture> {
  checkHostMemory(ctx, layout.textureBytes, gib(layout.textureBytes));
  const [texture] = await allocating<GPUTexture>(ctx.device, `${gib(layout.textureBytes)} texture of ${layout.width}x${layout.height}x${layout.layers}`, (made) => {
    made.push(
      ctx.device.createTexture({
        size: [layout.width, layout.height, layout.layers],
        format: 'rgba32uint',
        dimension: '2d',
        usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC,
        label: 'dag-texture',
      }),
    );
  });
  return texture!;
}

/** Items to compute into a buffer, and what to encode once the last of them is written. */
export interface BuildTarget {
  readonly buffer: GPUBuffer;
  readonly firstItem: number;
  readonly items: number;
  /** Where the first item goes in the buffer, in items. */
  readonly outItem: number;
  readonly after?: (encoder: GPUCommandEncoder) => void;
}

interface BuildSlot {
  readonly params: GPUBuffer;
  /** Mapped to learn that this slot's dispatch is done (its last use is that dispatch's copy). */
  readonly fence: GPUBuffer;
}

interface Queued {
  readonly slot: BuildSlot;
  readonly items: number;
  readonly submitted: number;
  readonly expectedDone: number;
}

/** The light cache on the GPU plus the dataset-item pipeline. */
export class DagItemKernel {
  private readonly pipeline: GPUComputePipeline;
  private readonly cacheBuffer: GPUBuffer;
  private readonly slots: BuildSlot[];

  constructor(
    private readonly ctx: GpuContext,
    cache: Uint32Array,
  ) {
    const { device } = ctx;
    const limit = device.limits.maxStorageBufferBindingSize;
    if (cache.byteLength > limit) {
      throw new DagOutOfMemoryError(`the light cache (${cache.byteLength} bytes) exceeds the adapter's storage binding limit (${limit} bytes)`);
    }
    const { code, entryPoint, constants } = renderDagBuildKernel(cache.length);
    const module = device.createShaderModule({ code, label: 'dag-build' });
    this.pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint, constants }, label: 'dag-build' });
    this.cacheBuffer = device.createBuffer({ size: cache.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, label: 'light-cache' });
    device.queue.writeBuffer(this.cacheBuffer, 0, cache.buffer, cache.byteOffset, cache.byteLength);
    this.slots = Array.from({ length: IN_FLIGHT }, (_, i) => ({
      params: device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC, label: `dag-build-params-${i}` }),
      fence: device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `dag-build-fence-${i}` }),
    }));
  }

  /** Compute every item of chunk `index` of a buffer layout into `buffer`. */
  buildChunk(layout: DagLayout, index: number, buffer: GPUBuffer, onItems?: (items: number) => void): Promise<void> {
    const items = layout.chunkEntries[index]! * ITEMS_PER_ENTRY;
    const firstItem = index * layout.entriesPerChunk * ITEMS_PER_ENTRY;
    return this.build([{ buffer, firstItem, items, outItem: 0 }], onItems);
  }

  /** Compute the targets in order, two dispatches in flight throughout; resolves once all are done. */
  async build(targets: readonly BuildTarget[], onItems?: (items: number) => void): Promise<void> {
    const { device } = this.ctx;
    const queued: Queued[] = [];
    const pacer = new DispatchPacer(DAG_BUILD_PACING);
    let lastDone = performance.now();
    const complete = async () => {
      const oldest = queued.shift()!;
      const readyOnWake = await this.waitFor(oldest);
      const now = performance.now();
      pacer.completed(oldest.items, now - Math.max(lastDone, oldest.submitted), readyOnWake);
      lastDone = now;
      onItems?.(oldest.items);
    };
    try {
      for (const target of targets) {
        const bindGroups = this.slots.map((slot) =>
          device.createBindGroup({
            layout: this.pipeline.getBindGroupLayout(0),
            entries: [
              { binding: 0, resource: { buffer: slot.params } },
              { binding: 1, resource: { buffer: this.cacheBuffer } },
              { binding: 2, resource: { buffer: target.buffer } },
            ],
          }),
        );
        for (let done = 0; done < target.items; ) {
          if (queued.length >= IN_FLIGHT) await complete();
          this.throwIfLost();
          const count = pacer.nextCount(target.items - done);
          const slotIndex = this.slots.findIndex((s) => !queued.some((q) => q.slot === s));
          const slot = this.slots[slotIndex]!;
          device.queue.writeBuffer(slot.params, 0, new Uint32Array([target.firstItem + done, count, target.outItem + done, 0]));
          const encoder = device.createCommandEncoder();
          const pass = encoder.beginComputePass();
          pass.setPipeline(this.pipeline);
          pass.setBindGroup(0, bindGroups[slotIndex]!);
          const groups = Math.ceil(count / WORKGROUP_SIZE);
          const perRow = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
          pass.dispatchWorkgroups(perRow, Math.ceil(groups / perRow));
          pass.end();
          done += count;
          if (done >= target.items) target.after?.(encoder);
          encoder.copyBufferToBuffer(slot.params, 0, slot.fence, 0, 16);
          const now = performance.now();
          const previous = queued.at(-1)?.expectedDone ?? now;
          device.queue.submit([encoder.finish()]);
          queued.push({ slot, items: count, submitted: now, expectedDone: Math.max(previous, now) + pacer.expectedMs(count) });
        }
      }
      while (queued.length > 0) await complete();
    } catch (error) {
      throw this.ctx.lostReason() ? new DeviceLostError(`DAG build failed: ${this.ctx.lostReason()}`) : error;
    }
    this.throwIfLost();
  }

  /** The slot's fence maps once its dispatch is done (its last use is that dispatch's copy); true when it was ready on waking. */
  private async waitFor(queued: Queued): Promise<boolean> {
    const readyOnWake = await mapAfter(this.ctx, queued.slot.fence, queued.expectedDone - performance.now());
    queued.slot.fence.unmap();
    return readyOnWake;
  }

  private throwIfLost(): void {
    const lost = this.ctx.lostReason();
    if (lost) throw new DeviceLostError(`DAG build failed: ${lost}`);
  }

  destroy(): void {
    this.cacheBuffer.destroy();
    for (const slot of this.slots) {
      slot.params.destroy();
      slot.fence.destroy();
    }
  }
}

/** The largest staging buffer a texture build uses: a chunk of whole rows within the binding limit. */
function stagingBytes(ctx: GpuContext, layout: TextureDagLayout): number {
  const rowBytes = layout.width * TEXEL_BYTES;
  const rows = Math.max(1, Math.floor(Math.min(ctx.maxBindingBytes, ctx.maxBufferBytes) / rowBytes));
  return Math.min(rows, layout.height) * rowBytes;
}

async function buildTexture(ctx: GpuContext, kernel: DagItemKernel, layout: TextureDagLayout, texture: GPUTexture, onItems: (items: number) => void): Promise<void> {
  const bytes = stagingBytes(ctx, layout);
  const staging = ctx.device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, label: 'dag-staging' });
  const bytesPerRow = layout.width * TEXEL_BYTES;
  try {
    // Queue order keeps each chunk's copy after its items and before the next chunk overwrites them.
    const targets: BuildTarget[] = textureChunks(layout, bytes).map((chunk) => ({
      buffer: staging,
      firstItem: chunk.firstItem,
      items: chunk.items,
      outItem: 0,
      after: (encoder) =>
        encoder.copyBufferToTexture(
          { buffer: staging, bytesPerRow, rowsPerImage: chunk.rows },
          { texture, origin: { x: 0, y: chunk.row, z: chunk.layer } },
          { width: layout.width, height: chunk.rows, depthOrArrayLayers: 1 },
        ),
    }));
    await kernel.build(targets, onItems);
  } finally {
    staging.destroy();
  }
}

/** Allocate the DAG's buffers or texture, as its layout says. */
export async function allocateGpuDag(ctx: GpuContext, spec: DagSpec, layout: GpuDagLayout): Promise<GpuDag> {
  const buffers = layout.kind === 'buffers' ? await allocateDagBuffers(ctx, layout) : [];
  const texture = layout.kind === 'texture' ? await allocateDagTexture(ctx, layout) : undefined;
  const view = texture?.createView({ dimension: '2d-array' });
  return {
    spec,
    layout,
    buffers,
    texture,
    bindGroupEntries: () => (view ? [{ binding: 0, resource: view }] : buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }))),
    destroy: () => {
      buffers.forEach((b) => b.destroy());
      texture?.destroy();
    },
  };
}

/** Build the whole DAG of a spec from its light cache with the dataset-item kernel, in the layout's form. */
export async function buildGpuDag(
  ctx: GpuContext,
  spec: DagSpec,
  cache: Uint32Array,
  layout: GpuDagLayout,
  onProgress?: (p: DagProgress) => void,
): Promise<GpuDag> {
  const dag = await allocateGpuDag(ctx, spec, layout);
  const total = layout.entries * ITEMS_PER_ENTRY;
  let done = 0;
  const onItems = (items: number) => {
    done += items;
    onProgress?.({ done, total });
  };
  let kernel: DagItemKernel | undefined;
  try {
    kernel = new DagItemKernel(ctx, cache);
    onProgress?.({ done, total });
    if (layout.kind === 'buffers') {
      await kernel.build(
        dag.buffers.map((buffer, i) => ({ buffer, firstItem: i * layout.entriesPerChunk * ITEMS_PER_ENTRY, items: layout.chunkEntries[i]! * ITEMS_PER_ENTRY, outItem: 0 })),
        onItems,
      );
    } else {
      await buildTexture(ctx, kernel, layout, dag.texture!, onItems);
    }
  } catch (error) {
    dag.destroy();
    throw error;
  } finally {
    kernel?.destroy();
  }
  return dag;
}
