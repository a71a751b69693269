// `--backend webgpu|wasm|auto`: which search backend a command gets, and for `mine` which
// devices (several at once: `--backend webgpu,wasm`, `--devices 0,2`). auto prefers a WebGPU
// GPU and falls back to WASM, with a message saying why, when there is no adapter, the only
// adapter is a software renderer on the CPU (the cores WASM would use), the DAG
// does not fit on the GPU, or the device is lost; a search that loses its GPU midway is
// finished on WASM with the solutions already found kept.
import type { BackendName, DagProgress, SearchBackend, SearchJob, SearchResult } from './backend.js';
import type { DagSpec } from '../pow/epoch.js';
import { stderrLogger, type Logger } from '../util/log.js';
import { createWasmBackend, type WasmBackendOptions } from './wasm/index.js';
import { createWebgpuBackend, DeviceLostError, isGpuFailure, WebgpuUnavailableError, type WebgpuBackendOptions } from './webgpu/index.js';
import { listDevices, wasmDevice, type DeviceEntry } from './devices.js';

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
   * the cores WASM would use, its DAG lives in host memory through a driver, and WASM is the
   * better-trodden path there (lavapipe's speed against WASM: bench/RESULTS.md).
   */
  readonly autoUsesSoftwareAdapter?: boolean;
}

export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

const U64 = 1n << 64n;

const softwareOnlyNotice = (adapter: string) =>
  `the only WebGPU adapter (${adapter}) is a software renderer on the CPU cores WASM would use; using WASM (--backend webgpu uses it anyway)`;

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
  // The WebGPU backend's diagnostics (the launch tuning's choice and why) go to the same log.
  const webgpu: WebgpuBackendOptions = { log, ...options.webgpu };
  if (options.backend === 'wasm') return wasm();
  if (options.backend === 'webgpu') return createWebgpuBackend(webgpu);
  try {
    const gpu = await createWebgpuBackend(webgpu);
    if (gpu.ctx.summary.isFallbackAdapter && !options.autoUsesSoftwareAdapter) {
      log('warn', softwareOnlyNotice(gpu.device));
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

/** `--devices` or `--backend` name no device of this machine they could mean: a bad argument. */
export class DeviceChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceChoiceError';
  }
}

/** One device of the rig and how to open (and, after a failure, reopen) its backend. */
export interface DeviceSlot {
  readonly entry: DeviceEntry;
  open(): Promise<SearchBackend>;
}

export interface SelectDevicesOptions {
  /** `--backend`: auto alone, or any of webgpu and wasm. */
  readonly backends: readonly BackendChoice[];
  /** `--devices`: indexes from the `devices` listing; wins over `backends`. */
  readonly devices?: readonly number[];
  readonly wasm?: WasmBackendOptions;
  readonly webgpu?: WebgpuBackendOptions;
  readonly log?: Logger;
  /** The devices to choose from (default: this machine's). */
  readonly listing?: readonly DeviceEntry[];
}

/** Parses `--backend auto|webgpu|wasm[,…]`. */
export function parseBackendList(text: string): BackendChoice[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new Error('expected auto, webgpu, wasm or a comma-separated list such as webgpu,wasm');
  for (const name of names) if (!isBackendChoice(name)) throw new Error(`unknown backend ${JSON.stringify(name)} (choose from ${BACKEND_CHOICES.join(', ')})`);
  if (names.includes('auto') && names.length > 1) throw new Error('auto picks the devices itself and cannot be combined with webgpu or wasm');
  return [...new Set(names)] as BackendChoice[];
}

/** The devices to choose from: this machine's; the CPU alone for WASM alone, which needs no adapter list (listing wakes Dawn, which prints its own warnings). */
export async function listingFor(options: Pick<SelectDevicesOptions, 'backends' | 'devices'>): Promise<DeviceEntry[]> {
  const cpuOnly = !options.devices?.length && options.backends.length === 1 && options.backends[0] === 'wasm';
  return cpuOnly ? [wasmDevice(0)] : listDevices();
}

/**
 * The devices a mining session runs on, one search loop each. auto: every GPU adapter (a lone
 * GPU keeps the fallback to WASM), else WASM; webgpu: every GPU adapter, else the software
 * ones; wasm: the CPU. `--devices` names them by index instead.
 */
export async function selectDevices(options: SelectDevicesOptions): Promise<DeviceSlot[]> {
  const log = options.log ?? stderrLogger;
  const listing = options.listing ?? (await listingFor(options));
  const slot = (entry: DeviceEntry): DeviceSlot => ({
    entry,
    open: async () => entry.kind === 'wasm'
      ? createWasmBackend(options.wasm)
      : createWebgpuBackend({ ...options.webgpu, adapterName: entry.adapterName }),
  });
  const adapters = listing.filter((d) => d.kind === 'webgpu' && !d.unreachable);
  const hardware = adapters.filter((d) => !d.software);
  const cpu = listing.find((d) => d.kind === 'wasm')!;

  if (options.devices?.length) {
    const kinds = options.backends.includes('auto') ? undefined : options.backends;
    return [...new Set(options.devices)].map((index) => {
      const entry = listing.find((d) => d.index === index);
      if (!entry) throw new DeviceChoiceError(`no device ${index}: \`sero-miner devices\` lists ${listing.map((d) => d.index).join(', ')}`);
      if (entry.unreachable) throw new WebgpuUnavailableError(`device ${index} cannot be used: ${entry.unreachable}`);
      if (kinds && !kinds.includes(entry.kind)) throw new DeviceChoiceError(`device ${index} is a ${entry.kind} device, but --backend ${kinds.join(',')} excludes it`);
      return slot(entry);
    });
  }
  if (options.backends.includes('auto')) {
    if (hardware.length > 1) return hardware.map(slot);
    if (hardware.length === 1) {
      const entry = hardware[0]!;
      return [{ entry, open: () => selectBackend({ backend: 'auto', wasm: options.wasm, webgpu: { ...options.webgpu, adapterName: entry.adapterName }, log }) }];
    }
    if (adapters.length > 0) {
      log('warn', softwareOnlyNotice(adapters[0]!.name));
    } else {
      log('warn', 'no WebGPU adapter found; using WASM');
    }
    return [slot(cpu)];
  }
  const chosen: DeviceEntry[] = [];
  if (options.backends.includes('webgpu')) {
    const gpus = hardware.length > 0 ? hardware : adapters;
    if (gpus.length === 0) throw new WebgpuUnavailableError('no WebGPU adapter found (`sero-miner devices` lists what there is)');
    chosen.push(...gpus);
  }
  if (options.backends.includes('wasm')) chosen.push(cpu);
  return chosen.map(slot);
}
