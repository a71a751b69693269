// The DAG build's dispatch pacing, driven as dag-builder.ts drives it (two dispatches in
// flight, the host asleep through most of each expected time) against a simulated GPU on a
// simulated clock: a first dispatch that carries a long kernel compile must not slow the rest
// of the build, and the dispatches reach their target length. (A 1 GiB build whose first
// dispatch took minutes to compile once sized every later one at 64 items with a sleep of
// seconds each; a cold shader cache in CI made that first dispatch slow.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DispatchPacer, nextRate, ReadbackClock, type BatchDone, type ReadbackSleep } from '../src/backends/webgpu/dispatch-pacer.js';
import { DAG_BUILD_PACING } from '../src/backends/webgpu/dag-builder.js';
import { SLEEP_SHARE } from '../src/backends/webgpu/wait.js';

interface Simulated {
  readonly totalMs: number;
  readonly sizes: number[];
}

/** Builds `items` on a GPU of `itemsPerMs` whose first dispatch also takes `compileMs`. */
function simulateBuild(items: number, itemsPerMs: number, compileMs: number): Simulated {
  const pacer = new DispatchPacer(DAG_BUILD_PACING);
  const queued: { items: number; submitted: number; expectedDone: number; gpuDone: number }[] = [];
  const sizes: number[] = [];
  let now = 0;
  let gpuFree = 0;
  let lastDone = 0;
  let done = 0;
  const complete = () => {
    const oldest = queued.shift()!;
    const expectedMs = oldest.expectedDone - now;
    const slept = expectedMs > 2;
    const woke = slept ? now + expectedMs * SLEEP_SHARE : now;
    now = Math.max(woke, oldest.gpuDone);
    pacer.completed(oldest.items, now - Math.max(lastDone, oldest.submitted), slept && oldest.gpuDone <= woke);
    lastDone = now;
  };
  while (done < items) {
    if (queued.length >= 2) complete();
    const count = pacer.nextCount(items - done);
    const start = Math.max(now, gpuFree);
    gpuFree = start + count / itemsPerMs + (sizes.length === 0 ? compileMs : 0);
    const previous = queued.at(-1)?.expectedDone ?? now;
    queued.push({ items: count, submitted: now, expectedDone: Math.max(previous, now) + pacer.expectedMs(count), gpuDone: gpuFree });
    sizes.push(count);
    done += count;
  }
  while (queued.length > 0) complete();
  return { totalMs: now, sizes };
}

test('a first dispatch with a long compile does not slow the rest of a 1 GiB build', () => {
  const items = 4194296 * 4;
  const rate = 40; // items per ms: lavapipe on two cores
  for (const compileMs of [0, 5_000, 100_000, 600_000]) {
    const { totalMs, sizes } = simulateBuild(items, rate, compileMs);
    const ideal = compileMs + items / rate;
    assert.ok(totalMs < ideal * 1.15, `compile ${compileMs} ms: ${(totalMs / 1000).toFixed(0)} s against ${(ideal / 1000).toFixed(0)} s`);
    // From the fifth dispatch on, each is sized for about the target time.
    const steady = sizes.slice(4, -1);
    assert.ok(steady.every((n) => n >= rate * DAG_BUILD_PACING.targetMs * 0.5), `compile ${compileMs} ms: sizes ${sizes.slice(0, 8)}`);
  }
});

test('a GPU much faster than the first guess reaches the largest dispatches within a few, learning its rate in well under 2 s', () => {
  const rate = 200_000; // items per ms: a large GPU, where the first dispatches measure latency, not throughput
  const items = 4194296 * 4 * 6; // today's epoch
  const { totalMs, sizes } = simulateBuild(items, rate, 0);
  assert.equal(Math.max(...sizes), DAG_BUILD_PACING.maxItems);
  assert.ok(sizes.indexOf(DAG_BUILD_PACING.maxItems) < 8, `sizes ${sizes.slice(0, 10)}`);
  assert.ok(totalMs < items / rate + 1500, `${totalMs.toFixed(0)} ms, sizes ${sizes}`);
});

test('the rate rule: a result ready on waking doubles the estimate, otherwise the measurement stands', () => {
  assert.equal(nextRate(10, 4, true), 20);
  assert.equal(nextRate(3, 4, true), 8);
  assert.equal(nextRate(10, 4, false), 4);
});

/** Poll interval of the host while it waits on Dawn (dawn-polling.ts). */
const POLL_MS = 1;

