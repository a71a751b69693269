// Waiting on the GPU without spinning: dawn.node polls with setImmediate while one of its
// promises is pending, which steals a core from a software adapter (platform.md pitfall 3).
// So sleep on a timer for the expected time first and only then await the queue.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Part of the expected time is slept; the rest is awaited. Sleeping less than all of it
 * keeps rate measurements honest: a dispatch that finished early shows up as faster.
 */
const SLEEP_SHARE = 0.6;

/** Resolves when all submitted work is done, after sleeping through most of the expected time. */
export async function queueDone(device: GPUDevice, expectedMs: number): Promise<void> {
  if (expectedMs > 2) await sleep(expectedMs * SLEEP_SHARE);
  await device.queue.onSubmittedWorkDone();
}

export interface ReadBackResult {
  readonly data: ArrayBuffer;
  /** Whether the data was ready as soon as the sleep ended (the real time may be shorter). */
  readonly readyOnWake: boolean;
}

/** Maps a MAP_READ buffer after sleeping through most of the expected GPU time and returns a copy. */
export async function readBack(buffer: GPUBuffer, expectedMs: number, bytes = buffer.size): Promise<ReadBackResult> {
  const slept = expectedMs > 2;
  if (slept) await sleep(expectedMs * SLEEP_SHARE);
  const woke = performance.now();
  await buffer.mapAsync(GPUMapMode.READ, 0, bytes);
  const readyOnWake = slept && performance.now() - woke < 1;
  try {
    return { data: buffer.getMappedRange(0, bytes).slice(0), readyOnWake };
  } finally {
    buffer.unmap();
  }
}
