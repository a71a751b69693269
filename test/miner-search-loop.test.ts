// The per-device search loop on the WASM backend: two searches queued ahead, a new job
// handed to the backend without waiting for the aborted searches, and every nonce those
// aborted searches hashed still delivered (here every nonce is a solution, so a lost one shows).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dagSpecForBlock } from '../src/pow/epoch.js';
import { makeLightCache } from '../src/pow/ethash.js';
import { lightDag, progpowHash } from '../src/pow/progpow.js';
import { bytesTo0x } from '../src/util/hex.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import type { SearchBackend, SearchJob, SearchResult, Solution } from '../src/backends/backend.js';
import type { WorkPackage } from '../src/net/wire/work.js';
import { SearchLoop } from '../src/miner/search-loop.js';
import { waitUntil } from './fixtures/net-helpers.js';

const HEIGHT = 940_500;
const spec = dagSpecForBlock(HEIGHT, 'small');
const wasm = createWasmBackend({ threads: 1 });
after(() => wasm.close());

/** The WASM backend, with each search call and settlement written to a log. */
function recorded(inner: SearchBackend, log: string[]): SearchBackend {
  const header = (job: SearchJob) => bytesTo0x(job.headerHash).slice(0, 8);
  return {
    name: inner.name,
    device: inner.device,
    prepare: (s, onProgress) => inner.prepare(s, onProgress),
    close: () => inner.close(),
    search: (job, start, count, signal): Promise<SearchResult> => {
      log.push(`call ${header(job)}`);
      return inner.search(job, start, count, signal).finally(() => log.push(`settle ${header(job)}`));
    },
  };
}

const work = (): WorkPackage => ({ jobId: bytesTo0x(randomBytes(32)), headerHash: randomBytes(32), seedHash: spec.seedHash, target: (1n << 256n) - 1n, height: HEIGHT });

test('a new job is searched without waiting for the aborted searches, whose results still arrive', async () => {
  const log: string[] = [];
  const loop = new SearchLoop({ backend: recorded(wasm, log), dagMode: 'small', initialBatch: 512 });
  let hashed = 0;
  const found = new Map<WorkPackage, Solution[]>();
  loop.on('hashes', (n) => (hashed += n));
  loop.on('solution', (w, s) => found.set(w, [...(found.get(w) ?? []), s]));
  const errors: Error[] = [];
  loop.on('error', (e) => errors.push(e));

  const first = work();
  const second = work();
  loop.start();
  loop.setWork(first);
  await waitUntil(() => (found.get(first)?.length ?? 0) > 0, 30_000);
  loop.setWork(second);
  await waitUntil(() => (found.get(second)?.length ?? 0) > 2000, 30_000);
  await loop.stop();
  assert.deepEqual(errors, []);

  const tag = (w: WorkPackage) => bytesTo0x(w.headerHash).slice(0, 8);
  for (const w of [first, second]) {
    const own = log.filter((e) => e.endsWith(tag(w)));
    const outstanding = own.map((_, i) => own.slice(0, i + 1).reduce((n, e) => n + (e.startsWith('call') ? 1 : -1), 0));
    assert.equal(Math.max(...outstanding), 2, `two searches of a job are queued on the backend at once: ${own.join(', ')}`);
  }
  const firstNewCall = log.indexOf(`call ${tag(second)}`);
  const lastOldSettle = log.lastIndexOf(`settle ${tag(first)}`);
  assert.ok(firstNewCall >= 0 && firstNewCall < lastOldSettle, `the new job is handed over before the old searches settle: ${log.join(', ')}`);

  // Every nonce is a solution: what was hashed and what was delivered must match exactly.
  const solutions = [...found.values()].flat();
  assert.equal(solutions.length, hashed, 'every hashed nonce of both jobs was delivered');
  const dag = lightDag(makeLightCache(spec.cacheSize, spec.seedHash), spec.datasetSize);
  for (const w of [first, second]) {
    const mine = found.get(w)!;
    assert.equal(new Set(mine.map((s) => s.nonce)).size, mine.length, 'no nonce twice');
    for (const s of [mine[0]!, mine.at(-1)!]) {
      assert.equal(bytesTo0x(s.mixDigest), bytesTo0x(progpowHash(w.headerHash, s.nonce, HEIGHT, dag).mixDigest), 'a solution of its own job');
    }
  }
});

test('stop() while the DAG is being built ends the loop once it is ready, without mining on', { timeout: 30_000 }, async () => {
  let releasePrepare: () => void = () => {};
  let searches = 0;
  const slow: SearchBackend = {
    name: wasm.name,
    device: wasm.device,
    prepare: (s, onProgress) => new Promise<void>((resolve) => (releasePrepare = resolve)).then(() => wasm.prepare(s, onProgress)),
    close: async () => {},
    search: (job, start, count, signal) => {
      searches += 1;
      return wasm.search(job, start, count, signal);
    },
  };
  const loop = new SearchLoop({ backend: slow, dagMode: 'small', initialBatch: 64 });
  loop.start();
  loop.setWork(work());
  await new Promise((resolve) => setTimeout(resolve, 50));
  const stopped = loop.stop();
  releasePrepare();
  await stopped;
  assert.equal(searches, 0, 'it searched after stop()');
});