interface SearchRun {
  /** Milliseconds the simulated device sat with nothing queued after it became free. */
  readonly idleMs: number;
  /** Polls of Dawn while waiting, after the first batch (which waits out the stall either way). */
  readonly polls: number;
}

/**
 * One search run as search-runner.ts does it (a full batch and a bridge alternating, two in
 * flight, a throughput measured since the run began after each batch) on a device of
 * `itemsPerMs` that is busy with earlier work until `stallMs`.
 */
function simulateSearch(clock: ReadbackClock, itemsPerMs: number, stallMs: number, batches: number): SearchRun {
  const full = 2400;
  const bridge = 300;
  let now = 0;
  let gpuFree = stallMs;
  let idleMs = 0;
  let polls = 0;
  let submitted = 0;
  let completed = 0;
  const queue: { items: number; done: BatchDone; gpuDone: number }[] = [];
  while (completed < batches) {
    while (submitted < batches && queue.length < 2) {
      const items = submitted % 2 === 0 ? full : bridge;
      if (now > gpuFree && submitted > 0) idleMs += now - gpuFree;
      gpuFree = Math.max(now, gpuFree) + items / itemsPerMs;
      queue.push({ items, done: clock.doneAt(queue.at(-1)?.done, now, items), gpuDone: gpuFree });
      submitted++;
    }
    const batch = queue.shift()!;
    const sleepMs = clock.sleepMs(batch.done, now);
    const slept = sleepMs > 2;
    const woke = slept ? now + sleepMs * SLEEP_SHARE : now;
    const waited = Math.max(0, batch.gpuDone - woke);
    if (completed > 0) polls += Math.ceil(waited / POLL_MS);
    now = woke + Math.ceil(waited / POLL_MS) * POLL_MS;
    completed++;
    const hashes = (completed >> 1) * (full + bridge) + (completed % 2) * full;
    clock.measured(hashes / now, slept && batch.gpuDone <= woke);
  }
  return { idleMs, polls };
}

test('after a stall the readback sleeps of a software adapter leave its queue dry no longer than a poll, with a fraction of the polls of not sleeping', () => {
  const rate = 80; // hashes per ms: lavapipe on two cores
  const run = (sleep: ReadbackSleep) => {
    const clock = new ReadbackClock(sleep);
    simulateSearch(clock, rate, 0, 40); // the rate is learnt on an earlier job
    return simulateSearch(clock, rate, 500, 40); // then a job queued behind 500 ms of another's work
  };
  const work = 20 * 2700 / rate;
  const earliest = run('earliest');
  const expected = run('expected');
  const none = run('none');
  // The rule a GPU uses sizes its sleeps from the rate measured across the stall and sleeps
  // far past the work (the failure seen: half the cores idle after an epoch change).
  assert.ok(expected.idleMs > work * 0.5, `expected: idle ${expected.idleMs.toFixed(0)} ms of ${work.toFixed(0)} ms of work`);
  assert.ok(earliest.idleMs <= 40 * POLL_MS, `earliest: idle ${earliest.idleMs.toFixed(1)} ms`);
  assert.ok(none.idleMs <= 40 * POLL_MS, `none: idle ${none.idleMs.toFixed(1)} ms`);
  // Sleeping spares most of the polls.
  assert.ok(earliest.polls < none.polls / 2, `polls: earliest ${earliest.polls}, none ${none.polls}`);
});

test('a fastest rate first measured behind a stall (a new device) is corrected within a few runs', () => {
  const rate = 80;
  const clock = new ReadbackClock('earliest');
  simulateSearch(clock, rate, 2000, 40); // a twin's first run, behind its DAG's upload
  const later = [1, 2, 3, 4, 5, 6].map(() => simulateSearch(clock, rate, 0, 40).idleMs);
  const work = 20 * 2700 / rate;
  assert.ok(later.slice(2).every((idle) => idle <= work * 0.02), `idle ms per run of ${work.toFixed(0)} ms of work: ${later.map((x) => x.toFixed(0))}`);
});

test('a software adapter\'s readback sleeps never pass a batch\'s end, however slow the rate measured', () => {
  const clock = new ReadbackClock('earliest');
  clock.measured(80, false);
  clock.measured(2, false); // across a stall
  const first = clock.doneAt(undefined, 1000, 2400);
  assert.equal(first.earliest, 1000 + 2400 / 80);
  assert.equal(first.expected, 1000 + 2400 / 2);
  assert.ok(clock.sleepMs(first, 1000) <= 2400 / 80);
  clock.sleep = 'none';
  assert.equal(clock.sleepMs(first, 1000), 0);
});
