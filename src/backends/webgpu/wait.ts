// Waiting on the GPU with the host idle: sleep on a timer through most of the expected time
// and only then ask Dawn, whose promise then settles within a poll or two (dawn-polling.ts
// keeps those polls from spinning a core, which a software adapter would lose to them).

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

/** Resolves once the GPU work that last used `buffer` is done, after sleeping through most of the expected time. */
export async function mapAfter(buffer: GPUBuffer, expectedMs: number, bytes = buffer.size): Promise<boolean> {
  const slept = expectedMs > 2;
  if (slept) await sleep(expectedMs * SLEEP_SHARE);
  const woke = performance.now();
  await buffer.mapAsync(GPUMapMode.READ, 0, bytes);
  return slept && performance.now() - woke < 1;
}

/** Maps a MAP_READ buffer after sleeping through most of the expected GPU time and returns a copy. */
export async function readBack(buffer: GPUBuffer, expectedMs: number, bytes = buffer.size): Promise<ReadBackResult> {
  const readyOnWake = await mapAfter(buffer, expectedMs, bytes);
  try {
    return { data: buffer.getMappedRange(0, bytes).slice(0), readyOnWake };
  } finally {
    buffer.unmap();
  }
}
