// The reference vectors over every backend, in one loop: each family of vectors runs on the
// TypeScript reference, the WASM module (interpreting the program, and running each period's
// generated module) and the WGSL kernels, each where it applies (light
// ProgPoW hashes need no DAG on the CPU; on the GPU they run with the whole epoch-0 DAG in
// webgpu-epoch0-full.test.ts). Also: the repository's copy of the vectors against the original.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dagSpec } from '../src/pow/epoch.js';
import { SHARED_VECTORS_FILE, VECTORS_FILE } from './support/vectors.js';
import { referenceEngine, wasmEngine, wasmGeneratedEngine, type PowEngine } from './support/pow-engines.js';
import { webgpuEngine } from './support/webgpu-engine.js';
import { checkEpoch, checkFillMix, checkKeccakProgpow, checkLightCache, checkMathMerge, VECTOR_EPOCHS } from './support/vector-checks.js';

const shared = existsSync(SHARED_VECTORS_FILE);
// Every await comes before the first test: a test registered before a pending top-level await
// runs alone, and --test-force-exit ends the file before the rest is registered.
const webgpu = await webgpuEngine();
const engines: PowEngine[] = [referenceEngine, wasmEngine, wasmGeneratedEngine, webgpu];
after(() => webgpu.close?.());

test('test/vectors/pow-vectors.json is a byte-exact copy of ../shared/vectors/', { skip: shared ? false : `${SHARED_VECTORS_FILE} is not there` }, () => {
  assert.ok(readFileSync(VECTORS_FILE).equals(readFileSync(SHARED_VECTORS_FILE)), `copy ${VECTORS_FILE} from ${SHARED_VECTORS_FILE}`);
});

test('webgpu: a WebGPU adapter is present', { skip: webgpu.skip }, () => {
  assert.ok(webgpu.available, 'no WebGPU adapter found while CI=true');
});

for (const engine of engines) {
  const { skip } = engine;
  test(`${engine.name}: math and merge vectors (every op, with edge cases)`, { skip }, () => checkMathMerge((inputs) => engine.mathMerge(inputs)));
  test(`${engine.name}: keccak-f800 (ProgPoW absorb) vectors`, { skip }, () => checkKeccakProgpow((inputs) => engine.keccakProgpow(inputs)));
  test(`${engine.name}: fill_mix vectors`, { skip }, () => checkFillMix((inputs) => engine.fillMix(inputs)));
}

for (const epoch of VECTOR_EPOCHS) {
  for (const engine of engines) {
    const evaluate = engine.epoch?.bind(engine);
    if (!evaluate) continue;
    test(`${engine.name}: epoch ${epoch}: light cache, cdag, dataset items and ProgPoW light hashes`, { skip: engine.skip }, async () => {
      const { cache, evaluator } = await evaluate(dagSpec(epoch));
      checkLightCache(epoch, cache);
      await checkEpoch(epoch, evaluator);
    });
  }
}
