// The WGSL building blocks against the published vectors: rendered math and merge, keccak-f800
// as ProgPoW absorbs it, and the lanes' initial registers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { powVectors, word } from './support/vectors.js';
import { hasWebgpuAdapter, openGpu, type GpuContext } from '../src/backends/webgpu/index.js';
import { assembleKernel } from '../src/backends/webgpu/kernel-source.js';
import { renderPowConstants } from '../src/backends/webgpu/render-constants.js';
import { renderMath, renderMerge } from '../src/backends/webgpu/render-program.js';
import { readBack } from '../src/backends/webgpu/wait.js';

const available = await hasWebgpuAdapter();
// In CI a missing adapter must fail the run, so these tests only skip outside CI.
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const v = powVectors();
let gpu: GpuContext | undefined;
after(() => gpu?.close());

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

/** Runs `main` over `invocations` with `input` at binding 0 and returns `outputWords` words from binding 1. */
async function runKernel(code: string, input: Uint32Array<ArrayBuffer>, outputWords: number, invocations: number): Promise<Uint32Array> {
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
  const { data } = await readBack(readback, 0);
  assert.deepEqual(gpu.takeUncapturedErrors(), []);
  return new Uint32Array(data);
}

const IO = `
@group(0) @binding(0) var<storage, read> input: array<u32>;
@group(0) @binding(1) var<storage, read_write> output: array<u32>;
`;

test('rendered math and merge match every math_merge vector', { skip }, async () => {
  const cases = v.math_merge.map((m, i) => {
    const sel = word(m.r);
    const expr = m.op.startsWith('math') ? renderMath('a', 'b', sel) : renderMerge('a', 'b', sel);
    return `    case ${i}u: { return ${expr}; }`;
  });
  const code = `${assembleKernel(['progpow-common.wgsl', 'keccak-f800.wgsl'], { POW_CONSTANTS: renderPowConstants() })}\n${IO}
fn evaluate(i: u32, a: u32, b: u32) -> u32 {
  switch i {
${cases.join('\n')}
    default: { return 0u; }
  }
}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  output[wid.x] = evaluate(wid.x, input[2u * wid.x], input[2u * wid.x + 1u]);
}`;
  const input = new Uint32Array(v.math_merge.flatMap((m) => [word(m.a), word(m.b)]));
  const out = await runKernel(code, input, v.math_merge.length, v.math_merge.length);
  v.math_merge.forEach((m, i) => assert.equal(out[i], word(m.result), `${m.op} a=${m.a} b=${m.b} r=${m.r}`));
});

test('keccak_progpow matches the keccak-f800 vectors', { skip }, async () => {
  const cases = v.keccak_f800_progpow;
  const input = new Uint32Array(cases.flatMap((c) => {
    const header = Buffer.from(c.header_hash, 'hex');
    const seed = BigInt('0x' + c.seed);
    return [
      ...Array.from({ length: 8 }, (_, i) => header.readUInt32LE(4 * i)),
      Number(seed & 0xffffffffn), Number(seed >> 32n),
      ...c.digest_words.map(word),
    ];
  }));
  const code = `${assembleKernel(['progpow-common.wgsl', 'keccak-f800.wgsl'], { POW_CONSTANTS: renderPowConstants() })}\n${IO}
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
}`;
  const out = await runKernel(code, input, 2 * cases.length, cases.length);
  cases.forEach((c, i) => {
    const expected = Buffer.from(c.output, 'hex');
    // The kernel returns the first two output words: what hash_seed and the target test read.
    assert.equal(out[2 * i], expected.readUInt32LE(0), `${c.id} word 0`);
    assert.equal(out[2 * i + 1], expected.readUInt32LE(4), `${c.id} word 1`);
  });
});

test('fill_mix gives each lane the registers of the fill_mix vectors', { skip }, async () => {
  const cases = v.fill_mix;
  const input = new Uint32Array(cases.flatMap((c) => {
    const seed = BigInt('0x' + c.seed);
    return [Number(seed & 0xffffffffn), Number(seed >> 32n), c.lane];
  }));
  const code = `${assembleKernel(['progpow-common.wgsl'], { POW_CONSTANTS: renderPowConstants() })}\n${IO}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  let mix = fill_mix(vec2<u32>(input[3u * wid.x], input[3u * wid.x + 1u]), input[3u * wid.x + 2u]);
  for (var i = 0u; i < 32u; i++) { output[32u * wid.x + i] = mix[i]; }
}`;
  const out = await runKernel(code, input, 32 * cases.length, cases.length);
  cases.forEach((c, i) => assert.deepEqual(Array.from(out.subarray(32 * i, 32 * i + 32)), c.mix.map(word), `seed ${c.seed} lane ${c.lane}`));
});
