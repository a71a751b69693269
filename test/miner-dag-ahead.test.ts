// The next epoch's DAG built ahead on a twin of a device's backend (src/miner/dag-ahead.ts), on
// the WASM backend with the small DAG: built before the boundary while the device searches, the
// new epoch's first job hashed at once on the twin and the old backend closed; without room for
// a twin, or when its build fails, the DAG is built at the boundary as before; a stop ends a
// build under way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { SearchBackend, Solution } from '../src/backends/backend.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { dagSpecForBlock, epochOf, type DagSpec } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import { lightDag, progpowHash } from '../src/pow/progpow.js';
import { bytesTo0x } from '../src/util/hex.js';
import type { WorkPackage } from '../src/net/wire/work.js';
import { RigDevice } from '../src/miner/device.js';
import { waitUntil } from './fixtures/net-helpers.js';

/** Epoch 32 begins at block 960,000. */
const BOUNDARY = 960_000;

const work = (height: number): WorkPackage => ({
  jobId: bytesTo0x(randomBytes(32)), headerHash: randomBytes(32), seedHash: dagSpecForBlock(height, 'small').seedHash, target: (1n << 256n) - 1n, height,
});

interface Calls {
  readonly log: string[];
  readonly backends: SearchBackend[];
}

/** A backend whose prepare, search, close and openTwin calls are logged as "<name> <call> <epoch>". */
function logged(inner: SearchBackend, name: string, calls: Calls, twin?: (spec: DagSpec) => Promise<SearchBackend | undefined>): SearchBackend {
  calls.backends.push(inner);
  let twins = 0;
  return {
    name: inner.name,
    device: inner.device,
    prepare: async (spec, onProgress) => {
      calls.log.push(`${name} prepare ${spec.epoch}`);
      await inner.prepare(spec, onProgress);
      calls.log.push(`${name} prepared ${spec.epoch}`);
    },
    search: (job, start, count, signal) => {
      if (!calls.log.at(-1)?.startsWith(`${name} search ${epochOf(job.height)}`)) calls.log.push(`${name} search ${epochOf(job.height)}`);
      return inner.search(job, start, count, signal);
    },
    close: async () => {
      calls.log.push(`${name} close`);
      await inner.close();
    },
    openTwin: async (spec) => {
      calls.log.push(`${name} openTwin ${spec.epoch}`);
      const opened = await (twin ?? (async () => createWasmBackend({ threads: 1 })))(spec);
      return opened && logged(opened, `${name}.twin${++twins}`, calls);
    },
  };
}

function device(backend: SearchBackend, aheadBlocks = 50) {
  const d = new RigDevice({ index: 0, backend, dagMode: 'small', batchMs: 100, dagAheadBlocks: aheadBlocks });
  const found = new Map<WorkPackage, Solution[]>();
  const errors: Error[] = [];
  d.on('solution', (w, s) => found.set(w, [...(found.get(w) ?? []), s]));
  d.on('error', (e) => errors.push(e));
  return { d, found, errors };
}

async function closeAll(calls: Calls): Promise<void> {
  await Promise.all(calls.backends.map((b) => b.close().catch(() => undefined)));
}

