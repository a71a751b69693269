// The DAG built on the host and uploaded, for software adapters: their kernels run on the very
// CPU cores the WASM builder uses, and it computes items several times faster there (32 items
// in lockstep with their cache reads overlapped, where a SIMD vector of the WGSL kernel keeps
// one chain per lane). So the WASM backend builds the DAG on every core and the bytes are
// copied into the GPU's buffers or texture.
import type { DagProgress } from '../backend.js';
import { DAG_ENTRY_BYTES, type DagSpec } from '../../pow/epoch.js';
import { allocateGpuDag, type GpuDag } from './dag-builder.js';
import { TEXEL_BYTES, type DagLayout, type GpuDagLayout, type TextureDagLayout } from './dag-layout.js';
import { WebgpuError } from './errors.js';
import type { GpuContext } from './gpu-context.js';

/** Bytes per write: large enough to amortise, small enough to bound Dawn's staging copies. */
const PIECE_BYTES = 64 * 2 ** 20;
/** Writes queued before waiting for the device to take them (bounds staging memory). */
const PIECES_PER_WAIT = 4;

/** DAG bytes [offset, offset + length) in a piece buffer that the next read overwrites (writes copy at once). */
type ReadDag = (offset: number, length: number) => Uint8Array<ArrayBuffer>;

async function uploadBuffers(ctx: GpuContext, layout: DagLayout, buffers: readonly GPUBuffer[], read: ReadDag): Promise<void> {
  let pieces = 0;
  for (let i = 0; i < buffers.length; i++) {
    const first = i * layout.entriesPerChunk * DAG_ENTRY_BYTES;
    const bytes = layout.chunkEntries[i]! * DAG_ENTRY_BYTES;
    for (let offset = 0; offset < bytes; offset += PIECE_BYTES) {
      const data = read(first + offset, Math.min(PIECE_BYTES, bytes - offset));
      ctx.device.queue.writeBuffer(buffers[i]!, offset, data);
      if (++pieces % PIECES_PER_WAIT === 0) await ctx.device.queue.onSubmittedWorkDone();
    }
  }
}

async function uploadTexture(ctx: GpuContext, layout: TextureDagLayout, texture: GPUTexture, read: ReadDag): Promise<void> {
  const rowBytes = layout.width * TEXEL_BYTES;
  const rowsPerPiece = Math.max(1, Math.floor(PIECE_BYTES / rowBytes));
  const dagBytes = layout.totalBytes;
  let pieces = 0;
  for (let layer = 0; layer < layout.layers; layer++) {
    for (let row = 0; row < layout.height; row += rowsPerPiece) {
      const offset = (layer * layout.height + row) * rowBytes;
      if (offset >= dagBytes) return;
      const rows = Math.min(rowsPerPiece, layout.height - row, Math.ceil((dagBytes - offset) / rowBytes));
      const length = Math.min(rows * rowBytes, dagBytes - offset);
      // The last row may be partly past the DAG: whole rows are written, the rest zeros.
      const data = read(offset, length);
      const whole = new Uint8Array(data.buffer, data.byteOffset, rows * rowBytes);
      whole.fill(0, length);
      ctx.device.queue.writeTexture({ texture, origin: { x: 0, y: row, z: layer } }, whole, { bytesPerRow: rowBytes, rowsPerImage: rows }, { width: layout.width, height: rows, depthOrArrayLayers: 1 });
      if (++pieces % PIECES_PER_WAIT === 0) await ctx.device.queue.onSubmittedWorkDone();
    }
  }
}

/**
 * Build the DAG with the WASM backend on every core and upload it in the layout's form.
 * lightCache: the epoch's light cache when the caller has it, so that it is not generated twice.
 */
export async function buildDagOnHost(
  ctx: GpuContext,
  spec: DagSpec,
  layout: GpuDagLayout,
  onProgress?: (p: DagProgress) => void,
  lightCache?: Uint32Array,
): Promise<GpuDag> {
  // Loaded on demand: only software adapters build this way.
  const { createWasmBackend } = await import('../wasm/index.js');
  const dag = await allocateGpuDag(ctx, spec, layout);
  const wasm = createWasmBackend();
  try {
    await wasm.prepare(spec, onProgress, lightCache);
    // readDag copies into a (non-shared) buffer, as the GPU writes require: one, reused for
    // every piece, instead of a fresh allocation of each piece's size (a second of page faults per GiB).
    const piece = new Uint8Array(Math.max(PIECE_BYTES, layout.kind === 'texture' ? layout.width * TEXEL_BYTES : 0));
    const read: ReadDag = (offset, length) => wasm.readDag(offset, length, piece) as Uint8Array<ArrayBuffer>;
    ctx.device.pushErrorScope('validation');
    let uploadError: GPUError | null;
    try {
      if (layout.kind === 'buffers') await uploadBuffers(ctx, layout, dag.buffers, read);
      else await uploadTexture(ctx, layout, dag.texture!, read);
      await ctx.device.queue.onSubmittedWorkDone();
    } finally {
      uploadError = await ctx.device.popErrorScope();
    }
    if (uploadError) throw new WebgpuError(`uploading the DAG failed: ${uploadError.message}`);
  } catch (error) {
    dag.destroy();
    throw error;
  } finally {
    await wasm.close();
  }
  return dag;
}
