// The DAG build's dispatch pacing, driven as dag-builder.ts drives it (two dispatches in
// flight, the host asleep through most of each expected time) against a simulated GPU on a
// simulated clock: a first dispatch that carries a long kernel compile must not slow the rest
// of the build, and the dispatches reach their target length. (A 1 GiB build whose first
// dispatch took minutes to compile once sized every later one at 64 items with a sleep of
// seconds each; a cold shader cache in CI made that first dispatch slow.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DispatchPacer, nextRate } from '../src/backends/webgpu/dispatch-pacer.js';
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
