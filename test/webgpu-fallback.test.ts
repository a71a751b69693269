// Failure handling: no adapter, a DAG that does not fit, and a device lost mid-search. Each
// gives a clear message, and --backend auto carries on with WASM without losing solutions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot } from './support/vectors.js';
import { dagSpec } from '../src/pow/epoch.js';
import type { SearchJob, SearchResult } from '../src/backends/backend.js';
import { FallbackBackend, selectBackend } from '../src/backends/select.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { createWebgpuBackend, DagOutOfMemoryError, hasWebgpuAdapter, WebgpuBackend } from '../src/backends/webgpu/index.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const run = promisify(execFile);
const spec = dagSpec(0, 'small');
const job: SearchJob = { headerHash: Buffer.alloc(32, 0x42), height: 777, target: (1n << 256n) / 16n };

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

const summary = (r: SearchResult) => ({ hashes: r.hashes, nonces: r.solutions.map((s) => s.nonce.toString(16)) });

async function wasmSearch(start: bigint, count: number): Promise<SearchResult> {
  const wasm = createWasmBackend({ threads: 2 });
  try {
    await wasm.prepare(spec);
    return await wasm.search(job, start, count);
  } finally {
    await wasm.close();
  }
}

test('no adapter: webgpu fails with a clear message and auto falls back to WASM', async () => {
  const script = `
    const { selectBackend } = await import(${JSON.stringify(path.join(repoRoot, 'dist/src/backends/select.js'))});
    const { createWebgpuBackend } = await import(${JSON.stringify(path.join(repoRoot, 'dist/src/backends/webgpu/index.js'))});
    const out = {};
    try { await createWebgpuBackend(); } catch (e) { out.webgpu = e.name + ': ' + e.message; }
    const logs = [];
    const b = await selectBackend({ backend: 'auto', log: (_level, l) => logs.push(l), wasm: { threads: 1 } });
    out.auto = b.name;
    out.logs = logs;
    await b.close();
    console.log(JSON.stringify(out));`;
  // An empty Vulkan driver list: what a machine without any GPU driver looks like to Dawn.
  const env = { ...process.env, VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json' };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env });
  const out = JSON.parse(stdout) as { webgpu: string; auto: string; logs: string[] };
  assert.match(out.webgpu, /^WebgpuUnavailableError: no WebGPU adapter found.*mesa-vulkan-drivers/);
  assert.equal(out.auto, 'wasm');
  assert.equal(out.logs.length, 1);
  assert.match(out.logs[0]!, /^WebGPU unavailable \(no WebGPU adapter found.*\); using WASM$/);
});

test('auto picks a hardware adapter, and WASM over a software one (lavapipe) with a message', { skip }, async () => {
  const probe = await createWebgpuBackend();
  const software = probe.ctx.summary.isFallbackAdapter;
  await probe.close();
  const logs: string[] = [];
  const auto = await selectBackend({ backend: 'auto', wasm: { threads: 1 }, log: (_level, l) => logs.push(l) });
  try {
    if (software) {
      assert.equal(auto.name, 'wasm');
      assert.equal(logs.length, 1);
      assert.match(logs[0]!, /^the only WebGPU adapter \(.+\(WebGPU\)\) is a software renderer on the CPU cores WASM would use; using WASM/);
    } else {
      assert.equal(auto.name, 'webgpu');
      assert.deepEqual(logs, []);
    }
  } finally {
    await auto.close();
  }
});

test('a DAG needing more storage bindings than the adapter has: clear error, auto uses WASM', { skip }, async () => {
  // 64 KiB bindings split the 16 MiB small DAG into 256 buffers: far more than any adapter binds.
  // (A DAG in a texture takes one binding: storage buffers are what a GPU's limits split.)
  const webgpu = await createWebgpuBackend({ maxBindingBytes: 64 * 1024, dagStorage: 'buffers' });
  await assert.rejects(webgpu.prepare(spec), (e: Error) => {
    assert.ok(e instanceof DagOutOfMemoryError);
    assert.match(e.message, /^the DAG \(16\.0 MiB\) needs 256 storage bindings of at most 64 KiB, but the adapter allows \d+ next to the output buffer$/);
    return true;
  });
  await webgpu.close();

  const logs: string[] = [];
  const auto = await selectBackend({ backend: 'auto', webgpu: { maxBindingBytes: 64 * 1024, dagStorage: 'buffers' }, wasm: { threads: 2 }, log: (level, l) => level !== 'debug' && logs.push(l), autoUsesSoftwareAdapter: true });
  try {
    assert.equal(auto.name, 'webgpu');
    await auto.prepare(spec);
    assert.equal(auto.name, 'wasm');
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /^WebGPU failed \(the DAG .* needs 256 storage bindings.*\); continuing on WASM$/);
    assert.deepEqual(summary(await auto.search(job, 5n, 300)), summary(await wasmSearch(5n, 300)));
  } finally {
    await auto.close();
  }
});

