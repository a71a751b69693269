// How DAGs are split over storage buffers; no GPU needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dagEntries, datasetSize, SMALL_DATASET_SIZE } from '../src/pow/epoch.js';
import { locateEntry, planDagLayout } from '../src/backends/webgpu/dag-layout.js';

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
