// A GPU that stops answering: a wait past its stall limit marks the device hung and fails with
// DeviceLostError at once, closing it does not wait for the stuck work, and a DAG build on such
// a device fails the same way instead of waiting forever. The stuck work is a real dispatch
// that runs far longer than the limit the test sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dagSpec } from '../src/pow/epoch.js';
import { createWebgpuBackend, DeviceLostError, hasWebgpuAdapter, openGpu, type GpuContext } from '../src/backends/webgpu/index.js';
import { mapAfter } from '../src/backends/webgpu/wait.js';
import { dispatchOneWorkgroup } from '../src/backends/webgpu/one-workgroup.js';

const available = await hasWebgpuAdapter();
const skip = !available && process.env.CI !== 'true' ? 'no WebGPU adapter (set CI=true to fail instead)' : false;

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

/** One invocation that runs a dependent chain of `rounds` multiply-adds, then a readback buffer holding its result. */
function spin(ctx: GpuContext, rounds: number): GPUBuffer {
  const { device } = ctx;
  const code = `@group(0) @binding(0) var<storage, read_write> data: array<u32>;
@compute @workgroup_size(1) fn main() {
  var x = data[0];
  for (var i = 0u; i < data[1]; i++) { x = x * 1664525u + 1013904223u; }
  data[0] = x;
}`;
  const data = device.createBuffer({ size: 8, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(data, 0, new Uint32Array([1, rounds]));
  const readback = device.createBuffer({ size: 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  dispatchOneWorkgroup(device, code, data, readback, 8);
  return readback;
}

/** The LCG the kernel runs, on the host. */
function lcg(rounds: number): number {
  let x = 1;
  for (let i = 0; i < rounds; i++) x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
  return x;
}

test('a dispatch that outlasts the stall limit marks the device hung; close() does not wait for it', { skip }, async () => {
  const ctx = await openGpu({ stallFloorMs: 300 });
  try {
    // Calibrate: a short chain answers within the limit and computes the right value.
    const probeRounds = 1 << 22;
    const probe = spin(ctx, probeRounds);
    const t0 = performance.now();
    assert.equal(await mapAfter(ctx, probe, 0), false);
    assert.equal(new Uint32Array(probe.getMappedRange())[0], lcg(probeRounds));
    probe.unmap();
    const perRoundMs = Math.max(1e-7, (performance.now() - t0) / probeRounds);
    assert.equal(ctx.lostReason(), undefined);

    // About ten times the limit, within the u32 loop bound.
    const rounds = Math.min(0xffffffff, Math.ceil(3000 / perRoundMs));
    const stuck = spin(ctx, rounds);
    const waitStart = performance.now();
    await assert.rejects(mapAfter(ctx, stuck, 0), (error: Error) => error instanceof DeviceLostError && /taken for hung/.test(error.message));
    const waited = performance.now() - waitStart;
    assert.ok(waited >= 290 && waited < 1500, `gave up after ${waited.toFixed(0)} ms`);
    assert.match(ctx.lostReason() ?? '', /did not finish work .* within 0\.3 s/);
    const closeStart = performance.now();
    ctx.close();
    assert.ok(performance.now() - closeStart < 200, 'close() waited for the stuck dispatch');
  } finally {
    ctx.close();
  }
});

test('a DAG build on a device that stops answering fails as a lost device, and the backend refuses work after it', { skip }, async () => {
  // A limit far below one dispatch of the dataset-item kernel on any adapter.
  const backend = await createWebgpuBackend({ stallFloorMs: 1, dagStorage: 'buffers', dagBuilder: 'gpu' });
  try {
    await assert.rejects(backend.prepare(dagSpec(0, 'small')), (error: Error) => error instanceof DeviceLostError && /DAG build failed: .*taken for hung/.test(error.message));
    await assert.rejects(
      backend.search({ headerHash: new Uint8Array(32), height: 0, target: 1n }, 0n, 64),
      (error: Error) => error instanceof DeviceLostError,
    );
  } finally {
    await backend.close();
  }
});
