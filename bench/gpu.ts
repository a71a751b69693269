// `npm run bench:gpu`: what a machine with a GPU needs to tell on first contact, as one JSON
// object on stdout (progress on stderr): the adapter, its limits and real subgroup size; at the
// anchor epoch 31 (block 940410) and at today's epoch, the DAG build on the GPU (and, at epoch
// 31, the WASM build in the same run), the launch tuning with its sweep and reason, the hash
// rate and its share of the memory-bandwidth bound, the job-switch latency of both backends,
// and the nonces found by WebGPU checked against WASM.
//   node dist/bench/gpu.js [--small] [--seconds S] [--epoch N]
//   --small   the 64 MiB test DAG at both epochs (CI runs it on lavapipe so it cannot rot)
//   --epoch   today's epoch (default: estimated from the date)
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { dagSpec, EPOCH_LENGTH, epochOf, type DagMode, type DagSpec } from '../src/pow/epoch.js';
import { PROGPOW_ACTIVATION_HEIGHT } from '../src/chain/forks.js';
import { estimatedMainnetHeight } from '../src/chain/height-estimate.js';
import type { SearchJob, SearchResult } from '../src/backends/backend.js';
import { benchWasm, benchWebgpu } from '../src/backends/bench-run.js';
import { machineInfo } from '../src/backends/measure.js';
import { createWasmBackend, makeLightCacheWasm, WasmLightHasher, type WasmBackend } from '../src/backends/wasm/index.js';
import { createWebgpuBackend, describeAdapter, openGpu, type WebgpuBackend } from '../src/backends/webgpu/index.js';
import { isSoftwareAdapter } from '../src/backends/webgpu/gpu-context.js';
import { probeSubgroups } from '../src/backends/webgpu/subgroup-probe.js';
import { bandwidthBound, nominalBandwidth } from './memory-bandwidth.js';

const { values } = parseArgs({ options: { small: { type: 'boolean', default: false }, seconds: { type: 'string' }, epoch: { type: 'string' } } });
const small = values.small;
const mode: DagMode = small ? 'small' : 'full';
const seconds = Number(values.seconds ?? (small ? 2 : 10));
const ANCHOR_BLOCK = PROGPOW_ACTIVATION_HEIGHT;
const todayEpoch = values.epoch !== undefined ? Number(values.epoch) : epochOf(estimatedMainnetHeight());
/** Nonces of the WebGPU = WASM check, and a target about one in 64 of them meets. */
const CHECK_NONCES = 4096;
const CHECK_TARGET = (1n << 256n) / 64n;

const round = (x: number, digits = 0) => Number(x.toFixed(digits));
const progress = (line: string) => process.stderr.write(`bench:gpu: ${line}\n`);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const solutionKeys = (r: SearchResult) => r.solutions.map((s) => `${s.nonce.toString(16)}:${hex(s.mixDigest)}:${hex(s.finalHash)}`);

/** A block of the epoch, inside it (the period does not matter for speed). */
const blockOf = (epoch: number) => (epoch === epochOf(ANCHOR_BLOCK) ? ANCHOR_BLOCK : epoch * EPOCH_LENGTH + 12_345);

function failure(error: unknown): { error: string } {
  return { error: (error as Error).message ?? String(error) };
}

async function adapterSection(): Promise<{ name: string; software: boolean; figures: Record<string, unknown> }> {
  const ctx = await openGpu();
  try {
    const { summary } = ctx;
    const name = describeAdapter(summary);
    const bandwidth = nominalBandwidth(`${name} ${summary.device} ${summary.description}`);
    const subgroups = ctx.subgroups ? await probeSubgroups(ctx) : null;
    return {
      name,
      software: isSoftwareAdapter(summary),
      figures: { name, ...summary, subgroups, nominalBandwidthBytesPerSecond: bandwidth },
    };
  } finally {
    ctx.close();
  }
}

