// How DAGs are split over storage buffers or placed in a texture, and what the kernels make of
// it; no GPU needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dagEntries, datasetSize, SMALL_DATASET_SIZE } from '../src/pow/epoch.js';
import { locateEntry, locateTexel, planDagLayout, planTextureLayout, textureChunks } from '../src/backends/webgpu/dag-layout.js';
import { renderSearchKernel } from '../src/backends/webgpu/search-shader.js';
import { buildProgram } from '../src/pow/progpow-program.js';

const MiB = 2 ** 20;

function checkLayout(size: number, binding: number, bufferLimit = binding) {
  const layout = planDagLayout(size, binding, bufferLimit);
  assert.equal(layout.entries, dagEntries(size));
  assert.equal(layout.chunkEntries.reduce((a, b) => a + b, 0), layout.entries, 'every entry in exactly one buffer');
  for (const entries of layout.chunkEntries) {
    assert.ok(entries * 256 <= Math.min(binding, bufferLimit), 'each buffer within the binding and buffer limits');
    assert.ok(entries > 0);
  }
  layout.chunkEntries.slice(0, -1).forEach((e) => assert.equal(e, layout.entriesPerChunk, 'only the last buffer is shorter'));
  return layout;
}

test('a 5.7 GiB epoch-600 DAG over 128 MiB bindings: 46 buffers of whole entries', () => {
  const layout = checkLayout(datasetSize(600), 128 * MiB);
  assert.equal(layout.entries, 23855103);
  assert.equal(layout.entriesPerChunk, 524288);
  assert.equal(layout.chunkEntries.length, 46);
  assert.equal(layout.chunkEntries.at(-1), 23855103 - 45 * 524288);
  // The entry at a boundary is the first of the next buffer, never split across two.
  assert.deepEqual(locateEntry(layout, 524287), { chunk: 0, index: 524287 });
  assert.deepEqual(locateEntry(layout, 524288), { chunk: 1, index: 0 });
  assert.deepEqual(locateEntry(layout, layout.entries - 1), { chunk: 45, index: layout.chunkEntries[45]! - 1 });
});

test('a binding size that is not a multiple of 256 rounds down to whole entries', () => {
  const layout = checkLayout(SMALL_DATASET_SIZE, 1 * MiB + 100);
  assert.equal(layout.entriesPerChunk, 4096);
  assert.equal(layout.chunkEntries.length, 16);
  assert.equal(layout.chunkEntries.at(-1), 65521 - 15 * 4096);
});

test('maxBufferSize below the binding limit bounds the buffers too', () => {
  const layout = checkLayout(datasetSize(0), 2 * 2 ** 30, 256 * MiB);
  assert.equal(layout.entriesPerChunk, 1048576);
  assert.equal(layout.chunkEntries.length, 4);
});

test('a DAG that fits one binding stays in one buffer', () => {
  const layout = checkLayout(SMALL_DATASET_SIZE, 128 * MiB);
  assert.deepEqual(layout.chunkEntries, [65521]);
});

test('a binding too small for the 16 KiB ProgPoW cache is refused', () => {
  assert.throws(() => planDagLayout(SMALL_DATASET_SIZE, 16383), /16 KiB/);
  checkLayout(SMALL_DATASET_SIZE, 16384);
});

// Today's mainnet epoch on a GPU: epoch 620's 5.84 GiB DAG over the binding sizes real GPUs
// offer, with the u32 arithmetic of the kernels that index it checked at the edges.
const EPOCH_620_ENTRIES = 24510456;
const GiB = 2 ** 30;
const U32_MAX = 2 ** 32 - 1;

test('epoch 620 over 2 GiB and 4 GiB bindings: chunk counts, whole entries, every entry located', () => {
  const size = datasetSize(620);
  assert.equal(dagEntries(size), EPOCH_620_ENTRIES);
  const cases = [
    { binding: 2 * GiB, perChunk: 8388608, chunks: 3 },
    { binding: 4 * GiB - 4, perChunk: 16777215, chunks: 2 },
    { binding: 4 * GiB - 1, perChunk: 16777215, chunks: 2 },
    { binding: 4 * GiB, perChunk: 16777216, chunks: 2 },
  ];
  for (const c of cases) {
    for (const bufferLimit of [c.binding, 16 * GiB]) {
      const layout = checkLayout(size, c.binding, bufferLimit);
      const what = `binding ${c.binding}, maxBufferSize ${bufferLimit}`;
      assert.equal(layout.entriesPerChunk, c.perChunk, what);
      assert.equal(layout.chunkEntries.length, c.chunks, what);
      for (const entries of layout.chunkEntries) assert.equal((entries * 256) % 256, 0, `${what}: whole entries`);
      // Entries around every chunk boundary, and the very first and last.
      for (let chunk = 0; chunk < layout.chunkEntries.length; chunk++) {
        const boundary = chunk * layout.entriesPerChunk;
        for (const entry of [boundary - 1, boundary, boundary + 1].filter((e) => e >= 0 && e < layout.entries)) {
          const at = locateEntry(layout, entry);
          assert.equal(at.chunk * layout.entriesPerChunk + at.index, entry, `${what}: entry ${entry}`);
          assert.ok(at.index < layout.chunkEntries[at.chunk]!, `${what}: entry ${entry} inside its buffer`);
        }
      }
      assert.deepEqual(locateEntry(layout, layout.entries - 1), { chunk: c.chunks - 1, index: layout.chunkEntries[c.chunks - 1]! - 1 }, what);
      // The kernels' u32 values at their largest: the search's vec4 index within a buffer,
      // the DAG build's vec4 index within a buffer and its global item index.
      assert.ok(BigInt(layout.entriesPerChunk) * 16n - 1n <= BigInt(U32_MAX), `${what}: search index`);
      assert.ok(BigInt(layout.entriesPerChunk) * 4n * 4n - 1n <= BigInt(U32_MAX), `${what}: build output index`);
      assert.ok(BigInt(layout.entries) * 4n - 1n <= BigInt(U32_MAX), `${what}: item index`);
      // Bindings per shader stage: the DAG's buffers plus the output buffer (WebGPU's default limit is 8).
      assert.ok(layout.chunkEntries.length + 1 <= 8, `${what}: bindings`);
    }
  }
});

