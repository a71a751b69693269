// `npm run bench:gpu --small` as CI runs it on lavapipe, so the first-contact benchmark for a
// real GPU cannot rot: its JSON must hold real figures (hash rates, DAG builds of both
// backends, the tuning's sweep, job switches) and WebGPU's nonces must equal WASM's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hasWebgpuAdapter } from '../src/backends/webgpu/index.js';
import { bandwidthBound, DAG_BYTES_PER_HASH, nominalBandwidth } from '../bench/memory-bandwidth.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const benchGpu = fileURLToPath(new URL('../bench/gpu.js', import.meta.url));

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

test('the bandwidth bound: 16 KiB of DAG per hash over the nominal bandwidth of known adapters', () => {
  assert.equal(DAG_BYTES_PER_HASH, 16_384);
  assert.equal(nominalBandwidth('NVIDIA NVIDIA H200'), 4.8e12);
  assert.equal(nominalBandwidth('NVIDIA H100 PCIe'), 2.0e12);
  assert.equal(nominalBandwidth('NVIDIA H100 80GB HBM3'), 3.35e12);
  assert.equal(nominalBandwidth('NVIDIA GeForce RTX 4090'), 1.008e12);
  assert.equal(nominalBandwidth('mesa llvmpipe'), null);
  // The issue's figure: an H200's bound is about 293 MH/s, and 120 MH/s is 41 % of it.
  assert.deepEqual(bandwidthBound(120e6, 4.8e12), { boundHashrate: 292_968_750, fraction: 0.4096 });
  assert.deepEqual(bandwidthBound(120e6, null), { boundHashrate: null, fraction: null });
});

function runBench(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [benchGpu, '--small', '--seconds', '1'], { maxBuffer: 16 * 2 ** 20, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('bench:gpu --small: adapter, DAG builds, tuning, hash rates, job switches, WebGPU nonces equal WASM', { skip, timeout: 300_000 }, async () => {
  const run = await runBench();
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.error, undefined);
  assert.equal(report.mode, 'small');

  const { adapter } = report;
  assert.ok(adapter.name.length > 0);
  assert.ok(adapter.limits.maxStorageBufferBindingSize > 0 && adapter.limits.maxComputeWorkgroupStorageSize >= 16_384, JSON.stringify(adapter.limits));
  if (adapter.features.includes('subgroups')) assert.ok(adapter.subgroups.real > 0 && adapter.subgroups.real <= adapter.subgroups.builtin);

  const { anchor, today } = report;
  assert.deepEqual([anchor.epoch, anchor.block, anchor.dag], [31, 940_410, 'small']);
  const gpu = anchor.webgpu;
  assert.equal(gpu.fits, true);
  assert.ok(gpu.hashrate > 0 && gpu.hashes > 0, JSON.stringify(gpu));
  assert.ok(gpu.dagBuild.seconds > 0 && gpu.dagBytes === 16_773_376);
  assert.ok(gpu.launch.trials.length > 0 && gpu.launch.reason.length > 0, 'the tuning reports its sweep and reason');
  assert.ok(gpu.jobSwitch.trials === 8 && gpu.jobSwitch.medianMs > 0 && gpu.jobSwitch.maxMs >= gpu.jobSwitch.medianMs);
  assert.equal(gpu.bandwidth.fraction === null, adapter.nominalBandwidthBytesPerSecond === null);
  const wasm = anchor.wasm;
  assert.ok(wasm.hashrate > 0 && wasm.dagBuild.seconds > 0 && wasm.jobSwitch.medianMs > 0, JSON.stringify(wasm));
  assert.equal(anchor.dagBuildWasmOverWebgpu, Number((wasm.dagBuild.seconds / gpu.dagBuild.seconds).toFixed(2)));
  // About one nonce in 64 meets the check's target: 4096 nonces find dozens.
  assert.ok(anchor.check.webgpuSolutions > 10, JSON.stringify(anchor.check));
  assert.equal(anchor.check.webgpuSolutions, anchor.check.wasmSolutions);
  assert.equal(anchor.check.gpuMismatches, 0);
  assert.equal(anchor.check.equal, true, 'WebGPU found exactly the nonces WASM found');

  assert.ok(today.epoch >= 600, `today's epoch ${today.epoch}`);
  assert.equal(today.webgpu.fits, true);
  assert.ok(today.webgpu.hashrate > 0);
  assert.ok(today.check.webgpuSolutions > 10 && today.check.confirmed === today.check.webgpuSolutions && today.check.equal === true, JSON.stringify(today.check));
});
