// The watchdog against devices that misbehave on purpose: one that stops hashing, one that loses
// its GPU, and a pool that stops sending jobs. It restarts them (reopening the backend), counts
// restarts that do not help, and gives up after the allowed number so the miner can exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { SearchBackend, SearchJob, SearchResult } from '../src/backends/backend.js';
import { DeviceLostError } from '../src/backends/webgpu/errors.js';
import { Rig, type WorkSource } from '../src/miner/rig.js';
import { Watchdog } from '../src/miner/watchdog.js';
import type { ShareResult, ShareSubmission } from '../src/net/client/pool-client.js';
import type { WorkPackage } from '../src/net/wire/work.js';
import type { LogLevel } from '../src/util/log.js';
import { makeWork, waitUntil } from './fixtures/net-helpers.js';

type Behaviour = 'healthy' | 'stalled' | 'lost';

/** A backend that hashes (instantly, finding nothing), hangs until aborted, or loses its device. */
function scriptedBackend(behaviour: Behaviour): SearchBackend {
  return {
    name: 'webgpu',
    device: `scripted ${behaviour} device`,
    prepare: async () => undefined,
    close: async () => undefined,
    search(_job: SearchJob, _start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
      if (behaviour === 'lost') return Promise.reject(new DeviceLostError('WebGPU device lost (unknown): the driver went away'));
      if (behaviour === 'healthy') return new Promise((resolve) => setTimeout(() => resolve({ solutions: [], hashes: count }), 5));
      return new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ solutions: [], hashes: 0 }), { once: true }));
    },
  };
}

class SilentPool extends EventEmitter implements WorkSource {
  async submit(share: ShareSubmission): Promise<ShareResult> {
    return { status: 'accepted', work: share.work, nonce: share.nonce, latencyMs: 1 };
  }
}

function rig(first: Behaviour, reopened: Behaviour[]) {
  const pool = new SilentPool();
  const opened: Behaviour[] = [];
  const miner = new Rig({
    source: pool, backends: [scriptedBackend(first)], dagMode: 'small', batchMs: 20,
    reopen: async () => {
      const behaviour = reopened[opened.length] ?? reopened.at(-1)!;
      opened.push(behaviour);
      return scriptedBackend(behaviour);
    },
  });
  const logs: string[] = [];
  const gaveUp: string[] = [];
  miner.on('error', (err) => logs.push(`error ${err.message}`));
  const watchdog = (o: { hashTimeoutMs?: number; workTimeoutMs?: number; maxRestarts: number }) => new Watchdog({
    rig: miner, hashTimeoutMs: o.hashTimeoutMs ?? 0, workTimeoutMs: o.workTimeoutMs ?? 0, maxRestarts: o.maxRestarts, checkEveryMs: 25,
    log: (level: LogLevel, m: string) => logs.push(`${level} ${m}`), onGiveUp: (reason) => gaveUp.push(reason),
  });
  const work: WorkPackage = makeWork(940_500, 1);
  /** Mines the first job under the watchdog until `steps` is done, then stops everything. */
  const runWith = async (dog: Watchdog, steps: () => Promise<void>) => {
    miner.start();
    pool.emit('work', work);
    dog.start();
    try {
      await steps();
    } finally {
      dog.stop();
      await miner.stop();
    }
  };
  return { pool, miner, opened, logs, gaveUp, watchdog, runWith };
}

test('a device that stops hashing is restarted, and after the allowed restarts the watchdog gives up', async () => {
  const r = rig('stalled', ['stalled']);
  await r.runWith(r.watchdog({ hashTimeoutMs: 150, maxRestarts: 2 }), () => waitUntil(() => r.gaveUp.length === 1, 10_000, 'the watchdog to give up'));
  assert.deepEqual(r.opened, ['stalled', 'stalled'], 'two restarts, each with a freshly opened backend');
  assert.equal(r.miner.devices[0]!.restarts, 2);
  assert.match(r.gaveUp[0]!, /^device 0 no hashes for \d+ ms, and 2 restarts did not help$/);
  assert.equal(r.logs.filter((l) => l.includes('restarting it')).length, 2, r.logs.join('\n'));
});

