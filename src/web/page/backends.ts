// Starting and abandoning the page's backends. Stopping must take effect at once, even in the
// middle of a DAG build: WASM threads are terminated and the GPU device destroyed right away,
// and the rest of the teardown is given a moment in the background.
import type { SearchBackend } from '../../backends/backend.js';
import { FallbackBackend } from '../../backends/select.js';
import { WebgpuBackend } from '../../backends/webgpu/index.js';

const TEARDOWN_MS = 3000;

/** Resolves when the promise settles or after `ms`, whichever is first; never rejects. */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.catch(() => undefined).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Stops the backend's work now and closes it. */
export function abandonBackend(backend: SearchBackend): Promise<void> {
  const active = backend instanceof FallbackBackend ? backend.current : backend;
  // device.destroy(): queued dispatches are dropped and pending GPU waits end at once
  if (active instanceof WebgpuBackend) active.ctx.close();
  return settleWithin(backend.close(), TEARDOWN_MS);
}
