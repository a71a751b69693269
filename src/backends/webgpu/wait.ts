// Waiting on the GPU with the host idle: sleep on a timer through most of the expected time
// and only then ask Dawn, whose promise then settles within a poll or two (dawn-polling.ts
// keeps those polls from spinning a core, which a software adapter would lose to them). A wait
// that goes unanswered far beyond its time marks the device hung rather than waiting forever.
import { DeviceLostError } from './errors.js';
import type { GpuContext } from './gpu-context.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Of the expected time, the share slept before asking. Less than all of it keeps rate
 * measurements honest: a dispatch that finished early shows up as faster.
 */
export const SLEEP_SHARE = 0.9;

export interface ReadBackResult {
  readonly data: ArrayBuffer;
  /** Whether the data was ready as soon as the sleep ended (the real time may be shorter). */
  readonly readyOnWake: boolean;
}

/** A wait is given this many times its expected time, when that is longer than the context's floor. */
export const GPU_STALL_FACTOR = 20;

/**
 * Resolves once the GPU work that last used `buffer` is done, after sleeping through most of
 * the expected time. Past the stall limit the device is marked hung and DeviceLostError thrown.
 */
export async function mapAfter(ctx: GpuContext, buffer: GPUBuffer, expectedMs: number, bytes = buffer.size): Promise<boolean> {
  const slept = expectedMs > 2;
  const started = performance.now();
  if (slept) await sleep(expectedMs * SLEEP_SHARE);
  const woke = performance.now();
  const limitMs = Math.max(ctx.stallFloorMs, GPU_STALL_FACTOR * Math.max(0, expectedMs));
  const mapped = buffer.mapAsync(GPUMapMode.READ, 0, bytes);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), Math.max(0, started + limitMs - woke))));
  try {
    if ((await Promise.race([mapped, stalled])) === 'stalled') {
      // The map may still settle (or fail) long after; nobody is waiting for it then.
      mapped.catch(() => undefined);
      const reason = `the GPU did not finish work expected to take ${Math.round(Math.max(0, expectedMs))} ms within ${(limitMs / 1000).toFixed(1)} s: the device is taken for hung`;
      ctx.markHung(reason);
      throw new DeviceLostError(ctx.lostReason() ?? reason);
    }
  } finally {
    clearTimeout(timer);
  }
  return slept && performance.now() - woke < 1;
}

/** Maps a MAP_READ buffer after sleeping through most of the expected GPU time and returns a copy. */
export async function readBack(ctx: GpuContext, buffer: GPUBuffer, expectedMs: number, bytes = buffer.size): Promise<ReadBackResult> {
  const readyOnWake = await mapAfter(ctx, buffer, expectedMs, bytes);
  try {
    return { data: buffer.getMappedRange(0, bytes).slice(0), readyOnWake };
  } finally {
    buffer.unmap();
  }
}