/** auto on whatever adapter there is (lavapipe included), with a small fixed launch. */
async function gpuFirstAuto(logs: string[]): Promise<FallbackBackend> {
  return (await selectBackend({
    backend: 'auto',
    autoUsesSoftwareAdapter: true,
    webgpu: { launch: { workgroupSize: 64, groups: 4, batch: 512 } },
    wasm: { threads: 2 },
    // (Diagnostics at debug, such as the kernel helper's thread priority, are not what these count.)
    log: (level, l) => level !== 'debug' && logs.push(l),
  })) as FallbackBackend;
}

test('device lost mid-search: auto finishes the range on WASM and keeps what the GPU found', { skip }, async () => {
  const logs: string[] = [];
  const auto = await gpuFirstAuto(logs);
  try {
    await auto.prepare(spec);
    const gpu = auto.current;
    assert.ok(gpu instanceof WebgpuBackend);
    const start = 1000n;
    const count = 12_000;
    // A first search compiles this period's kernel and queues the next period's warm-up;
    // once the queue drains, the timed search starts hashing at once.
    await auto.search(job, 0n, 64);
    await gpu.ctx.device.queue.onSubmittedWorkDone();
    // Lose the device once the GPU has done part of the range.
    const searching = auto.search(job, start, count);
    await new Promise((resolve) => setTimeout(resolve, 300));
    gpu.ctx.device.destroy();
    const result = await searching;
    assert.equal(auto.name, 'wasm');
    assert.equal(logs.length, 1);
    const [, onGpu] = /^WebGPU failed \(WebGPU device lost \(destroyed\).*\) after (\d+) nonces; continuing on WASM$/.exec(logs[0]!) ?? [];
    assert.ok(Number(onGpu) > 0 && Number(onGpu) < count, `log: ${logs[0]}`);
    assert.equal(result.hashes, count);
    assert.deepEqual(summary(result), summary(await wasmSearch(start, count)));
  } finally {
    await auto.close();
  }
});

test('device lost with two searches queued (as the search loop queues them): both finish on WASM', { skip }, async () => {
  const logs: string[] = [];
  const auto = await gpuFirstAuto(logs);
  try {
    await auto.prepare(spec);
    const gpu = auto.current as WebgpuBackend;
    const count = 6_000;
    const searching = [auto.search(job, 5000n, count), auto.search(job, 5000n + BigInt(count), count)];
    await new Promise((resolve) => setTimeout(resolve, 300));
    gpu.ctx.device.destroy();
    const results = await Promise.all(searching);
    assert.equal(auto.name, 'wasm');
    assert.equal(logs.length, 1, `one switch: ${logs.join(' | ')}`);
    const both = { hashes: results[0]!.hashes + results[1]!.hashes, solutions: [...results[0]!.solutions, ...results[1]!.solutions] };
    assert.deepEqual(summary(both), summary(await wasmSearch(5000n, 2 * count)));
  } finally {
    await auto.close();
  }
});
