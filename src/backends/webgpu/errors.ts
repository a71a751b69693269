// Failures of the WebGPU backend, each a distinct class so `--backend auto` can tell a missing
// or broken GPU (fall back to WASM) from a bug (report it).
import type { SearchResult } from '../backend.js';

export class WebgpuError extends Error {
  override name = 'WebgpuError';
}

/** No usable adapter or device: nothing to fall back from except by choosing another backend. */
export class WebgpuUnavailableError extends WebgpuError {
  override name = 'WebgpuUnavailableError';
}

/** The DAG does not fit: device memory, buffer limits or storage bindings per shader stage. */
export class DagOutOfMemoryError extends WebgpuError {
  override name = 'DagOutOfMemoryError';
}

/**
 * The device went away mid-run. `partial` holds what a search had already found and
 * re-checked, so a caller that switches backends loses nothing.
 */
export class DeviceLostError extends WebgpuError {
  override name = 'DeviceLostError';
  constructor(
    message: string,
    readonly partial?: SearchResult,
  ) {
    super(message);
  }
}

/** True for the errors that mean "this GPU cannot do it", as opposed to programming errors. */
export function isGpuFailure(error: unknown): error is WebgpuError {
  return error instanceof WebgpuError;
}
