// `--backend webgpu|wasm|auto`: which search backend a command gets. auto prefers a WebGPU
// GPU and falls back to WASM, with a message saying why, when there is no adapter, the only
// adapter is a software renderer on the CPU (WASM is faster on those same cores), the DAG
// does not fit on the GPU, or the device is lost; a search that loses its GPU midway is
// finished on WASM with the solutions already found kept.
import type { BackendName, DagProgress, SearchBackend, SearchJob, SearchResult } from './backend.js';
import type { DagSpec } from '../pow/epoch.js';
import { stderrLogger, type Logger } from '../util/log.js';
import { createWasmBackend, type WasmBackendOptions } from './wasm/index.js';
import { createWebgpuBackend, DeviceLostError, isGpuFailure, type WebgpuBackendOptions } from './webgpu/index.js';

export const BACKEND_CHOICES = ['auto', 'webgpu', 'wasm'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface SelectBackendOptions {
  readonly backend: BackendChoice;
  readonly wasm?: WasmBackendOptions;
  readonly webgpu?: WebgpuBackendOptions;
  /** Where fallback notices go (default: stderr). */
  readonly log?: Logger;
  /**
   * Whether auto may pick a software (CPU) adapter such as lavapipe. Default false: it shares
   * the cores WASM would use and hashes slower there (bench/RESULTS.md).
   */
  readonly autoUsesSoftwareAdapter?: boolean;
}

export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

const U64 = 1n << 64n;

/** Runs on WebGPU until the GPU fails, then on WASM for good. */
export class FallbackBackend implements SearchBackend {
  private active: SearchBackend;
  private readonly primary: SearchBackend;
  private spec: DagSpec | undefined;
  /** Set once the GPU failed; every search that failed with it waits for the same switch. */
  private switching: Promise<void> | undefined;

  constructor(
    primary: SearchBackend,
    private readonly fallback: () => SearchBackend,
    private readonly log: Logger,
  ) {
    this.primary = primary;
    this.active = primary;
  }

  get name(): BackendName {
    return this.active.name;
  }

  get device(): string {
    return this.active.device;
  }

  /** The backend doing the work now. */
  get current(): SearchBackend {
    return this.active;
  }

  async prepare(spec: DagSpec, onProgress?: (p: DagProgress) => void): Promise<void> {
    const backend = this.active;
    try {
      await backend.prepare(spec, onProgress);
    } catch (error) {
      if (!this.canFallBack(backend, error)) throw error;
      await this.switchToFallback(error as Error);
      await this.active.prepare(spec, onProgress);
    }
    this.spec = spec;
  }

  async search(job: SearchJob, start: bigint, count: number, signal?: AbortSignal): Promise<SearchResult> {
    const backend = this.active;
    try {
      return await backend.search(job, start, count, signal);
    } catch (error) {
      if (!this.canFallBack(backend, error) || !this.spec) throw error;
      const partial = error instanceof DeviceLostError ? error.partial : undefined;
      await this.switchToFallback(error as Error, ` after ${partial?.hashes ?? 0} nonces`);
      await this.active.prepare(this.spec);
      const done = partial?.hashes ?? 0;
      const rest = await this.active.search(job, (start + BigInt(done)) % U64, count - done, signal);
      return { solutions: [...(partial?.solutions ?? []), ...rest.solutions], hashes: done + rest.hashes };
    }
  }

  async close(): Promise<void> {
    await this.active.close();
  }

  /** A GPU failure of the primary; searches queued together may each report it. */
  private canFallBack(backend: SearchBackend, error: unknown): boolean {
    return backend === this.primary && isGpuFailure(error);
  }

  private switchToFallback(error: Error, progress = ''): Promise<void> {
    this.switching ??= (async () => {
      this.log('warn', `WebGPU failed (${error.message})${progress}; continuing on WASM`);
      this.active = this.fallback();
      await this.primary.close().catch(() => undefined);
    })();
    return this.switching;
  }
}

export async function selectBackend(options: SelectBackendOptions): Promise<SearchBackend> {
  const log = options.log ?? stderrLogger;
  const wasm = () => createWasmBackend(options.wasm);
  if (options.backend === 'wasm') return wasm();
  if (options.backend === 'webgpu') return createWebgpuBackend(options.webgpu);
  try {
    const gpu = await createWebgpuBackend(options.webgpu);
    if (gpu.ctx.summary.isFallbackAdapter && !options.autoUsesSoftwareAdapter) {
      log('warn', `the only WebGPU adapter (${gpu.device}) is a software renderer on the CPU, where WASM is faster; using WASM (--backend webgpu uses it anyway)`);
      await gpu.close();
      return wasm();
    }
    return new FallbackBackend(gpu, wasm, log);
  } catch (error) {
    if (!isGpuFailure(error)) throw error;
    log('warn', `WebGPU unavailable (${error.message}); using WASM`);
    return wasm();
  }
}
