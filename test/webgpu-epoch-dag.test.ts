// Real epochs' DAG items built on the GPU into many small buffers (a forced 4 MiB binding
// limit, so splitting is exercised on any adapter), checked against the reference. Only the
// buffers holding sampled items are built: a whole real DAG takes minutes on lavapipe.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { powVectors } from './support/vectors.js';
import { lightCache } from './support/light-cache.js';
import { dagSpec } from '../src/pow/epoch.js';
import { calcDatasetItem } from '../src/pow/ethash.js';
import { bytesToHex } from '../src/util/hex.js';
import { hasWebgpuAdapter, openGpu, type GpuContext } from '../src/backends/webgpu/index.js';
import { allocateDagBuffers, DagItemKernel } from '../src/backends/webgpu/dag-builder.js';
import { ITEMS_PER_ENTRY, planDagLayout } from '../src/backends/webgpu/dag-layout.js';
import { readBack } from '../src/backends/webgpu/wait.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const BINDING_BYTES = 4 * 2 ** 20;
let gpu: GpuContext | undefined;
after(() => gpu?.close());

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

async function readBuffer(ctx: GpuContext, buffer: GPUBuffer): Promise<Uint32Array> {
  const readback = ctx.device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = ctx.device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, readback, 0, buffer.size);
  ctx.device.queue.submit([encoder.finish()]);
  const words = new Uint32Array((await readBack(ctx, readback, 0)).data);
  readback.destroy();
  return words;
}

for (const epoch of [0, 31]) {
  test(`epoch ${epoch}: sampled items from buffers of at most 4 MiB equal the reference`, { skip }, async () => {
    gpu ??= await openGpu({ maxBindingBytes: BINDING_BYTES });
    const spec = dagSpec(epoch);
    const cache = await lightCache(spec.cacheSize, spec.seedHash);
    const layout = planDagLayout(spec.datasetSize, gpu.maxBindingBytes, gpu.maxBufferBytes);
    assert.equal(layout.entriesPerChunk, BINDING_BYTES / 256);
    assert.ok(layout.chunkEntries.length > 200, `${layout.chunkEntries.length} buffers`);
    const itemsPerChunk = layout.entriesPerChunk * ITEMS_PER_ENTRY;
    const addressable = layout.entries * ITEMS_PER_ENTRY;
    // Vector items a ProgPoW entry covers (the last half entry of a dataset never is).
    const vectors = powVectors().dataset_items.filter((d) => d.epoch === epoch && d.index < addressable);
    assert.ok(vectors.length >= 3);
    const last = layout.chunkEntries.length - 1;
    const chunks = new Set([0, 1, Math.floor(last / 2), last, ...vectors.map((d) => Math.floor(d.index / itemsPerChunk))]);
    const buffers = await allocateDagBuffers(gpu, layout, chunks);
    const kernel = new DagItemKernel(gpu, cache);
    try {
      for (const chunk of chunks) {
        await kernel.buildChunk(layout, chunk, buffers[chunk]!);
        const words = await readBuffer(gpu, buffers[chunk]!);
        assert.equal(words.length, layout.chunkEntries[chunk]! * 64);
        const first = chunk * itemsPerChunk;
        const count = words.length / 16;
        // Both edges of the buffer (where a split would show) and a spread in between.
        const samples = new Set([0, 1, 2, 3, count - 4, count - 3, count - 2, count - 1]);
        for (let i = 0; i < 24; i++) samples.add(Math.floor((i * count) / 24) + (i % 4));
        for (const i of samples) {
          assert.deepEqual(words.subarray(16 * i, 16 * i + 16), calcDatasetItem(cache, first + i), `epoch ${epoch} item ${first + i} (buffer ${chunk})`);
        }
        for (const d of vectors.filter((x) => Math.floor(x.index / itemsPerChunk) === chunk)) {
          const at = d.index - first;
          assert.equal(bytesToHex(new Uint8Array(words.buffer, 64 * at, 64)), d.item, `vector item ${d.index}`);
        }
      }
      assert.deepEqual(gpu.takeUncapturedErrors(), []);
    } finally {
      kernel.destroy();
      buffers.forEach((b) => b.destroy());
    }
  });
}