test('epoch 620 in the WGSL: the rendered switch names each buffer and its entries per chunk', () => {
  const layout = planDagLayout(datasetSize(620), 2 * GiB);
  const config = { workgroupSize: 256, threadsPerHash: 16, exchange: 'subgroup' as const, maxCandidates: 16 };
  const code = renderSearchKernel(buildProgram(18808), layout, config);
  assert.match(code, /const DAG_ENTRIES: u32 = 24510456u;/);
  assert.match(code, /const ENTRIES_PER_CHUNK: u32 = 8388608u;/);
  for (let i = 0; i < 3; i++) assert.match(code, new RegExp(`@group\\(1\\) @binding\\(${i}\\) var<storage, read> dag_${i}: array<vec4<u32>>;`));
  assert.doesNotMatch(code, /dag_3/);
  assert.match(code, /case 0u: \{ return dag_0\[index\]; \}\s+case 1u: \{ return dag_1\[index\]; \}\s+default: \{ return dag_2\[index\]; \}/);
});

test('a DAG in a texture: epoch 620 in 2 layers of 16384-wide rows, or 6 of 8192 (the WebGPU default)', () => {
  const size = datasetSize(620);
  const texels = EPOCH_620_ENTRIES * 16;
  for (const [dimension, layers, height] of [
    [16384, 2, 11968],
    [8192, 6, 7979],
  ] as const) {
    const layout = planTextureLayout(size, dimension, 256);
    assert.deepEqual([layout.width, layout.layers, layout.height], [dimension, layers, height]);
    assert.ok(layout.width * layout.height * layout.layers >= texels, 'every texel has a place');
    // Layers of equal height: fewer spare rows than layers.
    assert.ok(layout.width * (layout.height * layout.layers - layout.layers) < texels, 'rows spared only to even out the layers');
    assert.ok(texels - 1 <= U32_MAX, 'the texel index is a u32');
    // The last texel, and the first of the second layer.
    assert.deepEqual(locateTexel(layout, texels - 1), { x: (texels - 1) % dimension, y: Math.floor((texels - 1) / dimension) - (layers - 1) * height, layer: layers - 1 });
    assert.deepEqual(locateTexel(layout, dimension * height), { x: 0, y: 0, layer: 1 });
    // Chunks of whole rows within one layer cover every item once.
    const chunks = textureChunks(layout, 128 * MiB);
    let next = 0;
    for (const chunk of chunks) {
      assert.equal(chunk.firstItem, next, 'chunks follow each other');
      assert.ok(chunk.row + chunk.rows <= layout.height && chunk.rows * dimension * 16 <= 128 * MiB);
      assert.equal(chunk.firstItem, (chunk.layer * layout.height + chunk.row) * dimension / 4);
      next += chunk.items;
    }
    assert.equal(next, EPOCH_620_ENTRIES * 4);
  }
});

test('a DAG in a texture: refused when the layers run out or the texel index would overflow a u32', () => {
  assert.throws(() => planTextureLayout(datasetSize(620), 8192, 4), /needs 6 texture layers of 8192 rows, the adapter allows 4/);
  assert.throws(() => planTextureLayout(datasetSize(9000), 16384, 2048), /overflows the kernel's u32 texel index/);
  // The small DAG in one layer: the kernel's layer is the constant 0.
  const small = planTextureLayout(SMALL_DATASET_SIZE, 16384, 2048);
  assert.deepEqual([small.width, small.height, small.layers], [16384, 64, 1]);
  const code = renderSearchKernel(buildProgram(246), small, { workgroupSize: 64, threadsPerHash: 1, exchange: 'none', maxCandidates: 16 });
  assert.match(code, /var dag: texture_2d_array<u32>;/);
  assert.match(code, /let layer = 0u;/);
  assert.match(renderSearchKernel(buildProgram(246), planTextureLayout(datasetSize(620), 16384, 2048), { workgroupSize: 64, threadsPerHash: 1, exchange: 'none', maxCandidates: 16 }), /let layer = row \/ DAG_TEXTURE_HEIGHT;/);
});