/** WebGPU searches a range with an easy target; WASM searches the same range (full check) or confirms each nonce by its light hash. */
async function checkNonces(gpu: WebgpuBackend, block: number, wasm: WasmBackend | undefined, spec: DagSpec): Promise<Record<string, unknown>> {
  const job: SearchJob = { headerHash: randomBytes(32), height: block, target: CHECK_TARGET };
  const start = BigInt(`0x${randomBytes(8).toString('hex')}`);
  const found = await gpu.search(job, start, CHECK_NONCES);
  const figures: Record<string, unknown> = { nonces: CHECK_NONCES, webgpuSolutions: found.solutions.length, gpuMismatches: gpu.gpuMismatches };
  if (wasm) {
    const expected = await wasm.search(job, start, CHECK_NONCES);
    const same = JSON.stringify(solutionKeys(found)) === JSON.stringify(solutionKeys(expected));
    return { ...figures, method: 'the same range searched by the WASM backend', wasmSolutions: expected.solutions.length, equal: same && found.hashes === expected.hashes };
  }
  const hasher = new WasmLightHasher(spec, makeLightCacheWasm(spec.cacheSize, spec.seedHash));
  const confirmed = found.solutions.filter((s) => {
    const light = hasher.hash(job.headerHash, s.nonce, block);
    return hex(light.mixDigest) === hex(s.mixDigest) && hex(light.finalHash) === hex(s.finalHash);
  }).length;
  return { ...figures, method: 'each nonce confirmed by the WASM light hash', confirmed, equal: confirmed === found.solutions.length && found.solutions.length > 0 };
}

/** The WebGPU benchmark of `sero-miner bench` at this DAG, with the share of the bandwidth bound. */
async function webgpuAt(gpu: WebgpuBackend, spec: DagSpec, block: number, bandwidth: number | null): Promise<Record<string, unknown>> {
  progress(`WebGPU: DAG of epoch ${spec.epoch} (${spec.mode}), tuning, ${seconds} s of hashing, job switches`);
  const { backend: _, machine: __, block: ___, epoch: ____, dag: _____, ...figures } = await benchWebgpu(gpu, { block, spec, seconds });
  return { fits: true, ...figures, bandwidth: bandwidthBound(figures.hashrate, bandwidth) };
}

async function anchorSection(bandwidth: number | null): Promise<Record<string, unknown>> {
  const spec = dagSpec(epochOf(ANCHOR_BLOCK), mode);
  const block = ANCHOR_BLOCK;
  const section: Record<string, unknown> = { epoch: spec.epoch, block, dag: mode };
  const gpu = await createWebgpuBackend();
  const wasm = createWasmBackend();
  try {
    section.webgpu = await webgpuAt(gpu, spec, block, bandwidth).catch(failure);
    progress(`WASM: DAG of epoch ${spec.epoch} (${spec.mode}) on ${wasm.threads} threads, ${seconds} s of hashing, job switches`);
    const { backend: _, machine: __, block: ___, epoch: ____, dag: _____, ...wasmFigures } = await benchWasm(wasm, { block, spec, seconds });
    section.wasm = wasmFigures;
    const gpuBuild = gpu.lastBuild;
    if (gpuBuild) section.dagBuildWasmOverWebgpu = round(wasm.lastBuild!.dagSeconds / gpuBuild.dagSeconds, 2);
    if (gpuBuild) section.check = await checkNonces(gpu, block, wasm, spec).catch(failure);
  } finally {
    await Promise.all([gpu.close(), wasm.close()]);
  }
  return section;
}

async function todaySection(software: boolean, bandwidth: number | null): Promise<Record<string, unknown>> {
  const spec = dagSpec(todayEpoch, mode);
  const block = blockOf(todayEpoch);
  const section: Record<string, unknown> = { epoch: spec.epoch, block, dag: mode };
  if (software && !small) {
    return { ...section, webgpu: { fits: null, skipped: `a software adapter: the ${round(spec.datasetSize / 2 ** 30, 2)} GiB DAG is not built on the CPU by this benchmark` } };
  }
  const gpu = await createWebgpuBackend();
  try {
    const webgpu = await webgpuAt(gpu, spec, block, bandwidth).catch((error: Error) => ({ fits: false, reason: error.message, dagBytes: spec.datasetSize }));
    section.webgpu = webgpu;
    if (webgpu.fits === true) section.check = await checkNonces(gpu, block, undefined, spec).catch(failure);
  } finally {
    await gpu.close();
  }
  return section;
}

const started = performance.now();
const report: Record<string, unknown> = { name: 'bench-gpu', mode, date: new Date().toISOString(), machine: machineInfo(), loadavg1: round(loadavg()[0]!, 2) };
try {
  const adapter = await adapterSection();
  report.adapter = adapter.figures;
  const bandwidth = (adapter.figures.nominalBandwidthBytesPerSecond as number | null) ?? null;
  progress(`adapter ${adapter.name}${bandwidth ? `, nominal bandwidth ${bandwidth / 1e12} TB/s` : ''}`);
  report.anchor = await anchorSection(bandwidth);
  report.today = await todaySection(adapter.software, bandwidth);
} catch (error) {
  report.error = (error as Error).message;
  process.exitCode = 1;
}
report.seconds = round((performance.now() - started) / 1000, 1);
report.loadavg1After = round(loadavg()[0]!, 2);
console.log(JSON.stringify(report, null, 2));