test('the next epoch is built on a twin before the boundary, and its first job hashes at once there', { timeout: 120_000 }, async () => {
  const calls: Calls = { log: [], backends: [] };
  const { d, found, errors } = device(logged(createWasmBackend({ threads: 1 }), 'main', calls));
  try {
    d.start();
    const far = work(BOUNDARY - 51);
    d.setWork(far, 0n);
    await waitUntil(() => (found.get(far)?.length ?? 0) > 0, 60_000);
    const ahead = () => d.dagAhead;
    assert.equal(ahead(), undefined, '51 blocks before the epoch, nothing is built ahead');

    const near = work(BOUNDARY - 50);
    d.setWork(near, 0n);
    await waitUntil(() => ahead()?.ready === true, 60_000);
    assert.equal(ahead()?.epoch, 32);
    const before = found.get(near)?.length ?? 0;
    await waitUntil(() => (found.get(near)?.length ?? 0) > before, 30_000);

    const first = work(BOUNDARY);
    d.setWork(first, 0n);
    await waitUntil(() => (found.get(first)?.length ?? 0) > 0, 30_000);
    await waitUntil(() => calls.log.includes('main close'), 30_000);
    const log = calls.log;
    const at = (entry: string) => log.indexOf(entry);
    assert.ok(at('main openTwin 32') >= 0 && at('main.twin1 prepared 32') >= 0, log.join(', '));
    assert.ok(at('main.twin1 prepared 32') < at('main.twin1 search 32'), `the twin's DAG was built before its first search: ${log.join(', ')}`);
    assert.ok(log.slice(at('main.twin1 prepared 32')).includes('main search 31'), `the device went on searching epoch 31 meanwhile: ${log.join(', ')}`);
    // The new epoch's first job: the twin's DAG is there (its loop's prepare returns at once) and it searches.
    const prepares = log.map((e, i) => (e === 'main.twin1 prepare 32' ? i : -1)).filter((i) => i >= 0);
    assert.equal(prepares.length, 2, log.join(', '));
    assert.deepEqual(log.slice(prepares[1]!, prepares[1]! + 3), ['main.twin1 prepare 32', 'main.twin1 prepared 32', 'main.twin1 search 32'], log.join(', '));
    assert.ok(!log.includes('main prepare 32'), 'the old backend built nothing for the new epoch');
    assert.equal(d.backend.name, 'wasm');
    assert.notEqual(d.backend, calls.backends[0], 'the device moved to the twin');
    assert.deepEqual(errors, []);

    const spec = dagSpecForBlock(BOUNDARY, 'small');
    const dag = lightDag(makeLightCache(spec.cacheSize, spec.seedHash), spec.datasetSize);
    const s = found.get(first)![0]!;
    assert.equal(bytesTo0x(s.mixDigest), bytesTo0x(progpowHash(first.headerHash, s.nonce, BOUNDARY, dag).mixDigest), 'a solution of the new epoch');
  } finally {
    await d.stop();
    await closeAll(calls);
  }
});

test('no room for a twin, or a twin whose build fails: the DAG is built when the epoch begins', { timeout: 120_000 }, async () => {
  const failing: SearchBackend = {
    name: 'wasm',
    device: 'a twin without memory',
    prepare: async () => { throw new Error('out of memory'); },
    search: async () => { throw new Error('no DAG'); },
    close: async () => undefined,
  };
  for (const twin of [async () => undefined, async () => failing]) {
    const calls: Calls = { log: [], backends: [] };
    const { d, found, errors } = device(logged(createWasmBackend({ threads: 1 }), 'main', calls, twin));
    try {
      d.start();
      const near = work(BOUNDARY - 10);
      d.setWork(near, 0n);
      await waitUntil(() => (found.get(near)?.length ?? 0) > 0 && calls.log.includes('main openTwin 32'), 60_000);
      const first = work(BOUNDARY);
      d.setWork(first, 0n);
      await waitUntil(() => (found.get(first)?.length ?? 0) > 0, 60_000);
      assert.ok(calls.log.includes('main prepare 32'), `the device's own backend built epoch 32: ${calls.log.join(', ')}`);
      const failed = errors.map((e) => e.message);
      if (calls.log.some((e) => e.startsWith('main.twin1'))) assert.match(failed.join('; '), /building the DAG of epoch 32 ahead failed \(out of memory\)/);
      else assert.deepEqual(failed, []);
    } finally {
      await d.stop();
      await closeAll(calls);
    }
  }
});

test('stop() while a twin builds ahead ends the build and closes the twin', { timeout: 60_000 }, async () => {
  const calls: Calls = { log: [], backends: [] };
  const { d, errors } = device(logged(createWasmBackend({ threads: 1 }), 'main', calls));
  d.start();
  d.setWork(work(BOUNDARY - 1), 0n);
  await waitUntil(() => calls.log.includes('main.twin1 prepare 32'), 30_000);
  await d.stop();
  assert.ok(calls.log.includes('main.twin1 close'), calls.log.join(', '));
  assert.ok(!calls.log.includes('main.twin1 prepared 32') || calls.log.indexOf('main.twin1 close') > calls.log.indexOf('main.twin1 prepared 32'));
  assert.deepEqual(errors, [], 'an aborted build is no error');
  await closeAll(calls);
});
