// Every kernel variant the miner renders (support/kernel-variants.ts) compiles on Dawn (Tint)
// with no error or warning; web-page.test.ts compiles the same set in chromium (Dawn) and
// Firefox (wgpu, whose naga compiler accepts a narrower WGSL).
import { test } from 'node:test';
import { hasWebgpuAdapter } from '../src/backends/webgpu/index.js';
import { loadWebgpu } from '../src/backends/webgpu/gpu-provider.js';
import { assertCompiledClean, compileKernels, kernelVariants } from './support/kernel-variants.js';

const skip = (await hasWebgpuAdapter()) || process.env.CI === 'true' ? false : 'no WebGPU adapter';

test('every kernel variant compiles on Dawn with no error or warning', { skip, timeout: 300_000 }, async () => {
  const { create } = await loadWebgpu();
  // referenced until the device is gone (platform.md pitfall 1)
  const gpu = create([]);
  const variants = kernelVariants();
  const results = await compileKernels(variants, gpu);
  const adapter = await gpu.requestAdapter();
  assertCompiledClean(results, variants, adapter!.features.has('subgroups'));
});