test('a lost GPU is restarted on a new backend and mines again; no give-up', async () => {
  const r = rig('lost', ['healthy']);
  await r.runWith(r.watchdog({ hashTimeoutMs: 5000, maxRestarts: 2 }), () => waitUntil(() => r.miner.devices[0]!.restarts === 1 && r.miner.meter.total > 10_000, 10_000, 'hashes after the restart'));
  assert.deepEqual(r.opened, ['healthy']);
  assert.equal(r.miner.devices[0]!.failure, undefined);
  assert.deepEqual(r.gaveUp, []);
  assert.ok(r.logs.some((l) => /device 0 lost \(WebGPU device lost/.test(l)), r.logs.join('\n'));
});

test('no new job for too long restarts every device, then gives up; a job in between resets the count', async () => {
  const r = rig('healthy', ['healthy']);
  await r.runWith(r.watchdog({ workTimeoutMs: 200, maxRestarts: 2 }), async () => {
    await waitUntil(() => r.miner.devices[0]!.restarts === 2, 10_000, 'two restarts');
    r.pool.emit('work', makeWork(940_501, 2));
    await waitUntil(() => r.gaveUp.length === 1, 10_000, 'the watchdog to give up');
  });
  assert.equal(r.miner.devices[0]!.restarts, 4, 'the new job reset the count: two more restarts before giving up');
  assert.equal(r.gaveUp[0], 'no new work for 200 ms, 2 times in a row');
});

/** A healthy backend that records the nonce ranges it is asked to search. */
function rangeRecorder(): { ranges: [bigint, bigint][]; backend: () => SearchBackend } {
  const ranges: [bigint, bigint][] = [];
  const backend = (): SearchBackend => ({
    ...scriptedBackend('healthy'),
    search(_job: SearchJob, start: bigint, count: number): Promise<SearchResult> {
      ranges.push([start, start + BigInt(count)]);
      return new Promise((resolve) => setTimeout(() => resolve({ solutions: [], hashes: count }), 5));
    },
  });
  return { ranges, backend };
}

/** No nonce lies in two of the ranges searched. */
function assertNoNonceSearchedTwice(ranges: readonly [bigint, bigint][]): void {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(sorted[i]![0] >= sorted[i - 1]![1], `nonces ${sorted[i]![0]}.. searched again (${sorted[i - 1]![0]}..${sorted[i - 1]![1]})`);
  }
}

test('a restarted device goes on where it got to: no nonce of the job is searched twice (a pool counts repeats as duplicate shares)', async () => {
  const { ranges, backend: recording } = rangeRecorder();
  const pool = new SilentPool();
  const miner = new Rig({ source: pool, backends: [recording()], dagMode: 'small', batchMs: 20, reopen: async () => recording() });
  miner.start();
  pool.emit('work', makeWork(940_500, 1));
  try {
    await waitUntil(() => ranges.length >= 4, 10_000, 'searches before the restart');
    const before = ranges.length;
    await miner.devices[0]!.restart('test');
    await waitUntil(() => ranges.length >= before + 4, 10_000, 'searches after the restart');
  } finally {
    await miner.stop();
  }
  assertNoNonceSearchedTwice(ranges);
});

test('the same work again (a switch to another pool of the same node) goes on where the search got to: no nonce searched twice', async () => {
  const { ranges, backend: recording } = rangeRecorder();
  const pool = new SilentPool();
  const miner = new Rig({ source: pool, backends: [recording()], dagMode: 'small', batchMs: 20 });
  miner.start();
  const work = makeWork(940_500, 1);
  pool.emit('work', work);
  try {
    await waitUntil(() => ranges.length >= 4, 10_000, 'searches on the first pool');
    const before = ranges.length;
    // the second pool's job: its own id, the same header
    pool.emit('work', { ...work, jobId: `${work.jobId}-second-pool` });
    await waitUntil(() => ranges.length >= before + 4, 10_000, 'searches on the second pool');
  } finally {
    await miner.stop();
  }
  assertNoNonceSearchedTwice(ranges);
});
