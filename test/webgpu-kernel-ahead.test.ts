// The next period's kernel compiled ahead on lavapipe (src/backends/webgpu/kernel-ahead.ts): on a
// helper device, while searches of the current period go on without waiting behind its compile;
// ready before the next period's first job, whose results equal the WASM backend's; a shader
// cache that does not hand the compile over turns the helper off. The file compiles into a
// shader cache of its own, so no kernel is found there already.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { dagSpec, periodStart } from '../src/pow/epoch.js';
import type { SearchJob, SearchResult } from '../src/backends/backend.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { createWebgpuBackend, hasWebgpuAdapter, type WebgpuBackend, type WebgpuBackendOptions } from '../src/backends/webgpu/index.js';
import { HELPER_NICE } from '../src/backends/webgpu/kernel-ahead.js';

// Mesa reads it as each device opens (Dawn is loaded by the first).
const shaderCache = mkdtempSync(path.join(tmpdir(), 'sero-kernel-ahead-'));
process.env.MESA_SHADER_CACHE_DIR = shaderCache;

const available = await hasWebgpuAdapter();
const skip = available || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe: see platform.md)';
const spec = dagSpec(0, 'small');
const PERIOD = 246;
const LAUNCH = { workgroupSize: 64, groups: 2, batch: 512 };
const opened: { close(): Promise<void> }[] = [];
after(async () => {
  for (const b of opened) await b.close();
  rmSync(shaderCache, { recursive: true, force: true });
});

async function backend(options: WebgpuBackendOptions = {}): Promise<{ b: WebgpuBackend; log: string[] }> {
  const log: string[] = [];
  const b = await createWebgpuBackend({ launch: LAUNCH, exchange: 'none', log: (level, m) => log.push(`${level} ${m}`), ...options });
  opened.push(b);
  await b.prepare(spec);
  return { b, log };
}

/** A thread's nice value (field 19 of its stat). */
const threadNice = (thread: number) => Number(readFileSync(`/proc/self/task/${thread}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
/** The nice values of this process's threads, the main thread first. */
const threadNices = () => [process.pid, ...readdirSync('/proc/self/task').map(Number).filter((t) => t !== process.pid)].map(threadNice);

const job = (height: number): SearchJob => ({ headerHash: randomBytes(32), height, target: (1n << 256n) / 16n });
const keys = (r: SearchResult) => r.solutions.map((s) => `${s.nonce}:${Buffer.from(s.mixDigest).toString('hex')}`);

test('the next period compiles on a helper device while searches of this one go on, and is ready before its first job', { skip, timeout: 300_000 }, async () => {
  const { b, log } = await backend({ helperDevice: true });
  const current = job(periodStart(PERIOD) + 10);
  await b.search(current, 0n, 64);
  // The helper's compile starts beside the search device's compile of this period's kernel, so
  // which ends first is a race: the searches are checked against it when it was still going on.
  const compilingAhead = !b.isPeriodCompiled(PERIOD + 1);
  const searchesStarted = performance.now();
  await b.search(current, 64n, 64);
  await b.search(current, 128n, 64);
  const searchesMs = performance.now() - searchesStarted;
  await b.kernelsSettled();
  const compileLeftMs = performance.now() - searchesStarted;
  // A search of this period is not queued behind the next one's compile.
  if (compilingAhead && compileLeftMs > 1000) assert.ok(searchesMs < compileLeftMs, `searches of this period (${Math.round(searchesMs)} ms) waited for the next one's compile (${Math.round(compileLeftMs)} ms)`);
  assert.ok(b.isPeriodCompiled(PERIOD + 1), 'the next period is compiled before its first job');
  assert.deepEqual(log.filter((l) => l.includes('no longer compiled ahead')), [], 'the shader cache handed the helper\'s compile over');
  if (process.platform === 'linux') {
    // The helper's threads compile at the lowest priority; the rest of the process keeps its own.
    assert.ok(log.some((l) => new RegExp(`helper device's \\d+ threads run at nice ${HELPER_NICE}`).test(l)), log.join('\n'));
    const nices = threadNices();
    assert.ok(nices.filter((n) => n === HELPER_NICE).length >= 1, `thread nice values ${nices}`);
    assert.equal(nices[0], threadNice(process.pid), 'the main thread');
    assert.ok(nices.filter((n) => n !== HELPER_NICE).length > nices.length / 2, `most threads keep their priority: ${nices}`);
  }

  const next = job(periodStart(PERIOD + 1));
  const wasm = createWasmBackend({ threads: 1 });
  opened.push(wasm);
  await wasm.prepare(spec);
  for (const j of [current, next]) {
    const [gpu, cpu] = [await b.search(j, 1000n, 2048), await wasm.search(j, 1000n, 2048)];
    assert.ok(cpu.solutions.length > 50, `${cpu.solutions.length} solutions`);
    assert.deepEqual(keys(gpu), keys(cpu), `block ${j.height}: WebGPU finds what WASM finds`);
  }
});

/** What a fresh process reports of a helper compile: Mesa reads its cache settings once per process. */
function inChildProcess(env: Record<string, string>): Promise<{ compiled: boolean; log: string[] }> {
  const index = new URL('../src/backends/webgpu/index.js', import.meta.url).href;
  const epoch = new URL('../src/pow/epoch.js', import.meta.url).href;
  const script = `
    const { createWebgpuBackend } = await import(${JSON.stringify(index)});
    const { dagSpec, periodStart } = await import(${JSON.stringify(epoch)});
    const log = [];
    const b = await createWebgpuBackend({ launch: ${JSON.stringify(LAUNCH)}, exchange: 'none', helperDevice: true, log: (l, m) => log.push(m) });
    await b.prepare(dagSpec(0, 'small'));
    // The first period's helper compile runs beside the search device's own compile of the
    // first kernel, which slows it; the next period's is timed alone.
    for (const period of [${PERIOD + 3}, ${PERIOD + 4}]) {
      await b.search({ headerHash: new Uint8Array(32), height: periodStart(period), target: 0n }, 0n, 64);
      await b.kernelsSettled();
    }
    console.log(JSON.stringify({ compiled: b.isPeriodCompiled(${PERIOD + 5}), log }));
    await b.close();`;
  // A file, not --eval: worker threads inherit the flags of the process, and --input-type stops them.
  const file = path.join(shaderCache, 'helper-off.mjs');
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file], { env: { ...process.env, ...env }, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

test('a shader cache that does not hand the helper\'s compile over turns the helper off; the kernel is still compiled ahead', { skip, timeout: 300_000 }, async () => {
  const report = await inChildProcess({ MESA_SHADER_CACHE_DISABLE: 'true', MESA_SHADER_CACHE_DIR: shaderCache });
  assert.equal(report.compiled, true);
  assert.match(report.log.join('\n'), /no longer compiled ahead on a helper device: the shader cache did not hand its compile over/);
});

test('without the helper the search device compiles the next period ahead itself, off the main thread', { skip, timeout: 300_000 }, async () => {
  const { b } = await backend({ helperDevice: false });
  const current = job(periodStart(PERIOD + 5) + 1);
  await b.search(current, 0n, 64);
  await b.kernelsSettled();
  assert.ok(b.isPeriodCompiled(PERIOD + 6));
});
