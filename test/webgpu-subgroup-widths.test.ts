// Every search kernel variant at whatever subgroup width the adapter has, against the WASM
// backend on the same small-DAG range. CI runs this file once per lavapipe vector width
// (LP_NATIVE_VECTOR_WIDTH=128, 256, 512, 1024, 2048: subgroups of 4, 8, 16 and, as lavapipe
// reports them, 32 and 64).
//
// What it proves, honestly: at 4, 8 and 16 lanes lavapipe's subgroups are real, so the
// subgroup exchange is checked at those widths (T=4 with looped lanes, T=8, T=16). At 1024
// and 2048 lavapipe *reports* 32 and 64 but its subgroups stay 16 invocations (the probe
// below measures it); there the test proves only that the kernels stay right when the reported
// size exceeds the real one, because no layout is ever derived from the reported size. Real
// 32-lane subgroups are checked by `npm run bench:gpu` on an NVIDIA GPU; real 64-lane ones
// (AMD) by no machine here.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dagSpec } from '../src/pow/epoch.js';
import type { SearchJob, SearchResult } from '../src/backends/backend.js';
import { createWasmBackend, type WasmBackend } from '../src/backends/wasm/index.js';
import { createWebgpuBackend, hasWebgpuAdapter, openGpu, type WebgpuBackendOptions } from '../src/backends/webgpu/index.js';
import { probeSubgroups, type SubgroupProbe } from '../src/backends/webgpu/subgroup-probe.js';
import { describeSearchConfig } from '../src/backends/webgpu/search-shader.js';
import { LAVAPIPE_MAX_TEXTURE_VECTOR_BITS } from './support/lavapipe.js';

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const spec = dagSpec(0, 'small');
const HEIGHT = 12_340;
const requested = process.env.LP_NATIVE_VECTOR_WIDTH ?? 'default';

const header = randomBytes(32);
const start = BigInt('0x' + randomBytes(8).toString('hex'));
const COUNT = 600;
const job: SearchJob = { headerHash: header, height: HEIGHT, target: (1n << 256n) / 24n };

let wasm: WasmBackend;
let expected: SearchResult;
let probe: SubgroupProbe | undefined;
let lavapipe = false;

before(async () => {
  if (skip) return;
  wasm = createWasmBackend({ threads: 1 });
  await wasm.prepare(spec);
  expected = await wasm.search(job, start, COUNT);
  const ctx = await openGpu();
  try {
    if (ctx.subgroups) probe = await probeSubgroups(ctx);
    lavapipe = /llvmpipe/.test(`${ctx.summary.device} ${ctx.summary.description}`);
  } finally {
    ctx.close();
  }
});
after(() => wasm?.close());

const show = (r: SearchResult) => r.solutions.map((s) => `${s.nonce.toString(16)} ${Buffer.from(s.mixDigest).toString('hex')} ${Buffer.from(s.finalHash).toString('hex')}`);

test('a WebGPU adapter is present', { skip }, () => {
  assert.ok(available, 'no WebGPU adapter found while CI=true');
});

test(`subgroup sizes at LP_NATIVE_VECTOR_WIDTH=${requested}: requested, reported and real`, { skip }, (t) => {
  if (!probe) {
    t.diagnostic(`width ${requested}: the adapter has no subgroups`);
    return;
  }
  t.diagnostic(`width ${requested}: reported ${probe.reportedMin}..${probe.reportedMax}, builtin ${probe.builtin}, real ${probe.real} (ids 0..${probe.idRange - 1})`);
  assert.equal(probe.builtin, probe.reportedMax, 'the builtin says what the adapter reports');
  assert.equal(probe.idRange, probe.real, 'subgroup ids cover the invocations a subgroup operation counts');
  assert.ok(probe.real <= probe.builtin, 'a subgroup is never larger than reported');
  // lavapipe reports vector bits / 32 lanes, but its subgroups hold at most 16 of them.
  const bits = Number(process.env.LP_NATIVE_VECTOR_WIDTH ?? 256);
  if (lavapipe) {
    assert.equal(probe.reportedMax, bits / 32, 'lavapipe reports one lane per 32 bits of its vectors');
    assert.equal(probe.real, Math.min(16, bits / 32), 'lavapipe subgroups are at most 16 invocations');
  }
});

const variants: { name: string; options: WebgpuBackendOptions }[] = [
  { name: 'subgroup exchange', options: { exchange: 'subgroup' } },
  { name: 'one invocation per hash', options: { exchange: 'none' } },
  { name: 'workgroup exchange', options: { exchange: 'workgroup' } },
];

for (const variant of variants) {
  for (const dagStorage of ['texture', 'buffers'] as const) {
    const from = dagStorage === 'texture' ? 'a DAG texture' : 'DAG buffers';
    test(`${variant.name} from ${from} at LP_NATIVE_VECTOR_WIDTH=${requested} equals WASM on the same range`, { skip }, async (t) => {
      if (variant.options.exchange === 'subgroup' && !probe) {
        t.skip('the adapter has no subgroups');
        return;
      }
      if (dagStorage === 'texture' && variant.options.exchange !== 'subgroup' && lavapipe && Number(process.env.LP_NATIVE_VECTOR_WIDTH ?? 256) > LAVAPIPE_MAX_TEXTURE_VECTOR_BITS) {
        t.skip(`lavapipe cannot compile texel fetches wider than ${LAVAPIPE_MAX_TEXTURE_VECTOR_BITS} bits`);
        return;
      }
      const gpu = await createWebgpuBackend({ ...variant.options, dagStorage, launch: { workgroupSize: 64, groups: 3, batch: 384 } });
      try {
        // lavapipe loses every candidate (16-lane subgroups) or crashes (4-lane ones, lanes
        // held in a loop) running the subgroup exchange on a DAG texture: refused there.
        if (variant.options.exchange === 'subgroup' && dagStorage === 'texture') {
          await assert.rejects(gpu.prepare(spec), /needs the DAG in storage buffers/);
          return;
        }
        await gpu.prepare(spec);
        assert.equal(gpu.lastBuild!.storage, dagStorage);
        const config = gpu.tuning!.config;
        t.diagnostic(`width ${requested}: ran ${describeSearchConfig(config)} from ${from} (reported subgroups ${probe?.reportedMin ?? '-'}, real ${probe?.real ?? '-'})`);
        if (config.exchange === 'subgroup') {
          // A hash's invocations fit in the smallest reported subgroup, up to 16.
          assert.equal(config.threadsPerHash, Math.min(16, probe!.reportedMin!));
        }
        const result = await gpu.search(job, start, COUNT);
        assert.equal(result.hashes, COUNT);
        assert.deepEqual(show(result), show(expected), `header ${header.toString('hex')} start 0x${start.toString(16)}`);
        assert.equal(gpu.gpuMismatches, 0);
      } finally {
        await gpu.close();
      }
    });
  }
}
