// The search and bench commands on WebGPU, run as a user runs them: the same output as WASM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot } from './support/vectors.js';
import { hasWebgpuAdapter } from '../src/backends/webgpu/index.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [path.join(repoRoot, 'bin/sero-miner.js'), ...args], { maxBuffer: 1 << 24 });

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

test('search --backend webgpu prints exactly what --backend wasm prints (small DAG, across 2^64)', { skip }, async () => {
  const args = ['search', '--block', '940449', '--header', '0x' + '5a'.repeat(32), '--target', '0x08' + '00'.repeat(31),
    '--start', '0xfffffffffffffe00', '--count', '1024', '--dag', 'small', '--json'];
  const gpu = JSON.parse((await cli(...args, '--backend', 'webgpu')).stdout);
  const cpu = JSON.parse((await cli(...args, '--backend', 'wasm')).stdout);
  assert.ok(cpu.solutions.length > 20, 'the range holds solutions');
  assert.deepEqual(gpu.solutions, cpu.solutions);
  assert.equal(gpu.hashes, cpu.hashes);
});

test('bench --backend webgpu --json reports hashrate, DAG build and adapter', { skip }, async () => {
  const out = JSON.parse((await cli('bench', '--backend', 'webgpu', '--dag', 'small', '--block', '940410', '--seconds', '1', '--json')).stdout);
  assert.equal(out.backend, 'webgpu');
  assert.ok(out.hashrate > 0);
  assert.ok(out.dagBuild.seconds > 0);
  assert.equal(typeof out.adapter.name, 'string');
});
