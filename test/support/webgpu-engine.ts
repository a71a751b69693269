// The WGSL building blocks as the shared vector loop drives them: rendered math and merge,
// keccak-f800 as ProgPoW absorbs it, and the lanes' initial registers, each run in a small
// kernel over every vector at once. The ProgPoW hash itself needs a whole DAG on the GPU
// (webgpu-epoch0-full.test.ts).
import assert from 'node:assert/strict';
import { PROGPOW_REGS } from '../../src/pow/progpow-program.js';
import { hasWebgpuAdapter, openGpu, type GpuContext } from '../../src/backends/webgpu/index.js';
import { assembleKernel } from '../../src/backends/webgpu/kernel-source.js';
import { renderPowConstants } from '../../src/backends/webgpu/render-constants.js';
import { renderMath, renderMerge } from '../../src/backends/webgpu/render-program.js';
import { readBack } from '../../src/backends/webgpu/wait.js';
import type { PowEngine } from './pow-engines.js';

const IO = `
@group(0) @binding(0) var<storage, read> input: array<u32>;
@group(0) @binding(1) var<storage, read_write> output: array<u32>;
`;

function kernel(files: string[], main: string): string {
  return `${assembleKernel(files, { POW_CONSTANTS: renderPowConstants() })}\n${IO}\n${main}`;
}

/** The engine, and whether an adapter is there: without one its tests skip, except in CI where they fail. */
export async function webgpuEngine(): Promise<PowEngine & { readonly available: boolean }> {
  const available = await hasWebgpuAdapter();
  let gpu: GpuContext | undefined;

  /** Runs `main` over `invocations` with `input` at binding 0 and returns `outputWords` words from binding 1. */
  async function run(code: string, input: Uint32Array<ArrayBuffer>, outputWords: number, invocations: number): Promise<Uint32Array> {
    gpu ??= await openGpu();
    const { device } = gpu;
    const module = device.createShaderModule({ code });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const inBuf = device.createBuffer({ size: Math.max(16, input.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(inBuf, 0, input);
    const outBuf = device.createBuffer({ size: outputWords * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const readback = device.createBuffer({ size: outputWords * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: inBuf } },
        { binding: 1, resource: { buffer: outBuf } },
      ],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(invocations);
    pass.end();
    encoder.copyBufferToBuffer(outBuf, 0, readback, 0, outputWords * 4);
    device.queue.submit([encoder.finish()]);
    const { data } = await readBack(gpu, readback, 0);
    assert.deepEqual(gpu.takeUncapturedErrors(), []);
    return new Uint32Array(data);
  }

  return {
    name: 'webgpu',
    available,
    // In CI a missing adapter must fail the run, so these tests only skip outside CI.
    skip: available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)',

    async mathMerge(inputs) {
      const cases = inputs.map((m, i) => `    case ${i}u: { return ${m.merge ? renderMerge('a', 'b', m.r) : renderMath('a', 'b', m.r)}; }`);
      const code = kernel(['progpow-common.wgsl', 'keccak-f800.wgsl'], `
fn evaluate(i: u32, a: u32, b: u32) -> u32 {
  switch i {
${cases.join('\n')}
    default: { return 0u; }
  }
}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  output[wid.x] = evaluate(wid.x, input[2u * wid.x], input[2u * wid.x + 1u]);
}`);
      const out = await run(code, new Uint32Array(inputs.flatMap((m) => [m.a, m.b])), inputs.length, inputs.length);
      return inputs.map((_, i) => [out[i]!]);
    },

    async keccakProgpow(inputs) {
      const code = kernel(['progpow-common.wgsl', 'keccak-f800.wgsl'], `
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  let at = wid.x * 18u;
  var header: array<vec4<u32>, 2>;
  header[0] = vec4<u32>(input[at], input[at + 1u], input[at + 2u], input[at + 3u]);
  header[1] = vec4<u32>(input[at + 4u], input[at + 5u], input[at + 6u], input[at + 7u]);
  var digest: array<u32, 8>;
  for (var i = 0u; i < 8u; i++) { digest[i] = input[at + 10u + i]; }
  let out = keccak_progpow(header, vec2<u32>(input[at + 8u], input[at + 9u]), digest);
  output[2u * wid.x] = out.x;
  output[2u * wid.x + 1u] = out.y;
}`);
      const input = new Uint32Array(inputs.flatMap((k) => [...k.header, k.lo, k.hi, ...k.digest]));
      const out = await run(code, input, 2 * inputs.length, inputs.length);
      // The kernel returns the first two output words: what hash_seed and the target test read.
      return inputs.map((_, i) => out.slice(2 * i, 2 * i + 2));
    },

    async fillMix(inputs) {
      const code = kernel(['progpow-common.wgsl'], `
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  let mix = fill_mix(vec2<u32>(input[3u * wid.x], input[3u * wid.x + 1u]), input[3u * wid.x + 2u]);
  for (var i = 0u; i < PROGPOW_REGS; i++) { output[PROGPOW_REGS * wid.x + i] = mix[i]; }
}`);
      const out = await run(code, new Uint32Array(inputs.flatMap((f) => [f.lo, f.hi, f.lane])), PROGPOW_REGS * inputs.length, inputs.length);
      return inputs.map((_, i) => Array.from(out.subarray(PROGPOW_REGS * i, PROGPOW_REGS * (i + 1))));
    },

    close: () => gpu?.close(),
  };
}
